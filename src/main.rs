//! `caseload`: the command-line program. Argument parsing, progress and wiring only; the
//! simulation lives in the `caseload-*` crates.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;
use clap::{CommandFactory, Parser, Subcommand};

mod args;
mod attribute;
mod backtest;
mod calibrate;
mod compare;
mod examples;
mod fit;
mod frontier;
mod init;
mod limits;
mod optimise;
mod output;
mod plot;
mod queue;
mod run;
mod sensitivity;
mod slurm;
mod sweep;
mod terminal;

/// Staffing-and-demand simulation for child-abuse investigation teams.
#[derive(Debug, Parser)]
#[command(name = "caseload", version = BUILD, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run a scenario's replications and write a results folder (CSVs, charts, manifest).
    #[command(after_help = examples::RUN)]
    Run(run::RunArgs),
    /// Run a scenario's options (as written and its variants) with common random numbers and
    /// report each one's paired difference from the first.
    #[command(after_help = examples::COMPARE)]
    Compare(compare::CompareArgs),
    /// Run a grid of parameter values (or one shard of it) and report the KPIs at each point.
    #[command(after_help = examples::SWEEP)]
    Sweep(sweep::SweepArgs),
    /// Combine the shards of a sweep (or a sensitivity analysis) into the files one unsharded
    /// run writes.
    #[command(after_help = examples::MERGE)]
    Merge(sweep::MergeArgs),
    /// Which assumptions the answer depends on: every assumption in the scenario's [basis]
    /// (or each --param) varied over its range, by Morris screening or Sobol indices, with a
    /// tornado of each range's ends.
    #[command(after_help = examples::SENSITIVITY)]
    Sensitivity(sensitivity::SensitivityArgs),
    /// Fit chosen values to observed figures (KPIs with their uncertainty) by history
    /// matching: waves of points over the values' ranges, the implausible ruled out; writes
    /// the plausible ranges, the best point and [basis] entries to paste.
    #[command(after_help = examples::CALIBRATE)]
    Calibrate(calibrate::CalibrateArgs),
    /// Write (and with --submit, submit) a sweep as a Slurm job array plus a merge job.
    #[command(after_help = examples::SLURM)]
    Slurm(slurm::SlurmArgs),
    /// Find the smallest value of a staffing lever at which a KPI target is met.
    #[command(after_help = examples::OPTIMISE)]
    Optimise(optimise::OptimiseArgs),
    /// Check a scenario file and report the first problem with its line and column.
    #[command(after_help = examples::VALIDATE)]
    Validate {
        /// Scenario file (TOML).
        scenario: std::path::PathBuf,
        /// The bounds a run is checked against, as `run` checks them.
        #[command(flatten)]
        limits: limits::LimitArgs,
    },
    /// Print the JSON Schema of the scenario format (for editor completion).
    #[command(after_help = examples::SCHEMA)]
    Schema,
    /// Simulate a textbook multi-server queue and compare it with queueing theory.
    #[command(after_help = examples::QUEUE)]
    Queue(queue::QueueArgs),
    /// Fit demand (trend, seasonality, a step, dispersion) to referral counts and write the
    /// scenario's demand blocks, estimates with intervals and observed-against-fitted charts.
    #[command(after_help = examples::FIT)]
    Fit(fit::FitArgs),
    /// Run a scenario and set observed monthly figures against the simulated spread: how
    /// often they fall inside the 50 % and 90 % bands, and the bias.
    #[command(after_help = examples::BACKTEST)]
    Backtest(backtest::BacktestArgs),
    /// What each staffing action of a package buys: Shapley values and leave-one-out effects
    /// on chosen KPIs, under common random numbers.
    #[command(after_help = examples::ATTRIBUTE)]
    Attribute(attribute::AttributeArgs),
    /// The least temporary staffing meeting a target: for each duration of a temporary action,
    /// the fewest officers, and the least officer-months.
    #[command(after_help = examples::FRONTIER)]
    Frontier(frontier::FrontierArgs),
    /// Redraw a results folder's charts (and its report.html, if any) from its own tables,
    /// without running anything.
    #[command(after_help = examples::PLOT)]
    Plot(plot::PlotArgs),
    /// Write report.html for a results folder: the answer, the headline measures with their
    /// intervals, the charts, the scenario as written and the manifest, in one page.
    #[command(after_help = examples::REPORT)]
    Report {
        /// A results folder (one with a manifest.json).
        results: std::path::PathBuf,
        /// Replace the folder's report.html if it has one.
        #[arg(long)]
        force: bool,
    },
    /// Write a commented scenario to start from, and the JSON Schema editors check it with.
    #[command(after_help = examples::INIT)]
    Init(init::InitArgs),
    /// Print a shell's completion script for caseload (bash, zsh, fish, elvish, powershell).
    #[command(after_help = examples::COMPLETIONS)]
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print caseload's manual page (roff, for `man`).
    #[command(after_help = examples::MANPAGE)]
    Manpage,
}

/// Exit status of a run whose `--precision` target was not reached within `--reps` (its
/// results are written all the same).
pub const EXIT_PRECISION_NOT_MET: u8 = 3;

/// The exact build, as `caseload --version` prints it and every manifest records it.
pub const BUILD: &str = caseload_experiment::BUILD;

/// What a command that worked leaves: text for stdout and an exit status (0, or
/// [`EXIT_PRECISION_NOT_MET`]).
pub struct Done {
    text: String,
    status: u8,
}

impl From<String> for Done {
    fn from(text: String) -> Self {
        Self { text, status: 0 }
    }
}

/// The completion script of `shell` for the whole command line.
fn completions(shell: clap_complete::Shell) -> String {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "caseload", &mut script);
    String::from_utf8_lossy(&script).into_owned()
}

/// The manual page (roff): the command, its options and every subcommand's.
fn manpage() -> anyhow::Result<String> {
    let mut page = Vec::new();
    let command = Cli::command();
    clap_mangen::Man::new(command.clone()).render(&mut page)?;
    for sub in command.get_subcommands() {
        // Each subcommand as a section of the one page, its name as the heading.
        let heading = format!("caseload {}", sub.get_name()).to_uppercase();
        page.extend_from_slice(format!(".SH \"{heading}\"\n").as_bytes());
        let man = clap_mangen::Man::new(sub.clone());
        man.render_description_section(&mut page)?;
        man.render_synopsis_section(&mut page)?;
        man.render_options_section(&mut page)?;
        man.render_extra_section(&mut page)?;
    }
    // The after-help text of each subcommand is its examples.
    Ok(String::from_utf8_lossy(&page).replace(".SH EXTRA\n", ".SH EXAMPLES\n"))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    output::clean_up_on_interrupt();
    let result = match cli.command {
        Command::Run(args) => run::run(&args),
        Command::Compare(args) => compare::run(&args).map(Done::from),
        Command::Sweep(args) => sweep::run(&args).map(Done::from),
        Command::Merge(args) => sweep::merge(&args).map(Done::from),
        Command::Sensitivity(args) => sensitivity::run(&args).map(Done::from),
        Command::Calibrate(args) => calibrate::run(&args).map(Done::from),
        Command::Optimise(args) => optimise::run(&args).map(Done::from),
        Command::Fit(args) => fit::run(&args).map(Done::from),
        Command::Backtest(args) => backtest::run(&args),
        Command::Plot(args) => plot::run(&args).map(Done::from),
        Command::Attribute(args) => attribute::run(&args).map(Done::from),
        Command::Frontier(args) => frontier::run(&args).map(Done::from),
        Command::Report { results, force } => report(&results, force).map(Done::from),
        Command::Slurm(args) => slurm::run(&args).map(Done::from),
        Command::Validate { scenario, limits } => validate(&scenario, &limits).map(Done::from),
        Command::Schema => Ok(Done::from(caseload_scenario::json_schema() + "\n")),
        Command::Queue(args) => queue::run(&args).map(Done::from),
        Command::Init(args) => init::run(&args).map(Done::from),
        Command::Completions { shell } => Ok(Done::from(completions(shell))),
        Command::Manpage => manpage().map(Done::from),
    };
    match result.and_then(|done| write_stdout(&done.text).map(|()| done.status)) {
        Ok(status) => ExitCode::from(status),
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {}", message(&err));
            ExitCode::from(2)
        }
    }
}

/// `caseload report`: the page written under the folder's lock.
fn report(results: &std::path::Path, force: bool) -> anyhow::Result<String> {
    caseload_experiment::Manifest::read(results)?;
    let _lock = caseload_experiment::results::folder::lock_folder(results)?;
    let file = caseload_report::write_report(results, force)?;
    Ok(format!("wrote {}\n", file.display()))
}

fn validate(path: &std::path::Path, limits: &limits::LimitArgs) -> anyhow::Result<String> {
    let source = caseload_scenario::ScenarioSource::read(path)?;
    let scenario = source.scenario()?;
    source.check_basis()?;
    scenario.check_budget(path, limits.limits())?;
    Ok(scenario.described(path))
}

/// The error and its causes, each said once: a cause whose words an outer error already
/// carries (an I/O error its file's message quotes) is not repeated.
fn message(err: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in err.chain() {
        let part = cause.to_string();
        if part.is_empty() || text.contains(&part) {
            continue;
        }
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(&part);
    }
    text
}

fn write_stdout(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .context("writing to standard output")
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
