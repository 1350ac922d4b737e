//! What `caseload run` prints.

use std::fmt::Write as _;
use std::path::Path;

use caseload_experiment::warmup::Truncation;
use caseload_experiment::{Precision, Results};

use crate::format::{readable, with_interval};

/// What the summary's first line says of the run.
#[derive(Debug, Clone, Copy)]
pub struct RunHeading<'a> {
    /// The scenario and variant, `scenario[.variant]`.
    pub label: &'a str,
    /// The run's length, days.
    pub horizon_days: f64,
    /// Its first date, ISO.
    pub start_date: &'a str,
    /// Days left out of the KPIs.
    pub warmup_days: f64,
}

/// The line `run --precision` prints: whether the KPI's interval reached the half-width asked
/// for within `cap` replications, and the exit status `status` it leaves when not.
pub fn precision(p: &Precision, results: &Results, cap: u32, status: u8) -> String {
    let def = &results.kpi_defs[p.kpi];
    let e = &results.kpis[p.kpi];
    let goal = if p.relative {
        format!(
            "{} % of the mean",
            caseload_des::short(p.half_width * 100.0)
        )
    } else {
        format!("{} {}", caseload_des::short(p.half_width), def.unit)
    };
    format!(
        "precision: {} after {} replications: {} half-width {} (target {goal}){}\n",
        if p.met(e) { "reached" } else { "NOT reached" },
        results.replications,
        def.key(),
        readable(e.half_width()),
        if p.met(e) {
            String::new()
        } else {
            format!("; the cap is {cap}: raise --reps (exit status {status})")
        }
    )
}

/// The summary `caseload run` prints: the run, the KPIs for all teams with their intervals,
/// a few per team, the warm-up's check and where the files are.
pub fn run_summary(run: &RunHeading, results: &Results, written: &Path) -> String {
    let mut text = String::new();
    let _ = writeln!(
        text,
        "{}: {} replications, seed {}, {} days from {}{}",
        run.label,
        results.replications,
        results.seed,
        run.horizon_days,
        run.start_date,
        if run.warmup_days > 0.0 {
            format!(" (KPIs after a {}-day warm-up)", run.warmup_days)
        } else {
            String::new()
        }
    );
    let _ = writeln!(text);
    let _ = writeln!(
        text,
        "{:<44} {:>36}  unit",
        "KPI (all teams)", "mean [95 % CI]"
    );
    for (def, e) in results.kpi_defs.iter().zip(&results.kpis) {
        if def.team.is_some() || def.name.contains("_priority_") {
            continue;
        }
        let _ = writeln!(
            text,
            "{:<44} {:>36}  {}",
            def.name,
            with_interval(e),
            def.unit
        );
    }
    text += &team_table(results);
    if results.replications < 2 {
        let _ = writeln!(
            text,
            "\nOne replication: no confidence intervals (run at least two)."
        );
    }
    text += &warmup_text(run.warmup_days, results);
    let _ = writeln!(text);
    let _ = writeln!(
        text,
        "per team and per priority in summary.csv; results in {}",
        written.display()
    );
    text
}

/// KPIs shown per team on the terminal (all are in summary.csv).
const TEAM_COLUMNS: [(&str, &str); 5] = [
    ("backlog_end", "waiting at end"),
    ("days_to_allocate_median", "median days to allocate"),
    ("days_to_allocate_p90", "p90 days to allocate"),
    ("waiting_age_median_end", "median age waiting"),
    ("utilisation", "utilisation"),
];

/// A compact table of a few KPIs per team: the means, or `not reached`.
fn team_table(results: &Results) -> String {
    let mut teams: Vec<&str> = Vec::new();
    for def in &results.kpi_defs {
        if let Some(team) = def.team.as_deref()
            && !teams.contains(&team)
        {
            teams.push(team);
        }
    }
    if teams.len() < 2 {
        return String::new();
    }
    let mut text = String::new();
    let _ = write!(text, "\n{:<20}", "team (means)");
    for (_, heading) in TEAM_COLUMNS {
        let _ = write!(text, " {heading:>24}");
    }
    let _ = writeln!(text);
    for team in teams {
        let _ = write!(text, "{team:<20}");
        for (name, _) in TEAM_COLUMNS {
            let e = results
                .kpi_defs
                .iter()
                .position(|d| d.name == name && d.team.as_deref() == Some(team))
                .map(|k| &results.kpis[k]);
            let cell = match e {
                Some(e) if e.not_reached > 0 => {
                    format!("not reached ({}/{})", e.not_reached, e.n)
                }
                Some(e) => readable(e.mean),
                None => "-".into(),
            };
            let _ = write!(text, " {cell:>24}");
        }
        let _ = writeln!(text);
    }
    text
}

/// The MSER-5 suggestion for the warm-up, and a warning when the scenario's is shorter.
fn warmup_text(warmup_days: f64, results: &Results) -> String {
    let mut text = String::new();
    for (metric, truncation) in &results.suggested_warmup {
        let line = match *truncation {
            Truncation::Days(days) if (days as f64) > warmup_days => format!(
                "warning: MSER-5 suggests leaving out the first {days} days of the mean daily \
                 `{}`, longer than the scenario's warm-up of {warmup_days} days: KPIs may \
                 still carry the starting state",
                metric.name()
            ),
            Truncation::Days(days) => format!(
                "warm-up: MSER-5 suggests {days} days for the mean daily `{}` (the scenario \
                 leaves out {warmup_days})",
                metric.name()
            ),
            Truncation::NotSettled => format!(
                "note: the mean daily `{}` does not settle within the run (MSER-5): its KPIs \
                 describe a trend, not a steady state",
                metric.name()
            ),
            Truncation::TooShort => continue,
        };
        let _ = writeln!(text, "{line}");
    }
    if !text.is_empty() {
        text.insert(0, '\n');
    }
    text
}

/// The summary as JSON for `run --json`: the run (`scenario`, `replications`, `seed`,
/// `start`, `days`, `warmup_days`, `folder`) and every KPI of `summary.csv` (`kpi`, `team`,
/// `unit`, `label`, `n`, `not_reached`, `mean`, `sd`, `ci_lo`, `ci_hi`; a value that is
/// undefined, or a mean beyond a quantile not reached, is `null`).
pub fn run_summary_json(run: &RunHeading, results: &Results, written: &Path) -> String {
    let finite = |x: f64| x.is_finite().then_some(x);
    let kpis: Vec<serde_json::Value> = results
        .kpi_defs
        .iter()
        .zip(&results.kpis)
        .map(|(def, e)| {
            serde_json::json!({
                "kpi": def.name,
                "team": def.team.as_deref().unwrap_or("all"),
                "unit": def.unit,
                "label": def.label(),
                "n": e.n,
                "not_reached": e.not_reached,
                "mean": finite(e.mean),
                "sd": finite(e.sd),
                "ci_lo": finite(e.lo),
                "ci_hi": finite(e.hi),
            })
        })
        .collect();
    let summary = serde_json::json!({
        "scenario": run.label,
        "replications": results.replications,
        "seed": results.seed,
        "start": run.start_date,
        "days": run.horizon_days,
        "warmup_days": run.warmup_days,
        "folder": written.display().to_string(),
        "kpis": kpis,
    });
    let mut text = serde_json::to_string_pretty(&summary).unwrap_or_default();
    text.push('\n');
    text
}
