//! What investing in people buys: a team's productivity and better evidence, a training
//! programme's gains from the trainees' return, and the quality of investigations. Worked by
//! hand, or against the shares they must give within binomial intervals.

use crate::common;

use caseload_des::Dist;
use caseload_model::*;
use common::*;

fn fixed_work(hours: f64) -> Vec<Stage> {
    vec![Stage::Work(Dist::fixed(hours).expect("valid"))]
}

fn one_case_done_on(team_config: TeamConfig, actions: Vec<StaffingAction>, start: f64) -> f64 {
    let mut cfg = config(
        60.0,
        vec![case_type(0.0, fixed_work(40.0), 0)],
        vec![team_config],
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
    cfg.actions = actions;
    let (_, rec) = run(&cfg, 0.0, 1, 0);
    let done = rec.completed[0].completed_day.expect("completed");
    done - start
}

#[test]
fn a_productivity_that_doubles_work_done_halves_a_fixed_cases_time() {
    // 40 hours at 8 a day: 5 days; at productivity 2, 2.5 days.
    let plain = one_case_done_on(team(1, 5, 8.0), vec![], 0.0);
    assert!((plain - 5.0).abs() < 1e-9, "{plain}");
    let mut specialist = team(1, 5, 8.0);
    specialist.productivity = 2.0;
    let fast = one_case_done_on(specialist, vec![], 0.0);
    assert!((fast - 2.5).abs() < 1e-9, "{fast}");
}

fn programme(gain: f64, half_life: Option<f64>) -> StaffingAction {
    StaffingAction {
        benefit: Benefit {
            productivity_gain: gain,
            half_life_days: half_life,
            cost_per_trainee: 1_000.0,
            ..Benefit::default()
        },
        ..action(
            0.0,
            Some(1.0),
            ActionKind::Training {
                team: 0,
                officers: Some(1),
                share: 1.0,
                days_away: 1.0,
                at_once: true,
            },
        )
    }
}

#[test]
fn a_trained_officer_works_faster_from_their_return_and_the_programme_costs() {
    // Away on day 0 for a day, holding the case; back at double productivity: 40 hours at 16
    // a day, done 2.5 days after the return, on day 3.5 (untrained: day 6).
    let untrained = one_case_done_on(team(1, 5, 8.0), vec![programme(0.0, None)], 0.0);
    assert!((untrained - 6.0).abs() < 1e-9, "{untrained}");
    let trained = one_case_done_on(team(1, 5, 8.0), vec![programme(1.0, None)], 0.0);
    assert!((trained - 3.5).abs() < 1e-9, "{trained}");
    // A gain that halves every day, set again four times a day: between the two.
    let fading = one_case_done_on(team(1, 5, 8.0), vec![programme(1.0, Some(1.0))], 0.0);
    assert!(fading > 3.5 && fading < 6.0, "{fading}");
    // The programme's cost per trainee is paid once, on top of the officer's days.
    let mut cfg = config(
        10.0,
        vec![case_type(0.0, fixed_work(1.0), 0)],
        vec![team(1, 5, 8.0)],
    );
    cfg.actions = vec![programme(1.0, None)];
    let (summary, _) = run(&cfg, 0.0, 1, 0);
    assert!(
        (summary.cost - (10.0 * 100.0 + 1_000.0)).abs() < 1e-6,
        "{}",
        summary.cost
    );
}

fn with_outcomes(per_day: f64) -> CaseType {
    let mut t = case_type(per_day, fixed_work(1.0), 0);
    t.outcomes = Some(Outcomes {
        charge: 0.2,
        nfa_evidential: 0.5,
        nfa_victim: 0.3,
        nfa_victim_per_year: 0.0,
    });
    t
}

#[test]
fn better_evidence_moves_its_share_from_evidential_nfa_to_charge_case_by_case() {
    // 20 referrals a day for 1,000 days to ten officers who are never short of time: shares
    // as written, then with a team that moves 0.15 of cases from evidential NFA to charge.
    let plain = config(1_000.0, vec![with_outcomes(20.0)], vec![team(10, 50, 8.0)]);
    let mut better = plain.clone();
    better.teams[0].evidential_to_charge = 0.15;
    let (_, a) = run(&plain, 0.0, 4, 0);
    let (_, b) = run(&better, 0.0, 4, 0);
    let share = |rec: &Recorder, o: Outcome| {
        let n = rec.completed.len() as f64;
        rec.completed
            .iter()
            .filter(|c| c.outcome == Some(o))
            .count() as f64
            / n
    };
    let n = b.completed.len() as f64;
    let sd = (0.35f64 * 0.65 / n).sqrt();
    assert!((share(&b, Outcome::Charge) - 0.35).abs() < 4.0 * sd);
    assert!((share(&b, Outcome::NfaEvidential) - 0.35).abs() < 4.0 * sd);
    // Common random numbers: the same cases, and a case only ever moves to charge.
    assert_eq!(a.completed.len(), b.completed.len());
    for (x, y) in a.completed.iter().zip(&b.completed) {
        assert_eq!(x.id, y.id);
        assert!(x.outcome == y.outcome || y.outcome == Some(Outcome::Charge));
    }
    assert!((share(&a, Outcome::Charge) - 0.2).abs() < 4.0 * (0.2f64 * 0.8 / n).sqrt());
}

#[test]
fn a_quality_model_at_the_inspections_odds_reproduces_its_74_per_cent() {
    // The 2016 inspection judged 278 of 374 case files requiring improvement or inadequate
    // (74.3 %): at log-odds ln(278 / 96) and no other term, the share judged is that.
    let mut cfg = config(1_000.0, vec![with_outcomes(20.0)], vec![team(10, 50, 8.0)]);
    cfg.quality = Some(Quality {
        intercept: (278.0f64 / 96.0).ln(),
        comfortable_caseload: 0,
        per_case_above_comfortable: 0.0,
        per_100_days: 0.0,
        trained: 0.0,
        per_inexperience: 0.0,
        per_supervision_ratio: 0.0,
    });
    let (summary, rec) = run(&cfg, 0.0, 2, 0);
    let judged: Vec<bool> = rec
        .completed
        .iter()
        .map(|c| c.requires_improvement.expect("judged"))
        .collect();
    let n = judged.len() as f64;
    let share = judged.iter().filter(|&&r| r).count() as f64 / n;
    let p = 278.0 / 374.0;
    assert!(
        (share - p).abs() < 4.0 * (p * (1.0 - p) / n).sqrt(),
        "{share}"
    );
    let last = &rec.days.last().expect("observed").2;
    assert_eq!(
        last.requires_improvement as usize,
        judged.iter().filter(|&&r| r).count()
    );
    assert!(summary.completed > 10_000);
    // Supervision that lowers the log-odds by 2 per supervisor per investigator, at one
    // supervisor to four, brings it to logistic(1.06 - 0.5) = 64 %.
    let mut supervised = cfg.clone();
    if let Some(q) = supervised.quality.as_mut() {
        q.per_supervision_ratio = -2.0;
    }
    supervised.teams[0].supervision_ratio = 0.25;
    let (_, rec) = run(&supervised, 0.0, 2, 0);
    let share = rec
        .completed
        .iter()
        .filter(|c| c.requires_improvement == Some(true))
        .count() as f64
        / rec.completed.len() as f64;
    let p = 1.0 / (1.0 + (-((278.0f64 / 96.0).ln() - 0.5)).exp());
    assert!(
        (share - p).abs() < 4.0 * (p * (1.0 - p) / n).sqrt(),
        "{share} vs {p}"
    );
}

#[test]
fn the_quality_model_adds_its_terms_as_log_odds() {
    let q = Quality {
        intercept: -1.0,
        comfortable_caseload: 8,
        per_case_above_comfortable: 0.25,
        per_100_days: 0.5,
        trained: -1.0,
        per_inexperience: 2.0,
        per_supervision_ratio: -2.0,
    };
    let logistic = |x: f64| 1.0 / (1.0 + (-x).exp());
    // 12 held (4 above), 200 days, half a training's benefit left, a quarter of full
    // productivity lacked, 0.25 supervision: -1 + 1 + 1 - 0.5 + 0.5 - 0.5 = 0.5.
    assert!((q.requires_improvement(12, 200.0, 0.5, 0.25, 0.25) - logistic(0.5)).abs() < 1e-12);
    assert!((q.requires_improvement(8, 0.0, 0.0, 0.0, 0.0) - logistic(-1.0)).abs() < 1e-12);
    assert!((q.requires_improvement(3, 0.0, 0.0, 0.0, 0.0) - logistic(-1.0)).abs() < 1e-12);
}

#[test]
fn a_new_starter_works_at_the_experience_curves_productivity_month_by_month() {
    // A post filled on day 0 by a new starter (no course); the curve gives half productivity
    // in the first month and full from the second. A 40-hour case at 8 hours a day takes 10
    // days at first; one started after the first month, 5 days.
    let mut t = team(0, 5, 8.0);
    t.experience = vec![(0.0, 0.5), (1.0, 1.0)];
    let post = action(
        0.0,
        None,
        ActionKind::Recruitment {
            team: 0,
            posts: 1,
            in_post: true,
        },
    );
    let early = one_case_done_on(t.clone(), vec![post.clone()], 0.0);
    assert!((early - 10.0).abs() < 1e-9, "{early}");
    // One referral between day 40 and 80, when the officer is past the curve: 5 days.
    let mut later = case_type(0.0, fixed_work(40.0), 0);
    later.demand = Demand::Trace {
        period_days: 40.0,
        counts: vec![0, 1],
        boundaries: vec![],
    };
    let mut cfg = config(100.0, vec![later], vec![t.clone()]);
    cfg.actions = vec![post];
    let (_, rec) = run(&cfg, 0.0, 1, 0);
    let case = &rec.completed[0];
    assert!(case.arrival_day >= 40.0);
    let took = case.completed_day.expect("completed") - case.arrival_day;
    assert!((took - 5.0).abs() < 1e-9, "{took}");
    assert_eq!(t.experience_at(0.5), 0.75);
    assert_eq!(t.experience_at(3.0), 1.0);
    assert_eq!(
        TeamConfig {
            experience: vec![],
            ..t
        }
        .experience_at(0.0),
        1.0
    );
}

#[test]
fn specialists_an_action_brings_carry_its_benefit_from_joining() {
    // A post filled on day 0 by a specialist who does twice the work per hour: a 40-hour case
    // at 8 hours a day takes 2.5 days (5 for an ordinary officer).
    let post = |gain: f64| StaffingAction {
        benefit: Benefit {
            productivity_gain: gain,
            ..Benefit::default()
        },
        ..action(
            0.0,
            None,
            ActionKind::Recruitment {
                team: 0,
                posts: 1,
                in_post: true,
            },
        )
    };
    let ordinary = one_case_done_on(team(0, 5, 8.0), vec![post(0.0)], 0.0);
    assert!((ordinary - 5.0).abs() < 1e-9, "{ordinary}");
    let specialist = one_case_done_on(team(0, 5, 8.0), vec![post(1.0)], 0.0);
    assert!((specialist - 2.5).abs() < 1e-9, "{specialist}");
}

#[test]
fn an_inexperienced_officer_loses_charges_as_the_curve_says() {
    // Ten posts filled on day 0 by new starters at half productivity for their first 1,000
    // months; every case would be charged, but each lacking half of full productivity loses
    // half of its charges to evidential NFA at a loss of 1 per unit lacked.
    let mut t = team(0, 50, 8.0);
    t.experience = vec![(0.0, 0.5), (1_000.0, 0.5)];
    t.experience_charge_loss = 1.0;
    let mut all_charged = case_type(10.0, fixed_work(1.0), 0);
    all_charged.outcomes = Some(Outcomes {
        charge: 1.0,
        nfa_evidential: 0.0,
        nfa_victim: 0.0,
        nfa_victim_per_year: 0.0,
    });
    let mut cfg = config(400.0, vec![all_charged], vec![t]);
    cfg.actions = vec![action(
        0.0,
        None,
        ActionKind::Recruitment {
            team: 0,
            posts: 10,
            in_post: true,
        },
    )];
    let (_, rec) = run(&cfg, 0.0, 2, 0);
    let n = rec.completed.len() as f64;
    let charged = rec
        .completed
        .iter()
        .filter(|c| c.outcome == Some(Outcome::Charge))
        .count() as f64;
    assert!(n > 3_000.0);
    assert!(
        (charged / n - 0.5).abs() < 4.0 * (0.25 / n).sqrt(),
        "{}",
        charged / n
    );
}
