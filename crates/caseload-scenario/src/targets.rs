//! The observed figures a calibration fits: a CSV of `target, value, sd` (and optionally
//! `source`), one row per KPI the run reports (`kpi`, `kpi@team`, date-suffixed census KPIs
//! such as `waiting_at_2015-04-01`), read with the line at fault in every error.

use std::path::Path;

use caseload_experiment::{CalibrationTarget, KpiDef, find_kpi};

use crate::observed::ObservedError;

/// Reads the targets of `path`, each resolved to the name of a KPI among `defs`.
pub fn read_targets(path: &Path, defs: &[KpiDef]) -> Result<Vec<CalibrationTarget>, ObservedError> {
    let file = path.display().to_string();
    let fail = |line: Option<u64>, message: String| ObservedError {
        file: file.clone(),
        line,
        message,
    };
    let (mut reader, header) = crate::observed::open_csv(
        path,
        &["target", "value", "sd", "source"],
        "target, value, sd and optionally source",
    )?;
    let column = |name: &str| {
        header.iter().position(|h| h == name).ok_or_else(|| {
            fail(
                Some(1),
                format!("no `{name}` column: expected target, value, sd and optionally source"),
            )
        })
    };
    let (t, v, s) = (column("target")?, column("value")?, column("sd")?);
    let mut targets: Vec<(u64, CalibrationTarget)> = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map(|p| p.line());
            fail(line, format!("not CSV: {e}"))
        })?;
        let line = record.position().map_or(0, |p| p.line());
        let at = Some(line);
        let field = |i: usize| record.get(i).unwrap_or("");
        let number = |i: usize, what: &str| {
            field(i)
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .ok_or_else(|| fail(at, format!("{what} `{}` is not a number", field(i))))
        };
        let name = field(t);
        let kpi = find_kpi(defs, name).map_err(|e| fail(at, format!("target: {e}")))?;
        let key = defs[kpi].key();
        let value = number(v, "value")?;
        let sd = number(s, "sd")?;
        if sd <= 0.0 {
            return Err(fail(
                at,
                format!("sd {sd}: the observed figure's standard deviation must be above 0"),
            ));
        }
        if let Some((first, _)) = targets.iter().find(|(_, x)| x.kpi == key) {
            return Err(fail(
                at,
                format!(
                    "the target `{key}` is given twice (first on line {first}): give each once"
                ),
            ));
        }
        targets.push((
            line,
            CalibrationTarget {
                kpi: key,
                value,
                sd,
            },
        ));
    }
    if targets.is_empty() {
        return Err(fail(
            None,
            "no target: expected a row per observed figure".into(),
        ));
    }
    Ok(targets.into_iter().map(|(_, t)| t).collect())
}
