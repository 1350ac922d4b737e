//! The fit: maximum likelihood by Fisher scoring, Poisson or negative binomial.

use nalgebra::{DMatrix, DVector};
use statrs::distribution::{ChiSquared, ContinuousCDF, Normal, StudentsT};
use statrs::function::gamma::{digamma, ln_gamma};
use time::Date;

use crate::counts::{Granularity, Observation, Series, add_months};

const DAYS_PER_YEAR: f64 = 365.2425;

/// What to fit beyond trend and seasonality.
#[derive(Debug, Clone, Default)]
pub struct FitOptions {
    /// A date from which the rate may step up or down (e.g. 2012-12-01).
    pub change: Option<Date>,
    /// The date the demand block's `annual_rate` is for (the scenario's start); default: the
    /// first period's start.
    pub start: Option<Date>,
}

/// An estimate with its 95 % confidence interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// The maximum-likelihood estimate.
    pub value: f64,
    /// Lower bound of the 95 % interval.
    pub lo: f64,
    /// Upper bound of the 95 % interval.
    pub hi: f64,
}

/// The uncertainty of the rate on the start date and of the growth, on the log scale (the
/// scenario's `uncertainty = { ... }`): standard errors and their correlation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spread {
    /// Standard error of log(annual_rate).
    pub rate_log_sd: f64,
    /// Standard error of log(1 + annual_growth).
    pub growth_log_sd: f64,
    /// Correlation of the two estimates.
    pub correlation: f64,
}

/// How the counts vary around their mean.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Dispersion {
    /// As Poisson: the variance is the mean (no evidence of more).
    Poisson,
    /// Negative binomial: variance mean + mean^2 / theta.
    NegativeBinomial {
        /// The size parameter theta (smaller: more overdispersed), with its 95 % interval.
        theta: Estimate,
        /// p-value of the likelihood-ratio test against Poisson.
        p_value: f64,
    },
}

/// One series' fitted demand.
#[derive(Debug, Clone)]
pub struct Fit {
    /// `case_type` or `case_type@team`.
    pub label: String,
    /// Periods fitted.
    pub periods: usize,
    /// Referrals a year on the start date (seasons averaged, the step included if the start
    /// is on or after it).
    pub annual_rate: Estimate,
    /// Compound growth a year (0.05 is +5 %).
    pub annual_growth: Estimate,
    /// The estimates' uncertainty as a scenario draws it.
    pub spread: Spread,
    /// Multipliers January to December, mean 1 (monthly data only).
    pub seasonality: Option<[Estimate; 12]>,
    /// The change date and the rate's multiplier from it.
    pub step: Option<(Date, Estimate)>,
    /// Poisson or negative binomial.
    pub dispersion: Dispersion,
    /// Pearson chi-squared over its degrees of freedom (about 1 when the model fits); NaN for
    /// an exact fit (as many periods as parameters).
    pub pearson_dispersion: f64,
    /// p-value of the Pearson chi-squared goodness-of-fit test.
    pub pearson_p_value: f64,
    /// The date `annual_rate` is for.
    pub start: Date,
    /// Fitted mean count of each period, in the series' order.
    pub fitted: Vec<f64>,
    shape: Shape,
    beta: DVector<f64>,
    /// The coefficients' covariance, as the intervals use it.
    covariance: DMatrix<f64>,
    /// Negative binomial size (infinite: Poisson).
    theta: f64,
    observations: Vec<Observation>,
    /// Monthly or yearly periods.
    pub granularity: Granularity,
}

/// A series that cannot be fitted.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{label}: {message}")]
pub struct FitError {
    /// The series.
    pub label: String,
    /// Why.
    pub message: String,
}

/// Fits one series.
pub fn fit(series: &Series, options: &FitOptions) -> Result<Fit, FitError> {
    let label = series.label();
    let fail = |message: String| FitError {
        label: label.clone(),
        message,
    };
    let obs = &series.observations;
    let origin = obs
        .first()
        .map(|o| o.start)
        .ok_or_else(|| fail("no periods".into()))?;
    let monthly = series.granularity == Granularity::Monthly;
    let years = |d: Date| (d - origin).whole_days() as f64 / DAYS_PER_YEAR;
    // Columns: intercept, trend, 11 seasonal effects (February..December), the step.
    let seasonal = if monthly { 11 } else { 0 };
    let has_step = options.change.is_some();
    let k = 2 + seasonal + usize::from(has_step);
    if obs.len() < k {
        return Err(fail(format!(
            "{} periods cannot fit {k} parameters (trend{}{}): give at least {k}",
            obs.len(),
            if monthly { ", 11 monthly effects" } else { "" },
            if has_step { ", a step" } else { "" },
        )));
    }
    if monthly {
        for month in 1..=12u8 {
            if !obs.iter().any(|o| u8::from(o.start.month()) == month) {
                return Err(fail(format!(
                    "no count for month {month}: monthly seasonality needs every calendar month"
                )));
            }
        }
    }
    let shape = Shape {
        origin,
        monthly,
        change: options.change,
    };
    let rows: Vec<Row> = obs
        .iter()
        .map(|o| shape.row(o.start, o.end, o.count as f64))
        .collect();
    if let Some(change) = options.change {
        let before = rows.iter().any(|r| r.after < 1.0);
        let after = rows.iter().any(|r| r.after > 0.0);
        if !(before && after) {
            return Err(fail(format!(
                "the change date {change} is outside the periods: a step needs counts before and after it"
            )));
        }
    }
    let total: f64 = rows.iter().map(|r| r.y).sum();
    if total <= 0.0 {
        return Err(fail("every count is 0: there is no rate to fit".into()));
    }
    let exposure: f64 = rows.iter().map(|r| r.log_days.exp()).sum();
    let mut start = DVector::zeros(k);
    start[0] = (total / exposure).ln();
    let poisson = scoring(&rows, k, has_step, f64::INFINITY, start)
        .ok_or_else(|| fail("the fit did not converge".into()))?;
    let l_poisson = log_likelihood(&rows, &poisson.mu, f64::INFINITY);
    // Overdispersion: profile theta, alternating with the coefficients.
    let mut theta = f64::INFINITY;
    let mut nb = poisson.clone();
    for _ in 0..50 {
        let next_theta = best_theta(&rows, &nb.mu);
        let refit = scoring(&rows, k, has_step, next_theta, nb.beta.clone())
            .ok_or_else(|| fail("the negative binomial fit did not converge".into()))?;
        let done = (next_theta.ln() - theta.ln()).abs() < 1e-8;
        theta = next_theta;
        nb = refit;
        if done {
            break;
        }
    }
    let l_nb = log_likelihood(&rows, &nb.mu, theta);
    let lr = (2.0 * (l_nb - l_poisson)).max(0.0);
    let chi1 = ChiSquared::new(1.0).map_err(|e| fail(e.to_string()))?;
    let p_value = 0.5 * (1.0 - chi1.cdf(lr));
    // As many periods as parameters: the fit is exact, nothing is left to test or estimate
    // overdispersion with, and the intervals assume Poisson variation.
    let saturated = rows.len() == k;
    let (chosen, theta, dispersion) = if !saturated && theta.is_finite() && p_value < 0.05 {
        let se = theta_standard_error(&rows, &nb.mu, theta);
        let z = 1.959963984540054;
        let d = Dispersion::NegativeBinomial {
            theta: Estimate {
                value: theta,
                lo: theta * (-z * se).exp(),
                hi: theta * (z * se).exp(),
            },
            p_value,
        };
        (nb, theta, d)
    } else {
        (poisson, f64::INFINITY, Dispersion::Poisson)
    };
    let pearson: f64 = rows
        .iter()
        .zip(&chosen.mu)
        .map(|(r, &m)| (r.y - m).powi(2) / (m + m * m / theta))
        .sum();
    let df = (rows.len() - k) as f64;
    // Intervals: the information's inverse scaled by the Pearson dispersion when above 1 (the
    // likelihood's variance understates the spread left after estimating theta), with a
    // Student t quantile on the residual degrees of freedom.
    let scale = if saturated {
        1.0
    } else {
        (pearson / df).max(1.0)
    };
    let beta = &chosen.beta;
    let cov = &(&chosen.covariance * scale);
    let z = StudentsT::new(0.0, 1.0, df)
        .map(|t| t.inverse_cdf(0.975))
        .unwrap_or_else(|_| Normal::standard().inverse_cdf(0.975));
    let interval = |value: f64, se: f64, map: &dyn Fn(f64) -> f64| Estimate {
        value: map(value),
        lo: map(value - z * se),
        hi: map(value + z * se),
    };
    // Seasonal effects: s_1 = 0 (January), then the fitted ones; multipliers of mean 1.
    let s: Vec<f64> = (0..12)
        .map(|m| {
            if m == 0 || !monthly {
                0.0
            } else {
                beta[2 + m - 1]
            }
        })
        .collect();
    let mean_exp = s.iter().map(|v| v.exp()).sum::<f64>() / 12.0;
    let seasonality = monthly.then(|| {
        std::array::from_fn(|m| {
            // Delta method on log(multiplier) = s_m - log(mean exp s).
            let mut grad = DVector::zeros(k);
            for j in 1..12 {
                let share = s[j].exp() / (12.0 * mean_exp);
                grad[2 + j - 1] = f64::from(u8::from(j == m)) - share;
            }
            let se = (grad.transpose() * cov * &grad)[(0, 0)].max(0.0).sqrt();
            interval(s[m] - mean_exp.ln(), se, &f64::exp)
        })
    });
    let start_date = options.start.unwrap_or(origin);
    let t = years(start_date);
    let stepped = options.change.is_some_and(|c| start_date >= c);
    let delta = if has_step { beta[k - 1] } else { 0.0 };
    let log_rate = DAYS_PER_YEAR.ln()
        + beta[0]
        + beta[1] * t
        + mean_exp.ln()
        + if stepped { delta } else { 0.0 };
    let mut grad = DVector::zeros(k);
    grad[0] = 1.0;
    grad[1] = t;
    for j in 1..12 {
        if monthly {
            grad[2 + j - 1] = s[j].exp() / (12.0 * mean_exp);
        }
    }
    if stepped {
        grad[k - 1] = 1.0;
    }
    let rate_se = (grad.transpose() * cov * &grad)[(0, 0)].max(0.0).sqrt();
    let growth_se = cov[(1, 1)].max(0.0).sqrt();
    let covariance_rate_growth = (grad.transpose() * cov.column(1))[(0, 0)];
    let spread = Spread {
        rate_log_sd: rate_se,
        growth_log_sd: growth_se,
        correlation: if rate_se > 0.0 && growth_se > 0.0 {
            (covariance_rate_growth / (rate_se * growth_se)).clamp(-1.0, 1.0)
        } else {
            0.0
        },
    };
    let step = options.change.map(|c| {
        let se = cov[(k - 1, k - 1)].max(0.0).sqrt();
        (c, interval(delta, se, &f64::exp))
    });
    // Undefined (NaN) for an exact fit.
    let pearson_p_value = ChiSquared::new(df)
        .map(|c| 1.0 - c.cdf(pearson))
        .unwrap_or(f64::NAN);
    Ok(Fit {
        label,
        periods: rows.len(),
        annual_rate: interval(log_rate, rate_se, &f64::exp),
        annual_growth: interval(beta[1], growth_se, &|g| g.exp() - 1.0),
        spread,
        seasonality,
        step,
        dispersion,
        pearson_dispersion: if saturated { f64::NAN } else { pearson / df },
        pearson_p_value,
        start: start_date,
        fitted: chosen.mu.clone(),
        shape,
        beta: chosen.beta.clone(),
        covariance: cov.clone(),
        theta,
        observations: obs.clone(),
        granularity: series.granularity,
    })
}

/// The calendar layout of a fit: where time starts, whether months have their own effects,
/// and the change date.
#[derive(Debug, Clone)]
struct Shape {
    origin: Date,
    monthly: bool,
    change: Option<Date>,
}

impl Shape {
    /// The regressors of the period from `start` to `end` (exclusive) with count `y`.
    fn row(&self, start: Date, end: Date, y: f64) -> Row {
        let days = (end - start).whole_days() as f64;
        let after = match self.change {
            Some(c) if c >= end => 0.0,
            Some(c) if c <= start => 1.0,
            Some(c) => (end - c).whole_days() as f64 / days,
            None => 0.0,
        };
        let seasonal = if self.monthly { 11 } else { 0 };
        let mut x = vec![0.0; 2 + seasonal];
        x[0] = 1.0;
        x[1] = ((start - self.origin).whole_days() as f64 + days / 2.0) / DAYS_PER_YEAR;
        let month = usize::from(u8::from(start.month()));
        if self.monthly && month > 1 {
            x[2 + month - 2] = 1.0;
        }
        Row {
            y,
            log_days: days.ln(),
            x,
            after,
        }
    }
}

/// Most periods a forecast reaches past the last count: 100 years of months.
pub const MAX_AHEAD: usize = 1200;

/// Observed counts, the fitted mean and a predictive band, period by period from the first
/// observed period to `ahead` periods after the last.
#[derive(Debug, Clone, PartialEq)]
pub struct Fan {
    /// Start of each period.
    pub starts: Vec<Date>,
    /// The count observed (NaN where none is: gaps and the forecast).
    pub observed: Vec<f64>,
    /// The fitted mean count.
    pub mean: Vec<f64>,
    /// 5th percentile of the count predicted (parameter uncertainty and dispersion).
    pub lo: Vec<f64>,
    /// 95th percentile.
    pub hi: Vec<f64>,
}

impl Fit {
    /// Observed against fitted, and the forecast `ahead` periods on (at most [`MAX_AHEAD`]),
    /// with a 5-95 % predictive
    /// band from `draws` draws of the parameters (normal, the fit's covariance) and of the
    /// counts (Poisson or negative binomial); the same `seed` gives the same band.
    pub fn fan(&self, ahead: usize, draws: usize, seed: u64) -> Fan {
        use rand::SeedableRng;
        use rand_distr::{Distribution, Gamma, Poisson, StandardNormal};
        let step = match self.granularity {
            Granularity::Monthly => 1,
            Granularity::Yearly => 12,
        };
        let first = self
            .observations
            .first()
            .map_or(self.shape.origin, |o| o.start);
        let last = self.observations.last().map_or(first, |o| o.start);
        // Every period from the first observed to `ahead` after the last (gaps included).
        let mut periods = Vec::new();
        let mut start = first;
        let mut beyond = 0;
        let ahead = ahead.min(MAX_AHEAD);
        while start <= last || beyond < ahead {
            // The calendar ends in 9999: the fan stops there.
            let Some(end) = add_months(start, step) else {
                break;
            };
            if start > last {
                beyond += 1;
            }
            periods.push((start, end));
            start = end;
        }
        let rows: Vec<Row> = periods
            .iter()
            .map(|&(s, e)| self.shape.row(s, e, 0.0))
            .collect();
        let has_step = self.shape.change.is_some();
        let (mean, _) = means(&rows, &self.beta, has_step);
        let k = self.beta.len();
        let chol = self.covariance.clone().cholesky();
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(seed);
        let mut samples: Vec<Vec<f64>> = vec![Vec::with_capacity(draws); rows.len()];
        for _ in 0..draws {
            let z = DVector::from_fn(k, |_, _| StandardNormal.sample(&mut rng));
            let beta = match &chol {
                Some(c) => &self.beta + c.l() * z,
                None => self.beta.clone(),
            };
            let (mu, _) = means(&rows, &beta, has_step);
            for (i, &m) in mu.iter().enumerate() {
                let m = if self.theta.is_finite() {
                    m * Gamma::new(self.theta, 1.0 / self.theta).map_or(1.0, |g| g.sample(&mut rng))
                } else {
                    m
                };
                let y: f64 = Poisson::new(m.max(1e-12)).map_or(0.0, |p| p.sample(&mut rng));
                samples[i].push(y);
            }
        }
        let quantile = |v: &mut Vec<f64>, q: f64| {
            v.sort_by(f64::total_cmp);
            let i = ((v.len() as f64 - 1.0) * q).round() as usize;
            v.get(i).copied().unwrap_or(f64::NAN)
        };
        let lo = samples.iter_mut().map(|v| quantile(v, 0.05)).collect();
        let hi = samples.iter_mut().map(|v| quantile(v, 0.95)).collect();
        let observed = periods
            .iter()
            .map(|(s, _)| {
                self.observations
                    .iter()
                    .find(|o| o.start == *s)
                    .map_or(f64::NAN, |o| o.count as f64)
            })
            .collect();
        Fan {
            starts: periods.iter().map(|p| p.0).collect(),
            observed,
            mean,
            lo,
            hi,
        }
    }
}

impl Fit {
    /// Whether the fit is exact: as many periods as parameters, so nothing is left to judge
    /// the fit or estimate overdispersion with.
    pub fn is_exact(&self) -> bool {
        self.pearson_dispersion.is_nan()
    }

    /// How well the fit holds, in words: the Pearson chi-squared over its degrees of freedom,
    /// or that the fit is exact and its intervals assume Poisson variation.
    pub fn goodness(&self) -> String {
        if self.is_exact() {
            format!(
                "exact fit: {} periods, as many as parameters, so the intervals assume Poisson \
                 variation (none left to estimate more)",
                self.periods
            )
        } else {
            format!(
                "Pearson chi2/df {:.2} (p = {:.3})",
                self.pearson_dispersion, self.pearson_p_value
            )
        }
    }

    /// The scenario's `demand = { ... }` line for this series, with the 95 % intervals as a
    /// comment above it.
    pub fn demand_toml(&self) -> String {
        let mut notes = vec![format!(
            "# {}: {} periods; annual rate on {} {:.1} [{:.1}, {:.1}], growth {:.4} [{:.4}, {:.4}]",
            self.label,
            self.periods,
            self.start,
            self.annual_rate.value,
            self.annual_rate.lo,
            self.annual_rate.hi,
            self.annual_growth.value,
            self.annual_growth.lo,
            self.annual_growth.hi
        )];
        if let Some((date, m)) = &self.step {
            notes.push(format!(
                "# step from {date}: x{:.4} [{:.4}, {:.4}]",
                m.value, m.lo, m.hi
            ));
        }
        notes.push(match self.dispersion {
            Dispersion::Poisson if self.is_exact() => format!("# {}", self.goodness()),
            Dispersion::Poisson => format!(
                "# dispersion: Poisson (no evidence of more); {}",
                self.goodness()
            ),
            Dispersion::NegativeBinomial { theta, p_value } => format!(
                "# dispersion: negative binomial, theta {:.1} [{:.1}, {:.1}] (p = {:.3} against \
                 Poisson); {}",
                theta.value,
                theta.lo,
                theta.hi,
                p_value,
                self.goodness()
            ),
        });
        let mut fields = vec![
            format!("annual_rate = {:.1}", self.annual_rate.value),
            format!("annual_growth = {:.4}", self.annual_growth.value),
        ];
        let spread = &self.spread;
        let uncertainty = format!(
            "uncertainty = {{ rate_log_sd = {:.4}, growth_log_sd = {:.4}, correlation = {:.3} }}",
            spread.rate_log_sd, spread.growth_log_sd, spread.correlation
        );
        if let Some(months) = &self.seasonality {
            let values: Vec<String> = months.iter().map(|m| format!("{:.3}", m.value)).collect();
            fields.push(format!("monthly_seasonality = [{}]", values.join(", ")));
        }
        if let Some((date, m)) = &self.step
            && *date > self.start
        {
            fields.push(format!(
                "steps = [{{ start = {date}, multiplier = {:.4} }}]",
                m.value
            ));
        }
        fields.push(uncertainty);
        format!(
            "{}\ndemand = {{ {} }}\n",
            notes.join("\n"),
            fields.join(", ")
        )
    }
}

struct Row {
    y: f64,
    log_days: f64,
    x: Vec<f64>,
    /// Share of the period's days on or after the change date.
    after: f64,
}

#[derive(Clone)]
struct Solution {
    beta: DVector<f64>,
    mu: Vec<f64>,
    covariance: DMatrix<f64>,
}

/// Means and the gradient of each log mean for coefficients `beta`.
fn means(rows: &[Row], beta: &DVector<f64>, has_step: bool) -> (Vec<f64>, Vec<Vec<f64>>) {
    let k = beta.len();
    let delta = if has_step { beta[k - 1] } else { 0.0 };
    rows.iter()
        .map(|r| {
            let linear: f64 = r.x.iter().zip(beta.iter()).map(|(x, b)| x * b).sum();
            let mix = 1.0 - r.after + r.after * delta.exp();
            let mut z = r.x.clone();
            if has_step {
                z.push(r.after * delta.exp() / mix);
            }
            ((linear + r.log_days + mix.ln()).exp(), z)
        })
        .unzip()
}

/// Fisher scoring at a fixed theta (infinite: Poisson), with step halving.
fn scoring(
    rows: &[Row],
    k: usize,
    has_step: bool,
    theta: f64,
    mut beta: DVector<f64>,
) -> Option<Solution> {
    let (mut mu, _) = means(rows, &beta, has_step);
    let mut ll = log_likelihood(rows, &mu, theta);
    for _ in 0..200 {
        let (_, zs) = means(rows, &beta, has_step);
        let mut score = DVector::zeros(k);
        let mut info = DMatrix::zeros(k, k);
        for ((r, &m), z) in rows.iter().zip(&mu).zip(&zs) {
            let v = 1.0 + m / theta;
            let z = DVector::from_column_slice(z);
            score += &z * ((r.y - m) / v);
            info += &z * z.transpose() * (m / v);
        }
        let step = info.clone().cholesky()?.solve(&score);
        let mut scale = 1.0;
        let mut accepted = false;
        for _ in 0..30 {
            let candidate = &beta + &step * scale;
            let (m2, _) = means(rows, &candidate, has_step);
            let l2 = log_likelihood(rows, &m2, theta);
            if l2.is_finite() && l2 >= ll - 1e-10 {
                beta = candidate;
                mu = m2;
                ll = l2;
                accepted = true;
                break;
            }
            scale /= 2.0;
        }
        if !accepted || step.amax() * scale < 1e-10 {
            let covariance = info.try_inverse()?;
            return Some(Solution {
                beta,
                mu,
                covariance,
            });
        }
    }
    None
}

/// Log-likelihood, Poisson when theta is infinite, negative binomial (NB2) otherwise.
fn log_likelihood(rows: &[Row], mu: &[f64], theta: f64) -> f64 {
    rows.iter()
        .zip(mu)
        .map(|(r, &m)| {
            if theta.is_infinite() {
                r.y * m.ln() - m - ln_gamma(r.y + 1.0)
            } else {
                ln_gamma(r.y + theta) - ln_gamma(theta) - ln_gamma(r.y + 1.0)
                    + theta * (theta / (theta + m)).ln()
                    + r.y * (m / (theta + m)).ln()
            }
        })
        .sum()
}

/// The theta maximising the likelihood at means `mu` (golden section on log theta between
/// 0.01 and 1e8; 1e8 or more reads as Poisson, returned as infinity).
fn best_theta(rows: &[Row], mu: &[f64]) -> f64 {
    let f = |log_theta: f64| -log_likelihood(rows, mu, log_theta.exp());
    let (mut a, mut b) = (0.01f64.ln(), 1e8f64.ln());
    let ratio = (5f64.sqrt() - 1.0) / 2.0;
    let mut c = b - ratio * (b - a);
    let mut d = a + ratio * (b - a);
    while (b - a).abs() > 1e-9 {
        if f(c) < f(d) {
            b = d;
        } else {
            a = c;
        }
        c = b - ratio * (b - a);
        d = a + ratio * (b - a);
    }
    let best = ((a + b) / 2.0).exp();
    if best > 1e7 { f64::INFINITY } else { best }
}

/// Standard error of log theta from the observed information of the profile likelihood.
fn theta_standard_error(rows: &[Row], mu: &[f64], theta: f64) -> f64 {
    // d2 l / d theta2, then by the chain rule for log theta (at the maximum the first
    // derivative is zero).
    let second: f64 = rows
        .iter()
        .zip(mu)
        .map(|(r, &m)| {
            trigamma(r.y + theta) - trigamma(theta) + 1.0 / theta - 2.0 / (theta + m)
                + (r.y + theta) / (theta + m).powi(2)
        })
        .sum();
    let info = -second * theta * theta;
    if info > 0.0 {
        1.0 / info.sqrt()
    } else {
        f64::INFINITY
    }
}

/// The trigamma function by a central difference of the digamma (enough for an interval).
fn trigamma(x: f64) -> f64 {
    let h = 1e-4 * x.max(1.0);
    (digamma(x + h) - digamma(x - h)) / (2.0 * h)
}
