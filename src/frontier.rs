//! `caseload frontier`: the least temporary staffing meeting a target by a date. For each
//! temporary action (or package of them varied together), start and duration, the fewest
//! officers at which the target holds in at least `--confidence` of the replications, and the
//! one with the least officer-months or cost.

use std::fmt::Write as _;

use anyhow::{Context, bail};
use caseload_experiment::{Command, Criterion, Judge, Target};
use caseload_scenario::{Package, ScenarioSource};
use time::Date;

use crate::args::{OutputArgs, ReplicationArgs, ScenarioArgs};
use crate::output::Job;

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
    #[arg(long, value_enum, default_value_t = Minimise::OfficerMonths)]
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

/// What the least answer minimises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Minimise {
    /// Officers times months.
    OfficerMonths,
    /// Officers times days times their day rate, pounds.
    Cost,
}

impl Minimise {
    fn name(self) -> &'static str {
        match self {
            Minimise::OfficerMonths => "officer-months",
            Minimise::Cost => "cost",
        }
    }
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
        None => {
            let first = &packages[0].parts[0].action;
            let marker = plan
                .actions
                .iter()
                .find(|a| &a.name == first)
                .context("the action was found above")?;
            vec![plan.date_of_day(marker.start_day.max(0.0) as u32)]
        }
    };
    if let Some(outside) = starts.iter().find(|&&d| !plan.runs_on(d)) {
        bail!(
            "--start {outside}: the scenario runs from {} to {}; a start must fall within it",
            plan.start_date,
            plan.end_date()
        );
    }
    let replications = args.replications.reps.unwrap_or(plan.replications);
    let seed = args.replications.seed_or(plan);
    let job = Job::start(
        &args.output,
        &plan.scenario,
        plan.variant.as_deref(),
        Command::Frontier,
        0,
    )?;
    let durations: Vec<i64> = (first..=last).collect();
    let mut evaluations: Vec<caseload_report::Evaluation> = Vec::new();
    let mut rows: Vec<caseload_report::FrontierRow> = Vec::new();
    for package in &packages {
        let fewest = fewest.max(package.parts.len() as i64);
        for &start in &starts {
            let ends: Vec<Date> = durations
                .iter()
                .map(|&m| caseload_experiment::add_months(start, m).context("a date out of range"))
                .collect::<anyhow::Result<_>>()?;
            let points =
                caseload_experiment::frontier(&durations, fewest, most, |officers, months| {
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
                    let judgement = judge
                        .run(&design, seed, replications, &|| job.tick())
                        .with_context(|| {
                            format!("running {officers} officers for {months} months")
                        })?;
                    evaluations.push((
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
                rows.push(caseload_report::FrontierRow {
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
    // The least over every action and start (ties: the earlier in the list, the shorter).
    let score = |r: &caseload_report::FrontierRow| match args.minimise {
        Minimise::OfficerMonths => r.point.officer_months().map(|m| m as f64),
        Minimise::Cost => r.cost,
    };
    let best = (0..rows.len())
        .filter_map(|i| score(&rows[i]).map(|s| (s, i)))
        .min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)))
        .map(|(_, i)| i);
    if let Some(i) = best {
        rows[i].least = true;
    }
    let manifest =
        crate::output::plan_manifest(Command::Frontier, &source, plan, seed, replications);
    let written = job.write(manifest, |file| {
        Ok(caseload_report::write_frontier(
            file,
            &plan.label(),
            &judge.target.to_string(),
            args.minimise.name(),
            &rows,
            &evaluations,
        )?)
    })?;

    let actions = packages
        .iter()
        .map(|p| p.label.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let mut text = format!(
        "{}: fewest officers of {actions} meeting {} in at least {} of {replications} \
         replications (least {})\n\n  {:<24} {:>10} {:>6} {:>12} {:>9} {:>15} {:>12}\n",
        plan.label(),
        judge.target,
        args.confidence,
        args.minimise.name(),
        "action",
        "from",
        "months",
        "to",
        "officers",
        "officer-months",
        "cost"
    );
    for r in &rows {
        let p = r.point;
        let _ = writeln!(
            text,
            "  {:<24} {:>10} {:>6} {:>12} {:>9} {:>15} {:>12}{}",
            r.action,
            r.start,
            p.months,
            r.end,
            p.officers
                .map_or_else(|| format!("> {most}"), |o| o.to_string()),
            p.officer_months()
                .map_or_else(|| "-".into(), |o| o.to_string()),
            r.cost.map_or_else(
                || "-".into(),
                |c| format!("£{}", caseload_report::grouped(c, 0))
            ),
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
