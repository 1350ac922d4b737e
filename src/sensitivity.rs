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

/// What a sensitivity analysis asks: the scenario, the KPIs, the assumptions varied, the
/// method and the replications (shared by `sensitivity` and `slurm sensitivity`).
#[derive(Debug, Clone, clap::Args)]
pub struct SensitivityQuestion {
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
    /// Bounds on what a run may take.
    #[command(flatten)]
    pub limits: crate::limits::LimitArgs,
}

impl SensitivityQuestion {
    /// The command-line arguments that ask this question again, with the scenario's path as
    /// given.
    pub fn to_args(&self) -> Vec<String> {
        let mut args = self.scenario.to_args();
        for k in &self.kpis {
            args.extend(["--kpi".to_string(), k.clone()]);
        }
        for p in &self.params {
            args.extend(["--param".to_string(), p.clone()]);
        }
        let method = match self.method {
            MethodArg::Morris => "morris",
            MethodArg::Sobol => "sobol",
        };
        args.extend(["--method".to_string(), method.to_string()]);
        args.extend(["--trajectories".to_string(), self.trajectories.to_string()]);
        args.extend(["--levels".to_string(), self.levels.to_string()]);
        args.extend(["--samples".to_string(), self.samples.to_string()]);
        args.extend(self.replications.to_args());
        args.extend(self.limits.to_args());
        args
    }
}

/// Arguments of `caseload sensitivity`.
#[derive(Debug, clap::Args)]
pub struct SensitivityArgs {
    /// The scenario, KPIs, assumptions, method and replications.
    #[command(flatten)]
    pub question: SensitivityQuestion,
    /// Run only slice K (0-based) of N equal slices of the (point, replication) pairs, for
    /// `caseload merge` to combine.
    #[arg(long, value_name = "K/N", conflicts_with = "tasks")]
    pub shard: Option<Shard>,
    /// Where the results go [default folder: sensitivity, or sensitivity.shard-K-of-N; with
    /// --tasks, slurm].
    #[command(flatten)]
    pub output: OutputArgs,
    /// Continue an interrupted analysis from the points it wrote; do nothing if it finished.
    #[arg(long, conflicts_with = "tasks")]
    pub resume: bool,
    /// With `--tasks N`: write (and with `--submit`, submit) the analysis as a Slurm job array
    /// of N shards plus a merge job, as `caseload slurm` does a sweep, instead of running it.
    #[command(flatten)]
    pub cluster: crate::slurm::ClusterArgs,
}

/// Reads the scenario, builds every point's design and checks the question, without running;
/// `command` is the one whose manifest it is (`sensitivity`, or `slurm`).
pub fn prepare(
    question: &SensitivityQuestion,
    command: Command,
    shard: Option<Shard>,
) -> anyhow::Result<caseload_scenario::PreparedSweep> {
    let source = ScenarioSource::read(&question.scenario.scenario)?;
    let kpis = if question.kpis.is_empty() {
        vec!["backlog_end".to_string()]
    } else {
        question.kpis.clone()
    };
    let method = match question.method {
        MethodArg::Morris => SensitivityMethod::Morris {
            trajectories: question.trajectories,
            levels: question.levels,
        },
        MethodArg::Sobol => SensitivityMethod::Sobol {
            samples: question.samples,
        },
    };
    let manifest = Manifest::new(
        command,
        crate::args::command_line(),
        &question.scenario.scenario,
        source.text(),
    );
    Ok(source.prepare_sensitivity(
        &SensitivityAsked {
            variant: question.scenario.variant.as_deref(),
            params: &question.params,
            kpis: &kpis,
            method,
            replications: question.replications.reps,
            seed: question.replications.seed,
            limits: question.limits.limits(),
        },
        manifest,
        shard,
    )?)
}

/// Runs `caseload sensitivity`; returns the text for stdout.
pub fn run(args: &SensitivityArgs) -> anyhow::Result<String> {
    if args.cluster.tasks.is_some() {
        return crate::slurm::sensitivity(&args.question, &args.cluster, &args.output);
    }
    let prepared = prepare(&args.question, Command::Sensitivity, args.shard)?;
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
