//! A team as the file writes it (with `[team_defaults]`) to the model's team.

use super::*;

pub(super) fn resolve_team(
    name: &str,
    team: &TeamFile,
    defaults: &TeamFile,
) -> Checked<TeamConfig> {
    let path = FieldPath::root().key("teams").key(name);
    let missing = |field: &str| Problem {
        path: path.clone(),
        message: format!("`{field}` is missing (set it here or in [team_defaults])"),
    };
    let establishment = team
        .establishment
        .or(defaults.establishment)
        .ok_or_else(|| missing("establishment"))?;
    let caseload_cap = team
        .caseload_cap
        .or(defaults.caseload_cap)
        .ok_or_else(|| missing("caseload_cap"))?;
    if caseload_cap == 0 {
        return problem(&path.key("caseload_cap"), "expected at least 1 case");
    }
    let hours = team
        .contracted_hours_per_year
        .or(defaults.contracted_hours_per_year)
        .ok_or_else(|| missing("contracted_hours_per_year"))?;
    let recruitment = team.recruitment.as_ref().or(defaults.recruitment.as_ref());
    let new_starters = team
        .new_starters
        .as_ref()
        .or(defaults.new_starters.as_ref());
    Ok(TeamConfig {
        name: name.to_string(),
        establishment,
        strength: team.strength.or(defaults.strength).unwrap_or(establishment),
        caseload_cap,
        contracted_hours_per_year: positive(&path.key("contracted_hours_per_year"), hours)?,
        abstraction: share(
            &path.key("abstraction"),
            team.abstraction.or(defaults.abstraction).unwrap_or(0.0),
        )?,
        other_duties: share(
            &path.key("other_duties"),
            team.other_duties.or(defaults.other_duties).unwrap_or(0.0),
        )?,
        attrition_per_year: non_negative(
            &path.key("attrition_per_year"),
            team.attrition_per_year
                .or(defaults.attrition_per_year)
                .unwrap_or(0.0),
        )?,
        recruitment: recruitment
            .map(|r| {
                let p = path.key("recruitment");
                Ok(Recruitment {
                    interval_days: at_least(
                        &p.key("interval_days"),
                        r.interval_days,
                        caseload_model::MIN_PANEL_INTERVAL_DAYS,
                    )?,
                    lag_days: non_negative(&p.key("lag_days"), r.lag_days)?,
                })
            })
            .transpose()?,
        new_starters: new_starters
            .map(|n| {
                let p = path.key("new_starters");
                Ok(NewStarters {
                    course_days: non_negative(&p.key("course_days"), n.course_days)?,
                    ramp_up_days: non_negative(&p.key("ramp_up_days"), n.ramp_up_days)?,
                    ramp_up_productivity: share(
                        &p.key("ramp_up_productivity"),
                        n.ramp_up_productivity,
                    )?,
                })
            })
            .transpose()?,
        cost_per_day: non_negative(
            &path.key("cost_per_day"),
            team.cost_per_day.or(defaults.cost_per_day).unwrap_or(0.0),
        )?,
    })
}
