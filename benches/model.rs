//! One 10-year replication of a London-sized configuration: about 2,400 serious sexual-offence
//! referrals a year growing 8 % a year, 6,000 other crimes and 10,500 non-crime referrals,
//! 456 investigators in 8 teams with attrition, posting panels and new starters. Reported as
//! events per second; the time per iteration is one replication. A second variant pools all
//! teams (daily review), the slowest allocation path; two more work the cases by priority
//! (pre-emptive) and three at a time per officer. The `replication` group runs the same
//! configuration through the whole replication path: the model with the KPI observer (every
//! daily series per team, times to allocation and outcome, waiting lists), then 20
//! replications in parallel with their KPIs summarised and the daily bands folded.

// criterion's macros generate undocumented public functions.
#![allow(missing_docs)]

use caseload_des::{DAYS_PER_YEAR, RngStreams};
use caseload_model::*;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

#[path = "common/london.rs"]
mod london;

use london::london;

fn replication(c: &mut Criterion) {
    let mut group = c.benchmark_group("model");
    group.sample_size(10);
    for (name, pooled, discipline, limit) in [
        ("london_10y", false, Discipline::Equal, None),
        ("london_10y_pooled", true, Discipline::Equal, None),
        ("london_10y_priority", false, Discipline::Priority, None),
        (
            "london_10y_active_limit_3",
            false,
            Discipline::Equal,
            Some(3),
        ),
    ] {
        let config = london(pooled, discipline, limit);
        let summary = run_replication(&config, &RngStreams::new(1, 0), &mut ()).expect("valid");
        println!(
            "{name}: {} events, {} referrals, {} completed, {} waiting at the end",
            summary.events, summary.arrived, summary.completed, summary.unallocated
        );
        group.throughput(Throughput::Elements(summary.events));
        group.bench_function(name, |b| {
            b.iter(|| {
                black_box(
                    run_replication(&config, &RngStreams::new(1, 0), &mut ())
                        .expect("valid")
                        .events,
                )
            })
        });
    }
    group.finish();
}

fn with_statistics(c: &mut Criterion) {
    let mut group = c.benchmark_group("replication");
    group.sample_size(10);
    let design = caseload_experiment::Design {
        model: london(false, Discipline::Equal, None),
        warmup_days: DAYS_PER_YEAR.round(),
        thresholds: caseload_experiment::Thresholds {
            allocation_target_days: 7.0,
            backlog_breach: Some(1_000.0),
            recovery_backlog: Some(200.0),
        },
        census: vec![],
        years: (1..10)
            .map(|y| caseload_experiment::Period {
                label: format!("year {y}"),
                start_day: (f64::from(y) * DAYS_PER_YEAR).round() as u32,
                end_day: (f64::from(y + 1) * DAYS_PER_YEAR).round() as u32,
            })
            .collect(),
        keep_cases: false,
        weighed_backlog: false,
        limits: caseload_experiment::Limits::DEFAULT,
    };
    let one = caseload_experiment::run_one(&design, 1, 0).expect("valid");
    group.throughput(Throughput::Elements(one.events));
    group.bench_function("london_10y_with_statistics", |b| {
        b.iter(|| {
            black_box(
                caseload_experiment::run_one(&design, 1, 0)
                    .expect("valid")
                    .events,
            )
        })
    });
    let reps = 20;
    let all = caseload_experiment::run(&design, 1, reps, &|| ()).expect("valid");
    group.throughput(Throughput::Elements(all.events));
    group.bench_function("london_10y_20_replications", |b| {
        b.iter(|| {
            black_box(
                caseload_experiment::run(&design, 1, reps, &|| ())
                    .expect("valid")
                    .events,
            )
        })
    });
    group.finish();
}

criterion_group!(benches, replication, with_statistics);
criterion_main!(benches);
