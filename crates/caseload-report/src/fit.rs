//! What `caseload fit` leaves: `fit.csv` (each series' estimates with 95 % intervals and its
//! goodness of fit), `demand.toml` (each series' scenario `demand` block), `fan.csv` (observed,
//! fitted and the 5-95 % predictive band per period) and a chart per series.

use std::io::Write;

use caseload_fit::{Dispersion, Fan, Fit};

use crate::charts::{Chart, Line};
use crate::folders::{FileIn, FolderError, write_file};
use crate::format::number;

/// Writes the fit folder's files (not the manifest); returns their names.
pub fn write_fit(file: FileIn, fits: &[(Fit, Fan)]) -> Result<Vec<String>, FolderError> {
    let mut files = vec![
        "fit.csv".to_string(),
        "demand.toml".to_string(),
        "fan.csv".to_string(),
    ];
    write_file(&file("fit.csv"), |w| -> Result<(), csv::Error> {
        let mut w = csv::Writer::from_writer(w);
        w.write_record(["series", "parameter", "estimate", "ci_lo", "ci_hi", "note"])?;
        for (fit, _) in fits {
            let mut row = |name: &str, e: caseload_fit::Estimate, note: &str| {
                w.write_record([
                    fit.label.as_str(),
                    name,
                    &number(e.value),
                    &number(e.lo),
                    &number(e.hi),
                    note,
                ])
            };
            row(
                "annual_rate",
                fit.annual_rate,
                &format!("referrals a year on {}", fit.start),
            )?;
            row("annual_growth", fit.annual_growth, "compound growth a year")?;
            if let Some(months) = &fit.seasonality {
                for (m, e) in months.iter().enumerate() {
                    row(
                        &format!("seasonality_{:02}", m + 1),
                        *e,
                        "multiplier (mean 1)",
                    )?;
                }
            }
            if let Some((date, e)) = &fit.step {
                row("step_multiplier", *e, &format!("from {date}"))?;
            }
            if let Dispersion::NegativeBinomial { theta, p_value } = fit.dispersion {
                row(
                    "theta",
                    theta,
                    &format!("negative binomial size (p = {p_value:.4} against Poisson)"),
                )?;
            }
            w.write_record([
                fit.label.as_str(),
                "pearson_dispersion",
                &number(fit.pearson_dispersion),
                "",
                "",
                &fit.goodness(),
            ])?;
        }
        w.flush()?;
        Ok(())
    })?;
    let only_fits: Vec<Fit> = fits.iter().map(|(f, _)| f.clone()).collect();
    write_fitted_demand(file, &only_fits)?;
    write_file(&file("fan.csv"), |w| -> Result<(), csv::Error> {
        let mut w = csv::Writer::from_writer(w);
        w.write_record([
            "series",
            "period_start",
            "observed",
            "fitted",
            "predicted_p05",
            "predicted_p95",
        ])?;
        for (fit, fan) in fits {
            for i in 0..fan.starts.len() {
                let observed = if fan.observed[i].is_nan() {
                    String::new()
                } else {
                    format!("{}", fan.observed[i])
                };
                w.write_record([
                    fit.label.clone(),
                    fan.starts[i].to_string(),
                    observed,
                    number(fan.mean[i]),
                    number(fan.lo[i]),
                    number(fan.hi[i]),
                ])?;
            }
        }
        w.flush()?;
        Ok(())
    })?;
    for (fit, fan) in fits {
        let dates: Vec<String> = fan.starts.iter().map(ToString::to_string).collect();
        let stem = fit_chart(
            file,
            &fit.label,
            fit.granularity,
            &dates,
            [&fan.observed, &fan.mean, &fan.lo, &fan.hi],
        )?;
        files.push(format!("{stem}.png"));
        files.push(format!("{stem}.svg"));
    }
    Ok(files)
}

/// Draws one series' chart, `fit_LABEL.png/svg`: observed counts against the fitted mean
/// and the 5-95 % predicted band, period by period; `series` holds observed (NaN where
/// there is none), fitted, and the band's ends. Returns the stem.
pub fn fit_chart(
    file: FileIn,
    label: &str,
    granularity: caseload_fit::Granularity,
    periods: &[String],
    series: [&[f64]; 4],
) -> Result<String, FolderError> {
    let [observed, fitted, lo, hi] = series;
    let stem = format!("fit_{}", file_safe(label));
    let per = match granularity {
        caseload_fit::Granularity::Monthly => "a month",
        caseload_fit::Granularity::Yearly => "a year",
    };
    let chart = Chart {
        title: format!("{label}: referrals {per}, observed and fitted"),
        y_label: format!("referrals {per}"),
        dates: periods,
        lines: vec![
            Line {
                label: "observed".into(),
                mean: observed,
                band: None,
            },
            Line {
                label: "fitted and forecast (5-95 % predicted)".into(),
                mean: fitted,
                band: Some((lo, hi)),
            },
        ],
        markers: &[],
        warmup_days: 0.0,
        stacked: false,
        context: Vec::new(),
        period: None,
    };
    chart.write(&file(&stem))?;
    Ok(stem)
}

/// A series label as a file name: letters, digits, `-` and `_` kept, the rest `_`.
fn file_safe(label: &str) -> String {
    label
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Writes `demand.toml`, each fit's `demand` block with its estimates as comments; returns
/// the file's name.
pub fn write_fitted_demand(file: FileIn, fits: &[Fit]) -> Result<Vec<String>, FolderError> {
    write_file(&file("demand.toml"), |mut w| -> std::io::Result<()> {
        writeln!(
            w,
            "# Demand fitted by caseload fit: paste each block into its case type's table."
        )?;
        for fit in fits {
            writeln!(w)?;
            write!(w, "{}", fit.demand_toml())?;
        }
        Ok(())
    })?;
    Ok(vec!["demand.toml".to_string()])
}
