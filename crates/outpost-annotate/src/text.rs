//! Sentence splitting, tokenisation and dateline detection.

use std::collections::HashMap;
use std::sync::OnceLock;

use outpost_core::Token;

/// How an abbreviation behaves before a possible sentence break.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AbbrevClass {
    Title,
    Number,
    Month,
    Other,
}

const ABBREVIATIONS: &str = include_str!("../data/abbreviations.txt");

fn abbreviations() -> &'static HashMap<&'static str, AbbrevClass> {
    static MAP: OnceLock<HashMap<&'static str, AbbrevClass>> = OnceLock::new();
    MAP.get_or_init(|| {
        let mut m = HashMap::new();
        for line in ABBREVIATIONS.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut parts = line.split_whitespace();
            let (Some(word), Some(class)) = (parts.next(), parts.next()) else {
                continue;
            };
            let class = match class {
                "title" => AbbrevClass::Title,
                "number" => AbbrevClass::Number,
                "month" => AbbrevClass::Month,
                _ => AbbrevClass::Other,
            };
            m.insert(word, class);
        }
        m
    })
}

/// Words that usually open a sentence; after an "other" abbreviation ("U.S.") a break
/// is made only before one of these.
const OPENERS: &[&str] = &[
    "The",
    "A",
    "An",
    "He",
    "She",
    "It",
    "They",
    "We",
    "I",
    "You",
    "But",
    "And",
    "In",
    "On",
    "At",
    "This",
    "That",
    "These",
    "Those",
    "There",
    "His",
    "Her",
    "Its",
    "Their",
    "Our",
    "After",
    "Before",
    "When",
    "While",
    "However",
    "Meanwhile",
    "Earlier",
    "Later",
    "Last",
    "Since",
    "As",
    "If",
    "Some",
    "Many",
    "No",
    "Both",
    "For",
    "Officials",
    "Also",
    "So",
    "Yet",
];

fn is_closer(c: char) -> bool {
    matches!(c, '"' | '”' | '’' | '\'' | ')' | ']' | '»')
}

fn is_opener(c: char) -> bool {
    matches!(c, '"' | '“' | '‘' | '\'' | '(' | '[' | '«')
}

/// Splits `text` into paragraphs (on blank lines) and sentences; returns byte spans with
/// the 0-based paragraph number. Spans are trimmed of surrounding white space.
pub(crate) fn sentence_spans(text: &str) -> Vec<(usize, usize, usize)> {
    let mut out = Vec::new();
    let mut para = 0usize;
    let mut pos = 0usize;
    for chunk in text.split("\n\n") {
        let start = pos;
        pos += chunk.len() + 2;
        if chunk.trim().is_empty() {
            continue;
        }
        for (s, e) in split_paragraph(chunk) {
            out.push((start + s, start + e, para));
        }
        para += 1;
    }
    out
}

/// The word (letters and inner periods) that ends just before byte `dot` in `p`.
fn word_before(p: &str, dot: usize) -> &str {
    let head = &p[..dot];
    let start = head
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphanumeric() || *c == '.')
        .last()
        .map_or(dot, |(i, _)| i);
    &head[start..]
}

thread_local! {
    /// A reused buffer for the `(byte, char)` list of a paragraph or sentence, which the
    /// splitter and the tokeniser walk by index (this saves an allocation per call).
    static CHARS: std::cell::RefCell<Vec<(usize, char)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Runs `f` on the `(byte offset, char)` list of `s`.
fn with_chars<R>(s: &str, f: impl FnOnce(&[(usize, char)]) -> R) -> R {
    CHARS.with(|cell| match cell.try_borrow_mut() {
        Ok(mut buf) => {
            buf.clear();
            buf.extend(s.char_indices());
            f(&buf)
        }
        Err(_) => {
            let v: Vec<(usize, char)> = s.char_indices().collect();
            f(&v)
        }
    })
}

fn split_paragraph(p: &str) -> Vec<(usize, usize)> {
    with_chars(p, |chars| split_paragraph_in(p, chars))
}

fn split_paragraph_in(p: &str, chars: &[(usize, char)]) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut sent_start = 0usize;
    let mut i = 0usize;
    while i < chars.len() {
        let (bi, c) = chars[i];
        if !matches!(c, '.' | '!' | '?' | '…') {
            i += 1;
            continue;
        }
        // Consume the run of terminators and closing quotes/brackets.
        let mut j = i + 1;
        while j < chars.len()
            && (matches!(chars[j].1, '.' | '!' | '?' | '…') || is_closer(chars[j].1))
        {
            j += 1;
        }
        let end = chars.get(j).map_or(p.len(), |x| x.0);
        // A break needs white space after the run (or the paragraph's end).
        if j < chars.len() && !chars[j].1.is_whitespace() {
            i = j;
            continue;
        }
        let mut k = j;
        while k < chars.len() && chars[k].1.is_whitespace() {
            k += 1;
        }
        if k >= chars.len() {
            break;
        }
        let next = chars[k].1;
        let next_word: &str = {
            let from = chars[k].0;
            let rest = &p[from..];
            let len = rest
                .char_indices()
                .find(|(_, c)| !c.is_alphanumeric())
                .map_or(rest.len(), |(x, _)| x);
            &rest[..len]
        };
        let mut brk = next.is_uppercase() || next.is_ascii_digit() || is_opener(next);
        if brk && c == '.' && j == i + 1 {
            let w = word_before(p, bi);
            let w_trim = w.trim_start_matches('.');
            if let Some(class) = abbreviations().get(w_trim) {
                brk = match class {
                    AbbrevClass::Title => false,
                    AbbrevClass::Number | AbbrevClass::Month => !next.is_ascii_digit(),
                    AbbrevClass::Other => OPENERS.contains(&next_word),
                };
            } else if w_trim.chars().count() == 1
                && w_trim.chars().all(|c| c.is_uppercase())
                && next.is_uppercase()
            {
                // An initial ("J. R. Smith").
                brk = false;
            } else if is_dotted_acronym(w_trim) {
                brk = OPENERS.contains(&next_word);
            }
            if brk
                && (1..=2).contains(&w_trim.len())
                && w_trim.bytes().all(|b| b.is_ascii_digit())
                && is_month_word(next_word)
            {
                // "5. Apr 2018", "23. Juli": a day-first date, not a sentence end
                brk = false;
            }
        }
        if brk {
            push_trimmed(p, sent_start, end, &mut spans);
            sent_start = chars[k].0;
            i = k;
        } else {
            i = j;
        }
    }
    push_trimmed(p, sent_start, p.len(), &mut spans);
    spans
}

fn is_month_word(w: &str) -> bool {
    const MONTHS: &[&str] = &[
        "Jan",
        "January",
        "Feb",
        "February",
        "Mar",
        "March",
        "Apr",
        "April",
        "May",
        "Jun",
        "June",
        "Jul",
        "July",
        "Aug",
        "August",
        "Sep",
        "Sept",
        "September",
        "Oct",
        "October",
        "Nov",
        "November",
        "Dec",
        "December",
    ];
    MONTHS.contains(&w)
}

/// "U.S", "U.N", "E.U" (the final period already cut off).
fn is_dotted_acronym(w: &str) -> bool {
    w.contains('.') && w.split('.').all(|part| part.chars().count() == 1)
}

fn push_trimmed(p: &str, s: usize, e: usize, out: &mut Vec<(usize, usize)>) {
    let seg = &p[s..e];
    let lead = seg.len() - seg.trim_start().len();
    let trimmed = seg.trim();
    if !trimmed.is_empty() {
        out.push((s + lead, s + lead + trimmed.len()));
    }
}

/// Tokenises `s` (which starts at byte `offset` of the article). Words keep inner
/// apostrophes and dotted acronyms ("U.S."); hyphens, "'s" and punctuation are tokens
/// of their own; numbers keep inner "," and ".".
pub(crate) fn tokenize(s: &str, offset: usize) -> Vec<Token> {
    with_chars(s, |chars| tokenize_in(s, offset, chars))
}

fn tokenize_in(s: &str, offset: usize, chars: &[(usize, char)]) -> Vec<Token> {
    let mut out = Vec::new();
    let n = chars.len();
    let at = |i: usize| chars.get(i).map(|x| x.1);
    let byte = |i: usize| chars.get(i).map_or(s.len(), |x| x.0);
    let mut i = 0usize;
    while i < n {
        let c = chars[i].1;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        if c.is_ascii_digit() {
            i += 1;
            while i < n {
                let d = chars[i].1;
                if d.is_ascii_digit() {
                    i += 1;
                } else if matches!(d, ',' | '.') && at(i + 1).is_some_and(|x| x.is_ascii_digit()) {
                    i += 2;
                } else if d.is_alphabetic() {
                    // "23rd", "5th", "10km"
                    i += 1;
                } else {
                    break;
                }
            }
        } else if c.is_alphanumeric() {
            i += 1;
            // Dotted acronym: single letters separated by periods, "U.S." / "U.N.".
            if at(i) == Some('.')
                && at(i + 1).is_some_and(|x| x.is_alphabetic())
                && at(i + 2) == Some('.')
            {
                while at(i) == Some('.')
                    && at(i + 1).is_some_and(|x| x.is_alphabetic())
                    && at(i + 2) == Some('.')
                {
                    i += 2;
                }
                i += 1; // final period
            } else {
                while i < n {
                    let d = chars[i].1;
                    if d.is_alphanumeric() || d == '\u{0301}' {
                        i += 1;
                    } else if matches!(d, '\'' | '’')
                        && at(i + 1).is_some_and(|x| x.is_alphabetic())
                    {
                        // split off a possessive 's
                        let is_poss = matches!(at(i + 1), Some('s') | Some('S'))
                            && !at(i + 2).is_some_and(|x| x.is_alphanumeric());
                        if is_poss {
                            break;
                        }
                        i += 2;
                    } else {
                        break;
                    }
                }
            }
        } else if matches!(c, '\'' | '’')
            && matches!(at(i + 1), Some('s') | Some('S'))
            && !at(i + 2).is_some_and(|x| x.is_alphanumeric())
            && i > 0
            && chars[i - 1].1.is_alphanumeric()
        {
            i += 2;
        } else {
            i += 1;
        }
        let (bs, be) = (byte(start), byte(i));
        let text = &s[bs..be];
        let lower = if text.is_ascii() {
            text.to_ascii_lowercase()
        } else {
            text.to_lowercase()
        };
        out.push(Token {
            start: offset + bs,
            end: offset + be,
            text: text.to_string(),
            lower,
        });
    }
    out
}

/// Finds a dateline at the start of a paragraph: an upper-case place name, optionally
/// followed by ", REGION" and "(Agency)", then a dash. Returns the byte span of the place
/// name within `p`.
pub(crate) fn dateline_span(p: &str) -> Option<(usize, usize)> {
    let head = match p.char_indices().nth(100) {
        Some((b, _)) => &p[..b],
        None => p,
    };
    // Find the dash that ends the dateline.
    let dash = head
        .char_indices()
        .find(|(i, c)| {
            matches!(c, '-' | '–' | '—')
                && head[..*i].ends_with(' ')
                && head[*i + c.len_utf8()..].starts_with(' ')
        })
        .map(|(i, _)| i)?;
    let pre = head[..dash].trim_end();
    // Strip "(Agency)".
    let agency = pre.ends_with(')');
    let pre = if agency {
        let open = pre.rfind('(')?;
        pre[..open].trim_end()
    } else {
        pre
    };
    // The place: leading run of upper-case words (with spaces, dots, hyphens, apostrophes).
    let place_end = pre.find(',').unwrap_or(pre.len());
    let place = pre[..place_end].trim_end();
    if place.is_empty() || place.len() > 40 {
        return None;
    }
    let letters: Vec<char> = place.chars().filter(|c| c.is_alphabetic()).collect();
    let all_caps = letters.iter().all(|c| c.is_uppercase());
    let title_case = place
        .split([' ', '-'])
        .filter(|w| !w.is_empty())
        .all(|w| w.chars().next().is_some_and(char::is_uppercase));
    if letters.len() < 2 || !(all_caps || title_case) {
        return None;
    }
    if !place
        .chars()
        .all(|c| c.is_alphabetic() || matches!(c, ' ' | '.' | '-' | '\'' | '’'))
    {
        return None;
    }
    // The rest before the dash must be ", REGION" at most (also upper case or title case).
    let rest = pre[place_end..].trim_start_matches(',').trim();
    if rest.split_whitespace().count() > 3 {
        return None;
    }
    // "Kabul, Afghanistan —" or "Kabul (AFP) —"; a bare title-case word before a dash is
    // too often an ordinary sentence ("Russia - the largest …").
    if !all_caps && !agency && rest.is_empty() {
        return None;
    }
    if place.split_whitespace().count() > 4 {
        return None;
    }
    Some((0, place.len()))
}

/// Title-cases an upper-case place name for gazetteer look-up ("NEW YORK" → "New York").
pub(crate) fn title_case(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut start = true;
    for c in s.chars() {
        if c.is_alphabetic() {
            if start {
                out.extend(c.to_uppercase());
            } else {
                out.extend(c.to_lowercase());
            }
            start = false;
        } else {
            out.push(c);
            start = matches!(c, ' ' | '-');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sents(text: &str) -> Vec<&str> {
        sentence_spans(text)
            .iter()
            .map(|&(s, e, _)| &text[s..e])
            .collect()
    }

    #[test]
    fn splits_plain_sentences() {
        let t = "The army left the town. Residents returned! Why? Nobody knows.";
        assert_eq!(
            sents(t),
            vec![
                "The army left the town.",
                "Residents returned!",
                "Why?",
                "Nobody knows."
            ]
        );
    }

    #[test]
    fn survives_abbreviations_and_initials() {
        let t = "Gen. Mark Olsen met Lt. Col. Dana Reyes in St. Paul on Jan. 5 at No. 3 Road. \
                 The U.S. envoy and the U.N. team flew from Sacramento, Calif. to Reno. \
                 J. R. Smith signed it. Mr. Ode and Dr. Ali agreed.";
        assert_eq!(
            sents(t),
            vec![
                "Gen. Mark Olsen met Lt. Col. Dana Reyes in St. Paul on Jan. 5 at No. 3 Road.",
                "The U.S. envoy and the U.N. team flew from Sacramento, Calif. to Reno.",
                "J. R. Smith signed it.",
                "Mr. Ode and Dr. Ali agreed."
            ]
        );
    }

    #[test]
    fn day_number_before_a_month_is_no_sentence_end() {
        assert_eq!(
            sents("Posted 5. Apr 2018 at noon. Done."),
            vec!["Posted 5. Apr 2018 at noon.", "Done."]
        );
        assert_eq!(
            sents("He came 5. Then he left."),
            vec!["He came 5.", "Then he left."]
        );
    }

    #[test]
    fn acronym_at_sentence_end_breaks_before_an_opener() {
        let t = "The delegation flew to the U.S. The talks began later.";
        assert_eq!(
            sents(t),
            vec!["The delegation flew to the U.S.", "The talks began later."]
        );
    }

    #[test]
    fn decimals_and_quotes() {
        let t = "Prices rose 3.5 percent. “We will not leave.” He said it twice. \
                 “Will you stay?” she asked. “Yes,” he replied.";
        assert_eq!(
            sents(t),
            vec![
                "Prices rose 3.5 percent.",
                "“We will not leave.”",
                "He said it twice.",
                "“Will you stay?” she asked.",
                "“Yes,” he replied."
            ]
        );
    }

    #[test]
    fn paragraphs_and_offsets() {
        let t = "First one. Second one.\n\n\n\nThird one.";
        let spans = sentence_spans(t);
        assert_eq!(spans.len(), 3);
        assert_eq!(spans[2].2, 1);
        assert_eq!(&t[spans[2].0..spans[2].1], "Third one.");
    }

    #[test]
    fn dateline_stays_with_its_sentence() {
        let t = "DUSHANBE (Reuters) - Two border posts were shelled. Nobody was hurt.";
        assert_eq!(
            sents(t),
            vec![
                "DUSHANBE (Reuters) - Two border posts were shelled.",
                "Nobody was hurt."
            ]
        );
        assert_eq!(dateline_span(t), Some((0, 8)));
        assert_eq!(
            dateline_span("NEW YORK, N.Y. — Shops closed."),
            Some((0, 8))
        );
        assert_eq!(dateline_span("The army - not the police - fired."), None);
        assert_eq!(
            dateline_span("Kabul, Afghanistan — Shops closed."),
            Some((0, 5))
        );
        assert_eq!(dateline_span("Kabul (AFP) - Shops closed."), Some((0, 5)));
        assert_eq!(dateline_span("Russia - the largest country - voted."), None);
        assert_eq!(title_case("NEW YORK"), "New York");
    }

    #[test]
    fn tokens() {
        let toks = tokenize("UK-led troops' base: Russia's 1,200 U.S. soldiers.", 10);
        let words: Vec<&str> = toks.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(
            words,
            vec![
                "UK", "-", "led", "troops", "'", "base", ":", "Russia", "'s", "1,200", "U.S.",
                "soldiers", "."
            ]
        );
        assert_eq!(toks[0].start, 10);
        assert_eq!(toks[7].lower, "russia");
    }
}
