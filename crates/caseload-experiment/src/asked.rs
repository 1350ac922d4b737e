//! What a scenario asks of its reports (its `[report]` table): the question in words, the
//! measures that answer it, which way each is better where the scenario says so, and the unit
//! money is shown in. Manifests carry it, so every report of the folder answers the
//! scenario's own question.

use serde::{Deserialize, Serialize};

use crate::measure::kpi::Better;

/// The unit money is shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum MoneyUnit {
    /// Pounds.
    #[default]
    #[serde(rename = "GBP")]
    Pounds,
    /// Thousands of pounds.
    #[serde(rename = "GBP k")]
    Thousands,
    /// Millions of pounds.
    #[serde(rename = "GBP m")]
    Millions,
}

impl MoneyUnit {
    /// The names a scenario writes, in order.
    pub const NAMES: [&'static str; 3] = ["GBP", "GBP k", "GBP m"];

    /// The unit named `name` (one of [`MoneyUnit::NAMES`]).
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "GBP" => Some(MoneyUnit::Pounds),
            "GBP k" => Some(MoneyUnit::Thousands),
            "GBP m" => Some(MoneyUnit::Millions),
            _ => None,
        }
    }

    /// Pounds in one of this unit.
    pub fn pounds(self) -> f64 {
        match self {
            MoneyUnit::Pounds => 1.0,
            MoneyUnit::Thousands => 1e3,
            MoneyUnit::Millions => 1e6,
        }
    }

    /// How the unit is written beside a number.
    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}

/// Which way a headline measure is better, as a scenario states it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Direction {
    /// The KPI, as the run names it (`kpi` or `kpi@team`).
    pub kpi: String,
    /// `true`: larger is better; `false`: smaller is.
    pub larger: bool,
}

/// What a scenario asks of its reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ReportAsk {
    /// The question, in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub question: Option<String>,
    /// The measures that answer it, as the run names them (`kpi` or `kpi@team`), first first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub headline: Vec<String>,
    /// Directions the scenario states, overriding each KPI's own.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub better: Vec<Direction>,
    /// The unit money is shown in.
    #[serde(default)]
    pub money: MoneyUnit,
}

impl ReportAsk {
    /// Which way `kpi` (a name as the run gives it, with `@team` for one team) is better: as
    /// the scenario states, else by its own meaning.
    pub fn better(&self, kpi: &str) -> Better {
        match self.better.iter().find(|d| d.kpi == kpi) {
            Some(d) if d.larger => Better::Larger,
            Some(_) => Better::Smaller,
            None => Better::of(kpi.split('@').next().unwrap_or(kpi)),
        }
    }
}
