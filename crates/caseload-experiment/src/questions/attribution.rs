//! What each staffing action of a package buys: Shapley values and leave-one-out effects on
//! chosen KPIs, under common random numbers.
//!
//! `v_r(S)` is a KPI in replication `r` with only the actions in `S` (every subset runs the
//! same random streams in replication `r`). An action's Shapley value is its marginal effect
//! `v_r(S + i) - v_r(S)` averaged over the orders in which the actions could be added; the
//! values of the actions add up to the package's effect `v_r(all) - v_r(none)` in every
//! replication. Up to [`EXACT_UP_TO`] actions every subset is run and the average is exact;
//! beyond, each replication draws its own random orders (so replications stay independent
//! and the interval covers both the orders' and the model's randomness). Leave-one-out is
//! `v_r(all) - v_r(all - i)`: what losing the action would cost. Estimates are means over
//! replications with Student-t intervals of the paired differences.

use std::collections::{BTreeMap, BTreeSet};

use rand::SeedableRng;
use rand::seq::SliceRandom;
use rayon::prelude::*;

use crate::design::Design;
use crate::measure::run::{RunError, run_one};
use crate::measure::stats::{Domain, Estimate};
use crate::names::find_kpi;

/// Most actions whose Shapley values are computed exactly (every subset: 2^8 = 256).
pub const EXACT_UP_TO: usize = 8;

/// The most actions attributed (permutations are drawn beyond [`EXACT_UP_TO`]).
pub const MOST_ACTIONS: usize = 60;

/// How the Shapley values were found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Every subset of the actions run.
    Exact,
    /// Random orders of the actions, this many per replication.
    Sampled {
        /// Orders drawn per replication.
        orders: usize,
    },
}

/// One action's effects on each KPI asked for.
#[derive(Debug, Clone)]
pub struct Contribution {
    /// The action's name.
    pub action: String,
    /// Its Shapley value per KPI: its share of the package's effect.
    pub shapley: Vec<Estimate>,
    /// Per KPI: the package with it less the package without it.
    pub leave_one_out: Vec<Estimate>,
}

/// A package's effects, action by action.
#[derive(Debug, Clone)]
pub struct Attribution {
    /// The KPIs, as asked for (`name` or `name@team`), with their units.
    pub kpis: Vec<(String, &'static str)>,
    /// Per KPI: with no action of the package (interval inside the KPI's domain).
    pub without: Vec<Estimate>,
    /// Per KPI: with the whole package.
    pub package: Vec<Estimate>,
    /// Per KPI: the package's effect, `package - without`, paired.
    pub total: Vec<Estimate>,
    /// Each action's contributions, in the package's order.
    pub actions: Vec<Contribution>,
    /// Exact, or how many orders were drawn.
    pub method: Method,
    /// Replications run in all (every subset, every replication).
    pub runs: usize,
}

/// Why an attribution cannot be made.
#[derive(Debug, thiserror::Error)]
pub enum AttributionError {
    /// A subset's design could not be made (an action needs another).
    #[error("without some of the actions the scenario is not valid: {0}")]
    Subset(String),
    /// A KPI named is not reported.
    #[error(transparent)]
    Kpi(#[from] crate::names::UnknownKpi),
    /// A replication failed.
    #[error(transparent)]
    Run(#[from] RunError),
    /// Too few or too many actions, or too few replications.
    #[error("{0}")]
    Shape(String),
}

/// The Shapley weight of a subset of `size` of `n` actions: `size! (n - size - 1)! / n!`.
fn weight(size: usize, n: usize) -> f64 {
    // Computed as 1 / (n * C(n - 1, size)), without factorials.
    let mut choose = 1.0f64;
    for k in 0..size {
        choose *= (n - 1 - k) as f64 / (k + 1) as f64;
    }
    1.0 / (n as f64 * choose)
}

/// Attributes the effect of a package of `actions` on `kpis` (names as users type them).
/// `design_of(mask)` gives the design with the actions whose bits are set in `mask` (bit `i`
/// for `actions[i]`). `orders`: random orders per replication when there are more than
/// [`EXACT_UP_TO`] actions (or always, if `force_sampling`). `cost` is attributed as well
/// when not among `kpis` (last), so what each action costs stands beside what it buys.
#[allow(clippy::too_many_arguments)]
pub fn attribute(
    actions: &[String],
    kpis: &[String],
    design_of: &(dyn Fn(u64) -> Result<Design, String> + Sync),
    seed: u64,
    replications: u32,
    orders: usize,
    force_sampling: bool,
    on_done: &(dyn Fn() + Sync),
) -> Result<Attribution, AttributionError> {
    let n = actions.len();
    if n == 0 || n > MOST_ACTIONS {
        return Err(AttributionError::Shape(format!(
            "{n} staffing actions: attribution needs 1 to {MOST_ACTIONS}"
        )));
    }
    if replications < 2 {
        return Err(AttributionError::Shape(
            "at least 2 replications are needed for an interval".into(),
        ));
    }
    // What each action costs sits beside what it buys: the cost is attributed too.
    let mut kpis = kpis.to_vec();
    if !kpis.iter().any(|k| k == "cost") {
        kpis.push("cost".to_string());
    }
    let full: u64 = if n == 64 { u64::MAX } else { (1u64 << n) - 1 };
    let method = if n <= EXACT_UP_TO && !force_sampling {
        Method::Exact
    } else {
        Method::Sampled {
            orders: orders.max(1),
        }
    };
    // The runs are bounded before any order is drawn.
    let (runs, what, option) = match method {
        Method::Exact => (
            u64::from(replications).saturating_mul(full.saturating_add(1)),
            "replications x subsets of the actions",
            "--reps",
        ),
        Method::Sampled { orders } => (
            u64::from(replications).saturating_mul(
                (orders as u64)
                    .saturating_mul(n as u64)
                    .saturating_add(n as u64 + 2),
            ),
            "replications x (orders x actions + actions + 2)",
            "--reps and --orders",
        ),
    };
    let limits = design_of(full).map_err(AttributionError::Subset)?.limits;
    limits
        .check_runs(runs, what, option)
        .map_err(|e| AttributionError::Run(RunError::from(e)))?;
    // Each replication's orders (sampled), drawn from the seed alone.
    let order_sets: Vec<Vec<Vec<usize>>> = (0..replications)
        .map(|r| match method {
            Method::Exact => Vec::new(),
            Method::Sampled { orders } => {
                let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(
                    seed ^ 0x5348_4150_4c45_5900 ^ (u64::from(r) << 20),
                );
                (0..orders)
                    .map(|_| {
                        let mut order: Vec<usize> = (0..n).collect();
                        order.shuffle(&mut rng);
                        order
                    })
                    .collect()
            }
        })
        .collect();
    // The (subset, replication) pairs needed.
    let mut needed: BTreeSet<(u64, u32)> = BTreeSet::new();
    for r in 0..replications {
        needed.insert((0, r));
        needed.insert((full, r));
        for i in 0..n {
            needed.insert((full & !(1 << i), r));
        }
        match method {
            Method::Exact => {
                for mask in 0..=full {
                    needed.insert((mask, r));
                }
            }
            Method::Sampled { .. } => {
                for order in &order_sets[r as usize] {
                    let mut mask = 0u64;
                    for &i in order {
                        mask |= 1 << i;
                        needed.insert((mask, r));
                    }
                }
            }
        }
    }
    let masks: BTreeSet<u64> = needed.iter().map(|(m, _)| *m).collect();
    let designs: BTreeMap<u64, (Design, Vec<usize>)> = masks
        .into_iter()
        .map(|mask| {
            let design = design_of(mask).map_err(AttributionError::Subset)?;
            let defs = design.kpis();
            let columns = kpis
                .iter()
                .map(|k| find_kpi(&defs, k))
                .collect::<Result<Vec<_>, _>>()?;
            Ok((mask, (design, columns)))
        })
        .collect::<Result<_, AttributionError>>()?;
    let (units, domains): (Vec<(String, &'static str)>, Vec<Domain>) = {
        let (design, columns) = &designs[&full];
        let defs = design.kpis();
        columns
            .iter()
            .map(|&c| ((defs[c].key(), defs[c].unit), defs[c].domain))
            .unzip()
    };
    let pairs: Vec<(u64, u32)> = needed.into_iter().collect();
    let values: Vec<Vec<f64>> = pairs
        .par_iter()
        .map(|&(mask, r)| {
            let (design, columns) = &designs[&mask];
            let result = run_one(design, seed, r);
            on_done();
            let result = result?;
            Ok(columns.iter().map(|&c| result.kpis[c]).collect())
        })
        .collect::<Result<_, RunError>>()?;
    let value: BTreeMap<(u64, u32), Vec<f64>> = pairs.iter().copied().zip(values).collect();
    let v = |mask: u64, r: u32, k: usize| value[&(mask, r)][k];
    let estimate =
        |f: &dyn Fn(u32) -> f64| Estimate::in_domain((0..replications).map(f), Domain::Real);
    let k_count = kpis.len();
    let per_kpi = |f: &dyn Fn(u32, usize) -> f64| -> Vec<Estimate> {
        (0..k_count).map(|k| estimate(&|r| f(r, k))).collect()
    };
    let shapley_of = |i: usize, r: u32, k: usize| -> f64 {
        match method {
            Method::Exact => (0..=full)
                .filter(|mask| mask & (1 << i) == 0)
                .map(|mask| {
                    weight(mask.count_ones() as usize, n)
                        * (v(mask | (1 << i), r, k) - v(mask, r, k))
                })
                .sum(),
            Method::Sampled { .. } => {
                let orders = &order_sets[r as usize];
                orders
                    .iter()
                    .map(|order| {
                        let at = order.iter().position(|&a| a == i).unwrap_or(0);
                        let before: u64 = order[..at].iter().fold(0, |m, &a| m | (1 << a));
                        v(before | (1 << i), r, k) - v(before, r, k)
                    })
                    .sum::<f64>()
                    / orders.len() as f64
            }
        }
    };
    let contributions = (0..n)
        .map(|i| Contribution {
            action: actions[i].clone(),
            shapley: per_kpi(&|r, k| shapley_of(i, r, k)),
            leave_one_out: per_kpi(&|r, k| v(full, r, k) - v(full & !(1 << i), r, k)),
        })
        .collect();
    // The KPI itself stays in its domain (a backlog is never negative); effects are
    // differences, on the real line.
    let level = |mask: u64| -> Vec<Estimate> {
        (0..k_count)
            .map(|k| Estimate::in_domain((0..replications).map(|r| v(mask, r, k)), domains[k]))
            .collect()
    };
    Ok(Attribution {
        kpis: units,
        without: level(0),
        package: level(full),
        total: per_kpi(&|r, k| v(full, r, k) - v(0, r, k)),
        actions: contributions,
        method,
        runs: pairs.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapley_weights_sum_to_one_over_the_subsets_without_an_action() {
        for n in 1..=8usize {
            // Sum over subsets of the other n - 1 actions: C(n - 1, s) subsets of size s.
            let mut total = 0.0;
            for s in 0..n {
                let mut choose = 1.0;
                for k in 0..s {
                    choose *= (n - 1 - k) as f64 / (k + 1) as f64;
                }
                total += choose * weight(s, n);
            }
            assert!((total - 1.0).abs() < 1e-12, "n = {n}: {total}");
        }
        assert!((weight(0, 3) - 1.0 / 3.0).abs() < 1e-12);
        assert!((weight(1, 3) - 1.0 / 6.0).abs() < 1e-12);
    }
}
