//! `caseload frontier`: the least temporary staffing meeting a target by a date. For each
//! temporary action (or package of them varied together), start and duration, the fewest
//! officers at which the target holds in at least `--confidence` of the replications, and the
//! one with the least officer-months or cost.

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

/// One action or package varied: its label, and per action its name, headcount field and
/// day rate.
struct Package {
    label: String,
    parts: Vec<(String, &'static str, f64)>,
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
    let mut packages: Vec<Package> = Vec::new();
    for text in &args.action {
        let mut parts = Vec::new();
        for name in text.split('+').map(str::trim) {
            if plan.actions.iter().all(|a| a.name != name) {
                bail!(
                    "--action {text}: {} has no staffing action `{name}` (it has {})",
                    plan.label(),
                    plan.actions
                        .iter()
                        .map(|a| a.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            }
            let Some((field, rate)) = plan.temporary_staff(name) else {
                bail!(
                    "--action {text}: `{name}` is not a temporary action that brings officers \
                     (an attachment or agency investigators)"
                );
            };
            if parts.iter().any(|(n, _, _)| n == name) {
                bail!("--action {text}: `{name}` is named twice");
            }
            parts.push((name.to_string(), field, rate));
        }
        if (fewest as usize) < parts.len() {
            bail!(
                "--officers {}: a package of {} actions needs at least {} officers, one each",
                args.officers,
                parts.len(),
                parts.len()
            );
        }
        packages.push(Package {
            label: text.clone(),
            parts,
        });
    }
    let first_action = &packages[0].parts[0].0;
    let marker = plan
        .actions
        .iter()
        .find(|a| &a.name == first_action)
        .context("the action was found above")?;
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
    if let Some(outside) = starts.iter().find(|&&d| !plan.runs_on(d)) {
        bail!(
            "--start {outside}: the scenario runs from {} to {}; a start must fall within it",
            plan.start_date,
            plan.end_date()
        );
    }
    let path = |action: &str, field: &str| FieldPath::root().key("actions").key(action).key(field);
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
    let mut rows: Vec<caseload_report::FrontierRow> = Vec::new();
    for package in &packages {
        let rates: Vec<f64> = package.parts.iter().map(|p| p.2).collect();
        let fewest = fewest.max(package.parts.len() as i64);
        for &start in &starts {
            let ends: Vec<Date> = durations
                .iter()
                .map(|&m| caseload_experiment::add_months(start, m).context("a date out of range"))
                .collect::<anyhow::Result<_>>()?;
            let points =
                caseload_experiment::frontier(&durations, fewest, most, |officers, months| {
                    let end = ends[(months - first) as usize];
                    let split = caseload_experiment::split_officers(officers, package.parts.len());
                    let mut changes = Vec::new();
                    for ((name, field, _), &n) in package.parts.iter().zip(&split) {
                        changes.push((path(name, field), FieldValue::Integer(n)));
                        changes.push((path(name, "start"), datetime(start)?));
                        changes.push((path(name, "end"), datetime(end)?));
                    }
                    let plan = source
                        .plan_with_changes(variant, &changes)
                        .with_context(|| {
                            format!(
                                "{officers} officers of {} from {start} to {end}",
                                package.label
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
                    evaluations.push((
                        package.label.clone(),
                        start.to_string(),
                        officers,
                        months,
                        share,
                        met,
                    ));
                    anyhow::Ok(met)
                })?;
            for (point, end) in points.into_iter().zip(&ends) {
                let days = (*end - start).whole_days();
                let cost = point.officers.map(|o| {
                    let split = caseload_experiment::split_officers(o, package.parts.len());
                    caseload_experiment::package_cost(&split, &rates, days)
                });
                rows.push(caseload_report::FrontierRow {
                    action: package.label.clone(),
                    start: start.to_string(),
                    end: end.to_string(),
                    point,
                    cost,
                    least: false,
                });
            }
        }
    }
    progress.finish_and_clear();
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
    let out = OutputDir::create(&target_dir, args.output.force, Command::Frontier, lock)?;
    let file = |f: &str| out.file(f);
    let files = caseload_report::write_frontier(
        &file,
        &plan.label(),
        &target.to_string(),
        args.minimise.name(),
        &rows,
        &evaluations,
    )?;
    let mut manifest =
        crate::output::plan_manifest(Command::Frontier, &source, plan, seed, replications);
    manifest.files = files;
    caseload_report::write_manifest(&file, &manifest)?;
    out.report_if(args.output.report)?;
    let written = out.finish()?;

    let actions = packages
        .iter()
        .map(|p| p.label.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let mut text = format!(
        "{}: fewest officers of {actions} meeting {target} in at least {} of {replications} \
         replications (least {})\n\n  {:<24} {:>10} {:>6} {:>12} {:>9} {:>15} {:>12}\n",
        plan.label(),
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
