//! `caseload queue`: the engine's reference M/M/c (or M/G/c) queue, with its theory values.

use std::time::Instant;

use anyhow::{Context, bail};
use caseload_des::reference::{CustomerClass, QueueConfig, run_queue};
use caseload_des::{Dist, RngStreams, theory};
use caseload_report::text::QueueHeading;
use clap::Args;

/// Options of `caseload queue`.
#[derive(Debug, Args)]
pub struct QueueArgs {
    /// Number of servers.
    #[arg(long, default_value_t = 50)]
    servers: u32,
    /// Arrival rate, customers per unit time.
    #[arg(long, default_value_t = 45.0)]
    arrival_rate: f64,
    /// Mean service time, units of time.
    #[arg(long, default_value_t = 1.0)]
    service_mean: f64,
    /// Coefficient of variation of a lognormal service time; exponential if not given.
    #[arg(long)]
    service_cv: Option<f64>,
    /// Customers to simulate.
    #[arg(long, default_value_t = 1_000_000)]
    arrivals: u64,
    /// Master random seed.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

/// Runs the queue and returns the report to print.
pub fn run(args: &QueueArgs) -> anyhow::Result<String> {
    if args.servers == 0 {
        bail!("--servers must be at least 1");
    }
    if !(args.arrival_rate.is_finite() && args.arrival_rate > 0.0) {
        bail!(
            "--arrival-rate must be a positive number, got {}",
            args.arrival_rate
        );
    }
    let service = match args.service_cv {
        None => Dist::exponential(args.service_mean),
        Some(cv) => Dist::lognormal(args.service_mean, cv),
    }
    .context("invalid service time")?;
    let config = QueueConfig {
        servers: args.servers,
        capacity: None,
        classes: vec![CustomerClass {
            arrival_rate: args.arrival_rate,
            service: service.clone(),
        }],
        warm_up: 0.0,
        horizon: f64::INFINITY,
        max_arrivals: Some(args.arrivals),
    };
    let start = Instant::now();
    let stats = run_queue(&config, &RngStreams::new(args.seed, 0));
    let seconds = start.elapsed().as_secs_f64();
    let theory = theory::queue_means(args.servers, args.arrival_rate, &service);
    Ok(caseload_report::text::queue(
        &QueueHeading {
            servers: args.servers,
            arrival_rate: args.arrival_rate,
            service_mean: args.service_mean,
            markovian: args.service_cv.is_none(),
            arrivals: args.arrivals,
            seed: args.seed,
        },
        &stats,
        theory,
        seconds,
    ))
}
