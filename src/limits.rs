//! The options that bound what a run may take, shared by every command that runs replications.

use caseload_experiment::Limits;

/// `--max-events` and `--allow-large`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct LimitArgs {
    /// Most events one replication may handle before it stops with an error (a 10-year
    /// London replication handles under a million) [default: 1000000000].
    #[arg(long, value_name = "N")]
    pub max_events: Option<u64>,
    /// Run scenarios larger than the default limits (over 10 million referrals or 100 years
    /// per replication, over a million officers, over 1 GiB of daily series per replication)
    /// on a machine known to have the memory.
    #[arg(long)]
    pub allow_large: bool,
}

impl LimitArgs {
    /// The limits these options ask for.
    pub fn limits(&self) -> Limits {
        let mut limits = if self.allow_large {
            Limits::LARGE
        } else {
            Limits::DEFAULT
        };
        if let Some(n) = self.max_events {
            limits.max_events = n;
        }
        limits
    }

    /// The command-line arguments that give these options again.
    pub fn to_args(&self) -> Vec<String> {
        let mut args = Vec::new();
        if let Some(n) = self.max_events {
            args.extend(["--max-events".to_string(), n.to_string()]);
        }
        if self.allow_large {
            args.push("--allow-large".to_string());
        }
        args
    }
}
