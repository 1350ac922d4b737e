//! The grid of a sweep: each swept field with its values, written on the command line as
//! `PATH=START:STOP:STEP` or `PATH=V1,V2,...`. Points are numbered with the first field
//! varying slowest.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::calendar::{add_months, parse_date};

/// Most values one field may take.
pub const MAX_VALUES: usize = 10_000;

/// Most points a grid may have.
pub const MAX_POINTS: usize = 1_000_000;

/// A swept value: whole numbers stay whole, so integer fields accept them.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum AxisValue {
    /// A whole number, e.g. officers.
    Whole(i64),
    /// Any other number, e.g. a growth rate.
    Real(f64),
    /// A calendar date, e.g. an action's start (`2014-07-01`).
    Date(time::Date),
}

impl fmt::Display for AxisValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AxisValue::Whole(i) => write!(f, "{i}"),
            AxisValue::Real(x) => write!(f, "{}", caseload_des::short(*x)),
            AxisValue::Date(d) => write!(f, "{d}"),
        }
    }
}

impl AxisValue {
    /// The value as a number.
    /// The value as a number (a date: its Julian day number, so dates order and space as
    /// time does).
    pub fn as_f64(self) -> f64 {
        match self {
            AxisValue::Whole(i) => i as f64,
            AxisValue::Real(x) => x,
            AxisValue::Date(d) => f64::from(d.to_julian_day()),
        }
    }

    /// Whether the value is a date.
    pub fn is_date(self) -> bool {
        matches!(self, AxisValue::Date(_))
    }

    fn parse(token: &str, spec: &str) -> Result<Self, GridError> {
        let token = token.trim();
        if let Ok(i) = token.parse::<i64>() {
            return Ok(AxisValue::Whole(i));
        }
        if let Some(date) = parse_date(token) {
            return Ok(AxisValue::Date(date));
        }
        match token.parse::<f64>() {
            Ok(x) if x.is_finite() => Ok(AxisValue::Real(x)),
            _ => Err(GridError::new(
                spec,
                format!("`{token}` is not a number or an ISO date like 2014-07-01"),
            )),
        }
    }
}

/// A field spec that is not a grid axis, or a grid too large.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("--param {spec}: {message}")]
pub struct GridError {
    /// The spec as written (`PATH=VALUES`).
    pub spec: String,
    /// What is wrong.
    pub message: String,
}

impl GridError {
    fn new(spec: &str, message: impl Into<String>) -> Self {
        Self {
            spec: spec.to_string(),
            message: message.into(),
        }
    }
}

/// One swept field and its values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Axis {
    /// The field's path in the scenario, e.g. `teams.north.establishment`.
    pub path: String,
    /// Its values, in the order swept.
    pub values: Vec<AxisValue>,
}

/// Digits after the decimal point in a number as written (none with an exponent).
fn decimals(token: &str) -> Option<i32> {
    if token.contains(['e', 'E']) {
        return None;
    }
    Some(token.split_once('.').map_or(0, |(_, d)| d.len() as i32))
}

impl Axis {
    /// The dates `spec` gives (a date, a list of dates or START:STOP:STEP like
    /// 2014-04-01:2014-10-01:3months) for the command-line option `--flag`; an error naming
    /// the option if `spec` is not dates.
    pub fn dates(flag: &str, spec: &str) -> Result<Vec<time::Date>, String> {
        let axis = Axis::parse(&format!("{flag}={spec}"))
            .map_err(|e| format!("--{flag} {spec}: {}", e.message))?;
        axis.values
            .iter()
            .map(|v| match v {
                AxisValue::Date(d) => Ok(*d),
                other => Err(format!("--{flag} {spec}: `{other}` is not a date")),
            })
            .collect()
    }

    /// Parses `PATH=START:STOP:STEP` (both ends included when the steps reach them) or
    /// `PATH=V1,V2,...`. The path is taken as written; the scenario checks it.
    pub fn parse(spec: &str) -> Result<Self, GridError> {
        let expected = "expected PATH=START:STOP:STEP or PATH=V1,V2,..., like \
                        teams.north.strength=100:130:10";
        let Some((path, values)) = spec.rsplit_once('=') else {
            return Err(GridError::new(spec, format!("no `=`; {expected}")));
        };
        let path = path.trim();
        if path.is_empty() {
            return Err(GridError::new(
                spec,
                format!("no field before `=`; {expected}"),
            ));
        }
        let values = if values.contains(':') {
            let parts: Vec<&str> = values.split(':').map(str::trim).collect();
            let [start, stop, step] = parts[..] else {
                return Err(GridError::new(
                    spec,
                    format!("a range has three parts; {expected}"),
                ));
            };
            range(spec, start, stop, step)?
        } else {
            values
                .split(',')
                .map(|t| AxisValue::parse(t, spec))
                .collect::<Result<Vec<_>, _>>()?
        };
        if values.len() > MAX_VALUES {
            return Err(GridError::new(
                spec,
                format!("{} values; at most {MAX_VALUES}", values.len()),
            ));
        }
        Ok(Axis {
            path: path.to_string(),
            values,
        })
    }
}

/// A step between dates: a number of days, weeks, months or years (`1month`, `14days`).
fn date_step(spec: &str, step: &str) -> Result<(i64, &'static str), GridError> {
    let digits: String = step.chars().take_while(char::is_ascii_digit).collect();
    let unit = step[digits.len()..].trim();
    let count: i64 = digits.parse().unwrap_or(0);
    let unit = match unit {
        "day" | "days" | "d" => "days",
        "week" | "weeks" | "w" => "weeks",
        "month" | "months" | "m" => "months",
        "year" | "years" | "y" => "years",
        _ => "",
    };
    if count < 1 || unit.is_empty() {
        return Err(GridError::new(
            spec,
            format!(
                "the step `{step}` between dates: expected a whole number of days, weeks, \
                 months or years, like 1month or 14days"
            ),
        ));
    }
    Ok((count, unit))
}

/// The dates from `a` to `b` (inclusive) in steps of `step`.
fn date_range(
    spec: &str,
    a: time::Date,
    b: time::Date,
    step: &str,
) -> Result<Vec<AxisValue>, GridError> {
    let (count, unit) = date_step(spec, step)?;
    let mut values = Vec::new();
    for i in 0.. {
        let next = match unit {
            "days" => a.checked_add(time::Duration::days(i * count)),
            "weeks" => a.checked_add(time::Duration::weeks(i * count)),
            "months" => add_months(a, i * count),
            _ => add_months(a, 12 * i * count),
        };
        match next {
            Some(d) if d <= b => values.push(AxisValue::Date(d)),
            _ => break,
        }
        if values.len() > MAX_VALUES {
            return Err(GridError::new(
                spec,
                format!("more than {MAX_VALUES} values"),
            ));
        }
    }
    if values.is_empty() {
        return Err(GridError::new(spec, format!("no date from {a} to {b}")));
    }
    Ok(values)
}

/// The values from `start` to `stop` in steps of `step`.
fn range(spec: &str, start: &str, stop: &str, step: &str) -> Result<Vec<AxisValue>, GridError> {
    if let (Some(a), Some(b)) = (parse_date(start), parse_date(stop)) {
        return date_range(spec, a, b, step);
    }
    let (a, b, s) = (
        AxisValue::parse(start, spec)?,
        AxisValue::parse(stop, spec)?,
        AxisValue::parse(step, spec)?,
    );
    if a.is_date() || b.is_date() || s.is_date() {
        return Err(GridError::new(
            spec,
            "a range of dates is START:STOP:STEP with two dates and a step like 1month",
        ));
    }
    if s.as_f64() == 0.0 {
        return Err(GridError::new(spec, "the step is 0"));
    }
    let count = ((b.as_f64() - a.as_f64()) / s.as_f64() + 1e-9).floor() + 1.0;
    if count < 1.0 {
        return Err(GridError::new(
            spec,
            format!("no value from {a} to {b} in steps of {s}"),
        ));
    }
    if count > MAX_VALUES as f64 {
        return Err(GridError::new(
            spec,
            format!("{count} values; at most {MAX_VALUES}"),
        ));
    }
    let count = count as i64;
    Ok(match (a, s) {
        (AxisValue::Whole(a), AxisValue::Whole(s)) if matches!(b, AxisValue::Whole(_)) => {
            (0..count).map(|i| AxisValue::Whole(a + i * s)).collect()
        }
        _ => {
            let places = [start, stop, step]
                .iter()
                .map(|t| decimals(t))
                .try_fold(0, |most, d| d.map(|d| most.max(d)));
            (0..count)
                .map(|i| {
                    let x = a.as_f64() + i as f64 * s.as_f64();
                    AxisValue::Real(match places {
                        // Undo the binary drift of repeated steps: 0.1 * 3 is 0.3.
                        Some(p) => (x * 10f64.powi(p)).round() / 10f64.powi(p),
                        None => x,
                    })
                })
                .collect()
        }
    })
}

/// The axes of a sweep: its points are every combination of their values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Grid {
    /// The swept fields, the first varying slowest.
    pub axes: Vec<Axis>,
}

impl Grid {
    /// Parses one `PATH=VALUES` spec per axis; a field may be swept once.
    pub fn parse<S: AsRef<str>>(specs: &[S]) -> Result<Self, GridError> {
        let mut axes: Vec<Axis> = Vec::new();
        for spec in specs {
            let axis = Axis::parse(spec.as_ref())?;
            if axes.iter().any(|a| a.path == axis.path) {
                return Err(GridError::new(spec.as_ref(), "the field is swept twice"));
            }
            axes.push(axis);
        }
        let grid = Grid { axes };
        if grid.checked_points().is_none() {
            let all: Vec<&str> = specs.iter().map(AsRef::as_ref).collect();
            return Err(GridError::new(
                &all.join(" --param "),
                format!("the grid has more than {MAX_POINTS} points"),
            ));
        }
        Ok(grid)
    }

    fn checked_points(&self) -> Option<usize> {
        self.axes
            .iter()
            .try_fold(1usize, |n, a| n.checked_mul(a.values.len()))
            .filter(|&n| n <= MAX_POINTS)
    }

    /// Points in the grid (the product of the axes' lengths).
    pub fn points(&self) -> usize {
        self.axes.iter().map(|a| a.values.len()).product()
    }

    /// The values of point `p`, one per axis: the first axis varies slowest.
    pub fn point(&self, p: usize) -> Vec<AxisValue> {
        let mut rest = p;
        let mut values = vec![AxisValue::Whole(0); self.axes.len()];
        for (i, axis) in self.axes.iter().enumerate().rev() {
            let n = axis.values.len();
            values[i] = axis.values[rest % n];
            rest /= n;
        }
        values
    }

    /// The axes' paths.
    pub fn paths(&self) -> Vec<String> {
        self.axes.iter().map(|a| a.path.clone()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(spec: &str) -> Vec<String> {
        Axis::parse(spec)
            .expect("a valid axis")
            .values
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn dates_of_an_option_are_dates_or_an_error_naming_it() {
        let dates = Axis::dates("start", "2014-04-01:2014-10-01:3months").expect("dates");
        assert_eq!(
            dates.iter().map(ToString::to_string).collect::<Vec<_>>(),
            ["2014-04-01", "2014-07-01", "2014-10-01"]
        );
        let err = Axis::dates("start", "2014-04-01,7").expect_err("a number");
        assert_eq!(err, "--start 2014-04-01,7: `7` is not a date");
        let err = Axis::dates("dates", "01/04/2019").expect_err("not ISO");
        assert!(err.starts_with("--dates 01/04/2019: "), "{err}");
    }

    #[test]
    fn dates_sweep_by_days_weeks_months_and_years() {
        let axis = Axis::parse("actions.t.start=2014-01-31:2014-05-31:1month").expect("dates");
        let shown: Vec<String> = axis.values.iter().map(ToString::to_string).collect();
        // A month on from 31 January is the last day of February.
        assert_eq!(
            shown,
            [
                "2014-01-31",
                "2014-02-28",
                "2014-03-31",
                "2014-04-30",
                "2014-05-31"
            ]
        );
        let weeks = Axis::parse("a.start=2014-07-01:2014-07-29:2weeks").expect("dates");
        assert_eq!(weeks.values.len(), 3);
        let years = Axis::parse("a.start=2014-04-01:2016-04-01:1year").expect("dates");
        assert_eq!(years.values.len(), 3);
        let list = Axis::parse("a.start=2014-07-01,2015-01-01").expect("a list of dates");
        assert!(list.values.iter().all(|v| v.is_date()));
        assert!(list.values[0].as_f64() < list.values[1].as_f64());
        for bad in [
            "a.start=2014-07-01:2015-01-01:1fortnight",
            "a.start=2014-07-01:2015-01-01:0months",
            "a.start=2015-07-01:2014-01-01:1month",
            "a.start=2014-07-01:2015-01-01:3",
            "a.start=2014-02-30",
        ] {
            assert!(Axis::parse(bad).is_err(), "{bad}");
        }
        // Dates travel through the manifest as ISO text.
        let json = serde_json::to_string(&list).expect("json");
        assert!(json.contains("\"2014-07-01\""), "{json}");
        let back: Axis = serde_json::from_str(&json).expect("read back");
        assert_eq!(back, list);
    }

    #[test]
    fn axes_parse_ranges_and_lists() {
        assert_eq!(values("teams.a.strength=8:12:2"), ["8", "10", "12"]);
        assert_eq!(values("teams.a.strength=8:13:2"), ["8", "10", "12"]);
        assert_eq!(values("x=0:0.3:0.1"), ["0", "0.1", "0.2", "0.3"]);
        assert_eq!(values("x=10:4:-3"), ["10", "7", "4"]);
        assert_eq!(values("x=1, 2.5 ,4"), ["1", "2.5", "4"]);
        assert!(matches!(
            Axis::parse("x=1,2").map(|a| a.values),
            Ok(v) if v == [AxisValue::Whole(1), AxisValue::Whole(2)]
        ));
        for bad in [
            "x",
            "x=1:2",
            "x=1:5:0",
            "x=5:1:1",
            "x=a,b",
            "x=1:2:nan",
            "=1",
            "x=0:100000:1",
        ] {
            assert!(Axis::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn points_vary_the_first_axis_slowest() {
        let grid = Grid::parse(&["a=1,2", "b=10,20,30"]).expect("a valid grid");
        assert_eq!(grid.points(), 6);
        let text = |p| {
            grid.point(p)
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
        };
        assert_eq!(text(0), ["1", "10"]);
        assert_eq!(text(2), ["1", "30"]);
        assert_eq!(text(3), ["2", "10"]);
        assert_eq!(text(5), ["2", "30"]);
    }

    #[test]
    fn a_field_swept_twice_or_a_huge_grid_is_refused() {
        assert!(Grid::parse(&["a=1,2", "a=3"]).is_err());
        assert!(Grid::parse(&["a=1:10000:1", "b=1:10000:1"]).is_err());
    }
}
