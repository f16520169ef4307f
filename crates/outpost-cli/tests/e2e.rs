//! End-to-end tests: the real `outpost` binary on fixture files written for these tests, a
//! real SQLite database and a real HTTP server.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_outpost"))
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("outpost runs")
}

fn stdout_json_lines(out: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad JSON line {l:?}: {e}")))
        .collect()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn s<'a>(v: &'a Value, k: &str) -> &'a str {
    v[k].as_str().unwrap_or("")
}

#[test]
fn extract_html_page_with_furniture() {
    let out = run(&["extract", fixture("border-talks.html").to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let arts = stdout_json_lines(&out);
    assert_eq!(arts.len(), 1);
    let a = &arts[0];
    assert_eq!(
        s(a, "title"),
        "Kyrgyz, Kazakh foreign ministers hold border talks in Bishkek"
    );
    assert_eq!(s(a, "date"), "2026-03-14");
    assert_eq!(s(a, "site"), "The Meridian Post");
    assert_eq!(s(a, "wire"), "AFP");
    assert_eq!(s(a, "language"), "en");
    assert_eq!(
        s(a, "url"),
        "https://meridianpost.example/world/asia/2026/03/14/kyrgyz-kazakh-border-talks"
    );
    assert!(
        a["authors"]
            .as_array()
            .is_some_and(|v| v.iter().any(|x| x == "Dana Whitfield"))
    );
    let text = s(a, "text");
    assert!(text.contains("Kyrgyz Foreign Minister Azamat Toktogulov met his Kazakh counterpart"));
    assert!(
        text.trim_end()
            .ends_with("called for the energy minister to resign."),
        "{text}"
    );
    assert_eq!(text.split("\n\n").count(), 5, "five paragraphs: {text}");
    for furniture in [
        "cookies",
        "Share on",
        "shake hands",
        "Read more",
        "Uzbek troops",
        "Sign up",
        "All rights reserved",
        "Opinion",
    ] {
        assert!(
            !text.contains(furniture),
            "furniture {furniture:?} kept: {text}"
        );
    }
}

#[test]
fn extract_text_dump() {
    let out = run(&["extract", fixture("sahel-clashes.txt").to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let a = &stdout_json_lines(&out)[0];
    assert_eq!(
        s(a, "title"),
        "Malian soldiers repel attack on army post near Gao"
    );
    assert_eq!(s(a, "date"), "2026-05-06");
    assert_eq!(s(a, "wire"), "Reuters");
    let text = s(a, "text");
    assert!(text.starts_with("Gunmen attacked an army post"), "{text}");
    assert!(text.trim_end().ends_with("protect civilians."), "{text}");
    for furniture in [
        "Niger junta",
        "Sign up",
        "Soldiers patrol",
        "Published:",
        "Most Read",
        "Menu",
    ] {
        assert!(
            !text.contains(furniture),
            "furniture {furniture:?} kept: {text}"
        );
    }
}

fn events_of(path: &Path) -> Vec<Value> {
    let out = run(&["code", path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    stdout_json_lines(&out)
}

fn has_country(a: &Value, iso3: &str) -> bool {
    a["country"].as_str() == Some(iso3)
}

#[test]
fn code_html_page_finds_its_events_and_none_from_furniture() {
    let events = events_of(&fixture("border-talks.html"));
    assert!(!events.is_empty());
    let consult = events.iter().find(|e| s(e, "plover") == "CONSULT");
    let consult = consult.unwrap_or_else(|| panic!("no CONSULT in {events:#?}"));
    let pair = [&consult["source"], &consult["target"]];
    assert!(pair.iter().any(|a| has_country(a, "KGZ")), "{consult:#}");
    assert!(pair.iter().any(|a| has_country(a, "KAZ")), "{consult:#}");
    assert_eq!(
        s(consult, "date"),
        "2026-03-13",
        "'on Friday' before Saturday 14 March"
    );
    assert!(
        events
            .iter()
            .any(|e| s(e, "plover") == "COERCE" && has_country(&e["source"], "KGZ")),
        "police arrest protesters: {events:#?}"
    );
    for e in &events {
        let ev = &e["evidence"];
        assert!(!s(ev, "text").is_empty());
        for furniture in ["Uzbek troops", "expel foreign journalists", "gas deal"] {
            assert!(
                !s(ev, "text").contains(furniture),
                "event from furniture: {e:#}"
            );
        }
        assert!(
            ["occurred", "planned", "denied", "hypothetical", "claimed"].contains(&s(e, "status"))
        );
        assert!(e["goldstein"].is_number() && e["quad_class"].is_number());
    }
}

#[test]
fn code_text_dump_finds_violence_and_protest() {
    let events = events_of(&fixture("sahel-clashes.txt"));
    let types: Vec<&str> = events.iter().map(|e| s(e, "plover")).collect();
    assert!(types.contains(&"ASSAULT"), "{events:#?}");
    assert!(types.contains(&"PROTEST"), "{events:#?}");
    let assault = events.iter().find(|e| s(e, "plover") == "ASSAULT").unwrap();
    assert_eq!(
        s(assault, "date"),
        "2026-05-05",
        "'on Tuesday' before Wednesday 6 May"
    );
    assert!(
        assault["acled"].is_object(),
        "violence carries an ACLED type: {assault:#}"
    );
}

/// A corpus directory with good files and every kind of bad input.
fn messy_corpus(dir: &Path) {
    std::fs::copy(fixture("border-talks.html"), dir.join("border-talks.html")).unwrap();
    std::fs::copy(fixture("sahel-clashes.txt"), dir.join("sahel-clashes.txt")).unwrap();
    std::fs::write(dir.join("empty.html"), b"").unwrap();
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend((0..2000u32).map(|i| (i * 7 % 256) as u8));
    std::fs::write(dir.join("photo.html"), png).unwrap();
    // windows-1252 bytes, no charset declared: must decode, not be skipped.
    let latin: &[u8] = b"date 2026-02-02\nColombia y ELN reanudan di\xe1logo en Bogot\xe1\n\
        Colombian President Gustavo Ram\xedrez met rebel negotiators of the ELN in Bogot\xe1 on Monday to resume peace talks, the government said.\n\
        The talks, hosted by Cuba and Norway as guarantors, are expected to last until the end of the month, officials said.\n";
    std::fs::write(dir.join("bogota.txt"), latin).unwrap();
    // Truncated in the middle of a tag: still an article.
    let html = std::fs::read_to_string(fixture("border-talks.html")).unwrap();
    let cut = html.find("<p>Kazakhstan also pledged").unwrap() + 20;
    std::fs::write(dir.join("truncated.html"), &html[..cut]).unwrap();
    std::fs::write(dir.join("huge.html"), "<p>x</p>".repeat(300_000)).unwrap();
}

fn db_summary(db: &Path) -> (u64, u64, Vec<String>) {
    let store = outpost_store::Store::open(db).unwrap();
    let stats = store.stats().unwrap();
    let q = outpost_store::EventQuery {
        limit: Some(1000),
        ..Default::default()
    };
    let page = store.events(&q).unwrap();
    let mut ids: Vec<String> = page.items.iter().map(|e| e.id.clone()).collect();
    ids.sort();
    (stats.articles, stats.events, ids)
}

#[test]
fn ingest_reports_bad_inputs_and_reingest_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    messy_corpus(&corpus);
    let db = dir.path().join("t.db");
    let args = [
        "ingest",
        "--db",
        db.to_str().unwrap(),
        "--max-bytes",
        "1000000",
        corpus.to_str().unwrap(),
    ];
    let out = run(&args);
    let err = stderr(&out);
    assert_eq!(
        out.status.code(),
        Some(3),
        "some inputs skipped → exit 3: {err}"
    );
    for bad in ["empty.html", "photo.html", "huge.html"] {
        assert!(
            err.lines()
                .any(|l| l.starts_with("skipped") && l.contains(bad)),
            "{bad} not reported: {err}"
        );
    }
    assert!(
        !err.lines()
            .any(|l| l.starts_with("skipped") && l.contains("bogota.txt")),
        "{err}"
    );
    assert!(err.contains("4 articles added"), "{err}");
    let first = db_summary(&db);
    assert_eq!(first.0, 4);
    assert!(first.1 > 0);

    let out = run(&args);
    let err = stderr(&out);
    assert!(
        err.contains("0 articles added") && err.contains("4 already present"),
        "{err}"
    );
    assert_eq!(db_summary(&db), first, "re-ingest changed the database");
}

#[test]
fn non_utf8_text_is_decoded() {
    let dir = tempfile::tempdir().unwrap();
    messy_corpus(dir.path());
    let out = run(&["extract", dir.path().join("bogota.txt").to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let a = &stdout_json_lines(&out)[0];
    assert!(s(a, "text").contains("Gustavo Ramírez"), "{a:#}");
    assert!(s(a, "text").contains("Bogotá"), "{a:#}");
}

#[test]
fn missing_input_is_a_clear_error() {
    let out = run(&["code", "/no/such/file.html"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("/no/such/file.html"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn help_explains_each_command() {
    let out = run(&["--help"]);
    let text = String::from_utf8_lossy(&out.stdout);
    for cmd in ["extract", "code", "geo", "ingest", "serve", "demo"] {
        assert!(text.contains(cmd), "{text}");
    }
    assert!(text.contains("Exit status"));
}

const PLOVER: [&str; 16] = [
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
];

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn http_get(port: u16, path: &str) -> Option<(u16, String)> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).ok()?;
    let text = String::from_utf8_lossy(&buf).into_owned();
    let status = text.split_whitespace().nth(1)?.parse().ok()?;
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b.to_owned())?;
    Some((status, body))
}

struct Server(Child);
impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn demo_corpus_covers_all_plover_types_and_is_served() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let out = run(&["demo", "--no-serve", "--db", db.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "demo corpus has no bad inputs: {}",
        stderr(&out)
    );
    let store = outpost_store::Store::open(&db).unwrap();
    let stats = store.stats().unwrap();
    assert!(stats.articles >= 30, "{stats:?}");
    let found: Vec<&str> = PLOVER
        .iter()
        .copied()
        .filter(|t| stats.by_plover.iter().any(|c| c.key == *t && c.count > 0))
        .collect();
    assert_eq!(
        found,
        PLOVER.to_vec(),
        "PLOVER types in the demo: {stats:?}"
    );
    drop(store);

    let port = free_port();
    let child = bin()
        .args([
            "serve",
            "--db",
            db.to_str().unwrap(),
            "--addr",
            &format!("127.0.0.1:{port}"),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let _server = Server(child);
    let deadline = Instant::now() + Duration::from_secs(20);
    while http_get(port, "/healthz").is_none() {
        assert!(Instant::now() < deadline, "server did not come up");
        std::thread::sleep(Duration::from_millis(100));
    }
    let (status, body) = http_get(port, "/api/events?limit=5").unwrap();
    assert_eq!(status, 200, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["events"].as_array().map(Vec::len), Some(5), "{v:#}");
    let (status, page) = http_get(port, "/").unwrap();
    assert_eq!(status, 200);
    assert!(
        page.contains("<html") || page.contains("<!DOCTYPE"),
        "{page}"
    );
    let (status, _) = http_get(port, "/api/events?from=not-a-date").unwrap();
    assert_eq!(status, 400);
}

#[test]
fn a_report_piped_into_a_reader_that_has_gone_ends_quietly() {
    // a one-record gold file of our own, so the bench has a report to print
    let dir = tempfile::tempdir().unwrap();
    let gold = dir.path().join("gold.jsonl");
    std::fs::write(
        &gold,
        r#"{"id":"a","text":"Crews cleared snow in Oslo and Bergen.","toponyms":[{"start":22,"end":26,"name":"Oslo","lat":59.91,"lon":10.75,"geonameid":3143244}]}
"#,
    )
    .unwrap();
    // the read end is closed before the command starts: every write fails with EPIPE
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let out = bin()
        .args(["bench", "geo", gold.to_str().unwrap(), "--errors", "5"])
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .expect("outpost runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{:?}: {err}", out.status);
    assert!(!err.contains("panicked"), "{err}");
    // a full disk is an error, said in one line
    if Path::new("/dev/full").exists() {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = bin()
            .args(["bench", "geo", gold.to_str().unwrap()])
            .stdout(full)
            .output()
            .expect("outpost runs");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(err.contains("writing to standard output"), "{err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}
