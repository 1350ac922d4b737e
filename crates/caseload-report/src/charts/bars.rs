//! Paired horizontal bars from zero, one row per item, each row with up to two bars and their
//! 95 % intervals: a tornado (the change at each end of an assumption's range) or Sobol's
//! first and total indices.

use super::*;

/// One bar: its value and the ends of its 95 % interval (NaN where there is none).
pub type Bar = (f64, f64, f64);

/// A chart of paired bars, the rows in the order given, top to bottom.
#[derive(Debug, Clone)]
pub struct PairedBars<'a> {
    /// Title above the plot.
    pub title: String,
    /// What the x axis measures, with its unit.
    pub x_label: String,
    /// The two bars' names, for the key.
    pub series: [&'a str; 2],
    /// Each row: its label and its two bars (`None` where a bar is not drawn).
    pub rows: &'a [(String, [Option<Bar>; 2])],
    /// Cut the x axis to [0, 1] (indices that are shares).
    pub unit_interval: bool,
}

impl PairedBars<'_> {
    /// Draws the chart to `stem.png` and `stem.svg`.
    pub fn write(&self, stem: &Path) -> Result<(), ChartError> {
        write_png_and_svg(self, stem)
    }
}

impl Drawing for PairedBars<'_> {
    fn size(&self) -> (u32, u32) {
        (SIZE.0, 250 + 44 * self.rows.len().max(1) as u32)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
        root.fill(&WHITE).map_err(err)?;
        let n = self.rows.len().max(1);
        let (x0, x1) = if self.unit_interval {
            (0.0, 1.0)
        } else {
            padded_range(self.rows.iter().flat_map(|(_, bars)| {
                bars.iter()
                    .flatten()
                    .flat_map(|&(v, lo, hi)| [v, lo, hi])
                    .chain([0.0])
                    .collect::<Vec<_>>()
            }))
        };
        let label_width = self
            .rows
            .iter()
            .map(|(label, _)| label.chars().count())
            .max()
            .unwrap_or(10)
            .clamp(10, 60) as u32
            * 8
            + 20;
        // The title, then the key on a line of its own: never over a bar.
        let (head, body) = root.split_vertically(84);
        head.titled(&self.title, ("sans-serif", title_size(root, &self.title)))
            .map_err(err)?;
        for (s, name) in self.series.iter().enumerate() {
            let x = 120 + 260 * s as i32;
            let colour = PALETTE[s].mix(0.85).filled();
            head.draw(&Rectangle::new([(x, 52), (x + 16, 66)], colour))
                .map_err(err)?;
            head.draw(&Text::new(
                name.to_string(),
                (x + 22, 51),
                ("sans-serif", 15).into_font(),
            ))
            .map_err(err)?;
        }
        let mut chart = ChartBuilder::on(&body)
            .margin(18)
            .margin_top(6)
            .margin_right(40)
            .x_label_area_size(48)
            .y_label_area_size(label_width)
            .build_cartesian_2d(x0..x1, 0f64..n as f64)
            .map_err(err)?;
        let labels: Vec<String> = self.rows.iter().map(|(l, _)| l.clone()).collect();
        let row_label = |y: &f64| row_label(&labels, *y);
        chart
            .configure_mesh()
            .disable_y_mesh()
            .x_labels(8)
            .y_labels(n * 2 + 1)
            .x_label_formatter(&|x: &f64| axis_number(*x))
            .y_label_formatter(&row_label)
            .x_desc(self.x_label.as_str())
            .label_style(("sans-serif", 14))
            .axis_desc_style(("sans-serif", 16))
            .draw()
            .map_err(err)?;
        for s in 0..self.series.len() {
            let colour = PALETTE[s];
            let mut bars = Vec::new();
            let mut whiskers = Vec::new();
            for (row, (_, pair)) in self.rows.iter().enumerate() {
                let Some((v, lo, hi)) = pair[s] else { continue };
                if !v.is_finite() {
                    continue;
                }
                let y = (n - 1 - row) as f64 + if s == 0 { 0.52 } else { 0.12 };
                bars.push(Rectangle::new(
                    [(0f64.min(v), y), (0f64.max(v), y + 0.36)],
                    colour.mix(0.85).filled(),
                ));
                if lo.is_finite() && hi.is_finite() {
                    whiskers.push(ErrorBar::new_horizontal(
                        y + 0.18,
                        lo,
                        v,
                        hi,
                        BLACK.stroke_width(1),
                        8,
                    ));
                }
            }
            chart.draw_series(bars).map_err(err)?;
            chart.draw_series(whiskers).map_err(err)?;
        }
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(0.0, 0.0), (0.0, n as f64)],
                BLACK.mix(0.6).stroke_width(1),
            )))
            .map_err(err)?;
        Ok(())
    }
}
