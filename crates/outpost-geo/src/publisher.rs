//! The publisher's country: the country a news site's country-code domain names
//! (`www.example.ie` → IRL), a weak hint of where an article's places lie.
//!
//! The table is a data file, `data/tld.tsv` (format in `data/README.md`), embedded at
//! compile time. Domains sold to sites from anywhere (.tv, .io, .co, …) are not in it.
//! This module does not look at anything but the host name: no network, no WHOIS.

use std::collections::HashMap;
use std::sync::OnceLock;

/// The embedded table: `tld<TAB>ISO3` lines, `#` comments.
const TLD_TSV: &str = include_str!("../../../data/tld.tsv");

fn table() -> &'static HashMap<&'static str, &'static str> {
    static TABLE: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    TABLE.get_or_init(|| parse(TLD_TSV))
}

/// Parses `tld<TAB>ISO3` lines; blank lines, `#` comments and malformed lines are skipped
/// (the embedded file is checked by a test).
fn parse(text: &str) -> HashMap<&str, &str> {
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once('\t'))
        .filter(|(t, c)| t.len() == 2 && c.len() == 3)
        .collect()
}

/// The host name of a URL (`https://news.example.co.uk:8080/a?b` → `news.example.co.uk`),
/// lower-cased; None when there is none.
fn host(url: &str) -> Option<String> {
    let rest = url.trim();
    let rest = rest.split_once("://").map_or(rest, |(_, r)| r);
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let auth = &rest[..end];
    let auth = auth.rsplit_once('@').map_or(auth, |(_, h)| h);
    let host = auth.split(':').next().unwrap_or("").trim_end_matches('.');
    (!host.is_empty() && host.contains('.')).then(|| host.to_ascii_lowercase())
}

/// The ISO3 code of the country whose country-code top-level domain the URL's host ends
/// in (`https://www.example.ie/news` → `IRL`, `example.com.au` → `AUS`); None for generic
/// domains (.com, .org, .news), vanity country codes (.tv, .io) and hosts without a dot.
pub fn country_of_url(url: &str) -> Option<String> {
    let host = host(url)?;
    let tld = host.rsplit('.').next()?;
    table().get(tld).map(|c| (*c).to_string())
}

/// The context list the `*_in` geoparsing calls take, from an article's URL: the
/// publisher's country when the URL names one (see [`country_of_url`]), else empty.
pub fn publisher_context(url: Option<&str>) -> Vec<String> {
    url.and_then(country_of_url).into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_of_the_embedded_table_is_well_formed() {
        let mut n = 0;
        for (i, l) in TLD_TSV.lines().enumerate() {
            if l.trim().is_empty() || l.starts_with('#') {
                continue;
            }
            let (t, c) = l.split_once('\t').unwrap_or(("", ""));
            assert!(
                t.len() == 2 && t.bytes().all(|b| b.is_ascii_lowercase()),
                "line {}: bad domain {l:?}",
                i + 1
            );
            assert!(
                c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase()),
                "line {}: bad ISO3 {l:?}",
                i + 1
            );
            n += 1;
        }
        assert!(n > 150, "only {n} domains");
        assert_eq!(parse(TLD_TSV).len(), n, "a domain is listed twice");
    }

    #[test]
    fn country_code_domains_name_their_country() {
        assert_eq!(
            country_of_url("https://www.example.ie/a/b").as_deref(),
            Some("IRL")
        );
        assert_eq!(
            country_of_url("http://news.example.co.uk:8080/x").as_deref(),
            Some("GBR")
        );
        assert_eq!(country_of_url("example.com.au").as_deref(), Some("AUS"));
        assert_eq!(
            country_of_url("HTTPS://Gov.Example.CA/?q=1").as_deref(),
            Some("CAN")
        );
    }

    #[test]
    fn the_context_list_holds_the_publishers_country_or_nothing() {
        assert_eq!(publisher_context(Some("https://example.ie/a")), ["IRL"]);
        assert!(publisher_context(Some("https://example.com/a")).is_empty());
        assert!(publisher_context(None).is_empty());
    }

    #[test]
    fn generic_and_vanity_domains_name_none() {
        for url in [
            "https://www.example.com/world",
            "https://example.org",
            "https://example.tv/show",
            "https://startup.io",
            "https://example.news/a",
            "file:///tmp/article.html",
            "localhost",
            "",
        ] {
            assert_eq!(country_of_url(url), None, "{url}");
        }
    }
}
