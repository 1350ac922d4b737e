//! # caseload-experiment
//!
//! Replications of a model configuration in parallel (rayon), merged in replication order so
//! the output does not depend on the number of threads; the KPIs planners ask for, per
//! replication and summarised with Student-t confidence intervals; and daily series with
//! 5-95 % bands across replications, in memory that does not grow with the replication count.

mod kpi;
mod run;
pub mod stats;

pub use kpi::{Design, KpiDef, ReplicationResult, SeriesDef, Thresholds};
pub use run::{BAND, Band, Results, run, run_one};
pub use stats::Estimate;
