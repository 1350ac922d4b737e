//! What `caseload frontier` writes: `frontier.csv`, `evaluations.csv` and the frontier chart.

use caseload_experiment::FrontierPoint;

use crate::charts::SweepChart;
use crate::folders::{FileIn, FolderError, write_file};
use crate::tables::number;

/// One evaluation of the search: start, officers, months, the share of replications meeting
/// the target, whether that is enough.
pub type Evaluation = (String, i64, i64, f64, bool);

/// One duration's answer from one start.
#[derive(Debug, Clone)]
pub struct FrontierRow {
    /// The action's start date.
    pub start: String,
    /// Its end date.
    pub end: String,
    /// The duration and the fewest officers.
    pub point: FrontierPoint,
    /// Whether this is the least officer-months of all.
    pub least: bool,
}

/// Writes `frontier.csv` (per duration: the fewest officers, officer-months, whether it is the
/// least), `evaluations.csv` and `frontier.png/svg`; returns the files written.
pub fn write_frontier(
    file: FileIn,
    label: &str,
    action: &str,
    target: &str,
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
            "least_officer_months",
        ])?;
        for r in rows {
            let p = r.point;
            w.write_record([
                action,
                target,
                &r.start,
                &p.months.to_string(),
                &r.end,
                &p.officers.map_or_else(String::new, |o| o.to_string()),
                &p.officer_months()
                    .map_or_else(String::new, |o| o.to_string()),
                if r.least { "true" } else { "false" },
            ])?;
        }
        w.flush()?;
        Ok(())
    })?;
    write_file(&file("evaluations.csv"), |w| -> Result<(), csv::Error> {
        let mut w = csv::Writer::from_writer(w);
        w.write_record(["start", "officers", "months", "share_meeting", "met"])?;
        for (start, o, m, share, met) in evaluations {
            w.write_record([
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
    // The chart: the frontier of the start with the least officer-months (else the first).
    let start = rows
        .iter()
        .find(|r| r.least)
        .or(rows.first())
        .map(|r| r.start.clone())
        .unwrap_or_default();
    let best = rows.iter().find(|r| r.least).map(|r| r.point);
    let met: Vec<&FrontierRow> = rows
        .iter()
        .filter(|r| r.start == start && r.point.officers.is_some())
        .collect();
    let x: Vec<f64> = met.iter().map(|r| r.point.months as f64).collect();
    let y: Vec<f64> = met
        .iter()
        .map(|r| r.point.officers.unwrap_or_default() as f64)
        .collect();
    SweepChart {
        title: format!(
            "{label}: fewest {action} officers from {start} meeting {target}{}",
            best.map_or_else(String::new, |b| format!(
                " (least: {} officers x {} months = {} officer-months)",
                b.officers.unwrap_or_default(),
                b.months,
                b.officer_months().unwrap_or_default()
            ))
        ),
        x_label: format!("months of {action}"),
        y_label: "officers".into(),
        x: &x,
        mean: &y,
        lo: &y,
        hi: &y,
        target: None,
        x_labels: None,
        legend: Some("fewest officers meeting the target".into()),
    }
    .write(&file("frontier"))?;
    Ok(vec![
        "frontier.csv".into(),
        "evaluations.csv".into(),
        "frontier.png".into(),
        "frontier.svg".into(),
    ])
}
