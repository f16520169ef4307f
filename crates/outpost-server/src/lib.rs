//! Serve: the HTTP JSON API over the event store and the first dashboard page.
//!
//! Routes:
//!
//! | route | answer |
//! | --- | --- |
//! | `GET /` | the dashboard page (HTML, with `/assets/app.js` and `/assets/app.css`; no external assets) |
//! | `GET /api/events?from&to&country&plover&cameo_root&quad_class&status&article_id&q&sort&limit&cursor` | `{"events": […], "next_cursor": "…" or null}` |
//! | `GET /api/events/{id}` | one event |
//! | `GET /api/articles/{id}` | `{"article": {…}, "events": […]}` |
//! | `GET /api/stats` | totals (see [`outpost_store::Stats`]) |
//! | `GET /healthz` | `{"status": "ok", "schema_version": N}` |
//!
//! Bad parameters give 400 and unknown ids or paths 404, both with a JSON body
//! `{"error": "…"}`. Database work runs on tokio's blocking pool over a small pool of
//! [`Store`] handles, never on the async runtime. Every request has a time limit
//! ([`REQUEST_TIMEOUT`], then 503) and request bodies are capped ([`BODY_LIMIT`]).
//!
//! This crate reads the database only. It does not ingest, code or export, and it prints
//! nothing: the caller reports the bound address (see [`serve_on`] to bind first).

mod api;
mod assets;

use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use outpost_store::{Store, StoreError};
use tokio::net::TcpListener;

/// Longest time one request may take before the server answers 503.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Largest request body accepted (the API is read-only; bodies are not used).
pub const BODY_LIMIT: usize = 16 * 1024;
/// Most idle database handles kept open between requests.
pub const MAX_IDLE_STORES: usize = 4;

/// Where the server finds its database and where it listens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerConfig {
    /// Path of the SQLite database (created and migrated if missing).
    pub db: PathBuf,
    /// Address to listen on.
    pub addr: SocketAddr,
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
}

/// Binds `config.addr` and serves until `shutdown` completes.
pub async fn serve(
    config: ServerConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServerError> {
    let listener = TcpListener::bind(config.addr).await?;
    serve_on(listener, config.db, shutdown).await
}

/// Serves on an already bound listener (so the caller can report its real address, e.g.
/// after binding port 0) until `shutdown` completes.
pub async fn serve_on(
    listener: TcpListener,
    db: PathBuf,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServerError> {
    let app = tokio::task::spawn_blocking(move || router(db))
        .await
        .map_err(|e| ServerError::Task(e.to_string()))??;
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await?;
    Ok(())
}

/// The application: all routes over the database at `db`. Opens the database once to
/// create or migrate it and to fail early (blocking; call it before the runtime is busy or
/// from a blocking task).
pub fn router(db: PathBuf) -> Result<Router, ServerError> {
    let first = Store::connect(&db.to_string_lossy())?;
    let pool = Arc::new(Pool {
        path: db,
        idle: Mutex::new(vec![first]),
    });
    Ok(Router::new()
        .route("/", get(assets::index))
        .route("/assets/app.js", get(assets::script))
        .route("/assets/app.css", get(assets::style))
        .route("/healthz", get(api::health))
        .route("/api/events", get(api::events))
        .route("/api/events/{id}", get(api::event))
        .route("/api/articles/{id}", get(api::article))
        .route("/api/stats", get(api::stats))
        .fallback(api::not_found)
        .with_state(pool)
        .layer(axum::middleware::from_fn(api::guard))
        .layer(DefaultBodyLimit::max(BODY_LIMIT)))
}

/// A few open [`Store`] handles reused across requests; more are opened on demand.
#[derive(Debug)]
pub(crate) struct Pool {
    path: PathBuf,
    idle: Mutex<Vec<Store>>,
}

impl Pool {
    /// Runs `f` with a store on the blocking thread pool.
    pub(crate) async fn run<T, F>(self: &Arc<Self>, f: F) -> Result<T, api::ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&Store) -> Result<T, StoreError> + Send + 'static,
    {
        let pool = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            let store = pool.take()?;
            let out = f(&store);
            pool.give_back(store);
            out
        })
        .await
        .map_err(|e| api::ApiError::Internal(format!("task failed: {e}")))?
        .map_err(api::ApiError::from)
    }

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
        if idle.len() < MAX_IDLE_STORES {
            idle.push(store);
        }
    }
}
