//! A generator of duplicate-laden news corpora, for the deduplication benchmark
//! (`outpost bench dedup`).
//!
//! K distinct events (no two share the PLOVER type, source country, target country and day)
//! each get a date, a place (a real city of one of the countries involved) and a type. Each
//! event is written up by R different outlets in different words: a different lead-sentence
//! template, a different follow-up sentence, a date phrase resolved against the outlet's own
//! publication date (the event day or the day after), and background sentences that report
//! no codable event. Each write-up is then republished: copy 0 is the outlet's own page, and
//! C further copies are either the same page fetched under a URL variant (`www.`, `amp.`,
//! `m.`, tracking parameters) or a syndicating site's page with its own furniture and
//! sometimes a changed headline, a trimmed last paragraph or an added editor's note.
//!
//! Ground truth: the story cluster of a page is (event, write-up); its event is the event
//! number. [`write_corpus`] writes one HTML file per page under `DIR/pages/` (names in a
//! shuffled order, so copies arrive interleaved), `DIR/truth.tsv` with lines
//! `file<TAB>event<TAB>writeup<TAB>copy<TAB>url` and `DIR/events.tsv` with lines
//! `event<TAB>plover<TAB>source<TAB>target<TAB>day<TAB>place<TAB>place_country`, each after
//! a header line.
//!
//! The output is deterministic for a given seed. Names of people and outlets are invented.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

use chrono::{Datelike, Duration, NaiveDate, Weekday};

use crate::synth::{COUNTRIES, FIRST, LAST, Rng, esc};

/// Two cities per country of [`COUNTRIES`] (same order) that the gazetteer resolves to that
/// country; events happen in one of them.
const CITIES: &[[&str; 2]] = &[
    ["Mombasa", "Kisumu"],
    ["Kismayo", "Baidoa"],
    ["Gondar", "Mekelle"],
    ["Port Sudan", "Kassala"],
    ["Alexandria", "Aswan"],
    ["Kano", "Maiduguri"],
    ["Agadez", "Zinder"],
    ["Timbuktu", "Mopti"],
    ["Istanbul", "Gaziantep"],
    ["Aleppo", "Homs"],
    ["Mosul", "Basra"],
    ["Isfahan", "Tabriz"],
    ["Karachi", "Peshawar"],
    ["Mumbai", "Srinagar"],
    ["Shanghai", "Kunming"],
    ["Osaka", "Nagasaki"],
    ["Zamboanga", "Davao"],
    ["Surabaya", "Medan"],
    ["Belgorod", "Rostov-on-Don"],
    ["Kharkiv", "Odesa"],
    ["Krakow", "Gdansk"],
    ["Munich", "Hamburg"],
    ["Marseille", "Lyon"],
    ["Sao Paulo", "Manaus"],
    ["Medellin", "Cali"],
    ["Guadalajara", "Tijuana"],
    ["Almaty", "Shymkent"],
    ["Khujand", "Kulob"],
    ["Gyumri", "Vanadzor"],
    ["Batumi", "Kutaisi"],
];

/// Outlets that write their own stories.
const OUTLETS: &[&str] = &[
    "The Daily Ledger",
    "Global Courier",
    "Horizon News",
    "The Continental",
    "Frontier Wire",
    "Meridian Post",
    "The Evening Standard-Bearer",
    "World Dispatch",
    "Capital Chronicle",
    "The Observer Network",
    "Northern Herald",
    "Atlas Times",
];

/// Sites that republish other outlets' stories.
const SYNDICATORS: &[&str] = &[
    "NewsNow Hub",
    "Daily Digest Online",
    "Planet Headlines",
    "The Aggregator",
    "Briefing Room",
    "Top Stories Today",
    "Regional Review",
    "Metro Pulse",
    "Press Feed",
    "Current Affairs Hub",
    "World Roundup",
    "Signal News",
];

/// Event types of the corpus: the PLOVER type each lead sentence is meant to be coded as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Kind {
    /// Shelling, air strikes, attacks (ASSAULT); the place is in the target country.
    Assault,
    /// Ministers' meetings and talks (CONSULT); the place is in the target country.
    Consult,
    /// Relief supplies (AID); the place is in the target country.
    Aid,
    /// Street protests (PROTEST, no target); the place is in the source country.
    Protest,
    /// Arrests of foreign nationals (COERCE); the place is in the source country.
    Arrest,
    /// Expulsions of diplomats (SANCTION); the place is in the source country.
    Expel,
    /// Threats of sanctions or retaliation (THREATEN); the place is in the source country.
    Threaten,
    /// Signed agreements (SUPPORT); the place is in the target country.
    Sign,
}

const KINDS: &[Kind] = &[
    Kind::Assault,
    Kind::Consult,
    Kind::Aid,
    Kind::Protest,
    Kind::Arrest,
    Kind::Expel,
    Kind::Threaten,
    Kind::Sign,
];

impl Kind {
    /// The PLOVER type the coder should give the event.
    pub(crate) fn plover(self) -> &'static str {
        match self {
            Kind::Assault => "ASSAULT",
            Kind::Consult => "CONSULT",
            Kind::Aid => "AID",
            Kind::Protest => "PROTEST",
            Kind::Arrest => "COERCE",
            Kind::Expel => "SANCTION",
            Kind::Threaten => "THREATEN",
            Kind::Sign => "SUPPORT",
        }
    }

    /// Whether the event happens in the target's country (else in the source's).
    fn in_target(self) -> bool {
        matches!(self, Kind::Assault | Kind::Consult | Kind::Aid | Kind::Sign)
    }

    /// Lead sentences, one per write-up style; each states the event once.
    /// Slots: {A}/{B} source/target country, {a}/{b} demonyms, {P} the place, {W} the date
    /// phrase, {N}/{M} people, {n} a number.
    fn leads(self) -> &'static [&'static str] {
        match self {
            Kind::Assault => &[
                "{a} troops shelled {b} army positions near {P} {W}, killing at least {n} soldiers.",
                "{a} warplanes bombed {b} military bases outside {P} {W}, leaving at least {n} soldiers dead.",
                "{a} artillery units shelled {b} army barracks on the outskirts of {P} {W}, and at least {n} soldiers died.",
                "{W}, {a} forces shelled {b} military positions around {P} for several hours, local officials said.",
                "{a} aircraft bombed {b} army depots close to {P} {W}; the death toll stood at {n}.",
            ],
            Kind::Consult => &[
                "{a} Foreign Minister {N} met his {b} counterpart {M} in {P} {W} to discuss border security.",
                "{a} Foreign Minister {N} held talks with {b} Foreign Minister {M} in {P} {W}, focusing on trade and transit routes.",
                "{a} Foreign Minister {N} and {b} Foreign Minister {M} discussed regional security at a meeting in {P} {W}.",
                "Meeting in {P} {W}, {a} Foreign Minister {N} and his {b} counterpart {M} discussed the disputed border.",
                "In {P} {W}, {a} Foreign Minister {N} held talks with his {b} counterpart {M} on energy supplies.",
            ],
            Kind::Aid => &[
                "{A} delivered {n} tonnes of food and medicine to {B} {W}, flying the supplies into {P} after severe floods.",
                "{a} aircraft delivered {n} tonnes of humanitarian aid to {B} {W}, landing in {P}.",
                "{A} delivered emergency aid to {B} {W}, unloading {n} tonnes of tents, blankets and medicine in {P}.",
                "{a} planes delivered {n} tonnes of relief supplies to {B} in {P} {W}.",
                "{A} delivered {n} tonnes of relief supplies to flood victims in {P}, {B}, {W}.",
            ],
            Kind::Protest => &[
                "Thousands of {a} protesters rallied in {P} {W} against a sharp rise in fuel prices.",
                "{a} demonstrators marched through the centre of {P} {W} to protest against the cost of fuel.",
                "{W}, thousands of {a} citizens protested in {P} over rising fuel and bread prices.",
                "Thousands of {a} protesters marched in {P} {W} to protest against the new fuel tax.",
                "Crowds of {a} protesters gathered in the main square of {P} {W}, protesting against the fuel tax.",
            ],
            Kind::Arrest => &[
                "{a} police arrested {n} {b} nationals in {P} {W} on suspicion of smuggling fuel across the border.",
                "{a} police detained {n} {b} citizens in {P} {W} over a smuggling ring.",
                "{n} {b} nationals were arrested by {a} police in {P} {W} over an alleged fuel smuggling scheme.",
                "{a} security forces arrested {n} {b} nationals during a search operation in {P} {W}.",
                "{a} police detained {n} {b} men in {P} {W} on charges of smuggling.",
            ],
            Kind::Expel => &[
                "{A} {W} ordered {n} {b} diplomats based in {P} to leave the country.",
                "The {a} government expelled {n} {b} diplomats from their consulate in {P} {W}.",
                "{a} authorities expelled {n} {b} diplomats working in {P} {W}.",
                "{A} expelled {n} {b} diplomats in {P} {W} in a row over espionage.",
                "{W}, {A} expelled {n} {b} diplomats stationed in {P}, citing security concerns.",
            ],
            Kind::Threaten => &[
                "{A} threatened {B} with sanctions {W} over the dam dispute, in a statement released in {P}.",
                "{a} President {N} threatened {B} with sanctions {W} during a speech in {P}.",
                "Speaking in {P} {W}, {a} President {N} threatened {B} with tough sanctions over the dam project.",
                "{A} threatened {B} with sanctions at a news conference in {P} {W}.",
                "In {P} {W}, the {a} foreign minister threatened {B} with economic sanctions unless work on the dam stops.",
            ],
            Kind::Sign => &[
                "{A} signed an agreement with {B} in {P} {W} to build a new railway link between the two countries.",
                "{a} Prime Minister {N} signed a trade agreement with {B} in {P} {W}.",
                "{A} signed a deal with {B} {W} at a ceremony in {P} to expand electricity trade.",
                "At a ceremony in {P} {W}, {A} signed an accord with {B} on joint management of a border river.",
                "{A} signed a memorandum with {B} in {P} {W} on building a cross-border pipeline.",
            ],
        }
    }

    /// Second sentences: details that report no further codable event.
    fn details(self) -> &'static [&'static str] {
        match self {
            Kind::Assault => &[
                "Hospitals in the area were treating dozens of wounded, a health official said.",
                "Residents said they had spent the night in basements.",
                "Smoke could be seen rising over the area for much of the day, witnesses said.",
                "The defence ministry gave no details of its own losses.",
                "Local officials said several houses near the front line had been damaged.",
            ],
            Kind::Consult => &[
                "The meeting lasted about three hours, according to a diplomatic source.",
                "Officials described the atmosphere as constructive but said no joint statement was issued.",
                "It was the first such meeting in more than two years.",
                "Both delegations included senior energy and transport officials.",
                "A further round is expected before the end of the year, diplomats said.",
            ],
            Kind::Aid => &[
                "The cargo included water purification tablets and generators, the embassy said.",
                "More than 200,000 people have been affected by the flooding, according to relief agencies.",
                "Further flights are planned in the coming days, a spokeswoman said.",
                "Aid workers said access to remote villages remained difficult because of washed-out roads.",
                "The supplies are being distributed by local relief committees.",
            ],
            Kind::Protest => &[
                "Shops along the route were shuttered and traffic was diverted for much of the afternoon.",
                "Organisers said the turnout was the largest since the price increase was announced.",
                "Many of those taking part were students and taxi drivers.",
                "Fuel queues have become a daily sight in the city.",
                "Fuel prices have risen by nearly 40 percent since the start of the year.",
            ],
            Kind::Arrest => &[
                "Investigators seized several trucks and thousands of litres of diesel, a police spokesman said.",
                "The suspects are expected to appear in court later this week.",
                "Officials said the network had operated for at least two years.",
                "Smuggling of subsidised fuel has cost the treasury millions of dollars a year, officials estimate.",
                "The embassy said consular staff were seeking access to the men.",
            ],
            Kind::Expel => &[
                "The diplomats were declared persona non grata, the statement said.",
                "Relations between the two countries have deteriorated sharply over the past year.",
                "The embassy declined to comment when contacted by reporters.",
                "A reciprocal response is widely expected, analysts said.",
                "The ministry did not say what information the diplomats were suspected of gathering.",
            ],
            Kind::Threaten => &[
                "The dam, which is more than half built, has long been a source of friction between the neighbours.",
                "Officials said the measures under consideration could target trade and banking.",
                "Talks over the project broke down earlier in the year without agreement.",
                "Farmers downstream say river levels have already fallen.",
                "The foreign ministry said it would announce its decision within weeks.",
            ],
            Kind::Sign => &[
                "The project is expected to take about five years and cost more than 3 billion dollars.",
                "Officials said construction could begin as early as next spring.",
                "Financing will come from a consortium of regional development banks.",
                "The accord follows nearly two years of negotiations between technical teams.",
                "Business groups welcomed the step, saying it would cut transport costs.",
            ],
        }
    }

    /// Short headlines (slots as in [`Kind::leads`]).
    fn headlines(self) -> &'static [&'static str] {
        match self {
            Kind::Assault => &[
                "{a} shelling kills {n} soldiers near {P}",
                "Deadly strikes near {P} as fighting escalates",
                "{n} soldiers dead after shelling near {P}",
            ],
            Kind::Consult => &[
                "{a} and {b} ministers meet in {P}",
                "Border security on the agenda in {P}",
                "Foreign ministers hold talks in {P}",
            ],
            Kind::Aid => &[
                "{A} flies aid to flood-hit {P}",
                "Relief supplies arrive in {P}",
                "{n} tonnes of aid reach {P}",
            ],
            Kind::Protest => &[
                "Fuel price anger spills onto streets of {P}",
                "Thousands march in {P} over fuel prices",
                "Fuel protest in {P}",
            ],
            Kind::Arrest => &[
                "{n} {b} nationals held in {P}",
                "Police break up smuggling ring in {P}",
                "Smuggling suspects held in {P}",
            ],
            Kind::Expel => &[
                "{A} expels {n} {b} diplomats",
                "Espionage row: {n} diplomats told to leave",
                "Diplomatic row deepens between {A} and {B}",
            ],
            Kind::Threaten => &[
                "{A} warns {B} over dam",
                "Sanctions threat in dam dispute",
                "Dam row: {A} raises pressure on {B}",
            ],
            Kind::Sign => &[
                "{A} and {B} seal deal in {P}",
                "New cross-border project agreed",
                "{A}, {B} sign accord in {P}",
            ],
        }
    }
}

/// Background paragraphs (no codable event); slots {A}, {B}, {a}, {b}, {N}, {n}, {y}.
const BACKGROUND: &[&str] = &[
    "{a} exports to {B} have grown steadily over the past decade.",
    "Trade between {A} and {B} was worth about {n} billion dollars last year, according to official figures.",
    "{A} has a population of roughly {n}0 million people, most of them under the age of thirty.",
    "The region has seen repeated bouts of tension since the early {y}s.",
    "Economists say inflation in {A} has eased slightly in recent months but remains above {n} percent.",
    "{N}, a political analyst at a university in {A}, said the coming weeks would be decisive.",
    "Elections in {B} are due next year, and opinion polls point to a close race.",
    "Opposition parties hold {n} seats in the {a} parliament.",
    "The economy of {A} grew by {n} percent last year, the statistics office said.",
    "The cost of living has become a central issue in {A}.",
    "Independent verification of the figures was not immediately possible.",
    "{N} told reporters that the situation remained calm but uncertain.",
    "A spokesman for {B}'s foreign ministry said the government was studying the matter closely.",
    "Local media in {A} gave the story prominent coverage throughout the day.",
    "The currency of {A} has lost about {n} percent of its value against the dollar this year.",
    "Diplomats in the region said they were watching developments with concern.",
    "The foreign ministry of {A} published a short statement on its website late in the evening.",
    "Newspapers in {B} carried the story on their front pages the following morning.",
    "Officials in {A} have not said how many people were involved in preparing the decision.",
    "The parliament of {A} is in recess until the autumn.",
    "{B} is one of the largest producers of cement in its region.",
    "Tourism accounts for about {n} percent of the economic output of {A}.",
    "Road and rail links in the region are being upgraded with foreign loans.",
    "The weather in the area has been unusually hot for the time of year.",
    "Social media users in {A} shared videos and photographs throughout the day.",
    "The government of {B} has been in office for less than two years.",
    "Several international airlines operate direct flights between {A} and {B}.",
    "The ministry said more information would be released in due course.",
    "A senior official who spoke on condition of anonymity said the decision had been taken at the highest level.",
];

/// Quotations (no codable event), each followed by one of [`ATTRIBUTIONS`].
const QUOTES: &[&str] = &[
    "We are following the situation very closely and will respond in due course",
    "This is a difficult moment for everyone involved",
    "Nobody expected things to move this quickly",
    "The people here just want to get on with their lives",
    "It is too early to say what this means for the wider relationship",
    "We have seen nothing like this in years",
    "The coming days will show whether cooler heads prevail",
    "Our priority is the safety of our citizens",
    "There is a lot of anger and a lot of uncertainty",
    "We were not informed in advance",
    "Everyone is waiting to see what happens next",
    "This will not be forgotten quickly",
];

/// Attributions of a quotation; {N} is a person, {a} a demonym.
const ATTRIBUTIONS: &[&str] = &[
    "said {N}, a spokesman for the {a} foreign ministry",
    "{N}, a senior official, told reporters",
    "said {N}, a researcher at a policy institute",
    "said {N}, a shopkeeper",
    "{N}, a former ambassador, said in an interview",
    "said {N}, a local resident",
    "said {N}, a professor of international relations",
    "a government spokeswoman, {N}, said in a statement",
    "said {N}, a taxi driver",
    "{N}, an opposition lawmaker, said",
];

/// Headlines of the furniture's "related stories" lists (no political event).
const RELATED: &[&str] = &[
    "Weekend weather: sunny spells and light winds expected",
    "Ten recipes for a quick weeknight dinner",
    "Opinion: why city parks matter more than ever",
    "Review: a quiet, thoughtful debut novel",
    "How to choose a laptop for school",
    "Photos: the year in pictures so far",
    "Local museum reopens after renovation",
    "Podcast: the week in business",
];

/// Notes some syndicating sites append.
const EDITOR_NOTES: &[&str] = &[
    "Editor's note: This story has been updated with additional details.",
    "Editor's note: An earlier version of this article misspelled a name.",
    "Editor's note: This article was first published by a partner site.",
];

/// One generated event.
#[derive(Debug, Clone)]
pub(crate) struct StoryEvent {
    /// What kind of event.
    pub kind: Kind,
    /// Index of the source country in [`COUNTRIES`].
    pub source: usize,
    /// Index of the target country in [`COUNTRIES`].
    pub target: usize,
    /// The day it happened.
    pub day: NaiveDate,
    /// The city it happened in.
    pub place: &'static str,
    /// Index of the place's country in [`COUNTRIES`].
    pub place_country: usize,
}

/// One generated page.
#[derive(Debug, Clone)]
pub(crate) struct StoryPage {
    /// Event number (0-based).
    pub event: usize,
    /// Write-up number within the event (0-based).
    pub writeup: usize,
    /// Copy number within the write-up (0 = the outlet's own page).
    pub copy: usize,
    /// The page's URL (as its canonical link states it).
    pub url: String,
    /// The HTML.
    pub html: String,
}

/// A generated corpus: the events and their pages (in generation order).
#[derive(Debug, Clone)]
pub(crate) struct StoryCorpus {
    /// The K events.
    pub events: Vec<StoryEvent>,
    /// Every page.
    pub pages: Vec<StoryPage>,
}

/// Corpus shape: K events, R write-ups each, C copies of each write-up beyond the original.
#[derive(Debug, Clone, Copy)]
pub(crate) struct StoryParams {
    /// Number of events (K).
    pub events: usize,
    /// Write-ups per event (R).
    pub rewrites: usize,
    /// Republished copies per write-up (C), besides the outlet's own page.
    pub copies: usize,
    /// Random seed.
    pub seed: u64,
}

fn pick_events(n: usize, rng: &mut Rng) -> Vec<StoryEvent> {
    let base = NaiveDate::from_ymd_opt(2026, 1, 5).unwrap_or_default();
    let mut seen: HashSet<(Kind, usize, usize, NaiveDate)> = HashSet::new();
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let kind = *rng.pick(KINDS);
        let source = rng.below(COUNTRIES.len());
        let mut target = rng.below(COUNTRIES.len());
        while target == source {
            target = rng.below(COUNTRIES.len());
        }
        let day = base + Duration::days(rng.below(320) as i64);
        // Protests have no target: distinct means distinct by source country and day.
        let key_target = if kind == Kind::Protest {
            usize::MAX
        } else {
            target
        };
        if !seen.insert((kind, source, key_target, day)) {
            continue;
        }
        let place_country = if kind.in_target() { target } else { source };
        let place = CITIES[place_country][rng.below(2)];
        out.push(StoryEvent {
            kind,
            source,
            target,
            day,
            place,
            place_country,
        });
    }
    out
}

fn weekday_name(d: NaiveDate) -> &'static str {
    match d.weekday() {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

fn month_name(d: NaiveDate) -> &'static str {
    [
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
    ][d.month0() as usize]
}

/// A phrase naming `day` as seen from the publication date `published` (the same day or
/// the day after).
fn date_phrase(day: NaiveDate, published: NaiveDate, rng: &mut Rng) -> String {
    match rng.below(10) {
        0..=5 => format!("on {}", weekday_name(day)),
        // "May" reads as a modal verb to a tagger-free coder ("on May 9" → hypothetical);
        // May dates are named by weekday.
        6..=7 if day.month() != 5 => format!("on {} {}", month_name(day), day.day()),
        6..=7 => format!("on {}", weekday_name(day)),
        _ if published > day => "yesterday".to_owned(),
        _ => "today".to_owned(),
    }
}

/// The slot values of one write-up.
struct Slots {
    a_country: &'static str,
    a_dem: &'static str,
    b_country: &'static str,
    b_dem: &'static str,
    place: &'static str,
    when: String,
    n1: String,
    n2: String,
    number: usize,
    year: usize,
}

impl Slots {
    fn fill(&self, t: &str) -> String {
        let s = t
            .replace("{A}", self.a_country)
            .replace("{B}", self.b_country)
            .replace("{a}", self.a_dem)
            .replace("{b}", self.b_dem)
            .replace("{P}", self.place)
            .replace("{W}", &self.when)
            .replace("{N}", &self.n1)
            .replace("{M}", &self.n2)
            .replace("{n}", &self.number.to_string())
            .replace("{y}", &self.year.to_string());
        capitalise_first(&s)
    }
}

/// A country name as it reads in a sentence ("the Philippines").
fn with_article(country: &'static str) -> &'static str {
    match country {
        "Philippines" => "the Philippines",
        c => c,
    }
}

fn capitalise_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// One outlet's write-up of an event: headline, paragraphs, publication date.
struct WriteUp {
    outlet: &'static str,
    headline: String,
    alt_headline: String,
    paragraphs: Vec<String>,
    published: NaiveDate,
    author: String,
    slug: String,
}

fn write_up(ev: &StoryEvent, r: usize, outlet: &'static str, rng: &mut Rng) -> WriteUp {
    let published = ev.day + Duration::days(rng.below(2) as i64);
    let a = COUNTRIES[ev.source];
    let b = COUNTRIES[ev.target];
    let name = |rng: &mut Rng| format!("{} {}", rng.pick(FIRST), rng.pick(LAST));
    // The people and the number belong to the event (every outlet reports the same ones);
    // they are drawn from a generator seeded by the event, so write-ups agree.
    let mut ev_rng = Rng::new(
        (ev.day.num_days_from_ce() as u64) << 16 ^ (ev.source as u64) << 8 ^ ev.target as u64,
    );
    let n1 = name(&mut ev_rng);
    let mut n2 = name(&mut ev_rng);
    while n2 == n1 {
        n2 = name(&mut ev_rng);
    }
    let number = 3 + ev_rng.below(40);
    let slots = Slots {
        a_country: with_article(a.0),
        a_dem: a.1,
        b_country: with_article(b.0),
        b_dem: b.1,
        place: ev.place,
        when: date_phrase(ev.day, published, rng),
        n1,
        n2,
        number,
        year: 1990 + 10 * rng.below(2),
    };
    let leads = ev.kind.leads();
    let details = ev.kind.details();
    // Write-up r takes the r-th style (rotated by event), so the R write-ups of an event
    // use different lead and detail sentences.
    let rot = ev_rng.below(leads.len());
    let lead = leads[(r + rot) % leads.len()];
    let detail = details[rng.below(details.len())];
    let quote = format!(
        "\u{201c}{},\u{201d} {}.",
        rng.pick(QUOTES),
        rng.pick(ATTRIBUTIONS)
    );
    let quote = Slots {
        n1: name(rng),
        ..slots.clone_basic()
    }
    .fill(&quote);
    let mut paragraphs = vec![slots.fill(lead), slots.fill(detail), quote];
    let mut used = HashSet::new();
    let n_back = 3 + rng.below(3);
    while used.len() < n_back {
        let i = rng.below(BACKGROUND.len());
        if used.insert(i) {
            let extra = Slots {
                n1: name(rng),
                number: 2 + rng.below(30),
                when: String::new(),
                ..slots.clone_basic()
            };
            paragraphs.push(extra.fill(BACKGROUND[i]));
        }
    }
    let heads = ev.kind.headlines();
    let h = rng.below(heads.len());
    let headline = slots.fill(heads[h]);
    let alt_headline = slots.fill(heads[(h + 1) % heads.len()]);
    let slug = slug_of(&headline);
    WriteUp {
        outlet,
        headline,
        alt_headline,
        paragraphs,
        published,
        author: name(rng),
        slug,
    }
}

impl Slots {
    fn clone_basic(&self) -> Slots {
        Slots {
            a_country: self.a_country,
            a_dem: self.a_dem,
            b_country: self.b_country,
            b_dem: self.b_dem,
            place: self.place,
            when: self.when.clone(),
            n1: self.n1.clone(),
            n2: self.n2.clone(),
            number: self.number,
            year: self.year,
        }
    }
}

fn slug_of(s: &str) -> String {
    let mut out = String::new();
    for w in s.split(|c: char| !c.is_ascii_alphanumeric()) {
        if w.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(&w.to_ascii_lowercase());
    }
    out
}

fn host_of(site: &str) -> String {
    format!("{}.example", slug_of(site).replace('-', ""))
}

/// A URL variant of `host`/`path`: `www.`, `amp.`, `m.`, tracking parameters or a
/// trailing slash.
fn url_variant(host: &str, path: &str, rng: &mut Rng) -> String {
    match rng.below(5) {
        0 => format!("https://www.{host}{path}"),
        1 => format!("https://amp.{host}{path}"),
        2 => format!("https://m.{host}{path}"),
        3 => format!(
            "https://{host}{path}?utm_source={}&utm_medium=social",
            rng.pick(&["twitter", "facebook", "newsletter"])
        ),
        _ => format!("http://{host}{path}/"),
    }
}

/// Site furniture styles.
#[derive(Clone, Copy)]
enum Style {
    Classic,
    Magazine,
    Minimal,
}

/// A page of `site` at `url` carrying write-up `w` under `title` with `paragraphs`.
fn render(
    style: Style,
    site: &str,
    url: &str,
    title: &str,
    w: &WriteUp,
    paragraphs: &[String],
    rng: &mut Rng,
) -> String {
    let (author, published) = (w.author.as_str(), w.published);
    let mut h = String::with_capacity(6000);
    let t = esc(title);
    let date = published.format("%Y-%m-%d");
    let _ = write!(
        h,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>{t} | {site}</title><meta property=\"og:title\" content=\"{t}\">\
         <meta property=\"og:site_name\" content=\"{site}\">\
         <meta property=\"article:published_time\" content=\"{date}T{:02}:{:02}:00Z\">\
         <link rel=\"canonical\" href=\"{}\"></head><body>",
        6 + rng.below(14),
        rng.below(60),
        esc(url)
    );
    let mut related: Vec<&str> = Vec::new();
    while related.len() < 4 {
        let r = *rng.pick(RELATED);
        if !related.contains(&r) {
            related.push(r);
        }
    }
    match style {
        Style::Classic => {
            h.push_str(
                "<header><nav class=\"menu\"><a href=\"/\">Home</a> <a href=\"/world\">World</a> \
                 <a href=\"/business\">Business</a> <a href=\"/sport\">Sport</a></nav></header>\
                 <div class=\"cookie-notice\">This site uses cookies. <button>Accept</button></div>\
                 <main><article>",
            );
            let _ = write!(
                h,
                "<h1>{t}</h1><div class=\"byline\">By {}</div>\
                 <div class=\"share\"><a>Share</a> <a>Tweet</a> <a>Email</a></div>\
                 <figure><img src=\"/p.jpg\"><figcaption>A file photo of the area.</figcaption></figure>",
                esc(author)
            );
            for p in paragraphs {
                let _ = write!(h, "<p>{}</p>", esc(p));
            }
            h.push_str("<aside class=\"related\"><h3>Read more</h3><ul>");
            for r in &related {
                let _ = write!(h, "<li><a href=\"/r\">{}</a></li>", esc(r));
            }
            let _ = write!(
                h,
                "</ul></aside></article></main><footer>© 2026 {site}. All rights reserved. \
                 <a href=\"/privacy\">Privacy</a> <a href=\"/terms\">Terms</a></footer></body></html>"
            );
        }
        Style::Magazine => {
            let _ = write!(
                h,
                "<div class=\"topbar\"><a href=\"/subscribe\">Subscribe</a> <a href=\"/login\">Sign in</a></div>\
                 <header class=\"masthead\"><a class=\"logo\" href=\"/\">{site}</a><ul class=\"sections\">\
                 <li><a href=\"/news\">News</a></li><li><a href=\"/opinion\">Opinion</a></li>\
                 <li><a href=\"/culture\">Culture</a></li></ul></header>\
                 <div class=\"content\"><div class=\"story\"><h1 class=\"headline\">{t}</h1>\
                 <p class=\"meta\">{} · {}</p><div class=\"story-body\">",
                esc(author),
                published.format("%d %B %Y")
            );
            for p in paragraphs {
                let _ = write!(h, "<p>{}</p>", esc(p));
            }
            h.push_str(
                "</div><div class=\"newsletter\">Get our morning briefing in your inbox. \
                 <input type=\"email\"><button>Sign up</button></div></div>\
                 <div class=\"sidebar\"><h4>Most read</h4><ol>",
            );
            for r in &related {
                let _ = write!(h, "<li><a href=\"/m\">{}</a></li>", esc(r));
            }
            let _ = write!(
                h,
                "</ol></div></div><footer><p>{site} — independent journalism since 1998.</p>\
                 <a href=\"/contact\">Contact</a> <a href=\"/ads\">Advertise</a></footer></body></html>"
            );
        }
        Style::Minimal => {
            let _ = write!(
                h,
                "<nav><a href=\"/\">{site}</a> | <a href=\"/latest\">Latest</a> | <a href=\"/about\">About</a></nav>\
                 <article><header><h1>{t}</h1><time datetime=\"{date}\">{date}</time></header>"
            );
            for p in paragraphs {
                let _ = write!(h, "<p>{}</p>", esc(p));
            }
            h.push_str("</article><section class=\"more\"><h2>More stories</h2>");
            for r in &related {
                let _ = write!(h, "<a href=\"/s\">{}</a><br>", esc(r));
            }
            h.push_str("</section><footer>Powered by a content platform.</footer></body></html>");
        }
    }
    h
}

/// Generates the corpus for `params`.
pub(crate) fn generate(params: StoryParams) -> StoryCorpus {
    let mut rng = Rng::new(params.seed);
    let events = pick_events(params.events, &mut rng);
    let mut pages = Vec::new();
    for (e, ev) in events.iter().enumerate() {
        // R distinct outlets (cycling when R exceeds the list).
        let start = rng.below(OUTLETS.len());
        for r in 0..params.rewrites {
            let outlet = OUTLETS[(start + r) % OUTLETS.len()];
            let w = write_up(ev, r, outlet, &mut rng);
            let host = host_of(w.outlet);
            let path = format!(
                "/world/{}/{}-{}",
                w.published.format("%Y/%m/%d"),
                w.slug,
                e * 97 + r
            );
            let own_url = format!("https://{host}{path}");
            let own_style = [Style::Classic, Style::Magazine, Style::Minimal][rng.below(3)];
            pages.push(StoryPage {
                event: e,
                writeup: r,
                copy: 0,
                url: own_url.clone(),
                html: render(
                    own_style,
                    w.outlet,
                    &own_url,
                    &w.headline,
                    &w,
                    &w.paragraphs,
                    &mut rng,
                ),
            });
            let syn_start = rng.below(SYNDICATORS.len());
            for c in 1..=params.copies {
                if rng.below(4) == 0 {
                    // The outlet's own page again, under a URL variant.
                    let url = url_variant(&host, &path, &mut rng);
                    let html = render(
                        own_style,
                        w.outlet,
                        &url,
                        &w.headline,
                        &w,
                        &w.paragraphs,
                        &mut rng,
                    );
                    pages.push(StoryPage {
                        event: e,
                        writeup: r,
                        copy: c,
                        url,
                        html,
                    });
                    continue;
                }
                let site = SYNDICATORS[(syn_start + c) % SYNDICATORS.len()];
                let shost = host_of(site);
                let spath = format!("/news/{}-{}", w.slug, e * 131 + r * 7 + c);
                let url = if rng.below(3) == 0 {
                    url_variant(&shost, &spath, &mut rng)
                } else {
                    format!("https://{shost}{spath}")
                };
                let mut paras = w.paragraphs.clone();
                let mut title = w.headline.clone();
                match rng.below(4) {
                    0 => title = w.alt_headline.clone(),
                    1 if paras.len() > 3 => {
                        paras.pop();
                    }
                    2 => paras.push((*rng.pick(EDITOR_NOTES)).to_owned()),
                    _ => {}
                }
                let style = [Style::Classic, Style::Magazine, Style::Minimal][rng.below(3)];
                let html = render(style, site, &url, &title, &w, &paras, &mut rng);
                pages.push(StoryPage {
                    event: e,
                    writeup: r,
                    copy: c,
                    url,
                    html,
                });
            }
        }
    }
    StoryCorpus { events, pages }
}

/// A permutation of `0..n` (Fisher–Yates).
fn shuffled(n: usize, rng: &mut Rng) -> Vec<usize> {
    let mut v: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        let j = rng.below(i + 1);
        v.swap(i, j);
    }
    v
}

/// The file name of the page at shuffled position `i`.
pub(crate) fn file_name(i: usize) -> String {
    format!("page-{i:07}.html")
}

/// Writes the corpus: pages under `dir/pages/`, ground truth in `dir/truth.tsv`. Returns
/// the corpus (its pages in generation order) and the file name of each page.
pub(crate) fn write_corpus(
    dir: &Path,
    params: StoryParams,
) -> std::io::Result<(StoryCorpus, Vec<String>)> {
    let corpus = generate(params);
    let pages_dir = dir.join("pages");
    std::fs::create_dir_all(&pages_dir)?;
    let order = shuffled(corpus.pages.len(), &mut Rng::new(params.seed ^ 0x5eed_5eed));
    let mut names = vec![String::new(); corpus.pages.len()];
    let mut truth = std::io::BufWriter::new(std::fs::File::create(dir.join("truth.tsv"))?);
    writeln!(truth, "file\tevent\twriteup\tcopy\turl")?;
    for (i, page) in corpus.pages.iter().enumerate() {
        let name = file_name(order[i]);
        std::fs::write(pages_dir.join(&name), &page.html)?;
        writeln!(
            truth,
            "{name}\t{}\t{}\t{}\t{}",
            page.event, page.writeup, page.copy, page.url
        )?;
        names[i] = name;
    }
    truth.flush()?;
    let mut events = std::io::BufWriter::new(std::fs::File::create(dir.join("events.tsv"))?);
    writeln!(
        events,
        "event\tplover\tsource\ttarget\tday\tplace\tplace_country"
    )?;
    for (i, e) in corpus.events.iter().enumerate() {
        let target = if e.kind == Kind::Protest {
            "-"
        } else {
            COUNTRIES[e.target].0
        };
        writeln!(
            events,
            "{i}\t{}\t{}\t{target}\t{}\t{}\t{}",
            e.kind.plover(),
            COUNTRIES[e.source].0,
            e.day,
            e.place,
            COUNTRIES[e.place_country].0
        )?;
    }
    events.flush()?;
    Ok((corpus, names))
}

/// Reads `truth.tsv`: file name → (event, write-up).
pub(crate) fn read_truth(
    path: &Path,
) -> anyhow::Result<std::collections::HashMap<String, (usize, usize)>> {
    use anyhow::Context;
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut out = std::collections::HashMap::new();
    for (i, line) in text.lines().enumerate().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        let bad = || {
            format!(
                "{}:{}: expected file, event, writeup",
                path.display(),
                i + 1
            )
        };
        if f.len() < 3 {
            anyhow::bail!(bad());
        }
        let e: usize = f[1].parse().with_context(bad)?;
        let r: usize = f[2].parse().with_context(bad)?;
        out.insert(f[0].to_owned(), (e, r));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(seed: u64) -> StoryParams {
        StoryParams {
            events: 12,
            rewrites: 3,
            copies: 3,
            seed,
        }
    }

    #[test]
    fn generation_is_deterministic_and_complete() {
        let a = generate(params(5));
        let b = generate(params(5));
        let c = generate(params(6));
        assert_eq!(a.pages.len(), 12 * 3 * 4);
        let html = |x: &StoryCorpus| x.pages.iter().map(|p| p.html.clone()).collect::<Vec<_>>();
        assert_eq!(html(&a), html(&b));
        assert_ne!(html(&a), html(&c));
        for p in &a.pages {
            assert!(!p.html.contains('{'), "unfilled slot in {}", p.html);
        }
    }

    #[test]
    fn events_are_distinct() {
        let c = generate(StoryParams {
            events: 2000,
            rewrites: 1,
            copies: 0,
            seed: 3,
        });
        let mut seen = HashSet::new();
        for e in &c.events {
            let t = if e.kind == Kind::Protest {
                usize::MAX
            } else {
                e.target
            };
            assert!(seen.insert((e.kind.plover(), e.source, t, e.day)));
            assert_ne!(e.source, e.target);
        }
    }

    /// Hashed word 4-shingles of the visible paragraphs of a page.
    fn shingles(html: &str) -> HashSet<u64> {
        use std::hash::{Hash, Hasher};
        let mut words = Vec::new();
        for part in html.split("<p>").skip(1) {
            let p = part.split("</p>").next().unwrap_or("");
            if p.contains(" · ") {
                continue;
            }
            words.extend(p.split_whitespace().map(str::to_lowercase));
        }
        words
            .windows(4)
            .map(|w| {
                let mut h = std::collections::hash_map::DefaultHasher::new();
                w.hash(&mut h);
                h.finish()
            })
            .collect()
    }

    fn jaccard(a: &HashSet<u64>, b: &HashSet<u64>) -> f64 {
        let i = a.intersection(b).count();
        i as f64 / (a.len() + b.len() - i).max(1) as f64
    }

    /// Copies of a write-up stay well above the clustering threshold (Jaccard 0.5) and
    /// different write-ups, of one event or of different events, well below it.
    #[test]
    fn copies_are_near_duplicates_and_write_ups_are_not() {
        let c = generate(StoryParams {
            events: 30,
            rewrites: 3,
            copies: 3,
            seed: 11,
        });
        let sh: Vec<_> = c.pages.iter().map(|p| shingles(&p.html)).collect();
        let mut min_same = 1.0f64;
        let mut max_diff = 0.0f64;
        for i in 0..c.pages.len() {
            for j in i + 1..c.pages.len() {
                let (p, q) = (&c.pages[i], &c.pages[j]);
                let s = jaccard(&sh[i], &sh[j]);
                if (p.event, p.writeup) == (q.event, q.writeup) {
                    min_same = min_same.min(s);
                } else {
                    max_diff = max_diff.max(s);
                }
            }
        }
        assert!(min_same >= 0.6, "copies too different: {min_same}");
        assert!(max_diff <= 0.3, "distinct stories too similar: {max_diff}");
        eprintln!("copies ≥ {min_same:.3}, distinct ≤ {max_diff:.3}");
    }

    #[test]
    fn truth_file_matches_pages() {
        let dir = tempfile::tempdir().unwrap();
        let (corpus, names) = write_corpus(dir.path(), params(9)).unwrap();
        let truth = read_truth(&dir.path().join("truth.tsv")).unwrap();
        assert_eq!(truth.len(), corpus.pages.len());
        for (page, name) in corpus.pages.iter().zip(&names) {
            assert_eq!(truth[name], (page.event, page.writeup));
            let on_disk = std::fs::read_to_string(dir.path().join("pages").join(name)).unwrap();
            assert_eq!(on_disk, page.html);
        }
        let files = std::fs::read_dir(dir.path().join("pages")).unwrap().count();
        assert_eq!(files, corpus.pages.len());
    }
}
