//! A scenario's `[basis]` table: each entry's path checked against the values the file writes,
//! its range checked for kind (a date range for a date, whole numbers for a whole number) and,
//! by `ScenarioSource::check_basis`, for lying inside the field's domain (the scenario is
//! resolved with the field at each end, so the model's own checks judge it).

use caseload_experiment::{AxisValue, Basis, Factor, ValueBasis};

use crate::error::{FieldPath, ScenarioError, Segment};
use crate::file::{BasisKind, ScenarioFile};
use crate::load::ScenarioSource;
use crate::resolve::Problem;

/// The value at `path` in `document`, if the file writes one.
pub(crate) fn value_in<'a>(document: &'a toml::Value, path: &FieldPath) -> Option<&'a toml::Value> {
    let mut here = document;
    for segment in &path.0 {
        here = match (segment, here) {
            (Segment::Key(key), toml::Value::Table(t)) => t.get(key)?,
            (Segment::Index(i), toml::Value::Array(items)) => items.get(*i)?,
            _ => return None,
        };
    }
    Some(here)
}

/// A field's value as a number or date a range can span, if it is one.
pub(crate) fn axis_value(value: &toml::Value) -> Option<AxisValue> {
    match value {
        toml::Value::Integer(i) => Some(AxisValue::Whole(*i)),
        toml::Value::Float(x) if x.is_finite() => Some(AxisValue::Real(*x)),
        toml::Value::Datetime(d) if d.time.is_none() && d.offset.is_none() => {
            caseload_experiment::parse_date(&d.to_string()).map(AxisValue::Date)
        }
        _ => None,
    }
}

/// The `[basis]` entries of `file`, checked against the values `document` (the same file as a
/// TOML value) writes.
pub(crate) fn resolve_basis(
    file: &ScenarioFile,
    document: &toml::Value,
) -> Result<Vec<ValueBasis>, Problem> {
    let mut out = Vec::with_capacity(file.basis.len());
    for (key, entry) in &file.basis {
        let at = FieldPath::root().key("basis").key(key);
        let fail = |path: FieldPath, message: String| Problem { path, message };
        let field = FieldPath::parse(key)
            .map_err(|e| fail(at.clone(), format!("`{key}` is not a field path: {e}")))?;
        let Some(value) = value_in(document, &field) else {
            return Err(fail(
                at,
                format!(
                    "the file writes no value at `{key}`; [basis] describes values the file \
                     writes (paths as in a sweep's --param, e.g. team_defaults.caseload_cap)"
                ),
            ));
        };
        let written = axis_value(value);
        let basis = match entry.basis {
            BasisKind::Sourced => Basis::Sourced,
            BasisKind::Derived => Basis::Derived,
            BasisKind::Assumption => Basis::Assumption,
        };
        let range = match &entry.range {
            None if basis == Basis::Assumption => {
                return Err(fail(
                    at,
                    format!(
                        "an assumption needs a range: `range = [low, high]` of the values \
                         `{key}` could plausibly take"
                    ),
                ));
            }
            None => None,
            Some(typed) => {
                let at = at.key("range");
                // The file's own values: dates stay dates (the typed form holds them as text).
                let ends = value_in(document, &at)
                    .and_then(toml::Value::as_array)
                    .unwrap_or(typed);
                let Some(written) = written else {
                    return Err(fail(
                        at,
                        format!(
                            "`{key}` holds {}, not a number or a date; only a number or a date \
                             has a range",
                            kind_of(value)
                        ),
                    ));
                };
                let [low, high] = &ends[..] else {
                    return Err(fail(
                        at,
                        format!("expected two values, [low, high]; found {}", ends.len()),
                    ));
                };
                let end = |v: &toml::Value| {
                    axis_value(v).ok_or_else(|| {
                        fail(
                            at.clone(),
                            format!("`{v}` is not a number or a date (like 2014-07-01)"),
                        )
                    })
                };
                let (low, high) = (end(low)?, end(high)?);
                let factor = Factor::new(key, low, high, written)
                    .map_err(|message| fail(at.clone(), message))?;
                Some([factor.low, factor.high])
            }
        };
        out.push(ValueBasis {
            path: key.clone(),
            basis,
            source: entry.source.clone().unwrap_or_default(),
            written,
            range,
        });
    }
    Ok(out)
}

fn kind_of(value: &toml::Value) -> &'static str {
    match value {
        toml::Value::String(_) => "text",
        toml::Value::Boolean(_) => "true or false",
        toml::Value::Array(_) => "a list",
        toml::Value::Table(_) => "a table",
        _ => "a value with a time of day",
    }
}

impl ScenarioSource {
    /// Checks that each end of every range in `[basis]` lies inside its field's domain: the
    /// scenario resolved with the field at that end must be valid. The error names the entry
    /// and what the field at that end breaks.
    pub fn check_basis(&self) -> Result<(), ScenarioError> {
        let scenario = self.scenario()?;
        for entry in &scenario.base.basis {
            let Some(range) = entry.range else { continue };
            let field = FieldPath::parse(&entry.path)
                .map_err(|e| ScenarioError::file(self.path(), e.to_string()))?;
            for (name, end) in [("low", range[0]), ("high", range[1])] {
                let change = (field.clone(), crate::grid::field_value(end));
                if let Err(inner) = self.plan_with_changes(None, &[change]) {
                    let at = FieldPath::root().key("basis").key(&entry.path).key("range");
                    return Err(ScenarioError::at(
                        self.path(),
                        self.text(),
                        crate::error::locate(self.text(), &at),
                        Some(at.to_string()),
                        format!(
                            "the range's {name} end {end} is outside what `{}` can take: {}",
                            entry.path,
                            inner
                                .field
                                .as_ref()
                                .filter(|f| **f != entry.path)
                                .map(|f| format!("{f}: {}", inner.message))
                                .unwrap_or(inner.message.clone())
                        ),
                    ));
                }
            }
        }
        Ok(())
    }
}

/// The `[report]` table of `file`, its KPIs checked against those `plan` reports.
pub(crate) fn resolve_report(
    file: &ScenarioFile,
    plan: &crate::RunPlan,
) -> Result<Option<caseload_experiment::ReportAsk>, Problem> {
    let Some(report) = &file.report else {
        return Ok(None);
    };
    let at = FieldPath::root().key("report");
    let defs = plan
        .design(false, caseload_experiment::Limits::DEFAULT)
        .kpis();
    let key = |name: &str, path: FieldPath| {
        caseload_experiment::find_kpi(&defs, name)
            .map(|k| defs[k].key())
            .map_err(|e| Problem {
                path,
                message: e.to_string(),
            })
    };
    let mut headline = Vec::with_capacity(report.headline.len());
    for (i, name) in report.headline.iter().enumerate() {
        headline.push(key(name, at.key("headline").index(i))?);
    }
    let mut better = Vec::with_capacity(report.better.len());
    for (name, way) in &report.better {
        let path = at.key("better").key(name);
        let larger = match way.as_str() {
            "larger" => true,
            "smaller" => false,
            other => {
                return Err(Problem {
                    path,
                    message: format!("`{other}`: expected \"larger\" or \"smaller\""),
                });
            }
        };
        better.push(caseload_experiment::Direction {
            kpi: key(name, path)?,
            larger,
        });
    }
    let money = match &report.money {
        None => caseload_experiment::MoneyUnit::default(),
        Some(name) => caseload_experiment::MoneyUnit::from_name(name).ok_or_else(|| Problem {
            path: at.key("money"),
            message: format!(
                "`{name}`: expected one of {}",
                caseload_experiment::MoneyUnit::NAMES.join(", ")
            ),
        })?,
    };
    let period = match &report.period {
        None => None,
        Some([first, last]) => {
            let path = at.key("period");
            let first = crate::resolve::calendar_date(first, &path.index(0))?;
            let last = crate::resolve::calendar_date(last, &path.index(1))?;
            let (start, end) = (plan.start_date, plan.end_date());
            if first >= last {
                return Err(Problem {
                    path,
                    message: format!("{first} is not before {last}: expected [first, last]"),
                });
            }
            if last <= start || first >= end {
                return Err(Problem {
                    path,
                    message: format!(
                        "{first} to {last} is outside the run ({start} to {end}): expected dates \
                         inside it"
                    ),
                });
            }
            Some([first, last])
        }
    };
    Ok(Some(caseload_experiment::ReportAsk {
        question: report.question.clone(),
        headline,
        better,
        money,
        period,
        own_scales: report.own_scales.unwrap_or(false),
    }))
}
