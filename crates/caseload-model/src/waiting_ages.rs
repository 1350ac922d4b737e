//! The referral times of a team's waiting cases, bucketed by day under a Fenwick tree of
//! counts, so the daily observation finds waiting-age quantiles and the count over a threshold
//! in O(log days) plus one bucket, instead of sorting every waiting case every day.

use caseload_des::SimTime;
use smallvec::SmallVec;

/// The referral times of one day's waiting cases: up to 7 inline (64 bytes in all), so most
/// days need no allocation of their own.
type DayTimes = SmallVec<[SimTime; 7]>;

/// Referral times of waiting cases, with exact order statistics.
#[derive(Debug, Clone)]
pub(crate) struct WaitingAges {
    /// Day number of bucket 0.
    origin: i64,
    /// Fenwick tree of bucket counts, 1-based (`tree[0]` unused).
    tree: Vec<u32>,
    /// Each bucket's cases' referral times, days. Only times are kept: cases referred at the same
    /// instant are interchangeable for every statistic of the index.
    buckets: Vec<DayTimes>,
    len: u32,
}

impl WaitingAges {
    /// An empty index for referral times from day `first_day` to `last_day` (times outside are
    /// kept in the end buckets).
    pub(crate) fn new(first_day: i64, last_day: i64) -> Self {
        let buckets = (last_day - first_day + 1).max(1) as usize;
        Self {
            origin: first_day,
            tree: vec![0; buckets + 1],
            buckets: vec![DayTimes::new(); buckets],
            len: 0,
        }
    }

    /// Cases in the index.
    pub(crate) fn len(&self) -> u32 {
        self.len
    }

    fn bucket(&self, time: SimTime) -> usize {
        let day = time.floor() as i64 - self.origin;
        day.clamp(0, self.buckets.len() as i64 - 1) as usize
    }

    fn add(&mut self, bucket: usize, up: bool) {
        let mut i = bucket + 1;
        while i < self.tree.len() {
            if up {
                self.tree[i] += 1;
            } else {
                self.tree[i] -= 1;
            }
            i += i & i.wrapping_neg();
        }
    }

    /// Cases in buckets before `bucket`.
    fn before(&self, bucket: usize) -> u32 {
        let mut i = bucket;
        let mut sum = 0;
        while i > 0 {
            sum += self.tree[i];
            i &= i - 1;
        }
        sum
    }

    /// Adds a case referred at `time`.
    pub(crate) fn insert(&mut self, time: SimTime) {
        let b = self.bucket(time);
        self.buckets[b].push(time);
        self.add(b, true);
        self.len += 1;
    }

    /// Removes a case referred at `time` (exactly); false if there is none.
    pub(crate) fn remove(&mut self, time: SimTime) -> bool {
        let b = self.bucket(time);
        let bucket = &mut self.buckets[b];
        let Some(at) = bucket.iter().position(|t| t.to_bits() == time.to_bits()) else {
            return false;
        };
        bucket.swap_remove(at);
        if bucket.is_empty() && bucket.spilled() {
            // Old days empty out for good: give their memory back.
            *bucket = DayTimes::new();
        }
        self.add(b, false);
        self.len -= 1;
        true
    }

    /// Cases waiting longer than `threshold` days at `now` (`now - time > threshold`, compared
    /// exactly as written).
    pub(crate) fn older_than(&self, now: SimTime, threshold: f64) -> u32 {
        if self.len == 0 {
            return 0;
        }
        // Buckets well before the boundary all count and well after it none do; the
        // boundary's neighbours are checked case by case, so rounding cannot misplace one.
        let boundary = self.bucket(now - threshold);
        let first = boundary.saturating_sub(1);
        let last = (boundary + 1).min(self.buckets.len() - 1);
        let exact = self.buckets[first..=last]
            .iter()
            .flatten()
            .filter(|&&t| now - t > threshold)
            .count() as u32;
        self.before(first) + exact
    }
}

/// The `k`-th smallest referral time (0-based) over the cases of all `indexes` (which share
/// one day range), using `scratch` for the cases of one day. `None` if there are not `k + 1`.
pub(crate) fn kth_arrival(
    indexes: &[&WaitingAges],
    k: u32,
    scratch: &mut Vec<SimTime>,
) -> Option<SimTime> {
    kth_arrivals(indexes, k, scratch).map(|(time, _)| time)
}

/// The `k`-th smallest referral time (0-based) over the cases of all `indexes` and, when it
/// falls on the same day, the `k + 1`-th as well: both from one descent and one selection.
/// `None` if there are not `k + 1` cases.
fn kth_arrivals(
    indexes: &[&WaitingAges],
    k: u32,
    scratch: &mut Vec<SimTime>,
) -> Option<(SimTime, Option<SimTime>)> {
    let first = indexes.first()?;
    let total: u32 = indexes.iter().map(|x| x.len()).sum();
    if k >= total {
        return None;
    }
    // Fenwick descent on the summed trees: the last position whose prefix count is <= k.
    let size = first.buckets.len();
    let mut position = 0;
    let mut remaining = k;
    let mut step = size.next_power_of_two();
    while step > 0 {
        let next = position + step;
        if next <= size {
            let count: u32 = indexes.iter().map(|x| x.tree[next]).sum();
            if count <= remaining {
                position = next;
                remaining -= count;
            }
        }
        step >>= 1;
    }
    // `position` buckets hold `k - remaining` cases; the answer is in bucket `position`.
    scratch.clear();
    for x in indexes {
        scratch.extend_from_slice(&x.buckets[position]);
    }
    let r = remaining as usize;
    let (_, &mut time, later) = scratch.select_nth_unstable_by(r, f64::total_cmp);
    // Everything after the `r`-th is no smaller: the next order statistic is their minimum.
    let next = later.iter().copied().min_by(f64::total_cmp);
    Some((time, next))
}

/// The `q` quantile (type 7: linear between order statistics) of the waiting ages at `now` of
/// the cases of `indexes`; NaN when none is waiting.
pub(crate) fn age_quantile(
    indexes: &[&WaitingAges],
    now: SimTime,
    q: f64,
    scratch: &mut Vec<SimTime>,
) -> f64 {
    let n: u32 = indexes.iter().map(|x| x.len()).sum();
    if n == 0 {
        // No median of an empty list.
        return f64::NAN;
    }
    let h = f64::from(n - 1) * q;
    let lo = h.floor() as u32;
    // The i-th smallest age is `now` minus the (n - 1 - i)-th smallest referral time.
    let k = n - 1 - lo;
    if lo + 1 >= n {
        return kth_arrival(indexes, k, scratch).map_or(0.0, |t| now - t);
    }
    // Ages `lo` and `lo + 1` are referral times `k` and `k - 1`: usually on one day.
    let Some((earlier, later)) = kth_arrivals(indexes, k - 1, scratch) else {
        return 0.0;
    };
    let later = later.or_else(|| kth_arrival(indexes, k, scratch));
    let low = later.map_or(0.0, |t| now - t);
    let high = now - earlier;
    low + (h - f64::from(lo)) * (high - low)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    /// Type-7 quantile by sorting, the definition the index must reproduce.
    fn sorted_quantile(values: &[f64], q: f64) -> f64 {
        if values.is_empty() {
            return f64::NAN;
        }
        let mut v = values.to_vec();
        v.sort_by(f64::total_cmp);
        let h = (v.len() - 1) as f64 * q;
        let lo = h.floor() as usize;
        if lo + 1 >= v.len() {
            return v[lo];
        }
        v[lo] + (h - lo as f64) * (v[lo + 1] - v[lo])
    }

    #[test]
    fn quantiles_and_counts_match_sorting_through_inserts_and_removals() {
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(11);
        let mut teams = [WaitingAges::new(-40, 400), WaitingAges::new(-40, 400)];
        let mut live: Vec<(usize, f64, u64)> = Vec::new();
        let mut scratch = Vec::new();
        for id in 0..3_000u64 {
            let team = rng.random_range(0..2);
            // Some times repeat exactly, some fall on whole days, some before day 0.
            let time = match id % 5 {
                0 => f64::from(rng.random_range(-40..380)),
                1 if !live.is_empty() => live[rng.random_range(0..live.len())].1,
                _ => rng.random_range(-40.0..380.0),
            };
            teams[team].insert(time);
            live.push((team, time, id));
            if rng.random_bool(0.45) {
                let (t, time, _) = live.swap_remove(rng.random_range(0..live.len()));
                assert!(teams[t].remove(time));
            }
            if id % 97 == 0 {
                let now = 380.0 + f64::from(rng.random_range(0..20));
                for q in [0.0, 0.5, 0.9, 1.0] {
                    for (which, indexes) in [
                        (Some(0), vec![&teams[0]]),
                        (Some(1), vec![&teams[1]]),
                        (None, vec![&teams[0], &teams[1]]),
                    ] {
                        let ages: Vec<f64> = live
                            .iter()
                            .filter(|(t, ..)| which.is_none_or(|w| w == *t))
                            .map(|&(_, time, _)| now - time)
                            .collect();
                        let got = age_quantile(&indexes, now, q, &mut scratch);
                        assert_eq!(got.to_bits(), sorted_quantile(&ages, q).to_bits());
                    }
                }
                for threshold in [0.0, 28.0, 100.5, f64::from(rng.random_range(0..400))] {
                    let expected = live
                        .iter()
                        .filter(|&&(t, time, _)| t == 0 && now - time > threshold)
                        .count() as u32;
                    assert_eq!(teams[0].older_than(now, threshold), expected);
                }
            }
        }
        assert!(!teams[0].remove(1e9), "removing a case not there fails");
    }
}
