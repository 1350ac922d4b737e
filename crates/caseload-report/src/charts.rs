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

/// A staffing action drawn as vertical lines at its start and (if it ends) its end.
#[derive(Debug, Clone)]
pub struct Marker {
    /// Text beside the start line.
    pub label: String,
    /// Day it starts.
    pub start_day: f64,
    /// Day it ends, if it does.
    pub end_day: Option<f64>,
}

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
}

/// The legend box, top right, in every chart's style.
fn draw_legend<'a, DB: DrawingBackend + 'a>(
    chart: &mut ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
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
        let root = BitMapBackend::new(&png, SIZE).into_drawing_area();
        drawing.draw(&root).map_err(|e| fail(&png, e))?;
        root.present().map_err(|e| fail(&png, e.to_string()))?;
    }
    let root = SVGBackend::new(&svg, SIZE).into_drawing_area();
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

impl Drawing for Chart<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
        root.fill(&WHITE).map_err(err)?;
        let days = self.dates.len().saturating_sub(1).max(1) as f64;
        let top = self
            .lines
            .iter()
            .flat_map(|l| l.band.map_or(l.mean, |b| b.1).iter())
            .copied()
            .filter(|x| x.is_finite())
            .fold(0.0f64, f64::max);
        let top = if top > 0.0 { top * 1.08 } else { 1.0 };
        let dates = self.dates;
        let date_label = |x: &f64| {
            let d = (x.round().max(0.0) as usize).min(dates.len().saturating_sub(1));
            dates
                .get(d)
                .map_or_else(String::new, |s| s.chars().take(7).collect())
        };
        let mut chart = ChartBuilder::on(root)
            .caption(&self.title, ("sans-serif", 26))
            .margin(18)
            .x_label_area_size(48)
            .y_label_area_size(80)
            .build_cartesian_2d(0f64..days, 0f64..top)
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_labels(10)
            .y_labels(8)
            .x_label_formatter(&date_label)
            .y_label_formatter(&|y: &f64| {
                if top >= 20.0 {
                    format!("{y:.0}")
                } else {
                    format!("{y:.2}")
                }
            })
            .x_desc("date")
            .y_desc(self.y_label.as_str())
            .label_style(("sans-serif", 15))
            .axis_desc_style(("sans-serif", 17))
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(err)?;
        for (i, marker) in self.markers.iter().enumerate() {
            let colour = RGBColor(90, 90, 90);
            for (x, dashed) in std::iter::once((marker.start_day, false))
                .chain(marker.end_day.map(|e| (e, true)))
                .filter(|(x, _)| *x >= 0.0 && *x <= days)
            {
                let style = if dashed {
                    colour.mix(0.5).stroke_width(1)
                } else {
                    colour.mix(0.8).stroke_width(1)
                };
                chart
                    .draw_series(DashedLineSeries::new(
                        [(x, 0.0), (x, top)],
                        if dashed { 4 } else { 10 },
                        4,
                        style,
                    ))
                    .map_err(err)?;
            }
            if (0.0..=days).contains(&marker.start_day) {
                let y = top * (0.97 - 0.042 * (i % 12) as f64);
                chart
                    .draw_series(std::iter::once(Text::new(
                        marker.label.clone(),
                        (marker.start_day + days * 0.004, y),
                        ("sans-serif", 13).into_font().color(&colour),
                    )))
                    .map_err(err)?;
            }
        }
        for (i, line) in self.lines.iter().enumerate() {
            let colour = PALETTE[i % PALETTE.len()];
            if let Some((lo, hi)) = line.band {
                let upper = hi.iter().enumerate().map(|(d, &y)| (d as f64, y));
                let lower = lo.iter().enumerate().rev().map(|(d, &y)| (d as f64, y));
                let outline: Vec<(f64, f64)> =
                    upper.chain(lower).filter(|p| p.1.is_finite()).collect();
                chart
                    .draw_series(std::iter::once(Polygon::new(
                        outline,
                        colour.mix(0.18).filled(),
                    )))
                    .map_err(err)?;
            }
            chart
                .draw_series(LineSeries::new(
                    line.mean
                        .iter()
                        .enumerate()
                        .filter(|p| p.1.is_finite())
                        .map(|(d, &y)| (d as f64, y)),
                    colour.stroke_width(2),
                ))
                .map_err(err)?
                .label(line.label.as_str())
                .legend(move |(x, y)| {
                    PathElement::new([(x, y), (x + 20, y)], colour.stroke_width(3))
                });
        }
        draw_legend(&mut chart)
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
        format!("{:.0}", x.round())
    } else {
        short_number(x)
    }
}

impl Drawing for SweepChart<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
        root.fill(&WHITE).map_err(err)?;
        let (x0, x1) = padded_range(self.x.iter().copied());
        let (y0, y1) = padded_range(self.lo.iter().chain(self.hi).chain(self.mean).copied());
        let y0 = if y0 < 0.0 && self.lo.iter().all(|&v| v >= 0.0 || v.is_nan()) {
            0.0
        } else {
            y0
        };
        let mut chart = ChartBuilder::on(root)
            .caption(&self.title, ("sans-serif", 26))
            .margin(18)
            .x_label_area_size(48)
            .y_label_area_size(80)
            .build_cartesian_2d(x0..x1, y0..y1)
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_labels(10)
            .y_labels(8)
            .x_label_formatter(&|x: &f64| axis_number(*x))
            .y_label_formatter(&|y: &f64| axis_number(*y))
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
            .label("mean, 95 % confidence interval")
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], colour.stroke_width(3)));
        chart
            .draw_series(
                points
                    .iter()
                    .map(|&i| Circle::new((self.x[i], self.mean[i]), 4, colour.filled())),
            )
            .map_err(err)?;
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
        let mut chart = ChartBuilder::on(root)
            .caption(&self.title, ("sans-serif", 26))
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
        Ok(())
    }
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
