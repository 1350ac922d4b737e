//! Unit tests of the scenario format: resolution of each part, the errors a user meets, and
//! the way to the experiment's design.

use std::path::Path;

use caseload_experiment::{AxisValue, Grid, Limits};
use caseload_model::{ActionKind, Panels, StageStandard};

use crate::{FieldPath, Scenario, ScenarioError, ScenarioSource, parse};

const BASE: &str = r#"
[scenario]
name = "unit"
start = 2014-04-01
end = 2016-04-01
warmup_days = 100
replications = 4
seed = 9

[kpi]
allocation_target_days = 14
backlog_breach = 50
dates = [2015-04-01]

[teams.north]
establishment = 10
caseload_cap = 12
contracted_hours_per_year = 1460

[teams.south]
establishment = 8
caseload_cap = 12
contracted_hours_per_year = 1460

[case_types.assault]
team = "north"
priority = 1
demand = { annual_rate = 300 }
stages = [{ work = { dist = "exponential", mean = 20 } }]

[actions.transfer_in]
kind = "transfer"
teams = ["north", "south"]
start = 2014-07-01
officers = 5

[variants.no_actions]
actions = []

[variants.bigger]
set = { "teams.north.establishment" = 20 }
"#;

fn load(text: &str) -> Result<Scenario, ScenarioError> {
    parse(Path::new("unit.toml"), text, "unit", Path::new("."))
}

fn loaded(text: &str) -> Scenario {
    load(text).unwrap_or_else(|e| panic!("a valid scenario: {e}"))
}

fn error(text: &str) -> String {
    match load(text) {
        Ok(_) => panic!("expected an error"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn dates_become_days_and_numbers_split_evenly_among_teams() {
    let s = loaded(BASE);
    let plan = &s.base;
    assert_eq!(plan.model.horizon_days, 731.0);
    assert_eq!(plan.start_date.to_string(), "2014-04-01");
    assert_eq!(plan.model.start_day_of_year, 90.0);
    let officers: Vec<(usize, u32, f64)> = plan
        .model
        .actions
        .iter()
        .map(|a| match a.kind {
            ActionKind::Transfer { team, officers } => (team, officers, a.start_day),
            _ => panic!("a transfer"),
        })
        .collect();
    // Five officers split between two teams: 3 and 2, from day 91.
    assert_eq!(officers, [(0, 3, 91.0), (1, 2, 91.0)]);
}

#[test]
fn the_plan_resolves_to_the_experiments_design() {
    let s = loaded(BASE);
    let design = s.base.design(true, Limits::DEFAULT);
    assert_eq!(design.warmup_days, 100.0);
    assert_eq!(design.thresholds.allocation_target_days, 14.0);
    assert_eq!(design.thresholds.backlog_breach, Some(50.0));
    assert_eq!(design.thresholds.recovery_backlog, None);
    assert_eq!(design.census.len(), 1);
    assert_eq!(
        (design.census[0].label.as_str(), design.census[0].day),
        ("2015-04-01", 365)
    );
    // Years after the warm-up: from day 100 to the end, the last cut at the horizon.
    let years: Vec<(u32, u32)> = design
        .years
        .iter()
        .map(|y| (y.start_day, y.end_day))
        .collect();
    assert_eq!(years, [(100, 465), (465, 731)]);
    assert!(design.keep_cases);
}

#[test]
fn variants_drop_actions_or_set_fields() {
    let s = loaded(BASE);
    let none = s.plan(Some("no_actions")).expect("a variant");
    assert!(none.model.actions.is_empty());
    let bigger = s.plan(Some("bigger")).expect("a variant");
    assert_eq!(bigger.model.teams[0].establishment, 20);
    assert_eq!(bigger.model.actions.len(), 2, "the actions are kept");
    let unknown = s.plan(Some("biger")).expect_err("no such variant");
    assert_eq!(unknown.name, "biger");
    assert!(
        unknown.to_string().contains("did you mean `bigger`?"),
        "{unknown}"
    );
}

#[test]
fn an_unknown_field_names_its_line_and_the_closest_name() {
    let text = BASE.replace(
        "caseload_cap = 12\ncontracted_hours_per_year = 1460\n\n[teams.south]",
        "caseload_cpa = 12\ncontracted_hours_per_year = 1460\n\n[teams.south]",
    );
    let err = load(&text).expect_err("a typo");
    assert_eq!(err.file, Path::new("unit.toml"));
    assert_eq!(err.position.map(|p| p.0), Some(17));
    assert!(
        err.to_string().contains("did you mean `caseload_cap`?"),
        "{err}"
    );
}

#[test]
fn an_action_field_of_another_kind_or_a_missing_one_is_named() {
    let wrong = BASE.replace("officers = 5\n", "officers = 5\nposts = 3\n");
    let message = error(&wrong);
    assert!(
        message.contains("`posts` does not apply to a transfer action"),
        "{message}"
    );
    let missing = BASE.replace("officers = 5\n", "");
    let message = error(&missing);
    assert!(
        message.contains("a transfer action needs `officers`"),
        "{message}"
    );
    let both = BASE.replace(
        "teams = [\"north\", \"south\"]",
        "team = \"north\"\nteams = [\"south\"]",
    );
    assert!(error(&both).contains("give `team` or `teams`, not both"));
}

#[test]
fn dates_outside_the_run_or_out_of_order_are_refused() {
    let early = BASE.replace("start = 2014-07-01", "start = 2014-01-01");
    assert!(error(&early).contains("starts before the scenario's start"));
    let census = BASE.replace("dates = [2015-04-01]", "dates = [2014-05-01]");
    assert!(error(&census).contains("outside the KPI period"));
    let order = BASE.replace("dates = [2015-04-01]", "dates = [2015-06-01, 2015-04-01]");
    assert!(error(&order).contains("ascending order"));
    let backwards = BASE.replace("end = 2016-04-01", "end = 2014-03-01");
    assert!(error(&backwards).contains("on or before its start"));
}

#[test]
fn names_that_cannot_name_a_results_folder_are_refused() {
    let dotted = BASE.replace("name = \"unit\"", "name = \"unit.v2\"");
    assert!(error(&dotted).contains("cannot name a results folder"));
    let slash = format!("{BASE}\n[variants.\"a/b\"]\nactions = []\n");
    assert!(error(&slash).contains("cannot name a results folder"));
}

#[test]
fn field_paths_parse_and_print_back() {
    for text in [
        "teams.north.establishment",
        "case_types.assault.stages[0].work.mean",
        "teams.\"CAIT 1\".establishment",
    ] {
        let path = FieldPath::parse(text).expect("a path");
        assert_eq!(path.to_string(), text);
    }
    for bad in ["", "teams.", "teams..x", "a[x]"] {
        assert!(FieldPath::parse(bad).is_err(), "{bad}");
    }
}

#[test]
fn a_grid_gives_one_design_per_point_with_the_fields_set() {
    let dir = std::env::temp_dir().join(format!("caseload-scenario-grid-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a folder");
    let file = dir.join("unit.toml");
    std::fs::write(&file, BASE).expect("the scenario");
    let source = ScenarioSource::read(&file).expect("readable");
    let grid = Grid::parse(&["teams.north.establishment=6:10:2"]).expect("a grid");
    let designs = source
        .grid_designs(None, &grid, false, Limits::DEFAULT)
        .expect("valid points");
    let sizes: Vec<u32> = designs
        .iter()
        .map(|d| d.model.teams[0].establishment)
        .collect();
    assert_eq!(sizes, [6, 8, 10]);
    assert_eq!(grid.point(1), [AxisValue::Whole(8)]);
    // A field that is not in the format is named with the point.
    let wrong = Grid::parse(&["teams.north.strenght=1,2"]).expect("a grid");
    let err = source
        .grid_designs(None, &wrong, false, Limits::DEFAULT)
        .expect_err("no such field");
    let message = err.to_string();
    assert!(message.starts_with("at sweep point 0"), "{message}");
    assert!(message.contains("strenght"), "{message}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_field_change_wins_over_a_variants_set() {
    let dir = std::env::temp_dir().join(format!("caseload-scenario-set-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a folder");
    let file = dir.join("unit.toml");
    std::fs::write(&file, BASE).expect("the scenario");
    let source = ScenarioSource::read(&file).expect("readable");
    let path = FieldPath::parse("teams.north.establishment").expect("a path");
    let plan = source
        .plan_with_changes(Some("bigger"), &[(path, toml::Value::Integer(7))])
        .expect("a valid change");
    assert_eq!(plan.model.teams[0].establishment, 7);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_comparisons_options_are_named_once_and_base_is_as_written() {
    let s = loaded(BASE);
    let all = s.options(None).expect("base and every variant");
    let names: Vec<&str> = all.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["base", "no_actions", "bigger"]);
    assert!(std::ptr::eq(all[0].1, &s.base));
    let two = ["bigger".to_string(), "base".to_string()];
    assert_eq!(s.options(Some(&two)).expect("two options")[0].0, "bigger");
    let twice = ["base".to_string(), "base".to_string()];
    assert!(
        s.options(Some(&twice))
            .expect_err("twice")
            .to_string()
            .contains("twice")
    );
    let one = ["base".to_string()];
    assert!(s.options(Some(&one)).is_err());
    let unknown = ["base".to_string(), "smaller".to_string()];
    let err = s.options(Some(&unknown)).expect_err("unknown");
    assert!(
        err.to_string()
            .contains("`base` is the scenario as written"),
        "{err}"
    );
}

#[test]
fn panels_sit_monthly_by_default_or_on_the_dates_given() {
    let monthly = BASE.replace(
        "[teams.south]",
        "recruitment = { lag_days = 60 }\n\n[teams.south]",
    );
    let s = loaded(&monthly);
    let Some(r) = &s.base.model.teams[0].recruitment else {
        panic!("north recruits")
    };
    let Panels::On(days) = &r.panels else {
        panic!("panels on dates")
    };
    // From 2014-04-01 (day 0): 1 May is day 30, 1 June day 61; 24 months before 2016-04-01.
    assert_eq!(&days[..3], [0.0, 30.0, 61.0]);
    assert_eq!(days.len(), 24);
    let dated = BASE.replace(
        "[teams.south]",
        "recruitment = { lag_days = 60, panels = [2014-05-01, 2015-04-01] }\n\n[teams.south]",
    );
    let s = loaded(&dated);
    let Some(r) = &s.base.model.teams[0].recruitment else {
        panic!("north recruits")
    };
    assert_eq!(r.panels, Panels::On(vec![30.0, 365.0]));
    let both = BASE.replace(
        "[teams.south]",
        "recruitment = { lag_days = 60, interval_days = 30, panels = [2014-05-01] }\n\n[teams.south]",
    );
    assert!(error(&both).contains("not both"));
}

#[test]
fn an_attachment_names_the_work_it_takes_and_what_becomes_of_its_cases() {
    let attach = "\n[actions.attached]\nkind = \"attachment\"\nteam = \"north\"\nofficers = 4\n\
                  start = 2014-10-15\nend = 2015-04-15\ncase_types = [\"assault\"]\n\
                  finish_before_end = true\nactive_limit = 2\nstages = [0]\non_end = { hand_to = \"south\" }\n";
    let text = BASE.replace(
        "\n[variants.no_actions]",
        &format!("{attach}\n[variants.no_actions]"),
    );
    let plan = loaded(&text).base;
    let bounds = &plan
        .model
        .actions
        .iter()
        .find(|a| matches!(a.kind, ActionKind::Attachment { .. }))
        .expect("the attachment")
        .bounds;
    assert_eq!(bounds.case_types, Some(vec![0]));
    assert!(bounds.finish_before_end);
    assert_eq!(bounds.active_limit, Some(2));
    assert_eq!(bounds.stages, Some(vec![0]));
    assert_eq!(bounds.on_end, caseload_model::OnEnd::HandTo(1));
    let keep = text.replace("on_end = { hand_to = \"south\" }", "on_end = \"keep\"");
    assert!(
        loaded(&keep)
            .base
            .model
            .actions
            .iter()
            .any(|a| a.bounds.on_end == caseload_model::OnEnd::Keep)
    );
    let unknown = text.replace("[\"assault\"]", "[\"asault\"]");
    let message = error(&unknown);
    assert!(
        message.contains("case_types[0]") && message.contains("assault"),
        "{message}"
    );
    let nowhere = text.replace("hand_to = \"south\"", "hand_to = \"east\"");
    assert!(error(&nowhere).contains("no team is named `east`"));
    let not_here = BASE.replace("officers = 5\n", "officers = 5\non_end = \"keep\"\n");
    assert!(error(&not_here).contains("`on_end` does not apply to a transfer action"));
}

#[test]
fn transfers_overstaff_and_posts_in_post_resolve_with_their_costs() {
    let text = BASE.replace(
        "officers = 5\n",
        "officers = 5\ncost_per_officer_day = 250\n\n[actions.new_posts]\nkind = \"recruitment\"\nteam = \"south\"\nstart = 2015-04-01\nposts = 3\nin_post = true\n",
    );
    let s = loaded(&text);
    let actions = &s.base.model.actions;
    assert_eq!(actions[0].cost_per_officer_day, Some(250.0));
    assert!(matches!(
        actions[2].kind,
        ActionKind::Recruitment {
            team: 1,
            posts: 3,
            in_post: true
        }
    ));
    assert_eq!(actions[2].start_day, 365.0);
    let wrong = BASE.replace("officers = 5\n", "officers = 5\nin_post = true\n");
    assert!(error(&wrong).contains("`in_post` does not apply to a transfer action"));
}

#[test]
fn a_team_group_routes_referrals_by_its_shares_and_names_an_actions_teams() {
    let grouped = BASE
        .replace(
            "[case_types.assault]\nteam = \"north\"",
            "[team_groups.areas]\nsouth = 0.25\nnorth = 0.75\n\n[case_types.assault]\nteams = \"areas\"",
        )
        .replace("teams = [\"north\", \"south\"]", "teams = \"areas\"");
    let s = loaded(&grouped);
    let routes: Vec<(usize, String, f64)> = s
        .base
        .model
        .case_types
        .iter()
        .map(|t| match &t.demand {
            caseload_model::Demand::Poisson(p) => (t.team, t.name.clone(), p.annual_rate),
            caseload_model::Demand::Trace { .. } => panic!("a Poisson demand"),
        })
        .collect();
    assert_eq!(
        routes,
        vec![
            (1, "assault@south".to_string(), 75.0),
            (0, "assault@north".to_string(), 225.0)
        ]
    );
    // The action's officers split evenly over the group's teams, in the group's order.
    let transfers: Vec<(usize, u32)> = s
        .base
        .model
        .actions
        .iter()
        .map(|a| match a.kind {
            ActionKind::Transfer { team, officers } => (team, officers),
            _ => panic!("a transfer"),
        })
        .collect();
    assert_eq!(transfers, vec![(1, 3), (0, 2)]);

    let unknown = grouped.replace("teams = \"areas\"\npriority", "teams = \"area\"\npriority");
    let message = error(&unknown);
    assert!(
        message.contains("case_types.assault.teams")
            && message.contains("no team group is named `area`; did you mean `areas`?"),
        "{message}"
    );
    let short = grouped.replace("north = 0.75", "north = 0.7");
    let message = error(&short);
    assert!(
        message.contains("team_groups.areas") && message.contains("add up to 0.95"),
        "{message}"
    );
    let stranger = grouped.replace("north = 0.75", "nort = 0.75");
    assert!(error(&stranger).contains("team_groups.areas.nort: no team is named `nort`"));
}

#[test]
fn demand_uncertainty_is_checked_and_a_split_type_shares_one_key() {
    let uncertain = BASE
        .replace(
            "[case_types.assault]\nteam = \"north\"",
            "[case_types.assault]\nteams = { north = 0.5, south = 0.5 }",
        )
        .replace(
            "demand = { annual_rate = 300 }",
            "demand = { annual_rate = 300, uncertainty = { rate_log_sd = 0.1, growth_log_sd = 0.02, correlation = -0.4 } }",
        );
    let s = loaded(&uncertain);
    let keys: Vec<(f64, u64)> = s
        .base
        .model
        .case_types
        .iter()
        .map(|t| match &t.demand {
            caseload_model::Demand::Poisson(p) => {
                let u = p.uncertainty.as_ref().expect("uncertain");
                (u.rate_log_sd, u.key)
            }
            caseload_model::Demand::Trace { .. } => panic!("a Poisson demand"),
        })
        .collect();
    assert_eq!(keys, vec![(0.1, 0), (0.1, 0)]);
    let message = error(&uncertain.replace("correlation = -0.4", "correlation = -1.4"));
    assert!(
        message.contains("case_types.assault.demand.uncertainty.correlation")
            && message.contains("expected a correlation from -1 to 1"),
        "{message}"
    );
    let message = error(&uncertain.replace("rate_log_sd = 0.1", "rate_log_sd = -0.1"));
    assert!(message.contains("uncertainty.rate_log_sd"), "{message}");
}

#[test]
fn case_types_split_from_one_fitted_series_share_its_draws() {
    let stage = "stages = [{ work = { dist = \"exponential\", mean = 20 } }]";
    let uncertainty = |series: &str| {
        format!("demand = {{ annual_rate = 100, uncertainty = {{ rate_log_sd = 0.1{series} }} }}")
    };
    let text = format!(
        "{}\n[case_types.rape]\nteam = \"north\"\npriority = 0\n{}\n{stage}\n\n\
         [case_types.historic]\nteam = \"south\"\npriority = 2\n{}\n{stage}\n\n\
         [case_types.own]\nteam = \"south\"\npriority = 2\n{}\n{stage}\n",
        BASE,
        uncertainty(", series = \"serious_sexual\""),
        uncertainty(", series = \"serious_sexual\""),
        uncertainty(""),
    );
    let s = loaded(&text);
    let key = |name: &str| {
        let t = s
            .base
            .model
            .case_types
            .iter()
            .find(|t| t.name == name)
            .expect("the type");
        match &t.demand {
            caseload_model::Demand::Poisson(p) => p.uncertainty.as_ref().expect("uncertain").key,
            caseload_model::Demand::Trace { .. } => panic!("a Poisson demand"),
        }
    };
    assert_eq!(key("rape"), key("historic"));
    assert_ne!(key("rape"), key("own"));
    assert!(key("own") < 10, "a type's own key is its place in the file");
    let message = error(&text.replace("series = \"serious_sexual\"", "series = \" \""));
    assert!(
        message.contains("uncertainty.series") && message.contains("expected the name"),
        "{message}"
    );
}

#[test]
fn a_trace_of_calendar_counts_replays_each_month_over_its_own_days() {
    let dir = std::env::temp_dir().join(format!("caseload-trace-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temp dir");
    std::fs::write(
        dir.join("counts.csv"),
        "period_start,case_type,count\n2014-03-01,assault,9\n2014-04-01,assault,30\n\
         2014-05-01,assault,31\n2014-06-01,assault,12\n2014-04-01,other,5\n",
    )
    .expect("written");
    let with = |trace: &str| {
        BASE.replace(
            "demand = { annual_rate = 300 }",
            &format!("demand = {{ trace = {trace} }}"),
        )
    };
    let load_in = |text: &str| parse(Path::new("unit.toml"), text, "unit", &dir);
    let s = load_in(&with("{ counts_file = \"counts.csv\" }")).expect("valid");
    match &s.base.model.case_types[0].demand {
        caseload_model::Demand::Trace {
            counts, boundaries, ..
        } => {
            // March is before the start (2014-04-01) and left out.
            assert_eq!(counts, &vec![30, 31, 12]);
            assert_eq!(boundaries, &vec![0.0, 30.0, 61.0, 91.0]);
        }
        caseload_model::Demand::Poisson(_) => panic!("a trace"),
    }
    let wrong = load_in(&with(
        "{ counts_file = \"counts.csv\", series = \"asault\" }",
    ))
    .expect_err("no such series")
    .to_string();
    assert!(
        wrong.contains("has no series `asault`; did you mean `assault`?"),
        "{wrong}"
    );
    std::fs::write(
        dir.join("gap.csv"),
        "period_start,case_type,count\n2014-04-01,assault,30\n2014-06-01,assault,12\n2014-07-01,assault,3\n",
    )
    .expect("written");
    let gap = load_in(&with("{ counts_file = \"gap.csv\" }"))
        .expect_err("a gap")
        .to_string();
    assert!(
        gap.contains("no count from 2014-05-01 to 2014-06-01"),
        "{gap}"
    );
    let both = load_in(&with("{ counts_file = \"counts.csv\", period_days = 30 }"))
        .expect_err("both forms")
        .to_string();
    assert!(
        both.contains("takes no `counts`, `file` or `period_days`"),
        "{both}"
    );
}

#[test]
fn temporary_staff_name_their_headcount_and_day_rate() {
    let text = BASE
        .replace(
            "contracted_hours_per_year = 1460\n\n[teams.south]",
            "contracted_hours_per_year = 1460\ncost_per_day = 100\n\n[teams.south]",
        )
        .replace(
            "[variants.no_actions]",
            "[actions.lent]\nkind = \"attachment\"\nteams = [\"north\", \"south\"]\nofficers = 4\n\
             start = 2014-07-01\nend = 2015-01-01\n\n[actions.hired]\nkind = \"agency\"\n\
             team = \"south\"\ninvestigators = 2\nhours_per_year = 1460\ncaseload_cap = 10\n\
             cost_per_day = 300\nstart = 2014-07-01\nend = 2015-01-01\n\n[variants.no_actions]",
        );
    let plan = loaded(&text).base;
    // Two officers at north's 100 a day and two at south's default rate.
    let south = plan.model.teams[1].cost_per_day;
    let (field, rate) = plan.temporary_staff("lent").expect("an attachment");
    assert_eq!(field, "officers");
    assert!((rate - (100.0 + south) / 2.0).abs() < 1e-9, "{rate}");
    assert_eq!(
        plan.temporary_staff("hired"),
        Some(("investigators", 300.0))
    );
    assert_eq!(plan.temporary_staff("transfer_in"), None, "permanent");
    assert_eq!(plan.temporary_staff("nothing"), None);
}

#[test]
fn a_package_of_temporary_staff_sets_each_actions_officers_start_and_end() {
    let text = BASE.replace(
        "[variants.no_actions]",
        "[actions.lent]\nkind = \"attachment\"\nteam = \"north\"\nofficers = 4\n\
         start = 2014-07-01\nend = 2015-01-01\n\n[actions.hired]\nkind = \"agency\"\n\
         team = \"south\"\ninvestigators = 2\nhours_per_year = 1460\ncaseload_cap = 10\n\
         cost_per_day = 300\nstart = 2014-07-01\nend = 2015-01-01\n\n[variants.no_actions]",
    );
    let folder = std::env::temp_dir().join(format!("caseload-package-{}", std::process::id()));
    std::fs::create_dir_all(&folder).expect("a temporary folder");
    let file = folder.join("unit.toml");
    std::fs::write(&file, &text).expect("the scenario written");
    let source = ScenarioSource::read(&file).expect("read");
    let scenario = source.scenario().expect("valid");
    let plan = &scenario.base;
    let package = plan.package("lent + hired").expect("two temporary actions");
    assert_eq!(package.parts.len(), 2);
    assert_eq!(package.officers_each(5), vec![3, 2]);
    let lent_rate = package.parts[0].day_rate;
    assert!((package.cost(5, 10) - (3.0 * lent_rate + 2.0 * 300.0) * 10.0).abs() < 1e-9);
    let start = time::macros::date!(2014 - 09 - 01);
    let end = time::macros::date!(2015 - 03 - 01);
    let candidate = source
        .with_package(None, &package, 5, start, end)
        .expect("a valid candidate");
    for name in ["lent", "hired"] {
        let action = candidate
            .actions
            .iter()
            .find(|a| a.name == name)
            .expect("the action");
        assert_eq!(
            candidate.date_of_day(action.start_day as u32),
            start,
            "{name}"
        );
        assert_eq!(
            candidate.date_of_day(action.end_day.expect("an end") as u32),
            end,
            "{name}"
        );
    }
    let lever = FieldPath::parse("actions.hired.investigators").expect("a path");
    assert_eq!(source.number_at(&lever), Some(2.0));
    let err = |t: &str| plan.package(t).expect_err(t).to_string();
    assert!(err("lent+nobody").contains("no staffing action `nobody`"));
    assert!(err("transfer_in").contains("not a temporary action"));
    assert!(err("lent+lent").contains("named twice"));
    let _ = std::fs::remove_dir_all(&folder);
}

#[test]
fn withdrawal_is_a_patience_distribution_in_days() {
    let text = BASE.replace(
        "stages = [{ work = { dist = \"exponential\", mean = 20 } }]",
        "stages = [{ work = { dist = \"exponential\", mean = 20 } }]\nwithdrawal = { dist = \"gamma\", mean = 180, cv = 0.5 }",
    );
    let plan = loaded(&text).base;
    let patience = plan.model.case_types[0]
        .withdrawal
        .as_ref()
        .expect("a patience distribution");
    assert!((patience.mean() - 180.0).abs() < 1e-9);
    assert!((patience.cv() - 0.5).abs() < 1e-9);
    assert!(loaded(BASE).base.model.case_types[0].withdrawal.is_none());
    let wrong = text.replace("mean = 180, cv = 0.5", "mean = -3, cv = 0.5");
    assert!(
        error(&wrong).contains("case_types.assault.withdrawal"),
        "{}",
        error(&wrong)
    );
}

#[test]
fn outcomes_are_shares_that_sum_to_one() {
    let text = BASE.replace(
        "stages = [{ work = { dist = \"exponential\", mean = 20 } }]",
        "stages = [{ work = { dist = \"exponential\", mean = 20 } }]\noutcomes = { charge = 0.2, nfa_evidential = 0.5, nfa_victim = 0.3, nfa_victim_per_year = 0.1 }",
    );
    let plan = loaded(&text).base;
    let o = plan.model.case_types[0]
        .outcomes
        .as_ref()
        .expect("outcomes");
    assert_eq!(
        (
            o.charge,
            o.nfa_evidential,
            o.nfa_victim,
            o.nfa_victim_per_year
        ),
        (0.2, 0.5, 0.3, 0.1)
    );
    let wrong = text.replace("nfa_victim = 0.3", "nfa_victim = 0.4");
    let message = error(&wrong);
    assert!(
        message.contains("case_types.assault.outcomes") && message.contains("expected 1"),
        "{message}"
    );
    let negative = text.replace("charge = 0.2", "charge = -0.2");
    assert!(error(&negative).contains("outcomes.charge"));
}

#[test]
fn a_triage_screen_has_its_hours_and_shares() {
    let text = BASE.replace(
        "stages = [{ work = { dist = \"exponential\", mean = 20 } }]",
        "stages = [{ work = { dist = \"exponential\", mean = 20 } }]\ntriage = { work = { dist = \"fixed\", value = 2 }, close_share = 0.7 }",
    );
    let plan = loaded(&text).base;
    let triage = plan.model.case_types[0].triage.as_ref().expect("triage");
    assert_eq!((triage.share, triage.close_share), (1.0, 0.7));
    assert_eq!(triage.work.mean(), 2.0);
    let wrong = text.replace("close_share = 0.7", "close_share = 1.7");
    assert!(
        error(&wrong).contains("triage.close_share"),
        "{}",
        error(&wrong)
    );
}

#[test]
fn a_load_cost_is_off_unless_a_team_or_the_defaults_set_it() {
    assert!(
        loaded(BASE)
            .base
            .model
            .teams
            .iter()
            .all(|t| t.load_cost.is_none())
    );
    let text = BASE.replace(
        "[teams.north]",
        "[team_defaults]\nload_cost = { comfortable_caseload = 8, hours_lost_per_week_per_case = 1.5, poor_outcome_per_case = 0.02 }\n\n[teams.north]",
    );
    let plan = loaded(&text).base;
    for team in &plan.model.teams {
        let load = team.load_cost.as_ref().expect("from the defaults");
        assert_eq!(load.comfortable_caseload, 8);
        assert_eq!(load.hours_lost_per_week_per_case, 1.5);
        assert_eq!(load.poor_outcome_per_case, 0.02);
    }
    let wrong = text.replace("poor_outcome_per_case = 0.02", "poor_outcome_per_case = 2");
    assert!(
        error(&wrong).contains("load_cost.poor_outcome_per_case"),
        "{}",
        error(&wrong)
    );
}

#[test]
fn a_discipline_and_active_limit_come_from_a_team_or_the_defaults() {
    assert!(loaded(BASE).base.model.teams.iter().all(|t| {
        t.discipline == caseload_model::Discipline::Equal && t.active_limit.is_none()
    }));
    let text = BASE.replace(
        "[teams.north]",
        "[team_defaults]\ndiscipline = \"priority\"\nactive_limit = 3\n\n[teams.north]",
    );
    for team in &loaded(&text).base.model.teams {
        assert_eq!(team.discipline, caseload_model::Discipline::Priority);
        assert_eq!(team.active_limit, Some(3));
    }
    let zero = text.replace("active_limit = 3", "active_limit = 0");
    assert!(
        error(&zero).contains("active_limit") && error(&zero).contains("at least 1"),
        "{}",
        error(&zero)
    );
    let unknown = text.replace("\"priority\"", "\"urgent\"");
    let message = error(&unknown);
    assert!(
        message.contains("discipline") && message.contains("priority"),
        "{message}"
    );
}

#[test]
fn benefits_and_the_quality_model_are_read_with_their_fields() {
    let programme = "[actions.course]\nkind = \"training\"\nteam = \"north\"\nofficers = 5\n\
                     days_away = 21\nstart = 2014-09-01\nend = 2014-12-01\n\
                     productivity_gain = 0.1\nevidential_to_charge = 0.05\nhalf_life_days = 365\n\
                     cost_per_trainee = 2500\n\n[quality]\nintercept = 1.05\n\
                     per_case_above_comfortable = 0.1\ncomfortable_caseload = 8\n\n\
                     [variants.no_actions]";
    let text = BASE.replace("[variants.no_actions]", programme).replace(
        "[teams.north]",
        "[teams.north]\nproductivity = 1.2\nevidential_to_charge = 0.1\nsupervision_ratio = 0.2",
    );
    let plan = loaded(&text).base;
    let north = &plan.model.teams[0];
    assert_eq!(
        (
            north.productivity,
            north.evidential_to_charge,
            north.supervision_ratio
        ),
        (1.2, 0.1, 0.2)
    );
    let course = plan
        .model
        .actions
        .iter()
        .find(|a| matches!(a.kind, ActionKind::Training { .. }))
        .expect("the course");
    assert_eq!(
        course.benefit,
        caseload_model::Benefit {
            productivity_gain: 0.1,
            evidential_to_charge: 0.05,
            half_life_days: Some(365.0),
            cost_per_trainee: 2500.0,
        }
    );
    let quality = plan.model.quality.as_ref().expect("judged");
    assert_eq!((quality.intercept, quality.comfortable_caseload), (1.05, 8));
    let wrong = text.replace("productivity = 1.2", "productivity = 0");
    assert!(
        error(&wrong).contains("teams.north.productivity"),
        "{}",
        error(&wrong)
    );
    // Officers an action brings carry its benefit (specialists); a cost per trainee is
    // training's alone.
    let specialists = BASE.replace(
        "officers = 5\n",
        "officers = 5\nevidential_to_charge = 0.1\n",
    );
    assert!(
        loaded(&specialists)
            .base
            .model
            .actions
            .iter()
            .all(|a| a.benefit.evidential_to_charge == 0.1)
    );
    let priced = BASE.replace("officers = 5\n", "officers = 5\ncost_per_trainee = 10\n");
    assert!(error(&priced).contains("`cost_per_trainee` does not apply to a transfer"));
}

#[test]
fn a_training_programme_names_its_days_away_and_window() {
    let programme = "[actions.course]\nkind = \"training\"\nteams = [\"north\", \"south\"]\n\
                     officers = 5\ndays_away = 21\nstart = 2014-09-01\nend = 2014-12-01\n\n\
                     [variants.no_actions]";
    let text = BASE.replace("[variants.no_actions]", programme);
    let plan = loaded(&text).base;
    let found: Vec<(usize, Option<u32>, f64)> = plan
        .model
        .actions
        .iter()
        .filter_map(|a| match a.kind {
            ActionKind::Training {
                team,
                officers,
                days_away,
                ..
            } => Some((team, officers, days_away)),
            _ => None,
        })
        .collect();
    assert_eq!(found, vec![(0, Some(3), 21.0), (1, Some(2), 21.0)]);
    let short = text.replace("end = 2014-12-01", "end = 2014-09-10");
    assert!(
        error(&short).contains("shorter than the 21 days"),
        "{}",
        error(&short)
    );
    let both = text.replace(
        "officers = 5\ndays_away",
        "officers = 5\nshare = 0.5\ndays_away",
    );
    assert!(error(&both).contains("not both"), "{}", error(&both));
}

#[test]
fn a_stage_may_carry_one_standard_in_days_from_the_referral() {
    let text = BASE.replace(
        "stages = [{ work = { dist = \"exponential\", mean = 20 } }]",
        "stages = [{ work = { dist = \"fixed\", value = 4 }, standard_days = 7 }, { work = { dist = \"exponential\", mean = 20 } }]",
    );
    let plan = loaded(&text).base;
    assert_eq!(
        plan.model.case_types[0].standard,
        Some(StageStandard {
            stage: 0,
            days: 7.0
        })
    );
    let two = text.replace("mean = 20 } }]", "mean = 20 }, standard_days = 30 }]");
    assert!(
        error(&two).contains("stages[1].standard_days"),
        "{}",
        error(&two)
    );
}

#[test]
fn a_date_runs_from_the_start_to_before_the_end() {
    let plan = loaded(BASE).base;
    let end = plan.end_date();
    assert!(plan.runs_on(plan.start_date));
    assert!(!plan.runs_on(end));
    assert!(plan.runs_on(end.previous_day().expect("a day before")));
    assert!(!plan.runs_on(plan.start_date.previous_day().expect("a day before")));
}

#[test]
fn the_models_positions_are_named_as_the_scenario_names_them() {
    let text = "actions[54].officers: too many; teams[1].abstraction and case_types[0]";
    let mut actions = vec!["a"; 54];
    actions.push("sco_attachment");
    assert_eq!(
        crate::resolve::named_positions(text, &["north", "south"], &["child_rape"], &actions),
        "actions.sco_attachment.officers: too many; teams.south.abstraction and \
         case_types.child_rape"
    );
}

#[test]
fn a_long_number_in_a_message_is_written_short() {
    assert_eq!(
        super::load::short_numbers("invalid type: floating point `0.0000000000000000000000001`"),
        "invalid type: floating point `1e-25`"
    );
    assert_eq!(
        super::load::short_numbers("line 12, 2.5 and 7"),
        "line 12, 2.5 and 7"
    );
}
