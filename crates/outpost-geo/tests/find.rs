//! `find` and friends on the built-in gazetteer, with text written for these tests.

use std::io::Write;
use std::time::{Duration, Instant};

use outpost_core::PlaceMention;
use outpost_geo::{Gazetteer, GeoError};

fn gaz() -> Gazetteer {
    Gazetteer::builtin().unwrap()
}

fn at<'a>(m: &'a [PlaceMention], text: &str) -> &'a PlaceMention {
    m.iter()
        .find(|x| x.text == text)
        .unwrap_or_else(|| panic!("no mention {text:?} in {m:#?}"))
}

fn country(m: &PlaceMention) -> Option<&str> {
    m.location.as_ref().and_then(|l| l.country.as_deref())
}

#[test]
fn finds_countries_and_cities_with_byte_offsets() {
    let g = gaz();
    let text = "KABUL (AFP) – Officials from Afghanistan and Uzbekistan met in Termez on \
                Monday, while a delegation flew on to Tashkent and Moscow.";
    let m = g.find(text);
    for x in &m {
        assert_eq!(&text[x.start..x.end], x.text);
    }
    let names: Vec<&str> = m.iter().map(|x| x.text.as_str()).collect();
    assert_eq!(
        names,
        [
            "KABUL",
            "Afghanistan",
            "Uzbekistan",
            "Termez",
            "Tashkent",
            "Moscow"
        ]
    );
    assert_eq!(at(&m, "KABUL").feature, "city");
    assert_eq!(country(at(&m, "KABUL")), Some("AFG"));
    assert_eq!(at(&m, "Afghanistan").feature, "country");
    assert_eq!(
        at(&m, "Afghanistan").location.as_ref().unwrap().precision,
        "country"
    );
    assert_eq!(country(at(&m, "Termez")), Some("UZB"));
    assert_eq!(country(at(&m, "Moscow")), Some("RUS"));
    // the en dash (3 bytes) before "Officials" must not shift later offsets
    let afg = at(&m, "Afghanistan");
    assert_eq!(afg.start, text.find("Afghanistan").unwrap());
}

#[test]
fn border_phrases_in_all_forms() {
    let g = gaz();
    let expected = g.border("TJK", "AFG").unwrap();
    let cases = [
        (
            "Gunfire was heard on the Tajik-Afghan border late on Friday.",
            "Tajik-Afghan border",
            "TJK",
        ),
        (
            "Troops were sent to the Afghan–Tajik border.",
            "Afghan–Tajik border",
            "AFG",
        ),
        (
            "They patrol the border between Tajikistan and Afghanistan.",
            "border between Tajikistan and Afghanistan",
            "TJK",
        ),
        (
            "Tajikistan's border with Afghanistan stays closed.",
            "Tajikistan's border with Afghanistan",
            "TJK",
        ),
        (
            "Near the Afghanistan-Tajikistan frontier, shops shut.",
            "Afghanistan-Tajikistan frontier",
            "AFG",
        ),
    ];
    for (text, phrase, first) in cases {
        let m = g.find(text);
        assert_eq!(m.len(), 1, "{text}: {m:#?}");
        let b = &m[0];
        assert_eq!(b.text, phrase);
        assert_eq!(b.feature, "border");
        assert_eq!(&text[b.start..b.end], phrase);
        let loc = b.location.as_ref().unwrap();
        assert_eq!(country(b), Some(first));
        assert_eq!((loc.lat, loc.lon), (expected.lat, expected.lon));
        assert_eq!(loc.precision, "border");
    }
    // the point lies between the two capitals' latitudes (Panj river area)
    assert!(expected.lat > 36.0 && expected.lat < 38.6, "{expected:?}");
    let m = g.find("Clashes on the Syrian-Turkish frontier and the Sino-Indian border.");
    assert_eq!(m.len(), 2);
    assert_eq!(country(&m[0]), Some("SYR"));
    assert_eq!(m[1].text, "Sino-Indian border");
    assert_eq!(country(&m[1]), Some("CHN"));
}

#[test]
fn demonyms_alone_are_not_places() {
    let g = gaz();
    let m = g.find("Afghan servicemen and Tajik border guards exchanged fire.");
    assert!(m.is_empty(), "{m:#?}");
}

#[test]
fn names_are_case_sensitive_and_whole_words() {
    let g = gaz();
    let m = g.find("It was a nice day in Nice, said a Romanian diplomat in Parisian style.");
    let names: Vec<&str> = m.iter().map(|x| x.text.as_str()).collect();
    assert_eq!(names, ["Nice"]);
    assert_eq!(country(&m[0]), Some("FRA"));
}

#[test]
fn longest_match_wins() {
    let g = gaz();
    let m = g.find("Guinea-Bissau, Papua New Guinea and Guinea signed; so did South Sudan.");
    let names: Vec<&str> = m.iter().map(|x| x.text.as_str()).collect();
    assert_eq!(
        names,
        ["Guinea-Bissau", "Papua New Guinea", "Guinea", "South Sudan"]
    );
    assert_eq!(country(&m[0]), Some("GNB"));
    assert_eq!(country(&m[3]), Some("SSD"));
}

#[test]
fn ambiguity_prefers_country_mentioned_elsewhere() {
    let g = gaz();
    let m = g.find("Fighting resumed in Tripoli overnight.");
    assert_eq!(country(at(&m, "Tripoli")), Some("LBY")); // the capital wins by default
    let m = g.find("Fighting resumed in Tripoli, Lebanon's second city, overnight.");
    assert_eq!(country(at(&m, "Tripoli")), Some("LBN"));
    let m = g.find("Lebanese troops deployed in Tripoli.");
    assert_eq!(country(at(&m, "Tripoli")), Some("LBN"));
}

#[test]
fn regions_and_alternate_names() {
    let g = gaz();
    let m = g.find("Shelling hit Kiev, the Donbas and the Gaza Strip; Khatlon region was calm.");
    assert_eq!(at(&m, "Kiev").location.as_ref().unwrap().name, "Kyiv");
    assert_eq!(at(&m, "Donbas").feature, "region");
    assert_eq!(country(at(&m, "Gaza Strip")), Some("PSE"));
    assert_eq!(
        at(&m, "Khatlon region")
            .location
            .as_ref()
            .unwrap()
            .precision,
        "admin1"
    );
}

#[test]
fn user_file_overrides_and_adds() {
    let mut f = tempfile::NamedTempFile::new().unwrap();
    let kabul = Gazetteer::builtin().unwrap().lookup("Kabul")[0].id.clone();
    writeln!(
        f,
        "{kabul}\tKabul\t\tcapital\tAFG\tKabul\t34.5\t69.2\t5000000\t1138958\t"
    )
    .unwrap();
    writeln!(
        f,
        "user:qala\tQala-i-Nau Fort\t\tcity\tAFG\t\t35.0\t63.1\t\t\t"
    )
    .unwrap();
    let g = gaz().with_user_file(f.path()).unwrap();
    let m = g.find("From Kabul to Qala-i-Nau Fort.");
    let k = at(&m, "Kabul").location.as_ref().unwrap();
    assert_eq!((k.lat, k.lon), (34.5, 69.2));
    assert_eq!(at(&m, "Qala-i-Nau Fort").feature, "city");
    assert_eq!(g.len(), gaz().len() + 1);

    let mut bad = tempfile::NamedTempFile::new().unwrap();
    writeln!(
        bad,
        "# comment\nuser:x\tX\t\tcity\tAFG\t\tnorth\t63.1\t\t\t"
    )
    .unwrap();
    match gaz().with_user_file(bad.path()) {
        Err(GeoError::Parse {
            line, source_name, ..
        }) => {
            assert_eq!(line, 2);
            assert!(source_name.contains(bad.path().file_name().unwrap().to_str().unwrap()));
        }
        other => panic!("expected a parse error, got {other:?}"),
    }
    assert!(matches!(
        gaz().with_user_file(std::path::Path::new("/nonexistent/gaz.tsv")),
        Err(GeoError::Io { .. })
    ));
}

#[test]
fn loads_and_finds_quickly() {
    let t = Instant::now();
    let g = gaz();
    let load = t.elapsed();
    // generous bound for unoptimised test builds on a slow machine
    assert!(load < Duration::from_secs(3), "load took {load:?}");
    let text =
        "The Tajik-Afghan border near Khorog saw clashes, officials in Dushanbe said. ".repeat(200);
    let t = Instant::now();
    let m = g.find(&text);
    assert!(
        t.elapsed() < Duration::from_secs(2),
        "find took {:?}",
        t.elapsed()
    );
    assert_eq!(m.len(), 600);
}

#[test]
fn names_after_person_titles_are_not_places() {
    let g = gaz();
    let m = g.find("Army chief General Milan Radović spoke in Milan; Mr. Jordan left.");
    let names: Vec<&str> = m.iter().map(|x| x.text.as_str()).collect();
    assert_eq!(names, ["Milan"]);
    assert_eq!(
        m[0].start,
        "Army chief General Milan Radović spoke in ".len()
    );
}

#[test]
fn document_context_resolves_names_in_a_single_sentence() {
    let g = gaz();
    let doc = "Lebanese officials met on Monday. Fighting resumed in Tripoli.";
    let ctx = g.mentioned_countries(doc);
    assert_eq!(ctx, ["LBN"]);
    let sentence = "Fighting resumed in Tripoli.";
    assert_eq!(country(&g.find(sentence)[0]), Some("LBY"));
    assert_eq!(country(&g.find_in(sentence, &ctx)[0]), Some("LBN"));
    let both = g.mentioned_countries("The Tajik-Afghan border near Khorog.");
    assert_eq!(both, ["AFG", "TJK"]);
}

#[test]
fn one_country_border_phrases_take_the_neighbour_named_nearby() {
    let g = gaz();
    let text = "Tajikistan reinforced posts on the Afghan border. Tajik border guards were sent \
                along its border with Afghanistan.";
    let m = g.find(text);
    let borders: Vec<&PlaceMention> = m.iter().filter(|x| x.feature == "border").collect();
    let names: Vec<&str> = borders.iter().map(|x| x.text.as_str()).collect();
    assert_eq!(names, ["Afghan border", "border with Afghanistan"]);
    let expected = g.border("AFG", "TJK").unwrap();
    for b in &borders {
        let l = b.location.as_ref().unwrap();
        assert_eq!((l.lat, l.lon), (expected.lat, expected.lon));
    }
    assert_eq!(country(borders[0]), Some("AFG")); // the country named in the phrase
    assert_eq!(country(borders[1]), Some("TJK")); // "its" = the neighbour named before
    // "Tajik border guards" is an actor, and "Afghanistan" inside the phrase is not repeated
    assert!(
        !m.iter()
            .any(|x| x.text.contains("guards") || x.text == "Afghanistan")
    );
    // without a neighbour in the text (or context) there is no border to place
    assert!(g.find("Troops moved to the Afghan border.").is_empty());
    let ctx = vec!["PAK".to_string()];
    let m = g.find_in("Troops moved to the Afghan border.", &ctx);
    assert_eq!(m.len(), 1);
    assert_eq!(
        m[0].location.as_ref().unwrap().name,
        "Afghanistan–Pakistan border"
    );
}
