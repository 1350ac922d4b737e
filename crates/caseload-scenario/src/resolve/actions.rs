//! Staffing actions as the file writes them to the model's actions: dates to days, team
//! names to indices, each kind's fields checked.

use super::*;

pub(super) fn resolve_action(
    a: &ActionFile,
    path: &FieldPath,
    context: &Context<'_>,
) -> Checked<Vec<StaffingAction>> {
    let given = a.fields_given();
    let (required, optional) = a.kind.fields();
    let kind = kind_name(a.kind);
    let takes = || {
        let mut all: Vec<&str> = vec!["start"];
        all.extend(required.iter().filter(|f| **f != "end"));
        all.extend(optional.iter());
        if !required.contains(&"end") {
            all.push("end (optional)");
        }
        if required.contains(&"end") {
            all.push("end");
        }
        all.join(", ")
    };
    // Kinds that name one team also accept `teams`, splitting their numbers evenly.
    let splits = required.contains(&"team");
    let required: Vec<&str> = required
        .iter()
        .copied()
        .filter(|f| !(splits && *f == "team" && a.teams.is_some()))
        .collect();
    let optional: Vec<&str> = optional
        .iter()
        .copied()
        .chain(splits.then_some("teams"))
        .collect();
    if splits && a.team.is_some() && a.teams.is_some() {
        return problem(&path.key("teams"), "give `team` or `teams`, not both");
    }
    for name in given.iter().map(String::as_str) {
        if name != "end" && !required.contains(&name) && !optional.contains(&name) {
            return problem(
                &path.key(name),
                format!(
                    "`{name}` does not apply to a {kind} action, which takes {}",
                    takes()
                ),
            );
        }
    }
    for name in &required {
        if !given.iter().any(|g| g == name) {
            return problem(
                path,
                format!("a {kind} action needs `{name}` (it takes {})", takes()),
            );
        }
    }
    let cost_per_officer_day = a
        .cost_per_officer_day
        .map(|c| non_negative(&path.key("cost_per_officer_day"), c))
        .transpose()?;
    let benefit = Benefit {
        productivity_gain: non_negative(
            &path.key("productivity_gain"),
            a.productivity_gain.unwrap_or(0.0),
        )?,
        evidential_to_charge: share(
            &path.key("evidential_to_charge"),
            a.evidential_to_charge.unwrap_or(0.0),
        )?,
        half_life_days: a
            .half_life_days
            .map(|h| positive(&path.key("half_life_days"), h))
            .transpose()?,
        cost_per_trainee: non_negative(
            &path.key("cost_per_trainee"),
            a.cost_per_trainee.unwrap_or(0.0),
        )?,
    };
    let start_day = context.day(&a.start, &path.key("start"))?;
    if start_day < 0.0 {
        return problem(
            &path.key("start"),
            format!(
                "the action starts before the scenario's start ({})",
                context.start
            ),
        );
    }
    let end_day = a
        .end
        .as_ref()
        .map(|e| context.day(e, &path.key("end")))
        .transpose()?;
    if let Some(end) = end_day
        && end <= start_day
    {
        return problem(&path.key("end"), "the action ends on or before its start");
    }
    // The teams a single-team kind applies to, with each one's share of the numbers.
    let targets: Vec<usize> = match (&a.team, &a.teams) {
        (Some(t), _) if splits => vec![context.team(t, &path.key("team"))?],
        (None, Some(_)) if splits => context.team_list(&a.teams, &path.key("teams"))?,
        _ => vec![0],
    };
    if targets.is_empty() {
        return problem(&path.key("teams"), "name at least one team");
    }
    let parts = targets.len() as u32;
    let part = |n: u32, i: usize| n / parts + u32::from((i as u32) < n % parts);
    let team_list =
        |field: &str, names: &Option<TeamList>| context.team_list(names, &path.key(field));
    let count = |x: Option<u32>, field: &str| -> Checked<u32> {
        match x {
            Some(n) if n > 0 => Ok(n),
            _ => problem(&path.key(field), "expected at least 1"),
        }
    };
    let number = |x: Option<f64>, field: &str| non_negative(&path.key(field), x.unwrap_or(0.0));
    let mut kinds = Vec::new();
    for (i, &team) in targets.iter().enumerate() {
        let kind = match a.kind {
            ActionName::Overstaff => ActionKind::Overstaff {
                team,
                officers: part(count(a.officers, "officers")?, i),
            },
            ActionName::Transfer => ActionKind::Transfer {
                team,
                officers: part(count(a.officers, "officers")?, i),
            },
            ActionName::Attachment => ActionKind::Attachment {
                team,
                officers: part(count(a.officers, "officers")?, i),
                historic_only: a.historic_only.unwrap_or(false),
            },
            ActionName::FlexibleHours => ActionKind::FlexibleHours {
                team,
                hours_per_year: number(a.hours_per_year, "hours_per_year")? / f64::from(parts),
            },
            ActionName::Agency => ActionKind::Agency {
                team,
                investigators: part(count(a.investigators, "investigators")?, i),
                hours_per_year: number(a.hours_per_year, "hours_per_year")?,
                caseload_cap: count(a.caseload_cap, "caseload_cap")?,
                cost_per_day: number(a.cost_per_day, "cost_per_day")?,
            },
            ActionName::RingFence => ActionKind::RingFence { team },
            ActionName::Recruitment => ActionKind::Recruitment {
                team,
                posts: part(count(a.posts, "posts")?, i),
                in_post: a.in_post.unwrap_or(false),
            },
            ActionName::Training => {
                if a.officers.is_some() && a.share.is_some() {
                    return problem(&path.key("share"), "give `officers` or `share`, not both");
                }
                if let (Some(end), Some(days)) = (end_day, a.days_away)
                    && end - start_day < days
                {
                    return problem(
                        &path.key("end"),
                        format!(
                            "the window ({} days) is shorter than the {days} days each officer is away",
                            end - start_day
                        ),
                    );
                }
                ActionKind::Training {
                    team,
                    officers: a
                        .officers
                        .map(|_| count(a.officers, "officers").map(|n| part(n, i)))
                        .transpose()?,
                    share: share(&path.key("share"), a.share.unwrap_or(1.0))?,
                    days_away: positive(&path.key("days_away"), a.days_away.unwrap_or(0.0))?,
                    at_once: a.at_once.unwrap_or(false),
                }
            }
            _ => break,
        };
        kinds.push(kind);
    }
    let kind_value = match a.kind {
        _ if !kinds.is_empty() => None,
        ActionName::ReassignHistoric => {
            let to_team = match &a.to_team {
                Some(t) => context.team(t, &path.key("to_team"))?,
                None => return problem(path, "`to_team` is missing"),
            };
            let from_teams = team_list("from_teams", &a.from_teams)?;
            if from_teams.contains(&to_team) {
                return problem(
                    &path.key("from_teams"),
                    "the dedicated team cannot also be a team its cases come from",
                );
            }
            Some(ActionKind::ReassignHistoric {
                from_teams,
                to_team,
                include_queued: a.include_queued.unwrap_or(false),
                complex_share: a.complex_share.unwrap_or(1.0),
            })
        }
        ActionName::DailyReview => {
            let teams = team_list("teams", &a.teams)?;
            if teams.len() < 2 {
                return problem(&path.key("teams"), "pooling needs at least two teams");
            }
            Some(ActionKind::DailyReview { teams })
        }
        ActionName::MonthlyReview => {
            let teams = team_list("teams", &a.teams)?;
            if teams.is_empty() {
                return problem(&path.key("teams"), "name at least one team to review");
            }
            let from_teams = team_list("from_teams", &a.from_teams)?;
            if from_teams.is_empty() {
                return problem(
                    &path.key("from_teams"),
                    "name the teams officers are redeployed from",
                );
            }
            Some(ActionKind::MonthlyReview {
                teams,
                from_teams,
                target_caseload: positive(
                    &path.key("target_caseload"),
                    a.target_caseload.unwrap_or(0.0),
                )?,
                max_extra_officers: a.max_extra_officers.unwrap_or(0),
                posting_lag_days: number(a.posting_lag_days, "posting_lag_days")?,
            })
        }
        _ => None,
    };
    Ok(kinds
        .into_iter()
        .chain(kind_value)
        // A split can leave a team with no officers: it has nothing to do there.
        .filter(|kind| {
            !matches!(
                kind,
                ActionKind::Overstaff { officers: 0, .. }
                    | ActionKind::Transfer { officers: 0, .. }
                    | ActionKind::Attachment { officers: 0, .. }
                    | ActionKind::Agency {
                        investigators: 0,
                        ..
                    }
                    | ActionKind::Recruitment { posts: 0, .. }
                    | ActionKind::Training {
                        officers: Some(0),
                        ..
                    }
            )
        })
        .map(|kind| StaffingAction {
            start_day,
            end_day,
            kind,
            cost_per_officer_day,
            bounds: WorkBounds::default(),
            benefit: benefit.clone(),
        })
        .collect())
}

/// The work an attachment's or agency contract's officers take and what becomes of their
/// cases at its end. `types_of` gives the model case types a file case type became.
pub(super) fn resolve_bounds(
    a: &ActionFile,
    path: &FieldPath,
    context: &Context<'_>,
    types_of: &dyn Fn(&str) -> Option<Vec<usize>>,
    case_type_names: &[&str],
) -> Checked<WorkBounds> {
    let case_types = match &a.case_types {
        None => None,
        Some(names) if names.is_empty() => {
            return problem(&path.key("case_types"), "name at least one case type");
        }
        Some(names) => {
            let mut ids = Vec::new();
            for (i, name) in names.iter().enumerate() {
                match types_of(name) {
                    Some(made) => ids.extend(made),
                    None => {
                        return problem(
                            &path.key("case_types").index(i),
                            format!(
                                "no case type is named `{name}`{}",
                                suggestion(name, case_type_names.iter().copied())
                            ),
                        );
                    }
                }
            }
            Some(ids)
        }
    };
    let on_end = match &a.on_end {
        None | Some(OnEndFile::Return) => OnEnd::Return,
        Some(OnEndFile::Keep) => OnEnd::Keep,
        Some(OnEndFile::HandTo(team)) => {
            OnEnd::HandTo(context.team(team, &path.key("on_end").key("hand_to"))?)
        }
    };
    Ok(WorkBounds {
        case_types,
        finish_before_end: a.finish_before_end.unwrap_or(false),
        active_limit: match a.active_limit {
            Some(0) => return problem(&path.key("active_limit"), "expected at least 1 case"),
            limit => limit,
        },
        stages: match &a.stages {
            Some(stages) if stages.is_empty() => {
                return problem(&path.key("stages"), "name at least one stage");
            }
            stages => stages.clone(),
        },
        on_end,
    })
}

pub(super) fn kind_name(kind: ActionName) -> &'static str {
    match kind {
        ActionName::Overstaff => "overstaff",
        ActionName::Transfer => "transfer",
        ActionName::Attachment => "attachment",
        ActionName::FlexibleHours => "flexible_hours",
        ActionName::Agency => "agency",
        ActionName::ReassignHistoric => "reassign_historic",
        ActionName::DailyReview => "daily_review",
        ActionName::MonthlyReview => "monthly_review",
        ActionName::RingFence => "ring_fence",
        ActionName::Recruitment => "recruitment",
        ActionName::Training => "training",
    }
}
