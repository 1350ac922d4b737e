//! Random scenarios, sensible and absurd, through the parser, the resolver, the limits and a
//! bounded run: every one ends in a result or a clear error, never a panic, an abort or a
//! hang (a property test; issue 19).

use std::path::Path;

use caseload_experiment::{Limits, run_one};
use proptest::prelude::*;

/// Numbers a field might be given, from the ordinary to the absurd (TOML spellings).
fn number() -> impl Strategy<Value = String> {
    prop_oneof![
        12 => (1u32..5_000).prop_map(|x| x.to_string()),
        1 => Just("0".to_string()),
        1 => Just("-1".to_string()),
        1 => Just("1e-300".to_string()),
        1 => Just("0.5".to_string()),
        1 => Just("1e308".to_string()),
        1 => Just("nan".to_string()),
        1 => Just("inf".to_string()),
        1 => (0.0f64..1.0).prop_map(|x| format!("{x:.3}")),
    ]
}

/// Whole numbers a count might be given.
fn count() -> impl Strategy<Value = String> {
    prop_oneof![
        12 => (1u32..200).prop_map(|x| x.to_string()),
        1 => Just("0".to_string()),
        1 => Just("1".to_string()),
        1 => Just("4294967295".to_string()),
        1 => Just("-3".to_string()),
    ]
}

fn end_date() -> impl Strategy<Value = String> {
    prop_oneof![
        12 => (2014i32..2030, 1u8..13).prop_map(|(y, m)| format!("{y}-{m:02}-01")),
        1 => Just("2014-04-01".to_string()),
        1 => Just("2014-04-02".to_string()),
        1 => Just("9999-12-31".to_string()),
    ]
}

#[allow(clippy::too_many_arguments)]
fn scenario(
    end: &str,
    warmup: &str,
    establishment: &str,
    cap: &str,
    hours: &str,
    rate: &str,
    growth: &str,
    interval: &str,
    lag: &str,
    effort: &str,
    wait: &str,
    escalate: &str,
    officers: &str,
) -> String {
    format!(
        r#"[scenario]
start = 2014-04-01
end = {end}
warmup_days = {warmup}
replications = 2

[kpi]
backlog_breach = {rate}
recovery_backlog = 5

[teams.cait]
establishment = {establishment}
caseload_cap = {cap}
contracted_hours_per_year = {hours}
attrition_per_year = 0.2
recruitment = {{ interval_days = {interval}, lag_days = {lag} }}
new_starters = {{ course_days = {lag}, ramp_up_days = 10, ramp_up_productivity = 0.5 }}

[teams.historic]
establishment = 2
caseload_cap = 5
contracted_hours_per_year = 1400

[case_types.referral]
team = "cait"
priority = 1
escalate_after_days = {escalate}
historic_share = 0.2
demand = {{ annual_rate = {rate}, annual_growth = {growth} }}
stages = [
    {{ work = {{ dist = "lognormal", mean = {effort}, cv = 0.8 }} }},
    {{ wait = {{ dist = "exponential", mean = {wait} }} }},
]

[actions.transfer]
kind = "transfer"
team = "cait"
start = 2014-06-01
officers = {officers}

[actions.historic]
kind = "reassign_historic"
to_team = "historic"
start = 2014-05-01
"#
    )
}

proptest! {
    // A fixed seed, so every run of the suite tries the same scenarios.
    #![proptest_config(ProptestConfig {
        cases: 128,
        rng_seed: proptest::test_runner::RngSeed::Fixed(2014),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn any_scenario_is_refused_clearly_or_runs_to_an_answer_in_bounded_time(
        end in end_date(),
        warmup in prop_oneof![Just("0".to_string()), Just("30".to_string()), number()],
        establishment in count(),
        cap in count(),
        hours in number(),
        rate in number(),
        growth in number(),
        interval in number(),
        lag in number(),
        effort in number(),
        wait in number(),
        escalate in number(),
        officers in count(),
    ) {
        let text = scenario(
            &end, &warmup, &establishment, &cap, &hours, &rate, &growth, &interval, &lag,
            &effort, &wait, &escalate, &officers,
        );
        let parsed = caseload_scenario::parse(Path::new("random.toml"), &text, "random", Path::new("."));
        let scenario = match parsed {
            Err(err) => {
                // A clear error: it names the file and says something.
                let message = err.to_string();
                prop_assert!(message.contains("random.toml") && message.len() > 20, "{message}");
                return Ok(());
            }
            Ok(scenario) => scenario,
        };
        let plan = &scenario.base;
        // A small event budget bounds the run's time; the default size limits bound its
        // memory.
        let design = plan.design(false, Limits { max_events: 200_000, ..Limits::DEFAULT });
        if let Err(err) = design.check_limits(&design.limits) {
            prop_assert!(err.to_string().contains("--allow-large"), "{err}");
            return Ok(());
        }
        match run_one(&design, 1, 0) {
            Ok(result) => {
                prop_assert_eq!(result.kpis.len(), design.kpis().len());
                prop_assert!(result.events <= 200_000);
            }
            Err(err) => prop_assert!(!err.to_string().is_empty()),
        }
    }
}
