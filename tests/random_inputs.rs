//! Random data files, sensible and absurd, through `fit` and `backtest`: counts read and
//! fitted, observed figures read and set against a bounded run; every one ends in an answer or
//! a clear error, never a panic, an abort or a hang, and every interval an answer gives is in
//! order (a property test; issue 37).

use std::path::Path;

use proptest::prelude::*;

/// A value that spoils one field of a counts file, from the plausible to the absurd.
fn spoiler() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("9999-12-01".to_string()),
        Just("2014-13-01".to_string()),
        Just("2014-04-15".to_string()),
        Just("01/04/2014".to_string()),
        Just("2012-01-01".to_string()),
        Just(String::new()),
        Just("-1".to_string()),
        Just("1e308".to_string()),
        Just("nan".to_string()),
        Just("2.5".to_string()),
        Just("18446744073709551616".to_string()),
        Just("\"two\nlines\"".to_string()),
        Just("\"a,b\"".to_string()),
    ]
}

/// An observed value, rarely absurd.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        200 => (0u32..300).prop_map(|x| x.to_string()),
        1 => Just("-1".to_string()),
        1 => Just("1e308".to_string()),
        1 => Just("nan".to_string()),
        1 => Just(String::new()),
    ]
}

fn header() -> impl Strategy<Value = String> {
    prop_oneof![
        40 => Just("period_start,case_type,count".to_string()),
        10 => Just("period_start,case_type,count,team".to_string()),
        1 => Just("period_start,case_type,count,count".to_string()),
        1 => Just("period_start,count".to_string()),
        1 => Just("period_start,case_type,count,colour".to_string()),
    ]
}

/// Writes `text` to a file of its own under the target folder.
fn file(name: &str, text: &str) -> std::path::PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("random_inputs");
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    let path = dir.join(format!("{name}-{}.csv", std::process::id()));
    std::fs::write(&path, text).expect("the file is written");
    path
}

fn in_order(e: &caseload_fit::Estimate) -> bool {
    !(e.lo.is_finite() && e.hi.is_finite()) || e.lo <= e.hi
}

const SCENARIO: &str = r#"
[scenario]
start = 2014-01-01
end = 2014-05-01
replications = 2
seed = 3

[teams.cait]
establishment = 3
caseload_cap = 2
contracted_hours_per_year = 1460

[case_types.csa]
team = "cait"
priority = 1
demand = { annual_rate = 200 }
stages = [{ work = { dist = "exponential", mean = 10 } }]
"#;

fn figure() -> impl Strategy<Value = String> {
    prop_oneof![
        30 => Just("referrals".to_string()),
        30 => Just("unallocated".to_string()),
        20 => Just("open".to_string()),
        20 => Just("officers_in_post".to_string()),
        20 => Just("allocations".to_string()),
        1 => Just("bogus".to_string()),
    ]
}

fn month() -> impl Strategy<Value = String> {
    prop_oneof![
        150 => (1u8..5).prop_map(|m| format!("2014-{m:02}-01")),
        1 => Just("2013-12-01".to_string()),
        1 => Just("2015-01-01".to_string()),
        1 => Just("2014-02-30".to_string()),
        1 => Just("9999-12-01".to_string()),
    ]
}

/// Files that got through reading (and fitting): the properties are checked on enough of them.
static READ: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
static FITTED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
static CHECKED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

#[test]
fn enough_random_files_get_through_to_be_fitted_and_checked() {
    any_counts_file_is_refused_clearly_or_fitted_with_intervals_in_order();
    any_observed_file_is_refused_clearly_or_set_against_the_run();
    use std::sync::atomic::Ordering::Relaxed;
    let (read, fitted, checked) = (
        READ.load(Relaxed),
        FITTED.load(Relaxed),
        CHECKED.load(Relaxed),
    );
    assert!(
        read >= 20 && fitted >= 20 && checked >= 20,
        "{read} read, {fitted} fitted, {checked} checked"
    );
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 96,
        rng_seed: proptest::test_runner::RngSeed::Fixed(37),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn any_counts_file_is_refused_clearly_or_fitted_with_intervals_in_order(
        head in header(),
        first in (2009i32..2014, 1u8..13),
        yearly in proptest::bool::weighted(0.2),
        counts in proptest::collection::vec(0u32..3_000, 0..120),
        spoil in proptest::option::weighted(0.3, (0usize..120, 0usize..4, spoiler())),
        change in proptest::option::of((2009i32..2016, 1u8..13)),
    ) {
        let mut text = format!("{head}\n");
        let teams = head.ends_with(",team");
        for (i, c) in counts.iter().enumerate() {
            // Consecutive months (or years) from `first`, two series in turn.
            let months = if yearly { 12 * (i as i32 / 2) } else { i as i32 / 2 };
            let m0 = first.0 * 12 + i32::from(first.1) - 1 + months;
            let mut fields = vec![
                format!("{}-{:02}-01", m0 / 12, m0 % 12 + 1),
                ["csa", "rape"][i % 2].to_string(),
                c.to_string(),
                "cait".to_string(),
            ];
            if let Some((row, field, bad)) = &spoil
                && *row == i
            {
                fields[*field] = bad.clone();
            }
            fields.truncate(if teams { 4 } else { 3 });
            text += &(fields.join(",") + "\n");
        }
        let path = file("counts", &text);
        let Ok((_, series)) = caseload_fit::read_counts_file(&path) else {
            return Ok(());
        };
        READ.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let options = caseload_fit::FitOptions {
            change: change.and_then(|(y, m)| caseload_experiment::parse_date(&format!("{y}-{m:02}-01"))),
            start: None,
        };
        for s in &series {
            let Ok(fit) = caseload_fit::fit(s, &options) else { continue };
            FITTED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let mut estimates = vec![&fit.annual_rate, &fit.annual_growth];
            estimates.extend(fit.seasonality.iter().flatten());
            estimates.extend(fit.step.as_ref().map(|(_, e)| e));
            for e in estimates {
                prop_assert!(in_order(e), "{e:?}");
            }
            let fan = fit.fan(12, 200, 1);
            for (lo, hi) in fan.lo.iter().zip(&fan.hi) {
                prop_assert!(lo.is_nan() || hi.is_nan() || lo <= hi, "{lo} > {hi}");
            }
        }
    }

    #[test]
    fn any_observed_file_is_refused_clearly_or_set_against_the_run(
        rows in proptest::collection::vec((month(), figure(), value(), prop_oneof![20 => Just(String::new()), 20 => Just("cait".to_string()), 1 => Just("nope".to_string())]), 0..6),
    ) {
        let mut text = "period_start,figure,value,team\n".to_string();
        for (m, f, v, t) in &rows {
            text += &format!("{m},{f},{v},{t}\n");
        }
        let path = file("observed", &text);
        let scenario = caseload_scenario::parse(Path::new("s.toml"), SCENARIO, "s", Path::new("."))
            .expect("the test scenario is valid");
        let Ok(observations) = caseload_scenario::read_observed(&path, &scenario.base) else {
            return Ok(());
        };
        CHECKED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let design = scenario.base.design(false, caseload_experiment::Limits::DEFAULT);
        let checked = caseload_experiment::backtest(&design, 1, 2, &observations, &|| {})
            .expect("a valid scenario runs");
        for c in caseload_experiment::coverage(&checked) {
            for share in [c.inside_50, c.inside_90] {
                prop_assert!((0.0..=1.0).contains(&share), "{c:?}");
            }
        }
    }
}
