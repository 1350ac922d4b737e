//! `manifest.json`: what every results folder records about how it was made (the program's
//! version, the command line, the scenario and its SHA-256, seed and replications, the files
//! written), one type for every command. A sweep's manifest also holds its grid, KPIs and the
//! checksum of its rows, so shards can be merged and interrupted sweeps resumed without the
//! scenario file.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::basis::ValueBasis;
use crate::measure::stats::Domain;
use crate::questions::sensitivity::plan::SensitivityPlan;
use crate::sweep::{AxisValue, Grid, Shard};

/// The command whose results a folder holds. Default folder names carry it, so two commands
/// never write the same folder, and `--force` never replaces another command's results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Command {
    /// `caseload run`.
    Run,
    /// `caseload compare`.
    Compare,
    /// `caseload sweep` (a whole sweep or one shard) and `caseload merge`.
    Sweep,
    /// `caseload optimise`.
    Optimise,
    /// `caseload slurm`.
    Slurm,
    /// `caseload fit` (its "scenario" is the counts file).
    Fit,
    /// `caseload backtest`.
    Backtest,
    /// `caseload attribute`.
    Attribute,
    /// `caseload frontier`.
    Frontier,
    /// `caseload sensitivity` (a whole analysis or one shard, and its merge).
    Sensitivity,
    /// `caseload calibrate`.
    Calibrate,
}

impl Command {
    /// The name of the copy of the command's input kept in its results folder, so the folder
    /// shows what it was made from without the original file: `counts.csv` for `fit`,
    /// `scenario.toml` for the others.
    pub fn input_copy(self) -> &'static str {
        match self {
            Command::Fit => "counts.csv",
            _ => "scenario.toml",
        }
    }

    /// The command's name, as typed and in folder names.
    pub fn name(self) -> &'static str {
        match self {
            Command::Run => "run",
            Command::Compare => "compare",
            Command::Sweep => "sweep",
            Command::Optimise => "optimise",
            Command::Slurm => "slurm",
            Command::Fit => "fit",
            Command::Backtest => "backtest",
            Command::Attribute => "attribute",
            Command::Frontier => "frontier",
            Command::Sensitivity => "sensitivity",
            Command::Calibrate => "calibrate",
        }
    }
}

/// The default results folder of `command` on `scenario` (and `variant`):
/// `results/SCENARIO[.VARIANT]/COMMAND`. Scenario and variant names hold no `.` or `/`, so
/// two (scenario, variant, command) triples never share a folder.
pub fn default_folder(scenario: &str, variant: Option<&str>, command: Command) -> PathBuf {
    let run = match variant {
        Some(v) => format!("{scenario}.{v}"),
        None => scenario.to_string(),
    };
    Path::new("results").join(run).join(command.name())
}

/// A KPI as results files record it: its key, unit and domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KpiColumn {
    /// Machine name with its team, e.g. `backlog_end` or `backlog_end@north`.
    pub name: String,
    /// Unit, e.g. `cases`.
    pub unit: String,
    /// The values it can take, which its interval respects.
    pub domain: Domain,
    /// The parts its name packs, as the tables' `measure`, `priority`, `case_type` and `date`
    /// columns (empty where a part does not apply).
    #[serde(default)]
    pub parts: [String; 4],
}

impl KpiColumn {
    /// The KPI's name without its team, and its team (`all` for all teams).
    pub fn kpi_and_team(&self) -> (&str, &str) {
        self.name.split_once('@').unwrap_or((&self.name, "all"))
    }
}

impl From<&crate::KpiDef> for KpiColumn {
    fn from(def: &crate::KpiDef) -> Self {
        let p = &def.parts;
        Self {
            name: def.key(),
            unit: def.unit.to_string(),
            domain: def.domain,
            parts: [
                p.measure.clone(),
                p.priority.map(|p| p.to_string()).unwrap_or_default(),
                p.case_type.clone().unwrap_or_default(),
                p.date.clone().unwrap_or_default(),
            ],
        }
    }
}

/// The checksum of the first `bytes` bytes of a `replications.csv`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RowsChecksum {
    /// Bytes covered.
    pub bytes: u64,
    /// Their SHA-256, hexadecimal.
    pub sha256: String,
}

impl RowsChecksum {
    /// The checksum of `bytes`.
    pub fn of(bytes: &[u8]) -> Self {
        Self {
            bytes: bytes.len() as u64,
            sha256: sha256_hex(bytes),
        }
    }
}

/// The SHA-256 of `bytes`, in hexadecimal.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Bytes in hexadecimal.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What a sweep's folder holds besides the common fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SweepRecord {
    /// The swept fields and their values.
    pub params: Grid,
    /// Points in the grid.
    pub points: usize,
    /// Every KPI, in the order of the columns of `replications.csv`.
    pub kpis: Vec<KpiColumn>,
    /// The KPI drawn on the chart.
    pub chart_kpi: String,
    /// A target on the chart's KPI marked on the chart, e.g. `backlog_end<=200`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// The slice of the sweep held, or `None` for the whole sweep.
    pub shard: Option<Shard>,
    /// The checksum of `replications.csv`: of the whole file in a finished folder; in the
    /// folder of a sweep under way, of the rows written so far.
    pub rows: RowsChecksum,
    /// A sensitivity analysis's plan, whose points replace the grid's (`params` is then
    /// empty).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sensitivity: Option<SensitivityPlan>,
    /// The point every other is compared with, replication by replication (0: the first).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub reference: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl SweepRecord {
    /// The fields each point sets, in the columns' order.
    pub fn point_paths(&self) -> Vec<String> {
        match &self.sensitivity {
            Some(plan) => plan.paths(),
            None => self.params.paths(),
        }
    }

    /// The values point `p` sets.
    pub fn point_values(&self, p: usize) -> Vec<AxisValue> {
        match &self.sensitivity {
            Some(plan) => plan.point(p),
            None => self.params.point(p),
        }
    }
}

/// A staffing action as the charts mark it: a numbered line at its start (and its end), its
/// name in the key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Marker {
    /// The action's name as written.
    pub label: String,
    /// Its first date.
    pub start: String,
    /// The date it ends, if it does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
    /// Its first day, days since the scenario's start.
    pub start_day: f64,
    /// The day it ends, if it does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_day: Option<f64>,
}

/// What an optimisation found, besides the common fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchRecord {
    /// The field searched, e.g. `teams.cait.establishment`.
    pub lever: String,
    /// The target, e.g. `days_to_allocate_p90<=0.5`.
    pub target: String,
    /// The share of replications (or the confidence of the bound) asked for.
    pub confidence: f64,
    /// `replications` or `mean`.
    pub criterion: String,
    /// The smallest value meeting the target (the latest date, as its Julian day); `None`
    /// when no value tried met it (the trace says how near each came).
    pub answer: Option<f64>,
    /// The answer as written, when it is not a number (a date lever's date).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer_text: Option<String>,
    /// Values run.
    pub evaluations: usize,
}

/// `manifest.json` of a results folder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// The version of caseload that wrote the folder.
    pub caseload_version: String,
    /// The command whose results these are.
    pub command: Command,
    /// The command line, word by word.
    pub command_line: Vec<String>,
    /// The scenario's name.
    pub scenario: String,
    /// The variant run, or `None` for the scenario as written (and for a comparison).
    pub variant: Option<String>,
    /// The scenario file as named on the command line.
    pub scenario_file: String,
    /// The SHA-256 of the scenario file's bytes.
    pub scenario_sha256: String,
    /// Seed of the random streams.
    pub seed: u64,
    /// Replications (per option, point or candidate).
    pub replications: u32,
    /// Days at the start left out of the KPIs.
    pub warmup_days: f64,
    /// Events simulated in all, when counted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub events: Option<u64>,
    /// A comparison's options, the baseline first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
    /// A sweep's grid and rows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sweep: Option<SweepRecord>,
    /// An optimisation's search.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub search: Option<SearchRecord>,
    /// The staffing actions the folder's charts mark, so they are redrawn without the
    /// scenario file (`None` in a folder written before they were recorded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub markers: Option<Vec<Marker>>,
    /// What the scenario's values rest on, as its `[basis]` table says (empty if it has
    /// none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub basis: Vec<ValueBasis>,
    /// What the scenario asks of its reports (its `[report]` table), if it says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report: Option<crate::asked::ReportAsk>,
    /// The files written, besides this one.
    pub files: Vec<String>,
    /// The exact build that wrote the folder: version, commit and whether the tree was
    /// modified, as `caseload --version` prints it (empty in a folder written before it was
    /// recorded).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub caseload_build: String,
    /// Every data file read besides the scenario (a trace's counts, a counts file, a starting
    /// backlog, observed figures, targets), with the SHA-256 of the bytes read.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inputs: Vec<InputFile>,
}

/// A data file a command read, and what it held.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputFile {
    /// What it is: the scenario field that names it (`case_types.csa.demand.trace.file`) or
    /// the option (`--observed`).
    pub role: String,
    /// The file, as named (relative to the scenario's folder for a field).
    pub file: String,
    /// The SHA-256 of its bytes.
    pub sha256: String,
}

/// A manifest that cannot be read or written.
#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    /// The file could not be read or written.
    #[error("{doing} {}: {source}", path.display())]
    Io {
        /// What was being done.
        doing: &'static str,
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not a caseload manifest.
    #[error("{} is not the manifest of a caseload results folder: {source}", path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// Why.
        source: serde_json::Error,
    },
}

impl Manifest {
    /// A manifest of `command`, run by `command_line`, with this version and nothing run yet;
    /// the caller fills in the rest.
    pub fn new(
        command: Command,
        command_line: Vec<String>,
        scenario_file: &Path,
        scenario_text: &str,
    ) -> Self {
        Self {
            caseload_version: env!("CARGO_PKG_VERSION").to_string(),
            command,
            command_line,
            scenario: String::new(),
            variant: None,
            scenario_file: scenario_file.display().to_string(),
            scenario_sha256: sha256_hex(scenario_text.as_bytes()),
            seed: 0,
            replications: 0,
            warmup_days: 0.0,
            events: None,
            options: Vec::new(),
            sweep: None,
            search: None,
            markers: None,
            basis: Vec::new(),
            report: None,
            files: Vec::new(),
            caseload_build: crate::BUILD.to_string(),
            inputs: Vec::new(),
        }
    }

    /// Reads `manifest.json` in `folder`.
    pub fn read(folder: &Path) -> Result<Self, ManifestError> {
        let path = folder.join("manifest.json");
        let bytes = crate::results::atomic::read_results_file(&path).map_err(|message| {
            ManifestError::Io {
                doing: "reading",
                path: path.clone(),
                source: std::io::Error::other(message),
            }
        })?;
        serde_json::from_slice(&bytes).map_err(|source| ManifestError::Invalid { path, source })
    }

    /// Writes the manifest to a temporary file renamed over `path`, so `path` always holds a
    /// whole manifest.
    pub fn write(&self, path: &Path) -> Result<(), ManifestError> {
        let mut text =
            serde_json::to_string_pretty(self).map_err(|source| ManifestError::Invalid {
                path: path.to_path_buf(),
                source,
            })?;
        text.push('\n');
        crate::results::atomic::write_whole(path, text.as_bytes()).map_err(|e| ManifestError::Io {
            doing: e.doing,
            path: e.path,
            source: e.source,
        })
    }

    /// The default folder of this sweep, or of one of its shards:
    /// `results/SCENARIO[.VARIANT]/sweep` or `.../sweep.shard-K-of-N`.
    /// A sensitivity analysis's: `.../sensitivity` or `.../sensitivity.shard-K-of-N`.
    pub fn default_sweep_folder(&self, shard: Option<Shard>) -> PathBuf {
        let command = match self.command {
            Command::Sensitivity => Command::Sensitivity,
            _ => Command::Sweep,
        };
        let folder = default_folder(&self.scenario, self.variant.as_deref(), command);
        match shard {
            Some(s) => folder.with_file_name(format!(
                "{}.shard-{}-of-{}",
                command.name(),
                s.index,
                s.count
            )),
            None => folder,
        }
    }

    /// `scenario[.variant]`, as folder names and sweep tables name a run.
    pub fn label(&self) -> String {
        match &self.variant {
            Some(v) => format!("{}.{v}", self.scenario),
            None => self.scenario.clone(),
        }
    }

    /// Whether `other` is the same sweep, whatever its slice, files, rows written, chart KPI
    /// and the command line that ran it.
    pub fn same_sweep(&self, other: &Manifest) -> bool {
        let strip = |m: &Manifest| Manifest {
            command_line: Vec::new(),
            scenario_file: String::new(),
            files: Vec::new(),
            sweep: m.sweep.as_ref().map(|s| SweepRecord {
                shard: None,
                chart_kpi: String::new(),
                target: None,
                reference: 0,
                rows: RowsChecksum::default(),
                ..s.clone()
            }),
            ..m.clone()
        };
        strip(self) == strip(other)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn default_folders_of_commands_and_variants_differ() {
        let mut seen = std::collections::BTreeSet::new();
        for variant in [None, Some("slow"), Some("optimise"), Some("run")] {
            for command in [
                Command::Run,
                Command::Compare,
                Command::Sweep,
                Command::Optimise,
                Command::Slurm,
                Command::Fit,
                Command::Backtest,
            ] {
                assert!(seen.insert(default_folder("london", variant, command)));
            }
        }
        assert_eq!(
            default_folder("london", Some("slow"), Command::Optimise),
            Path::new("results/london.slow/optimise")
        );
    }

    #[test]
    fn a_manifest_reads_back_as_written() {
        let folder = std::env::temp_dir().join(format!("caseload-manifest-{}", std::process::id()));
        fs::create_dir_all(&folder).expect("a temporary folder");
        let mut manifest = Manifest::new(
            Command::Run,
            vec!["caseload".into()],
            Path::new("s.toml"),
            "text",
        );
        manifest.scenario = "s".into();
        manifest.events = Some(12);
        manifest.files = vec!["summary.csv".into()];
        manifest
            .write(&folder.join("manifest.json"))
            .expect("written");
        let back = Manifest::read(&folder).expect("read back");
        fs::remove_dir_all(&folder).ok();
        assert_eq!(back, manifest);
        assert_eq!(back.scenario_sha256, sha256_hex(b"text"));
    }
}
