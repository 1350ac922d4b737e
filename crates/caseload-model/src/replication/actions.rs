//! Staffing actions starting and ending: transfers, attachments, agency staff, posts, hours
//! and caseload limits, historic cases moved, daily and monthly reviews.

use super::*;

impl<O: Observer> Replication<'_, O> {
    pub(super) fn on_action(&mut self, sim: &mut Simulation<Event>, action: usize, starting: bool) {
        let now = sim.now();
        let sign = if starting { 1.0 } else { -1.0 };
        let config = self.config;
        match &config.actions[action].kind {
            ActionKind::Overstaff { team, officers } => {
                // The select list is posted on the date, above establishment, and the panels
                // keep the team at establishment + overstaff while the action lasts.
                let t = &mut self.teams[*team];
                t.overstaff = step_count(t.overstaff, *officers, starting);
                if starting {
                    for _ in 0..*officers {
                        self.add_officer(sim, *team, Source::Overstaff, Some(action), true);
                    }
                    self.allocate(sim, *team);
                }
            }
            ActionKind::Recruitment {
                team,
                posts,
                in_post,
            } => {
                let t = &mut self.teams[*team];
                t.establishment = step_count(t.establishment, *posts, starting);
                if starting && *in_post {
                    for _ in 0..*posts {
                        self.add_officer(sim, *team, Source::Establishment, Some(action), true);
                    }
                    self.allocate(sim, *team);
                }
            }
            ActionKind::Transfer { team, officers } => {
                // The posts move with the officers: a permanent increase of the establishment,
                // so panels replace the transferred officers who leave.
                if starting {
                    self.teams[*team].establishment += officers;
                    for _ in 0..*officers {
                        self.add_officer(sim, *team, Source::Transfer, Some(action), true);
                    }
                    self.allocate(sim, *team);
                }
            }
            ActionKind::Attachment { team, officers, .. } => {
                self.contract(sim, action, *team, *officers, Source::Attachment, starting);
            }
            ActionKind::Agency {
                team,
                investigators,
                ..
            } => {
                self.contract(sim, action, *team, *investigators, Source::Agency, starting);
            }
            ActionKind::FlexibleHours {
                team,
                hours_per_year,
            } => {
                self.teams[*team].flexible_hours_per_year += sign * hours_per_year;
                self.refresh_rates(sim, *team);
            }
            ActionKind::Training {
                team,
                officers,
                share,
                days_away,
                at_once,
            } => {
                if !starting {
                    return;
                }
                // Those at work on the start day, in the team's order; cohorts back to back.
                let at_work: Vec<u32> = self.teams[*team]
                    .officers
                    .iter()
                    .copied()
                    .filter(|&i| self.investigators[i as usize].status == Status::Working)
                    .collect();
                let attending = officers.map_or_else(
                    || (share * at_work.len() as f64).round() as usize,
                    |n| (n as usize).min(at_work.len()),
                );
                let window = config.actions[action]
                    .end_day
                    .map_or(*days_away, |end| end - now);
                let cohorts = if *at_once {
                    1
                } else {
                    ((window / days_away).floor() as usize).max(1)
                };
                // The first cohort goes now, so the day's snapshot shows it away; the later
                // ones, scheduled now, come before the observations of their days.
                for (j, &inv) in at_work.iter().take(attending).enumerate() {
                    let cohort = j % cohorts;
                    if cohort == 0 {
                        self.on_training_away(sim, inv, action);
                    } else {
                        sim.schedule(
                            now + cohort as f64 * days_away,
                            Event::TrainingAway {
                                investigator: inv,
                                action: action as u32,
                            },
                        );
                    }
                }
            }
            ActionKind::RingFence { team } => {
                let t = &mut self.teams[*team];
                t.ring_fences = step_count(t.ring_fences, 1, starting);
                self.refresh_rates(sim, *team);
            }
            ActionKind::ReassignHistoric {
                from_teams,
                to_team,
                include_queued,
                complex_share,
            } => {
                let from: Vec<TeamId> = if from_teams.is_empty() {
                    (0..self.teams.len()).filter(|t| t != to_team).collect()
                } else {
                    from_teams.clone()
                };
                for &t in &from {
                    self.teams[t].historic_route = starting.then_some((*to_team, *complex_share));
                }
                if starting && *include_queued {
                    for &t in &from {
                        self.move_queued_historic(t, *to_team, *complex_share);
                    }
                    self.allocate(sim, *to_team);
                }
            }
            ActionKind::DailyReview { teams } => {
                if starting {
                    self.daily_reviews.push(action);
                } else {
                    self.daily_reviews.retain(|&a| a != action);
                }
                self.rebuild_pools();
                for &t in teams {
                    self.allocate(sim, t);
                }
            }
            ActionKind::MonthlyReview { .. } => {
                if starting {
                    sim.schedule(
                        now + MONTH_DAYS,
                        Event::MonthlyReview {
                            action: action as u32,
                        },
                    );
                    let teams = config.actions[action].kind.teams();
                    for t in teams {
                        self.teams[t].arrivals_since_review = 0;
                        self.teams[t].completions_since_review = 0;
                    }
                }
            }
        }
    }

    /// Officers on a fixed-term action (attachment, agency) join at its start and leave at its
    /// end, their cases returning to the queue.
    pub(super) fn contract(
        &mut self,
        sim: &mut Simulation<Event>,
        action: usize,
        team: TeamId,
        officers: u32,
        source: Source,
        starting: bool,
    ) {
        if starting {
            for _ in 0..officers {
                self.add_officer(sim, team, source, Some(action), false);
            }
            self.allocate(sim, team);
        } else {
            let leaving: Vec<u32> = self.teams[team]
                .officers
                .iter()
                .copied()
                .filter(|&i| self.investigators[i as usize].action == Some(action))
                .collect();
            let on_end = self.config.actions[action].bounds.on_end;
            for inv in leaving {
                match on_end {
                    OnEnd::Return => self.remove_officer(sim, inv, None),
                    OnEnd::HandTo(to) => self.remove_officer(sim, inv, Some(to)),
                    OnEnd::Keep => self.wind_down(inv, sim),
                }
            }
        }
    }

    /// An officer whose action has ended keeps the cases they hold until done and takes no
    /// more; one holding none leaves now.
    fn wind_down(&mut self, inv: u32, sim: &mut Simulation<Event>) {
        let officer = &mut self.investigators[inv as usize];
        if officer.held.is_empty() {
            self.remove_officer(sim, inv, None);
            return;
        }
        let held = officer.held.len() as u32;
        if officer.status == Status::Working {
            let free = officer.cap - held;
            let (team, restricted) = (officer.team, officer.restricted);
            self.close_slots(team, restricted, free);
        }
        let officer = &mut self.investigators[inv as usize];
        officer.winding_down = true;
        officer.cap = held;
        officer.full_cap = held;
        let (team, restricted, position, load) = (
            officer.team,
            officer.restricted,
            officer.position,
            officer.load(),
        );
        self.teams[team].set_load(position, restricted, load);
    }

    /// Moves the waiting historic cases of `from` that are complex for `complex_share` to `to`.
    pub(super) fn move_queued_historic(&mut self, from: TeamId, to: TeamId, complex_share: f64) {
        // In queue order, so they join the other team's runs in order.
        let mut moving: Vec<(QueueKey, CaseSlot)> = self.teams[from]
            .queue
            .iter()
            .filter(|&(_, id)| {
                let case = self.cases.get(id);
                case.historic && f64::from(case.complexity) < complex_share
            })
            .collect();
        moving.sort_unstable();
        for (key, case_id) in moving {
            if let Some(weighed) = &mut self.weighed {
                weighed.count(self.config, self.cases.get(case_id), false);
            }
            let case = self.cases.get_mut(case_id);
            case.team = to;
            if let Some(weighed) = &mut self.weighed {
                weighed.count(self.config, case, true);
            }
            let case_type = case.case_type;
            self.teams[from].queue.remove(&key, case_type);
            self.teams[from].queued_historic -= 1;
            self.teams[to].queue.insert(key, case_type, case_id);
            self.teams[to].queued_historic += 1;
        }
    }

    /// Pools are the connected groups of teams named by the daily reviews in force.
    pub(super) fn rebuild_pools(&mut self) {
        for team in &mut self.teams {
            team.pool = None;
        }
        self.pools.clear();
        for &action in &self.daily_reviews {
            let ActionKind::DailyReview { teams } = &self.config.actions[action].kind else {
                continue;
            };
            // Merge every existing pool that shares a team with this review.
            let mut members: Vec<TeamId> = teams.clone();
            let touching: Vec<usize> = teams.iter().filter_map(|&t| self.teams[t].pool).collect();
            for p in touching {
                members.append(&mut self.pools[p].members);
            }
            members.sort_unstable();
            members.dedup();
            let id = self.pools.len();
            for &t in &members {
                self.teams[t].pool = Some(id);
            }
            self.pools.push(Pool {
                members,
                free_slots: [0; 2],
            });
        }
        // Pools merged into later ones are left empty: no team is in them.
        for p in 0..self.pools.len() {
            self.pools[p].free_slots = self.counted_free_slots(&self.pools[p].members);
        }
    }

    pub(super) fn on_monthly_review(&mut self, sim: &mut Simulation<Event>, action: usize) {
        let now = sim.now();
        let config = self.config;
        let spec = &config.actions[action];
        let ActionKind::MonthlyReview {
            teams,
            target_caseload,
            max_extra_officers,
            posting_lag_days,
            ..
        } = &spec.kind
        else {
            unreachable!("monthly reviews come from monthly_review actions");
        };
        if spec.end_day.is_some_and(|end| now >= end) {
            return;
        }
        for &team in teams {
            let t = &self.teams[team];
            let at_work: Vec<u32> = t
                .officers
                .iter()
                .copied()
                .filter(|&i| self.investigators[i as usize].status == Status::Working)
                .collect();
            let held: usize = at_work
                .iter()
                .map(|&i| self.investigators[i as usize].held.len())
                .sum();
            // Demand trend: the last month's net inflow, continued over the posting lag.
            let net_inflow =
                f64::from(t.arrivals_since_review) - f64::from(t.completions_since_review);
            let projected =
                (held + t.queue.len()) as f64 + net_inflow * posting_lag_days / MONTH_DAYS;
            let required = (projected.max(0.0) / target_caseload).ceil() as i64;
            let have = at_work.len() as i64 + i64::from(t.review_pending);
            let delta = required - have;
            let extra_now = t.review_added.len() as i64 + i64::from(t.review_pending);
            if delta > 0 {
                let room = i64::from(*max_extra_officers) - extra_now;
                let add = delta.min(room).max(0) as u32;
                if add > 0 {
                    self.teams[team].review_pending += add;
                    sim.schedule_in(
                        *posting_lag_days,
                        Event::ReviewPosting {
                            team: team as u32,
                            officers: add,
                            action: action as u32,
                        },
                    );
                }
            } else if delta < 0 {
                // The most recently redeployed officers return to their teams first.
                let release = (-delta).min(t.review_added.len() as i64) as usize;
                let leaving: Vec<(u32, TeamId)> =
                    t.review_added.iter().rev().take(release).copied().collect();
                for (inv, home) in leaving {
                    self.remove_officer(sim, inv, None);
                    self.add_officer(sim, home, Source::Establishment, None, false);
                    self.allocate(sim, home);
                }
            }
            let t = &mut self.teams[team];
            t.arrivals_since_review = 0;
            t.completions_since_review = 0;
        }
        sim.schedule_in(
            MONTH_DAYS,
            Event::MonthlyReview {
                action: action as u32,
            },
        );
    }
}
