//! What `caseload sweep` and `caseload merge` print.

use std::fmt::Write as _;
use std::path::Path;

use caseload_experiment::{Manifest, Rows};

use crate::format::with_interval;

/// What `caseload sweep` (and `merge`) prints: the chart's KPI at each point with its
/// interval, or for a shard what it holds; and where the files are.
pub fn sweep(manifest: &Manifest, rows: &Rows, written: &Path) -> String {
    let mut text = String::new();
    let Some(record) = &manifest.sweep else {
        return text;
    };
    let pairs = rows.len();
    if let Some(s) = record.shard {
        let _ = writeln!(
            text,
            "{}: shard {}/{} of a sweep of {} points x {} replications: {pairs} (point, \
             replication) pairs in {}\ncombine every shard with `caseload merge DIR...`",
            manifest.label(),
            s.index,
            s.count,
            record.points,
            manifest.replications,
            written.display()
        );
        return text;
    }
    let _ = writeln!(
        text,
        "{}: {} points x {} replications, seed {} (common random numbers across points)",
        manifest.label(),
        record.points,
        manifest.replications,
        manifest.seed
    );
    let _ = writeln!(text);
    let k = record
        .kpis
        .iter()
        .position(|e| e.name == record.chart_kpi)
        .unwrap_or(0);
    let widths: Vec<usize> = record
        .params
        .axes
        .iter()
        .map(|p| short_path(&p.path).len().max(8))
        .collect();
    let mut header = format!("{:>6}", "point");
    for (p, width) in record.params.axes.iter().zip(&widths) {
        let _ = write!(header, "  {:>width$}", short_path(&p.path));
    }
    let _ = writeln!(
        text,
        "{header}  {} [95 % CI]  less at point {} [95 % CI, paired]",
        record.chart_kpi, record.reference
    );
    let estimates = crate::folders::sweep_estimates(manifest, rows, k);
    let values: Vec<Vec<Vec<f64>>> = (0..record.points)
        .map(|p| {
            rows.range((p, 0)..=(p, u32::MAX))
                .map(|(_, kpis)| kpis.clone())
                .collect()
        })
        .collect();
    let domain = record.kpis[k].domain;
    for (p, e) in estimates.iter().enumerate() {
        let mut line = format!("{p:>6}");
        for (v, width) in record.params.point(p).iter().zip(&widths) {
            let _ = write!(line, "  {:>width$}", v.to_string());
        }
        let difference = if p == record.reference {
            "(the reference)".to_string()
        } else {
            let d = crate::tables::paired_difference(&values, p, record.reference, k, domain);
            if d.n == 0 {
                "not comparable (a replication did not reach it)".to_string()
            } else {
                with_interval(&d)
            }
        };
        let _ = writeln!(text, "{line}  {}  {difference}", with_interval(e));
    }
    let _ = writeln!(text);
    let _ = writeln!(
        text,
        "every KPI per point in {}",
        written.join("sweep.csv").display()
    );
    text
}

/// The last two segments of a path, to fit a column.
fn short_path(path: &str) -> String {
    let parts: Vec<&str> = path.split('.').collect();
    if parts.len() <= 2 {
        path.to_string()
    } else {
        parts[parts.len() - 2..].join(".")
    }
}
