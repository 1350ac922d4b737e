//! The figures README.md quotes about its main command, checked against a fresh run of that
//! command: each figure is computed from the run's files, written as the README writes it
//! (rounded to the README's precision, with thousands separators), and must be found in the
//! README's text. A model change that moves a figure fails here until the README says what the
//! program now says.

use std::collections::HashMap;

use crate::util::{Dir, csv_rows, figure, read_csv, root, run_ok};

/// A README's text with every run of white space (line breaks included) one space.
fn readme(path: &str) -> String {
    let text = std::fs::read_to_string(root().join(path)).expect("the README");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The figures of `quoted` that `path`'s text does not hold, as a message.
fn missing(path: &str, quoted: &[String]) -> Option<String> {
    let text = readme(path);
    let missing: Vec<String> = quoted
        .iter()
        .filter(|q| !text.contains(q.as_str()))
        .map(|q| format!("  {q}"))
        .collect();
    (!missing.is_empty()).then(|| {
        format!(
            "{path} does not say what the program now gives; it should say:\n{}",
            missing.join("\n")
        )
    })
}

/// `summary.csv`'s (mean, ci_lo, ci_hi) of `kpi` for `team`.
fn estimate(summary: &[HashMap<String, String>], kpi: &str, team: &str) -> (f64, f64, f64) {
    let row = summary
        .iter()
        .find(|r| r["kpi"] == kpi && r["team"] == team)
        .unwrap_or_else(|| panic!("{kpi} of {team} in summary.csv"));
    let number = |c: &str| row[c].parse::<f64>().expect("a number");
    (number("mean"), number("ci_lo"), number("ci_hi"))
}

#[test]
fn the_readme_quotes_what_the_main_command_gives() {
    let dir = Dir::new("readme_figures");
    let scenario = root()
        .join("scenarios/london-2014-response.toml")
        .display()
        .to_string();
    // The README's main command, with Parquet beside the CSV for the sizes it quotes.
    run_ok(
        &dir,
        &["run", &scenario, "--format", "both", "--out", "r"],
        &[],
    );
    let folder = dir.join("r");
    let summary = read_csv(&folder.join("summary.csv"));
    // The all-teams daily values (mean, band_lo, band_hi) of the days quoted.
    let days = ["2014-07-01", "2015-01-01", "2015-07-01", "2015-12-01"];
    let mut daily: HashMap<(String, String), (f64, f64, f64)> = HashMap::new();
    let mut historic_daily: HashMap<String, f64> = HashMap::new();
    for row in csv_rows(&folder.join("timeseries.csv")) {
        if row["team"] == "historic"
            && row["metric"] == "unallocated"
            && days.contains(&row["date"].as_str())
        {
            let mean = row["mean"].parse::<f64>().expect("a number");
            historic_daily.insert(row["date"].clone(), mean);
        }
        if row["team"] == "all"
            && days.contains(&row["date"].as_str())
            && ["unallocated", "mean_caseload"].contains(&row["metric"].as_str())
        {
            let number = |c: &str| row[c].parse::<f64>().expect("a number");
            daily.insert(
                (row["metric"].clone(), row["date"].clone()),
                (number("mean"), number("band_lo"), number("band_hi")),
            );
        }
    }
    let on = |metric: &str, date: &str| daily[&(metric.to_string(), date.to_string())];
    let (historic, lo, hi) = estimate(&summary, "backlog_end", "historic");
    let cait_p90: Vec<f64> = summary
        .iter()
        .filter(|r| {
            r["kpi"] == "days_to_allocate_p90" && !["all", "historic"].contains(&r["team"].as_str())
        })
        .map(|r| {
            r["mean"]
                .parse::<f64>()
                .expect("every CAIT reaches its 90th percentile")
        })
        .collect();
    let fastest = cait_p90.iter().copied().fold(f64::INFINITY, f64::min);
    let slowest = cait_p90.iter().copied().fold(0.0, f64::max);
    let july_2014 = on("unallocated", "2014-07-01");
    let megabytes = |file: &str| {
        let bytes = std::fs::metadata(folder.join(file))
            .expect("the file")
            .len();
        bytes as f64 / 1e6
    };
    let monthly_rows = read_csv(&folder.join("monthly.csv")).len();
    let quoted = [
        format!(
            "about {} unallocated cases by July 2014 (caseloads at {} per officer)",
            figure(july_2014.0, 100.0),
            figure(on("mean_caseload", "2014-07-01").0, 1.0)
        ),
        format!(
            "about {} by January 2015 and {} by July 2015",
            figure(on("unallocated", "2015-01-01").0, 10.0),
            figure(on("unallocated", "2015-07-01").0, 10.0)
        ),
        format!(
            "spreads the July 2014 backlog from {} to {}",
            figure(july_2014.1, 10.0),
            figure(july_2014.2, 10.0)
        ),
        format!(
            "about {} cases waiting at the end ({} [{}, {}]; a median wait for allocation of {} \
             days there)",
            figure(historic, 10.0),
            figure(historic, 1.0),
            figure(lo, 1.0),
            figure(hi, 1.0),
            figure(
                estimate(&summary, "days_to_allocate_median", "historic").0,
                1.0
            )
        ),
        format!(
            "(90th percentile {} to {} days by team)",
            figure(fastest, 1.0),
            figure(slowest, 1.0)
        ),
        format!(
            "The child sexual assault median from referral to completion is {} days",
            figure(
                estimate(
                    &summary,
                    "days_to_outcome_median_child_sexual_assault",
                    "all"
                )
                .0,
                1.0
            )
        ),
        format!(
            "{:.1} MB and {} rows here",
            megabytes("monthly.csv"),
            figure(monthly_rows as f64, 1.0)
        ),
        format!("({} MB here;", figure(megabytes("timeseries.csv"), 1.0)),
        format!(
            "as typed Parquet: {} MB,",
            figure(megabytes("timeseries.parquet"), 1.0)
        ),
    ];
    // scenarios/README.md on the response: the CAITs' backlog is every team's but the
    // historic team's.
    let cait = |date: &str| on("unallocated", date).0 - historic_daily[date];
    let response = [format!(
        "the CAITs' backlog, {} in July 2014, is {} in January 2015 and {} by December 2015; \
         caseloads fall from {:.1} in January 2015 to {:.1} in December 2015; the child sexual \
         assault median from referral to completion is {} days for referrals from April 2014",
        figure(cait("2014-07-01"), 10.0),
        figure(cait("2015-01-01"), 10.0),
        match figure(cait("2015-12-01"), 1.0).as_str() {
            "0" => "none".to_string(),
            n => n.to_string(),
        },
        on("mean_caseload", "2015-01-01").0,
        on("mean_caseload", "2015-12-01").0,
        figure(
            estimate(
                &summary,
                "days_to_outcome_median_child_sexual_assault",
                "all"
            )
            .0,
            1.0
        )
    )];
    let messages: Vec<String> = [
        missing("README.md", &quoted),
        missing("scenarios/README.md", &response),
    ]
    .into_iter()
    .flatten()
    .collect();
    assert!(messages.is_empty(), "{}", messages.join("\n"));
}

/// compare.csv's all-teams rows as (option, kpi) -> (mean, paired difference, its CI).
fn compared(path: &std::path::Path) -> HashMap<(String, String), [f64; 4]> {
    read_csv(path)
        .into_iter()
        .filter(|r| r["team"] == "all")
        .map(|r| {
            let number = |c: &str| r[c].parse::<f64>().unwrap_or(f64::NAN);
            (
                (r["option"].clone(), r["kpi"].clone()),
                [
                    number("mean"),
                    number("diff_mean"),
                    number("diff_ci_lo"),
                    number("diff_ci_hi"),
                ],
            )
        })
        .collect()
}

#[test]
fn the_readme_quotes_what_the_2019_comparisons_give() {
    let dir = Dir::new("readme_figures_2019");
    let scenario = root()
        .join("scenarios/london-2019-online.toml")
        .display()
        .to_string();
    let variants = "base,no_training_package,training_all_at_once,no_dedicated_teams,as_in_2016";
    run_ok(
        &dir,
        &["compare", &scenario, "--variants", variants, "--out", "c"],
        &[],
    );
    run_ok(
        &dir,
        &[
            "compare",
            &scenario,
            "--variants",
            "base,visits_first",
            "--out",
            "v",
        ],
        &[],
    );
    let c = compared(&dir.join("c/compare.csv"));
    let v = compared(&dir.join("v/compare.csv"));
    let of = |table: &HashMap<(String, String), [f64; 4]>, option: &str, kpi: &str| {
        table[&(option.to_string(), kpi.to_string())]
    };
    let percent = |x: f64| figure(100.0 * x, 1.0);
    let visits = "share_meeting_standard";
    let within = "share_allocated_within_target";
    let package = of(&c, "no_training_package", "outcome_charge");
    let first = of(&v, "visits_first", visits);
    let quoted = [
        format!(
            "Without the dedicated teams the 7-day visit standard is met for {} % of referrals \
             against {} % with them, and {:.1} % of victims withdraw against {:.1} %;",
            percent(of(&c, "no_dedicated_teams", visits)[0]),
            percent(of(&c, "base", visits)[0]),
            100.0 * of(&c, "no_dedicated_teams", "share_withdrawn")[0],
            100.0 * of(&c, "base", "share_withdrawn")[0],
        ),
        format!(
            "lowers the share allocated within 7 days from {:.3} to {:.3}, all at once to {:.3}, \
             and brings {:.1} [{:.1}, {:.1}] more charges",
            of(&c, "no_training_package", within)[0],
            of(&c, "base", within)[0],
            of(&c, "training_all_at_once", within)[0],
            // The package's effect is the base less the option without it.
            -package[1],
            -package[3],
            -package[2],
        ),
        format!(
            "The dedicated teams lower the evidential NFA share from {:.3} to {:.3}",
            of(&c, "no_dedicated_teams", "share_outcome_nfa_evidential")[0],
            of(&c, "base", "share_outcome_nfa_evidential")[0],
        ),
        format!(
            "the 7-day visit standard is met for {} % of referrals against {} % with the same \
             officers (+{:.3} [{:.3}, {:.3}] over 20 replications;",
            percent(first[0]),
            percent(of(&v, "base", visits)[0]),
            first[1],
            first[2],
            first[3],
        ),
    ];
    if let Some(message) = missing("README.md", &quoted) {
        panic!("{message}");
    }
}
