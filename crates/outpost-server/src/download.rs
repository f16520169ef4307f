//! Streamed downloads of a filtered event list: CSV and JSON Lines.
//!
//! The list is read page by page ([`PAGE`] events, keyset-paged like `/api/events`) and
//! each page is written out as it arrives, so memory stays flat whatever the size. At most
//! `limit` events are written (default [`DEFAULT_ROWS`], at most [`MAX_ROWS`]).

use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::IntoResponse;
use outpost_core::Event;
use outpost_store::Paging;

use crate::App;
use crate::api::{ApiError, ApiResult, parse};

/// Events read per database round trip.
pub const PAGE: usize = 1000;
/// Rows written when the request gives no `limit`.
pub const DEFAULT_ROWS: usize = 100_000;
/// Most rows one download may hold.
pub const MAX_ROWS: usize = 1_000_000;

/// The CSV header, one column per field written by [`csv_row`].
pub const CSV_COLUMNS: &[&str] = &[
    "id",
    "date",
    "date_precision",
    "plover",
    "mode",
    "cameo",
    "quad_class",
    "goldstein",
    "status",
    "source_code",
    "source_country",
    "source_text",
    "target_code",
    "target_country",
    "target_text",
    "location_name",
    "location_country",
    "lat",
    "lon",
    "acled_type",
    "acled_subtype",
    "confidence",
    "article_id",
    "sentence",
    "trigger",
    "evidence",
];

#[derive(Clone, Copy)]
enum Format {
    Csv,
    Jsonl,
}

/// `GET /api/events.csv`.
pub(crate) async fn csv(
    State(app): State<Arc<App>>,
    params: Result<
        axum::extract::Query<Vec<(String, String)>>,
        axum::extract::rejection::QueryRejection,
    >,
) -> ApiResult {
    stream(app, params, Format::Csv).await
}

/// `GET /api/events.jsonl`.
pub(crate) async fn jsonl(
    State(app): State<Arc<App>>,
    params: Result<
        axum::extract::Query<Vec<(String, String)>>,
        axum::extract::rejection::QueryRejection,
    >,
) -> ApiResult {
    stream(app, params, Format::Jsonl).await
}

struct State2 {
    app: Arc<App>,
    filter: outpost_store::Filter,
    paging: Paging,
    left: usize,
    header: bool,
    done: bool,
    format: Format,
}

async fn stream(
    app: Arc<App>,
    params: Result<
        axum::extract::Query<Vec<(String, String)>>,
        axum::extract::rejection::QueryRejection,
    >,
    format: Format,
) -> ApiResult {
    let p = parse(params, &["limit", "sort"])?;
    let rows = p.paging.limit.unwrap_or(DEFAULT_ROWS).min(MAX_ROWS);
    // Check the filter against the database once before committing to a 200.
    {
        let f = p.filter.clone();
        let probe = Paging {
            limit: Some(1),
            cursor: None,
            sort: p.paging.sort,
        };
        app.run(move |s| s.list_events(&f, &probe)).await?;
    }
    let state = State2 {
        app,
        filter: p.filter,
        paging: Paging {
            limit: Some(PAGE.min(rows)),
            cursor: None,
            sort: p.paging.sort,
        },
        left: rows,
        header: matches!(format, Format::Csv),
        done: false,
        format,
    };
    let body = futures_util::stream::unfold(state, |mut st| async move {
        if st.done || st.left == 0 {
            return None;
        }
        let mut out = String::new();
        if st.header {
            out.push_str(&CSV_COLUMNS.join(","));
            out.push('\n');
            st.header = false;
        }
        let f = st.filter.clone();
        let mut paging = st.paging.clone();
        paging.limit = Some(PAGE.min(st.left));
        let fetch = async {
            // The in-memory table finds the page's ids quickly; the database gives the events.
            let app = Arc::clone(&st.app);
            let check = f.clone();
            let found = crate::api::from_cube(&app, &check, move |c, sub| c.list(&f, sub, &paging));
            match found.await? {
                Some((ids, next)) => {
                    let items = st.app.run(move |s| s.events_by_ids(&ids)).await?;
                    Ok(outpost_store::Page {
                        items,
                        next_cursor: next,
                    })
                }
                None => {
                    let (f, paging) = (st.filter.clone(), {
                        let mut p = st.paging.clone();
                        p.limit = Some(PAGE.min(st.left));
                        p
                    });
                    st.app.run(move |s| s.list_events(&f, &paging)).await
                }
            }
        };
        let page = match fetch.await {
            Ok(p) => p,
            Err(e) => {
                let msg = match e {
                    ApiError::BadRequest(m) | ApiError::NotFound(m) | ApiError::Internal(m) => m,
                };
                eprintln!("outpost-server: download stopped: {msg}");
                st.done = true;
                return Some((Err(std::io::Error::other("download stopped")), st));
            }
        };
        st.left = st.left.saturating_sub(page.items.len());
        for e in &page.items {
            match st.format {
                Format::Csv => csv_row(&mut out, e),
                Format::Jsonl => {
                    if let Ok(j) = serde_json::to_string(e) {
                        out.push_str(&j);
                        out.push('\n');
                    }
                }
            }
        }
        match page.next_cursor {
            Some(c) => st.paging.cursor = Some(c),
            None => st.done = true,
        }
        Some((Ok::<_, std::io::Error>(out), st))
    });
    let (ctype, name) = match format {
        Format::Csv => ("text/csv; charset=utf-8", "outpost-events.csv"),
        Format::Jsonl => ("application/x-ndjson", "outpost-events.jsonl"),
    };
    let mut resp = Body::from_stream(body).into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(resp)
}

/// Appends one CSV field, quoted when it holds a comma, quote or line break.
fn field(out: &mut String, v: &str) {
    if v.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&v.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(v);
    }
}

/// Appends one event as a CSV row in [`CSV_COLUMNS`] order.
pub(crate) fn csv_row(out: &mut String, e: &Event) {
    let opt = |v: Option<&str>| v.unwrap_or("").to_string();
    let loc = e.location.as_ref();
    let tgt = e.target.as_ref();
    let cells: Vec<String> = vec![
        e.id.clone(),
        e.date.map(|d| d.to_string()).unwrap_or_default(),
        e.date_precision
            .or(e.date.map(|d| d.precision))
            .map(|p| p.as_str().to_string())
            .unwrap_or_default(),
        e.plover.clone(),
        opt(e.mode.as_deref()),
        e.cameo.clone(),
        e.quad_class.to_string(),
        e.goldstein.to_string(),
        e.status.as_str().to_string(),
        e.source.code.clone(),
        opt(e.source.country.as_deref()),
        e.source.text.clone(),
        opt(tgt.map(|t| t.code.as_str())),
        opt(tgt.and_then(|t| t.country.as_deref())),
        opt(tgt.map(|t| t.text.as_str())),
        opt(loc.map(|l| l.name.as_str())),
        opt(loc.and_then(|l| l.country.as_deref())),
        loc.map(|l| l.lat.to_string()).unwrap_or_default(),
        loc.map(|l| l.lon.to_string()).unwrap_or_default(),
        opt(e.acled.as_ref().map(|a| a.event_type.as_str())),
        opt(e.acled.as_ref().map(|a| a.sub_event_type.as_str())),
        e.confidence.to_string(),
        e.evidence.article_id.clone(),
        e.evidence.sentence.to_string(),
        e.evidence.trigger.clone(),
        e.evidence.text.clone(),
    ];
    for (i, c) in cells.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        field(out, c);
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_when_needed() {
        let mut s = String::new();
        field(&mut s, "plain");
        s.push('|');
        field(&mut s, "a,b");
        s.push('|');
        field(&mut s, "say \"hi\"\nnow");
        assert_eq!(s, "plain|\"a,b\"|\"say \"\"hi\"\"\nnow\"");
    }
}
