//! # caseload-experiment
//!
//! Replications of a model configuration in parallel (rayon), merged in replication order so
//! the output does not depend on the number of threads; the KPIs planners ask for, per
//! replication and summarised with Student-t confidence intervals; and daily series with
//! 5-95 % bands across replications, in memory that does not grow with the replication count.
//!
//! On top of single runs: comparisons of options under common random numbers with paired
//! intervals ([`compare()`]), sequential stopping at a target precision ([`run_until`]),
//! parameter sweeps run as one parallel job and sliceable into shards ([`sweep()`]), and the
//! search for the smallest lever value meeting a KPI target ([`smallest_meeting`]).

mod attribution;
mod backtest;
mod bands;
mod compare;
mod frontier;
mod kpi;
mod limits;
pub mod manifest;
mod metric;
mod names;
mod observer;
mod run;
mod search;
mod select;
mod sort;
pub mod stats;
pub mod survival;
mod sweep;
pub mod warmup;

pub use attribution::{
    Attribution, AttributionError, Contribution, EXACT_UP_TO, Method, attribute,
};
pub use backtest::{BacktestPoint, Coverage, Observation, Observed, backtest, coverage};
pub use bands::{BAND, BAND_MEMORY_BUDGET, Band};
pub use compare::{Comparison, Difference, compare, differences};
pub use frontier::{FrontierPoint, frontier, least_officer_months, package_cost, split_officers};
pub use kpi::{
    Census, Design, KpiDef, Period, ReplicationResult, SeriesDef, Thresholds, case_type_names,
    metric_name,
};
pub use limits::{LimitError, Limits};
pub use manifest::{
    Command, KpiColumn, Manifest, ManifestError, RowsChecksum, SearchRecord, SweepRecord,
    default_folder, sha256_hex,
};
pub use metric::Metric;
pub use names::{UnknownKpi, find_kpi, suggestion};
pub use run::{
    PRECISION_BATCH, Precision, PrecisionError, Results, RunError, run, run_one, run_until,
};
pub use search::{
    Bracket, Least, LeverError, LeverGrid, Relation, Target, TargetError, least_meeting,
    smallest_meeting,
};
pub use select::{Goal, SelectError, Selection, kn_h2, select_best};
pub use stats::Domain;
pub use stats::Estimate;
pub use sweep::{
    Axis, AxisValue, Block, Grid, GridError, Leftover, MergeError, Rows, Shard, ShardError,
    SlurmError, SlurmJob, SlurmScripts, StoreError, SweepError, SweepStore, add_months, complete,
    merge_shards, partial_folder, sweep, write_rows,
};
