//! `caseload optimise`: the smallest value of one staffing lever (officers, FTE, hours) at which
//! a KPI target is met with stated confidence. Every candidate runs the same replications
//! (common random numbers), so the comparison between neighbouring values is sharp, and the
//! search is a bisection over the lever's grid after growing an upper bracket if needed.

use std::collections::BTreeMap;

use anyhow::{Context, bail};
use caseload_experiment::{
    Bracket, Command, Criterion, Judge, Least, LeverGrid, SearchRecord, Target, least_meeting,
};
use caseload_report::TraceStep;
use caseload_scenario::{FieldPath, FieldValue, RunPlan, ScenarioSource, date_value};

use clap::builder::{PossibleValuesParser, TypedValueParser as _};

use crate::args::{OutputArgs, ReplicationArgs, ScenarioArgs};
use crate::output::Job;
use caseload_report::text::SearchHeading;

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
    #[arg(long, default_value = "replications", value_parser = PossibleValuesParser::new(Criterion::NAMES)
        .map(|s| Criterion::from_name(&s).unwrap_or(Criterion::Replications)))]
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

/// What every candidate of a search shares: the scenario, the lever, the judge, the
/// replications and the job (its progress bar counts them).
struct Search<'a> {
    args: &'a OptimiseArgs,
    source: ScenarioSource,
    plan: RunPlan,
    lever: FieldPath,
    judge: Judge,
    replications: u32,
    seed: u64,
    job: Job,
    trace: Vec<TraceStep>,
    /// Whether each grid index (or date) run met the target: no value runs twice.
    met: BTreeMap<i64, bool>,
}

impl<'a> Search<'a> {
    /// Reads the scenario and sets the search up: the lever, the judge, the replications and
    /// the results folder (checked before anything runs).
    fn start(args: &'a OptimiseArgs) -> anyhow::Result<Self> {
        let source = ScenarioSource::read(&args.scenario.scenario)?;
        let plan = source
            .scenario()?
            .plan(args.scenario.variant.as_deref())?
            .clone();
        let lever = FieldPath::parse(&args.lever).map_err(|e| anyhow::anyhow!("--lever: {e}"))?;
        let target: Target = args
            .target
            .parse()
            .map_err(|e| anyhow::anyhow!("--target {e}"))?;
        let defs = plan.design(false, args.limits.limits()).kpis();
        let judge = Judge::new(target, &defs, args.criterion, args.confidence)?;
        let replications = args.replications.reps.unwrap_or(plan.replications);
        if replications < 2 {
            bail!("--reps must be at least 2 for a confidence bound");
        }
        judge.check_replications(replications)?;
        let seed = args.replications.seed_or(&plan);
        let job = Job::start(
            &args.output,
            &plan.scenario,
            plan.variant.as_deref(),
            Command::Optimise,
            0,
        )?;
        Ok(Self {
            args,
            source,
            plan,
            lever,
            judge,
            replications,
            seed,
            job,
            trace: Vec::new(),
            met: BTreeMap::new(),
        })
    }

    /// Runs the scenario with the lever at `field` (`value` as a number, `shown` as typed),
    /// judges it and records the step under `key`; returns whether the target is met (what
    /// was recorded, if `key` ran before).
    fn evaluate(
        &mut self,
        key: i64,
        field: FieldValue,
        value: f64,
        shown: &str,
    ) -> anyhow::Result<bool> {
        if let Some(&met) = self.met.get(&key) {
            return Ok(met);
        }
        let lever = &self.lever;
        let plan = self
            .source
            .with_lever(self.args.scenario.variant.as_deref(), lever, field)
            .with_context(|| format!("setting --lever {lever} to {shown}"))?;
        let design = plan.design(false, self.args.limits.limits());
        self.job.progress.inc_length(u64::from(self.replications));
        let job = &self.job;
        let judgement = self
            .judge
            .run(&design, self.seed, self.replications, &|| job.tick())
            .with_context(|| format!("running with {lever} = {shown}"))?;
        self.trace.push(TraceStep { value, judgement });
        self.met.insert(key, judgement.met);
        Ok(judgement.met)
    }

    /// Writes the trace and the manifest (`answer` as a number and, for a date, as text;
    /// `None` when no value met the target).
    fn write(
        self,
        answer: Option<f64>,
        answer_text: Option<String>,
        value_text: &dyn Fn(f64) -> String,
    ) -> anyhow::Result<(std::path::PathBuf, Vec<TraceStep>)> {
        let mut manifest = crate::output::plan_manifest(
            Command::Optimise,
            &self.source,
            &self.plan,
            self.seed,
            self.replications,
        );
        manifest.search = Some(SearchRecord {
            lever: self.lever.to_string(),
            target: self.judge.target.to_string(),
            confidence: self.args.confidence,
            criterion: self.judge.criterion.name().to_string(),
            answer,
            answer_text,
            evaluations: self.trace.len(),
        });
        let (lever, kpi, trace) = (
            self.lever.to_string(),
            self.judge.target.kpi.clone(),
            self.trace,
        );
        let written = self.job.write(manifest, self.source.text(), |file| {
            Ok(caseload_report::write_trace(
                file, &lever, &kpi, &trace, value_text,
            )?)
        })?;
        Ok((written, trace))
    }
}

/// Runs the command; returns the text for stdout.
pub fn run(args: &OptimiseArgs) -> anyhow::Result<String> {
    if let Some(dates) = &args.dates {
        return latest_date(args, dates);
    }
    let grid = LeverGrid::new(args.min, args.step, args.max)?;
    let mut search = Search::start(args)?;
    let whole = grid.whole();
    let value_of = |i: i64| grid.value(i);
    let evaluate = |search: &mut Search, i: i64| {
        let value = value_of(i);
        let field = if whole {
            FieldValue::Integer(value as i64)
        } else {
            FieldValue::Float(value)
        };
        search.evaluate(i, field, value, &value.to_string())
    };
    let bracket = grid.bracket(search.source.number_at(&search.lever), MAX_DOUBLINGS);
    let (judge, lever) = (search.judge.clone(), search.lever.clone());
    let answer = match least_meeting(bracket, &mut |i| evaluate(&mut search, i))? {
        Least::Found(answer) => answer,
        Least::NotMet(hi) => {
            // The largest value run is the nearest the search came.
            let shortfall = search
                .trace
                .iter()
                .max_by(|a, b| a.value.total_cmp(&b.value))
                .map(|step| judge.shortfall(&step.judgement, search.replications))
                .unwrap_or_default();
            let trace = caseload_report::text::trace_text(&search.trace, judge.unit);
            let (written, _) = search.write(None, None, &|v| caseload_report::number(v))?;
            let at = written.join("trace.csv");
            match bracket {
                Bracket::UpTo(_) => bail!(
                    "{} is not met {judge} at --max {} ({shortfall}); raise --max (trace: {trace}; \
                     every value run in {})",
                    judge.target,
                    value_of(hi),
                    at.display()
                ),
                Bracket::GrowFrom { .. } => bail!(
                    "{} is not met {judge} even with {lever} = {} ({shortfall}); is the lever the \
                     right field, or the target reachable? (trace: {trace}; every value run in {})",
                    judge.target,
                    value_of(hi),
                    at.display()
                ),
            }
        }
    };
    if answer > 0 {
        evaluate(&mut search, answer - 1)?;
    }
    let (label, replications) = (search.plan.label(), search.replications);
    let (written, trace) = search.write(Some(value_of(answer)), None, &|v| {
        caseload_report::number(v)
    })?;

    let below = (answer > 0).then(|| value_of(answer - 1));
    Ok(caseload_report::text::smallest_lever(
        &SearchHeading {
            label: &label,
            lever: &lever.to_string(),
            judge: &judge,
            replications,
        },
        value_of(answer),
        below,
        &trace,
        &written,
    ))
}

/// `optimise --dates`: the latest date of a date lever at which the target is met, by
/// bisection over the dates (met for early dates, not for late ones).
fn latest_date(args: &OptimiseArgs, dates: &str) -> anyhow::Result<String> {
    let days = caseload_experiment::Axis::dates("dates", dates).map_err(anyhow::Error::msg)?;
    let mut search = Search::start(args)?;
    let evaluate = |search: &mut Search, i: usize| {
        let date = days[i];
        let value = f64::from(date.to_julian_day());
        search.evaluate(i as i64, date_value(date), value, &date.to_string())
    };
    let n = days.len();
    // Counted from the latest date back, "met" goes from false to true.
    let from_latest = caseload_experiment::smallest_meeting(0, n as i64 - 1, |j| {
        evaluate(&mut search, n - 1 - j as usize)
    })?;
    let (judge, lever) = (search.judge.clone(), search.lever.clone());
    let Some(j) = from_latest else {
        // The earliest date run is the nearest the search came.
        let shortfall = search
            .trace
            .iter()
            .min_by(|a, b| a.value.total_cmp(&b.value))
            .map(|step| judge.shortfall(&step.judgement, search.replications))
            .unwrap_or_default();
        let date_of = |v: f64| {
            time::Date::from_julian_day(v as i32).map_or_else(|_| format!("{v}"), |d| d.to_string())
        };
        let (written, _) = search.write(None, None, &date_of)?;
        bail!(
            "{} is not met {judge} even with {lever} = {} (the earliest date tried: {shortfall}; \
             every date run in {})",
            judge.target,
            days[0],
            written.join("trace.csv").display()
        );
    };
    let answer = n - 1 - j as usize;
    if answer + 1 < n {
        evaluate(&mut search, answer + 1)?;
    }
    let (label, replications) = (search.plan.label(), search.replications);
    let date_of = |v: f64| {
        time::Date::from_julian_day(v as i32).map_or_else(|_| format!("{v}"), |d| d.to_string())
    };
    let (written, trace) = search.write(
        Some(f64::from(days[answer].to_julian_day())),
        Some(days[answer].to_string()),
        &date_of,
    )?;
    Ok(caseload_report::text::latest_date(
        &SearchHeading {
            label: &label,
            lever: &lever.to_string(),
            judge: &judge,
            replications,
        },
        &days[answer].to_string(),
        &trace,
        &date_of,
        &written,
    ))
}
