//! Replications in parallel with rayon, merged in replication order, so results are the same
//! bytes whatever the number of threads.

use caseload_des::RngStreams;
use caseload_model::{CaseRecord, ConfigError, run_replication};
use rayon::prelude::*;

use crate::kpi::{Design, KpiDef, KpiObserver, ReplicationResult, SeriesDef, total_series};
use crate::stats::{Estimate, P2Quantile};

/// Lower and upper quantiles of the daily bands.
pub const BAND: (f64, f64) = (0.05, 0.95);

/// Replications run at once before their results are folded in, bounding memory to this many
/// replications' daily series whatever the total.
const CHUNK: u32 = 64;

/// Mean and 5-95 % band of one daily series across replications.
#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    /// Mean per day.
    pub mean: Vec<f64>,
    /// 5th percentile per day (P² estimate; exact up to five replications).
    pub lo: Vec<f64>,
    /// 95th percentile per day.
    pub hi: Vec<f64>,
}

/// Everything a set of replications yields.
#[derive(Debug, Clone)]
pub struct Results {
    /// Replications run.
    pub replications: u32,
    /// Seed of the random streams.
    pub seed: u64,
    /// The KPIs reported.
    pub kpi_defs: Vec<KpiDef>,
    /// Each KPI's estimate over replications.
    pub kpis: Vec<Estimate>,
    /// Each replication's KPI values (`per_replication[r][k]`), for paired comparisons.
    pub per_replication: Vec<Vec<f64>>,
    /// The daily series kept.
    pub series_defs: Vec<SeriesDef>,
    /// Each series' band.
    pub bands: Vec<Band>,
    /// Case records with their replication, when the design keeps cases.
    pub cases: Vec<(u32, CaseRecord)>,
    /// Engine events processed over all replications.
    pub events: u64,
}

impl Results {
    /// The band of the total (all-teams) series of `metric`, e.g. `unallocated`.
    pub fn total_band(&self, metric: &str) -> Option<&Band> {
        total_series(&self.series_defs, metric).map(|s| &self.bands[s])
    }
}

struct BandAccumulator {
    count: u32,
    mean: Vec<f64>,
    lo: Vec<P2Quantile>,
    hi: Vec<P2Quantile>,
}

impl BandAccumulator {
    fn new(values: usize) -> Self {
        Self {
            count: 0,
            mean: vec![0.0; values],
            lo: vec![P2Quantile::new(BAND.0); values],
            hi: vec![P2Quantile::new(BAND.1); values],
        }
    }

    fn add(&mut self, values: &[f64]) {
        self.count += 1;
        let n = f64::from(self.count);
        for (i, &x) in values.iter().enumerate() {
            self.mean[i] += (x - self.mean[i]) / n;
            self.lo[i].add(x);
            self.hi[i].add(x);
        }
    }
}

/// Runs one replication of `design` with the streams of (`seed`, `replication`).
pub fn run_one(
    design: &Design,
    seed: u64,
    replication: u32,
) -> Result<ReplicationResult, ConfigError> {
    let mut observer = KpiObserver::new(design);
    let summary = run_replication(
        &design.model,
        &RngStreams::new(seed, u64::from(replication)),
        &mut observer,
    )?;
    Ok(observer.finish(summary.events))
}

/// A target precision for sequential stopping: replications are added until the confidence
/// interval of one KPI is narrow enough.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Precision {
    /// Index of the KPI in [`Design::kpis`].
    pub kpi: usize,
    /// Largest acceptable half-width of its 95 % confidence interval: in the KPI's unit, or a
    /// share of its mean if `relative`.
    pub half_width: f64,
    /// Whether `half_width` is relative to the mean.
    pub relative: bool,
}

/// Replications added between two checks of a [`Precision`] target, and the fewest replications
/// the first check needs. Fixed, so where a run stops does not depend on the thread count.
pub const PRECISION_BATCH: u32 = 10;

impl Precision {
    /// Whether `estimate` is precise enough (never with fewer than [`PRECISION_BATCH`] values).
    pub fn met(&self, estimate: &Estimate) -> bool {
        let limit = if self.relative {
            self.half_width * estimate.mean.abs()
        } else {
            self.half_width
        };
        estimate.n >= PRECISION_BATCH as usize && estimate.half_width() <= limit
    }
}

/// Runs `replications` replications of `design` in parallel and summarises them. `on_done`
/// is called once per finished replication (from any thread), e.g. to move a progress bar.
pub fn run(
    design: &Design,
    seed: u64,
    replications: u32,
    on_done: &(dyn Fn() + Sync),
) -> Result<Results, ConfigError> {
    run_until(design, seed, replications, None, on_done)
}

/// Like [`run`], but with a `precision` target stops as soon as it is met, checking after every
/// [`PRECISION_BATCH`] replications; `replications` is then the most it will run.
pub fn run_until(
    design: &Design,
    seed: u64,
    replications: u32,
    precision: Option<&Precision>,
    on_done: &(dyn Fn() + Sync),
) -> Result<Results, ConfigError> {
    design.model.validate()?;
    let kpi_defs = design.kpis();
    let series_defs = design.series();
    let days = design.days();
    let mut bands = BandAccumulator::new(series_defs.len() * days);
    let mut per_replication = Vec::with_capacity(replications as usize);
    let mut cases = Vec::new();
    let mut events = 0;
    let chunk = if precision.is_some() {
        PRECISION_BATCH
    } else {
        CHUNK
    };
    let mut start = 0;
    while start < replications {
        let end = (start + chunk).min(replications);
        let chunk: Vec<ReplicationResult> = (start..end)
            .into_par_iter()
            .map(|r| {
                let result = run_one(design, seed, r);
                on_done();
                result
            })
            .collect::<Result<_, _>>()?;
        for (r, result) in (start..end).zip(chunk) {
            bands.add(&result.series);
            events += result.events;
            cases.extend(result.cases.into_iter().map(|c| (r, c)));
            per_replication.push(result.kpis);
        }
        start = end;
        if let Some(p) = precision {
            let estimate = Estimate::from_values(per_replication.iter().map(|r| r[p.kpi]));
            if p.met(&estimate) {
                break;
            }
        }
    }
    let replications = start;
    let kpis = (0..kpi_defs.len())
        .map(|k| Estimate::from_values(per_replication.iter().map(|r| r[k])))
        .collect();
    let bands = (0..series_defs.len())
        .map(|s| {
            let range = s * days..(s + 1) * days;
            Band {
                mean: bands.mean[range.clone()].to_vec(),
                lo: bands.lo[range.clone()]
                    .iter()
                    .map(P2Quantile::estimate)
                    .collect(),
                hi: bands.hi[range].iter().map(P2Quantile::estimate).collect(),
            }
        })
        .collect();
    Ok(Results {
        replications,
        seed,
        kpi_defs,
        kpis,
        per_replication,
        series_defs,
        bands,
        cases,
        events,
    })
}
