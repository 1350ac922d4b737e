//! `caseload plot`: a results folder's charts redrawn from its own tables, without running
//! anything: a run's from `timeseries.csv`, a comparison's from `backlog.csv`, a sweep's from
//! `replications.csv`, a back-test's from `backtest.csv`, a fit's from `fan.csv`. The new
//! charts are drawn in a temporary folder beside the files and moved into place only when
//! every one is drawn.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use caseload_experiment::{Band, Command, Manifest, Metric, Observed};

use caseload_experiment::results::atomic::open_results_file;

use crate::backtest::backtest_chart;
use crate::charts::Marker;
use crate::fit::fit_chart;
use crate::folders::{
    FolderError, RunCharts, compare_chart, write_run_charts, write_sweep as write_sweep_folder,
};

/// A folder whose charts cannot be redrawn.
#[derive(Debug, thiserror::Error)]
pub enum ReplotError {
    /// No readable manifest.
    #[error("{folder}: not a results folder ({message})")]
    NotResults {
        /// The folder.
        folder: String,
        /// Why.
        message: String,
    },
    /// A table it needs is missing or malformed.
    #[error("{file}: {message}")]
    Table {
        /// The file.
        file: String,
        /// What is wrong.
        message: String,
    },
    /// Drawing or moving a chart failed.
    #[error(transparent)]
    Folder(#[from] FolderError),
    /// The command's folder has no charts.
    #[error("{0} results have no charts to redraw")]
    NoCharts(&'static str),
}

/// Rows of a CSV table: the header and the records.
struct Table {
    file: PathBuf,
    header: Vec<String>,
    records: Vec<csv::StringRecord>,
}

impl Table {
    fn read(file: PathBuf) -> Result<Self, ReplotError> {
        let fail = |message: String| ReplotError::Table {
            file: file.display().to_string(),
            message,
        };
        let mut reader = csv::Reader::from_reader(open_results_file(&file).map_err(fail)?);
        let header = reader
            .headers()
            .map_err(|e| fail(e.to_string()))?
            .iter()
            .map(str::to_string)
            .collect();
        let records = reader
            .records()
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| fail(e.to_string()))?;
        Ok(Self {
            file,
            header,
            records,
        })
    }

    /// The position of `column`, or an error naming it.
    fn column(&self, column: &str) -> Result<usize, ReplotError> {
        self.header
            .iter()
            .position(|h| h == column)
            .ok_or_else(|| ReplotError::Table {
                file: self.file.display().to_string(),
                message: format!("no `{column}` column"),
            })
    }

    /// The number in `record` at `column`: empty or unparsable is NaN.
    fn number(record: &csv::StringRecord, column: usize) -> f64 {
        record
            .get(column)
            .and_then(|v| v.parse().ok())
            .unwrap_or(f64::NAN)
    }
}

/// A band being read back, day by day.
#[derive(Default)]
struct BandRows {
    mean: Vec<f64>,
    lo: Vec<f64>,
    hi: Vec<f64>,
}

impl BandRows {
    fn push(&mut self, mean: f64, lo: f64, hi: f64) {
        self.mean.push(mean);
        self.lo.push(lo);
        self.hi.push(hi);
    }

    fn band(self) -> Band {
        Band {
            mean: self.mean,
            lo: self.lo,
            hi: self.hi,
        }
    }
}

/// Redraws the charts of the results in `folder`, marking the staffing actions its manifest
/// records. Returns the files redrawn.
pub fn replot(folder: &Path) -> Result<Vec<String>, ReplotError> {
    let manifest = Manifest::read(folder).map_err(|e| ReplotError::NotResults {
        folder: folder.display().to_string(),
        message: e.to_string(),
    })?;
    let markers: &[Marker] = manifest.markers.as_deref().unwrap_or_default();
    let scratch = caseload_experiment::results::folder::Scratch::create(
        &folder.join(format!(".plot.partial-{}", std::process::id())),
    )
    .map_err(|e| ReplotError::Table {
        file: folder.display().to_string(),
        message: e.to_string(),
    })?;
    let staging = scratch.path();
    let drawn = draw(folder, staging, &manifest, markers);
    let moved = drawn.and_then(|files| {
        for f in &files {
            std::fs::rename(staging.join(f), folder.join(f)).map_err(|e| ReplotError::Table {
                file: folder.join(f).display().to_string(),
                message: format!("cannot replace: {e}"),
            })?;
        }
        Ok(files)
    });
    drop(scratch);
    moved
}

fn draw(
    folder: &Path,
    staging: &Path,
    manifest: &Manifest,
    markers: &[Marker],
) -> Result<Vec<String>, ReplotError> {
    let file = |name: &str| staging.join(name);
    let files = match manifest.command {
        Command::Run => run_charts(folder, &file, manifest, markers)?,
        Command::Compare if !folder.join("backlog.csv").exists() => {
            return Err(ReplotError::NoCharts("compare --select"));
        }
        Command::Compare => compare_charts(folder, &file, manifest, markers)?,
        Command::Sweep | Command::Sensitivity => {
            let record = manifest
                .sweep
                .as_ref()
                .ok_or(ReplotError::NoCharts("sweep"))?;
            let rows = record
                .read_rows(&folder.join("replications.csv"), false)
                .map_err(|e| ReplotError::Table {
                    file: folder.join("replications.csv").display().to_string(),
                    message: e.to_string(),
                })?;
            let written = if record.sensitivity.is_some() {
                crate::sensitivity::write_sensitivity(&file, manifest, &rows)?
            } else {
                write_sweep_folder(&file, manifest, &rows)?
            };
            written
                .into_iter()
                .filter(|f| f.ends_with(".png") || f.ends_with(".svg"))
                .collect()
        }
        Command::Backtest => backtest_charts(folder, &file)?,
        Command::Fit => fit_charts(folder, &file)?,
        Command::Attribute => attribution_charts(folder, &file, manifest)?,
        Command::Optimise => return Err(ReplotError::NoCharts("optimise")),
        Command::Frontier => return Err(ReplotError::NoCharts("frontier (run it again)")),
        Command::Slurm => return Err(ReplotError::NoCharts("slurm")),
        Command::Calibrate => return Err(ReplotError::NoCharts("calibrate (run it again)")),
    };
    Ok(files)
}

fn run_charts(
    folder: &Path,
    file: &dyn Fn(&str) -> PathBuf,
    manifest: &Manifest,
    markers: &[Marker],
) -> Result<Vec<String>, ReplotError> {
    let daily = folder.join("timeseries.csv");
    if !daily.exists() && folder.join("timeseries.parquet").exists() {
        return Err(ReplotError::Table {
            file: daily.display().to_string(),
            message: "the folder holds the daily table as Parquet only; plot redraws from the \
                      CSV: run again with --format csv or --format both"
                .into(),
        });
    }
    let table = Table::read(daily)?;
    let (date, team, metric) = (
        table.column("date")?,
        table.column("team")?,
        table.column("metric")?,
    );
    let (mean, lo, hi) = (
        table.column("mean")?,
        table.column("band_lo")?,
        table.column("band_hi")?,
    );
    let mut dates: Vec<String> = Vec::new();
    let mut teams: Vec<String> = Vec::new();
    let mut rows: HashMap<(String, String), BandRows> = HashMap::new();
    // Where each all-teams metric first appears, for the order of the case types.
    let mut first_row: HashMap<String, usize> = HashMap::new();
    for (i, r) in table.records.iter().enumerate() {
        let (t, m) = (r.get(team).unwrap_or(""), r.get(metric).unwrap_or(""));
        if t == "all" {
            first_row.entry(m.to_string()).or_insert(i);
        }
        if t != "all" && !teams.iter().any(|x| x == t) {
            teams.push(t.to_string());
        }
        let series = rows.entry((t.to_string(), m.to_string())).or_default();
        if t == "all" && m == Metric::Unallocated.name() {
            dates.push(r.get(date).unwrap_or("").to_string());
        }
        series.push(
            Table::number(r, mean),
            Table::number(r, lo),
            Table::number(r, hi),
        );
    }
    let bands: HashMap<(String, String), Band> =
        rows.into_iter().map(|(k, v)| (k, v.band())).collect();
    let band = |t: Option<usize>, m: Metric| {
        let team = t.map_or("all", |t| teams[t].as_str());
        bands.get(&(team.to_string(), m.name().to_string()))
    };
    // The waiting cases of all teams by priority level and by case type, as `run` named them.
    let mut by_priority: Vec<(u8, String, &Band)> = Vec::new();
    let mut by_case_type: Vec<(String, &Band)> = Vec::new();
    for ((t, m), b) in &bands {
        if t != "all" {
            continue;
        }
        if let Some(level) = m.strip_prefix("unallocated_priority_")
            && let Ok(level) = level.parse::<u8>()
        {
            by_priority.push((level, crate::folders::priority_label(level), b));
        } else if let Some(name) = m.strip_prefix("unallocated_of_") {
            by_case_type.push((name.to_string(), b));
        }
    }
    by_priority.sort_by_key(|(level, _, _)| *level);
    // In the order the table lists them (the scenario's order).
    by_case_type.sort_by_key(|(name, _)| first_row.get(&format!("unallocated_of_{name}")).copied());
    let by_priority: Vec<(String, &Band)> =
        by_priority.into_iter().map(|(_, l, b)| (l, b)).collect();
    let label = manifest.label();
    Ok(write_run_charts(
        file,
        &RunCharts {
            label: &label,
            replications: manifest.replications,
            dates: &dates,
            markers,
            warmup_days: manifest.warmup_days,
            teams: &teams,
            band: &band,
            by_priority: &by_priority,
            by_case_type: &by_case_type,
            asked: &manifest.report.clone().unwrap_or_default(),
        },
    )?)
}

fn compare_charts(
    folder: &Path,
    file: &dyn Fn(&str) -> PathBuf,
    manifest: &Manifest,
    markers: &[Marker],
) -> Result<Vec<String>, ReplotError> {
    let table = Table::read(folder.join("backlog.csv"))?;
    let (option, date) = (table.column("option")?, table.column("date")?);
    let (mean, lo, hi) = (
        table.column("mean")?,
        table.column("band_lo")?,
        table.column("band_hi")?,
    );
    let mut order: Vec<String> = Vec::new();
    let mut rows: HashMap<String, BandRows> = HashMap::new();
    let mut dates: Vec<String> = Vec::new();
    for r in &table.records {
        let name = r.get(option).unwrap_or("").to_string();
        if !order.contains(&name) {
            order.push(name.clone());
        }
        if order.len() == 1 {
            dates.push(r.get(date).unwrap_or("").to_string());
        }
        rows.entry(name).or_default().push(
            Table::number(r, mean),
            Table::number(r, lo),
            Table::number(r, hi),
        );
    }
    let bands: Vec<(String, Band)> = order
        .into_iter()
        .filter_map(|n| rows.remove(&n).map(|b| (n, b.band())))
        .collect();
    let options: Vec<(String, &Band)> = bands.iter().map(|(n, b)| (n.clone(), b)).collect();
    compare_chart(
        file,
        &manifest.scenario,
        manifest.replications,
        &dates,
        &options,
        markers,
        manifest.warmup_days,
        &manifest.report.clone().unwrap_or_default(),
    )?;
    Ok(vec!["backlog.png".into(), "backlog.svg".into()])
}

fn backtest_charts(
    folder: &Path,
    file: &dyn Fn(&str) -> PathBuf,
) -> Result<Vec<String>, ReplotError> {
    let table = Table::read(folder.join("backtest.csv"))?;
    let (period, team, figure) = (
        table.column("period")?,
        table.column("team")?,
        table.column("figure")?,
    );
    let (observed, p05, p50, p95) = (
        table.column("observed")?,
        table.column("sim_p05")?,
        table.column("sim_p50")?,
        table.column("sim_p95")?,
    );
    let mut files = Vec::new();
    for kind in Observed::ALL {
        let mine: Vec<&csv::StringRecord> = table
            .records
            .iter()
            .filter(|r| r.get(team) == Some("all") && r.get(figure) == Some(kind.name()))
            .collect();
        if mine.is_empty() {
            continue;
        }
        let column = |c: usize| -> Vec<f64> { mine.iter().map(|r| Table::number(r, c)).collect() };
        let months: Vec<String> = mine
            .iter()
            .map(|r| r.get(period).unwrap_or("").to_string())
            .collect();
        let stem = backtest_chart(
            file,
            kind,
            &months,
            &column(observed),
            &column(p50),
            &column(p05),
            &column(p95),
        )?;
        files.push(format!("{stem}.png"));
        files.push(format!("{stem}.svg"));
    }
    Ok(files)
}

fn fit_charts(folder: &Path, file: &dyn Fn(&str) -> PathBuf) -> Result<Vec<String>, ReplotError> {
    let table = Table::read(folder.join("fan.csv"))?;
    let (series, start) = (table.column("series")?, table.column("period_start")?);
    let (observed, fitted, lo, hi) = (
        table.column("observed")?,
        table.column("fitted")?,
        table.column("predicted_p05")?,
        table.column("predicted_p95")?,
    );
    let mut order: Vec<String> = Vec::new();
    for r in &table.records {
        let name = r.get(series).unwrap_or("").to_string();
        if !order.contains(&name) {
            order.push(name);
        }
    }
    let mut files = Vec::new();
    for name in order {
        let mine: Vec<&csv::StringRecord> = table
            .records
            .iter()
            .filter(|r| r.get(series) == Some(name.as_str()))
            .collect();
        let periods: Vec<String> = mine
            .iter()
            .map(|r| r.get(start).unwrap_or("").to_string())
            .collect();
        let column = |c: usize| -> Vec<f64> { mine.iter().map(|r| Table::number(r, c)).collect() };
        let monthly = periods
            .windows(2)
            .any(|w| months_apart(&w[0], &w[1]) == Some(1));
        let granularity = if monthly {
            caseload_fit::Granularity::Monthly
        } else {
            caseload_fit::Granularity::Yearly
        };
        let stem = fit_chart(
            file,
            &name,
            granularity,
            &periods,
            [&column(observed), &column(fitted), &column(lo), &column(hi)],
        )?;
        files.push(format!("{stem}.png"));
        files.push(format!("{stem}.svg"));
    }
    Ok(files)
}

/// Calendar months from ISO date `a` to `b`.
fn months_apart(a: &str, b: &str) -> Option<i32> {
    let month = |d: &str| -> Option<i32> {
        let mut parts = d.split('-');
        let year: i32 = parts.next()?.parse().ok()?;
        let month: i32 = parts.next()?.parse().ok()?;
        Some(year * 12 + month)
    };
    Some(month(b)? - month(a)?)
}

fn attribution_charts(
    folder: &Path,
    file: &dyn Fn(&str) -> PathBuf,
    manifest: &Manifest,
) -> Result<Vec<String>, ReplotError> {
    let table = Table::read(folder.join("attribution.csv"))?;
    let (kpi, unit, item, measure, mean, lo, hi) = (
        table.column("kpi")?,
        table.column("unit")?,
        table.column("item")?,
        table.column("measure")?,
        table.column("mean")?,
        table.column("ci_lo")?,
        table.column("ci_hi")?,
    );
    let mut order: Vec<(String, String)> = Vec::new();
    for r in &table.records {
        let key = (
            r.get(kpi).unwrap_or("").to_string(),
            r.get(unit).unwrap_or("").to_string(),
        );
        if !order.contains(&key) {
            order.push(key);
        }
    }
    let label = manifest.label();
    let mut files = Vec::new();
    for (name, unit) in order {
        let mine: Vec<&csv::StringRecord> = table
            .records
            .iter()
            .filter(|r| r.get(kpi) == Some(name.as_str()))
            .collect();
        let value_of = |what: &str, how: &str| {
            mine.iter()
                .find(|r| r.get(item) == Some(what) && r.get(measure) == Some(how))
                .map_or(f64::NAN, |r| Table::number(r, mean))
        };
        let steps: Vec<(String, f64, f64, f64)> = mine
            .iter()
            .filter(|r| r.get(measure) == Some("shapley"))
            .map(|r| {
                let m = Table::number(r, mean);
                (
                    r.get(item).unwrap_or("").to_string(),
                    m,
                    Table::number(r, lo) - m,
                    Table::number(r, hi) - m,
                )
            })
            .collect();
        files.extend(crate::attribution::waterfall(
            file,
            &label,
            &name,
            &unit,
            value_of(crate::attribution::WITHOUT, "value"),
            &steps,
            value_of(crate::attribution::PACKAGE, "value"),
        )?);
    }
    Ok(files)
}
