//! Finding things by the names users type: a KPI by its name (words in any order), and the
//! closest valid name to suggest when a name is unknown.

use crate::measure::kpi::KpiDef;

/// The hint ending a message about an unknown name: the closest of `candidates` if one is
/// close, else the list of them.
pub fn suggestion<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> String {
    let candidates: Vec<&str> = candidates.collect();
    let best = candidates
        .iter()
        .map(|c| (strsim::jaro_winkler(name, c), *c))
        .max_by(|a, b| a.0.total_cmp(&b.0));
    match best {
        Some((score, c)) if score >= 0.8 => format!("; did you mean `{c}`?"),
        _ if candidates.is_empty() => String::new(),
        _ => format!(
            " (expected one of {})",
            candidates
                .iter()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// A KPI name that names no KPI of the design.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no KPI is named `{name}`{suggestion}")]
pub struct UnknownKpi {
    /// The name as typed.
    pub name: String,
    /// `; did you mean ...?` or the list of KPIs.
    pub suggestion: String,
}

/// The index of the KPI `name` among `defs`: `kpi` for all teams, `kpi@team` for one team.
/// A name with the same words in another order (`p90_days_to_allocate` for
/// `days_to_allocate_p90`) is accepted; anything else is an error naming the closest KPI.
pub fn find_kpi(defs: &[KpiDef], name: &str) -> Result<usize, UnknownKpi> {
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
    Err(UnknownKpi {
        suggestion: suggestion(&typed, keys.iter().map(String::as_str)),
        name: typed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_names_are_suggested() {
        assert_eq!(
            suggestion("backlog_nd", ["backlog_end", "cost"].into_iter()),
            "; did you mean `backlog_end`?"
        );
        assert_eq!(
            suggestion("zzz", ["backlog_end", "cost"].into_iter()),
            " (expected one of `backlog_end`, `cost`)"
        );
        assert_eq!(suggestion("x", std::iter::empty()), "");
    }
}
