//! `report.html`: one self-contained page a board can read, built from a results folder alone
//! (its manifest, tables and SVG charts): the question and the answer in a sentence, the
//! headline KPIs with their intervals, every chart inline, the scenario as written (its
//! values, units and source notes) and the manifest. No script, no network, inline CSS;
//! every text from a scenario, a file or the command line is escaped. This file builds the
//! page around the answer; each command's answer is a section of its own (run.rs,
//! compare.rs, sweep.rs, optimise.rs, attribution.rs, frontier.rs, backtest.rs, fit.rs).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use caseload_experiment::results::atomic::{open_results_file, read_results_file};
use caseload_experiment::{Command, Manifest, sha256_hex};

use crate::format::grouped;

mod attribution;
mod backtest;
mod calibration;
mod compare;
mod fit;
mod frontier;
mod optimise;
mod run;
mod sensitivity;
mod sweep;

/// KPIs shown first, in this order, when the folder has them.
const HEADLINE: [&str; 8] = [
    "backlog_end",
    "backlog_peak",
    "days_to_allocate_median",
    "days_to_allocate_p90",
    "share_allocated_within_target",
    "days_to_outcome_median",
    "mean_caseload",
    "cost",
];

/// The measures a folder's report leads with: the scenario's `[report] headline`, else
/// [`HEADLINE`].
fn headline(manifest: &Manifest) -> Vec<String> {
    match &manifest.report {
        Some(asked) if !asked.headline.is_empty() => asked.headline.clone(),
        _ => HEADLINE.iter().map(|k| (*k).to_string()).collect(),
    }
}

/// Which way `key` (`kpi` or `kpi@team`) is better: as the scenario states, else by the
/// KPI's own meaning.
fn better(manifest: &Manifest, key: &str) -> caseload_experiment::Better {
    match &manifest.report {
        Some(asked) => asked.better(key),
        None => caseload_experiment::Better::of(key.split('@').next().unwrap_or(key)),
    }
}

/// `row` with a money measure (unit `pounds`) in the scenario's money unit (`[report] money`):
/// its mean, interval and spread divided, its unit renamed; other rows as they are.
fn in_money_unit(row: &Row, manifest: &Manifest) -> Row {
    let unit = manifest
        .report
        .as_ref()
        .map(|r| r.money)
        .unwrap_or_default();
    if row.get("unit").is_none_or(|u| u != "pounds") || unit.pounds() == 1.0 {
        return row.clone();
    }
    let mut scaled = row.clone();
    // The page still marks each number with the table's own text of it.
    if let Some(mean) = row.get("mean") {
        scaled.insert("table_mean".to_string(), mean.clone());
    }
    for column in [
        "mean",
        "ci_lo",
        "ci_hi",
        "p05",
        "p50",
        "p95",
        "diff_mean",
        "diff_ci_lo",
        "diff_ci_hi",
    ] {
        let x = number(row, column);
        if x.is_finite() {
            scaled.insert(column.to_string(), format!("{:.4}", x / unit.pounds()));
        }
    }
    scaled.insert("unit".to_string(), unit.name().to_string());
    scaled
}

/// The rows of the measure `key`: `kpi` (all teams) or `kpi@team`.
fn rows_for<'a>(rows: &'a [Row], key: &str) -> Vec<&'a Row> {
    let (kpi, team) = key.split_once('@').unwrap_or((key, "all"));
    rows.iter()
        .filter(|r| {
            r.get("kpi").is_some_and(|k| k == kpi) && r.get("team").is_some_and(|t| t == team)
        })
        .collect()
}

/// A results folder that cannot be reported.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The folder has no readable manifest.
    #[error("{folder}: not a results folder ({message})")]
    NotResults {
        /// The folder.
        folder: String,
        /// Why.
        message: String,
    },
    /// The folder already has a report and replacing it was not asked for.
    #[error("{file} exists: give --force to replace it")]
    Exists {
        /// The report.
        file: String,
    },
    /// A table in the folder cannot be read.
    #[error("{file}: {message}")]
    Table {
        /// The file.
        file: String,
        /// Why.
        message: String,
    },
}

/// Text made safe for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The decimals a KPI in `unit` is shown with.
fn decimals(unit: &str) -> usize {
    match unit {
        "share" => 3,
        "pounds" => 0,
        "GBP k" => 1,
        "GBP m" => 2,
        _ => 1,
    }
}

/// The decimals of an amount of money in `unit`: whole pounds, else the unit's own.
fn money_decimals(unit: caseload_experiment::MoneyUnit) -> usize {
    if unit.pounds() == 1.0 {
        0
    } else {
        decimals(unit.name())
    }
}

/// The decimals for `row`'s estimate: its unit's, more for small values (a wait of 0.07
/// days is not 0.1).
fn row_decimals(row: &Row) -> usize {
    let unit = row.get("unit").map_or("", String::as_str);
    let size = number(row, "mean").abs();
    match unit {
        "share" | "pounds" | "GBP k" | "GBP m" => decimals(unit),
        _ if size < 1.0 => 3,
        _ if size < 10.0 => 2,
        _ => decimals(unit),
    }
}

/// One row of a summary table, by column name.
type Row = BTreeMap<String, String>;

fn read_rows(path: &Path) -> Result<Vec<Row>, ReportError> {
    let fail = |message: String| ReportError::Table {
        file: path.display().to_string(),
        message,
    };
    let mut reader = csv::Reader::from_reader(open_results_file(path).map_err(fail)?);
    let header = reader.headers().map_err(|e| fail(e.to_string()))?.clone();
    reader
        .records()
        .map(|r| {
            let r = r.map_err(|e| fail(e.to_string()))?;
            Ok(header
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect())
        })
        .collect()
}

fn number(row: &Row, column: &str) -> f64 {
    row.get(column)
        .and_then(|v| match v.as_str() {
            "inf" => Some(f64::INFINITY),
            v => v.parse().ok(),
        })
        .unwrap_or(f64::NAN)
}

/// `[lo, hi]` in the page's grey, or nothing where the ends are unknown or equal.
fn ci_span(lo: f64, hi: f64, d: usize) -> String {
    if lo.is_finite() && hi.is_finite() && lo != hi {
        format!(
            "<span class=\"ci\">[{}, {}]</span>",
            grouped(lo, d),
            grouped(hi, d)
        )
    } else {
        String::new()
    }
}

/// A measure as a reader meets it: its label in words, its machine name beneath (what
/// `--kpi` and the tables call it); the name alone in a folder written before labels.
fn measure_name(row: &Row) -> String {
    let name = escape(&measure_key(row));
    match row.get("label").filter(|l| !l.is_empty()) {
        Some(_) => format!(
            "{}<br><span class=\"ci\">{name}</span>",
            escape(&measure_label(row))
        ),
        None => name,
    }
}

/// A measure's name as `--kpi` takes it: `kpi`, or `kpi@team` for one team.
fn measure_key(row: &Row) -> String {
    let kpi = row.get("kpi").map_or("", String::as_str);
    match row.get("team").filter(|t| *t != "all") {
        Some(team) => format!("{kpi}@{team}"),
        None => kpi.to_string(),
    }
}

/// A measure's label in words, saying the team when it is one team's (`Unallocated cases at
/// the end, team historic`), so two headline measures never read alike.
fn measure_label(row: &Row) -> String {
    let label = row
        .get("label")
        .filter(|l| !l.is_empty())
        .cloned()
        .unwrap_or_else(|| row.get("kpi").cloned().unwrap_or_default());
    match row.get("team").filter(|t| *t != "all") {
        Some(team) => format!("{label}, team {team}"),
        None => label,
    }
}

/// A KPI's mean with its interval, e.g. `1,132.4 [1,102.0, 1,163.0]`, marked with the KPI's
/// name and the summary's own text of the mean (for readers and checks).
fn estimate_cell(row: &Row) -> String {
    let d = row_decimals(row);
    let (lo, hi) = (number(row, "ci_lo"), number(row, "ci_hi"));
    // No interval where the replications gave no spread: `0 [0, 0]` says nothing more.
    let interval = if (lo.is_finite() || hi.is_finite()) && lo != hi {
        format!(
            " <span class=\"ci\">[{}, {}]</span>",
            grouped(lo, d),
            grouped(hi, d)
        )
    } else {
        String::new()
    };
    format!(
        "<td class=\"num\" data-kpi=\"{}\" data-team=\"{}\" data-value=\"{}\">{}{interval}</td>",
        escape(row.get("kpi").map_or("", String::as_str)),
        escape(row.get("team").map_or("", String::as_str)),
        escape(
            row.get("table_mean")
                .or(row.get("mean"))
                .map_or("", String::as_str)
        ),
        grouped(number(row, "mean"), d),
    )
}

/// The page's style: readable on screen, A4 in print, charts never split across pages.
const STYLE: &str = "
body { font-family: 'DejaVu Sans', Arial, sans-serif; color: #1a1a1a; max-width: 60em;
  margin: 2em auto; padding: 0 1em; line-height: 1.45; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.2em; border-bottom: 1px solid #ccc; margin-top: 2em; }
p.description { color: #333; font-style: italic; }
p.answer, div.answer { font-size: 1.15em; background: #f3f6fa; border-left: 4px solid #0072b2;
  padding: 0.6em 0.9em; }
table { border-collapse: collapse; width: 100%; font-size: 0.9em; }
th, td { border-bottom: 1px solid #e0e0e0; padding: 0.25em 0.5em; text-align: left;
  vertical-align: top; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
span.ci { color: #555; }
span.note { color: #555; font-size: 0.9em; white-space: normal; }
figure { margin: 1.5em 0; break-inside: avoid; page-break-inside: avoid; }
figure svg { width: 100%; height: auto; }
figcaption { font-size: 0.9em; color: #444; }
pre { background: #f7f7f7; padding: 0.8em; font-size: 0.75em; white-space: pre-wrap;
  word-break: break-word; }
.meta td:first-child { white-space: nowrap; color: #444; }
@page { size: A4; margin: 14mm; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; }
  details { display: block; } }
";

/// Builds `report.html` for the results in `folder` (the one `manifest.json` describes).
pub fn build_report(folder: &Path) -> Result<String, ReportError> {
    let manifest = Manifest::read(folder).map_err(|e| ReportError::NotResults {
        folder: folder.display().to_string(),
        message: e.to_string(),
    })?;
    let label = match &manifest.variant {
        Some(v) => format!("{} ({v})", manifest.scenario),
        None => manifest.scenario.clone(),
    };
    let mut page = String::new();
    let _ = write!(
        page,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'unsafe-inline'; img-src data:\">\n\
         <title>{} - caseload {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
         <h1>{}</h1>\n<p>caseload {}: {} replications, seed {}.</p>\n",
        escape(&label),
        escape(manifest.command.name()),
        escape(&label),
        escape(manifest.command.name()),
        grouped(f64::from(manifest.replications), 0),
        manifest.seed
    );
    let scenario_text = scenario_text(folder, &manifest);
    if let Ok(text) = &scenario_text {
        for description in descriptions(text, manifest.variant.as_deref()) {
            let _ = writeln!(
                page,
                "<p class=\"description\">{}</p>",
                escape(&description)
            );
        }
    }
    let summary_path = folder.join("summary.csv");
    let compare_path = folder.join("compare.csv");
    let select_path = folder.join("select.csv");
    // A run's and a comparison's answer is their table: a folder without it is refused, not
    // reported without its headline.
    match manifest.command {
        Command::Compare if select_path.exists() => {
            compare::selection(&mut page, &read_rows(&select_path)?);
        }
        Command::Compare => {
            compare::comparison(
                &mut page,
                &read_rows(&compare_path)?,
                &table(folder, "cost_effectiveness.csv")?,
                &manifest,
            );
        }
        Command::Run => run::single(&mut page, &read_rows(&summary_path)?, &label, &manifest),
        _ => answer_of(&mut page, folder, &manifest)?,
    }
    charts(&mut page, folder, &manifest);
    assumptions(&mut page, &scenario_text, &manifest);
    manifest_section(&mut page, &manifest);
    page.push_str("</body>\n</html>\n");
    Ok(page)
}

/// The answer of a command whose folder has no summary or comparison: its own section.
fn answer_of(page: &mut String, folder: &Path, manifest: &Manifest) -> Result<(), ReportError> {
    match manifest.command {
        Command::Sweep => sweep::section(page, folder, manifest),
        Command::Optimise => optimise::section(page, folder, manifest),
        Command::Attribute => attribution::section(page, folder, manifest),
        Command::Frontier => frontier::section(page, folder, manifest),
        Command::Backtest => backtest::section(page, folder),
        Command::Sensitivity => sensitivity::section(page, folder, manifest),
        Command::Calibrate => calibration::section(page, folder),
        _ => fit::section(page, folder),
    }
}

/// The rows of the folder's table `name`, none if it has no such file.
pub(super) fn table(folder: &Path, name: &str) -> Result<Vec<Row>, ReportError> {
    let path = folder.join(name);
    if path.exists() {
        read_rows(&path)
    } else {
        Ok(Vec::new())
    }
}

/// A table as it is in its CSV file, columns in the file's order, under `title` (nothing
/// when the file is missing or empty; at most 500 rows).
fn raw_table(page: &mut String, title: &str, path: &Path) -> Result<(), ReportError> {
    if !path.exists() {
        return Ok(());
    }
    let fail = |message: String| ReportError::Table {
        file: path.display().to_string(),
        message,
    };
    let mut reader = csv::Reader::from_reader(open_results_file(path).map_err(fail)?);
    let header = reader.headers().map_err(|e| fail(e.to_string()))?.clone();
    let _ = write!(page, "<h2>{}</h2>\n<table>\n<tr>", escape(title));
    for c in &header {
        let _ = write!(page, "<th>{}</th>", escape(c));
    }
    page.push_str("</tr>\n");
    for record in reader.records().take(500) {
        let record = record.map_err(|e| fail(e.to_string()))?;
        page.push_str("<tr>");
        for value in &record {
            let _ = write!(page, "<td>{}</td>", escape(value));
        }
        page.push_str("</tr>\n");
    }
    page.push_str("</table>\n");
    Ok(())
}

/// Every SVG chart the manifest lists, inline.
fn charts(page: &mut String, folder: &Path, manifest: &Manifest) {
    let svgs: Vec<&String> = manifest
        .files
        .iter()
        .filter(|f| f.ends_with(".svg"))
        .collect();
    if svgs.is_empty() {
        return;
    }
    page.push_str("<h2>Charts</h2>\n");
    for file in svgs {
        let Ok(bytes) = read_results_file(&folder.join(file)) else {
            continue;
        };
        let Ok(text) = String::from_utf8(bytes) else {
            continue;
        };
        // The charts are this program's (plotters escapes their text); anything else that
        // looks like markup beyond an SVG drawing is left out rather than trusted.
        let Some(start) = text.find("<svg") else {
            continue;
        };
        let svg = &text[start..];
        if svg.contains("<script") || svg.contains("<foreignObject") {
            continue;
        }
        let _ = write!(
            page,
            "<figure>\n{}\n<figcaption>{}</figcaption>\n</figure>\n",
            svg.trim_end(),
            escape(file)
        );
    }
}

/// The input the results were made from (the scenario's text, or the counts'), as the folder
/// keeps it, checked against the manifest's SHA-256; otherwise why not, as a sentence. The
/// original file is never read: it may have changed or moved since.
fn scenario_text(folder: &Path, manifest: &Manifest) -> Result<String, String> {
    let name = manifest.command.input_copy();
    if !manifest.files.iter().any(|f| f == name) {
        return Err(format!(
            "This folder keeps no copy of {} (it was written by an older caseload), so it is \
             not shown.",
            manifest.scenario_file
        ));
    }
    match read_results_file(&folder.join(name)) {
        Ok(bytes) if sha256_hex(&bytes) == manifest.scenario_sha256 => {
            Ok(String::from_utf8_lossy(&bytes).into_owned())
        }
        Ok(_) => Err(format!(
            "The folder's copy of {} ({name}) is not the file these results were made from \
             (its SHA-256 differs), so it is not shown.",
            manifest.scenario_file
        )),
        Err(e) => Err(format!(
            "The folder's copy of {} ({name}) cannot be read: {e}.",
            manifest.scenario_file
        )),
    }
}

/// The scenario's description and the variant's, as written (none if the text is not a
/// scenario).
fn descriptions(text: &str, variant: Option<&str>) -> Vec<String> {
    let Ok(table) = text.parse::<toml::Table>() else {
        return Vec::new();
    };
    let description = |t: Option<&toml::Value>| {
        t.and_then(|v| v.get("description"))
            .and_then(toml::Value::as_str)
            .map(str::to_string)
    };
    let mut found: Vec<String> = description(table.get("scenario")).into_iter().collect();
    if let Some(name) = variant {
        let of_variant = table.get("variants").and_then(|v| v.get(name));
        if let Some(d) = description(of_variant) {
            found.push(format!("{name}: {d}"));
        }
    }
    found
}

/// The scenario as written: every value with its unit and source note (its comments).
fn assumptions(page: &mut String, text: &Result<String, String>, manifest: &Manifest) {
    let what = if manifest.command == Command::Fit {
        "The counts as read"
    } else {
        "Assumptions: the scenario as written"
    };
    basis_section(page, manifest);
    let _ = writeln!(page, "<h2>{what}</h2>");
    match text {
        Ok(text) => {
            if manifest.command != Command::Fit {
                page.push_str(
                    "<p>Every value, with its unit and its source in the comments (S sourced, \
                     D derived, A assumption; see scenarios/README.md).</p>\n",
                );
            }
            let _ = writeln!(page, "<pre>{}</pre>", escape(text));
        }
        Err(why) => {
            let _ = writeln!(page, "<p>{}</p>", escape(why));
        }
    }
}

/// What the answer rests on: the scenario's assumptions (with their ranges) first, then its
/// derived and sourced values, as its `[basis]` table records them.
fn basis_section(page: &mut String, manifest: &Manifest) {
    if manifest.basis.is_empty() {
        return;
    }
    let assumptions = manifest
        .basis
        .iter()
        .filter(|b| b.basis == caseload_experiment::Basis::Assumption)
        .count();
    let _ = writeln!(
        page,
        "<h2>What the answer rests on</h2>\n<p>{} of the {} values whose basis the scenario \
         records are assumptions, each with the range it could plausibly take; \
         <code>caseload sensitivity</code> shows which of them the answer depends on.</p>\n\
         <table>\n<tr><th>value</th><th>as written</th><th>basis</th><th>range</th>\
         <th>source or reason</th></tr>",
        assumptions,
        manifest.basis.len()
    );
    let mut entries: Vec<&caseload_experiment::ValueBasis> = manifest.basis.iter().collect();
    entries.sort_by_key(|b| b.basis != caseload_experiment::Basis::Assumption);
    for b in entries {
        let _ = writeln!(
            page,
            "<tr><td>{}</td><td class=\"num\">{}</td><td>{}</td><td class=\"num\">{}</td>\
             <td>{}</td></tr>",
            escape(&b.path),
            b.written
                .map_or_else(String::new, |w| escape(&w.to_string())),
            b.basis.name(),
            b.range
                .map_or_else(String::new, |[lo, hi]| escape(&format!("{lo} to {hi}"))),
            escape(&b.source)
        );
    }
    page.push_str("</table>\n");
}

fn manifest_section(page: &mut String, m: &Manifest) {
    page.push_str("<h2>How these results were made</h2>\n<table class=\"meta\">\n");
    let mut row = |name: &str, value: String| {
        let _ = writeln!(page, "<tr><td>{name}</td><td>{}</td></tr>", escape(&value));
    };
    row(
        "caseload build",
        if m.caseload_build.is_empty() {
            m.caseload_version.clone()
        } else {
            m.caseload_build.clone()
        },
    );
    row("command line", m.command_line.join(" "));
    row("scenario file", m.scenario_file.clone());
    row("scenario SHA-256", m.scenario_sha256.clone());
    for input in &m.inputs {
        row(
            &format!("{} SHA-256", escape(&input.role)),
            format!("{}: {}", input.file, input.sha256),
        );
    }
    row("seed", m.seed.to_string());
    row("replications", m.replications.to_string());
    row("warm-up", format!("{} days", m.warmup_days));
    if !m.options.is_empty() {
        row("options", m.options.join(", "));
    }
    page.push_str("</table>\n");
}

/// Writes `report.html` into `folder` from the results there, whole or not at all (through a
/// temporary file renamed into place). An existing report is replaced only with `replace`.
pub fn write_report(folder: &Path, replace: bool) -> Result<PathBuf, ReportError> {
    let target = folder.join("report.html");
    if target.exists() && !replace {
        return Err(ReportError::Exists {
            file: target.display().to_string(),
        });
    }
    let page = build_report(folder)?;
    caseload_experiment::results::atomic::write_whole(&target, page.as_bytes()).map_err(|e| {
        ReportError::Table {
            file: target.display().to_string(),
            message: format!("cannot write: {e}"),
        }
    })?;
    Ok(target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped_by_thousands() {
        assert_eq!(grouped(12225.94, 1), "12,225.9");
        assert_eq!(grouped(999.0, 0), "999");
        assert_eq!(grouped(1000.0, 0), "1,000");
        assert_eq!(grouped(-1234567.0, 0), "-1,234,567");
        assert_eq!(grouped(-0.01, 1), "0.0");
        assert_eq!(grouped(f64::INFINITY, 1), "not reached");
        assert_eq!(grouped(f64::NAN, 1), "-");
    }

    #[test]
    fn markup_is_escaped() {
        assert_eq!(
            escape("<script>\"a\" & 'b'</svg>"),
            "&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/svg&gt;"
        );
    }
}
