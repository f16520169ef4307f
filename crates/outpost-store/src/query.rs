//! Backend-neutral query, result and validation types.
//!
//! Every backend takes the same [`EventQuery`] and returns the same [`Page`] and [`Stats`];
//! the checks here (limits, cursor syntax, search words, event sanity) are shared so that
//! backends agree on what is a bad request.

use chrono::NaiveDate;
use outpost_core::{Article, Event, Status};
use serde::Serialize;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::error::StoreError;

/// Default page size when a query gives no limit.
pub const DEFAULT_LIMIT: usize = 100;
/// Largest page size; larger limits are cut to this.
pub const MAX_LIMIT: usize = 1000;
/// Most words taken from a text search.
pub const MAX_SEARCH_WORDS: usize = 16;

/// Order of an event listing, by event date then id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    /// Latest date first; undated events come last.
    #[default]
    Newest,
    /// Earliest date first; undated events come first.
    Oldest,
}

impl Sort {
    /// Parses `newest` or `oldest`.
    pub fn parse(s: &str) -> Option<Sort> {
        match s {
            "newest" => Some(Sort::Newest),
            "oldest" => Some(Sort::Oldest),
            _ => None,
        }
    }
}

/// Filters and paging for [`crate::Store::events`]. All filters are ANDed; `None` means
/// "no filter".
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventQuery {
    /// Events dated on or after this day (an event's date is the first day of its period).
    /// Undated events never match a date filter.
    pub from: Option<NaiveDate>,
    /// Events dated on or before this day.
    pub to: Option<NaiveDate>,
    /// ISO3 (or pseudo-) country of the source, the target or the location; case-insensitive.
    pub country: Option<String>,
    /// PLOVER type, case-insensitive (`ASSAULT`).
    pub plover: Option<String>,
    /// CAMEO root: the first two digits of the code (`19`).
    pub cameo_root: Option<String>,
    /// QuadClass 1–4.
    pub quad_class: Option<u8>,
    /// Event status.
    pub status: Option<Status>,
    /// Only the events of this article.
    pub article_id: Option<String>,
    /// Full-text search over the evidence sentence, trigger and actor phrases: every word
    /// must occur (as a word prefix).
    pub text: Option<String>,
    /// Page size; default [`DEFAULT_LIMIT`], at most [`MAX_LIMIT`].
    pub limit: Option<usize>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Order.
    pub sort: Sort,
    /// Every coded event mention instead of the aggregated view. By default (false) each
    /// real-world event is listed once: as its aggregate's first event, with the counts of
    /// all its mentions in [`Event::aggregate`](outpost_core::Event::aggregate); a text
    /// search then matches any mention's evidence. An `article_id` filter always lists that
    /// article's own events.
    pub all_mentions: bool,
}

impl EventQuery {
    /// The effective page size: the limit cut to [`MAX_LIMIT`]; a limit of 0 is an error.
    pub fn effective_limit(&self) -> Result<usize, StoreError> {
        match self.limit {
            None => Ok(DEFAULT_LIMIT),
            Some(0) => Err(StoreError::InvalidQuery("limit must be at least 1".into())),
            Some(n) => Ok(n.min(MAX_LIMIT)),
        }
    }

    /// Checks the query as a whole (ranges, codes) without touching a database.
    pub fn validate(&self) -> Result<(), StoreError> {
        self.effective_limit()?;
        if let (Some(f), Some(t)) = (self.from, self.to)
            && f > t
        {
            return Err(StoreError::InvalidQuery(format!(
                "from ({f}) is after to ({t})"
            )));
        }
        if let Some(q) = self.quad_class
            && !(1..=4).contains(&q)
        {
            return Err(StoreError::InvalidQuery(format!(
                "quad_class must be 1-4, not {q}"
            )));
        }
        if let Some(r) = &self.cameo_root
            && (r.len() != 2 || !r.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(StoreError::InvalidQuery(format!(
                "cameo_root must be two digits, not {r:?}"
            )));
        }
        if let Some(c) = &self.cursor {
            Cursor::parse(c)?;
        }
        if let Some(t) = &self.text {
            fts_query(t)?;
        }
        Ok(())
    }
}

/// One page of results and the cursor for the next, if there are more.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Page<T> {
    /// The items of this page, in the requested order.
    pub items: Vec<T>,
    /// Pass as [`EventQuery::cursor`] to get the next page; `None` on the last page.
    pub next_cursor: Option<String>,
}

/// What [`crate::Store::insert_article`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InsertOutcome {
    /// The article was new: it, its mention and its events were written.
    Added,
    /// An article with the same content id was already stored: its events were not touched;
    /// the only possible change is one more mention when this copy came from a source not
    /// seen before.
    AlreadyPresent,
}

/// A key and how many items have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Count {
    /// The key (a PLOVER type, a country code).
    pub key: String,
    /// Number of items.
    pub count: u64,
}

/// Totals over the whole database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stats {
    /// Distinct articles.
    pub articles: u64,
    /// Events.
    pub events: u64,
    /// Article sightings (one per distinct source of each article).
    pub mentions: u64,
    /// Inputs recorded as skipped.
    pub skipped: u64,
    /// Earliest event date (`YYYY-MM-DD`), if any event is dated.
    pub first_date: Option<String>,
    /// Latest event date.
    pub last_date: Option<String>,
    /// Events per PLOVER type, most frequent first.
    pub by_plover: Vec<Count>,
    /// Events per country (an event counts once for each distinct country among its
    /// source, target and location), most frequent first.
    pub by_country: Vec<Count>,
}

/// A keyset position in an event listing: the last row's date key and id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    /// `YYYY-MM-DD`, or empty for undated events.
    pub date_key: String,
    /// Event id.
    pub id: String,
}

impl Cursor {
    /// The opaque string form: `DATE~ID`.
    pub fn encode(&self) -> String {
        format!("{}~{}", self.date_key, self.id)
    }

    /// Parses the string form made by [`Cursor::encode`].
    pub fn parse(s: &str) -> Result<Cursor, StoreError> {
        let bad = || StoreError::InvalidQuery(format!("malformed cursor {s:?}"));
        let (date_key, id) = s.split_once('~').ok_or_else(bad)?;
        if !date_key.is_empty() && NaiveDate::parse_from_str(date_key, "%Y-%m-%d").is_err() {
            return Err(bad());
        }
        if id.is_empty() || id.chars().any(char::is_control) {
            return Err(bad());
        }
        Ok(Cursor {
            date_key: date_key.to_string(),
            id: id.to_string(),
        })
    }
}

/// Turns a user's search text into a safe full-text query: its words (runs of letters and
/// digits), each quoted and used as a prefix, all required. Operators and quotes typed by
/// the user are never passed through. Errors when the text has no word at all.
pub fn fts_query(text: &str) -> Result<String, StoreError> {
    let words: Vec<String> = search_words(text)?
        .into_iter()
        .map(|w| format!("\"{w}\"*"))
        .collect();
    Ok(words.join(" "))
}

/// The words of a user's search text as typed (runs of letters, digits and combining
/// marks), at most [`MAX_SEARCH_WORDS`]. Errors when the text has no word at all.
pub fn search_words(text: &str) -> Result<Vec<&str>, StoreError> {
    let words: Vec<&str> = split_words(text).take(MAX_SEARCH_WORDS).collect();
    if words.is_empty() {
        return Err(StoreError::InvalidQuery(format!(
            "search text {text:?} has no words"
        )));
    }
    Ok(words)
}

fn split_words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_alphanumeric() || is_combining_mark(c)))
        .filter(|w| !w.is_empty())
}

/// Longest lexeme (in bytes) put in the PostgreSQL index; longer words are left out
/// (PostgreSQL refuses lexemes of 2 KiB and more; no real word is that long).
pub const MAX_LEXEME_BYTES: usize = 1024;

/// Folds one word the way the SQLite index does (`unicode61 remove_diacritics 2`):
/// lower case, diacritics removed (`Négociations` → `negociations`).
pub fn fold_word(word: &str) -> String {
    word.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The distinct folded words of some texts, sorted: the lexemes of a PostgreSQL `tsvector`
/// that matches like the SQLite FTS index.
pub fn index_lexemes(texts: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = texts
        .iter()
        .flat_map(|t| split_words(t))
        .map(fold_word)
        .filter(|w| !w.is_empty() && w.len() <= MAX_LEXEME_BYTES)
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Turns a user's search text into a PostgreSQL `tsquery` literal with the same meaning as
/// [`fts_query`] on SQLite: every folded word required, each as a prefix (`'word':* & …`).
/// The words hold only letters, digits and combining marks, so no tsquery operator or quote
/// typed by the user gets through.
pub fn tsquery(text: &str) -> Result<String, StoreError> {
    let words: Vec<String> = search_words(text)?
        .into_iter()
        .map(fold_word)
        .filter(|w| !w.is_empty())
        .map(|w| {
            let w: String = w.chars().take(MAX_LEXEME_BYTES / 4).collect();
            format!("'{}':*", w.replace('\'', "''"))
        })
        .collect();
    if words.is_empty() {
        return Err(StoreError::InvalidQuery(format!(
            "search text {text:?} has no words"
        )));
    }
    Ok(words.join(" & "))
}

/// Formats a date as stored: `YYYY-MM-DD`.
pub fn date_str(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Checks that events can be stored with `article`: they must belong to it and carry only
/// finite numbers (JSON cannot hold NaN or infinities).
pub fn validate_events(article: &Article, events: &[Event]) -> Result<(), StoreError> {
    for e in events {
        let bad = |reason: String| StoreError::InvalidEvent {
            id: e.id.clone(),
            reason,
        };
        if e.id.is_empty() {
            return Err(bad("empty id".into()));
        }
        if e.evidence.article_id != article.id {
            return Err(bad(format!(
                "evidence names article {:?}, not {:?}",
                e.evidence.article_id, article.id
            )));
        }
        let mut numbers = vec![("goldstein", e.goldstein), ("confidence", e.confidence)];
        if let Some(l) = &e.location {
            numbers.push(("lat", l.lat));
            numbers.push(("lon", l.lon));
        }
        for (name, v) in numbers {
            if !v.is_finite() {
                return Err(bad(format!("{name} is not a finite number")));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_round_trips_and_rejects_garbage() {
        let c = Cursor {
            date_key: "2024-03-05".into(),
            id: "ab12".into(),
        };
        assert_eq!(Cursor::parse(&c.encode()).unwrap(), c);
        let undated = Cursor {
            date_key: String::new(),
            id: "x".into(),
        };
        assert_eq!(Cursor::parse(&undated.encode()).unwrap(), undated);
        for bad in [
            "",
            "nodelimiter",
            "2024-13-01~a",
            "2024-01-01~",
            "yesterday~a",
        ] {
            assert!(Cursor::parse(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn fts_query_quotes_words_and_drops_operators() {
        assert_eq!(
            fts_query("troops OR \"near*").unwrap(),
            "\"troops\"* \"OR\"* \"near\"*"
        );
        assert_eq!(fts_query("Zürich-2").unwrap(), "\"Zürich\"* \"2\"*");
        assert!(fts_query(" ?! ").is_err());
    }

    #[test]
    fn postgres_search_folds_like_sqlite() {
        assert_eq!(fold_word("Négociations"), "negociations");
        // Already decomposed input stays one word.
        assert_eq!(fold_word("Ne\u{301}gociations"), "negociations");
        assert_eq!(
            index_lexemes(&["Rebels shelled a garrison.", "shelled", "the Rebels"]),
            ["a", "garrison", "rebels", "shelled", "the"]
        );
        assert_eq!(
            index_lexemes(&["Ne\u{301}gociations resumed"]),
            ["negociations", "resumed"]
        );
        assert_eq!(
            tsquery("Troops OR 'near* & !x").unwrap(),
            "'troops':* & 'or':* & 'near':* & 'x':*"
        );
        assert_eq!(tsquery("Zürich-2").unwrap(), "'zurich':* & '2':*");
        assert!(tsquery(" ?! ").is_err());
        let long = "a".repeat(MAX_LEXEME_BYTES + 1);
        assert!(index_lexemes(&[long.as_str()]).is_empty());
    }

    #[test]
    fn query_validation_catches_ranges() {
        let ok = EventQuery::default();
        assert!(ok.validate().is_ok());
        assert_eq!(ok.effective_limit().unwrap(), DEFAULT_LIMIT);
        let big = EventQuery {
            limit: Some(5000),
            ..Default::default()
        };
        assert_eq!(big.effective_limit().unwrap(), MAX_LIMIT);
        let cases = [
            EventQuery {
                limit: Some(0),
                ..Default::default()
            },
            EventQuery {
                quad_class: Some(5),
                ..Default::default()
            },
            EventQuery {
                cameo_root: Some("1".into()),
                ..Default::default()
            },
            EventQuery {
                from: NaiveDate::from_ymd_opt(2024, 2, 1),
                to: NaiveDate::from_ymd_opt(2024, 1, 1),
                ..Default::default()
            },
            EventQuery {
                cursor: Some("bad".into()),
                ..Default::default()
            },
        ];
        for q in cases {
            assert!(
                matches!(q.validate(), Err(StoreError::InvalidQuery(_))),
                "{q:?}"
            );
        }
    }
}
