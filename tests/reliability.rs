//! Inputs that once aborted, hung or panicked: each now ends with exit code 2, a message
//! naming what is wrong, and nothing written (issue 19).

use crate::util;

use util::{Dir, caseload_in, fails, stderr};

const SMALL: &str = r#"[scenario]
start = 2014-04-01
end = 2015-04-01
replications = 2

[teams.cait]
establishment = 10
caseload_cap = 12
contracted_hours_per_year = 1460

[case_types.referral]
team = "cait"
priority = 1
demand = { annual_rate = 300 }
stages = [{ work = { dist = "exponential", mean = 20 } }]
"#;

fn with(from: &str, to: &str) -> String {
    assert!(SMALL.contains(from), "the base scenario contains {from:?}");
    SMALL.replacen(from, to, 1)
}

/// A scratch folder `name` holding the results of two replications of [`SMALL`] in `r`.
fn small_run(name: &str) -> Dir {
    let dir = Dir::new(name);
    let scenario = dir.write("s.toml", SMALL);
    util::run_ok(
        &dir,
        &[
            "run",
            scenario.to_str().expect("UTF-8"),
            "--reps",
            "2",
            "--out",
            "r",
        ],
        &[],
    );
    dir
}

/// Runs `caseload run` on `text` with `extra` arguments; asserts exit 2, a message containing
/// `phrase`, and no output folder.
fn refused(name: &str, text: &str, extra: &[&str], phrase: &str) {
    let dir = Dir::new(&format!("reliability_{name}"));
    let file = dir.write("s.toml", text);
    let mut args = vec!["run", file.to_str().expect("UTF-8 path"), "--out", "out"];
    args.extend(extra);
    util::fails(&dir, &args, 2, phrase);
    assert!(!dir.join("out").exists(), "{name}: nothing written");
}

#[test]
fn sizes_beyond_any_machine_are_refused_before_running() {
    refused(
        "huge_rate",
        &with("annual_rate = 300", "annual_rate = 1e308"),
        &[],
        "case_types.referral.annual_rate",
    );
    refused(
        "three_million_a_year_for_ten_years",
        &with("end = 2015-04-01", "end = 2024-04-01").replacen(
            "annual_rate = 300",
            "annual_rate = 3000000",
            1,
        ),
        &[],
        "referrals expected per replication",
    );
    refused(
        "end_of_time",
        &with("end = 2015-04-01", "end = 9999-12-31"),
        &[],
        "scenario.end",
    );
    // Found by tests/random_scenarios.rs: four billion officers transferred in one event.
    refused(
        "four_billion_transferred",
        &format!(
            "{SMALL}\n[actions.transfer]\nkind = \"transfer\"\nteam = \"cait\"\nstart = 2014-06-01\nofficers = 4294967295\n"
        ),
        &[],
        "actions[0] (transfer)",
    );
    refused(
        "four_billion_posts",
        &with("establishment = 10", "establishment = 4294967295"),
        &[],
        "teams.cait.establishment",
    );
}

#[test]
fn a_tiny_panel_interval_is_refused_and_an_event_budget_ends_any_run() {
    refused(
        "panel_every_instant",
        &with(
            "contracted_hours_per_year = 1460",
            "contracted_hours_per_year = 1460\nrecruitment = { interval_days = 1e-300, lag_days = 1 }",
        ),
        &[],
        "recruitment.interval_days",
    );
    refused(
        "event_budget",
        SMALL,
        &["--max-events", "100"],
        "100 events",
    );
}

#[test]
fn a_starting_backlog_of_billions_and_endless_files_are_refused() {
    let backlog = format!(
        "{SMALL}\n[[starting_backlog]]\ncase_type = \"referral\"\nage_days = 3\ncount = 4000000000\n"
    );
    refused(
        "backlog_of_billions",
        &backlog,
        &[],
        "starting backlog would hold",
    );
    if std::path::Path::new("/dev/zero").exists() {
        let endless = with(
            "replications = 2",
            "replications = 2\nstarting_backlog_csv = \"/dev/zero\"",
        );
        refused("backlog_from_dev_zero", &endless, &[], "over");
        let dir = Dir::new("reliability_validate_dev_zero");
        fails(&dir, &["validate", "/dev/zero"], 2, "over");
    }
}

#[cfg(unix)]
#[test]
fn an_output_path_that_is_not_utf8_is_written_without_a_panic() {
    use std::os::unix::ffi::OsStrExt;
    let dir = Dir::new("reliability_non_utf8_out");
    let file = dir.write("s.toml", SMALL);
    let out_name = std::ffi::OsStr::from_bytes(b"out\xfe");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_caseload"))
        .current_dir(&dir.path)
        .arg("run")
        .arg(&file)
        .args(["--reps", "2", "--out"])
        .arg(out_name)
        .output()
        .expect("run caseload");
    assert!(out.status.success(), "{}", stderr(&out));
    let manifest =
        std::fs::read_to_string(dir.path.join(out_name).join("manifest.json")).expect("a manifest");
    assert!(manifest.contains("command_line"));
}

fn london() -> String {
    util::root()
        .join("scenarios/london-2014-response.toml")
        .display()
        .to_string()
}

fn start(dir: &Dir, args: &[&str]) -> std::process::Child {
    std::process::Command::new(env!("CARGO_BIN_EXE_caseload"))
        .current_dir(&dir.path)
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start caseload")
}

/// Waits until `path` exists (the first command has taken the folder), at most 20 s.
fn wait_for(path: &std::path::Path) {
    let started = std::time::Instant::now();
    while !path.exists() {
        assert!(
            started.elapsed().as_secs() < 20,
            "{} never appeared",
            path.display()
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

#[test]
fn a_second_writer_of_the_same_folder_stops_at_once_and_the_first_finishes_whole() {
    let dir = Dir::new("reliability_two_writers");
    let args = ["run", &london(), "--reps", "60", "--out", "res", "--force"];
    let first = start(&dir, &args);
    wait_for(&dir.join(".res.lock"));
    // The lock file exists as soon as the first has opened it; give it a moment to lock.
    std::thread::sleep(std::time::Duration::from_millis(200));
    let second = caseload_in(&dir.path, &args, &[]);
    assert_eq!(second.status.code(), Some(2), "{}", stderr(&second));
    assert!(stderr(&second).contains("another caseload command is writing"));
    let first = first.wait_with_output().expect("the first run");
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    for file in [
        "summary.csv",
        "timeseries.csv",
        "manifest.json",
        "backlog.png",
    ] {
        assert!(dir.join("res").join(file).is_file(), "{file}");
    }
    // No staging folder is left behind, by either.
    assert!(
        dir.entries().iter().all(|e| !e.contains(".partial")),
        "{:?}",
        dir.entries()
    );
}

#[cfg(unix)]
#[test]
fn sigterm_removes_a_runs_staging_folder_and_keeps_a_sweeps_to_resume() {
    let dir = Dir::new("reliability_sigterm");
    let terminate = |child: &std::process::Child| {
        let status = std::process::Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .expect("kill");
        assert!(status.success());
    };
    let run = start(&dir, &["run", &london(), "--reps", "200", "--out", "res"]);
    wait_for(&dir.join(".res.lock"));
    std::thread::sleep(std::time::Duration::from_millis(500));
    terminate(&run);
    let out = run.wait_with_output().expect("the run");
    assert_eq!(
        out.status.code(),
        Some(130),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // It says what it removed, or that there was nothing to.
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("interrupted before any file was written: nothing to remove")
            || said.contains("interrupted: removed the unfinished"),
        "{said}"
    );
    assert!(!dir.join("res").exists());
    assert!(
        dir.entries().iter().all(|e| !e.contains(".partial")),
        "{:?}",
        dir.entries()
    );
    // A later run removes what a killed one (kill -9: no handler) left.
    std::fs::create_dir(dir.join(".res.partial-999999")).expect("a stale folder");
    let file = dir.write("s.toml", SMALL);
    let ok = caseload_in(
        &dir.path,
        &["run", file.to_str().expect("UTF-8"), "--out", "res"],
        &[],
    );
    assert!(ok.status.success(), "{}", stderr(&ok));
    assert!(!dir.join(".res.partial-999999").exists());

    let sweep_args = [
        "sweep",
        &london(),
        "--variant",
        "only_homicide_transfer",
        "--param",
        "actions.homicide_transfer.officers=8:64:8",
        "--reps",
        "20",
        "--out",
        "sw",
    ];
    let sweep = start(&dir, &sweep_args);
    wait_for(&dir.join(".sw.partial").join("replications.csv"));
    std::thread::sleep(std::time::Duration::from_millis(2500));
    terminate(&sweep);
    let out = sweep.wait_with_output().expect("the sweep");
    assert_eq!(out.status.code(), Some(130));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--resume"));
    assert!(dir.join(".sw.partial").is_dir(), "kept to resume");
    let mut resume: Vec<&str> = sweep_args.to_vec();
    resume.push("--resume");
    let done = caseload_in(&dir.path, &resume, &[]);
    assert!(done.status.success(), "{}", stderr(&done));
    assert!(dir.join("sw/sweep.csv").is_file());
}

fn mmc() -> String {
    util::root()
        .join("scenarios/validation/mmc.toml")
        .display()
        .to_string()
}

#[test]
fn a_changed_shard_is_refused_by_name_and_resume_accepts_another_kpi() {
    let dir = Dir::new("reliability_checksums");
    let shard = |k: u32| {
        let out = format!("s{k}");
        let part = format!("{k}/2");
        util::run_ok(
            &dir,
            &[
                "sweep",
                &mmc(),
                "--param",
                "teams.cait.establishment=10:11:1",
                "--reps",
                "4",
                "--shard",
                &part,
                "--out",
                &out,
            ],
            &[],
        );
    };
    shard(0);
    shard(1);
    let rows = dir.join("s1/replications.csv");
    let original = std::fs::read_to_string(&rows).expect("rows");
    let merge = |out: &str| caseload_in(&dir.path, &["merge", "s0", "s1", "--out", out], &[]);
    // A changed value; then two rows swapped: both refused, naming the shard's file.
    let mut lines: Vec<&str> = original.lines().collect();
    // The first line with a number for a value (the seventh field), that number plus one.
    let (line, changed) = lines[1..]
        .iter()
        .find_map(|line| {
            let mut fields: Vec<String> = line.split(',').map(String::from).collect();
            let value: f64 = fields
                .get(6)?
                .parse()
                .ok()
                .filter(|v: &f64| v.is_finite())?;
            fields[6] = (value + 1.0).to_string();
            Some((*line, fields.join(",")))
        })
        .expect("a line with a value");
    let tampered = original.replacen(line, &changed, 1);
    std::fs::write(&rows, tampered).expect("tamper");
    let out = merge("m1");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("s1/replications.csv"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("checksum"), "{}", stderr(&out));
    lines.swap(1, 2);
    std::fs::write(&rows, lines.join("\n") + "\n").expect("swap");
    assert_eq!(merge("m2").status.code(), Some(2));
    std::fs::write(&rows, &original).expect("restore");
    let out = merge("m3");
    assert!(out.status.success(), "{}", stderr(&out));

    // An interrupted sweep resumed with another --kpi: the same sweep, so it continues.
    let args = |kpi: &str| {
        vec![
            "sweep".to_string(),
            mmc(),
            "--param".into(),
            "teams.cait.establishment=10:13:1".into(),
            "--reps".into(),
            "4".into(),
            "--kpi".into(),
            kpi.into(),
            "--out".into(),
            "w".into(),
        ]
    };
    let whole: Vec<String> = args("backlog_end");
    let as_str: Vec<&str> = whole.iter().map(String::as_str).collect();
    util::run_ok(&dir, &as_str, &[]);
    // Make it look interrupted: the finished folder back to a partial one.
    std::fs::rename(dir.join("w"), dir.join(".w.partial")).expect("partial");
    let mut resumed = args("days_to_allocate_mean");
    resumed.push("--resume".into());
    let as_str: Vec<&str> = resumed.iter().map(String::as_str).collect();
    let out = caseload_in(&dir.path, &as_str, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    // A partial folder whose rows were changed is refused.
    std::fs::rename(dir.join("w"), dir.join(".w.partial")).expect("partial");
    let rows = dir.join(".w.partial/replications.csv");
    let text = std::fs::read_to_string(&rows).expect("rows");
    let mut lines: Vec<&str> = text.lines().collect();
    lines.swap(1, 2);
    std::fs::write(&rows, lines.join("\n") + "\n").expect("tamper");
    fails(&dir, &as_str, 2, "checksum");
}

#[cfg(unix)]
#[test]
fn four_billion_replications_run_in_bounded_memory_until_stopped() {
    // Once an abort: memory for every replication's KPIs was reserved up front.
    let dir = Dir::new("reliability_many_reps");
    let file = dir.write("s.toml", SMALL);
    let mut child = start(
        &dir,
        &[
            "run",
            file.to_str().expect("UTF-8"),
            "--reps",
            "4294967295",
            "--out",
            "out",
        ],
    );
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert!(
        child.try_wait().expect("status").is_none(),
        "still running after 1.5 s"
    );
    let status = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let out = child.wait_with_output().expect("the run");
    assert_eq!(
        out.status.code(),
        Some(130),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!dir.join("out").exists());
}

/// A 200 KiB file system mounted for one test (root only; `None` where it cannot be).
struct TinyDisk {
    path: std::path::PathBuf,
}

impl TinyDisk {
    fn mount(name: &str) -> Option<Self> {
        let path =
            std::env::temp_dir().join(format!("caseload-tiny-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&path).ok()?;
        let mounted = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=200k", "tmpfs"])
            .arg(&path)
            .output()
            .ok()?;
        if !mounted.status.success() {
            let _ = std::fs::remove_dir(&path);
            return None;
        }
        Some(Self { path })
    }
}

impl Drop for TinyDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg(&self.path)
            .status();
        let _ = std::fs::remove_dir(&self.path);
    }
}

#[test]
fn a_full_disk_names_the_file_and_leaves_nothing_half_written() {
    let Some(disk) = TinyDisk::mount("full") else {
        println!("SKIPPED: a small file system cannot be mounted here (needs root)");
        return;
    };
    let dir = Dir::new("reliability_full_disk");
    let out_dir = disk.path.join("res");
    let out = caseload_in(
        &dir.path,
        &[
            "run",
            &mmc(),
            "--reps",
            "2",
            "--out",
            out_dir.to_str().expect("UTF-8"),
        ],
        &[],
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert_eq!(
        err.matches("No space left").count(),
        1,
        "the cause once: {err}"
    );
    assert!(
        err.contains(&disk.path.display().to_string()),
        "the file is named: {err}"
    );
    let left: Vec<String> = std::fs::read_dir(&disk.path)
        .expect("the disk")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        left.iter().all(|e| e.ends_with(".lock")),
        "left behind: {left:?}"
    );
    // A sweep filling the disk: its manifest is whole or absent, never empty.
    std::fs::write(disk.path.join("filler"), vec![0u8; 150 * 1024]).expect("a filler");
    let sweep_out = disk.path.join("sw");
    let out = caseload_in(
        &dir.path,
        &[
            "sweep",
            &mmc(),
            "--param",
            "teams.cait.establishment=10:12:1",
            "--reps",
            "3",
            "--out",
            sweep_out.to_str().expect("UTF-8"),
        ],
        &[],
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.matches("No space left").count() <= 1,
        "the cause once: {err}"
    );
    let manifest = disk.path.join(".sw.partial/manifest.json");
    if manifest.exists() {
        let text = std::fs::read_to_string(&manifest).expect("the manifest");
        assert!(
            serde_json::from_str::<serde_json::Value>(&text).is_ok(),
            "{text:?}"
        );
    }
}

#[test]
fn each_command_has_its_own_folder_and_force_never_removes_another_commands() {
    let dir = Dir::new("folders_per_command");
    let scenario = dir.write("small.toml", SMALL);
    let scenario = scenario.to_str().expect("a UTF-8 path");
    let ok = |args: &[&str]| {
        let out = caseload_in(&dir.path, args, &[]);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    };
    ok(&["run", scenario, "--reps", "2"]);
    ok(&[
        "optimise",
        scenario,
        "--reps",
        "2",
        "--confidence",
        "0.5",
        "--lever",
        "teams.cait.establishment",
        "--target",
        "backlog_end<=1000",
        "--max",
        "4",
    ]);
    ok(&[
        "sweep",
        scenario,
        "--reps",
        "2",
        "--param",
        "teams.cait.establishment=8,10",
    ]);
    let results = dir.join("results/small");
    assert_eq!(
        util::sorted_entries(&results)
            .into_iter()
            .filter(|n| !n.starts_with('.'))
            .collect::<Vec<_>>(),
        ["optimise", "run", "sweep"]
    );
    // A run told to write over the optimiser's folder is refused, even with --force.
    let optimise = results.join("optimise");
    fails(
        &dir,
        &[
            "run",
            scenario,
            "--reps",
            "2",
            "--out",
            optimise.to_str().expect("UTF-8"),
            "--force",
        ],
        2,
        "holds the results of `caseload optimise`",
    );
    assert!(
        optimise.join("trace.csv").is_file(),
        "the optimiser's results are kept"
    );
    // Nor does --force remove a folder caseload did not write.
    let mine = dir.join("mine");
    std::fs::create_dir_all(&mine).expect("a folder");
    std::fs::write(mine.join("notes.txt"), "keep me").expect("a file");
    fails(
        &dir,
        &["run", scenario, "--reps", "2", "--out", "mine", "--force"],
        2,
        "not a caseload results folder",
    );
    assert!(mine.join("notes.txt").is_file());
    // Issue 37: nor a file the user put in the results folder, nor a folder of the user's
    // holding a copied manifest: --force replaces only what caseload wrote.
    let run_folder = results.join("run");
    std::fs::write(run_folder.join("notes.txt"), "keep me").expect("a file");
    fails(
        &dir,
        &["run", scenario, "--reps", "3", "--force"],
        2,
        "holds `notes.txt`, which its manifest does not list",
    );
    assert!(run_folder.join("notes.txt").is_file());
    std::fs::remove_file(run_folder.join("notes.txt")).expect("removed");
    let thesis = dir.join("thesis");
    std::fs::create_dir_all(&thesis).expect("a folder");
    std::fs::copy(
        run_folder.join("manifest.json"),
        thesis.join("manifest.json"),
    )
    .expect("a copied manifest");
    std::fs::write(thesis.join("thesis.tex"), "chapter one").expect("a file");
    let out = caseload_in(
        &dir.path,
        &["run", scenario, "--reps", "2", "--out", "thesis", "--force"],
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(thesis.join("thesis.tex").is_file(), "{}", stderr(&out));
    // The same command's results are replaced with --force.
    ok(&["run", scenario, "--reps", "3", "--force"]);
    let manifest = std::fs::read_to_string(results.join("run/manifest.json")).expect("a manifest");
    assert!(manifest.contains("\"replications\": 3"), "{manifest}");
    assert!(manifest.contains("\"command\": \"run\""), "{manifest}");
}

#[test]
fn a_scenario_or_variant_name_that_cannot_name_a_folder_is_refused() {
    let dir = Dir::new("folder_names");
    for (text, phrase) in [
        (
            SMALL.replace("[scenario]\n", "[scenario]\nname = \"a.b\"\n"),
            "scenario.name",
        ),
        (
            format!("{SMALL}\n[variants.\"x/y\"]\nset = {{}}\n"),
            "variants",
        ),
    ] {
        let scenario = dir.write("named.toml", &text);
        let out = caseload_in(
            &dir.path,
            &["validate", scenario.to_str().expect("UTF-8")],
            &[],
        );
        assert_eq!(out.status.code(), Some(2), "{text}");
        let message = stderr(&out);
        assert!(
            message.contains(phrase) && message.contains("cannot name a results folder"),
            "{message}"
        );
    }
}

#[test]
fn issue_37_a_distribution_that_would_draw_infinity_is_refused_with_its_field() {
    for (name, dist) in [
        ("exponential", r#"{ dist = "exponential", mean = 1e308 }"#),
        ("gamma", r#"{ dist = "gamma", mean = 1e308, cv = 0.5 }"#),
        (
            "lognormal",
            r#"{ dist = "lognormal", mean = 1e300, cv = 3 }"#,
        ),
    ] {
        refused(
            &format!("infinite_{name}"),
            &with(r#"{ dist = "exponential", mean = 20 }"#, dist),
            &[],
            "case_types.referral.stages[0].work: 1e30",
        );
    }
}

#[test]
fn issue_37_attribute_with_no_orders_is_refused_not_run_as_one() {
    let dir = Dir::new("reliability_orders_zero");
    let file = dir.write("s.toml", SMALL);
    let out = caseload_in(
        &dir.path,
        &[
            "attribute",
            file.to_str().expect("UTF-8 path"),
            "--orders",
            "0",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("--orders") && stderr(&out).contains("at least 1 order"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn issue_37_a_frontier_starting_after_the_scenarios_end_is_refused() {
    let dir = Dir::new("reliability_frontier_late");
    let text = format!(
        "{SMALL}\n[actions.lent]\nkind = \"attachment\"\nteam = \"cait\"\nofficers = 2\n\
         start = 2014-06-01\nend = 2014-09-01\n"
    );
    let file = dir.write("s.toml", &text);
    let out = caseload_in(
        &dir.path,
        &[
            "frontier",
            file.to_str().expect("UTF-8 path"),
            "--action",
            "lent",
            "--officers",
            "1:4",
            "--months",
            "1:2",
            "--start",
            "2016-01-01",
            "--target",
            "backlog_end<=10",
            "--out",
            "out",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("--start 2016-01-01") && stderr(&out).contains("within it"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.join("out").exists());
}

fn as_str(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
}

#[test]
fn issue_37_a_sweep_killed_at_any_moment_even_writing_its_final_files_resumes_whole() {
    let dir = Dir::new("reliability_kill_anywhere");
    let sweep_args = |out: &str| -> Vec<String> {
        [
            "sweep",
            &mmc(),
            "--param",
            "teams.cait.establishment=9:14:1",
            "--reps",
            "4",
            "--out",
            out,
        ]
        .map(String::from)
        .to_vec()
    };
    let whole = sweep_args("whole");
    let started = std::time::Instant::now();
    util::run_ok(&dir, &as_str(&whole), &[]);
    let full = started.elapsed();
    let expected = std::fs::read(dir.join("whole/sweep.csv")).expect("the uninterrupted sweep");
    // Killed (no handler) at twelve moments through the run, the last ones in its final
    // phase (the tables and charts written after the last point): --resume always finishes
    // with the same table.
    for k in 1..=12u32 {
        let out = format!("cut{k}");
        let args = sweep_args(&out);
        let mut child = start(&dir, &as_str(&args));
        std::thread::sleep(full * k / 13);
        let _ = child.kill();
        let _ = child.wait();
        let mut resume = args.clone();
        resume.push("--resume".into());
        let done = caseload_in(&dir.path, &as_str(&resume), &[]);
        assert!(done.status.success(), "killed at {k}/13: {}", stderr(&done));
        assert_eq!(
            std::fs::read(dir.join(&out).join("sweep.csv")).expect("the resumed sweep"),
            expected,
            "killed at {k}/13"
        );
        assert!(
            !dir.join(&format!(".{out}.partial")).exists(),
            "stored rows removed"
        );
    }
}

#[test]
fn issue_37_a_counts_file_without_end_is_refused_after_a_bounded_read() {
    let dir = Dir::new("reliability_counts_bound");
    let out = caseload_in(&dir.path, &["fit", "/dev/zero", "--out", "f"], &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("larger than 64 MB"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.join("f").exists(), "nothing written");
}

#[test]
fn issue_37_four_billion_replications_or_orders_are_refused_before_any_memory_is_asked() {
    let dir = Dir::new("reliability_runs_budget");
    let small = dir.write("s.toml", SMALL);
    let small = small.to_str().expect("UTF-8");
    let london = london();
    let many = "4294967295";
    for (args, phrase) in [
        (
            vec![
                "sweep",
                small,
                "--param",
                "teams.cait.establishment=9:12:1",
                "--reps",
                many,
            ],
            "runs (points x replications)",
        ),
        (
            vec!["compare", &london, "--reps", many],
            "runs (replications x options)",
        ),
        (
            vec![
                "attribute",
                &london,
                "--reps",
                "2",
                "--orders",
                many,
                "--sample",
            ],
            "--reps and --orders",
        ),
    ] {
        let mut args = args;
        args.extend(["--out", "out"]);
        let started = std::time::Instant::now();
        util::fails(&dir, &args, 2, phrase);
        assert!(started.elapsed().as_secs() < 20, "{args:?} refused at once");
        assert!(!dir.join("out").exists(), "{args:?}: nothing written");
    }
}

#[test]
fn issue_37_a_counts_file_running_to_the_calendars_end_or_a_huge_forecast_is_refused() {
    let dir = Dir::new("reliability_fit_calendar_end");
    let counts = dir.write(
        "c.csv",
        "period_start,case_type,count\n9999-10-01,a,5\n9999-11-01,a,6\n9999-12-01,a,7\n",
    );
    let counts = counts.to_str().expect("UTF-8");
    util::fails(&dir, &["fit", counts, "--out", "f"], 2, "past the calendar");
    let wide = dir.write(
        "w.csv",
        "period_start,case_type,count\n1800-01-01,a,5\n1950-01-01,a,6\n",
    );
    let wide = wide.to_str().expect("UTF-8");
    util::fails(
        &dir,
        &["fit", wide, "--out", "f"],
        2,
        "span more than 100 years",
    );
    let fine = dir.write(
        "ok.csv",
        "period_start,case_type,count\n2014-01-01,a,5\n2014-02-01,a,6\n2014-03-01,a,7\n",
    );
    let fine = fine.to_str().expect("UTF-8");
    util::fails(
        &dir,
        &["fit", fine, "--ahead", "100000000", "--out", "f"],
        2,
        "at most 1200 periods",
    );
    assert!(!dir.join("f").exists(), "nothing written");
}

#[test]
fn issue_37_a_month_or_a_column_given_twice_or_an_endless_observed_file_is_refused() {
    let dir = Dir::new("reliability_observed_twice");
    let scenario = util::root().join("scenarios/london-2014.toml");
    let scenario = scenario.to_str().expect("UTF-8");
    let twice = dir.write(
        "twice.csv",
        "period_start,figure,value\n2013-01-01,officers_in_post,450\n2013-02-01,officers_in_post,451\n2013-01-01,officers_in_post,300\n",
    );
    let err = util::fails(
        &dir,
        &[
            "backtest",
            scenario,
            twice.to_str().expect("UTF-8"),
            "--reps",
            "2",
            "--out",
            "b",
        ],
        2,
        "given again (first on line 2)",
    );
    assert!(err.contains("twice.csv:4:"), "{err}");
    let column = dir.write(
        "column.csv",
        "period_start,figure,value,value\n2013-01-01,officers_in_post,450,1\n",
    );
    util::fails(
        &dir,
        &[
            "backtest",
            scenario,
            column.to_str().expect("UTF-8"),
            "--out",
            "b",
        ],
        2,
        "the column `value` is given twice",
    );
    util::fails(
        &dir,
        &["backtest", scenario, "/dev/zero", "--out", "b"],
        2,
        "/dev/zero",
    );
    let counts = dir.write(
        "c.csv",
        "period_start,case_type,count,count\n2014-01-01,a,5,6\n",
    );
    util::fails(
        &dir,
        &["fit", counts.to_str().expect("UTF-8"), "--out", "f"],
        2,
        "the column `count` is given twice",
    );
    assert!(
        !dir.join("b").exists() && !dir.join("f").exists(),
        "nothing written"
    );
}

#[cfg(unix)]
#[test]
fn issue_37_a_results_table_linked_to_a_device_is_refused_by_plot_and_report() {
    let dir = small_run("reliability_table_device");
    let table = dir.join("r").join("timeseries.csv");
    std::fs::remove_file(&table).expect("removed");
    std::os::unix::fs::symlink("/dev/zero", &table).expect("a link");
    let started = std::time::Instant::now();
    util::fails(&dir, &["plot", "r"], 2, "not a regular file");
    let summary = dir.join("r").join("summary.csv");
    std::fs::remove_file(&summary).expect("removed");
    std::os::unix::fs::symlink("/dev/zero", &summary).expect("a link");
    util::fails(&dir, &["report", "r"], 2, "not a regular file");
    assert!(started.elapsed().as_secs() < 10, "refused without reading");
    assert!(!dir.join("r").join("report.html").exists());
}

#[test]
fn issue_37_plot_and_report_wait_for_no_one_and_clear_what_killed_redraws_left() {
    let dir = small_run("reliability_plot_lock");
    // What a killed redraw and a killed report left inside the folder.
    std::fs::create_dir(dir.join("r").join(".plot.partial-999999")).expect("a stale folder");
    std::fs::write(dir.join("r").join(".report.html.partial-999998"), "cut").expect("a stale file");
    util::run_ok(&dir, &["plot", "r"], &[]);
    let left: Vec<String> = util::sorted_entries(&dir.join("r"))
        .into_iter()
        .filter(|n| n.contains("partial"))
        .collect();
    assert!(left.is_empty(), "stale staging removed: {left:?}");
    // Another command writing the folder holds its lock: plot and report stop at once.
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.join(".r.lock"))
        .expect("the lock file");
    lock.try_lock().expect("locked");
    util::fails(
        &dir,
        &["plot", "r"],
        2,
        "another caseload command is writing",
    );
    util::fails(
        &dir,
        &["report", "r", "--force"],
        2,
        "another caseload command is writing",
    );
}

#[test]
fn issue_37_a_name_with_a_line_break_cannot_inject_a_line_into_the_demand_blocks() {
    let dir = Dir::new("reliability_fit_injection");
    let counts = dir.write(
        "c.csv",
        "period_start,case_type,count\n2014-01-01,\"a\ndemand = { annual_rate = 1e308 }\",5\n2014-02-01,a,6\n",
    );
    util::fails(
        &dir,
        &["fit", counts.to_str().expect("UTF-8"), "--out", "f"],
        2,
        "without line breaks",
    );
    assert!(!dir.join("f").exists(), "nothing written");
}

#[test]
fn issue_37_validate_and_run_refuse_an_ancient_starting_case_alike() {
    let dir = Dir::new("reliability_ancient_case");
    let text = format!(
        "{SMALL}\n[[starting_backlog]]\ncase_type = \"referral\"\ncount = 5\nage_days = 1e8\n"
    );
    let file = dir.write("s.toml", text);
    let file = file.to_str().expect("UTF-8");
    let by_validate = util::fails(&dir, &["validate", file], 2, "starting_backlog.age_days");
    let by_run = util::fails(
        &dir,
        &["run", file, "--out", "out"],
        2,
        "starting_backlog.age_days",
    );
    assert_eq!(by_validate, by_run, "one budget, one message");
    assert!(by_run.contains("s.toml"), "{by_run}");
    assert!(!dir.join("out").exists(), "nothing written");
}

#[test]
fn issue_37_a_ten_million_case_backlog_is_held_as_one_row_and_refused_alike() {
    let dir = Dir::new("reliability_ten_million");
    // The London response with ten million cases waiting, one row: every variant resolves it as
    // one entry (it took 219 s and 5.5 GB when each case was built for each of 12 plans).
    let text = std::fs::read_to_string(util::root().join("scenarios/london-2014-response.toml"))
        .expect("the London response")
        .replacen(
            "[scenario]",
            "[[starting_backlog]]\ncase_type = \"child_sexual_assault\"\nteam = \"cait_01\"\n\
             age_days = 30\ncount = 10000000\n\n[scenario]",
            1,
        );
    let file = dir.write("big.toml", text);
    let file = file.to_str().expect("UTF-8");
    let by_validate = util::fails(&dir, &["validate", file], 2, "10000000 starting cases");
    let by_run = util::fails(
        &dir,
        &["run", file, "--out", "out"],
        2,
        "10000000 starting cases",
    );
    assert_eq!(by_validate, by_run, "one budget, one message");
    assert!(by_run.contains("--allow-large"), "{by_run}");
    let valid = util::run_ok(&dir, &["validate", file, "--allow-large"], &[]);
    assert!(
        valid.contains("10000000 starting cases, 13 variants"),
        "{valid}"
    );
    assert!(!dir.join("out").exists(), "nothing written");
}

#[test]
fn issue_37_an_output_folder_with_a_long_name_is_written() {
    let dir = Dir::new("reliability_long_out");
    let scenario = dir.write("s.toml", SMALL);
    let long = "r".repeat(251);
    util::run_ok(
        &dir,
        &[
            "run",
            scenario.to_str().expect("UTF-8"),
            "--reps",
            "2",
            "--out",
            &long,
        ],
        &[],
    );
    assert!(dir.join(&long).join("summary.csv").is_file());
}

#[test]
fn issue_37_a_report_without_its_table_or_a_million_referrals_a_year_is_refused() {
    let dir = small_run("reliability_report_whole");
    std::fs::remove_file(dir.join("r").join("summary.csv")).expect("removed");
    util::fails(&dir, &["report", "r"], 2, "summary.csv");
    assert!(
        !dir.join("r").join("report.html").exists(),
        "no page without its headline"
    );
    let busy = dir.write(
        "busy.toml",
        with(
            "demand = { annual_rate = 300 }",
            "demand = { annual_rate = 1e6 }",
        )
        .replace("end = 2015-04-01", "end = 2023-04-01"),
    );
    let started = std::time::Instant::now();
    util::fails(
        &dir,
        &["run", busy.to_str().expect("UTF-8"), "--out", "b"],
        2,
        "case_types.referral.annual_rate",
    );
    assert!(started.elapsed().as_secs() < 10, "refused before running");
}
