//! Charts as PNG and SVG, one file per kind: daily series with their 5-95 % bands, stacked
//! layers and staffing-action markers (series.rs), one small chart per team
//! (small_multiples.rs), a waterfall of a package's actions (waterfall.rs), paired bars from zero (bars.rs: a
//! tornado, Sobol indices), numbered points with their key (scatter.rs: Morris's screening), a calibration's points
//! against their implausibility (implausibility.rs), a KPI against one
//! swept parameter (sweep.rs) and over two (heatmap.rs). This file holds what they share: the
//! font (compiled in, so charts look the same on every machine), size and palette, the key,
//! the title's size, axis numbers, and the drawing to PNG and SVG; dates.rs the date axis and
//! the daily drawing helpers.

use std::path::Path;
use std::sync::Once;

use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

mod bars;
mod dates;
mod heatmap;
mod implausibility;
mod scatter;
mod series;
mod small_multiples;
mod sweep;
mod waterfall;

pub use bars::{Bar, PairedBars};
use dates::*;
pub use heatmap::Heatmap;
pub use implausibility::ImplausibilityChart;
pub use scatter::NumberedScatter;
pub use series::{Chart, Line, Marker, shows_bands};
pub use small_multiples::SmallMultiples;
pub use sweep::SweepChart;
pub use waterfall::Waterfall;

/// DejaVu Sans (Bitstream Vera licence, see `fonts/DejaVuSans-LICENSE.txt`).
const FONT: &[u8] = include_bytes!("../../fonts/DejaVuSans.ttf");

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

/// A backend's message as a sentence: plotters reports a failed write as a debug structure
/// (`ImageError(IoError(Custom { kind: Other, ... }))`), which says only that the file could
/// not be written.
fn plain(message: &str) -> String {
    if message.contains("IoError") || message.contains("Custom {") || message.contains("kind:") {
        "the file could not be written (is the disk full, or the folder not writable?)".into()
    } else {
        message.to_string()
    }
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
        message: plain(&message),
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

/// An axis number with thousands separators, decimals only on a small scale.
fn axis_grouped(y: f64, top: f64) -> String {
    let decimals = if top >= 20.0 {
        0
    } else if top >= 2.0 {
        1
    } else {
        2
    };
    crate::format::grouped(y, decimals)
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

/// The label of the row whose middle sits at `y` on an axis of `names.len()` rows, drawn top
/// to bottom (the first name on top); empty between rows.
fn row_label(names: &[String], y: f64) -> String {
    let i = y - 0.5;
    if (i - i.round()).abs() < 1e-6 && i >= 0.0 && (i.round() as usize) < names.len() {
        names[names.len() - 1 - i.round() as usize].clone()
    } else {
        String::new()
    }
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
        crate::format::grouped(x.round(), 0)
    } else if x.abs() >= 1000.0 {
        crate::format::grouped(x, 0)
    } else {
        short_number(x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_write_is_said_in_words_not_as_a_debug_structure() {
        let debug = "ImageError(IoError(Custom { kind: Other, error: \"No space left\" }))";
        assert!(plain(debug).starts_with("the file could not be written"));
        assert_eq!(plain("a plain reason"), "a plain reason");
    }

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
