//! # caseload-scenario
//!
//! The scenario file format: TOML, one file per scenario, dates as ISO dates. A file names its
//! teams, case types and staffing actions by key, so every field has a readable path
//! (`teams.north.strength`) used in error messages, in `variants` and in sweeps.
//!
//! Loading goes from the file as written ([`ScenarioFile`], serde, unknown keys rejected) to a
//! validated [`Scenario`]: the configuration as written and each variant, each a [`RunPlan`]
//! holding a `caseload_model::ModelConfig`. Every error names the file, line and column, the
//! field path and what was expected; an unknown field gets the closest valid name.
//!
//! ```
//! use std::path::Path;
//!
//! let text = r#"
//! [scenario]
//! start = 2014-04-01
//! end = 2015-04-01
//!
//! [teams.cait]
//! establishment = 10
//! caseload_cap = 12
//! contracted_hours_per_year = 1460
//!
//! [case_types.child_sexual_assault]
//! team = "cait"
//! priority = 1
//! demand = { annual_rate = 300, annual_growth = 0.08 }
//! stages = [
//!     { work = { dist = "lognormal", mean = 40, cv = 0.8 } },
//!     { wait = { dist = "exponential", mean = 60 } },
//! ]
//!
//! [actions.homicide_transfer]
//! kind = "transfer"
//! team = "cait"
//! start = 2014-07-01
//! officers = 2
//!
//! [variants.no_transfer]
//! actions = []
//! "#;
//! let scenario = caseload_scenario::parse(Path::new("example.toml"), text, "example", Path::new("."))?;
//! assert_eq!(scenario.base.model.horizon_days, 365.0);
//! assert_eq!(scenario.base.model.actions[0].start_day, 91.0);
//! assert!(scenario.variants[0].model.actions.is_empty());
//!
//! let typo = text.replace("caseload_cap", "caseload_cpa");
//! let err = caseload_scenario::parse(Path::new("example.toml"), &typo, "example", Path::new("."))
//!     .unwrap_err();
//! assert_eq!(err.position, Some((8, 1)));
//! assert!(err.to_string().contains("did you mean `caseload_cap`?"));
//! # Ok::<(), caseload_scenario::ScenarioError>(())
//! ```

mod basis;
mod candidates;
mod error;
mod file;
mod fitted;
mod grid;
mod load;
mod observed;
mod resolve;
mod sensitivity;
mod targets;
#[cfg(test)]
mod tests;

pub use candidates::{Package, PackageError, PackagePart, date_value};
pub use error::{FieldPath, FieldPathError, ScenarioError, Segment};
pub use file::*;
pub use fitted::{demand_value, plan_with_fitted_demand};
pub use grid::{PreparedSweep, SweepAsked, SweepError, field_value};
pub use load::{
    AS_WRITTEN, FieldChange, MAX_FILE_BYTES, OptionsError, Scenario, ScenarioSource,
    UnknownVariant, load, parse, set_field,
};
pub use observed::{ObservedError, read_observed};
pub use resolve::{ActionMarker, RunPlan};
pub use sensitivity::SensitivityAsked;
pub use targets::read_targets;
pub use toml::Value as FieldValue;

/// The JSON Schema of the scenario format, pretty-printed, for editor completion.
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(ScenarioFile);
    serde_json::to_string_pretty(&schema).unwrap_or_default()
}
