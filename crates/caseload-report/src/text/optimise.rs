//! What `caseload optimise` prints: the smallest lever value meeting a target, or with
//! `--dates` the latest date.

use std::fmt::Write as _;
use std::path::Path;

use caseload_experiment::Judge;

use crate::folders::TraceStep;
use crate::format::{readable, with_interval};

/// What a search's summary says of the question.
#[derive(Debug, Clone, Copy)]
pub struct SearchHeading<'a> {
    /// The scenario and variant.
    pub label: &'a str,
    /// The field searched.
    pub lever: &'a str,
    /// The target and what meeting it means.
    pub judge: &'a Judge,
    /// Replications per value.
    pub replications: u32,
}

/// What `caseload optimise` prints: the smallest value meeting the target, and the KPI with
/// its evidence there and one step below.
pub fn smallest_lever(
    q: &SearchHeading,
    answer: f64,
    one_below: Option<f64>,
    trace: &[TraceStep],
    written: &Path,
) -> String {
    let found = |v: f64| trace.iter().find(|e| e.value == v);
    let mut text = String::new();
    let (judge, lever, label, replications) = (q.judge, q.lever, q.label, q.replications);
    let (target, unit) = (&judge.target, judge.unit);
    let _ = writeln!(
        text,
        "{label}: smallest {lever} meeting {target} {judge} ({replications} replications per \
         value, common random numbers): {}",
        lever_text(answer)
    );
    let describe = |text: &mut String, label: &str, v: f64| {
        if let Some(step) = found(v) {
            let e = &step.judgement;
            let _ = writeln!(
                text,
                "  {label:<10} {lever} = {:<8} {} = {} {unit}; meets the target in {:.0} % of \
                 replications; the mean's one-sided bound is {}: {}",
                lever_text(v),
                target.kpi,
                with_interval(&e.estimate),
                e.share * 100.0,
                readable(e.bound),
                if e.met { "met" } else { "not met" }
            );
        }
    };
    describe(&mut text, "answer", answer);
    if let Some(below) = one_below {
        describe(&mut text, "one below", below);
    }
    let _ = writeln!(
        text,
        "{} values evaluated; search trace in {}",
        trace.len(),
        written.join("trace.csv").display()
    );
    text
}

/// What `caseload optimise --dates` prints: the latest date meeting the target, and each
/// date tried with its evidence.
pub fn latest_date(
    q: &SearchHeading,
    answer: &str,
    trace: &[TraceStep],
    date_of: &dyn Fn(f64) -> String,
    written: &Path,
) -> String {
    let (judge, lever, label, replications) = (q.judge, q.lever, q.label, q.replications);
    let mut text = format!(
        "{label}: latest {lever} meeting {} {judge} ({replications} replications per date, \
         common random numbers): {}\n",
        judge.target, answer
    );
    for step in trace {
        let e = &step.judgement;
        let _ = writeln!(
            text,
            "  {lever} = {}: {} = {}; meets the target in {:.0} % of replications: {}",
            date_of(step.value),
            judge.target.kpi,
            with_interval(&e.estimate),
            e.share * 100.0,
            if e.met { "met" } else { "not met" }
        );
    }
    let _ = writeln!(
        text,
        "{} dates evaluated; search trace in {}",
        trace.len(),
        written.join("trace.csv").display()
    );
    text
}

/// A lever value as typed: whole numbers without decimals.
pub fn lever_text(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v}")
    }
}

/// The values tried and the KPI at each, for a message when the target is never met.
pub fn trace_text(trace: &[TraceStep], unit: &str) -> String {
    trace
        .iter()
        .map(|e| {
            format!(
                "{} -> {} {unit}",
                readable(e.value),
                readable(e.judgement.estimate.mean)
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}
