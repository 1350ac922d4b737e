//! End-to-end: `caseload queue` runs the built binary and reports simulation beside theory.

use std::process::Command;

fn caseload(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_caseload"))
        .args(args)
        .output()
        .expect("the caseload binary runs")
}

/// Parses the "simulated" and "theory" columns of a report row.
fn row(stdout: &str, name: &str) -> (f64, f64) {
    let line = stdout
        .lines()
        .find(|l| l.starts_with(name))
        .unwrap_or_else(|| panic!("no row {name:?} in {stdout}"));
    let numbers: Vec<f64> = line[name.len()..]
        .split_whitespace()
        .map(|x| x.parse().expect("a number"))
        .collect();
    (numbers[0], numbers[1])
}

#[test]
fn queue_reports_simulation_near_erlang_c() {
    let out = caseload(&["queue", "--arrivals", "400000", "--seed", "3"]);
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).expect("utf-8");
    let (simulated, theory) = row(&stdout, "mean time in system");
    // 400,000 customers at rho = 0.9: the mean time in system is within 1 % of theory.
    assert!((simulated / theory - 1.0).abs() < 0.01, "{stdout}");
    assert!((theory - 1.072_77).abs() < 1e-4);
}

#[test]
fn queue_is_deterministic_for_a_seed() {
    let run = || {
        let out = caseload(&["queue", "--arrivals", "50000", "--seed", "8"]);
        let stdout = String::from_utf8(out.stdout).expect("utf-8");
        row(&stdout, "mean wait").0
    };
    assert_eq!(run().to_bits(), run().to_bits());
}

#[test]
fn bad_option_exits_2_with_a_message() {
    let out = caseload(&["queue", "--servers", "0"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).expect("utf-8");
    assert!(stderr.contains("--servers"), "{stderr}");
    let out = caseload(&["queue", "--service-cv", "-1"]);
    assert_eq!(out.status.code(), Some(2));
}
