//! End-to-end: `caseload sweep`, `merge`, `compare`, `optimise` and `run --precision` against
//! queueing theory and against each other.

use crate::util;

use std::collections::HashMap;

use caseload_des::theory;
use caseload_experiment::stats::t_quantile;
use util::{Dir, assert_same_files, caseload_in, fails, read_csv, root, run_ok, stderr};

/// The M/M/c validation scenario: lambda = 8 referrals a day, mu = 1 case per officer-day.
const LAMBDA: f64 = 8.0;
const MU: f64 = 1.0;

fn mmc() -> String {
    root()
        .join("scenarios/validation/mmc.toml")
        .display()
        .to_string()
}

fn london_response() -> String {
    root()
        .join("scenarios/london-2014-response.toml")
        .display()
        .to_string()
}

fn number(row: &HashMap<String, String>, column: &str) -> f64 {
    row[column]
        .parse()
        .unwrap_or_else(|_| panic!("{column} = `{}` is a number", row[column]))
}

#[test]
fn sweep_over_officers_reproduces_the_erlang_c_curve() {
    let dir = Dir::new("sweep_erlang_c");
    let text = run_ok(
        &dir,
        &[
            "sweep",
            &mmc(),
            "--param",
            "teams.cait.establishment=9:14:1",
            "--reps",
            "30",
            "--kpi",
            "days_to_allocate_mean",
            "--target",
            "days_to_allocate_mean<=0.1",
            "--report",
            "--out",
            "sweep",
        ],
        &[],
    );
    assert!(text.contains("6 points x 30 replications"), "{text}");
    let out = dir.join("sweep");
    for file in [
        "sweep.csv",
        "replications.csv",
        "sweep.png",
        "sweep.svg",
        "manifest.json",
    ] {
        assert!(out.join(file).is_file(), "{file} written");
    }
    let replications = util::sweep_replications(&out.join("replications.csv"));
    assert_eq!(replications.len(), 6 * 30);
    let summary = read_csv(&out.join("sweep.csv"));
    // Six points, tested together: a family-wise 95 % level (Bonferroni) for the theory check.
    let family = 1.0 - 0.05 / 6.0;
    for c in 9..=14u32 {
        let waits: Vec<f64> = replications
            .iter()
            .filter(|r| r["teams.cait.establishment"] == c.to_string())
            .map(|r| number(r, "days_to_allocate_mean"))
            .collect();
        assert_eq!(waits.len(), 30);
        let n = waits.len() as f64;
        let mean = waits.iter().sum::<f64>() / n;
        let sd = (waits.iter().map(|w| (w - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
        let half = t_quantile(family, waits.len()) * sd / n.sqrt();
        let wq = theory::mmc(c, LAMBDA, MU).expect("a stable queue").wait;
        assert!(
            (mean - wq).abs() <= half,
            "c = {c}: simulated Wq {mean:.4} +- {half:.4} days, Erlang C {wq:.4}"
        );
        // sweep.csv's row for this point is the same estimate at the 95 % level.
        let row = summary
            .iter()
            .find(|r| {
                r["teams.cait.establishment"] == c.to_string()
                    && r["kpi"] == "days_to_allocate_mean"
            })
            .expect("a sweep.csv row per point and KPI");
        assert!((number(row, "mean") - mean).abs() < 1e-4);
        let half95 = t_quantile(0.95, 30) * sd / n.sqrt();
        assert!((number(row, "ci_hi") - number(row, "ci_lo") - 2.0 * half95).abs() < 2e-4);
        assert!(number(row, "p05") <= number(row, "p50"));
        assert!(number(row, "p50") <= number(row, "p95"));
        // The paired difference from the first point (9 officers), by hand from the rows.
        let first: Vec<f64> = replications
            .iter()
            .filter(|r| r["teams.cait.establishment"] == "9")
            .map(|r| number(r, "days_to_allocate_mean"))
            .collect();
        let diffs: Vec<f64> = waits.iter().zip(&first).map(|(a, b)| a - b).collect();
        let d_mean = diffs.iter().sum::<f64>() / n;
        let d_sd = (diffs.iter().map(|d| (d - d_mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
        let d_half = t_quantile(0.95, 30) * d_sd / n.sqrt();
        assert_eq!(row["reference"], "0");
        assert!((number(row, "diff_mean") - d_mean).abs() < 1e-4, "{row:?}");
        assert!(
            (number(row, "diff_ci_hi") - number(row, "diff_ci_lo") - 2.0 * d_half).abs() < 2e-4
        );
        if c > 9 {
            // Common random numbers: the paired interval is narrower than the unpaired one
            // the same numbers would give.
            let f_mean = first.iter().sum::<f64>() / n;
            let f_var = first.iter().map(|w| (w - f_mean).powi(2)).sum::<f64>() / (n - 1.0);
            let unpaired = t_quantile(0.95, 30) * (sd * sd / n + f_var / n).sqrt();
            assert!(
                d_half < unpaired,
                "c = {c}: paired {d_half} against {unpaired}"
            );
            assert!(
                number(row, "diff_ci_hi") < 0.0,
                "more officers, shorter waits"
            );
        }
    }
    // The target is kept in the manifest and marked in the report, point by point.
    let manifest = std::fs::read_to_string(out.join("manifest.json")).expect("the manifest");
    assert!(
        manifest.contains("\"target\": \"days_to_allocate_mean<=0.1\""),
        "{manifest}"
    );
    let meeting = summary
        .iter()
        .filter(|r| r["kpi"] == "days_to_allocate_mean" && number(r, "mean") <= 0.1)
        .count();
    assert!(
        (1..6).contains(&meeting),
        "some points meet the target, some not"
    );
    let report = std::fs::read_to_string(out.join("report.html")).expect("the report");
    assert!(report.contains("mean meets days_to_allocate_mean&lt;=0.1"));
    assert_eq!(report.matches("<td>yes</td>").count(), meeting);
    assert_eq!(report.matches("<td>no</td>").count(), 6 - meeting);
}

#[test]
fn optimiser_answer_is_the_analytic_smallest_c() {
    let dir = Dir::new("optimise_erlang_c");
    let target = 0.05;
    // The smallest c whose Erlang C wait meets the target: the answer the search must find.
    let analytic = (9..100u32)
        .find(|&c| theory::mmc(c, LAMBDA, MU).is_some_and(|m| m.wait <= target))
        .expect("some c meets it");
    for criterion in ["replications", "mean"] {
        let out = format!("opt-{criterion}");
        let text = run_ok(
            &dir,
            &[
                "optimise",
                &mmc(),
                "--lever",
                "teams.cait.establishment",
                "--target",
                &format!("days_to_allocate_mean<={target}"),
                "--confidence",
                "0.95",
                "--criterion",
                criterion,
                "--reps",
                "20",
                "--out",
                &out,
            ],
            &[],
        );
        assert!(
            text.contains(&format!("common random numbers): {analytic}\n")),
            "{criterion}: answer {analytic} expected: {text}"
        );
        let trace = read_csv(&dir.join(&out).join("trace.csv"));
        let at = |c: u32| {
            trace
                .iter()
                .find(|r| r["value"] == c.to_string())
                .unwrap_or_else(|| panic!("c = {c} in the trace"))
        };
        assert_eq!(at(analytic)["met"], "true");
        assert_eq!(at(analytic - 1)["met"], "false", "one step below misses");
        for row in &trace {
            let met = match criterion {
                "mean" => number(row, "bound") <= target,
                _ => number(row, "share_meeting") >= 0.95,
            };
            assert_eq!(row["met"] == "true", met, "{criterion}: {row:?}");
            assert!(number(row, "bound") >= number(row, "mean"));
        }
        // Bisection, not a scan: far fewer evaluations than values up to the bracket.
        assert!(trace.len() <= 8, "{} evaluations", trace.len());
    }
}

#[test]
fn compare_pairs_options_and_its_interval_is_narrower_than_unpaired() {
    let dir = Dir::new("compare_london");
    let text = run_ok(
        &dir,
        &[
            "compare",
            &london_response(),
            "--variants",
            "no_response,only_homicide_transfer",
            "--reps",
            "10",
            "--out",
            "cmp",
        ],
        &[],
    );
    assert!(text.contains("from `no_response`"), "{text}");
    let out = dir.join("cmp");
    for file in [
        "compare.csv",
        "backlog.csv",
        "backlog.png",
        "backlog.svg",
        "manifest.json",
    ] {
        assert!(out.join(file).is_file(), "{file} written");
    }
    let rows = read_csv(&out.join("compare.csv"));
    let row = |option: &str, kpi: &str| {
        rows.iter()
            .find(|r| r["option"] == option && r["kpi"] == kpi && r["team"] == "all")
            .unwrap_or_else(|| panic!("{option} {kpi} in compare.csv"))
    };
    assert_eq!(
        row("no_response", "backlog_end")["diff_mean"],
        "",
        "no difference for the baseline"
    );
    for kpi in ["backlog_end", "days_to_allocate_mean", "backlog_peak"] {
        let base = row("no_response", kpi);
        let option = row("only_homicide_transfer", kpi);
        let diff = number(option, "diff_mean");
        assert!(
            (diff - (number(option, "mean") - number(base, "mean"))).abs()
                < 1e-3 * diff.abs().max(1.0),
            "{kpi}: the paired mean difference is the difference of means"
        );
        let paired = number(option, "diff_ci_hi") - number(option, "diff_ci_lo");
        let unpaired =
            number(option, "diff_unpaired_ci_hi") - number(option, "diff_unpaired_ci_lo");
        assert!(
            paired < unpaired,
            "{kpi}: paired width {paired} should be below unpaired {unpaired}"
        );
        // The transfer adds officers: fewer cases wait, sooner, beyond any doubt.
        assert!(number(option, "diff_ci_hi") < 0.0, "{kpi}: {diff}");
    }
    // What the transfer buys: the same paired differences, priced.
    let priced = read_csv(&out.join("cost_effectiveness.csv"));
    let bought = priced
        .iter()
        .find(|r| r["option"] == "only_homicide_transfer" && r["effect"] == "backlog_end")
        .expect("the transfer priced on the backlog");
    let option = |kpi| row("only_homicide_transfer", kpi);
    let close = |a: f64, b: f64, what: &str| {
        assert!(
            (a - b).abs() <= 1e-3 * b.abs().max(1.0),
            "{what}: {a} against {b}"
        );
    };
    let saved = number(bought, "saved_mean");
    let extra = number(bought, "extra_cost_mean");
    close(saved, -number(option("backlog_end"), "diff_mean"), "saved");
    close(extra, number(option("cost"), "diff_mean"), "extra cost");
    assert!(
        saved > 0.0 && extra > 0.0,
        "more officers: more cost, fewer waiting"
    );
    let per_million = number(bought, "saved_per_million");
    close(per_million, saved / extra * 1e6, "saved per GBP 1 m");
    assert!(
        number(bought, "saved_per_million_ci_lo") < per_million
            && per_million < number(bought, "saved_per_million_ci_hi"),
        "the ratio inside its Fieller interval"
    );
    assert_eq!(bought["saved_per_million_note"], "", "the plain reading");
    let officer_months = number(bought, "extra_officer_months_mean");
    assert!(
        officer_months > 0.0 && number(bought, "saved_per_officer_month") > 0.0,
        "{officer_months} officer-months"
    );
}

fn as_str(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

fn sweep_args<'a>(out: &'a str, extra: &[&'a str]) -> Vec<String> {
    let mut args: Vec<String> = [
        "sweep",
        &mmc(),
        "--param",
        "teams.cait.establishment=10,12",
        "--param",
        "case_types.referral.demand.annual_rate=2600,2921.94",
        "--reps",
        "5",
        "--out",
        out,
    ]
    .iter()
    .map(ToString::to_string)
    .collect();
    args.extend(extra.iter().map(ToString::to_string));
    args
}

#[test]
fn merged_shards_equal_the_unsharded_sweep_byte_for_byte() {
    let dir = Dir::new("merge_shards");
    let call = |out: &str, extra: &[&str], env: &[(&str, &str)]| {
        let args = sweep_args(out, extra);
        run_ok(
            &dir,
            &args.iter().map(String::as_str).collect::<Vec<_>>(),
            env,
        )
    };
    call("whole", &[], &[("RAYON_NUM_THREADS", "1")]);
    // 4 points x 5 replications in 3 shards of 6, 7 and 7 pairs: the cuts fall inside points.
    for k in 0..3 {
        let shard = format!("{k}/3");
        let folder = format!("shard{k}");
        let text = call(&folder, &["--shard", &shard], &[("RAYON_NUM_THREADS", "2")]);
        assert!(text.contains(&format!("shard {k}/3")), "{text}");
        assert!(
            !dir.join(&folder).join("sweep.csv").exists(),
            "a shard writes rows only"
        );
    }
    // A missing shard is named and nothing is written.
    fails(
        &dir,
        &["merge", "shard0", "shard2", "--out", "partial"],
        2,
        "shard 1/3 missing",
    );
    assert!(!dir.join("partial").exists());

    let text = run_ok(
        &dir,
        &["merge", "shard2", "shard0", "shard1", "--out", "merged"],
        &[],
    );
    assert!(text.contains("merged 3 shards"), "{text}");
    assert_same_files(&dir.join("whole"), &dir.join("merged"));
    // Two parameters: a heatmap, and a row per point and KPI.
    let png = std::fs::read(dir.join("merged/sweep.png")).expect("a heatmap");
    assert_eq!(&png[..4], b"\x89PNG");
    let rows = read_csv(&dir.join("merged/sweep.csv"));
    assert_eq!(rows.iter().filter(|r| r["kpi"] == "backlog_end").count(), 4);
}

#[test]
fn a_killed_sweep_resumes_to_the_same_files() {
    let dir = Dir::new("resume_sweep");
    let args = |out: &str| {
        vec![
            "sweep".to_string(),
            mmc(),
            "--param".into(),
            "teams.cait.establishment=9:68:1".into(),
            "--reps".into(),
            "10".into(),
            "--out".into(),
            out.to_string(),
        ]
    };
    run_ok(&dir, &as_str(&args("whole")), &[]);

    // One thread, killed as soon as a first point is on disk.
    util::kill_once_rows_are_written(
        &dir,
        &args("killed"),
        &dir.join(".killed.partial/replications.csv"),
        10,
    );
    assert!(
        !dir.join("killed").exists(),
        "no output folder from a killed sweep"
    );

    // Without --resume the leftover is not silently discarded or reused.
    let out = caseload_in(&dir.path, &as_str(&args("killed")), &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--resume"), "{}", stderr(&out));

    let mut resume = args("killed");
    resume.push("--resume".into());
    let text = run_ok(&dir, &as_str(&resume), &[]);
    let resumed: usize = text
        .strip_prefix("resumed: ")
        .and_then(|t| t.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("a resumed run says so: {text}"));
    assert!((1..60).contains(&resumed), "{resumed} of 60 points kept");
    assert_same_files(&dir.join("whole"), &dir.join("killed"));
    assert!(!dir.join(".killed.partial").exists());
    // Resuming a finished sweep does nothing.
    let text = run_ok(&dir, &as_str(&resume), &[]);
    assert!(text.starts_with("nothing to do"), "{text}");
}

#[test]
fn precision_stops_at_the_first_batch_meeting_the_target() {
    let dir = Dir::new("precision");
    let text = run_ok(
        &dir,
        &[
            "run",
            &mmc(),
            "--precision",
            "days_to_allocate_mean=2%",
            "--reps",
            "300",
            "--out",
            "run",
        ],
        &[],
    );
    assert!(text.contains("precision: reached"), "{text}");
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("run/manifest.json")).expect("a manifest"),
    )
    .expect("JSON");
    let n = manifest["replications"].as_u64().expect("replications");
    assert!(
        n.is_multiple_of(10) && (20..300).contains(&n),
        "{n} replications"
    );
    let (mean, lo, hi) = util::kpi(&dir.join("run/summary.csv"), "days_to_allocate_mean");
    assert!(
        (hi - lo) / 2.0 <= 0.02 * mean + 1e-4,
        "half-width within 2 % of the mean"
    );
    // Ten fewer replications (the same streams) were not yet precise enough.
    let fewer = (n - 10).to_string();
    run_ok(
        &dir,
        &["run", &mmc(), "--reps", &fewer, "--out", "fewer"],
        &[],
    );
    let (mean, lo, hi) = util::kpi(&dir.join("fewer/summary.csv"), "days_to_allocate_mean");
    assert!(
        (hi - lo) / 2.0 > 0.02 * mean - 1e-4,
        "{fewer} replications already met it"
    );
}

#[test]
fn bad_sweep_and_optimise_arguments_are_named() {
    let dir = Dir::new("bad_experiment_args");
    let cases: [(&[&str], &str); 8] = [
        (
            &[
                "--param",
                "teams.cait.establishment=9:12:1",
                "--reference",
                "13",
            ],
            "13 is not among the values of teams.cait.establishment (9, 10, 11, 12)",
        ),
        (
            &[
                "--param",
                "teams.cait.establishment=9:12:1",
                "--reference",
                "9,10",
            ],
            "expected 1 value",
        ),
        (&["--param", "teams.cait.establishmnt=1,2"], "establishment"),
        (&["--param", "teams.cait.establishment=9:12:0"], "step is 0"),
        (
            &[
                "--param",
                "teams.cait.establishment=9:12:1",
                "--shard",
                "3/3",
            ],
            "K/N",
        ),
        (
            &["--param", "teams.cait.establishment=9.5"],
            "teams.cait.establishment",
        ),
        (&["--param", "teams.nowhere.establishment=9"], "cait"),
        (
            &[
                "--param",
                "teams.cait.establishment=9",
                "--kpi",
                "backlog_ned",
            ],
            "backlog_end",
        ),
    ];
    for (extra, phrase) in cases {
        let scenario = mmc();
        let mut args = vec!["sweep", scenario.as_str(), "--out", "out"];
        args.extend_from_slice(extra);
        let out = caseload_in(&dir.path, &args, &[]);
        assert_eq!(out.status.code(), Some(2), "{extra:?}");
        let err = stderr(&out);
        assert!(err.contains(phrase), "{extra:?}: {err}");
        assert!(err.lines().count() <= 12, "{err}");
        assert!(!dir.join("out").exists() && !dir.join(".out.partial").exists());
    }
    fails(
        &dir,
        &[
            "optimise",
            &mmc(),
            "--lever",
            "teams.cait.establishment",
            "--target",
            "p90_days_to_allocate<=seven",
        ],
        2,
        "not a number",
    );
    // 95 % of 6 replications would be all 6: refused, saying what would do.
    fails(
        &dir,
        &[
            "optimise",
            &mmc(),
            "--lever",
            "teams.cait.establishment",
            "--target",
            "p90_days_to_allocate<=0.5",
            "--reps",
            "6",
        ],
        2,
        "give --reps 20 or more, or --confidence 0.833 (5 of 6)",
    );
    // A target no value reaches: the trace is written, and the message says which criterion
    // failed and how near the largest value came.
    let err = fails(
        &dir,
        &[
            "optimise",
            &mmc(),
            "--lever",
            "teams.cait.establishment",
            "--target",
            "p90_days_to_allocate<=0.000001",
            "--max",
            "12",
            "--reps",
            "20",
            "--out",
            "never_met",
        ],
        2,
        "(met in 0 of 20 replications; 95 % needs 19); raise --max",
    );
    assert!(err.contains("never_met/trace.csv"), "{err}");
    let trace = read_csv(&dir.join("never_met/trace.csv"));
    assert!(!trace.is_empty() && trace.iter().all(|r| r["met"] == "false"));
    let manifest = std::fs::read_to_string(dir.join("never_met/manifest.json")).expect("written");
    assert!(manifest.contains("\"answer\": null"), "{manifest}");
}

#[test]
fn a_sweep_over_an_actions_start_date_runs_each_date() {
    let dir = Dir::new("sweep_dates");
    let tiny = root().join("tests/golden/tiny.toml");
    let text = run_ok(
        &dir,
        &[
            "sweep",
            &tiny.display().to_string(),
            "--param",
            "actions.transfer_in.start=2014-04-06:2014-05-06:15days",
            "--reps",
            "4",
            "--out",
            "dates",
        ],
        &[],
    );
    assert!(text.contains("3 points x 4 replications"), "{text}");
    let summary = read_csv(&dir.join("dates/sweep.csv"));
    let backlog: Vec<(String, f64)> = summary
        .iter()
        .filter(|r| r["kpi"] == "backlog_end")
        .map(|r| (r["actions.transfer_in.start"].clone(), number(r, "mean")))
        .collect();
    let dates: Vec<&str> = backlog.iter().map(|(d, _)| d.as_str()).collect();
    assert_eq!(dates, ["2014-04-06", "2014-04-21", "2014-05-06"]);
    // The later the two officers arrive, the more cases wait at the end (common random
    // numbers: the same referrals at every date); on 6 May they come too late to help.
    assert!(backlog[0].1 < backlog[2].1, "{backlog:?}");
    let svg = std::fs::read_to_string(dir.join("dates/sweep.svg")).expect("the chart");
    assert!(svg.contains("2014-04-21"), "the dates label the axis");
    let bad = caseload_in(
        &dir.path,
        &[
            "sweep",
            &tiny.display().to_string(),
            "--param",
            "actions.transfer_in.start=2014-04-06:2014-05-06:1fortnight",
            "--out",
            "bad",
        ],
        &[],
    );
    assert!(!bad.status.success());
    assert!(
        stderr(&bad).contains("like 1month or 14days"),
        "{}",
        stderr(&bad)
    );
}

#[test]
fn optimise_over_dates_finds_the_latest_start_a_brute_force_grid_finds() {
    let dir = Dir::new("optimise_dates");
    let tiny = root().join("tests/golden/tiny.toml").display().to_string();
    let dates = "2014-04-02:2014-05-10:2days";
    let text = run_ok(
        &dir,
        &[
            "optimise",
            &tiny,
            "--lever",
            "actions.transfer_in.start",
            "--dates",
            dates,
            "--target",
            "backlog_end<=10",
            "--confidence",
            "0.7",
            "--reps",
            "10",
            "--out",
            "latest",
        ],
        &[],
    );
    let answer = text
        .lines()
        .next()
        .and_then(|l| l.rsplit(": ").next())
        .expect("the answer")
        .trim()
        .to_string();
    // The same runs as a sweep: the latest date whose share of replications meets the target.
    run_ok(
        &dir,
        &[
            "sweep",
            &tiny,
            "--param",
            &format!("actions.transfer_in.start={dates}"),
            "--reps",
            "10",
            "--out",
            "grid",
        ],
        &[],
    );
    let mut share: std::collections::BTreeMap<String, (usize, usize)> = Default::default();
    for r in util::sweep_replications(&dir.join("grid/replications.csv")) {
        let e = share
            .entry(r["actions.transfer_in.start"].clone())
            .or_default();
        e.0 += usize::from(number(&r, "backlog_end") <= 10.0);
        e.1 += 1;
    }
    let brute = share
        .iter()
        .filter(|(_, (met, n))| *met as f64 / *n as f64 >= 0.7)
        .map(|(d, _)| d.clone())
        .next_back()
        .expect("some date meets the target");
    assert_eq!(answer, brute, "{text}");
    let trace = read_csv(&dir.join("latest/trace.csv"));
    assert!(
        trace
            .iter()
            .any(|r| r["value"] == brute && r["met"] == "true")
    );
    let manifest = std::fs::read_to_string(dir.join("latest/manifest.json")).expect("manifest");
    assert!(
        manifest.contains(&format!("\"answer_text\": \"{brute}\"")),
        "{manifest}"
    );
}
