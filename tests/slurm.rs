//! End-to-end on a real Slurm: `caseload slurm --submit` runs a sweep as a job array plus a
//! merge job, and the merged files equal the same sweep run unsharded on one machine; a failed
//! task cancels the merge, `merge` names the missing shard, and a re-submitted task fills the
//! gap.
//!
//! These tests need a running cluster (`scripts/local-slurm.sh start`, which `.ci/run` does)
//! and `SLURM_CONF` pointing at it, so they are ignored by a plain `cargo test`; `.ci/run` runs
//! them with `--ignored`, or says by name that it skipped them where Slurm cannot run.

use crate::util;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use util::{Dir, assert_same_files, caseload_in, fails, root, run_ok, stderr, stdout};

const PARAM: &str = "teams.cait.establishment=9:16:1";
const REPS: &str = "6";
const TASKS: &str = "4";

fn mmc() -> String {
    root()
        .join("scenarios/validation/mmc.toml")
        .display()
        .to_string()
}

fn require_cluster() {
    let conf = std::env::var("SLURM_CONF").unwrap_or_default();
    assert!(
        !conf.is_empty() && Path::new(&conf).is_file(),
        "SLURM_CONF must name the running cluster's slurm.conf (scripts/local-slurm.sh start)"
    );
    let sinfo = Command::new("sinfo").arg("-h").output();
    assert!(
        sinfo.is_ok_and(|o| o.status.success()),
        "sinfo must reach the cluster"
    );
}

/// Waits until none of `jobs` is queued or running.
fn wait_for(jobs: &[&str]) {
    let start = Instant::now();
    loop {
        let out = Command::new("squeue")
            .args(["-h", "-o", "%i", "-j", &jobs.join(",")])
            .output()
            .expect("squeue runs");
        let listed = String::from_utf8_lossy(&out.stdout);
        if listed.trim().is_empty() {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(300),
            "jobs {jobs:?} still queued after 300 s: {listed}"
        );
        std::thread::sleep(Duration::from_millis(500));
    }
}

/// The job completion log's state of job `id` (jobcomp/filetxt: there is no accounting
/// database). Slurm may write the record a moment after the job leaves the queue.
fn final_state(id: &str) -> String {
    let conf = std::env::var("SLURM_CONF").expect("SLURM_CONF");
    let text = std::fs::read_to_string(&conf).expect("slurm.conf");
    let log = text
        .lines()
        .find_map(|l| l.strip_prefix("JobCompLoc="))
        .expect("JobCompLoc in slurm.conf")
        .to_string();
    let start = Instant::now();
    loop {
        let records = std::fs::read_to_string(&log).unwrap_or_default();
        let state = records.lines().find_map(|line| {
            let mut fields = line.split_whitespace();
            fields.next().filter(|f| *f == format!("JobId={id}"))?;
            fields.find_map(|f| f.strip_prefix("JobState=").map(String::from))
        });
        if let Some(state) = state {
            return state;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "no completion record for job {id}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// The job ids `caseload slurm --submit` printed.
fn submitted(text: &str) -> (String, String) {
    let line = text
        .lines()
        .find(|l| l.starts_with("submitted array job "))
        .unwrap_or_else(|| panic!("job ids printed: {text}"));
    let words: Vec<&str> = line.split_whitespace().collect();
    (words[3].to_string(), words[7].to_string())
}

fn sbatch(args: &[&str]) -> String {
    let out = Command::new("sbatch")
        .arg("--parsable")
        .args(args)
        .output()
        .expect("sbatch runs");
    assert!(out.status.success(), "sbatch {args:?}: {}", stderr(&out));
    stdout(&out)
        .trim()
        .split(';')
        .next()
        .unwrap_or("")
        .to_string()
}

/// `caseload slurm` on the test sweep into `array/`, with `extra` arguments.
fn slurm(dir: &Dir, extra: &[&str]) -> String {
    let scenario = mmc();
    let mut args = vec![
        "slurm", &scenario, "--param", PARAM, "--reps", REPS, "--tasks", TASKS, "--out", "array",
    ];
    args.extend_from_slice(extra);
    run_ok(dir, &args, &[])
}

fn local_sweep(dir: &Dir) {
    let out = caseload_in(
        &dir.path,
        &[
            "sweep",
            &mmc(),
            "--param",
            PARAM,
            "--reps",
            REPS,
            "--out",
            "local",
        ],
        &[],
    );
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
#[ignore = "needs a Slurm cluster: scripts/local-slurm.sh start (run by .ci/run)"]
fn slurm_array_sweep_merges_to_the_unsharded_files() {
    require_cluster();
    let dir = Dir::new("slurm_array");
    local_sweep(&dir);
    let text = slurm(&dir, &["--submit"]);
    let (array, merge) = submitted(&text);
    wait_for(&[&array, &merge]);
    assert_eq!(final_state(&merge), "COMPLETED");
    for k in 0..4 {
        assert!(
            dir.join("array/shards")
                .join(k.to_string())
                .join("manifest.json")
                .is_file()
        );
    }
    assert_same_files(&dir.join("local"), &dir.join("array/sweep"));
}

#[test]
#[ignore = "needs a Slurm cluster: scripts/local-slurm.sh start (run by .ci/run)"]
fn a_failed_task_cancels_the_merge_and_a_resubmitted_task_fills_the_gap() {
    require_cluster();
    let dir = Dir::new("slurm_failed_task");
    local_sweep(&dir);
    slurm(&dir, &[]);
    // A file where task 2 writes its folder: that task fails, the others succeed.
    let blocker = dir.join("array/shards/2");
    std::fs::write(&blocker, "not a folder").expect("the blocking file");
    let submit = Command::new("bash")
        .arg(dir.join("array/submit.sh"))
        .output()
        .expect("submit.sh runs");
    assert!(submit.status.success(), "{}", stderr(&submit));
    let text = stdout(&submit);
    let words: Vec<&str> = text.split_whitespace().collect();
    let (array, merge) = (words[2].to_string(), words[7].to_string());
    wait_for(&[&array, &merge]);
    assert_eq!(
        final_state(&merge),
        "CANCELLED",
        "the merge is cancelled, not left pending"
    );
    assert!(!dir.join("array/sweep").exists(), "no merged files");
    let log = std::fs::read_to_string(dir.join("array/logs/shard-2.out")).expect("task 2's log");
    assert!(
        log.contains("not a folder"),
        "task 2 says why it failed: {log}"
    );

    // merge names the missing shard and writes nothing.
    let shards: Vec<String> = (0..4).map(|k| format!("array/shards/{k}")).collect();
    let mut args = vec!["merge"];
    args.extend(shards.iter().map(String::as_str));
    args.extend(["--out", "merged"]);
    fails(&dir, &args, 2, "shard 2/4 missing");
    assert!(!dir.join("merged").exists());

    // Re-submit task 2 alone, then the merge: the same files as the unsharded sweep.
    std::fs::remove_file(&blocker).expect("the blocker removed");
    let script = dir.join("array/sweep.sbatch").display().to_string();
    let task = sbatch(&["--array=2", &script]);
    let merge_script = dir.join("array/merge.sbatch").display().to_string();
    let merge = sbatch(&[
        &format!("--dependency=afterok:{task}"),
        "--kill-on-invalid-dep=yes",
        &merge_script,
    ]);
    wait_for(&[&task, &merge]);
    assert_eq!(final_state(&merge), "COMPLETED");
    assert_same_files(&dir.join("local"), &dir.join("array/sweep"));
}

#[test]
#[ignore = "needs a Slurm cluster: scripts/local-slurm.sh start (run by .ci/run)"]
fn slurm_array_sensitivity_merges_to_the_unsharded_files() {
    require_cluster();
    let dir = Dir::new("slurm_sensitivity");
    let scenario = mmc();
    let question = [
        "sensitivity",
        scenario.as_str(),
        "--kpi",
        "days_to_allocate_mean",
        "--param",
        "teams.cait.establishment=10:13",
        "--param",
        "case_types.referral.demand.annual_rate=2500:3000",
        "--trajectories",
        "3",
        "--reps",
        REPS,
    ];
    let mut local = question.to_vec();
    local.extend(["--out", "local"]);
    run_ok(&dir, &local, &[]);
    let mut array = question.to_vec();
    array.extend(["--tasks", "3", "--out", "array", "--submit"]);
    let text = run_ok(&dir, &array, &[]);
    assert!(
        text.contains("/array/sensitivity when the merge job ends"),
        "{text}"
    );
    let (array, merge) = submitted(&text);
    wait_for(&[&array, &merge]);
    assert_eq!(final_state(&merge), "COMPLETED");
    assert_same_files(&dir.join("local"), &dir.join("array/sensitivity"));
}
