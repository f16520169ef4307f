//! The access token: who may use the API and the dashboard.
//!
//! With a token configured, every route except `/healthz` needs it, either as
//! `Authorization: Bearer TOKEN` (scripts) or as the `outpost_token` cookie (browsers). A
//! browser gets the cookie by opening `/?token=TOKEN` once: the server checks it, sets the
//! cookie (HttpOnly, SameSite=Strict, Path=/) and redirects to the same address without the
//! token, so it does not stay in the address bar or the history. Tokens are compared in
//! constant time. Without a token (loopback only) nothing is checked.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::{App, ServerError};

/// Name of the cookie that carries the token.
pub(crate) const COOKIE: &str = "outpost_token";

/// Checks length and characters (the token must fit in a cookie and a header unquoted).
pub(crate) fn check_token_syntax(t: &str) -> Result<(), ServerError> {
    let ok_char = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~');
    if !(16..=256).contains(&t.len()) || !t.bytes().all(ok_char) {
        return Err(ServerError::BadToken(t.chars().count()));
    }
    Ok(())
}

/// Equality whose time does not depend on where the inputs differ.
fn same(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn bearer(req: &Request) -> Option<&str> {
    let v = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, rest) = v.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| rest.trim())
}

fn cookie(req: &Request) -> Option<&str> {
    req.headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .map(|(_, v)| v)
}

/// The raw `token=` value of a query string and the query without it.
fn split_token(query: &str) -> (Option<&str>, String) {
    let mut token = None;
    let mut rest = Vec::new();
    for part in query.split('&') {
        match part.strip_prefix("token=") {
            Some(t) => token = Some(t),
            None if !part.is_empty() => rest.push(part),
            None => {}
        }
    }
    (token, rest.join("&"))
}

/// Middleware: lets a request through when no token is configured or it carries the token.
pub(crate) async fn require_token(
    State(app): State<Arc<App>>,
    req: Request,
    next: Next,
) -> Response {
    let Some(token) = app.token.as_deref() else {
        return next.run(req).await;
    };
    let path = req.uri().path();
    if path == "/healthz" {
        return next.run(req).await;
    }
    if path == "/"
        && let Some(q) = req.uri().query()
        && let (Some(given), rest) = split_token(q)
    {
        if !same(given.as_bytes(), token.as_bytes()) {
            return denied(true);
        }
        let location = if rest.is_empty() {
            "/".to_string()
        } else {
            format!("/?{rest}")
        };
        let cookie = format!("{COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/");
        let mut resp = StatusCode::SEE_OTHER.into_response();
        let h = resp.headers_mut();
        if let (Ok(l), Ok(c)) = (
            HeaderValue::from_str(&location),
            HeaderValue::from_str(&cookie),
        ) {
            h.insert(header::LOCATION, l);
            h.insert(header::SET_COOKIE, c);
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        }
        return resp;
    }
    let given = bearer(&req).or_else(|| cookie(&req));
    match given {
        Some(g) if same(g.as_bytes(), token.as_bytes()) => next.run(req).await,
        _ => denied(!path.starts_with("/api/")),
    }
}

fn denied(page: bool) -> Response {
    let mut resp = if page {
        (
            StatusCode::UNAUTHORIZED,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "This Outpost server needs an access token: open /?token=YOUR_TOKEN once in this \
             browser, or send Authorization: Bearer YOUR_TOKEN.\n",
        )
            .into_response()
    } else {
        (
            StatusCode::UNAUTHORIZED,
            Json(json!({ "error": "access token required (Authorization: Bearer TOKEN)" })),
        )
            .into_response()
    };
    resp.headers_mut()
        .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_is_split_from_the_query() {
        assert_eq!(split_token("token=abc"), (Some("abc"), String::new()));
        assert_eq!(
            split_token("country=KEN&token=abc&q=x"),
            (Some("abc"), "country=KEN&q=x".into())
        );
        assert_eq!(split_token("country=KEN"), (None, "country=KEN".into()));
    }

    #[test]
    fn comparison_is_exact() {
        assert!(same(b"abcdef", b"abcdef"));
        assert!(!same(b"abcdef", b"abcdeg"));
        assert!(!same(b"abc", b"abcd"));
    }
}
