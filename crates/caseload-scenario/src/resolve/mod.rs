//! From the file as written to a runnable [`RunPlan`]: names become indices, dates become
//! simulation days, defaults are filled in, and every value is checked with the field path of
//! the problem, so the loader can point at its line.

use std::path::Path;

use caseload_des::Dist;
use caseload_experiment::suggestion;
use caseload_experiment::{Census, Design, Limits, Period, Thresholds};
use caseload_model::{
    ActionKind, Benefit, CaseType, Demand, DemandStep, DemandUncertainty, Discipline, LoadCost,
    ModelConfig, NewStarters, OnEnd, Outcomes, Panels, PoissonDemand, Quality, Recruitment,
    StaffingAction, Stage, StageStandard, StartingCase, TeamConfig, Triage, ValidConfig,
    WorkBounds,
};
use indexmap::IndexMap;
use time::Date;

use crate::error::{FieldPath, ScenarioError};
use crate::file::{
    ActionFile, ActionName, CaseTypeFile, DateField, DemandFile, DisciplineFile, DistFile,
    DistName, OnEndFile, OutcomesFile, ScenarioFile, StageFile, StartingCasesFile, TeamFile,
    TeamList, TeamShares,
};

mod actions;
mod backlog;
mod demand;
mod teams;

use actions::{resolve_action, resolve_bounds};
use backlog::{read_starting_backlog, resolve_starting_cases};
use demand::resolve_case_type;
use teams::resolve_team;

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
    /// The data files it reads besides the scenario, with their SHA-256.
    pub inputs: Vec<caseload_experiment::InputFile>,
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
    /// Whether the waiting cases are weighed (hours, harm) and counted by priority and case
    /// type: `[kpi] weighed_backlog`, or any case type's `harm_weight`.
    pub weighed_backlog: bool,
    /// The staffing actions in file order, for markers on charts.
    pub actions: Vec<ActionMarker>,
    /// For each of the model's actions, the index in `actions` of the staffing action it
    /// came from (one staffing action may act on several teams).
    pub action_sources: Vec<usize>,
    /// What the file's values rest on (its `[basis]` table, checked), in file order.
    pub basis: Vec<caseload_experiment::ValueBasis>,
    /// What the file asks of its reports (its `[report]` table, checked), if it says.
    pub report: Option<caseload_experiment::ReportAsk>,
}

impl RunPlan {
    /// The label used in outputs: the scenario name, or `scenario/variant`.
    pub fn label(&self) -> String {
        match &self.variant {
            Some(v) => format!("{}/{v}", self.scenario),
            None => self.scenario.clone(),
        }
    }

    /// Checks this plan against what a run may take (`limits`); the error names the file
    /// `path` and, for a variant, the variant.
    pub fn check_budget(&self, path: &Path, limits: Limits) -> Result<(), ScenarioError> {
        self.design(false, limits)
            .check_limits(&limits)
            .map_err(|e| match &self.variant {
                Some(v) => ScenarioError::file(path, format!("variant {v}: {e}")),
                None => ScenarioError::file(path, e.to_string()),
            })
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
            weighed_backlog: self.weighed_backlog,
        }
    }

    /// The plan with only the staffing actions `keep` marks (one flag per entry of
    /// `actions`), e.g. to measure what each action of a package buys. The model is checked
    /// again: an action may need another (an error says which).
    pub fn with_actions(&self, keep: &[bool]) -> Result<RunPlan, caseload_model::ConfigError> {
        let mut model = self.model.clone().into_inner();
        let mut sources = Vec::new();
        let mut kept = Vec::new();
        for (action, &source) in model.actions.drain(..).zip(&self.action_sources) {
            if keep.get(source).copied().unwrap_or(false) {
                kept.push(action);
                sources.push(source);
            }
        }
        model.actions = kept;
        let markers = self
            .actions
            .iter()
            .enumerate()
            .filter(|(i, _)| keep.get(*i).copied().unwrap_or(false))
            .map(|(_, m)| m.clone())
            .collect::<Vec<_>>();
        // Renumber the sources to the markers kept.
        let renumber: Vec<usize> = (0..self.actions.len())
            .scan(0usize, |next, i| {
                let here = *next;
                if keep.get(i).copied().unwrap_or(false) {
                    *next += 1;
                }
                Some(here)
            })
            .collect();
        Ok(RunPlan {
            model: caseload_model::ValidConfig::new(model)?,
            actions: markers,
            action_sources: sources.into_iter().map(|s| renumber[s]).collect(),
            ..self.clone()
        })
    }

    /// What a staffing action that brings officers for a while (an attachment or agency
    /// investigators) puts in: the field holding its headcount (`officers` or
    /// `investigators`) and what one of them costs a day, pounds (the action's own rate, the
    /// agency day rate or the team's `cost_per_day`). `None` for an action of another kind
    /// or a name the plan lacks.
    pub fn temporary_staff(&self, name: &str) -> Option<(&'static str, f64)> {
        let index = self.actions.iter().position(|a| a.name == name)?;
        // One staffing action may act on several teams, its officers split among them: the
        // day rate is the mean over its officers.
        let mut field = None;
        let (mut officers, mut pounds, mut rates, mut parts) = (0.0, 0.0, 0.0, 0.0);
        for (action, _) in self
            .model
            .actions
            .iter()
            .zip(&self.action_sources)
            .filter(|(_, s)| **s == index)
        {
            let (here, count, rate) = match &action.kind {
                caseload_model::ActionKind::Attachment { team, officers, .. } => (
                    "officers",
                    *officers,
                    action
                        .cost_per_officer_day
                        .unwrap_or(self.model.teams.get(*team)?.cost_per_day),
                ),
                caseload_model::ActionKind::Agency {
                    investigators,
                    cost_per_day,
                    ..
                } => ("investigators", *investigators, *cost_per_day),
                _ => return None,
            };
            field = Some(here);
            officers += f64::from(count);
            pounds += f64::from(count) * rate;
            rates += rate;
            parts += 1.0;
        }
        let rate = if officers > 0.0 {
            pounds / officers
        } else {
            rates / parts
        };
        field.map(|f| (f, rate))
    }

    /// Calendar date of simulation day `day` (days since the start).
    pub fn date_of_day(&self, day: u32) -> Date {
        self.start_date
            .checked_add(time::Duration::days(i64::from(day)))
            .unwrap_or(Date::MAX)
    }

    /// The chart markers of `actions` (each name once, the first kept), dated by this plan's
    /// calendar.
    pub fn markers<'a>(
        &self,
        actions: impl IntoIterator<Item = &'a ActionMarker>,
    ) -> Vec<caseload_experiment::Marker> {
        let date = |day: f64| self.date_of_day(day.max(0.0) as u32).to_string();
        let mut markers: Vec<caseload_experiment::Marker> = Vec::new();
        for action in actions {
            if !markers.iter().any(|m| m.label == action.name) {
                markers.push(caseload_experiment::Marker {
                    label: action.name.clone(),
                    start: date(action.start_day),
                    end: action.end_day.map(date),
                    start_day: action.start_day,
                    end_day: action.end_day,
                });
            }
        }
        markers
    }

    /// The first date of the staffing action `name`, if the plan has it.
    pub fn start_of(&self, name: &str) -> Option<Date> {
        let action = self.actions.iter().find(|a| a.name == name)?;
        Some(self.date_of_day(action.start_day.max(0.0) as u32))
    }

    /// The day after the run's last: its end date.
    pub fn end_date(&self) -> Date {
        self.date_of_day(self.model.horizon_days.ceil() as u32)
    }

    /// Whether `date` falls within the run (on or after its start, before its end).
    pub fn runs_on(&self, date: Date) -> bool {
        self.start_date <= date && date < self.end_date()
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
    team_groups: &'a IndexMap<String, IndexMap<String, f64>>,
    base_dir: &'a Path,
}

impl Context<'_> {
    fn day(&self, field: &DateField, path: &FieldPath) -> Checked<f64> {
        let date = calendar_date(field, path)?;
        Ok((date - self.start).whole_days() as f64)
    }

    /// The routes (team, share) of a table of shares, each team known and the shares summing
    /// to 1; `path` is the table's.
    fn shares(
        &self,
        shares: &IndexMap<String, f64>,
        path: &FieldPath,
    ) -> Checked<Vec<(usize, f64)>> {
        if shares.is_empty() {
            return problem(path, "name at least one team with its share");
        }
        let mut routes = Vec::new();
        for (team, share_of) in shares {
            let p = path.key(team);
            let index = self.team(team, &p)?;
            routes.push((index, positive(&p, *share_of).and_then(|x| share(&p, x))?));
        }
        let total: f64 = routes.iter().map(|r| r.1).sum();
        if (total - 1.0).abs() > 1e-6 {
            return problem(path, format!("the shares add up to {total}, expected 1"));
        }
        Ok(routes)
    }

    /// The team group named `name` (at `path`).
    fn group(&self, name: &str, path: &FieldPath) -> Checked<&IndexMap<String, f64>> {
        match self.team_groups.get(name) {
            Some(group) => Ok(group),
            None => problem(
                path,
                format!(
                    "no team group is named `{name}`{}",
                    suggestion(name, self.team_groups.keys().map(String::as_str))
                ),
            ),
        }
    }

    /// The teams of an action's list or team group, in order (none if the field is absent).
    fn team_list(&self, list: &Option<TeamList>, path: &FieldPath) -> Checked<Vec<usize>> {
        match list {
            None => Ok(Vec::new()),
            Some(TeamList::Names(names)) => names
                .iter()
                .enumerate()
                .map(|(i, t)| self.team(t, &path.index(i)))
                .collect(),
            Some(TeamList::Group(name)) => {
                let group = self.group(name, path)?;
                Ok(group
                    .keys()
                    .filter_map(|t| self.teams.get_index_of(t))
                    .collect())
            }
        }
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
    let spin_up_days = non_negative(&root.key("spin_up_days"), s.spin_up_days)?;
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
        team_groups: &file.team_groups,
        base_dir,
    };
    if file.teams.is_empty() {
        return problem(
            &FieldPath::root().key("teams"),
            "at least one team is needed",
        );
    }
    for (name, group) in &file.team_groups {
        context.shares(group, &FieldPath::root().key("team_groups").key(name))?;
    }
    let teams = file
        .teams
        .iter()
        .map(|(name, team)| resolve_team(name, team, &file.team_defaults, &context, horizon))
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
    for (key, (name, case_type)) in file.case_types.iter().enumerate() {
        let made = resolve_case_type(key as u64, name, case_type, &context)?;
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
    let mut action_sources = Vec::new();
    let types_of = |name: &str| {
        file.case_types
            .get_index_of(name)
            .map(|i| expanded[i].iter().map(|&(_, id)| id).collect())
    };
    let case_type_names: Vec<&str> = file.case_types.keys().map(String::as_str).collect();
    for (name, action) in &file.actions {
        let path = FieldPath::root().key("actions").key(name);
        let mut made = resolve_action(action, &path, &context)?;
        let bounds = resolve_bounds(action, &path, &context, &types_of, &case_type_names)?;
        for a in &mut made {
            a.bounds = bounds.clone();
        }
        if let Some(first) = made.first() {
            action_sources.extend(std::iter::repeat_n(markers.len(), made.len()));
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
    let mut held = 0u64;
    for (path, row) in inline.chain(rows) {
        resolve_starting_cases(
            &row,
            &path,
            file,
            &expanded,
            &context,
            &mut starting_backlog,
            &mut held,
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
        spin_up_days,
        quality: file.quality.as_ref().map(|q| Quality {
            intercept: q.intercept,
            comfortable_caseload: q.comfortable_caseload,
            per_case_above_comfortable: q.per_case_above_comfortable,
            per_100_days: q.per_100_days,
            trained: q.trained,
            per_inexperience: q.per_inexperience,
            per_supervision_ratio: q.per_supervision_ratio,
        }),
    };
    // The model names teams, case types and actions by position: name them as written.
    let teams: Vec<String> = model.teams.iter().map(|t| t.name.clone()).collect();
    let types: Vec<String> = model.case_types.iter().map(|t| t.name.clone()).collect();
    let model = match model.validated() {
        Ok(model) => model,
        Err(err) => {
            let actions: Vec<&str> = action_sources
                .iter()
                .map(|&s: &usize| markers[s].name.as_str())
                .collect();
            let teams: Vec<&str> = teams.iter().map(String::as_str).collect();
            let types: Vec<&str> = types.iter().map(String::as_str).collect();
            let named = named_positions(&err.to_string(), &teams, &types, &actions);
            return problem(
                &FieldPath::root(),
                format!("inconsistent scenario: {named}"),
            );
        }
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
        weighed_backlog: file.kpi.weighed_backlog
            || file.case_types.values().any(|t| t.harm_weight.is_some()),
        model,
        actions: markers,
        action_sources,
        basis: Vec::new(),
        report: None,
        inputs: input_files(file, base_dir),
    })
}

/// The data files `file` reads (a trace's counts, a counts file, the starting backlog), each
/// with the field that names it and the SHA-256 of its bytes (files that cannot be read were
/// refused before this).
fn input_files(file: &ScenarioFile, base_dir: &Path) -> Vec<caseload_experiment::InputFile> {
    let mut named: Vec<(String, &String)> = Vec::new();
    for (name, case_type) in &file.case_types {
        if let Some(trace) = &case_type.demand.trace {
            let at = format!("case_types.{name}.demand.trace");
            if let Some(f) = &trace.file {
                named.push((format!("{at}.file"), f));
            }
            if let Some(f) = &trace.counts_file {
                named.push((format!("{at}.counts_file"), f));
            }
        }
    }
    if let Some(f) = &file.scenario.starting_backlog_csv {
        named.push(("scenario.starting_backlog_csv".into(), f));
    }
    named
        .into_iter()
        .filter_map(|(role, name)| {
            let bytes =
                crate::load::read_bounded(&base_dir.join(name), crate::load::MAX_DATA_FILE_BYTES)
                    .ok()?;
            Some(caseload_experiment::InputFile {
                role,
                file: name.clone(),
                sha256: caseload_experiment::sha256_hex(&bytes),
            })
        })
        .collect()
}

/// `text` with the model's positions (`teams[2]`, `case_types[0]`, `actions[54]`) replaced by
/// the names the scenario gives them (`teams.north`, `actions.sco_attachment`).
pub(crate) fn named_positions(
    text: &str,
    teams: &[&str],
    types: &[&str],
    actions: &[&str],
) -> String {
    let mut named = text.to_string();
    for (list, names) in [
        ("teams", teams),
        ("case_types", types),
        ("actions", actions),
    ] {
        for (i, name) in names.iter().enumerate() {
            named = named.replace(&format!("{list}[{i}]"), &format!("{list}.{name}"));
        }
    }
    named
}
