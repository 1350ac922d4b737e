//! A team as the file writes it (with `[team_defaults]`) to the model's team.

use super::*;

pub(super) fn resolve_team(
    name: &str,
    team: &TeamFile,
    defaults: &TeamFile,
    context: &Context<'_>,
    horizon: f64,
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
    let load_cost = match team.load_cost.as_ref().or(defaults.load_cost.as_ref()) {
        Some(l) => {
            let p = path.key("load_cost");
            Some(LoadCost {
                comfortable_caseload: l.comfortable_caseload,
                hours_lost_per_week_per_case: non_negative(
                    &p.key("hours_lost_per_week_per_case"),
                    l.hours_lost_per_week_per_case,
                )?,
                poor_outcome_per_case: share(
                    &p.key("poor_outcome_per_case"),
                    l.poor_outcome_per_case,
                )?,
            })
        }
        None => None,
    };
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
        redeployment_share: share(
            &path.key("redeployment_share"),
            team.redeployment_share
                .or(defaults.redeployment_share)
                .unwrap_or(0.0),
        )?,
        recruitment: recruitment
            .map(|r| {
                let p = path.key("recruitment");
                let panels = match (r.interval_days, &r.panels) {
                    (Some(_), Some(_)) => {
                        return problem(
                            &p.key("panels"),
                            "give `interval_days` or `panels`, not both",
                        );
                    }
                    (Some(interval), None) => Panels::Every {
                        interval_days: at_least(
                            &p.key("interval_days"),
                            interval,
                            caseload_model::MIN_PANEL_INTERVAL_DAYS,
                        )?,
                    },
                    (None, Some(dates)) => {
                        let mut days: Vec<f64> = Vec::with_capacity(dates.len());
                        for (i, date) in dates.iter().enumerate() {
                            let at = p.key("panels").index(i);
                            let day = context.day(date, &at)?;
                            if day < 0.0 || days.last().is_some_and(|&d| day <= d) {
                                return problem(
                                    &at,
                                    "expected dates on or after the start, ascending, each once",
                                );
                            }
                            days.push(day);
                        }
                        Panels::On(days)
                    }
                    (None, None) => Panels::On(first_of_each_month(context.start, horizon)),
                };
                Ok(Recruitment {
                    panels,
                    lag_days: non_negative(&p.key("lag_days"), r.lag_days)?,
                    cost_per_recruit: non_negative(&p.key("cost_per_recruit"), r.cost_per_recruit)?,
                    fill_share: match r.fill_share {
                        Some(f) => positive(&p.key("fill_share"), f)
                            .and_then(|f| share(&p.key("fill_share"), f))?,
                        None => 1.0,
                    },
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
                    course_places: match n.course_places {
                        Some(0) => return problem(&p.key("course_places"), "expected at least 1"),
                        places => places,
                    },
                    shared_course: n.shared_course,
                })
            })
            .transpose()?,
        cost_per_day: non_negative(
            &path.key("cost_per_day"),
            team.cost_per_day.or(defaults.cost_per_day).unwrap_or(0.0),
        )?,
        load_cost,
        productivity: positive(
            &path.key("productivity"),
            team.productivity.or(defaults.productivity).unwrap_or(1.0),
        )?,
        evidential_to_charge: share(
            &path.key("evidential_to_charge"),
            team.evidential_to_charge
                .or(defaults.evidential_to_charge)
                .unwrap_or(0.0),
        )?,
        experience: match team.experience.as_ref().or(defaults.experience.as_ref()) {
            None => Vec::new(),
            Some(points) => {
                let p = path.key("experience");
                let mut curve: Vec<(f64, f64)> = Vec::with_capacity(points.len());
                for (i, &[months, productivity]) in points.iter().enumerate() {
                    let at = p.index(i);
                    let months = non_negative(&at, months)?;
                    if curve.last().is_some_and(|&(m, _)| months <= m) {
                        return problem(&at, "expected months in post ascending, each once");
                    }
                    curve.push((months, positive(&at, productivity)?));
                }
                curve
            }
        },
        experience_charge_loss: non_negative(
            &path.key("experience_charge_loss"),
            team.experience_charge_loss
                .or(defaults.experience_charge_loss)
                .unwrap_or(0.0),
        )?,
        supervision_ratio: non_negative(
            &path.key("supervision_ratio"),
            team.supervision_ratio
                .or(defaults.supervision_ratio)
                .unwrap_or(0.0),
        )?,
        discipline: match team.discipline.or(defaults.discipline) {
            None | Some(DisciplineFile::Equal) => Discipline::Equal,
            Some(DisciplineFile::Priority) => Discipline::Priority,
        },
        active_limit: match team.active_limit.or(defaults.active_limit) {
            Some(0) => return problem(&path.key("active_limit"), "expected at least 1 case"),
            limit => limit,
        },
    })
}

/// The days of the run that fall on the first of a calendar month (day 0 if the run starts on
/// one), before `horizon`.
fn first_of_each_month(start: Date, horizon: f64) -> Vec<f64> {
    let mut days = Vec::new();
    let mut date = start.replace_day(1).unwrap_or(start);
    if date < start {
        date = next_month(date);
    }
    loop {
        let day = (date - start).whole_days() as f64;
        if day >= horizon {
            break;
        }
        days.push(day);
        date = next_month(date);
    }
    days
}

fn next_month(first: Date) -> Date {
    let (year, month) = match first.month() {
        time::Month::December => (first.year() + 1, time::Month::January),
        m => (first.year(), m.next()),
    };
    Date::from_calendar_date(year, month, 1).unwrap_or(Date::MAX)
}
