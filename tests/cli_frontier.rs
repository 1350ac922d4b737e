//! End-to-end: `caseload frontier` finds, for each duration of a temporary attachment, the
//! fewest officers meeting a target by a date, and its answers equal a brute-force grid of the
//! same runs (a sweep over officers and end dates, common random numbers), on a queue that
//! reduces to M/M/c: 8 officers each working one case at a time, referrals at 7.5 a day, 8
//! hours of work each, and 300 cases waiting at the start.

use crate::util;

use std::collections::BTreeMap;

use util::{Dir, read_csv, run_ok};

const SCENARIO: &str = r#"
[scenario]
name = "frontier-mmc"
start = 2020-01-01
end = 2020-07-01
replications = 10
seed = 3

[kpi]
dates = [2020-04-01]

[teams.cait]
establishment = 8
caseload_cap = 1
contracted_hours_per_year = 2921.94
cost_per_day = 200

[case_types.referral]
team = "cait"
priority = 1
demand = { annual_rate = 2739.3 }
stages = [{ work = { dist = "exponential", mean = 8 } }]

[[starting_backlog]]
case_type = "referral"
age_days = 10
count = 300

[actions.attached]
kind = "attachment"
team = "cait"
officers = 1
start = 2020-01-01
end = 2020-02-01

[actions.agency]
kind = "agency"
team = "cait"
investigators = 1
hours_per_year = 2921.94
caseload_cap = 1
cost_per_day = 500
start = 2020-01-01
end = 2020-02-01

[variants.attached_only]
actions = ["attached"]
"#;

const KPI: &str = "waiting_at_2020-04-01";

#[test]
fn the_frontier_equals_a_brute_force_grid() {
    let dir = Dir::new("frontier");
    dir.write("mmc.toml", SCENARIO);
    let text = run_ok(
        &dir,
        &[
            "frontier",
            "mmc.toml",
            "--variant",
            "attached_only",
            "--action",
            "attached",
            "--officers",
            "1:12",
            "--months",
            "1:3",
            "--target",
            &format!("{KPI}<=40"),
            "--confidence",
            "0.8",
            "--out",
            "frontier",
            "--report",
        ],
        &[],
    );
    assert!(text.contains("<- least"), "{text}");
    let frontier = read_csv(&dir.join("frontier/frontier.csv"));
    assert_eq!(frontier.len(), 3);

    run_ok(
        &dir,
        &[
            "sweep",
            "mmc.toml",
            "--variant",
            "attached_only",
            "--param",
            "actions.attached.officers=1:12:1",
            "--param",
            "actions.attached.end=2020-02-01:2020-04-01:1month",
            "--kpi",
            KPI,
            "--out",
            "grid",
        ],
        &[],
    );
    // Per (end date, officers): the share of replications meeting the target.
    let mut share: BTreeMap<(String, i64), (usize, usize)> = BTreeMap::new();
    for r in crate::util::sweep_replications(&dir.join("grid/replications.csv")) {
        let officers: i64 = r["actions.attached.officers"].parse().expect("officers");
        let waiting: f64 = r[KPI].parse().expect("a count");
        let e = share
            .entry((r["actions.attached.end"].clone(), officers))
            .or_default();
        e.0 += usize::from(waiting <= 40.0);
        e.1 += 1;
    }
    for row in &frontier {
        let end = &row["end"];
        let brute = (1..=12).find(|&o| {
            let (met, n) = share[&(end.clone(), o)];
            met as f64 / n as f64 >= 0.8
        });
        let found: Option<i64> = row["least_officers"].parse().ok();
        assert_eq!(found, brute, "{} months (to {end})", row["months"]);
        if let Some(o) = found {
            let months: i64 = row["months"].parse().expect("months");
            assert_eq!(row["officer_months"], (o * months).to_string());
        }
    }
    // The least officer-months is marked once, and is the least.
    let least = frontier.iter().filter(|r| r["least"] == "true").count();
    assert_eq!(least, 1);
    let report = std::fs::read_to_string(dir.join("frontier/report.html")).expect("the report");
    assert!(report.contains("the least officer-months on the frontier"));

    // From two starts: a frontier each, the one least over both marked; a month later
    // leaves less time before 1 April, so it never needs fewer officers for as long.
    run_ok(
        &dir,
        &[
            "frontier",
            "mmc.toml",
            "--variant",
            "attached_only",
            "--action",
            "attached",
            "--officers",
            "1:12",
            "--months",
            "1:2",
            "--start",
            "2020-01-01,2020-02-01",
            "--target",
            &format!("{KPI}<=40"),
            "--confidence",
            "0.8",
            "--out",
            "starts",
        ],
        &[],
    );
    let rows = read_csv(&dir.join("starts/frontier.csv"));
    assert_eq!(rows.len(), 4);
    assert_eq!(rows.iter().filter(|r| r["least"] == "true").count(), 1);
    let officers = |start: &str, months: &str| -> i64 {
        rows.iter()
            .find(|r| r["start"] == start && r["months"] == months)
            .and_then(|r| r["least_officers"].parse().ok())
            .unwrap_or(i64::MAX)
    };
    for months in ["1", "2"] {
        assert!(officers("2020-01-01", months) <= officers("2020-02-01", months));
    }
    assert_eq!(
        officers("2020-01-01", "1"),
        8,
        "as from the scenario's own start"
    );
}

/// Two temporary actions with the same productivity but different day rates, and a package
/// of both: each gets its own frontier, the officers of the package are shared, the cost is
/// officers x days x day rate, and the least cost is the cheaper action's.
#[test]
fn several_actions_and_a_package_are_costed_and_the_cheapest_is_marked() {
    let dir = Dir::new("frontier-cost");
    dir.write("mmc.toml", SCENARIO);
    let text = run_ok(
        &dir,
        &[
            "frontier",
            "mmc.toml",
            "--action",
            "attached",
            "--action",
            "agency",
            "--action",
            "attached+agency",
            "--officers",
            "2:12",
            "--months",
            "1:2",
            "--target",
            &format!("{KPI}<=40"),
            "--minimise",
            "cost",
            "--out",
            "cost",
            "--report",
        ],
        &[],
    );
    assert!(text.contains("<- least"), "{text}");
    let rows = read_csv(&dir.join("cost/frontier.csv"));
    assert_eq!(rows.len(), 6, "3 actions x 2 durations");
    let rate = |action: &str| if action == "attached" { 200.0 } else { 500.0 };
    let day = |d: &str| {
        let p: Vec<i64> = d.split('-').map(|x| x.parse().expect("a date")).collect();
        // Days from 2020-01-01 for the dates used here (January to March 2020).
        let before = [0, 31, 60];
        before[(p[1] - 1) as usize] + p[2] - 1
    };
    let mut scores = Vec::new();
    for r in &rows {
        assert_eq!(r["minimised"], "cost");
        let Ok(officers) = r["least_officers"].parse::<i64>() else {
            continue;
        };
        let days = (day(&r["end"]) - day(&r["start"])) as f64;
        let expected = match r["action"].as_str() {
            "attached+agency" => {
                // Shared as evenly as possible, the first named taking the remainder.
                let first = officers - officers / 2;
                first as f64 * 200.0 * days + (officers / 2) as f64 * 500.0 * days
            }
            a => officers as f64 * rate(a) * days,
        };
        let cost: f64 = r["cost"].parse().expect("a cost");
        assert!((cost - expected).abs() < 0.5, "{r:?}: {cost} vs {expected}");
        scores.push((cost, r["least"] == "true", r["action"].clone()));
    }
    let least: Vec<_> = scores.iter().filter(|s| s.1).collect();
    assert_eq!(least.len(), 1);
    assert!(scores.iter().all(|s| s.0 >= least[0].0));
    assert_eq!(least[0].2, "attached", "the cheaper of two equal actions");
    let evaluations = read_csv(&dir.join("cost/evaluations.csv"));
    assert!(evaluations.iter().any(|r| r["action"] == "attached+agency"));
    let report = std::fs::read_to_string(dir.join("cost/report.html")).expect("the report");
    assert!(report.contains("the least cost on the frontier"), "report");

    // A permanent action is not a temporary one.
    let refused = util::caseload_in(
        &dir.path,
        &[
            "frontier",
            "mmc.toml",
            "--action",
            "nothing",
            "--officers",
            "1:4",
            "--months",
            "1:2",
            "--target",
            &format!("{KPI}<=40"),
        ],
        &[],
    );
    assert!(!refused.status.success());
    let err = util::stderr(&refused);
    assert!(err.contains("no staffing action `nothing`"), "{err}");
}
