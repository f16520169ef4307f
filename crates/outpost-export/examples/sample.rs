//! Writes the test fixture's events in every format into a directory (default `.`), for
//! checking the files with other tools (pandas, polars, DuckDB, GDELT readers):
//! `cargo run -p outpost-export --example sample -- /tmp/out`.

#[path = "../tests/common/mod.rs"]
mod common;

use std::fs::File;
use std::io::BufWriter;
use std::path::PathBuf;

use outpost_export::{ExportFilter, Format, export};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| ".".into()));
    std::fs::create_dir_all(&dir)?;
    let f = common::fixture();
    for format in [
        Format::Gdelt,
        Format::GdeltMentions,
        Format::Csv,
        Format::Jsonl,
        Format::Parquet,
    ] {
        if !format.is_available() {
            eprintln!("{}: not in this build", format.as_str());
            continue;
        }
        let path = dir.join(format!("sample.{}", format.extension()));
        let mut out = BufWriter::new(File::create(&path)?);
        let s = export(&f.store, &ExportFilter::default(), format, &mut out)?;
        eprintln!("{}: {} rows -> {}", format.as_str(), s.rows, path.display());
    }
    Ok(())
}
