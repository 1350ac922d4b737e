//! What `caseload fit` prints.

use std::fmt::Write as _;
use std::path::Path;

use caseload_fit::{Dispersion, Fan, Fit};

/// What `caseload fit` prints: each series' rate, growth, step and dispersion with their
/// intervals and its goodness of fit, and where the demand blocks are.
pub fn fit(fits: &[(Fit, Fan)], written: &Path) -> String {
    let mut report = String::new();
    for (f, _) in fits {
        let _ = writeln!(
            report,
            "{} ({} periods): {}{}; {}; {}",
            f.label,
            f.periods,
            rate_and_growth(f),
            f.step.map_or_else(String::new, |(d, m)| format!(
                ", x{:.3} from {d} [{:.3}, {:.3}]",
                m.value, m.lo, m.hi
            )),
            match f.dispersion {
                Dispersion::Poisson => "Poisson".to_string(),
                Dispersion::NegativeBinomial { theta, .. } =>
                    format!("negative binomial, theta {:.1}", theta.value),
            },
            f.goodness()
        );
    }
    let _ = writeln!(
        report,
        "\ndemand blocks in {}, estimates in fit.csv, observed against fitted in fan.csv and the \
         fit_*.png charts",
        written.join("demand.toml").display()
    );
    report
}

/// A fit's rate and growth with their 95 % intervals, as the terminal says them:
/// `2,386.0 referrals a year on 2013-04-01 [2,301.2, 2,474.0], growth +7.8 % a year [+5.1,
/// +10.6]`.
pub(super) fn rate_and_growth(f: &Fit) -> String {
    let rate = |x: f64| crate::format::grouped(x, 1);
    format!(
        "{} referrals a year on {} [{}, {}], growth {:+.1} % a year [{:+.1}, {:+.1}]",
        rate(f.annual_rate.value),
        f.start,
        rate(f.annual_rate.lo),
        rate(f.annual_rate.hi),
        100.0 * f.annual_growth.value,
        100.0 * f.annual_growth.lo,
        100.0 * f.annual_growth.hi
    )
}
