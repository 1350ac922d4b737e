//! Argument groups shared by the commands (flattened into each with clap's `flatten`).

use std::path::PathBuf;

use caseload_experiment::{Command, default_folder};
use caseload_scenario::RunPlan;

/// The scenario file and the variant to use.
#[derive(Debug, Clone, clap::Args)]
pub struct ScenarioArgs {
    /// Scenario file (TOML).
    pub scenario: PathBuf,
    /// Use this variant of the scenario instead of the scenario as written.
    #[arg(long, value_name = "NAME")]
    pub variant: Option<String>,
}

impl ScenarioArgs {
    /// The command-line arguments that give these options again.
    pub fn to_args(&self) -> Vec<String> {
        let mut args = vec![self.scenario.display().to_string()];
        if let Some(v) = &self.variant {
            args.extend(["--variant".to_string(), v.clone()]);
        }
        args
    }
}

/// How many replications, and from which seed.
#[derive(Debug, Clone, clap::Args)]
pub struct ReplicationArgs {
    /// Replications (of each option, point or candidate) [default: the scenario's
    /// `replications`].
    #[arg(long, value_name = "N")]
    pub reps: Option<u32>,
    /// Seed of the random streams, shared by every option, point or candidate (common random
    /// numbers) [default: the scenario's `seed`].
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
}

impl ReplicationArgs {
    /// The seed asked for, else the plan's.
    pub fn seed_or(&self, plan: &RunPlan) -> u64 {
        self.seed.unwrap_or(plan.seed)
    }

    /// The command-line arguments that give these options again.
    pub fn to_args(&self) -> Vec<String> {
        let mut args = Vec::new();
        if let Some(r) = self.reps {
            args.extend(["--reps".to_string(), r.to_string()]);
        }
        if let Some(s) = self.seed {
            args.extend(["--seed".to_string(), s.to_string()]);
        }
        args
    }
}

/// Where the results go.
#[derive(Debug, Clone, clap::Args)]
pub struct OutputArgs {
    /// Output folder [default: results/SCENARIO[.VARIANT]/COMMAND].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Replace the output folder if it holds this command's results (never another
    /// command's); for a sweep, also discard an interrupted one.
    #[arg(long)]
    pub force: bool,
    /// Also write report.html: the answer, the headline measures, the charts, the scenario
    /// and the manifest in one page to open in a browser or print.
    #[arg(long)]
    pub report: bool,
}

impl OutputArgs {
    /// The folder asked for, else the command's default one for `scenario` and `variant`.
    pub fn folder(&self, scenario: &str, variant: Option<&str>, command: Command) -> PathBuf {
        self.out
            .clone()
            .unwrap_or_else(|| default_folder(scenario, variant, command))
    }
}

/// This process's command line, word by word, for the manifest.
pub fn command_line() -> Vec<String> {
    std::env::args_os()
        .map(|a| a.to_string_lossy().into_owned())
        .collect()
}

/// The format of the daily and per-replication tables (`timeseries`, `replications`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum TableFormat {
    /// CSV (`timeseries.csv`, `replications.csv`): what `caseload plot` redraws from.
    #[default]
    Csv,
    /// Parquet (`timeseries.parquet`, `replications.parquet`): typed and compressed, for
    /// pandas, polars, R (arrow) and DuckDB; about a twelfth of the CSV.
    Parquet,
    /// Both.
    Both,
}

impl From<TableFormat> for caseload_report::TableFormat {
    fn from(format: TableFormat) -> Self {
        match format {
            TableFormat::Csv => caseload_report::TableFormat::Csv,
            TableFormat::Parquet => caseload_report::TableFormat::Parquet,
            TableFormat::Both => caseload_report::TableFormat::Both,
        }
    }
}
