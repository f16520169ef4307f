//! Load test: one watcher follows N feeds on a local server and stores every new article.
//!
//! ```text
//! cargo run --release -p outpost-watch --example watch_bench -- [FEEDS] [SECONDS] [INTERVAL] [NEW_PER_SEC]
//! cargo run --release -p outpost-watch --example watch_bench -- --exec "taskset -c 0 target/release/outpost" [FEEDS] [SECONDS] [INTERVAL] [NEW_PER_SEC]
//! ```
//!
//! With `--exec CMD` the watcher is the real `outpost watch` binary (CMD, e.g. the release
//! binary, optionally behind `taskset`), with its real pipeline (extract → annotate → code →
//! store) and its default politeness; see [`exec_mode`]. Without it, the watcher runs in this
//! process with a stand-in pipeline, as described next.
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
    /// Serve pages of news text that the real pipeline codes (`--exec`), not filler.
    news_pages: bool,
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
    if s.news_pages {
        return (
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            news_page(id),
        )
            .into_response();
    }
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
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let exec = args.iter().position(|a| a == "--exec").map(|i| {
        let cmd = args.get(i + 1).cloned().expect("--exec needs a command");
        args.drain(i..=i + 1);
        cmd
    });
    let arg = |i: usize, d: u64| args.get(i).and_then(|a| a.parse().ok()).unwrap_or(d);
    let n_feeds = arg(0, 1000) as usize;
    let seconds = arg(1, 60);
    let interval = arg(2, 10) as u32;
    let per_sec = arg(3, 20);
    if let Some(cmd) = exec {
        exec_mode(&cmd, n_feeds, seconds, interval, per_sec).await;
        return;
    }

    let feeds = Arc::new(Feeds {
        items: (0..n_feeds).map(|_| Mutex::new(Vec::new())).collect(),
        appeared: Mutex::new(HashMap::new()),
        next_id: AtomicU64::new(1),
        requests: AtomicU64::new(0),
        news_pages: false,
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

/// A news page the real pipeline extracts and codes: a lead sentence with an event (protests,
/// clashes, talks, aid, arrests) in one of several countries, then paragraphs put together
/// from varied parts, so that pages differ as real articles do (not near-duplicates of one
/// template); the page number is in the text.
fn news_page(id: u64) -> String {
    const PLACES: [(&str, &str, &str); 12] = [
        ("Nairobi", "Kenya", "Kenyan"),
        ("Kampala", "Uganda", "Ugandan"),
        ("Lagos", "Nigeria", "Nigerian"),
        ("Dhaka", "Bangladesh", "Bangladeshi"),
        ("Lima", "Peru", "Peruvian"),
        ("Manila", "Philippines", "Philippine"),
        ("Accra", "Ghana", "Ghanaian"),
        ("Quito", "Ecuador", "Ecuadorian"),
        ("Colombo", "Sri Lanka", "Sri Lankan"),
        ("Tunis", "Tunisia", "Tunisian"),
        ("Harare", "Zimbabwe", "Zimbabwean"),
        ("Kathmandu", "Nepal", "Nepalese"),
    ];
    const LEADS: [&str; 6] = [
        "{adj} police fired tear gas at thousands of protesters in {city} on {day}, witnesses said.",
        "{adj} troops clashed with armed men near {city} on {day}, killing {n} people, officials said.",
        "The {adj} foreign minister met his counterparts in {city} on {day} to discuss trade and border security.",
        "Police in {city} arrested {n} opposition activists on {day} ahead of a planned rally.",
        "The government of {country} signed an agreement with aid agencies in {city} on {day} to deliver food to flood victims.",
        "Hundreds of teachers marched through {city} on {day} to demand higher wages, the union said.",
    ];
    const WHO: [&str; 10] = [
        "A spokesman for the ministry",
        "Local residents",
        "An opposition lawmaker",
        "The regional governor",
        "A senior diplomat",
        "Human rights groups",
        "Witnesses at the scene",
        "The national election commission",
        "Hospital staff",
        "A police commander",
    ];
    const SAID: [&str; 10] = [
        "said the situation remained tense",
        "called for calm and an independent inquiry",
        "warned that further unrest could follow",
        "said talks would resume next month",
        "described the response as heavy-handed",
        "said schools and markets stayed closed",
        "urged both sides to avoid violence",
        "said roads into the district were blocked",
        "promised compensation for damaged shops",
        "said the curfew would be lifted soon",
    ];
    const CONTEXT: [&str; 10] = [
        "Prices of fuel and bread have risen sharply since the start of the year.",
        "The dispute over land rights has simmered for more than a decade.",
        "Parliament is due to vote on the budget before the end of the quarter.",
        "Heavy rains have displaced thousands of families in the north.",
        "The country holds local elections in the spring.",
        "Unemployment among young people is above twenty percent.",
        "Neighbouring states have offered to mediate between the parties.",
        "Several foreign embassies advised their citizens to avoid the centre.",
        "The currency has lost a third of its value against the dollar.",
        "A similar protest last year ended after the cabinet was reshuffled.",
    ];
    let mut seed = id.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    let mut pick = |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    let (city, country, adj) = PLACES[pick(PLACES.len())];
    let day = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"][pick(5)];
    let n = (10 + id % 90).to_string();
    let lead = LEADS[pick(LEADS.len())]
        .replace("{adj}", adj)
        .replace("{city}", city)
        .replace("{country}", country)
        .replace("{day}", day)
        .replace("{n}", &n);
    let mut body = String::new();
    for _ in 0..6 {
        body.push_str(&format!(
            "<p>{} {}. {}</p>",
            WHO[pick(WHO.len())],
            SAID[pick(SAID.len())],
            CONTEXT[pick(CONTEXT.len())]
        ));
    }
    format!(
        "<!doctype html><html><head><title>{city}: report {id}</title></head><body>\
         <nav><a href=\"/\">Home</a> <a href=\"/world\">World</a></nav><article>\
         <h1>{city}: report {id}</h1><p>{city}, {country} (Report {id}) - {lead}</p>{body}\
         </article><footer>Copyright Example News</footer></body></html>"
    )
}

/// User + system CPU seconds of process `pid`.
fn cpu_seconds_of(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

fn status_kb(pid: u32, key: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(key))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

/// `--exec CMD`: the real `outpost watch` binary follows `n_feeds` feeds, each on its own
/// loopback address (127.10.x.y, one listener each, all served by this process), so the
/// binary's default politeness (1 s between requests to a host, 2 at once, robots.txt)
/// applies as it would to 1,000 real sites. Every feed starts with one article; once the
/// binary has stored all of them (the warm-up, reported), `per_sec` new articles a second
/// appear in random feeds for `seconds` seconds, and the bench waits `interval + 5` s more.
/// An article counts as stored when the database marks its URL fetched, which the watcher
/// does right after the pipeline stored it; the database is checked every 100 ms, so
/// latencies are up to 0.1 s high. Memory is the binary's peak RSS (VmHWM) and CPU its own
/// (the server and this bench are not counted). The binary gets SIGTERM at the end and must
/// exit cleanly.
async fn exec_mode(cmd: &str, n_feeds: usize, seconds: u64, interval: u32, per_sec: u64) {
    use outpost_store::watch::UrlState;
    let feeds = Arc::new(Feeds {
        items: (0..n_feeds).map(|_| Mutex::new(Vec::new())).collect(),
        appeared: Mutex::new(HashMap::new()),
        next_id: AtomicU64::new(1),
        requests: AtomicU64::new(0),
        news_pages: true,
    });
    for m in &feeds.items {
        m.lock()
            .unwrap()
            .push(feeds.next_id.fetch_add(1, Ordering::Relaxed));
    }
    let old_articles = feeds.next_id.load(Ordering::Relaxed) - 1;
    let app = Router::new()
        .route("/feed/{file}", get(feed))
        .route("/a/{id}", get(article))
        .with_state(feeds.clone());
    let mut hosts = Vec::with_capacity(n_feeds);
    for i in 0..n_feeds {
        let ip = std::net::Ipv4Addr::new(127, 10, (i / 250) as u8, (i % 250 + 1) as u8);
        let listener = tokio::net::TcpListener::bind((ip, 0))
            .await
            .expect("bind a loopback address (Linux answers all of 127.0.0.0/8)");
        hosts.push(listener.local_addr().unwrap());
        let app = app.clone();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("bench.db");
    let feeds_file = dir.path().join("feeds.toml");
    let toml: String = hosts
        .iter()
        .enumerate()
        .map(|(i, a)| {
            format!(
                "[[feed]]\nurl = \"http://{a}/feed/{i}.xml\"\ninterval = {interval}\nlanguage = \"en\"\n\n"
            )
        })
        .collect();
    std::fs::write(&feeds_file, toml).unwrap();
    let log = dir.path().join("watch.log");
    let mut words = cmd.split_whitespace();
    let program = words.next().expect("--exec needs a command");
    let mut child = std::process::Command::new(program)
        .args(words)
        .args(["watch", "--allow-private", "--db"])
        .arg(&db)
        .arg("--feeds")
        .arg(&feeds_file)
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .expect("the watch command starts");
    let pid = child.id();
    println!("command: {cmd} watch --allow-private --db DB --feeds FEEDS ({n_feeds} feeds)");

    // Warm-up: every feed's first article stored.
    let started = Instant::now();
    let store = loop {
        tokio::time::sleep(Duration::from_millis(500)).await;
        if let Some(st) = child.try_wait().unwrap() {
            panic!(
                "the watcher exited ({st}): {}",
                std::fs::read_to_string(&log).unwrap_or_default()
            );
        }
        // The watcher creates the database; open it only once it has.
        if started.elapsed() > Duration::from_secs(2)
            && db.exists()
            && let Ok(s) = Store::open(&db)
            && s.stats().map(|t| t.articles).unwrap_or(0) >= old_articles
        {
            break s;
        }
        assert!(
            started.elapsed() < Duration::from_secs(900),
            "warm-up took over 15 minutes"
        );
    };
    let warmup = started.elapsed();
    let warm_rss = status_kb(pid, "VmRSS:");

    // The news, with the CPU of the watcher per 10 s window.
    let (url_tx, mut url_rx) = tokio::sync::mpsc::unbounded_channel::<(String, Instant)>();
    let news = feeds.clone();
    let news_hosts = hosts.clone();
    let publisher = tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..seconds {
            tick.tick().await;
            for _ in 0..per_sec {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                let f = (seed % news.items.len() as u64) as usize;
                let id = news.next_id.fetch_add(1, Ordering::Relaxed);
                let at = Instant::now();
                news.appeared.lock().unwrap().insert(id, at);
                let mut v = news.items[f].lock().unwrap();
                v.push(id);
                let excess = v.len().saturating_sub(20);
                v.drain(..excess);
                let _ = url_tx.send((format!("http://{}/a/{id}", news_hosts[f]), at));
            }
        }
    });
    let mut windows: Vec<f64> = Vec::new();
    let mut last_cpu = (Instant::now(), cpu_seconds_of(pid));
    let mut pending: Vec<(String, Instant)> = Vec::new();
    let mut lat: Vec<Duration> = Vec::new();
    let end = Instant::now() + Duration::from_secs(seconds + u64::from(interval) + 5);
    while Instant::now() < end {
        tokio::time::sleep(Duration::from_millis(100)).await;
        while let Ok(p) = url_rx.try_recv() {
            pending.push(p);
        }
        let now = Instant::now();
        pending.retain(|(url, at)| {
            let done = store
                .url_info(url)
                .ok()
                .flatten()
                .is_some_and(|i| i.state == UrlState::Fetched);
            if done {
                lat.push(now.saturating_duration_since(*at));
            }
            !done
        });
        if last_cpu.0.elapsed() >= Duration::from_secs(10) {
            let c = cpu_seconds_of(pid);
            windows.push((c - last_cpu.1) / last_cpu.0.elapsed().as_secs_f64() * 100.0);
            last_cpu = (Instant::now(), c);
        }
    }
    publisher.abort();
    let peak = status_kb(pid, "VmHWM:");
    let rss = status_kb(pid, "VmRSS:");
    let cpu_total = cpu_seconds_of(pid);
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let exit = child.wait().unwrap();
    lat.sort();
    let budget = Duration::from_secs(u64::from(interval) + 2);
    let late = lat.iter().filter(|d| **d > budget).count();
    let stats = store.stats().unwrap();
    let log_text = std::fs::read_to_string(&log).unwrap_or_default();
    println!(
        "warm-up: {old_articles} first articles stored in {:.1} s (RSS then {:.1} MB)",
        warmup.as_secs_f64(),
        warm_rss as f64 / 1024.0
    );
    println!(
        "published {} new articles in {seconds} s ({per_sec}/s); stored {}; not stored {}",
        lat.len() + pending.len(),
        lat.len(),
        pending.len()
    );
    println!(
        "latency appear→in database: p50 {:.2} s, p90 {:.2} s, p99 {:.2} s, max {:.2} s; over interval+2 s ({} s): {late}",
        percentile(&lat, 0.5).as_secs_f64(),
        percentile(&lat, 0.9).as_secs_f64(),
        percentile(&lat, 0.99).as_secs_f64(),
        lat.last().copied().unwrap_or_default().as_secs_f64(),
        budget.as_secs()
    );
    println!(
        "database: {} articles, {} events; server requests {}",
        stats.articles,
        stats.events,
        feeds.requests.load(Ordering::Relaxed)
    );
    println!(
        "watcher: peak RSS (VmHWM) {:.1} MB, RSS at the end {:.1} MB, CPU {cpu_total:.1} s",
        peak as f64 / 1024.0,
        rss as f64 / 1024.0
    );
    let shown: Vec<String> = windows.iter().map(|c| format!("{c:.0}%")).collect();
    println!(
        "watcher CPU per 10 s window after warm-up (100% = one core): {}",
        shown.join(" ")
    );
    println!(
        "exit on SIGTERM: {exit}; last log line: {}",
        log_text.lines().last().unwrap_or("")
    );
}
