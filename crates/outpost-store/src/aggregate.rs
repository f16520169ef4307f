//! The analyst's queries: a richer event filter, filtered listings and aggregates.
//!
//! [`Filter`] holds every filter the dashboard offers (date range, country, actor code
//! prefix, PLOVER type, CAMEO root, QuadClass, ACLED type, place by bounding box or radius,
//! status, article, full-text words, directed dyad). The same filter drives:
//!
//! * [`crate::Store::list_events`]: a keyset-paged listing (same cursor as
//!   [`crate::Store::events`]);
//! * [`crate::Store::daily_counts`]: events per day, split by QuadClass or PLOVER type;
//! * [`crate::Store::top_dyads`]: source country → target country pairs with counts and mean
//!   Goldstein score;
//! * [`crate::Store::country_counts`] and [`crate::Store::place_counts`]: events per country
//!   and per geocoded place;
//! * [`crate::Store::daily_index`]: the Goldstein-weighted daily conflict/cooperation index
//!   (formula on [`IndexPoint`]).
//!
//! The SQL is built here once for both dialects, always with bound parameters (no user text
//! is ever spliced into SQL), and run by the backend's [`crate::Backend::select`]. A
//! [`Select`] can only be built inside this crate, so that method runs nothing else.
//!
//! Distances for `near` use the equirectangular approximation (exact enough for radii up
//! to a few hundred kilometres, the use it is meant for) so that both SQL dialects can
//! compute it with plain arithmetic. Bounding boxes may cross the antimeridian
//! (`min_lon > max_lon`). This module does not cache: callers that need it (the server) do.

use chrono::NaiveDate;
use outpost_core::{AggregateRef, Event, Status};
use serde::Serialize;

use crate::error::StoreError;
use crate::query::{Count, Cursor, Page, Sort, date_str, fts_query, tsquery};

/// Default number of rows of a ranked aggregate (dyads, places).
pub const DEFAULT_TOP: usize = 50;
/// Most rows of a ranked aggregate.
pub const MAX_TOP: usize = 1000;
/// Largest accepted radius for `near`, in kilometres.
pub const MAX_RADIUS_KM: f64 = 2000.0;
/// Kilometres per degree of latitude (mean Earth radius 6371.0088 km).
pub const KM_PER_DEGREE: f64 = 111.195;

/// A place filter.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Place {
    /// Events located inside this box (degrees). `min_lon > max_lon` crosses the antimeridian.
    BBox {
        /// West edge.
        min_lon: f64,
        /// South edge.
        min_lat: f64,
        /// East edge.
        max_lon: f64,
        /// North edge.
        max_lat: f64,
    },
    /// Events located within `radius_km` of a point.
    Near {
        /// Latitude of the centre.
        lat: f64,
        /// Longitude of the centre.
        lon: f64,
        /// Radius in kilometres (0 < r ≤ [`MAX_RADIUS_KM`]).
        radius_km: f64,
    },
}

/// Every filter of the analyst's views; all given filters must hold. `None` means no filter.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    /// Events dated on or after this day (undated events never match a date filter).
    pub from: Option<NaiveDate>,
    /// Events dated on or before this day.
    pub to: Option<NaiveDate>,
    /// Country code of the source, the target or the location.
    pub country: Option<String>,
    /// Actor code prefix (`KEN`, `KENGOV`): the source's or the target's code starts with it.
    /// Letters and digits only; compared in upper case.
    pub actor: Option<String>,
    /// PLOVER type (upper case).
    pub plover: Option<String>,
    /// CAMEO root: two digits.
    pub cameo_root: Option<String>,
    /// QuadClass 1–4.
    pub quad_class: Option<u8>,
    /// ACLED event type, exactly (`Battles`).
    pub acled_type: Option<String>,
    /// Event status.
    pub status: Option<Status>,
    /// Only the events of this article.
    pub article_id: Option<String>,
    /// Full-text words over the evidence (as [`crate::EventQuery::text`]).
    pub text: Option<String>,
    /// Place filter.
    pub place: Option<Place>,
    /// Directed dyad: (source country, target country).
    pub dyad: Option<(String, String)>,
    /// Every coded event mention instead of the aggregated view (see
    /// [`crate::EventQuery::all_mentions`]): by default each real-world event counts once.
    pub all_mentions: bool,
}

impl Filter {
    /// Checks ranges and codes without touching a database.
    pub fn validate(&self) -> Result<(), StoreError> {
        let bad = |m: String| Err(StoreError::InvalidQuery(m));
        if let (Some(f), Some(t)) = (self.from, self.to)
            && f > t
        {
            return bad(format!("from ({f}) is after to ({t})"));
        }
        if let Some(q) = self.quad_class
            && !(1..=4).contains(&q)
        {
            return bad(format!("quad_class must be 1-4, not {q}"));
        }
        if let Some(r) = &self.cameo_root
            && (r.len() != 2 || !r.bytes().all(|b| b.is_ascii_digit()))
        {
            return bad(format!("cameo_root must be two digits, not {r:?}"));
        }
        if let Some(a) = &self.actor
            && (a.is_empty() || a.len() > 32 || !a.bytes().all(|b| b.is_ascii_alphanumeric()))
        {
            return bad(format!(
                "actor must be 1-32 letters or digits (a code prefix), not {a:?}"
            ));
        }
        for (name, c) in [
            ("country", self.country.as_deref()),
            ("dyad source", self.dyad.as_ref().map(|d| d.0.as_str())),
            ("dyad target", self.dyad.as_ref().map(|d| d.1.as_str())),
        ] {
            if let Some(c) = c
                && (c.is_empty() || c.len() > 8 || !c.bytes().all(|b| b.is_ascii_alphanumeric()))
            {
                return bad(format!("{name} must be a country code, not {c:?}"));
            }
        }
        if let Some(t) = &self.text {
            fts_query(t)?;
        }
        match self.place {
            Some(Place::BBox {
                min_lon,
                min_lat,
                max_lon,
                max_lat,
            }) => {
                let lon_ok = |v: f64| v.is_finite() && (-180.0..=180.0).contains(&v);
                let lat_ok = |v: f64| v.is_finite() && (-90.0..=90.0).contains(&v);
                if !(lon_ok(min_lon) && lon_ok(max_lon) && lat_ok(min_lat) && lat_ok(max_lat)) {
                    return bad(
                        "bbox values must be longitudes -180..180 and latitudes -90..90".into(),
                    );
                }
                if min_lat > max_lat {
                    return bad("bbox min_lat is above max_lat".into());
                }
            }
            Some(Place::Near {
                lat,
                lon,
                radius_km,
            }) => {
                if !(lat.is_finite()
                    && (-90.0..=90.0).contains(&lat)
                    && lon.is_finite()
                    && (-180.0..=180.0).contains(&lon))
                {
                    return bad("near must be lat,lon within -90..90,-180..180".into());
                }
                if !(radius_km.is_finite() && radius_km > 0.0 && radius_km <= MAX_RADIUS_KM) {
                    return bad(format!(
                        "radius_km must be more than 0 and at most {MAX_RADIUS_KM}"
                    ));
                }
            }
            None => {}
        }
        Ok(())
    }
}

/// Paging of [`crate::Store::list_events`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Paging {
    /// Page size; default [`crate::query::DEFAULT_LIMIT`], at most [`crate::query::MAX_LIMIT`].
    pub limit: Option<usize>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Order by (date, id).
    pub sort: Sort,
}

/// What a daily count is split by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DailyKey {
    /// QuadClass (`"1"`–`"4"`).
    QuadClass,
    /// PLOVER type.
    Plover,
}

/// Events of one day with one key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DailyCount {
    /// `YYYY-MM-DD`.
    pub day: String,
    /// The QuadClass (as text) or PLOVER type.
    pub key: String,
    /// Number of events.
    pub count: u64,
}

/// A directed country pair.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dyad {
    /// Source country.
    pub source: String,
    /// Target country.
    pub target: String,
    /// Events from source to target.
    pub count: u64,
    /// Mean Goldstein score of those events (−10 hostile … +10 cooperative).
    pub mean_goldstein: f64,
    /// Events in QuadClass 3 or 4 (verbal or material conflict).
    pub conflict: u64,
}

/// Which actor role a per-country count looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CountryRole {
    /// Each event counts once for each distinct country among source, target and location.
    #[default]
    Any,
    /// The source actor's country.
    Source,
    /// The target actor's country.
    Target,
    /// The location's country.
    Location,
}

/// Events at one geocoded point.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlaceCount {
    /// Place name (from one of its events).
    pub name: String,
    /// Country of the place, if known.
    pub country: Option<String>,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// Number of events.
    pub count: u64,
}

/// One day of the conflict/cooperation index.
///
/// With `g` the Goldstein score of each matching event of the day (−10 … +10):
/// `cooperation = Σ max(g, 0)`, `conflict = Σ max(−g, 0)`, and
/// `index = (cooperation − conflict) / events`, the day's mean Goldstein score: −10 when
/// every event is maximally hostile, +10 when all are maximally cooperative, 0 when they
/// balance. The sums show the volume behind the mean.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndexPoint {
    /// `YYYY-MM-DD`.
    pub day: String,
    /// Matching events that day.
    pub events: u64,
    /// Σ of positive Goldstein scores.
    pub cooperation: f64,
    /// Σ of the magnitudes of negative Goldstein scores.
    pub conflict: f64,
    /// (cooperation − conflict) / events.
    pub index: f64,
}

/// SQL dialect of a backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// SQLite (`?N` placeholders, FTS5 table).
    Sqlite,
    /// PostgreSQL (`$N` placeholders, tsvector column).
    Postgres,
}

/// A bound parameter.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    /// Text.
    Text(String),
    /// Integer.
    Int(i64),
    /// Real number.
    Real(f64),
    /// SQL NULL.
    Null,
    /// Bytes (SQLite `BLOB`, PostgreSQL `BYTEA`).
    Blob(Vec<u8>),
}

/// A value read back from a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// SQL NULL.
    Null,
    /// Integer.
    Int(i64),
    /// Real number.
    Real(f64),
    /// Text.
    Text(String),
    /// Bytes (SQLite `BLOB`, PostgreSQL `BYTEA`).
    Blob(Vec<u8>),
}

impl Cell {
    /// The text of a text cell (`None` for NULL and non-text).
    pub(crate) fn as_text(&self) -> Option<String> {
        match self {
            Cell::Text(s) => Some(s.clone()),
            _ => None,
        }
    }
    /// The bytes of a blob cell.
    pub(crate) fn as_blob(&self) -> Option<&[u8]> {
        match self {
            Cell::Blob(b) => Some(b),
            _ => None,
        }
    }
    /// The value of an integer cell.
    pub(crate) fn as_int(&self) -> Option<i64> {
        match self {
            Cell::Int(i) => Some(*i),
            _ => None,
        }
    }
    /// The value of a number cell.
    pub(crate) fn as_real(&self) -> Option<f64> {
        match self {
            Cell::Real(r) => Some(*r),
            Cell::Int(i) => Some(*i as f64),
            _ => None,
        }
    }
    fn text(&self) -> Result<String, StoreError> {
        match self {
            Cell::Text(s) => Ok(s.clone()),
            Cell::Int(i) => Ok(i.to_string()),
            other => Err(StoreError::Corrupt(format!("expected text, got {other:?}"))),
        }
    }
    fn count(&self) -> Result<u64, StoreError> {
        match self {
            Cell::Int(i) => Ok(u64::try_from(*i).unwrap_or(0)),
            Cell::Real(r) => Ok(if *r > 0.0 { *r as u64 } else { 0 }),
            Cell::Null => Ok(0),
            other => Err(StoreError::Corrupt(format!(
                "expected a count, got {other:?}"
            ))),
        }
    }
    fn real(&self) -> Result<f64, StoreError> {
        match self {
            Cell::Real(r) => Ok(*r),
            Cell::Int(i) => Ok(*i as f64),
            Cell::Null => Ok(0.0),
            other => Err(StoreError::Corrupt(format!(
                "expected a number, got {other:?}"
            ))),
        }
    }
}

/// A read-only statement and its parameters, built only by this module.
#[derive(Debug, Clone)]
pub struct Select {
    sql: String,
    args: Vec<Arg>,
}

impl Select {
    /// The SQL text (placeholders only; no user text).
    pub fn sql(&self) -> &str {
        &self.sql
    }
    /// The bound parameters, in placeholder order.
    pub fn args(&self) -> &[Arg] {
        &self.args
    }
}

/// Builds SQL with numbered placeholders for one dialect.
struct Builder {
    dialect: Dialect,
    args: Vec<Arg>,
}

impl Builder {
    fn new(dialect: Dialect) -> Builder {
        Builder {
            dialect,
            args: Vec::new(),
        }
    }

    fn p(&mut self, a: Arg) -> String {
        self.args.push(a);
        match self.dialect {
            Dialect::Sqlite => format!("?{}", self.args.len()),
            Dialect::Postgres => format!("${}", self.args.len()),
        }
    }

    fn text(&mut self, s: impl Into<String>) -> String {
        self.p(Arg::Text(s.into()))
    }

    fn real(&mut self, v: f64) -> String {
        self.p(Arg::Real(v))
    }

    /// The conditions of `f` (ANDed), or `1=1`.
    fn filter(&mut self, f: &Filter) -> Result<String, StoreError> {
        f.validate()?;
        let mut c: Vec<String> = Vec::new();
        if let Some(d) = f.from {
            let p = self.text(date_str(d));
            c.push(format!("date IS NOT NULL AND date_key >= {p}"));
        }
        if let Some(d) = f.to {
            let p = self.text(date_str(d));
            c.push(format!("date IS NOT NULL AND date_key <= {p}"));
        }
        if let Some(cc) = &f.country {
            let cc = cc.to_ascii_uppercase();
            let (a, b, d) = (self.text(&cc), self.text(&cc), self.text(&cc));
            c.push(format!(
                "(source_country = {a} OR target_country = {b} OR location_country = {d})"
            ));
        }
        if let Some(a) = &f.actor {
            let lo = a.to_ascii_uppercase();
            let hi = prefix_upper_bound(&lo);
            let (l1, h1, l2, h2) = (
                self.text(&lo),
                self.text(&hi),
                self.text(&lo),
                self.text(&hi),
            );
            c.push(format!(
                "((source_code >= {l1} AND source_code < {h1}) OR \
                 (target_code >= {l2} AND target_code < {h2}))"
            ));
        }
        if let Some(p) = &f.plover {
            let p = self.text(p.to_ascii_uppercase());
            c.push(format!("plover = {p}"));
        }
        if let Some(r) = &f.cameo_root {
            let p = self.text(r);
            c.push(format!("cameo_root = {p}"));
        }
        if let Some(q) = f.quad_class {
            let p = self.p(Arg::Int(i64::from(q)));
            c.push(format!("quad_class = {p}"));
        }
        if let Some(t) = &f.acled_type {
            let p = self.text(t);
            c.push(format!("acled_type = {p}"));
        }
        if let Some(s) = f.status {
            let p = self.text(s.as_str());
            c.push(format!("status = {p}"));
        }
        if let Some(a) = &f.article_id {
            let p = self.text(a);
            c.push(format!("article_id = {p}"));
        }
        if let Some((s, t)) = &f.dyad {
            let (ps, pt) = (
                self.text(s.to_ascii_uppercase()),
                self.text(t.to_ascii_uppercase()),
            );
            c.push(format!("source_country = {ps} AND target_country = {pt}"));
        }
        let aggregated = !f.all_mentions && f.article_id.is_none();
        if aggregated {
            c.push("agg_id = id".into());
        }
        if let Some(t) = &f.text {
            match self.dialect {
                Dialect::Sqlite if aggregated => {
                    let p = self.text(fts_query(t)?);
                    c.push(format!(
                        "id IN (SELECT agg_id FROM events WHERE id IN \
                            (SELECT event_id FROM events_fts WHERE events_fts MATCH {p}))"
                    ));
                }
                Dialect::Postgres if aggregated => {
                    let p = self.text(tsquery(t)?);
                    c.push(format!(
                        "id IN (SELECT agg_id FROM events WHERE search @@ ({p}::text)::tsquery)"
                    ));
                }
                Dialect::Sqlite => {
                    let p = self.text(fts_query(t)?);
                    c.push(format!(
                        "id IN (SELECT event_id FROM events_fts WHERE events_fts MATCH {p})"
                    ));
                }
                Dialect::Postgres => {
                    let p = self.text(tsquery(t)?);
                    c.push(format!("search @@ ({p}::text)::tsquery"));
                }
            }
        }
        match f.place {
            Some(Place::BBox {
                min_lon,
                min_lat,
                max_lon,
                max_lat,
            }) => {
                let (a, b) = (self.real(min_lat), self.real(max_lat));
                c.push(format!("lat >= {a} AND lat <= {b}"));
                let (x, y) = (self.real(min_lon), self.real(max_lon));
                if min_lon <= max_lon {
                    c.push(format!("lon >= {x} AND lon <= {y}"));
                } else {
                    c.push(format!("(lon >= {x} OR lon <= {y})"));
                }
            }
            Some(Place::Near {
                lat,
                lon,
                radius_km,
            }) => {
                let dlat = radius_km / KM_PER_DEGREE;
                // Longitude degrees shrink with cos(latitude); keep a floor near the poles.
                let coslat = lat.to_radians().cos().max(0.01);
                let dlon = (dlat / coslat).min(180.0);
                let (a, b) = (self.real(lat - dlat), self.real(lat + dlat));
                c.push(format!("lat >= {a} AND lat <= {b}"));
                if dlon < 180.0 {
                    let (x, y) = (self.real(lon - dlon), self.real(lon + dlon));
                    c.push(format!("lon >= {x} AND lon <= {y}"));
                }
                let (plon, pk, plat, r2) = (
                    self.real(lon),
                    self.real(coslat),
                    self.real(lat),
                    self.real(dlat * dlat),
                );
                c.push(format!(
                    "((lon - {plon}) * {pk}) * ((lon - {plon}) * {pk}) + \
                     (lat - {plat}) * (lat - {plat}) <= {r2}"
                ));
            }
            None => {}
        }
        if c.is_empty() {
            Ok("1=1".into())
        } else {
            Ok(c.join(" AND "))
        }
    }

    fn finish(self, sql: String) -> Select {
        Select {
            sql,
            args: self.args,
        }
    }
}

/// The smallest string greater than every string starting with `prefix` (ASCII letters
/// and digits only, so bumping the last byte stays ASCII).
fn prefix_upper_bound(prefix: &str) -> String {
    let mut b = prefix.as_bytes().to_vec();
    if let Some(last) = b.last_mut() {
        *last += 1;
    }
    String::from_utf8(b).unwrap_or_else(|_| prefix.to_string())
}

fn limit_of(limit: Option<usize>, default: usize, max: usize) -> Result<usize, StoreError> {
    match limit {
        None => Ok(default),
        Some(0) => Err(StoreError::InvalidQuery("limit must be at least 1".into())),
        Some(n) => Ok(n.min(max)),
    }
}

fn to_i64(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Runs read-only statements for the aggregate queries (what [`crate::Backend::select`]
/// provides).
pub(crate) trait Run {
    fn dialect(&self) -> Dialect;
    fn rows(&self, q: &Select) -> Result<Vec<Vec<Cell>>, StoreError>;
}

/// A filtered, keyset-paged listing.
pub(crate) fn list_events(r: &dyn Run, f: &Filter, p: &Paging) -> Result<Page<Event>, StoreError> {
    let limit = limit_of(
        p.limit,
        crate::query::DEFAULT_LIMIT,
        crate::query::MAX_LIMIT,
    )?;
    let mut b = Builder::new(r.dialect());
    let mut w = b.filter(f)?;
    let (cmp, dir) = match p.sort {
        Sort::Newest => ("<", "DESC"),
        Sort::Oldest => (">", "ASC"),
    };
    if let Some(c) = &p.cursor {
        let c = Cursor::parse(c)?;
        let (d, i) = (b.text(c.date_key), b.text(c.id));
        w = format!("{w} AND (date_key, id) {cmp} ({d}, {i})");
    }
    let lim = b.p(Arg::Int(to_i64(limit + 1)));
    let q = b.finish(format!(
        "SELECT date_key, id, json FROM events WHERE {w} \
         ORDER BY date_key {dir}, id {dir} LIMIT {lim}"
    ));
    let rows = r.rows(&q)?;
    let mut keyed = Vec::with_capacity(rows.len());
    for row in rows {
        let [dk, id, json] = row3(row)?;
        keyed.push((dk.text()?, id.text()?, json.text()?));
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

fn row3(row: Vec<Cell>) -> Result<[Cell; 3], StoreError> {
    <[Cell; 3]>::try_from(row).map_err(|r| StoreError::Corrupt(format!("{} columns", r.len())))
}

fn cols<const N: usize>(row: Vec<Cell>) -> Result<[Cell; N], StoreError> {
    <[Cell; N]>::try_from(row).map_err(|r| StoreError::Corrupt(format!("{} columns", r.len())))
}

/// Dated events per day, split by `by`, in day order then key order.
pub(crate) fn daily_counts(
    r: &dyn Run,
    f: &Filter,
    by: DailyKey,
) -> Result<Vec<DailyCount>, StoreError> {
    let mut b = Builder::new(r.dialect());
    let w = b.filter(f)?;
    let key = match by {
        DailyKey::QuadClass => "quad_class",
        DailyKey::Plover => "plover",
    };
    let q = b.finish(format!(
        "SELECT date_key, {key}, COUNT(*) FROM events WHERE {w} AND date_key <> '' \
         GROUP BY date_key, {key} ORDER BY date_key, {key}"
    ));
    r.rows(&q)?
        .into_iter()
        .map(|row| {
            let [d, k, n] = cols::<3>(row)?;
            Ok(DailyCount {
                day: d.text()?,
                key: k.text()?,
                count: n.count()?,
            })
        })
        .collect()
}

/// The most frequent directed country pairs.
pub(crate) fn top_dyads(
    r: &dyn Run,
    f: &Filter,
    limit: Option<usize>,
) -> Result<Vec<Dyad>, StoreError> {
    let limit = limit_of(limit, DEFAULT_TOP, MAX_TOP)?;
    let mut b = Builder::new(r.dialect());
    let w = b.filter(f)?;
    let lim = b.p(Arg::Int(to_i64(limit)));
    let q = b.finish(format!(
        "SELECT source_country, target_country, COUNT(*), AVG(goldstein), \
            SUM(CASE WHEN quad_class >= 3 THEN 1 ELSE 0 END) \
         FROM events WHERE {w} AND source_country IS NOT NULL AND target_country IS NOT NULL \
         GROUP BY source_country, target_country \
         ORDER BY COUNT(*) DESC, source_country, target_country LIMIT {lim}"
    ));
    r.rows(&q)?
        .into_iter()
        .map(|row| {
            let [s, t, n, g, c] = cols::<5>(row)?;
            Ok(Dyad {
                source: s.text()?,
                target: t.text()?,
                count: n.count()?,
                mean_goldstein: round3(g.real()?),
                conflict: c.count()?,
            })
        })
        .collect()
}

fn round3(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

/// Events per country, most first.
pub(crate) fn country_counts(
    r: &dyn Run,
    f: &Filter,
    role: CountryRole,
) -> Result<Vec<Count>, StoreError> {
    let mut b = Builder::new(r.dialect());
    let w = b.filter(f)?;
    let sql = match role {
        CountryRole::Any => format!(
            "WITH f AS (SELECT source_country AS s, target_country AS t, location_country AS l \
                        FROM events WHERE {w}) \
             SELECT c, CAST(SUM(n) AS BIGINT) FROM ( \
                SELECT s AS c, COUNT(*) AS n FROM f WHERE s IS NOT NULL GROUP BY s \
                UNION ALL SELECT t, COUNT(*) FROM f \
                    WHERE t IS NOT NULL AND t IS DISTINCT FROM s GROUP BY t \
                UNION ALL SELECT l, COUNT(*) FROM f WHERE l IS NOT NULL \
                    AND l IS DISTINCT FROM s AND l IS DISTINCT FROM t GROUP BY l \
             ) u GROUP BY c ORDER BY 2 DESC, c"
        ),
        other => {
            let col = match other {
                CountryRole::Source => "source_country",
                CountryRole::Target => "target_country",
                _ => "location_country",
            };
            format!(
                "SELECT {col}, COUNT(*) FROM events WHERE {w} AND {col} IS NOT NULL \
                 GROUP BY {col} ORDER BY 2 DESC, 1"
            )
        }
    };
    let q = b.finish(sql);
    r.rows(&q)?
        .into_iter()
        .map(|row| {
            let [k, n] = cols::<2>(row)?;
            Ok(Count {
                key: k.text()?,
                count: n.count()?,
            })
        })
        .collect()
}

/// Events per geocoded point, most first (ties by latitude, longitude), with the place's
/// name and country taken from the first event (by id) stored at that point.
pub(crate) fn place_counts(
    r: &dyn Run,
    f: &Filter,
    limit: Option<usize>,
) -> Result<Vec<PlaceCount>, StoreError> {
    let limit = limit_of(limit, DEFAULT_TOP, MAX_TOP)?;
    let mut b = Builder::new(r.dialect());
    let w = b.filter(f)?;
    let lim = b.p(Arg::Int(to_i64(limit)));
    let q = b.finish(format!(
        "SELECT lat, lon, COUNT(*) FROM events \
         WHERE {w} AND lat IS NOT NULL AND lon IS NOT NULL \
         GROUP BY lat, lon ORDER BY 3 DESC, 1, 2 LIMIT {lim}"
    ));
    let mut out = Vec::new();
    for row in r.rows(&q)? {
        let [lat, lon, n] = cols::<3>(row)?;
        let (lat, lon) = (lat.real()?, lon.real()?);
        let (name, country) = place_name(r, lat, lon)?.unwrap_or_default();
        out.push(PlaceCount {
            name,
            country,
            lat,
            lon,
            count: n.count()?,
        });
    }
    Ok(out)
}

/// The daily conflict/cooperation index of the matching events (see [`IndexPoint`]).
pub(crate) fn daily_index(r: &dyn Run, f: &Filter) -> Result<Vec<IndexPoint>, StoreError> {
    let mut b = Builder::new(r.dialect());
    let w = b.filter(f)?;
    let q = b.finish(format!(
        "SELECT date_key, COUNT(*), \
            SUM(CASE WHEN goldstein > 0 THEN goldstein ELSE 0 END), \
            SUM(CASE WHEN goldstein < 0 THEN -goldstein ELSE 0 END) \
         FROM events WHERE {w} AND date_key <> '' GROUP BY date_key ORDER BY date_key"
    ));
    r.rows(&q)?
        .into_iter()
        .map(|row| {
            let [d, n, coop, conf] = cols::<4>(row)?;
            let events = n.count()?;
            let (coop, conf) = (coop.real()?, conf.real()?);
            let index = if events == 0 {
                0.0
            } else {
                (coop - conf) / events as f64
            };
            Ok(IndexPoint {
                day: d.text()?,
                events,
                cooperation: round3(coop),
                conflict: round3(conf),
                index: round3(index),
            })
        })
        .collect()
}

/// The filterable columns of one event, as read by [`crate::Store::event_facts`] (for
/// callers that keep their own in-memory copy for fast aggregates).
#[derive(Debug, Clone, PartialEq)]
pub struct Fact {
    /// Event id.
    pub id: String,
    /// `YYYY-MM-DD`, or empty when undated.
    pub date_key: String,
    /// QuadClass.
    pub quad_class: u8,
    /// PLOVER type.
    pub plover: String,
    /// CAMEO root (two digits).
    pub cameo_root: String,
    /// Status name.
    pub status: String,
    /// ACLED event type.
    pub acled_type: Option<String>,
    /// Source actor code.
    pub source_code: String,
    /// Source country.
    pub source_country: Option<String>,
    /// Target actor code.
    pub target_code: Option<String>,
    /// Target country.
    pub target_country: Option<String>,
    /// Location country.
    pub location_country: Option<String>,
    /// Goldstein score.
    pub goldstein: f64,
    /// Latitude and longitude of the location.
    pub lat_lon: Option<(f64, f64)>,
}

/// One page of [`Fact`]s in id order, after `after` (exclusive).
pub(crate) fn event_facts(
    r: &dyn Run,
    after: Option<&str>,
    limit: usize,
) -> Result<Vec<Fact>, StoreError> {
    let mut b = Builder::new(r.dialect());
    // The aggregated view: one row per real-world event.
    let w = match after {
        Some(a) => format!("agg_id = id AND id > {}", b.text(a)),
        None => "agg_id = id".into(),
    };
    let lim = b.p(Arg::Int(to_i64(limit.max(1))));
    let q = b.finish(format!(
        "SELECT id, date_key, quad_class, plover, cameo_root, status, acled_type, source_code, \
            source_country, target_code, target_country, location_country, goldstein, lat, lon \
         FROM events WHERE {w} ORDER BY id LIMIT {lim}"
    ));
    let opt = |c: &Cell| -> Result<Option<String>, StoreError> {
        match c {
            Cell::Null => Ok(None),
            c => c.text().map(Some),
        }
    };
    r.rows(&q)?
        .into_iter()
        .map(|row| {
            let c = cols::<15>(row)?;
            let lat_lon = match (&c[13], &c[14]) {
                (Cell::Null, _) | (_, Cell::Null) => None,
                (a, b) => Some((a.real()?, b.real()?)),
            };
            Ok(Fact {
                id: c[0].text()?,
                date_key: c[1].text()?,
                quad_class: u8::try_from(c[2].count()?).unwrap_or(0),
                plover: c[3].text()?,
                cameo_root: c[4].text()?,
                status: c[5].text()?,
                acled_type: opt(&c[6])?,
                source_code: c[7].text()?,
                source_country: opt(&c[8])?,
                target_code: opt(&c[9])?,
                target_country: opt(&c[10])?,
                location_country: opt(&c[11])?,
                goldstein: c[12].real()?,
                lat_lon,
            })
        })
        .collect()
}

/// The events with these ids, in the order given (unknown ids are left out).
pub(crate) fn events_by_ids(r: &dyn Run, ids: &[String]) -> Result<Vec<Event>, StoreError> {
    let mut found = std::collections::HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let mut b = Builder::new(r.dialect());
        let ph: Vec<String> = chunk.iter().map(|i| b.text(i)).collect();
        let q = b.finish(format!(
            "SELECT id, json FROM events WHERE id IN ({})",
            ph.join(", ")
        ));
        for row in r.rows(&q)? {
            let [id, json] = cols::<2>(row)?;
            found.insert(id.text()?, json.text()?);
        }
    }
    ids.iter()
        .filter_map(|i| found.remove(i))
        .map(|j| serde_json::from_str(&j).map_err(StoreError::from))
        .collect()
}

/// The ids of the events whose evidence matches the full-text words of `text` (as the
/// `text` filter), in no particular order.
pub(crate) fn text_matches(r: &dyn Run, text: &str) -> Result<Vec<String>, StoreError> {
    let mut b = Builder::new(r.dialect());
    let sql = match r.dialect() {
        Dialect::Sqlite => {
            let p = b.text(fts_query(text)?);
            format!(
                "SELECT DISTINCT agg_id FROM events WHERE id IN \
                    (SELECT event_id FROM events_fts WHERE events_fts MATCH {p})"
            )
        }
        Dialect::Postgres => {
            let p = b.text(tsquery(text)?);
            format!("SELECT DISTINCT agg_id FROM events WHERE search @@ ({p}::text)::tsquery")
        }
    };
    let q = b.finish(sql);
    r.rows(&q)?
        .into_iter()
        .map(|row| {
            let [id] = cols::<1>(row)?;
            id.text()
        })
        .collect()
}

/// Fills [`Event::aggregate`] of each event from the aggregates table (events stored before
/// aggregation existed, or unknown to the table, are left as they are).
pub(crate) fn attach_aggregates(r: &dyn Run, events: &mut [Event]) -> Result<(), StoreError> {
    let mut found = std::collections::HashMap::with_capacity(events.len());
    let ids: Vec<&str> = events.iter().map(|e| e.id.as_str()).collect();
    for chunk in ids.chunks(500) {
        let mut b = Builder::new(r.dialect());
        let ph: Vec<String> = chunk.iter().map(|i| b.text(*i)).collect();
        let q = b.finish(format!(
            "SELECT e.id, a.id, a.num_mentions, a.num_articles, a.num_sources \
             FROM events e JOIN aggregates a ON a.id = e.agg_id WHERE e.id IN ({})",
            ph.join(", ")
        ));
        for row in r.rows(&q)? {
            let [id, agg, m, n, s] = cols::<5>(row)?;
            found.insert(
                id.text()?,
                AggregateRef {
                    id: agg.text()?,
                    num_mentions: m.count()?,
                    num_articles: n.count()?,
                    num_sources: s.count()?,
                },
            );
        }
    }
    for e in events {
        if let Some(a) = found.remove(&e.id) {
            e.aggregate = Some(a);
        }
    }
    Ok(())
}

/// One report of an aggregated event: a coded sentence in one copy of an article.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mention {
    /// The coded event (the sentence's own event id).
    pub event_id: String,
    /// The article it was coded from.
    pub article_id: String,
    /// 0-based sentence index in the article.
    pub sentence: u64,
    /// Coder confidence of this mention.
    pub confidence: f64,
    /// The input record of this copy (path, `path:LINE`, URL …).
    pub source: String,
    /// The copy's URL, when known.
    pub url: Option<String>,
    /// The copy's site name, else its site key (the URL's host, else the input).
    pub site: Option<String>,
    /// The article's title.
    pub title: Option<String>,
    /// The article's publication date.
    pub date: Option<String>,
}

/// Every mention of aggregated event `agg_id` (every member event in every copy of its
/// article), oldest article first, at most `limit`.
pub(crate) fn event_mentions(
    r: &dyn Run,
    agg_id: &str,
    limit: usize,
) -> Result<Vec<Mention>, StoreError> {
    let mut b = Builder::new(r.dialect());
    let p = b.text(agg_id);
    let lim = b.p(Arg::Int(to_i64(limit.max(1))));
    let q = b.finish(format!(
        "SELECT e.id, e.article_id, e.sentence, e.confidence, m.source, m.url, \
            COALESCE(m.site, m.site_key), a.title, a.date \
         FROM events e JOIN mentions m ON m.article_id = e.article_id \
            JOIN articles a ON a.id = e.article_id \
         WHERE e.agg_id = {p} ORDER BY a.date, m.seen_at, e.article_id, m.source, e.sentence \
         LIMIT {lim}"
    ));
    let opt = |c: &Cell| -> Result<Option<String>, StoreError> {
        match c {
            Cell::Null => Ok(None),
            c => c.text().map(Some),
        }
    };
    r.rows(&q)?
        .into_iter()
        .map(|row| {
            let c = cols::<9>(row)?;
            Ok(Mention {
                event_id: c[0].text()?,
                article_id: c[1].text()?,
                sentence: c[2].count()?,
                confidence: c[3].real()?,
                source: c[4].text()?,
                url: opt(&c[5])?,
                site: opt(&c[6])?,
                title: opt(&c[7])?,
                date: opt(&c[8])?,
            })
        })
        .collect()
}

/// One stored copy (input record) of an article, with its story cluster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClusterRow {
    /// The input record (path, `path:LINE`, URL …).
    pub source: String,
    /// The article (content fingerprint).
    pub article_id: String,
    /// The story cluster: the id of its first article.
    pub cluster_id: String,
    /// The copy's URL, when known.
    pub url: Option<String>,
    /// The copy's site key.
    pub site: Option<String>,
    /// The article's title.
    pub title: Option<String>,
}

/// Every stored copy with its cluster (`cluster` None), or those of one cluster, in
/// cluster and source order.
pub(crate) fn cluster_rows(
    r: &dyn Run,
    cluster: Option<&str>,
) -> Result<Vec<ClusterRow>, StoreError> {
    let mut b = Builder::new(r.dialect());
    let w = match cluster {
        Some(c) => format!("WHERE a.cluster_id = {}", b.text(c)),
        None => String::new(),
    };
    let q = b.finish(format!(
        "SELECT m.source, m.article_id, COALESCE(a.cluster_id, a.id), m.url, \
            COALESCE(m.site_key, m.site), a.title \
         FROM mentions m JOIN articles a ON a.id = m.article_id {w} \
         ORDER BY 3, m.source"
    ));
    let opt = |c: &Cell| -> Result<Option<String>, StoreError> {
        match c {
            Cell::Null => Ok(None),
            c => c.text().map(Some),
        }
    };
    r.rows(&q)?
        .into_iter()
        .map(|row| {
            let c = cols::<6>(row)?;
            Ok(ClusterRow {
                source: c[0].text()?,
                article_id: c[1].text()?,
                cluster_id: c[2].text()?,
                url: opt(&c[3])?,
                site: opt(&c[4])?,
                title: opt(&c[5])?,
            })
        })
        .collect()
}

/// The story cluster id of an article.
pub(crate) fn cluster_of(r: &dyn Run, article_id: &str) -> Result<Option<String>, StoreError> {
    let mut b = Builder::new(r.dialect());
    let p = b.text(article_id);
    let q = b.finish(format!(
        "SELECT COALESCE(cluster_id, id) FROM articles WHERE id = {p}"
    ));
    match r.rows(&q)?.into_iter().next() {
        Some(row) => {
            let [c] = cols::<1>(row)?;
            Ok(Some(c.text()?))
        }
        None => Ok(None),
    }
}

/// Number of aggregated events (real-world events).
pub(crate) fn aggregated_event_count(r: &dyn Run) -> Result<u64, StoreError> {
    let q = Builder::new(r.dialect()).finish("SELECT COUNT(*) FROM aggregates".into());
    let rows = r.rows(&q)?;
    let [n] = cols::<1>(rows.into_iter().next().unwrap_or_default())?;
    n.count()
}

/// Number of stored events.
pub(crate) fn event_count(r: &dyn Run) -> Result<u64, StoreError> {
    let q = Builder::new(r.dialect()).finish("SELECT COUNT(*) FROM events".into());
    let rows = r.rows(&q)?;
    let [n] = cols::<1>(rows.into_iter().next().unwrap_or_default())?;
    n.count()
}

/// The name and country of the place at exactly these coordinates (from one of its events).
pub(crate) fn place_name(
    r: &dyn Run,
    lat: f64,
    lon: f64,
) -> Result<Option<(String, Option<String>)>, StoreError> {
    let mut b = Builder::new(r.dialect());
    let (a, o) = (b.real(lat), b.real(lon));
    let q = b.finish(format!(
        "SELECT json FROM events WHERE lat = {a} AND lon = {o} ORDER BY id LIMIT 1"
    ));
    let Some(row) = r.rows(&q)?.into_iter().next() else {
        return Ok(None);
    };
    let [json] = cols::<1>(row)?;
    let e: Event = serde_json::from_str(&json.text()?)?;
    Ok(e.location.map(|l| (l.name, l.country)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_bounds_cover_exactly_the_prefix() {
        assert_eq!(prefix_upper_bound("KEN"), "KEO");
        assert_eq!(prefix_upper_bound("A9"), "A:");
        let (lo, hi) = ("KEN", prefix_upper_bound("KEN"));
        for (code, inside) in [
            ("KEN", true),
            ("KENGOV", true),
            ("KENZZZ", true),
            ("KEO", false),
            ("KE", false),
            ("UGA", false),
        ] {
            assert_eq!(code >= lo && code < hi.as_str(), inside, "{code}");
        }
    }

    #[test]
    fn filters_bind_every_value_and_number_placeholders() {
        let f = Filter {
            country: Some("ken".into()),
            actor: Some("kengov".into()),
            acled_type: Some("Battles'; DROP TABLE events; --".into()),
            place: Some(Place::Near {
                lat: 1.0,
                lon: 36.0,
                radius_km: 50.0,
            }),
            text: Some("shelled".into()),
            ..Default::default()
        };
        let mut b = Builder::new(Dialect::Postgres);
        let w = b.filter(&f).unwrap();
        assert!(!w.contains("DROP"), "{w}");
        assert!(!w.contains("KEN"), "{w}");
        assert!(w.contains("$1") && w.contains(&format!("${}", b.args.len())));
        assert!(b.args.contains(&Arg::Text("KENGOV".into())));
        let mut s = Builder::new(Dialect::Sqlite);
        let w = s.filter(&f).unwrap();
        assert!(w.contains("events_fts MATCH ?"), "{w}");
    }

    #[test]
    fn validation_rejects_bad_values() {
        let cases = [
            Filter {
                actor: Some("KEN GOV".into()),
                ..Default::default()
            },
            Filter {
                place: Some(Place::BBox {
                    min_lon: -10.0,
                    min_lat: 50.0,
                    max_lon: 10.0,
                    max_lat: 40.0,
                }),
                ..Default::default()
            },
            Filter {
                place: Some(Place::Near {
                    lat: 0.0,
                    lon: 0.0,
                    radius_km: 0.0,
                }),
                ..Default::default()
            },
            Filter {
                place: Some(Place::Near {
                    lat: 95.0,
                    lon: 0.0,
                    radius_km: 5.0,
                }),
                ..Default::default()
            },
            Filter {
                dyad: Some(("KEN".into(), "U G".into())),
                ..Default::default()
            },
            Filter {
                text: Some("?!".into()),
                ..Default::default()
            },
        ];
        for f in cases {
            assert!(
                matches!(f.validate(), Err(StoreError::InvalidQuery(_))),
                "{f:?}"
            );
        }
        assert!(Filter::default().validate().is_ok());
    }
}
