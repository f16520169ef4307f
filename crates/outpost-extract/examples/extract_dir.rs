//! Extract every `.html`/`.txt` file in a directory and write `<stem>.json` files with a
//! `body` (the article text) and the metadata into an output directory, for scoring with
//! an external benchmark scorer.
//!
//! Usage: `cargo run -p outpost-extract --example extract_dir -- IN_DIR OUT_DIR`

use outpost_core::RawDoc;
use outpost_extract::Extractor;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 3 {
        eprintln!("usage: extract_dir IN_DIR OUT_DIR");
        std::process::exit(2);
    }
    let (input, output) = (&args[1], &args[2]);
    std::fs::create_dir_all(output)?;
    let ex = Extractor::new();
    let mut paths: Vec<_> = std::fs::read_dir(input)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("html" | "txt")))
        .collect();
    paths.sort();
    let docs: Vec<(String, RawDoc)> = paths
        .iter()
        .map(|p| {
            let stem = p
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or("x")
                .to_string();
            let bytes = std::fs::read(p).unwrap_or_default();
            (stem, RawDoc::new(p.display().to_string(), bytes))
        })
        .collect();
    // Warm up (compiles the lazily built regexes, fills regex caches) so the timing is
    // per-document work.
    for (_, d) in &docs {
        let _ = ex.extract(d);
    }
    let t0 = Instant::now();
    let mut n_ok = 0;
    let mut results = Vec::new();
    for (stem, doc) in &docs {
        let r = ex.extract(doc);
        if r.is_ok() {
            n_ok += 1;
        }
        results.push((stem, r));
    }
    let secs = t0.elapsed().as_secs_f64();
    for (stem, r) in results {
        let v = match r {
            Ok(a) => serde_json::json!({
                "body": a.text, "title": a.title, "date": a.date, "modified": a.modified,
                "authors": a.authors, "site": a.site, "url": a.url, "language": a.language,
                "wire": a.wire,
            }),
            Err(e) => serde_json::json!({"body": "", "error": e.to_string()}),
        };
        std::fs::write(
            format!("{output}/{stem}.json"),
            serde_json::to_string_pretty(&v)?,
        )?;
    }
    let bytes: usize = docs.iter().map(|(_, d)| d.bytes.len()).sum();
    eprintln!(
        "{} docs ({} ok) in {:.3}s: {:.0} docs/s, {:.1} MB/s",
        docs.len(),
        n_ok,
        secs,
        docs.len() as f64 / secs,
        bytes as f64 / secs / 1e6
    );
    Ok(())
}
