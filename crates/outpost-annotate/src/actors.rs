//! Actor mentions: dictionary matches assembled into actor phrases.
//!
//! A phrase is a run of modifiers (country, demonym, capital, organisation), then role
//! nouns, then optionally a capitalised person name after a title role:
//! "Kazakh defence Minister Aigerim Sadykova" → KAZ + (GOV, MIL) + "Aigerim Sadykova" =
//! `KAZGOVMIL`, kind Person. Possessives ("Russia's army") and "-led" ("French-led troops")
//! join a modifier to its role. Demonyms coordinated before a shared role ("Russian and
//! Tajik troops") each get that role. "counterpart" takes the sectors of the other person
//! in the sentence. People introduced by role and name are remembered for the document,
//! so a later bare surname ("Sadykova") gets the same code.

use std::collections::HashMap;

use outpost_core::{ActorKind, ActorMention};

use crate::dict::{EntryKind, Lexicon, Target};

/// What the document has established so far (people, the last titled person).
#[derive(Debug, Default, Clone)]
pub(crate) struct DocState {
    /// Surname or full name → the mention that introduced the person.
    people: HashMap<String, ActorMention>,
    /// Sectors of the last person introduced with a title role.
    last_title_sectors: Option<Vec<String>>,
    /// Ministries and ministers with more than one sector seen so far: (country, code),
    /// so a later "the Russian ministry" after "Russian defence minister" is `RUSGOVMIL`.
    ministries: Vec<(String, String)>,
    /// Countries the article is about so far (its places, the dateline, actors seen), for
    /// choosing among the meanings of an ambiguous phrase ("RSF").
    pub(crate) context: Vec<String>,
}

#[derive(Debug, Clone)]
struct Group {
    start: usize,
    end: usize,
    mods: Vec<usize>,
    roles: Vec<usize>,
    /// Roles lent by a coordinated neighbour ("Russian" in "Russian and Tajik troops").
    lent_roles: Vec<usize>,
    name: Option<(usize, usize)>,
    /// An organisation named after its roles ("the militant group Hamas").
    apposition: bool,
    /// Sectors resolved for a counterpart role.
    counterpart_sectors: Option<Vec<String>>,
}

impl Group {
    fn all_roles(&self) -> impl Iterator<Item = &usize> {
        self.roles.iter().chain(self.lent_roles.iter())
    }
}

/// Gap between two dictionary matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gap {
    Space,
    Possessive,
    Led,
    Coord,
    /// Only role adjectives: "Nigerian *junior* foreign minister".
    Adj,
    /// "the president *of* Armenia".
    Of,
    /// One or two other lower-case words: "Bangladeshi *peacekeeping* troops".
    Words,
    Other,
}

fn gap_kind(g: &str) -> Gap {
    let t = g.trim();
    if t.is_empty() {
        return if g.is_empty() { Gap::Other } else { Gap::Space };
    }
    match t.to_lowercase().as_str() {
        "'s" | "’s" | "'" | "’" => Gap::Possessive,
        // "Taiwan's vice foreign minister", "Russia's former president"
        l if (l.starts_with("'s ") || l.starts_with("’s "))
            && l.split_whitespace().count() <= 3
            && l.split_whitespace()
                .skip(1)
                .all(|w| ROLE_ADJECTIVES.contains(&w)) =>
        {
            Gap::Possessive
        }
        "-led" | "–led" => Gap::Led,
        "," | "and" | ", and" | "or" | "&" => Gap::Coord,
        "of" | "of the" => Gap::Of,
        l if l.split_whitespace().count() <= 3
            && l.split_whitespace().all(|w| ROLE_ADJECTIVES.contains(&w)) =>
        {
            Gap::Adj
        }
        _ if t.split_whitespace().count() <= 2
            && t.split_whitespace().all(|w| {
                w.chars().all(|c| c.is_lowercase() || c == '-')
                    && w.chars().next().is_some_and(char::is_lowercase)
                    && !FUNCTION_WORDS.contains(&w)
                    && !(w.ends_with("ed") && w.len() > 4)
            }) =>
        {
            Gap::Words
        }
        _ => Gap::Other,
    }
}

/// Words that never stand inside an actor phrase.
const FUNCTION_WORDS: &[&str] = &[
    "the", "a", "an", "to", "of", "in", "on", "at", "for", "with", "from", "by", "and", "or",
    "but", "as", "that", "which", "who", "whom", "whose", "is", "are", "was", "were", "be", "been",
    "has", "have", "had", "will", "would", "could", "can", "may", "might", "must", "should",
    "said", "says", "say", "told", "not", "no", "its", "their", "his", "her", "our", "than",
    "into", "over", "after", "before", "against", "about", "between", "during", "while", "also",
    "says", "did", "does", "do", "if", "so", "then", "there", "when", "where", "because", "since",
    "until", "amid", "among", "toward", "towards", "near", "across", "through", "under", "without",
    "within", "per", "via", "they", "them", "it", "he", "she", "we", "you", "i", "this", "these",
    "those", "such", "other", "more", "most", "very",
];

/// Words that may stand between a modifier and its role ("Russian *former* president").
const ROLE_ADJECTIVES: &[&str] = &[
    "former",
    "acting",
    "vice",
    "junior",
    "senior",
    "top",
    "new",
    "outgoing",
    "incoming",
    "interim",
    "caretaker",
    "then",
    "late",
    "veteran",
    "powerful",
    "main",
    "leading",
    "prominent",
    "hardline",
    "moderate",
    "local",
    "regional",
    "federal",
    "national",
    "state",
    "ex",
    "newly",
    "appointed",
    "elected",
    "exiled",
    "ousted",
    "jailed",
    "detained",
    "slain",
    "visiting",
    "embattled",
    "longtime",
    "long-time",
    "influential",
    "deposed",
    "current",
    "armed",
    "heavily",
    "islamist",
    "radical",
    "militant",
    "retired",
    "serving",
    "ruling",
];

const NAME_PARTICLES: &[&str] = &[
    "al", "al-", "bin", "ibn", "de", "da", "van", "von", "der", "del", "la", "le", "el", "di",
    "du", "dos", "das", "ben", "abu",
];

/// Capitalised words that never start or continue a person's name.
const NOT_NAMES: &[&str] = &[
    "The",
    "A",
    "An",
    "On",
    "In",
    "At",
    "And",
    "But",
    "Or",
    "Of",
    "For",
    "To",
    "He",
    "She",
    "It",
    "They",
    "We",
    "His",
    "Her",
    "Their",
    "Its",
    "This",
    "That",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
    "Said",
    "Says",
    "Told",
    "Also",
    "However",
    "Meanwhile",
];

/// Capitalised words that start the name of an institution, not a person ("General
/// Assembly", "Minister Office").
const INSTITUTION_WORDS: &[&str] = &[
    "Elections",
    "Election",
    "Assembly",
    "Council",
    "Court",
    "Committee",
    "Staff",
    "Command",
    "Hospital",
    "Office",
    "Department",
    "Ministry",
    "Government",
    "Party",
    "Union",
    "League",
    "Conference",
    "Secretariat",
    "Directorate",
    "Headquarters",
    "Motors",
    "Electric",
    "Manager",
    "House",
    "Palace",
    "Commission",
    "Agency",
    "Bureau",
    "Service",
    "Services",
    "Forces",
    "Army",
    "Police",
    "Corps",
    "Authority",
    "Administration",
    "Cabinet",
    "Parliament",
    "Senate",
    "Congress",
    "Affairs",
    "Policy",
    "Security",
    "Defence",
    "Defense",
    "Justice",
];

/// A person name starting at byte `p` of `s` (after white space), stopping before
/// `limit` (the next dictionary match). Returns its span.
fn name_after(s: &str, p: usize, limit: usize) -> Option<(usize, usize)> {
    let mut pos = p;
    let mut first: Option<usize> = None;
    let mut last_end = 0usize;
    let mut words = 0usize;
    loop {
        let rest = &s[pos..limit.max(pos)];
        let ws = rest.len() - rest.trim_start().len();
        if ws > 1 && words > 0 {
            break;
        }
        if words > 0 && ws == 0 {
            break;
        }
        let wstart = pos + ws;
        if wstart >= limit {
            break;
        }
        let word_rest = &s[wstart..limit];
        let wlen = word_rest
            .char_indices()
            .find(|&(i, c)| {
                let next = word_rest[i + c.len_utf8()..].chars().next();
                let after = word_rest[i + c.len_utf8()..].chars().nth(1);
                // a possessive "'s" ends the name ("Haftar's forces")
                let possessive = matches!(c, '\'' | '’')
                    && matches!(next, Some('s'))
                    && !after.is_some_and(char::is_alphabetic);
                !(c.is_alphabetic()
                    || (matches!(c, '-' | '\'' | '’')
                        && !possessive
                        && next.is_some_and(char::is_alphabetic)))
            })
            .map_or(word_rest.len(), |(i, _)| i);
        if wlen == 0 {
            break;
        }
        let mut word = &word_rest[..wlen];
        let mut wend = wstart + wlen;
        // Initials with their periods: "J.", "M.A.L.M."
        if word.chars().count() == 1 && s[wend..].starts_with('.') {
            wend += 1;
            while let Some(rest) = s.get(wend..limit.max(wend))
                && let Some(c) = rest.chars().next()
                && c.is_uppercase()
                && rest[c.len_utf8()..].starts_with('.')
            {
                wend += c.len_utf8() + 1;
            }
            word = &s[wstart..wend];
        }
        let cap = word.chars().next().is_some_and(char::is_uppercase);
        let lower_word = word.to_lowercase();
        let is_particle = NAME_PARTICLES.contains(&lower_word.as_str())
            || NAME_PARTICLES
                .iter()
                .any(|p| p.ends_with('-') && lower_word.starts_with(p));
        let bare = word.trim_end_matches('.');
        if cap && !NOT_NAMES.contains(&bare) && !(words == 0 && INSTITUTION_WORDS.contains(&bare)) {
            if first.is_none() {
                first = Some(wstart);
            }
            last_end = wend;
            words += 1;
        } else if is_particle && first.is_some() {
            // keep going; only counts if a capitalised word follows
            words += 1;
        } else {
            break;
        }
        pos = wend;
        if words >= 6 {
            break;
        }
    }
    first.map(|f| (f, last_end)).filter(|(f, e)| e > f)
}

/// A person's name (two to four capitalised words) ending in a comma just before `start`,
/// optionally followed by "the"/"a": "Sergei Ivanov, the …". Nothing before `floor`.
fn name_before(s: &str, start: usize, floor: usize) -> Option<(usize, usize)> {
    let mut head = s[floor..start].trim_end();
    for art in ["the", "a", "an", "The"] {
        if let Some(h) = head.strip_suffix(art)
            && h.ends_with(char::is_whitespace)
        {
            head = h.trim_end();
            break;
        }
    }
    let head = head.strip_suffix(',')?;
    if head.ends_with(char::is_whitespace) {
        return None;
    }
    let end = floor + head.len();
    let mut begin = end;
    let mut words = 0usize;
    let mut rest = head;
    loop {
        let wstart = rest
            .char_indices()
            .rev()
            .take_while(|&(_, c)| c.is_alphabetic() || matches!(c, '-' | '\'' | '’' | '.'))
            .last()
            .map(|(i, _)| i)?;
        let word = &rest[wstart..];
        let bare = word.trim_end_matches('.');
        let cap = word.chars().next().is_some_and(char::is_uppercase);
        let particle = NAME_PARTICLES.contains(&word.to_lowercase().as_str());
        let name_word = cap && !NOT_NAMES.contains(&bare);
        if !(name_word || (particle && words > 0)) {
            break;
        }
        words += 1;
        begin = floor + wstart;
        rest = &rest[..wstart];
        if words >= 4 || !rest.ends_with(' ') {
            break;
        }
        rest = &rest[..rest.len() - 1];
        if rest.ends_with(char::is_whitespace) {
            break;
        }
    }
    // A leading courtesy or rank abbreviation is not part of the name ("Cpt. Ali Omar").
    let name = &s[begin..end];
    if let Some((first, rest)) = name.split_once(' ')
        && TITLE_ABBREVIATIONS.contains(&first.trim_end_matches('.'))
    {
        words -= 1;
        begin = end - rest.len();
    }
    // The name needs at least two words.
    (words >= 2).then_some((begin, end))
}

/// Courtesy titles and ranks written before names.
const TITLE_ABBREVIATIONS: &[&str] = &[
    "Mr", "Mrs", "Ms", "Dr", "Prof", "Gen", "Lt", "Col", "Maj", "Capt", "Cpt", "Sgt", "Adm",
    "Brig", "Sen", "Rep", "Gov", "Rev", "Sheikh", "Sir", "Dame",
];

/// Nouns after which a demonym describes a place, not an actor. Settlements ("Iraqi towns",
/// "Afghan villages") are not among them: what is done to them is done to their people.
const PLACE_NOUNS: &[&str] = &[
    "border",
    "borders",
    "frontier",
    "capital",
    "province",
    "region",
    "district",
    "territory",
    "territories",
    "soil",
    "island",
    "coast",
    "waters",
    "airspace",
    "port",
    "base",
    "bases",
    "enclave",
    "side",
    "language",
    "mainland",
    "peninsula",
    "sea",
    "river",
    "mountains",
    "desert",
    "countryside",
];

/// True when the demonym at `start..end` is part of a hyphenated compound ("Kenyan-Somali",
/// "Russian-made") or qualifies a place noun ("Afghan border", "Tajik base").
fn place_adjective(s: &str, start: usize, end: usize) -> bool {
    let before = s[..start].chars().next_back();
    let after = s[end..].chars().next();
    if matches!(before, Some('-' | '–')) || matches!(after, Some('-' | '–')) {
        return true;
    }
    let next: String = s[end..]
        .trim_start()
        .chars()
        .take_while(|c| c.is_alphabetic())
        .collect::<String>()
        .to_lowercase();
    PLACE_NOUNS.contains(&next.as_str())
}

fn word_before(s: &str, pos: usize) -> &str {
    let head = s[..pos].trim_end();
    let start = head
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphabetic())
        .last()
        .map_or(head.len(), |(i, _)| i);
    &head[start..]
}

/// Finds the actor mentions of one sentence `s` starting at byte `offset` of the article.
///
/// `skip` is a byte span of `s` (e.g. the dateline's place) where no actor is sought.
pub(crate) fn sentence_actors(
    lex: &Lexicon,
    s: &str,
    offset: usize,
    skip: Option<(usize, usize)>,
    state: &mut DocState,
) -> Vec<ActorMention> {
    let mut matches = lex.find(s);
    for m in &mut matches {
        if let Target::Actor(a) = m.target {
            m.target = Target::Actor(lex.pick(a, &state.context));
        }
    }
    if let Some((a, b)) = skip {
        matches.retain(|m| m.end <= a || m.start >= b);
    }
    // "an anti-Syria journalist", "anti-American protesters": what a phrase is against is
    // not its country
    matches.retain(|m| {
        !(matches!(m.target, Target::Actor(a) if matches!(
            lex.actors[a].kind,
            EntryKind::Country | EntryKind::Demonym | EntryKind::Capital
        )) && crate::context::after_anti(s, m.start))
    });
    // 1. Group consecutive matches.
    let mut groups: Vec<Group> = Vec::new();
    let mut gaps: Vec<Gap> = Vec::new(); // gap before each group
    let mut prev_end = 0usize;
    // a capitalised role word that ends a person's name ("Secretary Tom King") is no role
    let mut name_end = 0usize;
    for m in &matches {
        if m.start < name_end {
            continue;
        }
        let gap = gap_kind(&s[prev_end.min(m.start)..m.start]);
        let attach = match groups.last() {
            Some(g) if g.name.is_none() && g.end == prev_end => match m.target {
                Target::Role(r) => {
                    let role = &lex.roles[r];
                    match gap {
                        Gap::Space | Gap::Adj => true,
                        Gap::Possessive => {
                            !g.mods.is_empty() && (g.roles.is_empty() || role.inherit)
                        }
                        Gap::Led => !g.mods.is_empty() && g.roles.is_empty(),
                        Gap::Words => {
                            !g.mods.is_empty() && g.roles.is_empty() && !role.title && !role.adj
                        }
                        _ => false,
                    }
                }
                Target::Actor(a) => {
                    let entry = &lex.actors[a];
                    let after_mods = g.roles.is_empty()
                        && !g.mods.is_empty()
                        && (matches!(entry.kind, EntryKind::Org | EntryKind::Capital)
                            || g.mods
                                .last()
                                .is_some_and(|&l| lex.actors[l].kind == EntryKind::Demonym));
                    // "the rebel group Boko Haram", "rights organisation Amnesty"
                    let apposition = entry.kind == EntryKind::Org
                        && g.mods.is_empty()
                        && !g.roles.is_empty()
                        && g.roles.iter().all(|&r| !lex.roles[r].title);
                    // "the government of Afghanistan", "the president of Armenia"
                    let of_country = gap == Gap::Of
                        && g.mods.is_empty()
                        && !g.roles.is_empty()
                        && matches!(
                            entry.kind,
                            EntryKind::Country | EntryKind::Capital | EntryKind::Org
                        );
                    // "President Joe Biden" where the person is in the dictionary
                    let known_person = entry.kind == EntryKind::Person && !g.roles.is_empty();
                    (gap == Gap::Space && (after_mods || apposition || known_person)) || of_country
                }
            },
            _ => false,
        };
        if attach {
            if let Some(g) = groups.last_mut() {
                match m.target {
                    Target::Actor(a) => {
                        if !g.roles.is_empty() && gap != Gap::Of {
                            g.apposition = true;
                        }
                        g.mods.push(a)
                    }
                    Target::Role(r) => g.roles.push(r),
                }
                g.end = m.end;
            }
        } else {
            let mut g = Group {
                start: m.start,
                end: m.end,
                mods: Vec::new(),
                roles: Vec::new(),
                lent_roles: Vec::new(),
                name: None,
                apposition: false,
                counterpart_sectors: None,
            };
            match m.target {
                Target::Actor(a) => g.mods.push(a),
                Target::Role(r) => g.roles.push(r),
            }
            groups.push(g);
            gaps.push(gap);
        }
        prev_end = m.end;
        // A name after a title role closes the group.
        let Some(g) = groups.last_mut() else { continue };
        let titled = g
            .roles
            .last()
            .is_some_and(|&r| lex.roles[r].title || lex.roles[r].counterpart);
        if titled && matches!(m.target, Target::Role(_)) {
            let next = matches.iter().find(|x| x.start >= m.end);
            let limit = next.map_or(s.len(), |x| x.start);
            if let Some((ns, mut ne)) = name_after(s, m.end, limit)
                && s[m.end..ns].trim().is_empty()
            {
                // "Defence Secretary Tom King said": a one-word title role written with a
                // capital right after the name, and no name after it, is the surname
                if let Some(x) = next
                    && s[ne..x.start] == *" "
                    && matches!(x.target, Target::Role(r) if lex.roles[r].title)
                    && !s[x.start..x.end].contains(' ')
                    && s[x.start..].starts_with(char::is_uppercase)
                    && name_after(s, x.end, s.len()).is_none()
                {
                    ne = x.end;
                    name_end = x.end;
                }
                g.name = Some((ns, ne));
                g.end = ne;
                prev_end = ne;
            } else if s[m.end..].starts_with(", ")
                && let Some((ns, ne)) = name_after(s, m.end + 2, limit)
                && ns == m.end + 2
                && ne - ns > 0
                && s[ne..]
                    .chars()
                    .next()
                    .is_none_or(|c| matches!(c, ',' | '.' | ';'))
                && s[ns..ne].contains(' ')
            {
                // "the Taliban spokesman, Ana Ruiz, said": the name set off by commas
                g.name = Some((ns, ne));
                g.end = ne;
                prev_end = ne;
            }
        }
    }

    // 2. Coordinated demonyms share the role of the last one: "Russian, Tajik ministers".
    for k in (0..groups.len().saturating_sub(1)).rev() {
        let (left, right) = groups.split_at_mut(k + 1);
        let (g, h) = (&mut left[k], &right[0]);
        // "US and British forces": short country names are used as adjectives too.
        let adjectival =
            |a: &usize| matches!(lex.actors[*a].kind, EntryKind::Demonym | EntryKind::Country);
        let only_demonyms =
            g.roles.is_empty() && !g.mods.is_empty() && g.mods.iter().all(adjectival);
        let h_ok = h.mods.first().is_some_and(adjectival)
            && (!h.roles.is_empty() || !h.lent_roles.is_empty());
        if only_demonyms && h_ok && gaps[k + 1] == Gap::Coord {
            g.lent_roles = h.all_roles().copied().collect();
        }
    }

    // 3. Counterparts take the sectors of another titled party in the sentence, else the
    //    last titled person of the document.
    let group_sectors: Vec<Vec<String>> = groups.iter().map(|g| role_sectors(lex, g).0).collect();
    for k in 0..groups.len() {
        let is_cp = groups[k].all_roles().any(|&r| lex.roles[r].counterpart);
        if !is_cp {
            continue;
        }
        let other = (0..groups.len())
            .filter(|&o| o != k)
            .filter(|&o| {
                groups[o]
                    .all_roles()
                    .any(|&r| lex.roles[r].title && !lex.roles[r].counterpart)
                    && !group_sectors[o].is_empty()
            })
            .min_by_key(|&o| (o > k, o.abs_diff(k)))
            .map(|o| group_sectors[o].clone())
            .or_else(|| state.last_title_sectors.clone());
        groups[k].counterpart_sectors = other;
    }

    // 4. "Sergei Ivanov, the Russian defence minister, said": a name just before a
    //    titled group, set off by a comma.
    for k in 0..groups.len() {
        let g = &groups[k];
        let titled = g
            .all_roles()
            .any(|&r| lex.roles[r].title && !lex.roles[r].counterpart);
        if !titled || g.name.is_some() {
            continue;
        }
        if g.mods
            .iter()
            .any(|&a| lex.actors[a].kind == EntryKind::Person)
        {
            continue;
        }
        let floor = if k > 0 { groups[k - 1].end } else { 0 };
        if let Some((ns, ne)) = name_before(s, g.start, floor) {
            groups[k].name = Some((ns, ne));
            groups[k].start = ns;
        }
    }

    // 5. Build mentions.
    let mut out: Vec<ActorMention> = Vec::new();
    for g in &groups {
        if let Some(mut m) = build(lex, s, offset, g) {
            // "its government", "whose government": the country named just before.
            if m.code.starts_with("---")
                && matches!(
                    word_before(s, g.start).to_lowercase().as_str(),
                    "its" | "whose"
                )
                && let Some(country) = out
                    .iter()
                    .rev()
                    .find(|o| matches!(o.kind, ActorKind::Country | ActorKind::Capital))
                    .and_then(|o| o.country.clone())
            {
                m.code = format!("{country}{}", &m.code[3..]);
                m.country = Some(country);
                m.kind = ActorKind::Reference;
            }
            // "the (Russian) ministry" after a more specific ministry or minister.
            let lower = m.text.to_lowercase();
            if let Some(country) = &m.country
                && m.code.len() > 6
                && lower.contains("minist")
            {
                state.ministries.retain(|(c, _)| c != country);
                state.ministries.push((country.clone(), m.code.clone()));
            } else if lower.ends_with("ministry") && m.sector.as_deref() == Some("GOV") {
                let known = match &m.country {
                    Some(c) if m.code == format!("{c}GOV") => {
                        state.ministries.iter().find(|(k, _)| k == c)
                    }
                    None if state.ministries.len() == 1 && lower == "ministry" => {
                        state.ministries.first()
                    }
                    _ => None,
                };
                if let Some((c, code)) = known {
                    m.country = Some(c.clone());
                    m.code = code.clone();
                    m.kind = ActorKind::Reference;
                }
            }
            if g.all_roles()
                .any(|&r| lex.roles[r].title && !lex.roles[r].counterpart)
            {
                let secs = role_sectors(lex, g).0;
                if !secs.is_empty() {
                    state.last_title_sectors = Some(secs);
                }
            }
            if m.kind == ActorKind::Person
                && let Some(name) = &m.name
            {
                state.people.insert(name.clone(), m.clone());
                if let Some(last) = name.split_whitespace().last()
                    && last.chars().count() >= 3
                    && last != name
                {
                    state
                        .people
                        .entry(last.to_string())
                        .or_insert_with(|| m.clone());
                }
            }
            out.push(m);
        }
    }

    // 6. People mentioned again by name.
    if !state.people.is_empty() {
        let mut extra = Vec::new();
        let mut i = 0usize;
        let bytes = s.as_bytes();
        while i < s.len() {
            let c = s[i..].chars().next().unwrap_or(' ');
            let at_boundary = i == 0
                || !s[..i]
                    .chars()
                    .next_back()
                    .is_some_and(char::is_alphanumeric);
            if c.is_uppercase() && at_boundary {
                let wlen = s[i..]
                    .char_indices()
                    .find(|&(_, ch)| !(ch.is_alphabetic() || ch == '-'))
                    .map_or(s.len() - i, |(k, _)| k);
                let word = &s[i..i + wlen];
                let covered = out
                    .iter()
                    .any(|m| m.start <= offset + i && offset + i < m.end);
                if !covered && let Some(p) = state.people.get(word) {
                    extra.push(ActorMention {
                        start: offset + i,
                        end: offset + i + wlen,
                        text: word.to_string(),
                        kind: ActorKind::Person,
                        ..p.clone()
                    });
                }
                i += wlen.max(1);
            } else {
                i += c.len_utf8().max(1);
                let _ = bytes;
            }
        }
        out.extend(extra);
        out.sort_by_key(|m| m.start);
    }
    out
}

/// Words after which a role word is still a noun ("the military said", "police in").
const AFTER_NOUN: &[&str] = &[
    "said",
    "says",
    "say",
    "told",
    "has",
    "have",
    "had",
    "is",
    "was",
    "were",
    "are",
    "be",
    "been",
    "will",
    "would",
    "could",
    "can",
    "may",
    "might",
    "must",
    "should",
    "shall",
    "did",
    "does",
    "do",
    "and",
    "or",
    "but",
    "nor",
    "of",
    "in",
    "on",
    "at",
    "to",
    "for",
    "with",
    "from",
    "by",
    "into",
    "who",
    "which",
    "that",
    "as",
    "also",
    "not",
    "then",
    "later",
    "later",
    "again",
    "still",
    "already",
    "now",
    "reportedly",
    "allegedly",
    "claimed",
    "denied",
    "announced",
    "accused",
    "added",
    "stated",
    "warned",
    "launched",
    "opened",
    "began",
];

/// True when the text after a role word starts with a lower-case word that makes the role
/// word an adjective ("military base", "police station", "troop pullout").
fn adjective_use(rest: &str) -> bool {
    let r = rest.trim_start();
    if r.len() == rest.len() && !rest.is_empty() {
        // Not followed by white space: "military-backed", "military." → no adjective use
        // unless a hyphenated compound continues it.
        return false;
    }
    let w: String = r.chars().take_while(|c| c.is_alphabetic()).collect();
    if w.is_empty() || !w.chars().next().is_some_and(char::is_lowercase) {
        return false;
    }
    if AFTER_NOUN.contains(&w.as_str()) {
        return false;
    }
    // Past-tense verbs: "the military withdrew" is rare, "the military attacked" common.
    !(w.ends_with("ed") && w.len() > 4)
}

/// Sectors from the roles of a group (primary first), and whether it holds a counterpart.
fn role_sectors(lex: &Lexicon, g: &Group) -> (Vec<String>, bool) {
    let has_org = g
        .mods
        .iter()
        .any(|&a| matches!(lex.actors[a].kind, EntryKind::Org | EntryKind::Person));
    let mut secs: Vec<String> = Vec::new();
    let mut cp = false;
    for &r in g.all_roles() {
        let role = &lex.roles[r];
        if role.counterpart {
            cp = true;
            if let Some(cs) = &g.counterpart_sectors {
                for s in cs {
                    if !secs.contains(s) {
                        secs.push(s.clone());
                    }
                }
            }
            continue;
        }
        if role.inherit && (!secs.is_empty() || has_org) {
            continue;
        }
        for s in &role.sectors {
            if !secs.contains(s) {
                secs.push(s.clone());
            }
        }
    }
    (secs, cp)
}

fn build(lex: &Lexicon, s: &str, offset: usize, g: &Group) -> Option<ActorMention> {
    let primary = g
        .mods
        .iter()
        .rev()
        .find(|&&a| matches!(lex.actors[a].kind, EntryKind::Org | EntryKind::Person))
        .or_else(|| g.mods.last())
        .map(|&a| &lex.actors[a]);
    let (role_secs, counterpart) = role_sectors(lex, g);
    let has_roles = g.all_roles().next().is_some();

    // Bare demonyms stay (kind Demonym: "an Indian proposal"), unless they qualify a
    // place ("the Kenyan-Somali border", "the Bosnian town of …").
    if let Some(p) = primary
        && p.kind == EntryKind::Demonym
        && !has_roles
        && g.name.is_none()
        && place_adjective(s, g.start, g.end)
    {
        return None;
    }

    if primary.is_none() && g.name.is_none() {
        let roles: Vec<&crate::dict::RoleEntry> = g.all_roles().map(|&r| &lex.roles[r]).collect();
        if roles.iter().all(|r| r.needs_name) {
            return None;
        }
        if roles.last().is_some_and(|r| r.adj) && adjective_use(&s[g.end..]) {
            return None;
        }
    }

    let follower = g.all_roles().any(|&r| lex.roles[r].follower);
    let (base, country, mut sectors) = match primary {
        None => ("---".to_string(), None, Vec::new()),
        Some(p) if follower => {
            let c = p.country.clone();
            (c.clone().unwrap_or_else(|| "---".into()), c, Vec::new())
        }
        Some(p) => match p.kind {
            EntryKind::Capital if has_roles => {
                let c = p
                    .country
                    .clone()
                    .unwrap_or_else(|| p.code.chars().take(3).collect());
                (c.clone(), Some(c), Vec::new())
            }
            _ => (
                p.code.clone(),
                p.country.clone(),
                p.sector.iter().cloned().collect::<Vec<_>>(),
            ),
        },
    };
    for sct in role_secs {
        if !sectors.contains(&sct) {
            sectors.push(sct);
        }
    }
    // A people noun on its own ("Afghans fled") names civilians.
    if primary.is_some_and(|p| p.kind == EntryKind::People) && sectors.is_empty() {
        sectors.push("CVL".to_string());
    }
    // "ethnic Albanians", "ethnic Serb civilians": a minority named by its origin lives in
    // another country; the country comes from the phrase or the article ("ethnic Albanians
    // in Macedonia" → MKD), as for a role without a country
    let ethnic = primary.is_some_and(|p| matches!(p.kind, EntryKind::Demonym | EntryKind::People))
        && g.mods.len() == 1
        && word_before(s, g.start).eq_ignore_ascii_case("ethnic");
    let (base, country) = if ethnic {
        if sectors.is_empty() {
            sectors.push("CVL".to_string());
        }
        ("---".to_string(), None)
    } else {
        (base, country)
    };
    let mut code = base.clone();
    let blocks: Vec<&str> = (0..base.len() / 3)
        .filter_map(|k| base.get(k * 3..k * 3 + 3))
        .collect();
    let own_sector = primary.and_then(|p| p.sector.as_ref());
    for sct in &sectors {
        let present = blocks.iter().skip(1).any(|b| b == sct);
        let own =
            own_sector == Some(sct) && !matches!(primary.map(|p| p.kind), Some(EntryKind::Capital));
        if !present && !own && !g.apposition {
            code.push_str(sct);
        }
    }
    let person = g.name.map(|(a, b)| s[a..b].to_string());
    let kind = if person.is_some() {
        ActorKind::Person
    } else if counterpart {
        ActorKind::Reference
    } else if let Some(p) = primary {
        match p.kind {
            EntryKind::Org | EntryKind::Person => ActorKind::Organisation,
            EntryKind::Capital => ActorKind::Capital,
            _ if has_roles => ActorKind::Role,
            k => k.actor_kind(),
        }
    } else {
        ActorKind::Role
    };
    // A known person on their own is a Person; with a non-title role ("the Assad
    // regime", "the Trump administration") the phrase names the body, not the person.
    let person_body = primary.is_some_and(|p| p.kind == EntryKind::Person)
        && person.is_none()
        && g.all_roles().any(|&r| !lex.roles[r].title);
    let kind = if primary.is_some_and(|p| p.kind == EntryKind::Person) && person.is_none() {
        if person_body {
            ActorKind::Role
        } else {
            ActorKind::Person
        }
    } else if kind == ActorKind::Capital && has_roles && sectors.iter().any(|x| x != "GOV") {
        // "Dhaka University" is no government
        ActorKind::Role
    } else {
        kind
    };
    let kind = if (follower || ethnic) && person.is_none() {
        ActorKind::Role
    } else {
        kind
    };
    let name = person.or_else(|| {
        primary
            .filter(|_| !follower)
            .filter(|p| p.kind == EntryKind::Org || (p.kind == EntryKind::Person && !person_body))
            .map(|p| p.name.clone())
    });
    Some(ActorMention {
        start: offset + g.start,
        end: offset + g.end,
        text: s[g.start..g.end].to_string(),
        code,
        country,
        sector: sectors.first().cloned(),
        name,
        kind,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_after_titles() {
        let s = "Minister Ana de la Cruz said";
        let (a, b) = name_after(s, 8, s.len()).unwrap();
        assert_eq!(&s[a..b], "Ana de la Cruz");
        let s = "Gen. J.R. Olsen's men";
        let (a, b) = name_after(s, 4, s.len()).unwrap();
        assert_eq!(&s[a..b], "J.R. Olsen");
        assert_eq!(name_after("the minister said", 12, 17), None);
        assert_eq!(name_after("General Assembly voted", 7, 22), None);
        assert_eq!(name_after("president on Monday", 9, 19), None);
    }

    #[test]
    fn names_before_appositions() {
        let s = "Ana Cruz, the minister";
        assert_eq!(name_before(s, 14, 0), Some((0, 8)));
        // one capitalised word is too little evidence ("Russia, the …")
        assert_eq!(name_before("Russia, the minister", 12, 0), None);
        assert_eq!(name_before("Ana Cruz said the minister", 18, 0), None);
        let s = "Cpt. Ali Omar, a spokesman";
        let (a, b) = name_before(s, 17, 0).unwrap();
        assert_eq!(&s[a..b], "Ali Omar");
    }

    #[test]
    fn gaps_between_matches() {
        assert_eq!(gap_kind(" "), Gap::Space);
        assert_eq!(gap_kind("'s "), Gap::Possessive);
        assert_eq!(gap_kind("'s vice "), Gap::Possessive);
        assert_eq!(gap_kind("'s Former "), Gap::Possessive);
        assert_eq!(gap_kind("'s own "), Gap::Other);
        assert_eq!(gap_kind("-led "), Gap::Led);
        assert_eq!(gap_kind(", "), Gap::Coord);
        assert_eq!(gap_kind(" of "), Gap::Of);
        assert_eq!(gap_kind(" former "), Gap::Adj);
        assert_eq!(gap_kind(" paper "), Gap::Words);
        assert_eq!(gap_kind(" said the "), Gap::Other);
        assert_eq!(gap_kind(""), Gap::Other);
    }

    #[test]
    fn demonyms_of_places() {
        let s = "the Kenyan-Somali border and an Afghan plan";
        assert!(place_adjective(s, 4, 10));
        assert!(place_adjective(s, 11, 17));
        assert!(!place_adjective(s, 32, 38));
        // settlements are inhabited: "shelled Togolese villages" hits Togo's people
        let s = "shelled Togolese villages near the Togolese border";
        assert!(!place_adjective(s, 8, 16));
        assert!(place_adjective(s, 35, 43));
    }
}
