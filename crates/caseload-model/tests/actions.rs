//! Each staffing action shows its meaning in numbers. Runs compared with and without an action
//! use the same seed, so they see the same referrals (common random numbers).

use crate::common;

use caseload_des::{DAYS_PER_YEAR, Dist};
use caseload_model::*;
use common::*;

const SEEDS: [u64; 5] = [1, 2, 3, 4, 5];

/// One team of 10 officers (4 hours a day, up to 6 cases each) facing 1.5 referrals a day of
/// 30 hours' work, a 20-day wait and 10 hours more: 60 hours a day of demand against 40 of
/// capacity, so the backlog grows until something changes.
fn overloaded() -> ModelConfig {
    let stages = vec![
        work(30.0),
        Stage::Wait(Dist::exponential(20.0).expect("valid")),
        work(10.0),
    ];
    config(
        600.0,
        vec![case_type(1.5, stages, 0)],
        vec![team(10, 6, 4.0)],
    )
}

/// Team 0's historic cases (`complex_share` of them), waiting ones too, moved to team 1 from
/// `day`.
fn reassigning_historic(day: f64, complex_share: f64) -> StaffingAction {
    action(
        day,
        None,
        ActionKind::ReassignHistoric {
            from_teams: vec![0],
            to_team: 1,
            include_queued: true,
            complex_share,
        },
    )
}

fn with(mut cfg: ModelConfig, actions: Vec<StaffingAction>) -> ModelConfig {
    cfg.actions = actions;
    cfg
}

fn backlog(rec: &Recorder) -> Vec<u32> {
    rec.days.iter().map(|(_, _, t)| t.unallocated).collect()
}

fn mean_backlog_from(rec: &Recorder, day: usize) -> f64 {
    let b = backlog(rec);
    b[day..].iter().map(|x| f64::from(*x)).sum::<f64>() / (b.len() - day) as f64
}

#[test]
fn transfer_adds_officers_on_its_day_and_lowers_the_backlog_after() {
    let day = 200;
    let base = overloaded();
    let transfer = with(
        base.clone(),
        vec![action(
            f64::from(day),
            None,
            ActionKind::Transfer {
                team: 0,
                officers: 20,
            },
        )],
    );
    for seed in SEEDS {
        let (_, without) = run(&base, 0.0, seed, 0);
        let (_, with_it) = run(&transfer, 0.0, seed, 0);
        let d = day as usize;
        let officers = |rec: &Recorder, d: usize| rec.days[d].2.officers();
        assert_eq!(officers(&with_it, d - 1), 10);
        assert_eq!(officers(&with_it, d), 30);
        assert_eq!(with_it.days[d].2.officers_from(Source::Transfer), 20);
        // Same referrals, same decisions until the transfer.
        assert_eq!(backlog(&without)[..d], backlog(&with_it)[..d]);
        let (before, after) = (
            mean_backlog_from(&without, d + 1),
            mean_backlog_from(&with_it, d + 1),
        );
        assert!(
            after < before,
            "seed {seed}: backlog {after} with transfer vs {before}"
        );
    }
}

#[test]
fn attachment_ends_after_its_period_and_historic_only_officers_take_only_historic_cases() {
    let (start, end) = (100.0, 282.0);
    let attach = |historic_only| {
        with(
            overloaded(),
            vec![action(
                start,
                Some(end),
                ActionKind::Attachment {
                    team: 0,
                    officers: 10,
                    historic_only,
                },
            )],
        )
    };
    let (_, without) = run(&overloaded(), 0.0, 7, 0);
    let (_, general) = run(&attach(false), 0.0, 7, 0);
    let (_, historic) = run(&attach(true), 0.0, 7, 0);
    for (day, _, total) in &general.days {
        let expected = if f64::from(*day) >= start && f64::from(*day) < end {
            10
        } else {
            0
        };
        assert_eq!(
            total.officers_from(Source::Attachment),
            expected,
            "day {day}"
        );
    }
    // With no historic referrals, historic-only officers take nothing: the backlog is the
    // same as without them, while general attached officers cut it.
    assert_eq!(backlog(&historic), backlog(&without));
    assert!(mean_backlog_from(&general, 150) < mean_backlog_from(&without, 150));
    // Their cost is counted: 10 officers at 100 a day for 182 days.
    let extra = historic.days.last().expect("days").2.cost_to_date
        - without.days.last().expect("days").2.cost_to_date;
    assert!(
        (extra - 10.0 * 100.0 * (end - start)).abs() < 1e-6,
        "extra cost {extra}"
    );
}

#[test]
fn reassign_historic_empties_historic_cases_out_of_the_cait_queue() {
    // Nobody works cases, so every referral waits: where it waits shows the routing.
    let mut cfg = overloaded();
    cfg.teams = vec![team(0, 6, 4.0), team(0, 6, 4.0)];
    cfg.case_types[0].historic_share = 0.3;
    let day = 100.0;
    cfg.actions = vec![reassigning_historic(day, 1.0)];
    let (summary, rec) = run(&cfg, 0.0, 3, 0);
    let before = &rec.days[99].1;
    assert!(before[0].unallocated > 0 && before[1].unallocated == 0);
    let historic = rec.unfinished.iter().filter(|c| c.historic).count() as u32;
    assert!(
        historic > 100,
        "enough historic referrals to see: {historic}"
    );
    assert!(rec.unfinished.iter().all(|c| c.historic == (c.team == 1)));
    let last = &rec.days.last().expect("days").1;
    assert_eq!(last[1].unallocated, historic);
    assert_eq!(
        u64::from(last[0].unallocated + last[1].unallocated),
        summary.arrived
    );
    // From the reassignment day on, the CAIT queue holds no historic case at all.
    let non_historic_waiting_at_day = rec
        .unfinished
        .iter()
        .filter(|c| !c.historic && c.arrival_day < day)
        .count() as u32;
    assert_eq!(rec.days[100].1[0].unallocated, non_historic_waiting_at_day);
}

#[test]
fn reassigning_the_complex_share_moves_that_share_of_historic_cases() {
    // Nobody works cases, so every referral waits where it was routed. With a complex share of
    // 0.4, about 40 % of the historic cases (waiting on the day and referred after) move;
    // the others stay with non-historic ones. A share of 1 moves all (the test above).
    let mut cfg = overloaded();
    cfg.teams = vec![team(0, 6, 4.0), team(0, 6, 4.0)];
    cfg.case_types[0].historic_share = 0.5;
    cfg.actions = vec![reassigning_historic(100.0, 0.4)];
    let (mut moved, mut historic) = (0usize, 0usize);
    for r in 0..5 {
        let (_, rec) = run(&cfg, 0.0, 3, r);
        assert!(rec.unfinished.iter().all(|c| c.historic || c.team == 0));
        historic += rec.unfinished.iter().filter(|c| c.historic).count();
        moved += rec.unfinished.iter().filter(|c| c.team == 1).count();
    }
    // Binomial: 0.4 of `historic`, within four standard deviations.
    let share = moved as f64 / historic as f64;
    let sd = (0.4 * 0.6 / historic as f64).sqrt();
    assert!(historic > 500, "enough historic cases: {historic}");
    assert!((share - 0.4).abs() < 4.0 * sd, "moved share {share:.3}");
    // A share outside (0, 1] is refused.
    let mut bad = cfg.clone();
    bad.actions[0] = reassigning_historic(100.0, 0.0);
    assert!(bad.validated().is_err());
}

#[test]
fn reassigned_historic_cases_keep_escalating_in_their_new_team() {
    // Nobody works cases; referrals start at priority 2 and rise a level every 60 days
    // unallocated. Historic cases queued in team 0 move to team 1 on day 100 with an
    // escalation pending, which must still fire there.
    let mut cfg = overloaded();
    cfg.teams = vec![team(0, 6, 4.0), team(0, 6, 4.0)];
    cfg.case_types[0].historic_share = 0.3;
    cfg.case_types[0].priority = 2;
    cfg.case_types[0].escalate_after_days = Some(60.0);
    cfg.actions = vec![reassigning_historic(100.0, 1.0)];
    let (_, rec) = run(&cfg, 0.0, 3, 0);
    let horizon = cfg.horizon_days;
    let moved = rec
        .unfinished
        .iter()
        .filter(|c| c.historic && c.arrival_day < 100.0)
        .count();
    assert!(moved > 20, "enough moved cases to see: {moved}");
    for case in &rec.unfinished {
        let levels_up = ((horizon - case.arrival_day) / 60.0).floor().min(2.0) as u8;
        assert_eq!(
            case.priority,
            2 - levels_up,
            "case {} referred on day {} (historic: {})",
            case.id,
            case.arrival_day,
            case.historic
        );
    }
}

#[test]
fn daily_review_pools_teams_so_no_officer_has_a_free_slot_while_a_pooled_case_waits() {
    // Team 0 is swamped, team 1 nearly idle.
    let stages = vec![
        work(20.0),
        Stage::Wait(Dist::exponential(10.0).expect("valid")),
    ];
    let mut cfg = config(
        300.0,
        vec![case_type(2.0, stages.clone(), 0), case_type(0.1, stages, 1)],
        vec![team(5, 4, 4.0), team(5, 4, 4.0)],
    );
    let full_while_waiting = |rec: &Recorder| {
        rec.days.iter().all(|(_, teams, total)| {
            total.unallocated == 0
                || teams
                    .iter()
                    .all(|t| t.open == 4 * (t.officers() - t.in_training))
        })
    };
    let (_, apart) = run(&cfg, 0.0, 11, 0);
    assert!(
        !full_while_waiting(&apart),
        "without pooling, team 1 has idle slots while team 0 waits"
    );
    cfg.actions = vec![action(
        0.0,
        None,
        ActionKind::DailyReview { teams: vec![0, 1] },
    )];
    let (_, pooled) = run(&cfg, 0.0, 11, 0);
    assert!(full_while_waiting(&pooled));
    assert!(mean_backlog_from(&pooled, 50) < mean_backlog_from(&apart, 50));
}

#[test]
fn flexible_hours_add_the_stated_hours_per_year() {
    let hours_per_year = 8_000.0;
    let cfg = with(
        overloaded(),
        vec![action(
            50.0,
            None,
            ActionKind::FlexibleHours {
                team: 0,
                hours_per_year,
            },
        )],
    );
    let (_, rec) = run(&cfg, 0.0, 5, 0);
    let hours = |d: usize| rec.days[d].2.available_hours_per_day;
    assert!((hours(49) - 40.0).abs() < 1e-9);
    let added_per_year = (hours(50) - hours(49)) * DAYS_PER_YEAR;
    assert!(
        (added_per_year - hours_per_year).abs() < 1e-6,
        "{added_per_year}"
    );
}

#[test]
fn ring_fence_removes_the_other_duties_loss() {
    let mut cfg = overloaded();
    cfg.teams[0].other_duties = 0.2;
    cfg.actions = vec![action(30.0, Some(60.0), ActionKind::RingFence { team: 0 })];
    let (_, rec) = run(&cfg, 0.0, 5, 0);
    let hours = |d: usize| rec.days[d].2.available_hours_per_day;
    assert!((hours(29) - 40.0 * 0.8).abs() < 1e-9);
    assert!((hours(30) - 40.0).abs() < 1e-9);
    assert!((hours(60) - 40.0 * 0.8).abs() < 1e-9);
}

#[test]
fn monthly_review_redeploys_officers_from_its_source_toward_the_target_caseload() {
    // Team 0 is overloaded; team 1, with no referrals of its own, is the source officers
    // are redeployed from ("staff to be re deployed fast time").
    let target = 3.0;
    let mut cfg = overloaded();
    cfg.horizon_days = 730.0;
    cfg.teams.push(team(30, 6, 4.0));
    let review = action(
        0.0,
        None,
        ActionKind::MonthlyReview {
            teams: vec![0],
            from_teams: vec![1],
            target_caseload: target,
            max_extra_officers: 30,
            posting_lag_days: 14.0,
        },
    );
    let reviewed = with(cfg.clone(), vec![review]);
    for seed in SEEDS {
        let distance = |rec: &Recorder| {
            let from = 120;
            rec.days[from..]
                .iter()
                .map(|(_, teams, _)| (teams[0].mean_caseload - target).abs())
                .sum::<f64>()
                / (rec.days.len() - from) as f64
        };
        let (_, without) = run(&cfg, 0.0, seed, 0);
        let (_, with_review) = run(&reviewed, 0.0, seed, 0);
        let (d0, d1) = (distance(&without), distance(&with_review));
        assert!(
            d1 < d0,
            "seed {seed}: distance to target {d1} with review vs {d0}"
        );
        // The officers come from the source: none from nowhere.
        let last = &with_review.days.last().expect("days");
        let (reviewed_team, source) = (&last.1[0], &last.1[1]);
        let moved = reviewed_team.officers_from(Source::Redeployed);
        assert!(moved > 0, "seed {seed}: officers were redeployed");
        assert_eq!(source.officers() + moved, 30, "seed {seed}");
        assert_eq!(
            last.2.officers(),
            40,
            "seed {seed}: no officer from nowhere"
        );
    }
}

#[test]
fn a_review_takes_no_officer_from_a_source_with_none_to_spare() {
    // The source holds as many cases as its officers should at the target: nothing moves.
    let mut cfg = overloaded();
    cfg.horizon_days = 200.0;
    cfg.teams.push(team(2, 6, 4.0));
    cfg.case_types.push(case_type(1.0, vec![work(1e6)], 1));
    let review = action(
        0.0,
        None,
        ActionKind::MonthlyReview {
            teams: vec![0],
            from_teams: vec![1],
            target_caseload: 3.0,
            max_extra_officers: 30,
            posting_lag_days: 14.0,
        },
    );
    let (_, rec) = run(&with(cfg, vec![review]), 0.0, 1, 0);
    for (_, teams, _) in &rec.days {
        assert_eq!(teams[0].officers_from(Source::Redeployed), 0);
        assert_eq!(teams[1].officers(), 2);
    }
}

fn recruiting_team() -> ModelConfig {
    let mut cfg = overloaded();
    cfg.teams[0].recruitment = Some(Recruitment::every(30.0, 20.0));
    cfg.teams[0].new_starters = Some(NewStarters {
        course_days: 14.0,
        ramp_up_days: 30.0,
        ramp_up_productivity: 0.5,
        course_places: None,
        shared_course: false,
    });
    cfg
}

#[test]
fn overstaff_and_recruitment_fill_posts_above_and_added_to_establishment() {
    let cfg = with(
        recruiting_team(),
        vec![
            action(
                0.0,
                None,
                ActionKind::Overstaff {
                    team: 0,
                    officers: 3,
                },
            ),
            action(
                100.0,
                None,
                ActionKind::Recruitment {
                    team: 0,
                    posts: 4,
                    in_post: false,
                },
            ),
        ],
    );
    let (_, rec) = run(&cfg, 0.0, 2, 0);
    let at = |d: usize| &rec.days[d].2;
    // The select list is posted on the day: 3 above establishment, on the course until day 14.
    assert_eq!(at(0).officers(), 13);
    assert_eq!(at(0).officers_from(Source::Overstaff), 3);
    assert_eq!(at(0).in_training, 3);
    assert_eq!(at(15).in_training, 0);
    // The first panel after day 100 (day 120) posts the 4 new posts; they join on day 140.
    assert_eq!(at(139).officers(), 13);
    assert_eq!(at(140).officers(), 17);
    assert_eq!(at(140).officers_from(Source::Establishment), 14);
}

#[test]
fn recruits_ahead_of_leavers_are_not_counted_as_overstaffing() {
    // Panels recruit for the leavers expected during the 20-day lag; when fewer leave, the
    // recruits join above the 10 posts. No overstaff action: no officer is shown as one.
    let mut cfg = recruiting_team();
    cfg.teams[0].attrition_per_year = 3.0;
    cfg.horizon_days = 730.0;
    let mut above_posts = 0;
    for replication in 0..5 {
        let (_, rec) = run(&cfg, 0.0, 6, replication);
        for (_, _, team) in &rec.days {
            assert_eq!(team.officers_from(Source::Overstaff), 0);
            above_posts += usize::from(team.officers() > 10);
        }
    }
    assert!(
        above_posts > 0,
        "recruits joined above the posts on some day"
    );
}

#[test]
fn an_officer_above_establishment_takes_the_post_a_leaver_frees() {
    // 10 posts, 10 in post, 3 posted above them on day 0, no recruitment; officers leave at 1
    // a year each. Whenever a post is free and somebody above establishment is in post, that
    // officer takes it: `overstaff` counts only officers beyond the posts.
    let mut base = recruiting_team();
    base.teams[0].attrition_per_year = 1.0;
    base.teams[0].recruitment = None;
    base.horizon_days = 730.0;
    let cfg = with(
        base,
        vec![action(
            0.0,
            None,
            ActionKind::Overstaff {
                team: 0,
                officers: 3,
            },
        )],
    );
    for replication in 0..5 {
        let (_, rec) = run(&cfg, 0.0, 6, replication);
        assert_eq!(rec.days[0].2.officers_from(Source::Overstaff), 3);
        for (day, (_, _, team)) in rec.days.iter().enumerate() {
            let in_posts = team.officers_from(Source::Establishment);
            let above = team.officers_from(Source::Overstaff);
            assert!(
                above == 0 || in_posts == 10,
                "day {day}: {above} above establishment while only {in_posts} of 10 posts are filled"
            );
            assert_eq!(team.officers(), in_posts + above);
        }
        let end = &rec.days[rec.days.len() - 1].2;
        assert!(end.officers() < 13, "some have left");
    }
}

#[test]
fn transferred_posts_are_permanent_and_their_leavers_replaced() {
    // "The posts have now been transferred so this is a permanent increase": 20 officers and
    // their posts join a team of 10 on day 50; with half the officers leaving each year, the
    // panels keep about 30 in post, where officers transferred without their posts would
    // dwindle back to about 10.
    let mut base = recruiting_team();
    base.teams[0].attrition_per_year = 0.5;
    base.horizon_days = 1_200.0;
    let cfg = with(
        base,
        vec![action(
            50.0,
            None,
            ActionKind::Transfer {
                team: 0,
                officers: 20,
            },
        )],
    );
    let (_, rec) = run(&cfg, 0.0, 4, 0);
    assert_eq!(rec.days[50].2.officers_from(Source::Transfer), 20);
    let late: Vec<f64> = rec.days[900..]
        .iter()
        .map(|(_, _, t)| f64::from(t.officers()))
        .collect();
    let mean = late.iter().sum::<f64>() / late.len() as f64;
    assert!(mean > 26.0, "about 30 kept in post: {mean}");
    // By then most transferred officers have left and recruits hold their posts.
    let last = &rec.days.last().expect("days").2;
    assert!(last.officers_from(Source::Transfer) < 10);
    assert!(last.officers_from(Source::Establishment) > 15);
}

#[test]
fn attrition_is_replaced_by_recruits_who_train_before_they_work() {
    let mut cfg = recruiting_team();
    cfg.teams[0].attrition_per_year = 0.5;
    cfg.horizon_days = 1_000.0;
    let (_, rec) = run(&cfg, 0.0, 9, 0);
    let officers: Vec<u32> = rec.days.iter().map(|(_, _, t)| t.officers()).collect();
    assert!(
        officers.iter().all(|&n| n <= 10),
        "never above establishment"
    );
    assert!(officers.iter().any(|&n| n < 10), "leavers leave");
    assert!(
        rec.days.iter().any(|(_, _, t)| t.in_training > 0),
        "recruits train"
    );
    let mean_officers = officers.iter().map(|&n| f64::from(n)).sum::<f64>() / officers.len() as f64;
    assert!(
        mean_officers > 8.0,
        "vacancies are filled: mean strength {mean_officers}"
    );
}

#[test]
fn agency_investigators_work_for_their_contract_at_their_day_rate() {
    let (start, end, rate) = (60.0, 240.0, 210.0);
    let cfg = with(
        overloaded(),
        vec![action(
            start,
            Some(end),
            ActionKind::Agency {
                team: 0,
                investigators: 4,
                hours_per_year: 1_460.0,
                caseload_cap: 8,
                cost_per_day: rate,
            },
        )],
    );
    let (_, without) = run(&overloaded(), 0.0, 4, 0);
    let (_, rec) = run(&cfg, 0.0, 4, 0);
    assert_eq!(rec.days[59].2.officers_from(Source::Agency), 0);
    assert_eq!(rec.days[60].2.officers_from(Source::Agency), 4);
    assert_eq!(rec.days[240].2.officers_from(Source::Agency), 0);
    let added = rec.days[60].2.available_hours_per_day - rec.days[59].2.available_hours_per_day;
    assert!((added - 4.0 * 1_460.0 / DAYS_PER_YEAR).abs() < 1e-9);
    let extra = rec.days.last().expect("days").2.cost_to_date
        - without.days.last().expect("days").2.cost_to_date;
    assert!((extra - 4.0 * rate * (end - start)).abs() < 1e-6);
    assert!(mean_backlog_from(&rec, 120) < mean_backlog_from(&without, 120));
}

#[test]
fn waiting_cases_escalate_one_level_per_period() {
    let mut cfg = overloaded();
    cfg.case_types[0].priority = 2;
    cfg.case_types[0].escalate_after_days = Some(10.0);
    let (_, rec) = run(&cfg, 0.0, 6, 0);
    for case in rec.completed.iter().chain(&rec.unfinished) {
        let waited = case.unallocated_days;
        if case.allocated_day.is_some() && waited > 0.0 && case.completed_day.is_some() {
            let expected = 2u8.saturating_sub((waited / 10.0).floor() as u8);
            assert_eq!(case.priority, expected, "waited {waited} days");
        }
    }
    assert!(rec.completed.iter().any(|c| c.priority == 0));
}

#[test]
fn same_seed_gives_identical_days() {
    let cfg = recruiting_team();
    let (a, ra) = run(&cfg, 0.0, 8, 3);
    let (b, rb) = run(&cfg, 0.0, 8, 3);
    assert_eq!(a, b);
    // Compared as written: an undefined value (NaN, the age of an empty list) equals itself.
    assert_eq!(format!("{:?}", ra.days), format!("{:?}", rb.days));
    let (c, _) = run(&cfg, 0.0, 8, 4);
    assert_ne!(a, c);
}

#[test]
fn every_hour_offered_is_worked_once_all_cases_are_done_and_never_more_than_available() {
    // Officers leave (attrition) and join, so the hours of those who left must be kept. Demand
    // stops on day 300 and the run goes on until every case is done.
    let mut cfg = recruiting_team();
    cfg.teams[0].attrition_per_year = 0.5;
    cfg.horizon_days = 2_000.0;
    if let Demand::Poisson(p) = &mut cfg.case_types[0].demand {
        p.steps.push(DemandStep {
            start_day: 300.0,
            end_day: None,
            multiplier: 0.0,
        });
    }
    let (summary, rec) = run(&cfg, 0.0, 8, 2);
    assert_eq!(summary.unallocated + summary.open, 0, "every case is done");
    let last = &rec.days.last().expect("days").2;
    let (worked, offered) = (last.worked_hours_to_date, last.offered_hours_to_date);
    assert!(offered > 10_000.0);
    assert!(
        (worked - offered).abs() <= 1e-6 * offered,
        "worked {worked}, offered {offered}"
    );
    // Midway, some hours are still to do, and nobody works more hours than they have.
    let (_, teams, mid) = &rec.days[250];
    assert!(mid.worked_hours_to_date < mid.offered_hours_to_date);
    assert!(mid.worked_hours_to_date <= mid.available_hours_to_date);
    let per_team: f64 = teams.iter().map(|t| t.worked_hours_to_date).sum();
    assert!((per_team - mid.worked_hours_to_date).abs() <= 1e-9 * per_team);
    // The available hours are the integral of the daily rate, which changes only at events:
    // the daily samples come close.
    let sampled: f64 = rec.days[..250]
        .iter()
        .map(|(_, _, t)| t.available_hours_per_day)
        .sum();
    let available = mid.available_hours_to_date;
    assert!(
        (available - sampled).abs() < 0.05 * available,
        "{available} vs {sampled} sampled"
    );
}

#[test]
fn leavers_cases_are_reported_requeued_and_census_days_list_every_waiting_case() {
    let mut cfg = recruiting_team();
    cfg.teams[0].attrition_per_year = 0.5;
    let mut rec = Recorder::after(0.0);
    rec.census_days = vec![100, 400];
    let cfg = cfg.validated().expect("valid config");
    caseload_model::run_replication(&cfg, &caseload_des::RngStreams::new(8, 2), &mut rec)
        .expect("valid config");
    assert!(
        !rec.requeued.is_empty(),
        "attrition returns held cases to the queue"
    );
    for (case, day) in &rec.requeued {
        assert!(
            case.officer.is_some(),
            "the record is as it was before the return"
        );
        assert!(case.allocated_day.is_some_and(|a| a <= *day));
    }
    for day in [100u32, 400] {
        let listed: Vec<&CaseRecord> = rec
            .census
            .iter()
            .filter(|(d, _)| *d == day)
            .map(|(_, c)| c)
            .collect();
        let snapshot = &rec.days.iter().find(|(d, _, _)| *d == day).expect("day").2;
        assert_eq!(listed.len() as u32, snapshot.unallocated, "day {day}");
        assert!(
            listed
                .iter()
                .all(|c| c.waiting() && c.arrival_day <= f64::from(day))
        );
        let older = listed
            .iter()
            .filter(|c| f64::from(day) - c.arrival_day > cfg.age_threshold_days)
            .count();
        assert_eq!(
            older as u32, snapshot.waiting_older_than_threshold,
            "day {day}"
        );
    }
}

#[test]
fn panels_sit_on_their_days_and_post_for_the_leavers_expected_over_the_lag() {
    // A team of 10 with 20 posts, panels on days 10 and 40 only, recruits joining 30 days
    // after their panel.
    let mut cfg = recruiting_team();
    cfg.teams[0].establishment = 20;
    cfg.teams[0].recruitment = Some(Recruitment {
        panels: Panels::On(vec![10.0, 40.0]),
        lag_days: 30.0,
        cost_per_recruit: 0.0,
        fill_share: 1.0,
    });
    let (_, rec) = run(&cfg, 0.0, 3, 0);
    let officers = |d: usize| rec.days[d].2.officers();
    assert_eq!(officers(39), 10);
    assert_eq!(
        officers(41),
        20,
        "the day-10 panel's 10 recruits join on day 40"
    );
    assert_eq!(officers(200), 20, "the day-40 panel had nothing to fill");
    // With half the officers leaving each year, a panel also posts for the leavers expected
    // before its recruits join: 20 in post x (1 - e^(-0.5 x 60 / 365.25)) = 1.6, so 2.
    let mut leaving = cfg.clone();
    leaving.teams[0].attrition_per_year = 0.5;
    leaving.teams[0].strength = 20;
    leaving.teams[0].recruitment = Some(Recruitment {
        panels: Panels::On(vec![10.0]),
        lag_days: 60.0,
        cost_per_recruit: 0.0,
        fill_share: 1.0,
    });
    let (_, rec) = run(&leaving, 0.0, 3, 0);
    let joined = rec.days[71].2.in_training;
    assert_eq!(joined, 2, "two recruits for the expected leavers");
}

#[test]
fn a_panel_fills_its_fill_share_of_the_vacancies_and_leaves_the_rest_for_the_next() {
    // 100 empty posts, one panel on day 0, recruits joining on day 10; each vacancy is filled
    // with probability 0.4, so the hires are Binomial(100, 0.4): mean 40, sd 4.9.
    let mut cfg = recruiting_team();
    cfg.teams[0].strength = 0;
    cfg.teams[0].establishment = 100;
    cfg.teams[0].new_starters = None;
    cfg.teams[0].recruitment = Some(Recruitment {
        panels: Panels::On(vec![0.0, 50.0]),
        lag_days: 10.0,
        cost_per_recruit: 0.0,
        fill_share: 0.4,
    });
    let replications = 200;
    let (mut first, mut second) = (0.0, 0.0);
    for r in 0..replications {
        let (_, rec) = run(&cfg, 0.0, 5, r);
        let hired_first = f64::from(rec.days[11].2.officers());
        let hired_both = f64::from(rec.days[61].2.officers());
        first += hired_first;
        second += hired_both - hired_first;
    }
    let n = replications as f64;
    let (first, second) = (first / n, second / n);
    // Means of 200 draws: sd 4.9 / sqrt(200) = 0.35 for the first panel; the second fills
    // 0.4 of the 60 left on average, 24.
    assert!(
        (first - 40.0).abs() < 1.5,
        "first panel hired {first} on average"
    );
    assert!(
        (second - 24.0).abs() < 1.5,
        "second panel hired {second} on average"
    );
}

#[test]
fn a_course_takes_so_many_students_at_once() {
    // 10 recruits join on day 0; courses of 14 days with 4 places for this team run back to
    // back: 4 finish on day 14, 4 on day 28, 2 on day 42.
    let mut cfg = recruiting_team();
    cfg.teams[0].strength = 0;
    cfg.teams[0].recruitment = Some(Recruitment::every(1_000.0, 0.0));
    if let Some(n) = cfg.teams[0].new_starters.as_mut() {
        n.course_places = Some(4);
    }
    let (_, rec) = run(&cfg, 0.0, 3, 0);
    let training = |d: usize| rec.days[d].2.in_training;
    assert_eq!(training(13), 10);
    assert_eq!(training(15), 6);
    assert_eq!(training(29), 2);
    assert_eq!(training(43), 0);
}

#[test]
fn a_shared_course_takes_so_many_students_from_all_its_teams() {
    // Two teams of 5 recruits each join on day 0; courses of 14 days with 4 places. With a
    // course of each team's own, 8 finish on day 14 and 2 on day 28; with one course shared
    // by both, 4 finish on day 14, 4 on day 28 and 2 on day 42.
    let mut cfg = recruiting_team();
    cfg.teams[0].strength = 0;
    cfg.teams[0].establishment = 5;
    cfg.teams[0].recruitment = Some(Recruitment::every(1_000.0, 0.0));
    if let Some(n) = cfg.teams[0].new_starters.as_mut() {
        n.course_places = Some(4);
    }
    let mut second = cfg.teams[0].clone();
    second.name = "second".into();
    cfg.teams.push(second);
    let training = |cfg: &ModelConfig| {
        let (_, rec) = run(cfg, 0.0, 3, 0);
        [13, 15, 29, 43].map(|d| rec.days[d].2.in_training)
    };
    assert_eq!(training(&cfg), [10, 2, 0, 0], "each team's own course");
    for team in &mut cfg.teams {
        if let Some(n) = team.new_starters.as_mut() {
            n.shared_course = true;
        }
    }
    assert_eq!(training(&cfg), [10, 6, 2, 0], "one course shared by both");
    // Teams that share a course agree on its places.
    if let Some(n) = cfg.teams[1].new_starters.as_mut() {
        n.course_places = Some(5);
    }
    let error = cfg.validate().expect_err("places differ");
    assert!(error.to_string().contains("shared_course"), "{error}");
}

#[test]
fn posts_in_post_join_on_the_date_and_each_source_costs_its_rate() {
    // 4 extra posts "in post from" day 50 join then, each paid 300 a day; the team's
    // officers cost 100 a day; each recruit costs 5,000 once.
    let mut cfg = recruiting_team();
    cfg.teams[0].recruitment = Some(Recruitment {
        panels: Panels::Every {
            interval_days: 30.0,
        },
        lag_days: 20.0,
        cost_per_recruit: 5_000.0,
        fill_share: 1.0,
    });
    cfg.horizon_days = 100.0;
    let mut extra = action(
        50.0,
        None,
        ActionKind::Recruitment {
            team: 0,
            posts: 4,
            in_post: true,
        },
    );
    extra.cost_per_officer_day = Some(300.0);
    cfg.actions = vec![extra];
    let (_, rec) = run(&cfg, 0.0, 5, 0);
    assert_eq!(rec.days[49].2.officers(), 10);
    assert_eq!(rec.days[50].2.officers(), 14);
    assert_eq!(rec.days[50].2.in_training, 4, "new starters, on the course");
    let cost = |d: usize| rec.days[d].2.cost_to_date;
    // Days 60 to 90: 10 x 100 + 4 x 300 a day, and no recruit (the posts are filled).
    assert!((cost(90) - cost(60) - 30.0 * (1_000.0 + 1_200.0)).abs() < 1e-6);
    // No panel found a vacancy, so no recruitment cost.
    assert!((cost(49) - 49.0 * 1_000.0).abs() < 1e-6);
}

#[test]
fn each_recruit_costs_its_recruitment_and_training_once() {
    let mut cfg = recruiting_team();
    cfg.teams[0].strength = 8;
    cfg.teams[0].recruitment = Some(Recruitment {
        panels: Panels::On(vec![0.0]),
        lag_days: 5.0,
        cost_per_recruit: 5_000.0,
        fill_share: 1.0,
    });
    cfg.horizon_days = 20.0;
    let (_, rec) = run(&cfg, 0.0, 5, 0);
    let cost = |d: usize| rec.days[d].2.cost_to_date;
    assert!((cost(4) - 4.0 * 800.0).abs() < 1e-6, "{}", cost(4));
    // Two recruits join on day 5: 10,000 once, then 10 officers at 100 a day.
    assert!(
        (cost(6) - (5.0 * 800.0 + 10_000.0 + 1_000.0)).abs() < 1e-6,
        "{}",
        cost(6)
    );
}

#[test]
fn a_ring_fence_keeps_the_leavers_who_would_have_been_redeployed_away() {
    // 20 officers, a leaving rate of 1 a year of whom half are redeployed away within the
    // force, no recruitment. After a year about 20 e^-1 = 7.4 remain; ring-fenced from day 0,
    // the redeployed half stays and about 20 e^-0.5 = 12.1 remain.
    let mut cfg = overloaded();
    cfg.horizon_days = 366.0;
    cfg.teams[0].strength = 20;
    cfg.teams[0].establishment = 20;
    cfg.teams[0].attrition_per_year = 1.0;
    cfg.teams[0].redeployment_share = 0.5;
    let fenced = with(
        cfg.clone(),
        vec![action(0.0, None, ActionKind::RingFence { team: 0 })],
    );
    let remaining = |cfg: &ModelConfig| {
        let n: Vec<f64> = (0..40)
            .map(|r| {
                let (_, rec) = run(cfg, 0.0, 11, r);
                f64::from(rec.days[365].2.officers())
            })
            .collect();
        n.iter().sum::<f64>() / n.len() as f64
    };
    let (open, kept) = (remaining(&cfg), remaining(&fenced));
    assert!((open - 7.36).abs() < 1.0, "unfenced: {open}");
    assert!((kept - 12.13).abs() < 1.0, "ring-fenced: {kept}");
}
