//! Export: streams stored events out of a [`Store`] in the formats other tools read.
//!
//! Formats ([`Format`]):
//! - `gdelt`: GDELT 2.0's event table, 61 tab-separated columns, no header
//!   (column mapping in [`gdelt`]);
//! - `gdelt-mentions`: GDELT 2.0's mentions table, 16 columns, one row per mention (each
//!   coded sentence in each copy of each article reporting the event);
//! - `csv`: a header and one flat row per event (RFC 4180 quoting; columns in [`flat`]);
//! - `jsonl`: the Event JSON contract, one object per line;
//! - `parquet`: the CSV columns, typed (behind the default cargo feature `parquet`).
//!
//! Events are read page by page (1,000 at a time, keyset cursor, oldest first) and written
//! as they come, so memory stays bounded whatever the database size; Parquet buffers one
//! row group of at most [`PARQUET_ROW_GROUP`] rows. Article metadata (URL, date, length)
//! needed by the GDELT, CSV and Parquet rows is looked up per article and cached.
//!
//! By default the exports show the aggregated view: each real-world event once, with
//! GDELT's NumMentions, NumSources and NumArticles from the store's aggregation, and the
//! mentions table lists every mention of it; `ExportFilter::all_mentions` exports every coded
//! event mention instead. This crate does not aggregate (the store does), compute tone, compress output, or write files itself: the caller gives a writer.

pub mod codes;
pub mod flat;
pub mod gdelt;
#[cfg(feature = "parquet")]
pub mod parquet_out;

use std::collections::HashMap;
use std::io::{BufWriter, Write};

use chrono::NaiveDate;
use outpost_core::{Event, Location, Status};
use outpost_store::{EventQuery, Sort, Store, StoreError};

pub use codes::Codes;

/// Events read per page.
pub const PAGE_SIZE: usize = 1000;
/// Most rows in one Parquet row group (the only buffering besides one page).
pub const PARQUET_ROW_GROUP: usize = 10_000;
/// Most articles whose metadata is cached at once (the cache is emptied when full).
const ARTICLE_CACHE: usize = 10_000;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// GDELT 2.0 event table (61 TSV columns, no header).
    Gdelt,
    /// GDELT 2.0 mentions table (16 TSV columns, no header).
    GdeltMentions,
    /// Flat CSV with a header row.
    Csv,
    /// Event JSON, one per line.
    Jsonl,
    /// Parquet with typed columns (needs the `parquet` feature).
    Parquet,
}

impl Format {
    /// Parses `gdelt`, `gdelt-mentions`, `csv`, `jsonl` or `parquet` (case-insensitive).
    pub fn parse(s: &str) -> Option<Format> {
        Some(match s.to_ascii_lowercase().as_str() {
            "gdelt" => Format::Gdelt,
            "gdelt-mentions" => Format::GdeltMentions,
            "csv" => Format::Csv,
            "jsonl" => Format::Jsonl,
            "parquet" => Format::Parquet,
            _ => return None,
        })
    }

    /// The name [`Format::parse`] accepts.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Gdelt => "gdelt",
            Format::GdeltMentions => "gdelt-mentions",
            Format::Csv => "csv",
            Format::Jsonl => "jsonl",
            Format::Parquet => "parquet",
        }
    }

    /// A usual file extension for the format.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Gdelt => "export.CSV",
            Format::GdeltMentions => "mentions.CSV",
            Format::Csv => "csv",
            Format::Jsonl => "jsonl",
            Format::Parquet => "parquet",
        }
    }

    /// Whether this build can write the format (Parquet needs the `parquet` feature).
    pub fn is_available(self) -> bool {
        self != Format::Parquet || cfg!(feature = "parquet")
    }
}

/// Which events to export. All filters are ANDed; `None` means no filter. Maps onto
/// [`EventQuery`] (same meanings).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExportFilter {
    /// Events dated on or after this day (undated events never match a date filter).
    pub from: Option<NaiveDate>,
    /// Events dated on or before this day.
    pub to: Option<NaiveDate>,
    /// ISO3 country of the source, the target or the location.
    pub country: Option<String>,
    /// PLOVER type (`ASSAULT`).
    pub plover: Option<String>,
    /// CAMEO root, two digits (`19`).
    pub cameo_root: Option<String>,
    /// QuadClass 1–4.
    pub quad_class: Option<u8>,
    /// Event status.
    pub status: Option<Status>,
    /// Only the events of this article.
    pub article_id: Option<String>,
    /// Full-text search over evidence and actor phrases (every word, as a prefix).
    pub text: Option<String>,
    /// Stop after this many events.
    pub max_events: Option<u64>,
    /// Every coded event mention instead of the aggregated view (each real-world event
    /// once, with its counts): see [`EventQuery::all_mentions`].
    pub all_mentions: bool,
}

impl ExportFilter {
    /// The store query for the first page (oldest first, [`PAGE_SIZE`] per page).
    pub fn to_query(&self) -> EventQuery {
        EventQuery {
            from: self.from,
            to: self.to,
            country: self.country.clone(),
            plover: self.plover.clone(),
            cameo_root: self.cameo_root.clone(),
            quad_class: self.quad_class,
            status: self.status,
            article_id: self.article_id.clone(),
            text: self.text.clone(),
            limit: Some(PAGE_SIZE),
            cursor: None,
            sort: Sort::Oldest,
            all_mentions: self.all_mentions,
        }
    }
}

/// What an export wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportSummary {
    /// Events read from the store.
    pub events: u64,
    /// Data rows written (not counting a CSV header).
    pub rows: u64,
    /// Events left out because the format cannot hold them (GDELT rows need a day: an
    /// undated event from an undated article is skipped).
    pub skipped: u64,
    /// Pages read from the store.
    pub pages: u64,
}

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The store refused the query or failed.
    #[error("store: {0}")]
    Store(#[from] StoreError),
    /// Writing the output failed.
    #[error("write: {0}")]
    Io(#[from] std::io::Error),
    /// CSV writing failed.
    #[error("csv: {0}")]
    Csv(#[from] csv::Error),
    /// JSON serialisation failed.
    #[error("json: {0}")]
    Json(#[from] serde_json::Error),
    /// Parquet writing failed.
    #[error("parquet: {0}")]
    Parquet(String),
    /// This build has no Parquet support.
    #[error(
        "parquet export is not available: this build was compiled without the `parquet` feature of outpost-export"
    )]
    ParquetDisabled,
    /// An embedded code table is broken.
    #[error("{file}:{line}: {message}")]
    Data {
        /// The table's file name.
        file: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

/// Looks up the country-level location (reference point) of an ISO3 country.
pub type CountryLocation<'a> = &'a dyn Fn(&str) -> Option<Location>;

/// Optional inputs of [`export_with`].
#[derive(Default, Clone, Copy)]
pub struct ExportOptions<'a> {
    /// The country-level location of an ISO3 country, e.g. `&|c| gazetteer.country(c)` with
    /// outpost-geo's built-in gazetteer. The GDELT export uses it for an actor whose
    /// country differs from the event location's (Actor*Geo type 1); without it such actor
    /// geo columns are left blank (type 0).
    pub country_location: Option<CountryLocation<'a>>,
}

impl std::fmt::Debug for ExportOptions<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExportOptions")
            .field("country_location", &self.country_location.is_some())
            .finish()
    }
}

/// What the rows need to know about an event's article.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArticleMeta {
    /// Canonical URL, when known.
    pub url: Option<String>,
    /// The source reference (path, `path:line`, URL).
    pub source: Option<String>,
    /// The publishing site's name or host.
    pub site: Option<String>,
    /// Publication date.
    pub date: Option<NaiveDate>,
    /// Length of the main text in characters (0 when the article is not stored).
    pub text_chars: usize,
}

impl ArticleMeta {
    /// The URL, else the source reference, else empty.
    pub fn url_or_source(&self) -> &str {
        self.url
            .as_deref()
            .or(self.source.as_deref())
            .unwrap_or_default()
    }
}

/// A bounded cache of article metadata.
struct ArticleCache<'s> {
    store: &'s Store,
    map: HashMap<String, ArticleMeta>,
}

impl<'s> ArticleCache<'s> {
    fn new(store: &'s Store) -> Self {
        ArticleCache {
            store,
            map: HashMap::new(),
        }
    }

    fn get(&mut self, id: &str) -> Result<ArticleMeta, ExportError> {
        if let Some(m) = self.map.get(id) {
            return Ok(m.clone());
        }
        let meta = match self.store.article(id)? {
            Some(a) => ArticleMeta {
                url: a.url.filter(|u| !u.is_empty()),
                source: Some(a.source).filter(|s| !s.is_empty()),
                site: a.site.filter(|s| !s.is_empty()),
                date: a.date,
                text_chars: a.text.chars().count(),
            },
            None => ArticleMeta::default(),
        };
        if self.map.len() >= ARTICLE_CACHE {
            self.map.clear();
        }
        self.map.insert(id.to_string(), meta.clone());
        Ok(meta)
    }
}

/// Most mentions written for one aggregated event.
const MAX_MENTIONS: usize = 10_000;

/// Every mention of the aggregated event `e` as (the mention's own event under the
/// aggregate's id, the metadata of the copy it was seen in); `e` alone when it has none
/// recorded.
fn mentions_of(
    store: &Store,
    e: &Event,
    articles: &mut ArticleCache<'_>,
) -> Result<Vec<(Event, ArticleMeta)>, ExportError> {
    let agg = e
        .aggregate
        .as_ref()
        .map_or(e.id.as_str(), |a| a.id.as_str());
    let mentions = store.event_mentions(agg, MAX_MENTIONS)?;
    if mentions.is_empty() {
        return Ok(vec![(e.clone(), articles.get(&e.evidence.article_id)?)]);
    }
    let mut ids: Vec<String> = mentions.iter().map(|m| m.event_id.clone()).collect();
    ids.sort();
    ids.dedup();
    let members: HashMap<String, Event> = store
        .events_by_ids(&ids)?
        .into_iter()
        .map(|m| (m.id.clone(), m))
        .collect();
    let mut out = Vec::with_capacity(mentions.len());
    for m in mentions {
        let Some(member) = members.get(&m.event_id) else {
            continue;
        };
        let mut member = member.clone();
        member.id = e.id.clone();
        let mut meta = articles.get(&m.article_id)?;
        meta.url = m.url.filter(|u| !u.is_empty());
        meta.source = Some(m.source).filter(|s| !s.is_empty());
        meta.site = m.site.or(meta.site);
        out.push((member, meta));
    }
    Ok(out)
}

/// A format writer fed one event at a time.
trait Sink {
    /// Writes one event; returns whether a row was written.
    fn event(&mut self, e: &Event, meta: &ArticleMeta) -> Result<bool, ExportError>;
    /// Flushes and closes.
    fn finish(self: Box<Self>) -> Result<(), ExportError>;
    /// Whether the sink uses article metadata (JSONL does not).
    fn needs_article(&self) -> bool {
        true
    }
}

struct JsonlSink<'w> {
    out: &'w mut dyn Write,
}

impl Sink for JsonlSink<'_> {
    fn event(&mut self, e: &Event, _meta: &ArticleMeta) -> Result<bool, ExportError> {
        serde_json::to_writer(&mut *self.out, e)?;
        self.out.write_all(b"\n")?;
        Ok(true)
    }

    fn finish(self: Box<Self>) -> Result<(), ExportError> {
        self.out.flush()?;
        Ok(())
    }

    fn needs_article(&self) -> bool {
        false
    }
}

fn sink<'w>(
    format: Format,
    out: &'w mut dyn Write,
    opts: &ExportOptions<'w>,
) -> Result<Box<dyn Sink + 'w>, ExportError> {
    Ok(match format {
        Format::Gdelt => Box::new(gdelt::EventSink::new(out, opts.country_location)?),
        Format::GdeltMentions => Box::new(gdelt::MentionSink::new(out)?),
        Format::Csv => Box::new(flat::CsvSink::new(out)?),
        Format::Jsonl => Box::new(JsonlSink { out }),
        #[cfg(feature = "parquet")]
        Format::Parquet => Box::new(parquet_out::ParquetSink::new(out)?),
        #[cfg(not(feature = "parquet"))]
        Format::Parquet => return Err(ExportError::ParquetDisabled),
    })
}

/// Exports the events matching `filter` from `store` to `out` in `format`, oldest first,
/// reading [`PAGE_SIZE`] events at a time (output is buffered internally and flushed at the
/// end). The query is checked before anything is written;
/// a CSV export of no events is the header alone, the other text formats write nothing
/// (Parquet writes a valid file with no rows).
pub fn export(
    store: &Store,
    filter: &ExportFilter,
    format: Format,
    out: &mut dyn Write,
) -> Result<ExportSummary, ExportError> {
    export_with(store, filter, format, out, &ExportOptions::default())
}

/// [`export`] with optional inputs (see [`ExportOptions`]).
pub fn export_with(
    store: &Store,
    filter: &ExportFilter,
    format: Format,
    out: &mut dyn Write,
    opts: &ExportOptions<'_>,
) -> Result<ExportSummary, ExportError> {
    let mut q = filter.to_query();
    q.validate()?;
    // Writers emit many small pieces; buffer them whatever `out` is.
    let mut buffered = BufWriter::with_capacity(1 << 16, out);
    let mut sink = sink(format, &mut buffered, opts)?;
    let mut articles = ArticleCache::new(store);
    let mut summary = ExportSummary::default();
    let none = ArticleMeta::default();
    'pages: loop {
        let page = store.events(&q)?;
        summary.pages += 1;
        for e in &page.items {
            if filter.max_events.is_some_and(|m| summary.events >= m) {
                break 'pages;
            }
            summary.events += 1;
            if format == Format::GdeltMentions && !filter.all_mentions {
                // GDELT's mentions table: one row per mention of the aggregated event.
                for (member, meta) in mentions_of(store, e, &mut articles)? {
                    if sink.event(&member, &meta)? {
                        summary.rows += 1;
                    } else {
                        summary.skipped += 1;
                    }
                }
                continue;
            }
            let meta = if sink.needs_article() {
                articles.get(&e.evidence.article_id)?
            } else {
                none.clone()
            };
            if sink.event(e, &meta)? {
                summary.rows += 1;
            } else {
                summary.skipped += 1;
            }
        }
        let capped = filter.max_events.is_some_and(|m| summary.events >= m);
        match page.next_cursor {
            Some(c) if !page.items.is_empty() && !capped => q.cursor = Some(c),
            _ => break,
        }
    }
    sink.finish()?;
    Ok(summary)
}

/// Replaces tabs, carriage returns and newlines with spaces (TSV fields).
pub(crate) fn tsv_clean(s: &str) -> String {
    if s.contains(['\t', '\n', '\r']) {
        s.replace(['\t', '\n', '\r'], " ")
    } else {
        s.to_string()
    }
}

/// A coordinate with at most 4 decimals and no trailing zeros (`34.5`, `-77.0364`, `33`).
pub(crate) fn coord(v: f64) -> String {
    let s = format!("{v:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.to_string() }
}
