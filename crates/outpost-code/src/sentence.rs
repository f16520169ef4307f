//! Per-sentence analysis on the token stream: trigger matches, reporting frames and clauses.

use std::borrow::Cow;

use outpost_core::AnnotatedSentence;

use crate::dict::{Cues, MAX_GAP, PatTok, Pos, VerbDict};

/// A token range `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span {
    pub(crate) start: usize,
    pub(crate) end: usize,
}

/// One trigger match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Match {
    pub(crate) entry: usize,
    /// Token positions of the literal pattern elements.
    pub(crate) toks: Vec<usize>,
}

impl Match {
    pub(crate) fn first(&self) -> usize {
        self.toks[0]
    }
    pub(crate) fn last(&self) -> usize {
        self.toks[self.toks.len() - 1]
    }
}

/// What kind of clause a token belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ClauseKind {
    /// Ordinary (main or subordinate) clause.
    Plain,
    /// A reporting frame ("the agency reported", "according to officials").
    Frame,
    /// Relative clause; `object` for "whom"; antecedent actor index if any.
    Relative {
        antecedent: Option<usize>,
        object: bool,
    },
    /// Clause opened by "if"/"unless".
    Conditional,
    /// The main clause resuming after a comma-delimited relative clause
    /// ("militants, who …, seized …"): its subject is the antecedent.
    Resumed { antecedent: Option<usize> },
}

/// A sentence prepared for coding.
pub(crate) struct Sent<'a> {
    pub(crate) s: &'a AnnotatedSentence,
    /// Tokens with hyphenated compounds re-joined ("cease-fire", "US-led").
    pub(crate) tk: Vec<Tok>,
    /// Normalised lower-case tokens.
    pub(crate) toks: Vec<Word<'a>>,
    /// Per token, the cue categories it is a one-word cue of ([`Cues::word_and_end_bits`]).
    pub(crate) cue: Vec<u64>,
    /// Per token, the cue categories with a phrase ending in it.
    pub(crate) cue_end: Vec<u64>,
    pub(crate) actors: Vec<Option<Span>>,
    pub(crate) places: Vec<Option<Span>>,
    pub(crate) dates: Vec<Option<Span>>,
    pub(crate) matches: Vec<Match>,
    pub(crate) clause: Vec<usize>,
    pub(crate) clauses: Vec<(Span, ClauseKind)>,
    pub(crate) frame: Vec<bool>,
    /// Actors standing in a reporting frame (speakers, reporters, addressees).
    pub(crate) speaker: Vec<bool>,
}

/// A normalised lower-case token of the coder's view: borrowed from annotate's token when
/// no change was needed (most tokens), owned when hyphen parts were joined or it was
/// normalised (see `norm`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Word<'a>(Cow<'a, str>);

impl Word<'_> {
    /// The token as a string slice.
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for Word<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Word<'_> {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl PartialEq<str> for Word<'_> {
    fn eq(&self, other: &str) -> bool {
        *self.0 == *other
    }
}

impl PartialEq<&str> for Word<'_> {
    fn eq(&self, other: &&str) -> bool {
        *self.0 == **other
    }
}

/// A token of the coder's view: annotate's tokens with hyphen compounds joined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Tok {
    /// Byte offset in the article text.
    pub(crate) start: usize,
    /// Byte end offset.
    pub(crate) end: usize,
    /// The first and last of annotate's tokens it is made of (`word - word - word`).
    parts: (usize, usize),
}

impl Tok {
    /// The token as written, hyphen parts joined with `-` (`tokens`: the sentence's tokens
    /// from annotate).
    pub(crate) fn text(&self, tokens: &[outpost_core::Token]) -> String {
        let (a, b) = self.parts;
        let mut out = String::new();
        for (k, t) in tokens.iter().enumerate().take(b + 1).skip(a) {
            if (k - a) % 2 == 1 {
                out.push('-');
            } else {
                out.push_str(&t.text);
            }
        }
        out
    }
}

/// Joins `word - word` written without spaces into one token; also returns each joined
/// token's lower-cased form (from annotate's lower-cased parts).
fn join_hyphens(tokens: &[outpost_core::Token]) -> (Vec<Tok>, Vec<Cow<'_, str>>) {
    let mut out: Vec<Tok> = Vec::with_capacity(tokens.len());
    let mut lower: Vec<Cow<'_, str>> = Vec::with_capacity(tokens.len());
    let alnum = |t: &str| t.chars().next().is_some_and(char::is_alphanumeric);
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        let joinable = matches!(t.text.as_str(), "-" | "‐" | "‑")
            && i + 1 < tokens.len()
            && tokens[i + 1].start == t.end
            && alnum(&tokens[i + 1].text);
        if let (Some(prev), Some(prev_lower)) = (out.last_mut(), lower.last_mut())
            && joinable
            && prev.end == t.start
            && alnum(&tokens[prev.parts.0].text)
        {
            prev.end = tokens[i + 1].end;
            prev.parts.1 = i + 1;
            let l = prev_lower.to_mut();
            l.push('-');
            l.push_str(&tokens[i + 1].lower);
            i += 2;
            continue;
        }
        out.push(Tok {
            start: t.start,
            end: t.end,
            parts: (i, i),
        });
        lower.push(Cow::Borrowed(&t.lower));
        i += 1;
    }
    (out, lower)
}

/// Tokens that end a clause outright.
pub(crate) fn is_hard(t: &str) -> bool {
    matches!(
        t,
        ";" | ":" | "[" | "]" | "—" | "–" | "-" | "--" | "“" | "”" | "\"" | "«" | "»" | "„"
    )
}

/// Tokens a gap may not cross.
/// Verbs followed by a predicative "as" ("denounced as a crime", "described as"), which
/// opens no clause.
const AS_PREDICATIVE: &[&str] = &[
    "denounced",
    "denounces",
    "denounce",
    "condemned",
    "condemns",
    "condemn",
    "described",
    "describes",
    "describe",
    "branded",
    "brands",
    "labelled",
    "labeled",
    "dismissed",
    "dismisses",
    "hailed",
    "hails",
    "praised",
    "praises",
    "criticised",
    "criticized",
    "rejected",
    "rejects",
    "welcomed",
    "welcomes",
    "designated",
    "recognised",
    "recognized",
];

pub(crate) fn is_barrier(t: &str) -> bool {
    is_hard(t) || matches!(t, "," | "." | "!" | "?" | "(" | ")")
}

/// The coder's form of a token, from its lower-cased form: plain apostrophes, and "not"
/// for "n't" and "cannot".
fn norm(l: Cow<'_, str>) -> Word<'_> {
    let l = if l.contains(['’', '‘']) {
        Cow::Owned(l.replace(['’', '‘'], "'"))
    } else {
        l
    };
    if l.ends_with("n't") || l == "cannot" {
        Word(Cow::Borrowed("not"))
    } else {
        Word(l)
    }
}

fn span_of(toks: &[Tok], start: usize, end: usize) -> Option<Span> {
    let a = toks.iter().position(|t| t.end > start)?;
    let b = toks.iter().rposition(|t| t.start < end)?;
    (a <= b).then_some(Span {
        start: a,
        end: b + 1,
    })
}

fn match_from(pat: &[PatTok], toks: &[Word<'_>], pos: usize, acc: &mut Vec<usize>) -> bool {
    let Some(first) = pat.first() else {
        return true;
    };
    match first {
        PatTok::Words(ws) => {
            // a few inflections or alternatives: a scan comparing lengths first is quicker
            // than a binary search comparing bytes
            if pos < toks.len() && ws.iter().any(|w| toks[pos] == w.as_str()) {
                acc.push(pos);
                if match_from(&pat[1..], toks, pos + 1, acc) {
                    return true;
                }
                acc.pop();
            }
            false
        }
        PatTok::Gap => {
            // a gap of up to MAX_GAP tokens that crosses no punctuation, except a short
            // aside in parentheses, which counts as one token ("pressured workers of the
            // Bus Company (Vahed) to cancel …")
            let mut p = pos;
            let mut used = 0;
            loop {
                if match_from(&pat[1..], toks, p, acc) {
                    return true;
                }
                if used >= MAX_GAP || p >= toks.len() {
                    return false;
                }
                if toks[p] == "(" {
                    let close = (p + 1..(p + 8).min(toks.len())).find(|&k| toks[k] == ")");
                    match close {
                        Some(k) if !(p + 1..k).any(|j| is_barrier(&toks[j])) => p = k + 1,
                        _ => return false,
                    }
                } else if is_barrier(&toks[p]) {
                    return false;
                } else {
                    p += 1;
                }
                used += 1;
            }
        }
    }
}

/// All matches of the dictionary in `toks`, overlaps resolved: more literal words win,
/// then the shorter span, then the earlier start. Returned in text order.
pub(crate) fn find_matches(dict: &VerbDict, toks: &[Word<'_>]) -> Vec<Match> {
    let mut all = Vec::new();
    let mut acc = Vec::new(); // one buffer for all attempts; a match takes a copy
    for i in 0..toks.len() {
        let Some(list) = dict.by_first.get(toks[i].as_str()) else {
            continue;
        };
        for &e in list {
            acc.clear();
            if match_from(&dict.entries[e].pattern, toks, i, &mut acc) {
                all.push(Match {
                    entry: e,
                    toks: acc.clone(),
                });
            }
        }
    }
    all.sort_by_key(|m| {
        (
            std::cmp::Reverse(dict.entries[m.entry].literals),
            m.last() - m.first(),
            m.first(),
            dict.entries[m.entry].line,
        )
    });
    let mut used = vec![false; toks.len()];
    let mut out: Vec<Match> = Vec::new();
    for m in all {
        if m.toks.iter().any(|&t| used[t]) {
            continue;
        }
        for &t in &m.toks {
            used[t] = true;
        }
        out.push(m);
    }
    out.sort_by_key(|m| m.first());
    out
}

impl<'a> Sent<'a> {
    pub(crate) fn new(s: &'a AnnotatedSentence, dict: &VerbDict, cues: &Cues) -> Sent<'a> {
        let (tk, lower) = join_hyphens(&s.tokens);
        let toks: Vec<Word<'a>> = lower.into_iter().map(norm).collect();
        let (cue, cue_end) = toks.iter().map(|t| cues.word_and_end_bits(t)).unzip();
        let actors = s
            .actors
            .iter()
            .map(|a| span_of(&tk, a.start, a.end))
            .collect();
        let places = s
            .places
            .iter()
            .map(|p| span_of(&tk, p.start, p.end))
            .collect();
        let dates = s
            .dates
            .iter()
            .map(|d| span_of(&tk, d.start, d.end))
            .collect();
        let mut me = Sent {
            s,
            tk,
            matches: find_matches(dict, &toks),
            toks,
            cue,
            cue_end,
            actors,
            places,
            dates,
            clause: Vec::new(),
            clauses: Vec::new(),
            frame: Vec::new(),
            speaker: Vec::new(),
        };
        // a trigger word inside a date ("last March") or a name ("Human Rights Watch") is none
        let inside = |spans: &[Option<Span>], t: usize| {
            spans.iter().flatten().any(|sp| t >= sp.start && t < sp.end)
        };
        let named: Vec<Option<Span>> = me
            .actors
            .iter()
            .zip(&s.actors)
            .map(|(sp, a)| {
                sp.filter(|_| {
                    matches!(
                        a.kind,
                        outpost_core::ActorKind::Organisation | outpost_core::ActorKind::Person
                    )
                })
            })
            .collect();
        me.matches.retain(|m| {
            !m.toks
                .iter()
                .any(|&t| inside(&me.dates, t) || inside(&named, t))
        });
        me.find_frames(cues);
        me.matches.retain(|m| !me.frame[m.first()]);
        me.segment(dict, cues);
        // speakers: actors in reporting frames, and media credited in parentheses
        // ("NIAMEY (Reuters) -")
        me.speaker = me
            .actors
            .iter()
            .zip(&s.actors)
            .map(|(a, m)| {
                a.is_some_and(|a| {
                    let framed = (a.start..a.end).any(|t| me.frame[t]);
                    let media = matches!(m.sector.as_deref(), Some("MED" | "JRN"));
                    let paren = a.start > 0
                        && me.toks[a.start - 1] == "("
                        && me.toks.get(a.end).is_some_and(|t| t == ")");
                    framed || (media && paren)
                })
            })
            .collect();
        me
    }

    /// Index of the actor whose span ends exactly at token `end` (exclusive).
    pub(crate) fn actor_ending(&self, end: usize) -> Option<usize> {
        self.actors
            .iter()
            .position(|a| a.is_some_and(|a| a.end == end))
    }

    /// Index of the actor whose span starts at token `start`.
    pub(crate) fn actor_starting(&self, start: usize) -> Option<usize> {
        self.actors
            .iter()
            .position(|a| a.is_some_and(|a| a.start == start))
    }

    fn find_frames(&mut self, cues: &Cues) {
        let n = self.toks.len();
        let mut frame = vec![false; n];
        let boundary = |t: &str| is_hard(t) || t == ",";
        let reporting = cues.mask("reporting");
        let pre = cues.cat("reporting-pre");
        let mut i = 0;
        while i < n {
            if let Some(e) = pre.and_then(|id| cues.phrase_starting_id(id, &self.toks, i)) {
                // "according to Y" up to the next comma or clause end
                let mut j = e;
                while j < n && !boundary(&self.toks[j]) && self.toks[j] != "." {
                    j += 1;
                }
                for f in frame.iter_mut().take(j).skip(i) {
                    *f = true;
                }
                i = j;
                continue;
            }
            let in_name = || {
                self.actors
                    .iter()
                    .chain(self.places.iter())
                    .flatten()
                    .any(|a| i >= a.start && i < a.end)
            };
            if self.cue[i] & reporting != 0 && !self.inside_match(i) && !in_name() {
                // start: back to the previous boundary, at most 10 tokens
                let mut s = i;
                while s > 0 && !boundary(&self.toks[s - 1]) && i - s < 10 {
                    s -= 1;
                }
                // don't cut an actor mention in half
                if let Some(a) = self
                    .actors
                    .iter()
                    .flatten()
                    .find(|a| a.start < s && a.end > s)
                {
                    s = a.start;
                }
                let mut e = i + 1;
                let addressee = matches!(
                    self.toks[i].as_str(),
                    "quoted"
                        | "quoting"
                        | "cited"
                        | "citing"
                        | "told"
                        | "tells"
                        | "tell"
                        | "quotes"
                );
                if addressee {
                    let mut j = e;
                    while j < n && !boundary(&self.toks[j]) && j - e < 10 {
                        if self.toks[j] == "saying" || self.toks[j] == "that" {
                            e = j + 1;
                            break;
                        }
                        if self.toks[j] == "as"
                            && self.toks.get(j + 1).is_some_and(|t| t == "saying")
                        {
                            e = j + 2;
                            break;
                        }
                        j += 1;
                    }
                    if e == i + 1 {
                        // "X told Y." — addressee up to the boundary
                        let mut j = e;
                        while j < n && !boundary(&self.toks[j]) && self.toks[j] != "." {
                            j += 1;
                        }
                        if j == n || self.toks[j] == "." || self.toks[j] == "," {
                            e = j;
                        }
                    }
                } else if self.toks.get(e).is_some_and(|t| t == "that") {
                    e += 1;
                } else {
                    // post-posed frame (", the ministry said on Monday.") runs to the boundary
                    // when nothing event-like follows
                    let mut j = e;
                    while j < n && !boundary(&self.toks[j]) && self.toks[j] != "." {
                        j += 1;
                    }
                    let after_boundary = s == 0 || boundary(&self.toks[s - 1]);
                    let has_trigger = self.matches.iter().any(|m| m.first() >= e && m.first() < j);
                    if after_boundary && s > 0 && !has_trigger {
                        e = j;
                    }
                }
                for f in frame.iter_mut().take(e).skip(s) {
                    *f = true;
                }
                i = e;
                continue;
            }
            i += 1;
        }
        self.frame = frame;
    }

    fn inside_match(&self, t: usize) -> bool {
        self.matches.iter().any(|m| m.toks.contains(&t))
    }

    fn segment(&mut self, dict: &VerbDict, cues: &Cues) {
        let n = self.toks.len();
        let mut clause = vec![0usize; n];
        let mut clauses: Vec<(Span, ClauseKind)> = Vec::new();
        let mut cur_start = 0;
        let mut cur_kind = if self.frame.first().copied().unwrap_or(false) {
            ClauseKind::Frame
        } else if self
            .toks
            .first()
            .is_some_and(|t| t == "if" || t == "unless")
        {
            ClauseKind::Conditional
        } else {
            ClauseKind::Plain
        };
        let mut verb_seen = false;
        let relative = cues.mask("relative");
        let object_relative = cues.mask("object-relative");
        let subordinator = cues.mask("subordinator");
        let coordinator = cues.mask("coordinator");
        // Some(antecedent) while inside a relative clause opened after a comma
        let mut nonrestrictive: Option<Option<usize>> = None;
        #[allow(clippy::needless_range_loop)] // i indexes tokens, frame and clause alike
        for i in 0..n {
            let t = self.toks[i].as_str();
            let mut new: Option<ClauseKind> = None;
            if i > 0 {
                let prev = self.toks[i - 1].as_str();
                if self.frame[i] != self.frame[i - 1] {
                    new = Some(if self.frame[i] {
                        ClauseKind::Frame
                    } else {
                        ClauseKind::Plain
                    });
                } else if self.frame[i] {
                    // inside a frame: no further splitting
                } else if is_hard(t) || (is_hard(prev) && cur_start < i - 1) {
                    new = Some(ClauseKind::Plain);
                } else if self.cue[i] & (relative | object_relative) != 0 {
                    let ante = self
                        .actor_ending(i)
                        .or_else(|| (prev == ",").then(|| self.actor_ending(i - 1)).flatten());
                    // "that" is a relative pronoun only right after an actor
                    if t != "that" || ante.is_some() {
                        new = Some(ClauseKind::Relative {
                            antecedent: ante,
                            object: self.cue[i] & object_relative != 0,
                        });
                    }
                } else if self.cue[i] & subordinator != 0 {
                    let next = self.toks.get(i + 1).map(Word::as_str).unwrap_or("");
                    let next_cue = self.cue.get(i + 1).copied().unwrap_or(0);
                    let ok = if t == "as" {
                        !matches!(prev, "such" | "so" | "well" | "same")
                            // "denounced as an ugly crime X's …": a predicative "as"
                            && !AS_PREDICATIVE.contains(&prev)
                            && next != "well"
                            && (cues.has("determiner", next_cue)
                                || cues.has("pronoun", next_cue)
                                || self.actor_starting(i + 1).is_some())
                    } else if t == "once" {
                        // "once again", "once more" are adverbs, not "once X happened"
                        !matches!(next, "again" | "more")
                    } else {
                        true
                    };
                    if ok {
                        new = Some(if matches!(t, "if" | "unless") {
                            ClauseKind::Conditional
                        } else {
                            ClauseKind::Plain
                        });
                    }
                } else if self.cue[i] & coordinator != 0 && prev == "," && verb_seen {
                    new = Some(ClauseKind::Plain);
                } else if t == "," && nonrestrictive.is_some() {
                    new = Some(ClauseKind::Resumed {
                        antecedent: nonrestrictive.flatten(),
                    });
                }
            }
            if let Some(k) = new {
                nonrestrictive = match k {
                    ClauseKind::Relative { antecedent, .. } if i > 0 && self.toks[i - 1] == "," => {
                        Some(antecedent)
                    }
                    _ => None,
                };
                clauses.push((
                    Span {
                        start: cur_start,
                        end: i,
                    },
                    cur_kind,
                ));
                cur_start = i;
                cur_kind = k;
                verb_seen = false;
            }
            if self
                .matches
                .iter()
                .any(|m| m.first() == i && dict.entries[m.entry].pos == Pos::Verb)
            {
                verb_seen = true;
            }
            clause[i] = clauses.len();
        }
        clauses.push((
            Span {
                start: cur_start,
                end: n,
            },
            cur_kind,
        ));
        self.clause = clause;
        self.clauses = clauses;
    }

    /// The clause span and kind of token `t`.
    pub(crate) fn clause_of(&self, t: usize) -> (Span, ClauseKind) {
        self.clauses[self.clause[t]]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(text: &str, start: usize) -> outpost_core::Token {
        outpost_core::Token {
            start,
            end: start + text.len(),
            text: text.to_string(),
            lower: text.to_lowercase(),
        }
    }

    #[test]
    fn hyphen_parts_join_into_one_token_borrowing_the_rest() {
        // "a US‑led cease-fire" with a non-breaking hyphen in the first compound
        let tokens = vec![
            token("a", 0),
            token("US", 2),
            token("‑", 4),
            token("led", 7),
            token("Cease", 11),
            token("-", 16),
            token("Fire", 17),
        ];
        let (tk, lower) = join_hyphens(&tokens);
        let texts: Vec<String> = tk.iter().map(|t| t.text(&tokens)).collect();
        assert_eq!(texts, ["a", "US-led", "Cease-Fire"]);
        assert_eq!(lower, ["a", "us-led", "cease-fire"]);
        assert!(matches!(lower[0], Cow::Borrowed(_)));
        assert_eq!((tk[2].start, tk[2].end), (11, 21));
        assert_eq!(norm(Cow::Borrowed("don’t")), "not");
        assert_eq!(norm(Cow::Borrowed("it’s")), "it's");
    }
}
