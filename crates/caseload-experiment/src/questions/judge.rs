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
            })
            .collect()
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
