//! `caseload run`: replications of a scenario in parallel, a summary on stdout, and a results
//! folder with CSVs, charts and a manifest.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context, bail};
use caseload_experiment::warmup::Truncation;
use caseload_experiment::{Command, Design, Precision, Results};
use caseload_report::{Marker, RunFolder};
use caseload_scenario::{RunPlan, ScenarioSource};

use crate::args::{OutputArgs, ReplicationArgs, ScenarioArgs};
use crate::output::Job;
use caseload_report::{readable, with_interval};

/// Arguments of `caseload run`.
#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// The scenario and variant run.
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    /// Replications and their seed.
    #[command(flatten)]
    pub replications: ReplicationArgs,
    /// Where the results go.
    #[command(flatten)]
    pub output: OutputArgs,
    /// Also write cases.csv: one row per case and replication (large).
    #[arg(long)]
    pub cases: bool,
    /// Keep adding replications (10 at a time) until the 95 % confidence interval of a KPI is
    /// at most this half-width, in the KPI's unit or as a percentage of its mean: e.g.
    /// `days_to_allocate_mean=0.5` or `backlog_end=2%`. --reps is then the most to run
    /// [default 1000].
    #[arg(long, value_name = "KPI=HALF_WIDTH")]
    pub precision: Option<String>,
    /// Bounds on what a run may take.
    #[command(flatten)]
    pub limits: crate::limits::LimitArgs,
}

/// Most replications a `--precision` run makes when no --reps is given.
const PRECISION_CAP: u32 = 1000;

/// Runs the command; returns the text for stdout and the exit status
/// ([`crate::EXIT_PRECISION_NOT_MET`] when a `--precision` target was not reached).
pub fn run(args: &RunArgs) -> anyhow::Result<crate::Done> {
    let source = ScenarioSource::read(&args.scenario.scenario)?;
    let scenario = source.scenario()?;
    let plan = scenario.plan(args.scenario.variant.as_deref())?;
    let default_reps = if args.precision.is_some() {
        PRECISION_CAP
    } else {
        plan.replications
    };
    let replications = args.replications.reps.unwrap_or(default_reps);
    if replications == 0 {
        bail!("--reps must be at least 1");
    }
    let seed = args.replications.seed_or(plan);
    let job = Job::start(
        &args.output,
        &plan.scenario,
        plan.variant.as_deref(),
        Command::Run,
        u64::from(replications),
    )?;
    let design = plan.design(args.cases, args.limits.limits());
    let precision = match &args.precision {
        Some(text) => Some(Precision::parse(&design.kpis(), text)?),
        None => None,
    };
    let results =
        caseload_experiment::run_until(&design, seed, replications, precision.as_ref(), &|| {
            job.tick()
        })
        .context("running the scenario")?;
    let mut manifest = crate::output::plan_manifest(
        Command::Run,
        &source,
        plan,
        results.seed,
        results.replications,
    );
    manifest.events = Some(results.events);
    let markers = plan.markers(&plan.actions);
    manifest.markers = Some(markers.clone());
    let written = job.write(manifest, |file| {
        write_tables_and_charts(file, plan, &design, &results, &markers, args.cases)
    })?;
    let mut text = String::new();
    let mut status = 0;
    if let Some(p) = &precision {
        let def = &results.kpi_defs[p.kpi];
        let e = &results.kpis[p.kpi];
        let goal = if p.relative {
            format!("{} % of the mean", p.half_width * 100.0)
        } else {
            format!("{} {}", p.half_width, def.unit)
        };
        if !p.met(e) {
            status = crate::EXIT_PRECISION_NOT_MET;
        }
        let _ = writeln!(
            text,
            "precision: {} after {} replications: {} half-width {} (target {goal}){}",
            if p.met(e) { "reached" } else { "NOT reached" },
            results.replications,
            def.key(),
            readable(e.half_width()),
            if p.met(e) {
                String::new()
            } else {
                format!(
                    "; the cap is {replications}: raise --reps (exit status {})",
                    crate::EXIT_PRECISION_NOT_MET
                )
            }
        );
    }
    text += &summary_text(plan, &results, &written);
    Ok(crate::Done { text, status })
}

/// Writes a run's tables and charts; returns the files written.
fn write_tables_and_charts(
    file: caseload_report::FileIn,
    plan: &RunPlan,
    design: &Design,
    results: &Results,
    markers: &[Marker],
    cases: bool,
) -> anyhow::Result<Vec<String>> {
    let dates: Vec<String> = (0..design.days())
        .map(|d| plan.date_of_day(d as u32).to_string())
        .collect();
    Ok(caseload_report::write_run(
        file,
        &RunFolder {
            label: &plan.label(),
            option: plan
                .variant
                .as_deref()
                .unwrap_or(caseload_scenario::AS_WRITTEN),
            dates: &dates,
            model: &plan.model,
            results,
            markers,
            cases,
            warmup_days: plan.warmup_days,
        },
    )?)
}

fn summary_text(plan: &RunPlan, results: &Results, written: &Path) -> String {
    let mut text = String::new();
    let _ = writeln!(
        text,
        "{}: {} replications, seed {}, {} days from {}{}",
        plan.label(),
        results.replications,
        results.seed,
        plan.model.horizon_days,
        plan.start_date,
        if plan.warmup_days > 0.0 {
            format!(" (KPIs after a {}-day warm-up)", plan.warmup_days)
        } else {
            String::new()
        }
    );
    let _ = writeln!(text);
    let _ = writeln!(
        text,
        "{:<44} {:>36}  unit",
        "KPI (all teams)", "mean [95 % CI]"
    );
    for (def, e) in results.kpi_defs.iter().zip(&results.kpis) {
        if def.team.is_some() || def.name.contains("_priority_") {
            continue;
        }
        let _ = writeln!(
            text,
            "{:<44} {:>36}  {}",
            def.name,
            with_interval(e),
            def.unit
        );
    }
    text += &team_table(results);
    if results.replications < 2 {
        let _ = writeln!(
            text,
            "\nOne replication: no confidence intervals (run at least two)."
        );
    }
    text += &warmup_text(plan.warmup_days, results);
    let _ = writeln!(text);
    let _ = writeln!(
        text,
        "per team and per priority in summary.csv; results in {}",
        written.display()
    );
    text
}

/// KPIs shown per team on the terminal (all are in summary.csv).
const TEAM_COLUMNS: [(&str, &str); 5] = [
    ("backlog_end", "waiting at end"),
    ("days_to_allocate_median", "median days to allocate"),
    ("days_to_allocate_p90", "p90 days to allocate"),
    ("waiting_age_median_end", "median age waiting"),
    ("utilisation", "utilisation"),
];

/// A compact table of a few KPIs per team: the means, or `not reached`.
fn team_table(results: &Results) -> String {
    let mut teams: Vec<&str> = Vec::new();
    for def in &results.kpi_defs {
        if let Some(team) = def.team.as_deref()
            && !teams.contains(&team)
        {
            teams.push(team);
        }
    }
    if teams.len() < 2 {
        return String::new();
    }
    let mut text = String::new();
    let _ = write!(text, "\n{:<20}", "team (means)");
    for (_, heading) in TEAM_COLUMNS {
        let _ = write!(text, " {heading:>24}");
    }
    let _ = writeln!(text);
    for team in teams {
        let _ = write!(text, "{team:<20}");
        for (name, _) in TEAM_COLUMNS {
            let e = results
                .kpi_defs
                .iter()
                .position(|d| d.name == name && d.team.as_deref() == Some(team))
                .map(|k| &results.kpis[k]);
            let cell = match e {
                Some(e) if e.not_reached > 0 => {
                    format!("not reached ({}/{})", e.not_reached, e.n)
                }
                Some(e) => readable(e.mean),
                None => "-".into(),
            };
            let _ = write!(text, " {cell:>24}");
        }
        let _ = writeln!(text);
    }
    text
}

/// The MSER-5 suggestion for the warm-up, and a warning when the scenario's is shorter.
fn warmup_text(warmup_days: f64, results: &Results) -> String {
    let mut text = String::new();
    for (metric, truncation) in &results.suggested_warmup {
        let line = match *truncation {
            Truncation::Days(days) if (days as f64) > warmup_days => format!(
                "warning: MSER-5 suggests leaving out the first {days} days of the mean daily \
                 `{}`, longer than the scenario's warm-up of {warmup_days} days: KPIs may \
                 still carry the starting state",
                metric.name()
            ),
            Truncation::Days(days) => format!(
                "warm-up: MSER-5 suggests {days} days for the mean daily `{}` (the scenario \
                 leaves out {warmup_days})",
                metric.name()
            ),
            Truncation::NotSettled => format!(
                "note: the mean daily `{}` does not settle within the run (MSER-5): its KPIs \
                 describe a trend, not a steady state",
                metric.name()
            ),
            Truncation::TooShort => continue,
        };
        let _ = writeln!(text, "{line}");
    }
    if !text.is_empty() {
        text.insert(0, '\n');
    }
    text
}
