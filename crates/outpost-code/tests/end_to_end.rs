//! End to end through the real annotate stage, on an invented article.

use outpost_core::{Article, DatePrecision, Event, Status};

const BODY: &str = "Kazakh Defence Minister Ruslan Tulegenov and his Kyrgyz counterpart Asel Bekova on Friday \
spoke by phone about security on the Kazakh-Kyrgyz border, the Kazinform news agency reported.

Kazakhstan on Thursday pledged to help Kyrgyzstan build new border posts. Kazakhstan, Kyrgyzstan and \
Uzbekistan will hold joint military exercises near the Kyrgyz-Tajik border next month.

Dozens of Tajik soldiers crossed the border into Kyrgyzstan last week in retreat from clashes with \
Kyrgyz troops. Kyrgyzstan later sent back the soldiers.

Islamist militants, who have attacked several villages this year, seized a police station in Batken \
on Wednesday, local officials said.";

fn events() -> Vec<Event> {
    let article = Article {
        id: outpost_core::id::text_fingerprint(BODY),
        source: "test".into(),
        title: None,
        date: chrono::NaiveDate::from_ymd_opt(2023, 5, 13),
        modified: None,
        authors: vec![],
        site: None,
        url: None,
        language: Some("en".into()),
        wire: None,
        text: BODY.into(),
    };
    let doc = outpost_annotate::Annotator::builtin()
        .unwrap()
        .annotate(&article);
    outpost_code::Coder::builtin().unwrap().code(&doc)
}

fn by_cameo<'a>(evs: &'a [Event], cameo: &str) -> &'a Event {
    evs.iter()
        .find(|e| e.cameo == cameo)
        .unwrap_or_else(|| panic!("no CAMEO {cameo} in {evs:#?}"))
}

#[test]
fn phone_call_between_counterparts() {
    let evs = events();
    let e = by_cameo(&evs, "041");
    assert_eq!(e.plover, "CONSULT");
    assert_eq!(e.mode.as_deref(), Some("phone"));
    assert_eq!(e.source.country.as_deref(), Some("KAZ"));
    assert_eq!(e.source.name.as_deref(), Some("Ruslan Tulegenov"));
    let t = e.target.as_ref().unwrap();
    assert_eq!(t.country.as_deref(), Some("KGZ"));
    assert_eq!(t.name.as_deref(), Some("Asel Bekova"));
    assert_eq!(e.date.map(|d| d.to_string()).as_deref(), Some("2023-05-12"));
    assert!(
        evs.iter()
            .all(|e| e.source.sector.as_deref() != Some("MED"))
    );
}

#[test]
fn pledge_is_planned_military_aid_intent() {
    let evs = events();
    let e = by_cameo(&evs, "0332");
    assert_eq!(e.plover, "AGREE");
    assert_eq!(e.status, Status::Planned);
    assert_eq!(e.source.code, "KAZ");
    assert_eq!(e.target.as_ref().map(|t| t.code.as_str()), Some("KGZ"));
    assert_eq!(e.date.map(|d| d.to_string()).as_deref(), Some("2023-05-11"));
}

#[test]
fn joint_exercises_list_three_parties_next_month() {
    let evs = events();
    let e = by_cameo(&evs, "0312");
    assert_eq!(e.status, Status::Planned);
    let parties: Vec<&str> = e.parties.iter().map(|p| p.code.as_str()).collect();
    assert_eq!(parties, ["KAZ", "KGZ", "UZB"]);
    assert_eq!(e.date_precision, Some(DatePrecision::Month));
    assert_eq!(e.date.map(|d| d.to_string()).as_deref(), Some("2023-06"));
    assert_eq!(
        e.location.as_ref().map(|l| l.precision.as_str()),
        Some("border")
    );
}

#[test]
fn retreat_release_and_seizure() {
    let evs = events();
    let r = by_cameo(&evs, "0874");
    assert_eq!(r.source.code, "TJKMIL");
    assert_eq!(
        r.location.as_ref().and_then(|l| l.country.as_deref()),
        Some("KGZ")
    );
    let back = by_cameo(&evs, "0841");
    assert_eq!(back.source.code, "KGZ");
    let s = by_cameo(&evs, "192");
    assert_eq!(s.source.sector.as_deref(), Some("REB"));
    assert_eq!(s.date.map(|d| d.to_string()).as_deref(), Some("2023-05-10"));
    assert_eq!(s.location.as_ref().map(|l| l.name.as_str()), Some("Batken"));
}
