//! Parquet output read back with the parquet crate's own reader.
#![cfg(feature = "parquet")]

mod common;

use std::fs::File;

use arrow_array::{Array, Date32Array, Float64Array, Int32Array, Int64Array, StringArray};
use arrow_schema::DataType;
use common::*;
use outpost_export::{ExportFilter, Format, PARQUET_ROW_GROUP, export, flat::COLUMNS};
use outpost_store::Store;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::file::reader::{FileReader, SerializedFileReader};

fn write(store: &Store, filter: &ExportFilter) -> (tempfile::NamedTempFile, u64) {
    let mut tmp = tempfile::NamedTempFile::new().unwrap();
    let s = export(store, filter, Format::Parquet, tmp.as_file_mut()).unwrap();
    (tmp, s.rows)
}

fn col<'a, T: 'static>(b: &'a arrow_array::RecordBatch, name: &str) -> &'a T {
    b.column_by_name(name)
        .unwrap()
        .as_any()
        .downcast_ref::<T>()
        .unwrap_or_else(|| {
            panic!(
                "{name} has type {:?}",
                b.column_by_name(name).unwrap().data_type()
            )
        })
}

#[test]
fn parquet_reads_back_with_typed_columns() {
    let f = fixture();
    let (tmp, rows) = write(&f.store, &ExportFilter::default());
    assert_eq!(rows, 4);
    let reader = ParquetRecordBatchReaderBuilder::try_new(File::open(tmp.path()).unwrap())
        .unwrap()
        .build()
        .unwrap();
    let batches: Vec<_> = reader.map(Result::unwrap).collect();
    assert_eq!(batches.iter().map(|b| b.num_rows()).sum::<usize>(), 4);
    let b = &batches[0];
    let names: Vec<String> = b
        .schema()
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect();
    assert_eq!(names, COLUMNS);
    assert_eq!(
        b.schema().field_with_name("date").unwrap().data_type(),
        &DataType::Date32
    );

    let ids = col::<StringArray>(b, "id");
    for (i, e) in f.events.iter().enumerate() {
        assert_eq!(ids.value(i), e.id);
    }
    let date = col::<Date32Array>(b, "date");
    assert!(date.is_null(0), "undated event");
    assert_eq!(date.value_as_date(1), Some(day(2024, 3, 5)));
    assert_eq!(date.value_as_date(2), Some(day(2024, 4, 1)));
    assert_eq!(col::<StringArray>(b, "date_precision").value(2), "month");
    assert_eq!(col::<Float64Array>(b, "goldstein").value(1), -10.0);
    assert_eq!(col::<Int32Array>(b, "quad_class").value(3), 3);
    assert_eq!(col::<Int64Array>(b, "location_geonameid").value(1), 706483);
    assert_eq!(col::<Float64Array>(b, "location_lat").value(2), 34.52813);
    assert_eq!(col::<Int64Array>(b, "evidence_sentence").value(2), 5);
    assert_eq!(col::<StringArray>(b, "evidence_text").value(1), S1B);
    let target = col::<StringArray>(b, "target_code");
    assert!(target.is_null(3));
    assert_eq!(target.value(2), "AFGINSTAL");
    assert_eq!(
        col::<StringArray>(b, "url").value(1),
        "https://www.example-news.test/world/kharkiv"
    );
    assert_eq!(col::<Float64Array>(b, "confidence").value(0), 0.8);
}

#[test]
fn parquet_of_nothing_is_a_valid_empty_file() {
    let f = fixture();
    let none = ExportFilter {
        country: Some("NZL".into()),
        ..Default::default()
    };
    let (tmp, rows) = write(&f.store, &none);
    assert_eq!(rows, 0);
    let r = SerializedFileReader::new(File::open(tmp.path()).unwrap()).unwrap();
    assert_eq!(r.metadata().file_metadata().num_rows(), 0);
    assert_eq!(
        r.metadata().file_metadata().schema_descr().num_columns(),
        COLUMNS.len()
    );
}

#[test]
fn parquet_row_groups_are_bounded() {
    let mut store = Store::open_in_memory().unwrap();
    // Every generated event is its own real-world event here.
    store.set_aggregation(false);
    let n = PARQUET_ROW_GROUP + 1_200;
    let per_article = 50;
    for a_no in 0..n.div_ceil(per_article) {
        let sentences: Vec<String> = (0..per_article)
            .map(|k| format!("Report {a_no}-{k}: troops fired on a convoy."))
            .collect();
        let a = article(&sentences.join(" "), Some(day(2024, 2, 2)), None, "bulk");
        let events: Vec<_> = sentences
            .iter()
            .enumerate()
            .filter(|(k, _)| a_no * per_article + k < n)
            .map(|(k, s)| {
                event(
                    &format!("pq-{a_no}-{k}"),
                    Some(outpost_core::EventDate::day(day(
                        2024,
                        2,
                        1 + (k % 20) as u32,
                    ))),
                    "ASSAULT",
                    "190",
                    -10.0,
                    4,
                    actor("troops", "MIL", None, Some("MIL")),
                    None,
                    None,
                    evidence(&a, k, s, "fired"),
                )
            })
            .collect();
        store.insert_article(&a, &events).unwrap();
    }
    let (tmp, rows) = write(&store, &ExportFilter::default());
    assert_eq!(rows, n as u64);
    let r = SerializedFileReader::new(File::open(tmp.path()).unwrap()).unwrap();
    let md = r.metadata();
    assert_eq!(md.file_metadata().num_rows(), n as i64);
    assert!(
        md.num_row_groups() >= 2,
        "{} row groups",
        md.num_row_groups()
    );
    for g in md.row_groups() {
        assert!(g.num_rows() as usize <= PARQUET_ROW_GROUP);
    }
}
