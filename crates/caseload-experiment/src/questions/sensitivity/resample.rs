//! Percentile bootstrap intervals of a statistic of independent units (trajectories of a
//! Morris design, base samples of a Saltelli design), seeded so they are the same every run.

use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

/// Bootstrap resamples drawn for each interval.
pub const RESAMPLES: usize = 1000;

/// The 2.5 % and 97.5 % percentiles of `statistic` over [`RESAMPLES`] resamples (with
/// replacement) of `units` units; `statistic` gets the chosen unit indices and returns one
/// value per quantity (NaN where undefined). One interval per quantity; NaN where fewer than
/// two units or the statistic is undefined in most resamples.
pub fn percentile_intervals(
    units: usize,
    quantities: usize,
    seed: u64,
    statistic: impl Fn(&[usize]) -> Vec<f64>,
) -> Vec<(f64, f64)> {
    if units < 2 {
        return vec![(f64::NAN, f64::NAN); quantities];
    }
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut draws: Vec<Vec<f64>> = vec![Vec::with_capacity(RESAMPLES); quantities];
    let mut chosen = vec![0usize; units];
    for _ in 0..RESAMPLES {
        for c in chosen.iter_mut() {
            *c = rng.random_range(0..units);
        }
        for (q, value) in statistic(&chosen).into_iter().enumerate().take(quantities) {
            if value.is_finite() {
                draws[q].push(value);
            }
        }
    }
    draws
        .into_iter()
        .map(|mut values| {
            if values.len() < RESAMPLES / 2 {
                return (f64::NAN, f64::NAN);
            }
            values.sort_by(f64::total_cmp);
            (
                crate::stats::quantile_sorted(&values, 0.025),
                crate::stats::quantile_sorted(&values, 0.975),
            )
        })
        .collect()
}
