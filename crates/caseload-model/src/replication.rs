//! One replication of the model: the event handlers, allocation and staffing actions.
//!
//! After every change that can free a caseload slot or add a waiting case, the affected team
//! (or its pool) runs one allocation step, [`Replication::allocate`], so allocation logic lives
//! in one place.

use caseload_des::{
    DAYS_PER_YEAR, EventKey, Model, RngStreams, RunLimits, SimTime, Simulation, StopReason,
    StreamId, StreamRng,
};
use rand::Rng;

use crate::arrivals::{ArrivalIndex, age_quantile};
use crate::case::{Case, CaseId, Cases, Durations, work_hours};
use crate::config::{ActionKind, CaseTypeId, Demand, ModelConfig, Priority, Source, Stage, TeamId};
use crate::demand::PoissonRate;
use crate::investigator::{Investigator, Status};
use crate::observe::{DaySnapshot, Observer, RunSummary, TeamDay};
use crate::team::{NO_SLOT, QueueKey, Team, queue_key};
use crate::validate::{ConfigError, ValidConfig};

/// Length of a monthly review period, days.
const MONTH_DAYS: f64 = DAYS_PER_YEAR / 12.0;

/// Streams: arrivals of each case type; the historic flag and stage durations of each case
/// type's referrals; each officer's leaving time; the starting backlog's stage durations.
const ARRIVALS: StreamId = StreamId::named("arrivals");
const CASES: StreamId = StreamId::named("cases");
const ATTRITION: StreamId = StreamId::named("attrition");
const BACKLOG: StreamId = StreamId::named("backlog");

/// An exponential variate with the given rate (per day), by inversion: one uniform draw per
/// variate, so a stream's position does not depend on the values drawn.
fn sample_exponential<R: Rng + ?Sized>(rng: &mut R, rate: f64) -> f64 {
    // 1 - u lies in (0, 1], so the logarithm is finite.
    -(1.0 - rng.random::<f64>()).ln() / rate
}

#[derive(Debug, Clone, Copy)]
enum Event {
    /// A candidate referral of a Poisson demand (kept or thinned).
    Referral { case_type: u32 },
    /// The start of a trace period: its referrals are placed in it.
    TracePeriod { case_type: u32, period: u32 },
    /// A referral from a trace.
    TraceReferral { case_type: u32 },
    /// The earliest working case of an officer finishes its work stage.
    WorkDone { investigator: u32 },
    /// A case's wait stage ends.
    WaitDone { case: CaseId },
    /// A waiting case moves up one priority level, from `priority`. The team and case type
    /// say where it waited when the escalation was scheduled, so the common escalation (the
    /// front of its run) does not read the case's record.
    Escalate {
        case: CaseId,
        team: u32,
        case_type: u32,
        priority: Priority,
    },
    /// An officer leaves (attrition).
    Leave { investigator: u32 },
    /// A new starter finishes the course.
    TrainingDone { investigator: u32 },
    /// A new starter reaches full productivity.
    RampUpDone { investigator: u32 },
    /// A posting panel fills vacancies.
    PostingPanel { team: u32 },
    /// A recruit joins.
    RecruitJoins { team: u32 },
    /// A staffing action starts.
    ActionStart { action: u32 },
    /// A staffing action ends.
    ActionEnd { action: u32 },
    /// A monthly review adjusts staffing.
    MonthlyReview { action: u32 },
    /// Officers posted by a monthly review join.
    ReviewPosting { team: u32, officers: u32 },
    /// The daily observation.
    Observe { day: u32 },
}

/// How referrals of one case type are generated.
#[derive(Debug)]
enum ArrivalProcess {
    Poisson(PoissonRate),
    Trace,
}

/// One replication's state.
struct Replication<'a, O: Observer> {
    config: &'a ModelConfig,
    streams: RngStreams,
    observer: &'a mut O,
    arrival_processes: Vec<ArrivalProcess>,
    arrival_rngs: Vec<StreamRng>,
    case_rngs: Vec<StreamRng>,
    cases: Cases,
    investigators: Vec<Investigator>,
    teams: Vec<Team>,
    /// Members of each pool formed by the daily reviews in force.
    pools: Vec<Vec<TeamId>>,
    daily_reviews: Vec<usize>,
    next_case_id: u64,
    arrived: u64,
    completed: u64,
    queued: u64,
    queue_area: f64,
    queue_updated: SimTime,
    // Reused buffers.
    scratch_teams: Vec<TeamId>,
    /// Referral times of one day's waiting cases, for the age quantiles.
    scratch_ages: Vec<f64>,
    team_days: Vec<TeamDay>,
}

/// Runs one replication of `config` with the random streams of `streams`, reporting to
/// `observer`. The same configuration and streams always give the same observations.
pub fn run_replication<O: Observer>(
    config: &ValidConfig,
    streams: &RngStreams,
    observer: &mut O,
) -> Result<RunSummary, ConfigError> {
    run_replication_within(config, streams, observer, u64::MAX)
}

/// Like [`run_replication`], but stops with [`ConfigError::EventBudget`] once `max_events`
/// events have been handled before the horizon: a bound on the time any configuration can
/// take.
pub fn run_replication_within<O: Observer>(
    config: &ValidConfig,
    streams: &RngStreams,
    observer: &mut O,
    max_events: u64,
) -> Result<RunSummary, ConfigError> {
    let mut sim = Simulation::new();
    let mut rep = Replication::new(config, *streams, observer);
    rep.start(&mut sim);
    let mut limits = RunLimits::until(config.horizon_days);
    limits.max_events = Some(max_events);
    if sim.run(&mut rep, limits) == StopReason::EventLimit {
        return Err(ConfigError::EventBudget {
            limit: max_events,
            day: sim.now(),
            horizon: config.horizon_days,
        });
    }
    let horizon = config.horizon_days;
    rep.observe(horizon.ceil() as u32, horizon);
    Ok(rep.finish(&sim, horizon))
}

impl<'a, O: Observer> Replication<'a, O> {
    fn new(config: &'a ModelConfig, streams: RngStreams, observer: &'a mut O) -> Self {
        let types = config.case_types.len() as u64;
        Self {
            config,
            streams,
            observer,
            arrival_processes: config
                .case_types
                .iter()
                .map(|t| match &t.demand {
                    Demand::Poisson(p) => ArrivalProcess::Poisson(PoissonRate::new(
                        p,
                        config.start_day_of_year,
                        config.horizon_days,
                    )),
                    Demand::Trace { .. } => ArrivalProcess::Trace,
                })
                .collect(),
            arrival_rngs: (0..types)
                .map(|k| streams.stream(ARRIVALS.index(k)))
                .collect(),
            case_rngs: (0..types).map(|k| streams.stream(CASES.index(k))).collect(),
            cases: Cases::default(),
            investigators: Vec::new(),
            teams: {
                // Referral days run from the oldest starting case to the horizon.
                let oldest = config
                    .starting_backlog
                    .iter()
                    .map(|c| -c.age_days)
                    .fold(0.0, f64::min);
                let (first, last) = (oldest.floor() as i64, config.horizon_days.ceil() as i64 + 1);
                config
                    .teams
                    .iter()
                    .map(|t| Team::new(t, first, last))
                    .collect()
            },
            pools: Vec::new(),
            daily_reviews: Vec::new(),
            next_case_id: 0,
            arrived: 0,
            completed: 0,
            queued: 0,
            queue_area: 0.0,
            queue_updated: 0.0,
            scratch_teams: Vec::new(),
            scratch_ages: Vec::new(),
            team_days: vec![TeamDay::default(); config.teams.len()],
        }
    }

    /// Officers in post, the starting backlog, and the first of every recurring event.
    fn start(&mut self, sim: &mut Simulation<Event>) {
        let config = self.config;
        for (team, t) in config.teams.iter().enumerate() {
            for _ in 0..t.strength {
                self.add_officer(sim, team, Source::Establishment, None, false);
            }
        }
        // Actions first: at equal times events fire in scheduling order, so a staffing action
        // takes effect before the routine events (panels, observations) of its day.
        for (i, action) in config.actions.iter().enumerate() {
            let action_id = i as u32;
            if action.start_day < config.horizon_days {
                sim.schedule(action.start_day, Event::ActionStart { action: action_id });
            }
            if let Some(end) = action.end_day.filter(|e| *e < config.horizon_days) {
                sim.schedule(end, Event::ActionEnd { action: action_id });
            }
        }
        for (team, t) in config.teams.iter().enumerate() {
            if t.recruitment.is_some() {
                sim.schedule(0.0, Event::PostingPanel { team: team as u32 });
            }
        }
        self.load_starting_backlog(sim);
        for (k, process) in self.arrival_processes.iter().enumerate() {
            let case_type = k as u32;
            match process {
                ArrivalProcess::Poisson(rate) if rate.majorant > 0.0 => {
                    let gap = sample_exponential(&mut self.arrival_rngs[k], rate.majorant);
                    sim.schedule(gap, Event::Referral { case_type });
                }
                ArrivalProcess::Poisson(_) => {}
                ArrivalProcess::Trace => {
                    sim.schedule(
                        0.0,
                        Event::TracePeriod {
                            case_type,
                            period: 0,
                        },
                    );
                }
            }
        }
        sim.schedule(0.0, Event::Observe { day: 0 });
    }

    fn load_starting_backlog(&mut self, sim: &mut Simulation<Event>) {
        let config = self.config;
        let mut rng = self.streams.stream(BACKLOG);
        // Open cases first, so they take officers' slots before waiting ones are allocated.
        for open in [true, false] {
            for start in config.starting_backlog.iter().filter(|c| c.open == open) {
                let case_type = &config.case_types[start.case_type];
                let mut durations = Durations::new();
                durations.extend(
                    case_type
                        .stages
                        .iter()
                        .map(|s| stage_dist(s).sample(&mut rng)),
                );
                let id = self.next_case_id;
                self.next_case_id += 1;
                self.arrived += 1;
                let team = start.team.unwrap_or(case_type.team);
                self.teams[team].arrived += 1;
                let case = Case {
                    id,
                    case_type: start.case_type,
                    team,
                    historic: start.historic,
                    arrival_priority: case_type.priority,
                    priority: case_type.priority,
                    arrival: -start.age_days,
                    stage: u32::try_from(start.stage)
                        .expect("a validated stage index is below the stage count"),
                    remaining: durations[start.stage],
                    durations,
                    holder: None,
                    queued_since: 0.0,
                    unallocated_before: if open { 0.0 } else { start.age_days },
                    allocated: open.then_some(0.0),
                    pending: None,
                };
                let team = case.team;
                let case_id = self.cases.insert(case);
                let officer = if open {
                    self.pick_officer(&[team], false)
                } else {
                    None
                };
                match officer {
                    Some(inv) => self.assign(sim, case_id, inv),
                    None => self.enqueue(sim, case_id),
                }
            }
        }
    }

    fn finish(mut self, sim: &Simulation<Event>, now: SimTime) -> RunSummary {
        self.update_queue_area(now);
        let mut open = 0;
        let mut unallocated = 0;
        for case in self.cases.iter() {
            if case.holder.is_some() {
                open += 1;
            } else {
                unallocated += 1;
            }
            self.observer.case_unfinished(&case.record(now, None));
        }
        let mut cost = 0.0;
        for team in &mut self.teams {
            team.accrue_cost(now);
            cost += team.cost;
        }
        RunSummary {
            events: sim.events_processed(),
            arrived: self.arrived,
            completed: self.completed,
            unallocated,
            open,
            unallocated_case_days: self.queue_area,
            cost,
        }
    }

    // ---------------------------------------------------------------- demand

    fn new_referral(&mut self, sim: &mut Simulation<Event>, case_type: usize) {
        let now = sim.now();
        let config = self.config;
        let t = &config.case_types[case_type];
        let rng = &mut self.case_rngs[case_type];
        // Always one draw for the historic flag, so the stream stays aligned across options.
        let historic = rng.random::<f64>() < t.historic_share;
        let mut durations = Durations::new();
        durations.extend(t.stages.iter().map(|s| stage_dist(s).sample(rng)));
        let team = match self.teams[t.team].historic_route {
            Some(dedicated) if historic => dedicated,
            _ => t.team,
        };
        let id = self.next_case_id;
        self.next_case_id += 1;
        self.arrived += 1;
        let offered = &mut self.teams[team];
        offered.arrivals_since_review += 1;
        offered.arrived += 1;
        offered.offered_hours += work_hours(&t.stages, &durations);
        let case_id = self.cases.insert(Case {
            id,
            case_type,
            team,
            historic,
            arrival_priority: t.priority,
            priority: t.priority,
            arrival: now,
            stage: 0,
            remaining: durations[0],
            durations,
            holder: None,
            queued_since: now,
            unallocated_before: 0.0,
            allocated: None,
            pending: None,
        });
        self.enqueue(sim, case_id);
        self.allocate(sim, team);
    }

    fn on_poisson_candidate(&mut self, sim: &mut Simulation<Event>, case_type: u32) {
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

    fn on_trace_period(&mut self, sim: &mut Simulation<Event>, case_type: u32, period: u32) {
        let k = case_type as usize;
        let Demand::Trace {
            period_days,
            counts,
        } = &self.config.case_types[k].demand
        else {
            unreachable!("trace periods come only from trace demand");
        };
        let Some(&count) = counts.get(period as usize) else {
            return;
        };
        let start = f64::from(period) * period_days;
        let rng = &mut self.arrival_rngs[k];
        for _ in 0..count {
            let at = start + rng.random::<f64>() * period_days;
            sim.schedule(at, Event::TraceReferral { case_type });
        }
        let next = period + 1;
        if (next as usize) < counts.len() {
            sim.schedule(
                f64::from(next) * period_days,
                Event::TracePeriod {
                    case_type,
                    period: next,
                },
            );
        }
    }

    // ---------------------------------------------------------------- queue

    fn update_queue_area(&mut self, now: SimTime) {
        self.queue_area += (now - self.queue_updated) * self.queued as f64;
        self.queue_updated = now;
    }

    /// Puts a case in its team's queue.
    fn enqueue(&mut self, sim: &mut Simulation<Event>, case_id: CaseId) {
        let now = sim.now();
        self.update_queue_area(now);
        self.queued += 1;
        let escalate = {
            let case = self.cases.get_mut(case_id);
            case.holder = None;
            case.queued_since = now;
            let team = &mut self.teams[case.team];
            team.queue.insert(
                queue_key(case.priority, case.arrival, case.id),
                case.case_type,
                case_id,
            );
            team.queued_historic += u32::from(case.historic);
            case.priority > 0
        };
        if escalate {
            self.schedule_escalation(sim, case_id);
        }
    }

    fn schedule_escalation(&mut self, sim: &mut Simulation<Event>, case_id: CaseId) {
        let case = self.cases.get_mut(case_id);
        case.pending = escalation(
            self.config,
            sim,
            case_id,
            case.team,
            case.case_type,
            case.priority,
        );
    }

    /// Takes a case out of its team's queue.
    fn dequeue(&mut self, sim: &mut Simulation<Event>, case_id: CaseId) {
        let now = sim.now();
        self.update_queue_area(now);
        self.queued -= 1;
        let case = self.cases.get_mut(case_id);
        if let Some(key) = case.pending.take() {
            sim.cancel(key);
        }
        case.unallocated_before += now - case.queued_since;
        let team = &mut self.teams[case.team];
        let removed = team.queue.remove(
            &queue_key(case.priority, case.arrival, case.id),
            case.case_type,
        );
        debug_assert_eq!(removed, Some(case_id), "a dequeued case is in its queue");
        team.queued_historic -= u32::from(case.historic);
    }

    fn on_escalate(
        &mut self,
        sim: &mut Simulation<Event>,
        case_id: CaseId,
        team: TeamId,
        case_type: CaseTypeId,
        priority: Priority,
    ) {
        if self.teams[team]
            .queue
            .escalate_front(case_type, priority, case_id)
        {
            // Only writes to the case: its record need not be read.
            let raised = priority - 1;
            let pending = if raised > 0 {
                escalation(self.config, sim, case_id, team, case_type, raised)
            } else {
                None
            };
            let case = self.cases.get_mut(case_id);
            case.priority = raised;
            case.pending = pending;
            return;
        }
        // A case that is not its run's front, or that moved team since (reassigned historic).
        let case = self.cases.get_mut(case_id);
        case.pending = None;
        let team = &mut self.teams[case.team];
        let key = queue_key(case.priority, case.arrival, case.id);
        case.priority -= 1;
        team.queue.reprioritize(&key, case.case_type, case.priority);
        if case.priority > 0 {
            self.schedule_escalation(sim, case_id);
        }
    }

    // ---------------------------------------------------------------- allocation

    /// The members of `team`'s pool (or the team alone), in the reused `scratch_teams` buffer;
    /// the caller hands it back.
    fn pool_members(&mut self, team: TeamId) -> Vec<TeamId> {
        let mut members = std::mem::take(&mut self.scratch_teams);
        members.clear();
        match self.teams[team].pool {
            Some(pool) => members.extend_from_slice(&self.pools[pool]),
            None => members.push(team),
        }
        members
    }

    /// Allocates waiting cases of `team`'s pool to officers with free slots: highest priority,
    /// then oldest, first; each to the eligible officer holding the fewest cases (ties: the
    /// lowest index). Officers who take only historic cases take the best historic case.
    fn allocate(&mut self, sim: &mut Simulation<Event>, team: TeamId) {
        let members = self.pool_members(team);
        for historic_only in [false, true] {
            loop {
                let free: u32 = members
                    .iter()
                    .map(|&t| {
                        let team = &self.teams[t];
                        if historic_only {
                            team.free_historic_slots
                        } else {
                            team.free_general_slots
                        }
                    })
                    .sum();
                if free == 0 {
                    break;
                }
                let Some(case_id) = self.best_waiting(&members, historic_only) else {
                    break;
                };
                // Its record is likely cold: start loading it while the officer is chosen.
                self.cases.prefetch(case_id);
                let inv = self
                    .pick_officer(&members, historic_only)
                    .expect("a free slot counted means an officer with a free slot");
                self.dequeue(sim, case_id);
                self.assign(sim, case_id, inv);
            }
        }
        self.scratch_teams = members;
    }

    /// The first case in queue order across `members` (historic cases only if asked).
    fn best_waiting(&self, members: &[TeamId], historic_only: bool) -> Option<CaseId> {
        let mut best = None;
        for &t in members {
            let team = &self.teams[t];
            let head = if historic_only {
                if team.queued_historic == 0 {
                    continue;
                }
                team.queue
                    .iter()
                    .filter(|&(_, id)| self.cases.get(id).historic)
                    .min()
            } else {
                team.queue.first()
            };
            if let Some((key, id)) = head
                && best.is_none_or(|(k, _)| key < k)
            {
                best = Some((key, id));
            }
        }
        best.map(|(_, id)| id)
    }

    /// The eligible officer with a free slot holding the fewest cases; ties: lowest index.
    fn pick_officer(&self, members: &[TeamId], historic_only: bool) -> Option<u32> {
        members
            .iter()
            .filter_map(|&t| self.teams[t].least_loaded(historic_only))
            .min()
            .map(|(_, i)| i)
    }

    /// Gives a (dequeued) case to an officer with a free slot and starts its current stage.
    fn assign(&mut self, sim: &mut Simulation<Event>, case_id: CaseId, inv: u32) {
        let now = sim.now();
        let officer = &mut self.investigators[inv as usize];
        debug_assert!(officer.has_free_slot());
        officer.held.push(case_id);
        let historic_only = officer.historic_only;
        let team = &mut self.teams[officer.team];
        *team.free_slots_mut(historic_only) -= 1;
        team.set_load(officer.position, historic_only, officer.load());
        let case = self.cases.get_mut(case_id);
        case.holder = Some(inv);
        if case.allocated.is_none() {
            case.allocated = Some(now);
            let record = case.record(now, None);
            self.observer.case_allocated(&record);
        }
        self.start_stage(sim, case_id, inv);
    }

    // ---------------------------------------------------------------- work

    fn start_stage(&mut self, sim: &mut Simulation<Event>, case_id: CaseId, inv: u32) {
        let case = self.cases.get_mut(case_id);
        match self.config.case_types[case.case_type].stages[case.stage as usize] {
            Stage::Work(_) => {
                let hours = case.remaining;
                self.investigators[inv as usize].start_work(sim.now(), case_id, hours);
                self.reschedule_completion(sim, inv);
            }
            Stage::Wait(_) => {
                // From now on `remaining` holds the day the wait ends.
                let ends = sim.now() + case.remaining;
                case.remaining = ends;
                case.pending = Some(sim.schedule(ends, Event::WaitDone { case: case_id }));
            }
        }
    }

    fn reschedule_completion(&mut self, sim: &mut Simulation<Event>, inv: u32) {
        let now = sim.now();
        let officer = &mut self.investigators[inv as usize];
        if let Some(key) = officer.completion.take() {
            sim.cancel(key);
        }
        if let Some(at) = officer.next_completion() {
            officer.completion =
                Some(sim.schedule(at.max(now), Event::WorkDone { investigator: inv }));
        }
    }

    fn on_work_done(&mut self, sim: &mut Simulation<Event>, inv: u32) {
        let officer = &mut self.investigators[inv as usize];
        officer.completion = None;
        let case_id = officer
            .finish_earliest(sim.now())
            .expect("a completion event means a working case");
        self.reschedule_completion(sim, inv);
        self.finish_stage(sim, case_id, inv);
    }

    fn on_wait_done(&mut self, sim: &mut Simulation<Event>, case_id: CaseId) {
        let case = self.cases.get_mut(case_id);
        case.pending = None;
        let inv = case
            .holder
            .expect("a wait stage runs only while a case is held");
        self.finish_stage(sim, case_id, inv);
    }

    fn finish_stage(&mut self, sim: &mut Simulation<Event>, case_id: CaseId, inv: u32) {
        let case = self.cases.get_mut(case_id);
        case.stage += 1;
        if let Some(&duration) = case.durations.get(case.stage as usize) {
            case.remaining = duration;
            self.start_stage(sim, case_id, inv);
        } else {
            self.complete(sim, case_id, inv);
        }
    }

    fn complete(&mut self, sim: &mut Simulation<Event>, case_id: CaseId, inv: u32) {
        let now = sim.now();
        let officer = &mut self.investigators[inv as usize];
        let pos = officer
            .held
            .iter()
            .position(|c| *c == case_id)
            .expect("a completing case is held by its officer");
        officer.held.swap_remove(pos);
        let officer_team = officer.team;
        let historic_only = officer.historic_only;
        let team = &mut self.teams[officer_team];
        *team.free_slots_mut(historic_only) += 1;
        team.set_load(officer.position, historic_only, officer.load());
        self.completed += 1;
        let case = self.cases.get(case_id);
        let case_team = &mut self.teams[case.team];
        case_team.completions_since_review += 1;
        case_team.completed += 1;
        let record = case.record(now, Some(now));
        self.observer.case_completed(&record);
        self.cases.remove(case_id);
        self.allocate(sim, officer_team);
    }

    // ---------------------------------------------------------------- workforce

    /// Brings an officer into a team. Recruits go on the new starters' course if the team has
    /// one; everyone else starts at work.
    fn add_officer(
        &mut self,
        sim: &mut Simulation<Event>,
        team: TeamId,
        source: Source,
        action: Option<usize>,
        new_starter: bool,
    ) -> u32 {
        let now = sim.now();
        let config = &self.config.teams[team];
        let all_actions = &self.config.actions;
        let (historic_only, cap, hours_per_year, cost_per_day) =
            match action.map(|a| &all_actions[a].kind) {
                Some(ActionKind::Agency {
                    hours_per_year,
                    caseload_cap,
                    cost_per_day,
                    ..
                }) => (false, *caseload_cap, *hours_per_year, *cost_per_day),
                Some(ActionKind::Attachment { historic_only, .. }) => (
                    *historic_only,
                    config.caseload_cap,
                    config.contracted_hours_per_year * (1.0 - config.abstraction),
                    config.cost_per_day,
                ),
                _ => (
                    false,
                    config.caseload_cap,
                    config.contracted_hours_per_year * (1.0 - config.abstraction),
                    config.cost_per_day,
                ),
            };
        let index = u32::try_from(self.investigators.len()).expect("fewer than 2^32 officers");
        let mut officer = Investigator::new(
            team,
            source,
            action,
            historic_only,
            cap,
            hours_per_year / DAYS_PER_YEAR,
            cost_per_day,
            now,
        );
        match (&config.new_starters, new_starter) {
            (Some(course), true) => {
                officer.status = Status::Training;
                officer.productivity = course.ramp_up_productivity;
                officer.status_change = Some(sim.schedule_in(
                    course.course_days,
                    Event::TrainingDone {
                        investigator: index,
                    },
                ));
            }
            _ => {
                *self.teams[team].free_slots_mut(historic_only) += cap;
            }
        }
        let permanent = matches!(
            source,
            Source::Establishment | Source::Overstaff | Source::Transfer
        );
        if permanent && config.attrition_per_year > 0.0 {
            let mut rng = self.streams.stream(ATTRITION.index(u64::from(index)));
            let stay = sample_exponential(&mut rng, config.attrition_per_year / DAYS_PER_YEAR);
            officer.leave = Some(sim.schedule_in(
                stay,
                Event::Leave {
                    investigator: index,
                },
            ));
        }
        let t = &mut self.teams[team];
        t.accrue_cost(now);
        t.cost_rate += cost_per_day;
        officer.position = t.officers.len();
        t.officers.push(index);
        t.general_load.push(NO_SLOT);
        t.historic_load.push(NO_SLOT);
        t.set_load(officer.position, officer.historic_only, officer.load());
        self.investigators.push(officer);
        self.refresh_rates(sim, team);
        index
    }

    /// An officer leaves: the cases they hold return to their teams' queues, keeping their
    /// stage, remaining work and age.
    fn remove_officer(&mut self, sim: &mut Simulation<Event>, inv: u32) {
        let now = sim.now();
        let officer = &mut self.investigators[inv as usize];
        if officer.status == Status::Gone {
            return;
        }
        let team = officer.team;
        if officer.status == Status::Working {
            let free = officer.cap - officer.held.len() as u32;
            let historic_only = officer.historic_only;
            *self.teams[team].free_slots_mut(historic_only) -= free;
        }
        officer.status = Status::Gone;
        for key in [
            officer.completion.take(),
            officer.leave.take(),
            officer.status_change.take(),
        ]
        .into_iter()
        .flatten()
        {
            sim.cancel(key);
        }
        let held = std::mem::take(&mut officer.held);
        let cost = officer.cost_per_day;
        for &case_id in &held {
            let record = self.cases.get(case_id).record(now, None);
            self.observer.case_requeued(&record, now);
            let officer = &mut self.investigators[inv as usize];
            let case = self.cases.get_mut(case_id);
            match officer.stop_work(now, case_id) {
                Some(hours) => case.remaining = hours,
                None => {
                    // In a wait stage `remaining` held the day it ends.
                    case.remaining = (case.remaining - now).max(0.0);
                    if let Some(key) = case.pending.take() {
                        sim.cancel(key);
                    }
                }
            }
            self.enqueue(sim, case_id);
        }
        let worked = self.investigators[inv as usize].worked_hours(now);
        let t = &mut self.teams[team];
        t.departed_worked_hours += worked;
        t.accrue_cost(now);
        t.cost_rate -= cost;
        let position = self.investigators[inv as usize].position;
        debug_assert_eq!(t.officers[position], inv, "an officer's position is kept");
        t.officers.remove(position);
        t.general_load.remove(position);
        t.historic_load.remove(position);
        for &i in &t.officers[position..] {
            self.investigators[i as usize].position -= 1;
        }
        t.review_added.retain(|&i| i != inv);
        self.refresh_rates(sim, team);
        self.allocate(sim, team);
        for &case_id in &held {
            let case_team = self.cases.get(case_id).team;
            if case_team != team {
                self.allocate(sim, case_team);
            }
        }
    }

    /// Recomputes every officer's hours per day in `team`: abstraction, other duties (unless
    /// ring-fenced), ramp-up productivity, and the team's flexible hours shared equally among
    /// its officers at work.
    fn refresh_rates(&mut self, sim: &mut Simulation<Event>, team: TeamId) {
        let now = sim.now();
        let config = &self.config.teams[team];
        let t = &self.teams[team];
        let other_duties = if t.ring_fences > 0 {
            0.0
        } else {
            config.other_duties
        };
        let sharing = t
            .officers
            .iter()
            .filter(|&&i| {
                let inv = &self.investigators[i as usize];
                inv.status == Status::Working && inv.shares_flexible_hours
            })
            .count();
        let flexible_share = if sharing > 0 {
            t.flexible_hours_per_year / DAYS_PER_YEAR / sharing as f64
        } else {
            0.0
        };
        self.teams[team].accrue_available(now);
        let officers = std::mem::take(&mut self.teams[team].officers);
        let mut available_rate = 0.0;
        for &i in &officers {
            let inv = &mut self.investigators[i as usize];
            let rate = if inv.status == Status::Working {
                let drawn = if inv.drawn_to_other_duties {
                    other_duties
                } else {
                    0.0
                };
                let flexible = if inv.shares_flexible_hours {
                    flexible_share
                } else {
                    0.0
                };
                inv.base_hours_per_day * inv.productivity * (1.0 - drawn) + flexible
            } else {
                0.0
            };
            available_rate += rate;
            if rate != inv.rate() {
                inv.set_rate(now, rate);
                if inv.working_count() > 0 {
                    self.reschedule_completion(sim, i);
                }
            }
        }
        let t = &mut self.teams[team];
        t.officers = officers;
        t.available_rate = available_rate;
    }

    fn on_training_done(&mut self, sim: &mut Simulation<Event>, inv: u32) {
        let officer = &mut self.investigators[inv as usize];
        officer.status = Status::Working;
        officer.status_change = None;
        let (team, cap, historic_only) = (officer.team, officer.cap, officer.historic_only);
        let ramp_up_days = self.config.teams[team]
            .new_starters
            .as_ref()
            .map_or(0.0, |n| n.ramp_up_days);
        if ramp_up_days > 0.0 {
            officer.status_change =
                Some(sim.schedule_in(ramp_up_days, Event::RampUpDone { investigator: inv }));
        } else {
            officer.productivity = 1.0;
        }
        let load = officer.load();
        let position = officer.position;
        let t = &mut self.teams[team];
        *t.free_slots_mut(historic_only) += cap;
        t.set_load(position, historic_only, load);
        self.refresh_rates(sim, team);
        self.allocate(sim, team);
    }

    fn on_ramp_up_done(&mut self, sim: &mut Simulation<Event>, inv: u32) {
        let officer = &mut self.investigators[inv as usize];
        officer.productivity = 1.0;
        officer.status_change = None;
        let team = officer.team;
        self.refresh_rates(sim, team);
    }

    fn on_posting_panel(&mut self, sim: &mut Simulation<Event>, team: TeamId) {
        let config = self.config;
        let Some(recruitment) = &config.teams[team].recruitment else {
            return;
        };
        let t = &self.teams[team];
        let posted = t
            .officers
            .iter()
            .filter(|&&i| {
                matches!(
                    self.investigators[i as usize].source,
                    Source::Establishment | Source::Overstaff
                )
            })
            .count() as u32
            + t.pipeline;
        let target = t.establishment + t.overstaff;
        let vacancies = target.saturating_sub(posted);
        for _ in 0..vacancies {
            sim.schedule_in(
                recruitment.lag_days,
                Event::RecruitJoins { team: team as u32 },
            );
        }
        self.teams[team].pipeline += vacancies;
        sim.schedule_in(
            recruitment.interval_days,
            Event::PostingPanel { team: team as u32 },
        );
    }

    fn on_recruit_joins(&mut self, sim: &mut Simulation<Event>, team: TeamId) {
        let t = &mut self.teams[team];
        t.pipeline -= 1;
        let in_establishment = t
            .officers
            .iter()
            .filter(|&&i| self.investigators[i as usize].source == Source::Establishment)
            .count() as u32;
        let source = if in_establishment < t.establishment {
            Source::Establishment
        } else {
            Source::Overstaff
        };
        self.add_officer(sim, team, source, None, true);
        self.allocate(sim, team);
    }

    // ---------------------------------------------------------------- staffing actions

    fn on_action(&mut self, sim: &mut Simulation<Event>, action: usize, starting: bool) {
        let now = sim.now();
        let sign = if starting { 1.0 } else { -1.0 };
        let config = self.config;
        match &config.actions[action].kind {
            ActionKind::Overstaff { team, officers } => {
                let t = &mut self.teams[*team];
                t.overstaff = step_count(t.overstaff, *officers, starting);
            }
            ActionKind::Recruitment { team, posts } => {
                let t = &mut self.teams[*team];
                t.establishment = step_count(t.establishment, *posts, starting);
            }
            ActionKind::Transfer { team, officers } => {
                if starting {
                    for _ in 0..*officers {
                        self.add_officer(sim, *team, Source::Transfer, Some(action), false);
                    }
                    self.allocate(sim, *team);
                }
            }
            ActionKind::Attachment { team, officers, .. } => {
                self.contract(sim, action, *team, *officers, Source::Attachment, starting);
            }
            ActionKind::Agency {
                team,
                investigators,
                ..
            } => {
                self.contract(sim, action, *team, *investigators, Source::Agency, starting);
            }
            ActionKind::FlexibleHours {
                team,
                hours_per_year,
            } => {
                self.teams[*team].flexible_hours_per_year += sign * hours_per_year;
                self.refresh_rates(sim, *team);
            }
            ActionKind::RingFence { team } => {
                let t = &mut self.teams[*team];
                t.ring_fences = step_count(t.ring_fences, 1, starting);
                self.refresh_rates(sim, *team);
            }
            ActionKind::ReassignHistoric {
                from_teams,
                to_team,
                include_queued,
            } => {
                let from: Vec<TeamId> = if from_teams.is_empty() {
                    (0..self.teams.len()).filter(|t| t != to_team).collect()
                } else {
                    from_teams.clone()
                };
                for &t in &from {
                    self.teams[t].historic_route = starting.then_some(*to_team);
                }
                if starting && *include_queued {
                    for &t in &from {
                        self.move_queued_historic(t, *to_team);
                    }
                    self.allocate(sim, *to_team);
                }
            }
            ActionKind::DailyReview { teams } => {
                if starting {
                    self.daily_reviews.push(action);
                } else {
                    self.daily_reviews.retain(|&a| a != action);
                }
                self.rebuild_pools();
                for &t in teams {
                    self.allocate(sim, t);
                }
            }
            ActionKind::MonthlyReview { .. } => {
                if starting {
                    sim.schedule(
                        now + MONTH_DAYS,
                        Event::MonthlyReview {
                            action: action as u32,
                        },
                    );
                    let teams = config.actions[action].kind.teams();
                    for t in teams {
                        self.teams[t].arrivals_since_review = 0;
                        self.teams[t].completions_since_review = 0;
                    }
                }
            }
        }
    }

    /// Officers on a fixed-term action (attachment, agency) join at its start and leave at its
    /// end, their cases returning to the queue.
    fn contract(
        &mut self,
        sim: &mut Simulation<Event>,
        action: usize,
        team: TeamId,
        officers: u32,
        source: Source,
        starting: bool,
    ) {
        if starting {
            for _ in 0..officers {
                self.add_officer(sim, team, source, Some(action), false);
            }
            self.allocate(sim, team);
        } else {
            let leaving: Vec<u32> = self.teams[team]
                .officers
                .iter()
                .copied()
                .filter(|&i| self.investigators[i as usize].action == Some(action))
                .collect();
            for inv in leaving {
                self.remove_officer(sim, inv);
            }
        }
    }

    fn move_queued_historic(&mut self, from: TeamId, to: TeamId) {
        // In queue order, so they join the other team's runs in order.
        let mut moving: Vec<(QueueKey, CaseId)> = self.teams[from]
            .queue
            .iter()
            .filter(|&(_, id)| self.cases.get(id).historic)
            .collect();
        moving.sort_unstable();
        for (key, case_id) in moving {
            let case = self.cases.get_mut(case_id);
            case.team = to;
            let case_type = case.case_type;
            self.teams[from].queue.remove(&key, case_type);
            self.teams[from].queued_historic -= 1;
            self.teams[to].queue.insert(key, case_type, case_id);
            self.teams[to].queued_historic += 1;
        }
    }

    /// Pools are the connected groups of teams named by the daily reviews in force.
    fn rebuild_pools(&mut self) {
        for team in &mut self.teams {
            team.pool = None;
        }
        self.pools.clear();
        for &action in &self.daily_reviews {
            let ActionKind::DailyReview { teams } = &self.config.actions[action].kind else {
                continue;
            };
            // Merge every existing pool that shares a team with this review.
            let mut members: Vec<TeamId> = teams.clone();
            let touching: Vec<usize> = teams.iter().filter_map(|&t| self.teams[t].pool).collect();
            for p in touching {
                members.append(&mut self.pools[p]);
            }
            members.sort_unstable();
            members.dedup();
            let id = self.pools.len();
            for &t in &members {
                self.teams[t].pool = Some(id);
            }
            self.pools.push(members);
        }
    }

    fn on_monthly_review(&mut self, sim: &mut Simulation<Event>, action: usize) {
        let now = sim.now();
        let config = self.config;
        let spec = &config.actions[action];
        let ActionKind::MonthlyReview {
            teams,
            target_caseload,
            max_extra_officers,
            posting_lag_days,
        } = &spec.kind
        else {
            unreachable!("monthly reviews come from monthly_review actions");
        };
        if spec.end_day.is_some_and(|end| now >= end) {
            return;
        }
        for &team in teams {
            let t = &self.teams[team];
            let at_work: Vec<u32> = t
                .officers
                .iter()
                .copied()
                .filter(|&i| self.investigators[i as usize].status == Status::Working)
                .collect();
            let held: usize = at_work
                .iter()
                .map(|&i| self.investigators[i as usize].held.len())
                .sum();
            // Demand trend: the last month's net inflow, continued over the posting lag.
            let net_inflow =
                f64::from(t.arrivals_since_review) - f64::from(t.completions_since_review);
            let projected =
                (held + t.queue.len()) as f64 + net_inflow * posting_lag_days / MONTH_DAYS;
            let required = (projected.max(0.0) / target_caseload).ceil() as i64;
            let have = at_work.len() as i64 + i64::from(t.review_pending);
            let delta = required - have;
            let extra_now = t.review_added.len() as i64 + i64::from(t.review_pending);
            if delta > 0 {
                let room = i64::from(*max_extra_officers) - extra_now;
                let add = delta.min(room).max(0) as u32;
                if add > 0 {
                    self.teams[team].review_pending += add;
                    sim.schedule_in(
                        *posting_lag_days,
                        Event::ReviewPosting {
                            team: team as u32,
                            officers: add,
                        },
                    );
                }
            } else if delta < 0 {
                // Release the most recently added review officers first.
                let release = (-delta).min(t.review_added.len() as i64) as usize;
                let leaving: Vec<u32> =
                    t.review_added.iter().rev().take(release).copied().collect();
                for inv in leaving {
                    self.remove_officer(sim, inv);
                }
            }
            let t = &mut self.teams[team];
            t.arrivals_since_review = 0;
            t.completions_since_review = 0;
        }
        sim.schedule_in(
            MONTH_DAYS,
            Event::MonthlyReview {
                action: action as u32,
            },
        );
    }

    fn on_review_posting(&mut self, sim: &mut Simulation<Event>, team: TeamId, officers: u32) {
        self.teams[team].review_pending -= officers;
        for _ in 0..officers {
            let inv = self.add_officer(sim, team, Source::Transfer, None, false);
            self.teams[team].review_added.push(inv);
        }
        self.allocate(sim, team);
    }

    // ---------------------------------------------------------------- observation

    fn observe(&mut self, day: u32, now: SimTime) {
        self.update_queue_area(now);
        let threshold = self.config.age_threshold_days;
        let mut total = TeamDay::default();
        let mut working_officers = 0u32;
        for (t, team) in self.teams.iter_mut().enumerate() {
            team.accrue_cost(now);
            let ages = &mut self.scratch_ages;
            let arrivals = [team.queue.arrivals()];
            let mut day_state = TeamDay {
                unallocated: team.queue.len() as u32,
                waiting_older_than_threshold: arrivals[0].older_than(now, threshold),
                waiting_age_median: age_quantile(&arrivals, now, 0.5, ages),
                waiting_age_p90: age_quantile(&arrivals, now, 0.9, ages),
                cost_to_date: team.cost,
                worked_hours_to_date: team.departed_worked_hours,
                available_hours_to_date: {
                    team.accrue_available(now);
                    team.available_hours
                },
                offered_hours_to_date: team.offered_hours,
                arrived: team.arrived,
                completed: team.completed,
                ..TeamDay::default()
            };
            let mut at_work = 0u32;
            for &i in &team.officers {
                let inv = &self.investigators[i as usize];
                day_state.officers_by_source[inv.source.index()] += 1;
                let held = inv.held.len() as u32;
                day_state.open += held;
                day_state.worked_hours_to_date += inv.worked_hours(now);
                if inv.status == Status::Working {
                    at_work += 1;
                    day_state.available_hours_per_day += inv.rate();
                    day_state.max_caseload = day_state.max_caseload.max(held);
                } else {
                    day_state.in_training += 1;
                }
            }
            day_state.at_work = at_work;
            day_state.mean_caseload = if at_work > 0 {
                f64::from(day_state.open) / f64::from(at_work)
            } else {
                0.0
            };
            working_officers += at_work;
            total.unallocated += day_state.unallocated;
            total.open += day_state.open;
            total.waiting_older_than_threshold += day_state.waiting_older_than_threshold;
            total.max_caseload = total.max_caseload.max(day_state.max_caseload);
            for s in 0..5 {
                total.officers_by_source[s] += day_state.officers_by_source[s];
            }
            total.in_training += day_state.in_training;
            total.available_hours_per_day += day_state.available_hours_per_day;
            total.cost_to_date += day_state.cost_to_date;
            total.worked_hours_to_date += day_state.worked_hours_to_date;
            total.available_hours_to_date += day_state.available_hours_to_date;
            total.arrived += day_state.arrived;
            total.completed += day_state.completed;
            total.offered_hours_to_date += day_state.offered_hours_to_date;
            self.team_days[t] = day_state;
        }
        total.at_work = working_officers;
        total.mean_caseload = if working_officers > 0 {
            f64::from(total.open) / f64::from(working_officers)
        } else {
            0.0
        };
        let all: Vec<&ArrivalIndex> = self.teams.iter().map(|t| t.queue.arrivals()).collect();
        total.waiting_age_median = age_quantile(&all, now, 0.5, &mut self.scratch_ages);
        total.waiting_age_p90 = age_quantile(&all, now, 0.9, &mut self.scratch_ages);
        #[cfg(debug_assertions)]
        self.check_invariants(&total);
        self.observer.day(&DaySnapshot {
            day,
            teams: &self.team_days,
            total: &total,
            arrived: self.arrived,
            completed: self.completed,
        });
        if self.observer.census_day(day) {
            for case in self.cases.iter().filter(|c| c.holder.is_none()) {
                self.observer.waiting_case(day, &case.record(now, None));
            }
        }
    }

    /// Slot counters and case counts agree with a recount (debug builds).
    #[cfg(debug_assertions)]
    fn check_invariants(&self, total: &TeamDay) {
        for team in &self.teams {
            assert_eq!(
                team.queue.arrivals().len() as usize,
                team.queue.len(),
                "the referral-time index holds exactly the waiting cases"
            );
            let (mut general, mut historic) = (0, 0);
            for (position, &i) in team.officers.iter().enumerate() {
                let inv = &self.investigators[i as usize];
                assert_eq!(inv.position, position, "officer position drifted");
                let load = if inv.historic_only {
                    team.historic_load[position]
                } else {
                    team.general_load[position]
                };
                assert_eq!(load, inv.load(), "officer load drifted");
                if inv.status == Status::Working {
                    let free = inv.cap - inv.held.len() as u32;
                    if inv.historic_only {
                        historic += free;
                    } else {
                        general += free;
                    }
                }
            }
            assert_eq!(team.free_general_slots, general, "free slot count drifted");
            assert_eq!(
                team.free_historic_slots, historic,
                "free slot count drifted"
            );
        }
        let live = self.cases.iter().count() as u64;
        assert_eq!(
            live,
            u64::from(total.unallocated) + u64::from(total.open),
            "every live case is waiting or open"
        );
        assert_eq!(self.arrived, live + self.completed, "no case lost");
    }
}

/// A count raised by `by` when an action starts and lowered (not below 0) when it ends.
/// Schedules the next escalation of a waiting case of `case_type` in `team` at `priority`, if
/// its case type escalates.
fn escalation(
    config: &ModelConfig,
    sim: &mut Simulation<Event>,
    case: CaseId,
    team: TeamId,
    case_type: CaseTypeId,
    priority: Priority,
) -> Option<EventKey> {
    let after = config.case_types[case_type].escalate_after_days?;
    Some(sim.schedule_in(
        after,
        Event::Escalate {
            case,
            team: team as u32,
            case_type: case_type as u32,
            priority,
        },
    ))
}

fn step_count(count: u32, by: u32, starting: bool) -> u32 {
    if starting {
        count + by
    } else {
        count.saturating_sub(by)
    }
}

fn stage_dist(stage: &Stage) -> &caseload_des::Dist {
    match stage {
        Stage::Work(d) | Stage::Wait(d) => d,
    }
}

impl<O: Observer> Model for Replication<'_, O> {
    type Event = Event;

    fn prefetch(&self, next: &Event) {
        match *next {
            Event::WaitDone { case } | Event::Escalate { case, .. } => self.cases.prefetch(case),
            _ => {}
        }
    }

    fn handle(&mut self, sim: &mut Simulation<Event>, event: Event) {
        match event {
            Event::Referral { case_type } => self.on_poisson_candidate(sim, case_type),
            Event::TracePeriod { case_type, period } => {
                self.on_trace_period(sim, case_type, period);
            }
            Event::TraceReferral { case_type } => self.new_referral(sim, case_type as usize),
            Event::WorkDone { investigator } => self.on_work_done(sim, investigator),
            Event::WaitDone { case } => self.on_wait_done(sim, case),
            Event::Escalate {
                case,
                team,
                case_type,
                priority,
            } => self.on_escalate(sim, case, team as TeamId, case_type as CaseTypeId, priority),
            Event::Leave { investigator } => {
                self.investigators[investigator as usize].leave = None;
                self.remove_officer(sim, investigator);
            }
            Event::TrainingDone { investigator } => self.on_training_done(sim, investigator),
            Event::RampUpDone { investigator } => self.on_ramp_up_done(sim, investigator),
            Event::PostingPanel { team } => self.on_posting_panel(sim, team as usize),
            Event::RecruitJoins { team } => self.on_recruit_joins(sim, team as usize),
            Event::ActionStart { action } => self.on_action(sim, action as usize, true),
            Event::ActionEnd { action } => self.on_action(sim, action as usize, false),
            Event::MonthlyReview { action } => self.on_monthly_review(sim, action as usize),
            Event::ReviewPosting { team, officers } => {
                self.on_review_posting(sim, team as usize, officers);
            }
            Event::Observe { day } => {
                self.observe(day, sim.now());
                let next = day + 1;
                if f64::from(next) < self.config.horizon_days {
                    sim.schedule(f64::from(next), Event::Observe { day: next });
                }
            }
        }
    }
}
