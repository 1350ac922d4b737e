//! One replication of the model: its state, its events and their dispatch. The handlers live
//! by concern: [`referrals`], [`allocation`], [`work`], [`staffing`] (officers joining and
//! leaving, recruitment), [`actions`] (staffing actions) and [`observation`].
//!
//! After every change that can free a caseload slot or add a waiting case, the affected team
//! (or its pool) runs one allocation step, [`Replication::allocate`], so allocation logic lives
//! in one place.

mod actions;
mod allocation;
mod observation;
mod referrals;
mod shared_spin_up;
mod staffing;
mod weighed;
mod work;

pub use shared_spin_up::{MAX_SHARED_CASES, shared_spin_up_hits};

use caseload_des::{
    DAYS_PER_YEAR, EventKey, Model, RngStreams, RunLimits, SimTime, Simulation, StopReason,
    StreamId, StreamRng,
};
use rand::Rng;

use crate::case::{Case, CaseSlot, Cases, Durations, work_hours};
use crate::config::{
    ActionKind, CaseTypeId, Demand, DemandStep, ModelConfig, OnEnd, Panels, PoissonDemand,
    Priority, Source, Stage, StartingCase, TeamId,
};
use crate::demand::PoissonRate;
use crate::investigator::{Investigator, Status, Urgency};
use crate::observe::{DaySnapshot, Observer, RunSummary, TeamDay};
use crate::team::{NO_SLOT, QueueKey, Team, queue_key};
use crate::validate::{ConfigError, ValidConfig};
use crate::waiting_ages::{WaitingAges, age_quantile};

/// Length of a monthly review period, days.
const MONTH_DAYS: f64 = DAYS_PER_YEAR / 12.0;

/// Streams: arrivals of each case type; the historic flag and stage durations of each case
/// type's referrals; each officer's leaving time; the starting backlog's stage durations.
const ARRIVALS: StreamId = StreamId::named("arrivals");
const CASES: StreamId = StreamId::named("cases");
const ATTRITION: StreamId = StreamId::named("attrition");
const BACKLOG: StreamId = StreamId::named("backlog");
const RECRUITMENT: StreamId = StreamId::named("recruitment");
const DEMAND_DRAWS: StreamId = StreamId::named("demand draws");
/// Each case type's referrals' patience (withdrawal), then the starting backlog's (at index
/// `types`): streams of their own, so switching withdrawal on or off moves no other draw.
const WITHDRAWAL: StreamId = StreamId::named("withdrawal");
/// Each case type's referrals' outcome draws, then the starting backlog's (at index `types`).
const OUTCOMES: StreamId = StreamId::named("outcomes");
/// Each case type's referrals' quality draws, then the starting backlog's (at index `types`).
const QUALITY: StreamId = StreamId::named("quality");
/// Each case type's referrals' triage draws (screened, closes, the screen's hours).
const TRIAGE: StreamId = StreamId::named("triage");
/// Each case type's historic referrals' complexity draws, then the starting backlog's (at
/// index `types`), when some reassignment moves only the complex share.
const COMPLEXITY: StreamId = StreamId::named("complexity");

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
    WaitDone { case: CaseSlot },
    /// The victim of a waiting case withdraws support.
    Withdraw { case: CaseSlot },
    /// A waiting case moves up one priority level, from `priority`. The team and case type
    /// say where it waited when the escalation was scheduled, so the common escalation (the
    /// front of its run) does not read the case's record.
    Escalate {
        case: CaseSlot,
        team: u32,
        case_type: u32,
        priority: Priority,
    },
    /// An officer leaves (attrition).
    Leave { investigator: u32 },
    /// A new starter finishes the course.
    TrainingDone { investigator: u32 },
    /// A step of a new starter's ramp-up: one more caseload slot, and full productivity at
    /// the last step.
    RampUpStep { investigator: u32 },
    /// A posting panel fills vacancies.
    PostingPanel { team: u32, panel: u32 },
    /// A recruit joins.
    RecruitJoins { team: u32 },
    /// An officer leaves for a training programme's days away.
    TrainingAway { investigator: u32, action: u32 },
    /// An officer comes back from a training programme.
    TrainingBack { investigator: u32 },
    /// A trained officer's productivity gain has decayed a step: their hours are set again.
    BenefitDecay { investigator: u32 },
    /// A month of a new starter's experience curve: their hours are set again.
    ExperienceStep { investigator: u32 },
    /// A staffing action starts.
    ActionStart { action: u32 },
    /// A staffing action ends.
    ActionEnd { action: u32 },
    /// A monthly review adjusts staffing.
    MonthlyReview { action: u32 },
    /// Officers posted by a monthly review join.
    ReviewPosting {
        team: u32,
        officers: u32,
        action: u32,
    },
    /// The daily observation.
    Observe { day: u32 },
}

/// Teams pooled by the daily reviews in force: their queues are allocated as one, to their
/// officers as one.
#[derive(Debug, Default)]
struct Pool {
    /// The teams, in ascending order.
    members: Vec<TeamId>,
    /// Free caseload slots of the members' officers at work, general then restricted: kept as
    /// the members' counts change, so an allocation step that finds none reads one number
    /// instead of every member's.
    free_slots: [u32; 2],
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
    /// Per case type with withdrawal, the stream of its referrals' patience.
    withdrawal_rngs: Vec<Option<StreamRng>>,
    /// Per case type with outcomes, the stream of its referrals' outcome draws.
    outcome_rngs: Vec<Option<StreamRng>>,
    /// Per case type with triage, the stream of its referrals' triage draws.
    triage_rngs: Vec<Option<StreamRng>>,
    /// Per case type, when quality is judged, the stream of its referrals' quality draws.
    quality_rngs: Vec<Option<StreamRng>>,
    /// Per case type, when some reassignment moves only complex historic cases, the stream
    /// of its historic referrals' complexity draws.
    complex_rngs: Vec<Option<StreamRng>>,
    cases: Cases,
    investigators: Vec<Investigator>,
    teams: Vec<Team>,
    /// Places booked on the command's shared course (teams whose new starters set
    /// `shared_course`), by course number as a team's own bookings.
    shared_course_bookings: std::collections::BTreeMap<u64, u32>,
    /// The pools formed by the daily reviews in force.
    pools: Vec<Pool>,
    daily_reviews: Vec<usize>,
    next_case_id: u64,
    arrived: u64,
    completed: u64,
    withdrawn: u64,
    queued: u64,
    queue_area: f64,
    queue_updated: SimTime,
    // Reused buffers.
    scratch_teams: Vec<TeamId>,
    /// The waiting cases weighed and counted, when the observer asks.
    weighed: Option<weighed::WaitingWeighed>,
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
    if let Some(drawn) = draw_demand(config, streams)? {
        return run_replication_within(&drawn, streams, observer, max_events);
    }
    if config.spin_up_days > 0.0 {
        let (backlog, events) = spin_up(config, streams, max_events)?;
        let loaded = ModelConfig {
            starting_backlog: backlog,
            spin_up_days: 0.0,
            ..(**config).clone()
        }
        .validated()?;
        return run_replication_within(&loaded, streams, observer, max_events - events);
    }
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
        let weighed = observer
            .backlog_weighed()
            .then(|| weighed::WaitingWeighed::new(config));
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
            withdrawal_rngs: streams_of_types(config, &streams, WITHDRAWAL, |t| {
                t.withdrawal.is_some()
            }),
            outcome_rngs: streams_of_types(config, &streams, OUTCOMES, |t| t.outcomes.is_some()),
            triage_rngs: streams_of_types(config, &streams, TRIAGE, |t| t.triage.is_some()),
            quality_rngs: streams_of_types(config, &streams, QUALITY, |_| config.quality.is_some()),
            complex_rngs: streams_of_types(config, &streams, COMPLEXITY, |_| {
                draws_complexity(config)
            }),
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
            withdrawn: 0,
            queued: 0,
            queue_area: 0.0,
            queue_updated: 0.0,
            scratch_teams: Vec::new(),
            shared_course_bookings: std::collections::BTreeMap::new(),
            weighed,
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
            let first = match t.recruitment.as_ref().map(|r| &r.panels) {
                Some(Panels::Every { .. }) => Some(0.0),
                Some(Panels::On(days)) => days.first().copied(),
                None => None,
            };
            if let Some(day) = first.filter(|&d| d < config.horizon_days) {
                sim.schedule(
                    day,
                    Event::PostingPanel {
                        team: team as u32,
                        panel: 0,
                    },
                );
            }
        }
        self.load_starting_backlog(sim);
        // Waiting starting cases go to officers with free slots at once, not when some
        // later event reaches their team.
        for team in 0..self.teams.len() {
            self.allocate(sim, team);
        }
        for (k, process) in self.arrival_processes.iter().enumerate() {
            let case_type = k as u32;
            match process {
                ArrivalProcess::Poisson(rate) if rate.majorant > 0.0 => {
                    let gap = sample_exponential(&mut self.arrival_rngs[k], rate.majorant);
                    sim.schedule(gap, Event::Referral { case_type });
                }
                ArrivalProcess::Poisson(_) => {}
                ArrivalProcess::Trace => {
                    let (first, _) = referrals::trace_period(&config.case_types[k].demand, 0);
                    sim.schedule(
                        first,
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
        let types = config.case_types.len() as u64;
        let mut patience_rng = self.streams.stream(WITHDRAWAL.index(types));
        let mut outcome_rng = self.streams.stream(OUTCOMES.index(types));
        let mut quality_rng = self.streams.stream(QUALITY.index(types));
        let mut complexity_rng =
            draws_complexity(config).then(|| self.streams.stream(COMPLEXITY.index(types)));
        // Open cases first, so they take officers' slots before waiting ones are allocated.
        for open in [true, false] {
            let cases = config
                .starting_backlog
                .iter()
                .filter(|c| c.open == open)
                .flat_map(|c| std::iter::repeat_n(c, c.count as usize));
            for start in cases {
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
                let unallocated_before = if open { 0.0 } else { start.age_days };
                // Patience counted afresh from the start (exact for exponential patience,
                // which has no memory).
                let patience = case_type.withdrawal.as_ref().map_or(f64::INFINITY, |d| {
                    unallocated_before + d.sample(&mut patience_rng)
                });
                let outcome_draws = match case_type.outcomes {
                    Some(_) => std::array::from_fn(|_| outcome_rng.random::<f32>()),
                    None => [0.0; 3],
                };
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
                    unallocated_before,
                    allocated: open.then_some(0.0),
                    pending: None,
                    patience,
                    withdrawal: None,
                    outcome_draws,
                    // A starting case past its standard's stage finished it before the run.
                    standard_day: match case_type.standard {
                        Some(s) if start.stage > s.stage => -start.age_days,
                        _ => f64::NAN,
                    },
                    // Judged as the run's referrals are, on a stream of the backlog's own.
                    quality_draw: if self.config.quality.is_some() {
                        quality_rng.random::<f32>()
                    } else {
                        0.0
                    },
                    complexity: match &mut complexity_rng {
                        Some(rng) if start.historic => rng.random::<f32>(),
                        _ => 0.0,
                    },
                    // Already past any screen.
                    screening: false,
                    closes_at_triage: false,
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
            withdrawn: self.withdrawn,
            unallocated,
            open,
            unallocated_case_days: self.queue_area,
            cost,
        }
    }

    // ---------------------------------------------------------------- demand
}

/// Whether some reassignment moves only a share of the historic cases, so historic cases draw
/// whether they are complex.
fn draws_complexity(config: &ModelConfig) -> bool {
    config.actions.iter().any(|a| {
        matches!(a.kind, ActionKind::ReassignHistoric { complex_share, .. } if complex_share < 1.0)
    })
}

/// Per case type, its stream `k` of `id` where `has` holds (`None` elsewhere: nothing drawn).
fn streams_of_types(
    config: &ModelConfig,
    streams: &RngStreams,
    id: StreamId,
    has: impl Fn(&crate::config::CaseType) -> bool,
) -> Vec<Option<StreamRng>> {
    config
        .case_types
        .iter()
        .zip(0..)
        .map(|(t, k)| has(t).then(|| streams.stream(id.index(k))))
        .collect()
}

/// Salt of the random streams of a spin-up, so they differ from the run's own.
const SPIN_UP_SALT: u64 = 0x5350_494e_2d55_5021;

/// This replication's configuration when some demand is uncertain: each uncertain rate and
/// growth drawn once (on the stream of its key, so options and teams sharing a key see the same
/// draw); `None` when every demand is known.
fn draw_demand(
    config: &ValidConfig,
    streams: &RngStreams,
) -> Result<Option<ValidConfig>, ConfigError> {
    let uncertain = |t: &crate::config::CaseType| matches!(&t.demand, Demand::Poisson(p) if p.uncertainty.is_some());
    if !config.case_types.iter().any(uncertain) {
        return Ok(None);
    }
    let mut drawn = (**config).clone();
    for case_type in &mut drawn.case_types {
        if let Demand::Poisson(p) = &mut case_type.demand
            && let Some(u) = p.uncertainty.take()
        {
            let mut rng = streams.stream(DEMAND_DRAWS.index(u.key));
            let z = [
                rng.sample::<f64, _>(rand_distr::StandardNormal),
                rng.sample::<f64, _>(rand_distr::StandardNormal),
            ];
            (p.annual_rate, p.annual_growth) = u.apply(p.annual_rate, p.annual_growth, z);
        }
    }
    drawn.validated().map(Some)
}

/// The spin-up before a run: `config` at its day-0 demand and staffing, without staffing
/// actions, attrition or recruitment, for `spin_up_days`; returns the cases open and waiting
/// at its end (ages counted back from day 0) and the events it took. Reused from
/// [`shared_spin_up`] when another option, point or candidate with the same warm
/// configuration computed it before.
fn spin_up(
    config: &ValidConfig,
    streams: &RngStreams,
    max_events: u64,
) -> Result<(Vec<StartingCase>, u64), ConfigError> {
    let warm = warm_config(config);
    let (seed, replication) = (streams.master_seed(), streams.replication());
    // A stored spin-up that took fewer events than this run's budget is what computing it
    // would give; one at or over the budget is computed again, to fail as it would.
    if let Some(spun) = shared_spin_up::find(&warm, seed, replication)
        && spun.events < max_events
    {
        return Ok((spun.backlog.as_ref().clone(), spun.events));
    }
    let (backlog, events) = run_warm(warm.clone(), config, streams, max_events)?;
    let spun = shared_spin_up::SpunUp {
        backlog: std::sync::Arc::new(backlog),
        events,
    };
    shared_spin_up::keep(&warm, seed, replication, &spun);
    Ok((spun.backlog.as_ref().clone(), events))
}

/// The configuration a spin-up runs: `config` at its day-0 demand and staffing for
/// `spin_up_days`, without staffing actions, attrition or recruitment.
fn warm_config(config: &ModelConfig) -> ModelConfig {
    let mut warm = config.clone();
    warm.horizon_days = config.spin_up_days;
    warm.spin_up_days = 0.0;
    warm.actions.clear();
    for team in &mut warm.teams {
        team.attrition_per_year = 0.0;
        team.recruitment = None;
    }
    for case_type in &mut warm.case_types {
        let per_day = match &case_type.demand {
            Demand::Poisson(p) => PoissonRate::new(p, config.start_day_of_year, 0.0).at(0.0),
            Demand::Trace { counts, .. } => counts.first().map_or(0.0, |&n| {
                f64::from(n) / referrals::trace_period(&case_type.demand, 0).1
            }),
        };
        case_type.demand = Demand::Poisson(PoissonDemand {
            annual_rate: per_day * DAYS_PER_YEAR,
            annual_growth: 0.0,
            monthly_seasonality: Vec::new(),
            steps: Vec::new(),
            uncertainty: None,
        });
        // The waits as they are on day 0, all through the spin-up.
        let on_day_0 = case_type.wait_multiplier(0.0);
        case_type.wait_steps.clear();
        if on_day_0 != 1.0 {
            case_type.wait_steps.push(DemandStep {
                start_day: 0.0,
                end_day: None,
                multiplier: on_day_0,
            });
        }
    }
    warm
}

/// Runs the spin-up `warm` of `config` on the spin-up streams of `streams`' replication.
fn run_warm(
    warm: ModelConfig,
    config: &ModelConfig,
    streams: &RngStreams,
    max_events: u64,
) -> Result<(Vec<StartingCase>, u64), ConfigError> {
    let days = warm.horizon_days;
    let warm = warm.validated()?;
    let streams = RngStreams::new(streams.master_seed() ^ SPIN_UP_SALT, streams.replication());
    let mut observer = ();
    let mut sim = Simulation::new();
    let mut rep = Replication::new(&warm, streams, &mut observer);
    rep.start(&mut sim);
    let mut limits = RunLimits::until(days);
    limits.max_events = Some(max_events);
    if sim.run(&mut rep, limits) == StopReason::EventLimit {
        return Err(ConfigError::EventBudget {
            limit: max_events,
            day: sim.now() - days,
            horizon: config.horizon_days,
        });
    }
    let backlog = rep
        .cases
        .iter()
        .map(|case| StartingCase {
            count: 1,
            case_type: case.case_type,
            team: Some(case.team),
            age_days: days - case.arrival,
            historic: case.historic,
            open: case.holder.is_some(),
            stage: case.stage as usize,
        })
        .collect();
    Ok((backlog, sim.events_processed()))
}

/// Schedules the next escalation of a waiting case of `case_type` in `team` at `priority`, if
/// its case type escalates.
fn escalation(
    config: &ModelConfig,
    sim: &mut Simulation<Event>,
    case: CaseSlot,
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

/// A count raised by `by` when an action starts and lowered (not below 0) when it ends.
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
            Event::WaitDone { case } | Event::Escalate { case, .. } | Event::Withdraw { case } => {
                self.cases.prefetch(case);
            }
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
            Event::Withdraw { case } => self.on_withdraw(sim, case),
            Event::Escalate {
                case,
                team,
                case_type,
                priority,
            } => self.on_escalate(sim, case, team as TeamId, case_type as CaseTypeId, priority),
            Event::Leave { investigator } => self.on_leave(sim, investigator),
            Event::TrainingDone { investigator } => self.on_training_done(sim, investigator),
            Event::RampUpStep { investigator } => self.on_ramp_up_step(sim, investigator),
            Event::PostingPanel { team, panel } => {
                self.on_posting_panel(sim, team as usize, panel);
            }
            Event::RecruitJoins { team } => self.on_recruit_joins(sim, team as usize),
            Event::TrainingAway {
                investigator,
                action,
            } => self.on_training_away(sim, investigator, action as usize),
            Event::TrainingBack { investigator } => self.on_training_back(sim, investigator),
            Event::BenefitDecay { investigator } => self.on_benefit_decay(sim, investigator),
            Event::ExperienceStep { investigator } => {
                self.on_experience_step(sim, investigator);
            }
            Event::ActionStart { action } => self.on_action(sim, action as usize, true),
            Event::ActionEnd { action } => self.on_action(sim, action as usize, false),
            Event::MonthlyReview { action } => self.on_monthly_review(sim, action as usize),
            Event::ReviewPosting {
                team,
                officers,
                action,
            } => {
                self.on_review_posting(sim, team as usize, officers, action as usize);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{CaseType, StaffingAction, TeamConfig};
    use caseload_des::Dist;

    /// One team of 8 with one-slot caseloads, 2 referrals a day of 20 hours, spun up 200 days.
    fn spun(actions: Vec<StaffingAction>) -> ValidConfig {
        let work = Stage::Work(Dist::exponential(20.0).expect("a valid mean"));
        ModelConfig {
            actions,
            spin_up_days: 200.0,
            ..ModelConfig::new(
                60.0,
                vec![CaseType::poisson(
                    "referral",
                    2.0 * DAYS_PER_YEAR,
                    vec![work],
                    0,
                )],
                vec![TeamConfig::new("team", 8, 1, 6.0 * DAYS_PER_YEAR)],
            )
        }
        .validated()
        .expect("a valid configuration")
    }

    #[test]
    fn a_shared_spin_up_is_the_one_computed_afresh() {
        let config = spun(vec![]);
        // A seed no other test uses, so this test's spin-ups are computed here first.
        let streams = RngStreams::new(0x5eed_5417, 3);
        let fresh = run_warm(warm_config(&config), &config, &streams, u64::MAX).expect("runs");
        assert!(!fresh.0.is_empty(), "the spin-up leaves cases open");
        let hits = shared_spin_up_hits();
        let first = spin_up(&config, &streams, u64::MAX).expect("runs");
        let again = spin_up(&config, &streams, u64::MAX).expect("runs");
        assert_eq!(first, fresh);
        assert_eq!(again, fresh);
        assert!(
            shared_spin_up_hits() > hits,
            "the second spin-up was reused"
        );
        // Another replication's spin-up is its own.
        let other = spin_up(&config, &RngStreams::new(0x5eed_5417, 4), u64::MAX).expect("runs");
        assert_ne!(other.0, fresh.0);
        // An option with a staffing action shares the spin-up (actions are left out of it).
        let with_action = spun(vec![StaffingAction {
            start_day: 10.0,
            end_day: None,
            kind: ActionKind::Transfer {
                team: 0,
                officers: 2,
            },
            cost_per_officer_day: None,
            bounds: Default::default(),
            benefit: Default::default(),
        }]);
        assert_eq!(
            spin_up(&with_action, &streams, u64::MAX).expect("runs"),
            fresh
        );
    }

    #[test]
    fn a_shared_spin_up_over_the_budget_fails_as_a_fresh_one_does() {
        let config = spun(vec![]);
        let streams = RngStreams::new(0x5eed_5418, 0);
        let (_, events) = spin_up(&config, &streams, u64::MAX).expect("runs");
        let fresh = run_warm(warm_config(&config), &config, &streams, events / 2);
        let shared = spin_up(&config, &streams, events / 2);
        assert!(matches!(fresh, Err(ConfigError::EventBudget { .. })));
        assert_eq!(shared, fresh);
    }
}
