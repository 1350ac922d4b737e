//! `caseload sweep` and `caseload merge`: a grid of parameter values, each point run with the
//! same replications (common random numbers), as one parallel job or as shards merged later.
//! The grid, the rows' store, resuming and merging live in caseload-experiment, the files
//! written in caseload-report; this module wires them to the command line.

use std::path::{Path, PathBuf};

use anyhow::Context;
use caseload_experiment::{
    Block, Command, Leftover, Manifest, Rows, Shard, SweepStore, merge_shards, partial_folder,
};
use caseload_scenario::{PreparedSweep, ScenarioSource, SweepAsked};

use crate::args::{OutputArgs, ReplicationArgs, ScenarioArgs};
use crate::output::report_if;
use crate::terminal::progress_bar;
use caseload_experiment::results::folder::{KeptFolder, OutputDir, check_target, lock_folder};

/// What a sweep runs: the scenario, the grid and the replications (shared by `sweep` and
/// `slurm`).
#[derive(Debug, Clone, clap::Args)]
pub struct GridArgs {
    /// The scenario and variant swept.
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    /// A numeric field and its values: `PATH=START:STOP:STEP` or `PATH=V1,V2,...`, e.g.
    /// `actions.homicide_transfer.officers=0:40:5`. Repeat for a grid (the first varies
    /// slowest).
    #[arg(long = "param", value_name = "PATH=VALUES", required = true)]
    pub params: Vec<String>,
    /// Replications per point and their seed.
    #[command(flatten)]
    pub replications: ReplicationArgs,
    /// KPI drawn on the chart (every KPI is in sweep.csv).
    #[arg(long, value_name = "KPI", default_value = "backlog_end")]
    pub kpi: String,
    /// A target on that KPI to mark on the chart, e.g. `backlog_end<=200`: a line across a
    /// curve, a contour around the cells meeting it on a heatmap.
    #[arg(long, value_name = "KPI<=VALUE")]
    pub target: Option<String>,
    /// The point every other is compared with, replication by replication (paired
    /// differences in sweep.csv, the terminal and a chart): a value per --param,
    /// comma-separated [default: the first point].
    #[arg(long, value_name = "V[,V...]")]
    pub reference: Option<String>,
    /// Bounds on what a run may take.
    #[command(flatten)]
    pub limits: crate::limits::LimitArgs,
}

impl GridArgs {
    /// The command-line arguments that give this grid again, with the scenario's path as given.
    pub fn to_args(&self) -> Vec<String> {
        let mut args = self.scenario.to_args();
        for p in &self.params {
            args.extend(["--param".to_string(), p.clone()]);
        }
        args.extend(self.replications.to_args());
        args.extend(["--kpi".to_string(), self.kpi.clone()]);
        if let Some(target) = &self.target {
            args.extend(["--target".to_string(), target.clone()]);
        }
        if let Some(reference) = &self.reference {
            args.extend(["--reference".to_string(), reference.clone()]);
        }
        args.extend(self.limits.to_args());
        args
    }
}

/// Arguments of `caseload sweep`.
#[derive(Debug, clap::Args)]
pub struct SweepArgs {
    /// The scenario, grid and replications.
    #[command(flatten)]
    pub grid: GridArgs,
    /// Run only slice K (0-based) of N equal slices of the (point, replication) pairs, for
    /// `caseload merge` to combine.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<Shard>,
    /// Where the results go [default folder: sweep, or sweep.shard-K-of-N].
    #[command(flatten)]
    pub output: OutputArgs,
    /// Continue an interrupted sweep from the points it wrote; do nothing if it finished.
    #[arg(long)]
    pub resume: bool,
}

/// Arguments of `caseload merge`.
#[derive(Debug, clap::Args)]
pub struct MergeArgs {
    /// The shards' output folders (every shard of one sweep).
    #[arg(required = true, value_name = "DIR")]
    pub shards: Vec<PathBuf>,
    /// Where the merged sweep goes [default: the sweep's default folder].
    #[command(flatten)]
    pub output: OutputArgs,
}

/// Reads the scenario, builds every point's design and checks the grid, without running.
pub fn prepare(
    args: &GridArgs,
    command: Command,
    shard: Option<Shard>,
) -> anyhow::Result<PreparedSweep> {
    let source = ScenarioSource::read(&args.scenario.scenario)?;
    Ok(source.prepare_sweep(
        &SweepAsked {
            variant: args.scenario.variant.as_deref(),
            params: &args.params,
            replications: args.replications.reps,
            seed: args.replications.seed,
            kpi: &args.kpi,
            target: args.target.as_deref(),
            reference: args.reference.as_deref(),
            limits: args.limits.limits(),
        },
        Manifest::new(
            command,
            crate::args::command_line(),
            &args.scenario.scenario,
            source.text(),
        ),
        shard,
    )?)
}

/// Runs `caseload sweep`; returns the text for stdout.
pub fn run(args: &SweepArgs) -> anyhow::Result<String> {
    let prepared = prepare(&args.grid, Command::Sweep, args.shard)?;
    let stored = run_stored(prepared, args.shard, &args.output, args.resume)?;
    Ok(match stored {
        Stored::AlreadyDone(text) => text,
        Stored::Written {
            manifest,
            rows,
            folder,
            resumed,
        } => resumed + &caseload_report::text::sweep(&manifest, &rows, &folder),
    })
}

/// What running a prepared sweep (or sensitivity analysis) left.
pub enum Stored {
    /// The folder already held it: what to say.
    AlreadyDone(String),
    /// It ran (or resumed) and its folder is in place.
    Written {
        /// The manifest written.
        manifest: Box<Manifest>,
        /// Every (point, replication)'s KPIs.
        rows: Rows,
        /// Where the folder landed.
        folder: PathBuf,
        /// A line saying what was resumed, if anything.
        resumed: String,
    },
}

/// Runs a prepared sweep or sensitivity analysis (or a shard of it) into its folder: the
/// folder locked and checked, the points not yet stored run (resuming with `resume`), then
/// the final files written whole.
pub fn run_stored(
    prepared: PreparedSweep,
    shard: Option<Shard>,
    output: &OutputArgs,
    resume: bool,
) -> anyhow::Result<Stored> {
    let PreparedSweep {
        mut manifest,
        designs,
        input,
    } = prepared;
    let command = manifest.command;
    let target = output
        .out
        .clone()
        .unwrap_or_else(|| manifest.default_sweep_folder(shard));
    let lock = lock_folder(&target)?;
    if resume && !output.force && holds_sweep(&target, &manifest) {
        // Stopped after its results were in place: only the stored rows are left to remove.
        let stored = partial_folder(&target);
        if stored.is_dir() {
            KeptFolder::new(&stored).remove()?;
        }
        return Ok(Stored::AlreadyDone(format!(
            "nothing to do: {} already holds this {}\n",
            target.display(),
            command.name()
        )));
    }
    check_target(&target, output.force, command)?;
    let (rows, kept, resumed) = run_points(resume, output.force, &manifest, &designs, &target)?;
    // The final files go to a folder of their own: if this stops, the stored rows are
    // untouched and --resume goes straight here.
    let out = OutputDir::create(&target, output.force, command, lock)?;
    caseload_report::write_sweep_results(&|f| out.file(f), &mut manifest, &rows, Some(&input))?;
    report_if(&out, output.report)?;
    let folder = out.finish()?;
    kept.remove()?;
    Ok(Stored::Written {
        manifest: Box::new(manifest),
        rows,
        folder,
        resumed,
    })
}

/// Whether `target` already holds the finished sweep (or shard) `manifest` describes.
fn holds_sweep(target: &Path, manifest: &Manifest) -> bool {
    let shard = manifest.sweep.as_ref().map(|s| s.shard);
    target.is_dir()
        && Manifest::read(target).is_ok_and(|done| {
            done.same_sweep(manifest) && done.sweep.as_ref().map(|s| s.shard) == shard
        })
}

/// Runs the points not yet stored in the sweep's resumable folder beside `target` and returns
/// every row, the folder (kept until the results are in place) and a line saying what was
/// resumed.
fn run_points(
    resume: bool,
    force: bool,
    manifest: &Manifest,
    designs: &[caseload_experiment::Design],
    target: &Path,
) -> anyhow::Result<(Rows, KeptFolder, String)> {
    let record = manifest.sweep.as_ref().context("a sweep's manifest")?;
    let staging = partial_folder(target);
    let blocks = record.slice().blocks(record.points, manifest.replications);
    let leftover = match (resume, force) {
        (_, true) => Leftover::Discard,
        (true, false) => Leftover::Resume,
        (false, false) => Leftover::Refuse,
    };
    let mut store = SweepStore::open(&staging, manifest, &blocks, leftover)?;
    let kept = KeptFolder::new(&staging);
    let done = caseload_experiment::complete(&blocks, store.done());
    let todo: Vec<Block> = blocks
        .iter()
        .zip(&done)
        .filter(|(_, d)| !**d)
        .map(|(b, _)| b.clone())
        .collect();
    let pairs: usize = todo.iter().map(|b| b.replications.len()).sum();
    let progress = progress_bar(pairs as u64);
    caseload_experiment::sweep(
        designs,
        manifest.seed,
        &todo,
        &|| progress.inc(1),
        |block, values| store.append(block, &values),
    )
    .map_err(|e| match e {
        caseload_experiment::SweepError::Handler(e) => anyhow::Error::new(e),
        caseload_experiment::SweepError::Config { point, source } => {
            anyhow::Error::new(source).context(format!("sweep point {point}"))
        }
    })
    .with_context(|| {
        format!(
            "the sweep stopped; the points done are kept in {} (continue with --resume)",
            staging.display()
        )
    })?;
    progress.finish_and_clear();
    let resumed = blocks.len() - todo.len();
    let said = if resumed > 0 {
        format!(
            "resumed: {resumed} of {} points were already written; ran the other {}\n",
            blocks.len(),
            todo.len()
        )
    } else {
        String::new()
    };
    Ok((store.finish()?, kept, said))
}

/// Runs `caseload merge`; returns the text for stdout.
pub fn merge(args: &MergeArgs) -> anyhow::Result<String> {
    let (mut manifest, rows) = merge_shards(&args.shards)?;
    manifest.command_line = crate::args::command_line();
    let target = args
        .output
        .out
        .clone()
        .unwrap_or_else(|| manifest.default_sweep_folder(None));
    let lock = lock_folder(&target)?;
    let out = OutputDir::create(&target, args.output.force, manifest.command, lock)?;
    let input = caseload_experiment::shards_input(&args.shards, &manifest);
    caseload_report::write_sweep_results(&|f| out.file(f), &mut manifest, &rows, input.as_deref())?;
    report_if(&out, args.output.report)?;
    let written = out.finish()?;
    let text = if manifest.command == Command::Sensitivity {
        caseload_report::text::sensitivity(&manifest, &rows, &written)
    } else {
        caseload_report::text::sweep(&manifest, &rows, &written)
    };
    Ok(format!("merged {} shards\n{text}", args.shards.len()))
}
