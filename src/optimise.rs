//! `caseload optimise`: the smallest value of one staffing lever (officers, FTE, hours) at which
//! a KPI target is met with stated confidence. Every candidate runs the same replications
//! (common random numbers), so the comparison between neighbouring values is sharp, and the
//! search is a bisection over the lever's grid after growing an upper bracket if needed.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use anyhow::{Context, bail};
use caseload_experiment::{
    Bracket, Command, Least, LeverGrid, SearchRecord, Target, least_meeting,
};
use caseload_report::TraceStep;
use caseload_scenario::{FieldPath, FieldValue, ScenarioSource};

use crate::args::{OutputArgs, ReplicationArgs, ScenarioArgs};
use crate::output::{OutputDir, check_target, lock_folder};
use crate::terminal::{progress_bar, readable, with_interval};

/// Doublings of the lever tried when no `--max` is given and the scenario's value misses.
const MAX_DOUBLINGS: u32 = 12;

/// Arguments of `caseload optimise`.
#[derive(Debug, clap::Args)]
pub struct OptimiseArgs {
    /// The scenario and variant searched.
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    /// The numeric field to set, e.g. `teams.north.strength` or
    /// `actions.agency_investigators.officers`.
    #[arg(long, value_name = "PATH")]
    pub lever: String,
    /// The KPI target, e.g. `days_to_allocate_p90<=7` (also <, >=, >).
    #[arg(long, value_name = "KPI<=VALUE")]
    pub target: String,
    /// How sure the answer must be: with `--criterion replications`, the share of replications
    /// that must meet the target; with `--criterion mean`, the confidence level of the bound.
    #[arg(long, value_name = "C", default_value_t = 0.95)]
    pub confidence: f64,
    /// What meeting the target means: in at least `--confidence` of the replications (the KPI
    /// of each simulated future), or for the mean over replications at the unfavourable end of
    /// its one-sided `--confidence` bound.
    #[arg(long, value_enum, default_value_t = Criterion::Replications)]
    pub criterion: Criterion,
    /// Smallest lever value considered.
    #[arg(long, value_name = "V", default_value_t = 0.0)]
    pub min: f64,
    /// Largest lever value considered [default: grow from the scenario's value until the target
    /// is met].
    #[arg(long, value_name = "V")]
    pub max: Option<f64>,
    /// For a date lever (an action's start, say), the dates searched, START:STOP:STEP like
    /// 2014-01-01:2015-06-01:1month, or a list: the answer is the latest date that still
    /// meets the target (later never helps).
    #[arg(long, value_name = "START:STOP:STEP")]
    pub dates: Option<String>,
    /// Step between lever values (1 for whole officers).
    #[arg(long, value_name = "V", default_value_t = 1.0)]
    pub step: f64,
    /// Replications per candidate and their seed, shared by every candidate.
    #[command(flatten)]
    pub replications: ReplicationArgs,
    /// Where the search trace goes.
    #[command(flatten)]
    pub output: OutputArgs,
    /// Bounds on what a run may take.
    #[command(flatten)]
    pub limits: crate::limits::LimitArgs,
}

/// What meeting a target means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Criterion {
    /// The target holds in at least the `--confidence` share of replications.
    Replications,
    /// The one-sided confidence bound of the mean over replications meets the target.
    Mean,
}

/// Runs the command; returns the text for stdout.
pub fn run(args: &OptimiseArgs) -> anyhow::Result<String> {
    if let Some(dates) = &args.dates {
        return latest_date(args, dates);
    }
    let source = ScenarioSource::read(&args.scenario.scenario)?;
    let as_written = source.scenario()?;
    let variant = args.scenario.variant.as_deref();
    let plan = as_written.plan(variant)?;
    let lever = FieldPath::parse(&args.lever).map_err(|e| anyhow::anyhow!("--lever: {e}"))?;
    let mut target: Target = args
        .target
        .parse()
        .map_err(|e| anyhow::anyhow!("--target {e}"))?;
    if !(args.confidence > 0.5 && args.confidence < 1.0) {
        bail!(
            "--confidence {}: expected a number between 0.5 and 1, like 0.95",
            args.confidence
        );
    }
    let grid = LeverGrid::new(args.min, args.step, args.max)?;
    let replications = args.replications.reps.unwrap_or(plan.replications);
    if replications < 2 {
        bail!("--reps must be at least 2 for a confidence bound");
    }
    let seed = args.replications.seed_or(plan);
    let defs = plan.design(false, args.limits.limits()).kpis();
    let k = caseload_experiment::find_kpi(&defs, &target.kpi)?;
    target.kpi = defs[k].name.clone();
    let unit = defs[k].unit;
    let whole = grid.whole();
    let value_of = |i: i64| grid.value(i);
    let target_dir = args
        .output
        .folder(&plan.scenario, plan.variant.as_deref(), Command::Optimise);
    let lock = lock_folder(&target_dir)?;
    check_target(&target_dir, args.output.force, Command::Optimise)?;

    let progress = progress_bar(0);
    let mut trace: Vec<TraceStep> = Vec::new();
    let mut cache: BTreeMap<i64, bool> = BTreeMap::new();
    let mut evaluate = |i: i64| -> anyhow::Result<bool> {
        if let Some(&met) = cache.get(&i) {
            return Ok(met);
        }
        let value = value_of(i);
        let field = if whole {
            FieldValue::Integer(value as i64)
        } else {
            FieldValue::Float(value)
        };
        let step = evaluate_at(
            &Candidate {
                args,
                source: &source,
                lever: &lever,
                target: &target,
                kpi: k,
                replications,
                seed,
                progress: &progress,
            },
            field,
            value,
            &value.to_string(),
        )?;
        let met = step.met;
        trace.push(step);
        cache.insert(i, met);
        Ok(met)
    };

    let written = source
        .value_at(&lever)
        .and_then(|v| v.as_float().or_else(|| v.as_integer().map(|i| i as f64)));
    let bracket = grid.bracket(written, MAX_DOUBLINGS);
    let answer = match least_meeting(bracket, &mut evaluate)? {
        Least::Found(answer) => answer,
        Least::NotMet(hi) => match bracket {
            Bracket::UpTo(_) => bail!(
                "{target} is not met {} at --max {} ({}); raise --max",
                meaning_short(args.criterion, args.confidence),
                value_of(hi),
                trace_text(&trace, unit)
            ),
            Bracket::GrowFrom { .. } => bail!(
                "{target} is not met even with {lever} = {}; is the lever the right field, \
                     or the target reachable? (trace: {})",
                value_of(hi),
                trace_text(&trace, unit)
            ),
        },
    };
    if answer > 0 {
        evaluate(answer - 1)?;
    }
    progress.finish_and_clear();

    let out = OutputDir::create(&target_dir, args.output.force, Command::Optimise, lock)?;
    let file = |f: &str| out.file(f);
    let files =
        caseload_report::write_trace(&file, &lever.to_string(), &target.kpi, &trace, &|v| {
            caseload_report::number(v)
        })?;
    let mut manifest =
        crate::output::plan_manifest(Command::Optimise, &source, plan, seed, replications);
    manifest.search = Some(SearchRecord {
        lever: lever.to_string(),
        target: target.to_string(),
        confidence: args.confidence,
        criterion: match args.criterion {
            Criterion::Replications => "replications",
            Criterion::Mean => "mean",
        }
        .to_string(),
        answer: value_of(answer),
        answer_text: None,
        evaluations: trace.len(),
    });
    manifest.files = files;
    caseload_report::write_manifest(&file, &manifest)?;
    out.report_if(args.output.report)?;
    let written = out.finish()?;

    let found = |v: f64| trace.iter().find(|e| e.value == v);
    let mut text = String::new();
    let meaning = meaning_short(args.criterion, args.confidence);
    let _ = writeln!(
        text,
        "{}: smallest {lever} meeting {target} {meaning} ({replications} replications per \
         value, common random numbers): {}",
        plan.label(),
        lever_text(value_of(answer))
    );
    let describe = |text: &mut String, label: &str, v: f64| {
        if let Some(e) = found(v) {
            let _ = writeln!(
                text,
                "  {label:<10} {lever} = {:<8} {} = {} {unit}; meets the target in {:.0} % of \
                 replications; the mean's one-sided bound is {}: {}",
                lever_text(v),
                target.kpi,
                with_interval(&e.estimate),
                e.share * 100.0,
                readable(e.bound),
                if e.met { "met" } else { "not met" }
            );
        }
    };
    describe(&mut text, "answer", value_of(answer));
    if answer > 0 {
        describe(&mut text, "one below", value_of(answer - 1));
    }
    let _ = writeln!(
        text,
        "{} values evaluated; search trace in {}",
        trace.len(),
        written.join("trace.csv").display()
    );
    Ok(text)
}

/// What every candidate of a search shares.
struct Candidate<'a> {
    args: &'a OptimiseArgs,
    source: &'a ScenarioSource,
    lever: &'a FieldPath,
    target: &'a Target,
    kpi: usize,
    replications: u32,
    seed: u64,
    progress: &'a indicatif::ProgressBar,
}

/// Runs the scenario with the lever at `field` (`value` as a number, `shown` as typed) and
/// says whether the target is met there.
fn evaluate_at(
    c: &Candidate<'_>,
    field: FieldValue,
    value: f64,
    shown: &str,
) -> anyhow::Result<TraceStep> {
    let Candidate {
        args,
        source,
        lever,
        target,
        kpi: k,
        replications,
        seed,
        progress,
    } = *c;
    let plan = source
        .plan_with_changes(args.scenario.variant.as_deref(), &[(lever.clone(), field)])
        .with_context(|| format!("setting --lever {lever} to {shown}"))?;
    let design = plan.design(false, args.limits.limits());
    progress.inc_length(u64::from(replications));
    let results = caseload_experiment::run(&design, seed, replications, &|| progress.inc(1))
        .with_context(|| format!("running with {lever} = {shown}"))?;
    let estimate = results.kpis[k];
    let values: Vec<f64> = results.per_replication.iter().map(|r| r[k]).collect();
    let share = target.share_meeting(&values);
    let met = match args.criterion {
        Criterion::Replications => share >= args.confidence,
        Criterion::Mean => target.met(&estimate, args.confidence),
    };
    Ok(TraceStep {
        value,
        estimate,
        share,
        bound: target.bound(&estimate, args.confidence),
        met,
    })
}

/// What meeting the target means, for messages.
fn meaning_short(criterion: Criterion, confidence: f64) -> String {
    match criterion {
        Criterion::Replications => format!("in {} % of replications", confidence * 100.0),
        Criterion::Mean => format!(
            "by the mean's one-sided {} % confidence bound",
            confidence * 100.0
        ),
    }
}

/// A lever value as typed: whole numbers without decimals.
fn lever_text(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v}")
    }
}

fn trace_text(trace: &[TraceStep], unit: &str) -> String {
    trace
        .iter()
        .map(|e| {
            format!(
                "{} -> {} {unit}",
                readable(e.value),
                readable(e.estimate.mean)
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `optimise --dates`: the latest date of a date lever at which the target is met, by
/// bisection over the dates (met for early dates, not for late ones).
fn latest_date(args: &OptimiseArgs, dates: &str) -> anyhow::Result<String> {
    let source = ScenarioSource::read(&args.scenario.scenario)?;
    let as_written = source.scenario()?;
    let variant = args.scenario.variant.as_deref();
    let plan = as_written.plan(variant)?;
    let lever = FieldPath::parse(&args.lever).map_err(|e| anyhow::anyhow!("--lever: {e}"))?;
    let axis = caseload_experiment::Axis::parse(&format!("{}={dates}", args.lever))
        .map_err(|e| anyhow::anyhow!("--dates: {e}"))?;
    let days: Vec<time::Date> = axis
        .values
        .iter()
        .map(|v| match v {
            caseload_experiment::AxisValue::Date(d) => Ok(*d),
            other => bail!("--dates {dates}: `{other}` is not a date"),
        })
        .collect::<anyhow::Result<_>>()?;
    let mut target: Target = args
        .target
        .parse()
        .map_err(|e| anyhow::anyhow!("--target {e}"))?;
    if !(args.confidence > 0.5 && args.confidence < 1.0) {
        bail!(
            "--confidence {}: expected a number between 0.5 and 1, like 0.95",
            args.confidence
        );
    }
    let replications = args.replications.reps.unwrap_or(plan.replications);
    if replications < 2 {
        bail!("--reps must be at least 2 for a confidence bound");
    }
    let seed = args.replications.seed_or(plan);
    let defs = plan.design(false, args.limits.limits()).kpis();
    let k = caseload_experiment::find_kpi(&defs, &target.kpi)?;
    target.kpi = defs[k].name.clone();
    let target_dir = args
        .output
        .folder(&plan.scenario, plan.variant.as_deref(), Command::Optimise);
    let lock = lock_folder(&target_dir)?;
    check_target(&target_dir, args.output.force, Command::Optimise)?;
    let progress = progress_bar(0);
    let mut trace: Vec<TraceStep> = Vec::new();
    let mut cache: BTreeMap<usize, bool> = BTreeMap::new();
    let mut evaluate = |i: usize| -> anyhow::Result<bool> {
        if let Some(&met) = cache.get(&i) {
            return Ok(met);
        }
        let date = days[i];
        let value = FieldValue::Datetime(
            date.to_string()
                .parse()
                .map_err(|e| anyhow::anyhow!("{date}: {e}"))?,
        );
        let step = evaluate_at(
            &Candidate {
                args,
                source: &source,
                lever: &lever,
                target: &target,
                kpi: k,
                replications,
                seed,
                progress: &progress,
            },
            value,
            f64::from(date.to_julian_day()),
            &date.to_string(),
        )?;
        let met = step.met;
        trace.push(step);
        cache.insert(i, met);
        Ok(met)
    };
    let n = days.len();
    // Counted from the latest date back, "met" goes from false to true.
    let from_latest =
        caseload_experiment::smallest_meeting(0, n as i64 - 1, |j| evaluate(n - 1 - j as usize))?;
    let Some(j) = from_latest else {
        bail!(
            "{target} is not met {} even with {lever} = {} (the earliest date tried)",
            meaning_short(args.criterion, args.confidence),
            days[0]
        );
    };
    let answer = n - 1 - j as usize;
    if answer + 1 < n {
        evaluate(answer + 1)?;
    }
    progress.finish_and_clear();

    let out = OutputDir::create(&target_dir, args.output.force, Command::Optimise, lock)?;
    let file = |f: &str| out.file(f);
    let date_of = |v: f64| {
        time::Date::from_julian_day(v as i32).map_or_else(|_| format!("{v}"), |d| d.to_string())
    };
    let files =
        caseload_report::write_trace(&file, &lever.to_string(), &target.kpi, &trace, &date_of)?;
    let mut manifest =
        crate::output::plan_manifest(Command::Optimise, &source, plan, seed, replications);
    manifest.search = Some(SearchRecord {
        lever: lever.to_string(),
        target: target.to_string(),
        confidence: args.confidence,
        criterion: match args.criterion {
            Criterion::Replications => "replications",
            Criterion::Mean => "mean",
        }
        .to_string(),
        answer: f64::from(days[answer].to_julian_day()),
        answer_text: Some(days[answer].to_string()),
        evaluations: trace.len(),
    });
    manifest.files = files;
    caseload_report::write_manifest(&file, &manifest)?;
    out.report_if(args.output.report)?;
    let written = out.finish()?;
    let mut text = format!(
        "{}: latest {lever} meeting {target} {} ({replications} replications per date, common \
         random numbers): {}\n",
        plan.label(),
        meaning_short(args.criterion, args.confidence),
        days[answer]
    );
    for e in &trace {
        let _ = writeln!(
            text,
            "  {lever} = {}: {} = {}; meets the target in {:.0} % of replications: {}",
            date_of(e.value),
            target.kpi,
            with_interval(&e.estimate),
            e.share * 100.0,
            if e.met { "met" } else { "not met" }
        );
    }
    let _ = writeln!(
        text,
        "{} dates evaluated; search trace in {}",
        trace.len(),
        written.join("trace.csv").display()
    );
    Ok(text)
}
