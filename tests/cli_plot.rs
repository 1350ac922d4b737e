//! End-to-end: `caseload plot` redraws a folder's charts from its own tables: the same
//! charts the run drew (to a pixel: the tables keep four decimals), the report rewritten,
//! the actions marked from the folder's manifest even once the scenario file is gone (and
//! unmarked, saying why, in a folder whose manifest does not record them), and a clear refusal
//! for a folder without charts.

use crate::util;

use util::{Dir, caseload_in, root, run_ok, stderr};

/// The integers in `line`, in order.
fn integers(line: &str) -> Vec<i64> {
    line.split(|c: char| !c.is_ascii_digit() && c != '-')
        .filter_map(|t| t.parse().ok())
        .collect()
}

/// Whether two SVG texts draw the same, up to `pixels` in any coordinate.
fn same_drawing(a: &str, b: &str, pixels: i64) -> bool {
    let (a, b): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    a.len() == b.len()
        && a.iter().zip(&b).all(|(x, y)| {
            let (p, q) = (integers(x), integers(y));
            x.split(' ').next() == y.split(' ').next()
                && p.len() == q.len()
                && p.iter().zip(&q).all(|(u, v)| (u - v).abs() <= pixels)
        })
}

#[test]
fn plot_redraws_the_charts_a_run_drew_from_its_tables() {
    let dir = Dir::new("plot");
    let scenario = dir.write(
        "tiny.toml",
        std::fs::read(root().join("tests/golden/tiny.toml")).expect("the tiny scenario"),
    );
    run_ok(&dir, &["run", "tiny.toml", "--out", "out", "--report"], &[]);
    let out = dir.join("out");
    let charts = [
        "backlog",
        "caseload",
        "officers",
        "waiting_age",
        "cost",
        "backlog_by_team",
    ];
    let drawn: Vec<String> = charts
        .iter()
        .map(|c| std::fs::read_to_string(out.join(format!("{c}.svg"))).expect("drawn"))
        .collect();
    for c in charts {
        std::fs::remove_file(out.join(format!("{c}.png"))).expect("removed");
    }
    std::fs::remove_file(out.join("report.html")).expect("removed");
    std::fs::write(out.join("report.html"), "stale").expect("written");
    let text = run_ok(&dir, &["plot", "out"], &[]);
    assert!(text.contains("redrew backlog.png"), "{text}");
    assert!(text.contains("rewrote report.html"), "{text}");
    for (c, before) in charts.iter().zip(&drawn) {
        assert!(out.join(format!("{c}.png")).exists(), "{c}.png redrawn");
        let after = std::fs::read_to_string(out.join(format!("{c}.svg"))).expect("redrawn");
        assert!(
            same_drawing(before, &after, 1),
            "{c}.svg drawn again the same"
        );
    }
    let report = std::fs::read_to_string(out.join("report.html")).expect("the report");
    assert!(
        report.contains("<svg"),
        "the report rewritten with its charts"
    );
    let svg = std::fs::read_to_string(out.join("backlog.svg")).expect("redrawn");
    assert!(
        svg.contains("transfer_in"),
        "the action marked, by its name as written"
    );
    assert!(
        std::fs::read_dir(&out).expect("the folder").all(|e| !e
            .expect("an entry")
            .file_name()
            .to_string_lossy()
            .contains("partial")),
        "no partial folder left"
    );

    // The scenario file gone: the actions are still marked, from the manifest.
    std::fs::remove_file(&scenario).expect("removed");
    let text = run_ok(&dir, &["plot", "out"], &[]);
    assert!(!text.contains("not marked"), "{text}");
    let svg = std::fs::read_to_string(out.join("backlog.svg")).expect("redrawn");
    assert!(svg.contains("transfer_in"), "marked without the scenario");
    let report = std::fs::read_to_string(out.join("report.html")).expect("the report");
    assert!(
        report.contains("officers = 2") && !report.contains("keeps no copy"),
        "the scenario as written shown from the folder's copy"
    );

    // A manifest that does not record them (an older folder): drawn unmarked, and it says so.
    let manifest = out.join("manifest.json");
    let mut json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&manifest).expect("the manifest"))
            .expect("json");
    json.as_object_mut().expect("an object").remove("markers");
    std::fs::write(&manifest, json.to_string()).expect("written");
    let text = run_ok(&dir, &["plot", "out"], &[]);
    assert!(
        text.contains("staffing actions not marked: the folder's manifest does not record them"),
        "{text}"
    );
    let svg = std::fs::read_to_string(out.join("backlog.svg")).expect("redrawn");
    assert!(!svg.contains("transfer_in"), "no action marked");

    let none = caseload_in(&dir.path, &["plot", "missing"], &[]);
    assert!(!none.status.success());
    assert!(stderr(&none).contains("missing"), "{}", stderr(&none));
}

#[test]
fn the_decision_period_and_the_team_scales_are_the_scenarios_and_plot_keeps_them() {
    let dir = Dir::new("plot_period");
    let tiny =
        std::fs::read_to_string(root().join("tests/golden/tiny.toml")).expect("the tiny scenario");
    dir.write("shared.toml", tiny.clone());
    run_ok(&dir, &["run", "shared.toml", "--out", "shared"], &[]);
    let teams = std::fs::read_to_string(dir.join("shared/backlog_by_team.svg")).expect("drawn");
    assert!(
        teams.contains("one scale for every panel"),
        "shared by default"
    );
    let backlog = std::fs::read_to_string(dir.join("shared/backlog.svg")).expect("drawn");
    assert!(backlog.contains("ticks on the first of the month"));

    dir.write(
        "own.toml",
        tiny.replace(
            "[kpi]",
            "[report]\nperiod = [2014-04-10, 2014-05-11]\nown_scales = true\n\n[kpi]",
        ),
    );
    run_ok(&dir, &["run", "own.toml", "--out", "own"], &[]);
    let read = |chart: &str| {
        std::fs::read_to_string(dir.join(&format!("own/{chart}.svg"))).expect("drawn")
    };
    let (teams, backlog) = (read("backlog_by_team"), read("backlog"));
    assert!(
        teams.contains("each panel on its own scale"),
        "own scales asked"
    );
    // From 10 April: May's tick, not April's, and the warm-up (5 days) left out with its key.
    assert!(backlog.contains("May 2014"), "the period's first month");
    assert!(
        !backlog.contains("Apr 2014"),
        "the days before the period left out"
    );
    assert!(
        !backlog.contains("warm-up to"),
        "no warm-up inside the period"
    );
    let whole = std::fs::read_to_string(dir.join("shared/backlog.svg")).expect("drawn");
    assert!(whole.contains("Apr 2014") && whole.contains("warm-up to"));
    // `plot` draws them again the same from the folder's manifest.
    run_ok(&dir, &["plot", "own"], &[]);
    assert!(
        same_drawing(&backlog, &read("backlog"), 1),
        "redrawn the same"
    );
    assert!(read("backlog_by_team").contains("each panel on its own scale"));
}
