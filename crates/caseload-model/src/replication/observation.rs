//! Observation: the daily snapshot reported to the observer, and the invariants checked in
//! debug builds.

use super::*;
use crate::config::Source;

impl<O: Observer> Replication<'_, O> {
    pub(super) fn observe(&mut self, day: u32, now: SimTime) {
        self.update_queue_area(now);
        let threshold = self.config.age_threshold_days;
        let mut total = TeamDay::default();
        let mut working_officers = 0u32;
        for (t, team) in self.teams.iter_mut().enumerate() {
            team.accrue_cost(now);
            let ages = &mut self.scratch_ages;
            let arrivals = [team.queue.arrivals()];
            let mut day_state = TeamDay {
                unallocated: team.queue.len() as u32,
                waiting_older_than_threshold: arrivals[0].older_than(now, threshold),
                waiting_age_median: age_quantile(&arrivals, now, 0.5, ages),
                waiting_age_p90: age_quantile(&arrivals, now, 0.9, ages),
                cost_to_date: team.cost,
                worked_hours_to_date: team.departed_worked_hours,
                available_hours_to_date: {
                    team.accrue_available(now);
                    team.available_hours
                },
                offered_hours_to_date: team.offered_hours,
                arrived: team.arrived,
                allocated: team.allocated,
                completed: team.completed,
                withdrawn: team.withdrawn,
                closed_at_triage: team.closed_at_triage,
                requires_improvement: team.requires_improvement,
                outcomes: team.outcomes,
                unallocated_hours: self.weighed.as_ref().map_or(0.0, |w| w.hours(t)),
                harm_weighted_backlog: self.weighed.as_ref().map_or(0.0, |w| w.harm(t)),
                ..TeamDay::default()
            };
            let mut at_work = 0u32;
            for &i in &team.officers {
                let inv = &self.investigators[i as usize];
                // `overstaff` counts the officers an overstaff action posted above the
                // establishment; a recruit a panel brought in ahead of leavers who have not yet
                // left is counted with the posts it was recruited to.
                let shown = match (inv.source, inv.action) {
                    (Source::Overstaff, None) => Source::Establishment,
                    (source, _) => source,
                };
                day_state.officers_by_source[shown.index()] += 1;
                let held = inv.held.len() as u32;
                day_state.open += held;
                day_state.worked_hours_to_date += inv.worked_hours(now);
                if inv.status == Status::Working {
                    at_work += 1;
                    day_state.available_hours_per_day += inv.rate();
                    day_state.max_caseload = day_state.max_caseload.max(held);
                } else {
                    day_state.in_training += 1;
                }
            }
            day_state.at_work = at_work;
            day_state.mean_caseload = if at_work > 0 {
                f64::from(day_state.open) / f64::from(at_work)
            } else {
                0.0
            };
            working_officers += at_work;
            total.unallocated += day_state.unallocated;
            total.open += day_state.open;
            total.waiting_older_than_threshold += day_state.waiting_older_than_threshold;
            total.max_caseload = total.max_caseload.max(day_state.max_caseload);
            for s in 0..Source::ALL.len() {
                total.officers_by_source[s] += day_state.officers_by_source[s];
            }
            total.in_training += day_state.in_training;
            total.available_hours_per_day += day_state.available_hours_per_day;
            total.cost_to_date += day_state.cost_to_date;
            total.worked_hours_to_date += day_state.worked_hours_to_date;
            total.available_hours_to_date += day_state.available_hours_to_date;
            total.arrived += day_state.arrived;
            total.allocated += day_state.allocated;
            total.completed += day_state.completed;
            total.withdrawn += day_state.withdrawn;
            total.closed_at_triage += day_state.closed_at_triage;
            total.requires_improvement += day_state.requires_improvement;
            for (t, d) in total.outcomes.iter_mut().zip(day_state.outcomes) {
                *t += d;
            }
            total.offered_hours_to_date += day_state.offered_hours_to_date;
            total.unallocated_hours += day_state.unallocated_hours;
            total.harm_weighted_backlog += day_state.harm_weighted_backlog;
            self.team_days[t] = day_state;
        }
        total.at_work = working_officers;
        total.mean_caseload = if working_officers > 0 {
            f64::from(total.open) / f64::from(working_officers)
        } else {
            0.0
        };
        if self.config.case_types.iter().any(|t| t.standard.is_some()) {
            for case in self.cases.iter() {
                let Some(s) = self.config.case_types[case.case_type].standard else {
                    continue;
                };
                if case.stage as usize <= s.stage && now - case.arrival > s.days {
                    self.team_days[case.team].overdue += 1;
                    total.overdue += 1;
                }
            }
        }
        let all: Vec<&WaitingAges> = self.teams.iter().map(|t| t.queue.arrivals()).collect();
        total.waiting_age_median = age_quantile(&all, now, 0.5, &mut self.scratch_ages);
        total.waiting_age_p90 = age_quantile(&all, now, 0.9, &mut self.scratch_ages);
        #[cfg(debug_assertions)]
        self.check_invariants(&total);
        self.observer.day(&DaySnapshot {
            day,
            teams: &self.team_days,
            total: &total,
            arrived: self.arrived,
            completed: self.completed,
            waiting_by_priority: self.weighed.as_ref().map_or(&[], |w| w.by_priority()),
            waiting_by_type: self.weighed.as_ref().map_or(&[], |w| w.by_type()),
        });
        if self.observer.census_day(day) {
            for case in self.cases.iter().filter(|c| c.holder.is_none()) {
                self.observer.waiting_case(day, &case.record(now, None));
            }
        }
    }

    /// Slot counters and case counts agree with a recount (debug builds).
    #[cfg(debug_assertions)]
    pub(super) fn check_invariants(&self, total: &TeamDay) {
        for (t, team) in self.teams.iter().enumerate() {
            assert_eq!(
                team.queue.arrivals().len() as usize,
                team.queue.len(),
                "the referral-time index holds exactly the waiting cases"
            );
            let (mut general, mut historic) = (0, 0);
            for (position, &i) in team.officers.iter().enumerate() {
                let inv = &self.investigators[i as usize];
                assert_eq!(inv.position, position, "officer position drifted");
                let load = if inv.restricted {
                    team.restricted_load[position]
                } else {
                    team.general_load[position]
                };
                assert_eq!(load, inv.load(), "officer load drifted");
                if inv.status == Status::Working {
                    let free = inv.cap - inv.held.len() as u32;
                    if inv.restricted {
                        historic += free;
                    } else {
                        general += free;
                    }
                }
            }
            assert_eq!(team.free_general_slots, general, "free slot count drifted");
            if let Some(weighed) = &self.weighed {
                let waiting: Vec<&Case> = team
                    .queue
                    .iter()
                    .map(|(_, id)| self.cases.get(id))
                    .collect();
                let hours: f64 = waiting
                    .iter()
                    .map(|c| weighed::work_left(self.config, c))
                    .sum();
                assert!(
                    (weighed.hours(t) - hours).abs() <= 1e-6 * hours.max(1.0),
                    "waiting hours drifted: {} against {hours}",
                    weighed.hours(t)
                );
                let levels = weighed.by_priority().len() / self.teams.len();
                for p in 0..levels {
                    let counted = waiting
                        .iter()
                        .filter(|c| usize::from(c.priority) == p)
                        .count();
                    assert_eq!(
                        weighed.by_priority()[t * levels + p] as usize,
                        counted,
                        "waiting cases by priority drifted"
                    );
                }
            }
            assert_eq!(
                team.free_restricted_slots, historic,
                "free slot count drifted"
            );
        }
        for pool in &self.pools {
            assert_eq!(
                pool.free_slots,
                self.counted_free_slots(&pool.members),
                "a pool's free slot count drifted"
            );
        }
        let live = self.cases.iter().count() as u64;
        assert_eq!(
            live,
            u64::from(total.unallocated) + u64::from(total.open),
            "every live case is waiting or open"
        );
        assert_eq!(
            self.arrived,
            live + self.completed + self.withdrawn,
            "no case lost"
        );
    }
}
