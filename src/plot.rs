//! `caseload plot`: redraws a results folder's charts (and its report, if it has one) from
//! the folder's own tables, without running anything.

use std::fmt::Write as _;
use std::path::PathBuf;

use caseload_experiment::{Command, Manifest, sha256_hex};
use caseload_report::Marker;
use caseload_scenario::ScenarioSource;

use crate::run::markers;

/// Arguments of `caseload plot`.
#[derive(Debug, clap::Args)]
pub struct PlotArgs {
    /// A results folder (one with a manifest.json).
    pub results: PathBuf,
}

/// The staffing actions to mark: the scenario's, when its file is where the manifest says and
/// unchanged; otherwise none, and why.
fn scenario_markers(manifest: &Manifest) -> Result<Vec<Marker>, String> {
    let path = PathBuf::from(&manifest.scenario_file);
    let bytes = std::fs::read(&path)
        .map_err(|e| format!("the scenario file {} cannot be read ({e})", path.display()))?;
    if sha256_hex(&bytes) != manifest.scenario_sha256 {
        return Err(format!(
            "the scenario file {} has changed since the run",
            path.display()
        ));
    }
    let scenario = ScenarioSource::read(&path)
        .and_then(|s| s.scenario())
        .map_err(|e| e.to_string())?;
    Ok(match manifest.command {
        Command::Compare => markers(
            std::iter::once(&scenario.base)
                .chain(&scenario.variants)
                .filter(|p| {
                    manifest.options.iter().any(|o| {
                        o.as_str()
                            == p.variant
                                .as_deref()
                                .unwrap_or(caseload_scenario::AS_WRITTEN)
                    })
                })
                .flat_map(|p| &p.actions),
        ),
        _ => match scenario.plan(manifest.variant.as_deref()) {
            Ok(plan) => markers(&plan.actions),
            Err(e) => return Err(e.to_string()),
        },
    })
}

/// Runs the command; returns the text for stdout.
pub fn run(args: &PlotArgs) -> anyhow::Result<String> {
    let manifest = Manifest::read(&args.results)?;
    let mut text = String::new();
    let markers = match manifest.command {
        Command::Run | Command::Compare => scenario_markers(&manifest).unwrap_or_else(|why| {
            let _ = writeln!(text, "staffing actions not marked: {why}");
            Vec::new()
        }),
        _ => Vec::new(),
    };
    let files = caseload_report::replot(&args.results, &markers)?;
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
