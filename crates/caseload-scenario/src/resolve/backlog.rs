//! The starting backlog: cases waiting or open on day 0, written in the file or read from a
//! CSV file.

use super::*;

pub(super) fn read_starting_backlog(
    file: &Path,
    path: &FieldPath,
) -> Checked<Vec<(FieldPath, StartingCasesFile)>> {
    let fail = |message: String| Problem {
        path: path.clone(),
        message,
    };
    let bytes = crate::load::read_bounded(file, crate::load::MAX_DATA_FILE_BYTES)
        .map_err(|err| fail(format!("{}: {err}", file.display())))?;
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|err| fail(format!("{}: {err}", file.display())))?;
        let line = record.position().map_or(i + 2, |p| p.line() as usize);
        let row: StartingCasesCsv = record
            .deserialize(None)
            .or_else(|_| {
                let headers = [
                    "case_type",
                    "team",
                    "age_days",
                    "count",
                    "historic",
                    "open",
                    "stage",
                ];
                let header = csv::StringRecord::from(headers.to_vec());
                record.deserialize(Some(&header))
            })
            .map_err(|err| fail(format!("{} line {line}: {err}", file.display())))?;
        rows.push((
            path.clone(),
            StartingCasesFile {
                case_type: row.case_type,
                team: row.team.filter(|t| !t.is_empty()),
                age_days: row.age_days,
                count: row.count.unwrap_or(1),
                historic: row.historic.unwrap_or(false),
                open: row.open.unwrap_or(false),
                stage: row.stage.unwrap_or(0),
            },
        ));
    }
    Ok(rows)
}

#[derive(serde::Deserialize)]
pub(super) struct StartingCasesCsv {
    case_type: String,
    team: Option<String>,
    age_days: f64,
    count: Option<u32>,
    historic: Option<bool>,
    open: Option<bool>,
    stage: Option<usize>,
}

pub(super) fn resolve_starting_cases(
    row: &StartingCasesFile,
    path: &FieldPath,
    file: &ScenarioFile,
    expanded: &[Vec<(usize, usize)>],
    context: &Context<'_>,
    out: &mut Vec<StartingCase>,
    held_so_far: &mut u64,
) -> Checked<()> {
    let Some(type_index) = file.case_types.get_index_of(&row.case_type) else {
        return problem(
            &path.key("case_type"),
            format!(
                "no case type is named `{}`{}",
                row.case_type,
                suggestion(&row.case_type, file.case_types.keys().map(String::as_str))
            ),
        );
    };
    let routes = &expanded[type_index];
    let (model_type, team) = match &row.team {
        Some(team) => {
            let team = context.team(team, &path.key("team"))?;
            match routes.iter().find(|r| r.0 == team) {
                Some(&(_, model_type)) => (model_type, Some(team)),
                None => (routes[0].1, Some(team)),
            }
        }
        None if routes.len() == 1 => (routes[0].1, None),
        None => {
            return problem(
                &path.key("team"),
                "this case type is split across teams: say which team holds these cases",
            );
        }
    };
    let age_days = non_negative(&path.key("age_days"), row.age_days)?;
    let stages = file.case_types[type_index].stages.len();
    if row.stage >= stages {
        return problem(
            &path.key("stage"),
            format!("the case type has {stages} stages (0 to {})", stages - 1),
        );
    }
    if row.stage > 0 && !row.open {
        return problem(
            &path.key("stage"),
            "only open cases (open = true) can be past the first stage",
        );
    }
    if row.count == 0 {
        return problem(&path.key("count"), "expected at least 1 case");
    }
    let held = *held_so_far;
    if held + u64::from(row.count) > MAX_STARTING_CASES {
        return problem(
            &path.key("count"),
            format!(
                "the starting backlog would hold over {MAX_STARTING_CASES} cases; a run starts \
                 from at most that many"
            ),
        );
    }
    *held_so_far = held + u64::from(row.count);
    out.push(StartingCase {
        count: row.count,
        case_type: model_type,
        team,
        age_days,
        historic: row.historic,
        open: row.open,
        stage: row.stage,
    });
    Ok(())
}
