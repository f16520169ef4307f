//! Namesakes, regions and the article focus, with the built-in world gazetteer, on
//! sentences written for these tests.

use outpost_core::{Location, PlaceMention};
use outpost_geo::Gazetteer;

fn gaz() -> Gazetteer {
    Gazetteer::builtin().unwrap()
}

fn loc<'a>(m: &'a [PlaceMention], text: &str) -> &'a Location {
    m.iter()
        .find(|x| x.text == text)
        .and_then(|x| x.location.as_ref())
        .unwrap_or_else(|| panic!("no placed mention {text:?} in {m:#?}"))
}

/// Resolves the first occurrence of each of `names` in `text` as a given span.
fn spans(g: &Gazetteer, text: &str, names: &[&str]) -> Vec<Location> {
    let s: Vec<(usize, usize)> = names
        .iter()
        .map(|n| {
            let b = text.find(n).unwrap();
            (b, b + n.len())
        })
        .collect();
    g.resolve_spans(text, &s)
        .into_iter()
        .zip(names)
        .map(|(l, n)| l.unwrap_or_else(|| panic!("{n:?} unplaced")))
        .collect()
}

#[test]
fn a_small_namesake_needs_local_evidence() {
    let g = gaz();
    // country-level context alone does not make "London" the small town in Ohio
    let m = g.find("The senator flew from Washington to London on Tuesday for trade talks.");
    assert_eq!(loc(&m, "London").country.as_deref(), Some("GBR"));
    // the state named in the text is local evidence
    let m = g.find("Storms crossed Ohio overnight. In London, the county fairground flooded.");
    let l = loc(&m, "London");
    assert_eq!(l.country.as_deref(), Some("USA"), "{l:?}");
    assert_eq!(l.admin1.as_deref(), Some("Ohio"));
    // and so is a qualifier
    let m = g.find("The fair in London, Ohio, opened late.");
    assert_eq!(loc(&m, "London").country.as_deref(), Some("USA"));
}

#[test]
fn a_region_is_preferred_when_the_text_places_towns_in_it() {
    let g = gaz();
    // "Washington" is the capital unless the text says otherwise
    let m = g.find("Talks in Washington ended without a deal.");
    assert_eq!(loc(&m, "Washington").precision, "city");
    // towns of the state named elsewhere
    let m = g.find(
        "Wildfires near Spokane and Yakima forced evacuations, the worst season Washington \
         has seen.",
    );
    assert_eq!(loc(&m, "Washington").precision, "admin1");
    // the region right after a town of it
    let m = g.find("A bakery in Tacoma, Washington won the prize.");
    assert_eq!(loc(&m, "Washington").precision, "admin1");
    // listed with other regions
    let m = g.find("Firms moved staff from California or Washington to cheaper places.");
    assert_eq!(loc(&m, "Washington").precision, "admin1");
}

#[test]
fn a_big_city_named_like_its_region_is_the_city() {
    let g = gaz();
    let m = g.find("Rents rose fastest in New York and Chicago last year.");
    let ny = loc(&m, "New York");
    assert_eq!(ny.precision, "city");
    assert!(
        (ny.lat - 40.7).abs() < 0.3 && (ny.lon + 74.0).abs() < 0.3,
        "{ny:?}"
    );
}

#[test]
fn the_focus_is_the_place_most_named_with_evidence() {
    let g = gaz();
    // "Bassett" is a surname here; the small towns of that name have no local evidence,
    // so its repeats do not outweigh Chicago
    let text = "Police in Chicago said Bassett was arrested on Monday. Bassett denied the \
                charge, and Bassett's lawyer spoke outside the Larkspur Tower on Elm Row.";
    let r = spans(&g, text, &["Larkspur Tower", "Elm Row"]);
    for l in &r {
        assert_eq!(l.name, "Chicago", "{l:?}");
    }
}

#[test]
fn demonyms_do_not_pull_the_focus_abroad() {
    let g = gaz();
    // many "French" adjectives, but the places named are in Louisiana
    let text = "French settlers laid out the old quarter of New Orleans, Louisiana. French \
                engineers drew the plan and French masons built the Pontalba Arcade, \
                a short walk from the river in New Orleans.";
    let r = spans(&g, text, &["Pontalba Arcade"]);
    assert_eq!(r[0].name, "New Orleans", "{:?}", r[0]);
}

#[test]
fn adjectives_of_places_are_resolved_to_the_place() {
    let g = gaz();
    let text = "A Sicilian court and a Floridian judge reached the same verdict.";
    let r = spans(&g, text, &["Sicilian", "Floridian"]);
    assert_eq!(r[0].country.as_deref(), Some("ITA"), "{:?}", r[0]);
    assert_eq!(r[1].name, "Florida", "{:?}", r[1]);
}

#[test]
fn a_country_inside_an_organisation_name_places_it() {
    let g = gaz();
    let text = "The Bank of Japan held rates, while lenders in Osaka waited.";
    let r = spans(&g, text, &["Bank of Japan"]);
    assert_eq!(r[0].country.as_deref(), Some("JPN"), "{:?}", r[0]);
}

#[test]
fn a_headline_is_no_dateline() {
    let g = gaz();
    // a headline starting with "U.S." gives the country no dateline weight, so the
    // Italian city keeps its name against the small American namesakes
    let text = "U.S. backs the Venice Commission's report on courts in Ukraine.";
    let m = g.find(text);
    assert_eq!(loc(&m, "Venice").country.as_deref(), Some("ITA"));
    // a real dateline still counts
    let m = g.find("NEW YORK, June 2 - Officials met at the Venice office of the firm.");
    assert_eq!(loc(&m, "NEW YORK").country.as_deref(), Some("USA"));
}

#[test]
fn a_demonym_inside_a_local_place_name_is_no_country_mention() {
    let g = gaz();
    let text = "Tourists crowded the Dutch Quarter while Dutch chefs cooked in Leiden.";
    let m = g.geoparse(text);
    let dutch: Vec<usize> = m
        .iter()
        .filter(|x| x.text == "Dutch")
        .map(|x| x.start)
        .collect();
    // only the second "Dutch" (a modifier of "chefs") is a country mention
    assert_eq!(dutch, vec![text.rfind("Dutch chefs").unwrap()], "{m:#?}");
}

#[test]
fn a_lone_region_abroad_is_left_out() {
    let g = gaz();
    // nothing else in the text supports New Zealand, two names support the United States:
    // "West Coast" is no New Zealand region here
    let text = "Wildfires burned across Oregon and California on Monday. Residents along \
                the West Coast were told to stay indoors, officials in Sacramento said.";
    let m = g.find(text);
    assert!(
        m.iter()
            .all(|x| x.location.as_ref().and_then(|l| l.country.as_deref()) != Some("NZL")),
        "{m:#?}"
    );
    assert_eq!(loc(&m, "Oregon").country.as_deref(), Some("USA"));
    // with its country named, the region is found
    let text = "Heavy rain closed roads in New Zealand's West Coast region on Monday, and \
                flights to Auckland were cancelled.";
    let m = g.find(text);
    assert_eq!(loc(&m, "West Coast").country.as_deref(), Some("NZL"));
}
