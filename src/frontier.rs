//! `caseload frontier`: the least temporary staffing meeting a target by a date. For each
//! temporary action (or package of them varied together), start and duration, the fewest
//! officers at which the target holds in at least `--confidence` of the replications, and the
//! one with the least officer-months or cost.

use anyhow::{Context, bail};
use caseload_experiment::{Command, Criterion, Judge, Minimise, Target};
use caseload_report::{Evaluation, FrontierRow};
use caseload_scenario::{Package, RunPlan, ScenarioSource};
use time::Date;

use clap::builder::{PossibleValuesParser, TypedValueParser as _};

use crate::args::{OutputArgs, ReplicationArgs, ScenarioArgs};
use crate::output::Job;
use caseload_report::text::FrontierHeading;

/// Arguments of `caseload frontier`.
#[derive(Debug, clap::Args)]
pub struct FrontierArgs {
    /// The scenario and variant.
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    /// The temporary action varied (an attachment or agency investigators), e.g.
    /// sco_attachment; repeat it for a frontier of each, or join names with `+` for a package
    /// varied together (its officers shared among them as evenly as possible).
    #[arg(long, value_name = "NAME[+NAME]", required = true)]
    pub action: Vec<String>,
    /// What the least is: officer-months, or cost (officers x days x each action's day rate).
    #[arg(long, default_value = "officer-months", value_parser = PossibleValuesParser::new(Minimise::NAMES)
        .map(|s| Minimise::from_name(&s).unwrap_or(Minimise::OfficerMonths)))]
    pub minimise: Minimise,
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

/// What a frontier asks, read from the arguments and checked against the scenario.
struct Question {
    packages: Vec<Package>,
    starts: Vec<Date>,
    fewest: i64,
    most: i64,
    durations: Vec<i64>,
    judge: Judge,
}

impl Question {
    fn read(args: &FrontierArgs, plan: &RunPlan) -> anyhow::Result<Self> {
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
        let target: Target = args
            .target
            .parse()
            .map_err(|e| anyhow::anyhow!("--target {e}"))?;
        let defs = plan.design(false, args.limits.limits()).kpis();
        let judge = Judge::new(target, &defs, Criterion::Replications, args.confidence)?;
        let mut packages: Vec<Package> = Vec::new();
        for text in &args.action {
            let package = plan
                .package(text)
                .map_err(|e| anyhow::anyhow!("--action {text}: {e}"))?;
            if (fewest as usize) < package.parts.len() {
                bail!(
                    "--officers {}: a package of {} actions needs at least {} officers, one each",
                    args.officers,
                    package.parts.len(),
                    package.parts.len()
                );
            }
            packages.push(package);
        }
        let starts: Vec<Date> = match &args.start {
            Some(text) => {
                caseload_experiment::Axis::dates("start", text).map_err(anyhow::Error::msg)?
            }
            None => vec![
                plan.start_of(&packages[0].parts[0].action)
                    .context("the action was found above")?,
            ],
        };
        if let Some(outside) = starts.iter().find(|&&d| !plan.runs_on(d)) {
            bail!(
                "--start {outside}: the scenario runs from {} to {}; a start must fall within it",
                plan.start_date,
                plan.end_date()
            );
        }
        Ok(Self {
            packages,
            starts,
            fewest,
            most,
            durations: (first..=last).collect(),
            judge,
        })
    }
}

/// What the search found: per package, start and duration the fewest officers, and every
/// evaluation made.
struct Found {
    rows: Vec<FrontierRow>,
    evaluations: Vec<Evaluation>,
}

/// Searches each package and start for the fewest officers at each duration, every
/// candidate judged on the same replications.
fn search(
    args: &FrontierArgs,
    source: &ScenarioSource,
    q: &Question,
    job: &Job,
    (seed, replications): (u64, u32),
) -> anyhow::Result<Found> {
    let variant = args.scenario.variant.as_deref();
    let first = q.durations[0];
    let mut found = Found {
        rows: Vec::new(),
        evaluations: Vec::new(),
    };
    for package in &q.packages {
        let fewest = q.fewest.max(package.parts.len() as i64);
        for &start in &q.starts {
            let ends: Vec<Date> = q
                .durations
                .iter()
                .map(|&m| caseload_experiment::add_months(start, m).context("a date out of range"))
                .collect::<anyhow::Result<_>>()?;
            let points =
                caseload_experiment::frontier(&q.durations, fewest, q.most, |officers, months| {
                    let end = ends[(months - first) as usize];
                    let plan = source
                        .with_package(variant, package, officers, start, end)
                        .with_context(|| {
                            format!(
                                "{officers} officers of {} from {start} to {end}",
                                package.label
                            )
                        })?;
                    let design = plan.design(false, args.limits.limits());
                    job.progress.inc_length(u64::from(replications));
                    let judgement = q
                        .judge
                        .run(&design, seed, replications, &|| job.tick())
                        .with_context(|| {
                            format!("running {officers} officers for {months} months")
                        })?;
                    found.evaluations.push((
                        package.label.clone(),
                        start.to_string(),
                        officers,
                        months,
                        judgement.share,
                        judgement.met,
                    ));
                    anyhow::Ok(judgement.met)
                })?;
            for (point, end) in points.into_iter().zip(&ends) {
                let days = (*end - start).whole_days();
                found.rows.push(FrontierRow {
                    action: package.label.clone(),
                    start: start.to_string(),
                    end: end.to_string(),
                    point,
                    cost: point.officers.map(|o| package.cost(o, days)),
                    least: false,
                });
            }
        }
    }
    Ok(found)
}

/// Runs the command; returns the text for stdout.
pub fn run(args: &FrontierArgs) -> anyhow::Result<String> {
    let source = ScenarioSource::read(&args.scenario.scenario)?;
    let scenario = source.scenario()?;
    let plan = scenario.plan(args.scenario.variant.as_deref())?;
    let q = Question::read(args, plan)?;
    let replications = args.replications.reps.unwrap_or(plan.replications);
    let seed = args.replications.seed_or(plan);
    let job = Job::start(
        &args.output,
        &plan.scenario,
        plan.variant.as_deref(),
        Command::Frontier,
        0,
    )?;
    let Found {
        mut rows,
        evaluations,
    } = search(args, &source, &q, &job, (seed, replications))?;
    let least =
        caseload_experiment::least_of(rows.iter().map(|r| args.minimise.score(&r.point, r.cost)));
    if let Some(i) = least {
        rows[i].least = true;
    }
    let manifest =
        crate::output::plan_manifest(Command::Frontier, &source, plan, seed, replications);
    let target = q.judge.target.to_string();
    let written = job.write(manifest, source.text(), |file| {
        Ok(caseload_report::write_frontier(
            file,
            &plan.label(),
            &target,
            args.minimise.name(),
            &rows,
            &evaluations,
        )?)
    })?;
    let actions: Vec<&str> = q.packages.iter().map(|p| p.label.as_str()).collect();
    Ok(caseload_report::text::frontier(
        &FrontierHeading {
            label: &plan.label(),
            actions: &actions.join(", "),
            target: &target,
            confidence: args.confidence,
            minimised: args.minimise.name(),
            most: q.most,
            replications,
        },
        &rows,
        evaluations.len(),
        &written,
    ))
}
