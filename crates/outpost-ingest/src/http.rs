//! The HTTP response inside a WARC `response` record: status, headers, and the body with its
//! transfer and content encodings undone.
//!
//! Crawlers differ in what they store: some keep the body exactly as sent (chunked, gzip),
//! others decode it but keep the original headers. So a body that does not look encoded is
//! taken as it is, whatever the headers say.

use std::io::Read;

use flate2::read::{DeflateDecoder, GzDecoder, ZlibDecoder};

/// The part of a response that becomes a document.
#[derive(Debug)]
pub(crate) struct HttpBody {
    /// The `Content-Type` header, when there is one.
    pub content_type: Option<String>,
    /// The decoded body.
    pub bytes: Vec<u8>,
}

/// Parses an HTTP response, keeping it only when it is a 2xx text document.
///
/// The error is a human-readable reason for skipping it. `cap` bounds the decoded body.
pub(crate) fn parse_response(mut block: Vec<u8>, cap: u64) -> Result<HttpBody, String> {
    if !block.starts_with(b"HTTP/") {
        return Err("response record without an HTTP status line".into());
    }
    let (head_len, body_start) = header_end(&block).ok_or("HTTP headers never end")?;
    let head = String::from_utf8_lossy(&block[..head_len]).into_owned();
    let mut lines = head.lines();
    let status_line = lines.next().unwrap_or_default();
    let status: u16 = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("bad HTTP status line {:?}", truncate(status_line, 80)))?;
    if !(200..300).contains(&status) {
        return Err(format!("HTTP status {status}"));
    }
    let mut content_type = None;
    let mut chunked = false;
    let mut encoding = String::new();
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        match name.trim().to_ascii_lowercase().as_str() {
            "content-type" => content_type = Some(value.to_owned()),
            "transfer-encoding" => chunked = value.to_ascii_lowercase().contains("chunked"),
            "content-encoding" => encoding = value.to_ascii_lowercase(),
            _ => {}
        }
    }
    if let Some(ct) = content_type.as_deref().filter(|ct| !is_text_type(ct)) {
        return Err(format!("not a text document: {}", mime(ct)));
    }
    block.drain(..body_start);
    let mut body = block;
    if let Some(d) = chunked.then(|| dechunk(&body)).flatten() {
        body = d;
    }
    let body = decode_content(body, &encoding, cap)?;
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err("empty HTTP body".into());
    }
    Ok(HttpBody {
        content_type,
        bytes: body,
    })
}

/// Where the header block ends: (length of the header text, start of the body).
fn header_end(b: &[u8]) -> Option<(usize, usize)> {
    let crlf = find(b, b"\r\n\r\n").map(|i| (i, i + 4));
    let lf_end = crlf.map_or(b.len(), |c| c.1.min(b.len()));
    let lf = find(&b[..lf_end], b"\n\n").map(|i| (i, i + 2));
    match (crlf, lf) {
        (Some(x), Some(y)) => Some(if x.0 <= y.0 { x } else { y }),
        (x, y) => x.or(y).or_else(|| {
            // Headers only, no body.
            (b.ends_with(b"\r\n") || b.ends_with(b"\n")).then_some((b.len(), b.len()))
        }),
    }
}

/// First position of `needle` in `hay`.
pub(crate) fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn truncate(s: &str, n: usize) -> &str {
    match s.char_indices().nth(n) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// The media type of a `Content-Type` value, lower-cased, without parameters.
pub(crate) fn mime(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// Whether a declared content type can hold a news page: HTML, XHTML, plain text, XML.
/// An empty type counts as text (extract sniffs the bytes).
pub(crate) fn is_text_type(content_type: &str) -> bool {
    let m = mime(content_type);
    if m.is_empty() {
        return true;
    }
    if let Some(sub) = m.strip_prefix("text/") {
        return !matches!(
            sub,
            "css" | "javascript" | "ecmascript" | "csv" | "calendar"
        );
    }
    m == "application/xhtml+xml" || m == "application/xml" || m.ends_with("+xml")
}

/// Undoes `Transfer-Encoding: chunked`. `None` when the body does not start with a chunk
/// header (the crawler already joined the chunks); a chunk stream cut short keeps what
/// arrived.
fn dechunk(body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(body.len());
    let mut rest = body;
    let mut first = true;
    while let Some(nl) = rest.iter().position(|&b| b == b'\n') {
        let line = std::str::from_utf8(&rest[..nl]).ok();
        let size = line.and_then(|l| {
            let hex = l.split(';').next().unwrap_or_default().trim();
            (!hex.is_empty()).then(|| u64::from_str_radix(hex, 16).ok())?
        });
        let Some(size) = size else {
            if first {
                return None;
            }
            break;
        };
        first = false;
        rest = &rest[nl + 1..];
        if size == 0 {
            break;
        }
        let take = usize::try_from(size).unwrap_or(usize::MAX).min(rest.len());
        out.extend_from_slice(&rest[..take]);
        rest = &rest[take..];
        if let Some(r) = rest.strip_prefix(b"\r\n") {
            rest = r;
        } else if let Some(r) = rest.strip_prefix(b"\n") {
            rest = r;
        }
    }
    if first { None } else { Some(out) }
}

/// Undoes a `Content-Encoding`, keeping at most `cap` decoded bytes.
fn decode_content(body: Vec<u8>, encoding: &str, cap: u64) -> Result<Vec<u8>, String> {
    let enc = encoding.split(',').next_back().unwrap_or_default().trim();
    match enc {
        "" | "identity" => Ok(body),
        "gzip" | "x-gzip" => {
            if !body.starts_with(&[0x1f, 0x8b]) {
                return Ok(body); // already decoded by the crawler
            }
            inflate(GzDecoder::new(&body[..]), cap, "gzip")
        }
        "deflate" => {
            // zlib-wrapped (as the RFC says) is checked by its header and checksum; then
            // an already-decoded body; then raw deflate (as some servers send).
            if let Ok(v) = inflate_strict(ZlibDecoder::new(&body[..]), cap) {
                if v.len() as u64 > cap {
                    return Err(format!(
                        "too large: body over the {cap} byte cap after deflate decoding"
                    ));
                }
                return Ok(v);
            }
            if looks_decoded(&body) {
                return Ok(body);
            }
            inflate(DeflateDecoder::new(&body[..]), cap, "deflate")
        }
        other => {
            if looks_decoded(&body) {
                Ok(body)
            } else {
                Err(format!("unsupported Content-Encoding: {other}"))
            }
        }
    }
}

/// Plain markup or text rather than compressed bytes.
fn looks_decoded(body: &[u8]) -> bool {
    let head = &body[..body.len().min(512)];
    let text = head
        .iter()
        .filter(|&&b| b >= 0x20 || b == b'\n' || b == b'\r' || b == b'\t')
        .count();
    !head.is_empty() && text * 10 >= head.len() * 9
}

/// Decodes all of `dec` within `cap`, or fails.
fn inflate_strict(mut dec: impl Read, cap: u64) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    (&mut dec).take(cap + 1).read_to_end(&mut out)?;
    Ok(out)
}

fn inflate(mut dec: impl Read, cap: u64, name: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let res = (&mut dec).take(cap + 1).read_to_end(&mut out);
    if out.len() as u64 > cap {
        return Err(format!(
            "too large: body over the {cap} byte cap after {name} decoding"
        ));
    }
    match res {
        Ok(_) => Ok(out),
        // A body cut short by the crawler: keep the part that decoded.
        Err(_) if !out.is_empty() => Ok(out),
        Err(e) => Err(format!("bad {name} body: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::Compression;
    use flate2::write::{GzEncoder, ZlibEncoder};
    use std::io::Write;

    const PAGE: &[u8] = b"<html><body><p>The ferry to Kallisto resumed service.</p></body></html>";

    fn response(headers: &str, body: &[u8]) -> Vec<u8> {
        let mut v = format!("HTTP/1.1 200 OK\r\n{headers}\r\n").into_bytes();
        v.extend_from_slice(body);
        v
    }

    #[test]
    fn plain_response_keeps_body_and_content_type() {
        let r = response("Content-Type: text/html; charset=iso-8859-7\r\n", PAGE);
        let b = parse_response(r, 1 << 20).unwrap();
        assert_eq!(b.bytes, PAGE);
        assert_eq!(
            b.content_type.as_deref(),
            Some("text/html; charset=iso-8859-7")
        );
    }

    #[test]
    fn chunked_and_gzip_bodies_are_decoded() {
        let mut chunked = Vec::new();
        for part in PAGE.chunks(20) {
            chunked.extend_from_slice(format!("{:x};ext=1\r\n", part.len()).as_bytes());
            chunked.extend_from_slice(part);
            chunked.extend_from_slice(b"\r\n");
        }
        chunked.extend_from_slice(b"0\r\n\r\n");
        let r = response("Transfer-Encoding: chunked\r\n", &chunked);
        assert_eq!(parse_response(r, 1 << 20).unwrap().bytes, PAGE);

        let mut e = GzEncoder::new(Vec::new(), Compression::fast());
        e.write_all(PAGE).unwrap();
        let r = response("Content-Encoding: gzip\r\n", &e.finish().unwrap());
        assert_eq!(parse_response(r, 1 << 20).unwrap().bytes, PAGE);

        let mut z = ZlibEncoder::new(Vec::new(), Compression::fast());
        z.write_all(PAGE).unwrap();
        let r = response("Content-Encoding: deflate\r\n", &z.finish().unwrap());
        assert_eq!(parse_response(r, 1 << 20).unwrap().bytes, PAGE);
    }

    #[test]
    fn already_decoded_bodies_are_kept_as_they_are() {
        let r = response(
            "Content-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n",
            PAGE,
        );
        assert_eq!(parse_response(r, 1 << 20).unwrap().bytes, PAGE);
        let r = response("Content-Encoding: br\r\n", PAGE);
        assert_eq!(parse_response(r, 1 << 20).unwrap().bytes, PAGE);
    }

    #[test]
    fn errors_and_non_text_are_skipped_with_reasons() {
        let r = b"HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\n\r\ngone".to_vec();
        assert_eq!(parse_response(r, 1 << 20).unwrap_err(), "HTTP status 404");
        let r = response("Content-Type: image/jpeg\r\n", b"\xff\xd8\xff\xe0");
        assert!(
            parse_response(r, 1 << 20)
                .unwrap_err()
                .contains("image/jpeg")
        );
        let r = response("Content-Type: application/pdf\r\n", b"%PDF-1.4");
        assert!(
            parse_response(r, 1 << 20)
                .unwrap_err()
                .contains("application/pdf")
        );
        let r = b"garbage".to_vec();
        assert!(parse_response(r, 1 << 20).is_err());
        let r = response("", b"");
        assert_eq!(parse_response(r, 1 << 20).unwrap_err(), "empty HTTP body");
    }

    #[test]
    fn a_gzip_bomb_stops_at_the_cap() {
        let mut e = GzEncoder::new(Vec::new(), Compression::best());
        e.write_all(&vec![b'a'; 1 << 20]).unwrap();
        let r = response("Content-Encoding: gzip\r\n", &e.finish().unwrap());
        assert!(
            parse_response(r, 1000)
                .unwrap_err()
                .starts_with("too large")
        );
    }

    #[test]
    fn text_types() {
        for t in [
            "text/html",
            "TEXT/HTML; charset=utf-8",
            "application/xhtml+xml",
            "application/rss+xml",
            "text/plain",
            "",
        ] {
            assert!(is_text_type(t), "{t}");
        }
        for t in [
            "image/png",
            "application/pdf",
            "text/css",
            "application/octet-stream",
            "video/mp4",
        ] {
            assert!(!is_text_type(t), "{t}");
        }
    }
}
