//! The HTTP API and page, over a temporary database filled with hand-built events.

mod common;

use axum::http::StatusCode;
use common::{HOSTILE, get, get_json, ids, temp_db};
use outpost_server::router;
use outpost_store::Store;

#[tokio::test]
async fn healthz_and_stats() {
    let (_dir, path) = temp_db();
    let app = router(path).unwrap();
    let (s, v) = get_json(&app, "/healthz").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["status"], "ok");
    assert_eq!(
        v["schema_version"],
        outpost_store::migrations::known_version()
    );
    let (s, v) = get_json(&app, "/api/stats").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["articles"], 2);
    assert_eq!(v["events"], 3);
    assert_eq!(v["skipped"], 1);
    assert_eq!(v["by_plover"][0]["key"], "ASSAULT");
    assert_eq!(v["by_plover"][0]["count"], 2);
}

#[tokio::test]
async fn event_listing_and_filters() {
    let (_dir, path) = temp_db();
    let app = router(path).unwrap();
    let (s, v) = get_json(&app, "/api/events").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(ids(&v), ["ev-1", "ev-2", "ev-3"]);
    assert!(v["next_cursor"].is_null());
    // Newest first by default.
    assert_eq!(v["events"][0]["id"], "ev-3");
    let cases: &[(&str, &[&str])] = &[
        ("plover=assault", &["ev-2", "ev-3"]),
        ("country=UGA", &["ev-1"]),
        ("country=som", &["ev-2", "ev-3"]),
        ("status=denied", &["ev-3"]),
        ("quad_class=1", &["ev-1"]),
        ("cameo_root=19", &["ev-2", "ev-3"]),
        ("from=2024-05-07&to=2024-05-08", &["ev-2"]),
        ("article_id=art-two", &["ev-2", "ev-3"]),
        ("q=envoys", &["ev-1"]),
        ("q=border%20shells", &["ev-2", "ev-3"]),
        ("plover=&country=&q=", &["ev-1", "ev-2", "ev-3"]),
        ("plover=ASSAULT&status=occurred", &["ev-2"]),
        ("plover=AID", &[]),
    ];
    for (query, want) in cases {
        let (s, v) = get_json(&app, &format!("/api/events?{query}")).await;
        assert_eq!(s, StatusCode::OK, "{query}: {v}");
        assert_eq!(ids(&v), *want, "{query}");
    }
    // The full Event JSON comes back.
    let (_, v) = get_json(&app, "/api/events?q=envoys").await;
    assert_eq!(v["events"][0]["evidence"]["trigger"], "met");
    assert_eq!(v["events"][0]["target"]["code"], "UGAGOV");
}

#[tokio::test]
async fn cursor_pagination_over_http() {
    let (_dir, path) = temp_db();
    let app = router(path).unwrap();
    let mut seen = Vec::new();
    let mut uri = "/api/events?limit=1&sort=oldest".to_string();
    for _ in 0..10 {
        let (s, v) = get_json(&app, &uri).await;
        assert_eq!(s, StatusCode::OK);
        let page = v["events"].as_array().unwrap();
        assert!(page.len() <= 1);
        seen.extend(page.iter().map(|e| e["id"].as_str().unwrap().to_string()));
        match v["next_cursor"].as_str() {
            Some(c) => uri = format!("/api/events?limit=1&sort=oldest&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(seen, ["ev-1", "ev-2", "ev-3"]);
}

#[tokio::test]
async fn single_event_and_article() {
    let (_dir, path) = temp_db();
    let app = router(path).unwrap();
    let (s, v) = get_json(&app, "/api/events/ev-2").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["id"], "ev-2");
    assert_eq!(v["plover"], "ASSAULT");
    let (s, v) = get_json(&app, "/api/articles/art-two").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["article"]["id"], "art-two");
    assert_eq!(v["article"]["wire"], "Reuters");
    let evs: Vec<&str> = v["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert_eq!(evs, ["ev-2", "ev-3"]);
    // Hostile text is returned as data, inside a JSON string, untouched.
    let (_, v) = get_json(&app, "/api/articles/art-one").await;
    assert_eq!(v["article"]["authors"][0], HOSTILE);
}

#[tokio::test]
async fn unknown_ids_and_routes_are_json_404() {
    let (_dir, path) = temp_db();
    let app = router(path).unwrap();
    for uri in [
        "/api/events/nope",
        "/api/articles/nope",
        "/api/nothing-here",
        "/no/such/page",
    ] {
        let (s, v) = get_json(&app, uri).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{uri}");
        assert!(v["error"].is_string(), "{uri}");
    }
    let long = format!("/api/events/{}", "x".repeat(300));
    let (s, _) = get_json(&app, &long).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn bad_parameters_are_json_400() {
    let (_dir, path) = temp_db();
    let app = router(path).unwrap();
    for query in [
        "from=yesterday",
        "to=2024-02-31",
        "from=2024-06-01&to=2024-01-01",
        "country=Kenya",
        "plover=%3Cb%3E",
        "quad_class=7",
        "status=rumoured",
        "limit=0",
        "limit=lots",
        "cursor=garbage",
        "sort=sideways",
        "q=%21%21",
        "cameo_root=abc",
        "bogus=1",
        "limit=1&limit=2",
    ] {
        let (s, v) = get_json(&app, &format!("/api/events?{query}")).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{query}: {v}");
        let msg = v["error"].as_str().unwrap();
        assert!(!msg.is_empty(), "{query}");
    }
}

#[tokio::test]
async fn page_and_assets_are_self_contained_and_write_data_as_text() {
    let (_dir, path) = temp_db();
    let app = router(path).unwrap();
    let (s, html, headers) = get(&app, "/").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let csp = headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("script-src 'self'") && csp.contains("default-src 'none'"));
    assert!(!csp.contains("unsafe-inline"));
    assert_eq!(headers["x-content-type-options"], "nosniff");
    // No stored data is ever templated into the page itself.
    assert!(!html.contains("<script>alert"));
    assert!(!html.contains("Daily Example"));
    // No inline script (the CSP would block it) and no external assets.
    assert!(html.contains("<script src=\"/assets/app.js\" defer></script>"));
    assert_eq!(html.matches("<script").count(), 1);
    let (s, js, headers) = get(&app, "/assets/app.js").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/javascript")
    );
    let (s, css, _) = get(&app, "/assets/app.css").await;
    assert_eq!(s, StatusCode::OK);
    let (s, world, _) = get(&app, "/assets/world.json").await;
    assert_eq!(s, StatusCode::OK);
    assert!(world.contains("Natural Earth"));
    // The gazetteer's licence asks for credit where places are shown.
    assert!(html.contains("GeoNames") && html.contains("CC BY 4.0"));
    // The SVG namespace is a name, not an address that is fetched.
    let js_code = js.replace("'http://www.w3.org/2000/svg'", "");
    for (name, text) in [
        ("html", &html),
        ("js", &js_code),
        ("css", &css),
        ("world", &world),
    ] {
        for needle in ["http://", "https://", "//cdn", "@import", "url("] {
            assert!(!text.contains(needle), "{name} references {needle}");
        }
    }
    // The script never writes data as HTML.
    for sink in [
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
        "new Function",
        "srcdoc",
    ] {
        assert!(!js.contains(sink), "app.js uses {sink}");
    }
    assert!(js.contains("textContent"));
    // Article links are only made for http(s) URLs.
    assert!(js.contains("/^https?:\\/\\//i.test(m.url)"));
}

#[tokio::test]
async fn real_listener_serves_and_shuts_down() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let (_dir, path) = temp_db();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(outpost_server::serve_on(listener, path, async {
        let _ = rx.await;
    }));
    let mut conn = tokio::net::TcpStream::connect(addr).await.unwrap();
    conn.write_all(b"GET /api/events/ev-1 HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut resp = String::new();
    conn.read_to_string(&mut resp).await.unwrap();
    assert!(resp.starts_with("HTTP/1.1 200"), "{resp}");
    assert!(resp.contains("\"id\":\"ev-1\""));
    tx.send(()).unwrap();
    server.await.unwrap().unwrap();
}

#[tokio::test]
async fn newer_schema_fails_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.db");
    drop(Store::open(&path).unwrap());
    // Simulate a database written by a later version.
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch("PRAGMA user_version = 42;")
        .unwrap();
    assert!(matches!(
        router(path),
        Err(outpost_server::ServerError::Store(
            outpost_store::StoreError::SchemaTooNew { found: 42, .. }
        ))
    ));
}
