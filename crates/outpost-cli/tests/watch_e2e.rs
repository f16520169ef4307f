//! End-to-end test of `outpost watch`: the real binary follows a feed on a local HTTP server
//! (127.0.0.1, started by this test), runs the real pipeline (extract → annotate → code →
//! store) on the new pages, fires an alert, stops cleanly on SIGTERM, and on a restart
//! fetches only what it has not seen.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use outpost_store::Store;
use outpost_store::watch::UrlState;

/// The news site: a feed listing `items` and one page per item; counts every request by path.
#[derive(Default)]
struct Site {
    items: Mutex<Vec<u32>>,
    hits: Mutex<HashMap<String, u32>>,
}

impl Site {
    fn hits(&self, path: &str) -> u32 {
        self.hits.lock().unwrap().get(path).copied().unwrap_or(0)
    }
}

/// Article pages: ordinary news text with events the coder finds (protests and clashes in
/// Kenya), different in every page so each is a new article.
fn page(id: u32) -> String {
    let town = ["Nairobi", "Mombasa", "Kisumu"][(id as usize) % 3];
    format!(
        "<!doctype html><html><head><title>Protesters clash with police in {town}</title>\
         <meta property=\"article:published_time\" content=\"2026-03-1{id}T08:00:00Z\"></head>\
         <body><nav><a href=\"/\">Home</a> <a href=\"/world\">World</a></nav><article>\
         <h1>Protesters clash with police in {town}</h1>\
         <p>{town}, Kenya (Report {id}) - Kenyan police fired tear gas at thousands of \
         protesters in {town} on Tuesday, witnesses said.</p>\
         <p>Demonstrators demanded the resignation of the governor and blocked the main road \
         into the city centre for several hours.</p>\
         <p>The interior ministry said 12 people were arrested and that officers had acted \
         to restore order.</p>\
         <p>Opposition leaders accused the government of using excessive force and called \
         for further protests later in the week.</p></article>\
         <footer>Copyright Example News</footer></body></html>"
    )
}

fn feed(site: &Site, base: &str) -> String {
    let items: String = site
        .items
        .lock()
        .unwrap()
        .iter()
        .rev()
        .map(|id| {
            format!(
                "<item><title>Report {id}</title><link>{base}/a/{id}</link>\
                 <guid>{base}/a/{id}</guid><pubDate>Tue, 1{id} Mar 2026 08:00:00 GMT</pubDate></item>"
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel>\
         <title>Example News</title><link>{base}/</link><description>test</description>\
         {items}</channel></rss>"
    )
}

fn answer(mut stream: TcpStream, site: &Site, base: &str) {
    let mut reader = BufReader::new(match stream.try_clone() {
        Ok(s) => s,
        Err(_) => return,
    });
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
    // Headers, up to the empty line.
    loop {
        let mut h = String::new();
        match reader.read_line(&mut h) {
            Ok(0) | Err(_) => break,
            Ok(_) if h.trim().is_empty() => break,
            Ok(_) => {}
        }
    }
    *site.hits.lock().unwrap().entry(path.clone()).or_default() += 1;
    let (status, ctype, body) = if path == "/feed.xml" {
        ("200 OK", "application/rss+xml", feed(site, base))
    } else if let Some(id) = path
        .strip_prefix("/a/")
        .and_then(|i| i.parse::<u32>().ok())
        .filter(|i| site.items.lock().unwrap().contains(i))
    {
        ("200 OK", "text/html; charset=utf-8", page(id))
    } else {
        ("404 Not Found", "text/plain", "not found".to_string())
    };
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    );
}

/// Starts the site on 127.0.0.1 (a free port); returns it and its base URL.
fn start_site(items: &[u32]) -> (Arc<Site>, String) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let site = Arc::new(Site::default());
    site.items.lock().unwrap().extend_from_slice(items);
    let (s, b) = (site.clone(), base.clone());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (s, b) = (s.clone(), b.clone());
            std::thread::spawn(move || answer(stream, &s, &b));
        }
    });
    (site, base)
}

fn watch(db: &Path, feeds: &Path, alerts: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_outpost"))
        .args(["watch", "--allow-private", "--db"])
        .arg(db)
        .arg("--feeds")
        .arg(feeds)
        .arg("--alerts")
        .arg(alerts)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("outpost watch starts")
}

/// Sends SIGTERM and waits for a clean exit; returns (stdout, stderr).
fn stop(mut child: Child) -> (String, String) {
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let out = child.wait_with_output().unwrap();
            let (o, e) = (
                String::from_utf8_lossy(&out.stdout).into_owned(),
                String::from_utf8_lossy(&out.stderr).into_owned(),
            );
            assert!(status.success(), "outpost watch exited {status}: {e}");
            return (o, e);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("outpost watch did not stop within 30 s of SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Waits until `done` holds (checked every 100 ms), or fails after 60 s.
fn wait_for(what: &str, child: &mut Child, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !done() {
        if let Some(status) = child.try_wait().unwrap() {
            panic!("outpost watch exited early ({status}) while waiting for {what}");
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("timed out waiting for {what}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn fetched(db: &Path, url: &str) -> bool {
    Store::open(db)
        .ok()
        .and_then(|s| s.url_info(url).ok().flatten())
        .is_some_and(|i| i.state == UrlState::Fetched)
}

#[test]
fn watch_ingests_new_pages_stops_on_sigterm_and_does_not_refetch() {
    let (site, base) = start_site(&[1, 2]);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("watch.db");
    let feeds = dir.path().join("feeds.toml");
    std::fs::write(
        &feeds,
        format!("[[feed]]\nurl = \"{base}/feed.xml\"\nname = \"Example\"\ninterval = 1\nlanguage = \"en\"\n"),
    )
    .unwrap();
    let alerts = dir.path().join("alerts.toml");
    std::fs::write(
        &alerts,
        "stdout = true\n\n[[alert]]\nname = \"kenya\"\ncountries = [\"KEN\"]\n",
    )
    .unwrap();

    // First run: both pages are fetched, processed and stored.
    let mut child = watch(&db, &feeds, &alerts);
    let (a1, a2, a3) = (
        format!("{base}/a/1"),
        format!("{base}/a/2"),
        format!("{base}/a/3"),
    );
    wait_for("the first two pages", &mut child, || {
        fetched(&db, &a1) && fetched(&db, &a2)
    });
    let (stdout, stderr) = stop(child);
    assert!(stderr.contains("stopped"), "{stderr}");
    {
        let store = Store::open(&db).unwrap();
        let stats = store.stats().unwrap();
        assert_eq!(stats.articles, 2, "{stderr}");
        assert!(stats.events >= 2, "the pipeline coded no events: {stats:?}");
        let feeds = store.feeds().unwrap();
        assert_eq!(feeds.len(), 1);
        assert_eq!(feeds[0].failures, 0, "{:?}", feeds[0].last_error);
        assert!(feeds[0].last_ok_at.is_some());
        // One alert for the episode (both pages are in it), on stdout and in the database.
        let fired = store.alerts(10).unwrap();
        assert_eq!(fired.len(), 1, "{fired:?}");
        assert_eq!(fired[0].rule, "kenya");
        assert_eq!(
            stdout.lines().filter(|l| l.contains("\"kenya\"")).count(),
            1,
            "{stdout}"
        );
    }
    assert_eq!(site.hits("/a/1"), 1);
    assert_eq!(site.hits("/a/2"), 1);
    let feed_polls = site.hits("/feed.xml");
    assert!(feed_polls >= 1);

    // A new item while it is stopped; the restart fetches it and only it.
    site.items.lock().unwrap().push(3);
    let mut child = watch(&db, &feeds, &alerts);
    wait_for("the new page", &mut child, || fetched(&db, &a3));
    // And at least two more polls of the feed (the second one conditional) listing the old
    // pages again.
    wait_for("two more polls", &mut child, || {
        site.hits("/feed.xml") >= feed_polls + 2
    });
    let (stdout, stderr) = stop(child);
    assert_eq!(site.hits("/a/1"), 1, "a seen page was fetched again");
    assert_eq!(site.hits("/a/2"), 1, "a seen page was fetched again");
    assert_eq!(site.hits("/a/3"), 1);
    let store = Store::open(&db).unwrap();
    assert_eq!(store.stats().unwrap().articles, 3, "{stderr}");
    // Same episode (within the cooldown): no second alert.
    assert_eq!(store.alerts(10).unwrap().len(), 1);
    assert!(!stdout.contains("\"kenya\""), "{stdout}");
}

#[test]
fn add_feed_checks_the_feed_and_stores_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("feeds.db");
    let add = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_outpost"))
            .arg("add-feed")
            .args(args)
            .arg("--db")
            .arg(&db)
            .output()
            .expect("outpost runs")
    };
    for (url, says) in [
        ("ftp://news.example/rss", "http"),
        ("https://user:pw@news.example/rss", "credentials"),
    ] {
        let out = add(&[url]);
        assert!(!out.status.success(), "{url}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{url}: {err}");
    }
    let out = add(&["https://news.example/rss", "--language", "english"]);
    assert!(!out.status.success());
    let out = add(&[
        "https://news.example/rss",
        "--name",
        "World",
        "--interval",
        "120",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let feeds = Store::open(&db).unwrap().feeds().unwrap();
    assert_eq!(feeds.len(), 1);
    assert_eq!(feeds[0].url, "https://news.example/rss");
    assert_eq!(feeds[0].interval_secs, 120);
    assert_eq!(feeds[0].name.as_deref(), Some("World"));
}
