//! The KPI catalogue in `docs/kpis.md` is generated from the program's own KPIs, over the
//! shipped scenarios and the tiny test scenario: every measure (the KPI name without its
//! team, priority, case type or date) with its unit and its definition. A change to the
//! KPIs that leaves the page behind fails here; regenerate it with
//!   CASELOAD_BLESS=1 cargo test --test main catalogue
//! and commit it with the change.

use std::collections::BTreeMap;

use crate::util::{Dir, read_csv, root, run_ok};

/// The scenarios the catalogue covers: between them every kind of KPI.
const SCENARIOS: [&str; 4] = [
    "scenarios/london-2014-response.toml",
    "scenarios/london-2019-online.toml",
    "scenarios/validation/inspection-2016.toml",
    "tests/golden/tiny.toml",
];

/// `description` with this KPI's own priority, case type and date put back as placeholders.
fn general(description: &str, row: &std::collections::HashMap<String, String>) -> String {
    let mut text = description.to_string();
    if !row["date"].is_empty() {
        text = text.replace(&row["date"], "DATE");
    }
    if !row["case_type"].is_empty() {
        text = text.replace(&row["case_type"].replace('_', " "), "TYPE");
        text = text.replace(&row["case_type"], "TYPE");
    }
    if !row["priority"].is_empty() {
        text = text.replace(&format!("priority {}", row["priority"]), "priority P");
    }
    text
}

fn catalogue() -> String {
    let dir = Dir::new("catalogue");
    let mut measures: BTreeMap<String, (String, String, String)> = BTreeMap::new();
    for (i, scenario) in SCENARIOS.iter().enumerate() {
        let out = format!("r{i}");
        let path = root().join(scenario).display().to_string();
        run_ok(&dir, &["run", &path, "--reps", "2", "--out", &out], &[]);
        for row in read_csv(&dir.join(&out).join("summary.csv")) {
            // The full name with its own parts put back as placeholders, where they stand.
            let mut name = row["kpi"].clone();
            if !row["priority"].is_empty() {
                name = name.replace(&format!("_priority_{}", row["priority"]), "_priority_P");
            }
            if !row["date"].is_empty() {
                name = name.replacen(&row["date"], "DATE", 1);
            }
            let case_type = &row["case_type"];
            if !case_type.is_empty()
                && let Some(at) = name.rfind(case_type.as_str())
            {
                name.replace_range(at..at + case_type.len(), "TYPE");
            }
            measures.entry(name).or_insert_with(|| {
                (
                    row["unit"].clone(),
                    general(&row["label"], &row),
                    general(&row["description"], &row),
                )
            });
        }
    }
    let mut page = String::from(
        "# The KPIs\n\nGenerated from the program's own KPIs over the shipped scenarios \
         (`tests/catalogue.rs`; do not edit by hand). Each row is a measure: `TYPE` stands for a \
         case type as the scenario names it, `DATE` for a date of `[kpi] dates` (or a year's \
         start), `P` for a priority level; every measure is also given for each team (the \
         `team` column; `all` for all teams). Numbers in a definition (a breach level, a window \
         of days) are the first scenario's `[kpi]` thresholds; each scenario's own are in its \
         `summary.csv`. In the tables the parts are columns: `measure`, \
         `priority`, `case_type`, `date` (empty where they do not apply), beside `kpi`, the \
         full name. How each is estimated (Kaplan-Meier for times, the restricted mean, the \
         Wilson interval for shares) is in [outputs.md](outputs.md#how-the-kpis-count-cases).\n\n\
         | KPI | unit | label | definition |\n| --- | --- | --- | --- |\n",
    );
    for (name, (unit, label, description)) in &measures {
        page.push_str(&format!(
            "| `{name}` | {unit} | {label} | {} |\n",
            description.replace('|', "\\|")
        ));
    }
    page
}

#[test]
fn the_kpi_catalogue_in_the_docs_is_the_programs() {
    let generated = catalogue();
    let path = root().join("docs/kpis.md");
    if std::env::var_os("CASELOAD_BLESS").is_some() {
        std::fs::write(&path, &generated).expect("docs/kpis.md written");
    }
    let stored = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        stored == generated,
        "docs/kpis.md differs from the program's KPIs: regenerate it with \
         CASELOAD_BLESS=1 cargo test --test main catalogue"
    );
}

/// The page of daily metrics: every metric's name, unit and definition, from the program's own.
fn metric_catalogue() -> String {
    let mut page = String::from(
        "# The daily metrics\n\nGenerated from the program's own metrics (`tests/catalogue.rs`; \
         do not edit by hand). Each is a value of the `metric` column of `timeseries.csv` \
         and `monthly.csv`, per team and for all teams (`team` = `all`), taken at the \
         start of its day after that day's staffing changes; the mean and 5-95 % band are over \
         the replications in which the day's value is defined. `P` stands for a priority \
         level, `TYPE` for a case type as the scenario names it.\n\n\
         | metric | unit | definition |\n| --- | --- | --- |\n",
    );
    for metric in caseload_experiment::Metric::catalogue() {
        page.push_str(&format!(
            "| `{}` | {} | {} |\n",
            metric.catalogue_name(),
            metric.unit(),
            metric.definition().replace('|', "\\|")
        ));
    }
    page
}

#[test]
fn the_metric_catalogue_in_the_docs_is_the_programs() {
    let generated = metric_catalogue();
    let path = root().join("docs/metrics.md");
    if std::env::var_os("CASELOAD_BLESS").is_some() {
        std::fs::write(&path, &generated).expect("docs/metrics.md written");
    }
    let stored = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        stored == generated,
        "docs/metrics.md differs from the program's metrics: regenerate it with \
         CASELOAD_BLESS=1 cargo test --test main catalogue"
    );
    // Every metric a run writes is in the catalogue (the weighed backlog's series by level
    // and by case type under their general names).
    let dir = Dir::new("metric_catalogue");
    let scenario = root().join("tests/golden/tiny.toml").display().to_string();
    run_ok(&dir, &["run", &scenario, "--reps", "2", "--out", "r"], &[]);
    let names: std::collections::BTreeSet<String> = caseload_experiment::Metric::catalogue()
        .map(|m| m.catalogue_name().into_owned())
        .collect();
    for row in read_csv(&dir.join("r/timeseries.csv")) {
        let metric = &row["metric"];
        let general = if metric.starts_with("unallocated_priority_") {
            "unallocated_priority_P"
        } else if metric.starts_with("unallocated_of_") {
            "unallocated_of_TYPE"
        } else {
            metric
        };
        assert!(
            names.contains(general),
            "{metric} is not in docs/metrics.md"
        );
    }
}
