//! Face validity of the shipped London scenarios: over 20 replications, the story the
//! sources tell (scenarios/README.md gives each figure's source).
//!
//! - 17 CAITs with 460 posts, 445-454 officers in post from February 2011 to January 2014;
//! - serious sexual referrals up 34 % from 2009/10 to 2013/14, more than 10 % in the last year,
//!   2,386 in 2013/14;
//! - child sexual assault referral-to-completion medians within the sourced 179-248 days
//!   (2013/14 in the baseline, 2014/15 with the response);
//! - caseloads of 12-20 per officer in 2014 and a backlog forming by mid-2014 in the baseline;
//! - the response bringing the CAIT backlog down through 2015 (the CAITs' backlog in July 2015
//!   against no response, with its paired interval), no team that has had officers ever left
//!   without them, and none left with cases waiting and no officers for over 60 days;
//! - the child sexual assault medians by referral year within 15 % of the sourced 179, 236 and
//!   248 days (any year outside is a gap scenarios/README.md must state), CAIT caseloads in
//!   2016/17 near the alarm level of 20 reported in 2017, and the share of investigations
//!   completed in the six months before the November 2016 inspection that require improvement
//!   inside the interval of the inspection's 278 of 374;
//! - the figures scenarios/README.md quotes from these runs, as the runs give them.

use std::path::Path;

use caseload_experiment::{Design, Limits, Metric, run_one};
use caseload_scenario::{RunPlan, load};
use rayon::prelude::*;

const REPLICATIONS: u32 = 20;
const SERIOUS_SEXUAL: [&str; 3] = [
    "child_rape",
    "child_sexual_assault",
    "non_recent_sexual_abuse",
];

/// What one replication shows.
struct Seen {
    /// Serious sexual referrals per financial year from 2009/10 (index 0).
    serious_sexual_by_year: Vec<f64>,
    /// Days from referral to completion of current child sexual assault referrals, per
    /// financial year of referral (infinite: unfinished at the end).
    csa_days_by_year: Vec<Vec<f64>>,
    /// Days from referral to completion of non-recent referrals from April 2014 (infinite:
    /// unfinished at the end).
    non_recent_days: Vec<f64>,
    /// Per day: CAIT officers in post, CAIT unallocated cases, mean caseload (all teams).
    cait_officers: Vec<f64>,
    cait_backlog: Vec<f64>,
    /// Per day: cases held by CAIT officers.
    cait_open: Vec<f64>,
    caseload: Vec<f64>,
    /// Per team, per day: officers in post.
    team_officers: Vec<Vec<f64>>,
    /// Per team, per day: unallocated cases.
    team_backlog: Vec<Vec<f64>>,
    /// Investigations completed in the six months before the November 2016 inspection
    /// (May to October 2016): judged, and judged to require improvement or inadequate.
    judged_before_inspection: (u32, u32),
}

fn plan(file: &str, variant: Option<&str>) -> RunPlan {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(file);
    let scenario = load(&path).unwrap_or_else(|e| panic!("{file}: {e}"));
    scenario
        .plan(variant)
        .unwrap_or_else(|e| panic!("{e}"))
        .clone()
}

/// Day of `date` (ISO) in a run starting 2009-04-01.
fn day(plan: &RunPlan, date: &str) -> usize {
    let date = time::Date::parse(
        date,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .expect("an ISO date");
    (date - plan.start_date).whole_days() as usize
}

fn financial_year(plan: &RunPlan, arrival_day: f64) -> Option<usize> {
    let date = plan.start_date + time::Duration::days(arrival_day.floor() as i64);
    let year = if u8::from(date.month()) >= 4 {
        date.year()
    } else {
        date.year() - 1
    };
    usize::try_from(year - 2009).ok()
}

fn observe(plan: &RunPlan) -> Vec<Seen> {
    let design: Design = plan.design(true, Limits::DEFAULT);
    let defs = design.series();
    let width = defs.len();
    let teams = &design.model.teams;
    let caits: Vec<usize> = (0..teams.len())
        .filter(|&t| teams[t].name.starts_with("cait_"))
        .collect();
    let column = |team: Option<usize>, metric: Metric| {
        defs.iter()
            .position(|d| d.team == team && d.metric == metric)
            .expect("a kept series")
    };
    let names: Vec<String> = design
        .model
        .case_types
        .iter()
        .map(|t| t.name.split('@').next().unwrap_or("").to_string())
        .collect();
    (0..REPLICATIONS)
        .into_par_iter()
        .map(|r| {
            let result = run_one(&design, plan.seed, r).expect("the London scenario runs");
            let days = result.series.len() / width;
            let at = |d: usize, s: usize| f64::from(result.series[d * width + s]);
            let summed = |metric: Metric| -> Vec<f64> {
                let columns: Vec<usize> = caits.iter().map(|&t| column(Some(t), metric)).collect();
                (0..days)
                    .map(|d| columns.iter().map(|&s| at(d, s)).sum())
                    .collect()
            };
            let (may_2016, november_2016) = (day(plan, "2016-05-01"), day(plan, "2016-11-01"));
            let mut judged_before_inspection = (0, 0);
            let mut serious_sexual_by_year = vec![0.0; 8];
            let mut csa_days_by_year = vec![Vec::new(); 8];
            let mut non_recent_days = Vec::new();
            for case in &result.cases {
                if let (Some(poor), Some(done)) = (case.requires_improvement, case.completed_day)
                    && (may_2016 as f64..november_2016 as f64).contains(&done)
                {
                    judged_before_inspection.0 += 1;
                    judged_before_inspection.1 += u32::from(poor);
                }
                let Some(year) = financial_year(plan, case.arrival_day).filter(|&y| y < 8) else {
                    continue;
                };
                let name = names[case.case_type].as_str();
                if case.arrival_day >= 0.0 && SERIOUS_SEXUAL.contains(&name) {
                    serious_sexual_by_year[year] += 1.0;
                }
                if name == "non_recent_sexual_abuse" && year >= 5 {
                    non_recent_days.push(
                        case.completed_day
                            .map_or(f64::INFINITY, |c| c - case.arrival_day),
                    );
                }
                if name == "child_sexual_assault" && case.arrival_day >= 0.0 {
                    let days = case
                        .completed_day
                        .map_or(f64::INFINITY, |c| c - case.arrival_day);
                    csa_days_by_year[year].push(days);
                }
            }
            Seen {
                serious_sexual_by_year,
                csa_days_by_year,
                non_recent_days,
                cait_officers: summed(Metric::Officers),
                cait_backlog: summed(Metric::Unallocated),
                cait_open: summed(Metric::Open),
                caseload: (0..days)
                    .map(|d| at(d, column(None, Metric::MeanCaseload)))
                    .collect(),
                team_officers: (0..teams.len())
                    .map(|t| {
                        (0..days)
                            .map(|d| at(d, column(Some(t), Metric::Officers)))
                            .collect()
                    })
                    .collect(),
                team_backlog: (0..teams.len())
                    .map(|t| {
                        (0..days)
                            .map(|d| at(d, column(Some(t), Metric::Unallocated)))
                            .collect()
                    })
                    .collect(),
                judged_before_inspection,
            }
        })
        .collect()
}

/// Mean over replications and the days from `from` to `to` (inclusive) of a daily series.
fn mean_over(seen: &[Seen], series: fn(&Seen) -> &Vec<f64>, from: usize, to: usize) -> f64 {
    let total: f64 = seen
        .iter()
        .map(|s| series(s)[from..=to].iter().sum::<f64>())
        .sum();
    total / (seen.len() * (to - from + 1)) as f64
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// The pooled median days to completion of `year`'s child sexual assault referrals.
fn csa_median(seen: &[Seen], year: usize) -> f64 {
    median(
        seen.iter()
            .flat_map(|s| s.csa_days_by_year[year].iter().copied())
            .collect(),
    )
}

#[test]
fn the_london_baseline_tells_the_sources_story() {
    let baseline = plan("london-2014.toml", None);
    let teams = &baseline.model.teams;
    let caits: Vec<_> = teams
        .iter()
        .filter(|t| t.name.starts_with("cait_"))
        .collect();
    assert_eq!(caits.len(), 17, "17 CAITs");
    assert_eq!(caits.iter().map(|t| t.establishment).sum::<u32>(), 460);
    assert!(teams.iter().any(|t| t.name == "historic"));

    let seen = observe(&baseline);
    let d = |date: &str| day(&baseline, date);

    let strength = mean_over(
        &seen,
        |s| &s.cait_officers,
        d("2011-02-01"),
        d("2014-01-31"),
    );
    assert!(
        (445.0..=454.0).contains(&strength),
        "officers in post Feb 2011 to Jan 2014: {strength:.1}, sourced 445-454"
    );

    let per_year = |y: usize| {
        seen.iter()
            .map(|s| s.serious_sexual_by_year[y])
            .sum::<f64>()
            / seen.len() as f64
    };
    let (y2009, y2012, y2013) = (per_year(0), per_year(3), per_year(4));
    quoted_in_scenarios_readme(&format!(
        "over 20 replications the model gives {} in 2009/10, {} in 2012/13, {} in 2013/14",
        crate::util::figure(y2009, 1.0),
        crate::util::figure(y2012, 1.0),
        crate::util::figure(y2013, 1.0)
    ));
    assert!(
        (y2013 / 2386.0 - 1.0).abs() < 0.03,
        "serious sexual referrals in 2013/14: {y2013:.0}, sourced 2,386"
    );
    assert!(
        (1.30..=1.38).contains(&(y2013 / y2009)),
        "2009/10 to 2013/14: {y2009:.0} to {y2013:.0}, sourced +34 %"
    );
    assert!(
        y2013 / y2012 > 1.10,
        "2012/13 to 2013/14: {y2012:.0} to {y2013:.0}, sourced over 10 %"
    );

    let csa = csa_median(&seen, 4);
    quoted_in_scenarios_readme(&format!(
        "calibrated so that the child sexual assault median from referral to completion is {csa:.0} \
         days for 2013/14 referrals in the baseline"
    ));
    assert!(
        (179.0..=248.0).contains(&csa),
        "child sexual assault referrals of 2013/14: median {csa:.0} days to completion, sourced 179-248"
    );

    let caseload = mean_over(&seen, |s| &s.caseload, d("2014-01-01"), d("2014-12-31"));
    assert!(
        (12.0..=20.0).contains(&caseload),
        "mean caseload in 2014: {caseload:.1}, sourced 12-20"
    );
    let backlog = |date: &str| mean_over(&seen, |s| &s.cait_backlog, d(date), d(date) + 30);
    let (mid_2013, mid_2014, mid_2015) = (
        backlog("2013-07-01"),
        backlog("2014-07-01"),
        backlog("2015-07-01"),
    );
    eprintln!(
        "baseline: strength {strength:.1}; serious sexual {y2009:.0} / {y2012:.0} / {y2013:.0}; \
         CSA median 2013/14 {csa:.0} days; caseload 2014 {caseload:.1}; CAIT backlog July \
         2013/2014/2015 {mid_2013:.0} / {mid_2014:.0} / {mid_2015:.0}"
    );
    assert!(
        mid_2014 > 500.0 && mid_2014 > 2.0 * mid_2013 && mid_2015 > mid_2014,
        "a CAIT backlog forming by mid-2014 and growing: July 2013 {mid_2013:.0}, July 2014 \
         {mid_2014:.0}, July 2015 {mid_2015:.0}"
    );
}

#[test]
fn the_london_response_brings_the_backlog_down_and_leaves_no_team_without_officers() {
    let response = plan("london-2014-response.toml", None);
    let seen = observe(&response);
    let d = |date: &str| day(&response, date);
    let backlog = |date: &str| mean_over(&seen, |s| &s.cait_backlog, d(date), d(date) + 30);
    let caseload = |date: &str| mean_over(&seen, |s| &s.caseload, d(date), d(date) + 30);
    let (mid_2014, start_2015, end_2015) = (
        backlog("2014-07-01"),
        backlog("2015-01-01"),
        backlog("2015-12-01"),
    );
    assert!(
        start_2015 < 0.5 * mid_2014 && end_2015 <= start_2015,
        "the CAIT backlog comes down: July 2014 {mid_2014:.0}, January 2015 {start_2015:.0}, \
         December 2015 {end_2015:.0}"
    );
    let (before, after) = (caseload("2015-01-01"), caseload("2015-12-01"));
    let csa = csa_median(&seen, 5);
    eprintln!(
        "response: CAIT backlog July 2014 {mid_2014:.0}, January 2015 {start_2015:.0}, \
         December 2015 {end_2015:.0}; caseload January 2015 {before:.1}, December {after:.1}; \
         CSA median 2014/15 {csa:.0} days"
    );
    assert!(
        (179.0..=248.0).contains(&csa),
        "child sexual assault referrals of 2014/15: median {csa:.0} days, sourced 179-248"
    );
    let by_year: Vec<f64> = (4..=6).map(|y| csa_median(&seen, y)).collect();
    eprintln!(
        "response: CSA median by referral year 2013/14 {:.0}, 2014/15 {:.0}, 2015/16 {:.0} \
         days (sourced 179, 236, 248)",
        by_year[0], by_year[1], by_year[2]
    );
    csa_gap_is_as_stated(&by_year);
    // CAIT caseloads in 2016/17 at or near the "20 cases at once" alarm level reported in
    // 2017 (within 15 %): the waits have lengthened and demand has grown since the response.
    let (from, to) = (d("2016-04-01"), d("2017-03-31"));
    let cait_caseload = mean_over(&seen, |s| &s.cait_open, from, to)
        / mean_over(&seen, |s| &s.cait_officers, from, to);
    eprintln!("response: CAIT cases per officer in post in 2016/17 {cait_caseload:.1}");
    assert!(
        cait_caseload >= 0.85 * 20.0,
        "CAIT caseloads in 2016/17 {cait_caseload:.1}: not near the alarm level of 20 reported in 2017"
    );
    // The share of investigations requiring improvement or inadequate among those completed
    // in the six months before the November 2016 inspection, within the 95 % interval of the
    // inspection's 278 of 374 case files (seed 004).
    let (judged, poor) = seen.iter().fold((0, 0), |(j, p), s| {
        (
            j + s.judged_before_inspection.0,
            p + s.judged_before_inspection.1,
        )
    });
    let share = f64::from(poor) / f64::from(judged);
    let (low, high) = caseload_experiment::stats::wilson_interval(278.0, 374);
    eprintln!(
        "response: {poor} of {judged} investigations completed May to October 2016 require \
         improvement ({share:.3}; the inspection's 278 of 374, [{low:.3}, {high:.3}])"
    );
    assert!(
        (low..=high).contains(&share),
        "investigations completed May to October 2016 requiring improvement: {share:.3}, outside \
         the inspection's [{low:.3}, {high:.3}]"
    );
    quoted_in_scenarios_readme(&format!(
        "{:.0} % of the investigations completed from May to October 2016 require improvement",
        100.0 * share
    ));
    quoted_in_scenarios_readme(&format!(
        "CAIT officers hold {cait_caseload:.1} cases each in 2016/17"
    ));
    quoted_in_scenarios_readme(&format!(
        "and {:.0} for 2014/15 referrals with the response (2013/14 {:.0}, 2015/16 {:.0}",
        by_year[1], by_year[0], by_year[2]
    ));
    // Non-recent cases against the sourced mean of 270 days recording to charge (national): the
    // model's median alone is far above it (and a right-skewed mean lies above its median), a
    // gap scenarios/README.md states; the test fails when it closes, so the README is kept true.
    let non_recent = median(
        seen.iter()
            .flat_map(|s| s.non_recent_days.clone())
            .collect(),
    );
    eprintln!("response: non-recent median from referral to completion {non_recent:.0} days");
    assert!(
        non_recent > 1.15 * 270.0,
        "non-recent referrals from April 2014: median {non_recent:.0} days to completion, within \
         15 % of the sourced mean of 270 or below: the gap scenarios/README.md states has closed"
    );
    // The response's effect: the CAITs' backlog in July 2015 against no response, paired
    // replication by replication (common random numbers), with its 95 % interval.
    let without = observe(&plan("london-2014-response.toml", Some("no_response")));
    let july = d("2015-07-01");
    let differences: Vec<f64> = seen
        .iter()
        .zip(&without)
        .map(|(with, without)| {
            let mean = |s: &Seen| s.cait_backlog[july..july + 31].iter().sum::<f64>() / 31.0;
            mean(with) - mean(without)
        })
        .collect();
    let n = differences.len() as f64;
    let mean = differences.iter().sum::<f64>() / n;
    let sd = (differences.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    let half = caseload_experiment::stats::t_quantile(0.95, differences.len()) * sd / n.sqrt();
    eprintln!(
        "response: CAIT backlog in July 2015 {mean:.0} [{:.0}, {:.0}] against no response",
        mean - half,
        mean + half
    );
    quoted_in_scenarios_readme(&format!(
        "Against no response, {} [{}, {}] fewer cases wait at the CAITs in July 2015",
        crate::util::figure(-mean, 10.0),
        crate::util::figure(-(mean + half), 10.0),
        crate::util::figure(-(mean - half), 10.0)
    ));
    assert!(
        mean + half < 0.0,
        "the response lowers the CAIT backlog in July 2015: {mean:.0} [{:.0}, {:.0}]",
        mean - half,
        mean + half
    );
    // No team is left with cases waiting and no officers for long: the longest such spell of
    // any team in any replication is at most 60 days.
    for s in &seen {
        for (t, (officers, waiting)) in s.team_officers.iter().zip(&s.team_backlog).enumerate() {
            let mut spell = 0;
            for (&o, &w) in officers.iter().zip(waiting) {
                spell = if o == 0.0 && w > 0.0 { spell + 1 } else { 0 };
                assert!(
                    spell <= 60,
                    "{} has cases waiting and no officers for over 60 days",
                    response.model.teams[t].name
                );
            }
        }
    }
    // A team that has had officers always has some: no gap between the attached officers
    // leaving and the new posts filling, no team emptied by redeployment.
    for s in &seen {
        for (t, officers) in s.team_officers.iter().enumerate() {
            if let Some(first) = officers.iter().position(|&o| o > 0.0) {
                let empty = officers[first..].iter().position(|&o| o == 0.0);
                assert!(
                    empty.is_none(),
                    "{} has no officers on day {:?} after its first on day {first}",
                    response.model.teams[t].name,
                    empty.map(|e| e + first)
                );
            }
        }
    }
}

/// The sourced child sexual assault medians, recording to charge (18 forces; Children's
/// Commissioner 2017), for referrals of 2013/14, 2014/15 and 2015/16.
const CSA_SOURCED: [f64; 3] = [179.0, 236.0, 248.0];

/// Referral years whose model median is more than 15 % from the sourced figure, as
/// scenarios/README.md states the gap: none since the waits lengthen on dated steps (the CPS's
/// charging decisions slowed). The model measures referral to completion, NFA included, where
/// the source measures recording to charge.
const CSA_GAP_YEARS: [&str; 0] = [];

/// Checks which referral years' medians lie within 15 % of the sourced figure, against the gap
/// scenarios/README.md states: a change that closes the gap or opens another fails here until
/// the README says so.
fn csa_gap_is_as_stated(by_year: &[f64]) {
    let years = ["2013/14", "2014/15", "2015/16"];
    let outside: Vec<&str> = years
        .iter()
        .zip(by_year.iter().zip(CSA_SOURCED))
        .filter(|(_, (model, sourced))| (*model / sourced - 1.0).abs() > 0.15)
        .map(|(year, _)| *year)
        .collect();
    assert_eq!(
        outside, CSA_GAP_YEARS,
        "child sexual assault medians by referral year {by_year:.0?} against the sourced \
         {CSA_SOURCED:?} (+-15 %): the years outside differ from the gap scenarios/README.md \
         states"
    );
}

/// Fails unless scenarios/README.md, white space aside, holds `text`: a figure it quotes about
/// the London scenarios, written as this run gives it.
fn quoted_in_scenarios_readme(text: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/README.md");
    let readme = std::fs::read_to_string(&path).expect("scenarios/README.md");
    let readme = readme.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        readme.contains(text),
        "scenarios/README.md does not say what the London scenarios now give; it should say: {text}"
    );
}
