//! # caseload-report
//!
//! What a run leaves behind: `summary.csv` (KPIs with 95 % confidence intervals),
//! `timeseries.csv` (tidy daily means with 5-95 % bands), `cases.csv` (one row per case), and
//! charts as PNG and SVG (backlog with bands and staffing-action markers, caseload per
//! investigator, officers in post by source). Numbers are written with fixed formatting, so
//! the same results give the same bytes on every machine.

mod charts;
mod tables;

pub use charts::{Chart, ChartError, Line, Marker};
pub use tables::{TableError, number, write_cases, write_summary, write_timeseries};
