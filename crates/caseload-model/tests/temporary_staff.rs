//! Attachments and agency staff that take bounded work: case types, cases they can finish
//! before the action ends, their own active limit, and what becomes of their cases at the end.
//! Each check is worked by hand on fixed work.

use crate::common;

use caseload_des::Dist;
use caseload_model::*;
use common::*;

/// A case type of one fixed work stage of `hours`, with no new referrals.
fn fixed_work(hours: f64, name: &str) -> CaseType {
    let mut t = case_type(
        0.0,
        vec![Stage::Work(Dist::fixed(hours).expect("valid"))],
        0,
    );
    t.name = name.into();
    t
}

fn waiting(case_type: CaseTypeId, age_days: f64) -> StartingCase {
    StartingCase {
        count: 1,
        case_type,
        team: None,
        age_days,
        historic: false,
        open: false,
        stage: 0,
    }
}

/// One officer attached to team 0 (no officers of its own, 8 hours a day, cap 5) from day 0
/// to day 10, with `bounds`.
fn attachment(bounds: WorkBounds) -> StaffingAction {
    StaffingAction {
        bounds,
        ..action(
            0.0,
            Some(10.0),
            ActionKind::Attachment {
                team: 0,
                officers: 1,
                historic_only: false,
            },
        )
    }
}

fn completions(rec: &Recorder) -> Vec<(CaseTypeId, f64)> {
    let mut done: Vec<(CaseTypeId, f64)> = rec
        .completed
        .iter()
        .map(|c| (c.case_type, c.completed_day.expect("completed")))
        .collect();
    done.sort_by(|a, b| a.1.total_cmp(&b.1));
    done
}

fn run_with(bounds: WorkBounds, teams: Vec<TeamConfig>) -> (RunSummary, Recorder) {
    // Three 40-hour cases waiting: shared at 8 hours a day they all finish on day 15.
    let mut cfg = config(30.0, vec![fixed_work(40.0, "assault")], teams);
    cfg.starting_backlog = (0..3).map(|k| waiting(0, 3.0 - f64::from(k))).collect();
    cfg.actions = vec![attachment(bounds)];
    run(&cfg, 0.0, 1, 0)
}

#[test]
fn by_default_an_attachments_cases_return_to_the_queue_at_its_end() {
    let (summary, rec) = run_with(WorkBounds::default(), vec![team(0, 5, 8.0)]);
    assert!(rec.completed.is_empty());
    assert_eq!(rec.requeued.len(), 3);
    assert_eq!(summary.unallocated, 3);
}

#[test]
fn kept_cases_are_finished_by_their_officer_who_then_leaves() {
    let bounds = WorkBounds {
        on_end: OnEnd::Keep,
        ..WorkBounds::default()
    };
    let (summary, rec) = run_with(bounds, vec![team(0, 5, 8.0)]);
    let done = completions(&rec);
    assert_eq!(done.len(), 3);
    for (_, day) in done {
        assert!((day - 15.0).abs() < 1e-9, "{day}");
    }
    assert!(rec.requeued.is_empty());
    // Paid for the 15 days worked (team cost 100 a day), not for the 30-day run.
    assert!((summary.cost - 1_500.0).abs() < 1e-6, "{}", summary.cost);
    // No new case after the end: a referral waiting from day 12 is never taken.
    assert_eq!(rec.on_day(20).open, 0);
}

#[test]
fn handed_cases_join_the_named_teams_queue_with_their_work_left() {
    // At day 10 each case has 40 - 80/3 hours left; team 1's officer (8 hours a day, idle)
    // shares the three and finishes them 5 days later, on day 15.
    let bounds = WorkBounds {
        on_end: OnEnd::HandTo(1),
        ..WorkBounds::default()
    };
    let (_, rec) = run_with(bounds, vec![team(0, 5, 8.0), team(1, 5, 8.0)]);
    let done = completions(&rec);
    assert_eq!(done.len(), 3);
    for (_, day) in &done {
        assert!((day - 15.0).abs() < 1e-9, "{day}");
    }
    assert!(rec.completed.iter().all(|c| c.team == 1));
}

#[test]
fn an_attachment_takes_only_its_case_types_and_what_it_can_finish() {
    // A 400-hour case (50 days at 8 a day) waits longest; a 36-hour one (4.5 days) after it.
    let mut cfg = config(
        30.0,
        vec![fixed_work(400.0, "long"), fixed_work(36.0, "short")],
        vec![team(0, 5, 8.0)],
    );
    cfg.starting_backlog = vec![waiting(0, 5.0), waiting(1, 1.0)];
    let held_on_day_1 = |bounds: WorkBounds| {
        let mut cfg = cfg.clone();
        cfg.actions = vec![attachment(bounds)];
        let (_, rec) = run(&cfg, 0.0, 1, 0);
        (rec.on_day(1).open, completions(&rec))
    };
    // Unbounded, the officer takes both and shares: the short case is done on day 9 (36
    // hours at 4 a day), and the long one goes back at the end.
    let (open, done) = held_on_day_1(WorkBounds::default());
    assert_eq!(open, 2);
    assert_eq!(done, vec![(1, 9.0)]);
    // Only cases finishable in the 10 days: the short one alone, done on day 4.5.
    let (open, done) = held_on_day_1(WorkBounds {
        finish_before_end: true,
        ..WorkBounds::default()
    });
    assert_eq!(open, 1);
    assert_eq!(done, vec![(1, 4.5)]);
    // Only the long type: it is taken, and returned unfinished.
    let (open, done) = held_on_day_1(WorkBounds {
        case_types: Some(vec![0]),
        ..WorkBounds::default()
    });
    assert_eq!(open, 1);
    assert!(done.is_empty());
}

#[test]
fn an_attachments_own_active_limit_works_its_cases_one_at_a_time() {
    // Limit 1: the three 40-hour cases finish on days 5, 10 and (kept) 15, oldest first.
    let bounds = WorkBounds {
        active_limit: Some(1),
        on_end: OnEnd::Keep,
        ..WorkBounds::default()
    };
    let (_, rec) = run_with(bounds, vec![team(0, 5, 8.0)]);
    let days: Vec<f64> = completions(&rec).iter().map(|c| c.1).collect();
    assert_eq!(days.len(), 3);
    for (day, want) in days.iter().zip([5.0, 10.0, 15.0]) {
        assert!((day - want).abs() < 1e-9, "{day} vs {want}");
    }
}

#[test]
fn officers_bound_to_the_first_stage_hand_the_case_back_for_the_rest() {
    // The team's one officer (cap 1) holds a case that never ends. An agency investigator (8
    // hours a day) bound to stage 0 takes the waiting case, works its 8 hours by day 1, and
    // hands it back at its wait stage; neither officer may take it then, so it waits to the
    // end, never lost.
    let stages = vec![
        Stage::Work(Dist::fixed(8.0).expect("valid")),
        Stage::Wait(Dist::fixed(2.0).expect("valid")),
        Stage::Work(Dist::fixed(8.0).expect("valid")),
    ];
    let mut cfg = config(
        30.0,
        vec![case_type(0.0, stages, 0), fixed_work(1e9, "endless")],
        vec![team(1, 1, 4.0)],
    );
    cfg.starting_backlog = vec![
        StartingCase {
            count: 1,
            open: true,
            ..waiting(1, 0.0)
        },
        waiting(0, 0.0),
    ];
    cfg.actions = vec![StaffingAction {
        bounds: WorkBounds {
            stages: Some(vec![0]),
            ..WorkBounds::default()
        },
        ..action(
            0.0,
            Some(20.0),
            ActionKind::Agency {
                team: 0,
                investigators: 1,
                hours_per_year: 8.0 * caseload_des::DAYS_PER_YEAR,
                caseload_cap: 5,
                cost_per_day: 0.0,
            },
        )
    }];
    let (summary, rec) = run(&cfg, 0.0, 1, 0);
    assert_eq!(rec.requeued.len(), 1);
    let (case, day) = &rec.requeued[0];
    assert_eq!(case.case_type, 0);
    assert!((day - 1.0).abs() < 1e-9, "{day}");
    assert_eq!(rec.on_day(0).open, 2);
    assert_eq!(rec.on_day(2).open, 1);
    assert_eq!(summary.unallocated, 1);
    assert!(rec.completed.is_empty());
}
