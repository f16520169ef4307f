//! JSON handlers, parameter parsing, errors and the per-request guard.

use std::sync::Arc;

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use outpost_core::Status;
use outpost_store::{EventQuery, Sort, StoreError};
use serde_json::json;

use crate::{Pool, REQUEST_TIMEOUT};

/// Longest id accepted in a path before answering 404 without a lookup.
const MAX_ID_LEN: usize = 256;

/// An API failure, answered as `{"error": "..."}` with a matching status.
#[derive(Debug)]
pub(crate) enum ApiError {
    /// 400: the request's parameters are wrong.
    BadRequest(String),
    /// 404: no such id or route.
    NotFound(String),
    /// 500: the server or database failed; details go to stderr, not to the client.
    Internal(String),
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::InvalidQuery(m) => ApiError::BadRequest(m),
            other => ApiError::Internal(other.to_string()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, msg) = match self {
            ApiError::BadRequest(m) => (StatusCode::BAD_REQUEST, m),
            ApiError::NotFound(m) => (StatusCode::NOT_FOUND, m),
            ApiError::Internal(m) => {
                eprintln!("outpost-server: internal error: {m}");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal error".to_string(),
                )
            }
        };
        (status, Json(json!({ "error": msg }))).into_response()
    }
}

type ApiResult = Result<Response, ApiError>;

/// Adds a time limit and protective headers to every response.
pub(crate) async fn guard(req: Request, next: Next) -> Response {
    let mut resp = match tokio::time::timeout(REQUEST_TIMEOUT, next.run(req)).await {
        Ok(r) => r,
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({ "error": "request timed out" })),
        )
            .into_response(),
    };
    let h = resp.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    resp
}

/// 404 for every unknown route.
pub(crate) async fn not_found() -> ApiError {
    ApiError::NotFound("no such route".into())
}

/// `GET /healthz`: the database answers and reports its schema version.
pub(crate) async fn health(State(pool): State<Arc<Pool>>) -> ApiResult {
    let v = pool.run(|s| s.schema_version()).await?;
    Ok(Json(json!({ "status": "ok", "schema_version": v })).into_response())
}

/// `GET /api/events`: a filtered page of events.
pub(crate) async fn events(
    State(pool): State<Arc<Pool>>,
    params: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> ApiResult {
    let Query(params) = params.map_err(|e| ApiError::BadRequest(e.body_text()))?;
    let q = parse_event_query(&params)?;
    let page = pool.run(move |s| s.events(&q)).await?;
    Ok(Json(json!({ "events": page.items, "next_cursor": page.next_cursor })).into_response())
}

/// `GET /api/events/{id}`: one event.
pub(crate) async fn event(State(pool): State<Arc<Pool>>, Path(id): Path<String>) -> ApiResult {
    check_id(&id, "event")?;
    let lookup = id.clone();
    match pool.run(move |s| s.event(&lookup)).await? {
        Some(e) => Ok(Json(e).into_response()),
        None => Err(ApiError::NotFound(format!("no event {id:?}"))),
    }
}

/// `GET /api/articles/{id}`: an article and its events.
pub(crate) async fn article(State(pool): State<Arc<Pool>>, Path(id): Path<String>) -> ApiResult {
    check_id(&id, "article")?;
    let lookup = id.clone();
    let found = pool
        .run(move |s| {
            Ok(match s.article(&lookup)? {
                Some(a) => Some((a, s.events_for_article(&lookup)?)),
                None => None,
            })
        })
        .await?;
    match found {
        Some((article, events)) => {
            Ok(Json(json!({ "article": article, "events": events })).into_response())
        }
        None => Err(ApiError::NotFound(format!("no article {id:?}"))),
    }
}

/// `GET /api/stats`: totals.
pub(crate) async fn stats(State(pool): State<Arc<Pool>>) -> ApiResult {
    let s = pool.run(|s| s.stats()).await?;
    Ok(Json(s).into_response())
}

fn check_id(id: &str, what: &str) -> Result<(), ApiError> {
    if id.is_empty() || id.len() > MAX_ID_LEN {
        return Err(ApiError::NotFound(format!("no {what} with such an id")));
    }
    Ok(())
}

/// Turns query-string pairs into an [`EventQuery`]. Empty values count as absent (as an
/// HTML form sends them); unknown or repeated names and malformed values are errors.
pub(crate) fn parse_event_query(params: &[(String, String)]) -> Result<EventQuery, ApiError> {
    let bad = |m: String| ApiError::BadRequest(m);
    let mut q = EventQuery::default();
    let mut seen: Vec<&str> = Vec::new();
    for (key, value) in params {
        if seen.contains(&key.as_str()) {
            return Err(bad(format!("parameter {key:?} given more than once")));
        }
        seen.push(key);
        let v = value.trim();
        if v.is_empty() {
            continue;
        }
        let date = |v: &str| {
            NaiveDate::parse_from_str(v, "%Y-%m-%d")
                .map_err(|_| bad(format!("{key} must be a date YYYY-MM-DD, not {v:?}")))
        };
        match key.as_str() {
            "from" => q.from = Some(date(v)?),
            "to" => q.to = Some(date(v)?),
            "country" => {
                if !(2..=3).contains(&v.len()) || !v.bytes().all(|b| b.is_ascii_alphabetic()) {
                    return Err(bad(format!("country must be a 3-letter code, not {v:?}")));
                }
                q.country = Some(v.to_ascii_uppercase());
            }
            "plover" => {
                if v.len() > 32 || !v.bytes().all(|b| b.is_ascii_alphabetic() || b == b'_') {
                    return Err(bad(format!("plover must be a PLOVER type name, not {v:?}")));
                }
                q.plover = Some(v.to_ascii_uppercase());
            }
            "cameo_root" => q.cameo_root = Some(v.to_string()),
            "quad_class" => {
                q.quad_class = Some(
                    v.parse()
                        .map_err(|_| bad(format!("quad_class must be 1-4, not {v:?}")))?,
                )
            }
            "status" => q.status = Some(Status::parse(v).ok_or_else(|| {
                bad(format!(
                    "status must be occurred, planned, denied, hypothetical or claimed, not {v:?}"
                ))
            })?),
            "article_id" => q.article_id = Some(v.to_string()),
            "q" => {
                if v.chars().count() > 500 {
                    return Err(bad("q is longer than 500 characters".into()));
                }
                q.text = Some(v.to_string())
            }
            "sort" => {
                q.sort = Sort::parse(v)
                    .ok_or_else(|| bad(format!("sort must be newest or oldest, not {v:?}")))?
            }
            "limit" => {
                q.limit =
                    Some(v.parse().map_err(|_| {
                        bad(format!("limit must be a whole number 1-1000, not {v:?}"))
                    })?)
            }
            "cursor" => q.cursor = Some(v.to_string()),
            other => return Err(bad(format!("unknown parameter {other:?}"))),
        }
    }
    q.validate().map_err(ApiError::from)?;
    Ok(q)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(s: &[(&str, &str)]) -> Vec<(String, String)> {
        s.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn parses_every_parameter() {
        let q = parse_event_query(&pairs(&[
            ("from", "2024-01-01"),
            ("to", "2024-02-01"),
            ("country", "afg"),
            ("plover", "assault"),
            ("cameo_root", "19"),
            ("quad_class", "4"),
            ("status", "denied"),
            ("article_id", "abc"),
            ("q", "shelled"),
            ("sort", "oldest"),
            ("limit", "20"),
            ("cursor", "2024-01-05~e1"),
        ]))
        .unwrap();
        assert_eq!(q.from, NaiveDate::from_ymd_opt(2024, 1, 1));
        assert_eq!(q.to, NaiveDate::from_ymd_opt(2024, 2, 1));
        assert_eq!(q.country.as_deref(), Some("AFG"));
        assert_eq!(q.plover.as_deref(), Some("ASSAULT"));
        assert_eq!(q.cameo_root.as_deref(), Some("19"));
        assert_eq!(q.quad_class, Some(4));
        assert_eq!(q.status, Some(Status::Denied));
        assert_eq!(q.article_id.as_deref(), Some("abc"));
        assert_eq!(q.text.as_deref(), Some("shelled"));
        assert_eq!(q.sort, Sort::Oldest);
        assert_eq!(q.limit, Some(20));
        assert_eq!(q.cursor.as_deref(), Some("2024-01-05~e1"));
    }

    #[test]
    fn empty_values_are_absent() {
        let q = parse_event_query(&pairs(&[("country", ""), ("q", "  "), ("plover", "")])).unwrap();
        assert_eq!(q, EventQuery::default());
    }

    #[test]
    fn rejects_bad_values() {
        for p in [
            ("from", "2024-02-30"),
            ("to", "March"),
            ("country", "Afghanistan"),
            ("plover", "<script>"),
            ("cameo_root", "1a"),
            ("quad_class", "9"),
            ("quad_class", "x"),
            ("status", "maybe"),
            ("sort", "random"),
            ("limit", "-1"),
            ("limit", "0"),
            ("cursor", "nope"),
            ("q", "!!!"),
            ("colour", "red"),
        ] {
            assert!(
                matches!(
                    parse_event_query(&pairs(&[p])),
                    Err(ApiError::BadRequest(_))
                ),
                "{p:?} accepted"
            );
        }
        assert!(parse_event_query(&pairs(&[("limit", "1"), ("limit", "2")])).is_err());
    }
}
