//! Morris's elementary effects (Morris 1991, with the absolute mean of Campolongo, Cariboni
//! and Saltelli 2007): `r` trajectories through a grid of `p` levels of the unit cube, each
//! moving one factor at a time by `delta = p / (2 (p - 1))`; a factor's effect at a step is
//! the change in the output divided by the move, here in output units per whole range.
//! `mu_star` (the mean absolute effect) ranks factors by importance; `sigma` (the standard
//! deviation of the effects) shows interactions or curvature.

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use serde::{Deserialize, Serialize};

use super::resample::percentile_intervals;

/// A Morris design in the unit cube.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MorrisDesign {
    /// Factors varied, `k`.
    pub factors: usize,
    /// Trajectories, `r` (at least 2).
    pub trajectories: u32,
    /// Grid levels, `p` (even, at least 2).
    pub levels: u32,
    /// Seed of the trajectories' random starts, directions and orders.
    pub seed: u64,
}

/// One trajectory: its `k + 1` points, and which factor each step moves (`moved[m]` takes
/// point `m` to point `m + 1`).
#[derive(Debug, Clone, PartialEq)]
pub struct Trajectory {
    /// The points, each a value in [0, 1] per factor.
    pub points: Vec<Vec<f64>>,
    /// The factor each step moves.
    pub moved: Vec<usize>,
}

impl MorrisDesign {
    /// The step each move makes, `p / (2 (p - 1))`.
    pub fn delta(&self) -> f64 {
        let p = f64::from(self.levels);
        p / (2.0 * (p - 1.0))
    }

    /// Points in the design, `r (k + 1)`.
    pub fn points(&self) -> usize {
        self.trajectories as usize * (self.factors + 1)
    }

    /// Trajectory `t`: a random start on the grid (each factor at a level from which a move
    /// of `delta` stays in [0, 1], going up or down at random), then each factor moved once,
    /// in random order.
    pub fn trajectory(&self, t: u32) -> Trajectory {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(
            self.seed
                .wrapping_mul(0x9E37_79B9_7F4A_7C15)
                .wrapping_add(u64::from(t) + 1),
        );
        let k = self.factors;
        let step = 1.0 / f64::from(self.levels - 1);
        let delta = self.delta();
        let starts = self.levels / 2;
        let mut x = vec![0.0; k];
        let mut up = vec![true; k];
        for j in 0..k {
            let low = f64::from(rng.random_range(0..starts)) * step;
            up[j] = rng.random_bool(0.5);
            x[j] = if up[j] { low } else { low + delta };
        }
        let mut moved: Vec<usize> = (0..k).collect();
        moved.shuffle(&mut rng);
        let mut points = Vec::with_capacity(k + 1);
        points.push(x.clone());
        for &j in &moved {
            x[j] = if up[j] { x[j] + delta } else { x[j] - delta };
            // Keep grid values exact: 1/3 + 2/3 is 1.
            x[j] = (x[j] / step).round() * step;
            points.push(x.clone());
        }
        Trajectory { points, moved }
    }

    /// Point `p` (trajectory `p / (k + 1)`, step `p % (k + 1)`).
    pub fn point(&self, p: usize) -> Vec<f64> {
        let k1 = self.factors + 1;
        let t = (p / k1) as u32;
        self.trajectory(t).points.swap_remove(p % k1)
    }
}

/// A factor's Morris indices, each with a 95 % bootstrap interval over trajectories.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MorrisIndices {
    /// Mean absolute elementary effect (output units per whole range).
    pub mu_star: f64,
    /// Its interval.
    pub mu_star_ci: (f64, f64),
    /// Standard deviation of the effects.
    pub sigma: f64,
    /// Its interval.
    pub sigma_ci: (f64, f64),
    /// Effects measured (trajectories where the move changed the factor's value).
    pub effects: usize,
}

/// The elementary effect of each factor in each trajectory: `effects[t][j]`, `None` where the
/// move did not change the value run (a whole-number range narrower than the step) or the
/// output is undefined. `output[p]` is the output at design point `p`; `position(p, j)` the
/// place, from 0 to 1, of the value actually run for factor `j` at point `p` (whole numbers
/// and dates are rounded, so it can differ from the design's).
pub fn elementary_effects(
    design: &MorrisDesign,
    output: &[f64],
    position: impl Fn(usize, usize) -> f64,
) -> Vec<Vec<Option<f64>>> {
    let k1 = design.factors + 1;
    (0..design.trajectories)
        .map(|t| {
            let trajectory = design.trajectory(t);
            let mut effects = vec![None; design.factors];
            for (m, &j) in trajectory.moved.iter().enumerate() {
                let (a, b) = (t as usize * k1 + m, t as usize * k1 + m + 1);
                let moved = position(b, j) - position(a, j);
                let change = output[b] - output[a];
                if moved.abs() > 1e-12 && change.is_finite() {
                    effects[j] = Some(change / moved);
                }
            }
            effects
        })
        .collect()
}

/// `mu_star` and `sigma` of each factor from `effects` (as [`elementary_effects`] gives
/// them), with percentile intervals from resampling trajectories (seeded by `seed`).
pub fn screening(effects: &[Vec<Option<f64>>], factors: usize, seed: u64) -> Vec<MorrisIndices> {
    let statistic = |chosen: &[usize]| -> Vec<f64> {
        (0..factors)
            .flat_map(|j| {
                let values: Vec<f64> = chosen.iter().filter_map(|&t| effects[t][j]).collect();
                let (mu_star, sigma) = mu_star_sigma(&values);
                [mu_star, sigma]
            })
            .collect()
    };
    let all: Vec<usize> = (0..effects.len()).collect();
    let point = statistic(&all);
    let intervals = percentile_intervals(effects.len(), 2 * factors, seed, statistic);
    (0..factors)
        .map(|j| MorrisIndices {
            mu_star: point[2 * j],
            mu_star_ci: intervals[2 * j],
            sigma: point[2 * j + 1],
            sigma_ci: intervals[2 * j + 1],
            effects: effects.iter().filter(|e| e[j].is_some()).count(),
        })
        .collect()
}

/// The mean absolute value and the standard deviation (n - 1) of `values`; NaN where there
/// are too few.
fn mu_star_sigma(values: &[f64]) -> (f64, f64) {
    let n = values.len() as f64;
    if values.is_empty() {
        return (f64::NAN, f64::NAN);
    }
    let mu_star = values.iter().map(|v| v.abs()).sum::<f64>() / n;
    if values.len() < 2 {
        return (mu_star, f64::NAN);
    }
    let mean = values.iter().sum::<f64>() / n;
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mu_star, var.sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn design(factors: usize) -> MorrisDesign {
        MorrisDesign {
            factors,
            trajectories: 20,
            levels: 4,
            seed: 9,
        }
    }

    #[test]
    fn trajectories_move_each_factor_once_by_delta_inside_the_cube() {
        let d = design(5);
        for t in 0..d.trajectories {
            let tr = d.trajectory(t);
            assert_eq!(tr.points.len(), 6);
            let mut seen = tr.moved.clone();
            seen.sort_unstable();
            assert_eq!(seen, vec![0, 1, 2, 3, 4]);
            for (m, &j) in tr.moved.iter().enumerate() {
                let (a, b) = (&tr.points[m], &tr.points[m + 1]);
                assert!(((b[j] - a[j]).abs() - 2.0 / 3.0).abs() < 1e-12);
                for i in (0..5).filter(|&i| i != j) {
                    assert_eq!(a[i], b[i]);
                }
                assert!(b.iter().all(|x| (0.0..=1.0).contains(x)));
            }
        }
        assert_eq!(d.point(7), d.trajectory(1).points[1]);
    }

    /// A linear function's effects are its coefficients (per whole range), with no spread;
    /// a product of two factors has spread in both.
    #[test]
    fn effects_of_linear_and_interacting_functions_are_as_worked_by_hand() {
        let d = design(3);
        let f = |x: &[f64]| 10.0 * x[0] - 4.0 * x[1] + 0.0 * x[2];
        let y: Vec<f64> = (0..d.points()).map(|p| f(&d.point(p))).collect();
        let effects = elementary_effects(&d, &y, |p, j| d.point(p)[j]);
        let idx = screening(&effects, 3, 1);
        assert!((idx[0].mu_star - 10.0).abs() < 1e-9);
        assert!((idx[1].mu_star - 4.0).abs() < 1e-9);
        assert!(idx[2].mu_star.abs() < 1e-12);
        assert!(idx.iter().all(|i| i.sigma.abs() < 1e-9));
        assert!(idx[0].mu_star_ci.0 <= 10.0 + 1e-9 && idx[0].mu_star_ci.1 >= 10.0 - 1e-9);

        let g = |x: &[f64]| x[0] * x[1];
        let y: Vec<f64> = (0..d.points()).map(|p| g(&d.point(p))).collect();
        let idx = screening(&elementary_effects(&d, &y, |p, j| d.point(p)[j]), 3, 1);
        // d(x0 x1)/dx0 = x1 takes the grid's values, so the effects spread.
        assert!(idx[0].sigma > 0.1 && idx[1].sigma > 0.1);
        assert!(idx[2].mu_star.abs() < 1e-12);
    }

    #[test]
    fn a_move_that_changes_nothing_gives_no_effect() {
        let d = design(2);
        let y = vec![1.0; d.points()];
        // Factor 1 is a whole number whose range rounds every level to one value.
        let effects = elementary_effects(&d, &y, |p, j| if j == 1 { 0.0 } else { d.point(p)[j] });
        assert!(effects.iter().all(|e| e[1].is_none() && e[0] == Some(0.0)));
    }
}
