//! A local HTTP test server (127.0.0.1, an ephemeral port) for the watcher's tests.
//!
//! Routes (all counted in `hits`, by path):
//! - `/feed/{name}.xml`: an RSS feed listing the articles set with [`Server::set_feed`], with
//!   an `ETag` that changes when the list changes (answers 304 to a matching
//!   `If-None-Match`); `/atom/{name}.xml` and `/json/{name}.json` the same in Atom / JSON Feed;
//! - `/a/{id}`: an article page; `/gz/{id}`: the same, gzip-encoded;
//! - `/big`: a body of 2 MB; `/slow`: answers after 3 s; `/fail`: always 500;
//!   `/flaky/{id}`: 503 on the first request, then a page; `/image.png`: an image;
//! - `/redirect/{n}`: a chain of n redirects ending at `/a/redirected`;
//!   `/to-other-loopback`: redirects to `http://127.0.0.2:{port}/a/other` (a loopback address
//!   that is not allowed in the safety tests);
//! - `/robots.txt`: disallows `/private/` for `outpost`; `/private/{id}`: an article;
//!   `/to-private`: redirects to `/private/r`;
//! - `POST /hook`: the webhook receiver (keeps each JSON body; the first
//!   `hook_failures` requests answer 500).

#![allow(dead_code)]

use std::collections::HashMap;
use std::io::Write;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;

/// What the server has been asked and what it serves.
#[derive(Default)]
pub struct Shared {
    pub hits: Mutex<HashMap<String, u32>>,
    /// feed name → article ids it lists
    pub feeds: Mutex<HashMap<String, Vec<String>>>,
    pub user_agents: Mutex<Vec<String>>,
    /// If-None-Match headers seen on feed requests.
    pub conditional: Mutex<u32>,
    pub hooks: Mutex<Vec<serde_json::Value>>,
    pub hook_failures: AtomicU32,
    pub port: AtomicU32,
}

/// A running test server.
pub struct Server {
    pub addr: SocketAddr,
    pub shared: Arc<Shared>,
}

impl Server {
    /// Starts a server on 127.0.0.1 (an ephemeral port) inside the current runtime.
    pub async fn start() -> Server {
        let shared = Arc::new(Shared::default());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        shared.port.store(u32::from(addr.port()), Ordering::Relaxed);
        let app = Router::new().fallback(handle).with_state(shared.clone());
        tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        Server { addr, shared }
    }

    /// `http://127.0.0.1:PORT{path}`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Sets the articles a feed lists.
    pub fn set_feed(&self, name: &str, ids: &[&str]) {
        self.shared
            .feeds
            .lock()
            .unwrap()
            .insert(name.into(), ids.iter().map(|s| s.to_string()).collect());
    }

    /// Requests seen for a path.
    pub fn hits(&self, path: &str) -> u32 {
        self.shared
            .hits
            .lock()
            .unwrap()
            .get(path)
            .copied()
            .unwrap_or(0)
    }

    /// All requests seen.
    pub fn total_hits(&self) -> u32 {
        self.shared.hits.lock().unwrap().values().sum()
    }
}

fn page(id: &str) -> String {
    format!(
        "<html><head><title>Report {id}</title></head><body><article><h1>Report {id}</h1>\
         <p>Officials in the capital said on Tuesday that talks over the river dispute \
         would resume next week, according to a statement numbered {id}.</p></article></body></html>"
    )
}

fn respond(status: StatusCode, ctype: &str, body: impl Into<Body>) -> Response {
    let mut r = Response::new(body.into());
    *r.status_mut() = status;
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_str(ctype).unwrap());
    r
}

fn redirect(to: &str) -> Response {
    let mut r = respond(StatusCode::FOUND, "text/plain", "moved");
    r.headers_mut()
        .insert(header::LOCATION, HeaderValue::from_str(to).unwrap());
    r
}

fn feed_body(kind: &str, name: &str, ids: &[String], base: &str) -> (String, &'static str) {
    match kind {
        "atom" => {
            let entries: String = ids
                .iter()
                .map(|id| {
                    format!(
                        "<entry><title>Report {id}</title><id>urn:report:{id}</id>\
                         <updated>2026-03-03T10:00:00Z</updated>\
                         <link rel=\"alternate\" href=\"{base}/a/{id}\"/></entry>"
                    )
                })
                .collect();
            (
                format!(
                    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\
                     <feed xmlns=\"http://www.w3.org/2005/Atom\"><title>{name}</title>\
                     <id>urn:feed:{name}</id><updated>2026-03-03T10:00:00Z</updated>{entries}</feed>"
                ),
                "application/atom+xml",
            )
        }
        "json" => {
            let items: Vec<serde_json::Value> = ids
                .iter()
                .map(|id| serde_json::json!({"id": id, "url": format!("{base}/a/{id}"), "title": id}))
                .collect();
            (
                serde_json::json!({"version": "https://jsonfeed.org/version/1.1", "title": name, "items": items})
                    .to_string(),
                "application/feed+json",
            )
        }
        _ => {
            // Links are relative for `/private/…` and `/big` style ids that start with '/'.
            let items: String = ids
                .iter()
                .map(|id| {
                    let link = if id.starts_with('/') {
                        format!("{base}{id}")
                    } else {
                        format!("{base}/a/{id}")
                    };
                    format!(
                        "<item><title>Report {id}</title><link>{link}</link>\
                         <pubDate>Tue, 03 Mar 2026 10:00:00 GMT</pubDate></item>"
                    )
                })
                .collect();
            (
                format!(
                    "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>{name}</title>\
                     <link>{base}/</link><description>test</description>{items}</channel></rss>"
                ),
                "application/rss+xml",
            )
        }
    }
}

async fn handle(State(s): State<Arc<Shared>>, req: Request) -> Response {
    let path = req.uri().path().to_owned();
    let headers: HeaderMap = req.headers().clone();
    *s.hits.lock().unwrap().entry(path.clone()).or_insert(0) += 1;
    if let Some(ua) = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
    {
        s.user_agents.lock().unwrap().push(ua.to_owned());
    }
    let port = s.port.load(Ordering::Relaxed);
    let base = format!("http://127.0.0.1:{port}");
    let parts: Vec<&str> = path.trim_start_matches('/').splitn(2, '/').collect();
    match parts.as_slice() {
        ["hook"] => {
            let body = axum::body::to_bytes(req.into_body(), 1 << 20)
                .await
                .unwrap();
            if s.hook_failures
                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                .is_ok()
            {
                return respond(StatusCode::INTERNAL_SERVER_ERROR, "text/plain", "down");
            }
            let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
            s.hooks.lock().unwrap().push(v);
            respond(StatusCode::OK, "text/plain", "ok")
        }
        ["robots.txt"] => respond(
            StatusCode::OK,
            "text/plain",
            "User-agent: *\nDisallow: /nobody/\n\nUser-agent: outpost\nDisallow: /private/\n",
        ),
        [kind @ ("feed" | "atom" | "json"), file] => {
            let name = file.split('.').next().unwrap_or("");
            let ids = s.feeds.lock().unwrap().get(name).cloned();
            let Some(ids) = ids else {
                return respond(StatusCode::NOT_FOUND, "text/plain", "no feed");
            };
            let etag = format!("\"{}-{}\"", ids.len(), ids.join(",").len());
            if headers
                .get(header::IF_NONE_MATCH)
                .is_some_and(|v| v.as_bytes() == etag.as_bytes())
            {
                *s.conditional.lock().unwrap() += 1;
                let mut r = respond(StatusCode::NOT_MODIFIED, "text/plain", "");
                r.headers_mut()
                    .insert(header::ETAG, HeaderValue::from_str(&etag).unwrap());
                return r;
            }
            let (body, ctype) = feed_body(kind, name, &ids, &base);
            let mut r = respond(StatusCode::OK, ctype, body);
            r.headers_mut()
                .insert(header::ETAG, HeaderValue::from_str(&etag).unwrap());
            r
        }
        ["a" | "private", id] => respond(StatusCode::OK, "text/html; charset=utf-8", page(id)),
        ["gz", id] => {
            let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            enc.write_all(page(id).as_bytes()).unwrap();
            let mut r = respond(StatusCode::OK, "text/html", enc.finish().unwrap());
            r.headers_mut()
                .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            r
        }
        ["big"] => respond(StatusCode::OK, "text/html", vec![b'x'; 2 * 1024 * 1024]),
        ["slow"] => {
            tokio::time::sleep(Duration::from_secs(3)).await;
            respond(StatusCode::OK, "text/html", page("slow"))
        }
        ["fail"] => respond(StatusCode::INTERNAL_SERVER_ERROR, "text/plain", "broken"),
        ["flaky", id] => {
            let n = s.hits.lock().unwrap().get(&path).copied().unwrap_or(0);
            if n <= 1 {
                respond(StatusCode::SERVICE_UNAVAILABLE, "text/plain", "busy")
            } else {
                respond(StatusCode::OK, "text/html", page(id))
            }
        }
        ["image.png"] => respond(StatusCode::OK, "image/png", vec![0x89, b'P', b'N', b'G']),
        ["redirect", n] => {
            let n: u32 = n.parse().unwrap_or(0);
            if n == 0 {
                redirect("/a/redirected")
            } else {
                redirect(&format!("/redirect/{}", n - 1))
            }
        }
        ["to-other-loopback"] => redirect(&format!("http://127.0.0.2:{port}/a/other")),
        ["to-localhost"] => redirect(&format!("http://localhost:{port}/a/other")),
        ["to-file"] => redirect("file:///etc/passwd"),
        ["to-private"] => redirect("/private/r"),
        _ => respond(StatusCode::NOT_FOUND, "text/plain", "not found"),
    }
}
