//! One replication of the model bench's configuration (`benches/model.rs`: `london_10y`, or
//! `london_10y_pooled` with `pooled`), printing its events: the workload
//! `scripts/count-instructions.sh` counts instructions of, which unlike timings do not move
//! with what else the machine is doing.
//!
//!     cargo run --release --example bench_replication [pooled]

#[path = "../benches/common/london.rs"]
mod london;

use caseload_des::RngStreams;
use caseload_model::{Discipline, run_replication};

fn main() {
    let pooled = std::env::args().nth(1).is_some_and(|a| a == "pooled");
    let config = london::london(pooled, Discipline::Equal, None);
    match run_replication(&config, &RngStreams::new(1, 0), &mut ()) {
        Ok(summary) => println!("{} events", summary.events),
        Err(e) => {
            eprintln!("bench_replication: {e}");
            std::process::exit(1);
        }
    }
}
