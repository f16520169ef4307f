//! Streams one input through ingest and prints throughput and peak memory.
//!
//! ```text
//! cargo run --release -p outpost-ingest --example warc_stream -- PATH
//! cargo run --release -p outpost-ingest --example warc_stream -- --generate PATH SIZE_MB
//! ```
//!
//! The first form reads PATH (WARC, WARC.gz, JSONL, …) with the default size cap and prints
//! records/s, MB/s of file bytes, and the peak resident set size (`VmHWM` from
//! `/proc/self/status`). The second writes a synthetic crawl of about SIZE_MB compressed
//! bytes: one gzip member per record, responses with invented pages of realistic weight
//! (furniture, inline style and script, about 50 KB each) around pseudo-random words (so they
//! compress like real HTML), plus request records, gzip-encoded and chunked bodies,
//! 404s and images, for measuring "a 2 GB WARC.gz streams with peak RSS under 300 MB".

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::time::Instant;

use flate2::Compression;
use flate2::write::GzEncoder;
use outpost_ingest::{IngestOptions, Item, read_file};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.as_slice() {
        [flag, path, mb] if flag == "--generate" => match mb.parse::<u64>() {
            Ok(mb) => generate(Path::new(path), mb),
            Err(_) => Err(format!("SIZE_MB must be a number, not {mb:?}")),
        },
        [path] => {
            stream(Path::new(path));
            Ok(())
        }
        _ => Err("usage: warc_stream PATH | warc_stream --generate PATH SIZE_MB".into()),
    };
    if let Err(e) = result {
        eprintln!("warc_stream: {e}");
        std::process::exit(2);
    }
}

fn stream(path: &Path) {
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let t = Instant::now();
    let mut doc_bytes = 0u64;
    // Skips grouped by the kind of reason (text before any ':' with digits dropped), with the
    // count and the first example of each.
    let mut skip_kinds: BTreeMap<String, (u64, String)> = BTreeMap::new();
    let stats = read_file(path, &IngestOptions::default(), &mut |item, _| match item {
        Item::Doc(d) => doc_bytes += d.bytes.len() as u64,
        Item::Skip { source, reason } => {
            let kind: String = reason
                .split(':')
                .next()
                .unwrap_or_default()
                .chars()
                .filter(|c| !c.is_ascii_digit())
                .collect();
            let e = skip_kinds
                .entry(kind)
                .or_insert_with(|| (0, format!("{source}: {reason}")));
            e.0 += 1;
        }
    });
    let secs = t.elapsed().as_secs_f64().max(1e-9);
    let records = stats.docs + stats.skipped + stats.ignored;
    println!(
        "file           {} ({:.1} MB)",
        path.display(),
        size as f64 / 1e6
    );
    println!(
        "format         {:?}{}",
        stats.format,
        if stats.gzip { " (gzip)" } else { "" }
    );
    println!(
        "records        {records} ({} docs, {} skipped, {} ignored)",
        stats.docs, stats.skipped, stats.ignored
    );
    println!("document bytes {:.1} MB", doc_bytes as f64 / 1e6);
    println!("elapsed        {secs:.2} s");
    println!("records/s      {:.0}", records as f64 / secs);
    println!("file MB/s      {:.1}", size as f64 / 1e6 / secs);
    println!(
        "peak RSS       {}",
        peak_rss().unwrap_or_else(|| "unknown".into())
    );
    for (kind, (n, example)) in skip_kinds {
        println!("skipped {n:>6} {kind}  e.g. {example}");
    }
}

/// `VmHWM` from `/proc/self/status`.
fn peak_rss() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(format!("{:.1} MB", kb as f64 / 1024.0))
}

/// A small xorshift generator: reproducible pseudo-random text without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    /// A word of [`WORDS`].
    fn word(&mut self) -> &'static str {
        WORDS[self.below(WORDS.len() as u64) as usize]
    }
}

const WORDS: &[&str] = &[
    "council",
    "harbour",
    "minister",
    "river",
    "police",
    "strike",
    "bridge",
    "election",
    "talks",
    "village",
    "protest",
    "ferry",
    "drought",
    "court",
    "festival",
    "union",
    "border",
    "storm",
    "mayor",
    "factory",
    "railway",
    "school",
    "hospital",
    "market",
    "reservoir",
    "quarry",
    "port",
    "said",
    "on",
    "Tuesday",
    "after",
    "the",
    "a",
    "of",
    "and",
    "to",
    "in",
    "was",
    "were",
    "by",
    "officials",
    "residents",
    "workers",
    "announced",
    "closed",
    "reopened",
    "agreed",
    "rejected",
    "Maren",
    "Tresca",
    "Nalvik",
    "Ossery",
    "Elin",
    "Varo",
    "Kestrel",
    "Dunmore",
    "Aldane",
];

/// A news page of realistic weight: a site's furniture (inline style, an inline JSON state
/// script, a large menu, a related-stories list and a footer: about 50 KB, as on real
/// news sites, compressing about 4:1) around an article of 4–19 paragraphs.
fn page(rng: &mut Rng, id: u64) -> String {
    let mut s = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>Report {id}</title><style>"
    );
    for i in 0..300 {
        s.push_str(&format!(
            ".c{i}-{:x}{{margin:{}px {}px;color:#{:06x};font-size:{}px}}\n",
            rng.below(4096),
            rng.below(40),
            rng.below(40),
            rng.below(0x100_0000),
            10 + rng.below(20)
        ));
    }
    s.push_str("</style><script>window.__STATE__={\"items\":[");
    for i in 0..250 {
        if i > 0 {
            s.push(',');
        }
        s.push_str(&format!(
            "{{\"id\":\"{:016x}\",\"slot\":{},\"kind\":\"{}\",\"w\":{},\"h\":{},\"tag\":\"{}\"}}",
            rng.next(),
            rng.below(100),
            rng.word(),
            rng.below(1200),
            rng.below(900),
            rng.word(),
        ));
    }
    s.push_str("]};</script></head><body><nav><ul>");
    for i in 0..150 {
        s.push_str(&format!(
            "<li class=\"c{}\"><a href=\"/section/{i}/{}\">{}</a></li>",
            rng.below(300),
            rng.word(),
            rng.word()
        ));
    }
    s.push_str(&format!("</ul></nav><article><h1>Report {id}</h1>"));
    let paragraphs = 4 + rng.below(16);
    for _ in 0..paragraphs {
        s.push_str("<p>");
        let words = 20 + rng.below(60);
        for w in 0..words {
            if w > 0 {
                s.push(' ');
            }
            s.push_str(rng.word());
            if rng.below(9) == 0 {
                s.push_str(&rng.below(10_000).to_string());
            }
        }
        s.push_str(".</p>\n");
    }
    s.push_str("</article><aside><h2>Read more</h2><ul>");
    for _ in 0..20 {
        s.push_str(&format!(
            "<li><a href=\"/story/{}\">{} {} {}</a></li>",
            rng.below(1_000_000),
            rng.word(),
            rng.word(),
            rng.word()
        ));
    }
    s.push_str("</ul></aside><footer>Copyright Example News</footer></body></html>");
    s
}

fn record(kind: &str, uri: &str, ctype: &str, block: &[u8]) -> Vec<u8> {
    let mut v = format!(
        "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\n\
         WARC-Date: 2026-06-02T11:00:00Z\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\n\r\n",
        block.len()
    )
    .into_bytes();
    v.extend_from_slice(block);
    v.extend_from_slice(b"\r\n\r\n");
    v
}

fn gz(data: &[u8], level: Compression) -> Result<Vec<u8>, String> {
    let mut e = GzEncoder::new(Vec::new(), level);
    e.write_all(data).map_err(|e| e.to_string())?;
    e.finish().map_err(|e| e.to_string())
}

fn generate(path: &Path, mb: u64) -> Result<(), String> {
    let file = File::create(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut out = BufWriter::new(file);
    let target = mb * 1_000_000;
    let mut written = 0u64;
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let level = Compression::new(6);
    let mut id = 0u64;
    let write = |out: &mut BufWriter<File>, rec: Vec<u8>| -> Result<u64, String> {
        let member = gz(&rec, level)?;
        out.write_all(&member).map_err(|e| e.to_string())?;
        Ok(member.len() as u64)
    };
    written += write(
        &mut out,
        record(
            "warcinfo",
            "",
            "application/warc-fields",
            b"software: warc_stream\r\n",
        ),
    )?;
    while written < target {
        id += 1;
        let uri = format!("https://news.example/{id}");
        let req = format!("GET /{id} HTTP/1.1\r\nHost: news.example\r\n\r\n");
        written += write(
            &mut out,
            record(
                "request",
                &uri,
                "application/http; msgtype=request",
                req.as_bytes(),
            ),
        )?;
        let html = page(&mut rng, id);
        let block = match id % 100 {
            7 => b"HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\n\r\n<p>gone</p>".to_vec(),
            13 => {
                let mut b = b"HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\n\r\n".to_vec();
                b.extend((0..20_000).map(|_| rng.next() as u8));
                b
            }
            n if n % 5 == 0 => {
                let mut b = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\
                    Content-Encoding: gzip\r\n\r\n"
                    .to_vec();
                b.extend(gz(html.as_bytes(), Compression::fast())?);
                b
            }
            n if n % 7 == 0 => {
                let mut b = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
                for part in html.as_bytes().chunks(4096) {
                    b.extend(format!("{:x}\r\n", part.len()).into_bytes());
                    b.extend_from_slice(part);
                    b.extend_from_slice(b"\r\n");
                }
                b.extend_from_slice(b"0\r\n\r\n");
                b
            }
            _ => {
                let mut b =
                    b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n".to_vec();
                b.extend_from_slice(html.as_bytes());
                b
            }
        };
        written += write(
            &mut out,
            record(
                "response",
                &uri,
                "application/http; msgtype=response",
                &block,
            ),
        )?;
        if id.rem_euclid(10) == 0 {
            let meta = format!("fetchTimeMs: {}\r\n", rng.below(2000));
            written += write(
                &mut out,
                record("metadata", &uri, "application/warc-fields", meta.as_bytes()),
            )?;
        }
    }
    out.flush().map_err(|e| e.to_string())?;
    println!(
        "wrote {} ({:.1} MB, {id} pages)",
        path.display(),
        written as f64 / 1e6
    );
    Ok(())
}
