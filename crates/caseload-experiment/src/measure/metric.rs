//! The daily metrics kept for bands, per team and for all teams.

use std::borrow::Cow;

use caseload_model::{Outcome, Priority, Source, TeamDay};

/// A quantity observed every day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Metric {
    /// Cases waiting unallocated.
    Unallocated,
    /// Cases held by an officer.
    Open,
    /// Median age of the waiting cases, days since referral.
    WaitingAgeMedian,
    /// 90th percentile age of the waiting cases, days.
    WaitingAgeP90,
    /// Waiting cases older than the age threshold.
    WaitingOlderThanThreshold,
    /// Open cases per officer at work.
    MeanCaseload,
    /// Most cases held by one officer.
    MaxCaseload,
    /// Officers in post, every source.
    Officers,
    /// Officers in post from one source.
    OfficersFrom(Source),
    /// Officers on the new starters' course.
    InTraining,
    /// Investigation hours per day of the officers at work.
    AvailableHoursPerDay,
    /// Hours spent on work stages during the day ending at the observation.
    WorkedHours,
    /// Hours worked over hours available during the day ending at the observation.
    Utilisation,
    /// Staffing cost since the start.
    CostToDate,
    /// Referrals arrived since the start (starting backlog included).
    Arrived,
    /// Allocations of cases to officers since the start (a returned case allocated again
    /// counts again).
    Allocated,
    /// Cases completed since the start.
    Completed,
    /// Cases whose victims withdrew while they waited, since the start (kept only when a
    /// case type has withdrawal).
    Withdrawn,
    /// Cases past the timeliness standard of a stage they have not finished (kept only when
    /// a case type has a standard).
    Overdue,
    /// Cases closed after their triage screen since the start (kept only when a case type
    /// has triage).
    ClosedAtTriage,
    /// Cases completed since the start with an outcome (kept only when a case type has
    /// outcomes).
    Outcome(Outcome),
    /// Completed investigations judged to require improvement since the start (kept when
    /// quality is judged).
    RequiresImprovement,
    /// Investigator-hours of work left in the waiting cases (kept with the weighed backlog).
    UnallocatedHours,
    /// The waiting cases' harm weights, summed (kept with the weighed backlog).
    HarmWeightedBacklog,
    /// Cases waiting at one priority level (kept with the weighed backlog, a series per
    /// level up to the least urgent case type's).
    UnallocatedAtPriority(Priority),
    /// Cases of one case type (as the scenario names it) waiting (kept with the weighed
    /// backlog): the index among the design's case type names.
    UnallocatedOfType(u16),
}

impl Metric {
    /// Every metric, in the order the series are kept.
    pub const ALL: [Metric; 22] = [
        Metric::Unallocated,
        Metric::Open,
        Metric::WaitingAgeMedian,
        Metric::WaitingAgeP90,
        Metric::WaitingOlderThanThreshold,
        Metric::MeanCaseload,
        Metric::MaxCaseload,
        Metric::Officers,
        Metric::OfficersFrom(Source::Establishment),
        Metric::OfficersFrom(Source::Overstaff),
        Metric::OfficersFrom(Source::Transfer),
        Metric::OfficersFrom(Source::Attachment),
        Metric::OfficersFrom(Source::Agency),
        Metric::OfficersFrom(Source::Redeployed),
        Metric::InTraining,
        Metric::AvailableHoursPerDay,
        Metric::WorkedHours,
        Metric::Utilisation,
        Metric::CostToDate,
        Metric::Arrived,
        Metric::Allocated,
        Metric::Completed,
    ];

    /// Metrics kept only when the model has what they measure, in the order they follow
    /// [`Metric::ALL`].
    pub const OPTIONAL: [Metric; 9] = [
        Metric::Withdrawn,
        Metric::Overdue,
        Metric::ClosedAtTriage,
        Metric::Outcome(Outcome::Charge),
        Metric::Outcome(Outcome::NfaEvidential),
        Metric::Outcome(Outcome::NfaVictim),
        Metric::RequiresImprovement,
        Metric::UnallocatedHours,
        Metric::HarmWeightedBacklog,
    ];

    /// The name in `timeseries.csv`, e.g. `unallocated`. A case type's waiting cases are
    /// named by the design ([`crate::Design::metric_name`]); here by their index.
    pub fn name(self) -> Cow<'static, str> {
        match self {
            Metric::UnallocatedAtPriority(p) => Cow::Owned(format!("unallocated_priority_{p}")),
            Metric::UnallocatedOfType(k) => Cow::Owned(format!("unallocated_of_type_{k}")),
            _ => Cow::Borrowed(self.fixed_name()),
        }
    }

    /// The name of a metric whose name does not depend on a level or case type.
    fn fixed_name(self) -> &'static str {
        match self {
            Metric::UnallocatedAtPriority(_) => "unallocated_priority",
            Metric::UnallocatedOfType(_) => "unallocated_type",
            Metric::UnallocatedHours => "unallocated_hours",
            Metric::RequiresImprovement => "requires_improvement",
            Metric::HarmWeightedBacklog => "harm_weighted_backlog",
            Metric::Unallocated => "unallocated",
            Metric::Open => "open",
            Metric::WaitingAgeMedian => "waiting_age_median",
            Metric::WaitingAgeP90 => "waiting_age_p90",
            Metric::WaitingOlderThanThreshold => "waiting_older_than_threshold",
            Metric::MeanCaseload => "mean_caseload",
            Metric::MaxCaseload => "max_caseload",
            Metric::Officers => "officers",
            Metric::OfficersFrom(Source::Establishment) => "officers_establishment",
            Metric::OfficersFrom(Source::Overstaff) => "officers_overstaff",
            Metric::OfficersFrom(Source::Transfer) => "officers_transfer",
            Metric::OfficersFrom(Source::Attachment) => "officers_attachment",
            Metric::OfficersFrom(Source::Agency) => "officers_agency",
            Metric::OfficersFrom(Source::Redeployed) => "officers_redeployed",
            Metric::InTraining => "in_training",
            Metric::AvailableHoursPerDay => "available_hours_per_day",
            Metric::WorkedHours => "worked_hours",
            Metric::Utilisation => "utilisation",
            Metric::CostToDate => "cost_to_date",
            Metric::Arrived => "arrived",
            Metric::Allocated => "allocated",
            Metric::Completed => "completed",
            Metric::Withdrawn => "withdrawn",
            Metric::Overdue => "overdue",
            Metric::ClosedAtTriage => "closed_at_triage",
            Metric::Outcome(Outcome::Charge) => "outcome_charge",
            Metric::Outcome(Outcome::NfaEvidential) => "outcome_nfa_evidential",
            Metric::Outcome(Outcome::NfaVictim) => "outcome_nfa_victim",
        }
    }

    /// The unit, e.g. `cases`.
    pub fn unit(self) -> &'static str {
        match self {
            Metric::Unallocated
            | Metric::Open
            | Metric::WaitingOlderThanThreshold
            | Metric::Arrived
            | Metric::Completed
            | Metric::Withdrawn
            | Metric::Overdue
            | Metric::ClosedAtTriage
            | Metric::RequiresImprovement
            | Metric::UnallocatedAtPriority(_)
            | Metric::UnallocatedOfType(_)
            | Metric::Outcome(_) => "cases",
            Metric::UnallocatedHours => "hours",
            Metric::HarmWeightedBacklog => "weighted cases",
            Metric::Allocated => "allocations",
            Metric::WaitingAgeMedian | Metric::WaitingAgeP90 => "days",
            Metric::MeanCaseload | Metric::MaxCaseload => "cases per officer",
            Metric::Officers | Metric::OfficersFrom(_) | Metric::InTraining => "officers",
            Metric::AvailableHoursPerDay => "hours per day",
            Metric::WorkedHours => "hours",
            Metric::Utilisation => "share",
            Metric::CostToDate => "pounds",
        }
    }

    /// Every kind of metric, for a catalogue: [`Metric::ALL`], then [`Metric::OPTIONAL`], then
    /// one of each series kept per priority level and per case type.
    pub fn catalogue() -> impl Iterator<Item = Metric> {
        Metric::ALL.into_iter().chain(Metric::OPTIONAL).chain([
            Metric::UnallocatedAtPriority(0),
            Metric::UnallocatedOfType(0),
        ])
    }

    /// The name as a catalogue gives it: [`Metric::name`], with `P` for a priority level and
    /// `TYPE` for a case type as the scenario names it.
    pub fn catalogue_name(self) -> Cow<'static, str> {
        match self {
            Metric::UnallocatedAtPriority(_) => Cow::Borrowed("unallocated_priority_P"),
            Metric::UnallocatedOfType(_) => Cow::Borrowed("unallocated_of_TYPE"),
            _ => self.name(),
        }
    }

    /// What the metric is, taken at the start of its day after that day's staffing changes,
    /// and when it is kept if not always.
    pub fn definition(self) -> &'static str {
        match self {
            Metric::Unallocated => "cases waiting, not allocated to an officer",
            Metric::Open => "cases held by an officer",
            Metric::WaitingAgeMedian => {
                "median age of the waiting cases, days since referral; undefined when none \
                 wait (the mean and band are over the replications in which some wait, empty \
                 on a day none does)"
            }
            Metric::WaitingAgeP90 => {
                "90th percentile age of the waiting cases, days since referral; undefined when \
                 none wait, as the median"
            }
            Metric::WaitingOlderThanThreshold => {
                "waiting cases older than the age threshold (`[kpi] age_threshold_days`)"
            }
            Metric::MeanCaseload => "cases held per officer at work",
            Metric::MaxCaseload => "most cases held by one officer at work",
            Metric::Officers => "officers in post, every source (at work, on the course or away)",
            Metric::OfficersFrom(Source::Establishment) => {
                "officers in post on the establishment (a recruit a posting panel brings in \
                 ahead of leavers who have not yet left counts here, with the posts it was \
                 recruited to)"
            }
            Metric::OfficersFrom(Source::Overstaff) => {
                "officers an `overstaff` action posted above the establishment, and only them"
            }
            Metric::OfficersFrom(Source::Transfer) => "officers brought by a `transfer` action",
            Metric::OfficersFrom(Source::Attachment) => {
                "officers attached by an `attachment` action"
            }
            Metric::OfficersFrom(Source::Agency) => "agency investigators",
            Metric::OfficersFrom(Source::Redeployed) => {
                "officers a monthly review redeployed into the team from another"
            }
            Metric::InTraining => {
                "officers on the new starters' course or away on a `training` programme"
            }
            Metric::AvailableHoursPerDay => {
                "investigation hours per day of the officers at work, after abstraction, other \
                 duties and losses to heavy caseloads"
            }
            Metric::WorkedHours => {
                "hours spent on work stages during the day ending at the observation (0 on \
                 day 0)"
            }
            Metric::Utilisation => {
                "hours worked over hours available during the day ending at the observation; \
                 undefined when no hours were available"
            }
            Metric::CostToDate => "staffing cost since the start, pounds",
            Metric::Arrived => {
                "referrals since the start, the starting backlog included (for a team, those \
                 routed to it)"
            }
            Metric::Allocated => {
                "allocations of cases to officers since the start (a case returned to the queue \
                 and allocated again counts again)"
            }
            Metric::Completed => "cases completed since the start",
            Metric::Withdrawn => {
                "cases whose victims withdrew support while they waited, since the start (kept \
                 when a case type has withdrawal)"
            }
            Metric::Overdue => {
                "cases past the timeliness standard of a stage they have not finished (kept \
                 when a case type has a standard)"
            }
            Metric::ClosedAtTriage => {
                "cases closed after their triage screen since the start (kept when a case type \
                 has triage)"
            }
            Metric::Outcome(Outcome::Charge) => {
                "cases completed with a charge since the start (kept when a case type has \
                 outcomes)"
            }
            Metric::Outcome(Outcome::NfaEvidential) => {
                "cases completed with no further action for evidential reasons since the start \
                 (kept when a case type has outcomes)"
            }
            Metric::Outcome(Outcome::NfaVictim) => {
                "cases completed with no further action because the victim did not support it, \
                 since the start (kept when a case type has outcomes)"
            }
            Metric::RequiresImprovement => {
                "completed investigations judged to require improvement since the start (kept \
                 with `[quality]`)"
            }
            Metric::UnallocatedHours => {
                "investigator-hours of work left in the waiting cases (kept with the weighed \
                 backlog)"
            }
            Metric::HarmWeightedBacklog => {
                "the waiting cases' harm weights, summed (kept with the weighed backlog)"
            }
            Metric::UnallocatedAtPriority(_) => {
                "cases waiting at priority level P, one series per level from 0 to the least \
                 urgent case type's (kept with the weighed backlog)"
            }
            Metric::UnallocatedOfType(_) => {
                "cases of one case type waiting (kept with the weighed backlog)"
            }
        }
    }

    /// The metric named `name`, if any.
    pub fn from_name(name: &str) -> Option<Metric> {
        Metric::ALL
            .into_iter()
            .chain(Metric::OPTIONAL)
            .find(|m| m.name() == name)
    }
}

/// The value of an optional metric (one of [`Metric::OPTIONAL`]) on a day.
pub(crate) fn optional_value(day: &TeamDay, metric: Metric) -> f32 {
    match metric {
        Metric::Withdrawn => day.withdrawn as f32,
        Metric::Overdue => day.overdue as f32,
        Metric::ClosedAtTriage => day.closed_at_triage as f32,
        Metric::UnallocatedHours => day.unallocated_hours as f32,
        Metric::RequiresImprovement => day.requires_improvement as f32,
        Metric::HarmWeightedBacklog => day.harm_weighted_backlog as f32,
        Metric::Outcome(o) => day.outcomes[o.index()] as f32,
        _ => f32::NAN,
    }
}

/// Every metric's value on a day, in [`Metric::ALL`] order, as `f32`, from the day's
/// snapshot and the one before (for the quantities of the day, worked hours and
/// utilisation; `None` on day 0, where they are 0 and undefined). One straight pass, no
/// dispatch per metric: it runs for every team on every day.
pub(crate) fn day_row(day: &TeamDay, before: Option<&TeamDay>) -> [f32; Metric::ALL.len()] {
    let source = |s: Source| day.officers_from(s) as f32;
    let (worked, utilisation) = match before {
        Some(b) => {
            let worked = day.worked_hours_to_date - b.worked_hours_to_date;
            let available = day.available_hours_to_date - b.available_hours_to_date;
            (
                worked,
                if available > 0.0 {
                    worked / available
                } else {
                    f64::NAN
                },
            )
        }
        None => (0.0, f64::NAN),
    };
    [
        day.unallocated as f32,
        day.open as f32,
        day.waiting_age_median as f32,
        day.waiting_age_p90 as f32,
        day.waiting_older_than_threshold as f32,
        day.mean_caseload as f32,
        day.max_caseload as f32,
        day.officers() as f32,
        source(Source::Establishment),
        source(Source::Overstaff),
        source(Source::Transfer),
        source(Source::Attachment),
        source(Source::Agency),
        source(Source::Redeployed),
        day.in_training as f32,
        day.available_hours_per_day as f32,
        worked as f32,
        utilisation as f32,
        day.cost_to_date as f32,
        day.arrived as f32,
        day.allocated as f32,
        day.completed as f32,
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_found_again() {
        for m in Metric::ALL.into_iter().chain(Metric::OPTIONAL) {
            assert_eq!(Metric::from_name(&m.name()), Some(m));
        }
        assert_eq!(Metric::from_name("backlog"), None);
    }

    #[test]
    fn the_row_of_a_day_is_every_metric_in_order() {
        let before = TeamDay {
            worked_hours_to_date: 100.0,
            available_hours_to_date: 200.0,
            ..TeamDay::default()
        };
        let day = TeamDay {
            unallocated: 7,
            open: 30,
            waiting_age_median: 12.5,
            waiting_age_p90: 40.25,
            waiting_older_than_threshold: 3,
            mean_caseload: 7.5,
            max_caseload: 12,
            officers_by_source: [4, 1, 2, 3, 5, 0],
            in_training: 1,
            available_hours_per_day: 36.0,
            cost_to_date: 1234.5,
            worked_hours_to_date: 130.0,
            available_hours_to_date: 240.0,
            arrived: 99,
            allocated: 70,
            completed: 55,
            withdrawn: 2,
            closed_at_triage: 0,
            requires_improvement: 0,
            unallocated_hours: 0.0,
            harm_weighted_backlog: 0.0,
            overdue: 4,
            outcomes: [7, 8, 9],
            at_work: 4,
            offered_hours_to_date: 70.0,
        };
        let row = day_row(&day, Some(&before));
        assert_eq!(optional_value(&day, Metric::Withdrawn), 2.0);
        assert_eq!(optional_value(&day, Metric::Overdue), 4.0);
        assert_eq!(
            optional_value(&day, Metric::Outcome(Outcome::NfaVictim)),
            9.0
        );
        let expected: [(Metric, f32); 22] = [
            (Metric::Unallocated, 7.0),
            (Metric::Open, 30.0),
            (Metric::WaitingAgeMedian, 12.5),
            (Metric::WaitingAgeP90, 40.25),
            (Metric::WaitingOlderThanThreshold, 3.0),
            (Metric::MeanCaseload, 7.5),
            (Metric::MaxCaseload, 12.0),
            (Metric::Officers, 15.0),
            (Metric::OfficersFrom(Source::Establishment), 4.0),
            (Metric::OfficersFrom(Source::Overstaff), 1.0),
            (Metric::OfficersFrom(Source::Transfer), 2.0),
            (Metric::OfficersFrom(Source::Attachment), 3.0),
            (Metric::OfficersFrom(Source::Agency), 5.0),
            (Metric::OfficersFrom(Source::Redeployed), 0.0),
            (Metric::InTraining, 1.0),
            (Metric::AvailableHoursPerDay, 36.0),
            // 30 hours worked of 40 available during the day.
            (Metric::WorkedHours, 30.0),
            (Metric::Utilisation, 0.75),
            (Metric::CostToDate, 1234.5),
            (Metric::Arrived, 99.0),
            (Metric::Allocated, 70.0),
            (Metric::Completed, 55.0),
        ];
        for (i, (metric, value)) in expected.into_iter().enumerate() {
            assert_eq!(Metric::ALL[i], metric);
            assert_eq!(row[i], value, "{metric:?}");
        }
        // Day 0: nothing worked yet, utilisation undefined; no hours available: undefined.
        let at = |m: Metric| Metric::ALL.iter().position(|&x| x == m).expect("a metric");
        let (worked, utilisation) = (at(Metric::WorkedHours), at(Metric::Utilisation));
        let first = day_row(&day, None);
        assert_eq!(first[worked], 0.0);
        assert!(first[utilisation].is_nan());
        assert!(day_row(&before, Some(&before))[utilisation].is_nan());
    }
}
