//! Uncertain demand: each replication draws its rate once, on the stream of the demand's key,
//! so the spread of referrals across replications is the parameter's spread, demands sharing
//! a key move together, and a different staffing option sees the same draws.

use crate::common;

use caseload_model::*;
use common::*;

/// Two teams of ample officers, one referral type each at `per_day`, both uncertain with the
/// keys given, a year long.
fn uncertain(rate_log_sd: f64, keys: [u64; 2]) -> ModelConfig {
    let mut types = Vec::new();
    for (team, key) in keys.into_iter().enumerate() {
        let mut t = case_type(30.0, vec![work(1.0)], team);
        if let Demand::Poisson(p) = &mut t.demand {
            p.uncertainty = Some(DemandUncertainty {
                rate_log_sd,
                growth_log_sd: 0.0,
                correlation: 0.0,
                key,
            });
        }
        types.push(t);
    }
    config(365.0, types, vec![team(200, 5, 8.0), team(200, 5, 8.0)])
}

/// Referrals of each team over the run, per replication.
fn referrals(cfg: &ModelConfig, replications: u64) -> Vec<[f64; 2]> {
    (0..replications)
        .map(|r| {
            let (_, rec) = run(cfg, 0.0, 9, r);
            let (_, teams, _) = rec.days.last().expect("days");
            [teams[0].arrived as f64, teams[1].arrived as f64]
        })
        .collect()
}

fn sd(values: &[f64]) -> f64 {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt()
}

#[test]
fn the_rate_is_drawn_once_a_replication_and_a_shared_key_shares_the_draw() {
    // About 11,000 referrals a year per team: Poisson alone spreads their log by about 0.01;
    // a rate known to within rate_log_sd = 0.2 spreads it by sqrt(0.2^2 + 0.01^2) = 0.2002.
    let shared = referrals(&uncertain(0.2, [7, 7]), 300);
    let logs: Vec<f64> = shared.iter().map(|r| r[0].ln()).collect();
    let spread = sd(&logs);
    // The sample sd of 300 normal draws is within 4 standard errors (0.2 / sqrt(600)) of 0.2.
    assert!((spread - 0.2).abs() < 0.033, "sd of log referrals {spread}");
    // One key, one draw: the teams' referrals differ only by Poisson noise (sd about 0.014
    // on the log of their ratio), where independent draws would give about 0.28.
    let ratio: Vec<f64> = shared.iter().map(|r| (r[0] / r[1]).ln()).collect();
    assert!(
        sd(&ratio) < 0.03,
        "shared key: sd of the log ratio {}",
        sd(&ratio)
    );
    let apart = referrals(&uncertain(0.2, [7, 8]), 300);
    let ratio: Vec<f64> = apart.iter().map(|r| (r[0] / r[1]).ln()).collect();
    assert!(
        sd(&ratio) > 0.2,
        "own keys: sd of the log ratio {}",
        sd(&ratio)
    );
}

#[test]
fn another_staffing_option_sees_the_same_demand_draws() {
    let base = uncertain(0.3, [1, 2]);
    let mut fewer = base.clone();
    fewer.teams[0].establishment = 20;
    fewer.teams[0].strength = 20;
    assert_eq!(referrals(&base, 20), referrals(&fewer, 20));
}

#[test]
fn growth_and_rate_draws_follow_their_correlation() {
    let u = DemandUncertainty {
        rate_log_sd: 0.1,
        growth_log_sd: 0.05,
        correlation: -1.0,
        key: 0,
    };
    // Perfectly negatively correlated: a rate one sd high comes with growth one sd low.
    let (rate, growth) = u.apply(100.0, 0.08, [1.0, 0.7]);
    assert!((rate - 100.0 * 0.1f64.exp()).abs() < 1e-9);
    assert!((growth - (1.08 * (-0.05f64).exp() - 1.0)).abs() < 1e-12);
    let known = DemandUncertainty {
        rate_log_sd: 0.0,
        growth_log_sd: 0.0,
        ..u
    };
    let (rate, growth) = known.apply(100.0, 0.08, [2.0, -1.0]);
    assert_eq!(rate, 100.0);
    assert!((growth - 0.08).abs() < 1e-12);
}

#[test]
fn a_calendar_trace_replays_each_count_within_its_own_days() {
    // April (30 days) 300 referrals, May (31) 62, June (30) none, then the trace ends.
    let mut t = case_type(1.0, vec![work(1.0)], 0);
    t.demand = Demand::Trace {
        period_days: 0.0,
        counts: vec![300, 62, 0],
        boundaries: vec![0.0, 30.0, 61.0, 91.0],
    };
    let cfg = config(120.0, vec![t], vec![team(50, 20, 8.0)]);
    for replication in 0..3 {
        let (_, rec) = run(&cfg, 0.0, 4, replication);
        let arrived = |d: usize| rec.days[d].2.arrived;
        assert_eq!(arrived(30), 300, "April's referrals by its end");
        assert_eq!(arrived(61), 362);
        assert_eq!(arrived(119), 362, "none after the trace");
        // Spread over April: about half in its first 15 days.
        let first_half = arrived(15);
        assert!((110..=190).contains(&first_half), "{first_half} by day 15");
    }
}
