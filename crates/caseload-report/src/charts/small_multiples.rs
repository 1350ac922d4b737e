//! One small chart per team, on one scale.

use super::*;

/// One small chart per team: a daily mean with its band, each panel on its own scale, the
/// warm-up shaded and the staffing actions' starts as dashed lines.
#[derive(Debug, Clone)]
pub struct SmallMultiples<'a> {
    /// Title above the panels.
    pub title: String,
    /// Calendar date of each day.
    pub dates: &'a [String],
    /// Each panel's name and band.
    pub panels: &'a [(String, &'a caseload_experiment::Band)],
    /// Staffing actions.
    pub markers: &'a [Marker],
    /// Days at the start left out of the measures (shaded).
    pub warmup_days: f64,
    /// Whether each panel has its own y scale; by default all share one, so a panel's
    /// height compares with its neighbours'.
    pub own_scales: bool,
    /// The days shown, first and last (the decision period); `None`: every day.
    pub period: Option<(f64, f64)>,
}

/// Columns of small multiples.
const PANEL_COLUMNS: usize = 3;

/// Height of one small multiple, pixels.
const PANEL_HEIGHT: u32 = 210;

impl SmallMultiples<'_> {
    /// Draws the panels to `stem.png` and `stem.svg`.
    pub fn write(&self, stem: &Path) -> Result<(), ChartError> {
        write_png_and_svg(self, stem)
    }
}

impl Drawing for SmallMultiples<'_> {
    fn size(&self) -> (u32, u32) {
        let rows = self.panels.len().div_ceil(PANEL_COLUMNS).max(1) as u32;
        (SIZE.0, 60 + rows * PANEL_HEIGHT)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
        root.fill(&WHITE).map_err(err)?;
        let size = title_size(root, &self.title);
        let (head, body) = root.split_vertically(60);
        head.draw(&Text::new(
            self.title.clone(),
            (SIZE.0 as i32 / 2, 30),
            ("sans-serif", size)
                .into_font()
                .color(&BLACK)
                .pos(Pos::new(HPos::Center, VPos::Center)),
        ))
        .map_err(err)?;
        let rows = self.panels.len().div_ceil(PANEL_COLUMNS).max(1);
        let areas = body.split_evenly((rows, PANEL_COLUMNS));
        let all_days = self.dates.len().saturating_sub(1).max(1) as f64;
        let (first, days) = match self.period {
            Some((first, last)) if first < last => (first.max(0.0), last.min(all_days)),
            _ => (0.0, all_days),
        };
        let ticks: Vec<(f64, String)> = calendar_ticks(self.dates, 4)
            .into_iter()
            .filter(|t| t.0 >= first && t.0 <= days)
            .collect();
        let top_of = |band: &caseload_experiment::Band| {
            in_days(&band.hi, first, days)
                .iter()
                .chain(in_days(&band.mean, first, days))
                .copied()
                .filter(|x| x.is_finite())
                .fold(0.0f64, f64::max)
        };
        let shared = self
            .panels
            .iter()
            .map(|(_, band)| top_of(band))
            .fold(0.0f64, f64::max);
        let tick_label = |x: &f64| {
            ticks
                .iter()
                .find(|t| (t.0 - x).abs() < 0.5)
                .map_or_else(String::new, |t| t.1.clone())
        };
        let colour = PALETTE[0];
        let grey = RGBColor(80, 80, 80);
        for ((name, band), area) in self.panels.iter().zip(&areas) {
            let top = if self.own_scales {
                top_of(band)
            } else {
                shared
            };
            let top = if top > 0.0 { top * 1.1 } else { 1.0 };
            let axis = DateAxis {
                start: first,
                end: days,
                ticks: ticks.iter().map(|t| t.0).collect(),
            };
            let mut chart = ChartBuilder::on(area)
                .caption(name.as_str(), ("sans-serif", 15))
                .margin(8)
                .x_label_area_size(24)
                .y_label_area_size(52)
                .build_cartesian_2d(axis, 0f64..top)
                .map_err(err)?;
            chart
                .configure_mesh()
                .y_labels(4)
                .x_label_formatter(&tick_label)
                .y_label_formatter(&|y: &f64| axis_grouped(*y, top))
                .label_style(("sans-serif", 11))
                .light_line_style(WHITE.mix(0.0))
                .draw()
                .map_err(err)?;
            shade_warmup(&mut chart, first, self.warmup_days.min(days), top)?;
            for m in self
                .markers
                .iter()
                .filter(|m| (first..=days).contains(&m.start_day))
            {
                chart
                    .draw_series(DashedLineSeries::new(
                        [(m.start_day, 0.0), (m.start_day, top)],
                        6,
                        4,
                        grey.mix(0.5).stroke_width(1),
                    ))
                    .map_err(err)?;
            }
            draw_band(&mut chart, &band.lo, &band.hi, colour)?;
            draw_daily_line(&mut chart, &band.mean, colour, false, top)?;
        }
        Ok(())
    }
}
