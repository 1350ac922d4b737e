//! What each command prints on the terminal, one file per command: the answer first, the
//! numbers with their intervals, and where the files are.

mod attribution;
mod backtest;
mod calibration;
mod compare;
mod fit;
mod frontier;
mod optimise;
mod queue;
mod run;
mod sensitivity;
mod slurm;
mod sweep;

pub use attribution::attribution;
pub use backtest::{BacktestHeading, backtest};
pub use calibration::calibration;
pub use compare::{comparison, selection};
pub use fit::fit;
pub use frontier::{FrontierHeading, frontier};
pub use optimise::{SearchHeading, latest_date, lever_text, smallest_lever, trace_text};
pub use queue::{QueueHeading, queue};
pub use run::{RunHeading, precision, run_summary, run_summary_json};
pub use sensitivity::sensitivity;
pub use slurm::slurm;
pub use sweep::sweep;
