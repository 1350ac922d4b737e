//! # caseload-testkit
//!
//! The statistical check the validation tests share: does the Student-t interval of a set of
//! independent replications cover the value queueing theory gives, and is it narrow enough
//! for the check to have the power to catch an error?

use statrs::distribution::{ContinuousCDF, StudentsT};

/// Confidence level of the intervals the validation tests check (99 %, so a correct model
/// fails one check in a hundred at most; the seeds are fixed, so a pass is repeatable).
pub const CONFIDENCE: f64 = 0.99;

/// Largest half-width accepted, as a share of the theory value: a wider interval would pass a
/// wrong model.
pub const MAX_RELATIVE_HALF_WIDTH: f64 = 0.06;

/// The mean of `samples`.
pub fn mean(samples: &[f64]) -> f64 {
    samples.iter().sum::<f64>() / samples.len() as f64
}

/// The half-width of the two-sided Student-t interval of the mean of `samples` at
/// `confidence`.
pub fn half_width(samples: &[f64], confidence: f64) -> f64 {
    let n = samples.len() as f64;
    let m = mean(samples);
    let var = samples.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0);
    let t = StudentsT::new(0.0, 1.0, n - 1.0)
        .expect("at least two samples")
        .inverse_cdf(1.0 - (1.0 - confidence) / 2.0);
    t * (var / n).sqrt()
}

/// Asserts that the [`CONFIDENCE`] interval of `samples` covers `theory` and is at most
/// [`MAX_RELATIVE_HALF_WIDTH`] of it wide.
#[track_caller]
pub fn assert_covers(what: &str, samples: &[f64], theory: f64) {
    let m = mean(samples);
    let half = half_width(samples, CONFIDENCE);
    assert!(
        (m - theory).abs() <= half,
        "{what}: theory {theory:.6} outside the 99% interval {m:.6} +/- {half:.6}"
    );
    assert!(
        half <= MAX_RELATIVE_HALF_WIDTH * theory,
        "{what}: interval half-width {half:.6} too wide to check {theory:.6}"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_interval_is_students() {
        // n = 4, mean 2.5, sd 1.2910: t(0.995, 3) = 5.8409, half-width 5.8409 * 0.6455.
        let half = half_width(&[1.0, 2.0, 3.0, 4.0], 0.99);
        assert!((half - 3.7702).abs() < 1e-3, "{half}");
    }

    #[test]
    #[should_panic(expected = "outside the 99% interval")]
    fn a_value_outside_fails() {
        assert_covers("x", &[1.0, 1.01, 0.99, 1.0], 2.0);
    }
}
