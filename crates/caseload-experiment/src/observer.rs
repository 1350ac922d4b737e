//! The observer that turns one replication into a [`ReplicationResult`]: the daily series
//! for bands, and what the KPIs need (times to allocation and outcome, waiting lists on
//! census days and at the end, a few days' snapshots).

use std::cell::{Cell, RefCell};

use caseload_model::{CaseRecord, DaySnapshot, Observer, Priority, TeamDay};

use crate::kpi::{Design, Period, ReplicationResult, SeriesDef, build, series_index};
use crate::metric::Metric;
use crate::sort::{KeyRange, sort_by_key};
use crate::stats::quantile_sorted;
use crate::survival::{KaplanMeier, Reading};

/// One referral's time to an event, with its team and group: 12 bytes (the key's
/// halves as two 32-bit words, so the record needs no 8-byte alignment). A replication writes
/// two lists of them; a quarter less than 16-byte records is a quarter less memory the lists
/// take from the model's data in the caches while they are written, and a quarter less for the
/// sort to move.
#[derive(Debug, Clone, Copy)]
struct Timed {
    /// The key's low and high 32 bits.
    key: [u32; 2],
    /// Team index (at most [`crate::limits::MAX_TEAMS_OR_CASE_TYPES`], checked before a run).
    team: u16,
    /// Arrival priority's index (allocation) or case type's (outcome), as [`Design`] orders them.
    group: u16,
}

impl Timed {
    fn new(key: u64, team: u16, group: u16) -> Self {
        Timed {
            key: [key as u32, (key >> 32) as u32],
            team,
            group,
        }
    }

    #[inline]
    fn key(&self) -> u64 {
        u64::from(self.key[0]) | (u64::from(self.key[1]) << 32)
    }
}

/// A case waiting on a census day or at the end.
#[derive(Debug, Clone, Copy)]
struct Waiting {
    /// Days since its referral.
    age: f64,
    team: u32,
    /// Arrival priority's index, as [`Design`] orders them.
    priority: u8,
}

impl Waiting {
    /// The age's bits in the order of the ages (`f64::total_cmp`'s: sign flipped for positive
    /// numbers, all bits for negative ones).
    fn age_key(&self) -> u64 {
        let bits = self.age.to_bits();
        if bits >> 63 == 0 {
            bits | 1 << 63
        } else {
            !bits
        }
    }
}

thread_local! {
    /// The observation lists of this thread's last replication, kept for its next one. A
    /// replication writes two lists of 12 bytes per referral (5 MB for ten London years), and
    /// memory fresh from the system costs a page fault per 4 KiB written: reusing the lists
    /// saves about 2 % of a replication's time, for at most two lists held per thread.
    static SPARE_LISTS: RefCell<Vec<Vec<Timed>>> = const { RefCell::new(Vec::new()) };
    /// The room the lists are sorted in, kept with its contents (a sort overwrites them).
    static SCRATCH: Cell<Vec<Timed>> = const { Cell::new(Vec::new()) };
}

/// An empty vector with room for about `n` observations if the memory can be had (a
/// reservation is only a speed-up: it fails quietly, and the vector grows as it must): a
/// spare list of this thread's if it has one.
fn reserved(n: usize) -> Vec<Timed> {
    let mut v = SPARE_LISTS.with_borrow_mut(Vec::pop).unwrap_or_default();
    v.clear();
    let _ = v.try_reserve_exact(n.min(1 << 24));
    v
}

/// Keeps `list` for this thread's next replication (at most two are kept).
fn spare(list: Vec<Timed>) {
    SPARE_LISTS.with_borrow_mut(|lists| {
        if lists.len() < 2 {
            lists.push(list);
        }
    });
}

/// Counts of one team's referrals after the warm-up with one arrival priority.
#[derive(Debug, Clone, Copy, Default)]
struct PriorityCounts {
    referrals: usize,
    withdrawn: usize,
    closed_at_triage: usize,
    allocated_at_once: usize,
    /// Harm weight times days unallocated (to the horizon), summed.
    harm_days: f64,
}

/// Counts of one team's referrals after the warm-up of one case type name.
#[derive(Debug, Clone, Copy, Default)]
struct TypeCounts {
    referrals: usize,
    /// Completed with each outcome.
    outcomes: [usize; 3],
    /// Completed investigations judged, and of them those requiring improvement.
    judged: [usize; 2],
}

/// The cases waiting on one day: (age in days, team, priority index).
#[derive(Debug, Clone, Default)]
pub(crate) struct WaitingList {
    ages: Vec<f64>,
}

impl WaitingList {
    /// Cases waiting.
    pub(crate) fn count(&self) -> f64 {
        self.ages.len() as f64
    }

    /// The `q` quantile (type 7) of their ages; NaN if none wait.
    pub(crate) fn age_quantile(&self, q: f64) -> f64 {
        quantile_sorted(&self.ages, q)
    }

    /// The share of them older than `days`; 0 if none wait.
    pub(crate) fn share_older_than(&self, days: f64) -> f64 {
        if self.ages.is_empty() {
            return 0.0;
        }
        let older = self.ages.len() - self.ages.partition_point(|&a| a <= days);
        older as f64 / self.ages.len() as f64
    }
}

/// The observer of one replication.
pub(crate) struct KpiObserver<'a> {
    design: &'a Design,
    series_defs: Vec<SeriesDef>,
    days: usize,
    series: Vec<f32>,
    /// Each arrival priority's index among the scenario's, ascending (0 for one no case type
    /// arrives with).
    priority_indices: [u8; 256],
    previous: Option<(TeamDay, Vec<TeamDay>)>,
    /// Times to allocation, but for referrals allocated on arrival (`allocated_at_once`).
    allocation: Vec<Timed>,
    outcome: Vec<Timed>,
    /// The range of each list's keys.
    allocation_keys: KeyRange,
    outcome_keys: KeyRange,
    /// Counts of the referrals after the warm-up per team and arrival priority (team-major),
    /// as they come: one place to count each referral in, summed into groups at the end.
    priority_cells: Vec<PriorityCounts>,
    /// The same per team and case type name.
    type_cells: Vec<TypeCounts>,
    /// Referrals after the warm-up per group (all teams, each team, each arrival priority):
    /// summed from the cells at the end.
    group_sizes: Vec<usize>,
    /// Of them, those allocated on arrival (no day unallocated): a quarter or more in
    /// London, counted rather than listed and sorted.
    allocated_at_once: Vec<usize>,
    /// The same, with each case type in place of each priority.
    type_sizes: Vec<usize>,
    /// Referrals after the warm-up withdrawn while waiting, per group as `group_sizes`.
    withdrawn: Vec<usize>,
    /// Referrals after the warm-up closed after their triage screen, per group as
    /// `group_sizes`.
    closed_at_triage: Vec<usize>,
    /// Harm weight times days unallocated of the referrals after the warm-up, per group as
    /// `group_sizes`.
    harm_days: Vec<f64>,
    /// Referrals after the warm-up completed with each outcome, per group as `type_sizes`.
    outcomes: Vec<[usize; 3]>,
    /// Referrals after the warm-up completed by the end with their investigation judged, and
    /// of them those requiring improvement, per group as `type_sizes`.
    judged: Vec<[usize; 2]>,
    /// Each model case type's index among the scenario's case type names.
    type_groups: Vec<u16>,
    /// Per census (then the end): each waiting case.
    waiting: Vec<Vec<Waiting>>,
    /// Days whose snapshots the KPIs read, ascending, and the snapshots (all, then teams).
    kept_days: Vec<u32>,
    kept: Vec<Vec<TeamDay>>,
    /// Per scope: open-case-days and officer-days (officers at work) after the warm-up.
    case_days: Vec<(f64, f64)>,
    cases: Vec<CaseRecord>,
    requeues: Vec<(u64, f64)>,
    /// The optional daily metrics kept, after [`Metric::ALL`].
    optional_metrics: Vec<Metric>,
    /// Per group as `group_sizes`: each referral's days to finishing its standard's stage
    /// over the standard's days (met at most 1), censored at the end if not finished.
    standard: Vec<crate::survival::Observations>,
}

impl<'a> KpiObserver<'a> {
    /// Cases waiting in `scope` (0: all teams, `t + 1`: team `t`) at a priority level or of
    /// a case type (as the scenario names it), from the snapshot's counts.
    fn waiting_count(
        type_groups: &[u16],
        snapshot: &DaySnapshot<'_>,
        scope: usize,
        metric: Metric,
    ) -> f32 {
        let teams = snapshot.teams.len();
        let in_scope = |t: usize| scope == 0 || scope == t + 1;
        let counts = match metric {
            Metric::UnallocatedAtPriority(_) => snapshot.waiting_by_priority,
            _ => snapshot.waiting_by_type,
        };
        let width = counts.len() / teams.max(1);
        let mut n = 0u32;
        for (t, row) in counts.chunks_exact(width.max(1)).enumerate() {
            if !in_scope(t) {
                continue;
            }
            n += match metric {
                Metric::UnallocatedAtPriority(p) => row.get(usize::from(p)).copied().unwrap_or(0),
                Metric::UnallocatedOfType(g) => row
                    .iter()
                    .zip(type_groups)
                    .filter(|&(_, &group)| group == g)
                    .map(|(&c, _)| c)
                    .sum(),
                _ => 0,
            };
        }
        n as f32
    }

    pub(crate) fn new(design: &'a Design) -> Self {
        let days = design.days();
        let series_defs = design.series();
        let mut kept_days = vec![design.first_kpi_day() as u32, (days - 1) as u32];
        for p in &design.years {
            kept_days.extend([p.start_day, p.end_day]);
        }
        kept_days.retain(|&d| (d as usize) < days);
        kept_days.sort_unstable();
        kept_days.dedup();
        let scopes = design.model.teams.len() + 1;
        let priorities = design.priorities();
        let mut priority_indices = [0; 256];
        for (i, &p) in priorities.iter().enumerate() {
            priority_indices[usize::from(p)] = i as u8;
        }
        let priority_groups = scopes + priorities.len();
        let type_groups = scopes + design.case_type_names().len();
        Self {
            design,
            series: vec![f32::NAN; series_defs.len() * days],
            series_defs,
            days,
            priority_indices,
            previous: None,
            allocation: reserved(design.expected_referrals()),
            outcome: reserved(design.expected_referrals()),
            allocation_keys: KeyRange::EMPTY,
            outcome_keys: KeyRange::EMPTY,
            priority_cells: vec![PriorityCounts::default(); (scopes - 1) * priorities.len()],
            type_cells: vec![TypeCounts::default(); (scopes - 1) * design.case_type_names().len()],
            group_sizes: vec![0; priority_groups],
            allocated_at_once: vec![0; priority_groups],
            withdrawn: vec![0; priority_groups],
            closed_at_triage: vec![0; priority_groups],
            harm_days: vec![0.0; priority_groups],
            outcomes: vec![[0; 3]; type_groups],
            judged: vec![[0; 2]; type_groups],
            type_sizes: vec![0; type_groups],
            type_groups: design.case_type_groups(),
            waiting: vec![Vec::new(); design.census.len() + 1],
            kept: vec![Vec::new(); kept_days.len()],
            kept_days,
            case_days: vec![(0.0, 0.0); scopes],
            cases: Vec::new(),
            requeues: Vec::new(),
            optional_metrics: design.metrics()[Metric::ALL.len()..].to_vec(),
            standard: vec![
                crate::survival::Observations::new();
                if design.model.case_types.iter().any(|t| t.standard.is_some()) {
                    1 + design.model.teams.len()
                } else {
                    0
                }
            ],
        }
    }

    fn priority_index(&self, p: Priority) -> u8 {
        self.priority_indices[usize::from(p)]
    }

    /// Every case is handed over exactly once at its end or the horizon.
    fn record(&mut self, case: &CaseRecord) {
        let horizon = self.design.model.horizon_days;
        if case.arrival_day >= self.design.warmup_days {
            let team = case.team as u16;
            let priority = self.priority_index(case.arrival_priority);
            let allocated = case.officer.is_some() || case.completed_day.is_some();
            let priorities = self.group_sizes.len() - 1 - self.design.model.teams.len();
            let cell = &mut self.priority_cells[case.team * priorities + usize::from(priority)];
            cell.referrals += 1;
            cell.closed_at_triage += usize::from(case.closed_at_triage);
            cell.harm_days +=
                self.design.model.case_types[case.case_type].harm_weight * case.unallocated_days;
            // A withdrawn referral is never allocated: observed, without allocation, to the
            // horizon (so the curve estimates the share allocated within each time, counting
            // withdrawn referrals as never allocated).
            let unallocated = match case.withdrawn_day {
                Some(day) => {
                    cell.withdrawn += 1;
                    case.unallocated_days + (horizon - day)
                }
                None => case.unallocated_days,
            };
            if !self.standard.is_empty()
                && let Some(s) = self.design.model.case_types[case.case_type].standard
            {
                // In units of the standard: met when at most 1.
                let (time, done) = match case.standard_day {
                    Some(d) => ((d - case.arrival_day) / s.days, true),
                    None => ((horizon - case.arrival_day) / s.days, false),
                };
                for g in [0, 1 + case.team] {
                    if done {
                        self.standard[g].event(time);
                    } else {
                        self.standard[g].censored(time);
                    }
                }
            }
            let kind = self.type_groups.get(case.case_type).copied().unwrap_or(0);
            let types = self.type_sizes.len() - 1 - self.design.model.teams.len();
            let cell = &mut self.type_cells[case.team * types + usize::from(kind)];
            cell.referrals += 1;
            if let Some(outcome) = case.outcome {
                cell.outcomes[outcome.index()] += 1;
            }
            if let Some(requires) = case.requires_improvement {
                cell.judged[0] += 1;
                cell.judged[1] += usize::from(requires);
            }
            let key = crate::survival::sort_key(unallocated, allocated);
            if key == 0 {
                self.priority_cells[case.team * priorities + usize::from(priority)]
                    .allocated_at_once += 1;
            } else {
                self.allocation_keys.include(key);
                self.allocation
                    .push(Timed::new(key, team, u16::from(priority)));
            }
            let (time, done) = match case.completed_day {
                Some(d) => (d - case.arrival_day, true),
                None => (horizon - case.arrival_day, false),
            };
            let key = crate::survival::sort_key(time, done);
            self.outcome_keys.include(key);
            self.outcome.push(Timed::new(key, team, kind));
        }
        if self.design.keep_cases {
            self.cases.push(case.clone());
        }
    }

    /// Sums the cells into the groups: all teams, each team, then each priority or case type.
    fn count_groups(&mut self) {
        let teams = self.design.model.teams.len();
        let priorities = self.group_sizes.len() - 1 - teams;
        for (i, cell) in self.priority_cells.iter().enumerate() {
            for g in [0, 1 + i / priorities, 1 + teams + i % priorities] {
                self.group_sizes[g] += cell.referrals;
                self.withdrawn[g] += cell.withdrawn;
                self.closed_at_triage[g] += cell.closed_at_triage;
                self.harm_days[g] += cell.harm_days;
                self.allocated_at_once[g] += cell.allocated_at_once;
            }
        }
        let types = self.type_sizes.len() - 1 - teams;
        for (i, cell) in self.type_cells.iter().enumerate() {
            for g in [0, 1 + i / types, 1 + teams + i % types] {
                self.type_sizes[g] += cell.referrals;
                for (sum, n) in self.outcomes[g].iter_mut().zip(cell.outcomes) {
                    *sum += n;
                }
                for (sum, n) in self.judged[g].iter_mut().zip(cell.judged) {
                    *sum += n;
                }
            }
        }
    }

    pub(crate) fn finish(mut self, events: u64) -> ReplicationResult {
        self.count_groups();
        // The order of equal keys does not change a curve, nor equal ages a waiting list.
        let mut scratch = SCRATCH.take();
        let by_key = |t: &Timed| t.key();
        sort_by_key(
            &mut self.allocation,
            &mut scratch,
            by_key,
            self.allocation_keys,
        );
        sort_by_key(&mut self.outcome, &mut scratch, by_key, self.outcome_keys);
        SCRATCH.set(scratch);
        let mut scratch = Vec::new();
        for list in &mut self.waiting {
            let range = KeyRange::of(list.iter().map(Waiting::age_key));
            sort_by_key(list, &mut scratch, Waiting::age_key, range);
        }
        let mut values = Vec::new();
        let finished = Finished::new(&self);
        build(self.design, Some(&finished), &mut |_, v| values.push(v));
        drop(finished);
        spare(std::mem::take(&mut self.allocation));
        spare(std::mem::take(&mut self.outcome));
        ReplicationResult {
            kpis: values,
            series: self.series,
            cases: self.cases,
            requeues: self.requeues,
            events,
        }
    }
}

impl Observer for KpiObserver<'_> {
    fn backlog_weighed(&self) -> bool {
        self.design.weighed_backlog
    }

    fn case_completed(&mut self, case: &CaseRecord) {
        self.record(case);
    }

    fn case_withdrawn(&mut self, case: &CaseRecord) {
        self.record(case);
    }

    fn case_unfinished(&mut self, case: &CaseRecord) {
        if case.waiting() {
            let age = self.design.model.horizon_days - case.arrival_day;
            let p = self.priority_index(case.arrival_priority);
            let end = self.design.census.len();
            self.waiting[end].push(Waiting {
                age,
                team: case.team as u32,
                priority: p,
            });
        }
        self.record(case);
    }

    fn case_requeued(&mut self, case: &CaseRecord, day: f64) {
        if self.design.keep_cases {
            self.requeues.push((case.id, day));
        }
    }

    fn census_day(&mut self, day: u32) -> bool {
        self.design.census.iter().any(|c| c.day == day)
    }

    fn waiting_case(&mut self, day: u32, case: &CaseRecord) {
        let p = self.priority_index(case.arrival_priority);
        let entry = Waiting {
            age: f64::from(day) - case.arrival_day,
            team: case.team as u32,
            priority: p,
        };
        for (i, c) in self.design.census.iter().enumerate() {
            if c.day == day {
                self.waiting[i].push(entry);
            }
        }
    }

    fn day(&mut self, snapshot: &DaySnapshot<'_>) {
        let d = snapshot.day as usize;
        if d >= self.days {
            return;
        }
        let width = self.series_defs.len();
        let row = &mut self.series[d * width..(d + 1) * width];
        let before = self.previous.as_ref();
        let scopes = std::iter::once((snapshot.total, before.map(|b| &b.0))).chain(
            snapshot
                .teams
                .iter()
                .enumerate()
                .map(|(t, day)| (day, before.map(|b| &b.1[t]))),
        );
        let all = Metric::ALL.len();
        let per_scope = width / (snapshot.teams.len() + 1);
        let mut cells = row.chunks_exact_mut(per_scope);
        for (scope, ((day, before), cells)) in scopes.zip(&mut cells).enumerate() {
            cells[..all].copy_from_slice(&crate::metric::day_row(day, before));
            for (cell, &metric) in cells[all..].iter_mut().zip(&self.optional_metrics) {
                *cell = match metric {
                    Metric::UnallocatedAtPriority(_) | Metric::UnallocatedOfType(_) => {
                        Self::waiting_count(&self.type_groups, snapshot, scope, metric)
                    }
                    _ => crate::metric::optional_value(day, metric),
                };
            }
            if d >= self.design.first_kpi_day() {
                let (open, officers) = &mut self.case_days[scope];
                *open += f64::from(day.open);
                *officers += f64::from(day.at_work);
            }
        }
        if let Ok(k) = self.kept_days.binary_search(&snapshot.day) {
            let mut all = Vec::with_capacity(snapshot.teams.len() + 1);
            all.push(snapshot.total.clone());
            all.extend_from_slice(snapshot.teams);
            self.kept[k] = all;
        }
        match &mut self.previous {
            Some((total, teams)) => {
                total.clone_from(snapshot.total);
                teams.clone_from_slice(snapshot.teams);
            }
            None => self.previous = Some((snapshot.total.clone(), snapshot.teams.to_vec())),
        }
    }
}

/// Picks a survival curve of a scope and, optionally, an arrival priority.
pub(crate) type CurveOf =
    for<'a, 'b> fn(&'a Finished<'b>, Option<usize>, Option<usize>) -> &'a KaplanMeier;

/// What the KPIs are computed from once a replication has ended.
pub(crate) struct Finished<'o> {
    observer: &'o KpiObserver<'o>,
    /// Times to allocation: all teams, then per team, then per arrival priority (all teams).
    allocation: Vec<KaplanMeier>,
    /// Times to outcome: all teams, then per team, then per case type (all teams).
    outcome: Vec<KaplanMeier>,
    /// Per census (then the end), per group as `allocation`: ages sorted.
    waiting: Vec<Vec<WaitingList>>,
    /// The backlog day by day after the warm-up: all teams, then per team.
    backlogs: Vec<Vec<f64>>,
    /// Days to finishing the standard's stage over the standard: all teams, then per team.
    standard: Vec<KaplanMeier>,
}

impl<'o> Finished<'o> {
    fn new(observer: &'o KpiObserver<'o>) -> Self {
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
        let curves = |sorted: &[Timed], sizes: &[usize], at_zero: &[usize]| {
            let tagged = sorted
                .iter()
                .map(|t| (t.key(), group_of(usize::from(t.team), t.group)));
            KaplanMeier::of_groups(tagged, sizes, at_zero, reading)
        };
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
            ),
            outcome: curves(&observer.outcome, &observer.type_sizes, &[]),
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
            observer,
        }
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
