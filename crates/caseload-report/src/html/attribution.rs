//! The section of `caseload attribute`'s page.

use std::fmt::Write as _;
use std::path::Path;

use super::*;

/// The answer of an attribution: the package's effect and each action's share.
pub(super) fn section(page: &mut String, folder: &Path) -> Result<(), ReportError> {
    page.push_str(
        "<h2>The question</h2>\n<p>What did each staffing action of the package buy? \
             Each action's Shapley value is its share of the package's effect, averaged \
             over the orders in which the actions could have been added (they add up to \
             the package's effect); leave-one-out is what losing the action alone would \
             cost. Both are paired differences under common random numbers.</p>\n",
    );
    let rows = table(folder, "attribution.csv")?;
    let mut kpis: Vec<String> = Vec::new();
    for r in &rows {
        if let Some(k) = r.get("kpi")
            && !kpis.contains(k)
        {
            kpis.push(k.clone());
        }
    }
    for kpi in kpis {
        let mine: Vec<&Row> = rows.iter().filter(|r| r.get("kpi") == Some(&kpi)).collect();
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
                    "{} <span class=\"ci\">[{}, {}]</span>",
                    grouped(number(r, "mean"), d),
                    grouped(number(r, "ci_lo"), d),
                    grouped(number(r, "ci_hi"), d)
                )
            })
        };
        if let (Some(without), Some(with), Some(effect)) = (
            find(crate::attribution::WITHOUT, "value"),
            find(crate::attribution::PACKAGE, "value"),
            find(crate::attribution::PACKAGE, "effect"),
        ) {
            let _ = writeln!(
                page,
                "<p class=\"answer\">{}: {} without the package, {} with it; the \
                     package's effect is {}.</p>",
                escape(&kpi),
                interval(Some(without)),
                interval(Some(with)),
                interval(Some(effect))
            );
        }
        let _ = write!(
            page,
            "<table>\n<tr><th>action</th><th>Shapley value [95 % CI]</th>\
                 <th>leave-one-out [95 % CI]</th></tr>\n"
        );
        for r in mine
            .iter()
            .filter(|r| r.get("measure").is_some_and(|m| m == "shapley"))
        {
            let action = r.get("item").cloned().unwrap_or_default();
            let _ = writeln!(
                page,
                "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                escape(&action),
                interval(Some(r)),
                interval(find(&action, "leave_one_out"))
            );
        }
        page.push_str("</table>\n");
    }
    Ok(())
}
