//! WARC files (ISO 28500, versions 1.0 and 1.1), plain or gzipped per record, read one record
//! at a time.
//!
//! Kept: `response` records carrying HTTP (the body of a 2xx text response becomes a
//! document; see [`crate::http`]) and `resource` records (the block is the document).
//! Ignored silently: `request`, `metadata`, `warcinfo`, `revisit`, `conversion`,
//! `continuation`, unknown types, and responses that are not HTTP (e.g. DNS).
//!
//! Memory stays bounded whatever the file size: the header of a record is capped at
//! [`MAX_HEADER`] bytes, a block is held only when it is a wanted record within
//! `max_bytes`, and bigger blocks are read through and dropped. A record that cannot be read
//! (bad header, wrong `Content-Length`, garbage, corrupt gzip) is reported with its
//! `path@OFFSET`, and reading resumes at the next `WARC/1.x` version line.

use std::io::{self, BufRead, Read};

use chrono::NaiveDate;
use outpost_core::RawDoc;

use crate::http::{self, find};
use crate::input::{Input, Source, read_line_capped};
use crate::{IngestOptions, Item};

/// Cap on the header block of one record.
pub const MAX_HEADER: u64 = 256 * 1024;

/// Whether `head` (the first bytes of a stream) is the start of a WARC record.
pub(crate) fn is_warc_start(head: &[u8]) -> bool {
    head.starts_with(b"WARC/1.0") || head.starts_with(b"WARC/1.1")
}

/// The named fields of a record header that ingest uses.
struct Header {
    warc_type: String,
    length: u64,
    uri: Option<String>,
    date: Option<NaiveDate>,
    content_type: Option<String>,
}

/// Why a record could not be read.
enum Fault {
    Io(io::Error),
    Bad(String),
}

impl Fault {
    fn reason(self) -> String {
        match self {
            Fault::Io(e) => format!("read error: {e}"),
            Fault::Bad(s) => s,
        }
    }
}

/// Streams the records of a WARC input to `sink`; returns how many records were ignored.
pub(crate) fn read_warc<S: Source>(
    name: &str,
    input: &mut Input<S>,
    opts: &IngestOptions,
    sink: &mut dyn FnMut(Item, u64),
) -> u64 {
    let mut ignored = 0u64;
    // Every item goes out through here. A skip is held back until something else comes, so
    // that several faults found at the same record (a garbled block, then the checksum error
    // of its gzip member) make one report.
    let mut held: Option<(String, String)> = None;
    let mut out = |input: &Input<S>, source: &str, item: Out| {
        let progress = input.progress();
        let mut flush = |held: &mut Option<(String, String)>| {
            if let Some((source, reason)) = held.take() {
                sink(Item::Skip { source, reason }, progress);
            }
        };
        match item {
            Out::Skip(reason) => match &mut held {
                Some((s, r)) if s == source => {
                    r.push_str("; ");
                    r.push_str(&reason);
                }
                _ => {
                    flush(&mut held);
                    held = Some((source.to_owned(), reason));
                }
            },
            Out::Doc(doc) => {
                flush(&mut held);
                sink(Item::Doc(doc), progress);
            }
            Out::Flush => flush(&mut held),
        }
    };
    loop {
        match skip_blank(input) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let src = format!("{name}@{}", input.raw_offset());
                out(input, &src, Out::Skip(format!("read error: {e}")));
                continue;
            }
        }
        let start = input.pos();
        input.source_mut().forget_before(start);
        let src = format!("{name}@{}", input.raw_offset());
        let head = match read_header(input) {
            Ok(h) => h,
            Err(f) => {
                out(input, &src, Out::Skip(f.reason()));
                if let Err(e) = resync(input, start) {
                    let at = format!("{name}@{}", input.raw_offset());
                    out(input, &at, Out::Skip(format!("read error: {e}")));
                }
                continue;
            }
        };
        let len = head.length;
        let http = head
            .content_type
            .as_deref()
            .is_none_or(|ct| http::mime(ct).starts_with("application/http"));
        let wanted = match head.warc_type.as_str() {
            "response" => http,
            "resource" => true,
            // request, metadata, warcinfo, revisit, conversion, continuation, unknown.
            _ => false,
        };
        let keep = wanted && len <= opts.max_bytes;
        let mut block = Vec::new();
        let got = if keep {
            block.reserve(usize::try_from(len.min(1 << 20)).unwrap_or(0));
            (&mut *input)
                .take(len)
                .read_to_end(&mut block)
                .map(|n| n as u64)
        } else {
            input.skip(len)
        };
        let got = match got {
            Ok(n) => n,
            Err(e) => {
                out(input, &src, Out::Skip(format!("read error: {e}")));
                if let Err(e) = resync(input, start) {
                    let at = format!("{name}@{}", input.raw_offset());
                    out(input, &at, Out::Skip(format!("read error: {e}")));
                }
                continue;
            }
        };
        if got < len {
            let reason = format!(
                "truncated record: Content-Length {len} but the input ends after {got} bytes"
            );
            out(input, &src, Out::Skip(reason));
            continue;
        }
        match check_trailer(input) {
            Ok(true) => {}
            Ok(false) => {
                // The block does not end where Content-Length says. When the next record
                // starts inside the block, go back to it; otherwise scan forward.
                let next = find(&block, b"\r\n\r\nWARC/1.")
                    .map(|k| k + 4)
                    .or_else(|| find(&block, b"\n\nWARC/1.").map(|k| k + 2));
                let reason = format!(
                    "corrupt record: no record end after Content-Length {len} (wrong length or garbage)"
                );
                out(input, &src, Out::Skip(reason));
                match next {
                    Some(k) => input.unread(&block[k..]),
                    None => {
                        if let Err(e) = resync(input, start) {
                            let at = format!("{name}@{}", input.raw_offset());
                            out(input, &at, Out::Skip(format!("read error: {e}")));
                        }
                    }
                }
                continue;
            }
            Err(e) => {
                out(input, &src, Out::Skip(format!("read error: {e}")));
                continue;
            }
        }
        if !wanted {
            ignored += 1;
            continue;
        }
        if !keep {
            let cap = opts.max_bytes;
            let reason = format!("too large: {len}-byte record over the {cap} byte cap");
            out(input, &src, Out::Skip(reason));
            continue;
        }
        let body = if head.warc_type == "response" {
            http::parse_response(block, opts.max_bytes).map(|b| (b.content_type, b.bytes))
        } else {
            match head.content_type {
                Some(ct) if !http::is_text_type(&ct) => {
                    Err(format!("not a text document: {}", http::mime(&ct)))
                }
                _ if block.iter().all(u8::is_ascii_whitespace) => Err("empty record".into()),
                ct => Ok((ct, block)),
            }
        };
        match body {
            Ok((content_type, bytes)) => {
                let doc = RawDoc {
                    source: src,
                    url: head.uri,
                    date: head.date,
                    content_type,
                    bytes,
                };
                out(input, "", Out::Doc(doc));
            }
            Err(reason) => out(input, &src, Out::Skip(reason)),
        }
    }
    out(input, "", Out::Flush);
    ignored
}

/// What [`read_warc`] hands on.
enum Out {
    Doc(RawDoc),
    Skip(String),
    Flush,
}

/// Skips blank lines between records; `false` at the end of the input.
fn skip_blank<S: Source>(input: &mut Input<S>) -> io::Result<bool> {
    loop {
        let h = input.peek(1)?;
        if h.is_empty() {
            return Ok(false);
        }
        let n = h.iter().take_while(|b| matches!(b, b'\r' | b'\n')).count();
        if n == 0 {
            return Ok(true);
        }
        input.consume(n);
    }
}

/// Reads a record header up to and including its blank line.
fn read_header<S: Source>(input: &mut Input<S>) -> Result<Header, Fault> {
    let head = input.peek(16).map_err(Fault::Io)?;
    if !head.starts_with(b"WARC/1.") {
        let shown: String = String::from_utf8_lossy(head).chars().take(24).collect();
        return Err(Fault::Bad(format!(
            "not a WARC record: unexpected bytes {shown:?}"
        )));
    }
    let mut used = 0u64;
    let mut line = Vec::new();
    let mut first = true;
    let mut fields: Vec<(String, String)> = Vec::new();
    loop {
        line.clear();
        let r = read_line_capped(input, &mut line, MAX_HEADER - used).map_err(Fault::Io)?;
        if r.truncated {
            return Err(Fault::Bad(format!("record header over {MAX_HEADER} bytes")));
        }
        if r.bytes == 0 || !line.ends_with(b"\n") {
            return Err(Fault::Bad("truncated record header".into()));
        }
        used += r.bytes;
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if first {
            first = false;
            continue;
        }
        if text.is_empty() {
            break;
        }
        if text.starts_with([' ', '\t']) {
            match fields.last_mut() {
                Some(last) => {
                    last.1.push(' ');
                    last.1.push_str(text.trim());
                }
                None => return Err(Fault::Bad("bad record header: continuation first".into())),
            }
            continue;
        }
        let Some((k, v)) = text.split_once(':') else {
            let shown: String = text.chars().take(40).collect();
            return Err(Fault::Bad(format!("bad record header line {shown:?}")));
        };
        fields.push((k.trim().to_ascii_lowercase(), v.trim().to_owned()));
    }
    let get = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let warc_type = get("warc-type")
        .ok_or_else(|| Fault::Bad("record header without WARC-Type".into()))?
        .to_ascii_lowercase();
    let length = match get("content-length") {
        Some(v) => v
            .parse::<u64>()
            .map_err(|_| Fault::Bad(format!("bad Content-Length {v:?}")))?,
        None => return Err(Fault::Bad("record header without Content-Length".into())),
    };
    let uri = get("warc-target-uri")
        .map(|u| u.trim_start_matches('<').trim_end_matches('>').to_owned())
        .filter(|u| !u.is_empty());
    let date = get("warc-date")
        .and_then(|d| d.get(..10))
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
    let content_type = get("content-type").map(str::to_owned);
    Ok(Header {
        warc_type,
        length,
        uri,
        date,
        content_type,
    })
}

/// Consumes the blank lines that end a record. `false` (nothing consumed) when the bytes
/// after the block are not a record end.
fn check_trailer<S: Source>(input: &mut Input<S>) -> io::Result<bool> {
    let h = input.peek(16)?;
    if h.is_empty() {
        return Ok(true);
    }
    let n = h
        .iter()
        .take(4)
        .take_while(|b| matches!(b, b'\r' | b'\n'))
        .count();
    let newlines = h[..n].iter().filter(|&&b| b == b'\n').count();
    let rest = &h[n..];
    let ok = n > 0 && (newlines >= 2 || rest.is_empty() || rest.starts_with(b"WARC/1."));
    if ok {
        input.consume(n);
    }
    Ok(ok)
}

/// Moves to the next `WARC/1.x` version line after `start` (or to the end of the input).
fn resync<S: Source>(input: &mut Input<S>, start: u64) -> io::Result<()> {
    if input.pos() == start {
        input.skip(1)?;
    }
    loop {
        let h = input.peek(16)?;
        let len = h.len();
        if len == 0 {
            return Ok(());
        }
        let hit = h.windows(9).position(|w| {
            w.starts_with(b"WARC/1.") && w[7].is_ascii_digit() && matches!(w[8], b'\r' | b'\n')
        });
        if let Some(i) = hit {
            input.consume(i);
            return Ok(());
        }
        if len < 16 {
            // The end of the input: nothing more to find.
            input.consume(len);
            return Ok(());
        }
        input.consume(len - 8);
    }
}

#[cfg(test)]
mod tests {
    use crate::http::find;
    use crate::{Format, IngestOptions, Item, ReadStats, read_file, read_reader};
    use chrono::NaiveDate;
    use flate2::Compression;
    use flate2::write::GzEncoder;
    use outpost_core::RawDoc;
    use std::io::Write;

    const HARBOUR: &str = "<html><head><title>Dockers walk out in Port Elin</title></head><body>\
        <p>Harbour workers in Port Elin began a two-day strike on Monday over unpaid overtime, \
        leaving eleven cargo ships waiting offshore.</p></body></html>";
    const BRIDGE: &str = "<html><body><h1>Bridge reopens at Nalvik</h1><p>The Nalvik river \
        bridge reopened to traffic after a barge struck one of its piers last week, the \
        regional roads office said.</p></body></html>";
    const COUNCIL: &str = "Council of Tresca votes to close the old quarry\n\nThe town council \
        of Tresca voted seven to two on Thursday to close the limestone quarry by spring.";
    const FESTIVAL: &str = "<html><body><p>Organisers of the Ossery lantern festival cancelled \
        the closing parade because of high winds.</p></body></html>";

    fn record(kind: &str, uri: &str, ctype: &str, block: &[u8]) -> Vec<u8> {
        let mut v = format!(
            "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{kind}-{}>\r\n\
             WARC-Target-URI: {uri}\r\nWARC-Date: 2026-04-17T08:30:00Z\r\n\
             Content-Type: {ctype}\r\nContent-Length: {}\r\n\r\n",
            uri.len(),
            block.len()
        )
        .into_bytes();
        v.extend_from_slice(block);
        v.extend_from_slice(b"\r\n\r\n");
        v
    }

    fn http(status: &str, headers: &str, body: &[u8]) -> Vec<u8> {
        let mut v = format!("HTTP/1.1 {status}\r\n{headers}\r\n").into_bytes();
        v.extend_from_slice(body);
        v
    }

    fn response(uri: &str, status: &str, headers: &str, body: &[u8]) -> Vec<u8> {
        let block = http(status, headers, body);
        record(
            "response",
            uri,
            "application/http; msgtype=response",
            &block,
        )
    }

    fn gz(data: &[u8]) -> Vec<u8> {
        let mut e = GzEncoder::new(Vec::new(), Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    fn chunked(data: &[u8]) -> Vec<u8> {
        let mut v = Vec::new();
        for part in data.chunks(37) {
            v.extend_from_slice(format!("{:X}\r\n", part.len()).as_bytes());
            v.extend_from_slice(part);
            v.extend_from_slice(b"\r\n");
        }
        v.extend_from_slice(b"0\r\n\r\n");
        v
    }

    /// Concatenates parts, returning the bytes and the offset of each part.
    fn join(parts: &[Vec<u8>]) -> (Vec<u8>, Vec<u64>) {
        let mut out = Vec::new();
        let mut offsets = Vec::new();
        for p in parts {
            offsets.push(out.len() as u64);
            out.extend_from_slice(p);
        }
        (out, offsets)
    }

    fn run(name: &str, bytes: &[u8], max_bytes: u64) -> (Vec<Item>, Vec<u64>, ReadStats) {
        let mut items = Vec::new();
        let mut progress = Vec::new();
        let opts = IngestOptions { max_bytes };
        let stats = read_reader(name, bytes, &opts, &mut |item, done| {
            items.push(item);
            progress.push(done);
        });
        (items, progress, stats)
    }

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

    /// A crawl with every record type, as one gzip member per record.
    fn crawl() -> Vec<Vec<u8>> {
        vec![
            record(
                "warcinfo",
                "",
                "application/warc-fields",
                b"software: test-writer\r\n",
            ),
            record(
                "request",
                "https://news.example/port-elin",
                "application/http; msgtype=request",
                b"GET /port-elin HTTP/1.1\r\nHost: news.example\r\n\r\n",
            ),
            response(
                "https://news.example/port-elin",
                "200 OK",
                "Content-Type: text/html; charset=utf-8\r\nContent-Encoding: gzip\r\n\
                 Transfer-Encoding: chunked\r\n",
                &chunked(&gz(HARBOUR.as_bytes())),
            ),
            record(
                "metadata",
                "https://news.example/port-elin",
                "application/warc-fields",
                b"fetchTimeMs: 120\r\n",
            ),
            response(
                "https://news.example/gone",
                "404 Not Found",
                "Content-Type: text/html\r\n",
                b"<p>no</p>",
            ),
            response(
                "https://news.example/photo.jpg",
                "200 OK",
                "Content-Type: image/jpeg\r\n",
                b"\xff\xd8\xff\xe0\x00\x10JFIF",
            ),
            record(
                "resource",
                "file:///notes/tresca.txt",
                "text/plain",
                COUNCIL.as_bytes(),
            ),
            record(
                "revisit",
                "https://news.example/port-elin",
                "application/http; msgtype=response",
                b"HTTP/1.1 304 Not Modified\r\n\r\n",
            ),
            response(
                "https://news.example/huge",
                "200 OK",
                "Content-Type: text/html\r\n",
                &vec![b'x'; 6000],
            ),
            response(
                "https://news.example/nalvik",
                "200 OK",
                "Content-Type: text/html\r\n",
                BRIDGE.as_bytes(),
            ),
        ]
    }

    #[test]
    fn every_record_kind_in_a_gzipped_warc() {
        let members: Vec<Vec<u8>> = crawl().iter().map(|r| gz(r)).collect();
        let (file, offs) = join(&members);
        let (items, progress, stats) = run("crawl.warc.gz", &file, 4096);
        assert_eq!(stats.format, Format::Warc);
        assert!(stats.gzip);
        let d = docs(&items);
        assert_eq!(d.len(), 3, "{:?}", skips(&items));
        assert_eq!(d[0].bytes, HARBOUR.as_bytes());
        assert_eq!(d[0].url.as_deref(), Some("https://news.example/port-elin"));
        assert_eq!(d[0].date, NaiveDate::from_ymd_opt(2026, 4, 17));
        assert_eq!(
            d[0].content_type.as_deref(),
            Some("text/html; charset=utf-8")
        );
        assert_eq!(d[0].source, format!("crawl.warc.gz@{}", offs[2]));
        assert_eq!(d[1].bytes, COUNCIL.as_bytes());
        assert_eq!(d[1].content_type.as_deref(), Some("text/plain"));
        assert_eq!(d[1].source, format!("crawl.warc.gz@{}", offs[6]));
        assert_eq!(d[2].bytes, BRIDGE.as_bytes());
        assert_eq!(d[2].source, format!("crawl.warc.gz@{}", offs[9]));
        let s = skips(&items);
        assert_eq!(s.len(), 3, "{s:?}");
        assert_eq!(
            s[0],
            (
                format!("crawl.warc.gz@{}", offs[4]).as_str(),
                "HTTP status 404"
            )
        );
        assert_eq!(s[1].0, format!("crawl.warc.gz@{}", offs[5]));
        assert!(s[1].1.contains("image/jpeg"), "{s:?}");
        assert_eq!(s[2].0, format!("crawl.warc.gz@{}", offs[8]));
        assert!(s[2].1.starts_with("too large"), "{s:?}");
        assert_eq!(stats.ignored, 4);
        assert_eq!((stats.docs, stats.skipped), (3, 3));
        // Each offset names a gzip member that holds exactly that record.
        let mut member = flate2::read::GzDecoder::new(&file[offs[9] as usize..]);
        let mut text = String::new();
        std::io::Read::read_to_string(&mut member, &mut text).unwrap();
        assert!(text.starts_with("WARC/1.0") && text.contains("nalvik"));
        // Progress counts compressed bytes, never past the file and never backwards.
        assert!(progress.windows(2).all(|w| w[0] <= w[1]));
        assert!(progress.iter().all(|&p| p <= file.len() as u64));
        assert!(progress[0] >= offs[2] && *progress.last().unwrap() >= offs[9]);
    }

    #[test]
    fn the_same_crawl_uncompressed_gives_byte_offsets() {
        let (file, offs) = join(&crawl());
        let (items, progress, stats) = run("crawl.warc", &file, 4096);
        assert!(!stats.gzip);
        let d = docs(&items);
        assert_eq!(d.len(), 3);
        assert_eq!(d[1].source, format!("crawl.warc@{}", offs[6]));
        assert_eq!(stats.ignored, 4);
        assert_eq!(*progress.last().unwrap(), file.len() as u64);
    }

    #[test]
    fn corrupt_records_are_reported_and_reading_resyncs() {
        let good = |uri: &str, body: &str| {
            response(
                uri,
                "200 OK",
                "Content-Type: text/html\r\n",
                body.as_bytes(),
            )
        };
        let a = good("https://ex.org/a", HARBOUR);
        let garbage = b"%%%% stray bytes from a broken copy %%%%\r\nmore junk\r\n".to_vec();
        // Content-Length 10 bytes short.
        let mut short = good("https://ex.org/short", FESTIVAL);
        let pos = find(&short, b"Content-Length: ").unwrap();
        let end = pos + short[pos..].iter().position(|&b| b == b'\r').unwrap();
        let real: usize = std::str::from_utf8(&short[pos + 16..end])
            .unwrap()
            .parse()
            .unwrap();
        short.splice(pos + 16..end, (real - 10).to_string().into_bytes());
        let c = good("https://ex.org/c", BRIDGE);
        // Content-Length 30 bytes long: swallows the start of the next record.
        let mut long = good("https://ex.org/long", FESTIVAL);
        let pos = find(&long, b"Content-Length: ").unwrap();
        let end = pos + long[pos..].iter().position(|&b| b == b'\r').unwrap();
        let real: usize = std::str::from_utf8(&long[pos + 16..end])
            .unwrap()
            .parse()
            .unwrap();
        long.splice(pos + 16..end, (real + 30).to_string().into_bytes());
        let e = good("https://ex.org/e", HARBOUR);
        let mut no_len = good("https://ex.org/nolen", FESTIVAL);
        let pos = find(&no_len, b"Content-Length").unwrap();
        no_len[pos..pos + 7].copy_from_slice(b"XXXXXXX");
        let g = good("https://ex.org/g", BRIDGE);
        let (file, offs) = join(&[a, garbage, short, c, long, e, no_len, g]);
        let (items, _, stats) = run("broken.warc", &file, 1 << 20);
        let urls: Vec<_> = docs(&items)
            .iter()
            .map(|d| d.url.clone().unwrap())
            .collect();
        assert_eq!(
            urls,
            [
                "https://ex.org/a",
                "https://ex.org/c",
                "https://ex.org/e",
                "https://ex.org/g"
            ]
        );
        let d = docs(&items);
        assert_eq!(d[2].source, format!("broken.warc@{}", offs[5]));
        assert_eq!(d[3].source, format!("broken.warc@{}", offs[7]));
        let s = skips(&items);
        assert_eq!(s.len(), 4, "{s:?}");
        assert_eq!(s[0].0, format!("broken.warc@{}", offs[1]));
        assert!(s[0].1.starts_with("not a WARC record"), "{s:?}");
        assert_eq!(s[1].0, format!("broken.warc@{}", offs[2]));
        assert!(s[1].1.starts_with("corrupt record"), "{s:?}");
        assert_eq!(s[2].0, format!("broken.warc@{}", offs[4]));
        assert!(s[2].1.starts_with("corrupt record"), "{s:?}");
        assert_eq!(s[3].0, format!("broken.warc@{}", offs[6]));
        assert!(s[3].1.contains("without Content-Length"), "{s:?}");
        assert_eq!(stats.format, Format::Warc);
    }

    #[test]
    fn a_truncated_warc_gz_keeps_everything_before_the_cut() {
        let recs = crawl();
        let members = vec![gz(&recs[2]), gz(&recs[6]), gz(&recs[9])];
        let (mut file, offs) = join(&members);
        file.truncate(offs[2] as usize + members[2].len() / 2);
        let (items, _, _) = run("cut.warc.gz", &file, 1 << 20);
        assert_eq!(docs(&items).len(), 2);
        let s = skips(&items);
        assert_eq!(s.len(), 1, "{s:?}");
        assert_eq!(s[0].0, format!("cut.warc.gz@{}", offs[2]));
        assert!(
            s[0].1
                .contains(&format!("truncated gzip member at byte {}", offs[2])),
            "{s:?}"
        );
    }

    #[test]
    fn a_corrupt_gzip_member_in_the_middle_is_skipped() {
        let recs = crawl();
        let mut bad = gz(&recs[6]);
        let n = bad.len();
        for b in &mut bad[20..n - 10] {
            *b = b.wrapping_mul(7).wrapping_add(3);
        }
        let members = vec![gz(&recs[2]), bad, gz(&recs[9])];
        let (file, offs) = join(&members);
        let (items, _, _) = run("flip.warc.gz", &file, 1 << 20);
        let d = docs(&items);
        assert_eq!(d.len(), 2, "{:?}", skips(&items));
        assert_eq!(d[0].source, format!("flip.warc.gz@{}", offs[0]));
        assert_eq!(d[1].source, format!("flip.warc.gz@{}", offs[2]));
        let s = skips(&items);
        assert_eq!(s.len(), 1, "{s:?}");
        assert_eq!(s[0].0, format!("flip.warc.gz@{}", offs[1]));
        assert!(
            s[0].1.contains(&format!("gzip member at byte {}", offs[1])),
            "{s:?}"
        );
    }

    #[test]
    fn a_broken_first_member_does_not_hide_the_rest() {
        let recs = crawl();
        let mut first = gz(&recs[6]);
        first.truncate(25);
        let (file, offs) = join(&[first, gz(&recs[2]), gz(&recs[9])]);
        let (items, _, stats) = run("head.warc.gz", &file, 1 << 20);
        assert_eq!(
            (stats.format, stats.docs),
            (Format::Warc, 2),
            "{:?}",
            skips(&items)
        );
        assert_eq!(docs(&items)[0].source, format!("head.warc.gz@{}", offs[1]));
        let s = skips(&items);
        assert_eq!(s.len(), 1, "{s:?}");
        assert!(s[0].1.contains("gzip member at byte 0"), "{s:?}");
    }

    #[test]
    fn formats_are_detected_by_content_despite_misleading_names() {
        let recs = crawl();
        let warc_gz: Vec<u8> = [gz(&recs[6]), gz(&recs[9])].concat();
        let (items, _, stats) = run("notes.txt", &warc_gz, 1 << 20);
        assert_eq!(
            (stats.format, stats.gzip, stats.docs),
            (Format::Warc, true, 2)
        );
        assert_eq!(docs(&items)[0].source, "notes.txt@0");

        let plain = [recs[6].clone(), recs[9].clone()].concat();
        let (_, _, stats) = run("feed.jsonl", &plain, 1 << 20);
        assert_eq!(
            (stats.format, stats.gzip, stats.docs),
            (Format::Warc, false, 2)
        );

        let jsonl = gz(b"{\"url\":\"https://ex.org/q\",\"text\":\"The quarry closes.\"}\n");
        let (items, _, stats) = run("dump.bin", &jsonl, 1 << 20);
        assert_eq!((stats.format, stats.gzip), (Format::Jsonl, true));
        assert_eq!(docs(&items)[0].bytes, b"The quarry closes.");

        let (items, _, stats) = run("page.html.gz", &gz(FESTIVAL.as_bytes()), 1 << 20);
        assert_eq!((stats.format, stats.gzip), (Format::Single, true));
        assert_eq!(docs(&items)[0].bytes, FESTIVAL.as_bytes());
        assert_eq!(docs(&items)[0].source, "page.html.gz");

        // A .warc name whose content is not WARC is read as WARC and reported.
        let (items, _, stats) = run("odd.warc", b"hello there\n", 1 << 20);
        assert_eq!((stats.format, stats.docs), (Format::Warc, 0));
        assert!(skips(&items)[0].1.starts_with("not a WARC record"));
    }

    #[test]
    fn jsonl_gz_reports_bad_lines_and_a_truncated_end() {
        let mut text = String::new();
        for (i, body) in [HARBOUR, "not json at all", BRIDGE, FESTIVAL]
            .iter()
            .enumerate()
        {
            if i == 1 {
                text.push_str(body);
            } else {
                let rec = serde_json::json!({"url": format!("https://ex.org/{i}"), "html": body});
                text.push_str(&rec.to_string());
            }
            text.push('\n');
        }
        let file = gz(text.as_bytes());
        let (items, _, stats) = run("corpus.jsonl.gz", &file, 1 << 20);
        assert_eq!(
            (stats.format, stats.docs, stats.skipped),
            (Format::Jsonl, 3, 1)
        );
        let s = skips(&items);
        assert!(
            s[0].0 == "corpus.jsonl.gz:2" && s[0].1.starts_with("not JSON"),
            "{s:?}"
        );

        let cut = &file[..file.len() - 60];
        let (items, _, stats) = run("corpus.jsonl.gz", cut, 1 << 20);
        assert!(stats.docs >= 1 && stats.docs < 3, "{stats:?}");
        let last = skips(&items).pop().unwrap();
        assert!(
            last.1.contains("truncated gzip member at byte 0"),
            "{last:?}"
        );
        let line: usize = last.0.rsplit(':').next().unwrap().parse().unwrap();
        assert!((3..=4).contains(&line), "{last:?}");
    }

    #[test]
    fn files_on_disk_report_progress_in_compressed_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("crawl.warc.gz");
        let members: Vec<Vec<u8>> = crawl().iter().map(|r| gz(r)).collect();
        let (file, _) = join(&members);
        std::fs::write(&p, &file).unwrap();
        let mut last = 0;
        let stats = read_file(&p, &IngestOptions { max_bytes: 4096 }, &mut |_, done| {
            assert!(done >= last);
            last = done;
        });
        assert_eq!(stats.docs, 3);
        assert!(last <= file.len() as u64 && last > file.len() as u64 / 2);
        let d = crate::read_all(std::slice::from_ref(&p), &IngestOptions::default()).unwrap();
        assert!(docs(&d)[0].source.starts_with(&format!("{}@", p.display())));
    }

    #[test]
    fn lenient_about_version_1_1_angle_brackets_and_missing_final_newlines() {
        let block = BRIDGE.as_bytes();
        let mut rec = format!(
            "WARC/1.1\r\nWARC-Type: resource\r\nWARC-Target-URI: <https://ex.org/n>\r\n\
             WARC-Date: 2026-05-01\r\nContent-Type: text/html\r\nContent-Length: {}\r\n\r\n",
            block.len()
        )
        .into_bytes();
        rec.extend_from_slice(block);
        let (items, _, stats) = run("x.warc", &rec, 1 << 20);
        assert_eq!(stats.docs, 1, "{:?}", skips(&items));
        let d = docs(&items);
        assert_eq!(d[0].url.as_deref(), Some("https://ex.org/n"));
        assert_eq!(d[0].date, NaiveDate::from_ymd_opt(2026, 5, 1));
    }

    #[test]
    fn non_http_responses_and_unknown_types_are_ignored() {
        let dns = record(
            "response",
            "dns:news.example",
            "text/dns",
            b"20260417 news.example 300 IN A 192.0.2.7",
        );
        let odd = record("annotation", "https://ex.org", "text/plain", b"note");
        let file = [
            dns,
            odd,
            record(
                "resource",
                "https://ex.org/r",
                "text/html",
                BRIDGE.as_bytes(),
            ),
        ]
        .concat();
        let (items, _, stats) = run("mix.warc", &file, 1 << 20);
        assert_eq!(
            (stats.docs, stats.skipped, stats.ignored),
            (1, 0, 2),
            "{:?}",
            skips(&items)
        );
    }
}
