//! What the KPIs are read from once a replication has ended: survival curves of the times to
//! allocation, outcome and the stage standard, waiting lists, daily backlogs and the counts
//! per group, all from the observer's sorted lists.

use caseload_model::TeamDay;

use crate::design::{Period, series_index};
use crate::measure::metric::Metric;
use crate::measure::observer::{KpiObserver, Timed, WITHDRAWN, WaitingList};
use crate::measure::survival::{KaplanMeier, Reading};

/// Picks a survival curve of a scope and, optionally, an arrival priority.
pub(crate) type CurveOf =
    for<'a, 'b> fn(&'a Finished<'b>, Option<usize>, Option<usize>) -> &'a KaplanMeier;

/// What the KPIs are computed from once a replication has ended.
pub(crate) struct Finished<'o> {
    observer: &'o KpiObserver<'o>,
    /// Times to allocation: all teams, then per team, then per arrival priority (all teams).
    allocation: Vec<KaplanMeier>,
    /// The same, of the referrals whose victims did not withdraw.
    allocation_kept: Vec<KaplanMeier>,
    /// Times to outcome: all teams, then per team, then per case type (all teams).
    outcome: Vec<KaplanMeier>,
    /// Per census (then the end), per group as `allocation`: ages sorted.
    waiting: Vec<Vec<WaitingList>>,
    /// The backlog day by day after the warm-up: all teams, then per team.
    backlogs: Vec<Vec<f64>>,
    /// Days to finishing the standard's stage over the standard: all teams, then per team.
    standard: Vec<KaplanMeier>,
    /// Times to outcome per case type and year of referral (all teams), as the observer's.
    outcome_by_year: Vec<KaplanMeier>,
}

impl<'o> Finished<'o> {
    pub(super) fn new(observer: &'o KpiObserver<'o>) -> Self {
        let teams = observer.design.model.teams.len();
        // All teams, each team, each arrival priority.
        let groups = observer.group_sizes.len();
        let group_of = |team: usize, group: u16| [0, 1 + team, 1 + teams + usize::from(group)];
        // The observations and waiting lists come sorted (once each, in `finish`).
        // Each curve is read at the follow-up (restricted means) and the allocation target.
        let reading = Reading {
            horizon: observer.design.follow_up_days(),
            by: observer.design.thresholds.allocation_target_days,
        };
        let curves = |sorted: &[Timed], sizes: &[usize], at_zero: &[usize], skip: u16| {
            let tagged = sorted
                .iter()
                .filter(|t| t.group & skip == 0)
                .map(|t| (t.key(), group_of(usize::from(t.team), t.group & !WITHDRAWN)));
            KaplanMeier::of_groups(tagged, sizes, at_zero, reading)
        };
        let kept: Vec<usize> = observer
            .group_sizes
            .iter()
            .zip(&observer.withdrawn)
            .map(|(n, w)| n - w)
            .collect();
        // Each list taken apart in order.
        let waiting = observer
            .waiting
            .iter()
            .map(|sorted| {
                let mut lists = vec![WaitingList::default(); groups];
                for case in sorted {
                    for g in group_of(case.team as usize, u16::from(case.priority)) {
                        lists[g].ages.push(case.age);
                    }
                }
                lists
            })
            .collect();
        let backlogs = std::iter::once(None)
            .chain((0..teams).map(Some))
            .map(|scope| daily(observer, scope, Metric::Unallocated).collect())
            .collect();
        Self {
            allocation: curves(
                &observer.allocation,
                &observer.group_sizes,
                &observer.allocated_at_once,
                0,
            ),
            // Without withdrawals the same curves: no second pass.
            allocation_kept: if observer.withdrawn.iter().any(|&w| w > 0) {
                curves(
                    &observer.allocation,
                    &kept,
                    &observer.allocated_at_once,
                    WITHDRAWN,
                )
            } else {
                Vec::new()
            },
            outcome: curves(&observer.outcome, &observer.type_sizes, &[], 0),
            waiting,
            backlogs,
            standard: observer
                .standard
                .iter()
                // In units of the standard: met when at most 1.
                .map(|o| {
                    o.clone().kaplan_meier(Reading {
                        horizon: 1.0,
                        by: 1.0,
                    })
                })
                .collect(),
            outcome_by_year: observer
                .outcome_by_year
                .iter()
                .map(|o| o.clone().kaplan_meier(reading))
                .collect(),
            observer,
        }
    }

    /// Times to outcome of the referrals of case type `kind` (as the scenario names them) in
    /// year `year` of the design's years (all teams), when kept.
    pub(crate) fn outcome_in_year(&self, kind: usize, year: usize) -> Option<&KaplanMeier> {
        self.outcome_by_year
            .get(kind * self.observer.design.years.len() + year)
    }

    fn group(&self, scope: Option<usize>, priority: Option<usize>) -> usize {
        match (scope, priority) {
            (_, Some(p)) => 1 + self.observer.design.model.teams.len() + p,
            (Some(t), None) => 1 + t,
            (None, None) => 0,
        }
    }

    /// Times to allocation of `scope`'s referrals (or of one arrival priority).
    pub(crate) fn allocation(&self, scope: Option<usize>, priority: Option<usize>) -> &KaplanMeier {
        &self.allocation[self.group(scope, priority)]
    }

    /// Times to allocation of `scope`'s referrals (or of one arrival priority) whose victims
    /// did not withdraw.
    pub(crate) fn allocation_kept(
        &self,
        scope: Option<usize>,
        priority: Option<usize>,
    ) -> &KaplanMeier {
        let g = self.group(scope, priority);
        self.allocation_kept.get(g).unwrap_or(&self.allocation[g])
    }

    /// Times from referral to completion of `scope`'s referrals (or of one case type's, all
    /// teams).
    pub(crate) fn outcome(&self, scope: Option<usize>, case_type: Option<usize>) -> &KaplanMeier {
        &self.outcome[self.group(scope, case_type)]
    }

    /// The harm-weighted days unallocated of `scope`'s referrals after the warm-up: each
    /// referral's days unallocated (to the horizon, or until its victim withdrew) times its
    /// case type's harm weight, summed.
    pub(crate) fn harm_weighted_days_waiting(&self, scope: Option<usize>) -> f64 {
        self.observer.harm_days[self.group(scope, None)]
    }

    /// Referrals after the warm-up of `scope` closed after their triage screen (by the
    /// end), and all its referrals after the warm-up.
    pub(crate) fn closed_at_triage(&self, scope: Option<usize>) -> (f64, f64) {
        let g = self.group(scope, None);
        (
            self.observer.closed_at_triage[g] as f64,
            self.observer.group_sizes[g] as f64,
        )
    }

    /// Referrals after the warm-up of `scope` (or of one arrival priority) whose victims
    /// withdrew support while they waited, and all its referrals after the warm-up.
    pub(crate) fn withdrawn(&self, scope: Option<usize>, priority: Option<usize>) -> (f64, f64) {
        let g = self.group(scope, priority);
        (
            self.observer.withdrawn[g] as f64,
            self.observer.group_sizes[g] as f64,
        )
    }

    /// Referrals after the warm-up of `scope` (or of one case type, all teams) completed by
    /// the end with each outcome, in [`caseload_model::Outcome::ALL`] order.
    pub(crate) fn outcomes(&self, scope: Option<usize>, case_type: Option<usize>) -> [f64; 3] {
        self.observer.outcomes[self.group(scope, case_type)].map(|n| n as f64)
    }

    /// Referrals after the warm-up of `scope` (or of one case type, all teams) completed by
    /// the end with their investigation judged, and of them those requiring improvement.
    pub(crate) fn judged(&self, scope: Option<usize>, case_type: Option<usize>) -> (f64, f64) {
        let [judged, requires] = self.observer.judged[self.group(scope, case_type)];
        (judged as f64, requires as f64)
    }

    /// The share of `scope`'s referrals after the warm-up (of case types with a stage
    /// standard) whose standard's stage finished within the standard (Kaplan-Meier).
    pub(crate) fn share_meeting_standard(&self, scope: Option<usize>) -> f64 {
        self.standard
            .get(scope.map_or(0, |t| t + 1))
            .map_or(f64::NAN, KaplanMeier::share_by)
    }

    /// The last day's value of a daily metric (NaN if it is not kept).
    pub(crate) fn last_day(&self, scope: Option<usize>, metric: Metric) -> f64 {
        daily(self.observer, scope, metric)
            .next_back()
            .unwrap_or(f64::NAN)
    }

    /// The waiting list on census `census` (`None`: the end).
    pub(crate) fn waiting_list(
        &self,
        census: Option<usize>,
        scope: Option<usize>,
        priority: Option<usize>,
    ) -> &WaitingList {
        let c = census.unwrap_or(self.observer.design.census.len());
        &self.waiting[c][self.group(scope, priority)]
    }

    /// The backlog day by day after the warm-up.
    pub(crate) fn backlog(&self, scope: Option<usize>) -> &[f64] {
        &self.backlogs[scope.map_or(0, |t| t + 1)]
    }

    /// The mean of `metric` over the days after the warm-up.
    pub(crate) fn daily_mean(&self, scope: Option<usize>, metric: Metric) -> f64 {
        let days = daily(self.observer, scope, metric);
        let n = days.len();
        days.sum::<f64>() / n as f64
    }

    /// Open-case-days over officer-days after the warm-up.
    pub(crate) fn mean_caseload(&self, scope: Option<usize>) -> f64 {
        let (open, officers) = self.observer.case_days[scope.map_or(0, |t| t + 1)];
        if officers > 0.0 {
            open / officers
        } else {
            f64::NAN
        }
    }

    fn snapshot(&self, day: u32, scope: Option<usize>) -> Option<&TeamDay> {
        let o = self.observer;
        let k = o.kept_days.binary_search(&day).ok()?;
        o.kept[k].get(scope.map_or(0, |t| t + 1))
    }

    /// How much a running total grew from the first KPI day to the horizon.
    pub(crate) fn cumulative(&self, scope: Option<usize>, total: fn(&TeamDay) -> f64) -> f64 {
        let o = self.observer;
        let first = o.design.first_kpi_day() as u32;
        let last = (o.days - 1) as u32;
        match (self.snapshot(first, scope), self.snapshot(last, scope)) {
            (Some(a), Some(b)) => total(b) - total(a),
            _ => f64::NAN,
        }
    }

    /// Hours offered less hours available over `period` (all teams).
    pub(crate) fn deficit(&self, period: &Period) -> f64 {
        let last = (self.observer.days - 1) as u32;
        let at = |d: u32| self.snapshot(d.min(last), None);
        match (at(period.start_day), at(period.end_day)) {
            (Some(a), Some(b)) => {
                (b.offered_hours_to_date - a.offered_hours_to_date)
                    - (b.available_hours_to_date - a.available_hours_to_date)
            }
            _ => f64::NAN,
        }
    }

    /// Days after the warm-up until the backlog is at most `level` from then on; `None` if
    /// it is above `level` at the end.
    pub(crate) fn recovery_day(&self, scope: Option<usize>, level: f64) -> Option<f64> {
        recovery_day(self.backlog(scope), level)
    }

    /// Days after the warm-up until the backlog first exceeds `level`; `None` if never.
    pub(crate) fn breach_day(&self, scope: Option<usize>, level: f64) -> Option<f64> {
        breach_day(self.backlog(scope), level)
    }
}

/// Day-by-day values of `metric` for `scope`, from the first KPI day to the horizon (none if
/// the metric is not kept).
fn daily<'o>(
    o: &'o KpiObserver<'_>,
    scope: Option<usize>,
    metric: Metric,
) -> impl DoubleEndedIterator<Item = f64> + ExactSizeIterator + 'o {
    let width = o.series_defs.len();
    // No days if the metric is not kept.
    let (s, days) = match series_index(&o.series_defs, scope, metric) {
        Some(s) => (s, o.design.first_kpi_day()..o.days),
        None => (0, 0..0),
    };
    days.map(move |d| f64::from(o.series[d * width + s]))
}

/// The first day of `backlog` from which it stays at most `level` to the end (0 if it never
/// exceeds it); `None` if it is above `level` on the last day.
fn recovery_day(backlog: &[f64], level: f64) -> Option<f64> {
    match backlog.iter().rposition(|&b| b > level) {
        None => Some(0.0),
        Some(i) if i + 1 < backlog.len() => Some((i + 1) as f64),
        Some(_) => None,
    }
}

/// The first day of `backlog` above `level`; `None` if never.
fn breach_day(backlog: &[f64], level: f64) -> Option<f64> {
    backlog.iter().position(|&b| b > level).map(|i| i as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovery_is_for_good_and_a_backlog_high_at_the_end_never_scores_better() {
        let level = 10.0;
        // Never formed: recovered at once.
        assert_eq!(recovery_day(&[0.0, 5.0, 10.0], level), Some(0.0));
        // Formed, dipped, rose again, recovered on day 5 for good.
        assert_eq!(
            recovery_day(&[20.0, 8.0, 30.0, 40.0, 11.0, 9.0, 3.0], level),
            Some(5.0)
        );
        // Recovered on the last day.
        assert_eq!(recovery_day(&[20.0, 30.0, 9.0], level), Some(2.0));
        // Still high at the end, though it was low for most of the run: not recovered, and
        // the KPI then takes the whole window (here 2 days), never less than any recovery.
        assert_eq!(recovery_day(&[0.0, 0.0, 50.0], level), None);
        assert_eq!(breach_day(&[0.0, 0.0, 50.0], level), Some(2.0));
        assert_eq!(breach_day(&[0.0, 10.0], level), None);
    }

    #[test]
    fn waiting_lists_count_ages_beyond_the_threshold() {
        let list = WaitingList {
            ages: vec![1.0, 5.0, 28.0, 29.0, 100.0],
        };
        assert_eq!(list.count(), 5.0);
        assert_eq!(list.age_quantile(0.5), 28.0);
        assert_eq!(list.share_older_than(28.0), 0.4);
        let empty = WaitingList::default();
        assert!(empty.age_quantile(0.5).is_nan());
        assert_eq!(empty.share_older_than(28.0), 0.0);
    }
}
