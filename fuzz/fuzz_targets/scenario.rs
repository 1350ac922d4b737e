//! Any bytes as a scenario file: parsing and resolving (every variant) end in a scenario or
//! an error, never a panic; a scenario that resolves is checked against the run limits.
//! Run with `cargo +nightly fuzz run scenario` from the repository's root.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(scenario) =
        caseload_scenario::parse(Path::new("fuzz.toml"), text, "fuzz", Path::new("."))
    else {
        return;
    };
    let limits = caseload_experiment::Limits::DEFAULT;
    for plan in std::iter::once(&scenario.base).chain(&scenario.variants) {
        let design = plan.design(false, limits);
        let _ = design.check_limits(&limits);
    }
});
