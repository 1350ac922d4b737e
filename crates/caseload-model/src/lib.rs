//! # caseload-model
//!
//! The child-abuse investigation domain on the `caseload-des` engine: referral demand by case
//! type, teams of investigators with establishment, strength, caseload caps, hours, abstraction,
//! attrition, recruitment and new-starter training, cases worked in stages (investigator
//! effort and elapsed waits) with processor sharing of each officer's hours, and every staffing
//! action of the 2014 response. [`run_replication`] runs one replication of a [`ModelConfig`]
//! and reports through an [`Observer`]. No file I/O and no threads here.
//!
//! ```
//! use caseload_des::{Dist, RngStreams};
//! use caseload_model::*;
//!
//! // One team of 5 officers, each holding at most 10 cases and working 1,460 hours a year;
//! // 200 referrals a year, each 40 hours of work then a 30-day wait.
//! let config = ModelConfig {
//!     horizon_days: 365.0,
//!     start_day_of_year: 0.0,
//!     case_types: vec![CaseType {
//!         name: "child sexual assault".into(),
//!         demand: Demand::Poisson(PoissonDemand {
//!             annual_rate: 200.0,
//!             annual_growth: 0.0,
//!             monthly_seasonality: vec![],
//!             steps: vec![],
//!             uncertainty: None,
//!         }),
//!         priority: 1,
//!         escalate_after_days: Some(28.0),
//!         escalate_to: 0,
//!         stages: vec![
//!             Stage::Work(Dist::exponential(40.0)?),
//!             Stage::Wait(Dist::fixed(30.0)?),
//!         ],
//!         team: 0,
//!         historic_share: 0.25,
//!         withdrawal: None,
//!         outcomes: None,
//!         standard: None,
//!         triage: None,
//!         harm_weight: 1.0,
//!         wait_steps: vec![],
//!     }],
//!     teams: vec![TeamConfig {
//!         name: "CAIT".into(),
//!         establishment: 5,
//!         strength: 5,
//!         caseload_cap: 10,
//!         contracted_hours_per_year: 1_460.0,
//!         abstraction: 0.0,
//!         other_duties: 0.0,
//!         attrition_per_year: 0.0,
//!         redeployment_share: 0.0,
//!         recruitment: None,
//!         new_starters: None,
//!         cost_per_day: 170.0,
//!         load_cost: None,
//!         discipline: Discipline::Equal,
//!         active_limit: None,
//!         productivity: 1.0,
//!         evidential_to_charge: 0.0,
//!         supervision_ratio: 0.0,
//!         experience: vec![],
//!         experience_charge_loss: 0.0,
//!     }],
//!     actions: vec![],
//!     starting_backlog: vec![],
//!     age_threshold_days: 28.0,
//!     spin_up_days: 0.0,
//!     quality: None,
//! };
//! let summary = run_replication(&config.validated()?, &RngStreams::new(1, 0), &mut ())?;
//! assert_eq!(summary.arrived, summary.completed + summary.open + summary.unallocated);
//! assert!((summary.cost - 5.0 * 170.0 * 365.0).abs() < 1e-6);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod case;
mod config;
mod demand;
mod investigator;
mod observe;
mod replication;
mod team;
mod validate;
mod waiting_ages;

pub use config::{
    ActionKind, Benefit, CaseType, CaseTypeId, Demand, DemandStep, DemandUncertainty, Discipline,
    LoadCost, ModelConfig, NewStarters, OnEnd, Outcome, Outcomes, Panels, PoissonDemand, Priority,
    Quality, Recruitment, Source, StaffingAction, Stage, StageStandard, StartingCase, TeamConfig,
    TeamId, Triage, WorkBounds,
};
pub use observe::{CaseRecord, DaySnapshot, Observer, RunSummary, TeamDay};
pub use replication::{
    MAX_SHARED_CASES, run_replication, run_replication_within, shared_spin_up_hits,
};
pub use validate::{ConfigError, MIN_PANEL_INTERVAL_DAYS, ValidConfig};
