//! End-to-end: `caseload run` on the shipped scenarios writes a whole, consistent,
//! reproducible results folder.

use crate::util;

use std::collections::HashMap;

use caseload_des::theory;
use util::{Dir, caseload_in, fails, kpi, read_csv, root, run_ok, stderr};

fn scenario(name: &str) -> String {
    root().join("scenarios").join(name).display().to_string()
}

#[test]
fn london_run_writes_every_file_and_consistent_csvs() {
    let dir = Dir::new("london_run");
    let text = run_ok(
        &dir,
        &[
            "run",
            &scenario("london-2014.toml"),
            "--reps",
            "2",
            "--out",
            "out",
        ],
        &[],
    );
    assert!(
        text.contains("backlog_end"),
        "summary table on stdout: {text}"
    );
    let out = dir.join("out");
    for file in [
        "summary.csv",
        "timeseries.csv",
        "manifest.json",
        "backlog.png",
        "backlog.svg",
        "caseload.png",
        "caseload.svg",
        "officers.png",
        "officers.svg",
    ] {
        let meta = std::fs::metadata(out.join(file)).unwrap_or_else(|_| panic!("{file} written"));
        assert!(meta.len() > 0, "{file} is empty");
    }
    for chart in ["backlog", "caseload", "officers"] {
        let png = std::fs::read(out.join(format!("{chart}.png"))).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "{chart}.png is a PNG");
        // IHDR: width and height of the image, big-endian, after the 8-byte signature.
        let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
        let height = u32::from_be_bytes(png[20..24].try_into().unwrap());
        assert!(width > 100 && height > 100);
        let svg = std::fs::read_to_string(out.join(format!("{chart}.svg"))).unwrap();
        assert!(svg.contains("<svg") && svg.trim_end().ends_with("</svg>"));
    }
    // The time series covers every day from the start to the horizon (2009-04-01 + 2,922 days).
    let backlog: Vec<HashMap<String, String>> = util::csv_rows(&out.join("timeseries.csv"))
        .filter(|r| r["team"] == "all" && r["metric"] == "unallocated")
        .collect();
    assert_eq!(backlog.len(), 2923);
    for (day, row) in backlog.iter().enumerate() {
        assert_eq!(row["day"], day.to_string());
        let (lo, mean, hi): (f64, f64, f64) = (
            row["band_lo"].parse().unwrap(),
            row["mean"].parse().unwrap(),
            row["band_hi"].parse().unwrap(),
        );
        assert!(
            lo <= mean + 1e-9 && mean <= hi + 1e-9,
            "day {day}: band {lo} {mean} {hi}"
        );
    }
    assert_eq!(backlog[0]["date"], "2009-04-01");
    assert_eq!(backlog[2922]["date"], "2017-04-01");
    // The summary's backlog at the end is the mean of the last day of the series.
    let (end, _, _) = kpi(&out.join("summary.csv"), "backlog_end");
    let last: f64 = backlog[2922]["mean"].parse().unwrap();
    assert!(
        (end - last).abs() < 1e-3,
        "backlog_end {end} vs series {last}"
    );
    let manifest = std::fs::read_to_string(out.join("manifest.json")).unwrap();
    for key in [
        "caseload_version",
        "scenario_sha256",
        "\"seed\": 2014",
        "\"replications\": 2",
        "command_line",
    ] {
        assert!(manifest.contains(key), "manifest has {key}: {manifest}");
    }
}

#[test]
fn summary_kpis_match_a_recomputation_from_cases_csv() {
    let dir = Dir::new("recompute");
    let file = dir.write(
        "small.toml",
        r#"
[scenario]
start = 2020-01-01
end = 2021-01-01
warmup_days = 30
seed = 5

[kpi]
allocation_target_days = 3
dates = [2020-06-01]

[teams.cait]
establishment = 4
caseload_cap = 3
contracted_hours_per_year = 1460

[case_types.referral]
team = "cait"
priority = 1
escalate_after_days = 5
demand = { annual_rate = 700 }
stages = [{ work = { dist = "exponential", mean = 6 } }, { wait = { dist = "exponential", mean = 4 } }]

[case_types.urgent]
team = "cait"
priority = 0
demand = { annual_rate = 100 }
stages = [{ work = { dist = "gamma", mean = 10, cv = 0.5 } }]
"#,
    );
    run_ok(
        &dir,
        &[
            "run",
            file.to_str().unwrap(),
            "--reps",
            "3",
            "--out",
            "out",
            "--cases",
        ],
        &[],
    );
    let cases = read_csv(&dir.join("out").join("cases.csv"));
    let summary = dir.join("out").join("summary.csv");
    let warmup = 30.0;
    let horizon = 366.0;
    let mut means = Vec::new();
    let mut medians = Vec::new();
    let mut shares = Vec::new();
    let mut outcome_means = Vec::new();
    let mut completed = Vec::new();
    for rep in 0..3 {
        let rows: Vec<_> = cases
            .iter()
            .filter(|c| c["replication"] == rep.to_string())
            .collect();
        let day = |r: &HashMap<String, String>, c: &str| r[c].parse::<f64>().ok();
        let after: Vec<_> = rows
            .iter()
            .filter(|r| day(r, "arrival_day").unwrap() >= warmup)
            .collect();
        // Every referral after the warm-up: its days unallocated, censored if still waiting.
        let waits: Vec<(f64, bool)> = after
            .iter()
            .map(|r| (day(r, "unallocated_days").unwrap(), r["waiting"] == "false"))
            .collect();
        assert!(
            waits.iter().any(|w| !w.1),
            "some referrals still wait at the end"
        );
        let curve = util::kaplan_meier(&waits);
        means.push(util::area_under(&curve, horizon - warmup));
        medians.push(util::first_below(&curve, 0.5));
        shares.push(1.0 - util::survival_at(&curve, 3.0));
        let outcomes: Vec<(f64, bool)> = after
            .iter()
            .map(|r| {
                let arrival = day(r, "arrival_day").unwrap();
                match day(r, "completed_day") {
                    Some(done) => (done - arrival, true),
                    None => (horizon - arrival, false),
                }
            })
            .collect();
        outcome_means.push(util::area_under(
            &util::kaplan_meier(&outcomes),
            horizon - warmup,
        ));
        completed.push(
            rows.iter()
                .filter(|r| day(r, "completed_day").is_some_and(|d| d >= warmup))
                .count() as f64,
        );
    }
    let avg = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    // cases.csv rounds days to 4 decimals, so recomputed values agree to about 1e-4.
    assert!((kpi(&summary, "days_to_allocate_mean").0 - avg(&means)).abs() < 1e-3);
    assert!((kpi(&summary, "days_to_allocate_median").0 - avg(&medians)).abs() < 1e-3);
    assert!((kpi(&summary, "share_allocated_within_target").0 - avg(&shares)).abs() < 1e-3);
    assert!((kpi(&summary, "days_to_outcome_mean").0 - avg(&outcome_means)).abs() < 1e-3);
    assert!((kpi(&summary, "completed").0 - avg(&completed)).abs() < 1e-6);
    // The waiting list on a [kpi] date is the day's backlog (2020-06-01 is day 152).
    let series = read_csv(&dir.join("out").join("timeseries.csv"));
    let that_day = series
        .iter()
        .find(|r| r["team"] == "all" && r["metric"] == "unallocated" && r["day"] == "152")
        .expect("day 152");
    assert_eq!(that_day["date"], "2020-06-01");
    let listed = kpi(&summary, "waiting_at_2020-06-01").0;
    assert!((listed - that_day["mean"].parse::<f64>().expect("a mean")).abs() < 1e-9);
    // Each case appears exactly once per replication.
    for rep in 0..3 {
        let mut ids: Vec<&str> = cases
            .iter()
            .filter(|c| c["replication"] == rep.to_string())
            .map(|c| c["id"].as_str())
            .collect();
        let n = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), n);
    }
}

#[test]
fn same_seed_gives_identical_files_with_any_thread_count() {
    let dir = Dir::new("determinism");
    let file = scenario("london-2014-response.toml");
    let args = |out: &'static str| {
        [
            "run",
            file.as_str(),
            "--reps",
            "3",
            "--seed",
            "9",
            "--out",
            out,
            "--cases",
        ]
    };
    run_ok(&dir, &args("a"), &[("RAYON_NUM_THREADS", "1")]);
    run_ok(&dir, &args("b"), &[("RAYON_NUM_THREADS", "2")]);
    run_ok(&dir, &args("c"), &[("RAYON_NUM_THREADS", "2")]);
    for file in ["summary.csv", "timeseries.csv", "cases.csv", "backlog.svg"] {
        let a = std::fs::read(dir.join("a").join(file)).unwrap();
        let b = std::fs::read(dir.join("b").join(file)).unwrap();
        let c = std::fs::read(dir.join("c").join(file)).unwrap();
        assert!(a == b, "{file} differs between 1 and 2 threads");
        assert!(b == c, "{file} differs between two runs");
    }
}

#[test]
fn an_existing_output_folder_is_refused_without_force() {
    let dir = Dir::new("force");
    let file = scenario("validation/mmc.toml");
    run_ok(&dir, &["run", &file, "--reps", "1", "--out", "out"], &[]);
    std::fs::write(dir.join("out").join("note.txt"), "keep me").unwrap();
    fails(
        &dir,
        &["run", &file, "--reps", "1", "--out", "out"],
        2,
        "already exists",
    );
    assert!(
        dir.join("out").join("note.txt").exists(),
        "nothing was overwritten"
    );
    // --force replaces only what caseload wrote (issue 37): the user's note stops it.
    let forced = caseload_in(
        &dir.path,
        &["run", &file, "--reps", "1", "--out", "out", "--force"],
        &[],
    );
    assert_eq!(forced.status.code(), Some(2));
    assert!(
        dir.join("out").join("note.txt").exists(),
        "--force removed nothing"
    );
    std::fs::remove_file(dir.join("out").join("note.txt")).unwrap();
    run_ok(
        &dir,
        &["run", &file, "--reps", "1", "--out", "out", "--force"],
        &[],
    );
    assert!(dir.join("out").join("summary.csv").exists());
    // No temporary folder is left behind; the lock file stays (empty, hidden).
    assert_eq!(
        dir.entries(),
        vec![".out.lock".to_string(), "out".to_string()]
    );
}

#[test]
fn mmc_validation_scenario_matches_erlang_c() {
    let dir = Dir::new("mmc");
    run_ok(
        &dir,
        &["run", &scenario("validation/mmc.toml"), "--out", "out"],
        &[],
    );
    let (mean, lo, hi) = kpi(
        &dir.join("out").join("summary.csv"),
        "days_to_allocate_mean",
    );
    // c = 10, lambda = 8 a day, mu = 1 a day (see the scenario's comments).
    let wait = theory::mmc(10, 8.0, 1.0).expect("stable").wait;
    assert!((wait - 0.2046).abs() < 1e-3);
    assert!(
        lo <= wait && wait <= hi,
        "Erlang C {wait} outside the 95 % CI [{lo}, {hi}] (mean {mean})"
    );
    assert!(
        (hi - lo) / 2.0 < 0.1 * wait,
        "the interval is tight enough to mean something"
    );
}

#[test]
fn the_inspections_judgement_of_case_files_is_reproduced_from_its_log_odds() {
    // Issue 33: 278 of 374 case files requiring improvement or inadequate (seed 004).
    let dir = Dir::new("inspection_2016");
    run_ok(
        &dir,
        &[
            "run",
            &scenario("validation/inspection-2016.toml"),
            "--out",
            "out",
        ],
        &[],
    );
    let (mean, lo, hi) = kpi(
        &dir.join("out").join("summary.csv"),
        "share_requires_improvement",
    );
    let found = 278.0 / 374.0;
    assert!(
        lo <= found && found <= hi,
        "278 / 374 = {found} outside the 95 % CI [{lo}, {hi}] (mean {mean})"
    );
    assert!(
        hi - lo < 0.02,
        "the interval is tight enough to mean something"
    );
}

#[test]
fn response_variant_without_actions_is_the_baseline() {
    let base = caseload_scenario::load(&root().join("scenarios/london-2014.toml")).unwrap();
    let response =
        caseload_scenario::load(&root().join("scenarios/london-2014-response.toml")).unwrap();
    let none = response.plan(Some("no_response")).unwrap();
    assert_eq!(
        none.model, base.base.model,
        "london-2014-response.toml's no_response variant drifted from london-2014.toml"
    );
    assert_eq!(response.base.actions.len(), 11);
    assert_eq!(response.variants.len(), 13);
    // The baseline's values rest on what the response's do: the same [basis] entries.
    for entry in &base.base.basis {
        assert!(
            response.base.basis.contains(entry),
            "london-2014-response.toml's [basis] lacks {entry:?}"
        );
    }
    assert!(
        base.base.basis.len() >= 20,
        "the baseline's basis is recorded"
    );
}

#[test]
fn schema_is_json_describing_the_format_and_validate_reports_a_summary() {
    let dir = Dir::new("schema");
    let schema = run_ok(&dir, &["schema"], &[]);
    let value: serde_json::Value = serde_json::from_str(&schema).expect("the schema is JSON");
    let properties = &value["properties"];
    for table in [
        "scenario",
        "teams",
        "case_types",
        "actions",
        "variants",
        "kpi",
    ] {
        assert!(
            properties.get(table).is_some(),
            "the schema describes [{table}]"
        );
    }
    let text = run_ok(
        &dir,
        &["validate", &scenario("london-2014-response.toml")],
        &[],
    );
    assert!(
        text.contains("valid") && text.contains("11 staffing actions"),
        "{text}"
    );
}

/// The range a unit's values lie in (`None`: any real number).
fn unit_range(kpi: &str, unit: &str) -> Option<(f64, f64)> {
    if kpi.starts_with("hours_deficit") {
        return None;
    }
    match unit {
        "share" => Some((0.0, 1.0)),
        _ => Some((0.0, f64::INFINITY)),
    }
}

/// Checks every estimate row of a summary-like CSV: ci_lo <= mean <= ci_hi, p05 <= p50 <=
/// p95, everything inside the unit's range, and a note wherever a number is missing.
fn check_estimates(path: &std::path::Path) -> usize {
    let rows = read_csv(path);
    assert!(!rows.is_empty(), "{} has rows", path.display());
    let num = |row: &HashMap<String, String>, c: &str| row[c].parse::<f64>().ok();
    for row in &rows {
        let what = format!("{}: {} {}", path.display(), row["team"], row["kpi"]);
        let n: usize = row["n"].parse().expect("n");
        let (mean, lo, hi) = (num(row, "mean"), num(row, "ci_lo"), num(row, "ci_hi"));
        match (mean, lo, hi) {
            (Some(m), Some(l), Some(h)) => assert!(l <= m + 1e-9 && m <= h + 1e-9, "{what}"),
            (Some(_), None, None) => assert!(n < 2 && !row["note"].is_empty(), "{what}"),
            (None, None, None) => assert!(!row["note"].is_empty(), "{what}: no mean, no note"),
            _ => panic!("{what}: an interval without a mean"),
        }
        let spread: Vec<Option<f64>> = ["p05", "p50", "p95"].iter().map(|c| num(row, c)).collect();
        if let [Some(a), Some(b), Some(c)] = spread[..] {
            assert!(a <= b && b <= c, "{what}: percentiles out of order");
        }
        if let Some((min, max)) = unit_range(&row["kpi"], &row["unit"]) {
            for c in ["mean", "ci_lo", "ci_hi", "p05", "p50", "p95"] {
                if let Some(x) = num(row, c) {
                    assert!(
                        min <= x && x <= max,
                        "{what}: {c} = {x} outside [{min}, {max}]"
                    );
                }
            }
        }
    }
    rows.len()
}

#[test]
fn every_number_the_shipped_scenarios_write_is_inside_its_domain() {
    let dir = Dir::new("domains");
    for (name, reps) in [
        ("london-2014.toml", "3"),
        ("london-2014-response.toml", "3"),
        ("validation/mmc.toml", "3"),
        ("validation/mm1-ps.toml", "1"),
    ] {
        let out = name.replace(['/', '.'], "_");
        run_ok(
            &dir,
            &["run", &scenario(name), "--reps", reps, "--out", &out],
            &[],
        );
        let folder = dir.join(&out);
        let rows = check_estimates(&folder.join("summary.csv"));
        // A row per KPI for all teams and for each team.
        let summary = read_csv(&folder.join("summary.csv"));
        assert_eq!(summary.len(), rows);
        assert!(summary.iter().any(|r| r["team"] == "all"));
        // Every daily metric per team as well as for all; bands ordered, values in range.
        let mut teams = std::collections::BTreeSet::new();
        for row in util::csv_rows(&folder.join("timeseries.csv")) {
            teams.insert(row["team"].clone());
            let num = |c: &str| row[c].parse::<f64>().ok();
            if let (Some(lo), Some(hi)) = (num("band_lo"), num("band_hi")) {
                assert!(lo <= hi, "{name}: band {row:?}");
                assert!(lo >= 0.0, "{name}: {row:?}");
                if row["unit"] == "share" {
                    assert!(hi <= 1.0 + 1e-6, "{name}: {row:?}");
                }
            }
        }
        assert!(teams.contains("all") && teams.len() >= 2, "{teams:?}");
        // replications.csv: every KPI of every replication.
        let long = read_csv(&folder.join("replications.csv"));
        assert_eq!(long.len(), rows * reps.parse::<usize>().expect("reps"));
    }
    // One replication: no interval, and the summary says so.
    let text = run_ok(
        &dir,
        &[
            "run",
            &scenario("validation/mmc.toml"),
            "--reps",
            "1",
            "--out",
            "one",
        ],
        &[],
    );
    assert!(text.contains("no confidence intervals"), "{text}");
    // A comparison's rows too.
    run_ok(
        &dir,
        &[
            "compare",
            &scenario("london-2014-response.toml"),
            "--variants",
            "no_response,base",
            "--reps",
            "3",
            "--out",
            "cmp",
        ],
        &[],
    );
    check_estimates(&dir.join("cmp/compare.csv"));
    assert!(dir.join("cmp/replications.csv").is_file());
}

#[test]
fn precision_not_met_writes_the_results_and_exits_3() {
    let dir = Dir::new("precision_not_met");
    let out = caseload_in(
        &dir.path,
        &[
            "run",
            &scenario("validation/mmc.toml"),
            "--precision",
            "days_to_allocate_mean=0.0001",
            "--reps",
            "10",
            "--out",
            "run",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(util::stdout(&out).contains("NOT reached"));
    assert!(
        dir.join("run/summary.csv").is_file(),
        "results are written all the same"
    );
}

#[test]
fn the_compare_report_ranks_each_kpi_best_first_by_its_own_direction() {
    let dir = Dir::new("cli_compare_ranking");
    let tiny = root().join("tests/golden/tiny.toml");
    run_ok(
        &dir,
        &[
            "compare",
            tiny.to_str().expect("UTF-8"),
            "--reps",
            "3",
            "--report",
            "--out",
            "c",
        ],
        &[],
    );
    let rows = read_csv(&dir.join("c/compare.csv"));
    let page = std::fs::read_to_string(dir.join("c/report.html")).expect("the report");
    for (kpi, larger_first) in [
        ("share_allocated_within_target", true),
        ("backlog_end", false),
    ] {
        let mut options: Vec<(f64, String)> = rows
            .iter()
            .filter(|r| r["kpi"] == kpi && r["team"] == "all")
            .map(|r| (r["mean"].parse().expect("a mean"), r["option"].clone()))
            .collect();
        options.sort_by(|a, b| a.0.total_cmp(&b.0));
        if larger_first {
            options.reverse();
        }
        let section = &page[page
            .find(&format!("<code>{kpi}</code> ("))
            .expect("the section")..];
        let section = &section[..section.find("</table>").expect("its table")];
        let order: Vec<usize> = options
            .iter()
            .map(|(_, o)| section.find(&format!("<td>{o}</td>")).expect("each option"))
            .collect();
        assert!(
            order.windows(2).all(|w| w[0] < w[1]),
            "{kpi}: {options:?} in {section}"
        );
        let heading = if larger_first {
            "largest first"
        } else {
            "smallest first"
        };
        assert!(section.contains(heading), "{kpi}: {section}");
    }
}

#[test]
fn a_scenario_states_its_question_and_its_reports_answer_it() {
    let dir = Dir::new("report_question");
    // The 2019 file asks about the visit standard, withdrawal, NFA and charges.
    run_ok(
        &dir,
        &[
            "run",
            &scenario("london-2019-online.toml"),
            "--reps",
            "2",
            "--out",
            "r19",
            "--report",
        ],
        &[],
    );
    let page = std::fs::read_to_string(dir.join("r19/report.html")).expect("a report");
    for words in [
        "What do the 2019 training and the dedicated teams buy",
        "whose standard&#39;s stage finished within its days",
        "whose victims withdrew support",
        "no further action for evidential difficulties",
        "charged or summonsed",
        "GBP m",
    ] {
        assert!(page.contains(words), "`{words}` in the 2019 report");
    }
    // A compare report ranks by the stated direction: a share allocated in time largest first,
    // and carries the cost.
    let tiny = std::fs::read_to_string(root().join("tests/golden/tiny.toml"))
        .expect("the tiny scenario")
        .replace(
            "[kpi]",
            "[report]\nquestion = \"Which option allocates most referrals in time?\"\nheadline = \
             [\"share_allocated_within_target\", \"cost\"]\n\n[kpi]",
        );
    dir.write("tiny.toml", tiny);
    run_ok(
        &dir,
        &[
            "compare",
            "tiny.toml",
            "--reps",
            "3",
            "--out",
            "cmp",
            "--report",
        ],
        &[],
    );
    let page = std::fs::read_to_string(dir.join("cmp/report.html")).expect("a report");
    assert!(page.contains("Which option allocates most referrals in time?"));
    let rows = read_csv(&dir.join("cmp/compare.csv"));
    let mean = |option: &str, kpi: &str| -> String {
        rows.iter()
            .find(|r| r["option"] == option && r["kpi"] == kpi && r["team"] == "all")
            .map(|r| r["mean"].clone())
            .expect("a row")
    };
    let (base, other) = (
        mean("base", "share_allocated_within_target"),
        mean("no_transfer", "share_allocated_within_target"),
    );
    let best = if base.parse::<f64>().unwrap_or(0.0) >= other.parse::<f64>().unwrap_or(0.0) {
        "base"
    } else {
        "no_transfer"
    };
    let section = page
        .split("share_allocated_within_target</code>")
        .nth(1)
        .expect("the share's section");
    let first_row = section.split("<tr><td>").nth(1).expect("a first row");
    assert!(first_row.starts_with(best), "largest first: {first_row}");
    assert!(
        page.contains(&format!("data-value=\"{}\"", mean("base", "cost"))),
        "cost shown"
    );
    // A [report] naming no KPI, or an odd direction or money unit, is refused by line.
    for (from, to, phrase) in [
        ("\"cost\"]", "\"costs\"]", "no KPI is named `costs`"),
        (
            "\"cost\"]",
            "\"cost\"]\nmoney = \"EUR\"",
            "expected one of GBP, GBP k, GBP m",
        ),
        (
            "\"cost\"]",
            "\"cost\"]\nbetter = { cost = \"up\" }",
            "expected \"larger\" or \"smaller\"",
        ),
    ] {
        let text = std::fs::read_to_string(dir.join("tiny.toml"))
            .expect("the file")
            .replace(from, to);
        dir.write("bad.toml", text);
        let err = fails(&dir, &["validate", "bad.toml"], 2, phrase);
        assert!(
            err.contains("bad.toml:") && err.contains("report."),
            "{err}"
        );
    }
}

#[test]
fn the_monthly_table_is_the_daily_table_at_each_months_end() {
    let dir = Dir::new("monthly_table");
    run_ok(
        &dir,
        &[
            "run",
            &scenario("london-2019-online.toml"),
            "--reps",
            "2",
            "--out",
            "r",
        ],
        &[],
    );
    let monthly = read_csv(&dir.join("r/monthly.csv"));
    let key =
        |r: &HashMap<String, String>| (r["date"].clone(), r["team"].clone(), r["metric"].clone());
    let month_ends: std::collections::BTreeSet<String> =
        monthly.iter().map(|r| r["date"].clone()).collect();
    // The daily rows on those dates only, and every series the daily table has.
    let mut by_day: HashMap<_, HashMap<String, String>> = HashMap::new();
    let mut series = std::collections::BTreeSet::new();
    for r in util::csv_rows(&dir.join("r/timeseries.csv")) {
        series.insert((r["team"].clone(), r["metric"].clone()));
        if month_ends.contains(&r["date"]) {
            by_day.insert(key(&r), r);
        }
    }
    // 48 months (April 2016 to March 2020) and the run's last day, 2020-04-01.
    let dates: std::collections::BTreeSet<&str> =
        monthly.iter().map(|r| r["date"].as_str()).collect();
    assert_eq!(dates.len(), 49, "{dates:?}");
    assert!(dates.contains("2016-04-30") && dates.contains("2020-03-31"));
    for m in &monthly {
        let d = &by_day[&key(m)];
        assert_eq!(&m["month"], &m["date"][..7]);
        for column in ["mean", "band_lo", "band_hi", "unit"] {
            assert_eq!(m[column], d[column], "{column} on {}", m["date"]);
        }
    }
    // Every series on every one of the 49 dates, and nothing else.
    assert_eq!(monthly.len(), series.len() * 49);
}

/// Every row of a Parquet table as text, as the CSV writes it (four decimals, empty for a
/// null, dates ISO).
fn parquet_rows(path: &std::path::Path) -> Vec<Vec<String>> {
    use parquet::file::reader::{FileReader, SerializedFileReader};
    use parquet::record::Field;
    let file = std::fs::File::open(path).expect("the Parquet file");
    let reader = SerializedFileReader::new(file).expect("a Parquet file");
    reader
        .get_row_iter(None)
        .expect("its rows")
        .map(|row| {
            row.expect("a row")
                .get_column_iter()
                .map(|(_, field)| match field {
                    Field::Str(s) => s.clone(),
                    Field::Int(i) => i.to_string(),
                    Field::Date(d) => {
                        (time::Date::from_julian_day(2_440_588 + d).expect("a date")).to_string()
                    }
                    Field::Double(x) if x.is_infinite() => "inf".to_string(),
                    Field::Double(x) => caseload_report::number(*x),
                    Field::Null => String::new(),
                    other => panic!("an unexpected field {other:?}"),
                })
                .collect()
        })
        .collect()
}

#[test]
fn the_daily_and_replication_tables_as_parquet_read_back_as_the_csv() {
    let dir = Dir::new("parquet");
    dir.write(
        "tiny.toml",
        std::fs::read(root().join("tests/golden/tiny.toml")).expect("the tiny scenario"),
    );
    run_ok(
        &dir,
        &[
            "run",
            "tiny.toml",
            "--format",
            "both",
            "--reps",
            "3",
            "--out",
            "both",
        ],
        &[],
    );
    for table in ["timeseries", "replications"] {
        let csv: Vec<Vec<String>> = {
            let mut reader =
                csv::Reader::from_path(dir.join(&format!("both/{table}.csv"))).expect("the CSV");
            reader
                .records()
                .map(|r| r.expect("a record").iter().map(String::from).collect())
                .collect()
        };
        let parquet = parquet_rows(&dir.join(&format!("both/{table}.parquet")));
        assert_eq!(parquet.len(), csv.len(), "{table}: rows");
        assert!(
            csv.iter().any(|r| r.iter().any(String::is_empty)),
            "{table}: a null tried"
        );
        assert_eq!(parquet, csv, "{table}: the same rows");
    }
    // Parquet alone: no CSV of those tables, and the manifest lists what is there.
    run_ok(
        &dir,
        &["run", "tiny.toml", "--format", "parquet", "--out", "pq"],
        &[],
    );
    assert!(!dir.join("pq/timeseries.csv").exists());
    let manifest = std::fs::read_to_string(dir.join("pq/manifest.json")).expect("a manifest");
    assert!(manifest.contains("timeseries.parquet") && !manifest.contains("timeseries.csv"));
    // The same results, the same bytes.
    run_ok(
        &dir,
        &["run", "tiny.toml", "--format", "parquet", "--out", "pq2"],
        &[],
    );
    assert_eq!(
        std::fs::read(dir.join("pq/timeseries.parquet")).expect("one"),
        std::fs::read(dir.join("pq2/timeseries.parquet")).expect("two")
    );
}

#[test]
fn manifests_record_the_build_every_input_read_and_every_file_written() {
    let dir = Dir::new("provenance");
    let version = run_ok(&dir, &["--version"], &[]);
    let build = version
        .trim()
        .strip_prefix("caseload ")
        .expect("caseload VERSION");
    assert!(
        build.starts_with(env!("CARGO_PKG_VERSION")) && build.contains('('),
        "the version and the commit: {build}"
    );
    // A starting backlog read from a file, beside the scenario.
    let tiny =
        std::fs::read_to_string(root().join("tests/golden/tiny.toml")).expect("the tiny scenario");
    let backlog = "case_type,team,age_days,count\n";
    let types: Vec<&str> = tiny
        .lines()
        .filter_map(|l| l.strip_prefix("[case_types.")?.strip_suffix(']'))
        .collect();
    let team = tiny
        .lines()
        .find_map(|l| l.strip_prefix("[teams.")?.strip_suffix(']'))
        .expect("a team");
    dir.write(
        "backlog.csv",
        format!("{backlog}{},{team},30,2\n", types[0]),
    );
    dir.write(
        "tiny.toml",
        tiny.replacen(
            "[scenario]\n",
            "[scenario]\nstarting_backlog_csv = \"backlog.csv\"\n",
            1,
        ),
    );
    run_ok(&dir, &["run", "tiny.toml", "--out", "r", "--report"], &[]);
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("r/manifest.json")).expect("a manifest"),
    )
    .expect("JSON");
    assert_eq!(
        manifest["caseload_build"], build,
        "the build --version prints"
    );
    let inputs = manifest["inputs"].as_array().expect("the inputs");
    assert_eq!(inputs.len(), 1, "{inputs:?}");
    assert_eq!(inputs[0]["role"], "scenario.starting_backlog_csv");
    assert_eq!(inputs[0]["file"], "backlog.csv");
    assert_eq!(
        inputs[0]["sha256"],
        caseload_experiment::sha256_hex(&std::fs::read(dir.join("backlog.csv")).expect("read")),
    );
    // Every file in the folder is listed, the report included.
    let listed: Vec<&str> = manifest["files"]
        .as_array()
        .expect("the files")
        .iter()
        .filter_map(|f| f.as_str())
        .collect();
    for entry in std::fs::read_dir(dir.join("r")).expect("the folder") {
        let name = entry
            .expect("an entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        assert!(
            name == "manifest.json" || listed.contains(&name.as_str()),
            "{name} is listed"
        );
    }
    assert!(listed.contains(&"report.html"));
}

#[test]
fn init_writes_templates_that_validate_with_the_schema_beside_them_and_never_over_a_file() {
    let dir = Dir::new("init");
    let schema = run_ok(&dir, &["schema"], &[]);
    for (file, template) in [("mine.toml", "minimal"), ("london.toml", "london")] {
        run_ok(&dir, &["init", file, "--template", template], &[]);
        let text = std::fs::read_to_string(dir.join(file)).expect("written");
        assert!(
            text.starts_with("#:schema scenario.schema.json\n"),
            "{file}"
        );
        let valid = run_ok(&dir, &["validate", file], &[]);
        assert!(valid.contains("valid"), "{valid}");
    }
    assert_eq!(
        std::fs::read_to_string(dir.join("scenario.schema.json")).expect("the schema"),
        schema,
        "the schema beside them is caseload's own"
    );
    // The minimal template runs and its variant is there to compare.
    run_ok(
        &dir,
        &["compare", "mine.toml", "--reps", "2", "--out", "cmp"],
        &[],
    );
    // Nothing is written over silently.
    std::fs::write(dir.join("mine.toml"), "kept").expect("written");
    fails(&dir, &["init", "mine.toml"], 2, "--force");
    assert_eq!(
        std::fs::read_to_string(dir.join("mine.toml")).expect("read"),
        "kept"
    );
    std::fs::write(dir.join("scenario.schema.json"), "{}").expect("written");
    fails(
        &dir,
        &["init", "other.toml"],
        2,
        "scenario.schema.json exists",
    );
    assert!(!dir.join("other.toml").exists(), "nothing half-written");
    run_ok(&dir, &["init", "other.toml", "--force"], &[]);
}

#[test]
fn the_shipped_schema_is_the_one_the_program_prints() {
    let dir = Dir::new("shipped_schema");
    let printed = run_ok(&dir, &["schema"], &[]);
    let shipped = std::fs::read_to_string(root().join("docs/scenario.schema.json"))
        .expect("docs/scenario.schema.json");
    assert!(
        shipped == printed,
        "docs/scenario.schema.json is stale: caseload schema > docs/scenario.schema.json"
    );
}

#[test]
fn run_json_is_the_summary_on_stdout() {
    let dir = Dir::new("run_json");
    dir.write(
        "tiny.toml",
        std::fs::read(root().join("tests/golden/tiny.toml")).expect("the tiny scenario"),
    );
    let out = run_ok(&dir, &["run", "tiny.toml", "--json", "--out", "j"], &[]);
    let json: serde_json::Value = serde_json::from_str(&out).expect("only JSON on stdout");
    assert_eq!(json["scenario"], "tiny");
    let kpis = json["kpis"].as_array().expect("the KPIs");
    let summary = read_csv(&dir.join("j/summary.csv"));
    assert_eq!(kpis.len(), summary.len(), "every row of summary.csv");
    for (k, row) in kpis.iter().zip(&summary) {
        assert_eq!(k["kpi"], row["kpi"].as_str());
        assert_eq!(k["team"], row["team"].as_str());
        match k["mean"].as_f64() {
            Some(mean) => {
                let written: f64 = row["mean"].parse().expect("a mean");
                assert!(
                    (mean - written).abs() <= 5e-5,
                    "{}: {mean} {written}",
                    row["kpi"]
                );
            }
            None => assert!(row["mean"].is_empty() || row["mean"] == "inf", "{row:?}"),
        }
    }
}
