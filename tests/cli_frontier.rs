//! End-to-end: `caseload frontier` finds, for each duration of a temporary attachment, the
//! fewest officers meeting a target by a date, and its answers equal a brute-force grid of the
//! same runs (a sweep over officers and end dates, common random numbers), on a queue that
//! reduces to M/M/c: 8 officers each working one case at a time, referrals at 7.5 a day, 8
//! hours of work each, and 300 cases waiting at the start.

mod util;

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
    for r in read_csv(&dir.join("grid/replications.csv")) {
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
    let least = frontier
        .iter()
        .filter(|r| r["least_officer_months"] == "true")
        .count();
    assert_eq!(least, 1);
    let report = std::fs::read_to_string(dir.join("frontier/report.html")).expect("the report");
    assert!(report.contains("officer-months, the least on the frontier"));

    // From two starts: a frontier each, the one least over both marked; a month later
    // leaves less time before 1 April, so it never needs fewer officers for as long.
    run_ok(
        &dir,
        &[
            "frontier",
            "mmc.toml",
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
    assert_eq!(
        rows.iter()
            .filter(|r| r["least_officer_months"] == "true")
            .count(),
        1
    );
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
