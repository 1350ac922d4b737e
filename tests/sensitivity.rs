//! `caseload sensitivity`: indices worked by hand (a staffing cost linear in the day rate, a
//! backlog the day rate cannot touch), shards merged to the bytes of one job with any thread
//! count, resume, and every bad input refused by name with nothing written.

use crate::util::{Dir, assert_same_files, fails, read_csv, run_ok};

/// Ten officers each holding one case at a time for 200 days; the day rate is an assumption
/// from 50 to 150 pounds, the demand one from 2,000 to 2,900 referrals a year. No attrition
/// and no recruitment, so the staffing cost is (officer-days) x (day rate) in every
/// replication and point, and common random numbers make the day rate change nothing else.
const SCENARIO: &str = r#"
[scenario]
name = "sens"
start = 2020-01-01
end = 2020-07-19
warmup_days = 20
replications = 3
seed = 11

[teams.cait]
establishment = 10
caseload_cap = 1
contracted_hours_per_year = 2921.94
cost_per_day = 100

[case_types.referral]
team = "cait"
priority = 1
demand = { annual_rate = 2600 }
stages = [{ work = { dist = "exponential", mean = 8 } }]

[basis]
"teams.cait.cost_per_day" = { basis = "assumption", source = "a test", range = [50, 150] }
"case_types.referral.demand.annual_rate" = { basis = "assumption", range = [2000, 2900] }
"teams.cait.establishment" = { basis = "sourced", source = "posts" }
"#;

type Index = std::collections::HashMap<(String, String, String), (f64, f64, f64)>;

/// `sensitivity.csv` by (kpi, parameter, index): value, ci_lo, ci_hi.
fn indices(folder: &std::path::Path) -> Index {
    read_csv(&folder.join("sensitivity.csv"))
        .into_iter()
        .map(|r| {
            let n = |c: &str| r[c].parse::<f64>().unwrap_or(f64::NAN);
            (
                (r["kpi"].clone(), r["parameter"].clone(), r["index"].clone()),
                (n("value"), n("ci_lo"), n("ci_hi")),
            )
        })
        .collect()
}

/// The mean over replications of `kpi` at point 0 (the scenario as written).
fn as_written(folder: &std::path::Path, kpi: &str) -> f64 {
    let rows: Vec<f64> = crate::util::sweep_replications(&folder.join("replications.csv"))
        .into_iter()
        .filter(|r| r["point"] == "0")
        .map(|r| r[kpi].parse::<f64>().expect("a number"))
        .collect();
    rows.iter().sum::<f64>() / rows.len() as f64
}

const RATE: &str = "teams.cait.cost_per_day";
const DEMAND: &str = "case_types.referral.demand.annual_rate";

#[test]
fn morris_and_sobol_give_the_indices_worked_by_hand() {
    let dir = Dir::new("sensitivity_by_hand");
    dir.write("s.toml", SCENARIO);
    let text = run_ok(
        &dir,
        &[
            "sensitivity",
            "s.toml",
            "--kpi",
            "cost",
            "--kpi",
            "backlog_end",
            "--out",
            "morris",
            "--report",
        ],
        &[],
    );
    assert!(text.contains("cost depends most on:"), "{text}");
    let m = indices(&dir.join("morris"));
    let cost = as_written(&dir.join("morris"), "cost");
    let get = |kpi: &str, p: &str, i: &str| m[&(kpi.into(), p.into(), i.into())];
    // cost = c x rate, c = cost / 100: across the whole range (100 pounds) it moves by cost.
    let (mu, _, _) = get("cost", RATE, "mu_star");
    assert!((mu - cost).abs() < 1e-6 * cost, "mu* {mu} against {cost}");
    assert!(get("cost", RATE, "sigma").0.abs() < 1e-6 * cost);
    assert_eq!(get("cost", DEMAND, "mu_star").0, 0.0);
    // One at a time: half the cost less at 50 pounds, half more at 150, with no spread.
    let (low, lo, hi) = get("cost", RATE, "low_end");
    assert!((low + cost / 2.0).abs() < 1e-6 * cost && (hi - lo).abs() < 1e-6 * cost);
    assert!((get("cost", RATE, "high_end").0 - cost / 2.0).abs() < 1e-6 * cost);
    // The day rate cannot move the backlog; the demand does.
    assert_eq!(get("backlog_end", RATE, "mu_star").0, 0.0);
    assert!(get("backlog_end", DEMAND, "mu_star").0 > 0.0);
    let page = std::fs::read_to_string(dir.join("morris/report.html")).expect("a report");
    assert!(
        page.contains("depends most on: teams.cait.cost_per_day"),
        "the cost's ranking"
    );
    assert!(
        page.contains("What the answer rests on"),
        "the basis listed"
    );
    for chart in [
        "tornado_cost.png",
        "morris_cost.png",
        "tornado_backlog_end.svg",
    ] {
        assert!(dir.join("morris").join(chart).exists(), "{chart}");
    }

    run_ok(
        &dir,
        &[
            "sensitivity",
            "s.toml",
            "--kpi",
            "cost",
            "--kpi",
            "backlog_end",
            "--method",
            "sobol",
            "--samples",
            "64",
            "--reps",
            "2",
            "--out",
            "sobol",
        ],
        &[],
    );
    let s = indices(&dir.join("sobol"));
    let get = |kpi: &str, p: &str, i: &str| s[&(kpi.into(), p.into(), i.into())];
    // The cost is the day rate's alone: its first index is 1 exactly (f(B) = f(AB)), its
    // total 1 up to sampling error; the demand's total is 0 exactly (f(A) = f(AB)).
    assert!((get("cost", RATE, "first").0 - 1.0).abs() < 1e-9);
    assert!((get("cost", RATE, "total").0 - 1.0).abs() < 0.15);
    assert_eq!(get("cost", DEMAND, "total").0, 0.0);
    assert!(get("cost", DEMAND, "first").0 < 0.15);
    assert_eq!(get("backlog_end", RATE, "total").0, 0.0);
    assert!(get("backlog_end", DEMAND, "total").0 > 0.5);
    for ((_, _, index), (v, lo, hi)) in &s {
        if index == "first" || index == "total" {
            assert!((0.0..=1.0).contains(v), "{index} {v}");
            assert!(
                lo.is_nan() || (0.0 <= *lo && lo <= hi && *hi <= 1.0),
                "{lo} {hi}"
            );
        }
    }
}

#[test]
fn shards_merge_to_the_bytes_of_one_job_with_any_thread_count_and_resume_finishes() {
    let dir = Dir::new("sensitivity_shards");
    dir.write("s.toml", SCENARIO);
    let args = |out: &str| -> Vec<String> {
        [
            "sensitivity",
            "s.toml",
            "--kpi",
            "backlog_end",
            "--trajectories",
            "3",
            "--out",
            out,
        ]
        .map(String::from)
        .to_vec()
    };
    let call = |mut a: Vec<String>, extra: &[&str], threads: &str| {
        a.extend(extra.iter().map(|s| s.to_string()));
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        run_ok(&dir, &a, &[("RAYON_NUM_THREADS", threads)])
    };
    call(args("whole"), &[], "1");
    for k in 0..3 {
        let text = call(
            args(&format!("shard{k}")),
            &["--shard", &format!("{k}/3")],
            "2",
        );
        assert!(text.contains(&format!("shard {k}/3")), "{text}");
    }
    let text = run_ok(
        &dir,
        &["merge", "shard1", "shard0", "shard2", "--out", "merged"],
        &[],
    );
    assert!(
        text.contains("merged 3 shards") && text.contains("depends most on"),
        "{text}"
    );
    assert_same_files(&dir.join("whole"), &dir.join("merged"));
    let text = call(args("whole"), &["--resume"], "2");
    assert!(text.starts_with("nothing to do"), "{text}");
    // Asked again without --force, the folder is not overwritten.
    let a = args("whole");
    let a: Vec<&str> = a.iter().map(String::as_str).collect();
    fails(&dir, &a, 2, "already");
}

#[test]
fn bad_assumptions_and_questions_are_refused_by_file_line_and_field_with_nothing_written() {
    let dir = Dir::new("sensitivity_errors");
    let with = |name: &str, from: &str, to: &str| {
        assert!(SCENARIO.contains(from), "{from}");
        dir.write(name, SCENARIO.replace(from, to));
        name.to_string()
    };
    let unknown = with(
        "unknown.toml",
        "\"teams.cait.establishment\"",
        "\"teams.cait.strenght\"",
    );
    let err = fails(
        &dir,
        &["validate", &unknown],
        2,
        "writes no value at `teams.cait.strenght`",
    );
    let line = 1 + SCENARIO
        .lines()
        .position(|l| l.starts_with("\"teams.cait.establishment\""))
        .expect("the entry");
    assert!(err.contains(&format!("unknown.toml:{line}:1")), "{err}");
    let outside = with("outside.toml", "range = [50, 150]", "range = [-50, 150]");
    let err = fails(
        &dir,
        &["validate", &outside],
        2,
        "the range's low end -50 is outside",
    );
    assert!(err.contains("cost_per_day"), "{err}");
    let dates = with(
        "dates.toml",
        "range = [50, 150]",
        "range = [2020-01-01, 2020-02-01]",
    );
    fails(
        &dir,
        &["validate", &dates],
        2,
        "its range needs two numbers",
    );
    let fraction = with(
        "fraction.toml",
        "range = [2000, 2900]",
        "range = [2000.5, 2900]",
    );
    fails(&dir, &["validate", &fraction], 2, "whole numbers");
    let no_range = with("no_range.toml", ", range = [2000, 2900]", "");
    fails(
        &dir,
        &["validate", &no_range],
        2,
        "an assumption needs a range",
    );
    let empty = with("empty.toml", "range = [50, 150]", "range = [150, 50]");
    fails(&dir, &["validate", &empty], 2, "is empty");
    dir.write("s.toml", SCENARIO);
    let sens = |extra: &[&str]| {
        let mut a = vec!["sensitivity", "s.toml", "--out", "never"];
        a.extend(extra);
        a.iter().map(|s| s.to_string()).collect::<Vec<_>>()
    };
    for (extra, phrase) in [
        (&["--kpi", "backlog_ende"][..], "did you mean `backlog_end`"),
        (
            &["--param", "teams.cait.nothing=1:2"][..],
            "writes no number or date",
        ),
        (
            &["--param", "teams.cait.caseload_cap"][..],
            "gives `teams.cait.caseload_cap` no range",
        ),
        (
            &["--param", "teams.cait.caseload_cap=0:3"][..],
            "at the low end of its range",
        ),
        (&["--trajectories", "1"][..], "--trajectories 1"),
        (&["--levels", "3"][..], "--levels 3"),
        (&["--reps", "1"][..], "at least 2"),
    ] {
        let a = sens(extra);
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        fails(&dir, &a, 2, phrase);
    }
    let none = with(
        "none.toml",
        "\"teams.cait.cost_per_day\" = { basis = \"assumption\", source = \"a test\", range = [50, 150] }\n\"case_types.referral.demand.annual_rate\" = { basis = \"assumption\", range = [2000, 2900] }\n",
        "",
    );
    fails(
        &dir,
        &["sensitivity", &none, "--out", "never"],
        2,
        "no assumption to vary",
    );
    assert!(!dir.join("never").exists());
    assert!(
        dir.entries().iter().all(|e| !e.contains("partial")),
        "{:?}",
        dir.entries()
    );
}

fn as_str(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

#[test]
fn a_killed_analysis_resumes_to_the_same_files() {
    let dir = Dir::new("sensitivity_resume");
    let mmc = crate::util::root().join("scenarios/validation/mmc.toml");
    let args = |out: &str| -> Vec<String> {
        [
            "sensitivity",
            mmc.to_str().expect("UTF-8"),
            "--kpi",
            "days_to_allocate_mean",
            "--param",
            "teams.cait.establishment=10:14",
            "--param",
            "case_types.referral.demand.annual_rate=2500:3000",
            "--trajectories",
            "12",
            "--reps",
            "4",
            "--out",
            out,
        ]
        .map(String::from)
        .to_vec()
    };
    run_ok(&dir, &as_str(&args("whole")), &[]);
    // One thread, killed as soon as a first point is on disk.
    crate::util::kill_once_rows_are_written(
        &dir,
        &args("killed"),
        &dir.join(".killed.partial/replications.csv"),
        4,
    );
    assert!(
        !dir.join("killed").exists(),
        "no output folder from a killed analysis"
    );
    let mut resume = args("killed");
    resume.push("--resume".into());
    let text = run_ok(&dir, &as_str(&resume), &[]);
    assert!(text.starts_with("resumed: "), "{text}");
    assert_same_files(&dir.join("whole"), &dir.join("killed"));
}
