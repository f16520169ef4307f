//! Building events from trigger matches: actors, voice, status, date, location, evidence.

use std::borrow::Cow;

use outpost_core::annot::char_offset;
use outpost_core::{
    Acled, Actor, ActorKind, ActorMention, AnnotatedDoc, DatePrecision, Event, EventDate, Evidence,
    Location, Status,
};

use crate::Coder;
use crate::dict::{Pos, VerbEntry};
use crate::sentence::{ClauseKind, Sent, Span};

/// How many sentences back an anaphoric event noun ("the phone call") may refer.
const ANAPHOR_WINDOW: usize = 4;

/// Sectors whose members are not combatants (ACLED: violence against civilians).
const CIVILIAN_SECTORS: [&str; 12] = [
    "CVL", "REF", "JRN", "MED", "EDU", "REL", "LAB", "BUS", "AGR", "HLH", "HRI", "NGO",
];

/// How the source was found (for confidence).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SourceHow {
    Direct,
    Shared,
    Inherited,
    Unknown,
}

pub(crate) fn code_doc(coder: &Coder, doc: &AnnotatedDoc) -> Vec<Event> {
    let mut events: Vec<(usize, Event)> = Vec::new();
    let para = ParaCues::new(coder, doc);
    for s in &doc.sentences {
        let sent = Sent::new(s, &coder.verbs, &coder.cues);
        let mut shared: Vec<(usize, usize, Vec<usize>)> = Vec::new(); // (clause, trigger, source group)
        let absorbed = absorbed(coder, &sent);
        for (mi, m) in sent.matches.iter().enumerate() {
            let e = &coder.verbs.entries[m.entry];
            if absorbed[mi] || e.ignore {
                continue;
            }
            if e.defer && follows_closely(&sent, m).is_some() {
                continue;
            }
            if purpose_of_previous(coder, &sent, mi) {
                continue;
            }
            match build(coder, doc, &para, &sent, m, e, &mut shared) {
                Built::Event(mut ev) => {
                    // "expelled three diplomats, accusing them of …": an object pronoun
                    // right after the trigger is the previous event's target
                    let t0 = m.first();
                    if ev.target.is_none()
                        && sent
                            .toks
                            .get(t0 + 1)
                            .is_some_and(|w| matches!(w.as_str(), "them" | "him" | "her"))
                        && let Some((_, prev)) = events.iter().rev().find(|(i, p)| {
                            *i == s.index && p.target.is_some() && p.source.code == ev.source.code
                        })
                    {
                        ev.target = prev.target.clone();
                    }
                    events.push((s.index, *ev))
                }
                Built::Anaphor => refine_previous(coder, &mut events, s.index, e),
                Built::Nothing => {}
            }
        }
    }
    merge_violence(&mut events);
    refine_acled(coder, doc, &para, &mut events);
    // ids after refinement; dedupe keeping the most confident
    let mut out: Vec<Event> = Vec::new();
    for (_, mut ev) in events {
        ev.id = event_id(&ev);
        if let Some(prev) = out.iter_mut().find(|p| p.id == ev.id) {
            if ev.confidence > prev.confidence {
                *prev = ev;
            }
        } else {
            out.push(ev);
        }
    }
    out
}

/// Within one sentence, a generic violent event ("killed", "attack", CAMEO 190) is the same
/// incident as a specific one ("grenade attack", "airstrike"): its actors fill the specific
/// event's gaps and it is dropped.
fn merge_violence(events: &mut Vec<(usize, Event)>) {
    let mut drop = vec![false; events.len()];
    for i in 0..events.len() {
        let (si, ref ev) = events[i];
        if ev.plover != "ASSAULT" {
            continue;
        }
        let specific = ev.cameo != "190";
        let spec_183 = ev.cameo.len() == 4 && ev.cameo.starts_with("183");
        let known = ev.source.code != "---";
        for j in 0..events.len() {
            let (sj, ref g) = events[j];
            // a bare "blast", "explosion" (183) is the same incident as the named device
            // ("a limpet mine blast", "a car bomb explosion")
            let generic = g.cameo == "190" || (g.cameo == "183" && spec_183);
            if sj != si || j == i || drop[j] || drop[i] || g.plover != "ASSAULT" || !generic {
                continue;
            }
            // a generic event merges into a specific one, or an actorless generic one
            // ("… in an attack") into one whose source is known ("gunmen killed …")
            if !(specific || (known && g.source.code == "---")) {
                continue;
            }
            let g = g.clone();
            let spec = &mut events[i].1;
            // an implied source (the place's unidentified armed force) or target (the
            // place's country) yields to an actor the generic event names ("a roadside
            // bomb near X killed two Y soldiers": the soldiers were hit)
            if (spec.source.code == "---" && g.source.code != "---")
                || (implied_uaf(&spec.source)
                    && g.source.country.is_some()
                    && !implied_uaf(&g.source))
            {
                spec.source = g.source.clone();
            }
            let weak_target = spec
                .target
                .as_ref()
                .is_some_and(|t| implied_place(t, spec.location.as_ref()));
            if g.target.as_ref().is_some_and(|t| {
                t.code != spec.source.code
                    && (spec.target.is_none()
                        || (weak_target && !implied_place(t, g.location.as_ref())))
            }) {
                spec.target = g.target.clone();
            }
            if spec.location.is_none() {
                spec.location = g.location.clone();
            }
            drop[j] = true;
        }
    }
    let mut k = 0;
    events.retain(|_| {
        k += 1;
        !drop[k - 1]
    });
}

/// Participles that link a `message` noun to its author: "crimes *committed* by X".
const AUTHOR_PARTICIPLES: &[&str] = &[
    "committed",
    "perpetrated",
    "carried",
    "made",
    "issued",
    "presented",
    "submitted",
    "filed",
    "levelled",
    "leveled",
];

/// An actor the coder supplied itself: CAMEO's unidentified armed force of the place where
/// violence by an unnamed perpetrator happened (`IRQUAF`, no text in the sentence).
fn implied_uaf(a: &Actor) -> bool {
    a.text.is_empty() && a.sector.as_deref() == Some("UAF")
}

/// A target the coder supplied itself: the country of the place an action happened at
/// ("shelled X" → X's country), a bare country code named after the event's location.
fn implied_place(a: &Actor, loc: Option<&Location>) -> bool {
    a.sector.is_none() && a.code.len() == 3 && loc.is_some_and(|l| l.name == a.text)
}

/// ACLED sub-event types from what the sentence says about the means and the course of the
/// event (cue categories `means:…`, `protest:…`, `crime` in `dict/event_cues.tsv`):
/// - violence whose sentence names a weapon gets that weapon's sub-event type (suicide bomb,
///   chemical weapon, grenade, remote explosive/IED, air/drone strike, shelling), strongest
///   first — only when the trigger's own type is generic (armed clash, attack) or a weaker
///   explosion type;
/// - a protest whose sentence, or the next sentence of its paragraph, tells of lethal force
///   against the protesters, of the protesters' own violence, or of the police breaking it up
///   becomes "Excessive force against protesters", "Violent demonstration" or "Protest with
///   intervention" (in that order of precedence);
/// - violence by criminals or in a sentence about ordinary crime carries no ACLED type (it
///   is not political violence).
fn refine_acled(
    coder: &Coder,
    doc: &AnnotatedDoc,
    para: &ParaCues<'_>,
    events: &mut [(usize, Event)],
) {
    let toks_of = |i: usize| -> Vec<Cow<'_, str>> {
        doc.sentences
            .get(i)
            .map(|s| s.tokens.iter().map(|t| cue_form(&t.lower)).collect())
            .unwrap_or_default()
    };
    // "a bomb was found and defused": explosives in a paragraph whose weapons were seized
    // or defused were not used
    let disrupted: Vec<usize> = events
        .iter()
        .filter(|(_, e)| {
            e.acled
                .as_ref()
                .is_some_and(|a| a.sub_event_type == "Disrupted weapons use")
        })
        .map(|(i, _)| *i)
        .collect();
    let para_of = |i: usize| doc.sentences.get(i).map(|s| s.paragraph);
    for (si, ev) in events.iter_mut() {
        if disrupted.iter().any(|&d| para_of(d) == para_of(*si))
            && ev
                .acled
                .as_ref()
                .is_some_and(|a| a.event_type == "Explosions/Remote violence")
        {
            ev.acled = None;
        }
        let Some(acled) = ev.acled.as_mut() else {
            continue;
        };
        let toks = toks_of(*si);
        // "a missile destroyed the warship": destruction by a weapon is the weapon's attack
        if acled.sub_event_type == "Looting/property destruction"
            && ["means:air", "means:drone", "means:shelling", "means:ied"]
                .iter()
                .any(|c| coder.cues.occurs(c, &toks))
        {
            acled.event_type = "Battles".into();
            acled.sub_event_type = "Armed clash".into();
        }
        let violent = matches!(
            acled.event_type.as_str(),
            "Battles" | "Explosions/Remote violence" | "Violence against civilians"
        );
        // "took the town after the army pulled out", "entered X without resistance": ground
        // taken that nobody defended changed hands without a fight
        if matches!(
            acled.sub_event_type.as_str(),
            "Non-state actor overtakes territory" | "Government regains territory"
        ) && para.occurs(*si, "uncontested")
        {
            acled.event_type = "Strategic developments".into();
            acled.sub_event_type = "Non-violent transfer of territory".into();
            continue;
        }
        // "used chlorine gas", "fired shells … the shells contained poisonous gas": a
        // chemical agent named in the paragraph makes the attack a chemical weapon attack,
        // also one coded as crowd control ("used … gas")
        let chemical = para.occurs(*si, "means:chemical");
        if chemical
            && (ev.cameo == "175"
                || matches!(
                    acled.sub_event_type.as_str(),
                    "Armed clash"
                        | "Attack"
                        | "Shelling/artillery/missile attack"
                        | "Air/drone strike"
                        | "Remote explosive/landmine/IED"
                ))
            && ev.plover == "ASSAULT"
        {
            acled.event_type = "Explosions/Remote violence".into();
            acled.sub_event_type = "Chemical weapon".into();
            continue;
        }
        if violent {
            let criminal = ev.source.sector.as_deref() == Some("CRM") || para.occurs(*si, "crime");
            if criminal {
                ev.acled = None;
                continue;
            }
            const RANK: [(&str, &str); 7] = [
                ("means:suicide", "Suicide bomb"),
                ("means:chemical", "Chemical weapon"),
                ("means:grenade", "Grenade"),
                ("means:drone", "Air/drone strike"),
                ("means:air", "Air/drone strike"),
                ("means:ied", "Remote explosive/landmine/IED"),
                ("means:shelling", "Shelling/artillery/missile attack"),
            ];
            let current = RANK
                .iter()
                .position(|(_, n)| *n == acled.sub_event_type)
                .unwrap_or(RANK.len());
            let generic = matches!(acled.sub_event_type.as_str(), "Armed clash" | "Attack")
                || acled.event_type == "Explosions/Remote violence";
            if generic
                && let Some((k, (_, name))) = RANK
                    .iter()
                    .enumerate()
                    .find(|(_, (m, _))| coder.cues.occurs(m, &toks))
                && k < current
            {
                acled.event_type = "Explosions/Remote violence".into();
                acled.sub_event_type = (*name).into();
            }
            continue;
        }
        if acled.sub_event_type == "Arrests" && coder.cues.occurs("protest:crowd", &toks) {
            acled.event_type = "Protests".into();
            acled.sub_event_type = "Protest with intervention".into();
            continue;
        }
        if matches!(acled.event_type.as_str(), "Protests" | "Riots")
            && matches!(
                acled.sub_event_type.as_str(),
                "Peaceful protest" | "Protest with intervention" | "Violent demonstration"
            )
        {
            // the whole paragraph: what happened to a protest is often told before or after
            // the sentence that names it
            let par = doc.sentences.get(*si).map(|s| s.paragraph);
            let mut ctx: Vec<Cow<'_, str>> = Vec::new();
            for (i, s) in doc.sentences.iter().enumerate() {
                if Some(s.paragraph) == par {
                    if !ctx.is_empty() {
                        ctx.push(Cow::Borrowed("."));
                    }
                    ctx.extend(toks_of(i));
                }
            }
            let (t, sub) = if occurs_unframed(coder, "protest:force", &ctx) {
                (
                    "Violence against civilians",
                    "Excessive force against protesters",
                )
            } else if occurs_unframed(coder, "protest:violent", &ctx) {
                ("Riots", "Violent demonstration")
            } else if occurs_unframed(coder, "protest:intervention", &ctx) {
                ("Protests", "Protest with intervention")
            } else {
                continue;
            };
            acled.event_type = t.into();
            acled.sub_event_type = sub.into();
        }
    }
}

/// A lower-cased token as cue phrases spell it (typographic apostrophes made plain),
/// borrowed unless it has to change.
fn cue_form(lower: &str) -> Cow<'_, str> {
    if lower.contains('’') {
        Cow::Owned(lower.replace('’', "'"))
    } else {
        Cow::Borrowed(lower)
    }
}

/// How many tokens before a protest cue a `grievance` word makes it the protest's cause.
const GRIEVANCE_WINDOW: usize = 5;

/// Does a cue phrase of `cat` occur in `toks` other than as what a protest is about? A cue
/// shortly after a `grievance` word ("protested over the killing of", "to decry the arrests",
/// "demanding justice for students killed in an accident") names the grievance, not what
/// happened at the protest.
fn occurs_unframed(coder: &Coder, cat: &str, toks: &[Cow<'_, str>]) -> bool {
    coder
        .cues
        .occurs_where(cat, toks, |i| !framed_by_grievance(coder, toks, i))
}

/// Walking back from token `i`: a `grievance` word before any verb-like word ("turned",
/// "were", punctuation) that would start another statement.
fn framed_by_grievance(coder: &Coder, toks: &[Cow<'_, str>], i: usize) -> bool {
    for w in toks[i.saturating_sub(GRIEVANCE_WINDOW)..i].iter().rev() {
        if coder.cues.is("grievance", w) {
            return true;
        }
        let verb_like = (w.len() > 3 && w.ends_with("ed")) || coder.cues.is("be", w);
        if verb_like || crate::sentence::is_barrier(w) {
            return false;
        }
    }
    false
}

/// Cue categories looked up for a whole paragraph (see [`ParaCues`]).
const PARA_CATS: [&str; 4] = ["disaster", "crime", "means:chemical", "uncontested"];

/// Which paragraph-level cue categories occur in each paragraph of a document, computed on
/// the first question and then kept for the document. (A disaster or a crime is often named
/// in the sentence before or after the one that says what it did: "Fire crews were called to
/// the warehouse. The explosion killed two.")
pub(crate) struct ParaCues<'a> {
    coder: &'a Coder,
    doc: &'a AnnotatedDoc,
    /// Per paragraph (by index), one flag per entry of `PARA_CATS`.
    flags: std::cell::OnceCell<Vec<[bool; PARA_CATS.len()]>>,
}

impl<'a> ParaCues<'a> {
    pub(crate) fn new(coder: &'a Coder, doc: &'a AnnotatedDoc) -> ParaCues<'a> {
        ParaCues {
            coder,
            doc,
            flags: std::cell::OnceCell::new(),
        }
    }

    fn compute(&self) -> Vec<[bool; PARA_CATS.len()]> {
        let n = self
            .doc
            .sentences
            .iter()
            .map(|s| s.paragraph + 1)
            .max()
            .unwrap_or(0);
        let mut flags = vec![[false; PARA_CATS.len()]; n];
        for s in &self.doc.sentences {
            let toks: Vec<Cow<'_, str>> = s.tokens.iter().map(|t| cue_form(&t.lower)).collect();
            if let Some(f) = flags.get_mut(s.paragraph) {
                let found = self.coder.cues.occurs_each(&PARA_CATS, &toks);
                for (fk, found) in f.iter_mut().zip(found) {
                    *fk = *fk || found;
                }
            }
        }
        flags
    }

    /// Does a cue of `cat` (one of `PARA_CATS`) occur in the paragraph of sentence `si`?
    fn occurs(&self, si: usize, cat: &str) -> bool {
        let Some(k) = PARA_CATS.iter().position(|c| *c == cat) else {
            return false;
        };
        let Some(p) = self.doc.sentences.get(si).map(|s| s.paragraph) else {
            return false;
        };
        self.flags
            .get_or_init(|| self.compute())
            .get(p)
            .is_some_and(|f| f[k])
    }
}

/// How far (in tokens) after a protest trigger its target may be named.
const PROTEST_TARGET_WINDOW: usize = 16;

/// How far (in tokens) a following trigger counts as the content of a `defer`/`absorb` one.
const CONTENT_WINDOW: usize = 8;

/// The first trigger starting within CONTENT_WINDOW tokens after `m` in its clause.
fn follows_closely(sent: &Sent, m: &crate::sentence::Match) -> Option<usize> {
    let tl = m.last();
    sent.matches.iter().position(|x| {
        x.first() > tl
            && x.first() <= tl + CONTENT_WINDOW
            && sent.clause[x.first()] == sent.clause[tl]
    })
}

/// "gave Tanzania a grant to finance projects": an infinitive trigger right after another
/// (non-deferred) trigger of its clause states that trigger's purpose, not a new event.
fn purpose_of_previous(coder: &Coder, sent: &Sent, mi: usize) -> bool {
    let m = &sent.matches[mi];
    let t0 = m.first();
    if t0 == 0 || sent.toks[t0 - 1] != "to" {
        return false;
    }
    sent.matches[..mi].iter().any(|x| {
        let e = &coder.verbs.entries[x.entry];
        !e.defer
            && !e.absorb
            && sent.clause[x.first()] == sent.clause[t0]
            && x.last() < t0
            && t0 - x.last() <= CONTENT_WINDOW + 4
    })
}

/// Matches that are the promised content of an `absorb` trigger ("pledged to help … build").
fn absorbed(coder: &Coder, sent: &Sent) -> Vec<bool> {
    let mut out = vec![false; sent.matches.len()];
    for m in &sent.matches {
        let e = &coder.verbs.entries[m.entry];
        if !e.absorb {
            continue;
        }
        // an attribution ("claimed responsibility for the bombing that killed …") reports
        // an earlier act with everything it did, relative clauses included
        let attribution = e.ignore;
        let tl = m.last();
        for (i, x) in sent.matches.iter().enumerate() {
            let near = x.first() > tl && x.first() <= tl + CONTENT_WINDOW;
            let same_clause = sent.clause[x.first()] == sent.clause[tl];
            let reach = attribution
                && x.first() > tl
                && x.first() <= tl + 3 * CONTENT_WINDOW
                && !(tl..x.first()).any(|j| sent.toks[j] == ";");
            // ("minutes after the clashes between X and Y, the group claimed responsibility
            // for the killing": the act in a leading "after" phrase is the one claimed)
            let (xc, _) = sent.clause_of(x.first());
            let leading = attribution
                && x.last() < m.first()
                && matches!(sent.toks[xc.start].as_str(), "after" | "following");
            if (near && same_clause) || reach || leading {
                out[i] = true;
            }
        }
    }
    out
}

fn event_id(ev: &Event) -> String {
    let key = format!(
        "{}|{}|{}|{}|{}",
        ev.evidence.article_id,
        ev.evidence.sentence,
        ev.cameo,
        ev.source.code,
        ev.target.as_ref().map(|t| t.code.as_str()).unwrap_or("")
    );
    outpost_core::id::fingerprint(key.as_bytes())
}

/// An anaphoric mention ("the phone conversation", "the parties discussed") refines the
/// latest earlier event of the same PLOVER type whose code is still unspecific.
fn refine_previous(coder: &Coder, events: &mut [(usize, Event)], sidx: usize, e: &VerbEntry) {
    let Some(mode) = &e.mode else {
        return;
    };
    let Some((_, prev)) = events
        .iter_mut()
        .rev()
        .take_while(|(i, _)| sidx.saturating_sub(*i) <= ANAPHOR_WINDOW)
        .find(|(_, ev)| ev.plover == e.plover)
    else {
        return;
    };
    if prev.mode.is_some() || prev.cameo.get(..2) != e.cameo.get(..2) {
        return;
    }
    if let Some(c) = coder.cameo.get(&e.cameo) {
        prev.cameo = c.code.clone();
        prev.goldstein = c.goldstein;
        prev.quad_class = c.quad_class;
        prev.mode = Some(mode.clone());
        prev.confidence = (prev.confidence + 0.05).min(0.99);
    }
}

enum Built {
    Event(Box<Event>),
    Anaphor,
    Nothing,
}

fn actor(m: &ActorMention) -> Actor {
    Actor {
        text: m.text.clone(),
        code: m.code.clone(),
        country: m.country.clone(),
        sector: m.sector.clone(),
        name: m.name.clone(),
    }
}

fn unknown_actor() -> Actor {
    Actor {
        text: String::new(),
        code: "---".into(),
        country: None,
        sector: None,
        name: None,
    }
}

impl Sent<'_> {
    fn aspan(&self, a: usize) -> Option<Span> {
        self.actors.get(a).copied().flatten()
    }

    /// Token before `t`, skipping determiners/possessives.
    fn head_before(&self, coder: &Coder, t: usize, floor: usize) -> Option<usize> {
        let mut j = t;
        while j > floor {
            j -= 1;
            if !coder.cues.has("determiner", self.cue[j]) {
                return Some(j);
            }
        }
        None
    }

    /// May the actor be a clause subject (not an oblique like "in X", "bordering X")?
    fn subject_ok(&self, coder: &Coder, a: usize, floor: usize) -> bool {
        let Some(sp) = self.aspan(a) else {
            return false;
        };
        if self.speaker[a] {
            return false;
        }
        let Some(p) = self.head_before(coder, sp.start, floor) else {
            return true;
        };
        let w = self.toks[p].as_str();
        if w == "of" {
            // "hundreds of Afghan servicemen"
            return p > floor && coder.cues.has("quantity", self.cue[p - 1]);
        }
        if coder.cues.has("preposition", self.cue[p]) || coder.cues.has("locative", self.cue[p]) {
            return false;
        }
        if w.len() > 4 && w.ends_with("ing") {
            return false;
        }
        true
    }

    /// May the actor be an object/target?
    fn target_ok(&self, coder: &Coder, a: usize, floor: usize, passive_agent: bool) -> bool {
        let Some(sp) = self.aspan(a) else {
            return false;
        };
        if self.speaker[a] {
            return false;
        }
        let Some(p) = self.head_before(coder, sp.start, floor) else {
            return true;
        };
        let w = self.toks[p].as_str();
        // "rejected an offer from X", "calls by X's rulers": the author of a message is the
        // one a response to it is aimed at
        if matches!(w, "from" | "by") && p > floor && coder.cues.has("message", self.cue[p - 1]) {
            return true;
        }
        // "investigating crimes committed by X", "an offer made by X": a participle may
        // stand between the message and its author
        if w == "by" && p > floor + 1 {
            let q = if self.toks[p - 1] == "out" && self.toks[p - 2] == "carried" {
                p - 2
            } else {
                p - 1
            };
            if q > floor
                && AUTHOR_PARTICIPLES.contains(&self.toks[q].as_str())
                && coder.cues.has("message", self.cue[q - 1])
            {
                return true;
            }
        }
        if coder.cues.is("locative", w) || (!passive_agent && w == "by") {
            return false;
        }
        if let Some(s) = coder.cues.phrase_ending("locative", &self.toks, p + 1)
            && s >= floor
        {
            return false;
        }
        true
    }

    /// Is actor `a` the source's own people or forces ("withdraw its troops", "offered
    /// their forces")? Those are what is moved or given, not the party acted upon.
    fn own_forces(&self, a: usize, src: &[usize]) -> bool {
        let Some(sp) = self.aspan(a) else {
            return false;
        };
        let possessive = sp.start > 0
            && matches!(
                self.toks[sp.start - 1].as_str(),
                "its" | "their" | "his" | "her" | "our"
            );
        let m = &self.s.actors[a];
        let forces = matches!(
            m.sector.as_deref(),
            Some("MIL" | "PKO" | "COP" | "REB" | "PRM")
        );
        // "its troops" with the source's country, or forces whose owner is not known
        // yet ("it is willing to withdraw its troops": the pronoun subject is resolved later)
        possessive
            && forces
            && match src.first() {
                Some(&s) => m.country.is_none() || self.s.actors[s].country == m.country,
                None => true,
            }
    }

    /// After an object that is the source's own forces, the party in "from X", "to X",
    /// "into X" or "in X" right after it ("withdraw its troops from Lebanon").
    fn after_own_forces(&self, a: usize, end: usize) -> Option<usize> {
        let sp = self.aspan(a)?;
        let p = sp.end;
        if p >= end || !matches!(self.toks[p].as_str(), "from" | "to" | "into" | "in") {
            return None;
        }
        (0..self.actors.len()).find(|&b| {
            self.aspan(b)
                .is_some_and(|s| s.start > p && s.start <= p + 3 && s.end <= end)
                && !self.speaker[b]
        })
    }

    /// Coordinated actors around `a`, in text order (walking left or right).
    fn group(&self, coder: &Coder, a: usize, left: bool, clause: Span) -> Vec<usize> {
        let mut g = vec![a];
        let mut cur = a;
        loop {
            let next = if left {
                cur.checked_sub(1)
            } else {
                Some(cur + 1).filter(|&n| n < self.actors.len())
            };
            let Some(nx) = next else { break };
            let (Some(x), Some(y)) = (
                self.aspan(if left { nx } else { cur }),
                self.aspan(if left { cur } else { nx }),
            ) else {
                break;
            };
            if x.start < clause.start || y.end > clause.end || self.speaker[nx] {
                break;
            }
            if x.end > y.start {
                break;
            }
            let between = &self.toks[x.end..y.start];
            let all_ok = between.iter().all(|w| {
                coder.cues.is("coordinator", w) || coder.cues.is("determiner", w) || w == ","
            });
            let has_coord = between
                .iter()
                .any(|w| coder.cues.is("coordinator", w) || w == ",");
            let and_phrase = coder
                .cues
                .phrase_ending("coordinator", &self.toks, y.start)
                .is_some_and(|s| s >= x.end);
            if !((all_ok && has_coord) || and_phrase) {
                break;
            }
            if left {
                g.insert(0, nx);
            } else {
                g.push(nx);
            }
            cur = nx;
        }
        g
    }

    fn is_passive(&self, coder: &Coder, t0: usize, floor: usize) -> bool {
        if self.toks[t0].ends_with("ing") {
            return false;
        }
        // "is ready to", "was prepared to", "is committed to": an intention, not a passive
        if matches!(
            self.toks[t0].as_str(),
            "ready" | "willing" | "prepared" | "committed" | "determined" | "eager" | "keen"
        ) && self.toks.get(t0 + 1).is_some_and(|w| w == "to")
        {
            return false;
        }
        let mut j = t0;
        while j > floor {
            j -= 1;
            if coder.cues.has("adverb", self.cue[j]) {
                continue;
            }
            return coder.cues.has("be", self.cue[j]);
        }
        false
    }

    /// Actor after an agent preposition ("by X", "from X") right after token `after`.
    fn agent_after(&self, coder: &Coder, after: usize, end: usize, from_ok: bool) -> Option<usize> {
        let mut j = after;
        let lim = (after + 12).min(end);
        while j < lim {
            let w = self.toks[j].as_str();
            if w == "by" || (from_ok && w == "from") {
                // "by (the) (paramilitary) X": up to two modifiers before the actor
                let mut k = j + 1;
                while k < end && coder.cues.has("determiner", self.cue[k]) {
                    k += 1;
                }
                let lim = (k + 2).min(end);
                let stop = (k..lim)
                    .find(|&x| crate::sentence::is_barrier(&self.toks[x]))
                    .unwrap_or(lim);
                return self
                    .actors
                    .iter()
                    .position(|a| a.is_some_and(|a| a.start > j && a.start <= stop))
                    .filter(|&a| !self.speaker[a]);
            }
            if crate::sentence::is_barrier(w) {
                break;
            }
            j += 1;
        }
        None
    }

    /// Token ranges of appositions between a subject and its verb ("Uzbekistan, another
    /// republic bordering Afghanistan, will …"): `X , … , VERB` with no actor after the
    /// second comma.
    fn appositions(&self, clause: Span, t0: usize) -> Vec<Span> {
        let mut out = Vec::new();
        for a in self.actors.iter().flatten() {
            let p = a.end;
            if p >= t0 || p < clause.start || self.toks[p] != "," {
                continue;
            }
            let Some(q) = (p + 1..t0).find(|&j| self.toks[j] == ",") else {
                continue;
            };
            let actor_after = self
                .actors
                .iter()
                .flatten()
                .any(|b| b.start > q && b.end <= t0);
            if !actor_after {
                out.push(Span { start: p, end: q });
            }
        }
        out
    }

    /// A nearest-before actor that is a subject candidate.
    fn subject_before(
        &self,
        coder: &Coder,
        clause: Span,
        t0: usize,
        floor: usize,
    ) -> Option<usize> {
        let appos = self.appositions(clause, t0);
        (0..self.actors.len())
            .filter(|&a| {
                self.aspan(a)
                    .is_some_and(|s| s.start >= floor.max(clause.start) && s.end <= t0)
            })
            .filter(|&a| {
                self.aspan(a)
                    .is_some_and(|s| !appos.iter().any(|p| s.start > p.start && s.end <= p.end))
            })
            .filter(|&a| self.subject_ok(coder, a, clause.start))
            .max_by_key(|&a| self.aspan(a).map(|s| s.end))
    }
}

#[allow(clippy::too_many_arguments)]
fn build(
    coder: &Coder,
    doc: &AnnotatedDoc,
    para: &ParaCues<'_>,
    sent: &Sent,
    m: &crate::sentence::Match,
    e: &VerbEntry,
    shared: &mut Vec<(usize, usize, Vec<usize>)>,
) -> Built {
    let t0 = m.first();
    let tl = m.last();
    let (clause, kind) = sent.clause_of(t0);
    let cid = sent.clause[t0];
    // "talks hosted by Angola": a past participle followed by "by" is passive too
    let participle = e.pos == Pos::Verb
        && sent.toks[tl].ends_with("ed")
        && sent.toks.get(tl + 1).is_some_and(|w| w == "by");
    let passive =
        e.passive || participle || (e.pos == Pos::Verb && sent.is_passive(coder, t0, clause.start));
    // the next trigger in the same clause bounds the object search (false friends that
    // code nothing do not: "crimes committed by X")
    let next_trig = sent
        .matches
        .iter()
        .filter(|x| !coder.verbs.entries[x.entry].ignore)
        .map(|x| x.first())
        .filter(|&f| f > tl && sent.clause[f] == cid)
        .min()
        .unwrap_or(clause.end);
    let obj_end = next_trig.min(clause.end).min(tl + 14);

    let mut how = SourceHow::Direct;
    let mut src: Vec<usize> = Vec::new();
    let mut tgt: Vec<usize> = Vec::new();
    let mut explicit_target = false;

    // previous verb trigger in this clause (for coordinated verb phrases)
    let prev_verb = shared
        .iter()
        .rev()
        .find(|(c, t, _)| *c == cid && *t < t0)
        .cloned();

    match e.pos {
        Pos::Verb => {
            let subj = match kind {
                ClauseKind::Relative {
                    antecedent: Some(a),
                    object: false,
                } => Some(a),
                ClauseKind::Resumed {
                    antecedent: Some(a),
                } => sent
                    .subject_before(coder, clause, t0, clause.start)
                    .or(Some(a)),
                _ => {
                    let mut s = sent.subject_before(coder, clause, t0, clause.start);
                    if let (Some((_, pt, pg)), Some(a)) = (&prev_verb, s) {
                        // "X attacked Y and killed Z": Y is the first verb's object
                        let after_prev = sent.aspan(a).is_some_and(|sp| sp.start > *pt);
                        let coord =
                            t0 > 0 && (sent.toks[t0 - 1] == "and" || sent.toks[t0 - 1] == ",");
                        if after_prev && coord && !pg.is_empty() {
                            s = pg.first().copied();
                            how = SourceHow::Shared;
                        }
                    }
                    s
                }
            };
            let subj_group = subj
                .map(|a| sent.group(coder, a, true, clause))
                .unwrap_or_default();
            if passive {
                tgt = subj_group;
                if let Some(a) = sent.agent_after(coder, tl + 1, clause.end, true) {
                    src = sent.group(coder, a, false, clause);
                }
            } else {
                src = subj_group;
            }
            if let ClauseKind::Relative {
                antecedent: Some(a),
                object: true,
            } = kind
            {
                tgt = vec![a];
            }
        }
        Pos::Noun => {
            // "between X and Y"
            if sent.toks.get(tl + 1).is_some_and(|w| w == "between")
                && let Some(a) = sent.actor_starting_near(coder, tl + 2, obj_end)
            {
                let g = sent.group(coder, a, false, clause);
                if g.len() >= 2 {
                    src = vec![g[0]];
                    tgt = g[1..].to_vec();
                    explicit_target = true;
                }
            }
            // "X's airstrike", "Russian airstrikes"
            if src.is_empty() {
                let adj = (0..sent.actors.len()).find(|&a| {
                    sent.aspan(a).is_some_and(|s| {
                        s.end <= t0
                            && s.end + 2 >= t0
                            && s.start >= clause.start
                            && !sent.speaker[a]
                            // a word between actor and noun ("Russian military airstrikes")
                            // must be a modifier: not a past-tense verb ("Kenya staged
                            // protests"), and the actor not an oblique ("students in Kenya
                            // held protests")
                            && (s.end == t0
                                || sent.toks[s.end..t0].iter().all(|w| w == "'s")
                                || (!oblique_at(coder, sent, s.start)
                                    && sent.toks[s.end..t0]
                                        .iter()
                                        .all(|w| w.contains('-') || !w.ends_with("ed"))))
                            && sent.toks[s.end..t0].iter().all(|w| {
                                !coder.cues.is("preposition", w)
                                    && !coder.cues.is("locative", w)
                                    && !coder.cues.is("determiner", w)
                                    && !coder.cues.is("be", w)
                                    && !crate::sentence::is_barrier(w)
                                    || w == "'s"
                            })
                    })
                });
                if let Some(a) = adj {
                    src = sent.group(coder, a, true, clause);
                }
            }
            // "an offensive by X"
            if src.is_empty()
                && let Some(a) = sent.agent_after(coder, tl + 1, obj_end.max(tl + 1), e.passive)
            {
                src = sent.group(coder, a, false, clause);
            }
            // "X staged a protest": nearest subject, not across another verb trigger
            if src.is_empty() {
                let floor = sent
                    .matches
                    .iter()
                    .filter(|x| {
                        x.last() < t0
                            && sent.clause[x.first()] == cid
                            && coder.verbs.entries[x.entry].pos == Pos::Verb
                            && !coder.verbs.entries[x.entry].ignore
                            && !coder.verbs.entries[x.entry].defer
                    })
                    .map(|x| x.last() + 1)
                    .max()
                    .unwrap_or(clause.start);
                // "blamed Israel for the bombing", "demanded the withdrawal of …": an event
                // noun in the complement of a verb trigger is that verb's topic, not an event
                // of its own (unless it names its own actor: "the attack by X")
                let verbal_before = sent.matches.iter().any(|x| {
                    let xe = &coder.verbs.entries[x.entry];
                    x.last() < t0
                        && x.last() + 1 == floor
                        && sent.clause[x.first()] == cid
                        && xe.pos == Pos::Verb
                        && matches!(
                            xe.plover.as_str(),
                            "AGREE"
                                | "CONSULT"
                                | "SUPPORT"
                                | "CONCEDE"
                                | "REQUEST"
                                | "ACCUSE"
                                | "REJECT"
                                | "THREATEN"
                        )
                });
                // "US accusations against Iran after attacks on …", "a call for talks": an
                // event noun shortly after a message noun (with no verb trigger between) is
                // what the message is about
                // ("accusations against Iran after attacks on …": across an "after" that
                // only dates the message, too)
                let from = if floor == clause.start
                    && clause.start > 0
                    && matches!(sent.toks[clause.start].as_str(), "after" | "following")
                    && !sent
                        .matches
                        .iter()
                        .any(|x| x.last() < clause.start && x.last() + 8 >= clause.start)
                {
                    clause.start.saturating_sub(4)
                } else {
                    floor
                };
                let message_before = (from.max(t0.saturating_sub(8))..t0)
                    .any(|j| coder.cues.has("message", sent.cue[j]));
                // "envoys expelled by France after a poison attack on …", "sanctions
                // imposed following the bombing": violence named in an "after" phrase as the
                // cause of a diplomatic reaction is that reaction's topic, not a new event
                let reaction_before = plover_is_violent(&e.plover)
                    && floor == clause.start
                    && clause.start > 0
                    && matches!(sent.toks[clause.start].as_str(), "after" | "following")
                    && sent.matches.iter().any(|x| {
                        let xe = &coder.verbs.entries[x.entry];
                        // (a reaction by a named party: not "a man accused of …")
                        let (xc, _) = sent.clause_of(x.first());
                        let party = sent
                            .actors
                            .iter()
                            .flatten()
                            .any(|a| a.start >= xc.start && a.end <= clause.start);
                        party
                            && x.last() < clause.start
                            && x.last() + 8 >= clause.start
                            && xe.pos == Pos::Verb
                            && !xe.ignore
                            && (matches!(
                                xe.plover.as_str(),
                                "SANCTION" | "ACCUSE" | "REJECT" | "REQUEST" | "THREATEN"
                            ) || xe.cameo == "174")
                    });
                if verbal_before || message_before || reaction_before {
                    return Built::Nothing;
                }
                if let Some(a) = sent.subject_before(coder, clause, t0, floor) {
                    src = sent.group(coder, a, true, clause);
                } else if let ClauseKind::Resumed {
                    antecedent: Some(a),
                } = kind
                {
                    src = vec![a];
                }
            }
            if passive && !src.is_empty() && tgt.is_empty() {
                // "came under attack from X": subject is the target
                std::mem::swap(&mut src, &mut tgt);
                if let Some(a) = sent.agent_after(coder, tl + 1, clause.end, true) {
                    src = sent.group(coder, a, false, clause);
                }
            }
        }
    }

    // "Britain said Libya must hand over the suspects": the speaker demands, the subject is
    // the one asked
    if e.speaker {
        let speaker = (0..sent.actors.len()).find(|&a| {
            sent.speaker[a] && !matches!(sent.s.actors[a].sector.as_deref(), Some("MED" | "JRN"))
        });
        let Some(sp) = speaker else {
            return Built::Nothing;
        };
        tgt = src.clone();
        src = vec![sp];
        tgt.retain(|&a| a != sp);
    }
    // object / "with X" / "to X" ("aid against X" is not aid to X)
    let cooperative = matches!(
        e.plover.as_str(),
        "AGREE" | "CONSULT" | "SUPPORT" | "COOPERATE" | "AID"
    );
    // entries without an object ("protested", "riots") still take an "against X" target
    let against_before = |a: usize| {
        sent.aspan(a)
            .is_some_and(|sp| (tl + 1..sp.start).any(|j| sent.toks[j] == "against"))
    };
    if tgt.is_empty() && !(passive && e.pos == Pos::Verb) {
        let cand = (0..sent.actors.len()).find(|&a| {
            sent.aspan(a).is_some_and(|s| {
                s.start > t0
                    && s.end <= obj_end.max(s.start + 1).min(clause.end)
                    && s.start < obj_end
                    && !(s.start..s.end).contains(&t0)
            }) && !src.contains(&a)
                && (!e.notarget || against_before(a))
                && (sent.target_ok(coder, a, clause.start, false) || e.notarget)
                // "X and his counterpart Y discussed threats from Z": a reciprocal event
                // between a coordinated subject keeps its parties
                && !(e.recip
                    && src.len() >= 2
                    && sent
                        .head_before(coder, sent.aspan(a).map_or(0, |s| s.start), clause.start)
                        .is_some_and(|p| matches!(sent.toks[p].as_str(), "from" | "by")))
                && !(cooperative
                    && sent
                        .head_before(coder, sent.aspan(a).map_or(0, |s| s.start), clause.start)
                        .is_some_and(|p| sent.toks[p] == "against"))
        });
        if let Some(a) = cand {
            // "refused to deploy peacekeepers in Iraq": forces of no known country that the
            // trigger itself names are what the source sends, not the party acted upon
            let named_forces = sent
                .aspan(a)
                .is_some_and(|sp| m.toks.contains(&(sp.end - 1)))
                && sent.s.actors[a].country.is_none()
                && matches!(
                    sent.s.actors[a].sector.as_deref(),
                    Some("MIL" | "PKO" | "COP" | "PRM")
                );
            if sent.own_forces(a, &src) || named_forces {
                // "offered its troops to Lebanon's president": the troops are the theme
                let end = obj_end
                    .max(sent.aspan(a).map_or(0, |s| s.end) + 4)
                    .min(clause.end);
                if let Some(b) = sent.after_own_forces(a, end) {
                    tgt = sent.group(coder, b, false, clause);
                    tgt.retain(|x| !src.contains(x));
                    explicit_target = true;
                }
            } else {
                tgt = sent.group(coder, a, false, clause);
                tgt.retain(|x| !src.contains(x));
                explicit_target = true;
            }
        }
    }

    // "complained to the UN over Israeli air raids": the one complained to is an addressee;
    // whom the complaint is about, named after "over"/"about"/"against", is the target
    if e.plover == "ACCUSE"
        && let Some(&t) = tgt.first()
        && let Some(ts) = sent.aspan(t)
        && sent
            .head_before(coder, ts.start, clause.start)
            .is_some_and(|p| sent.toks[p] == "to")
    {
        let lim = obj_end.max(ts.end + 8).min(clause.end);
        let about = (0..sent.actors.len()).find(|&a| {
            sent.aspan(a).is_some_and(|sp| {
                sp.start > ts.end
                    && sp.end <= lim
                    && (ts.end..sp.start)
                        .any(|j| matches!(sent.toks[j].as_str(), "over" | "about" | "against"))
                    && (ts.end..sp.start).all(|j| !crate::sentence::is_barrier(&sent.toks[j]))
            }) && !src.contains(&a)
                && !tgt.contains(&a)
                && !sent.speaker[a]
        });
        if let Some(a) = about {
            tgt = sent.group(coder, a, false, clause);
            tgt.retain(|x| !src.contains(x));
        }
    }

    // a protest's target is what it opposes or demands, often in a purpose phrase after
    // it: "began a hunger strike to protest against X's decision", "blocked roads demanding
    // the resignation of President X", "in defiance of X"
    if tgt.is_empty() && e.plover == "PROTEST" {
        let lim = (tl + PROTEST_TARGET_WINDOW).min(clause.end);
        let cand = (0..sent.actors.len()).find(|&a| {
            sent.aspan(a).is_some_and(|sp| {
                sp.start > tl
                    && sp.end <= lim
                    && (tl + 1..sp.start).any(|j| coder.cues.has("protest-object", sent.cue[j]))
            }) && !src.contains(&a)
                && !sent.speaker[a]
        });
        if let Some(a) = cand {
            tgt = vec![a];
            explicit_target = true;
        }
    }
    if src.is_empty() {
        // anaphoric event mention: "the phone call", "the parties discussed"
        // single words ("the phone call") only before event nouns; phrases ("the parties
        // discussed") before verbs too
        let definite = (e.pos == Pos::Noun
            && (t0.saturating_sub(2).max(clause.start)..t0)
                .any(|j| coder.cues.has("anaphor", sent.cue[j])))
            || coder
                .cues
                .phrase_within("anaphor", &sent.toks, clause.start, t0, 2);
        let no_actor_before = !sent
            .actors
            .iter()
            .flatten()
            .any(|a| a.start >= clause.start && a.end <= t0);
        // (nothing comes before an article's first sentence to refer back to: "the
        // shoot-out between bandits and soldiers left four dead" opening a report is news)
        let first_news = sent.s.index == 0 && e.acled.is_some();
        if definite && no_actor_before && !first_news {
            return Built::Anaphor;
        }
    }
    // reported speech (after anaphora): "X said it would…", "X announced sanctions on Y"
    if src.is_empty() && !passive {
        let pron = (clause.start..t0)
            .rev()
            .find(|&j| coder.cues.has("pronoun", sent.cue[j]));
        let no_actor_between = |from: usize| {
            !sent
                .actors
                .iter()
                .flatten()
                .any(|a| a.start >= from && a.end <= t0)
        };
        let after_frame = clause.start > 0
            && sent.frame[clause.start - 1]
            && t0 - clause.start <= 4
            && no_actor_between(clause.start);
        if pron.is_some_and(no_actor_between) || after_frame {
            let speakers: Vec<usize> = (0..sent.actors.len())
                .filter(|&a| {
                    sent.speaker[a]
                        && !matches!(sent.s.actors[a].sector.as_deref(), Some("MED" | "JRN"))
                })
                .collect();
            // prefer a speaker whose country is known ("King X of Morocco")
            let speaker = speakers
                .iter()
                .copied()
                .find(|&a| sent.s.actors[a].country.is_some())
                .or(speakers.first().copied());
            if let Some(a) = speaker {
                src = vec![a];
                how = SourceHow::Inherited;
            }
        }
    }

    if src.is_empty() {
        let violent = matches!(e.plover.as_str(), "ASSAULT" | "COERCE");
        let placed = sent.places.iter().zip(&sent.s.places).any(|(sp, p)| {
            sp.is_some_and(|sp| sp.start >= clause.start && sp.end <= clause.end)
                && p.location.is_some()
        });
        // an event with an ACLED type ("weapons were seized", "shops were looted", "a
        // protest was held") is news without a known actor
        // a passive verb without an agent still tells what was done to its subject ("the
        // minister has been accused of corruption", "the envoy was summoned")
        // (the subject itself, right before its auxiliary: not an actor inside the subject,
        // "demands for a new prime minister are met")
        let passive_done = passive
            && e.pos == Pos::Verb
            && tgt.first().and_then(|&a| sent.aspan(a)).is_some_and(|sp| {
                sp.end < t0
                    && sp.start >= clause.start
                    && sent.toks[sp.end..t0].iter().all(|w| {
                        coder.cues.is("be", w)
                            || coder.cues.is("adverb", w)
                            || matches!(w.as_str(), "has" | "have" | "had")
                    })
            });
        if (violent && (!tgt.is_empty() || (e.plover == "ASSAULT" && placed)))
            || e.acled.is_some()
            || passive_done
        {
            how = SourceHow::Unknown;
        } else {
            return Built::Nothing;
        }
    }
    if e.pos == Pos::Verb {
        shared.push((cid, t0, src.clone()));
    }

    // reciprocal: "X and his counterpart Y discussed"
    let mut parties: Vec<usize> = Vec::new();
    if e.recip && tgt.is_empty() && src.len() >= 2 {
        parties = src.clone();
        if src.len() == 2 {
            tgt = vec![src[1]];
        }
        src.truncate(1);
    } else if src.len() > 1 || tgt.len() > 1 {
        parties = src.iter().chain(tgt.iter()).copied().collect();
    }

    let source = src
        .first()
        .map(|&a| actor(&sent.s.actors[a]))
        .unwrap_or_else(unknown_actor);
    let mut target = tgt
        .iter()
        .find(|&&a| !src.contains(&a))
        .map(|&a| actor(&sent.s.actors[a]));
    if target.as_ref().is_some_and(|t| {
        t.code == source.code
            && (t.text == source.text || (t.name.is_some() && t.name == source.name))
    }) {
        target = None;
    }
    if e.plover == "MOBILIZE"
        && target
            .as_ref()
            .is_some_and(|t| t.country.is_some() && t.country == source.country)
    {
        target = None; // "Serbia placed its army on alert": the army is mobilized, not targeted
    }
    let location = pick_location(coder, doc, sent, clause, m);
    // implied targets: a visit's host is the country visited ("arrived in Amman"); a
    // protest with no named target is addressed to its own country's government
    let real = |c: &str| {
        c.len() == 3 && !matches!(c, "IGO" | "UNO" | "EUR" | "NGO" | "ISM" | "IMG" | "MNC")
    };
    if target.is_none() && e.mode.as_deref() == Some("visit") && e.plover == "CONSULT" {
        let dl = doc.dateline.as_ref().and_then(|p| p.location.as_ref());
        if let Some(l) = &location
            && dl != Some(l)
            && let Some(c) = &l.country
            && source.country.as_ref() != Some(c)
        {
            target = Some(Actor {
                text: l.name.clone(),
                code: c.clone(),
                country: Some(c.clone()),
                sector: None,
                name: None,
            });
        }
    }
    // an action on a place with no named target ("lifted the curfew in X", "shelled X",
    // "strengthened its forces in X") targets the country of that place
    if target.is_none()
        && matches!(
            e.plover.as_str(),
            "ASSAULT"
                | "COERCE"
                | "MOBILIZE"
                | "RETREAT"
                | "CONCEDE"
                | "SANCTION"
                | "AID"
                | "THREATEN"
                | "AGREE"
        )
    {
        let dl = doc.dateline.as_ref().and_then(|p| p.location.as_ref());
        // (violence "in" a whole country says little about whom it hit)
        let too_wide = l_prec(&location) == "border"
            || (e.plover == "ASSAULT" && l_prec(&location) == "country");
        if let Some(l) = &location
            && dl != Some(l)
            && !too_wide
            && let Some(c) = l.country.clone().filter(|c| real(c))
            // ("threatened to close its border in X": no threat to itself)
            && (e.plover != "THREATEN" || source.country.as_ref() != Some(&c))
        {
            target = Some(Actor {
                text: l.name.clone(),
                code: c.clone(),
                country: Some(c),
                sector: None,
                name: None,
            });
        }
    }
    if target.is_none()
        && e.plover == "PROTEST"
        && let Some(c) = source.country.clone().filter(|c| real(c))
        && source.sector.as_deref() != Some("GOV")
    {
        target = Some(Actor {
            text: String::new(),
            code: format!("{c}GOV"),
            country: Some(c),
            sector: Some("GOV".into()),
            name: None,
        });
    }
    // CAMEO's convention for violence by an unnamed perpetrator: the unidentified armed
    // force (UAF) of the country where it happened ("a roadside bomb near Samarra")
    let mut source = source;
    let mut implied_uaf = false;
    if plover_is_violent(&e.plover) && source.code == "---" && e.plover == "ASSAULT" {
        let c = location
            .as_ref()
            .filter(|l| l.precision != "country" || doc.dateline.is_none())
            .and_then(|l| l.country.clone())
            .or_else(|| target.as_ref().and_then(|t| t.country.clone()))
            .filter(|c| real(c));
        if let Some(c) = c {
            source = Actor {
                text: String::new(),
                code: format!("{c}UAF"),
                country: Some(c),
                sector: Some("UAF".into()),
                name: None,
            };
            implied_uaf = true;
        }
    }
    // a party acted upon that the text gives no country: victims of violence belong to
    // the place it happened at ("killed 23 people in Tel Aviv"); arrests, and what judges
    // and police do, stay at home ("an Argentine judge ordered a former president …")
    if let Some(t) = target.as_mut()
        && t.country.is_none()
        && t.code.starts_with("---")
    {
        let domestic =
            e.plover == "COERCE" || matches!(source.sector.as_deref(), Some("JUD" | "COP"));
        let fill = if e.plover == "ASSAULT" {
            location
                .as_ref()
                .filter(|l| l.precision != "country" && l.precision != "border")
                .and_then(|l| l.country.clone())
        } else if domestic && !implied_uaf {
            source.country.clone()
        } else {
            None
        }
        .filter(|c| real(c));
        if let Some(c) = fill {
            t.code = format!("{c}{}", &t.code[3..]);
            t.country = Some(c);
        }
    }
    let any_country = source.country.is_some()
        || target.as_ref().is_some_and(|t| t.country.is_some())
        || parties.iter().any(|&a| sent.s.actors[a].country.is_some())
        || location.as_ref().is_some_and(|l| l.country.is_some());
    // An event whose actors and place have no country at all is kept only when it is a
    // violent, protest or strategic event with an ACLED type (checked below): "gunmen killed
    // four villagers" is news even where the village is unknown.

    // status
    let (date, date_from_clause) = pick_date(doc, sent, clause, m);
    let (mut status, refusal) = status_of(coder, sent, clause, kind, t0, e);
    if status == Status::Occurred
        && let (Some(d), Some(ad)) = (&date, doc.article.date)
        && d.date > ad
    {
        status = Status::Planned;
    }

    // code: topic refinement, then planned cooperation → AGREE
    let mut acled = e.acled.clone();
    let mut code = e.cameo.clone();
    let mut plover = e.plover.clone();
    let mut mode = e.mode.clone();
    if !e.topics.is_empty() {
        // the entry's topic with the most topic words in the clause; ties go to the topic
        // with a word nearest the trigger
        let stats = |t: &str| {
            let hits: Vec<usize> = (clause.start..clause.end)
                .filter(|&j| {
                    coder
                        .cues
                        .topic_words
                        .get(sent.toks[j].as_str())
                        .is_some_and(|x| x == t)
                })
                .collect();
            let near = hits
                .iter()
                .map(|&j| if j < t0 { t0 - j } else { j.saturating_sub(tl) })
                .min()
                .unwrap_or(usize::MAX);
            (hits.len(), std::cmp::Reverse(near))
        };
        let best = e
            .topics
            .iter()
            .map(|(t, c)| (stats(t), c))
            .filter(|((n, _), _)| *n > 0)
            .max_by_key(|(k, _)| *k)
            .map(|(_, c)| c.clone());
        if let Some(c) = best {
            code = c;
        }
    }
    // "French and Egyptian warships launched war games": a show of force by the forces of
    // two or more countries together is military cooperation (PLOVER: joint exercises are
    // COOPERATE, single-country ones MOBILIZE)
    if code == "150" && plover == "MOBILIZE" {
        let mut countries: Vec<&str> = src
            .iter()
            .filter_map(|&a| sent.s.actors[a].country.as_deref())
            .collect();
        countries.sort_unstable();
        countries.dedup();
        if countries.len() >= 2
            && let Some(c) = coder.cameo.get("062")
        {
            code = c.code.clone();
            plover = c.plover.clone();
            mode = None;
            acled = None;
        }
    }
    // "seven smugglers were captured": the passive subject is the person taken
    // "captured two NPA camps": an actor naming the owner of a place is no person taken
    let place_owner = tgt.first().is_some_and(|&a| {
        sent.aspan(a)
            .and_then(|sp| sent.toks.get(sp.end))
            .is_some_and(|w| coder.cues.is("territory", w))
    });
    let person_subject = passive
        && e.pos == Pos::Verb
        && tgt.first().is_some_and(|&a| {
            !matches!(
                sent.s.actors[a].kind,
                ActorKind::Country | ActorKind::Capital
            )
        });
    if (explicit_target || person_subject)
        && !place_owner
        && let Some(p) = &e.person
    {
        code = p.clone();
        if let Some(c) = coder.cameo.get(p) {
            plover = c.plover.clone();
            mode = c.mode.clone();
        }
        acled = None;
    }
    // "refused to meet", "declined to resign": a refused cooperation is a REJECT that happened
    // (any refused action is a rejection: "refused to respond to a demand")
    if refusal && plover != "REJECT" {
        code = refusal_code(&code).to_string();
        plover = "REJECT".into();
        mode = coder.cameo.get(&code).and_then(|c| c.mode.clone());
        acled = None;
        status = Status::Occurred;
    }
    // "expelled three Russian diplomats": expelling another state's officials is a
    // diplomatic sanction (166), not the deportation of individuals (174)
    if code == "174"
        && let Some(t) = &target
        && t.sector.as_deref() == Some("GOV")
        && t.country.is_some()
        && t.country != source.country
        && let Some(c) = coder.cameo.get("166")
    {
        code = c.code.clone();
        plover = c.plover.clone();
        mode = c.mode.clone();
    }
    // "would meet the envoy if he …", "may halt its mediation if …": what an actor says it
    // would do on a condition is an offer or a threat (planned), not a mere possibility
    let conditioned = status == Status::Hypothetical
        && kind != ClauseKind::Conditional
        && how != SourceHow::Unknown
        && (clause.start..t0).any(|j| coder.cues.has("modal", sent.cue[j]))
        && sent
            .clauses
            .iter()
            .any(|(sp, k)| *k == ClauseKind::Conditional && *sp != clause);
    if conditioned {
        status = Status::Planned;
    }
    // "announced it would cut all aid to X", "decided to allow X to run": the decision
    // itself sanctions or concedes
    // (an administrative act: an expulsion or withdrawal, 166x, still has to be carried out:
    // "announced that he will withdraw the inspectors" is a threat)
    let decided = matches!(plover.as_str(), "SANCTION" | "CONCEDE")
        && !code.starts_with("166")
        && (clause.start.saturating_sub(3)..t0).any(|j| coder.cues.has("decision", sent.cue[j]));
    if status == Status::Planned && decided {
        if plover == "CONCEDE" {
            status = Status::Occurred;
        }
    } else if status == Status::Planned {
        // PLOVER: future cooperation is AGREE, a future retreat is CONCEDE, and a promised
        // sanction, coercion or attack is a THREATEN
        let coop = matches!(plover.as_str(), "CONSULT" | "SUPPORT" | "COOPERATE" | "AID");
        // (a promised concession — "is prepared to lift the ban" — is an intent to yield, 035x)
        let retreat = plover == "RETREAT" || plover == "CONCEDE";
        let conflict = matches!(
            plover.as_str(),
            "SANCTION" | "COERCE" | "ASSAULT" | "PROTEST"
        );
        if let Some(c) = coder.cameo.get(&code)
            && let Some(i) = c.intent.clone()
            && (coop || retreat || conflict)
        {
            let imode = c.intent_mode.clone();
            code = i;
            if coop {
                plover = "AGREE".into();
                mode = None;
            } else if retreat {
                // the PLOVER gold records code promised releases, returns, withdrawals
                // and evacuations as AGREE, like any other future cooperation
                plover = "AGREE".into();
                mode = None;
            } else {
                plover = "THREATEN".into();
                mode = imode.or_else(|| coder.cameo.get(&code).and_then(|x| x.mode.clone()));
                acled = None;
            }
        }
    }
    // "threatened to deliver blows", "will withdraw its force unless …": an action made
    // conditional on the other side's conduct, or announced as a threat, is a THREATEN
    let threat_word = (clause.start..t0).any(|j| sent.toks[j].starts_with("threat"));
    let unless = status == Status::Planned
        && ((tl + 1..sent.toks.len()).any(|j| sent.toks[j] == "unless")
            || (conditioned && matches!(plover.as_str(), "SANCTION" | "COERCE" | "ASSAULT")));
    // ("will boycott the vote unless …": a refusal made conditional is a threat too)
    if ((threat_word && plover != "REJECT") || unless) && plover != "THREATEN" {
        let c = coder
            .cameo
            .get(&code)
            .and_then(|c| c.intent.clone())
            .filter(|i| i.starts_with("13"))
            .unwrap_or_else(|| "130".into());
        mode = coder.cameo.get(&c).and_then(|x| x.mode.clone());
        code = c;
        plover = "THREATEN".into();
        acled = None;
    }
    // "its aircraft struck …", "warplanes attacked …": violence by an air asset is an air
    // (or drone) strike whatever the verb
    if plover == "ASSAULT" && matches!(code.as_str(), "190" | "193" | "194") {
        let words: Vec<String> = source
            .text
            .split_whitespace()
            .map(|w| w.to_lowercase())
            .collect();
        let drone = coder.cues.occurs("means:drone", &words);
        // ("suicide bombers killed …" were no aircraft)
        let suicide = coder.cues.occurs("means:suicide", &words);
        if !suicide && (drone || coder.cues.occurs("means:air", &words)) {
            code = "195".into();
            mode = Some(if drone { "drone" } else { "aerial" }.into());
            acled = Some((
                "Explosions/Remote violence".into(),
                "Air/drone strike".into(),
            ));
        }
    }
    // accidents and disasters kill too: no violent event without an armed or state source
    // (property destroyed, 1712, too: "the quake destroyed homes")
    if (plover == "ASSAULT" || code == "1712") && para.occurs(sent.s.index, "disaster") {
        let armed = matches!(
            source.sector.as_deref(),
            Some("MIL" | "REB" | "UAF" | "COP" | "PRM" | "SPY" | "CRM")
        ) || source.code.starts_with("IMG");
        if !armed || implied_uaf {
            return Built::Nothing;
        }
    }
    // troops sent out in a flood or a snowstorm bring relief: no change of armed activity
    let relief = plover == "MOBILIZE" && para.occurs(sent.s.index, "disaster");
    if relief {
        acled = None;
    }
    // a "protest" by a state or an international body is diplomatic (ACCUSE); armed actors
    // do not protest
    if plover == "PROTEST" {
        let sector = source.sector.as_deref().unwrap_or("");
        let statelike = src.first().is_some_and(|&a| {
            let m = &sent.s.actors[a];
            let code = m.code.as_str();
            matches!(m.kind, ActorKind::Country | ActorKind::Capital)
                || (m.kind == ActorKind::Organisation
                    && (sector == "GOV"
                        // "the EU protested to …", "Amnesty protested against …": an
                        // international body's or a rights group's verbal protest is a
                        // statement ("G20 protests", "held a protest" stay protests)
                        // (the past tense: "G20 protests" is a headline's noun)
                        || (e.pos == Pos::Verb
                            && sent.toks[t0].ends_with("ed")
                            && ["IGO", "UNO", "EUR", "NGO"]
                                .iter()
                                .any(|p| code.starts_with(p)))))
        });
        if matches!(sector, "MIL" | "REB" | "UAF" | "COP" | "SPY" | "PRM") {
            // ("rebels blocked the roads into the capital": an obstruction by armed men is
            // still PLOVER's obstruct, but no ACLED protest)
            if !code.starts_with("144") {
                return Built::Nothing;
            }
            acled = None;
        }
        if statelike && e.cameo.starts_with("14") {
            code = "111".into();
            plover = "ACCUSE".into();
            mode = Some("disapprove".into());
            acled = None;
        }
    }
    // civilians clashing with police or soldiers: a riot; with each other: mob violence
    if plover == "ASSAULT" && code == "190" {
        let ss = source.sector.as_deref().unwrap_or("");
        let ts = target
            .as_ref()
            .and_then(|t| t.sector.as_deref())
            .unwrap_or("");
        let clash = m.toks.iter().any(|&j| coder.cues.has("clash", sent.cue[j]));
        let civ = |x: &str| matches!(x, "CVL" | "OPP" | "LAB" | "EDU");
        let force = |x: &str| matches!(x, "COP" | "MIL");
        // (either way round for two-sided words: "police clashed with protesters")
        if (civ(ss) && force(ts)) || (clash && force(ss) && civ(ts)) {
            code = "145".into();
            plover = "PROTEST".into();
            mode = Some("riot".into());
            acled = Some(("Riots".into(), "Violent demonstration".into()));
        } else if ss == "CVL" && (ts == "CVL" || ts.is_empty()) {
            acled = Some(("Riots".into(), "Mob violence".into()));
        }
    }
    // ACLED strategic developments for moves of armed forces: a show of force or a
    // deployment changes a group's activity; a withdrawal that hands ground to another side
    // ("withdrew …, allowing X to take over", "handed control to") is a non-violent transfer
    let armed_src = matches!(
        source.sector.as_deref(),
        Some("MIL" | "REB" | "UAF" | "PRM" | "PKO")
    ) || source.code.starts_with("IMG");
    if acled.is_none() && plover == "MOBILIZE" && armed_src && !relief {
        acled = Some((
            "Strategic developments".into(),
            "Change to group/activity".into(),
        ));
    }
    if acled.is_none()
        && plover == "RETREAT"
        && armed_src
        && matches!(mode.as_deref(), Some("withdraw" | "disarm"))
    {
        let handover =
            (clause.start..sent.toks.len()).any(|j| coder.cues.has("handover", sent.cue[j]));
        acled = Some((
            "Strategic developments".into(),
            if handover {
                "Non-violent transfer of territory".into()
            } else {
                "Change to group/activity".into()
            },
        ));
    }
    // taking territory needs a place taken: "captured the town", "seized Palmyra", not
    // "captured footage" or "seized nine pistols"
    if code == "192"
        && acled.as_ref().is_some_and(|(_, s)| {
            matches!(
                s.as_str(),
                "Non-state actor overtakes territory" | "Government regains territory"
            )
        })
    {
        let end = obj_end.max(tl + 1).min(sent.toks.len());
        let place_after = sent
            .places
            .iter()
            .flatten()
            .any(|sp| sp.start > tl && sp.start < end)
            || (0..sent.actors.len()).any(|a| {
                sent.aspan(a)
                    .is_some_and(|sp| sp.start > tl && sp.start < end)
                    && matches!(
                        sent.s.actors[a].kind,
                        ActorKind::Country | ActorKind::Capital
                    )
            });
        let territory_word = m
            .toks
            .iter()
            .copied()
            .chain(tl + 1..end)
            .any(|j| coder.cues.has("territory", sent.cue[j]));
        // a passive subject that is a place ("the town was captured") is the territory too
        let place_subject = passive
            && sent
                .places
                .iter()
                .flatten()
                .any(|sp| sp.start >= clause.start && sp.end <= t0);
        if !(place_after || territory_word || place_subject) {
            acled = None;
        }
    }
    // ACLED
    if let Some((t, s)) = &mut acled {
        let src_sector = source.sector.as_deref().unwrap_or("");
        let tgt_sector = target
            .as_ref()
            .and_then(|t| t.sector.as_deref())
            .unwrap_or("");
        if s == "Non-state actor overtakes territory" && matches!(src_sector, "GOV" | "MIL" | "COP")
        {
            *s = "Government regains territory".into();
        }
        let civilian_object = target.is_none()
            && (tl + 1..obj_end.min(tl + 6)).any(|j| coder.cues.has("civilian", sent.cue[j]));
        if s == "Government regains territory"
            && (matches!(src_sector, "REB" | "UAF" | "PRM" | "OPP" | "CRM")
                || source.code.starts_with("IMG"))
        {
            *s = "Non-state actor overtakes territory".into();
        }
        // ACLED's armed clash needs two armed sides: an attack whose other side is not
        // armed (or not named) and whose trigger is not itself two-sided ("clashes",
        // "fighting") is an attack on civilians
        let armed = |sec: &str| {
            matches!(
                sec,
                "MIL" | "REB" | "UAF" | "COP" | "PRM" | "PKO" | "SPY" | "GOV"
            )
        };
        let armed_other = sent
            .s
            .actors
            .iter()
            .enumerate()
            // (a source of the report is no side: "…, police said")
            .any(|(i, a)| {
                !src.contains(&i)
                    && !sent.speaker[i]
                    && a.code != source.code
                    && a.sector.as_deref().is_some_and(armed)
            });
        let two_sided = m.toks.iter().any(|&j| coder.cues.has("clash", sent.cue[j]));
        // "protesters clashed with police", "clashes broke out between police and
        // demonstrators": a two-sided fight at a protest is a violent demonstration
        if t == "Battles"
            && s == "Armed clash"
            && two_sided
            && coder.cues.occurs("protest:crowd", &sent.toks)
        {
            *t = "Riots".into();
            *s = "Violent demonstration".into();
        }
        if t == "Battles"
            && s == "Armed clash"
            && (CIVILIAN_SECTORS.contains(&tgt_sector)
                || civilian_object
                || (!armed(tgt_sector) && !armed_other && !two_sided))
        {
            *t = "Violence against civilians".into();
            *s = "Attack".into();
        }
    }
    let acled =
        acled.filter(|_| matches!(status, Status::Occurred | Status::Claimed) || plover == "AGREE");
    if !any_country && (acled.is_none() || !(status == Status::Occurred || plover == "AGREE")) {
        return Built::Nothing;
    }

    // evidence
    let text = &doc.article.text;
    let tk = &sent.tk;
    let mut trigger = String::new();
    for (k, &t) in m.toks.iter().enumerate() {
        if k > 0 {
            trigger.push_str(if t == m.toks[k - 1] + 1 { " " } else { " … " });
        }
        trigger.push_str(&tk[t].text(&sent.s.tokens));
    }
    let evidence = Evidence {
        article_id: doc.article.id.clone(),
        sentence: sent.s.index,
        text: sent.s.text.clone(),
        trigger,
        start: char_offset(text, tk[t0].start),
        end: char_offset(text, tk[tl].end),
        sentence_start: char_offset(text, sent.s.start),
        sentence_end: char_offset(text, sent.s.end),
    };

    // "threatened to stop the talks if the United States goes ahead with …", "will boycott
    // the vote unless the president resigns": the one a conditional threat is aimed at is
    // the subject of its condition
    if plover == "THREATEN"
        && target.is_none()
        && let Some(c) =
            (tl + 1..sent.toks.len()).find(|&j| matches!(sent.toks[j].as_str(), "if" | "unless"))
        && let Some(a) = (0..sent.s.actors.len()).find(|&a| {
            sent.aspan(a)
                .is_some_and(|sp| sp.start > c && sp.start <= c + 3)
                && !sent.speaker[a]
                && !src.contains(&a)
        })
    {
        target = Some(actor(&sent.s.actors[a]));
    }

    // confidence
    let mut conf: f64 = 0.55;
    if e.literals >= 2 {
        conf += 0.15;
    }
    if target.is_some() || e.notarget || parties.len() > 1 {
        conf += 0.1;
    }
    if explicit_target && e.pos == Pos::Noun {
        conf += 0.05;
    }
    if e.pos == Pos::Noun {
        conf -= 0.05;
    }
    if date_from_clause {
        conf += 0.05;
    }
    conf -= match how {
        SourceHow::Direct => 0.0,
        SourceHow::Shared => 0.05,
        SourceHow::Inherited => 0.15,
        SourceHow::Unknown => 0.2,
    };
    let confidence = (conf.clamp(0.05, 0.99) * 100.0).round() / 100.0;

    let Some(cc) = coder.cameo.get(&code) else {
        return Built::Nothing;
    };
    let ev = Event {
        aggregate: None,
        id: String::new(),
        date,
        date_precision: date.map(|d| d.precision),
        plover,
        mode,
        cameo: cc.code.clone(),
        goldstein: cc.goldstein,
        quad_class: cc.quad_class,
        acled: acled.map(|(event_type, sub_event_type)| Acled {
            event_type,
            sub_event_type,
        }),
        status,
        source,
        target,
        parties: parties.iter().map(|&a| actor(&sent.s.actors[a])).collect(),
        location,
        evidence,
        confidence,
    };
    Built::Event(Box::new(ev))
}

impl Sent<'_> {
    fn actor_starting_near(&self, coder: &Coder, from: usize, end: usize) -> Option<usize> {
        let mut k = from;
        while k < end && coder.cues.has("determiner", self.cue[k]) {
            k += 1;
        }
        self.actor_starting(k).filter(|&a| !self.speaker[a])
    }
}

/// Is the token span starting at `start` an oblique ("in Kenya", "throughout the region"):
/// right after a preposition or locative word, determiners skipped?
fn oblique_at(coder: &Coder, sent: &Sent, start: usize) -> bool {
    let mut j = start;
    while j > 0 {
        j -= 1;
        let bits = sent.cue[j];
        if coder.cues.has("determiner", bits) {
            continue;
        }
        return coder.cues.has("preposition", bits) || coder.cues.has("locative", bits);
    }
    false
}

fn l_prec(l: &Option<Location>) -> &str {
    l.as_ref().map(|l| l.precision.as_str()).unwrap_or("")
}

fn plover_is_violent(p: &str) -> bool {
    matches!(p, "ASSAULT" | "COERCE")
}

/// The CAMEO 12x code for refusing the cooperative action `code`.
fn refusal_code(code: &str) -> &'static str {
    match code {
        "0831" => "1231",
        "061" | "0311" => "1211",
        "062" | "0312" => "1212",
        "071" | "0331" => "1221",
        "072" | "0332" => "1222",
        "073" | "0333" => "1223",
        "074" | "0334" => "1224",
        "084" | "0841" | "0842" | "0353" => "1243",
        "085" | "0354" => "1244",
        "086" | "0861" | "0862" | "0863" | "0355" => "1245",
        "087" | "0871" | "0872" | "0873" | "0874" | "0356" => "1246",
        c if c.starts_with("04") || c == "036" => "125",
        c if c.starts_with("06") || c.starts_with("031") => "121",
        c if c.starts_with("07") || c.starts_with("033") => "122",
        c if c.starts_with("08") || c.starts_with("035") => "124",
        _ => "120",
    }
}

fn status_of(
    coder: &Coder,
    sent: &Sent,
    clause: Span,
    kind: ClauseKind,
    t0: usize,
    e: &VerbEntry,
) -> (Status, bool) {
    let toks = &sent.toks;
    let near = t0.saturating_sub(4).max(clause.start);
    let wide = t0.saturating_sub(7).max(clause.start);
    let any_word = |cat: &str, from: usize| {
        let m = coder.cues.mask(cat);
        (from..t0).any(|j| sent.cue[j] & m != 0)
    };
    let any_phrase = |cat: &str, from: usize| {
        coder
            .cues
            .phrase_ending_after(cat, toks, &sent.cue_end, from, t0)
    };
    // a negation does not reach across "and"/"but"/"," ("denied X and accused Y")
    let scope = (clause.start..t0)
        .rev()
        .find(|&j| matches!(toks[j].as_str(), "and" | "but" | ","))
        .map_or(clause.start, |j| j + 1);
    let near = near.max(scope);
    // modality reaches a coordinated past-tense verb only within its own conjunct
    // ("would respond … and accused X"), a bare verb keeps it ("will meet and sign")
    let mscope = if toks[t0].ends_with("ed") {
        scope
    } else {
        clause.start
    };
    let wide = wide.max(mscope);
    if any_phrase("refusal", wide.max(scope)) {
        return (Status::Denied, true);
    }
    if any_phrase("negation", near) || any_phrase("negation-verb", wide.max(scope)) {
        // "will not accept", "would not meet": a negated future is a refusal
        let future = (near.saturating_sub(2).max(clause.start)..t0)
            .any(|j| matches!(toks[j].as_str(), "will" | "would" | "shall" | "'ll"));
        return (Status::Denied, future);
    }
    let framed = sent.frame.iter().any(|&f| f);
    let sentence_conditional = sent
        .clauses
        .iter()
        .any(|(_, k)| *k == ClauseKind::Conditional);
    if kind == ClauseKind::Conditional || any_phrase("hypothetical", clause.start) {
        return (Status::Hypothetical, false);
    }
    if any_phrase("conditional", wide) {
        return if framed && !sentence_conditional {
            (Status::Planned, false)
        } else {
            (Status::Hypothetical, false)
        };
    }
    if any_word("claim", clause.start) || any_phrase("claim", clause.start) {
        return (Status::Claimed, false);
    }
    // "agreed in principle on Saturday to provide …": an intention verb earlier in the
    // clause governing this trigger as an infinitive
    let mut j = t0;
    while j > clause.start && coder.cues.has("adverb", sent.cue[j - 1]) {
        j -= 1;
    }
    let infinitive = j > clause.start && toks[j - 1] == "to";
    let intention = infinitive && any_word("planned-verb", clause.start);
    if e.planned || e.plover == "AGREE" || intention || any_phrase("planned", wide) {
        return (Status::Planned, false);
    }
    (Status::Occurred, false)
}

fn pick_date(
    doc: &AnnotatedDoc,
    sent: &Sent,
    clause: Span,
    m: &crate::sentence::Match,
) -> (Option<EventDate>, bool) {
    let (t0, tl) = (m.first(), m.last());
    let best = sent
        .dates
        .iter()
        .enumerate()
        .filter_map(|(i, sp)| sp.map(|sp| (i, sp)))
        .filter(|(_, sp)| sp.start >= clause.start && sp.end <= clause.end)
        .min_by_key(|(_, sp)| {
            if sp.end <= t0 {
                t0 - sp.end
            } else {
                sp.start.saturating_sub(tl)
            }
        });
    if let Some((i, _)) = best {
        let d = &sent.s.dates[i];
        return (
            Some(EventDate {
                date: d.date,
                precision: d.precision,
            }),
            true,
        );
    }
    (
        doc.article.date.map(|d| EventDate {
            date: d,
            precision: DatePrecision::Day,
        }),
        false,
    )
}

fn pick_location(
    coder: &Coder,
    doc: &AnnotatedDoc,
    sent: &Sent,
    clause: Span,
    m: &crate::sentence::Match,
) -> Option<Location> {
    let (t0, tl) = (m.first(), m.last());
    let dist = |sp: &Span| {
        if sp.end <= t0 {
            t0 - sp.end
        } else {
            sp.start.saturating_sub(tl)
        }
    };
    let in_clause: Vec<(usize, Span)> = sent
        .places
        .iter()
        .enumerate()
        .filter_map(|(i, sp)| sp.map(|sp| (i, sp)))
        .filter(|(i, sp)| {
            sp.start >= clause.start && sp.end <= clause.end && sent.s.places[*i].location.is_some()
        })
        .collect();
    // "in X", "close to the X border", "through the streets of X": a locative cue up to five
    // tokens before the place, not across punctuation or a trigger
    let locative = |sp: &Span| {
        let floor = sp.start.saturating_sub(5).max(clause.start);
        let mut j = sp.start;
        while j > floor {
            let w = sent.toks[j - 1].as_str();
            // "arrived in X": the trigger's own preposition places it too
            if m.toks.contains(&(j - 1)) && coder.cues.is("locative", w) {
                return true;
            }
            if crate::sentence::is_barrier(w) || m.toks.contains(&(j - 1)) {
                return false;
            }
            if coder.cues.is("locative", w)
                || coder
                    .cues
                    .phrase_ending("locative", &sent.toks, j)
                    .is_some_and(|s| s >= clause.start)
            {
                return true;
            }
            j -= 1;
        }
        false
    };
    let pick = in_clause
        .iter()
        .filter(|(_, sp)| locative(sp))
        .min_by_key(|(_, sp)| dist(sp))
        .or_else(|| {
            in_clause
                .iter()
                .filter(|(i, _)| sent.s.places[*i].feature == "border")
                .min_by_key(|(_, sp)| dist(sp))
        });
    if let Some((i, _)) = pick {
        return sent.s.places[*i].location.clone();
    }
    doc.dateline.as_ref().and_then(|p| p.location.clone())
}
