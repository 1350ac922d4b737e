//! A KPI over a grid of two swept parameters, one coloured cell per point.

use super::*;

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
