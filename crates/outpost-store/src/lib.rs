//! Store: the event database and the work queue.
//!
//! Keeps extracted articles, the input records they were seen in (mentions), their coded
//! events and a log of skipped inputs, and answers the queries the server and the CLI need:
//! one article or event, filtered and keyset-paged event listings with full-text search
//! over the evidence, and totals. It also holds a work queue of inputs (paths or URLs) that
//! several workers can share safely.
//!
//! Two backends, chosen by [`Store::connect`]: SQLite (one file, WAL, foreign keys on, a busy
//! timeout; for one machine) and PostgreSQL (for teams and many workers). The schema comes
//! from versioned SQL migrations embedded in the binary, one numbering for both dialects
//! ([`migrations`]), applied on start inside one transaction; a database written by a newer
//! build is refused untouched. The public surface is [`Store`], a handle over a [`Backend`]
//! trait object, so callers never depend on the backend.
//!
//! Writes are transactional per article: an article, its mention and its events are stored
//! together or not at all, and storing the same article again changes nothing (except
//! recording a new source as a further mention).
//!
//! In the same transaction it applies the deduplication rules of `outpost-dedup`
//! incrementally: each article joins its story cluster (near-duplicates), each copy is counted
//! once per canonical URL, and each event joins the aggregated (real-world) event it reports,
//! whose counts of mentions, articles and sources are kept up to date. Reads return the
//! aggregated view by default ([`EventQuery::all_mentions`]).
//!
//! This crate does not code events or export; it stores what it is given. The queue hands
//! out items; it does not run them. See the crate README for choosing a backend and the
//! queue's lease rules.

pub mod aggregate;
mod backend;
mod dedup;
mod error;
pub mod migrations;
pub mod postgres;
pub mod query;
pub mod queue;
pub mod sqlite;
pub mod watch;

use std::path::Path;
use std::time::Duration;

use outpost_core::{Article, Event};

pub use aggregate::{
    ClusterRow, CountryRole, DailyCount, DailyKey, Dyad, Filter, IndexPoint, Mention, Paging,
    Place, PlaceCount,
};
pub use backend::Backend;
pub use error::StoreError;
pub use query::{Count, EventQuery, InsertOutcome, Page, Sort, Stats};
pub use queue::{FailOutcome, MAX_ATTEMPTS, QueueStats, WorkItem};

/// Whether a connection spec names a PostgreSQL server (`postgres://` or `postgresql://`).
pub fn is_postgres_spec(spec: &str) -> bool {
    let lower = spec.trim_start().to_ascii_lowercase();
    lower.starts_with("postgres://") || lower.starts_with("postgresql://")
}

/// A handle on the event database.
pub struct Store {
    backend: Box<dyn Backend>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").finish_non_exhaustive()
    }
}

impl Store {
    /// Opens the database named by `spec` and brings its schema up to date.
    ///
    /// A `postgres://…` or `postgresql://…` URL connects to PostgreSQL (without TLS for
    /// now; see [`postgres::PostgresBackend::connect`]); anything else is the path of a SQLite
    /// file, created if missing. Fails with [`StoreError::SchemaTooNew`], changing nothing,
    /// when the database was written by a newer version.
    pub fn connect(spec: &str) -> Result<Store, StoreError> {
        if is_postgres_spec(spec) {
            Ok(Store::from_backend(Box::new(
                postgres::PostgresBackend::connect(spec.trim())?,
            )))
        } else {
            Store::open(Path::new(spec))
        }
    }

    /// Opens (creating if needed) the SQLite database at `path` and brings its schema up to
    /// date. Fails with [`StoreError::SchemaTooNew`], changing nothing, when the file was
    /// written by a newer version.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        Ok(Store::from_backend(Box::new(sqlite::SqliteBackend::open(
            path,
        )?)))
    }

    /// A private in-memory SQLite database with the current schema (for tests and one-shot
    /// runs).
    pub fn open_in_memory() -> Result<Store, StoreError> {
        Ok(Store::from_backend(Box::new(
            sqlite::SqliteBackend::open_in_memory()?,
        )))
    }

    /// A store over any backend.
    pub fn from_backend(backend: Box<dyn Backend>) -> Store {
        Store { backend }
    }

    /// Which backend this store uses: `sqlite` or `postgres`.
    pub fn backend_kind(&self) -> &'static str {
        self.backend.kind()
    }

    /// The schema version of the open database (the number of the last migration applied).
    pub fn schema_version(&self) -> Result<u32, StoreError> {
        self.backend.schema_version()
    }

    /// Stores an article, the mention of its source and its events in ONE transaction.
    ///
    /// If an article with the same id (content fingerprint) is already stored, its events are
    /// left alone and only a mention of a source not seen before is added:
    /// [`InsertOutcome::AlreadyPresent`]. Every event must name `article` in its evidence
    /// and carry finite numbers ([`StoreError::InvalidEvent`]); an event id given twice is
    /// stored once. On any error nothing is written.
    pub fn insert_article(
        &mut self,
        article: &Article,
        events: &[Event],
    ) -> Result<InsertOutcome, StoreError> {
        self.backend.insert_article(article, events)
    }

    /// Groups the following [`Store::insert_article`] calls into one transaction until
    /// [`Store::commit_batch`] (SQLite; PostgreSQL commits each article on its own, for
    /// its many concurrent workers). Each article stays all-or-nothing (a savepoint): one
    /// that fails leaves the batch's others alone. A crash loses the uncommitted batch as a
    /// whole, never part of an article; re-ingesting restores it without duplicates. Batches
    /// of some hundreds of articles write each hot index page once instead of once per article:
    /// the bulk ingest's main saving. Readers see a batch when it is committed.
    pub fn begin_batch(&mut self) -> Result<(), StoreError> {
        self.backend.begin_batch()
    }

    /// For queue workers on PostgreSQL: commits return before the server has written them to
    /// disk (`synchronous_commit = off` for this connection), so a worker does not sit idle
    /// on every article's disk flush. A crash of the *database server* may then lose the last
    /// fraction of a second of commits (never part of one, and never corrupting); nothing is
    /// lost for good, because an item's articles are committed before the item is marked done,
    /// the server's log is replayed in order, so a lost article means a lost "done" too, and the
    /// item is claimed again after its lease and re-read (articles already stored are skipped).
    /// A worker process that dies loses nothing either way. No-op on SQLite.
    pub fn set_queue_commits(&mut self) -> Result<(), StoreError> {
        self.backend.set_queue_commits()
    }

    /// Commits the batch opened by [`Store::begin_batch`] (nothing when none is open).
    pub fn commit_batch(&mut self) -> Result<(), StoreError> {
        self.backend.commit_batch()
    }

    /// Whether an article with this id is stored.
    pub fn has_article(&self, id: &str) -> Result<bool, StoreError> {
        self.backend.has_article(id)
    }

    /// The article with this id.
    pub fn article(&self, id: &str) -> Result<Option<Article>, StoreError> {
        self.backend.article(id)
    }

    /// The event with this id as it was stored, with its aggregate's counts.
    pub fn event(&self, id: &str) -> Result<Option<Event>, StoreError> {
        let mut e = self.backend.event(id)?;
        if let Some(e) = e.as_mut() {
            aggregate::attach_aggregates(self, std::slice::from_mut(e))?;
        }
        Ok(e)
    }

    /// Events matching `q`, one page at a time, ordered by (date, id), with their
    /// aggregates' counts; by default the aggregated view ([`EventQuery::all_mentions`]).
    /// Invalid parameters give [`StoreError::InvalidQuery`].
    pub fn events(&self, q: &EventQuery) -> Result<Page<Event>, StoreError> {
        let mut page = self.backend.events(q)?;
        aggregate::attach_aggregates(self, &mut page.items)?;
        Ok(page)
    }

    /// All events coded from one article, in sentence order (empty if none or unknown),
    /// with their aggregates' counts.
    pub fn events_for_article(&self, id: &str) -> Result<Vec<Event>, StoreError> {
        let mut events = self.backend.events_for_article(id)?;
        aggregate::attach_aggregates(self, &mut events)?;
        Ok(events)
    }

    /// Switches near-duplicate clustering and event aggregation of new articles on (the
    /// default) or off. Off, every article is a story of its own and every event an
    /// aggregate of its own (counts are still kept); for measuring what aggregation costs.
    pub fn set_aggregation(&mut self, on: bool) {
        self.backend.set_aggregation(on);
    }

    /// Number of aggregated (real-world) events.
    pub fn aggregated_event_count(&self) -> Result<u64, StoreError> {
        aggregate::aggregated_event_count(self)
    }

    /// Every mention of the aggregated event `agg_id` (each member event in each copy of
    /// its article), at most `limit`.
    pub fn event_mentions(&self, agg_id: &str, limit: usize) -> Result<Vec<Mention>, StoreError> {
        aggregate::event_mentions(self, agg_id, limit)
    }

    /// Every stored copy (input record) of every article with its story cluster.
    pub fn article_clusters(&self) -> Result<Vec<ClusterRow>, StoreError> {
        aggregate::cluster_rows(self, None)
    }

    /// The copies of every article in the story cluster of `article_id` (empty when the
    /// article is unknown).
    pub fn article_cluster(&self, article_id: &str) -> Result<Vec<ClusterRow>, StoreError> {
        match aggregate::cluster_of(self, article_id)? {
            Some(c) => aggregate::cluster_rows(self, Some(&c)),
            None => Ok(Vec::new()),
        }
    }

    /// Totals: articles, events, mentions, skips, date range, per-PLOVER and per-country.
    pub fn stats(&self) -> Result<Stats, StoreError> {
        self.backend.stats()
    }

    /// Logs an input that could not be used (`source` reference and why).
    pub fn record_skip(&mut self, source: &str, reason: &str) -> Result<(), StoreError> {
        self.backend.record_skip(source, reason)
    }

    /// Adds work items (paths or URLs) to the queue as `pending`, in the given order, and
    /// returns how many were added. An item already queued while pending, running or done
    /// adds nothing; one parked as `failed` is put back to `pending` with a fresh attempt
    /// count (and counts as added). Empty items are refused ([`StoreError::InvalidQuery`]).
    pub fn enqueue(&mut self, items: &[String]) -> Result<usize, StoreError> {
        queue::check_items(items)?;
        self.backend.enqueue(items)
    }

    /// Claims the oldest item that is `pending`, or `running` with an expired lease (its
    /// worker is presumed dead), for `worker`, until `lease` from now. Returns `None` when
    /// nothing is claimable. Safe with many workers at once: each item has one holder.
    /// An expired item that already had [`MAX_ATTEMPTS`] attempts is parked as `failed`
    /// instead of being handed out again.
    pub fn claim(&mut self, worker: &str, lease: Duration) -> Result<Option<WorkItem>, StoreError> {
        queue::check_worker(worker)?;
        queue::lease_millis(lease)?;
        self.backend.claim(worker, lease)
    }

    /// Marks an item this worker holds as `done`. Fails with [`StoreError::LeaseLost`] when
    /// the worker no longer holds it (another worker reclaimed it after the lease ran out).
    /// A worker whose lease ran out but whose item nobody reclaimed yet still holds it.
    pub fn complete(&mut self, id: i64, worker: &str) -> Result<(), StoreError> {
        self.backend.complete(id, worker)
    }

    /// Gives back an item this worker holds, recording `reason`: it goes back to `pending`
    /// while it has had fewer than [`MAX_ATTEMPTS`] attempts ([`FailOutcome::Retry`]), else it
    /// is parked as `failed` ([`FailOutcome::Failed`]). [`StoreError::LeaseLost`] as for
    /// [`Store::complete`].
    pub fn fail(&mut self, id: i64, worker: &str, reason: &str) -> Result<FailOutcome, StoreError> {
        self.backend.fail(id, worker, reason)
    }

    /// Extends the lease of an item this worker holds to `lease` from now (call it well
    /// before the lease runs out). [`StoreError::LeaseLost`] as for [`Store::complete`].
    pub fn heartbeat(&mut self, id: i64, worker: &str, lease: Duration) -> Result<(), StoreError> {
        queue::lease_millis(lease)?;
        self.backend.heartbeat(id, worker, lease)
    }

    /// Events matching `f`, one page at a time, ordered by (date, id) as
    /// [`Store::events`] (same cursors).
    pub fn list_events(&self, f: &Filter, p: &Paging) -> Result<Page<Event>, StoreError> {
        let mut page = aggregate::list_events(self, f, p)?;
        aggregate::attach_aggregates(self, &mut page.items)?;
        Ok(page)
    }

    /// Dated events matching `f` per day, split by QuadClass or PLOVER type.
    pub fn daily_counts(&self, f: &Filter, by: DailyKey) -> Result<Vec<DailyCount>, StoreError> {
        aggregate::daily_counts(self, f, by)
    }

    /// The most frequent source country → target country pairs among events matching `f`
    /// (at most `limit`, default [`aggregate::DEFAULT_TOP`]).
    pub fn top_dyads(&self, f: &Filter, limit: Option<usize>) -> Result<Vec<Dyad>, StoreError> {
        aggregate::top_dyads(self, f, limit)
    }

    /// Events matching `f` per country (in the given actor role), most first.
    pub fn country_counts(&self, f: &Filter, role: CountryRole) -> Result<Vec<Count>, StoreError> {
        aggregate::country_counts(self, f, role)
    }

    /// Events matching `f` per geocoded point, most first.
    pub fn place_counts(
        &self,
        f: &Filter,
        limit: Option<usize>,
    ) -> Result<Vec<PlaceCount>, StoreError> {
        aggregate::place_counts(self, f, limit)
    }

    /// The daily conflict/cooperation index of events matching `f` (formula on
    /// [`IndexPoint`]).
    pub fn daily_index(&self, f: &Filter) -> Result<Vec<IndexPoint>, StoreError> {
        aggregate::daily_index(self, f)
    }

    /// One page (at most `limit`) of the filterable columns of events, in id order, after
    /// the id `after` (for callers keeping an in-memory copy).
    pub fn event_facts(
        &self,
        after: Option<&str>,
        limit: usize,
    ) -> Result<Vec<aggregate::Fact>, StoreError> {
        aggregate::event_facts(self, after, limit)
    }

    /// The events with these ids, in the order given (unknown ids are left out).
    pub fn events_by_ids(&self, ids: &[String]) -> Result<Vec<Event>, StoreError> {
        let mut events = aggregate::events_by_ids(self, ids)?;
        aggregate::attach_aggregates(self, &mut events)?;
        Ok(events)
    }

    /// The events with these ids as JSON text, in the order given (unknown ids are left
    /// out): [`Store::events_by_ids`] serialised, for callers that pass it on.
    pub fn event_json_by_ids(&self, ids: &[String]) -> Result<Vec<String>, StoreError> {
        self.events_by_ids(ids)?
            .iter()
            .map(|e| serde_json::to_string(e).map_err(StoreError::from))
            .collect()
    }

    /// The ids of the aggregated events with a mention whose evidence matches the
    /// full-text words of `text` (the meaning of [`Filter::text`]), in no particular order.
    pub fn text_matches(&self, text: &str) -> Result<Vec<String>, StoreError> {
        aggregate::text_matches(self, text)
    }

    /// Number of stored events.
    pub fn event_count(&self) -> Result<u64, StoreError> {
        aggregate::event_count(self)
    }

    /// The name and country of the place at exactly these coordinates, if any event is there.
    pub fn place_name(
        &self,
        lat: f64,
        lon: f64,
    ) -> Result<Option<(String, Option<String>)>, StoreError> {
        aggregate::place_name(self, lat, lon)
    }

    /// Items per state.
    pub fn queue_stats(&self) -> Result<QueueStats, StoreError> {
        self.backend.queue_stats()
    }
}

impl aggregate::Run for Store {
    fn dialect(&self) -> aggregate::Dialect {
        match self.backend.kind() {
            "postgres" => aggregate::Dialect::Postgres,
            _ => aggregate::Dialect::Sqlite,
        }
    }

    fn rows(&self, q: &aggregate::Select) -> Result<Vec<Vec<aggregate::Cell>>, StoreError> {
        self.backend.select(q)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_choose_the_backend() {
        assert!(is_postgres_spec("postgres://u@h/db"));
        assert!(is_postgres_spec("PostgreSQL://h:5432/db?x=y"));
        assert!(!is_postgres_spec("outpost.db"));
        assert!(!is_postgres_spec("./postgres/outpost.db"));
        assert!(!is_postgres_spec("sqlite.db"));
    }

    #[test]
    fn connect_with_a_path_opens_sqlite() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.db");
        let store = Store::connect(path.to_str().unwrap()).unwrap();
        assert_eq!(store.backend_kind(), "sqlite");
        assert_eq!(store.schema_version().unwrap(), migrations::known_version());
        assert!(path.exists());
    }

    #[test]
    fn connect_to_a_closed_port_fails_with_a_postgres_error() {
        // Port 1 on loopback: nothing listens there; the refusal is immediate.
        let err = Store::connect("postgres://postgres@127.0.0.1:1/postgres").unwrap_err();
        assert!(matches!(err, StoreError::Postgres(_)), "{err}");
        // The cause (refused) is part of the message, not only "error connecting".
        let msg = err.to_string().to_lowercase();
        assert!(msg.contains("refused"), "{msg}");
    }
}
