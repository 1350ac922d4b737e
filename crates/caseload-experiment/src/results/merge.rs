//! Combining the shards of a sweep: every shard of one sweep, each finished and unchanged
//! since it was written, together holding every (point, replication) pair exactly once.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::results::manifest::{Command, Manifest};
use crate::results::store::{Rows, partial_folder};

/// The scenario's text as a shard of `merged` kept it (its copy unchanged since the run), so
/// the merged folder keeps one too; `None` if no shard has it.
pub fn shards_input(shards: &[PathBuf], merged: &Manifest) -> Option<String> {
    shards
        .iter()
        .filter_map(|s| std::fs::read_to_string(s.join(Command::Sweep.input_copy())).ok())
        .find(|t| crate::results::manifest::sha256_hex(t.as_bytes()) == merged.scenario_sha256)
}

/// Why shards were not merged: every problem found, each naming its folder.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("nothing was merged:\n  {}", problems.join("\n  "))]
pub struct MergeError {
    /// One line per problem.
    pub problems: Vec<String>,
}

/// Reads the shards in `folders` and checks they are every shard of one sweep, finished and
/// unchanged; returns the whole sweep's manifest (no shard, no files yet) and every row.
pub fn merge_shards(folders: &[PathBuf]) -> Result<(Manifest, Rows), MergeError> {
    let mut problems = Vec::new();
    let mut shards: Vec<(PathBuf, Manifest)> = Vec::new();
    for folder in folders {
        let partial = partial_folder(folder);
        if !folder.is_dir() {
            problems.push(if partial.is_dir() {
                format!(
                    "{}: the shard did not finish (its partial results are in {}; run the task \
                     again with --resume)",
                    folder.display(),
                    partial.display()
                )
            } else {
                format!(
                    "{}: no such folder (the shard failed or never ran)",
                    folder.display()
                )
            });
            continue;
        }
        match Manifest::read(folder) {
            Ok(m) => match m.sweep.as_ref().map(|s| s.shard) {
                Some(Some(_)) => {
                    let rows = folder.join("replications.csv");
                    match m.sweep.as_ref().map(|s| s.rows.verify(&rows, true)) {
                        Some(Err(e)) => problems.push(e.to_string()),
                        _ => shards.push((folder.clone(), m)),
                    }
                }
                Some(None) => problems.push(format!(
                    "{}: a whole sweep, not a shard; it needs no merging",
                    folder.display()
                )),
                None => problems.push(format!(
                    "{}: the results of `{}`, not a shard of a sweep",
                    folder.display(),
                    m.command.name()
                )),
            },
            Err(e) => problems.push(e.to_string()),
        }
    }
    let shard_of = |m: &Manifest| m.sweep.as_ref().and_then(|s| s.shard);
    if let Some((first_path, first)) = shards.first() {
        let count = shard_of(first).map_or(1, |s| s.count);
        for (path, m) in &shards[1..] {
            if !m.same_sweep(first) || shard_of(m).map(|s| s.count) != Some(count) {
                problems.push(format!(
                    "{}: a shard of another sweep than {} (scenario, parameters, replications, \
                     seed or shard count differ)",
                    path.display(),
                    first_path.display()
                ));
            }
        }
        let mut seen: BTreeMap<u32, &Path> = BTreeMap::new();
        for (path, m) in &shards {
            if let Some(s) = shard_of(m)
                && let Some(other) = seen.insert(s.index, path)
            {
                problems.push(format!(
                    "{} and {} both hold shard {}/{count}",
                    other.display(),
                    path.display(),
                    s.index
                ));
            }
        }
        let missing: Vec<String> = (0..count)
            .filter(|k| !seen.contains_key(k))
            .map(|k| format!("{k}/{count}"))
            .collect();
        if !missing.is_empty() {
            problems.push(format!(
                "shard{} {} missing: run {} again (with --resume) and merge every shard",
                if missing.len() > 1 { "s" } else { "" },
                missing.join(", "),
                if missing.len() > 1 {
                    "those tasks"
                } else {
                    "that task"
                },
            ));
        }
    }
    if shards.is_empty() && problems.is_empty() {
        problems.push("no shard folders given".into());
    }
    if !problems.is_empty() {
        return Err(MergeError { problems });
    }
    let mut rows = Rows::new();
    let mut manifest = shards[0].1.clone();
    for (path, m) in &shards {
        let Some(record) = &m.sweep else { continue };
        let file = path.join("replications.csv");
        let part = record
            .read_rows(&file, false)
            .and_then(|part| {
                record
                    .check_cover(m.replications, &part, &file)
                    .map(|()| part)
            })
            .map_err(|e| MergeError {
                problems: vec![e.to_string()],
            })?;
        rows.extend(part);
    }
    if let Some(record) = manifest.sweep.as_mut() {
        record.shard = None;
        let total = record.points * manifest.replications as usize;
        if rows.len() != total {
            return Err(MergeError {
                problems: vec![format!(
                    "the shards hold {} of the sweep's {total} (point, replication) pairs",
                    rows.len()
                )],
            });
        }
    }
    manifest.files = Vec::new();
    Ok((manifest, rows))
}
