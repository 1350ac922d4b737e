//! The date axis of daily charts (ticks on calendar boundaries) and the helpers that draw
//! a daily series on it: the warm-up shaded, a band, a stacked layer, a line.

use super::*;

/// Calendar months, for date ticks.
pub(super) const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Year, month and day of an ISO date (`2014-04-01`) or month (`2014-04`, the first).
pub(super) fn year_month_day(text: &str) -> Option<(i32, u32, u32)> {
    let mut parts = text.split('-');
    let year = parts.next()?.parse().ok()?;
    let month: u32 = parts.next()?.parse().ok()?;
    let day = parts
        .next()
        .map_or(Some(1), |d| d.get(..2).unwrap_or(d).parse().ok())?;
    (1..=12).contains(&month).then_some((year, month, day))
}

/// Ticks on calendar boundaries for a chart whose x is the index into `dates`: the first
/// day of every month, quarter, half-year, year (or more) that falls in the range, the finest
/// step with at most `most` ticks; labelled `Apr 2014`, or `2015` for yearly steps.
pub(crate) fn calendar_ticks(dates: &[String], most: usize) -> Vec<(f64, String)> {
    let mut firsts: Vec<(usize, i32, u32)> = Vec::new();
    let mut previous = None;
    for (i, text) in dates.iter().enumerate() {
        let Some((year, month, day)) = year_month_day(text) else {
            continue;
        };
        let key = (year, month);
        if previous != Some(key) {
            if day == 1 {
                firsts.push((i, year, month));
            }
            previous = Some(key);
        }
    }
    for step in [1, 3, 6, 12, 24, 60, 120] {
        let chosen: Vec<&(usize, i32, u32)> = firsts
            .iter()
            .filter(|(_, y, m)| (y * 12 + *m as i32 - 1).rem_euclid(step) == 0)
            .collect();
        if !chosen.is_empty() && chosen.len() <= most {
            return chosen
                .into_iter()
                .map(|&(i, y, m)| {
                    let label = if step >= 12 {
                        format!("{y}")
                    } else {
                        format!("{} {y}", MONTHS[m as usize - 1])
                    };
                    (i as f64, label)
                })
                .collect();
        }
    }
    // Periods that never start a calendar year (e.g. financial years): every k-th one.
    let k = firsts.len().div_ceil(most.max(1)).max(1);
    firsts
        .iter()
        .step_by(k)
        .map(|&(i, y, m)| (i as f64, format!("{} {y}", MONTHS[m as usize - 1])))
        .collect()
}

/// An x axis of day (or period) indices whose ticks are given: calendar boundaries.
pub(super) struct DateAxis {
    pub(super) start: f64,
    pub(super) end: f64,
    pub(super) ticks: Vec<f64>,
}

impl Ranged for DateAxis {
    type FormatOption = plotters::coord::ranged1d::NoDefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let span = self.end - self.start;
        let share = if span > 0.0 {
            (value - self.start) / span
        } else {
            0.0
        };
        limit.0 + (share * f64::from(limit.1 - limit.0)).round() as i32
    }

    fn key_points<Hint: plotters::coord::ranged1d::KeyPointHint>(&self, _hint: Hint) -> Vec<f64> {
        self.ticks.clone()
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.start..self.end
    }
}

impl plotters::coord::ranged1d::ValueFormatter<f64> for DateAxis {
    /// The ticks are labelled by the chart's own formatter; this one is never asked.
    fn format(_value: &f64) -> String {
        String::new()
    }
}

/// A daily chart's plotting area.
pub(super) type DailyChart<'a, DB> = ChartContext<'a, DB, Cartesian2d<DateAxis, RangedCoordf64>>;

/// Shades the days from `from` to `warmup` (left out of the measures), the plot's full
/// height.
pub(super) fn shade_warmup<DB: DrawingBackend>(
    chart: &mut DailyChart<'_, DB>,
    from: f64,
    warmup: f64,
    top: f64,
) -> Result<(), String> {
    if warmup > from {
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(from, 0.0), (warmup, top)],
                BLACK.mix(0.07).filled(),
            )))
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Grey of the context lines drawn beneath a chart's own.
pub(super) const CONTEXT_GREY: RGBColor = RGBColor(175, 175, 175);

/// The values of `values` for the days `first` to `last` (whole days around them).
pub(super) fn in_days(values: &[f64], first: f64, last: f64) -> &[f64] {
    let start = (first.floor().max(0.0) as usize).min(values.len());
    let end = ((last.ceil() as usize).saturating_add(1)).clamp(start, values.len());
    &values[start..end]
}

/// The x axis's description, true to its ticks: yearly ticks fall on 1 January, the others
/// on the first of their month.
pub(super) fn ticks_description(ticks: &[(f64, String)]) -> &'static str {
    if !ticks.is_empty() && ticks.iter().all(|t| t.1.len() == 4) {
        "date (ticks on 1 January)"
    } else {
        "date (ticks on the first of the month)"
    }
}

/// A daily mean one pixel wide: a context line.
pub(super) fn draw_thin_line<DB: DrawingBackend>(
    chart: &mut DailyChart<'_, DB>,
    mean: &[f64],
    colour: RGBColor,
) -> Result<(), String> {
    let (first, last) = shown_days(chart);
    chart
        .draw_series(LineSeries::new(
            mean.iter()
                .enumerate()
                .filter(|&(d, y)| y.is_finite() && (first..=last).contains(&d))
                .map(|(d, &y)| (d as f64, y)),
            colour.stroke_width(1),
        ))
        .map_err(|e| e.to_string())?;
    Ok(())
}

/// The whole days a daily chart's x axis shows.
fn shown_days<DB: DrawingBackend>(chart: &DailyChart<'_, DB>) -> (usize, usize) {
    let range = chart.as_coord_spec().x_spec().range();
    (
        range.start.ceil().max(0.0) as usize,
        range.end.floor().max(0.0) as usize,
    )
}

/// The 5-95 % band between `lo` and `hi`, day by day, lightly filled in `colour`.
pub(super) fn draw_band<DB: DrawingBackend>(
    chart: &mut DailyChart<'_, DB>,
    lo: &[f64],
    hi: &[f64],
    colour: RGBColor,
) -> Result<(), String> {
    let (first, last) = shown_days(chart);
    // Days without a value break the band, as they break the line.
    let mut runs: Vec<Vec<usize>> = vec![Vec::new()];
    for d in first..=last.min(lo.len().min(hi.len()).saturating_sub(1)) {
        if lo[d].is_finite() && hi[d].is_finite() {
            if let Some(run) = runs.last_mut() {
                run.push(d);
            }
        } else if runs.last().is_some_and(|r| !r.is_empty()) {
            runs.push(Vec::new());
        }
    }
    for run in runs.iter().filter(|r| !r.is_empty()) {
        let upper = run.iter().map(|&d| (d as f64, hi[d]));
        let lower = run.iter().rev().map(|&d| (d as f64, lo[d]));
        chart
            .draw_series(std::iter::once(Polygon::new(
                upper.chain(lower).collect::<Vec<_>>(),
                colour.mix(0.15).filled(),
            )))
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// A stacked layer between `lower` and `upper`, day by day, filled in `colour`.
pub(super) fn draw_layer<DB: DrawingBackend>(
    chart: &mut DailyChart<'_, DB>,
    lower: &[f64],
    upper: &[f64],
    colour: RGBColor,
) -> Result<(), String> {
    let (first, last) = shown_days(chart);
    let shown = |&(d, _): &(usize, &f64)| (first..=last).contains(&d);
    let top = upper
        .iter()
        .enumerate()
        .filter(shown)
        .map(|(d, &y)| (d as f64, y));
    let bottom = lower
        .iter()
        .enumerate()
        .rev()
        .filter(shown)
        .map(|(d, &y)| (d as f64, y));
    let outline: Vec<(f64, f64)> = top.chain(bottom).collect();
    chart
        .draw_series(std::iter::once(Polygon::new(
            outline,
            colour.mix(0.6).filled(),
        )))
        .map_err(|e| e.to_string())?;
    Ok(())
}

/// A daily mean, two pixels thick (see [`one_pixel`]), solid or dashed.
pub(super) fn draw_daily_line<DB: DrawingBackend>(
    chart: &mut DailyChart<'_, DB>,
    mean: &[f64],
    colour: RGBColor,
    dashed: bool,
    top: f64,
) -> Result<(), String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let pixel = one_pixel(chart, top);
    let (first, last) = shown_days(chart);
    // A day without a value (e.g. the median age of an empty list) breaks the line: no
    // segment is drawn across it.
    let mut runs: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
    for (d, &y) in mean.iter().enumerate() {
        if !(first..=last).contains(&d) {
            continue;
        }
        if y.is_finite() {
            if let Some(run) = runs.last_mut() {
                run.push((d as f64, y));
            }
        } else if runs.last().is_some_and(|r| !r.is_empty()) {
            runs.push(Vec::new());
        }
    }
    for run in runs.iter().filter(|r| !r.is_empty()) {
        for shift in [0.0, pixel] {
            let points = run.iter().map(|&(x, y)| (x, y + shift));
            if dashed {
                chart
                    .draw_series(DashedLineSeries::new(points, 9, 5, colour.stroke_width(1)))
                    .map_err(err)?;
            } else {
                chart
                    .draw_series(LineSeries::new(points, colour.stroke_width(1)))
                    .map_err(err)?;
            }
        }
    }
    Ok(())
}

/// One pixel of a chart's y axis, in its units: a daily line is drawn twice, one pixel
/// apart, each one pixel wide, for a line two pixels thick without joins. (The bitmap
/// backend joins thick lines with mitres that shoot far past a sharp daily spike.)
pub(super) fn one_pixel<DB: DrawingBackend, X: Ranged>(
    chart: &ChartContext<'_, DB, Cartesian2d<X, RangedCoordf64>>,
    top: f64,
) -> f64 {
    let (_, ys) = chart.plotting_area().get_pixel_range();
    let height = f64::from((ys.end - ys.start).max(1));
    top / height
}
