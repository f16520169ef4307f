//! The live-monitoring part of the API: followed feeds, alert rules and fired alerts.
//!
//! | route | answer |
//! | --- | --- |
//! | `GET /api/feeds` | `{"feeds": [FeedState…]}`: every followed feed with its polling state |
//! | `POST /api/feeds` | body `{"url", "name"?, "interval"?, "language"?}`: follow a feed (201 new, 200 updated) |
//! | `DELETE /api/feeds?url=URL` | stop following it (`404` when it was not followed) |
//! | `GET /api/alert-rules` | `{"rules": [AlertRule…]}`: the rules stored through the API |
//! | `GET /api/alert-rules/{name}` | `{"rule": AlertRule}` |
//! | `PUT /api/alert-rules/{name}` | body: an alert rule (as JSON); add (201) or replace (200) it |
//! | `DELETE /api/alert-rules/{name}` | remove it (`404` when unknown) |
//! | `GET /api/alerts?limit=N` | `{"alerts": [AlertRecord…]}`: fired alerts, newest first |
//!
//! A running `outpost watch` on the same database picks up feed and rule changes within its
//! reload period (30 s). Rules from a watcher's `--alerts` file are not listed here: they live
//! in that file.
//!
//! Writes are checked before anything is stored (`outpost_watch::validate_feed`,
//! `AlertRule::validate`), and answered `400 {"error": …}` naming the field at fault. Write
//! bodies must be JSON (`Content-Type: application/json`, else 415). The token middleware
//! guards these routes like every other; in addition a write is refused (403) when its
//! `Origin` header names another site than the request's `Host`, and, when the server runs
//! without a token (loopback only), when `Host` is not a loopback name or address, so a web
//! page in the user's browser cannot add feeds or rules (cross-site requests, DNS
//! rebinding). These answers are never cached.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use outpost_store::watch::FeedSpec;
use outpost_store::{Store, StoreError};
use outpost_watch::AlertRule;
use outpost_watch::config::DEFAULT_INTERVAL_SECS;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::App;
use crate::api::{ApiError, ApiResult};

/// Alerts listed when the request gives no `limit`.
pub(crate) const DEFAULT_ALERTS: usize = 50;
/// Most alerts one request may list.
pub(crate) const MAX_ALERTS: usize = 500;
/// Longest alert-rule name accepted through the API.
pub(crate) const MAX_RULE_NAME: usize = 64;

type Params = Result<Query<Vec<(String, String)>>, QueryRejection>;

/// The body of `POST /api/feeds` (the keys of a feeds file's `[[feed]]` table).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NewFeed {
    url: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    interval: Option<u32>,
    #[serde(default)]
    language: Option<String>,
}

/// Runs `f` with a store that may write, on the blocking pool, once a query slot is free.
async fn run_mut<T, F>(app: &Arc<App>, f: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&mut Store) -> Result<T, StoreError> + Send + 'static,
{
    let _permit = app
        .pool
        .permits
        .acquire()
        .await
        .map_err(|e| ApiError::Internal(format!("semaphore: {e}")))?;
    let app = Arc::clone(app);
    tokio::task::spawn_blocking(move || {
        let mut store = app.pool.take()?;
        let out = f(&mut store);
        app.pool.give_back(store);
        out
    })
    .await
    .map_err(|e| ApiError::Internal(format!("task failed: {e}")))?
    .map_err(ApiError::from)
}

/// A JSON answer with a status.
fn answer(status: StatusCode, v: Value) -> Response {
    (status, Json(v)).into_response()
}

/// A refusal that is not about the parameters (403, 415).
fn refuse(status: StatusCode, msg: &str) -> Response {
    answer(status, json!({ "error": msg }))
}

/// The query parameters, refusing names not in `allowed` and repeated names.
fn params(p: Params, allowed: &[&str]) -> Result<Vec<(String, String)>, ApiError> {
    let Query(pairs) = p.map_err(|e| ApiError::BadRequest(format!("bad query string: {e}")))?;
    let mut seen: Vec<&str> = Vec::new();
    for (k, _) in &pairs {
        if !allowed.contains(&k.as_str()) {
            return Err(ApiError::BadRequest(format!(
                "unknown parameter {k:?} (accepted: {})",
                allowed.join(", ")
            )));
        }
        if seen.contains(&k.as_str()) {
            return Err(ApiError::BadRequest(format!("parameter {k:?} given twice")));
        }
        seen.push(k);
    }
    Ok(pairs)
}

fn param<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// The host part of a `Host` header or an origin's authority (`name`, `1.2.3.4`, `[::1]`),
/// without the port, lower-cased.
fn host_only(authority: &str) -> String {
    let a = authority.trim();
    let host = if let Some(rest) = a.strip_prefix('[') {
        rest.split(']').next().unwrap_or("")
    } else {
        a.rsplit_once(':').map_or(a, |(h, port)| {
            if port.bytes().all(|b| b.is_ascii_digit()) {
                h
            } else {
                a
            }
        })
    };
    host.to_ascii_lowercase()
}

/// Whether a host name is this machine (a loopback address or `localhost`).
fn is_loopback_host(host: &str) -> bool {
    host == "localhost"
        || host.ends_with(".localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Checks that a write comes from this site: JSON when it has a body, no foreign `Origin`,
/// and (without a token) a loopback `Host`. `None` when it may go on.
fn check_write(app: &App, headers: &HeaderMap, has_body: bool) -> Option<Response> {
    let text = |n: header::HeaderName| headers.get(n).and_then(|v| v.to_str().ok());
    let host = text(header::HOST).map(host_only);
    if let Some(origin) = text(header::ORIGIN) {
        let origin_host = origin
            .split_once("://")
            .map(|(_, rest)| host_only(rest.split('/').next().unwrap_or("")));
        if origin_host.is_none() || origin_host != host {
            return Some(refuse(
                StatusCode::FORBIDDEN,
                "cross-site writes are refused (the Origin is not this server)",
            ));
        }
    }
    if app.token.is_none() && host.as_deref().is_some_and(|h| !is_loopback_host(h)) {
        return Some(refuse(
            StatusCode::FORBIDDEN,
            "without an access token, writes are accepted only for a loopback Host",
        ));
    }
    if has_body {
        let json = text(header::CONTENT_TYPE).is_some_and(|ct| {
            ct.split(';')
                .next()
                .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
        });
        if !json {
            return Some(refuse(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "the body must be JSON (Content-Type: application/json)",
            ));
        }
    }
    None
}

/// A JSON body, or a 400 that says where it is malformed.
fn body_json<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|e| ApiError::BadRequest(format!("body: {e}")))
}

/// `GET /api/feeds`: every followed feed with its polling state.
pub(crate) async fn feeds(State(app): State<Arc<App>>, p: Params) -> ApiResult {
    params(p, &[])?;
    let list = app.run(|s| s.feeds()).await?;
    Ok(answer(StatusCode::OK, json!({ "feeds": list })))
}

/// `POST /api/feeds`: follow a feed, or update the name, interval and language of one
/// already followed.
pub(crate) async fn add_feed(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    p: Params,
    body: Bytes,
) -> ApiResult {
    if let Some(r) = check_write(&app, &headers, true) {
        return Ok(r);
    }
    params(p, &[])?;
    let f: NewFeed = body_json(&body)?;
    let spec = FeedSpec {
        url: f.url.trim().to_owned(),
        name: f.name.filter(|n| !n.trim().is_empty()),
        interval_secs: f.interval.unwrap_or(DEFAULT_INTERVAL_SECS),
        language: f.language.filter(|l| !l.trim().is_empty()),
    };
    outpost_watch::validate_feed(&spec).map_err(ApiError::BadRequest)?;
    let (created, feed) = run_mut(&app, move |s| {
        let existed = s.feeds()?.iter().any(|f| f.url == spec.url);
        let id = s.add_feed(&spec)?;
        let feed = s.feeds()?.into_iter().find(|f| f.id == id);
        Ok((!existed, feed))
    })
    .await?;
    let feed = feed.ok_or_else(|| ApiError::Internal("the added feed is missing".into()))?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok(answer(status, json!({ "feed": feed })))
}

/// `DELETE /api/feeds?url=URL`: stop following a feed (its fetched URLs are kept).
pub(crate) async fn remove_feed(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    p: Params,
) -> ApiResult {
    if let Some(r) = check_write(&app, &headers, false) {
        return Ok(r);
    }
    let pairs = params(p, &["url"])?;
    let url = param(&pairs, "url")
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .ok_or_else(|| ApiError::BadRequest("url: the feed's URL is required".into()))?
        .to_owned();
    let u = url.clone();
    if run_mut(&app, move |s| s.remove_feed(&u)).await? {
        Ok(answer(StatusCode::OK, json!({ "removed": url })))
    } else {
        Err(ApiError::NotFound(format!("no followed feed {url:?}")))
    }
}

/// Checks a rule name given in a path.
fn check_rule_name(name: &str) -> Result<(), ApiError> {
    let ok_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
    if name.is_empty() || name.len() > MAX_RULE_NAME || !name.chars().all(ok_char) {
        return Err(ApiError::BadRequest(format!(
            "rule name: 1-{MAX_RULE_NAME} characters from A-Z a-z 0-9 - _ . (got {:?})",
            name.chars().take(80).collect::<String>()
        )));
    }
    Ok(())
}

/// The stored rules, each as its JSON form.
fn stored_rules(s: &Store) -> Result<Vec<Value>, StoreError> {
    Ok(s.alert_rules()?.into_iter().map(|(_, v)| v).collect())
}

/// `GET /api/alert-rules`: the rules stored through the API, by name.
pub(crate) async fn alert_rules(State(app): State<Arc<App>>, p: Params) -> ApiResult {
    params(p, &[])?;
    let rules = app.run(stored_rules).await?;
    Ok(answer(StatusCode::OK, json!({ "rules": rules })))
}

/// `GET /api/alert-rules/{name}`.
pub(crate) async fn alert_rule(
    State(app): State<Arc<App>>,
    Path(name): Path<String>,
    p: Params,
) -> ApiResult {
    params(p, &[])?;
    check_rule_name(&name)?;
    let n = name.clone();
    let found = app
        .run(move |s| {
            Ok(s.alert_rules()?
                .into_iter()
                .find(|(k, _)| *k == n)
                .map(|(_, v)| v))
        })
        .await?;
    match found {
        Some(rule) => Ok(answer(StatusCode::OK, json!({ "rule": rule }))),
        None => Err(ApiError::NotFound(format!("no alert rule {name:?}"))),
    }
}

/// `PUT /api/alert-rules/{name}`: add or replace a rule. The body is the rule as JSON (the
/// keys of an alerts file's `[[alert]]` table); its `name`, when given, must be the path's.
pub(crate) async fn put_alert_rule(
    State(app): State<Arc<App>>,
    Path(name): Path<String>,
    headers: HeaderMap,
    p: Params,
    body: Bytes,
) -> ApiResult {
    if let Some(r) = check_write(&app, &headers, true) {
        return Ok(r);
    }
    params(p, &[])?;
    check_rule_name(&name)?;
    let mut v: Value = body_json(&body)?;
    let Some(obj) = v.as_object_mut() else {
        return Err(ApiError::BadRequest(
            "body: an alert rule is a JSON object".into(),
        ));
    };
    match obj.get("name") {
        None => {
            obj.insert("name".into(), Value::String(name.clone()));
        }
        Some(Value::String(n)) if *n == name => {}
        Some(other) => {
            return Err(ApiError::BadRequest(format!(
                "name: the body names {other} but the path names {name:?}"
            )));
        }
    }
    let rule = AlertRule::from_json(v).map_err(|e| ApiError::BadRequest(format!("rule: {e}")))?;
    let stored =
        serde_json::to_value(&rule).map_err(|e| ApiError::Internal(format!("rule: {e}")))?;
    let out = stored.clone();
    let created = run_mut(&app, move |s| {
        let existed = s.alert_rules()?.iter().any(|(k, _)| *k == rule.name);
        s.put_alert_rule(&rule.name, &stored)?;
        Ok(!existed)
    })
    .await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok(answer(status, json!({ "rule": out })))
}

/// `DELETE /api/alert-rules/{name}` (its fired alerts are kept).
pub(crate) async fn remove_alert_rule(
    State(app): State<Arc<App>>,
    Path(name): Path<String>,
    headers: HeaderMap,
    p: Params,
) -> ApiResult {
    if let Some(r) = check_write(&app, &headers, false) {
        return Ok(r);
    }
    params(p, &[])?;
    check_rule_name(&name)?;
    let n = name.clone();
    if run_mut(&app, move |s| s.remove_alert_rule(&n)).await? {
        Ok(answer(StatusCode::OK, json!({ "removed": name })))
    } else {
        Err(ApiError::NotFound(format!("no alert rule {name:?}")))
    }
}

/// `GET /api/alerts?limit=N`: fired alerts, newest first.
pub(crate) async fn alerts(State(app): State<Arc<App>>, p: Params) -> ApiResult {
    let pairs = params(p, &["limit"])?;
    let limit = match param(&pairs, "limit") {
        None => DEFAULT_ALERTS,
        Some(l) => match l.parse::<usize>() {
            Ok(n) if (1..=MAX_ALERTS).contains(&n) => n,
            _ => {
                return Err(ApiError::BadRequest(format!(
                    "limit: a whole number from 1 to {MAX_ALERTS} (got {l:?})"
                )));
            }
        },
    };
    let list = app.run(move |s| s.alerts(limit)).await?;
    Ok(answer(StatusCode::OK, json!({ "alerts": list })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_lose_their_port() {
        assert_eq!(host_only("127.0.0.1:8710"), "127.0.0.1");
        assert_eq!(host_only("[::1]:8710"), "::1");
        assert_eq!(host_only("LocalHost"), "localhost");
        assert_eq!(host_only("news.example:443"), "news.example");
        assert!(is_loopback_host("localhost"));
        assert!(is_loopback_host("127.0.0.2"));
        assert!(is_loopback_host("::1"));
        assert!(!is_loopback_host("evil.example"));
        assert!(!is_loopback_host("10.0.0.1"));
    }

    #[test]
    fn rule_names_are_plain() {
        assert!(check_rule_name("kenya-unrest_2.v1").is_ok());
        for bad in ["", "a b", "a/b", "<script>", &"x".repeat(MAX_RULE_NAME + 1)] {
            assert!(check_rule_name(bad).is_err(), "{bad}");
        }
    }
}
