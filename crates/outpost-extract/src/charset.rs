//! Byte → text decoding: BOM, declared charset, `<meta charset>`, UTF-8, then detection.

use encoding_rs::{Encoding, UTF_8};
use regex::bytes::Regex;
use std::borrow::Cow;
use std::sync::LazyLock;

/// How the encoding was chosen (useful in tests and diagnostics).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CharsetSource {
    /// A byte-order mark.
    Bom,
    /// The `charset=` parameter of the declared content type.
    ContentType,
    /// A `<meta charset>` or `http-equiv` declaration near the start of the page.
    Meta,
    /// The bytes are valid UTF-8.
    Utf8,
    /// Statistical detection (`chardetng`).
    Detected,
}

static META_CHARSET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i-u)<meta[^>]{0,300}?charset\s*=\s*["']?\s*([a-z0-9_:.\-]+)"#)
        .expect("static regex")
});

static CT_CHARSET: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(r#"(?i)charset\s*=\s*["']?\s*([a-z0-9_:.\-]+)"#).expect("static regex")
});

/// The charset named in a content type such as `text/html; charset=windows-1251`.
fn content_type_encoding(ct: &str) -> Option<&'static Encoding> {
    let caps = CT_CHARSET.captures(ct)?;
    Encoding::for_label(caps.get(1)?.as_str().as_bytes())
}

/// The charset declared by a `<meta>` tag in the first 4 KB.
fn meta_encoding(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(4096)];
    let caps = META_CHARSET.captures(head)?;
    let enc = Encoding::for_label(caps.get(1)?.as_bytes())?;
    // A page that is read as bytes cannot really be UTF-16 if it declares so in ASCII.
    if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
        return Some(UTF_8);
    }
    Some(enc)
}

/// UTF-16 without a byte-order mark, recognised by NUL high bytes on mostly-ASCII text.
pub fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(4096) & !1];
    if head.len() < 8 {
        return None;
    }
    let pairs = head.len() / 2;
    let even_nul = head.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd_nul = head.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    if odd_nul * 10 >= pairs * 7 && even_nul * 20 < pairs {
        Some(encoding_rs::UTF_16LE)
    } else if even_nul * 10 >= pairs * 7 && odd_nul * 20 < pairs {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    }
}

/// True when `bytes` are UTF-8, allowing a sequence cut off at the very end.
fn is_utf8_allow_truncated(bytes: &[u8]) -> bool {
    match std::str::from_utf8(bytes) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none() && bytes.len() - e.valid_up_to() < 4,
    }
}

/// How many bytes the charset detector sees at most.
const DETECT_BUDGET: usize = 16 * 1024;

/// Feed the detector stretches of text around non-ASCII bytes (ASCII says nothing about
/// the charset), cut at ASCII bytes so multi-byte characters stay whole, up to
/// [`DETECT_BUDGET`] bytes: detection cost stays bounded on big pages.
fn feed_sample(det: &mut chardetng::EncodingDetector, bytes: &[u8]) {
    if bytes.len() <= DETECT_BUDGET {
        det.feed(bytes, true);
        return;
    }
    let mut used = 0;
    let mut next = 0;
    while used < DETECT_BUDGET && next < bytes.len() {
        let Some(off) = bytes[next..].iter().position(|&b| b >= 0x80) else {
            break;
        };
        let hit = next + off;
        // Back up to an ASCII byte (at most 64 bytes), run on to one (at most 512).
        let mut start = hit.saturating_sub(64).max(next);
        while start < hit && bytes[start] >= 0x80 {
            start += 1;
        }
        let mut end = (hit + 256).min(bytes.len());
        let limit = (hit + 512).min(bytes.len());
        while end < limit && bytes[end] >= 0x80 {
            end += 1;
        }
        let end = end.min(start + (DETECT_BUDGET - used));
        det.feed(&bytes[start..end], false);
        used += end - start;
        next = end.max(hit + 1);
    }
    det.feed(&[], true);
}

/// Decode `bytes` to text, choosing the encoding from (in order) a BOM, the declared
/// content type, a `<meta>` declaration, UTF-8 validity, and finally detection.
pub fn decode<'a>(bytes: &'a [u8], content_type: Option<&str>) -> (Cow<'a, str>, CharsetSource) {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return (text, CharsetSource::Bom);
    }
    if let Some(enc) = utf16_without_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(bytes);
        return (text, CharsetSource::Detected);
    }
    // Validate UTF-8 once; valid input is borrowed, not copied.
    let utf8: Option<Cow<'a, str>> = match std::str::from_utf8(bytes) {
        Ok(s) => Some(Cow::Borrowed(s)),
        Err(_) if is_utf8_allow_truncated(bytes) => {
            Some(UTF_8.decode_without_bom_handling(bytes).0)
        }
        Err(_) => None,
    };
    let declared = content_type.and_then(content_type_encoding);
    if let Some(enc) = declared {
        // A declared UTF-8 that is not valid UTF-8 is a lie often enough: fall through.
        if enc != UTF_8 {
            let (text, _) = enc.decode_without_bom_handling(bytes);
            return (text, CharsetSource::ContentType);
        }
        if let Some(t) = utf8.clone() {
            return (t, CharsetSource::ContentType);
        }
    }
    if let Some(enc) = meta_encoding(bytes) {
        if enc != UTF_8 {
            let (text, _) = enc.decode_without_bom_handling(bytes);
            return (text, CharsetSource::Meta);
        }
        if let Some(t) = utf8.clone() {
            return (t, CharsetSource::Meta);
        }
    }
    if let Some(t) = utf8 {
        return (t, CharsetSource::Utf8);
    }
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    feed_sample(&mut det, bytes);
    let enc = det.guess(None, chardetng::Utf8Detection::Allow);
    let (text, _) = enc.decode_without_bom_handling(bytes);
    (text, CharsetSource::Detected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_utf16le() {
        let mut b = vec![0xFF, 0xFE];
        for u in "Привет, мир".encode_utf16() {
            b.extend_from_slice(&u.to_le_bytes());
        }
        let (t, src) = decode(&b, None);
        assert_eq!(t, "Привет, мир");
        assert_eq!(src, CharsetSource::Bom);
    }

    #[test]
    fn utf16_without_bom_is_recognised() {
        let mut le = Vec::new();
        let mut be = Vec::new();
        for u in "Ferry services resumed on Tuesday.".encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
            be.extend_from_slice(&u.to_be_bytes());
        }
        assert_eq!(decode(&le, None).0, "Ferry services resumed on Tuesday.");
        assert_eq!(decode(&be, None).0, "Ferry services resumed on Tuesday.");
        assert_eq!(utf16_without_bom(b"plain ascii text here"), None);
    }

    #[test]
    fn bom_utf8_is_stripped() {
        let (t, src) = decode("\u{feff}héllo".as_bytes(), None);
        assert_eq!(t, "héllo");
        assert_eq!(src, CharsetSource::Bom);
    }

    #[test]
    fn content_type_windows_1251() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode("Москва сообщила");
        let (t, src) = decode(&bytes, Some("text/html; charset=windows-1251"));
        assert_eq!(t, "Москва сообщила");
        assert_eq!(src, CharsetSource::ContentType);
    }

    #[test]
    fn meta_charset_latin1() {
        let mut b = b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-1\"></head><body>".to_vec();
        b.extend_from_slice(&[
            b'C', b'a', b'f', 0xE9, b' ', b'd', b'u', b' ', b'p', b'o', b'r', b't',
        ]);
        let (t, src) = decode(&b, None);
        assert!(t.contains("Café du port"), "{t}");
        assert_eq!(src, CharsetSource::Meta);
    }

    #[test]
    fn meta_charset_short_form() {
        let (bytes, _, _) =
            encoding_rs::WINDOWS_1251.encode("<meta charset=\"windows-1251\"><p>Киев</p>");
        let (t, src) = decode(&bytes, None);
        assert!(t.contains("Киев"));
        assert_eq!(src, CharsetSource::Meta);
    }

    #[test]
    fn plain_utf8_and_truncated_tail() {
        let s = "Zürich é";
        let b = s.as_bytes();
        let (t, src) = decode(&b[..b.len() - 1], None);
        assert!(t.starts_with("Zürich"));
        assert_eq!(src, CharsetSource::Utf8);
    }

    #[test]
    fn detection_of_undeclared_cyrillic() {
        let text = "Городской совет в понедельник утвердил строительство нового моста через реку. \
                    Работы начнутся весной и продлятся около трёх лет.";
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(text);
        let (t, src) = decode(&bytes, None);
        assert_eq!(t, text);
        assert_eq!(src, CharsetSource::Detected);
    }

    #[test]
    fn big_undeclared_legacy_page_is_detected_from_a_sample() {
        // 200 KB of ASCII markup before the Cyrillic text: detection looks past it.
        let mut html = String::from("<html><head><script>");
        while html.len() < 200_000 {
            html.push_str("var config = {a: 1, b: [2, 3]};\n");
        }
        html.push_str("</script></head><body><p>");
        for _ in 0..50 {
            html.push_str("Городской совет в понедельник утвердил строительство нового моста. ");
        }
        html.push_str("</p></body></html>");
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(&html);
        let (text, src) = decode(&bytes, None);
        assert_eq!(src, CharsetSource::Detected);
        assert!(text.contains("Городской совет в понедельник"));
    }

    #[test]
    fn wrong_utf8_declaration_falls_back() {
        let (bytes, _, _) =
            encoding_rs::WINDOWS_1252.encode("Déclaration du ministère à Genève aujourd'hui.");
        let (t, _) = decode(&bytes, Some("text/plain; charset=utf-8"));
        assert!(t.contains("Genève"), "{t}");
    }
}
