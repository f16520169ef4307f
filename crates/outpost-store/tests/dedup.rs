//! Deduplication and aggregation in the store, on both backends: copies under other URLs,
//! near-duplicate story clusters, aggregated events with their counts and mentions.

#[macro_use]
mod common;

use chrono::NaiveDate;
use common::TestDb;
use outpost_core::{Actor, Article, Event, EventDate, Evidence, Location, Status};
use outpost_store::{EventQuery, Filter, Paging, Store};

const STORY: &str = "Troops from the two neighbours clashed on Tuesday near the border town of \
    Karvan, leaving at least four soldiers dead, officials in both capitals said.\n\n\
    The fighting began after a patrol crossed a disputed line in the hills north of the \
    river, according to a statement from the defence ministry.\n\n\
    Residents said shelling continued through the night and dozens of families fled toward \
    the regional capital, where schools were turned into shelters.\n\n\
    Both governments summoned each other's envoys and traded accusations over who fired first.\n\n\
    A ceasefire agreed last year had largely held until this week, monitors said.";

const REWRITE: &str = "At least four soldiers were killed when the armies of the two states \
    exchanged fire close to Karvan on Tuesday.\n\nLocal people described artillery rounds \
    landing through the night; many households left for the provincial centre. Each side \
    blamed the other for starting it, and ambassadors were called in on both sides.";

const OTHER: &str = "The central bank raised its benchmark interest rate by half a \
    percentage point on Thursday, citing stubborn inflation in food and fuel prices, and \
    signalled that further increases could follow before the end of the year.";

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn article(id: &str, source: &str, url: Option<&str>, site: Option<&str>, text: &str) -> Article {
    Article {
        id: id.into(),
        source: source.into(),
        url: url.map(Into::into),
        title: Some("Border clash".into()),
        date: Some(d(2024, 3, 6)),
        modified: None,
        authors: vec![],
        site: site.map(Into::into),
        language: Some("en".into()),
        wire: None,
        text: text.into(),
    }
}

fn actor(country: &str) -> Actor {
    Actor {
        text: format!("{country} troops"),
        code: format!("{country}MIL"),
        country: Some(country.into()),
        sector: Some("MIL".into()),
        name: None,
    }
}

/// An ASSAULT by AAA on BBB on `day` at (lat, lon), coded from `article_id`.
fn clash(id: &str, article_id: &str, sentence: usize, day: NaiveDate, at: (f64, f64)) -> Event {
    Event {
        id: id.into(),
        date: Some(EventDate::day(day)),
        date_precision: None,
        plover: "ASSAULT".into(),
        mode: None,
        cameo: "190".into(),
        goldstein: -10.0,
        quad_class: 4,
        acled: None,
        status: Status::Occurred,
        source: actor("AAA"),
        target: Some(actor("BBB")),
        parties: vec![],
        location: Some(Location {
            name: "Karvan".into(),
            country: Some("AAA".into()),
            admin1: None,
            lat: at.0,
            lon: at.1,
            geonameid: None,
            precision: "city".into(),
        }),
        evidence: Evidence {
            article_id: article_id.into(),
            sentence,
            text: "Troops clashed near Karvan.".into(),
            trigger: "clashed".into(),
            start: 7,
            end: 14,
            sentence_start: 0,
            sentence_end: 27,
        },
        confidence: 0.8,
        aggregate: None,
    }
}

const KARVAN: (f64, f64) = (40.10, 45.20);
const NEAR_KARVAN: (f64, f64) = (40.20, 45.35); // ~17 km
const FAR: (f64, f64) = (38.00, 42.00); // ~360 km

fn counts(store: &Store, event_id: &str) -> (u64, u64, u64) {
    let a = store.event(event_id).unwrap().unwrap().aggregate.unwrap();
    (a.num_mentions, a.num_articles, a.num_sources)
}

/// The story cluster of a stored article.
fn cluster_of(store: &Store, article_id: &str) -> String {
    let rows = store.article_clusters().unwrap();
    rows.into_iter()
        .find(|r| r.article_id == article_id)
        .unwrap()
        .cluster_id
}

fn agg_id(store: &Store, event_id: &str) -> String {
    store
        .event(event_id)
        .unwrap()
        .unwrap()
        .aggregate
        .unwrap()
        .id
}

fn copies_under_other_urls_add_mentions_not_articles(db: &TestDb) {
    let mut store = db.open();
    let url = "https://www.news-a.example/world/karvan-clash?utm_source=rss";
    let a = article("a", "feed:1", Some(url), Some("News A"), STORY);
    store
        .insert_article(&a, &[clash("a1", "a", 0, d(2024, 3, 5), KARVAN)])
        .unwrap();
    assert_eq!(counts(&store, "a1"), (1, 1, 1));
    // The same page again, under its AMP address, from another input: no new copy.
    let amp = article(
        "a",
        "feed:2",
        Some("http://news-a.example/amp/world/karvan-clash/"),
        Some("News A"),
        STORY,
    );
    store.insert_article(&amp, &[]).unwrap();
    assert_eq!(counts(&store, "a1"), (1, 1, 1));
    assert_eq!(store.stats().unwrap().articles, 1);
    // Syndicated verbatim by another site: one more article copy and source.
    let syn = article(
        "a",
        "feed:3",
        Some("https://news-b.example/2024/03/karvan"),
        Some("News B"),
        STORY,
    );
    store.insert_article(&syn, &[]).unwrap();
    assert_eq!(counts(&store, "a1"), (2, 2, 2));
    // Re-ingesting any of them changes nothing.
    store.insert_article(&syn, &[]).unwrap();
    store.insert_article(&a, &[]).unwrap();
    assert_eq!(counts(&store, "a1"), (2, 2, 2));
    let rows = store.article_clusters().unwrap();
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert!(rows.iter().all(|r| r.cluster_id == "a"));
}

fn near_duplicates_share_a_story_cluster(db: &TestDb) {
    let mut store = db.open();
    store
        .insert_article(&article("a", "in/a.html", None, Some("News A"), STORY), &[])
        .unwrap();
    // Another headline line, the last paragraph cut, an editor's note: the same story.
    let cut = STORY.rsplit_once("\n\n").unwrap().0;
    let edited = format!("Deadly clash on the border.\n\n{cut}\n\nEditor's note: updated.");
    store
        .insert_article(
            &article("b", "in/b.html", None, Some("News C"), &edited),
            &[],
        )
        .unwrap();
    // Another outlet's own words about the same event, and an unrelated story: not.
    store
        .insert_article(
            &article("c", "in/c.html", None, Some("News D"), REWRITE),
            &[],
        )
        .unwrap();
    store
        .insert_article(&article("d", "in/d.html", None, None, OTHER), &[])
        .unwrap();
    let cluster = |id: &str| cluster_of(&store, id);
    assert_eq!(cluster("a"), "a");
    assert_eq!(cluster("b"), "a");
    assert_eq!(cluster("c"), "c");
    assert_eq!(cluster("d"), "d");
    let members: Vec<String> = store
        .article_cluster("b")
        .unwrap()
        .into_iter()
        .map(|r| r.article_id)
        .collect();
    assert_eq!(members, ["a", "b"]);
    assert!(store.article_cluster("nope").unwrap().is_empty());
}

fn reports_of_one_event_aggregate_and_conflicts_stay_apart(db: &TestDb) {
    let mut store = db.open();
    let a = article("a", "in/a.html", Some("https://a.example/x"), None, STORY);
    let c = article("c", "in/c.html", Some("https://c.example/y"), None, REWRITE);
    // Article a reports the clash twice (headline sentence and body).
    store
        .insert_article(
            &a,
            &[
                clash("a1", "a", 0, d(2024, 3, 5), KARVAN),
                clash("a2", "a", 3, d(2024, 3, 5), KARVAN),
            ],
        )
        .unwrap();
    // Article c: the same clash placed a few km away, plus one 360 km away on the same day
    // and one at Karvan two days later: three events in all.
    store
        .insert_article(
            &c,
            &[
                clash("c1", "c", 0, d(2024, 3, 5), NEAR_KARVAN),
                clash("c2", "c", 1, d(2024, 3, 5), FAR),
                clash("c3", "c", 2, d(2024, 3, 7), KARVAN),
            ],
        )
        .unwrap();
    let first = agg_id(&store, "a1");
    assert_eq!(first, "a1");
    assert_eq!(agg_id(&store, "a2"), first);
    assert_eq!(agg_id(&store, "c1"), first);
    assert_ne!(agg_id(&store, "c2"), first);
    assert_ne!(agg_id(&store, "c3"), first);
    assert_eq!(counts(&store, "c1"), (3, 2, 2));
    assert_eq!(store.aggregated_event_count().unwrap(), 3);
    // The aggregated view lists each real-world event once; all_mentions lists all five.
    let page = store.events(&EventQuery::default()).unwrap();
    let mut ids: Vec<String> = page.items.iter().map(|e| e.id.clone()).collect();
    ids.sort();
    assert_eq!(ids, ["a1", "c2", "c3"]);
    let all = store
        .events(&EventQuery {
            all_mentions: true,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(all.items.len(), 5);
    let listed = store
        .list_events(&Filter::default(), &Paging::default())
        .unwrap();
    assert_eq!(listed.items.len(), 3);
    // A text search finds the aggregated event through any mention's evidence.
    let found = store
        .list_events(
            &Filter {
                text: Some("Karvan".into()),
                ..Default::default()
            },
            &Paging::default(),
        )
        .unwrap();
    assert_eq!(found.items.len(), 3);
    // An article's own events stay reachable with their evidence.
    assert_eq!(store.events_for_article("c").unwrap().len(), 3);
    // Every mention of the aggregate, with its article, sentence and copy.
    let mentions = store.event_mentions(&first, 100).unwrap();
    let mut got: Vec<(String, u64)> = mentions
        .iter()
        .map(|m| (m.event_id.clone(), m.sentence))
        .collect();
    got.sort();
    assert_eq!(got, [("a1".into(), 0), ("a2".into(), 3), ("c1".into(), 0)]);
    assert!(
        mentions
            .iter()
            .any(|m| m.site.as_deref() == Some("c.example"))
    );
    // A later copy of article c (another site) counts for every aggregate c reports.
    let copy = article(
        "c",
        "in/c2.html",
        Some("https://e.example/z"),
        None,
        REWRITE,
    );
    store.insert_article(&copy, &[]).unwrap();
    assert_eq!(counts(&store, "a1"), (4, 3, 3));
    assert_eq!(counts(&store, "c2"), (2, 2, 2));
}

fn dates_of_other_precision_and_undated_events(db: &TestDb) {
    let mut store = db.open();
    let a = article("a", "in/a.html", None, None, STORY);
    let mut month = clash("m1", "a", 0, d(2024, 3, 1), KARVAN);
    month.date = Some(EventDate {
        date: d(2024, 3, 1),
        precision: outpost_core::DatePrecision::Month,
    });
    month.location = None;
    let mut undated = clash("u1", "a", 1, d(2024, 3, 1), KARVAN);
    undated.date = None;
    store.insert_article(&a, &[month, undated]).unwrap();
    // The month-precise report and the undated one (article of 6 March) overlap: one event.
    assert_eq!(agg_id(&store, "u1"), "m1");
    // A day report inside that span joins; the span narrows to that day, so another day
    // in March then stays apart.
    let c = article("c", "in/c.html", None, None, REWRITE);
    store
        .insert_article(
            &c,
            &[
                clash("c1", "c", 0, d(2024, 3, 5), KARVAN),
                clash("c2", "c", 1, d(2024, 3, 20), KARVAN),
            ],
        )
        .unwrap();
    assert_eq!(agg_id(&store, "c1"), "m1");
    assert_eq!(agg_id(&store, "c2"), "c2");
    // Another status or type never joins.
    let mut denied = clash("x1", "x", 0, d(2024, 3, 5), KARVAN);
    denied.status = Status::Denied;
    let mut threat = clash("x2", "x", 1, d(2024, 3, 5), KARVAN);
    threat.plover = "THREATEN".into();
    store
        .insert_article(
            &article("x", "in/x.html", None, None, OTHER),
            &[denied, threat],
        )
        .unwrap();
    assert_eq!(agg_id(&store, "x1"), "x1");
    assert_eq!(agg_id(&store, "x2"), "x2");
}

fn aggregation_can_be_switched_off(db: &TestDb) {
    let mut store = db.open();
    store.set_aggregation(false);
    let a = article("a", "in/a.html", None, None, STORY);
    let b = article("b", "in/b.html", None, None, &format!("{STORY} More."));
    store
        .insert_article(&a, &[clash("a1", "a", 0, d(2024, 3, 5), KARVAN)])
        .unwrap();
    store
        .insert_article(&b, &[clash("b1", "b", 0, d(2024, 3, 5), KARVAN)])
        .unwrap();
    assert_eq!(agg_id(&store, "b1"), "b1");
    assert_eq!(counts(&store, "b1"), (1, 1, 1));
    let rows = store.article_clusters().unwrap();
    assert!(rows.iter().all(|r| r.cluster_id == r.article_id));
}

/// Events of one article are placed in order, as if stored one by one: a second mention of
/// the same clash in the same article joins the aggregate the first started (and narrows
/// it), a clash far away starts its own, and a verbatim copy on another site adds one
/// article and one source to each aggregate, and a mention per event.
fn events_of_one_article_meet_each_other(db: &TestDb) {
    let mut store = db.open();
    let a = article(
        "a",
        "in/a.html",
        Some("https://one.example/clash"),
        None,
        STORY,
    );
    let mut week = clash("a1", "a", 0, d(2024, 3, 4), KARVAN);
    week.date = Some(EventDate {
        date: d(2024, 3, 4),
        precision: outpost_core::DatePrecision::Week,
    });
    store
        .insert_article(
            &a,
            &[
                week,
                clash("a2", "a", 2, d(2024, 3, 5), NEAR_KARVAN),
                clash("a3", "a", 3, d(2024, 3, 5), FAR),
            ],
        )
        .unwrap();
    assert_eq!(agg_id(&store, "a1"), "a1");
    assert_eq!(agg_id(&store, "a2"), "a1");
    assert_eq!(agg_id(&store, "a3"), "a3");
    assert_eq!(counts(&store, "a1"), (2, 1, 1));
    assert_eq!(counts(&store, "a3"), (1, 1, 1));
    // A report of the 7th no longer fits: the aggregate narrowed to the 5th.
    let b = article("b", "in/b.html", None, None, REWRITE);
    store
        .insert_article(&b, &[clash("b1", "b", 0, d(2024, 3, 7), KARVAN)])
        .unwrap();
    assert_eq!(agg_id(&store, "b1"), "b1");
    // The same text published by another site.
    let copy = article(
        "a",
        "in/copy.html",
        Some("https://two.example/news/clash"),
        None,
        STORY,
    );
    store.insert_article(&copy, &[]).unwrap();
    assert_eq!(counts(&store, "a1"), (4, 2, 2));
    assert_eq!(counts(&store, "a3"), (2, 2, 2));
    assert_eq!(counts(&store, "b1"), (1, 1, 1));
}

/// A long document with hundreds of events of different dyads: its look-ups and writes are
/// split into several statements (database limits on terms and parameters), and a second
/// report of the same events still finds every one.
fn many_events_in_one_article(db: &TestDb) {
    let mut store = db.open();
    let many = |article_id: &str| -> Vec<Event> {
        (0..700)
            .map(|i| {
                let mut e = clash(
                    &format!("{article_id}{i}"),
                    article_id,
                    i,
                    d(2024, 3, 5),
                    KARVAN,
                );
                e.target = Some(actor(&format!("Q{i:02}")));
                e
            })
            .collect()
    };
    let a = article("a", "in/a.html", None, None, STORY);
    store.insert_article(&a, &many("a")).unwrap();
    let b = article("b", "in/b.html", None, None, REWRITE);
    store.insert_article(&b, &many("b")).unwrap();
    for i in [0, 199, 200, 499, 699] {
        assert_eq!(agg_id(&store, &format!("b{i}")), format!("a{i}"));
        assert_eq!(counts(&store, &format!("a{i}")), (2, 2, 2));
    }
}

fn version_6_clusters_still_find_their_copies_after_the_upgrade(db: &TestDb) {
    // As version 6 left it: two sketched articles, the first with its band keys indexed
    // (computed the old way: any keys will do, they are rebuilt), the second a
    // near-identical copy whose bands were not indexed.
    db.raw_migrate_to(6);
    let hex = |t: &str| -> String {
        outpost_dedup::Sketch::of_text(t)
            .unwrap()
            .to_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    };
    db.raw(&format!(
        "INSERT INTO articles (id, source, authors, text, ingested_at, cluster_id)
            VALUES ('a', 'in/a.html', '[]', 'x', '2024-03-06T00:00:00Z', 'a'),
                   ('b', 'in/b.html', '[]', 'x', '2024-03-06T00:00:00Z', 'a');
         INSERT INTO article_sketches (article_id, cluster_id, sketch)
            VALUES ('a', 'a', '{0}'), ('b', 'a', '{0}');
         INSERT INTO article_bands (band, article_id) VALUES (11, 'a'), (12, 'a');",
        hex(STORY)
    ));
    let mut store = db.open();
    assert_eq!(db.raw_version(), outpost_store::migrations::known_version());
    assert!(!db.table_exists("article_bands"));
    // Only the indexed article's bands are rebuilt.
    assert_eq!(
        db.raw_count("SELECT COUNT(*) FROM sketch_bands"),
        outpost_dedup::sketch::BANDS as i64
    );
    assert_eq!(
        db.raw_count("SELECT COUNT(DISTINCT member) FROM sketch_bands"),
        1
    );
    // A trimmed copy of the old story, stored after the upgrade, joins the old cluster.
    let cut = STORY.rsplit_once("\n\n").unwrap().0;
    store
        .insert_article(&article("c", "in/c.html", None, None, cut), &[])
        .unwrap();
    store
        .insert_article(&article("d", "in/d.html", None, None, OTHER), &[])
        .unwrap();
    let cluster = |id: &str| cluster_of(&store, id);
    assert_eq!(cluster("c"), "a");
    assert_eq!(cluster("d"), "d");
}

on_both_backends!(
    version_6_clusters_still_find_their_copies_after_the_upgrade,
    many_events_in_one_article,
    events_of_one_article_meet_each_other,
    copies_under_other_urls_add_mentions_not_articles,
    near_duplicates_share_a_story_cluster,
    reports_of_one_event_aggregate_and_conflicts_stay_apart,
    dates_of_other_precision_and_undated_events,
    aggregation_can_be_switched_off,
);

/// Two workers storing reports of the same two events at the same moment, in opposite
/// orders: no deadlock, no lost update, and each event aggregated once.
#[test]
fn concurrent_workers_on_postgres_meet_in_one_aggregate() {
    let db = TestDb::postgres();
    drop(db.open()); // migrate once
    let per_worker = 25;
    let workers: Vec<_> = (0..2)
        .map(|w| {
            let spec = db.spec.clone();
            std::thread::spawn(move || {
                let mut store = Store::connect(&spec).unwrap();
                for i in 0..per_worker {
                    let id = format!("w{w}-{i}");
                    let a = article(&id, &format!("in/{id}"), None, None, OTHER);
                    let mut first = clash(&format!("{id}-c"), &id, 0, d(2024, 3, 5), KARVAN);
                    let mut second = clash(&format!("{id}-t"), &id, 1, d(2024, 3, 5), KARVAN);
                    second.plover = "THREATEN".into();
                    if w == 1 {
                        std::mem::swap(&mut first, &mut second);
                    }
                    store.insert_article(&a, &[first, second]).unwrap();
                }
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    let store = db.open();
    assert_eq!(store.aggregated_event_count().unwrap(), 2);
    let (m, n, _) = counts(&store, "w0-0-c");
    assert_eq!((m, n), (2 * per_worker, 2 * per_worker));
}
