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
}
