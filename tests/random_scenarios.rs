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

/// A sensible value mostly, now and then one from `other` (so most scenarios are valid and
/// the rest have one odd field).
fn mostly(
    sensible: &'static str,
    other: impl Strategy<Value = String>,
) -> impl Strategy<Value = String> {
    prop_oneof![30 => Just(sensible.to_string()), 1 => other]
}

/// The program on `args` in a scratch folder: exit status and stderr.
fn caseload(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_caseload"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("the caseload binary runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 64,
        rng_seed: proptest::test_runner::RngSeed::Fixed(784),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// `validate` and `run` agree (issue 37): what validate refuses run refuses with the same
    /// message, naming the file; what validate accepts, run runs (or stops on the event budget
    /// it was given, a limit of the run and not of the scenario).
    #[test]
    fn validate_and_run_agree_on_random_scenarios(
        end in mostly("2014-10-01", end_date()),
        warmup in mostly("30", number()),
        establishment in mostly("5", count()),
        cap in mostly("4", count()),
        hours in mostly("1460", number()),
        rate in mostly("300", number()),
        growth in mostly("0.05", number()),
        interval in mostly("30", number()),
        lag in mostly("30", number()),
        effort in mostly("10", number()),
        wait in mostly("5", number()),
        escalate in mostly("14", number()),
        officers in mostly("2", count()),
    ) {
        let text = scenario(
            &end, &warmup, &establishment, &cap, &hours, &rate, &growth, &interval, &lag,
            &effort, &wait, &escalate, &officers,
        );
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("agree-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a scratch folder");
        std::fs::write(dir.join("m.toml"), &text).expect("the scenario is written");
        let (validated, said) = caseload(&dir, &["validate", "m.toml"]);
        let (ran, refused) = caseload(
            &dir,
            &["run", "m.toml", "--reps", "2", "--max-events", "200000", "--out", "out"],
        );
        if validated == Some(0) {
            prop_assert!(
                ran == Some(0) || refused.contains("budget of events per replication"),
                "valid, but run refused: {refused}"
            );
        } else {
            prop_assert_eq!(validated, Some(2), "{}", said);
            prop_assert_eq!(ran, Some(2), "{}", refused);
            prop_assert_eq!(&said, &refused, "one message");
            prop_assert!(said.contains("m.toml"), "{}", said);
            prop_assert!(!dir.join("out").exists(), "nothing written");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
