//! The staffing optimiser's two parts: a KPI target met with stated confidence, and the search
//! for the smallest lever value meeting it.

use std::fmt;
use std::str::FromStr;

use crate::measure::stats::Estimate;

/// How a KPI is compared with its target value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    /// `<=`
    AtMost,
    /// `<`
    Below,
    /// `>=`
    AtLeast,
    /// `>`
    Above,
}

impl Relation {
    const ALL: [(&'static str, Relation); 4] = [
        ("<=", Relation::AtMost),
        (">=", Relation::AtLeast),
        ("<", Relation::Below),
        (">", Relation::Above),
    ];

    fn symbol(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, r)| *r == self)
            .map_or("?", |(s, _)| s)
    }

    /// Whether `x` stands in this relation to `value`.
    pub fn holds(self, x: f64, value: f64) -> bool {
        match self {
            Relation::AtMost => x <= value,
            Relation::Below => x < value,
            Relation::AtLeast => x >= value,
            Relation::Above => x > value,
        }
    }

    /// Whether the target bounds the KPI from above (smaller is better).
    fn upper(self) -> bool {
        matches!(self, Relation::AtMost | Relation::Below)
    }
}

/// A KPI target such as `days_to_allocate_p90<=7`.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// KPI name as in [`crate::Design::kpis`].
    pub kpi: String,
    /// The comparison.
    pub relation: Relation,
    /// The target value, in the KPI's unit.
    pub value: f64,
}

/// Text that is not a KPI target.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{text}`: {message}; expected KPI, one of <=, <, >=, >, and a number, like `days_to_allocate_p90<=7`"
)]
pub struct TargetError {
    /// The text as written.
    pub text: String,
    /// What is wrong.
    pub message: String,
}

impl FromStr for Target {
    type Err = TargetError;

    fn from_str(text: &str) -> Result<Self, TargetError> {
        let error = |message: String| TargetError {
            text: text.to_string(),
            message,
        };
        let (at, symbol, relation) = Relation::ALL
            .iter()
            .filter_map(|&(symbol, relation)| text.find(symbol).map(|at| (at, symbol, relation)))
            .min_by_key(|&(at, symbol, _)| (at, usize::MAX - symbol.len()))
            .ok_or_else(|| error("no comparison found".into()))?;
        let kpi = text[..at].trim();
        let number = text[at + symbol.len()..].trim();
        if kpi.is_empty() {
            return Err(error("no KPI name".into()));
        }
        let value: f64 = number
            .parse()
            .ok()
            .filter(|v: &f64| v.is_finite())
            .ok_or_else(|| error(format!("`{number}` is not a number")))?;
        Ok(Target {
            kpi: kpi.to_string(),
            relation,
            value,
        })
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}{}{}",
            self.kpi,
            self.relation.symbol(),
            caseload_des::short(self.value)
        )
    }
}

impl Target {
    /// The one-sided confidence bound of the KPI's mean that must meet the target: the upper
    /// bound for `<=` and `<`, the lower for `>=` and `>`.
    pub fn bound(&self, estimate: &Estimate, confidence: f64) -> f64 {
        estimate.one_sided_bound(confidence, self.relation.upper())
    }

    /// Whether the KPI's mean over replications meets the target with `confidence`: even at
    /// the unfavourable end of its one-sided confidence bound. Never met when the KPI is
    /// undefined or has fewer than two replications.
    pub fn met(&self, estimate: &Estimate, confidence: f64) -> bool {
        let bound = self.bound(estimate, confidence);
        !bound.is_nan() && self.relation.holds(bound, self.value)
    }

    /// The share of replications whose KPI value meets the target (an undefined value does
    /// not); NaN with no replications.
    pub fn share_meeting(&self, values: &[f64]) -> f64 {
        let meeting = values
            .iter()
            .filter(|&&x| !x.is_nan() && self.relation.holds(x, self.value))
            .count();
        meeting as f64 / values.len() as f64
    }
}

/// The smallest `i` in `lo..=hi` with `met(i)`, by bisection, assuming `met` is monotone (false
/// then true as `i` grows); `None` if `met(hi)` is false. Calls `met` about log2(hi - lo) + 1
/// times, `hi` first.
pub fn smallest_meeting<E>(
    lo: i64,
    hi: i64,
    mut met: impl FnMut(i64) -> Result<bool, E>,
) -> Result<Option<i64>, E> {
    if lo > hi || !met(hi)? {
        return Ok(None);
    }
    // Invariant: met(high) holds; every value below `low` fails.
    let (mut low, mut high) = (lo, hi);
    while low < high {
        let mid = low + (high - low) / 2;
        if met(mid)? {
            high = mid;
        } else {
            low = mid + 1;
        }
    }
    Ok(Some(high))
}

/// The values a lever may take: `min`, `min + step`, ... up to `max` if given. Values are
/// whole numbers when `min`, `step` and `max` are, so integer fields accept them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LeverGrid {
    /// The smallest value.
    pub min: f64,
    /// The step between values, positive.
    pub step: f64,
    /// The largest value, if bounded.
    pub max: Option<f64>,
}

/// A lever grid that is not one.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LeverError {
    /// The step is not positive or `min` is not a number.
    #[error("--step must be a positive number and --min a number")]
    Step,
    /// `max` is below `min`.
    #[error("--max {max} is below --min {min}")]
    MaxBelowMin {
        /// The largest value asked for.
        max: f64,
        /// The smallest.
        min: f64,
    },
}

impl LeverGrid {
    /// Checks the grid.
    pub fn new(min: f64, step: f64, max: Option<f64>) -> Result<Self, LeverError> {
        if !(step > 0.0 && step.is_finite() && min.is_finite()) {
            return Err(LeverError::Step);
        }
        if let Some(max) = max
            && (max.is_nan() || max < min)
        {
            return Err(LeverError::MaxBelowMin { max, min });
        }
        Ok(Self { min, step, max })
    }

    /// Whether every value is a whole number.
    pub fn whole(&self) -> bool {
        [self.min, self.step].iter().all(|x| x.fract() == 0.0)
            && self.max.is_none_or(|m| m.fract() == 0.0)
    }

    /// The value `i` steps above `min` (decimal steps kept on their grid: 0.1 * 3 is 0.3).
    pub fn value(&self, i: i64) -> f64 {
        let x = self.min + i as f64 * self.step;
        (x * 1e9).round() / 1e9
    }

    /// Where to search: up to `max` if given, else growing from the step nearest `written`
    /// (the scenario's value), doubled at most `doublings` times.
    pub fn bracket(&self, written: Option<f64>, doublings: u32) -> Bracket {
        match self.max {
            Some(max) => Bracket::UpTo(((max - self.min) / self.step + 1e-9).floor() as i64),
            None => Bracket::GrowFrom {
                start: written.map_or(1, |x| (((x - self.min) / self.step).round() as i64).max(1)),
                doublings,
            },
        }
    }
}

/// Where the search for the least lever value looks, in steps of the lever's grid from its
/// smallest value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bracket {
    /// Up to this step at most.
    UpTo(i64),
    /// From this step (at least 1), doubled until the target is met, at most `doublings`
    /// times.
    GrowFrom {
        /// The first upper end tried.
        start: i64,
        /// Most doublings.
        doublings: u32,
    },
}

/// The outcome of a search for the least lever value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Least {
    /// The least step meeting the target.
    Found(i64),
    /// The target is not met even at this step, the largest tried.
    NotMet(i64),
}

/// The least step in the bracket at which `met` holds: grows the bracket if asked, then
/// bisects, assuming `met` is monotone (false then true as the step grows).
pub fn least_meeting<E>(
    bracket: Bracket,
    mut met: impl FnMut(i64) -> Result<bool, E>,
) -> Result<Least, E> {
    let hi = match bracket {
        Bracket::UpTo(hi) => hi,
        Bracket::GrowFrom { start, doublings } => {
            let mut hi = start.max(1);
            let mut done = 0;
            while !met(hi)? {
                done += 1;
                if done > doublings {
                    return Ok(Least::NotMet(hi));
                }
                hi = hi.saturating_mul(2);
            }
            hi
        }
    };
    Ok(match smallest_meeting(0, hi, met)? {
        Some(i) => Least::Found(i),
        None => Least::NotMet(hi),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lever_grids_keep_decimal_steps_and_bracket_from_the_written_value() {
        let grid = LeverGrid::new(0.0, 0.1, None).expect("a grid");
        assert_eq!(grid.value(3), 0.3);
        assert!(!grid.whole());
        assert_eq!(
            grid.bracket(Some(1.0), 4),
            Bracket::GrowFrom {
                start: 10,
                doublings: 4
            }
        );
        let officers = LeverGrid::new(2.0, 1.0, Some(12.0)).expect("a grid");
        assert!(officers.whole());
        assert_eq!(officers.bracket(None, 4), Bracket::UpTo(10));
        assert!(LeverGrid::new(0.0, 0.0, None).is_err());
        assert!(LeverGrid::new(5.0, 1.0, Some(4.0)).is_err());
    }

    #[test]
    fn the_least_step_is_found_after_growing_the_bracket() {
        let mut calls = Vec::new();
        let found = least_meeting::<()>(
            Bracket::GrowFrom {
                start: 2,
                doublings: 5,
            },
            |i| {
                calls.push(i);
                Ok(i >= 13)
            },
        );
        assert_eq!(found, Ok(Least::Found(13)));
        assert_eq!(&calls[..4], [2, 4, 8, 16]);
        let never = least_meeting::<()>(
            Bracket::GrowFrom {
                start: 1,
                doublings: 3,
            },
            |_| Ok(false),
        );
        assert_eq!(never, Ok(Least::NotMet(8)));
        assert_eq!(
            least_meeting::<()>(Bracket::UpTo(10), |i| Ok(i >= 11)),
            Ok(Least::NotMet(10))
        );
        assert_eq!(
            least_meeting::<()>(Bracket::UpTo(10), |i| Ok(i >= 0)),
            Ok(Least::Found(0))
        );
    }

    #[test]
    fn targets_parse_with_every_relation() {
        let t: Target = "days_to_allocate_p90<=7".parse().expect("valid");
        assert_eq!(
            (t.kpi.as_str(), t.relation, t.value),
            ("days_to_allocate_p90", Relation::AtMost, 7.0)
        );
        let t: Target = " share_allocated_within_target >= 0.9 "
            .parse()
            .expect("valid");
        assert_eq!(t.relation, Relation::AtLeast);
        assert_eq!(t.to_string(), "share_allocated_within_target>=0.9");
        assert_eq!(
            "backlog_end<10".parse::<Target>().map(|t| t.relation),
            Ok(Relation::Below)
        );
        assert_eq!(
            "backlog_end>1e3".parse::<Target>().map(|t| t.value),
            Ok(1000.0)
        );
        for bad in [
            "backlog_end",
            "<=7",
            "backlog_end<=seven",
            "backlog_end<=inf",
        ] {
            assert!(bad.parse::<Target>().is_err(), "{bad}");
        }
    }

    #[test]
    fn target_uses_the_unfavourable_confidence_bound() {
        // Mean 5.5, upper 95 % one-sided bound 7.255 (t(0.95; 9) = 1.833, sd 3.028).
        let e = Estimate::from_values((1..=10).map(f64::from));
        let at_most = |value| Target {
            kpi: "k".into(),
            relation: Relation::AtMost,
            value,
        };
        assert!(at_most(7.3).met(&e, 0.95));
        assert!(!at_most(7.2).met(&e, 0.95));
        assert!(at_most(7.2).met(&e, 0.90), "a lower confidence asks less");
        let at_least = Target {
            kpi: "k".into(),
            relation: Relation::AtLeast,
            value: 3.7,
        };
        assert!(at_least.met(&e, 0.95));
        assert!(!at_most(100.0).met(&Estimate::from_values([1.0]), 0.95));
    }

    #[test]
    fn share_meeting_counts_replications_and_not_undefined_values() {
        let t: Target = "k<=2".parse().expect("valid");
        assert_eq!(t.share_meeting(&[1.0, 2.0, 3.0, f64::NAN]), 0.5);
        assert!(t.share_meeting(&[]).is_nan());
    }

    #[test]
    fn bisection_finds_the_threshold_in_few_calls() {
        for threshold in [0, 1, 17, 63, 64] {
            let mut calls = 0;
            let found = smallest_meeting::<()>(0, 64, |i| {
                calls += 1;
                Ok(i >= threshold)
            });
            assert_eq!(found, Ok(Some(threshold)));
            assert!(calls <= 8, "{calls} calls");
        }
        assert_eq!(smallest_meeting::<()>(0, 10, |i| Ok(i > 10)), Ok(None));
    }
}
