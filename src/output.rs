//! Output folders written whole or not at all: files go into a temporary sibling folder that
//! is renamed into place at the end, and an existing folder is replaced only when asked.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

/// An output folder being written.
pub struct OutputDir {
    target: PathBuf,
    staging: PathBuf,
    replace: bool,
    finished: bool,
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
        })
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
        if !self.finished {
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
