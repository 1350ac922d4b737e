//! What `caseload calibrate` writes: `calibration.csv` (each value's plausible range and best
//! point), `targets.csv` (each observed figure against the model at the best point),
//! `points.csv` (every point run, wave by wave, with its implausibility per target),
//! `basis.toml` (the calibrated ranges as `[basis]` entries, ready to paste) and a chart per
//! value.

use std::io::Write as _;

use caseload_experiment::{AxisValue, CUTOFF, Calibration, CalibrationTarget, Factor};

use crate::charts::ImplausibilityChart;
use crate::folders::{FileIn, FolderError, write_file};
use crate::format::number;
use crate::sensitivity::file_stem;

/// What a calibration was asked, for its files.
pub struct CalibrationAsked<'a> {
    /// `scenario` or `scenario.variant`.
    pub label: &'a str,
    /// The values calibrated.
    pub factors: &'a [Factor],
    /// The observed figures.
    pub targets: &'a [CalibrationTarget],
    /// The observed file as named, for the basis entries' source.
    pub observed_file: &'a str,
    /// Waves run.
    pub waves: u32,
}

fn text(value: Option<AxisValue>) -> String {
    value.map_or_else(String::new, |v| v.to_string())
}

/// Writes the calibration's files; returns their names.
pub fn write_calibration(
    file: FileIn,
    asked: &CalibrationAsked,
    result: &Calibration,
) -> Result<Vec<String>, FolderError> {
    let best = result.best.map(|b| &result.points[b]);
    write_file(&file("calibration.csv"), |w| -> Result<(), csv::Error> {
        let mut w = csv::Writer::from_writer(w);
        w.write_record([
            "parameter",
            "low",
            "high",
            "best",
            "range_low",
            "range_high",
        ])?;
        for (j, f) in asked.factors.iter().enumerate() {
            let range = result.ranges[j];
            w.write_record([
                f.path.clone(),
                text(range.map(|r| r.0)),
                text(range.map(|r| r.1)),
                text(best.map(|b| b.values[j])),
                f.low.to_string(),
                f.high.to_string(),
            ])?;
        }
        w.flush()?;
        Ok(())
    })?;
    write_file(&file("targets.csv"), |w| -> Result<(), csv::Error> {
        let mut w = csv::Writer::from_writer(w);
        w.write_record([
            "target",
            "observed",
            "sd",
            "best_mean",
            "best_ci_lo",
            "best_ci_hi",
            "implausibility",
        ])?;
        for (t, target) in asked.targets.iter().enumerate() {
            let (mean, (lo, hi), i) = best
                .map_or((f64::NAN, (f64::NAN, f64::NAN), f64::NAN), |b| {
                    (b.means[t], b.intervals[t], b.implausibility[t])
                });
            w.write_record([
                target.kpi.clone(),
                number(target.value),
                number(target.sd),
                number(mean),
                number(lo),
                number(hi),
                number(i),
            ])?;
        }
        w.flush()?;
        Ok(())
    })?;
    write_file(&file("points.csv"), |w| -> Result<(), csv::Error> {
        let mut w = csv::Writer::from_writer(w);
        let mut header = vec!["wave".to_string(), "point".to_string()];
        header.extend(asked.factors.iter().map(|f| f.path.clone()));
        header.extend(asked.targets.iter().map(|t| format!("mean:{}", t.kpi)));
        header.extend(
            asked
                .targets
                .iter()
                .map(|t| format!("implausibility:{}", t.kpi)),
        );
        header.extend([
            "largest_implausibility".to_string(),
            "plausible".to_string(),
        ]);
        w.write_record(&header)?;
        for (i, p) in result.points.iter().enumerate() {
            let mut row = vec![p.wave.to_string(), i.to_string()];
            row.extend(p.values.iter().map(ToString::to_string));
            row.extend(p.means.iter().map(|&m| number(m)));
            row.extend(p.implausibility.iter().map(|&m| number(m)));
            row.push(number(p.worst()));
            row.push(p.plausible().to_string());
            w.write_record(&row)?;
        }
        w.flush()?;
        Ok(())
    })?;
    write_file(&file("basis.toml"), |mut w| -> Result<(), std::io::Error> {
        writeln!(
            w,
            "# The calibrated ranges as [basis] entries, ready to paste into the scenario: \
             history matching\n# against {} ({} waves; plausible: largest implausibility at \
             most {CUTOFF}).",
            asked.observed_file, asked.waves
        )?;
        for (j, f) in asked.factors.iter().enumerate() {
            match result.ranges[j] {
                Some((lo, hi)) if lo.as_f64() < hi.as_f64() => writeln!(
                    w,
                    "\"{}\" = {{ basis = \"assumption\", source = \"calibrated to {} by \
                     history matching (best {})\", range = [{lo}, {hi}] }}",
                    f.path,
                    asked.observed_file.replace('"', "'"),
                    text(best.map(|b| b.values[j]))
                )?,
                Some((lo, _)) => writeln!(
                    w,
                    "# {}: only {lo} is plausible: too few points, or the ranges too wide; \
                     run more --points",
                    f.path
                )?,
                None => writeln!(w, "# {}: no value is plausible", f.path)?,
            }
        }
        w.flush()
    })?;
    let mut files: Vec<String> = ["calibration.csv", "targets.csv", "points.csv", "basis.toml"]
        .map(String::from)
        .to_vec();
    for (j, f) in asked.factors.iter().enumerate() {
        let points: Vec<(f64, f64)> = result
            .points
            .iter()
            .map(|p| (p.values[j].as_f64(), p.worst()))
            .collect();
        let stem = format!("calibration_{}", file_stem(&f.path));
        ImplausibilityChart {
            title: format!(
                "{}: which values of {} the observed figures allow",
                asked.label, f.path
            ),
            x_label: format!("{} (range {} to {})", f.path, f.low, f.high),
            points: &points,
            cutoff: CUTOFF,
            dates: f.written.is_date(),
        }
        .write(&file(&stem))?;
        files.extend([format!("{stem}.png"), format!("{stem}.svg")]);
    }
    Ok(files)
}
