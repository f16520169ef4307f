//! The test database (hand-built events, hostile article text) and request helpers shared
//! by the HTTP tests.

#![allow(dead_code)]

use std::path::PathBuf;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::NaiveDate;
use outpost_core::{Actor, Article, Event, EventDate, Evidence, Location, Status};
use outpost_store::Store;
use serde_json::Value;
use tower::ServiceExt;

pub const HOSTILE: &str = "<script>alert(1)</script><img src=x onerror=alert(2)>";

fn actor(text: &str, code: &str, country: &str) -> Actor {
    Actor {
        text: text.into(),
        code: code.into(),
        country: Some(country.into()),
        sector: None,
        name: None,
    }
}

#[allow(clippy::too_many_arguments)]
fn event(
    id: &str,
    article_id: &str,
    date: &str,
    plover: &str,
    cameo: &str,
    quad: u8,
    status: Status,
    src: &str,
    tgt: Option<&str>,
    text: &str,
    trigger: &str,
) -> Event {
    let start = text.find(trigger).unwrap();
    Event {
        aggregate: None,
        id: id.into(),
        date: EventDate::parse(date),
        date_precision: EventDate::parse(date).map(|d| d.precision),
        plover: plover.into(),
        mode: None,
        cameo: cameo.into(),
        goldstein: 1.0,
        quad_class: quad,
        acled: None,
        status,
        source: actor("officials", &format!("{src}GOV"), src),
        target: tgt.map(|t| actor("their counterparts", &format!("{t}GOV"), t)),
        parties: vec![],
        location: Some(Location {
            name: "Capital City".into(),
            country: Some(src.into()),
            admin1: None,
            lat: 10.0,
            lon: 20.0,
            geonameid: None,
            precision: "city".into(),
        }),
        evidence: Evidence {
            article_id: article_id.into(),
            sentence: 0,
            text: text.into(),
            trigger: trigger.into(),
            start,
            end: start + trigger.len(),
            sentence_start: 0,
            sentence_end: text.len(),
        },
        confidence: 0.9,
    }
}

pub fn temp_db() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("outpost.db");
    let mut store = Store::open(&path).unwrap();
    let t1 = "Envoys met in the capital on Monday.";
    let a1 = Article {
        id: "art-one".into(),
        source: "corpus.jsonl:1".into(),
        title: Some(format!("Talks {HOSTILE}")),
        date: NaiveDate::from_ymd_opt(2024, 5, 6),
        modified: None,
        authors: vec![HOSTILE.into()],
        site: Some("Daily Example".into()),
        url: Some("javascript:alert(3)".into()),
        language: Some("en".into()),
        wire: None,
        text: t1.into(),
    };
    let t2 = format!("Troops fired shells across the border. {HOSTILE}");
    let a2 = Article {
        id: "art-two".into(),
        source: "corpus.jsonl:2".into(),
        title: Some("Clash".into()),
        date: NaiveDate::from_ymd_opt(2024, 5, 8),
        modified: None,
        authors: vec![],
        site: None,
        url: Some("https://news.example/clash".into()),
        language: Some("en".into()),
        wire: Some("Reuters".into()),
        text: t2.clone(),
    };
    let e1 = event(
        "ev-1",
        "art-one",
        "2024-05-06",
        "CONSULT",
        "040",
        1,
        Status::Occurred,
        "KEN",
        Some("UGA"),
        t1,
        "met",
    );
    let e2 = event(
        "ev-2",
        "art-two",
        "2024-05-07",
        "ASSAULT",
        "194",
        4,
        Status::Occurred,
        "ETH",
        Some("SOM"),
        &t2,
        "fired",
    );
    let e3 = event(
        "ev-3",
        "art-two",
        "2024-05-09",
        "ASSAULT",
        "190",
        4,
        Status::Denied,
        "SOM",
        None,
        &t2,
        "shells",
    );
    store.insert_article(&a1, &[e1]).unwrap();
    store.insert_article(&a2, &[e2, e3]).unwrap();
    store.record_skip("broken.html", "no text").unwrap();
    (dir, path)
}

pub async fn get(app: &Router, uri: &str) -> (StatusCode, String, axum::http::HeaderMap) {
    let resp = app
        .clone()
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let body = axum::body::to_bytes(resp.into_body(), 10 << 20)
        .await
        .unwrap();
    (status, String::from_utf8(body.to_vec()).unwrap(), headers)
}

pub async fn get_json(app: &Router, uri: &str) -> (StatusCode, Value) {
    let (status, body, headers) = get(app, uri).await;
    assert!(
        headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json"),
        "{uri}: {:?}",
        headers["content-type"]
    );
    (status, serde_json::from_str(&body).unwrap())
}

pub fn ids(v: &Value) -> Vec<String> {
    let mut out: Vec<String> = v["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect();
    out.sort();
    out
}
