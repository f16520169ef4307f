//! Text-dump and plain-text extraction.
//!
//! A text dump is a page's visible text, one block per line, after a `date YYYY-MM-DD`
//! header line; navigation, link lists, captions, related headlines and footer furniture
//! are mixed in. Each line is classified (prose, short, section label, boilerplate,
//! repeated, caption) and the body is the best-scoring run of prose lines, where furniture
//! between prose lines costs points (a maximum-sum segment, so the work is linear).

use crate::text::{
    ends_like_sentence, is_boilerplate, is_caption, is_comments_label, is_doubled, is_prose,
    is_section_label, norm_ws, word_count,
};
use crate::{Draft, dates, wire::WireList};
use chrono::NaiveDate;
use regex::Regex;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

static DATE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    crate::text::re(r"(?i)^[\s\p{P}]*date\s*[:=]?\s*(\d{4})-(\d{1,2})-(\d{1,2})[\s\p{P}]*$")
        .expect("static regex")
});
static BYLINE: LazyLock<Regex> = LazyLock::new(|| {
    crate::text::re(r"^(?i:by)\s+(\p{Lu}[\p{L}.'’\-]*(?:\s+\p{Lu}[\p{L}.'’\-]*){0,4}(?:\s*(?:,|and|&)\s*\p{Lu}[\p{L}.'’\-]*(?:\s+\p{Lu}[\p{L}.'’\-]*){0,4})*)\s*$")
        .expect("static regex")
});

/// Page furniture that looks like a headline by length: account links, feeds, follow
/// prompts, photo credits and caption labels.
static NOT_A_HEADLINE: LazyLock<Regex> = LazyLock::new(|| {
    crate::text::re(r"(?i)(?-u:\b)(?:log ?out|log ?in|sign ?in|rss|newsletter|follow (?:us|\p{Lu}\w*)|copyright|media caption|image caption|why you can trust)(?-u:\b)|©")
        .expect("static regex")
});
static BY_START: LazyLock<Regex> = LazyLock::new(|| {
    crate::text::re(r"(?i)^(?:by|written by|words by)\s+\p{Lu}").expect("static regex")
});
static BYLINE_ISH: LazyLock<Regex> = LazyLock::new(|| {
    crate::text::re(r"(?i)^(?:by|written by|posted by|posted on|published on|words by|text|photos?|author)(?-u:\b)|(?-u:\b)by \p{Lu}\S* \p{Lu}\S*$")
        .expect("static regex")
});

/// The date of a `date YYYY-MM-DD` header line (spaces and stray punctuation tolerated).
pub fn date_line(line: &str) -> Option<NaiveDate> {
    let c = DATE_LINE.captures(line.trim())?;
    NaiveDate::from_ymd_opt(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Prose,
    Short,
    Label,
    Boiler,
    Dup,
    Caption,
    /// Comment headers and relative timestamps ("Alex on May 3, 2019 at 4:47 pm said:").
    Meta,
}

static COMMENT_META: LazyLock<Regex> = LazyLock::new(|| {
    crate::text::re(concat!(
        r"(?i)(?:(?-u:\b)(?:said|says|wrote|writes|replied|commented)\s*:?\s*$|",
        r"^\W*\d+\s+(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)\s+ago(?-u:\b)|",
        r"(?-u:\b)\d{1,2}:\d{2}\s*(?:am|pm)(?-u:\b)|(?-u:\b)at \d{1,2}:\d{2}(?-u:\b)|^\W*(?:reply|report|quote|like|flag|permalink)\W*$|",
        r"^\d+\s+(?:likes?|replies|comments|responses|shares|views|points)\W*$)"
    ))
    .expect("static regex")
});

struct Line {
    text: String,
    class: Class,
}

fn classify(lines: Vec<String>) -> Vec<Line> {
    let mut counts: HashMap<&str, usize> = HashMap::with_capacity(lines.len());
    for l in &lines {
        *counts.entry(l.as_str()).or_default() += 1;
    }
    let classes: Vec<Class> = lines
        .iter()
        .map(|l| {
            let repeated = counts.get(l.as_str()).copied().unwrap_or(0) >= 2;
            if is_boilerplate(l) {
                Class::Boiler
            } else if word_count(l) <= 14 && COMMENT_META.is_match(l)
                || word_count(l) <= 8 && (dates::parse_any(l).is_some() || BYLINE.is_match(l))
            {
                Class::Meta
            } else if is_section_label(l) {
                Class::Label
            } else if is_caption(l) {
                Class::Caption
            } else if repeated || is_doubled(l) {
                Class::Dup
            } else if is_prose(l) {
                Class::Prose
            } else {
                Class::Short
            }
        })
        .collect();
    // A long line without its final stop is prose when it sits next to prose.
    let mut classes = classes;
    for i in 0..classes.len() {
        if classes[i] == Class::Short
            && long_unpunctuated(&lines[i])
            && (i > 0 && classes[i - 1] == Class::Prose
                || classes.get(i + 1) == Some(&Class::Prose))
        {
            classes[i] = Class::Prose;
        }
    }
    lines
        .into_iter()
        .zip(classes)
        .map(|(text, class)| Line { text, class })
        .collect()
}

/// A long line that lacks only its final full stop (dumps lose it often enough): as many
/// words as a sentence, not a teaser cut off with an ellipsis, not a label.
fn long_unpunctuated(l: &str) -> bool {
    let t = l.trim_end();
    word_count(t) >= 18
        && !t.ends_with(['…', ':', '|'])
        && !t.ends_with("...")
        && !t.contains(" | ")
}

/// Per-line scores: prose earns its word count; a gap of one or two short lines (a
/// subheading) costs little, a longer run of short lines (a link list, a teaser's
/// furniture) costs a fixed break penalty on top; labels and comment headers cost more.
fn scores(lines: &[Line]) -> Vec<f64> {
    let mut out = vec![0.0; lines.len()];
    let gapish = |c: Class| matches!(c, Class::Short | Class::Dup);
    let mut i = 0;
    while i < lines.len() {
        let c = lines[i].class;
        if gapish(c) {
            let mut j = i;
            while j < lines.len() && (gapish(lines[j].class) || lines[j].class == Class::Boiler) {
                j += 1;
            }
            let k = lines[i..j].iter().filter(|l| gapish(l.class)).count();
            let total = if k <= 2 {
                2.5 * k as f64
            } else {
                25.0 + 3.0 * k as f64
            };
            for s in &mut out[i..j] {
                *s = -total / (j - i) as f64;
            }
            i = j;
            continue;
        }
        out[i] = match c {
            Class::Prose => word_count(&lines[i].text).min(80) as f64,
            Class::Label if is_comments_label(&lines[i].text) => -100.0,
            Class::Label => -30.0,
            Class::Meta => -15.0,
            Class::Boiler | Class::Caption => -0.5,
            Class::Short | Class::Dup => 0.0,
        };
        i += 1;
    }
    out
}

/// The maximum-sum segment of line scores (Kadane), as an inclusive index range.
fn best_segment(lines: &[Line]) -> Option<(usize, usize)> {
    let scores = scores(lines);
    let mut best: Option<(f64, usize, usize)> = None;
    let mut cur = 0.0;
    let mut start = 0;
    for (i, &s) in scores.iter().enumerate() {
        if cur <= 0.0 {
            cur = s;
            start = i;
        } else {
            cur += s;
        }
        if cur > 0.0 && best.is_none_or(|(b, _, _)| cur > b) {
            best = Some((cur, start, i));
        }
    }
    best.map(|(_, s, e)| (s, e))
}

/// The body lines inside a chosen segment: prose, plus short lines that read like
/// subheadings; runs of short lines (link lists) and blocks opened by section labels
/// are dropped.
fn body_lines(lines: &[Line], s: usize, e: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut seen: HashSet<&str> = HashSet::new();
    let mut in_furniture = false;
    let mut body_words = 0;
    let mut i = s;
    while i <= e {
        let l = &lines[i];
        match l.class {
            Class::Prose => {
                // After a section label, short prose is a teaser's summary; only a full
                // paragraph (or any prose before the article has begun) resumes the body.
                let words = word_count(&l.text);
                if in_furniture && words < 30 && body_words >= 50 {
                    i += 1;
                    continue;
                }
                in_furniture = false;
                if seen.insert(l.text.as_str()) {
                    body_words += words;
                    out.push(l.text.clone());
                }
                i += 1;
            }
            Class::Label => {
                in_furniture = true;
                i += 1;
            }
            Class::Short => {
                let mut j = i;
                while j <= e && lines[j].class == Class::Short {
                    j += 1;
                }
                if !in_furniture && j - i <= 2 && j <= e && lines[j].class == Class::Prose {
                    for l in &lines[i..j] {
                        if seen.insert(l.text.as_str()) {
                            out.push(l.text.clone());
                        }
                    }
                }
                i = j;
            }
            _ => i += 1,
        }
    }
    out
}

fn title_from(lines: &[Line], body_start: usize) -> Option<(usize, String)> {
    let lo = body_start.saturating_sub(40);
    let ok = |l: &Line| {
        let t = l.text.as_str();
        let words = word_count(t);
        !matches!(
            l.class,
            Class::Boiler | Class::Label | Class::Caption | Class::Meta
        ) && (3..=30).contains(&words)
            && (10..=300).contains(&t.len())
            && !t.ends_with('.')
            && !t.contains('@')
            && !t.contains(" | ")
            && !BYLINE_ISH.is_match(t)
            && dates::parse_any(t).is_none()
            && !(words <= 4
                && t.split_whitespace()
                    .all(|w| !w.starts_with(char::is_lowercase)))
            && !NOT_A_HEADLINE.is_match(t)
            // Score lines and tables: mostly numbers.
            && t.split_whitespace()
                .filter(|w| w.chars().any(|c| c.is_ascii_digit()))
                .count()
                * 3
                < words
    };
    // 0. The headline that the page title (often the dump's first line, "Headline |
    //    Site") starts with: the nearest such line before the body.
    if let Some(first) = lines.first().map(|l| l.text.as_str())
        && body_start > 1
    {
        for i in (1..body_start).rev() {
            let l = &lines[i];
            let t = l.text.as_str();
            if word_count(t) >= 2
                && t.len() < first.len()
                && first.starts_with(t)
                && first[t.len()..]
                    .trim_start()
                    .starts_with(['|', '-', '–', '—', ':', '·'])
                && !matches!(l.class, Class::Boiler | Class::Label)
            {
                return Some((i, t.to_string()));
            }
        }
    }
    // 1. A line repeated near the top of the body (headline + og-style repeat).
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for l in &lines[lo..body_start] {
        *counts.entry(l.text.as_str()).or_default() += 1;
    }
    for i in (lo..body_start).rev() {
        let l = &lines[i];
        if ok(l) && counts.get(l.text.as_str()).copied().unwrap_or(0) >= 2 {
            return Some((i, l.text.clone()));
        }
    }
    // 2. The headline just before the body: the nearest headline-like line.
    for i in (body_start.saturating_sub(12)..body_start).rev() {
        let l = &lines[i];
        if ok(l) && l.class != Class::Prose && !BYLINE.is_match(&l.text) && word_count(&l.text) >= 4
        {
            return Some((i, l.text.clone()));
        }
    }
    None
}

fn split_names(s: &str) -> Vec<String> {
    s.split([',', '&'])
        .flat_map(|p| p.split(" and "))
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

/// Extract a `date …` text dump.
pub fn extract_dump(text: &str, wires: &WireList) -> Draft {
    let mut draft = Draft::default();
    let mut raw = text.lines();
    for l in raw.by_ref() {
        if !l.trim().is_empty() {
            draft.date = date_line(l);
            break;
        }
    }
    let lines: Vec<String> = raw.map(norm_ws).filter(|l| !l.is_empty()).collect();
    let lines = classify(lines);
    // Readers' comments follow a comments label once the article has started.
    let mut words = 0;
    let mut cut = lines.len();
    for (i, l) in lines.iter().enumerate() {
        match l.class {
            Class::Prose => words += word_count(&l.text),
            // A comments label after enough article text, or after some article text
            // and followed at once by a comment header ("Jane on May 3, 2019 said:").
            Class::Label | Class::Boiler
                if is_comments_label(&l.text)
                    && (words >= 80 && l.class == Class::Label
                        || words >= 25
                            && lines[i + 1..]
                                .iter()
                                .take(3)
                                .any(|x| x.class == Class::Meta)) =>
            {
                cut = i;
                break;
            }
            _ => {}
        }
    }
    let Some((s, e)) = best_segment(&lines[..cut]) else {
        return draft;
    };
    draft.paragraphs = body_lines(&lines, s, e);
    let title = title_from(&lines, s);
    let head_from = title
        .as_ref()
        .map(|(i, _)| *i + 1)
        .unwrap_or(s.saturating_sub(8));
    draft.title = title.map(|(_, t)| t);
    // Bylines and standalone credits between the title and the body.
    for l in &lines[head_from.min(s)..s] {
        // A photo credit ("Photo: … / Agency") does not credit the story.
        if l.class == Class::Caption {
            continue;
        }
        if draft.wire.is_none()
            && let Some(w) = wires.standalone(&l.text)
        {
            draft.wire = Some(w.to_string());
            continue;
        }
        if word_count(&l.text) <= 16 && BY_START.is_match(&l.text) {
            for name in crate::html::clean_authors(&l.text) {
                match crate::html::tidy_author(&name, None, wires) {
                    crate::html::Author::Wire(w) => {
                        draft.wire.get_or_insert(w);
                    }
                    crate::html::Author::Person(p, wire) => {
                        if let Some(w) = wire {
                            draft.wire.get_or_insert(w);
                        }
                        if !draft.authors.iter().any(|x| x.eq_ignore_ascii_case(&p)) {
                            draft.authors.push(p);
                        }
                    }
                    crate::html::Author::NotAPerson => {}
                }
            }
        }
        if draft.date.is_none() {
            draft.date = dates::from_visible(&l.text);
        }
    }
    if draft.wire.is_none() {
        draft.wire = wire_from_paragraphs(&draft.paragraphs, wires).or_else(|| {
            lines[e + 1..lines.len().min(e + 3)]
                .iter()
                .find_map(|l| wires.standalone(&l.text))
                .map(str::to_string)
        });
    }
    draft
}

/// The wire credited by the first or last paragraphs' dateline or sign-off.
pub(crate) fn wire_from_paragraphs(paras: &[String], wires: &WireList) -> Option<String> {
    let n = paras.len();
    let first = paras.iter().take(2);
    let last = paras.iter().skip(n.saturating_sub(2));
    first
        .chain(last)
        .find_map(|p| wires.credit_in_paragraph(p).or_else(|| wires.standalone(p)))
        .map(str::to_string)
}

/// Extract plain text: blank-line separated paragraphs (or one per line), with a short
/// first line without a final period as the title.
pub fn extract_plain(text: &str, wires: &WireList) -> Draft {
    let mut draft = Draft::default();
    let mut blocks: Vec<Vec<&str>> = vec![Vec::new()];
    for l in text.lines() {
        let t = l.trim();
        if t.is_empty() {
            if blocks.last().is_some_and(|b| !b.is_empty()) {
                blocks.push(Vec::new());
            }
        } else if let Some(b) = blocks.last_mut() {
            b.push(t);
        }
    }
    blocks.retain(|b| !b.is_empty());
    let mut paras: Vec<String> = if blocks.len() == 1 {
        blocks[0].iter().map(|l| norm_ws(l)).collect()
    } else {
        blocks.iter().map(|b| norm_ws(&b.join(" "))).collect()
    };
    if paras.len() >= 2 {
        let first = &paras[0];
        let looks_title =
            word_count(first) <= 25 && first.chars().count() <= 200 && !ends_like_sentence(first)
                || word_count(first) <= 25 && first.ends_with('?');
        if looks_title && !first.ends_with('.') {
            draft.title = Some(paras.remove(0));
        }
    }
    // Leading credit / date lines.
    while let Some(first) = paras.first() {
        if first.len() > 80 || paras.len() < 2 {
            break;
        }
        if let Some(w) = wires.standalone(first) {
            draft.wire.get_or_insert_with(|| w.to_string());
        } else if let Some(d) = dates::from_visible(first)
            .or_else(|| dates::parse_any(first).filter(|_| word_count(first) <= 6))
        {
            draft.date.get_or_insert(d);
        } else if let Some(c) = BYLINE.captures(first) {
            draft.authors.extend(split_names(&c[1]));
        } else {
            break;
        }
        paras.remove(0);
    }
    paras.retain(|p| !is_boilerplate(p));
    if draft.wire.is_none() {
        draft.wire = wire_from_paragraphs(&paras, wires);
    }
    draft.paragraphs = paras;
    draft
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_lines() {
        let d = NaiveDate::from_ymd_opt(2021, 7, 24);
        assert_eq!(date_line("date 2021-07-24"), d);
        assert_eq!(date_line(" date 2021-07-24 ."), d);
        assert_eq!(date_line("DATE: 2021-07-24"), d);
        assert_eq!(date_line("date 2021-13-24"), None);
        assert_eq!(date_line("updated 2021-07-24"), None);
    }

    fn dump(lines: &[&str]) -> Draft {
        let mut text = String::from("date 2022-09-14\n");
        for l in lines {
            text.push_str(l);
            text.push('\n');
        }
        extract_dump(&text, &crate::wire::DEFAULT)
    }

    #[test]
    fn comments_after_a_short_article_are_cut() {
        let d = dump(&[
            "Menu",
            "Library adds Sunday opening hours",
            "The town library will open on Sundays from next month, the council said, after \
             a survey showed strong demand from families and students.",
            "Opening hours will be from noon to five, and the children's corner will run a \
             story session at two.",
            "Posted in Local | 4 Comments",
            "Comments",
            "Jo on September 14, 2022 at 9:12 am said:",
            "About time too, the reading room is always full on Saturdays and there is \
             nowhere else to study in town at the weekend.",
            "Sam on September 15, 2022 at 6:40 pm said:",
            "Will the cafe be open as well, or only the lending desk and the computers?",
        ]);
        assert_eq!(d.paragraphs.len(), 2, "{:?}", d.paragraphs);
        assert!(d.paragraphs[0].starts_with("The town library will open"));
        assert!(d.paragraphs[1].starts_with("Opening hours"));
    }

    #[test]
    fn long_line_without_full_stop_next_to_prose_is_body() {
        let d = dump(&[
            "Home",
            "Sport",
            "Coach leaves club after eight seasons in charge",
            "The club announced on Monday that its head coach would leave at the end of the \
             season after eight years in charge of the first team",
            "He won two league titles and a cup during his time at the club, and oversaw the \
             move to the new stadium in 2019.",
            "A successor is expected to be named before the summer transfer window opens, the \
             chairman told reporters.",
            "Share",
        ]);
        assert_eq!(d.paragraphs.len(), 3, "{:?}", d.paragraphs);
        assert!(d.paragraphs[0].starts_with("The club announced on Monday"));
    }

    #[test]
    fn teaser_summaries_after_a_label_are_not_body() {
        let d = dump(&[
            "Menu",
            "Port strike ends after pay deal",
            "Dock workers at the northern port returned to work on Thursday after unions and \
             employers agreed a two-year pay deal that ends a strike which had lasted nine days \
             and left dozens of ships waiting at anchor.",
            "The agreement raises wages by six percent this year and four percent next year, \
             and adds a bonus for night shifts, according to the union.",
            "Top stories",
            "Rail fares to rise in January",
            "Fares on regional lines will go up by an average of three percent.",
            "Airport expansion approved",
            "The council voted to allow a second terminal at the city airport.",
        ]);
        assert_eq!(d.paragraphs.len(), 2, "{:?}", d.paragraphs);
        assert!(d.paragraphs[1].starts_with("The agreement raises wages"));
    }

    #[test]
    fn title_from_the_page_title_line_and_not_from_account_links() {
        let body = [
            "Dock workers at the northern port returned to work on Thursday after unions and \
             employers agreed a two-year pay deal that ends a nine-day strike.",
            "The agreement raises wages by six percent this year and four percent next year, \
             according to the union.",
        ];
        let mut lines = vec![
            "Port strike ends after pay deal | Coastal Times",
            "Menu",
            "Port strike ends after pay deal",
            "Shipping news from the whole coast today",
        ];
        lines.extend(body);
        assert_eq!(
            dump(&lines).title.as_deref(),
            Some("Port strike ends after pay deal")
        );
        let mut lines = vec![
            "Menu",
            "Get the author RSS feed now",
            "Follow Jane Roe on Twitter",
        ];
        lines.extend(body);
        assert_eq!(dump(&lines).title, None);
    }

    #[test]
    fn segment_skips_nav_and_related() {
        let mut lines = vec!["Home".to_string(), "World".into(), "Sport".into()];
        lines.push("Ferry services resume after the storm".into());
        lines.push("Ferry services between the two islands resumed on Tuesday after a three-day suspension, the operator said.".into());
        lines.push("Passengers who missed crossings can rebook without charge until the end of the month, it added in a statement.".into());
        lines.push("Read more:".into());
        lines.push("Storm damage estimated at millions".into());
        lines.push("Harbour reopens to fishing boats".into());
        let ls = classify(lines);
        let (s, e) = best_segment(&ls).unwrap();
        let body = body_lines(&ls, s, e);
        assert_eq!(body.len(), 2);
        assert!(body[0].starts_with("Ferry services between"));
    }

    #[test]
    fn plain_text_title_and_paragraphs() {
        let t = "Council approves new budget\n\nThe city council approved the budget on Monday.\nIt passed 7-2.\n\nThe mayor welcomed the vote.";
        let d = extract_plain(t, &crate::wire::DEFAULT);
        assert_eq!(d.title.as_deref(), Some("Council approves new budget"));
        assert_eq!(d.paragraphs.len(), 2);
        assert_eq!(
            d.paragraphs[0],
            "The city council approved the budget on Monday. It passed 7-2."
        );
    }

    #[test]
    fn plain_text_one_line_per_paragraph() {
        let t = "First paragraph of the note.\nSecond paragraph of the note.";
        let d = extract_plain(t, &crate::wire::DEFAULT);
        assert_eq!(d.title, None);
        assert_eq!(d.paragraphs.len(), 2);
    }
}
