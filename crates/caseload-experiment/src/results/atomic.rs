//! One atomic write for every file a results folder holds: the bytes go to a temporary
//! sibling `.NAME.partial-PID`, which is renamed over `NAME` only when whole, so an
//! interruption or a full disk leaves the old file or the new one, never a cut one.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// A file that could not be written whole.
#[derive(Debug, thiserror::Error)]
#[error("{doing} {}: {source}", path.display())]
pub struct AtomicWriteError {
    /// What was being done: `writing` or `moving into place`.
    pub doing: &'static str,
    /// The file.
    pub path: PathBuf,
    /// Why.
    pub source: io::Error,
}

/// The temporary sibling `path` is written as before it is moved into place.
pub fn partial_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
    path.with_file_name(hidden(&name, &format!("partial-{}", std::process::id())))
}

/// Longest file name most file systems accept, bytes.
const MAX_NAME_BYTES: usize = 255;

/// Room kept for the suffix of a shortened name, bytes (`partial-` and a process id).
const SUFFIX_ROOM: usize = 32;

/// The hidden sibling name `.NAME.SUFFIX` of a file or folder `NAME` (its lock, its staging;
/// a suffix of at most 32 bytes). A name too long for that keeps its first bytes and a hash
/// of the whole, the same for every suffix, so every name has its own siblings within the
/// file system's limit.
pub fn hidden(name: &str, suffix: &str) -> String {
    if name.len() + SUFFIX_ROOM + 2 <= MAX_NAME_BYTES {
        return format!(".{name}.{suffix}");
    }
    use sha2::Digest as _;
    let digest = sha2::Sha256::digest(name.as_bytes());
    let hash: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    let room = MAX_NAME_BYTES - SUFFIX_ROOM - hash.len() - 3;
    let mut cut = room.min(name.len());
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    format!(".{}-{hash}.{suffix}", &name[..cut])
}

/// Whether `name` is a temporary file or folder of this module or of a staged folder
/// (`.NAME.partial-PID`), which a results folder may hold while it is written.
pub fn is_partial_name(name: &str) -> bool {
    name.starts_with('.')
        && name
            .rsplit_once(".partial-")
            .is_some_and(|(_, pid)| pid.trim_end_matches(".old").parse::<u32>().is_ok())
}

/// Most bytes a file of a results folder may hold when read back (London's daily table is
/// about 105 MB).
pub const MAX_RESULTS_FILE_BYTES: u64 = 4 << 30;

/// Opens a results folder's file to read it back: a regular file (not a device, a pipe or a
/// link to one, which could be read without end) of at most [`MAX_RESULTS_FILE_BYTES`].
pub fn open_results_file(path: &Path) -> Result<fs::File, String> {
    let meta = fs::metadata(path).map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Err(
            "not a regular file (a device, a pipe or a folder); a results folder \
                    holds files caseload wrote"
                .into(),
        );
    }
    if meta.len() > MAX_RESULTS_FILE_BYTES {
        return Err(format!(
            "{} bytes, more than the {} GB a results file may hold",
            meta.len(),
            MAX_RESULTS_FILE_BYTES >> 30
        ));
    }
    fs::File::open(path).map_err(|e| e.to_string())
}

/// Reads a results folder's file whole, as [`open_results_file`] allows.
pub fn read_results_file(path: &Path) -> Result<Vec<u8>, String> {
    use std::io::Read as _;
    let mut bytes = Vec::new();
    open_results_file(path)?
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    Ok(bytes)
}

/// Writes `bytes` to `path` whole or not at all; the temporary file is removed on failure.
pub fn write_whole(path: &Path, bytes: &[u8]) -> Result<(), AtomicWriteError> {
    let partial = partial_path(path);
    let failed = |doing, path: &Path, source| {
        let _ = fs::remove_file(&partial);
        AtomicWriteError {
            doing,
            path: path.to_path_buf(),
            source,
        }
    };
    fs::write(&partial, bytes).map_err(|e| failed("writing", &partial, e))?;
    fs::rename(&partial, path).map_err(|e| failed("moving into place", path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_name_has_short_siblings_that_share_their_stem() {
        assert_eq!(hidden("results", "lock"), ".results.lock");
        let long = "x".repeat(251);
        let lock = hidden(&long, "lock");
        let staging = hidden(&long, "partial-4294967295");
        assert!(
            lock.len() <= 255 && staging.len() <= 255,
            "{lock} {staging}"
        );
        let stem = lock.trim_end_matches("lock");
        assert!(staging.starts_with(stem), "{stem} {staging}");
        assert!(is_partial_name(&staging));
        assert_ne!(
            hidden(&"y".repeat(251), "lock"),
            lock,
            "another name, another sibling"
        );
    }

    #[test]
    fn a_file_is_replaced_whole_and_no_temporary_is_left() {
        let dir = std::env::temp_dir().join(format!("caseload-atomic-{}", std::process::id()));
        fs::create_dir_all(&dir).expect("a folder");
        let file = dir.join("table.csv");
        write_whole(&file, b"old\n").expect("written");
        write_whole(&file, b"new\n").expect("replaced");
        assert_eq!(fs::read(&file).expect("read"), b"new\n");
        let names: Vec<String> = fs::read_dir(&dir)
            .expect("listed")
            .map(|e| {
                e.expect("an entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        assert_eq!(names, ["table.csv"]);
        // Into a folder that does not exist: an error naming the temporary file, nothing left.
        let missing = dir.join("no-such-folder").join("table.csv");
        let err = write_whole(&missing, b"x").expect_err("no folder");
        assert_eq!(err.doing, "writing");
        assert!(err.to_string().contains(".table.csv.partial-"), "{err}");
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn partial_names_are_recognised() {
        assert!(is_partial_name(".report.html.partial-123"));
        assert!(is_partial_name(".plot.partial-9"));
        assert!(is_partial_name(".res.partial-999999.old"));
        assert!(!is_partial_name("report.html"));
        assert!(!is_partial_name(".notes.partial-x"));
        assert!(!is_partial_name("a.partial-1"));
    }
}
