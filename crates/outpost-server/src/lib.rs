//! Serve: the analyst's HTTP JSON API and dashboard over the event store, from one binary.
//!
//! Routes (`GET` but the watch writes; the full description is the OpenAPI 3 document at
//! `/api/openapi.json`, kept in sync with the router by a test):
//!
//! | route | answer |
//! | --- | --- |
//! | `/` | the dashboard (HTML; its script, style sheet and world map are embedded: no CDN, no tiles) |
//! | `/api/events?…filters…&sort&limit&cursor` | `{"events": […], "next_cursor": …}` |
//! | `/api/events.csv`, `/api/events.jsonl` | the same filtered list as a streamed download |
//! | `/api/events/{id}` | one event plus `mentions` (today: its evidence) and `article` |
//! | `/api/articles/{id}` | `{"article": {…}, "events": […]}` |
//! | `/api/aggregates/daily?by=quad_class\|plover` | events per day and key |
//! | `/api/aggregates/dyads` | source → target country pairs, count and mean Goldstein |
//! | `/api/aggregates/countries?role=` | events per country |
//! | `/api/aggregates/places` | events per geocoded point |
//! | `/api/aggregates/index?country=\|dyad=` | the daily conflict/cooperation index |
//! | `/api/stats` | totals |
//! | `/api/feeds`, `/api/alert-rules[/{name}]`, `/api/alerts` | feeds, alert rules, alerts (`watch_api.rs`; also POST/PUT/DELETE) |
//! | `/api/openapi.json` | the API description |
//! | `/healthz` | `{"status": "ok", "schema_version": N}` (no token needed) |
//!
//! Filters (every list and aggregate): `from`, `to`, `country`, `actor` (code prefix on the
//! source or target code), `plover`, `cameo_root`, `quad_class`, `acled_type`, `status`,
//! `article_id`, `q` (words in the evidence), `bbox=minlon,minlat,maxlon,maxlat` or
//! `near=lat,lon&radius_km=`, `dyad=AAA-BBB`.
//!
//! Security: [`serve_with`] refuses to listen on a non-loopback address without an access
//! token. With a token every route but `/healthz` needs it, as `Authorization: Bearer TOKEN`
//! or as the `outpost_token` cookie, which a first visit to `/?token=TOKEN` sets (HttpOnly,
//! SameSite=Strict) before redirecting to `/` so the token leaves the address bar. All
//! database work runs on the blocking pool behind a semaphore
//! ([`ServeOptions::max_concurrent_queries`]); every request has a time limit (then 503);
//! bodies are capped ([`BODY_LIMIT`]); query strings are capped ([`MAX_QUERY_LEN`]). JSON
//! answers of the list and aggregate routes are cached for [`ServeOptions::cache_ttl`].
//!
//! Speed: with [`ServeOptions::memory_cube`] (the default) the server keeps an in-memory copy
//! of every event's filterable columns (about 100 bytes an event with its id), built at start
//! and rebuilt when the number of events changes, and answers lists and aggregates from it
//! unless the filter has full-text words or an article id (those go to the database). The
//! totals of `/api/stats` are computed in the background. See `cube.rs`.
//!
//! This crate reads the database, except for the watch routes, which add and remove followed
//! feeds and alert rules (`watch_api.rs`; a running `outpost watch` picks them up). It does
//! not ingest, code or export, and it prints nothing except internal errors on stderr: the
//! caller reports the bound address.

mod api;
mod assets;
mod auth;
mod cache;
mod cube;
mod download;
mod watch_api;

use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock, Weak};
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use outpost_store::{Store, StoreError};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

/// Default longest time one request may take before the server answers 503.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// Largest request body accepted (the API is read-only; bodies are not used).
pub const BODY_LIMIT: usize = 16 * 1024;
/// Longest query string accepted (414 beyond).
pub const MAX_QUERY_LEN: usize = 4096;
/// Default number of database queries run at once (also the number of open handles kept).
pub const DEFAULT_CONCURRENT_QUERIES: usize = 4;

/// Where the server finds its database and where it listens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerConfig {
    /// Path of the SQLite database (created and migrated if missing) or a `postgres://` URL.
    pub db: PathBuf,
    /// Address to listen on.
    pub addr: SocketAddr,
}

/// How the server behaves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServeOptions {
    /// Access token. Required to listen on a non-loopback address. 16–256 characters from
    /// `A–Z a–z 0–9 - . _ ~`.
    pub token: Option<String>,
    /// Longest time one request may take (then 503).
    pub request_timeout: Duration,
    /// Database queries run at once; further requests wait.
    pub max_concurrent_queries: usize,
    /// How long a JSON list or aggregate answer is reused for the same query (0: never).
    pub cache_ttl: Duration,
    /// Most cached answers kept.
    pub cache_entries: usize,
    /// Keep an in-memory copy of the events' filterable columns and answer aggregates from
    /// it (built at start, rebuilt when the number of events changes; about 64 bytes an
    /// event). Off: every aggregate is an SQL query.
    pub memory_cube: bool,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            token: None,
            request_timeout: REQUEST_TIMEOUT,
            max_concurrent_queries: DEFAULT_CONCURRENT_QUERIES,
            cache_ttl: Duration::from_secs(15),
            cache_entries: 512,
            memory_cube: true,
        }
    }
}

/// Why the server could not start or stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The database could not be opened (missing directory, newer schema, …).
    #[error("store: {0}")]
    Store(#[from] StoreError),
    /// Binding or serving the socket failed.
    #[error("I/O: {0}")]
    Io(#[from] std::io::Error),
    /// A background task panicked or was cancelled.
    #[error("task failed: {0}")]
    Task(String),
    /// Listening on a non-loopback address needs an access token.
    #[error("refusing to listen on {0} without an access token (--token or OUTPOST_TOKEN)")]
    TokenRequired(SocketAddr),
    /// The token is too short, too long or has characters a cookie cannot carry.
    #[error(
        "the access token must be 16-256 characters from A-Z a-z 0-9 - . _ ~ (it has {0} characters)"
    )]
    BadToken(usize),
}

/// Binds `config.addr` and serves until `shutdown` completes (no token: loopback only).
pub async fn serve(
    config: ServerConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServerError> {
    let listener = TcpListener::bind(config.addr).await?;
    serve_on(listener, config.db, shutdown).await
}

/// Serves on an already bound listener with the default options (no token, so the listener
/// must be on a loopback address) until `shutdown` completes.
pub async fn serve_on(
    listener: TcpListener,
    db: PathBuf,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServerError> {
    serve_with(listener, db, ServeOptions::default(), shutdown).await
}

/// Serves on an already bound listener with `options` until `shutdown` completes. Fails
/// with [`ServerError::TokenRequired`] when the listener is not on a loopback address and
/// no token is given, and with [`ServerError::BadToken`] for a malformed token.
pub async fn serve_with(
    listener: TcpListener,
    db: PathBuf,
    options: ServeOptions,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServerError> {
    let local = listener.local_addr()?;
    check_options(local, &options)?;
    let app = tokio::task::spawn_blocking(move || router_with(db, &options))
        .await
        .map_err(|e| ServerError::Task(e.to_string()))??;
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await?;
    Ok(())
}

/// Checks the token rules for listening on `addr`.
pub fn check_options(addr: SocketAddr, options: &ServeOptions) -> Result<(), ServerError> {
    if let Some(t) = &options.token {
        auth::check_token_syntax(t)?;
    } else if !addr.ip().is_loopback() {
        return Err(ServerError::TokenRequired(addr));
    }
    Ok(())
}

/// The application with default options (no token). Opens the database once to create or
/// migrate it and to fail early (blocking; call it from a blocking task or before the
/// runtime is busy).
pub fn router(db: PathBuf) -> Result<Router, ServerError> {
    router_with(db, &ServeOptions::default())
}

/// The application: all routes over the database at `db`, with `options`.
pub fn router_with(db: PathBuf, options: &ServeOptions) -> Result<Router, ServerError> {
    if let Some(t) = &options.token {
        auth::check_token_syntax(t)?;
    }
    let first = Store::connect(&db.to_string_lossy())?;
    let snapshot = if options.memory_cube {
        // The totals are computed by the refresher right after start (slow on big databases).
        Snapshot {
            cube: Some(Arc::new(cube::Cube::build(&first)?)),
            stats: None,
        }
    } else {
        Snapshot::default()
    };
    let permits = options.max_concurrent_queries.max(1);
    let app = Arc::new(App {
        pool: Pool {
            path: db,
            idle: Mutex::new(vec![first]),
            permits: Semaphore::new(permits),
            keep: permits,
        },
        token: options.token.clone(),
        timeout: options.request_timeout,
        cache: cache::Cache::new(options.cache_ttl, options.cache_entries),
        snapshot: RwLock::new(snapshot),
    });
    if options.memory_cube
        && let Ok(rt) = tokio::runtime::Handle::try_current()
    {
        rt.spawn(refresh(Arc::downgrade(&app)));
    }
    Ok(Router::new()
        .route("/", get(assets::index))
        .route("/assets/app.js", get(assets::script))
        .route("/assets/app.css", get(assets::style))
        .route("/assets/world.json", get(assets::world))
        .route("/healthz", get(api::health))
        .route("/api/openapi.json", get(api::openapi))
        .route("/api/stats", get(api::stats))
        .route("/api/events", get(api::events))
        .route("/api/events.csv", get(download::csv))
        .route("/api/events.jsonl", get(download::jsonl))
        .route("/api/events/{id}", get(api::event))
        .route("/api/articles/{id}", get(api::article))
        .route("/api/aggregates/daily", get(api::daily))
        .route("/api/aggregates/dyads", get(api::dyads))
        .route("/api/aggregates/countries", get(api::countries))
        .route("/api/aggregates/places", get(api::places))
        .route("/api/aggregates/index", get(api::index))
        .route(
            "/api/feeds",
            get(watch_api::feeds)
                .post(watch_api::add_feed)
                .delete(watch_api::remove_feed),
        )
        .route("/api/alert-rules", get(watch_api::alert_rules))
        .route(
            "/api/alert-rules/{name}",
            get(watch_api::alert_rule)
                .put(watch_api::put_alert_rule)
                .delete(watch_api::remove_alert_rule),
        )
        .route("/api/alerts", get(watch_api::alerts))
        .fallback(api::not_found)
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&app),
            auth::require_token,
        ))
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&app),
            api::guard,
        ))
        .with_state(app)
        .layer(DefaultBodyLimit::max(BODY_LIMIT)))
}

/// Shared state of all handlers.
#[derive(Debug)]
pub(crate) struct App {
    pub(crate) pool: Pool,
    pub(crate) token: Option<String>,
    pub(crate) timeout: Duration,
    pub(crate) cache: cache::Cache,
    pub(crate) snapshot: RwLock<Snapshot>,
}

/// Precomputed answers, replaced as a whole by the background refresher.
#[derive(Debug, Default, Clone)]
pub(crate) struct Snapshot {
    /// The in-memory event table, when enabled.
    pub(crate) cube: Option<Arc<cube::Cube>>,
    /// The `/api/stats` answer.
    pub(crate) stats: Option<Arc<str>>,
}

fn stats_json(store: &Store) -> Result<Arc<str>, StoreError> {
    Ok(serde_json::to_string(&store.stats()?)?.into())
}

/// Rebuilds the snapshot when the number of events changed (checked every
/// [`cube::REFRESH`]), and the totals at least every five minutes. Ends with the app.
async fn refresh(app: Weak<App>) {
    let mut since_stats: Option<std::time::Instant> = None;
    let mut first = true;
    loop {
        if !first {
            tokio::time::sleep(cube::REFRESH).await;
        }
        first = false;
        let Some(a) = app.upgrade() else { return };
        let known = a.snapshot().cube.as_ref().map_or(0, |c| c.events);
        let stale_stats = since_stats.is_none_or(|t| t.elapsed() > Duration::from_secs(300));
        let res = a
            .run(move |s| {
                let n = s.event_count()?;
                if n == known && !stale_stats {
                    return Ok(None);
                }
                let cube = if n == known {
                    None
                } else {
                    Some(Arc::new(cube::Cube::build(s)?))
                };
                Ok(Some((cube, stats_json(s)?)))
            })
            .await;
        match res {
            Ok(Some((cube, stats))) => {
                let mut snap = a
                    .snapshot
                    .write()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                if let Some(c) = cube {
                    snap.cube = Some(c);
                }
                snap.stats = Some(stats);
                since_stats = Some(std::time::Instant::now());
            }
            Ok(None) => {}
            Err(e) => eprintln!("outpost-server: refreshing the in-memory tables failed: {e:?}"),
        }
    }
}

/// Open [`Store`] handles reused across requests, and a semaphore bounding how many
/// queries run at once.
#[derive(Debug)]
pub(crate) struct Pool {
    path: PathBuf,
    idle: Mutex<Vec<Store>>,
    pub(crate) permits: Semaphore,
    keep: usize,
}

impl App {
    /// The current precomputed answers.
    pub(crate) fn snapshot(&self) -> Snapshot {
        self.snapshot
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Runs `f` with a store on the blocking thread pool, once a query slot is free.
    pub(crate) async fn run<T, F>(self: &Arc<Self>, f: F) -> Result<T, api::ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&Store) -> Result<T, StoreError> + Send + 'static,
    {
        let _permit = self
            .pool
            .permits
            .acquire()
            .await
            .map_err(|e| api::ApiError::Internal(format!("semaphore: {e}")))?;
        let app = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            let store = app.pool.take()?;
            let out = f(&store);
            app.pool.give_back(store);
            out
        })
        .await
        .map_err(|e| api::ApiError::Internal(format!("task failed: {e}")))?
        .map_err(api::ApiError::from)
    }
}

impl Pool {
    fn take(&self) -> Result<Store, StoreError> {
        let idle = self
            .idle
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .pop();
        match idle {
            Some(s) => Ok(s),
            None => Store::connect(&self.path.to_string_lossy()),
        }
    }

    fn give_back(&self, store: Store) {
        let mut idle = self
            .idle
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if idle.len() < self.keep {
            idle.push(store);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_loopback_needs_a_wellformed_token() {
        let lo: SocketAddr = "127.0.0.1:8710".parse().unwrap();
        let any: SocketAddr = "0.0.0.0:8710".parse().unwrap();
        let v6: SocketAddr = "[::1]:8710".parse().unwrap();
        let none = ServeOptions::default();
        assert!(check_options(lo, &none).is_ok());
        assert!(check_options(v6, &none).is_ok());
        assert!(matches!(
            check_options(any, &none),
            Err(ServerError::TokenRequired(_))
        ));
        let good = ServeOptions {
            token: Some("abcdefghijklmnop-123".into()),
            ..Default::default()
        };
        assert!(check_options(any, &good).is_ok());
        for bad in ["short", "has space in it here!", "semi;colon;is;not;ok;"] {
            let o = ServeOptions {
                token: Some(bad.into()),
                ..Default::default()
            };
            assert!(
                matches!(check_options(lo, &o), Err(ServerError::BadToken(_))),
                "{bad}"
            );
        }
    }
}
