//! The section of `caseload frontier`'s page.

use std::fmt::Write as _;
use std::path::Path;

use super::*;

/// The answer of a frontier: the least temporary staffing meeting the target.
pub(super) fn section(
    page: &mut String,
    folder: &Path,
    manifest: &caseload_experiment::Manifest,
) -> Result<(), ReportError> {
    let money = manifest
        .report
        .as_ref()
        .map(|r| r.money)
        .unwrap_or_default();
    let rows = table(folder, "frontier.csv")?;
    if let Some(first) = rows.first() {
        let field = |r: &Row, c: &str| r.get(c).cloned().unwrap_or_default();
        let mut actions: Vec<String> = Vec::new();
        for r in &rows {
            let a = field(r, "action");
            if !actions.contains(&a) {
                actions.push(a);
            }
        }
        let minimised = field(first, "minimised");
        let _ = writeln!(
            page,
            "<h2>The question</h2>\n<p>How few officers of {}, for how long, meet {} in \
                 at least the share of replications asked, at the least {}?</p>",
            escape(&actions.join(" or ")),
            escape(&field(first, "target")),
            escape(&minimised)
        );
        match rows.iter().find(|r| field(r, "least") == "true") {
            Some(best) => {
                let cost: f64 = field(best, "cost").parse().unwrap_or(f64::NAN);
                let _ = writeln!(
                    page,
                    "<p class=\"answer\">{} officers of {} for {} months (from {} to \
                         {}): {} officer-months, costing {} {}, the least {} on the \
                         frontier.</p>",
                    escape(&field(best, "least_officers")),
                    escape(&field(best, "action")),
                    escape(&field(best, "months")),
                    escape(&field(best, "start")),
                    escape(&field(best, "end")),
                    escape(&field(best, "officer_months")),
                    grouped(cost / money.pounds(), money_decimals(money)),
                    escape(money.name()),
                    escape(&minimised)
                );
            }
            None => page.push_str(
                "<p class=\"answer\">No duration tried meets the target with the most \
                     officers allowed.</p>\n",
            ),
        }
    }
    raw_table(page, "The frontier", &folder.join("frontier.csv"))?;
    Ok(())
}
