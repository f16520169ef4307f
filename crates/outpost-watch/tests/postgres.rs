//! The watcher on PostgreSQL: state, seen URLs and alerts in a server database. Needs the
//! test server named by `OUTPOST_TEST_PG` (default `postgres://postgres@127.0.0.1:5432/postgres`;
//! `.ci/postgres.sh` starts one); fails, never skips, when it does not answer.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::Server;
use outpost_core::{Event, RawDoc};
use outpost_store::Store;
use outpost_store::watch::{FeedSpec, UrlState};
use outpost_watch::{AlertRule, FetchOptions, WatchConfig, run};

const DEFAULT_PG: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// A fresh database on the test server, dropped at the end.
struct PgDb {
    admin: String,
    name: String,
    url: String,
}

impl PgDb {
    fn new() -> PgDb {
        let admin = std::env::var("OUTPOST_TEST_PG")
            .ok()
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_PG.to_string());
        let name = format!("outpost_watch_test_{}", std::process::id());
        let mut c = postgres::Client::connect(&admin, postgres::NoTls).unwrap_or_else(|e| {
            panic!("PostgreSQL test server at {admin} did not answer ({e}); run .ci/postgres.sh")
        });
        c.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .unwrap();
        c.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
        let (base, _) = admin.rsplit_once('/').unwrap();
        let query = admin.find('?').map_or("", |i| &admin[i..]);
        let url = format!("{base}/{name}{query}");
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_watcher_keeps_its_state_in_postgresql() {
    let srv = Server::start().await;
    srv.set_feed("pg", &["pg1", "pg2", "/private/x"]);
    let db = tokio::task::spawn_blocking(PgDb::new).await.unwrap();
    let config = || WatchConfig {
        feeds: vec![FeedSpec {
            url: srv.url("/feed/pg.xml"),
            name: Some("pg".into()),
            interval_secs: 1,
            language: None,
        }],
        fetch: FetchOptions {
            allow_private: true,
            retries: 0,
            per_host_interval: Duration::ZERO,
            ..FetchOptions::default()
        },
        rules: vec![AlertRule::any("all")],
        tick: Duration::from_millis(50),
        notices: Some(Arc::new(|_| {})),
        ..WatchConfig::default()
    };
    let process = |doc: RawDoc| -> Result<Vec<Event>, String> {
        let url = doc.url.unwrap_or_default();
        let mut e: Event = serde_json::from_value(serde_json::json!({
            "id": format!("ev-{url}"), "date": null, "date_precision": null,
            "plover": "PROTEST", "mode": null, "cameo": "141", "goldstein": -6.5,
            "quad_class": 3, "acled": null, "status": "occurred",
            "source": {"text": "x", "code": "KENOPP", "country": "KEN", "sector": null, "name": null},
            "target": null, "location": null,
            "evidence": {"article_id": "a", "sentence": 0, "text": "t", "trigger": "t",
                "start": 0, "end": 1, "sentence_start": 0, "sentence_end": 1},
            "confidence": 0.5
        }))
        .unwrap();
        e.evidence.article_id = url;
        Ok(vec![e])
    };
    for _ in 0..2 {
        let url = db.url.clone();
        let summary = run(
            config(),
            move || Store::connect(&url),
            process,
            tokio::time::sleep(Duration::from_millis(1500)),
        )
        .await
        .unwrap();
        assert!(summary.polls >= 1);
    }
    assert_eq!(srv.hits("/a/pg1"), 1, "not fetched again after the restart");
    assert_eq!(srv.hits("/private/x"), 0);
    let url = db.url.clone();
    let (info, alerts, feeds) = tokio::task::spawn_blocking(move || {
        let s = Store::connect(&url).unwrap();
        (
            s.url_info(&format!("http://127.0.0.1:{}/a/pg2", 0))
                .unwrap(),
            s.alerts(10).unwrap(),
            s.feeds().unwrap(),
        )
    })
    .await
    .unwrap();
    assert!(info.is_none(), "port 0 is not the server's");
    assert_eq!(alerts.len(), 1, "one episode");
    assert_eq!(feeds.len(), 1);
    assert!(feeds[0].etag.is_some());
    let url = db.url.clone();
    let pg2 = srv.url("/a/pg2");
    let state = tokio::task::spawn_blocking(move || {
        Store::connect(&url)
            .unwrap()
            .url_info(&pg2)
            .unwrap()
            .unwrap()
            .state
    })
    .await
    .unwrap();
    assert_eq!(state, UrlState::Fetched);
    tokio::task::spawn_blocking(move || drop(db)).await.unwrap();
}
