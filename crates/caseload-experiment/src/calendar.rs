//! Calendar arithmetic for the axes of questions asked in dates (a sweep over start dates, a
//! frontier's starts, a search over dates): ISO dates and whole calendar months. The model and
//! engine count days; the scenario crate turns its dates into days.

/// An ISO date, `2014-07-01`.
pub fn parse_date(token: &str) -> Option<time::Date> {
    time::Date::parse(
        token,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .ok()
}

/// `date` moved `months` calendar months on, the day kept (or the month's last, if shorter).
pub fn add_months(date: time::Date, months: i64) -> Option<time::Date> {
    let index = i64::from(date.year()) * 12 + i64::from(u8::from(date.month())) - 1 + months;
    let year = i32::try_from(index.div_euclid(12)).ok()?;
    let month = time::Month::try_from(u8::try_from(index.rem_euclid(12) + 1).ok()?).ok()?;
    let day = date.day().min(month.length(year));
    time::Date::from_calendar_date(year, month, day).ok()
}
