//! `caseload slurm`: a sweep (or, with `caseload sensitivity --tasks N`, a sensitivity
//! analysis) as a Slurm job array. Each array task runs one shard (`caseload sweep ... --shard
//! $SLURM_ARRAY_TASK_ID/N --resume`, or `caseload sensitivity ...`) into its own folder; a
//! merge job, held until every task has succeeded (`afterok`) and cancelled if one fails
//! (`--kill-on-invalid-dep=yes`), combines them. Writes the scripts, and with `--submit` calls
//! sbatch itself. Assumes the cluster's nodes see this machine's files at the same paths (a
//! shared filesystem), as Slurm clusters do.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use anyhow::Context;
use caseload_experiment::{Command, SlurmJob};
use caseload_scenario::PreparedSweep;

use crate::args::OutputArgs;
use crate::sensitivity::SensitivityQuestion;
use crate::sweep::{GridArgs, prepare};

/// Arguments of `caseload slurm`.
#[derive(Debug, clap::Args)]
pub struct SlurmArgs {
    /// The scenario, grid and replications, as for `caseload sweep`.
    #[command(flatten)]
    pub grid: GridArgs,
    /// The array's size and the cluster's options.
    #[command(flatten)]
    pub cluster: ClusterArgs,
    /// Folder for the scripts, logs, shards and the merged results.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// The array's size and the cluster's options (`slurm`, and `sensitivity --tasks`).
#[derive(Debug, Clone, clap::Args)]
#[command(next_help_heading = "On a Slurm cluster")]
pub struct ClusterArgs {
    /// Array tasks: the (point, replication) pairs are cut into this many shards, each an
    /// array task (`sensitivity`: write the job array instead of running). Keep each task tens
    /// of seconds or more (several points per task).
    #[arg(long, value_name = "N")]
    pub tasks: Option<u32>,
    /// Most tasks running at once (`--array=0-(N-1)%K`).
    #[arg(long, value_name = "K", requires = "tasks")]
    pub throttle: Option<u32>,
    /// Slurm partition to submit to [default: the cluster's default].
    #[arg(long, value_name = "P", requires = "tasks")]
    pub partition: Option<String>,
    /// Time limit of each task, e.g. 00:30:00 [default: the partition's].
    #[arg(long, value_name = "HH:MM:SS", requires = "tasks")]
    pub time: Option<String>,
    /// CPUs per task (each task runs its replications on this many threads).
    #[arg(long, value_name = "C", default_value_t = 1)]
    pub cpus: u32,
    /// Submit the array and the merge with sbatch and print their job ids.
    #[arg(long, requires = "tasks")]
    pub submit: bool,
}

/// Runs `caseload slurm`; returns the text for stdout.
pub fn run(args: &SlurmArgs) -> anyhow::Result<String> {
    let prepared = prepare(&args.grid, Command::Slurm, None)?;
    let mut grid = args.grid.clone();
    grid.scenario.scenario = fs::canonicalize(&grid.scenario.scenario)
        .with_context(|| format!("resolving {}", grid.scenario.scenario.display()))?;
    utf8(&grid.scenario.scenario, "the scenario file")?;
    array(
        &prepared,
        Command::Sweep,
        grid.to_args(),
        &args.cluster,
        &args.output,
    )
}

/// Writes (and with `--submit`, submits) a sensitivity analysis's job array.
pub fn sensitivity(
    question: &SensitivityQuestion,
    cluster: &ClusterArgs,
    output: &OutputArgs,
) -> anyhow::Result<String> {
    let prepared = crate::sensitivity::prepare(question, Command::Slurm, None)?;
    let mut question = question.clone();
    question.scenario.scenario = fs::canonicalize(&question.scenario.scenario)
        .with_context(|| format!("resolving {}", question.scenario.scenario.display()))?;
    utf8(&question.scenario.scenario, "the scenario file")?;
    array(
        &prepared,
        Command::Sensitivity,
        question.to_args(),
        cluster,
        output,
    )
}

/// Writes (and with `--submit`, submits) the job array running `command` with `run_args`
/// (the scenario's path absolute) over the pairs of `prepared`.
fn array(
    prepared: &PreparedSweep,
    command: Command,
    run_args: Vec<String>,
    cluster: &ClusterArgs,
    output: &OutputArgs,
) -> anyhow::Result<String> {
    let Some(tasks) = cluster.tasks else {
        anyhow::bail!("--tasks N is needed: the (point, replication) pairs are cut into N shards");
    };
    let label = prepared.manifest.label();
    let folder = std::path::absolute(output.folder(
        &prepared.manifest.scenario,
        prepared.manifest.variant.as_deref(),
        Command::Slurm,
    ))
    .context("reading the current folder")?;
    let program = std::env::current_exe().context("finding the caseload program")?;
    let job = SlurmJob {
        name: label.clone(),
        command,
        folder: utf8(&folder, "the output folder")?.to_string(),
        program: utf8(&program, "the caseload program")?.to_string(),
        sweep_args: run_args,
        pairs: prepared.pairs(),
        tasks,
        throttle: cluster.throttle,
        partition: cluster.partition.clone(),
        time: cluster.time.clone(),
        cpus: cluster.cpus,
    };
    let scripts = job.scripts()?;
    let (n, folder_text) = (job.tasks, &job.folder);
    scripts.write_folder(&folder, &prepared.manifest, output.force)?;
    let seconds_one = prepared
        .time_one_replication()
        .context("running one replication to size the shards")?
        .as_secs_f64();
    let mut text = caseload_report::text::slurm(
        &label,
        prepared.points(),
        prepared.pairs(),
        n,
        seconds_one / f64::from(cluster.cpus),
        &folder,
    );
    if cluster.submit {
        let array = caseload_experiment::sbatch(&[&format!("{folder_text}/sweep.sbatch")])?;
        let merge = caseload_experiment::sbatch(&[
            &format!("--dependency=afterok:{array}"),
            "--kill-on-invalid-dep=yes",
            &format!("{folder_text}/merge.sbatch"),
        ])?;
        let _ = writeln!(text, "submitted array job {array} and merge job {merge}");
        let _ = writeln!(
            text,
            "results in {}/{} when the merge job ends; a failed task's log is in {}/logs",
            folder.display(),
            command.name(),
            folder.display()
        );
    } else {
        let _ = writeln!(text, "submit with: bash {}/submit.sh", folder.display());
    }
    Ok(text)
}

/// `path` as text; an error naming `what` if it is not UTF-8 (a Slurm script is UTF-8 text,
/// so it could not name the path right).
fn utf8<'a>(path: &'a Path, what: &str) -> anyhow::Result<&'a str> {
    path.to_str().with_context(|| {
        format!(
            "{what} {} is not UTF-8 text; a Slurm script can only name UTF-8 paths",
            path.display()
        )
    })
}
