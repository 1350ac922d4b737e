//! Statistics over replications: means with Student-t confidence intervals, and a streaming
//! quantile estimator whose memory does not grow with the number of replications.

use statrs::distribution::{ContinuousCDF, StudentsT};

/// Confidence level of every interval reported.
pub const CONFIDENCE: f64 = 0.95;

/// Mean, spread and confidence interval of one quantity over replications.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// Replications with a defined value (others, e.g. no case of a priority, are left out).
    pub n: usize,
    /// Sample mean.
    pub mean: f64,
    /// Sample standard deviation (0 when `n < 2`).
    pub sd: f64,
    /// Lower end of the 95 % Student-t confidence interval of the mean (the mean if `n < 2`).
    pub lo: f64,
    /// Upper end of the interval.
    pub hi: f64,
}

impl Estimate {
    /// The estimate from `values`, ignoring NaN. With no values every field is NaN and `n` 0.
    pub fn from_values(values: impl IntoIterator<Item = f64>) -> Self {
        let (mut n, mut mean, mut m2) = (0usize, 0.0f64, 0.0f64);
        for x in values.into_iter().filter(|x| !x.is_nan()) {
            n += 1;
            let delta = x - mean;
            mean += delta / n as f64;
            m2 += delta * (x - mean);
        }
        if n == 0 {
            return Self {
                n,
                mean: f64::NAN,
                sd: f64::NAN,
                lo: f64::NAN,
                hi: f64::NAN,
            };
        }
        let sd = if n > 1 {
            (m2 / (n - 1) as f64).sqrt()
        } else {
            0.0
        };
        let half = t_quantile(CONFIDENCE, n) * sd / (n as f64).sqrt();
        Self {
            n,
            mean,
            sd,
            lo: mean - half,
            hi: mean + half,
        }
    }

    /// Half the width of the confidence interval.
    pub fn half_width(&self) -> f64 {
        (self.hi - self.lo) / 2.0
    }
}

/// The two-sided Student-t critical value for `confidence` with `n - 1` degrees of freedom
/// (0 when `n < 2`, where no interval can be formed).
pub fn t_quantile(confidence: f64, n: usize) -> f64 {
    if n < 2 {
        return 0.0;
    }
    t_critical(confidence, (n - 1) as f64)
}

/// The two-sided Student-t critical value for `confidence` with `df` (possibly fractional)
/// degrees of freedom; NaN if `df` is not positive.
pub fn t_critical(confidence: f64, df: f64) -> f64 {
    StudentsT::new(0.0, 1.0, df)
        .map(|t| t.inverse_cdf(0.5 + confidence / 2.0))
        .unwrap_or(f64::NAN)
}

impl Estimate {
    /// The one-sided confidence bound of the mean at `confidence`: the upper bound if
    /// `upper`, else the lower. NaN with fewer than two values, where no bound can be formed.
    pub fn one_sided_bound(&self, confidence: f64, upper: bool) -> f64 {
        if self.n < 2 {
            return f64::NAN;
        }
        // A one-sided bound at c is one end of the two-sided interval at 2c - 1.
        let half = t_quantile(2.0 * confidence - 1.0, self.n) * self.sd / (self.n as f64).sqrt();
        if upper {
            self.mean + half
        } else {
            self.mean - half
        }
    }
}

/// The Welch confidence interval (at [`CONFIDENCE`]) of `b.mean - a.mean` for independent
/// samples: what a comparison without common random numbers could claim. NaN when either
/// side has fewer than two values.
pub fn welch_interval(a: &Estimate, b: &Estimate) -> (f64, f64) {
    if a.n < 2 || b.n < 2 {
        return (f64::NAN, f64::NAN);
    }
    let (va, vb) = (a.sd * a.sd / a.n as f64, b.sd * b.sd / b.n as f64);
    let diff = b.mean - a.mean;
    let se = (va + vb).sqrt();
    if se == 0.0 {
        return (diff, diff);
    }
    let df = (va + vb).powi(2) / (va * va / (a.n as f64 - 1.0) + vb * vb / (b.n as f64 - 1.0));
    let half = t_critical(CONFIDENCE, df) * se;
    (diff - half, diff + half)
}

/// The 5th percentile, median and 95th percentile of `values` across replications (type 7,
/// NaN ignored; NaN if none).
pub fn spread(values: impl IntoIterator<Item = f64>) -> [f64; 3] {
    let mut sorted: Vec<f64> = values.into_iter().filter(|x| !x.is_nan()).collect();
    sorted.sort_by(f64::total_cmp);
    [0.05, 0.5, 0.95].map(|q| quantile_sorted(&sorted, q))
}

/// Linear-interpolation quantile (type 7) of sorted `values`; NaN if empty.
pub fn quantile_sorted(values: &[f64], q: f64) -> f64 {
    match values.len() {
        0 => f64::NAN,
        1 => values[0],
        n => {
            let h = q.clamp(0.0, 1.0) * (n - 1) as f64;
            let lo = h.floor() as usize;
            let hi = (lo + 1).min(n - 1);
            values[lo] + (h - lo as f64) * (values[hi] - values[lo])
        }
    }
}

/// Streaming estimate of one quantile by the P² algorithm (Jain and Chlamtac, 1985): five
/// markers, constant memory, exact for up to five observations.
#[derive(Debug, Clone, Copy)]
pub struct P2Quantile {
    q: f64,
    count: usize,
    heights: [f64; 5],
    positions: [f64; 5],
    desired: [f64; 5],
}

impl P2Quantile {
    /// An estimator of the `q` quantile (0 < q < 1).
    pub fn new(q: f64) -> Self {
        Self {
            q,
            count: 0,
            heights: [0.0; 5],
            positions: [1.0, 2.0, 3.0, 4.0, 5.0],
            desired: [1.0, 1.0 + 2.0 * q, 1.0 + 4.0 * q, 3.0 + 2.0 * q, 5.0],
        }
    }

    /// Adds one observation (NaN is ignored).
    pub fn add(&mut self, x: f64) {
        if x.is_nan() {
            return;
        }
        if self.count < 5 {
            self.heights[self.count] = x;
            self.count += 1;
            if self.count == 5 {
                self.heights.sort_by(f64::total_cmp);
            }
            return;
        }
        self.count += 1;
        let h = &mut self.heights;
        let k = if x < h[0] {
            h[0] = x;
            0
        } else if x >= h[4] {
            h[4] = x;
            3
        } else {
            (0..4).find(|&i| x < h[i + 1]).unwrap_or(3)
        };
        for p in &mut self.positions[k + 1..] {
            *p += 1.0;
        }
        let q = self.q;
        let increments = [0.0, q / 2.0, q, (1.0 + q) / 2.0, 1.0];
        for (d, inc) in self.desired.iter_mut().zip(increments) {
            *d += inc;
        }
        for i in 1..4 {
            let d = self.desired[i] - self.positions[i];
            let (n_prev, n, n_next) = (
                self.positions[i - 1],
                self.positions[i],
                self.positions[i + 1],
            );
            if (d >= 1.0 && n_next - n > 1.0) || (d <= -1.0 && n_prev - n < -1.0) {
                let s = d.signum();
                let (h_prev, hi, h_next) =
                    (self.heights[i - 1], self.heights[i], self.heights[i + 1]);
                let parabolic = hi
                    + s / (n_next - n_prev)
                        * ((n - n_prev + s) * (h_next - hi) / (n_next - n)
                            + (n_next - n - s) * (hi - h_prev) / (n - n_prev));
                self.heights[i] = if h_prev < parabolic && parabolic < h_next {
                    parabolic
                } else {
                    let j = if s > 0.0 { i + 1 } else { i - 1 };
                    hi + s * (self.heights[j] - hi) / (self.positions[j] - n)
                };
                self.positions[i] += s;
            }
        }
    }

    /// The current estimate: exact (type 7) for up to five observations; NaN for none.
    pub fn estimate(&self) -> f64 {
        if self.count <= 5 {
            let mut seen = self.heights[..self.count].to_vec();
            seen.sort_by(f64::total_cmp);
            return quantile_sorted(&seen, self.q);
        }
        self.heights[2]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    #[test]
    fn t_interval_matches_tables() {
        // t(0.975; 9) = 2.262, t(0.975; 29) = 2.045 (any statistics table).
        assert!((t_quantile(0.95, 10) - 2.262).abs() < 1e-3);
        assert!((t_quantile(0.95, 30) - 2.045).abs() < 1e-3);
        let e = Estimate::from_values([1.0, 2.0, 3.0, 4.0, f64::NAN]);
        assert_eq!(e.n, 4);
        assert!((e.mean - 2.5).abs() < 1e-12);
        assert!((e.sd - (5.0f64 / 3.0).sqrt()).abs() < 1e-12);
        let half = t_quantile(0.95, 4) * e.sd / 2.0;
        assert!((e.hi - e.mean - half).abs() < 1e-12);
    }

    #[test]
    fn one_sided_and_welch_bounds_match_tables() {
        // Ten values with mean 5.5 and sd 3.0277: the one-sided 95 % bound uses
        // t(0.95; 9) = 1.833.
        let e = Estimate::from_values((1..=10).map(f64::from));
        let upper = e.one_sided_bound(0.95, true);
        assert!((upper - (5.5 + 1.833 * e.sd / 10f64.sqrt())).abs() < 1e-3);
        assert!((e.one_sided_bound(0.95, false) - (11.0 - upper)).abs() < 1e-9);
        // Equal sizes and spreads: Welch's df is 2(n-1) = 18, t(0.975; 18) = 2.101.
        let shifted = Estimate::from_values((1..=10).map(|x| f64::from(x) + 2.0));
        let (lo, hi) = welch_interval(&e, &shifted);
        let half = 2.101 * (2.0 * e.sd * e.sd / 10.0).sqrt();
        assert!((lo - (2.0 - half)).abs() < 1e-3 && (hi - (2.0 + half)).abs() < 1e-3);
        assert_eq!(spread([3.0, 1.0, 2.0, f64::NAN]), [1.1, 2.0, 2.9]);
    }

    #[test]
    fn p2_is_exact_for_few_values_and_close_for_many() {
        let mut few = P2Quantile::new(0.9);
        for x in [5.0, 1.0, 3.0] {
            few.add(x);
        }
        assert!((few.estimate() - quantile_sorted(&[1.0, 3.0, 5.0], 0.9)).abs() < 1e-12);
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(7);
        for q in [0.05, 0.5, 0.95] {
            let mut p2 = P2Quantile::new(q);
            let mut all = Vec::new();
            for _ in 0..20_000 {
                let x: f64 = -rng.random::<f64>().ln() * 10.0;
                p2.add(x);
                all.push(x);
            }
            all.sort_by(f64::total_cmp);
            let exact = quantile_sorted(&all, q);
            // Exponential with mean 10: a 2 % relative tolerance is well above P2's error at
            // this sample size and well below the distance between neighbouring quantiles.
            assert!(
                (p2.estimate() - exact).abs() < 0.02 * exact.max(1.0),
                "q={q}: p2 {} exact {exact}",
                p2.estimate()
            );
        }
    }
}
