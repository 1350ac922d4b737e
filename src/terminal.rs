//! What the commands show on the terminal: progress bars and readable numbers.

use std::io::IsTerminal;

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

/// A mean with its interval, e.g. `2.97 [2.94, 3.00]`.
pub fn with_interval(mean: f64, lo: f64, hi: f64) -> String {
    if lo.is_nan() {
        readable(mean)
    } else {
        format!("{} [{}, {}]", readable(mean), readable(lo), readable(hi))
    }
}
