//! Replications in parallel with rayon, merged in replication order, so results are the same
//! bytes whatever the number of threads.

use caseload_des::RngStreams;
use caseload_model::{CaseRecord, ConfigError, run_replication_within};
use rayon::prelude::*;

use crate::design::{Design, SeriesDef, series_index};
use crate::measure::bands::{Band, BandAccumulator};
use crate::measure::kpi::{KpiDef, ReplicationResult, replication_result};
use crate::measure::metric::Metric;
use crate::measure::observer::KpiObserver;
use crate::measure::stats::Estimate;
use crate::measure::warmup::{Truncation, mser5};

/// Replications run at once before their results are folded in: enough to keep every core
/// busy, few enough that their daily series (about 2 MB each for London) stay small.
const CHUNK: u32 = 16;

/// Why replications could not run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum RunError {
    /// The model configuration is invalid, or a replication used up its event budget.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The design is beyond its resource limits.
    #[error(transparent)]
    Limits(#[from] crate::measure::limits::LimitError),
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
    /// Each KPI's estimate over replications, its interval inside the KPI's domain.
    pub kpis: Vec<Estimate>,
    /// Each replication's KPI values (`per_replication[r][k]`), for paired comparisons.
    pub per_replication: Vec<Vec<f64>>,
    /// The daily series kept.
    pub series_defs: Vec<SeriesDef>,
    /// Each series' band.
    pub bands: Vec<Band>,
    /// Whether the bands are exact quantiles across replications (false past
    /// [`crate::BAND_MEMORY_BUDGET`], where they are P² estimates).
    pub bands_exact: bool,
    /// The MSER-5 truncation of the mean daily backlog and of the mean open cases (all teams).
    pub suggested_warmup: [(Metric, Truncation); 2],
    /// Case records with their replication, when the design keeps cases.
    pub cases: Vec<(u32, CaseRecord)>,
    /// Returns to the queue: (replication, case number, day), when the design keeps cases.
    pub requeues: Vec<(u32, u64, f64)>,
    /// Engine events processed over all replications.
    pub events: u64,
}

impl Results {
    /// The band of the all-teams series of `metric`.
    pub fn total_band(&self, metric: Metric) -> Option<&Band> {
        self.band(None, metric)
    }

    /// The band of `metric` for `team` (`None`: all teams).
    pub fn band(&self, team: Option<usize>, metric: Metric) -> Option<&Band> {
        series_index(&self.series_defs, team, metric).map(|s| &self.bands[s])
    }
}

/// Runs one replication of `design` with the streams of (`seed`, `replication`).
pub fn run_one(
    design: &Design,
    seed: u64,
    replication: u32,
) -> Result<ReplicationResult, RunError> {
    design.check_shape()?;
    let mut observer = KpiObserver::new(design);
    let summary = run_replication_within(
        &design.model,
        &RngStreams::new(seed, u64::from(replication)),
        &mut observer,
        design.limits.max_events,
    )?;
    Ok(replication_result(observer, summary.events))
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

/// A `--precision` that is not `KPI=HALF_WIDTH` or `KPI=PERCENT%` with a known KPI.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PrecisionError {
    /// The KPI is unknown.
    #[error("--precision {text}: {source}")]
    UnknownKpi {
        /// The text as written.
        text: String,
        /// Which KPI, and the closest.
        source: crate::UnknownKpi,
    },
    /// The text is not of the form.
    #[error(
        "--precision {text}: {message}; expected KPI=HALF_WIDTH or KPI=PERCENT%, like \
         days_to_allocate_mean=0.5 or backlog_end=2%"
    )]
    Form {
        /// The text as written.
        text: String,
        /// What is wrong.
        message: String,
    },
}

impl Precision {
    /// Parses `KPI=HALF_WIDTH` (in the KPI's unit) or `KPI=PERCENT%` (of its mean), the KPI
    /// named as [`crate::find_kpi`] accepts among `defs`.
    pub fn parse(defs: &[crate::KpiDef], text: &str) -> Result<Self, PrecisionError> {
        let form = |message: String| PrecisionError::Form {
            text: text.to_string(),
            message,
        };
        let Some((name, width)) = text.split_once('=') else {
            return Err(form("no `=`".into()));
        };
        let kpi =
            crate::find_kpi(defs, name.trim()).map_err(|source| PrecisionError::UnknownKpi {
                text: text.to_string(),
                source,
            })?;
        let width = width.trim();
        let (number, relative) = match width.strip_suffix('%') {
            Some(percent) => (percent.trim(), true),
            None => (width, false),
        };
        let half_width: f64 = number
            .parse()
            .ok()
            .filter(|x: &f64| *x > 0.0 && x.is_finite())
            .ok_or_else(|| form(format!("`{width}` is not a positive number")))?;
        Ok(Precision {
            kpi,
            half_width: if relative {
                half_width / 100.0
            } else {
                half_width
            },
            relative,
        })
    }

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
) -> Result<Results, RunError> {
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
) -> Result<Results, RunError> {
    design.check_limits(&design.limits)?;
    let kpi_defs = design.kpis();
    let series_defs = design.series();
    let days = design.days();
    let mut bands = BandAccumulator::new(series_defs.len() * days);
    let mut per_replication = Vec::with_capacity(replications.min(1 << 16) as usize);
    let mut cases = Vec::new();
    let mut requeues = Vec::new();
    let mut events = 0;
    let chunk = if precision.is_some() {
        PRECISION_BATCH
    } else {
        CHUNK
    };
    let mut start = 0;
    while start < replications {
        let end = start.saturating_add(chunk).min(replications);
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
            requeues.extend(result.requeues.into_iter().map(|(id, day)| (r, id, day)));
            debug_assert_eq!(result.kpis.len(), kpi_defs.len());
            per_replication.push(result.kpis);
        }
        start = end;
        if let Some(p) = precision {
            let estimate = Estimate::in_domain(
                per_replication.iter().map(|r| r[p.kpi]),
                kpi_defs[p.kpi].domain,
            );
            if p.met(&estimate) {
                break;
            }
        }
    }
    let replications = start;
    let kpis = kpi_defs
        .iter()
        .enumerate()
        .map(|(k, def)| Estimate::in_domain(per_replication.iter().map(|r| r[k]), def.domain))
        .collect();
    let bands_exact = bands.exact();
    let bands = bands.bands(series_defs.len(), days);
    let truncation = |metric| {
        let band = series_index(&series_defs, None, metric).map(|s| &bands[s]);
        (
            metric,
            band.map_or(Truncation::TooShort, |b| mser5(&b.mean)),
        )
    };
    let suggested_warmup = [truncation(Metric::Unallocated), truncation(Metric::Open)];
    Ok(Results {
        replications,
        seed,
        kpi_defs,
        kpis,
        per_replication,
        series_defs,
        bands,
        bands_exact,
        suggested_warmup,
        cases,
        requeues,
        events,
    })
}
