//! The section of `caseload fit`'s page.

use std::path::Path;

use super::*;

/// The answer of a fit: the estimates with their intervals.
pub(super) fn section(page: &mut String, folder: &Path) -> Result<(), ReportError> {
    page.push_str(
        "<h2>The question</h2>\n<p>What demand do the counts give: rate, growth, \
             seasonality, a step, and how sure is each?</p>\n",
    );
    raw_table(
        page,
        "Estimates with 95 % intervals",
        &folder.join("fit.csv"),
    )?;
    Ok(())
}
