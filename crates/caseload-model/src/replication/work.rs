//! Work on allocated cases: stages of work (processor sharing of each officer's hours) and of
//! waiting, to completion.

use super::*;

impl<O: Observer> Replication<'_, O> {
    pub(super) fn start_stage(&mut self, sim: &mut Simulation<Event>, case_id: CaseSlot, inv: u32) {
        let case = self.cases.get_mut(case_id);
        let stage = &self.config.case_types[case.case_type].stages[case.stage as usize];
        match stage {
            Stage::Wait(_) if !case.screening => {
                // From now on `remaining` holds the day the wait ends.
                let ends = sim.now() + case.remaining;
                case.remaining = ends;
                case.pending = Some(sim.schedule(ends, Event::WaitDone { case: case_id }));
            }
            // Work, or the triage screen (work before the first stage).
            _ => {
                let hours = case.remaining;
                let officer = &mut self.investigators[inv as usize];
                let urgency = if officer.orders_work() {
                    let standard = self.config.case_types[case.case_type].standard;
                    Urgency {
                        priority: case.priority,
                        deadline: match standard {
                            Some(s) if !case.screening && s.stage == case.stage as usize => {
                                case.arrival + s.days
                            }
                            _ => f64::INFINITY,
                        },
                    }
                } else {
                    Urgency::ALIKE
                };
                officer.start_work(sim.now(), case_id, hours, urgency);
                self.reschedule_completion(sim, inv);
            }
        }
    }

    pub(super) fn reschedule_completion(&mut self, sim: &mut Simulation<Event>, inv: u32) {
        let now = sim.now();
        let officer = &mut self.investigators[inv as usize];
        if let Some(key) = officer.completion.take() {
            sim.cancel(key);
        }
        if let Some(at) = officer.next_completion() {
            officer.completion =
                Some(sim.schedule(at.max(now), Event::WorkDone { investigator: inv }));
        }
    }

    pub(super) fn on_work_done(&mut self, sim: &mut Simulation<Event>, inv: u32) {
        let officer = &mut self.investigators[inv as usize];
        officer.completion = None;
        let case_id = officer
            .finish_earliest(sim.now())
            .expect("a completion event means a working case");
        self.reschedule_completion(sim, inv);
        self.finish_stage(sim, case_id, inv);
    }

    pub(super) fn on_wait_done(&mut self, sim: &mut Simulation<Event>, case_id: CaseSlot) {
        let case = self.cases.get_mut(case_id);
        case.pending = None;
        let inv = case
            .holder
            .expect("a wait stage runs only while a case is held");
        self.finish_stage(sim, case_id, inv);
    }

    pub(super) fn finish_stage(
        &mut self,
        sim: &mut Simulation<Event>,
        case_id: CaseSlot,
        inv: u32,
    ) {
        let now = sim.now();
        let standard = self.config.case_types[self.cases.get(case_id).case_type].standard;
        let case = self.cases.get_mut(case_id);
        if case.screening {
            case.screening = false;
            if case.closes_at_triage {
                self.complete(sim, case_id, inv);
            } else {
                case.remaining = case.durations[0];
                self.start_stage(sim, case_id, inv);
            }
            return;
        }
        if standard.is_some_and(|s| s.stage == case.stage as usize) {
            case.standard_day = now;
        }
        case.stage += 1;
        if let Some(&duration) = case.durations.get(case.stage as usize) {
            let stage = case.stage as usize;
            let case_type = &self.config.case_types[case.case_type];
            case.remaining = match case_type.stages[stage] {
                Stage::Wait(_) if !case_type.wait_steps.is_empty() => {
                    duration * case_type.wait_multiplier(now)
                }
                _ => duration,
            };
            if self.stage_out_of_bounds(inv, stage) {
                self.hand_back(sim, case_id, inv);
            } else {
                self.start_stage(sim, case_id, inv);
            }
        } else {
            self.complete(sim, case_id, inv);
        }
    }

    /// Officer `inv` lets go of a case they hold (it completed, or goes back to the queue):
    /// its slot opens, unless the officer is away or winding down. Returns the officer's
    /// team, the cases they held before, and whether they now leave (wound down to none).
    fn let_go(&mut self, case_id: CaseSlot, inv: u32) -> (TeamId, usize, bool) {
        let officer = &mut self.investigators[inv as usize];
        let pos = officer
            .held
            .iter()
            .position(|c| *c == case_id)
            .expect("a case let go of is held by its officer");
        let held = officer.held.len();
        officer.held.swap_remove(pos);
        let officer_team = officer.team;
        let restricted = officer.restricted;
        // An officer away training holds cases whose wait stages may end: no slot opens; nor
        // for one winding down, whose cap follows their caseload.
        let leaves = officer.winding_down && officer.held.is_empty();
        let opens = if officer.winding_down {
            officer.cap -= 1;
            officer.full_cap = officer.cap;
            false
        } else {
            officer.status == Status::Working
        };
        let (position, load) = (officer.position, officer.load());
        if opens {
            self.open_slots(officer_team, restricted, 1);
        }
        self.teams[officer_team].set_load(position, restricted, load);
        (officer_team, held, leaves)
    }

    /// A case held by an officer whose action bounds the stages they work reaches a stage
    /// outside them: it goes back to its team's queue (ahead of newer cases of its priority,
    /// keeping its age) for an officer who may take it.
    fn hand_back(&mut self, sim: &mut Simulation<Event>, case_id: CaseSlot, inv: u32) {
        let now = sim.now();
        let record = self.cases.get(case_id).record(now, None);
        self.observer.case_requeued(&record, now);
        let (officer_team, _, leaves) = self.let_go(case_id, inv);
        self.enqueue(sim, case_id);
        self.apply_load(sim, inv);
        self.allocate(sim, officer_team);
        let case_team = self.cases.get(case_id).team;
        if case_team != officer_team {
            self.allocate(sim, case_team);
        }
        if leaves {
            self.remove_officer(sim, inv, None);
        }
    }

    /// Whether officer `inv`'s action bounds the stages they work and `stage` is not one.
    fn stage_out_of_bounds(&self, inv: u32, stage: usize) -> bool {
        let Some(action) = self.investigators[inv as usize].action else {
            return false;
        };
        self.config.actions[action]
            .bounds
            .stages
            .as_ref()
            .is_some_and(|stages| !stages.contains(&stage))
    }

    /// How much productivity officer `inv` lacks at `now` on their team's experience curve (0
    /// for an experienced officer).
    fn inexperience(&self, inv: u32, now: SimTime) -> f64 {
        let officer = &self.investigators[inv as usize];
        officer.joined.map_or(0.0, |joined| {
            let team = &self.config.teams[officer.team];
            (1.0 - team.experience_at((now - joined) / MONTH_DAYS)).max(0.0)
        })
    }

    /// What is left, at `now`, of the benefit of the training officer `inv` carries (0 without).
    fn training_weight(&self, inv: u32, now: SimTime) -> f64 {
        self.investigators[inv as usize]
            .trained
            .map_or(0.0, |(action, back)| {
                self.config.actions[action].benefit.weight(now - back)
            })
    }

    /// The share of outcomes officer `inv` moves from evidential NFA to charge at `now`: their
    /// team's, and their training's and specialism's as far as they last.
    fn evidential_to_charge(&self, inv: u32, now: SimTime) -> f64 {
        let officer = &self.investigators[inv as usize];
        let carried: f64 = [officer.trained, officer.specialist]
            .into_iter()
            .flatten()
            .map(|(action, since)| {
                let benefit = &self.config.actions[action].benefit;
                benefit.evidential_to_charge * benefit.weight(now - since)
            })
            .sum();
        self.config.teams[officer.team].evidential_to_charge + carried
    }

    pub(super) fn complete(&mut self, sim: &mut Simulation<Event>, case_id: CaseSlot, inv: u32) {
        let now = sim.now();
        let (officer_team, held, leaves) = self.let_go(case_id, inv);
        self.completed += 1;
        let case = self.cases.get(case_id);
        let case_team = &mut self.teams[case.team];
        case_team.completions_since_review += 1;
        case_team.completed += 1;
        let outcome = self.config.case_types[case.case_type]
            .outcomes
            .as_ref()
            .filter(|_| !case.closes_at_triage)
            .map(|o| {
                let team = &self.config.teams[officer_team];
                let lost = team
                    .load_cost
                    .as_ref()
                    .map_or(0.0, |l| l.charges_lost(held))
                    + self.inexperience(inv, now) * team.experience_charge_loss;
                o.outcome(
                    case.outcome_draws.map(f64::from),
                    now - case.arrival,
                    lost,
                    self.evidential_to_charge(inv, now),
                )
            });
        let requires_improvement = match &self.config.quality {
            Some(q) if !case.closes_at_triage => {
                let p = q.requires_improvement(
                    held,
                    now - case.arrival,
                    self.training_weight(inv, now),
                    self.inexperience(inv, now),
                    self.config.teams[officer_team].supervision_ratio,
                );
                Some(f64::from(case.quality_draw) < p)
            }
            _ => None,
        };
        if requires_improvement == Some(true) {
            self.teams[case.team].requires_improvement += 1;
        }
        if let Some(o) = outcome {
            self.teams[case.team].outcomes[o.index()] += 1;
        }
        let closed_at_triage = case.closes_at_triage;
        if closed_at_triage {
            self.teams[case.team].closed_at_triage += 1;
        }
        let mut record = case.record_with_outcome(now, Some(now), None, outcome);
        record.requires_improvement = requires_improvement;
        self.observer.case_completed(&record);
        self.cases.remove(case_id);
        self.apply_load(sim, inv);
        self.allocate(sim, officer_team);
        if leaves {
            self.remove_officer(sim, inv, None);
        }
    }

    // ---------------------------------------------------------------- workforce
}
