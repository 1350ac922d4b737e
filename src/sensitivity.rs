//! `caseload sensitivity`: which assumptions a scenario's answer depends on. The factors, the
//! plan and every point's design are the scenario crate's, the indices the experiment
//! crate's, the files the report crate's; the points run, shard, resume and merge as a
//! sweep's do (sweep.rs).

use caseload_experiment::{Command, Manifest, SensitivityMethod, Shard};
use caseload_scenario::{ScenarioSource, SensitivityAsked};

use crate::args::{OutputArgs, ReplicationArgs, ScenarioArgs};
use crate::sweep::{Stored, run_stored};

/// How the assumptions are varied together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MethodArg {
    /// Morris's elementary effects: screening, (k + 1) points per trajectory.
    Morris,
    /// Sobol's first and total indices (Saltelli sampling, Jansen estimators): (k + 2) points
    /// per base sample.
    Sobol,
}

/// Arguments of `caseload sensitivity`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  caseload sensitivity scenarios/london-2014-response.toml \
                        --kpi backlog_end --reps 10\n  caseload sensitivity S.toml --kpi \
                        backlog_end --param team_defaults.caseload_cap=12:30 --method sobol \
                        --samples 64"
)]
pub struct SensitivityArgs {
    /// The scenario and variant analysed.
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    /// A KPI analysed (repeat for several) [default: backlog_end].
    #[arg(long = "kpi", value_name = "KPI")]
    pub kpis: Vec<String>,
    /// A field varied: `PATH` (its range from the scenario's [basis]) or `PATH=LOW:HIGH`;
    /// repeat for several [default: every assumption in [basis] with a range].
    #[arg(long = "param", value_name = "PATH[=LOW:HIGH]")]
    pub params: Vec<String>,
    /// Morris screening or Sobol indices.
    #[arg(long, value_enum, default_value = "morris")]
    pub method: MethodArg,
    /// Morris: trajectories.
    #[arg(long, value_name = "R", default_value_t = 10)]
    pub trajectories: u32,
    /// Morris: grid levels (even).
    #[arg(long, value_name = "P", default_value_t = 4)]
    pub levels: u32,
    /// Sobol: base samples (a power of two).
    #[arg(long, value_name = "N", default_value_t = 64)]
    pub samples: u32,
    /// Replications per point and their seed (also the design's).
    #[command(flatten)]
    pub replications: ReplicationArgs,
    /// Run only slice K (0-based) of N equal slices of the (point, replication) pairs, for
    /// `caseload merge` to combine.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<Shard>,
    /// Where the results go [default folder: sensitivity, or sensitivity.shard-K-of-N].
    #[command(flatten)]
    pub output: OutputArgs,
    /// Continue an interrupted analysis from the points it wrote; do nothing if it finished.
    #[arg(long)]
    pub resume: bool,
    /// Bounds on what a run may take.
    #[command(flatten)]
    pub limits: crate::limits::LimitArgs,
}

/// Runs `caseload sensitivity`; returns the text for stdout.
pub fn run(args: &SensitivityArgs) -> anyhow::Result<String> {
    let source = ScenarioSource::read(&args.scenario.scenario)?;
    let kpis = if args.kpis.is_empty() {
        vec!["backlog_end".to_string()]
    } else {
        args.kpis.clone()
    };
    let method = match args.method {
        MethodArg::Morris => SensitivityMethod::Morris {
            trajectories: args.trajectories,
            levels: args.levels,
        },
        MethodArg::Sobol => SensitivityMethod::Sobol {
            samples: args.samples,
        },
    };
    let prepared = source.prepare_sensitivity(
        &SensitivityAsked {
            variant: args.scenario.variant.as_deref(),
            params: &args.params,
            kpis: &kpis,
            method,
            replications: args.replications.reps,
            seed: args.replications.seed,
            limits: args.limits.limits(),
        },
        Manifest::new(
            Command::Sensitivity,
            crate::args::command_line(),
            &args.scenario.scenario,
            source.text(),
        ),
        args.shard,
    )?;
    Ok(
        match run_stored(prepared, args.shard, &args.output, args.resume)? {
            Stored::AlreadyDone(text) => text,
            Stored::Written {
                manifest,
                rows,
                folder,
                resumed,
            } => resumed + &caseload_report::text::sensitivity(&manifest, &rows, &folder),
        },
    )
}
