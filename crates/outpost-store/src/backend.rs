//! The interface every database backend implements.
//!
//! [`crate::Store`] is a thin handle over a boxed [`Backend`]: SQLite
//! ([`crate::sqlite::SqliteBackend`]) or PostgreSQL ([`crate::postgres::PostgresBackend`]).
//! Both share the validation in [`crate::query`] and [`crate::queue`], so callers never see
//! which one they use.

use std::time::Duration;

use outpost_core::{Article, Event};

use crate::error::StoreError;
use crate::query::{EventQuery, InsertOutcome, Page, Stats};
use crate::queue::{FailOutcome, QueueStats, WorkItem};

/// Database operations of the event store. See [`crate::Store`] for what each one means.
pub trait Backend: Send {
    /// A short name of the backend: `sqlite` or `postgres`.
    fn kind(&self) -> &'static str;
    /// The schema version of the open database.
    fn schema_version(&self) -> Result<u32, StoreError>;
    /// Writes an article, its ingest mention and its events in one transaction.
    fn insert_article(
        &mut self,
        article: &Article,
        events: &[Event],
    ) -> Result<InsertOutcome, StoreError>;
    /// Whether an article with this id is stored.
    fn has_article(&self, id: &str) -> Result<bool, StoreError>;
    /// One article by id.
    fn article(&self, id: &str) -> Result<Option<Article>, StoreError>;
    /// One event by id.
    fn event(&self, id: &str) -> Result<Option<Event>, StoreError>;
    /// A filtered, paged event listing.
    fn events(&self, q: &EventQuery) -> Result<Page<Event>, StoreError>;
    /// All events of one article, in sentence order.
    fn events_for_article(&self, id: &str) -> Result<Vec<Event>, StoreError>;
    /// Totals.
    fn stats(&self) -> Result<Stats, StoreError>;
    /// Logs an input that could not be used.
    fn record_skip(&mut self, source: &str, reason: &str) -> Result<(), StoreError>;
    /// Adds work items; returns how many were new (or revived from `failed`).
    fn enqueue(&mut self, items: &[String]) -> Result<usize, StoreError>;
    /// Takes the oldest claimable item for `worker` with a lease of `lease`.
    fn claim(&mut self, worker: &str, lease: Duration) -> Result<Option<WorkItem>, StoreError>;
    /// Marks a held item done.
    fn complete(&mut self, id: i64, worker: &str) -> Result<(), StoreError>;
    /// Gives a held item back with a reason (retried or parked as failed).
    fn fail(&mut self, id: i64, worker: &str, reason: &str) -> Result<FailOutcome, StoreError>;
    /// Extends the lease of a held item to `lease` from now.
    fn heartbeat(&mut self, id: i64, worker: &str, lease: Duration) -> Result<(), StoreError>;
    /// Items per state.
    fn queue_stats(&self) -> Result<QueueStats, StoreError>;
}
