//! The sections of `caseload compare`'s page: the options with their paired differences, or
//! the option `--select best` chose.

use std::fmt::Write as _;

use caseload_experiment::Manifest;

use super::*;

/// The answer and the options ranked, with paired differences from the baseline: on the
/// scenario's own headline measures and directions when its `[report]` gives them.
pub(super) fn comparison(page: &mut String, rows: &[Row], manifest: &Manifest) {
    let baseline = manifest.options.first().cloned().unwrap_or_default();
    let measures = headline(manifest);
    let question = manifest.report.as_ref().and_then(|r| r.question.clone());
    let _ = write!(
        page,
        "<h2>The question</h2>\n<p>{}</p>\n",
        match &question {
            Some(q) => format!(
                "{} Each of the {} options against {}.",
                escape(q),
                manifest.options.len(),
                escape(&baseline)
            ),
            None => format!(
                "Which of the {} options leaves the fewest cases waiting at the end, and what \
                 does each change against {}?",
                manifest.options.len(),
                escape(&baseline)
            ),
        }
    );
    let ranked_rows = |key: &str| {
        let mut options = rows_for(rows, key);
        match better(manifest, key) {
            caseload_experiment::Better::Smaller => {
                options.sort_by(|a, b| number(a, "mean").total_cmp(&number(b, "mean")));
            }
            caseload_experiment::Better::Larger => {
                options.sort_by(|a, b| number(b, "mean").total_cmp(&number(a, "mean")));
            }
            caseload_experiment::Better::Neither => {}
        }
        options
    };
    // The answer: the best option on the first headline measure that has a direction.
    let lead = measures.iter().find(|k| {
        better(manifest, k) != caseload_experiment::Better::Neither && !rows_for(rows, k).is_empty()
    });
    if let Some(key) = lead
        && let Some(best) = ranked_rows(key).first()
    {
        let name = best.get("option").map_or("", String::as_str);
        let diff = number(best, "diff_mean");
        let d = row_decimals(best);
        let label = best
            .get("label")
            .filter(|l| !l.is_empty())
            .cloned()
            .unwrap_or_else(|| key.clone());
        let _ = writeln!(
            page,
            "<p class=\"answer\">{} is best on {} ({}): {} (95 % CI {} to {}){}.</p>",
            escape(name),
            escape(&label.to_lowercase()),
            match better(manifest, key) {
                caseload_experiment::Better::Larger => "larger is better",
                _ => "smaller is better",
            },
            grouped(number(best, "mean"), d),
            grouped(number(best, "ci_lo"), d),
            grouped(number(best, "ci_hi"), d),
            if diff.is_finite() {
                format!(
                    ", {} against {} (paired 95 % CI {} to {})",
                    grouped(diff, d),
                    escape(&baseline),
                    grouped(number(best, "diff_ci_lo"), d),
                    grouped(number(best, "diff_ci_hi"), d)
                )
            } else {
                String::new()
            }
        );
    }
    for kpi in &measures {
        let options = ranked_rows(kpi);
        if options.is_empty() {
            continue;
        }
        let better = better(manifest, kpi);
        let unit = in_money_unit(options[0], manifest)
            .get("unit")
            .cloned()
            .unwrap_or_default();
        let d = decimals(&unit);
        let title = options[0]
            .get("label")
            .filter(|l| !l.is_empty())
            .map_or_else(
                || escape(kpi),
                |l| format!("{} <code>{}</code>", escape(l), escape(kpi)),
            );
        let _ = write!(
            page,
            "<h2>{} ({}), {}</h2>\n<table>\n<tr><th>option</th>\
             <th>mean [95 % CI]</th><th>against {} [paired 95 % CI]</th></tr>\n",
            title,
            escape(&unit),
            match better {
                caseload_experiment::Better::Smaller => "options ranked, smallest first",
                caseload_experiment::Better::Larger => "options ranked, largest first",
                caseload_experiment::Better::Neither => "options as given",
            },
            escape(&baseline)
        );
        for r in options {
            let r = &in_money_unit(r, manifest);
            let is_baseline = r.get("option").is_some_and(|o| *o == baseline);
            let diff = number(r, "diff_mean");
            let _ = writeln!(
                page,
                "<tr><td>{}</td>{}<td class=\"num\">{}</td></tr>",
                escape(r.get("option").map_or("", String::as_str)),
                estimate_cell(r),
                if diff.is_finite() {
                    format!(
                        "{} <span class=\"ci\">[{}, {}]</span>",
                        grouped(diff, d),
                        grouped(number(r, "diff_ci_lo"), d),
                        grouped(number(r, "diff_ci_hi"), d)
                    )
                } else if is_baseline {
                    "baseline".into()
                } else {
                    "not comparable (a quantile not reached in some replications)".into()
                }
            );
        }
        page.push_str("</table>\n");
    }
}

/// The option chosen by `compare --select best`, and what each option cost.
pub(super) fn selection(page: &mut String, rows: &[Row]) {
    let Some(first) = rows.first() else {
        return;
    };
    let field = |r: &Row, c: &str| r.get(c).cloned().unwrap_or_default();
    let _ = writeln!(
        page,
        "<h2>The question</h2>\n<p>Which of the {} options is best at {} ({} is better), \
         with probability at least {} when the best is at least {} better than every other?</p>",
        rows.len(),
        escape(&field(first, "kpi")),
        escape(&field(first, "better")),
        escape(&field(first, "pcs")),
        escape(&field(first, "delta"))
    );
    if let Some(chosen) = rows.iter().find(|r| field(r, "chosen") == "true") {
        let spent: f64 = rows.iter().map(|r| number(r, "replications")).sum();
        let _ = writeln!(
            page,
            "<p class=\"answer\">{} is chosen{}, after {} replications in all (a fixed design \
             with the same guarantee needs {}).</p>",
            escape(&field(chosen, "option")),
            if field(chosen, "guaranteed") == "true" {
                String::new()
            } else {
                " without the guarantee: the replication budget ran out first".to_string()
            },
            grouped(spent, 0),
            grouped(number(chosen, "fixed_design_replications"), 0)
        );
    }
    page.push_str(
        "<table>\n<tr><th>option</th><th>mean</th><th>replications</th><th>dropped after</th></tr>\n",
    );
    for r in rows {
        let _ = writeln!(
            page,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
            escape(&field(r, "option")),
            grouped(number(r, "mean"), 3),
            escape(&field(r, "replications")),
            if field(r, "chosen") == "true" {
                "chosen".to_string()
            } else {
                escape(&field(r, "dropped_after"))
            }
        );
    }
    page.push_str("</table>\n");
}
