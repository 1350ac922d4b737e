//! The waiting cases weighed by work and harm, and counted by priority and case type, per
//! team: kept as they join and leave the queues (and escalate), only when the observer asks
//! for them, so a run that does not pays one test per change.

use super::*;

/// The waiting cases of every team, weighed and counted.
#[derive(Debug, Clone)]
pub(super) struct WaitingWeighed {
    /// Priority levels counted (the largest priority of any case type, plus one).
    levels: usize,
    /// Case types counted.
    types: usize,
    /// Per team: investigator-hours of work left in its waiting cases.
    hours: Vec<f64>,
    /// Per team: the waiting cases' harm weights, summed.
    harm: Vec<f64>,
    /// Per team and priority level (team-major): waiting cases.
    by_priority: Vec<u32>,
    /// Per team and case type (team-major): waiting cases.
    by_type: Vec<u32>,
}

impl WaitingWeighed {
    pub(super) fn new(config: &ModelConfig) -> Self {
        let teams = config.teams.len();
        let levels = config
            .case_types
            .iter()
            .map(|t| usize::from(t.priority) + 1)
            .max()
            .unwrap_or(1);
        let types = config.case_types.len();
        Self {
            levels,
            types,
            hours: vec![0.0; teams],
            harm: vec![0.0; teams],
            by_priority: vec![0; teams * levels],
            by_type: vec![0; teams * types],
        }
    }

    /// Counts `case` in (`joins`) or out of its team's waiting cases.
    pub(super) fn count(&mut self, config: &ModelConfig, case: &Case, joins: bool) {
        let t = case.team;
        let hours = work_left(config, case);
        let harm = config.case_types[case.case_type].harm_weight;
        let p = t * self.levels + usize::from(case.priority);
        let k = t * self.types + case.case_type;
        if joins {
            self.hours[t] += hours;
            self.harm[t] += harm;
            self.by_priority[p] += 1;
            self.by_type[k] += 1;
        } else {
            self.by_priority[p] -= 1;
            self.by_type[k] -= 1;
            // Sums of floating-point terms added and taken away drift by rounding: an
            // empty queue is exactly zero again.
            if self.by_type[t * self.types..(t + 1) * self.types]
                .iter()
                .all(|&n| n == 0)
            {
                self.hours[t] = 0.0;
                self.harm[t] = 0.0;
            } else {
                self.hours[t] -= hours;
                self.harm[t] -= harm;
            }
        }
    }

    /// A waiting case of `team` moved up from `priority` to the next level.
    pub(super) fn escalated(&mut self, team: TeamId, priority: Priority) {
        let p = team * self.levels + usize::from(priority);
        self.by_priority[p] -= 1;
        self.by_priority[p - 1] += 1;
    }

    /// Investigator-hours of work left in `team`'s waiting cases (never negative).
    pub(super) fn hours(&self, team: TeamId) -> f64 {
        self.hours[team].max(0.0)
    }

    /// The harm weights of `team`'s waiting cases, summed (never negative).
    pub(super) fn harm(&self, team: TeamId) -> f64 {
        self.harm[team].max(0.0)
    }

    /// Waiting cases per team and priority level, team-major.
    pub(super) fn by_priority(&self) -> &[u32] {
        &self.by_priority
    }

    /// Waiting cases per team and case type, team-major.
    pub(super) fn by_type(&self) -> &[u32] {
        &self.by_type
    }
}

/// Investigator-hours of work a case has left: its triage screen's, what is left of a work
/// stage it is in, and every later work stage's (as drawn at referral).
pub(super) fn work_left(config: &ModelConfig, case: &Case) -> f64 {
    let stages = &config.case_types[case.case_type].stages;
    let current = case.stage as usize;
    let mut hours = if case.screening { case.remaining } else { 0.0 };
    for (k, (stage, &drawn)) in stages.iter().zip(&case.durations).enumerate().skip(current) {
        if matches!(stage, Stage::Work(_)) {
            hours += if k == current && !case.screening {
                case.remaining
            } else {
                drawn
            };
        }
    }
    hours
}
