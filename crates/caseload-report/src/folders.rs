//! What each command writes into its results folder: which tables, which charts and how
//! they are titled. Each writer takes `file`, which gives the path of a file in the folder
//! being written, and returns the names of the files it wrote, for the manifest.

use std::fs::File;
use std::io::{BufWriter, Write as _};
use std::path::{Path, PathBuf};

use caseload_experiment::{
    Band, Comparison, Domain, Estimate, KpiColumn, Manifest, Metric, ReportAsk, Results, Rows,
    Target,
};
use caseload_model::{ModelConfig, Source};

use crate::charts::{Chart, ChartError, Heatmap, Line, Marker, SmallMultiples, SweepChart};
use crate::columnar::TableFormat;
use crate::format::number;
use crate::tables::{self, TableError};
use rayon::prelude::*;

/// A results file could not be written.
#[derive(Debug, thiserror::Error)]
pub enum FolderError {
    /// A file could not be created or written (a full disk, a broken device).
    #[error("writing {}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A chart could not be drawn.
    #[error(transparent)]
    Chart(#[from] ChartError),
    /// The results lack a series a chart draws.
    #[error("the results have no `{0}` series")]
    MissingSeries(String),
    /// The manifest does not describe what is written.
    #[error("the manifest {0}")]
    Manifest(String),
}

/// The path of a file in the folder being written.
pub type FileIn<'a> = &'a dyn Fn(&str) -> PathBuf;

/// Writes the file at `path` with `write`, naming the file in any error.
pub fn write_file<E>(
    path: &Path,
    write: impl FnOnce(BufWriter<File>) -> Result<(), E>,
) -> Result<(), FolderError>
where
    E: std::error::Error + Send + Sync + 'static,
{
    let failed = |source: Box<dyn std::error::Error + Send + Sync>| FolderError::Write {
        path: path.to_path_buf(),
        source,
    };
    let file = File::create(path).map_err(|e| failed(Box::new(e)))?;
    write(BufWriter::new(file)).map_err(|e| failed(Box::new(e)))
}

/// Writes the copy of `command`'s input (the scenario's text, or the counts') into the folder,
/// so the folder shows what it was made from without the original file; returns its name.
pub fn write_input_copy(
    file: FileIn,
    command: caseload_experiment::Command,
    input: &str,
) -> Result<String, FolderError> {
    let name = command.input_copy();
    write_file(&file(name), |mut w| -> Result<(), std::io::Error> {
        w.write_all(input.as_bytes())?;
        w.flush()
    })?;
    Ok(name.to_string())
}

/// Writes the final files of a whole sweep (or of one shard): `replications.csv` in point
/// order with its checksum in the manifest, for a whole sweep its tables and charts, the copy
/// of its scenario (`input`, if known), then `manifest.json`.
pub fn write_sweep_results(
    file: FileIn,
    manifest: &mut Manifest,
    rows: &caseload_experiment::Rows,
    input: Option<&str>,
) -> Result<(), FolderError> {
    let record = manifest.sweep.as_mut().ok_or_else(|| FolderError::Write {
        path: file("manifest.json"),
        source: "a sweep's manifest has no sweep record".into(),
    })?;
    record.rows = caseload_experiment::write_rows(record, &file("replications.csv"), rows)
        .map_err(|e| FolderError::Write {
            path: file("replications.csv"),
            source: Box::new(e),
        })?;
    let mut files = vec!["replications.csv".to_string()];
    if record.shard.is_none() {
        if record.sensitivity.is_some() {
            files.extend(crate::sensitivity::write_sensitivity(file, manifest, rows)?);
        } else {
            files.extend(write_sweep(file, manifest, rows)?);
        }
    }
    if let Some(input) = input {
        files.push(write_input_copy(
            file,
            caseload_experiment::Command::Sweep,
            input,
        )?);
    }
    manifest.files = files;
    write_manifest(file, manifest)
}

/// Writes `manifest.json`.
pub fn write_manifest(file: FileIn, manifest: &Manifest) -> Result<(), FolderError> {
    manifest
        .write(&file("manifest.json"))
        .map_err(|e| FolderError::Write {
            path: file("manifest.json"),
            source: Box::new(e),
        })
}

/// A chart's files: `stem.png` and `stem.svg`.
fn chart_files(stem: &str) -> [String; 2] {
    [format!("{stem}.png"), format!("{stem}.svg")]
}

/// A line with its 5-95 % band.
pub fn with_band<'a>(label: &str, b: &'a Band) -> Line<'a> {
    Line {
        label: label.to_string(),
        mean: &b.mean,
        band: Some((&b.lo[..], &b.hi[..])),
    }
}

/// What a run's charts are drawn from: its daily bands, by team and metric, from the run
/// itself or read back from `timeseries.csv` (`caseload plot`).
pub struct RunCharts<'a> {
    /// `scenario` or `scenario/variant`.
    pub label: &'a str,
    /// Replications behind the bands.
    pub replications: u32,
    /// The calendar date of each day of the run.
    pub dates: &'a [String],
    /// Its staffing actions.
    pub markers: &'a [Marker],
    /// Days at the start left out of the KPIs (shaded).
    pub warmup_days: f64,
    /// The waiting cases of all teams by priority level (label, band), when weighed.
    pub by_priority: &'a [(String, &'a Band)],
    /// The waiting cases of all teams by case type (label, band), when weighed.
    pub by_case_type: &'a [(String, &'a Band)],
    /// The teams, in order.
    pub teams: &'a [String],
    /// The band of a metric for a team (`None`: all teams).
    pub band: &'a dyn Fn(Option<usize>, Metric) -> Option<&'a Band>,
    /// What the scenario asks of its reports: the decision period, the money unit, the
    /// teams' scales.
    pub asked: &'a ReportAsk,
}

/// Draws a run's charts: the backlog, caseloads, officers by source, the waiting list's age,
/// the cost, and the backlog of each team; returns the files written.
pub fn write_run_charts(file: FileIn, run: &RunCharts) -> Result<Vec<String>, FolderError> {
    let RunCharts {
        label,
        replications: reps,
        dates,
        markers,
        warmup_days,
        teams,
        band: band_of,
        by_priority,
        by_case_type,
        asked,
    } = *run;
    let period = asked.period_days(dates);
    let own_scales = asked.own_scales;
    let money = asked.money;
    let band = |metric: Metric| -> Result<&Band, FolderError> {
        band_of(None, metric).ok_or_else(|| FolderError::MissingSeries(metric.name().into_owned()))
    };
    // Money in the scenario's unit.
    let cost = {
        let pounds = band(Metric::CostToDate)?;
        let scale = |v: &[f64]| v.iter().map(|x| x / money.pounds()).collect();
        Band {
            mean: scale(&pounds.mean),
            lo: scale(&pounds.lo),
            hi: scale(&pounds.hi),
        }
    };
    let officers: Vec<Line> = [
        ("all sources", Metric::Officers),
        ("establishment", Metric::OfficersFrom(Source::Establishment)),
        (
            "overstaff (posted above establishment)",
            Metric::OfficersFrom(Source::Overstaff),
        ),
        ("transfer", Metric::OfficersFrom(Source::Transfer)),
        ("attachment", Metric::OfficersFrom(Source::Attachment)),
        ("agency", Metric::OfficersFrom(Source::Agency)),
        ("redeployed", Metric::OfficersFrom(Source::Redeployed)),
        (
            "of whom not at work: course or training",
            Metric::InTraining,
        ),
    ]
    .into_iter()
    .map(|(l, m)| Ok((l, m, band(m)?)))
    .collect::<Result<Vec<_>, FolderError>>()?
    .into_iter()
    .filter(|(_, m, b)| b.hi.iter().any(|&x| x > 0.0) || *m == Metric::Officers)
    .map(|(l, _, b)| Line {
        label: l.to_string(),
        mean: &b.mean,
        band: None,
    })
    .collect();
    let mut charts: Vec<(&str, Chart)> = vec![
        (
            "backlog",
            Chart {
                title: format!(
                    "{label}: unallocated cases (mean, 5-95 % band over {reps} replications)"
                ),
                y_label: "unallocated cases".into(),
                dates,
                lines: vec![with_band("unallocated", band(Metric::Unallocated)?)],
                markers,
                warmup_days,
                stacked: false,
                context: Vec::new(),
                period,
            },
        ),
        (
            "caseload",
            Chart {
                title: format!("{label}: open cases per investigator at work"),
                y_label: "cases per investigator".into(),
                dates,
                lines: vec![with_band("mean caseload", band(Metric::MeanCaseload)?)],
                markers,
                warmup_days,
                stacked: false,
                context: Vec::new(),
                period,
            },
        ),
        (
            "officers",
            Chart {
                title: format!(
                    "{label}: officers in post by source (mean over {reps} replications)"
                ),
                y_label: "officers".into(),
                dates,
                lines: officers,
                markers,
                warmup_days,
                stacked: false,
                context: Vec::new(),
                period,
            },
        ),
        (
            "waiting_age",
            Chart {
                title: format!("{label}: age of the cases waiting for an officer"),
                y_label: "days since referral".into(),
                dates,
                lines: vec![
                    with_band("median age", band(Metric::WaitingAgeMedian)?),
                    with_band("90th percentile age", band(Metric::WaitingAgeP90)?),
                ],
                markers,
                warmup_days,
                stacked: false,
                context: Vec::new(),
                period,
            },
        ),
        (
            "cost",
            Chart {
                title: format!("{label}: staffing cost since the start"),
                y_label: money.name().into(),
                dates,
                lines: vec![with_band("cost to date", &cost)],
                markers,
                warmup_days,
                stacked: false,
                context: Vec::new(),
                period,
            },
        ),
    ];
    for (stem, by, groups) in [
        ("backlog_by_priority", "priority", by_priority),
        ("backlog_by_case_type", "case type", by_case_type),
    ] {
        if groups.is_empty() {
            continue;
        }
        charts.push((
            stem,
            Chart {
                title: format!(
                    "{label}: unallocated cases by {by}, stacked (mean over {reps} replications)"
                ),
                y_label: "unallocated cases".into(),
                dates,
                lines: groups
                    .iter()
                    .map(|(name, band)| Line {
                        label: name.clone(),
                        mean: &band.mean,
                        band: None,
                    })
                    .collect(),
                markers,
                warmup_days,
                stacked: true,
                context: Vec::new(),
                period,
            },
        ));
    }
    let panels: Vec<(String, &Band)> = teams
        .iter()
        .enumerate()
        .filter_map(|(t, name)| Some((name.clone(), band_of(Some(t), Metric::Unallocated)?)))
        .collect();
    let by_team = (teams.len() > 1).then(|| SmallMultiples {
        title: format!(
            "{label}: unallocated cases by team (mean, 5-95 % band; {})",
            if own_scales {
                "each panel on its own scale"
            } else {
                "one scale for every panel"
            }
        ),
        dates,
        panels: &panels,
        markers,
        warmup_days,
        own_scales,
        period,
    });
    // The charts are drawn in parallel: each is its own pair of files, so the bytes do not
    // depend on the order they are drawn in.
    let paths: Vec<PathBuf> = charts.iter().map(|(stem, _)| file(stem)).collect();
    let team_path = file("backlog_by_team");
    let (drawn, team_drawn) = rayon::join(
        || {
            charts
                .par_iter()
                .zip(&paths)
                .map(|((_, chart), path)| chart.write(path))
                .collect::<Vec<_>>()
        },
        || by_team.as_ref().map(|m| m.write(&team_path)),
    );
    let mut files = Vec::new();
    for ((stem, _), result) in charts.iter().zip(drawn) {
        result?;
        files.extend(chart_files(stem));
    }
    if let Some(result) = team_drawn {
        result?;
        files.extend(chart_files("backlog_by_team"));
    }
    Ok(files)
}

/// How a priority level reads in a chart's key: 0 is the most urgent.
pub(crate) fn priority_label(level: caseload_model::Priority) -> String {
    if level == 0 {
        "priority 0 (most urgent)".into()
    } else {
        format!("priority {level}")
    }
}

/// What `caseload run` writes.
pub struct RunFolder<'a> {
    /// `scenario` or `scenario/variant`.
    pub label: &'a str,
    /// The option's name in `replications.csv` (the variant, or `base`).
    pub option: &'a str,
    /// The calendar date of each day of the run.
    pub dates: &'a [String],
    /// The model run.
    pub model: &'a ModelConfig,
    /// Its results.
    pub results: &'a Results,
    /// Its staffing actions.
    pub markers: &'a [Marker],
    /// Whether to write `cases.csv`.
    pub cases: bool,
    /// Days at the start left out of the KPIs (shaded on the charts).
    pub warmup_days: f64,
    /// What the scenario asks of its reports (the charts' period and money unit).
    pub asked: &'a ReportAsk,
    /// The format of the daily and per-replication tables.
    pub format: TableFormat,
}

/// Writes a run's tables and charts; returns the files written.
pub fn write_run(file: FileIn, run: &RunFolder) -> Result<Vec<String>, FolderError> {
    let RunFolder {
        label,
        option,
        dates,
        model,
        results,
        markers,
        cases,
        warmup_days,
        asked,
        format,
    } = *run;
    let mut files = vec!["summary.csv".to_string(), "monthly.csv".to_string()];
    write_file(&file("summary.csv"), |w| {
        tables::write_summary(w, label, results)
    })?;
    if format.csv() {
        write_file(&file("replications.csv"), |w| {
            tables::write_replications(w, label, &[(option, results)])
        })?;
        write_file(&file("timeseries.csv"), |w| {
            tables::write_timeseries(w, label, dates, model, results)
        })?;
        files.extend(["replications.csv".to_string(), "timeseries.csv".to_string()]);
    }
    if format.parquet() {
        write_file(&file("replications.parquet"), |w| {
            crate::columnar::write_replications_parquet(w, label, &[(option, results)])
        })?;
        write_file(&file("timeseries.parquet"), |w| {
            crate::columnar::write_timeseries_parquet(w, label, dates, model, results)
        })?;
        files.extend([
            "replications.parquet".to_string(),
            "timeseries.parquet".to_string(),
        ]);
    }
    write_file(&file("monthly.csv"), |w| {
        tables::write_monthly(w, label, dates, model, results)
    })?;
    if cases {
        write_file(&file("cases.csv"), |w| {
            tables::write_cases(w, label, model, results)
        })?;
        files.push("cases.csv".into());
    }
    let teams: Vec<String> = model.teams.iter().map(|t| t.name.clone()).collect();
    let type_names = caseload_experiment::case_type_names(model);
    let (mut by_priority, mut by_case_type) = (Vec::new(), Vec::new());
    for (def, band) in results.series_defs.iter().zip(&results.bands) {
        match (def.team, def.metric) {
            (None, Metric::UnallocatedAtPriority(p)) => {
                by_priority.push((priority_label(p), band));
            }
            (None, Metric::UnallocatedOfType(k)) => {
                let name = type_names.get(usize::from(k)).cloned().unwrap_or_default();
                by_case_type.push((name, band));
            }
            _ => {}
        }
    }
    files.extend(write_run_charts(
        file,
        &RunCharts {
            label,
            replications: results.replications,
            dates,
            markers,
            warmup_days,
            teams: &teams,
            band: &|team, metric| results.band(team, metric),
            by_priority: &by_priority,
            by_case_type: &by_case_type,
            asked,
        },
    )?);
    Ok(files)
}

/// Most options a comparison's chart draws in colour: beyond, the baseline and the best and
/// worst few are drawn in colour over the others in grey.
pub const MOST_COLOURED_OPTIONS: usize = 6;

/// The options a comparison's chart draws in colour, in the order given: every option when
/// there are at most [`MOST_COLOURED_OPTIONS`], otherwise the baseline (the first) and the
/// two with the fewest and the one with the most unallocated cases on the last day.
pub fn coloured_options(last_day: &[f64]) -> Vec<usize> {
    if last_day.len() <= MOST_COLOURED_OPTIONS {
        return (0..last_day.len()).collect();
    }
    let mut ranked: Vec<usize> = (1..last_day.len()).collect();
    ranked.sort_by(|&a, &b| last_day[a].total_cmp(&last_day[b]).then(a.cmp(&b)));
    let mut chosen = vec![0];
    chosen.extend(ranked.iter().take(2));
    chosen.extend(ranked.last());
    chosen.sort_unstable();
    chosen.dedup();
    chosen
}

/// Draws a comparison's chart, `backlog.png/svg`: each option's unallocated cases; with
/// more than [`MOST_COLOURED_OPTIONS`] options, the baseline, best and worst in colour over
/// the rest in grey (see [`coloured_options`]).
#[allow(clippy::too_many_arguments)]
pub fn compare_chart(
    file: FileIn,
    scenario: &str,
    replications: u32,
    dates: &[String],
    options: &[(String, &Band)],
    markers: &[Marker],
    warmup_days: f64,
    asked: &ReportAsk,
) -> Result<(), FolderError> {
    let last_day: Vec<f64> = options
        .iter()
        .map(|(_, band)| band.mean.last().copied().unwrap_or(f64::NAN))
        .collect();
    let coloured = coloured_options(&last_day);
    let lines: Vec<Line> = coloured
        .iter()
        .map(|&o| with_band(&options[o].0, options[o].1))
        .collect();
    let context: Vec<Line> = (0..options.len())
        .filter(|o| !coloured.contains(o))
        .map(|o| Line {
            label: options[o].0.clone(),
            mean: &options[o].1.mean,
            band: None,
        })
        .collect();
    let drawn = if crate::charts::shows_bands(lines.len(), false) {
        "mean, 5-95 % band"
    } else {
        "means"
    };
    let title = if context.is_empty() {
        format!(
            "{scenario}: unallocated cases by option ({drawn} over {replications} replications)"
        )
    } else {
        format!(
            "{scenario}: unallocated cases, the baseline, best and worst of {} options ({drawn} \
             over {replications} replications)",
            options.len()
        )
    };
    Chart {
        title,
        y_label: "unallocated cases".into(),
        dates,
        lines,
        markers,
        warmup_days,
        stacked: false,
        context,
        period: asked.period_days(dates),
    }
    .write(&file("backlog"))?;
    Ok(())
}

/// What `caseload compare` writes.
pub struct CompareFolder<'a> {
    /// The scenario's name.
    pub scenario: &'a str,
    /// The options' names, the baseline first.
    pub names: &'a [String],
    /// Their results and paired differences.
    pub comparison: &'a Comparison,
    /// The calendar date of each day of the longest run.
    pub dates: &'a [String],
    /// Every option's staffing actions, each once.
    pub markers: &'a [Marker],
    /// Days at the start left out of the KPIs (shaded on the chart).
    pub warmup_days: f64,
    /// What the scenario asks of its reports (the chart's period).
    pub asked: &'a ReportAsk,
    /// The format of the per-replication table.
    pub format: TableFormat,
}

/// Writes a comparison's tables and chart; returns the files written.
pub fn write_compare(file: FileIn, compare: &CompareFolder) -> Result<Vec<String>, FolderError> {
    let CompareFolder {
        scenario,
        names,
        comparison,
        dates,
        markers,
        warmup_days,
        asked,
        format,
    } = *compare;
    write_file(&file("compare.csv"), |w| {
        tables::write_compare(w, scenario, names, comparison)
    })?;
    write_file(&file("cost_effectiveness.csv"), |w| {
        tables::write_cost_effectiveness(w, scenario, names, comparison)
    })?;
    let options: Vec<(&str, &Results)> = names
        .iter()
        .map(String::as_str)
        .zip(&comparison.results)
        .collect();
    let mut files: Vec<String> = ["compare.csv", "cost_effectiveness.csv", "backlog.csv"]
        .map(String::from)
        .into();
    if format.csv() {
        write_file(&file("replications.csv"), |w| {
            tables::write_replications(w, scenario, &options)
        })?;
        files.push("replications.csv".into());
    }
    if format.parquet() {
        write_file(&file("replications.parquet"), |w| {
            crate::columnar::write_replications_parquet(w, scenario, &options)
        })?;
        files.push("replications.parquet".into());
    }
    let mut backlog = Vec::new();
    for (name, results) in names.iter().zip(&comparison.results) {
        let band = results
            .total_band(Metric::Unallocated)
            .ok_or_else(|| FolderError::MissingSeries(Metric::Unallocated.name().into_owned()))?;
        backlog.push((name, band));
    }
    write_file(&file("backlog.csv"), |w| -> Result<(), csv::Error> {
        let mut csv = csv::Writer::from_writer(w);
        csv.write_record(["option", "day", "date", "mean", "band_lo", "band_hi"])?;
        for (name, band) in &backlog {
            for (day, date) in dates.iter().enumerate().take(band.mean.len()) {
                csv.write_record([
                    name.as_str(),
                    &day.to_string(),
                    date,
                    &number(band.mean[day]),
                    &number(band.lo[day]),
                    &number(band.hi[day]),
                ])?;
            }
        }
        csv.flush()?;
        Ok(())
    })?;
    let bands: Vec<(String, &Band)> = backlog
        .iter()
        .map(|(name, band)| ((*name).clone(), *band))
        .collect();
    compare_chart(
        file,
        scenario,
        comparison.results.first().map_or(0, |r| r.replications),
        dates,
        &bands,
        markers,
        warmup_days,
        asked,
    )?;
    files.extend(chart_files("backlog"));
    Ok(files)
}

/// The estimate of KPI `k` at each point of a sweep.
pub fn sweep_estimates(manifest: &Manifest, rows: &Rows, k: usize) -> Vec<Estimate> {
    let Some(record) = &manifest.sweep else {
        return Vec::new();
    };
    let domain = record.kpis.get(k).map_or(Domain::Real, |c| c.domain);
    (0..record.points)
        .map(|p| {
            Estimate::in_domain(
                rows.range((p, 0)..=(p, u32::MAX)).map(|(_, kpis)| kpis[k]),
                domain,
            )
        })
        .collect()
}

/// Writes a whole sweep's `sweep.csv` and its chart (a KPI against one parameter, a heatmap
/// of two, none for more); returns the files written. `replications.csv` is the store's.
pub fn write_sweep(
    file: FileIn,
    manifest: &Manifest,
    rows: &Rows,
) -> Result<Vec<String>, FolderError> {
    let record = manifest
        .sweep
        .as_ref()
        .ok_or_else(|| FolderError::Manifest("describes no sweep".into()))?;
    let label = manifest.label();
    let values: Vec<Vec<Vec<f64>>> = (0..record.points)
        .map(|p| {
            rows.range((p, 0)..=(p, u32::MAX))
                .map(|(_, kpis)| kpis.clone())
                .collect()
        })
        .collect();
    let params = record.params.paths();
    let points: Vec<Vec<String>> = (0..record.points)
        .map(|p| {
            record
                .params
                .point(p)
                .iter()
                .map(ToString::to_string)
                .collect()
        })
        .collect();
    write_file(&file("sweep.csv"), |w| {
        tables::write_sweep(
            w,
            &label,
            &params,
            &points,
            &record.kpis,
            &values,
            record.reference,
        )
    })?;
    let mut files = vec!["sweep.csv".to_string()];
    let k = record
        .kpis
        .iter()
        .position(|e| e.name == record.chart_kpi)
        .ok_or_else(|| {
            FolderError::Manifest("names a chart KPI that is not among its KPIs".into())
        })?;
    let KpiColumn { unit, .. } = &record.kpis[k];
    let estimates = sweep_estimates(manifest, rows, k);
    let target: Option<Target> = record.target.as_deref().and_then(|t| t.parse().ok());
    let title = |by: &str| {
        format!(
            "{label}: {} by {by} (mean{} over {} replications)",
            record.chart_kpi,
            if record.params.axes.len() == 1 {
                ", 95 % CI"
            } else {
                ""
            },
            manifest.replications
        )
    };
    match &record.params.axes[..] {
        [only] => {
            let mut order: Vec<usize> = (0..record.points).collect();
            order.sort_by(|&a, &b| only.values[a].as_f64().total_cmp(&only.values[b].as_f64()));
            let pick = |f: fn(&Estimate) -> f64| -> Vec<f64> {
                order.iter().map(|&p| f(&estimates[p])).collect()
            };
            let x: Vec<f64> = order.iter().map(|&p| only.values[p].as_f64()).collect();
            // Dates are labelled as dates.
            let x_labels: Option<Vec<String>> = only
                .values
                .iter()
                .any(|v| v.is_date())
                .then(|| order.iter().map(|&p| only.values[p].to_string()).collect());
            SweepChart {
                title: title(&only.path),
                x_label: only.path.clone(),
                y_label: format!("{} ({unit})", record.chart_kpi),
                x: &x,
                mean: &pick(|e| e.mean),
                lo: &pick(|e| e.lo),
                hi: &pick(|e| e.hi),
                target: target.as_ref().map(|t| (t.value, format!("target: {t}"))),
                x_labels: x_labels.clone(),
                legend: None,
                more: Vec::new(),
            }
            .write(&file("sweep"))?;
            files.extend(chart_files("sweep"));
            let diffs: Vec<Estimate> = order
                .iter()
                .map(|&p| {
                    tables::paired_difference(
                        &values,
                        p,
                        record.reference,
                        k,
                        record.kpis[k].domain,
                    )
                })
                .collect();
            let pick = |f: fn(&Estimate) -> f64| -> Vec<f64> { diffs.iter().map(f).collect() };
            SweepChart {
                title: format!(
                    "{label}: {} less at {} = {} (paired by replication, 95 % CI)",
                    record.chart_kpi, only.path, only.values[record.reference]
                ),
                x_label: only.path.clone(),
                y_label: format!("difference in {} ({unit})", record.chart_kpi),
                x: &x,
                mean: &pick(|e| e.mean),
                lo: &pick(|e| e.lo),
                hi: &pick(|e| e.hi),
                target: Some((0.0, "no difference".to_string())),
                x_labels: x_labels.clone(),
                legend: None,
                more: Vec::new(),
            }
            .write(&file("sweep_difference"))?;
            files.extend(chart_files("sweep_difference"));
        }
        [rows_axis, columns_axis] => {
            let text = |a: &caseload_experiment::Axis| -> Vec<String> {
                a.values.iter().map(ToString::to_string).collect()
            };
            let cells: Vec<f64> = estimates.iter().map(|e| e.mean).collect();
            Heatmap {
                title: title(&format!("{} and {}", rows_axis.path, columns_axis.path)),
                x_label: columns_axis.path.clone(),
                y_label: rows_axis.path.clone(),
                x_values: &text(columns_axis),
                y_values: &text(rows_axis),
                cells: &cells,
                target: target.as_ref().map(|t| {
                    let meets = cells
                        .iter()
                        .map(|&m| t.relation.holds(m, t.value))
                        .collect();
                    (meets, t.to_string())
                }),
            }
            .write(&file("sweep"))?;
            files.extend(chart_files("sweep"));
            let diffs: Vec<f64> = (0..record.points)
                .map(|p| {
                    tables::paired_difference(
                        &values,
                        p,
                        record.reference,
                        k,
                        record.kpis[k].domain,
                    )
                    .mean
                })
                .collect();
            let at = record
                .params
                .point(record.reference)
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ");
            Heatmap {
                title: format!(
                    "{label}: {} less at ({at}), paired by replication",
                    record.chart_kpi
                ),
                x_label: columns_axis.path.clone(),
                y_label: rows_axis.path.clone(),
                x_values: &text(columns_axis),
                y_values: &text(rows_axis),
                cells: &diffs,
                target: None,
            }
            .write(&file("sweep_difference"))?;
            files.extend(chart_files("sweep_difference"));
        }
        _ => {}
    }
    Ok(files)
}

/// One value an optimisation ran.
#[derive(Debug, Clone, Copy)]
pub struct TraceStep {
    /// The lever's value (a date as its Julian day).
    pub value: f64,
    /// The judgement there, with its evidence.
    pub judgement: caseload_experiment::Judgement,
}

/// Writes an optimisation's `trace.csv`, a row per value run in the order run; returns the
/// files written.
pub fn write_trace(
    file: FileIn,
    lever: &str,
    kpi: &str,
    trace: &[TraceStep],
    value_text: &dyn Fn(f64) -> String,
) -> Result<Vec<String>, FolderError> {
    write_file(&file("trace.csv"), |w| -> Result<(), TableError> {
        let mut csv = csv::Writer::from_writer(w);
        csv.write_record([
            "step",
            "lever",
            "value",
            "kpi",
            "n",
            "mean",
            "ci_lo",
            "ci_hi",
            "share_meeting",
            "bound",
            "met",
        ])?;
        for (i, step) in trace.iter().enumerate() {
            let e = &step.judgement;
            csv.write_record([
                &i.to_string(),
                lever,
                &value_text(step.value),
                kpi,
                &e.estimate.n.to_string(),
                &number(e.estimate.mean),
                &number(e.estimate.lo),
                &number(e.estimate.hi),
                &number(e.share),
                &number(e.bound),
                &e.met.to_string(),
            ])?;
        }
        csv.flush()?;
        Ok(())
    })?;
    Ok(vec!["trace.csv".into()])
}

#[cfg(test)]
mod tests {
    use super::coloured_options;

    #[test]
    fn a_few_options_are_all_coloured_and_many_keep_the_baseline_best_and_worst() {
        assert_eq!(coloured_options(&[5.0, 1.0, 9.0]), vec![0, 1, 2]);
        assert_eq!(coloured_options(&[1.0; 6]), (0..6).collect::<Vec<_>>());
        // Baseline 0; fewest waiting 5 (1.0) and 2 (2.0); most 7 (90.0).
        let last_day = [50.0, 30.0, 2.0, 40.0, 60.0, 1.0, 70.0, 90.0, 20.0];
        assert_eq!(coloured_options(&last_day), vec![0, 2, 5, 7]);
        // A baseline that is also the best is drawn once.
        let last_day = [0.0, 30.0, 2.0, 40.0, 60.0, 1.0, 70.0, 90.0];
        assert_eq!(coloured_options(&last_day), vec![0, 2, 5, 7]);
    }
}
