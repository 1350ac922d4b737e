//! What `caseload attribute` prints.

use std::fmt::Write as _;
use std::path::Path;

use caseload_experiment::{Attribution, Method};

/// What `caseload attribute` prints: how the package was attributed, then for each KPI the
/// package's effect and each action's Shapley value and leave-one-out effect.
pub fn attribution(
    label: &str,
    replications: u32,
    seed: u64,
    attribution: &Attribution,
    written: &Path,
) -> String {
    let mut text = format!(
        "{}: {} staffing actions, {} ({} replications each, {} runs in all, seed {seed})\n",
        label,
        attribution.actions.len(),
        match attribution.method {
            Method::Exact => "every subset run: exact Shapley values".to_string(),
            Method::Sampled { orders } => format!(
                "{orders} random order{} per replication: sampled Shapley values",
                if orders == 1 { "" } else { "s" }
            ),
        },
        replications,
        attribution.runs
    );
    for (k, (kpi, unit)) in attribution.kpis.iter().enumerate() {
        let e = crate::format::with_interval;
        let _ = writeln!(
            text,
            "\n{kpi} ({unit}): {} without the package, {} with it, effect {}",
            e(&attribution.without[k]),
            e(&attribution.package[k]),
            e(&attribution.total[k])
        );
        let _ = writeln!(
            text,
            "  {:<32} {:>30} {:>30}",
            "action", "Shapley value [95 % CI]", "leave-one-out [95 % CI]"
        );
        for c in &attribution.actions {
            let _ = writeln!(
                text,
                "  {:<32} {:>30} {:>30}",
                c.action,
                e(&c.shapley[k]),
                e(&c.leave_one_out[k])
            );
        }
    }
    let _ = writeln!(
        text,
        "\nthe Shapley values add up to the package's effect in every replication; files in {}",
        written.display()
    );
    text
}
