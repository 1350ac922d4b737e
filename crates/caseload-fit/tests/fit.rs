//! The fit recovers known demand from simulated counts, its intervals cover the truth about
//! as often as they say, and bad count files get clear errors.

use caseload_fit::{Dispersion, FitOptions, Granularity, Observation, Series, fit, read_counts};
use rand::SeedableRng;
use rand_distr::{Distribution, Gamma, Poisson};
use rand_xoshiro::Xoshiro256PlusPlus;
use time::{Date, Month};

const DAYS_PER_YEAR: f64 = 365.2425;

fn first_of(year: i32, month: u8) -> Date {
    Date::from_calendar_date(year, Month::try_from(month).expect("a month"), 1).expect("a date")
}

fn next_month(d: Date) -> Date {
    let (y, m) = if u8::from(d.month()) == 12 {
        (d.year() + 1, 1)
    } else {
        (d.year(), u8::from(d.month()) + 1)
    };
    first_of(y, m)
}

/// Ten years of monthly counts from April 2009: `rate` a year on 2009-04-01, growing `growth`
/// a year, seasonal multipliers, a step from December 2012, Poisson or gamma-Poisson (NB2)
/// with size `theta`.
fn simulate(
    rng: &mut Xoshiro256PlusPlus,
    rate: f64,
    growth: f64,
    season: &[f64; 12],
    step: f64,
    theta: Option<f64>,
) -> Series {
    let origin = first_of(2009, 4);
    let change = first_of(2012, 12);
    let mut start = origin;
    let mut observations = Vec::new();
    for _ in 0..120 {
        let end = next_month(start);
        let days = (end - start).whole_days() as f64;
        let mid = ((start - origin).whole_days() as f64 + days / 2.0) / DAYS_PER_YEAR;
        let mut mean = rate / DAYS_PER_YEAR
            * days
            * (1.0 + growth).powf(mid)
            * season[usize::from(u8::from(start.month())) - 1];
        if start >= change {
            mean *= step;
        }
        if let Some(theta) = theta {
            mean *= Gamma::new(theta, 1.0 / theta).expect("valid").sample(rng);
        }
        let count = Poisson::new(mean).expect("valid").sample(rng) as u64;
        observations.push(Observation { start, end, count });
        start = end;
    }
    Series {
        case_type: "referral".into(),
        team: None,
        granularity: Granularity::Monthly,
        observations,
    }
}

const SEASON: [f64; 12] = [
    0.9, 0.95, 1.05, 1.1, 1.05, 1.0, 0.85, 0.8, 1.05, 1.1, 1.1, 1.05,
];

#[test]
fn the_fit_recovers_trend_seasonality_step_and_dispersion_and_its_intervals_cover() {
    let options = FitOptions {
        change: Some(first_of(2012, 12)),
        start: None,
    };
    let mean_season = SEASON.iter().sum::<f64>() / 12.0;
    let (rate, growth, step, theta) = (1200.0, 0.05, 1.15, 40.0);
    let draws = 400;
    let mut covered = [0u32; 4];
    let mut nb_chosen = 0;
    let mut growth_sum = 0.0;
    for seed in 0..draws {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        let series = simulate(&mut rng, rate, growth, &SEASON, step, Some(theta));
        let f = fit(&series, &options).expect("a fit");
        growth_sum += f.annual_growth.value;
        let inside = |e: caseload_fit::Estimate, truth: f64| e.lo <= truth && truth <= e.hi;
        covered[0] += u32::from(inside(f.annual_growth, growth));
        covered[1] += u32::from(inside(f.step.expect("a step").1, step));
        covered[2] += u32::from(inside(f.annual_rate, rate * mean_season));
        let april = f.seasonality.expect("monthly")[3];
        covered[3] += u32::from(inside(april, SEASON[3] / mean_season));
        if let Dispersion::NegativeBinomial { .. } = f.dispersion {
            nb_chosen += 1;
        }
    }
    let mean_growth = growth_sum / f64::from(draws as u32);
    assert!(
        (mean_growth - growth).abs() < 0.005,
        "mean growth {mean_growth}"
    );
    // 95 % intervals over 400 draws: coverage within three standard errors (1.1 % each).
    for (name, c) in ["growth", "step", "rate", "April"].iter().zip(covered) {
        let share = f64::from(c) / f64::from(draws as u32);
        assert!(
            (0.91..=0.98).contains(&share),
            "{name}: the 95 % interval covered the truth in {share} of draws"
        );
    }
    // With theta 40 at about 100 a month the variance is twice the mean: the test sees it.
    assert!(
        nb_chosen >= 380,
        "negative binomial chosen in {nb_chosen} of {draws}"
    );
}

#[test]
fn poisson_counts_are_fitted_as_poisson() {
    let options = FitOptions::default();
    let mut poisson = 0;
    for seed in 0..100 {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(1_000 + seed);
        let series = simulate(&mut rng, 1200.0, 0.03, &[1.0; 12], 1.0, None);
        let f = fit(&series, &options).expect("a fit");
        if f.dispersion == Dispersion::Poisson {
            poisson += 1;
        }
        assert!(f.pearson_dispersion < 1.6, "{}", f.pearson_dispersion);
    }
    // The test against Poisson is at 5 %: about 95 of 100 stay Poisson.
    assert!(poisson >= 88, "Poisson kept in {poisson} of 100");
}

#[test]
fn yearly_counts_with_a_change_give_the_sourced_london_shape() {
    // Serious sexual referrals: 1,780 in 2009/10 rising to 2,386 in 2013/14, +13 % in the
    // last year, as financial years from 1 April.
    let counts = [1780u64, 1860, 1949, 2116, 2386];
    let observations = counts
        .iter()
        .enumerate()
        .map(|(i, &count)| Observation {
            start: first_of(2009 + i as i32, 4),
            end: first_of(2010 + i as i32, 4),
            count,
        })
        .collect();
    let series = Series {
        case_type: "serious_sexual".into(),
        team: None,
        granularity: Granularity::Yearly,
        observations,
    };
    let f = fit(
        &series,
        &FitOptions {
            change: Some(first_of(2012, 12)),
            start: Some(first_of(2013, 4)),
        },
    )
    .expect("a fit");
    // Fitted counts reproduce the five years closely (four parameters... three here: rate,
    // growth, step, with five points).
    for (fitted, observed) in f.fitted.iter().zip(counts) {
        assert!(
            (fitted / observed as f64 - 1.0).abs() < 0.02,
            "{fitted} vs {observed}"
        );
    }
    let (_, m) = f.step.expect("a step");
    assert!(m.value > 1.05, "a step up after December 2012: {m:?}");
    let toml = f.demand_toml();
    assert!(toml.contains("demand = { annual_rate = "), "{toml}");
    assert!(
        !toml.contains("steps"),
        "the start is after the change: {toml}"
    );
}

fn write(name: &str, text: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("caseload-fit-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temp dir");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("written");
    path
}

#[test]
fn bad_count_files_are_refused_with_the_line() {
    let cases = [
        (
            "missing.csv",
            "period_start,count\n2014-04-01,3\n",
            ":1: missing column(s): case_type",
        ),
        (
            "order.csv",
            "period_start,case_type,count\n2014-05-01,rape,3\n2014-04-01,rape,4\n",
            ":3: period_start 2014-04-01 of rape is before 2014-05-01 on line 2",
        ),
        (
            "repeat.csv",
            "period_start,case_type,count\n2014-04-01,rape,3\n2014-04-01,rape,4\n",
            ":3: period_start 2014-04-01 of rape is a repeat of 2014-04-01 on line 2",
        ),
        (
            "negative.csv",
            "period_start,case_type,count\n2014-04-01,rape,-3\n",
            ":2: count `-3`: expected a whole number",
        ),
        (
            "fraction.csv",
            "period_start,case_type,count\n2014-04-01,rape,2.5\n",
            ":2: count `2.5`: expected a whole number",
        ),
        (
            "date.csv",
            "period_start,case_type,count\n2014-04-15,rape,2\n",
            ":2: period_start `2014-04-15`: expected an ISO date, the first of a month",
        ),
        (
            "column.csv",
            "period_start,case_type,count,cuont\n2014-04-01,rape,2,1\n",
            ":1: unknown column `cuont`",
        ),
    ];
    for (name, text, expected) in cases {
        let err = read_counts(&write(name, text)).expect_err(name);
        let message = err.to_string();
        assert!(message.contains(expected), "{name}: {message}");
        assert!(message.contains(name), "{name}: names the file: {message}");
    }
    let ok = read_counts(&write(
        "ok.csv",
        "period_start,case_type,team,count,basis\n2009-04-01,rape,north,10,observed\n2010-04-01,rape,north,12,derived\n2009-04-01,rape,south,7,observed\n",
    ))
    .expect("readable");
    assert_eq!(ok.len(), 2);
    assert_eq!(ok[0].granularity, Granularity::Yearly);
    assert_eq!(ok[0].label(), "rape@north");
    assert_eq!(ok[0].observations[1].end, first_of(2011, 4));
}

#[test]
fn the_forecast_band_covers_the_counts_that_followed_about_as_often_as_it_says() {
    // Fit eight years of a ten-year monthly series, forecast the last two: the 5-95 % band
    // (parameter uncertainty and dispersion) should hold about 90 % of the held-out counts.
    let options = FitOptions {
        change: Some(first_of(2012, 12)),
        start: None,
    };
    let (mut inside, mut total) = (0u32, 0u32);
    for seed in 0..60 {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(5_000 + seed);
        let whole = simulate(&mut rng, 1200.0, 0.05, &SEASON, 1.15, Some(40.0));
        let mut past = whole.clone();
        past.observations.truncate(96);
        let f = fit(&past, &options).expect("a fit");
        let fan = f.fan(24, 400, seed);
        assert_eq!(fan.starts.len(), 120);
        assert!(fan.observed[96..].iter().all(|o| o.is_nan()));
        for (i, o) in whole.observations[96..].iter().enumerate() {
            let k = 96 + i;
            assert_eq!(fan.starts[k], o.start);
            assert!(fan.lo[k] <= fan.mean[k] && fan.mean[k] <= fan.hi[k]);
            total += 1;
            inside += u32::from(fan.lo[k] <= o.count as f64 && o.count as f64 <= fan.hi[k]);
        }
    }
    let share = f64::from(inside) / f64::from(total);
    assert!(
        (0.84..=0.95).contains(&share),
        "forecast band held {share} of the counts"
    );
}
