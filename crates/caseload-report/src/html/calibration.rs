//! The section of `caseload calibrate`'s page.

use std::fmt::Write as _;
use std::path::Path;

use super::*;

/// The answer of a calibration: each value's plausible range and best point, and each
/// observed figure against the model there.
pub(super) fn section(page: &mut String, folder: &Path) -> Result<(), ReportError> {
    let ranges = table(folder, "calibration.csv")?;
    let targets = table(folder, "targets.csv")?;
    let get = |r: &Row, c: &str| escape(r.get(c).map_or("", String::as_str));
    let _ = writeln!(
        page,
        "<h2>The question</h2>\n<p>Which values of {} reproduce the observed figures? History \
         matching: waves of points over the ranges, each run with the same replications; a \
         point is ruled out when a figure is more than three standard deviations (the \
         figure's own and the model mean's) from the model's mean there.</p>",
        ranges
            .iter()
            .map(|r| get(r, "parameter"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let sentence: Vec<String> = ranges
        .iter()
        .map(|r| {
            if r.get("low").is_some_and(|l| !l.is_empty()) {
                format!(
                    "{} from {} to {} (best {})",
                    get(r, "parameter"),
                    get(r, "low"),
                    get(r, "high"),
                    get(r, "best")
                )
            } else {
                format!("no value of {} is plausible", get(r, "parameter"))
            }
        })
        .collect();
    let _ = writeln!(
        page,
        "<p class=\"answer\">Plausible: {}.</p>",
        sentence.join("; ")
    );
    page.push_str(
        "<table>\n<tr><th>value</th><th>range tried</th><th>plausible</th><th>best</th></tr>\n",
    );
    for r in &ranges {
        let _ = writeln!(
            page,
            "<tr><td>{}</td><td>{} to {}</td><td>{} to {}</td><td>{}</td></tr>",
            get(r, "parameter"),
            get(r, "range_low"),
            get(r, "range_high"),
            get(r, "low"),
            get(r, "high"),
            get(r, "best")
        );
    }
    page.push_str("</table>\n");
    page.push_str(
        "<table>\n<tr><th>observed figure</th><th>observed (sd)</th><th>model at the best \
         point [95 % CI]</th><th>implausibility</th></tr>\n",
    );
    for r in &targets {
        let d = if number(r, "observed").abs() < 10.0 {
            3
        } else {
            1
        };
        let _ = writeln!(
            page,
            "<tr><td>{}</td><td class=\"num\">{} ({})</td><td class=\"num\">{} <span \
             class=\"ci\">[{}, {}]</span></td><td class=\"num\">{}</td></tr>",
            get(r, "target"),
            grouped(number(r, "observed"), d),
            grouped(number(r, "sd"), d),
            grouped(number(r, "best_mean"), d),
            grouped(number(r, "best_ci_lo"), d),
            grouped(number(r, "best_ci_hi"), d),
            grouped(number(r, "implausibility"), 2)
        );
    }
    page.push_str("</table>\n");
    Ok(())
}
