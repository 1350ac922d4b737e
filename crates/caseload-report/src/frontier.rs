//! What `caseload frontier` writes: `frontier.csv`, `evaluations.csv` and the frontier chart.

use caseload_experiment::FrontierPoint;

use crate::charts::SweepChart;
use crate::folders::{FileIn, FolderError, write_file};
use crate::tables::number;

/// One evaluation of the search: officers, months, the share of replications meeting the
/// target, whether that is enough.
pub type Evaluation = (i64, i64, f64, bool);

/// Writes `frontier.csv` (per duration: the fewest officers, officer-months, whether it is the
/// least), `evaluations.csv` and `frontier.png/svg`; returns the files written.
#[allow(clippy::too_many_arguments)]
pub fn write_frontier(
    file: FileIn,
    label: &str,
    action: &str,
    target: &str,
    ends: &[String],
    points: &[FrontierPoint],
    best: Option<FrontierPoint>,
    evaluations: &[Evaluation],
) -> Result<Vec<String>, FolderError> {
    write_file(&file("frontier.csv"), |w| -> Result<(), csv::Error> {
        let mut w = csv::Writer::from_writer(w);
        w.write_record([
            "action",
            "target",
            "months",
            "end",
            "least_officers",
            "officer_months",
            "least_officer_months",
        ])?;
        for (p, end) in points.iter().zip(ends) {
            w.write_record([
                action,
                target,
                &p.months.to_string(),
                end,
                &p.officers.map_or_else(String::new, |o| o.to_string()),
                &p.officer_months()
                    .map_or_else(String::new, |o| o.to_string()),
                if best == Some(*p) { "true" } else { "false" },
            ])?;
        }
        w.flush()?;
        Ok(())
    })?;
    write_file(&file("evaluations.csv"), |w| -> Result<(), csv::Error> {
        let mut w = csv::Writer::from_writer(w);
        w.write_record(["officers", "months", "share_meeting", "met"])?;
        for (o, m, share, met) in evaluations {
            w.write_record([
                o.to_string(),
                m.to_string(),
                number(*share),
                met.to_string(),
            ])?;
        }
        w.flush()?;
        Ok(())
    })?;
    let met: Vec<&FrontierPoint> = points.iter().filter(|p| p.officers.is_some()).collect();
    let x: Vec<f64> = met.iter().map(|p| p.months as f64).collect();
    let y: Vec<f64> = met
        .iter()
        .map(|p| p.officers.unwrap_or_default() as f64)
        .collect();
    SweepChart {
        title: format!(
            "{label}: fewest {action} officers meeting {target}, by months{}",
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
