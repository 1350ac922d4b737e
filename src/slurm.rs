//! `caseload slurm`: a sweep as a Slurm job array. Each array task runs one shard of the sweep
//! (`caseload sweep ... --shard $SLURM_ARRAY_TASK_ID/N --resume`) into its own folder; a merge
//! job, held until every task has succeeded (`afterok`) and cancelled if one fails
//! (`--kill-on-invalid-dep=yes`), combines them. Writes the scripts, and with `--submit` calls
//! sbatch itself. Assumes the cluster's nodes see this machine's files at the same paths (a
//! shared filesystem), as Slurm clusters do.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use anyhow::Context;
use caseload_experiment::{Command, SlurmJob};

use crate::args::OutputArgs;

use crate::sweep::{GridArgs, prepare};

/// Arguments of `caseload slurm`.
#[derive(Debug, clap::Args)]
pub struct SlurmArgs {
    /// The scenario, grid and replications, as for `caseload sweep`.
    #[command(flatten)]
    pub grid: GridArgs,
    /// Array tasks: the sweep's (point, replication) pairs are cut into this many shards. Keep
    /// each task tens of seconds or more (several points per task).
    #[arg(long, value_name = "N")]
    pub tasks: u32,
    /// Most tasks running at once (`--array=0-(N-1)%K`).
    #[arg(long, value_name = "K")]
    pub throttle: Option<u32>,
    /// Slurm partition to submit to [default: the cluster's default].
    #[arg(long, value_name = "P")]
    pub partition: Option<String>,
    /// Time limit of each task, e.g. 00:30:00 [default: the partition's].
    #[arg(long, value_name = "HH:MM:SS")]
    pub time: Option<String>,
    /// CPUs per task (each task runs its replications on this many threads).
    #[arg(long, value_name = "C", default_value_t = 1)]
    pub cpus: u32,
    /// Folder for the scripts, logs, shards and the merged sweep.
    #[command(flatten)]
    pub output: OutputArgs,
    /// Submit the array and the merge with sbatch and print their job ids.
    #[arg(long)]
    pub submit: bool,
}

/// Runs the command; returns the text for stdout.
pub fn run(args: &SlurmArgs) -> anyhow::Result<String> {
    let sweep = prepare(&args.grid, Command::Slurm, None)?;
    let label = sweep.manifest.label();
    let folder = std::path::absolute(args.output.folder(
        &sweep.manifest.scenario,
        sweep.manifest.variant.as_deref(),
        Command::Slurm,
    ))
    .context("reading the current folder")?;
    let program = std::env::current_exe().context("finding the caseload program")?;
    let mut grid = args.grid.clone();
    grid.scenario.scenario = fs::canonicalize(&grid.scenario.scenario)
        .with_context(|| format!("resolving {}", grid.scenario.scenario.display()))?;
    let job = SlurmJob {
        name: label.clone(),
        folder: utf8(&folder, "the output folder")?.to_string(),
        program: utf8(&program, "the caseload program")?.to_string(),
        sweep_args: {
            utf8(&grid.scenario.scenario, "the scenario file")?;
            grid.to_args()
        },
        pairs: sweep.pairs(),
        tasks: args.tasks,
        throttle: args.throttle,
        partition: args.partition.clone(),
        time: args.time.clone(),
        cpus: args.cpus,
    };
    let scripts = job.scripts()?;
    let (n, folder_text) = (job.tasks, &job.folder);
    scripts.write_folder(&folder, &sweep.manifest, args.output.force)?;
    let seconds_one = sweep
        .time_one_replication()
        .context("running one replication to size the shards")?
        .as_secs_f64();
    let mut text = caseload_report::text::slurm(
        &label,
        sweep.points(),
        sweep.pairs(),
        n,
        seconds_one / f64::from(args.cpus),
        &folder,
    );
    if args.submit {
        let array = caseload_experiment::sbatch(&[&format!("{folder_text}/sweep.sbatch")])?;
        let merge = caseload_experiment::sbatch(&[
            &format!("--dependency=afterok:{array}"),
            "--kill-on-invalid-dep=yes",
            &format!("{folder_text}/merge.sbatch"),
        ])?;
        let _ = writeln!(text, "submitted array job {array} and merge job {merge}");
        let _ = writeln!(
            text,
            "results in {}/sweep when the merge job ends; a failed task's log is in {}/logs",
            folder.display(),
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
