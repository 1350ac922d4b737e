//! The examples each subcommand's `--help` ends with. Every one runs from the repository's
//! root on the shipped scenarios and data in a few seconds: `tests/help_examples.rs` runs them
//! all, in this order (later ones read the folders earlier ones wrote).

/// `caseload run`.
pub const RUN: &str = "Examples:
  caseload run scenarios/london-2014-response.toml --reps 5 --report
  caseload run scenarios/validation/mmc.toml --reps 5 --format both --out mmc";

/// `caseload compare`.
pub const COMPARE: &str = "Examples:
  caseload compare scenarios/london-2019-online.toml --reps 4 --report
  caseload compare scenarios/london-2014-response.toml --variants base,no_response --reps 4 --out response-or-none";

/// `caseload sweep`.
pub const SWEEP: &str = "Examples:
  caseload sweep scenarios/validation/mmc.toml --param teams.cait.establishment=9:12:1 --reps 4
  caseload sweep scenarios/validation/mmc.toml --param teams.cait.establishment=9:12:1 --reps 4 --shard 0/2 --out shards/0
  caseload sweep scenarios/validation/mmc.toml --param teams.cait.establishment=9:12:1 --reps 4 --shard 1/2 --out shards/1";

/// `caseload merge`.
pub const MERGE: &str = "Example (after the two shards of `caseload sweep --help`):
  caseload merge shards/0 shards/1 --out merged";

/// `caseload sensitivity`.
pub const SENSITIVITY: &str = "Examples:
  caseload sensitivity scenarios/london-2019-online.toml --kpi backlog_end --reps 2 --trajectories 4
  caseload sensitivity scenarios/validation/mmc.toml --kpi days_to_allocate_mean --param teams.cait.establishment=10:12 --method sobol --samples 16 --reps 2";

/// `caseload calibrate`.
pub const CALIBRATE: &str = "OBSERVED.csv has columns target, value, sd (and optionally source): one row per
observed figure, `target` a KPI the run reports, e.g.
  target,value,sd
  days_to_outcome_median_child_sexual_assault,236,25
  mean_caseload,16,2

Example:
  caseload calibrate scenarios/validation/mmc.toml scenarios/validation/mmc-observed.csv --param case_types.referral.demand.annual_rate=2000:3500 --reps 5";

/// `caseload slurm`.
pub const SLURM: &str = "Examples (the scripts only; add --submit on a cluster):
  caseload slurm scenarios/validation/mmc.toml --param teams.cait.establishment=9:12:1 --reps 4 --tasks 2";

/// `caseload optimise`.
pub const OPTIMISE: &str = "Examples:
  caseload optimise scenarios/validation/mmc.toml --lever teams.cait.establishment --target 'p90_days_to_allocate<=0.5' --confidence 0.95
  caseload optimise scenarios/validation/mmc.toml --lever teams.cait.establishment --target 'days_to_allocate_mean<=0.05' --criterion mean --reps 10 --out optimise-mean";

/// `caseload validate`.
pub const VALIDATE: &str = "Example:
  caseload validate scenarios/london-2014-response.toml";

/// `caseload schema`.
pub const SCHEMA: &str = "Example (save it beside your scenarios and start each file with a
`#:schema scenario.schema.json` line for completion in editors):
  caseload schema";

/// `caseload queue`.
pub const QUEUE: &str = "Example:
  caseload queue --servers 10";

/// `caseload fit`.
pub const FIT: &str = "Example:
  caseload fit data/london-serious-sexual.csv --start 2009-04-01 --change 2012-12-01";

/// `caseload backtest`.
pub const BACKTEST: &str = "Example:
  caseload backtest scenarios/london-2014.toml data/london-observed.csv --reps 4";

/// `caseload attribute`.
pub const ATTRIBUTE: &str = "Example:
  caseload attribute scenarios/london-2019-online.toml --reps 4";

/// `caseload frontier`.
pub const FRONTIER: &str = "Example:
  caseload frontier scenarios/london-2014-response.toml --action sco_attachment --officers 1:60 --months 3:6 --target 'waiting_at_2016-04-01@historic<=100' --reps 4";

/// `caseload plot`.
pub const PLOT: &str = "Example (after `caseload run scenarios/london-2014-response.toml`):
  caseload plot results/london-2014-response/run";

/// `caseload report`.
pub const REPORT: &str = "Example (after `caseload compare scenarios/london-2019-online.toml`):
  caseload report results/london-2019-online/compare --force";

/// `caseload completions`.
pub const COMPLETIONS: &str = "Examples (bash: save it where bash-completion looks, e.g.
~/.local/share/bash-completion/completions/caseload):
  caseload completions bash
  caseload completions zsh";

/// `caseload manpage`.
pub const MANPAGE: &str = "Example (save it as caseload.1 and read it with `man ./caseload.1`):
  caseload manpage";

/// `caseload init`.
pub const INIT: &str = "Examples:
  caseload init my-team.toml
  caseload init london.toml --template london";
