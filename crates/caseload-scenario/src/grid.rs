//! The designs of a sweep's points: the scenario (or a variant) with the swept fields set to
//! each point's values; and a sweep prepared whole (its manifest and designs) before it runs.

use caseload_experiment::{
    AxisValue, Design, Grid, KpiColumn, Limits, Manifest, Shard, SweepRecord, Target, find_kpi,
};

use crate::error::{FieldPath, ScenarioError};
use crate::load::ScenarioSource;

impl ScenarioSource {
    /// The design of every point of `grid`, on the scenario as written or on `variant`. Every
    /// point must report the same KPIs (a sweep that changes a priority or whether a KPI
    /// threshold is set would not).
    pub fn grid_designs(
        &self,
        variant: Option<&str>,
        grid: &Grid,
        keep_cases: bool,
        limits: Limits,
    ) -> Result<Vec<Design>, ScenarioError> {
        let mut fields = Vec::with_capacity(grid.axes.len());
        for axis in &grid.axes {
            let field = FieldPath::parse(&axis.path).map_err(|e| {
                ScenarioError::file(self.path(), format!("--param {}: {e}", axis.path))
            })?;
            fields.push(field);
        }
        let points = PointSet {
            fields: &fields,
            count: grid.points(),
            values: &|p| grid.point(p),
            describe: &|p, what| format!("at sweep point {p} ({what})"),
        };
        self.point_designs(variant, &points, keep_cases, limits)
    }

    /// The design of every point of `points`. Every point must report the same KPIs.
    pub(crate) fn point_designs(
        &self,
        variant: Option<&str>,
        points: &PointSet,
        keep_cases: bool,
        limits: Limits,
    ) -> Result<Vec<Design>, ScenarioError> {
        let fields = points.fields;
        let mut designs: Vec<Design> = Vec::with_capacity(points.count);
        for p in 0..points.count {
            let values = (points.values)(p);
            let changes: Vec<_> = fields
                .iter()
                .cloned()
                .zip(values.iter().map(|&v| field_value(v)))
                .collect();
            let at = || {
                let what: Vec<String> = fields
                    .iter()
                    .zip(&values)
                    .map(|(f, v)| format!("{f}={v}"))
                    .collect();
                (points.describe)(p, what.join(", "))
            };
            let plan = self
                .plan_with_changes(variant, &changes)
                .map_err(|e| e.context(at()))?;
            let design = plan.design(keep_cases, limits);
            if let Some(first) = designs.first()
                && first.kpis() != design.kpis()
            {
                return Err(ScenarioError::file(
                    self.path(),
                    format!(
                        "{}: the KPIs differ from point 0's (does the sweep change a priority \
                         or a KPI threshold's presence?); a sweep reports the same KPIs at \
                         every point",
                        at()
                    ),
                ));
            }
            designs.push(design);
        }
        Ok(designs)
    }
}

/// The points of a sweep or a sensitivity analysis: the fields each sets, how many, each
/// one's values, and how a point is named in a message (given its `field=value` list).
pub(crate) struct PointSet<'a> {
    pub fields: &'a [FieldPath],
    pub count: usize,
    pub values: &'a dyn Fn(usize) -> Vec<AxisValue>,
    pub describe: &'a dyn Fn(usize, String) -> String,
}

/// A swept value as a scenario field's value.
pub fn field_value(value: AxisValue) -> toml::Value {
    match value {
        AxisValue::Whole(i) => toml::Value::Integer(i),
        AxisValue::Real(x) => toml::Value::Float(x),
        AxisValue::Date(d) => d.to_string().parse::<toml::value::Datetime>().map_or_else(
            |_| toml::Value::String(d.to_string()),
            toml::Value::Datetime,
        ),
    }
}

/// What a sweep asks: the variant, the grid, the replications and their seed, the KPI charted
/// and a target on it.
#[derive(Debug, Clone)]
pub struct SweepAsked<'a> {
    /// The variant swept, or `None` for the scenario as written.
    pub variant: Option<&'a str>,
    /// The axes, `PATH=VALUES` each.
    pub params: &'a [String],
    /// Replications per point [default: the scenario's].
    pub replications: Option<u32>,
    /// Their seed [default: the scenario's].
    pub seed: Option<u64>,
    /// The KPI drawn on the chart.
    pub kpi: &'a str,
    /// A target on that KPI, marked on the chart.
    pub target: Option<&'a str>,
    /// The point every other is compared with: a value per axis, comma-separated [default:
    /// the first point].
    pub reference: Option<&'a str>,
    /// Bounds on what a run may take.
    pub limits: Limits,
}

/// A sweep checked and ready to run: its manifest (what shards and merge exchange) and the
/// design of every point.
#[derive(Debug, Clone)]
pub struct PreparedSweep {
    /// The manifest the sweep's folders hold, its sweep record filled in.
    pub manifest: Manifest,
    /// Each point's design, in grid order.
    pub designs: Vec<Design>,
    /// The scenario file's text, a copy of which the sweep's folder keeps.
    pub input: String,
}

/// A sweep that cannot be prepared.
#[derive(Debug, thiserror::Error)]
pub enum SweepError {
    /// The scenario, or a point of the grid, is not valid.
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    /// No variant has the name.
    #[error(transparent)]
    Variant(#[from] crate::UnknownVariant),
    /// An axis is not a grid axis.
    #[error(transparent)]
    Grid(#[from] caseload_experiment::GridError),
    /// The KPI is unknown.
    #[error(transparent)]
    Kpi(#[from] caseload_experiment::UnknownKpi),
    /// The question does not hold together.
    #[error("{0}")]
    Asked(String),
}

impl PreparedSweep {
    /// The sweep's record in its manifest.
    pub fn record(&self) -> &SweepRecord {
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

    /// Wall-clock time of one replication of the first point on this machine, to size shards.
    pub fn time_one_replication(
        &self,
    ) -> Result<std::time::Duration, caseload_experiment::RunError> {
        let start = std::time::Instant::now();
        if let Some(design) = self.designs.first() {
            caseload_experiment::run_one(design, self.manifest.seed, 0)?;
        }
        Ok(start.elapsed())
    }
}

impl ScenarioSource {
    /// Checks the sweep `asked` and builds every point's design, without running; `manifest`
    /// (the command's, with its command line) gets the scenario, seed, replications and the
    /// sweep's record, `shard` the slice run.
    pub fn prepare_sweep(
        &self,
        asked: &SweepAsked,
        mut manifest: Manifest,
        shard: Option<Shard>,
    ) -> Result<PreparedSweep, SweepError> {
        let as_written = self.scenario()?;
        let plan = as_written.plan(asked.variant)?;
        let grid = Grid::parse(asked.params)?;
        let replications = asked.replications.unwrap_or(plan.replications);
        if replications < 2 {
            return Err(SweepError::Asked(
                "--reps must be at least 2 for confidence intervals".into(),
            ));
        }
        asked
            .limits
            .check_runs(
                grid.points() as u64 * u64::from(replications),
                "points x replications",
                "--reps",
            )
            .map_err(|e| SweepError::Asked(e.to_string()))?;
        let designs = self.grid_designs(asked.variant, &grid, false, asked.limits)?;
        let defs = designs
            .first()
            .map(Design::kpis)
            .ok_or_else(|| SweepError::Asked("the sweep has no points".into()))?;
        manifest.scenario = plan.scenario.clone();
        manifest.basis = plan.basis.clone();
        manifest.inputs = plan.inputs.clone();
        manifest.variant = plan.variant.clone();
        manifest.seed = asked.seed.unwrap_or(plan.seed);
        manifest.replications = replications;
        manifest.warmup_days = plan.warmup_days;
        let chart_kpi = defs[find_kpi(&defs, asked.kpi)?].key();
        let target = match asked.target {
            None => None,
            Some(text) => {
                let mut target: Target = text
                    .parse()
                    .map_err(|e| SweepError::Asked(format!("--target {e}")))?;
                let key = defs[find_kpi(&defs, &target.kpi)?].key();
                if key != chart_kpi {
                    return Err(SweepError::Asked(format!(
                        "--target {text}: the target is on `{key}` but the chart shows \
                         `{chart_kpi}`; give --kpi {key}"
                    )));
                }
                target.kpi = key;
                Some(target.to_string())
            }
        };
        let reference = match asked.reference {
            None => 0,
            Some(text) => reference_point(&grid, text).map_err(SweepError::Asked)?,
        };
        manifest.sweep = Some(SweepRecord {
            points: grid.points(),
            params: grid,
            kpis: defs.iter().map(KpiColumn::from).collect(),
            chart_kpi,
            target,
            shard,
            rows: Default::default(),
            sensitivity: None,
            reference,
        });
        Ok(PreparedSweep {
            manifest,
            designs,
            input: self.text().to_string(),
        })
    }
}

/// The index of the grid's point `text` names: a value per axis, comma-separated, in the
/// axes' order (`--reference 24` or `--reference 24,2014-07-01`).
fn reference_point(grid: &Grid, text: &str) -> Result<usize, String> {
    let tokens: Vec<&str> = text.split(',').map(str::trim).collect();
    if tokens.len() != grid.axes.len() {
        return Err(format!(
            "--reference {text}: expected {} value{} (one per --param, in order)",
            grid.axes.len(),
            if grid.axes.len() == 1 { "" } else { "s" }
        ));
    }
    let mut wanted = Vec::with_capacity(tokens.len());
    for (axis, token) in grid.axes.iter().zip(&tokens) {
        let parsed = caseload_experiment::Axis::parse(&format!("{}={token}", axis.path))
            .map_err(|e| format!("--reference {text}: {}", e.message))?;
        let value = parsed.values[0];
        if !axis.values.iter().any(|v| v.as_f64() == value.as_f64()) {
            return Err(format!(
                "--reference {text}: {token} is not among the values of {} ({})",
                axis.path,
                axis.values
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        wanted.push(value.as_f64());
    }
    (0..grid.points())
        .find(|&p| {
            grid.point(p)
                .iter()
                .zip(&wanted)
                .all(|(v, w)| v.as_f64() == *w)
        })
        .ok_or_else(|| format!("--reference {text}: not a point of the grid"))
}
