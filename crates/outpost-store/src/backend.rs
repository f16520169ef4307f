//! The interface every database backend implements.
//!
//! [`crate::Store`] is a thin handle over a boxed [`Backend`]: SQLite
//! ([`crate::sqlite::SqliteBackend`]) or PostgreSQL ([`crate::postgres::PostgresBackend`]).
//! Both share the validation in [`crate::query`] and [`crate::queue`], so callers never see
//! which one they use.

use std::time::Duration;

use outpost_core::{Article, Event};

use crate::aggregate::{Cell, Select};
use crate::error::StoreError;
use crate::query::{EventQuery, InsertOutcome, Page, Stats};
use crate::queue::{FailOutcome, QueueStats, WorkItem};
use crate::watch::{AlertRecord, FeedSpec, FeedState, NewAlert, PollRecord, UrlInfo, UrlState};

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
    /// Adds a feed to follow, or updates the name, interval and language of a known URL.
    fn add_feed(&mut self, feed: &FeedSpec) -> Result<i64, StoreError>;
    /// Stops following a feed; whether it was followed.
    fn remove_feed(&mut self, url: &str) -> Result<bool, StoreError>;
    /// All followed feeds with their polling state, by id.
    fn feeds(&self) -> Result<Vec<FeedState>, StoreError>;
    /// Records the outcome of one poll of feed `id`.
    fn record_poll(&mut self, id: i64, poll: &PollRecord) -> Result<(), StoreError>;
    /// The URLs (in order, once each) not fetched yet or failed with attempts left.
    fn unseen_urls(&self, urls: &[String]) -> Result<Vec<String>, StoreError>;
    /// Records what happened to an article URL; returns its attempts so far.
    fn record_url(
        &mut self,
        url: &str,
        feed_id: Option<i64>,
        state: UrlState,
        detail: Option<&str>,
    ) -> Result<u32, StoreError>;
    /// What is known about one article URL.
    fn url_info(&self, url: &str) -> Result<Option<UrlInfo>, StoreError>;
    /// Adds or replaces an API alert rule (JSON).
    fn put_alert_rule(&mut self, name: &str, rule: &serde_json::Value) -> Result<(), StoreError>;
    /// Removes an API alert rule; whether it existed.
    fn remove_alert_rule(&mut self, name: &str) -> Result<bool, StoreError>;
    /// All API alert rules, by name.
    fn alert_rules(&self) -> Result<Vec<(String, serde_json::Value)>, StoreError>;
    /// The stored state of an alert rule.
    fn alert_state(&self, rule: &str) -> Result<Option<serde_json::Value>, StoreError>;
    /// Replaces the stored state of an alert rule.
    fn put_alert_state(&mut self, rule: &str, state: &serde_json::Value) -> Result<(), StoreError>;
    /// Stores a fired alert unless its (rule, episode) is stored already; its id if new.
    fn insert_alert(&mut self, alert: &NewAlert) -> Result<Option<i64>, StoreError>;
    /// The newest `limit` alerts, newest first.
    fn alerts(&self, limit: usize) -> Result<Vec<AlertRecord>, StoreError>;
    /// Records the delivery outcome of an alert.
    fn set_alert_delivery(
        &mut self,
        id: i64,
        delivered: bool,
        error: Option<&str>,
    ) -> Result<(), StoreError>;
    /// Mentions (sources) per article id, in the given order (0 for unknown ids).
    fn mention_counts(&self, ids: &[String]) -> Result<Vec<(String, u64)>, StoreError>;
    /// Runs one read-only statement built by [`crate::aggregate`] (a [`Select`] cannot be
    /// built outside this crate) and returns its rows as [`Cell`]s.
    fn select(&self, q: &Select) -> Result<Vec<Vec<Cell>>, StoreError>;
    /// Switches clustering and aggregation of new articles on or off.
    fn set_aggregation(&mut self, on: bool);
    /// Starts grouping article inserts into one transaction (a no-op where each insert
    /// commits on its own, as on PostgreSQL).
    fn begin_batch(&mut self) -> Result<(), StoreError> {
        Ok(())
    }
    /// Commits the open batch, if any.
    fn commit_batch(&mut self) -> Result<(), StoreError> {
        Ok(())
    }
    /// Lets commits return before they are on disk (see [`crate::Store::set_queue_commits`]);
    /// a no-op where that does not apply.
    fn set_queue_commits(&mut self) -> Result<(), StoreError> {
        Ok(())
    }
}
