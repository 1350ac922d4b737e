//! How long a run takes to forget its starting state: the MSER-5 truncation rule
//! (White 1997; White, Cobb and Spratt 2000).
//!
//! The series is cut into batches of five; for each truncation point `d` (in batches) the rule
//! computes the variance of the mean of what is left, `sum((x - mean)^2) / (n - d)^2`, and
//! picks the `d` that minimises it. Points in the second half of the series are not considered
//! (a minimum there means the series has not settled at all).

/// Observations per batch.
pub const BATCH: usize = 5;

/// The MSER-5 suggestion for a series of daily values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Truncation {
    /// Leave out this many days at the start.
    Days(usize),
    /// The minimum falls in the second half of the series: it does not settle in the run.
    NotSettled,
    /// Too short (fewer than two batches) to say.
    TooShort,
}

/// The MSER-5 truncation of `series` (one value per day). NaN values are treated as absent.
pub fn mser5(series: &[f64]) -> Truncation {
    let batches: Vec<f64> = series
        .chunks_exact(BATCH)
        .map(|b| b.iter().sum::<f64>() / BATCH as f64)
        .filter(|x| !x.is_nan())
        .collect();
    let n = batches.len();
    if n < 2 {
        return Truncation::TooShort;
    }
    // Suffix sums give each truncation's statistic in O(1).
    let (mut sum, mut squares) = (0.0, 0.0);
    let mut best = (f64::INFINITY, 0);
    let mut statistics = vec![0.0; n];
    for d in (0..n).rev() {
        sum += batches[d];
        squares += batches[d] * batches[d];
        let left = (n - d) as f64;
        let spread = (squares - sum * sum / left).max(0.0);
        statistics[d] = spread / (left * left);
    }
    for (d, &s) in statistics.iter().enumerate().take(n - 1) {
        if s < best.0 {
            best = (s, d);
        }
    }
    if best.1 > n / 2 {
        Truncation::NotSettled
    } else {
        Truncation::Days(best.1 * BATCH)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    #[test]
    fn a_transient_start_is_cut_and_a_steady_series_is_not() {
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(11);
        // A backlog filling from 0 towards 100 over about 150 days, then noise around 100.
        let filling: Vec<f64> = (0..1000)
            .map(|d| 100.0 * (1.0 - (-(d as f64) / 50.0).exp()) + rng.random::<f64>() * 10.0)
            .collect();
        let Truncation::Days(cut) = mser5(&filling) else {
            panic!("a settling series gets a truncation");
        };
        assert!((100..=350).contains(&cut), "cut {cut} days");
        let steady: Vec<f64> = (0..1000)
            .map(|_| 100.0 + rng.random::<f64>() * 10.0)
            .collect();
        let Truncation::Days(cut) = mser5(&steady) else {
            panic!("a steady series gets a truncation");
        };
        assert!(cut < 100, "cut {cut} days of a steady series");
        let rising: Vec<f64> = (0..1000).map(|d| d as f64).collect();
        assert_eq!(mser5(&rising), Truncation::NotSettled);
        assert_eq!(mser5(&[1.0; 7]), Truncation::TooShort);
    }
}
