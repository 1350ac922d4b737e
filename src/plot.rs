//! `caseload plot`: redraws a results folder's charts (and its report, if it has one) from
//! the folder's own tables and manifest, without running anything or reading the scenario.

use std::fmt::Write as _;
use std::path::PathBuf;

use caseload_experiment::{Command, Manifest};

/// Arguments of `caseload plot`.
#[derive(Debug, clap::Args)]
pub struct PlotArgs {
    /// A results folder (one with a manifest.json).
    pub results: PathBuf,
}

/// Runs the command; returns the text for stdout.
pub fn run(args: &PlotArgs) -> anyhow::Result<String> {
    let manifest = Manifest::read(&args.results)?;
    let _lock = caseload_experiment::results::folder::lock_folder(&args.results)?;
    let mut text = String::new();
    if matches!(manifest.command, Command::Run | Command::Compare) && manifest.markers.is_none() {
        let _ = writeln!(
            text,
            "staffing actions not marked: the folder's manifest does not record them (it was \
             written by an older caseload; run the command again to mark them)"
        );
    }
    let files = caseload_report::replot(&args.results)?;
    let _ = writeln!(
        text,
        "redrew {} in {}",
        files.join(", "),
        args.results.display()
    );
    if args.results.join("report.html").exists() {
        caseload_report::write_report(&args.results, true)?;
        let _ = writeln!(text, "and rewrote report.html");
    }
    Ok(text)
}
