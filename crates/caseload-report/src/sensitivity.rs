//! What `caseload sensitivity` writes: `sensitivity.csv` (every index of every KPI, long),
//! and per KPI a tornado (the change at each end of each range, one at a time) and the
//! method's chart (Morris's mu* against sigma, or Sobol's first and total indices).

use caseload_experiment::{
    IndexName, Manifest, Rows, SensitivityIndex, SensitivityPlan, ranked, sensitivity_indices,
};

use crate::charts::{Bar, NumberedScatter, PairedBars};
use crate::folders::{FileIn, FolderError, write_file};
use crate::format::number;

/// The header of `sensitivity.csv`.
pub const SENSITIVITY_COLUMNS: [&str; 7] = [
    "kpi",
    "parameter",
    "method",
    "index",
    "value",
    "ci_lo",
    "ci_hi",
];

/// A file-name-safe form of a KPI name (`backlog_end@north` -> `backlog_end_north`).
pub fn file_stem(kpi: &str) -> String {
    kpi.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// The indices of the finished analysis `manifest` describes, from its `rows`.
pub fn indices_of(manifest: &Manifest, rows: &Rows) -> Result<Vec<SensitivityIndex>, FolderError> {
    let (record, plan) = plan_of(manifest)?;
    sensitivity_indices(plan, &record.kpis, manifest.replications, rows)
        .map_err(|e| FolderError::Manifest(e.to_string()))
}

fn plan_of(
    manifest: &Manifest,
) -> Result<(&caseload_experiment::SweepRecord, &SensitivityPlan), FolderError> {
    let record = manifest
        .sweep
        .as_ref()
        .ok_or_else(|| FolderError::Manifest("describes no sensitivity analysis".into()))?;
    let plan = record.sensitivity.as_ref().ok_or_else(|| {
        FolderError::Manifest("describes a sweep, not a sensitivity analysis".into())
    })?;
    Ok((record, plan))
}

/// Writes `sensitivity.csv` and the charts of a whole analysis; returns the files written.
pub fn write_sensitivity(
    file: FileIn,
    manifest: &Manifest,
    rows: &Rows,
) -> Result<Vec<String>, FolderError> {
    let (record, plan) = plan_of(manifest)?;
    let indices = indices_of(manifest, rows)?;
    write_file(&file("sensitivity.csv"), |w| -> Result<(), csv::Error> {
        let mut w = csv::Writer::from_writer(w);
        w.write_record(SENSITIVITY_COLUMNS)?;
        for i in &indices {
            w.write_record([
                i.kpi.as_str(),
                &i.parameter,
                i.method,
                i.index.name(),
                &number(i.value),
                &number(i.ci_lo),
                &number(i.ci_hi),
            ])?;
        }
        w.flush()?;
        Ok(())
    })?;
    let mut files = vec!["sensitivity.csv".to_string()];
    let label = manifest.label();
    for kpi in &plan.kpis {
        let unit = record
            .kpis
            .iter()
            .find(|k| &k.name == kpi)
            .map_or("", |k| k.unit.as_str());
        files.extend(tornado(file, &label, kpi, unit, plan, &indices)?);
        files.extend(method_chart(file, &label, kpi, unit, &indices)?);
    }
    Ok(files)
}

/// A factor's label on a chart: its path and range.
fn factor_label(plan: &SensitivityPlan, path: &str) -> String {
    plan.factors.iter().find(|f| f.path == path).map_or_else(
        || path.to_string(),
        |f| format!("{path} [{}, {}]", f.low, f.high),
    )
}

fn tornado(
    file: FileIn,
    label: &str,
    kpi: &str,
    unit: &str,
    plan: &SensitivityPlan,
    indices: &[SensitivityIndex],
) -> Result<Vec<String>, FolderError> {
    let bar = |path: &str, which: IndexName| -> Option<Bar> {
        indices
            .iter()
            .find(|i| i.kpi == kpi && i.parameter == path && i.index == which)
            .map(|i| (i.value, i.ci_lo, i.ci_hi))
    };
    let mut rows: Vec<(String, [Option<Bar>; 2])> = plan
        .factors
        .iter()
        .map(|f| {
            (
                factor_label(plan, &f.path),
                [
                    bar(&f.path, IndexName::LowEnd),
                    bar(&f.path, IndexName::HighEnd),
                ],
            )
        })
        .collect();
    // The widest swing on top.
    let swing = |r: &(String, [Option<Bar>; 2])| {
        r.1.iter()
            .flatten()
            .map(|b| b.0.abs())
            .filter(|x| x.is_finite())
            .fold(0.0, f64::max)
    };
    rows.sort_by(|a, b| swing(b).total_cmp(&swing(a)));
    let stem = format!("tornado_{}", file_stem(kpi));
    PairedBars {
        title: format!("{label}: change in {kpi} at each end of each assumption's range"),
        x_label: format!(
            "change in {kpi} from as written ({unit}), one assumption at a time; whiskers: \
             95 % CI"
        ),
        series: ["low end", "high end"],
        rows: &rows,
        unit_interval: false,
    }
    .write(&file(&stem))?;
    Ok(vec![format!("{stem}.png"), format!("{stem}.svg")])
}

fn method_chart(
    file: FileIn,
    label: &str,
    kpi: &str,
    unit: &str,
    indices: &[SensitivityIndex],
) -> Result<Vec<String>, FolderError> {
    let order = ranked(indices, kpi);
    let find = |path: &str, which: IndexName| {
        indices
            .iter()
            .find(|i| i.kpi == kpi && i.parameter == path && i.index == which)
    };
    let Some(first) = order.first() else {
        return Ok(Vec::new());
    };
    if first.index == IndexName::MuStar {
        let points: Vec<(String, f64, f64)> = order
            .iter()
            .map(|i| {
                let sigma = find(&i.parameter, IndexName::Sigma).map_or(f64::NAN, |s| s.value);
                (i.parameter.clone(), i.value, sigma)
            })
            .collect();
        let stem = format!("morris_{}", file_stem(kpi));
        NumberedScatter {
            title: format!("{label}: which assumptions move {kpi} (Morris screening)"),
            x_label: format!(
                "mu*: mean absolute change in {kpi} across an assumption's whole range ({unit})"
            ),
            y_label: "sigma: spread of the changes (interactions, curvature)".into(),
            points: &points,
        }
        .write(&file(&stem))?;
        return Ok(vec![format!("{stem}.png"), format!("{stem}.svg")]);
    }
    let rows: Vec<(String, [Option<Bar>; 2])> = order
        .iter()
        .map(|i| {
            let bar = |which| find(&i.parameter, which).map(|x| (x.value, x.ci_lo, x.ci_hi));
            (
                i.parameter.clone(),
                [bar(IndexName::First), bar(IndexName::Total)],
            )
        })
        .collect();
    let stem = format!("sobol_{}", file_stem(kpi));
    PairedBars {
        title: format!("{label}: share of the variance of {kpi} each assumption explains"),
        x_label: "Sobol index (share of variance, 0 to 1); whiskers: 95 % bootstrap CI".into(),
        series: ["first (alone)", "total (with interactions)"],
        rows: &rows,
        unit_interval: true,
    }
    .write(&file(&stem))?;
    Ok(vec![format!("{stem}.png"), format!("{stem}.svg")])
}
