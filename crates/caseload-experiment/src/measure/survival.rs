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

/// Where a Kaplan-Meier curve is read, fixed before the one pass that estimates it: the pass
/// then keeps a few numbers per group, not the whole curve (a curve has a step for almost
/// every referral, and the KPIs read four numbers off it).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reading {
    /// The mean time is restricted to this time (days, or the observations' unit).
    pub horizon: f64,
    /// `S` is read at this time, for the share that had the event by then.
    pub by: f64,
}

/// The quantiles a curve is read at: the median and the 90th percentile.
const QUANTILES: [f64; 2] = [0.5, 0.9];

/// The Kaplan-Meier estimate of the survival function `S(t)`, the share still without the
/// event at time `t` (a step function falling at each event time), read at the points of a
/// [`Reading`]: the median and 90th percentile, the mean restricted to the reading's horizon,
/// and `S` at the reading's time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KaplanMeier {
    /// The median and the 90th percentile ([`QUANTILES`]).
    quantiles: [Quantile; 2],
    /// The area under `S` from 0 to the reading's horizon.
    restricted_mean: f64,
    /// `S` at the reading's time.
    survival_by: f64,
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

    /// The Kaplan-Meier estimate, read as `reading` says. Ties: at a time with both events
    /// and censorings the events come first (the usual convention: a case censored at `t` was
    /// at risk at `t`).
    pub fn kaplan_meier(mut self, reading: Reading) -> KaplanMeier {
        if !self.sorted {
            self.keys.sort_unstable();
        }
        let n = self.keys.len();
        let curves =
            KaplanMeier::of_groups(self.keys.iter().map(|&k| (k, [0])), &[n], &[], reading);
        curves[0]
    }
}

/// One group's running state while [`KaplanMeier::of_groups`] walks the observations.
///
/// Each observation is applied as it comes, events and censorings alike: with `n` at risk and
/// `d` events (1 or 0 for one observation), `S` becomes `S * ((n - d) / n)` and `n` falls by
/// the observations. A censoring multiplies by exactly 1 and leaves `S` as it was; `d` events
/// at one time applied one by one multiply by `(n - 1) / n * (n - 2) / (n - 1) ...`, the
/// estimate's `(n - d) / n` for that time (up to rounding), and the censorings at that time
/// come after its events (the key order). The factor does not depend on `S`, so from one
/// observation to the next `S` waits on one multiplication only, and no branch decides between
/// an event and a censoring (one that the data make unpredictable).
///
/// The mean restricted to the horizon, the area under `S` up to it, is summed by parts: the
/// time of each drop times the drop (`t * (S_before - S_after)`, zero for a censoring), plus
/// the horizon times `S` there. `S` at the horizon and at the reading's time are taken as the
/// walk passes them (the observations come in time order).
#[derive(Debug, Clone)]
struct Running {
    curve: KaplanMeier,
    /// `S` now.
    survival: f64,
    // Counted as a float (exact below 2^53), as it is used: no conversion per observation.
    /// Those at risk now.
    at_risk: f64,
    /// The last observation's time.
    last: f64,
    /// The sum over the drops in `S` so far of the time times the drop.
    drops: f64,
    /// `drops` and `S` when the walk passed the horizon (until then, now).
    at_horizon: Option<(f64, f64)>,
    /// `S` at or below this reaches the next of [`QUANTILES`] (minus infinity once all are).
    next_level: f64,
    /// The next of [`QUANTILES`] not reached yet.
    next_quantile: usize,
}

/// The `S` at or below which the `i`th of [`QUANTILES`] is reached (minus infinity past the
/// last): a small tolerance so that S = 0.5 exactly (reached by an even split) counts.
fn quantile_level(i: usize) -> f64 {
    QUANTILES
        .get(i)
        .map_or(f64::NEG_INFINITY, |q| 1.0 - q + 1e-12)
}

impl Running {
    fn new(n: usize) -> Self {
        Running {
            curve: KaplanMeier {
                quantiles: [Quantile::NotReached(0.0); 2],
                restricted_mean: 0.0,
                survival_by: 1.0,
                n,
            },
            survival: 1.0,
            at_risk: n as f64,
            last: 0.0,
            drops: 0.0,
            at_horizon: None,
            next_level: quantile_level(0),
            next_quantile: 0,
        }
    }

    /// `leaving` observations at time `t`, no earlier than any observation before it, `events`
    /// of them events and the rest censored.
    #[inline]
    fn observe(&mut self, t: f64, events: f64, leaving: f64) {
        let before = self.survival;
        self.survival = before * ((self.at_risk - events) / self.at_risk);
        self.at_risk -= leaving;
        self.drops += t * (before - self.survival);
        self.last = t;
        if self.survival <= self.next_level {
            while self.survival <= quantile_level(self.next_quantile) {
                self.curve.quantiles[self.next_quantile] = Quantile::At(t);
                self.next_quantile += 1;
            }
            self.next_level = quantile_level(self.next_quantile);
        }
    }

    /// The walk passes the reading's time: `S` there is `S` now.
    fn pass_by(&mut self) {
        self.curve.survival_by = self.survival;
    }

    /// The walk passes the horizon: what the restricted mean needs of it is now.
    fn pass_horizon(&mut self) {
        self.at_horizon = Some((self.drops, self.survival));
    }

    /// The curve once every observation is in.
    fn finish(self, reading: Reading) -> KaplanMeier {
        let mut curve = self.curve;
        if curve.n == 0 {
            curve.quantiles = [Quantile::Empty; 2];
            curve.restricted_mean = f64::NAN;
            return curve;
        }
        for quantile in &mut curve.quantiles {
            if let Quantile::NotReached(t) = quantile {
                *t = self.last;
            }
        }
        let (drops, survival) = self.at_horizon.unwrap_or((self.drops, self.survival));
        curve.restricted_mean = drops + reading.horizon.max(0.0) * survival;
        debug_assert_eq!(self.at_risk, 0.0, "sizes give each group's observations");
        curve
    }
}

impl KaplanMeier {
    /// The estimates of the groups in one pass over `observations`, each read as `reading`
    /// says: (a [`sort_key`], the groups it belongs to, those at or past `sizes.len()`
    /// ignored), in ascending key order, after `at_zero[g]` events at time 0 in group `g`
    /// that are not among them (an empty slice: none; referrals allocated on arrival are
    /// counted so rather than listed); `sizes[g]` is the number of observations of group `g`,
    /// those at zero included (checked in debug builds).
    pub fn of_groups<const K: usize>(
        observations: impl Iterator<Item = (u64, [usize; K])>,
        sizes: &[usize],
        at_zero: &[usize],
        reading: Reading,
    ) -> Vec<Self> {
        let mut states: Vec<Running> = sizes.iter().map(|&n| Running::new(n)).collect();
        // The reading's time and the horizon are passed once each, the walk being in time
        // order: `S(by)` is `S` after the events at or before `by`, the restricted mean needs
        // `S` just before the horizon.
        let (mut by_passed, mut horizon_passed) = (false, false);
        let mut pass = |states: &mut [Running], t: f64| {
            if !by_passed && t > reading.by {
                states.iter_mut().for_each(Running::pass_by);
                by_passed = true;
            }
            if !horizon_passed && t >= reading.horizon {
                states.iter_mut().for_each(Running::pass_horizon);
                horizon_passed = true;
            }
            match (by_passed, horizon_passed) {
                (false, false) => reading.by.min(reading.horizon),
                (false, true) => reading.by,
                (true, false) => reading.horizon,
                (true, true) => f64::INFINITY,
            }
        };
        let mut next_check = pass(&mut states, 0.0);
        for (state, &d) in states.iter_mut().zip(at_zero) {
            if d > 0 {
                state.observe(0.0, d as f64, d as f64);
            }
        }
        #[cfg(debug_assertions)]
        let mut previous = 0;
        for (key, members) in observations {
            #[cfg(debug_assertions)]
            {
                debug_assert!(previous <= key, "observations in ascending key order");
                previous = key;
            }
            let t = f64::from_bits(key >> 1);
            if t >= next_check {
                next_check = pass(&mut states, t);
            }
            // 1 for an event, 0 for a censoring.
            let events = (1 - (key & 1)) as f64;
            for g in members {
                if let Some(state) = states.get_mut(g) {
                    state.observe(t, events, 1.0);
                }
            }
        }
        // Whatever was not passed is passed at the end.
        pass(&mut states, f64::INFINITY);
        states.into_iter().map(|s| s.finish(reading)).collect()
    }

    /// The `q` quantile of the time to the event, `q` 0.5 (the median) or 0.9: the first time
    /// at which `S` falls to `1 - q` or below. NaN-valued [`Quantile::Empty`] for another `q`
    /// (checked in debug builds).
    pub fn quantile(&self, q: f64) -> Quantile {
        match QUANTILES.iter().position(|&k| k == q) {
            Some(i) => self.quantiles[i],
            None => {
                debug_assert!(false, "a curve is read at the quantiles {QUANTILES:?} only");
                Quantile::Empty
            }
        }
    }

    /// The mean time to the event restricted to the reading's horizon: the area under `S`
    /// from 0 to the horizon, the expected `min(T, horizon)`. Past the last observation `S`
    /// is held at its last value. NaN with no observations.
    pub fn restricted_mean(&self) -> f64 {
        self.restricted_mean
    }

    /// The share that had the event by the reading's time, `1 - S(by)`.
    pub fn share_by(&self) -> f64 {
        1.0 - self.survival_by
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(key: u64) -> (f64, bool) {
        (f64::from_bits(key >> 1), key & 1 == 0)
    }

    /// The curve of `o` with its mean restricted to `horizon` and `S` read at `by`.
    fn read(o: &Observations, horizon: f64, by: f64) -> KaplanMeier {
        o.clone().kaplan_meier(Reading { horizon, by })
    }

    /// `S(t)` of `o`.
    fn survival(o: &Observations, t: f64) -> f64 {
        1.0 - read(o, t, t).share_by()
    }

    /// Worked by hand: times 2, 3+, 4, 4, 5+, 6, 8+ (a plus marks a censored time).
    /// At 2: 7 at risk, 1 event, S = 6/7. 3+ leaves (5 at risk at 4). At 4: 2 events,
    /// S = 6/7 * 3/5 = 18/35. 5+ leaves (2 at risk at 6). At 6: 1 event, S = 18/35 * 1/2 =
    /// 9/35. 8+ leaves.
    fn worked_example() -> Observations {
        let mut o = Observations::new();
        for t in [2.0, 4.0, 4.0, 6.0] {
            o.event(t);
        }
        for t in [3.0, 5.0, 8.0] {
            o.censored(t);
        }
        o
    }

    #[test]
    fn kaplan_meier_matches_a_hand_worked_example() {
        let o = worked_example();
        assert_eq!(survival(&o, 1.9), 1.0);
        assert!((survival(&o, 2.0) - 6.0 / 7.0).abs() < 1e-12);
        assert!((survival(&o, 3.5) - 6.0 / 7.0).abs() < 1e-12);
        assert!((survival(&o, 4.0) - 18.0 / 35.0).abs() < 1e-12);
        assert!((survival(&o, 7.0) - 9.0 / 35.0).abs() < 1e-12);
        let km = read(&o, 10.0, 4.0);
        // Median: S first at or below 0.5 at 6 (18/35 = 0.514 > 0.5 at 4).
        assert_eq!(km.quantile(0.5), Quantile::At(6.0));
        // The 90th percentile needs S <= 0.1: never reached; the longest time seen is 8.
        assert_eq!(km.quantile(0.9), Quantile::NotReached(8.0));
        assert_eq!(km.quantile(0.9).value(), f64::INFINITY);
        // Area under S up to 10: 2*1 + 2*(6/7) + 2*(18/35) + 4*(9/35) = 202/35.
        assert!((km.restricted_mean() - 202.0 / 35.0).abs() < 1e-12);
        // Restricted to 3: 2*1 + 1*(6/7).
        assert!((read(&o, 3.0, 4.0).restricted_mean() - (2.0 + 6.0 / 7.0)).abs() < 1e-12);
        assert!((km.share_by() - 17.0 / 35.0).abs() < 1e-12);
    }

    #[test]
    fn without_censoring_it_is_the_empirical_distribution() {
        let mut o = Observations::new();
        for t in [5.0, 1.0, 3.0, 2.0, 4.0, 3.0] {
            o.event(t);
        }
        // Six values: S(3) = 2/6 left (4 and 5); the median is the smallest t with F(t) >= 1/2.
        assert!((survival(&o, 3.0) - 2.0 / 6.0).abs() < 1e-12);
        let km = read(&o, 100.0, 3.0);
        assert_eq!(km.quantile(0.5), Quantile::At(3.0));
        // F(t) >= 0.9 first at the largest value.
        assert_eq!(km.quantile(0.9), Quantile::At(5.0));
        let mean = (5.0 + 1.0 + 3.0 + 2.0 + 4.0 + 3.0) / 6.0;
        assert!((km.restricted_mean() - mean).abs() < 1e-12);
    }

    #[test]
    fn everyone_censored_reaches_nothing_and_nothing_observed_is_empty() {
        let mut o = Observations::new();
        assert!(o.is_empty());
        for t in [10.0, 20.0, 264.0] {
            o.censored(t);
        }
        assert_eq!(o.len(), 3);
        let km = read(&o, 300.0, 100.0);
        assert_eq!(km.quantile(0.5), Quantile::NotReached(264.0));
        assert_eq!(km.restricted_mean(), 300.0);
        assert_eq!(km.share_by(), 0.0);
        let empty = read(&Observations::new(), 10.0, 1.0);
        assert_eq!(empty.quantile(0.5), Quantile::Empty);
        assert!(empty.restricted_mean().is_nan());
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
        let horizon = 6.1;
        for g in 0..sizes.len() {
            // The group alone, by the textbook product over its distinct event times.
            let mine: Vec<(f64, bool)> = all
                .iter()
                .filter(|o| o.1.contains(&g))
                .map(|o| decode(o.0))
                .collect();
            let mut times: Vec<f64> = mine.iter().filter(|o| o.1).map(|o| o.0).collect();
            times.dedup();
            let mut steps = Vec::new();
            let mut s = 1.0;
            for &t in &times {
                let at_risk = mine.iter().filter(|o| o.0 >= t).count() as f64;
                let events = mine.iter().filter(|o| o.1 && o.0 == t).count() as f64;
                s *= 1.0 - events / at_risk;
                steps.push((t, s));
            }
            let reading = |by| Reading { horizon, by };
            for &(t, s) in &steps {
                let curve = KaplanMeier::of_groups(all.iter().copied(), &sizes, &[], reading(t))[g];
                assert!(
                    (curve.share_by() - (1.0 - s)).abs() < 1e-12,
                    "group {g} at {t}"
                );
            }
            let curve = KaplanMeier::of_groups(all.iter().copied(), &sizes, &[], reading(0.0))[g];
            assert_eq!(curve.n, mine.len());
            let last = mine.last().expect("observations").0;
            for q in QUANTILES {
                let expected = steps
                    .iter()
                    .find(|step| step.1 <= 1.0 - q + 1e-12)
                    .map_or(Quantile::NotReached(last), |step| Quantile::At(step.0));
                assert_eq!(curve.quantile(q), expected, "group {g}, quantile {q}");
            }
            let (mut area, mut from, mut level) = (0.0, 0.0, 1.0);
            for &(t, s) in steps.iter().take_while(|step| step.0 < horizon) {
                area += (t - from) * level;
                from = t;
                level = s;
            }
            area += (horizon - from) * level;
            assert!((curve.restricted_mean() - area).abs() < 1e-12, "group {g}");
        }
        let none = KaplanMeier::of_groups(
            std::iter::empty::<(u64, [usize; 1])>(),
            &[0],
            &[],
            Reading {
                horizon: 1.0,
                by: 1.0,
            },
        );
        assert_eq!(none[0].quantile(0.5), Quantile::Empty);
    }

    #[test]
    fn events_at_zero_counted_give_the_curves_they_give_listed() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(3);
        // A third at time 0 (allocated on arrival), the rest spread, some censored.
        let mut all: Vec<(u64, [usize; 2])> = (0..3_000)
            .map(|_| {
                let group = rng.random_range(1..4usize);
                let time = if rng.random_bool(0.35) {
                    0.0
                } else {
                    rng.random_range(0.0..30.0)
                };
                (
                    sort_key(time, time == 0.0 || rng.random_bool(0.8)),
                    [0, group],
                )
            })
            .collect();
        all.sort_unstable_by_key(|o| o.0);
        let mut sizes = [0; 4];
        let mut at_zero = [0; 4];
        for o in &all {
            for g in o.1 {
                sizes[g] += 1;
                at_zero[g] += usize::from(o.0 == 0);
            }
        }
        assert!(at_zero[0] > 900 && at_zero[0] < sizes[0]);
        for by in [0.0, 2.0, 20.0] {
            let reading = Reading { horizon: 25.0, by };
            let listed = KaplanMeier::of_groups(all.iter().copied(), &sizes, &[], reading);
            let rest = all.iter().copied().filter(|o| o.0 != 0);
            let counted = KaplanMeier::of_groups(rest, &sizes, &at_zero, reading);
            // The same estimate; the factors for time 0 rounded once rather than one by one.
            for (l, c) in listed.iter().zip(&counted) {
                assert_eq!((l.quantiles, l.n), (c.quantiles, c.n), "read by {by}");
                assert!((l.restricted_mean - c.restricted_mean).abs() < 1e-12 * l.restricted_mean);
                assert!(
                    (l.survival_by - c.survival_by).abs() < 1e-12,
                    "read by {by}"
                );
            }
        }
        // Enough at zero to reach the median there.
        let most = [10, 6];
        let curve = KaplanMeier::of_groups(
            [(sort_key(1.0, true), [0]), (sort_key(2.0, false), [0])]
                .into_iter()
                .chain(std::iter::repeat_n((sort_key(3.0, true), [1]), 6)),
            &most,
            &[8, 0],
            Reading {
                horizon: 5.0,
                by: 0.0,
            },
        );
        assert_eq!(curve[0].quantile(0.5), Quantile::At(0.0));
        assert_eq!(curve[0].quantile(0.9), Quantile::At(1.0));
        assert!((curve[0].share_by() - 0.8).abs() < 1e-15);
        assert_eq!(curve[1].quantile(0.5), Quantile::At(3.0));
    }

    #[test]
    fn an_event_and_a_censoring_at_the_same_time_count_the_censored_case_at_risk() {
        let mut o = Observations::new();
        o.censored(1.0);
        o.event(1.0);
        o.event(2.0);
        // At 1: 3 at risk, 1 event: S = 2/3; then 1 at risk at 2: S = 0.
        assert!((survival(&o, 1.0) - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(survival(&o, 2.0), 0.0);
    }
}
