//! Test helper: builds an `AnnotatedDoc` from text plus lists of the actor, place and date
//! phrases it contains, the way annotate would, without depending on annotate's lexicon.

use chrono::NaiveDate;
use outpost_core::{
    ActorKind, ActorMention, AnnotatedDoc, AnnotatedSentence, Article, DateMention, DatePrecision,
    Location, PlaceMention, Token,
};

fn tokenize(s: &str, offset: usize) -> Vec<Token> {
    let mut out = Vec::new();
    let cs: Vec<(usize, char)> = s.char_indices().collect();
    let mut i = 0;
    let tok = |a: usize, b: usize| {
        let text = s[a..b].to_string();
        Token {
            start: offset + a,
            end: offset + b,
            lower: text.to_lowercase(),
            text,
        }
    };
    while i < cs.len() {
        let (b, c) = cs[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c.is_alphanumeric() {
            let mut j = i;
            while j < cs.len()
                && (cs[j].1.is_alphanumeric()
                    || (matches!(cs[j].1, '\'' | '’')
                        && cs.get(j + 1).is_some_and(|x| x.1.is_alphabetic())
                        && (cs.get(j + 1).is_none_or(|x| x.1 != 's')
                            || cs.get(j + 2).is_some_and(|x| x.1.is_alphanumeric()))))
            {
                j += 1;
            }
            let e = cs.get(j).map_or(s.len(), |x| x.0);
            out.push(tok(b, e));
            i = j;
        } else if matches!(c, '\'' | '’') && cs.get(i + 1).is_some_and(|x| x.1 == 's') {
            let e = cs.get(i + 2).map_or(s.len(), |x| x.0);
            out.push(tok(b, e));
            i += 2;
        } else {
            let e = cs.get(i + 1).map_or(s.len(), |x| x.0);
            out.push(tok(b, e));
            i += 1;
        }
    }
    out
}

fn find_all(text: &str, phrase: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(p) = text[from..].find(phrase) {
        let s = from + p;
        let e = s + phrase.len();
        let before_ok = text[..s]
            .chars()
            .last()
            .is_none_or(|c| !c.is_alphanumeric());
        let after_ok = text[e..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric());
        if before_ok && after_ok {
            out.push((s, e));
        }
        from = e;
    }
    out
}

/// An actor phrase and its code; country = first block unless `---`, sector = second block.
pub(crate) struct A<'a>(pub &'a str, pub &'a str);

/// Builds the document. Sentences end at ". ", "? " or "! " (and paragraph breaks).
pub(crate) fn doc(
    date: &str,
    text: &str,
    actors: &[A],
    places: &[(&str, &str)],
    dates: &[(&str, &str, DatePrecision)],
) -> AnnotatedDoc {
    let article = Article {
        id: outpost_core::id::text_fingerprint(text),
        source: "test".into(),
        title: None,
        date: NaiveDate::parse_from_str(date, "%Y-%m-%d").ok(),
        modified: None,
        authors: vec![],
        site: None,
        url: None,
        language: Some("en".into()),
        wire: None,
        text: text.to_string(),
    };
    // sentence spans
    let mut spans = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    for (i, c) in text.char_indices() {
        let end_here = (matches!(c, '.' | '?' | '!')
            && (i + 1 == text.len()
                || bytes.get(i + 1) == Some(&b' ')
                || bytes.get(i + 1) == Some(&b'\n')))
            || (c == '\n' && bytes.get(i + 1) == Some(&b'\n'));
        if end_here {
            let e = if c == '\n' { i } else { i + 1 };
            if text[start..e].trim().len() > 1 {
                let lead = text[start..e].len() - text[start..e].trim_start().len();
                spans.push((start + lead, e));
            }
            start = e;
        }
    }
    if text[start..].trim().len() > 1 {
        let lead = text[start..].len() - text[start..].trim_start().len();
        spans.push((start + lead, text.trim_end().len()));
    }
    // actor mentions (longest phrase first, no overlaps)
    let mut order: Vec<&A> = actors.iter().collect();
    order.sort_by_key(|a| std::cmp::Reverse(a.0.len()));
    let mut mentions: Vec<ActorMention> = Vec::new();
    for a in order {
        for (s, e) in find_all(text, a.0) {
            if mentions.iter().any(|m| m.start < e && s < m.end) {
                continue;
            }
            let country = a.1.get(..3).filter(|c| *c != "---").map(str::to_string);
            let sector = a.1.get(3..6).map(str::to_string);
            mentions.push(ActorMention {
                start: s,
                end: e,
                text: a.0.to_string(),
                code: a.1.to_string(),
                country,
                sector,
                name: None,
                kind: if a.1.len() == 3 {
                    ActorKind::Country
                } else if a.1.starts_with("NGO") || a.1.starts_with("IGO") {
                    ActorKind::Organisation
                } else {
                    ActorKind::Role
                },
            });
        }
    }
    mentions.sort_by_key(|m| m.start);
    let mut pm: Vec<PlaceMention> = Vec::new();
    for (p, feature) in places {
        for (s, e) in find_all(text, p) {
            pm.push(PlaceMention {
                start: s,
                end: e,
                text: p.to_string(),
                feature: feature.to_string(),
                location: Some(Location {
                    name: p.to_string(),
                    country: None,
                    admin1: None,
                    lat: 0.0,
                    lon: 0.0,
                    geonameid: None,
                    precision: feature.to_string(),
                }),
            });
        }
    }
    let mut dm: Vec<DateMention> = Vec::new();
    for (p, d, prec) in dates {
        for (s, e) in find_all(text, p) {
            dm.push(DateMention {
                start: s,
                end: e,
                text: p.to_string(),
                date: NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap_or_default(),
                precision: *prec,
                relative: true,
            });
        }
    }
    // paragraphs: a blank line between sentences starts a new one
    let paragraph_of = |s: usize| text[..s].matches("\n\n").count();
    let sentences = spans
        .iter()
        .enumerate()
        .map(|(index, &(s, e))| AnnotatedSentence {
            index,
            start: s,
            end: e,
            text: text[s..e].to_string(),
            paragraph: paragraph_of(s),
            tokens: tokenize(&text[s..e], s),
            dates: dm
                .iter()
                .filter(|d| d.start >= s && d.end <= e)
                .cloned()
                .collect(),
            actors: mentions
                .iter()
                .filter(|m| m.start >= s && m.end <= e)
                .cloned()
                .collect(),
            places: pm
                .iter()
                .filter(|p| p.start >= s && p.end <= e)
                .cloned()
                .collect(),
        })
        .collect();
    AnnotatedDoc {
        article,
        sentences,
        dateline: None,
    }
}
