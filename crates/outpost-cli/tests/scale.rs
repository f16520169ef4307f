//! End-to-end tests of the scale features: crash safety under SIGKILL and several workers
//! sharing one PostgreSQL queue. They run the real binary on a generated corpus.
//!
//! PostgreSQL tests use the server named by `OUTPOST_TEST_PG` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`; `.ci/postgres.sh` starts one) and FAIL when
//! it does not answer.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use outpost_store::{EventQuery, Store};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_outpost"))
}

fn generate(n: usize, seed: u64, out: &Path) {
    let st = bin()
        .args([
            "bench",
            "corpus",
            "--articles",
            &n.to_string(),
            "--seed",
            &seed.to_string(),
        ])
        .arg("--out")
        .arg(out)
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(st.success());
}

/// (article count, sorted event ids) of a database.
fn contents(spec: &str) -> (u64, Vec<String>) {
    let store = Store::connect(spec).unwrap();
    let articles = store.stats().unwrap().articles;
    let mut ids = BTreeSet::new();
    let mut q = EventQuery {
        limit: Some(1000),
        ..Default::default()
    };
    loop {
        let page = store.events(&q).unwrap();
        ids.extend(page.items.into_iter().map(|e| e.id));
        match page.next_cursor {
            Some(c) => q.cursor = Some(c),
            None => break,
        }
    }
    (articles, ids.into_iter().collect())
}

#[test]
fn sigkill_mid_ingest_then_restart_equals_uninterrupted_run() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus.jsonl");
    generate(1500, 42, &corpus);

    // Reference: one uninterrupted run.
    let reference = dir.path().join("reference.db");
    let st = bin()
        .args(["ingest", "--db"])
        .arg(&reference)
        .arg(&corpus)
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(st.success());
    let expected = contents(reference.to_str().unwrap());
    assert_eq!(expected.0, 1500);

    // Interrupted: SIGKILL once part of the corpus is stored, then run again.
    let db = dir.path().join("killed.db");
    let mut child = bin()
        .args(["ingest", "--db"])
        .arg(&db)
        .arg(&corpus)
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut seen = 0;
    while seen < 100 {
        assert!(Instant::now() < deadline, "ingest made no progress");
        assert!(
            child.try_wait().unwrap().is_none(),
            "ingest finished before it could be killed"
        );
        std::thread::sleep(Duration::from_millis(20));
        if db.exists() {
            seen = Store::open(&db)
                .and_then(|s| s.stats())
                .map_or(0, |s| s.articles);
        }
    }
    child.kill().unwrap(); // SIGKILL on Unix
    child.wait().unwrap();
    let partial = contents(db.to_str().unwrap());
    assert!(
        partial.0 >= 100 && partial.0 < 1500,
        "killed part-way: {}",
        partial.0
    );
    // Every stored article has all its events: none half-written.
    let st = bin()
        .args(["ingest", "--db"])
        .arg(&db)
        .arg(&corpus)
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(st.success());
    assert_eq!(contents(db.to_str().unwrap()), expected);
}

fn pg_admin_url() -> String {
    std::env::var("OUTPOST_TEST_PG")
        .ok()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

/// A fresh PostgreSQL database, dropped at the end.
struct PgDb {
    admin: String,
    name: String,
    url: String,
}

impl PgDb {
    fn new(tag: &str) -> PgDb {
        let admin = pg_admin_url();
        let name = format!("outpost_e2e_{tag}_{}", std::process::id());
        let mut c = postgres::Client::connect(&admin, postgres::NoTls).unwrap_or_else(|e| {
            panic!("PostgreSQL at {admin} did not answer ({e}); start one with `source .ci/postgres.sh`")
        });
        // Two statements: DROP/CREATE DATABASE cannot share a transaction block.
        c.batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
            .unwrap();
        c.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
        let (base, _) = admin.rsplit_once('/').unwrap();
        let url = format!("{base}/{name}");
        PgDb { admin, name, url }
    }
}

impl Drop for PgDb {
    fn drop(&mut self) {
        if let Ok(mut c) = postgres::Client::connect(&self.admin, postgres::NoTls) {
            let _ = c.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}

#[test]
fn three_workers_share_a_postgres_queue_and_do_each_item_once() {
    let dir = tempfile::tempdir().unwrap();
    let files = dir.path().join("files");
    std::fs::create_dir(&files).unwrap();
    for i in 0..24u64 {
        generate(15, 1000 + i, &files.join(format!("part-{i:02}.jsonl")));
    }
    let db = PgDb::new("workers");
    let out = bin()
        .args(["enqueue", "--db", &db.url])
        .arg(&files)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("24 items queued"));
    // Enqueuing again adds nothing.
    let out = bin()
        .args(["enqueue", "--db", &db.url])
        .arg(&files)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("0 items queued, 24 already queued"));

    let workers: Vec<_> = (0..3)
        .map(|w| {
            bin()
                .args([
                    "worker",
                    "--exit-when-empty",
                    "--name",
                    &format!("w{w}"),
                    "--db",
                    &db.url,
                ])
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut items_done = 0usize;
    for w in workers {
        let out = w.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{err}");
        let line = err.lines().last().unwrap_or_default();
        // "worker w0: 9 items, …"
        let n: usize = line
            .split(": ")
            .nth(1)
            .and_then(|r| r.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no item count in {line:?}"));
        items_done += n;
    }
    assert_eq!(
        items_done, 24,
        "every item claimed exactly once across the workers"
    );
    let store = Store::connect(&db.url).unwrap();
    let q = store.queue_stats().unwrap();
    assert_eq!(
        (q.pending, q.running, q.done, q.failed),
        (0, 0, 24, 0),
        "{q:?}"
    );
    assert_eq!(store.stats().unwrap().articles, 24 * 15);
}
