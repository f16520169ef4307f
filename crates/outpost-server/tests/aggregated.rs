//! The aggregated view over HTTP: one real-world event reported by three articles (one
//! of them republished by another site) is listed once with its counts; every mention and
//! every copy stays reachable.

mod common;

use axum::http::StatusCode;
use chrono::NaiveDate;
use common::{get_json, ids};
use outpost_core::{Actor, Article, Event, EventDate, Evidence, Status};
use outpost_server::router;
use outpost_store::Store;

fn actor(country: &str) -> Actor {
    Actor {
        text: format!("{country} officials"),
        code: format!("{country}GOV"),
        country: Some(country.into()),
        sector: Some("GOV".into()),
        name: None,
    }
}

fn article(id: &str, url: &str, text: &str) -> Article {
    Article {
        id: id.into(),
        source: url.into(),
        url: Some(url.into()),
        title: Some(format!("Report {id}")),
        date: NaiveDate::from_ymd_opt(2024, 5, 7),
        modified: None,
        authors: vec![],
        site: None,
        language: Some("en".into()),
        wire: None,
        text: text.into(),
    }
}

fn talks(id: &str, a: &Article, trigger: &str) -> Event {
    let start = a.text.find(trigger).unwrap();
    Event {
        id: id.into(),
        date: Some(EventDate::day(NaiveDate::from_ymd_opt(2024, 5, 6).unwrap())),
        date_precision: None,
        plover: "CONSULT".into(),
        mode: None,
        cameo: "040".into(),
        goldstein: 1.0,
        quad_class: 1,
        acled: None,
        status: Status::Occurred,
        source: actor(if id == "e2" { "BBB" } else { "AAA" }),
        target: Some(actor(if id == "e2" { "AAA" } else { "BBB" })),
        parties: vec![],
        location: None,
        evidence: Evidence {
            article_id: a.id.clone(),
            sentence: 0,
            text: a.text.clone(),
            trigger: trigger.into(),
            start,
            end: start + trigger.len(),
            sentence_start: 0,
            sentence_end: a.text.len(),
        },
        confidence: 0.9,
        aggregate: None,
    }
}

fn db() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("agg.db");
    let mut store = Store::open(&path).unwrap();
    let a1 = article(
        "a1",
        "https://one.test/talks",
        "Officials of the two countries met on Monday to discuss trade.",
    );
    let a2 = article(
        "a2",
        "https://two.test/x",
        "Delegations from both nations held talks on Monday about tariffs.",
    );
    store
        .insert_article(&a1, &[talks("e1", &a1, "met")])
        .unwrap();
    // Another outlet names the other side first: talks are talks either way.
    store
        .insert_article(&a2, &[talks("e2", &a2, "held talks")])
        .unwrap();
    let mut copy = a1.clone();
    copy.url = Some("https://three.test/syndicated".into());
    copy.source = "https://three.test/syndicated".into();
    store.insert_article(&copy, &[]).unwrap();
    (dir, path)
}

#[tokio::test]
async fn one_event_many_reports() {
    let (_dir, path) = db();
    let app = router(path).unwrap();
    let (s, v) = get_json(&app, "/api/events").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(ids(&v), ["e1"]);
    let agg = &v["events"][0]["aggregate"];
    assert_eq!(agg["id"], "e1");
    assert_eq!(
        (
            &agg["num_mentions"],
            &agg["num_articles"],
            &agg["num_sources"]
        ),
        (&3.into(), &3.into(), &3.into())
    );
    let (_, v) = get_json(&app, "/api/events?view=mentions").await;
    assert_eq!(ids(&v), ["e1", "e2"]);
    let (s, v) = get_json(&app, "/api/events?view=everything").await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    // Aggregates count real-world events.
    let (_, v) = get_json(&app, "/api/aggregates/countries").await;
    assert!(v.to_string().contains("\"count\":1"), "{v}");

    // Any mention leads to the aggregate and all its reports with their evidence.
    let (s, v) = get_json(&app, "/api/events/e2").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["aggregate"]["id"], "e1");
    let mentions = v["mentions"].as_array().unwrap();
    assert_eq!(mentions.len(), 3, "{v}");
    let mut urls: Vec<&str> = mentions
        .iter()
        .map(|m| m["url"].as_str().unwrap())
        .collect();
    urls.sort();
    assert_eq!(
        urls,
        [
            "https://one.test/talks",
            "https://three.test/syndicated",
            "https://two.test/x"
        ]
    );
    assert!(
        mentions
            .iter()
            .any(|m| m["event_id"] == "e2" && m["trigger"] == "held talks")
    );

    // The article view lists every copy in its story cluster.
    let (s, v) = get_json(&app, "/api/articles/a1").await;
    assert_eq!(s, StatusCode::OK);
    let cluster = v["cluster"].as_array().unwrap();
    assert_eq!(cluster.len(), 2, "{v}");
    assert!(cluster.iter().all(|c| c["article_id"] == "a1"));
}
