//! The engine bench workload as a plain program, for whole-run timing and peak memory
//! (`/usr/bin/time -v`): M/M/c with c = 50, lambda = 45, mu = 1.
//!
//! `cargo run --release -p caseload-des --example mmc -- [ARRIVALS]`

use std::time::Instant;

use caseload_des::reference::{CustomerClass, QueueConfig, run_queue};
use caseload_des::{Dist, RngStreams, theory};

fn main() {
    let arrivals: u64 = match std::env::args().nth(1).map(|a| a.parse()) {
        None => 1_000_000,
        Some(Ok(n)) => n,
        Some(Err(e)) => {
            eprintln!("ARRIVALS must be a whole number: {e}");
            std::process::exit(2);
        }
    };
    let config = QueueConfig {
        servers: 50,
        capacity: None,
        classes: vec![CustomerClass {
            arrival_rate: 45.0,
            service: Dist::exponential(1.0).expect("valid mean"),
        }],
        warm_up: 0.0,
        horizon: f64::INFINITY,
        max_arrivals: Some(arrivals),
    };
    let start = Instant::now();
    let stats = run_queue(&config, &RngStreams::new(42, 0));
    let seconds = start.elapsed().as_secs_f64();
    let erlang_c = theory::mmc(50, 45.0, 1.0).map_or(f64::NAN, |m| m.wait);
    println!(
        "{{\"arrivals\":{arrivals},\"events\":{},\"wall_seconds\":{seconds:.4},\"events_per_s\":{:.0},\"mean_wait\":{:.5},\"erlang_c_wait\":{erlang_c:.5}}}",
        stats.events,
        stats.events as f64 / seconds,
        stats.total().mean_wait(),
    );
}
