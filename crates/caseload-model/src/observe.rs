//! What a replication reports, through the [`Observer`] trait.
//!
//! The model keeps no history: it hands each per-case record and each daily snapshot to the
//! observer as it happens. An observer that keeps only running summaries therefore uses memory
//! independent of the run's length; one that keeps every record can write `cases.csv`.

use crate::config::{CaseTypeId, Outcome, Priority, Source, TeamId};

/// One referral's history so far. Days are days since the run's start (negative for cases in
/// the starting backlog, which arrived before it).
#[derive(Debug, Clone, PartialEq)]
pub struct CaseRecord {
    /// Unique within the replication, in order of arrival (starting backlog first).
    pub id: u64,
    /// Its type.
    pub case_type: CaseTypeId,
    /// The team whose queue it is routed to.
    pub team: TeamId,
    /// Whether it is a historic (non-recent) allegation.
    pub historic: bool,
    /// Priority on arrival.
    pub arrival_priority: Priority,
    /// Priority now (after any escalation while waiting).
    pub priority: Priority,
    /// Arrival day.
    pub arrival_day: f64,
    /// Day it was first allocated to an officer.
    pub allocated_day: Option<f64>,
    /// Day its last stage finished.
    pub completed_day: Option<f64>,
    /// Day the victim withdrew support while it waited (it then left the queue).
    pub withdrawn_day: Option<f64>,
    /// How it ended, once completed, where its case type has outcomes.
    pub outcome: Option<Outcome>,
    /// The day the stage its case type's timeliness standard is set on finished.
    pub standard_day: Option<f64>,
    /// Total days spent unallocated so far (including any time back in the queue after its
    /// officer left).
    pub unallocated_days: f64,
    /// The officer holding it now, or who completed it (an index unique within the
    /// replication); `None` while it waits.
    pub officer: Option<u32>,
    /// Whether it closed after its triage screen with no further work (then completed).
    pub closed_at_triage: bool,
    /// Whether its completed investigation requires improvement or is inadequate (`None`:
    /// not completed, closed at triage, or quality not judged).
    pub requires_improvement: Option<bool>,
}

impl CaseRecord {
    /// Whether it is waiting unallocated (never allocated, or returned to the queue).
    pub fn waiting(&self) -> bool {
        self.officer.is_none() && self.completed_day.is_none() && self.withdrawn_day.is_none()
    }
}

/// One team's state at a daily observation (or the total over teams).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TeamDay {
    /// Cases waiting unallocated.
    pub unallocated: u32,
    /// Cases held by an officer (open).
    pub open: u32,
    /// Median age of waiting cases, days since referral (NaN if none wait: undefined).
    pub waiting_age_median: f64,
    /// 90th percentile age of waiting cases, days (NaN if none wait).
    pub waiting_age_p90: f64,
    /// Waiting cases older than the configuration's age threshold.
    pub waiting_older_than_threshold: u32,
    /// Mean cases held per officer in post and at work (not on the course).
    pub mean_caseload: f64,
    /// Officers in post and at work (not on the course).
    pub at_work: u32,
    /// Most cases held by one officer.
    pub max_caseload: u32,
    /// Officers in post (at work, on the course or away training), by [`Source::ALL`] order.
    /// `Overstaff` counts only officers an overstaff action posted above the establishment; a
    /// recruit a posting panel brought in ahead of expected leavers is counted under
    /// `Establishment`.
    pub officers_by_source: [u32; 6],
    /// Officers in post but not at work: on the new starters' course or away on a dated
    /// training programme.
    pub in_training: u32,
    /// Investigation hours available per day across the team's officers at work.
    pub available_hours_per_day: f64,
    /// Staffing cost since the start of the run, pounds.
    pub cost_to_date: f64,
    /// Hours spent on work stages since the start of the run (officers who left included).
    pub worked_hours_to_date: f64,
    /// Investigation hours available since the start of the run: the integral of
    /// `available_hours_per_day`, exact between observations.
    pub available_hours_to_date: f64,
    /// Hours of work in the work stages of referrals arrived since the start (the starting
    /// backlog not included): the work the demand offered.
    pub offered_hours_to_date: f64,
    /// Referrals routed to the team since the start (starting backlog included; a historic
    /// case moved to a dedicated team counts where it was first routed).
    pub arrived: u64,
    /// Allocations of the team's cases to officers since the start (a case returned to the
    /// queue and allocated again counts again).
    pub allocated: u64,
    /// Cases of the team completed since the start.
    pub completed: u64,
    /// Cases of the team withdrawn while waiting since the start.
    pub withdrawn: u64,
    /// Cases of the team closed after their triage screen since the start (counted in
    /// `completed` too).
    pub closed_at_triage: u64,
    /// Completed investigations of the team judged to require improvement since the start
    /// (0 unless quality is judged).
    pub requires_improvement: u64,
    /// Cases past the timeliness standard of a stage they have not finished (0 without
    /// standards).
    pub overdue: u32,
    /// Investigator-hours of work left in the waiting cases (0 unless the observer asks for
    /// the backlog weighed: [`Observer::backlog_weighed`]).
    pub unallocated_hours: f64,
    /// The waiting cases' harm weights, summed (0 unless the observer asks).
    pub harm_weighted_backlog: f64,
    /// Cases of the team completed since the start with each outcome, in
    /// [`crate::Outcome::ALL`] order (case types with outcomes).
    pub outcomes: [u64; 3],
}

impl TeamDay {
    /// Officers in post, all sources.
    pub fn officers(&self) -> u32 {
        self.officers_by_source.iter().sum()
    }

    /// Officers in post from `source`.
    pub fn officers_from(&self, source: Source) -> u32 {
        self.officers_by_source[source.index()]
    }
}

/// The state of the whole model at the start of a day, after that day's staffing changes.
#[derive(Debug, Clone, Copy)]
pub struct DaySnapshot<'a> {
    /// Day number (0 is the start of the run); the last snapshot is at the horizon.
    pub day: u32,
    /// Per team, in configuration order.
    pub teams: &'a [TeamDay],
    /// Over all teams.
    pub total: &'a TeamDay,
    /// Referrals arrived since the start (starting backlog included).
    pub arrived: u64,
    /// Cases completed since the start.
    pub completed: u64,
    /// Waiting cases per team and priority level (team-major: team `t`, level `p` at
    /// `t * levels + p`, levels the largest case type priority plus one); empty unless the
    /// observer asks for the backlog weighed.
    pub waiting_by_priority: &'a [u32],
    /// Waiting cases per team and case type (team-major, as `waiting_by_priority`); empty
    /// unless the observer asks.
    pub waiting_by_type: &'a [u32],
}

/// Receives what a replication observes. Every method has an empty default.
pub trait Observer {
    /// A case was allocated to an officer for the first time.
    fn case_allocated(&mut self, _case: &CaseRecord) {}
    /// A case finished its last stage.
    fn case_completed(&mut self, _case: &CaseRecord) {}
    /// The victim withdrew support while the case waited: it left the queue.
    fn case_withdrawn(&mut self, _case: &CaseRecord) {}
    /// A daily observation.
    fn day(&mut self, _snapshot: &DaySnapshot<'_>) {}
    /// At the horizon, once for each case still waiting or open.
    fn case_unfinished(&mut self, _case: &CaseRecord) {}
    /// A held case went back to its team's queue on `day` because its officer left (the
    /// record is as it was just before).
    fn case_requeued(&mut self, _case: &CaseRecord, _day: f64) {}
    /// Whether to list the waiting cases on `day` (through [`Observer::waiting_case`]), after
    /// that day's snapshot. Asked once a day; listing costs a pass over the live cases.
    fn census_day(&mut self, _day: u32) -> bool {
        false
    }
    /// On a census day, once for each case waiting unallocated.
    fn waiting_case(&mut self, _day: u32, _case: &CaseRecord) {}
    /// Whether the daily snapshots weigh the waiting cases (hours of work left, harm) and
    /// count them by priority and case type; asked once, when the replication starts. Kept
    /// as the queues change, so it costs a little on every allocation.
    fn backlog_weighed(&self) -> bool {
        false
    }
}

/// An observer that keeps nothing.
impl Observer for () {}

/// Totals of one replication, returned when it ends.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunSummary {
    /// Engine events processed.
    pub events: u64,
    /// Referrals arrived (starting backlog included).
    pub arrived: u64,
    /// Cases completed.
    pub completed: u64,
    /// Cases withdrawn while waiting.
    pub withdrawn: u64,
    /// Cases waiting unallocated at the horizon.
    pub unallocated: u64,
    /// Cases open at the horizon.
    pub open: u64,
    /// Integral over the run of the number of cases waiting unallocated, case-days.
    pub unallocated_case_days: f64,
    /// Staffing cost over the run, pounds.
    pub cost: f64,
}
