//! The analyst's filters and aggregates (src/aggregate.rs), on SQLite and PostgreSQL.

#[macro_use]
mod common;

use chrono::NaiveDate;
use common::TestDb;
use outpost_core::{Acled, Actor, Article, Event, EventDate, Evidence, Location, Status};
use outpost_store::{CountryRole, DailyKey, Filter, Paging, Place, Sort, Store, StoreError};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn actor(code: &str, country: &str) -> Actor {
    Actor {
        text: format!("{code} people"),
        code: code.into(),
        country: Some(country.into()),
        sector: None,
        name: None,
    }
}

/// (id, day, quad, goldstein, source code, source country, target code/country, place
/// (name, country, lat, lon), ACLED type, sentence text)
type Row<'a> = (
    &'a str,
    u32,
    u8,
    f64,
    (&'a str, &'a str),
    Option<(&'a str, &'a str)>,
    Option<(&'a str, &'a str, f64, f64)>,
    Option<&'a str>,
    &'a str,
);

const NAIROBI: (&str, &str, f64, f64) = ("Nairobi", "KEN", -1.286, 36.817);
const MOMBASA: (&str, &str, f64, f64) = ("Mombasa", "KEN", -4.043, 39.668);
const KAMPALA: (&str, &str, f64, f64) = ("Kampala", "UGA", 0.347, 32.582);
const SUVA: (&str, &str, f64, f64) = ("Suva", "FJI", -18.141, 178.441);

fn rows() -> Vec<Row<'static>> {
    vec![
        (
            "e1",
            1,
            1,
            1.0,
            ("KENGOV", "KEN"),
            Some(("UGAGOV", "UGA")),
            Some(NAIROBI),
            None,
            "Envoys met in Nairobi.",
        ),
        (
            "e2",
            1,
            4,
            -10.0,
            ("KENMIL", "KEN"),
            Some(("UGAREB", "UGA")),
            Some(MOMBASA),
            Some("Battles"),
            "Troops shelled rebel camps.",
        ),
        (
            "e3",
            2,
            4,
            -8.0,
            ("UGAMIL", "UGA"),
            Some(("KENMIL", "KEN")),
            Some(KAMPALA),
            Some("Battles"),
            "Soldiers attacked a post.",
        ),
        (
            "e4",
            2,
            3,
            -4.0,
            ("KENGOV", "KEN"),
            Some(("UGAGOV", "UGA")),
            Some(NAIROBI),
            None,
            "The ministry threatened sanctions.",
        ),
        (
            "e5",
            3,
            2,
            6.0,
            ("KENGOV", "KEN"),
            Some(("UGAGOV", "UGA")),
            None,
            None,
            "Officials pledged aid.",
        ),
        (
            "e6",
            3,
            1,
            3.0,
            ("FJIGOV", "FJI"),
            None,
            Some(SUVA),
            Some("Protests"),
            "Crowds marched in Suva.",
        ),
    ]
}

fn fill(store: &mut Store) {
    for (i, (id, day, quad, g, src, tgt, place, acled, text)) in rows().into_iter().enumerate() {
        let art = Article {
            id: format!("a{i}"),
            source: format!("test:{i}"),
            title: Some(format!("Story {i}")),
            date: Some(d(2024, 6, day)),
            modified: None,
            authors: vec![],
            site: None,
            url: None,
            language: Some("en".into()),
            wire: None,
            text: text.into(),
        };
        let e = Event {
            aggregate: None,
            id: id.into(),
            date: Some(EventDate::day(d(2024, 6, day))),
            date_precision: None,
            plover: if quad >= 3 { "ASSAULT" } else { "CONSULT" }.into(),
            mode: None,
            cameo: if quad >= 3 { "190" } else { "040" }.into(),
            goldstein: g,
            quad_class: quad,
            acled: acled.map(|t| Acled {
                event_type: t.into(),
                sub_event_type: "x".into(),
            }),
            status: Status::Occurred,
            source: actor(src.0, src.1),
            target: tgt.map(|t| actor(t.0, t.1)),
            parties: vec![],
            location: place.map(|(name, c, lat, lon)| Location {
                name: name.into(),
                country: Some(c.into()),
                admin1: None,
                lat,
                lon,
                geonameid: None,
                precision: "city".into(),
            }),
            evidence: Evidence {
                article_id: format!("a{i}"),
                sentence: 0,
                text: text.into(),
                trigger: "x".into(),
                start: 0,
                end: 1,
                sentence_start: 0,
                sentence_end: text.chars().count(),
            },
            confidence: 0.8,
        };
        store.insert_article(&art, &[e]).unwrap();
    }
}

fn ids(store: &Store, f: Filter) -> Vec<String> {
    let p = Paging {
        sort: Sort::Oldest,
        ..Default::default()
    };
    store
        .list_events(&f, &p)
        .unwrap()
        .items
        .into_iter()
        .map(|e| e.id)
        .collect()
}

fn filters_select_the_right_events(db: &TestDb) {
    let mut store = db.open();
    fill(&mut store);
    assert_eq!(ids(&store, Filter::default()).len(), 6);
    let actor = |a: &str| Filter {
        actor: Some(a.into()),
        ..Default::default()
    };
    assert_eq!(ids(&store, actor("kengov")), ["e1", "e4", "e5"]);
    assert_eq!(ids(&store, actor("KENM")), ["e2", "e3"]);
    assert_eq!(ids(&store, actor("UGAREB")), ["e2"]);
    assert!(ids(&store, actor("KENGOVX")).is_empty());
    let acled = Filter {
        acled_type: Some("Battles".into()),
        ..Default::default()
    };
    assert_eq!(ids(&store, acled), ["e2", "e3"]);
    // Around Nairobi: Nairobi itself (twice) but not Mombasa (≈ 440 km) nor Kampala.
    let near = |r: f64| Filter {
        place: Some(Place::Near {
            lat: -1.3,
            lon: 36.8,
            radius_km: r,
        }),
        ..Default::default()
    };
    assert_eq!(ids(&store, near(20.0)), ["e1", "e4"]);
    assert_eq!(ids(&store, near(500.0)), ["e1", "e2", "e4"]);
    let bbox = Filter {
        place: Some(Place::BBox {
            min_lon: 30.0,
            min_lat: -5.0,
            max_lon: 37.0,
            max_lat: 1.0,
        }),
        ..Default::default()
    };
    assert_eq!(ids(&store, bbox), ["e1", "e3", "e4"]);
    // A box over the antimeridian catches Suva only.
    let wrap = Filter {
        place: Some(Place::BBox {
            min_lon: 170.0,
            min_lat: -30.0,
            max_lon: -170.0,
            max_lat: 0.0,
        }),
        ..Default::default()
    };
    assert_eq!(ids(&store, wrap), ["e6"]);
    let dyad = Filter {
        dyad: Some(("ken".into(), "uga".into())),
        ..Default::default()
    };
    assert_eq!(ids(&store, dyad), ["e1", "e2", "e4", "e5"]);
    let combined = Filter {
        country: Some("UGA".into()),
        quad_class: Some(4),
        from: Some(d(2024, 6, 2)),
        text: Some("soldiers".into()),
        ..Default::default()
    };
    assert_eq!(ids(&store, combined), ["e3"]);
    // Hostile text is only ever a bound value.
    let odd = Filter {
        acled_type: Some("x' OR '1'='1".into()),
        ..Default::default()
    };
    assert!(ids(&store, odd).is_empty());
}

fn listing_pages_with_cursors(db: &TestDb) {
    let mut store = db.open();
    fill(&mut store);
    let mut seen = Vec::new();
    let mut p = Paging {
        limit: Some(4),
        ..Default::default()
    };
    loop {
        let page = store.list_events(&Filter::default(), &p).unwrap();
        seen.extend(page.items.into_iter().map(|e| e.id));
        match page.next_cursor {
            Some(c) => p.cursor = Some(c),
            None => break,
        }
    }
    assert_eq!(seen, ["e6", "e5", "e4", "e3", "e2", "e1"]);
    let bad = Paging {
        cursor: Some("nope".into()),
        ..Default::default()
    };
    assert!(matches!(
        store.list_events(&Filter::default(), &bad),
        Err(StoreError::InvalidQuery(_))
    ));
}

fn daily_counts_split_by_key(db: &TestDb) {
    let mut store = db.open();
    fill(&mut store);
    let got: Vec<(String, String, u64)> = store
        .daily_counts(&Filter::default(), DailyKey::QuadClass)
        .unwrap()
        .into_iter()
        .map(|c| (c.day, c.key, c.count))
        .collect();
    let want: Vec<(String, String, u64)> = [
        ("2024-06-01", "1", 1),
        ("2024-06-01", "4", 1),
        ("2024-06-02", "3", 1),
        ("2024-06-02", "4", 1),
        ("2024-06-03", "1", 1),
        ("2024-06-03", "2", 1),
    ]
    .iter()
    .map(|(a, b, c)| (a.to_string(), b.to_string(), *c))
    .collect();
    assert_eq!(got, want);
    let plover = store
        .daily_counts(
            &Filter {
                country: Some("KEN".into()),
                ..Default::default()
            },
            DailyKey::Plover,
        )
        .unwrap();
    let total: u64 = plover.iter().map(|c| c.count).sum();
    assert_eq!(total, 5);
    assert!(
        plover
            .iter()
            .all(|c| c.key == "ASSAULT" || c.key == "CONSULT")
    );
}

fn dyads_countries_places_and_index(db: &TestDb) {
    let mut store = db.open();
    fill(&mut store);
    let dyads = store.top_dyads(&Filter::default(), None).unwrap();
    assert_eq!(dyads.len(), 2);
    assert_eq!(
        (dyads[0].source.as_str(), dyads[0].target.as_str()),
        ("KEN", "UGA")
    );
    assert_eq!(dyads[0].count, 4);
    assert_eq!(dyads[0].conflict, 2);
    // (1 − 10 − 4 + 6) / 4
    assert!((dyads[0].mean_goldstein - (-1.75)).abs() < 1e-9);
    assert_eq!((dyads[1].source.as_str(), dyads[1].count), ("UGA", 1));
    let limited = store.top_dyads(&Filter::default(), Some(1)).unwrap();
    assert_eq!(limited.len(), 1);

    let any: Vec<(String, u64)> = store
        .country_counts(&Filter::default(), CountryRole::Any)
        .unwrap()
        .into_iter()
        .map(|c| (c.key, c.count))
        .collect();
    // KEN: e1–e5 (e3 as target); UGA: e1–e5 (as target or source or place); FJI: e6.
    assert_eq!(
        any,
        [
            ("KEN".to_string(), 5),
            ("UGA".to_string(), 5),
            ("FJI".to_string(), 1)
        ]
    );
    let loc: Vec<(String, u64)> = store
        .country_counts(&Filter::default(), CountryRole::Location)
        .unwrap()
        .into_iter()
        .map(|c| (c.key, c.count))
        .collect();
    assert_eq!(
        loc,
        [
            ("KEN".to_string(), 3),
            ("FJI".to_string(), 1),
            ("UGA".to_string(), 1)
        ]
    );

    let places = store.place_counts(&Filter::default(), None).unwrap();
    assert_eq!(places.len(), 4);
    assert_eq!((places[0].name.as_str(), places[0].count), ("Nairobi", 2));
    assert_eq!(places[0].country.as_deref(), Some("KEN"));
    assert!((places[0].lat - NAIROBI.2).abs() < 1e-9);

    let idx = store
        .daily_index(&Filter {
            dyad: Some(("KEN".into(), "UGA".into())),
            ..Default::default()
        })
        .unwrap();
    let got: Vec<(String, u64, f64, f64, f64)> = idx
        .into_iter()
        .map(|p| (p.day, p.events, p.cooperation, p.conflict, p.index))
        .collect();
    assert_eq!(
        got,
        [
            ("2024-06-01".to_string(), 2, 1.0, 10.0, -4.5),
            ("2024-06-02".to_string(), 1, 0.0, 4.0, -4.0),
            ("2024-06-03".to_string(), 1, 6.0, 0.0, 6.0),
        ]
    );
}

fn facts_and_lookups_for_in_memory_copies(db: &TestDb) {
    let mut store = db.open();
    fill(&mut store);
    assert_eq!(store.event_count().unwrap(), 6);
    let first = store.event_facts(None, 4).unwrap();
    let ids: Vec<&str> = first.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(ids, ["e1", "e2", "e3", "e4"]);
    let rest = store.event_facts(Some("e4"), 4).unwrap();
    assert_eq!(
        rest.iter().map(|f| f.id.as_str()).collect::<Vec<_>>(),
        ["e5", "e6"]
    );
    let e2 = &first[1];
    assert_eq!(
        (
            e2.date_key.as_str(),
            e2.quad_class,
            e2.plover.as_str(),
            e2.cameo_root.as_str()
        ),
        ("2024-06-01", 4, "ASSAULT", "19")
    );
    assert_eq!(e2.acled_type.as_deref(), Some("Battles"));
    assert_eq!(
        (e2.source_code.as_str(), e2.target_code.as_deref()),
        ("KENMIL", Some("UGAREB"))
    );
    assert_eq!(e2.location_country.as_deref(), Some("KEN"));
    assert_eq!(e2.lat_lon, Some((MOMBASA.2, MOMBASA.3)));
    assert_eq!(e2.goldstein, -10.0);
    assert_eq!(rest[0].lat_lon, None);
    assert_eq!(rest[0].status, "occurred");
    let want = ["e6".to_string(), "nope".to_string(), "e1".to_string()];
    let got: Vec<String> = store
        .events_by_ids(&want)
        .unwrap()
        .into_iter()
        .map(|e| e.id)
        .collect();
    assert_eq!(got, ["e6", "e1"]);
    let json = store.event_json_by_ids(&want).unwrap();
    assert_eq!(json.len(), 2);
    assert!(json[0].contains("\"id\":\"e6\""));
    assert_eq!(
        store.place_name(NAIROBI.2, NAIROBI.3).unwrap(),
        Some(("Nairobi".to_string(), Some("KEN".to_string())))
    );
    assert_eq!(store.place_name(0.0, 0.0).unwrap(), None);
}

on_both_backends!(
    facts_and_lookups_for_in_memory_copies,
    filters_select_the_right_events,
    listing_pages_with_cursors,
    daily_counts_split_by_key,
    dyads_countries_places_and_index,
);
