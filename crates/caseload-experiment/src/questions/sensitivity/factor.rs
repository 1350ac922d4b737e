//! A factor of a sensitivity analysis: a scenario field varied over its range, mapped to and
//! from the unit interval the designs are drawn in.

use serde::{Deserialize, Serialize};

use crate::sweep::AxisValue;

/// A field varied from `low` to `high`; `written` is the scenario's own value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Factor {
    /// The field's path (e.g. `team_defaults.caseload_cap`).
    pub path: String,
    /// The low end of its range.
    pub low: AxisValue,
    /// The high end of its range.
    pub high: AxisValue,
    /// The value the scenario writes.
    pub written: AxisValue,
}

/// What kind of number a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Whole,
    Real,
    Date,
}

fn kind(value: AxisValue) -> Kind {
    match value {
        AxisValue::Whole(_) => Kind::Whole,
        AxisValue::Real(_) => Kind::Real,
        AxisValue::Date(_) => Kind::Date,
    }
}

impl Factor {
    /// The factor `path` from `low` to `high`, the scenario writing `written`; an error saying
    /// what is wrong if the range's kind is not the field's (a date range for a number, a
    /// fraction for a whole number) or it is empty.
    pub fn new(
        path: &str,
        low: AxisValue,
        high: AxisValue,
        written: AxisValue,
    ) -> Result<Self, String> {
        let field = kind(written);
        for end in [low, high] {
            match (field, kind(end)) {
                (Kind::Date, Kind::Date)
                | (Kind::Whole, Kind::Whole)
                | (Kind::Real, Kind::Whole | Kind::Real) => {}
                (Kind::Date, _) => {
                    return Err(format!(
                        "the field is a date ({written}); its range needs two dates, not `{end}`"
                    ));
                }
                (_, Kind::Date) => {
                    return Err(format!(
                        "the field is a number ({written}); its range needs two numbers, not \
                         the date {end}"
                    ));
                }
                (Kind::Whole, Kind::Real) => {
                    return Err(format!(
                        "the field is a whole number ({written}); its range needs whole \
                         numbers, not {end}"
                    ));
                }
            }
        }
        if low.as_f64() >= high.as_f64() {
            return Err(format!(
                "the range [{low}, {high}] is empty: its low end must be below its high end"
            ));
        }
        let (low, high) = match field {
            Kind::Real => (
                AxisValue::Real(low.as_f64()),
                AxisValue::Real(high.as_f64()),
            ),
            _ => (low, high),
        };
        Ok(Self {
            path: path.to_string(),
            low,
            high,
            written,
        })
    }

    /// The value at `u` of the way from low (0) to high (1): whole numbers and dates rounded
    /// to the nearest whole number or day.
    pub fn at(&self, u: f64) -> AxisValue {
        let (a, b) = (self.low.as_f64(), self.high.as_f64());
        let x = a + u.clamp(0.0, 1.0) * (b - a);
        match self.written {
            AxisValue::Whole(_) => AxisValue::Whole(x.round() as i64),
            AxisValue::Real(_) => AxisValue::Real(round_to_range(x, b - a)),
            AxisValue::Date(_) => {
                let day = x.round() as i32;
                time::Date::from_julian_day(day).map_or(self.low, AxisValue::Date)
            }
        }
    }

    /// Where `value` lies from low (0) to high (1).
    pub fn unit(&self, value: AxisValue) -> f64 {
        let (a, b) = (self.low.as_f64(), self.high.as_f64());
        (value.as_f64() - a) / (b - a)
    }
}

/// `x` rounded to the decimal places that resolve a ten-thousandth of `width` (2356.1 in a
/// range 1,500 wide, 0.04213 in one 0.15 wide), so values read as written.
fn round_to_range(x: f64, width: f64) -> f64 {
    if width.is_nan() || width <= 0.0 || !x.is_finite() {
        return x;
    }
    let places = (-(width / 1e4).log10()).ceil().clamp(0.0, 15.0) as i32;
    let scale = 10f64.powi(places);
    (x * scale).round() / scale
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_and_dates_round_and_kinds_must_match() {
        let cap = Factor::new(
            "cap",
            AxisValue::Whole(12),
            AxisValue::Whole(30),
            AxisValue::Whole(20),
        )
        .expect("a whole range");
        assert_eq!(cap.at(0.5), AxisValue::Whole(21));
        assert_eq!(cap.at(0.0), AxisValue::Whole(12));
        assert!((cap.unit(AxisValue::Whole(21)) - 0.5).abs() < 1e-12);
        let d = |s: &str| AxisValue::Date(crate::parse_date(s).expect("a date"));
        let start = Factor::new("s", d("2014-07-01"), d("2014-07-11"), d("2014-07-05"))
            .expect("a date range");
        assert_eq!(start.at(0.5), d("2014-07-06"));
        let share = Factor::new(
            "x",
            AxisValue::Whole(0),
            AxisValue::Whole(1),
            AxisValue::Real(0.05),
        )
        .expect("whole ends of a real field");
        assert_eq!(share.at(0.25), AxisValue::Real(0.25));
        // Reals keep the places a ten-thousandth of their range needs.
        let rate = Factor::new(
            "r",
            AxisValue::Whole(2000),
            AxisValue::Whole(3500),
            AxisValue::Real(2921.94),
        )
        .expect("a real range");
        assert_eq!(rate.at(0.237_411_3), AxisValue::Real(2356.1));
        let err = Factor::new("s", AxisValue::Whole(1), d("2014-07-11"), d("2014-07-05"))
            .expect_err("a number for a date");
        assert!(err.contains("two dates"), "{err}");
        let err = Factor::new("c", d("2014-07-01"), d("2014-07-11"), AxisValue::Whole(20))
            .expect_err("a date for a number");
        assert!(err.contains("two numbers"), "{err}");
        let err = Factor::new(
            "c",
            AxisValue::Real(0.5),
            AxisValue::Whole(3),
            AxisValue::Whole(2),
        )
        .expect_err("a fraction for a whole number");
        assert!(err.contains("whole numbers"), "{err}");
        let err = Factor::new(
            "c",
            AxisValue::Whole(3),
            AxisValue::Whole(3),
            AxisValue::Whole(3),
        )
        .expect_err("empty");
        assert!(err.contains("empty"), "{err}");
    }
}
