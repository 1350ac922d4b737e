//! What a scenario's values rest on: each field a source gives, one derived from sourced
//! figures, or an assumption with the range it could plausibly take. Scenarios record it in
//! their `[basis]` table; sensitivity varies the assumptions over their ranges, and reports
//! list them.

use serde::{Deserialize, Serialize};

use crate::sweep::AxisValue;

/// Where a value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Basis {
    /// A source states it.
    Sourced,
    /// Worked out from sourced figures.
    Derived,
    /// Chosen where no source gives it: it carries a range.
    Assumption,
}

impl Basis {
    /// The word a scenario writes: `sourced`, `derived` or `assumption`.
    pub fn name(self) -> &'static str {
        match self {
            Basis::Sourced => "sourced",
            Basis::Derived => "derived",
            Basis::Assumption => "assumption",
        }
    }
}

/// The basis of one field of a scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValueBasis {
    /// The field's path, in the grammar of a sweep's `--param` (e.g.
    /// `team_defaults.caseload_cap`).
    pub path: String,
    /// Sourced, derived or an assumption.
    pub basis: Basis,
    /// Where it comes from, or why it was chosen (free text; may be empty).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source: String,
    /// The value as the scenario writes it, if it is a number or a date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub written: Option<AxisValue>,
    /// The range it could plausibly take, low to high, in the field's unit (required for an
    /// assumption, optional otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range: Option<[AxisValue; 2]>,
}
