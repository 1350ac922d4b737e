//! What `caseload compare --select best` writes: `select.csv`.

use caseload_experiment::{Goal, Selection};

use crate::folders::{FileIn, FolderError, write_file};
use crate::format::number;

/// Writes `select.csv`: per option its mean, replications, when it was dropped and whether it
/// was chosen, with the procedure's settings on every row; returns the file's name.
pub fn write_selection(
    file: FileIn,
    names: &[String],
    kpi: &str,
    goal: Goal,
    pcs: f64,
    delta: f64,
    selection: &Selection,
) -> Result<Vec<String>, FolderError> {
    write_file(&file("select.csv"), |w| -> Result<(), csv::Error> {
        let mut w = csv::Writer::from_writer(w);
        w.write_record([
            "kpi",
            "better",
            "pcs",
            "delta",
            "option",
            "mean",
            "replications",
            "dropped_after",
            "chosen",
            "guaranteed",
            "fixed_design_replications",
        ])?;
        for (i, name) in names.iter().enumerate() {
            w.write_record([
                kpi,
                match goal {
                    Goal::Smallest => "smaller",
                    Goal::Largest => "larger",
                },
                &number(pcs),
                &number(delta),
                name,
                &number(selection.means[i]),
                &selection.replications[i].to_string(),
                &selection.eliminated_after[i].map_or_else(String::new, |r| r.to_string()),
                if i == selection.best { "true" } else { "false" },
                if selection.guaranteed {
                    "true"
                } else {
                    "false"
                },
                &selection.fixed_design.to_string(),
            ])?;
        }
        w.flush()?;
        Ok(())
    })?;
    Ok(vec!["select.csv".to_string()])
}
