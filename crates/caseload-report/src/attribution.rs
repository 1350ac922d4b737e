//! What `caseload attribute` writes: `attribution.csv` and a waterfall per KPI.

use caseload_experiment::{Attribution, Estimate};

use crate::charts::Waterfall;
use crate::folders::{FileIn, FolderError, write_file};
use crate::format::number;

/// The rows of `attribution.csv`'s `item` column that are not actions.
pub const WITHOUT: &str = "(none)";
/// The whole package.
pub const PACKAGE: &str = "(package)";

/// One estimate as its CSV columns.
fn columns(e: &Estimate) -> [String; 4] {
    [number(e.mean), number(e.lo), number(e.hi), e.n.to_string()]
}

/// Writes `attribution.csv` and `attribution_<kpi>.png/svg`; returns the files written.
pub fn write_attribution(
    file: FileIn,
    label: &str,
    attribution: &Attribution,
) -> Result<Vec<String>, FolderError> {
    write_file(&file("attribution.csv"), |w| -> Result<(), csv::Error> {
        let mut w = csv::Writer::from_writer(w);
        w.write_record([
            "kpi", "unit", "item", "measure", "mean", "ci_lo", "ci_hi", "n",
        ])?;
        for (k, (kpi, unit)) in attribution.kpis.iter().enumerate() {
            let mut row = |item: &str, measure: &str, e: &Estimate| {
                let [mean, lo, hi, n] = columns(e);
                w.write_record([kpi.as_str(), unit, item, measure, &mean, &lo, &hi, &n])
            };
            row(WITHOUT, "value", &attribution.without[k])?;
            row(PACKAGE, "value", &attribution.package[k])?;
            row(PACKAGE, "effect", &attribution.total[k])?;
            for c in &attribution.actions {
                row(&c.action, "shapley", &c.shapley[k])?;
                row(&c.action, "leave_one_out", &c.leave_one_out[k])?;
            }
        }
        w.flush()?;
        Ok(())
    })?;
    let mut files = vec!["attribution.csv".to_string()];
    for (k, (kpi, unit)) in attribution.kpis.iter().enumerate() {
        let steps: Vec<(String, f64, f64, f64)> = attribution
            .actions
            .iter()
            .map(|c| {
                let e = &c.shapley[k];
                (c.action.clone(), e.mean, e.lo - e.mean, e.hi - e.mean)
            })
            .collect();
        files.extend(waterfall(
            file,
            label,
            kpi,
            unit,
            attribution.without[k].mean,
            &steps,
            attribution.package[k].mean,
        )?);
    }
    Ok(files)
}

/// Draws `attribution_<kpi>.png/svg`: `steps` are (action, Shapley mean, interval's ends less
/// the mean); returns the files.
pub fn waterfall(
    file: FileIn,
    label: &str,
    kpi: &str,
    unit: &str,
    without: f64,
    steps: &[(String, f64, f64, f64)],
    package: f64,
) -> Result<Vec<String>, FolderError> {
    let stem = format!(
        "attribution_{}",
        kpi.chars()
            .map(|c| if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            })
            .collect::<String>()
    );
    Waterfall {
        title: format!("{label}: what each action buys in {kpi} (Shapley values, 95 % CI)"),
        x_label: format!(
            "{kpi} ({unit}); green: the action lowers it, orange: raises it; whiskers: 95 % CI"
        ),
        start: ("without the package".into(), without),
        steps,
        end: ("with the package".into(), package),
    }
    .write(&file(&stem))?;
    Ok(vec![format!("{stem}.png"), format!("{stem}.svg")])
}
