//! `caseload attribute`: what each staffing action of a package buys, as Shapley values and
//! leave-one-out effects on chosen KPIs, under common random numbers.

use anyhow::Context;
use caseload_experiment::{Command, EXACT_UP_TO};
use caseload_scenario::ScenarioSource;

use crate::args::{OutputArgs, ReplicationArgs, ScenarioArgs};
use crate::output::Job;

/// Arguments of `caseload attribute`.
#[derive(Debug, clap::Args)]
pub struct AttributeArgs {
    /// The scenario, and the variant whose actions form the package.
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    /// A KPI to attribute (repeat for more), e.g. backlog_end or days_to_allocate_p90@historic.
    #[arg(long = "kpi", value_name = "KPI", default_values_t = ["backlog_end".to_string(), "days_to_allocate_mean".to_string()])]
    pub kpis: Vec<String>,
    /// Random orders of the actions per replication when there are more than eight actions
    /// (or with --sample).
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = at_least_one_order)]
    pub orders: usize,
    /// Draw random orders even with eight actions or fewer (otherwise every subset is run).
    #[arg(long)]
    pub sample: bool,
    /// Replications and their seed.
    #[command(flatten)]
    pub replications: ReplicationArgs,
    /// Where the results go.
    #[command(flatten)]
    pub output: OutputArgs,
    /// Bounds on what a run may take.
    #[command(flatten)]
    pub limits: crate::limits::LimitArgs,
}

/// Runs the command; returns the text for stdout.
pub fn run(args: &AttributeArgs) -> anyhow::Result<String> {
    let source = ScenarioSource::read(&args.scenario.scenario)?;
    let scenario = source.scenario()?;
    let plan = scenario.plan(args.scenario.variant.as_deref())?;
    let actions: Vec<String> = plan.actions.iter().map(|a| a.name.clone()).collect();
    if actions.is_empty() {
        anyhow::bail!(
            "{} has no staffing actions to attribute; name a variant with some (--variant)",
            plan.label()
        );
    }
    let replications = args.replications.reps.unwrap_or(plan.replications);
    let seed = args.replications.seed_or(plan);
    let limits = args.limits.limits();
    let n = actions.len();
    let exact = n <= EXACT_UP_TO && !args.sample;
    let runs = if exact {
        (1u64 << n) * u64::from(replications)
    } else {
        u64::from(replications) * (args.orders.max(1) * n + n + 2) as u64
    };
    let job = Job::start(
        &args.output,
        &plan.scenario,
        plan.variant.as_deref(),
        Command::Attribute,
        runs,
    )?;
    let design_of = |mask: u64| {
        let keep: Vec<bool> = (0..n).map(|i| mask & (1 << i) != 0).collect();
        plan.with_actions(&keep)
            .map(|p| p.design(false, limits))
            .map_err(|e| e.to_string())
    };
    let attribution = caseload_experiment::attribute(
        &actions,
        &args.kpis,
        &design_of,
        seed,
        replications,
        args.orders,
        args.sample,
        &|| job.tick(),
    )
    .context("attributing the package's effect")?;
    let manifest =
        crate::output::plan_manifest(Command::Attribute, &source, plan, seed, replications);
    let written = job.write(manifest, source.text(), |file| {
        Ok(caseload_report::write_attribution(
            file,
            &plan.label(),
            &attribution,
        )?)
    })?;

    Ok(caseload_report::text::attribution(
        &plan.label(),
        replications,
        seed,
        &attribution,
        &written,
    ))
}

/// Parses `--orders`: a whole number of at least 1 (0 ran one order without a word).
fn at_least_one_order(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(0) => Err("expected at least 1 order".into()),
        Ok(n) => Ok(n),
        Err(e) => Err(format!("expected a whole number of orders: {e}")),
    }
}
