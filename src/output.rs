//! Output folders written whole or not at all: files go into a temporary sibling folder that
//! is renamed into place at the end, and an existing folder is replaced only when asked.

use std::fs::{self, File};
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use sha2::{Digest, Sha256};

/// Creates `path` for buffered writing.
pub fn create(path: &Path) -> anyhow::Result<BufWriter<File>> {
    let file = File::create(path).with_context(|| format!("creating {}", path.display()))?;
    Ok(BufWriter::new(file))
}

/// The SHA-256 of a file's bytes, in hexadecimal.
pub fn sha256_of_file(path: &Path) -> anyhow::Result<String> {
    let bytes = fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    Ok(sha256_hex(&bytes))
}

/// The SHA-256 of `bytes`, in hexadecimal.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// An output folder being written.
pub struct OutputDir {
    target: PathBuf,
    staging: PathBuf,
    replace: bool,
    finished: bool,
    /// Whether the folder is kept if it is never finished (a sweep to resume).
    keep_unfinished: bool,
}

/// The hidden folder beside `target` in which a resumable sweep collects its results:
/// `.NAME.partial`.
pub fn partial_folder(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map_or_else(|| "results".into(), |n| n.to_string_lossy().into_owned());
    let parent = target.parent().filter(|p| !p.as_os_str().is_empty());
    parent
        .unwrap_or_else(|| Path::new("."))
        .join(format!(".{name}.partial"))
}

impl OutputDir {
    /// Checks that `target` may be written (it does not exist, or `force` is set) and creates
    /// the temporary folder beside it.
    pub fn create(target: &Path, force: bool) -> anyhow::Result<Self> {
        let replace = check_target(target, force)?;
        let name = target
            .file_name()
            .map_or_else(|| "results".into(), |n| n.to_string_lossy().into_owned());
        let parent = target.parent().filter(|p| !p.as_os_str().is_empty());
        let parent = parent.unwrap_or_else(|| Path::new("."));
        fs::create_dir_all(parent)
            .with_context(|| format!("creating the folder {}", parent.display()))?;
        let staging = parent.join(format!(".{name}.partial-{}", std::process::id()));
        if staging.exists() {
            fs::remove_dir_all(&staging)
                .with_context(|| format!("removing the stale folder {}", staging.display()))?;
        }
        fs::create_dir(&staging)
            .with_context(|| format!("creating the folder {}", staging.display()))?;
        Ok(Self {
            target: target.to_path_buf(),
            staging,
            replace,
            finished: false,
            keep_unfinished: false,
        })
    }

    /// Takes over `staging`, an existing folder being filled for `target`, and keeps it if the
    /// work stops before [`OutputDir::finish`] so it can be resumed. `replace` says whether an
    /// existing `target` may be replaced (see [`check_target`]).
    pub fn adopt(target: &Path, staging: PathBuf, replace: bool) -> Self {
        Self {
            target: target.to_path_buf(),
            staging,
            replace,
            finished: false,
            keep_unfinished: true,
        }
    }

    /// Path of `file` inside the folder being written.
    pub fn file(&self, file: &str) -> PathBuf {
        self.staging.join(file)
    }

    /// Moves the finished folder into place, replacing the old one if allowed.
    pub fn finish(mut self) -> anyhow::Result<PathBuf> {
        if self.target.exists() {
            if !self.replace {
                bail!(
                    "the output folder {} appeared while the run was going; nothing was \
                     overwritten (the results are in {})",
                    self.target.display(),
                    self.staging.display()
                );
            }
            let old = self.staging.with_extension("old");
            fs::rename(&self.target, &old)
                .with_context(|| format!("moving the old {} aside", self.target.display()))?;
            fs::rename(&self.staging, &self.target)
                .with_context(|| format!("moving the results to {}", self.target.display()))?;
            fs::remove_dir_all(&old)
                .with_context(|| format!("removing the old results {}", old.display()))?;
        } else {
            fs::rename(&self.staging, &self.target)
                .with_context(|| format!("moving the results to {}", self.target.display()))?;
        }
        self.finished = true;
        Ok(self.target.clone())
    }
}

impl Drop for OutputDir {
    fn drop(&mut self) {
        if !self.finished && !self.keep_unfinished {
            // Best effort: a failed run leaves no half-written folder behind.
            let _ = fs::remove_dir_all(&self.staging);
        }
    }
}

/// Whether `target` will be replaced; an error if it exists and `force` is not set.
pub fn check_target(target: &Path, force: bool) -> anyhow::Result<bool> {
    match fs::symlink_metadata(target) {
        Err(_) => Ok(false),
        Ok(meta) if !meta.is_dir() => bail!(
            "{} exists and is not a folder; choose another with --out",
            target.display()
        ),
        Ok(_) if force => Ok(true),
        Ok(_) => bail!(
            "the output folder {} already exists; pass --force to replace it, or --out DIR \
             to write elsewhere",
            target.display()
        ),
    }
}
