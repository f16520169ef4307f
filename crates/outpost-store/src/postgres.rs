//! The PostgreSQL backend: one connection to a server shared by many workers.
//!
//! Uses the synchronous `postgres` client (it runs its own small Tokio runtime, so do not
//! call it from inside an async task; from `spawn_blocking` or a plain thread is fine).
//! Connections are made without TLS for now ([`postgres::NoTls`]): use it on a trusted
//! network or through a local socket tunnel; TLS support comes later.
//!
//! Schema: the same versions as SQLite ([`crate::migrations::POSTGRES`]), kept in the
//! one-row table `outpost_schema_version`. On connect, under a transaction-scoped advisory
//! lock (so two workers starting at once do not both migrate), the version is read; a newer
//! one is refused ([`StoreError::SchemaTooNew`]) before anything is changed; older ones get
//! every pending migration in that one transaction.
//!
//! Full-text search uses a `tsvector` column with a GIN index. Its lexemes are made by the
//! application ([`crate::query::index_lexemes`]: words folded to lower case, diacritics
//! removed) and stored with `array_to_tsvector`, and a search is a `tsquery` of prefix terms
//! ([`crate::query::tsquery`]). This gives exactly the SQLite FTS semantics (every word
//! required, each as a prefix, diacritic- and case-insensitive) without depending on the
//! server's text-search configuration, locale or the `unaccent` extension. No stemming and
//! no stop words, on either backend.
//!
//! The work queue claims with `SELECT … FOR UPDATE SKIP LOCKED`, so concurrent workers never
//! wait on or take each other's items; leases use the server's clock.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use chrono::{NaiveDate, SecondsFormat, Utc};
use outpost_core::{Article, Event};
use postgres::types::{ToSql, Type};
use postgres::{Client, Config, GenericClient, NoTls, Row};

use crate::aggregate::{Arg, Cell, Select};
use crate::backend::Backend;
use crate::dedup::{self, Tx};
use crate::error::StoreError;
use crate::migrations::{POSTGRES, known_version};
use crate::query::{
    Count, Cursor, EventQuery, InsertOutcome, Page, Sort, Stats, date_str, index_lexemes, tsquery,
    validate_events,
};
use crate::queue::{
    FailOutcome, MAX_ATTEMPTS, QueueStats, WorkItem, attempts, expired_reason, lease_millis,
};
use crate::sqlite::{fail_outcome, held};
use crate::watch::{
    self, AlertRecord, FeedSpec, FeedState, NewAlert, PollRecord, UrlInfo, UrlState,
};

/// Key of the advisory lock taken while checking and migrating the schema ("outpost" in
/// ASCII). Advisory locks are per database, so this only serialises Outpost's own starts.
pub const MIGRATION_LOCK: i64 = 0x006f_7574_706f_7374;

/// How long connecting may take when the URL does not say (`connect_timeout`).
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// An open PostgreSQL database.
pub struct PostgresBackend {
    client: Mutex<Client>,
    /// Prepared statements of the deduplication step, by SQL (named statements live as long
    /// as the connection), so each is parsed and planned once.
    statements: Mutex<HashMap<String, postgres::Statement>>,
    /// Whether new articles are clustered and their events aggregated (default on).
    aggregate: bool,
}

impl std::fmt::Debug for PostgresBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresBackend").finish_non_exhaustive()
    }
}

impl PostgresBackend {
    /// Connects to the server named by a `postgres://user@host:port/db?…` URL (or a
    /// `key=value` connection string), without TLS, and brings the schema up to date.
    pub fn connect(url: &str) -> Result<PostgresBackend, StoreError> {
        let mut config: Config = url.parse()?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        if config.get_application_name().is_none() {
            config.application_name("outpost");
        }
        let mut client = config.connect(NoTls)?;
        migrate(&mut client)?;
        Ok(PostgresBackend {
            client: Mutex::new(client),
            statements: Mutex::new(HashMap::new()),
            aggregate: true,
        })
    }

    fn client(&self) -> MutexGuard<'_, Client> {
        self.client.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The version recorded in `outpost_schema_version`, or 0 when the table is missing.
fn read_version(c: &mut impl GenericClient) -> Result<(u32, bool), StoreError> {
    let exists: bool = c
        .query_one(
            "SELECT to_regclass('outpost_schema_version') IS NOT NULL",
            &[],
        )?
        .try_get(0)?;
    if !exists {
        return Ok((0, false));
    }
    let v: Option<i32> = c
        .query_opt("SELECT max(version) FROM outpost_schema_version", &[])?
        .map(|r| r.try_get::<_, Option<i32>>(0))
        .transpose()?
        .flatten();
    let v = v.unwrap_or(0);
    let v = u32::try_from(v).map_err(|_| StoreError::Corrupt(format!("schema version {v}")))?;
    Ok((v, true))
}

/// Applies every pending migration in one transaction, under the advisory lock.
fn migrate(client: &mut Client) -> Result<(), StoreError> {
    let mut tx = client.transaction()?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])?;
    let (found, has_table) = read_version(&mut tx)?;
    let known = known_version();
    if found > known {
        // Dropping `tx` rolls back: nothing was changed.
        return Err(StoreError::SchemaTooNew { found, known });
    }
    if found == known {
        tx.commit()?;
        return Ok(());
    }
    if !has_table {
        tx.batch_execute(
            "CREATE TABLE outpost_schema_version (version INTEGER NOT NULL);
             INSERT INTO outpost_schema_version (version) VALUES (0);",
        )?;
    }
    for (version, sql) in POSTGRES.iter().filter(|m| m.0 > found) {
        tx.batch_execute(sql)?;
        if *version == dedup::BANDS_MIGRATION {
            dedup::rebuild_bands(&mut PgTx {
                tx: &mut tx,
                statements: &mut HashMap::new(),
            })?;
        }
        let v = i32::try_from(*version)
            .map_err(|_| StoreError::Corrupt(format!("migration version {version}")))?;
        tx.execute("UPDATE outpost_schema_version SET version = $1", &[&v])?;
    }
    tx.commit()?;
    Ok(())
}

fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true)
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

fn article_from_row(r: &Row) -> Result<Article, StoreError> {
    Ok(Article {
        id: r.try_get(0)?,
        source: r.try_get(1)?,
        url: r.try_get(2)?,
        title: r.try_get(3)?,
        date: parse_date("article date", r.try_get(4)?)?,
        modified: parse_date("article modified", r.try_get(5)?)?,
        authors: serde_json::from_str(r.try_get(6)?)?,
        site: r.try_get(7)?,
        language: r.try_get(8)?,
        wire: r.try_get(9)?,
        text: r.try_get(10)?,
    })
}

/// The texts an event is found by: evidence sentence, trigger and actor phrases.
fn search_lexemes(e: &Event) -> Vec<String> {
    let mut texts = vec![
        e.evidence.text.as_str(),
        e.evidence.trigger.as_str(),
        e.source.text.as_str(),
    ];
    if let Some(t) = &e.target {
        texts.push(&t.text);
    }
    texts.extend(e.parties.iter().map(|p| p.text.as_str()));
    index_lexemes(&texts)
}

/// Positional parameters for a dynamically built query.
#[derive(Default)]
struct Args {
    values: Vec<Box<dyn ToSql + Sync>>,
}

impl Args {
    /// Adds a value and returns its placeholder (`$n`).
    fn push(&mut self, v: impl ToSql + Sync + 'static) -> String {
        self.values.push(Box::new(v));
        format!("${}", self.values.len())
    }

    fn refs(&self) -> Vec<&(dyn ToSql + Sync)> {
        self.values
            .iter()
            .map(|b| b.as_ref() as &(dyn ToSql + Sync))
            .collect()
    }
}

/// Most events in one multi-row `INSERT` (26 parameters each; PostgreSQL allows 65,535).
const EVENTS_PER_STATEMENT: usize = 100;

const ARTICLE_COLUMNS: &str =
    "id, source, url, title, date, modified, authors, site, language, wire, text";

/// Binds arguments at the types the server inferred for each placeholder (integers at
/// their width, NULLs typed).
fn bind(stmt: &postgres::Statement, given: &[Arg]) -> Result<Args, StoreError> {
    let mut args = Args::default();
    for (a, t) in given.iter().zip(stmt.params()) {
        match a {
            Arg::Text(s) => args.push(s.clone()),
            Arg::Int(i) if *t == Type::INT4 => args.push(
                i32::try_from(*i)
                    .map_err(|_| StoreError::InvalidQuery(format!("{i} is out of range")))?,
            ),
            Arg::Int(i) => args.push(*i),
            Arg::Real(r) => args.push(*r),
            Arg::Blob(b) => args.push(b.clone()),
            Arg::Null if *t == Type::FLOAT8 => args.push(None::<f64>),
            Arg::Null if *t == Type::INT8 => args.push(None::<i64>),
            Arg::Null if *t == Type::INT4 => args.push(None::<i32>),
            Arg::Null => args.push(None::<String>),
        };
    }
    Ok(args)
}

/// Runs one query (`$N` placeholders) with bound arguments and returns its rows as
/// [`Cell`]s.
fn run_rows(
    client: &mut impl GenericClient,
    sql: &str,
    given: &[Arg],
) -> Result<Vec<Vec<Cell>>, StoreError> {
    let stmt = client.prepare(sql)?;
    let args = bind(&stmt, given)?;
    let rows = client.query(&stmt, &args.refs())?;
    cells_of(&rows)
}

/// Rows as [`Cell`]s.
fn cells_of(rows: &[Row]) -> Result<Vec<Vec<Cell>>, StoreError> {
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let mut row = Vec::with_capacity(r.len());
        for (i, col) in r.columns().iter().enumerate() {
            let t = col.type_();
            let cell = if *t == Type::INT8 {
                r.try_get::<_, Option<i64>>(i)?.map(Cell::Int)
            } else if *t == Type::INT4 {
                r.try_get::<_, Option<i32>>(i)?
                    .map(|v| Cell::Int(i64::from(v)))
            } else if *t == Type::INT2 {
                r.try_get::<_, Option<i16>>(i)?
                    .map(|v| Cell::Int(i64::from(v)))
            } else if *t == Type::FLOAT8 {
                r.try_get::<_, Option<f64>>(i)?.map(Cell::Real)
            } else if *t == Type::FLOAT4 {
                r.try_get::<_, Option<f32>>(i)?
                    .map(|v| Cell::Real(f64::from(v)))
            } else if *t == Type::TEXT || *t == Type::VARCHAR {
                r.try_get::<_, Option<String>>(i)?.map(Cell::Text)
            } else if *t == Type::BYTEA {
                r.try_get::<_, Option<Vec<u8>>>(i)?.map(Cell::Blob)
            } else {
                return Err(StoreError::Corrupt(format!("unexpected column type {t}")));
            };
            row.push(cell.unwrap_or(Cell::Null));
        }
        out.push(row);
    }
    Ok(out)
}

/// The deduplication statements inside a PostgreSQL transaction, prepared once per
/// connection.
struct PgTx<'a, 'b> {
    tx: &'a mut postgres::Transaction<'b>,
    statements: &'a mut HashMap<String, postgres::Statement>,
}

impl PgTx<'_, '_> {
    fn statement(&mut self, sql: &str) -> Result<postgres::Statement, StoreError> {
        let sql = dedup::pg_placeholders(sql);
        if let Some(s) = self.statements.get(&sql) {
            return Ok(s.clone());
        }
        let s = self.tx.prepare(&sql)?;
        self.statements.insert(sql, s.clone());
        Ok(s)
    }
}

impl Tx for PgTx<'_, '_> {
    fn postgres(&self) -> bool {
        true
    }

    fn rows(&mut self, sql: &str, args: &[Arg]) -> Result<Vec<Vec<Cell>>, StoreError> {
        let stmt = self.statement(sql)?;
        let bound = bind(&stmt, args)?;
        let rows = self.tx.query(&stmt, &bound.refs())?;
        cells_of(&rows)
    }

    fn exec(&mut self, sql: &str, args: &[Arg]) -> Result<u64, StoreError> {
        let stmt = self.statement(sql)?;
        let bound = bind(&stmt, args)?;
        Ok(self.tx.execute(&stmt, &bound.refs())?)
    }
}

impl Backend for PostgresBackend {
    fn kind(&self) -> &'static str {
        "postgres"
    }

    fn schema_version(&self) -> Result<u32, StoreError> {
        Ok(read_version(&mut *self.client())?.0)
    }

    fn insert_article(
        &mut self,
        article: &Article,
        events: &[Event],
    ) -> Result<InsertOutcome, StoreError> {
        validate_events(article, events)?;
        let at = now();
        let mut client = self.client();
        let mut statements = self
            .statements
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let mut tx = client.transaction()?;
        // ON CONFLICT instead of a look-up first: two workers storing the same article at
        // once do not both insert it (the second waits for the first, then does nothing).
        let added = tx.execute(
            &format!(
                "INSERT INTO articles ({ARTICLE_COLUMNS}, ingested_at, cluster_id)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $1)
                 ON CONFLICT (id) DO NOTHING"
            ),
            &[
                &article.id,
                &article.source,
                &article.url,
                &article.title,
                &article.date.map(date_str),
                &article.modified.map(date_str),
                &serde_json::to_string(&article.authors)?,
                &article.site,
                &article.language,
                &article.wire,
                &article.text,
                &at,
            ],
        )?;
        let (copy_key, site_key) = dedup::copy_keys(article);
        let seen = added == 0
            && dedup::copy_seen(
                &mut PgTx {
                    tx: &mut tx,
                    statements: &mut statements,
                },
                &article.id,
                &copy_key,
            )?;
        let new_mention = tx.execute(
            "INSERT INTO mentions (article_id, source, url, site, seen_at, copy_key, site_key)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (article_id, source) DO NOTHING",
            &[
                &article.id,
                &article.source,
                &article.url,
                &article.site,
                &at,
                &copy_key,
                &site_key,
            ],
        )?;
        if added == 0 {
            if new_mention > 0 && !seen {
                dedup::add_copy(
                    &mut PgTx {
                        tx: &mut tx,
                        statements: &mut statements,
                    },
                    &article.id,
                    &copy_key,
                    &site_key,
                )?;
            }
            tx.commit()?;
            return Ok(InsertOutcome::AlreadyPresent);
        }
        let clustering = dedup::find_cluster(
            &mut PgTx {
                tx: &mut tx,
                statements: &mut statements,
            },
            article,
            self.aggregate,
        )?;
        if clustering.cluster != article.id {
            tx.execute(
                "UPDATE articles SET cluster_id = $1 WHERE id = $2",
                &[&clustering.cluster, &article.id],
            )?;
        }
        dedup::store_cluster(
            &mut PgTx {
                tx: &mut tx,
                statements: &mut statements,
            },
            &article.id,
            &clustering,
        )?;
        let copies = [(copy_key, site_key)];
        // Aggregates are chosen first, so each event row is written once, with its `agg_id`.
        let stored = dedup::distinct_events(events);
        let aggs = dedup::aggregate_events(
            &mut PgTx {
                tx: &mut tx,
                statements: &mut statements,
            },
            article,
            &copies,
            &stored,
            self.aggregate,
        )?;
        // The events in multi-row statements (one per EVENTS_PER_STATEMENT events).
        for chunk in stored
            .iter()
            .zip(&aggs)
            .collect::<Vec<_>>()
            .chunks(EVENTS_PER_STATEMENT)
        {
            let mut args = Args::default();
            let mut rows = Vec::with_capacity(chunk.len());
            for (e, agg) in chunk {
                let date = e.date.map(|d| date_str(d.date));
                let precision = e
                    .date_precision
                    .or(e.date.map(|d| d.precision))
                    .map(|p| p.as_str().to_string());
                let cameo_root: String = e.cameo.chars().take(2).collect();
                let p = [
                    args.push(e.id.clone()),
                    args.push(article.id.clone()),
                    args.push(i64::try_from(e.evidence.sentence).unwrap_or(i64::MAX)),
                    args.push(date.clone()),
                    args.push(date.unwrap_or_default()),
                    args.push(precision),
                    args.push(e.plover.clone()),
                    args.push(e.mode.clone()),
                    args.push(e.cameo.clone()),
                    args.push(cameo_root),
                    args.push(e.goldstein),
                    args.push(i32::from(e.quad_class)),
                    args.push(e.acled.as_ref().map(|a| a.event_type.clone())),
                    args.push(e.acled.as_ref().map(|a| a.sub_event_type.clone())),
                    args.push(e.status.as_str().to_string()),
                    args.push(e.source.code.clone()),
                    args.push(e.source.country.clone()),
                    args.push(e.target.as_ref().map(|t| t.code.clone())),
                    args.push(e.target.as_ref().and_then(|t| t.country.clone())),
                    args.push(e.location.as_ref().and_then(|l| l.country.clone())),
                    args.push(e.location.as_ref().map(|l| l.lat)),
                    args.push(e.location.as_ref().map(|l| l.lon)),
                    args.push(e.confidence),
                    args.push(serde_json::to_string(e)?),
                    format!(
                        "array_to_tsvector({}::text[])",
                        args.push(search_lexemes(e))
                    ),
                    args.push((*agg).clone()),
                ];
                rows.push(format!("({})", p.join(", ")));
            }
            let ins = PgTx {
                tx: &mut tx,
                statements: &mut statements,
            }
            .statement(&format!(
                "INSERT INTO events (id, article_id, sentence, date, date_key, date_precision,
                    plover, mode, cameo, cameo_root, goldstein, quad_class, acled_type,
                    acled_subtype, status, source_code, source_country, target_code,
                    target_country, location_country, lat, lon, confidence, json, search, agg_id)
                 VALUES {} ON CONFLICT (id) DO NOTHING",
                rows.join(", ")
            ))?;
            tx.execute(&ins, &args.refs())?;
        }
        tx.commit()?;
        Ok(InsertOutcome::Added)
    }

    fn has_article(&self, id: &str) -> Result<bool, StoreError> {
        Ok(self
            .client()
            .query_opt("SELECT 1 FROM articles WHERE id = $1", &[&id])?
            .is_some())
    }

    fn article(&self, id: &str) -> Result<Option<Article>, StoreError> {
        let row = self.client().query_opt(
            &format!("SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = $1"),
            &[&id],
        )?;
        row.as_ref().map(article_from_row).transpose()
    }

    fn event(&self, id: &str) -> Result<Option<Event>, StoreError> {
        let row = self
            .client()
            .query_opt("SELECT json FROM events WHERE id = $1", &[&id])?;
        match row {
            None => Ok(None),
            Some(r) => Ok(Some(serde_json::from_str(r.try_get(0)?)?)),
        }
    }

    fn events(&self, q: &EventQuery) -> Result<Page<Event>, StoreError> {
        q.validate()?;
        let limit = q.effective_limit()?;
        let mut conds: Vec<String> = Vec::new();
        let mut args = Args::default();
        if let Some(f) = q.from {
            conds.push(format!(
                "date IS NOT NULL AND date >= {}",
                args.push(date_str(f))
            ));
        }
        if let Some(t) = q.to {
            conds.push(format!(
                "date IS NOT NULL AND date <= {}",
                args.push(date_str(t))
            ));
        }
        if let Some(c) = &q.country {
            let p = args.push(c.trim().to_ascii_uppercase());
            conds.push(format!(
                "(source_country = {p} OR target_country = {p} OR location_country = {p})"
            ));
        }
        if let Some(p) = &q.plover {
            conds.push(format!(
                "plover = {}",
                args.push(p.trim().to_ascii_uppercase())
            ));
        }
        if let Some(r) = &q.cameo_root {
            conds.push(format!("cameo_root = {}", args.push(r.clone())));
        }
        if let Some(qc) = q.quad_class {
            conds.push(format!("quad_class = {}", args.push(i32::from(qc))));
        }
        if let Some(s) = q.status {
            conds.push(format!("status = {}", args.push(s.as_str().to_string())));
        }
        if let Some(a) = &q.article_id {
            conds.push(format!("article_id = {}", args.push(a.clone())));
        }
        let aggregated = !q.all_mentions && q.article_id.is_none();
        if aggregated {
            conds.push("agg_id = id".to_string());
        }
        if let Some(t) = &q.text {
            let p = args.push(tsquery(t)?);
            conds.push(if aggregated {
                format!("id IN (SELECT agg_id FROM events WHERE search @@ ({p}::text)::tsquery)")
            } else {
                format!("search @@ ({p}::text)::tsquery")
            });
        }
        let (cmp, dir) = match q.sort {
            Sort::Newest => ("<", "DESC"),
            Sort::Oldest => (">", "ASC"),
        };
        if let Some(c) = &q.cursor {
            let c = Cursor::parse(c)?;
            let d = args.push(c.date_key);
            let i = args.push(c.id);
            conds.push(format!("(date_key, id) {cmp} ({d}, {i})"));
        }
        let filter = if conds.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", conds.join(" AND "))
        };
        let lim = args.push(i64::try_from(limit + 1).unwrap_or(i64::MAX));
        let sql = format!(
            "SELECT date_key, id, json FROM events {filter}
             ORDER BY date_key {dir}, id {dir} LIMIT {lim}"
        );
        let rows = self.client().query(&sql, &args.refs())?;
        let mut keyed: Vec<(String, String, String)> = Vec::with_capacity(rows.len());
        for r in &rows {
            keyed.push((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?));
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
        let rows = self.client().query(
            "SELECT json FROM events WHERE article_id = $1 ORDER BY sentence, id",
            &[&id],
        )?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            out.push(serde_json::from_str(r.try_get(0)?)?);
        }
        Ok(out)
    }

    fn stats(&self) -> Result<Stats, StoreError> {
        let mut client = self.client();
        let mut scalar =
            |sql: &str| -> Result<i64, StoreError> { Ok(client.query_one(sql, &[])?.try_get(0)?) };
        let articles = count(scalar("SELECT COUNT(*) FROM articles")?);
        let events = count(scalar("SELECT COUNT(*) FROM events")?);
        let mentions = count(scalar("SELECT COUNT(*) FROM mentions")?);
        let skipped = count(scalar("SELECT COUNT(*) FROM skipped")?);
        let range = client.query_one("SELECT MIN(date), MAX(date) FROM events", &[])?;
        let first_date: Option<String> = range.try_get(0)?;
        let last_date: Option<String> = range.try_get(1)?;
        let mut counts = |sql: &str| -> Result<Vec<Count>, StoreError> {
            let mut out = Vec::new();
            for r in client.query(sql, &[])? {
                out.push(Count {
                    key: r.try_get(0)?,
                    count: count(r.try_get(1)?),
                });
            }
            Ok(out)
        };
        let by_plover = counts(
            "SELECT plover, COUNT(*) AS n FROM events GROUP BY plover ORDER BY n DESC, plover",
        )?;
        let by_country = counts(
            "SELECT c, COUNT(*) AS n FROM (
                SELECT id, source_country AS c FROM events
                UNION SELECT id, target_country FROM events
                UNION SELECT id, location_country FROM events
             ) AS u WHERE c IS NOT NULL GROUP BY c ORDER BY n DESC, c",
        )?;
        Ok(Stats {
            articles,
            events,
            mentions,
            skipped,
            first_date,
            last_date,
            by_plover,
            by_country,
        })
    }

    fn record_skip(&mut self, source: &str, reason: &str) -> Result<(), StoreError> {
        self.client().execute(
            "INSERT INTO skipped (source, reason, at) VALUES ($1, $2, $3)
             ON CONFLICT (source, reason) DO NOTHING",
            &[&source, &reason, &now()],
        )?;
        Ok(())
    }

    fn enqueue(&mut self, items: &[String]) -> Result<usize, StoreError> {
        // One statement for the whole batch; the first occurrence of a repeated item keeps
        // its place, and ids follow the given order.
        let n = self.client().execute(
            "INSERT INTO work_queue (item)
             SELECT item FROM (
                SELECT DISTINCT ON (item) item, n
                FROM unnest($1::text[]) WITH ORDINALITY AS t (item, n)
                ORDER BY item, n
             ) AS d ORDER BY n
             ON CONFLICT (item) DO UPDATE
                SET state = 'pending', attempts = 0, lease_until = NULL,
                    updated_at = clock_timestamp()
                WHERE work_queue.state = 'failed'",
            &[&items],
        )?;
        Ok(usize::try_from(n).unwrap_or(usize::MAX))
    }

    fn claim(&mut self, worker: &str, lease: Duration) -> Result<Option<WorkItem>, StoreError> {
        let lease = lease_millis(lease)? as f64;
        let mut client = self.client();
        let mut tx = client.transaction()?;
        loop {
            let row = tx.query_opt(
                "SELECT id, item, state, attempts, last_error, worker FROM work_queue
                 WHERE state = 'pending'
                    OR (state = 'running' AND lease_until < clock_timestamp())
                 ORDER BY id LIMIT 1
                 FOR UPDATE SKIP LOCKED",
                &[],
            )?;
            let Some(row) = row else {
                tx.commit()?;
                return Ok(None);
            };
            let id: i64 = row.try_get(0)?;
            let item: String = row.try_get(1)?;
            let state: String = row.try_get(2)?;
            let tries = attempts(i64::from(row.try_get::<_, i32>(3)?))?;
            let last_error: Option<String> = row.try_get(4)?;
            let old_worker: Option<String> = row.try_get(5)?;
            if state == "running" && tries >= MAX_ATTEMPTS {
                tx.execute(
                    "UPDATE work_queue SET state = 'failed', lease_until = NULL,
                        last_error = $2, updated_at = clock_timestamp() WHERE id = $1",
                    &[&id, &expired_reason(tries, old_worker.as_deref())],
                )?;
                continue;
            }
            tx.execute(
                "UPDATE work_queue SET state = 'running', worker = $2, attempts = attempts + 1,
                    lease_until = clock_timestamp() + $3::float8 * interval '1 millisecond',
                    updated_at = clock_timestamp()
                 WHERE id = $1",
                &[&id, &worker, &lease],
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
        let n = self.client().execute(
            "UPDATE work_queue SET state = 'done', lease_until = NULL,
                updated_at = clock_timestamp()
             WHERE id = $1 AND worker = $2 AND state = 'running'",
            &[&id, &worker],
        )?;
        held(usize::from(n > 0), id, worker)
    }

    fn fail(&mut self, id: i64, worker: &str, reason: &str) -> Result<FailOutcome, StoreError> {
        let max = i32::try_from(MAX_ATTEMPTS).unwrap_or(i32::MAX);
        let row = self.client().query_opt(
            "UPDATE work_queue
                SET state = CASE WHEN attempts >= $3 THEN 'failed' ELSE 'pending' END,
                    lease_until = NULL, last_error = $4, updated_at = clock_timestamp()
             WHERE id = $1 AND worker = $2 AND state = 'running'
             RETURNING state",
            &[&id, &worker, &max, &reason],
        )?;
        let state = row.map(|r| r.try_get::<_, String>(0)).transpose()?;
        fail_outcome(state, id, worker)
    }

    fn heartbeat(&mut self, id: i64, worker: &str, lease: Duration) -> Result<(), StoreError> {
        let lease = lease_millis(lease)? as f64;
        let n = self.client().execute(
            "UPDATE work_queue
                SET lease_until = clock_timestamp() + $3::float8 * interval '1 millisecond',
                    updated_at = clock_timestamp()
             WHERE id = $1 AND worker = $2 AND state = 'running'",
            &[&id, &worker, &lease],
        )?;
        held(usize::from(n > 0), id, worker)
    }

    fn select(&self, q: &Select) -> Result<Vec<Vec<Cell>>, StoreError> {
        run_rows(&mut *self.client(), q.sql(), q.args())
    }

    fn set_aggregation(&mut self, on: bool) {
        self.aggregate = on;
    }

    fn set_queue_commits(&mut self) -> Result<(), StoreError> {
        self.client()
            .batch_execute("SET synchronous_commit = off")?;
        Ok(())
    }

    fn queue_stats(&self) -> Result<QueueStats, StoreError> {
        let rows = self
            .client()
            .query("SELECT state, COUNT(*) FROM work_queue GROUP BY state", &[])?;
        let mut stats = QueueStats::default();
        for r in &rows {
            stats.add(r.try_get(0)?, r.try_get(1)?)?;
        }
        Ok(stats)
    }

    fn add_feed(&mut self, feed: &FeedSpec) -> Result<i64, StoreError> {
        watch::pg::add_feed(&mut self.client(), feed)
    }

    fn remove_feed(&mut self, url: &str) -> Result<bool, StoreError> {
        watch::pg::remove_feed(&mut self.client(), url)
    }

    fn feeds(&self) -> Result<Vec<FeedState>, StoreError> {
        watch::pg::feeds(&mut self.client())
    }

    fn record_poll(&mut self, id: i64, poll: &PollRecord) -> Result<(), StoreError> {
        watch::pg::record_poll(&mut self.client(), id, poll)
    }

    fn unseen_urls(&self, urls: &[String]) -> Result<Vec<String>, StoreError> {
        watch::pg::unseen_urls(&mut self.client(), urls)
    }

    fn record_url(
        &mut self,
        url: &str,
        feed_id: Option<i64>,
        state: UrlState,
        detail: Option<&str>,
    ) -> Result<u32, StoreError> {
        watch::pg::record_url(&mut self.client(), url, feed_id, state, detail)
    }

    fn url_info(&self, url: &str) -> Result<Option<UrlInfo>, StoreError> {
        watch::pg::url_info(&mut self.client(), url)
    }

    fn put_alert_rule(&mut self, name: &str, rule: &serde_json::Value) -> Result<(), StoreError> {
        watch::pg::put_alert_rule(&mut self.client(), name, rule)
    }

    fn remove_alert_rule(&mut self, name: &str) -> Result<bool, StoreError> {
        watch::pg::remove_alert_rule(&mut self.client(), name)
    }

    fn alert_rules(&self) -> Result<Vec<(String, serde_json::Value)>, StoreError> {
        watch::pg::alert_rules(&mut self.client())
    }

    fn alert_state(&self, rule: &str) -> Result<Option<serde_json::Value>, StoreError> {
        watch::pg::alert_state(&mut self.client(), rule)
    }

    fn put_alert_state(&mut self, rule: &str, state: &serde_json::Value) -> Result<(), StoreError> {
        watch::pg::put_alert_state(&mut self.client(), rule, state)
    }

    fn insert_alert(&mut self, alert: &NewAlert) -> Result<Option<i64>, StoreError> {
        watch::pg::insert_alert(&mut self.client(), alert)
    }

    fn alerts(&self, limit: usize) -> Result<Vec<AlertRecord>, StoreError> {
        watch::pg::alerts(&mut self.client(), limit)
    }

    fn set_alert_delivery(
        &mut self,
        id: i64,
        delivered: bool,
        error: Option<&str>,
    ) -> Result<(), StoreError> {
        watch::pg::set_alert_delivery(&mut self.client(), id, delivered, error)
    }

    fn mention_counts(&self, ids: &[String]) -> Result<Vec<(String, u64)>, StoreError> {
        watch::pg::mention_counts(&mut self.client(), ids)
    }
}
