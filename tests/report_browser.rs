//! `report.html` opened in a real browser: Debian's Chromium, headless and offline
//! (`scripts/install-chromium.sh`; `.ci/run` runs these with `--ignored`). For each kind of
//! report made from the shipped scenarios and data: no console message, no network request
//! beyond the browser's own, a screenshot that is not blank, the headline numbers in the page
//! equal to the folder's tables, and an A4 PDF print of a sensible number of pages. And text
//! from a scenario (a team name, a description) carrying `<script>`, quotes and `</svg>` is
//! shown as text and runs nothing.

use crate::util;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use util::{Dir, caseload_in, read_csv, root, run_ok, stderr};

const CHROMIUM: &str = "/usr/bin/chromium";

/// Runs headless Chromium on `page` with `extra` arguments and a fresh profile; returns its
/// stdout and stderr.
fn chromium(dir: &Dir, name: &str, page: &Path, extra: &[String]) -> (String, String) {
    let profile = dir.join(&format!("profile-{name}"));
    let mut command = Command::new(CHROMIUM);
    command.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        "--enable-logging=stderr",
        "--v=0",
    ]);
    command.arg(format!("--user-data-dir={}", profile.display()));
    command.args(extra);
    command.arg(format!("file://{}", page.display()));
    let out = command.output().expect("Chromium runs");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Hosts of the http(s) requests in a Chromium net log.
fn hosts(net_log: &Path) -> BTreeSet<String> {
    let text = std::fs::read_to_string(net_log).unwrap_or_default();
    text.split("\"url\":\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|url| url.starts_with("http://") || url.starts_with("https://"))
        .filter_map(|url| url.split('/').nth(2).map(str::to_string))
        .collect()
}

/// Pages of a PDF file.
fn pdf_pages(pdf: &Path) -> usize {
    let bytes = std::fs::read(pdf).expect("the PDF");
    let text = String::from_utf8_lossy(&bytes);
    text.matches("/Type /Page").count() - text.matches("/Type /Pages").count()
        + text.matches("/Type/Page").count()
        - text.matches("/Type/Pages").count()
}

/// Distinct colours in a PNG screenshot.
fn colours(png: &Path) -> usize {
    let decoder = png::Decoder::new(std::fs::File::open(png).expect("the screenshot"));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut buffer = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buffer).expect("a frame");
    let bytes = &buffer[..info.buffer_size()];
    let step = info.color_type.samples();
    bytes
        .chunks(step)
        .map(|p| p.iter().take(3).copied().collect::<Vec<u8>>())
        .collect::<BTreeSet<_>>()
        .len()
}

/// The `data-value` of every cell the page marks with `data-kpi` and `data-team`.
fn marked_values(dom: &str) -> Vec<(String, String, String)> {
    let attribute = |cell: &str, name: &str| -> Option<String> {
        let start = cell.find(&format!("{name}=\""))? + name.len() + 2;
        Some(cell[start..].split('"').next()?.to_string())
    };
    dom.split("<td ")
        .skip(1)
        .filter_map(|cell| {
            let cell = cell.split('>').next()?;
            Some((
                attribute(cell, "data-kpi")?,
                attribute(cell, "data-team")?,
                attribute(cell, "data-value")?,
            ))
        })
        .collect()
}

/// Opens `folder/report.html` and checks what every report must hold; returns the DOM.
fn check_report(dir: &Dir, folder: &Path, min_pages: usize) -> String {
    let page = folder.join("report.html");
    assert!(page.exists(), "{} written", page.display());
    let name = folder
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let blank_log = dir.join(&format!("{name}-blank.json"));
    let blank = dir.write(
        &format!("{name}-blank.html"),
        "<!DOCTYPE html><title>b</title>",
    );
    chromium(
        dir,
        &format!("{name}-blank"),
        &blank,
        &[
            format!("--log-net-log={}", blank_log.display()),
            "--dump-dom".into(),
        ],
    );
    let net_log = dir.join(&format!("{name}-net.json"));
    let (dom, log) = chromium(
        dir,
        &format!("{name}-dom"),
        &page,
        &[
            format!("--log-net-log={}", net_log.display()),
            "--dump-dom".into(),
        ],
    );
    assert!(dom.contains("</html>"), "{name}: the page loads: {log}");
    let console: Vec<&str> = log.lines().filter(|l| l.contains("CONSOLE")).collect();
    assert!(console.is_empty(), "{name}: console messages {console:?}");
    let extra: Vec<String> = hosts(&net_log)
        .difference(&hosts(&blank_log))
        .cloned()
        .collect();
    assert!(extra.is_empty(), "{name}: requests to {extra:?}");

    let shot = dir.join(&format!("{name}.png"));
    chromium(
        dir,
        &format!("{name}-shot"),
        &page,
        &[
            format!("--screenshot={}", shot.display()),
            "--window-size=1100,1600".into(),
        ],
    );
    let distinct = colours(&shot);
    assert!(distinct > 50, "{name}: a screenshot of {distinct} colours");

    let pdf = dir.join(&format!("{name}.pdf"));
    chromium(
        dir,
        &format!("{name}-pdf"),
        &page,
        &[
            format!("--print-to-pdf={}", pdf.display()),
            "--no-pdf-header-footer".into(),
        ],
    );
    let pages = pdf_pages(&pdf);
    assert!(
        (min_pages..=60).contains(&pages),
        "{name}: {pages} A4 pages"
    );
    dom
}

/// Every headline value the page marks equals the table's, and the run's main ones are there.
fn headline_matches(dom: &str, table: &[std::collections::HashMap<String, String>], keys: &[&str]) {
    let marked = marked_values(dom);
    assert!(!marked.is_empty(), "the page marks its numbers");
    for (kpi, team, value) in &marked {
        let row = table
            .iter()
            .find(|r| &r["kpi"] == kpi && &r["team"] == team && &r["mean"] == value);
        assert!(row.is_some(), "{kpi}@{team} = {value} is in the table");
    }
    for key in keys {
        assert!(
            marked.iter().any(|(k, t, _)| k == key && t == "all"),
            "{key} is in the page"
        );
    }
}

fn scenario(name: &str) -> String {
    root().join("scenarios").join(name).display().to_string()
}

fn data(name: &str) -> String {
    root().join("data").join(name).display().to_string()
}

#[test]
#[ignore = "needs Chromium: scripts/install-chromium.sh, run by .ci/run"]
fn run_and_compare_reports_open_offline_and_show_the_tables_numbers() {
    let dir = Dir::new("report_browser_run");
    let london = scenario("london-2014-response.toml");
    run_ok(
        &dir,
        &["run", &london, "--reps", "2", "--out", "run", "--report"],
        &[],
    );
    let dom = check_report(&dir, &dir.join("run"), 2);
    let summary = read_csv(&dir.join("run/summary.csv"));
    headline_matches(
        &dom,
        &summary,
        &[
            "backlog_end",
            "days_to_allocate_median",
            "days_to_allocate_p90",
        ],
    );
    // The scenario's own question, answered measure by measure, and where the cases wait.
    assert!(
        dom.contains("How many cases are left waiting for an officer, where"),
        "the scenario's question"
    );
    assert!(dom.contains("Unallocated cases at the end:"), "the answer");
    // A headline measure of one team says which: never two lines that read alike.
    assert!(
        dom.contains("Unallocated cases at the end, team historic:"),
        "the historic team's line named"
    );
    assert!(dom.contains("Team by team"), "where the cases are");
    assert!(
        dom.contains("homicide_transfer"),
        "the actions' names as written"
    );

    run_ok(
        &dir,
        &[
            "compare",
            &london,
            "--variants",
            "base,no_response,only_homicide_transfer",
            "--reps",
            "2",
            "--out",
            "compare",
            "--report",
        ],
        &[],
    );
    let dom = check_report(&dir, &dir.join("compare"), 2);
    let compared = read_csv(&dir.join("compare/compare.csv"));
    headline_matches(
        &dom,
        &compared,
        &["backlog_end", "share_allocated_within_target", "cost"],
    );
    assert!(
        dom.contains("is best on unallocated cases at the end (smaller is better)"),
        "the answer"
    );
    // A share allocated in time, larger is better: ranked largest first.
    let section = &dom[dom
        .find("share_allocated_within_target</code> (")
        .expect("the share's section")..];
    assert!(section.contains("largest first"), "{section}");
    // Each option's cost against the baseline sits beside its effect, as compare.csv has it
    // (the file shows money in GBP m, to two decimals).
    for option in ["no_response", "only_homicide_transfer"] {
        let diff: f64 = compared
            .iter()
            .find(|r| r["option"] == option && r["kpi"] == "cost" && r["team"] == "all")
            .and_then(|r| r["diff_mean"].parse().ok())
            .expect("the option's cost difference");
        let cell = dom
            .split(&format!("data-cost-option=\"{option}\">"))
            .nth(1)
            .and_then(|c| c.split("<br>").next())
            .expect("a cost cell");
        let shown: f64 = cell.replace(',', "").parse().expect("a number");
        assert!(
            (shown * 1e6 - diff).abs() <= 0.005e6,
            "{option}: {cell} against {diff}"
        );
    }
    assert!(dom.contains("What each option buys"), "the priced table");
    let priced = read_csv(&dir.join("compare/cost_effectiveness.csv"));
    assert_eq!(priced.len(), 2, "two options priced on the backlog");

    // The 2019 file's own question: the visit standard, withdrawal and NFA lead its report.
    run_ok(
        &dir,
        &[
            "run",
            &scenario("london-2019-online.toml"),
            "--reps",
            "2",
            "--out",
            "r19",
            "--report",
        ],
        &[],
    );
    let dom = check_report(&dir, &dir.join("r19"), 2);
    let answer = &dom[dom.find("class=\"answer\"").expect("an answer")..];
    let answer = &answer[..answer.find("</div>").unwrap_or(answer.len())];
    for words in [
        "standard",
        "withdrew support",
        "no further action for evidential difficulties",
    ] {
        assert!(
            answer.contains(words),
            "`{words}` in the 2019 answer: {answer}"
        );
    }

    // `caseload report` writes the same page from the folder alone, and never silently over
    // an existing one.
    let again = caseload_in(&dir.path, &["report", "run"], &[]);
    assert!(!again.status.success());
    assert!(stderr(&again).contains("--force"), "{}", stderr(&again));
    run_ok(&dir, &["report", "run", "--force"], &[]);
    check_report(&dir, &dir.join("run"), 2);
}

#[test]
#[ignore = "needs Chromium: scripts/install-chromium.sh, run by .ci/run"]
fn sweep_optimise_backtest_fit_and_attribute_reports_open_offline() {
    let dir = Dir::new("report_browser_others");
    let mmc = scenario("validation/mmc.toml");
    run_ok(
        &dir,
        &[
            "sweep",
            &mmc,
            "--param",
            "teams.cait.establishment=9:12:1",
            "--reps",
            "2",
            "--kpi",
            "days_to_allocate_mean",
            "--out",
            "sweep",
            "--report",
        ],
        &[],
    );
    check_report(&dir, &dir.join("sweep"), 1);
    run_ok(
        &dir,
        &[
            "optimise",
            &mmc,
            "--lever",
            "teams.cait.establishment",
            "--target",
            "days_to_allocate_mean<=0.5",
            "--min",
            "9",
            "--max",
            "14",
            "--reps",
            "2",
            "--confidence",
            "0.5",
            "--out",
            "optimise",
            "--report",
        ],
        &[],
    );
    check_report(&dir, &dir.join("optimise"), 1);
    run_ok(
        &dir,
        &[
            "backtest",
            &scenario("london-2014.toml"),
            &data("london-observed.csv"),
            "--reps",
            "2",
            "--out",
            "backtest",
            "--report",
        ],
        &[],
    );
    check_report(&dir, &dir.join("backtest"), 1);
    run_ok(
        &dir,
        &[
            "fit",
            &data("london-serious-sexual.csv"),
            "--out",
            "fit",
            "--report",
        ],
        &[],
    );
    let dom = check_report(&dir, &dir.join("fit"), 1);
    assert!(dom.contains("serious_sexual"), "the counts as read");
    run_ok(
        &dir,
        &[
            "attribute",
            &root().join("tests/golden/tiny.toml").display().to_string(),
            "--out",
            "attribute",
            "--report",
        ],
        &[],
    );
    let dom = check_report(&dir, &dir.join("attribute"), 1);
    assert!(dom.contains("transfer_in"), "the action attributed");
}

#[test]
#[ignore = "needs Chromium: scripts/install-chromium.sh, run by .ci/run"]
fn markup_in_a_scenario_is_shown_as_text_and_runs_nothing() {
    let dir = Dir::new("report_browser_escape");
    let attack = "</svg><script>document.title='pwned'</script>\\\"'";
    let text = std::fs::read_to_string(root().join("tests/golden/tiny.toml"))
        .expect("the tiny scenario")
        .replace(
            "name = \"tiny\"\n",
            &format!("name = \"tiny\"\ndescription = \"about {attack}\"\n"),
        )
        .replace("[teams.north]", &format!("[teams.\"north{attack}\"]"))
        .replace("team = \"north\"", &format!("team = \"north{attack}\""))
        .replace(
            "[variants.no_transfer]",
            &format!("[variants.no_transfer]\ndescription = \"variant {attack}\""),
        );
    dir.write("attack.toml", &text);
    // A variant's name names a folder, so markup there is refused before anything runs.
    let named = text.replace("[variants.no_transfer]", "[variants.\"v<script>\"]");
    dir.write("named.toml", &named);
    let refused = caseload_in(&dir.path, &["run", "named.toml", "--out", "named"], &[]);
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("cannot name a results folder"),
        "{}",
        stderr(&refused)
    );
    run_ok(
        &dir,
        &[
            "run",
            "attack.toml",
            "--variant",
            "no_transfer",
            "--out",
            "out",
            "--report",
        ],
        &[],
    );
    let dom = check_report(&dir, &dir.join("out"), 1);
    let shown = "&lt;/svg&gt;&lt;script&gt;document.title='pwned'&lt;/script&gt;\"'";
    assert!(!dom.contains("pwned</title>"), "no script ran");
    assert!(!dom.to_lowercase().contains("<script"), "no script element");
    for context in ["north", "about ", "variant "] {
        assert!(
            dom.contains(&format!("{context}{shown}")),
            "`{context}` and the markup shown as text"
        );
    }
}
