//! End-to-end: `caseload compare --select best` (KN) picks the known best option of an
//! M/M/c choice at least as often as it promises, spends fewer replications than a fixed
//! design, and says so when its budget runs out before the guarantee holds.

use crate::util;

use util::{Dir, read_csv, run_ok};

/// M/M/c at lambda = 8 a day, mu = 1 per officer-day: 11 or 12 officers. Erlang C gives mean
/// waits of 0.070 and 0.026 days, so 12 is best by 0.044 days.
const SCENARIO: &str = r#"
[scenario]
name = "select-mmc"
start = 2020-01-01
end = 2020-06-01
warmup_days = 20
replications = 10
seed = 7

[teams.cait]
establishment = 11
caseload_cap = 1
contracted_hours_per_year = 2921.94

[case_types.referral]
team = "cait"
priority = 1
demand = { annual_rate = 2921.94 }
stages = [{ work = { dist = "exponential", mean = 8 } }]

[variants.c10]
set = { "teams.cait.establishment" = 10 }

[variants.c12]
set = { "teams.cait.establishment" = 12 }
"#;

#[test]
fn kn_picks_the_best_option_at_the_promised_rate() {
    let dir = Dir::new("select");
    dir.write("mmc.toml", SCENARIO);
    let seeds = 20;
    let (mut right, mut spent, mut fixed) = (0, 0u64, 0u64);
    for seed in 1..=seeds {
        let out = format!("s{seed}");
        let text = run_ok(
            &dir,
            &[
                "compare",
                "mmc.toml",
                "--variants",
                "base,c10,c12",
                "--select",
                "best",
                "--kpi",
                "days_to_allocate_mean",
                "--delta",
                "0.03",
                "--seed",
                &seed.to_string(),
                "--out",
                &out,
            ],
            &[],
        );
        assert!(
            text.contains("guaranteed with probability at least 0.95"),
            "{text}"
        );
        let rows = read_csv(&dir.join(&out).join("select.csv"));
        let chosen = rows
            .iter()
            .find(|r| r["chosen"] == "true")
            .expect("a choice");
        if chosen["option"] == "c12" {
            right += 1;
        }
        spent += rows
            .iter()
            .map(|r| r["replications"].parse::<u64>().expect("a count"))
            .sum::<u64>();
        fixed += chosen["fixed_design_replications"]
            .parse::<u64>()
            .expect("a count");
    }
    // Promised: at least 0.95 of 20, i.e. 19.
    assert!(
        right >= 19,
        "the best option chosen {right} times of {seeds}"
    );
    assert!(spent <= fixed, "KN spent {spent}, a fixed design {fixed}");

    // A difference too small to settle in 12 replications: no guarantee, and it says so.
    let text = run_ok(
        &dir,
        &[
            "compare",
            "mmc.toml",
            "--variants",
            "base,c12",
            "--select",
            "best",
            "--kpi",
            "days_to_allocate_mean",
            "--delta",
            "0.0001",
            "--reps",
            "12",
            "--out",
            "budget",
        ],
        &[],
    );
    assert!(text.contains("NOT guaranteed"), "{text}");
    let rows = read_csv(&dir.join("budget/select.csv"));
    assert!(rows.iter().all(|r| r["guaranteed"] == "false"));
    assert!(rows.iter().all(|r| r["replications"] == "12"));
}
