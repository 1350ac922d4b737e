//! The daily table and the per-replication table as Parquet: the same rows as
//! `timeseries.csv` and `replications.csv`, typed and compressed, for pandas, polars, R
//! (arrow) and DuckDB to read directly. Written through the `parquet` crate's column writer
//! (no Arrow in between), one row group per about [`ROW_GROUP`] rows, Snappy-compressed, with
//! a fixed `created_by`, so the same results give the same bytes.
//!
//! Types: text columns are UTF-8 strings, `day` and `replication` 32-bit integers, `date` a
//! DATE (days since 1970-01-01), values doubles. An undefined value (an empty cell in the CSV)
//! is a null; a quantile not reached (`inf` in the CSV) is +infinity.

use std::io::Write;
use std::sync::Arc;

use caseload_experiment::Results;
use caseload_model::ModelConfig;
use parquet::basic::Compression;
use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int32Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;

use crate::tables::team_cell;

/// The format of the daily and per-replication tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TableFormat {
    /// CSV only (`timeseries.csv`, `replications.csv`).
    #[default]
    Csv,
    /// Parquet only (`timeseries.parquet`, `replications.parquet`).
    Parquet,
    /// Both.
    Both,
}

impl TableFormat {
    /// Whether the CSV tables are written.
    pub fn csv(self) -> bool {
        self != TableFormat::Parquet
    }

    /// Whether the Parquet tables are written.
    pub fn parquet(self) -> bool {
        self != TableFormat::Csv
    }
}

/// Rows per row group: large enough for the dictionaries and compression to pay, small
/// enough that a group's columns stay a few megabytes in memory.
pub const ROW_GROUP: usize = 1 << 17;

/// The columns of the daily table.
const TIMESERIES: &str = "message timeseries {
    REQUIRED BYTE_ARRAY scenario (UTF8);
    REQUIRED INT32 day;
    REQUIRED INT32 date (DATE);
    REQUIRED BYTE_ARRAY team (UTF8);
    REQUIRED BYTE_ARRAY metric (UTF8);
    REQUIRED BYTE_ARRAY unit (UTF8);
    OPTIONAL DOUBLE mean;
    OPTIONAL DOUBLE band_lo;
    OPTIONAL DOUBLE band_hi;
}";

/// The columns of the per-replication table.
const REPLICATIONS: &str = "message replications {
    REQUIRED BYTE_ARRAY scenario (UTF8);
    REQUIRED BYTE_ARRAY option (UTF8);
    REQUIRED INT32 replication;
    REQUIRED BYTE_ARRAY team (UTF8);
    REQUIRED BYTE_ARRAY kpi (UTF8);
    REQUIRED BYTE_ARRAY unit (UTF8);
    OPTIONAL DOUBLE value;
    REQUIRED BYTE_ARRAY measure (UTF8);
    OPTIONAL INT32 priority;
    OPTIONAL BYTE_ARRAY case_type (UTF8);
    OPTIONAL BYTE_ARRAY date (UTF8);
}";

/// A Parquet table that could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ColumnarError {
    /// The Parquet writer failed.
    #[error("writing Parquet: {0}")]
    Parquet(#[from] parquet::errors::ParquetError),
    /// A date of the run is not an ISO date.
    #[error("writing Parquet: `{0}` is not an ISO date")]
    Date(String),
}

/// One column of a row group, as it is being filled.
enum Column {
    Text(Vec<ByteArray>),
    Whole(Vec<i32>),
    /// Values with their definition levels (0: null).
    Number(Vec<f64>, Vec<i16>),
    /// Text that may be absent, with its definition levels.
    OptionalText(Vec<ByteArray>, Vec<i16>),
    /// Whole numbers that may be absent, with their definition levels.
    OptionalWhole(Vec<i32>, Vec<i16>),
}

impl Column {
    fn clear(&mut self) {
        match self {
            Column::Text(v) => v.clear(),
            Column::Whole(v) => v.clear(),
            Column::Number(v, d) => {
                v.clear();
                d.clear();
            }
            Column::OptionalText(v, d) => {
                v.clear();
                d.clear();
            }
            Column::OptionalWhole(v, d) => {
                v.clear();
                d.clear();
            }
        }
    }

    fn push_optional_text(&mut self, x: Option<&ByteArray>) {
        if let Column::OptionalText(values, levels) = self {
            match x {
                Some(x) => {
                    values.push(x.clone());
                    levels.push(1);
                }
                None => levels.push(0),
            }
        }
    }

    fn push_optional_whole(&mut self, x: Option<i32>) {
        if let Column::OptionalWhole(values, levels) = self {
            match x {
                Some(x) => {
                    values.push(x);
                    levels.push(1);
                }
                None => levels.push(0),
            }
        }
    }

    fn push_number(&mut self, x: f64) {
        if let Column::Number(values, levels) = self {
            if x.is_nan() {
                levels.push(0);
            } else {
                values.push(x);
                levels.push(1);
            }
        }
    }
}

/// A table written row group by row group.
struct Table<W: Write + Send> {
    writer: SerializedFileWriter<W>,
    columns: Vec<Column>,
    rows: usize,
}

impl<W: Write + Send> Table<W> {
    fn new(out: W, schema: &str, columns: Vec<Column>) -> Result<Self, ColumnarError> {
        let schema = Arc::new(parse_message_type(schema)?);
        let properties = Arc::new(
            WriterProperties::builder()
                .set_compression(Compression::SNAPPY)
                .set_created_by(format!("caseload {}", env!("CARGO_PKG_VERSION")))
                .build(),
        );
        Ok(Self {
            writer: SerializedFileWriter::new(out, schema, properties)?,
            columns,
            rows: 0,
        })
    }

    /// Ends a row (the columns were pushed to); writes a row group when full.
    fn end_row(&mut self) -> Result<(), ColumnarError> {
        self.rows += 1;
        if self.rows >= ROW_GROUP {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), ColumnarError> {
        if self.rows == 0 {
            return Ok(());
        }
        let mut group = self.writer.next_row_group()?;
        let mut c = 0;
        while let Some(mut writer) = group.next_column()? {
            match &self.columns[c] {
                Column::Text(values) => {
                    writer
                        .typed::<ByteArrayType>()
                        .write_batch(values, None, None)?;
                }
                Column::Whole(values) => {
                    writer
                        .typed::<Int32Type>()
                        .write_batch(values, None, None)?;
                }
                Column::Number(values, levels) => {
                    writer
                        .typed::<DoubleType>()
                        .write_batch(values, Some(levels), None)?;
                }
                Column::OptionalText(values, levels) => {
                    writer
                        .typed::<ByteArrayType>()
                        .write_batch(values, Some(levels), None)?;
                }
                Column::OptionalWhole(values, levels) => {
                    writer
                        .typed::<Int32Type>()
                        .write_batch(values, Some(levels), None)?;
                }
            }
            writer.close()?;
            c += 1;
        }
        group.close()?;
        self.columns.iter_mut().for_each(Column::clear);
        self.rows = 0;
        Ok(())
    }

    fn close(mut self) -> Result<(), ColumnarError> {
        self.flush()?;
        self.writer.close()?;
        Ok(())
    }
}

fn text(columns: &mut [Column], c: usize, value: &ByteArray) {
    if let Column::Text(v) = &mut columns[c] {
        v.push(value.clone());
    }
}

fn whole(columns: &mut [Column], c: usize, value: i32) {
    if let Column::Whole(v) = &mut columns[c] {
        v.push(value);
    }
}

/// Days since 1970-01-01 of an ISO date.
fn epoch_day(date: &str) -> Result<i32, ColumnarError> {
    /// The Julian day of 1970-01-01.
    const EPOCH: i32 = 2_440_588;
    let d =
        caseload_experiment::parse_date(date).ok_or_else(|| ColumnarError::Date(date.into()))?;
    Ok(d.to_julian_day() - EPOCH)
}

/// Writes `timeseries.parquet`: the rows of `timeseries.csv` (see
/// [`crate::tables::write_timeseries`]), typed.
pub fn write_timeseries_parquet<W: Write + Send>(
    out: W,
    scenario: &str,
    dates: &[String],
    model: &ModelConfig,
    results: &Results,
) -> Result<(), ColumnarError> {
    let columns = vec![
        Column::Text(Vec::new()),
        Column::Whole(Vec::new()),
        Column::Whole(Vec::new()),
        Column::Text(Vec::new()),
        Column::Text(Vec::new()),
        Column::Text(Vec::new()),
        Column::Number(Vec::new(), Vec::new()),
        Column::Number(Vec::new(), Vec::new()),
        Column::Number(Vec::new(), Vec::new()),
    ];
    let mut table = Table::new(out, TIMESERIES, columns)?;
    let scenario = ByteArray::from(scenario);
    let epoch_days = dates
        .iter()
        .map(|d| epoch_day(d))
        .collect::<Result<Vec<i32>, _>>()?;
    for (def, band) in results.series_defs.iter().zip(&results.bands) {
        let team = ByteArray::from(def.team.map_or("all", |t| model.teams[t].name.as_str()));
        let metric = ByteArray::from(caseload_experiment::metric_name(model, def.metric).as_ref());
        let unit = ByteArray::from(def.metric.unit());
        for (day, &date) in epoch_days.iter().enumerate().take(band.mean.len()) {
            let c = &mut table.columns;
            text(c, 0, &scenario);
            whole(c, 1, day as i32);
            whole(c, 2, date);
            text(c, 3, &team);
            text(c, 4, &metric);
            text(c, 5, &unit);
            c[6].push_number(band.mean[day]);
            c[7].push_number(band.lo[day]);
            c[8].push_number(band.hi[day]);
            table.end_row()?;
        }
    }
    table.close()
}

/// A KPI's identifying cells, made once per table.
struct Key {
    team: ByteArray,
    kpi: ByteArray,
    unit: ByteArray,
    measure: ByteArray,
    priority: Option<i32>,
    case_type: Option<ByteArray>,
    date: Option<ByteArray>,
}

/// Writes `replications.parquet`: the rows of `replications.csv` (see
/// [`crate::tables::write_replications`]), typed.
pub fn write_replications_parquet<W: Write + Send>(
    out: W,
    scenario: &str,
    options: &[(&str, &Results)],
) -> Result<(), ColumnarError> {
    let columns = vec![
        Column::Text(Vec::new()),
        Column::Text(Vec::new()),
        Column::Whole(Vec::new()),
        Column::Text(Vec::new()),
        Column::Text(Vec::new()),
        Column::Text(Vec::new()),
        Column::Number(Vec::new(), Vec::new()),
        Column::Text(Vec::new()),
        Column::OptionalWhole(Vec::new(), Vec::new()),
        Column::OptionalText(Vec::new(), Vec::new()),
        Column::OptionalText(Vec::new(), Vec::new()),
    ];
    let mut table = Table::new(out, REPLICATIONS, columns)?;
    let scenario = ByteArray::from(scenario);
    for (option, results) in options {
        let option = ByteArray::from(*option);
        let keys: Vec<Key> = results
            .kpi_defs
            .iter()
            .map(|d| Key {
                team: ByteArray::from(team_cell(d.team.as_ref())),
                kpi: ByteArray::from(d.name.as_str()),
                unit: ByteArray::from(d.unit),
                measure: ByteArray::from(d.parts.measure.as_str()),
                priority: d.parts.priority.and_then(|p| i32::try_from(p).ok()),
                case_type: d.parts.case_type.as_deref().map(ByteArray::from),
                date: d.parts.date.as_deref().map(ByteArray::from),
            })
            .collect();
        for (r, values) in results.per_replication.iter().enumerate() {
            for (key, &value) in keys.iter().zip(values) {
                let c = &mut table.columns;
                text(c, 0, &scenario);
                text(c, 1, &option);
                whole(c, 2, r as i32);
                text(c, 3, &key.team);
                text(c, 4, &key.kpi);
                text(c, 5, &key.unit);
                c[6].push_number(value);
                text(c, 7, &key.measure);
                c[8].push_optional_whole(key.priority);
                c[9].push_optional_text(key.case_type.as_ref());
                c[10].push_optional_text(key.date.as_ref());
                table.end_row()?;
            }
        }
    }
    table.close()
}
