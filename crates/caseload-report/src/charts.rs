//! Charts as PNG and SVG: a daily mean with its 5-95 % band across replications, one line per
//! series, and vertical markers at each staffing action's start and end. Text is drawn with a
//! font compiled into the program, so charts look the same on every machine.

use std::path::Path;
use std::sync::Once;

use plotters::coord::Shift;
use plotters::prelude::*;

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

impl Chart<'_> {
    /// Draws the chart to `stem.png` and `stem.svg`.
    pub fn write(&self, stem: &Path) -> Result<(), ChartError> {
        register_font();
        let png = stem.with_extension("png");
        let svg = stem.with_extension("svg");
        let fail = |file: &Path, message: String| ChartError::Draw {
            file: file.display().to_string(),
            message,
        };
        {
            let root = BitMapBackend::new(&png, SIZE).into_drawing_area();
            self.draw(&root).map_err(|e| fail(&png, e))?;
            root.present().map_err(|e| fail(&png, e.to_string()))?;
        }
        let root = SVGBackend::new(&svg, SIZE).into_drawing_area();
        self.draw(&root).map_err(|e| fail(&svg, e))?;
        root.present().map_err(|e| fail(&svg, e.to_string()))?;
        Ok(())
    }

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
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .label_font(("sans-serif", 15))
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK.mix(0.4))
            .draw()
            .map_err(err)?;
        Ok(())
    }
}
