//! End-to-end tests of the annotate stage on invented news.

use std::sync::OnceLock;

use chrono::NaiveDate;
use outpost_annotate::{Annotator, split_sentences};
use outpost_core::{ActorKind, ActorMention, AnnotatedDoc, Article, DatePrecision};

fn annotator() -> &'static Annotator {
    static A: OnceLock<Annotator> = OnceLock::new();
    A.get_or_init(|| Annotator::builtin().unwrap())
}

fn article(text: &str, date: Option<NaiveDate>) -> Article {
    Article {
        id: "test".into(),
        source: "test".into(),
        title: None,
        date,
        modified: None,
        authors: Vec::new(),
        site: None,
        url: None,
        language: Some("en".into()),
        wire: None,
        text: text.into(),
    }
}

fn saturday() -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(2021, 7, 24)
}

fn actors(doc: &AnnotatedDoc) -> Vec<(String, String)> {
    doc.sentences
        .iter()
        .flat_map(|s| s.actors.iter())
        .map(|a| (a.text.clone(), a.code.clone()))
        .collect()
}

fn find<'a>(doc: &'a AnnotatedDoc, text: &str) -> &'a ActorMention {
    doc.sentences
        .iter()
        .flat_map(|s| s.actors.iter())
        .find(|a| a.text == text)
        .unwrap_or_else(|| panic!("no actor {text:?} in {:?}", actors(doc)))
}

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn role_name_and_counterpart_and_surname() {
    let text = "Kazakh Foreign Minister Aigerim Sadykova and her Kyrgyz counterpart Bolot Usenov \
                on Friday signed a water-sharing deal, the Interfax news agency reported.\n\n\
                Sadykova said the deal would be ratified next month.";
    let doc = annotator().annotate(&article(text, saturday()));
    let a = find(&doc, "Kazakh Foreign Minister Aigerim Sadykova");
    assert_eq!((a.code.as_str(), a.kind), ("KAZGOV", ActorKind::Person));
    assert_eq!(a.name.as_deref(), Some("Aigerim Sadykova"));
    assert_eq!(a.country.as_deref(), Some("KAZ"));
    let b = find(&doc, "Kyrgyz counterpart Bolot Usenov");
    assert_eq!((b.code.as_str(), b.kind), ("KGZGOV", ActorKind::Person));
    assert_eq!(b.name.as_deref(), Some("Bolot Usenov"));
    let c = find(&doc, "Interfax news agency");
    assert_eq!(
        (c.code.as_str(), c.sector.as_deref()),
        ("RUSMED", Some("MED"))
    );
    let d = find(&doc, "Sadykova");
    assert_eq!(
        (d.code.as_str(), d.name.as_deref()),
        ("KAZGOV", Some("Aigerim Sadykova"))
    );
    assert_eq!(d.kind, ActorKind::Person);
    // spans are byte offsets into the article
    for s in &doc.sentences {
        for m in &s.actors {
            assert_eq!(&text[m.start..m.end], m.text);
        }
    }
}

#[test]
fn defence_roles_take_two_sectors_and_counterparts_copy_them() {
    let text = "Armenian Defence Minister Tigran Avetyan met his Georgian counterpart Levan Beridze in Tbilisi.";
    let doc = annotator().annotate(&article(text, saturday()));
    let a = find(&doc, "Armenian Defence Minister Tigran Avetyan");
    assert_eq!(a.code, "ARMGOVMIL");
    assert_eq!(a.sector.as_deref(), Some("GOV"));
    let b = find(&doc, "Georgian counterpart Levan Beridze");
    assert_eq!(b.code, "GEOGOVMIL");
    // "in Tbilisi" is kept both as a capital actor and as a place: the coder decides
    let t = find(&doc, "Tbilisi");
    assert_eq!((t.code.as_str(), t.kind), ("GEOGOV", ActorKind::Capital));
    assert!(doc.sentences[0].places.iter().any(|p| p.text == "Tbilisi"));
}

#[test]
fn demonym_roles_groups_capitals_and_led() {
    let text = "Malian soldiers and al-Shabaab fighters were not involved, but Boko Haram militants \
                attacked a convoy of UN peacekeepers as French-led troops withdrew.\n\n\
                The Bamako government blamed the attack on ISIS. Paris has promised to help, \
                and Nigerian police arrested two gunmen.";
    let doc = annotator().annotate(&article(text, saturday()));
    assert_eq!(
        actors(&doc),
        pairs(&[
            ("Malian soldiers", "MLIMIL"),
            ("al-Shabaab fighters", "SOMREB"),
            ("Boko Haram militants", "NGAREB"),
            ("UN peacekeepers", "IGOUNOPKO"),
            ("French-led troops", "FRAMIL"),
            ("Bamako government", "MLIGOV"),
            ("ISIS", "IMGREB"),
            ("Paris", "FRAGOV"),
            ("Nigerian police", "NGACOP"),
            ("gunmen", "---UAF"),
        ])
    );
    assert_eq!(find(&doc, "Bamako government").kind, ActorKind::Capital);
    assert_eq!(find(&doc, "Paris").kind, ActorKind::Capital);
    assert_eq!(
        find(&doc, "Boko Haram militants").name.as_deref(),
        Some("Boko Haram")
    );
    assert_eq!(find(&doc, "ISIS").country.as_deref(), Some("IMG"));
    assert_eq!(
        find(&doc, "UN peacekeepers").country.as_deref(),
        Some("UNO")
    );
}

#[test]
fn compound_lists_coordination_and_possessives() {
    let text = "Peru, Chile and Bolivia will hold talks. Brazilian and Argentine diplomats attended, \
                and Ecuador's army chief Gen. Rosa Paredes spoke for the NATO delegation.";
    let doc = annotator().annotate(&article(text, saturday()));
    assert_eq!(
        actors(&doc),
        pairs(&[
            ("Peru", "PER"),
            ("Chile", "CHL"),
            ("Bolivia", "BOL"),
            ("Brazilian", "BRAGOV"),
            ("Argentine diplomats", "ARGGOV"),
            ("Ecuador's army chief Gen. Rosa Paredes", "ECUMIL"),
            ("NATO delegation", "IGONAT"),
        ])
    );
    assert_eq!(
        find(&doc, "Ecuador's army chief Gen. Rosa Paredes")
            .name
            .as_deref(),
        Some("Rosa Paredes")
    );
}

#[test]
fn adjectives_and_place_demonyms_are_not_actors() {
    let text = "The military base near the Kenyan-Somali border hosts major drills and a police station. \
                The military said a Kenyan convoy was hit. President Ama Owusu visited.";
    let doc = annotator().annotate(&article(text, saturday()));
    assert_eq!(
        actors(&doc),
        pairs(&[
            ("military", "KENMIL"),
            ("Kenyan", "KEN"),
            ("President Ama Owusu", "KENGOV")
        ])
    );
    assert_eq!(find(&doc, "President Ama Owusu").kind, ActorKind::Person);
    assert_eq!(find(&doc, "Kenyan").kind, ActorKind::Demonym);
}

#[test]
fn possessive_pronoun_takes_the_country_before_it() {
    let text = "Niger, whose government has denied the report, closed the border.";
    let doc = annotator().annotate(&article(text, saturday()));
    let g = find(&doc, "government");
    assert_eq!((g.code.as_str(), g.kind), ("NERGOV", ActorKind::Reference));
}

#[test]
fn dateline_place_and_dates_per_sentence() {
    let text = "NAIROBI (AFP) - Kenyan police on Friday dispersed protesters in the capital.\n\n\
                Lawmakers will vote on Monday, a week after talks collapsed last week.";
    let doc = annotator().annotate(&article(text, saturday()));
    let dl = doc.dateline.as_ref().expect("dateline");
    assert_eq!((dl.start, dl.end, dl.text.as_str()), (0, 7, "NAIROBI"));
    assert_eq!(
        dl.location.as_ref().and_then(|l| l.country.as_deref()),
        Some("KEN")
    );
    // the dateline's place is no actor, the agency is a media actor
    assert_eq!(
        actors(&doc),
        pairs(&[
            ("AFP", "FRAMED"),
            ("Kenyan police", "KENCOP"),
            ("protesters", "KENCVL"),
            ("Lawmakers", "KENLEG"),
        ])
    );
    assert_eq!(doc.sentences.len(), 2);
    assert_eq!(doc.sentences[1].paragraph, 1);
    let d0 = &doc.sentences[0].dates;
    assert_eq!(d0.len(), 1);
    assert_eq!(
        (d0[0].text.as_str(), d0[0].date),
        ("on Friday", NaiveDate::from_ymd_opt(2021, 7, 23).unwrap())
    );
    let d1 = &doc.sentences[1].dates;
    assert_eq!(d1.len(), 2);
    assert_eq!(d1[0].date, NaiveDate::from_ymd_opt(2021, 7, 26).unwrap());
    assert_eq!(
        (d1[1].date, d1[1].precision),
        (
            NaiveDate::from_ymd_opt(2021, 7, 12).unwrap(),
            DatePrecision::Week
        )
    );
    for s in &doc.sentences {
        assert_eq!(&text[s.start..s.end], s.text);
        for t in &s.tokens {
            assert_eq!(&text[t.start..t.end], t.text);
        }
        for d in &s.dates {
            assert_eq!(&text[d.start..d.end], d.text);
        }
        for p in &s.places {
            assert_eq!(&text[p.start..p.end], p.text);
        }
    }
}

#[test]
fn split_sentences_is_public() {
    let t = "One. Two.\n\nThree.";
    let spans = split_sentences(t);
    assert_eq!(spans, vec![(0, 4), (5, 9), (11, 17)]);
}

#[test]
fn user_dictionary_extends_and_overrides() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("my-actors.tsv");
    std::fs::write(
        &file,
        "# local additions\n\
         [actors]\n\
         SDNREB\tSDN\tREB\torg\tSons of the Dunes\tSons of the Dunes|Dune Brigades\n\
         RUSBUS\tRUS\tBUS\torg\tWagner Logistics\tWagner\n\
         [roles]\n\
         MIL\t-\tlegionnaires|legionnaire\n",
    )
    .unwrap();
    let text = "Dune Brigades fighters clashed with Chadian legionnaires near a Wagner depot.";
    let before = annotator().annotate(&article(text, saturday()));
    assert_eq!(find(&before, "Wagner").code, "RUSPRM");
    let ann = annotator().clone().with_user_dict(&file).unwrap();
    let doc = ann.annotate(&article(text, saturday()));
    assert_eq!(
        actors(&doc),
        pairs(&[
            ("Dune Brigades fighters", "SDNREB"),
            ("Chadian legionnaires", "TCDMIL"),
            ("Wagner", "RUSBUS"),
        ])
    );
    assert_eq!(
        find(&doc, "Wagner").name.as_deref(),
        Some("Wagner Logistics")
    );

    // A directory with roles.tsv only.
    let rdir = dir.path().join("d");
    std::fs::create_dir(&rdir).unwrap();
    std::fs::write(rdir.join("roles.tsv"), "LAB\t-\tdockers\n").unwrap();
    let ann = annotator().clone().with_user_dict(&rdir).unwrap();
    let doc = ann.annotate(&article("Greek dockers walked out.", saturday()));
    assert_eq!(actors(&doc), pairs(&[("Greek dockers", "GRCLAB")]));
}

#[test]
fn user_dictionary_errors_name_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("roles-extra.tsv");
    std::fs::write(
        &file,
        "# ok\nMIL\t-\tlegionnaires\nMIL\tsometimes\tvolunteers\n",
    )
    .unwrap();
    let err = annotator()
        .clone()
        .with_user_dict(&file)
        .expect_err("error");
    let msg = err.to_string();
    assert!(msg.contains("roles-extra.tsv:3:"), "{msg}");
    assert!(msg.contains("unknown flag"), "{msg}");
    let missing = dir.path().join("nope.tsv");
    assert!(annotator().clone().with_user_dict(&missing).is_err());
}

#[test]
fn dictionaries_load_fast_enough() {
    let t = std::time::Instant::now();
    let _ = Annotator::builtin().unwrap();
    // generous for unoptimised test builds; the release target is < 300 ms
    assert!(t.elapsed().as_millis() < 3000, "{:?}", t.elapsed());
}

#[test]
fn appositions_known_people_and_of_phrases() {
    let text = "Tomas Varga, the Slovak defence minister, met the president of Latvia and \
                Joe Biden's envoy. The militant group Hamas and Moldovan junior foreign minister \
                Ana Rusu also spoke. Varga left.";
    let doc = annotator().annotate(&article(text, saturday()));
    let v = find(&doc, "Tomas Varga, the Slovak defence minister");
    assert_eq!(
        (v.code.as_str(), v.name.as_deref(), v.kind),
        ("SVKGOVMIL", Some("Tomas Varga"), ActorKind::Person)
    );
    assert_eq!(find(&doc, "president of Latvia").code, "LVAGOV");
    let b = find(&doc, "Joe Biden's envoy");
    assert_eq!(b.code, "USAGOV");
    assert_eq!(find(&doc, "militant group Hamas").code, "PSEREB");
    let r = find(&doc, "Moldovan junior foreign minister Ana Rusu");
    assert_eq!(
        (r.code.as_str(), r.name.as_deref()),
        ("MDAGOV", Some("Ana Rusu"))
    );
    let later = find(&doc, "Varga");
    assert_eq!(
        (later.code.as_str(), later.name.as_deref()),
        ("SVKGOVMIL", Some("Tomas Varga"))
    );
}

#[test]
fn title_case_dateline_after_a_byline() {
    let text = "By Ana Ruiz\n\nNairobi, Kenya — Traders in Nairobi closed their shops on Monday.";
    let doc = annotator().annotate(&article(text, saturday()));
    let dl = doc.dateline.as_ref().expect("dateline");
    assert_eq!(&text[dl.start..dl.end], "Nairobi");
    assert_eq!(dl.start, text.find("Nairobi").unwrap());
    // the later "in Nairobi" is still a capital actor, the dateline itself is not
    let caps: Vec<usize> = doc
        .sentences
        .iter()
        .flat_map(|s| s.actors.iter())
        .filter(|a| a.text == "Nairobi")
        .map(|a| a.start)
        .collect();
    assert_eq!(caps, vec![text.rfind("Nairobi").unwrap()]);
    let plain = annotator().annotate(&article("Kenya - the host - said little.", saturday()));
    assert!(plain.dateline.is_none());
}

#[test]
fn known_people_bodies_and_possessive_names() {
    let text = "General Omar Lugo's troops entered the town after the Macron government \
                and Angela Merkel spoke. The Lima University students marched.";
    let doc = annotator().annotate(&article(text, saturday()));
    let g = find(&doc, "General Omar Lugo");
    assert_eq!(
        (g.code.as_str(), g.name.as_deref(), g.kind),
        ("---MIL", Some("Omar Lugo"), ActorKind::Person)
    );
    let m = find(&doc, "Macron government");
    assert_eq!(
        (m.code.as_str(), m.kind, m.name.as_deref()),
        ("FRAGOV", ActorKind::Role, None)
    );
    let a = find(&doc, "Angela Merkel");
    assert_eq!((a.code.as_str(), a.kind), ("DEUGOV", ActorKind::Person));
    let u = find(&doc, "Lima University students");
    assert_eq!((u.code.as_str(), u.kind), ("PEREDU", ActorKind::Role));
}

/// Multi-byte text everywhere must never make annotate slice inside a character.
#[test]
fn never_panics_on_multibyte_text() {
    let pieces = [
        "Zürich",
        "’s",
        "—",
        "KYIV",
        "(AFP)",
        " - ",
        "Président",
        "Erdoğan's",
        "army’s",
        "“Yes.”",
        "Jan.",
        "5",
        "U.S.",
        "Gen.",
        "São Tomé",
        "東京",
        "…",
        "\n\n",
        "on",
        "Friday",
        "troops",
        "Russian",
        "minister",
        "Анна",
        "Ivanova",
        ",",
        "the",
        "border",
        "-led",
    ];
    let mut seed = 7u64;
    for _ in 0..300 {
        let mut text = String::new();
        let n = (seed % 40) as usize + 1;
        for _ in 0..n {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            text.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
            if !(seed >> 20).is_multiple_of(3) {
                text.push(' ');
            }
        }
        let doc = annotator().annotate(&article(&text, saturday()));
        for s in &doc.sentences {
            assert_eq!(&text[s.start..s.end], s.text);
            for a in &s.actors {
                assert_eq!(&text[a.start..a.end], a.text);
                assert!(a.start >= s.start && a.end <= s.end);
            }
            // in text order and not overlapping
            for w in s.actors.windows(2) {
                assert!(w[0].end <= w[1].start, "{:?}", s.actors);
            }
            for w in s.dates.windows(2) {
                assert!(w[0].end <= w[1].start, "{:?}", s.dates);
            }
        }
    }
}

#[test]
fn coordination_free_modifiers_and_people_nouns() {
    let text = "US and British forces guarded Nepali paper workers while Malawians fled \
                and Peruvian border guards freed two prisoners.";
    let doc = annotator().annotate(&article(text, saturday()));
    assert_eq!(
        actors(&doc),
        pairs(&[
            ("US", "USAMIL"),
            ("British forces", "GBRMIL"),
            ("Nepali paper workers", "NPLLAB"),
            ("Malawians", "MWICVL"),
            ("Peruvian border guards", "PERMIL"),
            ("prisoners", "---CVL"),
        ])
    );
    assert_eq!(find(&doc, "Malawians").kind, ActorKind::Demonym);
}

#[test]
fn a_later_ministry_takes_the_specific_one_named_before() {
    let text = "Serbian Defence Minister Goran Ilic met Croatian envoys.\n\n\
                The Serbian ministry said the talks went well. The Croatian ministry disagreed.";
    let doc = annotator().annotate(&article(text, saturday()));
    let m = find(&doc, "Serbian ministry");
    assert_eq!(
        (m.code.as_str(), m.kind),
        ("SRBGOVMIL", ActorKind::Reference)
    );
    // no Croatian ministry was named before: it stays plain
    assert_eq!(find(&doc, "Croatian ministry").code, "HRVGOV");
}

#[test]
fn names_set_off_by_commas_after_a_title() {
    let text = "The rebel spokesman, Idris Kamara, said the army chief, General, had fled. \
                The police spokesman, Moussa, declined to comment.";
    let doc = annotator().annotate(&article(text, saturday()));
    let a = find(&doc, "rebel spokesman, Idris Kamara");
    assert_eq!(
        (a.code.as_str(), a.name.as_deref(), a.kind),
        ("---REB", Some("Idris Kamara"), ActorKind::Person)
    );
    // single words after a comma are too weak to be a name
    assert_eq!(find(&doc, "army chief").kind, ActorKind::Role);
    assert_eq!(find(&doc, "police spokesman").name, None);
}

#[test]
fn ethnic_minorities_take_the_country_they_live_in() {
    // "ethnic X" names a minority: the country comes from the phrase or the article
    let doc = annotator().annotate(&article(
        "Several hundred ethnic Uzbeks in Kyrgyzstan marched on Monday. Ethnic Kazakh farmers \
         in the Kyrgyz south joined them.",
        saturday(),
    ));
    let a = find(&doc, "Uzbeks");
    assert_eq!(a.code, "KGZCVL");
    assert_eq!(a.country.as_deref(), Some("KGZ"));
    assert_eq!(a.kind, ActorKind::Role);
    let b = find(&doc, "Kazakh farmers");
    assert_eq!(b.code, "KGZAGR");
    // without "ethnic" a demonym keeps its own country
    let doc = annotator().annotate(&article("Uzbek farmers marched in Osh.", saturday()));
    assert_eq!(find(&doc, "Uzbek farmers").code, "UZBAGR");
}

#[test]
fn official_before_a_noun_is_an_adjective() {
    let doc = annotator().annotate(&article(
        "Latvia lodged an official protest with Estonia. An official said talks would follow.",
        saturday(),
    ));
    // only the second sentence's "official" (a noun) is an actor
    let first: Vec<&str> = doc.sentences[0]
        .actors
        .iter()
        .map(|a| a.text.as_str())
        .collect();
    assert_eq!(first, ["Latvia", "Estonia"]);
    let second: Vec<&str> = doc.sentences[1]
        .actors
        .iter()
        .map(|a| a.code.as_str())
        .collect();
    assert_eq!(second, ["---GOV"]);
}

#[test]
fn a_place_right_before_a_role_gives_its_country() {
    let doc = annotator().annotate(&article(
        "Darfur rebels attacked a convoy. Officials in Kenya and Uganda condemned it.",
        saturday(),
    ));
    assert_eq!(find(&doc, "rebels").code, "SDNREB");
}

#[test]
fn capitals_in_names_surnames_that_are_titles_and_anti() {
    // "Russia Today" the broadcaster is written with two capitals; "Russia today" is Russia
    let doc = annotator().annotate(&article(
        "The Georgian envoy visited Russia today.",
        saturday(),
    ));
    assert_eq!(find(&doc, "Russia").code, "RUS");
    let doc = annotator().annotate(&article(
        "The interview was aired by Russia Today on Friday.",
        saturday(),
    ));
    assert_eq!(find(&doc, "Russia Today").code, "RUSMED");
    // with no shorter reading, a capital on the first word is enough
    let doc = annotator().annotate(&article("Boko haram fighters raided a town.", saturday()));
    assert_eq!(find(&doc, "Boko haram fighters").code, "NGAREB");
    // a title word written with a capital right after a name ends the name
    let doc = annotator().annotate(&article(
        "British Defence Secretary Tom King flew to Oman.",
        saturday(),
    ));
    let a = find(&doc, "British Defence Secretary Tom King");
    assert_eq!(
        (a.code.as_str(), a.name.as_deref()),
        ("GBRGOVMIL", Some("Tom King"))
    );
    // "X's vice foreign minister"
    let doc = annotator().annotate(&article(
        "Taiwan's Vice Foreign Minister arrived in Riga.",
        saturday(),
    ));
    assert_eq!(find(&doc, "Taiwan's Vice Foreign Minister").code, "TWNGOV");
    // what a phrase is against is not its country
    let doc = annotator().annotate(&article(
        "An anti-Iran journalist was wounded in Baghdad.",
        saturday(),
    ));
    assert!(
        doc.sentences[0]
            .actors
            .iter()
            .all(|a| !a.code.starts_with("IRN")),
        "{:?}",
        actors(&doc)
    );
}
