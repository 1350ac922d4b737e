//! An investigator: the cases they hold and how their hours are shared among them.
//!
//! Processor sharing by virtual time: the officer's available hours per day are shared equally
//! among the held cases that are in a work stage. The virtual time `V` is the work (hours)
//! delivered so far to each such case; it grows at `rate / n` with `n` cases working. A case
//! entering a work stage with `h` hours to do gets the finish tag `V + h`; the next completion
//! is the smallest tag, reached after `(tag - V) n / rate` days. Changes in the working set or
//! the rate update `V` exactly and move that one event: no time-stepping.

use std::collections::VecDeque;

use caseload_des::{EventKey, SimTime};

use crate::case::CaseSlot;
use crate::config::{Source, TeamId};
use crate::team::NO_SLOT;

/// Whether an officer can work cases.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Status {
    /// On the new starters' course: in post, no cases, no hours.
    Training,
    /// At work.
    Working,
    /// Away on a dated training programme: in post, holding cases, no hours, no new cases.
    Away,
    /// Left the team.
    Gone,
}

#[derive(Debug, Clone)]
pub(crate) struct Investigator {
    pub(crate) team: TeamId,
    /// Where the officer is in the team's list of officers.
    pub(crate) position: usize,
    pub(crate) source: Source,
    /// The staffing action that brought the officer, if any.
    pub(crate) action: Option<usize>,
    pub(crate) historic_only: bool,
    pub(crate) cap: u32,
    /// The caseload cap once ramped up (`cap` grows to it during a new starter's ramp-up).
    pub(crate) full_cap: u32,
    pub(crate) status: Status,
    /// Hours per day after abstraction, before other duties, ramp-up and flexible hours.
    pub(crate) base_hours_per_day: f64,
    /// Productivity factor during ramp-up (1 when fully productive).
    pub(crate) productivity: f64,
    /// Whether other duties draw on this officer's hours (not for agency staff).
    pub(crate) drawn_to_other_duties: bool,
    /// Whether the team's flexible hours are shared with this officer (not for agency staff).
    pub(crate) shares_flexible_hours: bool,
    pub(crate) cost_per_day: f64,
    /// Current hours per day available for investigation.
    rate: f64,
    /// Hours per day before any loss to a heavy caseload.
    pub(crate) unloaded_rate: f64,
    /// Every held case, in any stage.
    pub(crate) held: Vec<CaseSlot>,
    /// Held cases in a work stage, with finish tags in virtual hours: sorted by tag, and among
    /// equal tags by when their work started, so the case that finishes next is the first. A
    /// new case mostly has the largest tag and joins near the back.
    working: VecDeque<(CaseSlot, f64)>,
    virtual_hours: f64,
    /// Hours spent on work stages up to `last_update` (the rate while any case was working).
    worked_hours: f64,
    last_update: SimTime,
    pub(crate) completion: Option<EventKey>,
    pub(crate) leave: Option<EventKey>,
    pub(crate) status_change: Option<EventKey>,
    /// Leaving times drawn again after a ring-fence kept the officer.
    pub(crate) leave_draws: u32,
}

impl Investigator {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        team: TeamId,
        source: Source,
        action: Option<usize>,
        historic_only: bool,
        cap: u32,
        base_hours_per_day: f64,
        cost_per_day: f64,
        now: SimTime,
    ) -> Self {
        let agency = source == Source::Agency;
        Self {
            team,
            position: 0,
            source,
            action,
            historic_only,
            cap,
            full_cap: cap,
            status: Status::Working,
            base_hours_per_day,
            productivity: 1.0,
            drawn_to_other_duties: !agency,
            shares_flexible_hours: !agency,
            cost_per_day,
            rate: 0.0,
            unloaded_rate: 0.0,
            held: Vec::with_capacity(cap.min(64) as usize),
            working: VecDeque::new(),
            virtual_hours: 0.0,
            worked_hours: 0.0,
            last_update: now,
            completion: None,
            leave: None,
            status_change: None,
            leave_draws: 0,
        }
    }

    /// Hours per day available now.
    pub(crate) fn rate(&self) -> f64 {
        self.rate
    }

    /// Cases held if the officer can take another case now, else [`NO_SLOT`].
    pub(crate) fn load(&self) -> u32 {
        if self.has_free_slot() {
            self.held.len() as u32
        } else {
            NO_SLOT
        }
    }

    /// Whether the officer can take another case now.
    pub(crate) fn has_free_slot(&self) -> bool {
        self.status == Status::Working && (self.held.len() as u32) < self.cap
    }

    /// Brings the virtual time up to `now` at the current rate.
    fn advance(&mut self, now: SimTime) {
        if !self.working.is_empty() && self.rate > 0.0 {
            let hours = (now - self.last_update) * self.rate;
            self.virtual_hours += hours / self.working.len() as f64;
            self.worked_hours += hours;
        }
        self.last_update = now;
    }

    /// Hours spent on work stages from joining up to `now` (not before the last update),
    /// without changing the officer's state.
    pub(crate) fn worked_hours(&self, now: SimTime) -> f64 {
        if !self.working.is_empty() && self.rate > 0.0 {
            self.worked_hours + (now - self.last_update) * self.rate
        } else {
            self.worked_hours
        }
    }

    /// Changes the hours per day from `now`.
    pub(crate) fn set_rate(&mut self, now: SimTime, rate: f64) {
        self.advance(now);
        self.rate = rate;
    }

    /// `case` enters a work stage with `hours` of effort left.
    pub(crate) fn start_work(&mut self, now: SimTime, case: CaseSlot, hours: f64) {
        self.advance(now);
        let tag = self.virtual_hours + hours;
        // After every case with a tag no larger: among equal tags the one that started first
        // finishes first.
        self.working.push_back((case, tag));
        let mut j = self.working.len() - 1;
        while j > 0 && self.working[j - 1].1 > tag {
            self.working.swap(j, j - 1);
            j -= 1;
        }
    }

    /// Takes a case out of work (its officer leaves); returns the hours it still needs.
    pub(crate) fn stop_work(&mut self, now: SimTime, case: CaseSlot) -> Option<f64> {
        self.advance(now);
        let i = self.working.iter().position(|(c, _)| *c == case)?;
        let (_, tag) = self.working.remove(i)?;
        Some((tag - self.virtual_hours).max(0.0))
    }

    /// Removes and returns the working case with the earliest finish tag (ties: the one that
    /// started first): the one whose completion event fired.
    pub(crate) fn finish_earliest(&mut self, now: SimTime) -> Option<CaseSlot> {
        self.advance(now);
        self.working.pop_front().map(|(case, _)| case)
    }

    /// When the earliest working case will finish at the current rate, if it will.
    pub(crate) fn next_completion(&self) -> Option<SimTime> {
        if self.rate <= 0.0 {
            return None;
        }
        let &(_, tag) = self.working.front()?;
        let left = (tag - self.virtual_hours).max(0.0);
        Some(self.last_update + left * self.working.len() as f64 / self.rate)
    }

    /// Number of held cases in a work stage.
    pub(crate) fn working_count(&self) -> usize {
        self.working.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn officer(rate: f64) -> Investigator {
        let mut inv = Investigator::new(0, Source::Establishment, None, false, 10, rate, 0.0, 0.0);
        inv.set_rate(0.0, rate);
        inv
    }

    #[test]
    fn two_cases_share_hours_equally() {
        // 8 hours a day shared by a 4-hour and a 12-hour case: the first finishes after 1 day
        // (4 hours each), the second then runs alone: 8 more hours at 8 a day, 1 more day.
        let mut inv = officer(8.0);
        inv.start_work(0.0, 0, 4.0);
        inv.start_work(0.0, 1, 12.0);
        let t1 = inv.next_completion().expect("working");
        assert!((t1 - 1.0).abs() < 1e-12);
        assert_eq!(inv.finish_earliest(t1), Some(0));
        let t2 = inv.next_completion().expect("working");
        assert!((t2 - 2.0).abs() < 1e-12);
        // 8 hours a day worked while any case was working: 16 hours by day 2, none after.
        assert!((inv.worked_hours(1.5) - 12.0).abs() < 1e-12);
        assert_eq!(inv.finish_earliest(t2), Some(1));
        assert!((inv.worked_hours(5.0) - 16.0).abs() < 1e-12);
    }

    #[test]
    fn rate_change_and_withdrawal_keep_exact_remaining_work() {
        let mut inv = officer(4.0);
        inv.start_work(0.0, 7, 10.0);
        inv.set_rate(1.0, 2.0); // 4 hours done, 6 left, now at 2 a day
        let t = inv.next_completion().expect("working");
        assert!((t - 4.0).abs() < 1e-12);
        assert_eq!(
            inv.stop_work(2.0, 7).map(|h| (h * 1e9).round() / 1e9),
            Some(4.0)
        );
        assert_eq!(inv.next_completion(), None);
    }

    #[test]
    fn smallest_tag_finishes_first_and_ties_go_to_the_first_started() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(5);
        let mut inv = officer(1.0);
        // The same cases kept naively, in the order they started.
        let mut naive: Vec<(CaseSlot, f64)> = Vec::new();
        let mut now = 0.0;
        for case in 0..5_000u32 {
            // Few distinct efforts, so tags tie often.
            let hours = f64::from(rng.random_range(0..3u8));
            inv.start_work(now, case, hours);
            naive.push((case, inv.virtual_hours + hours));
            while !naive.is_empty() && rng.random_bool(0.5) {
                let mut first = 0;
                for (j, &(_, tag)) in naive.iter().enumerate() {
                    if tag < naive[first].1 {
                        first = j;
                    }
                }
                let expected = naive.remove(first).0;
                now = inv.next_completion().expect("working");
                assert_eq!(inv.finish_earliest(now), Some(expected));
            }
        }
    }

    #[test]
    fn no_hours_means_no_completion() {
        let mut inv = officer(0.0);
        inv.start_work(0.0, 1, 3.0);
        assert_eq!(inv.next_completion(), None);
        inv.set_rate(5.0, 3.0);
        assert!((inv.next_completion().expect("working") - 6.0).abs() < 1e-12);
    }
}
