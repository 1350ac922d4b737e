//! Cases: a referral from arrival until its last stage is done, stored in a slab whose slots
//! are reused, so memory follows the number of live cases, not the run's length.

use caseload_des::{EventKey, SimTime};
use smallvec::SmallVec;

use crate::config::{CaseTypeId, Outcome, Priority, Stage, TeamId};
use crate::observe::CaseRecord;

/// Stage durations of one case: inline up to 5 stages (the longest case type of the London
/// scenarios), so reading the next stage's duration touches the case's own memory.
pub(crate) type Durations = SmallVec<[f64; 5]>;

/// Index of a live case in the slab.
pub(crate) type CaseSlot = u32;

#[derive(Debug, Clone)]
pub(crate) struct Case {
    pub(crate) id: u64,
    pub(crate) case_type: CaseTypeId,
    pub(crate) team: TeamId,
    pub(crate) historic: bool,
    pub(crate) arrival_priority: Priority,
    pub(crate) priority: Priority,
    pub(crate) arrival: SimTime,
    /// Index of the current stage (a case type has far fewer than 2^32).
    pub(crate) stage: u32,
    /// Duration of every stage (hours for work, days for wait), drawn at arrival so that every
    /// staffing option sees the same cases.
    pub(crate) durations: Durations,
    /// What is left of the current stage while it is not under way (hours of work or days of
    /// waiting); while the case is held in a wait stage, the day that wait ends.
    pub(crate) remaining: f64,
    /// The officer holding it.
    pub(crate) holder: Option<u32>,
    /// When it (last) joined its team's queue.
    pub(crate) queued_since: SimTime,
    /// Days spent unallocated before it last joined the queue.
    pub(crate) unallocated_before: f64,
    pub(crate) allocated: Option<SimTime>,
    /// The pending escalation (while queued) or wait-stage end (while held in a wait stage).
    pub(crate) pending: Option<EventKey>,
    /// Days unallocated in all after which the victim withdraws support (infinite: never).
    pub(crate) patience: f64,
    /// The pending withdrawal, while queued.
    pub(crate) withdrawal: Option<EventKey>,
    /// The day its standard's stage finished (NaN: not yet, or no standard).
    pub(crate) standard_day: f64,
    /// Three uniforms in [0, 1) drawn at referral that decide its outcome (0 without
    /// outcomes), single precision to keep the record small.
    pub(crate) outcome_draws: [f32; 3],
    /// A uniform in [0, 1) drawn at referral that decides whether its investigation requires
    /// improvement (0 when quality is not judged).
    pub(crate) quality_draw: f32,
    /// A uniform in [0, 1) drawn at referral for a historic case when some reassignment moves
    /// only the complex share of them (0 otherwise): the case is complex for a share `s` when
    /// it is below `s`.
    pub(crate) complexity: f32,
    /// Whether its work now is its triage screen (`remaining` holds the screen's hours).
    pub(crate) screening: bool,
    /// Whether it closes when its screen is done (or closed at triage, once it has).
    pub(crate) closes_at_triage: bool,
}

impl Case {
    /// Its record as of `now`.
    #[inline]
    pub(crate) fn record(&self, now: SimTime, completed: Option<SimTime>) -> CaseRecord {
        self.record_ending(now, completed, None)
    }

    /// Its record as of `now`, completed or withdrawn then (or neither).
    #[inline]
    pub(crate) fn record_ending(
        &self,
        now: SimTime,
        completed: Option<SimTime>,
        withdrawn: Option<SimTime>,
    ) -> CaseRecord {
        self.record_with_outcome(now, completed, withdrawn, None)
    }

    /// Its record as of `now`, with how it ended.
    #[inline]
    pub(crate) fn record_with_outcome(
        &self,
        now: SimTime,
        completed: Option<SimTime>,
        withdrawn: Option<SimTime>,
        outcome: Option<Outcome>,
    ) -> CaseRecord {
        let waiting_now = if self.holder.is_none() && completed.is_none() && withdrawn.is_none() {
            now - self.queued_since
        } else {
            0.0
        };
        CaseRecord {
            id: self.id,
            case_type: self.case_type,
            team: self.team,
            historic: self.historic,
            arrival_priority: self.arrival_priority,
            priority: self.priority,
            arrival_day: self.arrival,
            allocated_day: self.allocated,
            completed_day: completed,
            withdrawn_day: withdrawn,
            outcome,
            standard_day: (!self.standard_day.is_nan()).then_some(self.standard_day),
            unallocated_days: self.unallocated_before + waiting_now,
            officer: self.holder,
            closed_at_triage: self.closes_at_triage && !self.screening && completed.is_some(),
            requires_improvement: None,
        }
    }
}

/// Hours of work in a case's work stages (its wait stages' days not counted).
pub(crate) fn work_hours(stages: &[Stage], durations: &[f64]) -> f64 {
    stages
        .iter()
        .zip(durations)
        .filter(|(s, _)| matches!(s, Stage::Work(_)))
        .map(|(_, d)| d)
        .sum()
}

/// Live cases, with slot reuse.
#[derive(Debug, Default)]
pub(crate) struct Cases {
    slots: Vec<Case>,
    live: Vec<bool>,
    free: Vec<CaseSlot>,
}

impl Cases {
    /// Stores `case`, reusing a free slot when there is one.
    pub(crate) fn insert(&mut self, case: Case) -> CaseSlot {
        match self.free.pop() {
            Some(id) => {
                self.slots[id as usize] = case;
                self.live[id as usize] = true;
                id
            }
            None => {
                self.slots.push(case);
                self.live.push(true);
                u32::try_from(self.slots.len() - 1).expect("fewer than 2^32 live cases")
            }
        }
    }

    pub(crate) fn remove(&mut self, id: CaseSlot) {
        debug_assert!(self.live[id as usize]);
        self.live[id as usize] = false;
        self.free.push(id);
    }

    /// Starts loading the record of `id` into cache, where the processor supports it: a hint
    /// for the case the next event will touch. Changes nothing.
    #[inline]
    pub(crate) fn prefetch(&self, id: CaseSlot) {
        #[cfg(target_arch = "x86_64")]
        if let Some(case) = self.slots.get(id as usize) {
            // The record (184 bytes) spans three or four cache lines. These fields lie at
            // offsets 0, 56, 112, 144 and 182 in the layout the compiler picks, less than a
            // line apart, so every line of the record is fetched.
            safe_arch::prefetch_t0(&case.allocated);
            safe_arch::prefetch_t0(&case.durations);
            safe_arch::prefetch_t0(&case.queued_since);
            safe_arch::prefetch_t0(&case.patience);
            safe_arch::prefetch_t0(&case.priority);
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = id;
    }

    pub(crate) fn get(&self, id: CaseSlot) -> &Case {
        &self.slots[id as usize]
    }

    pub(crate) fn get_mut(&mut self, id: CaseSlot) -> &mut Case {
        &mut self.slots[id as usize]
    }

    /// Live cases, in slot order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &Case> {
        self.slots
            .iter()
            .zip(&self.live)
            .filter_map(|(c, live)| live.then_some(c))
    }
}

#[cfg(test)]
mod tests {
    use super::Case;
    use std::mem::{offset_of, size_of};

    /// The fields `Cases::prefetch` touches must stay less than a cache line apart, from the
    /// start of the record to its last field, or part of the record is not fetched.
    #[test]
    fn prefetched_fields_cover_the_record() {
        let mut offsets = [
            offset_of!(Case, allocated),
            offset_of!(Case, durations),
            offset_of!(Case, queued_since),
            offset_of!(Case, patience),
            offset_of!(Case, priority),
        ];
        offsets.sort_unstable();
        assert_eq!(offsets[0], 0, "{offsets:?}");
        assert!(offsets.windows(2).all(|w| w[1] - w[0] < 64), "{offsets:?}");
        assert!(size_of::<Case>() - offsets[4] <= 8, "{offsets:?}");
    }
}
