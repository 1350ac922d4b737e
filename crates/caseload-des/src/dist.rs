//! Sampling distributions for durations and amounts (effort hours, wait days, inter-arrival
//! times).
//!
//! Constructors validate their parameters and return `Result`, so sampling in the hot loop
//! cannot fail. Parameters are given the way planners state them: by mean (and coefficient of
//! variation), not by the underlying distribution's internal parameters.

use rand::Rng;
use rand_distr::{Distribution, Exp, Gamma, LogNormal, Uniform};

/// The largest mean or value a distribution may be given, in its own units (hours or days:
/// a billion days is 2.7 million years), so that nothing drawn from it overflows.
pub const MAX_PARAMETER: f64 = 1e9;

/// The largest value a draw returns: a heavy tail's rare larger draw is cut here, so every
/// time drawn is finite by construction (a trillion days; no realistic parameter reaches it).
pub const MAX_DRAW: f64 = 1e12;

/// Why a distribution's parameters were refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum DistError {
    /// A mean that is not finite and positive (or, for `fixed`, not finite and non-negative).
    #[error("mean must be a finite positive number, got {}", short(*.0))]
    Mean(f64),
    /// A coefficient of variation that is not finite and positive.
    #[error("coefficient of variation must be a finite positive number, got {}", short(*.0))]
    Cv(f64),
    /// A fixed value that is negative or not finite.
    #[error("value must be a finite non-negative number, got {}", short(*.0))]
    Value(f64),
    /// Uniform bounds that are not finite, negative, or with `low > high`.
    #[error(
        "uniform bounds must satisfy 0 <= low <= high (finite), got [{}, {}]",
        short(*.low),
        short(*.high)
    )]
    Bounds {
        /// Lower bound.
        low: f64,
        /// Upper bound.
        high: f64,
    },
    /// An empirical distribution with no values or with a negative or non-finite value.
    #[error("empirical values must be a non-empty list of finite non-negative numbers")]
    Empirical,
    /// A mean or value above [`MAX_PARAMETER`].
    #[error("{} is too large: at most 1e9 (hours or days) is accepted", short(*.0))]
    TooLarge(f64),
}

/// A number in short form for a message or a label: `1e308`, `1e-300`, `2.5` (as Rust
/// writes it between 1e-4 and 1e9, in exponent form outside, never 300 digits).
pub fn short(x: f64) -> String {
    if x != 0.0 && x.is_finite() && !(1e-4..1e9).contains(&x.abs()) {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

/// Refuses a value above [`MAX_PARAMETER`].
fn check_size(value: f64) -> Result<(), DistError> {
    if value <= MAX_PARAMETER {
        Ok(())
    } else {
        Err(DistError::TooLarge(value))
    }
}

/// A validated, non-negative distribution, ready to sample.
///
/// Plain data (`Clone + Send + Sync`), so a configuration holding it crosses threads freely.
#[derive(Debug, Clone, PartialEq)]
pub struct Dist {
    kind: Kind,
    mean: f64,
    variance: f64,
}

#[derive(Debug, Clone, PartialEq)]
enum Kind {
    Fixed(f64),
    Exponential(Exp<f64>),
    LogNormal(LogNormal<f64>),
    Gamma(Gamma<f64>),
    Uniform(Uniform<f64>),
    Empirical(Vec<f64>),
}

fn check_mean(mean: f64) -> Result<(), DistError> {
    if mean.is_finite() && mean > 0.0 {
        check_size(mean)
    } else {
        Err(DistError::Mean(mean))
    }
}

fn check_cv(cv: f64) -> Result<(), DistError> {
    if cv.is_finite() && cv > 0.0 {
        Ok(())
    } else {
        Err(DistError::Cv(cv))
    }
}

impl Dist {
    /// Always `value`.
    pub fn fixed(value: f64) -> Result<Self, DistError> {
        if value.is_finite() && value >= 0.0 {
            check_size(value)?;
            Ok(Self {
                kind: Kind::Fixed(value),
                mean: value,
                variance: 0.0,
            })
        } else {
            Err(DistError::Value(value))
        }
    }

    /// Whether this is an exponential distribution (memoryless: M in a queue's name).
    pub fn is_exponential(&self) -> bool {
        matches!(self.kind, Kind::Exponential(_))
    }

    /// Exponential with the given mean.
    pub fn exponential(mean: f64) -> Result<Self, DistError> {
        check_mean(mean)?;
        let exp = Exp::new(1.0 / mean).map_err(|_| DistError::Mean(mean))?;
        Ok(Self {
            kind: Kind::Exponential(exp),
            mean,
            variance: mean * mean,
        })
    }

    /// Lognormal with the given mean and coefficient of variation (standard deviation / mean).
    pub fn lognormal(mean: f64, cv: f64) -> Result<Self, DistError> {
        check_mean(mean)?;
        check_cv(cv)?;
        let sigma2 = cv.mul_add(cv, 1.0).ln();
        let mu = mean.ln() - sigma2 / 2.0;
        let ln = LogNormal::new(mu, sigma2.sqrt()).map_err(|_| DistError::Cv(cv))?;
        Ok(Self {
            kind: Kind::LogNormal(ln),
            mean,
            variance: (cv * mean).powi(2),
        })
    }

    /// Lognormal with the given median and 75th percentile (`p75 > median`), the way durations
    /// are often published.
    pub fn lognormal_from_median_p75(median: f64, p75: f64) -> Result<Self, DistError> {
        check_mean(median)?;
        if !(p75.is_finite() && p75 > median) {
            return Err(DistError::Bounds {
                low: median,
                high: p75,
            });
        }
        check_size(p75)?;
        // The 75th percentile of the standard normal.
        const Z75: f64 = 0.674_489_750_196_081_7;
        let sigma = (p75 / median).ln() / Z75;
        let mean = median * (sigma * sigma / 2.0).exp();
        let cv = ((sigma * sigma).exp() - 1.0).sqrt();
        Self::lognormal(mean, cv)
    }

    /// Gamma with the given mean and coefficient of variation (shape `1/cv²`).
    pub fn gamma(mean: f64, cv: f64) -> Result<Self, DistError> {
        check_mean(mean)?;
        check_cv(cv)?;
        let shape = 1.0 / (cv * cv);
        let scale = mean / shape;
        let gamma = Gamma::new(shape, scale).map_err(|_| DistError::Cv(cv))?;
        Ok(Self {
            kind: Kind::Gamma(gamma),
            mean,
            variance: (cv * mean).powi(2),
        })
    }

    /// Uniform on `[low, high)`; `low == high` is the fixed value.
    pub fn uniform(low: f64, high: f64) -> Result<Self, DistError> {
        let bad = DistError::Bounds { low, high };
        if !(low.is_finite() && high.is_finite() && low >= 0.0 && low <= high) {
            return Err(bad);
        }
        check_size(high)?;
        if low == high {
            return Self::fixed(low);
        }
        let uniform = Uniform::new(low, high).map_err(|_| bad)?;
        Ok(Self {
            kind: Kind::Uniform(uniform),
            mean: (low + high) / 2.0,
            variance: (high - low).powi(2) / 12.0,
        })
    }

    /// Each of `values` with equal probability (resampling observed data).
    pub fn empirical(values: Vec<f64>) -> Result<Self, DistError> {
        if values.is_empty() || values.iter().any(|v| !(v.is_finite() && *v >= 0.0)) {
            return Err(DistError::Empirical);
        }
        if let Some(&large) = values.iter().find(|&&v| v > MAX_PARAMETER) {
            return Err(DistError::TooLarge(large));
        }
        let n = values.len() as f64;
        let mean = values.iter().sum::<f64>() / n;
        let variance = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
        Ok(Self {
            kind: Kind::Empirical(values),
            mean,
            variance,
        })
    }

    /// The distribution's mean, in its own units.
    pub fn mean(&self) -> f64 {
        self.mean
    }

    /// The variance, in squared units.
    pub fn variance(&self) -> f64 {
        self.variance
    }

    /// The second moment E\[X²\], in squared units (for Pollaczek-Khinchine style formulas).
    pub fn second_moment(&self) -> f64 {
        self.variance + self.mean * self.mean
    }

    /// The coefficient of variation (standard deviation / mean); 0 for a fixed zero.
    pub fn cv(&self) -> f64 {
        if self.mean > 0.0 {
            self.variance.sqrt() / self.mean
        } else {
            0.0
        }
    }

    /// Draws one value (never negative, never above [`MAX_DRAW`]).
    #[inline]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        let x = match &self.kind {
            Kind::Fixed(v) => *v,
            Kind::Exponential(d) => d.sample(rng),
            Kind::LogNormal(d) => d.sample(rng),
            Kind::Gamma(d) => d.sample(rng),
            Kind::Uniform(d) => d.sample(rng),
            Kind::Empirical(values) => values[rng.random_range(0..values.len())],
        };
        x.min(MAX_DRAW)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{RngStreams, StreamId};

    /// Draws per moment check.
    const DRAWS: usize = 400_000;
    /// Allowed error of a sample mean, in standard errors (two-sided, about 99.99 %).
    const Z_TOLERANCE: f64 = 4.0;

    fn assert_mean_matches(dist: &Dist) {
        let mut rng = RngStreams::new(11, 0).stream(StreamId::named("dist-test"));
        let draws: Vec<f64> = (0..DRAWS).map(|_| dist.sample(&mut rng)).collect();
        assert!(draws.iter().all(|x| *x >= 0.0));
        let mean = draws.iter().sum::<f64>() / DRAWS as f64;
        let se = (dist.variance() / DRAWS as f64).sqrt();
        assert!(
            (mean - dist.mean()).abs() <= Z_TOLERANCE * se + 1e-12,
            "{dist:?}: sample mean {mean} vs {} (se {se})",
            dist.mean()
        );
        if dist.variance() > 0.0 && dist.cv() <= 1.0 {
            // Light tails: the sample variance converges fast enough to check too.
            let var = draws.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / DRAWS as f64;
            let rel = (var / dist.variance() - 1.0).abs();
            assert!(
                rel < 0.02,
                "{dist:?}: sample variance {var} vs {}",
                dist.variance()
            );
        }
    }

    #[test]
    fn sample_moments_match_stated_moments() -> Result<(), DistError> {
        for dist in [
            Dist::fixed(3.0)?,
            Dist::exponential(2.5)?,
            Dist::lognormal(40.0, 0.5)?,
            Dist::lognormal(1.0, 2.0)?,
            Dist::gamma(10.0, 0.7)?,
            Dist::gamma(10.0, 1.5)?,
            Dist::uniform(2.0, 5.0)?,
            Dist::empirical(vec![1.0, 2.0, 2.0, 7.0])?,
        ] {
            assert_mean_matches(&dist);
        }
        Ok(())
    }

    #[test]
    fn lognormal_from_median_and_p75_reproduces_them() -> Result<(), DistError> {
        let dist = Dist::lognormal_from_median_p75(179.0, 393.0)?;
        let mut rng = RngStreams::new(3, 0).stream(StreamId::named("q"));
        let mut draws: Vec<f64> = (0..DRAWS).map(|_| dist.sample(&mut rng)).collect();
        draws.sort_by(f64::total_cmp);
        let median = draws[DRAWS / 2];
        let p75 = draws[DRAWS * 3 / 4];
        assert!((median / 179.0 - 1.0).abs() < 0.01, "median {median}");
        assert!((p75 / 393.0 - 1.0).abs() < 0.01, "p75 {p75}");
        Ok(())
    }

    #[test]
    fn issue_37_means_that_would_overflow_are_refused_and_draws_stay_finite() {
        assert_eq!(Dist::exponential(1e308), Err(DistError::TooLarge(1e308)));
        assert_eq!(
            DistError::TooLarge(1e308).to_string(),
            "1e308 is too large: at most 1e9 (hours or days) is accepted"
        );
        assert_eq!(
            DistError::Mean(-1e-300).to_string(),
            "mean must be a finite positive number, got -1e-300"
        );
        assert_eq!(Dist::gamma(1e300, 0.5), Err(DistError::TooLarge(1e300)));
        assert!(Dist::lognormal(2e9, 1.0).is_err());
        assert!(Dist::fixed(1e10).is_err());
        assert!(Dist::uniform(0.0, 1e10).is_err());
        assert!(Dist::empirical(vec![1.0, 1e10]).is_err());
        assert!(Dist::lognormal_from_median_p75(1.0, 1e10).is_err());
        // The largest accepted mean with an extreme spread: every draw finite.
        let wide = Dist::lognormal(MAX_PARAMETER, 1e6).expect("accepted");
        let mut rng = RngStreams::new(1, 0).stream(StreamId::named("wide"));
        assert!((0..100_000).all(|_| {
            let x = wide.sample(&mut rng);
            x.is_finite() && (0.0..=MAX_DRAW).contains(&x)
        }));
    }

    #[test]
    fn invalid_parameters_are_refused() {
        assert_eq!(Dist::exponential(0.0), Err(DistError::Mean(0.0)));
        assert!(Dist::exponential(f64::NAN).is_err());
        assert_eq!(Dist::lognormal(1.0, -1.0), Err(DistError::Cv(-1.0)));
        assert!(Dist::gamma(f64::INFINITY, 1.0).is_err());
        assert!(Dist::fixed(-1.0).is_err());
        assert!(Dist::uniform(3.0, 2.0).is_err());
        assert!(Dist::uniform(-1.0, 2.0).is_err());
        assert_eq!(Dist::empirical(vec![]), Err(DistError::Empirical));
        assert!(Dist::empirical(vec![1.0, f64::NAN]).is_err());
        assert!(Dist::lognormal_from_median_p75(10.0, 5.0).is_err());
    }
}
