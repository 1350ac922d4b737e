//! End-to-end: `caseload backtest` finds a series the model itself produced inside its bands
//! about as often as they say, and fails `--min-coverage` on one with double the demand.

use crate::util;

use std::collections::BTreeMap;

use util::{Dir, caseload_in, read_csv, run_ok, stderr, stdout};

const SCENARIO: &str = r#"
[scenario]
start = 2020-01-01
end = 2022-01-01
seed = 3

[teams.cait]
establishment = 12
caseload_cap = 4
contracted_hours_per_year = 2920

[case_types.referral]
team = "cait"
priority = 1
demand = { annual_rate = 3650, annual_growth = 0.1 }
stages = [{ work = { dist = "exponential", mean = 8 } }, { wait = { dist = "exponential", mean = 10 } }]
"#;

/// Monthly figures of one replication (seed 99) of `scenario`, as an observed file (referrals
/// multiplied by `scale`), and its referrals as a counts file of case type `referral`.
fn observed_from_the_model(dir: &Dir, scenario: &str, scale: f64) -> (String, String) {
    run_ok(
        dir,
        &[
            "run", scenario, "--reps", "1", "--seed", "99", "--out", "truth", "--force",
        ],
        &[],
    );
    let rows = read_csv(&dir.join("truth/timeseries.csv"));
    let mut by_date: BTreeMap<String, BTreeMap<String, f64>> = BTreeMap::new();
    for r in rows.iter().filter(|r| r["team"] == "all") {
        by_date
            .entry(r["date"].clone())
            .or_default()
            .insert(r["metric"].clone(), r["mean"].parse().unwrap_or(f64::NAN));
    }
    let mut observed = String::from("period_start,figure,value\n");
    let mut counts = String::from("period_start,case_type,count\n");
    let firsts: Vec<&String> = by_date.keys().filter(|d| d.ends_with("-01")).collect();
    for pair in firsts.windows(2) {
        let (start, end) = (&by_date[pair[0]], &by_date[pair[1]]);
        let referrals = end["arrived"] - start["arrived"];
        let allocations = end["allocated"] - start["allocated"];
        let scaled = referrals * scale;
        observed.push_str(&format!("{},referrals,{scaled}\n", pair[0]));
        observed.push_str(&format!("{},allocations,{allocations}\n", pair[0]));
        observed.push_str(&format!("{},unallocated,{}\n", pair[0], end["unallocated"]));
        observed.push_str(&format!("{},open,{}\n", pair[0], end["open"]));
        counts.push_str(&format!("{},referral,{referrals}\n", pair[0]));
    }
    (observed, counts)
}

#[test]
fn a_series_the_model_made_is_inside_its_bands_and_double_the_demand_is_not() {
    let dir = Dir::new("backtest");
    dir.write("scenario.toml", SCENARIO);
    dir.write(
        "observed.csv",
        observed_from_the_model(&dir, "scenario.toml", 1.0).0,
    );
    let text = run_ok(
        &dir,
        &[
            "backtest",
            "scenario.toml",
            "observed.csv",
            "--reps",
            "40",
            "--out",
            "same",
            "--min-coverage",
            "0.6",
        ],
        &[],
    );
    assert!(text.contains("referrals"), "{text}");
    // The observed file is in the manifest with the hash of what was read.
    let manifest = std::fs::read_to_string(dir.join("same/manifest.json")).expect("a manifest");
    let observed = caseload_experiment::sha256_hex(
        &std::fs::read(dir.join("observed.csv")).expect("the observed file"),
    );
    assert!(
        manifest.contains("\"role\": \"observed\"") && manifest.contains(&observed),
        "{manifest}"
    );
    let coverage = read_csv(&dir.join("same/coverage.csv"));
    assert_eq!(
        coverage.len(),
        4,
        "referrals, allocations, unallocated, open"
    );
    for c in &coverage {
        let inside: f64 = c["inside_90"].parse().expect("a share");
        assert!(
            inside >= 0.6,
            "{}: {inside} inside the 90 % band",
            c["figure"]
        );
        let bias: f64 = c["relative_bias"].parse().unwrap_or(0.0);
        if c["figure"] == "referrals" {
            assert!(bias.abs() < 0.05, "referral bias {bias}");
        }
    }
    for file in ["backtest.csv", "backtest_referrals.png", "manifest.json"] {
        assert!(dir.join("same").join(file).exists(), "{file}");
    }

    dir.write(
        "double.csv",
        observed_from_the_model(&dir, "scenario.toml", 2.0).0,
    );
    let out = caseload_in(
        &dir.join(""),
        &[
            "backtest",
            "scenario.toml",
            "double.csv",
            "--reps",
            "40",
            "--out",
            "double",
            "--min-coverage",
            "0.6",
        ],
        &[],
    );
    assert_eq!(
        out.status.code(),
        Some(4),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    let coverage = read_csv(&dir.join("double/coverage.csv"));
    let referrals = coverage
        .iter()
        .find(|c| c["figure"] == "referrals")
        .expect("referrals");
    let inside: f64 = referrals["inside_90"].parse().expect("a share");
    assert!(inside < 0.1, "double the demand: {inside} inside");
    let bias: f64 = referrals["relative_bias"].parse().expect("a number");
    assert!(
        (bias - 0.5).abs() < 0.05,
        "observed twice the median: {bias}"
    );

    dir.write(
        "bad.csv",
        "period_start,figure,value\n2020-01-01,referrals,300\n2020-02-01,backlog,3\n",
    );
    let bad = caseload_in(
        &dir.join(""),
        &["backtest", "scenario.toml", "bad.csv", "--out", "bad"],
        &[],
    );
    assert!(!bad.status.success());
    assert!(
        stderr(&bad).contains("bad.csv:3: figure `backlog`: expected one of referrals"),
        "{}",
        stderr(&bad)
    );
    assert!(!dir.join("bad").exists());
}

#[test]
fn demand_fitted_on_the_first_years_forecasts_the_last_and_a_wrong_demand_does_not() {
    let dir = Dir::new("backtest-fit");
    let truth = SCENARIO.replace("2022-01-01", "2023-01-01");
    dir.write("truth.toml", &truth);
    // The scenario tested guesses the demand a third of what it was.
    dir.write(
        "guess.toml",
        truth.replace("annual_rate = 3650", "annual_rate = 1200"),
    );
    let (observed, counts) = observed_from_the_model(&dir, "truth.toml", 1.0);
    dir.write("observed.csv", &observed);
    dir.write("counts.csv", &counts);
    let referral_coverage = |folder: &str| -> f64 {
        let coverage = read_csv(&dir.join(folder).join("coverage.csv"));
        coverage
            .iter()
            .find(|c| c["figure"] == "referrals")
            .expect("referrals")["inside_90"]
            .parse()
            .expect("a share")
    };
    let guessed = caseload_in(
        &dir.join(""),
        &[
            "backtest",
            "guess.toml",
            "observed.csv",
            "--reps",
            "40",
            "--out",
            "guessed",
        ],
        &[],
    );
    assert!(guessed.status.success(), "{}", stderr(&guessed));
    assert!(referral_coverage("guessed") < 0.1);

    let text = run_ok(
        &dir,
        &[
            "backtest",
            "guess.toml",
            "observed.csv",
            "--counts",
            "counts.csv",
            "--fit-until",
            "2022-01-01",
            "--reps",
            "40",
            "--out",
            "fitted",
        ],
        &[],
    );
    assert!(text.contains("referral: "), "{text}");
    // Only the twelve months the fit never saw are compared.
    let points = read_csv(&dir.join("fitted/backtest.csv"));
    assert!(!points.is_empty());
    assert!(points.iter().all(|p| p["period"].as_str() >= "2022-01"));
    assert_eq!(
        points.iter().filter(|p| p["figure"] == "referrals").count(),
        12,
        "January to December 2022"
    );
    assert!(referral_coverage("fitted") >= 0.6, "{text}");
    let demand = std::fs::read_to_string(dir.join("fitted/demand.toml")).expect("demand.toml");
    assert!(demand.contains("uncertainty = {"), "{demand}");

    let by_team = counts
        .replace(
            "period_start,case_type,count",
            "period_start,case_type,count,team",
        )
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                l.to_string()
            } else {
                format!("{l},cait")
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    dir.write("by_team.csv", &by_team);
    let refused = caseload_in(
        &dir.join(""),
        &[
            "backtest",
            "guess.toml",
            "observed.csv",
            "--counts",
            "by_team.csv",
            "--fit-until",
            "2022-01-01",
            "--out",
            "by_team",
        ],
        &[],
    );
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("by_team.csv: series `referral@cait`"),
        "{}",
        stderr(&refused)
    );
    assert!(!dir.join("by_team").exists());
}
