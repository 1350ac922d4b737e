//! What `caseload sensitivity` (and `merge` of its shards) prints.

use std::fmt::Write as _;
use std::path::Path;

use caseload_experiment::{
    Estimate, IndexName, Manifest, Rows, SensitivityIndex, SensitivityMethod, ranked,
    sensitivity_indices,
};

use crate::format::{readable, with_interval};

/// What `caseload sensitivity` prints: per KPI, its value as written and the assumptions it
/// depends on most, ranked, with each end's change; for a shard, what it holds; and where
/// the files are.
pub fn sensitivity(manifest: &Manifest, rows: &Rows, written: &Path) -> String {
    let mut text = String::new();
    let Some(record) = &manifest.sweep else {
        return text;
    };
    let Some(plan) = &record.sensitivity else {
        return text;
    };
    if let Some(s) = record.shard {
        let _ = writeln!(
            text,
            "{}: shard {}/{} of a sensitivity analysis of {} points x {} replications: {} \
             (point, replication) pairs in {}\ncombine every shard with `caseload merge DIR...`",
            manifest.label(),
            s.index,
            s.count,
            record.points,
            manifest.replications,
            rows.len(),
            written.display()
        );
        return text;
    }
    let method = match plan.method {
        SensitivityMethod::Morris {
            trajectories,
            levels,
        } => format!("Morris screening, {trajectories} trajectories on {levels} levels"),
        SensitivityMethod::Sobol { samples } => {
            format!("Sobol indices, {samples} base samples (Saltelli; Jansen estimators)")
        }
    };
    let _ = writeln!(
        text,
        "{}: sensitivity to {} assumptions by {method}: {} points x {} replications, seed {} \
         (common random numbers across points)",
        manifest.label(),
        plan.factors.len(),
        record.points,
        manifest.replications,
        manifest.seed
    );
    let Ok(indices) = sensitivity_indices(plan, &record.kpis, manifest.replications, rows) else {
        return text;
    };
    for kpi in &plan.kpis {
        let Some(c) = record.kpis.iter().position(|k| &k.name == kpi) else {
            continue;
        };
        let as_written = Estimate::in_domain(
            (0..manifest.replications).map(|r| rows.get(&(0, r)).map_or(f64::NAN, |v| v[c])),
            record.kpis[c].domain,
        );
        let _ = writeln!(
            text,
            "\n{kpi} as written: {}\n{kpi} depends most on:",
            with_interval(&as_written)
        );
        for (rank, main) in ranked(&indices, kpi).iter().take(10).enumerate() {
            let _ = writeln!(text, "{}", ranked_line(rank + 1, main, &indices));
        }
    }
    let _ = writeln!(
        text,
        "\nevery index in {}; the tornado and {} charts beside it",
        written.join("sensitivity.csv").display(),
        plan.method.name()
    );
    text
}

/// One line of the ranking: the factor, its main index with its interval, and the change at
/// each end of its range.
fn ranked_line(rank: usize, main: &SensitivityIndex, indices: &[SensitivityIndex]) -> String {
    let find = |which: IndexName| {
        indices
            .iter()
            .find(|i| i.kpi == main.kpi && i.parameter == main.parameter && i.index == which)
    };
    let ci = |i: &SensitivityIndex| {
        if i.ci_lo.is_finite() && i.ci_hi.is_finite() {
            format!(
                "{} [{}, {}]",
                readable(i.value),
                readable(i.ci_lo),
                readable(i.ci_hi)
            )
        } else {
            readable(i.value)
        }
    };
    let name = if main.index == IndexName::MuStar {
        "mu*"
    } else {
        "total index"
    };
    let ends = match (find(IndexName::LowEnd), find(IndexName::HighEnd)) {
        (Some(lo), Some(hi)) => format!(
            "; low end {}, high end {}",
            signed(lo.value),
            signed(hi.value)
        ),
        _ => String::new(),
    };
    format!("{rank:>3}. {}: {name} {}{ends}", main.parameter, ci(main))
}

fn signed(x: f64) -> String {
    if x > 0.0 {
        format!("+{}", readable(x))
    } else {
        readable(x)
    }
}
