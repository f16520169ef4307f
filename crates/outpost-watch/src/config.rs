//! The feeds file and the watcher's settings.
//!
//! A feeds file is TOML with one `[[feed]]` table per feed:
//!
//! ```toml
//! [[feed]]
//! url = "https://news.example/world/rss.xml"   # required, http or https
//! name = "Example World"                       # optional
//! interval = 300                                # seconds between polls (default 600)
//! language = "en"                               # optional ISO 639-1
//! ```
//!
//! Unknown keys are errors (a typo should not silently disable a setting). Errors name the
//! file and the line.

use serde::Deserialize;

use outpost_store::watch::FeedSpec;

use crate::error::WatchError;

/// Poll interval when a feed does not give one (seconds).
pub const DEFAULT_INTERVAL_SECS: u32 = 600;
/// Longest poll interval accepted (seconds: a week).
pub const MAX_INTERVAL_SECS: u32 = 7 * 24 * 3600;
/// Longest feed URL accepted (bytes).
pub const MAX_URL_LEN: usize = 2048;
/// Longest feed name accepted (characters).
pub const MAX_NAME_LEN: usize = 200;

/// Checks a feed from an untrusted source (the API): an absolute http(s) URL with a host and
/// without credentials, at most [`MAX_URL_LEN`] bytes; an interval of 1 s to
/// [`MAX_INTERVAL_SECS`]; a name of at most [`MAX_NAME_LEN`] characters without control
/// characters; a language tag like `en` or `pt-BR`. The message says what is wrong.
pub fn validate_feed(f: &FeedSpec) -> Result<(), String> {
    if f.url.len() > MAX_URL_LEN {
        return Err(format!("url: longer than {MAX_URL_LEN} bytes"));
    }
    outpost_store::watch::check_feed(f).map_err(|e| match e {
        outpost_store::StoreError::InvalidQuery(m) => m,
        other => other.to_string(),
    })?;
    let parsed = url::Url::parse(&f.url).map_err(|e| format!("url: {e}: {:?}", f.url))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(format!("url: only http and https: {:?}", f.url));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(format!("url: no host: {:?}", f.url));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err("url: credentials in the URL are not accepted".into());
    }
    if f.interval_secs > MAX_INTERVAL_SECS {
        return Err(format!(
            "interval: {} s is more than a week ({MAX_INTERVAL_SECS} s)",
            f.interval_secs
        ));
    }
    if let Some(n) = &f.name
        && (n.chars().count() > MAX_NAME_LEN || n.chars().any(char::is_control))
    {
        return Err(format!(
            "name: at most {MAX_NAME_LEN} characters, no control characters"
        ));
    }
    if let Some(l) = &f.language
        && !is_language_tag(l)
    {
        return Err(format!(
            "language: {l:?} is not a language code like \"en\" or \"pt-BR\""
        ));
    }
    Ok(())
}

/// `xx`, `xxx`, optionally followed by `-` and 2–8 letters or digits.
fn is_language_tag(s: &str) -> bool {
    let (lang, region) = match s.split_once('-') {
        Some((l, r)) => (l, Some(r)),
        None => (s, None),
    };
    (2..=3).contains(&lang.len())
        && lang.bytes().all(|b| b.is_ascii_alphabetic())
        && region.is_none_or(|r| {
            (2..=8).contains(&r.len()) && r.bytes().all(|b| b.is_ascii_alphanumeric())
        })
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FeedsFile {
    #[serde(default)]
    feed: Vec<FeedEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FeedEntry {
    url: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    interval: Option<u32>,
    #[serde(default)]
    language: Option<String>,
}

/// A TOML error as "line N: message".
pub(crate) fn toml_error(text: &str, e: &toml::de::Error) -> String {
    let msg = e.message().to_owned();
    match e.span() {
        Some(span) => {
            let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
            format!("line {line}: {msg}")
        }
        None => msg,
    }
}

/// Parses a feeds file (`file` names it in errors) into feed specs, checking each one
/// (http(s) URL, interval ≥ 1) and that no URL is listed twice.
pub fn parse_feeds(text: &str, file: &str) -> Result<Vec<FeedSpec>, WatchError> {
    let err = |msg: String| WatchError::Config {
        file: file.to_owned(),
        msg,
    };
    let parsed: FeedsFile = toml::from_str(text).map_err(|e| err(toml_error(text, &e)))?;
    let mut out: Vec<FeedSpec> = Vec::new();
    for (i, f) in parsed.feed.into_iter().enumerate() {
        let spec = FeedSpec {
            url: f.url.trim().to_owned(),
            name: f.name.filter(|n| !n.trim().is_empty()),
            interval_secs: f.interval.unwrap_or(DEFAULT_INTERVAL_SECS),
            language: f.language.filter(|l| !l.trim().is_empty()),
        };
        outpost_store::watch::check_feed(&spec)
            .map_err(|e| err(format!("feed #{}: {e}", i + 1)))?;
        if out.iter().any(|o| o.url == spec.url) {
            return Err(err(format!(
                "feed #{}: {} is listed twice",
                i + 1,
                spec.url
            )));
        }
        out.push(spec);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feeds_parse_with_defaults() {
        let text = r#"
[[feed]]
url = "https://news.example/rss"
name = "Example"
interval = 120
language = "en"

[[feed]]
url = "http://other.example/atom.xml"
"#;
        let feeds = parse_feeds(text, "feeds.toml").unwrap();
        assert_eq!(feeds.len(), 2);
        assert_eq!(feeds[0].interval_secs, 120);
        assert_eq!(feeds[0].language.as_deref(), Some("en"));
        assert_eq!(feeds[1].interval_secs, DEFAULT_INTERVAL_SECS);
        assert_eq!(feeds[1].name, None);
    }

    #[test]
    fn errors_name_the_line() {
        let text = "[[feed]]\nurl = \"https://a.example/\"\nintervall = 5\n";
        let e = parse_feeds(text, "f.toml").unwrap_err().to_string();
        assert!(e.contains("f.toml") && e.contains("line 3"), "{e}");
        let e = parse_feeds("[[feed]]\nurl = \"ftp://a.example/\"\n", "f.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("feed #1"), "{e}");
        let e = parse_feeds(
            "[[feed]]\nurl = \"https://a.example/\"\ninterval = 0\n",
            "f",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("interval"), "{e}");
        let dup =
            "[[feed]]\nurl = \"https://a.example/\"\n[[feed]]\nurl = \"https://a.example/\"\n";
        assert!(parse_feeds(dup, "f").is_err());
    }

    fn spec(url: &str) -> FeedSpec {
        FeedSpec {
            url: url.into(),
            name: Some("World".into()),
            interval_secs: 60,
            language: Some("en".into()),
        }
    }

    #[test]
    fn untrusted_feeds_are_checked() {
        assert_eq!(validate_feed(&spec("https://news.example/rss.xml")), Ok(()));
        assert_eq!(validate_feed(&spec("http://127.0.0.1:8080/feed")), Ok(()));
        for bad in [
            "ftp://news.example/rss",
            "javascript:alert(1)",
            "https://",
            "https://user:pw@news.example/rss",
            "https://news.example/a b",
            "not a url",
        ] {
            assert!(validate_feed(&spec(bad)).is_err(), "{bad}");
        }
        let long = format!("https://news.example/{}", "a".repeat(MAX_URL_LEN));
        assert!(validate_feed(&spec(&long)).unwrap_err().contains("longer"));
        let mut f = spec("https://news.example/rss");
        f.interval_secs = MAX_INTERVAL_SECS + 1;
        assert!(validate_feed(&f).unwrap_err().starts_with("interval"));
        f.interval_secs = 0;
        assert!(validate_feed(&f).is_err());
        let mut f = spec("https://news.example/rss");
        f.name = Some("a\u{7}b".into());
        assert!(validate_feed(&f).unwrap_err().starts_with("name"));
        for (lang, ok) in [
            ("en", true),
            ("pt-BR", true),
            ("fil", true),
            ("e", false),
            ("english", false),
            ("en_US", false),
        ] {
            let mut f = spec("https://news.example/rss");
            f.language = Some(lang.into());
            assert_eq!(validate_feed(&f).is_ok(), ok, "{lang}");
        }
    }
}
