//! The event calendar: pending events ordered by (time, sequence number).
//!
//! Ties in time break by the sequence number given at scheduling, so events scheduled for the
//! same instant fire in the order they were scheduled (FIFO) and a run is a pure function of its
//! inputs.
//!
//! Cancelling is O(1): each pending event owns a slot that records the sequence number of the
//! event it holds; cancelling frees the slot, and the heap entry, now stale, is dropped when it
//! reaches the top. When stale entries outnumber live ones the heap is rebuilt without them, so
//! memory stays proportional to the number of live events. The hot path (schedule, pop) touches
//! the heap and one slot, nothing else.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use crate::time::SimTime;

/// A handle to a scheduled event, used to cancel or reschedule it.
///
/// A key stays valid until its event fires or is cancelled; after that, operations on it are
/// no-ops that report `false`, even if its slot has been reused by a later event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EventKey {
    slot: u32,
    seq: u64,
}

/// The sequence number a free slot records: no event ever gets it.
const FREE: u64 = u64::MAX;

/// Stale entries are swept out when there are more of them than this and than live entries.
const MIN_STALE_FOR_SWEEP: usize = 64;

/// One pending event in the heap. Ordered so that `BinaryHeap` (a max-heap) pops the earliest
/// time first, then the lowest sequence number.
#[derive(Debug)]
struct Entry<E> {
    /// `SimTime::to_bits` of a finite, non-negative time: integer order equals time order.
    time_bits: u64,
    seq: u64,
    slot: u32,
    event: E,
}

impl<E> Entry<E> {
    /// Time then sequence number as one integer, compared without branches.
    #[inline]
    fn key(&self) -> u128 {
        (u128::from(self.time_bits) << 64) | u128::from(self.seq)
    }
}

impl<E> PartialEq for Entry<E> {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}

impl<E> Eq for Entry<E> {}

impl<E> PartialOrd for Entry<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<E> Ord for Entry<E> {
    #[inline]
    fn cmp(&self, other: &Self) -> Ordering {
        other.key().cmp(&self.key())
    }
}

/// Pending events of type `E`, earliest first, ties in scheduling order.
#[derive(Debug)]
pub struct Calendar<E> {
    heap: BinaryHeap<Entry<E>>,
    /// Per slot: the sequence number of the live event holding it, or `FREE`.
    slots: Vec<u64>,
    free_slots: Vec<u32>,
    next_seq: u64,
    stale: usize,
}

impl<E> Default for Calendar<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E> Calendar<E> {
    /// An empty calendar.
    pub fn new() -> Self {
        Self::with_capacity(0)
    }

    /// An empty calendar with room for `capacity` pending events before it reallocates.
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            heap: BinaryHeap::with_capacity(capacity),
            slots: Vec::with_capacity(capacity),
            free_slots: Vec::with_capacity(capacity),
            next_seq: 0,
            stale: 0,
        }
    }

    /// Number of pending (scheduled, not cancelled, not yet fired) events.
    #[inline]
    pub fn len(&self) -> usize {
        self.heap.len() - self.stale
    }

    /// Whether no event is pending.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
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
                self.slots[slot as usize] = seq;
                slot
            }
            None => {
                let slot = u32::try_from(self.slots.len())
                    .expect("more than u32::MAX events pending at once");
                self.slots.push(seq);
                slot
            }
        };
        self.heap.push(Entry {
            // `+ 0.0` turns -0.0 into +0.0 so the bit order is the numeric order.
            time_bits: (time + 0.0).to_bits(),
            seq,
            slot,
            event,
        });
        EventKey { slot, seq }
    }

    /// Whether the event behind `key` is still pending.
    #[inline]
    pub fn is_pending(&self, key: EventKey) -> bool {
        self.slots.get(key.slot as usize) == Some(&key.seq)
    }

    /// Cancels the event behind `key`. Returns whether it was pending.
    pub fn cancel(&mut self, key: EventKey) -> bool {
        if !self.is_pending(key) {
            return false;
        }
        self.release(key.slot);
        self.stale += 1;
        self.drop_stale_top();
        true
    }

    /// The time of the earliest pending event, if any.
    #[inline]
    pub fn peek_time(&self) -> Option<SimTime> {
        self.heap.peek().map(|e| SimTime::from_bits(e.time_bits))
    }

    /// Removes and returns the earliest pending event with its time.
    #[inline]
    pub fn pop(&mut self) -> Option<(SimTime, E)> {
        let entry = self.heap.pop()?;
        debug_assert_eq!(self.slots[entry.slot as usize], entry.seq);
        self.release(entry.slot);
        self.drop_stale_top();
        Some((SimTime::from_bits(entry.time_bits), entry.event))
    }

    /// Removes every pending event.
    pub fn clear(&mut self) {
        self.heap.clear();
        self.slots.clear();
        self.free_slots.clear();
        self.stale = 0;
    }

    #[inline]
    fn release(&mut self, slot: u32) {
        self.slots[slot as usize] = FREE;
        self.free_slots.push(slot);
    }

    /// Keeps the invariants that the top of the heap, if any, is a live event, and that stale
    /// entries do not outnumber live ones (beyond a small constant).
    #[inline]
    fn drop_stale_top(&mut self) {
        if self.stale == 0 {
            return;
        }
        if self.stale > MIN_STALE_FOR_SWEEP && self.stale > self.len() {
            self.sweep();
            return;
        }
        while self.stale > 0 {
            match self.heap.peek() {
                Some(top) if self.slots[top.slot as usize] != top.seq => {
                    self.heap.pop();
                    self.stale -= 1;
                }
                _ => break,
            }
        }
    }

    /// Rebuilds the heap without its stale entries: O(n).
    fn sweep(&mut self) {
        let slots = &self.slots;
        self.heap.retain(|e| slots[e.slot as usize] == e.seq);
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

    /// Differential test against a `BTreeMap` keyed by (time, sequence): millions of random
    /// schedules, cancels and pops must agree exactly, in order and in contents.
    #[test]
    fn matches_btreemap_shadow_over_millions_of_operations() {
        const OPERATIONS: usize = 3_000_000;
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(0x5eed_ca1e);
        let mut cal: Calendar<u64> = Calendar::new();
        let mut shadow: BTreeMap<(u64, u64), u64> = BTreeMap::new();
        let mut keys: Vec<(EventKey, (u64, u64))> = Vec::new();
        let mut now = 0.0f64;
        let mut seq = 0u64;
        for op in 0..OPERATIONS {
            let roll: f64 = rng.random();
            if roll < 0.45 {
                // Coarse times so that ties are frequent.
                let time = now + f64::from(rng.random_range(0u32..50)) * 0.5;
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
                shadow.first_key_value().map(|(k, _)| k.0)
            );
        }
        // Stale entries never outnumber live ones by much: memory tracks live events.
        assert!(cal.heap.len() <= 2 * cal.len() + MIN_STALE_FOR_SWEEP + 1);
    }
}
