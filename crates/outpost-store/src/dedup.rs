//! Deduplication and aggregation inside the article transaction.
//!
//! The rules live in `outpost-dedup`; this module applies them incrementally, in the same
//! transaction that stores an article, written once for both backends over the small
//! [`Tx`] interface:
//!
//! * story clusters: the article's MinHash sketch and its LSH band keys are stored; the
//!   stored articles sharing a band key are the candidates (an index look-up per band, at
//!   most [`MAX_CANDIDATES`] compared), and the article joins the cluster of the most
//!   similar one at or above `SAME_STORY`, else starts its own;
//! * copies: a mention's copy key (canonical URL, else the input source) and site key (the
//!   URL's host, else the site name) say whether a new input is a new article copy and a new
//!   source;
//! * aggregated events: each new event looks up the aggregates with its match key whose
//!   date span can overlap (one index range), joins the first that accepts it (same place
//!   rules) or starts one; counts are kept up to date by adding, never by recounting, so a
//!   stream of N articles costs O(N) look-ups.
//!
//! On PostgreSQL, concurrent workers take transaction-scoped advisory locks on the band
//! keys and match keys they touch (in sorted order, bands before keys, so no deadlock), so
//! two reports of one event stored at the same moment still end up in one aggregate.

use chrono::{Days, NaiveDate};
use outpost_core::{Article, Event};
use outpost_dedup::{Aggregate, Sketch, Span, Spot, canonical_url, site_of};

use crate::aggregate::{Arg, Cell};
use crate::error::StoreError;
use crate::query::date_str;

/// Most candidate articles compared with a new one (the most band hits first).
pub const MAX_CANDIDATES: usize = 64;
/// Most stored articles read per band key of a new article.
pub const PER_BAND: usize = 8;
/// Estimated similarity above which a new article is a copy of a stored one, and its band
/// keys are not stored.
pub const COPY: f64 = 0.9;
/// Most candidate aggregates checked for a new event (those starting nearest its date first).
pub const MAX_AGGREGATE_CANDIDATES: usize = 200;
/// The longest date span of an event (a year), which bounds the look-up range.
const LONGEST_SPAN_DAYS: u64 = 366;

/// One statement runner inside an open transaction. SQL is written with `?N` placeholders;
/// the PostgreSQL runner turns them into `$N`.
pub(crate) trait Tx {
    /// Whether this is PostgreSQL (advisory locks).
    fn postgres(&self) -> bool;
    /// Runs a query and returns its rows.
    fn rows(&mut self, sql: &str, args: &[Arg]) -> Result<Vec<Vec<Cell>>, StoreError>;
    /// Runs a statement and returns the number of rows it changed.
    fn exec(&mut self, sql: &str, args: &[Arg]) -> Result<u64, StoreError>;
}

/// `?N` placeholders as PostgreSQL's `$N`.
pub(crate) fn pg_placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '?' && chars.peek().is_some_and(|d| d.is_ascii_digit()) {
            out.push('$');
        } else {
            out.push(c);
        }
    }
    out
}

fn text(s: impl Into<String>) -> Arg {
    Arg::Text(s.into())
}

fn opt_text(s: Option<&str>) -> Arg {
    s.map_or(Arg::Null, |s| Arg::Text(s.to_string()))
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[usize::from(b >> 4)] as char);
        s.push(DIGITS[usize::from(b & 15)] as char);
    }
    s
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// Takes PostgreSQL advisory locks on these keys (sorted), held until the transaction ends.
fn lock(tx: &mut dyn Tx, keys: &mut [i64]) -> Result<(), StoreError> {
    if !tx.postgres() {
        return Ok(());
    }
    keys.sort_unstable();
    for k in keys.iter() {
        tx.rows(
            "SELECT 1 FROM (SELECT pg_advisory_xact_lock(?1)) l",
            &[Arg::Int(*k)],
        )?;
    }
    Ok(())
}

/// Puts an article just inserted (with itself as its cluster) into its story cluster: the
/// cluster of the most similar stored article at or above `SAME_STORY`, else its own; stores
/// its sketch and band keys. Returns the cluster id. With `on` false, or a text too short to
/// sketch, the article stays a cluster of its own.
pub(crate) fn cluster_article(
    tx: &mut dyn Tx,
    article: &Article,
    on: bool,
) -> Result<String, StoreError> {
    let Some(sketch) = on.then(|| Sketch::of_text(&article.text)).flatten() else {
        return Ok(article.id.clone());
    };
    let mut bands = sketch.bands().to_vec();
    lock(tx, &mut bands)?;
    // At most PER_BAND articles per band key: however large a cluster of copies grows,
    // a new article costs BANDS bounded index range reads (its members share the same
    // bands, so any of them names the cluster).
    // One statement: a UNION ALL of one bounded index range per band key.
    let per_band: Vec<String> = (0..bands.len())
        .map(|i| {
            format!(
                "SELECT * FROM (SELECT article_id FROM article_bands \
                 WHERE band = ?{} AND article_id <> ?1 ORDER BY article_id LIMIT {PER_BAND}) b{i}",
                i + 2
            )
        })
        .collect();
    let mut args: Vec<Arg> = vec![text(&article.id)];
    args.extend(bands.iter().map(|b| Arg::Int(*b)));
    let mut hits: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for row in tx.rows(&per_band.join(" UNION ALL "), &args)? {
        let [id] = cells::<1>(row)?;
        if let Some(id) = id.as_text() {
            *hits.entry(id).or_default() += 1;
        }
    }
    let mut ranked: Vec<(String, usize)> = hits.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    ranked.truncate(MAX_CANDIDATES);
    let placeholders: Vec<String> = (1..=ranked.len()).map(|i| format!("?{i}")).collect();
    let args: Vec<Arg> = ranked.iter().map(|(id, _)| text(id)).collect();
    let sql = format!(
        "SELECT id, COALESCE(cluster_id, id), sketch FROM articles WHERE id IN ({})",
        placeholders.join(", ")
    );
    let rows = if ranked.is_empty() {
        Vec::new()
    } else {
        tx.rows(&sql, &args)?
    };
    let mut best: Option<(f64, String)> = None;
    for row in rows {
        let [_, cluster, sk] = cells::<3>(row)?;
        let Some(other) = sk
            .as_text()
            .and_then(|h| unhex(&h))
            .and_then(|b| Sketch::from_bytes(&b))
        else {
            continue;
        };
        let s = sketch.similarity(&other);
        if sketch.same_story(&other) && best.as_ref().is_none_or(|b| s > b.0) {
            best = Some((s, cluster.as_text().unwrap_or_default()));
        }
    }
    // A near-identical copy (similarity ≥ COPY) adds nothing to find its cluster by: any
    // text close to it is close to the member it copies, which is indexed. Not indexing it
    // keeps syndication bursts from growing the band index.
    let index_bands = best.as_ref().is_none_or(|b| b.0 < COPY);
    let cluster = best
        .map(|b| b.1)
        .filter(|c| !c.is_empty())
        .unwrap_or_else(|| article.id.clone());
    tx.exec(
        "UPDATE articles SET cluster_id = ?1, sketch = ?2 WHERE id = ?3",
        &[
            text(&cluster),
            text(hex(&sketch.to_bytes())),
            text(&article.id),
        ],
    )?;
    if index_bands {
        // One multi-row statement for all band keys.
        let rows: Vec<String> = (0..bands.len())
            .map(|i| format!("(?{}, ?1)", i + 2))
            .collect();
        let mut args: Vec<Arg> = vec![text(&article.id)];
        args.extend(bands.iter().map(|b| Arg::Int(*b)));
        tx.exec(
            &format!(
                "INSERT INTO article_bands (band, article_id) VALUES {} ON CONFLICT DO NOTHING",
                rows.join(", ")
            ),
            &args,
        )?;
    }
    Ok(cluster)
}

/// The copy key and site key of an input record of `article`.
pub(crate) fn copy_keys(article: &Article) -> (String, String) {
    let canon = article.url.as_deref().and_then(canonical_url);
    let copy = canon.clone().unwrap_or_else(|| article.source.clone());
    let site = article
        .url
        .as_deref()
        .and_then(site_of)
        .or_else(|| {
            article
                .site
                .as_deref()
                .map(|s| s.trim().to_lowercase())
                .filter(|s| !s.is_empty())
        })
        .unwrap_or_else(|| copy.clone());
    (copy, site)
}

/// Whether `article` already has a mention with this copy key (the same page seen again
/// under another address or from another input).
pub(crate) fn copy_seen(
    tx: &mut dyn Tx,
    article_id: &str,
    copy_key: &str,
) -> Result<bool, StoreError> {
    Ok(!tx
        .rows(
            "SELECT 1 FROM mentions WHERE article_id = ?1 AND copy_key = ?2 LIMIT 1",
            &[text(article_id), text(copy_key)],
        )?
        .is_empty())
}

/// Adds one more copy of an article already stored to the counts of every aggregate its
/// events belong to.
pub(crate) fn add_copy(
    tx: &mut dyn Tx,
    article_id: &str,
    copy_key: &str,
    site_key: &str,
) -> Result<(), StoreError> {
    // The same locks a new report of these events would take, so the two never cross.
    let mut keys = Vec::new();
    for row in tx.rows(
        "SELECT DISTINCT a.match_key FROM aggregates a JOIN events e ON e.agg_id = a.id \
         WHERE e.article_id = ?1",
        &[text(article_id)],
    )? {
        let [k] = cells::<1>(row)?;
        keys.extend(k.as_int());
    }
    lock(tx, &mut keys)?;
    let rows = tx.rows(
        "SELECT agg_id, COUNT(*) FROM events WHERE article_id = ?1 AND agg_id IS NOT NULL \
         GROUP BY agg_id ORDER BY agg_id",
        &[text(article_id)],
    )?;
    for row in rows {
        let [agg, n] = cells::<2>(row)?;
        let agg = agg.as_text().unwrap_or_default();
        count_copy(tx, &agg, n.as_int().unwrap_or(0), copy_key, site_key)?;
    }
    Ok(())
}

/// Adds `mentions` event mentions from one copy (copy key, site key) to aggregate `agg`.
fn count_copy(
    tx: &mut dyn Tx,
    agg: &str,
    mentions: i64,
    copy_key: &str,
    site_key: &str,
) -> Result<(), StoreError> {
    let new_copy = tx.exec(
        "INSERT INTO aggregate_copies (agg_id, copy_key) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
        &[text(agg), text(copy_key)],
    )?;
    let new_site = tx.exec(
        "INSERT INTO aggregate_sites (agg_id, site_key) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
        &[text(agg), text(site_key)],
    )?;
    tx.exec(
        "UPDATE aggregates SET num_mentions = num_mentions + ?1, \
            num_articles = num_articles + ?2, num_sources = num_sources + ?3 WHERE id = ?4",
        &[
            Arg::Int(mentions),
            Arg::Int(i64::from(new_copy > 0)),
            Arg::Int(i64::from(new_site > 0)),
            text(agg),
        ],
    )?;
    Ok(())
}

fn parse_day(c: &Cell) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(&c.as_text()?, "%Y-%m-%d").ok()
}

/// Takes the locks [`aggregate_event`] needs for all of a new article's events at once (in
/// sorted order, so two transactions can never wait on each other): call it before the
/// first [`aggregate_event`] of the article.
pub(crate) fn lock_events(
    tx: &mut dyn Tx,
    article: &Article,
    events: &[Event],
    on: bool,
) -> Result<(), StoreError> {
    if !on || !tx.postgres() {
        return Ok(());
    }
    let mut keys: Vec<i64> = events
        .iter()
        .filter(|e| outpost_dedup::date_span(e, article.date).is_some())
        .map(outpost_dedup::match_key)
        .collect();
    keys.sort_unstable();
    keys.dedup();
    lock(tx, &mut keys)
}

/// Puts a new event (already inserted) into an aggregate — an existing one that accepts it,
/// or a new one — and counts it once for each of the article's copies (`(copy key, site
/// key)`, distinct; a new article has the one it arrived in). Returns the aggregate id. With
/// `on` false the event is an aggregate of its own.
pub(crate) fn aggregate_event(
    tx: &mut dyn Tx,
    article: &Article,
    copies: &[(String, String)],
    event: &Event,
    on: bool,
) -> Result<String, StoreError> {
    let span = if on {
        outpost_dedup::date_span(event, article.date)
    } else {
        None
    };
    let spot = outpost_dedup::spot(event);
    let key = outpost_dedup::match_key(event);
    let mut chosen: Option<(String, Aggregate)> = None;
    if let Some(span) = span {
        // The key is locked by `lock_events`.
        let earliest = span
            .lo
            .checked_sub_days(Days::new(LONGEST_SPAN_DAYS))
            .unwrap_or(span.lo);
        let rows = tx.rows(
            &format!(
                "SELECT id, date_lo, date_hi, country, lat, lon, fine FROM aggregates \
                 WHERE match_key = ?1 AND date_lo >= ?2 AND date_lo <= ?3 AND date_hi >= ?4 \
                 ORDER BY date_lo DESC, id LIMIT {MAX_AGGREGATE_CANDIDATES}"
            ),
            &[
                Arg::Int(key),
                text(date_str(earliest)),
                text(date_str(span.hi)),
                text(date_str(span.lo)),
            ],
        )?;
        for row in rows {
            let [id, lo, hi, country, lat, lon, fine] = cells::<7>(row)?;
            let (Some(lo), Some(hi)) = (parse_day(&lo), parse_day(&hi)) else {
                continue;
            };
            let agg_spot = match (lat.as_real(), lon.as_real()) {
                (Some(lat), Some(lon)) => Some(Spot {
                    country: country.as_text(),
                    lat,
                    lon,
                    fine: fine.as_int().unwrap_or(0) != 0,
                }),
                _ => None,
            };
            let agg = Aggregate::new(Span { lo, hi }, agg_spot);
            if agg.accepts(span, spot.as_ref()) {
                chosen = Some((id.as_text().unwrap_or_default(), agg));
                break;
            }
        }
    }
    let agg_id = match chosen {
        Some((id, mut agg)) => {
            if let Some(span) = span {
                agg.join(span, spot);
            }
            let s = agg.spot.as_ref();
            tx.exec(
                "UPDATE aggregates SET date_lo = ?1, date_hi = ?2, country = ?3, lat = ?4, \
                    lon = ?5, fine = ?6 WHERE id = ?7",
                &[
                    text(date_str(agg.span.lo)),
                    text(date_str(agg.span.hi)),
                    opt_text(s.and_then(|s| s.country.as_deref())),
                    s.map_or(Arg::Null, |s| Arg::Real(s.lat)),
                    s.map_or(Arg::Null, |s| Arg::Real(s.lon)),
                    Arg::Int(i64::from(s.is_some_and(|s| s.fine))),
                    text(&id),
                ],
            )?;
            id
        }
        None => {
            let s = spot.as_ref();
            tx.exec(
                "INSERT INTO aggregates (id, match_key, date_lo, date_hi, country, lat, lon, \
                    fine, num_mentions, num_articles, num_sources) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 0, 0, 0) ON CONFLICT DO NOTHING",
                &[
                    text(&event.id),
                    Arg::Int(key),
                    opt_text(span.map(|s| date_str(s.lo)).as_deref()),
                    opt_text(span.map(|s| date_str(s.hi)).as_deref()),
                    opt_text(s.and_then(|s| s.country.as_deref())),
                    s.map_or(Arg::Null, |s| Arg::Real(s.lat)),
                    s.map_or(Arg::Null, |s| Arg::Real(s.lon)),
                    Arg::Int(i64::from(s.is_some_and(|s| s.fine))),
                ],
            )?;
            event.id.clone()
        }
    };
    tx.exec(
        "UPDATE events SET agg_id = ?1 WHERE id = ?2",
        &[text(&agg_id), text(&event.id)],
    )?;
    for (copy, site) in copies {
        count_copy(tx, &agg_id, 1, copy, site)?;
    }
    Ok(agg_id)
}

fn cells<const N: usize>(row: Vec<Cell>) -> Result<[Cell; N], StoreError> {
    row.try_into().map_err(|r: Vec<Cell>| {
        StoreError::Corrupt(format!("expected {N} columns, got {}", r.len()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_and_hex() {
        assert_eq!(
            pg_placeholders("SELECT ?1, '?' FROM t WHERE a = ?12"),
            "SELECT $1, '?' FROM t WHERE a = $12"
        );
        let b = [0u8, 1, 171, 255];
        assert_eq!(hex(&b), "0001abff");
        assert_eq!(unhex("0001abff").as_deref(), Some(&b[..]));
        assert_eq!(unhex("0g"), None);
        assert_eq!(unhex("abc"), None);
    }

    #[test]
    fn copy_keys_prefer_the_canonical_url_and_its_host() {
        let mut a = Article {
            id: "a".into(),
            source: "feeds/x.html".into(),
            url: Some("https://www.example.com/story/?utm_source=rss".into()),
            title: None,
            date: None,
            modified: None,
            authors: vec![],
            site: Some("Example News".into()),
            language: None,
            wire: None,
            text: String::new(),
        };
        assert_eq!(
            copy_keys(&a),
            ("example.com/story".to_string(), "example.com".to_string())
        );
        a.url = None;
        assert_eq!(
            copy_keys(&a),
            ("feeds/x.html".to_string(), "example news".to_string())
        );
        a.site = None;
        assert_eq!(
            copy_keys(&a),
            ("feeds/x.html".to_string(), "feeds/x.html".to_string())
        );
    }
}
