//! What one replication yields: the daily series kept for bands and the key performance
//! indicators (KPIs) planners ask for, for all teams and for each team.
//!
//! Every KPI counts every case its name covers. Times to allocation and to outcome take every
//! referral arriving after the warm-up, a case still waiting (or open) at the horizon being
//! right-censored there (Kaplan-Meier quantiles, means restricted to the longest follow-up);
//! waiting lists are measured as they stand (the cases still waiting and their ages), as
//! waiting-list standards are; recovery and breach times are censored at the horizon, so a
//! backlog still high at the end never scores better than one that recovered.
//!
//! The definitions and the values come from one function, [`build`], walked once to name
//! the KPIs and once per replication to compute them, so a name can never be paired with
//! another KPI's value.

use crate::design::Design;
use crate::measure::finished::{CurveOf, Finished};
use crate::measure::metric::Metric;
use crate::measure::observer::KpiObserver;
use crate::measure::stats::Domain;

/// The groups a KPI of completed cases is reported for: all of `scope`'s referrals, and for
/// all teams each case type when there are several, as (name suffix, case type, words).
fn all_and_by_type(
    case_types: &[String],
    scope: Option<usize>,
) -> Vec<(String, Option<usize>, String)> {
    let by_type = case_types
        .iter()
        .enumerate()
        .filter(|_| scope.is_none() && case_types.len() > 1)
        .map(|(i, name)| (format!("_{name}"), Some(i), format!(", {name} referrals")));
    std::iter::once((String::new(), None, String::new()))
        .chain(by_type)
        .collect()
}

/// A KPI's name, scope, unit and meaning.
#[derive(Debug, Clone, PartialEq)]
pub struct KpiDef {
    /// Machine name, e.g. `days_to_allocate_p90_priority_1`.
    pub name: String,
    /// The team it is measured on, or `None` for all teams.
    pub team: Option<String>,
    /// Unit, e.g. "days", "cases", "share".
    pub unit: &'static str,
    /// The values it can take, which its interval respects.
    pub domain: Domain,
    /// One line saying what it is.
    pub description: String,
    /// Which way it is better, for choosing and ranking options.
    pub better: Better,
    /// The parts its name packs: the measure, and the priority, case type and date it is
    /// taken for (as columns of every table, so no analysis starts with a regular expression).
    pub parts: crate::names::KpiParts,
}

/// Which way a KPI is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Better {
    /// Fewer waiting, shorter waits, less cost.
    Smaller,
    /// More allocated in time or charged, more completed, a later breach.
    Larger,
    /// A description, not a goal (referrals, officers in post, utilisation, triage closures,
    /// no-further-action outcomes).
    Neither,
}

impl Better {
    /// Which way the KPI named `name` (without its team) is better.
    pub fn of(name: &str) -> Better {
        const LARGER: [&str; 7] = [
            "share_allocated_within_target",
            "share_meeting_standard",
            "share_outcome_charge",
            "outcome_charge",
            "completed",
            "recovered",
            "days_to_breach",
        ];
        const NEITHER: [&str; 10] = [
            "referrals",
            "officers_in_post",
            "utilisation",
            "hours_worked",
            "hours_available",
            "hours_offered",
            "mean_caseload",
            "closed_at_triage",
            "share_closed_at_triage",
            "outcome_nfa",
        ];
        let is = |list: &[&str]| {
            list.iter().any(|p| {
                name.strip_prefix(p)
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with('_'))
                    || (p.starts_with("outcome_nfa") && name.contains("outcome_nfa"))
            })
        };
        if is(&LARGER) {
            Better::Larger
        } else if is(&NEITHER) {
            Better::Neither
        } else {
            Better::Smaller
        }
    }
}

impl KpiDef {
    /// The name a user types: `name` for all teams, `name@team` for one team.
    pub fn key(&self) -> String {
        match &self.team {
            None => self.name.clone(),
            Some(team) => format!("{}@{team}", self.name),
        }
    }

    /// The KPI in words for a heading or a table, from its description: its first clause,
    /// without asides in brackets, capitalised (`Median days from referral to allocation,
    /// priority 1 on arrival`).
    pub fn label(&self) -> String {
        label_of(&self.description)
    }
}

/// The label [`KpiDef::label`] makes of a description.
pub fn label_of(description: &str) -> String {
    let mut plain = String::with_capacity(description.len());
    let mut depth = 0usize;
    for c in description.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => plain.push(c),
            _ => {}
        }
    }
    let cut = [";", ":", ", restricted to"]
        .iter()
        .filter_map(|stop| plain.find(stop))
        .min()
        .unwrap_or(plain.len());
    let words = plain[..cut]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let words = words.replace(" ,", ",");
    let mut chars = words.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

impl Design {
    /// The KPIs, in the order [`ReplicationResult::kpis`] holds them.
    pub fn kpis(&self) -> Vec<KpiDef> {
        let mut defs = Vec::new();
        build(self, None, &mut |def, _| defs.push(def()));
        defs
    }
}

/// What one replication yields.
#[derive(Debug, Clone, PartialEq)]
pub struct ReplicationResult {
    /// KPI values in [`Design::kpis`] order; NaN where undefined (e.g. no case of a priority),
    /// +infinity where a quantile was not reached.
    pub kpis: Vec<f64>,
    /// Daily values, day-major: `series[d * S + s]` for day `d` of [`Design::series`] `s`
    /// of `S`; kept as `f32` (seven significant digits, a relative rounding of 6e-8 at most).
    pub series: Vec<f32>,
    /// Every case's record (completed, then unfinished), when the design keeps cases.
    pub cases: Vec<caseload_model::CaseRecord>,
    /// Cases returned to the queue: (case number, day), when the design keeps cases.
    pub requeues: Vec<(u64, f64)>,
    /// Engine events processed.
    pub events: u64,
}

/// Walks the KPIs in order, calling `out` with what makes each one's definition and, when
/// `data` is given, its value (NaN otherwise).
pub(crate) fn build(
    design: &Design,
    data: Option<&Finished>,
    out: &mut dyn FnMut(&dyn Fn() -> KpiDef, f64),
) {
    let t = &design.thresholds;
    let model = &design.model;
    let follow_up = design.follow_up_days();
    let age_threshold = model.age_threshold_days;
    let priorities = design.priorities();
    let case_types = design.case_type_names();
    let window = design.kpi_window_days() as f64;
    let scopes = std::iter::once(None).chain((0..model.teams.len()).map(Some));
    for scope in scopes {
        let team = scope.map(|s| model.teams[s].name.clone());
        let mut kpi = |name: &str,
                       unit: &'static str,
                       domain: Domain,
                       description: &dyn Fn() -> String,
                       value: &dyn Fn(&Finished) -> f64| {
            // Made only when asked for: a replication's values need no names.
            let def = || KpiDef {
                parts: crate::names::KpiParts::of(name, &case_types),
                name: name.to_string(),
                team: team.clone(),
                unit,
                domain,
                description: description(),
                better: Better::of(name),
            };
            out(&def, data.map_or(f64::NAN, value));
        };
        let days = Domain::NonNegative;
        kpi(
            "backlog_end",
            "cases",
            days,
            &|| "unallocated cases at the end".into(),
            &|f| f.backlog(scope).last().copied().unwrap_or(f64::NAN),
        );
        kpi(
            "backlog_peak",
            "cases",
            days,
            &|| "most unallocated cases on any day after the warm-up".into(),
            &|f| f.backlog(scope).iter().copied().fold(f64::NAN, f64::max),
        );

        if design.weighed_backlog {
            kpi(
                "unallocated_hours_end",
                "hours",
                days,
                &|| "investigator-hours of work left in the cases waiting at the end".into(),
                &|f| f.last_day(scope, Metric::UnallocatedHours),
            );
            kpi(
                "unallocated_hours_mean",
                "hours",
                days,
                &|| {
                    "investigator-hours of work left in the waiting cases, mean over the days after the warm-up"
                        .into()
                },
                &|f| f.daily_mean(scope, Metric::UnallocatedHours),
            );
            kpi(
                "harm_weighted_backlog_end",
                "weighted cases",
                days,
                &|| "cases waiting at the end, each counted by its case type's harm weight".into(),
                &|f| f.last_day(scope, Metric::HarmWeightedBacklog),
            );
            kpi(
                "harm_weighted_backlog_mean",
                "weighted cases",
                days,
                &|| {
                    "cases waiting, each counted by its case type's harm weight, mean over the days after the warm-up"
                        .into()
                },
                &|f| f.daily_mean(scope, Metric::HarmWeightedBacklog),
            );
            kpi(
                "harm_weighted_days_waiting",
                "weighted days",
                days,
                &|| {
                    "days unallocated of the referrals after the warm-up (to the end, or until the victim withdrew), each times its case type's harm weight, summed: the child-days at risk"
                        .into()
                },
                &|f| f.harm_weighted_days_waiting(scope),
            );
        }
        if model.case_types.iter().any(|c| c.triage.is_some()) {
            kpi(
                "closed_at_triage",
                "cases",
                days,
                &|| {
                    "referrals after the warm-up closed after their triage screen with no further work (by the end)"
                        .into()
                },
                &|f| f.closed_at_triage(scope).0,
            );
            kpi(
                "share_closed_at_triage",
                "share",
                Domain::Share,
                &|| {
                    "share of the referrals after the warm-up closed after their triage screen (by the end; those not yet screened may close later)"
                        .into()
                },
                &|f| {
                    let (closed, referrals) = f.closed_at_triage(scope);
                    if referrals > 0.0 {
                        closed / referrals
                    } else {
                        f64::NAN
                    }
                },
            );
        }
        if model.case_types.iter().any(|c| c.withdrawal.is_some()) {
            kpi(
                "withdrawn",
                "cases",
                days,
                &|| {
                    "referrals after the warm-up whose victims withdrew support while they waited (by the end)"
                        .into()
                },
                &|f| f.withdrawn(scope, None).0,
            );
            kpi(
                "share_withdrawn",
                "share",
                Domain::Share,
                &|| {
                    "share of the referrals after the warm-up whose victims withdrew support while they waited (by the end; those still waiting may withdraw later)"
                        .into()
                },
                &|f| {
                    let (withdrawn, referrals) = f.withdrawn(scope, None);
                    if referrals > 0.0 {
                        withdrawn / referrals
                    } else {
                        f64::NAN
                    }
                },
            );
        }

        if model.case_types.iter().any(|c| c.standard.is_some()) {
            kpi(
                "share_meeting_standard",
                "share",
                Domain::Share,
                &|| {
                    "share of referrals after the warm-up (of case types with a stage standard) whose standard's stage finished within its days of the referral (Kaplan-Meier, every referral counted; withdrawn ones never meet it)"
                        .into()
                },
                &|f| f.share_meeting_standard(scope),
            );
            kpi(
                "overdue_end",
                "cases",
                days,
                &|| {
                    "cases past the timeliness standard of a stage they have not finished, at the end"
                        .into()
                },
                &|f| f.last_day(scope, Metric::Overdue),
            );
        }
        if model.case_types.iter().any(|c| c.outcomes.is_some()) {
            // All teams: also by case type (as the scenario names them) when there are several.
            let groups = all_and_by_type(&case_types, scope);
            for (suffix, case_type, said) in &groups {
                for outcome in caseload_model::Outcome::ALL {
                    let name = outcome.name();
                    let what = match outcome {
                        caseload_model::Outcome::Charge => "charged or summonsed",
                        caseload_model::Outcome::NfaEvidential => {
                            "no further action for evidential difficulties"
                        }
                        caseload_model::Outcome::NfaVictim => {
                            "no further action as the victim does not support"
                        }
                    };
                    kpi(
                        &format!("outcome_{name}{suffix}"),
                        "cases",
                        days,
                        &|| {
                            format!(
                                "referrals after the warm-up completed by the end, {what}{said}"
                            )
                        },
                        &|f| f.outcomes(scope, *case_type)[outcome.index()],
                    );
                    kpi(
                        &format!("share_outcome_{name}{suffix}"),
                        "share",
                        Domain::Share,
                        &|| {
                            format!(
                                "share of the referrals after the warm-up completed by the end (of case types with outcomes) {what}{said}"
                            )
                        },
                        &|f| {
                            let counts = f.outcomes(scope, *case_type);
                            let all: f64 = counts.iter().sum();
                            if all > 0.0 {
                                counts[outcome.index()] / all
                            } else {
                                f64::NAN
                            }
                        },
                    );
                }
            }
        }

        if model.quality.is_some() {
            // All teams: also by case type (as the scenario names them) when there are several.
            let groups = all_and_by_type(&case_types, scope);
            for (suffix, case_type, said) in &groups {
                kpi(
                    &format!("requires_improvement{suffix}"),
                    "cases",
                    days,
                    &|| {
                        format!(
                            "investigations of referrals after the warm-up completed by the end and judged to require improvement or inadequate{said}"
                        )
                    },
                    &|f| f.judged(scope, *case_type).1,
                );
                kpi(
                    &format!("share_requires_improvement{suffix}"),
                    "share",
                    Domain::Share,
                    &|| {
                        format!(
                            "share of the investigations of referrals after the warm-up completed by the end (closed at triage left out) judged to require improvement or inadequate{said}"
                        )
                    },
                    &|f| {
                        let (judged, requires) = f.judged(scope, *case_type);
                        if judged > 0.0 {
                            requires / judged
                        } else {
                            f64::NAN
                        }
                    },
                );
            }
        }

        // The mean to allocation is of the referrals whose victims did not withdraw (a
        // withdrawal is never an allocation, and counting it as waiting to the end would make
        // the mean a measure of withdrawals); the quantiles count every referral.
        let waits: [(&str, &str, CurveOf, CurveOf, &str); 2] = [
            (
                "days_to_allocate",
                "from referral to allocation (every day spent unallocated, also after a return to the queue)",
                |f, s, p| f.allocation(s, p),
                |f, s, p| f.allocation_kept(s, p),
                if model.case_types.iter().any(|c| c.withdrawal.is_some()) {
                    " of the referrals whose victims did not withdraw (share_withdrawn gives how many did)"
                } else {
                    ""
                },
            ),
            (
                "days_to_outcome",
                "from referral to completion",
                |f, s, p| f.outcome(s, p),
                |f, s, p| f.outcome(s, p),
                "",
            ),
        ];
        for (stem, what, curve, mean_curve, of_whom) in waits {
            // Allocation is broken down by arrival priority, outcome by case type (all teams).
            let by_priority = priorities
                .iter()
                .enumerate()
                .filter(|_| scope.is_none() && stem == "days_to_allocate")
                .map(|(i, p)| {
                    (
                        format!("_priority_{p}"),
                        Some(i),
                        format!(", priority {p} on arrival"),
                    )
                });
            let by_type = case_types
                .iter()
                .enumerate()
                .filter(|_| scope.is_none() && stem == "days_to_outcome" && case_types.len() > 1)
                .map(|(i, name)| (format!("_{name}"), Some(i), format!(", {name} referrals")));
            let groups: Vec<(String, Option<usize>, String)> =
                std::iter::once((String::new(), None, String::new()))
                    .chain(by_priority)
                    .chain(by_type)
                    .collect();
            for (suffix, priority, said) in &groups {
                kpi(
                    &format!("{stem}_median{suffix}"),
                    "days",
                    days,
                    &|| {
                        format!(
                            "median days {what}{said}; Kaplan-Meier, cases unfinished at the end censored (infinite: not reached)"
                        )
                    },
                    &|f| curve(f, scope, *priority).quantile(0.5).value(),
                );
                kpi(
                    &format!("{stem}_p90{suffix}"),
                    "days",
                    days,
                    &|| {
                        format!(
                            "90th percentile days {what}{said}; Kaplan-Meier, censored as the median"
                        )
                    },
                    &|f| curve(f, scope, *priority).quantile(0.9).value(),
                );
                kpi(
                    &format!("{stem}_mean{suffix}"),
                    "days",
                    days,
                    &|| {
                        format!(
                            "mean days {what}{said}{of_whom}, restricted to {follow_up} days (the mean of the smaller of the time and {follow_up}; unfinished cases count their time so far)"
                        )
                    },
                    &|f| mean_curve(f, scope, *priority).restricted_mean(),
                );
            }
            // Outcome by case type and year of referral (all teams): a cohort's median, the
            // later cohorts' more censored by the end.
            if stem == "days_to_outcome" && scope.is_none() && case_types.len() > 1 {
                for (i, name) in case_types.iter().enumerate() {
                    for (y, year) in design.years.iter().enumerate() {
                        let label = &year.label;
                        kpi(
                            &format!("days_to_outcome_median_from_{label}_{name}"),
                            "days",
                            days,
                            &|| {
                                format!(
                                    "median days from referral to completion, {name} referrals of the year from {label}; Kaplan-Meier, cases unfinished at the end censored (infinite: not reached)"
                                )
                            },
                            &|f| {
                                f.outcome_in_year(i, y)
                                    .map_or(f64::NAN, |c| c.quantile(0.5).value())
                            },
                        );
                    }
                }
            }
            if stem == "days_to_allocate" {
                let target = t.allocation_target_days;
                kpi(
                    "share_allocated_within_target",
                    "share",
                    Domain::Share,
                    &|| {
                        format!(
                            "share of referrals allocated within {target} days (Kaplan-Meier, every referral counted)"
                        )
                    },
                    &|f| f.allocation(scope, None).share_by(),
                );
            }
        }

        let lists = std::iter::once(("end".to_string(), None)).chain(
            design
                .census
                .iter()
                .enumerate()
                .map(|(i, c)| (format!("at_{}", c.label), Some(i))),
        );
        for (when, census) in lists {
            let said = match census {
                None => "at the end".to_string(),
                Some(i) => format!("on {}", design.census[i].label),
            };
            let groups = std::iter::once((String::new(), None, String::new())).chain(
                priorities
                    .iter()
                    .enumerate()
                    .filter(|_| scope.is_none())
                    .map(|(i, p)| {
                        (
                            format!("_priority_{p}"),
                            Some(i),
                            format!(" of priority {p}"),
                        )
                    }),
            );
            for (suffix, priority, of) in groups {
                if census.is_some() || priority.is_some() {
                    kpi(
                        &format!("waiting_{when}{suffix}"),
                        "cases",
                        days,
                        &|| format!("cases{of} waiting unallocated {said}"),
                        &|f| f.waiting_list(census, scope, priority).count(),
                    );
                }
                kpi(
                    &format!("waiting_age_median_{when}{suffix}"),
                    "days",
                    days,
                    &|| {
                        format!(
                            "median days since referral of the cases{of} waiting {said} (undefined when none wait)"
                        )
                    },
                    &|f| f.waiting_list(census, scope, priority).age_quantile(0.5),
                );
                kpi(
                    &format!("waiting_age_p90_{when}{suffix}"),
                    "days",
                    days,
                    &|| {
                        format!(
                            "90th percentile days since referral of the cases{of} waiting {said}"
                        )
                    },
                    &|f| f.waiting_list(census, scope, priority).age_quantile(0.9),
                );
                kpi(
                    &format!("share_waiting_over_threshold_{when}{suffix}"),
                    "share",
                    Domain::Share,
                    &|| {
                        format!(
                            "share of the cases{of} waiting {said} that have waited over {age_threshold} days since referral (0 when none wait)"
                        )
                    },
                    &|f| {
                        f.waiting_list(census, scope, priority)
                            .share_older_than(age_threshold)
                    },
                );
            }
        }

        if let Some(level) = t.recovery_backlog {
            kpi(
                "recovered",
                "share",
                Domain::Indicator,
                &|| format!("share of replications whose backlog is at most {level} at the end"),
                &|f| f.recovery_day(scope, level).map_or(0.0, |_| 1.0),
            );
            kpi(
                "days_to_recover",
                "days",
                days,
                &|| {
                    format!(
                        "days after the warm-up until the backlog is at most {level} for good (0 if it never exceeds it); a backlog above it at the end counts the whole {} days, so the mean is restricted to them",
                        design.kpi_window_days()
                    )
                },
                &|f| f.recovery_day(scope, level).unwrap_or(window),
            );
        }
        if let Some(level) = t.backlog_breach {
            kpi(
                "backlog_breach_probability",
                "share",
                Domain::Indicator,
                &|| {
                    format!(
                        "share of replications whose backlog exceeds {level} on some day after the warm-up"
                    )
                },
                &|f| f.breach_day(scope, level).map_or(0.0, |_| 1.0),
            );
            kpi(
                "days_to_breach",
                "days",
                days,
                &|| {
                    format!(
                        "days after the warm-up until the backlog first exceeds {level}; never counts the whole {} days (a restricted mean: larger is better)",
                        design.kpi_window_days()
                    )
                },
                &|f| f.breach_day(scope, level).unwrap_or(window),
            );
        }

        kpi(
            "mean_caseload",
            "cases per officer",
            days,
            &|| {
                "open cases per officer at work: open-case-days over officer-days after the warm-up (a ratio of the daily totals)".into()
            },
            &|f| f.mean_caseload(scope),
        );
        kpi(
            "officers_in_post",
            "officers",
            days,
            &|| "officers in post, averaged over the days after the warm-up".into(),
            &|f| f.daily_mean(scope, Metric::Officers),
        );
        kpi(
            "hours_worked",
            "hours",
            days,
            &|| "hours spent on work stages after the warm-up".into(),
            &|f| f.cumulative(scope, |d| d.worked_hours_to_date),
        );
        kpi(
            "hours_available",
            "hours",
            days,
            &|| "investigation hours available after the warm-up".into(),
            &|f| f.cumulative(scope, |d| d.available_hours_to_date),
        );
        kpi(
            "utilisation",
            "share",
            Domain::Share,
            &|| "hours worked over hours available after the warm-up".into(),
            &|f| {
                let available = f.cumulative(scope, |d| d.available_hours_to_date);
                if available > 0.0 {
                    f.cumulative(scope, |d| d.worked_hours_to_date) / available
                } else {
                    f64::NAN
                }
            },
        );
        kpi(
            "hours_offered",
            "hours",
            days,
            &|| "hours of work in the referrals arrived after the warm-up".into(),
            &|f| f.cumulative(scope, |d| d.offered_hours_to_date),
        );
        if scope.is_none() {
            for period in &design.years {
                kpi(
                    &format!("hours_deficit_{}", period.label),
                    "hours",
                    Domain::Real,
                    &|| {
                        format!(
                            "hours of work offered by the referrals of the year from {} less the investigation hours available in it (negative: spare hours)",
                            period.label
                        )
                    },
                    &|f| f.deficit(period),
                );
            }
        }
        kpi(
            "referrals",
            "cases",
            days,
            &|| "referrals arrived after the warm-up".into(),
            &|f| f.cumulative(scope, |d| d.arrived as f64),
        );
        kpi(
            "completed",
            "cases",
            days,
            &|| "cases completed after the warm-up".into(),
            &|f| f.cumulative(scope, |d| d.completed as f64),
        );
        kpi(
            "cost",
            "pounds",
            days,
            &|| "staffing cost after the warm-up".into(),
            &|f| f.cumulative(scope, |d| d.cost_to_date),
        );
        kpi(
            "cost_per_completed_case",
            "pounds",
            days,
            &|| "staffing cost per case completed after the warm-up".into(),
            &|f| {
                let completed = f.cumulative(scope, |d| d.completed as f64);
                if completed > 0.0 {
                    f.cumulative(scope, |d| d.cost_to_date) / completed
                } else {
                    f64::NAN
                }
            },
        );
    }
}

/// The KPIs and what else a replication leaves, from its observer once the run has ended.
pub(crate) fn replication_result(mut observer: KpiObserver<'_>, events: u64) -> ReplicationResult {
    observer.sort_for_reading();
    let mut values = Vec::new();
    let finished = Finished::new(&observer);
    build(observer.design, Some(&finished), &mut |_, v| values.push(v));
    drop(finished);
    let (series, cases, requeues) = observer.into_parts();
    ReplicationResult {
        kpis: values,
        series,
        cases,
        requeues,
        events,
    }
}

#[cfg(test)]
mod tests {
    use super::Better;

    #[test]
    fn each_kpi_says_which_way_is_better() {
        for name in [
            "share_allocated_within_target",
            "share_meeting_standard",
            "share_outcome_charge",
            "completed",
            "days_to_breach",
        ] {
            assert_eq!(Better::of(name), Better::Larger, "{name}");
        }
        for name in [
            "backlog_end",
            "share_requires_improvement",
            "share_withdrawn",
            "share_waiting_over_threshold_end_priority_1",
            "cost_per_completed_case",
            "days_to_allocate_p90",
            "backlog_breach_probability",
        ] {
            assert_eq!(Better::of(name), Better::Smaller, "{name}");
        }
        for name in [
            "referrals",
            "utilisation",
            "share_outcome_nfa_victim",
            "outcome_nfa_evidential",
            "closed_at_triage",
        ] {
            assert_eq!(Better::of(name), Better::Neither, "{name}");
        }
    }
}
