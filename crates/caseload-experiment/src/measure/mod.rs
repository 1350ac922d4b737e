//! Measuring a design: its replications run in parallel and merged in order, the observer of
//! one replication, the KPIs read from it, their statistics, the daily bands, and the bounds a
//! run is checked against.

pub mod bands;
pub mod budget;
pub mod finished;
pub mod kpi;
pub mod limits;
pub mod metric;
pub mod observer;
pub mod run;
pub mod sort;
pub mod stats;
pub mod survival;
pub mod warmup;
