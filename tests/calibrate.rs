//! `caseload calibrate`: known values recovered from figures the model itself made (the truth
//! inside the plausible ranges in at least 9 of 10 seeds), and bad observed files refused by
//! line with nothing written.

use crate::util::{Dir, fails, read_csv, run_ok};

/// Ten officers each holding one case at a time; the referrals a year and the hours an
/// officer works are the values calibrated, from the referrals received (which only the
/// demand moves) and the utilisation (which both move).
const SCENARIO: &str = r#"
[scenario]
name = "calib"
start = 2020-01-01
end = 2020-12-31
warmup_days = 30
replications = 4
seed = 5

[teams.cait]
establishment = 10
caseload_cap = 1
contracted_hours_per_year = 2900
cost_per_day = 100

[case_types.referral]
team = "cait"
priority = 1
demand = { annual_rate = 2400 }
stages = [{ work = { dist = "exponential", mean = 8 } }]

[basis]
"case_types.referral.demand.annual_rate" = { basis = "assumption", range = [1800, 3000] }
"teams.cait.contracted_hours_per_year" = { basis = "assumption", range = [2400, 3400] }
"#;

const RATE: &str = "case_types.referral.demand.annual_rate";
const HOURS: &str = "teams.cait.contracted_hours_per_year";

/// Runs the scenario at the truth with its own seed and writes what was observed: each
/// KPI's mean over 10 replications with its standard error as the figure's sd.
fn observe(dir: &Dir, name: &str, rate: i64, hours: i64, seed: u64) -> String {
    let truth = SCENARIO
        .replace("annual_rate = 2400", &format!("annual_rate = {rate}"))
        .replace(
            "contracted_hours_per_year = 2900",
            &format!("contracted_hours_per_year = {hours}"),
        );
    let file = format!("{name}.toml");
    dir.write(&file, truth);
    let out = format!("{name}-truth");
    run_ok(
        dir,
        &[
            "run",
            &file,
            "--reps",
            "10",
            "--seed",
            &seed.to_string(),
            "--out",
            &out,
        ],
        &[],
    );
    let summary = read_csv(&dir.join(&out).join("summary.csv"));
    let mut csv = "target,value,sd,source\n".to_string();
    for kpi in ["referrals", "utilisation"] {
        let row = summary
            .iter()
            .find(|r| r["kpi"] == kpi && r["team"] == "all")
            .expect("the KPI");
        let sd: f64 = row["sd"].parse().expect("a number");
        csv += &format!(
            "{kpi},{},{},the model at the truth\n",
            row["mean"],
            sd / 10f64.sqrt()
        );
    }
    let observed = format!("{name}.csv");
    dir.write(&observed, csv);
    observed
}

#[test]
fn known_values_are_recovered_from_figures_the_model_made_in_at_least_9_of_10_seeds() {
    let dir = Dir::new("calibrate_recovers");
    dir.write("calib.toml", SCENARIO);
    let mut covered = 0;
    for seed in 0..10u64 {
        let (rate, hours) = (1900 + 100 * seed as i64, 3300 - 80 * seed as i64);
        let observed = observe(&dir, &format!("s{seed}"), rate, hours, 1000 + seed);
        let out = format!("cal{seed}");
        let text = run_ok(
            &dir,
            &[
                "calibrate",
                "calib.toml",
                &observed,
                "--waves",
                "3",
                "--points",
                "40",
                "--reps",
                "4",
                "--out",
                &out,
            ],
            &[],
        );
        assert!(text.contains("plausible from"), "{text}");
        let ranges = read_csv(&dir.join(&out).join("calibration.csv"));
        let inside = |path: &str, truth: i64| {
            let row = ranges
                .iter()
                .find(|r| r["parameter"] == path)
                .expect("a row");
            let (lo, hi): (f64, f64) = (
                row["low"].parse().unwrap_or(f64::NAN),
                row["high"].parse().unwrap_or(f64::NAN),
            );
            // The ranges must also say something: well inside what was tried.
            assert!(
                hi - lo < 0.8 * if path == RATE { 1200.0 } else { 1000.0 },
                "{row:?}"
            );
            lo <= truth as f64 && truth as f64 <= hi
        };
        if inside(RATE, rate) && inside(HOURS, hours) {
            covered += 1;
        }
        let basis = std::fs::read_to_string(dir.join(&out).join("basis.toml")).expect("basis");
        assert!(
            basis.contains(&format!("\"{RATE}\" = {{ basis = \"assumption\"")),
            "{basis}"
        );
    }
    assert!(
        covered >= 9,
        "the truth inside the plausible ranges in {covered} of 10 seeds"
    );
}

#[test]
fn bad_observed_files_are_refused_by_line_with_nothing_written() {
    let dir = Dir::new("calibrate_errors");
    dir.write("calib.toml", SCENARIO);
    for (name, text, phrase) in [
        (
            "unknown.csv",
            "target,value,sd\nutilisaton,0.7,0.01\n",
            "unknown.csv:2: target: no KPI is named `utilisaton`; did you mean `utilisation`?",
        ),
        (
            "twice.csv",
            "target,value,sd\nutilisation,0.7,0.01\nreferrals,2000,40\nutilisation,0.6,0.01\n",
            "unknown",
        ),
        (
            "sd.csv",
            "target,value,sd\nutilisation,0.7,0\n",
            "sd.csv:2: sd 0",
        ),
        (
            "value.csv",
            "target,value,sd\nutilisation,high,0.1\n",
            "value `high` is not a number",
        ),
        (
            "column.csv",
            "target,value,stdev\nutilisation,0.7,0.1\n",
            "sd.csv",
        ),
        ("empty.csv", "target,value,sd\n", "no target"),
    ] {
        dir.write(name, text);
        let phrase = match name {
            "twice.csv" => "twice.csv:4: the target `utilisation` is given twice (first on line 2)",
            "column.csv" => "column.csv:1: unknown column `stdev`",
            _ => phrase,
        };
        fails(
            &dir,
            &["calibrate", "calib.toml", name, "--out", "never"],
            2,
            phrase,
        );
    }
    dir.write("ok.csv", "target,value,sd\nutilisation,0.7,0.01\n");
    fails(
        &dir,
        &[
            "calibrate",
            "calib.toml",
            "ok.csv",
            "--param",
            "teams.cait.nothing=1:2",
            "--out",
            "never",
        ],
        2,
        "writes no number or date at `teams.cait.nothing`",
    );
    fails(
        &dir,
        &[
            "calibrate",
            "calib.toml",
            "ok.csv",
            "--reps",
            "1",
            "--out",
            "never",
        ],
        2,
        "--reps must be at least 2",
    );
    assert!(!dir.join("never").exists());
}
