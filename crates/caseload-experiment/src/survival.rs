//! Times to an event when some subjects have not had it yet: the Kaplan-Meier estimate.
//!
//! A referral still waiting at the horizon has waited at least as long as it has; dropping it
//! (as a mean of completed waits does) hides exactly the long waiters. Each observation is a
//! time and whether the event (allocation, completion) happened then or the observation was
//! cut off (right-censored) there.

/// Observed times, each an event or a right-censored observation.
#[derive(Debug, Clone, Default)]
pub struct Observations {
    /// Each observation as a [`sort_key`].
    keys: Vec<u64>,
    /// Whether `keys` is known to be in order.
    sorted: bool,
}

/// An observation as one integer whose order is the Kaplan-Meier processing order: by time,
/// and at equal times events before censorings. `time` must be zero or more (a negative time
/// counts as 0).
pub fn sort_key(time: f64, event: bool) -> u64 {
    // For non-negative floats the bit pattern orders as the value.
    (time.max(0.0).to_bits() << 1) | u64::from(!event)
}

/// What a quantile of a survival curve is, as far as the data tell.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Quantile {
    /// The curve reaches the quantile at this time.
    At(f64),
    /// The curve never gets there within the observations; the quantile is beyond the
    /// longest time observed, this one.
    NotReached(f64),
    /// Nothing was observed.
    Empty,
}

impl Quantile {
    /// The time as one number: the time if reached, +infinity if not reached (a quantity
    /// known only to be large), NaN if nothing was observed.
    pub fn value(self) -> f64 {
        match self {
            Quantile::At(t) => t,
            Quantile::NotReached(_) => f64::INFINITY,
            Quantile::Empty => f64::NAN,
        }
    }
}

/// The Kaplan-Meier estimate of the survival function `S(t)`, the share still without the
/// event at time `t`: a step function falling at each event time.
#[derive(Debug, Clone, PartialEq)]
pub struct KaplanMeier {
    /// (event time, S just after it), ascending in time.
    steps: Vec<(f64, f64)>,
    /// The longest time observed (event or censored).
    last_time: f64,
    /// Observations.
    n: usize,
}

impl Observations {
    /// No observations.
    pub fn new() -> Self {
        Self::default()
    }

    /// Observations given as [`sort_key`]s.
    pub fn from_keys(keys: Vec<u64>) -> Self {
        Self {
            keys,
            sorted: false,
        }
    }

    /// Observations given as [`sort_key`]s already in ascending order (checked in debug
    /// builds), so the estimate needs no sort.
    pub fn from_sorted_keys(keys: Vec<u64>) -> Self {
        debug_assert!(keys.is_sorted());
        Self { keys, sorted: true }
    }

    /// An event at `time`.
    pub fn event(&mut self, time: f64) {
        self.keys.push(sort_key(time, true));
        self.sorted = false;
    }

    /// An observation cut off at `time` without the event.
    pub fn censored(&mut self, time: f64) {
        self.keys.push(sort_key(time, false));
        self.sorted = false;
    }

    /// Observations held.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether none are held.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The Kaplan-Meier estimate. Ties: at a time with both events and censorings the events
    /// come first (the usual convention: a case censored at `t` was at risk at `t`).
    pub fn kaplan_meier(mut self) -> KaplanMeier {
        if !self.sorted {
            self.keys.sort_unstable();
        }
        let n = self.keys.len();
        let mut curves = KaplanMeier::of_groups(self.keys.iter().map(|&k| (k, [0])), &[n]);
        curves.swap_remove(0)
    }
}

/// One group's running state while [`KaplanMeier::of_groups`] walks the observations.
#[derive(Debug, Clone)]
struct Running {
    curve: KaplanMeier,
    survival: f64,
    at_risk: usize,
    time_bits: u64,
    events: usize,
    leaving: usize,
}

impl Running {
    /// Applies the events and departures gathered at the current time.
    fn flush(&mut self) {
        if self.events > 0 {
            self.survival *= 1.0 - self.events as f64 / self.at_risk as f64;
            self.curve
                .steps
                .push((f64::from_bits(self.time_bits), self.survival));
        }
        self.at_risk -= self.leaving;
        self.events = 0;
        self.leaving = 0;
    }
}

impl KaplanMeier {
    /// The estimates of the groups in one pass over `observations`: (a [`sort_key`], the
    /// groups it belongs to, those at or past `sizes.len()` ignored), in ascending key order;
    /// `sizes[g]` is the number of observations of group `g` (checked in debug builds).
    pub fn of_groups<const K: usize>(
        observations: impl Iterator<Item = (u64, [usize; K])>,
        sizes: &[usize],
    ) -> Vec<Self> {
        let groups = sizes.len();
        let mut states: Vec<Running> = sizes
            .iter()
            .map(|&n| Running {
                curve: KaplanMeier {
                    // At most one step per observation; pages never written are never used.
                    steps: Vec::with_capacity(n),
                    last_time: 0.0,
                    n,
                },
                survival: 1.0,
                at_risk: n,
                time_bits: u64::MAX,
                events: 0,
                leaving: 0,
            })
            .collect();
        #[cfg(debug_assertions)]
        let mut previous = 0;
        for (key, members) in observations {
            #[cfg(debug_assertions)]
            {
                debug_assert!(previous <= key, "observations in ascending key order");
                previous = key;
            }
            let time_bits = key >> 1;
            for g in members.into_iter().filter(|&g| g < groups) {
                let state = &mut states[g];
                if state.time_bits != time_bits {
                    if state.time_bits != u64::MAX {
                        state.flush();
                    }
                    state.time_bits = time_bits;
                }
                state.events += usize::from(key & 1 == 0);
                state.leaving += 1;
            }
        }
        states
            .into_iter()
            .map(|mut state| {
                if state.time_bits != u64::MAX {
                    state.flush();
                    state.curve.last_time = f64::from_bits(state.time_bits);
                }
                debug_assert_eq!(state.at_risk, 0, "sizes give each group's observations");
                state.curve
            })
            .collect()
    }

    /// `S(t)`: the estimated share still without the event at `t` (after any event at `t`).
    /// Past the last event the curve stays at its last value.
    pub fn survival(&self, t: f64) -> f64 {
        let after = self.steps.partition_point(|&(time, _)| time <= t);
        if after == 0 {
            1.0
        } else {
            self.steps[after - 1].1
        }
    }

    /// The `q` quantile of the time to the event: the first time at which `S` falls to
    /// `1 - q` or below (the median is `q = 0.5`).
    pub fn quantile(&self, q: f64) -> Quantile {
        if self.n == 0 {
            return Quantile::Empty;
        }
        // A small tolerance so that S = 0.5 exactly (reached by an even split) counts.
        let level = 1.0 - q + 1e-12;
        match self.steps.iter().find(|&&(_, s)| s <= level) {
            Some(&(t, _)) => Quantile::At(t),
            None => Quantile::NotReached(self.last_time),
        }
    }

    /// The mean time to the event restricted to `horizon`: the area under `S` from 0 to
    /// `horizon`, the expected `min(T, horizon)`. Past the last observation `S` is held at its
    /// last value. NaN with no observations.
    pub fn restricted_mean(&self, horizon: f64) -> f64 {
        if self.n == 0 {
            return f64::NAN;
        }
        let (mut area, mut from, mut level) = (0.0, 0.0, 1.0);
        for &(t, s) in &self.steps {
            if t >= horizon {
                break;
            }
            area += (t - from) * level;
            from = t;
            level = s;
        }
        area + (horizon - from).max(0.0) * level
    }

    /// The share that had the event by `t`, `1 - S(t)`.
    pub fn share_by(&self, t: f64) -> f64 {
        1.0 - self.survival(t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(key: u64) -> (f64, bool) {
        (f64::from_bits(key >> 1), key & 1 == 0)
    }

    /// Worked by hand: times 2, 3+, 4, 4, 5+, 6, 8+ (a plus marks a censored time).
    /// At 2: 7 at risk, 1 event, S = 6/7. 3+ leaves (5 at risk at 4). At 4: 2 events,
    /// S = 6/7 * 3/5 = 18/35. 5+ leaves (2 at risk at 6). At 6: 1 event, S = 18/35 * 1/2 =
    /// 9/35. 8+ leaves.
    fn worked_example() -> KaplanMeier {
        let mut o = Observations::new();
        for t in [2.0, 4.0, 4.0, 6.0] {
            o.event(t);
        }
        for t in [3.0, 5.0, 8.0] {
            o.censored(t);
        }
        o.kaplan_meier()
    }

    #[test]
    fn kaplan_meier_matches_a_hand_worked_example() {
        let km = worked_example();
        assert_eq!(km.survival(1.9), 1.0);
        assert!((km.survival(2.0) - 6.0 / 7.0).abs() < 1e-12);
        assert!((km.survival(3.5) - 6.0 / 7.0).abs() < 1e-12);
        assert!((km.survival(4.0) - 18.0 / 35.0).abs() < 1e-12);
        assert!((km.survival(7.0) - 9.0 / 35.0).abs() < 1e-12);
        // Median: S first at or below 0.5 at 6 (18/35 = 0.514 > 0.5 at 4).
        assert_eq!(km.quantile(0.5), Quantile::At(6.0));
        assert_eq!(km.quantile(0.25), Quantile::At(4.0));
        // The 90th percentile needs S <= 0.1: never reached; the longest time seen is 8.
        assert_eq!(km.quantile(0.9), Quantile::NotReached(8.0));
        assert_eq!(km.quantile(0.9).value(), f64::INFINITY);
        // Area under S up to 10: 2*1 + 2*(6/7) + 2*(18/35) + 4*(9/35) = 202/35.
        assert!((km.restricted_mean(10.0) - 202.0 / 35.0).abs() < 1e-12);
        // Restricted to 3: 2*1 + 1*(6/7).
        assert!((km.restricted_mean(3.0) - (2.0 + 6.0 / 7.0)).abs() < 1e-12);
        assert!((km.share_by(4.0) - 17.0 / 35.0).abs() < 1e-12);
    }

    #[test]
    fn without_censoring_it_is_the_empirical_distribution() {
        let mut o = Observations::new();
        for t in [5.0, 1.0, 3.0, 2.0, 4.0, 3.0] {
            o.event(t);
        }
        let km = o.kaplan_meier();
        // Six values: S(3) = 2/6 left (4 and 5); the median is the smallest t with F(t) >= 1/2.
        assert!((km.survival(3.0) - 2.0 / 6.0).abs() < 1e-12);
        assert_eq!(km.quantile(0.5), Quantile::At(3.0));
        let mean = (5.0 + 1.0 + 3.0 + 2.0 + 4.0 + 3.0) / 6.0;
        assert!((km.restricted_mean(100.0) - mean).abs() < 1e-12);
    }

    #[test]
    fn everyone_censored_reaches_nothing_and_nothing_observed_is_empty() {
        let mut o = Observations::new();
        assert!(o.is_empty());
        for t in [10.0, 20.0, 264.0] {
            o.censored(t);
        }
        assert_eq!(o.len(), 3);
        let km = o.kaplan_meier();
        assert_eq!(km.quantile(0.5), Quantile::NotReached(264.0));
        assert_eq!(km.restricted_mean(300.0), 300.0);
        assert_eq!(km.share_by(100.0), 0.0);
        let empty = Observations::new().kaplan_meier();
        assert_eq!(empty.quantile(0.5), Quantile::Empty);
        assert!(empty.restricted_mean(10.0).is_nan());
    }

    #[test]
    fn groups_in_one_pass_equal_each_group_alone() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(9);
        // Times on a coarse grid, so ties within and across groups are common.
        let mut all: Vec<(u64, [usize; 2])> = (0..2_000)
            .map(|_| {
                let time = f64::from(rng.random_range(0..40u8)) / 4.0;
                let group = rng.random_range(1..4usize);
                (sort_key(time, rng.random_bool(0.7)), [0, group])
            })
            .collect();
        all.sort_unstable_by_key(|o| o.0);
        let mut sizes = [0; 4];
        for o in &all {
            for g in o.1 {
                sizes[g] += 1;
            }
        }
        let curves = KaplanMeier::of_groups(all.iter().copied(), &sizes);
        for (g, curve) in curves.iter().enumerate() {
            // Each group alone, by the textbook product over its distinct event times.
            let mine: Vec<(f64, bool)> = all
                .iter()
                .filter(|o| o.1.contains(&g))
                .map(|o| decode(o.0))
                .collect();
            let mut times: Vec<f64> = mine.iter().filter(|o| o.1).map(|o| o.0).collect();
            times.dedup();
            assert_eq!(curve.steps.len(), times.len(), "group {g}");
            let mut s = 1.0;
            for t in times {
                let at_risk = mine.iter().filter(|o| o.0 >= t).count() as f64;
                let events = mine.iter().filter(|o| o.1 && o.0 == t).count() as f64;
                s *= 1.0 - events / at_risk;
                assert!((curve.survival(t) - s).abs() < 1e-12, "group {g} at {t}");
            }
            assert_eq!(curve.n, mine.len());
        }
        let none = KaplanMeier::of_groups(std::iter::empty::<(u64, [usize; 1])>(), &[0]);
        assert_eq!(none[0].quantile(0.5), Quantile::Empty);
    }

    #[test]
    fn an_event_and_a_censoring_at_the_same_time_count_the_censored_case_at_risk() {
        let mut o = Observations::new();
        o.censored(1.0);
        o.event(1.0);
        o.event(2.0);
        let km = o.kaplan_meier();
        // At 1: 3 at risk, 1 event: S = 2/3; then 1 at risk at 2: S = 0.
        assert!((km.survival(1.0) - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(km.survival(2.0), 0.0);
    }
}
