//! The section of `caseload attribute`'s page.

use std::fmt::Write as _;
use std::path::Path;

use super::*;

/// The answer of an attribution: the package's effect and each action's share, with each
/// action's share of the package's cost beside it (in the scenario's money unit).
pub(super) fn section(
    page: &mut String,
    folder: &Path,
    manifest: &caseload_experiment::Manifest,
) -> Result<(), ReportError> {
    page.push_str(
        "<h2>The question</h2>\n<p>What did each staffing action of the package buy? \
             Each action's Shapley value is its share of the package's effect, averaged \
             over the orders in which the actions could have been added (they add up to \
             the package's effect); leave-one-out is what losing the action alone would \
             cost. Both are paired differences under common random numbers.</p>\n",
    );
    // Money in the scenario's unit throughout.
    let rows: Vec<Row> = table(folder, "attribution.csv")?
        .iter()
        .map(|r| in_money_unit(r, manifest))
        .collect();
    let mut kpis: Vec<String> = Vec::new();
    for r in &rows {
        if let Some(k) = r.get("kpi")
            && !kpis.contains(k)
        {
            kpis.push(k.clone());
        }
    }
    // Each action's share of the package's cost, to sit beside its effect.
    let cost_of = |action: &str, measure: &str| {
        rows.iter()
            .find(|r| {
                r.get("kpi").is_some_and(|k| k == "cost")
                    && r.get("item").is_some_and(|i| i == action)
                    && r.get("measure").is_some_and(|m| m == measure)
            })
            .cloned()
    };
    let costed = rows
        .iter()
        .any(|r| r.get("kpi").is_some_and(|k| k == "cost") && number(r, "mean").abs() > 0.0);
    for kpi in kpis {
        let mine: Vec<&Row> = rows.iter().filter(|r| r.get("kpi") == Some(&kpi)).collect();
        let with_cost = costed && kpi != "cost";
        let find = |item: &str, measure: &str| {
            mine.iter()
                .find(|r| {
                    r.get("item").is_some_and(|i| i == item)
                        && r.get("measure").is_some_and(|m| m == measure)
                })
                .copied()
        };
        let interval = |r: Option<&Row>| {
            r.map_or_else(String::new, |r| {
                let d = row_decimals(r);
                format!(
                    "{} {}",
                    grouped(number(r, "mean"), d),
                    ci_span(number(r, "ci_lo"), number(r, "ci_hi"), d)
                )
            })
        };
        if let (Some(without), Some(with), Some(effect)) = (
            find(crate::attribution::WITHOUT, "value"),
            find(crate::attribution::PACKAGE, "value"),
            find(crate::attribution::PACKAGE, "effect"),
        ) {
            let package_cost = cost_of(crate::attribution::PACKAGE, "effect")
                .filter(|_| with_cost)
                .map(|c| {
                    format!(
                        ", for {} {} more",
                        interval(Some(&c)),
                        escape(c.get("unit").map_or("", String::as_str))
                    )
                })
                .unwrap_or_default();
            let _ = writeln!(
                page,
                "<p class=\"answer\">{}: {} without the package, {} with it; the \
                     package's effect is {}{package_cost}.</p>",
                escape(&kpi),
                interval(Some(without)),
                interval(Some(with)),
                interval(Some(effect))
            );
        }
        let cost_header = match cost_of(crate::attribution::PACKAGE, "effect") {
            Some(c) if with_cost => format!(
                "<th>its share of the cost ({}), Shapley [95 % CI]</th>",
                escape(c.get("unit").map_or("", String::as_str))
            ),
            _ => String::new(),
        };
        let _ = write!(
            page,
            "<table>\n<tr><th>action</th><th>Shapley value [95 % CI]</th>\
                 <th>leave-one-out [95 % CI]</th>{cost_header}</tr>\n"
        );
        for r in mine
            .iter()
            .filter(|r| r.get("measure").is_some_and(|m| m == "shapley"))
        {
            let action = r.get("item").cloned().unwrap_or_default();
            let cost = if with_cost {
                format!(
                    "<td class=\"num\">{}</td>",
                    interval(cost_of(&action, "shapley").as_ref())
                )
            } else {
                String::new()
            };
            let _ = writeln!(
                page,
                "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>{cost}</tr>",
                escape(&action),
                interval(Some(r)),
                interval(find(&action, "leave_one_out"))
            );
        }
        page.push_str("</table>\n");
    }
    Ok(())
}
