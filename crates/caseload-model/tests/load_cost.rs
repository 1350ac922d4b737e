//! What heavy caseloads cost, against a hand-worked example: one officer at 8 hours a day
//! holding three cases of 6, 12 and 12 hours from the start.

use crate::common;

use caseload_des::Dist;
use caseload_model::*;
use common::*;

/// The completion days, and the investigation hours available by day 10.
fn three_cases(load_cost: Option<LoadCost>) -> (Vec<f64>, f64) {
    let mut cfg = config(
        30.0,
        vec![
            case_type(0.0, vec![Stage::Work(Dist::fixed(6.0).expect("valid"))], 0),
            case_type(0.0, vec![Stage::Work(Dist::fixed(12.0).expect("valid"))], 0),
        ],
        vec![team(1, 3, 8.0)],
    );
    cfg.teams[0].load_cost = load_cost;
    cfg.starting_backlog = [0, 1, 1]
        .into_iter()
        .map(|case_type| StartingCase {
            count: 1,
            case_type,
            team: None,
            age_days: 0.0,
            historic: false,
            open: true,
            stage: 0,
        })
        .collect();
    let (_, rec) = run(&cfg, 0.0, 1, 0);
    let mut done: Vec<f64> = rec
        .completed
        .iter()
        .map(|c| c.completed_day.expect("completed"))
        .collect();
    done.sort_by(f64::total_cmp);
    let hours = rec
        .days
        .iter()
        .find(|(d, _, _)| *d == 10)
        .map(|(_, _, total)| total.available_hours_to_date)
        .expect("day 10 observed");
    (done, hours)
}

#[test]
fn hours_lost_above_a_comfortable_caseload_slow_every_held_case() {
    // Free: 8 hours a day shared by three, 8/3 each: the 6-hour case is done on day 2.25;
    // then 4 each for the 6 hours left: day 3.75 for both.
    let (free, hours) = three_cases(None);
    assert!((hours - 80.0).abs() < 1e-9, "{hours}");
    let expect = |got: &[f64], want: [f64; 3]| {
        assert!(
            got.iter().zip(want).all(|(g, w)| (g - w).abs() < 1e-9),
            "{got:?} vs {want:?}"
        );
    };
    expect(&free, [2.25, 3.75, 3.75]);
    // Comfortable at one case, 7 hours a week (1 a day) lost for each case above: 6 hours a
    // day with three held, 2 each, the first done on day 3; then 7 a day for two, 3.5 each
    // for the 6 hours left: 12/7 days more.
    let (costly, hours) = three_cases(Some(LoadCost {
        comfortable_caseload: 1,
        hours_lost_per_week_per_case: 7.0,
        poor_outcome_per_case: 0.0,
    }));
    expect(&costly, [3.0, 3.0 + 12.0 / 7.0, 3.0 + 12.0 / 7.0]);
    // The lost hours are not available: 6 a day for 3 days, 7 a day for 12/7, then 8.
    let done = 3.0 + 12.0 / 7.0;
    let want = 18.0 + 12.0 + 8.0 * (10.0 - done);
    assert!((hours - want).abs() < 1e-9, "{hours} vs {want}");
    // A comfortable caseload never reached costs nothing.
    let (roomy, _) = three_cases(Some(LoadCost {
        comfortable_caseload: 3,
        hours_lost_per_week_per_case: 7.0,
        poor_outcome_per_case: 0.0,
    }));
    expect(&roomy, [2.25, 3.75, 3.75]);
}

#[test]
fn charges_are_lost_in_proportion_to_the_caseload_above_comfortable() {
    // Officers holding one case each, comfortable with none: every completion was held with
    // one case above comfortable, so a tenth of charges are lost to NFA (evidential).
    let mut referrals = case_type(8.0, vec![work(1.0)], 0);
    referrals.outcomes = Some(Outcomes {
        charge: 0.3,
        nfa_evidential: 0.5,
        nfa_victim: 0.2,
        nfa_victim_per_year: 0.0,
    });
    let mut cfg = config(2_000.0, vec![referrals], vec![team(10, 1, 1.0)]);
    cfg.teams[0].load_cost = Some(LoadCost {
        comfortable_caseload: 0,
        hours_lost_per_week_per_case: 0.0,
        poor_outcome_per_case: 0.1,
    });
    let (_, rec) = run(&cfg, 0.0, 3, 0);
    let n = rec.completed.len() as f64;
    let share = |o: Outcome| {
        rec.completed
            .iter()
            .filter(|c| c.outcome == Some(o))
            .count() as f64
            / n
    };
    for (outcome, p) in [
        (Outcome::Charge, 0.27),
        (Outcome::NfaEvidential, 0.53),
        (Outcome::NfaVictim, 0.2),
    ] {
        let sd = (p * (1.0 - p) / n).sqrt();
        assert!(
            (share(outcome) - p).abs() < 4.0 * sd,
            "{outcome:?}: {} vs {p}",
            share(outcome)
        );
    }
}
