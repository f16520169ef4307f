//! The extract stage: turns a [`RawDoc`] (raw bytes as ingest found them) into an
//! [`Article`] — main text without page furniture, plus metadata.
//!
//! What it does:
//! - decides the kind of document from its bytes, not its file name ([`detect_kind`]):
//!   HTML, a plain-text page dump with a `date YYYY-MM-DD` header line, or plain text;
//!   empty, binary and oversized inputs are rejected with an [`ExtractError`];
//! - decodes any charset (BOM, declared content type, `<meta charset>`, UTF-8, detection);
//! - HTML: parses with a light, tolerant parser of its own (a flat event list, no
//!   reference-counted DOM; linear in the input), picks the main content container with a
//!   readability-style score, drops navigation, "Read more"/"Related" blocks, captions,
//!   share buttons and cookie notices, and reads title, dates, authors, site, canonical URL, language and wire agency;
//! - text dumps: the same care line by line (repeated lines, link lists, section labels,
//!   captions), with the body being the longest coherent run of prose;
//! - plain text: blank-line separated paragraphs, an optional title line.
//!
//! [`mod@bench`] runs the extractor over a directory of pages with known bodies and reports
//! the ScrapingHub shingle F1 (the same numbers as the benchmark's `eval.py`), pages/s and
//! MB/s; `benches/extract.rs` is the throughput benchmark.
//!
//! What it does not do: fetch anything, split sentences or annotate (that is the annotate
//! stage), or deduplicate articles beyond giving each a content fingerprint id.

#![warn(missing_docs)]

pub mod bench;
mod charset;
mod dates;
mod dom;
mod dump;
mod html;
mod lang;
mod text;
mod wire;

pub use charset::{CharsetSource, decode};
pub use wire::{DEFAULT_WIRES, WireList, WireListError};

use outpost_core::{Article, RawDoc};
use std::sync::Arc;

/// What kind of document a byte string is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocKind {
    /// An HTML page (markup near the start).
    Html,
    /// A plain-text page dump whose first non-empty line is `date YYYY-MM-DD`.
    TextDump,
    /// Any other text.
    PlainText,
    /// Not text (NUL bytes, control bytes, or a known binary format's magic number).
    Binary,
    /// No bytes or only whitespace.
    Empty,
}

/// Why a document was skipped. The `Display` text is meant to follow "skipped: ".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExtractError {
    /// The document has no content (or only whitespace).
    #[error("empty document")]
    Empty,
    /// The document is not text.
    #[error("binary content ({what})")]
    Binary {
        /// What the bytes look like (e.g. "PDF", "NUL bytes").
        what: String,
    },
    /// The document is bigger than the configured cap.
    #[error("document too large ({size} bytes, cap {cap})")]
    TooLarge {
        /// Size in bytes.
        size: usize,
        /// The cap in bytes.
        cap: usize,
    },
    /// No article text was found (the page is all furniture, or markup without text).
    #[error("no article text found")]
    NoText,
}

/// Extraction options and shared data (the wire-agency list).
#[derive(Debug, Clone)]
pub struct Extractor {
    max_bytes: usize,
    wires: Option<Arc<WireList>>,
}

impl Default for Extractor {
    fn default() -> Self {
        Self::new()
    }
}

/// Everything a kind-specific extractor finds; turned into an [`Article`] at the end.
#[derive(Debug, Default, Clone)]
pub(crate) struct Draft {
    pub title: Option<String>,
    pub date: Option<chrono::NaiveDate>,
    pub modified: Option<chrono::NaiveDate>,
    pub authors: Vec<String>,
    pub site: Option<String>,
    pub url: Option<String>,
    pub lang_hint: Option<String>,
    pub wire: Option<String>,
    pub paragraphs: Vec<String>,
}

impl Extractor {
    /// An extractor with default options: `max_bytes` = 16 MiB, the built-in wire list.
    pub fn new() -> Self {
        Extractor {
            max_bytes: 16 * 1024 * 1024,
            wires: None,
        }
    }

    /// Reject documents bigger than `n` bytes with [`ExtractError::TooLarge`].
    pub fn with_max_bytes(mut self, n: usize) -> Self {
        self.max_bytes = n;
        self
    }

    /// Use `wires` instead of the built-in agency list (`data/wires.txt`).
    pub fn with_wires(mut self, wires: WireList) -> Self {
        self.wires = Some(Arc::new(wires));
        self
    }

    fn wires(&self) -> &WireList {
        self.wires.as_deref().unwrap_or(&wire::DEFAULT)
    }

    /// Extract the article in `doc`.
    pub fn extract(&self, doc: &RawDoc) -> Result<Article, ExtractError> {
        let size = doc.bytes.len();
        if size > self.max_bytes {
            return Err(ExtractError::TooLarge {
                size,
                cap: self.max_bytes,
            });
        }
        let kind = detect_kind(&doc.bytes);
        if let DocKind::Empty = kind {
            return Err(ExtractError::Empty);
        }
        if let DocKind::Binary = kind {
            return Err(ExtractError::Binary {
                what: binary_what(&doc.bytes).to_string(),
            });
        }
        let (text, _) = charset::decode(&doc.bytes, doc.content_type.as_deref());
        let wires = self.wires();
        let mut draft = match kind {
            DocKind::Html => html::extract(&text, doc.url.as_deref(), wires),
            DocKind::TextDump => dump::extract_dump(&text, wires),
            _ => dump::extract_plain(&text, wires),
        };
        draft.paragraphs.retain(|p| !p.trim().is_empty());
        if draft.paragraphs.is_empty() {
            return Err(ExtractError::NoText);
        }
        let text = draft.paragraphs.join("\n\n");
        if draft.date.is_none() {
            draft.date = doc.date;
        }
        if draft.url.is_none() {
            draft.url = doc.url.clone();
        }
        if draft.date.is_none() {
            draft.date = draft.url.as_deref().and_then(dates::from_url);
        }
        if draft.site.is_none() {
            draft.site = draft.url.as_deref().and_then(host_of);
        }
        let language = lang::detect(&text, draft.lang_hint.as_deref());
        Ok(Article {
            id: outpost_core::id::text_fingerprint(&text),
            source: doc.source.clone(),
            title: draft.title.filter(|t| !t.is_empty()),
            date: draft.date,
            modified: draft.modified,
            authors: draft.authors,
            site: draft.site,
            url: draft.url,
            language,
            wire: draft.wire,
            text,
        })
    }
}

/// The host of a URL without `www.` (`https://www.example.com/a` → `example.com`).
pub(crate) fn host_of(url: &str) -> Option<String> {
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit('@').next()?.split(':').next()?;
    let host = host.strip_prefix("www.").unwrap_or(host);
    if host.contains('.') && !host.contains(' ') {
        Some(host.to_ascii_lowercase())
    } else {
        None
    }
}

const MAGIC: &[(&[u8], &str)] = &[
    (b"%PDF", "PDF"),
    (b"\x89PNG", "PNG"),
    (b"PK\x03\x04", "ZIP"),
    (b"\x1f\x8b", "GZIP"),
    (b"GIF8", "GIF"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"RIFF", "RIFF"),
    (b"\x7fELF", "ELF"),
    (b"OggS", "Ogg"),
    (b"ID3", "MP3"),
    (b"BZh", "BZIP2"),
    (b"\xfd7zXZ\x00", "XZ"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip"),
    (b"\x28\xb5\x2f\xfd", "Zstandard"),
    (b"\xd0\xcf\x11\xe0", "OLE (Office)"),
    (b"wOFF", "WOFF"),
    (b"\x00\x00\x01\x00", "ICO"),
];

fn has_utf16_bom(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF])
}

/// A short description of why `bytes` look binary.
fn binary_what(bytes: &[u8]) -> &'static str {
    for (magic, name) in MAGIC {
        if bytes.starts_with(magic) {
            return name;
        }
    }
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        "NUL bytes"
    } else {
        "control bytes"
    }
}

fn looks_binary(bytes: &[u8]) -> bool {
    if MAGIC.iter().any(|(m, _)| bytes.starts_with(m)) {
        return true;
    }
    if has_utf16_bom(bytes) || charset::utf16_without_bom(bytes).is_some() {
        return false;
    }
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return true;
    }
    let control = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b))
        .count();
    control * 10 > head.len()
}

/// Decide what kind of document `bytes` hold, from their content alone.
pub fn detect_kind(bytes: &[u8]) -> DocKind {
    if bytes.is_empty() {
        return DocKind::Empty;
    }
    if looks_binary(bytes) {
        return DocKind::Binary;
    }
    // Decode a prefix: enough for markup or the date line.
    let mut n = bytes.len().min(4096);
    if has_utf16_bom(bytes) || charset::utf16_without_bom(bytes).is_some() {
        n -= n % 2;
    }
    let (head, _) = charset::decode(&bytes[..n], None);
    let head = head.trim_start_matches(['\u{feff}', '\u{200b}']);
    if head.trim().is_empty() {
        if bytes.len() <= n {
            return DocKind::Empty;
        }
        let (all, _) = charset::decode(bytes, None);
        if all.trim().is_empty() {
            return DocKind::Empty;
        }
    }
    if let Some(first) = head.lines().map(str::trim).find(|l| !l.is_empty())
        && dump::date_line(first).is_some()
    {
        return DocKind::TextDump;
    }
    if html::looks_like_html(head) {
        return DocKind::Html;
    }
    DocKind::PlainText
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds() {
        assert_eq!(detect_kind(b""), DocKind::Empty);
        assert_eq!(detect_kind(b"  \n\t \r\n"), DocKind::Empty);
        assert_eq!(detect_kind(b"%PDF-1.7\n..."), DocKind::Binary);
        assert_eq!(detect_kind(b"\x89PNG\r\n\x1a\n\0\0"), DocKind::Binary);
        assert_eq!(detect_kind(b"\x1f\x8b\x08\0"), DocKind::Binary);
        assert_eq!(detect_kind(b"PK\x03\x04abc"), DocKind::Binary);
        assert_eq!(detect_kind(b"abc\0def"), DocKind::Binary);
        assert_eq!(detect_kind(b"\x01\x02\x03\x04\x05\x06abc"), DocKind::Binary);
        assert_eq!(detect_kind(b"<!DOCTYPE html><html><body>x"), DocKind::Html);
        assert_eq!(
            detect_kind(b"\n\n  <div class=a><p>Hello</p>"),
            DocKind::Html
        );
        assert_eq!(detect_kind(b"<p>Hello"), DocKind::Html);
        assert_eq!(detect_kind(b"date 2021-07-24\nTitle\n"), DocKind::TextDump);
        assert_eq!(
            detect_kind(b"\n  date 2021-07-24 .\n.\nTitle\n"),
            DocKind::TextDump
        );
        assert_eq!(detect_kind(b"Date: 2021-07-24\nTitle\n"), DocKind::TextDump);
        assert_eq!(
            detect_kind(b"Just some text.\nMore text."),
            DocKind::PlainText
        );
        assert_eq!(detect_kind(b"dated 2021 notes"), DocKind::PlainText);
    }

    #[test]
    fn utf16_with_bom_is_text() {
        let mut b = vec![0xFF, 0xFE];
        for u in "date 2022-01-02\nHello there.".encode_utf16() {
            b.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(detect_kind(&b), DocKind::TextDump);
    }

    #[test]
    fn utf16_without_bom_is_text() {
        let mut b = Vec::new();
        for u in "<html><body><p>Hello there.</p>".encode_utf16() {
            b.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(detect_kind(&b), DocKind::Html);
    }

    #[test]
    fn hosts() {
        assert_eq!(
            host_of("https://www.example.com/a/b").as_deref(),
            Some("example.com")
        );
        assert_eq!(
            host_of("http://user@news.example.org:8080/").as_deref(),
            Some("news.example.org")
        );
        assert_eq!(host_of("not a url"), None);
    }
}
