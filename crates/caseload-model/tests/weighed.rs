//! The waiting cases weighed by work and harm and counted by priority and case type,
//! worked by hand (the model's debug checks also recount them every day in every test).

use crate::common;

use caseload_des::Dist;
use caseload_model::*;
use common::*;

fn fixed(hours: f64) -> Stage {
    Stage::Work(Dist::fixed(hours).expect("valid"))
}

#[test]
fn waiting_cases_are_weighed_by_hours_and_harm_and_counted_by_level_and_type() {
    // No officers. Two rape referrals waiting (priority 0, harm 10, 30 + 20 hours of work
    // around a wait) and three non-crime ones (priority 2, harm 1, 5 hours), escalating a
    // level every 10 days of age from 2 to 1.
    let mut rape = case_type(
        0.0,
        vec![
            fixed(30.0),
            Stage::Wait(Dist::fixed(60.0).expect("valid")),
            fixed(20.0),
        ],
        0,
    );
    rape.name = "rape".into();
    rape.harm_weight = 10.0;
    let mut non_crime = case_type(0.0, vec![fixed(5.0)], 0);
    non_crime.name = "non-crime".into();
    non_crime.priority = 2;
    non_crime.escalate_after_days = Some(10.0);
    non_crime.escalate_to = 1;
    let mut cfg = config(20.0, vec![rape, non_crime], vec![team(0, 5, 8.0)]);
    let waiting = |case_type, age_days| StartingCase {
        count: 1,
        case_type,
        team: None,
        age_days,
        historic: false,
        open: false,
        stage: 0,
    };
    cfg.starting_backlog = vec![
        waiting(0, 1.0),
        waiting(0, 2.0),
        waiting(1, 0.0),
        waiting(1, 0.0),
        waiting(1, 5.0),
    ];
    let (_, rec) = run(&cfg, 0.0, 1, 0);
    let day0 = rec.on_day(0);
    assert_eq!(day0.unallocated_hours, 2.0 * 50.0 + 3.0 * 5.0);
    assert_eq!(day0.harm_weighted_backlog, 2.0 * 10.0 + 3.0);
    // Levels 0, 1, 2 of the one team; case types in order.
    assert_eq!(rec.waiting_by[0], (vec![2, 0, 3], vec![2, 3]));
    // Day 6: the case referred 5 days before the start is 11 days old, one level up.
    assert_eq!(rec.waiting_by[6].0, vec![2, 1, 2]);
    // Day 11: all three are past 10 days.
    assert_eq!(rec.waiting_by[11].0, vec![2, 3, 0]);
}

#[test]
fn allocated_work_leaves_the_weighed_backlog_and_a_returned_case_brings_back_what_is_left() {
    // One attached officer from day 0 to day 5 (8 hours a day) takes a 100-hour case: on day
    // 5 it returns with 60 hours left.
    let mut cfg = config(
        10.0,
        vec![case_type(0.0, vec![fixed(100.0)], 0)],
        vec![team(0, 5, 8.0)],
    );
    cfg.starting_backlog = vec![StartingCase {
        count: 1,
        case_type: 0,
        team: None,
        age_days: 0.0,
        historic: false,
        open: false,
        stage: 0,
    }];
    cfg.actions = vec![action(
        0.0,
        Some(5.0),
        ActionKind::Attachment {
            team: 0,
            officers: 1,
            historic_only: false,
        },
    )];
    let (_, rec) = run(&cfg, 0.0, 1, 0);
    assert_eq!(rec.on_day(1).unallocated_hours, 0.0);
    assert!((rec.on_day(6).unallocated_hours - 60.0).abs() < 1e-9);
}
