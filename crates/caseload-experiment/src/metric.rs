//! The daily metrics kept for bands, per team and for all teams.

use caseload_model::{Source, TeamDay};

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
    /// Cases completed since the start.
    Completed,
}

impl Metric {
    /// Every metric, in the order the series are kept.
    pub const ALL: [Metric; 20] = [
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
        Metric::InTraining,
        Metric::AvailableHoursPerDay,
        Metric::WorkedHours,
        Metric::Utilisation,
        Metric::CostToDate,
        Metric::Arrived,
        Metric::Completed,
    ];

    /// The name in `timeseries.csv`, e.g. `unallocated`.
    pub fn name(self) -> &'static str {
        match self {
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
            Metric::InTraining => "in_training",
            Metric::AvailableHoursPerDay => "available_hours_per_day",
            Metric::WorkedHours => "worked_hours",
            Metric::Utilisation => "utilisation",
            Metric::CostToDate => "cost_to_date",
            Metric::Arrived => "arrived",
            Metric::Completed => "completed",
        }
    }

    /// The unit, e.g. `cases`.
    pub fn unit(self) -> &'static str {
        match self {
            Metric::Unallocated
            | Metric::Open
            | Metric::WaitingOlderThanThreshold
            | Metric::Arrived
            | Metric::Completed => "cases",
            Metric::WaitingAgeMedian | Metric::WaitingAgeP90 => "days",
            Metric::MeanCaseload | Metric::MaxCaseload => "cases per officer",
            Metric::Officers | Metric::OfficersFrom(_) | Metric::InTraining => "officers",
            Metric::AvailableHoursPerDay => "hours per day",
            Metric::WorkedHours => "hours",
            Metric::Utilisation => "share",
            Metric::CostToDate => "pounds",
        }
    }

    /// The metric named `name`, if any.
    pub fn from_name(name: &str) -> Option<Metric> {
        Metric::ALL.into_iter().find(|m| m.name() == name)
    }

    /// Its value on a day, from the day's snapshot and the one before (for the quantities
    /// of the day, worked hours and utilisation; `None` on day 0, where they are 0 and
    /// undefined).
    pub(crate) fn value(self, day: &TeamDay, before: Option<&TeamDay>) -> f64 {
        match self {
            Metric::Unallocated => f64::from(day.unallocated),
            Metric::Open => f64::from(day.open),
            Metric::WaitingAgeMedian => day.waiting_age_median,
            Metric::WaitingAgeP90 => day.waiting_age_p90,
            Metric::WaitingOlderThanThreshold => f64::from(day.waiting_older_than_threshold),
            Metric::MeanCaseload => day.mean_caseload,
            Metric::MaxCaseload => f64::from(day.max_caseload),
            Metric::Officers => f64::from(day.officers()),
            Metric::OfficersFrom(source) => f64::from(day.officers_from(source)),
            Metric::InTraining => f64::from(day.in_training),
            Metric::AvailableHoursPerDay => day.available_hours_per_day,
            Metric::WorkedHours => {
                before.map_or(0.0, |b| day.worked_hours_to_date - b.worked_hours_to_date)
            }
            Metric::Utilisation => match before {
                Some(b) => {
                    let available = day.available_hours_to_date - b.available_hours_to_date;
                    if available > 0.0 {
                        (day.worked_hours_to_date - b.worked_hours_to_date) / available
                    } else {
                        f64::NAN
                    }
                }
                None => f64::NAN,
            },
            Metric::CostToDate => day.cost_to_date,
            Metric::Arrived => day.arrived as f64,
            Metric::Completed => day.completed as f64,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_found_again() {
        for m in Metric::ALL {
            assert_eq!(Metric::from_name(m.name()), Some(m));
        }
        assert_eq!(Metric::from_name("backlog"), None);
    }

    #[test]
    fn worked_hours_and_utilisation_are_of_the_day() {
        let before = TeamDay {
            worked_hours_to_date: 100.0,
            available_hours_to_date: 200.0,
            ..TeamDay::default()
        };
        let day = TeamDay {
            worked_hours_to_date: 130.0,
            available_hours_to_date: 240.0,
            ..TeamDay::default()
        };
        assert_eq!(Metric::WorkedHours.value(&day, Some(&before)), 30.0);
        assert_eq!(Metric::Utilisation.value(&day, Some(&before)), 0.75);
        assert!(Metric::Utilisation.value(&day, None).is_nan());
        assert!(Metric::Utilisation.value(&before, Some(&before)).is_nan());
    }
}
