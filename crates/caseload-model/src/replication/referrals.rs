//! Referrals: Poisson arrivals (thinned to the time-varying rate) and traces of counts, each
//! becoming a case in its team's queue.

use super::*;

impl<O: Observer> Replication<'_, O> {
    pub(super) fn new_referral(&mut self, sim: &mut Simulation<Event>, case_type: usize) {
        let now = sim.now();
        let config = self.config;
        let t = &config.case_types[case_type];
        let rng = &mut self.case_rngs[case_type];
        // Always one draw for the historic flag, so the stream stays aligned across options.
        let historic = rng.random::<f64>() < t.historic_share;
        let mut durations = Durations::new();
        durations.extend(t.stages.iter().map(|s| stage_dist(s).sample(rng)));
        if let (Some(Stage::Wait(_)), false) = (t.stages.first(), t.wait_steps.is_empty()) {
            durations[0] *= t.wait_multiplier(now);
        }
        let patience = match (&t.withdrawal, &mut self.withdrawal_rngs[case_type]) {
            (Some(d), Some(rng)) => d.sample(rng),
            _ => f64::INFINITY,
        };
        let outcome_draws = match &mut self.outcome_rngs[case_type] {
            Some(rng) => std::array::from_fn(|_| rng.random::<f32>()),
            None => [0.0; 3],
        };
        // Two uniforms (screened, closes) and the screen's hours, drawn only for a type with
        // triage.
        let (screen, closes_at_triage) = match (&t.triage, &mut self.triage_rngs[case_type]) {
            (Some(triage), Some(rng)) => {
                let screened = rng.random::<f64>() < triage.share;
                let closes = rng.random::<f64>() < triage.close_share;
                let hours = triage.work.sample(rng);
                (screened.then_some(hours), screened && closes)
            }
            _ => (None, false),
        };
        let quality_draw = match &mut self.quality_rngs[case_type] {
            Some(rng) => rng.random::<f32>(),
            None => 0.0,
        };
        let complexity = match &mut self.complex_rngs[case_type] {
            Some(rng) if historic => rng.random::<f32>(),
            _ => 0.0,
        };
        let team = match self.teams[t.team].historic_route {
            Some((dedicated, share)) if historic && f64::from(complexity) < share => dedicated,
            _ => t.team,
        };
        let id = self.next_case_id;
        self.next_case_id += 1;
        self.arrived += 1;
        let offered = &mut self.teams[team];
        offered.arrivals_since_review += 1;
        offered.arrived += 1;
        offered.offered_hours += match screen {
            Some(hours) if closes_at_triage => hours,
            Some(hours) => hours + work_hours(&t.stages, &durations),
            None => work_hours(&t.stages, &durations),
        };
        let case_id = self.cases.insert(Case {
            id,
            case_type,
            team,
            historic,
            arrival_priority: t.priority,
            priority: t.priority,
            arrival: now,
            stage: 0,
            remaining: screen.unwrap_or(durations[0]),
            durations,
            holder: None,
            queued_since: now,
            unallocated_before: 0.0,
            allocated: None,
            pending: None,
            patience,
            withdrawal: None,
            outcome_draws,
            standard_day: f64::NAN,
            quality_draw,
            complexity,
            screening: screen.is_some(),
            closes_at_triage,
        });
        self.enqueue(sim, case_id);
        self.allocate(sim, team);
    }

    pub(super) fn on_poisson_candidate(&mut self, sim: &mut Simulation<Event>, case_type: u32) {
        let k = case_type as usize;
        let ArrivalProcess::Poisson(rate) = &self.arrival_processes[k] else {
            unreachable!("Poisson candidates come only from Poisson demand");
        };
        let rng = &mut self.arrival_rngs[k];
        let majorant = rate.majorant;
        let keep = rng.random::<f64>() * majorant < rate.at(sim.now());
        let gap = sample_exponential(rng, majorant);
        sim.schedule_in(gap, Event::Referral { case_type });
        if keep {
            self.new_referral(sim, k);
        }
    }

    /// Replays one period of a trace: its referrals at uniform times within it, then the
    /// next period.
    pub(super) fn on_trace_period(
        &mut self,
        sim: &mut Simulation<Event>,
        case_type: u32,
        period: u32,
    ) {
        let k = case_type as usize;
        let Demand::Trace { counts, .. } = &self.config.case_types[k].demand else {
            unreachable!("trace periods come only from trace demand");
        };
        let demand = &self.config.case_types[k].demand;
        let Some(&count) = counts.get(period as usize) else {
            return;
        };
        let (start, length) = trace_period(demand, period as usize);
        let rng = &mut self.arrival_rngs[k];
        for _ in 0..count {
            let at = start + rng.random::<f64>() * length;
            sim.schedule(at, Event::TraceReferral { case_type });
        }
        let next = period + 1;
        if (next as usize) < counts.len() {
            sim.schedule(
                trace_period(demand, next as usize).0,
                Event::TracePeriod {
                    case_type,
                    period: next,
                },
            );
        }
    }

    // ---------------------------------------------------------------- queue
}

/// Start and length (days) of period `k` of a trace demand.
pub(super) fn trace_period(demand: &Demand, k: usize) -> (f64, f64) {
    match demand {
        Demand::Trace {
            boundaries,
            period_days,
            ..
        } => match (boundaries.get(k), boundaries.get(k + 1)) {
            (Some(&a), Some(&b)) => (a, b - a),
            _ => (k as f64 * period_days, *period_days),
        },
        Demand::Poisson(_) => (0.0, 0.0),
    }
}
