//! Every subcommand's `--help` ends with examples, and each example runs: from a folder that
//! holds the repository's `scenarios` and `data`, in the order of `caseload --help` (a later
//! example may read a folder an earlier one wrote: `plot` and `report` read what `run` and
//! `compare` wrote, `merge` the shards of `sweep`). Then the completion scripts and the manual
//! page cover every subcommand.

use crate::util::{Dir, root, run_ok};

/// The words of a shell command line: split at spaces, single quotes grouping.
fn words(line: &str) -> Vec<String> {
    let (mut words, mut word, mut quoted, mut started) = (Vec::new(), String::new(), false, false);
    for c in line.chars() {
        match c {
            '\'' => {
                quoted = !quoted;
                started = true;
            }
            ' ' if !quoted => {
                if started {
                    words.push(std::mem::take(&mut word));
                    started = false;
                }
            }
            c => {
                word.push(c);
                started = true;
            }
        }
    }
    if started {
        words.push(word);
    }
    words
}

/// The subcommands `caseload --help` lists.
fn subcommands(dir: &Dir) -> Vec<String> {
    let help = run_ok(dir, &["--help"], &[]);
    help.lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(String::from)
        .collect()
}

#[test]
fn every_subcommands_help_has_examples_and_each_runs() {
    let dir = Dir::new("help_examples");
    for folder in ["scenarios", "data"] {
        std::os::unix::fs::symlink(root().join(folder), dir.join(folder)).expect("a link");
    }
    let commands = subcommands(&dir);
    assert!(commands.len() >= 19, "{commands:?}");
    let mut ran = 0;
    for command in &commands {
        let help = run_ok(&dir, &[command, "--help"], &[]);
        let examples: Vec<Vec<String>> = help
            .lines()
            .skip_while(|l| !l.starts_with("Example"))
            .filter(|l| l.starts_with("  caseload "))
            .map(|l| words(l.trim()))
            .collect();
        assert!(
            !examples.is_empty(),
            "`caseload {command} --help` has no example:\n{help}"
        );
        for example in examples {
            assert_eq!(
                example[1], *command,
                "{example:?} is an example of {command}"
            );
            let args: Vec<&str> = example[1..].iter().map(String::as_str).collect();
            let out = run_ok(&dir, &args, &[]);
            assert!(!out.is_empty(), "{example:?} printed nothing");
            ran += 1;
        }
    }
    assert!(ran >= 25, "{ran} examples ran");
}

#[test]
fn completions_and_the_manual_page_cover_every_subcommand() {
    let dir = Dir::new("completions");
    let commands = subcommands(&dir);
    for shell in ["bash", "zsh", "fish"] {
        let script = run_ok(&dir, &["completions", shell], &[]);
        for command in &commands {
            assert!(script.contains(command.as_str()), "{shell}: {command}");
        }
    }
    let page = run_ok(&dir, &["manpage"], &[]);
    assert!(
        page.starts_with(".ie") || page.contains(".TH caseload"),
        "roff"
    );
    for command in &commands {
        let heading = format!(".SH \"CASELOAD {}\"", command.to_uppercase());
        assert!(page.contains(&heading), "{heading} in the manual page");
    }
    assert_eq!(page.matches(".SH EXAMPLES").count(), commands.len());
    // The version is the build's, as every manifest records it.
    let version = run_ok(&dir, &["--version"], &[]);
    assert!(version.contains(env!("CARGO_PKG_VERSION")) && version.contains('('));
}

#[test]
fn shell_words_group_single_quotes() {
    assert_eq!(
        words("caseload optimise S.toml --target 'a<=0.5' --x"),
        [
            "caseload", "optimise", "S.toml", "--target", "a<=0.5", "--x"
        ]
    );
}
