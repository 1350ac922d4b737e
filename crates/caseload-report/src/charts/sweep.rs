//! A KPI against one swept parameter, its confidence interval as a band and whiskers.

use super::*;

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
    /// A line across the chart (a target, or no difference): its value and its label.
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
                .label(text.as_str())
                .legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], red.stroke_width(2)));
        }
        draw_legend(&mut chart)
    }
}
