//! Dated training programmes against a hand-worked example: four officers at 8 hours a day,
//! one holding an 80-hour case from the start.

use crate::common;

use caseload_des::Dist;
use caseload_model::*;
use common::*;

fn programme(at_once: bool, officers: Option<u32>) -> Recorder {
    let mut cfg = config(
        40.0,
        vec![case_type(
            0.0,
            vec![Stage::Work(Dist::fixed(80.0).expect("valid"))],
            0,
        )],
        vec![team(4, 2, 8.0)],
    );
    cfg.starting_backlog = vec![StartingCase {
        count: 1,
        case_type: 0,
        team: None,
        age_days: 0.0,
        historic: false,
        open: true,
        stage: 0,
    }];
    // Ten days away each, between day 5 and day 25.
    cfg.actions = vec![action(
        5.0,
        Some(25.0),
        ActionKind::Training {
            team: 0,
            officers,
            share: 1.0,
            days_away: 10.0,
            at_once,
        },
    )];
    run(&cfg, 0.0, 1, 0).1
}

#[test]
fn officers_go_in_cohorts_and_their_cases_wait_for_them() {
    // Two cohorts fit the 20-day window: officers 1 and 3 (in team order, alternately)
    // from day 5 to 15, officers 2 and 4 from day 15 to 25.
    let rec = programme(false, None);
    // Each day's snapshot is taken after that day's changes: away on day 5, back on day 25.
    for (day, away) in [
        (4, 0),
        (5, 2),
        (6, 2),
        (14, 2),
        (15, 2),
        (16, 2),
        (24, 2),
        (25, 0),
    ] {
        let d = rec.on_day(day);
        assert_eq!(d.in_training, away, "day {day}");
        assert_eq!(d.officers(), 4, "in post throughout");
        assert!((d.available_hours_per_day - 8.0 * f64::from(4 - away)).abs() < 1e-9);
    }
    // The first officer holds the case: 40 hours by day 5, none while away, the other 40
    // from day 15: done on day 20 (day 10 without the programme).
    let done = rec.completed[0].completed_day.expect("completed");
    assert!((done - 20.0).abs() < 1e-9, "{done}");

    // All at once: four away from day 5 to 15.
    let rec = programme(true, None);
    assert_eq!(rec.on_day(5).in_training, 4);
    assert_eq!(rec.on_day(14).in_training, 4);
    assert_eq!(rec.on_day(15).in_training, 0);
    assert!(rec.on_day(6).available_hours_per_day.abs() < 1e-12);

    // Two named officers: the first two in team order, one per cohort.
    let rec = programme(false, Some(2));
    assert_eq!(rec.on_day(6).in_training, 1);
    assert_eq!(rec.on_day(16).in_training, 1);
    assert_eq!(rec.on_day(26).in_training, 0);
}

#[test]
fn an_officer_away_takes_no_new_case() {
    // One officer, away from day 0 to 10, referrals arriving: nothing is allocated before
    // day 10, everything waits.
    let mut cfg = config(
        20.0,
        vec![case_type(2.0, vec![work(1.0)], 0)],
        vec![team(1, 5, 8.0)],
    );
    cfg.actions = vec![action(
        0.0,
        Some(10.0),
        ActionKind::Training {
            team: 0,
            officers: None,
            share: 1.0,
            days_away: 10.0,
            at_once: false,
        },
    )];
    let (_, rec) = run(&cfg, 0.0, 2, 0);
    assert!(rec.on_day(9).open == 0 && rec.on_day(9).unallocated > 5);
    assert!(
        rec.completed
            .iter()
            .chain(&rec.unfinished)
            .filter_map(|c| c.allocated_day)
            .all(|d| d >= 10.0)
    );
    assert_eq!(rec.on_day(12).in_training, 0);
}
