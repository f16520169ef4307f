//! Live-monitoring state: followed feeds, fetched article URLs, alert-rule state and fired
//! alerts (schema version 4).
//!
//! The watcher (crate `outpost-watch`) keeps everything it must not forget across a restart
//! here: each feed's HTTP validators (`ETag`, `Last-Modified`), when it was polled and when it
//! is due next, its consecutive failures and last error (a failing feed is backed off and
//! reported, never dropped); every article URL it fetched, failed on or skipped (so nothing
//! is fetched twice and failures are retried a bounded number of times); the state of each
//! alert rule (an opaque JSON value owned by the watcher: its current episode and its daily
//! series) and the alerts that fired, with their delivery outcome.
//!
//! Times are Unix milliseconds from the application's clock on both backends.
//!
//! This module does not fetch, parse feeds or evaluate rules; it only stores what the watcher
//! decides.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::StoreError;

/// Fetch attempts an article URL gets before the watcher gives up on it.
pub const MAX_URL_ATTEMPTS: u32 = 3;

/// A feed to follow, as configured (TOML file, `outpost add-feed`, API).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedSpec {
    /// The feed's URL (http or https).
    pub url: String,
    /// A display name.
    pub name: Option<String>,
    /// Seconds between polls (at least 1).
    pub interval_secs: u32,
    /// Language of the feed's articles (ISO 639-1), when known.
    pub language: Option<String>,
}

/// A followed feed with its polling state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FeedState {
    /// Database id.
    pub id: i64,
    /// The feed's URL.
    pub url: String,
    /// Display name.
    pub name: Option<String>,
    /// Seconds between polls.
    pub interval_secs: u32,
    /// Language of its articles.
    pub language: Option<String>,
    /// When it was added (Unix ms).
    pub added_at: i64,
    /// `ETag` of the last full answer, sent back as `If-None-Match`.
    pub etag: Option<String>,
    /// `Last-Modified` of the last full answer, sent back as `If-Modified-Since`.
    pub last_modified: Option<String>,
    /// Last poll, successful or not (Unix ms).
    pub last_polled_at: Option<i64>,
    /// Last successful poll (Unix ms).
    pub last_ok_at: Option<i64>,
    /// When the next poll is due (Unix ms); `None` = now.
    pub next_poll_at: Option<i64>,
    /// Consecutive failed polls (0 after a success).
    pub failures: u32,
    /// The error of the last failed poll (cleared by a success).
    pub last_error: Option<String>,
    /// Article fetches started from this feed's links so far (first tries and retries of
    /// failed pages).
    pub items_seen: u64,
}

/// The outcome of one poll of a feed, for [`crate::Store::record_poll`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PollRecord {
    /// Whether the poll succeeded (200 parsed, or 304 not modified).
    pub ok: bool,
    /// Replace the stored validators with `etag` and `last_modified` (a 200 answer); a 304
    /// or a failure keeps the old ones.
    pub replace_validators: bool,
    /// The answer's `ETag`.
    pub etag: Option<String>,
    /// The answer's `Last-Modified`.
    pub last_modified: Option<String>,
    /// Why the poll failed.
    pub error: Option<String>,
    /// When the next poll is due (Unix ms), backoff included.
    pub next_poll_at: i64,
    /// Article fetches this poll started (new links and retries of failed ones).
    pub new_items: u64,
}

/// What happened to an article URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UrlState {
    /// Fetched and handed to the pipeline.
    Fetched,
    /// The fetch failed; retried until [`MAX_URL_ATTEMPTS`].
    Failed,
    /// Not fetched on purpose (robots.txt, refused address, not a page); never retried.
    Skipped,
}

impl UrlState {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            UrlState::Fetched => "fetched",
            UrlState::Failed => "failed",
            UrlState::Skipped => "skipped",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Result<UrlState, StoreError> {
        match s {
            "fetched" => Ok(UrlState::Fetched),
            "failed" => Ok(UrlState::Failed),
            "skipped" => Ok(UrlState::Skipped),
            other => Err(StoreError::Corrupt(format!("url state {other:?}"))),
        }
    }
}

/// What is known about one article URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UrlInfo {
    /// The URL.
    pub url: String,
    /// The feed it was found in (unless that feed was removed).
    pub feed_id: Option<i64>,
    /// Its state.
    pub state: UrlState,
    /// Fetch attempts so far.
    pub attempts: u32,
    /// Why it failed or was skipped.
    pub detail: Option<String>,
}

/// An alert to store, for [`crate::Store::insert_alert`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewAlert {
    /// The rule's name.
    pub rule: String,
    /// The episode key; one alert per (rule, episode).
    pub episode: String,
    /// A one-line summary.
    pub title: String,
    /// Everything else (matching events, figures), as JSON.
    pub details: serde_json::Value,
}

/// A stored alert, as the dashboard shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AlertRecord {
    /// Database id.
    pub id: i64,
    /// The rule's name.
    pub rule: String,
    /// The episode key.
    pub episode: String,
    /// When it fired.
    pub fired_at: DateTime<Utc>,
    /// One-line summary.
    pub title: String,
    /// Details (JSON object written by the watcher).
    pub details: serde_json::Value,
    /// Whether every configured delivery (webhook) succeeded.
    pub delivered: bool,
    /// The last delivery error.
    pub delivery_error: Option<String>,
}

/// This machine's clock in Unix milliseconds.
pub fn now_ms() -> i64 {
    Utc::now().timestamp_millis()
}

/// Unix ms as a UTC time (out-of-range values are corrupt rows).
pub(crate) fn ms_time(ms: i64) -> Result<DateTime<Utc>, StoreError> {
    DateTime::from_timestamp_millis(ms).ok_or_else(|| StoreError::Corrupt(format!("time {ms}")))
}

/// Checks a feed before storing it: an http(s) URL without spaces or NUL, a positive
/// interval, a sane name and language.
pub fn check_feed(f: &FeedSpec) -> Result<(), StoreError> {
    let lower = f.url.to_ascii_lowercase();
    if !(lower.starts_with("http://") || lower.starts_with("https://"))
        || f.url.len() <= "http://".len()
        || f.url.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(StoreError::InvalidQuery(format!(
            "feed URL must be http:// or https:// without spaces: {:?}",
            f.url
        )));
    }
    if f.interval_secs == 0 {
        return Err(StoreError::InvalidQuery(format!(
            "feed {}: interval must be at least 1 second",
            f.url
        )));
    }
    for s in [&f.name, &f.language].into_iter().flatten() {
        if s.contains('\0') {
            return Err(StoreError::InvalidQuery(format!(
                "feed {}: NUL in text",
                f.url
            )));
        }
    }
    Ok(())
}

/// Checks text stored by the watcher (PostgreSQL text cannot hold NUL).
pub(crate) fn check_text(what: &str, s: &str) -> Result<(), StoreError> {
    if s.contains('\0') {
        return Err(StoreError::InvalidQuery(format!("{what} contains NUL")));
    }
    Ok(())
}

pub(crate) fn u32_of(n: i64, what: &str) -> Result<u32, StoreError> {
    u32::try_from(n).map_err(|_| StoreError::Corrupt(format!("{what} {n}")))
}

impl crate::Store {
    /// Adds a feed to follow and returns its id; a URL already followed gets the new name,
    /// interval and language (its polling state is kept). Bad specs give
    /// [`StoreError::InvalidQuery`].
    pub fn add_feed(&mut self, feed: &FeedSpec) -> Result<i64, StoreError> {
        check_feed(feed)?;
        self.backend.add_feed(feed)
    }

    /// Stops following the feed with this URL (the URLs fetched from it are kept); whether it
    /// was followed.
    pub fn remove_feed(&mut self, url: &str) -> Result<bool, StoreError> {
        self.backend.remove_feed(url)
    }

    /// All followed feeds with their polling state, by id.
    pub fn feeds(&self) -> Result<Vec<FeedState>, StoreError> {
        self.backend.feeds()
    }

    /// Records one poll of feed `id`: a success resets its failure count and error (and
    /// replaces its validators when asked); a failure counts one more and keeps the error.
    /// An unknown id gives [`StoreError::InvalidQuery`].
    pub fn record_poll(&mut self, id: i64, poll: &PollRecord) -> Result<(), StoreError> {
        self.backend.record_poll(id, poll)
    }

    /// Of `urls`, those to fetch: never seen, or failed with fewer than [`MAX_URL_ATTEMPTS`]
    /// attempts; in the given order, each once.
    pub fn unseen_urls(&self, urls: &[String]) -> Result<Vec<String>, StoreError> {
        self.backend.unseen_urls(urls)
    }

    /// Records what happened to an article URL (one more attempt) and returns its attempts
    /// so far.
    pub fn record_url(
        &mut self,
        url: &str,
        feed_id: Option<i64>,
        state: UrlState,
        detail: Option<&str>,
    ) -> Result<u32, StoreError> {
        self.backend.record_url(url, feed_id, state, detail)
    }

    /// What is known about one article URL.
    pub fn url_info(&self, url: &str) -> Result<Option<UrlInfo>, StoreError> {
        self.backend.url_info(url)
    }

    /// Adds or replaces an alert rule defined through the API (a JSON object the watcher
    /// owns: `outpost_watch::AlertRule`). Names must be non-empty.
    pub fn put_alert_rule(
        &mut self,
        name: &str,
        rule: &serde_json::Value,
    ) -> Result<(), StoreError> {
        if name.trim().is_empty() {
            return Err(StoreError::InvalidQuery(
                "an alert rule needs a name".into(),
            ));
        }
        check_text("rule name", name)?;
        self.backend.put_alert_rule(name, rule)
    }

    /// Removes an API alert rule; whether it existed.
    pub fn remove_alert_rule(&mut self, name: &str) -> Result<bool, StoreError> {
        self.backend.remove_alert_rule(name)
    }

    /// All API alert rules as (name, JSON), by name.
    pub fn alert_rules(&self) -> Result<Vec<(String, serde_json::Value)>, StoreError> {
        self.backend.alert_rules()
    }

    /// The stored state of an alert rule (a JSON value the watcher owns).
    pub fn alert_state(&self, rule: &str) -> Result<Option<serde_json::Value>, StoreError> {
        self.backend.alert_state(rule)
    }

    /// Replaces the stored state of an alert rule.
    pub fn put_alert_state(
        &mut self,
        rule: &str,
        state: &serde_json::Value,
    ) -> Result<(), StoreError> {
        self.backend.put_alert_state(rule, state)
    }

    /// Stores a fired alert and returns its id, or `None` when this (rule, episode) has
    /// fired already (an alert fires once per episode).
    pub fn insert_alert(&mut self, alert: &NewAlert) -> Result<Option<i64>, StoreError> {
        self.backend.insert_alert(alert)
    }

    /// The newest `limit` fired alerts, newest first (for the dashboard and the API).
    pub fn alerts(&self, limit: usize) -> Result<Vec<AlertRecord>, StoreError> {
        self.backend.alerts(limit)
    }

    /// Records whether an alert was delivered (webhook) and the last delivery error.
    pub fn set_alert_delivery(
        &mut self,
        id: i64,
        delivered: bool,
        error: Option<&str>,
    ) -> Result<(), StoreError> {
        self.backend.set_alert_delivery(id, delivered, error)
    }

    /// How many sources (mentions) each article has, in the given order (0 when unknown).
    pub fn mention_counts(&self, ids: &[String]) -> Result<Vec<(String, u64)>, StoreError> {
        self.backend.mention_counts(ids)
    }
}

/// The SQLite side.
pub(crate) mod sqlite {
    use rusqlite::{Connection, OptionalExtension, params};

    use super::*;

    const FEED_COLUMNS: &str = "id, url, name, interval_secs, language, added_at, etag, \
        last_modified, last_polled_at, last_ok_at, next_poll_at, failures, last_error, items_seen";

    fn feed_from_row(r: &rusqlite::Row<'_>) -> Result<FeedState, StoreError> {
        Ok(FeedState {
            id: r.get(0)?,
            url: r.get(1)?,
            name: r.get(2)?,
            interval_secs: u32_of(r.get(3)?, "interval")?,
            language: r.get(4)?,
            added_at: r.get(5)?,
            etag: r.get(6)?,
            last_modified: r.get(7)?,
            last_polled_at: r.get(8)?,
            last_ok_at: r.get(9)?,
            next_poll_at: r.get(10)?,
            failures: u32_of(r.get(11)?, "failures")?,
            last_error: r.get(12)?,
            items_seen: u64::try_from(r.get::<_, i64>(13)?).unwrap_or(0),
        })
    }

    pub fn add_feed(c: &Connection, f: &FeedSpec) -> Result<i64, StoreError> {
        check_feed(f)?;
        Ok(c.query_row(
            "INSERT INTO watch_feeds (url, name, interval_secs, language, added_at)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (url) DO UPDATE SET name = excluded.name,
                interval_secs = excluded.interval_secs, language = excluded.language
             RETURNING id",
            params![f.url, f.name, f.interval_secs, f.language, now_ms()],
            |r| r.get(0),
        )?)
    }

    pub fn remove_feed(c: &Connection, url: &str) -> Result<bool, StoreError> {
        Ok(c.execute("DELETE FROM watch_feeds WHERE url = ?1", [url])? > 0)
    }

    pub fn feeds(c: &Connection) -> Result<Vec<FeedState>, StoreError> {
        let mut st = c.prepare(&format!(
            "SELECT {FEED_COLUMNS} FROM watch_feeds ORDER BY id"
        ))?;
        let mut rows = st.query([])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(feed_from_row(r)?);
        }
        Ok(out)
    }

    pub fn record_poll(c: &Connection, id: i64, p: &PollRecord) -> Result<(), StoreError> {
        let now = now_ms();
        let new_items = i64::try_from(p.new_items).unwrap_or(i64::MAX);
        let n = if p.ok {
            c.execute(
                "UPDATE watch_feeds SET last_polled_at = ?2, last_ok_at = ?2, next_poll_at = ?3,
                    failures = 0, last_error = NULL, items_seen = items_seen + ?4,
                    etag = CASE WHEN ?5 THEN ?6 ELSE etag END,
                    last_modified = CASE WHEN ?5 THEN ?7 ELSE last_modified END
                 WHERE id = ?1",
                params![
                    id,
                    now,
                    p.next_poll_at,
                    new_items,
                    p.replace_validators,
                    p.etag,
                    p.last_modified
                ],
            )?
        } else {
            c.execute(
                "UPDATE watch_feeds SET last_polled_at = ?2, next_poll_at = ?3,
                    failures = failures + 1, last_error = ?4
                 WHERE id = ?1",
                params![
                    id,
                    now,
                    p.next_poll_at,
                    p.error.as_deref().unwrap_or("failed")
                ],
            )?
        };
        if n == 0 {
            return Err(StoreError::InvalidQuery(format!("no feed with id {id}")));
        }
        Ok(())
    }

    pub fn unseen_urls(c: &Connection, urls: &[String]) -> Result<Vec<String>, StoreError> {
        let mut st = c.prepare_cached("SELECT state, attempts FROM watch_urls WHERE url = ?1")?;
        let mut out: Vec<String> = Vec::new();
        for u in urls {
            let row: Option<(String, i64)> = st
                .query_row([u], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            let fresh = match row {
                None => true,
                Some((state, attempts)) => {
                    UrlState::parse(&state)? == UrlState::Failed
                        && u32_of(attempts, "attempts")? < MAX_URL_ATTEMPTS
                }
            };
            if fresh && !out.contains(u) {
                out.push(u.clone());
            }
        }
        Ok(out)
    }

    pub fn record_url(
        c: &Connection,
        url: &str,
        feed_id: Option<i64>,
        state: UrlState,
        detail: Option<&str>,
    ) -> Result<u32, StoreError> {
        check_text("url", url)?;
        let now = now_ms();
        let attempts: i64 = c.query_row(
            "INSERT INTO watch_urls (url, feed_id, state, attempts, detail, first_at, updated_at)
             VALUES (?1, ?2, ?3, 1, ?4, ?5, ?5)
             ON CONFLICT (url) DO UPDATE SET state = excluded.state,
                attempts = watch_urls.attempts + 1, detail = excluded.detail,
                updated_at = excluded.updated_at
             RETURNING attempts",
            params![url, feed_id, state.as_str(), detail, now],
            |r| r.get(0),
        )?;
        u32_of(attempts, "attempts")
    }

    pub fn url_info(c: &Connection, url: &str) -> Result<Option<UrlInfo>, StoreError> {
        type Row = (String, Option<i64>, String, i64, Option<String>);
        let row: Option<Row> = c
            .query_row(
                "SELECT url, feed_id, state, attempts, detail FROM watch_urls WHERE url = ?1",
                [url],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .optional()?;
        row.map(|(url, feed_id, state, attempts, detail)| {
            Ok(UrlInfo {
                url,
                feed_id,
                state: UrlState::parse(&state)?,
                attempts: u32_of(attempts, "attempts")?,
                detail,
            })
        })
        .transpose()
    }

    pub fn put_alert_rule(
        c: &Connection,
        name: &str,
        rule: &serde_json::Value,
    ) -> Result<(), StoreError> {
        c.execute(
            "INSERT INTO watch_alert_rules (name, rule, updated_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (name) DO UPDATE SET rule = excluded.rule,
                updated_at = excluded.updated_at",
            params![name, serde_json::to_string(rule)?, now_ms()],
        )?;
        Ok(())
    }

    pub fn remove_alert_rule(c: &Connection, name: &str) -> Result<bool, StoreError> {
        Ok(c.execute("DELETE FROM watch_alert_rules WHERE name = ?1", [name])? > 0)
    }

    pub fn alert_rules(c: &Connection) -> Result<Vec<(String, serde_json::Value)>, StoreError> {
        let mut st = c.prepare("SELECT name, rule FROM watch_alert_rules ORDER BY name")?;
        let mut rows = st.query([])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let rule: String = r.get(1)?;
            out.push((r.get(0)?, serde_json::from_str(&rule)?));
        }
        Ok(out)
    }

    pub fn alert_state(
        c: &Connection,
        rule: &str,
    ) -> Result<Option<serde_json::Value>, StoreError> {
        let s: Option<String> = c
            .query_row(
                "SELECT state FROM watch_alert_state WHERE rule = ?1",
                [rule],
                |r| r.get(0),
            )
            .optional()?;
        Ok(s.map(|s| serde_json::from_str(&s)).transpose()?)
    }

    pub fn put_alert_state(
        c: &Connection,
        rule: &str,
        state: &serde_json::Value,
    ) -> Result<(), StoreError> {
        check_text("rule", rule)?;
        c.execute(
            "INSERT INTO watch_alert_state (rule, state, updated_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (rule) DO UPDATE SET state = excluded.state,
                updated_at = excluded.updated_at",
            params![rule, serde_json::to_string(state)?, now_ms()],
        )?;
        Ok(())
    }

    pub fn insert_alert(c: &Connection, a: &NewAlert) -> Result<Option<i64>, StoreError> {
        for (w, s) in [
            ("rule", &a.rule),
            ("episode", &a.episode),
            ("title", &a.title),
        ] {
            check_text(w, s)?;
        }
        Ok(c.query_row(
            "INSERT INTO watch_alerts (rule, episode, fired_at, title, details)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (rule, episode) DO NOTHING
             RETURNING id",
            params![
                a.rule,
                a.episode,
                now_ms(),
                a.title,
                serde_json::to_string(&a.details)?
            ],
            |r| r.get(0),
        )
        .optional()?)
    }

    pub fn alerts(c: &Connection, limit: usize) -> Result<Vec<AlertRecord>, StoreError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut st = c.prepare(
            "SELECT id, rule, episode, fired_at, title, details, delivered, delivery_error
             FROM watch_alerts ORDER BY fired_at DESC, id DESC LIMIT ?1",
        )?;
        let mut rows = st.query([limit])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let details: String = r.get(5)?;
            out.push(AlertRecord {
                id: r.get(0)?,
                rule: r.get(1)?,
                episode: r.get(2)?,
                fired_at: ms_time(r.get(3)?)?,
                title: r.get(4)?,
                details: serde_json::from_str(&details)?,
                delivered: r.get(6)?,
                delivery_error: r.get(7)?,
            });
        }
        Ok(out)
    }

    pub fn set_alert_delivery(
        c: &Connection,
        id: i64,
        delivered: bool,
        error: Option<&str>,
    ) -> Result<(), StoreError> {
        c.execute(
            "UPDATE watch_alerts SET delivered = ?2, delivery_error = ?3 WHERE id = ?1",
            params![id, delivered, error],
        )?;
        Ok(())
    }

    pub fn mention_counts(
        c: &Connection,
        ids: &[String],
    ) -> Result<Vec<(String, u64)>, StoreError> {
        let mut st = c.prepare_cached("SELECT COUNT(*) FROM mentions WHERE article_id = ?1")?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let n: i64 = st.query_row([id], |r| r.get(0))?;
            out.push((id.clone(), u64::try_from(n).unwrap_or(0)));
        }
        Ok(out)
    }
}

/// The PostgreSQL side.
pub(crate) mod pg {
    use postgres::{Client, Row};

    use super::*;

    const FEED_COLUMNS: &str = "id, url, name, interval_secs, language, added_at, etag, \
        last_modified, last_polled_at, last_ok_at, next_poll_at, failures, last_error, items_seen";

    fn feed_from_row(r: &Row) -> Result<FeedState, StoreError> {
        Ok(FeedState {
            id: r.try_get(0)?,
            url: r.try_get(1)?,
            name: r.try_get(2)?,
            interval_secs: u32_of(i64::from(r.try_get::<_, i32>(3)?), "interval")?,
            language: r.try_get(4)?,
            added_at: r.try_get(5)?,
            etag: r.try_get(6)?,
            last_modified: r.try_get(7)?,
            last_polled_at: r.try_get(8)?,
            last_ok_at: r.try_get(9)?,
            next_poll_at: r.try_get(10)?,
            failures: u32_of(i64::from(r.try_get::<_, i32>(11)?), "failures")?,
            last_error: r.try_get(12)?,
            items_seen: u64::try_from(r.try_get::<_, i64>(13)?).unwrap_or(0),
        })
    }

    fn i32_of(n: u32) -> i32 {
        i32::try_from(n).unwrap_or(i32::MAX)
    }

    pub fn add_feed(c: &mut Client, f: &FeedSpec) -> Result<i64, StoreError> {
        check_feed(f)?;
        Ok(c.query_one(
            "INSERT INTO watch_feeds (url, name, interval_secs, language, added_at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (url) DO UPDATE SET name = excluded.name,
                interval_secs = excluded.interval_secs, language = excluded.language
             RETURNING id",
            &[
                &f.url,
                &f.name,
                &i32_of(f.interval_secs),
                &f.language,
                &now_ms(),
            ],
        )?
        .try_get(0)?)
    }

    pub fn remove_feed(c: &mut Client, url: &str) -> Result<bool, StoreError> {
        Ok(c.execute("DELETE FROM watch_feeds WHERE url = $1", &[&url])? > 0)
    }

    pub fn feeds(c: &mut Client) -> Result<Vec<FeedState>, StoreError> {
        c.query(
            &format!("SELECT {FEED_COLUMNS} FROM watch_feeds ORDER BY id"),
            &[],
        )?
        .iter()
        .map(feed_from_row)
        .collect()
    }

    pub fn record_poll(c: &mut Client, id: i64, p: &PollRecord) -> Result<(), StoreError> {
        let now = now_ms();
        let new_items = i64::try_from(p.new_items).unwrap_or(i64::MAX);
        let n = if p.ok {
            c.execute(
                "UPDATE watch_feeds SET last_polled_at = $2, last_ok_at = $2, next_poll_at = $3,
                    failures = 0, last_error = NULL, items_seen = items_seen + $4,
                    etag = CASE WHEN $5 THEN $6 ELSE etag END,
                    last_modified = CASE WHEN $5 THEN $7 ELSE last_modified END
                 WHERE id = $1",
                &[
                    &id,
                    &now,
                    &p.next_poll_at,
                    &new_items,
                    &p.replace_validators,
                    &p.etag,
                    &p.last_modified,
                ],
            )?
        } else {
            let err = p.error.as_deref().unwrap_or("failed");
            check_text("error", err)?;
            c.execute(
                "UPDATE watch_feeds SET last_polled_at = $2, next_poll_at = $3,
                    failures = failures + 1, last_error = $4
                 WHERE id = $1",
                &[&id, &now, &p.next_poll_at, &err],
            )?
        };
        if n == 0 {
            return Err(StoreError::InvalidQuery(format!("no feed with id {id}")));
        }
        Ok(())
    }

    pub fn unseen_urls(c: &mut Client, urls: &[String]) -> Result<Vec<String>, StoreError> {
        let known: std::collections::HashMap<String, (String, i32)> = c
            .query(
                "SELECT url, state, attempts FROM watch_urls WHERE url = ANY($1)",
                &[&urls],
            )?
            .iter()
            .map(|r| Ok((r.try_get(0)?, (r.try_get(1)?, r.try_get(2)?))))
            .collect::<Result<_, StoreError>>()?;
        let mut out: Vec<String> = Vec::new();
        for u in urls {
            let fresh = match known.get(u) {
                None => true,
                Some((state, attempts)) => {
                    UrlState::parse(state)? == UrlState::Failed
                        && u32_of(i64::from(*attempts), "attempts")? < MAX_URL_ATTEMPTS
                }
            };
            if fresh && !out.contains(u) {
                out.push(u.clone());
            }
        }
        Ok(out)
    }

    pub fn record_url(
        c: &mut Client,
        url: &str,
        feed_id: Option<i64>,
        state: UrlState,
        detail: Option<&str>,
    ) -> Result<u32, StoreError> {
        check_text("url", url)?;
        if let Some(d) = detail {
            check_text("detail", d)?;
        }
        let attempts: i32 = c
            .query_one(
                "INSERT INTO watch_urls (url, feed_id, state, attempts, detail, first_at, updated_at)
                 VALUES ($1, $2, $3, 1, $4, $5, $5)
                 ON CONFLICT (url) DO UPDATE SET state = excluded.state,
                    attempts = watch_urls.attempts + 1, detail = excluded.detail,
                    updated_at = excluded.updated_at
                 RETURNING attempts",
                &[&url, &feed_id, &state.as_str(), &detail, &now_ms()],
            )?
            .try_get(0)?;
        u32_of(i64::from(attempts), "attempts")
    }

    pub fn url_info(c: &mut Client, url: &str) -> Result<Option<UrlInfo>, StoreError> {
        c.query_opt(
            "SELECT url, feed_id, state, attempts, detail FROM watch_urls WHERE url = $1",
            &[&url],
        )?
        .map(|r| {
            Ok(UrlInfo {
                url: r.try_get(0)?,
                feed_id: r.try_get(1)?,
                state: UrlState::parse(r.try_get(2)?)?,
                attempts: u32_of(i64::from(r.try_get::<_, i32>(3)?), "attempts")?,
                detail: r.try_get(4)?,
            })
        })
        .transpose()
    }

    pub fn put_alert_rule(
        c: &mut Client,
        name: &str,
        rule: &serde_json::Value,
    ) -> Result<(), StoreError> {
        let text = serde_json::to_string(rule)?;
        check_text("rule", &text)?;
        c.execute(
            "INSERT INTO watch_alert_rules (name, rule, updated_at) VALUES ($1, $2, $3)
             ON CONFLICT (name) DO UPDATE SET rule = excluded.rule,
                updated_at = excluded.updated_at",
            &[&name, &text, &now_ms()],
        )?;
        Ok(())
    }

    pub fn remove_alert_rule(c: &mut Client, name: &str) -> Result<bool, StoreError> {
        Ok(c.execute("DELETE FROM watch_alert_rules WHERE name = $1", &[&name])? > 0)
    }

    pub fn alert_rules(c: &mut Client) -> Result<Vec<(String, serde_json::Value)>, StoreError> {
        c.query(
            "SELECT name, rule FROM watch_alert_rules ORDER BY name",
            &[],
        )?
        .iter()
        .map(|r| {
            let rule: String = r.try_get(1)?;
            Ok((r.try_get(0)?, serde_json::from_str(&rule)?))
        })
        .collect()
    }

    pub fn alert_state(
        c: &mut Client,
        rule: &str,
    ) -> Result<Option<serde_json::Value>, StoreError> {
        let s: Option<String> = c
            .query_opt(
                "SELECT state FROM watch_alert_state WHERE rule = $1",
                &[&rule],
            )?
            .map(|r| r.try_get(0))
            .transpose()?;
        Ok(s.map(|s| serde_json::from_str(&s)).transpose()?)
    }

    pub fn put_alert_state(
        c: &mut Client,
        rule: &str,
        state: &serde_json::Value,
    ) -> Result<(), StoreError> {
        check_text("rule", rule)?;
        c.execute(
            "INSERT INTO watch_alert_state (rule, state, updated_at) VALUES ($1, $2, $3)
             ON CONFLICT (rule) DO UPDATE SET state = excluded.state,
                updated_at = excluded.updated_at",
            &[&rule, &serde_json::to_string(state)?, &now_ms()],
        )?;
        Ok(())
    }

    pub fn insert_alert(c: &mut Client, a: &NewAlert) -> Result<Option<i64>, StoreError> {
        for (w, s) in [
            ("rule", &a.rule),
            ("episode", &a.episode),
            ("title", &a.title),
        ] {
            check_text(w, s)?;
        }
        Ok(c.query_opt(
            "INSERT INTO watch_alerts (rule, episode, fired_at, title, details)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (rule, episode) DO NOTHING
             RETURNING id",
            &[
                &a.rule,
                &a.episode,
                &now_ms(),
                &a.title,
                &serde_json::to_string(&a.details)?,
            ],
        )?
        .map(|r| r.try_get(0))
        .transpose()?)
    }

    pub fn alerts(c: &mut Client, limit: usize) -> Result<Vec<AlertRecord>, StoreError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        c.query(
            "SELECT id, rule, episode, fired_at, title, details, delivered, delivery_error
             FROM watch_alerts ORDER BY fired_at DESC, id DESC LIMIT $1",
            &[&limit],
        )?
        .iter()
        .map(|r| {
            let details: String = r.try_get(5)?;
            Ok(AlertRecord {
                id: r.try_get(0)?,
                rule: r.try_get(1)?,
                episode: r.try_get(2)?,
                fired_at: ms_time(r.try_get(3)?)?,
                title: r.try_get(4)?,
                details: serde_json::from_str(&details)?,
                delivered: r.try_get(6)?,
                delivery_error: r.try_get(7)?,
            })
        })
        .collect()
    }

    pub fn set_alert_delivery(
        c: &mut Client,
        id: i64,
        delivered: bool,
        error: Option<&str>,
    ) -> Result<(), StoreError> {
        if let Some(e) = error {
            check_text("error", e)?;
        }
        c.execute(
            "UPDATE watch_alerts SET delivered = $2, delivery_error = $3 WHERE id = $1",
            &[&id, &delivered, &error],
        )?;
        Ok(())
    }

    pub fn mention_counts(
        c: &mut Client,
        ids: &[String],
    ) -> Result<Vec<(String, u64)>, StoreError> {
        let found: std::collections::HashMap<String, i64> = c
            .query(
                "SELECT article_id, COUNT(*) FROM mentions WHERE article_id = ANY($1)
                 GROUP BY article_id",
                &[&ids],
            )?
            .iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .collect::<Result<_, StoreError>>()?;
        Ok(ids
            .iter()
            .map(|id| {
                (
                    id.clone(),
                    u64::try_from(found.get(id).copied().unwrap_or(0)).unwrap_or(0),
                )
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(url: &str, interval: u32) -> FeedSpec {
        FeedSpec {
            url: url.into(),
            name: None,
            interval_secs: interval,
            language: None,
        }
    }

    #[test]
    fn feeds_are_checked() {
        assert!(check_feed(&spec("https://news.example/rss", 60)).is_ok());
        assert!(check_feed(&spec("HTTP://news.example/rss", 60)).is_ok());
        assert!(check_feed(&spec("ftp://news.example/rss", 60)).is_err());
        assert!(check_feed(&spec("https://news.example/a b", 60)).is_err());
        assert!(check_feed(&spec("http://", 60)).is_err());
        assert!(check_feed(&spec("https://news.example/rss", 0)).is_err());
    }

    #[test]
    fn url_states_round_trip() {
        for s in [UrlState::Fetched, UrlState::Failed, UrlState::Skipped] {
            assert_eq!(UrlState::parse(s.as_str()).unwrap(), s);
        }
        assert!(UrlState::parse("lost").is_err());
    }
}
