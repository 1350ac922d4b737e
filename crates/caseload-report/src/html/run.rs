//! The section of `caseload run`'s page: the answer in a sentence and the headline KPIs.

use std::fmt::Write as _;

use caseload_experiment::Manifest;

use super::*;

/// The answer and headline KPIs of one run: the scenario's own question and measures when
/// its `[report]` gives them.
pub(super) fn single(page: &mut String, rows: &[Row], label: &str, manifest: &Manifest) {
    let all: Vec<&Row> = rows
        .iter()
        .filter(|r| r.get("team").is_some_and(|t| t == "all"))
        .collect();
    let find = |kpi: &str| all.iter().find(|r| r.get("kpi").is_some_and(|k| k == kpi));
    let measures = headline(manifest);
    if let Some(asked) = manifest.report.as_ref().filter(|a| !a.headline.is_empty()) {
        let _ = write!(
            page,
            "<h2>The question</h2>\n<p>{}</p>\n",
            escape(
                asked
                    .question
                    .as_deref()
                    .unwrap_or("What do the headline measures show?")
            )
        );
        let said: Vec<String> = asked
            .headline
            .iter()
            .filter_map(|key| rows_for(rows, key).first().copied())
            .map(|r| in_money_unit(r, manifest))
            .map(|r| {
                let r = &r;
                let d = row_decimals(r);
                let name = measure_label(r);
                let (lo, hi) = (number(r, "ci_lo"), number(r, "ci_hi"));
                let interval = if lo.is_finite() && hi.is_finite() && lo != hi {
                    format!(" (95 % CI {} to {})", grouped(lo, d), grouped(hi, d))
                } else {
                    String::new()
                };
                let unit = r.get("unit").filter(|u| u.starts_with("GBP"));
                format!(
                    "<li>{}: <b>{}</b>{}{interval}</li>",
                    escape(&name),
                    grouped(number(r, "mean"), d),
                    unit.map_or_else(String::new, |u| format!(" {}", escape(u)))
                )
            })
            .collect();
        let _ = writeln!(
            page,
            "<div class=\"answer\"><ul>\n{}\n</ul></div>",
            said.join("\n")
        );
    } else {
        let _ = write!(
            page,
            "<h2>The question</h2>\n<p>How many cases are left waiting for an officer, and how \
             long do referrals wait, under {}?</p>\n",
            escape(label)
        );
    }
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
    let custom = manifest
        .report
        .as_ref()
        .is_some_and(|a| !a.headline.is_empty());
    if !answer.is_empty() && !custom {
        let _ = writeln!(page, "<p class=\"answer\">{}</p>", answer.trim());
    }
    // Where the cases are: the first headline measure that counts cases, team by team.
    if let Some(key) = measures.iter().find(|k| {
        rows_for(rows, k)
            .first()
            .is_some_and(|r| r.get("unit").is_some_and(|u| u == "cases"))
    }) {
        where_it_is(page, rows, key);
    }
    page.push_str(
        "<h2>Headline measures</h2>\n<table>\n<tr><th>measure</th><th>unit</th>\
                   <th>mean [95 % CI]</th><th>what it counts</th></tr>\n",
    );
    for key in &measures {
        if let Some(r) = rows_for(rows, key).first() {
            kpi_row(page, &in_money_unit(r, manifest));
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

/// The first headline measure team by team, largest first: where the waiting cases are (or
/// whatever it counts), when there is more than one team.
fn where_it_is(page: &mut String, rows: &[Row], key: &str) {
    let kpi = key.split('@').next().unwrap_or(key);
    let mut teams: Vec<&Row> = rows
        .iter()
        .filter(|r| {
            r.get("kpi").is_some_and(|k| k == kpi) && r.get("team").is_some_and(|t| t != "all")
        })
        .collect();
    if teams.len() < 2 {
        return;
    }
    teams.sort_by(|a, b| number(b, "mean").total_cmp(&number(a, "mean")));
    let total: f64 = teams
        .iter()
        .map(|r| number(r, "mean"))
        .filter(|x| x.is_finite())
        .sum();
    let name = teams[0]
        .get("label")
        .filter(|l| !l.is_empty())
        .cloned()
        .unwrap_or_else(|| kpi.to_string());
    let _ = writeln!(
        page,
        "<h2>Team by team</h2>\n<p>{} by team, largest first (the five largest of {}):</p>\n\
         <table>\n<tr><th>team</th><th>mean [95 % CI]</th><th>share of the teams' sum</th></tr>",
        escape(&name),
        teams.len()
    );
    for r in teams.iter().take(5) {
        let share = number(r, "mean") / total;
        let _ = writeln!(
            page,
            "<tr><td>{}</td>{}<td class=\"num\">{}</td></tr>",
            escape(r.get("team").map_or("", String::as_str)),
            estimate_cell(r),
            if share.is_finite() && total > 0.0 {
                format!("{} %", grouped(100.0 * share, 0))
            } else {
                String::new()
            }
        );
    }
    page.push_str("</table>\n");
}

fn kpi_row(page: &mut String, r: &Row) {
    let _ = writeln!(
        page,
        "<tr><td>{}</td><td>{}</td>{}<td>{}</td></tr>",
        measure_name(r),
        escape(r.get("unit").map_or("", String::as_str)),
        estimate_cell(r),
        escape(r.get("description").map_or("", String::as_str)),
    );
}
