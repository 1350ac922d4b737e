//! The CSV outputs: `summary.csv` (KPIs with confidence intervals), `timeseries.csv` (tidy
//! daily bands), `cases.csv` (one row per case and replication), `compare.csv` (options with
//! paired differences) and `sweep.csv` (KPIs per sweep point).

use std::io::Write;

use caseload_experiment::stats::spread;
use caseload_experiment::{Comparison, Difference, Estimate, Results};
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

/// Writes `compare.csv`: one row per option and KPI with the mean and its 95 % interval, and,
/// for every option but the baseline (the first), the difference from the baseline paired by
/// replication with its 95 % interval and the wider Welch interval the same replications would
/// give without common random numbers.
pub fn write_compare<W: Write>(
    out: W,
    scenario: &str,
    options: &[String],
    comparison: &Comparison,
) -> Result<(), TableError> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "scenario",
        "option",
        "baseline",
        "kpi",
        "unit",
        "n",
        "mean",
        "lo",
        "hi",
        "diff_mean",
        "diff_lo",
        "diff_hi",
        "diff_unpaired_lo",
        "diff_unpaired_hi",
    ])?;
    let baseline = options.first().map_or("", String::as_str);
    for (o, (name, results)) in options.iter().zip(&comparison.results).enumerate() {
        for (k, (def, e)) in results.kpi_defs.iter().zip(&results.kpis).enumerate() {
            let diff = comparison.differences.get(o).and_then(|d| d.get(k));
            let diff = |f: fn(&Difference) -> f64| match diff {
                Some(d) if o > 0 => number(f(d)),
                _ => String::new(),
            };
            w.write_record([
                scenario,
                name,
                baseline,
                &def.name,
                def.unit,
                &e.n.to_string(),
                &number(e.mean),
                &number(e.lo),
                &number(e.hi),
                &diff(|d| d.paired.mean),
                &diff(|d| d.paired.lo),
                &diff(|d| d.paired.hi),
                &diff(|d| d.unpaired.0),
                &diff(|d| d.unpaired.1),
            ])?;
        }
    }
    w.flush()?;
    Ok(())
}

/// A KPI's name and unit, as a sweep reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KpiColumn {
    /// Machine name, e.g. `backlog_end`.
    pub name: String,
    /// Unit, e.g. `cases`.
    pub unit: String,
}

/// Writes `sweep.csv`: one row per point and KPI with the parameters' values, the mean over
/// replications with its 95 % Student-t interval, and the 5th, 50th and 95th percentiles over
/// replications. `values[p][r][k]` is KPI `k` of replication `r` at point `p`.
pub fn write_sweep<W: Write>(
    out: W,
    scenario: &str,
    params: &[String],
    points: &[Vec<String>],
    kpis: &[KpiColumn],
    values: &[Vec<Vec<f64>>],
) -> Result<(), TableError> {
    let mut w = csv::Writer::from_writer(out);
    let mut header = vec!["scenario", "point"];
    header.extend(params.iter().map(String::as_str));
    header.extend([
        "kpi", "unit", "n", "mean", "sd", "lo", "hi", "p05", "median", "p95",
    ]);
    w.write_record(&header)?;
    for (p, (point, replications)) in points.iter().zip(values).enumerate() {
        for (k, kpi) in kpis.iter().enumerate() {
            let e = Estimate::from_values(replications.iter().map(|r| r[k]));
            let [p05, median, p95] = spread(replications.iter().map(|r| r[k]));
            let mut record = vec![scenario.to_string(), p.to_string()];
            record.extend(point.iter().cloned());
            record.extend([
                kpi.name.clone(),
                kpi.unit.clone(),
                e.n.to_string(),
                number(e.mean),
                number(e.sd),
                number(e.lo),
                number(e.hi),
                number(p05),
                number(median),
                number(p95),
            ]);
            w.write_record(&record)?;
        }
    }
    w.flush()?;
    Ok(())
}
