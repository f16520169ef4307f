//! Loading the event dictionaries: trigger patterns (`dict/verbs.tsv`) and clause cue
//! words (`dict/event_cues.tsv`). Formats are documented in `dict/README.md`.

/// FNV-1a: the dictionaries are looked up for every token, and their keys are short
/// words, for which this is several times faster than the default SipHash.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type FastHash = std::hash::BuildHasherDefault<Fnv>;

/// A hash for the few cue category names, which are looked up on every cue question: it
/// mixes only the length and a few bytes (distinct for the built-in categories; a collision
/// only costs a comparison).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct CatHash(u64);

impl std::hash::Hasher for CatHash {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let n = bytes.len();
        let Some((&first, &last)) = bytes.first().zip(bytes.last()) else {
            return;
        };
        let v = n as u64
            | u64::from(first) << 8
            | u64::from(last) << 16
            | u64::from(bytes[n / 2]) << 24
            | u64::from(bytes[n / 3]) << 32
            | u64::from(bytes[2 * n / 3]) << 40;
        self.0 = (self.0.rotate_left(29) ^ v).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}
pub(crate) type HashMap<K, V> = std::collections::HashMap<K, V, FastHash>;

use crate::CodeError;
use crate::cameo::{CameoTable, PLOVER_TYPES};

/// Longest gap `*` may stand for, in tokens.
pub(crate) const MAX_GAP: usize = 7;

/// ACLED event types and sub-event types accepted in the `acled` column.
pub(crate) const ACLED_TYPES: [(&str, &str); 25] = [
    ("Battles", "Armed clash"),
    ("Battles", "Government regains territory"),
    ("Battles", "Non-state actor overtakes territory"),
    ("Violence against civilians", "Attack"),
    (
        "Violence against civilians",
        "Abduction/forced disappearance",
    ),
    ("Violence against civilians", "Sexual violence"),
    ("Explosions/Remote violence", "Air/drone strike"),
    (
        "Explosions/Remote violence",
        "Shelling/artillery/missile attack",
    ),
    (
        "Explosions/Remote violence",
        "Remote explosive/landmine/IED",
    ),
    ("Explosions/Remote violence", "Suicide bomb"),
    ("Explosions/Remote violence", "Grenade"),
    ("Explosions/Remote violence", "Chemical weapon"),
    ("Protests", "Peaceful protest"),
    ("Protests", "Protest with intervention"),
    ("Protests", "Excessive force against protesters"),
    ("Riots", "Violent demonstration"),
    ("Riots", "Mob violence"),
    ("Strategic developments", "Agreement"),
    ("Strategic developments", "Arrests"),
    ("Strategic developments", "Change to group/activity"),
    ("Strategic developments", "Disrupted weapons use"),
    ("Strategic developments", "Headquarters or base established"),
    ("Strategic developments", "Looting/property destruction"),
    (
        "Strategic developments",
        "Non-violent transfer of territory",
    ),
    ("Strategic developments", "Other"),
];

/// One element of a trigger pattern.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum PatTok {
    /// Any of these lower-case words.
    Words(Vec<String>),
    /// Skip 0..=MAX_GAP tokens.
    Gap,
}

/// Part of speech of the trigger: verbs get voice handling, nouns look for "by X" etc.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pos {
    Verb,
    Noun,
}

/// One trigger entry of `verbs.tsv`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct VerbEntry {
    /// The pattern as written (the override key for user dictionaries).
    pub(crate) key: String,
    pub(crate) pattern: Vec<PatTok>,
    /// Number of literal (non-gap) elements: longer patterns win.
    pub(crate) literals: usize,
    pub(crate) cameo: String,
    pub(crate) plover: String,
    pub(crate) mode: Option<String>,
    pub(crate) acled: Option<(String, String)>,
    pub(crate) pos: Pos,
    /// Reciprocal: a coordinated subject "X and Y" becomes source X, target Y.
    pub(crate) recip: bool,
    /// The subject is acted upon ("came under attack from X"): swap like a passive.
    pub(crate) passive: bool,
    /// Do not look for a target.
    pub(crate) notarget: bool,
    /// Always planned (promises, intentions).
    pub(crate) planned: bool,
    /// A false friend ("statement released"): matched so that it blocks shorter triggers,
    /// never coded.
    pub(crate) ignore: bool,
    /// Skip this trigger when another trigger follows closely in its clause.
    pub(crate) defer: bool,
    /// The source is the sentence's speaker, the target the subject ("X said Y must …").
    pub(crate) speaker: bool,
    /// Triggers closely following this one in its clause are its content, not events.
    pub(crate) absorb: bool,
    /// CAMEO code to use when the object is an actor (people), e.g. capture → abduct.
    pub(crate) person: Option<String>,
    /// Topic refinements: topic name → more specific CAMEO code.
    pub(crate) topics: Vec<(String, String)>,
    /// 1-based line in its file, for messages.
    pub(crate) line: usize,
}

/// All trigger entries, indexed by the words their first element can match.
#[derive(Debug, Clone, Default)]
pub(crate) struct VerbDict {
    pub(crate) entries: Vec<VerbEntry>,
    pub(crate) by_first: HashMap<String, Vec<usize>>,
}

/// Regular English inflections of a verb lemma: base, -s, -ed, -ing.
pub(crate) fn inflect(lemma: &str) -> Vec<String> {
    let mut v = vec![lemma.to_string()];
    let b = lemma.as_bytes();
    let n = b.len();
    let vowel = |c: u8| b"aeiou".contains(&c);
    let cons_y = n >= 2 && b[n - 1] == b'y' && !vowel(b[n - 2]);
    let stem_y = &lemma[..n.saturating_sub(1)];
    // -s
    if cons_y {
        v.push(format!("{stem_y}ies"));
    } else if lemma.ends_with('s')
        || lemma.ends_with('x')
        || lemma.ends_with('z')
        || lemma.ends_with("ch")
        || lemma.ends_with("sh")
    {
        v.push(format!("{lemma}es"));
    } else {
        v.push(format!("{lemma}s"));
    }
    // -ed
    if cons_y {
        v.push(format!("{stem_y}ied"));
    } else if lemma.ends_with('e') {
        v.push(format!("{lemma}d"));
    } else {
        v.push(format!("{lemma}ed"));
    }
    // -ing
    if lemma.ends_with("ee") || lemma.ends_with("ye") || !lemma.ends_with('e') || n <= 2 {
        v.push(format!("{lemma}ing"));
    } else {
        v.push(format!("{}ing", &lemma[..n - 1]));
    }
    // consonant-vowel-consonant endings may double the consonant ("expel" → "expelled",
    // "ban" → "banned"); whether they do depends on stress, so both forms are listed (the
    // wrong one never occurs in text)
    let cons = |c: u8| c.is_ascii_lowercase() && !vowel(c);
    if n >= 3 && cons(b[n - 1]) && !b"wxy".contains(&b[n - 1]) && vowel(b[n - 2]) && cons(b[n - 3])
    {
        let last = b[n - 1] as char;
        v.push(format!("{lemma}{last}ed"));
        v.push(format!("{lemma}{last}ing"));
    }
    v
}

fn parse_pattern(p: &str) -> Result<Vec<PatTok>, String> {
    let mut out = Vec::new();
    for part in p.split_whitespace() {
        if part == "*" || part == "…" || part == "..." {
            if matches!(out.last(), None | Some(PatTok::Gap)) {
                return Err("a gap `*` cannot start a pattern or follow another gap".into());
            }
            out.push(PatTok::Gap);
            continue;
        }
        let mut words = Vec::new();
        for alt in part.split('|') {
            let alt = alt.trim().to_lowercase().replace('’', "'");
            if alt.is_empty() {
                return Err(format!("empty alternative in {part:?}"));
            }
            if let Some(lemma) = alt.strip_suffix('+') {
                if lemma.is_empty() || lemma.contains('+') {
                    return Err(format!("bad lemma {alt:?}"));
                }
                words.extend(inflect(lemma));
            } else {
                if alt.contains('+') || alt.contains('*') {
                    return Err(format!("bad word {alt:?}"));
                }
                words.push(alt);
            }
        }
        words.sort();
        words.dedup();
        out.push(PatTok::Words(words));
    }
    match out.last() {
        None => Err("empty pattern".into()),
        Some(PatTok::Gap) => Err("a pattern cannot end with a gap `*`".into()),
        _ => Ok(out),
    }
}

impl VerbDict {
    /// Parses a verbs file. Entries whose pattern repeats an earlier one replace it; an
    /// entry with cameo `none` removes it.
    pub(crate) fn parse_into(
        &mut self,
        text: &str,
        file: &str,
        cameo: &CameoTable,
    ) -> Result<(), CodeError> {
        let err = |line: usize, message: String| CodeError::Parse {
            file: file.to_string(),
            line,
            message,
        };
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            let l = raw.trim_end_matches('\r');
            if l.trim().is_empty() || l.trim_start().starts_with('#') {
                continue;
            }
            let cols: Vec<&str> = l.split('\t').map(str::trim).collect();
            if cols.len() < 3 {
                return Err(err(
                    line,
                    format!(
                        "expected pattern, cameo, plover[, mode, acled, options] separated by tabs; found {} column(s)",
                        cols.len()
                    ),
                ));
            }
            let key = cols[0]
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase();
            let pattern = parse_pattern(cols[0]).map_err(|m| err(line, m))?;
            if cols[1].eq_ignore_ascii_case("none") {
                self.entries.retain(|e| e.key != key);
                continue;
            }
            let ignore = cols[1].eq_ignore_ascii_case("ignore");
            let code = if ignore {
                "010".to_string()
            } else {
                cols[1].to_string()
            };
            let Some(cc) = cameo.get(&code) else {
                return Err(err(line, format!("unknown CAMEO code {code:?}")));
            };
            let plover = if ignore {
                "AGREE".to_string()
            } else if cols[2] == "-" || cols[2].is_empty() {
                cc.plover.clone()
            } else {
                cols[2].to_uppercase()
            };
            if !PLOVER_TYPES.contains(&plover.as_str()) {
                return Err(err(
                    line,
                    format!("unknown PLOVER type {plover:?} (CAMEO {code} has no single default)"),
                ));
            }
            let mode = match cols.get(3).copied().unwrap_or("-") {
                "" | "-" => {
                    if cc.plover == plover {
                        cc.mode.clone()
                    } else {
                        None
                    }
                }
                "none" => None,
                m => Some(m.to_string()),
            };
            let acled = match cols.get(4).copied().unwrap_or("-") {
                "" | "-" => None,
                a => {
                    let Some((t, s)) = a.split_once(':') else {
                        return Err(err(
                            line,
                            format!("ACLED column must be `Event type: Sub-event type`, got {a:?}"),
                        ));
                    };
                    let (t, s) = (t.trim(), s.trim());
                    if !ACLED_TYPES.contains(&(t, s)) {
                        return Err(err(line, format!("unknown ACLED type {t:?}: {s:?}")));
                    }
                    Some((t.to_string(), s.to_string()))
                }
            };
            let mut e = VerbEntry {
                key: key.clone(),
                literals: pattern
                    .iter()
                    .filter(|p| matches!(p, PatTok::Words(_)))
                    .count(),
                pattern,
                cameo: code,
                plover,
                mode,
                acled,
                pos: Pos::Verb,
                recip: false,
                passive: false,
                notarget: false,
                planned: false,
                ignore,
                defer: false,
                speaker: false,
                absorb: false,
                person: None,
                topics: Vec::new(),
                line,
            };
            for opt in cols
                .get(5)
                .copied()
                .unwrap_or("")
                .split(',')
                .map(str::trim)
                .filter(|o| !o.is_empty() && *o != "-")
            {
                match opt {
                    "v" => e.pos = Pos::Verb,
                    "n" => e.pos = Pos::Noun,
                    "recip" => e.recip = true,
                    "passive" => e.passive = true,
                    "notarget" => e.notarget = true,
                    "planned" => e.planned = true,
                    "defer" => e.defer = true,
                    "speaker" => e.speaker = true,
                    "absorb" => e.absorb = true,
                    o if o.starts_with("person=") => {
                        let c = &o["person=".len()..];
                        if cameo.get(c).is_none() {
                            return Err(err(line, format!("unknown CAMEO code {c:?} in {o:?}")));
                        }
                        e.person = Some(c.to_string());
                    }
                    o => {
                        let Some((topic, c)) = o.split_once('=') else {
                            return Err(err(line, format!("unknown option {o:?}")));
                        };
                        if !TOPICS.contains(&topic) {
                            return Err(err(line, format!("unknown topic {topic:?} in {o:?}")));
                        }
                        if cameo.get(c).is_none() {
                            return Err(err(line, format!("unknown CAMEO code {c:?} in {o:?}")));
                        }
                        e.topics.push((topic.to_string(), c.to_string()));
                    }
                }
            }
            if let Some(pos) = self.entries.iter().position(|x| x.key == key) {
                self.entries[pos] = e;
            } else {
                self.entries.push(e);
            }
        }
        self.reindex();
        Ok(())
    }

    fn reindex(&mut self) {
        self.by_first.clear();
        for (i, e) in self.entries.iter().enumerate() {
            if let Some(PatTok::Words(ws)) = e.pattern.first() {
                for w in ws {
                    self.by_first.entry(w.clone()).or_default().push(i);
                }
            }
        }
    }
}

/// Topic names usable in `verbs.tsv` options (`mil=0332`) and as `topic-…` cue categories.
pub(crate) const TOPICS: [&str; 5] = ["mil", "econ", "hum", "jud", "intel"];

/// Cue categories of `event_cues.tsv`.
pub(crate) const CUE_CATEGORIES: [&str; 37] = [
    "negation",
    "modal",
    "decision",
    "negation-verb",
    "planned",
    "conditional",
    "hypothetical",
    "claim",
    "reporting",
    "reporting-pre",
    "be",
    "adverb",
    "locative",
    "preposition",
    "subordinator",
    "relative",
    "object-relative",
    "determiner",
    "quantity",
    "anaphor",
    "pronoun",
    "coordinator",
    "topic",
    "civilian",
    "disaster",
    "planned-verb",
    "refusal",
    "means",
    "protest",
    "crime",
    "handover",
    "clash",
    "territory",
    "message",
    "grievance",
    "protest-object",
    "uncontested",
];

/// Sub-categories of `means:NAME` cues (the weapon used, for ACLED sub-event types).
pub(crate) const MEANS: [&str; 7] = [
    "suicide", "chemical", "grenade", "ied", "drone", "air", "shelling",
];

/// Sub-categories of `protest:NAME` cues (what happened at a protest).
pub(crate) const PROTEST_HOW: [&str; 4] = ["force", "violent", "intervention", "crowd"];

/// Cue phrases by category; each phrase is a sequence of lower-case tokens.
///
/// Categories are numbered in the order they are first seen; phrases are indexed by their
/// first and by their last token, and one-word cues by word (a bit set of categories), since
/// the coder asks these questions for many tokens of every sentence.
#[derive(Debug, Clone, Default)]
pub(crate) struct Cues {
    /// category name → category number (index into the vectors below)
    cat_ids: std::collections::HashMap<String, usize, std::hash::BuildHasherDefault<CatHash>>,
    /// per category: its phrases
    phrases: Vec<Vec<Vec<String>>>,
    /// per category: first token of a phrase → indices into its phrases
    first: Vec<HashMap<String, Vec<usize>>>,
    /// per category: last token of a phrase → indices into its phrases
    last: Vec<HashMap<String, Vec<usize>>>,
    /// word → the categories (bit = category number) it is a one-word cue of, and those
    /// some phrase of which it ends
    words: HashMap<String, WordCues>,
    /// topic word → topic name
    pub(crate) topic_words: HashMap<String, String>,
}

/// What one word is in the cue lists (bit sets of category numbers).
#[derive(Debug, Clone, Copy, Default)]
struct WordCues {
    /// Categories the word is a one-word cue of.
    one_word: u64,
    /// Categories with a phrase ending in the word.
    phrase_end: u64,
    /// Categories with a phrase starting with the word.
    phrase_start: u64,
}

/// `toks[i..i + p.len()]` is the phrase `p`.
fn phrase_at<T: AsRef<str>>(toks: &[T], i: usize, p: &[String]) -> bool {
    i + p.len() <= toks.len()
        && toks[i..i + p.len()]
            .iter()
            .zip(p)
            .all(|(a, b)| a.as_ref() == b.as_str())
}

impl Cues {
    pub(crate) fn parse(text: &str, file: &str) -> Result<Cues, CodeError> {
        let mut c = Cues::default();
        c.parse_into(text, file)?;
        Ok(c)
    }

    /// The number of category `cat`, if it has cues.
    pub(crate) fn cat(&self, cat: &str) -> Option<usize> {
        self.cat_ids.get(cat).copied()
    }

    /// Adds the cues of `text` (same format) to these.
    pub(crate) fn parse_into(&mut self, text: &str, file: &str) -> Result<(), CodeError> {
        let c = self;
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            let l = raw.trim_end_matches('\r');
            if l.trim().is_empty() || l.trim_start().starts_with('#') {
                continue;
            }
            let Some((cat, phrase)) = l.split_once('\t') else {
                return Err(CodeError::Parse {
                    file: file.into(),
                    line,
                    message: "expected `category<TAB>phrase`".into(),
                });
            };
            let cat = cat.trim();
            let (base, topic) = match cat.split_once(':') {
                Some((b, t)) => (b, Some(t)),
                None => (cat, None),
            };
            if !CUE_CATEGORIES.contains(&base) {
                return Err(CodeError::Parse {
                    file: file.into(),
                    line,
                    message: format!("unknown cue category {cat:?}"),
                });
            }
            let toks: Vec<String> = phrase
                .split_whitespace()
                .map(|t| t.to_lowercase().replace('’', "'"))
                .collect();
            if toks.is_empty() {
                return Err(CodeError::Parse {
                    file: file.into(),
                    line,
                    message: "empty cue phrase".into(),
                });
            }
            if base == "topic" {
                let Some(t) = topic.filter(|t| TOPICS.contains(t)) else {
                    return Err(CodeError::Parse {
                        file: file.into(),
                        line,
                        message: format!(
                            "topic cues need `topic:NAME` with NAME one of {TOPICS:?}"
                        ),
                    });
                };
                for w in toks {
                    c.topic_words.insert(w, t.to_string());
                }
                continue;
            }
            let base = match (base, topic) {
                ("means", Some(t)) if MEANS.contains(&t) => cat,
                ("protest", Some(t)) if PROTEST_HOW.contains(&t) => cat,
                ("means" | "protest", _) => {
                    return Err(CodeError::Parse {
                        file: file.into(),
                        line,
                        message: format!(
                            "`{base}` cues need `{base}:NAME` with NAME one of {:?}",
                            if base == "means" {
                                &MEANS[..]
                            } else {
                                &PROTEST_HOW[..]
                            }
                        ),
                    });
                }
                (b, _) => b,
            };
            let id = match c.cat_ids.get(base) {
                Some(&id) => id,
                None => {
                    let id = c.phrases.len();
                    if id >= 64 {
                        return Err(CodeError::Parse {
                            file: file.into(),
                            line,
                            message: "more than 64 cue categories".into(),
                        });
                    }
                    c.cat_ids.insert(base.to_string(), id);
                    c.phrases.push(Vec::new());
                    c.first.push(HashMap::default());
                    c.last.push(HashMap::default());
                    id
                }
            };
            if toks.len() == 1 {
                c.words.entry(toks[0].clone()).or_default().one_word |= 1u64 << id;
            }
            if let Some(l) = toks.last() {
                c.words.entry(l.clone()).or_default().phrase_end |= 1u64 << id;
            }
            c.words.entry(toks[0].clone()).or_default().phrase_start |= 1u64 << id;
            let k = c.phrases[id].len();
            c.first[id].entry(toks[0].clone()).or_default().push(k);
            if let Some(l) = toks.last() {
                c.last[id].entry(l.clone()).or_default().push(k);
            }
            c.phrases[id].push(toks);
        }
        Ok(())
    }

    /// Does any cue phrase of `cat` occur in `toks`?
    pub(crate) fn occurs<T: AsRef<str>>(&self, cat: &str, toks: &[T]) -> bool {
        self.occurs_where(cat, toks, |_| true)
    }

    /// Does a cue phrase of `cat` occur in `toks` at a start position `i` for which `ok(i)`
    /// holds?
    pub(crate) fn occurs_where<T: AsRef<str>>(
        &self,
        cat: &str,
        toks: &[T],
        mut ok: impl FnMut(usize) -> bool,
    ) -> bool {
        let Some(id) = self.cat(cat) else {
            return false;
        };
        let (ps, first) = (&self.phrases[id], &self.first[id]);
        toks.iter().enumerate().any(|(i, t)| {
            first
                .get(t.as_ref())
                .is_some_and(|ks| ks.iter().any(|&k| phrase_at(toks, i, &ps[k])))
                && ok(i)
        })
    }

    /// [`Cues::occurs`] for each of `cats` at once: one look-up per token finds the
    /// categories with a phrase starting there.
    pub(crate) fn occurs_each<T: AsRef<str>, const N: usize>(
        &self,
        cats: &[&str; N],
        toks: &[T],
    ) -> [bool; N] {
        let ids = cats.map(|c| self.cat(c));
        let mut found = [false; N];
        for (i, t) in toks.iter().enumerate() {
            let starts = self.words.get(t.as_ref()).map_or(0, |w| w.phrase_start);
            if starts == 0 {
                continue;
            }
            for (f, id) in found.iter_mut().zip(ids) {
                let Some(id) = id.filter(|&id| !*f && starts >> id & 1 == 1) else {
                    continue;
                };
                let ps = &self.phrases[id];
                *f = self.first[id]
                    .get(t.as_ref())
                    .is_some_and(|ks| ks.iter().any(|&k| phrase_at(toks, i, &ps[k])));
            }
        }
        found
    }

    /// Does a cue phrase of `cat` of at least `min_len` tokens lie wholly within
    /// `toks[from..to]`?
    pub(crate) fn phrase_within(
        &self,
        cat: &str,
        toks: &[impl AsRef<str>],
        from: usize,
        to: usize,
        min_len: usize,
    ) -> bool {
        let Some(id) = self.cat(cat) else {
            return false;
        };
        let (ps, first) = (&self.phrases[id], &self.first[id]);
        let to = to.min(toks.len());
        (from..to).any(|j| {
            first.get(toks[j].as_ref()).is_some_and(|ks| {
                ks.iter().any(|&k| {
                    let p = &ps[k];
                    p.len() >= min_len && j + p.len() <= to && phrase_at(toks, j, p)
                })
            })
        })
    }

    /// The categories `w` is a one-word cue of, as a bit set for [`Cues::has`], and those
    /// with a phrase ending in `w` (for [`Cues::phrase_ending_after`]).
    pub(crate) fn word_and_end_bits(&self, w: &str) -> (u64, u64) {
        self.words
            .get(w)
            .map_or((0, 0), |m| (m.one_word, m.phrase_end))
    }

    /// Does the bit set `bits` (from [`Cues::word_and_end_bits`]) hold category `cat`?
    pub(crate) fn has(&self, cat: &str, bits: u64) -> bool {
        bits != 0 && self.cat(cat).is_some_and(|id| bits >> id & 1 == 1)
    }

    /// The bit of category `cat` in one-word cue sets ([`Cues::word_and_end_bits`]) (0 when it has no cues), for
    /// loops that ask about one category many times: `bits & mask != 0` is
    /// `has(cat, bits)`.
    pub(crate) fn mask(&self, cat: &str) -> u64 {
        self.cat(cat).map_or(0, |id| 1u64 << id)
    }

    /// Does a cue phrase of `cat` end at some `end` in `from + 1..=to` with its start at
    /// `from` or later (as [`Cues::phrase_ending`] tells it for each `end`)? `end_bits`:
    /// per token, the categories with a phrase ending in it ([`Cues::word_and_end_bits`]).
    pub(crate) fn phrase_ending_after(
        &self,
        cat: &str,
        toks: &[impl AsRef<str>],
        end_bits: &[u64],
        from: usize,
        to: usize,
    ) -> bool {
        let Some(id) = self.cat(cat) else {
            return false;
        };
        (from + 1..=to).any(|end| {
            end_bits.get(end - 1).is_some_and(|b| b >> id & 1 == 1)
                && self
                    .phrase_ending_id(id, toks, end)
                    .is_some_and(|s| s >= from)
        })
    }

    /// Is `w` a one-word cue of `cat`?
    pub(crate) fn is(&self, cat: &str, w: &str) -> bool {
        let Some(id) = self.cat(cat) else {
            return false;
        };
        self.words.get(w).is_some_and(|m| m.one_word >> id & 1 == 1)
    }

    /// Does a cue phrase of `cat` end exactly at token `end` (exclusive)? Returns its start.
    pub(crate) fn phrase_ending(
        &self,
        cat: &str,
        toks: &[impl AsRef<str>],
        end: usize,
    ) -> Option<usize> {
        self.phrase_ending_id(self.cat(cat)?, toks, end)
    }

    /// [`Cues::phrase_ending`] for category number `id`.
    fn phrase_ending_id(&self, id: usize, toks: &[impl AsRef<str>], end: usize) -> Option<usize> {
        let last = toks.get(end.checked_sub(1)?)?;
        let ps = &self.phrases[id];
        self.last[id]
            .get(last.as_ref())?
            .iter()
            .map(|&k| &ps[k])
            .filter(|p| p.len() <= end && phrase_at(toks, end - p.len(), p))
            .map(|p| end - p.len())
            .min()
    }

    /// Does a cue phrase of category number `id` (from [`Cues::cat`]) start exactly at
    /// token `start`? Returns its end (the longest phrase's).
    pub(crate) fn phrase_starting_id(
        &self,
        id: usize,
        toks: &[impl AsRef<str>],
        start: usize,
    ) -> Option<usize> {
        let first = toks.get(start)?;
        let ps = &self.phrases[id];
        self.first[id]
            .get(first.as_ref())?
            .iter()
            .map(|&k| &ps[k])
            .filter(|p| phrase_at(toks, start, p))
            .map(|p| start + p.len())
            .max()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> CameoTable {
        CameoTable::parse(crate::BUILTIN_CAMEO, "cameo.tsv").unwrap()
    }

    #[test]
    fn inflections_follow_regular_rules() {
        assert_eq!(inflect("seize"), ["seize", "seizes", "seized", "seizing"]);
        assert_eq!(
            inflect("deploy"),
            ["deploy", "deploys", "deployed", "deploying"]
        );
        assert_eq!(inflect("deny"), ["deny", "denies", "denied", "denying"]);
        assert_eq!(
            inflect("approach"),
            ["approach", "approaches", "approached", "approaching"]
        );
        assert_eq!(inflect("agree"), ["agree", "agrees", "agreed", "agreeing"]);
        assert!(inflect("expel").contains(&"expelled".to_string()));
        assert!(inflect("ban").contains(&"banning".to_string()));
        assert!(inflect("visit").contains(&"visited".to_string()));
    }

    #[test]
    fn builtin_verbs_load_and_index() {
        let mut d = VerbDict::default();
        d.parse_into(crate::BUILTIN_VERBS, "verbs.tsv", &table())
            .unwrap();
        assert!(d.entries.len() > 200);
        for t in PLOVER_TYPES {
            assert!(d.entries.iter().any(|e| e.plover == t), "no entry for {t}");
        }
        assert!(d.by_first.contains_key("seized"));
    }

    #[test]
    fn verb_errors_are_line_numbered() {
        let t = table();
        let cases = [
            ("talks\t040\tCONSULT\n\nattack+\t999\tASSAULT\n", 3),
            ("# c\nattack+\t190\n", 2),
            ("attack+\t190\tFIGHTING\n", 1),
            ("x\t190\tASSAULT\t-\tBattles: Dance-off\n", 1),
            ("x\t190\tASSAULT\t-\t-\tweird\n", 1),
            ("a\t190\tASSAULT\nx *\t190\tASSAULT\n", 2),
            ("x\t190\tASSAULT\t-\t-\tmil=9999\n", 1),
        ];
        for (text, want) in cases {
            let mut d = VerbDict::default();
            match d.parse_into(text, "user.tsv", &t) {
                Err(CodeError::Parse { line, .. }) => assert_eq!(line, want, "{text:?}"),
                other => panic!("expected error for {text:?}, got {other:?}"),
            }
        }
    }

    #[test]
    fn later_entries_override_and_none_removes() {
        let t = table();
        let mut d = VerbDict::default();
        d.parse_into("clash+\t190\tASSAULT\nraid+\t190\tASSAULT\n", "a", &t)
            .unwrap();
        d.parse_into("clash+\t193\tASSAULT\nraid+\tnone\t-\n", "b", &t)
            .unwrap();
        assert_eq!(d.entries.len(), 1);
        assert_eq!(d.entries[0].cameo, "193");
        assert!(d.by_first.contains_key("clashed"));
        assert!(!d.by_first.contains_key("raided"));
    }

    #[test]
    fn cues_parse_and_reject_unknown_categories() {
        let c = Cues::parse("planned\twill\nplanned\tplans to\ntopic:mil\ttroops\n", "c").unwrap();
        assert!(c.is("planned", "will"));
        let toks: Vec<String> = ["he", "plans", "to"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(c.phrase_ending("planned", &toks, 3), Some(1));
        assert_eq!(c.topic_words.get("troops").map(String::as_str), Some("mil"));
        assert!(matches!(
            Cues::parse("planned\twill\nmaybe\tperhaps\n", "c"),
            Err(CodeError::Parse { line: 2, .. })
        ));
        assert!(Cues::parse("topic:sport\tball\n", "c").is_err());
    }

    #[test]
    fn cue_phrases_are_found_where_they_start() {
        let mut c = Cues::parse("crime\tarmed robbery\ncrime\tarmed gang\n", "c").unwrap();
        let toks: Vec<String> = ["an", "armed", "gang", "struck", "armed"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert!(c.occurs("crime", &toks));
        assert!(c.occurs_where("crime", &toks, |i| i == 1));
        assert!(!c.occurs_where("crime", &toks, |i| i != 1));
        // a phrase may not run past the end
        assert!(!c.occurs("crime", &toks[3..]));
        assert!(!c.occurs("disaster", &toks));
        // phrases added later (a user file) are indexed too
        c.parse_into("disaster\tstruck\n", "u").unwrap();
        assert!(c.occurs_where("disaster", &toks, |i| i == 3));
    }

    #[test]
    fn cue_phrases_are_found_where_they_end() {
        let c = Cues::parse("crime\tarmed gang\nbe\twas\n", "c").unwrap();
        let toks = ["an", "armed", "gang", "was", "seen"];
        let (one, end): (Vec<u64>, Vec<u64>) = toks.iter().map(|t| c.word_and_end_bits(t)).unzip();
        assert!(c.has("be", one[3]) && !c.has("be", one[2]));
        assert_eq!(c.mask("be") & one[3], c.mask("be"));
        assert_eq!(c.mask("disaster"), 0);
        assert_eq!(c.phrase_ending("crime", &toks, 3), Some(1));
        // the phrase must end in `from + 1..=to` and start at `from` or later
        assert!(c.phrase_ending_after("crime", &toks, &end, 1, 4));
        assert!(c.phrase_ending_after("crime", &toks, &end, 0, 3));
        assert!(!c.phrase_ending_after("crime", &toks, &end, 2, 5));
        assert!(!c.phrase_ending_after("crime", &toks, &end, 0, 2));
        assert!(!c.phrase_ending_after("disaster", &toks, &end, 0, 5));
        // several categories in one pass, as one at a time
        let cats = ["crime", "be", "disaster", "no-such-category"];
        for t in [&toks[..], &toks[2..], &toks[..2]] {
            assert_eq!(c.occurs_each(&cats, t), cats.map(|k| c.occurs(k, t)));
        }
        assert_eq!(c.occurs_each(&cats, &toks), [true, true, false, false]);
    }
}
