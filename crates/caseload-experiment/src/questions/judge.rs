//! A candidate judged against a target: the one rule `optimise`, `frontier` and the search over
//! dates share for whether a design meets a KPI target, and the evidence for the answer (the
//! KPI's estimate, the share of replications meeting the target, the mean's one-sided bound).

use std::fmt;

use crate::design::Design;
use crate::measure::kpi::KpiDef;
use crate::measure::run::{Results, RunError, run};
use crate::measure::stats::Estimate;
use crate::names::{UnknownKpi, find_kpi};
use crate::questions::search::Target;

/// What meeting a target means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Criterion {
    /// The target holds in at least the confidence's share of the replications (each one a
    /// simulated future).
    Replications,
    /// The mean over replications meets the target at the unfavourable end of its one-sided
    /// confidence bound.
    Mean,
}

impl Criterion {
    /// The names typed on the command line, in order.
    pub const NAMES: [&'static str; 2] = ["replications", "mean"];

    /// The name written in manifests and typed on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Criterion::Replications => "replications",
            Criterion::Mean => "mean",
        }
    }

    /// The criterion named `name` (one of [`Criterion::NAMES`]).
    pub fn from_name(name: &str) -> Option<Self> {
        [Criterion::Replications, Criterion::Mean]
            .into_iter()
            .find(|c| c.name() == name)
    }
}

/// A question's test of every candidate: a target on one KPI, what meeting it means and how
/// sure it must be.
#[derive(Debug, Clone, PartialEq)]
pub struct Judge {
    /// The target, its KPI named as the design names it (`name` or `name@team`).
    pub target: Target,
    /// The KPI's position in the design's KPIs.
    pub kpi: usize,
    /// The KPI's unit.
    pub unit: &'static str,
    /// What meeting the target means.
    pub criterion: Criterion,
    /// With [`Criterion::Replications`] the share of replications that must meet the target
    /// (above 0, at most 1); with [`Criterion::Mean`] the confidence level of the bound
    /// (between 0.5 and 1).
    pub confidence: f64,
}

/// A test that cannot be set.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum JudgeError {
    /// The target names no KPI of the design.
    #[error(transparent)]
    Kpi(#[from] UnknownKpi),
    /// The confidence is outside its range.
    #[error("--confidence {}: expected {expected}", caseload_des::short(*confidence))]
    Confidence {
        /// As given.
        confidence: f64,
        /// The range, in words.
        expected: &'static str,
    },
    /// The replications cannot tell the share asked for from "every replication".
    #[error(
        "--confidence {} with {replications} replications: a share below 1 can only be shown \
         with at least {needed} (with {replications} it would mean every one); give --reps \
         {needed} or more, or --confidence {} ({} of {replications})",
        caseload_des::short(*confidence),
        caseload_des::short(((*replications as f64 - 1.0) / *replications as f64 * 1000.0).floor() / 1000.0),
        replications - 1
    )]
    TooFewReplications {
        /// As given.
        confidence: f64,
        /// Replications per candidate.
        replications: u32,
        /// The fewest that can show the share.
        needed: u32,
    },
}

/// The judgement of one candidate, with its evidence.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Judgement {
    /// The KPI's estimate over the candidate's replications.
    pub estimate: Estimate,
    /// The share of replications meeting the target (0 to 1; NaN with none).
    pub share: f64,
    /// The mean's one-sided bound at the judge's confidence, on the unfavourable side (NaN
    /// with fewer than two replications).
    pub bound: f64,
    /// Whether the candidate meets the target by the judge's criterion.
    pub met: bool,
}

impl Judge {
    /// The test of `target` on the KPIs `defs` of the designs judged: the KPI looked up (a
    /// name with its words in another order is accepted), the confidence checked against the
    /// criterion's range.
    pub fn new(
        mut target: Target,
        defs: &[KpiDef],
        criterion: Criterion,
        confidence: f64,
    ) -> Result<Self, JudgeError> {
        let in_range = match criterion {
            Criterion::Replications => confidence > 0.0 && confidence <= 1.0,
            Criterion::Mean => confidence > 0.5 && confidence < 1.0,
        };
        if !in_range {
            return Err(JudgeError::Confidence {
                confidence,
                expected: match criterion {
                    Criterion::Replications => "a share of replications above 0, at most 1",
                    Criterion::Mean => "a confidence level between 0.5 and 1, like 0.95",
                },
            });
        }
        let kpi = find_kpi(defs, &target.kpi)?;
        target.kpi = defs[kpi].key();
        Ok(Self {
            target,
            kpi,
            unit: defs[kpi].unit,
            criterion,
            confidence,
        })
    }

    /// Checks that `replications` can show the confidence asked for: with the share criterion
    /// and a share below 1, the number needed to meet it must be fewer than all of them (95 %
    /// of 6 replications is all 6: the question would silently become "in every one").
    pub fn check_replications(&self, replications: u32) -> Result<(), JudgeError> {
        if self.criterion != Criterion::Replications || self.confidence >= 1.0 {
            return Ok(());
        }
        if self.needed(replications) >= replications {
            let needed = (1..=100_000)
                .find(|&n| self.needed(n) < n)
                .unwrap_or(100_000);
            return Err(JudgeError::TooFewReplications {
                confidence: self.confidence,
                replications,
                needed,
            });
        }
        Ok(())
    }

    /// Replications of `replications` that must meet the target by the share criterion.
    pub fn needed(&self, replications: u32) -> u32 {
        // A whisker of tolerance, so 0.8 of 10 is 8 and not 9 after rounding.
        (self.confidence * f64::from(replications) - 1e-9)
            .ceil()
            .max(0.0) as u32
    }

    /// Why a candidate judged `judgement` over `replications` replications fails the target,
    /// in words: `met in 4 of 6 replications; 95 % needs 6`, or the mean's bound against the
    /// target.
    pub fn shortfall(&self, judgement: &Judgement, replications: u32) -> String {
        match self.criterion {
            Criterion::Replications => format!(
                "met in {} of {replications} replications; {} % needs {}",
                (judgement.share * f64::from(replications)).round() as u32,
                caseload_des::short(self.confidence * 100.0),
                self.needed(replications)
            ),
            Criterion::Mean => format!(
                "the mean's one-sided {} % bound is {} against the target {}",
                caseload_des::short(self.confidence * 100.0),
                caseload_des::short(judgement.bound),
                self.target
            ),
        }
    }

    /// Judges a candidate from its results.
    pub fn judge(&self, results: &Results) -> Judgement {
        let values: Vec<f64> = results
            .per_replication
            .iter()
            .map(|r| r[self.kpi])
            .collect();
        self.judge_values(results.kpis[self.kpi], &values)
    }

    /// Judges a candidate from the KPI's estimate and its value in each replication.
    fn judge_values(&self, estimate: Estimate, values: &[f64]) -> Judgement {
        let share = self.target.share_meeting(values);
        let met = match self.criterion {
            Criterion::Replications => share >= self.confidence,
            Criterion::Mean => self.target.met(&estimate, self.confidence),
        };
        Judgement {
            estimate,
            share,
            bound: self.target.bound(&estimate, self.confidence),
            met,
        }
    }

    /// Runs `replications` of a candidate's `design` from `seed` (the same for every
    /// candidate: common random numbers), calling `tick` after each, and judges it.
    pub fn run(
        &self,
        design: &Design,
        seed: u64,
        replications: u32,
        tick: &(dyn Fn() + Sync),
    ) -> Result<Judgement, RunError> {
        Ok(self.judge(&run(design, seed, replications, tick)?))
    }
}

/// What meeting the target means, in words: `in 80 % of replications`, or `by the mean's
/// one-sided 95 % confidence bound`.
impl fmt::Display for Judge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let percent = caseload_des::short(self.confidence * 100.0);
        match self.criterion {
            Criterion::Replications => write!(f, "in {percent} % of replications"),
            Criterion::Mean => write!(f, "by the mean's one-sided {percent} % confidence bound"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measure::stats::Domain;
    use crate::questions::search::Relation;

    fn defs() -> Vec<KpiDef> {
        ["backlog_end", "days_to_allocate_p90"]
            .iter()
            .map(|name| KpiDef {
                name: (*name).to_string(),
                team: None,
                unit: "cases",
                domain: Domain::NonNegative,
                description: String::new(),
                better: crate::measure::kpi::Better::of(name),
                parts: crate::names::KpiParts::of(name, &[]),
            })
            .collect()
    }

    #[test]
    fn a_share_the_replications_cannot_show_is_refused_and_a_shortfall_is_said() {
        let target: Target = "backlog_end<=10".parse().expect("a target");
        let judge = Judge::new(target, &defs(), Criterion::Replications, 0.95).expect("valid");
        let err = judge.check_replications(6).expect_err("95 % of 6 is all 6");
        assert_eq!(
            err.to_string(),
            "--confidence 0.95 with 6 replications: a share below 1 can only be shown with at \
             least 20 (with 6 it would mean every one); give --reps 20 or more, or \
             --confidence 0.833 (5 of 6)"
        );
        assert!(judge.check_replications(20).is_ok());
        assert_eq!(judge.needed(20), 19);
        let j = judged(&judge, [5.0, 5.0, 5.0, 20.0, 20.0]);
        assert_eq!(
            judge.shortfall(&j, 5),
            "met in 3 of 5 replications; 95 % needs 5"
        );
        let eighty = Judge::new(
            "backlog_end<=10".parse().expect("a target"),
            &defs(),
            Criterion::Replications,
            0.8,
        )
        .expect("valid");
        assert_eq!(eighty.needed(10), 8);
        assert!(eighty.check_replications(10).is_ok());
    }

    /// Judges five replications whose KPI takes `values`.
    fn judged(judge: &Judge, values: [f64; 5]) -> Judgement {
        judge.judge_values(Estimate::in_domain(values, Domain::NonNegative), &values)
    }

    fn target(value: f64) -> Target {
        Target {
            kpi: "p90_days_to_allocate".into(),
            relation: Relation::AtMost,
            value,
        }
    }

    #[test]
    fn by_replications_the_share_meeting_decides() {
        let judge = Judge::new(target(10.0), &defs(), Criterion::Replications, 0.8).unwrap();
        assert_eq!(judge.kpi, 1);
        assert_eq!(judge.target.kpi, "days_to_allocate_p90");
        // Four of five at most 10: 0.8 meets 0.8; three of five does not.
        let four = judged(&judge, [5.0, 8.0, 9.0, 10.0, 30.0]);
        assert_eq!(four.share, 0.8);
        assert!(four.met);
        let three = judged(&judge, [5.0, 8.0, 11.0, 10.0, 30.0]);
        assert_eq!(three.share, 0.6);
        assert!(!three.met);
    }

    #[test]
    fn by_the_mean_the_unfavourable_end_of_the_bound_decides() {
        let judge = Judge::new(target(10.0), &defs(), Criterion::Mean, 0.95).unwrap();
        // Every replication meets 10, but the mean 9.0 has an upper bound above 10.
        let spread = judged(&judge, [6.0, 12.0, 9.0, 8.0, 10.0]);
        assert!(spread.estimate.mean == 9.0 && spread.bound > 10.0);
        assert!(!spread.met);
        let tight = judged(&judge, [8.9, 9.0, 9.1, 9.0, 9.0]);
        assert!(tight.bound < 10.0 && tight.met);
        // A share of 1 meets the replications criterion at 1.
        let all = Judge::new(target(10.0), &defs(), Criterion::Replications, 1.0).unwrap();
        assert!(judged(&all, [8.9, 9.0, 9.1, 9.0, 10.0]).met);
    }

    #[test]
    fn a_confidence_outside_its_criterions_range_or_an_unknown_kpi_is_refused() {
        for (criterion, c) in [
            (Criterion::Replications, 0.0),
            (Criterion::Replications, 1.01),
            (Criterion::Mean, 0.5),
            (Criterion::Mean, 1.0),
            (Criterion::Mean, f64::NAN),
        ] {
            let err = Judge::new(target(1.0), &defs(), criterion, c).unwrap_err();
            assert!(matches!(err, JudgeError::Confidence { .. }), "{c}");
        }
        let mut wrong = target(1.0);
        wrong.kpi = "backlog_ned".into();
        let err = Judge::new(wrong, &defs(), Criterion::Mean, 0.9).unwrap_err();
        assert!(err.to_string().contains("backlog_end"), "{err}");
    }

    #[test]
    fn the_meaning_reads_as_words() {
        let judge = Judge::new(target(1.0), &defs(), Criterion::Replications, 0.8).unwrap();
        assert_eq!(judge.to_string(), "in 80 % of replications");
        let judge = Judge::new(target(1.0), &defs(), Criterion::Mean, 0.95).unwrap();
        assert_eq!(
            judge.to_string(),
            "by the mean's one-sided 95 % confidence bound"
        );
    }
}
