//! Engine throughput: the M/M/c workload of the speed target (c = 50, lambda = 45, mu = 1,
//! 1,000,000 arrivals, 2,000,000 events), FIFO and with 3 non-preemptive priority classes, and
//! the bare calendar. Figures are events per second.

// criterion's macros generate undocumented public functions.
#![allow(missing_docs)]

use caseload_des::reference::{CustomerClass, QueueConfig, run_queue};
use caseload_des::{Calendar, Dist, RngStreams};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

const ARRIVALS: u64 = 1_000_000;
const SERVERS: u32 = 50;
const LAMBDA: f64 = 45.0;
const MU: f64 = 1.0;

fn mmc_config(classes: usize) -> QueueConfig {
    let service = Dist::exponential(1.0 / MU).expect("valid service rate");
    QueueConfig {
        servers: SERVERS,
        capacity: None,
        classes: (0..classes)
            .map(|_| CustomerClass {
                arrival_rate: LAMBDA / classes as f64,
                service: service.clone(),
            })
            .collect(),
        warm_up: 0.0,
        horizon: f64::INFINITY,
        max_arrivals: Some(ARRIVALS),
    }
}

fn engine(c: &mut Criterion) {
    let mut group = c.benchmark_group("engine");
    group.sample_size(20);
    for (name, classes) in [("mmc_fifo", 1), ("mmc_priority3", 3)] {
        let config = mmc_config(classes);
        let events = run_queue(&config, &RngStreams::new(42, 0)).events;
        group.throughput(Throughput::Elements(events));
        group.bench_with_input(BenchmarkId::new(name, events), &config, |b, config| {
            b.iter(|| black_box(run_queue(config, &RngStreams::new(42, 0)).events))
        });
    }
    group.finish();
}

fn calendar(c: &mut Criterion) {
    // A hold model: a steady population of 1,000 pending events, each pop schedules one.
    const POPULATION: u64 = 1_000;
    const HOLDS: u64 = 1_000_000;
    let mut group = c.benchmark_group("calendar");
    group.sample_size(20);
    group.throughput(Throughput::Elements(HOLDS));
    group.bench_function("hold_1000", |b| {
        b.iter(|| {
            let mut cal = Calendar::with_capacity(POPULATION as usize);
            let mut x = 0x2545_f491_4f6c_dd1du64;
            for i in 0..POPULATION {
                cal.schedule(i as f64, i);
            }
            for _ in 0..HOLDS {
                let (now, ev) = cal.pop().expect("population is steady");
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                cal.schedule(now + (x >> 40) as f64 / 16_777_216.0 * 2.0, ev);
            }
            black_box(cal.len())
        })
    });
    group.finish();
}

criterion_group!(benches, engine, calendar);
criterion_main!(benches);
