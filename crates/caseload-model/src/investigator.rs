//! An investigator: the cases they hold and how their hours are shared among them.
//!
//! Processor sharing by virtual time: the officer's available hours per day are shared equally
//! among the held cases that are in a work stage. The virtual time `V` is the work (hours)
//! delivered so far to each such case; it grows at `rate / n` with `n` cases working. A case
//! entering a work stage with `h` hours to do gets the finish tag `V + h`; the next completion
//! is the smallest tag, reached after `(tag - V) n / rate` days. Changes in the working set or
//! the rate update `V` exactly and move that one event: no time-stepping.
//!
//! Under an active limit or the priority discipline ([`Discipline`]) only some of those cases
//! are worked at once (the active set, shared as above); the others wait in the officer's tray
//! with their remaining hours, in order of urgency then of when their work became ready. A case
//! moves between tray and active set only when the active set changes (a case finishes, leaves,
//! or more urgent work arrives), so an officer with neither keeps today's cost.

use std::collections::VecDeque;

use caseload_des::{EventKey, SimTime};

use crate::case::CaseSlot;
use crate::config::{Discipline, Priority, Source, TeamId};
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

/// How urgent a case's work is to its officer: lower is more urgent. Under the equal
/// discipline every case's is the same ([`Urgency::ALIKE`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Urgency {
    /// The case's priority (0 most urgent).
    pub(crate) priority: Priority,
    /// The day the stage's standard falls due (+infinity for a stage with no standard).
    pub(crate) deadline: f64,
}

impl Urgency {
    /// Every case alike: the order is first come.
    pub(crate) const ALIKE: Urgency = Urgency {
        priority: 0,
        deadline: f64::INFINITY,
    };

    /// Whether `self` comes strictly before `other`.
    fn before(self, other: Urgency) -> bool {
        (self.priority, self.deadline) < (other.priority, other.deadline)
    }
}

/// A case in a work stage that is not being worked: its remaining hours, and its place in the
/// tray's order.
#[derive(Debug, Clone, Copy)]
struct Waiting {
    urgency: Urgency,
    /// When its work became ready, as a count (first come first).
    ready: u64,
    case: CaseSlot,
    hours: f64,
}

impl Waiting {
    /// Whether `self` comes before `other` in the tray.
    fn before(&self, other: &Waiting) -> bool {
        self.urgency.before(other.urgency)
            || (self.urgency == other.urgency && self.ready < other.ready)
    }
}

/// How an officer chooses which held work to do: present only under an active limit or the
/// priority discipline.
#[derive(Debug, Clone, Default)]
struct Tray {
    /// Most cases worked at once (`u32::MAX`: no limit).
    limit: u32,
    /// Whether the most urgent work pre-empts the rest (the priority discipline).
    by_urgency: bool,
    /// Cases in a work stage not being worked, most urgent (then first ready) first.
    waiting: Vec<Waiting>,
    /// The urgency and readiness of each case being worked, in no order.
    active: Vec<(CaseSlot, Urgency, u64)>,
    /// Work stages that have become ready so far.
    readied: u64,
}

#[derive(Debug, Clone)]
pub(crate) struct Investigator {
    pub(crate) team: TeamId,
    /// Where the officer is in the team's list of officers.
    pub(crate) position: usize,
    pub(crate) source: Source,
    /// The staffing action that brought the officer, if any.
    pub(crate) action: Option<usize>,
    /// Whether the officer's action restricts the cases they take (their slots are counted
    /// apart, and allocation checks each case against the action's bounds).
    pub(crate) restricted: bool,
    /// Whether the officer's action has ended and they only finish the cases they hold (their
    /// cap follows their caseload down, so they never have a free slot).
    pub(crate) winding_down: bool,
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
    /// The training programme the officer is away on.
    pub(crate) away_on: Option<usize>,
    /// The day a new starter joined, when their team has an experience curve (`None`:
    /// experienced).
    pub(crate) joined: Option<f64>,
    /// The training programme whose benefit the officer carries, and the day they returned.
    pub(crate) trained: Option<(usize, f64)>,
    /// The action that brought the officer as a specialist, whose benefit they carry, and the
    /// day they joined (a training's benefit adds to it).
    pub(crate) specialist: Option<(usize, f64)>,
    /// The tray and active set, under an active limit or the priority discipline.
    tray: Option<Box<Tray>>,
}

impl Investigator {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        team: TeamId,
        source: Source,
        action: Option<usize>,
        restricted: bool,
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
            restricted,
            winding_down: false,
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
            away_on: None,
            joined: None,
            trained: None,
            specialist: None,
            tray: None,
        }
    }

    /// Sets how the officer chooses which held work to do (before they hold any).
    pub(crate) fn set_discipline(&mut self, discipline: Discipline, active_limit: Option<u32>) {
        debug_assert!(self.working.is_empty(), "set before any work");
        self.tray = (discipline != Discipline::Equal || active_limit.is_some()).then(|| {
            Box::new(Tray {
                limit: active_limit.unwrap_or(u32::MAX),
                by_urgency: discipline == Discipline::Priority,
                ..Tray::default()
            })
        });
    }

    /// Whether a case's urgency decides when the officer works it (the priority discipline).
    pub(crate) fn orders_work(&self) -> bool {
        self.tray.as_ref().is_some_and(|t| t.by_urgency)
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

    /// `case` enters a work stage with `hours` of effort left, at `urgency` (read only under
    /// the priority discipline).
    pub(crate) fn start_work(
        &mut self,
        now: SimTime,
        case: CaseSlot,
        hours: f64,
        urgency: Urgency,
    ) {
        self.advance(now);
        if let Some(tray) = self.tray.as_mut() {
            tray.readied += 1;
            let waiting = Waiting {
                urgency: if tray.by_urgency {
                    urgency
                } else {
                    Urgency::ALIKE
                },
                ready: tray.readied,
                case,
                hours,
            };
            tray.put(waiting);
            self.rebalance();
            return;
        }
        self.activate(case, hours);
    }

    /// Starts working `case` with `hours` left at the current virtual time.
    fn activate(&mut self, case: CaseSlot, hours: f64) {
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

    /// Moves work between the tray and the active set until the active set is what the
    /// discipline asks: under the priority discipline, when the tray's first case is more
    /// urgent than the cases being worked, they all go back to the tray with the hours they
    /// have left; then the tray's first cases start while there is room under the limit and
    /// (by urgency) they are as urgent as those being worked.
    fn rebalance(&mut self) {
        let Some(mut tray) = self.tray.take() else {
            return;
        };
        while let Some(&next) = tray.waiting.first() {
            if tray.by_urgency
                && let Some(&(_, working_urgency, _)) = tray.active.first()
            {
                if next.urgency.before(working_urgency) {
                    for (case, tag) in self.working.drain(..) {
                        let (_, urgency, ready) = tray.take_active(case);
                        let hours = (tag - self.virtual_hours).max(0.0);
                        tray.put(Waiting {
                            urgency,
                            ready,
                            case,
                            hours,
                        });
                    }
                    continue;
                }
                if next.urgency != working_urgency {
                    break;
                }
            }
            if self.working.len() >= tray.limit as usize {
                break;
            }
            tray.waiting.remove(0);
            tray.active.push((next.case, next.urgency, next.ready));
            self.activate(next.case, next.hours);
        }
        self.tray = Some(tray);
    }

    /// Takes a case out of work (its officer leaves); returns the hours it still needs.
    pub(crate) fn stop_work(&mut self, now: SimTime, case: CaseSlot) -> Option<f64> {
        self.advance(now);
        if let Some(tray) = self.tray.as_mut()
            && let Some(i) = tray.waiting.iter().position(|w| w.case == case)
        {
            return Some(tray.waiting.remove(i).hours);
        }
        let i = self.working.iter().position(|(c, _)| *c == case)?;
        let (_, tag) = self.working.remove(i)?;
        if let Some(tray) = self.tray.as_mut() {
            tray.take_active(case);
        }
        self.rebalance();
        Some((tag - self.virtual_hours).max(0.0))
    }

    /// Removes and returns the working case with the earliest finish tag (ties: the one that
    /// started first): the one whose completion event fired. Work from the tray takes its place.
    pub(crate) fn finish_earliest(&mut self, now: SimTime) -> Option<CaseSlot> {
        self.advance(now);
        let (case, _) = self.working.pop_front()?;
        if let Some(tray) = self.tray.as_mut() {
            tray.take_active(case);
            self.rebalance();
        }
        Some(case)
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

    /// Number of held cases being worked.
    pub(crate) fn working_count(&self) -> usize {
        self.working.len()
    }
}

impl Tray {
    /// Puts a case in the tray at its place.
    fn put(&mut self, waiting: Waiting) {
        let at = self
            .waiting
            .iter()
            .position(|w| waiting.before(w))
            .unwrap_or(self.waiting.len());
        self.waiting.insert(at, waiting);
    }

    /// Removes a worked case's urgency and readiness.
    fn take_active(&mut self, case: CaseSlot) -> (CaseSlot, Urgency, u64) {
        let i = self
            .active
            .iter()
            .position(|&(c, _, _)| c == case)
            .expect("a worked case is in the active set");
        self.active.swap_remove(i)
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
        inv.start_work(0.0, 0, 4.0, Urgency::ALIKE);
        inv.start_work(0.0, 1, 12.0, Urgency::ALIKE);
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
        inv.start_work(0.0, 7, 10.0, Urgency::ALIKE);
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
            inv.start_work(now, case, hours, Urgency::ALIKE);
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

    fn ordered(rate: f64, discipline: Discipline, limit: Option<u32>) -> Investigator {
        let mut inv = officer(rate);
        inv.set_discipline(discipline, limit);
        inv
    }

    fn urgency(priority: Priority, deadline: f64) -> Urgency {
        Urgency { priority, deadline }
    }

    #[test]
    fn an_active_limit_of_one_works_cases_first_come_first_served() {
        // 8 hours a day; a 12-hour case then a 4-hour one: the first alone for 1.5 days, then
        // the second for half a day (shared, the 4-hour case would finish first, at day 1).
        let mut inv = ordered(8.0, Discipline::Equal, Some(1));
        inv.start_work(0.0, 0, 12.0, Urgency::ALIKE);
        inv.start_work(0.0, 1, 4.0, Urgency::ALIKE);
        assert_eq!(inv.working_count(), 1);
        let t1 = inv.next_completion().expect("working");
        assert!((t1 - 1.5).abs() < 1e-12);
        assert_eq!(inv.finish_earliest(t1), Some(0));
        let t2 = inv.next_completion().expect("working");
        assert!((t2 - 2.0).abs() < 1e-12);
        assert_eq!(inv.finish_earliest(t2), Some(1));
        assert!((inv.worked_hours(3.0) - 16.0).abs() < 1e-12);
    }

    #[test]
    fn a_limit_of_two_shares_between_the_first_two_ready() {
        // 8 hours a day, limit 2: cases of 4, 8 and 2 hours. The first two share (4 a day
        // each): the 4-hour case ends at day 1, the 8-hour one has 4 left; the 2-hour case
        // joins it: both at 4 a day, the 2-hour one ends at day 1.5 and the other, 2 hours
        // left, then runs alone at 8 a day and ends at day 1.75.
        let mut inv = ordered(8.0, Discipline::Equal, Some(2));
        inv.start_work(0.0, 0, 4.0, Urgency::ALIKE);
        inv.start_work(0.0, 1, 8.0, Urgency::ALIKE);
        inv.start_work(0.0, 2, 2.0, Urgency::ALIKE);
        let mut order = Vec::new();
        while let Some(t) = inv.next_completion() {
            order.push((inv.finish_earliest(t).expect("working"), t));
        }
        let expected = [(0, 1.0), (2, 1.5), (1, 1.75)];
        assert_eq!(order.len(), 3);
        for ((case, t), (want, at)) in order.into_iter().zip(expected) {
            assert_eq!(case, want);
            assert!((t - at).abs() < 1e-12, "{t} vs {at}");
        }
    }

    #[test]
    fn urgent_work_pre_empts_and_routine_work_resumes_where_it_stopped() {
        // 8 hours a day. A 16-hour routine case (priority 2) from day 0; at day 1 (8 hours
        // done) an 8-hour urgent case (priority 0) arrives and takes every hour until day 2;
        // the routine case resumes with its 8 hours left and ends at day 3.
        let mut inv = ordered(8.0, Discipline::Priority, None);
        inv.start_work(0.0, 0, 16.0, urgency(2, f64::INFINITY));
        inv.start_work(1.0, 1, 8.0, urgency(0, f64::INFINITY));
        assert_eq!(inv.working_count(), 1);
        let t = inv.next_completion().expect("working");
        assert!((t - 2.0).abs() < 1e-12);
        assert_eq!(inv.finish_earliest(t), Some(1));
        let t = inv.next_completion().expect("working");
        assert!((t - 3.0).abs() < 1e-12);
        // Leaving half-way through, it has 4 hours left.
        let left = inv.stop_work(2.5, 0).expect("held");
        assert!((left - 4.0).abs() < 1e-12);
        assert_eq!(inv.next_completion(), None);
    }

    #[test]
    fn equals_share_and_a_deadline_comes_before_none() {
        // Priority 1 throughout. Two cases with no standard share; a case whose stage is due
        // on day 5 pre-empts them; of two due, the earlier deadline goes first.
        let mut inv = ordered(8.0, Discipline::Priority, None);
        inv.start_work(0.0, 0, 8.0, urgency(1, f64::INFINITY));
        inv.start_work(0.0, 1, 8.0, urgency(1, f64::INFINITY));
        assert_eq!(inv.working_count(), 2);
        // At day 0.5 each has 6 hours left; a visit due day 9 then one due day 5 arrive.
        inv.start_work(0.5, 2, 4.0, urgency(1, 9.0));
        inv.start_work(0.5, 3, 4.0, urgency(1, 5.0));
        assert_eq!(inv.working_count(), 1);
        let mut order = Vec::new();
        while let Some(t) = inv.next_completion() {
            order.push((inv.finish_earliest(t).expect("working"), t));
        }
        // Case 3 by day 1, case 2 by day 1.5, then the two shared: 6 hours each at 4 a day.
        let expected = [(3, 1.0), (2, 1.5), (0, 3.0), (1, 3.0)];
        for ((case, t), (want, at)) in order.into_iter().zip(expected) {
            assert_eq!(case, want);
            assert!((t - at).abs() < 1e-12, "{t} vs {at}");
        }
    }

    #[test]
    fn no_hours_means_no_completion() {
        let mut inv = officer(0.0);
        inv.start_work(0.0, 1, 3.0, Urgency::ALIKE);
        assert_eq!(inv.next_completion(), None);
        inv.set_rate(5.0, 3.0);
        assert!((inv.next_completion().expect("working") - 6.0).abs() < 1e-12);
    }

    /// What happens to a shadowed officer, at its time: a case arrives with its hours, the
    /// hours per day change, or a case is withdrawn (wherever it is).
    #[derive(Debug, Clone, Copy)]
    enum Happening {
        Arrive(u32, f64),
        Rate(f64),
        Withdraw(u32),
    }

    /// A random day of one officer: arrivals (efforts from a few values, so ties occur),
    /// changes of hours (sometimes to none) and withdrawals, sorted by time.
    fn random_day(seed: u64) -> (u32, f64, Vec<(f64, Happening)>) {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(seed);
        let cap = rng.random_range(1..=6u32);
        let rate = f64::from(rng.random_range(1..=10u8));
        let mut happenings: Vec<(f64, Happening)> = Vec::new();
        let mut t = 0.0f64;
        for case in 0..rng.random_range(5..60u32) {
            t += rng.random_range(0.0..2.0);
            let hours = f64::from(rng.random_range(1..=4u8)) * 2.5;
            happenings.push((t, Happening::Arrive(case, hours)));
            if rng.random_bool(0.2) {
                let when = t + rng.random_range(0.0..3.0);
                let to = if rng.random_bool(0.2) {
                    0.0
                } else {
                    f64::from(rng.random_range(1..=10u8))
                };
                happenings.push((when, Happening::Rate(to)));
            }
            if rng.random_bool(0.1) {
                let when = t + rng.random_range(0.0..5.0);
                happenings.push((when, Happening::Withdraw(rng.random_range(0..=case))));
            }
        }
        happenings.sort_by(|a, b| a.0.total_cmp(&b.0));
        (cap, rate, happenings)
    }

    /// Completion day of each case under the investigator, cases beyond the cap waiting first
    /// come, first served; `None` for a case withdrawn or unfinished.
    fn by_investigator(cap: u32, rate: f64, happenings: &[(f64, Happening)]) -> Vec<Option<f64>> {
        let mut inv = officer(rate);
        let mut done = vec![None; 64];
        let mut queue: VecDeque<(u32, f64)> = VecDeque::new();
        let mut held: Vec<u32> = Vec::new();
        let mut now: f64;
        let mut next = 0;
        loop {
            let due = happenings.get(next).map(|h| h.0);
            match (inv.next_completion(), due) {
                (Some(c), d) if d.is_none_or(|d| c <= d) => {
                    now = c;
                    let case = inv.finish_earliest(now).expect("a case working");
                    done[case as usize] = Some(now);
                    held.retain(|&h| h != case);
                }
                (_, Some(d)) => {
                    now = d;
                    match happenings[next].1 {
                        Happening::Arrive(case, hours) => queue.push_back((case, hours)),
                        Happening::Rate(r) => inv.set_rate(now, r),
                        Happening::Withdraw(case) => {
                            queue.retain(|&(c, _)| c != case);
                            if held.contains(&case) {
                                inv.stop_work(now, case);
                                held.retain(|&h| h != case);
                            }
                        }
                    }
                    next += 1;
                }
                _ => break,
            }
            while (held.len() as u32) < cap
                && let Some((case, hours)) = queue.pop_front()
            {
                inv.start_work(now, case, hours, Urgency::ALIKE);
                held.push(case);
            }
        }
        done
    }

    /// The same officer kept naively: every case held keeps its hours left, each worked at
    /// the rate over the number held, all brought up to date at every event.
    fn naively(cap: u32, rate: f64, happenings: &[(f64, Happening)]) -> Vec<Option<f64>> {
        let mut rate = rate;
        let mut done = vec![None; 64];
        let mut queue: VecDeque<(u32, f64)> = VecDeque::new();
        let mut held: Vec<(u32, f64)> = Vec::new();
        let mut now = 0.0;
        let mut next = 0;
        loop {
            let finish = (rate > 0.0 && !held.is_empty()).then(|| {
                let least = held.iter().map(|h| h.1).fold(f64::INFINITY, f64::min);
                now + least * held.len() as f64 / rate
            });
            let due = happenings.get(next).map(|h| h.0);
            let until = match (finish, due) {
                (Some(f), Some(d)) => f.min(d),
                (Some(f), None) => f,
                (None, Some(d)) => d,
                (None, None) => break,
            };
            if !held.is_empty() {
                let each = (until - now) * rate / held.len() as f64;
                for h in &mut held {
                    h.1 -= each;
                }
            }
            now = until;
            if finish == Some(until) {
                // Every case whose hours ran out finishes now (ties finish together).
                let least = held.iter().map(|h| h.1).fold(f64::INFINITY, f64::min);
                held.retain(|&(case, left)| {
                    let finished = left <= least + 1e-9;
                    if finished {
                        done[case as usize] = Some(now);
                    }
                    !finished
                });
            } else {
                match happenings[next].1 {
                    Happening::Arrive(case, hours) => queue.push_back((case, hours)),
                    Happening::Rate(r) => rate = r,
                    Happening::Withdraw(case) => {
                        queue.retain(|&(c, _)| c != case);
                        held.retain(|&(c, _)| c != case);
                    }
                }
                next += 1;
            }
            while (held.len() as u32) < cap
                && let Some(case) = queue.pop_front()
            {
                held.push(case);
            }
        }
        done
    }

    #[test]
    fn processor_sharing_matches_a_naive_officer_on_random_days() {
        // Random arrivals, caps, hours per day (some days none) and withdrawals: every case
        // finishes on the same day under the virtual-time investigator as under the naive
        // one, or under neither.
        let mut finished = 0;
        for seed in 0..300 {
            let (cap, rate, happenings) = random_day(seed);
            let fast = by_investigator(cap, rate, &happenings);
            let slow = naively(cap, rate, &happenings);
            finished += slow.iter().flatten().count();
            for (case, (a, b)) in fast.iter().zip(&slow).enumerate() {
                match (a, b) {
                    (Some(a), Some(b)) => assert!(
                        (a - b).abs() < 1e-6 * (1.0 + b.abs()),
                        "seed {seed}, case {case}: {a} against {b}"
                    ),
                    (None, None) => {}
                    _ => panic!("seed {seed}, case {case}: {a:?} against {b:?}"),
                }
            }
        }
        assert!(finished > 5_000, "the days finish cases: {finished}");
    }
}
