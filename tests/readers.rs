//! The documented reader of a results folder, `docs/examples/read_results.py`, run by a real
//! Python with pandas and pyarrow (`scripts/install-python-readers.sh`, run by `.ci/run`, which
//! passes its python in `CASELOAD_PYTHON`): what it prints equals the folder's own tables.

use std::process::Command;

use crate::util::{Dir, read_csv, root, run_ok};

#[test]
#[ignore = "needs Python with pandas and pyarrow: scripts/install-python-readers.sh, run by .ci/run"]
fn the_python_reader_prints_the_folders_own_figures_from_csv_and_parquet() {
    let python = std::env::var("CASELOAD_PYTHON").unwrap_or_else(|_| "python3".into());
    let dir = Dir::new("readers");
    dir.write(
        "tiny.toml",
        std::fs::read(root().join("tests/golden/tiny.toml")).expect("the tiny scenario"),
    );
    run_ok(
        &dir,
        &["run", "tiny.toml", "--reps", "4", "--out", "csv"],
        &[],
    );
    run_ok(
        &dir,
        &[
            "run",
            "tiny.toml",
            "--reps",
            "4",
            "--format",
            "parquet",
            "--out",
            "pq",
        ],
        &[],
    );
    let summary = read_csv(&dir.join("csv/summary.csv"));
    let waiting = summary
        .iter()
        .find(|r| r["kpi"] == "backlog_end" && r["team"] == "all")
        .expect("the backlog at the end");
    let daily = read_csv(&dir.join("csv/timeseries.csv"));
    let peak = daily
        .iter()
        .filter(|r| r["team"] == "all" && r["metric"] == "unallocated")
        .max_by(|a, b| {
            let mean = |r: &std::collections::HashMap<String, String>| {
                r["mean"].parse::<f64>().expect("a mean")
            };
            mean(a).total_cmp(&mean(b))
        })
        .expect("a daily backlog");
    let one_decimal = |x: &str| format!("{:.1}", x.parse::<f64>().expect("a number"));
    for folder in ["csv", "pq"] {
        let out = Command::new(&python)
            .arg(root().join("docs/examples/read_results.py"))
            .arg(dir.join(folder))
            .output()
            .expect("python runs");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{folder}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let expected = format!(
            "all: {} cases waiting at the end [{}, {}]",
            one_decimal(&waiting["mean"]),
            one_decimal(&waiting["ci_lo"]),
            one_decimal(&waiting["ci_hi"])
        );
        assert!(text.contains(&expected), "{folder}: `{expected}` in {text}");
        assert!(
            text.contains(&format!(
                "peak: {} unallocated on",
                one_decimal(&peak["mean"])
            )),
            "{folder}: the peak {} in {text}",
            peak["mean"]
        );
    }
}
