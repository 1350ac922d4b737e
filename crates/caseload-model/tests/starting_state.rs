//! How a run starts: the starting backlog allocated at once, open cases with officers, and
//! escalation measured from the referral (issue 15's regression tests).

use crate::common;

use caseload_model::*;
use common::*;

fn starting(case_type: CaseTypeId, age_days: f64, open: bool) -> StartingCase {
    StartingCase {
        count: 1,
        case_type,
        team: None,
        age_days,
        historic: false,
        open,
        stage: 0,
    }
}

#[test]
fn a_waiting_starting_backlog_is_allocated_at_time_zero() {
    // Five officers with room for 4 cases each, 200 waiting cases and no new referrals: 20
    // cases are allocated on day 0, and the officers work through the rest.
    let mut cfg = config(
        180.0,
        vec![case_type(0.0, vec![work(10.0)], 0)],
        vec![team(5, 4, 6.0)],
    );
    cfg.starting_backlog = (0..200).map(|_| starting(0, 30.0, false)).collect();
    let (summary, rec) = run(&cfg, 0.0, 1, 0);
    let day0 = &rec.days[0].2;
    assert_eq!(day0.open, 20, "every free slot is filled on day 0");
    assert_eq!(day0.unallocated, 180);
    // 5 officers x 6 hours a day for 180 days = 5,400 hours: about 540 cases of 10 hours,
    // more than the 200 there are.
    assert_eq!(summary.completed, 200, "{summary:?}");
    // The backlog's waits count from the referral, 30 days before the start.
    let first = rec
        .completed
        .iter()
        .map(|c| c.allocated_day.expect("allocated") - c.arrival_day)
        .fold(f64::INFINITY, f64::min);
    assert_eq!(first, 30.0);
}

#[test]
fn open_starting_cases_sit_with_officers_before_waiting_ones_are_allocated() {
    let mut cfg = config(
        30.0,
        vec![case_type(0.0, vec![work(1e6)], 0)],
        vec![team(2, 3, 6.0)],
    );
    cfg.starting_backlog = (0..5)
        .map(|_| starting(0, 10.0, true))
        .chain((0..5).map(|_| starting(0, 40.0, false)))
        .collect();
    let (_, rec) = run(&cfg, 0.0, 1, 0);
    let day0 = &rec.days[0].2;
    // Six slots: five open cases, then the oldest waiting one.
    assert_eq!((day0.open, day0.unallocated), (6, 4));
}

/// The priority of each waiting case listed on `day`.
fn waiting_priorities(rec: &Recorder, day: u32) -> Vec<Priority> {
    rec.census
        .iter()
        .filter(|(d, _)| *d == day)
        .map(|(_, c)| c.priority)
        .collect()
}

fn escalating(priority: Priority, every: f64, to: Priority) -> CaseType {
    let mut t = case_type(0.0, vec![work(1e6)], 0);
    t.priority = priority;
    t.escalate_after_days = Some(every);
    t.escalate_to = to;
    t
}

#[test]
fn escalation_counts_from_the_referral_for_a_starting_backlog() {
    // No officers; cases referred 25 and 15 days before the start, escalating a level every
    // 10 days from priority 2: the first waits at 0 from the start, the second at 1 until
    // day 5 (20 days old), then at 0.
    let mut cfg = config(10.0, vec![escalating(2, 10.0, 0)], vec![team(0, 1, 6.0)]);
    cfg.starting_backlog = vec![starting(0, 25.0, false), starting(0, 15.0, false)];
    let mut rec = Recorder::after(0.0);
    rec.census_days = vec![1, 6];
    let cfg = cfg.validated().expect("valid");
    run_replication(&cfg, &caseload_des::RngStreams::new(1, 0), &mut rec).expect("runs");
    assert_eq!(waiting_priorities(&rec, 1), [0, 1]);
    assert_eq!(waiting_priorities(&rec, 6), [0, 0]);
}

#[test]
fn escalation_stops_at_its_ceiling() {
    let mut cfg = config(10.0, vec![escalating(2, 10.0, 1)], vec![team(0, 1, 6.0)]);
    cfg.starting_backlog = vec![starting(0, 100.0, false)];
    let mut rec = Recorder::after(0.0);
    rec.census_days = vec![1, 9];
    let cfg = cfg.validated().expect("valid");
    run_replication(&cfg, &caseload_des::RngStreams::new(1, 0), &mut rec).expect("runs");
    assert_eq!(waiting_priorities(&rec, 1), [1]);
    assert_eq!(waiting_priorities(&rec, 9), [1]);
}

#[test]
fn a_case_returned_to_the_queue_waits_at_the_level_its_age_gives() {
    // One attached officer holds a new case from day 0 to day 35, when the attachment ends
    // and the case returns to the queue 35 days old: at priority 0 (2 - 3 levels, capped),
    // not back at 2 as if it had just arrived.
    let mut cfg = config(40.0, vec![escalating(2, 10.0, 0)], vec![team(0, 1, 6.0)]);
    cfg.starting_backlog = vec![starting(0, 0.0, false)];
    cfg.actions = vec![action(
        0.0,
        Some(35.0),
        ActionKind::Attachment {
            team: 0,
            officers: 1,
            historic_only: false,
        },
    )];
    let mut rec = Recorder::after(0.0);
    rec.census_days = vec![34, 36];
    let cfg = cfg.validated().expect("valid");
    run_replication(&cfg, &caseload_des::RngStreams::new(1, 0), &mut rec).expect("runs");
    assert!(waiting_priorities(&rec, 34).is_empty(), "held on day 34");
    assert_eq!(rec.requeued.len(), 1);
    assert_eq!(waiting_priorities(&rec, 36), [0]);
}

#[test]
fn a_new_starter_takes_cases_gradually_over_the_ramp_up() {
    // One post filled by a recruit on day 0: ten days on the course, then a ramp-up of 40
    // days over which the caseload cap of 20 is reached a slot every 2 days. 50 cases wait
    // and none is ever finished (work of a million hours).
    let mut t = team(0, 20, 6.0);
    t.establishment = 1;
    t.recruitment = Some(Recruitment::every(1_000.0, 0.0));
    t.new_starters = Some(NewStarters {
        course_days: 10.0,
        ramp_up_days: 40.0,
        ramp_up_productivity: 0.5,
        course_places: None,
        shared_course: false,
    });
    let mut cfg = config(70.0, vec![case_type(0.0, vec![work(1e6)], 0)], vec![t]);
    cfg.starting_backlog = (0..50).map(|_| starting(0, 1.0, false)).collect();
    let (_, rec) = run(&cfg, 0.0, 1, 0);
    let open = |day: usize| rec.days[day].2.open;
    assert_eq!(open(9), 0, "on the course");
    assert_eq!(open(11), 1, "one case on the first day at work, not 20");
    assert_eq!(open(31), 11, "a slot every 2 days");
    assert_eq!(open(65), 20, "the full caseload after the ramp-up");
}

#[test]
fn a_spin_up_starts_the_run_loaded_at_the_starts_demand() {
    // M/M/10 with 2 referrals a day and 20 hours of work at 6 hours a day (3.33 days): in
    // steady state 6.67 cases are in service. Spun up for 300 days, the run starts there;
    // without, it starts empty.
    let mut cfg = config(
        20.0,
        vec![case_type(2.0, vec![work(20.0)], 0)],
        vec![team(10, 1, 6.0)],
    );
    cfg.spin_up_days = 300.0;
    let open_on_day_0: Vec<f64> = (0..REPLICATIONS)
        .map(|r| f64::from(run(&cfg, 0.0, SEED, r).1.days[0].2.open))
        .collect();
    let mean = common::mean(&open_on_day_0);
    assert!((mean - 6.667).abs() < 0.8, "open on day 0: {mean}");
    cfg.spin_up_days = 0.0;
    assert_eq!(run(&cfg, 0.0, SEED, 0).1.days[0].2.open, 0);
}

#[test]
fn the_spin_up_is_the_same_for_every_option() {
    // Options differ in their staffing actions, which the spin-up leaves out: each starts
    // from the same state (common random numbers).
    let mut cfg = config(
        100.0,
        vec![case_type(2.0, vec![work(20.0)], 0)],
        vec![team(8, 1, 6.0)],
    );
    cfg.spin_up_days = 200.0;
    let mut with_transfer = cfg.clone();
    with_transfer.actions = vec![action(
        50.0,
        None,
        ActionKind::Transfer {
            team: 0,
            officers: 4,
        },
    )];
    for r in 0..5 {
        let (a, b) = (run(&cfg, 0.0, 3, r).1, run(&with_transfer, 0.0, 3, r).1);
        // Compared as written: an undefined value (NaN, the age of an empty list) equals itself.
        assert_eq!(
            format!("{:?}", &a.days[..50]),
            format!("{:?}", &b.days[..50]),
            "replication {r}"
        );
        assert!(a.days[0].2.open + a.days[0].2.unallocated > 0);
    }
}
