//! `caseload slurm`: a sweep as a Slurm job array. Each array task runs one shard of the sweep
//! (`caseload sweep ... --shard $SLURM_ARRAY_TASK_ID/N --resume`) into its own folder; a merge
//! job, held until every task has succeeded (`afterok`) and cancelled if one fails
//! (`--kill-on-invalid-dep=yes`), combines them. Writes the scripts, and with `--submit` calls
//! sbatch itself. Assumes the cluster's nodes see this machine's files at the same paths (a
//! shared filesystem), as Slurm clusters do.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process;

use anyhow::{Context, bail};
use caseload_experiment::Command;

use crate::args::OutputArgs;

use crate::output::check_target;
use crate::sweep::{GridArgs, prepare};

/// Below this estimated run time per task, suggest fewer tasks.
const MIN_TASK_SECONDS: f64 = 10.0;

/// Largest array: Slurm's default `MaxArraySize` of 1001 allows indices 0-1000.
const MAX_TASKS: u32 = 1001;

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

/// A word for a shell script: as is if plainly safe, else in single quotes.
fn shell_word(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-:=,+%@".contains(c));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// Checks a value that goes into an `#SBATCH` line, where no quoting is possible.
fn directive_value(what: &str, value: &str) -> anyhow::Result<String> {
    let ok = !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-:,+@".contains(c));
    if !ok {
        bail!(
            "{what} `{value}` cannot go into an #SBATCH line: use letters, digits and / . _ - : \
             , + @ only (no spaces)"
        );
    }
    Ok(value.to_string())
}

/// An absolute form of `path` (which need not exist yet).
fn absolute(path: &Path) -> anyhow::Result<PathBuf> {
    if path.is_absolute() {
        return Ok(path.to_path_buf());
    }
    Ok(std::env::current_dir()
        .context("reading the current folder")?
        .join(path))
}

/// Runs the command; returns the text for stdout.
pub fn run(args: &SlurmArgs) -> anyhow::Result<String> {
    if args.tasks == 0 || args.tasks > MAX_TASKS {
        bail!(
            "--tasks {}: expected 1 to {MAX_TASKS} (Slurm's default array limit is indices \
             0-1000)",
            args.tasks
        );
    }
    if args.throttle == Some(0) {
        bail!("--throttle must be at least 1");
    }
    if args.cpus == 0 {
        bail!("--cpus must be at least 1");
    }
    let sweep = prepare(&args.grid, Command::Slurm, None)?;
    let label = sweep.manifest().label();
    if u64::from(args.tasks) > sweep.pairs() {
        bail!(
            "--tasks {} is more than the sweep's {} (point, replication) pairs; use fewer tasks",
            args.tasks,
            sweep.pairs()
        );
    }
    let folder = absolute(&args.output.folder(
        &sweep.manifest().scenario,
        sweep.manifest().variant.as_deref(),
        Command::Slurm,
    ))?;
    let folder_text = directive_value("the output folder", utf8(&folder, "the output folder")?)?;
    let partition = match &args.partition {
        Some(p) => Some(directive_value("--partition", p)?),
        None => None,
    };
    let time = match &args.time {
        Some(t) => Some(directive_value("--time", t)?),
        None => None,
    };
    if check_target(&folder, args.output.force, Command::Slurm)? {
        fs::remove_dir_all(&folder)
            .with_context(|| format!("removing the old {}", folder.display()))?;
    }
    fs::create_dir_all(folder.join("logs"))
        .with_context(|| format!("creating {}", folder.display()))?;
    fs::create_dir_all(folder.join("shards"))
        .with_context(|| format!("creating {}", folder.display()))?;

    let program = std::env::current_exe().context("finding the caseload program")?;
    let mut grid = args.grid.clone();
    grid.scenario.scenario = fs::canonicalize(&grid.scenario.scenario)
        .with_context(|| format!("resolving {}", grid.scenario.scenario.display()))?;
    utf8(&grid.scenario.scenario, "the scenario file")?;
    let grid_words: Vec<String> = grid.to_args().iter().map(|a| shell_word(a)).collect();
    let program_text = shell_word(utf8(&program, "the caseload program")?);
    let n = args.tasks;
    let name = directive_value("the scenario name", &label)?;

    let mut header = String::new();
    if let Some(p) = &partition {
        let _ = writeln!(header, "#SBATCH --partition={p}");
    }
    if let Some(t) = &time {
        let _ = writeln!(header, "#SBATCH --time={t}");
    }
    let array = match args.throttle {
        Some(k) => format!("0-{}%{k}", n - 1),
        None => format!("0-{}", n - 1),
    };
    let sweep_script = format!(
        "#!/bin/bash
# One shard of the sweep per array task; re-submit a single task with
#   sbatch --array=K {folder}/sweep.sbatch
# (it resumes from the points it had written).
#SBATCH --job-name=caseload-sweep-{name}
#SBATCH --array={array}
#SBATCH --ntasks=1
#SBATCH --cpus-per-task={cpus}
#SBATCH --chdir={folder}
#SBATCH --output={folder}/logs/shard-%a.out
{header}set -euo pipefail
export RAYON_NUM_THREADS=\"${{SLURM_CPUS_PER_TASK:-1}}\"
exec {program} sweep {grid} --shard \"$SLURM_ARRAY_TASK_ID/{n}\" --out \"{folder}/shards/$SLURM_ARRAY_TASK_ID\" --resume
",
        folder = folder_text,
        cpus = args.cpus,
        program = program_text,
        grid = grid_words.join(" "),
    );
    let merge_script = format!(
        "#!/bin/bash
# Combines the {n} shards into the files one unsharded sweep writes; held until every array
# task has succeeded.
#SBATCH --job-name=caseload-merge-{name}
#SBATCH --ntasks=1
#SBATCH --cpus-per-task=1
#SBATCH --chdir={folder}
#SBATCH --output={folder}/logs/merge.out
{header}set -euo pipefail
shards=()
for k in $(seq 0 {last}); do shards+=(\"{folder}/shards/$k\"); done
exec {program} merge \"${{shards[@]}}\" --out \"{folder}/sweep\"
",
        folder = folder_text,
        last = n - 1,
        program = program_text,
    );
    let submit_script = format!(
        "#!/bin/bash
# Submits the array, then the merge held until every task succeeds (cancelled if one fails).
set -euo pipefail
array=$(sbatch --parsable {folder}/sweep.sbatch)
array=\"${{array%%;*}}\"
merge=$(sbatch --parsable --dependency=afterok:\"$array\" --kill-on-invalid-dep=yes {folder}/merge.sbatch)
merge=\"${{merge%%;*}}\"
echo \"array job $array ({n} tasks), merge job $merge\"
",
        folder = folder_text,
    );
    for (file, text) in [
        ("sweep.sbatch", &sweep_script),
        ("merge.sbatch", &merge_script),
        ("submit.sh", &submit_script),
    ] {
        let path = folder.join(file);
        fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
        make_executable(&path)?;
    }
    let mut manifest = sweep.manifest().clone();
    manifest.files = ["sweep.sbatch", "merge.sbatch", "submit.sh"]
        .map(String::from)
        .into();
    manifest
        .write(&folder.join("manifest.json"))
        .context("writing the folder's manifest")?;

    let per_task = sweep.pairs() as f64 / f64::from(n);
    let seconds = per_task * sweep.time_one_replication()?.as_secs_f64() / f64::from(args.cpus);
    let mut text = format!(
        "{}: {} points, {} (point, replication) pairs in {n} array tasks (about {:.0} pairs \
         each, about {seconds:.0} s per task at this machine's speed)\nscripts in {}: \
         sweep.sbatch, merge.sbatch, submit.sh\n",
        label,
        sweep.points(),
        sweep.pairs(),
        per_task,
        folder.display()
    );
    if seconds < MIN_TASK_SECONDS {
        let _ = writeln!(
            text,
            "note: tasks this short spend more time being scheduled than computing; fewer \
             tasks (--tasks) make coarser shards"
        );
    }
    if args.submit {
        let array = sbatch(&[&format!("{folder_text}/sweep.sbatch")])?;
        let merge = sbatch(&[
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

/// Runs `sbatch --parsable ARGS` and returns the job id it prints.
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

fn sbatch(args: &[&str]) -> anyhow::Result<String> {
    let output = process::Command::new("sbatch")
        .arg("--parsable")
        .args(args)
        .output()
        .context("running sbatch (is Slurm installed here and is sbatch on the PATH?)")?;
    if !output.status.success() {
        bail!(
            "sbatch {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    let printed = String::from_utf8_lossy(&output.stdout);
    let id = printed.trim().split(';').next().unwrap_or("").to_string();
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_digit()) {
        bail!("sbatch printed `{}`, not a job id", printed.trim());
    }
    Ok(id)
}

#[cfg(unix)]
fn make_executable(path: &Path) -> anyhow::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(0o755))
        .with_context(|| format!("making {} executable", path.display()))
}

#[cfg(not(unix))]
fn make_executable(_: &Path) -> anyhow::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_words_are_quoted_when_needed() {
        assert_eq!(
            shell_word("teams.cait.strength=9:14:1"),
            "teams.cait.strength=9:14:1"
        );
        assert_eq!(shell_word("a b"), "'a b'");
        assert_eq!(shell_word("it's"), r"'it'\''s'");
        assert_eq!(shell_word(""), "''");
        assert!(directive_value("x", "/tmp/a b").is_err());
        assert!(directive_value("x", "00:30:00").is_ok());
    }
}
