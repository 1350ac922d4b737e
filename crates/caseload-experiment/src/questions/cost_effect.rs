//! What each option buys for what it costs: the cases (and harm-weighted cases and child-days
//! waiting) it saves against the baseline per GBP 1 m spent and per officer-month added, with
//! Fieller intervals of the ratios over common-random-number replications.
//!
//! A ratio of two uncertain means is only defined when the denominator is known not to be
//! zero. Fieller's theorem gives the exact confidence set of `a / b` for a pair of jointly
//! normal means: a bounded interval when `b`'s own interval excludes zero, otherwise the whole
//! line or two rays. So the table says "not bounded" where the extra spending cannot be told
//! from none and "no extra" where the option adds nothing, rather than print a ratio that
//! misleads; where the option is cheaper, the ratio is what it gives up per pound it saves
//! (the baseline's own price against it), and the table says so.

use crate::design::Design;
use crate::measure::run::Results;
use crate::measure::stats::{CONFIDENCE, Estimate, t_quantile};

/// Days in an average month (365.25 / 12), for officer-months.
pub const DAYS_PER_MONTH: f64 = 365.25 / 12.0;

/// The effects the table prices, in the order shown: the cases left waiting at the end, the
/// same counted by harm weight, and the child-days waiting (harm-weighted); the last two only
/// where the scenario weighs its backlog.
pub const EFFECTS: [&str; 3] = [
    "backlog_end",
    "harm_weighted_backlog_end",
    "harm_weighted_days_waiting",
];

/// A ratio of paired means with its Fieller interval, or why there is none.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Ratio {
    /// The denominator's interval excludes zero: the ratio of the means and its 95 % Fieller
    /// interval. With a negative denominator (an option cheaper than the baseline) a positive
    /// ratio is what the option gives up per pound it saves, and a negative one means it is
    /// both cheaper and better.
    Bounded {
        /// Ratio of the means.
        ratio: f64,
        /// Lower end of the interval.
        lo: f64,
        /// Upper end of the interval.
        hi: f64,
        /// Whether the denominator's mean is negative (the option costs less).
        cheaper: bool,
    },
    /// The extra spending (or officers) cannot be told from none: the confidence set of the
    /// ratio is unbounded. The point ratio is kept for reference only.
    NotBounded {
        /// Ratio of the means.
        ratio: f64,
    },
    /// The option spends exactly what the baseline spends in every replication.
    NoExtra,
    /// Fewer than two replications with values.
    Unknown,
}

impl Ratio {
    /// The ratio `mean(numerator) / mean(denominator)` of paired values (NaN pairs left out),
    /// with Fieller's 95 % interval: the set of `r` for which `mean(a) - r mean(b)` is not
    /// significantly different from zero, where `mean(a) - r mean(b)` has variance
    /// `v_aa - 2 r v_ab + r^2 v_bb` (the variances and covariance of the means).
    pub fn fieller(pairs: impl IntoIterator<Item = (f64, f64)>) -> Ratio {
        let pairs: Vec<(f64, f64)> = pairs
            .into_iter()
            .filter(|(a, b)| a.is_finite() && b.is_finite())
            .collect();
        let n = pairs.len();
        if n < 2 {
            return Ratio::Unknown;
        }
        if pairs.iter().all(|&(_, b)| b == 0.0) {
            return Ratio::NoExtra;
        }
        let nf = n as f64;
        let a = pairs.iter().map(|p| p.0).sum::<f64>() / nf;
        let b = pairs.iter().map(|p| p.1).sum::<f64>() / nf;
        let moment =
            |f: &dyn Fn(&(f64, f64)) -> f64| pairs.iter().map(f).sum::<f64>() / (nf - 1.0) / nf;
        let v_aa = moment(&|p| (p.0 - a) * (p.0 - a));
        let v_bb = moment(&|p| (p.1 - b) * (p.1 - b));
        let v_ab = moment(&|p| (p.0 - a) * (p.1 - b));
        let t2 = t_quantile(CONFIDENCE, n).powi(2);
        let curvature = b * b - t2 * v_bb;
        if curvature <= 0.0 {
            return Ratio::NotBounded { ratio: a / b };
        }
        let slope = a * b - t2 * v_ab;
        let constant = a * a - t2 * v_aa;
        let root = (slope * slope - curvature * constant).max(0.0).sqrt();
        Ratio::Bounded {
            ratio: a / b,
            lo: (slope - root) / curvature,
            hi: (slope + root) / curvature,
            cheaper: b < 0.0,
        }
    }

    /// The ratio of the means where one is quoted (NaN otherwise).
    pub fn point(&self) -> f64 {
        match *self {
            Ratio::Bounded { ratio, .. } | Ratio::NotBounded { ratio } => ratio,
            _ => f64::NAN,
        }
    }

    /// The interval's ends (NaN where there is no bounded interval).
    pub fn interval(&self) -> (f64, f64) {
        match *self {
            Ratio::Bounded { lo, hi, .. } => (lo, hi),
            _ => (f64::NAN, f64::NAN),
        }
    }

    /// How to read the ratio, or why none is quoted ("" for the plain case: saved per unit
    /// spent, where both are positive).
    pub fn reading(&self) -> &'static str {
        match *self {
            Ratio::Bounded {
                ratio,
                cheaper: false,
                ..
            } if ratio < 0.0 => "costs more and does worse",
            Ratio::Bounded { cheaper: false, .. } => "",
            Ratio::Bounded { ratio, .. } if ratio <= 0.0 => "cheaper and no worse",
            Ratio::Bounded { .. } => "cheaper: given up per unit saved",
            Ratio::NotBounded { .. } => "not bounded: the extra cannot be told from none",
            Ratio::NoExtra => "no extra",
            Ratio::Unknown => "unknown",
        }
    }
}

/// What one option buys against the baseline in one effect.
#[derive(Debug, Clone, PartialEq)]
pub struct CostEffect {
    /// Index of the option (into the options compared; never 0, the baseline).
    pub option: usize,
    /// The effect's KPI name, one of [`EFFECTS`].
    pub effect: String,
    /// The effect's unit (cases, weighted cases, weighted days).
    pub unit: &'static str,
    /// The baseline's value less the option's, paired by replication: what the option saves
    /// (positive is fewer cases waiting).
    pub saved: Estimate,
    /// The option's staffing cost less the baseline's after the warm-up, pounds, paired.
    pub extra_cost: Estimate,
    /// The option's officer-months less the baseline's after the warm-up (mean officers in
    /// post times the months after the warm-up), paired.
    pub extra_officer_months: Estimate,
    /// Saved per GBP 1 m of extra cost.
    pub per_million: Ratio,
    /// Saved per extra officer-month.
    pub per_officer_month: Ratio,
}

/// The cost-effectiveness of every option against the first, in each of [`EFFECTS`] the
/// results hold (all teams). `designs[o]` is the design `results[o]` was run from (for its
/// months after the warm-up). Options without `cost` or `officers_in_post` give nothing.
pub fn cost_effectiveness(designs: &[Design], results: &[Results]) -> Vec<CostEffect> {
    let Some(base) = results.first() else {
        return Vec::new();
    };
    let column = |r: &Results, name: &str| {
        r.kpi_defs
            .iter()
            .position(|d| d.name == name && d.team.is_none())
            .map(|k| r.per_replication.iter().map(|v| v[k]).collect::<Vec<f64>>())
    };
    let months = |o: usize| designs[o].kpi_window_days() as f64 / DAYS_PER_MONTH;
    let (Some(base_cost), Some(base_officers)) =
        (column(base, "cost"), column(base, "officers_in_post"))
    else {
        return Vec::new();
    };
    let mut table = Vec::new();
    for (o, option) in results.iter().enumerate().skip(1) {
        let (Some(cost), Some(officers)) =
            (column(option, "cost"), column(option, "officers_in_post"))
        else {
            continue;
        };
        let extra_cost: Vec<f64> = cost.iter().zip(&base_cost).map(|(c, b)| c - b).collect();
        let extra_officer_months: Vec<f64> = officers
            .iter()
            .zip(&base_officers)
            .map(|(x, b)| x * months(o) - b * months(0))
            .collect();
        for effect in EFFECTS {
            let (Some(here), Some(there)) = (column(option, effect), column(base, effect)) else {
                continue;
            };
            let unit = base
                .kpi_defs
                .iter()
                .find(|d| d.name == effect)
                .map_or("", |d| d.unit);
            let saved: Vec<f64> = there.iter().zip(&here).map(|(b, x)| b - x).collect();
            table.push(CostEffect {
                option: o,
                effect: effect.to_string(),
                unit,
                saved: Estimate::from_values(saved.iter().copied()),
                extra_cost: Estimate::from_values(extra_cost.iter().copied()),
                extra_officer_months: Estimate::from_values(extra_officer_months.iter().copied()),
                per_million: Ratio::fieller(
                    saved
                        .iter()
                        .zip(&extra_cost)
                        .map(|(&s, &c)| (s, c / 1_000_000.0)),
                ),
                per_officer_month: Ratio::fieller(
                    saved
                        .iter()
                        .copied()
                        .zip(extra_officer_months.iter().copied()),
                ),
            });
        }
    }
    table
}

#[cfg(test)]
mod tests {
    use super::Ratio;
    use crate::measure::stats::{CONFIDENCE, t_quantile};
    use rand::SeedableRng;
    use rand_distr::{Distribution, Normal};

    #[test]
    fn a_constant_denominator_gives_the_numerators_t_interval_divided_by_it() {
        let a = [3.0, 5.0, 4.0, 6.0, 2.0];
        let Ratio::Bounded { ratio, lo, hi, .. } = Ratio::fieller(a.iter().map(|&x| (x, 2.0)))
        else {
            panic!("bounded");
        };
        // Hand-worked: mean 4, sd sqrt(2.5), t(0.975, 4) = 2.776445.
        let half = t_quantile(CONFIDENCE, 5) * 2.5f64.sqrt() / 5f64.sqrt();
        assert!((ratio - 2.0).abs() < 1e-12);
        assert!((lo - (4.0 - half) / 2.0).abs() < 1e-12, "{lo}");
        assert!((hi - (4.0 + half) / 2.0).abs() < 1e-12, "{hi}");
        assert!((half - 1.963_1).abs() < 1e-3, "{half}");
    }

    #[test]
    fn the_interval_covers_the_true_ratio_about_95_times_in_100() {
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(36);
        let (noise_a, noise_b) = (
            Normal::new(0.0, 30.0).expect("sd"),
            Normal::new(0.0, 0.4).expect("sd"),
        );
        let (true_a, true_b) = (100.0, 2.0);
        let trials = 4_000;
        let mut covered = 0;
        for _ in 0..trials {
            let pairs: Vec<(f64, f64)> = (0..10)
                .map(|_| {
                    let common = noise_b.sample(&mut rng);
                    // Correlated: a costlier replication also saves more.
                    (
                        true_a + noise_a.sample(&mut rng) + 40.0 * common,
                        true_b + common,
                    )
                })
                .collect();
            if let Ratio::Bounded { lo, hi, .. } = Ratio::fieller(pairs)
                && lo <= true_a / true_b
                && true_a / true_b <= hi
            {
                covered += 1;
            }
        }
        let share = f64::from(covered) / f64::from(trials);
        assert!((0.935..=0.965).contains(&share), "coverage {share}");
    }

    #[test]
    fn no_ratio_is_quoted_where_the_spending_is_none_negative_or_unclear() {
        assert_eq!(
            Ratio::fieller([(5.0, 0.0), (6.0, 0.0), (7.0, 0.0)]),
            Ratio::NoExtra
        );
        let cheaper = Ratio::fieller([(-5.0, -1.0), (-6.0, -1.1), (-7.0, -0.9)]);
        assert!(matches!(cheaper, Ratio::Bounded { cheaper: true, .. }));
        assert!((cheaper.point() - 6.0).abs() < 1e-12);
        assert_eq!(cheaper.reading(), "cheaper: given up per unit saved");
        let dominant = Ratio::fieller([(5.0, -1.0), (6.0, -1.1), (7.0, -0.9)]);
        assert_eq!(dominant.reading(), "cheaper and no worse");
        assert!(matches!(
            Ratio::fieller([(5.0, -1.0), (6.0, 1.1), (7.0, 0.2)]),
            Ratio::NotBounded { .. }
        ));
        assert_eq!(Ratio::fieller([(5.0, 1.0)]), Ratio::Unknown);
        assert_eq!(
            Ratio::fieller([(5.0, 1.0), (f64::NAN, 1.0)]),
            Ratio::Unknown
        );
    }
}
