//! Statistics over replications: means with confidence intervals that stay inside their
//! quantity's domain, and a streaming quantile estimator whose memory does not grow with the
//! number of replications.

use statrs::distribution::{ContinuousCDF, Normal, StudentsT};

/// Confidence level of every interval reported.
pub const CONFIDENCE: f64 = 0.95;

/// The values a quantity can take, which its confidence interval must respect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Domain {
    /// Any real number (e.g. an hours deficit, a difference).
    Real,
    /// Zero or more (counts, days, hours, pounds).
    NonNegative,
    /// A share from 0 to 1, averaged over replications.
    Share,
    /// 1 if something happened in a replication, else 0: the mean is a proportion of
    /// replications, with a Wilson score interval.
    Indicator,
    /// A difference of two shares or proportions, from -1 to 1.
    ShareDifference,
}

impl Domain {
    /// Every domain.
    pub const ALL: [Domain; 5] = [
        Domain::Real,
        Domain::NonNegative,
        Domain::Share,
        Domain::Indicator,
        Domain::ShareDifference,
    ];

    /// Its name in manifests, e.g. `non_negative`.
    pub fn name(self) -> &'static str {
        match self {
            Domain::Real => "real",
            Domain::NonNegative => "non_negative",
            Domain::Share => "share",
            Domain::Indicator => "indicator",
            Domain::ShareDifference => "share_difference",
        }
    }

    /// The domain of a difference of two values of this domain.
    pub fn of_difference(self) -> Domain {
        match self {
            Domain::Share | Domain::Indicator | Domain::ShareDifference => Domain::ShareDifference,
            Domain::Real | Domain::NonNegative => Domain::Real,
        }
    }

    /// The domain named `name`.
    pub fn from_name(name: &str) -> Option<Domain> {
        Domain::ALL.into_iter().find(|d| d.name() == name)
    }

    /// The smallest and largest values of the domain.
    pub fn range(self) -> (f64, f64) {
        match self {
            Domain::Real => (f64::NEG_INFINITY, f64::INFINITY),
            Domain::NonNegative => (0.0, f64::INFINITY),
            Domain::Share | Domain::Indicator => (0.0, 1.0),
            Domain::ShareDifference => (-1.0, 1.0),
        }
    }
}

/// Mean, spread and confidence interval of one quantity over replications.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// Replications with a defined value (others, e.g. no case of a priority, are left out;
    /// those counted in `not_reached` are in).
    pub n: usize,
    /// Of `n`, replications whose value is known only to be beyond what the run observed (a
    /// Kaplan-Meier quantile never reached, held as +infinity).
    pub not_reached: usize,
    /// Sample mean (+infinity if any value was not reached).
    pub mean: f64,
    /// Sample standard deviation (NaN when `n < 2` or any value was not reached).
    pub sd: f64,
    /// Lower end of the 95 % confidence interval of the mean; NaN where no interval can be
    /// formed (fewer than two values, or a value not reached).
    pub lo: f64,
    /// Upper end of the interval.
    pub hi: f64,
}

impl Estimate {
    /// The estimate of a quantity in [`Domain::Real`] from `values`, ignoring NaN.
    pub fn from_values(values: impl IntoIterator<Item = f64>) -> Self {
        Self::in_domain(values, Domain::Real)
    }

    /// The estimate from `values` (NaN ignored, +infinity meaning "not reached") with an
    /// interval inside `domain`: for [`Domain::Indicator`] the Wilson score interval of the
    /// proportion; otherwise the Student-t interval intersected with the domain. The
    /// intersection keeps the coverage of the t interval (the true mean lies in the domain, so
    /// whenever the t interval covers it so does the intersection) and never reports values
    /// the quantity cannot take. With no values every field is NaN and `n` 0.
    pub fn in_domain(values: impl IntoIterator<Item = f64>, domain: Domain) -> Self {
        let (mut n, mut not_reached, mut mean, mut m2) = (0usize, 0usize, 0.0f64, 0.0f64);
        for x in values.into_iter().filter(|x| !x.is_nan()) {
            if x == f64::INFINITY {
                not_reached += 1;
                continue;
            }
            n += 1;
            let delta = x - mean;
            mean += delta / n as f64;
            m2 += delta * (x - mean);
        }
        let total = n + not_reached;
        let undefined = Self {
            n: total,
            not_reached,
            mean: f64::NAN,
            sd: f64::NAN,
            lo: f64::NAN,
            hi: f64::NAN,
        };
        if total == 0 {
            return undefined;
        }
        if not_reached > 0 {
            return Self {
                mean: f64::INFINITY,
                ..undefined
            };
        }
        let sd = if n > 1 {
            (m2 / (n - 1) as f64).sqrt()
        } else {
            f64::NAN
        };
        let (lo, hi) = if n < 2 {
            (f64::NAN, f64::NAN)
        } else if domain == Domain::Indicator {
            wilson_interval(mean * n as f64, n)
        } else {
            let half = t_quantile(CONFIDENCE, n) * sd / (n as f64).sqrt();
            let (min, max) = domain.range();
            ((mean - half).clamp(min, max), (mean + half).clamp(min, max))
        };
        Self {
            n,
            not_reached: 0,
            mean,
            sd,
            lo,
            hi,
        }
    }

    /// Whether an interval could be formed.
    pub fn has_interval(&self) -> bool {
        !self.lo.is_nan() && !self.hi.is_nan()
    }

    /// Half the width of the Student-t interval of the mean, `t sd / sqrt(n)` (NaN with
    /// fewer than two values or a value not reached): the precision the replications give,
    /// before the interval is cut to its domain (cutting would make a mean near a bound look
    /// more precise than it is).
    pub fn half_width(&self) -> f64 {
        if self.n < 2 || self.not_reached > 0 {
            return f64::NAN;
        }
        t_quantile(CONFIDENCE, self.n) * self.sd / (self.n as f64).sqrt()
    }
}

/// The Wilson score interval (at [`CONFIDENCE`]) of a proportion from `successes` of `n`
/// trials: inside [0, 1], and not of zero width when every trial went one way, unlike the
/// normal approximation.
pub fn wilson_interval(successes: f64, n: usize) -> (f64, f64) {
    if n == 0 {
        return (f64::NAN, f64::NAN);
    }
    let z = Normal::standard().inverse_cdf(0.5 + CONFIDENCE / 2.0);
    let n = n as f64;
    let p = (successes / n).clamp(0.0, 1.0);
    let z2n = z * z / n;
    let centre = (p + z2n / 2.0) / (1.0 + z2n);
    let half = z / (1.0 + z2n) * (p * (1.0 - p) / n + z2n / (4.0 * n)).sqrt();
    ((centre - half).max(0.0), (centre + half).min(1.0))
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
        assert_eq!(e.not_reached, 0);
        assert!((e.mean - 2.5).abs() < 1e-12);
        assert!((e.sd - (5.0f64 / 3.0).sqrt()).abs() < 1e-12);
        let half = t_quantile(0.95, 4) * e.sd / 2.0;
        assert!((e.hi - e.mean - half).abs() < 1e-12);
    }

    #[test]
    fn intervals_stay_inside_their_domain() {
        // Backlogs of 0 in 9 replications and 3 in one: the t interval reaches below 0.
        let backlog = [0.0; 9].into_iter().chain([3.0]);
        let raw = Estimate::from_values(backlog.clone());
        assert!(raw.lo < 0.0);
        let e = Estimate::in_domain(backlog, Domain::NonNegative);
        assert_eq!(e.lo, 0.0);
        assert_eq!(e.hi, raw.hi);
        // The precision is the t interval's, not half of what the cut leaves.
        assert!((e.half_width() - raw.half_width()).abs() < 1e-12);
        assert!(e.half_width() > (e.hi - e.lo) / 2.0);
        // Shares near 1.
        let shares = [1.0, 1.0, 1.0, 0.5];
        let e = Estimate::in_domain(shares, Domain::Share);
        assert!(e.lo >= 0.0 && e.hi == 1.0 && e.lo <= e.mean);
        // A proportion of replications: 9 of 10 breached. Wilson: centre (0.9 + 1.92/10) /
        // 1.384 = 0.789, half 1.96/1.384 * sqrt(0.009 + 0.0096) = 0.193 -> [0.596, 0.982]
        // (Newcombe 1998, table I, 9/10: 0.5958 to 0.9821).
        let breached = [1.0; 9].into_iter().chain([0.0]);
        let e = Estimate::in_domain(breached, Domain::Indicator);
        assert!(
            (e.lo - 0.5958).abs() < 1e-4 && (e.hi - 0.9821).abs() < 1e-4,
            "{e:?}"
        );
        // All ten breached: not a zero-width interval at 1 (Newcombe: 0.7225 to 1).
        let e = Estimate::in_domain([1.0; 10], Domain::Indicator);
        assert!((e.lo - 0.7225).abs() < 1e-4 && e.hi == 1.0, "{e:?}");
    }

    #[test]
    fn one_value_gives_no_interval_and_not_reached_gives_no_mean() {
        let e = Estimate::in_domain([5.0], Domain::NonNegative);
        assert_eq!((e.n, e.mean), (1, 5.0));
        assert!(!e.has_interval() && e.sd.is_nan());
        let e = Estimate::in_domain([5.0, f64::INFINITY, 7.0, f64::NAN], Domain::NonNegative);
        assert_eq!((e.n, e.not_reached), (3, 1));
        assert_eq!(e.mean, f64::INFINITY);
        assert!(!e.has_interval());
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
