//! Observed monthly figures for a back-test, read from CSV against a scenario's calendar.
//!
//! Columns: `period_start` (the first of a month), `figure` (`referrals`, `unallocated`,
//! `open` or `officers_in_post`), `value`, and optionally `team` (empty: all teams) and `basis`
//! (where the value comes from; not used). Referrals
//! are those arriving in the month; the others are levels at the month's end.

use std::path::Path;

use caseload_experiment::{Observation, Observed};
use time::{Date, Month};

use crate::RunPlan;

/// An observed file that cannot be used, with the line at fault.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{file}{}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct ObservedError {
    /// The file.
    pub file: String,
    /// Line (1 is the header), when one is at fault.
    pub line: Option<u64>,
    /// What is wrong and what was expected.
    pub message: String,
}

/// A CSV data file held whole in memory, as its reader.
pub(crate) type CsvFile = csv::Reader<std::io::Cursor<Vec<u8>>>;

/// A CSV data file read whole (bounded), its header checked: each column once, each one of
/// `allowed` (`expected` says which in words). Returns the reader and the header.
pub(crate) fn open_csv(
    path: &Path,
    allowed: &[&str],
    expected: &str,
) -> Result<(CsvFile, csv::StringRecord), ObservedError> {
    let fail = |line: Option<u64>, message: String| ObservedError {
        file: path.display().to_string(),
        line,
        message,
    };
    let bytes = crate::load::read_bounded(path, crate::load::MAX_DATA_FILE_BYTES)
        .map_err(|e| fail(None, e))?;
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(std::io::Cursor::new(bytes));
    let header = reader
        .headers()
        .map_err(|e| fail(Some(1), format!("cannot read the header: {e}")))?
        .clone();
    for (i, name) in header.iter().enumerate() {
        if header.iter().take(i).any(|h| h == name) {
            return Err(fail(
                Some(1),
                format!("the column `{name}` is given twice: expected each column once"),
            ));
        }
        if !allowed.contains(&name) {
            return Err(fail(
                Some(1),
                format!("unknown column `{name}`: expected {expected}"),
            ));
        }
    }
    Ok((reader, header))
}

/// Reads the observations of `path` as days of `plan`'s run.
pub fn read_observed(path: &Path, plan: &RunPlan) -> Result<Vec<Observation>, ObservedError> {
    let file = path.display().to_string();
    let fail = |line: Option<u64>, message: String| ObservedError {
        file: file.clone(),
        line,
        message,
    };
    let (mut reader, header) = open_csv(
        path,
        &["period_start", "figure", "value", "team", "basis"],
        "period_start, figure, value and optionally team and basis",
    )?;
    let column = |name: &str| header.iter().position(|h| h == name);
    let (Some(date_col), Some(figure_col), Some(value_col)) =
        (column("period_start"), column("figure"), column("value"))
    else {
        return Err(fail(
            Some(1),
            "expected the columns period_start, figure and value".into(),
        ));
    };
    let team_col = column("team");
    let horizon_day = plan.model.horizon_days.floor() as i64;
    let day_of = |d: Date| (d - plan.start_date).whole_days();
    let mut observations = Vec::new();
    // Each figure, team and month once: the line it was first given on.
    let mut seen: std::collections::HashMap<(Observed, Option<usize>, i64), u64> =
        std::collections::HashMap::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            fail(
                e.position().map(|p| p.line()),
                format!("cannot read the row: {e}"),
            )
        })?;
        let line_number = record.position().map_or(0, |p| p.line());
        let line = Some(line_number);
        let field = |i: usize| record.get(i).unwrap_or("");
        let start = Date::parse(
            field(date_col),
            time::macros::format_description!("[year]-[month]-[day]"),
        )
        .ok()
        .filter(|d| d.day() == 1)
        .ok_or_else(|| {
            fail(
                line,
                format!(
                    "period_start `{}`: expected the first of a month, e.g. 2014-04-01",
                    field(date_col)
                ),
            )
        })?;
        let end = next_month(start);
        let figure = Observed::from_name(field(figure_col)).ok_or_else(|| {
            fail(
                line,
                format!(
                    "figure `{}`: expected one of {}",
                    field(figure_col),
                    Observed::ALL.map(Observed::name).join(", ")
                ),
            )
        })?;
        let value: f64 = field(value_col)
            .parse()
            .ok()
            .filter(|v: &f64| v.is_finite() && *v >= 0.0)
            .ok_or_else(|| {
                fail(
                    line,
                    format!("value `{}`: expected a number, 0 or more", field(value_col)),
                )
            })?;
        let team = match team_col.map(field).filter(|t| !t.is_empty()) {
            None => None,
            Some(name) => Some(
                plan.model
                    .teams
                    .iter()
                    .position(|t| t.name == name)
                    .ok_or_else(|| {
                        fail(line, format!("no team is named `{name}` in the scenario"))
                    })?,
            ),
        };
        let (from, to) = (day_of(start), day_of(end));
        if let Some(first) = seen.insert((figure, team, from), line_number) {
            return Err(fail(
                line,
                format!(
                    "{} {}for the month from {start} is given again (first on line {first}): \
                     expected each figure, team and month once",
                    figure.name(),
                    team.map_or_else(String::new, |t| format!("of {} ", plan.model.teams[t].name)),
                ),
            ));
        }
        if from < 0 || to > horizon_day {
            return Err(fail(
                line,
                format!(
                    "the month from {start} is outside the run ({} to {})",
                    plan.start_date,
                    plan.start_date + time::Duration::days(horizon_day)
                ),
            ));
        }
        observations.push(Observation {
            figure,
            team,
            from_day: from as usize,
            to_day: to as usize,
            value,
        });
    }
    if observations.is_empty() {
        return Err(fail(
            None,
            "no observations: the file has a header only".into(),
        ));
    }
    Ok(observations)
}

fn next_month(d: Date) -> Date {
    let (year, month) = match d.month() {
        Month::December => (d.year() + 1, Month::January),
        m => (d.year(), m.next()),
    };
    Date::from_calendar_date(year, month, 1).unwrap_or(d)
}
