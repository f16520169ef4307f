//! Canonical article URLs: one key for the many addresses of one page.
//!
//! The same article is linked as `http://` and `https://`, with and without `www.`, through
//! mobile (`m.`, `mobile.`) and AMP (`amp.` host, `/amp` path, `?amp=1`, `outputType=amp`)
//! variants, with tracking parameters (`utm_*`, `fbclid`, …), fragments and trailing
//! slashes. [`canonical_url`] maps all of them to one key:
//!
//! * the scheme is dropped (`http` and `https` are the same page);
//! * the host is lower-cased and loses a leading `www.`, `www2.`, `m.`, `mobile.` or `amp.`,
//!   and a default port;
//! * the path loses a trailing `/amp`, `.amp`, `/amp.html` or a leading `/amp/`, then
//!   `index.html`/`index.htm`/`index.php` and a trailing slash; percent-encoding is
//!   normalised by the URL parser; case is kept (paths are case-sensitive);
//! * the query loses tracking and AMP parameters ([`TRACKING_PARAMS`] and every `utm_…`),
//!   and the rest is sorted so parameter order does not matter;
//! * the fragment is dropped.
//!
//! The key looks like `example.com/world/story-1?id=7`. It is a key, not an address to
//! fetch: keep the original URL for that.

use url::Url;

/// Query parameters that never change which article a URL names (besides every `utm_…`).
pub const TRACKING_PARAMS: &[&str] = &[
    "fbclid",
    "gclid",
    "dclid",
    "gclsrc",
    "msclkid",
    "yclid",
    "twclid",
    "igshid",
    "mc_cid",
    "mc_eid",
    "_ga",
    "_gl",
    "ref",
    "ref_src",
    "ref_url",
    "referrer",
    "cmpid",
    "ocid",
    "smid",
    "s_cid",
    "cid",
    "icid",
    "spm",
    "share",
    "sharetype",
    "taid",
    "rss",
    "feed",
    "at_medium",
    "at_campaign",
    "src",
    "amp",
    "outputtype",
    "output",
    "platform",
];

/// Host prefixes of mobile, AMP and `www` variants of a site.
const HOST_PREFIXES: &[&str] = &["www.", "www1.", "www2.", "m.", "mobile.", "amp."];

/// The canonical key of an article URL, or `None` when `raw` is not an absolute http(s) URL.
pub fn canonical_url(raw: &str) -> Option<String> {
    let url = Url::parse(raw.trim()).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    let mut host = url.host_str()?.to_ascii_lowercase();
    while let Some(p) = HOST_PREFIXES.iter().find(|p| host.starts_with(*p)) {
        // Keep at least one dot: `m.com` stays `m.com`.
        if host[p.len()..].contains('.') {
            host = host[p.len()..].to_string();
        } else {
            break;
        }
    }
    let host = host.trim_end_matches('.');
    let mut key = String::with_capacity(raw.len());
    key.push_str(host);
    // `Url::port` is None for the scheme's default port.
    if let Some(port) = url.port()
        && !matches!(port, 80 | 443)
    {
        key.push(':');
        key.push_str(&port.to_string());
    }
    key.push_str(&canonical_path(url.path()));
    let mut params: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| !is_tracking(k))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    params.sort();
    for (i, (k, v)) in params.iter().enumerate() {
        key.push(if i == 0 { '?' } else { '&' });
        key.push_str(k);
        if !v.is_empty() {
            key.push('=');
            key.push_str(v);
        }
    }
    Some(key)
}

/// The host of a URL without `www.`/mobile/AMP prefixes: the site part of the canonical key.
pub fn site_of(raw: &str) -> Option<String> {
    let key = canonical_url(raw)?;
    let end = key.find(['/', '?', ':']).unwrap_or(key.len());
    Some(key[..end].to_string())
}

fn is_tracking(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.starts_with("utm_") || TRACKING_PARAMS.contains(&lower.as_str())
}

fn canonical_path(path: &str) -> String {
    let mut p = path.to_string();
    if let Some(rest) = p.strip_prefix("/amp/") {
        p = format!("/{rest}");
    }
    for suffix in ["/amp.html", "/amp/", "/amp", ".amp.html", ".amp"] {
        if p.len() > suffix.len()
            && let Some(rest) = p.strip_suffix(suffix)
        {
            p = rest.to_string();
            break;
        }
    }
    for index in ["index.html", "index.htm", "index.php"] {
        if p.ends_with(&format!("/{index}")) {
            p.truncate(p.len() - index.len());
            break;
        }
    }
    while p.len() > 1 && p.ends_with('/') {
        p.pop();
    }
    if p == "/" { String::new() } else { p }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(u: &str) -> String {
        canonical_url(u).unwrap_or_else(|| panic!("no key for {u}"))
    }

    #[test]
    fn variants_of_one_page_share_a_key() {
        let base = key("https://www.example.com/world/story-1");
        assert_eq!(base, "example.com/world/story-1");
        for v in [
            "http://example.com/world/story-1/",
            "https://m.example.com/world/story-1",
            "https://amp.example.com/world/story-1",
            "https://www.example.com/world/story-1/amp",
            "https://www.example.com/amp/world/story-1",
            "https://example.com/world/story-1.amp",
            "https://EXAMPLE.com:443/world/story-1?utm_source=tw&utm_medium=social",
            "https://example.com/world/story-1?fbclid=abc#comments",
            "https://example.com/world/story-1?outputType=amp",
            "  https://mobile.example.com/world/story-1?amp=1  ",
        ] {
            assert_eq!(key(v), base, "{v}");
        }
    }

    #[test]
    fn meaningful_differences_stay() {
        let a = key("https://example.com/news?id=7&page=2");
        assert_eq!(a, "example.com/news?id=7&page=2");
        assert_eq!(key("https://example.com/news?page=2&id=7"), a);
        assert_ne!(key("https://example.com/news?id=8&page=2"), a);
        assert_ne!(key("https://example.com/News?id=7&page=2"), a);
        assert_ne!(key("https://other.com/news?id=7&page=2"), a);
        assert_eq!(key("https://example.com:8080/x"), "example.com:8080/x");
        assert_eq!(key("https://example.com/a/index.html"), "example.com/a");
        assert_eq!(key("https://www.example.com/"), "example.com");
    }

    #[test]
    fn not_web_urls_have_no_key() {
        for u in [
            "",
            "example.com/x",
            "ftp://example.com/x",
            "file:///tmp/x",
            "mailto:a@b.c",
        ] {
            assert_eq!(canonical_url(u), None, "{u}");
        }
    }

    #[test]
    fn site_is_the_bare_host() {
        assert_eq!(
            site_of("https://www.news.example.org/a?b=1").as_deref(),
            Some("news.example.org")
        );
        assert_eq!(
            site_of("https://m.example.com:8080/").as_deref(),
            Some("example.com")
        );
        assert_eq!(site_of("not a url"), None);
    }
}
