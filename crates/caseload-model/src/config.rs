//! The model's configuration: plain data (`Clone + Send + Sync`, no trait objects), produced by
//! the scenario layer and shared read-only by every replication.
//!
//! Units: time in days since the run's start, effort in investigator-hours, rates per year as
//! named. Teams and case types are referred to by their index in [`ModelConfig`].

use caseload_des::Dist;

/// Index of a team in [`ModelConfig::teams`].
pub type TeamId = usize;

/// Index of a case type in [`ModelConfig::case_types`].
pub type CaseTypeId = usize;

/// Risk priority of a case: 0 is the most urgent; larger numbers are less urgent.
pub type Priority = u8;

/// Everything one replication needs.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelConfig {
    /// Length of the run, days.
    pub horizon_days: f64,
    /// Days from 1 January to the run's start, for monthly seasonality (0 = starts 1 January).
    pub start_day_of_year: f64,
    /// Referral types.
    pub case_types: Vec<CaseType>,
    /// Investigation teams.
    pub teams: Vec<TeamConfig>,
    /// Staffing actions, each with its dates.
    pub actions: Vec<StaffingAction>,
    /// Cases already waiting or open when the run starts.
    pub starting_backlog: Vec<StartingCase>,
    /// Waiting cases older than this many days are counted in the daily observations.
    pub age_threshold_days: f64,
    /// Days simulated before day 0 and not reported, to start loaded: at the start's demand
    /// (its rate on day 0, without growth, seasonality or steps) and staffing, with no
    /// staffing actions; the cases open and waiting at its end are the run's starting
    /// backlog (0: start from `starting_backlog` as given).
    pub spin_up_days: f64,
    /// How the quality of completed investigations is judged (`None`: not judged).
    pub quality: Option<Quality>,
}

impl ModelConfig {
    /// A run of `horizon_days` from the start of a year with these case types and teams;
    /// nothing else (no actions, starting backlog, spin-up or quality; waiting ages counted
    /// over 28 days).
    pub fn new(horizon_days: f64, case_types: Vec<CaseType>, teams: Vec<TeamConfig>) -> Self {
        Self {
            horizon_days,
            start_day_of_year: 0.0,
            case_types,
            teams,
            actions: vec![],
            starting_backlog: vec![],
            age_threshold_days: 28.0,
            spin_up_days: 0.0,
            quality: None,
        }
    }
}

/// The chance that a completed investigation requires improvement or is inadequate (as the
/// 2016 inspection judged case files): logistic in its log-odds, which add up from the terms
/// below. Each completed case is judged once, by a uniform drawn at referral.
#[derive(Debug, Clone, PartialEq)]
pub struct Quality {
    /// Log-odds for a case completed at once by an untrained officer holding no more than a
    /// comfortable caseload, with no supervision.
    pub intercept: f64,
    /// Cases an officer holds with no load term.
    pub comfortable_caseload: u32,
    /// Log-odds added for each case the officer held above comfortable when it completed.
    pub per_case_above_comfortable: f64,
    /// Log-odds added per 100 days from referral to completion.
    pub per_100_days: f64,
    /// Log-odds added for a trained officer (times what is left of the training's benefit).
    pub trained: f64,
    /// Log-odds added per unit of productivity a new officer lacks on the experience curve.
    pub per_inexperience: f64,
    /// Log-odds added per unit of the team's supervision ratio (supervisors per investigator).
    pub per_supervision_ratio: f64,
}

impl Quality {
    /// The chance a case requires improvement, from its officer's caseload `held` when it
    /// completed, the `days` it took, the officer's remaining training weight (0-1), the
    /// productivity they lack on the experience curve (0-1) and the team's supervision ratio.
    pub fn requires_improvement(
        &self,
        held: usize,
        days: f64,
        trained: f64,
        inexperience: f64,
        supervision: f64,
    ) -> f64 {
        let above = (held as f64 - f64::from(self.comfortable_caseload)).max(0.0);
        let log_odds = self.intercept
            + self.per_case_above_comfortable * above
            + self.per_100_days * days.max(0.0) / 100.0
            + self.trained * trained
            + self.per_inexperience * inexperience
            + self.per_supervision_ratio * supervision;
        1.0 / (1.0 + (-log_odds).exp())
    }
}

/// A kind of referral: its demand, priority, work and routing.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseType {
    /// Name, e.g. "child rape".
    pub name: String,
    /// How referrals of this type arrive.
    pub demand: Demand,
    /// Priority on arrival.
    pub priority: Priority,
    /// Escalation: every this many days of a case's age (days since referral) while it waits
    /// unallocated, it moves up one priority level, up to `escalate_to`. Measured from the
    /// referral, so a case returned to the queue waits at the level its age gives.
    pub escalate_after_days: Option<f64>,
    /// The most urgent priority escalation reaches (0 is the top; a case never escalates past
    /// its own priority's level if that is already more urgent).
    pub escalate_to: Priority,
    /// The work: stages done in order by the officer who holds the case.
    pub stages: Vec<Stage>,
    /// The team that receives new referrals of this type.
    pub team: TeamId,
    /// Share (0-1) of referrals that are historic (non-recent) allegations.
    pub historic_share: f64,
    /// Withdrawal while waiting: the days in all a referral may wait unallocated before the
    /// victim withdraws support, drawn for each referral (exponential: a constant hazard;
    /// gamma with cv below 1: a hazard rising with the wait). A withdrawn case leaves the
    /// queue. `None`: nobody withdraws.
    pub withdrawal: Option<Dist>,
    /// How completed cases end. `None`: outcomes are not modelled.
    pub outcomes: Option<Outcomes>,
    /// A timeliness standard on one of its stages (e.g. the victim visit within 7 days).
    pub standard: Option<StageStandard>,
    /// A screen some referrals go through first, after which a share close with no further
    /// work (`None`: no screening).
    pub triage: Option<Triage>,
    /// How much one waiting case of this type weighs in the harm-weighted backlog and
    /// days waiting (1: every case alike; e.g. a child rape referral above a non-crime one).
    pub harm_weight: f64,
    /// Changes in how long this type's waits last (forensics, the CPS charging decision):
    /// a wait stage is multiplied by the multipliers of the steps in force on the day it
    /// starts (the first stage, if a wait, on the referral day). Empty: waits as drawn.
    pub wait_steps: Vec<DemandStep>,
}

/// A short screening stage before the investigation (a MASH-style screen of non-crime
/// referrals): a referral screened is allocated as any case, its officer works the screen's
/// hours first, and then the case closes (counted as closed at triage) or goes on to its
/// stages with the same officer. Whether a referral is screened and whether it closes are
/// drawn at referral on a stream of the case type's own.
#[derive(Debug, Clone, PartialEq)]
pub struct Triage {
    /// Share (0-1) of the referrals screened (1: all).
    pub share: f64,
    /// Hours of the screen.
    pub work: Dist,
    /// Share (0-1) of the screened referrals that close after the screen.
    pub close_share: f64,
}

/// A timeliness standard: stage `stage` finished within `days` of the referral.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StageStandard {
    /// Index of the stage (0 is the first).
    pub stage: usize,
    /// Days from referral by which it should be finished.
    pub days: f64,
}

/// How an investigation ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// Charge or summons.
    Charge,
    /// No further action: evidential difficulties.
    NfaEvidential,
    /// No further action: the victim does not support.
    NfaVictim,
}

impl Outcome {
    /// Every outcome, in the order of [`Outcomes::shares_after`].
    pub const ALL: [Outcome; 3] = [Outcome::Charge, Outcome::NfaEvidential, Outcome::NfaVictim];

    /// Its name in outputs.
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Charge => "charge",
            Outcome::NfaEvidential => "nfa_evidential",
            Outcome::NfaVictim => "nfa_victim",
        }
    }

    /// Its position in [`Outcome::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

/// A case type's outcomes: the shares of completed cases ending each way (summing to 1) for a
/// case completed at once, and how the share where the victim does not support rises with the
/// days from referral to completion, taken from the other two in proportion.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcomes {
    /// Share charged or summonsed.
    pub charge: f64,
    /// Share NFA for evidential difficulties.
    pub nfa_evidential: f64,
    /// Share NFA because the victim does not support.
    pub nfa_victim: f64,
    /// Rise of the victim share per 365 days from referral to completion (share per year), up
    /// to all of the cases.
    pub nfa_victim_per_year: f64,
}

impl Outcomes {
    /// The shares of charge, NFA evidential and NFA victim for a case that took `days` from
    /// referral to completion.
    pub fn shares_after(&self, days: f64) -> [f64; 3] {
        let victim = (self.nfa_victim + self.nfa_victim_per_year * days.max(0.0) / 365.0).min(1.0);
        let others = self.charge + self.nfa_evidential;
        let scale = if others > 0.0 {
            (1.0 - victim) / others
        } else {
            0.0
        };
        [self.charge * scale, self.nfa_evidential * scale, victim]
    }

    /// The outcome of a case that took `days`, from its two uniform `draws` in [0, 1) (drawn
    /// at referral, so a case ends the same way under every option unless its days differ):
    /// the first picks the outcome at once (victim, charge, evidential by the shares as
    /// written); a case not lost to the victim at once is, when the second draw is below
    /// the victim share's rise over what was left, (v(days) - v0) / (1 - v0). So the shares
    /// are [`Outcomes::shares_after`] and a longer case only ever moves to victim.
    ///
    /// A charge is then lost to NFA (evidential difficulties) when the third draw is below
    /// `charges_lost` (the officer's load: [`LoadCost::charges_lost`]).
    ///
    /// `evidential_to_charge` (a specialist team's or a training's better evidence) moves that
    /// share of all cases from NFA for evidential difficulties to charge at once, up to the
    /// whole evidential share: the first draw's band for charge widens by it.
    pub fn outcome(
        &self,
        draws: [f64; 3],
        days: f64,
        charges_lost: f64,
        evidential_to_charge: f64,
    ) -> Outcome {
        let moved = evidential_to_charge.clamp(0.0, self.nfa_evidential);
        let at_once = if draws[0] < self.nfa_victim {
            return Outcome::NfaVictim;
        } else if draws[0] < self.nfa_victim + self.charge + moved {
            Outcome::Charge
        } else {
            Outcome::NfaEvidential
        };
        let victim = self.shares_after(days)[2];
        let left = 1.0 - self.nfa_victim;
        if left > 0.0 && draws[1] < (victim - self.nfa_victim) / left {
            Outcome::NfaVictim
        } else if at_once == Outcome::Charge && draws[2] < charges_lost {
            Outcome::NfaEvidential
        } else {
            at_once
        }
    }
}

impl CaseType {
    /// Referrals named `name` arriving as a Poisson process at `annual_rate` a year, with
    /// `stages`, to `team`, at priority 0; nothing else set (no growth, seasonality,
    /// escalation, historic share, withdrawal, outcomes, standard or triage; harm weight 1).
    pub fn poisson(
        name: impl Into<String>,
        annual_rate: f64,
        stages: Vec<Stage>,
        team: TeamId,
    ) -> Self {
        Self {
            name: name.into(),
            demand: Demand::Poisson(PoissonDemand {
                annual_rate,
                annual_growth: 0.0,
                monthly_seasonality: vec![],
                steps: vec![],
                uncertainty: None,
            }),
            priority: 0,
            escalate_after_days: None,
            escalate_to: 0,
            stages,
            team,
            historic_share: 0.0,
            withdrawal: None,
            outcomes: None,
            standard: None,
            triage: None,
            harm_weight: 1.0,
            wait_steps: Vec::new(),
        }
    }

    /// What the waits of this type that start on `day` are multiplied by: the product of the
    /// multipliers of `wait_steps` in force that day (1 with none).
    pub fn wait_multiplier(&self, day: f64) -> f64 {
        self.wait_steps
            .iter()
            .filter(|s| s.start_day <= day && s.end_day.is_none_or(|end| day < end))
            .map(|s| s.multiplier)
            .product()
    }

    /// The most urgent priority a waiting case of this type can reach by escalation.
    pub fn escalation_floor(&self) -> Priority {
        self.escalate_to.min(self.priority)
    }

    /// The priority of a waiting case of this type referred `age_days` ago, and the age (days
    /// since referral) at which it next escalates, if it will.
    pub fn priority_at_age(&self, age_days: f64) -> (Priority, Option<f64>) {
        let Some(after) = self.escalate_after_days else {
            return (self.priority, None);
        };
        let floor = self.escalation_floor();
        let steps = (age_days.max(0.0) / after).floor();
        let level = (f64::from(self.priority) - steps).max(f64::from(floor)) as Priority;
        let next = (level > floor).then_some((steps + 1.0) * after);
        (level, next)
    }
}

/// One stage of an investigation.
#[derive(Debug, Clone, PartialEq)]
pub enum Stage {
    /// Investigator effort, hours; the officer's available hours are shared among held cases in
    /// a work stage.
    Work(Dist),
    /// Elapsed time waiting on others (forensics, interviews, other agencies, the CPS), days;
    /// the officer still holds the case and its caseload slot but spends no hours on it.
    Wait(Dist),
}

/// How referrals of a type arrive.
#[derive(Debug, Clone, PartialEq)]
pub enum Demand {
    /// A non-homogeneous Poisson process.
    Poisson(PoissonDemand),
    /// Historical counts replayed: `counts[k]` referrals at uniformly random times within
    /// period `k`, each period `period_days` long, starting at day 0, or, with `boundaries`,
    /// from `boundaries[k]` to `boundaries[k + 1]` (calendar months or years). None after the
    /// last.
    Trace {
        /// Length of each period, days (when `boundaries` is empty).
        period_days: f64,
        /// Referrals in each period.
        counts: Vec<u32>,
        /// Day each period starts, then the day the last ends (one more than `counts`), or
        /// empty for periods of `period_days` from day 0.
        boundaries: Vec<f64>,
    },
}

/// Rate of a non-homogeneous Poisson process: base rate, compound growth, monthly seasonality
/// and step changes, multiplied together.
#[derive(Debug, Clone, PartialEq)]
pub struct PoissonDemand {
    /// Referrals per year at the start of the run.
    pub annual_rate: f64,
    /// Compound growth per year (0.08 is +8 % a year).
    pub annual_growth: f64,
    /// Multipliers for January..December (mean 1 keeps the annual rate); empty for none.
    pub monthly_seasonality: Vec<f64>,
    /// Step changes: from `start_day` (until `end_day`, if set) the rate is multiplied.
    pub steps: Vec<DemandStep>,
    /// Uncertainty in the rate and growth, drawn once per replication; `None`: known.
    pub uncertainty: Option<DemandUncertainty>,
}

/// How unsure the base rate and growth of a Poisson demand are (a forecast's parameter
/// uncertainty): each replication draws both once, jointly normal on the log scale, on a
/// stream of its own keyed by `key`, so every option sees the same draws in the same
/// replication and demands with one key (a type split over teams) share them.
#[derive(Debug, Clone, PartialEq)]
pub struct DemandUncertainty {
    /// Standard deviation of the log of `annual_rate` (0.1: about 10 %).
    pub rate_log_sd: f64,
    /// Standard deviation of the log of (1 + `annual_growth`) (0.02: about 2 points a year).
    pub growth_log_sd: f64,
    /// Correlation of the two draws, -1 to 1.
    pub correlation: f64,
    /// Demands with the same key draw the same values in a replication.
    pub key: u64,
}

impl DemandUncertainty {
    /// The rate and growth of `demand` for one replication: `z` are two independent standard
    /// normal draws.
    pub fn apply(&self, annual_rate: f64, annual_growth: f64, z: [f64; 2]) -> (f64, f64) {
        let rate_z = z[0];
        let growth_z = self.correlation * z[0]
            + (1.0 - self.correlation * self.correlation).max(0.0).sqrt() * z[1];
        (
            annual_rate * (self.rate_log_sd * rate_z).exp(),
            (1.0 + annual_growth) * (self.growth_log_sd * growth_z).exp() - 1.0,
        )
    }
}

/// A step change in demand, e.g. a publicity surge in non-recent allegations.
#[derive(Debug, Clone, PartialEq)]
pub struct DemandStep {
    /// First day of the change.
    pub start_day: f64,
    /// Day the change ends, if it does.
    pub end_day: Option<f64>,
    /// Rate multiplier while it applies.
    pub multiplier: f64,
}

/// Where an investigator comes from; each source has its own cost per day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Source {
    /// In a funded post.
    Establishment,
    /// Posted above the establishment (select list above agreed limits).
    Overstaff,
    /// Joined from another command with their post.
    Transfer,
    /// Attached for a fixed period.
    Attachment,
    /// Agency investigator on a contract.
    Agency,
    /// Redeployed from another team by a monthly review.
    Redeployed,
}

impl Source {
    /// Every source, in the order used by per-source arrays.
    pub const ALL: [Source; 6] = [
        Source::Establishment,
        Source::Overstaff,
        Source::Transfer,
        Source::Attachment,
        Source::Agency,
        Source::Redeployed,
    ];

    /// Whether an officer of this source fills one of the team's posts (establishment or
    /// above it): what posting panels count.
    pub const fn fills_a_post(self) -> bool {
        matches!(
            self,
            Source::Establishment | Source::Overstaff | Source::Transfer
        )
    }

    /// Position in [`Source::ALL`].
    pub const fn index(self) -> usize {
        self as usize
    }

    /// Lower-case name, as used in scenario files and outputs.
    pub const fn name(self) -> &'static str {
        match self {
            Source::Establishment => "establishment",
            Source::Overstaff => "overstaff",
            Source::Transfer => "transfer",
            Source::Attachment => "attachment",
            Source::Agency => "agency",
            Source::Redeployed => "redeployed",
        }
    }
}

/// A team's workforce parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamConfig {
    /// Name, e.g. "CAIT North".
    pub name: String,
    /// Funded officer posts.
    pub establishment: u32,
    /// Officers in post at the start (source: establishment).
    pub strength: u32,
    /// Most cases one officer may hold at once.
    pub caseload_cap: u32,
    /// Contracted hours per officer per year.
    pub contracted_hours_per_year: f64,
    /// Share (0-1) of contracted hours not available for investigation: leave, sickness,
    /// training, court.
    pub abstraction: f64,
    /// Share (0-1) of the remaining hours lost to other duties unless the team is ring-fenced.
    pub other_duties: f64,
    /// Leavers per officer per year (0.1 = a tenth of officers leave each year).
    pub attrition_per_year: f64,
    /// Share (0-1) of those leavers who are redeployed away to other duties within the force
    /// rather than leaving it; a ring-fence keeps them in the team.
    pub redeployment_share: f64,
    /// How vacancies are filled, if they are.
    pub recruitment: Option<Recruitment>,
    /// New starters' course and ramp-up, if any.
    pub new_starters: Option<NewStarters>,
    /// Cost of one officer in post, pounds per day.
    pub cost_per_day: f64,
    /// What holding more cases than is comfortable costs (`None`: nothing; an officer's hours
    /// are shared among however many cases they hold at no loss).
    pub load_cost: Option<LoadCost>,
    /// Hours of work done per available hour by the team's officers (1: as counted; a
    /// specialist team above 1).
    pub productivity: f64,
    /// Share (0-1) of its completed cases' outcomes moved from NFA for evidential
    /// difficulties to charge, against the case type's shares (a specialist team's better
    /// evidence), up to all of the evidential share.
    pub evidential_to_charge: f64,
    /// Supervisors per investigator (read by the quality model).
    pub supervision_ratio: f64,
    /// How a new officer's productivity rises with months in post: `(months, productivity)`
    /// points, months ascending, interpolated linearly (the first value before the first
    /// point, the last after the last); empty: no curve. It applies to officers who join
    /// during the run as new starters (recruits, transfers, the select list, posts in post),
    /// on top of any course and ramp-up; officers in post at the start, attachments and
    /// agency staff are experienced.
    pub experience: Vec<(f64, f64)>,
    /// The experience curve's effect on outcomes: the share of a new officer's charges lost
    /// to NFA (evidential difficulties) for each unit of productivity they lack (0.5: an
    /// officer at 0.6 of full loses a fifth of their charges); 0: none.
    pub experience_charge_loss: f64,
    /// How each officer gives their hours to the held cases in a work stage.
    pub discipline: Discipline,
    /// Most held cases in a work stage an officer works at once (`None`: all of them); the
    /// rest wait in the officer's tray, in the discipline's order. 1 is first come, first
    /// served per officer.
    pub active_limit: Option<u32>,
}

/// How an officer gives their hours to the held cases that are in a work stage.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Discipline {
    /// Shared equally among every case worked (processor sharing); with an active limit,
    /// the cases waiting in the tray start in the order their work became ready (limited
    /// processor sharing). The default.
    #[default]
    Equal,
    /// The most urgent held work first: by the case's priority, then, for a stage that
    /// carries a timeliness standard, by its deadline (the referral day plus the standard's
    /// days; a stage with no standard comes after any with one), then first come. Hours are
    /// shared only among cases of equal urgency (priority and deadline alike). Preemptive at
    /// once and resumed: when more urgent work becomes ready, less urgent work pauses with its
    /// remaining hours kept, and resumes when nothing more urgent is left.
    Priority,
}

impl Discipline {
    /// Its name in scenario files.
    pub const fn name(self) -> &'static str {
        match self {
            Discipline::Equal => "equal",
            Discipline::Priority => "priority",
        }
    }
}

/// What heavy caseloads cost: hours lost to switching between cases, supervision and court
/// for each case held above a comfortable caseload, and a rising share of poor outcomes.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadCost {
    /// Cases an officer holds at no loss.
    pub comfortable_caseload: u32,
    /// Investigation hours lost per week for each case held above it (down to none left).
    pub hours_lost_per_week_per_case: f64,
    /// For a case of a type with outcomes: the share of charges lost to NFA (evidential
    /// difficulties) for each case its officer held above comfortable when it completed, up
    /// to all of them.
    pub poor_outcome_per_case: f64,
}

impl TeamConfig {
    /// A team named `name` of `officers` in post (its establishment too), each holding at
    /// most `caseload_cap` cases with `contracted_hours_per_year`; nothing else set (no
    /// abstraction, other duties, attrition, recruitment, load cost or cost; equal sharing,
    /// productivity 1).
    pub fn new(
        name: impl Into<String>,
        officers: u32,
        caseload_cap: u32,
        contracted_hours_per_year: f64,
    ) -> Self {
        Self {
            name: name.into(),
            establishment: officers,
            strength: officers,
            caseload_cap,
            contracted_hours_per_year,
            abstraction: 0.0,
            other_duties: 0.0,
            attrition_per_year: 0.0,
            redeployment_share: 0.0,
            recruitment: None,
            new_starters: None,
            cost_per_day: 0.0,
            load_cost: None,
            discipline: Discipline::Equal,
            active_limit: None,
            productivity: 1.0,
            evidential_to_charge: 0.0,
            supervision_ratio: 0.0,
            experience: vec![],
            experience_charge_loss: 0.0,
        }
    }

    /// The productivity the experience curve gives after `months` in post (1 without one).
    pub fn experience_at(&self, months: f64) -> f64 {
        let curve = &self.experience;
        let Some(&(first_month, first)) = curve.first() else {
            return 1.0;
        };
        if months <= first_month {
            return first;
        }
        for pair in curve.windows(2) {
            let ((m0, p0), (m1, p1)) = (pair[0], pair[1]);
            if months <= m1 {
                return if m1 > m0 {
                    p0 + (p1 - p0) * (months - m0) / (m1 - m0)
                } else {
                    p1
                };
            }
        }
        curve.last().map_or(1.0, |&(_, p)| p)
    }
}

impl LoadCost {
    /// Hours per day an officer holding `held` cases loses.
    pub fn hours_lost_per_day(&self, held: usize) -> f64 {
        let above = (held as f64 - f64::from(self.comfortable_caseload)).max(0.0);
        above * self.hours_lost_per_week_per_case / 7.0
    }

    /// The share of charges lost to NFA when the officer held `held` cases.
    pub fn charges_lost(&self, held: usize) -> f64 {
        let above = (held as f64 - f64::from(self.comfortable_caseload)).max(0.0);
        (above * self.poor_outcome_per_case).min(1.0)
    }
}

/// Posting panels that fill vacancies.
#[derive(Debug, Clone, PartialEq)]
pub struct Recruitment {
    /// When the panels sit.
    pub panels: Panels,
    /// Days from a panel to the recruit joining the team.
    pub lag_days: f64,
    /// One-off cost of recruiting and training a new officer, pounds.
    pub cost_per_recruit: f64,
    /// Share (0-1] of a panel's vacancies it fills: each vacancy is filled with this
    /// probability, the rest stay open for the next panel (1: every vacancy is filled).
    pub fill_share: f64,
}

/// When posting panels sit.
#[derive(Debug, Clone, PartialEq)]
pub enum Panels {
    /// Every `interval_days` days from day 0.
    Every {
        /// Days between panels.
        interval_days: f64,
    },
    /// On these days, ascending (e.g. the first of each calendar month).
    On(Vec<f64>),
}

impl Recruitment {
    /// Panels every `interval_days` from day 0, recruits joining `lag_days` later, at no cost
    /// of their own.
    pub fn every(interval_days: f64, lag_days: f64) -> Self {
        Self {
            panels: Panels::Every { interval_days },
            lag_days,
            cost_per_recruit: 0.0,
            fill_share: 1.0,
        }
    }
}

/// What a new starter does before full productivity.
#[derive(Debug, Clone, PartialEq)]
pub struct NewStarters {
    /// Days on the investigators' course, off work entirely.
    pub course_days: f64,
    /// Days after the course at reduced productivity.
    pub ramp_up_days: f64,
    /// Productivity during the ramp-up (0-1).
    pub ramp_up_productivity: f64,
    /// Places for this team's new starters on each course (courses run back to back from day
    /// 0, each `course_days` long); a new starter waits, off work, for the first course with a
    /// free place. `None`: a course starts for each new starter on the day they join.
    pub course_places: Option<u32>,
    /// The places are the command's, not the team's: one course shared by every team whose
    /// new starters set this (they must agree on `course_days` and `course_places`), so
    /// recruits of all those teams compete for the same places.
    pub shared_course: bool,
}

/// Cases already in the system when the run starts: `count` alike (each draws its own work,
/// patience and outcome), so a large backlog costs one entry per row written, not per case.
#[derive(Debug, Clone, PartialEq)]
pub struct StartingCase {
    /// How many such cases, at least 1.
    pub count: u32,
    /// Its type.
    pub case_type: CaseTypeId,
    /// Its team (the type's team if `None`).
    pub team: Option<TeamId>,
    /// Days since referral at the start of the run.
    pub age_days: f64,
    /// Whether it is historic.
    pub historic: bool,
    /// Whether an officer already holds it (allocated at day 0 before waiting cases).
    pub open: bool,
    /// Index of the stage it is in (0 = not started).
    pub stage: usize,
}

/// A staffing action with its dates.
#[derive(Debug, Clone, PartialEq)]
pub struct StaffingAction {
    /// Day it takes effect.
    pub start_day: f64,
    /// Day it ends (required for attachments and agency contracts), if it does.
    pub end_day: Option<f64>,
    /// What it does.
    pub kind: ActionKind,
    /// Cost of each officer it brings (overstaff, transfer, attachment, posts in post),
    /// pounds per day, in place of the team's `cost_per_day` (e.g. an attachment paid to the
    /// lending command); agency investigators have their own day rate.
    pub cost_per_officer_day: Option<f64>,
    /// What work an attachment's or agency contract's officers take, and what becomes of
    /// their cases when it ends (ignored by other actions).
    pub bounds: WorkBounds,
    /// What a training programme's trainees gain from their return, or what the officers an
    /// action brings (specialists, a dedicated team's posts) carry from joining; ignored by
    /// actions that bring no officers.
    pub benefit: Benefit,
}

/// What a training programme does for its trainees from the day they return, and what it
/// costs beyond their days away. The default does nothing and costs nothing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Benefit {
    /// Rise in their productivity (0.1: 10 % more work done per hour).
    pub productivity_gain: f64,
    /// Share (0-1) of their completed cases' outcomes moved from NFA for evidential
    /// difficulties to charge.
    pub evidential_to_charge: f64,
    /// Days over which the benefit halves (`None`: it lasts).
    pub half_life_days: Option<f64>,
    /// The programme's cost per trainee, pounds, once when they go.
    pub cost_per_trainee: f64,
}

impl Benefit {
    /// What is left of the benefit `days` after the return (1 at the return).
    pub fn weight(&self, days: f64) -> f64 {
        match self.half_life_days {
            Some(h) if h > 0.0 => 0.5f64.powf(days.max(0.0) / h),
            _ => 1.0,
        }
    }
}

/// The work a temporary action's officers take and what happens to their cases at its end.
/// The default takes any case the team's officers would and returns held cases to the queue.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WorkBounds {
    /// The case types they take (`None`: any); a type split over teams is listed once per team.
    pub case_types: Option<Vec<CaseTypeId>>,
    /// Whether they take only cases they can expect to finish before the action ends: the
    /// means of the case's stages from the one it is in, work at the officer's full hours
    /// per day as if worked alone (so optimistic unless `active_limit` is 1).
    pub finish_before_end: bool,
    /// Most held cases each works at once, in place of the team's `active_limit`.
    pub active_limit: Option<u32>,
    /// The stages (indices from 0) they work (`None`: all): they take only cases in one of
    /// them, and a case they hold that reaches another goes back to its team's queue.
    pub stages: Option<Vec<usize>>,
    /// What becomes of the cases they hold when the action ends.
    pub on_end: OnEnd,
}

impl WorkBounds {
    /// Whether the bounds limit which cases the officers take.
    pub fn restricts_cases(&self) -> bool {
        self.case_types.is_some() || self.finish_before_end || self.stages.is_some()
    }
}

/// What becomes of a temporary action's held cases when it ends.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum OnEnd {
    /// The officers leave on the end day and their cases return to their team's queue, ahead
    /// of newer cases of the same priority, keeping stage, remaining work and age (the
    /// default).
    #[default]
    Return,
    /// The officers leave on the end day and their cases join this team's queue, as returned
    /// cases do.
    HandTo(TeamId),
    /// The officers take no new cases from the end day and leave when the last case they hold
    /// is done (paid until then).
    Keep,
}

/// The staffing levers of the source documents.
#[derive(Debug, Clone, PartialEq)]
pub enum ActionKind {
    /// `officers` posted on the start day above the establishment (the select list posted
    /// above agreed limits), kept by the panels while the action lasts.
    Overstaff {
        /// Team.
        team: TeamId,
        /// Officers above establishment.
        officers: u32,
    },
    /// Officers join permanently from another command with their posts (20 detectives from
    /// Homicide Command): the establishment rises, and panels replace those who leave.
    Transfer {
        /// Team.
        team: TeamId,
        /// Officers joining.
        officers: u32,
    },
    /// Officers join until the action's end day (40 from SCO for six months).
    Attachment {
        /// Team.
        team: TeamId,
        /// Officers attached.
        officers: u32,
        /// Whether they take only historic cases.
        historic_only: bool,
    },
    /// Extra productive hours a year across the team (flexible-working review: +8,000 h).
    FlexibleHours {
        /// Team.
        team: TeamId,
        /// Hours per year, shared equally among the team's working officers.
        hours_per_year: f64,
    },
    /// Agency investigators until the action's end day.
    Agency {
        /// Team.
        team: TeamId,
        /// Investigators.
        investigators: u32,
        /// Productive hours per investigator per year.
        hours_per_year: f64,
        /// Most cases one may hold.
        caseload_cap: u32,
        /// Day rate, pounds.
        cost_per_day: f64,
    },
    /// A training programme: officers of the team away for `days_away` each between the
    /// action's start and end, holding their cases but working none and taking no new ones.
    Training {
        /// Team.
        team: TeamId,
        /// How many of the officers at work on the start day attend (`None`: `share` of them).
        officers: Option<u32>,
        /// The share (0-1) of the officers at work on the start day who attend, when
        /// `officers` is not given.
        share: f64,
        /// Days each attending officer is away.
        days_away: f64,
        /// Whether they all go at once on the start day; otherwise in back-to-back cohorts of
        /// equal size filling the window (as many as fit), so not all are away together.
        at_once: bool,
    },
    /// Historic cases go to a dedicated team.
    ReassignHistoric {
        /// Teams whose historic cases move (empty: every other team).
        from_teams: Vec<TeamId>,
        /// The dedicated team.
        to_team: TeamId,
        /// Whether historic cases already waiting move too.
        include_queued: bool,
        /// The share (0-1] of historic cases that move (the complex ones): each historic case
        /// draws once whether it is complex, on a stream of its own, only when some
        /// reassignment moves fewer than all (1: every historic case, no draw).
        complex_share: f64,
    },
    /// The teams are pooled: an officer with a free slot takes the oldest highest-priority
    /// case of any pooled team (redeployment across the command).
    DailyReview {
        /// Teams pooled.
        teams: Vec<TeamId>,
    },
    /// Each month, staffing is adjusted toward a target caseload given the demand trend:
    /// officers are redeployed from the source teams, after a lag, up to a limit, and return
    /// when no longer needed.
    MonthlyReview {
        /// Teams reviewed (each on its own).
        teams: Vec<TeamId>,
        /// Teams officers are redeployed from (a reviewed team may lend to another).
        from_teams: Vec<TeamId>,
        /// Open cases per officer aimed at.
        target_caseload: f64,
        /// Most officers a review may have added to one team at once.
        max_extra_officers: u32,
        /// Days from a review to its officers joining.
        posting_lag_days: f64,
    },
    /// The team's officers are not drawn away to other duties.
    RingFence {
        /// Team.
        team: TeamId,
    },
    /// Extra funded posts from the start day (extra staff approved for April 2015).
    Recruitment {
        /// Team.
        team: TeamId,
        /// Posts added to the establishment.
        posts: u32,
        /// Whether officers are in the posts from the start day (they join then, as new
        /// starters), or the posts are filled by the team's posting panels.
        in_post: bool,
    },
}

impl ActionKind {
    /// The action's name as used in scenario files.
    pub const fn name(&self) -> &'static str {
        match self {
            ActionKind::Overstaff { .. } => "overstaff",
            ActionKind::Transfer { .. } => "transfer",
            ActionKind::Attachment { .. } => "attachment",
            ActionKind::FlexibleHours { .. } => "flexible_hours",
            ActionKind::Agency { .. } => "agency",
            ActionKind::ReassignHistoric { .. } => "reassign_historic",
            ActionKind::DailyReview { .. } => "daily_review",
            ActionKind::MonthlyReview { .. } => "monthly_review",
            ActionKind::RingFence { .. } => "ring_fence",
            ActionKind::Recruitment { .. } => "recruitment",
            ActionKind::Training { .. } => "training",
        }
    }

    /// Every team the action names.
    pub fn teams(&self) -> Vec<TeamId> {
        match self {
            ActionKind::Overstaff { team, .. }
            | ActionKind::Transfer { team, .. }
            | ActionKind::Attachment { team, .. }
            | ActionKind::FlexibleHours { team, .. }
            | ActionKind::Agency { team, .. }
            | ActionKind::RingFence { team }
            | ActionKind::Recruitment { team, .. }
            | ActionKind::Training { team, .. } => vec![*team],
            ActionKind::ReassignHistoric {
                from_teams,
                to_team,
                ..
            } => from_teams.iter().copied().chain([*to_team]).collect(),
            ActionKind::DailyReview { teams } | ActionKind::MonthlyReview { teams, .. } => {
                teams.clone()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_victim_share_rises_with_time_taken_from_the_others_in_proportion() {
        let o = Outcomes {
            charge: 0.2,
            nfa_evidential: 0.5,
            nfa_victim: 0.3,
            nfa_victim_per_year: 0.35,
        };
        let close = |a: [f64; 3], b: [f64; 3]| a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-12);
        assert!(close(o.shares_after(0.0), [0.2, 0.5, 0.3]));
        // A year: victim 0.65; the other 0.35 split 2:5 as before.
        assert!(close(o.shares_after(365.0), [0.1, 0.25, 0.65]));
        // Capped at every case.
        assert!(close(o.shares_after(10_000.0), [0.0, 0.0, 1.0]));
        // The first draw: victim below 0.3, charge up to 0.5, evidential above. After a
        // year the victim share has risen by 0.35 of the 0.7 left: a second draw below 0.5
        // turns the case to victim.
        assert_eq!(
            o.outcome([0.1, 0.9, 0.9], 0.0, 0.0, 0.0),
            Outcome::NfaVictim
        );
        assert_eq!(o.outcome([0.4, 0.0, 0.9], 0.0, 0.0, 0.0), Outcome::Charge);
        assert_eq!(
            o.outcome([0.9, 0.0, 0.9], 0.0, 0.0, 0.0),
            Outcome::NfaEvidential
        );
        assert_eq!(
            o.outcome([0.4, 0.49, 0.9], 365.0, 0.0, 0.0),
            Outcome::NfaVictim
        );
        assert_eq!(
            o.outcome([0.4, 0.51, 0.9], 365.0, 0.0, 0.0),
            Outcome::Charge
        );
        // A longer case only ever moves to victim.
        for first in [0.05, 0.35, 0.62, 0.7, 0.99] {
            for second in [0.01, 0.2, 0.5, 0.8] {
                let before = o.outcome([first, second, 0.9], 30.0, 0.0, 0.0);
                let after = o.outcome([first, second, 0.9], 300.0, 0.0, 0.0);
                assert!(
                    after == before || after == Outcome::NfaVictim,
                    "{first} {second}"
                );
            }
        }
        // A heavy load loses a charge whose third draw is below the share lost.
        assert_eq!(
            o.outcome([0.4, 0.9, 0.2], 0.0, 0.25, 0.0),
            Outcome::NfaEvidential
        );
        assert_eq!(o.outcome([0.4, 0.9, 0.3], 0.0, 0.25, 0.0), Outcome::Charge);
        assert_eq!(
            o.outcome([0.9, 0.9, 0.0], 0.0, 1.0, 0.0),
            Outcome::NfaEvidential
        );
        assert_eq!(
            o.outcome([0.1, 0.9, 0.0], 0.0, 1.0, 0.0),
            Outcome::NfaVictim
        );
        let load = LoadCost {
            comfortable_caseload: 8,
            hours_lost_per_week_per_case: 1.4,
            poor_outcome_per_case: 0.05,
        };
        assert_eq!(load.hours_lost_per_day(8), 0.0);
        assert!((load.hours_lost_per_day(13) - 1.0).abs() < 1e-12);
        assert!((load.charges_lost(12) - 0.2).abs() < 1e-12);
        assert_eq!(load.charges_lost(100), 1.0);
        // Over a grid of draws the shares are shares_after's.
        let grid = 200;
        let mut counts = [0.0; 3];
        for i in 0..grid {
            for j in 0..grid {
                let u = |k: usize| (k as f64 + 0.5) / grid as f64;
                counts[o.outcome([u(i), u(j), 0.9], 200.0, 0.0, 0.0).index()] += 1.0;
            }
        }
        let shares = o.shares_after(200.0);
        for k in 0..3 {
            assert!((counts[k] / (grid * grid) as f64 - shares[k]).abs() < 0.01);
        }
    }
}
