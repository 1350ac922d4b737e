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
    /// The decision period the daily charts show, first and last date; `None`: the whole
    /// run, warm-up shaded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<[time::Date; 2]>,
    /// Whether each team's small chart has its own y scale (by default they share one).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub own_scales: bool,
}

impl ReportAsk {
    /// The decision period as day indices into `dates` (ISO dates, one per day from the
    /// run's start): the first day on or after its start and the last on or before its end;
    /// `None` without a period or where it misses the run.
    pub fn period_days(&self, dates: &[String]) -> Option<(f64, f64)> {
        let [start, end] = self.period?;
        let (start, end) = (start.to_string(), end.to_string());
        let first = dates.partition_point(|d| *d < start);
        let last = dates.partition_point(|d| *d <= end).checked_sub(1)?;
        (first < last).then_some((first as f64, last as f64))
    }

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

#[cfg(test)]
mod tests {
    use super::ReportAsk;
    use time::macros::date;

    #[test]
    fn the_decision_period_is_the_days_it_covers() {
        let dates: Vec<String> = (0..10)
            .map(|d| (date!(2014 - 03 - 28) + time::Duration::days(d)).to_string())
            .collect();
        let asked = |start, end| ReportAsk {
            period: Some([start, end]),
            ..ReportAsk::default()
        };
        // 2014-04-01 is day 4; 2014-04-05 day 8.
        assert_eq!(
            asked(date!(2014 - 04 - 01), date!(2014 - 04 - 05)).period_days(&dates),
            Some((4.0, 8.0))
        );
        // Cut to the run: from before its start to after its end is every day.
        assert_eq!(
            asked(date!(2013 - 01 - 01), date!(2020 - 01 - 01)).period_days(&dates),
            Some((0.0, 9.0))
        );
        assert_eq!(
            asked(date!(2015 - 01 - 01), date!(2016 - 01 - 01)).period_days(&dates),
            None
        );
        assert_eq!(ReportAsk::default().period_days(&dates), None);
    }
}
