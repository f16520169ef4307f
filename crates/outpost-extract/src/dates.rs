//! Date parsing for metadata values, URLs and visible "Published …" lines.

use chrono::{Datelike, NaiveDate};
use regex::Regex;
use std::sync::LazyLock;

static ISO: LazyLock<Regex> = LazyLock::new(|| {
    crate::text::re(r"(?-u:\b)((?:19|20)[0-9]{2})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})(?:(?-u:\b)|T)")
        .expect("static regex")
});
static COMPACT: LazyLock<Regex> = LazyLock::new(|| {
    crate::text::re(r"^((?:19|20)[0-9]{2})([0-9]{2})([0-9]{2})(?:(?-u:\b)|T)")
        .expect("static regex")
});
static MDY: LazyLock<Regex> = LazyLock::new(|| {
    crate::text::re(r"(?i)(?-u:\b)(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+([0-9]{1,2})(?:st|nd|rd|th)?,?\s+((?:19|20)[0-9]{2})(?-u:\b)")
        .expect("static regex")
});
static DMY: LazyLock<Regex> = LazyLock::new(|| {
    crate::text::re(r"(?i)(?-u:\b)([0-9]{1,2})(?:st|nd|rd|th)?\.?\s+(?:of\s+)?(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?,?\s+((?:19|20)[0-9]{2})(?-u:\b)")
        .expect("static regex")
});
static DMY_NUM: LazyLock<Regex> = LazyLock::new(|| {
    crate::text::re(r"(?-u:\b)([0-9]{1,2})[./]([0-9]{1,2})[./]((?:19|20)[0-9]{2})(?-u:\b)")
        .expect("static regex")
});
static URL_DATE: LazyLock<Regex> = LazyLock::new(|| {
    crate::text::re(r"/((?:19|20)[0-9]{2})[/-]([0-9]{1,2})[/-]([0-9]{1,2})(?:/|-|\.|_|$)")
        .expect("static regex")
});
static URL_COMPACT: LazyLock<Regex> = LazyLock::new(|| {
    crate::text::re(r"/((?:19|20)[0-9]{2})([0-9]{2})([0-9]{2})/").expect("static regex")
});
static VISIBLE: LazyLock<Regex> = LazyLock::new(|| {
    crate::text::re(
        r"(?i)(?-u:\b)(?:published|posted|first published|date)\s*(?:on|at)?\s*:?\s*(.+)",
    )
    .expect("static regex")
});

fn month_num(m: &str) -> Option<u32> {
    let m = m.to_ascii_lowercase();
    let n = match m.get(..3)? {
        "jan" => 1,
        "feb" => 2,
        "mar" => 3,
        "apr" => 4,
        "may" => 5,
        "jun" => 6,
        "jul" => 7,
        "aug" => 8,
        "sep" => 9,
        "oct" => 10,
        "nov" => 11,
        "dec" => 12,
        _ => return None,
    };
    Some(n)
}

fn ymd(y: &str, m: &str, d: &str) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// A date that could be a news publication date (1990 up to next year).
pub fn credible(d: NaiveDate) -> bool {
    let this_year = chrono::Utc::now().year();
    (1990..=this_year + 1).contains(&d.year())
}

/// Parse a date written in any common form: ISO 8601 (`2021-07-24T10:00:00Z`), compact
/// `20210724`, `July 24, 2021`, `24 July 2021`, RFC 2822 (`Sat, 24 Jul 2021 …`), `24.07.2021`.
pub fn parse_any(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let d = if let Some(c) = ISO.captures(s) {
        ymd(&c[1], &c[2], &c[3])
    } else if let Some(c) = COMPACT.captures(s) {
        ymd(&c[1], &c[2], &c[3])
    } else if let Some(c) = MDY.captures(s) {
        NaiveDate::from_ymd_opt(c[3].parse().ok()?, month_num(&c[1])?, c[2].parse().ok()?)
    } else if let Some(c) = DMY.captures(s) {
        NaiveDate::from_ymd_opt(c[3].parse().ok()?, month_num(&c[2])?, c[1].parse().ok()?)
    } else if let Some(c) = DMY_NUM.captures(s) {
        ymd(&c[3], &c[2], &c[1])
    } else {
        None
    };
    d.filter(|d| credible(*d))
}

/// A date embedded in a URL path such as `/2021/07/24/` or `/20210724/`.
pub fn from_url(url: &str) -> Option<NaiveDate> {
    let d = if let Some(c) = URL_DATE.captures(url) {
        ymd(&c[1], &c[2], &c[3])
    } else if let Some(c) = URL_COMPACT.captures(url) {
        ymd(&c[1], &c[2], &c[3])
    } else {
        None
    };
    d.filter(|d| credible(*d))
}

/// A visible "Published July 24, 2021" / "Posted on 24.07.2021" date in a short line.
pub fn from_visible(line: &str) -> Option<NaiveDate> {
    if line.len() > 200 {
        return None;
    }
    let c = VISIBLE.captures(line)?;
    parse_any(c.get(1)?.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, dd)
    }

    #[test]
    fn formats() {
        assert_eq!(parse_any("2021-07-24T09:15:00+03:00"), d(2021, 7, 24));
        assert_eq!(parse_any("20210724"), d(2021, 7, 24));
        assert_eq!(parse_any("July 24, 2021 10:02 AM"), d(2021, 7, 24));
        assert_eq!(parse_any("Sat, 24 Jul 2021 10:00:00 GMT"), d(2021, 7, 24));
        assert_eq!(parse_any("24th of July 2021"), d(2021, 7, 24));
        assert_eq!(parse_any("24.07.2021"), d(2021, 7, 24));
        assert_eq!(parse_any("1850-01-01"), None);
        assert_eq!(parse_any("no date"), None);
    }

    #[test]
    fn urls_and_visible() {
        assert_eq!(
            from_url("https://x.example/world/2021/07/24/story-slug"),
            d(2021, 7, 24)
        );
        assert_eq!(
            from_url("https://x.example/news/20210724/slug"),
            d(2021, 7, 24)
        );
        assert_eq!(from_url("https://x.example/news/slug-123"), None);
        assert_eq!(from_visible("Published July 24, 2021"), d(2021, 7, 24));
        assert_eq!(
            from_visible("Posted on: 24 July 2021, 10:00"),
            d(2021, 7, 24)
        );
    }
}
