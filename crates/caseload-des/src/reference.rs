//! A reference multi-server queue written on the engine: `c` servers, an optional limit on the
//! number in system, one or more priority classes (non-preemptive, class 0 highest), Poisson
//! arrivals and any service distribution.
//!
//! It exists to prove the engine against queueing theory (M/M/c, M/M/c/K, M/G/1, priority
//! M/M/c, Little's law) and to benchmark it; the domain model must reduce to the same numbers.

use std::collections::VecDeque;

use rand_distr::{Distribution, Exp};

use crate::dist::Dist;
use crate::rng::{RngStreams, StreamId, StreamRng};
use crate::simulation::{Model, RunLimits, Simulation};
use crate::time::SimTime;

/// One class of customers.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomerClass {
    /// Poisson arrival rate, customers per unit time.
    pub arrival_rate: f64,
    /// Service time distribution, in units of time.
    pub service: Dist,
}

/// A multi-server queue's parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct QueueConfig {
    /// Number of identical servers.
    pub servers: u32,
    /// Maximum number in system (waiting plus in service); arrivals beyond it are lost.
    pub capacity: Option<u32>,
    /// Customer classes in priority order, highest first.
    pub classes: Vec<CustomerClass>,
    /// Statistics are reset at this time, to drop the start-up transient.
    pub warm_up: SimTime,
    /// The run stops at this time.
    pub horizon: SimTime,
    /// Stop generating arrivals after this many (all classes together), if set; the run then
    /// continues until every admitted customer has left or the horizon is reached.
    pub max_arrivals: Option<u64>,
}

/// What one class saw after the warm-up.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ClassStats {
    /// Arrivals after the warm-up, admitted or not.
    pub arrivals: u64,
    /// Arrivals refused because the system was full.
    pub blocked: u64,
    /// Customers whose service started after the warm-up.
    pub started: u64,
    /// Sum of their waits in queue.
    pub wait_sum: f64,
    /// Customers who left after the warm-up.
    pub departed: u64,
    /// Sum of their times in system.
    pub sojourn_sum: f64,
}

impl ClassStats {
    /// Mean wait in queue of customers whose service started after the warm-up.
    pub fn mean_wait(&self) -> f64 {
        self.wait_sum / self.started as f64
    }

    /// Mean time in system of customers who left after the warm-up.
    pub fn mean_sojourn(&self) -> f64 {
        self.sojourn_sum / self.departed as f64
    }

    /// Share of arrivals refused.
    pub fn blocking(&self) -> f64 {
        self.blocked as f64 / self.arrivals as f64
    }
}

/// What one replication of the queue saw after the warm-up.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QueueStats {
    /// Per class, in priority order.
    pub classes: Vec<ClassStats>,
    /// Integral of the number waiting over the observed time.
    pub queue_area: f64,
    /// Integral of the number in system over the observed time.
    pub system_area: f64,
    /// Length of the observed period (warm-up to end).
    pub observed_time: f64,
    /// Events the engine processed in the whole run.
    pub events: u64,
}

impl QueueStats {
    /// All classes pooled.
    pub fn total(&self) -> ClassStats {
        self.classes
            .iter()
            .fold(ClassStats::default(), |a, c| ClassStats {
                arrivals: a.arrivals + c.arrivals,
                blocked: a.blocked + c.blocked,
                started: a.started + c.started,
                wait_sum: a.wait_sum + c.wait_sum,
                departed: a.departed + c.departed,
                sojourn_sum: a.sojourn_sum + c.sojourn_sum,
            })
    }

    /// Time-average number waiting.
    pub fn mean_queue_length(&self) -> f64 {
        self.queue_area / self.observed_time
    }

    /// Time-average number in system.
    pub fn mean_in_system(&self) -> f64 {
        self.system_area / self.observed_time
    }

    /// Admitted arrivals per unit time after the warm-up.
    pub fn admitted_rate(&self) -> f64 {
        let t = self.total();
        (t.arrivals - t.blocked) as f64 / self.observed_time
    }
}

/// The queue's events.
#[derive(Debug, Clone, Copy)]
enum QueueEvent {
    Arrival { class: u32 },
    Departure { class: u32, arrived: SimTime },
    WarmUpEnd,
}

struct MultiServerQueue<'a> {
    config: &'a QueueConfig,
    interarrival: Vec<Exp<f64>>,
    arrival_rngs: Vec<StreamRng>,
    service_rngs: Vec<StreamRng>,
    /// Per class, arrival times of waiting customers, oldest first.
    waiting: Vec<VecDeque<SimTime>>,
    waiting_count: u32,
    busy: u32,
    arrivals_generated: u64,
    observing: bool,
    last_change: SimTime,
    stats: QueueStats,
}

impl MultiServerQueue<'_> {
    fn accumulate(&mut self, now: SimTime) {
        let dt = now - self.last_change;
        self.stats.queue_area += dt * f64::from(self.waiting_count);
        self.stats.system_area += dt * f64::from(self.waiting_count + self.busy);
        self.last_change = now;
    }

    fn start_service(&mut self, sim: &mut Simulation<QueueEvent>, class: u32, arrived: SimTime) {
        let now = sim.now();
        if self.observing {
            let s = &mut self.stats.classes[class as usize];
            s.started += 1;
            s.wait_sum += now - arrived;
        }
        self.busy += 1;
        let service = self.config.classes[class as usize]
            .service
            .sample(&mut self.service_rngs[class as usize]);
        sim.schedule_in(service, QueueEvent::Departure { class, arrived });
    }

    fn schedule_arrival(&mut self, sim: &mut Simulation<QueueEvent>, class: u32) {
        if self
            .config
            .max_arrivals
            .is_some_and(|max| self.arrivals_generated >= max)
        {
            return;
        }
        self.arrivals_generated += 1;
        let k = class as usize;
        let gap = self.interarrival[k].sample(&mut self.arrival_rngs[k]);
        sim.schedule_in(gap, QueueEvent::Arrival { class });
    }
}

impl Model for MultiServerQueue<'_> {
    type Event = QueueEvent;

    fn handle(&mut self, sim: &mut Simulation<QueueEvent>, event: QueueEvent) {
        let now = sim.now();
        self.accumulate(now);
        match event {
            QueueEvent::Arrival { class } => {
                self.schedule_arrival(sim, class);
                let full = self
                    .config
                    .capacity
                    .is_some_and(|cap| self.busy + self.waiting_count >= cap);
                if self.observing {
                    let s = &mut self.stats.classes[class as usize];
                    s.arrivals += 1;
                    s.blocked += u64::from(full);
                }
                if full {
                    return;
                }
                if self.busy < self.config.servers {
                    self.start_service(sim, class, now);
                } else {
                    self.waiting[class as usize].push_back(now);
                    self.waiting_count += 1;
                }
            }
            QueueEvent::Departure { class, arrived } => {
                if self.observing {
                    let s = &mut self.stats.classes[class as usize];
                    s.departed += 1;
                    s.sojourn_sum += now - arrived;
                }
                self.busy -= 1;
                if self.waiting_count > 0 {
                    let next = self
                        .waiting
                        .iter_mut()
                        .enumerate()
                        .find_map(|(k, q)| q.pop_front().map(|t| (k, t)));
                    if let Some((k, arrived)) = next {
                        self.waiting_count -= 1;
                        self.start_service(sim, k as u32, arrived);
                    }
                }
            }
            QueueEvent::WarmUpEnd => {
                self.observing = true;
                self.stats.queue_area = 0.0;
                self.stats.system_area = 0.0;
            }
        }
    }
}

/// Runs one replication of `config` with the random streams of `streams`.
///
/// Streams used: `arrivals.index(k)` and `service.index(k)` for class `k`.
pub fn run_queue(config: &QueueConfig, streams: &RngStreams) -> QueueStats {
    let classes = config.classes.len();
    let mut model = MultiServerQueue {
        config,
        interarrival: config
            .classes
            .iter()
            .map(|c| Exp::new(c.arrival_rate).expect("arrival rate must be positive and finite"))
            .collect(),
        arrival_rngs: (0..classes as u64)
            .map(|k| streams.stream(StreamId::named("arrivals").index(k)))
            .collect(),
        service_rngs: (0..classes as u64)
            .map(|k| streams.stream(StreamId::named("service").index(k)))
            .collect(),
        waiting: vec![VecDeque::new(); classes],
        waiting_count: 0,
        busy: 0,
        arrivals_generated: 0,
        observing: config.warm_up <= 0.0,
        last_change: 0.0,
        stats: QueueStats {
            classes: vec![ClassStats::default(); classes],
            ..QueueStats::default()
        },
    };
    let mut sim = Simulation::new();
    if config.warm_up > 0.0 {
        sim.schedule(config.warm_up, QueueEvent::WarmUpEnd);
    }
    for class in 0..classes as u32 {
        model.schedule_arrival(&mut sim, class);
    }
    sim.run(&mut model, RunLimits::until(config.horizon));
    let end = sim.now();
    model.accumulate(end);
    let mut stats = model.stats;
    stats.observed_time = end - config.warm_up.max(0.0);
    stats.events = sim.events_processed();
    stats
}
