//! Output folders written whole or not at all: files go into a temporary sibling folder that
//! is renamed into place at the end, and an existing folder is replaced only when asked.
//!
//! One writer at a time: a command holds an advisory lock on `.NAME.lock` beside the folder
//! from before it looks at the folder until it has moved its results into place, so a second
//! command writing the same folder stops at once with a message. Under the lock, a staging
//! folder `.NAME.partial-PID` left by a killed process is stale and removed. On Ctrl-C or
//! SIGTERM the staging folders being written are removed (a sweep's is kept, to resume).

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::results::atomic::hidden;
use crate::results::manifest::{Command, Manifest};

/// An output folder that cannot be locked, written or moved into place, or that may not be
/// replaced.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// A file operation failed.
    #[error("{doing}")]
    Io {
        /// What was being done, naming the path.
        doing: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The folder may not be written (it exists, holds another command's results or files
    /// caseload did not write, or another command holds its lock).
    #[error("{0}")]
    Refused(String),
}

/// The error of a file operation `doing`.
fn io(doing: String) -> impl FnOnce(std::io::Error) -> OutputError {
    move |source| OutputError::Io { doing, source }
}

/// Refuses with a message.
macro_rules! refuse {
    ($($arg:tt)*) => {
        return Err(OutputError::Refused(format!($($arg)*)))
    };
}

/// Staging folders being written, and whether each is kept on an interruption (a sweep's,
/// to resume) or removed.
static STAGING: Mutex<Vec<(PathBuf, bool)>> = Mutex::new(Vec::new());

/// The staging folders being written now, and whether each is kept on an interruption (a
/// sweep's, to resume) or removed: what a Ctrl-C handler cleans up.
pub fn staging_folders() -> Vec<(PathBuf, bool)> {
    STAGING.lock().map(|s| s.clone()).unwrap_or_default()
}

fn register_staging(folder: &Path, keep: bool) {
    if let Ok(mut staging) = STAGING.lock() {
        staging.push((folder.to_path_buf(), keep));
    }
}

fn unregister_staging(folder: &Path) {
    if let Ok(mut staging) = STAGING.lock() {
        staging.retain(|(f, _)| f != folder);
    }
}

/// The exclusive right to write one output folder, held until dropped.
#[derive(Debug)]
pub struct FolderLock {
    _file: File,
}

/// Takes the lock of the output folder `target` (`.NAME.lock` beside it), or fails at once
/// if another command holds it.
pub fn lock_folder(target: &Path) -> Result<FolderLock, OutputError> {
    let (parent, name) = parent_and_name(target);
    fs::create_dir_all(parent).map_err(io(format!("creating the folder {}", parent.display())))?;
    let path = parent.join(hidden(&name, "lock"));
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(io(format!("opening the lock file {}", path.display())))?;
    match file.try_lock() {
        Ok(()) => Ok(FolderLock { _file: file }),
        Err(fs::TryLockError::WouldBlock) => refuse!(
            "another caseload command is writing {} (it holds {}); wait for it to finish, or \
             write elsewhere with --out",
            target.display(),
            path.display()
        ),
        Err(fs::TryLockError::Error(err)) => Err(io(format!("locking {}", path.display()))(err)),
    }
}

/// The folder `target` is in (`.` for a bare name) and its own name.
fn parent_and_name(target: &Path) -> (&Path, String) {
    let name = target
        .file_name()
        .map_or_else(|| "results".into(), |n| n.to_string_lossy().into_owned());
    let parent = target.parent().filter(|p| !p.as_os_str().is_empty());
    (parent.unwrap_or_else(|| Path::new(".")), name)
}

/// Removes `.NAME.partial-PID` folders beside `target`: with the folder's lock held, no
/// other process is writing them, so they are left by killed runs.
fn remove_stale_staging(target: &Path) -> Result<(), OutputError> {
    let (parent, name) = parent_and_name(target);
    let prefix = hidden(&name, "partial-");
    let Ok(entries) = fs::read_dir(parent) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let file_name = file_name.to_string_lossy();
        let stale = file_name
            .strip_prefix(&prefix)
            .is_some_and(|rest| rest.trim_end_matches(".old").parse::<u32>().is_ok());
        if stale {
            let path = entry.path();
            fs::remove_dir_all(&path)
                .map_err(io(format!("removing the stale folder {}", path.display())))?;
        }
    }
    Ok(())
}

/// An output folder being written.
pub struct OutputDir {
    target: PathBuf,
    staging: PathBuf,
    replace: bool,
    finished: bool,
    /// The folder's lock, held until the results are in place.
    _lock: FolderLock,
}

impl OutputDir {
    /// Checks that `command` may write `target` (see [`check_target`]) and creates the
    /// temporary folder beside it. `lock` is the folder's, taken with [`lock_folder`] before
    /// the command began its work.
    pub fn create(
        target: &Path,
        force: bool,
        command: Command,
        lock: FolderLock,
    ) -> Result<Self, OutputError> {
        let replace = check_target(target, force, command)?;
        remove_stale_staging(target)?;
        let (parent, name) = parent_and_name(target);
        let staging = parent.join(hidden(&name, &format!("partial-{}", std::process::id())));
        fs::create_dir(&staging)
            .map_err(io(format!("creating the folder {}", staging.display())))?;
        register_staging(&staging, false);
        Ok(Self {
            target: target.to_path_buf(),
            staging,
            replace,
            finished: false,
            _lock: lock,
        })
    }

    /// Path of `file` inside the folder being written.
    pub fn file(&self, file: &str) -> PathBuf {
        self.staging.join(file)
    }

    /// The folder being written.
    pub fn staging(&self) -> &Path {
        &self.staging
    }

    /// Moves the finished folder into place, replacing the old one if allowed.
    pub fn finish(mut self) -> Result<PathBuf, OutputError> {
        if self.target.exists() {
            if !self.replace {
                refuse!(
                    "the output folder {} appeared while the run was going; nothing was \
                     overwritten, and these results were not kept",
                    self.target.display()
                );
            }
            let old = self.staging.with_extension("old");
            fs::rename(&self.target, &old).map_err(io(format!(
                "moving the old {} aside",
                self.target.display()
            )))?;
            fs::rename(&self.staging, &self.target).map_err(io(format!(
                "moving the results to {}",
                self.target.display()
            )))?;
            fs::remove_dir_all(&old)
                .map_err(io(format!("removing the old results {}", old.display())))?;
        } else {
            fs::rename(&self.staging, &self.target).map_err(io(format!(
                "moving the results to {}",
                self.target.display()
            )))?;
        }
        self.finished = true;
        Ok(self.target.clone())
    }
}

impl Drop for OutputDir {
    fn drop(&mut self) {
        unregister_staging(&self.staging);
        if !self.finished {
            // Best effort: a failed run leaves no half-written folder behind.
            let _ = fs::remove_dir_all(&self.staging);
        }
    }
}

/// A staging folder or file inside a results folder (a redraw's charts), removed on an
/// interruption and when dropped.
#[derive(Debug)]
pub struct Scratch {
    path: PathBuf,
}

impl Scratch {
    /// Creates the folder `path` (after removing any stale `.NAME.partial-PID` entries of dead
    /// processes beside it, which the caller's lock makes stale) and marks it for removal on
    /// an interruption.
    pub fn create(path: &Path) -> Result<Self, OutputError> {
        if let Some(parent) = path.parent()
            && let Ok(entries) = fs::read_dir(parent)
        {
            for entry in entries.flatten() {
                let name = entry.file_name();
                if crate::results::atomic::is_partial_name(&name.to_string_lossy()) {
                    let stale = entry.path();
                    let _ = fs::remove_dir_all(&stale).or_else(|_| fs::remove_file(&stale));
                }
            }
        }
        fs::create_dir(path).map_err(io(format!("creating the folder {}", path.display())))?;
        register_staging(path, false);
        Ok(Self {
            path: path.to_path_buf(),
        })
    }

    /// The folder.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        unregister_staging(&self.path);
        let _ = fs::remove_dir_all(&self.path);
    }
}

/// A folder of work to resume (a sweep's stored rows), kept if the command stops before its
/// results are in place: while it lives, an interruption says how to resume instead of
/// removing it.
#[derive(Debug)]
pub struct KeptFolder {
    folder: PathBuf,
}

impl KeptFolder {
    /// Marks `folder` as kept on an interruption.
    pub fn new(folder: &Path) -> Self {
        register_staging(folder, true);
        Self {
            folder: folder.to_path_buf(),
        }
    }

    /// Removes the folder: its work is in the results now.
    pub fn remove(self) -> Result<(), OutputError> {
        fs::remove_dir_all(&self.folder).map_err(io(format!(
            "removing the finished sweep's stored rows {}",
            self.folder.display()
        )))
    }
}

impl Drop for KeptFolder {
    fn drop(&mut self) {
        unregister_staging(&self.folder);
    }
}

/// Whether `target` will be replaced by `command`'s results: an error if it exists and
/// `force` is not set, or if it holds anything but `command`'s results (another command's, or
/// files caseload did not write), which `force` never removes.
pub fn check_target(target: &Path, force: bool, command: Command) -> Result<bool, OutputError> {
    match fs::symlink_metadata(target) {
        Err(_) => Ok(false),
        Ok(meta) if !meta.is_dir() => refuse!(
            "{} exists and is not a folder; choose another with --out",
            target.display()
        ),
        Ok(_) if !force => refuse!(
            "the output folder {} already exists; pass --force to replace it, or --out DIR \
             to write elsewhere",
            target.display()
        ),
        Ok(_) => match Manifest::read(target) {
            Ok(m) if m.command == command => match stranger(target, &m) {
                None => Ok(true),
                Some(name) => refuse!(
                    "{} holds `{name}`, which its manifest does not list: caseload did not \
                     write it, so --force replaced nothing; move it out, or write elsewhere \
                     with --out",
                    target.display()
                ),
            },
            Ok(m) => refuse!(
                "{} holds the results of `caseload {}`; --force replaces only the results of \
                 `caseload {}`, so nothing was replaced: write elsewhere with --out",
                target.display(),
                m.command.name(),
                command.name()
            ),
            Err(_) if is_empty_folder(target) => Ok(true),
            Err(_) => refuse!(
                "{} is not a caseload results folder (it has no readable manifest.json), so \
                 --force did not replace it: write elsewhere with --out",
                target.display()
            ),
        },
    }
}

/// The first entry of `folder` (by name) that `manifest` does not account for: neither the
/// manifest, a file it lists, the report, nor caseload's own staging of a redraw.
fn stranger(folder: &Path, manifest: &Manifest) -> Option<String> {
    let mut names: Vec<String> = fs::read_dir(folder)
        .ok()?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names.into_iter().find(|name| {
        !(name == "manifest.json"
            || name == "report.html"
            || crate::results::atomic::is_partial_name(name)
            || manifest.files.iter().any(|f| f == name))
    })
}

fn is_empty_folder(folder: &Path) -> bool {
    fs::read_dir(folder).is_ok_and(|mut entries| entries.next().is_none())
}
