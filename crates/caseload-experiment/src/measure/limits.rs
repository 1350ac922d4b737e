//! What a run may take, checked before it starts: a scenario that would need more memory than
//! a machine has is refused with the field and the estimate, never run until the allocator
//! aborts; and every replication has an event budget, so no scenario runs for ever.

use caseload_model::Demand;

/// The bounds a design is checked against before running.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// Most events one replication may handle (a London 10-year replication handles under a
    /// million).
    pub max_events: u64,
    /// Most referrals expected in one replication (London: about 220,000 in 10 years).
    pub max_referrals: f64,
    /// Longest run, days.
    pub max_days: f64,
    /// Most officers in post at the start, over all teams.
    pub max_officers: u64,
    /// Most bytes of daily series one replication keeps (teams x metrics x days).
    pub max_series_bytes: u64,
    /// Most runs one question holds the results of (replications x points, options, subsets
    /// or orders): each keeps its KPIs in memory until the question is answered.
    pub max_runs: u64,
}

impl Limits {
    /// Bounds no sensible scenario reaches, far above London's, within a laptop's memory.
    pub const DEFAULT: Limits = Limits {
        max_events: 1_000_000_000,
        max_referrals: 3_000_000.0,
        max_days: 100.0 * 365.2425,
        max_officers: 1_000_000,
        max_series_bytes: 1 << 30,
        max_runs: 10_000_000,
    };

    /// The default bounds on size lifted (the event budget kept): for a machine known to have
    /// the memory.
    pub const LARGE: Limits = Limits {
        max_events: Limits::DEFAULT.max_events,
        max_referrals: f64::INFINITY,
        max_days: f64::INFINITY,
        max_officers: u64::MAX,
        max_series_bytes: u64::MAX,
        max_runs: u64::MAX,
    };

    /// Checks that a question's `runs` (`what` they are, in words) are within
    /// [`Limits::max_runs`]; `option` is the command-line option that sets them.
    pub fn check_runs(&self, runs: u64, what: &str, option: &str) -> Result<(), LimitError> {
        if runs > self.max_runs {
            return Err(exceeded(
                option,
                format!("{runs} runs ({what})"),
                format!("{} runs", self.max_runs),
            ));
        }
        Ok(())
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}

/// A design beyond its limits.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum LimitError {
    /// One bound is exceeded.
    #[error("{field}: {estimate}, more than the {limit} allowed{hint}")]
    Exceeded {
        /// The scenario field responsible, e.g. `case_types.child_rape.annual_rate`.
        field: String,
        /// What the design would need, in words with its unit.
        estimate: String,
        /// The bound, in words with its unit.
        limit: String,
        /// How to go past it.
        hint: &'static str,
    },
}

const HINT: &str = " (pass --allow-large to run it on a machine with the memory)";

pub(crate) fn exceeded(field: impl Into<String>, estimate: String, limit: String) -> LimitError {
    LimitError::Exceeded {
        field: field.into(),
        estimate,
        limit,
        hint: HINT,
    }
}

/// An upper estimate of the referrals `demand` brings from day `from` to day `to`: compound
/// growth integrated exactly, seasonality and steps taken at their largest multiplier; a
/// trace's counts in full.
pub(crate) fn expected_referrals(demand: &Demand, from: f64, to: f64) -> f64 {
    match demand {
        Demand::Poisson(p) => {
            let (a, b) = (
                from / caseload_des::DAYS_PER_YEAR,
                to / caseload_des::DAYS_PER_YEAR,
            );
            let years = if p.annual_growth.abs() < 1e-12 {
                b - a
            } else {
                let g = (1.0 + p.annual_growth).ln();
                ((g * b).exp() - (g * a).exp()) / g
            };
            let peak = p
                .monthly_seasonality
                .iter()
                .chain(p.steps.iter().map(|s| &s.multiplier))
                .fold(1.0f64, |m, &x| m.max(x));
            p.annual_rate * years * peak
        }
        Demand::Trace { counts, .. } => counts.iter().map(|&c| f64::from(c)).sum(),
    }
}

/// Most teams, and most case type names, a design may have whatever its limits: the KPI
/// observer records each referral's team and case type in 16 bits.
pub const MAX_TEAMS_OR_CASE_TYPES: usize = u16::MAX as usize;
