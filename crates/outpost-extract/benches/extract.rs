//! Extraction throughput benchmark (a `harness = false` bench; no criterion needed).
//!
//! Run it on one core with a directory of pages (`.html` and/or `.txt` files):
//!
//! ```sh
//! OUTPOST_BENCH_EXTRACT_DIR=/path/to/pages taskset -c 0 \
//!     cargo bench -p outpost-extract --bench extract
//! ```
//!
//! Without `OUTPOST_BENCH_EXTRACT_DIR` it generates its own pages (news-like HTML of
//! about 150 KB with scripts, navigation, related links and comments around the article).
//! `OUTPOST_BENCH_ITERS` sets the number of timed passes (default 10). Each pass extracts
//! every page from memory (bytes in, `Article` out); the best and median pass are
//! reported as pages/s and MB/s by wall-clock time, the best pass by on-CPU time too
//! (Linux; useful when other jobs share the core), plus the slowest single page.

use outpost_core::RawDoc;
use outpost_extract::Extractor;
use std::time::{Duration, Instant};

fn main() {
    let docs = match std::env::var_os("OUTPOST_BENCH_EXTRACT_DIR") {
        Some(dir) => read_dir(std::path::Path::new(&dir)),
        None => generated(60),
    };
    if docs.is_empty() {
        eprintln!("no .html/.txt pages to benchmark");
        std::process::exit(1);
    }
    let iters: usize = std::env::var("OUTPOST_BENCH_ITERS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10)
        .max(1);
    let ex = Extractor::new();
    let bytes: usize = docs.iter().map(|d| d.bytes.len()).sum();
    // Warm-up pass: builds lazily compiled patterns.
    let ok = docs.iter().filter(|d| ex.extract(d).is_ok()).count();
    let mut passes = Vec::with_capacity(iters);
    let mut cpu_passes = Vec::with_capacity(iters);
    let mut slowest = (Duration::ZERO, String::new());
    for _ in 0..iters {
        let c0 = cpu_ns();
        let t0 = Instant::now();
        for d in &docs {
            let t = Instant::now();
            let a = ex.extract(d);
            std::hint::black_box(&a);
            let took = t.elapsed();
            if took > slowest.0 {
                slowest = (took, d.source.clone());
            }
        }
        passes.push(t0.elapsed().as_secs_f64());
        if let (Some(a), Some(b)) = (c0, cpu_ns()) {
            cpu_passes.push(b.saturating_sub(a) as f64 / 1e9);
        }
    }
    cpu_passes.sort_by(f64::total_cmp);
    passes.sort_by(f64::total_cmp);
    let n = docs.len() as f64;
    let mb = bytes as f64 / 1e6;
    let (best, median) = (passes[0], passes[passes.len() / 2]);
    println!(
        "extract: {} pages ({} extracted ok), {:.1} MB, {} passes",
        docs.len(),
        ok,
        mb,
        iters
    );
    println!("best   {:.0} pages/s, {:.1} MB/s", n / best, mb / best);
    println!("median {:.0} pages/s, {:.1} MB/s", n / median, mb / median);
    if let Some(&c) = cpu_passes.first().filter(|&&c| c > 0.0) {
        println!(
            "cpu    {:.0} pages/s, {:.1} MB/s (best pass by on-CPU time, /proc/thread-self/schedstat)",
            n / c,
            mb / c
        );
    }
    println!(
        "slowest page {:.2} ms: {}",
        slowest.0.as_secs_f64() * 1e3,
        slowest.1
    );
}

/// Nanoseconds this thread has spent on a CPU (Linux `schedstat`), so a figure taken on
/// a loaded machine can leave out the time spent waiting for the core.
fn cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}

fn read_dir(dir: &std::path::Path) -> Vec<RawDoc> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("html" | "htm" | "txt")
            )
        })
        .collect();
    paths.sort();
    paths
        .into_iter()
        .filter_map(|p| {
            let bytes = std::fs::read(&p).ok()?;
            Some(RawDoc::new(p.display().to_string(), bytes))
        })
        .collect()
}

/// A small deterministic generator (xorshift) for synthetic pages.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[(self.next() % xs.len() as u64) as usize]
    }
}

const WORDS: &[&str] = &[
    "the",
    "council",
    "said",
    "on",
    "Monday",
    "that",
    "river",
    "bridge",
    "would",
    "reopen",
    "after",
    "repairs",
    "officials",
    "residents",
    "water",
    "plant",
    "minister",
    "report",
    "police",
    "border",
    "talks",
    "election",
    "budget",
    "harbour",
    "storm",
    "farmers",
    "in",
    "of",
    "and",
    "to",
    "a",
    "with",
    "for",
    "new",
    "regional",
    "government",
    "week",
    "city",
];

fn sentence(r: &mut Rng) -> String {
    let n = 8 + (r.next() % 18) as usize;
    let mut s: Vec<&str> = (0..n).map(|_| r.pick(WORDS)).collect();
    s[0] = "Officials";
    let mut out = s.join(" ");
    out.push('.');
    out
}

fn generated(n: usize) -> Vec<RawDoc> {
    let mut r = Rng(0x9e37_79b9_7f4a_7c15);
    (0..n)
        .map(|i| {
            let mut h = String::with_capacity(160_000);
            h.push_str("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">");
            h.push_str("<title>Council approves bridge repairs | Example Daily</title>");
            h.push_str("<meta property=\"og:site_name\" content=\"Example Daily\">");
            h.push_str("<meta property=\"article:published_time\" content=\"2023-05-02T08:00:00Z\">");
            h.push_str("<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"headline\":\"Council approves bridge repairs\",\"author\":{\"name\":\"Jane Roe\"}}</script>");
            for _ in 0..12 {
                h.push_str("<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}");
                h.push_str(&"var x=\"<div class='ad'>\";".repeat(40));
                h.push_str("</script><style>.nav a{color:#333}.x{margin:0}</style>");
            }
            h.push_str("</head><body><header class=\"site-header\"><nav class=\"menu\"><ul>");
            for k in 0..80 {
                h.push_str(&format!("<li><a href=\"/section/{k}\">Section {k}</a></li>"));
            }
            h.push_str("</ul></nav></header><main><article class=\"story\"><h1>Council approves bridge repairs</h1>");
            h.push_str("<div class=\"byline\">By Jane Roe</div><div class=\"article-body\">");
            for _ in 0..(10 + i % 15) {
                h.push_str("<p>");
                for _ in 0..4 {
                    h.push_str(&sentence(&mut r));
                    h.push(' ');
                }
                h.push_str("</p>");
                if r.next().is_multiple_of(4) {
                    h.push_str("<figure><img src=\"/i.jpg\" alt=\"x\"><figcaption>A bridge. (Photo: Example)</figcaption></figure>");
                }
            }
            h.push_str("</div></article><aside class=\"related\"><h2>Related</h2><ul>");
            for k in 0..40 {
                h.push_str(&format!("<li><a href=\"/story/{k}\">{}</a></li>", sentence(&mut r)));
            }
            h.push_str("</ul></aside><section class=\"comments\">");
            for _ in 0..30 {
                h.push_str(&format!("<div class=\"comment\"><span>reader</span><p>{}</p></div>", sentence(&mut r)));
            }
            h.push_str("</section></main><footer><svg viewBox=\"0 0 10 10\">");
            h.push_str(&"<path d=\"M0 0L10 10\"/>".repeat(300));
            h.push_str("</svg><p>© 2023 Example Daily. All rights reserved.</p></footer></body></html>");
            while h.len() < 150_000 {
                h.push_str("<!-- padding comment to reach a realistic page size -->\n");
            }
            RawDoc::new(format!("generated-{i}.html"), h.into_bytes())
        })
        .collect()
}
