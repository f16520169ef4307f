//! One event, many reports, through the real binary: a JSONL feed (written for this test) with
//! one story under two addresses of the same page, a lightly edited copy on another site,
//! and another outlet's own write-up. Checks story clusters, copies and the aggregated
//! event's counts in the database and in the GDELT export, and that re-ingesting changes
//! nothing.

use std::path::{Path, PathBuf};
use std::process::Command;

use outpost_store::Store;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/nairobi-reports.jsonl")
}

fn outpost(args: &[&str]) -> std::process::Output {
    let out = Command::new(env!("CARGO_BIN_EXE_outpost"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "outpost {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// (aggregated events, coded events, per-copy cluster ids by record id).
fn snapshot(db: &Path) -> (u64, u64, Vec<(String, String, String)>) {
    let store = Store::open(db).unwrap();
    let rows = store
        .article_clusters()
        .unwrap()
        .into_iter()
        .map(|r| (r.source, r.article_id, r.cluster_id))
        .collect();
    (
        store.aggregated_event_count().unwrap(),
        store.event_count().unwrap(),
        rows,
    )
}

#[test]
fn reports_of_one_story_are_grouped_and_counted_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("agg.db");
    let dbs = db.to_str().unwrap();
    let feed = fixture();
    outpost(&["ingest", feed.to_str().unwrap(), "--db", dbs]);
    let (real, coded, rows) = snapshot(&db);
    assert_eq!(rows.len(), 4, "{rows:?}");
    let by_line = |n: usize| {
        rows.iter()
            .find(|r| r.0.contains(&format!(".jsonl:{n} ")))
            .unwrap_or_else(|| panic!("no record {n} in {rows:?}"))
            .clone()
    };
    let (r1, r2, r3, r4) = (by_line(1), by_line(2), by_line(3), by_line(4));
    // The AMP address of the same page: the same article.
    assert_eq!(r1.1, r2.1);
    // The edited copy: another article in the same story cluster.
    assert_ne!(r3.1, r1.1);
    assert_eq!(r3.2, r1.2);
    // The other outlet's own words: a story of its own.
    assert_ne!(r4.2, r1.2);
    assert!(real < coded, "{real} aggregated of {coded} coded");

    // The police action appears once, backed by two articles on two sites (the AMP copy
    // is not a third), in the database and in GDELT's NumArticles column.
    let store = Store::open(&db).unwrap();
    let events = store.events_for_article(&r1.1).unwrap();
    let lead = events
        .iter()
        .find(|e| e.evidence.sentence == 0 && e.plover == "ASSAULT")
        .expect("the lead sentence is coded as an assault");
    let agg = lead.aggregate.clone().unwrap();
    assert_eq!((agg.num_articles, agg.num_sources), (2, 2), "{agg:?}");
    let mentions = store.event_mentions(&agg.id, 100).unwrap();
    assert!(mentions.iter().any(|m| m.article_id == r3.1));
    drop(store);
    let out = outpost(&["export", "--db", dbs, "--format", "gdelt"]);
    let tsv = String::from_utf8(out.stdout).unwrap();
    assert_eq!(tsv.lines().count() as u64, real);
    let max_articles = tsv
        .lines()
        .map(|l| l.split('\t').nth(33).unwrap().parse::<u64>().unwrap())
        .max()
        .unwrap();
    assert!(max_articles >= 2);

    // Ingesting the same feed again adds nothing.
    outpost(&["ingest", feed.to_str().unwrap(), "--db", dbs]);
    let (real2, coded2, rows2) = snapshot(&db);
    assert_eq!((real2, coded2, rows2.len()), (real, coded, 4));
    let store = Store::open(&db).unwrap();
    let again = store.event(&lead.id).unwrap().unwrap().aggregate.unwrap();
    assert_eq!(again, agg);
}
