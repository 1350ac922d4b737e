//! The model bench's London-sized configuration, shared by `benches/model.rs` and
//! `examples/bench_replication.rs` (which runs one replication of it, for counting instructions
//! with `scripts/count-instructions.sh`).

use caseload_des::{DAYS_PER_YEAR, Dist};
use caseload_model::*;

const TEAMS: usize = 8;

fn poisson(annual_rate: f64, annual_growth: f64) -> Demand {
    Demand::Poisson(PoissonDemand {
        annual_rate,
        annual_growth,
        monthly_seasonality: vec![],
        steps: vec![],
        uncertainty: None,
    })
}

pub fn london(pooled: bool, discipline: Discipline, active_limit: Option<u32>) -> ValidConfig {
    let work = |hours: f64| Stage::Work(Dist::lognormal(hours, 0.8).expect("valid"));
    let wait = |days: f64| Stage::Wait(Dist::lognormal(days, 0.7).expect("valid"));
    let mut case_types = Vec::new();
    for team in 0..TEAMS {
        let share = 1.0 / TEAMS as f64;
        case_types.push(CaseType {
            demand: poisson(2_386.0 * share, 0.08),
            historic_share: 0.25,
            ..CaseType::poisson(
                "serious sexual offence",
                0.0,
                vec![work(40.0), wait(30.0), work(40.0), wait(60.0), work(40.0)],
                team,
            )
        });
        for (name, rate, priority, stages) in [
            (
                "other crime",
                6_000.0,
                1,
                vec![work(25.0), wait(60.0), work(25.0)],
            ),
            ("non-crime referral", 10_500.0, 2, vec![work(6.0)]),
        ] {
            case_types.push(CaseType {
                demand: poisson(rate * share, 0.02),
                priority,
                escalate_after_days: Some(28.0),
                ..CaseType::poisson(name, 0.0, stages, team)
            });
        }
    }
    let teams = (0..TEAMS)
        .map(|k| TeamConfig {
            strength: 57,
            abstraction: 0.18,
            other_duties: 0.15,
            attrition_per_year: 0.08,
            recruitment: Some(Recruitment::every(91.0, 182.0)),
            new_starters: Some(NewStarters {
                course_days: 14.0,
                ramp_up_days: 90.0,
                ramp_up_productivity: 0.5,
                course_places: None,
                shared_course: false,
            }),
            cost_per_day: 173.0,
            discipline,
            active_limit,
            ..TeamConfig::new(format!("CAIT {k}"), 60, 15, 2_086.0)
        })
        .collect();
    let actions = if pooled {
        vec![StaffingAction {
            start_day: 0.0,
            end_day: None,
            kind: ActionKind::DailyReview {
                teams: (0..TEAMS).collect(),
            },
            cost_per_officer_day: None,
            bounds: WorkBounds::default(),
            benefit: Benefit::default(),
        }]
    } else {
        vec![]
    };
    ModelConfig {
        horizon_days: (10.0 * DAYS_PER_YEAR).round(),
        start_day_of_year: 90.0,
        case_types,
        teams,
        actions,
        starting_backlog: vec![],
        age_threshold_days: 28.0,
        spin_up_days: 0.0,
        quality: None,
    }
    .validated()
    .expect("a valid configuration")
}
