//! Deduplication and aggregation inside the article transaction.
//!
//! The rules live in `outpost-dedup`; this module applies them incrementally, in the same
//! transaction that stores an article, written once for both backends over the small
//! [`Tx`] interface:
//!
//! * story clusters: the article's MinHash sketch (in `article_sketches`) and its LSH band
//!   keys (in `sketch_bands`, naming the sketch by its integer `seq`) are stored; the stored
//!   articles sharing a band key are the candidates (one bounded index range per band, the
//!   [`MAX_CANDIDATES`] with the most shared bands compared), and the article joins the
//!   cluster of the most similar one at or above `SAME_STORY`, else starts its own. The
//!   cluster is found before the article row is written, so that row is written once;
//! * copies: a mention's copy key (canonical URL, else the input source) and site key (the
//!   URL's host, else the site name) say whether a new input is a new article copy and a new
//!   source;
//! * aggregated events: an article's new events look up the aggregates with their match
//!   keys whose date span can overlap — per key and span class one short index range, all in
//!   one statement — and each joins the first that accepts it (same place rules) or starts
//!   one; counts are kept up to date by adding, never by recounting, so a stream of N
//!   articles costs O(N) look-ups, and the statements per article do not grow with its
//!   number of events. Aggregates are chosen before the event rows are written, so each
//!   event row is written once, with its `agg_id`.
//!
//! On PostgreSQL, concurrent workers take transaction-scoped advisory locks on the band
//! keys and match keys they touch (in sorted order, bands before keys, so no deadlock), so
//! two reports of one event stored at the same moment still end up in one aggregate.

use std::collections::HashMap;

use chrono::{Days, NaiveDate};
use outpost_core::{Article, Event};
use outpost_dedup::{Aggregate, Sketch, Span, Spot, canonical_url, site_of};

use crate::aggregate::{Arg, Cell};
use crate::error::StoreError;
use crate::query::date_str;

/// Most candidate articles compared with a new one (those sharing the most band keys
/// first: a pair of similarity 0.5 shares 2.5 of the 10 on average, one of 0.1 almost
/// never more than one).
pub const MAX_CANDIDATES: usize = 16;
/// Most stored articles read per band key of a new article.
pub const PER_BAND: usize = 8;
/// Estimated similarity above which a new article is a copy of a stored one, and its band
/// keys are not stored.
pub const COPY: f64 = 0.9;
/// Most candidate aggregates checked for a new event (those starting nearest its date first).
pub const MAX_AGGREGATE_CANDIDATES: usize = 200;
/// The schema version whose migration is followed by [`rebuild_bands`].
pub(crate) const BANDS_MIGRATION: u32 = 7;
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

/// Most rows in one multi-row statement (SQLite allows 32,766 parameters and 500 terms of
/// a compound `SELECT`; PostgreSQL 65,535 parameters).
const ROWS_PER_STATEMENT: usize = 200;
/// Most match keys in one candidate look-up (three `SELECT` terms each).
const KEYS_PER_LOOKUP: usize = 32;

/// Runs a multi-row statement over `rows` in chunks of [`ROWS_PER_STATEMENT`]: `sql` gets the
/// `VALUES` list of a chunk (`(?1, ?2), (?3, ?4)…`; a column with a type in `casts` is
/// written `CAST(?n AS type)`, as `VALUES` in an `UPDATE … FROM` or a `SELECT` needs on
/// PostgreSQL). Returns the rows all chunks returned.
fn values_rows(
    tx: &mut dyn Tx,
    rows: &[Vec<Arg>],
    casts: &[Option<&str>],
    sql: impl Fn(&str) -> String,
) -> Result<Vec<Vec<Cell>>, StoreError> {
    let mut out = Vec::new();
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        let mut list = Vec::with_capacity(chunk.len());
        let mut args = Vec::with_capacity(chunk.len() * casts.len());
        for row in chunk {
            let cols: Vec<String> = casts
                .iter()
                .enumerate()
                .map(|(i, cast)| {
                    let n = args.len() + i + 1;
                    match cast {
                        Some(t) => format!("CAST(?{n} AS {t})"),
                        None => format!("?{n}"),
                    }
                })
                .collect();
            list.push(format!("({})", cols.join(", ")));
            args.extend(row.iter().cloned());
        }
        out.extend(tx.rows(&sql(&list.join(", ")), &args)?);
    }
    Ok(out)
}

/// Takes PostgreSQL advisory locks on these keys (sorted; the rows of a `VALUES` list are
/// scanned in order), held until the transaction ends.
fn lock(tx: &mut dyn Tx, keys: &mut Vec<i64>) -> Result<(), StoreError> {
    if !tx.postgres() || keys.is_empty() {
        return Ok(());
    }
    keys.sort_unstable();
    keys.dedup();
    let rows: Vec<Vec<Arg>> = keys.iter().map(|k| vec![Arg::Int(*k)]).collect();
    values_rows(tx, &rows, &[Some("BIGINT")], |v| {
        format!("SELECT COUNT(pg_advisory_xact_lock(column1)) FROM (VALUES {v}) v")
    })?;
    Ok(())
}

/// Where a new article goes among the story clusters, found by [`find_cluster`] and
/// written by [`store_cluster`].
pub(crate) struct Clustering {
    /// The cluster the article joins (its own id when it starts one).
    pub cluster: String,
    /// The article's sketch (bytes) and LSH band keys; `None` when not sketched.
    sketch: Option<(Vec<u8>, Vec<i64>)>,
    /// Whether its band keys are stored (not for near-identical copies).
    index_bands: bool,
}

/// Finds the story cluster of a new article: the cluster of the most similar stored article
/// at or above `SAME_STORY`, else its own. Takes the band-key locks on PostgreSQL. With `on`
/// false, or a text too short to sketch, the article is a cluster of its own.
pub(crate) fn find_cluster(
    tx: &mut dyn Tx,
    article: &Article,
    on: bool,
) -> Result<Clustering, StoreError> {
    let Some(sketch) = on.then(|| Sketch::of_text(&article.text)).flatten() else {
        return Ok(Clustering {
            cluster: article.id.clone(),
            sketch: None,
            index_bands: false,
        });
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
                "SELECT * FROM (SELECT member FROM sketch_bands \
                 WHERE band = ?{} ORDER BY member LIMIT {PER_BAND}) b{i}",
                i + 1
            )
        })
        .collect();
    let args: Vec<Arg> = bands.iter().map(|b| Arg::Int(*b)).collect();
    let mut hits: HashMap<i64, usize> = HashMap::new();
    for row in tx.rows(&per_band.join(" UNION ALL "), &args)? {
        let [member] = cells::<1>(row)?;
        if let Some(m) = member.as_int() {
            *hits.entry(m).or_default() += 1;
        }
    }
    let mut ranked: Vec<(i64, usize)> = hits.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    ranked.truncate(MAX_CANDIDATES);
    // The list is padded to a power of two (repeating the last id), so a handful of
    // statement shapes serve every article from the statement cache.
    let width = ranked.len().next_power_of_two();
    let placeholders: Vec<String> = (1..=width).map(|i| format!("?{i}")).collect();
    let mut args: Vec<Arg> = ranked.iter().map(|(m, _)| Arg::Int(*m)).collect();
    if let Some(last) = args.last().cloned() {
        args.resize(width, last);
    }
    let sql = format!(
        "SELECT seq, cluster_id, sketch FROM article_sketches WHERE seq IN ({})",
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
        let Some(other) = sk.as_blob().and_then(Sketch::from_bytes) else {
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
    Ok(Clustering {
        cluster,
        sketch: Some((sketch.to_bytes(), bands)),
        index_bands,
    })
}

/// Stores a new article's sketch and band keys (after the article row).
pub(crate) fn store_cluster(
    tx: &mut dyn Tx,
    article_id: &str,
    c: &Clustering,
) -> Result<(), StoreError> {
    let Some((sketch, bands)) = &c.sketch else {
        return Ok(());
    };
    let seq = tx.rows(
        "INSERT INTO article_sketches (article_id, cluster_id, sketch) VALUES (?1, ?2, ?3) \
         ON CONFLICT DO NOTHING RETURNING seq",
        &[
            text(article_id),
            text(&c.cluster),
            Arg::Blob(sketch.clone()),
        ],
    )?;
    let Some(seq) = seq
        .into_iter()
        .next()
        .and_then(|r| r.first().and_then(Cell::as_int))
    else {
        return Ok(());
    };
    if c.index_bands {
        insert_bands(tx, &[(seq, bands.as_slice())])?;
    }
    Ok(())
}

/// Stores the band keys of sketches (`article_sketches.seq`, keys), in multi-row statements.
fn insert_bands(tx: &mut dyn Tx, sketches: &[(i64, &[i64])]) -> Result<(), StoreError> {
    let rows: Vec<Vec<Arg>> = sketches
        .iter()
        .flat_map(|(seq, keys)| keys.iter().map(|k| vec![Arg::Int(*k), Arg::Int(*seq)]))
        .collect();
    values_rows(tx, &rows, &[None, None], |v| {
        format!("INSERT INTO sketch_bands (band, member) VALUES {v} ON CONFLICT DO NOTHING")
    })?;
    Ok(())
}

/// Fills `sketch_bands` from the stored sketches of the articles listed in the temporary
/// table `v7_indexed` (those whose bands were indexed before), then drops that table: the
/// step of schema migration 7 that SQL cannot do. Reads the sketches in pages, so memory
/// stays bounded on a large database.
pub(crate) fn rebuild_bands(tx: &mut dyn Tx) -> Result<(), StoreError> {
    const PAGE: i64 = 5000;
    let mut after = i64::MIN;
    loop {
        let rows = tx.rows(
            &format!(
                "SELECT s.seq, s.sketch FROM article_sketches s \
                 JOIN v7_indexed i ON i.article_id = s.article_id \
                 WHERE s.seq > ?1 ORDER BY s.seq LIMIT {PAGE}"
            ),
            &[Arg::Int(after)],
        )?;
        let n = rows.len();
        let mut sketches: Vec<(i64, [i64; outpost_dedup::sketch::BANDS])> = Vec::with_capacity(n);
        for row in rows {
            let [seq, sk] = cells::<2>(row)?;
            let Some(seq) = seq.as_int() else { continue };
            after = after.max(seq);
            if let Some(s) = sk.as_blob().and_then(Sketch::from_bytes) {
                sketches.push((seq, s.bands()));
            }
        }
        let refs: Vec<(i64, &[i64])> = sketches.iter().map(|(q, b)| (*q, b.as_slice())).collect();
        insert_bands(tx, &refs)?;
        if (n as i64) < PAGE {
            break;
        }
    }
    tx.exec("DROP TABLE v7_indexed", &[])?;
    Ok(())
}

/// The events to store of a new article: the first of each id.
pub(crate) fn distinct_events(events: &[Event]) -> Vec<&Event> {
    let mut seen = std::collections::HashSet::with_capacity(events.len());
    events
        .iter()
        .filter(|e| seen.insert(e.id.as_str()))
        .collect()
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
    // An event's aggregate never changes once stored, so this may be read before locking.
    let mut aggs: Vec<(String, i64)> = Vec::new();
    let mut keys = Vec::new();
    for row in tx.rows(
        "SELECT e.agg_id, COUNT(*), a.match_key FROM events e JOIN aggregates a \
            ON a.id = e.agg_id WHERE e.article_id = ?1 GROUP BY e.agg_id, a.match_key \
         ORDER BY e.agg_id",
        &[text(article_id)],
    )? {
        let [agg, n, key] = cells::<3>(row)?;
        if let (Some(agg), Some(n)) = (agg.as_text(), n.as_int()) {
            aggs.push((agg, n));
        }
        keys.extend(key.as_int());
    }
    if aggs.is_empty() {
        return Ok(());
    }
    // The same locks a new report of these events would take, so the two never cross.
    lock(tx, &mut keys)?;
    let ids: Vec<&str> = aggs.iter().map(|a| a.0.as_str()).collect();
    let copies = [(copy_key.to_string(), site_key.to_string())];
    let (new_copies, new_sites) = add_copies(tx, &ids, &copies)?;
    let rows: Vec<Vec<Arg>> = aggs
        .iter()
        .map(|(agg, n)| {
            vec![
                text(agg),
                Arg::Int(*n),
                Arg::Int(new_copies.get(agg).copied().unwrap_or(0)),
                Arg::Int(new_sites.get(agg).copied().unwrap_or(0)),
            ]
        })
        .collect();
    values_rows(
        tx,
        &rows,
        &[Some("TEXT"), Some("BIGINT"), Some("BIGINT"), Some("BIGINT")],
        |v| {
            format!(
                "UPDATE aggregates SET num_mentions = num_mentions + v.column2, \
                    num_articles = num_articles + v.column3, \
                    num_sources = num_sources + v.column4 \
                 FROM (VALUES {v}) AS v WHERE aggregates.id = v.column1"
            )
        },
    )?;
    Ok(())
}

/// How many copies (or sites) were new to each aggregate.
type NewPerAggregate = HashMap<String, i64>;

/// Records each copy and site of `copies` under each aggregate of `aggs` (one statement
/// each for copies and sites) and returns, per aggregate, how many copies and how many sites
/// were new to it.
fn add_copies(
    tx: &mut dyn Tx,
    aggs: &[&str],
    copies: &[(String, String)],
) -> Result<(NewPerAggregate, NewPerAggregate), StoreError> {
    let mut out: [HashMap<String, i64>; 2] = Default::default();
    for (side, (table, column)) in [
        ("aggregate_copies", "copy_key"),
        ("aggregate_sites", "site_key"),
    ]
    .into_iter()
    .enumerate()
    {
        let mut values: Vec<&str> = copies
            .iter()
            .map(|c| {
                if side == 0 {
                    c.0.as_str()
                } else {
                    c.1.as_str()
                }
            })
            .collect();
        values.sort_unstable();
        values.dedup();
        let rows: Vec<Vec<Arg>> = aggs
            .iter()
            .flat_map(|agg| values.iter().map(move |v| vec![text(*agg), text(*v)]))
            .collect();
        let sql = |v: &str| {
            format!(
                "INSERT INTO {table} (agg_id, {column}) VALUES {v} ON CONFLICT DO NOTHING \
                 RETURNING agg_id"
            )
        };
        for row in values_rows(tx, &rows, &[None, None], sql)? {
            let [id] = cells::<1>(row)?;
            if let Some(id) = id.as_text() {
                *out[side].entry(id).or_default() += 1;
            }
        }
    }
    let [copies, sites] = out;
    Ok((copies, sites))
}

fn parse_day(c: &Cell) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(&c.as_text()?, "%Y-%m-%d").ok()
}

/// One aggregate an article's events touch: an existing one (a candidate read from the
/// store) or one the article starts.
struct Touched {
    id: String,
    key: i64,
    /// Span and place; `None` for an undated aggregate (never matched).
    agg: Option<Aggregate>,
    /// The place of an undated aggregate.
    undated_spot: Option<Spot>,
    /// Read from the store (else new in this article).
    existing: bool,
    /// Changed by this article (an event joined it).
    joined: bool,
    /// Event mentions this article adds.
    mentions: i64,
}

/// Span classes (migration 0006): the widest span of each class, in days after its first.
/// An aggregate keeps the class it started with; spans only narrow, so an aggregate of class
/// `c` that overlaps a span starting on `lo` starts on or after `lo - CLASS_WIDTH[c]`.
const CLASS_WIDTH: [u64; 3] = [6, 30, LONGEST_SPAN_DAYS];

/// The class of a span: the first whose width holds it.
fn span_class(span: Span) -> i64 {
    let width = u64::try_from((span.hi - span.lo).num_days()).unwrap_or(u64::MAX);
    CLASS_WIDTH
        .iter()
        .position(|w| width <= *w)
        .map_or(2, |c| c as i64)
}

/// The start of the look-up range of class `class` for spans starting on `lo`.
fn earliest(lo: NaiveDate, class: usize) -> NaiveDate {
    lo.checked_sub_days(Days::new(CLASS_WIDTH[class]))
        .unwrap_or(lo)
}

/// Puts a new article's events (before they are inserted) into aggregates — existing ones that
/// accept them, or new ones — and counts each once for each of the article's copies
/// (`(copy key, site key)`, distinct; a new article has the one it arrived in). With `on`
/// false every event is an aggregate of its own. Returns each event's aggregate id, in
/// order, for the event rows' `agg_id`.
///
/// Set-based, so the cost is a fixed number of statements per article, not per event: one
/// lock statement (PostgreSQL), one candidate look-up (a `UNION ALL` of one bounded index
/// range per match key), then one statement each for the new aggregates, the copies, the
/// sites and the changed aggregates. Within the article the events
/// are placed in order, as if stored one by one: a later event can join an aggregate an
/// earlier one started or narrowed.
pub(crate) fn aggregate_events(
    tx: &mut dyn Tx,
    article: &Article,
    copies: &[(String, String)],
    events: &[&Event],
    on: bool,
) -> Result<Vec<String>, StoreError> {
    if events.is_empty() {
        return Ok(Vec::new());
    }
    let facts: Vec<(Option<Span>, Option<Spot>, i64)> = events
        .iter()
        .map(|e| {
            let span = if on {
                outpost_dedup::date_span(e, article.date)
            } else {
                None
            };
            (span, outpost_dedup::spot(e), outpost_dedup::match_key(e))
        })
        .collect();
    // The look-up span of each match key: the union of its events' spans.
    let mut ranges: Vec<(i64, Span)> = Vec::new();
    for (span, _, key) in &facts {
        let Some(span) = span else { continue };
        match ranges.iter_mut().find(|r| r.0 == *key) {
            Some(r) => {
                r.1.lo = r.1.lo.min(span.lo);
                r.1.hi = r.1.hi.max(span.hi);
            }
            None => ranges.push((*key, *span)),
        }
    }
    ranges.sort_unstable_by_key(|r| r.0);
    let mut keys: Vec<i64> = ranges.iter().map(|r| r.0).collect();
    lock(tx, &mut keys)?;
    let mut touched: Vec<Touched> = Vec::new();
    // Per key and span class, one bounded index range: aggregates of that class that can
    // overlap, nearest start first.
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut by_key: HashMap<i64, Vec<usize>> = HashMap::new();
    for chunk in ranges.chunks(KEYS_PER_LOOKUP) {
        let mut parts = Vec::with_capacity(chunk.len() * CLASS_WIDTH.len());
        let mut args = Vec::with_capacity(chunk.len() * 6);
        // Padded to a power of two by repeating the last key (its rows come back twice and
        // are skipped), so a handful of statement shapes serve every article from the cache.
        let pad = chunk.len().next_power_of_two() - chunk.len();
        let last = chunk.iter().rev().take(1).cycle().take(pad);
        for (key, span) in chunk.iter().chain(last) {
            let n = args.len();
            args.push(Arg::Int(*key));
            args.push(text(date_str(span.hi)));
            args.push(text(date_str(span.lo)));
            for class in 0..CLASS_WIDTH.len() {
                let m = args.len();
                args.push(text(date_str(earliest(span.lo, class))));
                parts.push(format!(
                    "SELECT * FROM (SELECT id, match_key, date_lo, date_hi, country, lat, lon, \
                        fine FROM aggregates WHERE match_key = ?{} AND span_class = {class} \
                        AND date_lo >= ?{} AND date_lo <= ?{} AND date_hi >= ?{} \
                     ORDER BY date_lo DESC, id LIMIT {MAX_AGGREGATE_CANDIDATES}) c{}",
                    n + 1,
                    m + 1,
                    n + 2,
                    n + 3,
                    parts.len()
                ));
            }
        }
        for row in tx.rows(&parts.join(" UNION ALL "), &args)? {
            let [id, key, lo, hi, country, lat, lon, fine] = cells::<8>(row)?;
            let (Some(id), Some(key), Some(lo), Some(hi)) =
                (id.as_text(), key.as_int(), parse_day(&lo), parse_day(&hi))
            else {
                continue;
            };
            if !seen.insert(id.clone()) {
                continue;
            }
            let spot = match (lat.as_real(), lon.as_real()) {
                (Some(lat), Some(lon)) => Some(Spot {
                    country: country.as_text(),
                    lat,
                    lon,
                    fine: fine.as_int().unwrap_or(0) != 0,
                }),
                _ => None,
            };
            by_key.entry(key).or_default().push(touched.len());
            touched.push(Touched {
                id,
                key,
                agg: Some(Aggregate::new(Span { lo, hi }, spot)),
                undated_spot: None,
                existing: true,
                joined: false,
                mentions: 0,
            });
        }
    }
    let per_event = i64::try_from(copies.len()).unwrap_or(i64::MAX);
    let mut assigned: Vec<usize> = Vec::with_capacity(events.len());
    for (e, (span, spot, key)) in events.iter().zip(facts) {
        // The candidates an event stored alone would have seen: same key, starting in its
        // look-up range, overlapping its span; nearest start first.
        let chosen = span.and_then(|span| {
            let mut cands: Vec<usize> = by_key
                .get(&key)
                .map_or(&[][..], Vec::as_slice)
                .iter()
                .copied()
                .filter(|&i| {
                    touched[i].agg.as_ref().is_some_and(|a| {
                        a.span.lo <= span.hi
                            && a.span.hi >= span.lo
                            && a.span.lo >= earliest(span.lo, 2)
                    })
                })
                .collect();
            cands.sort_by(|&a, &b| {
                let (x, y) = (&touched[a], &touched[b]);
                let lo = |t: &Touched| t.agg.as_ref().map(|a| a.span.lo);
                lo(y).cmp(&lo(x)).then_with(|| x.id.cmp(&y.id))
            });
            cands.truncate(MAX_AGGREGATE_CANDIDATES);
            cands.into_iter().find(|&i| {
                touched[i]
                    .agg
                    .as_ref()
                    .is_some_and(|a| a.accepts(span, spot.as_ref()))
            })
        });
        let i = match chosen {
            Some(i) => {
                let t = &mut touched[i];
                if let (Some(a), Some(span)) = (t.agg.as_mut(), span) {
                    a.join(span, spot);
                }
                t.joined = true;
                i
            }
            None => {
                let (agg, undated_spot) = match span {
                    Some(s) => (Some(Aggregate::new(s, spot)), None),
                    None => (None, spot),
                };
                if agg.is_some() {
                    by_key.entry(key).or_default().push(touched.len());
                }
                touched.push(Touched {
                    id: e.id.clone(),
                    key,
                    agg,
                    undated_spot,
                    existing: false,
                    joined: true,
                    mentions: 0,
                });
                touched.len() - 1
            }
        };
        touched[i].mentions = touched[i].mentions.saturating_add(per_event);
        assigned.push(i);
    }
    let n_copies = i64::try_from(
        copies
            .iter()
            .map(|c| &c.0)
            .collect::<std::collections::HashSet<_>>()
            .len(),
    )
    .unwrap_or(0);
    let n_sites = i64::try_from(
        copies
            .iter()
            .map(|c| &c.1)
            .collect::<std::collections::HashSet<_>>()
            .len(),
    )
    .unwrap_or(0);
    let place_args = |t: &Touched| -> [Arg; 6] {
        let s = t
            .agg
            .as_ref()
            .and_then(|a| a.spot.as_ref())
            .or(t.undated_spot.as_ref());
        [
            opt_text(t.agg.as_ref().map(|a| date_str(a.span.lo)).as_deref()),
            opt_text(t.agg.as_ref().map(|a| date_str(a.span.hi)).as_deref()),
            opt_text(s.and_then(|s| s.country.as_deref())),
            s.map_or(Arg::Null, |s| Arg::Real(s.lat)),
            s.map_or(Arg::Null, |s| Arg::Real(s.lon)),
            Arg::Int(i64::from(s.is_some_and(|s| s.fine))),
        ]
    };
    // New aggregates, with their final counts: every copy and site is new to them.
    let rows: Vec<Vec<Arg>> = touched
        .iter()
        .filter(|t| !t.existing)
        .map(|t| {
            let mut row = vec![text(&t.id), Arg::Int(t.key)];
            row.extend(place_args(t));
            row.extend([
                Arg::Int(t.mentions),
                Arg::Int(n_copies),
                Arg::Int(n_sites),
                Arg::Int(t.agg.as_ref().map_or(2, |a| span_class(a.span))),
            ]);
            row
        })
        .collect();
    values_rows(tx, &rows, &[None; 12], |v| {
        format!(
            "INSERT INTO aggregates (id, match_key, date_lo, date_hi, country, lat, lon, \
                fine, num_mentions, num_articles, num_sources, span_class) VALUES {v} \
             ON CONFLICT DO NOTHING"
        )
    })?;
    // Copies and sites of every aggregate the article touched; the ones new to an existing
    // aggregate come back and are counted.
    let joined: Vec<&str> = touched
        .iter()
        .filter(|t| t.joined)
        .map(|t| t.id.as_str())
        .collect();
    let (new_copies, new_sites) = add_copies(tx, &joined, copies)?;
    // Existing aggregates that gained events: new span and place, added counts.
    let rows: Vec<Vec<Arg>> = touched
        .iter()
        .filter(|t| t.existing && t.joined)
        .map(|t| {
            let mut row = vec![text(&t.id)];
            row.extend(place_args(t));
            row.extend([
                Arg::Int(t.mentions),
                Arg::Int(new_copies.get(&t.id).copied().unwrap_or(0)),
                Arg::Int(new_sites.get(&t.id).copied().unwrap_or(0)),
            ]);
            row
        })
        .collect();
    let (txt, real, int) = (Some("TEXT"), Some("DOUBLE PRECISION"), Some("BIGINT"));
    values_rows(
        tx,
        &rows,
        &[txt, txt, txt, txt, real, real, int, int, int, int],
        |v| {
            format!(
                "UPDATE aggregates SET date_lo = v.column2, date_hi = v.column3, \
                    country = v.column4, lat = v.column5, lon = v.column6, fine = v.column7, \
                    num_mentions = num_mentions + v.column8, \
                    num_articles = num_articles + v.column9, \
                    num_sources = num_sources + v.column10 \
                 FROM (VALUES {v}) AS v WHERE aggregates.id = v.column1"
            )
        },
    )?;
    Ok(assigned
        .into_iter()
        .map(|i| touched[i].id.clone())
        .collect())
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
    fn placeholders() {
        assert_eq!(
            pg_placeholders("SELECT ?1, '?' FROM t WHERE a = ?12"),
            "SELECT $1, '?' FROM t WHERE a = $12"
        );
    }

    #[test]
    fn span_classes_bound_how_early_an_overlapping_aggregate_starts() {
        let d = |m, day| NaiveDate::from_ymd_opt(2024, m, day).unwrap();
        let class = |lo, hi| span_class(Span { lo, hi });
        assert_eq!(class(d(3, 5), d(3, 5)), 0); // a day
        assert_eq!(class(d(3, 2), d(3, 5)), 0); // an undated report's window
        assert_eq!(class(d(3, 4), d(3, 10)), 0); // a week
        assert_eq!(class(d(3, 1), d(3, 31)), 1); // a month
        assert_eq!(class(d(1, 1), d(12, 31)), 2); // a year
        // A week that overlaps the 20th starts on the 14th at the earliest.
        assert_eq!(earliest(d(3, 20), 0), d(3, 14));
        assert_eq!(earliest(d(3, 31), 1), d(3, 1));
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
