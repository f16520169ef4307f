//! Reading feeds: RSS (0.9x, 1.0, 2.0), Atom and JSON Feed, through `feed-rs`.
//!
//! A feed is reduced to the article links it lists, resolved against the feed's URL, in
//! feed order, each once. Only http(s) links are kept. Entries without a usable link are
//! skipped. Nothing is fetched here.

use reqwest::Url;

/// One article link listed by a feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedItem {
    /// The article's absolute URL.
    pub url: String,
    /// The entry's title.
    pub title: Option<String>,
    /// The entry's publication (or update) date.
    pub published: Option<chrono::NaiveDate>,
}

/// Why a feed could not be read.
#[derive(Debug, thiserror::Error)]
#[error("not a feed: {0}")]
pub struct FeedParseError(pub String);

/// The article links of a feed body fetched from `base`.
pub fn parse_feed(body: &[u8], base: &Url) -> Result<Vec<FeedItem>, FeedParseError> {
    let feed = feed_rs::parser::parse(body).map_err(|e| FeedParseError(e.to_string()))?;
    let mut out: Vec<FeedItem> = Vec::new();
    for entry in feed.entries {
        let href = entry
            .links
            .iter()
            .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
            .or_else(|| entry.links.first())
            .map(|l| l.href.clone())
            .or_else(|| {
                let id = entry.id.trim();
                (id.starts_with("http://") || id.starts_with("https://")).then(|| id.to_owned())
            });
        let Some(href) = href else { continue };
        let Ok(url) = base.join(href.trim()) else {
            continue;
        };
        if !matches!(url.scheme(), "http" | "https") {
            continue;
        }
        let mut url = url;
        url.set_fragment(None);
        let url = url.to_string();
        if out.iter().any(|i| i.url == url) {
            continue;
        }
        out.push(FeedItem {
            url,
            title: entry.title.map(|t| t.content.trim().to_owned()),
            published: entry.published.or(entry.updated).map(|d| d.date_naive()),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Url {
        Url::parse("https://news.example/feeds/world.xml").unwrap()
    }

    #[test]
    fn rss_links_are_resolved_and_deduplicated() {
        let rss = r#"<?xml version="1.0"?><rss version="2.0"><channel><title>World</title>
            <item><title>Talks resume</title><link>https://news.example/a/1</link>
              <pubDate>Tue, 03 Mar 2026 10:00:00 GMT</pubDate></item>
            <item><title>Relative</title><link>/a/2#top</link></item>
            <item><title>Again</title><link>https://news.example/a/1</link></item>
            <item><title>Mail</title><link>mailto:desk@news.example</link></item>
            </channel></rss>"#;
        let items = parse_feed(rss.as_bytes(), &base()).unwrap();
        let urls: Vec<&str> = items.iter().map(|i| i.url.as_str()).collect();
        assert_eq!(
            urls,
            ["https://news.example/a/1", "https://news.example/a/2"]
        );
        assert_eq!(items[0].title.as_deref(), Some("Talks resume"));
        assert_eq!(items[0].published.unwrap().to_string(), "2026-03-03");
    }

    #[test]
    fn atom_and_json_feed_are_read() {
        let atom = r#"<?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><id>urn:x</id>
            <updated>2026-03-03T10:00:00Z</updated>
            <entry><title>One</title><id>urn:1</id><updated>2026-03-03T10:00:00Z</updated>
              <link rel="alternate" href="https://news.example/atom/1"/></entry>
            </feed>"#;
        let items = parse_feed(atom.as_bytes(), &base()).unwrap();
        assert_eq!(items[0].url, "https://news.example/atom/1");
        let json = r#"{"version":"https://jsonfeed.org/version/1.1","title":"J",
            "items":[{"id":"1","url":"https://news.example/j/1","title":"J1"},
                     {"id":"https://news.example/j/2"}]}"#;
        let items = parse_feed(json.as_bytes(), &base()).unwrap();
        let urls: Vec<&str> = items.iter().map(|i| i.url.as_str()).collect();
        assert_eq!(
            urls,
            ["https://news.example/j/1", "https://news.example/j/2"]
        );
    }

    #[test]
    fn garbage_is_an_error() {
        assert!(parse_feed(b"<html><body>hello</body></html>", &base()).is_err());
        assert!(parse_feed(b"", &base()).is_err());
    }
}
