//! A team's live state: its officers, its queue of unallocated cases and its staffing levels.

use std::collections::BTreeMap;

use caseload_des::SimTime;

use crate::arrivals::ArrivalIndex;
use crate::case::CaseId;
use crate::config::{Priority, TeamConfig, TeamId};

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

/// A team's unallocated cases in queue order, with an index of their referral times for the
/// waiting-age statistics.
#[derive(Debug, Clone)]
pub(crate) struct WaitingQueue {
    order: BTreeMap<QueueKey, CaseId>,
    arrivals: ArrivalIndex,
}

impl WaitingQueue {
    /// An empty queue for cases referred between days `first_day` and `last_day`.
    pub(crate) fn new(first_day: i64, last_day: i64) -> Self {
        Self {
            order: BTreeMap::new(),
            arrivals: ArrivalIndex::new(first_day, last_day),
        }
    }

    pub(crate) fn insert(&mut self, key: QueueKey, case: CaseId) {
        self.arrivals.insert(arrival_of(&key), key.2);
        self.order.insert(key, case);
    }

    pub(crate) fn remove(&mut self, key: &QueueKey) -> Option<CaseId> {
        let removed = self.order.remove(key);
        if removed.is_some() {
            self.arrivals.remove(arrival_of(key), key.2);
        }
        removed
    }

    pub(crate) fn first_key_value(&self) -> Option<(&QueueKey, &CaseId)> {
        self.order.first_key_value()
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = (&QueueKey, &CaseId)> {
        self.order.iter()
    }

    pub(crate) fn values(&self) -> impl Iterator<Item = &CaseId> {
        self.order.values()
    }

    pub(crate) fn len(&self) -> usize {
        self.order.len()
    }

    /// The referral times of the cases waiting.
    pub(crate) fn arrivals(&self) -> &ArrivalIndex {
        &self.arrivals
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Team {
    /// Officers in post (at work or on the course), in ascending index order.
    pub(crate) officers: Vec<u32>,
    pub(crate) queue: WaitingQueue,
    /// Historic cases in `queue`.
    pub(crate) queued_historic: u32,
    /// Free caseload slots of officers at work who take any case.
    pub(crate) free_general_slots: u32,
    /// Free caseload slots of officers at work who take only historic cases.
    pub(crate) free_historic_slots: u32,
    /// Funded posts now (grows with recruitment actions).
    pub(crate) establishment: u32,
    /// Posts filled above establishment while overstaffing applies.
    pub(crate) overstaff: u32,
    /// Recruits posted by a panel who have not joined yet.
    pub(crate) pipeline: u32,
    /// Ring-fence actions in force.
    pub(crate) ring_fences: u32,
    /// Extra productive hours per year from flexible working.
    pub(crate) flexible_hours_per_year: f64,
    /// The pool this team is in while a daily review pools it.
    pub(crate) pool: Option<usize>,
    /// Where new historic referrals go instead, while a reassignment applies.
    pub(crate) historic_route: Option<TeamId>,
    pub(crate) arrivals_since_review: u32,
    pub(crate) completions_since_review: u32,
    /// Officers a monthly review added, oldest first.
    pub(crate) review_added: Vec<u32>,
    /// Officers a monthly review posted who have not joined yet.
    pub(crate) review_pending: u32,
    /// Pounds per day of the officers in post.
    pub(crate) cost_rate: f64,
    pub(crate) cost: f64,
    pub(crate) cost_updated: SimTime,
}

impl Team {
    /// A team whose cases are referred between days `first_day` and `last_day`.
    pub(crate) fn new(config: &TeamConfig, first_day: i64, last_day: i64) -> Self {
        Self {
            officers: Vec::with_capacity(config.strength as usize),
            queue: WaitingQueue::new(first_day, last_day),
            queued_historic: 0,
            free_general_slots: 0,
            free_historic_slots: 0,
            establishment: config.establishment,
            overstaff: 0,
            pipeline: 0,
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
        }
    }

    /// Brings the cost up to `now` at the current rate.
    pub(crate) fn accrue_cost(&mut self, now: SimTime) {
        self.cost += (now - self.cost_updated) * self.cost_rate;
        self.cost_updated = now;
    }

    /// Free slots for officers of the given kind.
    pub(crate) fn free_slots_mut(&mut self, historic_only: bool) -> &mut u32 {
        if historic_only {
            &mut self.free_historic_slots
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

    #[test]
    fn arrival_round_trips_through_the_key() {
        for arrival in [-1e6, -3.25, -0.0, 0.0, 1e-300, 7.5, 1e9] {
            let back = arrival_of(&queue_key(2, arrival, 9));
            assert_eq!(back.to_bits(), arrival.to_bits());
        }
    }
}
