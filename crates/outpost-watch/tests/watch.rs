//! The watch loop and alerts end to end, against a local test server.

mod common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use common::Server;
use outpost_core::{Actor, Event, Evidence, Location, RawDoc, Status};
use outpost_store::Store;
use outpost_store::watch::{FeedSpec, UrlState};
use outpost_watch::{
    AlertRule, Delivery, FetchOptions, Metric, Near, Trigger, WatchConfig, evaluate_alerts_at,
    load_rules, run,
};

fn feed(url: String, interval: u32) -> FeedSpec {
    FeedSpec {
        url,
        name: None,
        interval_secs: interval,
        language: Some("en".into()),
    }
}

fn config(feeds: Vec<FeedSpec>) -> WatchConfig {
    WatchConfig {
        feeds,
        fetch: FetchOptions {
            allow_private: true,
            timeout: Duration::from_secs(2),
            retries: 0,
            per_host_interval: Duration::ZERO,
            per_host_concurrency: 8,
            max_body_bytes: 1024 * 1024,
            ..FetchOptions::default()
        },
        tick: Duration::from_millis(50),
        reload_every: Duration::from_millis(500),
        notices: Some(Arc::new(|_| {})),
        ..WatchConfig::default()
    }
}

fn event(id: &str, article: &str, plover: &str, country: &str, goldstein: f64) -> Event {
    let actor = |code: &str| Actor {
        text: code.into(),
        code: code.into(),
        country: Some(country.into()),
        sector: None,
        name: None,
    };
    Event {
        aggregate: None,
        id: id.into(),
        date: None,
        date_precision: None,
        plover: plover.into(),
        mode: None,
        cameo: "141".into(),
        goldstein,
        quad_class: 3,
        acled: None,
        status: Status::Occurred,
        source: actor(&format!("{country}OPP")),
        target: Some(actor(&format!("{country}GOV"))),
        parties: Vec::new(),
        location: Some(Location {
            name: "Capital".into(),
            country: Some(country.into()),
            admin1: None,
            lat: -1.29,
            lon: 36.82,
            geonameid: None,
            precision: "city".into(),
        }),
        evidence: Evidence {
            article_id: article.into(),
            sentence: 0,
            text: "Protesters marched.".into(),
            trigger: "marched".into(),
            start: 11,
            end: 18,
            sentence_start: 0,
            sentence_end: 19,
        },
        confidence: 0.9,
    }
}

/// Waits (up to `limit`) until `cond` holds.
async fn wait_for(limit: Duration, mut cond: impl FnMut() -> bool) -> bool {
    let t = Instant::now();
    while t.elapsed() < limit {
        if cond() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    cond()
}

type Seen = Arc<Mutex<Vec<(String, Instant)>>>;

fn collector(seen: &Seen) -> impl FnMut(RawDoc) -> Result<Vec<Event>, String> + Send + 'static {
    let seen = seen.clone();
    move |doc: RawDoc| {
        let url = doc.url.clone().unwrap_or_default();
        if !String::from_utf8_lossy(&doc.bytes).contains("Report") {
            return Err("no article text".into());
        }
        seen.lock().unwrap().push((url, Instant::now()));
        Ok(Vec::new())
    }
}

fn urls(seen: &Seen) -> Vec<String> {
    let mut v: Vec<String> = seen
        .lock()
        .unwrap()
        .iter()
        .map(|(u, _)| u.clone())
        .collect();
    v.sort();
    v
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn feeds_are_followed_politely_and_nothing_is_fetched_twice() {
    let srv = Server::start().await;
    srv.set_feed(
        "w",
        &["1", "2", "/private/p", "/big", "/image.png", "/fail"],
    );
    srv.set_feed("at", &["3"]);
    srv.set_feed("js", &["4"]);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    let feeds = vec![
        feed(srv.url("/feed/w.xml"), 1),
        feed(srv.url("/atom/at.xml"), 1),
        feed(srv.url("/json/js.json"), 1),
        feed(srv.url("/feed/missing.xml"), 1),
    ];
    let seen: Seen = Arc::default();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let path = db.clone();
    let task = tokio::spawn(run(
        config(feeds.clone()),
        move || Store::open(&path),
        collector(&seen),
        async move {
            let _ = stop_rx.await;
        },
    ));
    let first: Vec<String> = ["1", "2", "3", "4"]
        .map(|i| srv.url(&format!("/a/{i}")))
        .to_vec();
    assert!(
        wait_for(Duration::from_secs(10), || urls(&seen) == first).await,
        "{:?}",
        urls(&seen)
    );
    // A new article appears in a feed: it is fetched within one interval (1 s) plus 2 s.
    srv.set_feed(
        "w",
        &["1", "2", "/private/p", "/big", "/image.png", "/fail", "5"],
    );
    let appeared = Instant::now();
    let five = srv.url("/a/5");
    assert!(wait_for(Duration::from_secs(3), || urls(&seen).contains(&five)).await);
    let latency = seen
        .lock()
        .unwrap()
        .iter()
        .find(|(u, _)| *u == five)
        .unwrap()
        .1
        - appeared;
    assert!(latency < Duration::from_secs(3), "{latency:?}");
    // Let a few conditional polls happen, then stop.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    stop_tx.send(()).unwrap();
    let summary = task.await.unwrap().unwrap();
    assert!(summary.not_modified >= 1, "{summary:?}");
    assert!(*srv.shared.conditional.lock().unwrap() >= 1);
    for i in ["1", "2", "3", "4", "5"] {
        assert_eq!(srv.hits(&format!("/a/{i}")), 1, "page {i} fetched once");
    }
    assert_eq!(srv.hits("/private/p"), 0, "robots.txt disallows it");
    assert_eq!(srv.hits("/robots.txt"), 1);
    assert_eq!(
        srv.hits("/big"),
        1,
        "an oversized page is not asked for again"
    );
    assert_eq!(srv.hits("/image.png"), 1);
    let store = Store::open(&db).unwrap();
    let info = |u: &str| store.url_info(&srv.url(u)).unwrap().unwrap();
    assert_eq!(info("/a/1").state, UrlState::Fetched);
    assert_eq!(info("/private/p").state, UrlState::Skipped);
    assert_eq!(info("/big").state, UrlState::Skipped);
    assert_eq!(info("/image.png").state, UrlState::Skipped);
    assert!(info("/big").detail.unwrap().contains("too large"));
    // The failing page is retried on later polls, up to the attempt limit.
    let fail = info("/fail");
    assert_eq!(fail.state, UrlState::Failed);
    assert_eq!(fail.attempts, 3);
    assert_eq!(srv.hits("/fail"), 3);
    // The missing feed is reported and backed off, not dropped.
    let feeds_now = store.feeds().unwrap();
    assert_eq!(feeds_now.len(), 4);
    let missing = feeds_now
        .iter()
        .find(|f| f.url.ends_with("missing.xml"))
        .unwrap();
    assert!(missing.failures >= 1, "{missing:?}");
    assert!(missing.last_error.as_deref().unwrap().contains("404"));
    let good = feeds_now.iter().find(|f| f.url.ends_with("w.xml")).unwrap();
    assert_eq!(good.failures, 0);
    assert!(good.etag.is_some());
    // 7 links, plus the 2 retries of the failing page.
    assert_eq!(good.items_seen, 9);
    // Backoff: fewer polls of the failing feed than of a healthy one.
    assert!(srv.hits("/feed/missing.xml") < srv.hits("/atom/at.xml"));
    drop(store);

    // A restart fetches no page again.
    let seen2: Seen = Arc::default();
    let path = db.clone();
    let summary = run(
        config(feeds),
        move || Store::open(&path),
        collector(&seen2),
        tokio::time::sleep(Duration::from_millis(1500)),
    )
    .await
    .unwrap();
    assert!(summary.polls >= 4, "{summary:?}");
    assert!(urls(&seen2).is_empty(), "{:?}", urls(&seen2));
    for i in ["1", "2", "3", "4", "5"] {
        assert_eq!(srv.hits(&format!("/a/{i}")), 1, "page {i} fetched once");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn feeds_added_to_the_database_while_running_are_followed() {
    let srv = Server::start().await;
    srv.set_feed("late", &["late1"]);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    let seen: Seen = Arc::default();
    let path = db.clone();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(run(
        config(Vec::new()),
        move || Store::open(&path),
        collector(&seen),
        async move {
            let _ = stop_rx.await;
        },
    ));
    tokio::time::sleep(Duration::from_millis(200)).await;
    // `outpost add-feed` from another process: a second connection.
    Store::open(&db)
        .unwrap()
        .add_feed(&feed(srv.url("/feed/late.xml"), 60))
        .unwrap();
    let want = vec![srv.url("/a/late1")];
    assert!(wait_for(Duration::from_secs(5), || urls(&seen) == want).await);
    stop_tx.send(()).unwrap();
    task.await.unwrap().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn alerts_fire_once_per_episode_and_reach_the_webhook() {
    let srv = Server::start().await;
    srv.shared
        .hook_failures
        .store(1, std::sync::atomic::Ordering::SeqCst);
    srv.set_feed("k", &["k1", "k2"]);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    let rules = load_rules(
        r#"
webhook = "unused: the test sets it below"
[[alert]]
name = "kenya-protests"
countries = ["KEN"]
plover = ["protest"]
near = { lat = -1.3, lon = 36.8, radius_km = 50 }

[[alert]]
name = "france"
countries = ["FRA"]
"#,
        "alerts.toml",
    )
    .unwrap();
    let mut cfg = config(vec![feed(srv.url("/feed/k.xml"), 1)]);
    cfg.rules = rules.alert;
    cfg.delivery = Delivery {
        webhook: Some(srv.url("/hook")),
        retry_base: Duration::from_millis(20),
        ..Delivery::default()
    };
    let n = Arc::new(Mutex::new(0));
    let count = n.clone();
    let process = move |doc: RawDoc| {
        let url = doc.url.unwrap_or_default();
        *count.lock().unwrap() += 1;
        Ok(vec![event(
            &format!("ev-{url}"),
            &url,
            "PROTEST",
            "KEN",
            -6.5,
        )])
    };
    let path = db.clone();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(run(cfg, move || Store::open(&path), process, async move {
        let _ = stop_rx.await;
    }));
    let hooks = srv.shared.clone();
    assert!(
        wait_for(Duration::from_secs(10), || hooks
            .hooks
            .lock()
            .unwrap()
            .len()
            == 1)
        .await
    );
    srv.set_feed("k", &["k1", "k2", "k3"]);
    let processed = n.clone();
    assert!(wait_for(Duration::from_secs(5), || *processed.lock().unwrap() == 3).await);
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop_tx.send(()).unwrap();
    let summary = task.await.unwrap().unwrap();
    assert_eq!(summary.alerts, 1, "{summary:?}");
    let got = srv.shared.hooks.lock().unwrap().clone();
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0]["rule"], "kenya-protests");
    assert_eq!(got[0]["details"]["trigger"], "any");
    assert_eq!(srv.hits("/hook"), 2, "the failed POST was retried");
    let alerts = Store::open(&db).unwrap().alerts(10).unwrap();
    assert_eq!(alerts.len(), 1);
    assert!(alerts[0].delivered);
    assert_eq!(alerts[0].rule, "kenya-protests");
}

#[test]
fn any_rules_fire_once_per_episode() {
    let mut store = Store::open_in_memory().unwrap();
    let mut rule = AlertRule::any("r");
    rule.cooldown_hours = 1.0;
    let t0 = Utc.with_ymd_and_hms(2026, 3, 3, 10, 0, 0).unwrap();
    let at = |mins: i64| t0 + chrono::Duration::minutes(mins);
    let e = |i: u32| event(&format!("e{i}"), "art", "PROTEST", "KEN", -6.5);
    let rules = [rule];
    let fire = |store: &mut Store, i: u32, mins: i64| {
        evaluate_alerts_at(store, &rules, &[e(i)], at(mins))
            .unwrap()
            .len()
    };
    assert_eq!(fire(&mut store, 1, 0), 1);
    assert_eq!(fire(&mut store, 2, 30), 0, "same episode");
    assert_eq!(fire(&mut store, 3, 80), 0, "50 min after the last match");
    assert_eq!(fire(&mut store, 4, 200), 1, "quiet for 2 h: a new episode");
    assert_eq!(store.alerts(10).unwrap().len(), 2);
    // No events, no evaluation.
    assert!(
        evaluate_alerts_at(&mut store, &rules, &[], at(500))
            .unwrap()
            .is_empty()
    );
}

#[test]
fn spike_rules_fire_when_the_day_rises_over_its_baseline() {
    let mut store = Store::open_in_memory().unwrap();
    let mut rule = AlertRule::any("spike");
    rule.trigger = Trigger::Spike;
    rule.window_days = 10;
    rule.min_days = 5;
    rule.sigmas = 3.0;
    let rules = [rule];
    let day = |d: u32| Utc.with_ymd_and_hms(2026, 3, d, 12, 0, 0).unwrap();
    let events = |d: u32, n: usize| -> Vec<Event> {
        (0..n)
            .map(|i| {
                event(
                    &format!("d{d}-{i}-{}", rand_suffix()),
                    "a",
                    "PROTEST",
                    "KEN",
                    -6.5,
                )
            })
            .collect()
    };
    let mut fired = Vec::new();
    for d in 1..=8 {
        fired.extend(evaluate_alerts_at(&mut store, &rules, &events(d, 2), day(d)).unwrap());
    }
    assert!(fired.is_empty(), "a steady baseline fires nothing");
    // Day 9: 3 events (under mean 2 + 3 × 1), then 7 more: over.
    assert!(
        evaluate_alerts_at(&mut store, &rules, &events(9, 3), day(9))
            .unwrap()
            .is_empty()
    );
    let f = evaluate_alerts_at(&mut store, &rules, &events(9, 7), day(9)).unwrap();
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].episode, "spike:2026-03-09");
    assert_eq!(f[0].details["value"], 10.0);
    assert!(
        evaluate_alerts_at(&mut store, &rules, &events(9, 5), day(9))
            .unwrap()
            .is_empty()
    );
    // Day 10 still high: the same episode.
    assert!(
        evaluate_alerts_at(&mut store, &rules, &events(10, 15), day(10))
            .unwrap()
            .is_empty()
    );
    // Day 11 quiet, day 12 far higher again: a new episode.
    assert!(
        evaluate_alerts_at(&mut store, &rules, &events(11, 1), day(11))
            .unwrap()
            .is_empty()
    );
    let f = evaluate_alerts_at(&mut store, &rules, &events(12, 40), day(12)).unwrap();
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].episode, "spike:2026-03-12");
    assert_eq!(store.alerts(10).unwrap().len(), 2);
}

#[test]
fn spike_rules_need_a_baseline_and_can_follow_goldstein() {
    let mut store = Store::open_in_memory().unwrap();
    let mut rule = AlertRule::any("g");
    rule.trigger = Trigger::Spike;
    rule.metric = Metric::Goldstein;
    rule.window_days = 7;
    rule.min_days = 3;
    let rules = [rule];
    let day = |d: u32| Utc.with_ymd_and_hms(2026, 4, d, 8, 0, 0).unwrap();
    // Day 1: a day over min_value, but no baseline yet.
    let many: Vec<Event> = (0..20)
        .map(|i| event(&format!("x{i}"), "a", "ASSAULT", "KEN", -10.0))
        .collect();
    assert!(
        evaluate_alerts_at(&mut store, &rules, &many[..1], day(1))
            .unwrap()
            .is_empty()
    );
    for d in 2..=4 {
        // Cooperative events lower the index.
        let calm = vec![event(&format!("c{d}"), "a", "AID", "KEN", 7.0)];
        assert!(
            evaluate_alerts_at(&mut store, &rules, &calm, day(d))
                .unwrap()
                .is_empty()
        );
    }
    // Baseline [10, −7, −7, −7]: mean −2.75, sd ≈ 7.36, threshold ≈ 19.3.
    assert!(
        evaluate_alerts_at(&mut store, &rules, &many[..1], day(5))
            .unwrap()
            .is_empty()
    );
    let f = evaluate_alerts_at(&mut store, &rules, &many[1..3], day(5)).unwrap();
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].details["metric"], "goldstein");
    assert_eq!(f[0].details["value"], 30.0);
}

fn rand_suffix() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

#[test]
fn rules_match_on_every_criterion() {
    let e = event("e", "a", "PROTEST", "KEN", -6.5);
    let mut r = AlertRule::any("r");
    assert!(r.matches(&e));
    r.countries = vec!["ken".into()];
    assert!(r.matches(&e));
    r.actors = vec!["KENG".into()];
    assert!(r.matches(&e), "target KENGOV starts with KENG");
    r.actors = vec!["FRA".into()];
    assert!(!r.matches(&e));
    r.actors.clear();
    r.quad_class = vec![4];
    assert!(!r.matches(&e));
    r.quad_class = vec![3, 4];
    assert!(r.matches(&e));
    r.near = Some(Near {
        lat: -4.04,
        lon: 39.67,
        radius_km: 100.0,
    });
    assert!(!r.matches(&e), "Mombasa is ~440 km from the event");
    r.near = Some(Near {
        lat: -4.04,
        lon: 39.67,
        radius_km: 500.0,
    });
    assert!(r.matches(&e));
    r.plover = vec!["ASSAULT".into()];
    assert!(!r.matches(&e));
    let mut no_place = e.clone();
    no_place.location = None;
    r.plover.clear();
    assert!(!r.matches(&no_place), "a place rule needs a located event");
}

#[test]
fn min_sources_counts_the_articles_mentions() {
    let mut store = Store::open_in_memory().unwrap();
    let mut art = outpost_core::Article {
        id: "fp1".into(),
        source: "https://a.example/1".into(),
        url: None,
        title: None,
        date: None,
        modified: None,
        authors: Vec::new(),
        site: None,
        language: None,
        wire: None,
        text: "Protesters marched.".into(),
    };
    store.insert_article(&art, &[]).unwrap();
    let mut rule = AlertRule::any("two-sources");
    rule.min_sources = 2;
    let rules = [rule];
    let e = event("e1", "fp1", "PROTEST", "KEN", -6.5);
    assert!(
        evaluate_alerts_at(&mut store, &rules, std::slice::from_ref(&e), Utc::now())
            .unwrap()
            .is_empty()
    );
    art.source = "https://b.example/copy".into();
    store.insert_article(&art, &[]).unwrap();
    assert_eq!(
        evaluate_alerts_at(&mut store, &rules, &[e], Utc::now())
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn rule_files_are_checked() {
    let ok = load_rules(
        "stdout = true\n[[alert]]\nname = \"a\"\ntrigger = \"spike\"\nmetric = \"goldstein\"\n",
        "a.toml",
    )
    .unwrap();
    assert!(ok.stdout);
    assert_eq!(ok.alert[0].trigger, Trigger::Spike);
    for (bad, want) in [
        ("[[alert]]\nname = \"a\"\nquad_class = [5]\n", "quad_class"),
        (
            "[[alert]]\nname = \"a\"\n[[alert]]\nname = \"a\"\n",
            "twice",
        ),
        ("[[alert]]\nname = \"a\"\ncountry = [\"KEN\"]\n", "line 3"),
        (
            "[[alert]]\nname = \"a\"\ntrigger = \"sometimes\"\n",
            "line 3",
        ),
        (
            "[[alert]]\nname = \"a\"\nnear = { lat = 95.0, lon = 0.0, radius_km = 5.0 }\n",
            "near",
        ),
    ] {
        let e = load_rules(bad, "a.toml").unwrap_err().to_string();
        assert!(e.contains(want) && e.contains("a.toml"), "{bad}: {e}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panicking_pipeline_stops_the_run_with_an_error() {
    let srv = Server::start().await;
    srv.set_feed("p", &["p1", "p2"]);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    let path = db.clone();
    let outcome = tokio::time::timeout(
        Duration::from_secs(10),
        run(
            config(vec![feed(srv.url("/feed/p.xml"), 1)]),
            move || Store::open(&path),
            |_doc: RawDoc| -> Result<Vec<Event>, String> { panic!("pipeline bug") },
            std::future::pending::<()>(),
        ),
    )
    .await
    .expect("the run ends by itself");
    assert!(outcome.is_err());
    // The page whose processing died is not marked fetched: it is fetched again next time.
    let store = Store::open(&db).unwrap();
    assert!(store.url_info(&srv.url("/a/p1")).unwrap().is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stored_rules_are_used_and_failed_deliveries_retried_on_the_next_start() {
    let srv = Server::start().await;
    srv.shared
        .hook_failures
        .store(1000, std::sync::atomic::Ordering::SeqCst);
    srv.set_feed("d", &["d1"]);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    {
        // A rule added through the API (stored), and a broken one that is ignored.
        let mut store = Store::open(&db).unwrap();
        let mut rule = AlertRule::any("api-rule");
        rule.plover = vec!["PROTEST".into()];
        outpost_watch::save_rule(&mut store, &rule).unwrap();
        store
            .put_alert_rule(
                "broken",
                &serde_json::json!({"name": "broken", "quad_class": [9]}),
            )
            .unwrap();
        let mut bad = AlertRule::any("bad");
        bad.window_days = 0;
        assert!(outpost_watch::save_rule(&mut store, &bad).is_err());
    }
    let make_config = || {
        let mut cfg = config(vec![feed(srv.url("/feed/d.xml"), 1)]);
        cfg.delivery = Delivery {
            webhook: Some(srv.url("/hook")),
            retries: 1,
            retry_base: Duration::from_millis(10),
            ..Delivery::default()
        };
        cfg
    };
    let process = |doc: RawDoc| {
        let url = doc.url.unwrap_or_default();
        Ok(vec![event("ev-d1", &url, "PROTEST", "UGA", -6.5)])
    };
    let path = db.clone();
    let summary = run(
        make_config(),
        move || Store::open(&path),
        process,
        tokio::time::sleep(Duration::from_millis(1500)),
    )
    .await
    .unwrap();
    assert_eq!(summary.alerts, 1, "{summary:?}");
    let alerts = Store::open(&db).unwrap().alerts(10).unwrap();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].rule, "api-rule");
    assert!(!alerts[0].delivered);
    assert!(alerts[0].delivery_error.as_deref().unwrap().contains("500"));
    assert_eq!(srv.hits("/hook"), 2, "one retry");
    // The webhook is back: the next run delivers the old alert first.
    srv.shared
        .hook_failures
        .store(0, std::sync::atomic::Ordering::SeqCst);
    let path = db.clone();
    let summary = run(
        make_config(),
        move || Store::open(&path),
        |_doc: RawDoc| Ok(Vec::new()),
        tokio::time::sleep(Duration::from_millis(800)),
    )
    .await
    .unwrap();
    assert_eq!(summary.alerts, 0);
    let got = srv.shared.hooks.lock().unwrap().clone();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0]["rule"], "api-rule");
    let alerts = Store::open(&db).unwrap().alerts(10).unwrap();
    assert!(alerts[0].delivered);
    assert_eq!(alerts[0].delivery_error, None);
}
