//! `caseload calibrate`: chosen values fitted to observed figures by history matching. The
//! factors and the targets are read by the scenario crate, the waves run and judged by the
//! experiment crate, the files written by the report crate.

use anyhow::Context;
use caseload_experiment::{AxisValue, Command, Waves, calibrate};
use caseload_scenario::{FieldPath, ScenarioSource};

use crate::args::{OutputArgs, ReplicationArgs, ScenarioArgs};
use crate::output::Job;

/// Arguments of `caseload calibrate`.
#[derive(Debug, clap::Args)]
pub struct CalibrateArgs {
    /// The scenario and variant calibrated.
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    /// The observed figures (CSV: target, value, sd).
    #[arg(value_name = "OBSERVED.csv")]
    pub observed: std::path::PathBuf,
    /// A value fitted: `PATH` (its range from the scenario's [basis]) or `PATH=LOW:HIGH`;
    /// repeat for several [default: every assumption in [basis] with a range].
    #[arg(long = "param", value_name = "PATH[=LOW:HIGH]")]
    pub params: Vec<String>,
    /// Waves of points, each around the previous wave's plausible points.
    #[arg(long, value_name = "W", default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=20))]
    pub waves: u32,
    /// Points in each wave (a scrambled Sobol design).
    #[arg(long, value_name = "N", default_value_t = 32, value_parser = clap::value_parser!(u32).range(2..=65536))]
    pub points: u32,
    /// Replications per point and their seed.
    #[command(flatten)]
    pub replications: ReplicationArgs,
    /// Where the results go.
    #[command(flatten)]
    pub output: OutputArgs,
    /// Bounds on what a run may take.
    #[command(flatten)]
    pub limits: crate::limits::LimitArgs,
}

/// Runs the command; returns the text for stdout.
pub fn run(args: &CalibrateArgs) -> anyhow::Result<String> {
    let source = ScenarioSource::read(&args.scenario.scenario)?;
    let scenario = source.scenario()?;
    let variant = args.scenario.variant.as_deref();
    let plan = scenario.plan(variant)?;
    let limits = args.limits.limits();
    let factors = source.factors(&plan.basis, &args.params)?;
    if factors.is_empty() {
        anyhow::bail!(
            "no value to calibrate: the scenario's [basis] has no assumption with a range, and \
             no --param was given"
        );
    }
    let targets =
        caseload_scenario::read_targets(&args.observed, &plan.design(false, limits).kpis())?;
    let replications = args.replications.reps.unwrap_or(plan.replications);
    if replications < 2 {
        anyhow::bail!("--reps must be at least 2: a point's spread is part of its implausibility");
    }
    let seed = args.replications.seed_or(plan);
    let runs = u64::from(args.waves) * u64::from(args.points) * u64::from(replications);
    limits.check_runs(runs, "waves x points x replications", "--reps")?;
    let fields = factors
        .iter()
        .map(|f| FieldPath::parse(&f.path))
        .collect::<Result<Vec<_>, _>>()?;
    let job = Job::start(
        &args.output,
        &plan.scenario,
        plan.variant.as_deref(),
        Command::Calibrate,
        runs,
    )?;
    let build = |values: &[AxisValue]| {
        let changes: Vec<_> = fields
            .iter()
            .cloned()
            .zip(values.iter().map(|&v| caseload_scenario::field_value(v)))
            .collect();
        source
            .plan_with_changes(variant, &changes)
            .map(|p| p.design(false, limits))
    };
    let waves = Waves {
        waves: args.waves,
        points: args.points,
        replications,
        seed,
    };
    let result =
        calibrate(&factors, &targets, waves, &build, &|| job.tick()).context("calibrating")?;
    let mut manifest =
        crate::output::plan_manifest(Command::Calibrate, &source, plan, seed, replications);
    manifest
        .inputs
        .push(crate::output::input_file("observed", &args.observed)?);
    let label = plan.label();
    let observed_file = args.observed.display().to_string();
    let asked = caseload_report::CalibrationAsked {
        label: &label,
        factors: &factors,
        targets: &targets,
        observed_file: &observed_file,
        waves: args.waves,
    };
    let written = job.write(manifest, source.text(), |file| {
        Ok(caseload_report::write_calibration(file, &asked, &result)?)
    })?;
    Ok(caseload_report::text::calibration(
        &label, &factors, &targets, &result, &written,
    ))
}
