//! The extraction benchmark: run the extractor over a directory of pages with known
//! article bodies, score the bodies and time the extraction.
//!
//! A benchmark directory holds pairs: `<id>.html` (or a `<id>.txt` text dump) plus
//! `<id>.json` with the expected `"body"` (and optionally the page's `"url"`, which is
//! given to the extractor as the source would). The score is ScrapingHub's shingle
//! metric, defined exactly as the reference scorer `eval.py` defines it (see [`score`]):
//! per page, 4-token shingle multisets of truth and prediction give tp/fp/fn; precision
//! is the mean page precision over pages with a non-empty prediction, recall the mean page
//! recall over pages with a non-empty truth, and F1 = 2PR/(P+R) of the two means.
//!
//! Timing covers extraction only (bytes already in memory → [`Article`]): reading files,
//! scoring and writing predictions are outside the clock. Pages are read in batches of
//! about 64 MB (memory stays bounded) and the first batch is extracted once untimed, to
//! build the lazily compiled patterns and warm the caches.
//!
//! What it does not do: parallelism (the figure is for one thread), or scoring metadata
//! (the truth has only bodies).

use crate::Extractor;
use outpost_core::{Article, RawDoc};
use regex::Regex;
use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;
use std::time::{Duration, Instant};

/// Pages are read in batches of about this many bytes before being extracted.
const BATCH_BYTES: usize = 64 << 20;

/// Why a benchmark could not run.
#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    /// A file or directory could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The path involved.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A truth file is not JSON with a string `"body"`.
    #[error("{path}: bad truth file: {message}")]
    BadTruth {
        /// The truth file.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// The directory has no `.html`/`.txt` page and no `.json` truth.
    #[error("{0}: no pages (<id>.html or <id>.txt) and no truth (<id>.json)")]
    NoPages(PathBuf),
}

/// The score and timing of one page.
#[derive(Debug, Clone, PartialEq)]
pub struct PageScore {
    /// The page id (file stem).
    pub id: String,
    /// Shared shingles.
    pub tp: usize,
    /// Predicted shingles not in the truth.
    pub fp: usize,
    /// True shingles not predicted.
    pub fn_: usize,
    /// Page precision (1 when fp = fn = 0).
    pub precision: f64,
    /// Page recall (1 when fp = fn = 0).
    pub recall: f64,
    /// Page F1 (0 for an empty prediction of a non-empty truth).
    pub f1: f64,
    /// True when the predicted token sequence equals the truth's.
    pub exact: bool,
    /// Size of the page in bytes (0 when the page file is missing).
    pub bytes: usize,
    /// Extraction time.
    pub time: Duration,
    /// Why extraction failed or the page is missing, if it did.
    pub error: Option<String>,
}

/// The result of a benchmark run.
#[derive(Debug, Clone, PartialEq)]
pub struct BenchReport {
    /// The benchmark directory.
    pub dir: PathBuf,
    /// Pages extracted (and timed).
    pub pages: usize,
    /// Pages with a truth file (scored).
    pub scored: usize,
    /// Truth files without a page (scored as empty predictions).
    pub missing: usize,
    /// Pages the extractor rejected (scored as empty predictions).
    pub errors: usize,
    /// Mean page precision over pages with a non-empty prediction.
    pub precision: f64,
    /// Mean page recall over pages with a non-empty truth.
    pub recall: f64,
    /// 2PR/(P+R) of the two means.
    pub f1: f64,
    /// Mean of per-page F1 (empty predictions score 0).
    pub mean_page_f1: f64,
    /// Share of scored pages whose token sequence matches the truth exactly.
    pub accuracy: f64,
    /// Bytes of all extracted pages.
    pub bytes: usize,
    /// Total extraction time.
    pub seconds: f64,
    /// Pages extracted per second (one thread).
    pub pages_per_sec: f64,
    /// Megabytes (10^6 bytes) of input extracted per second (one thread).
    pub mb_per_sec: f64,
    /// Time the thread spent on a CPU during the timed extraction (Linux
    /// `/proc/thread-self/schedstat`; `None` elsewhere). Unlike `seconds`, it leaves out
    /// time spent waiting for the core, so it is the steadier figure on a busy machine.
    pub cpu_seconds: Option<f64>,
    /// Pages per second of on-CPU time (see `cpu_seconds`).
    pub cpu_pages_per_sec: Option<f64>,
    /// Scores of the scored pages, in id order.
    pub per_page: Vec<PageScore>,
}

impl BenchReport {
    /// The `n` worst-scoring pages (lowest F1 first; ties by id).
    pub fn worst(&self, n: usize) -> Vec<&PageScore> {
        let mut v: Vec<&PageScore> = self.per_page.iter().collect();
        v.sort_by(|a, b| a.f1.total_cmp(&b.f1).then_with(|| a.id.cmp(&b.id)));
        v.truncate(n);
        v
    }

    /// The summary table followed by the `worst` lowest-scoring pages.
    pub fn table(&self, worst: usize) -> String {
        let mut s = String::new();
        let _ = fmt::Write::write_fmt(&mut s, format_args!("{}", Table(self, worst)));
        s
    }
}

struct Table<'a>(&'a BenchReport, usize);

impl fmt::Display for Table<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let r = self.0;
        writeln!(f, "extract bench: {}", r.dir.display())?;
        writeln!(
            f,
            "pages        {} extracted, {} scored, {} missing, {} errors",
            r.pages, r.scored, r.missing, r.errors
        )?;
        writeln!(f, "F1           {:.3}", r.f1)?;
        writeln!(f, "precision    {:.3}", r.precision)?;
        writeln!(f, "recall       {:.3}", r.recall)?;
        writeln!(f, "mean page F1 {:.3}", r.mean_page_f1)?;
        writeln!(f, "accuracy     {:.3}", r.accuracy)?;
        writeln!(
            f,
            "speed        {:.0} pages/s, {:.1} MB/s ({:.1} MB in {:.3} s, extraction only, one thread)",
            r.pages_per_sec,
            r.mb_per_sec,
            r.bytes as f64 / 1e6,
            r.seconds
        )?;
        if let (Some(c), Some(pps)) = (r.cpu_seconds, r.cpu_pages_per_sec) {
            writeln!(
                f,
                "on-CPU       {:.0} pages/s, {:.1} MB/s ({:.3} s on the CPU; the machine's other work left out)",
                pps,
                r.bytes as f64 / 1e6 / c.max(1e-9),
                c
            )?;
        }
        let worst = r.worst(self.1);
        if !worst.is_empty() {
            writeln!(f, "worst pages:")?;
            for p in worst {
                write!(
                    f,
                    "  {}  P {:.3}  R {:.3}  F1 {:.3}",
                    p.id, p.precision, p.recall, p.f1
                )?;
                if let Some(e) = &p.error {
                    write!(f, "  ({e})")?;
                }
                writeln!(f)?;
            }
        }
        Ok(())
    }
}

/// A short table (F1, precision, recall, speed) and the 5 worst pages.
impl fmt::Display for BenchReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        Table(self, 5).fmt(f)
    }
}

/// Nanoseconds this thread has spent on a CPU (Linux `schedstat`), if readable.
fn cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}

// ------------------------------------------------------------------ the metric

/// Python's `\w` on `str`: letters, numbers (any Unicode category L or N) and `_`.
static TOKEN: LazyLock<Regex> =
    LazyLock::new(|| crate::text::re(r"[\p{L}\p{N}_]+").expect("static regex"));
const SHINGLE: usize = 4;

/// Tokens as the reference scorer reads them: maximal runs of word characters.
pub fn tokens(text: &str) -> Vec<&str> {
    TOKEN.find_iter(text).map(|m| m.as_str()).collect()
}

fn shingles<'a, 'b>(toks: &'b [&'a str]) -> HashMap<&'b [&'a str], usize> {
    let mut m: HashMap<&[&str], usize> = HashMap::new();
    if toks.is_empty() {
        return m;
    }
    if toks.len() < SHINGLE {
        m.insert(toks, 1);
        return m;
    }
    for w in toks.windows(SHINGLE) {
        *m.entry(w).or_default() += 1;
    }
    m
}

/// Shingle counts of a prediction against the truth: `(tp, fp, fn, exact)`, exactly as
/// the reference scorer computes them.
pub fn score(truth: &str, predicted: &str) -> (usize, usize, usize, bool) {
    let (t, p) = (tokens(truth), tokens(predicted));
    let (ts, ps) = (shingles(&t), shingles(&p));
    let tp: usize = ps
        .iter()
        .map(|(k, &n)| n.min(ts.get(k).copied().unwrap_or(0)))
        .sum();
    let np: usize = ps.values().sum();
    let nt: usize = ts.values().sum();
    (tp, np - tp, nt - tp, t == p)
}

fn page_precision(tp: usize, fp: usize, fn_: usize) -> f64 {
    if fp == 0 && fn_ == 0 {
        1.0
    } else if tp + fp > 0 {
        tp as f64 / (tp + fp) as f64
    } else {
        0.0
    }
}

fn page_recall(tp: usize, fp: usize, fn_: usize) -> f64 {
    if fp == 0 && fn_ == 0 {
        1.0
    } else if tp + fn_ > 0 {
        tp as f64 / (tp + fn_) as f64
    } else {
        0.0
    }
}

/// Set precision, recall and F1 from per-page `(tp, fp, fn)`, as the reference scorer
/// aggregates them.
pub fn aggregate(rows: &[(usize, usize, usize)]) -> (f64, f64, f64) {
    let ps: Vec<f64> = rows
        .iter()
        .filter(|r| r.0 + r.1 > 0)
        .map(|r| page_precision(r.0, r.1, r.2))
        .collect();
    let rs: Vec<f64> = rows
        .iter()
        .filter(|r| r.0 + r.2 > 0)
        .map(|r| page_recall(r.0, r.1, r.2))
        .collect();
    let mean = |v: &[f64]| {
        if v.is_empty() {
            0.0
        } else {
            v.iter().sum::<f64>() / v.len() as f64
        }
    };
    let (p, r) = (mean(&ps), mean(&rs));
    let f = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    (p, r, f)
}

// ------------------------------------------------------------------ the run

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> BenchError + '_ {
    move |source| BenchError::Io {
        path: path.to_path_buf(),
        source,
    }
}

struct Truth {
    body: String,
    url: Option<String>,
}

fn read_truth(path: &Path) -> Result<Truth, BenchError> {
    let text = std::fs::read_to_string(path).map_err(io(path))?;
    let bad = |message: String| BenchError::BadTruth {
        path: path.to_path_buf(),
        message,
    };
    let v: serde_json::Value = serde_json::from_str(&text).map_err(|e| bad(e.to_string()))?;
    let body = v
        .get("body")
        .and_then(|b| b.as_str())
        .ok_or_else(|| bad("no string \"body\" field".to_string()))?;
    Ok(Truth {
        body: body.to_string(),
        url: v.get("url").and_then(|u| u.as_str()).map(str::to_string),
    })
}

/// The prediction file written with `--out`: the body plus the metadata.
fn prediction_json(r: &Result<Article, crate::ExtractError>) -> serde_json::Value {
    match r {
        Ok(a) => serde_json::json!({
            "body": a.text, "title": a.title, "date": a.date, "modified": a.modified,
            "authors": a.authors, "site": a.site, "url": a.url, "language": a.language,
            "wire": a.wire,
        }),
        Err(e) => serde_json::json!({"body": "", "error": e.to_string()}),
    }
}

/// Run the benchmark over `dir`; with `out`, write one `<id>.json` prediction per page
/// there (created if missing) for independent scoring.
pub fn run(
    dir: &Path,
    out: Option<&Path>,
    extractor: &Extractor,
) -> Result<BenchReport, BenchError> {
    let mut inputs: HashMap<String, PathBuf> = HashMap::new();
    let mut truths: Vec<(String, PathBuf)> = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io(dir))? {
        let path = entry.map_err(io(dir))?.path();
        let (Some(stem), Some(ext)) = (
            path.file_stem().and_then(|s| s.to_str()),
            path.extension().and_then(|e| e.to_str()),
        ) else {
            continue;
        };
        match ext {
            "html" | "htm" => {
                inputs.insert(stem.to_string(), path.clone());
            }
            // A dump only when no HTML page has the same id.
            "txt" => {
                inputs.entry(stem.to_string()).or_insert(path.clone());
            }
            "json" => truths.push((stem.to_string(), path.clone())),
            _ => {}
        }
    }
    if inputs.is_empty() && truths.is_empty() {
        return Err(BenchError::NoPages(dir.to_path_buf()));
    }
    if let Some(o) = out {
        std::fs::create_dir_all(o).map_err(io(o))?;
    }
    truths.sort();
    let truth_ids: HashMap<&str, &Path> = truths
        .iter()
        .map(|(id, p)| (id.as_str(), p.as_path()))
        .collect();
    let mut ids: Vec<&String> = inputs.keys().collect();
    ids.sort();

    // Pages are read in batches (bounded memory) and then extracted back to back, so the
    // clock sees extraction alone with warm caches; the first batch is extracted once
    // untimed to build the lazily compiled patterns.
    let mut total = Duration::ZERO;
    let mut bytes_total = 0usize;
    let mut per_page = Vec::with_capacity(truths.len());
    let mut errors = 0;
    let mut start = 0;
    let mut first = true;
    let mut cpu_total: Option<u64> = Some(0);
    while start < ids.len() {
        let mut batch: Vec<(&String, RawDoc, Option<Truth>)> = Vec::new();
        let mut batch_bytes = 0;
        while start < ids.len() && (batch.is_empty() || batch_bytes < BATCH_BYTES) {
            let id = ids[start];
            start += 1;
            let path = &inputs[id];
            let truth = match truth_ids.get(id.as_str()) {
                Some(tp) => Some(read_truth(tp)?),
                None => None,
            };
            let bytes = std::fs::read(path).map_err(io(path))?;
            batch_bytes += bytes.len();
            let mut doc = RawDoc::new(path.display().to_string(), bytes);
            doc.url = truth.as_ref().and_then(|t| t.url.clone());
            batch.push((id, doc, truth));
        }
        if first {
            for (_, doc, _) in &batch {
                let _ = extractor.extract(doc);
            }
            first = false;
        }
        let mut results = Vec::with_capacity(batch.len());
        let c0 = cpu_ns();
        for (_, doc, _) in &batch {
            let t0 = Instant::now();
            let result = extractor.extract(doc);
            results.push((result, t0.elapsed()));
        }
        cpu_total = match (cpu_total, c0, cpu_ns()) {
            (Some(t), Some(a), Some(b)) => Some(t + b.saturating_sub(a)),
            _ => None,
        };
        for ((id, doc, truth), (result, took)) in batch.into_iter().zip(results) {
            total += took;
            bytes_total += doc.bytes.len();
            if result.is_err() {
                errors += 1;
            }
            if let Some(o) = out {
                let p = o.join(format!("{id}.json"));
                let json = serde_json::to_string_pretty(&prediction_json(&result))
                    .unwrap_or_else(|_| "{\"body\": \"\"}".to_string());
                std::fs::write(&p, json).map_err(io(&p))?;
            }
            if let Some(t) = truth {
                let pred = result.as_ref().map(|a| a.text.as_str()).unwrap_or("");
                let (tp, fp, fn_, exact) = score(&t.body, pred);
                let (p, r) = (page_precision(tp, fp, fn_), page_recall(tp, fp, fn_));
                per_page.push(PageScore {
                    id: id.to_string(),
                    tp,
                    fp,
                    fn_,
                    precision: p,
                    recall: r,
                    f1: if p + r > 0.0 {
                        2.0 * p * r / (p + r)
                    } else {
                        0.0
                    },
                    exact,
                    bytes: doc.bytes.len(),
                    time: took,
                    error: result.err().map(|e| e.to_string()),
                });
            }
        }
    }
    // Truth without a page: an empty prediction.
    let mut missing = 0;
    for (id, tpath) in &truths {
        if inputs.contains_key(id) {
            continue;
        }
        missing += 1;
        let t = read_truth(tpath)?;
        let (tp, fp, fn_, exact) = score(&t.body, "");
        per_page.push(PageScore {
            id: id.clone(),
            tp,
            fp,
            fn_,
            precision: page_precision(tp, fp, fn_),
            recall: page_recall(tp, fp, fn_),
            f1: if fp == 0 && fn_ == 0 { 1.0 } else { 0.0 },
            exact,
            bytes: 0,
            time: Duration::ZERO,
            error: Some("no page file".to_string()),
        });
    }
    per_page.sort_by(|a, b| a.id.cmp(&b.id));
    let rows: Vec<(usize, usize, usize)> = per_page.iter().map(|p| (p.tp, p.fp, p.fn_)).collect();
    let (precision, recall, f1) = aggregate(&rows);
    let n = per_page.len().max(1) as f64;
    let secs = total.as_secs_f64();
    let rate = |x: f64| if secs > 0.0 { x / secs } else { 0.0 };
    Ok(BenchReport {
        dir: dir.to_path_buf(),
        pages: ids.len(),
        scored: per_page.len(),
        missing,
        errors,
        precision,
        recall,
        f1,
        mean_page_f1: per_page.iter().map(|p| p.f1).sum::<f64>() / n,
        accuracy: per_page.iter().filter(|p| p.exact).count() as f64 / n,
        bytes: bytes_total,
        seconds: secs,
        pages_per_sec: rate(ids.len() as f64),
        mb_per_sec: rate(bytes_total as f64 / 1e6),
        cpu_seconds: cpu_total.map(|ns| ns as f64 / 1e9),
        cpu_pages_per_sec: cpu_total
            .filter(|&ns| ns > 0)
            .map(|ns| ids.len() as f64 / (ns as f64 / 1e9)),
        per_page,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_like_python_word_runs() {
        assert_eq!(
            tokens("It's 3.5 km_long — ok!"),
            vec!["It", "s", "3", "5", "km_long", "ok"]
        );
        // Combining marks are not word characters for Python's `\w`.
        assert_eq!(tokens("नमस्ते"), vec!["नमस", "त"]);
        assert_eq!(tokens("Привет, мир"), vec!["Привет", "мир"]);
        // Numbers of every kind are word characters.
        assert_eq!(tokens("²³ ½ Ⅻ ٣"), vec!["²³", "½", "Ⅻ", "٣"]);
    }

    #[test]
    fn shingle_counts() {
        // Identical texts.
        assert_eq!(score("a b c d e", "a b c d e"), (2, 0, 0, true));
        // Short texts give one shorter shingle.
        assert_eq!(score("a b", "a b"), (1, 0, 0, true));
        assert_eq!(score("a b", "a c"), (0, 1, 1, false));
        // Multisets: a repeated shingle counts as often as it appears in both.
        assert_eq!(score("w x y z w x y z", "w x y z"), (1, 0, 4, false));
        assert_eq!(score("", ""), (0, 0, 0, true));
        assert_eq!(score("a b c d", ""), (0, 0, 1, false));
    }

    #[test]
    fn aggregation_rules() {
        // An empty prediction costs recall but not precision.
        let (p, r, f) = aggregate(&[(1, 0, 0), (0, 0, 4)]);
        assert_eq!(p, 1.0);
        assert_eq!(r, 0.5);
        assert!((f - 2.0 / 3.0).abs() < 1e-12);
        // A page where both are empty counts as perfect for neither mean.
        assert_eq!(
            aggregate(&[(0, 0, 0), (1, 1, 0)]),
            (0.5, 1.0, 2.0 * 0.5 / 1.5)
        );
    }

    #[test]
    fn run_scores_a_directory_and_writes_predictions() {
        let dir = std::env::temp_dir().join(format!("outpost-bench-test-{}", std::process::id()));
        let out = dir.join("out");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let body = "The county council voted on Tuesday to rebuild the old stone bridge over \
                    the river, which has been closed to traffic since the spring floods.";
        let html = format!(
            "<html><head><title>Bridge vote</title></head><body><nav><a href=/>Home</a></nav>\
             <article><h1>Bridge vote</h1><p>{body}</p></article><footer>Contact us</footer></body></html>"
        );
        std::fs::write(dir.join("a.html"), html).unwrap();
        std::fs::write(
            dir.join("a.json"),
            serde_json::json!({"body": body}).to_string(),
        )
        .unwrap();
        std::fs::write(dir.join("b.json"), r#"{"body": "A page that is missing."}"#).unwrap();
        std::fs::write(dir.join("c.html"), "").unwrap();
        std::fs::write(dir.join("c.json"), r#"{"body": "Some text here."}"#).unwrap();
        let r = run(&dir, Some(&out), &Extractor::new()).unwrap();
        assert_eq!((r.pages, r.scored, r.missing, r.errors), (2, 3, 1, 1));
        let a = &r.per_page[0];
        assert_eq!((a.id.as_str(), a.f1, a.exact), ("a", 1.0, true));
        assert_eq!(r.per_page[1].error.as_deref(), Some("no page file"));
        assert_eq!(r.per_page[2].error.as_deref(), Some("empty document"));
        assert_eq!(r.precision, 1.0);
        assert!((r.recall - 1.0 / 3.0).abs() < 1e-12);
        let pred: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(out.join("a.json")).unwrap()).unwrap();
        assert_eq!(pred["body"], body);
        assert!(out.join("c.json").exists());
        let shown = r.to_string();
        assert!(shown.contains("F1           0.500"), "{shown}");
        assert!(shown.contains("worst pages:\n  b  "), "{shown}");
        assert_eq!(r.worst(1)[0].id, "b");
        let _ = std::fs::remove_dir_all(&dir);
        assert!(matches!(
            run(Path::new("/nonexistent/outpost"), None, &Extractor::new()),
            Err(BenchError::Io { .. })
        ));
    }
}
