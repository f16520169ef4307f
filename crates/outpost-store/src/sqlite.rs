//! The SQLite backend: one file in WAL mode, or a private in-memory database.
//!
//! The schema version is kept in `PRAGMA user_version`; [`MIGRATIONS`] are applied in
//! order, all pending ones inside one transaction, so a database is never left between
//! versions.
//!
//! Writers (article inserts, queue claims) take the write lock up front (`BEGIN IMMEDIATE`),
//! so several processes sharing one file queue up behind the busy timeout instead of
//! failing on a lock upgrade. Queue leases use this machine's clock (Unix milliseconds).

use std::path::Path;
use std::time::Duration;

use chrono::{NaiveDate, SecondsFormat, Utc};
use outpost_core::{Article, Event};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params, params_from_iter};

use crate::aggregate::{Arg, Cell, Select};
use crate::backend::Backend;
use crate::dedup::{self, Tx};
use crate::error::StoreError;
use crate::query::{
    Count, Cursor, EventQuery, InsertOutcome, Page, Sort, Stats, date_str, fts_query,
    validate_events,
};
use crate::queue::{
    FailOutcome, MAX_ATTEMPTS, QueueStats, WorkItem, attempts, expired_reason, lease_millis,
};
use crate::watch::{
    self, AlertRecord, FeedSpec, FeedState, NewAlert, PollRecord, UrlInfo, UrlState,
};

/// The SQLite schema migrations, in order: (version, SQL). Version N is the N-th entry.
pub const MIGRATIONS: &[(u32, &str)] = crate::migrations::SQLITE;

/// How long a writer waits for another connection's lock before failing.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The highest schema version this build knows.
pub fn known_version() -> u32 {
    crate::migrations::known_version()
}

/// An open SQLite database.
#[derive(Debug)]
pub struct SqliteBackend {
    conn: Connection,
    /// Whether new articles are clustered and their events aggregated (default on).
    aggregate: bool,
    /// Whether this connection has been set up for write batches.
    batching: bool,
}

impl SqliteBackend {
    /// Opens or creates the database file at `path`, switches it to WAL and migrates it.
    ///
    /// Several processes may open a fresh file at the same moment: SQLite answers "busy"
    /// without waiting to some of them while another switches the file to WAL or runs
    /// recovery, so a busy start is retried (for up to [`BUSY_TIMEOUT`]).
    pub fn open(path: &Path) -> Result<SqliteBackend, StoreError> {
        let started = std::time::Instant::now();
        loop {
            let conn = Connection::open(path)?;
            match Self::setup(conn, true) {
                Err(StoreError::Sqlite(rusqlite::Error::SqliteFailure(e, _)))
                    if e.code == rusqlite::ErrorCode::DatabaseBusy
                        && started.elapsed() < BUSY_TIMEOUT =>
                {
                    std::thread::sleep(Duration::from_millis(20));
                }
                other => return other,
            }
        }
    }

    /// A private in-memory database with the current schema.
    pub fn open_in_memory() -> Result<SqliteBackend, StoreError> {
        Self::setup(Connection::open_in_memory()?, false)
    }

    fn setup(mut conn: Connection, wal: bool) -> Result<SqliteBackend, StoreError> {
        conn.busy_timeout(BUSY_TIMEOUT)?;
        conn.pragma_update(None, "foreign_keys", true)?;
        // Refuse a newer schema before changing anything in the file (journal mode included).
        let found = user_version(&conn)?;
        let known = known_version();
        if found > known {
            return Err(StoreError::SchemaTooNew { found, known });
        }
        if wal {
            let mode: String =
                conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))?;
            if !mode.eq_ignore_ascii_case("wal") {
                return Err(StoreError::Corrupt(format!(
                    "could not switch to WAL (journal mode is {mode})"
                )));
            }
            conn.pragma_update(None, "synchronous", "NORMAL")?;
        }
        // Room for every statement of an article insert (with deduplication: its multi-row
        // statements have one shape per row count) and the queries.
        conn.set_prepared_statement_cache_capacity(256);
        // Plans do not depend on bound values: cached statements are never re-prepared.
        conn.set_db_config(
            rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
            true,
        )?;
        migrate(&mut conn)?;
        Ok(SqliteBackend {
            conn,
            aggregate: true,
            batching: false,
        })
    }
}

fn user_version(conn: &Connection) -> Result<u32, StoreError> {
    let v: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    u32::try_from(v).map_err(|_| StoreError::Corrupt(format!("schema version {v}")))
}

/// Applies every migration newer than the database's version, in one transaction.
fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    // Up to date: take no write lock (readers open connections while a writer works).
    if user_version(conn)? == known_version() {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    // Read again under the write lock: another process may have migrated meanwhile.
    let found = user_version(&tx)?;
    let known = known_version();
    if found > known {
        return Err(StoreError::SchemaTooNew { found, known });
    }
    for (version, sql) in MIGRATIONS.iter().filter(|m| m.0 > found) {
        tx.execute_batch(sql)?;
        if *version == dedup::BANDS_MIGRATION {
            dedup::rebuild_bands(&mut SqliteTx(&tx))?;
        }
        tx.pragma_update(None, "user_version", version)?;
    }
    tx.commit()?;
    Ok(())
}

fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// This machine's clock in Unix milliseconds (the queue's time base on SQLite).
fn now_ms() -> i64 {
    Utc::now().timestamp_millis()
}

fn parse_date(col: &str, s: Option<String>) -> Result<Option<NaiveDate>, StoreError> {
    s.map(|s| {
        NaiveDate::parse_from_str(&s, "%Y-%m-%d")
            .map_err(|_| StoreError::Corrupt(format!("{col} {s:?} is not YYYY-MM-DD")))
    })
    .transpose()
}

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

const ARTICLE_COLUMNS: &str =
    "id, source, url, title, date, modified, authors, site, language, wire, text";

type ArticleRow = (
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
);

fn article_from_row(r: ArticleRow) -> Result<Article, StoreError> {
    let (id, source, url, title, date, modified, authors, site, language, wire, text) = r;
    Ok(Article {
        id,
        source,
        url,
        title,
        date: parse_date("article date", date)?,
        modified: parse_date("article modified", modified)?,
        authors: serde_json::from_str(&authors)?,
        site,
        language,
        wire,
        text,
    })
}

/// A claim candidate: id, item, state, attempts, last error, last worker.
type QueueRow = (i64, String, String, i64, Option<String>, Option<String>);

/// Space-joined actor phrases of an event, for the full-text index.
fn actor_text(e: &Event) -> String {
    let mut parts = vec![e.source.text.as_str()];
    if let Some(t) = &e.target {
        parts.push(&t.text);
    }
    parts.extend(e.parties.iter().map(|p| p.text.as_str()));
    parts.join(" ")
}

fn sql_values(args: &[Arg]) -> impl Iterator<Item = Value> + '_ {
    args.iter().map(|a| match a {
        Arg::Text(s) => Value::Text(s.clone()),
        Arg::Int(i) => Value::Integer(*i),
        Arg::Real(r) => Value::Real(*r),
        Arg::Null => Value::Null,
        Arg::Blob(b) => Value::Blob(b.clone()),
    })
}

/// Runs one query with bound arguments and returns its rows as [`Cell`]s.
fn run_rows(conn: &Connection, sql: &str, args: &[Arg]) -> Result<Vec<Vec<Cell>>, StoreError> {
    let mut stmt = conn.prepare_cached(sql)?;
    let n = stmt.column_count();
    let mut rows = stmt.query(params_from_iter(sql_values(args)))?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let mut row = Vec::with_capacity(n);
        for i in 0..n {
            row.push(match r.get::<_, Value>(i)? {
                Value::Null => Cell::Null,
                Value::Integer(v) => Cell::Int(v),
                Value::Real(v) => Cell::Real(v),
                Value::Text(v) => Cell::Text(v),
                Value::Blob(v) => Cell::Blob(v),
            });
        }
        out.push(row);
    }
    Ok(out)
}

/// The deduplication statements inside a SQLite transaction.
struct SqliteTx<'a>(&'a Connection);

impl Tx for SqliteTx<'_> {
    fn postgres(&self) -> bool {
        false
    }

    fn rows(&mut self, sql: &str, args: &[Arg]) -> Result<Vec<Vec<Cell>>, StoreError> {
        run_rows(self.0, sql, args)
    }

    fn exec(&mut self, sql: &str, args: &[Arg]) -> Result<u64, StoreError> {
        let mut stmt = self.0.prepare_cached(sql)?;
        Ok(stmt.execute(params_from_iter(sql_values(args)))? as u64)
    }
}

/// The writes of [`Backend::insert_article`] inside an open transaction or savepoint `tx`
/// (the caller commits).
fn insert_in(
    tx: &Connection,
    article: &Article,
    events: &[Event],
    aggregate: bool,
) -> Result<InsertOutcome, StoreError> {
    let at = now();
    let exists = tx
        .prepare_cached("SELECT 1 FROM articles WHERE id = ?1")?
        .query_row([&article.id], |_| Ok(()))
        .optional()?
        .is_some();
    let (copy_key, site_key) = dedup::copy_keys(article);
    if exists {
        let seen = dedup::copy_seen(&mut SqliteTx(tx), &article.id, &copy_key)?;
        let n = tx
            .prepare_cached(
                "INSERT INTO mentions (article_id, source, url, site, seen_at, copy_key, site_key)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT (article_id, source) DO NOTHING",
            )?
            .execute(params![
                article.id,
                article.source,
                article.url,
                article.site,
                at,
                copy_key,
                site_key
            ])?;
        if n > 0 && !seen {
            dedup::add_copy(&mut SqliteTx(tx), &article.id, &copy_key, &site_key)?;
        }
        return Ok(InsertOutcome::AlreadyPresent);
    }
    // The story cluster is found first, so the article row (with its text) is written once.
    let clustering = dedup::find_cluster(&mut SqliteTx(tx), article, aggregate)?;
    tx.prepare_cached(&format!(
        "INSERT INTO articles ({ARTICLE_COLUMNS}, ingested_at, cluster_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
    ))?
    .execute(params![
        article.id,
        article.source,
        article.url,
        article.title,
        article.date.map(date_str),
        article.modified.map(date_str),
        serde_json::to_string(&article.authors)?,
        article.site,
        article.language,
        article.wire,
        article.text,
        at,
        clustering.cluster,
    ])?;
    tx.prepare_cached(
        "INSERT INTO mentions (article_id, source, url, site, seen_at, copy_key, site_key)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        article.id,
        article.source,
        article.url,
        article.site,
        at,
        copy_key,
        site_key
    ])?;
    dedup::store_cluster(&mut SqliteTx(tx), &article.id, &clustering)?;
    let copies = [(copy_key, site_key)];
    // Aggregates are chosen first, so each event row is written once, with its `agg_id`.
    let stored = dedup::distinct_events(events);
    let aggs = dedup::aggregate_events(&mut SqliteTx(tx), article, &copies, &stored, aggregate)?;
    {
        let mut ins = tx.prepare_cached(
            "INSERT INTO events (id, article_id, sentence, date, date_key, date_precision,
                plover, mode, cameo, cameo_root, goldstein, quad_class, acled_type,
                acled_subtype, status, source_code, source_country, target_code,
                target_country, location_country, lat, lon, confidence, json, agg_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,
                ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25)
             ON CONFLICT (id) DO NOTHING",
        )?;
        let mut fts = tx.prepare_cached(
            "INSERT INTO events_fts (event_id, sentence, trigger, actors)
             VALUES (?1, ?2, ?3, ?4)",
        )?;
        for (e, agg) in stored.iter().zip(&aggs) {
            let date = e.date.map(|d| date_str(d.date));
            let precision = e
                .date_precision
                .or(e.date.map(|d| d.precision))
                .map(|p| p.as_str());
            let cameo_root: String = e.cameo.chars().take(2).collect();
            let n = ins.execute(params![
                e.id,
                article.id,
                i64::try_from(e.evidence.sentence).unwrap_or(i64::MAX),
                date,
                date.clone().unwrap_or_default(),
                precision,
                e.plover,
                e.mode,
                e.cameo,
                cameo_root,
                e.goldstein,
                e.quad_class,
                e.acled.as_ref().map(|a| &a.event_type),
                e.acled.as_ref().map(|a| &a.sub_event_type),
                e.status.as_str(),
                e.source.code,
                e.source.country,
                e.target.as_ref().map(|t| &t.code),
                e.target.as_ref().and_then(|t| t.country.as_ref()),
                e.location.as_ref().and_then(|l| l.country.as_ref()),
                e.location.as_ref().map(|l| l.lat),
                e.location.as_ref().map(|l| l.lon),
                e.confidence,
                serde_json::to_string(e)?,
                agg,
            ])?;
            if n > 0 {
                fts.execute(params![
                    e.id,
                    e.evidence.text,
                    e.evidence.trigger,
                    actor_text(e)
                ])?;
            }
        }
    }
    Ok(InsertOutcome::Added)
}

impl Backend for SqliteBackend {
    fn kind(&self) -> &'static str {
        "sqlite"
    }

    fn schema_version(&self) -> Result<u32, StoreError> {
        user_version(&self.conn)
    }

    fn insert_article(
        &mut self,
        article: &Article,
        events: &[Event],
    ) -> Result<InsertOutcome, StoreError> {
        validate_events(article, events)?;
        if self.conn.is_autocommit() {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            let outcome = insert_in(&tx, article, events, self.aggregate)?;
            tx.commit()?;
            Ok(outcome)
        } else {
            // Inside a batch (`begin_batch`): a savepoint, so a failed article leaves the
            // batch's other articles alone.
            let sp = self.conn.savepoint()?;
            let outcome = insert_in(&sp, article, events, self.aggregate)?;
            sp.commit()?;
            Ok(outcome)
        }
    }

    fn begin_batch(&mut self) -> Result<(), StoreError> {
        if !self.batching {
            // A writer's settings, not every reader's: savepoint journals (one per article)
            // stay in memory, and a batch's pages fit the page cache (64 MiB at most) instead
            // of spilling mid-batch.
            self.conn.pragma_update(None, "temp_store", "MEMORY")?;
            self.conn.pragma_update(None, "cache_size", -65536)?;
            // Checkpoint the WAL every ~32 MiB instead of 4 MiB: index pages that many
            // batches touch are copied back to the database once, not over and over.
            self.conn.pragma_update(None, "wal_autocheckpoint", 8192)?;
            self.batching = true;
        }
        if self.conn.is_autocommit() {
            self.conn.execute_batch("BEGIN IMMEDIATE")?;
        }
        Ok(())
    }

    fn commit_batch(&mut self) -> Result<(), StoreError> {
        if !self.conn.is_autocommit() {
            self.conn.execute_batch("COMMIT")?;
        }
        Ok(())
    }

    fn has_article(&self, id: &str) -> Result<bool, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT 1 FROM articles WHERE id = ?1", [id], |_| Ok(()))
            .optional()?
            .is_some())
    }

    fn article(&self, id: &str) -> Result<Option<Article>, StoreError> {
        let row: Option<ArticleRow> = self
            .conn
            .query_row(
                &format!("SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = ?1"),
                [id],
                |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                        r.get(6)?,
                        r.get(7)?,
                        r.get(8)?,
                        r.get(9)?,
                        r.get(10)?,
                    ))
                },
            )
            .optional()?;
        row.map(article_from_row).transpose()
    }

    fn event(&self, id: &str) -> Result<Option<Event>, StoreError> {
        let json: Option<String> = self
            .conn
            .query_row("SELECT json FROM events WHERE id = ?1", [id], |r| r.get(0))
            .optional()?;
        Ok(json.map(|j| serde_json::from_str(&j)).transpose()?)
    }

    fn events(&self, q: &EventQuery) -> Result<Page<Event>, StoreError> {
        q.validate()?;
        let limit = q.effective_limit()?;
        let mut conds: Vec<&str> = Vec::new();
        let mut args: Vec<Value> = Vec::new();
        if let Some(f) = q.from {
            conds.push("date IS NOT NULL AND date >= ?");
            args.push(Value::Text(date_str(f)));
        }
        if let Some(t) = q.to {
            conds.push("date IS NOT NULL AND date <= ?");
            args.push(Value::Text(date_str(t)));
        }
        if let Some(c) = &q.country {
            conds.push("(source_country = ? OR target_country = ? OR location_country = ?)");
            let c = c.trim().to_ascii_uppercase();
            for _ in 0..3 {
                args.push(Value::Text(c.clone()));
            }
        }
        if let Some(p) = &q.plover {
            conds.push("plover = ?");
            args.push(Value::Text(p.trim().to_ascii_uppercase()));
        }
        if let Some(r) = &q.cameo_root {
            conds.push("cameo_root = ?");
            args.push(Value::Text(r.clone()));
        }
        if let Some(qc) = q.quad_class {
            conds.push("quad_class = ?");
            args.push(Value::Integer(i64::from(qc)));
        }
        if let Some(s) = q.status {
            conds.push("status = ?");
            args.push(Value::Text(s.as_str().to_string()));
        }
        if let Some(a) = &q.article_id {
            conds.push("article_id = ?");
            args.push(Value::Text(a.clone()));
        }
        let aggregated = !q.all_mentions && q.article_id.is_none();
        if aggregated {
            conds.push("agg_id = id");
        }
        if let Some(t) = &q.text {
            conds.push(if aggregated {
                "id IN (SELECT agg_id FROM events WHERE id IN \
                    (SELECT event_id FROM events_fts WHERE events_fts MATCH ?))"
            } else {
                "id IN (SELECT event_id FROM events_fts WHERE events_fts MATCH ?)"
            });
            args.push(Value::Text(fts_query(t)?));
        }
        let (cmp, dir) = match q.sort {
            Sort::Newest => ("<", "DESC"),
            Sort::Oldest => (">", "ASC"),
        };
        let cursor_cond = format!("(date_key, id) {cmp} (?, ?)");
        if let Some(c) = &q.cursor {
            let c = Cursor::parse(c)?;
            conds.push(&cursor_cond);
            args.push(Value::Text(c.date_key));
            args.push(Value::Text(c.id));
        }
        let filter = if conds.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", conds.join(" AND "))
        };
        let sql = format!(
            "SELECT date_key, id, json FROM events {filter}
             ORDER BY date_key {dir}, id {dir} LIMIT ?"
        );
        args.push(Value::Integer(i64::try_from(limit + 1).unwrap_or(i64::MAX)));
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(params_from_iter(args), |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        let mut keyed = Vec::new();
        for row in rows {
            keyed.push(row?);
        }
        let next_cursor = if keyed.len() > limit {
            keyed.truncate(limit);
            keyed.last().map(|(date_key, id, _)| {
                Cursor {
                    date_key: date_key.clone(),
                    id: id.clone(),
                }
                .encode()
            })
        } else {
            None
        };
        let items = keyed
            .into_iter()
            .map(|(_, _, json)| serde_json::from_str(&json))
            .collect::<Result<Vec<Event>, _>>()?;
        Ok(Page { items, next_cursor })
    }

    fn events_for_article(&self, id: &str) -> Result<Vec<Event>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT json FROM events WHERE article_id = ?1 ORDER BY sentence, id")?;
        let rows = stmt.query_map([id], |r| r.get::<_, String>(0))?;
        let mut out = Vec::new();
        for json in rows {
            out.push(serde_json::from_str(&json?)?);
        }
        Ok(out)
    }

    fn stats(&self) -> Result<Stats, StoreError> {
        let scalar = |sql: &str| -> Result<i64, StoreError> {
            Ok(self.conn.query_row(sql, [], |r| r.get(0))?)
        };
        let counts = |sql: &str| -> Result<Vec<Count>, StoreError> {
            let mut stmt = self.conn.prepare(sql)?;
            let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
            let mut out = Vec::new();
            for row in rows {
                let (key, n) = row?;
                out.push(Count {
                    key,
                    count: count(n),
                });
            }
            Ok(out)
        };
        let (first_date, last_date): (Option<String>, Option<String>) =
            self.conn
                .query_row("SELECT MIN(date), MAX(date) FROM events", [], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })?;
        Ok(Stats {
            articles: count(scalar("SELECT COUNT(*) FROM articles")?),
            events: count(scalar("SELECT COUNT(*) FROM events")?),
            mentions: count(scalar("SELECT COUNT(*) FROM mentions")?),
            skipped: count(scalar("SELECT COUNT(*) FROM skipped")?),
            first_date,
            last_date,
            by_plover: counts(
                "SELECT plover, COUNT(*) AS n FROM events GROUP BY plover ORDER BY n DESC, plover",
            )?,
            by_country: counts(
                "SELECT c, COUNT(*) AS n FROM (
                    SELECT id, source_country AS c FROM events
                    UNION SELECT id, target_country FROM events
                    UNION SELECT id, location_country FROM events
                 ) WHERE c IS NOT NULL GROUP BY c ORDER BY n DESC, c",
            )?,
        })
    }

    fn record_skip(&mut self, source: &str, reason: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT OR IGNORE INTO skipped (source, reason, at) VALUES (?1, ?2, ?3)",
            params![source, reason, now()],
        )?;
        Ok(())
    }

    fn enqueue(&mut self, items: &[String]) -> Result<usize, StoreError> {
        let at = now_ms();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut added = 0;
        {
            let mut ins = tx.prepare(
                "INSERT INTO work_queue (item, enqueued_at, updated_at) VALUES (?1, ?2, ?2)
                 ON CONFLICT (item) DO UPDATE
                    SET state = 'pending', attempts = 0, lease_until = NULL, updated_at = ?2
                    WHERE work_queue.state = 'failed'",
            )?;
            for item in items {
                added += ins.execute(params![item, at])?;
            }
        }
        tx.commit()?;
        Ok(added)
    }

    fn claim(&mut self, worker: &str, lease: Duration) -> Result<Option<WorkItem>, StoreError> {
        let lease = lease_millis(lease)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let now = now_ms();
        loop {
            let row: Option<QueueRow> = tx
                .query_row(
                    "SELECT id, item, state, attempts, last_error, worker FROM work_queue
                     WHERE state = 'pending' OR (state = 'running' AND lease_until < ?1)
                     ORDER BY id LIMIT 1",
                    [now],
                    |r| {
                        Ok((
                            r.get(0)?,
                            r.get(1)?,
                            r.get(2)?,
                            r.get(3)?,
                            r.get(4)?,
                            r.get(5)?,
                        ))
                    },
                )
                .optional()?;
            let Some((id, item, state, tries, last_error, old_worker)) = row else {
                tx.commit()?;
                return Ok(None);
            };
            let tries = attempts(tries)?;
            if state == "running" && tries >= MAX_ATTEMPTS {
                tx.execute(
                    "UPDATE work_queue SET state = 'failed', lease_until = NULL,
                        last_error = ?2, updated_at = ?3 WHERE id = ?1",
                    params![id, expired_reason(tries, old_worker.as_deref()), now],
                )?;
                continue;
            }
            tx.execute(
                "UPDATE work_queue SET state = 'running', worker = ?2, attempts = attempts + 1,
                    lease_until = ?3, updated_at = ?4 WHERE id = ?1",
                params![id, worker, now.saturating_add(lease), now],
            )?;
            tx.commit()?;
            return Ok(Some(WorkItem {
                id,
                item,
                attempts: tries + 1,
                last_error,
            }));
        }
    }

    fn complete(&mut self, id: i64, worker: &str) -> Result<(), StoreError> {
        let n = self.conn.execute(
            "UPDATE work_queue SET state = 'done', lease_until = NULL, updated_at = ?3
             WHERE id = ?1 AND worker = ?2 AND state = 'running'",
            params![id, worker, now_ms()],
        )?;
        held(n, id, worker)
    }

    fn fail(&mut self, id: i64, worker: &str, reason: &str) -> Result<FailOutcome, StoreError> {
        let state: Option<String> = self
            .conn
            .query_row(
                "UPDATE work_queue
                    SET state = CASE WHEN attempts >= ?3 THEN 'failed' ELSE 'pending' END,
                        lease_until = NULL, last_error = ?4, updated_at = ?5
                 WHERE id = ?1 AND worker = ?2 AND state = 'running'
                 RETURNING state",
                params![id, worker, MAX_ATTEMPTS, reason, now_ms()],
                |r| r.get(0),
            )
            .optional()?;
        fail_outcome(state, id, worker)
    }

    fn heartbeat(&mut self, id: i64, worker: &str, lease: Duration) -> Result<(), StoreError> {
        let lease = lease_millis(lease)?;
        let now = now_ms();
        let n = self.conn.execute(
            "UPDATE work_queue SET lease_until = ?3, updated_at = ?4
             WHERE id = ?1 AND worker = ?2 AND state = 'running'",
            params![id, worker, now.saturating_add(lease), now],
        )?;
        held(n, id, worker)
    }

    fn select(&self, q: &Select) -> Result<Vec<Vec<Cell>>, StoreError> {
        run_rows(&self.conn, q.sql(), q.args())
    }

    fn set_aggregation(&mut self, on: bool) {
        self.aggregate = on;
    }

    fn queue_stats(&self) -> Result<QueueStats, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT state, COUNT(*) FROM work_queue GROUP BY state")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
        let mut stats = QueueStats::default();
        for row in rows {
            let (state, n) = row?;
            stats.add(&state, n)?;
        }
        Ok(stats)
    }

    fn add_feed(&mut self, feed: &FeedSpec) -> Result<i64, StoreError> {
        watch::sqlite::add_feed(&self.conn, feed)
    }

    fn remove_feed(&mut self, url: &str) -> Result<bool, StoreError> {
        watch::sqlite::remove_feed(&self.conn, url)
    }

    fn feeds(&self) -> Result<Vec<FeedState>, StoreError> {
        watch::sqlite::feeds(&self.conn)
    }

    fn record_poll(&mut self, id: i64, poll: &PollRecord) -> Result<(), StoreError> {
        watch::sqlite::record_poll(&self.conn, id, poll)
    }

    fn unseen_urls(&self, urls: &[String]) -> Result<Vec<String>, StoreError> {
        watch::sqlite::unseen_urls(&self.conn, urls)
    }

    fn record_url(
        &mut self,
        url: &str,
        feed_id: Option<i64>,
        state: UrlState,
        detail: Option<&str>,
    ) -> Result<u32, StoreError> {
        watch::sqlite::record_url(&self.conn, url, feed_id, state, detail)
    }

    fn url_info(&self, url: &str) -> Result<Option<UrlInfo>, StoreError> {
        watch::sqlite::url_info(&self.conn, url)
    }

    fn put_alert_rule(&mut self, name: &str, rule: &serde_json::Value) -> Result<(), StoreError> {
        watch::sqlite::put_alert_rule(&self.conn, name, rule)
    }

    fn remove_alert_rule(&mut self, name: &str) -> Result<bool, StoreError> {
        watch::sqlite::remove_alert_rule(&self.conn, name)
    }

    fn alert_rules(&self) -> Result<Vec<(String, serde_json::Value)>, StoreError> {
        watch::sqlite::alert_rules(&self.conn)
    }

    fn alert_state(&self, rule: &str) -> Result<Option<serde_json::Value>, StoreError> {
        watch::sqlite::alert_state(&self.conn, rule)
    }

    fn put_alert_state(&mut self, rule: &str, state: &serde_json::Value) -> Result<(), StoreError> {
        watch::sqlite::put_alert_state(&self.conn, rule, state)
    }

    fn insert_alert(&mut self, alert: &NewAlert) -> Result<Option<i64>, StoreError> {
        watch::sqlite::insert_alert(&self.conn, alert)
    }

    fn alerts(&self, limit: usize) -> Result<Vec<AlertRecord>, StoreError> {
        watch::sqlite::alerts(&self.conn, limit)
    }

    fn set_alert_delivery(
        &mut self,
        id: i64,
        delivered: bool,
        error: Option<&str>,
    ) -> Result<(), StoreError> {
        watch::sqlite::set_alert_delivery(&self.conn, id, delivered, error)
    }

    fn mention_counts(&self, ids: &[String]) -> Result<Vec<(String, u64)>, StoreError> {
        watch::sqlite::mention_counts(&self.conn, ids)
    }
}

/// `Ok` when an update touched the held item, else [`StoreError::LeaseLost`].
pub(crate) fn held(rows: usize, id: i64, worker: &str) -> Result<(), StoreError> {
    if rows == 0 {
        return Err(StoreError::LeaseLost {
            id,
            worker: worker.to_string(),
        });
    }
    Ok(())
}

/// The outcome of a `fail` from the state it left the item in.
pub(crate) fn fail_outcome(
    state: Option<String>,
    id: i64,
    worker: &str,
) -> Result<FailOutcome, StoreError> {
    match state.as_deref() {
        None => Err(StoreError::LeaseLost {
            id,
            worker: worker.to_string(),
        }),
        Some("pending") => Ok(FailOutcome::Retry),
        Some("failed") => Ok(FailOutcome::Failed),
        Some(other) => Err(StoreError::Corrupt(format!("work item state {other:?}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_numbered_one_to_n() {
        for (i, (v, sql)) in MIGRATIONS.iter().enumerate() {
            assert_eq!(*v as usize, i + 1);
            assert!(!sql.trim().is_empty());
        }
        assert_eq!(known_version() as usize, MIGRATIONS.len());
    }

    #[test]
    fn connection_enforces_foreign_keys_and_has_busy_timeout() {
        let dir = tempfile::tempdir().unwrap();
        let b = SqliteBackend::open(&dir.path().join("fk.db")).unwrap();
        let fk: i64 = b
            .conn
            .pragma_query_value(None, "foreign_keys", |r| r.get(0))
            .unwrap();
        assert_eq!(fk, 1);
        let timeout: i64 = b
            .conn
            .pragma_query_value(None, "busy_timeout", |r| r.get(0))
            .unwrap();
        assert_eq!(timeout, 5000);
        let orphan = b.conn.execute(
            "INSERT INTO mentions (article_id, source, seen_at) VALUES ('none', 's', 'now')",
            [],
        );
        assert!(orphan.is_err());
    }
}
