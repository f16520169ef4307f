//! Run the extraction benchmark over a directory (`<id>.html` or `<id>.txt` pages plus
//! `<id>.json` truth) and write `<id>.json` predictions (body plus metadata) into an
//! output directory, for scoring with an external scorer as well.
//!
//! Usage: `cargo run --release -p outpost-extract --example extract_dir -- IN_DIR OUT_DIR [WORST|--per-page]`
//!
//! Prints F1/precision/recall, pages/s and MB/s for the extraction alone, and the `WORST`
//! lowest-scoring pages (default 5); `--per-page` instead prints every page as
//! `id tp fp fn precision recall f1` with full precision (to check against `eval.py`).

use outpost_extract::{Extractor, bench};
use std::path::Path;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    if !(3..=4).contains(&args.len()) {
        eprintln!("usage: extract_dir IN_DIR OUT_DIR [WORST|--per-page]");
        std::process::exit(2);
    }
    let report = bench::run(
        Path::new(&args[1]),
        Some(Path::new(&args[2])),
        &Extractor::new(),
    )?;
    if args.get(3).map(String::as_str) == Some("--per-page") {
        for p in &report.per_page {
            println!(
                "{} {} {} {} {:?} {:?} {:?}",
                p.id, p.tp, p.fp, p.fn_, p.precision, p.recall, p.f1
            );
        }
        println!(
            "P {:?} R {:?} F1 {:?}",
            report.precision, report.recall, report.f1
        );
        return Ok(());
    }
    let worst = args.get(3).map(|w| w.parse()).transpose()?.unwrap_or(5);
    print!("{}", report.table(worst));
    Ok(())
}
