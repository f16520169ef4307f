//! Parquet output: the flat columns of [`crate::flat`], typed.
//!
//! Types: `date` DATE (days), `goldstein`, `confidence`, `location_lat`, `location_lon`
//! DOUBLE, `quad_class` INT32, `location_geonameid`, `evidence_sentence`, `evidence_start`,
//! `evidence_end` INT64, every other column UTF-8 strings; only `id` is non-nullable.
//! Snappy-compressed; row groups of at most [`crate::PARQUET_ROW_GROUP`] rows (or 64 MiB).
//! Plain Parquet types only, so pandas (pyarrow), polars and DuckDB read it.
//!
//! The arrow writer needs a `Send` sink; the caller's writer is `&mut dyn Write`, so the
//! encoder writes into a shared in-memory buffer that is drained into the caller's writer
//! after every batch: at most about one row group is held in memory.

use std::io::Write;
use std::sync::{Arc, Mutex};

use arrow_array::builder::{
    Date32Builder, Float64Builder, Int32Builder, Int64Builder, StringBuilder,
};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use chrono::NaiveDate;
use outpost_core::Event;
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;

use crate::flat::{COLUMNS, FlatActor, FlatRow};
use crate::{ArticleMeta, ExportError, PAGE_SIZE, PARQUET_ROW_GROUP, Sink};

/// Largest row group in bytes (estimated, encoded).
const ROW_GROUP_BYTES: usize = 64 << 20;

fn column_type(name: &str) -> DataType {
    match name {
        "date" => DataType::Date32,
        "goldstein" | "confidence" | "location_lat" | "location_lon" => DataType::Float64,
        "quad_class" => DataType::Int32,
        "location_geonameid" | "evidence_sentence" | "evidence_start" | "evidence_end" => {
            DataType::Int64
        }
        _ => DataType::Utf8,
    }
}

/// The Arrow schema of the Parquet file (columns in [`COLUMNS`] order).
pub fn schema() -> SchemaRef {
    Arc::new(Schema::new(
        COLUMNS
            .iter()
            .map(|c| Field::new(*c, column_type(c), *c != "id"))
            .collect::<Vec<_>>(),
    ))
}

fn perr(e: impl std::fmt::Display) -> ExportError {
    ExportError::Parquet(e.to_string())
}

/// A `Send` byte buffer shared between the encoder and the sink.
#[derive(Clone, Default)]
struct SharedBuf(Arc<Mutex<Vec<u8>>>);

impl Write for SharedBuf {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut v = self
            .0
            .lock()
            .map_err(|_| std::io::Error::other("parquet buffer lock poisoned"))?;
        v.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl SharedBuf {
    /// Moves what the encoder wrote so far to `out`.
    fn drain_to(&self, out: &mut dyn Write) -> Result<(), ExportError> {
        let bytes = {
            let mut v = self
                .0
                .lock()
                .map_err(|_| ExportError::Parquet("parquet buffer lock poisoned".into()))?;
            std::mem::take(&mut *v)
        };
        out.write_all(&bytes)?;
        Ok(())
    }
}

/// Writes the Parquet format.
pub(crate) struct ParquetSink<'w> {
    out: &'w mut dyn Write,
    buf: SharedBuf,
    writer: ArrowWriter<SharedBuf>,
    rows: Vec<FlatRow>,
}

impl<'w> ParquetSink<'w> {
    pub(crate) fn new(out: &'w mut dyn Write) -> Result<Self, ExportError> {
        let props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_max_row_group_row_count(Some(PARQUET_ROW_GROUP))
            .set_max_row_group_bytes(Some(ROW_GROUP_BYTES))
            .set_created_by(format!("outpost-export {}", env!("CARGO_PKG_VERSION")))
            .build();
        let buf = SharedBuf::default();
        let writer = ArrowWriter::try_new(buf.clone(), schema(), Some(props)).map_err(perr)?;
        Ok(ParquetSink {
            out,
            buf,
            writer,
            rows: Vec::with_capacity(PAGE_SIZE),
        })
    }

    fn write_batch(&mut self) -> Result<(), ExportError> {
        if self.rows.is_empty() {
            return Ok(());
        }
        let batch = batch(&self.rows)?;
        self.rows.clear();
        self.writer.write(&batch).map_err(perr)?;
        self.buf.drain_to(self.out)
    }
}

impl Sink for ParquetSink<'_> {
    fn event(&mut self, e: &Event, meta: &ArticleMeta) -> Result<bool, ExportError> {
        self.rows.push(FlatRow::new(e, meta));
        if self.rows.len() >= PAGE_SIZE {
            self.write_batch()?;
        }
        Ok(true)
    }

    fn finish(mut self: Box<Self>) -> Result<(), ExportError> {
        self.write_batch()?;
        let ParquetSink {
            out, buf, writer, ..
        } = *self;
        writer.close().map_err(perr)?;
        buf.drain_to(out)?;
        out.flush()?;
        Ok(())
    }
}

/// Days since 1970-01-01.
fn days(d: NaiveDate) -> i32 {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    (d - epoch).num_days() as i32
}

fn strings<'a>(rows: &'a [FlatRow], f: impl Fn(&'a FlatRow) -> Option<&'a str>) -> ArrayRef {
    let mut b = StringBuilder::new();
    for r in rows {
        b.append_option(f(r));
    }
    Arc::new(b.finish())
}

fn floats(rows: &[FlatRow], f: impl Fn(&FlatRow) -> Option<f64>) -> ArrayRef {
    let mut b = Float64Builder::new();
    for r in rows {
        b.append_option(f(r));
    }
    Arc::new(b.finish())
}

fn ints(rows: &[FlatRow], f: impl Fn(&FlatRow) -> Option<i64>) -> ArrayRef {
    let mut b = Int64Builder::new();
    for r in rows {
        b.append_option(f(r));
    }
    Arc::new(b.finish())
}

fn actor_columns<'a>(
    rows: &'a [FlatRow],
    pick: impl Fn(&'a FlatRow) -> &'a FlatActor + Copy,
) -> Vec<ArrayRef> {
    vec![
        strings(rows, move |r| pick(r).code.as_deref()),
        strings(rows, move |r| pick(r).country.as_deref()),
        strings(rows, move |r| pick(r).sector.as_deref()),
        strings(rows, move |r| pick(r).name.as_deref()),
        strings(rows, move |r| pick(r).text.as_deref()),
    ]
}

/// One record batch of flat rows.
fn batch(rows: &[FlatRow]) -> Result<RecordBatch, ExportError> {
    let mut date = Date32Builder::new();
    let mut quad = Int32Builder::new();
    for r in rows {
        date.append_option(r.date.map(days));
        quad.append_value(i32::from(r.quad_class));
    }
    let mut cols: Vec<ArrayRef> = vec![
        strings(rows, |r| Some(r.id.as_str())),
        Arc::new(date.finish()),
        strings(rows, |r| r.date_precision.as_deref()),
        strings(rows, |r| Some(r.plover.as_str())),
        strings(rows, |r| r.mode.as_deref()),
        strings(rows, |r| Some(r.cameo.as_str())),
        floats(rows, |r| Some(r.goldstein)),
        Arc::new(quad.finish()),
        strings(rows, |r| r.acled_event_type.as_deref()),
        strings(rows, |r| r.acled_sub_event_type.as_deref()),
        strings(rows, |r| Some(r.status.as_str())),
    ];
    cols.extend(actor_columns(rows, |r| &r.source));
    cols.extend(actor_columns(rows, |r| &r.target));
    cols.extend([
        strings(rows, |r| r.parties.as_deref()),
        strings(rows, |r| r.location_name.as_deref()),
        strings(rows, |r| r.location_country.as_deref()),
        strings(rows, |r| r.location_admin1.as_deref()),
        floats(rows, |r| r.location_lat),
        floats(rows, |r| r.location_lon),
        ints(rows, |r| r.location_geonameid.map(|g| g as i64)),
        strings(rows, |r| r.location_precision.as_deref()),
        strings(rows, |r| Some(r.evidence_article_id.as_str())),
        ints(rows, |r| Some(r.evidence_sentence as i64)),
        strings(rows, |r| Some(r.evidence_text.as_str())),
        strings(rows, |r| Some(r.evidence_trigger.as_str())),
        floats(rows, |r| Some(r.confidence)),
        strings(rows, |r| r.url.as_deref()),
        ints(rows, |r| Some(r.evidence_start as i64)),
        ints(rows, |r| Some(r.evidence_end as i64)),
    ]);
    RecordBatch::try_new(schema(), cols).map_err(perr)
}
