//! An in-memory copy of every event's filterable columns, for fast aggregates.
//!
//! Aggregates over a million events cost SQLite hundreds of milliseconds; the same work over
//! a compact in-memory table sorted by day takes a few. The cube holds, per event, its day,
//! QuadClass, PLOVER type, CAMEO root, status, ACLED type, actor codes and countries (as small
//! interned numbers), Goldstein score and coordinates: about 64 bytes an event.
//!
//! It answers the aggregate routes for every filter except full-text (`q`) and `article_id`,
//! which go to the database; results are the same as the store's SQL (a test compares them).
//! It is rebuilt in the background when the number of stored events changes (checked every
//! [`REFRESH`]), so new events show up in aggregates within about that time plus the rebuild.
//! Lists and single events always come from the database.

use std::collections::HashMap;

use chrono::{Days, NaiveDate};
use outpost_store::{
    Count, CountryRole, DailyCount, DailyKey, Dyad, Filter, IndexPoint, Place, PlaceCount, Store,
    StoreError,
    aggregate::{KM_PER_DEGREE, MAX_TOP},
};

/// How often the server checks whether the cube is stale.
pub const REFRESH: std::time::Duration = std::time::Duration::from_secs(20);
/// Rows read per database round trip while building (each costs a few hundred bytes while
/// it is read: a small page keeps the build's peak memory low).
const PAGE: usize = 10_000;
/// Marks "no value" in the interned columns.
const NONE: u32 = u32::MAX;
/// Day number of undated events (sorted first, as the store's empty date key).
const UNDATED: u32 = 0;

/// One event's filter columns in 32 bytes (scans are memory-bound: smaller rows, faster
/// scans). Strings are interned; `point` indexes the distinct coordinates. The event's rank
/// (its position in id order) and Goldstein score live in parallel vectors.
#[derive(Debug, Clone, Copy)]
struct Row {
    day: u32,
    point: u32,
    src_code: u32,
    tgt_code: u32,
    acled: u16,
    src_c: u16,
    tgt_c: u16,
    loc_c: u16,
    plover: u16,
    quad: u8,
    cameo_root: u8,
    status: u8,
}

/// "No value" in the 16-bit interned columns.
const NONE16: u16 = u16::MAX;

fn narrow(i: u32) -> u16 {
    if i == NONE {
        NONE16
    } else {
        u16::try_from(i).unwrap_or(NONE16 - 1)
    }
}

/// A distinct geocoded point and the first event (by id) there, which names the place.
#[derive(Debug, Clone, Copy)]
struct Point {
    lat: f64,
    lon: f64,
    first: u32,
}

/// A place of [`Cube::place_counts`] whose name must be read from the database.
#[derive(Debug, Clone)]
pub(crate) struct Unnamed {
    /// Its index in the answer.
    pub(crate) index: usize,
    /// Its point (for [`Cube::name_place`]).
    pub(crate) point: u32,
    /// The id of the first event (by id) there, whose location names the place.
    pub(crate) event: String,
}

/// Interned strings.
#[derive(Debug, Default)]
struct Names {
    list: Vec<String>,
    index: HashMap<String, u32>,
}

impl Names {
    fn id(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.index.get(s) {
            return i;
        }
        let i = u32::try_from(self.list.len()).unwrap_or(NONE - 1);
        self.list.push(s.to_string());
        self.index.insert(s.to_string(), i);
        i
    }
    fn opt(&mut self, s: Option<&str>) -> u32 {
        s.map_or(NONE, |s| self.id(s))
    }
    fn len(&self) -> usize {
        self.list.len()
    }
    fn get(&self, s: &str) -> Option<u32> {
        self.index.get(s).copied()
    }
    fn name(&self, i: u32) -> &str {
        self.list.get(i as usize).map_or("", String::as_str)
    }
}

/// Event ids in one text buffer with their end offsets: no allocation per id (a million
/// boxed ids cost about 48 bytes each; here it is their length plus 4 bytes).
#[derive(Debug, Default)]
struct Ids {
    text: String,
    /// End of id `i` in `text` (its start is the end of id `i - 1`).
    ends: Vec<u32>,
}

impl Ids {
    fn push(&mut self, id: &str) -> Result<(), StoreError> {
        self.text.push_str(id);
        let end = u32::try_from(self.text.len()).map_err(|_| {
            StoreError::InvalidQuery("too many event ids for the in-memory table".into())
        })?;
        self.ends.push(end);
        Ok(())
    }
    fn len(&self) -> usize {
        self.ends.len()
    }
    fn get(&self, i: usize) -> &str {
        let end = self.ends.get(i).map_or(0, |&e| e as usize);
        let start = match i.checked_sub(1) {
            Some(p) => self.ends.get(p).map_or(0, |&e| e as usize),
            None => 0,
        };
        self.text.get(start..end).unwrap_or("")
    }
    /// The index of `id` (ids are pushed in sorted order).
    fn find(&self, id: &str) -> Option<usize> {
        let (mut lo, mut hi) = (0, self.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            match self.get(mid).cmp(id) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some(mid),
            }
        }
        None
    }
    fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.ends.shrink_to_fit();
    }
}

/// The in-memory event table.
#[derive(Debug)]
pub(crate) struct Cube {
    rows: Vec<Row>,
    /// Rank (position in id order) of each row.
    ranks: Vec<u32>,
    /// Goldstein score of each row.
    gs: Vec<f64>,
    /// Row index of each rank.
    row_of_rank: Vec<u32>,
    countries: Names,
    codes: Names,
    plovers: Names,
    acled: Names,
    statuses: Names,
    /// Event ids in id order (index = rank).
    ids: Ids,
    /// Distinct points.
    points: Vec<Point>,
    /// Names of the points already looked up in the database (point → name, country):
    /// filled by the places route, so a popular place's name is read once per cube.
    place_names: std::sync::Mutex<HashMap<u32, (String, Option<String>)>>,
    /// Rows matching recent full-text searches (by their words), for the cube's life.
    text_rows: crate::cache::Cache<Vec<u32>>,
    /// Full-text searches being answered now: later requests for the same words wait for
    /// the first instead of running the same search again (a common word's matches take a
    /// while to collect, and many analysts may ask for it at once).
    text_pending: std::sync::Mutex<HashMap<String, TextSearch>>,
    /// Number of events in the database when built.
    pub(crate) events: u64,
}

/// A full-text search shared by the requests that ask for it at the same time.
pub(crate) type TextSearch = std::sync::Arc<tokio::sync::OnceCell<std::sync::Arc<Vec<u32>>>>;

/// How long a full-text search's rows are kept (they stay right for the cube's life; this
/// only lets rarely repeated searches go).
const TEXT_ROWS_TTL: std::time::Duration = std::time::Duration::from_secs(600);
/// Most full-text searches whose rows are kept.
const TEXT_ROWS_KEPT: usize = 64;

impl Default for Cube {
    fn default() -> Self {
        Cube {
            rows: Vec::new(),
            ranks: Vec::new(),
            gs: Vec::new(),
            row_of_rank: Vec::new(),
            countries: Names::default(),
            codes: Names::default(),
            plovers: Names::default(),
            acled: Names::default(),
            statuses: Names::default(),
            ids: Ids::default(),
            points: Vec::new(),
            place_names: std::sync::Mutex::default(),
            text_rows: crate::cache::Cache::new(TEXT_ROWS_TTL, TEXT_ROWS_KEPT),
            text_pending: std::sync::Mutex::default(),
            events: 0,
        }
    }
}

/// Day 1 is 0001-01-01; 0 is "undated".
fn epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(1, 1, 1).unwrap_or_default()
}

fn day_number(d: &str) -> u32 {
    NaiveDate::parse_from_str(d, "%Y-%m-%d")
        .ok()
        .and_then(|d| u32::try_from((d - epoch()).num_days() + 1).ok())
        .unwrap_or(UNDATED)
}

fn day_string(n: u32) -> String {
    if n == UNDATED {
        return String::new();
    }
    (epoch() + Days::new(u64::from(n) - 1))
        .format("%Y-%m-%d")
        .to_string()
}

fn round3(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

/// A filter resolved against the cube's names. `None` from [`Cube::compile`] means nothing
/// can match (a named value the cube has never seen).
struct Compiled {
    lo: usize,
    hi: usize,
    country: Option<u16>,
    plover: Option<u16>,
    cameo_root: Option<u8>,
    quad: Option<u8>,
    acled: Option<u16>,
    status: Option<u8>,
    dyad: Option<(u16, u16)>,
    actor: Option<Vec<bool>>,
    place: Option<Place>,
    /// For `near`: (lat, lon, Δlat, cos lat, Δlon), as the store's SQL computes them.
    near: Option<(f64, f64, f64, f64, f64)>,
}

impl Compiled {
    fn matches(&self, r: &Row, points: &[Point]) -> bool {
        let c = self;
        if let Some(k) = c.country
            && r.src_c != k
            && r.tgt_c != k
            && r.loc_c != k
        {
            return false;
        }
        if c.plover.is_some_and(|p| p != r.plover)
            || c.cameo_root.is_some_and(|x| x != r.cameo_root)
            || c.quad.is_some_and(|q| q != r.quad)
            || c.acled.is_some_and(|a| a != r.acled)
            || c.status.is_some_and(|s| s != r.status)
        {
            return false;
        }
        if let Some((s, t)) = c.dyad
            && (r.src_c != s || r.tgt_c != t)
        {
            return false;
        }
        if let Some(m) = &c.actor {
            let hit = |code: u32| code != NONE && m.get(code as usize).copied().unwrap_or(false);
            if !hit(r.src_code) && !hit(r.tgt_code) {
                return false;
            }
        }
        if c.place.is_none() {
            return true;
        }
        let Some(pt) = points.get(r.point as usize) else {
            return false;
        };
        let (lat, lon) = (pt.lat, pt.lon);
        match c.place {
            Some(Place::BBox {
                min_lon,
                min_lat,
                max_lon,
                max_lat,
            }) => {
                if !(lat >= min_lat && lat <= max_lat) {
                    return false;
                }
                if min_lon <= max_lon {
                    lon >= min_lon && lon <= max_lon
                } else {
                    lon >= min_lon || lon <= max_lon
                }
            }
            Some(Place::Near { .. }) => {
                let Some((clat, clon, dlat, coslat, dlon)) = c.near else {
                    return false;
                };
                if lat < clat - dlat || lat > clat + dlat {
                    return false;
                }
                if dlon < 180.0 && (lon < clon - dlon || lon > clon + dlon) {
                    return false;
                }
                let dx = (lon - clon) * coslat;
                let dy = lat - clat;
                dx * dx + dy * dy <= dlat * dlat
            }
            None => true,
        }
    }
}

impl Cube {
    /// Reads every event's columns from the store.
    pub(crate) fn build(store: &Store) -> Result<Cube, StoreError> {
        let events = store.event_count()?;
        let mut c = Cube {
            events,
            ..Default::default()
        };
        let expect = usize::try_from(events).unwrap_or(0);
        c.ids.ends.reserve(expect);
        // Filled in rank (id) order, then put in (day, rank) order below.
        let mut rows: Vec<Row> = Vec::with_capacity(expect);
        let mut gs: Vec<f64> = Vec::with_capacity(expect);
        let mut point_index: HashMap<(u64, u64), u32> = HashMap::new();
        let mut after: Option<String> = None;
        loop {
            let page = store.event_facts(after.as_deref(), PAGE)?;
            let Some(last) = page.last() else { break };
            after = Some(last.id.clone());
            let n = page.len();
            for f in page {
                let rank = u32::try_from(c.ids.len()).unwrap_or(NONE);
                let point = match f.lat_lon {
                    Some((lat, lon)) => {
                        let next = u32::try_from(c.points.len()).unwrap_or(NONE);
                        let i = *point_index
                            .entry((lat.to_bits(), lon.to_bits()))
                            .or_insert(next);
                        if i == next {
                            c.points.push(Point {
                                lat,
                                lon,
                                first: rank,
                            });
                        }
                        i
                    }
                    None => NONE,
                };
                rows.push(Row {
                    day: if f.date_key.is_empty() {
                        UNDATED
                    } else {
                        day_number(&f.date_key)
                    },
                    point,
                    quad: f.quad_class,
                    cameo_root: f.cameo_root.parse().unwrap_or(u8::MAX),
                    status: u8::try_from(c.statuses.id(&f.status)).unwrap_or(u8::MAX),
                    plover: u16::try_from(c.plovers.id(&f.plover)).unwrap_or(u16::MAX),
                    acled: narrow(c.acled.opt(f.acled_type.as_deref())),
                    src_c: narrow(c.countries.opt(f.source_country.as_deref())),
                    tgt_c: narrow(c.countries.opt(f.target_country.as_deref())),
                    loc_c: narrow(c.countries.opt(f.location_country.as_deref())),
                    src_code: c.codes.id(&f.source_code),
                    tgt_code: c.codes.opt(f.target_code.as_deref()),
                });
                gs.push(f.goldstein);
                c.ids.push(&f.id)?;
            }
            if n < PAGE {
                break;
            }
        }
        drop(point_index);
        // Facts come in id order, so rank order is id order. Sort a permutation (4 bytes a
        // row) rather than the rows themselves with their ranks and scores.
        let mut order: Vec<u32> = (0..u32::try_from(rows.len()).unwrap_or(NONE)).collect();
        order.sort_by_key(|&rank| (rows[rank as usize].day, rank));
        c.rows = order.iter().map(|&rank| rows[rank as usize]).collect();
        drop(rows);
        c.gs = order.iter().map(|&rank| gs[rank as usize]).collect();
        drop(gs);
        c.row_of_rank = vec![0; order.len()];
        for (row, &rank) in order.iter().enumerate() {
            if let Some(slot) = c.row_of_rank.get_mut(rank as usize) {
                *slot = u32::try_from(row).unwrap_or(NONE);
            }
        }
        c.ranks = order;
        c.ids.shrink_to_fit();
        c.points.shrink_to_fit();
        Ok(c)
    }

    fn id(&self, rank: u32) -> &str {
        self.ids.get(rank as usize)
    }

    /// Whether the cube can answer this filter (article filters need the database; a
    /// full-text filter needs the matching rows from [`Cube::rows_for_ids`]).
    pub(crate) fn supports(f: &Filter) -> bool {
        // The cube holds the aggregated view only (one row per real-world event).
        f.article_id.is_none() && !f.all_mentions
    }

    /// The rows of these event ids (those the cube knows), sorted: the `subset` for a
    /// full-text filter.
    pub(crate) fn rows_for_ids(&self, ids: &[String]) -> Vec<u32> {
        let mut rows: Vec<u32> = ids
            .iter()
            .filter_map(|id| self.ids.find(id))
            .filter_map(|rank| self.row_of_rank.get(rank).copied())
            .collect();
        rows.sort_unstable();
        rows.dedup();
        rows
    }

    fn compile(&self, f: &Filter) -> Option<Compiled> {
        let dated = f.from.is_some() || f.to.is_some();
        let from = f.from.map_or(UNDATED + 1, |d| {
            day_number(&d.format("%Y-%m-%d").to_string())
        });
        let lo = if dated {
            self.rows.partition_point(|r| r.day < from.max(UNDATED + 1))
        } else {
            0
        };
        let hi = match f.to {
            Some(d) => {
                let n = day_number(&d.format("%Y-%m-%d").to_string());
                self.rows.partition_point(|r| r.day <= n)
            }
            None => self.rows.len(),
        };
        let lookup = |names: &Names, v: &Option<String>| -> Option<Option<u32>> {
            match v {
                None => Some(None),
                Some(s) => names.get(&s.to_ascii_uppercase()).map(Some),
            }
        };
        let country = lookup(&self.countries, &f.country)?.map(narrow);
        let plover = match &f.plover {
            None => None,
            Some(p) => Some(u16::try_from(self.plovers.get(&p.to_ascii_uppercase())?).ok()?),
        };
        let acled = match &f.acled_type {
            None => None,
            Some(a) => Some(narrow(self.acled.get(a)?)),
        };
        let status = match f.status {
            None => None,
            Some(s) => Some(u8::try_from(self.statuses.get(s.as_str())?).ok()?),
        };
        let dyad = match &f.dyad {
            None => None,
            Some((a, b)) => Some((
                narrow(self.countries.get(&a.to_ascii_uppercase())?),
                narrow(self.countries.get(&b.to_ascii_uppercase())?),
            )),
        };
        let actor = f.actor.as_ref().map(|a| {
            let a = a.to_ascii_uppercase();
            self.codes.list.iter().map(|c| c.starts_with(&a)).collect()
        });
        Some(Compiled {
            lo,
            hi: hi.max(lo),
            country,
            plover,
            cameo_root: f
                .cameo_root
                .as_ref()
                .map(|r| r.parse().unwrap_or(u8::MAX - 1)),
            quad: f.quad_class,
            acled,
            status,
            dyad,
            actor,
            place: f.place,
            near: match f.place {
                Some(Place::Near {
                    lat,
                    lon,
                    radius_km,
                }) => {
                    let dlat = radius_km / KM_PER_DEGREE;
                    let coslat = lat.to_radians().cos().max(0.01);
                    let dlon = (dlat / coslat).min(180.0);
                    Some((lat, lon, dlat, coslat, dlon))
                }
                _ => None,
            },
        })
    }

    /// Visits every row matching `f`, in (day, id) order.
    /// `subset`: when the filter has full-text words, the (sorted) rows that match them.
    fn scan(&self, f: &Filter, subset: Option<&[u32]>, mut visit: impl FnMut(usize, &Row)) {
        let Some(c) = self.compile(f) else { return };
        if f.text.is_some() {
            let Some(sub) = subset else { return };
            let (a, b) = (
                sub.partition_point(|&i| (i as usize) < c.lo),
                sub.partition_point(|&i| (i as usize) < c.hi),
            );
            for &i in &sub[a..b] {
                let r = &self.rows[i as usize];
                if c.matches(r, &self.points) {
                    visit(i as usize, r);
                }
            }
            return;
        }
        for (i, r) in self.rows[c.lo..c.hi].iter().enumerate() {
            if c.matches(r, &self.points) {
                visit(c.lo + i, r);
            }
        }
    }

    /// A page of matching event ids in the store's listing order, and the next cursor:
    /// as [`Store::list_events`] without the JSON (the caller fetches it by id).
    pub(crate) fn list(
        &self,
        f: &Filter,
        subset: Option<&[u32]>,
        p: &outpost_store::Paging,
    ) -> Result<(Vec<String>, Option<String>), StoreError> {
        let limit = match p.limit {
            None => outpost_store::query::DEFAULT_LIMIT,
            Some(0) => return Err(StoreError::InvalidQuery("limit must be at least 1".into())),
            Some(n) => n.min(outpost_store::query::MAX_LIMIT),
        };
        let Some(c) = self.compile(f) else {
            return Ok((Vec::new(), None));
        };
        let (mut lo, mut hi) = (c.lo, c.hi);
        let newest = p.sort == outpost_store::Sort::Newest;
        if let Some(cur) = &p.cursor {
            let cur = outpost_store::query::Cursor::parse(cur)?;
            let day = if cur.date_key.is_empty() {
                UNDATED
            } else {
                day_number(&cur.date_key)
            };
            let key = (day, cur.id.as_str());
            if newest {
                hi = hi.min(self.partition(|day, id| (day, id) < key));
            } else {
                lo = lo.max(self.partition(|day, id| (day, id) <= key));
            }
        }
        let hi = hi.max(lo);
        let mut out: Vec<usize> = Vec::with_capacity(limit + 1);
        let matching = |i: &usize| c.matches(&self.rows[*i], &self.points);
        // With full-text words only the matching rows are visited.
        let candidates: Box<dyn DoubleEndedIterator<Item = usize>> = if f.text.is_some() {
            let sub = subset.unwrap_or(&[]);
            let (a, b) = (
                sub.partition_point(|&i| (i as usize) < lo),
                sub.partition_point(|&i| (i as usize) < hi),
            );
            Box::new(sub[a..b].iter().map(|&i| i as usize))
        } else {
            Box::new(lo..hi)
        };
        if newest {
            for i in candidates.rev().filter(matching) {
                out.push(i);
                if out.len() > limit {
                    break;
                }
            }
        } else {
            for i in candidates.filter(matching) {
                out.push(i);
                if out.len() > limit {
                    break;
                }
            }
        }
        let next = if out.len() > limit {
            out.truncate(limit);
            out.last().map(|&i| {
                outpost_store::query::Cursor {
                    date_key: day_string(self.rows[i].day),
                    id: self.id(self.ranks[i]).to_string(),
                }
                .encode()
            })
        } else {
            None
        };
        Ok((
            out.iter()
                .map(|&i| self.id(self.ranks[i]).to_string())
                .collect(),
            next,
        ))
    }

    /// The first row index whose (day, id) does not satisfy `before` (rows are sorted by
    /// day, then id).
    fn partition(&self, before: impl Fn(u32, &str) -> bool) -> usize {
        let (mut lo, mut hi) = (0, self.rows.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            if before(self.rows[mid].day, self.id(self.ranks[mid])) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }

    /// As [`Store::daily_counts`].
    pub(crate) fn daily_counts(
        &self,
        f: &Filter,
        subset: Option<&[u32]>,
        by: DailyKey,
    ) -> Vec<DailyCount> {
        let (first, last) = self.day_span();
        let keys = match by {
            DailyKey::QuadClass => 5,
            DailyKey::Plover => self.plovers.len().max(1),
        };
        let days = (last - first + 1) as usize;
        let mut m = vec![0u64; days * keys];
        self.scan(f, subset, |_, r| {
            if r.day == UNDATED {
                return;
            }
            let key = match by {
                DailyKey::QuadClass => usize::from(r.quad),
                DailyKey::Plover => usize::from(r.plover),
            };
            if let Some(v) = m.get_mut((r.day - first) as usize * keys + key) {
                *v += 1;
            }
        });
        // Key names and their order are the same every day: made once.
        let names: Vec<String> = (0..keys)
            .map(|k| match by {
                DailyKey::QuadClass => k.to_string(),
                DailyKey::Plover => self.plovers.name(k as u32).to_string(),
            })
            .collect();
        let mut order: Vec<usize> = (0..keys).collect();
        order.sort_by(|&a, &b| names[a].cmp(&names[b]));
        let mut out = Vec::new();
        for d in 0..days {
            let counts = &m[d * keys..(d + 1) * keys];
            if counts.iter().all(|&n| n == 0) {
                continue;
            }
            let day = day_string(first + d as u32);
            for &k in &order {
                if counts[k] > 0 {
                    out.push(DailyCount {
                        day: day.clone(),
                        key: names[k].clone(),
                        count: counts[k],
                    });
                }
            }
        }
        out
    }

    /// First and last dated day (1, 1 when none).
    fn day_span(&self) -> (u32, u32) {
        let first = self
            .rows
            .iter()
            .find(|r| r.day != UNDATED)
            .map_or(1, |r| r.day);
        let last = self.rows.last().map_or(1, |r| r.day).max(first);
        (first, last)
    }

    /// As [`Store::top_dyads`].
    pub(crate) fn top_dyads(&self, f: &Filter, subset: Option<&[u32]>, limit: usize) -> Vec<Dyad> {
        let n = self.countries.len();
        let mut m = vec![(0u64, 0f64, 0u64); n * n];
        self.scan(f, subset, |i, r| {
            if r.src_c == NONE16 || r.tgt_c == NONE16 {
                return;
            }
            if let Some(e) = m.get_mut(r.src_c as usize * n + r.tgt_c as usize) {
                e.0 += 1;
                e.1 += self.gs[i];
                if r.quad >= 3 {
                    e.2 += 1;
                }
            }
        });
        let mut out: Vec<Dyad> = m
            .into_iter()
            .enumerate()
            .filter(|(_, e)| e.0 > 0)
            .map(|(i, (k, g, c))| Dyad {
                source: self.countries.name((i / n) as u32).to_string(),
                target: self.countries.name((i % n) as u32).to_string(),
                count: k,
                mean_goldstein: round3(g / k as f64),
                conflict: c,
            })
            .collect();
        out.sort_by(|a, b| {
            b.count
                .cmp(&a.count)
                .then_with(|| a.source.cmp(&b.source))
                .then_with(|| a.target.cmp(&b.target))
        });
        out.truncate(limit.min(MAX_TOP));
        out
    }

    /// As [`Store::country_counts`].
    pub(crate) fn country_counts(
        &self,
        f: &Filter,
        subset: Option<&[u32]>,
        role: CountryRole,
    ) -> Vec<Count> {
        let mut m = vec![0u64; self.countries.len()];
        self.scan(f, subset, |_, r| {
            let mut add = |c: u16| {
                if let Some(v) = m.get_mut(c as usize) {
                    *v += 1;
                }
            };
            match role {
                CountryRole::Source => add(r.src_c),
                CountryRole::Target => add(r.tgt_c),
                CountryRole::Location => add(r.loc_c),
                CountryRole::Any => {
                    add(r.src_c);
                    if r.tgt_c != r.src_c {
                        add(r.tgt_c);
                    }
                    if r.loc_c != r.src_c && r.loc_c != r.tgt_c {
                        add(r.loc_c);
                    }
                }
            }
        });
        let mut out: Vec<Count> = m
            .into_iter()
            .enumerate()
            .filter(|(_, n)| *n > 0)
            .map(|(c, n)| Count {
                key: self.countries.name(c as u32).to_string(),
                count: n,
            })
            .collect();
        out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
        out
    }

    /// The top places, named from the names already looked up, and the places still to be
    /// named from the database: (index in the list, the event naming it).
    pub(crate) fn place_counts(
        &self,
        f: &Filter,
        subset: Option<&[u32]>,
        limit: usize,
    ) -> (Vec<PlaceCount>, Vec<Unnamed>) {
        let mut m = vec![0u64; self.points.len()];
        self.scan(f, subset, |_, r| {
            if let Some(v) = m.get_mut(r.point as usize) {
                *v += 1;
            }
        });
        let mut top: Vec<(u64, u32)> = m
            .into_iter()
            .enumerate()
            .filter(|(_, n)| *n > 0)
            .map(|(i, n)| (n, u32::try_from(i).unwrap_or(NONE)))
            .collect();
        let by_rank = |a: &(u64, u32), b: &(u64, u32)| {
            let (pa, pb) = (&self.points[a.1 as usize], &self.points[b.1 as usize]);
            b.0.cmp(&a.0)
                .then_with(|| pa.lat.total_cmp(&pb.lat))
                .then_with(|| pa.lon.total_cmp(&pb.lon))
        };
        let keep = limit.min(MAX_TOP);
        if top.len() > keep && keep > 0 {
            top.select_nth_unstable_by(keep - 1, by_rank);
        }
        top.truncate(keep);
        top.sort_by(by_rank);
        let names = self
            .place_names
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut unnamed = Vec::new();
        let out = top
            .into_iter()
            .enumerate()
            .map(|(i, (n, point))| {
                let pt = &self.points[point as usize];
                let (name, country) = match names.get(&point) {
                    Some((name, country)) => (name.clone(), country.clone()),
                    None => {
                        unnamed.push(Unnamed {
                            index: i,
                            point,
                            event: self.id(pt.first).to_string(),
                        });
                        (String::new(), None)
                    }
                };
                PlaceCount {
                    name,
                    country,
                    lat: pt.lat,
                    lon: pt.lon,
                    count: n,
                }
            })
            .collect();
        (out, unnamed)
    }

    /// The rows matching a recent full-text search with these words.
    pub(crate) fn text_rows(&self, words: &str) -> Option<std::sync::Arc<Vec<u32>>> {
        self.text_rows.get(words)
    }

    /// The one search in progress for these words (a new one when none is): every request
    /// for the same words awaits the same result.
    pub(crate) fn text_search(&self, words: &str) -> TextSearch {
        let mut pending = self
            .text_pending
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        std::sync::Arc::clone(pending.entry(words.to_string()).or_default())
    }

    /// Forgets a finished search (its rows are in the text-rows cache by then).
    pub(crate) fn text_search_done(&self, words: &str) {
        self.text_pending
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .remove(words);
    }

    /// Keeps the rows matching a full-text search (from [`Cube::rows_for_ids`]).
    pub(crate) fn remember_text_rows(&self, words: String, rows: std::sync::Arc<Vec<u32>>) {
        self.text_rows.put(words, rows);
    }

    /// Keeps the name of a point read from the database for later answers.
    pub(crate) fn name_place(&self, point: u32, name: String, country: Option<String>) {
        self.place_names
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(point, (name, country));
    }

    /// As [`Store::daily_index`].
    pub(crate) fn daily_index(&self, f: &Filter, subset: Option<&[u32]>) -> Vec<IndexPoint> {
        let (first, last) = self.day_span();
        let mut m = vec![(0u64, 0f64, 0f64); (last - first + 1) as usize];
        self.scan(f, subset, |i, r| {
            if r.day == UNDATED {
                return;
            }
            if let Some(e) = m.get_mut((r.day - first) as usize) {
                let g = self.gs[i];
                e.0 += 1;
                if g > 0.0 {
                    e.1 += g;
                } else if g < 0.0 {
                    e.2 -= g;
                }
            }
        });
        m.into_iter()
            .enumerate()
            .filter(|(_, e)| e.0 > 0)
            .map(|(d, (n, coop, conf))| IndexPoint {
                day: day_string(first + d as u32),
                events: n,
                cooperation: round3(coop),
                conflict: round3(conf),
                index: round3((coop - conf) / n as f64),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_round_trip() {
        for d in ["1970-01-01", "2024-02-29", "2026-11-27"] {
            assert_eq!(day_string(day_number(d)), d);
        }
        assert_eq!(day_number("not a day"), UNDATED);
        assert_eq!(day_string(UNDATED), "");
        assert_eq!(day_string(day_number("0001-01-01")), "0001-01-01");
        assert!(day_number("2024-01-02") > day_number("2024-01-01"));
    }

    #[test]
    fn ids_are_packed_and_found() {
        let mut ids = Ids::default();
        for id in ["a-01", "a-02", "b", "bb-ü", "c-10"] {
            ids.push(id).unwrap();
        }
        assert_eq!(ids.len(), 5);
        assert_eq!(ids.get(0), "a-01");
        assert_eq!(ids.get(3), "bb-ü");
        assert_eq!(ids.get(4), "c-10");
        assert_eq!(ids.get(9), "", "out of range");
        assert_eq!(ids.find("b"), Some(2));
        assert_eq!(ids.find("c-10"), Some(4));
        assert_eq!(ids.find("a-01"), Some(0));
        assert_eq!(ids.find("a"), None);
        assert_eq!(ids.find("zz"), None);
        assert_eq!(Ids::default().find("a"), None);
    }
}
