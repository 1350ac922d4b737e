//! Comparing staffing options under common random numbers: every option runs replication `r`
//! with the same random streams, so the difference between two options in one replication is
//! the effect of the option, not of luck, and its confidence interval is narrower than the
//! interval of two independent samples would be.

use crate::design::Design;
use crate::measure::run::{Results, run};
use crate::measure::stats::{Estimate, welch_interval};
use crate::questions::cost_effect::{CostEffect, cost_effectiveness};

/// How one option differs from the baseline in one KPI.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Difference {
    /// The option's value minus the baseline's, paired by replication (common random numbers),
    /// with its 95 % Student-t interval. Replications where either value is undefined are left
    /// out.
    pub paired: Estimate,
    /// The 95 % Welch interval of the same difference, treating the two samples as
    /// independent: what the comparison could claim without common random numbers.
    pub unpaired: (f64, f64),
}

/// Options compared: each one's results and its difference from the first (the baseline).
#[derive(Debug, Clone)]
pub struct Comparison {
    /// Each option's results, in the order given; the first is the baseline.
    pub results: Vec<Results>,
    /// `differences[o][k]`: option `o`'s difference from the baseline in its KPI `k` (all NaN
    /// where the baseline has no KPI of that name).
    pub differences: Vec<Vec<Difference>>,
    /// What each option but the baseline buys for what it costs (see [`cost_effectiveness`]).
    pub cost_effects: Vec<CostEffect>,
}

/// Runs every design with the same seed and replications (common random numbers) and the
/// differences of each from the first. `on_done` is called once per finished replication.
pub fn compare(
    designs: &[Design],
    seed: u64,
    replications: u32,
    on_done: &(dyn Fn() + Sync),
) -> Result<Comparison, crate::RunError> {
    if let Some(first) = designs.first() {
        let runs = u64::from(replications) * designs.len() as u64;
        first
            .limits
            .check_runs(runs, "replications x options", "--reps")?;
    }
    let results = designs
        .iter()
        .map(|design| run(design, seed, replications, on_done))
        .collect::<Result<Vec<_>, _>>()?;
    let differences = match results.first() {
        Some(base) => results.iter().map(|r| differences(base, r)).collect(),
        None => Vec::new(),
    };
    let cost_effects = cost_effectiveness(designs, &results);
    Ok(Comparison {
        results,
        differences,
        cost_effects,
    })
}

/// The differences of `option` from `base` in each of `option`'s KPIs, matched by name and
/// team. Both must come from the same seed and replication numbers for the pairing to mean
/// anything. A replication where either value was not reached (+infinity) has no known
/// difference: it is counted as not reached, so the difference gets no mean.
pub fn differences(base: &Results, option: &Results) -> Vec<Difference> {
    option
        .kpi_defs
        .iter()
        .enumerate()
        .map(|(k, def)| {
            let Some(b) = base
                .kpi_defs
                .iter()
                .position(|d| d.name == def.name && d.team == def.team)
            else {
                let none = Estimate::from_values([]);
                return Difference {
                    paired: none,
                    unpaired: (f64::NAN, f64::NAN),
                };
            };
            let paired = Estimate::in_domain(
                option
                    .per_replication
                    .iter()
                    .zip(&base.per_replication)
                    .map(|(o, s)| {
                        if o[k].is_infinite() || s[b].is_infinite() {
                            f64::INFINITY
                        } else {
                            o[k] - s[b]
                        }
                    }),
                def.domain.of_difference(),
            );
            Difference {
                paired,
                unpaired: welch_interval(&base.kpis[b], &option.kpis[k]),
            }
        })
        .collect()
}
