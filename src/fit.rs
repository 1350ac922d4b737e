//! `caseload fit`: demand fitted from a force's referral counts, per case type (and team):
//! estimates with intervals, the scenario's `demand` blocks, and observed against fitted with
//! a forecast band.

use std::path::PathBuf;

use anyhow::Context;
use caseload_experiment::{Command, Manifest};
use caseload_fit::{FitOptions, fit, read_counts_file};
use time::Date;

use crate::args::OutputArgs;
use crate::output::Job;

/// Draws of the forecast band (parameters and counts).
const FAN_DRAWS: usize = 2_000;

/// Arguments of `caseload fit`.
#[derive(Debug, clap::Args)]
pub struct FitArgs {
    /// Counts file (CSV: period_start, case_type, count, and optionally team and basis).
    pub counts: PathBuf,
    /// A date from which the rate may step up or down, e.g. 2012-12-01.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub change: Option<Date>,
    /// The date the demand blocks' `annual_rate` is for (the scenario's start) [default: each
    /// series' first period].
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub start: Option<Date>,
    /// Periods forecast after the last count (for the chart and fan.csv), at most 1,200.
    #[arg(long, value_name = "N", default_value_t = 24, value_parser = periods_ahead)]
    pub ahead: usize,
    /// Seed of the forecast band's draws.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// Where the results go [default: results/COUNTS/fit].
    #[command(flatten)]
    pub output: OutputArgs,
}

/// Parses `--ahead`: a whole number of periods, at most [`caseload_fit::MAX_AHEAD`].
fn periods_ahead(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(n) if n <= caseload_fit::MAX_AHEAD => Ok(n),
        Ok(_) => Err(format!(
            "at most {} periods (100 years of months)",
            caseload_fit::MAX_AHEAD
        )),
        Err(e) => Err(format!("expected a whole number of periods: {e}")),
    }
}

pub(crate) fn parse_date(text: &str) -> Result<Date, String> {
    Date::parse(
        text,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .map_err(|_| {
        caseload_experiment::date_hint(text)
            .unwrap_or_else(|| format!("`{text}`: expected an ISO date like 2012-12-01"))
    })
}

/// Runs the command; returns the text for stdout.
pub fn run(args: &FitArgs) -> anyhow::Result<String> {
    let (text, series) = read_counts_file(&args.counts)?;
    let options = FitOptions {
        change: args.change,
        start: args.start,
    };
    let fits = series
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let f = fit(s, &options)?;
            let fan = f.fan(args.ahead, FAN_DRAWS, args.seed.wrapping_add(i as u64));
            Ok((f, fan))
        })
        .collect::<Result<Vec<_>, caseload_fit::FitError>>()
        .with_context(|| format!("fitting {}", args.counts.display()))?;
    let stem = args.counts.file_stem().map_or_else(
        || "counts".to_string(),
        |s| s.to_string_lossy().into_owned(),
    );
    let job = Job::start(&args.output, &stem, None, Command::Fit, 0)?;
    let mut manifest = Manifest::new(
        Command::Fit,
        crate::args::command_line(),
        &args.counts,
        &text,
    );
    manifest.scenario = stem;
    manifest.seed = args.seed;
    let written = job.write(manifest, &text, |file| {
        Ok(caseload_report::write_fit(file, &fits)?)
    })?;

    Ok(caseload_report::text::fit(&fits, &written))
}
