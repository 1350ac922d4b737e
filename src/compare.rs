//! `caseload compare`: a scenario's options (as written and its variants) run with common
//! random numbers; a table and `compare.csv` with each option's KPIs and its paired difference
//! from the baseline, and the backlog curves overlaid on one chart.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use caseload_experiment::{Command, Comparison, Manifest};
use caseload_report::CompareFolder;
use caseload_scenario::{RunPlan, ScenarioSource};

use crate::args::{OutputArgs, ReplicationArgs};
use crate::output::{OutputDir, check_target, lock_folder};
use crate::run::markers;
use crate::terminal::{progress_bar, with_interval};

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
    /// Replications per option and their seed, shared by every option.
    #[command(flatten)]
    pub replications: ReplicationArgs,
    /// Where the results go.
    #[command(flatten)]
    pub output: OutputArgs,
    /// Bounds on what a run may take.
    #[command(flatten)]
    pub limits: crate::limits::LimitArgs,
    /// Instead of a fixed number of replications, choose the best option with a guarantee
    /// (the KN ranking-and-selection procedure): `best`.
    #[arg(long, value_enum, requires_all = ["kpi", "delta"])]
    pub select: Option<Select>,
    /// The KPI the best option is best at (with --select), e.g. backlog_end.
    #[arg(long, value_name = "KPI")]
    pub kpi: Option<String>,
    /// Probability of choosing the best option when it is at least --delta better than every
    /// other (with --select).
    #[arg(long, value_name = "P", default_value_t = 0.95)]
    pub pcs: f64,
    /// The smallest difference in the KPI worth finding, in its unit (with --select).
    #[arg(long, value_name = "D")]
    pub delta: Option<f64>,
    /// Which way is better (with --select) [default: largest for shares, smallest otherwise].
    #[arg(long, value_enum)]
    pub better: Option<Better>,
    /// First-stage replications of every option (with --select).
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub first_stage: u32,
}

/// What `--select` chooses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Select {
    /// The best option, with probability at least --pcs.
    Best,
}

/// Which way a KPI is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Better {
    /// Smaller is better (a backlog, a wait, a cost).
    Smaller,
    /// Larger is better (a share allocated in time).
    Larger,
}

/// Runs the command; returns the text for stdout.
pub fn run(args: &CompareArgs) -> anyhow::Result<String> {
    let source = ScenarioSource::read(&args.scenario)?;
    let scenario = source.scenario()?;
    let (names, plans): (Vec<String>, Vec<&RunPlan>) = scenario
        .options(args.variants.as_deref())?
        .into_iter()
        .unzip();
    let base = &scenario.base;
    if args.select.is_some() {
        return select(args, &source, base, &names, &plans);
    }
    let replications = args.replications.reps.unwrap_or(base.replications);
    if replications < 2 {
        bail!("--reps must be at least 2 for confidence intervals of differences");
    }
    let seed = args.replications.seed_or(base);
    let target = args.output.folder(&base.scenario, None, Command::Compare);
    let lock = lock_folder(&target)?;
    check_target(&target, args.output.force, Command::Compare)?;
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

    let out = OutputDir::create(&target, args.output.force, Command::Compare, lock)?;
    let file = |f: &str| out.file(f);
    let days = comparison
        .results
        .iter()
        .map(|r| r.bands.first().map_or(0, |b| b.mean.len()))
        .max()
        .unwrap_or(0);
    let dates: Vec<String> = (0..days)
        .map(|d| base.date_of_day(d as u32).to_string())
        .collect();
    let files = caseload_report::write_compare_folder(
        &file,
        &CompareFolder {
            scenario: &base.scenario,
            names: &names,
            comparison: &comparison,
            dates: &dates,
            markers: &markers(plans.iter().flat_map(|p| &p.actions)),
            warmup_days: base.warmup_days,
        },
    )?;
    let mut manifest = Manifest::new(
        Command::Compare,
        crate::args::command_line(),
        source.path(),
        source.text(),
    );
    manifest.scenario = base.scenario.clone();
    manifest.seed = seed;
    manifest.replications = replications;
    manifest.warmup_days = base.warmup_days;
    manifest.events = Some(comparison.results.iter().map(|r| r.events).sum());
    manifest.options = names.clone();
    manifest.files = files;
    caseload_report::write_manifest(&file, &manifest)?;
    out.report_if(args.output.report)?;
    let written = out.finish()?;
    Ok(summary_text(base, &names, &comparison, &written))
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

/// `compare --select best`: KN until one option is left (or each has run --reps).
fn select(
    args: &CompareArgs,
    source: &ScenarioSource,
    base: &RunPlan,
    names: &[String],
    plans: &[&RunPlan],
) -> anyhow::Result<String> {
    let kpi = args.kpi.clone().unwrap_or_default();
    let delta = args.delta.unwrap_or(0.0);
    let goal = match args.better {
        Some(Better::Larger) => caseload_experiment::Goal::Largest,
        Some(Better::Smaller) => caseload_experiment::Goal::Smallest,
        None if kpi.starts_with("share_") => caseload_experiment::Goal::Largest,
        None => caseload_experiment::Goal::Smallest,
    };
    let most = args.replications.reps.unwrap_or(1_000);
    let seed = args.replications.seed_or(base);
    let target = args.output.folder(&base.scenario, None, Command::Compare);
    let lock = lock_folder(&target)?;
    check_target(&target, args.output.force, Command::Compare)?;
    let designs: Vec<_> = plans
        .iter()
        .map(|p| p.design(false, args.limits.limits()))
        .collect();
    let progress = progress_bar(u64::from(most) * designs.len() as u64);
    let selection = caseload_experiment::select_best(
        &designs,
        &kpi,
        goal,
        args.pcs,
        delta,
        args.first_stage,
        most,
        seed,
        &|| progress.inc(1),
    )
    .context("selecting the best option")?;
    progress.finish_and_clear();
    let out = OutputDir::create(&target, args.output.force, Command::Compare, lock)?;
    let file = |f: &str| out.file(f);
    let files =
        caseload_report::write_selection(&file, names, &kpi, goal, args.pcs, delta, &selection)?;
    let mut manifest = Manifest::new(
        Command::Compare,
        crate::args::command_line(),
        source.path(),
        source.text(),
    );
    manifest.scenario = base.scenario.clone();
    manifest.seed = seed;
    manifest.replications = selection.replications.iter().copied().max().unwrap_or(0);
    manifest.warmup_days = base.warmup_days;
    manifest.options = names.to_vec();
    manifest.files = files;
    caseload_report::write_manifest(&file, &manifest)?;
    out.report_if(args.output.report)?;
    let written = out.finish()?;
    let spent: u64 = selection.replications.iter().map(|&r| u64::from(r)).sum();
    let mut text = format!(
        "{}: {} chosen as best at {kpi} ({}), {} with probability at least {} if the best is \
         at least {delta} better than every other option\n\n",
        base.scenario,
        names[selection.best],
        match goal {
            caseload_experiment::Goal::Smallest => "smallest",
            caseload_experiment::Goal::Largest => "largest",
        },
        if selection.guaranteed {
            "guaranteed"
        } else {
            "NOT guaranteed (the --reps budget ran out with several options left; the best mean among them is shown)"
        },
        args.pcs,
    );
    let _ = writeln!(
        text,
        "  {:<32} {:>14} {:>12} {:>16}",
        "option", "mean", "replications", "dropped after"
    );
    for (i, name) in names.iter().enumerate() {
        let _ = writeln!(
            text,
            "  {:<32} {:>14.3} {:>12} {:>16}",
            name,
            selection.means[i],
            selection.replications[i],
            selection.eliminated_after[i].map_or_else(
                || if i == selection.best {
                    "chosen".to_string()
                } else {
                    "-".to_string()
                },
                |r| format!("{r} replications")
            )
        );
    }
    let _ = writeln!(
        text,
        "\nKN (Kim and Nelson 2001) used {spent} replications in all; a fixed design with the \
         same guarantee needs {} ({} options x the largest first-stage bound); files in {}",
        selection.fixed_design,
        names.len(),
        written.display()
    );
    Ok(text)
}
