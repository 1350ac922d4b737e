//! Records the exact build in `CASELOAD_BUILD`: the version, the commit and whether the tree
//! differed from it, e.g. `0.1.0 (3f2c1a9d0b7e, modified)`, for `caseload --version` and every
//! manifest. Without git (a source archive) the commit is `unknown`.

use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn main() {
    let version = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
    let build = match git(&["rev-parse", "--short=12", "HEAD"]) {
        Some(commit) => {
            // Tracked files changed, staged or not (untracked scratch files do not count).
            let modified = git(&["status", "--porcelain", "--untracked-files=no"])
                .is_some_and(|s| !s.is_empty());
            format!(
                "{version} ({commit}{})",
                if modified { ", modified" } else { "" }
            )
        }
        None => format!("{version} (commit unknown)"),
    };
    println!("cargo:rustc-env=CASELOAD_BUILD={build}");
    // Again when the commit moves or any tracked source changes.
    for watched in [
        "../../.git/HEAD",
        "../../.git/index",
        "../../src",
        "../../crates",
        "../../Cargo.toml",
        "../../scenarios",
    ] {
        println!("cargo:rerun-if-changed={watched}");
    }
}
