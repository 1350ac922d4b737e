//! Waits that change length on dated steps (the CPS charging decision lengthening), against a
//! hand-worked example.

use caseload_des::Dist;
use caseload_model::{DemandStep, Stage};

use crate::common::*;

#[test]
fn a_wait_takes_the_steps_in_force_on_the_day_it_starts() {
    // Officers with hours to spare do the two short work stages at once, so a case's time from
    // referral to completion is its 10-day wait times the steps in force on its referral day:
    // 1 before day 50, 2 from 50, 2 x 1.5 = 3 from 60, 1.5 from 80 (the first step ends).
    let stages = vec![
        work(0.001),
        Stage::Wait(Dist::fixed(10.0).expect("valid")),
        work(0.001),
    ];
    let mut referral = case_type(2.0, stages, 0);
    let step = |start_day, end_day, multiplier| DemandStep {
        start_day,
        end_day,
        multiplier,
    };
    referral.wait_steps = vec![step(50.0, Some(80.0), 2.0), step(60.0, None, 1.5)];
    let cfg = config(120.0, vec![referral], vec![team(100, 100, 100.0)]);
    let (_, rec) = run(&cfg, 0.0, 7, 0);
    let expected = |day: f64| match day {
        d if d < 50.0 => 10.0,
        d if d < 60.0 => 20.0,
        d if d < 80.0 => 30.0,
        _ => 15.0,
    };
    let mut checked = 0;
    for case in &rec.completed {
        let took = case.completed_day.expect("completed") - case.arrival_day;
        // The work takes minutes; a case referred within them of a step's date may fall on
        // either side.
        let near_a_step = [50.0, 60.0, 80.0]
            .iter()
            .any(|s| (case.arrival_day - s).abs() < 0.01);
        if !near_a_step {
            assert!(
                (took - expected(case.arrival_day)).abs() < 0.01,
                "referred on day {:.3}: {took:.3} days, expected {}",
                case.arrival_day,
                expected(case.arrival_day)
            );
            checked += 1;
        }
    }
    assert!(checked > 150, "only {checked} cases checked");
}
