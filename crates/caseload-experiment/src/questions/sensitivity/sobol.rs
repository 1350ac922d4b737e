//! Sobol's first and total indices by Saltelli's sampling and Jansen's estimators (Saltelli
//! et al. 2010, "Variance based sensitivity analysis of model output", table 2, estimators
//! (f) and (b) in Jansen's form): two matrices A and B of `N` quasi-random points (an
//! Owen-scrambled Sobol sequence, `sobol_burley`), and for each factor `i` the matrix `AB_i`,
//! A with column `i` from B. With `V` the variance of the output over A and B:
//!
//! - first index `S_i = (V - mean((f(B) - f(AB_i))^2) / 2) / V`, the share of `V` that `i`
//!   alone explains;
//! - total index `ST_i = mean((f(A) - f(AB_i))^2) / 2 / V`, the share that goes if `i` is
//!   fixed, interactions included.
//!
//! Indices lie in [0, 1]; estimates outside it by sampling error are cut to it, as are their
//! bootstrap intervals (resampling the `N` rows).

use serde::{Deserialize, Serialize};

use super::resample::percentile_intervals;

/// Most factors a Saltelli design can take (two dimensions each of the Sobol sequence).
pub const MAX_FACTORS: usize = (sobol_burley::NUM_DIMENSIONS / 2) as usize;

/// Most base samples (the scrambled sequence's length).
pub const MAX_SAMPLES: u32 = 1 << 16;

/// A Saltelli design in the unit cube: `N` rows of `k + 2` points each (A, B, then AB_1 to
/// AB_k), so a row's points are run together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SaltelliDesign {
    /// Factors varied, `k` (at most [`MAX_FACTORS`]).
    pub factors: usize,
    /// Base samples, `N` (at most [`MAX_SAMPLES`]).
    pub samples: u32,
    /// Seed of the sequence's scrambling.
    pub seed: u64,
}

/// A factor's first and total indices, each with a 95 % bootstrap interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SobolIndices {
    /// First-order index.
    pub first: f64,
    /// Its interval.
    pub first_ci: (f64, f64),
    /// Total index.
    pub total: f64,
    /// Its interval.
    pub total_ci: (f64, f64),
}

impl SaltelliDesign {
    /// Points in the design, `N (k + 2)`.
    pub fn points(&self) -> usize {
        self.samples as usize * (self.factors + 2)
    }

    fn scramble(&self) -> u32 {
        (self.seed ^ (self.seed >> 32)) as u32
    }

    /// Row `j`'s value of dimension `d` of the sequence.
    fn sequence(&self, j: u32, d: usize) -> f64 {
        f64::from(sobol_burley::sample(j, d as u32, self.scramble()))
    }

    /// Point `p`: row `p / (k + 2)`; A, B, or AB_i for `p % (k + 2)` = 0, 1, or `2 + i`.
    pub fn point(&self, p: usize) -> Vec<f64> {
        let k = self.factors;
        let j = (p / (k + 2)) as u32;
        let role = p % (k + 2);
        (0..k)
            .map(|d| match role {
                1 => self.sequence(j, k + d),
                r if r >= 2 && r - 2 == d => self.sequence(j, k + d),
                _ => self.sequence(j, d),
            })
            .collect()
    }

    /// The indices of every factor from `output[p]`, the output at point `p` (rows with an
    /// undefined output are left out), with intervals from resampling rows (seeded by
    /// `seed`).
    pub fn indices(&self, output: &[f64], seed: u64) -> Vec<SobolIndices> {
        let k = self.factors;
        let rows: Vec<&[f64]> = output
            .chunks_exact(k + 2)
            .filter(|row| row.iter().all(|y| y.is_finite()))
            .collect();
        let statistic = |chosen: &[usize]| jansen(&rows, chosen, k);
        let all: Vec<usize> = (0..rows.len()).collect();
        let point = statistic(&all);
        let intervals = percentile_intervals(rows.len(), 2 * k, seed, statistic);
        let unit = |x: f64| x.clamp(0.0, 1.0);
        let unit_ci = |(lo, hi): (f64, f64)| (unit(lo), unit(hi));
        (0..k)
            .map(|i| SobolIndices {
                first: unit(point[2 * i]),
                first_ci: unit_ci(intervals[2 * i]),
                total: unit(point[2 * i + 1]),
                total_ci: unit_ci(intervals[2 * i + 1]),
            })
            .collect()
    }
}

/// First and total indices (interleaved, uncut) of `k` factors from the rows `chosen`.
fn jansen(rows: &[&[f64]], chosen: &[usize], k: usize) -> Vec<f64> {
    let n = chosen.len() as f64;
    if chosen.len() < 2 {
        return vec![f64::NAN; 2 * k];
    }
    let mean = chosen.iter().map(|&j| rows[j][0] + rows[j][1]).sum::<f64>() / (2.0 * n);
    let variance = chosen
        .iter()
        .map(|&j| (rows[j][0] - mean).powi(2) + (rows[j][1] - mean).powi(2))
        .sum::<f64>()
        / (2.0 * n - 1.0);
    let mut out = Vec::with_capacity(2 * k);
    for i in 0..k {
        let (mut first, mut total) = (0.0, 0.0);
        for &j in chosen {
            let (a, b, ab) = (rows[j][0], rows[j][1], rows[j][2 + i]);
            first += (b - ab).powi(2);
            total += (a - ab).powi(2);
        }
        if variance > 0.0 {
            out.push((variance - first / (2.0 * n)) / variance);
            out.push(total / (2.0 * n) / variance);
        } else {
            out.extend([f64::NAN, f64::NAN]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f64::consts::PI;

    /// The Ishigami function (a = 7, b = 0.1) on [-pi, pi]^3, whose indices are known in
    /// closed form (Ishigami and Homma 1990; Sobol' and Levitan 1999).
    fn ishigami(u: &[f64]) -> f64 {
        let x: Vec<f64> = u.iter().map(|u| -PI + 2.0 * PI * u).collect();
        x[0].sin() + 7.0 * x[1].sin().powi(2) + 0.1 * x[2].powi(4) * x[0].sin()
    }

    fn ishigami_truth() -> ([f64; 3], [f64; 3]) {
        let (a, b) = (7.0f64, 0.1f64);
        let v1 = 0.5 * (1.0 + b * PI.powi(4) / 5.0).powi(2);
        let v2 = a * a / 8.0;
        let v13 = b * b * PI.powi(8) * (1.0 / 18.0 - 1.0 / 50.0);
        let v = v1 + v2 + v13;
        ([v1 / v, v2 / v, 0.0], [(v1 + v13) / v, v2 / v, v13 / v])
    }

    #[test]
    fn ishigami_indices_are_recovered_within_their_intervals() {
        let design = SaltelliDesign {
            factors: 3,
            samples: 4096,
            seed: 3,
        };
        let y: Vec<f64> = (0..design.points())
            .map(|p| ishigami(&design.point(p)))
            .collect();
        let idx = design.indices(&y, 5);
        let (first, total) = ishigami_truth();
        // S = (0.314, 0.442, 0), ST = (0.558, 0.442, 0.244).
        for i in 0..3 {
            assert!((idx[i].first - first[i]).abs() < 0.03, "S{i} {:?}", idx[i]);
            assert!((idx[i].total - total[i]).abs() < 0.03, "ST{i} {:?}", idx[i]);
            let (lo, hi) = idx[i].total_ci;
            assert!(
                lo - 0.01 <= total[i] && total[i] <= hi + 0.01,
                "ST{i} {:?}",
                idx[i]
            );
            let (lo, hi) = idx[i].first_ci;
            assert!(
                lo - 0.01 <= first[i] && first[i] <= hi + 0.01,
                "S{i} {:?}",
                idx[i]
            );
            assert!((0.0..=1.0).contains(&idx[i].first) && idx[i].first_ci.0 >= 0.0);
        }
    }

    #[test]
    fn rows_hold_a_b_and_each_mix() {
        let d = SaltelliDesign {
            factors: 2,
            samples: 8,
            seed: 1,
        };
        let (a, b, ab0, ab1) = (d.point(4), d.point(5), d.point(6), d.point(7));
        assert_eq!(ab0, vec![b[0], a[1]]);
        assert_eq!(ab1, vec![a[0], b[1]]);
        assert_ne!(a, b);
        assert_eq!(d.points(), 32);
    }
}
