//! The section of `caseload run`'s page: the answer in a sentence and the headline KPIs.

use std::fmt::Write as _;

use super::*;

/// The answer and headline KPIs of one run.
pub(super) fn single(page: &mut String, rows: &[Row], label: &str) {
    let all: Vec<&Row> = rows
        .iter()
        .filter(|r| r.get("team").is_some_and(|t| t == "all"))
        .collect();
    let find = |kpi: &str| all.iter().find(|r| r.get("kpi").is_some_and(|k| k == kpi));
    let _ = write!(
        page,
        "<h2>The question</h2>\n<p>How many cases are left waiting for an officer, and how \
         long do referrals wait, under {}?</p>\n",
        escape(label)
    );
    let mut answer = String::new();
    if let Some(r) = find("backlog_end") {
        let _ = write!(
            answer,
            "At the end, {} cases are waiting for allocation (95 % CI {} to {}).",
            grouped(number(r, "mean"), 0),
            grouped(number(r, "ci_lo"), 0),
            grouped(number(r, "ci_hi"), 0)
        );
    }
    if let (Some(median), Some(p90)) = (
        find("days_to_allocate_median"),
        find("days_to_allocate_p90"),
    ) {
        let (median, p90) = (number(median, "mean"), number(p90, "mean"));
        let _ = write!(
            answer,
            " {}",
            match (median.is_finite(), p90.is_finite()) {
                (true, true) => format!(
                    "Half of the referrals are allocated to an officer {} and nine in ten \
                     within {} days (means over replications).",
                    if median < 0.05 {
                        "on the day they arrive".to_string()
                    } else {
                        format!("within {} days", grouped(median, 1))
                    },
                    grouped(p90, 1)
                ),
                (true, false) => format!(
                    "Half of the referrals are allocated within {} days, but more than one in \
                     ten are still waiting at the end.",
                    grouped(median, 1)
                ),
                _ => "More than half of the referrals are still waiting at the end: the \
                      median wait is not reached."
                    .to_string(),
            }
        );
    }
    if !answer.is_empty() {
        let _ = writeln!(page, "<p class=\"answer\">{}</p>", answer.trim());
    }
    page.push_str(
        "<h2>Headline measures</h2>\n<table>\n<tr><th>measure</th><th>unit</th>\
                   <th>mean [95 % CI]</th><th>what it counts</th></tr>\n",
    );
    for kpi in HEADLINE {
        if let Some(r) = find(kpi) {
            kpi_row(page, r);
        }
    }
    page.push_str(
        "</table>\n<details>\n<summary>Every measure, by team</summary>\n<table>\n\
                   <tr><th>measure</th><th>team</th><th>unit</th><th>mean [95 % CI]</th>\
                   <th>what it counts</th></tr>\n",
    );
    for r in rows {
        let _ = writeln!(
            page,
            "<tr><td>{}</td><td>{}</td><td>{}</td>{}<td>{}</td></tr>",
            escape(r.get("kpi").map_or("", String::as_str)),
            escape(r.get("team").map_or("", String::as_str)),
            escape(r.get("unit").map_or("", String::as_str)),
            estimate_cell(r),
            escape(r.get("description").map_or("", String::as_str)),
        );
    }
    page.push_str("</table>\n</details>\n");
}

fn kpi_row(page: &mut String, r: &Row) {
    let _ = writeln!(
        page,
        "<tr><td>{}</td><td>{}</td>{}<td>{}</td></tr>",
        escape(r.get("kpi").map_or("", String::as_str)),
        escape(r.get("unit").map_or("", String::as_str)),
        estimate_cell(r),
        escape(r.get("description").map_or("", String::as_str)),
    );
}
