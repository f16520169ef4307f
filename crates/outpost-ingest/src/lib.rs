//! Ingest: turns the paths a user names into a stream of raw documents.
//!
//! Sources understood here: single files (HTML pages, text dumps, plain text — their kind is
//! decided later, by extract, from the bytes), directories (walked recursively, in sorted
//! order, hidden entries skipped), JSONL corpora (one JSON object per line with `url`,
//! `date`, and `html` or `text`), and WARC archives (ISO 28500 1.0/1.1, the format of
//! Common Crawl's news crawl: `response` and `resource` records become documents). Any of
//! them may be gzip-compressed (`.gz`, `.warc.gz`, `.jsonl.gz`, one member or many).
//!
//! The format is decided by content first (gzip magic, then a `WARC/1.x` start or a JSONL
//! first line in the decompressed bytes), then by extension, so a misleading name does not
//! matter. Every record carries a stable source reference (`path`, `path:LINE` for a JSONL
//! record, `path@OFFSET` for a WARC record — for `.warc.gz` the offset of its gzip member)
//! so any event can be traced back to its bytes. A record that cannot be read is yielded as
//! [`Item::Skip`] with a reason; one bad record, corrupt gzip member or truncated file end
//! never stops the stream, and everything before the damage is still delivered.
//!
//! Input is streamed with memory that does not grow with the file: a 64 KiB read buffer (plus
//! up to 256 KiB kept behind the start of the current gzip member, to rescan it if it is
//! corrupt) and at most one record held, itself capped by [`IngestOptions::max_bytes`];
//! bigger records are read through and reported. The progress count given to the sink is in
//! file bytes (compressed bytes for gzip), so it adds up to the sizes [`list_files`] reports.
//!
//! This stage does not decode charsets, detect HTML or extract text: that is extract's job.
//! It does undo HTTP transfer and content encodings (chunked, gzip, deflate) of WARC
//! responses, since those belong to the archive, not to the page.

mod gz;
mod http;
mod input;
mod warc;

use std::fs::{self, File};
use std::io::Read;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use outpost_core::RawDoc;
use serde_json::Value;

use crate::gz::GzMembers;
use crate::input::{BUF_SIZE, Input, Plain, Source, read_line_capped};

pub use crate::warc::MAX_HEADER as MAX_WARC_HEADER;

/// Default cap on a single input record (16 MiB).
pub const DEFAULT_MAX_BYTES: u64 = 16 * 1024 * 1024;

/// Errors that stop ingest before any record is read.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// A path named by the user does not exist or cannot be read.
    #[error("{path}: {source}")]
    Path {
        /// The path.
        path: PathBuf,
        /// The underlying I/O error.
        source: std::io::Error,
    },
}

/// One thing the stream yields: a document, or a record that was skipped and why.
#[derive(Debug)]
pub enum Item {
    /// A raw document to extract.
    Doc(RawDoc),
    /// A record that could not be read.
    Skip {
        /// Source reference of the record (path or `path:line`).
        source: String,
        /// Why it was skipped.
        reason: String,
    },
}

/// How ingest finds and caps its input.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// Records larger than this are skipped with a reason.
    pub max_bytes: u64,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            max_bytes: DEFAULT_MAX_BYTES,
        }
    }
}

/// A file found under the user's paths, with its size (for progress reporting).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    /// The file's path.
    pub path: PathBuf,
    /// Its size in bytes.
    pub size: u64,
}

/// Lists the files under `paths` (directories recursively, sorted, hidden entries skipped).
///
/// Errors only when a named path does not exist; unreadable entries deeper down are listed
/// and reported when read.
pub fn list_files(paths: &[PathBuf]) -> Result<Vec<InputFile>, IngestError> {
    let mut out = Vec::new();
    for p in paths {
        let meta = fs::metadata(p).map_err(|source| IngestError::Path {
            path: p.clone(),
            source,
        })?;
        if meta.is_dir() {
            walk_dir(p, &mut out);
        } else {
            out.push(InputFile {
                path: p.clone(),
                size: meta.len(),
            });
        }
    }
    Ok(out)
}

fn walk_dir(dir: &Path, out: &mut Vec<InputFile>) {
    let Ok(rd) = fs::read_dir(dir) else {
        // An unreadable directory becomes a file entry so that reading it reports why.
        out.push(InputFile {
            path: dir.to_path_buf(),
            size: 0,
        });
        return;
    };
    let mut entries: Vec<PathBuf> = rd
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| !n.starts_with('.'))
        })
        .collect();
    entries.sort();
    for p in entries {
        match fs::metadata(&p) {
            Ok(m) if m.is_dir() => walk_dir(&p, out),
            Ok(m) => out.push(InputFile {
                path: p,
                size: m.len(),
            }),
            Err(_) => out.push(InputFile { path: p, size: 0 }),
        }
    }
}

/// The record format ingest found in an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// One document: the whole (decompressed) input.
    #[default]
    Single,
    /// JSON Lines: one record per line.
    Jsonl,
    /// WARC records.
    Warc,
}

/// What reading one input did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadStats {
    /// The format detected.
    pub format: Format,
    /// Whether the input was gzip-compressed.
    pub gzip: bool,
    /// Documents delivered ([`Item::Doc`]).
    pub docs: u64,
    /// Records reported as skipped ([`Item::Skip`]).
    pub skipped: u64,
    /// WARC records passed over silently: requests, metadata, warcinfo, revisits, conversions,
    /// non-HTTP responses.
    pub ignored: u64,
}

/// Reads one input file and calls `sink` for every record in it, in order.
///
/// The format is decided by content first (gzip magic, then a `WARC/1.x` start or a JSONL
/// first line, after decompression), then by extension (`.warc`, `.jsonl`, `.ndjson`, each
/// optionally followed by `.gz`); anything else is one document. `sink` also receives the
/// number of bytes of the file consumed so far (compressed bytes for gzip), for progress bars.
pub fn read_file(file: &Path, opts: &IngestOptions, sink: &mut dyn FnMut(Item, u64)) -> ReadStats {
    let source = file.display().to_string();
    let fail = |sink: &mut dyn FnMut(Item, u64), reason: String| {
        sink(
            Item::Skip {
                source: source.clone(),
                reason,
            },
            0,
        );
        ReadStats {
            skipped: 1,
            ..ReadStats::default()
        }
    };
    let f = match File::open(file) {
        Ok(f) => f,
        Err(e) => return fail(sink, format!("cannot open: {e}")),
    };
    let meta = f.metadata();
    if meta.as_ref().is_ok_and(|m| m.is_dir()) {
        return fail(sink, "cannot read directory".into());
    }
    let size = meta.map(|m| m.len()).ok();
    read_stream(&source, f, size, opts, sink)
}

/// Like [`read_file`], for any byte stream (stdin, a socket, an archive member). `name` is
/// used for detection by extension and as the source reference.
pub fn read_reader(
    name: &str,
    reader: impl Read,
    opts: &IngestOptions,
    sink: &mut dyn FnMut(Item, u64),
) -> ReadStats {
    read_stream(name, reader, None, opts, sink)
}

fn read_stream<R: Read>(
    name: &str,
    reader: R,
    size: Option<u64>,
    opts: &IngestOptions,
    sink: &mut dyn FnMut(Item, u64),
) -> ReadStats {
    let (mut docs, mut skipped) = (0u64, 0u64);
    let mut count = |item: Item, done: u64| {
        match &item {
            Item::Doc(_) => docs += 1,
            Item::Skip { .. } => skipped += 1,
        }
        sink(item, done);
    };
    let mut raw = Input::new(Plain(reader));
    let gzip = match raw.peek(2) {
        Ok(h) => h.starts_with(&[0x1f, 0x8b]),
        Err(e) => {
            count(
                Item::Skip {
                    source: name.to_owned(),
                    reason: format!("read error: {e}"),
                },
                0,
            );
            false
        }
    };
    let (format, ignored) = if gzip {
        let inner = strip_suffix_ci(name, ".gz").unwrap_or(name);
        let mut input = Input::new(GzMembers::new(raw));
        read_format(name, inner, &mut input, None, opts, &mut count)
    } else {
        read_format(name, name, &mut raw, size, opts, &mut count)
    };
    ReadStats {
        format,
        gzip,
        docs,
        skipped,
        ignored,
    }
}

/// Detects the format of a (decompressed) input and reads it; returns the format and the
/// number of ignored records.
fn read_format<S: Source>(
    name: &str,
    inner_name: &str,
    input: &mut Input<S>,
    size: Option<u64>,
    opts: &IngestOptions,
    sink: &mut dyn FnMut(Item, u64),
) -> (Format, u64) {
    // A gzip member that fails before any byte is reported; detection looks at what follows.
    while let Err(e) = input.peek(BUF_SIZE) {
        sink(
            Item::Skip {
                source: name.to_owned(),
                reason: format!("read error: {e}"),
            },
            input.progress(),
        );
    }
    let head = input.peek(BUF_SIZE).unwrap_or(&[]);
    let ext = extension(inner_name);
    let format = if warc::is_warc_start(head) {
        Format::Warc
    } else if looks_like_jsonl(head) {
        Format::Jsonl
    } else if ext == "warc" {
        Format::Warc
    } else if ext == "jsonl" || ext == "ndjson" {
        Format::Jsonl
    } else {
        Format::Single
    };
    match format {
        Format::Warc => return (format, warc::read_warc(name, input, opts, sink)),
        Format::Jsonl => read_jsonl(name, input, opts, sink),
        Format::Single => read_single(name, input, size, opts, sink),
    }
    (format, 0)
}

/// `s` without a case-insensitive ASCII `suffix`.
fn strip_suffix_ci<'a>(s: &'a str, suffix: &str) -> Option<&'a str> {
    let cut = s.len().checked_sub(suffix.len())?;
    let (head, tail) = (s.get(..cut)?, s.get(cut..)?);
    tail.eq_ignore_ascii_case(suffix).then_some(head)
}

/// The lower-cased extension of the last path component of `name`.
fn extension(name: &str) -> String {
    Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// Content sniffing: the first line is a JSON object with `html` or `text`.
fn looks_like_jsonl(head: &[u8]) -> bool {
    let Some(s) = head.iter().position(|b| !b.is_ascii_whitespace()) else {
        return false;
    };
    if head[s] != b'{' {
        return false;
    }
    let line_end = head[s..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(head.len(), |e| s + e);
    match serde_json::from_slice::<Value>(&head[s..line_end]) {
        Ok(Value::Object(m)) => m.contains_key("html") || m.contains_key("text"),
        _ => false,
    }
}

/// The whole input as one document, within the size cap.
fn read_single<S: Source>(
    name: &str,
    input: &mut Input<S>,
    size: Option<u64>,
    opts: &IngestOptions,
    sink: &mut dyn FnMut(Item, u64),
) {
    let skip = |reason: String| Item::Skip {
        source: name.to_owned(),
        reason,
    };
    if let Some(size) = size.filter(|&s| s > opts.max_bytes) {
        let reason = format!(
            "too large: {size} bytes, over the {} byte cap",
            opts.max_bytes
        );
        sink(skip(reason), size);
        return;
    }
    let hint = size.unwrap_or(BUF_SIZE as u64).min(opts.max_bytes);
    let mut bytes = Vec::with_capacity(usize::try_from(hint).unwrap_or(0));
    let res = (&mut *input)
        .take(opts.max_bytes + 1)
        .read_to_end(&mut bytes);
    let item = match res {
        Ok(_) if bytes.len() as u64 > opts.max_bytes => {
            skip(format!("too large: over the {} byte cap", opts.max_bytes))
        }
        Ok(_) => Item::Doc(RawDoc::new(name, bytes)),
        Err(e) => skip(format!("read error: {e}")),
    };
    sink(item, input.progress());
}

fn read_jsonl<S: Source>(
    name: &str,
    input: &mut Input<S>,
    opts: &IngestOptions,
    sink: &mut dyn FnMut(Item, u64),
) {
    let mut line = Vec::new();
    let mut lineno = 0usize;
    loop {
        line.clear();
        let at = input.pos();
        input.source_mut().forget_before(at);
        // Read at most max_bytes+1 of a line so one gigantic line cannot exhaust memory.
        let res = read_line_capped(input, &mut line, opts.max_bytes);
        let n = match res {
            Ok(n) => n,
            Err(e) => {
                // Reported at the line it broke; reading goes on where the source can.
                lineno += 1;
                sink(
                    Item::Skip {
                        source: format!("{name}:{lineno}"),
                        reason: format!("read error: {e}"),
                    },
                    input.progress(),
                );
                continue;
            }
        };
        if n.bytes == 0 {
            break;
        }
        lineno += 1;
        let source = format!("{name}:{lineno}");
        if n.truncated {
            sink(
                Item::Skip {
                    source,
                    reason: format!("too large: record over the {} byte cap", opts.max_bytes),
                },
                input.progress(),
            );
            continue;
        }
        if line.iter().all(|b| b.is_ascii_whitespace()) {
            continue;
        }
        match parse_record(&line, &source) {
            Ok(doc) => sink(Item::Doc(doc), input.progress()),
            Err(reason) => sink(Item::Skip { source, reason }, input.progress()),
        }
    }
}

/// Parses one JSONL record into a raw document. The error is a human-readable reason.
pub fn parse_record(line: &[u8], source: &str) -> Result<RawDoc, String> {
    let v: Value = serde_json::from_slice(line).map_err(|e| format!("not JSON: {e}"))?;
    let Value::Object(m) = v else {
        return Err("not a JSON object".into());
    };
    let str_field = |k: &str| m.get(k).and_then(Value::as_str).map(str::to_owned);
    let (bytes, content_type) = if let Some(h) = str_field("html") {
        (h.into_bytes(), Some("text/html; charset=utf-8".to_owned()))
    } else if let Some(t) = str_field("text") {
        (t.into_bytes(), Some("text/plain; charset=utf-8".to_owned()))
    } else {
        return Err("record has neither \"html\" nor \"text\"".into());
    };
    let date = match str_field("date") {
        Some(d) => Some(parse_date(&d).ok_or_else(|| format!("bad \"date\": {d:?}"))?),
        None => None,
    };
    let url = str_field("url");
    Ok(RawDoc {
        source: url
            .as_ref()
            .map_or_else(|| source.to_owned(), |u| format!("{source} {u}")),
        url,
        date,
        content_type,
        bytes,
    })
}

/// Parses `YYYY-MM-DD`, optionally followed by a time (`2021-07-24T10:00:00Z`).
fn parse_date(s: &str) -> Option<NaiveDate> {
    let head = s.trim().get(..10)?;
    NaiveDate::parse_from_str(head, "%Y-%m-%d").ok()
}

/// Convenience: every item under `paths`, collected (for tests and small inputs).
pub fn read_all(paths: &[PathBuf], opts: &IngestOptions) -> Result<Vec<Item>, IngestError> {
    let mut items = Vec::new();
    for f in list_files(paths)? {
        read_file(&f.path, opts, &mut |item, _| items.push(item));
    }
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn docs(items: &[Item]) -> Vec<&RawDoc> {
        items
            .iter()
            .filter_map(|i| match i {
                Item::Doc(d) => Some(d),
                Item::Skip { .. } => None,
            })
            .collect()
    }

    fn skips(items: &[Item]) -> Vec<(&str, &str)> {
        items
            .iter()
            .filter_map(|i| match i {
                Item::Skip { source, reason } => Some((source.as_str(), reason.as_str())),
                Item::Doc(_) => None,
            })
            .collect()
    }

    #[test]
    fn walks_directories_sorted_and_skips_hidden() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("sub")).unwrap();
        fs::write(dir.path().join("b.html"), "<p>b</p>").unwrap();
        fs::write(dir.path().join("sub/a.txt"), "a").unwrap();
        fs::write(dir.path().join(".hidden"), "x").unwrap();
        let files = list_files(&[dir.path().to_path_buf()]).unwrap();
        let names: Vec<_> = files
            .iter()
            .map(|f| {
                f.path
                    .strip_prefix(dir.path())
                    .unwrap()
                    .display()
                    .to_string()
            })
            .collect();
        assert_eq!(names, vec!["b.html", "sub/a.txt"]);
    }

    #[test]
    fn missing_path_is_an_error() {
        let err = list_files(&[PathBuf::from("/no/such/outpost/path")]).unwrap_err();
        assert!(err.to_string().contains("/no/such/outpost/path"));
    }

    #[test]
    fn jsonl_records_get_line_references_and_bad_lines_are_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("corpus.jsonl");
        let mut f = File::create(&p).unwrap();
        writeln!(
            f,
            r#"{{"url":"https://ex.org/a","date":"2026-03-02","html":"<p>Hi</p>"}}"#
        )
        .unwrap();
        writeln!(f, "this is not json").unwrap();
        writeln!(f).unwrap();
        writeln!(f, r#"{{"url":"https://ex.org/b","text":"Plain words."}}"#).unwrap();
        writeln!(f, r#"{{"url":"https://ex.org/c"}}"#).unwrap();
        writeln!(f, r#"{{"text":"x","date":"March 2"}}"#).unwrap();
        drop(f);
        let items = read_all(std::slice::from_ref(&p), &IngestOptions::default()).unwrap();
        let d = docs(&items);
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].url.as_deref(), Some("https://ex.org/a"));
        assert_eq!(d[0].date, NaiveDate::from_ymd_opt(2026, 3, 2));
        assert!(d[0].source.ends_with("corpus.jsonl:1 https://ex.org/a"));
        assert_eq!(d[1].bytes, b"Plain words.");
        let s = skips(&items);
        assert_eq!(s.len(), 3);
        assert!(s[0].0.ends_with(":2") && s[0].1.starts_with("not JSON"));
        assert!(s[1].0.ends_with(":5") && s[1].1.contains("neither"));
        assert!(s[2].0.ends_with(":6") && s[2].1.contains("bad \"date\""));
    }

    #[test]
    fn jsonl_is_recognised_by_content() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("corpus.data");
        fs::write(&p, "{\"text\":\"One.\"}\n{\"text\":\"Two.\"}\n").unwrap();
        let items = read_all(&[p], &IngestOptions::default()).unwrap();
        assert_eq!(docs(&items).len(), 2);
    }

    #[test]
    fn oversized_files_and_lines_are_skipped_with_reason() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big.html");
        fs::write(&big, vec![b'a'; 2000]).unwrap();
        let jl = dir.path().join("c.jsonl");
        let long = "y".repeat(3000);
        fs::write(
            &jl,
            format!("{{\"text\":\"{long}\"}}\n{{\"text\":\"ok\"}}\n"),
        )
        .unwrap();
        let opts = IngestOptions { max_bytes: 1000 };
        let items = read_all(&[big, jl], &opts).unwrap();
        let s = skips(&items);
        assert_eq!(s.len(), 2, "{s:?}");
        assert!(s.iter().all(|(_, r)| r.starts_with("too large")));
        assert_eq!(docs(&items).len(), 1);
    }

    #[test]
    fn progress_reaches_file_size() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("c.jsonl");
        let body = "{\"text\":\"a\"}\n{\"text\":\"b\"}\n";
        fs::write(&p, body).unwrap();
        let mut last = 0;
        read_file(&p, &IngestOptions::default(), &mut |_, done| last = done);
        assert_eq!(last, body.len() as u64);
    }
}
