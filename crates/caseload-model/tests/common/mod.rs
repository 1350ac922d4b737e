//! Builders and a recording observer shared by the model's tests (the interval check is
//! caseload-testkit's).
#![allow(dead_code)]

use caseload_des::{DAYS_PER_YEAR, Dist, RngStreams};
use caseload_model::*;
#[allow(unused_imports)]
pub use caseload_testkit::{CONFIDENCE, assert_covers, half_width, mean};
use rayon::prelude::*;

/// Independent replications per statistical check.
pub const REPLICATIONS: u64 = 30;
pub const SEED: u64 = 20_141_101;

/// A team of `officers` with `hours_per_day` each, no abstraction, attrition or recruitment.
pub fn team(officers: u32, caseload_cap: u32, hours_per_day: f64) -> TeamConfig {
    TeamConfig {
        cost_per_day: 100.0,
        ..TeamConfig::new(
            format!("team of {officers}"),
            officers,
            caseload_cap,
            hours_per_day * DAYS_PER_YEAR,
        )
    }
}

/// A case type arriving as a homogeneous Poisson process, `per_day` referrals a day.
pub fn case_type(per_day: f64, stages: Vec<Stage>, team: TeamId) -> CaseType {
    CaseType::poisson("referral", per_day * DAYS_PER_YEAR, stages, team)
}

pub fn work(mean_hours: f64) -> Stage {
    Stage::Work(Dist::exponential(mean_hours).expect("valid mean"))
}

pub fn config(horizon_days: f64, case_types: Vec<CaseType>, teams: Vec<TeamConfig>) -> ModelConfig {
    ModelConfig::new(horizon_days, case_types, teams)
}

pub fn action(start_day: f64, end_day: Option<f64>, kind: ActionKind) -> StaffingAction {
    StaffingAction {
        start_day,
        end_day,
        kind,
        cost_per_officer_day: None,
        bounds: WorkBounds::default(),
        benefit: Benefit::default(),
    }
}

/// Keeps what the tests look at: per-case times for cases arriving after `warm_up`, every
/// daily snapshot, and the case-days identity terms. Checks conservation at every snapshot.
#[derive(Debug, Default)]
pub struct Recorder {
    pub warm_up: f64,
    pub waits: Vec<f64>,
    pub sojourns: Vec<f64>,
    pub in_service: Vec<f64>,
    pub completed: Vec<CaseRecord>,
    pub unfinished: Vec<CaseRecord>,
    /// Cases whose victims withdrew while they waited.
    pub withdrawn: Vec<CaseRecord>,
    pub days: Vec<(u32, Vec<TeamDay>, TeamDay)>,
    pub unallocated_days_total: f64,
    /// Cases returned to the queue, with the day.
    pub requeued: Vec<(CaseRecord, f64)>,
    /// Days on which to list the waiting cases.
    pub census_days: Vec<u32>,
    /// The waiting cases listed on census days.
    pub census: Vec<(u32, CaseRecord)>,
    /// Whether to ask for the backlog weighed (on in every test built by `after`, so the
    /// model's debug checks recount it every day).
    pub weighed: bool,
    /// Per day, the waiting cases by priority level and by case type (team-major).
    pub waiting_by: Vec<(Vec<u32>, Vec<u32>)>,
    /// Whether to keep the daily snapshots and the completed cases' records; a queueing
    /// check over 100,000 days that needs only the waits and sojourns keeps neither (30
    /// replications' snapshots held at once took over 2 GB).
    pub lean: bool,
}

impl Recorder {
    pub fn after(warm_up: f64) -> Self {
        Self {
            warm_up,
            weighed: true,
            ..Self::default()
        }
    }

    /// The all-teams snapshot of `day`.
    pub fn on_day(&self, day: u32) -> &TeamDay {
        &self
            .days
            .iter()
            .find(|(d, _, _)| *d == day)
            .unwrap_or_else(|| panic!("day {day} observed"))
            .2
    }

    /// Mean of `f` over days at or after the warm-up.
    pub fn daily_mean(&self, f: impl Fn(&TeamDay, &[TeamDay]) -> f64) -> f64 {
        let kept: Vec<f64> = self
            .days
            .iter()
            .filter(|(d, _, _)| f64::from(*d) >= self.warm_up)
            .map(|(_, teams, total)| f(total, teams))
            .collect();
        kept.iter().sum::<f64>() / kept.len() as f64
    }
}

/// The days a case spent unallocated within the run: a starting case's wait before day 0 is
/// not in the run's integral.
fn unallocated_in_run(case: &CaseRecord) -> f64 {
    let before_start = (-case.arrival_day).max(0.0).min(case.unallocated_days);
    case.unallocated_days - before_start
}

impl Observer for Recorder {
    fn case_allocated(&mut self, case: &CaseRecord) {
        if case.arrival_day >= self.warm_up {
            let allocated = case.allocated_day.expect("allocated");
            self.waits.push(allocated - case.arrival_day);
        }
    }

    fn case_completed(&mut self, case: &CaseRecord) {
        self.unallocated_days_total += unallocated_in_run(case);
        let done = case.completed_day.expect("completed");
        if case.arrival_day >= self.warm_up {
            self.sojourns.push(done - case.arrival_day);
            self.in_service
                .push(done - case.allocated_day.expect("allocated"));
        }
        if !self.lean {
            self.completed.push(case.clone());
        }
    }

    fn day(&mut self, s: &DaySnapshot<'_>) {
        assert_eq!(
            s.arrived,
            s.completed
                + s.total.withdrawn
                + u64::from(s.total.unallocated)
                + u64::from(s.total.open),
            "day {}: every referral is waiting, open, completed or withdrawn",
            s.day
        );
        if !self.lean {
            self.days.push((s.day, s.teams.to_vec(), s.total.clone()));
            self.waiting_by
                .push((s.waiting_by_priority.to_vec(), s.waiting_by_type.to_vec()));
        }
    }

    fn case_withdrawn(&mut self, case: &CaseRecord) {
        assert!(case.withdrawn_day.is_some() && !case.waiting());
        self.unallocated_days_total += unallocated_in_run(case);
        self.withdrawn.push(case.clone());
    }

    fn case_unfinished(&mut self, case: &CaseRecord) {
        self.unallocated_days_total += unallocated_in_run(case);
        self.unfinished.push(case.clone());
    }

    fn case_requeued(&mut self, case: &CaseRecord, day: f64) {
        self.requeued.push((case.clone(), day));
    }

    fn backlog_weighed(&self) -> bool {
        self.weighed
    }

    fn census_day(&mut self, day: u32) -> bool {
        self.census_days.contains(&day)
    }

    fn waiting_case(&mut self, day: u32, case: &CaseRecord) {
        self.census.push((day, case.clone()));
    }
}

/// Runs `REPLICATIONS` replications in parallel and checks the exact case-days identity of
/// Little's law on each: the integral of the unallocated count equals the sum over cases of
/// their time unallocated.
pub fn replicate(config: &ModelConfig, warm_up: f64) -> Vec<(RunSummary, Recorder)> {
    (0..REPLICATIONS)
        .into_par_iter()
        .map(|r| run(config, warm_up, SEED, r))
        .collect()
}

/// [`replicate`] keeping only the waits, sojourns and times in service of each replication
/// (no daily snapshots, no completed cases' records): for long runs checked against theory.
pub fn replicate_lean(config: &ModelConfig, warm_up: f64) -> Vec<(RunSummary, Recorder)> {
    (0..REPLICATIONS)
        .into_par_iter()
        .map(|r| {
            let rec = Recorder {
                lean: true,
                ..Recorder::after(warm_up)
            };
            run_with(config, SEED, r, rec)
        })
        .collect()
}

pub fn run(
    config: &ModelConfig,
    warm_up: f64,
    seed: u64,
    replication: u64,
) -> (RunSummary, Recorder) {
    run_with(config, seed, replication, Recorder::after(warm_up))
}

/// One replication observed by `rec`, the case-days identity checked.
fn run_with(
    config: &ModelConfig,
    seed: u64,
    replication: u64,
    mut rec: Recorder,
) -> (RunSummary, Recorder) {
    let config = config.clone().validated().expect("valid config");
    let summary = run_replication(&config, &RngStreams::new(seed, replication), &mut rec)
        .expect("valid config");
    let identity_error = (summary.unallocated_case_days - rec.unallocated_days_total).abs();
    assert!(
        identity_error <= 1e-6 * summary.unallocated_case_days.max(1.0),
        "case-days identity: {} vs {}",
        summary.unallocated_case_days,
        rec.unallocated_days_total
    );
    (summary, rec)
}
