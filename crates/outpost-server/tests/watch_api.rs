//! The watch API: feeds, alert rules and fired alerts (input checks, the token, cross-site
//! writes, and what lands in the database).

mod common;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::{get_json, temp_db};
use outpost_server::{ServeOptions, router, router_with};
use outpost_store::Store;
use outpost_store::watch::NewAlert;
use serde_json::{Value, json};
use tower::ServiceExt;

const TOKEN: &str = "watch-token-0123456789";

/// Sends a request (a JSON body when given) and returns the status and JSON answer.
async fn call(
    app: &Router,
    method: Method,
    uri: &str,
    body: Option<&str>,
    headers: &[(&str, &str)],
) -> (StatusCode, Value) {
    let mut req = Request::builder().method(method).uri(uri);
    if body.is_some() {
        req = req.header(header::CONTENT_TYPE, "application/json");
    }
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let req = req
        .body(body.map_or_else(Body::empty, |b| Body::from(b.to_owned())))
        .unwrap();
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let bytes = axum::body::to_bytes(resp.into_body(), 1 << 20)
        .await
        .unwrap();
    let v = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    (status, v)
}

async fn post(app: &Router, uri: &str, body: &str) -> (StatusCode, Value) {
    call(app, Method::POST, uri, Some(body), &[]).await
}

async fn put(app: &Router, uri: &str, body: &str) -> (StatusCode, Value) {
    call(app, Method::PUT, uri, Some(body), &[]).await
}

async fn delete(app: &Router, uri: &str) -> (StatusCode, Value) {
    call(app, Method::DELETE, uri, None, &[]).await
}

#[tokio::test]
async fn feeds_are_added_listed_and_removed() {
    let (_dir, path) = temp_db();
    let app = router(path.clone()).unwrap();
    let (s, v) = get_json(&app, "/api/feeds").await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["feeds"], json!([]));

    let (s, v) = post(
        &app,
        "/api/feeds",
        r#"{"url": "https://news.example/world/rss.xml", "name": "World", "interval": 300, "language": "en"}"#,
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["feed"]["url"], "https://news.example/world/rss.xml");
    assert_eq!(v["feed"]["interval_secs"], 300);
    assert_eq!(v["feed"]["failures"], 0);
    // Defaults, and the same URL again updates it.
    let (s, v) = post(
        &app,
        "/api/feeds",
        r#"{"url": "http://other.example/atom"}"#,
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["feed"]["interval_secs"], 600);
    assert_eq!(v["feed"]["name"], Value::Null);
    let (s, v) = post(
        &app,
        "/api/feeds",
        r#"{"url": "https://news.example/world/rss.xml", "interval": 60}"#,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["feed"]["interval_secs"], 60);

    // The database has what the API said (the watcher reads it from there).
    let urls: Vec<(String, u32)> = Store::open(&path)
        .unwrap()
        .feeds()
        .unwrap()
        .into_iter()
        .map(|f| (f.url, f.interval_secs))
        .collect();
    assert_eq!(
        urls,
        [
            ("https://news.example/world/rss.xml".to_string(), 60),
            ("http://other.example/atom".to_string(), 600)
        ]
    );
    let (_, v) = get_json(&app, "/api/feeds").await;
    assert_eq!(v["feeds"].as_array().unwrap().len(), 2);

    let (s, v) = delete(
        &app,
        "/api/feeds?url=https%3A%2F%2Fnews.example%2Fworld%2Frss.xml",
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["removed"], "https://news.example/world/rss.xml");
    let (s, v) = delete(
        &app,
        "/api/feeds?url=https%3A%2F%2Fnews.example%2Fworld%2Frss.xml",
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{v}");
    let (_, v) = get_json(&app, "/api/feeds").await;
    assert_eq!(v["feeds"][0]["url"], "http://other.example/atom");
    assert_eq!(v["feeds"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn bad_feeds_get_clear_400s() {
    let (_dir, path) = temp_db();
    let app = router(path.clone()).unwrap();
    let cases: &[(&str, &str)] = &[
        ("", "body"),
        ("not json", "body"),
        ("[1, 2]", "body"),
        (r#"{"name": "no url"}"#, "url"),
        (r#"{"url": "ftp://news.example/rss"}"#, "http"),
        (r#"{"url": "javascript:alert(1)"}"#, "http"),
        (
            r#"{"url": "https://user:pw@news.example/rss"}"#,
            "credentials",
        ),
        (r#"{"url": "https://news.example/a b"}"#, "spaces"),
        (
            r#"{"url": "https://news.example/rss", "interval": 0}"#,
            "interval",
        ),
        (
            r#"{"url": "https://news.example/rss", "interval": -5}"#,
            "body",
        ),
        (
            r#"{"url": "https://news.example/rss", "interval": 99999999}"#,
            "interval",
        ),
        (
            r#"{"url": "https://news.example/rss", "language": "<b>"}"#,
            "language",
        ),
        (
            r#"{"url": "https://news.example/rss", "intervall": 5}"#,
            "unknown field",
        ),
    ];
    for (body, says) in cases {
        let (s, v) = post(&app, "/api/feeds", body).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{body}: {v}");
        let msg = v["error"].as_str().unwrap();
        assert!(msg.contains(says), "{body}: {msg}");
    }
    let long = format!(r#"{{"url": "https://news.example/{}"}}"#, "a".repeat(3000));
    let (s, v) = post(&app, "/api/feeds", &long).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    // Not JSON at all.
    let (s, _) = call(
        &app,
        Method::POST,
        "/api/feeds",
        None,
        &[("content-type", "application/x-www-form-urlencoded")],
    )
    .await;
    assert_eq!(s, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let (s, v) = delete(&app, "/api/feeds").await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert!(v["error"].as_str().unwrap().contains("url"));
    let (s, v) = get_json(&app, "/api/feeds?x=1").await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert!(Store::open(&path).unwrap().feeds().unwrap().is_empty());
}

#[tokio::test]
async fn alert_rules_round_trip_and_are_checked() {
    let (_dir, path) = temp_db();
    let app = router(path.clone()).unwrap();
    let (s, v) = get_json(&app, "/api/alert-rules").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["rules"], json!([]));
    let rule = r#"{"countries": ["KEN"], "plover": ["PROTEST"], "near": {"lat": -1.29, "lon": 36.82, "radius_km": 100}}"#;
    let (s, v) = put(&app, "/api/alert-rules/kenya-unrest", rule).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    // Stored with its name and defaults filled in.
    assert_eq!(v["rule"]["name"], "kenya-unrest");
    assert_eq!(v["rule"]["trigger"], "any");
    assert_eq!(v["rule"]["min_sources"], 1);
    let (s, v) = get_json(&app, "/api/alert-rules/kenya-unrest").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["rule"]["countries"], json!(["KEN"]));
    // Replace: 200, and the watcher's own type reads what was stored.
    let spike = r#"{"name": "kenya-unrest", "countries": ["KEN"], "trigger": "spike", "metric": "goldstein", "sigmas": 2.5}"#;
    let (s, v) = put(&app, "/api/alert-rules/kenya-unrest", spike).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let stored = Store::open(&path).unwrap().alert_rules().unwrap();
    assert_eq!(stored.len(), 1);
    let r = outpost_watch::AlertRule::from_json(stored[0].1.clone()).unwrap();
    assert_eq!(r.trigger, outpost_watch::Trigger::Spike);
    assert_eq!(r.sigmas, 2.5);
    let (_, v) = get_json(&app, "/api/alert-rules").await;
    assert_eq!(v["rules"][0]["name"], "kenya-unrest");

    let bad: &[(&str, &str, &str)] = &[
        ("kenya", r#"{"quad_class": [5]}"#, "quad_class"),
        (
            "kenya",
            r#"{"near": {"lat": 95, "lon": 0, "radius_km": 5}}"#,
            "near",
        ),
        ("kenya", r#"{"sigmas": 0}"#, "sigmas"),
        (
            "kenya",
            r#"{"trigger": "sometimes"}"#,
            "expected `any` or `spike`",
        ),
        ("kenya", r#"{"countires": ["KEN"]}"#, "unknown field"),
        ("kenya", r#"{"name": "other"}"#, "path"),
        ("kenya", r#"["KEN"]"#, "object"),
        ("kenya", "{", "body"),
        ("bad%20name", "{}", "rule name"),
        ("%3Cscript%3E", "{}", "rule name"),
    ];
    for (name, body, says) in bad {
        let (s, v) = put(&app, &format!("/api/alert-rules/{name}"), body).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{name} {body}: {v}");
        let msg = v["error"].as_str().unwrap();
        assert!(msg.contains(says), "{body}: {msg}");
    }
    assert_eq!(Store::open(&path).unwrap().alert_rules().unwrap().len(), 1);

    let (s, _) = delete(&app, "/api/alert-rules/kenya-unrest").await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = delete(&app, "/api/alert-rules/kenya-unrest").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = get_json(&app, "/api/alert-rules/kenya-unrest").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn fired_alerts_are_listed_newest_first() {
    let (_dir, path) = temp_db();
    {
        let mut store = Store::open(&path).unwrap();
        for i in 0..3 {
            store
                .insert_alert(&NewAlert {
                    rule: "kenya-unrest".into(),
                    episode: format!("ep-{i}"),
                    title: format!("Episode {i} <script>alert(1)</script>"),
                    details: json!({ "events": [format!("ev-{i}")] }),
                })
                .unwrap();
        }
    }
    let app = router(path).unwrap();
    let (s, v) = get_json(&app, "/api/alerts").await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let list = v["alerts"].as_array().unwrap();
    assert_eq!(list.len(), 3);
    assert_eq!(list[0]["episode"], "ep-2");
    assert_eq!(list[0]["rule"], "kenya-unrest");
    assert_eq!(list[0]["details"]["events"][0], "ev-2");
    assert!(list[0]["fired_at"].as_str().unwrap().contains('T'));
    let (_, v) = get_json(&app, "/api/alerts?limit=1").await;
    assert_eq!(v["alerts"].as_array().unwrap().len(), 1);
    for bad in ["limit=0", "limit=501", "limit=x", "rule=kenya"] {
        let (s, v) = get_json(&app, &format!("/api/alerts?{bad}")).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{bad}: {v}");
    }
}

#[tokio::test]
async fn writes_need_the_token_and_this_site() {
    let (_dir, path) = temp_db();
    let opts = ServeOptions {
        token: Some(TOKEN.into()),
        ..Default::default()
    };
    let app = router_with(path.clone(), &opts).unwrap();
    let feed = r#"{"url": "https://news.example/rss"}"#;
    let bearer = format!("Bearer {TOKEN}");
    // No token, a wrong token: 401 for reads and writes.
    for (m, uri, body) in [
        (Method::GET, "/api/feeds", None),
        (Method::POST, "/api/feeds", Some(feed)),
        (
            Method::DELETE,
            "/api/feeds?url=https://news.example/rss",
            None,
        ),
        (Method::GET, "/api/alert-rules", None),
        (Method::PUT, "/api/alert-rules/r1", Some("{}")),
        (Method::DELETE, "/api/alert-rules/r1", None),
        (Method::GET, "/api/alerts", None),
    ] {
        let (s, _) = call(&app, m.clone(), uri, body, &[]).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED, "{m} {uri}");
        let (s, _) = call(
            &app,
            m.clone(),
            uri,
            body,
            &[("authorization", "Bearer watch-token-0123456780")],
        )
        .await;
        assert_eq!(s, StatusCode::UNAUTHORIZED, "{m} {uri}");
    }
    assert!(Store::open(&path).unwrap().feeds().unwrap().is_empty());
    // With the token (header or cookie) it works.
    let (s, v) = call(
        &app,
        Method::POST,
        "/api/feeds",
        Some(feed),
        &[("authorization", &bearer)],
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let cookie = format!("outpost_token={TOKEN}");
    let (s, v) = call(
        &app,
        Method::PUT,
        "/api/alert-rules/r1",
        Some("{}"),
        &[("cookie", &cookie), ("host", "outpost.example:8710")],
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    // A page of another site cannot write, even with the user's cookie.
    let (s, v) = call(
        &app,
        Method::DELETE,
        "/api/alert-rules/r1",
        None,
        &[
            ("cookie", &cookie),
            ("host", "outpost.example:8710"),
            ("origin", "https://evil.example"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
    // The dashboard itself (same origin) can.
    let (s, v) = call(
        &app,
        Method::DELETE,
        "/api/alert-rules/r1",
        None,
        &[
            ("cookie", &cookie),
            ("host", "outpost.example:8710"),
            ("origin", "http://outpost.example:8710"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
}

#[tokio::test]
async fn without_a_token_writes_come_from_loopback_only() {
    let (_dir, path) = temp_db();
    let app = router(path.clone()).unwrap();
    let feed = r#"{"url": "https://news.example/rss"}"#;
    // DNS rebinding: a foreign name that resolves to 127.0.0.1.
    let (s, _) = call(
        &app,
        Method::POST,
        "/api/feeds",
        Some(feed),
        &[("host", "rebound.evil.example:8710")],
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // A cross-site form post (no JSON content type) or fetch (foreign Origin).
    let (s, _) = call(
        &app,
        Method::POST,
        "/api/feeds",
        None,
        &[("host", "127.0.0.1:8710"), ("content-type", "text/plain")],
    )
    .await;
    assert_eq!(s, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let (s, _) = call(
        &app,
        Method::POST,
        "/api/feeds",
        Some(feed),
        &[
            ("host", "127.0.0.1:8710"),
            ("origin", "https://evil.example"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = call(
        &app,
        Method::POST,
        "/api/feeds",
        Some(feed),
        &[("origin", "null")],
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert!(Store::open(&path).unwrap().feeds().unwrap().is_empty());
    for host in ["127.0.0.1:8710", "localhost:8710", "[::1]:8710"] {
        let (s, v) = call(
            &app,
            Method::POST,
            "/api/feeds",
            Some(feed),
            &[("host", host), ("origin", &format!("http://{host}"))],
        )
        .await;
        assert!(s.is_success(), "{host}: {s} {v}");
    }
    // Reads are not affected.
    let (s, _) = call(
        &app,
        Method::GET,
        "/api/feeds",
        None,
        &[("host", "rebound.evil.example")],
    )
    .await;
    assert_eq!(s, StatusCode::OK);
}
