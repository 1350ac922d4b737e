//! Triage: a screen before the investigation after which a share of referrals close.

use crate::common;

use caseload_des::Dist;
use caseload_model::*;
use common::*;

fn fixed(hours: f64) -> Stage {
    Stage::Work(Dist::fixed(hours).expect("valid"))
}

/// Referrals at `per_day` of 40 hours' work, screened first for 2 hours.
fn screened(per_day: f64, close_share: f64) -> CaseType {
    let mut t = case_type(per_day, vec![fixed(40.0)], 0);
    t.triage = Some(Triage {
        share: 1.0,
        work: Dist::fixed(2.0).expect("valid"),
        close_share,
    });
    t
}

#[test]
fn a_closed_referral_takes_only_the_screens_hours() {
    // One referral a week and ten officers at 8 hours a day, so each referral has an idle
    // officer to itself: every referral closes after its 2-hour screen, a quarter of a day
    // after it arrives.
    let cfg = config(
        700.0,
        vec![screened(1.0 / 7.0, 1.0)],
        vec![team(10, 10, 8.0)],
    );
    let (summary, rec) = run(&cfg, 0.0, 3, 0);
    assert!(rec.completed.len() > 50);
    for case in &rec.completed {
        assert!(case.closed_at_triage);
        assert_eq!(case.outcome, None);
        let days = case.completed_day.expect("completed") - case.arrival_day;
        assert!(days <= 0.25 + 1e-9, "{days}");
    }
    let last = &rec.days.last().expect("observed").2;
    assert_eq!(last.closed_at_triage, last.completed);
    assert_eq!(summary.completed, last.completed);
}

#[test]
fn an_open_referral_goes_on_to_its_stages_with_the_same_officer() {
    // Nobody closes: each referral takes 42 hours of one officer, 5.25 days alone.
    let cfg = config(
        700.0,
        vec![screened(1.0 / 30.0, 0.0)],
        vec![team(1, 10, 8.0)],
    );
    let (_, rec) = run(&cfg, 0.0, 3, 0);
    assert!(rec.completed.len() > 10);
    for case in &rec.completed {
        assert!(!case.closed_at_triage);
        let days = case.completed_day.expect("completed") - case.arrival_day;
        assert!(days >= 5.25 - 1e-9, "{days}");
    }
    let hours_per_case = rec.days.last().expect("observed").2.offered_hours_to_date
        / rec.days.last().expect("observed").2.arrived as f64;
    assert!((hours_per_case - 42.0).abs() < 1e-9, "{hours_per_case}");
}

#[test]
fn the_share_closed_is_the_close_share_and_other_types_keep_their_draws() {
    // 2 screened referrals a day, 60 % closing; another type without triage beside them.
    let plain = case_type(1.0, vec![fixed(1.0)], 0);
    let with = config(
        2_000.0,
        vec![screened(2.0, 0.6), plain.clone()],
        vec![team(20, 10, 8.0)],
    );
    let (_, rec) = run(&with, 0.0, 5, 0);
    let screened_done: Vec<&CaseRecord> =
        rec.completed.iter().filter(|c| c.case_type == 0).collect();
    let n = screened_done.len() as f64;
    let closed = screened_done.iter().filter(|c| c.closed_at_triage).count() as f64;
    let sd = (0.6 * 0.4 / n).sqrt();
    assert!((closed / n - 0.6).abs() < 4.0 * sd, "{} of {n}", closed);
    // Switching triage off moves none of the other type's arrivals.
    let mut without = with.clone();
    without.case_types[0].triage = None;
    let (_, rec_without) = run(&without, 0.0, 5, 0);
    let arrivals = |r: &Recorder| {
        let mut days: Vec<f64> = r
            .completed
            .iter()
            .chain(&r.unfinished)
            .filter(|c| c.case_type == 1)
            .map(|c| c.arrival_day)
            .collect();
        days.sort_by(f64::total_cmp);
        days
    };
    assert_eq!(arrivals(&rec), arrivals(&rec_without));
}
