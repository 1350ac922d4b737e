//! End-to-end tests of the `caseload` program, in one test binary (one link of the whole
//! program instead of one per file). The map, a module per area:

/// Helpers: scratch folders, running the program, reading its CSVs.
mod util;

/// Malformed scenarios: exit 2, the file, line and field, nothing written.
mod bad_input;
/// `calibrate`: known values recovered, bad observed files refused.
mod calibrate;
/// The KPI catalogue in docs/kpis.md against the program's own KPIs.
mod catalogue;
/// `attribute`: Shapley values and leave-one-out of a package.
mod cli_attribute;
/// `backtest`: observed figures against the simulated bands.
mod cli_backtest;
/// `sweep`, `merge`, `compare`, `optimise` and `run --precision` against theory.
mod cli_experiment;
/// `fit`: demand from counts, its estimates, fan and charts.
mod cli_fit;
/// `frontier`: the least temporary staffing, checked by brute force.
mod cli_frontier;
/// `plot`: charts redrawn from a folder alone.
mod cli_plot;
/// `queue`: the reference queue beside theory.
mod cli_queue;
/// `run` on the shipped scenarios: whole, consistent folders.
mod cli_run;
/// `compare --select best`: KN picks the known best.
mod cli_select;
/// A tiny scenario's outputs byte for byte (CASELOAD_BLESS=1 to regenerate).
mod golden;
/// Every subcommand's `--help` examples run; completions and the manual page.
mod help_examples;
/// Face validity of the London 2014 scenarios.
mod london;
/// Face validity of the London 2019 scenario.
mod london_2019;
/// Random counts and observed files through `fit` and `backtest`.
mod random_inputs;
/// Random scenarios, sensible and absurd, through every layer.
mod random_scenarios;
/// The documented Python reader run on a results folder (needs pandas: `--ignored`).
mod readers;
/// The figures the READMEs quote about the shipped scenarios, against fresh runs.
mod readme_figures;
/// Kills, full disks, concurrent writers, bounds: nothing lost, nothing aborted.
mod reliability;
/// Report.html in headless Chromium (ignored: CI runs it with --ignored).
mod report_browser;
/// `sensitivity`: indices worked by hand, shards, resume, bad input.
mod sensitivity;
/// A real Slurm array and merge (ignored: CI runs it on a local cluster).
mod slurm;
