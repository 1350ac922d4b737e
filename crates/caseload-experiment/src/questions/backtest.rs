//! Back-testing: does the model reproduce what happened? Observed monthly figures (referrals,
//! unallocated and open cases, officers in post) are set against the spread of the same
//! figures over replications, and each series reports how often the observations fall inside
//! the simulated 50 % and 90 % bands and how far off the simulated median is on average.

use rayon::prelude::*;

use crate::design::{Design, series_index};
use crate::measure::metric::Metric;
use crate::measure::run::{RunError, run_one};
use crate::measure::stats::quantile_sorted;

/// A figure the observed data can give, month by month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Observed {
    /// Referrals arriving in the period.
    Referrals,
    /// Cases allocated to officers in the period (a case returned to the queue and allocated
    /// again counts again).
    Allocations,
    /// Cases waiting unallocated at the period's end.
    Unallocated,
    /// Cases held by officers at the period's end.
    Open,
    /// Officers in post at the period's end.
    OfficersInPost,
}

impl Observed {
    /// Every figure, in report order.
    pub const ALL: [Observed; 5] = [
        Observed::Referrals,
        Observed::Allocations,
        Observed::Unallocated,
        Observed::Open,
        Observed::OfficersInPost,
    ];

    /// The name in observed files and outputs.
    pub fn name(self) -> &'static str {
        match self {
            Observed::Referrals => "referrals",
            Observed::Unallocated => "unallocated",
            Observed::Open => "open",
            Observed::OfficersInPost => "officers_in_post",
            Observed::Allocations => "allocations",
        }
    }

    /// The figure named `name`, if any.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.name() == name)
    }

    fn metric(self) -> Metric {
        match self {
            Observed::Referrals => Metric::Arrived,
            Observed::Unallocated => Metric::Unallocated,
            Observed::Open => Metric::Open,
            Observed::OfficersInPost => Metric::Officers,
            Observed::Allocations => Metric::Allocated,
        }
    }

    /// Whether the figure counts events in its period (rather than a level at its end).
    pub fn is_count(self) -> bool {
        matches!(self, Observed::Referrals | Observed::Allocations)
    }
}

/// One observed figure for one period.
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    /// Which figure.
    pub figure: Observed,
    /// The team (`None`: all teams).
    pub team: Option<usize>,
    /// Day the period starts (a count of referrals runs from here).
    pub from_day: usize,
    /// Day the period ends (levels are read here; referrals run up to here).
    pub to_day: usize,
    /// The value observed.
    pub value: f64,
}

/// An observation beside its simulated spread.
#[derive(Debug, Clone, PartialEq)]
pub struct BacktestPoint {
    /// The observation.
    pub observation: Observation,
    /// Simulated 5th, 25th, 50th, 75th and 95th percentiles over replications.
    pub quantiles: [f64; 5],
    /// Simulated mean over replications.
    pub mean: f64,
}

impl BacktestPoint {
    /// Whether the observation is inside the simulated 50 % band (25th to 75th percentile).
    pub fn inside_50(&self) -> bool {
        (self.quantiles[1]..=self.quantiles[3]).contains(&self.observation.value)
    }

    /// Whether the observation is inside the simulated 90 % band (5th to 95th percentile).
    pub fn inside_90(&self) -> bool {
        (self.quantiles[0]..=self.quantiles[4]).contains(&self.observation.value)
    }
}

/// How one figure (of one team) fared.
#[derive(Debug, Clone, PartialEq)]
pub struct Coverage {
    /// Which figure.
    pub figure: Observed,
    /// The team (`None`: all teams).
    pub team: Option<usize>,
    /// Observations compared.
    pub points: usize,
    /// Share of them inside the simulated 50 % band (about 0.5 when the model is right).
    pub inside_50: f64,
    /// Share inside the 90 % band (about 0.9).
    pub inside_90: f64,
    /// Mean of observed less simulated median.
    pub bias: f64,
    /// The bias over the mean observed value (0.1: observations 10 % above the model).
    pub relative_bias: f64,
}

impl Coverage {
    /// Whether this figure's share inside the 90 % band falls short of `min_coverage` (a
    /// back-test's target: with `--min-coverage 0.7`, a figure with 60 % inside fails).
    pub fn falls_short(&self, min_coverage: Option<f64>) -> bool {
        min_coverage.is_some_and(|min| self.inside_90 < min)
    }
}

/// Runs `replications` of `design` and sets each observation against the spread of its
/// figure; days must be within the run.
pub fn backtest(
    design: &Design,
    seed: u64,
    replications: u32,
    observations: &[Observation],
    on_done: &(dyn Fn() + Sync),
) -> Result<Vec<BacktestPoint>, RunError> {
    design.check_limits(&design.limits)?;
    let defs = design.series();
    let width = defs.len();
    let columns: Vec<usize> = observations
        .iter()
        .map(|o| series_index(&defs, o.team, o.figure.metric()).unwrap_or(0))
        .collect();
    // Per replication, the simulated value of each observation (kept small: one number each).
    let simulated: Vec<Vec<f64>> = (0..replications)
        .into_par_iter()
        .map(|r| {
            let result = run_one(design, seed, r);
            on_done();
            let result = result?;
            let at = |day: usize, s: usize| f64::from(result.series[day * width + s]);
            Ok(observations
                .iter()
                .zip(&columns)
                .map(|(o, &s)| match o.figure {
                    f if f.is_count() => at(o.to_day, s) - at(o.from_day, s),
                    _ => at(o.to_day, s),
                })
                .collect())
        })
        .collect::<Result<_, RunError>>()?;
    Ok(observations
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let mut values: Vec<f64> = simulated.iter().map(|r| r[i]).collect();
            values.sort_by(f64::total_cmp);
            let q = |p: f64| quantile_sorted(&values, p);
            BacktestPoint {
                observation: o.clone(),
                quantiles: [q(0.05), q(0.25), q(0.5), q(0.75), q(0.95)],
                mean: values.iter().sum::<f64>() / values.len().max(1) as f64,
            }
        })
        .collect())
}

/// Coverage and bias of each figure (and team) present, in [`Observed::ALL`] order, all
/// teams first.
pub fn coverage(checked: &[BacktestPoint]) -> Vec<Coverage> {
    let mut groups: Vec<(Observed, Option<usize>)> = checked
        .iter()
        .map(|c| (c.observation.figure, c.observation.team))
        .collect();
    groups.sort();
    groups.dedup();
    groups
        .into_iter()
        .map(|(figure, team)| {
            let mine: Vec<&BacktestPoint> = checked
                .iter()
                .filter(|c| c.observation.figure == figure && c.observation.team == team)
                .collect();
            let n = mine.len() as f64;
            let share =
                |f: fn(&BacktestPoint) -> bool| mine.iter().filter(|c| f(c)).count() as f64 / n;
            let bias = mine
                .iter()
                .map(|c| c.observation.value - c.quantiles[2])
                .sum::<f64>()
                / n;
            let level = mine.iter().map(|c| c.observation.value).sum::<f64>() / n;
            Coverage {
                figure,
                team,
                points: mine.len(),
                inside_50: share(BacktestPoint::inside_50),
                inside_90: share(BacktestPoint::inside_90),
                bias,
                relative_bias: if level != 0.0 { bias / level } else { f64::NAN },
            }
        })
        .collect()
}
