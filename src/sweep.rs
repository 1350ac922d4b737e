//! `caseload sweep` and `caseload merge`: a grid of parameter values, each point run with the
//! same replications (common random numbers), as one parallel job or as shards merged later.
//! The grid, the rows' store, resuming and merging live in caseload-experiment, the files
//! written in caseload-report; this module wires them to the command line.

use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::Context;
use caseload_experiment::{
    Block, Command, Design, Grid, KpiColumn, Leftover, Manifest, Rows, Shard, SweepRecord,
    SweepStore, default_folder, merge_shards, partial_folder,
};
use caseload_scenario::ScenarioSource;

use crate::args::{OutputArgs, ReplicationArgs, ScenarioArgs};
use crate::output::report_if;
use crate::terminal::progress_bar;
use caseload_experiment::results::folder::{OutputDir, check_target, lock_folder};

/// What a sweep runs: the scenario, the grid and the replications (shared by `sweep` and
/// `slurm`).
#[derive(Debug, Clone, clap::Args)]
pub struct GridArgs {
    /// The scenario and variant swept.
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    /// A numeric field and its values: `PATH=START:STOP:STEP` or `PATH=V1,V2,...`, e.g.
    /// `actions.homicide_transfer.officers=0:40:5`. Repeat for a grid (the first varies
    /// slowest).
    #[arg(long = "param", value_name = "PATH=VALUES", required = true)]
    pub params: Vec<String>,
    /// Replications per point and their seed.
    #[command(flatten)]
    pub replications: ReplicationArgs,
    /// KPI drawn on the chart (every KPI is in sweep.csv).
    #[arg(long, value_name = "KPI", default_value = "backlog_end")]
    pub kpi: String,
    /// A target on that KPI to mark on the chart, e.g. `backlog_end<=200`: a line across a
    /// curve, a contour around the cells meeting it on a heatmap.
    #[arg(long, value_name = "KPI<=VALUE")]
    pub target: Option<String>,
    /// Bounds on what a run may take.
    #[command(flatten)]
    pub limits: crate::limits::LimitArgs,
}

impl GridArgs {
    /// The command-line arguments that give this grid again, with the scenario's path as given.
    pub fn to_args(&self) -> Vec<String> {
        let mut args = self.scenario.to_args();
        for p in &self.params {
            args.extend(["--param".to_string(), p.clone()]);
        }
        args.extend(self.replications.to_args());
        args.extend(["--kpi".to_string(), self.kpi.clone()]);
        if let Some(target) = &self.target {
            args.extend(["--target".to_string(), target.clone()]);
        }
        args.extend(self.limits.to_args());
        args
    }
}

/// Arguments of `caseload sweep`.
#[derive(Debug, clap::Args)]
pub struct SweepArgs {
    /// The scenario, grid and replications.
    #[command(flatten)]
    pub grid: GridArgs,
    /// Run only slice K (0-based) of N equal slices of the (point, replication) pairs, for
    /// `caseload merge` to combine.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<Shard>,
    /// Where the results go [default folder: sweep, or sweep.shard-K-of-N].
    #[command(flatten)]
    pub output: OutputArgs,
    /// Continue an interrupted sweep from the points it wrote; do nothing if it finished.
    #[arg(long)]
    pub resume: bool,
}

/// Arguments of `caseload merge`.
#[derive(Debug, clap::Args)]
pub struct MergeArgs {
    /// The shards' output folders (every shard of one sweep).
    #[arg(required = true, value_name = "DIR")]
    pub shards: Vec<PathBuf>,
    /// Where the merged sweep goes [default: the sweep's default folder].
    #[command(flatten)]
    pub output: OutputArgs,
}

/// A sweep checked and ready to run: its manifest (what shards and merge exchange) and the
/// design of every point.
pub struct PreparedSweep {
    manifest: Manifest,
    designs: Vec<Design>,
}

impl PreparedSweep {
    fn record(&self) -> &SweepRecord {
        self.manifest
            .sweep
            .as_ref()
            .expect("a prepared sweep's manifest has its sweep record")
    }

    /// (point, replication) pairs in the whole sweep.
    pub fn pairs(&self) -> u64 {
        self.record().points as u64 * u64::from(self.manifest.replications)
    }

    /// Points in the grid.
    pub fn points(&self) -> usize {
        self.record().points
    }

    /// The manifest the sweep's folders will hold.
    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// Wall-clock time of one replication of the first point on this machine, to size shards.
    pub fn time_one_replication(&self) -> anyhow::Result<std::time::Duration> {
        let design = self.designs.first().context("the sweep has no points")?;
        let start = std::time::Instant::now();
        caseload_experiment::run_one(design, self.manifest.seed, 0)
            .context("running one replication to size the shards")?;
        Ok(start.elapsed())
    }
}

/// Reads the scenario, builds every point's design and checks the grid, without running.
pub fn prepare(
    args: &GridArgs,
    command: Command,
    shard: Option<Shard>,
) -> anyhow::Result<PreparedSweep> {
    let source = ScenarioSource::read(&args.scenario.scenario)?;
    let as_written = source.scenario()?;
    let variant = args.scenario.variant.as_deref();
    let plan = as_written.plan(variant)?;
    let grid = Grid::parse(&args.params)?;
    let replications = args.replications.reps.unwrap_or(plan.replications);
    if replications < 2 {
        anyhow::bail!("--reps must be at least 2 for confidence intervals");
    }
    let designs = source.grid_designs(variant, &grid, false, args.limits.limits())?;
    let defs = designs
        .first()
        .map(Design::kpis)
        .context("the sweep has no points")?;
    let mut manifest = Manifest::new(
        command,
        crate::args::command_line(),
        &args.scenario.scenario,
        source.text(),
    );
    manifest.scenario = plan.scenario.clone();
    manifest.variant = plan.variant.clone();
    manifest.seed = args.replications.seed_or(plan);
    manifest.replications = replications;
    manifest.warmup_days = plan.warmup_days;
    let chart_kpi = defs[caseload_experiment::find_kpi(&defs, &args.kpi)?].key();
    let target = match &args.target {
        None => None,
        Some(text) => {
            let mut target: caseload_experiment::Target =
                text.parse().map_err(|e| anyhow::anyhow!("--target {e}"))?;
            let key = defs[caseload_experiment::find_kpi(&defs, &target.kpi)?].key();
            if key != chart_kpi {
                anyhow::bail!(
                    "--target {text}: the target is on `{key}` but the chart shows `{chart_kpi}`; \
                     give --kpi {key}"
                );
            }
            target.kpi = key;
            Some(target.to_string())
        }
    };
    manifest.sweep = Some(SweepRecord {
        points: grid.points(),
        params: grid,
        kpis: defs.iter().map(KpiColumn::from).collect(),
        chart_kpi,
        target,
        shard,
        rows: Default::default(),
    });
    Ok(PreparedSweep { manifest, designs })
}

/// The default folder of a sweep, or of one of its shards.
fn sweep_folder(manifest: &Manifest, shard: Option<Shard>) -> PathBuf {
    let folder = default_folder(
        &manifest.scenario,
        manifest.variant.as_deref(),
        Command::Sweep,
    );
    match shard {
        Some(s) => folder.with_file_name(format!("sweep.shard-{}-of-{}", s.index, s.count)),
        None => folder,
    }
}

/// Runs `caseload sweep`; returns the text for stdout.
pub fn run(args: &SweepArgs) -> anyhow::Result<String> {
    let shard = args.shard;
    let prepared = prepare(&args.grid, Command::Sweep, shard)?;
    let PreparedSweep {
        mut manifest,
        designs,
    } = prepared;
    let record = manifest.sweep.clone().context("a sweep's manifest")?;
    let target = args
        .output
        .out
        .clone()
        .unwrap_or_else(|| sweep_folder(&manifest, shard));
    let force = args.output.force;
    if args.resume
        && target.is_dir()
        && !force
        && let Ok(done) = Manifest::read(&target)
        && done.same_sweep(&manifest)
        && done.sweep.as_ref().map(|s| s.shard) == Some(record.shard)
    {
        return Ok(format!(
            "nothing to do: {} already holds this sweep\n",
            target.display()
        ));
    }
    let lock = lock_folder(&target)?;
    let replace = check_target(&target, force, Command::Sweep)?;
    let staging = partial_folder(&target);
    let blocks = record.slice().blocks(record.points, manifest.replications);
    let leftover = match (args.resume, force) {
        (_, true) => Leftover::Discard,
        (true, false) => Leftover::Resume,
        (false, false) => Leftover::Refuse,
    };
    let mut store = SweepStore::open(&staging, &manifest, &blocks, leftover)?;
    let out = OutputDir::adopt(&target, staging.clone(), replace, lock);
    let done = caseload_experiment::complete(&blocks, store.done());
    let resumed = done.iter().filter(|&&d| d).count();
    let todo: Vec<Block> = blocks
        .iter()
        .zip(&done)
        .filter(|(_, d)| !**d)
        .map(|(b, _)| b.clone())
        .collect();
    let pairs: usize = todo.iter().map(|b| b.replications.len()).sum();
    let progress = progress_bar(pairs as u64);
    caseload_experiment::sweep(
        &designs,
        manifest.seed,
        &todo,
        &|| progress.inc(1),
        |block, values| store.append(block, &values),
    )
    .map_err(|e| match e {
        caseload_experiment::SweepError::Handler(e) => anyhow::Error::new(e),
        caseload_experiment::SweepError::Config { point, source } => {
            anyhow::Error::new(source).context(format!("sweep point {point}"))
        }
    })
    .with_context(|| {
        format!(
            "the sweep stopped; the points done are kept in {} (continue with --resume)",
            staging.display()
        )
    })?;
    progress.finish_and_clear();
    let rows = store.finish()?;
    write_final(&mut manifest, &rows, &out)?;
    report_if(&out, args.output.report)?;
    let written = out.finish()?;
    let mut text = String::new();
    if resumed > 0 {
        let _ = writeln!(
            text,
            "resumed: {resumed} of {} points were already written; ran the other {}",
            blocks.len(),
            todo.len()
        );
    }
    text += &caseload_report::text::sweep(&manifest, &rows, &written);
    Ok(text)
}

/// Writes the final files of a whole sweep (or of one shard) and its manifest.
fn write_final(manifest: &mut Manifest, rows: &Rows, out: &OutputDir) -> anyhow::Result<()> {
    let file = |f: &str| out.file(f);
    let record = manifest.sweep.as_mut().context("a sweep's manifest")?;
    record.rows = caseload_experiment::write_rows(record, &file("replications.csv"), rows)?;
    let mut files = vec!["replications.csv".to_string()];
    if record.shard.is_none() {
        files.extend(caseload_report::write_sweep_folder(&file, manifest, rows)?);
    }
    manifest.files = files;
    caseload_report::write_manifest(&file, manifest)?;
    Ok(())
}

/// Runs `caseload merge`; returns the text for stdout.
pub fn merge(args: &MergeArgs) -> anyhow::Result<String> {
    let (mut manifest, rows) = merge_shards(&args.shards)?;
    manifest.command_line = crate::args::command_line();
    let target = args
        .output
        .out
        .clone()
        .unwrap_or_else(|| sweep_folder(&manifest, None));
    let lock = lock_folder(&target)?;
    let out = OutputDir::create(&target, args.output.force, Command::Sweep, lock)?;
    write_final(&mut manifest, &rows, &out)?;
    report_if(&out, args.output.report)?;
    let written = out.finish()?;
    Ok(format!(
        "merged {} shards\n{}",
        args.shards.len(),
        caseload_report::text::sweep(&manifest, &rows, &written)
    ))
}
