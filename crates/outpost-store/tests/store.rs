//! Store behaviour over hand-built articles and events. Every test in `on_both_backends!`
//! runs twice: on a SQLite file and on a fresh PostgreSQL database (see `common`).

#[macro_use]
mod common;

use chrono::NaiveDate;
use common::{Kind, TestDb};
use outpost_core::{
    Acled, Actor, Article, DatePrecision, Event, EventDate, Evidence, Location, Status,
};
use outpost_store::migrations::known_version;
use outpost_store::{EventQuery, InsertOutcome, Sort, Store, StoreError};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn article(id: &str, source: &str, text: &str) -> Article {
    Article {
        id: id.into(),
        source: source.into(),
        title: Some(format!("Headline of {id}")),
        date: Some(d(2024, 3, 10)),
        modified: Some(d(2024, 3, 11)),
        authors: vec!["Jane Roe".into(), "Ali Veli".into()],
        site: Some("Example Times".into()),
        url: Some(format!("https://news.example/{id}")),
        language: Some("en".into()),
        wire: Some("AFP".into()),
        text: text.into(),
    }
}

fn actor(text: &str, code: &str, country: Option<&str>) -> Actor {
    Actor {
        text: text.into(),
        code: code.into(),
        country: country.map(str::to_string),
        sector: Some("GOV".into()),
        name: None,
    }
}

/// Parameters that vary between test events.
struct Spec<'a> {
    id: &'a str,
    sentence: usize,
    date: Option<EventDate>,
    plover: &'a str,
    cameo: &'a str,
    quad: u8,
    status: Status,
    src: Option<&'a str>,
    tgt: Option<&'a str>,
    loc: Option<&'a str>,
    text: &'a str,
    trigger: &'a str,
}

fn event(article_id: &str, s: Spec<'_>) -> Event {
    Event {
        aggregate: None,
        id: s.id.into(),
        date: s.date,
        date_precision: s.date.map(|d| d.precision),
        plover: s.plover.into(),
        mode: Some("phone".into()),
        cameo: s.cameo.into(),
        goldstein: -2.5,
        quad_class: s.quad,
        acled: (s.plover == "ASSAULT").then(|| Acled {
            event_type: "Battles".into(),
            sub_event_type: "Armed clash".into(),
        }),
        status: s.status,
        source: actor("the ministry", "XXXGOV", s.src),
        target: s.tgt.map(|c| actor("border guards", "YYYMIL", Some(c))),
        parties: vec![],
        location: s.loc.map(|c| Location {
            name: "Somewhere".into(),
            country: Some(c.into()),
            admin1: Some("Province".into()),
            lat: 34.5,
            lon: 69.25,
            geonameid: Some(1138958),
            precision: "city".into(),
        }),
        evidence: Evidence {
            article_id: article_id.into(),
            sentence: s.sentence,
            text: s.text.into(),
            trigger: s.trigger.into(),
            start: 4,
            end: 9,
            sentence_start: 0,
            sentence_end: s.text.chars().count(),
        },
        confidence: 0.75,
    }
}

fn spec<'a>(id: &'a str, date: Option<NaiveDate>, plover: &'a str) -> Spec<'a> {
    Spec {
        id,
        sentence: 0,
        date: date.map(EventDate::day),
        plover,
        cameo: "042",
        quad: 1,
        status: Status::Occurred,
        src: Some("AFG"),
        tgt: Some("TJK"),
        loc: Some("AFG"),
        text: "Officials met their neighbours to discuss trade.",
        trigger: "met",
    }
}

/// A small corpus: two articles, five events with varied fields.
fn fill(store: &mut Store) -> (Vec<Article>, Vec<Event>) {
    let a1 = article(
        "art1",
        "feed.jsonl:1",
        "First paragraph.\n\nSecond paragraph.",
    );
    let a2 = article("art2", "feed.jsonl:2", "Another story entirely.");
    let e1 = event("art1", spec("e1", Some(d(2024, 3, 8)), "CONSULT"));
    let e2 = event(
        "art1",
        Spec {
            sentence: 1,
            cameo: "190",
            quad: 4,
            tgt: Some("UZB"),
            loc: Some("UZB"),
            text: "Rebels shelled a garrison near the river crossing.",
            trigger: "shelled",
            ..spec("e2", Some(d(2024, 3, 9)), "ASSAULT")
        },
    );
    let e3 = event(
        "art2",
        Spec {
            date: Some(EventDate {
                date: d(2024, 2, 1),
                precision: DatePrecision::Month,
            }),
            status: Status::Planned,
            cameo: "036",
            src: Some("RUS"),
            tgt: None,
            loc: None,
            text: "Moscow promised to send engineers next month.",
            trigger: "promised",
            ..spec("e3", None, "COOPERATE")
        },
    );
    let e4 = event(
        "art2",
        Spec {
            sentence: 2,
            status: Status::Denied,
            cameo: "190",
            quad: 4,
            src: Some("PAK"),
            tgt: Some("IND"),
            loc: Some("IND"),
            text: "The army denied that it fired across the line.",
            trigger: "fired",
            ..spec("e4", Some(d(2024, 3, 9)), "ASSAULT")
        },
    );
    let e5 = event(
        "art2",
        Spec {
            sentence: 3,
            src: None,
            tgt: None,
            loc: None,
            text: "Négociations resumed without a fixed date.",
            trigger: "resumed",
            ..spec("e5", None, "CONSULT")
        },
    );
    assert_eq!(
        store
            .insert_article(&a1, &[e1.clone(), e2.clone()])
            .unwrap(),
        InsertOutcome::Added
    );
    assert_eq!(
        store
            .insert_article(&a2, &[e3.clone(), e4.clone(), e5.clone()])
            .unwrap(),
        InsertOutcome::Added
    );
    (vec![a1, a2], vec![e1, e2, e3, e4, e5])
}

fn ids(store: &Store, q: EventQuery) -> Vec<String> {
    let page = store.events(&q).unwrap();
    let mut v: Vec<String> = page.items.into_iter().map(|e| e.id).collect();
    v.sort();
    v
}

fn round_trip_article_and_events_as_json(db: &TestDb) {
    let mut store = db.open();
    let (arts, evs) = fill(&mut store);
    for a in &arts {
        let back = store.article(&a.id).unwrap().unwrap();
        assert_eq!(
            serde_json::to_value(&back).unwrap(),
            serde_json::to_value(a).unwrap()
        );
        assert!(store.has_article(&a.id).unwrap());
    }
    for e in &evs {
        let mut back = store.event(&e.id).unwrap().unwrap();
        // Reads add the aggregate the event belongs to; the rest is as stored.
        assert!(back.aggregate.take().is_some_and(|a| a.num_mentions >= 1));
        assert_eq!(
            serde_json::to_value(&back).unwrap(),
            serde_json::to_value(e).unwrap()
        );
    }
    assert!(store.article("nope").unwrap().is_none());
    assert!(!store.has_article("nope").unwrap());
    assert!(store.event("nope").unwrap().is_none());
    let for_a2: Vec<String> = store
        .events_for_article("art2")
        .unwrap()
        .into_iter()
        .map(|e| e.id)
        .collect();
    assert_eq!(for_a2, ["e3", "e4", "e5"]);
    assert!(store.events_for_article("nope").unwrap().is_empty());
}

fn reinsert_is_already_present_and_changes_nothing(db: &TestDb) {
    let mut store = db.open();
    let (arts, evs) = fill(&mut store);
    let before = store.stats().unwrap();
    // Same article, even with different events offered: nothing changes.
    let extra = event("art1", spec("e-new", Some(d(2024, 1, 1)), "AID"));
    assert_eq!(
        store
            .insert_article(&arts[0], &[evs[0].clone(), extra])
            .unwrap(),
        InsertOutcome::AlreadyPresent
    );
    assert_eq!(store.stats().unwrap(), before);
    assert!(store.event("e-new").unwrap().is_none());
    // The same text seen in another input: one more mention, no new events.
    let mut copy = arts[0].clone();
    copy.source = "mirror.warc@1234".into();
    assert_eq!(
        store.insert_article(&copy, &[]).unwrap(),
        InsertOutcome::AlreadyPresent
    );
    let after = store.stats().unwrap();
    assert_eq!(after.mentions, before.mentions + 1);
    assert_eq!(after.events, before.events);
    assert_eq!(after.articles, before.articles);
    // The stored article keeps its first source.
    assert_eq!(
        store.article("art1").unwrap().unwrap().source,
        "feed.jsonl:1"
    );
}

fn duplicate_event_ids_in_one_batch_are_stored_once(db: &TestDb) {
    let mut store = db.open();
    let a = article("art9", "x:1", "Text.");
    let e = event("art9", spec("dup", Some(d(2024, 1, 2)), "CONSULT"));
    assert_eq!(
        store.insert_article(&a, &[e.clone(), e]).unwrap(),
        InsertOutcome::Added
    );
    assert_eq!(store.stats().unwrap().events, 1);
}

fn each_filter_selects_the_right_events(db: &TestDb) {
    let mut store = db.open();
    fill(&mut store);
    let all = ids(&store, EventQuery::default());
    assert_eq!(all, ["e1", "e2", "e3", "e4", "e5"]);
    let q = |f: fn(&mut EventQuery)| {
        let mut q = EventQuery::default();
        f(&mut q);
        ids(&store, q)
    };
    assert_eq!(q(|q| q.from = Some(d(2024, 3, 9))), ["e2", "e4"]);
    assert_eq!(q(|q| q.to = Some(d(2024, 3, 8))), ["e1", "e3"]);
    assert_eq!(
        q(|q| {
            q.from = Some(d(2024, 3, 1));
            q.to = Some(d(2024, 3, 8));
        }),
        ["e1"]
    );
    // Source, target or location country; case-insensitive.
    assert_eq!(q(|q| q.country = Some("uzb".into())), ["e2"]);
    assert_eq!(q(|q| q.country = Some("IND".into())), ["e4"]);
    assert_eq!(q(|q| q.country = Some("AFG".into())), ["e1", "e2"]);
    assert_eq!(q(|q| q.country = Some("TJK".into())), ["e1"]);
    assert_eq!(q(|q| q.plover = Some("assault".into())), ["e2", "e4"]);
    assert_eq!(q(|q| q.cameo_root = Some("19".into())), ["e2", "e4"]);
    assert_eq!(q(|q| q.cameo_root = Some("03".into())), ["e3"]);
    assert_eq!(q(|q| q.quad_class = Some(4)), ["e2", "e4"]);
    assert_eq!(q(|q| q.quad_class = Some(1)), ["e1", "e3", "e5"]);
    assert_eq!(q(|q| q.status = Some(Status::Planned)), ["e3"]);
    assert_eq!(q(|q| q.status = Some(Status::Denied)), ["e4"]);
    assert_eq!(q(|q| q.article_id = Some("art1".into())), ["e1", "e2"]);
    // Full-text: sentence words, trigger, prefixes, diacritics, actor phrases.
    assert_eq!(q(|q| q.text = Some("garrison".into())), ["e2"]);
    assert_eq!(q(|q| q.text = Some("engin".into())), ["e3"]);
    assert_eq!(q(|q| q.text = Some("negociations".into())), ["e5"]);
    assert_eq!(
        q(|q| q.text = Some("border guards".into())),
        ["e1", "e2", "e4"]
    );
    assert_eq!(q(|q| q.text = Some("shelled river".into())), ["e2"]);
    assert!(q(|q| q.text = Some("shelled promised".into())).is_empty());
    // User-typed FTS syntax is treated as words, not operators.
    assert_eq!(
        q(|q| q.text = Some("garrison OR engineers".into())),
        Vec::<String>::new()
    );
    assert_eq!(q(|q| q.text = Some("\"garrison".into())), ["e2"]);
    // Combined filters are ANDed.
    assert_eq!(
        q(|q| {
            q.plover = Some("ASSAULT".into());
            q.status = Some(Status::Occurred);
        }),
        ["e2"]
    );
    assert!(q(|q| q.plover = Some("AID".into())).is_empty());
}

fn invalid_queries_are_reported(db: &TestDb) {
    let mut store = db.open();
    fill(&mut store);
    for q in [
        EventQuery {
            limit: Some(0),
            ..Default::default()
        },
        EventQuery {
            cursor: Some("garbage".into()),
            ..Default::default()
        },
        EventQuery {
            text: Some("!!".into()),
            ..Default::default()
        },
        EventQuery {
            quad_class: Some(0),
            ..Default::default()
        },
    ] {
        assert!(
            matches!(store.events(&q), Err(StoreError::InvalidQuery(_))),
            "{q:?}"
        );
    }
}

fn pagination_visits_every_row_exactly_once_in_order(db: &TestDb) {
    let mut store = db.open();
    // Every row is its own event here (aggregation is tested in tests/dedup.rs).
    store.set_aggregation(false);
    // 3 articles × 9 events, many sharing a date, some undated, to exercise the (date, id) key.
    let mut expected = Vec::new();
    for a in 0..3 {
        let aid = format!("a{a}");
        let art = article(&aid, &format!("src:{a}"), &format!("Body {a}."));
        let evs: Vec<Event> = (0..9)
            .map(|i| {
                let id = format!("ev{a}{i}");
                let date = (i % 4 != 0).then(|| d(2024, 1, 1 + (i % 3)));
                event(
                    &aid,
                    Spec {
                        sentence: i as usize,
                        ..spec(&id, date, "CONSULT")
                    },
                )
            })
            .collect();
        expected.extend(evs.iter().map(|e| e.id.clone()));
        store.insert_article(&art, &evs).unwrap();
    }
    expected.sort();
    for sort in [Sort::Newest, Sort::Oldest] {
        for limit in [1, 2, 4, 7, 27, 100] {
            let mut seen: Vec<Event> = Vec::new();
            let mut cursor = None;
            let mut pages = 0;
            loop {
                let page = store
                    .events(&EventQuery {
                        limit: Some(limit),
                        cursor: cursor.clone(),
                        sort,
                        ..Default::default()
                    })
                    .unwrap();
                assert!(page.items.len() <= limit);
                pages += 1;
                seen.extend(page.items);
                match page.next_cursor {
                    Some(c) => cursor = Some(c),
                    None => break,
                }
                assert!(pages < 100, "pagination does not end");
            }
            let keys: Vec<(String, String)> = seen
                .iter()
                .map(|e| {
                    (
                        e.date.map(|d| d.to_string()).unwrap_or_default(),
                        e.id.clone(),
                    )
                })
                .collect();
            let mut sorted = keys.clone();
            sorted.sort();
            if sort == Sort::Newest {
                sorted.reverse();
            }
            assert_eq!(keys, sorted, "{sort:?} limit {limit}: order");
            let mut got: Vec<String> = seen.into_iter().map(|e| e.id).collect();
            got.sort();
            assert_eq!(got, expected, "{sort:?} limit {limit}: coverage");
        }
    }
    // Pagination combined with a filter.
    let page = store
        .events(&EventQuery {
            article_id: Some("a1".into()),
            limit: Some(5),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(page.items.len(), 5);
    let rest = store
        .events(&EventQuery {
            article_id: Some("a1".into()),
            limit: Some(5),
            cursor: page.next_cursor,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(rest.items.len(), 4);
    assert!(rest.next_cursor.is_none());
    assert!(rest.items.iter().all(|e| e.evidence.article_id == "a1"));
}

fn limit_is_capped_at_1000(db: &TestDb) {
    let mut store = db.open();
    store.set_aggregation(false);
    let art = article("big", "s", "Big.");
    let evs: Vec<Event> = (0..1005)
        .map(|i| {
            event(
                "big",
                spec(&format!("e{i:04}"), Some(d(2024, 5, 1)), "CONSULT"),
            )
        })
        .collect();
    store.insert_article(&art, &evs).unwrap();
    let page = store
        .events(&EventQuery {
            limit: Some(5000),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(page.items.len(), 1000);
    assert!(page.next_cursor.is_some());
    let page = store.events(&EventQuery::default()).unwrap();
    assert_eq!(page.items.len(), 100);
}

fn stats_count_articles_events_types_and_countries(db: &TestDb) {
    let mut store = db.open();
    fill(&mut store);
    store.record_skip("bad.html", "no main text").unwrap();
    store.record_skip("worse.bin", "not text").unwrap();
    // Skipping the same input for the same reason again (a re-ingest) adds nothing.
    store.record_skip("bad.html", "no main text").unwrap();
    let s = store.stats().unwrap();
    assert_eq!((s.articles, s.events, s.mentions, s.skipped), (2, 5, 2, 2));
    assert_eq!(s.first_date.as_deref(), Some("2024-02-01"));
    assert_eq!(s.last_date.as_deref(), Some("2024-03-09"));
    let plover: Vec<(&str, u64)> = s
        .by_plover
        .iter()
        .map(|c| (c.key.as_str(), c.count))
        .collect();
    assert_eq!(plover, [("ASSAULT", 2), ("CONSULT", 2), ("COOPERATE", 1)]);
    let country: Vec<(&str, u64)> = s
        .by_country
        .iter()
        .map(|c| (c.key.as_str(), c.count))
        .collect();
    // e1: AFG,TJK  e2: AFG,UZB  e3: RUS  e4: PAK,IND  e5: none
    assert_eq!(
        country,
        [
            ("AFG", 2),
            ("IND", 1),
            ("PAK", 1),
            ("RUS", 1),
            ("TJK", 1),
            ("UZB", 1)
        ]
    );
}

fn failing_insert_leaves_nothing_half_written(db: &TestDb) {
    let mut store = db.open();
    let a = article("atomic", "s:1", "Text.");
    let good = event("atomic", spec("good", Some(d(2024, 1, 1)), "CONSULT"));
    // quad_class 7 passes the Rust-side checks but violates the table's CHECK constraint,
    // so the failure happens after the article and the first event were written.
    let bad = event(
        "atomic",
        Spec {
            quad: 7,
            ..spec("bad", Some(d(2024, 1, 1)), "CONSULT")
        },
    );
    let err = store.insert_article(&a, &[good.clone(), bad]).unwrap_err();
    assert!(db.is_engine_error(&err), "{err}");
    // The engine's own message (which constraint) reaches the caller.
    assert!(err.to_string().contains("quad_class"), "{err}");
    assert!(!store.has_article("atomic").unwrap());
    assert!(store.event("good").unwrap().is_none());
    let s = store.stats().unwrap();
    assert_eq!((s.articles, s.events, s.mentions), (0, 0, 0));
    assert!(
        store
            .events(&EventQuery {
                text: Some("neighbours".into()),
                ..Default::default()
            })
            .unwrap()
            .items
            .is_empty()
    );
    // The store is still usable and the same article can be stored correctly afterwards.
    assert_eq!(
        store.insert_article(&a, &[good]).unwrap(),
        InsertOutcome::Added
    );
}

fn events_that_do_not_belong_or_are_not_finite_are_refused(db: &TestDb) {
    let mut store = db.open();
    let a = article("mine", "s:1", "Text.");
    let foreign = event("other", spec("f", None, "CONSULT"));
    assert!(matches!(
        store.insert_article(&a, &[foreign]),
        Err(StoreError::InvalidEvent { .. })
    ));
    let mut nan = event("mine", spec("n", None, "CONSULT"));
    nan.goldstein = f64::NAN;
    assert!(matches!(
        store.insert_article(&a, &[nan]),
        Err(StoreError::InvalidEvent { .. })
    ));
    assert!(!store.has_article("mine").unwrap());
}

fn data_persists_across_connections(db: &TestDb) {
    {
        let mut store = db.open();
        assert_eq!(store.schema_version().unwrap(), known_version());
        fill(&mut store);
    }
    let store = db.open();
    assert_eq!(store.schema_version().unwrap(), known_version());
    assert_eq!(db.raw_version(), known_version());
    assert_eq!(store.stats().unwrap().events, 5);
    assert_eq!(
        ids(
            &store,
            EventQuery {
                text: Some("garrison".into()),
                ..Default::default()
            }
        ),
        ["e2"]
    );
}

fn newer_schema_is_refused_and_left_untouched(db: &TestDb) {
    // A database a newer build made: a table this build does not know, version 99.
    let before_bytes = (db.kind == Kind::Sqlite).then(|| {
        db.raw("CREATE TABLE future_thing (x INTEGER);");
        db.raw_set_version(99);
        std::fs::read(db.path()).unwrap()
    });
    if db.kind == Kind::Postgres {
        db.raw("CREATE TABLE future_thing (x INTEGER);");
        db.raw_set_version(99);
    }
    match db.try_open() {
        Err(StoreError::SchemaTooNew { found, known }) => {
            assert_eq!((found, known), (99, known_version()));
        }
        other => panic!("expected SchemaTooNew, got {other:?}"),
    }
    assert_eq!(db.raw_version(), 99);
    assert!(db.table_exists("future_thing"));
    assert!(!db.table_exists("articles"));
    assert!(!db.table_exists("work_queue"));
    if let Some(before) = before_bytes {
        assert_eq!(std::fs::read(db.path()).unwrap(), before);
        let raw = rusqlite::Connection::open(db.path()).unwrap();
        let mode: String = raw
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap();
        assert_eq!(mode.to_ascii_lowercase(), "delete");
    }
}

fn populated_database_at_a_newer_version_is_refused_and_kept(db: &TestDb) {
    {
        let mut store = db.open();
        fill(&mut store);
    }
    db.raw_set_version(known_version() + 1);
    assert!(matches!(
        db.try_open(),
        Err(StoreError::SchemaTooNew { .. })
    ));
    assert_eq!(db.raw_version(), known_version() + 1);
    // Back at this build's version, everything is still there.
    db.raw_set_version(known_version());
    assert_eq!(db.open().stats().unwrap().events, 5);
}

fn empty_database_is_migrated_on_open(db: &TestDb) {
    if db.kind == Kind::Sqlite {
        db.raw("PRAGMA user_version = 0;");
    }
    let store = db.open();
    assert_eq!(store.schema_version().unwrap(), known_version());
    assert_eq!(store.stats().unwrap().articles, 0);
    assert_eq!(store.queue_stats().unwrap().pending, 0);
}

fn version_1_database_is_upgraded_keeping_its_data(db: &TestDb) {
    // As the first release left it: the version-1 schema only, with one article stored.
    db.raw_migrate_to(1);
    assert!(!db.table_exists("work_queue"));
    let search_col = if db.kind == Kind::Postgres {
        ", search"
    } else {
        ""
    };
    let search_val = if db.kind == Kind::Postgres {
        ", ''::tsvector"
    } else {
        ""
    };
    db.raw(&format!(
        "INSERT INTO articles (id, source, authors, text, ingested_at)
            VALUES ('old', 'old.jsonl:1', '[]', 'Old text.', '2024-01-01T00:00:00Z');
         INSERT INTO events (id, article_id, sentence, date_key, plover, cameo, cameo_root,
            goldstein, quad_class, status, source_code, confidence, json{search_col})
            VALUES ('olde', 'old', 0, '', 'CONSULT', '040', '04', 1.0, 1, 'occurred',
                    'XXX', 0.5, '{{}}'{search_val});"
    ));
    let mut store = db.open();
    assert_eq!(store.schema_version().unwrap(), known_version());
    assert_eq!(db.raw_version(), known_version());
    let s = store.stats().unwrap();
    assert_eq!((s.articles, s.events), (1, 1));
    assert!(store.has_article("old").unwrap());
    assert_eq!(store.enqueue(&["new.warc".into()]).unwrap(), 1);
}

fn simultaneous_starts_migrate_once(db: &TestDb) {
    // Several workers start on a fresh database at the same moment.
    let spec = db.spec.clone();
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let spec = spec.clone();
            std::thread::spawn(move || Store::connect(&spec).map(|s| s.schema_version().unwrap()))
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().unwrap().unwrap(), known_version());
    }
    assert_eq!(db.raw_version(), known_version());
    assert_eq!(db.open().stats().unwrap().articles, 0);
}

fn same_article_from_parallel_workers_is_stored_once(db: &TestDb) {
    db.open();
    let handles: Vec<_> = (0..4)
        .map(|w| {
            let spec = db.spec.clone();
            std::thread::spawn(move || {
                let mut store = Store::connect(&spec).unwrap();
                let mut a = article("shared", &format!("worker{w}.jsonl:1"), "Same text.");
                a.source = format!("worker{w}.jsonl:1");
                let evs = [
                    event("shared", spec_of("s1")),
                    event("shared", spec_of("s2")),
                ];
                store.insert_article(&a, &evs).unwrap()
            })
        })
        .collect();
    let outcomes: Vec<InsertOutcome> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert_eq!(
        outcomes
            .iter()
            .filter(|o| **o == InsertOutcome::Added)
            .count(),
        1,
        "{outcomes:?}"
    );
    let s = db.open().stats().unwrap();
    // One article, its two events, and a mention per worker's source.
    assert_eq!((s.articles, s.events, s.mentions), (1, 2, 4));
}

fn spec_of(id: &str) -> Spec<'_> {
    spec(id, Some(d(2024, 6, 1)), "CONSULT")
}

on_both_backends!(
    round_trip_article_and_events_as_json,
    reinsert_is_already_present_and_changes_nothing,
    duplicate_event_ids_in_one_batch_are_stored_once,
    each_filter_selects_the_right_events,
    invalid_queries_are_reported,
    pagination_visits_every_row_exactly_once_in_order,
    limit_is_capped_at_1000,
    stats_count_articles_events_types_and_countries,
    failing_insert_leaves_nothing_half_written,
    events_that_do_not_belong_or_are_not_finite_are_refused,
    data_persists_across_connections,
    newer_schema_is_refused_and_left_untouched,
    populated_database_at_a_newer_version_is_refused_and_kept,
    empty_database_is_migrated_on_open,
    version_1_database_is_upgraded_keeping_its_data,
    simultaneous_starts_migrate_once,
    same_article_from_parallel_workers_is_stored_once,
);

// SQLite-only behaviour.

#[test]
fn sqlite_in_memory_store_works() {
    let mut store = Store::open_in_memory().unwrap();
    fill(&mut store);
    assert_eq!(store.stats().unwrap().events, 5);
    assert_eq!(store.backend_kind(), "sqlite");
}

#[test]
fn sqlite_file_uses_wal() {
    let db = TestDb::sqlite();
    fill(&mut db.open());
    let raw = rusqlite::Connection::open(db.path()).unwrap();
    let mode: String = raw
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(mode.to_ascii_lowercase(), "wal");
}

#[test]
fn sqlite_readers_open_and_read_while_a_writer_holds_the_lock() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("busy.db");
    let mut writer = Store::open(&path).unwrap();
    fill(&mut writer);
    let raw = rusqlite::Connection::open(&path).unwrap();
    raw.execute_batch("BEGIN IMMEDIATE; INSERT INTO skipped VALUES ('a', 'b', 'c');")
        .unwrap();
    let started = std::time::Instant::now();
    let reader = Store::open(&path).unwrap();
    assert_eq!(reader.stats().unwrap().events, 5);
    // The uncommitted write is not visible, and the reader did not wait for the lock.
    assert_eq!(reader.stats().unwrap().skipped, 0);
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
    raw.execute_batch("COMMIT;").unwrap();
    assert_eq!(reader.stats().unwrap().skipped, 1);
}

// PostgreSQL-only behaviour.

#[test]
fn postgres_orders_by_bytes_whatever_the_collation() {
    // Mixed case and punctuation sort differently under a language collation; keyset
    // pagination and the expected order both rely on byte order, as on SQLite.
    let db = TestDb::postgres();
    let mut store = db.open();
    store.set_aggregation(false);
    let a = article("coll", "c:1", "Text.");
    let idents = ["B-2", "a_1", "a-1", "Z", "b"];
    let evs: Vec<Event> = idents
        .iter()
        .map(|i| event("coll", spec(i, Some(d(2024, 1, 1)), "CONSULT")))
        .collect();
    store.insert_article(&a, &evs).unwrap();
    let page = store
        .events(&EventQuery {
            sort: Sort::Oldest,
            ..Default::default()
        })
        .unwrap();
    let got: Vec<String> = page.items.into_iter().map(|e| e.id).collect();
    let mut want: Vec<String> = idents.iter().map(|s| s.to_string()).collect();
    want.sort();
    assert_eq!(got, want);
}

#[test]
fn postgres_connect_failure_is_an_error_not_a_panic() {
    let err = Store::connect("postgresql://postgres@127.0.0.1:1/none").unwrap_err();
    assert!(matches!(err, StoreError::Postgres(_)), "{err}");
    assert!(err.to_string().contains("PostgreSQL"), "{err}");
}

#[test]
fn postgres_store_works_from_spawn_blocking_in_an_async_server() {
    // The server keeps stores in a pool and uses them from tokio's blocking threads; the sync
    // client runs its own runtime, which must not clash with the server's.
    let db = TestDb::postgres();
    let spec = db.spec.clone();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .unwrap();
    let events = rt.block_on(async move {
        let mut store = tokio::task::spawn_blocking(move || Store::connect(&spec).unwrap())
            .await
            .unwrap();
        tokio::task::spawn_blocking(move || {
            fill(&mut store);
            store.stats().unwrap().events
        })
        .await
        .unwrap()
    });
    assert_eq!(events, 5);
}
