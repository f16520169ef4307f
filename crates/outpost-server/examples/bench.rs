//! Benchmark helper: fill a database with synthetic events, and serve it.
//!
//! ```text
//! cargo run --release -p outpost-server --example bench -- generate --db /tmp/bench.db --events 1000000
//! cargo run --release -p outpost-server --example bench -- serve --db /tmp/bench.db --addr 127.0.0.1:8711 [--no-cache] [--no-cube]
//! ```
//!
//! `generate` writes articles of 20 events each through the normal store API (so the
//! full-text index and every index are filled as in real use), spread over three years, 48
//! countries (skewed: a few countries get most events, as in news), real capital
//! coordinates with jitter, all 16 PLOVER types with their CAMEO roots, QuadClasses and
//! Goldstein scores, and ACLED types for the violent ones. The evidence sentences mix very
//! common words with rare ones (`Vil0` … `Vil3999`). Deterministic (fixed seed).
//! `serve` runs the server as `outpost serve` does, with the answer cache and the in-memory
//! table on or off. It prints its address before the in-memory table is built; the server is
//! warm once `/api/stats` answers at once (the totals are computed in the background).
//!
//! Measuring (the server's peak memory from `/usr/bin/time -v`, "Maximum resident set size"):
//!
//! ```text
//! /usr/bin/time -v target/release/examples/bench serve --db /tmp/bench.db --addr 127.0.0.1:8711
//! wrk -t2 -c50 -d30s --latency -s crates/outpost-server/bench/filters.lua http://127.0.0.1:8711
//! WRK_ONLY=/api/aggregates/daily wrk … (one route)   WRK_TEXT=0 wrk … (no full-text filters)
//! node crates/outpost-server/bench/first-view.mjs http://127.0.0.1:8711 5
//! ```

use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::{Days, NaiveDate};
use outpost_core::{Acled, Actor, Article, Event, EventDate, Evidence, Location, Status};
use outpost_server::ServeOptions;
use outpost_store::Store;

/// (ISO3, capital, lat, lon)
const COUNTRIES: &[(&str, &str, f64, f64)] = &[
    ("UKR", "Kyiv", 50.45, 30.52),
    ("RUS", "Moscow", 55.75, 37.62),
    ("ISR", "Jerusalem", 31.77, 35.21),
    ("PSE", "Gaza", 31.5, 34.47),
    ("SDN", "Khartoum", 15.5, 32.56),
    ("USA", "Washington", 38.9, -77.04),
    ("CHN", "Beijing", 39.9, 116.4),
    ("SYR", "Damascus", 33.51, 36.29),
    ("IRN", "Tehran", 35.69, 51.39),
    ("COD", "Kinshasa", -4.32, 15.31),
    ("MMR", "Naypyidaw", 19.76, 96.07),
    ("ETH", "Addis Ababa", 9.03, 38.74),
    ("SOM", "Mogadishu", 2.05, 45.32),
    ("KEN", "Nairobi", -1.29, 36.82),
    ("NGA", "Abuja", 9.06, 7.49),
    ("MLI", "Bamako", 12.64, -8.0),
    ("BFA", "Ouagadougou", 12.37, -1.52),
    ("NER", "Niamey", 13.51, 2.11),
    ("AFG", "Kabul", 34.53, 69.17),
    ("PAK", "Islamabad", 33.68, 73.05),
    ("IND", "New Delhi", 28.61, 77.21),
    ("TUR", "Ankara", 39.93, 32.86),
    ("IRQ", "Baghdad", 33.31, 44.36),
    ("YEM", "Sanaa", 15.37, 44.19),
    ("LBN", "Beirut", 33.89, 35.5),
    ("SAU", "Riyadh", 24.71, 46.68),
    ("EGY", "Cairo", 30.04, 31.24),
    ("LBY", "Tripoli", 32.89, 13.19),
    ("FRA", "Paris", 48.86, 2.35),
    ("DEU", "Berlin", 52.52, 13.4),
    ("GBR", "London", 51.51, -0.13),
    ("POL", "Warsaw", 52.23, 21.01),
    ("BLR", "Minsk", 53.9, 27.57),
    ("GEO", "Tbilisi", 41.72, 44.79),
    ("ARM", "Yerevan", 40.18, 44.51),
    ("AZE", "Baku", 40.41, 49.87),
    ("SRB", "Belgrade", 44.79, 20.45),
    ("VEN", "Caracas", 10.48, -66.9),
    ("COL", "Bogota", 4.71, -74.07),
    ("MEX", "Mexico City", 19.43, -99.13),
    ("BRA", "Brasilia", -15.79, -47.88),
    ("HTI", "Port-au-Prince", 18.59, -72.31),
    ("PHL", "Manila", 14.6, 120.98),
    ("TWN", "Taipei", 25.03, 121.57),
    ("PRK", "Pyongyang", 39.04, 125.76),
    ("KOR", "Seoul", 37.57, 126.98),
    ("JPN", "Tokyo", 35.68, 139.69),
    ("FJI", "Suva", -18.14, 178.44),
];

/// (PLOVER, CAMEO, QuadClass, Goldstein, verb, ACLED type)
type EventType = (
    &'static str,
    &'static str,
    u8,
    f64,
    &'static str,
    Option<&'static str>,
);

const TYPES: &[EventType] = &[
    ("AGREE", "057", 1, 8.0, "signed an agreement with", None),
    ("CONSULT", "040", 1, 1.0, "held talks with", None),
    ("SUPPORT", "051", 1, 3.4, "praised", None),
    ("CONCEDE", "080", 2, 5.0, "eased restrictions on", None),
    (
        "COOPERATE",
        "061",
        2,
        6.4,
        "held joint exercises with",
        None,
    ),
    ("AID", "070", 2, 7.0, "sent aid to", None),
    ("RETREAT", "087", 2, 9.0, "withdrew forces facing", None),
    ("REQUEST", "020", 1, 3.0, "called on", None),
    ("ACCUSE", "112", 3, -2.0, "accused", None),
    ("REJECT", "120", 3, -4.0, "rejected demands from", None),
    ("THREATEN", "138", 3, -7.0, "threatened", None),
    (
        "PROTEST",
        "141",
        3,
        -6.5,
        "protested against",
        Some("Protests"),
    ),
    ("SANCTION", "163", 4, -8.0, "imposed sanctions on", None),
    (
        "MOBILIZE",
        "152",
        4,
        -7.2,
        "massed troops against",
        Some("Strategic developments"),
    ),
    ("COERCE", "173", 4, -5.0, "arrested members of", None),
    ("ASSAULT", "190", 4, -10.0, "attacked", Some("Battles")),
];

const SECTORS: &[(&str, &str)] = &[
    ("GOV", "government"),
    ("MIL", "army"),
    ("REB", "rebels"),
    ("CVL", "civilians"),
    ("COP", "police"),
];

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Skewed index: small indexes much more often (news is concentrated).
    fn skewed(&mut self, n: usize) -> usize {
        let u = self.unit();
        ((u * u * u) * n as f64) as usize % n
    }
}

fn actor(code: &str, country: &str, text: String) -> Actor {
    Actor {
        text,
        code: code.into(),
        country: Some(country.into()),
        sector: None,
        name: None,
    }
}

fn generate(db: &str, events: usize) -> Result<(), Box<dyn std::error::Error>> {
    let mut store = Store::connect(db)?;
    let start = NaiveDate::from_ymd_opt(2023, 1, 1).ok_or("date")?;
    let days = 3 * 365;
    let per_article = 20;
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let t0 = Instant::now();
    let mut written = 0;
    let mut n_article = 0;
    while written < events {
        n_article += 1;
        let day = start + Days::new(rng.below(days) as u64);
        let k = per_article.min(events - written);
        let mut text = String::new();
        let mut evs = Vec::with_capacity(k);
        let article_id = format!("synth{n_article:08}");
        for s in 0..k {
            let (sc, sname, slat, slon) = COUNTRIES[rng.skewed(COUNTRIES.len())];
            let (tc, tname, _, _) = COUNTRIES[rng.skewed(COUNTRIES.len())];
            let (plover, cameo, quad, g, verb, acled) = TYPES[rng.below(TYPES.len())];
            let (ssec, sword) = SECTORS[rng.below(SECTORS.len())];
            let (tsec, tword) = SECTORS[rng.below(SECTORS.len())];
            let when = day - Days::new(rng.below(3) as u64);
            // A village name from a large vocabulary gives the text rare words too, as
            // real news has (each one is in about 1 event in 4,000).
            let village = rng.below(4000);
            let sentence = format!(
                "The {sname} {sword} {verb} the {tname} {tword} near the village of \
                 Vil{village} on day {s} of the crisis."
            );
            let start_c = text.chars().count();
            let trig_off = sentence.find(verb).unwrap_or(0);
            let trig_start = start_c + sentence[..trig_off].chars().count();
            text.push_str(&sentence);
            let end_c = text.chars().count();
            text.push(' ');
            let (lat, lon) = (
                slat + (rng.unit() - 0.5) * 0.2,
                slon + (rng.unit() - 0.5) * 0.2,
            );
            let lat = (lat * 100.0).round() / 100.0;
            let lon = (lon * 100.0).round() / 100.0;
            evs.push(Event {
                aggregate: None,
                id: format!("{article_id}-{s:02}"),
                date: Some(EventDate::day(when)),
                date_precision: None,
                plover: plover.into(),
                mode: None,
                cameo: cameo.into(),
                goldstein: g,
                quad_class: quad,
                acled: acled.map(|t| Acled {
                    event_type: t.into(),
                    sub_event_type: "Synthetic".into(),
                }),
                status: if rng.below(10) == 0 {
                    Status::Claimed
                } else {
                    Status::Occurred
                },
                source: actor(&format!("{sc}{ssec}"), sc, format!("the {sname} {sword}")),
                target: (rng.below(8) != 0)
                    .then(|| actor(&format!("{tc}{tsec}"), tc, format!("the {tname} {tword}"))),
                parties: vec![],
                location: (rng.below(5) != 0).then(|| Location {
                    name: sname.into(),
                    country: Some(sc.into()),
                    admin1: None,
                    lat,
                    lon,
                    geonameid: None,
                    precision: "city".into(),
                }),
                evidence: Evidence {
                    article_id: article_id.clone(),
                    sentence: s,
                    text: sentence.clone(),
                    trigger: verb.into(),
                    start: trig_start,
                    end: trig_start + verb.chars().count(),
                    sentence_start: start_c,
                    sentence_end: end_c,
                },
                confidence: 0.5 + rng.unit() / 2.0,
            });
        }
        let article = Article {
            id: article_id.clone(),
            source: format!("synthetic:{n_article}"),
            title: Some(format!("Synthetic report {n_article}")),
            date: Some(day),
            modified: None,
            authors: vec![],
            site: Some("Synthetic Wire".into()),
            url: None,
            language: Some("en".into()),
            wire: None,
            text,
        };
        store.insert_article(&article, &evs)?;
        written += k;
        if n_article % 5000 == 0 {
            eprintln!("{written} events in {:.0} s", t0.elapsed().as_secs_f64());
        }
    }
    eprintln!(
        "done: {written} events, {n_article} articles in {:.1} s",
        t0.elapsed().as_secs_f64()
    );
    Ok(())
}

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let db = arg(&args, "--db").unwrap_or_else(|| "/tmp/outpost-bench.db".into());
    match args.first().map(String::as_str) {
        Some("generate") => {
            let n: usize = arg(&args, "--events")
                .unwrap_or_else(|| "1000000".into())
                .parse()?;
            generate(&db, n)
        }
        Some("serve") => {
            let addr = arg(&args, "--addr").unwrap_or_else(|| "127.0.0.1:8711".into());
            let mut opts = ServeOptions::default();
            if args.iter().any(|a| a == "--no-cache") {
                opts.cache_ttl = Duration::ZERO;
            }
            if args.iter().any(|a| a == "--no-cube") {
                opts.memory_cube = false;
            }
            if let Some(n) = arg(&args, "--queries") {
                opts.max_concurrent_queries = n.parse()?;
            }
            let rt = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()?;
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::bind(&addr).await?;
                eprintln!("serving {db} at http://{}/", listener.local_addr()?);
                let shutdown = async {
                    let _ = tokio::signal::ctrl_c().await;
                };
                outpost_server::serve_with(listener, PathBuf::from(db), opts, shutdown).await?;
                Ok::<_, Box<dyn std::error::Error>>(())
            })
        }
        _ => Err("usage: bench generate --db PATH [--events N] | bench serve --db PATH [--addr A] [--no-cache] [--no-cube] [--queries N]".into()),
    }
}
