//! A waterfall of a package's effect: without it, each action's contribution, with it.

use super::*;

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
        let row_label = |y: &f64| row_label(&names, *y);
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
