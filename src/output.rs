//! The results folder of a command, from its lock to the move into place (the mechanics are
//! caseload_experiment::results::folder's), and what Ctrl-C does to the folders being
//! written.

use std::fs;
use std::path::PathBuf;

use caseload_experiment::results::folder::{FolderLock, OutputDir, check_target, lock_folder};
use caseload_experiment::{Command, Manifest};

/// Exit status after Ctrl-C or SIGTERM (128 + SIGINT, as shells report it).
pub const EXIT_INTERRUPTED: i32 = 130;

/// On Ctrl-C or SIGTERM: removes the staging folders being written (says how to resume a
/// sweep's) and exits with [`EXIT_INTERRUPTED`]. Installed once at start-up.
pub fn clean_up_on_interrupt() {
    let installed = ctrlc::set_handler(|| {
        let staging = caseload_experiment::results::folder::staging_folders();
        if staging.is_empty() {
            eprintln!("\ninterrupted before any file was written: nothing to remove");
        }
        for (folder, keep) in staging {
            if keep {
                eprintln!(
                    "\ninterrupted: the points done are kept in {}; run the same command with \
                     --resume to continue",
                    folder.display()
                );
            } else {
                let removed = fs::remove_dir_all(&folder);
                match removed {
                    Ok(()) => eprintln!(
                        "\ninterrupted: removed the unfinished {}; no results folder was written \
                         or changed",
                        folder.display()
                    ),
                    Err(e) => eprintln!(
                        "\ninterrupted: could not remove the unfinished {} ({e}); remove it by hand",
                        folder.display()
                    ),
                }
            }
        }
        std::process::exit(EXIT_INTERRUPTED);
    });
    if let Err(err) = installed {
        eprintln!("warning: cannot clean up on Ctrl-C: {err}");
    }
}

/// With `asked`, writes `report.html` from the results written so far in `out` (the manifest
/// included), so it lands with them or not at all.
pub fn report_if(out: &OutputDir, asked: bool) -> anyhow::Result<()> {
    if asked {
        caseload_report::write_report(out.staging(), false)?;
    }
    Ok(())
}

/// The manifest of `command`'s results on `plan`, from the scenario file in `source`: the
/// command line, the file and its hash, the scenario and variant, seed, replications and
/// warm-up (the caller adds the files and anything of its own).
pub fn plan_manifest(
    command: caseload_experiment::Command,
    source: &caseload_scenario::ScenarioSource,
    plan: &caseload_scenario::RunPlan,
    seed: u64,
    replications: u32,
) -> caseload_experiment::Manifest {
    let mut manifest = caseload_experiment::Manifest::new(
        command,
        crate::args::command_line(),
        source.path(),
        source.text(),
    );
    manifest.scenario = plan.scenario.clone();
    manifest.basis = plan.basis.clone();
    manifest.report = plan.report.clone();
    manifest.variant = plan.variant.clone();
    manifest.seed = seed;
    manifest.replications = replications;
    manifest.warmup_days = plan.warmup_days;
    manifest.inputs = plan.inputs.clone();
    manifest
}

/// A data file named on the command line (`role`, e.g. `--observed`), with the SHA-256 of its
/// bytes, for the manifest.
pub fn input_file(
    role: &str,
    path: &std::path::Path,
) -> anyhow::Result<caseload_experiment::InputFile> {
    let bytes = std::fs::read(path)
        .map_err(|e| anyhow::anyhow!("{}: cannot read the file: {e}", path.display()))?;
    Ok(caseload_experiment::InputFile {
        role: role.to_string(),
        file: path.display().to_string(),
        sha256: caseload_experiment::sha256_hex(&bytes),
    })
}

/// The skeleton every command that writes a results folder shares: the folder chosen, its lock
/// taken and its state checked before any work (a refusal costs nothing), a progress bar while
/// the work runs, then the files, the manifest and the report (if asked) written into a
/// staging folder that is moved into place whole.
pub struct Job {
    target: PathBuf,
    command: Command,
    force: bool,
    report: bool,
    lock: FolderLock,
    /// The progress bar, counting replications (or runs) done.
    pub progress: indicatif::ProgressBar,
}

impl Job {
    /// Starts `command`'s job on `scenario` and `variant` with a progress bar of `total` steps
    /// (0 when the total is found as the work goes).
    pub fn start(
        output: &crate::args::OutputArgs,
        scenario: &str,
        variant: Option<&str>,
        command: Command,
        total: u64,
    ) -> anyhow::Result<Self> {
        let target = output.folder(scenario, variant, command);
        let lock = lock_folder(&target)?;
        check_target(&target, output.force, command)?;
        Ok(Self {
            target,
            command,
            force: output.force,
            report: output.report,
            lock,
            progress: crate::terminal::progress_bar(total),
        })
    }

    /// Counts one step done.
    pub fn tick(&self) {
        self.progress.inc(1);
    }

    /// Writes the results: `write` puts its files in the folder (given a file's path in it)
    /// and returns their names, which the manifest lists, after a copy of the command's
    /// `input` (the scenario's text, or the counts'); returns where the folder landed.
    pub fn write(
        self,
        mut manifest: Manifest,
        input: &str,
        write: impl FnOnce(caseload_report::FileIn) -> anyhow::Result<Vec<String>>,
    ) -> anyhow::Result<PathBuf> {
        self.progress.finish_and_clear();
        let out = OutputDir::create(&self.target, self.force, self.command, self.lock)?;
        let file = |f: &str| out.file(f);
        manifest.files = write(&file)?;
        manifest.files.push(caseload_report::write_input_copy(
            &file,
            self.command,
            input,
        )?);
        if self.report {
            // Written next, from the folder and this manifest, or the folder is not kept.
            manifest.files.push("report.html".into());
        }
        caseload_report::write_manifest(&file, &manifest)?;
        report_if(&out, self.report)?;
        Ok(out.finish()?)
    }
}
