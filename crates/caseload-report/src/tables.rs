//! The CSV outputs: `summary.csv` (KPIs with confidence intervals), `timeseries.csv` (tidy
//! daily bands) and `cases.csv` (one row per case and replication).

use std::io::Write;

use caseload_experiment::Results;
use caseload_model::ModelConfig;

/// Writing a table failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TableError {
    /// The CSV writer or the underlying file failed.
    #[error("writing CSV: {0}")]
    Csv(#[from] csv::Error),
    /// Flushing the file failed.
    #[error("writing CSV: {0}")]
    Io(#[from] std::io::Error),
}

/// A number as written in the CSVs: empty for undefined, whole numbers without decimals,
/// others with four decimals (fixed, so files are byte-identical across platforms).
pub fn number(x: f64) -> String {
    if x.is_nan() {
        String::new()
    } else if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{x:.0}")
    } else {
        format!("{x:.4}")
    }
}

/// Writes `summary.csv`: one row per KPI with mean, standard deviation, 95 % confidence
/// interval and the number of replications it is defined in.
pub fn write_summary<W: Write>(
    out: W,
    scenario: &str,
    results: &Results,
) -> Result<(), TableError> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "scenario",
        "kpi",
        "unit",
        "mean",
        "sd",
        "lo",
        "hi",
        "n",
        "description",
    ])?;
    for (def, e) in results.kpi_defs.iter().zip(&results.kpis) {
        w.write_record([
            scenario,
            &def.name,
            def.unit,
            &number(e.mean),
            &number(e.sd),
            &number(e.lo),
            &number(e.hi),
            &e.n.to_string(),
            &def.description,
        ])?;
    }
    w.flush()?;
    Ok(())
}

/// Writes `timeseries.csv`, tidy: one row per (day, team, metric) with the mean and the 5-95 %
/// band across replications. `dates[d]` is the calendar date of day `d`; team `all` is the
/// total over teams.
pub fn write_timeseries<W: Write>(
    out: W,
    scenario: &str,
    dates: &[String],
    model: &ModelConfig,
    results: &Results,
) -> Result<(), TableError> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "scenario", "day", "date", "team", "metric", "mean", "lo", "hi",
    ])?;
    for (def, band) in results.series_defs.iter().zip(&results.bands) {
        let team = def.team.map_or("all", |t| model.teams[t].name.as_str());
        for (day, date) in dates.iter().enumerate().take(band.mean.len()) {
            w.write_record([
                scenario,
                &day.to_string(),
                date,
                team,
                def.metric,
                &number(band.mean[day]),
                &number(band.lo[day]),
                &number(band.hi[day]),
            ])?;
        }
    }
    w.flush()?;
    Ok(())
}

/// Writes `cases.csv`: every case of every replication (days since the start; empty when
/// not yet allocated or completed).
pub fn write_cases<W: Write>(
    out: W,
    scenario: &str,
    model: &ModelConfig,
    results: &Results,
) -> Result<(), TableError> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "scenario",
        "replication",
        "id",
        "case_type",
        "team",
        "historic",
        "arrival_priority",
        "priority",
        "arrival_day",
        "allocated_day",
        "completed_day",
        "unallocated_days",
    ])?;
    let day = |d: Option<f64>| d.map_or_else(String::new, number);
    for (replication, case) in &results.cases {
        w.write_record([
            scenario,
            &replication.to_string(),
            &case.id.to_string(),
            &model.case_types[case.case_type].name,
            &model.teams[case.team].name,
            if case.historic { "true" } else { "false" },
            &case.arrival_priority.to_string(),
            &case.priority.to_string(),
            &number(case.arrival_day),
            &day(case.allocated_day),
            &day(case.completed_day),
            &number(case.unallocated_days),
        ])?;
    }
    w.flush()?;
    Ok(())
}
