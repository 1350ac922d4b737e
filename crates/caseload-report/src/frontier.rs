//! What `caseload frontier` writes: `frontier.csv`, `evaluations.csv` and the frontier chart.

use caseload_experiment::FrontierPoint;

use crate::charts::SweepChart;
use crate::folders::{FileIn, FolderError, write_file};
use crate::format::number;

/// One evaluation of the search: the action (or package `a+b`), start, officers, months, the
/// share of replications meeting the target, whether that is enough.
pub type Evaluation = (String, String, i64, i64, f64, bool);

/// One duration's answer from one start, for one action or package.
#[derive(Debug, Clone)]
pub struct FrontierRow {
    /// The action varied, or a package of actions varied together (`a+b`).
    pub action: String,
    /// The action's start date.
    pub start: String,
    /// Its end date.
    pub end: String,
    /// The duration and the fewest officers.
    pub point: FrontierPoint,
    /// What those officers cost for that long, pounds (`None` where the target is not met).
    pub cost: Option<f64>,
    /// Whether this is the least of all by the measure minimised.
    pub least: bool,
}

/// Writes `frontier.csv` (per action, start and duration: the fewest officers, officer-months,
/// cost, whether it is the least by `minimised`, "officer-months" or "cost"),
/// `evaluations.csv` and `frontier.png/svg`; returns the files written.
pub fn write_frontier(
    file: FileIn,
    label: &str,
    target: &str,
    minimised: &str,
    rows: &[FrontierRow],
    evaluations: &[Evaluation],
) -> Result<Vec<String>, FolderError> {
    write_file(&file("frontier.csv"), |w| -> Result<(), csv::Error> {
        let mut w = csv::Writer::from_writer(w);
        w.write_record([
            "action",
            "target",
            "start",
            "months",
            "end",
            "least_officers",
            "officer_months",
            "cost",
            "minimised",
            "least",
        ])?;
        for r in rows {
            let p = r.point;
            w.write_record([
                r.action.as_str(),
                target,
                &r.start,
                &p.months.to_string(),
                &r.end,
                &p.officers.map_or_else(String::new, |o| o.to_string()),
                &p.officer_months()
                    .map_or_else(String::new, |o| o.to_string()),
                &r.cost.map_or_else(String::new, |c| format!("{c:.0}")),
                minimised,
                if r.least { "true" } else { "false" },
            ])?;
        }
        w.flush()?;
        Ok(())
    })?;
    write_file(&file("evaluations.csv"), |w| -> Result<(), csv::Error> {
        let mut w = csv::Writer::from_writer(w);
        w.write_record([
            "action",
            "start",
            "officers",
            "months",
            "share_meeting",
            "met",
        ])?;
        for (action, start, o, m, share, met) in evaluations {
            w.write_record([
                action.clone(),
                start.clone(),
                o.to_string(),
                m.to_string(),
                number(*share),
                met.to_string(),
            ])?;
        }
        w.flush()?;
        Ok(())
    })?;
    // The chart: one line per action or package, from its start with the least (else its
    // first start); the line holding the least first.
    let best = rows.iter().find(|r| r.least);
    let mut actions: Vec<&str> = Vec::new();
    for r in best.into_iter().chain(rows) {
        if !actions.contains(&r.action.as_str()) {
            actions.push(&r.action);
        }
    }
    let line = |action: &str| -> (String, Vec<f64>, Vec<f64>) {
        let ours = || rows.iter().filter(move |r| r.action == action);
        let start = ours()
            .filter(|r| r.point.officers.is_some())
            .min_by(|a, b| {
                let score = |r: &FrontierRow| match minimised {
                    "cost" => r.cost.unwrap_or(f64::INFINITY),
                    _ => r.point.officer_months().map_or(f64::INFINITY, |m| m as f64),
                };
                score(a).total_cmp(&score(b))
            })
            .or_else(|| ours().next())
            .map(|r| r.start.clone())
            .unwrap_or_default();
        let met: Vec<&FrontierRow> = ours()
            .filter(|r| r.start == start && r.point.officers.is_some())
            .collect();
        (
            format!("{action} from {start}"),
            met.iter().map(|r| r.point.months as f64).collect(),
            met.iter()
                .map(|r| r.point.officers.unwrap_or_default() as f64)
                .collect(),
        )
    };
    let mut lines: Vec<(String, Vec<f64>, Vec<f64>)> = actions.iter().map(|a| line(a)).collect();
    let (legend, x, y) = if lines.is_empty() {
        (String::new(), Vec::new(), Vec::new())
    } else {
        lines.remove(0)
    };
    let least_text = best.map_or_else(String::new, |b| {
        format!(
            " (least: {} officers x {} month{} of {}{})",
            b.point.officers.unwrap_or_default(),
            b.point.months,
            if b.point.months == 1 { "" } else { "s" },
            b.action,
            match minimised {
                "cost" => format!(
                    ", £{}",
                    crate::format::grouped(b.cost.unwrap_or_default(), 0)
                ),
                _ => format!(
                    " = {} officer-months",
                    b.point.officer_months().unwrap_or_default()
                ),
            }
        )
    });
    let single = actions.len() == 1;
    SweepChart {
        title: format!("{label}: fewest officers meeting {target}{least_text}"),
        x_label: if single {
            format!("months of {}", actions[0])
        } else {
            "months".into()
        },
        y_label: "officers".into(),
        x: &x,
        mean: &y,
        lo: &y,
        hi: &y,
        target: None,
        x_labels: None,
        legend: Some(if single {
            format!("fewest officers meeting the target ({legend})")
        } else {
            legend
        }),
        more: lines,
    }
    .write(&file("frontier"))?;
    Ok(vec![
        "frontier.csv".into(),
        "evaluations.csv".into(),
        "frontier.png".into(),
        "frontier.svg".into(),
    ])
}
