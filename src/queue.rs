//! `caseload queue`: the engine's reference M/M/c (or M/G/c) queue, with its theory values.

use std::fmt::Write;
use std::time::Instant;

use anyhow::{Context, bail};
use caseload_des::reference::{CustomerClass, QueueConfig, QueueStats, run_queue};
use caseload_des::{Dist, RngStreams, theory};
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
    Ok(report(args, &service, &stats, seconds))
}

fn report(args: &QueueArgs, service: &Dist, stats: &QueueStats, seconds: f64) -> String {
    let total = stats.total();
    let theory = if args.service_cv.is_none() {
        theory::mmc(args.servers, args.arrival_rate, 1.0 / args.service_mean)
    } else if args.servers == 1 {
        theory::mg1(args.arrival_rate, service.mean(), service.second_moment())
    } else {
        None
    };
    let mut out = String::new();
    let kind = if args.service_cv.is_some() { "G" } else { "M" };
    let rho = args.arrival_rate * args.service_mean / f64::from(args.servers);
    let _ = writeln!(
        out,
        "M/{kind}/{} queue, utilisation {rho:.3}, {} customers, seed {}",
        args.servers, args.arrivals, args.seed
    );
    let _ = writeln!(out, "{:<22}{:>14}{:>14}", "", "simulated", "theory");
    let rows = [
        ("mean wait", total.mean_wait(), theory.map(|t| t.wait)),
        (
            "mean time in system",
            total.mean_sojourn(),
            theory.map(|t| t.sojourn),
        ),
        (
            "mean queue length",
            stats.mean_queue_length(),
            theory.map(|t| t.queue_length),
        ),
    ];
    for (name, simulated, theory) in rows {
        let theory = theory.map_or_else(|| "-".to_string(), |t| format!("{t:.5}"));
        let _ = writeln!(out, "{name:<22}{simulated:>14.5}{theory:>14}");
    }
    let _ = writeln!(
        out,
        "{} events in {seconds:.3} s ({:.1} million events per second)",
        stats.events,
        stats.events as f64 / seconds / 1e6
    );
    out
}
