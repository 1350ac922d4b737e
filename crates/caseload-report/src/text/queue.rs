//! What `caseload queue` prints.

use std::fmt::Write as _;

use caseload_des::reference::QueueStats;
use caseload_des::theory::QueueMeans;

/// The queue simulated.
#[derive(Debug, Clone, Copy)]
pub struct QueueHeading {
    /// Servers.
    pub servers: u32,
    /// Arrivals per unit time.
    pub arrival_rate: f64,
    /// Mean service time, units of time.
    pub service_mean: f64,
    /// Whether service is exponential (M), else general (G).
    pub markovian: bool,
    /// Customers simulated.
    pub arrivals: u64,
    /// The seed.
    pub seed: u64,
}

/// What `caseload queue` prints: the queue, the simulated means beside theory's where a
/// closed form applies, and the engine's speed.
pub fn queue(
    args: &QueueHeading,
    stats: &QueueStats,
    theory: Option<QueueMeans>,
    seconds: f64,
) -> String {
    let total = stats.total();
    let mut out = String::new();
    let kind = if args.markovian { "M" } else { "G" };
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
