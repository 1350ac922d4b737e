//! Allocation: the queue of waiting cases, escalation of their priority, pools formed by daily
//! reviews, and the one allocation step that gives the best waiting case to the least-loaded
//! officer with a free slot.

use super::*;

impl<O: Observer> Replication<'_, O> {
    pub(super) fn update_queue_area(&mut self, now: SimTime) {
        self.queue_area += (now - self.queue_updated) * self.queued as f64;
        self.queue_updated = now;
    }

    /// Puts a case in its team's queue, at the priority its age gives (escalation counts from
    /// the referral, so a case returned to the queue keeps the level it has reached).
    pub(super) fn enqueue(&mut self, sim: &mut Simulation<Event>, case_id: CaseSlot) {
        let now = sim.now();
        self.update_queue_area(now);
        self.queued += 1;
        let next_escalation = {
            let case = self.cases.get_mut(case_id);
            let (priority, next_age) =
                self.config.case_types[case.case_type].priority_at_age(now - case.arrival);
            case.priority = priority;
            case.holder = None;
            case.queued_since = now;
            let team = &mut self.teams[case.team];
            team.queue.insert(
                queue_key(case.priority, case.arrival, case.id),
                case.case_type,
                case_id,
            );
            team.queued_historic += u32::from(case.historic);
            if let Some(weighed) = &mut self.weighed {
                weighed.count(self.config, case, true);
            }
            next_age.map(|age| (case.arrival + age).max(now))
        };
        let case = self.cases.get(case_id);
        if case.patience.is_finite() {
            let at = now + (case.patience - case.unallocated_before).max(0.0);
            let key = sim.schedule(at, Event::Withdraw { case: case_id });
            self.cases.get_mut(case_id).withdrawal = Some(key);
        }
        if let Some(at) = next_escalation {
            let case = self.cases.get_mut(case_id);
            case.pending = Some(sim.schedule(
                at,
                Event::Escalate {
                    case: case_id,
                    team: case.team as u32,
                    case_type: case.case_type as u32,
                    priority: case.priority,
                },
            ));
        }
    }

    /// Schedules a waiting case's next escalation, one period after its last.
    pub(super) fn schedule_escalation(&mut self, sim: &mut Simulation<Event>, case_id: CaseSlot) {
        let case = self.cases.get_mut(case_id);
        case.pending = escalation(
            self.config,
            sim,
            case_id,
            case.team,
            case.case_type,
            case.priority,
        );
    }

    /// Takes a case out of its team's queue.
    pub(super) fn dequeue(&mut self, sim: &mut Simulation<Event>, case_id: CaseSlot) {
        let now = sim.now();
        self.update_queue_area(now);
        self.queued -= 1;
        let case = self.cases.get_mut(case_id);
        if let Some(key) = case.pending.take() {
            sim.cancel(key);
        }
        if let Some(key) = case.withdrawal.take() {
            sim.cancel(key);
        }
        case.unallocated_before += now - case.queued_since;
        let team = &mut self.teams[case.team];
        let removed = team.queue.remove(
            &queue_key(case.priority, case.arrival, case.id),
            case.case_type,
        );
        debug_assert_eq!(removed, Some(case_id), "a dequeued case is in its queue");
        team.queued_historic -= u32::from(case.historic);
        if let Some(weighed) = &mut self.weighed {
            weighed.count(self.config, case, false);
        }
    }

    /// The victim of a waiting case withdraws support: the case leaves its team's queue and
    /// is reported, never lost.
    pub(super) fn on_withdraw(&mut self, sim: &mut Simulation<Event>, case_id: CaseSlot) {
        // The event firing is this one: nothing to cancel.
        self.cases.get_mut(case_id).withdrawal = None;
        self.dequeue(sim, case_id);
        let now = sim.now();
        let case = self.cases.get(case_id);
        self.withdrawn += 1;
        self.teams[case.team].withdrawn += 1;
        let record = case.record_ending(now, None, Some(now));
        self.observer.case_withdrawn(&record);
        self.cases.remove(case_id);
    }

    pub(super) fn on_escalate(
        &mut self,
        sim: &mut Simulation<Event>,
        case_id: CaseSlot,
        team: TeamId,
        case_type: CaseTypeId,
        priority: Priority,
    ) {
        if self.teams[team]
            .queue
            .escalate_front(case_type, priority, case_id)
        {
            // Only writes to the case: its record need not be read.
            let raised = priority - 1;
            let pending = if raised > self.config.case_types[case_type].escalation_floor() {
                escalation(self.config, sim, case_id, team, case_type, raised)
            } else {
                None
            };
            let case = self.cases.get_mut(case_id);
            case.priority = raised;
            case.pending = pending;
            if let Some(weighed) = &mut self.weighed {
                weighed.escalated(team, priority);
            }
            return;
        }
        // A case that is not its run's front, or that moved team since (reassigned historic).
        let case = self.cases.get_mut(case_id);
        case.pending = None;
        let team = &mut self.teams[case.team];
        let key = queue_key(case.priority, case.arrival, case.id);
        if let Some(weighed) = &mut self.weighed {
            weighed.escalated(case.team, case.priority);
        }
        case.priority -= 1;
        team.queue.reprioritize(&key, case.case_type, case.priority);
        if case.priority > self.config.case_types[case.case_type].escalation_floor() {
            self.schedule_escalation(sim, case_id);
        }
    }

    // ---------------------------------------------------------------- allocation

    /// The members of `team`'s pool (or the team alone), in the reused `scratch_teams` buffer;
    /// the caller hands it back.
    pub(super) fn pool_members(&mut self, team: TeamId) -> Vec<TeamId> {
        let mut members = std::mem::take(&mut self.scratch_teams);
        members.clear();
        match self.teams[team].pool {
            Some(pool) => members.extend_from_slice(&self.pools[pool].members),
            None => members.push(team),
        }
        members
    }

    /// Allocates waiting cases of `team`'s pool to officers with free slots: highest priority,
    /// then oldest, first; each to the officer holding the fewest cases (ties: the lowest
    /// index). Then officers whose action restricts the cases they take each take the best
    /// case they may, least loaded first.
    pub(super) fn allocate(&mut self, sim: &mut Simulation<Event>, team: TeamId) {
        let members = self.pool_members(team);
        loop {
            if self.free_slots(team, false) == 0 {
                break;
            }
            let Some(case_id) = self.best_waiting(&members) else {
                break;
            };
            // Its record is likely cold: start loading it while the officer is chosen.
            self.cases.prefetch(case_id);
            let inv = self
                .pick_officer(&members, false)
                .expect("a free slot counted means an officer with a free slot");
            self.dequeue(sim, case_id);
            self.assign(sim, case_id, inv);
        }
        if self.free_slots(team, true) > 0 {
            self.allocate_restricted(sim, &members);
        }
        self.scratch_teams = members;
    }

    /// Allocation to the officers of `members` whose action restricts the cases they take:
    /// the least loaded (ties: lowest index) takes the first case in queue order it may take.
    /// Officers of one action take the same cases, so when one has none to take, every
    /// officer of that action is passed over until the next allocation (one scan of the
    /// queues per action, not per officer).
    fn allocate_restricted(&mut self, sim: &mut Simulation<Event>, members: &[TeamId]) {
        let mut passed: Vec<Option<usize>> = Vec::new();
        loop {
            let investigators = &self.investigators;
            let officer = members
                .iter()
                .flat_map(|&t| {
                    let team = &self.teams[t];
                    team.restricted_load
                        .iter()
                        .zip(&team.officers)
                        .filter(|&(&load, &i)| {
                            load != NO_SLOT && !passed.contains(&investigators[i as usize].action)
                        })
                        .map(|(&load, &i)| (load, i))
                })
                .min();
            let Some((_, inv)) = officer else {
                break;
            };
            match self.best_waiting_for(members, inv, sim.now()) {
                Some(case_id) => {
                    self.dequeue(sim, case_id);
                    self.assign(sim, case_id, inv);
                }
                None => passed.push(self.investigators[inv as usize].action),
            }
        }
    }

    /// Free caseload slots of officers of the given kind at work in `team`'s pool (or in the
    /// team alone).
    fn free_slots(&self, team: TeamId, restricted: bool) -> u32 {
        match self.teams[team].pool {
            Some(pool) => self.pools[pool].free_slots[usize::from(restricted)],
            None => self.teams[team].free_slots(restricted),
        }
    }

    /// The free caseload slots of the officers at work in `members`, general then restricted,
    /// counted team by team.
    pub(super) fn counted_free_slots(&self, members: &[TeamId]) -> [u32; 2] {
        [false, true].map(|restricted| {
            members
                .iter()
                .map(|&t| self.teams[t].free_slots(restricted))
                .sum()
        })
    }

    /// Opens `slots` free caseload slots of officers of the given kind in `team` (and its
    /// pool).
    pub(super) fn open_slots(&mut self, team: TeamId, restricted: bool, slots: u32) {
        *self.teams[team].free_slots_mut(restricted) += slots;
        if let Some(pool) = self.teams[team].pool {
            self.pools[pool].free_slots[usize::from(restricted)] += slots;
        }
    }

    /// Closes `slots` free caseload slots of officers of the given kind in `team` (and its
    /// pool).
    pub(super) fn close_slots(&mut self, team: TeamId, restricted: bool, slots: u32) {
        *self.teams[team].free_slots_mut(restricted) -= slots;
        if let Some(pool) = self.teams[team].pool {
            self.pools[pool].free_slots[usize::from(restricted)] -= slots;
        }
    }

    /// The first case in queue order across `members`.
    pub(super) fn best_waiting(&self, members: &[TeamId]) -> Option<CaseSlot> {
        let mut best = None;
        for &t in members {
            if let Some((key, id)) = self.teams[t].queue.first()
                && best.is_none_or(|(k, _)| key < k)
            {
                best = Some((key, id));
            }
        }
        best.map(|(_, id)| id)
    }

    /// The first case in queue order across `members` that officer `inv` may take under
    /// their action's bounds.
    fn best_waiting_for(&self, members: &[TeamId], inv: u32, now: SimTime) -> Option<CaseSlot> {
        let officer = &self.investigators[inv as usize];
        let action = officer.action.map(|a| &self.config.actions[a]);
        let historic_only = matches!(
            action.map(|a| &a.kind),
            Some(ActionKind::Attachment {
                historic_only: true,
                ..
            })
        );
        let bounds = action.map(|a| &a.bounds);
        let days_left = action
            .and_then(|a| a.end_day)
            .map_or(f64::INFINITY, |end| end - now);
        let hours_per_day = officer.base_hours_per_day * officer.productivity;
        let may_take = |id: CaseSlot| {
            let case = self.cases.get(id);
            (!historic_only || case.historic)
                && bounds.is_none_or(|b| {
                    b.case_types
                        .as_ref()
                        .is_none_or(|types| types.contains(&case.case_type))
                        && b.stages
                            .as_ref()
                            .is_none_or(|stages| stages.contains(&(case.stage as usize)))
                        && (!b.finish_before_end
                            || self.expected_days_left(id, hours_per_day) <= days_left)
                })
        };
        let mut best = None;
        for &t in members {
            let team = &self.teams[t];
            if historic_only && team.queued_historic == 0 {
                continue;
            }
            if let Some((key, id)) = team.queue.iter().filter(|&(_, id)| may_take(id)).min()
                && best.is_none_or(|(k, _)| key < k)
            {
                best = Some((key, id));
            }
        }
        best.map(|(_, id)| id)
    }

    /// The days a case can be expected to take from the stage it is in to its end: the means
    /// of its stages, work at `hours_per_day` as if worked alone.
    fn expected_days_left(&self, case_id: CaseSlot, hours_per_day: f64) -> f64 {
        let case = self.cases.get(case_id);
        self.config.case_types[case.case_type].stages[case.stage as usize..]
            .iter()
            .map(|stage| match stage {
                Stage::Work(hours) if hours_per_day > 0.0 => hours.mean() / hours_per_day,
                Stage::Work(_) => f64::INFINITY,
                Stage::Wait(days) => days.mean(),
            })
            .sum()
    }

    /// The eligible officer with a free slot holding the fewest cases; ties: lowest index.
    pub(super) fn pick_officer(&self, members: &[TeamId], restricted: bool) -> Option<u32> {
        members
            .iter()
            .filter_map(|&t| self.teams[t].least_loaded(restricted))
            .min()
            .map(|(_, i)| i)
    }

    /// Gives a (dequeued) case to an officer with a free slot and starts its current stage.
    pub(super) fn assign(&mut self, sim: &mut Simulation<Event>, case_id: CaseSlot, inv: u32) {
        let now = sim.now();
        let officer = &mut self.investigators[inv as usize];
        debug_assert!(officer.has_free_slot());
        officer.held.push(case_id);
        let (restricted, position, load) = (officer.restricted, officer.position, officer.load());
        let officer_team = officer.team;
        self.close_slots(officer_team, restricted, 1);
        self.teams[officer_team].set_load(position, restricted, load);
        self.apply_load(sim, inv);
        let case = self.cases.get_mut(case_id);
        case.holder = Some(inv);
        self.teams[case.team].allocated += 1;
        if case.allocated.is_none() {
            case.allocated = Some(now);
            let record = case.record(now, None);
            self.observer.case_allocated(&record);
        }
        self.start_stage(sim, case_id, inv);
    }

    // ---------------------------------------------------------------- work
}
