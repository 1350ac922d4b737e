//! Where a sweep keeps its replications: `replications.csv`, one row per (point,
//! replication) with every KPI, beside a `manifest.json` recording the grid and the SHA-256 of
//! the rows written so far.
//!
//! A sweep writes into a hidden `.NAME.partial` folder beside its output folder, appending
//! each point's replications as soon as they are all done. An interrupted sweep leaves that
//! folder; a resumed one keeps its whole points (after checking their checksum) and runs the
//! rest. Values are written in Rust's shortest round-trip form, so reading them back gives the
//! same numbers to the bit, and a sharded sweep merged gives the bytes of an unsharded one.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::results::manifest::{
    Manifest, ManifestError, RowsChecksum, SweepRecord, hex, sha256_hex,
};
use crate::sweep::{Block, Shard};

/// KPI values of (point, replication) pairs.
pub type Rows = BTreeMap<(usize, u32), Vec<f64>>;

/// A sweep's rows that cannot be read, written or trusted.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A file could not be read or written.
    #[error("{doing} {}: {source}", path.display())]
    Io {
        /// What was being done.
        doing: &'static str,
        /// The file or folder.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A file's content is not what the sweep wrote.
    #[error("{}{}: {message}", path.display(), line.map(|l| format!(", line {l}")).unwrap_or_default())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// The line, counting from 1, if one line is at fault.
        line: Option<usize>,
        /// What is wrong.
        message: String,
    },
    /// A manifest could not be read or written.
    #[error(transparent)]
    Manifest(#[from] ManifestError),
}

fn invalid(path: &Path, line: Option<usize>, message: impl Into<String>) -> StoreError {
    StoreError::Invalid {
        path: path.to_path_buf(),
        line,
        message: message.into(),
    }
}

/// Reads a results file whole, bounded (see [`crate::results::atomic::read_results_file`]).
fn read(path: &Path) -> Result<Vec<u8>, StoreError> {
    crate::results::atomic::read_results_file(path)
        .map_err(|message| io("reading", path)(std::io::Error::other(message)))
}

fn io(doing: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> StoreError {
    let path = path.to_path_buf();
    move |source| StoreError::Io {
        doing,
        path,
        source,
    }
}

/// The hidden folder beside `target` in which a resumable sweep collects its results:
/// `.NAME.partial`.
pub fn partial_folder(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map_or_else(|| "results".into(), |n| n.to_string_lossy().into_owned());
    let parent = target.parent().filter(|p| !p.as_os_str().is_empty());
    parent
        .unwrap_or_else(|| Path::new("."))
        .join(crate::results::atomic::hidden(&name, "partial"))
}

/// The sweep record of a manifest, or an error naming `folder` when it is no sweep's.
fn record_of<'m>(manifest: &'m Manifest, folder: &Path) -> Result<&'m SweepRecord, StoreError> {
    manifest.sweep.as_ref().ok_or_else(|| {
        invalid(
            &folder.join("manifest.json"),
            None,
            format!(
                "the manifest of a `{}` folder, not of a sweep",
                manifest.command.name()
            ),
        )
    })
}

/// The columns of `replications.csv` after the replication: as a run's, one KPI per line.
pub const KPI_COLUMNS: [&str; 8] = [
    "team",
    "kpi",
    "unit",
    "value",
    "measure",
    "priority",
    "case_type",
    "date",
];

/// Appends `text` as one CSV field, quoted when it holds a comma, a quote or a line break.
fn push_field(line: &mut String, text: &str) {
    if text.contains([',', '"', '\n', '\r']) {
        line.push('"');
        line.push_str(&text.replace('"', "\"\""));
        line.push('"');
    } else {
        line.push_str(text);
    }
}

/// The fields of one CSV line as [`push_field`] writes them.
fn split_fields(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => fields.push(std::mem::take(&mut field)),
            c => field.push(c),
        }
    }
    fields.push(field);
    fields
}

impl SweepRecord {
    /// The slice of the sweep held.
    pub fn slice(&self) -> Shard {
        self.shard.unwrap_or(Shard::WHOLE)
    }

    /// The header of `replications.csv`: the point and the values it sets, the replication,
    /// then one KPI per line as in a run's `replications.csv`.
    pub fn header(&self) -> Vec<String> {
        let mut header = vec!["point".to_string()];
        header.extend(self.point_paths());
        header.push("replication".into());
        header.extend(KPI_COLUMNS.map(String::from));
        header
    }

    /// The lines of `replications.csv` of one (point, replication): one per KPI.
    pub fn row_line(&self, point: usize, replication: u32, kpis: &[f64]) -> String {
        let mut lead = point.to_string();
        for value in self.point_values(point) {
            lead.push(',');
            push_field(&mut lead, &value.to_string());
        }
        let _ = write!(lead, ",{replication}");
        let mut lines = String::new();
        for (column, &x) in self.kpis.iter().zip(kpis) {
            lines += &lead;
            let (kpi, team) = column.kpi_and_team();
            for field in [team, kpi, &column.unit] {
                lines.push(',');
                push_field(&mut lines, field);
            }
            lines.push(',');
            if x == f64::INFINITY {
                lines.push_str("inf");
            } else if !x.is_nan() {
                let _ = write!(lines, "{x}");
            }
            for part in &column.parts {
                lines.push(',');
                push_field(&mut lines, part);
            }
            lines.push('\n');
        }
        lines
    }

    /// The whole text of `replications.csv` holding `rows`, sorted.
    pub fn rows_text(&self, rows: &Rows) -> String {
        let mut text = self.header().join(",");
        text.push('\n');
        for (&(point, replication), kpis) in rows {
            text += &self.row_line(point, replication, kpis);
        }
        text
    }

    /// Reads `replications.csv`. With `lenient`, an unfinished end (an interrupted write: a
    /// cut line, or a replication with only some of its KPIs) is ignored; otherwise it is an
    /// error.
    pub fn read_rows(&self, path: &Path, lenient: bool) -> Result<Rows, StoreError> {
        let bytes = read(path)?;
        let text = String::from_utf8(bytes).map_err(|_| StoreError::Invalid {
            path: path.to_path_buf(),
            line: None,
            message: "not UTF-8 text: not the rows a sweep wrote".into(),
        })?;
        self.parse_rows(path, &text, lenient)
    }

    fn parse_rows(&self, path: &Path, text: &str, lenient: bool) -> Result<Rows, StoreError> {
        let header = self.header().join(",");
        let mut lines = text.split_inclusive('\n');
        match lines.next() {
            Some(first) if first.trim_end() == header => {}
            _ => {
                return Err(invalid(
                    path,
                    Some(1),
                    "the first line is not the header this sweep writes",
                ));
            }
        }
        let params = self.point_paths().len();
        let columns = params + 2 + KPI_COLUMNS.len();
        let kpis = self.kpis.len();
        let mut rows = Rows::new();
        // The (point, replication) being read, its first line and its values so far.
        let mut open: Option<((usize, u32), usize, Vec<f64>)> = None;
        for (i, line) in lines.enumerate() {
            let at = Some(i + 2);
            if !line.ends_with('\n') {
                if lenient {
                    break;
                }
                return Err(invalid(path, at, "the line is unfinished"));
            }
            let fields = split_fields(line.trim_end_matches(['\n', '\r']));
            if fields.len() != columns {
                return Err(invalid(
                    path,
                    at,
                    format!("{} fields, expected {columns}", fields.len()),
                ));
            }
            let point: usize = fields[0]
                .parse()
                .map_err(|_| invalid(path, at, "the point is not a whole number"))?;
            let replication: u32 = fields[params + 1]
                .parse()
                .map_err(|_| invalid(path, at, "the replication is not a whole number"))?;
            if point >= self.points {
                return Err(invalid(
                    path,
                    at,
                    format!("point {point} is outside the sweep"),
                ));
            }
            let key = (point, replication);
            let (_, _, values) = match &mut open {
                Some((k, _, _)) if *k == key => open.as_mut().expect("open"),
                _ => {
                    if let Some((k, first, _)) = open.take() {
                        return Err(invalid(
                            path,
                            Some(first),
                            format!(
                                "point {}, replication {} has only some of its {kpis} KPIs",
                                k.0, k.1
                            ),
                        ));
                    }
                    open.insert((key, i + 2, Vec::with_capacity(kpis)))
                }
            };
            let column = &self.kpis[values.len()];
            let (kpi, team) = column.kpi_and_team();
            let [team_field, kpi_field, ..] = &fields[params + 2..] else {
                unreachable!("the field count was checked");
            };
            if (team_field.as_str(), kpi_field.as_str()) != (team, kpi) {
                return Err(invalid(
                    path,
                    at,
                    format!(
                        "KPI `{kpi_field}` of team `{team_field}`, expected `{kpi}` of team `{team}`"
                    ),
                ));
            }
            let value = &fields[params + 5];
            values.push(match value.as_str() {
                "" => f64::NAN,
                text => text
                    .parse::<f64>()
                    .map_err(|_| invalid(path, at, "the value is not a number"))?,
            });
            if values.len() == kpis {
                let (key, _, values) = open.take().expect("open");
                if rows.insert(key, values).is_some() {
                    return Err(invalid(
                        path,
                        at,
                        format!("point {point}, replication {replication} appears twice"),
                    ));
                }
            }
        }
        if let Some(((point, replication), first, _)) = open
            && !lenient
        {
            return Err(invalid(
                path,
                Some(first),
                format!(
                    "point {point}, replication {replication} has only some of its {kpis} KPIs"
                ),
            ));
        }
        Ok(rows)
    }

    /// Checks that `rows` are exactly the (point, replication) pairs of this slice of a sweep
    /// of `replications` replications per point.
    pub fn check_cover(
        &self,
        replications: u32,
        rows: &Rows,
        source: &Path,
    ) -> Result<(), StoreError> {
        let blocks = self.slice().blocks(self.points, replications);
        let expected: usize = blocks.iter().map(|b| b.replications.len()).sum();
        let inside = |&(p, r): &(usize, u32)| {
            blocks
                .iter()
                .any(|b| b.point == p && b.replications.contains(&r))
        };
        if let Some(&(p, r)) = rows.keys().find(|k| !inside(k)) {
            return Err(invalid(
                source,
                None,
                format!("point {p}, replication {r} does not belong to this slice of the sweep"),
            ));
        }
        if rows.len() != expected {
            return Err(invalid(
                source,
                None,
                format!(
                    "{} of the {expected} (point, replication) pairs are there; the sweep did \
                     not finish (run it again with --resume)",
                    rows.len()
                ),
            ));
        }
        Ok(())
    }
}

impl RowsChecksum {
    /// Checks that `file` begins with the bytes this checksum was taken of (and, if `whole`,
    /// holds nothing more).
    pub fn verify(&self, file: &Path, whole: bool) -> Result<(), StoreError> {
        let bytes = read(file)?;
        let recorded = usize::try_from(self.bytes).unwrap_or(usize::MAX);
        if bytes.len() < recorded
            || (whole && bytes.len() != recorded)
            || sha256_hex(&bytes[..recorded]) != self.sha256
        {
            return Err(invalid(
                file,
                None,
                "the rows do not match the checksum in its manifest.json (the file was \
                 changed or cut after it was written); run that sweep or shard again",
            ));
        }
        Ok(())
    }
}

/// Writes `text` to a temporary file renamed over `path`, so an interruption leaves the old
/// file or the new one, never a cut one.
fn write_whole(path: &Path, text: &str) -> Result<(), StoreError> {
    crate::results::atomic::write_whole(path, text.as_bytes())
        .map_err(|e| io(e.doing, &e.path)(e.source))
}

/// Writes `rows` as a whole `replications.csv` of the sweep `record` describes; returns
/// the checksum of the file.
pub fn write_rows(
    record: &SweepRecord,
    path: &Path,
    rows: &Rows,
) -> Result<RowsChecksum, StoreError> {
    let text = record.rows_text(rows);
    write_whole(path, &text)?;
    Ok(RowsChecksum::of(text.as_bytes()))
}

/// The blocks of `blocks` whose every replication is in `rows`.
pub fn complete(blocks: &[Block], rows: &Rows) -> Vec<bool> {
    blocks
        .iter()
        .map(|b| {
            b.replications
                .clone()
                .all(|r| rows.contains_key(&(b.point, r)))
        })
        .collect()
}

/// What to do with a sweep's hidden folder when it exists already.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Leftover {
    /// Keep the whole points an interrupted run of the same sweep wrote (`--resume`).
    Resume,
    /// Discard it (`--force`).
    Discard,
    /// Refuse to start.
    Refuse,
}

/// The rows of a sweep under way, appended point by point to `replications.csv` in its
/// hidden folder, with the manifest's checksum kept up to date.
pub struct SweepStore {
    folder: PathBuf,
    manifest: Manifest,
    record: SweepRecord,
    file: fs::File,
    hasher: Sha256,
    bytes: u64,
    done: Rows,
}

impl SweepStore {
    /// Opens the hidden folder `folder` of the sweep `manifest` describes: continues an
    /// interrupted run's (with [`Leftover::Resume`], keeping only its whole `blocks`), or
    /// starts afresh.
    pub fn open(
        folder: &Path,
        manifest: &Manifest,
        blocks: &[Block],
        leftover: Leftover,
    ) -> Result<Self, StoreError> {
        let rows_path = folder.join("replications.csv");
        let record = record_of(manifest, folder)?.clone();
        let done = if folder.exists() && leftover == Leftover::Resume {
            let left = Manifest::read(folder)?;
            let left_record = record_of(&left, folder)?;
            if !(left.same_sweep(manifest) && left_record.shard == record.shard) {
                return Err(invalid(
                    folder,
                    None,
                    "holds an interrupted sweep with other settings (scenario, parameters, \
                     replications, seed or shard differ); pass --force to discard it",
                ));
            }
            // The rows written and recorded must be as they were; a tail past them is a
            // block cut short by the interruption, dropped below.
            left_record.rows.verify(&rows_path, false)?;
            let mut rows = record.read_rows(&rows_path, true)?;
            let whole = complete(blocks, &rows);
            rows.retain(|&(p, r), _| {
                blocks
                    .iter()
                    .zip(&whole)
                    .any(|(b, &w)| w && b.point == p && b.replications.contains(&r))
            });
            rows
        } else {
            if folder.exists() {
                if leftover == Leftover::Refuse {
                    return Err(invalid(
                        folder,
                        None,
                        "an interrupted sweep left this folder; pass --resume to continue it, \
                         or --force to start again",
                    ));
                }
                fs::remove_dir_all(folder).map_err(io("removing", folder))?;
            }
            fs::create_dir_all(folder).map_err(io("creating the folder", folder))?;
            Rows::new()
        };
        // Drop any unfinished block's rows and a cut-off last line before appending.
        let text = record.rows_text(&done);
        write_whole(&rows_path, &text)?;
        let mut store = Self {
            folder: folder.to_path_buf(),
            manifest: manifest.clone(),
            record,
            file: fs::OpenOptions::new()
                .append(true)
                .open(&rows_path)
                .map_err(io("opening", &rows_path))?,
            hasher: Sha256::new(),
            bytes: 0,
            done,
        };
        store.record(text.as_bytes())?;
        Ok(store)
    }

    /// The rows already written when the store was opened.
    pub fn done(&self) -> &Rows {
        &self.done
    }

    /// Appends a block's replications (`values[i]` is replication `block.replications.start +
    /// i`) and records the new checksum.
    pub fn append(&mut self, block: &Block, values: &[Vec<f64>]) -> Result<(), StoreError> {
        let record = &self.record;
        let text: String = block
            .replications
            .clone()
            .zip(values)
            .map(|(r, kpis)| record.row_line(block.point, r, kpis))
            .collect();
        let path = self.folder.join("replications.csv");
        self.file
            .write_all(text.as_bytes())
            .and_then(|()| self.file.flush())
            .map_err(io("writing", &path))?;
        self.record(text.as_bytes())
    }

    fn record(&mut self, written: &[u8]) -> Result<(), StoreError> {
        self.hasher.update(written);
        self.bytes += written.len() as u64;
        let mut manifest = self.manifest.clone();
        if let Some(s) = manifest.sweep.as_mut() {
            s.rows = RowsChecksum {
                bytes: self.bytes,
                sha256: hex(&self.hasher.clone().finalize()),
            };
        }
        Ok(manifest.write(&self.folder.join("manifest.json"))?)
    }

    /// Reads the rows back and checks they are exactly this slice's.
    pub fn finish(self) -> Result<Rows, StoreError> {
        let path = self.folder.join("replications.csv");
        let record = &self.record;
        let rows = record.read_rows(&path, false)?;
        record.check_cover(self.manifest.replications, &rows, &path)?;
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measure::stats::Domain;
    use crate::results::manifest::{Command, KpiColumn};
    use crate::sweep::Grid;

    fn manifest(shard: Option<Shard>) -> Manifest {
        let mut m = Manifest::new(Command::Sweep, Vec::new(), Path::new("s.toml"), "text");
        m.scenario = "s".into();
        m.replications = 3;
        let params = Grid::parse(&["teams.a.establishment=1:2:1"]).expect("a grid");
        m.sweep = Some(SweepRecord {
            points: params.points(),
            params,
            kpis: vec![KpiColumn {
                name: "backlog_end".into(),
                unit: "cases".into(),
                domain: Domain::NonNegative,
                parts: [
                    "backlog_end".into(),
                    String::new(),
                    String::new(),
                    String::new(),
                ],
            }],
            chart_kpi: "backlog_end".into(),
            target: None,
            shard,
            rows: RowsChecksum::default(),
            sensitivity: None,
            reference: 0,
        });
        m
    }

    fn temporary(name: &str) -> PathBuf {
        let folder =
            std::env::temp_dir().join(format!("caseload-store-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&folder);
        folder
    }

    #[test]
    fn rows_read_back_to_the_bit() {
        let m = manifest(None);
        let record = m.sweep.as_ref().expect("a sweep");
        let mut rows = Rows::new();
        rows.insert((0, 0), vec![0.1 + 0.2]);
        rows.insert((1, 2), vec![f64::NAN]);
        let text = record.rows_text(&rows);
        assert!(text.starts_with(
            "point,teams.a.establishment,replication,team,kpi,unit,value,measure,priority,\
             case_type,date\n0,1,0,all,backlog_end,cases,0.30000000000000004,backlog_end,,,\n"
        ));
        let back = record
            .parse_rows(Path::new("r.csv"), &text, false)
            .expect("rows");
        assert_eq!(back[&(0, 0)][0].to_bits(), (0.1f64 + 0.2).to_bits());
        assert!(back[&(1, 2)][0].is_nan());
        // A cut line is an error unless reading leniently.
        let cut = &text[..text.len() - 1];
        assert!(record.parse_rows(Path::new("r.csv"), cut, false).is_err());
        assert_eq!(
            record
                .parse_rows(Path::new("r.csv"), cut, true)
                .expect("lenient")
                .len(),
            1
        );
    }

    #[test]
    fn a_slice_must_hold_exactly_its_pairs() {
        let m = manifest(Some(Shard { index: 0, count: 2 }));
        let record = m.sweep.as_ref().expect("a sweep");
        let mut rows = Rows::new();
        for r in 0..3 {
            rows.insert((0, r), vec![1.0]);
        }
        record
            .check_cover(3, &rows, Path::new("r.csv"))
            .expect("shard 0 of 2 holds point 0");
        rows.insert((1, 0), vec![1.0]);
        assert!(record.check_cover(3, &rows, Path::new("r.csv")).is_err());
        rows.remove(&(1, 0));
        rows.remove(&(0, 2));
        assert!(record.check_cover(3, &rows, Path::new("r.csv")).is_err());
    }

    #[test]
    fn a_resumed_store_keeps_whole_points_and_drops_a_cut_one() {
        let folder = temporary("resume");
        let m = manifest(None);
        let blocks = Shard::WHOLE.blocks(2, 3);
        let mut store = SweepStore::open(&folder, &m, &blocks, Leftover::Refuse).expect("open");
        store
            .append(&blocks[0], &[vec![1.0], vec![2.0], vec![3.0]])
            .expect("append");
        drop(store);
        // An interruption in the middle of the second point's block.
        let path = folder.join("replications.csv");
        let mut text = fs::read_to_string(&path).expect("rows");
        let record = m.sweep.as_ref().expect("a sweep");
        text += &record.row_line(1, 0, &[4.0]);
        text += &record.row_line(1, 1, &[5.0])[..12];
        fs::write(&path, text).expect("cut rows");
        assert!(SweepStore::open(&folder, &m, &blocks, Leftover::Refuse).is_err());
        let store = SweepStore::open(&folder, &m, &blocks, Leftover::Resume).expect("resume");
        assert_eq!(store.done().len(), 3);
        let mut store = store;
        store
            .append(&blocks[1], &[vec![4.0], vec![5.0], vec![6.0]])
            .expect("append");
        let rows = store.finish().expect("every pair");
        assert_eq!(rows.len(), 6);
        // The manifest's checksum covers the whole file.
        let written = Manifest::read(&folder).expect("manifest");
        written
            .sweep
            .expect("a sweep")
            .rows
            .verify(&path, true)
            .expect("the checksum matches");
        // Changing a row is caught.
        let changed = fs::read_to_string(&path)
            .expect("rows")
            .replace(",cases,4,", ",cases,9,");
        fs::write(&path, changed).expect("changed rows");
        assert!(SweepStore::open(&folder, &m, &blocks, Leftover::Resume).is_err());
        fs::remove_dir_all(&folder).ok();
    }
}

#[cfg(test)]
mod long_rows {
    use super::*;
    use crate::measure::stats::Domain;
    use crate::results::manifest::{Command, KpiColumn};
    use crate::sweep::Grid;

    fn record() -> SweepRecord {
        let column = |name: &str, parts: [&str; 4]| KpiColumn {
            name: name.into(),
            unit: "cases, weighed".into(),
            domain: Domain::NonNegative,
            parts: parts.map(String::from),
        };
        let mut m = Manifest::new(Command::Sweep, Vec::new(), Path::new("s.toml"), "text");
        m.sweep = Some(SweepRecord {
            params: Grid::parse(&["teams.a.establishment=1:2:1"]).expect("a grid"),
            points: 2,
            kpis: vec![
                column("backlog_end", ["backlog_end", "", "", ""]),
                column(
                    "waiting_age_p90_at_2019-10-01_priority_1@north",
                    ["waiting_age_p90_at", "1", "", "2019-10-01"],
                ),
            ],
            chart_kpi: "backlog_end".into(),
            target: None,
            shard: None,
            rows: RowsChecksum::default(),
            sensitivity: None,
            reference: 0,
        });
        m.sweep.expect("a sweep")
    }

    #[test]
    fn each_kpi_is_a_line_with_its_team_unit_and_parts() {
        let record = record();
        let text = record.row_line(1, 3, &[12.5, f64::INFINITY]);
        assert_eq!(
            text,
            "1,2,3,all,backlog_end,\"cases, weighed\",12.5,backlog_end,,,\n\
             1,2,3,north,waiting_age_p90_at_2019-10-01_priority_1,\"cases, weighed\",inf,\
             waiting_age_p90_at,1,,2019-10-01\n"
        );
        let mut rows = Rows::new();
        rows.insert((1, 3), vec![12.5, f64::INFINITY]);
        rows.insert((0, 0), vec![f64::NAN, 0.25]);
        let back = record
            .parse_rows(Path::new("r.csv"), &record.rows_text(&rows), false)
            .expect("rows");
        assert_eq!(back[&(1, 3)], vec![12.5, f64::INFINITY]);
        assert!(back[&(0, 0)][0].is_nan());
    }

    #[test]
    fn a_replication_with_only_some_kpis_is_an_error_unless_lenient() {
        let record = record();
        let mut rows = Rows::new();
        rows.insert((0, 0), vec![1.0, 2.0]);
        let mut text = record.rows_text(&rows);
        let next = record.row_line(0, 1, &[3.0, 4.0]);
        text += next.split_inclusive('\n').next().expect("a line");
        let error = record
            .parse_rows(Path::new("r.csv"), &text, false)
            .expect_err("a replication cut short");
        assert!(
            error
                .to_string()
                .contains("line 4: point 0, replication 1 has only some"),
            "{error}"
        );
        let lenient = record
            .parse_rows(Path::new("r.csv"), &text, true)
            .expect("lenient");
        assert_eq!(lenient.len(), 1);
        // A line of another KPI than expected is caught.
        let swapped = record
            .rows_text(&rows)
            .replace("all,backlog_end", "all,backlog_peak");
        let error = record
            .parse_rows(Path::new("r.csv"), &swapped, false)
            .expect_err("a wrong KPI");
        assert!(error.to_string().contains("`backlog_peak`"), "{error}");
    }
}
