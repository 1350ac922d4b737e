//! The simulation executive: the clock, the calendar and the run loop.
//!
//! The vocabulary follows SimPy: `now`, `schedule`, `step`, `peek`, `run(until)`. A model is
//! any type implementing [`Model`]; it receives each event with mutable access to the
//! simulation, so handlers schedule and cancel follow-up events directly.

use crate::calendar::{Calendar, EventKey};
use crate::time::SimTime;

/// A discrete-event model: the state that events act on.
pub trait Model {
    /// The model's events: an inline enum, matched exhaustively by `handle`.
    type Event;

    /// Applies `event`, which fires at `sim.now()`.
    fn handle(&mut self, sim: &mut Simulation<Self::Event>, event: Self::Event);

    /// A hint that `next` is likely the next event: the model may start loading what it
    /// will touch. It must not change any state.
    #[inline]
    fn prefetch(&self, _next: &Self::Event) {}
}

/// When a run stops.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RunLimits {
    /// Events at or after this time (days) are left pending, and the clock stops here. The stop
    /// at the horizon fires before ordinary events scheduled for the same instant.
    pub horizon: SimTime,
    /// Stop after this many events in this call, if set.
    pub max_events: Option<u64>,
}

impl RunLimits {
    /// Run until `horizon` (days), with no event limit.
    pub const fn until(horizon: SimTime) -> Self {
        Self {
            horizon,
            max_events: None,
        }
    }

    /// Run until the calendar is empty.
    pub const fn exhaust() -> Self {
        Self::until(f64::INFINITY)
    }

    /// The same limits with an event limit.
    pub const fn with_max_events(mut self, max_events: u64) -> Self {
        self.max_events = Some(max_events);
        self
    }
}

/// Why a run returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopReason {
    /// The clock reached the horizon.
    Horizon,
    /// The event limit was reached.
    EventLimit,
    /// No event was pending.
    Exhausted,
}

/// The clock and calendar of one replication.
#[derive(Debug)]
pub struct Simulation<E> {
    now: SimTime,
    calendar: Calendar<E>,
    events_processed: u64,
}

impl<E> Default for Simulation<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E> Simulation<E> {
    /// A simulation at time 0 with nothing scheduled.
    pub fn new() -> Self {
        Self {
            now: 0.0,
            calendar: Calendar::with_capacity(64),
            events_processed: 0,
        }
    }

    /// The current time, days.
    #[inline]
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// Events processed so far.
    #[inline]
    pub fn events_processed(&self) -> u64 {
        self.events_processed
    }

    /// Number of pending events.
    #[inline]
    pub fn pending(&self) -> usize {
        self.calendar.len()
    }

    /// Schedules `event` at absolute time `at` (days). Scheduling in the past is a broken
    /// invariant of the model and panics.
    #[inline]
    pub fn schedule(&mut self, at: SimTime, event: E) -> EventKey {
        assert!(
            at >= self.now,
            "event scheduled in the past: at {at}, now {}",
            self.now
        );
        self.calendar.schedule(at, event)
    }

    /// Schedules `event` after `delay` days (non-negative).
    #[inline]
    pub fn schedule_in(&mut self, delay: SimTime, event: E) -> EventKey {
        self.schedule(self.now + delay, event)
    }

    /// Cancels a pending event. Returns whether it was pending.
    #[inline]
    pub fn cancel(&mut self, key: EventKey) -> bool {
        self.calendar.cancel(key)
    }

    /// Cancels the event behind `key` (if still pending) and schedules `event` at `at` instead.
    #[inline]
    pub fn reschedule(&mut self, key: EventKey, at: SimTime, event: E) -> EventKey {
        self.calendar.cancel(key);
        self.schedule(at, event)
    }

    /// Whether the event behind `key` is still pending.
    #[inline]
    pub fn is_pending(&self, key: EventKey) -> bool {
        self.calendar.is_pending(key)
    }

    /// The time of the next pending event.
    #[inline]
    pub fn peek(&self) -> Option<SimTime> {
        self.calendar.peek_time()
    }

    /// Advances the clock to the next event and returns it, without handling it.
    #[inline]
    pub fn step(&mut self) -> Option<E> {
        let (time, event) = self.calendar.pop()?;
        debug_assert!(time >= self.now);
        self.now = time;
        self.events_processed += 1;
        Some(event)
    }

    /// Runs `model` until a limit is reached or no event is pending.
    pub fn run<M: Model<Event = E>>(&mut self, model: &mut M, limits: RunLimits) -> StopReason {
        let mut budget = limits.max_events.unwrap_or(u64::MAX);
        loop {
            if budget == 0 {
                return StopReason::EventLimit;
            }
            let Some((time, event)) = self.calendar.pop_before(limits.horizon) else {
                if self.calendar.is_empty() {
                    if limits.horizon.is_finite() {
                        self.now = self.now.max(limits.horizon);
                    }
                    return StopReason::Exhausted;
                }
                self.now = self.now.max(limits.horizon);
                return StopReason::Horizon;
            };
            debug_assert!(time >= self.now);
            self.now = time;
            self.events_processed += 1;
            budget -= 1;
            if let Some(next) = self.calendar.peek_event() {
                model.prefetch(next);
            }
            model.handle(self, event);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Records what fires when, and schedules a chain of follow-ups.
    struct Recorder {
        log: Vec<(SimTime, u32)>,
    }

    impl Model for Recorder {
        type Event = u32;
        fn handle(&mut self, sim: &mut Simulation<u32>, event: u32) {
            self.log.push((sim.now(), event));
            if event < 5 {
                sim.schedule_in(1.0, event + 1);
            }
        }
    }

    #[test]
    fn horizon_stops_before_events_at_the_same_time() {
        let mut sim = Simulation::new();
        sim.schedule(0.0, 0);
        let mut rec = Recorder { log: vec![] };
        assert_eq!(
            sim.run(&mut rec, RunLimits::until(3.0)),
            StopReason::Horizon
        );
        assert_eq!(rec.log, vec![(0.0, 0), (1.0, 1), (2.0, 2)]);
        assert_eq!(sim.now(), 3.0);
        assert_eq!(sim.pending(), 1);
        // Resuming continues where the run stopped.
        assert_eq!(
            sim.run(&mut rec, RunLimits::exhaust()),
            StopReason::Exhausted
        );
        assert_eq!(rec.log.len(), 6);
        assert_eq!(sim.events_processed(), 6);
    }

    /// Records each event with the prefetch hint given just before it was handled.
    struct HintRecorder {
        hint: std::cell::Cell<Option<u32>>,
        pairs: Vec<(u32, Option<u32>)>,
    }

    impl Model for HintRecorder {
        type Event = u32;
        fn handle(&mut self, _sim: &mut Simulation<u32>, event: u32) {
            self.pairs.push((event, self.hint.take()));
        }
        fn prefetch(&self, next: &u32) {
            self.hint.set(Some(*next));
        }
    }

    #[test]
    fn prefetch_hint_names_the_event_that_fires_next() {
        let mut sim = Simulation::new();
        // Close events share a window and get hinted; the last of a window may not be.
        for (i, at) in [0.01, 0.02, 0.03, 5.0, 5.01, 5.02].into_iter().enumerate() {
            sim.schedule(at, i as u32);
        }
        let mut model = HintRecorder {
            hint: std::cell::Cell::new(None),
            pairs: vec![],
        };
        sim.run(&mut model, RunLimits::exhaust());
        let fired: Vec<u32> = model.pairs.iter().map(|(e, _)| *e).collect();
        assert_eq!(fired, vec![0, 1, 2, 3, 4, 5]);
        for (i, (_, hint)) in model.pairs.iter().enumerate() {
            if let Some(hint) = hint {
                assert_eq!(Some(hint), fired.get(i + 1), "hint before event {i}");
            }
        }
        let hinted = model.pairs.iter().filter(|(_, h)| h.is_some()).count();
        assert!(hinted >= 4, "close events are hinted: {:?}", model.pairs);
    }

    #[test]
    fn event_limit_stops_the_run() {
        let mut sim = Simulation::new();
        sim.schedule(0.0, 0);
        let mut rec = Recorder { log: vec![] };
        let reason = sim.run(&mut rec, RunLimits::exhaust().with_max_events(2));
        assert_eq!(reason, StopReason::EventLimit);
        assert_eq!(rec.log.len(), 2);
    }

    #[test]
    fn rescheduled_event_fires_once_at_its_new_time() {
        let mut sim: Simulation<u32> = Simulation::new();
        let key = sim.schedule(5.0, 9);
        let new_key = sim.reschedule(key, 2.0, 9);
        assert!(!sim.is_pending(key));
        assert!(sim.is_pending(new_key));
        assert_eq!(sim.step(), Some(9));
        assert_eq!(sim.now(), 2.0);
        assert_eq!(sim.step(), None);
    }

    #[test]
    #[should_panic(expected = "in the past")]
    fn scheduling_in_the_past_is_a_broken_invariant() {
        let mut sim: Simulation<u32> = Simulation::new();
        sim.schedule(2.0, 1);
        sim.step();
        sim.schedule(1.0, 2);
    }
}
