//! Helpers for end-to-end tests: a fresh folder per test and the built binary run in it.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A fresh, empty folder under cargo's temporary target folder.
pub struct Dir {
    pub path: PathBuf,
}

impl Dir {
    pub fn new(name: &str) -> Self {
        let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("create the test folder");
        Self { path }
    }

    pub fn join(&self, name: &str) -> PathBuf {
        self.path.join(name)
    }

    /// Writes `text` to `name` in this folder and returns its path.
    pub fn write(&self, name: &str, text: impl AsRef<[u8]>) -> PathBuf {
        let path = self.join(name);
        std::fs::write(&path, text).expect("write the test file");
        path
    }

    /// Names of the entries in this folder, sorted.
    pub fn entries(&self) -> Vec<String> {
        sorted_entries(&self.path)
    }
}

/// Names of the entries in `folder`, sorted.
pub fn sorted_entries(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .unwrap_or_else(|_| panic!("{} exists", folder.display()))
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

/// The repository's root (where `scenarios/` is).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `caseload` with `args` in `dir`, with extra environment variables.
pub fn caseload_in(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_caseload"));
    command.current_dir(dir).args(args);
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().expect("the caseload binary runs")
}

/// Runs `caseload` with `args` in `dir` and returns its stdout; fails the test if it fails.
pub fn run_ok(dir: &Dir, args: &[&str], env: &[(&str, &str)]) -> String {
    let out = caseload_in(&dir.path, args, env);
    assert!(
        out.status.success(),
        "caseload {args:?} failed: {}",
        stderr(&out)
    );
    stdout(&out)
}

/// Runs `caseload` with `args` in `dir` and checks that it fails with exit status `code`, a
/// message on stderr containing `phrase` and no panic; returns the message.
pub fn fails(dir: &Dir, args: &[&str], code: i32, phrase: &str) -> String {
    let out = caseload_in(&dir.path, args, &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(code), "caseload {args:?}: {err}");
    assert!(
        err.contains(phrase),
        "caseload {args:?}: `{phrase}` not in: {err}"
    );
    assert!(
        !err.contains("panicked") && !err.contains("memory allocation"),
        "caseload {args:?}: {err}"
    );
    err
}

/// A manifest without what differs between runs of the same results: the command line
/// that made it.
fn manifest_without_command_line(bytes: &[u8]) -> Vec<u8> {
    let mut manifest: serde_json::Value =
        serde_json::from_slice(bytes).expect("a manifest is JSON");
    if let Some(m) = manifest.as_object_mut() {
        m.remove("command_line");
    }
    serde_json::to_vec(&manifest).expect("JSON serialises")
}

/// Asserts two folders hold the same file names with the same bytes (manifests the same but
/// for the command line).
pub fn assert_same_files(a: &Path, b: &Path) {
    let (na, nb) = (sorted_entries(a), sorted_entries(b));
    assert_eq!(na, nb, "{} and {}", a.display(), b.display());
    for name in na {
        let mut x = std::fs::read(a.join(&name)).expect("a readable file");
        let mut y = std::fs::read(b.join(&name)).expect("a readable file");
        if name == "manifest.json" {
            x = manifest_without_command_line(&x);
            y = manifest_without_command_line(&y);
        }
        assert!(
            x == y,
            "{name} differs between {} and {}",
            a.display(),
            b.display()
        );
    }
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Rows of a CSV file as maps from column name to text.
pub fn read_csv(path: &Path) -> Vec<std::collections::HashMap<String, String>> {
    csv_rows(path).collect()
}

/// The rows of a CSV file one at a time, each as a map from column to value: for a table too
/// large to hold as maps (London's daily table is 1.2 million rows).
pub fn csv_rows(path: &Path) -> impl Iterator<Item = std::collections::HashMap<String, String>> {
    let mut reader = csv::Reader::from_path(path).expect("open the CSV");
    let headers = reader.headers().expect("a header row").clone();
    reader.into_records().map(move |r| {
        let r = r.expect("a CSV record");
        headers
            .iter()
            .map(String::from)
            .zip(r.iter().map(String::from))
            .collect()
    })
}

/// A sweep's `replications.csv` (long: one KPI per line) as one row per point and
/// replication, in file order: `point`, the swept fields, `replication`, and each KPI's value
/// under its name (`kpi` for all teams, `kpi@team` for one).
pub fn sweep_replications(path: &Path) -> Vec<std::collections::HashMap<String, String>> {
    let mut wide: Vec<std::collections::HashMap<String, String>> = Vec::new();
    for line in csv_rows(path) {
        let key = |r: &std::collections::HashMap<String, String>| {
            (r["point"].clone(), r["replication"].clone())
        };
        if wide.last().is_none_or(|w| key(w) != key(&line)) {
            let mut row = line.clone();
            for column in caseload_experiment::results::store::KPI_COLUMNS {
                row.remove(column);
            }
            wide.push(row);
        }
        let name = match line["team"].as_str() {
            "all" => line["kpi"].clone(),
            team => format!("{}@{team}", line["kpi"]),
        };
        let row = wide.last_mut().expect("a row");
        row.insert(name, line["value"].clone());
    }
    wide
}

/// The `mean`, `ci_lo` and `ci_hi` of a KPI (all teams) in a summary.csv.
pub fn kpi(summary: &Path, name: &str) -> (f64, f64, f64) {
    let rows = read_csv(summary);
    let row = rows
        .iter()
        .find(|r| r["kpi"] == name && r["team"] == "all")
        .unwrap_or_else(|| panic!("no KPI {name} in {}", summary.display()));
    let num = |c: &str| row[c].parse::<f64>().expect("a number");
    (num("mean"), num("ci_lo"), num("ci_hi"))
}

/// A Kaplan-Meier curve computed the slow, textbook way, independent of the crate's: at each
/// distinct event time `t`, `S *= 1 - events(t) / at_risk(t)` with `at_risk(t)` the
/// observations whose time is `t` or more. Returns (t, S after t), ascending.
pub fn kaplan_meier(observations: &[(f64, bool)]) -> Vec<(f64, f64)> {
    let mut times: Vec<f64> = observations.iter().filter(|o| o.1).map(|o| o.0).collect();
    times.sort_by(f64::total_cmp);
    times.dedup();
    let mut s = 1.0;
    times
        .into_iter()
        .map(|t| {
            let at_risk = observations.iter().filter(|o| o.0 >= t).count() as f64;
            let events = observations.iter().filter(|o| o.1 && o.0 == t).count() as f64;
            s *= 1.0 - events / at_risk;
            (t, s)
        })
        .collect()
}

/// S(t) of a curve from [`kaplan_meier`].
pub fn survival_at(curve: &[(f64, f64)], t: f64) -> f64 {
    curve
        .iter()
        .take_while(|c| c.0 <= t)
        .last()
        .map_or(1.0, |c| c.1)
}

/// The first time the curve is at or below `level`; +infinity if never.
pub fn first_below(curve: &[(f64, f64)], level: f64) -> f64 {
    curve
        .iter()
        .find(|c| c.1 <= level + 1e-12)
        .map_or(f64::INFINITY, |c| c.0)
}

/// The area under the curve from 0 to `horizon`.
pub fn area_under(curve: &[(f64, f64)], horizon: f64) -> f64 {
    let (mut area, mut from, mut s) = (0.0, 0.0, 1.0);
    for &(t, next) in curve.iter().filter(|c| c.0 < horizon) {
        area += (t - from) * s;
        from = t;
        s = next;
    }
    area + (horizon - from) * s
}

/// Runs `caseload` with `args` in `dir` on one thread and kills it as soon as `rows` (a
/// resumable folder's `replications.csv`) holds more than `lines` lines; fails the test if it
/// finishes first or writes nothing within 60 s.
pub fn kill_once_rows_are_written(dir: &Dir, args: &[String], rows: &Path, lines: usize) {
    use std::time::{Duration, Instant};
    let mut child = Command::new(env!("CARGO_BIN_EXE_caseload"))
        .current_dir(&dir.path)
        .args(args)
        .env("RAYON_NUM_THREADS", "1")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("caseload starts");
    let start = Instant::now();
    loop {
        let written = std::fs::read_to_string(rows).map_or(0, |t| t.lines().count());
        if written > lines {
            break;
        }
        assert!(
            child.try_wait().expect("the child's status").is_none(),
            "the run finished before a point was seen on disk"
        );
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "no point written in 60 s"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
    child.kill().expect("the run is killed");
    child.wait().expect("the killed run is reaped");
}

/// `x` rounded to a multiple of `step`, with thousands separators: `1,500`, `19`.
pub fn figure(x: f64, step: f64) -> String {
    let rounded = ((x / step).round() * step).round() as i64;
    let digits = rounded.abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if rounded < 0 {
        out.insert(0, '-');
    }
    out
}
