//! The analyst's API: new filters, aggregates, downloads, mentions, the access token and the
//! OpenAPI document (kept in sync with the router).

mod common;

use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{get, get_json, ids, temp_db};
use outpost_server::{ServeOptions, ServerError, router, router_with};
use serde_json::Value;
use tower::ServiceExt;

#[tokio::test]
async fn new_filters_select_events() {
    let (_dir, path) = temp_db();
    let app = router(path).unwrap();
    let cases: &[(&str, &[&str])] = &[
        ("actor=ETH", &["ev-2"]),
        ("actor=somgov", &["ev-2", "ev-3"]),
        ("actor=KENG", &["ev-1"]),
        ("actor=KENX", &[]),
        ("bbox=19,9,21,11", &["ev-1", "ev-2", "ev-3"]),
        ("bbox=21,9,22,11", &[]),
        ("near=10,20&radius_km=5", &["ev-1", "ev-2", "ev-3"]),
        ("near=10.5,20&radius_km=30", &[]),
        ("near=10.5,20&radius_km=60", &["ev-1", "ev-2", "ev-3"]),
        ("dyad=ETH-SOM", &["ev-2"]),
        ("dyad=SOM-ETH", &[]),
        ("acled_type=Battles", &[]),
        ("actor=SOM&status=denied", &["ev-3"]),
    ];
    for (query, want) in cases {
        let (s, v) = get_json(&app, &format!("/api/events?{query}")).await;
        assert_eq!(s, StatusCode::OK, "{query}: {v}");
        assert_eq!(ids(&v), *want, "{query}");
    }
    for query in [
        "actor=A%20B",
        "bbox=1,2,3",
        "near=10,20",
        "radius_km=3",
        "near=10,20&radius_km=5000",
        "dyad=ETHSOM",
        "bbox=0,0,1,1&near=0,0&radius_km=1",
    ] {
        let (s, v) = get_json(&app, &format!("/api/events?{query}")).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{query}: {v}");
    }
}

#[tokio::test]
async fn aggregates_answer_with_the_right_numbers() {
    let (_dir, path) = temp_db();
    let app = router(path).unwrap();
    let (s, v) = get_json(&app, "/api/aggregates/daily").await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["by"], "quad_class");
    let got: Vec<(String, String, u64)> = v["counts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["day"].as_str().unwrap().into(),
                c["key"].as_str().unwrap().into(),
                c["count"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("2024-05-06".into(), "1".into(), 1),
            ("2024-05-07".into(), "4".into(), 1),
            ("2024-05-09".into(), "4".into(), 1)
        ]
    );
    let (_, v) = get_json(&app, "/api/aggregates/daily?by=plover&plover=assault").await;
    assert_eq!(v["counts"].as_array().unwrap().len(), 2);
    assert_eq!(v["counts"][0]["key"], "ASSAULT");

    let (_, v) = get_json(&app, "/api/aggregates/dyads").await;
    let dyads: Vec<(String, String, u64)> = v["dyads"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["source"].as_str().unwrap().into(),
                d["target"].as_str().unwrap().into(),
                d["count"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        dyads,
        [
            ("ETH".into(), "SOM".into(), 1),
            ("KEN".into(), "UGA".into(), 1)
        ]
    );
    assert_eq!(v["dyads"][0]["mean_goldstein"], 1.0);
    assert_eq!(v["dyads"][0]["conflict"], 1);
    let (_, v) = get_json(&app, "/api/aggregates/dyads?limit=1").await;
    assert_eq!(v["dyads"].as_array().unwrap().len(), 1);

    let (_, v) = get_json(&app, "/api/aggregates/countries").await;
    let countries: Vec<(String, u64)> = v["countries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["key"].as_str().unwrap().into(),
                c["count"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        countries,
        [
            ("SOM".into(), 2),
            ("ETH".into(), 1),
            ("KEN".into(), 1),
            ("UGA".into(), 1)
        ]
    );
    let (_, v) = get_json(&app, "/api/aggregates/countries?role=target").await;
    assert_eq!(v["role"], "target");
    assert_eq!(v["countries"].as_array().unwrap().len(), 2);

    let (_, v) = get_json(&app, "/api/aggregates/places").await;
    assert_eq!(v["places"][0]["name"], "Capital City");
    assert_eq!(v["places"][0]["count"], 3);
    assert_eq!(v["places"][0]["lat"], 10.0);

    let (s, v) = get_json(&app, "/api/aggregates/index?country=SOM").await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert!(v["formula"].as_str().unwrap().contains("mean Goldstein"));
    let days: Vec<&str> = v["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["day"].as_str().unwrap())
        .collect();
    assert_eq!(days, ["2024-05-07", "2024-05-09"]);
    assert_eq!(v["points"][0]["index"], 1.0);
    assert_eq!(v["points"][0]["cooperation"], 1.0);
    assert_eq!(v["points"][0]["conflict"], 0.0);
    let (s, v) = get_json(&app, "/api/aggregates/index?dyad=KEN-UGA").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["points"].as_array().unwrap().len(), 1);
    assert_eq!(v["dyad"]["source"], "KEN");

    for uri in [
        "/api/aggregates/index",
        "/api/aggregates/daily?by=week",
        "/api/aggregates/countries?role=victim",
        "/api/aggregates/dyads?limit=0",
        "/api/aggregates/places?cursor=x",
    ] {
        let (s, v) = get_json(&app, uri).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{uri}: {v}");
    }
}

#[tokio::test]
async fn one_event_comes_with_its_mentions() {
    let (_dir, path) = temp_db();
    let app = router(path).unwrap();
    let (s, v) = get_json(&app, "/api/events/ev-2").await;
    assert_eq!(s, StatusCode::OK);
    let m = &v["mentions"];
    assert_eq!(m.as_array().unwrap().len(), 1);
    assert_eq!(m[0]["text"], v["evidence"]["text"]);
    assert_eq!(m[0]["trigger"], "fired");
    assert_eq!(m[0]["title"], "Clash");
    assert_eq!(m[0]["url"], "https://news.example/clash");
    assert_eq!(v["article"]["id"], "art-two");
    assert_eq!(v["article"]["wire"], "Reuters");
}

#[tokio::test]
async fn downloads_stream_the_filtered_list() {
    let (_dir, path) = temp_db();
    let app = router(path).unwrap();
    let (s, csv, h) = get(&app, "/api/events.csv?sort=oldest").await;
    assert_eq!(s, StatusCode::OK);
    assert!(h["content-type"].to_str().unwrap().starts_with("text/csv"));
    assert!(
        h["content-disposition"]
            .to_str()
            .unwrap()
            .contains("attachment")
    );
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].starts_with("id,date,date_precision,plover"));
    assert_eq!(lines.len(), 4, "{csv}");
    assert!(lines[1].starts_with("ev-1,2024-05-06,day,CONSULT"));
    assert!(
        lines[1].ends_with(",met,Envoys met in the capital on Monday."),
        "{}",
        lines[1]
    );
    // Every row has every column (none of these fields holds a comma).
    for l in &lines[1..] {
        assert!(l.split(',').count() >= 26, "{l}");
    }
    let (_, csv, _) = get(&app, "/api/events.csv?plover=ASSAULT&limit=1").await;
    assert_eq!(csv.lines().count(), 2);

    let (s, jsonl, h) = get(&app, "/api/events.jsonl?country=SOM").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(h["content-type"], "application/x-ndjson");
    let rows: Vec<Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let mut got: Vec<&str> = rows.iter().map(|r| r["id"].as_str().unwrap()).collect();
    got.sort();
    assert_eq!(got, ["ev-2", "ev-3"]);

    let (s, body, _) = get(&app, "/api/events.csv?quad_class=9").await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{body}");
}

#[tokio::test]
async fn long_queries_are_refused() {
    let (_dir, path) = temp_db();
    let app = router(path).unwrap();
    let uri = format!("/api/events?q={}", "a".repeat(5000));
    let (s, _, _) = get(&app, &uri).await;
    assert_eq!(s, StatusCode::URI_TOO_LONG);
}

const TOKEN: &str = "test-token-0123456789";

async fn send(app: &axum::Router, req: Request<Body>) -> axum::response::Response {
    app.clone().oneshot(req).await.unwrap()
}

#[tokio::test]
async fn the_token_guards_every_route_but_health() {
    let (_dir, path) = temp_db();
    let opts = ServeOptions {
        token: Some(TOKEN.into()),
        ..Default::default()
    };
    let app = router_with(path, &opts).unwrap();
    for uri in [
        "/api/events",
        "/api/stats",
        "/api/openapi.json",
        "/api/events.csv",
    ] {
        let r = send(&app, Request::get(uri).body(Body::empty()).unwrap()).await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "{uri}");
        assert_eq!(r.headers()[header::WWW_AUTHENTICATE], "Bearer");
    }
    let r = send(&app, Request::get("/").body(Body::empty()).unwrap()).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let r = send(&app, Request::get("/healthz").body(Body::empty()).unwrap()).await;
    assert_eq!(r.status(), StatusCode::OK);
    // Wrong tokens, in both places.
    let r = send(
        &app,
        Request::get("/api/events")
            .header(header::AUTHORIZATION, "Bearer test-token-0123456788")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let r = send(
        &app,
        Request::get("/?token=nope").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    // The bearer header works.
    let r = send(
        &app,
        Request::get("/api/events")
            .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    // A first visit with ?token= sets the cookie and drops the token from the address.
    let r = send(
        &app,
        Request::get(format!("/?country=SOM&token={TOKEN}&quad_class=4"))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()[header::LOCATION], "/?country=SOM&quad_class=4");
    let cookie = r.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .to_string();
    assert!(cookie.starts_with(&format!("outpost_token={TOKEN};")));
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
    let pair = cookie.split(';').next().unwrap().to_string();
    for uri in ["/", "/api/events", "/assets/app.js"] {
        let r = send(
            &app,
            Request::get(uri)
                .header(header::COOKIE, format!("theme=dark; {pair}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(r.status(), StatusCode::OK, "{uri}");
    }
}

#[tokio::test]
async fn non_loopback_addresses_need_a_token() {
    let (_dir, path) = temp_db();
    let listener = tokio::net::TcpListener::bind("0.0.0.0:0").await.unwrap();
    let err = outpost_server::serve_with(
        listener,
        path.clone(),
        ServeOptions::default(),
        std::future::ready(()),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, ServerError::TokenRequired(_)), "{err}");
    let bad = ServeOptions {
        token: Some("short".into()),
        ..Default::default()
    };
    assert!(matches!(
        router_with(path, &bad),
        Err(ServerError::BadToken(_))
    ));
}

#[tokio::test]
async fn answers_are_cached_for_the_ttl_only() {
    let (_dir, path) = temp_db();
    let opts = ServeOptions {
        cache_ttl: Duration::from_secs(60),
        // The totals would otherwise be refreshed in the background.
        memory_cube: false,
        ..Default::default()
    };
    let app = router_with(path.clone(), &opts).unwrap();
    let (_, v) = get_json(&app, "/api/stats").await;
    assert_eq!(v["events"], 3);
    // A new article appears only after the TTL; with the cache off, at once.
    let mut store = outpost_store::Store::open(&path).unwrap();
    let mut a = store.article("art-one").unwrap().unwrap();
    a.id = "art-three".into();
    store.insert_article(&a, &[]).unwrap();
    let (_, v) = get_json(&app, "/api/stats").await;
    assert_eq!(v["articles"], 2, "cached");
    let fresh = router_with(
        path,
        &ServeOptions {
            cache_ttl: Duration::ZERO,
            memory_cube: false,
            ..Default::default()
        },
    )
    .unwrap();
    let (_, v) = get_json(&fresh, "/api/stats").await;
    assert_eq!(v["articles"], 3);
}

/// The routes the router declares (read from its source, so a new route cannot be missed).
fn declared_routes() -> Vec<String> {
    let src = include_str!("../src/lib.rs");
    src.split(".route(")
        .skip(1)
        .filter_map(|s| s.trim_start().strip_prefix('"'))
        .filter_map(|s| s.split('"').next())
        .map(str::to_string)
        .collect()
}

#[tokio::test]
async fn openapi_documents_every_route_and_parameter() {
    let (_dir, path) = temp_db();
    outpost_store::Store::open(&path)
        .unwrap()
        .put_alert_rule(
            "documented-rule",
            &serde_json::json!({"name": "documented-rule"}),
        )
        .unwrap();
    let app = router(path).unwrap();
    let (s, doc) = get_json(&app, "/api/openapi.json").await;
    assert_eq!(s, StatusCode::OK);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    let routes = declared_routes();
    assert!(routes.len() >= 15, "{routes:?}");
    let api_routes: Vec<&String> = routes
        .iter()
        .filter(|r| r.starts_with("/api/") || *r == "/healthz")
        .collect();
    for r in &api_routes {
        assert!(
            paths.contains_key(r.as_str()),
            "route {r} is not documented"
        );
    }
    for p in paths.keys() {
        assert!(
            routes.iter().any(|r| r == p),
            "documented path {p} is not routed"
        );
    }
    // Every documented parameter is accepted by its route, and every path answers.
    let params = &doc["components"]["parameters"];
    for (p, item) in paths {
        let uri = p
            .replace("/api/events/{id}", "/api/events/ev-1")
            .replace("{id}", "art-one")
            .replace("{name}", "documented-rule");
        let base = if p == "/api/aggregates/index" {
            format!("{uri}?country=SOM")
        } else {
            uri.clone()
        };
        let (s, _, _) = get(&app, &base).await;
        assert_eq!(s, StatusCode::OK, "{base}");
        for param in item["get"]["parameters"].as_array().unwrap() {
            let param = match param.get("$ref").and_then(Value::as_str) {
                Some(r) => &params[r.rsplit('/').next().unwrap()],
                None => param,
            };
            if param["in"] != "query" {
                continue;
            }
            let name = param["name"].as_str().unwrap();
            assert!(
                !param["description"].as_str().unwrap_or("").is_empty()
                    || param["schema"].is_object(),
                "{p} {name}"
            );
            let value = match name {
                "near" | "radius_km" => continue, // only valid together; checked below
                "cursor" => "2024-05-07~ev-2".to_string(),
                "by" => "plover".to_string(),
                "role" => "source".to_string(),
                "limit" => "5".to_string(),
                "sort" => "oldest".to_string(),
                "quad_class" => "4".to_string(),
                _ => match &param["example"] {
                    Value::String(s) => s.clone(),
                    Value::Number(n) => n.to_string(),
                    _ => "x".to_string(),
                },
            };
            let sep = if base.contains('?') { '&' } else { '?' };
            let q = format!("{base}{sep}{name}={}", value.replace(' ', "%20"));
            let (_, body, _) = get(&app, &q).await;
            assert!(!body.contains("unknown parameter"), "{q}: {body}");
        }
    }
    let (s, _) = get_json(&app, "/api/events?near=10,20&radius_km=5").await;
    assert_eq!(s, StatusCode::OK);
}

/// A database of a few hundred varied events (some undated, without target or place).
fn varied_db() -> (tempfile::TempDir, std::path::PathBuf) {
    use outpost_core::{Acled, Actor, Article, Event, EventDate, Evidence, Location, Status};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("varied.db");
    let mut store = outpost_store::Store::open(&path).unwrap();
    let countries = ["KEN", "UGA", "SOM", "ETH", "SDN", "FJI"];
    let places = [
        (-1.29, 36.82),
        (0.35, 32.58),
        (2.05, 45.32),
        (-18.14, 178.44),
    ];
    let types = [
        ("CONSULT", "040", 1, 1.0),
        ("AID", "070", 2, 7.0),
        ("ACCUSE", "112", 3, -2.0),
        ("ASSAULT", "190", 4, -10.0),
        ("PROTEST", "141", 3, -6.5),
    ];
    let mut x: u64 = 42;
    let mut next = |n: usize| {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((x >> 33) as usize) % n
    };
    for a in 0..30 {
        let art = format!("va{a:03}");
        let mut evs = Vec::new();
        for k in 0..10 {
            let (pl, cameo, quad, g) = types[next(types.len())];
            let sc = countries[next(countries.len())];
            let tc = countries[next(countries.len())];
            let day = 1 + next(20) as u32;
            let p = places[next(places.len())];
            let act = |c: &str, sec: &str| Actor {
                text: format!("{c} {sec}"),
                code: format!("{c}{sec}"),
                country: Some(c.into()),
                sector: None,
                name: None,
            };
            evs.push(Event {
                aggregate: None,
                id: format!("{art}-{k}"),
                date: (next(10) != 0).then(|| {
                    EventDate::day(chrono::NaiveDate::from_ymd_opt(2024, 3, day).unwrap())
                }),
                date_precision: None,
                plover: pl.into(),
                mode: None,
                cameo: cameo.into(),
                goldstein: g,
                quad_class: quad,
                acled: (quad == 4).then(|| Acled {
                    event_type: "Battles".into(),
                    sub_event_type: "Armed clash".into(),
                }),
                status: if next(4) == 0 {
                    Status::Claimed
                } else {
                    Status::Occurred
                },
                source: act(sc, ["GOV", "MIL", "REB"][next(3)]),
                target: (next(5) != 0).then(|| act(tc, ["GOV", "CVL"][next(2)])),
                parties: vec![],
                location: (next(4) != 0).then(|| Location {
                    name: format!("Place {}", p.0),
                    country: Some(sc.into()),
                    admin1: None,
                    lat: p.0,
                    lon: p.1,
                    geonameid: None,
                    precision: "city".into(),
                }),
                evidence: Evidence {
                    article_id: art.clone(),
                    sentence: k,
                    text: "Something happened.".into(),
                    trigger: "happened".into(),
                    start: 10,
                    end: 18,
                    sentence_start: 0,
                    sentence_end: 19,
                },
                confidence: 0.7,
            });
        }
        let article = Article {
            id: art.clone(),
            source: art.clone(),
            title: None,
            date: None,
            modified: None,
            authors: vec![],
            site: None,
            url: None,
            language: None,
            wire: None,
            text: "Something happened.".into(),
        };
        store.insert_article(&article, &evs).unwrap();
    }
    (dir, path)
}

#[tokio::test]
async fn the_in_memory_table_answers_like_the_database() {
    let (_dir, path) = varied_db();
    let no_cache = |cube: bool| ServeOptions {
        cache_ttl: Duration::ZERO,
        memory_cube: cube,
        ..Default::default()
    };
    let mem = router_with(path.clone(), &no_cache(true)).unwrap();
    let sql = router_with(path, &no_cache(false)).unwrap();
    let filters = [
        "",
        "from=2024-03-05",
        "to=2024-03-10",
        "from=2024-03-03&to=2024-03-12",
        "country=KEN",
        "country=XXX",
        "actor=SOM",
        "actor=ETHMIL",
        "plover=assault",
        "cameo_root=14",
        "quad_class=3",
        "acled_type=Battles",
        "status=claimed",
        "dyad=KEN-UGA",
        "bbox=30,-5,40,5",
        "bbox=170,-30,-170,0",
        "near=-1.3,36.8&radius_km=50",
        "near=0,34&radius_km=400",
        "country=SOM&quad_class=4&from=2024-03-02",
        "q=GOV",
        "q=uga%20cvl",
        "q=zzzznothing",
        "q=KEN&quad_class=4&from=2024-03-02",
        "q=som&near=2,45&radius_km=100",
    ];
    let mut compared = 0;
    for f in filters {
        for (route, extra) in [
            ("/api/aggregates/daily", ""),
            ("/api/aggregates/daily", "by=plover"),
            ("/api/aggregates/dyads", "limit=7"),
            ("/api/aggregates/countries", ""),
            ("/api/aggregates/countries", "role=location"),
            ("/api/aggregates/places", ""),
            ("/api/aggregates/index", "country=UGA"),
            ("/api/events", "limit=7"),
            ("/api/events", "limit=5&sort=oldest"),
            ("/api/events", "limit=1000"),
        ] {
            if route.ends_with("index") && f.contains("country=") {
                continue;
            }
            let q = [f, extra]
                .iter()
                .filter(|s| !s.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join("&");
            let uri = format!("{route}?{q}");
            let (s1, a) = get_json(&mem, &uri).await;
            let (s2, b) = get_json(&sql, &uri).await;
            assert_eq!((s1, s2), (StatusCode::OK, StatusCode::OK), "{uri}: {a} {b}");
            assert_eq!(a, b, "{uri}");
            compared += 1;
        }
    }
    assert!(compared > 100);
    // Walking every page gives the same events in the same order, both ways.
    for sort in ["newest", "oldest"] {
        let mut walks = Vec::new();
        for app in [&mem, &sql] {
            let mut seen = Vec::new();
            let mut uri = format!("/api/events?limit=13&sort={sort}&quad_class=4");
            loop {
                let (s, v) = get_json(app, &uri).await;
                assert_eq!(s, StatusCode::OK, "{uri}: {v}");
                for e in v["events"].as_array().unwrap() {
                    seen.push(e["id"].as_str().unwrap().to_string());
                }
                match v["next_cursor"].as_str() {
                    Some(c) => {
                        uri = format!("/api/events?limit=13&sort={sort}&quad_class=4&cursor={c}")
                    }
                    None => break,
                }
            }
            walks.push(seen);
        }
        assert!(walks[0].len() > 30, "{}", walks[0].len());
        assert_eq!(walks[0], walks[1], "{sort}");
    }
    // A repeated search reuses its matching rows (the answer cache is keyed by the whole
    // address, the rows by the words only): still the same answers.
    let (_d2, path2) = varied_db();
    let cached = router_with(path2, &ServeOptions::default()).unwrap();
    for uri in [
        "/api/events?q=GOV&limit=9",
        "/api/aggregates/daily?q=GOV&quad_class=4",
        "/api/aggregates/countries?q=GOV&from=2024-03-04",
        "/api/events?q=GOV&limit=9&sort=oldest",
    ] {
        let (_, a) = get_json(&cached, uri).await;
        let (_, b) = get_json(&sql, uri).await;
        assert_eq!(a, b, "{uri}");
    }
    // Downloads (paged through the in-memory table or the database) are identical too.
    for q in [
        "quad_class=4&sort=oldest",
        "country=KEN",
        "limit=17",
        "",
        "q=GOV",
    ] {
        for fmt in ["csv", "jsonl"] {
            let uri = format!("/api/events.{fmt}?{q}");
            let (s1, a, _) = get(&mem, &uri).await;
            let (s2, b, _) = get(&sql, &uri).await;
            assert_eq!((s1, s2), (StatusCode::OK, StatusCode::OK), "{uri}");
            assert!(a.lines().count() > 5, "{uri}");
            assert_eq!(a, b, "{uri}");
        }
    }
    // The table really has data (the comparison is not between two empty answers).
    let (_, v) = get_json(&mem, "/api/aggregates/countries").await;
    assert_eq!(v["countries"].as_array().unwrap().len(), 6);
}
