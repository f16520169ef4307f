//! The embedded dashboard: page, script, style sheet and world outlines (from `web/static/`).
//!
//! The page loads only these same-origin files, and a strict Content-Security-Policy
//! forbids inline scripts and every other origin. The script writes data only through
//! `textContent` and attribute setters, never as HTML.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

/// The dashboard page.
pub(crate) const INDEX_HTML: &str = include_str!("../../../web/static/index.html");
/// The dashboard script.
pub(crate) const APP_JS: &str = include_str!("../../../web/static/app.js");
/// The dashboard style sheet.
pub(crate) const APP_CSS: &str = include_str!("../../../web/static/app.css");
/// Country outlines (derived from Natural Earth via world-atlas by `web/scripts/derive-world.mjs`).
pub(crate) const WORLD_JSON: &str = include_str!("../../../web/static/world.json");

/// The policy sent with the page: same-origin script, style and fetches only.
pub(crate) const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
     connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'; \
     frame-ancestors 'none'";

fn asset(body: &'static str, content_type: &'static str, cache: &'static str) -> Response {
    let mut resp = body.into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    resp
}

/// `GET /`.
pub(crate) async fn index() -> Response {
    asset(INDEX_HTML, "text/html; charset=utf-8", "no-cache")
}

/// `GET /assets/app.js`.
pub(crate) async fn script() -> Response {
    asset(APP_JS, "text/javascript; charset=utf-8", "no-cache")
}

/// `GET /assets/app.css`.
pub(crate) async fn style() -> Response {
    asset(APP_CSS, "text/css; charset=utf-8", "no-cache")
}

/// `GET /assets/world.json`.
pub(crate) async fn world() -> Response {
    asset(WORLD_JSON, "application/json", "max-age=86400")
}
