//! Any bytes as an observed file for `caseload backtest`: reading ends in observations or an
//! error naming the line, and observations are set against a short run without a panic. Run
//! with `cargo +nightly fuzz run observed`.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

const SCENARIO: &str = r#"
[scenario]
start = 2014-01-01
end = 2014-05-01
replications = 2
seed = 3

[teams.cait]
establishment = 3
caseload_cap = 2
contracted_hours_per_year = 1460

[case_types.csa]
team = "cait"
priority = 1
demand = { annual_rate = 200 }
stages = [{ work = { dist = "exponential", mean = 10 } }]
"#;

fuzz_target!(|data: &[u8]| {
    let path =
        std::env::temp_dir().join(format!("caseload-fuzz-observed-{}.csv", std::process::id()));
    if std::fs::write(&path, data).is_err() {
        return;
    }
    let Ok(scenario) = caseload_scenario::parse(Path::new("s.toml"), SCENARIO, "s", Path::new("."))
    else {
        return;
    };
    let Ok(observations) = caseload_scenario::read_observed(&path, &scenario.base) else {
        return;
    };
    let design = scenario.base.design(false, caseload_experiment::Limits::DEFAULT);
    if let Ok(checked) = caseload_experiment::backtest(&design, 1, 2, &observations, &|| {}) {
        let _ = caseload_experiment::coverage(&checked);
    }
});
