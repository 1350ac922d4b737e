//! # caseload-report
//!
//! What a run leaves behind: `summary.csv` (KPIs with 95 % confidence intervals),
//! `timeseries.csv` (tidy daily means with 5-95 % bands), `cases.csv` (one row per case), and
//! charts as PNG and SVG (backlog with bands and staffing-action markers, caseload per
//! investigator, officers in post by source); for comparisons `compare.csv` and overlaid backlog
//! curves, for sweeps `sweep.csv` with a KPI-against-parameter chart or a two-parameter heatmap;
//! for sensitivity analyses `sensitivity.csv`, tornadoes and Morris or Sobol charts.
//! Numbers are written with fixed formatting, so
//! the same results give the same bytes on every machine.

mod attribution;
mod backtest;
mod calibration;
mod charts;
mod columnar;
mod fit;
mod folders;
mod format;
mod frontier;
mod html;
mod replot;
mod selection;
mod sensitivity;
mod tables;
pub mod text;

pub use attribution::{PACKAGE, WITHOUT, waterfall, write_attribution};
pub use backtest::write_backtest;
pub use calibration::{CalibrationAsked, write_calibration};
pub use charts::{Chart, ChartError, Heatmap, Line, Marker, SmallMultiples, SweepChart, Waterfall};
pub use columnar::{
    ColumnarError, ROW_GROUP, TableFormat, write_replications_parquet, write_timeseries_parquet,
};
pub use fit::{write_fit, write_fitted_demand};
pub use folders::{
    CompareFolder, FileIn, FolderError, RunFolder, TraceStep, sweep_estimates, with_band,
    write_compare as write_compare_folder, write_file, write_input_copy, write_manifest, write_run,
    write_sweep as write_sweep_folder, write_sweep_results, write_trace,
};
pub use format::{grouped, number, readable, with_interval};
pub use frontier::{Evaluation, FrontierRow, write_frontier};
pub use html::{ReportError, build_report, escape, write_report};
pub use replot::{ReplotError, replot};
pub use selection::write_selection;
pub use sensitivity::{SENSITIVITY_COLUMNS, indices_of, write_sensitivity};
pub use tables::{
    ESTIMATE_COLUMNS, TableError, estimate_cells, write_cases, write_compare, write_monthly,
    write_replications, write_summary, write_sweep, write_timeseries,
};
