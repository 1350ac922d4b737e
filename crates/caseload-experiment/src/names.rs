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

/// The parts a KPI's name packs into one string, e.g. `waiting_age_p90_at_2019-10-01_priority_1`
/// is the measure `waiting_age_p90_at` for priority 1 on 2019-10-01.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct KpiParts {
    /// The name without its priority, case type and date.
    pub measure: String,
    /// The priority level it is taken for, if one.
    pub priority: Option<u32>,
    /// The case type it is taken for, if one (as the scenario names it).
    pub case_type: Option<String>,
    /// The date it is taken on or the period it starts (ISO), if one.
    pub date: Option<String>,
}

impl KpiParts {
    /// The parts of the KPI `name` (without its `@team`), given the scenario's case-type
    /// names: a `_priority_P` suffix, a `_TYPE` suffix (the longest name that fits) and an
    /// ISO date after `_` (as in `_at_2019-10-01` or `hours_deficit_2017-04-01`).
    pub fn of(name: &str, case_types: &[String]) -> KpiParts {
        let mut rest = name;
        let mut priority = None;
        if let Some((head, p)) = rest.rsplit_once("_priority_")
            && let Ok(p) = p.parse::<u32>()
        {
            priority = Some(p);
            rest = head;
        }
        let mut case_type = None;
        let mut longest = 0;
        for t in case_types {
            if t.len() > longest
                && let Some(head) = rest.strip_suffix(t.as_str())
                && let Some(head) = head.strip_suffix('_')
                && !head.is_empty()
            {
                longest = t.len();
                case_type = Some((t.clone(), head));
            }
        }
        let case_type = case_type.map(|(t, head)| {
            rest = head;
            t
        });
        let mut date = None;
        if let Some((head, tail)) = rest.rsplit_once('_')
            && crate::calendar::parse_date(tail).is_some()
        {
            date = Some(tail.to_string());
            rest = head;
        }
        KpiParts {
            measure: rest.to_string(),
            priority,
            case_type,
            date,
        }
    }
}

#[cfg(test)]
mod parts_tests {
    use super::KpiParts;

    #[test]
    fn a_name_splits_into_its_measure_priority_case_type_and_date() {
        let types = ["child_sexual_assault".to_string(), "assault".to_string()];
        let parts = |name| KpiParts::of(name, &types);
        assert_eq!(
            parts("waiting_age_p90_at_2019-10-01_priority_1"),
            KpiParts {
                measure: "waiting_age_p90_at".into(),
                priority: Some(1),
                case_type: None,
                date: Some("2019-10-01".into()),
            }
        );
        let csa = parts("days_to_outcome_median_child_sexual_assault");
        assert_eq!(csa.measure, "days_to_outcome_median");
        assert_eq!(
            csa.case_type.as_deref(),
            Some("child_sexual_assault"),
            "the longest"
        );
        let deficit = parts("hours_deficit_2017-04-01");
        assert_eq!(
            (deficit.measure.as_str(), deficit.date.as_deref()),
            ("hours_deficit", Some("2017-04-01"))
        );
        assert_eq!(
            parts("backlog_end"),
            KpiParts {
                measure: "backlog_end".into(),
                ..KpiParts::default()
            }
        );
        assert_eq!(parts("waiting_end_priority_0").priority, Some(0));
    }
}
