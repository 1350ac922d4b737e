//! The designs of a sweep's points: the scenario (or a variant) with the swept fields set to
//! each point's values.

use caseload_experiment::{AxisValue, Design, Grid, Limits};

use crate::error::{FieldPath, ScenarioError};
use crate::load::ScenarioSource;

impl ScenarioSource {
    /// The design of every point of `grid`, on the scenario as written or on `variant`. Every
    /// point must report the same KPIs (a sweep that changes a priority or whether a KPI
    /// threshold is set would not).
    pub fn grid_designs(
        &self,
        variant: Option<&str>,
        grid: &Grid,
        keep_cases: bool,
        limits: Limits,
    ) -> Result<Vec<Design>, ScenarioError> {
        let mut fields = Vec::with_capacity(grid.axes.len());
        for axis in &grid.axes {
            let field = FieldPath::parse(&axis.path).map_err(|e| {
                ScenarioError::file(self.path(), format!("--param {}: {e}", axis.path))
            })?;
            fields.push(field);
        }
        let mut designs: Vec<Design> = Vec::with_capacity(grid.points());
        for p in 0..grid.points() {
            let values = grid.point(p);
            let changes: Vec<_> = fields
                .iter()
                .cloned()
                .zip(values.iter().map(|&v| field_value(v)))
                .collect();
            let at = || {
                let what: Vec<String> = fields
                    .iter()
                    .zip(&values)
                    .map(|(f, v)| format!("{f}={v}"))
                    .collect();
                format!("at sweep point {p} ({})", what.join(", "))
            };
            let plan = self
                .plan_with_changes(variant, &changes)
                .map_err(|e| e.context(at()))?;
            let design = plan.design(keep_cases, limits);
            if let Some(first) = designs.first()
                && first.kpis() != design.kpis()
            {
                return Err(ScenarioError::file(
                    self.path(),
                    format!(
                        "{}: the KPIs differ from point 0's (does the sweep change a priority \
                         or a KPI threshold's presence?); a sweep reports the same KPIs at \
                         every point",
                        at()
                    ),
                ));
            }
            designs.push(design);
        }
        Ok(designs)
    }
}

/// A swept value as a scenario field's value.
pub fn field_value(value: AxisValue) -> toml::Value {
    match value {
        AxisValue::Whole(i) => toml::Value::Integer(i),
        AxisValue::Real(x) => toml::Value::Float(x),
        AxisValue::Date(d) => d.to_string().parse::<toml::value::Datetime>().map_or_else(
            |_| toml::Value::String(d.to_string()),
            toml::Value::Datetime,
        ),
    }
}
