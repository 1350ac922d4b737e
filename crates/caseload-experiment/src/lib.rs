//! # caseload-experiment
//!
//! Designs run, measured and questioned. Each job has its room:
//!
//! | module | job |
//! |---|---|
//! | [`design`] | what to run: a checked model, warm-up, thresholds, census dates, limits, the daily series kept |
//! | [`measure`] | replications in parallel, merged in replication order so outputs do not depend on the thread count ([`measure::run`]); the observer of one replication ([`measure::observer`]) and what KPIs read once it ends ([`measure::finished`]); the KPI catalogue ([`measure::kpi`]) and daily metrics ([`measure::metric`]); Student-t and Kaplan-Meier statistics ([`measure::stats`], [`measure::survival`]); 5-95 % bands in bounded memory ([`measure::bands`]); the MSER-5 warm-up ([`measure::warmup`]); the bounds a run is checked against ([`measure::limits`], [`measure::budget`]) |
//! | [`questions`] | options compared under common random numbers ([`questions::compare`]); targets and the search for the least lever value ([`questions::search`]); a candidate judged against a target ([`questions::judge`]); the frontier of temporary staffing ([`questions::frontier`]); the best option selected by KN ([`questions::select`]); a package's effect attributed to its actions ([`questions::attribution`]); the back-test ([`questions::backtest`]); the sensitivity of KPIs to the assumptions, Morris or Sobol ([`questions::sensitivity`]); values calibrated to observed figures by history matching ([`questions::calibration`]) |
//! | [`sweep`] | a grid of designs run as one parallel job or a shard of it, and the grid grammar ([`sweep::grid`]) |
//! | [`results`] | results as files: the manifest ([`results::manifest`]), a sweep's stored rows ([`results::store`]), shards merged ([`results::merge`]), Slurm scripts ([`results::slurm`]) |
//! | [`asked`] | what a scenario asks of its reports: question, headline measures, directions, money unit |
//! | [`basis`] | what a scenario's values rest on (sourced, derived, an assumption with its range) |
//! | [`calendar`] | ISO dates and calendar months for axes asked in dates |
//! | [`names`] | KPI lookup by name and the "did you mean" suggestion |
//!
//! The commonly used names are re-exported at the crate root.

/// The exact build: version, commit and whether the tree was modified (see `build.rs`), as
/// `caseload --version` prints it and every manifest records it.
pub const BUILD: &str = env!("CASELOAD_BUILD");

pub mod asked;
pub mod basis;
pub mod calendar;
pub mod design;
pub mod measure;
pub mod names;
pub mod questions;
pub mod results;
pub mod sweep;

pub use asked::{Direction, MoneyUnit, ReportAsk};
pub use basis::{Basis, ValueBasis};
pub use calendar::{add_months, date_hint, parse_date};
pub use design::{Census, Design, Period, SeriesDef, Thresholds, case_type_names, metric_name};
pub use measure::bands::{BAND, BAND_MEMORY_BUDGET, Band};
pub use measure::kpi::{Better, KpiDef, ReplicationResult, label_of};
pub use measure::limits::{LimitError, Limits};
pub use measure::metric::Metric;
pub use measure::run::{
    PRECISION_BATCH, Precision, PrecisionError, Results, RunError, run, run_one, run_until,
};
pub use measure::stats::{self, Domain, Estimate};
pub use measure::{survival, warmup};
pub use names::{KpiParts, UnknownKpi, find_kpi, suggestion};
pub use questions::attribution::{
    Attribution, AttributionError, Contribution, EXACT_UP_TO, Method, attribute,
};
pub use questions::backtest::{BacktestPoint, Coverage, Observation, Observed, backtest, coverage};
pub use questions::calibration::{
    CUTOFF, Calibration, CalibrationError, CalibrationPoint, CalibrationTarget, Waves, calibrate,
    design_point, evaluate, implausibility, next_box, summarise,
};
pub use questions::compare::{Comparison, Difference, compare, differences};
pub use questions::cost_effect::{CostEffect, DAYS_PER_MONTH, EFFECTS, Ratio, cost_effectiveness};
pub use questions::frontier::{
    FrontierPoint, Minimise, frontier, least_of, least_officer_months, package_cost, split_officers,
};
pub use questions::judge::{Criterion, Judge, JudgeError, Judgement};
pub use questions::search::{
    Bracket, Least, LeverError, LeverGrid, Relation, Target, TargetError, least_meeting,
    smallest_meeting,
};
pub use questions::select::{Goal, SelectError, Selection, kn_h2, select_best};
pub use questions::sensitivity::factor::Factor;
pub use questions::sensitivity::indices::{
    IndexName, MissingKpi, ONE_AT_A_TIME, SensitivityIndex, ranked, sensitivity_indices,
};
pub use questions::sensitivity::plan::{PlanError, PointRole, SensitivityMethod, SensitivityPlan};
pub use results::manifest::{
    self, Command, InputFile, KpiColumn, Manifest, ManifestError, Marker, RowsChecksum,
    SearchRecord, SweepRecord, default_folder, sha256_hex,
};
pub use results::merge::{MergeError, merge_shards, shards_input};
pub use results::slurm::{SlurmError, SlurmJob, SlurmScripts, sbatch};
pub use results::store::{
    Leftover, Rows, StoreError, SweepStore, complete, partial_folder, write_rows,
};
pub use sweep::{Axis, AxisValue, Block, Grid, GridError, Shard, ShardError, SweepError, sweep};
