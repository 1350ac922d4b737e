//! The candidates a question runs: the scenario with one field (a lever) set to a value, or
//! with a package of temporary staffing actions given a number of officers, a start and an
//! end. Each candidate is the scenario file re-read with its fields changed, so it is checked
//! as a file a planner wrote would be.

use caseload_experiment::{package_cost, split_officers};
use time::Date;

use crate::{FieldPath, FieldValue, RunPlan, ScenarioError, ScenarioSource};

/// One action of a temporary-staff package.
#[derive(Debug, Clone, PartialEq)]
pub struct PackagePart {
    /// The staffing action's name.
    pub action: String,
    /// The field holding its headcount (`officers` or `investigators`).
    pub headcount: &'static str,
    /// What one of its officers costs a day, pounds.
    pub day_rate: f64,
}

/// Temporary staffing actions varied together: their officers shared among them as evenly as
/// possible, all from one start to one end.
#[derive(Debug, Clone, PartialEq)]
pub struct Package {
    /// The actions' names joined by `+`, as typed.
    pub label: String,
    /// The actions, in the order typed.
    pub parts: Vec<PackagePart>,
}

/// A package that cannot be made from the scenario's actions.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PackageError {
    /// No action has the name.
    #[error("{scenario} has no staffing action `{name}` (it has {actions})")]
    Unknown {
        /// The scenario and variant.
        scenario: String,
        /// The name as typed.
        name: String,
        /// The actions it has, comma-separated.
        actions: String,
    },
    /// The action brings no temporary officers.
    #[error(
        "`{0}` is not a temporary action that brings officers (an attachment or agency \
         investigators)"
    )]
    NotTemporary(String),
    /// The action is named twice.
    #[error("`{0}` is named twice")]
    NamedTwice(String),
}

impl RunPlan {
    /// The package `text` names: one temporary action (`sco_attachment`), or several joined
    /// by `+`.
    pub fn package(&self, text: &str) -> Result<Package, PackageError> {
        let mut parts: Vec<PackagePart> = Vec::new();
        for name in text.split('+').map(str::trim) {
            if self.actions.iter().all(|a| a.name != name) {
                return Err(PackageError::Unknown {
                    scenario: self.label(),
                    name: name.to_string(),
                    actions: self
                        .actions
                        .iter()
                        .map(|a| a.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                });
            }
            let Some((headcount, day_rate)) = self.temporary_staff(name) else {
                return Err(PackageError::NotTemporary(name.to_string()));
            };
            if parts.iter().any(|p| p.action == name) {
                return Err(PackageError::NamedTwice(name.to_string()));
            }
            parts.push(PackagePart {
                action: name.to_string(),
                headcount,
                day_rate,
            });
        }
        Ok(Package {
            label: text.to_string(),
            parts,
        })
    }
}

impl Package {
    /// Each action's officers when the package has `officers` in all.
    pub fn officers_each(&self, officers: i64) -> Vec<i64> {
        split_officers(officers, self.parts.len())
    }

    /// What `officers` in all cost for `days`, pounds (each action's share at its day rate).
    pub fn cost(&self, officers: i64, days: i64) -> f64 {
        let rates: Vec<f64> = self.parts.iter().map(|p| p.day_rate).collect();
        package_cost(&self.officers_each(officers), &rates, days)
    }
}

/// A date as a scenario field's value (a TOML local date; a date TOML cannot write, such as a
/// year past 9999, as text, which the scenario's checks then refuse by field).
pub fn date_value(date: Date) -> FieldValue {
    let text = date.to_string();
    text.parse()
        .map_or(FieldValue::String(text), FieldValue::Datetime)
}

impl ScenarioSource {
    /// The plan of `variant` with `package` given `officers` in all (shared among its actions),
    /// each action starting on `start` and ending on `end`.
    pub fn with_package(
        &self,
        variant: Option<&str>,
        package: &Package,
        officers: i64,
        start: Date,
        end: Date,
    ) -> Result<RunPlan, ScenarioError> {
        let path =
            |action: &str, field: &str| FieldPath::root().key("actions").key(action).key(field);
        let mut changes = Vec::new();
        for (part, &n) in package.parts.iter().zip(&package.officers_each(officers)) {
            changes.push((path(&part.action, part.headcount), FieldValue::Integer(n)));
            changes.push((path(&part.action, "start"), date_value(start)));
            changes.push((path(&part.action, "end"), date_value(end)));
        }
        self.plan_with_changes(variant, &changes)
    }

    /// The plan of `variant` with the field `lever` set to `value`.
    pub fn with_lever(
        &self,
        variant: Option<&str>,
        lever: &FieldPath,
        value: FieldValue,
    ) -> Result<RunPlan, ScenarioError> {
        self.plan_with_changes(variant, &[(lever.clone(), value)])
    }

    /// The number the scenario writes at `lever` (an integer read as a number), if any.
    pub fn number_at(&self, lever: &FieldPath) -> Option<f64> {
        self.value_at(lever)
            .and_then(|v| v.as_float().or_else(|| v.as_integer().map(|i| i as f64)))
    }
}
