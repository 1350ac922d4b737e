//! What `caseload compare` prints, with fixed replications or `--select best`.

use std::fmt::Write as _;
use std::path::Path;

use caseload_experiment::{Comparison, Goal, Selection};

use crate::format::with_interval;

/// KPIs shown on the terminal (all are in compare.csv).
const HEADLINE: [&str; 6] = [
    "backlog_end",
    "backlog_peak",
    "days_to_allocate_mean",
    "days_to_allocate_p90",
    "share_allocated_within_target",
    "cost",
];

/// A ratio with its interval, or how to read it, or why there is none.
fn ratio_text(ratio: &caseload_experiment::Ratio) -> String {
    let (lo, hi) = ratio.interval();
    let d = if ratio.point().abs() >= 100.0 { 0 } else { 2 };
    if lo.is_finite() {
        let reading = match ratio.reading() {
            "" => String::new(),
            _ if ratio.point() > 0.0 => " (cheaper: given up)".to_string(),
            r => format!(" ({r})"),
        };
        format!(
            "{} [{}, {}]{reading}",
            crate::format::grouped(ratio.point(), d),
            crate::format::grouped(lo, d),
            crate::format::grouped(hi, d)
        )
    } else {
        ratio.reading().to_string()
    }
}

/// The summary `caseload compare` prints: the headline KPIs of each option with its paired
/// difference from the first, and where the files are.
pub fn comparison(
    scenario: &str,
    names: &[String],
    comparison: &Comparison,
    written: &Path,
) -> String {
    let mut text = String::new();
    let reps = comparison.results.first().map_or(0, |r| r.replications);
    let baseline = names.first().map_or("", String::as_str);
    let _ = writeln!(
        text,
        "{}: {} options, {reps} replications each with common random numbers; differences \
         are paired by replication, from `{baseline}`",
        scenario,
        names.len(),
    );
    for kpi in HEADLINE {
        let Some(k) = comparison
            .results
            .first()
            .and_then(|r| r.kpi_defs.iter().position(|d| d.name == kpi))
        else {
            continue;
        };
        let unit = comparison.results[0].kpi_defs[k].unit;
        let _ = writeln!(text);
        let _ = writeln!(text, "{kpi} ({unit})");
        let _ = writeln!(
            text,
            "  {:<28} {:>30} {:>36}",
            "option", "mean [95 % CI]", "difference [paired 95 % CI]"
        );
        for (o, (name, results)) in names.iter().zip(&comparison.results).enumerate() {
            let Some(kk) = results
                .kpi_defs
                .iter()
                .position(|d| d.name == kpi && d.team.is_none())
            else {
                continue;
            };
            let e = &results.kpis[kk];
            let diff = if o == 0 {
                "baseline".to_string()
            } else {
                let d = &comparison.differences[o][kk].paired;
                with_interval(d)
            };
            let _ = writeln!(text, "  {:<28} {:>30} {:>36}", name, with_interval(e), diff);
        }
    }
    let priced: Vec<_> = comparison
        .cost_effects
        .iter()
        .filter(|c| c.effect == "backlog_end")
        .collect();
    if !priced.is_empty() {
        let _ = writeln!(text);
        let _ = writeln!(
            text,
            "what each option buys against `{baseline}`: cases waiting at the end saved per GBP 1 m \
             and per officer-month (Fieller 95 % CI)"
        );
        for c in priced {
            let name = names.get(c.option).map_or("", String::as_str);
            let _ = writeln!(
                text,
                "  {:<28} {:>36} {:>36}",
                name,
                ratio_text(&c.per_million),
                ratio_text(&c.per_officer_month)
            );
        }
    }
    let _ = writeln!(text);
    let _ = writeln!(
        text,
        "every KPI, with the unpaired interval for reference, in {}; what each option buys in {}",
        written.join("compare.csv").display(),
        written.join("cost_effectiveness.csv").display()
    );
    text
}

/// What `compare --select best` prints: the option chosen and whether the guarantee holds,
/// each option's mean and replications, and what KN spent against a fixed design.
#[allow(clippy::too_many_arguments)]
pub fn selection(
    scenario: &str,
    names: &[String],
    kpi: &str,
    goal: Goal,
    pcs: f64,
    delta: f64,
    selection: &Selection,
    written: &Path,
) -> String {
    let spent: u64 = selection.replications.iter().map(|&r| u64::from(r)).sum();
    let mut text = format!(
        "{}: {} chosen as best at {kpi} ({}), {} with probability at least {} if the best is \
         at least {delta} better than every other option\n\n",
        scenario,
        names[selection.best],
        match goal {
            Goal::Smallest => "smallest",
            Goal::Largest => "largest",
        },
        if selection.guaranteed {
            "guaranteed"
        } else {
            "NOT guaranteed (the --reps budget ran out with several options left; the best mean among them is shown)"
        },
        pcs,
    );
    let _ = writeln!(
        text,
        "  {:<32} {:>14} {:>12} {:>16}",
        "option", "mean", "replications", "dropped after"
    );
    for (i, name) in names.iter().enumerate() {
        let _ = writeln!(
            text,
            "  {:<32} {:>14.3} {:>12} {:>16}",
            name,
            selection.means[i],
            selection.replications[i],
            selection.eliminated_after[i].map_or_else(
                || if i == selection.best {
                    "chosen".to_string()
                } else {
                    "-".to_string()
                },
                |r| format!("{r} replications")
            )
        );
    }
    let _ = writeln!(
        text,
        "\nKN (Kim and Nelson 2001) used {spent} replications in all; a fixed design with the \
         same guarantee needs {} ({} options x the largest first-stage bound); files in {}",
        selection.fixed_design,
        names.len(),
        written.display()
    );
    text
}
