//! Finding a KPI by the name a user typed.

use anyhow::bail;
use caseload_experiment::KpiDef;

/// The index of the KPI `name` among `defs`. A name with the same words in another order
/// (`p90_days_to_allocate` for `days_to_allocate_p90`) is accepted; anything else is an error
/// naming the closest KPI.
pub fn find_kpi(defs: &[KpiDef], name: &str) -> anyhow::Result<usize> {
    if let Some(k) = defs.iter().position(|d| d.name == name) {
        return Ok(k);
    }
    let words = |s: &str| {
        let mut w: Vec<String> = s.split('_').map(str::to_lowercase).collect();
        w.sort();
        w
    };
    let wanted = words(name);
    if let Some(k) = defs.iter().position(|d| words(&d.name) == wanted) {
        return Ok(k);
    }
    bail!(
        "no KPI is named `{name}`{}",
        caseload_scenario::suggestion(name, defs.iter().map(|d| d.name.as_str()))
    )
}
