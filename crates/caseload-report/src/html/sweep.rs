//! The section of `caseload sweep`'s page.

use std::fmt::Write as _;
use std::path::Path;

use caseload_experiment::Manifest;

use super::*;

/// The answer of a sweep: the chart's KPI at each point, with the target met or not.
pub(super) fn section(
    page: &mut String,
    folder: &Path,
    manifest: &Manifest,
) -> Result<(), ReportError> {
    let rows = table(folder, "sweep.csv")?;
    let kpi = manifest
        .sweep
        .as_ref()
        .map_or_else(String::new, |s| s.chart_kpi.clone());
    let params: Vec<String> = manifest
        .sweep
        .as_ref()
        .map(|s| s.params.axes.iter().map(|a| a.path.clone()).collect())
        .unwrap_or_default();
    let _ = writeln!(
        page,
        "<h2>The question</h2>\n<p>How does {} respond to {}?</p>",
        escape(&kpi),
        escape(&params.join(" and "))
    );
    page.push_str("<table>\n<tr>");
    for p in &params {
        let _ = write!(page, "<th>{}</th>", escape(p));
    }
    let target: Option<caseload_experiment::Target> = manifest
        .sweep
        .as_ref()
        .and_then(|s| s.target.as_deref())
        .and_then(|t| t.parse().ok());
    let reference = manifest.sweep.as_ref().map_or(0, |s| s.reference);
    let _ = write!(
        page,
        "<th>mean [95 % CI]</th><th>5th-95th percentile</th><th>less at point {reference} \
         [95 % CI, paired]</th>"
    );
    // Each point's cost beside its effect, unless the KPI is the cost.
    let cost_at = |point: &str| {
        rows.iter()
            .find(|c| {
                c.get("kpi").is_some_and(|k| k == "cost")
                    && c.get("point").is_some_and(|p| p == point)
            })
            .map(|c| in_money_unit(c, manifest))
    };
    // A scenario without day rates costs nothing anywhere: no column of zeros.
    let costed = kpi != "cost"
        && rows
            .iter()
            .any(|c| c.get("kpi").is_some_and(|k| k == "cost") && number(c, "mean").abs() > 0.0);
    if costed {
        let unit = cost_at("0")
            .and_then(|c| c.get("unit").cloned())
            .unwrap_or_default();
        let _ = write!(
            page,
            "<th>cost ({}): at point {reference}, then less at it [paired]</th>",
            escape(&unit)
        );
    }
    if let Some(t) = &target {
        let _ = write!(page, "<th>mean meets {}</th>", escape(&t.to_string()));
    }
    page.push_str("</tr>\n");
    for r in rows.iter().filter(|r| r.get("kpi") == Some(&kpi)) {
        page.push_str("<tr>");
        for p in &params {
            let _ = write!(
                page,
                "<td class=\"num\">{}</td>",
                escape(r.get(p).map_or("", String::as_str))
            );
        }
        let d = decimals(r.get("unit").map_or("", String::as_str));
        let difference = if r.get("point").and_then(|p| p.parse::<usize>().ok()) == Some(reference)
        {
            "the reference".to_string()
        } else if number(r, "diff_mean").is_nan() {
            "not comparable".to_string()
        } else {
            format!(
                "{}<br>{}",
                grouped(number(r, "diff_mean"), d),
                ci_span(number(r, "diff_ci_lo"), number(r, "diff_ci_hi"), d)
            )
        };
        let _ = write!(
            page,
            "{}<td class=\"num\">{} to {}</td><td class=\"num\">{difference}</td>",
            estimate_cell(r),
            grouped(number(r, "p05"), d),
            grouped(number(r, "p95"), d)
        );
        if costed && let Some(c) = cost_at(r.get("point").map_or("", String::as_str)) {
            let d = decimals(c.get("unit").map_or("", String::as_str));
            let extra = if c.get("point").and_then(|p| p.parse::<usize>().ok()) == Some(reference) {
                grouped(number(&c, "mean"), d)
            } else {
                format!(
                    "{}<br>{}",
                    grouped(number(&c, "diff_mean"), d),
                    ci_span(number(&c, "diff_ci_lo"), number(&c, "diff_ci_hi"), d)
                )
            };
            let _ = write!(
                page,
                "<td class=\"num\" data-cost-point=\"{}\">{extra}</td>",
                escape(c.get("point").map_or("", String::as_str))
            );
        }
        if let Some(t) = &target {
            let meets = t.relation.holds(number(r, "mean"), t.value);
            let _ = write!(page, "<td>{}</td>", if meets { "yes" } else { "no" });
        }
        page.push_str("</tr>\n");
    }
    page.push_str("</table>\n");
    Ok(())
}
