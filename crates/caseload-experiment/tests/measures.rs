//! The measures say what their names say: every referral counted (waits of cases still
//! waiting censored, never dropped), bands equal to exact quantiles across replications,
//! intervals inside their domain, and more officers never reported as worse.

use caseload_des::{DAYS_PER_YEAR, Dist};
use caseload_experiment::{Design, KpiDef, Results, Thresholds, run, run_one};
use caseload_model::*;

const SEED: u64 = 2014;

fn team(name: &str, officers: u32, cap: u32) -> TeamConfig {
    TeamConfig {
        cost_per_day: 100.0,
        ..TeamConfig::new(name, officers, cap, 8.0 * DAYS_PER_YEAR)
    }
}

fn referrals(per_day: f64, team: TeamId, historic_share: f64) -> CaseType {
    let work = vec![Stage::Work(Dist::exponential(8.0).expect("valid"))];
    CaseType {
        priority: 1,
        historic_share,
        ..CaseType::poisson("referral", per_day * DAYS_PER_YEAR, work, team)
    }
}

fn design(model: ModelConfig) -> Design {
    Design {
        model: model.validated().expect("a valid configuration"),
        warmup_days: 100.0,
        thresholds: Thresholds {
            allocation_target_days: 1.0,
            backlog_breach: Some(50.0),
            recovery_backlog: Some(10.0),
        },
        census: vec![],
        years: vec![],
        keep_cases: false,
        weighed_backlog: false,
        limits: caseload_experiment::Limits::DEFAULT,
    }
}

/// M/M/c: `officers` officers holding one case each, 8 referrals a day of one
/// officer-day's work.
fn mmc(officers: u32) -> ModelConfig {
    ModelConfig {
        age_threshold_days: 1.0,
        ..ModelConfig::new(
            800.0,
            vec![referrals(8.0, 0, 0.0)],
            vec![team("cait", officers, 1)],
        )
    }
}

fn kpi<'a>(results: &'a Results, name: &str, team: Option<&str>) -> (usize, &'a KpiDef) {
    results
        .kpi_defs
        .iter()
        .enumerate()
        .find(|(_, d)| d.name == name && d.team.as_deref() == team)
        .unwrap_or_else(|| panic!("KPI {name} of {team:?}"))
}

fn values(results: &Results, name: &str, team: Option<&str>) -> Vec<f64> {
    let (k, _) = kpi(results, name, team);
    results.per_replication.iter().map(|r| r[k]).collect()
}

#[test]
fn a_team_with_no_officers_and_a_waiting_backlog_is_not_reached_never_zero() {
    // Two teams; the second has no officers, 200 cases waiting at the start and its own
    // referrals. Nobody there is ever allocated.
    let mut model = mmc(12);
    model.teams.push(team("empty", 0, 1));
    model.case_types.push(referrals(0.5, 1, 0.0));
    model.starting_backlog = (0..200)
        .map(|i| StartingCase {
            count: 1,
            case_type: 1,
            team: None,
            age_days: f64::from(i),
            historic: false,
            open: false,
            stage: 0,
        })
        .collect();
    let results = run(&design(model), SEED, 4, &|| ()).expect("valid");
    for name in [
        "days_to_allocate_median",
        "days_to_allocate_p90",
        "days_to_outcome_median",
    ] {
        let (k, _) = kpi(&results, name, Some("empty"));
        let e = &results.kpis[k];
        assert_eq!((e.n, e.not_reached), (4, 4), "{name}: {e:?}");
        assert!(
            values(&results, name, Some("empty"))
                .iter()
                .all(|v| *v == f64::INFINITY)
        );
    }
    // The restricted mean counts every day waited: nearly the whole follow-up on average.
    let waited = values(&results, "days_to_allocate_mean", Some("empty"));
    assert!(waited.iter().all(|&w| w > 300.0), "{waited:?}");
    // The waiting list at the end holds the starting backlog too (200 cases aged 800 to 999
    // days) beside about 400 referrals aged 0 to 800: its median is near 600 days.
    let ages = values(&results, "waiting_age_median_end", Some("empty"));
    assert!(
        ages.iter().all(|&a| (500.0..700.0).contains(&a)),
        "{ages:?}"
    );
    let (k, _) = kpi(&results, "backlog_end", Some("empty"));
    assert!(
        results.kpis[k].mean > 550.0,
        "every waiting case is on the list"
    );
    let share = values(&results, "share_allocated_within_target", Some("empty"));
    assert!(share.iter().all(|&s| s == 0.0));
    // All teams together: about 6 % of referrals never allocated, so the 90th percentile is
    // reached but the all-team mean is far above the staffed team's.
    let all = values(&results, "days_to_allocate_mean", None);
    let staffed = values(&results, "days_to_allocate_mean", Some("cait"));
    assert!(all.iter().zip(&staffed).all(|(a, s)| a > &(5.0 * s)));
}

#[test]
fn sending_cases_to_a_team_with_no_officers_never_shortens_the_reported_wait() {
    // Regression: counting only allocated cases made moving historic cases to an empty team
    // look like an improvement.
    let mut model = mmc(9);
    model.case_types[0].historic_share = 0.3;
    model.teams.push(team("historic", 0, 1));
    let base = design(model.clone());
    model.actions.push(StaffingAction {
        start_day: 200.0,
        end_day: None,
        kind: ActionKind::ReassignHistoric {
            from_teams: vec![0],
            to_team: 1,
            include_queued: true,
            complex_share: 1.0,
        },
        cost_per_officer_day: None,
        bounds: WorkBounds::default(),
        benefit: Benefit::default(),
    });
    let moved = design(model);
    let (a, b) = (
        run(&base, SEED, 6, &|| ()).expect("valid"),
        run(&moved, SEED, 6, &|| ()).expect("valid"),
    );
    for name in [
        "days_to_allocate_mean",
        "days_to_allocate_p90",
        "days_to_outcome_mean",
    ] {
        let (before, after) = (values(&a, name, None), values(&b, name, None));
        for (x, y) in before.iter().zip(&after) {
            assert!(
                y >= x,
                "{name}: {y} after moving cases to nobody, {x} before"
            );
        }
    }
    assert!(values(&b, "backlog_end", None)[0] > values(&a, "backlog_end", None)[0]);
}

#[test]
fn more_officers_never_report_longer_waits_beyond_noise() {
    // Common random numbers: the same referrals at every staffing level, so a paired
    // difference that says "worse" with confidence would be a real error.
    let names = [
        "days_to_allocate_mean",
        "days_to_allocate_p90",
        "days_to_outcome_mean",
        "waiting_age_p90_end",
        "share_waiting_over_threshold_end",
        "backlog_peak",
    ];
    let results: Vec<Results> = (9..=12)
        .map(|c| run(&design(mmc(c)), SEED, 10, &|| ()).expect("valid"))
        .collect();
    for pair in results.windows(2) {
        for name in names {
            let diffs: Vec<f64> = values(&pair[1], name, None)
                .iter()
                .zip(values(&pair[0], name, None))
                .map(|(more, fewer)| more - fewer)
                .collect();
            // Waiting ages are undefined where nobody waits at the end.
            let e = caseload_experiment::Estimate::from_values(diffs);
            assert!(
                !e.has_interval() || e.lo <= 1e-9,
                "{name}: one more officer is worse by {e:?}"
            );
        }
        let more = values(&pair[1], "share_allocated_within_target", None);
        let fewer = values(&pair[0], "share_allocated_within_target", None);
        let diff =
            caseload_experiment::Estimate::from_values(more.iter().zip(&fewer).map(|(m, f)| m - f));
        assert!(
            diff.hi >= -1e-9,
            "share within target falls with more officers: {diff:?}"
        );
    }
    // And the KPI really moves: 9 officers at rho = 0.89 wait far longer than 12.
    let first = values(&results[0], "days_to_allocate_mean", None);
    let last = values(&results[3], "days_to_allocate_mean", None);
    assert!(first.iter().sum::<f64>() > 5.0 * last.iter().sum::<f64>());
}

#[test]
fn daily_bands_are_the_exact_quantiles_of_the_replications() {
    // The validation M/M/10 at rho = 0.8 over 20 replications: the P2 estimate this replaces
    // put the 95th percentile of the backlog at 5.16 on average against an exact 7.20.
    let d = design(mmc(10));
    let reps = 20;
    let results = run(&d, SEED, reps, &|| ()).expect("valid");
    let width = d.series().len();
    let each: Vec<Vec<f32>> = (0..reps)
        .map(|r| run_one(&d, SEED, r).expect("valid").series)
        .collect();
    let mut worst: f64 = 0.0;
    let mut checked = 0;
    for (s, band) in results.bands.iter().enumerate() {
        for day in 0..d.days() {
            let mut column: Vec<f64> = each
                .iter()
                .map(|series| f64::from(series[day * width + s]))
                .filter(|x| !x.is_nan())
                .collect();
            if column.is_empty() {
                continue;
            }
            column.sort_by(f64::total_cmp);
            let q = |p: f64| caseload_experiment::stats::quantile_sorted(&column, p);
            for (got, exact) in [(band.lo[day], q(0.05)), (band.hi[day], q(0.95))] {
                worst = worst.max((got - exact).abs() / exact.abs().max(1.0));
            }
            let mean = column.iter().sum::<f64>() / column.len() as f64;
            worst = worst.max((band.mean[day] - mean).abs() / mean.abs().max(1.0));
            checked += 1;
        }
    }
    assert!(checked > 10_000);
    assert!(
        worst < 1e-9,
        "bands differ from exact quantiles by {worst} (relative)"
    );
}

#[test]
fn every_interval_stays_in_its_domain_and_one_replication_has_none() {
    let d = design(mmc(9));
    let results = run(&d, SEED, 5, &|| ()).expect("valid");
    for (def, e) in results.kpi_defs.iter().zip(&results.kpis) {
        let (min, max) = def.domain.range();
        if e.has_interval() {
            assert!(
                min <= e.lo && e.lo <= e.mean && e.mean <= e.hi && e.hi <= max,
                "{def:?} {e:?}"
            );
        }
    }
    let one = run(&d, SEED, 1, &|| ()).expect("valid");
    assert!(one.kpis.iter().all(|e| !e.has_interval()));
}

#[test]
fn days_to_outcome_is_reported_per_case_type_across_the_teams_it_is_split_over() {
    // Two teams of ample officers (no queue, no sharing: one case each) and two case types.
    // `interview` is split over both teams (model types `interview@north` and
    // `interview@south`) and takes a fixed 2 days' wait; `strategy` takes a fixed 5-day wait.
    // Every referral is allocated on arrival, so days to outcome are exactly 2 and 5.
    let fixed_wait = |name: &str, days: f64, team: TeamId| CaseType {
        name: name.into(),
        stages: vec![Stage::Wait(Dist::fixed(days).expect("valid"))],
        ..referrals(1.0, team, 0.0)
    };
    let model = ModelConfig {
        case_types: vec![
            fixed_wait("interview@north", 2.0, 0),
            fixed_wait("interview@south", 2.0, 1),
            fixed_wait("strategy", 5.0, 0),
        ],
        teams: vec![team("north", 40, 1), team("south", 40, 1)],
        ..mmc(1)
    };
    let results = run(&design(model), SEED, 3, &|| ()).expect("valid");
    let median = |name: &str| values(&results, name, None);
    assert!(
        median("days_to_outcome_median_interview")
            .iter()
            .all(|&d| (d - 2.0).abs() < 1e-9)
    );
    assert!(
        median("days_to_outcome_median_strategy")
            .iter()
            .all(|&d| (d - 5.0).abs() < 1e-9)
    );
    // Three referral streams of one a day: two of every three take 2 days, so the median of
    // all is 2 and the mean about (2 + 2 + 5) / 3 = 3.
    assert!(
        median("days_to_outcome_median")
            .iter()
            .all(|&d| (d - 2.0).abs() < 1e-9)
    );
    let mean = median("days_to_outcome_mean");
    assert!(mean.iter().all(|&d| (d - 3.0).abs() < 0.3), "{mean:?}");
    // Per team, not per type: no `days_to_outcome_median_interview@north`.
    assert!(
        !results
            .kpi_defs
            .iter()
            .any(|d| d.name == "days_to_outcome_median_interview" && d.team.is_some())
    );
}

#[test]
fn withdrawn_referrals_are_counted_and_never_allocated() {
    // A team with no officers whose victims withdraw after an exponential 50 days' wait:
    // nobody is allocated, so a referral arriving at age a of the KPI period (length T) has
    // withdrawn by the end with probability 1 - exp(-(T - a) / 50); over uniform arrivals the
    // share is 1 - (50 / T) (1 - exp(-T / 50)).
    let mut model = mmc(12);
    model.teams.push(team("empty", 0, 1));
    let mut waiting = referrals(4.0, 1, 0.0);
    waiting.withdrawal = Some(Dist::exponential(50.0).expect("valid"));
    model.case_types.push(waiting);
    let results = run(&design(model), SEED, 20, &|| ()).expect("valid");
    let span = 800.0 - 100.0;
    let expected = 1.0 - (50.0 / span) * (1.0 - (-span / 50.0_f64).exp());
    let (k, def) = kpi(&results, "share_withdrawn", Some("empty"));
    let e = &results.kpis[k];
    assert_eq!(def.unit, "share");
    assert!(
        e.lo <= expected && expected <= e.hi,
        "share withdrawn {e:?} vs {expected}"
    );
    // About 4 x 700 referrals a replication, most withdrawn, none allocated: the time to
    // allocation is never reached, and the other team, without withdrawal, withdraws none.
    let withdrawn = values(&results, "withdrawn", Some("empty"));
    assert!(
        withdrawn.iter().all(|&w| w > 2_000.0 && w < 2_800.0),
        "{withdrawn:?}"
    );
    assert!(
        values(&results, "days_to_allocate_median", Some("empty"))
            .iter()
            .all(|v| v.is_infinite())
    );
    assert!(
        values(&results, "withdrawn", Some("cait"))
            .iter()
            .all(|&w| w == 0.0)
    );
    // All teams: the sum of the teams.
    let all = values(&results, "withdrawn", None);
    assert_eq!(all, withdrawn);
}

/// M/M/c+M (Erlang A): the mean time to allocation is that of the referrals allocated (their
/// victims did not withdraw), as theory's mean wait of those served, with the share who
/// withdrew beside it; the Kaplan-Meier quantiles count a withdrawal as never allocated.
#[test]
fn the_mean_time_to_allocation_is_of_the_referrals_allocated_as_erlang_a_says() {
    // 10 officers, one case each, one officer-day's work, 11 referrals a day (overloaded
    // without withdrawal), patience 2 days on average: mu = 1, theta = 0.5.
    let (servers, lambda, theta) = (10u32, 11.0, 0.5);
    let mut model = ModelConfig {
        age_threshold_days: 1.0,
        ..ModelConfig::new(
            3_000.0,
            vec![referrals(lambda, 0, 0.0)],
            vec![team("cait", servers, 1)],
        )
    };
    model.case_types[0].withdrawal = Some(Dist::exponential(1.0 / theta).expect("valid"));
    let results = run(&design(model), SEED, 16, &|| ()).expect("valid");
    let exact = caseload_des::theory::erlang_a(servers, lambda, 1.0, theta).expect("valid");
    let means = values(&results, "days_to_allocate_mean", None);
    caseload_testkit::assert_covers("mean days to allocation", &means, exact.wait_served);
    let shares = values(&results, "share_withdrawn", None);
    caseload_testkit::assert_covers("share withdrawn", &shares, exact.abandon);
    // Counted as never allocated, about 15 % of referrals keep the 90th percentile beyond
    // the run.
    assert!(exact.abandon > 0.1, "{exact:?}");
    assert!(
        values(&results, "days_to_allocate_p90", None)
            .iter()
            .all(|v| v.is_infinite()),
        "the 90th percentile counts withdrawals as never allocated"
    );
}

#[test]
fn without_withdrawal_no_withdrawal_measure_is_reported() {
    let results = run(&design(mmc(12)), SEED, 2, &|| ()).expect("valid");
    assert!(
        results
            .kpi_defs
            .iter()
            .all(|d| d.name != "withdrawn" && d.name != "share_withdrawn")
    );
}

#[test]
fn outcome_shares_follow_the_time_each_case_took() {
    // Victim share 0.2 at once, rising 0.5 a year: a busy team's cases end as NFA (victim)
    // with the mean over completed cases of 0.2 + 0.5 d / 365.
    let mut model = mmc(9);
    model.case_types[0].outcomes = Some(Outcomes {
        charge: 0.3,
        nfa_evidential: 0.5,
        nfa_victim: 0.2,
        nfa_victim_per_year: 0.5,
    });
    let mut d = design(model);
    d.keep_cases = true;
    let results = run(&d, SEED, 4, &|| ()).expect("valid");
    let rules = d.model.case_types[0].outcomes.clone().expect("outcomes");
    let (mut expected, mut observed, mut n) = ([0.0; 3], [0.0; 3], 0.0);
    for (_, case) in &results.cases {
        let (Some(done), Some(outcome)) = (case.completed_day, case.outcome) else {
            assert!(
                case.completed_day.is_none(),
                "a completed case has its outcome"
            );
            continue;
        };
        if case.arrival_day < 100.0 {
            continue;
        }
        let shares = rules.shares_after(done - case.arrival_day);
        for k in 0..3 {
            expected[k] += shares[k];
        }
        observed[outcome.index()] += 1.0;
        n += 1.0;
    }
    assert!(n > 20_000.0, "{n} cases");
    for k in 0..3 {
        let p = expected[k] / n;
        let sd = (p * (1.0 - p) / n).sqrt();
        assert!(
            (observed[k] / n - p).abs() < 4.0 * sd,
            "{:?}: {} vs {p}",
            Outcome::ALL[k],
            observed[k] / n
        );
    }
    // The KPIs count the same cases.
    let victim = values(&results, "outcome_nfa_victim", None);
    let share = values(&results, "share_outcome_nfa_victim", None);
    assert_eq!(victim.iter().sum::<f64>(), observed[2]);
    // The daily series counts every completion with an outcome, from the start: at the
    // end, the mean over replications of all of them.
    let band = results
        .total_band(caseload_experiment::Metric::Outcome(Outcome::NfaVictim))
        .expect("kept with outcomes");
    let all_victim = results
        .cases
        .iter()
        .filter(|(_, c)| c.outcome == Some(Outcome::NfaVictim))
        .count() as f64;
    let last = *band.mean.last().expect("days");
    assert!(
        (last - all_victim / 4.0).abs() < 1e-3 * last,
        "{last} vs {}",
        all_victim / 4.0
    );
    assert!(share.iter().all(|&s| s > 0.15 && s < 0.25), "{share:?}");
}

#[test]
fn the_share_meeting_a_stage_standard_counts_every_referral() {
    // A fixed 8-hour first stage at 8 hours a day with officers always free: it finishes a
    // day after the referral, so a 2-day standard is always met and a half-day one never.
    let fixed = |hours: f64| Stage::Work(Dist::fixed(hours).expect("valid"));
    let share_for = |days: f64, officers: u32| {
        let mut model = mmc(officers);
        model.case_types[0].stages = vec![fixed(8.0), fixed(8.0)];
        model.case_types[0].standard = Some(StageStandard { stage: 0, days });
        model.teams[0].caseload_cap = 100;
        let results = run(&design(model), SEED, 3, &|| ()).expect("valid");
        (
            values(&results, "share_meeting_standard", None),
            values(&results, "overdue_end", None),
        )
    };
    let (met, overdue) = share_for(2.0, 40);
    assert!(met.iter().all(|&s| s == 1.0), "{met:?}");
    assert!(overdue.iter().all(|&o| o == 0.0), "{overdue:?}");
    let (met, overdue) = share_for(0.5, 40);
    assert!(met.iter().all(|&s| s == 0.0), "{met:?}");
    // About four referrals a half-day are past it at any time (8 a day, each taking a day).
    assert!(overdue.iter().all(|&o| o > 0.0 && o < 12.0), "{overdue:?}");
    // Nobody to do the work: never met, and every referral past its 2 days is overdue.
    let (met, overdue) = share_for(2.0, 0);
    assert!(met.iter().all(|&s| s == 0.0), "{met:?}");
    assert!(overdue.iter().all(|&o| o > 5_000.0), "{overdue:?}");
}

#[test]
fn the_weighed_backlog_counts_hours_harm_and_child_days_at_risk() {
    // A team with no officers: every referral after the warm-up waits to the end (day 800),
    // one 24-hour case each, harm weight 3. harm_weighted_days_waiting is 3 times the days
    // each waited; unallocated_hours at the end is 24 per waiting case; the harm-weighted
    // backlog is 3 per waiting case; the series by type counts them all.
    let mut model = mmc(12);
    model.teams.push(team("empty", 0, 1));
    let mut heavy = referrals(0.5, 1, 0.0);
    heavy.stages = vec![Stage::Work(Dist::fixed(24.0).expect("valid"))];
    heavy.harm_weight = 3.0;
    model.case_types.push(heavy);
    let mut d = design(model);
    d.weighed_backlog = true;
    let one = caseload_experiment::run_one(&d, SEED, 0).expect("valid");
    let results = run(&d, SEED, 1, &|| ()).expect("valid");
    let value = |name: &str| values(&results, name, Some("empty"))[0];
    let waiting = value("backlog_end");
    assert!(waiting > 300.0, "{waiting}");
    assert_eq!(value("unallocated_hours_end"), 24.0 * waiting);
    assert_eq!(value("harm_weighted_backlog_end"), 3.0 * waiting);
    // Referrals after the warm-up (day 100) waited 800 - arrival days each, to the end.
    let mut kept = d.clone();
    kept.keep_cases = true;
    let cases = run(&kept, SEED, 1, &|| ()).expect("valid").cases;
    let expected: f64 = cases
        .iter()
        .filter(|(_, c)| c.team == 1 && c.arrival_day >= 100.0)
        .map(|(_, c)| 3.0 * (800.0 - c.arrival_day))
        .sum();
    let harm_days = value("harm_weighted_days_waiting");
    assert!(expected > 0.0);
    assert!(
        (harm_days - expected).abs() < 1e-9 * expected,
        "{harm_days} vs {expected}"
    );
    assert!(one.events > 0);
    // Series by priority and by type sum to the backlog on every day.
    let defs = &results.series_defs;
    let find = |m: caseload_experiment::Metric| {
        defs.iter()
            .position(|s| s.team == Some(1) && s.metric == m)
            .expect("kept")
    };
    let total = &results.bands[find(caseload_experiment::Metric::Unallocated)].mean;
    let by_type = &results.bands[find(caseload_experiment::Metric::UnallocatedOfType(0))].mean;
    let by_level = &results.bands[find(caseload_experiment::Metric::UnallocatedAtPriority(1))].mean;
    assert_eq!(total, by_type);
    assert_eq!(total, by_level);
}

#[test]
fn share_requires_improvement_counts_the_judged_investigations_after_the_warm_up() {
    let mut model = mmc(12);
    model.quality = Some(Quality {
        intercept: 1.0,
        comfortable_caseload: 0,
        per_case_above_comfortable: 0.0,
        per_100_days: 0.0,
        trained: 0.0,
        per_inexperience: 0.0,
        per_supervision_ratio: 0.0,
    });
    let mut d = design(model);
    d.keep_cases = true;
    let results = run(&d, SEED, 1, &|| ()).expect("valid");
    let judged: Vec<bool> = results
        .cases
        .iter()
        .filter(|(_, c)| c.arrival_day >= 100.0)
        .filter_map(|(_, c)| c.requires_improvement)
        .collect();
    let requires = judged.iter().filter(|&&r| r).count() as f64;
    assert_eq!(values(&results, "requires_improvement", None)[0], requires);
    let share = values(&results, "share_requires_improvement", Some("cait"))[0];
    assert!((share - requires / judged.len() as f64).abs() < 1e-12);
    // logistic(1) = 0.731
    assert!((share - 0.731).abs() < 0.03, "{share}");
}
