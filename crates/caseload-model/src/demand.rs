//! Referral arrival processes.
//!
//! A Poisson demand is a non-homogeneous Poisson process whose rate is the product of a base
//! rate, compound annual growth, a monthly seasonality factor and step changes. It is sampled
//! by thinning (Lewis and Shedler): candidates arrive at a constant majorising rate and each
//! is kept with probability rate(t) / majorant, which is exact for any bounded rate.
//!
//! Months are twelfths of a mean year counted from 1 January, so seasonality needs no calendar.

use caseload_des::{DAYS_PER_YEAR, SimTime};

use crate::config::{DemandStep, PoissonDemand};

/// The rate function of a Poisson demand and its upper bound over a run.
#[derive(Debug, Clone)]
pub(crate) struct PoissonRate {
    per_day: f64,
    growth_per_day: f64,
    seasonality: Option<[f64; 12]>,
    steps: Vec<DemandStep>,
    start_day_of_year: f64,
    /// An upper bound of `at(t)` over `[0, horizon]`, referrals per day.
    pub(crate) majorant: f64,
}

impl PoissonRate {
    pub(crate) fn new(demand: &PoissonDemand, start_day_of_year: f64, horizon: f64) -> Self {
        let seasonality = (demand.monthly_seasonality.len() == 12).then(|| {
            let mut months = [0.0; 12];
            months.copy_from_slice(&demand.monthly_seasonality);
            months
        });
        let per_day = demand.annual_rate / DAYS_PER_YEAR;
        let growth_per_day = demand.annual_growth.ln_1p() / DAYS_PER_YEAR;
        let growth_max = (growth_per_day * horizon).exp().max(1.0);
        let season_max = seasonality.map_or(1.0, |m| m.iter().copied().fold(0.0, f64::max));
        let steps_max: f64 = demand.steps.iter().map(|s| s.multiplier.max(1.0)).product();
        Self {
            per_day,
            growth_per_day,
            seasonality,
            steps: demand.steps.clone(),
            start_day_of_year,
            majorant: per_day * growth_max * season_max * steps_max,
        }
    }

    /// Referrals per day at time `t` (days).
    pub(crate) fn at(&self, t: SimTime) -> f64 {
        let mut rate = self.per_day * (self.growth_per_day * t).exp();
        if let Some(months) = &self.seasonality {
            rate *= months[month_of(self.start_day_of_year + t)];
        }
        for step in &self.steps {
            if t >= step.start_day && step.end_day.is_none_or(|end| t < end) {
                rate *= step.multiplier;
            }
        }
        rate
    }
}

/// Month (0 = January) of a day counted from 1 January of some year.
fn month_of(day_of_year: f64) -> usize {
    let in_year = day_of_year.rem_euclid(DAYS_PER_YEAR);
    ((in_year / (DAYS_PER_YEAR / 12.0)) as usize).min(11)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demand(growth: f64, seasonality: Vec<f64>, steps: Vec<DemandStep>) -> PoissonDemand {
        PoissonDemand {
            annual_rate: 365.2425,
            annual_growth: growth,
            monthly_seasonality: seasonality,
            steps,
            uncertainty: None,
        }
    }

    #[test]
    fn growth_compounds_annually() {
        let rate = PoissonRate::new(&demand(0.08, vec![], vec![]), 0.0, 3653.0);
        assert!((rate.at(0.0) - 1.0).abs() < 1e-12);
        assert!((rate.at(DAYS_PER_YEAR) - 1.08).abs() < 1e-12);
        assert!((rate.at(2.0 * DAYS_PER_YEAR) - 1.08 * 1.08).abs() < 1e-12);
        assert!(rate.majorant >= rate.at(3653.0));
    }

    #[test]
    fn seasonality_and_steps_multiply_and_stay_under_the_majorant() {
        let mut months = vec![1.0; 12];
        months[3] = 1.5; // April
        let steps = vec![DemandStep {
            start_day: 10.0,
            end_day: Some(20.0),
            multiplier: 2.0,
        }];
        // Start on 1 April: day 0 is in April.
        let start = 3.0 * DAYS_PER_YEAR / 12.0 + 0.5;
        let rate = PoissonRate::new(&demand(0.0, months, steps), start, 400.0);
        assert!((rate.at(0.0) - 1.5).abs() < 1e-12);
        assert!((rate.at(15.0) - 3.0).abs() < 1e-12);
        assert!((rate.at(25.0) - 1.5).abs() < 1e-12);
        assert!((rate.at(40.0) - 1.0).abs() < 1e-12, "May");
        for day in 0..400 {
            assert!(rate.at(f64::from(day)) <= rate.majorant + 1e-12);
        }
    }

    #[test]
    fn months_wrap_over_years() {
        assert_eq!(month_of(0.0), 0);
        assert_eq!(month_of(DAYS_PER_YEAR - 0.1), 11);
        assert_eq!(month_of(DAYS_PER_YEAR + 1.0), 0);
    }
}
