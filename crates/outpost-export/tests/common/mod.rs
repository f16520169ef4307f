//! Hand-built articles and events for the export tests (and the `sample` example).
#![allow(dead_code)]

use chrono::NaiveDate;
use outpost_core::id::{fingerprint, text_fingerprint};
use outpost_core::{
    Acled, Actor, Article, DatePrecision, Event, EventDate, Evidence, Location, Status,
};
use outpost_store::Store;

pub fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

pub fn article(text: &str, date: Option<NaiveDate>, url: Option<&str>, source: &str) -> Article {
    Article {
        id: text_fingerprint(text),
        source: source.into(),
        title: Some("A made-up report".into()),
        date,
        modified: None,
        authors: vec![],
        site: Some("Example Wire".into()),
        url: url.map(String::from),
        language: Some("en".into()),
        wire: None,
        text: text.into(),
    }
}

pub fn actor(text: &str, code: &str, country: Option<&str>, sector: Option<&str>) -> Actor {
    Actor {
        text: text.into(),
        code: code.into(),
        country: country.map(String::from),
        sector: sector.map(String::from),
        name: None,
    }
}

/// Character offset of `needle` in `hay` (panics when absent: fixtures are hand-made).
pub fn char_pos(hay: &str, needle: &str) -> usize {
    let b = hay
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in {hay:?}"));
    hay[..b].chars().count()
}

/// Evidence for the `n`-th sentence of an article (sentences given separately).
pub fn evidence(a: &Article, n: usize, sentence: &str, trigger: &str) -> Evidence {
    let s = char_pos(&a.text, sentence);
    let t = s + char_pos(sentence, trigger);
    Evidence {
        article_id: a.id.clone(),
        sentence: n,
        text: sentence.into(),
        trigger: trigger.into(),
        start: t,
        end: t + trigger.chars().count(),
        sentence_start: s,
        sentence_end: s + sentence.chars().count(),
    }
}

#[allow(clippy::too_many_arguments)]
pub fn event(
    key: &str,
    date: Option<EventDate>,
    plover: &str,
    cameo: &str,
    goldstein: f64,
    quad: u8,
    source: Actor,
    target: Option<Actor>,
    location: Option<Location>,
    evidence: Evidence,
) -> Event {
    Event {
        aggregate: None,
        id: fingerprint(key.as_bytes()),
        date,
        date_precision: date.map(|d| d.precision),
        plover: plover.into(),
        mode: None,
        cameo: cameo.into(),
        goldstein,
        quad_class: quad,
        acled: None,
        status: Status::Occurred,
        source,
        target,
        parties: vec![],
        location,
        evidence,
        confidence: 0.8,
    }
}

pub struct Fixture {
    pub store: Store,
    pub articles: Vec<Article>,
    /// In export order (oldest first, undated first).
    pub events: Vec<Event>,
}

// Sentences of the made-up articles (fictional reports, written for these tests).
pub const S1A: &str = "Border guards in the north reported heavy fog on Tuesday.";
pub const S1B: &str = "Russian troops\tshelled positions held by Ukrainian forces near Kharkiv,\nlocal officials said, \"again\".";
pub const S2A: &str = "Officials in Kabul prepared for a week of talks.";
pub const S2B: &str =
    "The Romanian government said it intends to meet Taliban insurgents in Kabul next month.";
pub const S3A: &str = "Government officials said they appealed for calm across Tajikistan.";
pub const S4A: &str = "Protesters, some carrying signs, marched in California on Monday.";

pub fn fixture() -> Fixture {
    let mut store = Store::open_in_memory().unwrap();
    let a1 = article(
        &format!("{S1A} {S1B}"),
        Some(day(2024, 3, 6)),
        Some("https://www.example-news.test/world/kharkiv"),
        "https://www.example-news.test/world/kharkiv",
    );
    let a2 = article(
        &format!("{S2A}\n\nSomething else.\n\nMore.\n\nEven more.\n\nStill more. {S2B}"),
        Some(day(2024, 4, 11)),
        None,
        "feeds/sample.jsonl:3",
    );
    let a3 = article(S3A, None, None, "inbox/undated.html");
    let a4 = article(
        S4A,
        Some(day(2024, 5, 21)),
        Some("http://local.test/p/4"),
        "x",
    );

    let kharkiv = Location {
        name: "Kharkiv".into(),
        country: Some("UKR".into()),
        admin1: Some("Kharkivska".into()),
        lat: 49.98081,
        lon: 36.25272,
        geonameid: Some(706483),
        precision: "city".into(),
    };
    let mut e1 = event(
        "e1",
        Some(EventDate::day(day(2024, 3, 5))),
        "ASSAULT",
        "193",
        -10.0,
        4,
        actor("Russian troops", "RUSMIL", Some("RUS"), Some("MIL")),
        Some(actor(
            "Ukrainian forces",
            "UKRMIL",
            Some("UKR"),
            Some("MIL"),
        )),
        Some(kharkiv),
        evidence(&a1, 1, S1B, "shelled"),
    );
    e1.acled = Some(Acled {
        event_type: "Explosions/Remote violence".into(),
        sub_event_type: "Shelling/artillery/missile attack".into(),
    });

    let kabul = Location {
        name: "Kabul".into(),
        country: Some("AFG".into()),
        admin1: Some("Kabul".into()),
        lat: 34.52813,
        lon: 69.17233,
        geonameid: Some(1138958),
        precision: "city".into(),
    };
    let mut e2 = event(
        "e2",
        Some(EventDate {
            date: day(2024, 4, 1),
            precision: DatePrecision::Month,
        }),
        "CONSULT",
        "036",
        4.0,
        1,
        actor(
            "The Romanian government",
            "ROUGOV",
            Some("ROU"),
            Some("GOV"),
        ),
        Some(actor(
            "Taliban insurgents",
            "AFGINSTAL",
            Some("AFG"),
            Some("INS"),
        )),
        Some(kabul),
        evidence(&a2, 5, S2B, "intends to meet"),
    );
    e2.status = Status::Planned;
    e2.source.name = Some("Government of Romania".into());

    let tajikistan = Location {
        name: "Tajikistan".into(),
        country: Some("TJK".into()),
        admin1: None,
        lat: 39.0,
        lon: 71.0,
        geonameid: Some(1220409),
        precision: "country".into(),
    };
    let e3 = event(
        "e3",
        None,
        "APPEAL",
        "02",
        3.0,
        1,
        actor("Government officials", "---GOV", None, Some("GOV")),
        None,
        Some(tajikistan),
        evidence(&a3, 0, S3A, "appealed"),
    );

    let california = Location {
        name: "California".into(),
        country: Some("USA".into()),
        admin1: Some("California".into()),
        lat: 36.17,
        lon: -119.75,
        geonameid: Some(5332921),
        precision: "admin1".into(),
    };
    let e4 = event(
        "e4",
        Some(EventDate::day(day(2024, 5, 20))),
        "PROTEST",
        "141",
        -6.5,
        3,
        actor(
            "Protesters, some carrying signs",
            "USACVL",
            Some("USA"),
            Some("CVL"),
        ),
        None,
        Some(california),
        evidence(&a4, 0, S4A, "marched"),
    );

    store
        .insert_article(&a1, std::slice::from_ref(&e1))
        .unwrap();
    store
        .insert_article(&a2, std::slice::from_ref(&e2))
        .unwrap();
    store
        .insert_article(&a3, std::slice::from_ref(&e3))
        .unwrap();
    store
        .insert_article(&a4, std::slice::from_ref(&e4))
        .unwrap();
    Fixture {
        store,
        articles: vec![a1, a2, a3, a4],
        events: vec![e3, e1, e2, e4],
    }
}
