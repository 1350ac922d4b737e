//! A scenario's demand replaced by demand fitted from counts: what `caseload backtest
//! --fit-until` runs, so a model is judged on months its demand never saw.

use std::path::Path;

use caseload_fit::{Fit, FitOptions, Series, fit, read_counts};
use time::Date;

use crate::error::{FieldPath, ScenarioError};
use crate::load::{FieldChange, ScenarioSource};
use crate::resolve::RunPlan;

/// The plan of `variant` with the demand of every case type in `counts` fitted on the
/// periods that end on or before `until` (a step from `change`, if given), and the fits.
///
/// Each fit's `annual_rate` is for the scenario's start and its uncertainty goes into the
/// demand, so the bands carry the forecast's uncertainty. Series by team are refused (fit the
/// type's total: the scenario splits it over its teams), as are case types the scenario does
/// not have and series with no period before `until`.
pub fn plan_with_fitted_demand(
    source: &ScenarioSource,
    variant: Option<&str>,
    counts: &Path,
    until: Date,
    change: Option<Date>,
) -> Result<(RunPlan, Vec<Fit>), ScenarioError> {
    let fail = |message: String| ScenarioError::file(counts, message);
    let written = source.plan_with_changes(variant, &[])?;
    let series = read_counts(counts).map_err(|e| ScenarioError {
        position: e.line.map(|l| (u32::try_from(l).unwrap_or(u32::MAX), 1)),
        ..fail(e.message)
    })?;
    let options = FitOptions {
        change,
        start: Some(written.start_date),
    };
    let mut changes: Vec<FieldChange> = Vec::new();
    let mut fits = Vec::new();
    for s in &series {
        if let Some(team) = &s.team {
            return Err(fail(format!(
                "series `{}`: counts by team (`{team}`) cannot replace a case type's demand; \
                 give each type's total (the scenario splits it over its teams)",
                s.label()
            )));
        }
        let field = FieldPath::root()
            .key("case_types")
            .key(&s.case_type)
            .key("demand");
        if source
            .value_at(&FieldPath::root().key("case_types").key(&s.case_type))
            .is_none()
        {
            return Err(fail(format!(
                "case type `{}` is not in the scenario {}",
                s.case_type,
                source.path().display()
            )));
        }
        let before = before(s, until);
        if before.observations.is_empty() {
            return Err(fail(format!(
                "series `{}` has no period ending on or before {until} to fit",
                s.label()
            )));
        }
        let fitted = fit(&before, &options).map_err(|e| fail(e.to_string()))?;
        changes.push((field, demand_value(&fitted)));
        fits.push(fitted);
    }
    let plan = source.plan_with_changes(variant, &changes)?;
    Ok((plan, fits))
}

/// The periods of `series` that end on or before `until`.
fn before(series: &Series, until: Date) -> Series {
    Series {
        observations: series
            .observations
            .iter()
            .filter(|o| o.end <= until)
            .cloned()
            .collect(),
        ..series.clone()
    }
}

/// A fit as the scenario's `demand` table: rate on the fit's start date, growth,
/// seasonality, the step (when it falls after the start; before it, the rate includes it)
/// and the uncertainty.
pub fn demand_value(fit: &Fit) -> toml::Value {
    let mut table = toml::Table::new();
    table.insert("annual_rate".into(), fit.annual_rate.value.into());
    table.insert("annual_growth".into(), fit.annual_growth.value.into());
    if let Some(months) = &fit.seasonality {
        let values: Vec<toml::Value> = months.iter().map(|m| m.value.into()).collect();
        table.insert("monthly_seasonality".into(), toml::Value::Array(values));
    }
    if let Some((date, multiplier)) = &fit.step
        && *date > fit.start
        && let Ok(start) = date.to_string().parse::<toml::value::Datetime>()
    {
        let mut step = toml::Table::new();
        step.insert("start".into(), toml::Value::Datetime(start));
        step.insert("multiplier".into(), multiplier.value.into());
        table.insert(
            "steps".into(),
            toml::Value::Array(vec![toml::Value::Table(step)]),
        );
    }
    let mut uncertainty = toml::Table::new();
    uncertainty.insert("rate_log_sd".into(), fit.spread.rate_log_sd.into());
    uncertainty.insert("growth_log_sd".into(), fit.spread.growth_log_sd.into());
    uncertainty.insert(
        "correlation".into(),
        fit.spread.correlation.clamp(-1.0, 1.0).into(),
    );
    table.insert("uncertainty".into(), toml::Value::Table(uncertainty));
    toml::Value::Table(table)
}
