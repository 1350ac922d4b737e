//! A sweep as a Slurm job array: the scripts. Each array task runs one shard of the sweep
//! (`caseload sweep ... --shard $SLURM_ARRAY_TASK_ID/N --resume`) into its own folder; a merge
//! job, held until every task has succeeded (`afterok`) and cancelled if one fails
//! (`--kill-on-invalid-dep=yes`), combines them. The cluster's nodes are assumed to see the
//! submitting machine's files at the same paths (a shared filesystem), as Slurm clusters do.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process;

use crate::results::folder::check_target;
use crate::results::manifest::{Command, Manifest};

/// Largest array: Slurm's default `MaxArraySize` of 1001 allows indices 0-1000.
pub const MAX_TASKS: u32 = 1001;

/// What the job array runs and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlurmJob {
    /// The sweep's label, in the job names.
    pub name: String,
    /// What each task runs a shard of: `Sweep` or `Sensitivity`.
    pub command: Command,
    /// The folder for the scripts, logs, shards and the merged sweep (absolute).
    pub folder: String,
    /// The caseload program (absolute).
    pub program: String,
    /// The arguments of `caseload sweep` (or `sensitivity`) that give the sweep (scenario path
    /// absolute).
    pub sweep_args: Vec<String>,
    /// (point, replication) pairs in the sweep.
    pub pairs: u64,
    /// Array tasks.
    pub tasks: u32,
    /// Most tasks at once.
    pub throttle: Option<u32>,
    /// The partition.
    pub partition: Option<String>,
    /// Each task's time limit, `HH:MM:SS`.
    pub time: Option<String>,
    /// CPUs per task.
    pub cpus: u32,
}

/// The scripts of a job array.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlurmScripts {
    /// `sweep.sbatch`: the array of shards.
    pub sweep: String,
    /// `merge.sbatch`: the merge.
    pub merge: String,
    /// `submit.sh`: submits both, the merge held on the array.
    pub submit: String,
}

/// A job array that cannot be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct SlurmError(String);

impl SlurmScripts {
    /// Writes the Slurm folder `folder`: the scripts (executable), `logs/` and `shards/` for
    /// the tasks, and `manifest` (the sweep's, which the merge checks the shards against). An
    /// existing folder of `caseload slurm` is replaced only with `force` (see
    /// [`check_target`]).
    pub fn write_folder(
        &self,
        folder: &Path,
        manifest: &Manifest,
        force: bool,
    ) -> Result<(), SlurmError> {
        let failed = |doing: &str, path: &Path, e: &dyn std::fmt::Display| {
            SlurmError(format!("{doing} {}: {e}", path.display()))
        };
        if check_target(folder, force, Command::Slurm).map_err(|e| SlurmError(e.to_string()))? {
            fs::remove_dir_all(folder).map_err(|e| failed("removing the old", folder, &e))?;
        }
        for sub in ["logs", "shards"] {
            fs::create_dir_all(folder.join(sub)).map_err(|e| failed("creating", folder, &e))?;
        }
        for (file, text) in [
            ("sweep.sbatch", &self.sweep),
            ("merge.sbatch", &self.merge),
            ("submit.sh", &self.submit),
        ] {
            let path = folder.join(file);
            fs::write(&path, text).map_err(|e| failed("writing", &path, &e))?;
            make_executable(&path).map_err(|e| failed("making executable", &path, &e))?;
        }
        let mut manifest = manifest.clone();
        manifest.files = ["sweep.sbatch", "merge.sbatch", "submit.sh"]
            .map(String::from)
            .into();
        manifest
            .write(&folder.join("manifest.json"))
            .map_err(|e| SlurmError(format!("writing the folder's manifest: {e}")))
    }
}

#[cfg(unix)]
fn make_executable(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(0o755))
}

#[cfg(not(unix))]
fn make_executable(_: &Path) -> std::io::Result<()> {
    Ok(())
}

/// Runs `sbatch --parsable ARGS` and returns the job id it prints.
pub fn sbatch(args: &[&str]) -> Result<String, SlurmError> {
    let output = process::Command::new("sbatch")
        .arg("--parsable")
        .args(args)
        .output()
        .map_err(|e| {
            SlurmError(format!(
                "running sbatch (is Slurm installed here and is sbatch on the PATH?): {e}"
            ))
        })?;
    if !output.status.success() {
        return Err(SlurmError(format!(
            "sbatch {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    let printed = String::from_utf8_lossy(&output.stdout);
    let id = printed.trim().split(';').next().unwrap_or("").to_string();
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_digit()) {
        return Err(SlurmError(format!(
            "sbatch printed `{}`, not a job id",
            printed.trim()
        )));
    }
    Ok(id)
}

/// A word for a shell script: as is if plainly safe, else in single quotes.
pub fn shell_word(word: &str) -> String {
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
fn directive_value<'v>(what: &str, value: &'v str) -> Result<&'v str, SlurmError> {
    let ok = !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-:,+@".contains(c));
    if !ok {
        return Err(SlurmError(format!(
            "{what} `{value}` cannot go into an #SBATCH line: use letters, digits and / . _ - : \
             , + @ only (no spaces)"
        )));
    }
    Ok(value)
}

impl SlurmJob {
    /// Checks the job and writes its scripts.
    pub fn scripts(&self) -> Result<SlurmScripts, SlurmError> {
        let n = self.tasks;
        if n == 0 || n > MAX_TASKS {
            return Err(SlurmError(format!(
                "--tasks {n}: expected 1 to {MAX_TASKS} (Slurm's default array limit is \
                 indices 0-1000)"
            )));
        }
        if u64::from(n) > self.pairs {
            return Err(SlurmError(format!(
                "--tasks {n} is more than the sweep's {} (point, replication) pairs; use fewer \
                 tasks",
                self.pairs
            )));
        }
        if self.throttle == Some(0) {
            return Err(SlurmError("--throttle must be at least 1".into()));
        }
        if self.cpus == 0 {
            return Err(SlurmError("--cpus must be at least 1".into()));
        }
        let folder = directive_value("the output folder", &self.folder)?;
        let name = directive_value("the scenario name", &self.name)?;
        let mut header = String::new();
        if let Some(p) = &self.partition {
            let _ = writeln!(
                header,
                "#SBATCH --partition={}",
                directive_value("--partition", p)?
            );
        }
        if let Some(t) = &self.time {
            let _ = writeln!(header, "#SBATCH --time={}", directive_value("--time", t)?);
        }
        let array = match self.throttle {
            Some(k) => format!("0-{}%{k}", n - 1),
            None => format!("0-{}", n - 1),
        };
        let program = shell_word(&self.program);
        let grid: Vec<String> = self.sweep_args.iter().map(|a| shell_word(a)).collect();
        let sweep = format!(
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
exec {program} {command} {grid} --shard \"$SLURM_ARRAY_TASK_ID/{n}\" --out \"{folder}/shards/$SLURM_ARRAY_TASK_ID\" --resume
",
            cpus = self.cpus,
            grid = grid.join(" "),
            command = self.command.name(),
        );
        let merge = format!(
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
exec {program} merge \"${{shards[@]}}\" --out \"{folder}/{command}\"
",
            last = n - 1,
            command = self.command.name(),
        );
        let submit = format!(
            "#!/bin/bash
# Submits the array, then the merge held until every task succeeds (cancelled if one fails).
set -euo pipefail
array=$(sbatch --parsable {folder}/sweep.sbatch)
array=\"${{array%%;*}}\"
merge=$(sbatch --parsable --dependency=afterok:\"$array\" --kill-on-invalid-dep=yes {folder}/merge.sbatch)
merge=\"${{merge%%;*}}\"
echo \"array job $array ({n} tasks), merge job $merge\"
"
        );
        Ok(SlurmScripts {
            sweep,
            merge,
            submit,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job() -> SlurmJob {
        SlurmJob {
            name: "london".into(),
            command: Command::Sweep,
            folder: "/data/results/london/slurm".into(),
            program: "/opt/caseload bin/caseload".into(),
            sweep_args: vec![
                "/data/london.toml".into(),
                "--param".into(),
                "teams.cait.establishment=9:14:1".into(),
            ],
            pairs: 60,
            tasks: 3,
            throttle: Some(2),
            partition: Some("short".into()),
            time: None,
            cpus: 4,
        }
    }

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

    #[test]
    fn the_array_runs_every_shard_and_the_merge_names_them_all() {
        let s = job().scripts().expect("valid");
        assert!(s.sweep.contains("#SBATCH --array=0-2%2"));
        assert!(s.sweep.contains("#SBATCH --partition=short"));
        assert!(s.sweep.contains("#SBATCH --cpus-per-task=4"));
        assert!(s.sweep.contains(
            "exec '/opt/caseload bin/caseload' sweep /data/london.toml --param \
             teams.cait.establishment=9:14:1 --shard \"$SLURM_ARRAY_TASK_ID/3\""
        ));
        assert!(s.merge.contains("for k in $(seq 0 2)"));
        assert!(
            s.submit
                .contains("--dependency=afterok:\"$array\" --kill-on-invalid-dep=yes")
        );
    }

    #[test]
    fn impossible_arrays_are_refused() {
        for change in [
            |j: &mut SlurmJob| j.tasks = 0,
            |j: &mut SlurmJob| j.tasks = 61,
            |j: &mut SlurmJob| j.throttle = Some(0),
            |j: &mut SlurmJob| j.cpus = 0,
            |j: &mut SlurmJob| j.folder = "/data/my results".into(),
            |j: &mut SlurmJob| j.time = Some("1 hour".into()),
        ] {
            let mut j = job();
            change(&mut j);
            assert!(j.scripts().is_err(), "{j:?}");
        }
    }
}
