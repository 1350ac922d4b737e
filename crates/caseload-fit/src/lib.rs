//! # caseload-fit
//!
//! Demand from a force's own counts: referrals by calendar period (monthly or yearly, gaps
//! allowed) and case type are read from a CSV file ([`read_counts`]), and each type's rate is
//! fitted ([`fit`]) as a log-linear trend with monthly seasonality (monthly data), an optional
//! step change on a given date, and overdispersion (negative binomial when the counts vary more
//! than Poisson, by a likelihood-ratio test). The fit gives estimates with confidence intervals,
//! goodness-of-fit figures and the scenario's `demand` block ([`Fit::demand_toml`]).
//!
//! The model, for period `i` of `D_i` days whose middle is `m_i` years after the first period's
//! start, with a share `f_i` of its days on or after the change date:
//!
//! `E[y_i] = D_i exp(b0 + g m_i + s_month(i)) (1 - f_i + f_i e^delta)`
//!
//! fitted by Fisher scoring (maximum likelihood), with `Var[y_i] = mu_i + mu_i^2 / theta` for
//! the negative binomial. Dependencies: nalgebra for the small dense solves and inverses,
//! statrs for the log-gamma, digamma and normal, t and chi-squared quantiles, rand_distr for
//! the forecast's draws.

mod counts;
mod glm;

pub use counts::{
    CountsError, Granularity, MAX_COUNTS_BYTES, MAX_SPAN_MONTHS, Observation, Series, read_counts,
    read_counts_file,
};
pub use glm::{Dispersion, Estimate, Fan, Fit, FitError, FitOptions, MAX_AHEAD, fit};
