//! Load test: one watcher follows N feeds on a local server and stores every new article.
//!
//! ```text
//! cargo run --release -p outpost-watch --example watch_bench -- [FEEDS] [SECONDS] [INTERVAL] [NEW_PER_SEC]
//! ```
//! (defaults: 1000 feeds, 60 s, poll interval 10 s, 20 new articles a second across random
//! feeds). The server (127.0.0.1, an ephemeral port, in this same process) serves
//! `/feed/{i}.xml` (RSS, the feed's 20 newest articles, with an ETag) and `/a/{id}` pages;
//! every second it adds articles to random feeds and notes when each appeared. The watcher
//! stores each fetched page as an article in a SQLite file (a minimal `process`: no
//! extraction or coding, so the figures are the watcher's own). At the end it prints the
//! latency from "appeared in its feed" to "stored in the database" (percentiles), polls,
//! 304s, the peak resident memory (VmHWM from /proc/self/status, server included) and the
//! CPU time per 10 s window.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use outpost_core::{Article, RawDoc};
use outpost_store::Store;
use outpost_store::watch::FeedSpec;
use outpost_watch::{FetchOptions, WatchConfig, run};

struct Feeds {
    /// Per feed: its article ids, newest last.
    items: Vec<Mutex<Vec<u64>>>,
    /// Article id → when it appeared in its feed.
    appeared: Mutex<HashMap<u64, Instant>>,
    next_id: AtomicU64,
    requests: AtomicU64,
}

async fn feed(
    State(s): State<Arc<Feeds>>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    s.requests.fetch_add(1, Ordering::Relaxed);
    let i: usize = file.trim_end_matches(".xml").parse().unwrap_or(usize::MAX);
    let Some(m) = s.items.get(i) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let ids = m.lock().unwrap().clone();
    let etag = format!("\"{}-{}\"", i, ids.last().copied().unwrap_or(0));
    if headers
        .get(header::IF_NONE_MATCH)
        .is_some_and(|v| v.as_bytes() == etag.as_bytes())
    {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response();
    }
    let items: String = ids
        .iter()
        .rev()
        .map(|id| {
            format!(
                "<item><title>Report {id}</title><link>/a/{id}</link>\
                 <guid>/a/{id}</guid></item>"
            )
        })
        .collect();
    let body = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Feed {i}</title>\
         <link>/</link><description>bench</description>{items}</channel></rss>"
    );
    let mut r = body.into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/rss+xml"),
    );
    r.headers_mut()
        .insert(header::ETAG, HeaderValue::from_str(&etag).unwrap());
    r
}

async fn article(State(s): State<Arc<Feeds>>, Path(id): Path<u64>) -> Response {
    s.requests.fetch_add(1, Ordering::Relaxed);
    let body = format!(
        "<html><head><title>Report {id}</title></head><body><article><h1>Report {id}</h1>\
         <p>Officials said on Tuesday that talks would resume next week ({id}).</p>\
         {}</article></body></html>",
        "<p>Background paragraph of an ordinary news page.</p>".repeat(40)
    );
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response()
}

fn proc_status(key: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(key))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

/// User + system CPU seconds of this process.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which is in parentheses).
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    // utime and stime are fields 14 and 15 of the whole line: 12 and 13 after ')'.
    (ticks(11) + ticks(12)) / 100.0
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize, d: u64| args.get(i).and_then(|a| a.parse().ok()).unwrap_or(d);
    let n_feeds = arg(0, 1000) as usize;
    let seconds = arg(1, 60);
    let interval = arg(2, 10) as u32;
    let per_sec = arg(3, 20);

    let feeds = Arc::new(Feeds {
        items: (0..n_feeds).map(|_| Mutex::new(Vec::new())).collect(),
        appeared: Mutex::new(HashMap::new()),
        next_id: AtomicU64::new(1),
        requests: AtomicU64::new(0),
    });
    // Every feed starts with 5 old articles (fetched in the first round; not timed).
    for m in &feeds.items {
        let mut v = m.lock().unwrap();
        for _ in 0..5 {
            v.push(feeds.next_id.fetch_add(1, Ordering::Relaxed));
        }
    }
    let old_articles = feeds.next_id.load(Ordering::Relaxed) - 1;
    let app = Router::new()
        .route("/feed/{file}", get(feed))
        .route("/a/{id}", get(article))
        .with_state(feeds.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("bench.db");
    let specs: Vec<FeedSpec> = (0..n_feeds)
        .map(|i| FeedSpec {
            url: format!("http://{addr}/feed/{i}.xml"),
            name: None,
            interval_secs: interval,
            language: Some("en".into()),
        })
        .collect();
    let config = WatchConfig {
        feeds: specs,
        fetch: FetchOptions {
            allow_private: true,
            // One host serves all 1,000 feeds here; real sites get the polite defaults.
            per_host_interval: Duration::ZERO,
            per_host_concurrency: 32,
            ..FetchOptions::default()
        },
        max_concurrent_polls: 32,
        notices: Some(Arc::new(|_| {})),
        ..WatchConfig::default()
    };

    // The pipeline stand-in: store each page as an article, note when it was stored.
    let stored: Arc<Mutex<Vec<(u64, Instant)>>> = Arc::default();
    let sink = stored.clone();
    let mut store = Store::open(&db).unwrap();
    let process = move |doc: RawDoc| {
        let url = doc.url.clone().unwrap_or_default();
        let id: u64 = url
            .rsplit('/')
            .next()
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let text = String::from_utf8_lossy(&doc.bytes).into_owned();
        let article = Article {
            id: outpost_core::id::text_fingerprint(&text),
            source: doc.source.clone(),
            url: doc.url.clone(),
            title: Some(format!("Report {id}")),
            date: None,
            modified: None,
            authors: Vec::new(),
            site: None,
            language: Some("en".into()),
            wire: None,
            text,
        };
        store
            .insert_article(&article, &[])
            .map_err(|e| e.to_string())?;
        sink.lock().unwrap().push((id, Instant::now()));
        Ok(Vec::new())
    };

    // The news: `per_sec` new articles a second in random feeds, after a 15 s warm-up.
    let news = feeds.clone();
    let publisher = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(15)).await;
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        loop {
            tick.tick().await;
            for _ in 0..per_sec {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                let f = (seed % news.items.len() as u64) as usize;
                let id = news.next_id.fetch_add(1, Ordering::Relaxed);
                news.appeared.lock().unwrap().insert(id, Instant::now());
                let mut v = news.items[f].lock().unwrap();
                v.push(id);
                let excess = v.len().saturating_sub(20);
                v.drain(..excess);
            }
        }
    });

    // CPU per 10 s window.
    let cpu_windows: Arc<Mutex<Vec<f64>>> = Arc::default();
    let windows = cpu_windows.clone();
    let sampler = tokio::spawn(async move {
        let mut last = cpu_seconds();
        loop {
            tokio::time::sleep(Duration::from_secs(10)).await;
            let now = cpu_seconds();
            windows.lock().unwrap().push((now - last) / 10.0 * 100.0);
            last = now;
        }
    });

    let started = Instant::now();
    let path = db.clone();
    let summary = run(
        config,
        move || Store::open(&path),
        process,
        tokio::time::sleep(Duration::from_secs(seconds)),
    )
    .await
    .unwrap();
    let elapsed = started.elapsed();
    publisher.abort();
    sampler.abort();

    let appeared = feeds.appeared.lock().unwrap().clone();
    let stored = stored.lock().unwrap().clone();
    let mut lat: Vec<Duration> = stored
        .iter()
        .filter_map(|(id, at)| appeared.get(id).map(|a| at.saturating_duration_since(*a)))
        .collect();
    lat.sort();
    // Articles that appeared at least interval + 2 s before the end and were never stored.
    let cutoff = Instant::now() - Duration::from_secs(u64::from(interval) + 2);
    let stored_ids: std::collections::HashSet<u64> = stored.iter().map(|(i, _)| *i).collect();
    let missed = appeared
        .iter()
        .filter(|(id, at)| **at < cutoff && !stored_ids.contains(id))
        .count();
    let budget = Duration::from_secs(u64::from(interval) + 2);
    let late = lat.iter().filter(|d| **d > budget).count();
    let articles = Store::open(&db).unwrap().stats().unwrap().articles;
    println!(
        "feeds {n_feeds}, poll interval {interval} s, run {:.0} s",
        elapsed.as_secs_f64()
    );
    println!(
        "polls {} ({} not modified, {} failed), pages fetched {}, server requests {}",
        summary.polls,
        summary.not_modified,
        summary.poll_failures,
        summary.pages_fetched,
        feeds.requests.load(Ordering::Relaxed)
    );
    println!(
        "articles stored {articles} ({old_articles} initial + {} new of {} published; {missed} missed)",
        lat.len(),
        appeared.len()
    );
    println!(
        "latency appear→stored: p50 {:.2} s, p90 {:.2} s, p99 {:.2} s, max {:.2} s; over interval+2 s: {late}",
        percentile(&lat, 0.5).as_secs_f64(),
        percentile(&lat, 0.9).as_secs_f64(),
        percentile(&lat, 0.99).as_secs_f64(),
        lat.last().copied().unwrap_or_default().as_secs_f64()
    );
    println!(
        "peak RSS (VmHWM) {:.1} MB, RSS now {:.1} MB",
        proc_status("VmHWM:") as f64 / 1024.0,
        proc_status("VmRSS:") as f64 / 1024.0
    );
    let w = cpu_windows.lock().unwrap().clone();
    let shown: Vec<String> = w.iter().map(|c| format!("{c:.0}%")).collect();
    println!(
        "CPU per 10 s window (100% = one core): {}; total {:.1} s",
        shown.join(" "),
        cpu_seconds()
    );
}
