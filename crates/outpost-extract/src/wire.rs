//! Wire-agency credits: the agency list (a data file) and the patterns that credit a story
//! to an agency ("KABUL (Reuters) -", "— AP", a standalone "Reuters" line, "By AFP").

use regex::Regex;
use std::collections::HashMap;
use std::sync::LazyLock;

/// The default agency list, `data/wires.txt`.
pub const DEFAULT_WIRES: &str = include_str!("../data/wires.txt");

/// A broken line in a wire-agency list.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("wire list line {line}: {message}")]
pub struct WireListError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong with it.
    pub message: String,
}

/// Wire agencies by alias: maps every alias (as written and in upper case) to the
/// agency's canonical name.
#[derive(Debug, Clone, Default)]
pub struct WireList {
    by_alias: HashMap<String, String>,
}

impl WireList {
    /// Parse a list in the `wires.txt` format: `CANONICAL|ALIAS|ALIAS…` per line,
    /// `#` comments and blank lines ignored.
    pub fn parse(src: &str) -> Result<Self, WireListError> {
        let mut list = WireList::default();
        for (i, raw) in src.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let fields: Vec<&str> = line.split('|').map(str::trim).collect();
            if fields.iter().any(|f| f.is_empty()) {
                return Err(WireListError {
                    line: i + 1,
                    message: format!("empty name or alias in {line:?}"),
                });
            }
            let canonical = fields[0].to_string();
            for f in &fields {
                for key in [f.to_string(), f.to_uppercase()] {
                    if let Some(prev) = list.by_alias.get(&key)
                        && *prev != canonical
                    {
                        return Err(WireListError {
                            line: i + 1,
                            message: format!("alias {key:?} already belongs to {prev:?}"),
                        });
                    }
                    list.by_alias.insert(key, canonical.clone());
                }
            }
        }
        Ok(list)
    }

    /// Number of aliases (including upper-case forms).
    pub fn len(&self) -> usize {
        self.by_alias.len()
    }

    /// True when the list has no agencies.
    pub fn is_empty(&self) -> bool {
        self.by_alias.is_empty()
    }

    /// The canonical agency for an exact alias.
    pub fn lookup(&self, alias: &str) -> Option<&str> {
        self.by_alias.get(alias.trim()).map(String::as_str)
    }

    /// The first agency named in `s`, trying the whole string, then parts split on
    /// `/`, `,`, `;`, `and`, `&`.
    fn lookup_parts(&self, s: &str) -> Option<&str> {
        let s = s
            .trim()
            .trim_matches(|c: char| c.is_ascii_punctuation() && c != '-');
        if let Some(w) = self.lookup(s) {
            return Some(w);
        }
        let s = STRIP_SUFFIX.replace(s, "");
        if let Some(w) = self.lookup(&s) {
            return Some(w);
        }
        s.split(['/', ',', ';', '&', '+'])
            .flat_map(|p| p.split(" and "))
            .find_map(|p| self.lookup(STRIP_SUFFIX.replace(p.trim(), "").trim()))
    }

    /// The agency credited by a dateline or sign-off in a paragraph: "CITY (Reuters) -",
    /// "(AFP) —", "CITY, July 1 /TASS/." at the start; "— AP", "(Xinhua)" at the end.
    pub fn credit_in_paragraph(&self, p: &str) -> Option<&str> {
        let p = p.trim();
        [start_paren(p), start_slash(p), end_paren(p), end_dash(p)]
            .into_iter()
            .flatten()
            .find_map(|c| self.lookup_parts(c))
    }

    /// The agency when the whole (short) line is a credit: "Reuters", "By AFP",
    /// "Source: TASS", "© Xinhua", "AP staff", "Reuters and AFP".
    pub fn standalone(&self, line: &str) -> Option<&str> {
        let t = line.trim();
        if t.is_empty() || t.len() > 60 {
            return None;
        }
        let t = STRIP_PREFIX.replace(t, "");
        self.lookup_parts(&t)
    }
}

const DASHES: [char; 3] = ['-', '–', '—'];

/// The text inside `(…)` in a dateline such as "KABUL, July 3 (Reuters) -".
fn start_paren(p: &str) -> Option<&str> {
    let open = p.find('(')?;
    if p[..open].chars().count() > 80 || p[..open].contains(')') {
        return None;
    }
    let close = open + p[open..].find(')')?;
    let inside = &p[open + 1..close];
    let after = p[close + 1..].trim_start();
    (after.starts_with(DASHES) || after.starts_with(':')).then_some(inside)
}

/// The text inside `/…/` in a dateline such as "MOSCOW, July 1 /TASS/.".
fn start_slash(p: &str) -> Option<&str> {
    let open = p.find(" /")? + 2;
    if p[..open].chars().count() > 60 || !p.starts_with(char::is_uppercase) {
        return None;
    }
    let close = open + p[open..].find('/')?;
    let after = &p[close + 1..];
    (after.starts_with(['.', ':', ' ']) || after.is_empty()).then_some(&p[open..close])
}

/// The text inside a final `(…)`: "… next week. (Xinhua)".
fn end_paren(p: &str) -> Option<&str> {
    let t = p.trim_end_matches(|c: char| c == '.' || c.is_whitespace());
    let body = t.strip_suffix(')')?;
    let open = body.rfind('(')?;
    Some(&body[open + 1..])
}

/// The credit after a final dash: "… survivors. — AP".
fn end_dash(p: &str) -> Option<&str> {
    let t = p.trim_end_matches(|c: char| c == '.' || c.is_whitespace());
    let dash = t.rfind(DASHES)?;
    let tail = t[dash..].trim_start_matches(DASHES).trim();
    let before = t[..dash].trim_end_matches(DASHES);
    let sep_ok =
        before.ends_with(char::is_whitespace) || before.ends_with(['.', '!', '?', '”', '"']);
    let n = tail.chars().count();
    let clean = tail
        .chars()
        .all(|c| c.is_alphabetic() || matches!(c, ' ' | '.' | '&' | '/' | '-'));
    (sep_ok && (2..=40).contains(&n) && clean).then_some(tail)
}

static STRIP_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    crate::text::re(r"(?i)^(?:by|source|sources|via|from|credit|with|agencies|©|\(c\)|copyright(?:\s+\d{4})?)\s*[:\-–—]?\s*(?:the\s+)?")
        .expect("static regex")
});
static STRIP_SUFFIX: LazyLock<Regex> = LazyLock::new(|| {
    crate::text::re(r"(?i)\s+(?:staff|reporters?|news agency|newswire|wire|wires|agencies|contributed to this report|\d{4})\.?$")
        .expect("static regex")
});

/// The default agency list, parsed once (empty if the embedded file were broken, which a
/// test rules out).
pub static DEFAULT: LazyLock<WireList> =
    LazyLock::new(|| WireList::parse(DEFAULT_WIRES).unwrap_or_default());

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_list_parses() {
        let l = WireList::parse(DEFAULT_WIRES).unwrap();
        assert!(l.len() > 40);
        assert_eq!(l.lookup("Associated Press"), Some("AP"));
        assert_eq!(l.lookup("REUTERS"), Some("Reuters"));
    }

    #[test]
    fn broken_lines_are_reported_with_numbers() {
        let e = WireList::parse("# c\nReuters\nAFP||x\n").unwrap_err();
        assert_eq!(e.line, 3);
        let e = WireList::parse("Reuters\nAFP|Reuters\n").unwrap_err();
        assert_eq!(e.line, 2);
    }

    #[test]
    fn datelines_and_signoffs() {
        let l = &*DEFAULT;
        assert_eq!(
            l.credit_in_paragraph("KABUL (Reuters) - The city council said on Monday."),
            Some("Reuters")
        );
        assert_eq!(
            l.credit_in_paragraph("ANKARA, March 3 (Anadolu) — Officials said."),
            Some("Anadolu")
        );
        assert_eq!(
            l.credit_in_paragraph("PARIS (AFP) – Strikes hit trains."),
            Some("AFP")
        );
        assert_eq!(
            l.credit_in_paragraph("Rescuers found two more survivors. — AP"),
            Some("AP")
        );
        assert_eq!(
            l.credit_in_paragraph("The talks will resume next week. (Xinhua)"),
            Some("Xinhua")
        );
        assert_eq!(
            l.credit_in_paragraph("MOSCOW, July 1 /TASS/. The ministry said."),
            Some("TASS")
        );
        assert_eq!(
            l.credit_in_paragraph("The minister (pictured) - spoke."),
            None
        );
        assert_eq!(
            l.credit_in_paragraph("TASS quoted the port authority as saying."),
            None
        );
    }

    #[test]
    fn standalone_credits() {
        let l = &*DEFAULT;
        assert_eq!(l.standalone("Reuters"), Some("Reuters"));
        assert_eq!(l.standalone("By AFP"), Some("AFP"));
        assert_eq!(l.standalone("Source: The Associated Press"), Some("AP"));
        assert_eq!(l.standalone("dpa staff"), Some("dpa"));
        assert_eq!(l.standalone("Reuters, AFP"), Some("Reuters"));
        assert_eq!(l.standalone("Breaking news from the region"), None);
    }
}
