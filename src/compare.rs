//! `caseload compare`: a scenario's options (as written and its variants) run with common
//! random numbers; a table and `compare.csv` with each option's KPIs and its paired difference
//! from the baseline, and the backlog curves overlaid on one chart.

use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use caseload_experiment::Comparison;
use caseload_report::{Chart, Marker, number};
use caseload_scenario::{RunPlan, Scenario};

use crate::output::{OutputDir, check_target, lock_folder, sha256_of_file, write_table};
use crate::run::with_band;
use crate::terminal::{progress_bar, with_interval};

/// The name that stands for the scenario as written among `--variants`.
pub const AS_WRITTEN: &str = "base";

/// KPIs shown on the terminal (all are in compare.csv).
const HEADLINE: [&str; 6] = [
    "backlog_end",
    "backlog_peak",
    "days_to_allocate_mean",
    "days_to_allocate_p90",
    "share_allocated_within_target",
    "cost",
];

/// Arguments of `caseload compare`.
#[derive(Debug, clap::Args)]
pub struct CompareArgs {
    /// Scenario file (TOML).
    pub scenario: PathBuf,
    /// Options to compare, comma-separated; the first is the baseline. `base` is the scenario
    /// as written [default: base, then every variant].
    #[arg(long, value_name = "A,B,...", value_delimiter = ',')]
    pub variants: Option<Vec<String>>,
    /// Replications per option [default: the scenario's `replications`].
    #[arg(long, value_name = "N")]
    pub reps: Option<u32>,
    /// Seed of the random streams, shared by every option [default: the scenario's `seed`].
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// Output folder [default: results/<scenario name>.compare].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Replace the output folder if it exists.
    #[arg(long)]
    pub force: bool,
    /// Bounds on what a run may take.
    #[command(flatten)]
    pub limits: crate::limits::LimitArgs,
}

/// Runs the command; returns the text for stdout.
pub fn run(args: &CompareArgs) -> anyhow::Result<String> {
    let scenario = caseload_scenario::load(&args.scenario)?;
    let (names, plans) = options(&scenario, args.variants.as_deref())?;
    let base = &scenario.base;
    let replications = args.reps.unwrap_or(base.replications);
    if replications < 2 {
        bail!("--reps must be at least 2 for confidence intervals of differences");
    }
    let seed = args.seed.unwrap_or(base.seed);
    let target = args
        .out
        .clone()
        .unwrap_or_else(|| Path::new("results").join(format!("{}.compare", base.scenario)));
    let lock = lock_folder(&target)?;
    check_target(&target, args.force)?;
    let designs: Vec<_> = plans
        .iter()
        .map(|p| p.design(false, args.limits.limits()))
        .collect();
    let progress = progress_bar(u64::from(replications) * designs.len() as u64);
    let comparison = caseload_experiment::compare(&designs, seed, replications, &|| {
        progress.inc(1);
    })
    .context("running the options")?;
    progress.finish_and_clear();

    let out = OutputDir::create(&target, args.force, lock)?;
    write_outputs(&out, base, &names, &plans, &comparison, args)?;
    let written = out.finish()?;
    Ok(summary_text(base, &names, &comparison, &written))
}

/// The options named in `wanted` (or all), with their plans; names checked and unique.
fn options<'a>(
    scenario: &'a Scenario,
    wanted: Option<&[String]>,
) -> anyhow::Result<(Vec<String>, Vec<&'a RunPlan>)> {
    let names: Vec<String> = match wanted {
        Some(list) => list.iter().map(|s| s.trim().to_string()).collect(),
        None => std::iter::once(AS_WRITTEN.to_string())
            .chain(scenario.variants.iter().filter_map(|v| v.variant.clone()))
            .collect(),
    };
    if names.len() < 2 {
        bail!(
            "compare needs at least two options; the scenario has {} variant(s): name them \
             with --variants, using `{AS_WRITTEN}` for the scenario as written",
            scenario.variants.len()
        );
    }
    let mut plans = Vec::new();
    for (i, name) in names.iter().enumerate() {
        if names[..i].contains(name) {
            bail!("--variants names `{name}` twice");
        }
        if name == AS_WRITTEN {
            plans.push(&scenario.base);
        } else {
            plans.push(
                scenario.plan(Some(name)).map_err(|e| {
                    anyhow::anyhow!("{e} (`{AS_WRITTEN}` is the scenario as written)")
                })?,
            );
        }
    }
    Ok((names, plans))
}

fn write_outputs(
    out: &OutputDir,
    base: &RunPlan,
    names: &[String],
    plans: &[&RunPlan],
    comparison: &Comparison,
    args: &CompareArgs,
) -> anyhow::Result<()> {
    write_table(&out.file("compare.csv"), |w| {
        caseload_report::write_compare(w, &base.scenario, names, comparison)
    })?;
    let options: Vec<(&str, &caseload_experiment::Results)> = names
        .iter()
        .map(String::as_str)
        .zip(&comparison.results)
        .collect();
    write_table(&out.file("replications.csv"), |w| {
        caseload_report::write_replications(w, &base.scenario, &options)
    })?;
    let days = comparison
        .results
        .iter()
        .map(|r| r.bands.first().map_or(0, |b| b.mean.len()))
        .max()
        .unwrap_or(0);
    let dates: Vec<String> = (0..days)
        .map(|d| base.date_of_day(d as u32).to_string())
        .collect();
    let mut backlog = Vec::new();
    for (name, results) in names.iter().zip(&comparison.results) {
        let band = results
            .total_band(caseload_experiment::Metric::Unallocated)
            .context("the results have no `unallocated` series")?;
        backlog.push((name, band));
    }
    write_table(&out.file("backlog.csv"), |w| -> Result<(), csv::Error> {
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
    let mut markers: Vec<Marker> = Vec::new();
    for action in plans.iter().flat_map(|p| &p.actions) {
        if !markers
            .iter()
            .any(|m| m.label == action.name.replace('_', " "))
        {
            markers.push(Marker {
                label: action.name.replace('_', " "),
                start_day: action.start_day,
                end_day: action.end_day,
            });
        }
    }
    Chart {
        title: format!(
            "{}: unallocated cases by option (mean, 5-95 % band over {} replications)",
            base.scenario,
            comparison.results.first().map_or(0, |r| r.replications)
        ),
        y_label: "unallocated cases".into(),
        dates: &dates,
        lines: backlog
            .iter()
            .map(|(name, band)| with_band(name, band))
            .collect(),
        markers: &markers,
    }
    .write(&out.file("backlog"))?;
    let manifest = serde_json::json!({
        "caseload_version": env!("CARGO_PKG_VERSION"),
        "scenario": base.scenario,
        "scenario_file": args.scenario.display().to_string(),
        "scenario_sha256": sha256_of_file(&args.scenario)?,
        "options": names,
        "baseline": names.first(),
        "seed": comparison.results.first().map(|r| r.seed),
        "replications": comparison.results.first().map(|r| r.replications),
        "common_random_numbers": true,
        "files": ["compare.csv", "replications.csv", "backlog.csv", "backlog.png", "backlog.svg"],
    });
    write_table(&out.file("manifest.json"), |mut w| -> std::io::Result<()> {
        serde_json::to_writer_pretty(&mut w, &manifest)?;
        w.write_all(b"\n")?;
        w.flush()
    })
}

fn summary_text(
    base: &RunPlan,
    names: &[String],
    comparison: &Comparison,
    written: &Path,
) -> String {
    let mut text = String::new();
    let reps = comparison.results.first().map_or(0, |r| r.replications);
    let baseline = names.first().map_or("", String::as_str);
    let _ = writeln!(
        text,
        "{}: {} options, {reps} replications each with common random numbers; differences \
         are paired by replication, from `{baseline}`",
        base.scenario,
        names.len(),
    );
    for kpi in HEADLINE {
        let Some(k) = comparison
            .results
            .first()
            .and_then(|r| r.kpi_defs.iter().position(|d| d.name == kpi))
        else {
            continue;
        };
        let unit = comparison.results[0].kpi_defs[k].unit;
        let _ = writeln!(text);
        let _ = writeln!(text, "{kpi} ({unit})");
        let _ = writeln!(
            text,
            "  {:<28} {:>30} {:>36}",
            "option", "mean [95 % CI]", "difference [paired 95 % CI]"
        );
        for (o, (name, results)) in names.iter().zip(&comparison.results).enumerate() {
            let Some(kk) = results
                .kpi_defs
                .iter()
                .position(|d| d.name == kpi && d.team.is_none())
            else {
                continue;
            };
            let e = &results.kpis[kk];
            let diff = if o == 0 {
                "baseline".to_string()
            } else {
                let d = &comparison.differences[o][kk].paired;
                with_interval(d)
            };
            let _ = writeln!(text, "  {:<28} {:>30} {:>36}", name, with_interval(e), diff);
        }
    }
    let _ = writeln!(text);
    let _ = writeln!(
        text,
        "every KPI, with the unpaired interval for reference, in {}",
        written.join("compare.csv").display()
    );
    text
}
