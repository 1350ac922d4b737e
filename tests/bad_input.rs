//! Bad input: each malformed scenario gets exit code 2, a short message naming the file, the
//! line and the problem, and no output folder.

use crate::util;

use util::{Dir, caseload_in, fails, stderr};

const VALID: &str = r#"[scenario]
start = 2014-04-01
end = 2015-04-01
replications = 2

[teams.cait]
establishment = 10
caseload_cap = 12
contracted_hours_per_year = 1460

[teams.historic]
establishment = 2
caseload_cap = 12
contracted_hours_per_year = 1460

[case_types.child_sexual_assault]
team = "cait"
priority = 1
historic_share = 0.25
demand = { annual_rate = 300, annual_growth = 0.08 }
stages = [
    { work = { dist = "lognormal", mean = 40, cv = 0.8 } },
    { wait = { dist = "exponential", mean = 60 } },
]

[actions.homicide_transfer]
kind = "transfer"
team = "cait"
start = 2014-07-01
officers = 2

[variants.no_transfer]
actions = []
"#;

/// One malformed scenario: its text, a phrase the message must contain, and the line it must
/// name (if the problem has a place in the file).
struct Case {
    name: &'static str,
    text: Vec<u8>,
    phrase: &'static str,
    line: Option<usize>,
}

fn replaced(from: &str, to: &str) -> Vec<u8> {
    assert!(VALID.contains(from), "the base scenario contains {from:?}");
    VALID.replacen(from, to, 1).into_bytes()
}

fn cases() -> Vec<Case> {
    let case = |name, text, phrase, line| Case {
        name,
        text,
        phrase,
        line,
    };
    let mut huge = VALID.as_bytes().to_vec();
    huge.extend(std::iter::repeat_n(b'#', 5 * 1024 * 1024));
    vec![
        case(
            "syntax_unclosed_table",
            replaced("[teams.cait]", "[teams.cait"),
            "invalid TOML",
            Some(6),
        ),
        case(
            "syntax_bad_value",
            replaced("establishment = 10", "establishment = 10 10"),
            "invalid TOML",
            Some(7),
        ),
        case(
            "duplicate_key",
            replaced(
                "caseload_cap = 12\n",
                "caseload_cap = 12\ncaseload_cap = 13\n",
            ),
            "invalid TOML",
            Some(9),
        ),
        case(
            "unknown_team_field",
            replaced("caseload_cap = 12\n", "caseload_cap = 12\nstrenght = 9\n"),
            "did you mean `strength`",
            Some(9),
        ),
        case(
            "unknown_table",
            replaced("[teams.historic]", "[teem.historic]"),
            "did you mean `teams`",
            Some(11),
        ),
        case(
            "wait_step_ending_before_it_starts",
            replaced(
                "historic_share = 0.25\n",
                "historic_share = 0.25\nwait_steps = [{ start = 2014-09-01, end = 2014-08-01, multiplier = 1.5 }]\n",
            ),
            "the step ends on or before its start",
            Some(20),
        ),
        case(
            "shared_courses_that_differ",
            replaced(
                "[teams.historic]\n",
                "new_starters = { course_days = 14, ramp_up_days = 90, ramp_up_productivity = 0.5, course_places = 16, shared_course = true }\n\n[teams.historic]\nnew_starters = { course_days = 14, ramp_up_days = 90, ramp_up_productivity = 0.5, course_places = 8, shared_course = true }\n",
            ),
            "every team sharing the course gives the same course_days and course_places",
            None,
        ),
        case(
            "unknown_action_field",
            replaced("officers = 2", "oficers = 2"),
            "did you mean `officers`",
            Some(30),
        ),
        case(
            "wrong_type",
            replaced("caseload_cap = 12", "caseload_cap = \"twelve\""),
            "expected a whole number",
            Some(8),
        ),
        case(
            "negative_rate",
            replaced("annual_rate = 300", "annual_rate = -5"),
            "expected a number >= 0",
            Some(20),
        ),
        case(
            "kpi_date_after_the_end",
            replaced(
                "replications = 2\n",
                "replications = 2\n\n[kpi]\ndates = [2016-01-01]\n",
            ),
            "outside the KPI period",
            Some(7),
        ),
        case(
            "kpi_dates_out_of_order",
            replaced(
                "replications = 2\n",
                "replications = 2\n\n[kpi]\ndates = [2014-09-01, 2014-06-01]\n",
            ),
            "ascending order",
            Some(7),
        ),
        case(
            "share_above_one",
            replaced("historic_share = 0.25", "historic_share = 1.5"),
            "share between 0 and 1",
            Some(19),
        ),
        case(
            "abstraction_above_one",
            replaced(
                "contracted_hours_per_year = 1460\n\n[teams.historic]",
                "contracted_hours_per_year = 1460\nabstraction = 2\n\n[teams.historic]",
            ),
            "share between 0 and 1",
            Some(10),
        ),
        case(
            "scenario_ends_before_start",
            replaced("end = 2015-04-01", "end = 2014-01-01"),
            "on or before its start",
            Some(3),
        ),
        case(
            "action_ends_before_start",
            replaced("officers = 2", "officers = 2\nend = 2014-06-01"),
            "ends on or before its start",
            Some(31),
        ),
        case(
            "impossible_date",
            replaced("start = 2014-07-01", "start = 2014-02-30"),
            "invalid TOML",
            Some(29),
        ),
        case(
            "quoted_date",
            replaced("start = 2014-04-01", "start = \"2014-04-01\""),
            "without quotes",
            Some(2),
        ),
        case(
            "missing_team",
            replaced("team = \"cait\"\nstart", "team = \"north\"\nstart"),
            "no team is named `north`",
            Some(28),
        ),
        case(
            "case_type_missing_team",
            replaced("team = \"cait\"\npriority", "team = \"ciat\"\npriority"),
            "did you mean `cait`",
            Some(17),
        ),
        case(
            "unknown_action_kind",
            replaced("kind = \"transfer\"", "kind = \"transfr\""),
            "did you mean `transfer`",
            Some(27),
        ),
        case(
            "unknown_distribution",
            replaced("dist = \"lognormal\"", "dist = \"lognorm\""),
            "did you mean `lognormal`",
            Some(22),
        ),
        case(
            "lognormal_without_cv",
            replaced("mean = 40, cv = 0.8", "mean = 40"),
            "needs `mean` and `cv`",
            Some(22),
        ),
        case(
            "stage_with_work_and_wait",
            replaced(
                "{ wait = { dist = \"exponential\", mean = 60 } }",
                "{ wait = { dist = \"exponential\", mean = 60 }, work = { dist = \"fixed\", value = 1 } }",
            ),
            "exactly one of `work`",
            Some(23),
        ),
        case(
            "field_not_for_kind",
            replaced("officers = 2", "officers = 2\ninvestigators = 3"),
            "does not apply to a transfer",
            Some(31),
        ),
        case(
            "zero_replications",
            replaced("replications = 2", "replications = 0"),
            "at least 1 replication",
            Some(4),
        ),
        case(
            "missing_scenario_table",
            replaced(
                "[scenario]\nstart = 2014-04-01\nend = 2015-04-01\nreplications = 2\n",
                "",
            ),
            "`scenario` is missing",
            None,
        ),
        case(
            "variant_unknown_action",
            replaced("actions = []", "actions = [\"homicide_transfr\"]"),
            "did you mean `homicide_transfer`",
            Some(33),
        ),
        case(
            "variant_sets_unknown_field",
            replaced("actions = []", "set = { \"teams.cait.strenght\" = 3 }"),
            "did you mean `strength`",
            Some(33),
        ),
        case(
            "variant_sets_missing_team",
            replaced("actions = []", "set = { \"teams.north.strength\" = 3 }"),
            "has no `north`",
            Some(33),
        ),
        case("empty_file", Vec::new(), "the file is empty", None),
        case(
            "whitespace_only",
            b"\n\n   \n".to_vec(),
            "the file is empty",
            None,
        ),
        case(
            "binary_garbage",
            (0..4096u32)
                .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
                .collect(),
            "not UTF-8",
            None,
        ),
        case(
            "nul_bytes",
            b"[scenario]\0\0\0".to_vec(),
            "NUL byte",
            Some(1),
        ),
        case(
            "report_period_reversed",
            replaced(
                "[variants.no_transfer]",
                "[report]\nperiod = [2015-01-01, 2014-06-01]\n\n[variants.no_transfer]",
            ),
            "is not before",
            Some(33),
        ),
        case(
            "report_period_outside_the_run",
            replaced(
                "[variants.no_transfer]",
                "[report]\nperiod = [2016-01-01, 2017-01-01]\n\n[variants.no_transfer]",
            ),
            "outside the run",
            Some(33),
        ),
        case(
            "uk_date",
            replaced("start = 2014-04-01", "start = 01/04/2014"),
            "write it as 2014-04-01 if it is day/month/year (UK), 2014-01-04 if month/day/year (US)",
            Some(2),
        ),
        case(
            "quoted_date",
            replaced("start = 2014-04-01", "start = \"2014-04-01\""),
            "is quoted: write the date without quotes",
            Some(2),
        ),
        case("huge_file", huge, "at most", None),
    ]
}

#[test]
fn every_malformed_scenario_is_refused_with_its_line_and_no_output() {
    let cases = cases();
    assert!(cases.len() >= 20);
    let mut failures = Vec::new();
    let mut check = |ok: bool, what: String| {
        if !ok {
            failures.push(what);
        }
    };
    for case in &cases {
        let dir = Dir::new(&format!("bad_input/{}", case.name));
        dir.write("scenario.toml", &case.text);
        for command in ["run", "validate"] {
            let out = caseload_in(
                &dir.path,
                &[command, "scenario.toml", "--out", "out"][..if command == "run" { 4 } else { 2 }],
                &[],
            );
            let message = stderr(&out);
            let name = case.name;
            check(
                out.status.code() == Some(2),
                format!(
                    "{name}: {command} exit code {:?}; stderr: {message}",
                    out.status.code()
                ),
            );
            check(
                message.contains("scenario.toml"),
                format!("{name}: names the file: {message}"),
            );
            check(
                message.contains(case.phrase),
                format!("{name}: says {:?}: {message}", case.phrase),
            );
            if let Some(line) = case.line {
                check(
                    message.contains(&format!("scenario.toml:{line}:")),
                    format!("{name}: names line {line}: {message}"),
                );
            }
            check(
                message.lines().count() <= 12,
                format!("{name}: one screen: {message}"),
            );
            check(!message.contains("panicked"), format!("{name}: no panic"));
        }
        check(
            dir.entries() == vec!["scenario.toml".to_string()],
            format!("{}: nothing written: {:?}", case.name, dir.entries()),
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn a_missing_file_and_a_missing_variant_are_clear_errors() {
    let dir = Dir::new("bad_input_missing");
    let out = caseload_in(&dir.path, &["run", "nowhere.toml"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("nowhere.toml") && stderr(&out).contains("cannot read"));
    dir.write("ok.toml", VALID);
    fails(
        &dir,
        &["run", "ok.toml", "--variant", "no_transfr", "--out", "out"],
        2,
        "did you mean `no_transfer`",
    );
    assert_eq!(dir.entries(), vec!["ok.toml".to_string()]);
}
