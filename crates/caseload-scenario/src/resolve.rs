//! From the file as written to a runnable [`RunPlan`]: names become indices, dates become
//! simulation days, defaults are filled in, and every value is checked with the field path of
//! the problem, so the loader can point at its line.

use std::path::Path;

use caseload_des::Dist;
use caseload_experiment::suggestion;
use caseload_experiment::{Census, Design, Limits, Period, Thresholds};
use caseload_model::{
    ActionKind, CaseType, Demand, DemandStep, ModelConfig, NewStarters, PoissonDemand, Recruitment,
    StaffingAction, Stage, StartingCase, TeamConfig, ValidConfig,
};
use indexmap::IndexMap;
use time::Date;

use crate::error::FieldPath;
use crate::file::{
    ActionFile, ActionName, CaseTypeFile, DateField, DemandFile, DistFile, DistName, ScenarioFile,
    StageFile, StartingCasesFile, TeamFile,
};

/// A problem found in a parsed file: where, and what.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Problem {
    pub path: FieldPath,
    pub message: String,
}

type Checked<T> = Result<T, Problem>;

fn problem<T>(path: &FieldPath, message: impl Into<String>) -> Checked<T> {
    Err(Problem {
        path: path.clone(),
        message: message.into(),
    })
}

/// Most cases a starting backlog may hold (London's whole command held tens of thousands).
pub const MAX_STARTING_CASES: u64 = 10_000_000;

/// A staffing action as charts and tables show it.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionMarker {
    /// Its name in the scenario file.
    pub name: String,
    /// Its kind, e.g. "transfer".
    pub kind: &'static str,
    /// Its description, if the file gives one.
    pub description: Option<String>,
    /// Day it takes effect, days since the start.
    pub start_day: f64,
    /// Day it ends, if it does.
    pub end_day: Option<f64>,
}

/// One runnable configuration: the scenario as written, or one of its variants.
#[derive(Debug, Clone, PartialEq)]
pub struct RunPlan {
    /// The scenario's name.
    pub scenario: String,
    /// The variant's name, or `None` for the scenario as written.
    pub variant: Option<String>,
    /// What it represents.
    pub description: Option<String>,
    /// Calendar date of day 0.
    pub start_date: Date,
    /// Days at the start excluded from the KPIs.
    pub warmup_days: f64,
    /// Replications to run unless told otherwise.
    pub replications: u32,
    /// Seed of the random streams unless told otherwise.
    pub seed: u64,
    /// Thresholds the KPIs are reported against.
    pub thresholds: Thresholds,
    /// Dates the waiting list is measured on besides the end (`[kpi] dates`), ascending.
    pub census: Vec<Census>,
    /// The model configuration, checked.
    pub model: ValidConfig,
    /// The staffing actions in file order, for markers on charts.
    pub actions: Vec<ActionMarker>,
}

impl RunPlan {
    /// The label used in outputs: the scenario name, or `scenario/variant`.
    pub fn label(&self) -> String {
        match &self.variant {
            Some(v) => format!("{}/{v}", self.scenario),
            None => self.scenario.clone(),
        }
    }

    /// The experiment's design of this plan: the model, its warm-up, the KPI thresholds,
    /// census dates and years; `keep_cases` keeps every case's record (for `cases.csv`).
    pub fn design(&self, keep_cases: bool, limits: Limits) -> Design {
        Design {
            model: self.model.clone(),
            warmup_days: self.warmup_days,
            thresholds: self.thresholds.clone(),
            census: self.census.clone(),
            years: self
                .years()
                .into_iter()
                .map(|(date, start_day, end_day)| Period {
                    label: date.to_string(),
                    start_day,
                    end_day,
                })
                .collect(),
            keep_cases,
            limits,
        }
    }

    /// Calendar date of simulation day `day` (days since the start).
    pub fn date_of_day(&self, day: u32) -> Date {
        self.start_date
            .checked_add(time::Duration::days(i64::from(day)))
            .unwrap_or(Date::MAX)
    }

    /// The run's years after the warm-up, from each anniversary of the end of the warm-up:
    /// (first date, first day, day after the last), the last cut at the end of the run.
    pub fn years(&self) -> Vec<(Date, u32, u32)> {
        let horizon = self.model.horizon_days.ceil() as u32;
        let first = self.date_of_day(self.warmup_days.ceil() as u32);
        let day_of = |d: Date| (d - self.start_date).whole_days().max(0) as u32;
        let mut years = Vec::new();
        let mut from = first;
        while day_of(from) < horizon {
            let next = from.replace_year(from.year() + 1).unwrap_or_else(|_| {
                // 29 February: the next year's 1 March.
                from.next_day()
                    .and_then(|d| d.replace_year(from.year() + 1).ok())
                    .unwrap_or(Date::MAX)
            });
            years.push((from, day_of(from), day_of(next).min(horizon)));
            from = next;
        }
        years
    }
}

/// Converts a TOML date field to a calendar date.
pub(crate) fn calendar_date(field: &DateField, path: &FieldPath) -> Checked<Date> {
    let datetime = field.0;
    let (Some(date), None, None) = (datetime.date, datetime.time, datetime.offset) else {
        return problem(
            path,
            format!("expected a date like 2014-04-01, got {datetime}"),
        );
    };
    let month = time::Month::try_from(date.month).ok();
    match month.and_then(|m| Date::from_calendar_date(i32::from(date.year), m, date.day).ok()) {
        Some(d) => Ok(d),
        None => problem(path, format!("{datetime} is not a calendar date")),
    }
}

/// The `[kpi] dates`: each inside the KPI period (after the warm-up, before the end), in
/// ascending order without repeats.
fn census_dates(
    dates: &[DateField],
    path: &FieldPath,
    start: Date,
    warmup: f64,
    horizon: f64,
) -> Checked<Vec<Census>> {
    let mut out: Vec<(Date, u32)> = Vec::new();
    for (i, field) in dates.iter().enumerate() {
        let path = path.index(i);
        let date = calendar_date(field, &path)?;
        let day = (date - start).whole_days() as f64;
        if day < warmup || day >= horizon {
            return problem(
                &path,
                format!(
                    "{date} is outside the KPI period: expected a date from the end of the \
                     warm-up (day {warmup}) to before the end (day {horizon})"
                ),
            );
        }
        if out.last().is_some_and(|&(d, _)| d >= date) {
            return problem(
                &path,
                format!("{date}: expected dates in ascending order, each once"),
            );
        }
        out.push((date, day as u32));
    }
    Ok(out
        .into_iter()
        .map(|(date, day)| Census {
            label: date.to_string(),
            day,
        })
        .collect())
}

struct Context<'a> {
    start: Date,
    teams: &'a IndexMap<String, TeamFile>,
    base_dir: &'a Path,
}

impl Context<'_> {
    fn day(&self, field: &DateField, path: &FieldPath) -> Checked<f64> {
        let date = calendar_date(field, path)?;
        Ok((date - self.start).whole_days() as f64)
    }

    fn team(&self, name: &str, path: &FieldPath) -> Checked<usize> {
        match self.teams.get_index_of(name) {
            Some(i) => Ok(i),
            None => problem(
                path,
                format!(
                    "no team is named `{name}`{}",
                    suggestion(name, self.teams.keys().map(String::as_str))
                ),
            ),
        }
    }
}

fn finite(path: &FieldPath, x: f64, low: f64, what: &str) -> Checked<f64> {
    if x.is_finite() && x >= low {
        Ok(x)
    } else {
        problem(path, format!("expected {what}, got {x}"))
    }
}

fn non_negative(path: &FieldPath, x: f64) -> Checked<f64> {
    finite(path, x, 0.0, "a number >= 0")
}

fn positive(path: &FieldPath, x: f64) -> Checked<f64> {
    if x.is_finite() && x > 0.0 {
        Ok(x)
    } else {
        problem(path, format!("expected a number > 0, got {x}"))
    }
}

fn at_least(path: &FieldPath, x: f64, min: f64) -> Checked<f64> {
    if x.is_finite() && x >= min {
        Ok(x)
    } else {
        problem(path, format!("expected a number >= {min}, got {x}"))
    }
}

fn share(path: &FieldPath, x: f64) -> Checked<f64> {
    if (0.0..=1.0).contains(&x) {
        Ok(x)
    } else {
        problem(path, format!("expected a share between 0 and 1, got {x}"))
    }
}

/// Resolves a parsed file into a plan. `variant` names the variant being resolved, if any;
/// `base_dir` is where relative file names point.
pub(crate) fn resolve(
    file: &ScenarioFile,
    scenario_name: &str,
    variant: Option<(&str, Option<&str>)>,
    base_dir: &Path,
) -> Checked<RunPlan> {
    let root = FieldPath::root().key("scenario");
    let s = &file.scenario;
    let start = calendar_date(&s.start, &root.key("start"))?;
    let end = calendar_date(&s.end, &root.key("end"))?;
    let horizon = (end - start).whole_days() as f64;
    if horizon <= 0.0 {
        return problem(
            &root.key("end"),
            format!("the scenario ends ({end}) on or before its start ({start})"),
        );
    }
    let warmup = non_negative(&root.key("warmup_days"), s.warmup_days)?;
    if warmup >= horizon {
        return problem(
            &root.key("warmup_days"),
            format!("the warm-up ({warmup} days) must be shorter than the run ({horizon} days)"),
        );
    }
    if s.replications == 0 {
        return problem(&root.key("replications"), "expected at least 1 replication");
    }
    let kpi_path = FieldPath::root().key("kpi");
    let age_threshold_days = non_negative(
        &kpi_path.key("age_threshold_days"),
        file.kpi.age_threshold_days,
    )?;
    let thresholds = Thresholds {
        allocation_target_days: non_negative(
            &kpi_path.key("allocation_target_days"),
            file.kpi.allocation_target_days,
        )?,
        backlog_breach: file
            .kpi
            .backlog_breach
            .map(|x| non_negative(&kpi_path.key("backlog_breach"), x))
            .transpose()?,
        recovery_backlog: file
            .kpi
            .recovery_backlog
            .map(|x| non_negative(&kpi_path.key("recovery_backlog"), x))
            .transpose()?,
    };
    let census = census_dates(
        &file.kpi.dates,
        &kpi_path.key("dates"),
        start,
        warmup,
        horizon,
    )?;
    let context = Context {
        start,
        teams: &file.teams,
        base_dir,
    };
    if file.teams.is_empty() {
        return problem(
            &FieldPath::root().key("teams"),
            "at least one team is needed",
        );
    }
    let teams = file
        .teams
        .iter()
        .map(|(name, team)| resolve_team(name, team, &file.team_defaults))
        .collect::<Checked<Vec<_>>>()?;
    if file.case_types.is_empty() {
        return problem(
            &FieldPath::root().key("case_types"),
            "at least one case type is needed",
        );
    }
    let mut case_types = Vec::new();
    // For each case type in the file, the model case types it became, by team.
    let mut expanded: Vec<Vec<(usize, usize)>> = Vec::new();
    for (name, case_type) in &file.case_types {
        let made = resolve_case_type(name, case_type, &context)?;
        expanded.push(
            made.into_iter()
                .map(|t| {
                    case_types.push(t);
                    (case_types[case_types.len() - 1].team, case_types.len() - 1)
                })
                .collect(),
        );
    }
    let mut actions = Vec::new();
    let mut markers = Vec::new();
    for (name, action) in &file.actions {
        let path = FieldPath::root().key("actions").key(name);
        let made = resolve_action(action, &path, &context)?;
        if let Some(first) = made.first() {
            markers.push(ActionMarker {
                name: name.clone(),
                kind: first.kind.name(),
                description: action.description.clone(),
                start_day: first.start_day,
                end_day: first.end_day,
            });
        }
        actions.extend(made);
    }
    let mut starting_backlog = Vec::new();
    let rows = match &s.starting_backlog_csv {
        Some(csv) => read_starting_backlog(&base_dir.join(csv), &root.key("starting_backlog_csv"))?,
        None => Vec::new(),
    };
    let inline = file.starting_backlog.iter().enumerate().map(|(i, row)| {
        (
            FieldPath::root().key("starting_backlog").index(i),
            row.clone(),
        )
    });
    for (path, row) in inline.chain(rows) {
        resolve_starting_cases(
            &row,
            &path,
            file,
            &expanded,
            &context,
            &mut starting_backlog,
        )?;
    }
    let model = ModelConfig {
        horizon_days: horizon,
        start_day_of_year: f64::from(start.ordinal() - 1),
        case_types,
        teams,
        actions,
        starting_backlog,
        age_threshold_days,
    };
    let model = match model.validated() {
        Ok(model) => model,
        Err(err) => return problem(&FieldPath::root(), format!("inconsistent scenario: {err}")),
    };
    Ok(RunPlan {
        scenario: scenario_name.to_string(),
        variant: variant.map(|(name, _)| name.to_string()),
        description: variant
            .and_then(|(_, d)| d.map(str::to_string))
            .or_else(|| s.description.clone()),
        start_date: start,
        warmup_days: warmup,
        replications: s.replications,
        seed: s.seed,
        thresholds,
        census,
        model,
        actions: markers,
    })
}

fn resolve_team(name: &str, team: &TeamFile, defaults: &TeamFile) -> Checked<TeamConfig> {
    let path = FieldPath::root().key("teams").key(name);
    let missing = |field: &str| Problem {
        path: path.clone(),
        message: format!("`{field}` is missing (set it here or in [team_defaults])"),
    };
    let establishment = team
        .establishment
        .or(defaults.establishment)
        .ok_or_else(|| missing("establishment"))?;
    let caseload_cap = team
        .caseload_cap
        .or(defaults.caseload_cap)
        .ok_or_else(|| missing("caseload_cap"))?;
    if caseload_cap == 0 {
        return problem(&path.key("caseload_cap"), "expected at least 1 case");
    }
    let hours = team
        .contracted_hours_per_year
        .or(defaults.contracted_hours_per_year)
        .ok_or_else(|| missing("contracted_hours_per_year"))?;
    let recruitment = team.recruitment.as_ref().or(defaults.recruitment.as_ref());
    let new_starters = team
        .new_starters
        .as_ref()
        .or(defaults.new_starters.as_ref());
    Ok(TeamConfig {
        name: name.to_string(),
        establishment,
        strength: team.strength.or(defaults.strength).unwrap_or(establishment),
        caseload_cap,
        contracted_hours_per_year: positive(&path.key("contracted_hours_per_year"), hours)?,
        abstraction: share(
            &path.key("abstraction"),
            team.abstraction.or(defaults.abstraction).unwrap_or(0.0),
        )?,
        other_duties: share(
            &path.key("other_duties"),
            team.other_duties.or(defaults.other_duties).unwrap_or(0.0),
        )?,
        attrition_per_year: non_negative(
            &path.key("attrition_per_year"),
            team.attrition_per_year
                .or(defaults.attrition_per_year)
                .unwrap_or(0.0),
        )?,
        recruitment: recruitment
            .map(|r| {
                let p = path.key("recruitment");
                Ok(Recruitment {
                    interval_days: at_least(
                        &p.key("interval_days"),
                        r.interval_days,
                        caseload_model::MIN_PANEL_INTERVAL_DAYS,
                    )?,
                    lag_days: non_negative(&p.key("lag_days"), r.lag_days)?,
                })
            })
            .transpose()?,
        new_starters: new_starters
            .map(|n| {
                let p = path.key("new_starters");
                Ok(NewStarters {
                    course_days: non_negative(&p.key("course_days"), n.course_days)?,
                    ramp_up_days: non_negative(&p.key("ramp_up_days"), n.ramp_up_days)?,
                    ramp_up_productivity: share(
                        &p.key("ramp_up_productivity"),
                        n.ramp_up_productivity,
                    )?,
                })
            })
            .transpose()?,
        cost_per_day: non_negative(
            &path.key("cost_per_day"),
            team.cost_per_day.or(defaults.cost_per_day).unwrap_or(0.0),
        )?,
    })
}

fn resolve_case_type(
    name: &str,
    case_type: &CaseTypeFile,
    context: &Context<'_>,
) -> Checked<Vec<CaseType>> {
    let path = FieldPath::root().key("case_types").key(name);
    let routes: Vec<(usize, f64)> = match (&case_type.team, &case_type.teams) {
        (Some(team), None) => vec![(context.team(team, &path.key("team"))?, 1.0)],
        (None, Some(shares)) if !shares.is_empty() => {
            let mut routes = Vec::new();
            for (team, share_of) in shares {
                let p = path.key("teams").key(team);
                let index = context.team(team, &p)?;
                routes.push((index, positive(&p, *share_of).and_then(|x| share(&p, x))?));
            }
            let total: f64 = routes.iter().map(|r| r.1).sum();
            if (total - 1.0).abs() > 1e-6 {
                return problem(
                    &path.key("teams"),
                    format!("the shares add up to {total}, expected 1"),
                );
            }
            routes
        }
        (Some(_), Some(_)) => {
            return problem(&path.key("teams"), "give `team` or `teams`, not both");
        }
        (None, _) => {
            return problem(
                &path,
                "`team` is missing (the team that receives these referrals, or `teams` with shares)",
            );
        }
    };
    let escalate_after_days = case_type
        .escalate_after_days
        .map(|d| positive(&path.key("escalate_after_days"), d))
        .transpose()?;
    let historic_share = share(&path.key("historic_share"), case_type.historic_share)?;
    if case_type.stages.is_empty() {
        return problem(
            &path.key("stages"),
            "at least one stage is needed, e.g. [{ work = { dist = \"exponential\", mean = 40 } }]",
        );
    }
    let stages = case_type
        .stages
        .iter()
        .enumerate()
        .map(|(i, stage)| resolve_stage(stage, &path.key("stages").index(i)))
        .collect::<Checked<Vec<_>>>()?;
    let demand_path = path.key("demand");
    let demand = resolve_demand(&case_type.demand, &demand_path, context)?;
    if routes.len() > 1 && matches!(demand, Demand::Trace { .. }) {
        return problem(
            &demand_path.key("trace"),
            "a trace of counts cannot be split across teams: give one `team`",
        );
    }
    Ok(routes
        .iter()
        .map(|&(team, share_of)| CaseType {
            name: if routes.len() == 1 {
                name.to_string()
            } else {
                format!(
                    "{name}@{}",
                    context.teams.get_index(team).map_or("", |t| t.0)
                )
            },
            demand: match &demand {
                Demand::Poisson(p) => Demand::Poisson(PoissonDemand {
                    annual_rate: p.annual_rate * share_of,
                    ..p.clone()
                }),
                trace => trace.clone(),
            },
            priority: case_type.priority,
            escalate_after_days,
            stages: stages.clone(),
            team,
            historic_share,
        })
        .collect())
}

fn resolve_stage(stage: &StageFile, path: &FieldPath) -> Checked<Stage> {
    match (&stage.work, &stage.wait) {
        (Some(work), None) => Ok(Stage::Work(resolve_dist(work, &path.key("work"))?)),
        (None, Some(wait)) => Ok(Stage::Wait(resolve_dist(wait, &path.key("wait"))?)),
        _ => problem(
            path,
            "a stage is exactly one of `work` (hours) or `wait` (days), e.g. { wait = { dist = \"fixed\", value = 30 } }",
        ),
    }
}

/// Converts a distribution as written, checking that its parameters fit its name.
pub(crate) fn resolve_dist(d: &DistFile, path: &FieldPath) -> Checked<Dist> {
    let given = [
        ("mean", d.mean.is_some()),
        ("cv", d.cv.is_some()),
        ("median", d.median.is_some()),
        ("p75", d.p75.is_some()),
        ("value", d.value.is_some()),
        ("low", d.low.is_some()),
        ("high", d.high.is_some()),
        ("values", d.values.is_some()),
    ];
    let allowed = d.dist.parameters();
    if let Some((name, _)) = given
        .iter()
        .find(|(name, set)| *set && !allowed.contains(name))
    {
        return problem(
            &path.key(name),
            format!(
                "`{name}` does not apply to a {:?} distribution, which takes {}",
                d.dist,
                allowed.join(", ")
            )
            .to_lowercase(),
        );
    }
    let need = |x: Option<f64>, name: &str| {
        x.ok_or_else(|| Problem {
            path: path.clone(),
            message: format!(
                "a {} distribution needs `{name}`",
                format!("{:?}", d.dist).to_lowercase()
            ),
        })
    };
    let made = match d.dist {
        DistName::Fixed => Dist::fixed(need(d.value, "value")?),
        DistName::Exponential => Dist::exponential(need(d.mean, "mean")?),
        DistName::Lognormal => match (d.mean, d.cv, d.median, d.p75) {
            (Some(mean), Some(cv), None, None) => Dist::lognormal(mean, cv),
            (None, None, Some(median), Some(p75)) => Dist::lognormal_from_median_p75(median, p75),
            _ => {
                return problem(
                    path,
                    "a lognormal distribution needs `mean` and `cv`, or `median` and `p75`",
                );
            }
        },
        DistName::Gamma => Dist::gamma(need(d.mean, "mean")?, need(d.cv, "cv")?),
        DistName::Uniform => Dist::uniform(need(d.low, "low")?, need(d.high, "high")?),
        DistName::Empirical => match &d.values {
            Some(values) => Dist::empirical(values.clone()),
            None => return problem(path, "an empirical distribution needs `values`"),
        },
    };
    made.or_else(|err| problem(path, err.to_string()))
}

fn resolve_demand(d: &DemandFile, path: &FieldPath, context: &Context<'_>) -> Checked<Demand> {
    match (&d.annual_rate, &d.trace) {
        (Some(rate), None) => {
            let annual_rate = non_negative(&path.key("annual_rate"), *rate)?;
            let annual_growth = finite(
                &path.key("annual_growth"),
                d.annual_growth,
                -0.999_999,
                "a growth rate above -1 (0.08 is +8 % a year)",
            )?;
            let monthly_seasonality = match &d.monthly_seasonality {
                None => Vec::new(),
                Some(m) if m.len() == 12 => {
                    for (i, x) in m.iter().enumerate() {
                        non_negative(&path.key("monthly_seasonality").index(i), *x)?;
                    }
                    m.clone()
                }
                Some(m) => {
                    return problem(
                        &path.key("monthly_seasonality"),
                        format!(
                            "expected 12 multipliers (January to December), got {}",
                            m.len()
                        ),
                    );
                }
            };
            let mut steps = Vec::new();
            for (i, step) in d.steps.iter().enumerate() {
                let p = path.key("steps").index(i);
                let start_day = context.day(&step.start, &p.key("start"))?;
                let end_day = step
                    .end
                    .as_ref()
                    .map(|e| context.day(e, &p.key("end")))
                    .transpose()?;
                if end_day.is_some_and(|e| e <= start_day) {
                    return problem(&p.key("end"), "the step ends on or before its start");
                }
                steps.push(DemandStep {
                    start_day: start_day.max(0.0),
                    end_day: end_day.map(|e| e.max(0.0)),
                    multiplier: non_negative(&p.key("multiplier"), step.multiplier)?,
                });
            }
            Ok(Demand::Poisson(PoissonDemand {
                annual_rate,
                annual_growth,
                monthly_seasonality,
                steps,
            }))
        }
        (None, Some(trace)) => {
            let p = path.key("trace");
            let ignored = [
                ("annual_growth", d.annual_growth != 0.0),
                ("monthly_seasonality", d.monthly_seasonality.is_some()),
                ("steps", !d.steps.is_empty()),
            ];
            if let Some((name, _)) = ignored.iter().find(|(_, set)| *set) {
                return problem(
                    &path.key(name),
                    format!("`{name}` does not apply to a trace of counts"),
                );
            }
            let period_days = positive(&p.key("period_days"), trace.period_days)?;
            let counts = match (&trace.counts, &trace.file) {
                (Some(counts), None) => counts.clone(),
                (None, Some(file)) => read_counts(&context.base_dir.join(file), &p.key("file"))?,
                _ => return problem(&p, "give `counts` or `file`, one of them"),
            };
            if counts.is_empty() {
                return problem(&p, "the trace has no counts");
            }
            Ok(Demand::Trace {
                period_days,
                counts,
            })
        }
        (Some(_), Some(_)) => problem(
            &path.key("trace"),
            "give `annual_rate` or `trace`, not both",
        ),
        (None, None) => problem(
            path,
            "`annual_rate` is missing (referrals per year), or give a `trace` of counts",
        ),
    }
}

fn read_counts(file: &Path, path: &FieldPath) -> Checked<Vec<u32>> {
    let bytes = crate::load::read_bounded(file, crate::load::MAX_DATA_FILE_BYTES)
        .or_else(|err| problem(path, format!("{}: {err}", file.display())))?;
    let text = String::from_utf8(bytes)
        .or_else(|_| problem(path, format!("{}: not UTF-8 text", file.display())))?;
    let mut counts = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let cell = line.split(',').next().unwrap_or("").trim();
        if cell.is_empty() || (i == 0 && cell.eq_ignore_ascii_case("count")) {
            continue;
        }
        match cell.parse() {
            Ok(n) => counts.push(n),
            Err(_) => {
                return problem(
                    path,
                    format!(
                        "{} line {}: expected a whole number of referrals, got `{cell}`",
                        file.display(),
                        i + 1
                    ),
                );
            }
        }
    }
    Ok(counts)
}

fn read_starting_backlog(
    file: &Path,
    path: &FieldPath,
) -> Checked<Vec<(FieldPath, StartingCasesFile)>> {
    let fail = |message: String| Problem {
        path: path.clone(),
        message,
    };
    let bytes = crate::load::read_bounded(file, crate::load::MAX_DATA_FILE_BYTES)
        .map_err(|err| fail(format!("{}: {err}", file.display())))?;
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|err| fail(format!("{}: {err}", file.display())))?;
        let line = record.position().map_or(i + 2, |p| p.line() as usize);
        let row: StartingCasesCsv = record
            .deserialize(None)
            .or_else(|_| {
                let headers = [
                    "case_type",
                    "team",
                    "age_days",
                    "count",
                    "historic",
                    "open",
                    "stage",
                ];
                let header = csv::StringRecord::from(headers.to_vec());
                record.deserialize(Some(&header))
            })
            .map_err(|err| fail(format!("{} line {line}: {err}", file.display())))?;
        rows.push((
            path.clone(),
            StartingCasesFile {
                case_type: row.case_type,
                team: row.team.filter(|t| !t.is_empty()),
                age_days: row.age_days,
                count: row.count.unwrap_or(1),
                historic: row.historic.unwrap_or(false),
                open: row.open.unwrap_or(false),
                stage: row.stage.unwrap_or(0),
            },
        ));
    }
    Ok(rows)
}

#[derive(serde::Deserialize)]
struct StartingCasesCsv {
    case_type: String,
    team: Option<String>,
    age_days: f64,
    count: Option<u32>,
    historic: Option<bool>,
    open: Option<bool>,
    stage: Option<usize>,
}

fn resolve_starting_cases(
    row: &StartingCasesFile,
    path: &FieldPath,
    file: &ScenarioFile,
    expanded: &[Vec<(usize, usize)>],
    context: &Context<'_>,
    out: &mut Vec<StartingCase>,
) -> Checked<()> {
    let Some(type_index) = file.case_types.get_index_of(&row.case_type) else {
        return problem(
            &path.key("case_type"),
            format!(
                "no case type is named `{}`{}",
                row.case_type,
                suggestion(&row.case_type, file.case_types.keys().map(String::as_str))
            ),
        );
    };
    let routes = &expanded[type_index];
    let (model_type, team) = match &row.team {
        Some(team) => {
            let team = context.team(team, &path.key("team"))?;
            match routes.iter().find(|r| r.0 == team) {
                Some(&(_, model_type)) => (model_type, Some(team)),
                None => (routes[0].1, Some(team)),
            }
        }
        None if routes.len() == 1 => (routes[0].1, None),
        None => {
            return problem(
                &path.key("team"),
                "this case type is split across teams: say which team holds these cases",
            );
        }
    };
    let age_days = non_negative(&path.key("age_days"), row.age_days)?;
    let stages = file.case_types[type_index].stages.len();
    if row.stage >= stages {
        return problem(
            &path.key("stage"),
            format!("the case type has {stages} stages (0 to {})", stages - 1),
        );
    }
    if row.stage > 0 && !row.open {
        return problem(
            &path.key("stage"),
            "only open cases (open = true) can be past the first stage",
        );
    }
    if row.count == 0 {
        return problem(&path.key("count"), "expected at least 1 case");
    }
    if out.len() as u64 + u64::from(row.count) > MAX_STARTING_CASES {
        return problem(
            &path.key("count"),
            format!(
                "the starting backlog would hold over {MAX_STARTING_CASES} cases; a run starts \
                 from at most that many"
            ),
        );
    }
    out.extend((0..row.count).map(|_| StartingCase {
        case_type: model_type,
        team,
        age_days,
        historic: row.historic,
        open: row.open,
        stage: row.stage,
    }));
    Ok(())
}

fn resolve_action(
    a: &ActionFile,
    path: &FieldPath,
    context: &Context<'_>,
) -> Checked<Vec<StaffingAction>> {
    let given = [
        ("end", a.end.is_some()),
        ("team", a.team.is_some()),
        ("teams", a.teams.is_some()),
        ("officers", a.officers.is_some()),
        ("historic_only", a.historic_only.is_some()),
        ("hours_per_year", a.hours_per_year.is_some()),
        ("investigators", a.investigators.is_some()),
        ("caseload_cap", a.caseload_cap.is_some()),
        ("cost_per_day", a.cost_per_day.is_some()),
        ("from_teams", a.from_teams.is_some()),
        ("to_team", a.to_team.is_some()),
        ("include_queued", a.include_queued.is_some()),
        ("target_caseload", a.target_caseload.is_some()),
        ("max_extra_officers", a.max_extra_officers.is_some()),
        ("posting_lag_days", a.posting_lag_days.is_some()),
        ("posts", a.posts.is_some()),
    ];
    let (required, optional) = a.kind.fields();
    let kind = kind_name(a.kind);
    let takes = || {
        let mut all: Vec<&str> = vec!["start"];
        all.extend(required.iter().filter(|f| **f != "end"));
        all.extend(optional.iter());
        if !required.contains(&"end") {
            all.push("end (optional)");
        }
        if required.contains(&"end") {
            all.push("end");
        }
        all.join(", ")
    };
    // Kinds that name one team also accept `teams`, splitting their numbers evenly.
    let splits = required.contains(&"team");
    let required: Vec<&str> = required
        .iter()
        .copied()
        .filter(|f| !(splits && *f == "team" && a.teams.is_some()))
        .collect();
    let optional: Vec<&str> = optional
        .iter()
        .copied()
        .chain(splits.then_some("teams"))
        .collect();
    if splits && a.team.is_some() && a.teams.is_some() {
        return problem(&path.key("teams"), "give `team` or `teams`, not both");
    }
    for (name, set) in given {
        if set && name != "end" && !required.contains(&name) && !optional.contains(&name) {
            return problem(
                &path.key(name),
                format!(
                    "`{name}` does not apply to a {kind} action, which takes {}",
                    takes()
                ),
            );
        }
    }
    for name in &required {
        if !given.iter().any(|(g, set)| g == name && *set) {
            return problem(
                path,
                format!("a {kind} action needs `{name}` (it takes {})", takes()),
            );
        }
    }
    let start_day = context.day(&a.start, &path.key("start"))?;
    if start_day < 0.0 {
        return problem(
            &path.key("start"),
            format!(
                "the action starts before the scenario's start ({})",
                context.start
            ),
        );
    }
    let end_day = a
        .end
        .as_ref()
        .map(|e| context.day(e, &path.key("end")))
        .transpose()?;
    if let Some(end) = end_day
        && end <= start_day
    {
        return problem(&path.key("end"), "the action ends on or before its start");
    }
    // The teams a single-team kind applies to, with each one's share of the numbers.
    let targets: Vec<usize> = match (&a.team, &a.teams) {
        (Some(t), _) if splits => vec![context.team(t, &path.key("team"))?],
        (None, Some(_)) if splits => team_list_of(&a.teams, "teams", path, context)?,
        _ => vec![0],
    };
    if targets.is_empty() {
        return problem(&path.key("teams"), "name at least one team");
    }
    let parts = targets.len() as u32;
    let part = |n: u32, i: usize| n / parts + u32::from((i as u32) < n % parts);
    let team_list =
        |field: &str, names: &Option<Vec<String>>| team_list_of(names, field, path, context);
    let count = |x: Option<u32>, field: &str| -> Checked<u32> {
        match x {
            Some(n) if n > 0 => Ok(n),
            _ => problem(&path.key(field), "expected at least 1"),
        }
    };
    let number = |x: Option<f64>, field: &str| non_negative(&path.key(field), x.unwrap_or(0.0));
    let mut kinds = Vec::new();
    for (i, &team) in targets.iter().enumerate() {
        let kind = match a.kind {
            ActionName::Overstaff => ActionKind::Overstaff {
                team,
                officers: part(count(a.officers, "officers")?, i),
            },
            ActionName::Transfer => ActionKind::Transfer {
                team,
                officers: part(count(a.officers, "officers")?, i),
            },
            ActionName::Attachment => ActionKind::Attachment {
                team,
                officers: part(count(a.officers, "officers")?, i),
                historic_only: a.historic_only.unwrap_or(false),
            },
            ActionName::FlexibleHours => ActionKind::FlexibleHours {
                team,
                hours_per_year: number(a.hours_per_year, "hours_per_year")? / f64::from(parts),
            },
            ActionName::Agency => ActionKind::Agency {
                team,
                investigators: part(count(a.investigators, "investigators")?, i),
                hours_per_year: number(a.hours_per_year, "hours_per_year")?,
                caseload_cap: count(a.caseload_cap, "caseload_cap")?,
                cost_per_day: number(a.cost_per_day, "cost_per_day")?,
            },
            ActionName::RingFence => ActionKind::RingFence { team },
            ActionName::Recruitment => ActionKind::Recruitment {
                team,
                posts: part(count(a.posts, "posts")?, i),
            },
            _ => break,
        };
        kinds.push(kind);
    }
    let kind_value = match a.kind {
        _ if !kinds.is_empty() => None,
        ActionName::ReassignHistoric => {
            let to_team = match &a.to_team {
                Some(t) => context.team(t, &path.key("to_team"))?,
                None => return problem(path, "`to_team` is missing"),
            };
            let from_teams = team_list("from_teams", &a.from_teams)?;
            if from_teams.contains(&to_team) {
                return problem(
                    &path.key("from_teams"),
                    "the dedicated team cannot also be a team its cases come from",
                );
            }
            Some(ActionKind::ReassignHistoric {
                from_teams,
                to_team,
                include_queued: a.include_queued.unwrap_or(false),
            })
        }
        ActionName::DailyReview => {
            let teams = team_list("teams", &a.teams)?;
            if teams.len() < 2 {
                return problem(&path.key("teams"), "pooling needs at least two teams");
            }
            Some(ActionKind::DailyReview { teams })
        }
        ActionName::MonthlyReview => {
            let teams = team_list("teams", &a.teams)?;
            if teams.is_empty() {
                return problem(&path.key("teams"), "name at least one team to review");
            }
            Some(ActionKind::MonthlyReview {
                teams,
                target_caseload: positive(
                    &path.key("target_caseload"),
                    a.target_caseload.unwrap_or(0.0),
                )?,
                max_extra_officers: a.max_extra_officers.unwrap_or(0),
                posting_lag_days: number(a.posting_lag_days, "posting_lag_days")?,
            })
        }
        _ => None,
    };
    Ok(kinds
        .into_iter()
        .chain(kind_value)
        // A split can leave a team with no officers: it has nothing to do there.
        .filter(|kind| {
            !matches!(
                kind,
                ActionKind::Overstaff { officers: 0, .. }
                    | ActionKind::Transfer { officers: 0, .. }
                    | ActionKind::Attachment { officers: 0, .. }
                    | ActionKind::Agency {
                        investigators: 0,
                        ..
                    }
                    | ActionKind::Recruitment { posts: 0, .. }
            )
        })
        .map(|kind| StaffingAction {
            start_day,
            end_day,
            kind,
        })
        .collect())
}

fn team_list_of(
    names: &Option<Vec<String>>,
    field: &str,
    path: &FieldPath,
    context: &Context<'_>,
) -> Checked<Vec<usize>> {
    names
        .iter()
        .flatten()
        .enumerate()
        .map(|(i, t)| context.team(t, &path.key(field).index(i)))
        .collect()
}

fn kind_name(kind: ActionName) -> &'static str {
    match kind {
        ActionName::Overstaff => "overstaff",
        ActionName::Transfer => "transfer",
        ActionName::Attachment => "attachment",
        ActionName::FlexibleHours => "flexible_hours",
        ActionName::Agency => "agency",
        ActionName::ReassignHistoric => "reassign_historic",
        ActionName::DailyReview => "daily_review",
        ActionName::MonthlyReview => "monthly_review",
        ActionName::RingFence => "ring_fence",
        ActionName::Recruitment => "recruitment",
    }
}
