//! Finding place names and border phrases in text.

use std::collections::{HashMap, HashSet};

use outpost_core::PlaceMention;

use crate::{Feature, Gazetteer};

/// A name match at word boundaries.
#[derive(Debug, Clone, Copy)]
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

fn at_boundary(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    let starts_word = text[start..end].chars().next().is_some_and(is_word_char);
    let ends_word = text[start..end]
        .chars()
        .next_back()
        .is_some_and(is_word_char);
    (!starts_word || !before.is_some_and(is_word_char))
        && (!ends_word || !after.is_some_and(is_word_char))
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

/// What one pass over a text found: chosen place hits, border phrases and the countries named.
struct Analysis {
    chosen: Vec<Hit>,
    borders: Vec<BorderHit>,
    mentioned: HashSet<String>,
}

fn analyse(g: &Gazetteer, text: &str, context: &[String]) -> Analysis {
    let mut hits: Vec<Hit> = g
        .matcher()
        .find_overlapping_iter(text)
        .filter(|m| at_boundary(text, m.start(), m.end()))
        .map(|m| Hit {
            start: m.start(),
            end: m.end(),
            pattern: m.pattern().as_usize(),
        })
        .collect();
    hits.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
    let mut country_hits: HashMap<usize, Vec<Hit>> = HashMap::new();
    for &h in &hits {
        if !g.target(h.pattern).countries.is_empty() {
            country_hits.entry(h.start).or_default().push(h);
        }
    }
    let finder = Finder {
        g,
        text,
        country_hits,
    };
    let borders = finder.borders(&hits);

    // place hits outside border phrases, longest first, not overlapping
    let mut cands: Vec<Hit> = hits
        .iter()
        .copied()
        .filter(|h| !g.target(h.pattern).places.is_empty())
        .filter(|h| !after_title(text, h.start))
        .filter(|h| borders.iter().all(|b| h.end <= b.start || h.start >= b.end))
        .collect();
    cands.sort_by(|x, y| {
        (y.end - y.start)
            .cmp(&(x.end - x.start))
            .then(x.start.cmp(&y.start))
    });
    let mut chosen: Vec<Hit> = Vec::new();
    for h in cands {
        if chosen.iter().all(|k| h.end <= k.start || h.start >= k.end) {
            chosen.push(h);
        }
    }

    // countries named in the text: unambiguous places, demonyms, borders
    let mut mentioned: HashSet<String> = HashSet::new();
    for h in &chosen {
        let t = g.target(h.pattern);
        let cs: Vec<&str> = t
            .places
            .iter()
            .filter_map(|&i| g.place(i).country.as_deref())
            .collect();
        if let Some(&first) = cs.first().filter(|f| cs.iter().all(|c| c == *f)) {
            mentioned.insert(first.to_string());
        }
    }
    for hs in finder.country_hits.values() {
        for h in hs {
            let t = g.target(h.pattern);
            if t.places.is_empty() && t.countries.len() == 1 {
                mentioned.insert(t.countries[0].clone());
            }
        }
    }
    for b in &borders {
        mentioned.insert(b.a.clone());
        mentioned.insert(b.b.clone());
    }

    // one-country border phrases, resolved against the countries named around them
    let mut named: Vec<(usize, String)> = Vec::new();
    for hs in finder.country_hits.values() {
        if let Some(c) = hs
            .first()
            .and_then(|h| g.target(h.pattern).countries.first())
        {
            named.push((hs[0].start, c.clone()));
        }
    }
    for h in &chosen {
        if let Some(c) = g
            .target(h.pattern)
            .places
            .first()
            .and_then(|&i| g.place(i).country.clone())
        {
            named.push((h.start, c));
        }
    }
    named.sort();
    let ctx: HashSet<String> = context.iter().map(|c| c.to_ascii_uppercase()).collect();
    let singles = finder.single_borders(&hits, &borders, &named, &ctx);
    let mut borders = borders;
    for b in singles {
        if borders.iter().all(|k| b.end <= k.start || b.start >= k.end) {
            borders.push(b);
        }
    }
    chosen.retain(|h| borders.iter().all(|b| h.end <= b.start || h.start >= b.end));
    mentioned.extend(ctx);
    Analysis {
        chosen,
        borders,
        mentioned,
    }
}

pub(crate) fn mentioned_countries(g: &Gazetteer, text: &str) -> Vec<String> {
    let mut v: Vec<String> = analyse(g, text, &[]).mentioned.into_iter().collect();
    v.sort();
    v
}

pub(crate) fn find(g: &Gazetteer, text: &str, context: &[String]) -> Vec<PlaceMention> {
    let Analysis {
        chosen,
        borders,
        mentioned,
    } = analyse(g, text, context);

    let mut out: Vec<PlaceMention> = Vec::new();
    for h in &chosen {
        let t = g.target(h.pattern);
        let best = t
            .places
            .iter()
            .copied()
            .find(|&i| {
                g.place(i)
                    .country
                    .as_deref()
                    .is_some_and(|c| mentioned.contains(c))
            })
            .or_else(|| t.places.first().copied());
        let Some(i) = best else { continue };
        let p = g.place(i);
        out.push(PlaceMention {
            start: h.start,
            end: h.end,
            text: text[h.start..h.end].to_string(),
            feature: p.feature.mention_feature().to_string(),
            location: Some(p.location()),
        });
    }
    for b in &borders {
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
