//! Charts as PNG and SVG: a daily mean with its 5-95 % band across replications, one line per
//! series, and vertical markers at each staffing action's start and end. Text is drawn with a
//! font compiled into the program, so charts look the same on every machine.

use std::path::Path;
use std::sync::Once;

use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// DejaVu Sans (Bitstream Vera licence, see `fonts/DejaVuSans-LICENSE.txt`).
const FONT: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");

/// Chart size, pixels.
const SIZE: (u32, u32) = (1200, 675);

/// Line colours, in series order (colour-blind-safe Okabe-Ito palette).
const PALETTE: [RGBColor; 7] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(0, 0, 0),
];

/// Drawing a chart failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ChartError {
    /// The plotting backend failed (e.g. the file could not be written).
    #[error("drawing {file}: {message}")]
    Draw {
        /// The chart file.
        file: String,
        /// What the backend said.
        message: String,
    },
}

/// One line on a chart: a daily mean and, optionally, its band.
#[derive(Debug, Clone)]
pub struct Line<'a> {
    /// Legend text.
    pub label: String,
    /// Mean per day.
    pub mean: &'a [f64],
    /// 5th and 95th percentiles per day, if the band is drawn.
    pub band: Option<(&'a [f64], &'a [f64])>,
}

/// A staffing action drawn as vertical lines at its start and (if it ends) its end, its name
/// listed in the key beside its number.
pub use caseload_experiment::Marker;

/// What a chart shows.
#[derive(Debug, Clone)]
pub struct Chart<'a> {
    /// Title above the plot.
    pub title: String,
    /// Y axis label, with unit.
    pub y_label: String,
    /// Calendar date of each day, for the x axis.
    pub dates: &'a [String],
    /// The lines.
    pub lines: Vec<Line<'a>>,
    /// Staffing-action markers.
    pub markers: &'a [Marker],
    /// Days (or periods) at the start left out of the measures, shaded; 0 for none.
    pub warmup_days: f64,
    /// Whether the lines are parts of a whole, drawn stacked: each line's mean as a filled
    /// layer on the ones before it, so the top edge is their total (no bands).
    pub stacked: bool,
}

fn register_font() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // The font is compiled in and known to parse; a failure would only lose text.
        let _ = plotters::style::register_font("sans-serif", FontStyle::Normal, FONT);
    });
}

/// Something drawn to a plotters drawing area, whatever the backend.
trait Drawing {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String>;
    /// Width and height, pixels.
    fn size(&self) -> (u32, u32) {
        SIZE
    }
}

/// The legend box, top right, in every chart's style.
fn draw_legend<'a, DB: DrawingBackend + 'a, X: Ranged<ValueType = f64> + 'a>(
    chart: &mut ChartContext<'a, DB, Cartesian2d<X, RangedCoordf64>>,
) -> Result<(), String> {
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .label_font(("sans-serif", 15))
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.4))
        .draw()
        .map_err(|e| e.to_string())
}

/// The largest font size, 24 down to 12 pixels, at which `title` fits across `area`.
fn title_size<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, title: &str) -> u32 {
    let room = area.dim_in_pixel().0.saturating_sub(40);
    (12..=24)
        .rev()
        .find(|&size| {
            area.estimate_text_size(title, &TextStyle::from(("sans-serif", size).into_font()))
                .is_ok_and(|(w, _)| w <= room)
        })
        .unwrap_or(12)
}

/// Draws `drawing` to `stem.png` and `stem.svg`.
fn write_png_and_svg(drawing: &impl Drawing, stem: &Path) -> Result<(), ChartError> {
    register_font();
    let png = stem.with_extension("png");
    let svg = stem.with_extension("svg");
    let fail = |file: &Path, message: String| ChartError::Draw {
        file: file.display().to_string(),
        message,
    };
    {
        let root = BitMapBackend::new(&png, drawing.size()).into_drawing_area();
        drawing.draw(&root).map_err(|e| fail(&png, e))?;
        root.present().map_err(|e| fail(&png, e.to_string()))?;
    }
    let root = SVGBackend::new(&svg, drawing.size()).into_drawing_area();
    drawing.draw(&root).map_err(|e| fail(&svg, e))?;
    root.present().map_err(|e| fail(&svg, e.to_string()))?;
    Ok(())
}

impl Chart<'_> {
    /// Draws the chart to `stem.png` and `stem.svg`.
    pub fn write(&self, stem: &Path) -> Result<(), ChartError> {
        write_png_and_svg(self, stem)
    }
}

/// Height of the plot above a time-series chart's key, pixels.
const PLOT_HEIGHT: u32 = 675;

/// Height of one line of a chart's key, pixels.
const KEY_LINE: u32 = 24;

/// Calendar months, for date ticks.
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Year, month and day of an ISO date (`2014-04-01`) or month (`2014-04`, the first).
fn year_month_day(text: &str) -> Option<(i32, u32, u32)> {
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
struct DateAxis {
    start: f64,
    end: f64,
    ticks: Vec<f64>,
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
type DailyChart<'a, DB> = ChartContext<'a, DB, Cartesian2d<DateAxis, RangedCoordf64>>;

/// Shades the days before `warmup` (left out of the measures), the plot's full height.
fn shade_warmup<DB: DrawingBackend>(
    chart: &mut DailyChart<'_, DB>,
    warmup: f64,
    top: f64,
) -> Result<(), String> {
    if warmup > 0.0 {
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(0.0, 0.0), (warmup, top)],
                BLACK.mix(0.07).filled(),
            )))
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// The 5-95 % band between `lo` and `hi`, day by day, lightly filled in `colour`.
fn draw_band<DB: DrawingBackend>(
    chart: &mut DailyChart<'_, DB>,
    lo: &[f64],
    hi: &[f64],
    colour: RGBColor,
) -> Result<(), String> {
    let upper = hi.iter().enumerate().map(|(d, &y)| (d as f64, y));
    let lower = lo.iter().enumerate().rev().map(|(d, &y)| (d as f64, y));
    let outline: Vec<(f64, f64)> = upper.chain(lower).filter(|p| p.1.is_finite()).collect();
    chart
        .draw_series(std::iter::once(Polygon::new(
            outline,
            colour.mix(0.15).filled(),
        )))
        .map_err(|e| e.to_string())?;
    Ok(())
}

/// A stacked layer between `lower` and `upper`, day by day, filled in `colour`.
fn draw_layer<DB: DrawingBackend>(
    chart: &mut DailyChart<'_, DB>,
    lower: &[f64],
    upper: &[f64],
    colour: RGBColor,
) -> Result<(), String> {
    let top = upper.iter().enumerate().map(|(d, &y)| (d as f64, y));
    let bottom = lower.iter().enumerate().rev().map(|(d, &y)| (d as f64, y));
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
fn draw_daily_line<DB: DrawingBackend>(
    chart: &mut DailyChart<'_, DB>,
    mean: &[f64],
    colour: RGBColor,
    dashed: bool,
    top: f64,
) -> Result<(), String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let pixel = one_pixel(chart, top);
    for shift in [0.0, pixel] {
        let points = mean
            .iter()
            .enumerate()
            .filter(|p| p.1.is_finite())
            .map(|(d, &y)| (d as f64, y + shift));
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
    Ok(())
}

/// One pixel of a chart's y axis, in its units: a daily line is drawn twice, one pixel
/// apart, each one pixel wide, for a line two pixels thick without joins. (The bitmap
/// backend joins thick lines with mitres that shoot far past a sharp daily spike.)
fn one_pixel<DB: DrawingBackend, X: Ranged>(
    chart: &ChartContext<'_, DB, Cartesian2d<X, RangedCoordf64>>,
    top: f64,
) -> f64 {
    let (_, ys) = chart.plotting_area().get_pixel_range();
    let height = f64::from((ys.end - ys.start).max(1));
    top / height
}

/// Colour and dash of series `i`: seven colour-blind-safe colours, solid then dashed, so 14
/// series stay apart.
fn series_style(i: usize) -> (RGBColor, bool) {
    (PALETTE[i % PALETTE.len()], (i / PALETTE.len()) % 2 == 1)
}

/// Colour of stacked layer `i`: the palette, then the palette half-way to white and half-way
/// to black, so 21 layers stay apart (a layer is a fill, not a dashed line).
fn layer_colour(i: usize) -> RGBColor {
    let RGBColor(r, g, b) = PALETTE[i % PALETTE.len()];
    let mix = |c: u8, to: u8| ((u16::from(c) + u16::from(to)) / 2) as u8;
    match (i / PALETTE.len()) % 3 {
        0 => RGBColor(r, g, b),
        1 => RGBColor(mix(r, 255), mix(g, 255), mix(b, 255)),
        _ => RGBColor(mix(r, 0), mix(g, 0), mix(b, 0)),
    }
}

/// One entry of a chart's key.
enum KeyEntry {
    /// A series: colour, dashed, with a band.
    Series(RGBColor, bool, bool, String),
    /// A staffing action: its number.
    Action(usize, String),
    /// The shaded warm-up.
    Warmup(String),
    /// A line of explanation.
    Note(String),
}

/// Most lines whose bands a chart draws: beyond, overlapping bands hide the lines, and the
/// intervals are in the tables.
const MOST_BANDS: usize = 4;

impl Chart<'_> {
    /// Whether the bands are drawn (a few lines only, and not stacked).
    fn shows_bands(&self) -> bool {
        self.lines.len() <= MOST_BANDS && !self.stacked
    }

    /// The stacked layers' upper edges: line `i`'s mean plus every earlier line's, day by day
    /// (a day a line has no value adds nothing).
    fn stacked_tops(&self) -> Vec<Vec<f64>> {
        let days = self.lines.iter().map(|l| l.mean.len()).max().unwrap_or(0);
        let mut below = vec![0.0; days];
        self.lines
            .iter()
            .map(|line| {
                for (d, total) in below.iter_mut().enumerate() {
                    let y = line.mean.get(d).copied().unwrap_or(0.0);
                    if y.is_finite() {
                        *total += y;
                    }
                }
                below.clone()
            })
            .collect()
    }

    fn key(&self) -> Vec<KeyEntry> {
        let mut key: Vec<KeyEntry> = self
            .lines
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let (colour, dashed) = if self.stacked {
                    (layer_colour(i), false)
                } else {
                    series_style(i)
                };
                KeyEntry::Series(
                    colour,
                    dashed,
                    l.band.is_some() && self.shows_bands(),
                    l.label.clone(),
                )
            })
            .collect();
        let date = |d: f64| {
            self.dates
                .get(d.max(0.0).round() as usize)
                .cloned()
                .unwrap_or_else(|| format!("day {d:.0}"))
        };
        for (n, m) in self.markers.iter().enumerate() {
            let when = match m.end_day {
                Some(end) => format!("{} to {}", date(m.start_day), date(end)),
                None => format!("from {}", date(m.start_day)),
            };
            key.push(KeyEntry::Action(n + 1, format!("{}: {when}", m.label)));
        }
        if !self.markers.is_empty() {
            key.push(KeyEntry::Note(
                "numbered dashed line: an action starts; dotted line: it ends".into(),
            ));
        }
        if self.stacked {
            key.push(KeyEntry::Note(
                "stacked, first listed at the bottom; the top edge is the total".into(),
            ));
        } else if !self.shows_bands() && self.lines.iter().any(|l| l.band.is_some()) {
            key.push(KeyEntry::Note(format!(
                "means only: with more than {MOST_BANDS} lines the 5-95 % bands are left out"
            )));
        }
        if self.warmup_days > 0.0 {
            key.push(KeyEntry::Warmup(format!(
                "warm-up to {}: left out of the measures",
                date(self.warmup_days)
            )));
        }
        key
    }

    /// Rows of the key in each of its two columns.
    fn key_rows(&self) -> u32 {
        let entries = self.key().len() as u32;
        if entries <= 4 {
            entries
        } else {
            entries.div_ceil(2)
        }
    }
}

impl Drawing for Chart<'_> {
    fn size(&self) -> (u32, u32) {
        (SIZE.0, PLOT_HEIGHT + 16 + KEY_LINE * self.key_rows())
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
        root.fill(&WHITE).map_err(err)?;
        let (plot_area, key_area) = root.split_vertically(PLOT_HEIGHT);
        let days = self.dates.len().saturating_sub(1).max(1) as f64;
        let stacked = if self.stacked {
            self.stacked_tops()
        } else {
            Vec::new()
        };
        let top = self
            .lines
            .iter()
            .flat_map(|l| l.band.map_or(l.mean, |b| b.1).iter())
            .chain(stacked.iter().flatten())
            .copied()
            .filter(|x| x.is_finite())
            .fold(0.0f64, f64::max);
        let top = if top > 0.0 { top * 1.12 } else { 1.0 };
        let ticks = calendar_ticks(self.dates, 12);
        let axis = DateAxis {
            start: 0.0,
            end: days,
            ticks: ticks.iter().map(|t| t.0).collect(),
        };
        let tick_label = |x: &f64| {
            ticks
                .iter()
                .find(|t| (t.0 - x).abs() < 0.5)
                .map_or_else(String::new, |t| t.1.clone())
        };
        let mut chart = ChartBuilder::on(&plot_area)
            .caption(
                &self.title,
                ("sans-serif", title_size(&plot_area, &self.title)),
            )
            .margin(18)
            .margin_right(30)
            .x_label_area_size(48)
            .y_label_area_size(90)
            .build_cartesian_2d(axis, 0f64..top)
            .map_err(err)?;
        chart
            .configure_mesh()
            .y_labels(8)
            .x_label_formatter(&tick_label)
            .y_label_formatter(&|y: &f64| axis_grouped(*y, top))
            .x_desc("date (ticks on the first of the month)")
            .y_desc(self.y_label.as_str())
            .label_style(("sans-serif", 15))
            .axis_desc_style(("sans-serif", 17))
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(err)?;
        shade_warmup(&mut chart, self.warmup_days.min(days), top)?;
        let grey = RGBColor(80, 80, 80);
        for marker in self.markers {
            for (x, dashed) in std::iter::once((marker.start_day, true))
                .chain(marker.end_day.map(|e| (e, false)))
                .filter(|(x, _)| *x >= 0.0 && *x <= days)
            {
                let (size, spacing, style) = if dashed {
                    (10, 5, grey.mix(0.85).stroke_width(1))
                } else {
                    (2, 5, grey.mix(0.6).stroke_width(1))
                };
                chart
                    .draw_series(DashedLineSeries::new(
                        [(x, 0.0), (x, top)],
                        size,
                        spacing,
                        style,
                    ))
                    .map_err(err)?;
            }
        }
        if self.stacked {
            let zero = vec![0.0; stacked.first().map_or(0, Vec::len)];
            for (i, upper) in stacked.iter().enumerate() {
                let colour = layer_colour(i);
                let lower = if i == 0 { &zero } else { &stacked[i - 1] };
                draw_layer(&mut chart, lower, upper, colour)?;
                draw_daily_line(&mut chart, upper, colour, false, top)?;
            }
        }
        for (i, line) in self.lines.iter().enumerate().filter(|_| !self.stacked) {
            let (colour, dashed) = series_style(i);
            if let Some((lo, hi)) = line.band.filter(|_| self.shows_bands()) {
                draw_band(&mut chart, lo, hi, colour)?;
            }
            draw_daily_line(&mut chart, line.mean, colour, dashed, top)?;
        }
        // Action numbers along the top of the plot, stacked where they would touch.
        let mut row_ends: Vec<i32> = Vec::new();
        for (n, marker) in self.markers.iter().enumerate() {
            if !(0.0..=days).contains(&marker.start_day) {
                continue;
            }
            let (px, py) = chart.backend_coord(&(marker.start_day, top));
            let row = row_ends
                .iter()
                .position(|&end| end + 4 < px - 11)
                .unwrap_or(row_ends.len());
            if row == row_ends.len() {
                row_ends.push(px + 11);
            } else {
                row_ends[row] = px + 11;
            }
            let y = py + 12 + 22 * row as i32;
            plot_area
                .draw(&Rectangle::new(
                    [(px - 10, y - 10), (px + 10, y + 10)],
                    WHITE.filled(),
                ))
                .map_err(err)?;
            plot_area
                .draw(&Rectangle::new(
                    [(px - 10, y - 10), (px + 10, y + 10)],
                    grey.stroke_width(1),
                ))
                .map_err(err)?;
            plot_area
                .draw(&Text::new(
                    format!("{}", n + 1),
                    (px, y),
                    ("sans-serif", 13)
                        .into_font()
                        .color(&BLACK)
                        .pos(Pos::new(HPos::Center, VPos::Center)),
                ))
                .map_err(err)?;
        }
        self.draw_key(&key_area).map_err(err)
    }
}

impl Chart<'_> {
    /// The key below the plot: series, numbered actions, the warm-up; two columns when long.
    fn draw_key<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let rows = self.key_rows().max(1) as usize;
        let text = ("sans-serif", 15).into_font().color(&BLACK);
        let grey = RGBColor(80, 80, 80);
        for (i, entry) in self.key().into_iter().enumerate() {
            let (column, row) = (i / rows, i % rows);
            let x = 110 + 560 * column as i32;
            let y = 8 + (KEY_LINE as i32) * row as i32 + KEY_LINE as i32 / 2;
            let label = match entry {
                KeyEntry::Series(colour, dashed, band, label) => {
                    if band {
                        area.draw(&Rectangle::new(
                            [(x, y - 7), (x + 34, y + 7)],
                            colour.mix(0.15).filled(),
                        ))?;
                    }
                    if dashed {
                        area.draw(&PathElement::new(
                            [(x, y), (x + 12, y)],
                            colour.stroke_width(3),
                        ))?;
                        area.draw(&PathElement::new(
                            [(x + 20, y), (x + 34, y)],
                            colour.stroke_width(3),
                        ))?;
                    } else {
                        area.draw(&PathElement::new(
                            [(x, y), (x + 34, y)],
                            colour.stroke_width(3),
                        ))?;
                    }
                    if band {
                        format!("{label} (band: 5-95 %)")
                    } else {
                        label
                    }
                }
                KeyEntry::Action(n, label) => {
                    area.draw(&Rectangle::new(
                        [(x + 7, y - 10), (x + 27, y + 10)],
                        grey.stroke_width(1),
                    ))?;
                    area.draw(&Text::new(
                        format!("{n}"),
                        (x + 17, y),
                        ("sans-serif", 13)
                            .into_font()
                            .color(&BLACK)
                            .pos(Pos::new(HPos::Center, VPos::Center)),
                    ))?;
                    label
                }
                KeyEntry::Warmup(label) => {
                    area.draw(&Rectangle::new(
                        [(x, y - 8), (x + 34, y + 8)],
                        BLACK.mix(0.07).filled(),
                    ))?;
                    label
                }
                KeyEntry::Note(label) => label,
            };
            area.draw(&Text::new(
                label,
                (x + 44, y),
                text.clone().pos(Pos::new(HPos::Left, VPos::Center)),
            ))?;
        }
        Ok(())
    }
}

/// An axis number with thousands separators, decimals only on a small scale.
fn axis_grouped(y: f64, top: f64) -> String {
    let decimals = if top >= 20.0 {
        0
    } else if top >= 2.0 {
        1
    } else {
        2
    };
    crate::html::grouped(y, decimals)
}

/// One small chart per team: a daily mean with its band, each panel on its own scale, the
/// warm-up shaded and the staffing actions' starts as dashed lines.
#[derive(Debug, Clone)]
pub struct SmallMultiples<'a> {
    /// Title above the panels.
    pub title: String,
    /// Calendar date of each day.
    pub dates: &'a [String],
    /// Each panel's name and band.
    pub panels: &'a [(String, &'a caseload_experiment::Band)],
    /// Staffing actions.
    pub markers: &'a [Marker],
    /// Days at the start left out of the measures (shaded).
    pub warmup_days: f64,
}

/// Columns of small multiples.
const PANEL_COLUMNS: usize = 3;

/// Height of one small multiple, pixels.
const PANEL_HEIGHT: u32 = 210;

impl SmallMultiples<'_> {
    /// Draws the panels to `stem.png` and `stem.svg`.
    pub fn write(&self, stem: &Path) -> Result<(), ChartError> {
        write_png_and_svg(self, stem)
    }
}

impl Drawing for SmallMultiples<'_> {
    fn size(&self) -> (u32, u32) {
        let rows = self.panels.len().div_ceil(PANEL_COLUMNS).max(1) as u32;
        (SIZE.0, 60 + rows * PANEL_HEIGHT)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
        root.fill(&WHITE).map_err(err)?;
        let size = title_size(root, &self.title);
        let (head, body) = root.split_vertically(60);
        head.draw(&Text::new(
            self.title.clone(),
            (SIZE.0 as i32 / 2, 30),
            ("sans-serif", size)
                .into_font()
                .color(&BLACK)
                .pos(Pos::new(HPos::Center, VPos::Center)),
        ))
        .map_err(err)?;
        let rows = self.panels.len().div_ceil(PANEL_COLUMNS).max(1);
        let areas = body.split_evenly((rows, PANEL_COLUMNS));
        let days = self.dates.len().saturating_sub(1).max(1) as f64;
        let ticks = calendar_ticks(self.dates, 4);
        let tick_label = |x: &f64| {
            ticks
                .iter()
                .find(|t| (t.0 - x).abs() < 0.5)
                .map_or_else(String::new, |t| t.1.clone())
        };
        let colour = PALETTE[0];
        let grey = RGBColor(80, 80, 80);
        for ((name, band), area) in self.panels.iter().zip(&areas) {
            let top = band
                .hi
                .iter()
                .chain(&band.mean)
                .copied()
                .filter(|x| x.is_finite())
                .fold(0.0f64, f64::max);
            let top = if top > 0.0 { top * 1.1 } else { 1.0 };
            let axis = DateAxis {
                start: 0.0,
                end: days,
                ticks: ticks.iter().map(|t| t.0).collect(),
            };
            let mut chart = ChartBuilder::on(area)
                .caption(name.as_str(), ("sans-serif", 15))
                .margin(8)
                .x_label_area_size(24)
                .y_label_area_size(52)
                .build_cartesian_2d(axis, 0f64..top)
                .map_err(err)?;
            chart
                .configure_mesh()
                .y_labels(4)
                .x_label_formatter(&tick_label)
                .y_label_formatter(&|y: &f64| axis_grouped(*y, top))
                .label_style(("sans-serif", 11))
                .light_line_style(WHITE.mix(0.0))
                .draw()
                .map_err(err)?;
            shade_warmup(&mut chart, self.warmup_days.min(days), top)?;
            for m in self
                .markers
                .iter()
                .filter(|m| (0.0..=days).contains(&m.start_day))
            {
                chart
                    .draw_series(DashedLineSeries::new(
                        [(m.start_day, 0.0), (m.start_day, top)],
                        6,
                        4,
                        grey.mix(0.5).stroke_width(1),
                    ))
                    .map_err(err)?;
            }
            draw_band(&mut chart, &band.lo, &band.hi, colour)?;
            draw_daily_line(&mut chart, &band.mean, colour, false, top)?;
        }
        Ok(())
    }
}

/// A waterfall: a KPI without a package of actions, each action's contribution (with its
/// 95 % interval) stacked in turn, and the KPI with the whole package; one row each.
#[derive(Debug, Clone)]
pub struct Waterfall<'a> {
    /// Title above the plot.
    pub title: String,
    /// The KPI with its unit, for the x axis.
    pub x_label: String,
    /// The KPI without the package, and the row's name.
    pub start: (String, f64),
    /// Each action: name, mean contribution, and the 95 % interval's ends less the mean.
    pub steps: &'a [(String, f64, f64, f64)],
    /// The KPI with the package, and the row's name.
    pub end: (String, f64),
}

/// One row of a waterfall: its name, where its bar starts and ends, and the interval of its
/// end (actions only).
type WaterfallBar = (String, f64, f64, Option<(f64, f64)>);

impl Waterfall<'_> {
    /// Draws the chart to `stem.png` and `stem.svg`.
    pub fn write(&self, stem: &Path) -> Result<(), ChartError> {
        write_png_and_svg(self, stem)
    }
}

impl Drawing for Waterfall<'_> {
    fn size(&self) -> (u32, u32) {
        (SIZE.0, 160 + 40 * (self.steps.len() as u32 + 2))
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
        root.fill(&WHITE).map_err(err)?;
        let rows = self.steps.len() + 2;
        // Running totals: where each step's bar starts.
        let mut at = self.start.1;
        let mut bars: Vec<WaterfallBar> = vec![(self.start.0.clone(), 0.0, self.start.1, None)];
        for (name, value, lo, hi) in self.steps {
            bars.push((
                name.clone(),
                at,
                at + value,
                Some((at + value + lo, at + value + hi)),
            ));
            at += value;
        }
        bars.push((self.end.0.clone(), 0.0, self.end.1, None));
        let (x0, x1) = padded_range(bars.iter().flat_map(|(_, a, b, ci)| {
            [*a, *b, ci.map_or(*a, |c| c.0), ci.map_or(*b, |c| c.1), 0.0]
        }));
        let x0 = if bars
            .iter()
            .all(|b| b.1 >= 0.0 && b.2 >= 0.0 && b.3.is_none_or(|c| c.0 >= 0.0))
        {
            x0.max(0.0)
        } else {
            x0
        };
        let mut chart = ChartBuilder::on(root)
            .caption(&self.title, ("sans-serif", title_size(root, &self.title)))
            .margin(18)
            .margin_right(40)
            .x_label_area_size(48)
            .y_label_area_size(260)
            .build_cartesian_2d(x0..x1, 0f64..rows as f64)
            .map_err(err)?;
        let names: Vec<String> = bars.iter().map(|b| b.0.clone()).collect();
        let row_label = |y: &f64| {
            let i = y - 0.5;
            if (i - i.round()).abs() < 1e-6 && i >= 0.0 {
                let row = rows - 1 - i.round() as usize;
                names.get(row).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        };
        chart
            .configure_mesh()
            .disable_y_mesh()
            .x_labels(8)
            .y_labels(rows * 2 + 1)
            .x_label_formatter(&|x: &f64| axis_number(*x))
            .y_label_formatter(&row_label)
            .x_desc(self.x_label.as_str())
            .label_style(("sans-serif", 14))
            .axis_desc_style(("sans-serif", 16))
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(err)?;
        let (less, more, whole) = (PALETTE[2], PALETTE[1], RGBColor(120, 120, 120));
        for (row, (_, a, b, ci)) in bars.iter().enumerate() {
            let y = (rows - 1 - row) as f64;
            let colour = match ci {
                None => whole,
                Some(_) if b < a => less,
                Some(_) => more,
            };
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(a.min(*b), y + 0.2), (a.max(*b), y + 0.8)],
                    colour.mix(0.85).filled(),
                )))
                .map_err(err)?;
            if let Some((lo, hi)) = ci {
                chart
                    .draw_series(std::iter::once(ErrorBar::new_horizontal(
                        y + 0.5,
                        *lo,
                        *b,
                        *hi,
                        BLACK.stroke_width(1),
                        10,
                    )))
                    .map_err(err)?;
            }
            if row + 1 < bars.len() {
                // A thin line carries the running total to the next row.
                chart
                    .draw_series(std::iter::once(PathElement::new(
                        vec![(*b, y + 0.2), (*b, y - 0.2)],
                        BLACK.mix(0.5).stroke_width(1),
                    )))
                    .map_err(err)?;
            }
        }
        Ok(())
    }
}

/// A KPI against one swept parameter: the mean at each point with its confidence interval as
/// a band and as whiskers.
#[derive(Debug, Clone)]
pub struct SweepChart<'a> {
    /// Title above the plot.
    pub title: String,
    /// X axis label: the parameter's path.
    pub x_label: String,
    /// Y axis label: the KPI, with unit.
    pub y_label: String,
    /// Parameter value at each point, ascending.
    pub x: &'a [f64],
    /// KPI mean at each point.
    pub mean: &'a [f64],
    /// Lower end of the 95 % confidence interval at each point.
    pub lo: &'a [f64],
    /// Upper end.
    pub hi: &'a [f64],
    /// A target on the KPI, drawn as a line across: its value and its text.
    pub target: Option<(f64, String)>,
    /// Labels of the x values (dates, placed at their Julian day numbers), ticked at the
    /// values themselves; `None`: numbers.
    pub x_labels: Option<Vec<String>>,
    /// The line's legend [default: "mean, 95 % confidence interval"].
    pub legend: Option<String>,
    /// Further lines without intervals, each in its own colour: legend, x and y values.
    pub more: Vec<(String, Vec<f64>, Vec<f64>)>,
}

impl SweepChart<'_> {
    /// Draws the chart to `stem.png` and `stem.svg`.
    pub fn write(&self, stem: &Path) -> Result<(), ChartError> {
        write_png_and_svg(self, stem)
    }
}

/// The range of finite `values`, widened by 8 % (and to a unit range if flat or empty).
fn padded_range(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = values
        .filter(|x| x.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), x| {
            (l.min(x), h.max(x))
        });
    if lo > hi {
        return (0.0, 1.0);
    }
    let pad = if hi > lo { (hi - lo) * 0.08 } else { 0.5 };
    (lo - pad, hi + pad)
}

/// A number for an axis or a cell: few digits, thousands without decimals.
fn short_number(x: f64) -> String {
    if !x.is_finite() {
        "-".into()
    } else if x.abs() >= 100.0 {
        format!("{x:.0}")
    } else if x.abs() >= 10.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.3}")
    }
}

/// A tick label: whole numbers without decimals, others short.
fn axis_number(x: f64) -> String {
    if (x - x.round()).abs() < 1e-9 {
        crate::html::grouped(x.round(), 0)
    } else if x.abs() >= 1000.0 {
        crate::html::grouped(x, 0)
    } else {
        short_number(x)
    }
}

impl Drawing for SweepChart<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
        root.fill(&WHITE).map_err(err)?;
        let more_x = self.more.iter().flat_map(|(_, x, _)| x.iter().copied());
        let more_y = self.more.iter().flat_map(|(_, _, y)| y.iter().copied());
        let (x0, x1) = padded_range(self.x.iter().copied().chain(more_x.clone()));
        let whole_x = self
            .x
            .iter()
            .copied()
            .chain(more_x)
            .all(|x| (x - x.round()).abs() < 1e-9);
        // Whole numbers everywhere (officers on a frontier): no fractional y ticks either.
        let whole_y = self
            .lo
            .iter()
            .chain(self.hi)
            .chain(self.mean)
            .copied()
            .chain(more_y.clone())
            .all(|y| (y - y.round()).abs() < 1e-9);
        let (y0, y1) = padded_range(
            self.lo
                .iter()
                .chain(self.hi)
                .chain(self.mean)
                .copied()
                .chain(more_y)
                .chain(self.target.as_ref().map(|t| t.0)),
        );
        let y0 = if y0 < 0.0 && self.lo.iter().all(|&v| v >= 0.0 || v.is_nan()) {
            0.0
        } else {
            y0
        };
        // Ticks: at the values themselves for dates (at most 12 of them), else plotters' own.
        let ticks: Vec<f64> = match &self.x_labels {
            Some(_) => {
                let every = self.x.len().div_ceil(12).max(1);
                self.x.iter().step_by(every).copied().collect()
            }
            None => RangedCoordf64::from(x0..x1).key_points(10usize),
        };
        let axis = DateAxis {
            start: x0,
            end: x1,
            ticks,
        };
        let mut chart = ChartBuilder::on(root)
            .caption(&self.title, ("sans-serif", title_size(root, &self.title)))
            .margin(18)
            .margin_right(30)
            .x_label_area_size(48)
            .y_label_area_size(80)
            .build_cartesian_2d(axis, y0..y1)
            .map_err(err)?;
        chart
            .configure_mesh()
            .y_labels(8)
            .x_label_formatter(&|x: &f64| match &self.x_labels {
                Some(labels) => self
                    .x
                    .iter()
                    .position(|v| (v - x).abs() < 0.5)
                    .and_then(|i| labels.get(i).cloned())
                    .unwrap_or_default(),
                // A whole-number lever (officers, posts) gets no fractional ticks.
                None if whole_x && (x - x.round()).abs() > 1e-9 => String::new(),
                None => axis_number(*x),
            })
            .y_label_formatter(&|y: &f64| {
                if whole_y && (y - y.round()).abs() > 1e-9 {
                    String::new()
                } else {
                    axis_number(*y)
                }
            })
            .x_desc(self.x_label.as_str())
            .y_desc(self.y_label.as_str())
            .label_style(("sans-serif", 15))
            .axis_desc_style(("sans-serif", 17))
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(err)?;
        let colour = PALETTE[0];
        let finite = |i: &usize| {
            self.mean[*i].is_finite() && self.lo[*i].is_finite() && self.hi[*i].is_finite()
        };
        let points: Vec<usize> = (0..self.x.len()).filter(finite).collect();
        let upper = points.iter().map(|&i| (self.x[i], self.hi[i]));
        let lower = points.iter().rev().map(|&i| (self.x[i], self.lo[i]));
        chart
            .draw_series(std::iter::once(Polygon::new(
                upper.chain(lower).collect::<Vec<_>>(),
                colour.mix(0.18).filled(),
            )))
            .map_err(err)?;
        chart
            .draw_series(points.iter().map(|&i| {
                ErrorBar::new_vertical(
                    self.x[i],
                    self.lo[i],
                    self.mean[i],
                    self.hi[i],
                    colour.stroke_width(1),
                    8,
                )
            }))
            .map_err(err)?;
        chart
            .draw_series(LineSeries::new(
                points.iter().map(|&i| (self.x[i], self.mean[i])),
                colour.stroke_width(2),
            ))
            .map_err(err)?
            .label(
                self.legend
                    .clone()
                    .unwrap_or_else(|| "mean, 95 % confidence interval".into()),
            )
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], colour.stroke_width(3)));
        chart
            .draw_series(
                points
                    .iter()
                    .map(|&i| Circle::new((self.x[i], self.mean[i]), 4, colour.filled())),
            )
            .map_err(err)?;
        for (i, (legend, x, y)) in self.more.iter().enumerate() {
            let (colour, dashed) = series_style(i + 1);
            let points: Vec<(f64, f64)> = x
                .iter()
                .zip(y)
                .filter(|(a, b)| a.is_finite() && b.is_finite())
                .map(|(&a, &b)| (a, b))
                .collect();
            let style = colour.stroke_width(2);
            let series = if dashed {
                chart.draw_series(DashedLineSeries::new(points.clone(), 8, 5, style))
            } else {
                chart.draw_series(LineSeries::new(points.clone(), style))
            };
            series
                .map_err(err)?
                .label(legend.clone())
                .legend(move |(x, y)| {
                    PathElement::new([(x, y), (x + 20, y)], colour.stroke_width(3))
                });
            chart
                .draw_series(points.iter().map(|&p| Circle::new(p, 4, colour.filled())))
                .map_err(err)?;
        }
        if let Some((value, text)) = &self.target {
            let red = RGBColor(213, 94, 0);
            chart
                .draw_series(DashedLineSeries::new(
                    [(x0, *value), (x1, *value)],
                    10,
                    6,
                    red.stroke_width(2),
                ))
                .map_err(err)?
                .label(format!("target: {text}"))
                .legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], red.stroke_width(2)));
        }
        draw_legend(&mut chart)
    }
}

/// A KPI over a grid of two swept parameters: one cell per point, coloured by the KPI's mean
/// (viridis, dark = low) and labelled with it.
#[derive(Debug, Clone)]
pub struct Heatmap<'a> {
    /// Title above the plot.
    pub title: String,
    /// X axis label: the second parameter's path.
    pub x_label: String,
    /// Y axis label: the first parameter's path.
    pub y_label: String,
    /// The second parameter's values, left to right.
    pub x_values: &'a [String],
    /// The first parameter's values, bottom to top.
    pub y_values: &'a [String],
    /// KPI mean per cell, row by row: `cells[y * x_values.len() + x]`.
    pub cells: &'a [f64],
    /// A target: whether each cell's mean meets it, and its text; a thick contour is drawn
    /// between the cells that meet it and those that do not.
    pub target: Option<(Vec<bool>, String)>,
}

impl Heatmap<'_> {
    /// Draws the chart to `stem.png` and `stem.svg`.
    pub fn write(&self, stem: &Path) -> Result<(), ChartError> {
        write_png_and_svg(self, stem)
    }
}

impl Drawing for Heatmap<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
        root.fill(&WHITE).map_err(err)?;
        let (nx, ny) = (self.x_values.len().max(1), self.y_values.len().max(1));
        let (root, scale_area) = root.split_horizontally(SIZE.0 - 150);
        let root = &root;
        let mut chart = ChartBuilder::on(root)
            .caption(&self.title, ("sans-serif", title_size(root, &self.title)))
            .margin(18)
            .x_label_area_size(48)
            .y_label_area_size(80)
            .build_cartesian_2d(0f64..nx as f64, 0f64..ny as f64)
            .map_err(err)?;
        let label = |values: &[String], at: f64| {
            let i = at - 0.5;
            if (i - i.round()).abs() < 1e-6 && i >= 0.0 {
                values.get(i.round() as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        };
        chart
            .configure_mesh()
            .disable_mesh()
            .x_labels(nx * 2 + 1)
            .y_labels(ny * 2 + 1)
            .x_label_formatter(&|x: &f64| label(self.x_values, *x))
            .y_label_formatter(&|y: &f64| label(self.y_values, *y))
            .x_desc(self.x_label.as_str())
            .y_desc(self.y_label.as_str())
            .label_style(("sans-serif", 15))
            .axis_desc_style(("sans-serif", 17))
            .draw()
            .map_err(err)?;
        let (lo, hi) = self
            .cells
            .iter()
            .filter(|x| x.is_finite())
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &x| {
                (l.min(x), h.max(x))
            });
        let span = if hi > lo { hi - lo } else { 1.0 };
        draw_colour_scale(&scale_area, lo, hi).map_err(err)?;
        for (c, &value) in self.cells.iter().enumerate() {
            let (x, y) = ((c % nx) as f64, (c / nx) as f64);
            let (fill, text) = if value.is_finite() {
                let h = ((value - lo) / span) as f32;
                let colour = ViridisRGB.get_color(h);
                let text = if h > 0.6 { BLACK } else { WHITE };
                (colour, text)
            } else {
                (RGBColor(220, 220, 220), BLACK)
            };
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(x, y), (x + 1.0, y + 1.0)],
                    fill.filled(),
                )))
                .map_err(err)?;
            let style = ("sans-serif", 15)
                .into_font()
                .color(&text)
                .pos(Pos::new(HPos::Center, VPos::Center));
            chart
                .draw_series(std::iter::once(Text::new(
                    short_number(value),
                    (x + 0.5, y + 0.5),
                    style,
                )))
                .map_err(err)?;
        }
        if let Some((meets, text)) = &self.target {
            let meets_at = |x: i64, y: i64| -> Option<bool> {
                if x < 0 || y < 0 || x >= nx as i64 || y >= ny as i64 {
                    return None;
                }
                meets.get(y as usize * nx + x as usize).copied()
            };
            let mut edges: Vec<[(f64, f64); 2]> = Vec::new();
            for y in 0..ny as i64 {
                for x in 0..nx as i64 {
                    let here = meets_at(x, y);
                    // The right and upper edges of each cell, where meeting changes.
                    if meets_at(x + 1, y).is_some() && meets_at(x + 1, y) != here {
                        let xe = (x + 1) as f64;
                        edges.push([(xe, y as f64), (xe, (y + 1) as f64)]);
                    }
                    if meets_at(x, y + 1).is_some() && meets_at(x, y + 1) != here {
                        let ye = (y + 1) as f64;
                        edges.push([(x as f64, ye), ((x + 1) as f64, ye)]);
                    }
                }
            }
            let red = RGBColor(213, 94, 0);
            for edge in &edges {
                chart
                    .draw_series(std::iter::once(PathElement::new(
                        edge.to_vec(),
                        red.stroke_width(5),
                    )))
                    .map_err(err)?;
            }
            chart
                .draw_series(std::iter::once(PathElement::new(
                    Vec::<(f64, f64)>::new(),
                    red.stroke_width(5),
                )))
                .map_err(err)?
                .label(format!(
                    "contour: target {text} ({} of {} cells meet it)",
                    meets.iter().filter(|m| **m).count(),
                    meets.len()
                ))
                .legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], red.stroke_width(5)));
            chart
                .configure_series_labels()
                .position(SeriesLabelPosition::LowerRight)
                .label_font(("sans-serif", 15))
                .background_style(WHITE.mix(0.9))
                .border_style(BLACK.mix(0.4))
                .draw()
                .map_err(err)?;
        }
        Ok(())
    }
}

/// The heatmap's colour scale: viridis from `lo` (bottom) to `hi` (top), with five labels.
fn draw_colour_scale<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    lo: f64,
    hi: f64,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    if !(lo.is_finite() && hi.is_finite()) {
        return Ok(());
    }
    let (top, bottom, left, width) = (80i32, SIZE.1 as i32 - 80, 10i32, 26i32);
    let steps = 100;
    let height = f64::from(bottom - top);
    for k in 0..steps {
        let y0 = bottom - (height * f64::from(k) / f64::from(steps)).round() as i32;
        let y1 = bottom - (height * f64::from(k + 1) / f64::from(steps)).round() as i32;
        let colour = ViridisRGB.get_color(k as f32 / (steps - 1) as f32);
        area.draw(&Rectangle::new(
            [(left, y1), (left + width, y0)],
            colour.filled(),
        ))?;
    }
    area.draw(&Rectangle::new(
        [(left, top), (left + width, bottom)],
        BLACK.stroke_width(1),
    ))?;
    for k in 0..=4 {
        let share = f64::from(k) / 4.0;
        let y = bottom - (height * share).round() as i32;
        let value = lo + (hi - lo) * share;
        area.draw(&Text::new(
            short_number(value),
            (left + width + 6, y),
            ("sans-serif", 14)
                .into_font()
                .color(&BLACK)
                .pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
    }
    area.draw(&Text::new(
        "KPI mean",
        (left, top - 20),
        ("sans-serif", 14).into_font(),
    ))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_stem(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("caseload-report-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a temporary folder");
        dir.join(name)
    }

    #[test]
    fn sweep_chart_and_heatmap_write_png_and_svg() {
        let x = [1.0, 2.0, 3.0];
        let mean = [3.0, 2.0, f64::NAN];
        let lo = [2.5, 1.5, f64::NAN];
        let hi = [3.5, 2.5, f64::NAN];
        let stem = temp_stem("sweep");
        SweepChart {
            title: "t".into(),
            x_label: "x".into(),
            y_label: "y".into(),
            x: &x,
            mean: &mean,
            lo: &lo,
            hi: &hi,
            target: Some((2.2, "kpi<=2.2".into())),
            x_labels: None,
            legend: None,
            more: Vec::new(),
        }
        .write(&stem)
        .expect("drawn");
        let values: Vec<String> = ["a", "b"].map(String::from).to_vec();
        let heat = temp_stem("heat");
        Heatmap {
            title: "t".into(),
            x_label: "x".into(),
            y_label: "y".into(),
            x_values: &values,
            y_values: &values,
            cells: &[1.0, 2.0, f64::NAN, 4.0],
            target: Some((vec![true, false, false, true], "kpi<=2".into())),
        }
        .write(&heat)
        .expect("drawn");
        for stem in [stem, heat] {
            let png = std::fs::read(stem.with_extension("png")).expect("png written");
            assert_eq!(&png[..4], b"\x89PNG");
            let svg = std::fs::read_to_string(stem.with_extension("svg")).expect("svg written");
            assert!(svg.contains("<rect") || svg.contains("<polygon") || svg.contains("<path"));
        }
    }
}
