//! A sensitivity analysis prepared whole before it runs: its factors (the `[basis]`
//! assumptions with a range, or the fields asked with `--param`), its plan, the design of
//! every point and the manifest its folders hold, so it runs, shards, resumes and merges as a
//! sweep does.

use caseload_experiment::{
    Axis, Basis, Factor, Grid, KpiColumn, Limits, Manifest, SensitivityMethod, SensitivityPlan,
    Shard, SweepRecord, find_kpi,
};

use crate::basis::{axis_value, value_in};
use crate::error::{FieldPath, ScenarioError};
use crate::grid::{PointSet, PreparedSweep, SweepError};
use crate::load::ScenarioSource;

/// What a sensitivity analysis asks.
#[derive(Debug, Clone)]
pub struct SensitivityAsked<'a> {
    /// The variant analysed, or `None` for the scenario as written.
    pub variant: Option<&'a str>,
    /// The fields varied: `PATH` (its range from `[basis]`) or `PATH=LOW:HIGH`; none for
    /// every assumption with a range.
    pub params: &'a [String],
    /// The KPIs analysed (at least one).
    pub kpis: &'a [String],
    /// Morris or Sobol, with its size.
    pub method: SensitivityMethod,
    /// Replications per point [default: the scenario's].
    pub replications: Option<u32>,
    /// Their seed, also the design's [default: the scenario's].
    pub seed: Option<u64>,
    /// Bounds on what a run may take.
    pub limits: Limits,
}

impl ScenarioSource {
    /// The factors `params` name (see [`SensitivityAsked::params`]), from the file's `[basis]`
    /// (`basis`) and the values it writes.
    pub fn factors(
        &self,
        basis: &[caseload_experiment::ValueBasis],
        params: &[String],
    ) -> Result<Vec<Factor>, SweepError> {
        let asked = |m: String| SweepError::Asked(m);
        if params.is_empty() {
            return basis
                .iter()
                .filter(|b| b.basis == Basis::Assumption)
                .filter_map(|b| Some((b, b.range?, b.written?)))
                .map(|(b, [low, high], written)| {
                    Factor::new(&b.path, low, high, written).map_err(asked)
                })
                .collect();
        }
        let document: toml::Value = toml::from_str::<toml::Table>(self.text())
            .map(toml::Value::Table)
            .map_err(|e| asked(format!("{}: {e}", self.path().display())))?;
        let mut factors = Vec::with_capacity(params.len());
        for spec in params {
            let (path, range) = match spec.split_once('=') {
                Some((path, range)) => (path.trim(), Some(range)),
                None => (spec.trim(), None),
            };
            let field =
                FieldPath::parse(path).map_err(|e| asked(format!("--param {spec}: {e}")))?;
            let written = value_in(&document, &field)
                .and_then(axis_value)
                .ok_or_else(|| {
                    asked(format!(
                        "--param {spec}: {} writes no number or date at `{path}` (paths as in a \
                     sweep's --param, e.g. team_defaults.caseload_cap)",
                        self.path().display()
                    ))
                })?;
            let (low, high) = match range {
                Some(range) => {
                    let parts: Vec<&str> = range.split(':').collect();
                    let [low, high] = parts[..] else {
                        return Err(asked(format!(
                            "--param {spec}: expected PATH=LOW:HIGH, like \
                             team_defaults.caseload_cap=12:30"
                        )));
                    };
                    let ends = Axis::parse(&format!("{path}={low},{high}"))?;
                    (ends.values[0], ends.values[1])
                }
                None => {
                    let entry = basis.iter().find(|b| b.path == path);
                    let Some([low, high]) = entry.and_then(|b| b.range) else {
                        return Err(asked(format!(
                            "--param {spec}: the scenario's [basis] gives `{path}` no range; \
                             give one as {path}=LOW:HIGH"
                        )));
                    };
                    (low, high)
                }
            };
            factors.push(
                Factor::new(path, low, high, written)
                    .map_err(|m| asked(format!("--param {spec}: {m}")))?,
            );
        }
        Ok(factors)
    }

    /// Checks the sensitivity analysis `asked` and builds every point's design, without
    /// running; `manifest` (the command's, with its command line) gets the scenario, seed,
    /// replications and the plan, `shard` the slice run.
    pub fn prepare_sensitivity(
        &self,
        asked: &SensitivityAsked,
        mut manifest: Manifest,
        shard: Option<Shard>,
    ) -> Result<PreparedSweep, SweepError> {
        let as_written = self.scenario()?;
        let plan = as_written.plan(asked.variant)?;
        let replications = asked.replications.unwrap_or(plan.replications);
        if replications < 2 {
            return Err(SweepError::Asked(
                "--reps must be at least 2 for confidence intervals".into(),
            ));
        }
        let seed = asked.seed.unwrap_or(plan.seed);
        let factors = self.factors(&plan.basis, asked.params)?;
        let defs = plan.design(false, asked.limits).kpis();
        let mut kpis = Vec::with_capacity(asked.kpis.len());
        for name in asked.kpis {
            let key = defs[find_kpi(&defs, name)?].key();
            if !kpis.contains(&key) {
                kpis.push(key);
            }
        }
        if kpis.is_empty() {
            return Err(SweepError::Asked("give at least one --kpi".into()));
        }
        let sensitivity = SensitivityPlan::new(asked.method, factors, kpis, seed)
            .map_err(|e| SweepError::Asked(e.to_string()))?;
        asked
            .limits
            .check_runs(
                sensitivity.points() as u64 * u64::from(replications),
                "points x replications",
                "--reps",
            )
            .map_err(|e| SweepError::Asked(e.to_string()))?;
        let fields = sensitivity
            .factors
            .iter()
            .map(|f| FieldPath::parse(&f.path))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| SweepError::Asked(e.to_string()))?;
        let describe = |p: usize, what: String| match sensitivity.role(p) {
            caseload_experiment::PointRole::AsWritten => "as written".to_string(),
            caseload_experiment::PointRole::Low(i) => format!(
                "with `{}` at the low end of its range ({what})",
                sensitivity.factors[i].path
            ),
            caseload_experiment::PointRole::High(i) => format!(
                "with `{}` at the high end of its range ({what})",
                sensitivity.factors[i].path
            ),
            caseload_experiment::PointRole::Design(_) => {
                format!("at sensitivity point {p} ({what})")
            }
        };
        let points = PointSet {
            fields: &fields,
            count: sensitivity.points(),
            values: &|p| sensitivity.point(p),
            describe: &describe,
        };
        let designs = self
            .point_designs(asked.variant, &points, false, asked.limits)
            .map_err(|e: ScenarioError| SweepError::Scenario(e))?;
        manifest.scenario = plan.scenario.clone();
        manifest.variant = plan.variant.clone();
        manifest.basis = plan.basis.clone();
        manifest.inputs = plan.inputs.clone();
        manifest.seed = seed;
        manifest.replications = replications;
        manifest.warmup_days = plan.warmup_days;
        manifest.sweep = Some(SweepRecord {
            params: Grid { axes: Vec::new() },
            points: sensitivity.points(),
            kpis: defs.iter().map(KpiColumn::from).collect(),
            chart_kpi: sensitivity.kpis[0].clone(),
            target: None,
            shard,
            rows: Default::default(),
            sensitivity: Some(sensitivity),
            reference: 0,
        });
        Ok(PreparedSweep {
            manifest,
            designs,
            input: self.text().to_string(),
        })
    }
}
