//! Any bytes as a counts file for `caseload fit`: reading ends in series or an error naming
//! the line, and fitting each series (with a change date, and its forecast band) in a fit or
//! an error, never a panic. Run with `cargo +nightly fuzz run counts`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = std::env::temp_dir().join(format!("caseload-fuzz-counts-{}.csv", std::process::id()));
    if std::fs::write(&path, data).is_err() {
        return;
    }
    let Ok((_, series)) = caseload_fit::read_counts_file(&path) else {
        return;
    };
    let options = caseload_fit::FitOptions {
        change: caseload_experiment::parse_date("2012-12-01"),
        start: None,
    };
    for s in &series {
        if let Ok(fit) = caseload_fit::fit(s, &options) {
            let _ = fit.fan(12, 100, 1);
        }
    }
});
