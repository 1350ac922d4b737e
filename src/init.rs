//! `caseload init`: a commented scenario to start from, with the JSON Schema beside it so an
//! editor with a TOML language server completes and checks it (the file's first line,
//! `#:schema scenario.schema.json`, points at it).

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

/// Arguments of `caseload init`.
#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// The scenario file to write; `scenario.schema.json` is written beside it.
    #[arg(default_value = "scenario.toml")]
    pub file: PathBuf,
    /// What to start from.
    #[arg(long, value_enum, default_value_t = Template::Minimal)]
    pub template: Template,
    /// Replace the file (and the schema) if they exist.
    #[arg(long)]
    pub force: bool,
}

/// The scenarios `init` starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Template {
    /// One team, two kinds of referral, one staffing action and a variant, every field
    /// explained.
    Minimal,
    /// London's 17 CAITs and historic team with the 2014 response, every value's basis and
    /// source (the repository's scenarios/london-2014-response.toml).
    London,
}

/// The schema file's name, as the templates' `#:schema` line names it.
pub const SCHEMA_FILE: &str = "scenario.schema.json";

/// The text of `template`, starting with its `#:schema` line.
pub fn template_text(template: Template) -> String {
    match template {
        Template::Minimal => include_str!("templates/minimal.toml").to_string(),
        Template::London => format!(
            "#:schema {SCHEMA_FILE}\n{}",
            include_str!("../scenarios/london-2014-response.toml")
        ),
    }
}

/// Runs the command; returns the text for stdout.
pub fn run(args: &InitArgs) -> anyhow::Result<String> {
    let schema = args.file.with_file_name(SCHEMA_FILE);
    let schema_text = caseload_scenario::json_schema() + "\n";
    // The same schema already beside it is left as it is.
    let same_schema = std::fs::read(&schema).is_ok_and(|b| b == schema_text.as_bytes());
    for (path, taken) in [
        (&args.file, args.file.exists()),
        (&schema, schema.exists() && !same_schema),
    ] {
        if taken && !args.force {
            bail!(
                "{} exists: give --force to replace it, or another file name",
                path.display()
            );
        }
    }
    let write = |path: &Path, text: &str| {
        caseload_experiment::results::atomic::write_whole(path, text.as_bytes())
            .with_context(|| format!("writing {}", path.display()))
    };
    if !same_schema {
        write(&schema, &schema_text)?;
    }
    write(&args.file, &template_text(args.template))?;
    Ok(format!(
        "wrote {} and {} (its first line points editors at the schema); check it with \
         `caseload validate {}` and run it with `caseload run {} --report`\n",
        args.file.display(),
        schema.display(),
        args.file.display(),
        args.file.display()
    ))
}
