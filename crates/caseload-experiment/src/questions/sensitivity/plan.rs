//! What a sensitivity analysis runs: the scenario as written, each factor alone at the low
//! and the high end of its range (the tornado), then the method's design (Morris trajectories
//! or Saltelli rows), every point run with the same replications (common random numbers).

use serde::{Deserialize, Serialize};

use super::factor::Factor;
use super::morris::MorrisDesign;
use super::sobol::{MAX_FACTORS, MAX_SAMPLES, SaltelliDesign};
use crate::sweep::AxisValue;

/// How the factors are varied together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "lowercase", deny_unknown_fields)]
pub enum SensitivityMethod {
    /// Morris's elementary effects: screening, `trajectories (k + 1)` points.
    Morris {
        /// Trajectories, at least 2.
        trajectories: u32,
        /// Grid levels, even and at least 2.
        levels: u32,
    },
    /// Sobol's first and total indices: `samples (k + 2)` points.
    Sobol {
        /// Base samples, at least 2 (a power of two balances the sequence best).
        samples: u32,
    },
}

impl SensitivityMethod {
    /// `morris` or `sobol`.
    pub fn name(self) -> &'static str {
        match self {
            SensitivityMethod::Morris { .. } => "morris",
            SensitivityMethod::Sobol { .. } => "sobol",
        }
    }
}

/// A sensitivity analysis that cannot be planned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    /// No factor to vary.
    #[error(
        "no assumption to vary: the scenario's [basis] has no assumption with a range, and no \
         --param was given"
    )]
    NoFactors,
    /// More factors than the design takes.
    #[error("{0} factors; a design takes at most {MAX_FACTORS}")]
    TooManyFactors(usize),
    /// A factor is named twice.
    #[error("`{0}` is varied twice")]
    Twice(String),
    /// A method's size is out of bounds.
    #[error("{0}")]
    Size(String),
}

/// The whole plan: method, factors, the KPIs analysed and the design's seed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SensitivityPlan {
    /// How the factors are varied together.
    pub method: SensitivityMethod,
    /// The fields varied.
    pub factors: Vec<Factor>,
    /// The KPIs analysed, as the run names them.
    pub kpis: Vec<String>,
    /// Seed of the design (and of the bootstrap intervals).
    pub seed: u64,
}

/// What a point of the plan is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PointRole {
    /// The scenario as written.
    AsWritten,
    /// Factor `i` at the low end, the others as written.
    Low(usize),
    /// Factor `i` at the high end, the others as written.
    High(usize),
    /// Point `q` of the method's design.
    Design(usize),
}

impl SensitivityPlan {
    /// Checks the plan's sizes: 1 to [`MAX_FACTORS`] distinct factors; Morris with at least
    /// 2 trajectories and an even number of levels from 2 to 100; Sobol with 2 to
    /// [`MAX_SAMPLES`] samples.
    pub fn new(
        method: SensitivityMethod,
        factors: Vec<Factor>,
        kpis: Vec<String>,
        seed: u64,
    ) -> Result<Self, PlanError> {
        if factors.is_empty() {
            return Err(PlanError::NoFactors);
        }
        if factors.len() > MAX_FACTORS {
            return Err(PlanError::TooManyFactors(factors.len()));
        }
        for (i, f) in factors.iter().enumerate() {
            if factors[..i].iter().any(|g| g.path == f.path) {
                return Err(PlanError::Twice(f.path.clone()));
            }
        }
        match method {
            SensitivityMethod::Morris {
                trajectories,
                levels,
            } => {
                if !(2..=10_000).contains(&trajectories) {
                    return Err(PlanError::Size(format!(
                        "--trajectories {trajectories}: expected 2 to 10000 (10 is usual for \
                         screening)"
                    )));
                }
                if !(2..=100).contains(&levels) || levels % 2 != 0 {
                    return Err(PlanError::Size(format!(
                        "--levels {levels}: expected an even number from 2 to 100 (4 is usual)"
                    )));
                }
            }
            SensitivityMethod::Sobol { samples } => {
                if !(2..=MAX_SAMPLES).contains(&samples) {
                    return Err(PlanError::Size(format!(
                        "--samples {samples}: expected 2 to {MAX_SAMPLES} (a power of two, \
                         e.g. 64 or 256)"
                    )));
                }
            }
        }
        Ok(Self {
            method,
            factors,
            kpis,
            seed,
        })
    }

    /// The Morris design, if the method is Morris.
    pub fn morris(&self) -> Option<MorrisDesign> {
        match self.method {
            SensitivityMethod::Morris {
                trajectories,
                levels,
            } => Some(MorrisDesign {
                factors: self.factors.len(),
                trajectories,
                levels,
                seed: self.seed,
            }),
            SensitivityMethod::Sobol { .. } => None,
        }
    }

    /// The Saltelli design, if the method is Sobol.
    pub fn saltelli(&self) -> Option<SaltelliDesign> {
        match self.method {
            SensitivityMethod::Sobol { samples } => Some(SaltelliDesign {
                factors: self.factors.len(),
                samples,
                seed: self.seed,
            }),
            SensitivityMethod::Morris { .. } => None,
        }
    }

    fn design_points(&self) -> usize {
        match (self.morris(), self.saltelli()) {
            (Some(m), _) => m.points(),
            (_, Some(s)) => s.points(),
            _ => 0,
        }
    }

    /// Points in all: the scenario as written, two per factor, then the design's.
    pub fn points(&self) -> usize {
        1 + 2 * self.factors.len() + self.design_points()
    }

    /// What point `p` is.
    pub fn role(&self, p: usize) -> PointRole {
        let k = self.factors.len();
        match p {
            0 => PointRole::AsWritten,
            p if p <= 2 * k && p % 2 == 1 => PointRole::Low((p - 1) / 2),
            p if p <= 2 * k => PointRole::High((p - 2) / 2),
            p => PointRole::Design(p - 1 - 2 * k),
        }
    }

    /// The place, 0 to 1, of each factor at point `q` of the method's design.
    pub fn design_position(&self, q: usize) -> Vec<f64> {
        match (self.morris(), self.saltelli()) {
            (Some(m), _) => m.point(q),
            (_, Some(s)) => s.point(q),
            _ => Vec::new(),
        }
    }

    /// Every factor's value at point `p`.
    pub fn point(&self, p: usize) -> Vec<AxisValue> {
        let written = || self.factors.iter().map(|f| f.written).collect::<Vec<_>>();
        match self.role(p) {
            PointRole::AsWritten => written(),
            PointRole::Low(i) => {
                let mut v = written();
                v[i] = self.factors[i].low;
                v
            }
            PointRole::High(i) => {
                let mut v = written();
                v[i] = self.factors[i].high;
                v
            }
            PointRole::Design(q) => self
                .design_position(q)
                .iter()
                .zip(&self.factors)
                .map(|(&u, f)| f.at(u))
                .collect(),
        }
    }

    /// The factors' paths, in order.
    pub fn paths(&self) -> Vec<String> {
        self.factors.iter().map(|f| f.path.clone()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn factor(path: &str, low: i64, high: i64, written: i64) -> Factor {
        Factor::new(
            path,
            AxisValue::Whole(low),
            AxisValue::Whole(high),
            AxisValue::Whole(written),
        )
        .expect("a factor")
    }

    #[test]
    fn points_are_as_written_then_each_end_then_the_design() {
        let plan = SensitivityPlan::new(
            SensitivityMethod::Morris {
                trajectories: 3,
                levels: 4,
            },
            vec![factor("a", 0, 30, 10), factor("b", 1, 4, 2)],
            vec!["backlog_end".into()],
            1,
        )
        .expect("a plan");
        assert_eq!(plan.points(), 1 + 4 + 9);
        assert_eq!(plan.point(0), [AxisValue::Whole(10), AxisValue::Whole(2)]);
        assert_eq!(plan.point(1), [AxisValue::Whole(0), AxisValue::Whole(2)]);
        assert_eq!(plan.point(2), [AxisValue::Whole(30), AxisValue::Whole(2)]);
        assert_eq!(plan.point(4), [AxisValue::Whole(10), AxisValue::Whole(4)]);
        assert_eq!(plan.role(5), PointRole::Design(0));
        // Design values are on the grid of 4 levels: 0, 10, 20, 30 for `a`.
        for p in 5..plan.points() {
            let AxisValue::Whole(a) = plan.point(p)[0] else {
                panic!("a whole number")
            };
            assert!([0, 10, 20, 30].contains(&a), "{a}");
        }
        let sobol = SensitivityPlan::new(
            SensitivityMethod::Sobol { samples: 8 },
            vec![factor("a", 0, 30, 10)],
            vec![],
            1,
        )
        .expect("a plan");
        assert_eq!(sobol.points(), 1 + 2 + 8 * 3);
    }

    #[test]
    fn sizes_out_of_bounds_are_refused() {
        let one = || vec![factor("a", 0, 3, 1)];
        let morris = |trajectories, levels| SensitivityMethod::Morris {
            trajectories,
            levels,
        };
        for method in [
            morris(1, 4),
            morris(10, 3),
            morris(10, 0),
            SensitivityMethod::Sobol { samples: 1 },
            SensitivityMethod::Sobol {
                samples: MAX_SAMPLES + 1,
            },
        ] {
            assert!(matches!(
                SensitivityPlan::new(method, one(), vec![], 1),
                Err(PlanError::Size(_))
            ));
        }
        assert_eq!(
            SensitivityPlan::new(morris(10, 4), vec![], vec![], 1),
            Err(PlanError::NoFactors)
        );
        let twice = vec![factor("a", 0, 3, 1), factor("a", 0, 3, 1)];
        assert_eq!(
            SensitivityPlan::new(morris(10, 4), twice, vec![], 1),
            Err(PlanError::Twice("a".into()))
        );
    }
}
