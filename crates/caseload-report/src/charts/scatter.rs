//! Numbered points on two axes, each number listed with its name in a key beside the plot
//! (so labels never stack): Morris's mu* against sigma.

use super::*;

/// A scatter of named points, numbered in the order given.
#[derive(Debug, Clone)]
pub struct NumberedScatter<'a> {
    /// Title above the plot.
    pub title: String,
    /// What the x axis measures, with its unit.
    pub x_label: String,
    /// What the y axis measures, with its unit.
    pub y_label: String,
    /// Each point: its name, x and y (points with a value that is not finite are listed but
    /// not drawn).
    pub points: &'a [(String, f64, f64)],
}

impl NumberedScatter<'_> {
    /// Draws the chart to `stem.png` and `stem.svg`.
    pub fn write(&self, stem: &Path) -> Result<(), ChartError> {
        write_png_and_svg(self, stem)
    }

    /// Pixels of the key beside the plot: wide enough for every name whole (about 8 pixels a
    /// character at the key's 14-pixel font), so two names that share a long start never read
    /// alike.
    fn key_width(&self) -> u32 {
        let longest = self
            .points
            .iter()
            .map(|(name, _, _)| name.chars().count())
            .max()
            .unwrap_or(0);
        (60 + 8 * longest as u32).max(320)
    }
}

impl Drawing for NumberedScatter<'_> {
    fn size(&self) -> (u32, u32) {
        (
            SIZE.0 + self.key_width(),
            SIZE.1.max(120 + 22 * self.points.len() as u32),
        )
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
        root.fill(&WHITE).map_err(err)?;
        let (plot, key) = root.split_horizontally(SIZE.0);
        let finite = |p: &&(String, f64, f64)| p.1.is_finite() && p.2.is_finite();
        let (_, x1) = padded_range(self.points.iter().filter(finite).map(|p| p.1));
        let (_, y1) = padded_range(self.points.iter().filter(finite).map(|p| p.2));
        let mut chart = ChartBuilder::on(&plot)
            .caption(&self.title, ("sans-serif", title_size(&plot, &self.title)))
            .margin(18)
            .x_label_area_size(48)
            .y_label_area_size(80)
            .build_cartesian_2d(0f64..x1.max(1e-9), 0f64..y1.max(1e-9))
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_labels(8)
            .y_labels(8)
            .x_label_formatter(&|x: &f64| axis_number(*x))
            .y_label_formatter(&|y: &f64| axis_number(*y))
            .x_desc(self.x_label.as_str())
            .y_desc(self.y_label.as_str())
            .label_style(("sans-serif", 14))
            .axis_desc_style(("sans-serif", 16))
            .draw()
            .map_err(err)?;
        let colour = PALETTE[0];
        chart
            .draw_series(
                self.points
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| finite(p))
                    .map(|(i, (_, x, y))| {
                        EmptyElement::at((*x, *y))
                            + Circle::new((0, 0), 5, colour.filled())
                            + Text::new(
                                format!("{}", i + 1),
                                (7, -16),
                                ("sans-serif", 14).into_font(),
                            )
                    }),
            )
            .map_err(err)?;
        let style = TextStyle::from(("sans-serif", 14).into_font());
        key.draw(&Text::new("key", (10, 40), style.clone()))
            .map_err(err)?;
        for (i, (name, _, _)) in self.points.iter().enumerate() {
            key.draw(&Text::new(
                format!("{:>2}  {name}", i + 1),
                (10, 66 + 22 * i as i32),
                style.clone(),
            ))
            .map_err(err)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_names_every_point_whole() {
        // Two names alike in their first 40 characters stay apart in the key.
        let points = vec![
            (
                "case_types.child_sexual_assault.wait_steps[0].multiplier".to_string(),
                1.0,
                2.0,
            ),
            (
                "case_types.child_sexual_assault.wait_steps[1].multiplier".to_string(),
                2.0,
                1.0,
            ),
        ];
        let dir = std::env::temp_dir().join(format!("caseload-scatter-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a temporary folder");
        let stem = dir.join("morris");
        let chart = NumberedScatter {
            title: "t".into(),
            x_label: "mu*".into(),
            y_label: "sigma".into(),
            points: &points,
        };
        chart.write(&stem).expect("drawn");
        let svg = std::fs::read_to_string(stem.with_extension("svg")).expect("the SVG");
        for (name, _, _) in &points {
            assert!(svg.contains(name.as_str()), "the key holds {name}");
        }
        assert!(chart.size().0 >= SIZE.0 + 60 + 8 * 56, "{:?}", chart.size());
        std::fs::remove_dir_all(&dir).ok();
    }
}
