//! Countries for actors the text names without one ("police", "the opposition").
//!
//! The rule, applied after every sentence is annotated (documented in `dict/README.md`,
//! section "Actors without a country"):
//!
//! 1. **Own phrase.** A place in the actor's own phrase gives its country: "police *in*
//!    Bishkek", "farmers in the Talas region", "King Hassan *of* Morocco", "residents of the
//!    Malian town of Gao". The phrase is the actor, then `in`/`of`/`from`/`based in`, then at
//!    most four lower-case or capitalised modifier words, then the place — no punctuation
//!    and no verb in between. The actor's span stays as it was (the place keeps its own
//!    mention).
//!    A place right before the role ("Darfur rebels", "Gaza's militants") gives its
//!    country too.
//! 2. **Article context.** Otherwise the article's country: the dateline place's country
//!    when the article also mentions that country elsewhere (or mentions none at all), else
//!    the single country the article's countries, demonyms, capitals and places point to.
//!    When several countries compete, the actor keeps its unknown country (`---`).
//!
//! Only actors with no country and a plain role code (`---` + sectors) are changed;
//! peacekeepers and international bodies are left alone.

use std::collections::HashMap;

use outpost_core::{ActorKind, ActorMention, AnnotatedDoc};

/// Sectors that never take a country from the context.
const NO_CONTEXT: [&str; 4] = ["PKO", "IGO", "UNO", "NGO"];

/// Words allowed between the preposition and the place ("the Malian city of").
fn modifier_ok(w: &str) -> bool {
    !w.is_empty()
        && w.chars()
            .all(|c| c.is_alphabetic() || c == '-' || c == '\'')
        && !matches!(
            w,
            "and" | "or" | "but" | "who" | "which" | "that" | "after" | "before" | "on" | "at"
        )
        && (w.len() <= 4 || !w.ends_with("ed"))
}

/// The end of the own-phrase preposition run, if `gap` (text between actor and place) is
/// "in", "of", "from", "based in" … followed by at most four modifier words.
fn own_phrase_gap(gap: &str) -> bool {
    let lower = gap.to_lowercase();
    let words: Vec<&str> = lower.split_whitespace().collect();
    if gap.contains([',', ';', ':', '.', '"', '(', ')']) || words.is_empty() {
        return false;
    }
    let skip = match words.as_slice() {
        ["based", "in", ..] | ["stationed", "in", ..] => 2,
        ["in" | "of" | "from", ..] => 1,
        _ => return false,
    };
    let rest = &words[skip..];
    rest.len() <= 4 && rest.iter().all(|w| modifier_ok(w))
}

/// True for a real ISO country (three capitals, not a pseudo-country like IGO).
fn real_country(c: &str, pseudo: &[&str]) -> bool {
    c.len() == 3 && c.chars().all(|x| x.is_ascii_uppercase()) && !pseudo.contains(&c)
}

const PSEUDO: [&str; 9] = [
    "IGO", "UNO", "EUR", "NGO", "ISM", "IMG", "MNC", "AFR", "ASA",
];

/// The country the whole article is about, per rule 2, and whether it came from the
/// dateline; None when ambiguous.
pub(crate) fn article_country(doc: &AnnotatedDoc) -> Option<(String, bool)> {
    let dl = doc.dateline.as_ref();
    let dl_country = dl
        .and_then(|p| p.location.as_ref())
        .and_then(|l| l.country.clone());
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for s in &doc.sentences {
        for a in &s.actors {
            // organisations are often foreign or international: they do not count
            if a.kind != ActorKind::Organisation
                && let Some(c) = &a.country
                && real_country(c, &PSEUDO)
            {
                *counts.entry(c.as_str()).or_default() += 1;
            }
        }
        for p in &s.places {
            if dl.is_some_and(|d| d.start == p.start) || after_anti(&doc.article.text, p.start) {
                continue;
            }
            if let Some(c) = p.location.as_ref().and_then(|l| l.country.as_ref())
                && real_country(c, &PSEUDO)
            {
                *counts.entry(c.as_str()).or_default() += 1;
            }
        }
    }
    if let Some(d) = dl_country
        && (counts.is_empty() || counts.contains_key(d.as_str()))
    {
        return Some((d, true));
    }
    if counts.len() == 1 {
        return counts.into_keys().next().map(|c| (c.to_string(), false));
    }
    None
}

/// Whether the place or actor at byte `start` follows "anti-" ("an anti-Syria journalist"):
/// what a phrase is against says nothing about where it is from.
pub(crate) fn after_anti(text: &str, start: usize) -> bool {
    text.get(start.saturating_sub(5)..start)
        .is_some_and(|x| x.eq_ignore_ascii_case("anti-"))
}

/// Whether this mention may take a country from its phrase or the context.
fn open(a: &ActorMention) -> bool {
    a.country.is_none()
        && a.code.starts_with("---")
        && matches!(
            a.kind,
            ActorKind::Role | ActorKind::Person | ActorKind::Reference
        )
        && !a.sector.as_deref().is_some_and(|s| NO_CONTEXT.contains(&s))
}

fn set_country(a: &mut ActorMention, c: &str) {
    a.code = format!("{c}{}", a.code.get(3..).unwrap_or(""));
    a.country = Some(c.to_string());
}

/// Applies the rule to every sentence of `doc`.
pub(crate) fn apply(doc: &mut AnnotatedDoc) {
    let text = doc.article.text.as_str();
    // 1. own phrase
    for s in &mut doc.sentences {
        for i in 0..s.actors.len() {
            if !open(&s.actors[i]) {
                continue;
            }
            let a_end = s.actors[i].end;
            let next_actor_start = s.actors.get(i + 1).map(|n| n.start).unwrap_or(usize::MAX);
            let place = s.places.iter().find(|p| {
                p.start >= a_end
                    && p.start - a_end <= 48
                    && text.get(a_end..p.start).is_some_and(own_phrase_gap)
                    && p.location.as_ref().is_some_and(|l| l.country.is_some())
            });
            // "Darfur rebels", "Gaza's militants": a place right before the role
            let a_start = s.actors[i].start;
            let before = s.places.iter().rev().find(|p| {
                p.end <= a_start
                    && text
                        .get(p.end..a_start)
                        .is_some_and(|g| matches!(g, " " | "'s " | "’s "))
                    && p.location.as_ref().is_some_and(|l| l.country.is_some())
                    // ("an anti-Syria journalist" is no Syrian)
                    && !after_anti(text, p.start)
            });
            let place = place.or(before);
            let Some(p) = place else { continue };
            // another actor (not the place itself) in between: not the same phrase
            if p.start >= a_end && next_actor_start < p.start {
                continue;
            }
            let Some(c) = p.location.as_ref().and_then(|l| l.country.clone()) else {
                continue;
            };
            set_country(&mut s.actors[i], &c);
        }
    }
    // 2. article context
    let Some((c, _from_dateline)) = article_country(doc) else {
        return;
    };
    for s in &mut doc.sentences {
        for a in &mut s.actors {
            if open(a) {
                set_country(a, &c);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_phrase_gaps() {
        assert!(own_phrase_gap(" in "));
        assert!(own_phrase_gap(" in the "));
        assert!(own_phrase_gap(" in the Malian city of "));
        assert!(own_phrase_gap(" based in "));
        assert!(!own_phrase_gap(" arrested in "));
        assert!(!own_phrase_gap(", in "));
        assert!(!own_phrase_gap(" near "));
        assert!(!own_phrase_gap(" in the capital who marched to "));
    }
}
