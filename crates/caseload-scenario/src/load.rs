//! Reading a scenario file: text checks, TOML syntax, the typed form, variants, and the
//! mapping of every problem to a line and column.

use std::path::{Path, PathBuf};

use crate::error::{FieldPath, FieldPathError, ScenarioError, Segment, locate};
use crate::file::ScenarioFile;
use caseload_experiment::suggestion;

use crate::resolve::{Problem, RunPlan, resolve};

/// Largest scenario file accepted, bytes. Real scenarios are a few kilobytes; anything near
/// this is a mistake (a data file named by accident).
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// Largest data file (a trace of counts, a starting backlog) accepted, bytes.
pub const MAX_DATA_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// Reads at most `limit` bytes of `path`, whatever it is (a file, a device, a pipe): more is
/// an error saying so, never a read without end.
pub(crate) fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|err| format!("cannot read the file: {err}"))?;
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|err| format!("cannot read the file: {err}"))?;
    if bytes.len() as u64 > limit {
        return Err(format!(
            "the file is over {limit} bytes; a file read here is at most {limit} bytes (is \
             this the right file?)"
        ));
    }
    Ok(bytes)
}

/// Whether `name` may name a scenario or variant: results folders are named
/// `SCENARIO[.VARIANT]`, so names hold letters, digits, `_` and `-` only and never collide.
fn is_results_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
}

/// A validated scenario: the configuration as written and each of its variants.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// The scenario as written.
    pub base: RunPlan,
    /// Its variants, in file order.
    pub variants: Vec<RunPlan>,
}

impl Scenario {
    /// Checks the scenario as written and every variant against what a run may take
    /// (`limits`), as `run` does before it starts: the same message, naming the file `path`,
    /// the variant and the field.
    pub fn check_budget(
        &self,
        path: &Path,
        limits: caseload_experiment::Limits,
    ) -> Result<(), ScenarioError> {
        for plan in std::iter::once(&self.base).chain(&self.variants) {
            plan.check_budget(path, limits)?;
        }
        Ok(())
    }

    /// What `caseload validate` says of a valid scenario read from `path`: its run, teams,
    /// case types, actions, starting cases and variants.
    pub fn described(&self, path: &Path) -> String {
        let base = &self.base;
        let variants: Vec<&str> = self
            .variants
            .iter()
            .filter_map(|v| v.variant.as_deref())
            .collect();
        format!(
            "{}: valid. Scenario `{}`: {} days from {}, {} teams, {} case types, {} staffing \
             actions, {} starting cases, {} variants{}\n",
            path.display(),
            base.scenario,
            base.model.horizon_days,
            base.start_date,
            base.model.teams.len(),
            base.model.case_types.len(),
            base.actions.len(),
            base.model
                .starting_backlog
                .iter()
                .map(|c| u64::from(c.count))
                .sum::<u64>(),
            variants.len(),
            if variants.is_empty() {
                String::new()
            } else {
                format!(" ({})", variants.join(", "))
            }
        )
    }

    /// The scenario as written, or the variant of that name.
    pub fn plan(&self, variant: Option<&str>) -> Result<&RunPlan, UnknownVariant> {
        match variant {
            None => Ok(&self.base),
            Some(name) => self
                .variants
                .iter()
                .find(|v| v.variant.as_deref() == Some(name))
                .ok_or_else(|| UnknownVariant {
                    scenario: self.base.scenario.clone(),
                    name: name.to_string(),
                    suggestion: suggestion(
                        name,
                        self.variants.iter().filter_map(|v| v.variant.as_deref()),
                    ),
                }),
        }
    }
}

/// The name that stands for the scenario as written among the options of a comparison.
pub const AS_WRITTEN: &str = "base";

impl Scenario {
    /// The options named in `wanted` (or `base` and every variant), each with its plan: the
    /// first is the baseline of a comparison. At least two, each named once.
    pub fn options(
        &self,
        wanted: Option<&[String]>,
    ) -> Result<Vec<(String, &RunPlan)>, OptionsError> {
        let names: Vec<String> = match wanted {
            Some(list) => list.iter().map(|s| s.trim().to_string()).collect(),
            None => std::iter::once(AS_WRITTEN.to_string())
                .chain(self.variants.iter().filter_map(|v| v.variant.clone()))
                .collect(),
        };
        if names.len() < 2 {
            return Err(OptionsError::TooFew {
                variants: self.variants.len(),
            });
        }
        let mut options = Vec::with_capacity(names.len());
        for (i, name) in names.iter().enumerate() {
            if names[..i].contains(name) {
                return Err(OptionsError::Twice(name.clone()));
            }
            let plan = if name == AS_WRITTEN {
                &self.base
            } else {
                self.plan(Some(name))?
            };
            options.push((name.clone(), plan));
        }
        Ok(options)
    }
}

/// Options of a comparison that cannot be compared.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OptionsError {
    /// Fewer than two options.
    #[error(
        "compare needs at least two options; the scenario has {variants} variant(s): name them \
         with --variants, using `base` for the scenario as written"
    )]
    TooFew {
        /// The scenario's variants.
        variants: usize,
    },
    /// An option named twice.
    #[error("--variants names `{0}` twice")]
    Twice(String),
    /// An unknown option.
    #[error("{0} (`base` is the scenario as written)")]
    Unknown(#[from] UnknownVariant),
}

/// A variant asked for that the scenario does not have.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the scenario `{scenario}` has no variant `{name}`{suggestion}")]
pub struct UnknownVariant {
    /// The scenario's name.
    pub scenario: String,
    /// The variant asked for.
    pub name: String,
    /// `; did you mean ...?` when a variant's name is close, or nothing.
    pub suggestion: String,
}

/// A scenario file's text, read once and resolved as written or with changed fields (the
/// points of a sweep, the candidates of an optimisation).
#[derive(Debug, Clone)]
pub struct ScenarioSource {
    path: PathBuf,
    text: String,
    default_name: String,
    base_dir: PathBuf,
}

/// A change to one field of a scenario, e.g. `teams.north.strength = 120`.
pub type FieldChange = (FieldPath, toml::Value);

impl ScenarioSource {
    /// Reads the scenario file at `path`, checking it is UTF-8 text of a sensible size.
    pub fn read(path: &Path) -> Result<Self, ScenarioError> {
        let bytes = read_bounded(path, MAX_FILE_BYTES)
            .map_err(|message| ScenarioError::file(path, message))?;
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(err) => {
                let valid = err.utf8_error().valid_up_to();
                let bytes = err.as_bytes();
                let line = bytes[..valid].iter().filter(|&&b| b == b'\n').count() + 1;
                return Err(ScenarioError::file(
                    path,
                    format!(
                        "line {line}: the file is not UTF-8 text (byte {valid} is not valid); \
                         a scenario file is TOML text"
                    ),
                ));
            }
        };
        let default_name = path.file_stem().map_or_else(
            || "scenario".to_string(),
            |s| s.to_string_lossy().into_owned(),
        );
        let base_dir = path
            .parent()
            .unwrap_or_else(|| Path::new("."))
            .to_path_buf();
        Ok(Self {
            path: path.to_path_buf(),
            text,
            default_name,
            base_dir,
        })
    }

    /// The file's path, as given.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The file's text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The value written at `path` in the file (before variants), if there is one.
    pub fn value_at(&self, path: &FieldPath) -> Option<toml::Value> {
        let table: toml::Table = toml::from_str(&self.text).ok()?;
        crate::basis::value_in(&toml::Value::Table(table), path).cloned()
    }

    /// The scenario as written, with its variants.
    pub fn scenario(&self) -> Result<Scenario, ScenarioError> {
        parse_changed(
            &self.path,
            &self.text,
            &self.default_name,
            &self.base_dir,
            &[],
            None,
        )
    }

    /// The plan of the scenario as written (`variant` `None`) or of one variant, with
    /// `changes` made to the file as written and, for a variant, again after its own `set` (so
    /// a change always wins). Other variants are not resolved.
    pub fn plan_with_changes(
        &self,
        variant: Option<&str>,
        changes: &[FieldChange],
    ) -> Result<RunPlan, ScenarioError> {
        let scenario = parse_changed(
            &self.path,
            &self.text,
            &self.default_name,
            &self.base_dir,
            changes,
            Some(variant),
        )?;
        scenario
            .plan(variant)
            .cloned()
            .map_err(|unknown| ScenarioError::file(&self.path, unknown.to_string()))
    }
}

/// Reads, parses and validates the scenario file at `path`. Relative file names inside it
/// (trace and starting-backlog CSVs) are taken from the file's folder.
pub fn load(path: &Path) -> Result<Scenario, ScenarioError> {
    ScenarioSource::read(path)?.scenario()
}

/// Parses and validates scenario `text`; `path` is used in messages only.
pub fn parse(
    path: &Path,
    text: &str,
    default_name: &str,
    base_dir: &Path,
) -> Result<Scenario, ScenarioError> {
    parse_changed(path, text, default_name, base_dir, &[], None)
}

fn parse_changed(
    path: &Path,
    text: &str,
    default_name: &str,
    base_dir: &Path,
    changes: &[FieldChange],
    only: Option<Option<&str>>,
) -> Result<Scenario, ScenarioError> {
    if text.trim().is_empty() {
        return Err(ScenarioError::file(
            path,
            "the file is empty; a scenario needs a [scenario] table (start, end), \
             at least one [teams.NAME] and one [case_types.NAME]",
        ));
    }
    if text.contains('\0') {
        let offset = text.find('\0').unwrap_or(0);
        return Err(ScenarioError::at(
            path,
            text,
            Some(offset..offset + 1),
            None,
            "the file contains a NUL byte: it is binary, not TOML text",
        ));
    }
    let table: toml::Table = toml::from_str(text).map_err(|err| {
        // A date written the UK or US way is the likely cause on its line.
        let line = err.span().map_or("", |span| {
            let start = text[..span.start.min(text.len())]
                .rfind('\n')
                .map_or(0, |i| i + 1);
            let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
            &text[start..end]
        });
        let message = caseload_experiment::date_hint(line)
            .map(|hint| format!("{hint}, without quotes"))
            .unwrap_or_else(|| format!("invalid TOML: {}", err.message().trim_end()));
        ScenarioError::at(path, text, err.span(), None, message)
    })?;
    let mut table = toml::Value::Table(table);
    apply(path, &mut table, changes)?;
    let file = typed(&table).map_err(|p| error_at(path, text, &p))?;
    let name = file
        .scenario
        .name
        .clone()
        .unwrap_or_else(|| default_name.to_string());
    if !is_results_name(&name) {
        let (at, whose) = match file.scenario.name {
            Some(_) => (FieldPath::root().key("scenario").key("name"), "the name"),
            None => (FieldPath::root().key("scenario"), "the file's name"),
        };
        return Err(error_at(
            path,
            text,
            &Problem {
                path: at,
                message: format!(
                    "{whose} `{name}` cannot name a results folder: expected letters, digits, `_` and `-` only{}",
                    if file.scenario.name.is_some() {
                        ""
                    } else {
                        " (give the scenario a `name` in [scenario])"
                    }
                ),
            },
        ));
    }
    if let Some(bad) = file.variants.keys().find(|v| !is_results_name(v)) {
        return Err(error_at(
            path,
            text,
            &Problem {
                path: FieldPath::root().key("variants").key(bad),
                message: format!(
                    "the variant name `{bad}` cannot name a results folder: expected letters, digits, `_` and `-` only"
                ),
            },
        ));
    }
    let basis = crate::basis::resolve_basis(&file, &table).map_err(|p| error_at(path, text, &p))?;
    let mut base = resolve(&file, &name, None, base_dir).map_err(|p| error_at(path, text, &p))?;
    base.basis.clone_from(&basis);
    let report =
        crate::basis::resolve_report(&file, &base).map_err(|p| error_at(path, text, &p))?;
    base.report.clone_from(&report);
    let mut variants = Vec::new();
    for (variant, spec) in &file.variants {
        if only.is_some_and(|wanted| wanted != Some(variant.as_str())) {
            continue;
        }
        let at = FieldPath::root().key("variants").key(variant);
        let in_variant = |p: Problem| {
            // Point at the `set` entry that caused the problem, else at the variant.
            let entry = spec.set.keys().find_map(|key| {
                let target = FieldPath::parse(key).ok()?;
                let related = p.path.0.starts_with(&target.0) || target.0.starts_with(&p.path.0);
                (related && !p.path.0.is_empty()).then(|| at.key("set").key(key))
            });
            let mut err = error_at(
                path,
                text,
                &Problem {
                    path: entry.unwrap_or_else(|| at.clone()),
                    message: String::new(),
                },
            );
            err.field = Some(p.path.to_string()).filter(|f| !f.is_empty());
            err.message = format!("in variant `{variant}`: {}", p.message);
            err
        };
        let mut changed = table.clone();
        if let toml::Value::Table(t) = &mut changed {
            t.remove("variants");
        }
        if let Some(keep) = &spec.actions {
            for (i, action) in keep.iter().enumerate() {
                if !file.actions.contains_key(action) {
                    return Err(error_at(
                        path,
                        text,
                        &Problem {
                            path: at.key("actions").index(i),
                            message: format!(
                                "no action is named `{action}`{}",
                                suggestion(action, file.actions.keys().map(String::as_str))
                            ),
                        },
                    ));
                }
            }
            if let Some(toml::Value::Table(actions)) = changed.get_mut("actions") {
                actions.retain(|name, _| keep.iter().any(|k| k == name));
            }
        }
        for (field, value) in &spec.set {
            let entry = at.key("set").key(field);
            let at_entry = |message| {
                error_at(
                    path,
                    text,
                    &Problem {
                        path: entry.clone(),
                        message,
                    },
                )
            };
            let target = FieldPath::parse(field).map_err(|e| at_entry(e.message))?;
            set_field(&mut changed, &target, value.clone()).map_err(|e| at_entry(e.message))?;
        }
        apply(path, &mut changed, changes)?;
        let file = typed(&changed).map_err(in_variant)?;
        let plan = resolve(
            &file,
            &name,
            Some((variant, spec.description.as_deref())),
            base_dir,
        )
        .map_err(in_variant)?;
        variants.push(RunPlan {
            basis: basis.clone(),
            report: report.clone(),
            ..plan
        });
    }
    Ok(Scenario { base, variants })
}

/// Makes `changes` to a parsed document; a path that leads nowhere is an error naming it.
fn apply(
    path: &Path,
    document: &mut toml::Value,
    changes: &[FieldChange],
) -> Result<(), ScenarioError> {
    for (field, value) in changes {
        set_field_text(document, field, value.clone()).map_err(|message| {
            ScenarioError::file(path, format!("cannot set `{field}`: {message}"))
        })?;
    }
    Ok(())
}

fn error_at(path: &Path, text: &str, p: &Problem) -> ScenarioError {
    ScenarioError::at(
        path,
        text,
        locate(text, &p.path),
        Some(p.path.to_string()),
        p.message.clone(),
    )
}

/// Deserialises the typed form, turning serde's message into a path and a friendlier text.
fn typed(document: &toml::Value) -> Result<ScenarioFile, Problem> {
    serde_path_to_error::deserialize::<_, ScenarioFile>(document.clone()).map_err(|err| {
        let mut path = FieldPath(
            err.path()
                .iter()
                .filter_map(|segment| match segment {
                    serde_path_to_error::Segment::Seq { index } => Some(Segment::Index(*index)),
                    serde_path_to_error::Segment::Map { key } => Some(Segment::Key(key.clone())),
                    serde_path_to_error::Segment::Enum { .. }
                    | serde_path_to_error::Segment::Unknown => None,
                })
                .collect(),
        );
        let message = short_numbers(err.inner().message().trim_end());
        Problem {
            message: friendlier(&message, &mut path),
            path,
        }
    })
}

/// `message` with every long number (serde writes 1e-300 with 300 digits) in short form.
pub(crate) fn short_numbers(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut number = String::new();
    let flush = |number: &mut String, out: &mut String| {
        match number.parse::<f64>() {
            Ok(x) if number.len() > 16 => out.push_str(&caseload_des::short(x)),
            _ => out.push_str(number),
        }
        number.clear();
    };
    for c in message.chars() {
        if c.is_ascii_digit() || (c == '.' && !number.is_empty()) {
            number.push(c);
        } else {
            flush(&mut number, &mut out);
            out.push(c);
        }
    }
    flush(&mut number, &mut out);
    out
}

/// Rewrites serde's messages: an unknown field gets the closest valid name; type names become
/// words a planner knows.
fn friendlier(message: &str, path: &mut FieldPath) -> String {
    let quoted: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let unknown = rest.split('`').next().unwrap_or("");
        if path.0.last() != Some(&Segment::Key(unknown.to_string())) {
            path.0.push(Segment::Key(unknown.to_string()));
        }
        let valid = &quoted[1.min(quoted.len())..];
        let hint = suggestion(unknown, valid.iter().copied());
        return format!("unknown field `{unknown}`{hint}");
    }
    if let Some(rest) = message.strip_prefix("unknown variant `") {
        let unknown = rest.split('`').next().unwrap_or("");
        let valid = &quoted[1.min(quoted.len())..];
        return format!(
            "unknown value `{unknown}`{}",
            suggestion(unknown, valid.iter().copied())
        );
    }
    if let Some(field) = message.strip_prefix("missing field `") {
        let field = field.trim_end_matches('`');
        return format!("`{field}` is missing");
    }
    let words = [
        ("u8", "a whole number from 0 to 255"),
        ("u32", "a whole number >= 0"),
        ("u64", "a whole number >= 0"),
        ("usize", "a whole number >= 0"),
        ("f64", "a number"),
        ("a boolean", "true or false"),
    ];
    let mut message = message.to_string();
    for (rust, plain) in words {
        if let Some(stripped) = message.strip_suffix(&format!("expected {rust}")) {
            message = format!("{stripped}expected {plain}");
        }
    }
    if message.contains("TOML datetime") || message.contains("toml datetime") {
        // The quoted text, e.g. `invalid type: string "01/04/2009", expected ...`.
        let quoted = message.split('"').nth(1).unwrap_or("");
        return match caseload_experiment::date_hint(quoted) {
            Some(hint) => format!("{hint}, without quotes"),
            None if caseload_experiment::parse_date(quoted).is_some() => {
                format!("\"{quoted}\" is quoted: write the date without quotes, {quoted}")
            }
            None => format!("{message} (write a date without quotes, like 2014-04-01)"),
        };
    }
    message
}

/// Sets the field at `path` in a parsed document to `value`. Every step but the last must
/// already exist; the last may be added (the typed parse then checks it is a real field).
pub fn set_field(
    document: &mut toml::Value,
    path: &FieldPath,
    value: toml::Value,
) -> Result<(), FieldPathError> {
    set_field_text(document, path, value).map_err(|message| FieldPathError {
        path: path.to_string(),
        message,
    })
}

fn set_field_text(
    document: &mut toml::Value,
    path: &FieldPath,
    value: toml::Value,
) -> Result<(), String> {
    let Some((last, parents)) = path.0.split_last() else {
        return Err("the path is empty".to_string());
    };
    let mut here = document;
    let mut walked = FieldPath::root();
    for segment in parents {
        here = match (segment, here) {
            (Segment::Key(key), toml::Value::Table(t)) => {
                let names: Vec<String> = t.keys().cloned().collect();
                match t.get_mut(key) {
                    Some(next) => next,
                    None => {
                        return Err(format!(
                            "`{}` has no `{key}`{}",
                            display_or_root(&walked),
                            suggestion(key, names.iter().map(String::as_str))
                        ));
                    }
                }
            }
            (Segment::Index(i), toml::Value::Array(items)) => {
                let len = items.len();
                items.get_mut(*i).ok_or_else(|| {
                    format!("`{walked}` has {len} elements, so [{i}] does not exist")
                })?
            }
            _ => return Err(format!("`{walked}` is not a table or array")),
        };
        walked.0.push(segment.clone());
    }
    match (last, here) {
        (Segment::Key(key), toml::Value::Table(t)) => {
            t.insert(key.clone(), value);
            Ok(())
        }
        (Segment::Index(i), toml::Value::Array(items)) if *i < items.len() => {
            items[*i] = value;
            Ok(())
        }
        _ => Err(format!(
            "`{walked}` has no field `{}`",
            FieldPath(vec![last.clone()])
        )),
    }
}

fn display_or_root(path: &FieldPath) -> String {
    if path.0.is_empty() {
        "the scenario".to_string()
    } else {
        path.to_string()
    }
}
