//! History matching's picture of one value: each point run, at its value of the parameter,
//! against its largest implausibility, with the cut-off line; plausible points in colour.

use super::*;

/// Points of a calibration against one parameter.
#[derive(Debug, Clone)]
pub struct ImplausibilityChart<'a> {
    /// Title above the plot.
    pub title: String,
    /// The parameter, for the x axis.
    pub x_label: String,
    /// Each point: the parameter's value (a date as its Julian day) and its largest
    /// implausibility.
    pub points: &'a [(f64, f64)],
    /// The cut-off: points at or below it are plausible.
    pub cutoff: f64,
    /// Whether the values are dates (Julian days), labelled as dates.
    pub dates: bool,
}

/// The top of the y axis: points above it are drawn on it (the axis says so).
const TOP: f64 = 20.0;

impl ImplausibilityChart<'_> {
    /// Draws the chart to `stem.png` and `stem.svg`.
    pub fn write(&self, stem: &Path) -> Result<(), ChartError> {
        write_png_and_svg(self, stem)
    }
}

impl Drawing for ImplausibilityChart<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
        root.fill(&WHITE).map_err(err)?;
        let (x0, x1) = padded_range(self.points.iter().map(|p| p.0));
        let mut chart = ChartBuilder::on(root)
            .caption(&self.title, ("sans-serif", title_size(root, &self.title)))
            .margin(18)
            .margin_right(40)
            .x_label_area_size(48)
            .y_label_area_size(70)
            .build_cartesian_2d(x0..x1, 0f64..TOP)
            .map_err(err)?;
        let date_label = |x: &f64| {
            time::Date::from_julian_day(x.round() as i32)
                .map_or_else(|_| String::new(), |d| d.to_string())
        };
        let dates = self.dates;
        chart
            .configure_mesh()
            .x_labels(8)
            .y_labels(11)
            .x_label_formatter(&|x: &f64| {
                if dates {
                    date_label(x)
                } else {
                    axis_number(*x)
                }
            })
            .y_label_formatter(&|y: &f64| axis_number(*y))
            .x_desc(self.x_label.as_str())
            .y_desc(format!(
                "largest implausibility (above {TOP} drawn at {TOP})"
            ))
            .label_style(("sans-serif", 14))
            .axis_desc_style(("sans-serif", 16))
            .draw()
            .map_err(err)?;
        let (plausible, ruled_out) = (PALETTE[0], RGBColor(150, 150, 150));
        chart
            .draw_series(self.points.iter().map(|&(x, y)| {
                let colour = if y <= self.cutoff {
                    plausible
                } else {
                    ruled_out
                };
                Circle::new((x, y.min(TOP)), 4, colour.filled())
            }))
            .map_err(err)?;
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(x0, self.cutoff), (x1, self.cutoff)],
                PALETTE[1].stroke_width(2),
            )))
            .map_err(err)?
            .label(format!(
                "cut-off {}: plausible at or below",
                axis_number(self.cutoff)
            ))
            .legend(|(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], PALETTE[1].stroke_width(2))
            });
        draw_legend(&mut chart)
    }
}
