//! JSON handlers, parameter parsing, errors and the per-request guard.

use std::sync::Arc;

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use outpost_core::Status;
use outpost_store::{CountryRole, DailyKey, Filter, Paging, Place, Sort, Store, StoreError};
use serde_json::{Value, json};

use crate::cube::Cube;
use crate::{App, MAX_QUERY_LEN};

/// Longest id accepted in a path before answering 404 without a lookup.
const MAX_ID_LEN: usize = 256;

/// The OpenAPI 3 description of this API.
pub(crate) const OPENAPI: &str = include_str!("openapi.json");

/// How the conflict/cooperation index is computed (also in the OpenAPI document).
pub(crate) const INDEX_FORMULA: &str = "per day: cooperation = sum of positive Goldstein \
     scores, conflict = sum of |negative Goldstein scores|, index = (cooperation - conflict) \
     / events (the mean Goldstein score, -10 hostile .. +10 cooperative)";

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

pub(crate) type ApiResult = Result<Response, ApiError>;
type Params = Result<Query<Vec<(String, String)>>, QueryRejection>;

/// Adds a time limit, a query-length limit and protective headers to every response.
pub(crate) async fn guard(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    let too_long = req.uri().query().is_some_and(|q| q.len() > MAX_QUERY_LEN);
    let mut resp = if too_long {
        (
            StatusCode::URI_TOO_LONG,
            Json(json!({ "error": format!("query string longer than {MAX_QUERY_LEN} bytes") })),
        )
            .into_response()
    } else {
        match tokio::time::timeout(app.timeout, next.run(req)).await {
            Ok(r) => r,
            Err(_) => (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({ "error": "request timed out" })),
            )
                .into_response(),
        }
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

/// A shared JSON text as a response body (the cached copy is sent without copying it).
struct SharedText(Arc<str>);

impl AsRef<[u8]> for SharedText {
    fn as_ref(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

fn json_text(body: Arc<str>) -> Response {
    let mut resp =
        axum::body::Body::from(axum::body::Bytes::from_owner(SharedText(body))).into_response();
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    resp
}

/// Answers from the cache when the same path and query were answered recently, else runs
/// `f` and caches its JSON.
async fn cached<F>(app: &Arc<App>, uri: &Uri, f: F) -> ApiResult
where
    F: FnOnce(&Store) -> Result<Value, StoreError> + Send + 'static,
{
    let key = uri
        .path_and_query()
        .map_or_else(|| uri.path().to_string(), |p| p.as_str().to_string());
    if let Some(hit) = app.cache.get(&key) {
        return Ok(json_text(hit));
    }
    let v = app.run(f).await?;
    let body: Arc<str> = serde_json::to_string(&v)
        .map_err(|e| ApiError::Internal(e.to_string()))?
        .into();
    app.cache.put(key, Arc::clone(&body));
    Ok(json_text(body))
}

/// `GET /healthz`: the database answers and reports its schema version.
pub(crate) async fn health(State(app): State<Arc<App>>) -> ApiResult {
    let v = app.run(|s| s.schema_version()).await?;
    Ok(Json(json!({ "status": "ok", "schema_version": v })).into_response())
}

/// `GET /api/openapi.json`.
pub(crate) async fn openapi() -> Response {
    json_text(OPENAPI.into())
}

/// `GET /api/stats`: totals.
pub(crate) async fn stats(State(app): State<Arc<App>>, uri: Uri) -> ApiResult {
    if let Some(s) = app.snapshot().stats {
        return Ok(json_text(s));
    }
    cached(&app, &uri, |s| Ok(serde_json::to_value(s.stats()?)?)).await
}

/// Runs `f` on the in-memory table when it is enabled and can answer `filter`, off the async
/// threads; `None` when the database must answer. With full-text words the matching event
/// ids come from the database's text index first, and `f` gets their rows.
pub(crate) async fn from_cube<T, F>(
    app: &Arc<App>,
    filter: &Filter,
    f: F,
) -> Result<Option<T>, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&Arc<Cube>, Option<&[u32]>) -> Result<T, StoreError> + Send + 'static,
{
    let Some(cube) = app.snapshot().cube else {
        return Ok(None);
    };
    if !Cube::supports(filter) {
        return Ok(None);
    }
    // The rows matching the words: remembered by the cube (an analyst refines the other
    // filters of one search; dashboards repeat common words), else from the database's text
    // index. The rows stay right for the cube's whole life: events stored after it was built
    // are not in it anyway.
    let subset: Option<Arc<Vec<u32>>> = match &filter.text {
        None => None,
        Some(words) => match cube.text_rows(words) {
            Some(rows) => Some(rows),
            None => Some(text_rows(app, &cube, words).await?),
        },
    };
    // Scans share the query slots with the database work: it bounds CPU, threads and memory.
    let _permit = app
        .pool
        .permits
        .acquire()
        .await
        .map_err(|e| ApiError::Internal(format!("semaphore: {e}")))?;
    tokio::task::spawn_blocking(move || f(&cube, subset.as_deref().map(Vec::as_slice)))
        .await
        .map_err(|e| ApiError::Internal(format!("task failed: {e}")))?
        .map(Some)
        .map_err(ApiError::from)
}

/// The cube rows matching full-text words: from the database's text index, once for all
/// the requests that ask at the same time, then remembered by the cube.
async fn text_rows(
    app: &Arc<App>,
    cube: &Arc<Cube>,
    words: &str,
) -> Result<Arc<Vec<u32>>, ApiError> {
    let search = cube.text_search(words);
    let result = search
        .get_or_try_init(|| async {
            let t = words.to_string();
            let ids = app.run(move |s| s.text_matches(&t)).await?;
            let c = Arc::clone(cube);
            let rows = tokio::task::spawn_blocking(move || Arc::new(c.rows_for_ids(&ids)))
                .await
                .map_err(|e| ApiError::Internal(format!("task failed: {e}")))?;
            cube.remember_text_rows(words.to_string(), Arc::clone(&rows));
            Ok::<_, ApiError>(rows)
        })
        .await
        .cloned();
    cube.text_search_done(words);
    result
}

fn cache_key(uri: &Uri) -> String {
    uri.path_and_query()
        .map_or_else(|| uri.path().to_string(), |p| p.as_str().to_string())
}

/// Answers from the cache, else from the in-memory table (`mem`) when it can, else from the
/// database (`sql`), and caches the JSON.
async fn answer<M, S>(app: &Arc<App>, uri: &Uri, filter: &Filter, mem: M, sql: S) -> ApiResult
where
    M: FnOnce(&Cube, Option<&[u32]>) -> Result<String, StoreError> + Send + 'static,
    S: FnOnce(&Store) -> Result<Value, StoreError> + Send + 'static,
{
    let key = cache_key(uri);
    if let Some(hit) = app.cache.get(&key) {
        return Ok(json_text(hit));
    }
    // The in-memory answers are serialised straight from their rows, on the blocking pool:
    // a year of daily counts as a `Value` tree is tens of thousands of small allocations.
    let text = match from_cube(app, filter, move |c, sub| mem(c, sub)).await? {
        Some(t) => t,
        None => serde_json::to_string(&app.run(sql).await?)
            .map_err(|e| ApiError::Internal(e.to_string()))?,
    };
    let body: Arc<str> = text.into();
    app.cache.put(key, Arc::clone(&body));
    Ok(json_text(body))
}

/// JSON text of an in-memory answer.
fn to_text<T: serde::Serialize>(v: &T) -> Result<String, StoreError> {
    Ok(serde_json::to_string(v)?)
}

/// `{"by", "counts"}` of the daily route.
#[derive(serde::Serialize)]
struct DailyAnswer {
    by: DailyKey,
    counts: Vec<outpost_store::DailyCount>,
}

/// `{"dyads"}` of the dyads route.
#[derive(serde::Serialize)]
struct DyadsAnswer {
    dyads: Vec<outpost_store::Dyad>,
}

/// `{"countries", "role"}` of the countries route.
#[derive(serde::Serialize)]
struct CountriesAnswer {
    countries: Vec<outpost_store::Count>,
    role: CountryRole,
}

/// `{"country", "dyad", "formula", "points"}` of the index route.
#[derive(serde::Serialize)]
struct IndexAnswer {
    country: Option<String>,
    dyad: Value,
    formula: &'static str,
    points: Vec<outpost_store::IndexPoint>,
}

fn limit_or_default(limit: Option<usize>) -> usize {
    limit.unwrap_or(outpost_store::aggregate::DEFAULT_TOP)
}

/// `GET /api/events`: a filtered page of events.
pub(crate) async fn events(State(app): State<Arc<App>>, uri: Uri, params: Params) -> ApiResult {
    let p = parse(params, &["limit", "cursor", "sort"])?;
    let key = cache_key(&uri);
    if let Some(hit) = app.cache.get(&key) {
        return Ok(json_text(hit));
    }
    let (f, paging) = (p.filter.clone(), p.paging.clone());
    let v = match from_cube(&app, &p.filter, move |c, sub| c.list(&f, sub, &paging)).await? {
        Some((ids, next)) => {
            // The stored JSON is passed on as is (it is the serialised Event).
            let items = app.run(move |s| s.event_json_by_ids(&ids)).await?;
            let next =
                serde_json::to_string(&next).map_err(|e| ApiError::Internal(e.to_string()))?;
            let body: Arc<str> = format!(
                "{{\"events\":[{}],\"next_cursor\":{next}}}",
                items.join(",")
            )
            .into();
            app.cache.put(key, Arc::clone(&body));
            return Ok(json_text(body));
        }
        None => {
            app.run(move |s| {
                let page = s.list_events(&p.filter, &p.paging)?;
                Ok(json!({ "events": page.items, "next_cursor": page.next_cursor }))
            })
            .await?
        }
    };
    let body: Arc<str> = v.to_string().into();
    app.cache.put(key, Arc::clone(&body));
    Ok(json_text(body))
}

/// `GET /api/events/{id}`: one event with its aggregate's counts, every mention of the
/// aggregated event it belongs to (each coded sentence in each copy of each article, with
/// its evidence, article title, address and site) and its own article's metadata.
pub(crate) async fn event(State(app): State<Arc<App>>, Path(id): Path<String>) -> ApiResult {
    check_id(&id, "event")?;
    let lookup = id.clone();
    let found = app
        .run(move |s| {
            let Some(e) = s.event(&lookup)? else {
                return Ok(None);
            };
            let a = s.article(&e.evidence.article_id)?;
            let agg = e.aggregate.as_ref().map_or(e.id.clone(), |a| a.id.clone());
            let mentions = s.event_mentions(&agg, MAX_MENTIONS)?;
            let mut ids: Vec<String> = mentions.iter().map(|m| m.event_id.clone()).collect();
            ids.sort();
            ids.dedup();
            let members = s.events_by_ids(&ids)?;
            Ok(Some((e, a, mentions, members)))
        })
        .await?;
    let Some((e, article, mentions, members)) = found else {
        return Err(ApiError::NotFound(format!("no event {id:?}")));
    };
    let internal = |e: serde_json::Error| ApiError::Internal(e.to_string());
    let mut v = serde_json::to_value(&e).map_err(internal)?;
    let summary = article.as_ref().map(|a| {
        json!({
            "id": a.id, "title": a.title, "url": a.url, "site": a.site,
            "date": a.date, "wire": a.wire, "source": a.source,
        })
    });
    let evidence: std::collections::HashMap<&str, &outpost_core::Evidence> = members
        .iter()
        .map(|m| (m.id.as_str(), &m.evidence))
        .collect();
    let mut list = Vec::with_capacity(mentions.len().max(1));
    for m in &mentions {
        let mut item = match evidence.get(m.event_id.as_str()) {
            Some(ev) => serde_json::to_value(ev).map_err(internal)?,
            None => json!({ "article_id": m.article_id, "sentence": m.sentence }),
        };
        if let Some(obj) = item.as_object_mut() {
            obj.insert("event_id".into(), json!(m.event_id));
            obj.insert("confidence".into(), json!(m.confidence));
            obj.insert("source".into(), json!(m.source));
            obj.insert("title".into(), json!(m.title));
            obj.insert("url".into(), json!(m.url));
            obj.insert("site".into(), json!(m.site));
            obj.insert("date".into(), json!(m.date));
        }
        list.push(item);
    }
    if list.is_empty() {
        // Stored before aggregation existed: the event's own evidence is its one mention.
        let mut item = serde_json::to_value(&e.evidence).map_err(internal)?;
        if let (Some(obj), Some(a)) = (item.as_object_mut(), &article) {
            obj.insert("event_id".into(), json!(e.id));
            obj.insert("title".into(), json!(a.title));
            obj.insert("url".into(), json!(a.url));
            obj.insert("site".into(), json!(a.site));
            obj.insert("date".into(), json!(a.date));
        }
        list.push(item);
    }
    if let Some(obj) = v.as_object_mut() {
        obj.insert("mentions".into(), Value::Array(list));
        obj.insert("article".into(), summary.unwrap_or(Value::Null));
    }
    Ok(Json(v).into_response())
}

/// Most mentions listed with one event.
const MAX_MENTIONS: usize = 500;

/// `GET /api/articles/{id}`: an article, its events, and every copy in its story cluster
/// (near-duplicates and syndicated copies, with their URLs and sites).
pub(crate) async fn article(State(app): State<Arc<App>>, Path(id): Path<String>) -> ApiResult {
    check_id(&id, "article")?;
    let lookup = id.clone();
    let found = app
        .run(move |s| {
            Ok(match s.article(&lookup)? {
                Some(a) => Some((
                    a,
                    s.events_for_article(&lookup)?,
                    s.article_cluster(&lookup)?,
                )),
                None => None,
            })
        })
        .await?;
    match found {
        Some((article, events, cluster)) => Ok(Json(
            json!({ "article": article, "events": events, "cluster": cluster }),
        )
        .into_response()),
        None => Err(ApiError::NotFound(format!("no article {id:?}"))),
    }
}

/// `GET /api/aggregates/daily`: events per day, split by QuadClass or PLOVER type.
pub(crate) async fn daily(State(app): State<Arc<App>>, uri: Uri, params: Params) -> ApiResult {
    let p = parse(params, &["by"])?;
    let by = p.by.unwrap_or(DailyKey::QuadClass);
    let f = p.filter.clone();
    answer(
        &app,
        &uri,
        &p.filter.clone(),
        move |c, sub| {
            to_text(&DailyAnswer {
                by,
                counts: c.daily_counts(&f, sub, by),
            })
        },
        move |s| Ok(json!({ "by": by, "counts": s.daily_counts(&p.filter, by)? })),
    )
    .await
}

/// `GET /api/aggregates/dyads`: the most frequent source → target country pairs.
pub(crate) async fn dyads(State(app): State<Arc<App>>, uri: Uri, params: Params) -> ApiResult {
    let p = parse(params, &["limit"])?;
    let (f, n) = (p.filter.clone(), limit_or_default(p.paging.limit));
    answer(
        &app,
        &uri,
        &p.filter.clone(),
        move |c, sub| {
            to_text(&DyadsAnswer {
                dyads: c.top_dyads(&f, sub, n),
            })
        },
        move |s| Ok(json!({ "dyads": s.top_dyads(&p.filter, p.paging.limit)? })),
    )
    .await
}

/// `GET /api/aggregates/countries`: events per country.
pub(crate) async fn countries(State(app): State<Arc<App>>, uri: Uri, params: Params) -> ApiResult {
    let p = parse(params, &["role"])?;
    let role = p.role;
    let f = p.filter.clone();
    answer(
        &app,
        &uri,
        &p.filter.clone(),
        move |c, sub| {
            to_text(&CountriesAnswer {
                countries: c.country_counts(&f, sub, role),
                role,
            })
        },
        move |s| Ok(json!({ "role": role, "countries": s.country_counts(&p.filter, role)? })),
    )
    .await
}

/// `GET /api/aggregates/places`: events per geocoded point.
pub(crate) async fn places(State(app): State<Arc<App>>, uri: Uri, params: Params) -> ApiResult {
    let p = parse(params, &["limit"])?;
    let key = cache_key(&uri);
    if let Some(hit) = app.cache.get(&key) {
        return Ok(json_text(hit));
    }
    let (f, n) = (p.filter.clone(), limit_or_default(p.paging.limit));
    let found = from_cube(&app, &p.filter, move |c, sub| {
        Ok((c.place_counts(&f, sub, n), Arc::clone(c)))
    })
    .await?;
    let v = match found {
        Some(((mut places, unnamed), cube)) => {
            // Only places not named before need the database (the cube keeps the names).
            if !unnamed.is_empty() {
                let firsts: Vec<String> = unnamed.iter().map(|u| u.event.clone()).collect();
                let names = app
                    .run(move |s| {
                        let events = s.events_by_ids(&firsts)?;
                        let by_id: std::collections::HashMap<String, _> = events
                            .into_iter()
                            .filter_map(|e| e.location.map(|l| (e.id, (l.name, l.country))))
                            .collect();
                        Ok(firsts
                            .into_iter()
                            .map(|id| by_id.get(&id).cloned())
                            .collect::<Vec<_>>())
                    })
                    .await?;
                for (u, name) in unnamed.iter().zip(names) {
                    let (n, c) = name.unwrap_or_default();
                    if let Some(p) = places.get_mut(u.index) {
                        p.name.clone_from(&n);
                        p.country.clone_from(&c);
                    }
                    cube.name_place(u.point, n, c);
                }
            }
            json!({ "places": places })
        }
        None => {
            app.run(move |s| Ok(json!({ "places": s.place_counts(&p.filter, p.paging.limit)? })))
                .await?
        }
    };
    let body: Arc<str> = v.to_string().into();
    app.cache.put(key, Arc::clone(&body));
    Ok(json_text(body))
}

/// `GET /api/aggregates/index`: the daily conflict/cooperation index of a country or dyad.
pub(crate) async fn index(State(app): State<Arc<App>>, uri: Uri, params: Params) -> ApiResult {
    let p = parse(params, &[])?;
    if p.filter.country.is_none() && p.filter.dyad.is_none() {
        return Err(ApiError::BadRequest(
            "the index needs country=XXX or dyad=AAA-BBB".into(),
        ));
    }
    let head = json!({
        "country": p.filter.country,
        "dyad": p.filter.dyad.as_ref().map(|(a, b)| json!({"source": a, "target": b})),
        "formula": INDEX_FORMULA,
    });
    let (f, country, dyad) = (
        p.filter.clone(),
        p.filter.country.clone(),
        head.get("dyad").cloned().unwrap_or(Value::Null),
    );
    let with = |mut h: Value, points: Vec<outpost_store::IndexPoint>| -> Value {
        if let Some(o) = h.as_object_mut() {
            o.insert("points".into(), json!(points));
        }
        h
    };
    answer(
        &app,
        &uri,
        &p.filter.clone(),
        move |c, sub| {
            to_text(&IndexAnswer {
                country,
                dyad,
                formula: INDEX_FORMULA,
                points: c.daily_index(&f, sub),
            })
        },
        move |s| Ok(with(head, s.daily_index(&p.filter)?)),
    )
    .await
}

fn check_id(id: &str, what: &str) -> Result<(), ApiError> {
    if id.is_empty() || id.len() > MAX_ID_LEN {
        return Err(ApiError::NotFound(format!("no {what} with such an id")));
    }
    Ok(())
}

/// Parsed query parameters: the filter plus the route's own options.
#[derive(Debug, Default)]
pub(crate) struct Parsed {
    pub(crate) filter: Filter,
    pub(crate) paging: Paging,
    pub(crate) by: Option<DailyKey>,
    pub(crate) role: CountryRole,
}

pub(crate) fn parse(params: Params, extra: &[&str]) -> Result<Parsed, ApiError> {
    let Query(params) = params.map_err(|e| ApiError::BadRequest(e.body_text()))?;
    parse_params(&params, extra)
}

fn floats<const N: usize>(key: &str, v: &str) -> Result<[f64; N], ApiError> {
    let parts: Vec<f64> = v
        .split(',')
        .map(|p| p.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|_| ApiError::BadRequest(format!("{key} must be {N} numbers, not {v:?}")))?;
    <[f64; N]>::try_from(parts)
        .map_err(|_| ApiError::BadRequest(format!("{key} must be {N} comma-separated numbers")))
}

/// Turns query-string pairs into a filter and options. Empty values count as absent (as an
/// HTML form sends them); unknown or repeated names, names not allowed on this route
/// (`extra` lists the allowed non-filter ones) and malformed values are errors.
pub(crate) fn parse_params(
    params: &[(String, String)],
    extra: &[&str],
) -> Result<Parsed, ApiError> {
    let bad = |m: String| ApiError::BadRequest(m);
    let mut p = Parsed::default();
    let mut seen: Vec<&str> = Vec::new();
    let mut near: Option<[f64; 2]> = None;
    let mut radius: Option<f64> = None;
    let mut bbox: Option<[f64; 4]> = None;
    for (key, value) in params {
        if seen.contains(&key.as_str()) {
            return Err(bad(format!("parameter {key:?} given more than once")));
        }
        seen.push(key);
        let v = value.trim();
        if v.is_empty() {
            continue;
        }
        if v.len() > 500 {
            return Err(bad(format!("{key} is longer than 500 bytes")));
        }
        let date = |v: &str| {
            NaiveDate::parse_from_str(v, "%Y-%m-%d")
                .map_err(|_| bad(format!("{key} must be a date YYYY-MM-DD, not {v:?}")))
        };
        let code = |v: &str, what: &str| -> Result<String, ApiError> {
            if !(2..=3).contains(&v.len()) || !v.bytes().all(|b| b.is_ascii_alphabetic()) {
                return Err(bad(format!("{what} must be a 3-letter code, not {v:?}")));
            }
            Ok(v.to_ascii_uppercase())
        };
        let f = &mut p.filter;
        match key.as_str() {
            "from" => f.from = Some(date(v)?),
            "to" => f.to = Some(date(v)?),
            "country" => f.country = Some(code(v, "country")?),
            "actor" => {
                if v.len() > 32 || !v.bytes().all(|b| b.is_ascii_alphanumeric()) {
                    return Err(bad(format!(
                        "actor must be a code prefix (letters, digits), not {v:?}"
                    )));
                }
                f.actor = Some(v.to_ascii_uppercase());
            }
            "plover" => {
                if v.len() > 32 || !v.bytes().all(|b| b.is_ascii_alphabetic() || b == b'_') {
                    return Err(bad(format!("plover must be a PLOVER type name, not {v:?}")));
                }
                f.plover = Some(v.to_ascii_uppercase());
            }
            "cameo_root" => f.cameo_root = Some(v.to_string()),
            "quad_class" => {
                f.quad_class = Some(
                    v.parse()
                        .map_err(|_| bad(format!("quad_class must be 1-4, not {v:?}")))?,
                )
            }
            "acled_type" => {
                if v.len() > 64 || v.chars().any(char::is_control) {
                    return Err(bad("acled_type must be an ACLED event type name".into()));
                }
                f.acled_type = Some(v.to_string());
            }
            "status" => f.status = Some(Status::parse(v).ok_or_else(|| {
                bad(format!(
                    "status must be occurred, planned, denied, hypothetical or claimed, not {v:?}"
                ))
            })?),
            "article_id" => f.article_id = Some(v.to_string()),
            "q" => f.text = Some(v.to_string()),
            "view" => {
                f.all_mentions = match v {
                    "events" => false,
                    "mentions" => true,
                    _ => return Err(bad(format!("view must be events or mentions, not {v:?}"))),
                }
            }
            "dyad" => {
                let (a, b) = v
                    .split_once('-')
                    .ok_or_else(|| bad(format!("dyad must be AAA-BBB, not {v:?}")))?;
                f.dyad = Some((code(a, "dyad source")?, code(b, "dyad target")?));
            }
            "bbox" => bbox = Some(floats::<4>(key, v)?),
            "near" => near = Some(floats::<2>(key, v)?),
            "radius_km" => {
                radius = Some(
                    v.parse()
                        .map_err(|_| bad(format!("radius_km must be a number, not {v:?}")))?,
                )
            }
            k if extra.contains(&k) => match k {
                "sort" => {
                    p.paging.sort = Sort::parse(v)
                        .ok_or_else(|| bad(format!("sort must be newest or oldest, not {v:?}")))?
                }
                "limit" => {
                    p.paging.limit = Some(
                        v.parse()
                            .map_err(|_| bad(format!("limit must be a whole number, not {v:?}")))?,
                    )
                }
                "cursor" => p.paging.cursor = Some(v.to_string()),
                "by" => {
                    p.by = Some(match v {
                        "quad_class" => DailyKey::QuadClass,
                        "plover" => DailyKey::Plover,
                        _ => {
                            return Err(bad(format!("by must be quad_class or plover, not {v:?}")));
                        }
                    })
                }
                "role" => {
                    p.role = match v {
                        "any" => CountryRole::Any,
                        "source" => CountryRole::Source,
                        "target" => CountryRole::Target,
                        "location" => CountryRole::Location,
                        _ => {
                            return Err(bad(format!(
                                "role must be any, source, target or location, not {v:?}"
                            )));
                        }
                    }
                }
                _ => return Err(bad(format!("unknown parameter {k:?}"))),
            },
            other => return Err(bad(format!("unknown parameter {other:?}"))),
        }
    }
    p.filter.place = match (bbox, near, radius) {
        (Some(_), Some(_), _) => return Err(bad("give bbox or near, not both".into())),
        (Some([min_lon, min_lat, max_lon, max_lat]), None, None) => Some(Place::BBox {
            min_lon,
            min_lat,
            max_lon,
            max_lat,
        }),
        (Some(_), None, Some(_)) => return Err(bad("radius_km goes with near, not bbox".into())),
        (None, Some([lat, lon]), Some(radius_km)) => Some(Place::Near {
            lat,
            lon,
            radius_km,
        }),
        (None, Some(_), None) => return Err(bad("near needs radius_km".into())),
        (None, None, Some(_)) => return Err(bad("radius_km needs near=lat,lon".into())),
        (None, None, None) => None,
    };
    if p.paging.limit == Some(0) {
        return Err(bad("limit must be at least 1".into()));
    }
    if let Some(c) = &p.paging.cursor {
        outpost_store::query::Cursor::parse(c).map_err(ApiError::from)?;
    }
    p.filter.validate().map_err(ApiError::from)?;
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(s: &[(&str, &str)]) -> Vec<(String, String)> {
        s.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    const LIST: &[&str] = &["limit", "cursor", "sort"];

    #[test]
    fn parses_every_parameter() {
        let p = parse_params(
            &pairs(&[
                ("from", "2024-01-01"),
                ("to", "2024-02-01"),
                ("country", "afg"),
                ("actor", "afgreb"),
                ("plover", "assault"),
                ("cameo_root", "19"),
                ("quad_class", "4"),
                ("acled_type", "Battles"),
                ("status", "denied"),
                ("article_id", "abc"),
                ("q", "shelled"),
                ("near", "34.5,69.2"),
                ("radius_km", "25"),
                ("dyad", "afg-pak"),
                ("sort", "oldest"),
                ("limit", "20"),
                ("cursor", "2024-01-05~e1"),
            ]),
            LIST,
        )
        .unwrap();
        let f = &p.filter;
        assert_eq!(f.from, NaiveDate::from_ymd_opt(2024, 1, 1));
        assert_eq!(f.to, NaiveDate::from_ymd_opt(2024, 2, 1));
        assert_eq!(f.country.as_deref(), Some("AFG"));
        assert_eq!(f.actor.as_deref(), Some("AFGREB"));
        assert_eq!(f.plover.as_deref(), Some("ASSAULT"));
        assert_eq!(f.cameo_root.as_deref(), Some("19"));
        assert_eq!(f.quad_class, Some(4));
        assert_eq!(f.acled_type.as_deref(), Some("Battles"));
        assert_eq!(f.status, Some(Status::Denied));
        assert_eq!(f.article_id.as_deref(), Some("abc"));
        assert_eq!(f.text.as_deref(), Some("shelled"));
        assert_eq!(
            f.place,
            Some(Place::Near {
                lat: 34.5,
                lon: 69.2,
                radius_km: 25.0
            })
        );
        assert_eq!(f.dyad, Some(("AFG".into(), "PAK".into())));
        assert_eq!(p.paging.sort, Sort::Oldest);
        assert_eq!(p.paging.limit, Some(20));
        assert_eq!(p.paging.cursor.as_deref(), Some("2024-01-05~e1"));
        let b = parse_params(&pairs(&[("bbox", "60,29,75,38.5")]), &[]).unwrap();
        assert_eq!(
            b.filter.place,
            Some(Place::BBox {
                min_lon: 60.0,
                min_lat: 29.0,
                max_lon: 75.0,
                max_lat: 38.5
            })
        );
    }

    #[test]
    fn empty_values_are_absent() {
        let p = parse_params(
            &pairs(&[("country", ""), ("q", "  "), ("plover", "")]),
            LIST,
        )
        .unwrap();
        assert_eq!(p.filter, Filter::default());
    }

    #[test]
    fn rejects_bad_values() {
        for p in [
            ("from", "2024-02-30"),
            ("to", "March"),
            ("country", "Afghanistan"),
            ("actor", "AFG GOV"),
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
            ("bbox", "1,2,3"),
            ("bbox", "0,50,10,40"),
            ("near", "1,2"),
            ("radius_km", "5"),
            ("dyad", "AFG"),
        ] {
            assert!(
                matches!(
                    parse_params(&pairs(&[p]), LIST),
                    Err(ApiError::BadRequest(_))
                ),
                "{p:?} accepted"
            );
        }
        assert!(parse_params(&pairs(&[("limit", "1"), ("limit", "2")]), LIST).is_err());
        // Options of other routes are unknown here.
        assert!(parse_params(&pairs(&[("by", "plover")]), LIST).is_err());
        assert!(parse_params(&pairs(&[("limit", "5")]), &["by"]).is_err());
        assert!(
            parse_params(
                &pairs(&[("near", "1,2"), ("radius_km", "5"), ("bbox", "0,0,1,1")]),
                LIST
            )
            .is_err()
        );
    }
}
