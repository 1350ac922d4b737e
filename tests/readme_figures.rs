//! The figures README.md (and scenarios/README.md) quote about the shipped scenarios, checked
//! against fresh runs of the commands the READMEs give: the main command, the 2019
//! comparisons, and London's attribution, frontier and sweeps. Each figure is computed from the
//! run's files, written as the README writes it (rounded to the README's precision, with
//! thousands separators), and must be found in the README's text. A model change that moves a
//! figure fails here until the README says what the program now says. Timings and the
//! sensitivity screen (minutes of runs) are measured by hand.

use std::collections::HashMap;

use crate::util::{Dir, csv_rows, figure, read_csv, root, run_ok};

/// The path of the shipped scenario `file`, as an argument.
fn shipped(file: &str) -> String {
    root().join("scenarios").join(file).display().to_string()
}

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
    let scenario = shipped("london-2014-response.toml");
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
    // A case type's median days from referral to completion, all teams, to the day.
    let median_days = |case_type: &str| {
        let kpi = format!("days_to_outcome_median_{case_type}");
        figure(estimate(&summary, &kpi, "all").0, 1.0)
    };
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
            median_days("child_sexual_assault")
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
         caseloads are {:.1} in January 2015 and {:.1} in December 2015; the child sexual \
         assault median from referral to completion is {} days for referrals from April 2014",
        figure(cait("2014-07-01"), 10.0),
        figure(cait("2015-01-01"), 10.0),
        match figure(cait("2015-12-01"), 1.0).as_str() {
            "0" => "none".to_string(),
            n => n.to_string(),
        },
        on("mean_caseload", "2015-01-01").0,
        on("mean_caseload", "2015-12-01").0,
        median_days("child_sexual_assault")
    )];
    let non_recent = format!(
        "the non-recent median from referral to completion is {} days",
        median_days("non_recent_sexual_abuse")
    );
    let messages: Vec<String> = [
        missing("README.md", &quoted),
        missing("scenarios/README.md", &response),
        missing("scenarios/README.md", &[non_recent]),
    ]
    .into_iter()
    .flatten()
    .collect();
    assert!(messages.is_empty(), "{}", messages.join("\n"));
}

/// The cells `columns` of `row` as numbers (NaN where empty).
fn numbers<const N: usize>(row: &HashMap<String, String>, columns: [&str; N]) -> [f64; N] {
    columns.map(|c| row[c].parse::<f64>().unwrap_or(f64::NAN))
}

/// compare.csv's all-teams rows as (option, kpi) -> (mean, paired difference, its CI).
fn compared(path: &std::path::Path) -> HashMap<(String, String), [f64; 4]> {
    read_csv(path)
        .into_iter()
        .filter(|r| r["team"] == "all")
        .map(|r| {
            let values = numbers(&r, ["mean", "diff_mean", "diff_ci_lo", "diff_ci_hi"]);
            ((r["option"].clone(), r["kpi"].clone()), values)
        })
        .collect()
}

#[test]
fn the_readme_quotes_what_the_2019_comparisons_give() {
    let dir = Dir::new("readme_figures_2019");
    let scenario = shipped("london-2019-online.toml");
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

/// `sweep.csv`'s all-teams rows of `kpi`, in point order: (mean, ci_lo, paired difference from
/// the first point, its CI).
fn swept(path: &std::path::Path, kpi: &str) -> Vec<[f64; 5]> {
    read_csv(path)
        .into_iter()
        .filter(|r| r["kpi"] == kpi)
        .map(|r| {
            numbers(
                &r,
                ["mean", "ci_lo", "diff_mean", "diff_ci_lo", "diff_ci_hi"],
            )
        })
        .collect()
}

#[test]
fn the_readme_quotes_what_the_london_questions_give() {
    let dir = Dir::new("readme_figures_questions");
    let scenario = shipped("london-2014-response.toml");

    // attribute: each action's share of what the package buys.
    let said = run_ok(
        &dir,
        &[
            "attribute",
            &scenario,
            "--reps",
            "10",
            "--orders",
            "2",
            "--out",
            "a",
        ],
        &[],
    );
    let rows = read_csv(&dir.join("a/attribution.csv"));
    let get = |item: &str, measure: &str| {
        let row = rows
            .iter()
            .find(|r| r["kpi"] == "backlog_end" && r["item"] == item && r["measure"] == measure)
            .unwrap_or_else(|| panic!("{item} {measure} in attribution.csv"));
        let number = |c: &str| row[c].parse::<f64>().expect("a number");
        (number("mean"), number("ci_lo"), number("ci_hi"))
    };
    let effect = get("(package)", "effect");
    let shapley = |action: &str| figure(-get(action, "shapley").0, 1.0);
    let monthly = get("monthly_review", "shapley");
    assert!(
        monthly.1 <= 0.0 && monthly.2 >= 0.0,
        "the README says the monthly review buys none: {monthly:?}"
    );
    let actions = read_csv(&dir.join("a/attribution.csv"))
        .iter()
        .filter(|r| r["kpi"] == "backlog_end" && r["measure"] == "shapley")
        .count();
    let runs = said
        .split_whitespace()
        .collect::<Vec<_>>()
        .windows(3)
        .find(|w| w[1] == "runs" && w[2] == "in")
        .map(|w| w[0].to_string())
        .unwrap_or_default();
    let mut quoted = vec![
        format!("({actions} actions, {runs} runs, about"),
        format!(
            "of the {} cases fewer waiting in April 2017 [{}, {}], the extra CAIT posts of April 2015 account for {}, the select list \
         for {} and the Homicide Command transfer for {}; the monthly review for none, and losing \
         the SCO attachment alone would cost {} cases, losing the April 2015 extra staff {}.)",
            figure(-effect.0, 1.0),
            figure(-effect.2, 1.0),
            figure(-effect.1, 1.0),
            shapley("extra_cait_posts_april_2015"),
            shapley("select_list_above_limits"),
            shapley("homicide_transfer"),
            figure(-get("sco_attachment", "leave_one_out").0, 1.0),
            figure(-get("extra_staff_april_2015", "leave_one_out").0, 1.0),
        ),
    ];

    // frontier: the least SCO attachment keeping the historic queue at 100 or fewer.
    run_ok(
        &dir,
        &[
            "frontier",
            &scenario,
            "--action",
            "sco_attachment",
            "--officers",
            "1:120",
            "--months",
            "3:12",
            "--target",
            "waiting_at_2016-04-01@historic<=100",
            "--reps",
            "10",
            "--out",
            "f",
        ],
        &[],
    );
    let frontier = read_csv(&dir.join("f/frontier.csv"));
    let met: Vec<&HashMap<String, String>> = frontier
        .iter()
        .filter(|r| !r["least_officers"].is_empty())
        .collect();
    let first = met.first().expect("some duration meets the target");
    let least = frontier
        .iter()
        .find(|r| r["least"] == "true")
        .expect("a least");
    let months = |r: &HashMap<String, String>| r["months"].parse::<u32>().expect("months");
    assert!(
        frontier
            .iter()
            .all(|r| months(r) >= months(first) || r["least_officers"].is_empty()),
        "every duration before the first that meets the target meets it with none"
    );
    let cost: f64 = least["cost"].parse().expect("a cost");
    quoted.push(format!(
        "no SCO attachment of up to 120 officers for {} months or less keeps the historic team's \
         waiting list at 100 or fewer on 1 April 2016 in 80 % of replications; {} officers for {} \
         months do, and the least is {} officers for {} months ({} officer-months, £{:.2} million",
        months(first) - 1,
        first["least_officers"],
        months(first),
        least["least_officers"],
        least["months"],
        least["officer_months"],
        cost / 1e6
    ));

    // sweep: the Homicide transfer's officers, then its start.
    let sweep = |param: &str, reps: &str, out: &str| {
        run_ok(
            &dir,
            &[
                "sweep",
                &scenario,
                "--variant",
                "only_homicide_transfer",
                "--param",
                param,
                "--reps",
                reps,
                "--kpi",
                "backlog_end",
                "--out",
                out,
            ],
            &[],
        );
        swept(&dir.join(out).join("sweep.csv"), "backlog_end")
    };
    let officers = sweep("actions.homicide_transfer.officers=8:64:8", "20", "o");
    let starts = sweep(
        "actions.homicide_transfer.start=2014-01-01:2015-01-01:3months",
        "6",
        "s",
    );
    let steps: Vec<f64> = officers.windows(2).map(|w| w[0][0] - w[1][0]).collect();
    let fewest = steps.iter().copied().fold(f64::INFINITY, f64::min);
    let most = steps.iter().copied().fold(0.0, f64::max);
    let (earliest, latest) = (starts[0][0], starts[starts.len() - 1][0]);
    let last = officers[officers.len() - 1];
    quoted.push(format!(
        "the backlog in April 2017 falls by {} to {} cases for every 8 more officers transferred; \
         moving the transfer's start from January 2014 to January 2015 adds about {} cases a \
         quarter, {} to {} with 6 replications). Each point is also given less the first (or \
         `--reference V`), paired by replication: the first point's own interval is +-{} cases, \
         while 16 officers against 8 is {} [{}, {}] and 64 against 8 is {} [{}, {}]",
        figure(fewest, 50.0),
        figure(most, 50.0),
        figure((latest - earliest) / (starts.len() - 1) as f64, 50.0),
        figure(earliest, 1.0),
        figure(latest, 1.0),
        figure(officers[0][0] - officers[0][1], 100.0),
        figure(officers[1][2], 1.0),
        figure(officers[1][3], 1.0),
        figure(officers[1][4], 1.0),
        figure(last[2], 1.0),
        figure(last[3], 1.0),
        figure(last[4], 1.0),
    ));
    if let Some(message) = missing("README.md", &quoted) {
        panic!("{message}");
    }
}

#[test]
fn scenarios_readme_quotes_what_the_attachment_as_meant_gives() {
    let dir = Dir::new("readme_figures_attachment");
    let scenario = shipped("london-2014-response.toml");
    run_ok(
        &dir,
        &[
            "compare",
            &scenario,
            "--variants",
            "base,sco_attachment_as_meant",
            "--reps",
            "6",
            "--out",
            "c",
        ],
        &[],
    );
    let rows = read_csv(&dir.join("c/compare.csv"));
    let historic = |option: &str| {
        rows.iter()
            .find(|r| r["option"] == option && r["kpi"] == "backlog_end" && r["team"] == "historic")
            .unwrap_or_else(|| panic!("{option}'s historic backlog in compare.csv"))
    };
    let number = |r: &HashMap<String, String>, c: &str| r[c].parse::<f64>().expect("a number");
    let meant = historic("sco_attachment_as_meant");
    let quoted = [format!(
        "over 6 replications the historic team's backlog at the end is {} against {} as written \
         (paired difference {} [{}, {}])",
        figure(number(meant, "mean"), 1.0),
        figure(number(historic("base"), "mean"), 1.0),
        figure(number(meant, "diff_mean"), 1.0),
        figure(number(meant, "diff_ci_lo"), 1.0),
        figure(number(meant, "diff_ci_hi"), 1.0),
    )];
    if let Some(message) = missing("scenarios/README.md", &quoted) {
        panic!("{message}");
    }
}
