//! Finding place names and border phrases in text.

use outpost_core::PlaceMention;

use crate::{FastMap as HashMap, FastSet as HashSet, Feature, Gazetteer, Place, fold_key};

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
const PERSON_TITLES: [&str; 27] = [
    // Arabic name particles ("son of", "daughter of"): what follows is a person's name
    // ("Mohammed bin Rashid"), never a place
    "bin",
    "ibn",
    "bint",
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
    lower_is_any(&before[before.len() - len..], &PERSON_TITLES)
}

/// True when `word` lower-cased is one of `words` (all lower case), without allocating
/// for an ASCII word.
fn lower_is_any(word: &str, words: &[&str]) -> bool {
    if word.is_ascii() {
        words.iter().any(|x| word.eq_ignore_ascii_case(x))
    } else {
        let lw = word.to_lowercase();
        words.contains(&lw.as_str())
    }
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
    lower_is_any(w, words).then_some(end)
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
        self.g.target(h.pattern).countries
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
            let mut longer = false;
            for end in ends {
                let span = &text[s..end];
                fold_key(span, &mut key);
                longer = longer || g.is_prefix(&key);
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
            if !longer {
                break; // no name goes on from here
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
    // a dateline after a byline: "… Reuters. KABUL, May 2 -", "KABUL (AP) —"
    let next = text[end..].trim_start_matches(' ').chars().next();
    if sentence_initial(text, start) && matches!(next, Some(',' | '(' | '–' | '—' | '-')) {
        return true;
    }
    !text[..start].chars().rev().take(25).any(char::is_lowercase)
        && !text[end..].chars().take(25).any(char::is_lowercase)
}

/// True when a name at the start of a text, at `start..end`, is written as a dateline:
/// in capitals, or followed by a comma, a bracket or a dash.
fn is_dateline(text: &str, start: usize, end: usize) -> bool {
    let span = &text[start..end];
    let caps = span.chars().filter(|c| c.is_alphabetic()).count() >= 4
        && !span.chars().any(char::is_lowercase);
    let next = text[end..].trim_start_matches(' ').chars().next();
    caps || matches!(next, Some(',' | '(' | '–' | '—' | '-' | ':'))
}

/// Words before a place name that mark a location ("in Kabul", "near Termez").
const LOCATIVES: [&str; 14] = [
    "in", "at", "near", "from", "to", "outside", "into", "across", "around", "towards", "toward",
    "through", "inside", "via",
];

/// Words after a demonym that show it is a people noun, a language or an actor, not a
/// place ("the French said", "in English", "speak Russian").
const NOT_ADJECTIVE_NEXT: [&str; 22] = [
    "who",
    "said",
    "says",
    "are",
    "were",
    "is",
    "was",
    "have",
    "has",
    "had",
    "will",
    "would",
    "language",
    "languages",
    "speaker",
    "speakers",
    "speaking",
    "translation",
    "version",
    "subtitles",
    "word",
    "words",
];

/// Capitalised nouns after a demonym that make it part of a local place name ("French
/// Quarter", "Dutch Street").
const LOCAL_PLACE_NOUNS: [&str; 16] = [
    "quarter", "street", "avenue", "square", "road", "lane", "park", "bridge", "market", "hill",
    "gardens", "village", "town", "hotel", "church", "cemetery",
];

/// Words before a demonym that make it a language ("speak Russian").
const LANGUAGE_VERBS: [&str; 8] = [
    "speak",
    "speaks",
    "spoke",
    "speaking",
    "spoken",
    "translated",
    "fluent",
    "learn",
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
        Some(c) => matches!(
            c,
            '.' | '!' | '?' | ':' | '\n' | '—' | '–' | '-' | '|' | '•'
        ),
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
    /// ISO3 → the mentions supporting it.
    countries: HashMap<String, Support>,
    /// ISO3 → admin1 name → start offsets of mentions naming or lying in that region
    /// (nested, so that a lookup by `&str` needs no owned key).
    admin1: HashMap<String, HashMap<String, Vec<usize>>>,
    /// Countries given by the caller (other parts of the document).
    given: HashSet<String>,
    /// The country of the dateline, if any.
    dateline: Option<String>,
    /// Points of confidently placed mentions: (start, lat, lon).
    points: Vec<(usize, f64, f64)>,
    /// The name (target) of the mention at each start offset: a name repeated in the text
    /// supports its country once, and never supports itself.
    patterns: HashMap<usize, usize>,
    /// All country support (distinct country and name pairs), and how much of it each name
    /// gives (see `seal`).
    total: usize,
    per_pattern: HashMap<usize, usize>,
}

/// The support of one country in a [`Context`].
#[derive(Debug, Default)]
struct Support {
    /// Start offsets of the mentions supporting it.
    starts: Vec<usize>,
    /// The distinct names supporting it (filled by `Context::seal`).
    names: Vec<usize>,
}

/// The name of the support entry at `start` (a unique pseudo-name when unknown).
fn pattern_at(patterns: &HashMap<usize, usize>, start: usize) -> usize {
    patterns.get(&start).copied().unwrap_or(usize::MAX - start)
}

impl Context {
    /// Counts the support once all mentions are in.
    fn seal(&mut self) {
        self.total = 0;
        self.per_pattern.clear();
        for sup in self.countries.values_mut() {
            let ps = &mut sup.names;
            ps.clear();
            ps.extend(sup.starts.iter().map(|&s| pattern_at(&self.patterns, s)));
            ps.sort_unstable();
            ps.dedup();
            self.total += ps.len();
            for &p in ps.iter() {
                *self.per_pattern.entry(p).or_default() += 1;
            }
        }
    }

    /// The name of the support entry at `start` (a unique pseudo-name when unknown).
    fn pattern_at(&self, start: usize) -> usize {
        pattern_at(&self.patterns, start)
    }

    /// Records a support entry of name `pattern` at `start` for country `c`.
    fn add(&mut self, c: &str, start: usize, pattern: usize) {
        self.patterns.insert(start, pattern);
        self.add_country(c, start);
    }

    /// Records a mention at `start` supporting country `c` (no name recorded).
    fn add_country(&mut self, c: &str, start: usize) {
        match self.countries.get_mut(c) {
            Some(sup) => sup.starts.push(start),
            None => {
                let sup = Support {
                    starts: vec![start],
                    names: Vec::new(),
                };
                self.countries.insert(c.to_string(), sup);
            }
        }
    }

    /// The start offsets of mentions naming or lying in region `a` of country `c`.
    fn region_starts(&self, c: &str, a: &str) -> &[usize] {
        self.admin1
            .get(c)
            .and_then(|m| m.get(a))
            .map_or(&[], Vec::as_slice)
    }

    /// The bonus (a log-probability, ≤ 0) for a candidate in country `c`: the share of the
    /// text's country support that `c` has, the mention at `own` left out. Neutral when the
    /// text names no country.
    fn country_bonus(&self, c: &str, own: usize) -> f64 {
        let n = self.country_support(c, own) as f64
            + if self.dateline.as_deref() == Some(c) {
                2.0
            } else {
                0.0
            };
        let at_own = self.per_pattern.get(&own).copied().unwrap_or(0);
        let total = self.total - at_own + self.given.len();
        let total = total as f64 + if self.dateline.is_some() { 2.0 } else { 0.0 };
        1.6 * ((n + 0.3) / (total + 1.0)).ln() - 1.6 * (0.3f64).ln()
    }

    /// Support for a country from names other than `own` (each name counted once).
    fn country_support(&self, c: &str, own: usize) -> usize {
        let n = self
            .countries
            .get(c)
            .map_or(0, |sup| sup.names.iter().filter(|&&p| p != own).count());
        n + usize::from(self.given.contains(c))
    }

    /// Distinct names (other than `own`) of places lying in region `a` of country `c`,
    /// the region's own name left out.
    fn region_places(&self, c: &str, a: &str, own: usize) -> usize {
        let mut ps: Vec<usize> = self
            .region_starts(c, a)
            .iter()
            .map(|&s| self.pattern_at(s))
            .filter(|&p| p != own)
            .collect();
        ps.sort_unstable();
        ps.dedup();
        ps.len()
    }

    fn admin1_support(&self, c: &str, a: &str, own: usize) -> usize {
        self.region_starts(c, a)
            .iter()
            .filter(|&&s| self.pattern_at(s) != own)
            .count()
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

struct Analysis<'a> {
    chosen: Vec<Mention>,
    borders: Vec<BorderHit>,
    mentioned: HashSet<String>,
    ctx: Context,
    hits: Vec<Hit>,
    /// The hits indexed for scoring.
    model: Model<'a>,
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
    /// where hits end
    ends: HashSet<usize>,
    /// hits by end offset (the longest)
    by_end: HashMap<usize, Hit>,
    /// Where the text says a place is a state (see [`state_words`]), found once per text.
    state_words: StateWords,
    /// First-level regions the text names by a dotted abbreviation after "Town, "
    /// ("Camp Murray, Wash."): found once per text (see [`abbreviated_regions`]).
    abbreviated: Vec<&'a str>,
}

/// The names of the first-level regions that the text writes as a dotted abbreviation
/// right after "Town, " ("Wash.", "Calif."): such a text means the region wherever it
/// names it in full (one sense per article).
fn abbreviated_regions<'a>(g: &'a Gazetteer, text: &str, hits: &[Hit]) -> Vec<&'a str> {
    let mut out: Vec<&'a str> = Vec::new();
    for h in hits {
        let span = &text[h.start..h.end];
        if !span.ends_with('.') || !text[..h.start].trim_end().ends_with(',') {
            continue;
        }
        let mut regions = g
            .target(h.pattern)
            .places
            .iter()
            .map(|&i| g.place(i))
            .filter(|p| p.feature == Feature::Admin1);
        // an abbreviation of one region only
        if let (Some(p), None) = (regions.next(), regions.next())
            && !out.contains(&p.name.as_str())
        {
            out.push(p.name.as_str());
        }
    }
    out
}

/// Byte offsets of the words that call a name a state: where " state" / " State" begins
/// right after a name ("Washington state"), and where the name begins after "state of " /
/// "State of " ("the state of Washington").
#[derive(Debug, Default)]
struct StateWords {
    after_name: Vec<usize>,
    before_name: Vec<usize>,
}

/// Finds the [`StateWords`] of a text in one pass over it.
fn state_words(text: &str) -> StateWords {
    let mut w = StateWords::default();
    for (i, _) in text.match_indices("tate") {
        let Some(s) = i.checked_sub(1) else { continue };
        if !matches!(text.as_bytes()[s], b's' | b'S') {
            continue;
        }
        let rest = &text[i + 4..];
        if rest.starts_with(" of ") {
            w.before_name.push(i + 8);
        } else if s > 0
            && text.as_bytes()[s - 1] == b' '
            && !rest.chars().next().is_some_and(char::is_alphanumeric)
        {
            w.after_name.push(s - 1);
        }
    }
    w
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

    /// True when `start` follows a capitalised name and a comma ("Knockhill, ").
    fn after_name(&self, start: usize) -> bool {
        let head = self.text[..start].trim_end_matches(' ');
        let Some(head) = head.strip_suffix(',') else {
            return false;
        };
        let word = head
            .rsplit(|c: char| !c.is_alphanumeric() && c != '-' && c != '\'')
            .next()
            .unwrap_or("");
        word.chars().next().is_some_and(char::is_uppercase)
    }

    /// The place a region written right after `end` as a qualifier names ("Rockingham,
    /// Northamptonshire"): the best reading of the name after ", " when that is a
    /// first- or second-level region.
    fn region_qualifier(&self, end: usize, ctx: &Context) -> Option<usize> {
        let rest = &self.text[end..];
        let after = rest.strip_prefix(',')?;
        let p = skip_ws(self.text, end + 1);
        if p == end + 1 && !after.is_empty() {
            return None;
        }
        let h = self.by_start.get(&p)?.iter().max_by_key(|h| h.end)?;
        let (i, _) = self.best(h.pattern, h.start, h.end, ctx)?;
        matches!(self.g.place(i).feature, Feature::Admin1 | Feature::Admin2).then_some(i)
    }

    /// True when `start` follows "Town, " and a candidate of that town lies in region
    /// `region` of country `c`.
    fn qualifies_town_before(&self, start: usize, c: &str, region: &str) -> bool {
        let head = self.text[..start].trim_end_matches(' ');
        let Some(head) = head.strip_suffix(',') else {
            return false;
        };
        let Some(h) = self.by_end.get(&head.len()) else {
            return false;
        };
        self.g.target(h.pattern).places.iter().take(60).any(|&j| {
            let q = self.g.place(j);
            q.feature != Feature::Admin1
                && q.country.as_deref() == Some(c)
                && q.admin1.as_deref() == Some(region)
        })
    }

    /// True when the text calls `name` a state outright: "Washington state", "New York
    /// State", "the state of Washington", or writes it as a state's abbreviation after a
    /// town ("Camp Murray, Wash.").
    fn named_as_state(&self, name: &str) -> bool {
        if self.abbreviated.contains(&name) {
            return true;
        }
        let t = self.text;
        let word_start = |i: usize| {
            t[..i]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric())
        };
        let after = self.state_words.after_name.iter().any(|&sp| {
            t[..sp]
                .strip_suffix(name)
                .is_some_and(|head| word_start(head.len()))
        });
        after
            || self.state_words.before_name.iter().any(|&p| {
                t[p..].starts_with(name)
                    && !t[p + name.len()..]
                        .chars()
                        .next()
                        .is_some_and(char::is_alphanumeric)
            })
    }

    /// True when the name at `start..end` is listed (", ", " and ", " or ", "/") next to a
    /// name whose most likely reading is a first-level region.
    fn listed_with_region(&self, start: usize, end: usize) -> bool {
        let is_region = |h: &Hit| {
            self.g
                .target(h.pattern)
                .places
                .first()
                .is_some_and(|&j| self.g.place(j).feature == Feature::Admin1)
        };
        let head = &self.text[..start];
        let before = [", ", " and ", " or ", "/", ", and ", ", or "]
            .iter()
            .filter_map(|sep| head.strip_suffix(sep))
            .filter_map(|h| self.by_end.get(&h.len()))
            .any(is_region);
        if before {
            return true;
        }
        let tail = &self.text[end..];
        [", ", " and ", " or ", "/"]
            .iter()
            .filter_map(|sep| tail.strip_prefix(sep).map(|_| end + sep.len()))
            .filter_map(|p| self.by_start.get(&p).and_then(|v| v.first()))
            .any(is_region)
    }

    /// How well candidate `i` fits: prior plus context (`primary`: the text wrote the
    /// place's own name, not an alternate one).
    fn score(
        &self,
        i: usize,
        primary: bool,
        own: usize,
        (start, end): (usize, usize),
        ctx: &Context,
    ) -> f64 {
        let p = self.g.place(i);
        // initials ("EU") are no spelling of a place whose own name is a word ("Eu")
        let written = &self.text[start..end];
        let primary = primary
            && !(written.len() <= 3
                && written.bytes().all(|b| b.is_ascii_uppercase())
                && p.name != written);
        // a city of a million or more named like its own first-level region ("New York",
        // "São Paulo") is written that way as often as by its own name: no alternate-name
        // penalty
        let region_named = || {
            matches!(p.feature, Feature::City | Feature::Capital)
                && p.population >= 1_000_000
                && p.admin1
                    .as_deref()
                    .is_some_and(|a| a.eq_ignore_ascii_case(&self.text[start..end]))
        };
        let mut s = self.g.prior(i) - if primary || region_named() { 0.0 } else { 2.5 };
        if let Some(c) = p.country.as_deref() {
            let b = ctx.country_bonus(c, own);
            // a country named outright is rarely a namesake: half the weight; and for a
            // capital no lack of support outweighs much population
            s += match p.feature {
                Feature::Country => b.max(-2.0) / 2.0,
                Feature::Capital => b.max(-2.5),
                _ => b,
            };
            // a small town named like a first-level region of its own country ("Florida",
            // New York) does not gain from its region's support: the name means the region
            let region_namesake = || {
                !major(p)
                    && self.g.target(own).places.iter().any(|&j| {
                        let r = self.g.place(j);
                        r.feature == Feature::Admin1 && r.country.as_deref() == Some(c)
                    })
            };
            if let Some(a) = p.admin1.as_deref()
                && p.feature != Feature::Admin1
                && ctx.admin1_support(c, a, own) > 0
                && !region_namesake()
            {
                s += 2.5;
            }
            // a region that other places of the text lie in ("Washington" with Seattle and
            // Tacoma named): 1.5 for each such name, at most three; not when a namesake town
            // lies in the region itself ("New York"), which that support fits as well
            let town_inside = || {
                self.g.target(own).places.iter().any(|&j| {
                    let q = self.g.place(j);
                    j != i
                        && q.country.as_deref() == Some(c)
                        && q.admin1.as_deref() == Some(p.name.as_str())
                })
            };
            if p.feature == Feature::Admin1 && !town_inside() {
                let n = ctx.region_places(c, &p.name, own);
                s += 1.5 * n.min(3) as f64;
            }
            if p.feature == Feature::Admin1 && self.named_as_state(&p.name) {
                // the text says "Washington state" or "the state of New York" somewhere:
                // the name means the state throughout (one sense per article)
                s += 4.0;
            }
            if matches!(p.feature, Feature::Admin1 | Feature::Admin2) && self.after_name(start) {
                // where a qualifier stands ("Knockhill, Fife"): a region more likely than a
                // town
                s += 2.0;
            }
            if p.feature == Feature::Admin1 {
                // the region of the town right before it ("Tacoma, Washington")
                if self.qualifies_town_before(start, c, &p.name) {
                    s += 6.0;
                }
                // listed with other regions ("California or Washington")
                if self.listed_with_region(start, end) {
                    s += 3.0;
                }
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
        if matches!(
            p.feature,
            Feature::City | Feature::Capital | Feature::Admin2
        ) {
            let near = ctx
                .points
                .iter()
                .filter(|(st, _, _)| ctx.pattern_at(*st) != own)
                .any(|&(_, la, lo)| km(p.lat, p.lon, la, lo) < 120.0);
            if near {
                s += 1.0;
            }
        }
        s
    }

    /// True when the text gives local evidence for candidate `i`: a place of its own
    /// first-level region is named, a qualifier names its country or region, a confidently
    /// placed town lies within 60 km, or the dateline is in its country.
    fn local_evidence(&self, i: usize, own: usize, end: usize, ctx: &Context) -> bool {
        let p = self.g.place(i);
        let Some(c) = p.country.as_deref() else {
            return false;
        };
        if ctx.dateline.as_deref() == Some(c) {
            return true;
        }
        if let Some(a) = p.admin1.as_deref()
            && ctx.admin1_support(c, a, own) > 0
        {
            return true;
        }
        if let Some(q) = self.qualifier(end) {
            let t = self.g.target(q);
            if t.countries.iter().any(|x| x == c)
                || t.places.iter().any(|&j| {
                    let r = self.g.place(j);
                    r.feature == Feature::Admin1
                        && r.country.as_deref() == Some(c)
                        && p.admin1.as_deref() == Some(r.name.as_str())
                })
            {
                return true;
            }
        }
        ctx.points
            .iter()
            .filter(|(st, _, _)| ctx.pattern_at(*st) != own)
            .any(|&(_, la, lo)| km(p.lat, p.lon, la, lo) < 60.0)
    }

    /// True when candidate `i` (the best reading of the name `own` ending at `end`) is a
    /// lone reading abroad: a town or district that is no major place, or a first-level
    /// region whose name other places share, in a country that nothing else in the text supports (no other name, not
    /// the dateline), with no local evidence, while another country is supported by two
    /// names or more ("West Coast" in an article about Oregon and California is not the
    /// New Zealand region). Such a name is most likely a local name the gazetteer lacks.
    fn stranger(&self, i: usize, own: usize, end: usize, ctx: &Context) -> bool {
        let p = self.g.place(i);
        let Some(c) = p.country.as_deref() else {
            return false;
        };
        // a first-level region only when other places share its name ("West Coast",
        // "Centre"): a name only one region has ("Khatlon") is no generic phrase
        let small = match p.feature {
            Feature::City | Feature::Admin2 => !major(p),
            Feature::Admin1 => self.g.target(own).places.len() > 1,
            _ => false,
        };
        if !small {
            return false;
        }
        // a country given from outside the text (the publisher's) counts as one name
        let others = ctx
            .countries
            .iter()
            .filter(|(k, _)| k.as_str() != c)
            .map(|(k, sup)| {
                sup.names.iter().filter(|&&q| q != own).count() + usize::from(ctx.given.contains(k))
            })
            .chain(ctx.given.iter().filter(|k| k.as_str() != c).map(|_| 1))
            .max()
            .unwrap_or(0);
        others >= 2
            && ctx.country_support(c, own) == 0
            && ctx.dateline.as_deref() != Some(c)
            && !self.local_evidence(i, own, end, ctx)
    }

    /// The best candidate of a target for a mention at `start..end`.
    ///
    /// Prominence guard: a small town or district (not [`major`], or under a tenth of the
    /// population) that outscores a far more prominent namesake (a country, capital, region
    /// or big city) only through country-level context is taken only with local evidence
    /// (see `local_evidence`); else the prominent place is kept ("Cambridge" in a text
    /// naming Washington stays the English city, not Cambridge, Maryland).
    fn best(&self, k: usize, start: usize, end: usize, ctx: &Context) -> Option<(usize, f64)> {
        let t = self.g.target(k);
        let mut best: Option<(usize, f64)> = None;
        let mut top: Option<(usize, f64)> = None; // the most prominent candidate (by prior)
        let demonyms = t.demonym_rows.iter().map(|&i| (i, true));
        let places = t
            .places
            .iter()
            .copied()
            .zip(t.primary.iter().copied())
            .take(60);
        for (i, primary) in places.chain(demonyms) {
            let sc = self.score(i, primary, k, (start, end), ctx);
            if best.is_none_or(|(_, b)| sc > b) {
                best = Some((i, sc));
            }
            let pr = self.g.prior(i) - if primary { 0.0 } else { 2.5 };
            if top.is_none_or(|(j, _)| pr > self.g.prior(j)) && primary {
                top = Some((i, sc));
            }
        }
        if let (Some((bi, _)), Some((ti, ts))) = (best, top)
            && bi != ti
        {
            let b = self.g.place(bi);
            let p = self.g.place(ti);
            let small = matches!(b.feature, Feature::City | Feature::Admin2)
                && (!major(b) || b.population.saturating_mul(10) < p.population);
            let prominent = major(p) && b.country != p.country;
            if small && prominent && !self.local_evidence(bi, k, end, ctx) {
                return Some((ti, ts));
            }
        }
        best
    }
}

/// Adds the countries (and regions) a resolved mention supports to `ctx`.
fn support(ctx: &mut Context, start: usize, pattern: usize, p: &Place, confident: bool) {
    if let Some(c) = &p.country {
        ctx.add(c, start, pattern);
        if let Some(a) = &p.admin1
            && matches!(
                p.feature,
                Feature::Admin1 | Feature::Capital | Feature::City | Feature::Admin2
            )
            && (p.feature == Feature::Admin1 || confident)
        {
            let regions = match ctx.admin1.get_mut(c.as_str()) {
                Some(m) => m,
                None => ctx.admin1.entry(c.clone()).or_default(),
            };
            match regions.get_mut(a.as_str()) {
                Some(v) => v.push(start),
                None => {
                    regions.insert(a.clone(), vec![start]);
                }
            }
        }
        if confident
            && matches!(
                p.feature,
                Feature::City | Feature::Capital | Feature::Admin2
            )
        {
            ctx.points.push((start, p.lat, p.lon));
        }
    }
}

fn analyse<'a>(
    g: &'a Gazetteer,
    text: &'a str,
    context: &[String],
    demonyms: bool,
) -> Analysis<'a> {
    let hits = all_hits(g, text);
    let mut country_hits: HashMap<usize, Vec<Hit>> = HashMap::default();
    let mut by_start: HashMap<usize, Vec<Hit>> = HashMap::default();
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
    // (the same as searching `text.to_lowercase()`: of the other characters only the
    // Kelvin sign and "İ" lower-case to ASCII letters, and neither can complete these words)
    let any_border = ["border", "frontier", "boundar"]
        .iter()
        .any(|w| contains_ascii_ci(text, w));
    let borders = if any_border {
        finder.borders(&hits)
    } else {
        Vec::new()
    };
    let model = Model {
        g,
        text,
        by_start,
        ends: hits.iter().map(|h| h.end).collect(),
        by_end: index_ends(&hits),
        state_words: state_words(text),
        abbreviated: abbreviated_regions(g, text, &hits),
    };
    let outside =
        |h: &Hit, bs: &[BorderHit]| bs.iter().all(|b| h.end <= b.start || h.start >= b.end);

    // 1. a first context from the safe hits: country names, demonyms, major places
    let mut ctx = Context {
        given: context.iter().map(|c| c.to_ascii_uppercase()).collect(),
        ..Context::default()
    };
    for h in &hits {
        let t = g.target(h.pattern);
        if t.demonym && t.places.is_empty() {
            if let Some(c) = t.countries.first() {
                ctx.add(c, h.start, h.pattern);
            }
        } else if let Some(&i) = t.places.first() {
            let p = g.place(i);
            if major(p) && !after_title(text, h.start) {
                support(&mut ctx, h.start, h.pattern, p, false);
            }
        }
    }
    for b in &borders {
        for c in [&b.a, &b.b] {
            ctx.add_country(c, b.start);
        }
    }
    ctx.seal();
    // the dateline: a place at the very start of the text, written in capitals or followed
    // by a comma, a bracket or a dash ("KABUL -", "Kabul, May 2"; not a headline such as
    // "U.S. urges …")
    if let Some(h) = hits.iter().find(|h| text[..h.start].trim().is_empty())
        && is_dateline(text, h.start, h.end)
        && let Some((i, _)) = model.best(h.pattern, h.start, h.end, &ctx)
    {
        ctx.dateline = g.place(i).country.clone();
    }

    // 2. recognition filters; surnames seen after a first name are persons in the whole text
    // (a place name right before a name makes no first name, unless it is a common first
    // name itself: "Manuel Miranda", "Paris Hilton")
    let first_name = |h: &Hit| {
        let t = g.target(h.pattern);
        t.places
            .iter()
            .zip(t.primary)
            .any(|(&i, &prim)| prim && g.row(i).person & 1 != 0)
    };
    let ends: HashSet<usize> = hits
        .iter()
        .filter(|h| !first_name(h))
        .map(|h| h.end)
        .collect();
    let mut persons: HashSet<&str> = HashSet::default();
    for h in &hits {
        let t = g.target(h.pattern);
        let name_like = t
            .places
            .iter()
            .zip(t.primary)
            .any(|(&i, &prim)| prim && g.row(i).person != 0);
        if name_like && person_context(text, *h, &ends) {
            persons.insert(&text[h.start..h.end]);
        }
    }
    let mut cands: Vec<Mention> = Vec::new();
    for &h in &hits {
        if !outside(&h, &borders) || after_title(text, h.start) {
            continue;
        }
        if persons.contains(&text[h.start..h.end]) {
            let t = g.target(h.pattern);
            let named = t.places.first().is_some_and(|&i| {
                matches!(g.place(i).feature, Feature::Country | Feature::Capital)
            });
            if !named || person_context(text, h, &ends) {
                continue;
            }
        }
        let t = g.target(h.pattern);
        let minor_places = t.places.first().is_none_or(|&i| !major(g.place(i)));
        if t.demonym && minor_places {
            if demonyms && demonym_as_adjective(text, h) {
                cands.push(Mention {
                    hit: h,
                    demonym: true,
                });
            }
            continue;
        }
        if keep_place(&model, h, &ctx) {
            cands.push(Mention {
                hit: h,
                demonym: false,
            });
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

    // 3. the context of the chosen mentions, resolved with the first context (one more
    // round was tried: it changed as many readings for the worse as for the better)
    let rebuild = |prev: &Context| {
        let mut next = Context {
            given: prev.given.clone(),
            dateline: prev.dateline.clone(),
            ..Context::default()
        };
        for m in &chosen {
            let t = g.target(m.hit.pattern);
            if m.demonym || t.places.is_empty() {
                if let Some(c) = t.countries.first() {
                    next.add(c, m.hit.start, m.hit.pattern);
                }
                continue;
            }
            if let Some((i, _)) = model.best(m.hit.pattern, m.hit.start, m.hit.end, prev) {
                let p = g.place(i);
                let single = t.places.iter().all(|&j| g.place(j).country == p.country);
                support(&mut next, m.hit.start, m.hit.pattern, p, major(p) || single);
            }
        }
        // demonyms not emitted still tell the country
        if !demonyms {
            for h in &hits {
                let t = g.target(h.pattern);
                if t.demonym && t.places.is_empty() && t.countries.len() == 1 {
                    next.add(&t.countries[0], h.start, h.pattern);
                }
            }
        }
        for b in &borders {
            for c in [&b.a, &b.b] {
                next.add_country(c, b.start);
            }
        }
        next.seal();
        next
    };
    let ctx2 = rebuild(&ctx);
    // one-country border phrases, resolved against the countries named around them
    let singles = if any_border {
        let mut named: Vec<(usize, String)> = Vec::new();
        for (c, sup) in &ctx2.countries {
            for &s in &sup.starts {
                named.push((s, c.clone()));
            }
        }
        named.sort();
        finder.single_borders(&hits, &borders, &named, &ctx2.given)
    } else {
        Vec::new()
    };
    let mut borders = borders;
    for b in singles {
        if borders.iter().all(|k| b.end <= k.start || b.start >= k.end) {
            borders.push(b);
        }
    }
    chosen.retain(|m| outside(&m.hit, &borders));
    let mut mentioned: HashSet<String> = ctx2.given.clone();
    for (c, sup) in &ctx2.countries {
        if !sup.starts.is_empty() {
            mentioned.insert(c.clone());
        }
    }
    Analysis {
        chosen,
        borders,
        mentioned,
        ctx: ctx2,
        hits,
        model,
    }
}

/// True when `text` contains `word` (ASCII, lower case) in any ASCII case.
fn contains_ascii_ci(text: &str, word: &str) -> bool {
    let w = word.as_bytes();
    text.as_bytes()
        .windows(w.len())
        .any(|win| win.eq_ignore_ascii_case(w))
}

/// Words that may stand capitalised before a place name without making it a person's
/// surname ("In Kabul", "North Darfur", "New Delhi").
const NOT_FIRST_NAMES: [&str; 44] = [
    "the", "in", "at", "on", "of", "from", "to", "and", "or", "but", "for", "with", "by", "as",
    "after", "before", "near", "while", "when", "if", "since", "across", "into", "outside",
    "inside", "a", "an", "this", "that", "north", "south", "east", "west", "northern", "southern",
    "eastern", "western", "central", "greater", "upper", "lower", "new", "old", "downtown",
];

/// True when a one-word name at `h` follows a capitalised word that looks like a first name
/// ("Ashley Sutton", "Mat Jackson"): not a function word, not a place itself, not in capitals.
fn person_context(text: &str, h: Hit, hit_ends: &HashSet<usize>) -> bool {
    let span = &text[h.start..h.end];
    if span.contains(' ') || span.contains('-') {
        return false;
    }
    let Some((prev, ps)) = word_before(text, h.start) else {
        return false;
    };
    let pe = ps + prev.len();
    // only spaces between, and the previous word written with a capital and lower case
    if !text[pe..h.start].chars().all(|c| c == ' ') || prev.len() < 2 {
        return false;
    }
    let orig = &text[ps..pe];
    let mut cs = orig.chars();
    let capital = cs.next().is_some_and(char::is_uppercase);
    let rest_lower = cs.all(char::is_lowercase);
    capital
        && rest_lower
        && !NOT_FIRST_NAMES.contains(&prev.as_str())
        && !PERSON_TITLES.contains(&prev.as_str())
        && !hit_ends.contains(&pe)
}

/// True when a lower-case word is joined by a hyphen right after `end` ("-backed",
/// "-based"): the name before it is used as an adjective of place.
fn hyphen_suffix(text: &str, end: usize) -> bool {
    let mut cs = text[end..].chars();
    cs.next() == Some('-') && cs.next().is_some_and(char::is_lowercase)
}

/// True when a demonym at `h` is used as an adjective of place ("Russian troops", "the
/// Afghan side"), not as a people noun, a language, or a border actor.
fn demonym_as_adjective(text: &str, h: Hit) -> bool {
    if hyphen_suffix(text, h.end) {
        return true; // "Russian-backed", "Turkish-led"
    }
    let Some((next, _)) = word_after(text, h.end) else {
        return false;
    };
    let lower = next.to_lowercase();
    if NOT_ADJECTIVE_NEXT.contains(&lower.as_str()) || !next.chars().all(char::is_alphabetic) {
        return false;
    }
    // part of a local place name ("the French Quarter", "Polish Hill Road")
    if next.chars().next().is_some_and(char::is_uppercase)
        && LOCAL_PLACE_NOUNS.contains(&lower.as_str())
    {
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
    let big = matches!(p.feature, Feature::Country | Feature::Capital) || p.population >= 1_000_000;
    // how common the name is as a word: only when written as the place's own name
    let freq = t
        .places
        .iter()
        .zip(t.primary)
        .filter(|(_, prim)| **prim)
        .map(|(&i, _)| g.row(i).freq)
        .fold(0.0f32, f32::max);
    let supported = p.country.as_deref().is_some_and(|c| {
        ctx.country_support(c, h.pattern) > 0 || ctx.dateline.as_deref() == Some(c)
    });
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
    // "in Kabul", "Kabul-based", "Ms Reyes, of Hayes,"
    let locative = word_before(text, h.start).is_some_and(|(w, ws)| {
        LOCATIVES.contains(&w.as_str()) || (w == "of" && text[..ws].trim_end().ends_with(','))
    }) || hyphen_suffix(text, h.end);
    let initial = sentence_initial(text, h.start);
    // abbreviations such as "Calif." or "Ga." only right after "Town, "; initials with
    // dots ("D.C.", "N.Y.") stand alone too, but not after a number ("300 B.C." is a year)
    let dotted_initials = {
        let b = span.as_bytes();
        let after_number = text[..h.start]
            .trim_end()
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_digit());
        b.len() == 4
            && b[1] == b'.'
            && b[3] == b'.'
            && b[0].is_ascii_uppercase()
            && b[2].is_ascii_uppercase()
            && !after_number
    };
    if span.ends_with('.')
        && p.feature == Feature::Admin1
        && !dotted_initials
        && !text[..h.start].trim_end().ends_with(',')
    {
        return false;
    }
    // two letters ("EU", "BC"): a country or area as written, or a region code after "Town, "
    let after_comma = text[..h.start].trim_end().ends_with(',');
    if span.chars().count() <= 2
        && !matches!(p.feature, Feature::Country | Feature::Region)
        && !(p.feature == Feature::Admin1 && after_comma)
    {
        return false;
    }
    // a qualifier itself: "Brands Hatch, Kent", "Fresno, Calif."
    let after_place = {
        let head = text[..h.start].trim_end_matches(' ');
        head.ends_with(',') && m.ends.contains(&(head.len() - 1))
    };
    let qualified = qualified || after_place;
    if freq >= 4.0 && !big {
        return qualified || (locative && !initial && (supported || p.population >= 100_000));
    }
    // common first names and surnames ("Mary", "Sutton"): a person unless placed
    let person = if big {
        0
    } else {
        t.places
            .iter()
            .zip(t.primary)
            .filter(|(_, prim)| **prim)
            .map(|(&i, _)| g.row(i).person)
            .fold(0, |a, b| a | b)
    };
    if person != 0 && words == 1 && !qualified {
        let next_cap = word_after(text, h.end).is_some_and(|(w, _)| {
            w.chars().next().is_some_and(char::is_uppercase)
                && !NOT_FIRST_NAMES.contains(&w.to_lowercase().as_str())
        });
        if person & 1 != 0 && next_cap {
            return false;
        }
        if p.feature != Feature::Admin1 && !(supported && locative) {
            return false;
        }
    }
    // a small place written under an alternate name ("Alfa" for Alpha): only when placed;
    // its name with a building after it ("Windsor Castle") is its own (but not a short
    // form, "Burton" for Burton upon Trent: often a surname)
    let own_name = t
        .places
        .iter()
        .zip(t.primary)
        .any(|(&i, &prim)| prim && i == bi)
        || (span.len() > p.name.len() && head_of_name(span, &p.name));
    if !(own_name || is_major || qualified || (supported && locative)) {
        return false;
    }
    // an acronym that is only a town's other name (an airport code: "LED" for Saint
    // Petersburg, "NGO" for Nagoya) is an organisation's initials unless the text is
    // about that town's country ("NYC" in an article naming Brooklyn)
    let acronym = (2..=4).contains(&span.len()) && span.bytes().all(|b| b.is_ascii_uppercase());
    if acronym
        && !own_name
        && matches!(
            p.feature,
            Feature::City | Feature::Capital | Feature::Admin2
        )
        && !supported
    {
        return false;
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
        // (a capitalised function word such as a sentence-initial "In" does not count)
        let prev_cap = !initial
            && word_before(text, h.start).is_some_and(|(w, s)| {
                text[s..].chars().next().is_some_and(char::is_uppercase)
                    && !NOT_FIRST_NAMES.contains(&w.as_str())
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
    let model = &a.model;
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
        // "Quebec City", "Guatemala City" where the gazetteer knows only "Quebec": the
        // most prominent town of that name, not the region or country
        if let Some(rest) = text[h.end..].strip_prefix(" City")
            && !rest.chars().next().is_some_and(char::is_alphanumeric)
            && let Some(i) = prominent_town(g, h.pattern, &text[h.start..h.end])
        {
            let end = h.end + " City".len();
            out.push(PlaceMention {
                start: h.start,
                end,
                text: text[h.start..end].to_string(),
                feature: Feature::City.mention_feature().to_string(),
                location: Some(g.place(i).location()),
            });
            continue;
        }
        let Some((i, _)) = model.best(h.pattern, h.start, h.end, &a.ctx) else {
            continue;
        };
        if model.stranger(i, h.pattern, h.end, &a.ctx) {
            continue;
        }
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
        if demonyms {
            // full geoparsing names each country of the phrase ("U.S.-Mexico border")
            let mut end = b.start;
            for h in a
                .hits
                .iter()
                .filter(|h| h.start >= b.start && h.end <= b.end)
            {
                let t = g.target(h.pattern);
                let Some(c) = t.countries.first() else {
                    continue;
                };
                if h.start < end {
                    continue;
                }
                end = h.end;
                out.push(PlaceMention {
                    start: h.start,
                    end: h.end,
                    text: text[h.start..h.end].to_string(),
                    feature: if t.demonym && t.places.is_empty() {
                        "demonym".to_string()
                    } else {
                        Feature::Country.mention_feature().to_string()
                    },
                    location: g.country(c),
                });
            }
            continue;
        }
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

/// True when only white space comes before `pos` in `text`.
fn text_start(text: &str, pos: usize) -> bool {
    text.get(..pos).is_some_and(|t| t.trim().is_empty())
}

/// The most prominent town (city or capital, by prior) among the places that target `k`,
/// as `written`, names by their own name or another spelling of it ("Quebec" for Québec),
/// not by an alternate name ("Manchester" is an old name of a Richmond district).
fn prominent_town(g: &Gazetteer, k: usize, written: &str) -> Option<usize> {
    let t = g.target(k);
    t.places
        .iter()
        .zip(t.primary)
        .take(60)
        .filter(|&(&i, &primary)| {
            let p = g.place(i);
            matches!(p.feature, Feature::City | Feature::Capital)
                && (primary || same_spelling(written, &p.name))
        })
        .map(|(&i, _)| i)
        .max_by(|&x, &y| g.prior(x).total_cmp(&g.prior(y)))
}

fn index_ends(hits: &[Hit]) -> HashMap<usize, Hit> {
    let mut by_end: HashMap<usize, Hit> = HashMap::default();
    for &h in hits {
        let e = by_end.entry(h.end).or_insert(h);
        if h.start < e.start {
            *e = h;
        }
    }
    by_end
}

/// True when a name inside a longer span may stand for the span: a major place whose name
/// is no common word ("Kenya" in "Kenya Airways", not "Council").
fn safe_inside(g: &Gazetteer, h: &Hit) -> bool {
    let t = g.target(h.pattern);
    if t.places.is_empty() {
        return t.demonym;
    }
    let p = g.place(t.places[0]);
    matches!(p.feature, Feature::Country | Feature::Capital) || (major(p) && p.freq < 3.0)
}

/// The place an article is about (the fallback for a span the gazetteer does not know).
///
/// The country: the one the text's place names (not demonyms, which name actors) lie in
/// most often, the dateline counting two; when no place is named, the country with most
/// support of any kind. Within it, the town (or second-level region) named most often,
/// a mention of its first-level region counting as one more; ties go to the more populous
/// and then the first named; else its most often named first-level region; else the
/// country.
///
/// With `spans` (the toponyms given to [`resolve_spans`]) only names that are one of them
/// count (or a major place named inside one, as "Kenya" in "Kenya Airways"); None when no
/// such name is placed (the caller then asks again without spans).
fn focus(
    g: &Gazetteer,
    model: &Model<'_>,
    a: &Analysis,
    spans: &[(usize, usize)],
) -> Option<outpost_core::Location> {
    // (place, level, count, first)
    let mut counts: Vec<(usize, u8, usize, usize)> = Vec::new();
    let mut per_country: HashMap<String, usize> = HashMap::default();
    let mut regions: HashSet<(String, String)> = HashSet::default();
    for m in &a.chosen {
        if m.demonym {
            continue;
        }
        let (hs, he) = (m.hit.start, m.hit.end);
        // a name strictly inside a longer span is part of another name ("St George" in
        // "St George's Chapel"), unless a major place's name stands for it ("Kenya Airways")
        if !spans.is_empty()
            && !spans
                .iter()
                .any(|&(s, e)| (s, e) == (hs, he) || (s <= hs && he <= e && safe_inside(g, &m.hit)))
        {
            continue;
        }
        let Some((i, _)) = model.best(m.hit.pattern, m.hit.start, m.hit.end, &a.ctx) else {
            continue;
        };
        let p = g.place(i);
        if let Some(c) = &p.country {
            *per_country.entry(c.clone()).or_default() += 1;
            if p.feature == Feature::Admin1 {
                regions.insert((c.clone(), p.name.clone()));
            }
        }
        // only places named by their own name (or a major place by another name: "the
        // White House"), and no name written as a common first name or surname (a person,
        // perhaps) unless it is the dateline ("WASHINGTON -")
        let t = g.target(m.hit.pattern);
        let own = t
            .places
            .iter()
            .zip(t.primary)
            .any(|(&j, &prim)| prim && j == i)
            || same_spelling(&model.text[hs..he], &p.name);
        let dateline = a.ctx.dateline.is_some() && text_start(model.text, m.hit.start);
        if !(own || major(p)) || (own && g.row(i).person != 0 && !dateline) {
            continue;
        }
        let level = match p.feature {
            Feature::City | Feature::Capital | Feature::Admin2 => 0,
            Feature::Admin1 => 1,
            Feature::Country => 2,
            Feature::Region | Feature::Border => continue,
        };
        // a small place with no local evidence (its region, a town nearby, a qualifier)
        // may be a namesake or a person: its repeats do not count
        let repeats = major(p)
            || model.local_evidence(i, m.hit.pattern, m.hit.end, &a.ctx)
            || g.target(m.hit.pattern).places.len() == 1;
        match counts.iter_mut().find(|c| c.0 == i) {
            Some(c) => c.2 += usize::from(repeats),
            None => counts.push((i, level, 1, m.hit.start)),
        }
    }
    // the dateline counts two names; the publisher's country (given from outside) one
    let dateline = |c: &str| {
        let d = if a.ctx.dateline.as_deref() == Some(c) {
            2
        } else {
            0
        };
        d + usize::from(a.ctx.given.iter().any(|k| k == c))
    };
    if !spans.is_empty() && per_country.is_empty() {
        // none of the given spans is a name the text places: the caller falls back to
        // all the names of the text
        return None;
    }
    let top = if per_country.is_empty() {
        a.ctx
            .countries
            .iter()
            .map(|(c, sup)| (sup.starts.len() + dateline(c), std::cmp::Reverse(c.clone())))
            .max()
    } else {
        per_country
            .iter()
            .map(|(c, n)| (n + dateline(c), std::cmp::Reverse(c.clone())))
            .max()
    }
    .map(|(_, c)| c.0);
    counts
        .iter()
        .filter(|c| top.is_none() || g.place(c.0).country == top)
        .min_by_key(|c| {
            let p = g.place(c.0);
            let in_named_region =
                p.admin1
                    .as_ref()
                    .zip(p.country.as_ref())
                    .is_some_and(|(r, k)| {
                        p.feature != Feature::Admin1 && regions.contains(&(k.clone(), r.clone()))
                    });
            let n = c.2 + usize::from(in_named_region);
            (c.1, usize::MAX - n, u64::MAX - p.population, c.3)
        })
        .map(|c| g.place(c.0).location())
        .or_else(|| top.and_then(|c| g.country(&c)))
}

/// Suffix rules from an adjective or inhabitant noun to its place name: (ending, what
/// replaces it), tried in order ("Sicilian" → "Sicilia", "Sicily"; "Texan" → "Texas").
const ADJECTIVE_SUFFIXES: [(&str, &str); 15] = [
    ("ian", "ia"),
    ("ian", "y"),
    ("ian", "a"),
    ("ian", ""),
    ("an", "a"),
    ("an", "as"),
    ("an", ""),
    ("can", "co"),
    ("ese", "a"),
    ("ese", "o"),
    ("ese", ""),
    ("er", ""),
    ("ite", ""),
    ("ite", "e"),
    ("ish", "and"),
];

/// The target of the place an adjective or inhabitant noun (`span`, one capitalised
/// word or a many-word name ending in one) is derived from, by [`ADJECTIVE_SUFFIXES`];
/// only a major place (see `major`) is taken.
fn place_of_adjective(g: &Gazetteer, span: &str, key: &mut String) -> Option<usize> {
    if !span.chars().next().is_some_and(char::is_uppercase)
        || !span.chars().all(|c| c.is_alphabetic() || c == ' ')
    {
        return None;
    }
    for (end, repl) in ADJECTIVE_SUFFIXES {
        let Some(stem) = span.strip_suffix(end) else {
            continue;
        };
        if stem.chars().count() < 3 {
            continue;
        }
        let name = format!("{stem}{repl}");
        fold_key(&name, key);
        let Some(k) = g.target_by_key(key) else {
            continue;
        };
        let t = g.target(k);
        if t.places.first().is_some_and(|&i| major(g.place(i))) {
            return Some(k);
        }
    }
    None
}

/// True when one of `a` and `b` is the first part of the other, up to a hyphen or a
/// space (folded to lower-case ASCII): the short form of a name with a river or sea after
/// it ("Clacton" for "Clacton-on-Sea"), or the name with a building after it ("Windsor
/// Castle" for "Windsor").
fn head_of_name(a: &str, b: &str) -> bool {
    let (mut ka, mut kb) = (String::new(), String::new());
    fold_key(a, &mut ka);
    fold_key(b, &mut kb);
    head_of_key(&ka, &kb)
}

/// [`head_of_name`] on keys already folded.
fn head_of_key(ka: &str, kb: &str) -> bool {
    let head_of = |long: &str, short: &str| {
        long.strip_prefix(short)
            .is_some_and(|rest| rest.starts_with(['-', ' ']))
    };
    head_of(kb, ka) || head_of(ka, kb)
}

/// True when `a` and `b` are spellings of one name rather than two names: their letters,
/// folded to lower-case ASCII, differ by at most a third of the longer ("Afrin" and
/// "ʿAfrīn", "Kiev" and "Kyiv"; not "Washington Square" and "Franklin Square"), or one
/// is the head of the other (see [`head_of_name`]).
fn same_spelling(a: &str, b: &str) -> bool {
    let (mut ka, mut kb) = (String::new(), String::new());
    fold_key(a, &mut ka);
    fold_key(b, &mut kb);
    if head_of_key(&ka, &kb) {
        return true;
    }
    let x: Vec<char> = ka.chars().filter(|c| c.is_alphanumeric()).collect();
    let y: Vec<char> = kb.chars().filter(|c| c.is_alphanumeric()).collect();
    // Levenshtein distance, one row at a time
    let mut row: Vec<usize> = (0..=y.len()).collect();
    for (i, cx) in x.iter().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cy) in y.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(cx != cy)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[y.len()] * 3 <= x.len().max(y.len())
}

/// Resolves given byte spans of `text` (see [`Gazetteer::resolve_spans`]).
pub(crate) fn resolve_spans(
    g: &Gazetteer,
    text: &str,
    spans: &[(usize, usize)],
    context: &[String],
) -> Vec<Option<outpost_core::Location>> {
    let a = analyse(g, text, context, true);
    let model = &a.model;
    let focus = focus(g, model, &a, spans).or_else(|| focus(g, model, &a, &[]));
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
            if target.is_none()
                && let Some(head) = span.strip_suffix(" City")
            {
                // "Quebec City", "Kuwait City": the most prominent town of that name, not
                // the region or country
                fold_key(head, &mut key);
                if let Some(i) = g
                    .target_by_key(&key)
                    .and_then(|k| prominent_town(g, k, head))
                {
                    return Some(g.place(i).location());
                }
            }
            if target.is_none() {
                // an adjective of a place ("Sicilian", "Floridian", "Havanese", "New
                // Yorker"): the place, when it is a major one
                target = place_of_adjective(g, span, &mut key).map(|k| (k, s, e));
            }
            if target.is_none() {
                // a place name inside the span that the recogniser kept ("Kenya" in "Kenya
                // Airways"; demonyms name the owner, not the place: "Russian Embassy")
                target = a
                    .chosen
                    .iter()
                    .filter(|m| !m.demonym && m.hit.start >= s && m.hit.end <= e)
                    .filter(|m| safe_inside(g, &m.hit))
                    .max_by_key(|m| (m.hit.end - m.hit.start, usize::MAX - m.hit.start))
                    .map(|m| (m.hit.pattern, m.hit.start, m.hit.end));
            }
            let Some((k, ts, te)) = target else {
                // a street, building or site the gazetteer does not hold: the region
                // written after it ("Knockhill, Fife"), else the place the article is about
                if let Some(r) = model.region_qualifier(e, &a.ctx) {
                    let r = g.place(r);
                    // the focus when it lies in that first-level region: it is nearer
                    let inside = focus.as_ref().is_some_and(|f| {
                        r.feature == Feature::Admin1
                            && f.country == r.country
                            && f.admin1.as_deref() == Some(r.name.as_str())
                    });
                    if !inside {
                        return Some(r.location());
                    }
                }
                return focus.clone();
            };
            let (i, _) = model.best(k, ts, te, &a.ctx)?;
            // a town qualified by a region of another country ("Rockingham,
            // Northamptonshire", where the gazetteer knows only the Australian and American
            // towns): a local place the gazetteer lacks, in that region
            let p = g.place(i);
            if matches!(p.feature, Feature::City | Feature::Admin2)
                && !major(p)
                && let Some(r) = model.region_qualifier(te, &a.ctx)
                && g.place(r).country != p.country
            {
                return Some(g.place(r).location());
            }
            // a lone reading abroad (see `Model::stranger`) is most likely a local name the
            // gazetteer lacks: the place the article is about
            if focus.is_some() && model.stranger(i, k, te, &a.ctx) {
                return focus.clone();
            }
            // a small place named by one of its alternate names, with no local evidence, as
            // the recogniser would not take it ("Washington Square" is an old name of a
            // small New York town, and a square in many cities): the focus
            let t = g.target(k);
            let primary = t.places.iter().zip(t.primary).any(|(&j, &pr)| pr && j == i);
            let p = g.place(i);
            let small = matches!(p.feature, Feature::City | Feature::Admin2) && !major(p);
            if small && !model.local_evidence(i, k, te, &a.ctx) {
                // an adjective of a major place that a small town shares ("English",
                // Indiana): the major place
                if let Some(k2) = place_of_adjective(g, span, &mut key)
                    && let Some((i2, _)) = model.best(k2, ts, te, &a.ctx)
                {
                    return Some(g.place(i2).location());
                }
                // a small place whose name is a common word or a common first name or
                // surname ("Congress", "August", "Valley"), with nothing local to support
                // it, is one the recogniser would not take: most likely a local name the
                // gazetteer lacks, so the place the article is about
                let row = g.row(i);
                if focus.is_some() && primary && (row.freq >= 3.0 || row.person != 0) {
                    return focus.clone();
                }
            }
            if focus.is_some()
                && !primary
                && !same_spelling(&text[ts..te], &p.name)
                && matches!(p.feature, Feature::City | Feature::Admin2)
                && !major(p)
                && !model.local_evidence(i, k, te, &a.ctx)
            {
                return focus.clone();
            }
            Some(g.place(i).location())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_lists_compare_in_any_case() {
        assert!(lower_is_any("General", &PERSON_TITLES));
        assert!(lower_is_any("MR", &PERSON_TITLES));
        assert!(!lower_is_any("Generals", &PERSON_TITLES));
        // a non-ASCII word is lower-cased in full ("İ" is no plain "i")
        assert!(!lower_is_any("GENERAİ", &PERSON_TITLES));
        assert_eq!(eat_word("the Border area", 4, &BORDER_WORDS), Some(10));
        assert_eq!(border_word("the state BORDER zone", 4), Some(21));
    }

    #[test]
    fn border_words_are_found_in_any_ascii_case() {
        assert!(contains_ascii_ci("along the FRONTIER.", "frontier"));
        assert!(contains_ascii_ci("Boundaries", "boundar"));
        assert!(!contains_ascii_ci("FRONTİER", "frontier"));
        assert!(!contains_ascii_ci("bord", "border"));
    }

    #[test]
    fn capitals_context_looks_25_characters_around() {
        let text = "THE NEWS FROM KABUL AND BEYOND";
        assert!(caps_context(text, 14, 19));
        let text = "a city named KABUL in capitals";
        assert!(!caps_context(text, 13, 18));
    }
}
