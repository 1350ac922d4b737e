//! What `caseload calibrate` prints.

use std::fmt::Write as _;
use std::path::Path;

use caseload_experiment::{CUTOFF, Calibration, CalibrationTarget, Factor};

use crate::format::readable;

/// What `caseload calibrate` prints: each value's plausible range and best point, each
/// observed figure against the model at the best point, and where the files are.
pub fn calibration(
    label: &str,
    factors: &[Factor],
    targets: &[CalibrationTarget],
    result: &Calibration,
    written: &Path,
) -> String {
    let mut text = String::new();
    let plausible = result.points.iter().filter(|p| p.plausible()).count();
    let waves = result.points.iter().map(|p| p.wave).max().unwrap_or(0);
    let _ = writeln!(
        text,
        "{label}: {} points in {waves} waves, {plausible} plausible (largest implausibility at \
         most {CUTOFF})",
        result.points.len()
    );
    let best = result.best.map(|b| &result.points[b]);
    for (j, f) in factors.iter().enumerate() {
        let line = match result.ranges[j] {
            Some((lo, hi)) => format!(
                "{}: plausible from {lo} to {hi}, best {} (range tried {} to {})",
                f.path,
                best.map_or_else(String::new, |b| b.values[j].to_string()),
                f.low,
                f.high
            ),
            None => format!(
                "{}: no value from {} to {} is plausible",
                f.path, f.low, f.high
            ),
        };
        let _ = writeln!(text, "  {line}");
    }
    if let Some(b) = best {
        let _ = writeln!(text, "at the best point:");
        for (t, target) in targets.iter().enumerate() {
            let _ = writeln!(
                text,
                "  {}: observed {} (sd {}), model {} [{}, {}], implausibility {:.2}",
                target.kpi,
                readable(target.value),
                readable(target.sd),
                readable(b.means[t]),
                readable(b.intervals[t].0),
                readable(b.intervals[t].1),
                b.implausibility[t]
            );
        }
    }
    if plausible == 0 {
        let _ = writeln!(
            text,
            "no point reproduces every figure: widen the ranges, vary other values, or check \
             the figures"
        );
    }
    let _ = writeln!(
        text,
        "ranges in {}, ready-to-paste [basis] entries in {}",
        written.join("calibration.csv").display(),
        written.join("basis.toml").display()
    );
    text
}
