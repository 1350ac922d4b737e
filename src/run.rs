//! `caseload run`: replications of a scenario in parallel, a summary on stdout, and a results
//! folder with CSVs, charts and a manifest.

use anyhow::{Context, bail};
use caseload_experiment::{Command, Design, Precision, Results};
use caseload_report::text::RunHeading;
use caseload_report::{Marker, RunFolder};
use caseload_scenario::{RunPlan, ScenarioSource};

use crate::args::{OutputArgs, ReplicationArgs, ScenarioArgs};
use crate::output::Job;

/// Arguments of `caseload run`.
#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// The scenario and variant run.
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    /// Replications and their seed.
    #[command(flatten)]
    pub replications: ReplicationArgs,
    /// Where the results go.
    #[command(flatten)]
    pub output: OutputArgs,
    /// Also write cases.csv: one row per case and replication (large).
    #[arg(long)]
    pub cases: bool,
    /// The format of the daily and per-replication tables.
    #[arg(long, value_enum, default_value_t = crate::args::TableFormat::Csv)]
    pub format: crate::args::TableFormat,
    /// Print the summary as JSON on stdout (every KPI of summary.csv with its interval)
    /// instead of the table.
    #[arg(long)]
    pub json: bool,
    /// Keep adding replications (10 at a time) until the 95 % confidence interval of a KPI is
    /// at most this half-width, in the KPI's unit or as a percentage of its mean: e.g.
    /// `days_to_allocate_mean=0.5` or `backlog_end=2%`. --reps is then the most to run
    /// [default 1000].
    #[arg(long, value_name = "KPI=HALF_WIDTH")]
    pub precision: Option<String>,
    /// Bounds on what a run may take.
    #[command(flatten)]
    pub limits: crate::limits::LimitArgs,
}

/// Most replications a `--precision` run makes when no --reps is given.
const PRECISION_CAP: u32 = 1000;

/// Runs the command; returns the text for stdout and the exit status
/// ([`crate::EXIT_PRECISION_NOT_MET`] when a `--precision` target was not reached).
pub fn run(args: &RunArgs) -> anyhow::Result<crate::Done> {
    let source = ScenarioSource::read(&args.scenario.scenario)?;
    let scenario = source.scenario()?;
    let plan = scenario.plan(args.scenario.variant.as_deref())?;
    let default_reps = if args.precision.is_some() {
        PRECISION_CAP
    } else {
        plan.replications
    };
    let replications = args.replications.reps.unwrap_or(default_reps);
    if replications == 0 {
        bail!("--reps must be at least 1");
    }
    let seed = args.replications.seed_or(plan);
    plan.check_budget(source.path(), args.limits.limits())?;
    let job = Job::start(
        &args.output,
        &plan.scenario,
        plan.variant.as_deref(),
        Command::Run,
        u64::from(replications),
    )?;
    let design = plan.design(args.cases, args.limits.limits());
    let precision = match &args.precision {
        Some(text) => Some(Precision::parse(&design.kpis(), text)?),
        None => None,
    };
    let results =
        caseload_experiment::run_until(&design, seed, replications, precision.as_ref(), &|| {
            job.tick()
        })
        .context("running the scenario")?;
    let mut manifest = crate::output::plan_manifest(
        Command::Run,
        &source,
        plan,
        results.seed,
        results.replications,
    );
    manifest.events = Some(results.events);
    let markers = plan.markers(&plan.actions);
    manifest.markers = Some(markers.clone());
    let written = job.write(manifest, source.text(), |file| {
        write_tables_and_charts(
            file,
            plan,
            &design,
            &results,
            &markers,
            args.cases,
            args.format.into(),
        )
    })?;
    let mut text = String::new();
    let mut status = 0;
    let heading = RunHeading {
        label: &plan.label(),
        horizon_days: plan.model.horizon_days,
        start_date: &plan.start_date.to_string(),
        warmup_days: plan.warmup_days,
    };
    if let Some(p) = &precision {
        if !p.met(&results.kpis[p.kpi]) {
            status = crate::EXIT_PRECISION_NOT_MET;
        }
        if args.json {
            eprint!(
                "{}",
                caseload_report::text::precision(p, &results, replications, status)
            );
        } else {
            text += &caseload_report::text::precision(p, &results, replications, status);
        }
    }
    if args.json {
        text = caseload_report::text::run_summary_json(&heading, &results, &written);
    } else {
        text += &caseload_report::text::run_summary(&heading, &results, &written);
    }
    Ok(crate::Done { text, status })
}

/// Writes a run's tables and charts; returns the files written.
fn write_tables_and_charts(
    file: caseload_report::FileIn,
    plan: &RunPlan,
    design: &Design,
    results: &Results,
    markers: &[Marker],
    cases: bool,
    format: caseload_report::TableFormat,
) -> anyhow::Result<Vec<String>> {
    let dates: Vec<String> = (0..design.days())
        .map(|d| plan.date_of_day(d as u32).to_string())
        .collect();
    Ok(caseload_report::write_run(
        file,
        &RunFolder {
            label: &plan.label(),
            option: plan
                .variant
                .as_deref()
                .unwrap_or(caseload_scenario::AS_WRITTEN),
            dates: &dates,
            model: &plan.model,
            results,
            markers,
            cases,
            warmup_days: plan.warmup_days,
            asked: &plan.report.clone().unwrap_or_default(),
            format,
        },
    )?)
}
