//! Referral counts by calendar period, read from CSV.
//!
//! Columns: `period_start` (an ISO date, the first of a month), `case_type`, `count` (a whole
//! number of referrals), and optionally `team` and `basis` (e.g. observed or derived; kept for
//! the reader, not used). Rows of one case type (and team) form a series whose dates ascend,
//! each once; a series is monthly when some consecutive periods are a month apart, yearly when
//! every gap is a whole number of years. Gaps are allowed.

use std::io::Read;
use std::path::Path;

use time::{Date, Month};

/// How long each period of a series is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Granularity {
    /// Calendar months.
    Monthly,
    /// Twelve months from each `period_start` (e.g. financial years from 1 April).
    Yearly,
}

/// One period's count.
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    /// First day of the period.
    pub start: Date,
    /// First day after the period.
    pub end: Date,
    /// Referrals in the period.
    pub count: u64,
}

/// The counts of one case type (and team), in date order.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Case type as written in the file.
    pub case_type: String,
    /// Team, if the file has a `team` column.
    pub team: Option<String>,
    /// Monthly or yearly periods.
    pub granularity: Granularity,
    /// The periods with data.
    pub observations: Vec<Observation>,
}

impl Series {
    /// `case_type` or `case_type@team`.
    pub fn label(&self) -> String {
        match &self.team {
            Some(team) => format!("{}@{team}", self.case_type),
            None => self.case_type.clone(),
        }
    }
}

/// A count file that cannot be read, with the line it stopped at.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{file}{}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct CountsError {
    /// The file.
    pub file: String,
    /// Line (1 is the header), when one is at fault.
    pub line: Option<u64>,
    /// What is wrong and what was expected.
    pub message: String,
}

/// A row read: period start, count and the line it is on.
type Row = (Date, u64, u64);

const COLUMNS: [&str; 5] = ["period_start", "case_type", "count", "team", "basis"];

/// The longest span a series' counts may cover, months (a century): enough for any force's
/// records, and the fan's periods stay few.
pub const MAX_SPAN_MONTHS: i32 = 1200;

/// Most bytes a counts file may hold: a century of monthly counts for a thousand series is
/// under 5 MB, so a larger file (or a device that never ends) is refused, not read.
pub const MAX_COUNTS_BYTES: u64 = 64 << 20;

/// Reads every series of a count file, in the order their first rows appear.
pub fn read_counts(path: &Path) -> Result<Vec<Series>, CountsError> {
    read_counts_file(path).map(|(_, series)| series)
}

/// Reads the counts file at `path` once, at most [`MAX_COUNTS_BYTES`]: its text (to record
/// its hash) and its series, as [`read_counts`].
pub fn read_counts_file(path: &Path) -> Result<(String, Vec<Series>), CountsError> {
    let file = path.display().to_string();
    let fail = |line: Option<u64>, message: String| CountsError {
        file: file.clone(),
        line,
        message,
    };
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_COUNTS_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| fail(None, format!("cannot read: {e}")))?;
    if bytes.len() as u64 > MAX_COUNTS_BYTES {
        return Err(fail(
            None,
            format!(
                "larger than {} MB; a counts file holds a count per period, case type and team",
                MAX_COUNTS_BYTES >> 20
            ),
        ));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        fail(
            None,
            format!(
                "not UTF-8 text (byte {} is not valid); a counts file is CSV text",
                e.utf8_error().valid_up_to()
            ),
        )
    })?;
    let series = parse_counts(&text, &fail)?;
    Ok((text, series))
}

/// The series of a counts file's `text`; `fail` names the file in errors.
fn parse_counts(
    text: &str,
    fail: &dyn Fn(Option<u64>, String) -> CountsError,
) -> Result<Vec<Series>, CountsError> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
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
        if !COLUMNS.contains(&name) {
            return Err(fail(
                Some(1),
                format!(
                    "unknown column `{name}`: expected period_start, case_type, count and \
                     optionally team and basis"
                ),
            ));
        }
    }
    let column = |name: &str| header.iter().position(|h| h == name);
    let (Some(date_col), Some(type_col), Some(count_col)) =
        (column("period_start"), column("case_type"), column("count"))
    else {
        let missing: Vec<&str> = ["period_start", "case_type", "count"]
            .into_iter()
            .filter(|c| column(c).is_none())
            .collect();
        return Err(fail(
            Some(1),
            format!("missing column(s): {}", missing.join(", ")),
        ));
    };
    let team_col = column("team");
    // Per (case type, team): the rows read, as (date, count, line).
    let mut series: Vec<(String, Option<String>, Vec<Row>)> = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            fail(
                e.position().map(|p| p.line()),
                format!("cannot read the row: {e}"),
            )
        })?;
        let line = record.position().map_or(0, |p| p.line());
        let field = |i: usize| record.get(i).unwrap_or("");
        let date = parse_date(field(date_col)).ok_or_else(|| {
            fail(
                Some(line),
                format!(
                    "period_start `{}`: expected an ISO date, the first of a month (e.g. 2014-04-01)",
                    field(date_col)
                ),
            )
        })?;
        let case_type = field(type_col);
        if case_type.is_empty() {
            return Err(fail(Some(line), "case_type is empty".into()));
        }
        let text = field(count_col);
        let count: u64 = text.parse().map_err(|_| {
            fail(
                Some(line),
                format!("count `{text}`: expected a whole number of referrals, 0 or more"),
            )
        })?;
        let team = team_col
            .map(|c| field(c).to_string())
            .filter(|t| !t.is_empty());
        // Names go into the demand blocks' comments and the scenario's keys: one line each.
        for (column, name) in [
            ("case_type", case_type),
            ("team", team.as_deref().unwrap_or("")),
        ] {
            if name.chars().any(char::is_control) {
                return Err(fail(
                    Some(line),
                    format!(
                        "{column} {name:?}: expected a name without line breaks or other \
                         control characters"
                    ),
                ));
            }
        }
        let entry = match series
            .iter()
            .position(|(t, m, _)| t == case_type && *m == team)
        {
            Some(k) => &mut series[k].2,
            None => {
                series.push((case_type.to_string(), team, Vec::new()));
                &mut series.last_mut().expect("just pushed").2
            }
        };
        if let Some(&(previous, _, previous_line)) = entry.last()
            && date <= previous
        {
            return Err(fail(
                Some(line),
                format!(
                    "period_start {date} of {case_type} is {} {previous} on line {previous_line}: \
                     expected each series' dates ascending, each once",
                    if date == previous {
                        "a repeat of"
                    } else {
                        "before"
                    }
                ),
            ));
        }
        entry.push((date, count, line));
    }
    if series.is_empty() {
        return Err(fail(None, "no counts: the file has a header only".into()));
    }
    series
        .into_iter()
        .map(|(case_type, team, rows)| {
            let gaps: Vec<i32> = rows
                .windows(2)
                .map(|w| months_between(w[0].0, w[1].0))
                .collect();
            let granularity = if !gaps.is_empty() && gaps.iter().all(|g| g % 12 == 0) {
                Granularity::Yearly
            } else {
                Granularity::Monthly
            };
            if let (Some(first), Some(last)) = (rows.first(), rows.last())
                && months_between(first.0, last.0) > MAX_SPAN_MONTHS
            {
                return Err(fail(
                    Some(last.2),
                    format!(
                        "period_start {}: the counts of {case_type} span more than {} years \
                         (from {} on line {}); a counts file covers at most that",
                        last.0,
                        MAX_SPAN_MONTHS / 12,
                        first.0,
                        first.2
                    ),
                ));
            }
            let months = if granularity == Granularity::Yearly {
                12
            } else {
                1
            };
            let observations = rows
                .into_iter()
                .map(|(start, count, line)| {
                    let end = add_months(start, months).ok_or_else(|| {
                        fail(
                            Some(line),
                            format!(
                                "period_start {start}: the period ends after 9999, past the \
                                 calendar; expected a date of referrals counted"
                            ),
                        )
                    })?;
                    Ok(Observation { start, end, count })
                })
                .collect::<Result<_, CountsError>>()?;
            Ok(Series {
                case_type,
                team,
                granularity,
                observations,
            })
        })
        .collect()
}

fn parse_date(text: &str) -> Option<Date> {
    let date = Date::parse(
        text,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .ok()?;
    (date.day() == 1).then_some(date)
}

fn months_between(a: Date, b: Date) -> i32 {
    (b.year() - a.year()) * 12 + i32::from(u8::from(b.month())) - i32::from(u8::from(a.month()))
}

/// The first of the month `months` after `date` (itself a first of a month); `None` past the
/// calendar's last year (9999).
pub(crate) fn add_months(date: Date, months: i32) -> Option<Date> {
    let index = date.year() * 12 + i32::from(u8::from(date.month())) - 1 + months;
    let month = Month::try_from((index.rem_euclid(12) + 1) as u8).ok()?;
    Date::from_calendar_date(index.div_euclid(12), month, 1).ok()
}
