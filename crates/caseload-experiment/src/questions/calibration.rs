//! Calibration by history matching (Craig, Goldstein, Seheult and Smith 1997; Vernon,
//! Goldstein and Bower 2010): chosen values are varied over their ranges in waves of a
//! space-filling design, each point run with the same replications (common random numbers),
//! and a point is ruled out when the model's mean is implausibly far from an observed figure:
//!
//! `I(x) = |z - E[f(x)]| / sqrt(sd_z^2 + Var[f(x)] / R)`,
//!
//! `z` the observed figure with its own uncertainty `sd_z`, `E[f(x)]` the mean over `R`
//! replications and `Var[f(x)] / R` the variance of that mean. A point is plausible when its
//! largest `I` over the targets is at most 3 (Pukelsheim's three-sigma rule holds for any
//! unimodal distribution). Each wave after the first draws its points in the box around the
//! previous wave's plausible points (widened by half its width, and by at least 15 % of the range, each side, within the
//! ranges; around its least implausible quarter if none was plausible), so later waves look
//! closer where the answer can be, and draws them where the nearest point run was near
//! plausible (a cheap stand-in for an emulator's screen); only the rule above decides what is
//! plausible. The plausible range of each
//! value is the span of every plausible point run; the best point is the one whose largest
//! implausibility is least.

use crate::questions::sensitivity::factor::Factor;
use crate::sweep::AxisValue;

/// Largest implausibility of a plausible point.
pub const CUTOFF: f64 = 3.0;

/// An observed figure the model should reproduce: a KPI the run reports, its observed value
/// and the value's standard deviation (its own uncertainty), in the KPI's unit.
#[derive(Debug, Clone, PartialEq)]
pub struct CalibrationTarget {
    /// The KPI's name as the run reports it (`kpi` or `kpi@team`).
    pub kpi: String,
    /// The observed value.
    pub value: f64,
    /// Its standard deviation, above 0.
    pub sd: f64,
}

/// The implausibility of a model mean `mean` (with `variance_of_mean`) against `target`.
pub fn implausibility(target: &CalibrationTarget, mean: f64, variance_of_mean: f64) -> f64 {
    let spread = (target.sd.powi(2) + variance_of_mean.max(0.0)).sqrt();
    if !mean.is_finite() {
        return f64::INFINITY;
    }
    (target.value - mean).abs() / spread
}

/// One point run: its wave, values, and per target the mean, its variance and the
/// implausibility.
#[derive(Debug, Clone, PartialEq)]
pub struct CalibrationPoint {
    /// The wave, from 1.
    pub wave: u32,
    /// Each factor's value.
    pub values: Vec<AxisValue>,
    /// Per target: the mean over replications.
    pub means: Vec<f64>,
    /// Per target: the 95 % interval of the mean (Student t).
    pub intervals: Vec<(f64, f64)>,
    /// Per target: the implausibility.
    pub implausibility: Vec<f64>,
}

impl CalibrationPoint {
    /// The largest implausibility over the targets.
    pub fn worst(&self) -> f64 {
        self.implausibility.iter().copied().fold(0.0, f64::max)
    }

    /// Whether no target rules the point out.
    pub fn plausible(&self) -> bool {
        self.worst() <= CUTOFF
    }
}

/// The point from the replications' values of each target (`per_replication[r][t]`).
pub fn evaluate(
    wave: u32,
    values: Vec<AxisValue>,
    targets: &[CalibrationTarget],
    per_replication: &[Vec<f64>],
) -> CalibrationPoint {
    let mut means = Vec::with_capacity(targets.len());
    let mut intervals = Vec::with_capacity(targets.len());
    let mut implausible = Vec::with_capacity(targets.len());
    for (t, target) in targets.iter().enumerate() {
        let e = crate::measure::stats::Estimate::from_values(per_replication.iter().map(|r| r[t]));
        let variance_of_mean = if e.n > 1 {
            e.sd.powi(2) / e.n as f64
        } else {
            0.0
        };
        means.push(e.mean);
        intervals.push((e.lo, e.hi));
        implausible.push(implausibility(target, e.mean, variance_of_mean));
    }
    CalibrationPoint {
        wave,
        values,
        means,
        intervals,
        implausibility: implausible,
    }
}

/// The box, in each factor's unit interval, a wave draws its points in: the whole of each
/// range for the first wave; then around the previous wave's plausible points.
pub fn next_box(factors: &[Factor], plausible: &[&CalibrationPoint]) -> Option<Vec<(f64, f64)>> {
    if plausible.is_empty() {
        return None;
    }
    Some(
        factors
            .iter()
            .enumerate()
            .map(|(j, f)| {
                let (lo, hi) = plausible.iter().fold((1.0f64, 0.0f64), |(lo, hi), p| {
                    let u = f.unit(p.values[j]);
                    (lo.min(u), hi.max(u))
                });
                let pad = ((hi - lo) * 0.5).max(0.15);
                ((lo - pad).max(0.0), (hi + pad).min(1.0))
            })
            .collect(),
    )
}

/// Point `i` of a wave's design in `bounds`: an Owen-scrambled Sobol point (seeded by `seed`
/// and the wave), each coordinate mapped into its bounds and then onto its factor.
pub fn design_point(
    factors: &[Factor],
    bounds: &[(f64, f64)],
    wave: u32,
    i: u32,
    seed: u64,
) -> Vec<AxisValue> {
    let scramble = (seed ^ (seed >> 32)) as u32 ^ wave.wrapping_mul(0x9E37_79B9);
    factors
        .iter()
        .zip(bounds)
        .enumerate()
        .map(|(d, (f, (lo, hi)))| {
            let u = f64::from(sobol_burley::sample(i, d as u32, scramble));
            f.at(lo + u * (hi - lo))
        })
        .collect()
}

/// Candidates drawn per point a later wave runs, at most.
const CANDIDATES_PER_POINT: u32 = 64;

/// The points of `wave` in `bounds`. The first wave runs the design as it falls; a later one
/// screens candidates by the nearest point run so far (in the unit cube of the ranges),
/// keeping those whose neighbour's largest implausibility is at most twice the cut-off, so its
/// points follow the plausible region (a thin band when two values trade off) to its ends
/// rather than fill the box around it; too few kept, the rest come as drawn.
fn wave_design(
    factors: &[Factor],
    bounds: &[(f64, f64)],
    wave: u32,
    waves: Waves,
    run: &[CalibrationPoint],
) -> Vec<Vec<AxisValue>> {
    let draw = |i: u32| design_point(factors, bounds, wave, i, waves.seed);
    if run.is_empty() {
        return (0..waves.points).map(draw).collect();
    }
    let unit = |values: &[AxisValue]| -> Vec<f64> {
        factors
            .iter()
            .zip(values)
            .map(|(f, &v)| f.unit(v))
            .collect()
    };
    let known: Vec<(Vec<f64>, f64)> = run.iter().map(|p| (unit(&p.values), p.worst())).collect();
    let near_plausible = |candidate: &[AxisValue]| {
        let u = unit(candidate);
        known
            .iter()
            .map(|(k, worst)| {
                let d: f64 = k.iter().zip(&u).map(|(a, b)| (a - b).powi(2)).sum();
                (d, *worst)
            })
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .is_some_and(|(_, worst)| worst <= 2.0 * CUTOFF)
    };
    let most = waves
        .points
        .saturating_mul(CANDIDATES_PER_POINT)
        .min(super::sensitivity::sobol::MAX_SAMPLES);
    let mut kept = Vec::with_capacity(waves.points as usize);
    let mut left = Vec::new();
    for i in 0..most {
        if kept.len() == waves.points as usize {
            break;
        }
        let candidate = draw(i);
        if near_plausible(&candidate) {
            kept.push(candidate);
        } else if left.len() < waves.points as usize {
            left.push(candidate);
        }
    }
    let missing = waves.points as usize - kept.len();
    kept.extend(left.into_iter().take(missing));
    kept
}

/// What calibration found: every point run, each factor's plausible range (`None` if no
/// point was plausible) and the best point.
#[derive(Debug, Clone, PartialEq)]
pub struct Calibration {
    /// Every point, wave by wave.
    pub points: Vec<CalibrationPoint>,
    /// Per factor, the span of the plausible points' values.
    pub ranges: Vec<Option<(AxisValue, AxisValue)>>,
    /// The index in `points` of the point whose largest implausibility is least.
    pub best: Option<usize>,
}

/// Gathers the result of `points` for `factors`.
pub fn summarise(factors: &[Factor], points: Vec<CalibrationPoint>) -> Calibration {
    let plausible: Vec<&CalibrationPoint> = points.iter().filter(|p| p.plausible()).collect();
    let ranges = (0..factors.len())
        .map(|j| {
            let mut values = plausible.iter().map(|p| p.values[j]);
            let first = values.next()?;
            Some(values.fold((first, first), |(lo, hi), v| {
                (
                    if v.as_f64() < lo.as_f64() { v } else { lo },
                    if v.as_f64() > hi.as_f64() { v } else { hi },
                )
            }))
        })
        .collect();
    let best = points
        .iter()
        .enumerate()
        .min_by(|a, b| a.1.worst().total_cmp(&b.1.worst()))
        .map(|(i, _)| i);
    Calibration {
        points,
        ranges,
        best,
    }
}

/// Calibration stopped: a point's scenario could not be built, or a run failed.
#[derive(Debug, thiserror::Error)]
pub enum CalibrationError<E> {
    /// Building the design of a point failed.
    #[error(transparent)]
    Build(E),
    /// A target names no KPI of the design.
    #[error(transparent)]
    Kpi(#[from] crate::UnknownKpi),
    /// A replication failed.
    #[error(transparent)]
    Run(#[from] crate::RunError),
}

/// How a calibration runs: its waves, points per wave, replications per point and seed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Waves {
    /// Waves, at least 1.
    pub waves: u32,
    /// Points in each wave, at least 2.
    pub points: u32,
    /// Replications per point, at least 2.
    pub replications: u32,
    /// Seed of the replications (shared by every point) and of the designs.
    pub seed: u64,
}

/// Calibrates `factors` to `targets` in `waves`, `build` giving the design of a point's
/// values; `on_done` is called once per replication run, from any thread. A wave with no
/// plausible point sends the next around its least implausible quarter.
pub fn calibrate<E>(
    factors: &[Factor],
    targets: &[CalibrationTarget],
    waves: Waves,
    build: &dyn Fn(&[AxisValue]) -> Result<crate::Design, E>,
    on_done: &(dyn Fn() + Sync),
) -> Result<Calibration, CalibrationError<E>> {
    let mut bounds = vec![(0.0, 1.0); factors.len()];
    let mut all: Vec<CalibrationPoint> = Vec::new();
    for wave in 1..=waves.waves {
        let values = wave_design(factors, &bounds, wave, waves, &all);
        let designs = values
            .iter()
            .map(|v| build(v))
            .collect::<Result<Vec<_>, E>>()
            .map_err(CalibrationError::Build)?;
        let Some(first) = designs.first() else {
            break;
        };
        let defs = first.kpis();
        let columns = targets
            .iter()
            .map(|t| crate::find_kpi(&defs, &t.kpi))
            .collect::<Result<Vec<_>, _>>()?;
        let blocks: Vec<crate::Block> = (0..designs.len())
            .map(|point| crate::Block {
                point,
                replications: 0..waves.replications,
            })
            .collect();
        let mut found: Vec<Option<CalibrationPoint>> = vec![None; designs.len()];
        crate::sweep::sweep(&designs, waves.seed, &blocks, on_done, |block, kpis| {
            let per_replication: Vec<Vec<f64>> = kpis
                .iter()
                .map(|row| columns.iter().map(|&c| row[c]).collect())
                .collect();
            found[block.point] = Some(evaluate(
                wave,
                values[block.point].clone(),
                targets,
                &per_replication,
            ));
            Ok::<(), std::convert::Infallible>(())
        })
        .map_err(|e| match e {
            crate::SweepError::Config { source, .. } => CalibrationError::Run(source),
            crate::SweepError::Handler(never) => match never {},
        })?;
        let points: Vec<CalibrationPoint> = found.into_iter().flatten().collect();
        let mut guide: Vec<&CalibrationPoint> = points.iter().filter(|p| p.plausible()).collect();
        if guide.is_empty() {
            // None plausible yet: look next around the least implausible quarter.
            guide = points.iter().collect();
            guide.sort_by(|a, b| a.worst().total_cmp(&b.worst()));
            guide.truncate((points.len() / 4).max(2));
        }
        if let Some(b) = next_box(factors, &guide) {
            bounds = b;
        }
        all.extend(points);
    }
    Ok(summarise(factors, all))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn factor() -> Factor {
        Factor::new(
            "x",
            AxisValue::Real(0.0),
            AxisValue::Real(10.0),
            AxisValue::Real(5.0),
        )
        .expect("a factor")
    }

    #[test]
    fn implausibility_is_the_distance_in_combined_standard_deviations() {
        let t = CalibrationTarget {
            kpi: "k".into(),
            value: 10.0,
            sd: 3.0,
        };
        // sqrt(9 + 16) = 5.
        assert!((implausibility(&t, 20.0, 16.0) - 2.0).abs() < 1e-12);
        assert_eq!(implausibility(&t, f64::NAN, 1.0), f64::INFINITY);
        let p = evaluate(
            1,
            vec![AxisValue::Real(1.0)],
            &[t],
            &[vec![19.0], vec![21.0]],
        );
        // Mean 20, variance of the mean 2 / 2 = 1: 10 / sqrt(10).
        assert!((p.implausibility[0] - 10.0 / 10f64.sqrt()).abs() < 1e-12);
        assert!(!p.plausible());
    }

    /// History matching of y = 2x observed as 8 +- 0.5 rules out all but x near 4.
    #[test]
    fn waves_close_in_on_the_plausible_values_of_a_line() {
        let f = factor();
        let t = CalibrationTarget {
            kpi: "y".into(),
            value: 8.0,
            sd: 0.5,
        };
        let mut bounds = vec![(0.0, 1.0)];
        let mut all = Vec::new();
        for wave in 1..=3 {
            let points: Vec<CalibrationPoint> = (0..32)
                .map(|i| {
                    let v = design_point(std::slice::from_ref(&f), &bounds, wave, i, 7);
                    let y = 2.0 * v[0].as_f64();
                    evaluate(wave, v, std::slice::from_ref(&t), &[vec![y], vec![y]])
                })
                .collect();
            let plausible: Vec<&CalibrationPoint> =
                points.iter().filter(|p| p.plausible()).collect();
            bounds = next_box(std::slice::from_ref(&f), &plausible).expect("some plausible");
            all.extend(points);
        }
        // |8 - 2x| <= 1.5: x in [3.25, 4.75].
        // The box around them: the span [0.325, 0.475] widened by 0.15 each side.
        assert!(bounds[0].0 < 0.35 && bounds[0].1 > 0.45 && bounds[0].1 - bounds[0].0 < 0.5);
        let result = summarise(std::slice::from_ref(&f), all);
        let (lo, hi) = result.ranges[0].expect("a plausible range");
        assert!(lo.as_f64() >= 3.25 - 1e-9 && hi.as_f64() <= 4.75 + 1e-9);
        assert!(lo.as_f64() < 3.5 && hi.as_f64() > 4.5, "{lo} {hi}");
        let best = &result.points[result.best.expect("a best point")];
        assert!((best.values[0].as_f64() - 4.0).abs() < 0.1);
    }
}
