//! End-to-end: `caseload fit` on a counts file writes the demand blocks, estimates, the fan
//! and charts; the demand block it writes runs as a scenario's demand; bad files are refused
//! with their line and nothing is written.

use crate::util;

use util::{Dir, caseload_in, read_csv, run_ok, stderr};

/// Six years of monthly counts from April 2009 with a known shape: 100 a month in April
/// 2009, +6 % a year, 20 % more in July, 20 % fewer in December, no noise.
fn counts() -> String {
    let mut text = String::from("period_start,case_type,count\n");
    for i in 0..72u32 {
        let (year, month) = (2009 + (i + 3) / 12, (i + 3) % 12 + 1);
        let season = match month {
            7 => 1.2,
            12 => 0.8,
            _ => 1.0,
        };
        let count = (100.0 * 1.06f64.powf(f64::from(i) / 12.0) * season).round();
        text.push_str(&format!("{year}-{month:02}-01,referral,{count}\n"));
    }
    text
}

#[test]
fn fit_writes_demand_blocks_estimates_and_charts_and_refuses_bad_files() {
    let dir = Dir::new("fit");
    dir.write("counts.csv", counts());
    let text = run_ok(&dir, &["fit", "counts.csv", "--out", "out"], &[]);
    assert!(text.contains("referral (72 periods)"), "{text}");
    let out = dir.join("out");
    for file in [
        "fit.csv",
        "demand.toml",
        "fan.csv",
        "manifest.json",
        "fit_referral.png",
    ] {
        assert!(out.join(file).exists(), "{file} written");
    }
    let rows = read_csv(&out.join("fit.csv"));
    let growth = rows
        .iter()
        .find(|r| r["parameter"] == "annual_growth")
        .expect("a growth row");
    let g: f64 = growth["estimate"].parse().expect("a number");
    assert!((g - 0.06).abs() < 0.005, "growth {g}");
    let july = rows
        .iter()
        .find(|r| r["parameter"] == "seasonality_07")
        .expect("July");
    let december = rows
        .iter()
        .find(|r| r["parameter"] == "seasonality_12")
        .expect("December");
    let (j, d): (f64, f64) = (
        july["estimate"].parse().expect("a number"),
        december["estimate"].parse().expect("a number"),
    );
    assert!((j / d - 1.5).abs() < 0.05, "July / December {j} / {d}");
    // The demand block is valid scenario TOML: a scenario using it validates.
    let demand = std::fs::read_to_string(out.join("demand.toml")).expect("demand.toml");
    let block = demand
        .lines()
        .find(|l| l.starts_with("demand = "))
        .expect("a demand line");
    dir.write(
        "fitted.toml",
        format!(
            "[scenario]\nstart = 2009-04-01\nend = 2012-04-01\n\n[teams.cait]\nestablishment = 10\n\
             caseload_cap = 5\ncontracted_hours_per_year = 1460\n\n[case_types.referral]\n\
             team = \"cait\"\npriority = 1\n{block}\nstages = [{{ work = {{ dist = \"exponential\", mean = 6 }} }}]\n"
        ),
    );
    run_ok(&dir, &["validate", "fitted.toml"], &[]);
    let fan = read_csv(&out.join("fan.csv"));
    assert_eq!(fan.len(), 72 + 24, "the counts and two years ahead");

    // Results are never overwritten silently.
    let again = caseload_in(&dir.join(""), &["fit", "counts.csv", "--out", "out"], &[]);
    assert!(!again.status.success());
    assert!(stderr(&again).contains("--force"), "{}", stderr(&again));

    // A bad file: the line and what was expected; no folder.
    dir.write(
        "bad.csv",
        "period_start,case_type,count\n2009-04-01,referral,4\n2009-05-01,referral,-1\n",
    );
    let bad = caseload_in(&dir.join(""), &["fit", "bad.csv", "--out", "bad"], &[]);
    assert!(!bad.status.success());
    let message = stderr(&bad);
    assert!(
        message.contains("bad.csv:3: count `-1`: expected a whole number"),
        "{message}"
    );
    assert!(!dir.join("bad").exists(), "nothing written");
}

/// The London scenarios' serious sexual demand is what `caseload fit` makes of the shipped
/// counts, as their comments and the README say: the three types' rates add up to the fitted
/// total, and growth, step and uncertainty are the fit's.
#[test]
fn the_london_serious_sexual_demand_is_the_fit_of_the_shipped_counts() {
    let dir = Dir::new("fit_london");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let counts = root.join("data/london-serious-sexual.csv");
    run_ok(
        &dir,
        &[
            "fit",
            &counts.display().to_string(),
            "--start",
            "2009-04-01",
            "--change",
            "2012-12-01",
            "--out",
            "out",
        ],
        &[],
    );
    let blocks: toml::Table = std::fs::read_to_string(dir.join("out/demand.toml"))
        .expect("demand.toml")
        .parse()
        .expect("TOML");
    let fitted = blocks["demand"].as_table().expect("a demand block");
    let number = |t: &toml::Table, key: &str| -> f64 {
        t[key]
            .as_float()
            .or_else(|| t[key].as_integer().map(|i| i as f64))
            .expect(key)
    };
    let step = |t: &toml::Table| -> f64 {
        let steps = t["steps"].as_array().expect("steps");
        number(steps[0].as_table().expect("a step"), "multiplier")
    };
    let fitted_uncertainty = fitted["uncertainty"].as_table().expect("uncertainty");
    for file in ["london-2014.toml", "london-2014-response.toml"] {
        let source = caseload_scenario::ScenarioSource::read(&root.join("scenarios").join(file))
            .expect("the scenario");
        let mut total = 0.0;
        for case_type in [
            "child_rape",
            "child_sexual_assault",
            "non_recent_sexual_abuse",
        ] {
            let path =
                caseload_scenario::FieldPath::parse(&format!("case_types.{case_type}.demand"))
                    .expect("a path");
            let demand = source.value_at(&path).expect("a demand");
            let demand = demand.as_table().expect("a table");
            total += number(demand, "annual_rate");
            assert_eq!(
                number(demand, "annual_growth"),
                number(fitted, "annual_growth"),
                "{file} {case_type}"
            );
            assert_eq!(step(demand), step(fitted), "{file} {case_type}");
            let u = demand["uncertainty"].as_table().expect("uncertainty");
            for key in ["rate_log_sd", "growth_log_sd", "correlation"] {
                assert_eq!(
                    number(u, key),
                    number(fitted_uncertainty, key),
                    "{file} {case_type} {key}"
                );
            }
            assert_eq!(u["series"].as_str(), Some("serious_sexual"));
        }
        let rate = number(fitted, "annual_rate");
        assert!(
            (total - rate).abs() < 0.15,
            "{file}: the types add up to {total}, the fit gives {rate}"
        );
    }
}

/// The counts file agrees with the public figures it is made from: 2013/14 as observed,
/// 2009/10 as 2013/14 less the 34 % rise, 2012/13 a rise of more than 10 % before 2013/14.
#[test]
fn the_london_counts_agree_with_the_public_figures() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let figures = read_csv(&root.join("data/london-public-figures.csv"));
    let counts = read_csv(&root.join("data/london-serious-sexual.csv"));
    let figure = |name: &str, from: &str| -> f64 {
        figures
            .iter()
            .find(|r| r["figure"] == name && r["from"] == from)
            .unwrap_or_else(|| panic!("{name} from {from}"))["value"]
            .parse()
            .expect("a number")
    };
    let count = |start: &str| -> f64 {
        counts
            .iter()
            .find(|r| r["period_start"] == start)
            .unwrap_or_else(|| panic!("a count from {start}"))["count"]
            .parse()
            .expect("a number")
    };
    for r in &figures {
        assert!(
            r["basis"].starts_with("observed"),
            "{}: every figure here is observed",
            r["figure"]
        );
    }
    let latest = figure("serious_sexual_allegations", "2013-04-01");
    assert_eq!(count("2013-04-01"), latest);
    let rise = figure("serious_sexual_allegations_rise", "2009-04-01");
    assert!((count("2009-04-01") * (1.0 + rise) - latest).abs() < 1.0);
    let last_year = figure("serious_sexual_allegations_rise", "2012-04-01");
    assert!(latest / count("2012-04-01") - 1.0 > last_year);
}
