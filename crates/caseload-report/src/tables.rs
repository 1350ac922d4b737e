//! The CSV outputs: `summary.csv` (KPIs with confidence intervals), `timeseries.csv` (tidy
//! daily bands), `cases.csv` (one row per case and replication), `compare.csv` (options with
//! paired differences) and `sweep.csv` (KPIs per sweep point).

use std::io::Write;

use caseload_experiment::stats::spread;
use caseload_experiment::{Comparison, Difference, Estimate, KpiColumn, Results};
use caseload_model::ModelConfig;

use crate::format::{number, push_number};

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

/// The columns every KPI summary shares, after its identifying columns.
pub const ESTIMATE_COLUMNS: [&str; 10] = [
    "n",
    "not_reached",
    "mean",
    "sd",
    "ci_lo",
    "ci_hi",
    "p05",
    "p50",
    "p95",
    "note",
];

/// A KPI's estimate and spread over replications as the [`ESTIMATE_COLUMNS`] cells.
pub fn estimate_cells(e: &Estimate, values: &[f64]) -> Vec<String> {
    let [p05, p50, p95] = spread(values.iter().copied());
    let note = if e.n == 0 {
        "undefined in every replication"
    } else if e.not_reached > 0 {
        "not reached in some replications: no mean or interval; the percentiles are over all"
    } else if e.n < 2 {
        "fewer than two replications: no interval"
    } else {
        ""
    };
    let quantile = |q: f64| {
        if q == f64::INFINITY {
            "not reached".to_string()
        } else {
            number(q)
        }
    };
    vec![
        e.n.to_string(),
        e.not_reached.to_string(),
        number(e.mean),
        number(e.sd),
        number(e.lo),
        number(e.hi),
        quantile(p05),
        quantile(p50),
        quantile(p95),
        note.to_string(),
    ]
}

/// The team column's text: the team's name, or `all`.
pub(crate) fn team_cell(team: Option<&String>) -> &str {
    team.map_or("all", String::as_str)
}

/// The columns of a KPI's name parts, written after the other columns of every table of KPIs.
pub const PART_COLUMNS: [&str; 4] = ["measure", "priority", "case_type", "date"];

/// The cells of [`PART_COLUMNS`] for `def` (empty where a part does not apply).
fn part_cells(def: &caseload_experiment::KpiDef) -> [String; 4] {
    let p = &def.parts;
    [
        p.measure.clone(),
        p.priority.map(|p| p.to_string()).unwrap_or_default(),
        p.case_type.clone().unwrap_or_default(),
        p.date.clone().unwrap_or_default(),
    ]
}

/// Writes `summary.csv`: one row per KPI and team (`all` for all teams) with the estimate
/// over replications ([`ESTIMATE_COLUMNS`]) and what the KPI is.
pub fn write_summary<W: Write>(
    out: W,
    scenario: &str,
    results: &Results,
) -> Result<(), TableError> {
    let mut w = csv::Writer::from_writer(out);
    let mut header = vec!["scenario", "team", "kpi", "unit"];
    header.extend(ESTIMATE_COLUMNS);
    header.extend(["description", "label"]);
    header.extend(PART_COLUMNS);
    w.write_record(&header)?;
    for (k, (def, e)) in results.kpi_defs.iter().zip(&results.kpis).enumerate() {
        let values: Vec<f64> = results.per_replication.iter().map(|r| r[k]).collect();
        let mut record = vec![
            scenario.to_string(),
            team_cell(def.team.as_ref()).to_string(),
            def.name.clone(),
            def.unit.to_string(),
        ];
        record.extend(estimate_cells(e, &values));
        record.extend([def.description.clone(), def.label()]);
        record.extend(part_cells(def));
        w.write_record(&record)?;
    }
    w.flush()?;
    Ok(())
}

/// Writes `replications.csv`, long: one row per option, replication, team and KPI with the
/// replication's value (empty when undefined, `inf` when a quantile was not reached).
pub fn write_replications<W: Write>(
    out: W,
    scenario: &str,
    options: &[(&str, &Results)],
) -> Result<(), TableError> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "scenario",
        "option",
        "replication",
        "team",
        "kpi",
        "unit",
        "value",
        PART_COLUMNS[0],
        PART_COLUMNS[1],
        PART_COLUMNS[2],
        PART_COLUMNS[3],
    ])?;
    for (option, results) in options {
        let parts: Vec<[String; 4]> = results.kpi_defs.iter().map(part_cells).collect();
        for (r, values) in results.per_replication.iter().enumerate() {
            for ((def, &value), [measure, priority, case_type, date]) in
                results.kpi_defs.iter().zip(values).zip(&parts)
            {
                let value = if value == f64::INFINITY {
                    "inf".to_string()
                } else {
                    number(value)
                };
                w.write_record([
                    scenario,
                    option,
                    &r.to_string(),
                    team_cell(def.team.as_ref()),
                    &def.name,
                    def.unit,
                    &value,
                    measure,
                    priority,
                    case_type,
                    date,
                ])?;
            }
        }
    }
    w.flush()?;
    Ok(())
}

/// Writes `timeseries.csv`, tidy: one row per (day, team, metric) with the unit, the mean
/// and the 5-95 % band across replications (`band_lo`, `band_hi`). `dates[d]` is the
/// calendar date of day `d`; team `all` is the total over teams.
pub fn write_timeseries<W: Write>(
    mut out: W,
    scenario: &str,
    dates: &[String],
    model: &ModelConfig,
    results: &Results,
) -> Result<(), TableError> {
    out.write_all(&csv_fields(&[
        "scenario", "day", "date", "team", "metric", "unit", "mean", "band_lo", "band_hi",
    ])?)?;
    out.write_all(b"\n")?;
    // The fields that repeat are quoted once: each day's (scenario, day, date) and each
    // series' (team, metric, unit); the numbers never need quoting. A row is then a few
    // copies, byte for byte what the CSV writer would write (a million rows on London).
    let days: Vec<(usize, Vec<u8>)> = dates
        .iter()
        .enumerate()
        .map(|(day, date)| Ok((day, csv_fields(&[scenario, &day.to_string(), date])?)))
        .collect::<Result<_, TableError>>()?;
    write_series_rows(out, &days, model, results)
}

/// Writes `monthly.csv`: the daily table at the end of each calendar month (and on the last
/// day), with the month as `YYYY-MM`: the waiting list and the caseloads as they stand at
/// each month's end, and cumulative series (cost, hours) to date, each with its exact 5-95 %
/// band across replications; about a thirtieth of `timeseries.csv`, small enough for a
/// spreadsheet.
pub fn write_monthly<W: Write>(
    mut out: W,
    scenario: &str,
    dates: &[String],
    model: &ModelConfig,
    results: &Results,
) -> Result<(), TableError> {
    out.write_all(&csv_fields(&[
        "scenario", "month", "date", "team", "metric", "unit", "mean", "band_lo", "band_hi",
    ])?)?;
    out.write_all(b"\n")?;
    let month = |d: &str| d.get(..7).unwrap_or(d).to_string();
    let days: Vec<(usize, Vec<u8>)> = dates
        .iter()
        .enumerate()
        .filter(|(day, date)| {
            dates
                .get(day + 1)
                .is_none_or(|next| month(next) != month(date))
        })
        .map(|(day, date)| Ok((day, csv_fields(&[scenario, &month(date), date])?)))
        .collect::<Result<_, TableError>>()?;
    write_series_rows(out, &days, model, results)
}

/// The rows of every daily series on the `days` given (each with its row's first fields,
/// already CSV), series by series.
fn write_series_rows<W: Write>(
    mut out: W,
    days: &[(usize, Vec<u8>)],
    model: &ModelConfig,
    results: &Results,
) -> Result<(), TableError> {
    let mut row = Vec::with_capacity(256);
    for (def, band) in results.series_defs.iter().zip(&results.bands) {
        let team = def.team.map_or("all", |t| model.teams[t].name.as_str());
        let name = caseload_experiment::metric_name(model, def.metric);
        let series = csv_fields(&[team, &name, def.metric.unit()])?;
        for (day, prefix) in days.iter().filter(|(day, _)| *day < band.mean.len()) {
            row.clear();
            row.extend_from_slice(prefix);
            row.push(b',');
            row.extend_from_slice(&series);
            for value in [band.mean[*day], band.lo[*day], band.hi[*day]] {
                row.push(b',');
                push_number(&mut row, value);
            }
            row.push(b'\n');
            out.write_all(&row)?;
        }
    }
    out.flush()?;
    Ok(())
}

/// `fields` as the CSV writer writes them within a record of three or more fields (quoted
/// where they must be), without the line's end.
fn csv_fields(fields: &[&str]) -> Result<Vec<u8>, TableError> {
    debug_assert!(fields.len() > 1, "a lone empty field is quoted differently");
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(fields)?;
    let mut bytes = w.into_inner().map_err(|e| TableError::Io(e.into_error()))?;
    bytes.pop();
    Ok(bytes)
}

/// Writes `cases.csv`: every case of every replication (days since the start; empty when
/// not yet allocated or completed), with the officer holding or completing it and the days
/// it went back to the queue (`;`-separated); with withdrawal in the model, the day the
/// victim withdrew support (`withdrawn_day`), with outcomes, how it ended (`outcome`), and
/// with triage, whether it closed after its screen (`closed_at_triage`), and with quality
/// judged, whether its investigation requires improvement (`requires_improvement`).
pub fn write_cases<W: Write>(
    out: W,
    scenario: &str,
    model: &ModelConfig,
    results: &Results,
) -> Result<(), TableError> {
    let mut w = csv::Writer::from_writer(out);
    let withdrawal = model.case_types.iter().any(|t| t.withdrawal.is_some());
    let outcomes = model.case_types.iter().any(|t| t.outcomes.is_some());
    let triage = model.case_types.iter().any(|t| t.triage.is_some());
    let quality = model.quality.is_some();
    let mut header = vec![
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
        "waiting",
        "officer",
        "requeue_days",
    ];
    if withdrawal {
        header.push("withdrawn_day");
    }
    if outcomes {
        header.push("outcome");
    }
    if triage {
        header.push("closed_at_triage");
    }
    if quality {
        header.push("requires_improvement");
    }
    w.write_record(header)?;
    let mut requeues: std::collections::HashMap<(u32, u64), Vec<f64>> =
        std::collections::HashMap::new();
    for &(r, id, day) in &results.requeues {
        requeues.entry((r, id)).or_default().push(day);
    }
    let day = |d: Option<f64>| d.map_or_else(String::new, number);
    for (replication, case) in &results.cases {
        let returned = requeues
            .get(&(*replication, case.id))
            .map(|days| {
                days.iter()
                    .map(|&d| number(d))
                    .collect::<Vec<_>>()
                    .join(";")
            })
            .unwrap_or_default();
        let mut row = vec![
            scenario.to_string(),
            replication.to_string(),
            case.id.to_string(),
            model.case_types[case.case_type].name.clone(),
            model.teams[case.team].name.clone(),
            case.historic.to_string(),
            case.arrival_priority.to_string(),
            case.priority.to_string(),
            number(case.arrival_day),
            day(case.allocated_day),
            day(case.completed_day),
            number(case.unallocated_days),
            case.waiting().to_string(),
            case.officer.map_or_else(String::new, |o| o.to_string()),
            returned,
        ];
        if withdrawal {
            row.push(day(case.withdrawn_day));
        }
        if outcomes {
            row.push(case.outcome.map_or("", |o| o.name()).to_string());
        }
        if triage {
            row.push(case.closed_at_triage.to_string());
        }
        if quality {
            row.push(
                case.requires_improvement
                    .map_or_else(String::new, |r| r.to_string()),
            );
        }
        w.write_record(row)?;
    }
    w.flush()?;
    Ok(())
}

/// Writes `compare.csv`: one row per option, team and KPI with the estimate over
/// replications ([`ESTIMATE_COLUMNS`]), and, for every option but the baseline (the first),
/// the difference from the baseline paired by replication with its 95 % interval and the
/// wider Welch interval the same replications would give without common random numbers.
pub fn write_compare<W: Write>(
    out: W,
    scenario: &str,
    options: &[String],
    comparison: &Comparison,
) -> Result<(), TableError> {
    let mut w = csv::Writer::from_writer(out);
    let mut header = vec!["scenario", "option", "baseline", "team", "kpi", "unit"];
    header.extend(ESTIMATE_COLUMNS);
    header.extend([
        "diff_mean",
        "diff_ci_lo",
        "diff_ci_hi",
        "diff_unpaired_ci_lo",
        "diff_unpaired_ci_hi",
        "label",
    ]);
    header.extend(PART_COLUMNS);
    w.write_record(&header)?;
    let baseline = options.first().map_or("", String::as_str);
    for (o, (name, results)) in options.iter().zip(&comparison.results).enumerate() {
        for (k, (def, e)) in results.kpi_defs.iter().zip(&results.kpis).enumerate() {
            let diff = comparison.differences.get(o).and_then(|d| d.get(k));
            let diff = |f: fn(&Difference) -> f64| match diff {
                Some(d) if o > 0 => number(f(d)),
                _ => String::new(),
            };
            let values: Vec<f64> = results.per_replication.iter().map(|r| r[k]).collect();
            let mut record = vec![
                scenario.to_string(),
                name.clone(),
                baseline.to_string(),
                team_cell(def.team.as_ref()).to_string(),
                def.name.clone(),
                def.unit.to_string(),
            ];
            record.extend(estimate_cells(e, &values));
            record.extend([
                diff(|d| d.paired.mean),
                diff(|d| d.paired.lo),
                diff(|d| d.paired.hi),
                diff(|d| d.unpaired.0),
                diff(|d| d.unpaired.1),
                def.label(),
            ]);
            record.extend(part_cells(def));
            w.write_record(&record)?;
        }
    }
    w.flush()?;
    Ok(())
}

/// Writes `cost_effectiveness.csv`: for every option but the baseline and each effect it
/// prices ([`caseload_experiment::EFFECTS`]), what it saves against the baseline (baseline
/// less option, paired), its extra cost (pounds) and extra officer-months, each with its 95 %
/// interval, and what it saves per GBP 1 m and per officer-month with Fieller's 95 % interval,
/// with in `*_note` how to read the ratio (a cheaper option's is what it gives up per unit
/// saved) or why none is quoted.
pub fn write_cost_effectiveness<W: Write>(
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
        "effect",
        "unit",
        "saved_mean",
        "saved_ci_lo",
        "saved_ci_hi",
        "extra_cost_mean",
        "extra_cost_ci_lo",
        "extra_cost_ci_hi",
        "extra_officer_months_mean",
        "extra_officer_months_ci_lo",
        "extra_officer_months_ci_hi",
        "saved_per_million",
        "saved_per_million_ci_lo",
        "saved_per_million_ci_hi",
        "saved_per_million_note",
        "saved_per_officer_month",
        "saved_per_officer_month_ci_lo",
        "saved_per_officer_month_ci_hi",
        "saved_per_officer_month_note",
    ])?;
    let baseline = options.first().map_or("", String::as_str);
    for c in &comparison.cost_effects {
        let mut record = vec![
            scenario.to_string(),
            options.get(c.option).cloned().unwrap_or_default(),
            baseline.to_string(),
            c.effect.clone(),
            c.unit.to_string(),
        ];
        for e in [&c.saved, &c.extra_cost, &c.extra_officer_months] {
            record.extend([number(e.mean), number(e.lo), number(e.hi)]);
        }
        for ratio in [&c.per_million, &c.per_officer_month] {
            let (lo, hi) = ratio.interval();
            record.extend([
                number(ratio.point()),
                number(lo),
                number(hi),
                ratio.reading().to_string(),
            ]);
        }
        w.write_record(&record)?;
    }
    w.flush()?;
    Ok(())
}

/// Writes `sweep.csv`: one row per point and KPI with the parameters' values and the
/// estimate over replications ([`ESTIMATE_COLUMNS`]). `values[p][r][k]` is KPI `k` of
/// replication `r` at point `p`.
pub fn write_sweep<W: Write>(
    out: W,
    scenario: &str,
    params: &[String],
    points: &[Vec<String>],
    kpis: &[KpiColumn],
    values: &[Vec<Vec<f64>>],
    reference: usize,
) -> Result<(), TableError> {
    let mut w = csv::Writer::from_writer(out);
    let mut header = vec!["scenario", "point"];
    header.extend(params.iter().map(String::as_str));
    header.extend(["kpi", "unit"]);
    header.extend(ESTIMATE_COLUMNS);
    header.extend(["reference", "diff_mean", "diff_ci_lo", "diff_ci_hi"]);
    w.write_record(&header)?;
    for (p, (point, replications)) in points.iter().zip(values).enumerate() {
        for (k, kpi) in kpis.iter().enumerate() {
            let column: Vec<f64> = replications.iter().map(|r| r[k]).collect();
            let e = Estimate::in_domain(column.iter().copied(), kpi.domain);
            let d = paired_difference(values, p, reference, k, kpi.domain);
            let mut record = vec![scenario.to_string(), p.to_string()];
            record.extend(point.iter().cloned());
            record.extend([kpi.name.clone(), kpi.unit.clone()]);
            record.extend(estimate_cells(&e, &column));
            record.push(reference.to_string());
            record.extend([number(d.mean), number(d.lo), number(d.hi)]);
            w.write_record(&record)?;
        }
    }
    w.flush()?;
    Ok(())
}

/// KPI `k` at point `p` less at point `reference`, replication by replication (common random
/// numbers pair them), with its interval in the difference's domain; unknown (no values)
/// when a replication's value at either point is not reached.
pub fn paired_difference(
    values: &[Vec<Vec<f64>>],
    p: usize,
    reference: usize,
    k: usize,
    domain: caseload_experiment::Domain,
) -> Estimate {
    let (here, there) = (&values[p], &values[reference.min(values.len() - 1)]);
    let pairs = || here.iter().zip(there).map(|(a, b)| (a[k], b[k]));
    if pairs().any(|(a, b)| a.is_infinite() || b.is_infinite()) {
        return Estimate::from_values(std::iter::empty());
    }
    Estimate::in_domain(pairs().map(|(a, b)| a - b), domain.of_difference())
}

#[cfg(test)]
mod tests {
    #[test]
    fn fields_quoted_once_read_as_the_csv_writer_writes_them() {
        let awkward = ["a,b", "say \"hi\"", "two\nlines", "", "plain", " spaced "];
        for first in awkward {
            for second in awkward {
                let mut whole = csv::Writer::from_writer(Vec::new());
                whole
                    .write_record([first, second, "x", "1.5"])
                    .expect("written");
                let whole = whole.into_inner().expect("flushed");
                let mut pieces = super::csv_fields(&[first, second, "x"]).expect("quoted");
                pieces.extend_from_slice(b",1.5\n");
                assert_eq!(pieces, whole, "{first:?} {second:?}");
            }
        }
    }

    #[test]
    fn four_decimals_are_the_standard_librarys_byte_for_byte() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(37);
        let check = |x: f64| {
            if x.is_finite() && x.fract() != 0.0 {
                assert_eq!(super::number(x), format!("{x:.4}"), "{x:e}");
            }
        };
        // Ties (k / 2^5 and the like round half to even), tiny values, the sign of zero.
        for x in [
            0.03125, 0.09375, -0.03125, 1.03125, 5e-5, 4.9999e-5, -1e-10, 1e-300, -0.0,
        ] {
            check(x);
        }
        for _ in 0..2_000_000 {
            // Any bit pattern, then values of every size a table holds.
            check(f64::from_bits(rng.random::<u64>()));
            let size = 10f64.powi(rng.random_range(-8..15));
            check(rng.random_range(-1.0..1.0) * size);
            // f32 values widened, as the daily bands are.
            check(f64::from(rng.random_range(-1e6f32..1e6)));
            // Near ties at the fourth decimal.
            let k = rng.random_range(0..20_000_000i64) as f64;
            check((k + 0.5) / 10_000.0);
            check(k / 32.0 + 1.0 / 64.0);
        }
    }
}
