//! What `caseload frontier` prints.

use std::fmt::Write as _;
use std::path::Path;

use crate::format::grouped;
use crate::frontier::FrontierRow;

/// What a frontier's summary says of the question.
#[derive(Debug, Clone, Copy)]
pub struct FrontierHeading<'a> {
    /// The scenario and variant.
    pub label: &'a str,
    /// The actions or packages varied, comma-separated.
    pub actions: &'a str,
    /// The target, e.g. `waiting_at_2016-04-01<=100`.
    pub target: &'a str,
    /// The share of replications that must meet it.
    pub confidence: f64,
    /// What the least minimises: `officer-months` or `cost`.
    pub minimised: &'a str,
    /// The most officers tried.
    pub most: i64,
    /// Replications per candidate.
    pub replications: u32,
}

/// What `caseload frontier` prints: per action, start and duration the fewest officers
/// meeting the target, their officer-months and cost, the least marked.
pub fn frontier(
    q: &FrontierHeading,
    rows: &[FrontierRow],
    evaluations: usize,
    written: &Path,
) -> String {
    let replications = q.replications;
    let most = q.most;
    let mut text = format!(
        "{}: fewest officers of {} meeting {} in at least {} of {replications} \
         replications (least {})\n\n  {:<24} {:>10} {:>6} {:>12} {:>9} {:>15} {:>12}\n",
        q.label,
        q.actions,
        q.target,
        caseload_des::short(q.confidence),
        q.minimised,
        "action",
        "from",
        "months",
        "to",
        "officers",
        "officer-months",
        "cost"
    );
    for r in rows {
        let p = r.point;
        let _ = writeln!(
            text,
            "  {:<24} {:>10} {:>6} {:>12} {:>9} {:>15} {:>12}{}",
            r.action,
            r.start,
            p.months,
            r.end,
            p.officers
                .map_or_else(|| format!("> {most}"), |o| o.to_string()),
            p.officer_months()
                .map_or_else(|| "-".into(), |o| o.to_string()),
            r.cost
                .map_or_else(|| "-".into(), |c| format!("£{}", grouped(c, 0))),
            if r.least { "  <- least" } else { "" }
        );
    }
    let _ = writeln!(
        text,
        "\n{} evaluations of {replications} replications; files in {}",
        evaluations,
        written.display()
    );
    text
}
