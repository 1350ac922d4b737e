//! Daily series on one chart: each mean with its 5-95 % band (or layers stacked), the
//! warm-up shaded, and numbered markers at each staffing action's start and end.

use super::*;

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
    /// Lines drawn thin and grey beneath the others, for context (e.g. the options of a
    /// comparison neither best nor worst), listed in the key as one entry.
    pub context: Vec<Line<'a>>,
    /// The days shown, first and last (the decision period); `None`: every day. The warm-up
    /// before the first is left out or shown as the strip it leaves.
    pub period: Option<(f64, f64)>,
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
pub const MOST_BANDS: usize = 4;

/// Whether a chart of `lines` lines draws their bands (a few lines only, and not stacked).
pub fn shows_bands(lines: usize, stacked: bool) -> bool {
    lines <= MOST_BANDS && !stacked
}

impl Chart<'_> {
    /// Whether the bands are drawn (see [`shows_bands`]).
    pub fn shows_bands(&self) -> bool {
        shows_bands(self.lines.len(), self.stacked)
    }

    /// The first and last day drawn.
    fn x_range(&self) -> (f64, f64) {
        let days = self.dates.len().saturating_sub(1).max(1) as f64;
        match self.period {
            Some((first, last)) if first < last => (first.max(0.0), last.min(days)),
            _ => (0.0, days),
        }
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
        if !self.context.is_empty() {
            key.push(KeyEntry::Series(
                CONTEXT_GREY,
                false,
                false,
                format!("the other {} (means)", self.context.len()),
            ));
        }
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
        if self.warmup_days > self.x_range().0 {
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
        let (first, days) = self.x_range();
        let stacked = if self.stacked {
            self.stacked_tops()
        } else {
            Vec::new()
        };
        let top = self
            .lines
            .iter()
            .map(|l| {
                l.band
                    .filter(|_| self.shows_bands())
                    .map_or(l.mean, |b| b.1)
            })
            .chain(self.context.iter().map(|l| l.mean))
            .chain(stacked.iter().map(Vec::as_slice))
            .flat_map(|v| in_days(v, first, days))
            .copied()
            .filter(|x| x.is_finite())
            .fold(0.0f64, f64::max);
        let top = if top > 0.0 { top * 1.12 } else { 1.0 };
        let ticks: Vec<(f64, String)> = calendar_ticks(self.dates, 12)
            .into_iter()
            .filter(|t| t.0 >= first && t.0 <= days)
            .collect();
        let ticks = if self.period.is_some() && ticks.len() < 4 {
            // A short period: ticks a month or a quarter apart instead.
            let first_day = first.ceil() as usize;
            calendar_ticks(&self.dates[first_day..=days as usize], 12)
                .into_iter()
                .map(|(x, label)| (x + first_day as f64, label))
                .collect()
        } else {
            ticks
        };
        let axis = DateAxis {
            start: first,
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
            .x_desc(ticks_description(&ticks))
            .y_desc(self.y_label.as_str())
            .label_style(("sans-serif", 15))
            .axis_desc_style(("sans-serif", 17))
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(err)?;
        if self.warmup_days > first {
            shade_warmup(&mut chart, first, self.warmup_days.min(days), top)?;
        }
        let grey = RGBColor(80, 80, 80);
        for marker in self.markers {
            for (x, dashed) in std::iter::once((marker.start_day, true))
                .chain(marker.end_day.map(|e| (e, false)))
                .filter(|(x, _)| *x >= first && *x <= days)
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
        for line in &self.context {
            draw_thin_line(&mut chart, line.mean, CONTEXT_GREY)?;
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
            if !(first..=days).contains(&marker.start_day) {
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
