//! `caseload run`: replications of a scenario in parallel, a summary on stdout, and a results
//! folder with CSVs, charts and a manifest.

use std::fmt::Write as _;
use std::fs::File;
use std::io::{BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use caseload_experiment::{Band, Design, Results, Thresholds};
use caseload_report::{Chart, Line, Marker};
use caseload_scenario::RunPlan;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use sha2::{Digest, Sha256};

use crate::output::{OutputDir, check_target};

/// Arguments of `caseload run`.
#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// Scenario file (TOML).
    pub scenario: PathBuf,
    /// Replications [default: the scenario's `replications`].
    #[arg(long, value_name = "N")]
    pub reps: Option<u32>,
    /// Seed of the random streams [default: the scenario's `seed`].
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// Output folder [default: results/<scenario name>].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Replace the output folder if it exists.
    #[arg(long)]
    pub force: bool,
    /// Also write cases.csv: one row per case and replication (large).
    #[arg(long)]
    pub cases: bool,
    /// Run this variant of the scenario instead of the scenario as written.
    #[arg(long, value_name = "NAME")]
    pub variant: Option<String>,
}

/// Runs the command; returns the text for stdout.
pub fn run(args: &RunArgs) -> anyhow::Result<String> {
    let scenario = caseload_scenario::load(&args.scenario)?;
    let plan = scenario
        .plan(args.variant.as_deref())
        .map_err(anyhow::Error::msg)?;
    let replications = args.reps.unwrap_or(plan.replications);
    if replications == 0 {
        bail!("--reps must be at least 1");
    }
    let seed = args.seed.unwrap_or(plan.seed);
    let target = args.out.clone().unwrap_or_else(|| {
        let name = match &plan.variant {
            Some(v) => format!("{}.{v}", plan.scenario),
            None => plan.scenario.clone(),
        };
        Path::new("results").join(name)
    });
    check_target(&target, args.force)?;
    let design = design_of(plan, args.cases);
    let progress = progress_bar(u64::from(replications));
    let results = caseload_experiment::run(&design, seed, replications, &|| progress.inc(1))
        .context("running the scenario")?;
    progress.finish_and_clear();

    let out = OutputDir::create(&target, args.force)?;
    write_outputs(&out, plan, &design, &results, args)?;
    let written = out.finish()?;
    Ok(summary_text(plan, &results, &written))
}

/// The experiment design of a plan.
pub fn design_of(plan: &RunPlan, keep_cases: bool) -> Design {
    Design {
        model: plan.model.clone(),
        warmup_days: plan.warmup_days,
        thresholds: Thresholds {
            allocation_target_days: plan.kpi.allocation_target_days,
            backlog_breach: plan.kpi.backlog_breach,
            recovery_backlog: plan.kpi.recovery_backlog,
        },
        keep_cases,
    }
}

fn progress_bar(len: u64) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("{bar:40} {pos}/{len} replications, {elapsed} (eta {eta})")
    {
        bar.set_style(style);
    }
    bar
}

fn create(path: &Path) -> anyhow::Result<BufWriter<File>> {
    let file = File::create(path).with_context(|| format!("creating {}", path.display()))?;
    Ok(BufWriter::new(file))
}

fn write_outputs(
    out: &OutputDir,
    plan: &RunPlan,
    design: &Design,
    results: &Results,
    args: &RunArgs,
) -> anyhow::Result<()> {
    let label = plan.label();
    let dates: Vec<String> = (0..design.days())
        .map(|d| plan.date_of_day(d as u32).to_string())
        .collect();
    let mut files = vec!["summary.csv", "timeseries.csv"];
    caseload_report::write_summary(create(&out.file("summary.csv"))?, &label, results)?;
    caseload_report::write_timeseries(
        create(&out.file("timeseries.csv"))?,
        &label,
        &dates,
        &plan.model,
        results,
    )?;
    if args.cases {
        caseload_report::write_cases(
            create(&out.file("cases.csv"))?,
            &label,
            &plan.model,
            results,
        )?;
        files.push("cases.csv");
    }
    let markers: Vec<Marker> = plan
        .actions
        .iter()
        .map(|a| Marker {
            label: a.name.replace('_', " "),
            start_day: a.start_day,
            end_day: a.end_day,
        })
        .collect();
    let band = |metric: &str| -> anyhow::Result<&Band> {
        results
            .total_band(metric)
            .with_context(|| format!("the results have no `{metric}` series"))
    };
    let reps = results.replications;
    let charts = [
        (
            "backlog",
            Chart {
                title: format!(
                    "{label}: unallocated cases (mean, 5-95 % band over {reps} replications)"
                ),
                y_label: "unallocated cases".into(),
                dates: &dates,
                lines: vec![with_band("unallocated", band("unallocated")?)],
                markers: &markers,
            },
        ),
        (
            "caseload",
            Chart {
                title: format!("{label}: open cases per investigator"),
                y_label: "cases per investigator".into(),
                dates: &dates,
                lines: vec![with_band("mean caseload", band("mean_caseload")?)],
                markers: &markers,
            },
        ),
        (
            "officers",
            Chart {
                title: format!("{label}: officers in post by source"),
                y_label: "officers".into(),
                dates: &dates,
                lines: [
                    ("all sources", "officers"),
                    ("establishment", "officers_establishment"),
                    ("overstaff", "officers_overstaff"),
                    ("transfer", "officers_transfer"),
                    ("attachment", "officers_attachment"),
                    ("agency", "officers_agency"),
                ]
                .into_iter()
                .map(|(l, m)| Ok((l, m, band(m)?)))
                .collect::<anyhow::Result<Vec<_>>>()?
                .into_iter()
                .filter(|(_, m, b)| b.hi.iter().any(|&x| x > 0.0) || *m == "officers")
                .map(|(l, _, b)| Line {
                    label: l.to_string(),
                    mean: &b.mean,
                    band: None,
                })
                .collect(),
                markers: &markers,
            },
        ),
    ];
    for (stem, chart) in &charts {
        chart.write(&out.file(stem))?;
        files.push(stem);
    }
    let scenario_bytes = std::fs::read(&args.scenario)
        .with_context(|| format!("reading {}", args.scenario.display()))?;
    let hash: String = Sha256::digest(&scenario_bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let manifest = serde_json::json!({
        "caseload_version": env!("CARGO_PKG_VERSION"),
        "scenario": plan.scenario,
        "variant": plan.variant,
        "scenario_file": args.scenario.display().to_string(),
        "scenario_sha256": hash,
        "seed": results.seed,
        "replications": results.replications,
        "warmup_days": plan.warmup_days,
        "events": results.events,
        "command_line": std::env::args().collect::<Vec<_>>(),
        "files": files
            .iter()
            .flat_map(|f| if f.contains('.') { vec![f.to_string()] } else { vec![format!("{f}.png"), format!("{f}.svg")] })
            .collect::<Vec<_>>(),
    });
    let mut w = create(&out.file("manifest.json"))?;
    serde_json::to_writer_pretty(&mut w, &manifest).context("writing manifest.json")?;
    w.write_all(b"\n")?;
    w.flush()?;
    Ok(())
}

fn with_band<'a>(label: &str, b: &'a Band) -> Line<'a> {
    Line {
        label: label.to_string(),
        mean: &b.mean,
        band: Some((&b.lo[..], &b.hi[..])),
    }
}

fn summary_text(plan: &RunPlan, results: &Results, written: &Path) -> String {
    let mut text = String::new();
    let _ = writeln!(
        text,
        "{}: {} replications, seed {}, {} days from {}{}",
        plan.label(),
        results.replications,
        results.seed,
        plan.model.horizon_days,
        plan.start_date,
        if plan.warmup_days > 0.0 {
            format!(" (KPIs after a {}-day warm-up)", plan.warmup_days)
        } else {
            String::new()
        }
    );
    let _ = writeln!(text);
    let _ = writeln!(text, "{:<36} {:>12} {:>27}  unit", "KPI", "mean", "95 % CI");
    for (def, e) in results.kpi_defs.iter().zip(&results.kpis) {
        let ci = if e.n == 0 {
            "-".to_string()
        } else {
            format!("[{}, {}]", readable(e.lo), readable(e.hi))
        };
        let _ = writeln!(
            text,
            "{:<36} {:>12} {:>27}  {}",
            def.name,
            readable(e.mean),
            ci,
            def.unit
        );
    }
    let _ = writeln!(text);
    let _ = writeln!(text, "results in {}", written.display());
    text
}

/// A number for the terminal: thousands as whole numbers, small values with a few decimals.
fn readable(x: f64) -> String {
    if x.is_nan() {
        "-".into()
    } else if x.abs() >= 1000.0 {
        format!("{x:.0}")
    } else if x.abs() >= 10.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.3}")
    }
}
