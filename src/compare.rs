//! `caseload compare`: a scenario's options (as written and its variants) run with common
//! random numbers; a table and `compare.csv` with each option's KPIs and its paired difference
//! from the baseline, and the backlog curves overlaid on one chart.

use std::path::PathBuf;

use anyhow::{Context, bail};
use caseload_experiment::Command;
use caseload_report::CompareFolder;
use caseload_scenario::{RunPlan, ScenarioSource};

use crate::args::{OutputArgs, ReplicationArgs};
use crate::output::Job;

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
    /// The format of the per-replication table.
    #[arg(long, value_enum, default_value_t = crate::args::TableFormat::Csv)]
    pub format: crate::args::TableFormat,
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
    /// Which way is better (with --select) [default: as the scenario's [report] says, else the
    /// KPI's own: larger for shares allocated
    /// in time or charged and cases completed, smaller for backlogs, waits and costs].
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
    let designs: Vec<_> = plans
        .iter()
        .map(|p| p.design(false, args.limits.limits()))
        .collect();
    let runs = u64::from(replications) * designs.len() as u64;
    let job = Job::start(&args.output, &base.scenario, None, Command::Compare, runs)?;
    let comparison = caseload_experiment::compare(&designs, seed, replications, &|| job.tick())
        .context("running the options")?;
    let days = comparison
        .results
        .iter()
        .map(|r| r.bands.first().map_or(0, |b| b.mean.len()))
        .max()
        .unwrap_or(0);
    let dates: Vec<String> = (0..days)
        .map(|d| base.date_of_day(d as u32).to_string())
        .collect();
    let mut manifest =
        crate::output::plan_manifest(Command::Compare, &source, base, seed, replications);
    manifest.events = Some(comparison.results.iter().map(|r| r.events).sum());
    manifest.options = names.clone();
    let markers = base.markers(plans.iter().flat_map(|p| &p.actions));
    manifest.markers = Some(markers.clone());
    let written = job.write(manifest, source.text(), |file| {
        Ok(caseload_report::write_compare_folder(
            file,
            &CompareFolder {
                scenario: &base.scenario,
                names: &names,
                comparison: &comparison,
                dates: &dates,
                markers: &markers,
                warmup_days: base.warmup_days,
                asked: &base.report.clone().unwrap_or_default(),
                format: args.format.into(),
            },
        )?)
    })?;
    Ok(caseload_report::text::comparison(
        &base.scenario,
        &names,
        &comparison,
        &written,
    ))
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
    let designs: Vec<_> = plans
        .iter()
        .map(|p| p.design(false, args.limits.limits()))
        .collect();
    let goal = match args.better {
        Some(Better::Larger) => caseload_experiment::Goal::Largest,
        Some(Better::Smaller) => caseload_experiment::Goal::Smallest,
        None => {
            let defs = designs.first().map(|d| d.kpis()).unwrap_or_default();
            let k = caseload_experiment::find_kpi(&defs, &kpi)?;
            caseload_experiment::Goal::asked(&defs[k], base.report.as_ref()).with_context(|| {
                format!("--kpi {kpi} is better neither larger nor smaller: say which with --better")
            })?
        }
    };
    let most = args.replications.reps.unwrap_or(1_000);
    let seed = args.replications.seed_or(base);
    let runs = u64::from(most) * designs.len() as u64;
    let job = Job::start(&args.output, &base.scenario, None, Command::Compare, runs)?;
    let selection = caseload_experiment::select_best(
        &designs,
        &kpi,
        goal,
        args.pcs,
        delta,
        args.first_stage,
        most,
        seed,
        &|| job.tick(),
    )
    .context("selecting the best option")?;
    let most_run = selection.replications.iter().copied().max().unwrap_or(0);
    let mut manifest = crate::output::plan_manifest(Command::Compare, source, base, seed, most_run);
    manifest.options = names.to_vec();
    let written = job.write(manifest, source.text(), |file| {
        Ok(caseload_report::write_selection(
            file, names, &kpi, goal, args.pcs, delta, &selection,
        )?)
    })?;
    Ok(caseload_report::text::selection(
        &base.scenario,
        names,
        &kpi,
        goal,
        args.pcs,
        delta,
        &selection,
        &written,
    ))
}
