//! Officers joining and leaving: posting, training and ramp-up, attrition and the requeue of
//! a leaver's cases, recruitment panels, and each officer's share of hours.

use super::*;

/// Steps a decaying productivity gain is set again in per half-life (the gain between steps
/// is the one at the step's start).
const DECAY_STEPS_PER_HALF_LIFE: f64 = 4.0;

impl<O: Observer> Replication<'_, O> {
    /// Brings an officer into a team. Recruits go on the new starters' course if the team has
    /// one; everyone else starts at work.
    pub(super) fn add_officer(
        &mut self,
        sim: &mut Simulation<Event>,
        team: TeamId,
        source: Source,
        action: Option<usize>,
        new_starter: bool,
    ) -> u32 {
        let now = sim.now();
        let config = &self.config.teams[team];
        let all_actions = &self.config.actions;
        let (restricted, cap, hours_per_year, cost_per_day) = match action
            .map(|a| &all_actions[a].kind)
        {
            Some(ActionKind::Agency {
                hours_per_year,
                caseload_cap,
                cost_per_day,
                ..
            }) => (
                action.is_some_and(|a| all_actions[a].bounds.restricts_cases()),
                *caseload_cap,
                *hours_per_year,
                *cost_per_day,
            ),
            Some(ActionKind::Attachment { historic_only, .. }) => (
                *historic_only || action.is_some_and(|a| all_actions[a].bounds.restricts_cases()),
                config.caseload_cap,
                config.contracted_hours_per_year * (1.0 - config.abstraction),
                config.cost_per_day,
            ),
            _ => (
                false,
                config.caseload_cap,
                config.contracted_hours_per_year * (1.0 - config.abstraction),
                config.cost_per_day,
            ),
        };
        // An action may pay its officers at their own rate (agency has its day rate).
        let cost_per_day = match action.map(|a| &all_actions[a]) {
            Some(a) if !matches!(a.kind, ActionKind::Agency { .. }) => {
                a.cost_per_officer_day.unwrap_or(cost_per_day)
            }
            _ => cost_per_day,
        };
        let index = u32::try_from(self.investigators.len()).expect("fewer than 2^32 officers");
        let mut officer = Investigator::new(
            team,
            source,
            action,
            restricted,
            cap,
            hours_per_year / DAYS_PER_YEAR,
            cost_per_day,
            now,
        );
        let temporary_limit = match action.map(|a| &all_actions[a]) {
            Some(a)
                if matches!(
                    a.kind,
                    ActionKind::Attachment { .. } | ActionKind::Agency { .. }
                ) =>
            {
                a.bounds.active_limit
            }
            _ => None,
        };
        officer.set_discipline(config.discipline, temporary_limit.or(config.active_limit));
        // Specialists an action brings carry its benefit from the day they join.
        if let Some(a) = action
            && !matches!(all_actions[a].kind, ActionKind::Training { .. })
            && all_actions[a].benefit != crate::config::Benefit::default()
        {
            officer.specialist = Some((a, now));
            if all_actions[a].benefit.productivity_gain > 0.0
                && let Some(half_life) = all_actions[a].benefit.half_life_days
            {
                sim.schedule_in(
                    half_life / DECAY_STEPS_PER_HALF_LIFE,
                    Event::BenefitDecay {
                        investigator: index,
                    },
                );
            }
        }
        if new_starter && !config.experience.is_empty() {
            officer.joined = Some(now);
            sim.schedule_in(
                MONTH_DAYS,
                Event::ExperienceStep {
                    investigator: index,
                },
            );
        }
        match (&config.new_starters, new_starter) {
            (Some(course), true) => {
                officer.status = Status::Training;
                officer.productivity = course.ramp_up_productivity;
                let done = match course.course_places {
                    None => now + course.course_days,
                    Some(places) => {
                        // Courses run back to back from day 0; the first not yet started
                        // with a free place.
                        let bookings = if course.shared_course {
                            &mut self.shared_course_bookings
                        } else {
                            &mut self.teams[team].course_bookings
                        };
                        let mut k = (now / course.course_days).ceil() as u64;
                        bookings.retain(|&c, _| c >= k);
                        while bookings.get(&k).is_some_and(|&n| n >= places) {
                            k += 1;
                        }
                        *bookings.entry(k).or_insert(0) += 1;
                        (k + 1) as f64 * course.course_days
                    }
                };
                officer.status_change = Some(sim.schedule(
                    done,
                    Event::TrainingDone {
                        investigator: index,
                    },
                ));
            }
            _ => self.open_slots(team, restricted, cap),
        }
        let permanent = source.fills_a_post() || source == Source::Redeployed;
        if permanent && config.attrition_per_year > 0.0 {
            let mut rng = self.streams.stream(ATTRITION.index(u64::from(index)));
            let stay = sample_exponential(&mut rng, config.attrition_per_year / DAYS_PER_YEAR);
            officer.leave = Some(sim.schedule_in(
                stay,
                Event::Leave {
                    investigator: index,
                },
            ));
        }
        let t = &mut self.teams[team];
        t.accrue_cost(now);
        t.cost_rate += cost_per_day;
        officer.position = t.officers.len();
        t.push_officer(index);
        t.set_load(officer.position, officer.restricted, officer.load());
        self.investigators.push(officer);
        self.refresh_rates(sim, team);
        index
    }

    /// An officer's leaving time comes. In a ring-fenced team, the leavers who would have
    /// been redeployed away (`redeployment_share` of them, drawn on the officer's own stream)
    /// stay, and their next leaving time is drawn afresh (leaving is memoryless).
    pub(super) fn on_leave(&mut self, sim: &mut Simulation<Event>, inv: u32) {
        let officer = &mut self.investigators[inv as usize];
        officer.leave = None;
        let team = officer.team;
        let config = &self.config.teams[team];
        if self.teams[team].ring_fences > 0 && config.redeployment_share > 0.0 {
            officer.leave_draws += 1;
            let mut rng = self.streams.stream(
                ATTRITION
                    .index(u64::from(inv))
                    .index(u64::from(officer.leave_draws)),
            );
            if rng.random::<f64>() < config.redeployment_share {
                let stay = sample_exponential(&mut rng, config.attrition_per_year / DAYS_PER_YEAR);
                officer.leave = Some(sim.schedule_in(stay, Event::Leave { investigator: inv }));
                return;
            }
        }
        self.remove_officer(sim, inv, None);
    }

    /// An officer leaves: the cases they hold return to their teams' queues (or join
    /// `hand_to`'s), keeping their stage, remaining work and age.
    pub(super) fn remove_officer(
        &mut self,
        sim: &mut Simulation<Event>,
        inv: u32,
        hand_to: Option<TeamId>,
    ) {
        let now = sim.now();
        let officer = &mut self.investigators[inv as usize];
        if officer.status == Status::Gone {
            return;
        }
        let team = officer.team;
        if officer.status == Status::Working {
            let free = officer.cap - officer.held.len() as u32;
            let restricted = officer.restricted;
            self.close_slots(team, restricted, free);
        }
        let officer = &mut self.investigators[inv as usize];
        officer.status = Status::Gone;
        for key in [
            officer.completion.take(),
            officer.leave.take(),
            officer.status_change.take(),
        ]
        .into_iter()
        .flatten()
        {
            sim.cancel(key);
        }
        let held = std::mem::take(&mut officer.held);
        let cost = officer.cost_per_day;
        let freed_a_post = matches!(officer.source, Source::Establishment | Source::Transfer);
        for &case_id in &held {
            let record = self.cases.get(case_id).record(now, None);
            self.observer.case_requeued(&record, now);
            let officer = &mut self.investigators[inv as usize];
            let case = self.cases.get_mut(case_id);
            match officer.stop_work(now, case_id) {
                Some(hours) => case.remaining = hours,
                None => {
                    // In a wait stage `remaining` held the day it ends.
                    case.remaining = (case.remaining - now).max(0.0);
                    if let Some(key) = case.pending.take() {
                        sim.cancel(key);
                    }
                }
            }
            if let Some(to) = hand_to {
                self.cases.get_mut(case_id).team = to;
            }
            self.enqueue(sim, case_id);
        }
        let worked = self.investigators[inv as usize].worked_hours(now);
        let t = &mut self.teams[team];
        t.departed_worked_hours += worked;
        t.accrue_cost(now);
        t.cost_rate -= cost;
        let position = self.investigators[inv as usize].position;
        debug_assert_eq!(t.officers[position], inv, "an officer's position is kept");
        t.remove_officer_at(position);
        for &i in &t.officers[position..] {
            self.investigators[i as usize].position -= 1;
        }
        t.review_added.retain(|&(i, _)| i != inv);
        // An officer above establishment takes the post a leaver frees (the longest serving),
        // so `overstaff` always counts officers beyond the posts.
        if freed_a_post
            && let Some(&above) = t
                .officers
                .iter()
                .find(|&&i| self.investigators[i as usize].source == Source::Overstaff)
        {
            self.investigators[above as usize].source = Source::Establishment;
        }
        self.refresh_rates(sim, team);
        self.allocate(sim, team);
        for &case_id in &held {
            let case_team = self.cases.get(case_id).team;
            if case_team != team {
                self.allocate(sim, case_team);
            }
        }
    }

    /// Recomputes every officer's hours per day in `team`: abstraction, other duties (unless
    /// ring-fenced), ramp-up productivity, and the team's flexible hours shared equally among
    /// its officers at work.
    pub(super) fn refresh_rates(&mut self, sim: &mut Simulation<Event>, team: TeamId) {
        let now = sim.now();
        let config = &self.config.teams[team];
        let t = &self.teams[team];
        let other_duties = if t.ring_fences > 0 {
            0.0
        } else {
            config.other_duties
        };
        let sharing = t
            .officers
            .iter()
            .filter(|&&i| {
                let inv = &self.investigators[i as usize];
                inv.status == Status::Working && inv.shares_flexible_hours
            })
            .count();
        let flexible_share = if sharing > 0 {
            t.flexible_hours_per_year / DAYS_PER_YEAR / sharing as f64
        } else {
            0.0
        };
        self.teams[team].accrue_available(now);
        let officers = std::mem::take(&mut self.teams[team].officers);
        let mut available_rate = 0.0;
        let actions = &self.config.actions;
        for &i in &officers {
            let inv = &mut self.investigators[i as usize];
            // The team's productivity and what is left of a training's gain: exactly 1 when
            // neither is set, so the hours are as before.
            let gain: f64 = [inv.trained, inv.specialist]
                .into_iter()
                .flatten()
                .map(|(action, since)| {
                    let benefit = &actions[action].benefit;
                    benefit.productivity_gain * benefit.weight(now - since)
                })
                .sum();
            let experience = inv.joined.map_or(1.0, |joined| {
                config.experience_at((now - joined) / MONTH_DAYS)
            });
            let productivity = config.productivity * (1.0 + gain) * experience;
            let rate = if inv.status == Status::Working {
                let drawn = if inv.drawn_to_other_duties {
                    other_duties
                } else {
                    0.0
                };
                let flexible = if inv.shares_flexible_hours {
                    flexible_share
                } else {
                    0.0
                };
                inv.base_hours_per_day * inv.productivity * (1.0 - drawn) * productivity + flexible
            } else {
                0.0
            };
            inv.unloaded_rate = rate;
            let rate = match &config.load_cost {
                Some(load) => (rate - load.hours_lost_per_day(inv.held.len())).max(0.0),
                None => rate,
            };
            available_rate += rate;
            if rate != inv.rate() {
                inv.set_rate(now, rate);
                if inv.working_count() > 0 {
                    self.reschedule_completion(sim, i);
                }
            }
        }
        let t = &mut self.teams[team];
        t.officers = officers;
        t.available_rate = available_rate;
    }

    /// With a cost of heavy caseloads, sets officer `inv`'s hours for the cases they hold now
    /// (and the team's available hours with them).
    pub(super) fn apply_load(&mut self, sim: &mut Simulation<Event>, inv: u32) {
        let officer = &self.investigators[inv as usize];
        let Some(load) = &self.config.teams[officer.team].load_cost else {
            return;
        };
        let rate = (officer.unloaded_rate - load.hours_lost_per_day(officer.held.len())).max(0.0);
        let now = sim.now();
        let change = rate - officer.rate();
        if change == 0.0 {
            return;
        }
        let team = &mut self.teams[officer.team];
        team.accrue_available(now);
        team.available_rate += change;
        let officer = &mut self.investigators[inv as usize];
        officer.set_rate(now, rate);
        if officer.working_count() > 0 {
            self.reschedule_completion(sim, inv);
        }
    }

    /// An officer leaves for a training programme's days away, keeping the cases they hold
    /// (their work pauses; wait stages run on); an officer not at work, or still in a new
    /// starter's ramp-up, does not go.
    pub(super) fn on_training_away(
        &mut self,
        sim: &mut Simulation<Event>,
        inv: u32,
        action: usize,
    ) {
        let ActionKind::Training { days_away, .. } = self.config.actions[action].kind else {
            unreachable!("training events come from training actions");
        };
        let officer = &mut self.investigators[inv as usize];
        if officer.status != Status::Working || officer.status_change.is_some() {
            return;
        }
        let free = officer.cap - officer.held.len() as u32;
        officer.status = Status::Away;
        officer.away_on = Some(action);
        let (team, restricted, position) = (officer.team, officer.restricted, officer.position);
        let t = &mut self.teams[team];
        let programme = self.config.actions[action].benefit.cost_per_trainee;
        if programme > 0.0 {
            t.accrue_cost(sim.now());
            t.cost += programme;
        }
        self.close_slots(team, restricted, free);
        self.teams[team].set_load(position, restricted, NO_SLOT);
        sim.schedule_in(days_away, Event::TrainingBack { investigator: inv });
        self.refresh_rates(sim, team);
    }

    /// A trained officer's productivity gain decays: their team's hours are set again, and the
    /// next step is scheduled while more than 1 % of the gain is left.
    pub(super) fn on_benefit_decay(&mut self, sim: &mut Simulation<Event>, inv: u32) {
        let officer = &self.investigators[inv as usize];
        if officer.status == Status::Gone {
            return;
        }
        let team = officer.team;
        // Whichever decaying gains are left: the next step while any is above 1 %.
        let left = [officer.trained, officer.specialist]
            .into_iter()
            .flatten()
            .filter_map(|(action, since)| {
                let benefit = &self.config.actions[action].benefit;
                let half_life = benefit.half_life_days?;
                (benefit.productivity_gain > 0.0 && benefit.weight(sim.now() - since) > 0.01)
                    .then_some(half_life)
            })
            .reduce(f64::min);
        if let Some(half_life) = left {
            sim.schedule_in(
                half_life / DECAY_STEPS_PER_HALF_LIFE,
                Event::BenefitDecay { investigator: inv },
            );
        }
        self.refresh_rates(sim, team);
    }

    /// A month of a new starter's experience: their team's hours are set again, and the next
    /// month is scheduled until the curve's last point has passed (its last value holds on).
    pub(super) fn on_experience_step(&mut self, sim: &mut Simulation<Event>, inv: u32) {
        let officer = &self.investigators[inv as usize];
        let Some(joined) = officer.joined else {
            return;
        };
        if officer.status == Status::Gone {
            return;
        }
        let team = officer.team;
        let last = self.config.teams[team]
            .experience
            .last()
            .map_or(0.0, |&(months, _)| months);
        if (sim.now() - joined) / MONTH_DAYS < last {
            sim.schedule_in(MONTH_DAYS, Event::ExperienceStep { investigator: inv });
        }
        self.refresh_rates(sim, team);
    }

    /// An officer comes back from a training programme (if still in the team).
    pub(super) fn on_training_back(&mut self, sim: &mut Simulation<Event>, inv: u32) {
        let officer = &mut self.investigators[inv as usize];
        if officer.status != Status::Away {
            return;
        }
        officer.status = Status::Working;
        // The programme's benefit from the return, replacing an earlier one's.
        if let Some(action) = officer.away_on.take() {
            let benefit = &self.config.actions[action].benefit;
            if *benefit != crate::config::Benefit::default() {
                officer.trained = Some((action, sim.now()));
                if benefit.productivity_gain > 0.0
                    && let Some(half_life) = benefit.half_life_days
                {
                    sim.schedule_in(
                        half_life / DECAY_STEPS_PER_HALF_LIFE,
                        Event::BenefitDecay { investigator: inv },
                    );
                }
            }
        }
        let free = officer.cap - officer.held.len() as u32;
        let (team, restricted, position, load) = (
            officer.team,
            officer.restricted,
            officer.position,
            officer.load(),
        );
        self.open_slots(team, restricted, free);
        self.teams[team].set_load(position, restricted, load);
        self.refresh_rates(sim, team);
        self.allocate(sim, team);
    }

    /// A new starter finishes the course and starts work: with one caseload slot if the team
    /// has a ramp-up, gaining a slot at each of `cap` equal steps over the ramp-up (so nobody
    /// takes a full caseload on their first day), at full productivity after the last.
    pub(super) fn on_training_done(&mut self, sim: &mut Simulation<Event>, inv: u32) {
        let step = self.ramp_up_step_days(inv);
        let officer = &mut self.investigators[inv as usize];
        officer.status = Status::Working;
        officer.status_change = None;
        let (team, restricted) = (officer.team, officer.restricted);
        let slots = if step > 0.0 {
            officer.cap = 1.min(officer.full_cap);
            officer.status_change =
                Some(sim.schedule_in(step, Event::RampUpStep { investigator: inv }));
            officer.cap
        } else {
            officer.productivity = 1.0;
            officer.cap = officer.full_cap;
            officer.cap
        };
        let load = officer.load();
        let position = officer.position;
        self.open_slots(team, restricted, slots);
        self.teams[team].set_load(position, restricted, load);
        self.refresh_rates(sim, team);
        self.allocate(sim, team);
    }

    /// Days between the steps of a new starter's ramp-up: the team's ramp-up shared in
    /// `caseload_cap` equal steps (0 if the team has no ramp-up).
    fn ramp_up_step_days(&self, inv: u32) -> f64 {
        let officer = &self.investigators[inv as usize];
        self.config.teams[officer.team]
            .new_starters
            .as_ref()
            .map_or(0.0, |n| n.ramp_up_days / f64::from(officer.full_cap.max(1)))
    }

    /// A step of the ramp-up: one more slot; full productivity at the last step.
    pub(super) fn on_ramp_up_step(&mut self, sim: &mut Simulation<Event>, inv: u32) {
        let step = self.ramp_up_step_days(inv);
        let officer = &mut self.investigators[inv as usize];
        officer.status_change = None;
        let team = officer.team;
        let restricted = officer.restricted;
        if officer.cap < officer.full_cap {
            officer.cap += 1;
            let (load, position) = (officer.load(), officer.position);
            self.open_slots(team, restricted, 1);
            self.teams[team].set_load(position, restricted, load);
        }
        let officer = &mut self.investigators[inv as usize];
        if officer.cap < officer.full_cap {
            officer.status_change =
                Some(sim.schedule_in(step, Event::RampUpStep { investigator: inv }));
        } else {
            officer.productivity = 1.0;
            self.refresh_rates(sim, team);
        }
        self.allocate(sim, team);
    }

    /// A posting panel: posts recruits for the vacancies the team will have when they join
    /// (posts less officers in post and on their way, plus the leavers expected over the lag),
    /// then schedules the next panel.
    pub(super) fn on_posting_panel(
        &mut self,
        sim: &mut Simulation<Event>,
        team: TeamId,
        panel: u32,
    ) {
        let config = self.config;
        let team_config = &config.teams[team];
        let Some(recruitment) = &team_config.recruitment else {
            return;
        };
        let t = &self.teams[team];
        let in_post = t
            .officers
            .iter()
            .filter(|&&i| self.investigators[i as usize].source.fills_a_post())
            .count() as u32;
        let stay = (-team_config.attrition_per_year * recruitment.lag_days / DAYS_PER_YEAR).exp();
        let expected_leavers = (f64::from(in_post) * (1.0 - stay)).round() as u32;
        let target = t.establishment + t.overstaff;
        let open = (target + expected_leavers).saturating_sub(in_post + t.pipeline);
        let vacancies = if recruitment.fill_share < 1.0 {
            let mut rng = self
                .streams
                .stream(RECRUITMENT.index((team as u64) << 32 | u64::from(panel)));
            (0..open)
                .filter(|_| rng.random::<f64>() < recruitment.fill_share)
                .count() as u32
        } else {
            open
        };
        for _ in 0..vacancies {
            sim.schedule_in(
                recruitment.lag_days,
                Event::RecruitJoins { team: team as u32 },
            );
        }
        self.teams[team].pipeline += vacancies;
        let next = match &recruitment.panels {
            Panels::Every { interval_days } => Some(sim.now() + interval_days),
            Panels::On(days) => days.get(panel as usize + 1).copied(),
        };
        if let Some(day) = next.filter(|&d| d < config.horizon_days) {
            sim.schedule(
                day,
                Event::PostingPanel {
                    team: team as u32,
                    panel: panel + 1,
                },
            );
        }
    }

    pub(super) fn on_recruit_joins(&mut self, sim: &mut Simulation<Event>, team: TeamId) {
        let t = &mut self.teams[team];
        t.pipeline -= 1;
        let in_establishment = t
            .officers
            .iter()
            .filter(|&&i| {
                matches!(
                    self.investigators[i as usize].source,
                    Source::Establishment | Source::Transfer
                )
            })
            .count() as u32;
        let source = if in_establishment < t.establishment {
            Source::Establishment
        } else {
            Source::Overstaff
        };
        let now = sim.now();
        let cost = self.config.teams[team]
            .recruitment
            .as_ref()
            .map_or(0.0, |r| r.cost_per_recruit);
        let t = &mut self.teams[team];
        t.accrue_cost(now);
        t.cost += cost;
        self.add_officer(sim, team, source, None, true);
        self.allocate(sim, team);
    }

    // ---------------------------------------------------------------- staffing actions

    /// A monthly review's officers join `team`: each from the source team with the most
    /// officers to spare at the review's target caseload (its at-work officers beyond those
    /// its own open and waiting cases need), the officer there holding the fewest cases, whose
    /// cases return to that team's queue. Fewer join if the sources have fewer to spare.
    pub(super) fn on_review_posting(
        &mut self,
        sim: &mut Simulation<Event>,
        team: TeamId,
        officers: u32,
        action: usize,
    ) {
        self.teams[team].review_pending -= officers;
        let config = self.config;
        let ActionKind::MonthlyReview {
            from_teams,
            target_caseload,
            ..
        } = &config.actions[action].kind
        else {
            return;
        };
        for _ in 0..officers {
            let spare = |this: &Self, d: TeamId| -> i64 {
                let t = &this.teams[d];
                let (mut at_work, mut held) = (0i64, 0usize);
                for &i in &t.officers {
                    let inv = &this.investigators[i as usize];
                    if inv.status == Status::Working {
                        at_work += 1;
                        held += inv.held.len();
                    }
                }
                let needed = ((held + t.queue.len()) as f64 / target_caseload).ceil() as i64;
                at_work - needed.max(1)
            };
            let donor = from_teams
                .iter()
                .copied()
                .filter(|&d| d != team)
                .map(|d| (spare(self, d), std::cmp::Reverse(d)))
                .filter(|&(s, _)| s > 0)
                .max()
                .map(|(_, std::cmp::Reverse(d))| d);
            let Some(donor) = donor else {
                break;
            };
            let lender = self.teams[donor]
                .officers
                .iter()
                .copied()
                .filter(|&i| {
                    let inv = &self.investigators[i as usize];
                    inv.status == Status::Working && inv.source.fills_a_post()
                })
                .min_by_key(|&i| (self.investigators[i as usize].held.len(), i));
            let Some(lender) = lender else {
                break;
            };
            self.remove_officer(sim, lender, None);
            let inv = self.add_officer(sim, team, Source::Redeployed, Some(action), false);
            self.teams[team].review_added.push((inv, donor));
        }
        self.allocate(sim, team);
    }

    // ---------------------------------------------------------------- observation
}
