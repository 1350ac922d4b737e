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

/// The ISO form of a date written day/month/year or month/day/year (`/`, `.` or `-` between,
/// a four-digit year last) found in `text`, as a message: both readings when both are
/// calendar dates, else the one that is.
pub fn date_hint(text: &str) -> Option<String> {
    let is_separator = |c: char| matches!(c, '/' | '.' | '-');
    let token = text
        .split(|c: char| c.is_whitespace() || c == '"' || c == '\'' || c == ',' || c == '=')
        .find(|t| t.split(is_separator).count() == 3 && t.contains(['/', '.']))?;
    let parts: Vec<&str> = token.split(is_separator).collect();
    let [a, b, year] = [parts[0], parts[1], parts[2]];
    if year.len() != 4 {
        return None;
    }
    let (a, b, year): (u8, u8, i32) = (a.parse().ok()?, b.parse().ok()?, year.parse().ok()?);
    let iso = |day: u8, month: u8| {
        let month = time::Month::try_from(month).ok()?;
        time::Date::from_calendar_date(year, month, day)
            .ok()
            .map(|d| d.to_string())
    };
    let (uk, us) = (iso(a, b), iso(b, a));
    let said = match (uk, us) {
        (Some(uk), Some(us)) if uk != us => {
            format!("{uk} if it is day/month/year (UK), {us} if month/day/year (US)")
        }
        (Some(uk), _) => uk,
        (None, Some(us)) => us,
        (None, None) => return None,
    };
    Some(format!("`{token}` is not an ISO date: write it as {said}"))
}

/// `date` moved `months` calendar months on, the day kept (or the month's last, if shorter).
pub fn add_months(date: time::Date, months: i64) -> Option<time::Date> {
    let index = i64::from(date.year()) * 12 + i64::from(u8::from(date.month())) - 1 + months;
    let year = i32::try_from(index.div_euclid(12)).ok()?;
    let month = time::Month::try_from(u8::try_from(index.rem_euclid(12) + 1).ok()?).ok()?;
    let day = date.day().min(month.length(year));
    time::Date::from_calendar_date(year, month, day).ok()
}

#[cfg(test)]
mod date_hint_tests {
    use super::date_hint;

    #[test]
    fn a_uk_or_us_date_gets_its_iso_form_in_one_step() {
        let hint = date_hint("start = 01/04/2009").expect("a hint");
        assert!(
            hint.contains("2009-04-01 if it is day/month/year (UK)"),
            "{hint}"
        );
        assert!(hint.contains("2009-01-04 if month/day/year (US)"), "{hint}");
        // Only one reading is a date: that one alone.
        assert!(
            date_hint("13/04/2009")
                .expect("a hint")
                .ends_with("as 2009-04-13")
        );
        assert!(
            date_hint("04/13/2009")
                .expect("a hint")
                .ends_with("as 2009-04-13")
        );
        assert!(
            date_hint("31.12.2014")
                .expect("a hint")
                .contains("2014-12-31")
        );
        // Not a date either way, or not a date at all.
        assert_eq!(date_hint("13/13/2009"), None);
        assert_eq!(date_hint("2009-04-01"), None);
        assert_eq!(date_hint("a = 1/2"), None);
    }
}
