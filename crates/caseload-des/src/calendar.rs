//! The event calendar: pending events ordered by (time, sequence number).
//!
//! Ties in time break by the sequence number given at scheduling, so events scheduled for the
//! same instant fire in the order they were scheduled (FIFO) and a run is a pure function of its
//! inputs.
//!
//! Time is cut into windows of a fixed width (three hours by default). Events of the current
//! window are kept in a 4-ary heap; events of the next [`BUCKETS`] windows wait unsorted in one
//! bucket per window; later events wait in an overflow heap. When the current window runs out, the next
//! occupied bucket is heapified and becomes current. The heap that every pop descends thus holds
//! one window's events, not every pending event: a model with thousands of far-off events (waits
//! of weeks, officers leaving in years) pops as fast as one with a few hundred.
//!
//! Cancelling is O(1): each pending event owns a slot that records the sequence number of the
//! event it holds; cancelling frees the slot, and the entry, now stale, is dropped when it
//! reaches the top of the heap or leaves its bucket. When stale entries outnumber live ones they
//! are swept out, so memory stays proportional to the number of live events.

use std::num::NonZeroU64;

use crate::time::SimTime;

/// A handle to a scheduled event, used to cancel or reschedule it.
///
/// A key stays valid until its event fires or is cancelled; after that, operations on it are
/// no-ops that report `false`, even if its slot has been reused by a later event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EventKey {
    slot: u32,
    /// Never zero (sequence numbers start at 1), so `Option<EventKey>` is 16 bytes.
    seq: NonZeroU64,
}

/// The sequence number a free slot records: no event ever gets it.
const FREE: u64 = u64::MAX;

/// Stale entries are swept out when there are more of them than this and than live entries.
const MIN_STALE_FOR_SWEEP: usize = 64;

/// Windows after the current one that have a bucket; later events go to the overflow heap.
pub const BUCKETS: usize = 1024;

/// Width of a window, days, unless the calendar is built with another: three hours. Narrower
/// windows keep the heap each pop descends small (a London replication has a few dozen events
/// per window); the buckets then reach 128 days ahead. Measured on the benches: 1/8 day beat
/// 1, 1/2, 1/4 and 1/16 day.
pub const DEFAULT_WINDOW_DAYS: f64 = 0.125;

/// One pending event's place in time; the event itself waits in its slot, so the entries the
/// heaps move are small whatever the event type. Ordered by time, then sequence number.
#[derive(Debug, Clone, Copy)]
struct Entry {
    /// `SimTime::to_bits` of a finite, non-negative time: integer order equals time order.
    time_bits: u64,
    seq: u64,
    slot: u32,
}

impl Entry {
    /// Whether the event is still pending: its slot still records its sequence number.
    #[inline]
    fn is_live<E>(&self, slots: &[Slot<E>]) -> bool {
        slots[self.slot as usize].seq == self.seq
    }

    /// Time then sequence number as one integer, compared without branches.
    #[inline]
    fn key(&self) -> u128 {
        (u128::from(self.time_bits) << 64) | u128::from(self.seq)
    }
}

/// A pending event and its sequence number, side by side so that firing or cancelling it
/// touches one place in memory.
#[derive(Debug)]
struct Slot<E> {
    /// The sequence number of the live event held, or `FREE`.
    seq: u64,
    /// The event while it is live. A cancelled event that needs no drop stays here until the
    /// slot is reused, so cancelling writes only `seq`.
    event: Option<E>,
}

/// Children per node of [`EntryHeap`]: four children share one or two cache lines and halve
/// the levels a pop descends compared with a binary heap.
const ARITY: usize = 4;
// `EntryHeap::earliest_of_four` is written for exactly four children.
const _: () = assert!(ARITY == 4);

/// A 4-ary min-heap of entries, earliest first. Entries are small `Copy` values, so the hole
/// that `pop` and `push` move stays in registers (Floyd's bottom-up pop: the hole goes down to
/// a leaf along the earliest children, then the last entry rises from there).
#[derive(Debug, Default)]
struct EntryHeap {
    data: Vec<Entry>,
}

impl EntryHeap {
    fn with_capacity(capacity: usize) -> Self {
        Self {
            data: Vec::with_capacity(capacity),
        }
    }

    /// Heapifies `data` in O(n).
    fn from_vec(data: Vec<Entry>) -> Self {
        let mut heap = Self { data };
        heap.rebuild();
        heap
    }

    fn into_vec(self) -> Vec<Entry> {
        self.data
    }

    #[inline]
    fn len(&self) -> usize {
        self.data.len()
    }

    #[inline]
    fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    #[inline]
    fn peek(&self) -> Option<&Entry> {
        self.data.first()
    }

    fn clear(&mut self) {
        self.data.clear();
    }

    fn retain(&mut self, keep: impl FnMut(&Entry) -> bool) {
        self.data.retain(keep);
        self.rebuild();
    }

    #[inline]
    fn push(&mut self, entry: Entry) {
        self.data.push(entry);
        self.sift_up(self.data.len() - 1, entry);
    }

    /// Moves `entry`, which belongs at `pos`, up to its place.
    #[inline]
    fn sift_up(&mut self, mut pos: usize, entry: Entry) {
        let key = entry.key();
        while pos > 0 {
            let parent = (pos - 1) / ARITY;
            let above = self.data[parent];
            if above.key() <= key {
                break;
            }
            self.data[pos] = above;
            pos = parent;
        }
        self.data[pos] = entry;
    }

    /// The index of the earliest of the children `first..end` (`end - first` in 1..=ARITY).
    #[inline]
    fn earliest_child(&self, first: usize, end: usize) -> usize {
        let mut best = first;
        let mut best_key = self.data[first].key();
        for child in first + 1..end {
            let key = self.data[child].key();
            if key < best_key {
                best = child;
                best_key = key;
            }
        }
        best
    }

    /// The index of the earliest of the `ARITY` children starting at `first`, without branches
    /// on the keys: a tournament of two pairs.
    #[inline]
    fn earliest_of_four(&self, first: usize) -> usize {
        let d = &self.data[first..first + ARITY];
        let (k0, k1, k2, k3) = (d[0].key(), d[1].key(), d[2].key(), d[3].key());
        let a = usize::from(k1 < k0);
        let b = 2 + usize::from(k3 < k2);
        let ka = if a == 0 { k0 } else { k1 };
        let kb = if b == 2 { k2 } else { k3 };
        first + if kb < ka { b } else { a }
    }

    #[inline]
    fn pop(&mut self) -> Option<Entry> {
        let last = self.data.pop()?;
        let Some(&top) = self.data.first() else {
            return Some(last);
        };
        let len = self.data.len();
        // Move the hole from the root down to a leaf along the earliest child.
        let mut pos = 0;
        let mut first = 1;
        while first + ARITY <= len {
            let earliest = self.earliest_of_four(first);
            self.data[pos] = self.data[earliest];
            pos = earliest;
            first = ARITY * pos + 1;
        }
        if first < len {
            let earliest = self.earliest_child(first, len);
            self.data[pos] = self.data[earliest];
            pos = earliest;
        }
        self.sift_up(pos, last);
        Some(top)
    }

    /// Restores the heap order of all entries: O(n).
    fn rebuild(&mut self) {
        let len = self.data.len();
        if len < 2 {
            return;
        }
        for start in (0..=(len - 2) / ARITY).rev() {
            let entry = self.data[start];
            let key = entry.key();
            let mut pos = start;
            loop {
                let first = ARITY * pos + 1;
                if first >= len {
                    break;
                }
                let child = self.earliest_child(first, (first + ARITY).min(len));
                if key <= self.data[child].key() {
                    break;
                }
                self.data[pos] = self.data[child];
                pos = child;
            }
            self.data[pos] = entry;
        }
    }
}

/// Pending events of type `E`, earliest first, ties in scheduling order.
#[derive(Debug)]
pub struct Calendar<E> {
    /// Events of windows up to and including `window`, earliest on top.
    near: EntryHeap,
    /// Events of windows `window + 1 ..= window + BUCKETS`, unsorted, at window % BUCKETS.
    buckets: Vec<Vec<Entry>>,
    /// One bit per bucket: whether it holds entries.
    occupied: [u64; BUCKETS / 64],
    /// Entries in `buckets`.
    in_buckets: usize,
    /// Events of windows after `window + BUCKETS`, earliest on top.
    overflow: EntryHeap,
    /// The current window's index.
    window: u64,
    /// Windows per day (the inverse of the window width).
    windows_per_day: f64,
    /// Per slot: the live event holding it and its sequence number.
    slots: Vec<Slot<E>>,
    free_slots: Vec<u32>,
    next_seq: u64,
    /// Entries of cancelled events still stored somewhere.
    stale: usize,
}

impl<E> Default for Calendar<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E> Calendar<E> {
    /// An empty calendar with windows of `DEFAULT_WINDOW_DAYS`.
    pub fn new() -> Self {
        Self::with_capacity(0)
    }

    /// An empty calendar with room for `capacity` events in its current window before it
    /// reallocates.
    pub fn with_capacity(capacity: usize) -> Self {
        Self::with_window(DEFAULT_WINDOW_DAYS, capacity)
    }

    /// An empty calendar whose windows are `width` days wide (positive and finite), with room
    /// for `capacity` events in its current window. Any width gives the same order of events;
    /// it is fastest when a window holds tens to hundreds of events.
    pub fn with_window(width: f64, capacity: usize) -> Self {
        assert!(
            width > 0.0 && width.is_finite(),
            "calendar window width must be positive and finite, not {width}"
        );
        Self {
            near: EntryHeap::with_capacity(capacity),
            buckets: std::iter::repeat_with(Vec::new).take(BUCKETS).collect(),
            occupied: [0; BUCKETS / 64],
            in_buckets: 0,
            overflow: EntryHeap::default(),
            window: 0,
            windows_per_day: 1.0 / width,
            slots: Vec::with_capacity(capacity),
            free_slots: Vec::with_capacity(capacity),
            next_seq: 1,
            stale: 0,
        }
    }

    /// Number of pending (scheduled, not cancelled, not yet fired) events.
    #[inline]
    pub fn len(&self) -> usize {
        self.stored() - self.stale
    }

    /// Whether no event is pending.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Entries stored, live or stale.
    #[inline]
    fn stored(&self) -> usize {
        self.near.len() + self.in_buckets + self.overflow.len()
    }

    /// The window of a time: monotone in the time.
    #[inline]
    fn window_of(&self, time_bits: u64) -> u64 {
        // Saturates for times beyond 2^64 windows, which then all share the last one.
        (SimTime::from_bits(time_bits) * self.windows_per_day) as u64
    }

    /// Schedules `event` at `time` (days). Panics if `time` is negative, NaN or infinite: that
    /// is a broken invariant of the caller, which must validate its inputs.
    #[inline]
    pub fn schedule(&mut self, time: SimTime, event: E) -> EventKey {
        assert!(
            time >= 0.0 && time.is_finite(),
            "event scheduled at an invalid time {time}"
        );
        let seq = self.next_seq;
        self.next_seq += 1;
        let slot = match self.free_slots.pop() {
            Some(slot) => {
                self.slots[slot as usize] = Slot {
                    seq,
                    event: Some(event),
                };
                slot
            }
            None => {
                let slot = u32::try_from(self.slots.len())
                    .expect("more than u32::MAX events pending at once");
                self.slots.push(Slot {
                    seq,
                    event: Some(event),
                });
                slot
            }
        };
        let entry = Entry {
            // `+ 0.0` turns -0.0 into +0.0 so the bit order is the numeric order.
            time_bits: (time + 0.0).to_bits(),
            seq,
            slot,
        };
        let window = self.window_of(entry.time_bits);
        if window <= self.window {
            self.near.push(entry);
        } else {
            self.store_far(window, entry);
        }
        EventKey {
            slot,
            seq: NonZeroU64::new(seq).expect("sequence numbers start at 1"),
        }
    }

    /// Stores an entry of a later window in its bucket or the overflow heap.
    #[inline]
    fn store_far(&mut self, window: u64, entry: Entry) {
        if window - self.window <= BUCKETS as u64 {
            let bucket = (window % BUCKETS as u64) as usize;
            self.buckets[bucket].push(entry);
            self.occupied[bucket / 64] |= 1 << (bucket % 64);
            self.in_buckets += 1;
        } else {
            self.overflow.push(entry);
        }
    }

    /// Whether the event behind `key` is still pending.
    #[inline]
    pub fn is_pending(&self, key: EventKey) -> bool {
        self.slots
            .get(key.slot as usize)
            .is_some_and(|slot| slot.seq == key.seq.get())
    }

    /// Cancels the event behind `key`. Returns whether it was pending.
    pub fn cancel(&mut self, key: EventKey) -> bool {
        if !self.is_pending(key) {
            return false;
        }
        self.release(key.slot);
        if std::mem::needs_drop::<E>() {
            self.slots[key.slot as usize].event = None;
        }
        self.stale += 1;
        if self.stale > MIN_STALE_FOR_SWEEP && self.stale > self.len() {
            self.sweep();
        }
        self.drop_stale_tops();
        true
    }

    /// The time of the earliest pending event, if any.
    #[inline]
    pub fn peek_time(&self) -> Option<SimTime> {
        match self.near.peek() {
            Some(top) => Some(SimTime::from_bits(top.time_bits)),
            None => self.earliest_later(),
        }
    }

    /// The earliest live time in the buckets or, when they hold none, the overflow heap; for
    /// a look ahead while the current window is used up.
    #[cold]
    fn earliest_later(&self) -> Option<SimTime> {
        let mut window = self.window;
        let mut searched = 0;
        while let Some(ahead) = self.next_occupied_after(window) {
            searched += ahead;
            if searched > BUCKETS as u64 {
                break;
            }
            window += ahead;
            let earliest = self.buckets[(window % BUCKETS as u64) as usize]
                .iter()
                .filter(|e| e.is_live(&self.slots))
                .map(|e| e.time_bits)
                .min();
            if let Some(bits) = earliest {
                return Some(SimTime::from_bits(bits));
            }
        }
        self.overflow
            .peek()
            .map(|top| SimTime::from_bits(top.time_bits))
    }

    /// The earliest event of the current window, if it has one left: most often the next to
    /// fire. Used as a hint only.
    #[inline]
    pub fn peek_event(&self) -> Option<&E> {
        let top = self.near.peek()?;
        self.slots[top.slot as usize].event.as_ref()
    }

    /// Removes and returns the earliest pending event with its time.
    #[inline]
    pub fn pop(&mut self) -> Option<(SimTime, E)> {
        self.pop_before(SimTime::INFINITY)
    }

    /// Removes and returns the earliest pending event with its time if that time is before
    /// `limit` (days); otherwise leaves it pending. When the current window is used up this
    /// moves to the window of the next event, even if that event then stays.
    #[inline]
    pub fn pop_before(&mut self, limit: SimTime) -> Option<(SimTime, E)> {
        while self.near.is_empty() {
            if !self.advance() {
                return None;
            }
            self.drop_stale_tops();
        }
        if SimTime::from_bits(self.near.peek()?.time_bits) >= limit {
            return None;
        }
        let entry = self.near.pop()?;
        let slot = &mut self.slots[entry.slot as usize];
        debug_assert_eq!(slot.seq, entry.seq);
        let event = slot
            .event
            .take()
            .expect("a live entry's slot holds its event");
        self.release(entry.slot);
        self.drop_stale_tops();
        Some((SimTime::from_bits(entry.time_bits), event))
    }

    /// Removes every pending event.
    pub fn clear(&mut self) {
        self.near.clear();
        for bucket in &mut self.buckets {
            bucket.clear();
        }
        self.occupied = [0; BUCKETS / 64];
        self.in_buckets = 0;
        self.overflow.clear();
        self.slots.clear();
        self.free_slots.clear();
        self.stale = 0;
    }

    #[inline]
    fn release(&mut self, slot: u32) {
        self.slots[slot as usize].seq = FREE;
        self.free_slots.push(slot);
    }

    /// Restores the invariant that the tops of `near` and of the overflow heap, if any, are
    /// live. The current window advances only when an event is due to be popped, so it never
    /// runs past the next event.
    #[inline]
    fn drop_stale_tops(&mut self) {
        if self.stale == 0 {
            return;
        }
        while let Some(top) = self.near.peek() {
            if top.is_live(&self.slots) {
                break;
            }
            self.near.pop();
            self.stale -= 1;
        }
        while let Some(top) = self.overflow.peek() {
            if top.is_live(&self.slots) {
                break;
            }
            self.overflow.pop();
            self.stale -= 1;
        }
    }

    /// Makes the next window that holds entries the current one and moves its entries into
    /// `near`. Returns false when no entry is stored anywhere.
    #[cold]
    fn advance(&mut self) -> bool {
        debug_assert!(self.near.is_empty(), "the current window is used up");
        let next_bucketed = self.next_occupied().map(|ahead| self.window + ahead);
        let next_overflow = self.overflow.peek().map(|e| self.window_of(e.time_bits));
        let next = match (next_bucketed, next_overflow) {
            (Some(b), Some(o)) => b.min(o),
            (Some(w), None) | (None, Some(w)) => w,
            (None, None) => return false,
        };
        self.window = next;
        // The bucket of the new window holds only its entries: take them before overflow
        // entries of the window `BUCKETS` later may land in it.
        let bucket = (self.window % BUCKETS as u64) as usize;
        if self.occupied[bucket / 64] & (1 << (bucket % 64)) != 0 {
            self.occupied[bucket / 64] &= !(1 << (bucket % 64));
            let mut entries = std::mem::take(&mut self.buckets[bucket]);
            self.in_buckets -= entries.len();
            let before = entries.len();
            let slots = &self.slots;
            entries.retain(|e| e.is_live(slots));
            self.stale -= before - entries.len();
            // Heapify in O(n), keeping `near`'s allocation for the bucket.
            let spare = std::mem::replace(&mut self.near, EntryHeap::from_vec(entries));
            let mut spare = spare.into_vec();
            spare.clear();
            self.buckets[bucket] = spare;
        }
        // Overflow entries now within reach move to their buckets (or to `near`).
        while let Some(top) = self.overflow.peek() {
            let window = self.window_of(top.time_bits);
            if window - self.window > BUCKETS as u64 {
                break;
            }
            let Some(entry) = self.overflow.pop() else {
                break;
            };
            if !entry.is_live(&self.slots) {
                self.stale -= 1;
            } else if window == self.window {
                self.near.push(entry);
            } else {
                self.store_far(window, entry);
            }
        }
        true
    }

    /// How many windows ahead of the current one the next occupied bucket is (1..=BUCKETS).
    fn next_occupied(&self) -> Option<u64> {
        self.next_occupied_after(self.window)
    }

    /// How many windows ahead of `window` the next occupied bucket is (1..=BUCKETS).
    fn next_occupied_after(&self, window: u64) -> Option<u64> {
        if self.in_buckets == 0 {
            return None;
        }
        let start = ((window + 1) % BUCKETS as u64) as usize;
        // Scan the bitmap from `start`, wrapping around once.
        for step in 0..=BUCKETS / 64 {
            let word_index = (start / 64 + step) % (BUCKETS / 64);
            let mut word = self.occupied[word_index];
            if step == 0 {
                word &= u64::MAX << (start % 64);
            } else if step == BUCKETS / 64 {
                word &= !(u64::MAX << (start % 64));
            }
            if word != 0 {
                let bucket = word_index * 64 + word.trailing_zeros() as usize;
                let ahead = (bucket + BUCKETS - start) % BUCKETS + 1;
                return Some(ahead as u64);
            }
        }
        None
    }

    /// Drops every stale entry: O(n).
    fn sweep(&mut self) {
        let slots = &self.slots;
        self.near.retain(|e| e.is_live(slots));
        self.overflow.retain(|e| e.is_live(slots));
        self.in_buckets = 0;
        for (bucket, entries) in self.buckets.iter_mut().enumerate() {
            if entries.is_empty() {
                continue;
            }
            entries.retain(|e| e.is_live(slots));
            self.in_buckets += entries.len();
            if entries.is_empty() {
                self.occupied[bucket / 64] &= !(1 << (bucket % 64));
            }
        }
        self.stale = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_xoshiro::Xoshiro256PlusPlus;
    use std::collections::BTreeMap;

    #[test]
    fn same_time_events_fire_in_scheduling_order() {
        let mut cal = Calendar::new();
        for i in 0..100 {
            cal.schedule(5.0, i);
        }
        cal.schedule(1.0, -1);
        let order: Vec<i32> = std::iter::from_fn(|| cal.pop().map(|(_, e)| e)).collect();
        let mut expected = vec![-1];
        expected.extend(0..100);
        assert_eq!(order, expected);
    }

    #[test]
    fn negative_zero_orders_as_zero() {
        let mut cal = Calendar::new();
        cal.schedule(0.0, 'a');
        cal.schedule(-0.0, 'b');
        cal.schedule(1e-300, 'c');
        assert_eq!(cal.pop().map(|p| p.1), Some('a'));
        assert_eq!(cal.pop().map(|p| p.1), Some('b'));
        assert_eq!(cal.pop().map(|p| p.1), Some('c'));
    }

    #[test]
    fn cancelled_key_is_not_pending_even_after_slot_reuse() {
        let mut cal = Calendar::new();
        let a = cal.schedule(1.0, 'a');
        assert!(cal.cancel(a));
        assert!(!cal.cancel(a));
        let b = cal.schedule(2.0, 'b');
        assert!(!cal.is_pending(a));
        assert!(cal.is_pending(b));
        assert_eq!(cal.len(), 1);
        assert_eq!(cal.pop(), Some((2.0, 'b')));
        assert!(cal.is_empty());
        assert_eq!(cal.peek_time(), None);
    }

    #[test]
    #[should_panic(expected = "invalid time")]
    fn nan_time_is_a_broken_invariant() {
        Calendar::new().schedule(f64::NAN, ());
    }

    /// Differential test against a `BTreeMap` keyed by (time, sequence): random schedules,
    /// cancels and pops must agree exactly, in order and in contents. Delays reach 25 days
    /// (and, rarely, 20 years), so a width of 0.01 day sends events to the overflow heap, 1 day
    /// spreads them over buckets and 1,000 days keeps them all in the current window.
    fn matches_btreemap_shadow(width: f64, seed: u64) {
        const OPERATIONS: usize = 1_000_000;
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        let mut cal: Calendar<u64> = Calendar::with_window(width, 0);
        let mut shadow: BTreeMap<(u64, u64), u64> = BTreeMap::new();
        let mut keys: Vec<(EventKey, (u64, u64))> = Vec::new();
        let mut now = 0.0f64;
        let mut seq = 0u64;
        for op in 0..OPERATIONS {
            let roll: f64 = rng.random();
            if roll < 0.45 {
                // Coarse times so that ties are frequent.
                let delay = if rng.random::<f64>() < 0.01 {
                    f64::from(rng.random_range(0u32..7_300))
                } else {
                    f64::from(rng.random_range(0u32..50)) * 0.5
                };
                let time = now + delay;
                let key = cal.schedule(time, op as u64);
                shadow.insert((time.to_bits(), seq), op as u64);
                keys.push((key, (time.to_bits(), seq)));
                seq += 1;
            } else if roll < 0.65 && !keys.is_empty() {
                let i = rng.random_range(0..keys.len());
                let (key, shadow_key) = keys.swap_remove(i);
                let was_pending = shadow.remove(&shadow_key).is_some();
                assert_eq!(cal.cancel(key), was_pending, "cancel disagrees at op {op}");
            } else {
                let expected = shadow.pop_first();
                let got = cal.pop();
                match (expected, got) {
                    (None, None) => {}
                    (Some(((bits, _), ev)), Some((time, got_ev))) => {
                        assert_eq!(time.to_bits(), bits, "time disagrees at op {op}");
                        assert_eq!(got_ev, ev, "event disagrees at op {op}");
                        now = time;
                    }
                    (e, g) => panic!("calendar and shadow disagree at op {op}: {e:?} vs {g:?}"),
                }
            }
            assert_eq!(cal.len(), shadow.len());
            assert_eq!(
                cal.peek_time().map(f64::to_bits),
                shadow.first_key_value().map(|(k, _)| k.0),
                "peek disagrees at op {op}"
            );
        }
        // Stale entries never outnumber live ones by much: memory tracks live events.
        assert!(cal.stored() <= 2 * cal.len() + MIN_STALE_FOR_SWEEP + 1);
    }

    #[test]
    fn matches_btreemap_shadow_with_overflowing_windows() {
        matches_btreemap_shadow(0.01, 0x5eed_ca1e);
    }

    #[test]
    fn matches_btreemap_shadow_with_day_windows() {
        matches_btreemap_shadow(1.0, 0x5eed_ca1f);
    }

    #[test]
    fn matches_btreemap_shadow_with_default_windows() {
        matches_btreemap_shadow(DEFAULT_WINDOW_DAYS, 0x5eed_ca20);
    }

    #[test]
    fn matches_btreemap_shadow_with_one_wide_window() {
        matches_btreemap_shadow(1_000.0, 0x5eed_ca21);
    }

    #[test]
    fn pop_before_leaves_events_at_or_after_the_limit() {
        let mut calendar = Calendar::with_window(1.0, 4);
        calendar.schedule(2.5, 'a');
        calendar.schedule(40.0, 'b');
        assert_eq!(calendar.pop_before(2.5), None);
        assert_eq!(calendar.pop_before(3.0), Some((2.5, 'a')));
        assert_eq!(calendar.pop_before(40.0), None);
        assert_eq!(calendar.len(), 1);
        // The window moved to day 40 for the look; an earlier event scheduled now still comes
        // out first.
        calendar.schedule(10.0, 'c');
        assert_eq!(calendar.pop(), Some((10.0, 'c')));
        assert_eq!(calendar.pop(), Some((40.0, 'b')));
        assert_eq!(calendar.pop(), None);
    }

    #[test]
    fn far_future_events_after_a_long_gap_come_out_in_order() {
        let mut cal = Calendar::new();
        // Beyond every bucket, in reverse order, then one nearer event.
        for (i, t) in [9_000.0, 5_000.5, 5_000.25, 1_500.0]
            .into_iter()
            .enumerate()
        {
            cal.schedule(t, i);
        }
        cal.schedule(3.0, 9);
        let order: Vec<(f64, usize)> = std::iter::from_fn(|| cal.pop()).collect();
        assert_eq!(
            order,
            vec![
                (3.0, 9),
                (1_500.0, 3),
                (5_000.25, 2),
                (5_000.5, 1),
                (9_000.0, 0)
            ]
        );
        assert!(cal.is_empty());
    }
}
