//! Case types: their stages, duration distributions and demand (Poisson with growth,
//! seasonality and steps, or a trace of counts read from a CSV file).

use super::*;

pub(super) fn resolve_case_type(
    key: u64,
    name: &str,
    case_type: &CaseTypeFile,
    context: &Context<'_>,
) -> Checked<Vec<CaseType>> {
    let path = FieldPath::root().key("case_types").key(name);
    let routes: Vec<(usize, f64)> = match (&case_type.team, &case_type.teams) {
        (Some(team), None) => vec![(context.team(team, &path.key("team"))?, 1.0)],
        (None, Some(TeamShares::Shares(shares))) => context.shares(shares, &path.key("teams"))?,
        (None, Some(TeamShares::Group(name))) => {
            let group = context.group(name, &path.key("teams"))?;
            context.shares(group, &FieldPath::root().key("team_groups").key(name))?
        }
        (Some(_), Some(_)) => {
            return problem(&path.key("teams"), "give `team` or `teams`, not both");
        }
        (None, _) => {
            return problem(
                &path,
                "`team` is missing (the team that receives these referrals, or `teams` with shares)",
            );
        }
    };
    let escalate_after_days = case_type
        .escalate_after_days
        .map(|d| positive(&path.key("escalate_after_days"), d))
        .transpose()?;
    if case_type.escalate_to > case_type.priority {
        return problem(
            &path.key("escalate_to"),
            format!(
                "escalation raises priority toward 0, so `escalate_to` ({}) cannot be less \
                 urgent than the arrival priority ({})",
                case_type.escalate_to, case_type.priority
            ),
        );
    }
    let historic_share = share(&path.key("historic_share"), case_type.historic_share)?;
    if case_type.stages.is_empty() {
        return problem(
            &path.key("stages"),
            "at least one stage is needed, e.g. [{ work = { dist = \"exponential\", mean = 40 } }]",
        );
    }
    let stages = case_type
        .stages
        .iter()
        .enumerate()
        .map(|(i, stage)| resolve_stage(stage, &path.key("stages").index(i)))
        .collect::<Checked<Vec<_>>>()?;
    let mut standard = None;
    for (i, stage) in case_type.stages.iter().enumerate() {
        if let Some(days) = stage.standard_days {
            let at = path.key("stages").index(i).key("standard_days");
            if standard.is_some() {
                return problem(&at, "a case type carries at most one stage standard");
            }
            standard = Some(StageStandard {
                stage: i,
                days: positive(&at, days)?,
            });
        }
    }
    let withdrawal = case_type
        .withdrawal
        .as_ref()
        .map(|d| resolve_dist(d, &path.key("withdrawal")))
        .transpose()?;
    let outcomes = case_type
        .outcomes
        .as_ref()
        .map(|o| resolve_outcomes(o, &path.key("outcomes")))
        .transpose()?;
    let triage = case_type
        .triage
        .as_ref()
        .map(|t| {
            let p = path.key("triage");
            Ok(Triage {
                share: share(&p.key("share"), t.share.unwrap_or(1.0))?,
                work: resolve_dist(&t.work, &p.key("work"))?,
                close_share: share(&p.key("close_share"), t.close_share)?,
            })
        })
        .transpose()?;
    let harm_weight = non_negative(
        &path.key("harm_weight"),
        case_type.harm_weight.unwrap_or(1.0),
    )?;
    let wait_steps = resolve_steps(&case_type.wait_steps, &path.key("wait_steps"), context)?;
    let demand_path = path.key("demand");
    let demand = resolve_demand(&case_type.demand, &demand_path, context, key, name)?;
    if routes.len() > 1 && matches!(demand, Demand::Trace { .. }) {
        return problem(
            &demand_path.key("trace"),
            "a trace of counts cannot be split across teams: give one `team`",
        );
    }
    Ok(routes
        .iter()
        .map(|&(team, share_of)| CaseType {
            name: if routes.len() == 1 {
                name.to_string()
            } else {
                format!(
                    "{name}@{}",
                    context.teams.get_index(team).map_or("", |t| t.0)
                )
            },
            demand: match &demand {
                Demand::Poisson(p) => Demand::Poisson(PoissonDemand {
                    annual_rate: p.annual_rate * share_of,
                    ..p.clone()
                }),
                trace => trace.clone(),
            },
            priority: case_type.priority,
            escalate_after_days,
            escalate_to: case_type.escalate_to,
            stages: stages.clone(),
            team,
            historic_share,
            withdrawal: withdrawal.clone(),
            outcomes: outcomes.clone(),
            standard,
            triage: triage.clone(),
            harm_weight,
            wait_steps: wait_steps.clone(),
        })
        .collect())
}

fn resolve_outcomes(o: &OutcomesFile, path: &FieldPath) -> Checked<Outcomes> {
    let outcomes = Outcomes {
        charge: share(&path.key("charge"), o.charge)?,
        nfa_evidential: share(&path.key("nfa_evidential"), o.nfa_evidential)?,
        nfa_victim: share(&path.key("nfa_victim"), o.nfa_victim)?,
        nfa_victim_per_year: non_negative(&path.key("nfa_victim_per_year"), o.nfa_victim_per_year)?,
    };
    let sum = outcomes.charge + outcomes.nfa_evidential + outcomes.nfa_victim;
    if (sum - 1.0).abs() > 1e-9 {
        return problem(
            path,
            format!("the shares of charge, nfa_evidential and nfa_victim sum to {sum}, expected 1"),
        );
    }
    Ok(outcomes)
}

pub(super) fn resolve_stage(stage: &StageFile, path: &FieldPath) -> Checked<Stage> {
    match (&stage.work, &stage.wait) {
        (Some(work), None) => Ok(Stage::Work(resolve_dist(work, &path.key("work"))?)),
        (None, Some(wait)) => Ok(Stage::Wait(resolve_dist(wait, &path.key("wait"))?)),
        _ => problem(
            path,
            "a stage is exactly one of `work` (hours) or `wait` (days), e.g. { wait = { dist = \"fixed\", value = 30 } }",
        ),
    }
}

/// Converts a distribution as written, checking that its parameters fit its name.
pub(crate) fn resolve_dist(d: &DistFile, path: &FieldPath) -> Checked<Dist> {
    let given = [
        ("mean", d.mean.is_some()),
        ("cv", d.cv.is_some()),
        ("median", d.median.is_some()),
        ("p75", d.p75.is_some()),
        ("value", d.value.is_some()),
        ("low", d.low.is_some()),
        ("high", d.high.is_some()),
        ("values", d.values.is_some()),
    ];
    let allowed = d.dist.parameters();
    if let Some((name, _)) = given
        .iter()
        .find(|(name, set)| *set && !allowed.contains(name))
    {
        return problem(
            &path.key(name),
            format!(
                "`{name}` does not apply to a {:?} distribution, which takes {}",
                d.dist,
                allowed.join(", ")
            )
            .to_lowercase(),
        );
    }
    let need = |x: Option<f64>, name: &str| {
        x.ok_or_else(|| Problem {
            path: path.clone(),
            message: format!(
                "a {} distribution needs `{name}`",
                format!("{:?}", d.dist).to_lowercase()
            ),
        })
    };
    let made = match d.dist {
        DistName::Fixed => Dist::fixed(need(d.value, "value")?),
        DistName::Exponential => Dist::exponential(need(d.mean, "mean")?),
        DistName::Lognormal => match (d.mean, d.cv, d.median, d.p75) {
            (Some(mean), Some(cv), None, None) => Dist::lognormal(mean, cv),
            (None, None, Some(median), Some(p75)) => Dist::lognormal_from_median_p75(median, p75),
            _ => {
                return problem(
                    path,
                    "a lognormal distribution needs `mean` and `cv`, or `median` and `p75`",
                );
            }
        },
        DistName::Gamma => Dist::gamma(need(d.mean, "mean")?, need(d.cv, "cv")?),
        DistName::Uniform => Dist::uniform(need(d.low, "low")?, need(d.high, "high")?),
        DistName::Empirical => match &d.values {
            Some(values) => Dist::empirical(values.clone()),
            None => return problem(path, "an empirical distribution needs `values`"),
        },
    };
    made.or_else(|err| problem(path, err.to_string()))
}

/// The draws' key of the uncertainty of fitted series `name`: an FNV-1a hash of the name with
/// the top bit set, so it never meets a case type's own key (its position in the file).
fn series_key(name: &str) -> u64 {
    let hash = name.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    hash | (1 << 63)
}

/// Dated multipliers (demand's `steps`, a case type's `wait_steps`) as days from the start.
fn resolve_steps(
    steps: &[crate::file::DemandStepFile],
    path: &FieldPath,
    context: &Context<'_>,
) -> Checked<Vec<DemandStep>> {
    let mut resolved = Vec::new();
    for (i, step) in steps.iter().enumerate() {
        let p = path.index(i);
        let start_day = context.day(&step.start, &p.key("start"))?;
        let end_day = step
            .end
            .as_ref()
            .map(|e| context.day(e, &p.key("end")))
            .transpose()?;
        if end_day.is_some_and(|e| e <= start_day) {
            return problem(&p.key("end"), "the step ends on or before its start");
        }
        resolved.push(DemandStep {
            start_day: start_day.max(0.0),
            end_day: end_day.map(|e| e.max(0.0)),
            multiplier: non_negative(&p.key("multiplier"), step.multiplier)?,
        });
    }
    Ok(resolved)
}

/// A demand as written to the model's; `uncertainty_key` keys its per-replication draws (the
/// case type's position in the file, shared by the teams it is split over); `name` is the
/// case type's, the series a counts file trace replays by default.
pub(super) fn resolve_demand(
    d: &DemandFile,
    path: &FieldPath,
    context: &Context<'_>,
    uncertainty_key: u64,
    name: &str,
) -> Checked<Demand> {
    match (&d.annual_rate, &d.trace) {
        (Some(rate), None) => {
            let annual_rate = non_negative(&path.key("annual_rate"), *rate)?;
            let annual_growth = finite(
                &path.key("annual_growth"),
                d.annual_growth,
                -0.999_999,
                "a growth rate above -1 (0.08 is +8 % a year)",
            )?;
            let monthly_seasonality = match &d.monthly_seasonality {
                None => Vec::new(),
                Some(m) if m.len() == 12 => {
                    for (i, x) in m.iter().enumerate() {
                        non_negative(&path.key("monthly_seasonality").index(i), *x)?;
                    }
                    m.clone()
                }
                Some(m) => {
                    return problem(
                        &path.key("monthly_seasonality"),
                        format!(
                            "expected 12 multipliers (January to December), got {}",
                            m.len()
                        ),
                    );
                }
            };
            let steps = resolve_steps(&d.steps, &path.key("steps"), context)?;
            let uncertainty = match &d.uncertainty {
                None => None,
                Some(u) => {
                    let p = path.key("uncertainty");
                    if !(-1.0..=1.0).contains(&u.correlation) {
                        return problem(
                            &p.key("correlation"),
                            format!("expected a correlation from -1 to 1, got {}", u.correlation),
                        );
                    }
                    let key = match u.series.as_deref().map(str::trim) {
                        None => uncertainty_key,
                        Some("") => {
                            return problem(
                                &p.key("series"),
                                "expected the name of the fitted series, e.g. \"serious_sexual\"",
                            );
                        }
                        Some(name) => series_key(name),
                    };
                    Some(DemandUncertainty {
                        rate_log_sd: non_negative(&p.key("rate_log_sd"), u.rate_log_sd)?,
                        growth_log_sd: non_negative(&p.key("growth_log_sd"), u.growth_log_sd)?,
                        correlation: u.correlation,
                        key,
                    })
                }
            };
            Ok(Demand::Poisson(PoissonDemand {
                annual_rate,
                annual_growth,
                monthly_seasonality,
                steps,
                uncertainty,
            }))
        }
        (None, Some(trace)) => {
            let p = path.key("trace");
            let ignored = [
                ("annual_growth", d.annual_growth != 0.0),
                ("monthly_seasonality", d.monthly_seasonality.is_some()),
                ("steps", !d.steps.is_empty()),
                ("uncertainty", d.uncertainty.is_some()),
            ];
            if let Some((name, _)) = ignored.iter().find(|(_, set)| *set) {
                return problem(
                    &path.key(name),
                    format!("`{name}` does not apply to a trace of counts"),
                );
            }
            if let Some(file) = &trace.counts_file {
                if trace.counts.is_some() || trace.file.is_some() || trace.period_days.is_some() {
                    return problem(
                        &p.key("counts_file"),
                        "a counts file by calendar period takes no `counts`, `file` or \
                         `period_days`",
                    );
                }
                let series = trace.series.as_deref().unwrap_or(name);
                return calendar_trace(&context.base_dir.join(file), series, &p, context);
            }
            if trace.series.is_some() {
                return problem(&p.key("series"), "`series` goes with `counts_file`");
            }
            let Some(period_days) = trace.period_days else {
                return problem(&p, "`period_days` is missing (the length of each period)");
            };
            let period_days = positive(&p.key("period_days"), period_days)?;
            let counts = match (&trace.counts, &trace.file) {
                (Some(counts), None) => counts.clone(),
                (None, Some(file)) => read_counts(&context.base_dir.join(file), &p.key("file"))?,
                _ => return problem(&p, "give `counts` or `file`, one of them"),
            };
            if counts.is_empty() {
                return problem(&p, "the trace has no counts");
            }
            Ok(Demand::Trace {
                period_days,
                counts,
                boundaries: Vec::new(),
            })
        }
        (Some(_), Some(_)) => problem(
            &path.key("trace"),
            "give `annual_rate` or `trace`, not both",
        ),
        (None, None) => problem(
            path,
            "`annual_rate` is missing (referrals per year), or give a `trace` of counts",
        ),
    }
}

pub(super) fn read_counts(file: &Path, path: &FieldPath) -> Checked<Vec<u32>> {
    let bytes = crate::load::read_bounded(file, crate::load::MAX_DATA_FILE_BYTES)
        .or_else(|err| problem(path, format!("{}: {err}", file.display())))?;
    let text = String::from_utf8(bytes)
        .or_else(|_| problem(path, format!("{}: not UTF-8 text", file.display())))?;
    let mut counts = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let cell = line.split(',').next().unwrap_or("").trim();
        if cell.is_empty() || (i == 0 && cell.eq_ignore_ascii_case("count")) {
            continue;
        }
        match cell.parse() {
            Ok(n) => counts.push(n),
            Err(_) => {
                return problem(
                    path,
                    format!(
                        "{} line {}: expected a whole number of referrals, got `{cell}`",
                        file.display(),
                        i + 1
                    ),
                );
            }
        }
    }
    Ok(counts)
}

/// A trace of counts by calendar month or year: the periods of `series` in the counts file
/// from the scenario's start on, consecutive, each replayed over its own days.
fn calendar_trace(
    file: &Path,
    series: &str,
    path: &FieldPath,
    context: &Context<'_>,
) -> Checked<Demand> {
    let at = path.key("counts_file");
    let all = caseload_fit::read_counts(file).or_else(|e| problem(&at, e.to_string()))?;
    let Some(found) = all.iter().find(|s| s.label() == series) else {
        let names: Vec<String> = all.iter().map(caseload_fit::Series::label).collect();
        return problem(
            &path.key("series"),
            format!(
                "{} has no series `{series}`{} (it has {})",
                file.display(),
                suggestion(series, names.iter().map(String::as_str)),
                names.join(", ")
            ),
        );
    };
    let day = |d: Date| (d - context.start).whole_days() as f64;
    let kept: Vec<&caseload_fit::Observation> = found
        .observations
        .iter()
        .filter(|o| day(o.end) > 0.0)
        .collect();
    let Some(first) = kept.first() else {
        return problem(
            &at,
            format!("every count of `{series}` is before the scenario's start"),
        );
    };
    if day(first.start) < 0.0 {
        return problem(
            &at,
            format!(
                "the period from {} straddles the scenario's start ({}): start the scenario \
                 on a period's first day",
                first.start, context.start
            ),
        );
    }
    let mut boundaries = vec![day(first.start)];
    let mut counts = Vec::with_capacity(kept.len());
    for pair in kept.windows(2) {
        if pair[0].end != pair[1].start {
            return problem(
                &at,
                format!(
                    "`{series}` has no count from {} to {}: a trace replays consecutive periods",
                    pair[0].end, pair[1].start
                ),
            );
        }
    }
    for o in &kept {
        counts.push(
            u32::try_from(o.count)
                .or_else(|_| problem(&at, format!("the count of {} is too large", o.start)))?,
        );
        boundaries.push(day(o.end));
    }
    Ok(Demand::Trace {
        period_days: 0.0,
        counts,
        boundaries,
    })
}
