//! Face validity of `scenarios/london-2019-online.toml` over 20 replications: the story the
//! sources tell (scenarios/README.md gives each figure's source) and the answers to the
//! Deputy Mayor's May 2019 letter.
//!
//! - indecent-image offences from 79 a month (2016) to 182 (2019): +32 % a year;
//! - 90 investigators in 2016, 208 posts once the dedicated teams are set up;
//! - without the 2018-19 rise the teams are overwhelmed ("limited capacity, backlogs");
//! - the dedicated teams buy timeliness (the visit standard met more often, fewer victims
//!   withdrawing) and the 3-week package costs a little while it runs, more when everyone goes
//!   at once.

use std::path::Path;

use caseload_experiment::{Limits, Results, run};
use caseload_scenario::load;

const REPLICATIONS: u32 = 20;

fn results(variant: Option<&str>) -> Results {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/london-2019-online.toml");
    let scenario = load(&path).unwrap_or_else(|e| panic!("{e}"));
    let plan = scenario.plan(variant).unwrap_or_else(|e| panic!("{e}"));
    run(
        &plan.design(false, Limits::DEFAULT),
        plan.seed,
        REPLICATIONS,
        &|| (),
    )
    .expect("the scenario runs")
}

/// Each replication's value of the all-teams KPI `name`.
fn kpi(results: &Results, name: &str) -> Vec<f64> {
    let k = results
        .kpi_defs
        .iter()
        .position(|d| d.name == name && d.team.is_none())
        .unwrap_or_else(|| panic!("KPI {name}"));
    results.per_replication.iter().map(|r| r[k]).collect()
}

fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len() as f64
}

#[test]
fn the_2019_picture_tells_the_sources_story_and_answers_the_letter() {
    let base = results(None);
    // Referrals after the warm-up (April 2017 to March 2020) at 948 a year in April 2016
    // growing 32 % a year: 948 (1.32^4 - 1.32) / ln 1.32.
    let expected = 948.0 * (1.32_f64.powi(4) - 1.32) / 1.32_f64.ln();
    let referrals = mean(&kpi(&base, "referrals"));
    assert!(
        (referrals / expected - 1.0).abs() < 0.03,
        "{referrals} referrals vs {expected}"
    );
    // 90 officers in 2016 without any action; the teams overwhelmed by 2020.
    let as_in_2016 = results(Some("as_in_2016"));
    let officers = mean(&kpi(&as_in_2016, "officers_in_post"));
    assert!((75.0..=92.0).contains(&officers), "{officers} officers");
    let overwhelmed = mean(&kpi(&as_in_2016, "backlog_end"));
    let with_rise = mean(&kpi(&base, "backlog_end"));
    assert!(
        overwhelmed > 500.0 && with_rise < 100.0,
        "{overwhelmed} vs {with_rise}"
    );

    // The dedicated teams buy timeliness and keep victims engaged, in every replication
    // (common random numbers).
    let without = results(Some("no_dedicated_teams"));
    for (name, better_if_larger) in [
        ("share_meeting_standard", true),
        ("share_allocated_within_target", true),
        ("withdrawn", false),
        ("overdue_end", false),
    ] {
        let (b, w) = (kpi(&base, name), kpi(&without, name));
        let better = b
            .iter()
            .zip(&w)
            .filter(|(b, w)| if better_if_larger { b > w } else { b < w })
            .count();
        assert!(
            better >= 19,
            "{name}: the dedicated teams better in {better} of 20 ({} vs {})",
            mean(&b),
            mean(&w)
        );
    }

    // The package costs a little while it runs; more with everyone away at once.
    let no_package = results(Some("no_training_package"));
    let at_once = results(Some("training_all_at_once"));
    let within = |r: &Results| mean(&kpi(r, "share_allocated_within_target"));
    assert!(
        within(&no_package) > within(&base),
        "the package costs something"
    );
    assert!(
        within(&base) > within(&at_once),
        "spread costs less than at once"
    );
    // The dedicated teams lower the evidential NFA share, as the letter means them to.
    let evidential = |r: &Results| mean(&kpi(r, "share_outcome_nfa_evidential"));
    assert!(
        evidential(&base) < evidential(&without),
        "{} vs {}",
        evidential(&base),
        evidential(&without)
    );
    // What it buys, at its assumed sizes (issue 33): more charges in nearly every replication.
    let (with, without) = (
        kpi(&base, "outcome_charge"),
        kpi(&no_package, "outcome_charge"),
    );
    let more = with.iter().zip(&without).filter(|(w, o)| w > o).count();
    assert!(
        more >= 17 && mean(&with) > mean(&without),
        "the package brings charges in {more} of 20 ({} vs {})",
        mean(&with),
        mean(&without)
    );
}
