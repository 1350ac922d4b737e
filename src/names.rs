//! Finding a KPI by the name a user typed.

use anyhow::bail;
use caseload_experiment::KpiDef;

/// The index of the KPI `name` among `defs`: `kpi` for all teams, `kpi@team` for one team.
/// A name with the same words in another order (`p90_days_to_allocate` for
/// `days_to_allocate_p90`) is accepted; anything else is an error naming the closest KPI.
pub fn find_kpi(defs: &[KpiDef], name: &str) -> anyhow::Result<usize> {
    if let Some(k) = defs.iter().position(|d| d.key() == name) {
        return Ok(k);
    }
    let (name, team) = match name.split_once('@') {
        Some((kpi, team)) => (kpi, Some(team)),
        None => (name, None),
    };
    let words = |s: &str| {
        let mut w: Vec<String> = s.split('_').map(str::to_lowercase).collect();
        w.sort();
        w
    };
    let wanted = words(name);
    if let Some(k) = defs
        .iter()
        .position(|d| words(&d.name) == wanted && d.team.as_deref() == team)
    {
        return Ok(k);
    }
    let keys: Vec<String> = defs.iter().map(KpiDef::key).collect();
    let typed = match team {
        Some(team) => format!("{name}@{team}"),
        None => name.to_string(),
    };
    bail!(
        "no KPI is named `{typed}`{}",
        caseload_scenario::suggestion(&typed, keys.iter().map(String::as_str))
    )
}
