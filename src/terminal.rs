//! What the commands show on the terminal: progress bars and readable numbers.

use std::io::IsTerminal;

use caseload_experiment::Estimate;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A progress bar over `len` replications on standard error, hidden unless it is a terminal.
pub fn progress_bar(len: u64) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("{bar:40} {pos}/{len} replications, {elapsed} (eta {eta})")
    {
        bar.set_style(style);
    }
    bar
}

/// A number for the terminal: thousands as whole numbers, small values with a few decimals.
pub fn readable(x: f64) -> String {
    if x.is_nan() {
        "-".into()
    } else if x.abs() >= 1000.0 {
        format!("{x:.0}")
    } else if x.abs() >= 10.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.3}")
    }
}

/// An estimate as the terminal shows it: `2.97 [2.94, 3.00]` (mean and 95 % interval);
/// `not reached in 3 of 20 replications` when a quantile was beyond what some replications
/// observed; the mean alone, marked, when fewer than two replications allow no interval.
pub fn with_interval(e: &Estimate) -> String {
    if e.n == 0 {
        "-".into()
    } else if e.not_reached > 0 {
        format!("not reached in {} of {} replications", e.not_reached, e.n)
    } else if !e.has_interval() {
        format!("{} (no interval from one replication)", readable(e.mean))
    } else {
        format!(
            "{} [{}, {}]",
            readable(e.mean),
            readable(e.lo),
            readable(e.hi)
        )
    }
}
