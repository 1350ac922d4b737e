//! End-to-end: `caseload attribute` splits a package's effect among its actions. The Shapley
//! values add up to the package's effect, two identical actions get the same share, an action
//! that changes nothing gets exactly zero (Shapley and leave-one-out), and with sampled
//! orders the values agree with the exact ones within their intervals.

use crate::util;

use std::collections::HashMap;

use util::{Dir, caseload_in, read_csv, run_ok, stderr};

const SCENARIO: &str = r#"
[scenario]
name = "package"
start = 2020-01-01
end = 2021-01-01
warmup_days = 30
replications = 12
seed = 5

[teams.cait]
establishment = 6
caseload_cap = 3
contracted_hours_per_year = 1460

[case_types.referral]
team = "cait"
priority = 1
demand = { annual_rate = 900 }
stages = [{ work = { dist = "exponential", mean = 20 } }, { wait = { dist = "exponential", mean = 10 } }]

[actions.transfer_a]
kind = "transfer"
team = "cait"
start = 2020-03-01
officers = 2

[actions.transfer_b]
kind = "transfer"
team = "cait"
start = 2020-03-01
officers = 2

# The team has no other duties, so shielding its officers from them changes nothing.
[actions.ring_fence]
kind = "ring_fence"
team = "cait"
start = 2020-02-01
"#;

type Rows = Vec<HashMap<String, String>>;

fn value(rows: &Rows, kpi: &str, item: &str, measure: &str, column: &str) -> f64 {
    rows.iter()
        .find(|r| r["kpi"] == kpi && r["item"] == item && r["measure"] == measure)
        .unwrap_or_else(|| panic!("{kpi} {item} {measure}"))[column]
        .parse()
        .expect("a number")
}

#[test]
fn shapley_values_add_up_and_an_idle_action_gets_zero() {
    let dir = Dir::new("attribute");
    dir.write("package.toml", SCENARIO);
    let text = run_ok(
        &dir,
        &["attribute", "package.toml", "--out", "exact", "--report"],
        &[],
    );
    assert!(text.contains("exact Shapley values"), "{text}");
    let exact = read_csv(&dir.join("exact/attribution.csv"));
    for kpi in ["backlog_end", "days_to_allocate_mean"] {
        let total = value(&exact, kpi, "(package)", "effect", "mean");
        let parts: f64 = ["transfer_a", "transfer_b", "ring_fence"]
            .iter()
            .map(|a| value(&exact, kpi, a, "shapley", "mean"))
            .sum();
        assert!(
            (parts - total).abs() < 1e-3 * total.abs().max(1.0),
            "{kpi}: the values add up to {parts}, the effect is {total}"
        );
        assert!(total < 0.0, "{kpi}: four more officers lower it ({total})");
        // Identical actions, identical shares (common random numbers make them exact).
        let (a, b) = (
            value(&exact, kpi, "transfer_a", "shapley", "mean"),
            value(&exact, kpi, "transfer_b", "shapley", "mean"),
        );
        assert!(
            (a - b).abs() < 1e-6 * a.abs().max(1.0),
            "{kpi}: {a} and {b}"
        );
        for measure in ["shapley", "leave_one_out"] {
            for column in ["mean", "ci_lo", "ci_hi"] {
                assert_eq!(
                    value(&exact, kpi, "ring_fence", measure, column),
                    0.0,
                    "{kpi}: the idle action's {measure} {column}"
                );
            }
        }
    }
    for file in [
        "attribution_backlog_end.png",
        "attribution_backlog_end.svg",
        "report.html",
        "manifest.json",
    ] {
        assert!(dir.join("exact").join(file).exists(), "{file}");
    }

    // Sampled orders: each value inside the exact one's interval widened by its own.
    run_ok(
        &dir,
        &[
            "attribute",
            "package.toml",
            "--sample",
            "--orders",
            "3",
            "--out",
            "sampled",
        ],
        &[],
    );
    let sampled = read_csv(&dir.join("sampled/attribution.csv"));
    for action in ["transfer_a", "transfer_b"] {
        let kpi = "backlog_end";
        let e = value(&exact, kpi, action, "shapley", "mean");
        let s = value(&sampled, kpi, action, "shapley", "mean");
        let half = value(&sampled, kpi, action, "shapley", "ci_hi") - s;
        assert!(
            (e - s).abs() <= 2.0 * half.max(1e-9),
            "{action}: exact {e}, sampled {s} +- {half}"
        );
    }

    let none = dir.write(
        "none.toml",
        SCENARIO.split("[actions.transfer_a]").next().unwrap_or(""),
    );
    let refused = caseload_in(
        &dir.path,
        &["attribute", &none.display().to_string(), "--out", "none"],
        &[],
    );
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("no staffing actions"),
        "{}",
        stderr(&refused)
    );
}
