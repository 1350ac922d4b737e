//! What `caseload backtest` leaves: `backtest.csv` (each observation beside the simulated
//! spread), `coverage.csv` (per figure: the shares inside the 50 % and 90 % bands, the bias)
//! and a chart per figure of all teams (observed against the simulated median and 90 % band).

use caseload_experiment::{BacktestPoint, Coverage, Observed};

use crate::charts::{Chart, Line};
use crate::folders::{FileIn, FolderError, write_file};
use crate::format::number;

/// Writes the back-test's files (not the manifest); `teams` names the teams, `month` labels
/// the period starting on a day (e.g. `2014-04`). Returns the files' names.
pub fn write_backtest(
    file: FileIn,
    points: &[BacktestPoint],
    coverage: &[Coverage],
    teams: &[String],
    month: &dyn Fn(usize) -> String,
) -> Result<Vec<String>, FolderError> {
    let team = |t: Option<usize>| t.map_or_else(|| "all".to_string(), |t| teams[t].clone());
    let mut files = vec!["backtest.csv".to_string(), "coverage.csv".to_string()];
    write_file(&file("backtest.csv"), |w| -> Result<(), csv::Error> {
        let mut w = csv::Writer::from_writer(w);
        w.write_record([
            "period",
            "team",
            "figure",
            "observed",
            "sim_mean",
            "sim_p05",
            "sim_p25",
            "sim_p50",
            "sim_p75",
            "sim_p95",
            "inside_50",
            "inside_90",
        ])?;
        for p in points {
            let o = &p.observation;
            let mut row = vec![
                month(o.from_day),
                team(o.team),
                o.figure.name().to_string(),
                number(o.value),
                number(p.mean),
            ];
            row.extend(p.quantiles.iter().map(|&q| number(q)));
            row.push(p.inside_50().to_string());
            row.push(p.inside_90().to_string());
            w.write_record(&row)?;
        }
        w.flush()?;
        Ok(())
    })?;
    write_file(&file("coverage.csv"), |w| -> Result<(), csv::Error> {
        let mut w = csv::Writer::from_writer(w);
        w.write_record([
            "team",
            "figure",
            "points",
            "inside_50",
            "inside_90",
            "bias",
            "relative_bias",
        ])?;
        for c in coverage {
            w.write_record([
                team(c.team),
                c.figure.name().to_string(),
                c.points.to_string(),
                number(c.inside_50),
                number(c.inside_90),
                number(c.bias),
                number(c.relative_bias),
            ])?;
        }
        w.flush()?;
        Ok(())
    })?;
    for figure in Observed::ALL {
        let mine: Vec<&BacktestPoint> = points
            .iter()
            .filter(|p| p.observation.figure == figure && p.observation.team.is_none())
            .collect();
        if mine.is_empty() {
            continue;
        }
        let dates: Vec<String> = mine.iter().map(|p| month(p.observation.from_day)).collect();
        let observed: Vec<f64> = mine.iter().map(|p| p.observation.value).collect();
        let median: Vec<f64> = mine.iter().map(|p| p.quantiles[2]).collect();
        let lo: Vec<f64> = mine.iter().map(|p| p.quantiles[0]).collect();
        let hi: Vec<f64> = mine.iter().map(|p| p.quantiles[4]).collect();
        let stem = backtest_chart(file, figure, &dates, &observed, &median, &lo, &hi)?;
        files.push(format!("{stem}.png"));
        files.push(format!("{stem}.svg"));
    }
    Ok(files)
}

/// Draws one figure's chart, `backtest_FIGURE.png/svg`: observed against the simulated
/// median and 5-95 % band, month by month; returns the stem.
pub fn backtest_chart(
    file: FileIn,
    figure: Observed,
    months: &[String],
    observed: &[f64],
    median: &[f64],
    lo: &[f64],
    hi: &[f64],
) -> Result<String, FolderError> {
    let unit = match figure {
        Observed::Referrals => "referrals in the month",
        Observed::Allocations => "allocations in the month",
        Observed::OfficersInPost => "officers at the month's end",
        _ => "cases at the month's end",
    };
    let chart = Chart {
        title: format!(
            "{}: observed against simulated (median, 5-95 %)",
            figure.name()
        ),
        y_label: unit.into(),
        dates: months,
        lines: vec![
            Line {
                label: "observed".into(),
                mean: observed,
                band: None,
            },
            Line {
                label: "simulated median (5-95 % over replications)".into(),
                mean: median,
                band: Some((lo, hi)),
            },
        ],
        markers: &[],
        warmup_days: 0.0,
        stacked: false,
        context: Vec::new(),
        period: None,
    };
    let stem = format!("backtest_{}", figure.name());
    chart.write(&file(&stem))?;
    Ok(stem)
}
