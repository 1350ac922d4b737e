//! Timeliness standards on a stage, against a hand-worked example: cases of known ages
//! waiting for a team with no officers.

use crate::common;

use caseload_model::*;
use common::*;

#[test]
fn cases_past_a_stage_standard_are_counted_overdue_until_the_stage_is_done() {
    // No officers: cases aged 0 to 10 days wait; the first stage's standard is 7 days, so on
    // day 0 the three aged 8, 9 and 10 are overdue (more than 7 days), on day 3 those aged 5
    // to 10 then (8 to 13 now): six.
    let mut referrals = case_type(0.0, vec![work(1.0), work(1.0)], 0);
    referrals.standard = Some(StageStandard {
        stage: 0,
        days: 7.0,
    });
    let mut cfg = config(10.0, vec![referrals], vec![team(0, 1, 8.0)]);
    cfg.starting_backlog = (0..=10)
        .map(|age| StartingCase {
            count: 1,
            case_type: 0,
            team: None,
            age_days: f64::from(age),
            historic: false,
            open: false,
            stage: 0,
        })
        .collect();
    let (_, rec) = run(&cfg, 0.0, 1, 0);
    assert_eq!(rec.on_day(0).overdue, 3);
    assert_eq!(rec.on_day(3).overdue, 6);
    assert_eq!(rec.on_day(9).overdue, 11);
    // A case past its standard's stage is not overdue, whatever its age.
    cfg.starting_backlog[10].stage = 1;
    let (_, rec) = run(&cfg, 0.0, 1, 0);
    assert_eq!(rec.on_day(0).overdue, 2);
}
