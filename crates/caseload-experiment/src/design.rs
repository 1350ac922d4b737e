//! What to run and how it is measured: a checked model configuration, the warm-up, the
//! thresholds and dates KPIs are reported against, the bounds a run may take, and the daily
//! series kept; the case type names KPIs and series are named by.

use caseload_model::{ModelConfig, Priority, ValidConfig};

use crate::measure::limits::{Limits, expected_referrals};
use crate::measure::metric::Metric;

/// The thresholds KPIs are reported against.
#[derive(Debug, Clone, PartialEq)]
pub struct Thresholds {
    /// Target time from referral to allocation, days.
    pub allocation_target_days: f64,
    /// Backlog level whose breach on any day is counted, cases.
    pub backlog_breach: Option<f64>,
    /// Backlog level to recover to, cases.
    pub recovery_backlog: Option<f64>,
}

/// A labelled day of the run: a date the waiting list is measured on.
#[derive(Debug, Clone, PartialEq)]
pub struct Census {
    /// How the date is named in KPI names, e.g. `2015-04-01`.
    pub label: String,
    /// Day of the run.
    pub day: u32,
}

/// A labelled span of days: a year of the run, for the hours deficit.
#[derive(Debug, Clone, PartialEq)]
pub struct Period {
    /// How the period is named in KPI names, e.g. `2014-04-01`.
    pub label: String,
    /// First day.
    pub start_day: u32,
    /// Day after the last (at most the horizon).
    pub end_day: u32,
}

/// What to run: a model configuration and how its replications are summarised.
#[derive(Debug, Clone, PartialEq)]
pub struct Design {
    /// The model, checked.
    pub model: ValidConfig,
    /// Days at the start excluded from the KPIs (series keep them).
    pub warmup_days: f64,
    /// KPI thresholds.
    pub thresholds: Thresholds,
    /// Dates the waiting list is measured on, besides the end.
    pub census: Vec<Census>,
    /// Periods (years) the hours deficit is reported for.
    pub years: Vec<Period>,
    /// Whether to keep every case's record (for `cases.csv`); memory grows with the run.
    pub keep_cases: bool,
    /// What a run may take: checked before it starts, and the event budget per replication.
    pub limits: Limits,
    /// Whether the waiting cases are weighed (hours of work left, harm) and counted by
    /// priority and case type day by day, with their KPIs.
    pub weighed_backlog: bool,
}

/// The case type names as the scenario writes them (a type split over teams once), in order.
pub fn case_type_names(model: &ModelConfig) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for name in case_type_name_of(model) {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// The scenario's name of each model case type (its name without `@team`).
fn case_type_name_of(model: &ModelConfig) -> Vec<String> {
    model
        .case_types
        .iter()
        .map(|t| {
            let team = model.teams.get(t.team).map_or("", |t| t.name.as_str());
            t.name
                .strip_suffix(team)
                .and_then(|n| n.strip_suffix('@'))
                .unwrap_or(&t.name)
                .to_string()
        })
        .collect()
}

/// A daily metric's name in outputs: a case type's waiting cases by the type's name
/// (`unallocated_of_child_rape`), any other by [`Metric::name`].
pub fn metric_name(model: &ModelConfig, metric: Metric) -> std::borrow::Cow<'static, str> {
    match metric {
        Metric::UnallocatedOfType(k) => case_type_names(model)
            .get(usize::from(k))
            .map_or_else(|| metric.name(), |n| format!("unallocated_of_{n}").into()),
        _ => metric.name(),
    }
}

/// A daily series kept for bands: a metric of one team or of the total.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SeriesDef {
    /// The team, or `None` for the total over teams.
    pub team: Option<usize>,
    /// The metric.
    pub metric: Metric,
}

impl Design {
    /// Daily snapshots in a replication: days 0 to the horizon (rounded up), inclusive.
    pub fn days(&self) -> usize {
        self.model.horizon_days.ceil() as usize + 1
    }

    /// First day counted in the KPIs.
    pub fn first_kpi_day(&self) -> usize {
        (self.warmup_days.ceil() as usize).min(self.days() - 1)
    }

    /// Days from the first KPI day to the horizon: what a recovery or breach time that does
    /// not happen in the run counts.
    pub fn kpi_window_days(&self) -> usize {
        self.days() - 1 - self.first_kpi_day()
    }

    /// The longest a referral arriving after the warm-up can be followed, days: the span the
    /// restricted means are restricted to.
    pub fn follow_up_days(&self) -> f64 {
        (self.model.horizon_days - self.warmup_days).max(0.0)
    }

    /// About how many referrals arrive after the warm-up (an upper estimate), to reserve
    /// memory once instead of growing it.
    pub fn expected_referrals(&self) -> usize {
        let expected: f64 = self
            .model
            .case_types
            .iter()
            .map(|t| expected_referrals(&t.demand, self.warmup_days, self.model.horizon_days))
            .sum();
        if expected.is_finite() {
            expected as usize
        } else {
            0
        }
    }

    /// The case types as the scenario names them, in order: a type split across teams
    /// (`child_rape@north`, `child_rape@south`) counts once (`child_rape`).
    pub fn case_type_names(&self) -> Vec<String> {
        case_type_names(&self.model)
    }

    /// The scenario's name of each model case type (its name without `@team`).
    fn case_type_name_of(&self) -> Vec<String> {
        case_type_name_of(&self.model)
    }

    /// For each model case type, the index of its name in [`Design::case_type_names`] (at
    /// most [`crate::measure::limits::MAX_TEAMS_OR_CASE_TYPES`] names, checked before a run).
    pub(crate) fn case_type_groups(&self) -> Vec<u16> {
        let names = self.case_type_names();
        self.case_type_name_of()
            .iter()
            .map(|n| names.iter().position(|m| m == n).unwrap_or(0) as u16)
            .collect()
    }

    /// The priorities case types arrive with, ascending.
    pub fn priorities(&self) -> Vec<Priority> {
        let mut p: Vec<Priority> = self.model.case_types.iter().map(|t| t.priority).collect();
        p.sort_unstable();
        p.dedup();
        p
    }

    /// The series kept per day: every metric for all teams, then every metric per team.
    pub fn series(&self) -> Vec<SeriesDef> {
        let metrics = self.metrics();
        std::iter::once(None)
            .chain((0..self.model.teams.len()).map(Some))
            .flat_map(|team| {
                metrics
                    .iter()
                    .map(move |&metric| SeriesDef { team, metric })
            })
            .collect()
    }

    /// The daily metrics kept for each scope: [`Metric::ALL`], then the optional ones the
    /// model has (withdrawals, stage standards).
    pub fn metrics(&self) -> Vec<Metric> {
        let types = &self.model.case_types;
        let has = |m: Metric| match m {
            Metric::Withdrawn => types.iter().any(|t| t.withdrawal.is_some()),
            Metric::ClosedAtTriage => types.iter().any(|t| t.triage.is_some()),
            Metric::Overdue => types.iter().any(|t| t.standard.is_some()),
            Metric::Outcome(_) => types.iter().any(|t| t.outcomes.is_some()),
            Metric::UnallocatedHours | Metric::HarmWeightedBacklog => self.weighed_backlog,
            Metric::RequiresImprovement => self.model.quality.is_some(),
            _ => false,
        };
        let levels = types.iter().map(|t| t.priority).max().unwrap_or(0);
        let weighed = (0..=levels)
            .map(Metric::UnallocatedAtPriority)
            .chain((0..self.case_type_names().len() as u16).map(Metric::UnallocatedOfType))
            .filter(|_| self.weighed_backlog);
        Metric::ALL
            .into_iter()
            .chain(Metric::OPTIONAL.into_iter().filter(|&m| has(m)))
            .chain(weighed)
            .collect()
    }
}

/// Position in `defs` of the series of `metric` for `team` (`None`: all teams).
pub(crate) fn series_index(
    defs: &[SeriesDef],
    team: Option<usize>,
    metric: Metric,
) -> Option<usize> {
    defs.iter()
        .position(|d| d.team == team && d.metric == metric)
}
