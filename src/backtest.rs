//! `caseload backtest`: runs a scenario and sets observed monthly figures against the
//! simulated spread, reporting how often they fall inside the 50 % and 90 % bands.

use std::path::PathBuf;

use anyhow::Context;
use caseload_experiment::Command;
use caseload_scenario::{ScenarioSource, plan_with_fitted_demand, read_observed};

use crate::Done;
use crate::args::{OutputArgs, ReplicationArgs, ScenarioArgs};
use crate::output::Job;
use caseload_report::text::BacktestHeading;

/// Exit status when a figure's share inside the 90 % band is below `--min-coverage` (the
/// results are written all the same).
pub const EXIT_COVERAGE_NOT_MET: u8 = 4;

/// Arguments of `caseload backtest`.
#[derive(Debug, clap::Args)]
pub struct BacktestArgs {
    /// The scenario and variant tested.
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    /// Observed monthly figures (CSV: period_start, figure, value, optionally team).
    pub observed: PathBuf,
    /// Referral counts by case type (the file `caseload fit` reads) to fit the scenario's
    /// demand from, with --fit-until.
    #[arg(long, value_name = "COUNTS.csv", requires = "fit_until")]
    pub counts: Option<PathBuf>,
    /// Fit each case type's demand in --counts on the periods ending by this date only, and
    /// compare the observations from it on (months the fit never saw).
    #[arg(long, value_name = "DATE", value_parser = crate::fit::parse_date, requires = "counts")]
    pub fit_until: Option<time::Date>,
    /// A date from which the fitted rate may step up or down (with --fit-until).
    #[arg(long, value_name = "DATE", value_parser = crate::fit::parse_date, requires = "fit_until")]
    pub change: Option<time::Date>,
    /// Fail (exit status 4) when any figure's share of observations inside the simulated
    /// 90 % band is below this, e.g. 0.7.
    #[arg(long, value_name = "X")]
    pub min_coverage: Option<f64>,
    /// Replications and their seed.
    #[command(flatten)]
    pub replications: ReplicationArgs,
    /// Where the results go.
    #[command(flatten)]
    pub output: OutputArgs,
    /// Bounds on what a run may take.
    #[command(flatten)]
    pub limits: crate::limits::LimitArgs,
}

/// Runs the command.
pub fn run(args: &BacktestArgs) -> anyhow::Result<Done> {
    if let Some(x) = args.min_coverage
        && !(0.0..=1.0).contains(&x)
    {
        anyhow::bail!("--min-coverage {x}: expected a share from 0 to 1, like 0.7");
    }
    let source = ScenarioSource::read(&args.scenario.scenario)?;
    let variant = args.scenario.variant.as_deref();
    let (plan, fits) = match (&args.counts, args.fit_until) {
        (Some(counts), Some(until)) => {
            plan_with_fitted_demand(&source, variant, counts, until, args.change)?
        }
        _ => (source.plan_with_changes(variant, &[])?, Vec::new()),
    };
    let plan = &plan;
    let mut observations = read_observed(&args.observed, plan)?;
    if let Some(until) = args.fit_until {
        let first_day = (until - plan.start_date).whole_days().max(0) as usize;
        let all = observations.len();
        observations.retain(|o| o.from_day >= first_day);
        if observations.is_empty() {
            anyhow::bail!(
                "{}: none of its {all} observations is on or after --fit-until {until}, \
                 so nothing is left to test the fit on",
                args.observed.display()
            );
        }
    }
    let replications = args.replications.reps.unwrap_or(plan.replications);
    let seed = args.replications.seed_or(plan);
    let design = plan.design(false, args.limits.limits());
    let job = Job::start(
        &args.output,
        &plan.scenario,
        plan.variant.as_deref(),
        Command::Backtest,
        u64::from(replications),
    )?;
    let points =
        caseload_experiment::backtest(&design, seed, replications, &observations, &|| job.tick())
            .context("running the scenario")?;
    let coverage = caseload_experiment::coverage(&points);
    let teams: Vec<String> = plan.model.teams.iter().map(|t| t.name.clone()).collect();
    let start = plan.start_date;
    let month = |day: usize| {
        let d = start + time::Duration::days(day as i64);
        format!("{}-{:02}", d.year(), u8::from(d.month()))
    };
    let mut manifest =
        crate::output::plan_manifest(Command::Backtest, &source, plan, seed, replications);
    manifest
        .inputs
        .push(crate::output::input_file("observed", &args.observed)?);
    if let Some(counts) = &args.counts {
        manifest
            .inputs
            .push(crate::output::input_file("--counts", counts)?);
    }
    let written = job.write(manifest, source.text(), |file| {
        let mut files = caseload_report::write_backtest(file, &points, &coverage, &teams, &month)?;
        if !fits.is_empty() {
            files.extend(caseload_report::write_fitted_demand(file, &fits)?);
        }
        Ok(files)
    })?;

    let status = if coverage.iter().any(|c| c.falls_short(args.min_coverage)) {
        EXIT_COVERAGE_NOT_MET
    } else {
        0
    };
    let text = caseload_report::text::backtest(
        &BacktestHeading {
            label: &plan.label(),
            fitted_until: args.fit_until.map(|d| d.to_string()),
            observations: observations.len(),
            replications,
            seed,
            min_coverage: args.min_coverage,
        },
        &fits,
        &coverage,
        &teams,
        &written,
    );
    Ok(Done { text, status })
}
