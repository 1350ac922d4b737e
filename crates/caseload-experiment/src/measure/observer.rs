//! The observer that turns one replication into a [`ReplicationResult`]: the daily series
//! for bands, and what the KPIs need (times to allocation and outcome, waiting lists on
//! census days and at the end, a few days' snapshots).

use std::cell::{Cell, RefCell};

use caseload_model::{CaseRecord, DaySnapshot, Observer, Priority, TeamDay};

use crate::design::{Design, SeriesDef};
use crate::measure::metric::Metric;
use crate::measure::sort::{KeyRange, sort_by_key};
use crate::measure::stats::quantile_sorted;

/// One referral's time to an event, with its team and group: 12 bytes (the key's
/// halves as two 32-bit words, so the record needs no 8-byte alignment). A replication writes
/// two lists of them; a quarter less than 16-byte records is a quarter less memory the lists
/// take from the model's data in the caches while they are written, and a quarter less for the
/// sort to move.
#[derive(Debug, Clone, Copy)]
pub(super) struct Timed {
    /// The key's low and high 32 bits.
    pub(super) key: [u32; 2],
    /// Team index (at most [`crate::measure::limits::MAX_TEAMS_OR_CASE_TYPES`], checked before a run).
    pub(super) team: u16,
    /// Arrival priority's index (allocation) or case type's (outcome), as [`Design`] orders them;
    /// on the allocation list with [`WITHDRAWN`] set for a referral whose victim withdrew.
    pub(super) group: u16,
}

/// Marks, in [`Timed::group`], a referral of the allocation list whose victim withdrew (arrival
/// priorities are far fewer than this bit allows).
pub(super) const WITHDRAWN: u16 = 0x8000;

impl Timed {
    fn new(key: u64, team: u16, group: u16) -> Self {
        Timed {
            key: [key as u32, (key >> 32) as u32],
            team,
            group,
        }
    }

    #[inline]
    pub(super) fn key(&self) -> u64 {
        u64::from(self.key[0]) | (u64::from(self.key[1]) << 32)
    }
}

/// A case waiting on a census day or at the end.
#[derive(Debug, Clone, Copy)]
pub(super) struct Waiting {
    /// Days since its referral.
    pub(super) age: f64,
    pub(super) team: u32,
    /// Arrival priority's index, as [`Design`] orders them.
    pub(super) priority: u8,
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
pub(super) struct PriorityCounts {
    pub(super) referrals: usize,
    pub(super) withdrawn: usize,
    pub(super) closed_at_triage: usize,
    pub(super) allocated_at_once: usize,
    /// Harm weight times days unallocated (to the horizon), summed.
    pub(super) harm_days: f64,
}

/// Counts of one team's referrals after the warm-up of one case type name.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct TypeCounts {
    pub(super) referrals: usize,
    /// Completed with each outcome.
    pub(super) outcomes: [usize; 3],
    /// Completed investigations judged, and of them those requiring improvement.
    pub(super) judged: [usize; 2],
}

/// The cases waiting on one day: (age in days, team, priority index).
#[derive(Debug, Clone, Default)]
pub(crate) struct WaitingList {
    pub(super) ages: Vec<f64>,
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
    pub(super) design: &'a Design,
    pub(super) series_defs: Vec<SeriesDef>,
    pub(super) days: usize,
    pub(super) series: Vec<f32>,
    /// Each arrival priority's index among the scenario's, ascending (0 for one no case type
    /// arrives with).
    pub(super) priority_indices: [u8; 256],
    pub(super) previous: Option<(TeamDay, Vec<TeamDay>)>,
    /// Times to allocation, but for referrals allocated on arrival (`allocated_at_once`).
    pub(super) allocation: Vec<Timed>,
    pub(super) outcome: Vec<Timed>,
    /// The range of each list's keys.
    pub(super) allocation_keys: KeyRange,
    pub(super) outcome_keys: KeyRange,
    /// Counts of the referrals after the warm-up per team and arrival priority (team-major),
    /// as they come: one place to count each referral in, summed into groups at the end.
    pub(super) priority_cells: Vec<PriorityCounts>,
    /// The same per team and case type name.
    pub(super) type_cells: Vec<TypeCounts>,
    /// Referrals after the warm-up per group (all teams, each team, each arrival priority):
    /// summed from the cells at the end.
    pub(super) group_sizes: Vec<usize>,
    /// Of them, those allocated on arrival (no day unallocated): a quarter or more in
    /// London, counted rather than listed and sorted.
    pub(super) allocated_at_once: Vec<usize>,
    /// The same, with each case type in place of each priority.
    pub(super) type_sizes: Vec<usize>,
    /// Referrals after the warm-up withdrawn while waiting, per group as `group_sizes`.
    pub(super) withdrawn: Vec<usize>,
    /// Referrals after the warm-up closed after their triage screen, per group as
    /// `group_sizes`.
    pub(super) closed_at_triage: Vec<usize>,
    /// Harm weight times days unallocated of the referrals after the warm-up, per group as
    /// `group_sizes`.
    pub(super) harm_days: Vec<f64>,
    /// Referrals after the warm-up completed with each outcome, per group as `type_sizes`.
    pub(super) outcomes: Vec<[usize; 3]>,
    /// Referrals after the warm-up completed by the end with their investigation judged, and
    /// of them those requiring improvement, per group as `type_sizes`.
    pub(super) judged: Vec<[usize; 2]>,
    /// Each model case type's index among the scenario's case type names.
    pub(super) type_groups: Vec<u16>,
    /// Per census (then the end): each waiting case.
    pub(super) waiting: Vec<Vec<Waiting>>,
    /// Days whose snapshots the KPIs read, ascending, and the snapshots (all, then teams).
    pub(super) kept_days: Vec<u32>,
    pub(super) kept: Vec<Vec<TeamDay>>,
    /// Per scope: open-case-days and officer-days (officers at work) after the warm-up.
    pub(super) case_days: Vec<(f64, f64)>,
    pub(super) cases: Vec<CaseRecord>,
    pub(super) requeues: Vec<(u64, f64)>,
    /// The optional daily metrics kept, after [`Metric::ALL`].
    pub(super) optional_metrics: Vec<Metric>,
    /// Per group as `group_sizes`: each referral's days to finishing its standard's stage
    /// over the standard's days (met at most 1), censored at the end if not finished.
    pub(super) standard: Vec<crate::measure::survival::Observations>,
    /// Per case type (as the scenario names them) and year of [`Design::years`], type by type:
    /// the days from referral to completion of that year's referrals (all teams), censored at
    /// the end if unfinished. Empty with a single case type or no years.
    pub(super) outcome_by_year: Vec<crate::measure::survival::Observations>,
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
                crate::measure::survival::Observations::new();
                if design.model.case_types.iter().any(|t| t.standard.is_some()) {
                    1 + design.model.teams.len()
                } else {
                    0
                }
            ],
            outcome_by_year: vec![
                crate::measure::survival::Observations::new();
                if design.case_type_names().len() > 1 {
                    design.case_type_names().len() * design.years.len()
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
            let key = crate::measure::survival::sort_key(unallocated, allocated);
            if key == 0 {
                self.priority_cells[case.team * priorities + usize::from(priority)]
                    .allocated_at_once += 1;
            } else {
                let withdrawn = if case.withdrawn_day.is_some() {
                    WITHDRAWN
                } else {
                    0
                };
                self.allocation_keys.include(key);
                self.allocation
                    .push(Timed::new(key, team, u16::from(priority) | withdrawn));
            }
            let (time, done) = match case.completed_day {
                Some(d) => (d - case.arrival_day, true),
                None => (horizon - case.arrival_day, false),
            };
            let key = crate::measure::survival::sort_key(time, done);
            self.outcome_keys.include(key);
            self.outcome.push(Timed::new(key, team, kind));
            if !self.outcome_by_year.is_empty()
                && let Some(year) = self.design.years.iter().position(|p| {
                    f64::from(p.start_day) <= case.arrival_day
                        && case.arrival_day < f64::from(p.end_day)
                })
            {
                let cohort =
                    &mut self.outcome_by_year[usize::from(kind) * self.design.years.len() + year];
                if done {
                    cohort.event(time);
                } else {
                    cohort.censored(time);
                }
            }
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

    /// Sums the counts into groups and sorts the lists the KPIs read, once, when the
    /// replication has ended.
    pub(super) fn sort_for_reading(&mut self) {
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
    }

    /// What the replication leaves besides its KPIs: the daily series, the case records and
    /// the requeues; the lists' memory is kept for the thread's next replication.
    pub(super) fn into_parts(mut self) -> (Vec<f32>, Vec<CaseRecord>, Vec<(u64, f64)>) {
        spare(std::mem::take(&mut self.allocation));
        spare(std::mem::take(&mut self.outcome));
        (self.series, self.cases, self.requeues)
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
            cells[..all].copy_from_slice(&crate::measure::metric::day_row(day, before));
            for (cell, &metric) in cells[all..].iter_mut().zip(&self.optional_metrics) {
                *cell = match metric {
                    Metric::UnallocatedAtPriority(_) | Metric::UnallocatedOfType(_) => {
                        Self::waiting_count(&self.type_groups, snapshot, scope, metric)
                    }
                    _ => crate::measure::metric::optional_value(day, metric),
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
