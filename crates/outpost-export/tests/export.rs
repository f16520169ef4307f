//! End-to-end exports of hand-built events from an in-memory store.

mod common;

use common::*;
use outpost_core::Event;
use outpost_core::Location;
use outpost_export::{
    ExportError, ExportFilter, ExportOptions, ExportSummary, Format, export, export_with,
    flat::COLUMNS,
};
use outpost_store::Store;

fn run(store: &Store, filter: &ExportFilter, format: Format) -> (Vec<u8>, ExportSummary) {
    let mut out = Vec::new();
    let s = export(store, filter, format, &mut out).unwrap();
    (out, s)
}

fn text(b: Vec<u8>) -> String {
    String::from_utf8(b).unwrap()
}

/// A tiny GDELT 2.0 event-table reader: tab-split, 61 fields, typed per column.
mod gdelt_reader {
    use std::collections::HashMap;

    pub const NAMES: [&str; 61] = [
        "GlobalEventID",
        "Day",
        "MonthYear",
        "Year",
        "FractionDate",
        "Actor1Code",
        "Actor1Name",
        "Actor1CountryCode",
        "Actor1KnownGroupCode",
        "Actor1EthnicCode",
        "Actor1Religion1Code",
        "Actor1Religion2Code",
        "Actor1Type1Code",
        "Actor1Type2Code",
        "Actor1Type3Code",
        "Actor2Code",
        "Actor2Name",
        "Actor2CountryCode",
        "Actor2KnownGroupCode",
        "Actor2EthnicCode",
        "Actor2Religion1Code",
        "Actor2Religion2Code",
        "Actor2Type1Code",
        "Actor2Type2Code",
        "Actor2Type3Code",
        "IsRootEvent",
        "EventCode",
        "EventBaseCode",
        "EventRootCode",
        "QuadClass",
        "GoldsteinScale",
        "NumMentions",
        "NumSources",
        "NumArticles",
        "AvgTone",
        "Actor1Geo_Type",
        "Actor1Geo_FullName",
        "Actor1Geo_CountryCode",
        "Actor1Geo_ADM1Code",
        "Actor1Geo_ADM2Code",
        "Actor1Geo_Lat",
        "Actor1Geo_Long",
        "Actor1Geo_FeatureID",
        "Actor2Geo_Type",
        "Actor2Geo_FullName",
        "Actor2Geo_CountryCode",
        "Actor2Geo_ADM1Code",
        "Actor2Geo_ADM2Code",
        "Actor2Geo_Lat",
        "Actor2Geo_Long",
        "Actor2Geo_FeatureID",
        "ActionGeo_Type",
        "ActionGeo_FullName",
        "ActionGeo_CountryCode",
        "ActionGeo_ADM1Code",
        "ActionGeo_ADM2Code",
        "ActionGeo_Lat",
        "ActionGeo_Long",
        "ActionGeo_FeatureID",
        "DATEADDED",
        "SOURCEURL",
    ];

    pub type Row = HashMap<&'static str, String>;

    fn check_type(name: &str, v: &str) -> Result<(), String> {
        let int = |v: &str| {
            v.parse::<i64>()
                .map(|_| ())
                .map_err(|e| format!("{name}={v:?}: {e}"))
        };
        let float = |v: &str| {
            v.parse::<f64>()
                .map(|_| ())
                .map_err(|e| format!("{name}={v:?}: {e}"))
        };
        let digits = |v: &str, n: usize| {
            if v.len() == n && v.bytes().all(|b| b.is_ascii_digit()) {
                Ok(())
            } else {
                Err(format!("{name}={v:?}: want {n} digits"))
            }
        };
        match name {
            "GlobalEventID" | "IsRootEvent" | "QuadClass" | "NumMentions" | "NumSources"
            | "NumArticles" => int(v),
            n if n.ends_with("Geo_Type") => int(v),
            "Day" => digits(v, 8),
            "MonthYear" => digits(v, 6),
            "Year" => digits(v, 4),
            "DATEADDED" => digits(v, 14),
            "FractionDate" | "GoldsteinScale" | "AvgTone" => float(v),
            n if n.ends_with("_Lat") || n.ends_with("_Long") => {
                if v.is_empty() {
                    Ok(())
                } else {
                    float(v)
                }
            }
            n if n.ends_with("CountryCode") && n.contains("Geo_") => {
                if v.is_empty() || (v.len() == 2 && v.bytes().all(|b| b.is_ascii_uppercase())) {
                    Ok(())
                } else {
                    Err(format!("{name}={v:?}: want FIPS"))
                }
            }
            "EventCode" | "EventBaseCode" | "EventRootCode" => {
                if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) {
                    Ok(())
                } else {
                    Err(format!("{name}={v:?}: want a CAMEO code"))
                }
            }
            _ => Ok(()),
        }
    }

    pub fn parse(text: &str) -> Result<Vec<Row>, String> {
        let mut rows = Vec::new();
        for (i, line) in text.split('\n').enumerate() {
            if line.is_empty() {
                continue;
            }
            let fields: Vec<&str> = line.split('\t').collect();
            if fields.len() != 61 {
                return Err(format!("line {}: {} fields", i + 1, fields.len()));
            }
            let mut row = Row::new();
            for (name, v) in NAMES.iter().zip(fields) {
                if v.contains('\r') {
                    return Err(format!("line {}: CR in {name}", i + 1));
                }
                check_type(name, v).map_err(|e| format!("line {}: {e}", i + 1))?;
                row.insert(*name, v.to_string());
            }
            rows.push(row);
        }
        Ok(rows)
    }
}

/// Country points as a gazetteer would give them (two countries only).
fn country_point(iso3: &str) -> Option<Location> {
    let (name, lat, lon, id) = match iso3 {
        "RUS" => ("Russia", 60.0, 100.0, 2017370),
        "ROU" => ("Romania", 46.0, 25.0, 798549),
        _ => return None,
    };
    Some(Location {
        name: name.into(),
        country: Some(iso3.into()),
        admin1: None,
        lat,
        lon,
        geonameid: Some(id),
        precision: "country".into(),
    })
}

#[test]
fn gdelt_rows_parse_back_with_gdelt_types_and_values() {
    let f = fixture();
    let mut out = Vec::new();
    let opts = ExportOptions {
        country_location: Some(&country_point),
    };
    let summary = export_with(
        &f.store,
        &ExportFilter::default(),
        Format::Gdelt,
        &mut out,
        &opts,
    )
    .unwrap();
    let out = text(out);
    let rows = gdelt_reader::parse(&out).unwrap();
    // The undated event of an undated article cannot be a GDELT row.
    assert_eq!(summary.events, 4);
    assert_eq!((summary.rows, summary.skipped), (3, 1));
    assert_eq!(rows.len(), 3);
    let [r1, r2, r4] = [&rows[0], &rows[1], &rows[2]];
    let (e1, e2) = (&f.events[1], &f.events[2]);

    // Event 1: Russian troops shelled Ukrainian forces near Kharkiv.
    let want_id = i64::from_str_radix(&e1.id[..15], 16).unwrap();
    assert_eq!(r1["GlobalEventID"], want_id.to_string());
    assert_eq!(
        (
            &*r1["Day"],
            &*r1["MonthYear"],
            &*r1["Year"],
            &*r1["FractionDate"]
        ),
        ("20240305", "202403", "2024", "2024.2603")
    );
    assert_eq!(r1["Actor1Code"], "RUSMIL");
    assert_eq!(r1["Actor1Name"], "RUSSIAN TROOPS");
    assert_eq!(r1["Actor1CountryCode"], "RUS");
    assert_eq!(r1["Actor1Type1Code"], "MIL");
    assert_eq!(r1["Actor2CountryCode"], "UKR");
    assert_eq!(r1["IsRootEvent"], "1");
    assert_eq!(
        (
            &*r1["EventCode"],
            &*r1["EventBaseCode"],
            &*r1["EventRootCode"]
        ),
        ("193", "193", "19")
    );
    assert_eq!((&*r1["QuadClass"], &*r1["GoldsteinScale"]), ("4", "-10"));
    assert_eq!((&*r1["NumMentions"], &*r1["AvgTone"]), ("1", "0"));
    assert_eq!(r1["ActionGeo_Type"], "4");
    assert_eq!(r1["ActionGeo_FullName"], "Kharkiv, Kharkivska, Ukraine");
    assert_eq!(r1["ActionGeo_CountryCode"], "UP");
    assert_eq!(r1["ActionGeo_ADM1Code"], "UP");
    assert_eq!(r1["ActionGeo_ADM2Code"], "");
    assert_eq!(
        (&*r1["ActionGeo_Lat"], &*r1["ActionGeo_Long"]),
        ("49.9808", "36.2527")
    );
    assert_eq!(r1["ActionGeo_FeatureID"], "706483");
    // The target is in the event's country: its geo is the event location. The source
    // (Russia) gets its country.
    assert_eq!(r1["Actor2Geo_FeatureID"], "706483");
    assert_eq!(
        (
            &*r1["Actor1Geo_Type"],
            &*r1["Actor1Geo_CountryCode"],
            &*r1["Actor1Geo_FeatureID"]
        ),
        ("1", "RS", "RS")
    );
    assert_eq!(r1["DATEADDED"], "20240306000000");
    assert_eq!(
        r1["SOURCEURL"],
        "https://www.example-news.test/world/kharkiv"
    );

    // Event 2: month precision, legacy CAMEO code, known group, later sentence, no URL.
    assert_eq!(r2["Day"], "20240401");
    assert_eq!(r2["Actor1Code"], "ROMGOV");
    assert_eq!(r2["Actor1Name"], "GOVERNMENT OF ROMANIA");
    assert_eq!(r2["Actor1CountryCode"], "ROM");
    assert_eq!(r2["Actor1Geo_CountryCode"], "RO");
    assert_eq!(
        (&*r2["Actor2KnownGroupCode"], &*r2["Actor2Type1Code"]),
        ("TAL", "INS")
    );
    assert_eq!(r2["IsRootEvent"], "0");
    assert_eq!(r2["EventCode"], "036");
    assert_eq!(r2["EventRootCode"], "03");
    assert_eq!(r2["ActionGeo_CountryCode"], "AF");
    assert_eq!(r2["Actor2Geo_FullName"], "Kabul, Afghanistan");
    assert_eq!(r2["SOURCEURL"], "feeds/sample.jsonl:3");
    assert_eq!(r2["DATEADDED"], "20240411000000");
    assert_eq!(
        r2["GlobalEventID"],
        i64::from_str_radix(&e2.id[..15], 16).unwrap().to_string()
    );

    // Event 4: a US state is GDELT geo type 2; no target means blank Actor2 fields.
    assert_eq!(r4["ActionGeo_Type"], "2");
    assert_eq!(r4["ActionGeo_CountryCode"], "US");
    assert_eq!(r4["Actor2Code"], "");
    assert_eq!(r4["Actor2Geo_Type"], "0");
    assert_eq!(r4["GoldsteinScale"], "-6.5");
    // Text fields had a comma, a tab and a newline: no extra fields or lines appeared.
    assert_eq!(out.lines().count(), 3);
    assert_eq!(r4["Actor1Name"], "PROTESTERS, SOME CARRYING SIGNS");
}

#[test]
fn gdelt_root_codes_and_country_geo_are_filled_when_the_article_gives_the_day() {
    // The undated event of fixture article 3, stored again with a dated article.
    let f = fixture();
    let mut store = Store::open_in_memory().unwrap();
    let mut a = f.articles[2].clone();
    a.date = Some(day(2023, 12, 31));
    store
        .insert_article(&a, std::slice::from_ref(&f.events[0]))
        .unwrap();
    let (out, s) = run(&store, &ExportFilter::default(), Format::Gdelt);
    assert_eq!((s.rows, s.skipped), (1, 0));
    let rows = gdelt_reader::parse(&text(out)).unwrap();
    let r = &rows[0];
    assert_eq!(r["Day"], "20231231");
    assert_eq!(
        (&*r["EventCode"], &*r["EventBaseCode"], &*r["EventRootCode"]),
        ("020", "020", "02")
    );
    assert_eq!(
        (&*r["Actor1Code"], &*r["Actor1CountryCode"]),
        ("---GOV", "---")
    );
    assert_eq!(r["Actor1Geo_Type"], "0");
    assert_eq!(
        (&*r["ActionGeo_Type"], &*r["ActionGeo_FullName"]),
        ("1", "Tajikistan")
    );
    assert_eq!(
        (&*r["ActionGeo_CountryCode"], &*r["ActionGeo_FeatureID"]),
        ("TI", "TI")
    );
    assert_eq!(r["SOURCEURL"], "inbox/undated.html");
}

#[test]
fn gdelt_actor_geo_is_blank_without_country_locations() {
    let f = fixture();
    let (out, _) = run(&f.store, &ExportFilter::default(), Format::Gdelt);
    let rows = gdelt_reader::parse(&text(out)).unwrap();
    // Russia's troops in Ukraine: no country point given, so no Actor1Geo.
    assert_eq!(
        (&*rows[0]["Actor1Geo_Type"], &*rows[0]["Actor1Geo_FullName"]),
        ("0", "")
    );
    // The target is in the event's country: still the event location.
    assert_eq!(rows[0]["Actor2Geo_FeatureID"], "706483");
}

#[test]
fn mentions_rows_have_16_fields_and_real_offsets() {
    let f = fixture();
    let (out, s) = run(&f.store, &ExportFilter::default(), Format::GdeltMentions);
    assert_eq!((s.rows, s.skipped), (3, 1));
    let out = text(out);
    let rows: Vec<Vec<&str>> = out.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(rows.len(), 3);
    for r in &rows {
        assert_eq!(r.len(), 16, "{r:?}");
        for i in [0, 1, 2, 3, 6, 7, 8, 9, 10, 11, 12] {
            r[i].parse::<i64>()
                .unwrap_or_else(|_| panic!("field {i} {:?}", r[i]));
        }
    }
    let (e1, a1) = (&f.events[1], &f.articles[0]);
    let r = &rows[0];
    assert_eq!(
        r[0],
        i64::from_str_radix(&e1.id[..15], 16).unwrap().to_string()
    );
    assert_eq!(
        (r[1], r[2], r[3]),
        ("20240306000000", "20240306000000", "1")
    );
    assert_eq!(
        (r[4], r[5]),
        (
            "example-news.test",
            "https://www.example-news.test/world/kharkiv"
        )
    );
    assert_eq!(r[6], "2");
    let chars: Vec<char> = a1.text.chars().collect();
    let at = |off: &str, len: usize| -> String {
        let o: usize = off.parse().unwrap();
        chars[o..o + len].iter().collect()
    };
    assert_eq!(at(r[7], "Russian troops".len()), "Russian troops");
    assert_eq!(at(r[8], "Ukrainian forces".len()), "Ukrainian forces");
    assert_eq!(at(r[9], "shelled".len()), "shelled");
    assert_eq!((r[10], r[11]), ("1", "80"));
    assert_eq!(r[12], a1.text.chars().count().to_string());
    // No target: -1. No URL: the source reference, and the site name as source name.
    assert_eq!(rows[2][8], "-1");
    assert_eq!(
        (rows[1][4], rows[1][5]),
        ("Example Wire", "feeds/sample.jsonl:3")
    );
}

#[test]
fn csv_has_a_header_and_round_trips_awkward_text() {
    let f = fixture();
    let (out, s) = run(&f.store, &ExportFilter::default(), Format::Csv);
    assert_eq!((s.rows, s.skipped), (4, 0));
    let mut r = csv::Reader::from_reader(out.as_slice());
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header, COLUMNS);
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 4);
    let col = |name: &str| COLUMNS.iter().position(|c| *c == name).unwrap();
    let ids: Vec<&str> = rows.iter().map(|r| &r[col("id")]).collect();
    let want: Vec<&str> = f.events.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, want);
    // Undated first: empty date.
    assert_eq!(&rows[0][col("date")], "");
    assert_eq!(&rows[0][col("url")], "inbox/undated.html");
    let r1 = &rows[1];
    assert_eq!(&r1[col("evidence_text")], S1B); // tab, newline, quotes and comma survive
    assert_eq!(&r1[col("date")], "2024-03-05");
    assert_eq!(&r1[col("acled_event_type")], "Explosions/Remote violence");
    assert_eq!(&r1[col("location_geonameid")], "706483");
    assert_eq!(&r1[col("location_lat")], "49.98081");
    assert_eq!(&r1[col("goldstein")], "-10");
    let r2 = &rows[2];
    assert_eq!(
        (&r2[col("date")], &r2[col("date_precision")]),
        ("2024-04-01", "month")
    );
    assert_eq!(
        (&r2[col("status")], &r2[col("target_code")]),
        ("planned", "AFGINSTAL")
    );
    assert_eq!(&r2[col("evidence_sentence")], "5");
    assert_eq!(&rows[3][col("target_code")], "");
    assert_eq!(
        &rows[3][col("source_text")],
        "Protesters, some carrying signs"
    );
}

#[test]
fn jsonl_is_the_event_contract() {
    let f = fixture();
    let (out, s) = run(&f.store, &ExportFilter::default(), Format::Jsonl);
    assert_eq!(s.rows, 4);
    let mut got: Vec<Event> = text(out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // Each event carries its aggregate (here: itself, reported once); the rest is as coded.
    for e in &mut got {
        let a = e.aggregate.take().unwrap();
        assert_eq!((a.id.as_str(), a.num_mentions), (e.id.as_str(), 1));
    }
    assert_eq!(got, f.events);
}

#[test]
fn filters_select_events_and_empty_results_write_nothing_but_a_csv_header() {
    let f = fixture();
    let march = ExportFilter {
        from: Some(day(2024, 3, 1)),
        to: Some(day(2024, 3, 31)),
        ..Default::default()
    };
    let (out, _) = run(&f.store, &march, Format::Jsonl);
    let ids: Vec<String> = text(out)
        .lines()
        .map(|l| serde_json::from_str::<Event>(l).unwrap().id)
        .collect();
    assert_eq!(ids, [f.events[1].id.clone()]);

    let afg = ExportFilter {
        country: Some("afg".into()),
        ..Default::default()
    };
    let (out, s) = run(&f.store, &afg, Format::Gdelt);
    assert_eq!(s.rows, 1);
    assert!(text(out).contains("\tROMGOV\t"));

    let from_april = ExportFilter {
        from: Some(day(2024, 4, 1)),
        ..Default::default()
    };
    let (out, s) = run(&f.store, &from_april, Format::Csv);
    assert_eq!(s.rows, 2);
    assert_eq!(
        csv::Reader::from_reader(out.as_slice()).records().count(),
        2
    );

    let none = ExportFilter {
        country: Some("NZL".into()),
        ..Default::default()
    };
    let (out, s) = run(&f.store, &none, Format::Csv);
    assert_eq!((s.events, s.rows), (0, 0));
    assert_eq!(text(out), format!("{}\r\n", COLUMNS.join(",")));
    for format in [Format::Gdelt, Format::GdeltMentions, Format::Jsonl] {
        let (out, _) = run(&f.store, &none, format);
        assert!(out.is_empty(), "{format:?}");
    }

    let bad = ExportFilter {
        from: Some(day(2024, 5, 1)),
        to: Some(day(2024, 4, 1)),
        ..Default::default()
    };
    let mut out = Vec::new();
    let err = export(&f.store, &bad, Format::Csv, &mut out).unwrap_err();
    assert!(matches!(err, ExportError::Store(_)), "{err}");
    assert!(out.is_empty());
}

#[test]
fn exports_stream_across_pages() {
    let mut store = Store::open_in_memory().unwrap();
    // Every generated event is its own real-world event here.
    store.set_aggregation(false);
    let n = 2_345usize;
    let mut want = std::collections::BTreeSet::new();
    // 7 events per article, dated over a few weeks.
    for a_no in 0..n.div_ceil(7) {
        let sentences: Vec<String> = (0..7)
            .map(|k| format!("Item {a_no} {k}: police detained protesters in the capital."))
            .collect();
        let a = article(&sentences.join(" "), Some(day(2024, 1, 1)), None, "gen");
        let mut events = Vec::new();
        for (k, s) in sentences.iter().enumerate() {
            let i = a_no * 7 + k;
            if i >= n {
                break;
            }
            let e = event(
                &format!("bulk-{i}"),
                Some(outpost_core::EventDate::day(day(
                    2024,
                    1,
                    1 + (i % 28) as u32,
                ))),
                "COERCE",
                "173",
                -5.0,
                4,
                actor("police", "COP", None, Some("COP")),
                Some(actor("protesters", "CVL", None, Some("CVL"))),
                None,
                evidence(&a, k, s, "detained"),
            );
            want.insert(e.id.clone());
            events.push(e);
        }
        store.insert_article(&a, &events).unwrap();
    }
    let (out, s) = run(&store, &ExportFilter::default(), Format::Jsonl);
    assert_eq!((s.events, s.rows, s.pages), (n as u64, n as u64, 3));
    let got: Vec<Event> = text(out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let ids: std::collections::BTreeSet<String> = got.iter().map(|e| e.id.clone()).collect();
    assert_eq!(ids, want);
    assert!(
        got.windows(2).all(|w| w[0].date <= w[1].date),
        "oldest first"
    );

    let (out, s) = run(&store, &ExportFilter::default(), Format::Gdelt);
    assert_eq!(s.rows, n as u64);
    assert_eq!(gdelt_reader::parse(&text(out)).unwrap().len(), n);

    let capped = ExportFilter {
        max_events: Some(1_500),
        ..Default::default()
    };
    let (out, s) = run(&store, &capped, Format::Csv);
    assert_eq!((s.rows, s.pages), (1_500, 2));
    assert_eq!(
        csv::Reader::from_reader(out.as_slice()).records().count(),
        1_500
    );
}

#[test]
fn formats_parse_by_name() {
    for f in [
        Format::Gdelt,
        Format::GdeltMentions,
        Format::Csv,
        Format::Jsonl,
        Format::Parquet,
    ] {
        assert_eq!(Format::parse(f.as_str()), Some(f));
    }
    assert_eq!(Format::parse("GDELT"), Some(Format::Gdelt));
    assert_eq!(Format::parse("xml"), None);
}

#[cfg(not(feature = "parquet"))]
#[test]
fn parquet_without_the_feature_is_a_clear_error() {
    let f = fixture();
    let mut out = Vec::new();
    let err = export(
        &f.store,
        &ExportFilter::default(),
        Format::Parquet,
        &mut out,
    )
    .unwrap_err();
    assert!(matches!(err, ExportError::ParquetDisabled));
    assert!(err.to_string().contains("`parquet` feature"));
    assert!(!Format::Parquet.is_available());
}

#[test]
fn aggregated_events_carry_gdelt_counts_and_every_mention() {
    let mut store = Store::open_in_memory().unwrap();
    let s1 = "Police detained dozens of protesters in the capital on Monday.";
    let s2 = "Dozens of demonstrators were detained by police in the capital on Monday.";
    let coerce = |key: &str, a: &outpost_core::Article, s: &str| {
        event(
            key,
            Some(outpost_core::EventDate::day(day(2024, 2, 5))),
            "COERCE",
            "173",
            -5.0,
            4,
            actor("police", "KENCOP", Some("KEN"), Some("COP")),
            Some(actor("protesters", "KENCVL", Some("KEN"), Some("CVL"))),
            None,
            evidence(a, 0, s, "detained"),
        )
    };
    let a = article(s1, Some(day(2024, 2, 6)), Some("https://a.test/x"), "in/a");
    let b = article(s2, Some(day(2024, 2, 6)), Some("https://b.test/y"), "in/b");
    store.insert_article(&a, &[coerce("ea", &a, s1)]).unwrap();
    store.insert_article(&b, &[coerce("eb", &b, s2)]).unwrap();
    // The same page as `a` syndicated by a third site.
    let mut copy = a.clone();
    copy.url = Some("https://c.test/z".into());
    copy.source = "in/c".into();
    store.insert_article(&copy, &[]).unwrap();

    let (out, s) = run(&store, &ExportFilter::default(), Format::Gdelt);
    assert_eq!(s.rows, 1, "one real-world event");
    let row: Vec<String> = text(out)
        .lines()
        .next()
        .unwrap()
        .split('\t')
        .map(String::from)
        .collect();
    // NumMentions, NumSources, NumArticles.
    assert_eq!((&*row[31], &*row[32], &*row[33]), ("3", "3", "3"));
    let (out, s) = run(&store, &ExportFilter::default(), Format::GdeltMentions);
    assert_eq!(s.rows, 3);
    let rows: Vec<Vec<String>> = text(out)
        .lines()
        .map(|l| l.split('\t').map(String::from).collect())
        .collect();
    assert!(rows.iter().all(|r| r[0] == row[0]), "one GlobalEventID");
    let mut ids: Vec<&str> = rows.iter().map(|r| r[5].as_str()).collect();
    ids.sort();
    assert_eq!(
        ids,
        ["https://a.test/x", "https://b.test/y", "https://c.test/z"]
    );
    // Every mention, unaggregated.
    let all = ExportFilter {
        all_mentions: true,
        ..Default::default()
    };
    let (_, s) = run(&store, &all, Format::Gdelt);
    assert_eq!(s.rows, 2);
}
