//! The section of `caseload sensitivity`'s page.

use std::fmt::Write as _;
use std::path::Path;

use caseload_experiment::{IndexName, Manifest};

use super::*;

/// The answer of a sensitivity analysis: per KPI, the assumptions it depends on most, ranked,
/// and a table of every assumption's indices and the change at each end of its range.
pub(super) fn section(
    page: &mut String,
    folder: &Path,
    manifest: &Manifest,
) -> Result<(), ReportError> {
    let Some(plan) = manifest.sweep.as_ref().and_then(|s| s.sensitivity.as_ref()) else {
        return Ok(());
    };
    let rows = table(folder, "sensitivity.csv")?;
    let morris = plan.morris().is_some();
    let _ = writeln!(
        page,
        "<h2>The question</h2>\n<p>Which of the scenario's {} assumptions does the answer \
         depend on? Each was varied over its range (the table gives them), with common random \
         numbers: the tornado moves one at a time from the scenario as written; {}</p>",
        plan.factors.len(),
        if morris {
            "Morris's screening moves them all along random trajectories: mu* is the mean \
             absolute change in the KPI across an assumption's whole range, sigma the spread \
             of those changes (large where it interacts with others or acts unevenly)."
        } else {
            "Sobol's indices split the KPI's variance over the ranges: the first index is the \
             share an assumption explains alone, the total index its share with every \
             interaction."
        }
    );
    let main = if morris { "mu_star" } else { "total" };
    for kpi in &plan.kpis {
        let mine: Vec<&Row> = rows.iter().filter(|r| r.get("kpi") == Some(kpi)).collect();
        let get = |param: &str, index: IndexName| {
            mine.iter()
                .find(|r| {
                    r.get("parameter").is_some_and(|p| p == param)
                        && r.get("index").is_some_and(|i| i == index.name())
                })
                .copied()
        };
        let mut order: Vec<&Row> = mine
            .iter()
            .filter(|r| r.get("index").is_some_and(|i| i == main))
            .copied()
            .collect();
        order.sort_by(|a, b| {
            let key = |r: &Row| {
                let v = number(r, "value");
                if v.is_nan() { f64::NEG_INFINITY } else { v }
            };
            key(b).total_cmp(&key(a))
        });
        let names: Vec<String> = order
            .iter()
            .take(3)
            .filter_map(|r| r.get("parameter").cloned())
            .collect();
        let _ = writeln!(
            page,
            "<p class=\"answer\">{} depends most on: {}.</p>",
            escape(kpi),
            escape(&names.join(", then "))
        );
        let cell = |r: Option<&Row>| {
            r.map_or_else(String::new, |r| {
                let (v, lo, hi) = (number(r, "value"), number(r, "ci_lo"), number(r, "ci_hi"));
                let d = match v.abs() {
                    x if x >= 100.0 => 0,
                    x if x >= 10.0 => 1,
                    _ => 3,
                };
                // No interval where the replications gave no spread.
                if lo.is_finite() && hi.is_finite() && hi > lo {
                    format!(
                        "{}<br><span class=\"ci\">[{}, {}]</span>",
                        grouped(v, d),
                        grouped(lo, d),
                        grouped(hi, d)
                    )
                } else {
                    grouped(v, d)
                }
            })
        };
        let (a, b) = if morris {
            (IndexName::MuStar, IndexName::Sigma)
        } else {
            (IndexName::First, IndexName::Total)
        };
        let _ = write!(
            page,
            "<table>\n<tr><th>assumption (range)</th><th>{} [95 % CI]</th><th>{} [95 % \
             CI]</th><th>change at the low end</th><th>change at the high end</th></tr>\n",
            a.name(),
            b.name()
        );
        for r in &order {
            let param = r.get("parameter").cloned().unwrap_or_default();
            let range = plan
                .factors
                .iter()
                .find(|f| f.path == param)
                .map_or_else(String::new, |f| format!("{} to {}", f.low, f.high));
            let _ = writeln!(
                page,
                "<tr><td>{}<br><span class=\"ci\">{}</span></td><td class=\"num\">{}</td>\
                 <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                escape(&param),
                escape(&range),
                cell(get(&param, a)),
                cell(get(&param, b)),
                cell(get(&param, IndexName::LowEnd)),
                cell(get(&param, IndexName::HighEnd))
            );
        }
        page.push_str("</table>\n");
    }
    Ok(())
}
