//! The scenario file as written: serde types that mirror the TOML, field for field.
//!
//! Every table rejects unknown keys. Teams, case types, actions and variants are tables keyed
//! by name, so a field has a readable path (`teams.north.strength`,
//! `actions.homicide_transfer.officers`) used in errors, variants and sweeps. The checks a
//! type cannot express (end before start, a team that does not exist) live in `resolve`.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use toml::value::Datetime;

/// A whole scenario file.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "caseload scenario")]
pub struct ScenarioFile {
    /// Name, dates, replications and seed.
    pub scenario: ScenarioSection,
    /// Thresholds for the reported key performance indicators.
    #[serde(default)]
    pub kpi: KpiSection,
    /// Values every team takes unless it sets its own.
    #[serde(default)]
    pub team_defaults: TeamFile,
    /// Investigation teams, by name, in the order they are reported.
    pub teams: IndexMap<String, TeamFile>,
    /// Named groups of teams, each team with its share (summing to 1) of the referrals a case
    /// type routed to the group sends it; a case type's or an action's `teams` may name one.
    #[serde(default)]
    pub team_groups: IndexMap<String, IndexMap<String, f64>>,
    /// Referral types, by name.
    pub case_types: IndexMap<String, CaseTypeFile>,
    /// Staffing actions, by name.
    #[serde(default)]
    pub actions: IndexMap<String, ActionFile>,
    /// Cases already waiting or open on the start date.
    #[serde(default)]
    pub starting_backlog: Vec<StartingCasesFile>,
    /// Named alternatives: which actions they keep and which fields they change.
    #[serde(default)]
    pub variants: IndexMap<String, VariantFile>,
    /// How the quality of completed investigations is judged (default: not judged).
    pub quality: Option<QualityFile>,
    /// What the file's values rest on, by field path (`"team_defaults.caseload_cap" = {
    /// basis = "assumption", source = "...", range = [12, 30] }`): sourced, derived, or an
    /// assumption with the range it could plausibly take.
    #[serde(default)]
    pub basis: IndexMap<String, BasisFile>,
    /// What the scenario asks of its reports: the question, the measures that answer it,
    /// which way each is better, the unit money is shown in.
    pub report: Option<ReportFile>,
}

/// The `[report]` table.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportFile {
    /// The question the scenario is built to answer, in words.
    pub question: Option<String>,
    /// The KPIs that answer it, first first (`kpi` or `kpi@team`, as `--kpi` takes them).
    #[serde(default)]
    pub headline: Vec<String>,
    /// Which way a KPI is better where its own meaning does not say or the question differs:
    /// `{ outcome_charge = "larger" }`.
    #[serde(default)]
    pub better: IndexMap<String, String>,
    /// The unit money is shown in: `GBP` (default), `GBP k` or `GBP m`.
    pub money: Option<String>,
    /// The decision period the daily charts show, `[first, last]` dates inside the run
    /// (default: the whole run, the warm-up shaded).
    pub period: Option<[DateField; 2]>,
    /// Give each team's small chart its own y scale (default `false`: one scale for all, so
    /// heights compare).
    pub own_scales: Option<bool>,
}

/// The basis of one value of the file.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BasisFile {
    /// `sourced` (a source states it), `derived` (worked out from sourced figures) or
    /// `assumption` (chosen where no source gives it; needs a `range`).
    pub basis: BasisKind,
    /// The source, or how it was derived or why it was chosen.
    #[serde(default)]
    pub source: Option<String>,
    /// `[low, high]`: the values it could plausibly take, in the field's unit (dates for a
    /// date); required for an assumption.
    #[schemars(with = "Option<Vec<serde_json::Value>>")]
    pub range: Option<Vec<toml::Value>>,
}

/// Where a value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum BasisKind {
    /// A source states it.
    Sourced,
    /// Worked out from sourced figures.
    Derived,
    /// Chosen where no source gives it.
    Assumption,
}

/// The chance a completed investigation requires improvement or is inadequate: logistic in
/// log-odds that add up from these terms (each an assumption unless a source gives it).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QualityFile {
    /// Log-odds for a case completed at once by an untrained officer at a comfortable
    /// caseload with no supervision (0: even odds; 1.05: 74 %).
    pub intercept: f64,
    /// Cases an officer holds with no load term (default 0).
    #[serde(default)]
    pub comfortable_caseload: u32,
    /// Log-odds added for each case the officer held above comfortable when it completed.
    #[serde(default)]
    pub per_case_above_comfortable: f64,
    /// Log-odds added per 100 days from referral to completion.
    #[serde(default)]
    pub per_100_days: f64,
    /// Log-odds added for a trained officer (times what is left of the training's benefit;
    /// negative: training lowers the chance).
    #[serde(default)]
    pub trained: f64,
    /// Log-odds added per unit of the team's `supervision_ratio`.
    #[serde(default)]
    pub per_supervision_ratio: f64,
    /// Log-odds added per unit of productivity a new officer lacks on their team's
    /// `experience` curve.
    #[serde(default)]
    pub per_inexperience: f64,
}

/// A TOML local date such as `2014-04-01`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(transparent)]
pub struct DateField(
    #[schemars(with = "String", regex(pattern = r"^\d{4}-\d{2}-\d{2}$"))] pub Datetime,
);

/// The `[scenario]` table.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScenarioSection {
    /// Name used in outputs (default: the file name without `.toml`).
    pub name: Option<String>,
    /// One or two sentences on what the scenario represents.
    pub description: Option<String>,
    /// First day simulated (day 0), an ISO date.
    pub start: DateField,
    /// Day the run stops, an ISO date after `start`.
    pub end: DateField,
    /// Days at the start excluded from the KPIs (the time series keeps them).
    #[serde(default)]
    pub warmup_days: f64,
    /// Days simulated before the start and not reported, so the run starts loaded: at the
    /// start's demand and staffing, without staffing actions (default 0: start from the
    /// `starting_backlog` as given).
    #[serde(default)]
    pub spin_up_days: f64,
    /// Replications run by default (`--reps` overrides).
    #[serde(default = "default_replications")]
    pub replications: u32,
    /// Seed of the random streams (`--seed` overrides).
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// A CSV file of starting cases (columns `case_type,team,age_days,count,historic,open,stage`),
    /// relative to the scenario file.
    pub starting_backlog_csv: Option<String>,
}

fn default_replications() -> u32 {
    20
}

fn default_seed() -> u64 {
    1
}

/// The `[kpi]` table: thresholds the summary reports against.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KpiSection {
    /// Waiting cases older than this are counted, days.
    #[serde(default = "default_28")]
    pub age_threshold_days: f64,
    /// Target time from referral to allocation, days: the share allocated within it is reported.
    #[serde(default = "default_28")]
    pub allocation_target_days: f64,
    /// Backlog level whose breach (unallocated cases above it on any day) is counted, cases.
    pub backlog_breach: Option<f64>,
    /// Backlog level to recover to (at most it from some day to the end), cases.
    pub recovery_backlog: Option<f64>,
    /// Dates the waiting list (cases waiting, their ages, the share over the age threshold)
    /// is measured on, besides the end; after the warm-up and before the end.
    #[serde(default)]
    pub dates: Vec<DateField>,
    /// Whether to weigh the waiting cases by their hours of work left and their case types'
    /// `harm_weight`, and count them by priority and case type, day by day (on whenever a
    /// case type sets `harm_weight`; default false: it costs a little on every allocation).
    #[serde(default)]
    pub weighed_backlog: bool,
}

fn default_28() -> f64 {
    28.0
}

impl Default for KpiSection {
    fn default() -> Self {
        Self {
            age_threshold_days: 28.0,
            allocation_target_days: 28.0,
            backlog_breach: None,
            recovery_backlog: None,
            dates: Vec::new(),
            weighed_backlog: false,
        }
    }
}

/// A team; in `[team_defaults]` every field is a default for the teams.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TeamFile {
    /// Funded officer posts.
    pub establishment: Option<u32>,
    /// Officers in post on the start date (default: the establishment).
    pub strength: Option<u32>,
    /// Most cases one officer may hold at once.
    pub caseload_cap: Option<u32>,
    /// Contracted hours per officer per year (full time: 2,086).
    pub contracted_hours_per_year: Option<f64>,
    /// Share (0-1) of contracted hours lost to leave, sickness, training and court.
    pub abstraction: Option<f64>,
    /// Share (0-1) of the remaining hours lost to other duties unless ring-fenced.
    pub other_duties: Option<f64>,
    /// Leavers per officer per year (0.1: a tenth of officers leave each year).
    pub attrition_per_year: Option<f64>,
    /// Share (0-1) of leavers who are redeployed away within the force; a ring-fence keeps
    /// them.
    pub redeployment_share: Option<f64>,
    /// Cost of one officer in post, pounds per day.
    pub cost_per_day: Option<f64>,
    /// Posting panels that fill vacancies (none: vacancies stay open).
    pub recruitment: Option<RecruitmentFile>,
    /// New starters' course and ramp-up (none: recruits are productive at once).
    pub new_starters: Option<NewStartersFile>,
    /// What holding more cases than is comfortable costs (none: nothing).
    pub load_cost: Option<LoadCostFile>,
    /// Hours of work done per available hour by the team's officers (default 1; a specialist
    /// team above 1).
    pub productivity: Option<f64>,
    /// Share (0-1) of its completed cases' outcomes moved from NFA for evidential
    /// difficulties to charge (a specialist team's better evidence; default 0).
    pub evidential_to_charge: Option<f64>,
    /// Supervisors per investigator, read by `[quality]` (default 0).
    pub supervision_ratio: Option<f64>,
    /// How a new starter's productivity rises with months in post: `[[months, productivity],
    /// ...]`, months ascending, interpolated (e.g. `[[0, 0.5], [6, 0.8], [24, 1.0]]`); for
    /// officers joining during the run. Default: none.
    pub experience: Option<Vec<[f64; 2]>>,
    /// The experience curve's effect on outcomes: the share of a new officer's charges lost to
    /// evidential NFA for each unit of productivity they lack (default 0: none).
    pub experience_charge_loss: Option<f64>,
    /// How each officer gives their hours to the held cases in a work stage: `equal` (shared
    /// equally, the default) or `priority` (the most urgent first: priority, then a standard's
    /// deadline, then first come; equals share; pre-emptive at once).
    pub discipline: Option<DisciplineFile>,
    /// Most held cases in a work stage an officer works at once (default: all); the rest wait
    /// in their tray in the discipline's order. 1 is first come, first served per officer.
    pub active_limit: Option<u32>,
}

/// How an officer gives their hours to the held cases in a work stage.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum DisciplineFile {
    /// Shared equally among every case worked (processor sharing).
    Equal,
    /// The most urgent work first; equals share.
    Priority,
}

/// What heavy caseloads cost.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LoadCostFile {
    /// Cases an officer holds at no loss.
    pub comfortable_caseload: u32,
    /// Investigation hours lost per week for each case held above it (switching between
    /// cases, supervision, court).
    #[serde(default)]
    pub hours_lost_per_week_per_case: f64,
    /// Share of charges lost to NFA (evidential difficulties) for each case the officer held
    /// above comfortable when the case completed (case types with outcomes).
    #[serde(default)]
    pub poor_outcome_per_case: f64,
}

/// Posting panels.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RecruitmentFile {
    /// Days between posting panels, the first on the start date (default: a panel on the
    /// first of each calendar month).
    pub interval_days: Option<f64>,
    /// The dates panels sit, ascending (instead of `interval_days`).
    pub panels: Option<Vec<DateField>>,
    /// Days from a panel to the recruit joining.
    pub lag_days: f64,
    /// One-off cost of recruiting and training a new officer, pounds (default 0).
    #[serde(default)]
    pub cost_per_recruit: f64,
    /// Share (0-1] of a panel's vacancies it fills, the rest left for the next panel
    /// (default 1: every vacancy is filled).
    pub fill_share: Option<f64>,
}

/// New starters' training.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewStartersFile {
    /// Days on the investigators' course, off work entirely.
    pub course_days: f64,
    /// Days after the course at reduced productivity.
    pub ramp_up_days: f64,
    /// Productivity during the ramp-up (0-1).
    pub ramp_up_productivity: f64,
    /// Places for this team's new starters on each course (courses run back to back from the
    /// start date); a new starter waits off work for a free place. Default: no limit.
    pub course_places: Option<u32>,
    /// The places are the command's: one course shared by every team that sets this (they
    /// give the same `course_days` and `course_places`). Default: false, the team's own.
    #[serde(default)]
    pub shared_course: bool,
}

/// A referral type.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseTypeFile {
    /// The team that receives these referrals (or use `teams` to split them).
    pub team: Option<String>,
    /// Shares (summing to 1) of these referrals routed to each named team, or the name of a
    /// team group whose shares apply.
    pub teams: Option<TeamShares>,
    /// Priority on arrival: 0 is the most urgent.
    pub priority: u8,
    /// Every this many days of a waiting case's age (days since referral), it moves up one
    /// priority level, up to `escalate_to`.
    pub escalate_after_days: Option<f64>,
    /// The most urgent priority escalation reaches (default 0, the top).
    #[serde(default)]
    pub escalate_to: u8,
    /// Share (0-1) of referrals that are historic (non-recent) allegations.
    #[serde(default)]
    pub historic_share: f64,
    /// How referrals arrive.
    pub demand: DemandFile,
    /// The work, in order: each stage is `{ work = <hours> }` or `{ wait = <days> }`.
    pub stages: Vec<StageFile>,
    /// Withdrawal while waiting: the days in all a referral may wait unallocated before the
    /// victim withdraws support, e.g. `{ dist = "exponential", mean = 180 }` (a constant
    /// hazard) or `{ dist = "gamma", mean = 180, cv = 0.5 }` (a hazard rising with the wait).
    /// A withdrawn case leaves the queue and is counted. Default: nobody withdraws.
    pub withdrawal: Option<DistFile>,
    /// How completed cases end: shares (summing to 1) for a case completed at once, and the
    /// rise per year of referral-to-completion time in the share where the victim does not
    /// support. Default: outcomes not modelled.
    pub outcomes: Option<OutcomesFile>,
    /// A screen before the investigation (MASH-style): `{ work = <hours>, close_share = 0.6,
    /// share = 1 }`: `share` of the referrals (default all) are screened first by the officer
    /// they are allocated to, and `close_share` of those close with no further work (counted
    /// as `closed_at_triage`). Default: no screen.
    pub triage: Option<TriageFile>,
    /// How much one waiting case of this type weighs in `harm_weighted_backlog` and
    /// `harm_weighted_days_waiting` (default 1: every case alike). Setting it on any case type
    /// turns on the weighed backlog measures.
    pub harm_weight: Option<f64>,
    /// Changes in how long this type's waits last (forensics, the CPS charging decision), as
    /// demand's steps: a wait stage that starts while a step is in force is multiplied by its
    /// multiplier (steps in force multiply). Default: none.
    #[serde(default)]
    pub wait_steps: Vec<DemandStepFile>,
}

/// A case type's screen before the investigation.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TriageFile {
    /// Hours of the screen, e.g. `{ dist = "lognormal", mean = 2, cv = 0.5 }`.
    pub work: DistFile,
    /// Share (0-1) of the screened referrals that close after the screen.
    pub close_share: f64,
    /// Share (0-1) of the referrals screened (default 1: all).
    pub share: Option<f64>,
}

/// Outcome shares of a case type's completed cases.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OutcomesFile {
    /// Share charged or summonsed.
    pub charge: f64,
    /// Share NFA for evidential difficulties.
    pub nfa_evidential: f64,
    /// Share NFA because the victim does not support (for a case completed at once).
    pub nfa_victim: f64,
    /// Rise of the victim share per 365 days from referral to completion, taken from the
    /// other two in proportion (default 0).
    #[serde(default)]
    pub nfa_victim_per_year: f64,
}

/// Where a case type's referrals go: shares by team, or a team group's shares.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(
    untagged,
    expecting = "a table of team = share (summing to 1), or the name of a team group"
)]
pub enum TeamShares {
    /// The name of a `[team_groups]` entry.
    Group(String),
    /// Share of the referrals routed to each named team.
    Shares(IndexMap<String, f64>),
}

/// Teams an action names: a list, or a team group (its teams, in its order).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(
    untagged,
    expecting = "a list of team names, or the name of a team group"
)]
pub enum TeamList {
    /// The name of a `[team_groups]` entry.
    Group(String),
    /// Team names.
    Names(Vec<String>),
}

/// How referrals of a type arrive: a Poisson rate (`annual_rate`, with growth, seasonality and
/// steps) or a `trace` of counts.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DemandFile {
    /// Referrals per year on the start date.
    pub annual_rate: Option<f64>,
    /// Compound growth per year (0.08 is +8 % a year).
    #[serde(default)]
    pub annual_growth: f64,
    /// Twelve multipliers, January to December, with mean 1.
    pub monthly_seasonality: Option<Vec<f64>>,
    /// Step changes in the rate, e.g. a publicity surge.
    #[serde(default)]
    pub steps: Vec<DemandStepFile>,
    /// Historical counts replayed instead of a Poisson rate.
    pub trace: Option<TraceFile>,
    /// How unsure `annual_rate` and `annual_growth` are: drawn once per replication
    /// (`caseload fit` writes this from its estimates).
    pub uncertainty: Option<DemandUncertaintyFile>,
}

/// A demand's parameter uncertainty: the log of the rate and the log of (1 + growth) are
/// drawn jointly normal once per replication, the same in every option.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DemandUncertaintyFile {
    /// Standard deviation of log(annual_rate) (0.1: about 10 %).
    #[serde(default)]
    pub rate_log_sd: f64,
    /// Standard deviation of log(1 + annual_growth) (0.02: about 2 points a year).
    #[serde(default)]
    pub growth_log_sd: f64,
    /// Correlation of the two, -1 to 1.
    #[serde(default)]
    pub correlation: f64,
    /// A name for the series the estimates came from, when one fitted series is split into
    /// several case types (e.g. a total split by shares): case types with the same name draw
    /// the same values in a replication. Unset: the case type draws its own.
    #[serde(default)]
    pub series: Option<String>,
}

/// A step change in a Poisson rate.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DemandStepFile {
    /// First day of the change.
    pub start: DateField,
    /// Day it ends (none: it lasts).
    pub end: Option<DateField>,
    /// Rate multiplier while it applies.
    pub multiplier: f64,
}

/// Counts of referrals per period from the start date, inline or from a CSV file.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TraceFile {
    /// Length of each period, days (with `counts` or `file`).
    pub period_days: Option<f64>,
    /// Referrals in each period.
    pub counts: Option<Vec<u32>>,
    /// A CSV file with one count per line (an optional header `count`), relative to the
    /// scenario file.
    pub file: Option<String>,
    /// A counts file by calendar period (the form `caseload fit` reads: `period_start`,
    /// `case_type`, `count`, optionally `team` and `basis`), relative to the scenario file:
    /// each month's or year's count is spread over its own days.
    pub counts_file: Option<String>,
    /// The series of `counts_file` replayed (`case_type` or `case_type@team`; default: this
    /// case type's name).
    pub series: Option<String>,
}

/// One stage of a case: exactly one of `work` (hours) or `wait` (days).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StageFile {
    /// Investigator effort, hours.
    pub work: Option<DistFile>,
    /// Elapsed days waiting on others while the officer holds the case.
    pub wait: Option<DistFile>,
    /// A timeliness standard: this stage finished within this many days of the referral
    /// (e.g. the victim visit within 7); at most one stage of a case type.
    pub standard_days: Option<f64>,
}

/// A distribution, by name and the parameters planners state.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DistFile {
    /// Which distribution.
    pub dist: DistName,
    /// Mean (exponential, lognormal, gamma).
    pub mean: Option<f64>,
    /// Coefficient of variation (lognormal, gamma).
    pub cv: Option<f64>,
    /// Median (lognormal, with `p75`).
    pub median: Option<f64>,
    /// 75th percentile (lognormal, with `median`).
    pub p75: Option<f64>,
    /// The value of a fixed distribution.
    pub value: Option<f64>,
    /// Lower bound (uniform).
    pub low: Option<f64>,
    /// Upper bound (uniform).
    pub high: Option<f64>,
    /// Values drawn with equal probability (empirical).
    pub values: Option<Vec<f64>>,
}

/// Distribution names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DistName {
    /// Always `value`.
    Fixed,
    /// Exponential with `mean`.
    Exponential,
    /// Lognormal with `mean` and `cv`, or `median` and `p75`.
    Lognormal,
    /// Gamma with `mean` and `cv`.
    Gamma,
    /// Uniform between `low` and `high`.
    Uniform,
    /// One of `values`, equally likely.
    Empirical,
}

impl DistName {
    /// The parameters this distribution takes.
    pub const fn parameters(self) -> &'static [&'static str] {
        match self {
            DistName::Fixed => &["value"],
            DistName::Exponential => &["mean"],
            DistName::Lognormal => &["mean", "cv", "median", "p75"],
            DistName::Gamma => &["mean", "cv"],
            DistName::Uniform => &["low", "high"],
            DistName::Empirical => &["values"],
        }
    }
}

/// A staffing action. `kind` says which; each kind takes its own fields.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionFile {
    /// Which staffing lever.
    pub kind: ActionName,
    /// What it represents, for charts and tables.
    pub description: Option<String>,
    /// Day it takes effect.
    pub start: DateField,
    /// Day it ends (required for attachment and agency; optional otherwise).
    pub end: Option<DateField>,
    /// The team it applies to (all kinds but reassign_historic, daily_review, monthly_review).
    pub team: Option<String>,
    /// Teams (daily_review: pooled; monthly_review: reviewed; other kinds: instead of `team`,
    /// with officers, investigators, posts and hours split evenly among them); a list of team
    /// names or the name of a team group.
    pub teams: Option<TeamList>,
    /// Officers (overstaff: above establishment; transfer, attachment: joining).
    pub officers: Option<u32>,
    /// Attachment: whether the officers take only historic cases.
    pub historic_only: Option<bool>,
    /// flexible_hours: extra hours a year across the team; agency: productive hours per
    /// investigator per year.
    pub hours_per_year: Option<f64>,
    /// Agency: investigators.
    pub investigators: Option<u32>,
    /// Agency: most cases one investigator may hold.
    pub caseload_cap: Option<u32>,
    /// Agency: day rate, pounds.
    pub cost_per_day: Option<f64>,
    /// reassign_historic: teams whose historic cases move (default: every other team);
    /// monthly_review: teams officers are redeployed from. A list or a team group's name.
    pub from_teams: Option<TeamList>,
    /// reassign_historic: the dedicated team.
    pub to_team: Option<String>,
    /// reassign_historic: whether historic cases already waiting move too.
    pub include_queued: Option<bool>,
    /// reassign_historic: the share (0-1] of historic cases that move, the complex ones
    /// (default 1: all).
    pub complex_share: Option<f64>,
    /// monthly_review: open cases per officer aimed at.
    pub target_caseload: Option<f64>,
    /// monthly_review: most officers added to one team at once.
    pub max_extra_officers: Option<u32>,
    /// monthly_review: days from a review to its officers joining.
    pub posting_lag_days: Option<f64>,
    /// training: days each attending officer is away.
    pub days_away: Option<f64>,
    /// training: the share (0-1) of the team's officers at work on the start date who attend
    /// (default 1, all; or give `officers`).
    pub share: Option<f64>,
    /// training: whether all attending officers go at once on the start date (default: in
    /// back-to-back cohorts filling the window, so not all are away together).
    pub at_once: Option<bool>,
    /// recruitment: extra funded posts.
    pub posts: Option<u32>,
    /// recruitment: whether officers are in the posts from `start` (they join then, as new
    /// starters) instead of being found by the team's posting panels (default false).
    pub in_post: Option<bool>,
    /// overstaff, transfer, attachment, recruitment: cost of each officer the action brings,
    /// pounds per day, in place of the team's `cost_per_day`.
    pub cost_per_officer_day: Option<f64>,
    /// training: the rise in the trainees' productivity from their return (0.1: 10 % more work
    /// done per hour; default 0); overstaff, transfer, attachment, agency, recruitment: the
    /// same for the officers it brings, from joining (specialists).
    pub productivity_gain: Option<f64>,
    /// training: the share (0-1) of the trainees' completed cases' outcomes moved from NFA
    /// for evidential difficulties to charge (default 0); officer-bringing kinds: the same for
    /// the officers they bring.
    pub evidential_to_charge: Option<f64>,
    /// training and officer-bringing kinds: days over which the benefit halves (default: it
    /// lasts).
    pub half_life_days: Option<f64>,
    /// training: the programme's cost per trainee, pounds, once (default 0).
    pub cost_per_trainee: Option<f64>,
    /// attachment, agency: the case types the officers take (default: any), by name.
    pub case_types: Option<Vec<String>>,
    /// attachment, agency: whether the officers take only cases they can expect to finish
    /// before `end` (the means of the remaining stages, work at their full hours as if worked
    /// alone; default false).
    pub finish_before_end: Option<bool>,
    /// attachment, agency: most held cases each officer works at once, in place of the team's
    /// `active_limit`.
    pub active_limit: Option<u32>,
    /// attachment, agency: the stages (indices from 0) the officers work (default: all): they
    /// take only cases in one of them, and a case they hold that reaches another goes back to
    /// its team's queue, e.g. `[0]` for the first stage only.
    pub stages: Option<Vec<usize>>,
    /// attachment, agency: what becomes of the cases the officers hold at `end`: `"return"`
    /// (to their team's queue, the default), `"keep"` (the officers take no new cases and
    /// leave when the last is done) or `{ hand_to = "TEAM" }` (to that team's queue).
    pub on_end: Option<OnEndFile>,
}

/// What becomes of a temporary action's held cases when it ends.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum OnEndFile {
    /// Back to their team's queue (the default).
    Return,
    /// Kept by their officers until done; no new cases.
    Keep,
    /// To this team's queue.
    HandTo(String),
}

impl ActionFile {
    /// The names of the fields written for this action besides `kind`, `description` and
    /// `start`, read from the fields themselves (a field left out is `None`, which TOML does
    /// not write), so no list of them is kept by hand.
    pub fn fields_given(&self) -> Vec<String> {
        match toml::Value::try_from(self) {
            Ok(toml::Value::Table(table)) => table
                .keys()
                .filter(|k| !matches!(k.as_str(), "kind" | "description" | "start"))
                .cloned()
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// Staffing action kinds (DESIGN.md section 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActionName {
    /// Recruitment fills to establishment + `officers`.
    Overstaff,
    /// `officers` join permanently.
    Transfer,
    /// `officers` join until `end`.
    Attachment,
    /// `hours_per_year` extra productive hours across the team.
    FlexibleHours,
    /// `investigators` agency staff until `end`.
    Agency,
    /// Historic cases go to `to_team`.
    ReassignHistoric,
    /// The `teams` are pooled for allocation.
    DailyReview,
    /// Monthly staffing adjustment toward `target_caseload`.
    MonthlyReview,
    /// The team is not drawn away to other duties.
    RingFence,
    /// `posts` extra funded posts.
    Recruitment,
    /// Officers away `days_away` each on a training programme between `start` and `end`.
    Training,
}

impl ActionName {
    /// The fields this kind takes besides `kind`, `description`, `start` and `end`; the
    /// required ones first.
    pub const fn fields(self) -> (&'static [&'static str], &'static [&'static str]) {
        match self {
            ActionName::Overstaff | ActionName::Transfer => (
                &["team", "officers"],
                &[
                    "cost_per_officer_day",
                    "productivity_gain",
                    "evidential_to_charge",
                    "half_life_days",
                ],
            ),
            ActionName::Attachment => (
                &["team", "officers", "end"],
                &[
                    "historic_only",
                    "cost_per_officer_day",
                    "case_types",
                    "finish_before_end",
                    "active_limit",
                    "stages",
                    "on_end",
                    "productivity_gain",
                    "evidential_to_charge",
                    "half_life_days",
                ],
            ),
            ActionName::FlexibleHours => (&["team", "hours_per_year"], &[]),
            ActionName::Agency => (
                &[
                    "team",
                    "investigators",
                    "hours_per_year",
                    "caseload_cap",
                    "cost_per_day",
                    "end",
                ],
                &[
                    "case_types",
                    "finish_before_end",
                    "active_limit",
                    "stages",
                    "on_end",
                    "productivity_gain",
                    "evidential_to_charge",
                    "half_life_days",
                ],
            ),
            ActionName::ReassignHistoric => (
                &["to_team"],
                &["from_teams", "include_queued", "complex_share"],
            ),
            ActionName::DailyReview => (&["teams"], &[]),
            ActionName::MonthlyReview => (
                &[
                    "teams",
                    "from_teams",
                    "target_caseload",
                    "max_extra_officers",
                    "posting_lag_days",
                ],
                &["cost_per_officer_day"],
            ),
            ActionName::RingFence => (&["team"], &[]),
            ActionName::Recruitment => (
                &["team", "posts"],
                &[
                    "in_post",
                    "cost_per_officer_day",
                    "productivity_gain",
                    "evidential_to_charge",
                    "half_life_days",
                ],
            ),
            ActionName::Training => (
                &["team", "days_away", "end"],
                &[
                    "officers",
                    "share",
                    "at_once",
                    "productivity_gain",
                    "evidential_to_charge",
                    "half_life_days",
                    "cost_per_trainee",
                ],
            ),
        }
    }
}

/// Cases already in the system on the start date.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StartingCasesFile {
    /// Their case type.
    pub case_type: String,
    /// Their team (default: the case type's team).
    pub team: Option<String>,
    /// Days since referral on the start date.
    pub age_days: f64,
    /// How many such cases.
    #[serde(default = "default_count")]
    pub count: u32,
    /// Whether they are historic allegations.
    #[serde(default)]
    pub historic: bool,
    /// Whether an officer already holds them.
    #[serde(default)]
    pub open: bool,
    /// Index of the stage they are in (0: not started).
    #[serde(default)]
    pub stage: usize,
}

fn default_count() -> u32 {
    1
}

/// A named alternative to the scenario as written.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VariantFile {
    /// What the variant represents.
    pub description: Option<String>,
    /// The actions it keeps, by name (omit to keep all; `[]` for none).
    pub actions: Option<Vec<String>>,
    /// Fields it changes, by path (`"teams.north.strength" = 60`).
    #[serde(default)]
    #[schemars(with = "IndexMap<String, serde_json::Value>")]
    pub set: IndexMap<String, toml::Value>,
}
