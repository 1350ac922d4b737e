//! Golden outputs: a tiny scenario's CSVs from `run`, `compare` and `sweep`, compared byte
//! for byte with the files stored in `tests/golden/expected/`. Any change to the model, the
//! statistics or the writers that alters a number shows up here. When the change is meant,
//! regenerate the stored files with
//!
//! ```sh
//! CASELOAD_BLESS=1 cargo test --test main golden
//! ```
//!
//! and commit them with the change that explains them.

use crate::util;

use std::path::{Path, PathBuf};

use util::{Dir, run_ok};

fn scenario() -> String {
    util::root()
        .join("tests/golden/tiny.toml")
        .display()
        .to_string()
}

fn expected(command: &str) -> PathBuf {
    util::root().join("tests/golden/expected").join(command)
}

/// Compares each of `files` in `written` with the stored one (or stores it when blessing).
fn check(command: &str, written: &Path, files: &[&str]) {
    let stored = expected(command);
    let bless = std::env::var_os("CASELOAD_BLESS").is_some();
    if bless {
        std::fs::create_dir_all(&stored).expect("the folder of the stored files");
    }
    for file in files {
        let new = std::fs::read(written.join(file))
            .unwrap_or_else(|e| panic!("{command} wrote no {file}: {e}"));
        let path = stored.join(file);
        if bless {
            std::fs::write(&path, &new).expect("the stored file is written");
            continue;
        }
        let old = std::fs::read(&path).unwrap_or_else(|e| {
            panic!(
                "{} is missing ({e}); run CASELOAD_BLESS=1 cargo test --test main golden",
                path.display()
            )
        });
        if old != new {
            let (old, new) = (String::from_utf8_lossy(&old), String::from_utf8_lossy(&new));
            let line = old
                .lines()
                .zip(new.lines())
                .position(|(a, b)| a != b)
                .unwrap_or_else(|| old.lines().count().min(new.lines().count()));
            panic!(
                "{command}/{file} differs from {} at line {}:\n  stored:  {}\n  written: {}\n\
                 if the change is meant, run CASELOAD_BLESS=1 cargo test --test main golden",
                path.display(),
                line + 1,
                old.lines().nth(line).unwrap_or("(end of file)"),
                new.lines().nth(line).unwrap_or("(end of file)")
            );
        }
    }
}

#[test]
fn a_tiny_scenarios_outputs_are_as_stored() {
    let dir = Dir::new("golden");
    let tiny = scenario();
    run_ok(&dir, &["run", &tiny, "--cases", "--out", "run"], &[]);
    check(
        "run",
        &dir.join("run"),
        &[
            "summary.csv",
            "replications.csv",
            "timeseries.csv",
            "cases.csv",
        ],
    );
    run_ok(&dir, &["compare", &tiny, "--out", "compare"], &[]);
    check(
        "compare",
        &dir.join("compare"),
        &["compare.csv", "replications.csv", "backlog.csv"],
    );
    run_ok(
        &dir,
        &[
            "sweep",
            &tiny,
            "--param",
            "teams.south.establishment=1:3:1",
            "--out",
            "sweep",
        ],
        &[],
    );
    check(
        "sweep",
        &dir.join("sweep"),
        &["sweep.csv", "replications.csv"],
    );
}
