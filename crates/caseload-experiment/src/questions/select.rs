//! Choosing the best option with a guarantee: the KN procedure (Kim and Nelson, 2001, "A
//! fully sequential procedure for indifference-zone selection in simulation", ACM TOMACS
//! 11(3)). KN suits caseload: it is fully sequential (it drops an option as soon as the
//! evidence allows, so clearly worse options cost few replications), it needs no normal
//! variance-known assumption, and it works with common random numbers (the variance of each
//! pair's difference is estimated directly, so the positive correlation CRN induces makes it
//! stop sooner). OCBA allocates a fixed budget well but gives no probability guarantee.
//!
//! With probability at least `pcs`, the option chosen is the best whenever the best is at
//! least `delta` better than every other (the indifference zone); any option chosen is within
//! `delta` of the best otherwise. Each option's KPI is one number per replication; replication
//! `r` of every option runs the same random streams.

use rayon::prelude::*;

use crate::design::Design;
use crate::measure::run::{RunError, run_one};
use crate::names::find_kpi;

/// Which way is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Goal {
    /// The smallest KPI is best (a backlog, a wait, a cost).
    Smallest,
    /// The largest KPI is best (a share allocated within target).
    Largest,
}

impl Goal {
    /// The goal the KPI's own direction gives ([`KpiDef::better`]); `None` for a KPI that is
    /// better neither way (referrals, utilisation), where the user must say.
    pub fn natural(def: &crate::measure::kpi::KpiDef) -> Option<Goal> {
        Self::of(def.better)
    }

    /// The goal the scenario's `[report]` states for the KPI (`asked`), else its own
    /// direction; `None` where neither says.
    pub fn asked(
        def: &crate::measure::kpi::KpiDef,
        asked: Option<&crate::asked::ReportAsk>,
    ) -> Option<Goal> {
        match asked {
            Some(a) => Self::of(a.better(&def.key())),
            None => Self::natural(def),
        }
    }

    fn of(better: crate::measure::kpi::Better) -> Option<Goal> {
        match better {
            crate::measure::kpi::Better::Smaller => Some(Goal::Smallest),
            crate::measure::kpi::Better::Larger => Some(Goal::Largest),
            crate::measure::kpi::Better::Neither => None,
        }
    }
}

/// What the procedure did.
#[derive(Debug, Clone)]
pub struct Selection {
    /// The option chosen (an index into the designs).
    pub best: usize,
    /// Whether the procedure finished (one option left) rather than running out of budget.
    pub guaranteed: bool,
    /// Replications run of each option.
    pub replications: Vec<u32>,
    /// Each option's mean KPI over its replications.
    pub means: Vec<f64>,
    /// After how many replications each option was dropped (`None`: never).
    pub eliminated_after: Vec<Option<u32>>,
    /// The KN constant h^2 for this number of options, first-stage size and `pcs`.
    pub h2: f64,
    /// Replications a fixed design with the same guarantee would run in all: every option
    /// up to the largest first-stage bound h^2 S^2 / delta^2 over pairs.
    pub fixed_design: u64,
}

/// Why a selection cannot be made.
#[derive(Debug, thiserror::Error)]
pub enum SelectError {
    /// Wrong inputs.
    #[error("{0}")]
    Input(String),
    /// The KPI is not reported.
    #[error(transparent)]
    Kpi(#[from] crate::names::UnknownKpi),
    /// A replication failed.
    #[error(transparent)]
    Run(#[from] RunError),
    /// A replication gave no value for the KPI.
    #[error(
        "replication {replication} of option {option} has no value of the KPI (undefined or not reached); choose a KPI every replication defines"
    )]
    Undefined {
        /// The option.
        option: usize,
        /// The replication.
        replication: u32,
    },
}

/// The KN constant h^2 = (n0 - 1) ((2 a / (k - 1))^(-2 / (n0 - 1)) - 1), with a = 1 - pcs.
pub fn kn_h2(options: usize, first_stage: u32, pcs: f64) -> f64 {
    let alpha = 1.0 - pcs;
    let n = f64::from(first_stage) - 1.0;
    let eta = 0.5 * ((2.0 * alpha / (options as f64 - 1.0)).powf(-2.0 / n) - 1.0);
    2.0 * eta * n
}

/// Runs KN on `designs` for `kpi` (as users name it). `first_stage` replications of every
/// option first (at least 2), then one more of each surviving option at a time, up to
/// `most` replications of an option.
#[allow(clippy::too_many_arguments)]
pub fn select_best(
    designs: &[Design],
    kpi: &str,
    goal: Goal,
    pcs: f64,
    delta: f64,
    first_stage: u32,
    most: u32,
    seed: u64,
    on_done: &(dyn Fn() + Sync),
) -> Result<Selection, SelectError> {
    let k = designs.len();
    if k < 2 {
        return Err(SelectError::Input(
            "selection needs at least two options".into(),
        ));
    }
    if !(0.0..1.0).contains(&pcs) || pcs <= 1.0 / k as f64 {
        return Err(SelectError::Input(format!(
            "--pcs {pcs}: expected a probability above 1/{k} (chance) and below 1, like 0.95"
        )));
    }
    if !(delta > 0.0 && delta.is_finite()) {
        return Err(SelectError::Input(format!(
            "--delta {delta}: expected the smallest difference worth finding, above 0, in the KPI's unit"
        )));
    }
    if first_stage < 2 || most < first_stage {
        return Err(SelectError::Input(format!(
            "a first stage of {first_stage} replications and at most {most}: expected at least 2, and at most no fewer"
        )));
    }
    designs[0]
        .limits
        .check_runs(
            u64::from(most) * k as u64,
            "at most --reps replications x options",
            "--reps",
        )
        .map_err(RunError::from)?;
    let columns = designs
        .iter()
        .map(|d| find_kpi(&d.kpis(), kpi))
        .collect::<Result<Vec<_>, _>>()?;
    let sign = match goal {
        Goal::Largest => 1.0,
        Goal::Smallest => -1.0,
    };
    // One replication of one option: its KPI, signed so that larger is better.
    let value = |option: usize, r: u32| -> Result<f64, SelectError> {
        let result = run_one(&designs[option], seed, r);
        on_done();
        let x = result?.kpis[columns[option]];
        if x.is_finite() {
            Ok(sign * x)
        } else {
            Err(SelectError::Undefined {
                option,
                replication: r,
            })
        }
    };
    let mut values: Vec<Vec<f64>> = (0..k)
        .into_par_iter()
        .map(|i| {
            (0..first_stage)
                .into_par_iter()
                .map(|r| value(i, r))
                .collect::<Result<Vec<f64>, _>>()
        })
        .collect::<Result<_, _>>()?;
    let h2 = kn_h2(k, first_stage, pcs);
    let n0 = f64::from(first_stage);
    // First-stage variances of each pair's difference.
    let mut s2 = vec![vec![0.0f64; k]; k];
    for i in 0..k {
        for l in 0..k {
            if i != l {
                let d: Vec<f64> = (0..first_stage as usize)
                    .map(|r| values[i][r] - values[l][r])
                    .collect();
                let mean = d.iter().sum::<f64>() / n0;
                s2[i][l] = d.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n0 - 1.0);
            }
        }
    }
    let bound = s2
        .iter()
        .flatten()
        .map(|s| (h2 * s / (delta * delta)).floor())
        .fold(n0, f64::max);
    let fixed_design = (bound as u64 + 1).max(u64::from(first_stage)) * k as u64;
    let mut alive: Vec<usize> = (0..k).collect();
    let mut eliminated_after = vec![None; k];
    let mut r = first_stage;
    loop {
        let mean = |i: usize| values[i][..r as usize].iter().sum::<f64>() / f64::from(r);
        let w = |i: usize, l: usize| {
            (delta / (2.0 * f64::from(r)) * (h2 * s2[i][l] / (delta * delta) - f64::from(r)))
                .max(0.0)
        };
        let survivors: Vec<usize> = alive
            .iter()
            .copied()
            .filter(|&i| {
                alive
                    .iter()
                    .all(|&l| l == i || mean(i) >= mean(l) - w(i, l))
            })
            .collect();
        for &i in &alive {
            if !survivors.contains(&i) {
                eliminated_after[i] = Some(r);
            }
        }
        alive = survivors;
        if alive.len() <= 1 || r >= most {
            break;
        }
        let next: Vec<f64> = alive
            .par_iter()
            .map(|&i| value(i, r))
            .collect::<Result<_, _>>()?;
        for (&i, x) in alive.iter().zip(next) {
            values[i].push(x);
        }
        r += 1;
    }
    let means: Vec<f64> = values
        .iter()
        .map(|v| sign * v.iter().sum::<f64>() / v.len() as f64)
        .collect();
    let guaranteed = alive.len() == 1;
    let best = alive
        .iter()
        .copied()
        .max_by(|&a, &b| (sign * means[a]).total_cmp(&(sign * means[b])))
        .unwrap_or(0);
    Ok(Selection {
        best,
        guaranteed,
        replications: values.iter().map(|v| v.len() as u32).collect(),
        means,
        eliminated_after,
        h2,
        fixed_design,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kn_constant_grows_with_the_options_and_the_confidence() {
        // Two options, n0 = 10, PCS 0.95: eta = ((0.1)^(-2/9) - 1) / 2.
        let h2 = kn_h2(2, 10, 0.95);
        let expected = 2.0 * 0.5 * (0.1f64.powf(-2.0 / 9.0) - 1.0) * 9.0;
        assert!((h2 - expected).abs() < 1e-12);
        assert!(kn_h2(5, 10, 0.95) > h2);
        assert!(kn_h2(2, 10, 0.99) > h2);
        assert!(kn_h2(2, 20, 0.95) < h2);
    }
}
