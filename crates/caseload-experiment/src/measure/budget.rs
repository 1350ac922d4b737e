//! A design checked against what a run may take, before it starts: its length, the officers
//! in post, the referrals expected per replication and the daily series kept, and its shape
//! (teams and case types the observer can record).

use caseload_model::ActionKind;

use crate::design::Design;
use crate::measure::limits::{
    LimitError, Limits, MAX_TEAMS_OR_CASE_TYPES, exceeded, expected_referrals,
};

impl Design {
    /// Checks that the design has at most [`MAX_TEAMS_OR_CASE_TYPES`] teams and case type
    /// names, a bound no limits lift.
    pub(crate) fn check_shape(&self) -> Result<(), LimitError> {
        for (field, count) in [
            ("teams", self.model.teams.len()),
            ("case_types", self.case_type_names().len()),
        ] {
            if count > MAX_TEAMS_OR_CASE_TYPES {
                // No hint: --allow-large does not lift this bound.
                return Err(LimitError::Exceeded {
                    field: field.into(),
                    estimate: format!("{count} {field}"),
                    limit: format!("{MAX_TEAMS_OR_CASE_TYPES}"),
                    hint: "",
                });
            }
        }
        Ok(())
    }

    /// Checks the design against `limits` before running: the run's length, the officers in
    /// post, the referrals expected per replication (by case type) and the daily series kept;
    /// and its shape ([`MAX_TEAMS_OR_CASE_TYPES`]).
    pub fn check_limits(&self, limits: &Limits) -> Result<(), LimitError> {
        self.check_shape()?;
        let model = &self.model;
        if model.horizon_days > limits.max_days {
            return Err(exceeded(
                "scenario.end",
                format!("a run of {:.0} days", model.horizon_days),
                format!("{:.0} days", limits.max_days),
            ));
        }
        // The days referrals are indexed over reach back to the oldest starting case.
        let oldest = model
            .starting_backlog
            .iter()
            .map(|c| c.age_days)
            .fold(0.0f64, f64::max);
        if model.horizon_days + oldest > limits.max_days {
            return Err(exceeded(
                "starting_backlog.age_days",
                format!(
                    "a starting case {oldest:.0} days old, so {:.0} days of referrals to follow",
                    model.horizon_days + oldest
                ),
                format!("{:.0} days", limits.max_days),
            ));
        }
        // Officers at the start, plus every officer or post the staffing actions may add.
        let added: u64 = model
            .actions
            .iter()
            .map(|a| match &a.kind {
                ActionKind::Overstaff { officers, .. }
                | ActionKind::Transfer { officers, .. }
                | ActionKind::Attachment { officers, .. } => u64::from(*officers),
                ActionKind::Agency { investigators, .. } => u64::from(*investigators),
                ActionKind::MonthlyReview {
                    max_extra_officers, ..
                } => u64::from(*max_extra_officers) * model.teams.len() as u64,
                ActionKind::Recruitment { posts, .. } => u64::from(*posts),
                _ => 0,
            })
            .sum();
        if let Some((i, _)) = model
            .actions
            .iter()
            .enumerate()
            .find(|(_, a)| match &a.kind {
                ActionKind::Overstaff { officers, .. }
                | ActionKind::Transfer { officers, .. }
                | ActionKind::Attachment { officers, .. } => {
                    u64::from(*officers) > limits.max_officers
                }
                ActionKind::Agency { investigators, .. } => {
                    u64::from(*investigators) > limits.max_officers
                }
                ActionKind::Recruitment { posts, .. } => u64::from(*posts) > limits.max_officers,
                ActionKind::MonthlyReview {
                    max_extra_officers, ..
                } => u64::from(*max_extra_officers) > limits.max_officers,
                _ => false,
            })
        {
            return Err(exceeded(
                format!("actions[{i}] ({})", model.actions[i].kind.name()),
                "more officers or posts than any force has".to_string(),
                format!("{} officers", limits.max_officers),
            ));
        }
        let officers: u64 = model
            .teams
            .iter()
            .map(|t| u64::from(t.strength.max(t.establishment)))
            .sum::<u64>()
            .saturating_add(added);
        if officers > limits.max_officers {
            let largest = model
                .teams
                .iter()
                .max_by_key(|t| t.strength.max(t.establishment))
                .map_or("teams".to_string(), |t| {
                    format!("teams.{}.establishment", t.name)
                });
            let field = if added > officers / 2 {
                "actions".to_string()
            } else {
                largest
            };
            return Err(exceeded(
                field,
                format!("{officers} officers in post or added by the actions"),
                format!("{} officers", limits.max_officers),
            ));
        }
        // Starting cases count with the referrals: each is a case the run holds.
        let starting: u64 = model
            .starting_backlog
            .iter()
            .map(|c| u64::from(c.count))
            .sum();
        let mut total = starting as f64;
        if total > limits.max_referrals {
            return Err(exceeded(
                "starting_backlog",
                format!("{starting} starting cases"),
                format!("{:.0} cases", limits.max_referrals),
            ));
        }
        for t in &model.case_types {
            let expected = expected_referrals(&t.demand, 0.0, model.horizon_days);
            total += expected;
            if total.is_nan() || total > limits.max_referrals {
                return Err(exceeded(
                    format!("case_types.{}.annual_rate", t.name),
                    format!("about {total:.3e} referrals expected per replication"),
                    format!("{:.0} referrals", limits.max_referrals),
                ));
            }
        }
        let series = self.series().len() as u64;
        let bytes = series.saturating_mul(self.days() as u64).saturating_mul(4);
        if bytes > limits.max_series_bytes {
            return Err(exceeded(
                "teams",
                format!(
                    "{bytes} bytes of daily series per replication ({series} series x {} days)",
                    self.days()
                ),
                format!("{} bytes", limits.max_series_bytes),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use caseload_des::Dist;
    use caseload_model::*;

    fn design(annual_rate: f64, horizon_days: f64, officers: u32) -> Design {
        Design {
            model: {
                let work = vec![Stage::Work(Dist::exponential(8.0).expect("valid"))];
                let mut referrals = CaseType::poisson("referral", annual_rate, work, 0);
                if let Demand::Poisson(p) = &mut referrals.demand {
                    p.annual_growth = 0.08;
                }
                ModelConfig::new(
                    horizon_days,
                    vec![referrals],
                    vec![TeamConfig::new("cait", officers, 10, 1_500.0)],
                )
            }
            .validated()
            .expect("a valid configuration"),
            warmup_days: 0.0,
            thresholds: crate::Thresholds {
                allocation_target_days: 7.0,
                backlog_breach: None,
                recovery_backlog: None,
            },
            census: vec![],
            years: vec![],
            keep_cases: false,
            weighed_backlog: false,
            limits: Limits::DEFAULT,
        }
    }

    #[test]
    fn sensible_designs_pass_and_huge_ones_name_their_field() {
        let limits = Limits::DEFAULT;
        assert_eq!(design(20_000.0, 3_653.0, 500).check_limits(&limits), Ok(()));
        let err = design(1e308, 3_653.0, 500)
            .check_limits(&limits)
            .unwrap_err();
        assert!(
            err.to_string().contains("case_types.referral.annual_rate"),
            "{err}"
        );
        // 3 million a year for 10 years (growing 8 %) is over 3 million.
        let err = design(3e6, 3_653.0, 500).check_limits(&limits).unwrap_err();
        assert!(err.to_string().contains("referrals expected"), "{err}");
        let err = design(100.0, 2.9e6, 5).check_limits(&limits).unwrap_err();
        assert!(err.to_string().contains("scenario.end"), "{err}");
        let err = design(100.0, 365.0, u32::MAX)
            .check_limits(&limits)
            .unwrap_err();
        assert!(
            err.to_string().contains("teams.cait.establishment"),
            "{err}"
        );
        assert!(err.to_string().contains("--allow-large"));
        assert_eq!(
            design(3e6, 3_653.0, 500).check_limits(&Limits::LARGE),
            Ok(())
        );
    }

    #[test]
    fn more_teams_than_the_observer_records_are_refused_whatever_the_limits() {
        let one = design(100.0, 365.0, 5);
        let mut config = (*one.model).clone();
        let team = config.teams[0].clone();
        for count in [MAX_TEAMS_OR_CASE_TYPES, MAX_TEAMS_OR_CASE_TYPES + 1] {
            config.teams = (0..count)
                .map(|i| TeamConfig {
                    name: format!("cait {i}"),
                    ..team.clone()
                })
                .collect();
            let many = Design {
                model: config.clone().validated().expect("a valid configuration"),
                ..one.clone()
            };
            let checked = many.check_limits(&Limits::LARGE);
            if count == MAX_TEAMS_OR_CASE_TYPES {
                assert_eq!(checked, Ok(()));
            } else {
                let err = checked.expect_err("too many teams");
                assert!(err.to_string().starts_with("teams: 65536 teams"), "{err}");
                assert!(!err.to_string().contains("--allow-large"), "{err}");
                let run = crate::run_one(&many, 1, 0).expect_err("refused");
                assert!(run.to_string().contains("65536 teams"), "{run}");
            }
        }
    }

    #[test]
    fn a_precision_names_a_kpi_and_a_positive_width() {
        let defs = design(100.0, 365.0, 5).kpis();
        let p = crate::Precision::parse(&defs, "p90_days_to_allocate=0.5").expect("valid");
        assert_eq!(defs[p.kpi].name, "days_to_allocate_p90");
        assert_eq!((p.half_width, p.relative), (0.5, false));
        let p = crate::Precision::parse(&defs, "backlog_end=2%").expect("valid");
        assert_eq!((p.half_width, p.relative), (0.02, true));
        for bad in [
            "backlog_end",
            "backlog_end=0",
            "backlog_end=-1%",
            "backlog_ned=1",
        ] {
            assert!(crate::Precision::parse(&defs, bad).is_err(), "{bad}");
        }
        let unknown = crate::Precision::parse(&defs, "backlog_ned=1").expect_err("unknown");
        assert!(
            unknown.to_string().contains("did you mean `backlog_end`?"),
            "{unknown}"
        );
    }
}
