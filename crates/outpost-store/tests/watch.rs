//! Live-monitoring state (feeds, seen URLs, alert state, alerts), on SQLite and on
//! PostgreSQL alike (each test runs on both; see `common`).

#[macro_use]
mod common;

use common::TestDb;
use outpost_core::Article;
use outpost_store::StoreError;
use outpost_store::watch::{FeedSpec, MAX_URL_ATTEMPTS, NewAlert, PollRecord, UrlState, now_ms};

fn spec(url: &str, interval: u32) -> FeedSpec {
    FeedSpec {
        url: url.into(),
        name: Some("Example desk".into()),
        interval_secs: interval,
        language: Some("en".into()),
    }
}

fn feeds_are_added_updated_and_removed(db: &TestDb) {
    let mut s = db.open();
    let a = s.add_feed(&spec("https://a.example/rss", 300)).unwrap();
    let b = s.add_feed(&spec("https://b.example/atom", 60)).unwrap();
    assert_ne!(a, b);
    // The same URL again updates the settings and keeps the id.
    let mut changed = spec("https://a.example/rss", 120);
    changed.name = None;
    assert_eq!(s.add_feed(&changed).unwrap(), a);
    let feeds = s.feeds().unwrap();
    assert_eq!(feeds.len(), 2);
    assert_eq!(feeds[0].id, a);
    assert_eq!(feeds[0].interval_secs, 120);
    assert_eq!(feeds[0].name, None);
    assert_eq!(feeds[1].language.as_deref(), Some("en"));
    assert_eq!(feeds[1].failures, 0);
    assert!(matches!(
        s.add_feed(&spec("file:///etc/passwd", 60)),
        Err(StoreError::InvalidQuery(_))
    ));
    assert!(s.remove_feed("https://b.example/atom").unwrap());
    assert!(!s.remove_feed("https://b.example/atom").unwrap());
    assert_eq!(s.feeds().unwrap().len(), 1);
}

fn polls_keep_validators_and_count_failures(db: &TestDb) {
    let mut s = db.open();
    let id = s.add_feed(&spec("https://a.example/rss", 300)).unwrap();
    let next = now_ms() + 300_000;
    s.record_poll(
        id,
        &PollRecord {
            ok: true,
            replace_validators: true,
            etag: Some("\"v1\"".into()),
            last_modified: Some("Tue, 03 Mar 2026 10:00:00 GMT".into()),
            next_poll_at: next,
            new_items: 4,
            ..PollRecord::default()
        },
    )
    .unwrap();
    // A 304: validators kept.
    s.record_poll(
        id,
        &PollRecord {
            ok: true,
            next_poll_at: next,
            ..PollRecord::default()
        },
    )
    .unwrap();
    for i in 1..=3 {
        s.record_poll(
            id,
            &PollRecord {
                ok: false,
                error: Some(format!("HTTP status 50{i}")),
                next_poll_at: next + i,
                ..PollRecord::default()
            },
        )
        .unwrap();
    }
    // A new connection sees it all (nothing is only in memory).
    let s2 = db.open();
    let f = &s2.feeds().unwrap()[0];
    assert_eq!(f.etag.as_deref(), Some("\"v1\""));
    assert_eq!(
        f.last_modified.as_deref(),
        Some("Tue, 03 Mar 2026 10:00:00 GMT")
    );
    assert_eq!(f.failures, 3);
    assert_eq!(f.last_error.as_deref(), Some("HTTP status 503"));
    assert_eq!(f.next_poll_at, Some(next + 3));
    assert_eq!(f.items_seen, 4);
    assert!(f.last_ok_at.is_some() && f.last_polled_at >= f.last_ok_at);
    // One success resets the failures.
    s.record_poll(
        id,
        &PollRecord {
            ok: true,
            next_poll_at: next,
            ..PollRecord::default()
        },
    )
    .unwrap();
    let f = &s.feeds().unwrap()[0];
    assert_eq!((f.failures, f.last_error.clone()), (0, None));
    assert!(matches!(
        s.record_poll(id + 1000, &PollRecord::default()),
        Err(StoreError::InvalidQuery(_))
    ));
}

fn urls_are_fetched_once_and_failures_retried_a_few_times(db: &TestDb) {
    let mut s = db.open();
    let feed = s.add_feed(&spec("https://a.example/rss", 300)).unwrap();
    let urls: Vec<String> = [
        "https://a.example/1",
        "https://a.example/2",
        "https://a.example/3",
    ]
    .map(String::from)
    .to_vec();
    assert_eq!(s.unseen_urls(&urls).unwrap(), urls);
    s.record_url(&urls[0], Some(feed), UrlState::Fetched, None)
        .unwrap();
    s.record_url(&urls[1], Some(feed), UrlState::Skipped, Some("robots"))
        .unwrap();
    assert_eq!(
        s.record_url(&urls[2], Some(feed), UrlState::Failed, Some("timed out"))
            .unwrap(),
        1
    );
    // Repeats in the input come out once.
    let mut twice = urls.clone();
    twice.push(urls[2].clone());
    assert_eq!(s.unseen_urls(&twice).unwrap(), vec![urls[2].clone()]);
    for _ in 1..MAX_URL_ATTEMPTS {
        s.record_url(&urls[2], Some(feed), UrlState::Failed, Some("timed out"))
            .unwrap();
    }
    assert!(s.unseen_urls(&urls).unwrap().is_empty());
    let info = s.url_info(&urls[2]).unwrap().unwrap();
    assert_eq!(info.attempts, MAX_URL_ATTEMPTS);
    assert_eq!(info.state, UrlState::Failed);
    assert_eq!(info.feed_id, Some(feed));
    assert_eq!(
        s.url_info(&urls[1]).unwrap().unwrap().detail.as_deref(),
        Some("robots")
    );
    assert!(s.url_info("https://a.example/none").unwrap().is_none());
    // Removing the feed keeps what was fetched.
    s.remove_feed("https://a.example/rss").unwrap();
    let info = s.url_info(&urls[0]).unwrap().unwrap();
    assert_eq!((info.state, info.feed_id), (UrlState::Fetched, None));
}

fn alerts_fire_once_per_episode_and_keep_their_state(db: &TestDb) {
    let mut s = db.open();
    assert!(s.alert_state("r1").unwrap().is_none());
    let st = serde_json::json!({"last_match_ms": 5, "days": {"2026-03-01": [1.0, 2.5]}});
    s.put_alert_state("r1", &st).unwrap();
    s.put_alert_state("r1", &st).unwrap();
    assert_eq!(db.open().alert_state("r1").unwrap(), Some(st));
    let a = NewAlert {
        rule: "r1".into(),
        episode: "any:2026-03-01T10:00:00Z".into(),
        title: "r1: 1 PROTEST event".into(),
        details: serde_json::json!({"events": [{"id": "e1"}]}),
    };
    let id = s.insert_alert(&a).unwrap().expect("new alert");
    assert_eq!(s.insert_alert(&a).unwrap(), None, "same episode again");
    let mut b = a.clone();
    b.episode = "any:2026-03-02T10:00:00Z".into();
    let id2 = s.insert_alert(&b).unwrap().unwrap();
    s.set_alert_delivery(id, false, Some("webhook answered 500"))
        .unwrap();
    s.set_alert_delivery(id2, true, None).unwrap();
    let list = s.alerts(10).unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0].id, id2, "newest first");
    assert!(list[0].delivered);
    assert!(!list[1].delivered);
    assert_eq!(
        list[1].delivery_error.as_deref(),
        Some("webhook answered 500")
    );
    assert_eq!(list[1].details, a.details);
    assert_eq!(s.alerts(1).unwrap().len(), 1);
    let age = chrono::Utc::now() - list[0].fired_at;
    assert!(age.num_seconds().abs() < 60);
}

fn api_alert_rules_are_stored_by_name(db: &TestDb) {
    let mut s = db.open();
    assert!(s.alert_rules().unwrap().is_empty());
    let r1 = serde_json::json!({"name": "b-rule", "countries": ["KEN"]});
    let r2 = serde_json::json!({"name": "a-rule", "trigger": "spike"});
    s.put_alert_rule("b-rule", &r1).unwrap();
    s.put_alert_rule("a-rule", &r2).unwrap();
    let r1b = serde_json::json!({"name": "b-rule", "countries": ["UGA"]});
    s.put_alert_rule("b-rule", &r1b).unwrap();
    let all = db.open().alert_rules().unwrap();
    assert_eq!(all, vec![("a-rule".into(), r2), ("b-rule".into(), r1b)]);
    assert!(s.remove_alert_rule("a-rule").unwrap());
    assert!(!s.remove_alert_rule("a-rule").unwrap());
    assert_eq!(s.alert_rules().unwrap().len(), 1);
    assert!(matches!(
        s.put_alert_rule(" ", &serde_json::json!({})),
        Err(StoreError::InvalidQuery(_))
    ));
}

fn mentions_are_counted_per_article(db: &TestDb) {
    let mut s = db.open();
    let mut art = Article {
        id: "fp-0001".into(),
        source: "https://a.example/1".into(),
        url: Some("https://a.example/1".into()),
        title: Some("Talks".into()),
        date: None,
        modified: None,
        authors: Vec::new(),
        site: Some("a.example".into()),
        language: Some("en".into()),
        wire: None,
        text: "Delegates met on Monday.".into(),
    };
    s.insert_article(&art, &[]).unwrap();
    art.source = "https://b.example/copy".into();
    s.insert_article(&art, &[]).unwrap();
    let counts = s
        .mention_counts(&["fp-0001".into(), "unknown".into()])
        .unwrap();
    assert_eq!(counts, vec![("fp-0001".into(), 2), ("unknown".into(), 0)]);
}

on_both_backends!(
    feeds_are_added_updated_and_removed,
    polls_keep_validators_and_count_failures,
    urls_are_fetched_once_and_failures_retried_a_few_times,
    alerts_fire_once_per_episode_and_keep_their_state,
    api_alert_rules_are_stored_by_name,
    mentions_are_counted_per_article,
);
