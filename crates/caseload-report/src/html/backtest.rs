//! The section of `caseload backtest`'s page.

use std::fmt::Write as _;
use std::path::Path;

use super::*;

/// The answer of a back-test: how often observed months fall inside the bands.
pub(super) fn section(page: &mut String, folder: &Path) -> Result<(), ReportError> {
    let rows = table(folder, "coverage.csv")?;
    page.push_str(
        "<h2>The question</h2>\n<p>Does the model reproduce what was observed? About 50 % \
             and 90 % of observed months fall inside the simulated 50 % and 90 % bands when \
             it does.</p>\n",
    );
    let parts: Vec<String> = rows
        .iter()
        .map(|r| {
            format!(
                "{}{}: {} % of {} months inside the 90 % band, bias {:+.1} %",
                escape(r.get("figure").map_or("", String::as_str)),
                match r.get("team").map(String::as_str) {
                    Some("all") | None => String::new(),
                    Some(t) => format!(" ({})", escape(t)),
                },
                grouped(100.0 * number(r, "inside_90"), 0),
                grouped(number(r, "points"), 0),
                100.0 * number(r, "relative_bias")
            )
        })
        .collect();
    let _ = writeln!(page, "<p class=\"answer\">{}.</p>", parts.join("; "));
    raw_table(page, "Coverage by figure", &folder.join("coverage.csv"))?;
    Ok(())
}
