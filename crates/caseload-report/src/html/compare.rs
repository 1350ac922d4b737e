//! The sections of `caseload compare`'s page: the options with their paired differences, or
//! the option `--select best` chose.

use std::fmt::Write as _;

use caseload_experiment::Manifest;

use super::*;

/// The answer and the options ranked, with paired differences from the baseline: on the
/// scenario's own headline measures and directions when its `[report]` gives them, each
/// option's cost beside its effect, and what each buys per GBP 1 m and per officer-month
/// (`cost_effects`, the rows of `cost_effectiveness.csv`; none in a folder written before it).
pub(super) fn comparison(
    page: &mut String,
    rows: &[Row],
    cost_effects: &[Row],
    manifest: &Manifest,
) {
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
    // Each option's cost against the baseline, in the scenario's money unit.
    let costs: Vec<Row> = rows_for(rows, "cost")
        .into_iter()
        .map(|r| in_money_unit(r, manifest))
        .collect();
    let cost_of = |option: &str| {
        costs
            .iter()
            .find(|r| r.get("option").is_some_and(|o| o == option))
    };
    let cost_against = |option: &str| -> Option<String> {
        let r = cost_of(option)?;
        let diff = number(r, "diff_mean");
        if !diff.is_finite() {
            return None;
        }
        let d = decimals(r.get("unit").map_or("", String::as_str));
        Some(format!(
            "{} {}",
            grouped(diff, d),
            ci_span(number(r, "diff_ci_lo"), number(r, "diff_ci_hi"), d)
        ))
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
        let label = measure_label(best);
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
                    ", {} against {} (paired 95 % CI {} to {}){}",
                    grouped(diff, d),
                    escape(&baseline),
                    grouped(number(best, "diff_ci_lo"), d),
                    grouped(number(best, "diff_ci_hi"), d),
                    match (cost_against(name), cost_of(name)) {
                        (Some(extra), Some(cost)) if key != "cost" => format!(
                            ", at a cost of {} {} against {}",
                            extra,
                            escape(cost.get("unit").map_or("", String::as_str)),
                            escape(&baseline)
                        ),
                        _ => String::new(),
                    }
                )
            } else {
                String::new()
            }
        );
    }
    buys(page, rows, cost_effects, manifest, &baseline);
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
        let title = match options[0].get("label").filter(|l| !l.is_empty()) {
            Some(_) => format!(
                "{} <code>{}</code>",
                escape(&measure_label(options[0])),
                escape(kpi)
            ),
            None => escape(kpi),
        };
        // Cost beside the effect, unless the measure is the cost.
        let with_cost = kpi != "cost" && !costs.is_empty();
        let _ = write!(
            page,
            "<h2>{} ({}), {}</h2>\n<table>\n<tr><th>option</th>\
             <th>mean [95 % CI]</th><th>against {} [paired 95 % CI]</th>{}</tr>\n",
            title,
            escape(&unit),
            match better {
                caseload_experiment::Better::Smaller => "options ranked, smallest first",
                caseload_experiment::Better::Larger => "options ranked, largest first",
                caseload_experiment::Better::Neither => "options as given",
            },
            escape(&baseline),
            if with_cost {
                format!(
                    "<th>cost against {} ({}) [paired 95 % CI]</th>",
                    escape(&baseline),
                    escape(costs[0].get("unit").map_or("", String::as_str))
                )
            } else {
                String::new()
            }
        );
        for r in options {
            let r = &in_money_unit(r, manifest);
            let is_baseline = r.get("option").is_some_and(|o| *o == baseline);
            let diff = number(r, "diff_mean");
            let name = r.get("option").map_or("", String::as_str);
            let cost_cell = if !with_cost {
                String::new()
            } else if let Some(extra) = cost_against(name) {
                format!(
                    "<td class=\"num\" data-cost-option=\"{}\">{}</td>",
                    escape(name),
                    extra.replacen(' ', "<br>", 1)
                )
            } else if is_baseline {
                "<td>baseline</td>".to_string()
            } else {
                "<td>-</td>".to_string()
            };
            let _ = writeln!(
                page,
                "<tr><td>{}</td>{}<td class=\"num\">{}</td>{cost_cell}</tr>",
                escape(name),
                estimate_cell(r),
                if diff.is_finite() {
                    format!(
                        "{} {}",
                        grouped(diff, d),
                        ci_span(number(r, "diff_ci_lo"), number(r, "diff_ci_hi"), d)
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

/// What each option buys against the baseline: per effect priced, what it saves, what it
/// adds in cost and officer-months, and the ratios with their Fieller intervals (or how to
/// read them, or why none).
fn buys(
    page: &mut String,
    rows: &[Row],
    cost_effects: &[Row],
    manifest: &Manifest,
    baseline: &str,
) {
    if cost_effects.is_empty() {
        return;
    }
    let money = manifest
        .report
        .as_ref()
        .map(|r| r.money)
        .unwrap_or_default();
    let _ = write!(
        page,
        "<h2>What each option buys</h2>\n<p>Against {}, paired by replication: what each \
         option saves (fewer waiting is positive), what it adds in staffing cost ({}) and in \
         officer-months after the warm-up, and what it saves per GBP 1 m and per officer-month \
         with Fieller's 95 % interval. A cheaper option's ratio is what it gives up per GBP 1 m \
         (or officer-month) it saves; where the extra cannot be told from none, no ratio is \
         quoted.</p>\n",
        escape(baseline),
        escape(money.name())
    );
    let money_decimals = money_decimals(money);
    let mut effects: Vec<&str> = Vec::new();
    for r in cost_effects {
        let e = r.get("effect").map_or("", String::as_str);
        if !effects.contains(&e) {
            effects.push(e);
        }
    }
    let cell = |r: &Row, column: &str, scale: f64, d: usize| {
        format!(
            "<td class=\"num\">{}<br>{}</td>",
            grouped(number(r, &format!("{column}_mean")) / scale, d),
            ci_span(
                number(r, &format!("{column}_ci_lo")) / scale,
                number(r, &format!("{column}_ci_hi")) / scale,
                d
            )
        )
    };
    let ratio = |r: &Row, column: &str| {
        let (x, lo, hi) = (
            number(r, column),
            number(r, &format!("{column}_ci_lo")),
            number(r, &format!("{column}_ci_hi")),
        );
        let note = r.get(&format!("{column}_note")).map_or("", String::as_str);
        let d = if x.abs() >= 100.0 { 0 } else { 2 };
        if lo.is_finite() {
            format!(
                "<td class=\"num\">{}<br>{}{}</td>",
                grouped(x, d),
                ci_span(lo, hi, d),
                if note.is_empty() {
                    String::new()
                } else {
                    format!("<br><span class=\"note\">{}</span>", escape(note))
                }
            )
        } else {
            format!("<td>{}</td>", escape(note))
        }
    };
    for effect in effects {
        let unit = cost_effects
            .iter()
            .find(|r| r.get("effect").is_some_and(|e| e == effect))
            .and_then(|r| r.get("unit"))
            .map_or("", String::as_str);
        let label = rows_for(rows, effect)
            .first()
            .and_then(|r| r.get("label"))
            .cloned()
            .unwrap_or_default();
        let _ = write!(
            page,
            "<h3>{} <code>{}</code>, in {}</h3>\n<table>\n<tr><th>option</th><th>saved</th>\
             <th>extra cost ({})</th><th>extra officer-months</th><th>saved per GBP 1 m</th>\
             <th>saved per officer-month</th></tr>\n",
            escape(&label),
            escape(effect),
            escape(unit),
            escape(money.name())
        );
        for r in cost_effects
            .iter()
            .filter(|r| r.get("effect").is_some_and(|e| e == effect))
        {
            let _ = writeln!(
                page,
                "<tr><td>{}</td>{}{}{}{}{}</tr>",
                escape(r.get("option").map_or("", String::as_str)),
                cell(r, "saved", 1.0, 0),
                cell(r, "extra_cost", money.pounds(), money_decimals),
                cell(r, "extra_officer_months", 1.0, 0),
                ratio(r, "saved_per_million"),
                ratio(r, "saved_per_officer_month")
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
