//! What `caseload backtest` prints.

use std::fmt::Write as _;
use std::path::Path;

use caseload_experiment::Coverage;
use caseload_fit::Fit;

/// What a back-test's summary says of the test.
#[derive(Debug, Clone)]
pub struct BacktestHeading<'a> {
    /// The scenario and variant.
    pub label: &'a str,
    /// The date demand was fitted up to, when it was.
    pub fitted_until: Option<String>,
    /// Observations compared.
    pub observations: usize,
    /// Replications run.
    pub replications: u32,
    /// Their seed.
    pub seed: u64,
    /// The least share inside the 90 % band asked of each figure.
    pub min_coverage: Option<f64>,
}

/// What `caseload backtest` prints: the demand fitted (if it was), each figure's share of
/// observations inside the 50 % and 90 % bands and its bias, and whether a figure falls
/// short of the coverage asked.
pub fn backtest(
    q: &BacktestHeading,
    fits: &[Fit],
    coverage: &[Coverage],
    teams: &[String],
    written: &Path,
) -> String {
    let mut text = String::new();
    if let Some(until) = &q.fitted_until {
        let _ = writeln!(
            text,
            "demand fitted on the counts to {until} (demand.toml); observations from {until} on"
        );
        for f in fits {
            let _ = writeln!(
                text,
                "  {}: {} from {} periods",
                f.label,
                super::fit::rate_and_growth(f),
                f.periods
            );
        }
        text.push('\n');
    }
    let _ = write!(
        text,
        "{}: {} observations against {} replications (seed {})\n\n{:<26} {:>6} {:>10} {:>10} {:>12}\n",
        q.label,
        q.observations,
        q.replications,
        q.seed,
        "figure",
        "points",
        "in 50 %",
        "in 90 %",
        "bias"
    );
    let mut short = false;
    for c in coverage {
        let name = match c.team {
            Some(t) => format!("{}@{}", c.figure.name(), teams[t]),
            None => c.figure.name().to_string(),
        };
        let _ = writeln!(
            text,
            "{name:<26} {:>6} {:>9.0} % {:>9.0} % {:>+11.1} %",
            c.points,
            100.0 * c.inside_50,
            100.0 * c.inside_90,
            100.0 * c.relative_bias
        );
        short |= c.falls_short(q.min_coverage);
    }
    let _ = writeln!(
        text,
        "\nabout 50 % and 90 % of observations fall inside the bands when the model is right \
         (months are correlated, so expect some spread); files in {}",
        written.display()
    );
    if short {
        let _ = writeln!(
            text,
            "a figure's share inside the 90 % band is below --min-coverage {}",
            q.min_coverage.unwrap_or(0.0)
        );
    }
    text
}
