//! Documents before and after extraction.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One input record as ingest found it: raw bytes plus what the source told us about them.
///
/// `source` is a stable reference back to the bytes (a path, `path:LINE` for a JSONL
/// record, `path@OFFSET` for a WARC record, or a URL), so every event can be traced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawDoc {
    /// Where the bytes came from (path, `path:line`, `path@offset` or URL).
    pub source: String,
    /// The page's URL when the source knows it (JSONL `url`, WARC target URI, feed link).
    pub url: Option<String>,
    /// A publication date the source gives outside the page itself (JSONL `date`).
    pub date: Option<NaiveDate>,
    /// A content type the source declares (HTTP header, JSONL field), e.g.
    /// `text/html; charset=windows-1251`. Extraction still checks the bytes.
    pub content_type: Option<String>,
    /// The raw bytes, undecoded.
    pub bytes: Vec<u8>,
}

impl RawDoc {
    /// A document with only a source reference and bytes.
    pub fn new(source: impl Into<String>, bytes: Vec<u8>) -> Self {
        RawDoc {
            source: source.into(),
            url: None,
            date: None,
            content_type: None,
            bytes,
        }
    }
}

/// An extracted news article: metadata plus the main text, without page furniture.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Article {
    /// Content fingerprint of `text` ([`crate::id::text_fingerprint`]).
    pub id: String,
    /// The source reference of the raw document.
    pub source: String,
    /// Headline, with any site name cut off.
    pub title: Option<String>,
    /// Publication date.
    pub date: Option<NaiveDate>,
    /// Last-modified date, when the page gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified: Option<NaiveDate>,
    /// Bylines, in page order.
    #[serde(default)]
    pub authors: Vec<String>,
    /// The publishing site's name (e.g. "Al Arabiya") or host.
    pub site: Option<String>,
    /// Canonical URL of the article.
    pub url: Option<String>,
    /// ISO 639-1 language code.
    pub language: Option<String>,
    /// The wire agency the story credits (Reuters, AP, AFP, TASS, …).
    pub wire: Option<String>,
    /// Main text: paragraphs joined by blank lines (`"\n\n"`).
    pub text: String,
}

impl Article {
    /// The paragraphs of the main text.
    pub fn paragraphs(&self) -> impl Iterator<Item = &str> {
        self.text.split("\n\n").filter(|p| !p.trim().is_empty())
    }
}
