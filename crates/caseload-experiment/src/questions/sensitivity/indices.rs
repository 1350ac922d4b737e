//! The indices of a finished sensitivity analysis, from the KPI values of every (point,
//! replication): the tornado's change at each end of each range (paired with the scenario as
//! written, replication by replication), and the method's indices (Morris or Sobol) from each
//! point's mean over replications.

use super::morris::{elementary_effects, screening};
use super::plan::SensitivityPlan;
use crate::measure::stats::Estimate;
use crate::results::manifest::KpiColumn;
use crate::results::store::Rows;

/// The indices `sensitivity.csv` holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndexName {
    /// Morris: mean absolute elementary effect, KPI units per whole range.
    MuStar,
    /// Morris: standard deviation of the elementary effects.
    Sigma,
    /// Sobol: first-order index, 0 to 1.
    First,
    /// Sobol: total index, 0 to 1.
    Total,
    /// The KPI's change from the scenario as written with the field at its range's low end.
    LowEnd,
    /// The same at the high end.
    HighEnd,
}

impl IndexName {
    /// The name in `sensitivity.csv`.
    pub fn name(self) -> &'static str {
        match self {
            IndexName::MuStar => "mu_star",
            IndexName::Sigma => "sigma",
            IndexName::First => "first",
            IndexName::Total => "total",
            IndexName::LowEnd => "low_end",
            IndexName::HighEnd => "high_end",
        }
    }
}

/// One row of `sensitivity.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct SensitivityIndex {
    /// The KPI.
    pub kpi: String,
    /// The field varied.
    pub parameter: String,
    /// `morris`, `sobol`, or `one_at_a_time` for the tornado's ends.
    pub method: &'static str,
    /// Which index.
    pub index: IndexName,
    /// Its value (NaN where undefined).
    pub value: f64,
    /// The low end of its 95 % interval.
    pub ci_lo: f64,
    /// The high end.
    pub ci_hi: f64,
}

/// The method name of the tornado's rows.
pub const ONE_AT_A_TIME: &str = "one_at_a_time";

/// A KPI the plan analyses that the rows do not hold.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the results hold no KPI `{0}`")]
pub struct MissingKpi(pub String);

/// Every index of every KPI of `plan`, from `rows` (`replications` per point, KPI values in
/// the order of `columns`): per KPI, the tornado's ends, then the method's indices, factor by
/// factor.
pub fn sensitivity_indices(
    plan: &SensitivityPlan,
    columns: &[KpiColumn],
    replications: u32,
    rows: &Rows,
) -> Result<Vec<SensitivityIndex>, MissingKpi> {
    let mut out = Vec::new();
    for kpi in &plan.kpis {
        let c = columns
            .iter()
            .position(|col| &col.name == kpi)
            .ok_or_else(|| MissingKpi(kpi.clone()))?;
        let value = |p: usize, r: u32| rows.get(&(p, r)).map_or(f64::NAN, |v| v[c]);
        let row =
            |parameter: &str, method, index, (value, lo, hi): (f64, f64, f64)| SensitivityIndex {
                kpi: kpi.clone(),
                parameter: parameter.to_string(),
                method,
                index,
                value,
                ci_lo: lo,
                ci_hi: hi,
            };
        let domain = columns[c].domain.of_difference();
        for (i, factor) in plan.factors.iter().enumerate() {
            for (p, index) in [
                (1 + 2 * i, IndexName::LowEnd),
                (2 + 2 * i, IndexName::HighEnd),
            ] {
                let diffs = (0..replications).map(|r| value(p, r) - value(0, r));
                let e = Estimate::in_domain(diffs, domain);
                out.push(row(
                    &factor.path,
                    ONE_AT_A_TIME,
                    index,
                    (e.mean, e.lo, e.hi),
                ));
            }
        }
        let means: Vec<f64> = (0..plan.points())
            .map(|p| Estimate::from_values((0..replications).map(|r| value(p, r))).mean)
            .collect();
        let design_first = 1 + 2 * plan.factors.len();
        let output = &means[design_first..];
        if let Some(morris) = plan.morris() {
            let position = |q: usize, j: usize| {
                let factor = &plan.factors[j];
                factor.unit(plan.point(design_first + q)[j])
            };
            let effects = elementary_effects(&morris, output, position);
            let indices = screening(&effects, plan.factors.len(), plan.seed);
            for (factor, m) in plan.factors.iter().zip(indices) {
                for (index, value, (a, b)) in [
                    (IndexName::MuStar, m.mu_star, m.mu_star_ci),
                    (IndexName::Sigma, m.sigma, m.sigma_ci),
                ] {
                    out.push(row(&factor.path, "morris", index, (value, a, b)));
                }
            }
        }
        if let Some(saltelli) = plan.saltelli() {
            for (factor, s) in plan.factors.iter().zip(saltelli.indices(output, plan.seed)) {
                for (index, value, (a, b)) in [
                    (IndexName::First, s.first, s.first_ci),
                    (IndexName::Total, s.total, s.total_ci),
                ] {
                    out.push(row(&factor.path, "sobol", index, (value, a, b)));
                }
            }
        }
    }
    Ok(out)
}

/// The factors `kpi` depends on most, most first: by Morris's `mu_star` or Sobol's total
/// index (undefined values last).
pub fn ranked<'a>(indices: &'a [SensitivityIndex], kpi: &str) -> Vec<&'a SensitivityIndex> {
    let mut main: Vec<&SensitivityIndex> = indices
        .iter()
        .filter(|i| i.kpi == kpi && matches!(i.index, IndexName::MuStar | IndexName::Total))
        .collect();
    main.sort_by(|a, b| {
        let key = |x: f64| if x.is_nan() { f64::NEG_INFINITY } else { x };
        key(b.value).total_cmp(&key(a.value))
    });
    main
}
