//! `caseload sweep` and `caseload merge`: a grid of parameter values, each point run with the
//! same replications (common random numbers), as one parallel job or as shards merged later.
//!
//! A sweep writes into a hidden `.NAME.partial` folder beside its output folder: first
//! `manifest.json` (what is being swept), then `replications.csv`, to which each point's
//! replications are appended as soon as they are all done. An interrupted sweep leaves that
//! folder; `--resume` reads back the points already written and runs only the rest. At the end
//! the rows are sorted, `sweep.csv` and the chart are written from them, and the folder is
//! renamed into place. `merge` writes the same files from the shards' rows, so a sharded sweep
//! and an unsharded one give the same bytes.

use std::collections::BTreeMap;
use std::fmt;
use std::fmt::Write as _;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use caseload_experiment::{Block, Design, Shard};
use caseload_report::{Heatmap, KpiColumn, SweepChart};
use caseload_scenario::{FieldPath, FieldValue, ScenarioSource};
use serde::{Deserialize, Serialize};

use crate::names::find_kpi;
use crate::output::{
    OutputDir, check_target, lock_folder, partial_folder, sha256_hex, write_table,
};
use crate::terminal::{progress_bar, with_interval};
use sha2::{Digest, Sha256};

/// Most values one `--param` may take.
const MAX_VALUES: usize = 10_000;

/// Most points a grid may have.
const MAX_POINTS: usize = 1_000_000;

/// What a sweep runs: the scenario, the grid and the replications (shared by `sweep` and
/// `slurm`).
#[derive(Debug, Clone, clap::Args)]
pub struct GridArgs {
    /// Scenario file (TOML).
    pub scenario: PathBuf,
    /// A numeric field and its values: `PATH=START:STOP:STEP` or `PATH=V1,V2,...`, e.g.
    /// `actions.homicide_transfer.officers=0:40:5`. Repeat for a grid (the first varies
    /// slowest).
    #[arg(long = "param", value_name = "PATH=VALUES", required = true)]
    pub params: Vec<String>,
    /// Replications per point [default: the scenario's `replications`].
    #[arg(long, value_name = "N")]
    pub reps: Option<u32>,
    /// Seed of the random streams, shared by every point [default: the scenario's `seed`].
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// Sweep this variant of the scenario instead of the scenario as written.
    #[arg(long, value_name = "NAME")]
    pub variant: Option<String>,
    /// KPI drawn on the chart (every KPI is in sweep.csv).
    #[arg(long, value_name = "KPI", default_value = "backlog_end")]
    pub kpi: String,
    /// Bounds on what a run may take.
    #[command(flatten)]
    pub limits: crate::limits::LimitArgs,
}

impl GridArgs {
    /// The command-line arguments that give this grid again, with the scenario's path as given.
    pub fn to_args(&self) -> Vec<String> {
        let mut args = vec![self.scenario.display().to_string()];
        for p in &self.params {
            args.extend(["--param".to_string(), p.clone()]);
        }
        if let Some(r) = self.reps {
            args.extend(["--reps".to_string(), r.to_string()]);
        }
        if let Some(s) = self.seed {
            args.extend(["--seed".to_string(), s.to_string()]);
        }
        if let Some(v) = &self.variant {
            args.extend(["--variant".to_string(), v.clone()]);
        }
        args.extend(["--kpi".to_string(), self.kpi.clone()]);
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
    pub shard: Option<String>,
    /// Output folder [default: results/<scenario>.sweep, or .sweep.shard-K-of-N].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Replace the output folder, or discard an interrupted sweep, if either exists.
    #[arg(long)]
    pub force: bool,
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
    /// Output folder [default: results/<scenario>.sweep].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Replace the output folder if it exists.
    #[arg(long)]
    pub force: bool,
}

/// A parameter value: whole numbers stay whole, so integer fields accept them.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
enum ParamValue {
    Whole(i64),
    Real(f64),
}

impl fmt::Display for ParamValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParamValue::Whole(i) => write!(f, "{i}"),
            ParamValue::Real(x) => write!(f, "{x}"),
        }
    }
}

impl ParamValue {
    fn as_f64(self) -> f64 {
        match self {
            ParamValue::Whole(i) => i as f64,
            ParamValue::Real(x) => x,
        }
    }

    fn to_field(self) -> FieldValue {
        match self {
            ParamValue::Whole(i) => FieldValue::Integer(i),
            ParamValue::Real(x) => FieldValue::Float(x),
        }
    }

    fn parse(token: &str, spec: &str) -> anyhow::Result<Self> {
        let token = token.trim();
        if let Ok(i) = token.parse::<i64>() {
            return Ok(ParamValue::Whole(i));
        }
        match token.parse::<f64>() {
            Ok(x) if x.is_finite() => Ok(ParamValue::Real(x)),
            _ => bail!("--param {spec}: `{token}` is not a number"),
        }
    }
}

/// One swept field and its values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Param {
    path: String,
    values: Vec<ParamValue>,
}

/// Digits after the decimal point in a number as written (none with an exponent).
fn decimals(token: &str) -> Option<i32> {
    if token.contains(['e', 'E']) {
        return None;
    }
    Some(token.split_once('.').map_or(0, |(_, d)| d.len() as i32))
}

/// Parses `PATH=START:STOP:STEP` or `PATH=V1,V2,...`.
fn parse_param(spec: &str) -> anyhow::Result<(FieldPath, Param)> {
    let expected = "expected PATH=START:STOP:STEP or PATH=V1,V2,..., like \
                    teams.north.strength=100:130:10";
    let Some((path, values)) = spec.rsplit_once('=') else {
        bail!("--param {spec}: no `=`; {expected}");
    };
    let field =
        FieldPath::parse(path.trim()).map_err(|e| anyhow::anyhow!("--param {spec}: {e}"))?;
    let values = if values.contains(':') {
        let parts: Vec<&str> = values.split(':').map(str::trim).collect();
        let [start, stop, step] = parts[..] else {
            bail!("--param {spec}: a range has three parts; {expected}");
        };
        let (a, b, s) = (
            ParamValue::parse(start, spec)?,
            ParamValue::parse(stop, spec)?,
            ParamValue::parse(step, spec)?,
        );
        if s.as_f64() == 0.0 {
            bail!("--param {spec}: the step is 0");
        }
        let count = ((b.as_f64() - a.as_f64()) / s.as_f64() + 1e-9).floor() + 1.0;
        if count < 1.0 {
            bail!("--param {spec}: no value from {a} to {b} in steps of {s}");
        }
        if count > MAX_VALUES as f64 {
            bail!("--param {spec}: {count} values; at most {MAX_VALUES}");
        }
        let count = count as i64;
        match (a, s) {
            (ParamValue::Whole(a), ParamValue::Whole(s)) if matches!(b, ParamValue::Whole(_)) => {
                (0..count).map(|i| ParamValue::Whole(a + i * s)).collect()
            }
            _ => {
                let places = [start, stop, step]
                    .iter()
                    .map(|t| decimals(t))
                    .try_fold(0, |most, d| d.map(|d| most.max(d)));
                (0..count)
                    .map(|i| {
                        let x = a.as_f64() + i as f64 * s.as_f64();
                        ParamValue::Real(match places {
                            // Undo the binary drift of repeated steps: 0.1 * 3 is 0.3.
                            Some(p) => (x * 10f64.powi(p)).round() / 10f64.powi(p),
                            None => x,
                        })
                    })
                    .collect()
            }
        }
    } else {
        values
            .split(',')
            .map(|t| ParamValue::parse(t, spec))
            .collect::<anyhow::Result<Vec<_>>>()?
    };
    if values.len() > MAX_VALUES {
        bail!(
            "--param {spec}: {} values; at most {MAX_VALUES}",
            values.len()
        );
    }
    Ok((
        field.clone(),
        Param {
            path: field.to_string(),
            values,
        },
    ))
}

/// A KPI's name (with `@team` for one team), unit and domain as the manifest records them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct KpiEntry {
    name: String,
    unit: String,
    domain: String,
}

/// Which slice of a sweep a folder holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ShardEntry {
    index: u32,
    count: u32,
}

/// `manifest.json` of a sweep or shard folder: everything needed to write the final files
/// without the scenario file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    caseload_version: String,
    scenario: String,
    variant: Option<String>,
    scenario_sha256: String,
    seed: u64,
    replications: u32,
    warmup_days: f64,
    params: Vec<Param>,
    points: usize,
    kpis: Vec<KpiEntry>,
    chart_kpi: String,
    shard: Option<ShardEntry>,
    files: Vec<String>,
    /// The checksum of `replications.csv`: of the whole file in a finished folder; in the
    /// folder of a sweep under way, of its first `rows_bytes` bytes (the rows written so far).
    rows: RowsChecksum,
}

/// The SHA-256 of the first `bytes` bytes of a `replications.csv`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RowsChecksum {
    bytes: u64,
    sha256: String,
}

impl RowsChecksum {
    fn of(bytes: &[u8]) -> Self {
        Self {
            bytes: bytes.len() as u64,
            sha256: sha256_hex(bytes),
        }
    }

    /// Checks that `file` begins with the bytes this checksum was taken of (and, if `whole`,
    /// holds nothing more).
    fn verify(&self, file: &Path, whole: bool) -> anyhow::Result<()> {
        let bytes = fs::read(file).with_context(|| format!("reading {}", file.display()))?;
        let recorded = usize::try_from(self.bytes).unwrap_or(usize::MAX);
        if bytes.len() < recorded
            || (whole && bytes.len() != recorded)
            || sha256_hex(&bytes[..recorded]) != self.sha256
        {
            bail!(
                "{}: the rows do not match the checksum in its manifest.json (the file was \
                 changed or cut after it was written); run that sweep or shard again",
                file.display()
            );
        }
        Ok(())
    }
}

/// Bytes in hexadecimal.
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl Manifest {
    fn read(folder: &Path) -> anyhow::Result<Self> {
        let path = folder.join("manifest.json");
        let text =
            fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        serde_json::from_str(&text)
            .with_context(|| format!("{} is not the manifest of a caseload sweep", path.display()))
    }

    /// Writes the manifest to a temporary file renamed over `path`, so `path` always holds
    /// a whole manifest.
    fn write(&self, path: &Path) -> anyhow::Result<()> {
        let temporary = path.with_extension("json.tmp");
        let mut text = serde_json::to_string_pretty(self).context("serialising the manifest")?;
        text.push('\n');
        fs::write(&temporary, text).with_context(|| format!("writing {}", temporary.display()))?;
        fs::rename(&temporary, path)
            .with_context(|| format!("moving {} to {}", temporary.display(), path.display()))
    }

    /// The same sweep, whatever the slice and files.
    /// The same sweep, whatever the slice, files, rows written and the KPI drawn.
    fn same_sweep(&self, other: &Manifest) -> bool {
        let strip = |m: &Manifest| Manifest {
            shard: None,
            files: Vec::new(),
            chart_kpi: String::new(),
            rows: RowsChecksum::default(),
            ..m.clone()
        };
        strip(self) == strip(other)
    }

    fn shard(&self) -> Shard {
        self.shard.map_or(Shard::WHOLE, |s| Shard {
            index: s.index,
            count: s.count,
        })
    }

    fn label(&self) -> String {
        match &self.variant {
            Some(v) => format!("{}.{v}", self.scenario),
            None => self.scenario.clone(),
        }
    }

    /// The values of point `p`: the first parameter varies slowest.
    fn point(&self, p: usize) -> Vec<ParamValue> {
        let mut rest = p;
        let mut values = vec![ParamValue::Whole(0); self.params.len()];
        for (i, param) in self.params.iter().enumerate().rev() {
            let n = param.values.len();
            values[i] = param.values[rest % n];
            rest /= n;
        }
        values
    }

    fn header(&self) -> Vec<String> {
        let mut header = vec!["point".to_string()];
        header.extend(self.params.iter().map(|p| p.path.clone()));
        header.push("replication".into());
        header.extend(self.kpis.iter().map(|k| k.name.clone()));
        header
    }
}

/// KPI values of (point, replication) pairs.
type Rows = BTreeMap<(usize, u32), Vec<f64>>;

/// One line of `replications.csv`. Values are written in Rust's shortest round-trip form, so
/// reading them back gives the same numbers to the bit.
fn row_line(manifest: &Manifest, point: usize, replication: u32, kpis: &[f64]) -> String {
    let mut line = point.to_string();
    for value in manifest.point(point) {
        let _ = write!(line, ",{value}");
    }
    let _ = write!(line, ",{replication}");
    for x in kpis {
        if x.is_nan() {
            line.push(',');
        } else {
            let _ = write!(line, ",{x}");
        }
    }
    line.push('\n');
    line
}

/// Reads `replications.csv`. With `lenient`, an unfinished last line (an interrupted write) is
/// ignored; otherwise it is an error.
fn read_rows(manifest: &Manifest, path: &Path, lenient: bool) -> anyhow::Result<Rows> {
    let text = fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let header = manifest.header().join(",");
    let mut lines = text.split_inclusive('\n');
    match lines.next() {
        Some(first) if first.trim_end() == header => {}
        _ => bail!(
            "{}: the first line is not the header this sweep writes",
            path.display()
        ),
    }
    let columns = manifest.params.len() + 2 + manifest.kpis.len();
    let mut rows = Rows::new();
    for (i, line) in lines.enumerate() {
        let at = || format!("{}, line {}", path.display(), i + 2);
        if !line.ends_with('\n') {
            if lenient {
                break;
            }
            bail!("{}: the line is unfinished", at());
        }
        let fields: Vec<&str> = line.trim_end().split(',').collect();
        if fields.len() != columns {
            bail!("{}: {} fields, expected {columns}", at(), fields.len());
        }
        let point: usize = fields[0]
            .parse()
            .with_context(|| format!("{}: the point is not a whole number", at()))?;
        let replication: u32 = fields[manifest.params.len() + 1]
            .parse()
            .with_context(|| format!("{}: the replication is not a whole number", at()))?;
        if point >= manifest.points || replication >= manifest.replications {
            bail!(
                "{}: point {point}, replication {replication} is outside the sweep",
                at()
            );
        }
        let kpis = fields[manifest.params.len() + 2..]
            .iter()
            .map(|f| {
                if f.is_empty() {
                    Ok(f64::NAN)
                } else {
                    f.parse::<f64>()
                }
            })
            .collect::<Result<Vec<_>, _>>()
            .with_context(|| format!("{}: a KPI value is not a number", at()))?;
        if rows.insert((point, replication), kpis).is_some() {
            bail!(
                "{}: point {point}, replication {replication} appears twice",
                at()
            );
        }
    }
    Ok(rows)
}

/// Writes `rows` as a whole `replications.csv`, sorted: into a temporary file renamed over
/// `path`, so an interruption leaves the old file or the new one, never a cut one.
fn write_rows(manifest: &Manifest, path: &Path, rows: &Rows) -> anyhow::Result<Vec<u8>> {
    let mut text = manifest.header().join(",");
    text.push('\n');
    for (&(point, replication), kpis) in rows {
        text += &row_line(manifest, point, replication, kpis);
    }
    let temporary = path.with_extension("csv.tmp");
    fs::write(&temporary, &text).with_context(|| format!("writing {}", temporary.display()))?;
    fs::rename(&temporary, path)
        .with_context(|| format!("moving {} to {}", temporary.display(), path.display()))?;
    Ok(text.into_bytes())
}

/// The blocks of `blocks` whose every replication is in `rows`.
fn complete(blocks: &[Block], rows: &Rows) -> Vec<bool> {
    blocks
        .iter()
        .map(|b| {
            b.replications
                .clone()
                .all(|r| rows.contains_key(&(b.point, r)))
        })
        .collect()
}

/// Checks `rows` are exactly the pairs of `manifest`'s slice.
fn check_rows_cover(manifest: &Manifest, rows: &Rows, source: &str) -> anyhow::Result<()> {
    let blocks = manifest
        .shard()
        .blocks(manifest.points, manifest.replications);
    let expected: usize = blocks.iter().map(|b| b.replications.len()).sum();
    let inside = |&(p, r): &(usize, u32)| {
        blocks
            .iter()
            .any(|b| b.point == p && b.replications.contains(&r))
    };
    if let Some(&(p, r)) = rows.keys().find(|k| !inside(k)) {
        bail!("{source}: point {p}, replication {r} does not belong to this slice of the sweep");
    }
    if rows.len() != expected {
        bail!(
            "{source}: {} of the {expected} (point, replication) pairs are there; the sweep did \
             not finish (run it again with --resume)",
            rows.len()
        );
    }
    Ok(())
}

/// Parses `K/N`.
fn parse_shard(text: &str) -> anyhow::Result<Shard> {
    let parsed = text.split_once('/').and_then(|(k, n)| {
        Some(Shard {
            index: k.trim().parse().ok()?,
            count: n.trim().parse().ok()?,
        })
    });
    match parsed {
        Some(s) if s.count >= 1 && s.index < s.count => Ok(s),
        _ => bail!(
            "--shard {text}: expected K/N with N >= 1 and 0 <= K < N (K counts from 0, like \
             $SLURM_ARRAY_TASK_ID)"
        ),
    }
}

/// A sweep checked and ready to run: its manifest (what shards and merge exchange) and the
/// design of every point.
pub struct PreparedSweep {
    manifest: Manifest,
    designs: Vec<Design>,
}

impl PreparedSweep {
    /// (point, replication) pairs in the whole sweep.
    pub fn pairs(&self) -> u64 {
        self.manifest.points as u64 * u64::from(self.manifest.replications)
    }

    /// Points in the grid.
    pub fn points(&self) -> usize {
        self.manifest.points
    }

    /// `scenario[.variant]`, for folder names.
    pub fn label(&self) -> String {
        self.manifest.label()
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
pub fn prepare(args: &GridArgs, shard: Option<Shard>) -> anyhow::Result<PreparedSweep> {
    let source = ScenarioSource::read(&args.scenario)?;
    let as_written = source.scenario()?;
    let plan = as_written.plan(args.variant.as_deref())?;
    let mut fields = Vec::new();
    let mut params = Vec::new();
    for spec in &args.params {
        let (field, param) = parse_param(spec)?;
        if fields.contains(&field) {
            bail!("--param {}: the field is swept twice", param.path);
        }
        fields.push(field);
        params.push(param);
    }
    let points = params
        .iter()
        .try_fold(1usize, |n, p| n.checked_mul(p.values.len()))
        .filter(|&n| n <= MAX_POINTS)
        .with_context(|| format!("the grid has more than {MAX_POINTS} points"))?;
    let replications = args.reps.unwrap_or(plan.replications);
    if replications < 2 {
        bail!("--reps must be at least 2 for confidence intervals");
    }
    let mut manifest = Manifest {
        caseload_version: env!("CARGO_PKG_VERSION").to_string(),
        scenario: plan.scenario.clone(),
        variant: plan.variant.clone(),
        scenario_sha256: sha256_hex(source.text().as_bytes()),
        seed: args.seed.unwrap_or(plan.seed),
        replications,
        warmup_days: plan.warmup_days,
        params,
        points,
        kpis: Vec::new(),
        chart_kpi: String::new(),
        shard: shard.map(|s| ShardEntry {
            index: s.index,
            count: s.count,
        }),
        files: Vec::new(),
        rows: RowsChecksum::default(),
    };
    let designs = designs(
        &source,
        args.variant.as_deref(),
        &fields,
        &manifest,
        args.limits.limits(),
    )?;
    let defs = designs
        .first()
        .map(Design::kpis)
        .context("the sweep has no points")?;
    manifest.kpis = defs
        .iter()
        .map(|d| KpiEntry {
            name: d.key(),
            unit: d.unit.to_string(),
            domain: d.domain.name().to_string(),
        })
        .collect();
    manifest.chart_kpi = defs[find_kpi(&defs, &args.kpi)?].key();
    Ok(PreparedSweep { manifest, designs })
}

/// Runs `caseload sweep`; returns the text for stdout.
pub fn run(args: &SweepArgs) -> anyhow::Result<String> {
    let shard = match &args.shard {
        Some(text) => Some(parse_shard(text)?),
        None => None,
    };
    let PreparedSweep {
        mut manifest,
        designs,
    } = prepare(&args.grid, shard)?;
    let points = manifest.points;
    let replications = manifest.replications;
    let target = args.out.clone().unwrap_or_else(|| {
        let mut name = format!("{}.sweep", manifest.label());
        if let Some(s) = shard {
            name += &format!(".shard-{}-of-{}", s.index, s.count);
        }
        Path::new("results").join(name)
    });
    if args.resume
        && target.is_dir()
        && !args.force
        && let Ok(done) = Manifest::read(&target)
        && done.same_sweep(&manifest)
        && done.shard == manifest.shard
    {
        return Ok(format!(
            "nothing to do: {} already holds this sweep\n",
            target.display()
        ));
    }
    let lock = lock_folder(&target)?;
    let replace = check_target(&target, args.force)?;
    let staging = partial_folder(&target);
    let blocks = manifest.shard().blocks(points, replications);
    let rows_path = staging.join("replications.csv");
    let (rows, written_bytes) =
        open_partial(&manifest, &staging, &blocks, args.resume, args.force)?;
    // The checksum of the rows file, kept up to date block by block.
    let mut hasher = Sha256::new();
    hasher.update(&written_bytes);
    let mut rows_bytes = written_bytes.len() as u64;
    let out = OutputDir::adopt(&target, staging.clone(), replace, lock);
    let done = complete(&blocks, &rows);
    let resumed = done.iter().filter(|&&d| d).count();
    let todo: Vec<Block> = blocks
        .iter()
        .zip(&done)
        .filter(|(_, d)| !**d)
        .map(|(b, _)| b.clone())
        .collect();
    let pairs: usize = todo.iter().map(|b| b.replications.len()).sum();
    let progress = progress_bar(pairs as u64);
    let mut file = fs::OpenOptions::new()
        .append(true)
        .open(&rows_path)
        .with_context(|| format!("opening {}", rows_path.display()))?;
    caseload_experiment::sweep(
        &designs,
        manifest.seed,
        &todo,
        &|| progress.inc(1),
        |block, values| -> anyhow::Result<()> {
            let text: String = block
                .replications
                .clone()
                .zip(&values)
                .map(|(r, kpis)| row_line(&manifest, block.point, r, kpis))
                .collect();
            file.write_all(text.as_bytes())
                .and_then(|()| file.flush())
                .with_context(|| format!("writing {}", rows_path.display()))?;
            hasher.update(text.as_bytes());
            rows_bytes += text.len() as u64;
            Manifest {
                rows: RowsChecksum {
                    bytes: rows_bytes,
                    sha256: hex(&hasher.clone().finalize()),
                },
                ..manifest.clone()
            }
            .write(&staging.join("manifest.json"))
        },
    )
    .map_err(|e| match e {
        caseload_experiment::SweepError::Handler(e) => e,
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
    drop(file);

    let rows = read_rows(&manifest, &rows_path, false)?;
    check_rows_cover(&manifest, &rows, &rows_path.display().to_string())?;
    (manifest.files, manifest.rows) = write_final(&manifest, &rows, &|f| out.file(f))?;
    manifest.write(&out.file("manifest.json"))?;
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
    text += &summary_text(&manifest, &rows, &written);
    Ok(text)
}

/// Opens the hidden folder a sweep writes into: continues an interrupted sweep's (with
/// `resume`, keeping only its whole blocks), or starts it afresh (discarding a leftover only
/// with `force`). Returns the rows already done.
fn open_partial(
    manifest: &Manifest,
    staging: &Path,
    blocks: &[Block],
    resume: bool,
    force: bool,
) -> anyhow::Result<(Rows, Vec<u8>)> {
    let rows_path = staging.join("replications.csv");
    if staging.exists() && resume && !force {
        let left = Manifest::read(staging)?;
        if !(left.same_sweep(manifest) && left.shard == manifest.shard) {
            bail!(
                "{} holds an interrupted sweep with other settings (scenario, parameters, \
                 replications, seed or shard differ); pass --force to discard it",
                staging.display()
            );
        }
        // The rows written and recorded must be as they were; a tail past them is a block
        // cut short by the interruption, dropped below.
        left.rows.verify(&rows_path, false)?;
        let mut rows = read_rows(manifest, &rows_path, true)?;
        let done = complete(blocks, &rows);
        rows.retain(|&(p, r), _| {
            blocks
                .iter()
                .zip(&done)
                .any(|(b, &d)| d && b.point == p && b.replications.contains(&r))
        });
        // Drop any unfinished block's rows and a cut-off last line before appending.
        let bytes = write_rows(manifest, &rows_path, &rows)?;
        record_rows(manifest, staging, &bytes)?;
        return Ok((rows, bytes));
    }
    if staging.exists() && !force {
        bail!(
            "an interrupted sweep left {}; pass --resume to continue it, or --force to start \
             again",
            staging.display()
        );
    }
    if staging.exists() {
        fs::remove_dir_all(staging).with_context(|| format!("removing {}", staging.display()))?;
    }
    fs::create_dir_all(staging)
        .with_context(|| format!("creating the folder {}", staging.display()))?;
    let rows = Rows::new();
    let bytes = write_rows(manifest, &rows_path, &rows)?;
    record_rows(manifest, staging, &bytes)?;
    Ok((rows, bytes))
}

/// Writes the manifest of a sweep under way in `staging`, with the checksum of the rows
/// written so far (`bytes`).
fn record_rows(manifest: &Manifest, staging: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    Manifest {
        rows: RowsChecksum::of(bytes),
        ..manifest.clone()
    }
    .write(&staging.join("manifest.json"))
}

/// The design of every point of the grid.
fn designs(
    source: &ScenarioSource,
    variant: Option<&str>,
    fields: &[FieldPath],
    manifest: &Manifest,
    limits: caseload_experiment::Limits,
) -> anyhow::Result<Vec<Design>> {
    let mut designs: Vec<Design> = Vec::with_capacity(manifest.points);
    for p in 0..manifest.points {
        let values = manifest.point(p);
        let changes: Vec<_> = fields
            .iter()
            .cloned()
            .zip(values.iter().map(|v| v.to_field()))
            .collect();
        let at = || {
            let what: Vec<String> = fields
                .iter()
                .zip(&values)
                .map(|(f, v)| format!("{f}={v}"))
                .collect();
            format!("at sweep point {p} ({})", what.join(", "))
        };
        let plan = source
            .plan_with_changes(variant, &changes)
            .with_context(at)?;
        let design = plan.design(false, limits);
        if let Some(first) = designs.first()
            && first.kpis() != design.kpis()
        {
            bail!(
                "{}: the KPIs differ from point 0's (does the sweep change a priority or a \
                 KPI threshold's presence?); a sweep reports the same KPIs at every point",
                at()
            );
        }
        designs.push(design);
    }
    Ok(designs)
}

/// Writes the final files of a whole sweep (or of one shard) from its rows; returns their names.
fn write_final(
    manifest: &Manifest,
    rows: &Rows,
    file: &dyn Fn(&str) -> PathBuf,
) -> anyhow::Result<(Vec<String>, RowsChecksum)> {
    let checksum = RowsChecksum::of(&write_rows(manifest, &file("replications.csv"), rows)?);
    let mut files = vec!["replications.csv".to_string()];
    if manifest.shard.is_some() {
        return Ok((files, checksum));
    }
    let values: Vec<Vec<Vec<f64>>> = (0..manifest.points)
        .map(|p| {
            rows.range((p, 0)..=(p, u32::MAX))
                .map(|(_, kpis)| kpis.clone())
                .collect()
        })
        .collect();
    let params: Vec<String> = manifest.params.iter().map(|p| p.path.clone()).collect();
    let points: Vec<Vec<String>> = (0..manifest.points)
        .map(|p| manifest.point(p).iter().map(ToString::to_string).collect())
        .collect();
    let kpis: Vec<KpiColumn> = manifest
        .kpis
        .iter()
        .map(|k| {
            Ok(KpiColumn {
                name: k.name.clone(),
                unit: k.unit.clone(),
                domain: caseload_experiment::Domain::from_name(&k.domain).with_context(|| {
                    format!("the manifest names an unknown KPI domain `{}`", k.domain)
                })?,
            })
        })
        .collect::<anyhow::Result<_>>()?;
    write_table(&file("sweep.csv"), |w| {
        caseload_report::write_sweep(w, &manifest.label(), &params, &points, &kpis, &values)
    })?;
    files.push("sweep.csv".into());
    let k = manifest
        .kpis
        .iter()
        .position(|e| e.name == manifest.chart_kpi)
        .context("the manifest's chart KPI is not among its KPIs")?;
    let unit = &manifest.kpis[k].unit;
    let domain = kpis[k].domain;
    let estimates: Vec<caseload_experiment::Estimate> = values
        .iter()
        .map(|reps| caseload_experiment::Estimate::in_domain(reps.iter().map(|r| r[k]), domain))
        .collect();
    let title = |by: &str| {
        format!(
            "{}: {} by {by} (mean{} over {} replications)",
            manifest.label(),
            manifest.chart_kpi,
            if manifest.params.len() == 1 {
                ", 95 % CI"
            } else {
                ""
            },
            manifest.replications
        )
    };
    match &manifest.params[..] {
        [only] => {
            let mut order: Vec<usize> = (0..manifest.points).collect();
            order.sort_by(|&a, &b| only.values[a].as_f64().total_cmp(&only.values[b].as_f64()));
            let pick = |f: fn(&caseload_experiment::Estimate) -> f64| -> Vec<f64> {
                order.iter().map(|&p| f(&estimates[p])).collect()
            };
            let x: Vec<f64> = order.iter().map(|&p| only.values[p].as_f64()).collect();
            SweepChart {
                title: title(&only.path),
                x_label: only.path.clone(),
                y_label: format!("{} ({unit})", manifest.chart_kpi),
                x: &x,
                mean: &pick(|e| e.mean),
                lo: &pick(|e| e.lo),
                hi: &pick(|e| e.hi),
            }
            .write(&file("sweep"))?;
            files.extend(["sweep.png".to_string(), "sweep.svg".to_string()]);
        }
        [rows_param, columns_param] => {
            let text =
                |p: &Param| -> Vec<String> { p.values.iter().map(ToString::to_string).collect() };
            let cells: Vec<f64> = estimates.iter().map(|e| e.mean).collect();
            Heatmap {
                title: title(&format!("{} and {}", rows_param.path, columns_param.path)),
                x_label: columns_param.path.clone(),
                y_label: rows_param.path.clone(),
                x_values: &text(columns_param),
                y_values: &text(rows_param),
                cells: &cells,
            }
            .write(&file("sweep"))?;
            files.extend(["sweep.png".to_string(), "sweep.svg".to_string()]);
        }
        _ => {}
    }
    files.push("manifest.json".into());
    Ok((files, checksum))
}

fn summary_text(manifest: &Manifest, rows: &Rows, written: &Path) -> String {
    let mut text = String::new();
    let pairs = rows.len();
    if let Some(s) = manifest.shard {
        let _ = writeln!(
            text,
            "{}: shard {}/{} of a sweep of {} points x {} replications: {pairs} (point, \
             replication) pairs in {}\ncombine every shard with `caseload merge DIR...`",
            manifest.label(),
            s.index,
            s.count,
            manifest.points,
            manifest.replications,
            written.display()
        );
        return text;
    }
    let _ = writeln!(
        text,
        "{}: {} points x {} replications, seed {} (common random numbers across points)",
        manifest.label(),
        manifest.points,
        manifest.replications,
        manifest.seed
    );
    let _ = writeln!(text);
    let k = manifest
        .kpis
        .iter()
        .position(|e| e.name == manifest.chart_kpi)
        .unwrap_or(0);
    let widths: Vec<usize> = manifest
        .params
        .iter()
        .map(|p| short_path(&p.path).len().max(8))
        .collect();
    let mut header = format!("{:>6}", "point");
    for (p, width) in manifest.params.iter().zip(&widths) {
        let _ = write!(header, "  {:>width$}", short_path(&p.path));
    }
    let _ = writeln!(text, "{header}  {} [95 % CI]", manifest.chart_kpi);
    for p in 0..manifest.points {
        let e = caseload_experiment::Estimate::in_domain(
            rows.range((p, 0)..=(p, u32::MAX)).map(|(_, kpis)| kpis[k]),
            caseload_experiment::Domain::from_name(&manifest.kpis[k].domain)
                .unwrap_or(caseload_experiment::Domain::Real),
        );
        let mut line = format!("{p:>6}");
        for (v, width) in manifest.point(p).iter().zip(&widths) {
            let _ = write!(line, "  {:>width$}", v.to_string());
        }
        let _ = writeln!(text, "{line}  {}", with_interval(&e));
    }
    let _ = writeln!(text);
    let _ = writeln!(
        text,
        "every KPI per point in {}",
        written.join("sweep.csv").display()
    );
    text
}

/// The last two segments of a path, to fit a column.
fn short_path(path: &str) -> String {
    let parts: Vec<&str> = path.split('.').collect();
    if parts.len() <= 2 {
        path.to_string()
    } else {
        parts[parts.len() - 2..].join(".")
    }
}

/// Runs `caseload merge`; returns the text for stdout.
pub fn merge(args: &MergeArgs) -> anyhow::Result<String> {
    let mut problems = Vec::new();
    let mut shards: Vec<(PathBuf, Manifest)> = Vec::new();
    for folder in &args.shards {
        let partial = partial_folder(folder);
        if !folder.is_dir() {
            if partial.is_dir() {
                problems.push(format!(
                    "{}: the shard did not finish (its partial results are in {}; run the task \
                     again with --resume)",
                    folder.display(),
                    partial.display()
                ));
            } else {
                problems.push(format!(
                    "{}: no such folder (the shard failed or never ran)",
                    folder.display()
                ));
            }
            continue;
        }
        match Manifest::read(folder) {
            Ok(m) if m.shard.is_some() => {
                match m.rows.verify(&folder.join("replications.csv"), true) {
                    Ok(()) => shards.push((folder.clone(), m)),
                    Err(e) => problems.push(format!("{e:#}")),
                }
            }
            Ok(_) => problems.push(format!(
                "{}: a whole sweep, not a shard; it needs no merging",
                folder.display()
            )),
            Err(e) => problems.push(format!("{e:#}")),
        }
    }
    if let Some((first_path, first)) = shards.first() {
        let count = first.shard.map_or(1, |s| s.count);
        for (path, m) in &shards[1..] {
            if !m.same_sweep(first) || m.shard.map(|s| s.count) != Some(count) {
                problems.push(format!(
                    "{}: a shard of another sweep than {} (scenario, parameters, replications, \
                     seed or shard count differ)",
                    path.display(),
                    first_path.display()
                ));
            }
        }
        let mut seen: BTreeMap<u32, &Path> = BTreeMap::new();
        for (path, m) in &shards {
            if let Some(s) = m.shard
                && let Some(other) = seen.insert(s.index, path)
            {
                problems.push(format!(
                    "{} and {} both hold shard {}/{count}",
                    other.display(),
                    path.display(),
                    s.index
                ));
            }
        }
        let missing: Vec<String> = (0..count)
            .filter(|k| !seen.contains_key(k))
            .map(|k| format!("{k}/{count}"))
            .collect();
        if !missing.is_empty() {
            problems.push(format!(
                "shard{} {} missing: run {} again (with --resume) and merge every shard",
                if missing.len() > 1 { "s" } else { "" },
                missing.join(", "),
                if missing.len() > 1 {
                    "those tasks"
                } else {
                    "that task"
                },
            ));
        }
    }
    if !problems.is_empty() {
        bail!("nothing was merged:\n  {}", problems.join("\n  "));
    }
    let mut rows = Rows::new();
    let mut manifest = shards[0].1.clone();
    for (path, m) in &shards {
        let file = path.join("replications.csv");
        let part = read_rows(m, &file, false)?;
        check_rows_cover(m, &part, &file.display().to_string())?;
        rows.extend(part);
    }
    manifest.shard = None;
    manifest.files = Vec::new();
    let total = manifest.points * manifest.replications as usize;
    if rows.len() != total {
        bail!(
            "nothing was merged: the shards hold {} of the sweep's {total} (point, \
             replication) pairs",
            rows.len()
        );
    }
    let target = args
        .out
        .clone()
        .unwrap_or_else(|| Path::new("results").join(format!("{}.sweep", manifest.label())));
    let lock = lock_folder(&target)?;
    let out = OutputDir::create(&target, args.force, lock)?;
    (manifest.files, manifest.rows) = write_final(&manifest, &rows, &|f| out.file(f))?;
    manifest.write(&out.file("manifest.json"))?;
    let written = out.finish()?;
    Ok(format!(
        "merged {} shards\n{}",
        shards.len(),
        summary_text(&manifest, &rows, &written)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(spec: &str) -> Vec<String> {
        parse_param(spec)
            .expect("a valid --param")
            .1
            .values
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn params_parse_ranges_and_lists() {
        assert_eq!(values("teams.a.strength=8:12:2"), ["8", "10", "12"]);
        assert_eq!(values("teams.a.strength=8:13:2"), ["8", "10", "12"]);
        assert_eq!(values("x=0:0.3:0.1"), ["0", "0.1", "0.2", "0.3"]);
        assert_eq!(values("x=10:4:-3"), ["10", "7", "4"]);
        assert_eq!(values("x=1, 2.5 ,4"), ["1", "2.5", "4"]);
        assert!(matches!(
            parse_param("x=1,2").map(|p| p.1.values),
            Ok(v) if v == [ParamValue::Whole(1), ParamValue::Whole(2)]
        ));
        for bad in [
            "x",
            "x=1:2",
            "x=1:5:0",
            "x=5:1:1",
            "x=a,b",
            "x=1:2:nan",
            "=1",
        ] {
            assert!(parse_param(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn shards_parse_from_zero() {
        assert_eq!(parse_shard("0/4").ok(), Some(Shard { index: 0, count: 4 }));
        assert_eq!(parse_shard("3/4").ok(), Some(Shard { index: 3, count: 4 }));
        for bad in ["4/4", "1/0", "x/2", "2"] {
            assert!(parse_shard(bad).is_err(), "{bad}");
        }
    }
}
