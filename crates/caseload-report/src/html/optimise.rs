//! The section of `caseload optimise`'s page.

use std::fmt::Write as _;
use std::path::Path;

use caseload_experiment::Manifest;

use super::*;

/// The answer of a search: the least value (or latest date) meeting the target, and the trace.
pub(super) fn section(
    page: &mut String,
    folder: &Path,
    manifest: &Manifest,
) -> Result<(), ReportError> {
    if let Some(search) = &manifest.search {
        // A date lever is searched for the latest date; a number for the least value.
        let which = if search.answer_text.is_some() {
            "latest"
        } else {
            "least"
        };
        let Some(value) = search.answer else {
            let _ = writeln!(
                page,
                "<h2>The question</h2>\n<p>What is the {which} {} at which {} holds?</p>\n\
                 <p class=\"answer\">No value tried meets {} ({} criterion, confidence {}) in \
                 {} evaluations: the trace below shows how near each came.</p>",
                escape(&search.lever),
                escape(&search.target),
                escape(&search.target),
                escape(&search.criterion),
                search.confidence,
                search.evaluations
            );
            raw_table(page, "The search, step by step", &folder.join("trace.csv"))?;
            return Ok(());
        };
        let answer = search
            .answer_text
            .clone()
            .unwrap_or_else(|| grouped(value, if value.fract() == 0.0 { 0 } else { 2 }));
        let _ = writeln!(
            page,
            "<h2>The question</h2>\n<p>What is the {which} {} at which {} holds?</p>\n\
                 <p class=\"answer\">{} = {} is the {which} value found meeting {} ({} \
                 criterion, confidence {}), after {} evaluations.</p>",
            escape(&search.lever),
            escape(&search.target),
            escape(&search.lever),
            escape(&answer),
            escape(&search.target),
            escape(&search.criterion),
            search.confidence,
            search.evaluations
        );
    }
    raw_table(page, "The search, step by step", &folder.join("trace.csv"))?;
    Ok(())
}
