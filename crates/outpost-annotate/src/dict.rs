//! Actor and role dictionaries: parsing, validation and the phrase matcher.
//!
//! Two line formats (documented in `dict/README.md`):
//! - `actors.tsv`: `code  country  sector  kind  name  phrases`
//! - `roles.tsv`:  `sectors  flags  phrases`
//!
//! Later entries override earlier ones phrase by phrase, which is how a user file
//! overrides the built-in data.

use std::collections::HashMap;

use aho_corasick::{
    AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, Anchored, Input, MatchKind, StartKind,
};
use outpost_core::ActorKind;

use crate::AnnotateError;

/// The kind column of `actors.tsv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EntryKind {
    Country,
    Demonym,
    People,
    Capital,
    Org,
    Person,
}

impl EntryKind {
    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "country" => EntryKind::Country,
            "demonym" => EntryKind::Demonym,
            "people" => EntryKind::People,
            "capital" => EntryKind::Capital,
            "org" => EntryKind::Org,
            "person" => EntryKind::Person,
            _ => return None,
        })
    }

    /// The mention kind an entry of this kind produces on its own.
    pub(crate) fn actor_kind(self) -> ActorKind {
        match self {
            EntryKind::Country => ActorKind::Country,
            EntryKind::Demonym | EntryKind::People => ActorKind::Demonym,
            EntryKind::Capital => ActorKind::Capital,
            EntryKind::Org => ActorKind::Organisation,
            EntryKind::Person => ActorKind::Person,
        }
    }
}

/// One row of `actors.tsv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ActorEntry {
    pub code: String,
    pub country: Option<String>,
    pub sector: Option<String>,
    pub kind: EntryKind,
    pub name: String,
}

/// One row of `roles.tsv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RoleEntry {
    /// Sectors, primary first; empty for counterpart roles.
    pub sectors: Vec<String>,
    /// May be followed by a person's name.
    pub title: bool,
    /// Takes the sectors of a preceding organisation or role.
    pub inherit: bool,
    /// Sectors come from the other party in the sentence.
    pub counterpart: bool,
    /// Only a role with a modifier or a following name ("Major Jan Ode", not "major drills").
    pub needs_name: bool,
    /// Also an adjective: alone before a noun it names no actor ("military base").
    pub adj: bool,
    /// Followers of the preceding person or body ("Trump supporters"): the phrase keeps
    /// only that modifier's country, with this role's sectors.
    pub follower: bool,
}

/// What a dictionary phrase points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    Actor(usize),
    Role(usize),
}

/// How a phrase must match the text's letter case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CaseRule {
    /// Any case ("troops", "TROOPS").
    Any,
    /// The first letter must be upper case ("Russia", "RUSSIA" but not "russia").
    Capitalised,
    /// Exactly as written (acronyms: "US", "UN", "WHO").
    Exact,
}

/// Whether `found` (the text matched case-insensitively) is written with a capital wherever
/// a word of the capitalised `phrase` starts with one: "Russia Today" (the broadcaster) is
/// not "visited Russia today"; "TURKEY" is still "Turkey".
fn capitalised_like(found: &str, phrase: &str) -> bool {
    let mut prev_letter = false;
    for (f, p) in found.chars().zip(phrase.chars()) {
        if !prev_letter && p.is_uppercase() && f.is_lowercase() {
            return false;
        }
        prev_letter = p.is_alphanumeric() || p == '\'' || p == '’';
    }
    found.chars().next().is_some_and(char::is_uppercase)
}

/// Whether the text `found` satisfies the case rule of `phrase`.
fn case_ok(rule: CaseRule, found: &str, phrase: &str) -> bool {
    match rule {
        CaseRule::Any => true,
        CaseRule::Exact => found == phrase,
        CaseRule::Capitalised => capitalised_like(found, phrase),
    }
}

fn case_rule(phrase: &str) -> CaseRule {
    let letters: Vec<char> = phrase.chars().filter(|c| c.is_alphabetic()).collect();
    let upper = letters.iter().filter(|c| c.is_uppercase()).count();
    if letters.len() >= 2 && upper == letters.len() && letters.len() <= 6 {
        CaseRule::Exact
    } else if letters.len() >= 2 && upper >= 2 && !phrase.contains(' ') {
        // Mixed-case single words such as "AlArabiya", "TOLOnews", "BelTA".
        CaseRule::Exact
    } else if phrase.chars().next().is_some_and(|c| c.is_uppercase()) {
        CaseRule::Capitalised
    } else {
        CaseRule::Any
    }
}

/// A dictionary match in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DictMatch {
    pub start: usize,
    pub end: usize,
    pub target: Target,
}

/// Parsed dictionaries plus the compiled matcher.
#[derive(Debug, Clone)]
pub(crate) struct Lexicon {
    pub actors: Vec<ActorEntry>,
    pub roles: Vec<RoleEntry>,
    /// lower-cased phrase → (target, spellings as written); a later entry listing the
    /// same phrase replaces the earlier meaning.
    phrases: HashMap<String, (Target, Vec<String>)>,
    /// Other meanings of an ambiguous phrase (listed with a trailing `?`), by the actor
    /// entry the matcher returns.
    alternates: HashMap<usize, Vec<usize>>,
    /// Pattern index → (target, case rule, phrase).
    patterns: Vec<(Target, CaseRule, String)>,
    /// Pattern index → the other patterns with the same text up to ASCII case (the
    /// case-insensitive matcher reports only one of them).
    same_text: Vec<Vec<usize>>,
    matcher: Option<AhoCorasick>,
}

/// Which file format a dictionary text is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Section {
    Actors,
    Roles,
}

fn dict_err(file: &str, line: usize, message: impl Into<String>) -> AnnotateError {
    AnnotateError::Dict {
        file: file.to_string(),
        line,
        message: message.into(),
    }
}

fn is_block_code(s: &str) -> bool {
    !s.is_empty()
        && s.len().is_multiple_of(3)
        && s.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-')
}

fn is_three(s: &str) -> bool {
    s.len() == 3
        && s.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

fn opt(s: &str) -> Option<&str> {
    if s == "-" || s.is_empty() {
        None
    } else {
        Some(s)
    }
}

fn split_phrases(file: &str, line: usize, s: &str) -> Result<Vec<String>, AnnotateError> {
    let mut out = Vec::new();
    for p in s.split('|') {
        let p = p.trim();
        if p.is_empty() {
            return Err(dict_err(file, line, "empty phrase in the phrases column"));
        }
        out.push(p.to_string());
    }
    Ok(out)
}

impl Lexicon {
    /// An empty lexicon.
    pub(crate) fn new() -> Self {
        Lexicon {
            actors: Vec::new(),
            roles: Vec::new(),
            phrases: HashMap::new(),
            alternates: HashMap::new(),
            patterns: Vec::new(),
            same_text: Vec::new(),
            matcher: None,
        }
    }

    /// Adds the entries of one dictionary text. `file` names it in errors. A line
    /// `[actors]` or `[roles]` switches the format for the lines after it.
    pub(crate) fn add_text(
        &mut self,
        file: &str,
        text: &str,
        mut section: Section,
    ) -> Result<(), AnnotateError> {
        for (i, raw) in text.lines().enumerate() {
            let line_no = i + 1;
            let line = raw.trim_end_matches('\r');
            let trimmed = line.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            match trimmed {
                "[actors]" => {
                    section = Section::Actors;
                    continue;
                }
                "[roles]" => {
                    section = Section::Roles;
                    continue;
                }
                _ => {}
            }
            let cols: Vec<&str> = line.split('\t').map(str::trim).collect();
            match section {
                Section::Actors => self.add_actor_line(file, line_no, &cols)?,
                Section::Roles => self.add_role_line(file, line_no, &cols)?,
            }
        }
        Ok(())
    }

    fn add_actor_line(
        &mut self,
        file: &str,
        line: usize,
        cols: &[&str],
    ) -> Result<(), AnnotateError> {
        if cols.len() != 6 {
            return Err(dict_err(
                file,
                line,
                format!(
                    "expected 6 TAB-separated columns (code country sector kind name phrases), found {}",
                    cols.len()
                ),
            ));
        }
        let code = cols[0];
        if !is_block_code(code) {
            return Err(dict_err(
                file,
                line,
                format!(
                    "bad code {code:?}: upper-case 3-letter blocks such as RUS, RUSGOV, IGOUNO"
                ),
            ));
        }
        let country = opt(cols[1]);
        if let Some(c) = country
            && !is_three(c)
        {
            return Err(dict_err(
                file,
                line,
                format!(
                    "bad country {c:?}: ISO 3166-1 alpha-3 or a pseudo-country such as IGO, or -"
                ),
            ));
        }
        let sector = opt(cols[2]);
        if let Some(s) = sector
            && !is_three(s)
        {
            return Err(dict_err(
                file,
                line,
                format!("bad sector {s:?}: a 3-letter code such as GOV, or -"),
            ));
        }
        let kind = EntryKind::parse(cols[3]).ok_or_else(|| {
            dict_err(
                file,
                line,
                format!(
                    "bad kind {:?}: one of country, demonym, people, capital, org, person",
                    cols[3]
                ),
            )
        })?;
        let name = cols[4];
        if name.is_empty() || name == "-" {
            return Err(dict_err(file, line, "empty name"));
        }
        let phrases = split_phrases(file, line, cols[5])?;
        let idx = self.actors.len();
        self.actors.push(ActorEntry {
            code: code.to_string(),
            country: country.map(str::to_string),
            sector: sector.map(str::to_string),
            kind,
            name: name.to_string(),
        });
        self.add_phrases(Target::Actor(idx), phrases);
        Ok(())
    }

    fn add_role_line(
        &mut self,
        file: &str,
        line: usize,
        cols: &[&str],
    ) -> Result<(), AnnotateError> {
        if cols.len() != 3 {
            return Err(dict_err(
                file,
                line,
                format!(
                    "expected 3 TAB-separated columns (sectors flags phrases), found {}",
                    cols.len()
                ),
            ));
        }
        let mut role = RoleEntry {
            sectors: Vec::new(),
            title: false,
            inherit: false,
            counterpart: false,
            needs_name: false,
            adj: false,
            follower: false,
        };
        if let Some(flags) = opt(cols[1]) {
            for f in flags.split(',').map(str::trim) {
                match f {
                    "title" => role.title = true,
                    "inherit" => role.inherit = true,
                    "counterpart" => role.counterpart = true,
                    "name" => role.needs_name = true,
                    "adj" => role.adj = true,
                    "follower" => role.follower = true,
                    other => {
                        return Err(dict_err(
                            file,
                            line,
                            format!(
                                "unknown flag {other:?}: title, name, adj, inherit, counterpart or follower"
                            ),
                        ));
                    }
                }
            }
        }
        if cols[0] == "*" {
            if !role.counterpart {
                return Err(dict_err(
                    file,
                    line,
                    "sectors \"*\" is only allowed with the counterpart flag",
                ));
            }
        } else {
            for s in cols[0].split_whitespace() {
                if !is_three(s) {
                    return Err(dict_err(
                        file,
                        line,
                        format!(
                            "bad sector {s:?}: 3-letter codes separated by spaces, e.g. \"GOV MIL\""
                        ),
                    ));
                }
                role.sectors.push(s.to_string());
            }
            if role.sectors.is_empty() {
                return Err(dict_err(file, line, "no sector given"));
            }
        }
        let phrases = split_phrases(file, line, cols[2])?;
        let idx = self.roles.len();
        self.roles.push(role);
        self.add_phrases(Target::Role(idx), phrases);
        Ok(())
    }

    /// The meaning of actor entry `a` (or of one of its alternates, when its phrase is
    /// ambiguous) whose country is among `context`; `a` itself when none is.
    pub(crate) fn pick(&self, a: usize, context: &[String]) -> usize {
        let Some(alts) = self.alternates.get(&a) else {
            return a;
        };
        std::iter::once(a)
            .chain(alts.iter().copied())
            .find(|&i| {
                self.actors
                    .get(i)
                    .and_then(|e| e.country.as_ref())
                    .is_some_and(|c| context.contains(c))
            })
            .unwrap_or(a)
    }

    fn add_phrases(&mut self, target: Target, phrases: Vec<String>) {
        for p in phrases {
            // "RSF?": an ambiguous phrase; this meaning joins the earlier ones
            let (p, ambiguous) = match p.strip_suffix('?') {
                Some(q) if !q.is_empty() => (q.trim().to_string(), true),
                _ => (p, false),
            };
            let key = p.to_lowercase();
            if ambiguous
                && let (Target::Actor(new), Some((Target::Actor(old), _))) =
                    (target, self.phrases.get(&key))
                && *old != new
            {
                let alts = self.alternates.entry(*old).or_default();
                if !alts.contains(&new) {
                    alts.push(new);
                }
                continue;
            }
            match self.phrases.get_mut(&key) {
                // Another spelling of the same entry ("Interpol|INTERPOL").
                Some((t, spellings)) if *t == target => {
                    if !spellings.contains(&p) {
                        spellings.push(p);
                    }
                }
                _ => {
                    self.phrases.insert(key, (target, vec![p]));
                }
            }
        }
    }

    /// Compiles the phrase matcher. Call after the last `add_text`.
    pub(crate) fn compile(&mut self) -> Result<(), AnnotateError> {
        let mut pats: Vec<(Target, CaseRule, String)> = self
            .phrases
            .values()
            .flat_map(|(t, ps)| ps.iter().map(|p| (*t, case_rule(p), p.clone())))
            .collect();
        pats.sort_by(|a, b| a.2.cmp(&b.2));
        let matcher = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .start_kind(StartKind::Anchored)
            // (a contiguous NFA: some 0.4 MB against 7 MB for a DFA of these phrases, which
            // is faster to build and, for short anchored searches, no slower to run)
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            .build(pats.iter().map(|p| p.2.as_str()))
            .map_err(|e| AnnotateError::Matcher(e.to_string()))?;
        let mut by_text: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, p) in pats.iter().enumerate() {
            by_text.entry(p.2.to_ascii_lowercase()).or_default().push(i);
        }
        self.same_text = pats
            .iter()
            .enumerate()
            .map(|(i, p)| {
                by_text
                    .get(&p.2.to_ascii_lowercase())
                    .map(|v| v.iter().copied().filter(|&j| j != i).collect())
                    .unwrap_or_default()
            })
            .collect();
        self.patterns = pats;
        self.matcher = Some(matcher);
        Ok(())
    }

    /// All dictionary matches in `text`, on word boundaries, respecting each phrase's
    /// case rule, leftmost-longest and not overlapping.
    pub(crate) fn find(&self, text: &str) -> Vec<DictMatch> {
        let Some(matcher) = &self.matcher else {
            return Vec::new();
        };
        // The longest phrase starting at each word start (an anchored search there); a
        // match that fails the boundary or case test leaves the next start to be tried, and
        // a match that passes skips the starts it covers. A phrase starts only at a word
        // boundary (the text's start or after a non-word character).
        let mut cands: Vec<DictMatch> = Vec::new();
        let mut pos = 0usize;
        let mut prev_word = false;
        for (s, c) in text.char_indices() {
            let after_word = prev_word;
            prev_word = is_word_char(c);
            if s < pos || after_word {
                continue;
            }
            let Some(m) = matcher.find(Input::new(text).range(s..).anchored(Anchored::Yes)) else {
                continue;
            };
            let e = m.end();
            let pid = m.pattern().as_usize();
            let ok = self.first_reading(pid, |rule, phrase| {
                boundary_after(text, e, phrase) && case_ok(rule, &text[s..e], phrase)
            });
            // a longer phrase failing its case test may hide a shorter one from the same
            // start: "visited Russia today" is not "Russia Today", but it is "Russia"; with
            // no shorter reading, a capital on the first word is enough ("Boko haram")
            let loose = if ok.is_none() {
                self.first_reading(pid, |rule, phrase| {
                    rule == CaseRule::Capitalised
                        && boundary_after(text, e, phrase)
                        && text[s..].starts_with(char::is_uppercase)
                })
            } else {
                None
            };
            let long_end = e;
            let mut ok = ok;
            let mut e = e;
            while ok.is_none() && e > s + 1 {
                let Some(m2) =
                    matcher.find(Input::new(text).range(s..e - 1).anchored(Anchored::Yes))
                else {
                    break;
                };
                e = m2.end();
                let pid = m2.pattern().as_usize();
                ok = self.first_reading(pid, |rule, phrase| {
                    boundary_after(text, e, phrase) && case_ok(rule, &text[s..e], phrase)
                });
            }
            if ok.is_none() && loose.is_some() {
                ok = loose;
                e = long_end;
            }
            if let Some((target, _, _)) = ok {
                cands.push(DictMatch {
                    start: s,
                    end: e,
                    target: *target,
                });
                pos = e;
            }
        }
        cands.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
        let mut out: Vec<DictMatch> = Vec::new();
        for c in cands {
            if out.last().is_some_and(|l| c.start < l.end) {
                continue;
            }
            out.push(c);
        }
        out
    }

    /// The first reading of matched pattern `pid` — it, then the other patterns with the
    /// same text — whose case rule and phrase pass `fits`.
    fn first_reading(
        &self,
        pid: usize,
        fits: impl Fn(CaseRule, &str) -> bool,
    ) -> Option<&(Target, CaseRule, String)> {
        let alts = self.same_text.get(pid).map(Vec::as_slice).unwrap_or(&[]);
        std::iter::once(pid)
            .chain(alts.iter().copied())
            .filter_map(|i| self.patterns.get(i))
            .find(|(_, rule, phrase)| fits(*rule, phrase))
    }

    /// Looks an exact phrase up (case-insensitively).
    #[cfg(test)]
    pub(crate) fn lookup(&self, phrase: &str) -> Option<Target> {
        self.phrases.get(&phrase.to_lowercase()).map(|p| p.0)
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

fn boundary_after(text: &str, e: usize, phrase: &str) -> bool {
    let next = text[e..].chars().next();
    match next {
        None => true,
        Some(c) if !is_word_char(c) => {
            // "U.S." must not stop inside "U.S.-led"? That is fine; but a phrase ending in
            // a letter must not be followed by ".X" of a longer acronym ("U.S" of "U.S.A").
            !(phrase.ends_with(|c: char| c.is_alphabetic())
                && c == '.'
                && text[e + 1..]
                    .chars()
                    .next()
                    .is_some_and(|d| d.is_alphabetic() && d.is_uppercase())
                && phrase.contains('.'))
        }
        Some(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lex(actors: &str, roles: &str) -> Result<Lexicon, AnnotateError> {
        let mut l = Lexicon::new();
        l.add_text("a.tsv", actors, Section::Actors)?;
        l.add_text("r.tsv", roles, Section::Roles)?;
        l.compile()?;
        Ok(l)
    }

    fn err_line(e: AnnotateError) -> (String, usize, String) {
        match e {
            AnnotateError::Dict {
                file,
                line,
                message,
            } => (file, line, message),
            other => panic!("unexpected error {other}"),
        }
    }

    #[test]
    fn builtin_dictionaries_parse() {
        let l = lex(crate::BUILTIN_ACTORS, crate::BUILTIN_ROLES).unwrap();
        assert!(l.actors.len() > 600, "{}", l.actors.len());
        assert!(matches!(l.lookup("tajik"), Some(Target::Actor(_))));
        assert!(matches!(l.lookup("servicemen"), Some(Target::Role(_))));
        // every ISO state is present as a country row
        let countries = l
            .actors
            .iter()
            .filter(|a| a.kind == EntryKind::Country)
            .count();
        assert!(countries >= 249, "{countries}");
    }

    #[test]
    fn matching_respects_case_rules_and_word_boundaries() {
        let l = lex(
            "USA\tUSA\t-\tcountry\tUnited States\tUnited States|US|U.S.\n\
             OMN\tOMN\t-\tcountry\tOman\tOman\n\
             TUR\tTUR\t-\tcountry\tTurkey\tTurkey\n",
            "MIL\t-\ttroops\n",
        )
        .unwrap();
        let t = "They told us the US and U.S. troops left Romania, not Oman; turkey was served.";
        let found: Vec<&str> = l.find(t).iter().map(|m| &t[m.start..m.end]).collect();
        assert_eq!(found, vec!["US", "U.S.", "troops", "Oman"]);
        let t2 = "TROOPS of the United States";
        let found: Vec<&str> = l.find(t2).iter().map(|m| &t2[m.start..m.end]).collect();
        assert_eq!(found, vec!["TROOPS", "United States"]);
    }

    #[test]
    fn later_entries_override_earlier_phrases() {
        let mut l = Lexicon::new();
        l.add_text(
            "a",
            "AAAGOV\tAAA\tGOV\tcapital\tA\tPortvale\n",
            Section::Actors,
        )
        .unwrap();
        l.add_text(
            "u",
            "AAAMIL\tAAA\tMIL\torg\tPortvale Guard\tPortvale\n",
            Section::Actors,
        )
        .unwrap();
        l.compile().unwrap();
        let Some(Target::Actor(i)) = l.lookup("Portvale") else {
            panic!()
        };
        assert_eq!(l.actors[i].code, "AAAMIL");
        // a user line re-listing a phrase in another case also replaces it
        let mut l = Lexicon::new();
        l.add_text("a", "AAA\tAAA\t-\tcountry\tA\tPortvale\n", Section::Actors)
            .unwrap();
        l.add_text("u", "BBB\tBBB\t-\tcountry\tB\tPORTVALE\n", Section::Actors)
            .unwrap();
        l.compile().unwrap();
        assert!(l.find("in Portvale").is_empty());
        assert_eq!(l.find("in PORTVALE").len(), 1);
    }

    #[test]
    fn spellings_of_one_entry_that_differ_in_case_all_match() {
        let mut l = Lexicon::new();
        l.add_text(
            "a",
            "XXX\tXXX\t-\torg\tXorgy\tXorgy|XORGY\n",
            Section::Actors,
        )
        .unwrap();
        l.compile().unwrap();
        assert_eq!(l.find("the Xorgy and XORGY").len(), 2);
    }

    #[test]
    fn section_markers_switch_format() {
        let mut l = Lexicon::new();
        l.add_text(
            "mixed",
            "# both kinds\n[roles]\nMIL\t-\twarband|warbands\n[actors]\nXXXREB\tXXX\tREB\torg\tRed Hand\tRed Hand\n",
            Section::Actors,
        )
        .unwrap();
        assert!(matches!(l.lookup("warband"), Some(Target::Role(_))));
        assert!(matches!(l.lookup("red hand"), Some(Target::Actor(_))));
    }

    #[test]
    fn broken_lines_give_line_numbers() {
        let cases: &[(&str, &str, usize, &str)] = &[
            (
                "# c\nRUS\tRUS\t-\tcountry\tRussia\n",
                "",
                2,
                "6 TAB-separated",
            ),
            (
                "\n\nrus\tRUS\t-\tcountry\tRussia\tRussia\n",
                "",
                3,
                "bad code",
            ),
            (
                "RUS\tRussia\t-\tcountry\tRussia\tRussia\n",
                "",
                1,
                "bad country",
            ),
            (
                "RUS\tRUS\tGOVT\tcountry\tRussia\tRussia\n",
                "",
                1,
                "bad sector",
            ),
            ("RUS\tRUS\t-\tnation\tRussia\tRussia\n", "", 1, "bad kind"),
            (
                "RUS\tRUS\t-\tcountry\tRussia\tRussia||Rus\n",
                "",
                1,
                "empty phrase",
            ),
            ("RUS\tRUS\t-\tcountry\t-\tRussia\n", "", 1, "empty name"),
            ("", "MIL\ttroops\n", 1, "3 TAB-separated"),
            ("", "# x\nMIL\tloud\ttroops\n", 2, "unknown flag"),
            ("", "mil\t-\ttroops\n", 1, "bad sector"),
            ("", "*\ttitle\tpeer\n", 1, "counterpart"),
        ];
        for (a, r, line, msg) in cases {
            let e = lex(a, r)
                .err()
                .unwrap_or_else(|| panic!("no error for {a:?} {r:?}"));
            let (file, l, m) = err_line(e);
            assert_eq!(l, *line, "{a:?} {r:?}: {m}");
            assert!(m.contains(msg), "{m}");
            assert_eq!(file, if a.is_empty() { "r.tsv" } else { "a.tsv" });
        }
    }
}
