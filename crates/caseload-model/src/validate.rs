//! Checks that a [`ModelConfig`] is internally consistent before a run, so the run itself
//! never meets an impossible value. The scenario layer reports user-facing errors with file
//! positions; these are the model's own guarantees.

use crate::config::{ActionKind, Demand, DemandStep, ModelConfig};

/// Why a configuration cannot be run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// A number outside its allowed range.
    #[error("{field}: {message}")]
    Value {
        /// Which field, as a path (e.g. `teams[2].abstraction`).
        field: String,
        /// What was expected.
        message: String,
    },
    /// A reference to a team or case type that does not exist.
    #[error("{field}: refers to {what} {index}, but there are only {count}")]
    Reference {
        /// Which field.
        field: String,
        /// "team" or "case type".
        what: &'static str,
        /// The index given.
        index: usize,
        /// How many exist.
        count: usize,
    },
    /// A replication used up its event budget before the horizon.
    #[error(
        "the replication processed {limit} events by day {day:.1} without reaching the end \
         (day {horizon}): the budget of events per replication; raise it if the scenario \
         really needs more"
    )]
    EventBudget {
        /// The budget.
        limit: u64,
        /// Where the run had got to, days.
        day: f64,
        /// The horizon, days.
        horizon: f64,
    },
}

/// Fewest days between two posting panels: panels meet at most daily (a shorter interval
/// would flood the calendar with panels and never reach the horizon).
pub const MIN_PANEL_INTERVAL_DAYS: f64 = 1.0;

/// Checks dated multipliers (demand's steps, a case type's wait steps) at `field`: each
/// multiplier and start finite and not negative, each end (if any) not before its start.
fn dated_steps(field: &str, steps: &[DemandStep]) -> Result<(), ConfigError> {
    for (k, s) in steps.iter().enumerate() {
        finite_nonneg(&format!("{field}[{k}].multiplier"), s.multiplier)?;
        finite_nonneg(&format!("{field}[{k}].start_day"), s.start_day)?;
        if s.end_day.is_some_and(|e| e.is_nan() || e < s.start_day) {
            return Err(value(
                format!("{field}[{k}].end_day"),
                "ends before it starts",
            ));
        }
    }
    Ok(())
}

fn value(field: impl Into<String>, message: impl Into<String>) -> ConfigError {
    ConfigError::Value {
        field: field.into(),
        message: message.into(),
    }
}

fn finite_nonneg(field: &str, x: f64) -> Result<(), ConfigError> {
    if x.is_finite() && x >= 0.0 {
        Ok(())
    } else {
        Err(value(
            field,
            format!("expected a finite number >= 0, got {x}"),
        ))
    }
}

fn share(field: &str, x: f64) -> Result<(), ConfigError> {
    if (0.0..=1.0).contains(&x) {
        Ok(())
    } else {
        Err(value(
            field,
            format!("expected a share between 0 and 1, got {x}"),
        ))
    }
}

fn positive(field: &str, x: f64) -> Result<(), ConfigError> {
    if x.is_finite() && x > 0.0 {
        Ok(())
    } else {
        Err(value(
            field,
            format!("expected a finite number > 0, got {x}"),
        ))
    }
}

fn team_ref(field: &str, team: usize, count: usize) -> Result<(), ConfigError> {
    if team < count {
        Ok(())
    } else {
        Err(ConfigError::Reference {
            field: field.to_string(),
            what: "team",
            index: team,
            count,
        })
    }
}

/// A model configuration whose invariants have been checked once: what a replication runs.
/// It reads as the [`ModelConfig`] it holds.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidConfig(ModelConfig);

impl ValidConfig {
    /// Checks `config` (see [`ModelConfig::validate`]).
    pub fn new(config: ModelConfig) -> Result<Self, ConfigError> {
        config.validate()?;
        Ok(Self(config))
    }

    /// The configuration, to change it (and check it again).
    pub fn into_inner(self) -> ModelConfig {
        self.0
    }
}

impl std::ops::Deref for ValidConfig {
    type Target = ModelConfig;

    fn deref(&self) -> &ModelConfig {
        &self.0
    }
}

impl TryFrom<ModelConfig> for ValidConfig {
    type Error = ConfigError;

    fn try_from(config: ModelConfig) -> Result<Self, ConfigError> {
        Self::new(config)
    }
}

impl ModelConfig {
    /// This configuration, checked: see [`ValidConfig`].
    pub fn validated(self) -> Result<ValidConfig, ConfigError> {
        ValidConfig::new(self)
    }

    /// Checks every invariant the run relies on.
    pub fn validate(&self) -> Result<(), ConfigError> {
        positive("horizon_days", self.horizon_days)?;
        finite_nonneg("start_day_of_year", self.start_day_of_year)?;
        finite_nonneg("age_threshold_days", self.age_threshold_days)?;
        finite_nonneg("spin_up_days", self.spin_up_days)?;
        let teams = self.teams.len();
        if teams == 0 {
            return Err(value("teams", "at least one team is needed"));
        }
        for (i, t) in self.case_types.iter().enumerate() {
            let f = |name: &str| format!("case_types[{i}].{name}");
            team_ref(&f("team"), t.team, teams)?;
            share(&f("historic_share"), t.historic_share)?;
            dated_steps(&f("wait_steps"), &t.wait_steps)?;
            if let Some(days) = t.escalate_after_days {
                positive(&f("escalate_after_days"), days)?;
            }
            if let Some(s) = t.standard {
                positive(&f("standard.days"), s.days)?;
                if s.stage >= t.stages.len() {
                    return Err(value(
                        f("standard.stage"),
                        format!("expected a stage index below {}", t.stages.len()),
                    ));
                }
            }
            finite_nonneg(&f("harm_weight"), t.harm_weight)?;
            if let Some(triage) = &t.triage {
                share(&f("triage.share"), triage.share)?;
                share(&f("triage.close_share"), triage.close_share)?;
            }
            if let Some(o) = &t.outcomes {
                share(&f("outcomes.charge"), o.charge)?;
                share(&f("outcomes.nfa_evidential"), o.nfa_evidential)?;
                share(&f("outcomes.nfa_victim"), o.nfa_victim)?;
                finite_nonneg(&f("outcomes.nfa_victim_per_year"), o.nfa_victim_per_year)?;
                let sum = o.charge + o.nfa_evidential + o.nfa_victim;
                if (sum - 1.0).abs() > 1e-9 {
                    return Err(value(
                        f("outcomes"),
                        format!("the shares sum to {sum}, expected 1"),
                    ));
                }
            }
            if t.stages.is_empty() {
                return Err(value(f("stages"), "at least one stage is needed"));
            }
            match &t.demand {
                Demand::Poisson(p) => {
                    finite_nonneg(&f("annual_rate"), p.annual_rate)?;
                    if !(p.annual_growth.is_finite() && p.annual_growth > -1.0) {
                        return Err(value(f("annual_growth"), "expected a number > -1"));
                    }
                    if let Some(u) = &p.uncertainty {
                        finite_nonneg(&f("uncertainty.rate_log_sd"), u.rate_log_sd)?;
                        finite_nonneg(&f("uncertainty.growth_log_sd"), u.growth_log_sd)?;
                        if !(-1.0..=1.0).contains(&u.correlation) {
                            return Err(value(
                                f("uncertainty.correlation"),
                                "expected a correlation from -1 to 1",
                            ));
                        }
                    }
                    if !(p.monthly_seasonality.is_empty() || p.monthly_seasonality.len() == 12) {
                        return Err(value(f("monthly_seasonality"), "expected 12 multipliers"));
                    }
                    for (k, m) in p.monthly_seasonality.iter().enumerate() {
                        finite_nonneg(&f(&format!("monthly_seasonality[{k}]")), *m)?;
                    }
                    dated_steps(&f("steps"), &p.steps)?;
                }
                Demand::Trace {
                    period_days,
                    counts,
                    boundaries,
                } => {
                    if boundaries.is_empty() {
                        positive(&f("period_days"), *period_days)?;
                    } else {
                        if boundaries.len() != counts.len() + 1 {
                            return Err(value(
                                f("boundaries"),
                                "expected one more boundary than counts",
                            ));
                        }
                        if !(boundaries[0].is_finite() && boundaries[0] >= 0.0)
                            || boundaries
                                .windows(2)
                                .any(|w| !(w[1] > w[0] && w[1].is_finite()))
                        {
                            return Err(value(
                                f("boundaries"),
                                "expected days from 0, strictly ascending",
                            ));
                        }
                    }
                }
            }
        }
        if let Some(q) = &self.quality
            && ![
                q.intercept,
                q.per_case_above_comfortable,
                q.per_100_days,
                q.trained,
                q.per_inexperience,
                q.per_supervision_ratio,
            ]
            .iter()
            .all(|x| x.is_finite())
        {
            return Err(value("quality".to_string(), "expected finite log-odds"));
        }
        for (i, t) in self.teams.iter().enumerate() {
            let f = |name: &str| format!("teams[{i}].{name}");
            if t.caseload_cap == 0 {
                return Err(value(f("caseload_cap"), "expected at least 1"));
            }
            if t.active_limit == Some(0) {
                return Err(value(f("active_limit"), "expected at least 1 case"));
            }
            if !(t.productivity.is_finite() && t.productivity > 0.0) {
                return Err(value(
                    f("productivity"),
                    "expected a finite positive number",
                ));
            }
            share(&f("evidential_to_charge"), t.evidential_to_charge)?;
            finite_nonneg(&f("experience_charge_loss"), t.experience_charge_loss)?;
            if t.experience
                .iter()
                .any(|&(m, p)| !(m.is_finite() && m >= 0.0 && p.is_finite() && p > 0.0))
                || t.experience.windows(2).any(|w| w[1].0 <= w[0].0)
            {
                return Err(value(
                    f("experience"),
                    "expected (months, productivity) points: months from 0, ascending, productivity positive",
                ));
            }
            finite_nonneg(&f("supervision_ratio"), t.supervision_ratio)?;
            finite_nonneg(&f("contracted_hours_per_year"), t.contracted_hours_per_year)?;
            share(&f("abstraction"), t.abstraction)?;
            share(&f("other_duties"), t.other_duties)?;
            finite_nonneg(&f("attrition_per_year"), t.attrition_per_year)?;
            share(&f("redeployment_share"), t.redeployment_share)?;
            finite_nonneg(&f("cost_per_day"), t.cost_per_day)?;
            if let Some(r) = &t.recruitment {
                match &r.panels {
                    crate::config::Panels::Every { interval_days } => {
                        if !(interval_days.is_finite() && *interval_days >= MIN_PANEL_INTERVAL_DAYS)
                        {
                            return Err(value(
                                f("recruitment.interval_days"),
                                format!(
                                    "expected at least {MIN_PANEL_INTERVAL_DAYS} day between \
                                     posting panels, got {interval_days}"
                                ),
                            ));
                        }
                    }
                    crate::config::Panels::On(days) => {
                        for pair in days.windows(2) {
                            if pair[1].is_nan() || pair[1] < pair[0] + MIN_PANEL_INTERVAL_DAYS {
                                return Err(value(
                                    f("recruitment.panels"),
                                    format!(
                                        "expected panel days in ascending order at least \
                                         {MIN_PANEL_INTERVAL_DAYS} day apart, got {} then {}",
                                        pair[0], pair[1]
                                    ),
                                ));
                            }
                        }
                        for &day in days {
                            finite_nonneg(&f("recruitment.panels"), day)?;
                        }
                    }
                }
                finite_nonneg(&f("recruitment.lag_days"), r.lag_days)?;
                finite_nonneg(&f("recruitment.cost_per_recruit"), r.cost_per_recruit)?;
                if !(r.fill_share > 0.0 && r.fill_share <= 1.0) {
                    return Err(value(
                        f("recruitment.fill_share"),
                        "expected a share above 0 and at most 1",
                    ));
                }
            }
            if let Some(n) = &t.new_starters {
                finite_nonneg(&f("new_starters.course_days"), n.course_days)?;
                finite_nonneg(&f("new_starters.ramp_up_days"), n.ramp_up_days)?;
                share(
                    &f("new_starters.ramp_up_productivity"),
                    n.ramp_up_productivity,
                )?;
                if n.course_places == Some(0) {
                    return Err(value(
                        f("new_starters.course_places"),
                        "expected at least 1",
                    ));
                }
                if n.course_places.is_some()
                    && (n.course_days.is_nan() || n.course_days < MIN_PANEL_INTERVAL_DAYS)
                {
                    return Err(value(
                        f("new_starters.course_days"),
                        "a course with limited places lasts at least a day",
                    ));
                }
                if n.shared_course {
                    if n.course_places.is_none() {
                        return Err(value(
                            f("new_starters.course_places"),
                            "a shared course needs its places",
                        ));
                    }
                    let first_sharing = self
                        .teams
                        .iter()
                        .filter_map(|t| t.new_starters.as_ref())
                        .find(|o| o.shared_course);
                    if let Some(other) = first_sharing
                        && (other.course_days != n.course_days
                            || other.course_places != n.course_places)
                    {
                        return Err(value(
                            f("new_starters.shared_course"),
                            "every team sharing the course gives the same course_days and course_places",
                        ));
                    }
                }
            }
        }
        for (i, a) in self.actions.iter().enumerate() {
            let f = |name: &str| format!("actions[{i}].{name}");
            finite_nonneg(&f("start_day"), a.start_day)?;
            if let Some(cost) = a.cost_per_officer_day {
                finite_nonneg(&f("cost_per_officer_day"), cost)?;
            }
            if let Some(end) = a.end_day
                && !(end.is_finite() && end >= a.start_day)
            {
                return Err(value(f("end_day"), "ends before it starts"));
            }
            for team in a.kind.teams() {
                team_ref(&f("team"), team, teams)?;
            }
            if let crate::config::OnEnd::HandTo(team) = a.bounds.on_end {
                team_ref(&f("bounds.on_end"), team, teams)?;
            }
            finite_nonneg(&f("benefit.productivity_gain"), a.benefit.productivity_gain)?;
            share(
                &f("benefit.evidential_to_charge"),
                a.benefit.evidential_to_charge,
            )?;
            finite_nonneg(&f("benefit.cost_per_trainee"), a.benefit.cost_per_trainee)?;
            if a.benefit
                .half_life_days
                .is_some_and(|h| !(h.is_finite() && h > 0.0))
            {
                return Err(value(
                    f("benefit.half_life_days"),
                    "expected a finite positive number of days",
                ));
            }
            if a.bounds.active_limit == Some(0) {
                return Err(value(f("bounds.active_limit"), "expected at least 1 case"));
            }
            if let Some(types) = &a.bounds.case_types
                && types.iter().any(|&t| t >= self.case_types.len())
            {
                return Err(value(
                    f("bounds.case_types"),
                    "names a case type that does not exist",
                ));
            }
            match &a.kind {
                ActionKind::Attachment { .. }
                | ActionKind::Agency { .. }
                | ActionKind::Training { .. }
                    if a.end_day.is_none() =>
                {
                    return Err(value(
                        f("end_day"),
                        format!("{} needs an end date", a.kind.name()),
                    ));
                }
                ActionKind::Agency {
                    hours_per_year,
                    caseload_cap,
                    cost_per_day,
                    ..
                } => {
                    finite_nonneg(&f("hours_per_year"), *hours_per_year)?;
                    finite_nonneg(&f("cost_per_day"), *cost_per_day)?;
                    if *caseload_cap == 0 {
                        return Err(value(f("caseload_cap"), "expected at least 1"));
                    }
                }
                ActionKind::Training {
                    share: attending,
                    days_away,
                    ..
                } => {
                    share(&f("share"), *attending)?;
                    positive(&f("days_away"), *days_away)?;
                    if a.end_day.is_some_and(|end| end - a.start_day < *days_away) {
                        return Err(value(
                            f("end_day"),
                            "the window is shorter than the days each officer is away",
                        ));
                    }
                }
                ActionKind::FlexibleHours { hours_per_year, .. } => {
                    finite_nonneg(&f("hours_per_year"), *hours_per_year)?;
                }
                ActionKind::MonthlyReview {
                    target_caseload,
                    posting_lag_days,
                    from_teams,
                    ..
                } => {
                    positive(&f("target_caseload"), *target_caseload)?;
                    finite_nonneg(&f("posting_lag_days"), *posting_lag_days)?;
                    if from_teams.is_empty() {
                        return Err(value(
                            f("from_teams"),
                            "name the teams officers are redeployed from",
                        ));
                    }
                    for &t in from_teams {
                        team_ref(&f("from_teams"), t, self.teams.len())?;
                    }
                }
                ActionKind::ReassignHistoric { complex_share, .. }
                    if !(*complex_share > 0.0 && *complex_share <= 1.0) =>
                {
                    return Err(value(
                        f("complex_share"),
                        "a share of historic cases above 0 and at most 1",
                    ));
                }
                ActionKind::DailyReview { teams } if teams.len() < 2 => {
                    return Err(value(f("teams"), "pooling needs at least two teams"));
                }
                _ => {}
            }
        }
        for (i, c) in self.starting_backlog.iter().enumerate() {
            let f = |name: &str| format!("starting_backlog[{i}].{name}");
            let Some(t) = self.case_types.get(c.case_type) else {
                return Err(ConfigError::Reference {
                    field: f("case_type"),
                    what: "case type",
                    index: c.case_type,
                    count: self.case_types.len(),
                });
            };
            if let Some(team) = c.team {
                team_ref(&f("team"), team, teams)?;
            }
            finite_nonneg(&f("age_days"), c.age_days)?;
            if c.count == 0 {
                return Err(value(f("count"), "expected at least 1 case"));
            }
            if c.stage >= t.stages.len() {
                return Err(value(
                    f("stage"),
                    format!("the case type has {} stages", t.stages.len()),
                ));
            }
        }
        Ok(())
    }
}
