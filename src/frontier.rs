//! `caseload frontier`: the least temporary staffing meeting a target by a date. For each
//! duration of a temporary action, the fewest officers at which the target holds in at least
//! `--confidence` of the replications, and the duration with the least officer-months.

use std::fmt::Write as _;

use anyhow::{Context, bail};
use caseload_experiment::{Command, Target};
use caseload_scenario::{FieldPath, FieldValue, ScenarioSource};
use time::Date;

use crate::args::{OutputArgs, ReplicationArgs, ScenarioArgs};
use crate::output::{OutputDir, check_target, lock_folder};
use crate::terminal::progress_bar;

/// Arguments of `caseload frontier`.
#[derive(Debug, clap::Args)]
pub struct FrontierArgs {
    /// The scenario and variant.
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    /// The temporary action varied (one with `officers`, `start` and `end`: a transfer, an
    /// attachment, agency investigators), e.g. sco_attachment.
    #[arg(long, value_name = "NAME")]
    pub action: String,
    /// Officers tried, FEWEST:MOST, e.g. 1:80.
    #[arg(long, value_name = "FEWEST:MOST")]
    pub officers: String,
    /// Durations tried in months, FIRST:LAST, e.g. 1:12.
    #[arg(long, value_name = "FIRST:LAST")]
    pub months: String,
    /// When the action starts: a date, a list of dates or START:STOP:STEP (like
    /// 2014-04-01:2014-10-01:3months), each with its own frontier [default: its start in the
    /// scenario].
    #[arg(long, value_name = "DATES")]
    pub start: Option<String>,
    /// The target, e.g. `waiting_at_2016-04-01<=200` (a KPI at a `[kpi] dates` date) or
    /// `days_to_allocate_p90<=28`.
    #[arg(long, value_name = "KPI<=VALUE")]
    pub target: String,
    /// The share of replications that must meet the target.
    #[arg(long, value_name = "C", default_value_t = 0.8)]
    pub confidence: f64,
    /// Replications per candidate and their seed, shared by every candidate.
    #[command(flatten)]
    pub replications: ReplicationArgs,
    /// Where the results go.
    #[command(flatten)]
    pub output: OutputArgs,
    /// Bounds on what a run may take.
    #[command(flatten)]
    pub limits: crate::limits::LimitArgs,
}

/// `A:B` as two whole numbers, A <= B.
fn span(flag: &str, text: &str) -> anyhow::Result<(i64, i64)> {
    let parsed = text
        .split_once(':')
        .and_then(|(a, b)| Some((a.trim().parse::<i64>().ok()?, b.trim().parse::<i64>().ok()?)));
    match parsed {
        Some((a, b)) if 0 <= a && a <= b => Ok((a, b)),
        _ => bail!("--{flag} {text}: expected two whole numbers FIRST:LAST, like 1:12"),
    }
}

fn datetime(date: Date) -> anyhow::Result<FieldValue> {
    Ok(FieldValue::Datetime(
        date.to_string()
            .parse()
            .map_err(|e| anyhow::anyhow!("{date}: {e}"))?,
    ))
}

/// Runs the command; returns the text for stdout.
pub fn run(args: &FrontierArgs) -> anyhow::Result<String> {
    let source = ScenarioSource::read(&args.scenario.scenario)?;
    let scenario = source.scenario()?;
    let variant = args.scenario.variant.as_deref();
    let plan = scenario.plan(variant)?;
    let (fewest, most) = span("officers", &args.officers)?;
    let (first, last) = span("months", &args.months)?;
    if first < 1 {
        bail!("--months {}: durations start at 1 month", args.months);
    }
    if fewest < 1 {
        bail!(
            "--officers {}: an action has at least 1 officer (without it, the scenario's \
             other actions alone are the baseline), like 1:40",
            args.officers
        );
    }
    if !(args.confidence > 0.0 && args.confidence <= 1.0) {
        bail!(
            "--confidence {}: expected a share above 0, at most 1",
            args.confidence
        );
    }
    let mut target: Target = args
        .target
        .parse()
        .map_err(|e| anyhow::anyhow!("--target {e}"))?;
    let defs = plan.design(false, args.limits.limits()).kpis();
    let k = caseload_experiment::find_kpi(&defs, &target.kpi)?;
    target.kpi = defs[k].key();
    let Some(marker) = plan.actions.iter().find(|a| a.name == args.action) else {
        bail!(
            "--action {}: {} has no such staffing action (it has {})",
            args.action,
            plan.label(),
            plan.actions
                .iter()
                .map(|a| a.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
    };
    let starts: Vec<Date> = match &args.start {
        Some(text) => caseload_experiment::Axis::parse(&format!("start={text}"))
            .map_err(|e| anyhow::anyhow!("--start: {e}"))?
            .values
            .iter()
            .map(|v| match v {
                caseload_experiment::AxisValue::Date(d) => Ok(*d),
                other => bail!("--start {text}: `{other}` is not a date"),
            })
            .collect::<anyhow::Result<_>>()?,
        None => vec![plan.date_of_day(marker.start_day.max(0.0) as u32)],
    };
    let path = |field: &str| {
        FieldPath::root()
            .key("actions")
            .key(&args.action)
            .key(field)
    };
    let replications = args.replications.reps.unwrap_or(plan.replications);
    let seed = args.replications.seed_or(plan);
    let target_dir = args
        .output
        .folder(&plan.scenario, plan.variant.as_deref(), Command::Frontier);
    let lock = lock_folder(&target_dir)?;
    check_target(&target_dir, args.output.force, Command::Frontier)?;
    let durations: Vec<i64> = (first..=last).collect();
    let progress = progress_bar(0);
    let mut evaluations: Vec<caseload_report::Evaluation> = Vec::new();
    // Per start: the end of each duration and the frontier.
    let mut frontiers: Vec<(Date, Vec<Date>, Vec<caseload_experiment::FrontierPoint>)> = Vec::new();
    for &start in &starts {
        let ends: Vec<Date> = durations
            .iter()
            .map(|&m| caseload_experiment::add_months(start, m).context("a date out of range"))
            .collect::<anyhow::Result<_>>()?;
        let points =
            caseload_experiment::frontier(&durations, fewest, most, |officers, months| {
                let end = ends[(months - first) as usize];
                let changes = vec![
                    (path("officers"), FieldValue::Integer(officers)),
                    (path("start"), datetime(start)?),
                    (path("end"), datetime(end)?),
                ];
                let plan = source
                    .plan_with_changes(variant, &changes)
                    .with_context(|| {
                        format!(
                            "{officers} officers of {} from {start} to {end}",
                            args.action
                        )
                    })?;
                let design = plan.design(false, args.limits.limits());
                progress.inc_length(u64::from(replications));
                let results =
                    caseload_experiment::run(&design, seed, replications, &|| progress.inc(1))
                        .with_context(|| {
                            format!("running {officers} officers for {months} months")
                        })?;
                let values: Vec<f64> = results.per_replication.iter().map(|r| r[k]).collect();
                let share = target.share_meeting(&values);
                let met = share >= args.confidence;
                evaluations.push((start.to_string(), officers, months, share, met));
                anyhow::Ok(met)
            })?;
        frontiers.push((start, ends, points));
    }
    progress.finish_and_clear();
    // The least officer-months over every start (ties: the earlier start, the shorter time).
    let best: Option<(usize, caseload_experiment::FrontierPoint)> = frontiers
        .iter()
        .enumerate()
        .filter_map(|(i, (_, _, points))| {
            caseload_experiment::least_officer_months(points).map(|p| (i, p))
        })
        .min_by_key(|(i, p)| (p.officer_months(), *i, p.months));
    let out = OutputDir::create(&target_dir, args.output.force, Command::Frontier, lock)?;
    let file = |f: &str| out.file(f);
    let rows: Vec<caseload_report::FrontierRow> = frontiers
        .iter()
        .enumerate()
        .flat_map(|(i, (start, ends, points))| {
            points
                .iter()
                .zip(ends)
                .map(move |(p, end)| caseload_report::FrontierRow {
                    start: start.to_string(),
                    end: end.to_string(),
                    point: *p,
                    least: best.is_some_and(|(b, bp)| b == i && bp == *p),
                })
        })
        .collect();
    let files = caseload_report::write_frontier(
        &file,
        &plan.label(),
        &args.action,
        &target.to_string(),
        &rows,
        &evaluations,
    )?;
    let mut manifest =
        crate::output::plan_manifest(Command::Frontier, &source, plan, seed, replications);
    manifest.files = files;
    caseload_report::write_manifest(&file, &manifest)?;
    out.report_if(args.output.report)?;
    let written = out.finish()?;

    let mut text = format!(
        "{}: fewest officers of {} meeting {target} in at least {} of {replications} \
         replications\n\n  {:>10} {:>6} {:>12} {:>9} {:>15}\n",
        plan.label(),
        args.action,
        args.confidence,
        "from",
        "months",
        "to",
        "officers",
        "officer-months"
    );
    for r in &rows {
        let p = r.point;
        let _ = writeln!(
            text,
            "  {:>10} {:>6} {:>12} {:>9} {:>15}{}",
            r.start,
            p.months,
            r.end,
            p.officers
                .map_or_else(|| format!("> {most}"), |o| o.to_string()),
            p.officer_months()
                .map_or_else(|| "-".into(), |o| o.to_string()),
            if r.least { "  <- least" } else { "" }
        );
    }
    let _ = writeln!(
        text,
        "\n{} evaluations of {replications} replications; files in {}",
        evaluations.len(),
        written.display()
    );
    Ok(text)
}
