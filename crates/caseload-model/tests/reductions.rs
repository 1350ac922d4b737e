//! The model reduces to textbook queues: each check builds a 99 % Student-t interval from
//! independent replications and asserts the theory value lies inside it (see `common`).
//! Every replication also checks conservation at each daily snapshot and the exact
//! case-days identity behind Little's law.

use crate::common;

use caseload_des::{Dist, theory};
use caseload_model::{Discipline, Stage};
use common::*;

#[test]
fn cap_one_constant_hours_exponential_effort_is_erlang_c() {
    // 10 officers, one case each, 1 hour a day, 1-hour mean effort: M/M/10, mu = 1 a day.
    let (servers, lambda) = (10, 8.0);
    let cfg = config(
        12_000.0,
        vec![case_type(lambda, vec![work(1.0)], 0)],
        vec![team(servers, 1, 1.0)],
    );
    let runs = replicate(&cfg, 1_000.0);
    let mmc = theory::mmc(servers, lambda, 1.0).expect("stable");
    let waits: Vec<f64> = runs.iter().map(|(_, r)| mean(&r.waits)).collect();
    assert_covers("time to allocation", &waits, mmc.wait);
    let queue: Vec<f64> = runs
        .iter()
        .map(|(_, r)| r.daily_mean(|total, _| f64::from(total.unallocated)))
        .collect();
    assert_covers("unallocated backlog", &queue, mmc.queue_length);
    let open: Vec<f64> = runs
        .iter()
        .map(|(_, r)| r.daily_mean(|total, _| f64::from(total.open)))
        .collect();
    assert_covers("open cases", &open, lambda);
}

#[test]
fn exponential_patience_is_erlang_a() {
    // M/M/10+M: 10 officers, one case each, 1-hour mean effort at 1 hour a day (mu = 1 a
    // day), 11 referrals a day (overloaded without withdrawal), patience 2 days on average.
    let (servers, lambda, theta) = (10, 11.0, 0.5);
    let mut referrals = case_type(lambda, vec![work(1.0)], 0);
    referrals.withdrawal = Some(Dist::exponential(1.0 / theta).expect("valid"));
    let cfg = config(4_000.0, vec![referrals], vec![team(servers, 1, 1.0)]);
    let warm_up = 200.0;
    let runs = replicate(&cfg, warm_up);
    let exact = theory::erlang_a(servers, lambda, 1.0, theta).expect("valid");
    let shares: Vec<f64> = runs
        .iter()
        .map(|(_, r)| {
            let after = |c: &&caseload_model::CaseRecord| c.arrival_day >= warm_up;
            let withdrawn = r.withdrawn.iter().filter(after).count();
            let all = withdrawn
                + r.completed.iter().filter(after).count()
                + r.unfinished.iter().filter(after).count();
            withdrawn as f64 / all as f64
        })
        .collect();
    assert_covers("share withdrawing", &shares, exact.abandon);
    let waits: Vec<f64> = runs.iter().map(|(_, r)| mean(&r.waits)).collect();
    assert_covers("wait of those allocated", &waits, exact.wait_served);
    let queue: Vec<f64> = runs
        .iter()
        .map(|(_, r)| r.daily_mean(|total, _| f64::from(total.unallocated)))
        .collect();
    assert_covers("unallocated backlog", &queue, exact.queue_length);
    for (summary, r) in &runs {
        assert_eq!(
            summary.withdrawn as usize,
            r.withdrawn.len(),
            "counted, never lost"
        );
        assert!(r.withdrawn.iter().all(|c| c.allocated_day.is_none()));
    }
}

#[test]
fn one_investigator_any_cap_has_the_mm1_time_in_system() {
    let (lambda, mu) = (0.7, 1.0);
    let expected = theory::mm1_sojourn(lambda, mu).expect("stable");
    for cap in [1, 3, 8] {
        let cfg = config(
            40_000.0,
            vec![case_type(lambda, vec![work(1.0)], 0)],
            vec![team(1, cap, 1.0)],
        );
        let runs = replicate_lean(&cfg, 2_000.0);
        let sojourns: Vec<f64> = runs.iter().map(|(_, r)| mean(&r.sojourns)).collect();
        assert_covers(&format!("time in system, cap {cap}"), &sojourns, expected);
    }
}

#[test]
fn unreached_cap_is_processor_sharing_and_insensitive_to_effort_distribution() {
    let (lambda, mu) = (0.5, 1.0);
    let expected = theory::mm1_sojourn(lambda, mu).expect("stable");
    for (label, effort) in [
        ("exponential", Dist::exponential(1.0).expect("valid")),
        ("lognormal cv 2", Dist::lognormal(1.0, 2.0).expect("valid")),
    ] {
        let cfg = config(
            60_000.0,
            vec![case_type(lambda, vec![Stage::Work(effort)], 0)],
            vec![team(1, 10_000, 1.0)],
        );
        let runs = replicate_lean(&cfg, 2_000.0);
        for (_, r) in &runs {
            assert!(
                r.waits.iter().all(|w| *w == 0.0),
                "a cap never reached means no wait"
            );
        }
        let service: Vec<f64> = runs.iter().map(|(_, r)| mean(&r.in_service)).collect();
        assert_covers(&format!("PS sojourn, {label} effort"), &service, expected);
    }
}

#[test]
fn zero_effort_and_one_exponential_wait_stage_is_mm_c_times_k() {
    // 3 officers holding up to 4 cases each: 12 slots, each case holds one for an
    // exponential day: M/M/12.
    let (officers, cap, lambda) = (3, 4, 10.0);
    let stages = vec![
        Stage::Work(Dist::fixed(0.0).expect("valid")),
        Stage::Wait(Dist::exponential(1.0).expect("valid")),
    ];
    let cfg = config(
        8_000.0,
        vec![case_type(lambda, stages, 0)],
        vec![team(officers, cap, 1.0)],
    );
    let runs = replicate(&cfg, 500.0);
    let mmc = theory::mmc(officers * cap, lambda, 1.0).expect("stable");
    let waits: Vec<f64> = runs.iter().map(|(_, r)| mean(&r.waits)).collect();
    assert_covers("time to allocation, M/M/12", &waits, mmc.wait);
}

#[test]
fn littles_law_holds_on_the_unallocated_queue() {
    // L = lambda W over the whole run: the time-average backlog equals the arrival rate times
    // the mean time unallocated (the identity is exact per run; here, the statistical form).
    let lambda = 8.0;
    let cfg = config(
        5_000.0,
        vec![case_type(lambda, vec![work(1.0)], 0)],
        vec![team(10, 1, 1.0)],
    );
    for (summary, rec) in replicate(&cfg, 0.0).iter().take(5) {
        let backlog = summary.unallocated_case_days / cfg.horizon_days;
        let mean_wait = rec.unallocated_days_total / summary.arrived as f64;
        let observed_rate = summary.arrived as f64 / cfg.horizon_days;
        assert!(
            (backlog - observed_rate * mean_wait).abs() <= 1e-9 * backlog.max(1.0),
            "L {backlog} vs lambda W {}",
            observed_rate * mean_wait
        );
        assert!(
            (observed_rate / lambda - 1.0).abs() < 0.02,
            "arrival rate {observed_rate}"
        );
    }
}

/// A team of one officer whose cap is never reached, working as `discipline` with `limit`.
fn one_officer(discipline: Discipline, limit: Option<u32>) -> caseload_model::TeamConfig {
    let mut t = team(1, 10_000, 1.0);
    t.discipline = discipline;
    t.active_limit = limit;
    t
}

#[test]
fn an_active_limit_of_one_is_fcfs_mg1_pollaczek_khinchine() {
    // One officer, 1 hour a day, lognormal effort of mean 1 hour and cv 1.5, 0.5 referrals a
    // day, worked one at a time in arrival order: M/G/1 FCFS, mean sojourn 1 + 0.5 x 3.25 / 1
    // = 2.625 days (processor sharing would give 2).
    let lambda = 0.5;
    let effort = Dist::lognormal(1.0, 1.5).expect("valid");
    let expected = theory::mg1(lambda, effort.mean(), effort.second_moment())
        .expect("stable")
        .sojourn;
    let cfg = config(
        60_000.0,
        vec![case_type(lambda, vec![Stage::Work(effort)], 0)],
        vec![one_officer(Discipline::Equal, Some(1))],
    );
    let runs = replicate_lean(&cfg, 2_000.0);
    let sojourns: Vec<f64> = runs.iter().map(|(_, r)| mean(&r.sojourns)).collect();
    assert_covers("FCFS sojourn, active limit 1", &sojourns, expected);
}

#[test]
fn the_priority_discipline_is_preemptive_priority_mm1_per_class() {
    // Two classes on one officer, exponential effort of mean 1 hour at 1 hour a day: urgent
    // (priority 0) 0.3 a day, routine (priority 1) 0.4 a day. Preemptive-resume priority:
    // 1 / 0.7 and 1 / (0.7 x 0.3) days in the system (non-preemptive would give 1.857 and
    // 4.048; equal sharing 3.33 for both).
    let (urgent, routine) = (0.3, 0.4);
    let expected =
        theory::preemptive_priority_mg1_sojourns(&[(urgent, 1.0, 2.0), (routine, 1.0, 2.0)])
            .expect("stable");
    let mut low = case_type(routine, vec![work(1.0)], 0);
    low.priority = 1;
    let cfg = config(
        40_000.0,
        vec![case_type(urgent, vec![work(1.0)], 0), low],
        vec![one_officer(Discipline::Priority, None)],
    );
    let warm_up = 2_000.0;
    let runs = replicate(&cfg, warm_up);
    for (class, want) in expected.iter().enumerate() {
        let sojourns: Vec<f64> = runs
            .iter()
            .map(|(_, r)| {
                let of_class: Vec<f64> = r
                    .completed
                    .iter()
                    .filter(|c| c.arrival_day >= warm_up && c.arrival_priority as usize == class)
                    .map(|c| c.completed_day.expect("completed") - c.arrival_day)
                    .collect();
                mean(&of_class)
            })
            .collect();
        assert_covers(&format!("priority {class} sojourn"), &sojourns, *want);
    }
}

#[test]
fn limited_processor_sharing_lies_between_its_bounds() {
    // Lognormal effort (mean 1 hour, cv 1.5) at load 0.8 on one officer: processor sharing
    // (no limit) gives 5 days in the system, first come first served (limit 1) 7.5. Working
    // at most 2 cases at once lands strictly between, each bound outside the 99 % interval.
    let lambda = 0.8;
    let effort = Dist::lognormal(1.0, 1.5).expect("valid");
    let ps = theory::mm1_sojourn(lambda, 1.0).expect("stable");
    let fcfs = theory::mg1(lambda, 1.0, effort.second_moment())
        .expect("stable")
        .sojourn;
    let cfg = config(
        100_000.0,
        vec![case_type(lambda, vec![Stage::Work(effort)], 0)],
        vec![one_officer(Discipline::Equal, Some(2))],
    );
    let runs = replicate_lean(&cfg, 2_000.0);
    let sojourns: Vec<f64> = runs.iter().map(|(_, r)| mean(&r.sojourns)).collect();
    let (m, half) = (mean(&sojourns), half_width(&sojourns, CONFIDENCE));
    assert!(
        m - half > ps && m + half < fcfs,
        "limit 2: {m:.3} +/- {half:.3} not strictly between PS {ps:.3} and FCFS {fcfs:.3}"
    );
}
