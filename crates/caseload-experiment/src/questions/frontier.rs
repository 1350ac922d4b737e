//! The least temporary staffing that meets a target by a date: for each duration of a
//! temporary action, the fewest officers at which the target holds, and the frontier of
//! officers against duration with its least officer-months.

use crate::questions::search::smallest_meeting;

/// The answer for one duration.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FrontierPoint {
    /// The action's duration, months.
    pub months: i64,
    /// The fewest officers meeting the target for that long (`None`: not even the most).
    pub officers: Option<i64>,
}

impl FrontierPoint {
    /// Officers times months (`None` where the target is not met).
    pub fn officer_months(&self) -> Option<i64> {
        self.officers.map(|o| o * self.months)
    }
}

/// For each of `durations` (months, ascending), the fewest officers from `fewest` to `most`
/// at which `met(officers, months)` holds, by bisection: `met` must be monotone in officers
/// (more never hurts) and in duration (longer never hurts), so each duration's answer bounds
/// the next one's from above and fewer evaluations are needed.
pub fn frontier<E>(
    durations: &[i64],
    fewest: i64,
    most: i64,
    mut met: impl FnMut(i64, i64) -> Result<bool, E>,
) -> Result<Vec<FrontierPoint>, E> {
    let mut points = Vec::with_capacity(durations.len());
    let mut bound = most;
    for &months in durations {
        let officers = smallest_meeting(fewest, bound, |o| met(o, months))?;
        if let Some(o) = officers {
            bound = o;
        }
        points.push(FrontierPoint { months, officers });
    }
    Ok(points)
}

/// The frontier point with the least officer-months (ties: the shorter duration).
pub fn least_officer_months(points: &[FrontierPoint]) -> Option<FrontierPoint> {
    points
        .iter()
        .filter(|p| p.officers.is_some())
        .min_by_key(|p| (p.officer_months(), p.months))
        .copied()
}

/// What the least temporary staffing minimises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Minimise {
    /// Officers times months.
    OfficerMonths,
    /// Officers times days times their day rate, pounds.
    Cost,
}

impl Minimise {
    /// The names typed on the command line, in order.
    pub const NAMES: [&'static str; 2] = ["officer-months", "cost"];

    /// The name typed on the command line and written in the tables.
    pub fn name(self) -> &'static str {
        match self {
            Minimise::OfficerMonths => "officer-months",
            Minimise::Cost => "cost",
        }
    }

    /// The measure named `name` (one of [`Minimise::NAMES`]).
    pub fn from_name(name: &str) -> Option<Self> {
        [Minimise::OfficerMonths, Minimise::Cost]
            .into_iter()
            .find(|m| m.name() == name)
    }

    /// What a frontier point scores: its officer-months, or its `cost` in pounds; `None`
    /// where no number of officers meets the target.
    pub fn score(self, point: &FrontierPoint, cost: Option<f64>) -> Option<f64> {
        match self {
            Minimise::OfficerMonths => point.officer_months().map(|m| m as f64),
            Minimise::Cost => cost,
        }
    }
}

/// The position of the least of `scores` (`None`: no answer there, skipped); ties go to
/// the first, so the earlier action, start or shorter duration in the order tried wins.
pub fn least_of(scores: impl IntoIterator<Item = Option<f64>>) -> Option<usize> {
    scores
        .into_iter()
        .enumerate()
        .filter_map(|(i, s)| s.map(|s| (s, i)))
        .min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)))
        .map(|(_, i)| i)
}

/// `officers` shared among `parts` actions varied together, as evenly as possible (the
/// first ones take the remainder), e.g. 7 among 3: 3, 2, 2.
pub fn split_officers(officers: i64, parts: usize) -> Vec<i64> {
    let n = parts.max(1) as i64;
    (0..n)
        .map(|i| officers / n + i64::from(i < officers % n))
        .collect()
}

/// What a package costs, pounds: each action's officers times its day rate (pounds per
/// officer-day) times the days it lasts.
pub fn package_cost(officers: &[i64], day_rates: &[f64], days: i64) -> f64 {
    officers
        .iter()
        .zip(day_rates)
        .map(|(&o, &rate)| o as f64 * rate * days as f64)
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_least_is_by_officer_months_or_by_cost_and_none_without_an_answer() {
        let met = FrontierPoint {
            months: 6,
            officers: Some(10),
        };
        let unmet = FrontierPoint {
            months: 6,
            officers: None,
        };
        assert_eq!(Minimise::OfficerMonths.score(&met, Some(5.0)), Some(60.0));
        assert_eq!(Minimise::Cost.score(&met, Some(5.0)), Some(5.0));
        assert_eq!(Minimise::OfficerMonths.score(&unmet, None), None);
        for name in Minimise::NAMES {
            assert_eq!(Minimise::from_name(name).map(Minimise::name), Some(name));
        }
        assert_eq!(Minimise::from_name("officers"), None);
    }

    #[test]
    fn the_least_skips_the_unanswered_and_ties_go_to_the_first() {
        assert_eq!(
            least_of([None, Some(40.0), Some(30.0), Some(30.0)]),
            Some(2)
        );
        assert_eq!(least_of([None, None]), None);
        assert_eq!(least_of(Vec::new()), None);
    }

    #[test]
    fn the_frontier_matches_a_brute_force_grid_on_a_monotone_rule() {
        // Met when officers x months reaches 24 with at least 2 officers.
        let rule = |o: i64, m: i64| o >= 2 && o * m >= 24;
        let durations: Vec<i64> = (1..=12).collect();
        let mut calls = 0;
        let points = frontier(&durations, 0, 30, |o, m| {
            calls += 1;
            Ok::<_, ()>(rule(o, m))
        })
        .expect("no error");
        for p in &points {
            let brute = (0..=30).find(|&o| rule(o, p.months));
            assert_eq!(p.officers, brute, "{} months", p.months);
        }
        assert!(calls < 12 * 31, "bisection: {calls} evaluations");
        let best = least_officer_months(&points).expect("an answer");
        assert_eq!(best.officer_months(), Some(24));
        assert_eq!(best.months, 1);
        let none = frontier(&[1], 0, 5, |o, m| Ok::<_, ()>(rule(o, m))).expect("no error");
        assert_eq!(none[0].officers, None);
        assert_eq!(least_officer_months(&none), None);
    }

    #[test]
    fn a_package_shares_its_officers_and_sums_its_costs() {
        assert_eq!(split_officers(7, 3), vec![3, 2, 2]);
        assert_eq!(split_officers(6, 2), vec![3, 3]);
        assert_eq!(split_officers(5, 1), vec![5]);
        assert_eq!(split_officers(7, 3).iter().sum::<i64>(), 7);
        // 3 officers at 200 a day and 2 at 500, for 30 days.
        assert_eq!(package_cost(&[3, 2], &[200.0, 500.0], 30), 48_000.0);
    }
}
