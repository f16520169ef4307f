//! Finding place names and border phrases in text.

use std::collections::{HashMap, HashSet};

use outpost_core::PlaceMention;

use crate::{Feature, Gazetteer, Place, fold_key};

/// A name match at word boundaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Hit {
    start: usize,
    end: usize,
    pattern: usize,
}

/// Words naming a border line.
const BORDER_WORDS: [&str; 6] = [
    "border",
    "borders",
    "frontier",
    "frontiers",
    "boundary",
    "boundaries",
];

/// Words that may stand between a country pair and the border word ("Afghan-Tajik state border").
const BORDER_MODIFIERS: [&str; 11] = [
    "state",
    "land",
    "shared",
    "common",
    "river",
    "mountain",
    "mountainous",
    "northern",
    "southern",
    "eastern",
    "western",
];

/// Titles that make a following name a person's ("General Milan Radović", "President Georgia …").
const PERSON_TITLES: [&str; 24] = [
    "general",
    "gen",
    "president",
    "minister",
    "mr",
    "mrs",
    "ms",
    "dr",
    "colonel",
    "col",
    "captain",
    "capt",
    "sheikh",
    "lieutenant",
    "lt",
    "major",
    "commander",
    "spokesman",
    "spokeswoman",
    "senator",
    "sen",
    "rep",
    "judge",
    "ambassador",
];

/// True when the word before `start` is a title such as "General" or "Mr.".
fn after_title(text: &str, start: usize) -> bool {
    let head = &text[..start];
    let before = head.trim_end();
    if before.len() == head.len() {
        return false; // not a separate word
    }
    let before = before.strip_suffix('.').unwrap_or(before);
    let len: usize = before
        .chars()
        .rev()
        .take_while(|c| c.is_alphabetic())
        .map(char::len_utf8)
        .sum();
    let word = before[before.len() - len..].to_lowercase();
    PERSON_TITLES.contains(&word.as_str())
}

/// Nouns that make "Afghan border …" an actor ("Afghan border guards"), not a place.
const BORDER_ACTOR_NOUNS: [&str; 14] = [
    "guard",
    "guards",
    "guardsmen",
    "police",
    "policemen",
    "troops",
    "forces",
    "force",
    "service",
    "officials",
    "official",
    "agency",
    "authorities",
    "units",
];

/// Words after the border word that still belong to the place ("border area between …").
const BORDER_AREAS: [&str; 4] = ["area", "region", "zone", "areas"];

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Skips spaces (including no-break spaces); returns the new position.
fn skip_ws(text: &str, pos: usize) -> usize {
    let mut p = pos;
    for c in text[pos..].chars() {
        if c.is_whitespace() {
            p += c.len_utf8();
        } else {
            break;
        }
    }
    p
}

/// The word (letters only) starting at `pos`, and its end.
fn word_at(text: &str, pos: usize) -> Option<(&str, usize)> {
    let rest = text.get(pos..)?;
    let len: usize = rest
        .chars()
        .take_while(|c| c.is_alphabetic())
        .map(char::len_utf8)
        .sum();
    (len > 0).then(|| (&rest[..len], pos + len))
}

/// Matches one of `words` (case-insensitive) as a whole word at `pos`; returns its end.
fn eat_word(text: &str, pos: usize, words: &[&str]) -> Option<usize> {
    let (w, end) = word_at(text, pos)?;
    let lw = w.to_lowercase();
    words.iter().any(|x| *x == lw).then_some(end)
}

/// Skips an optional "the " at `pos`.
fn skip_the(text: &str, pos: usize) -> usize {
    match eat_word(text, pos, &["the"]) {
        Some(e) if text[e..].starts_with(char::is_whitespace) => skip_ws(text, e),
        _ => pos,
    }
}

/// Matches the border word, with an optional modifier before it and an optional
/// "area/region/zone" after it, starting at `pos`; returns the end of the phrase.
fn border_word(text: &str, pos: usize) -> Option<usize> {
    let mut p = pos;
    if let Some(e) = eat_word(text, p, &BORDER_MODIFIERS) {
        let q = skip_ws(text, e);
        if q > e {
            p = q;
        }
    }
    let mut end = eat_word(text, p, &BORDER_WORDS)?;
    let q = skip_ws(text, end);
    if q > end {
        end = eat_word(text, q, &BORDER_AREAS).unwrap_or(end);
    }
    Some(end)
}

/// A dash or slash joining two country words, with optional spaces; returns the end.
fn eat_joiner(text: &str, pos: usize) -> Option<usize> {
    let p = skip_ws(text, pos);
    let c = text[p..].chars().next()?;
    if matches!(c, '-' | '–' | '—' | '‐' | '/') {
        Some(skip_ws(text, p + c.len_utf8()))
    } else {
        None
    }
}

/// A border phrase found in the text.
struct BorderHit {
    start: usize,
    end: usize,
    a: String,
    b: String,
}

struct Finder<'a> {
    g: &'a Gazetteer,
    text: &'a str,
    /// Hits naming a country (name or demonym), by start offset, longest first.
    country_hits: HashMap<usize, Vec<Hit>>,
}

impl Finder<'_> {
    fn countries(&self, h: Hit) -> &[String] {
        &self.g.target(h.pattern).countries
    }

    /// The longest country-naming hit starting at `pos`.
    fn country_at(&self, pos: usize) -> Option<Hit> {
        self.country_hits.get(&pos).and_then(|v| v.first().copied())
    }

    /// Chooses the pair of countries for two country hits: a pair with a known border
    /// first, else the first candidates.
    fn choose_pair(&self, h1: Hit, h2: Hit) -> Option<(String, String)> {
        let c1 = self.countries(h1);
        let c2 = self.countries(h2);
        let mut first = None;
        for a in c1 {
            for b in c2 {
                if a == b {
                    continue;
                }
                if self.g.has_border(a, b) {
                    return Some((a.clone(), b.clone()));
                }
                first.get_or_insert((a.clone(), b.clone()));
            }
        }
        first
    }

    /// "Tajik-Afghan border", "Afghanistan–Tajikistan frontier" starting at `h1`.
    fn joined_pair(&self, h1: Hit) -> Option<BorderHit> {
        let text = self.text;
        let p = eat_joiner(text, h1.end)?;
        let h2 = self.country_at(p)?;
        let q = skip_ws(text, h2.end);
        if q == h2.end {
            return None;
        }
        let end = border_word(text, q)?;
        let (a, b) = self.choose_pair(h1, h2)?;
        Some(BorderHit {
            start: h1.start,
            end,
            a,
            b,
        })
    }

    /// "Tajikistan's border with Afghanistan" starting at `h1`.
    fn possessive(&self, h1: Hit) -> Option<BorderHit> {
        let text = self.text;
        let rest = &text[h1.end..];
        let s = ["'s", "’s"].iter().find(|s| rest.starts_with(**s))?;
        let p = skip_ws(text, h1.end + s.len());
        let e = border_word(text, p)?;
        let w = eat_word(text, skip_ws(text, e), &["with"])?;
        let h2 = self.country_at(skip_the(text, skip_ws(text, w)))?;
        let (a, b) = self.choose_pair(h1, h2)?;
        Some(BorderHit {
            start: h1.start,
            end: h2.end,
            a,
            b,
        })
    }

    /// Border phrases naming one country ("the Afghan border", "its border with
    /// Afghanistan"); the other side is the neighbour named nearest to the phrase in the text
    /// (`named`: position and ISO3 of every country mention) or, failing that, a neighbour
    /// from `context`. Phrases whose neighbour cannot be found are not returned.
    fn single_borders(
        &self,
        hits: &[Hit],
        taken: &[BorderHit],
        named: &[(usize, String)],
        context: &HashSet<String>,
    ) -> Vec<BorderHit> {
        let text = self.text;
        let free = |s: usize, e: usize| taken.iter().all(|b| e <= b.start || s >= b.end);
        let partner = |x: &str, at: usize| -> Option<String> {
            let near = named
                .iter()
                .filter(|(_, c)| c != x && self.g.has_border(x, c))
                .min_by_key(|(p, _)| p.abs_diff(at))
                .map(|(_, c)| c.clone());
            near.or_else(|| {
                let mut v: Vec<&String> = context
                    .iter()
                    .filter(|c| c.as_str() != x && self.g.has_border(x, c))
                    .collect();
                v.sort();
                v.first().map(|c| (*c).clone())
            })
        };
        let mut out = Vec::new();
        for &h in hits {
            let Some(x) = self.countries(h).first() else {
                continue;
            };
            // "the Afghan border" (not "Afghan border guards")
            let q = skip_ws(text, h.end);
            let Some(end) = border_word(text, q).filter(|_| q > h.end) else {
                continue;
            };
            let next = skip_ws(text, end);
            let actor = next > end && eat_word(text, next, &BORDER_ACTOR_NOUNS).is_some();
            if actor || !free(h.start, end) {
                continue;
            }
            if let Some(p) = partner(x, h.start) {
                out.push(BorderHit {
                    start: h.start,
                    end,
                    a: x.clone(),
                    b: p,
                });
            }
        }
        // "its border with Afghanistan"
        let mut prev: Option<char> = None;
        for (pos, c) in text.char_indices() {
            let at_word_start = c.is_alphabetic() && !prev.is_some_and(is_word_char);
            prev = Some(c);
            if !at_word_start {
                continue;
            }
            let Some(e) = border_word(text, pos) else {
                continue;
            };
            let Some(w) = eat_word(text, skip_ws(text, e), &["with"]) else {
                continue;
            };
            let Some(h) = self.country_at(skip_the(text, skip_ws(text, w))) else {
                continue;
            };
            let Some(x) = self.countries(h).first() else {
                continue;
            };
            if let Some(p) = partner(x, pos).filter(|_| free(pos, h.end)) {
                out.push(BorderHit {
                    start: pos,
                    end: h.end,
                    a: p,
                    b: x.clone(),
                });
            }
        }
        out
    }

    fn borders(&self, hits: &[Hit]) -> Vec<BorderHit> {
        let text = self.text;
        let mut out = Vec::new();
        for &h1 in hits {
            if self.countries(h1).is_empty() {
                continue;
            }
            if let Some(b) = self.joined_pair(h1).or_else(|| self.possessive(h1)) {
                out.push(b);
            }
        }
        // "the border between Tajikistan and Afghanistan"
        let mut prev: Option<char> = None;
        for (pos, c) in text.char_indices() {
            let starts = c.is_alphabetic();
            let at_word_start = !prev.is_some_and(is_word_char);
            prev = Some(c);
            if !starts || !at_word_start {
                continue;
            }
            let Some(e) = border_word(text, pos) else {
                continue;
            };
            let q = skip_ws(text, e);
            let Some(w) = eat_word(text, q, &["between"]) else {
                continue;
            };
            let r = skip_the(text, skip_ws(text, w));
            let Some(h1) = self.country_at(r) else {
                continue;
            };
            let s = skip_ws(text, h1.end);
            let Some(and) = eat_word(text, s, &["and"]) else {
                continue;
            };
            let t = skip_the(text, skip_ws(text, and));
            let Some(h2) = self.country_at(t) else {
                continue;
            };
            if let Some((a, b)) = self.choose_pair(h1, h2) {
                out.push(BorderHit {
                    start: pos,
                    end: h2.end,
                    a,
                    b,
                });
            }
        }
        // keep non-overlapping, longest first
        out.sort_by(|x, y| {
            (y.end - y.start)
                .cmp(&(x.end - x.start))
                .then(x.start.cmp(&y.start))
        });
        let mut kept: Vec<BorderHit> = Vec::new();
        for b in out {
            if kept.iter().all(|k| b.end <= k.start || b.start >= k.end) {
                kept.push(b);
            }
        }
        kept
    }
}

/// The prior score of a candidate, before any context: feature, GeoNames feature code and
/// population.
pub(crate) fn prior(feature: Feature, population: u64, code: &str) -> f64 {
    let pop = ((population as f64) + 1.0).log10();
    match feature {
        Feature::Country => 9.5 + 0.05 * pop,
        Feature::Capital => 8.5 + 0.1 * pop,
        Feature::City => {
            let bonus = match code {
                "PPLC" => 1.5,
                "PPLA" => 1.0,
                "PPLA2" => 0.4,
                "PPLX" => -0.6,
                _ => 0.0,
            };
            1.5 + 0.8 * pop + bonus
        }
        Feature::Admin1 => 6.5,
        Feature::Admin2 => 4.6,
        Feature::Region => 7.0,
        Feature::Border => 0.0,
    }
}

/// True when `span` (as written in the text) may stand for the gazetteer spelling
/// `spelling` (same letters ignoring case): written the same, or with more capitals (never
/// fewer), or - with `caps` - all in capitals (datelines, headlines).
pub(crate) fn case_ok(span: &str, spelling: &str, caps: bool) -> bool {
    if span == spelling {
        return true;
    }
    if !span.chars().next().is_some_and(char::is_uppercase) {
        return false;
    }
    let letters = span.chars().filter(|c| c.is_alphabetic()).count();
    if caps && letters >= 4 && !span.chars().any(char::is_lowercase) {
        return true;
    }
    span.chars()
        .zip(spelling.chars())
        .all(|(a, b)| !(a.is_lowercase() && b.is_uppercase()))
        && !(span.chars().skip(1).all(|c| !c.is_lowercase()) && letters >= 2)
}

/// Every gazetteer name (and demonym) in `text` at word boundaries, overlapping, sorted by
/// start then longest first. A name must start with a capital letter.
fn all_hits(g: &Gazetteer, text: &str) -> Vec<Hit> {
    // runs of letters and digits
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut cur: Option<usize> = None;
    for (i, c) in text.char_indices() {
        if c.is_alphanumeric() {
            if cur.is_none() {
                cur = Some(i);
            }
        } else if let Some(s) = cur.take() {
            runs.push((s, i));
        }
    }
    if let Some(s) = cur {
        runs.push((s, text.len()));
    }
    let max_words = g.max_words().max(1) + 1;
    let mut out = Vec::new();
    let mut key = String::new();
    for i in 0..runs.len() {
        let (s, _) = runs[i];
        if !text[s..].chars().next().is_some_and(char::is_uppercase) {
            continue;
        }
        for j in i..runs.len().min(i + max_words) {
            if j > i {
                let sep = &text[runs[j - 1].1..runs[j].0];
                if sep.len() > 3
                    || !sep
                        .chars()
                        .all(|c| matches!(c, ' ' | '-' | '\'' | '’' | '.' | '&' | '–'))
                {
                    break;
                }
            }
            let e = runs[j].1;
            let mut ends = vec![e];
            if text[e..].starts_with('.') {
                ends.push(e + 1);
            }
            for end in ends {
                let span = &text[s..end];
                fold_key(span, &mut key);
                let Some(k) = g.target_by_key(&key) else {
                    continue;
                };
                let t = g.target(k);
                let caps_ok = caps_context(text, s, end);
                if t.spellings().any(|sp| case_ok(span, sp, caps_ok)) {
                    out.push(Hit {
                        start: s,
                        end,
                        pattern: k,
                    });
                }
            }
        }
    }
    out.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
    out
}

/// True when an all-capitals name at `start..end` stands in capitals for a reason: at the
/// start of a paragraph (a dateline) or inside a line with no lower-case letters nearby.
fn caps_context(text: &str, start: usize, end: usize) -> bool {
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    if text[line_start..start].trim().is_empty() {
        return true;
    }
    let before: String = text[..start].chars().rev().take(25).collect();
    let after: String = text[end..].chars().take(25).collect();
    !before.chars().any(char::is_lowercase) && !after.chars().any(char::is_lowercase)
}

/// Words before a place name that mark a location ("in Kabul", "near Termez").
const LOCATIVES: [&str; 14] = [
    "in", "at", "near", "from", "to", "outside", "into", "across", "around", "towards",
    "toward", "through", "inside", "via",
];

/// Words after a demonym that show it is a people noun, a language or an actor, not a
/// place ("the French said", "in English", "speak Russian").
const NOT_ADJECTIVE_NEXT: [&str; 22] = [
    "who", "said", "says", "are", "were", "is", "was", "have", "has", "had", "will", "would",
    "language", "languages", "speaker", "speakers", "speaking", "translation", "version",
    "subtitles", "word", "words",
];

/// Words before a demonym that make it a language ("speak Russian").
const LANGUAGE_VERBS: [&str; 8] = [
    "speak", "speaks", "spoke", "speaking", "spoken", "translated", "fluent", "learn",
];

/// The word before `pos` (letters only, lower-cased) and where it starts, skipping spaces.
fn word_before(text: &str, pos: usize) -> Option<(String, usize)> {
    let head = text[..pos].trim_end();
    let len: usize = head
        .chars()
        .rev()
        .take_while(|c| c.is_alphabetic())
        .map(char::len_utf8)
        .sum();
    (len > 0).then(|| (head[head.len() - len..].to_lowercase(), head.len() - len))
}

/// True when the text before `pos` ends a sentence (or there is nothing before it).
fn sentence_initial(text: &str, pos: usize) -> bool {
    let head = text[..pos].trim_end_matches([' ', '"', '“', '‘', '\'', '(', '\t']);
    match head.chars().next_back() {
        None => true,
        Some(c) => matches!(c, '.' | '!' | '?' | ':' | '\n' | '—' | '–' | '-' | '|' | '•'),
    }
}

/// The next word after `pos`, skipping spaces: (word, its start).
fn word_after(text: &str, pos: usize) -> Option<(&str, usize)> {
    let p = skip_ws(text, pos);
    if p == pos {
        return None; // not separated by a space
    }
    let rest = &text[p..];
    let len: usize = rest
        .chars()
        .take_while(|c| c.is_alphanumeric())
        .map(char::len_utf8)
        .sum();
    (len > 0).then(|| (&rest[..len], p))
}

/// A mention chosen in the text, with its candidates.
#[derive(Debug, Clone)]
struct Mention {
    hit: Hit,
    /// True for a demonym used as an adjective.
    demonym: bool,
}

/// Document context: which countries and regions the text supports, and where.
#[derive(Debug, Default)]
struct Context {
    /// ISO3 → start offsets of the mentions supporting it.
    countries: HashMap<String, Vec<usize>>,
    /// (ISO3, admin1 name) → start offsets of mentions naming or lying in that region.
    admin1: HashMap<(String, String), Vec<usize>>,
    /// Countries given by the caller (other parts of the document).
    given: HashSet<String>,
    /// The country of the dateline, if any.
    dateline: Option<String>,
    /// Points of confidently placed mentions: (start, lat, lon).
    points: Vec<(usize, f64, f64)>,
}

impl Context {
    /// The bonus (a log-probability, ≤ 0) for a candidate in country `c`: the share of the
    /// text's country support that `c` has, the mention at `own` left out. Neutral when the
    /// text names no country.
    fn country_bonus(&self, c: &str, own: usize) -> f64 {
        let n = self.country_support(c, own) as f64
            + if self.dateline.as_deref() == Some(c) { 2.0 } else { 0.0 };
        let total: usize = self
            .countries
            .values()
            .map(|v| v.iter().filter(|&&s| s != own).count())
            .sum::<usize>()
            + self.given.len();
        let total = total as f64 + if self.dateline.is_some() { 2.0 } else { 0.0 };
        1.3 * ((n + 0.3) / (total + 1.0)).ln() - 1.3 * (0.3f64).ln()
    }

    /// Support for a country from mentions other than the one at `own`.
    fn country_support(&self, c: &str, own: usize) -> usize {
        let n = self
            .countries
            .get(c)
            .map_or(0, |v| v.iter().filter(|&&s| s != own).count());
        n + usize::from(self.given.contains(c))
    }

    fn admin1_support(&self, c: &str, a: &str, own: usize) -> usize {
        self.admin1
            .get(&(c.to_string(), a.to_string()))
            .map_or(0, |v| v.iter().filter(|&&s| s != own).count())
    }
}

/// Distance in km between two points (haversine).
pub(crate) fn km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0 * a.sqrt().min(1.0).asin()
}

struct Analysis {
    chosen: Vec<Mention>,
    borders: Vec<BorderHit>,
    mentioned: HashSet<String>,
    ctx: Context,
    hits: Vec<Hit>,
}

/// True for places that are safe to take without support: countries, first-level regions,
/// named areas, capitals and big cities.
fn major(p: &Place) -> bool {
    match p.feature {
        Feature::Country | Feature::Admin1 | Feature::Region | Feature::Capital => true,
        Feature::City => p.population >= 100_000 || p.code == "PPLA",
        Feature::Admin2 | Feature::Border => false,
    }
}

struct Model<'a> {
    g: &'a Gazetteer,
    text: &'a str,
    /// hits by start offset
    by_start: HashMap<usize, Vec<Hit>>,
}

impl Model<'_> {
    /// The place a qualifier right after `end` names (", Texas", ", Calif.", " (Lebanon)"):
    /// the target index.
    fn qualifier(&self, end: usize) -> Option<usize> {
        let rest = &self.text[end..];
        let trimmed = rest.trim_start_matches([',', '(']);
        let punct = rest.len() - trimmed.len();
        if punct != 1 {
            return None;
        }
        let p = skip_ws(self.text, end + punct);
        self.by_start
            .get(&p)
            .and_then(|v| v.first())
            .map(|h| h.pattern)
    }

    /// How well candidate `i` fits: prior plus context (`primary`: the text wrote the
    /// place's own name, not an alternate one).
    fn score(&self, i: usize, primary: bool, own: usize, end: usize, ctx: &Context) -> f64 {
        let p = self.g.place(i);
        let mut s = self.g.prior(i) - if primary { 0.0 } else { 1.5 };
        if let Some(c) = p.country.as_deref() {
            s += ctx.country_bonus(c, own);
            if let Some(a) = p.admin1.as_deref()
                && p.feature != Feature::Admin1
                && ctx.admin1_support(c, a, own) > 0
            {
                s += 2.5;
            }
            if let Some(q) = self.qualifier(end) {
                let t = self.g.target(q);
                let names_country = t.countries.iter().any(|x| x == c);
                let names_region = t.places.iter().any(|&i| {
                    let r = self.g.place(i);
                    r.feature == Feature::Admin1
                        && r.country.as_deref() == Some(c)
                        && p.admin1.as_deref() == Some(r.name.as_str())
                });
                if names_country || names_region {
                    s += 6.0;
                }
            }
        }
        if matches!(p.feature, Feature::City | Feature::Capital | Feature::Admin2) {
            let near = ctx
                .points
                .iter()
                .filter(|(st, _, _)| *st != own)
                .any(|&(_, la, lo)| km(p.lat, p.lon, la, lo) < 120.0);
            if near {
                s += 1.5;
            }
        }
        s
    }

    /// The best candidate of a target for a mention at `start..end`.
    fn best(&self, t: usize, start: usize, end: usize, ctx: &Context) -> Option<(usize, f64)> {
        let t = self.g.target(t);
        let mut best: Option<(usize, f64)> = None;
        let demonyms = t.demonym_rows.iter().map(|&i| (i, true));
        let places = t.places.iter().copied().zip(t.primary.iter().copied()).take(60);
        for (i, primary) in places.chain(demonyms) {
            let sc = self.score(i, primary, start, end, ctx);
            if best.is_none_or(|(_, b)| sc > b) {
                best = Some((i, sc));
            }
        }
        best
    }
}

/// Adds the countries (and regions) a resolved mention supports to `ctx`.
fn support(g: &Gazetteer, ctx: &mut Context, start: usize, p: &Place, confident: bool) {
    if let Some(c) = &p.country {
        ctx.countries.entry(c.clone()).or_default().push(start);
        if let Some(a) = &p.admin1
            && matches!(p.feature, Feature::Admin1 | Feature::Capital | Feature::City | Feature::Admin2)
            && (p.feature == Feature::Admin1 || confident)
        {
            ctx.admin1
                .entry((c.clone(), a.clone()))
                .or_default()
                .push(start);
        }
        if confident && matches!(p.feature, Feature::City | Feature::Capital | Feature::Admin2) {
            ctx.points.push((start, p.lat, p.lon));
        }
    }
    let _ = g;
}

fn analyse(g: &Gazetteer, text: &str, context: &[String], demonyms: bool) -> Analysis {
    let hits = all_hits(g, text);
    let mut country_hits: HashMap<usize, Vec<Hit>> = HashMap::new();
    let mut by_start: HashMap<usize, Vec<Hit>> = HashMap::new();
    for &h in &hits {
        if !g.target(h.pattern).countries.is_empty() {
            country_hits.entry(h.start).or_default().push(h);
        }
        by_start.entry(h.start).or_default().push(h);
    }
    let finder = Finder {
        g,
        text,
        country_hits,
    };
    let borders = finder.borders(&hits);
    let model = Model { g, text, by_start };
    let outside = |h: &Hit, bs: &[BorderHit]| bs.iter().all(|b| h.end <= b.start || h.start >= b.end);

    // 1. a first context from the safe hits: country names, demonyms, major places
    let mut ctx = Context {
        given: context.iter().map(|c| c.to_ascii_uppercase()).collect(),
        ..Context::default()
    };
    for h in &hits {
        let t = g.target(h.pattern);
        if t.demonym && t.places.is_empty() {
            if let Some(c) = t.countries.first() {
                ctx.countries.entry(c.clone()).or_default().push(h.start);
            }
        } else if let Some(&i) = t.places.first() {
            let p = g.place(i);
            if major(p) && !after_title(text, h.start) {
                support(g, &mut ctx, h.start, p, false);
            }
        }
    }
    for b in &borders {
        for c in [&b.a, &b.b] {
            ctx.countries.entry(c.clone()).or_default().push(b.start);
        }
    }
    // the dateline: a place at the very start of the text
    if let Some(h) = hits.iter().find(|h| text[..h.start].trim().is_empty())
        && let Some((i, _)) = model.best(h.pattern, h.start, h.end, &ctx)
    {
        ctx.dateline = g.place(i).country.clone();
    }

    // 2. recognition filters
    let mut cands: Vec<Mention> = Vec::new();
    for &h in &hits {
        if !outside(&h, &borders) || after_title(text, h.start) {
            continue;
        }
        let t = g.target(h.pattern);
        let minor_places = t.places.first().is_none_or(|&i| !major(g.place(i)));
        if t.demonym && minor_places {
            if demonyms && demonym_as_adjective(text, h) {
                cands.push(Mention { hit: h, demonym: true });
            }
            continue;
        }
        if keep_place(&model, h, &ctx) {
            cands.push(Mention { hit: h, demonym: false });
        }
    }
    // longest first, then leftmost, not overlapping
    cands.sort_by(|x, y| {
        (y.hit.end - y.hit.start)
            .cmp(&(x.hit.end - x.hit.start))
            .then(x.hit.start.cmp(&y.hit.start))
    });
    let mut chosen: Vec<Mention> = Vec::new();
    for m in cands {
        if chosen
            .iter()
            .all(|k| m.hit.end <= k.hit.start || m.hit.start >= k.hit.end)
        {
            chosen.push(m);
        }
    }
    chosen.sort_by_key(|m| m.hit.start);

    // 3. the context of the chosen mentions, resolved once without it
    let mut ctx2 = Context {
        given: ctx.given.clone(),
        dateline: ctx.dateline.clone(),
        ..Context::default()
    };
    for m in &chosen {
        let t = g.target(m.hit.pattern);
        if m.demonym || t.places.is_empty() {
            if let Some(c) = t.countries.first() {
                ctx2.countries.entry(c.clone()).or_default().push(m.hit.start);
            }
            continue;
        }
        if let Some((i, _)) = model.best(m.hit.pattern, m.hit.start, m.hit.end, &ctx) {
            let p = g.place(i);
            let single = t
                .places
                .iter()
                .all(|&j| g.place(j).country == p.country);
            support(g, &mut ctx2, m.hit.start, p, major(p) || single);
        }
    }
    // demonyms not emitted still tell the country
    if !demonyms {
        for h in &hits {
            let t = g.target(h.pattern);
            if t.demonym && t.places.is_empty() && t.countries.len() == 1 {
                ctx2.countries
                    .entry(t.countries[0].clone())
                    .or_default()
                    .push(h.start);
            }
        }
    }
    for b in &borders {
        for c in [&b.a, &b.b] {
            ctx2.countries.entry(c.clone()).or_default().push(b.start);
        }
    }

    // one-country border phrases, resolved against the countries named around them
    let mut named: Vec<(usize, String)> = Vec::new();
    for (c, v) in &ctx2.countries {
        for &s in v {
            named.push((s, c.clone()));
        }
    }
    named.sort();
    let singles = finder.single_borders(&hits, &borders, &named, &ctx2.given);
    let mut borders = borders;
    for b in singles {
        if borders.iter().all(|k| b.end <= k.start || b.start >= k.end) {
            borders.push(b);
        }
    }
    chosen.retain(|m| outside(&m.hit, &borders));
    let mut mentioned: HashSet<String> = ctx2.given.clone();
    for (c, v) in &ctx2.countries {
        if !v.is_empty() {
            mentioned.insert(c.clone());
        }
    }
    Analysis {
        chosen,
        borders,
        mentioned,
        ctx: ctx2,
        hits,
    }
}

/// True when a demonym at `h` is used as an adjective of place ("Russian troops", "the
/// Afghan side"), not as a people noun, a language, or a border actor.
fn demonym_as_adjective(text: &str, h: Hit) -> bool {
    let Some((next, _)) = word_after(text, h.end) else {
        return false;
    };
    let lower = next.to_lowercase();
    if NOT_ADJECTIVE_NEXT.contains(&lower.as_str()) || !next.chars().all(char::is_alphabetic) {
        return false;
    }
    if let Some((prev, _)) = word_before(text, h.start)
        && LANGUAGE_VERBS.contains(&prev.as_str())
    {
        return false;
    }
    true
}

/// The recognition filters for a place name (see [`Gazetteer::find`]).
fn keep_place(m: &Model<'_>, h: Hit, ctx: &Context) -> bool {
    let g = m.g;
    let text = m.text;
    let t = g.target(h.pattern);
    let span = &text[h.start..h.end];
    let Some((bi, _)) = m.best(h.pattern, h.start, h.end, ctx) else {
        return false;
    };
    let p = g.place(bi);
    let words = span.split([' ', '-']).filter(|w| !w.is_empty()).count();
    let is_major = major(p);
    let big = matches!(p.feature, Feature::Country | Feature::Capital)
        || p.population >= 1_000_000;
    // how common the name is as a word: only when written as the place's own name
    let freq = t
        .places
        .iter()
        .map(|&i| g.place(i))
        .filter(|q| q.name.eq_ignore_ascii_case(span) || q.name == span)
        .map(|q| q.freq)
        .fold(0.0f32, f32::max);
    let supported = p
        .country
        .as_deref()
        .is_some_and(|c| ctx.country_support(c, h.start) > 0 || ctx.dateline.as_deref() == Some(c));
    let qualified = m.qualifier(h.end).is_some_and(|q| {
        let qt = g.target(q);
        t.places.iter().any(|&i| {
            let c = g.place(i);
            c.country.as_deref().is_some_and(|cc| {
                qt.countries.iter().any(|x| x == cc)
                    || qt.places.iter().any(|&j| {
                        let r = g.place(j);
                        r.feature == Feature::Admin1 && c.admin1.as_deref() == Some(r.name.as_str())
                    })
            })
        })
    });
    let locative = word_before(text, h.start)
        .is_some_and(|(w, _)| LOCATIVES.contains(&w.as_str()));
    let initial = sentence_initial(text, h.start);
    // abbreviations such as "Calif." or "Ga." only right after "Town, "
    if span.ends_with('.') && p.feature == Feature::Admin1 && !text[..h.start].trim_end().ends_with(',') {
        return false;
    }
    if span.chars().count() <= 2 && p.feature != Feature::Country {
        return false;
    }
    if freq >= 4.0 && !big {
        return qualified || (locative && supported && !initial);
    }
    if freq >= 3.0 && !is_major && !(supported || qualified) {
        return false;
    }
    if initial && words == 1 && freq >= 2.5 && !is_major && !qualified {
        return false;
    }
    if words == 1 && !is_major && !qualified {
        // part of a longer proper name ("Jackson Browne", "Lake Mary Road")
        let next_cap = word_after(text, h.end)
            .is_some_and(|(w, _)| w.chars().next().is_some_and(char::is_uppercase));
        let prev_cap = !initial
            && word_before(text, h.start).is_some_and(|(_, s)| {
                text[s..].chars().next().is_some_and(char::is_uppercase)
            });
        if next_cap || prev_cap {
            return false;
        }
        if !supported {
            return false;
        }
    }
    if !is_major && !supported && !qualified && !locative {
        return false;
    }
    true
}

pub(crate) fn mentioned_countries(g: &Gazetteer, text: &str) -> Vec<String> {
    let mut v: Vec<String> = analyse(g, text, &[], false).mentioned.into_iter().collect();
    v.sort();
    v
}

pub(crate) fn find(
    g: &Gazetteer,
    text: &str,
    context: &[String],
    demonyms: bool,
) -> Vec<PlaceMention> {
    let a = analyse(g, text, context, demonyms);
    let model = Model {
        g,
        text,
        by_start: index_hits(&a.hits),
    };
    let mut out: Vec<PlaceMention> = Vec::new();
    for m in &a.chosen {
        let h = m.hit;
        let t = g.target(h.pattern);
        if m.demonym {
            let Some(c) = t
                .countries
                .iter()
                .find(|c| a.mentioned.contains(*c))
                .or(t.countries.first())
            else {
                continue;
            };
            out.push(PlaceMention {
                start: h.start,
                end: h.end,
                text: text[h.start..h.end].to_string(),
                feature: "demonym".to_string(),
                location: g.country(c),
            });
            continue;
        }
        let Some((i, _)) = model.best(h.pattern, h.start, h.end, &a.ctx) else {
            continue;
        };
        let p = g.place(i);
        out.push(PlaceMention {
            start: h.start,
            end: h.end,
            text: text[h.start..h.end].to_string(),
            feature: p.feature.mention_feature().to_string(),
            location: Some(p.location()),
        });
    }
    for b in &a.borders {
        out.push(PlaceMention {
            start: b.start,
            end: b.end,
            text: text[b.start..b.end].to_string(),
            feature: Feature::Border.mention_feature().to_string(),
            location: g.border(&b.a, &b.b),
        });
    }
    out.sort_by_key(|m| m.start);
    out
}

fn index_hits(hits: &[Hit]) -> HashMap<usize, Vec<Hit>> {
    let mut by_start: HashMap<usize, Vec<Hit>> = HashMap::new();
    for &h in hits {
        by_start.entry(h.start).or_default().push(h);
    }
    by_start
}

/// True when a name inside a longer span may stand for the span: a major place whose name
/// is no common word ("Kenya" in "Kenya Airways", not "Council").
fn safe_inside(g: &Gazetteer, h: &Hit) -> bool {
    let t = g.target(h.pattern);
    if t.places.is_empty() {
        return t.demonym;
    }
    let p = g.place(t.places[0]);
    major(p) && p.freq < 3.0
}

/// Resolves given byte spans of `text` (see [`Gazetteer::resolve_spans`]).
pub(crate) fn resolve_spans(
    g: &Gazetteer,
    text: &str,
    spans: &[(usize, usize)],
) -> Vec<Option<outpost_core::Location>> {
    let a = analyse(g, text, &[], true);
    let model = Model {
        g,
        text,
        by_start: index_hits(&a.hits),
    };
    let mut key = String::new();
    spans
        .iter()
        .map(|&(s, e)| {
            let span = text.get(s..e)?;
            // the whole span, then without "the" / a possessive, then the longest hit inside
            let mut tries: Vec<(usize, usize)> = vec![(s, e)];
            let lower = span.to_lowercase();
            if lower.starts_with("the ") {
                tries.push((s + 4, e));
            }
            for suf in ["'s", "’s", "s'"] {
                if span.ends_with(suf) {
                    tries.push((s, e - suf.len()));
                }
            }
            let mut target = None;
            for (ts, te) in tries {
                fold_key(&text[ts..te], &mut key);
                if let Some(k) = g.target_by_key(&key) {
                    target = Some((k, ts, te));
                    break;
                }
            }
            if target.is_none() {
                // a name the recogniser kept, else a safe one (a major place, no common word)
                let inside = |h: &&Hit| h.start >= s && h.end <= e;
                let longest = |v: Vec<Hit>| {
                    v.into_iter()
                        .max_by_key(|h| (h.end - h.start, usize::MAX - h.start))
                        .map(|h| (h.pattern, h.start, h.end))
                };
                target = longest(a.chosen.iter().map(|m| m.hit).filter(|h| inside(&h)).collect())
                    .or_else(|| {
                        longest(
                            a.hits
                                .iter()
                                .filter(inside)
                                .filter(|h| safe_inside(g, h))
                                .copied()
                                .collect(),
                        )
                    });
            }
            let (k, ts, te) = target?;
            let (i, _) = model.best(k, ts, te, &a.ctx)?;
            Some(g.place(i).location())
        })
        .collect()
}
