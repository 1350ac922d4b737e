//! A team's live state: its officers, its queue of unallocated cases and its staffing levels.

use std::cell::Cell;
use std::collections::{BTreeMap, VecDeque};

use caseload_des::SimTime;

use crate::case::CaseSlot;
use crate::config::{CaseTypeId, Priority, TeamConfig, TeamId};
use crate::waiting_ages::WaitingAges;

/// Queue order: priority (0 first), then referral time (oldest first), then arrival order.
pub(crate) type QueueKey = (Priority, u64, u64);

/// A key for `(priority, arrival day, case id)` whose integer order is the queue order, also
/// for negative arrival days (cases that arrived before the run).
pub(crate) fn queue_key(priority: Priority, arrival: SimTime, id: u64) -> QueueKey {
    let bits = arrival.to_bits();
    let ordered = if bits >> 63 == 1 {
        !bits
    } else {
        bits | (1 << 63)
    };
    (priority, ordered, id)
}

/// The arrival day stored in a queue key (the inverse of [`queue_key`]'s encoding).
pub(crate) fn arrival_of(key: &QueueKey) -> SimTime {
    let ordered = key.1;
    let bits = if ordered >> 63 == 1 {
        ordered & !(1 << 63)
    } else {
        !ordered
    };
    SimTime::from_bits(bits)
}

/// A value kept between reads while the changes in between leave it right: `Some(found)` when
/// known (`found` itself may be `None`: nothing to find), `None` when it must be found again.
type Known<T> = Cell<Option<Option<T>>>;

/// A waiting case's place within its priority level: (ordered referral time, case number).
type Rank = (u64, u64);

/// A team's unallocated cases in queue order, with an index of their referral times for the
/// waiting-age statistics.
///
/// Each priority level keeps one run per case type, sorted by referral time then case number.
/// Cases join a level in that order almost always (new referrals are the newest; a case type's
/// escalations come in the order its cases were referred), so joining is a push at the back
/// and allocating or escalating takes a front. A case that would break its run's order (one
/// returned by an officer who left, the starting backlog) goes to the level's ordered map
/// instead. The queue's head is the smallest front in the first non-empty level.
#[derive(Debug, Clone)]
pub(crate) struct WaitingQueue {
    /// Index = priority.
    levels: Vec<Level>,
    len: usize,
    arrivals: WaitingAges,
    /// The head as last found, kept while joins and removals leave it the head: a pool's
    /// allocation reads every member's head for each case it allocates. `None`: not known.
    head: Known<(QueueKey, CaseSlot)>,
}

#[derive(Debug, Clone, Default)]
struct Level {
    runs: Vec<Run>,
    out_of_order: BTreeMap<Rank, CaseSlot>,
    len: usize,
}

#[derive(Debug, Clone)]
struct Run {
    case_type: CaseTypeId,
    /// Sorted by rank.
    cases: VecDeque<(Rank, CaseSlot)>,
}

impl Level {
    fn insert(&mut self, rank: Rank, case_type: CaseTypeId, case: CaseSlot) {
        self.len += 1;
        let run = match self.runs.iter().position(|r| r.case_type == case_type) {
            Some(i) => &mut self.runs[i],
            None => {
                self.runs.push(Run {
                    case_type,
                    cases: VecDeque::new(),
                });
                self.runs.last_mut().expect("just pushed")
            }
        };
        if run.cases.back().is_none_or(|&(last, _)| last <= rank) {
            run.cases.push_back((rank, case));
        } else {
            self.out_of_order.insert(rank, case);
        }
    }

    fn remove(&mut self, rank: Rank, case_type: CaseTypeId) -> Option<CaseSlot> {
        let removed = self
            .runs
            .iter_mut()
            .find(|r| r.case_type == case_type)
            .and_then(|run| match run.cases.front() {
                Some(&(first, case)) if first == rank => {
                    run.cases.pop_front();
                    Some(case)
                }
                _ => {
                    let at = run.cases.binary_search_by(|(r, _)| r.cmp(&rank)).ok()?;
                    run.cases.remove(at).map(|(_, case)| case)
                }
            })
            .or_else(|| self.out_of_order.remove(&rank));
        if removed.is_some() {
            self.len -= 1;
        }
        removed
    }

    /// The smallest rank and its case.
    fn first(&self) -> Option<(Rank, CaseSlot)> {
        let mut best = self.out_of_order.first_key_value().map(|(r, c)| (*r, *c));
        for run in &self.runs {
            if let Some(&(rank, case)) = run.cases.front()
                && best.is_none_or(|(b, _)| rank < b)
            {
                best = Some((rank, case));
            }
        }
        best
    }

    fn iter(&self) -> impl Iterator<Item = (Rank, CaseSlot)> + '_ {
        self.runs
            .iter()
            .flat_map(|run| run.cases.iter().copied())
            .chain(self.out_of_order.iter().map(|(r, c)| (*r, *c)))
    }
}

impl WaitingQueue {
    /// An empty queue for cases referred between days `first_day` and `last_day`.
    pub(crate) fn new(first_day: i64, last_day: i64) -> Self {
        Self {
            levels: Vec::new(),
            len: 0,
            arrivals: WaitingAges::new(first_day, last_day),
            head: Cell::new(Some(None)),
        }
    }

    fn level_mut(&mut self, priority: Priority) -> &mut Level {
        let p = usize::from(priority);
        if self.levels.len() <= p {
            self.levels.resize_with(p + 1, Level::default);
        }
        &mut self.levels[p]
    }

    /// Adds a case of type `case_type` at its place `key`.
    pub(crate) fn insert(&mut self, key: QueueKey, case_type: CaseTypeId, case: CaseSlot) {
        self.arrivals.insert(arrival_of(&key));
        self.level_mut(key.0)
            .insert((key.1, key.2), case_type, case);
        self.len += 1;
        self.joined_head(key, case);
    }

    /// Removes the case at `key` (of type `case_type`); `None` if it is not there.
    pub(crate) fn remove(&mut self, key: &QueueKey, case_type: CaseTypeId) -> Option<CaseSlot> {
        let removed = self
            .levels
            .get_mut(usize::from(key.0))?
            .remove((key.1, key.2), case_type);
        if removed.is_some() {
            self.arrivals.remove(arrival_of(key));
            self.len -= 1;
            self.left_head(key);
        }
        removed
    }

    /// Keeps the known head right after `case` joined at `key`.
    fn joined_head(&self, key: QueueKey, case: CaseSlot) {
        if let Some(head) = self.head.get()
            && head.is_none_or(|(k, _)| key < k)
        {
            self.head.set(Some(Some((key, case))));
        }
    }

    /// Keeps the known head right after the case at `key` left: unknown if it was the head.
    fn left_head(&self, key: &QueueKey) {
        if let Some(Some((k, _))) = self.head.get()
            && k == *key
        {
            self.head.set(None);
        }
    }

    /// Moves the case at `key` to priority `priority`, keeping its referral time.
    pub(crate) fn reprioritize(
        &mut self,
        key: &QueueKey,
        case_type: CaseTypeId,
        priority: Priority,
    ) {
        let rank = (key.1, key.2);
        let case = self.levels[usize::from(key.0)].remove(rank, case_type);
        debug_assert!(case.is_some(), "a case changing priority is waiting");
        if let Some(case) = case {
            self.level_mut(priority).insert(rank, case_type, case);
            self.left_head(key);
            self.joined_head((priority, rank.0, rank.1), case);
        }
    }

    /// Moves `case` one priority level up, from `priority` to `priority - 1`, if it is the front
    /// of its case type's run at `priority`: the common escalation, done without the case's
    /// record. Returns false, changing nothing, if the case is not there.
    pub(crate) fn escalate_front(
        &mut self,
        case_type: CaseTypeId,
        priority: Priority,
        case: CaseSlot,
    ) -> bool {
        debug_assert!(priority > 0, "only a case below the top level escalates");
        let Some(level) = self.levels.get_mut(usize::from(priority)) else {
            return false;
        };
        let Some(run) = level.runs.iter_mut().find(|r| r.case_type == case_type) else {
            return false;
        };
        let rank = match run.cases.front() {
            Some(&(rank, front)) if front == case => rank,
            _ => return false,
        };
        run.cases.pop_front();
        level.len -= 1;
        self.level_mut(priority - 1).insert(rank, case_type, case);
        self.left_head(&(priority, rank.0, rank.1));
        self.joined_head((priority - 1, rank.0, rank.1), case);
        true
    }

    /// The head of the queue: the smallest key and its case.
    #[inline]
    pub(crate) fn first(&self) -> Option<(QueueKey, CaseSlot)> {
        if let Some(head) = self.head.get() {
            debug_assert_eq!(head, self.find_first(), "the known head is the head");
            return head;
        }
        let head = self.find_first();
        self.head.set(Some(head));
        head
    }

    /// The head, found by looking at every level's runs.
    fn find_first(&self) -> Option<(QueueKey, CaseSlot)> {
        let (p, level) = self
            .levels
            .iter()
            .enumerate()
            .find(|(_, level)| level.len > 0)?;
        let ((arrival, id), case) = level.first()?;
        Some(((p as Priority, arrival, id), case))
    }

    /// Every waiting case with its key, in no particular order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (QueueKey, CaseSlot)> + '_ {
        self.levels.iter().enumerate().flat_map(|(p, level)| {
            level
                .iter()
                .map(move |((arrival, id), case)| ((p as Priority, arrival, id), case))
        })
    }

    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// The referral times of the cases waiting.
    pub(crate) fn arrivals(&self) -> &WaitingAges {
        &self.arrivals
    }
}

/// The load of an officer who cannot take a case now (full, on the course, or of the other kind).
pub(crate) const NO_SLOT: u32 = u32::MAX;

#[derive(Debug, Clone)]
pub(crate) struct Team {
    /// Officers in post (at work or on the course), in ascending index order.
    pub(crate) officers: Vec<u32>,
    /// Per position in `officers`: cases held by an officer at work with a free slot who takes
    /// any case, else [`NO_SLOT`]. Kept beside `officers` so that choosing the officer with the
    /// fewest cases scans one short array.
    pub(crate) general_load: Vec<u32>,
    /// The same for officers whose action restricts the cases they take (historic only,
    /// case types, or cases they can finish before it ends).
    pub(crate) restricted_load: Vec<u32>,
    /// The least loaded officer with a free slot of each kind (general, restricted) as last
    /// found, as (cases held, officer index), kept while loads change elsewhere: a pool's
    /// allocation asks every member for each case it allocates. `None`: not known.
    least: [Known<(u32, u32)>; 2],
    pub(crate) queue: WaitingQueue,
    /// Historic cases in `queue`.
    pub(crate) queued_historic: u32,
    /// Free caseload slots of officers at work who take any case.
    pub(crate) free_general_slots: u32,
    /// Free caseload slots of officers at work whose action restricts the cases they take.
    pub(crate) free_restricted_slots: u32,
    /// Funded posts now (grows with recruitment actions).
    pub(crate) establishment: u32,
    /// Posts filled above establishment while overstaffing applies.
    pub(crate) overstaff: u32,
    /// Recruits posted by a panel who have not joined yet.
    pub(crate) pipeline: u32,
    /// Places booked on the new starters' courses, by course number (courses run back to
    /// back from day 0); courses already started are dropped.
    pub(crate) course_bookings: std::collections::BTreeMap<u64, u32>,
    /// Ring-fence actions in force.
    pub(crate) ring_fences: u32,
    /// Extra productive hours per year from flexible working.
    pub(crate) flexible_hours_per_year: f64,
    /// The pool this team is in while a daily review pools it.
    pub(crate) pool: Option<usize>,
    /// Where new historic referrals go instead while a reassignment applies, and the share of
    /// them (the complex ones) that go.
    pub(crate) historic_route: Option<(TeamId, f64)>,
    pub(crate) arrivals_since_review: u32,
    pub(crate) completions_since_review: u32,
    /// Officers a monthly review added, oldest first.
    pub(crate) review_added: Vec<(u32, TeamId)>,
    /// Officers a monthly review posted who have not joined yet.
    pub(crate) review_pending: u32,
    /// Pounds per day of the officers in post.
    pub(crate) cost_rate: f64,
    pub(crate) cost: f64,
    pub(crate) cost_updated: SimTime,
    /// Hours of work offered by the referrals routed here since the start.
    pub(crate) offered_hours: f64,
    /// Hours worked by officers who have left the team.
    pub(crate) departed_worked_hours: f64,
    /// Investigation hours per day of the officers at work (the sum of their rates).
    pub(crate) available_rate: f64,
    /// Investigation hours available since the start, up to `available_updated`.
    pub(crate) available_hours: f64,
    pub(crate) available_updated: SimTime,
    /// Referrals routed here since the start (its starting backlog included).
    pub(crate) arrived: u64,
    /// Allocations of this team's cases to officers since the start (a case returned to the
    /// queue and allocated again counts again).
    pub(crate) allocated: u64,
    /// Cases of this team completed since the start.
    pub(crate) completed: u64,
    /// Cases of this team withdrawn while waiting since the start.
    pub(crate) withdrawn: u64,
    /// Cases of this team closed after their triage screen since the start.
    pub(crate) closed_at_triage: u64,
    /// Completed investigations of this team judged to require improvement since the start.
    pub(crate) requires_improvement: u64,
    /// Cases of this team completed since the start with each outcome.
    pub(crate) outcomes: [u64; 3],
}

impl Team {
    /// A team whose cases are referred between days `first_day` and `last_day`.
    pub(crate) fn new(config: &TeamConfig, first_day: i64, last_day: i64) -> Self {
        Self {
            officers: Vec::with_capacity(config.strength as usize),
            general_load: Vec::with_capacity(config.strength as usize),
            restricted_load: Vec::with_capacity(config.strength as usize),
            least: [Cell::new(Some(None)), Cell::new(Some(None))],
            queue: WaitingQueue::new(first_day, last_day),
            queued_historic: 0,
            free_general_slots: 0,
            free_restricted_slots: 0,
            establishment: config.establishment,
            overstaff: 0,
            pipeline: 0,
            course_bookings: std::collections::BTreeMap::new(),
            ring_fences: 0,
            flexible_hours_per_year: 0.0,
            pool: None,
            historic_route: None,
            arrivals_since_review: 0,
            completions_since_review: 0,
            review_added: Vec::new(),
            review_pending: 0,
            cost_rate: 0.0,
            cost: 0.0,
            cost_updated: 0.0,
            offered_hours: 0.0,
            departed_worked_hours: 0.0,
            available_rate: 0.0,
            available_hours: 0.0,
            available_updated: 0.0,
            arrived: 0,
            allocated: 0,
            completed: 0,
            withdrawn: 0,
            closed_at_triage: 0,
            requires_improvement: 0,
            outcomes: [0; 3],
        }
    }

    /// Brings the hours available up to `now` at the current rate.
    pub(crate) fn accrue_available(&mut self, now: SimTime) {
        self.available_hours += (now - self.available_updated) * self.available_rate;
        self.available_updated = now;
    }

    /// Brings the cost up to `now` at the current rate.
    pub(crate) fn accrue_cost(&mut self, now: SimTime) {
        self.cost += (now - self.cost_updated) * self.cost_rate;
        self.cost_updated = now;
    }

    /// Sets the load of the officer at `position` (cases held, or [`NO_SLOT`]).
    pub(crate) fn set_load(&mut self, position: usize, restricted: bool, load: u32) {
        let (general, restricted_load) = if restricted {
            (NO_SLOT, load)
        } else {
            (load, NO_SLOT)
        };
        self.general_load[position] = general;
        self.restricted_load[position] = restricted_load;
        let officer = self.officers[position];
        for (least, load) in self.least.iter().zip([general, restricted_load]) {
            match least.get() {
                // The officer who was least loaded: their load changed.
                Some(Some((_, i))) if i == officer => least.set(None),
                Some(known) if load != NO_SLOT && known.is_none_or(|k| (load, officer) < k) => {
                    least.set(Some(Some((load, officer))));
                }
                _ => {}
            }
        }
    }

    /// Adds officer `index` (above every index in the team), holding no slot yet.
    pub(crate) fn push_officer(&mut self, index: u32) {
        self.officers.push(index);
        self.general_load.push(NO_SLOT);
        self.restricted_load.push(NO_SLOT);
    }

    /// Removes the officer at `position`.
    pub(crate) fn remove_officer_at(&mut self, position: usize) {
        self.officers.remove(position);
        self.general_load.remove(position);
        self.restricted_load.remove(position);
        for least in &self.least {
            least.set(None);
        }
    }

    /// The officer of the given kind with a free slot and the fewest cases, lowest index first,
    /// as (cases held, officer index).
    pub(crate) fn least_loaded(&self, restricted: bool) -> Option<(u32, u32)> {
        let cache = &self.least[usize::from(restricted)];
        if let Some(known) = cache.get() {
            debug_assert_eq!(known, self.find_least(restricted), "the known least");
            return known;
        }
        let found = self.find_least(restricted);
        cache.set(Some(found));
        found
    }

    /// The least loaded officer of the given kind, found by scanning the loads.
    fn find_least(&self, restricted: bool) -> Option<(u32, u32)> {
        let loads = if restricted {
            &self.restricted_load
        } else {
            &self.general_load
        };
        let least = loads.iter().copied().min().unwrap_or(NO_SLOT);
        if least == NO_SLOT {
            return None;
        }
        let position = loads.iter().position(|&load| load == least)?;
        Some((least, self.officers[position]))
    }

    /// Free slots of officers of the given kind at work.
    pub(crate) fn free_slots(&self, restricted: bool) -> u32 {
        if restricted {
            self.free_restricted_slots
        } else {
            self.free_general_slots
        }
    }

    /// Free slots for officers of the given kind.
    pub(crate) fn free_slots_mut(&mut self, restricted: bool) -> &mut u32 {
        if restricted {
            &mut self.free_restricted_slots
        } else {
            &mut self.free_general_slots
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queue_key_orders_priority_then_age_then_id() {
        let mut keys = [
            queue_key(1, -5.0, 0),
            queue_key(0, 3.0, 1),
            queue_key(0, -2.0, 2),
            queue_key(0, 3.0, 0),
            queue_key(1, -10.0, 3),
            queue_key(0, 0.0, 4),
            queue_key(0, -0.0, 5),
        ];
        keys.sort();
        let ids: Vec<u64> = keys.iter().map(|k| k.2).collect();
        assert_eq!(ids, vec![2, 5, 4, 0, 1, 3, 0]);
    }

    /// Random joins (mostly in referral order, some out of order), removals, escalations and
    /// head reads agree with an ordered map of the same keys.
    #[test]
    fn waiting_queue_matches_an_ordered_map() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(41);
        let mut queue = WaitingQueue::new(-100, 2_000);
        let mut shadow: BTreeMap<QueueKey, (CaseTypeId, CaseSlot)> = BTreeMap::new();
        let mut now = 0.0;
        for id in 0..200_000u64 {
            let roll: f64 = rng.random();
            if roll < 0.4 {
                now += rng.random::<f64>() * 0.05;
                let case_type = rng.random_range(0..3usize);
                let arrival = if rng.random::<f64>() < 0.1 {
                    now - rng.random::<f64>() * 100.0
                } else {
                    now
                };
                let key = queue_key(rng.random_range(0..3), arrival, id);
                queue.insert(key, case_type, id as CaseSlot);
                shadow.insert(key, (case_type, id as CaseSlot));
            } else if roll < 0.55 && !shadow.is_empty() {
                // Escalate a random waiting case.
                let nth = rng.random_range(0..shadow.len());
                let (&key, &(case_type, case)) = shadow.iter().nth(nth).expect("in range");
                if key.0 > 0 {
                    shadow.remove(&key);
                    let moved = (key.0 - 1, key.1, key.2);
                    queue.reprioritize(&key, case_type, moved.0);
                    shadow.insert(moved, (case_type, case));
                }
            } else if roll < 0.65 && !shadow.is_empty() {
                let nth = rng.random_range(0..shadow.len());
                let (&key, &(case_type, case)) = shadow.iter().nth(nth).expect("in range");
                shadow.remove(&key);
                assert_eq!(queue.remove(&key, case_type), Some(case));
            } else if let Some((&key, &(case_type, case))) = shadow.first_key_value() {
                assert_eq!(queue.first(), Some((key, case)));
                shadow.remove(&key);
                assert_eq!(queue.remove(&key, case_type), Some(case));
            }
            assert_eq!(queue.len(), shadow.len());
            assert_eq!(queue.arrivals().len() as usize, shadow.len());
        }
        let mut all: Vec<(QueueKey, CaseSlot)> = queue.iter().collect();
        all.sort_unstable();
        let expected: Vec<(QueueKey, CaseSlot)> = shadow.iter().map(|(k, v)| (*k, v.1)).collect();
        assert_eq!(all, expected);
    }

    /// The kept least loaded officer of each kind agrees with a scan of the loads through
    /// random load changes, officers joining and officers leaving.
    #[test]
    fn least_loaded_matches_a_scan_of_the_loads() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(7);
        let mut team = Team::new(&TeamConfig::new("CAIT", 30, 20, 1_600.0), 0, 100);
        let mut next_index = 0u32;
        let scan = |team: &Team, restricted: bool| {
            let loads = if restricted {
                &team.restricted_load
            } else {
                &team.general_load
            };
            loads
                .iter()
                .zip(&team.officers)
                .filter(|&(&load, _)| load != NO_SLOT)
                .map(|(&load, &i)| (load, i))
                .min()
        };
        for _ in 0..20_000 {
            let roll: f64 = rng.random();
            if roll < 0.05 || team.officers.is_empty() {
                team.push_officer(next_index);
                next_index += 1;
            } else if roll < 0.08 {
                let position = rng.random_range(0..team.officers.len());
                team.remove_officer_at(position);
            } else {
                let position = rng.random_range(0..team.officers.len());
                let load = if rng.random_bool(0.2) {
                    NO_SLOT
                } else {
                    rng.random_range(0..20)
                };
                team.set_load(position, rng.random_bool(0.3), load);
            }
            for restricted in [false, true] {
                assert_eq!(team.least_loaded(restricted), scan(&team, restricted));
            }
        }
    }

    #[test]
    fn arrival_round_trips_through_the_key() {
        for arrival in [-1e6, -3.25, -0.0, 0.0, 1e-300, 7.5, 1e9] {
            let back = arrival_of(&queue_key(2, arrival, 9));
            assert_eq!(back.to_bits(), arrival.to_bits());
        }
    }
}
