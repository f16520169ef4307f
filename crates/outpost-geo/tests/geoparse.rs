//! Geoparsing with the built-in world gazetteer, on sentences written for these tests.

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

fn texts(m: &[PlaceMention]) -> Vec<&str> {
    m.iter().map(|x| x.text.as_str()).collect()
}

/// The byte spans of the first occurrence of each word in `text`.
fn spans_of(text: &str, words: &[&str]) -> Vec<(usize, usize)> {
    words
        .iter()
        .map(|w| {
            let s = text.find(w).unwrap_or_else(|| panic!("{w:?} not in text"));
            (s, s + w.len())
        })
        .collect()
}

/// Resolves the first occurrence of `word` in `text` as a given span.
fn resolve_one(g: &Gazetteer, text: &str, word: &str) -> Location {
    let s = text
        .find(word)
        .unwrap_or_else(|| panic!("{word:?} not in text"));
    g.resolve_spans(text, &[(s, s + word.len())])
        .remove(0)
        .unwrap_or_else(|| panic!("{word:?} not placed"))
}

fn km(a: &Location, lat: f64, lon: f64) -> f64 {
    let (p1, p2) = (a.lat.to_radians(), lat.to_radians());
    let h = ((p2 - p1) / 2.0).sin().powi(2)
        + p1.cos() * p2.cos() * ((lon - a.lon).to_radians() / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().asin()
}

#[test]
fn the_world_layer_has_small_towns_regions_and_ids() {
    let g = gaz();
    assert!(g.len() > 100_000, "{} places", g.len());
    // a town of a few thousand people, with its GeoNames id and first-level region
    let m = g.find("Floods cut the road to Khorugh, Tajikistan, and to Rushon on Tuesday.");
    let k = loc(&m, "Khorugh");
    assert_eq!(k.country.as_deref(), Some("TJK"));
    assert!(k.geonameid.is_some());
    assert!(k.admin1.is_some());
    let r = g.lookup("Bavaria");
    assert!(
        r.iter()
            .any(|p| p.country.as_deref() == Some("DEU") && p.code == "ADM1"),
        "{r:?}"
    );
    // the US reference point is the centre of the contiguous states
    let us = g.country("USA").unwrap();
    assert!(km(&us, 39.8, -98.6) < 50.0, "{us:?}");
}

#[test]
fn a_qualifier_after_the_name_decides() {
    let g = gaz();
    let m = g.find("The storm reached Paris, Texas, before dawn.");
    assert_eq!(loc(&m, "Paris").country.as_deref(), Some("USA"));
    assert_eq!(loc(&m, "Paris").admin1.as_deref(), Some("Texas"));
    let m = g.find("Police in Paris said the march was peaceful.");
    assert_eq!(loc(&m, "Paris").country.as_deref(), Some("FRA"));
    // AP-style state abbreviations only right after "Town, "
    let m = g.find("Growers near Fresno, Calif., lost their crops.");
    let f = loc(&m, "Fresno");
    assert_eq!(f.admin1.as_deref(), Some("California"));
    assert_eq!(loc(&m, "Calif.").precision, "admin1");
    assert!(g.find("Ill. health forced him out.").is_empty());
}

#[test]
fn the_rest_of_the_article_picks_among_namesakes() {
    let g = gaz();
    let text = "Ontario's premier toured the province. In London, the mayor met farmers \
                from nearby Woodstock and Stratford.";
    let m = g.find(text);
    assert_eq!(loc(&m, "London").country.as_deref(), Some("CAN"));
    let text = "The Thames burst its banks in London, and trains to Oxford stopped.";
    let m = g.find(text);
    assert_eq!(loc(&m, "London").country.as_deref(), Some("GBR"));
    // the dateline counts as context too
    let m = g.find("ALEXANDRIA, Egypt — Fishermen in Alexandria protested.");
    assert_eq!(loc(&m, "Alexandria").country.as_deref(), Some("EGY"));
}

#[test]
fn demonyms_are_country_mentions_only_when_geoparsing() {
    let g = gaz();
    let text = "Tajik officials and Kyrgyz border guards met, two Americans watched, \
                and the talks were held in English.";
    assert!(
        !g.find(text).iter().any(|m| m.feature == "demonym"),
        "find keeps demonyms out"
    );
    let m = g.geoparse(text);
    assert_eq!(loc(&m, "Tajik").country.as_deref(), Some("TJK"));
    assert_eq!(loc(&m, "Tajik").precision, "country");
    assert!(
        m.iter()
            .any(|x| x.text == "Kyrgyz" && x.feature == "demonym")
    );
    // a people noun (plural) and a language are not places
    assert!(!texts(&m).contains(&"English"), "{m:#?}");
    assert!(!texts(&m).iter().any(|t| t.starts_with("American")));
    // continents and unions by their adjectives
    let m = g.geoparse("European ministers met African envoys.");
    assert_eq!(loc(&m, "European").name, "Europe");
    assert_eq!(loc(&m, "African").name, "Africa");
}

#[test]
fn common_words_and_person_names_are_not_places() {
    let g = gaz();
    let text = "Reading the report, Mobile phone makers said Nice weather helped. \
                Coach Dana Sutton praised the team; Sutton said the season was long.";
    let m = g.find(text);
    assert!(m.is_empty(), "{m:#?}");
    // the same names placed by a preposition or a qualifier
    let m = g.find("Rain fell in Reading, England, and in Mobile, Alabama.");
    assert_eq!(loc(&m, "Reading").country.as_deref(), Some("GBR"));
    assert_eq!(loc(&m, "Mobile").admin1.as_deref(), Some("Alabama"));
}

#[test]
fn the_capital_of_a_government_is_placed_at_the_capital() {
    let g = gaz();
    let m = g.find("The Kabul government rejected the offer, and the Kremlin stayed silent.");
    assert_eq!(loc(&m, "Kabul").country.as_deref(), Some("AFG"));
    assert_eq!(loc(&m, "Kremlin").name, "Moscow");
}

#[test]
fn resolve_spans_uses_inner_names_and_the_article_focus() {
    let g = gaz();
    let text = "Kenya Airways resumed flights. Crowds gathered outside Harbour Lane Hall \
                in Mombasa, and Mombasa officials thanked the crowd.";
    let span = |s: &str| {
        let b = text.find(s).unwrap();
        (b, b + s.len())
    };
    let r = g.resolve_spans(
        text,
        &[
            span("Kenya Airways"),
            span("Harbour Lane Hall"),
            span("Mombasa"),
        ],
    );
    assert_eq!(r[0].as_ref().unwrap().country.as_deref(), Some("KEN"));
    assert_eq!(r[0].as_ref().unwrap().precision, "country");
    // an unknown site is placed where the article is: Mombasa
    let hall = r[1].as_ref().unwrap();
    assert_eq!(hall.name, r[2].as_ref().unwrap().name);
    assert!(km(hall, -4.05, 39.67) < 50.0, "{hall:?}");
}

#[test]
fn geoparse_offsets_are_byte_spans() {
    let g = gaz();
    let text = "Zürich — Talks in Genève and Bern ended; Swiss officials left for Moscow.";
    for m in g.geoparse(text) {
        assert_eq!(&text[m.start..m.end], m.text);
    }
}

#[test]
fn dotted_abbreviations_and_border_phrases_when_geoparsing() {
    let g = gaz();
    let text = "U.S. envoys flew to the U.K. after the Tajik-Afghan border was shut.";
    let m = g.geoparse(text);
    assert_eq!(loc(&m, "U.S.").country.as_deref(), Some("USA"));
    assert_eq!(loc(&m, "U.K.").country.as_deref(), Some("GBR"));
    // geoparse names each country of a border phrase; find keeps the border area
    assert_eq!(loc(&m, "Tajik").country.as_deref(), Some("TJK"));
    assert_eq!(loc(&m, "Afghan").country.as_deref(), Some("AFG"));
    let f = g.find(text);
    assert_eq!(loc(&f, "Tajik-Afghan border").precision, "border");
}

#[test]
fn datelines_after_a_byline_and_hyphenated_adjectives() {
    let g = gaz();
    let text = "By Lena Holt. NAIROBI, May 4 — Kenyan-led mediators met Kampala-based envoys.";
    let m = g.geoparse(text);
    assert_eq!(loc(&m, "NAIROBI").country.as_deref(), Some("KEN"));
    assert_eq!(loc(&m, "Kenyan").country.as_deref(), Some("KEN"));
    assert_eq!(loc(&m, "Kampala").country.as_deref(), Some("UGA"));
    // capitals inside running lower-case text are not datelines
    assert!(g.find("the NAIROBI branch said").is_empty());
}

#[test]
fn resolve_spans_places_a_lone_reading_abroad_at_the_focus() {
    let g = gaz();
    let text = "Wildfires burned across Oregon and California on Monday. Crews along the \
                West Coast were stretched thin, officials in Sacramento and Portland said.";
    let spans: Vec<(usize, usize)> = [
        "Oregon",
        "California",
        "West Coast",
        "Sacramento",
        "Portland",
    ]
    .iter()
    .map(|n| {
        let b = text.find(n).unwrap();
        (b, b + n.len())
    })
    .collect();
    let r = g.resolve_spans(text, &spans);
    let l = r[2].as_ref().unwrap();
    // not the New Zealand region of that name: the article is about the United States
    assert_eq!(l.country.as_deref(), Some("USA"), "{l:?}");
}

#[test]
fn region_points_are_near_the_geometric_centre() {
    let g = gaz();
    let place = |text: &str, name: &str| loc(&g.geoparse(text), name).clone();
    // a large sparsely settled province: its centre, not the settled south
    let bc = place(
        "Officials in British Columbia said the roads were closed.",
        "British Columbia",
    );
    assert!(km(&bc, 54.0, -125.0) < 100.0, "{bc:?}");
    // and another
    let ak = place("Officials in Alaska said the roads were closed.", "Alaska");
    assert!(km(&ak, 64.0, -150.0) < 161.0, "{ak:?}");
}

#[test]
fn resolve_spans_does_not_take_a_small_place_by_an_old_name() {
    let g = gaz();
    let text = "Brass bands played in Washington Square on Sunday, and crowds filled the \
                streets of New Orleans until dawn. New Orleans police closed two roads.";
    let b = text.find("Washington Square").unwrap();
    let mut spans = vec![(b, b + "Washington Square".len())];
    spans.extend(
        text.match_indices("New Orleans")
            .map(|(i, n)| (i, i + n.len())),
    );
    let r = g.resolve_spans(text, &spans);
    let l = r[0].as_ref().unwrap();
    // not the New York town once called so: the article is about New Orleans
    assert!(km(l, 29.95, -90.07) < 50.0, "{l:?}");
}

#[test]
fn resolve_spans_reads_an_adjective_before_a_small_namesake() {
    let g = gaz();
    let text = "Fans of English football packed the pubs of Manchester and Leeds on Saturday.";
    let l = resolve_one(&g, text, "English");
    // England, not the small town of English, Indiana
    assert_eq!(l.country.as_deref(), Some("GBR"), "{l:?}");
}

#[test]
fn resolve_spans_reads_name_city_as_the_town() {
    let g = gaz();
    let text = "Leaders met in Quebec City on Friday before flying home to Ottawa.";
    let l = resolve_one(&g, text, "Quebec City");
    assert_eq!(l.precision, "city", "{l:?}");
    assert!(km(&l, 46.81, -71.21) < 30.0, "{l:?}");
}

#[test]
fn the_publishers_country_tips_a_close_call_but_not_a_clear_one() {
    let g = gaz();
    let text = "Residents of Newcastle protested outside the town hall on Monday.";
    let country = |ctx: &[String]| {
        loc(&g.geoparse_in(text, ctx), "Newcastle")
            .country
            .clone()
            .unwrap_or_default()
    };
    // with nothing to go on, the most prominent namesake; from an Australian site, the
    // Australian city
    let site = outpost_geo::country_of_url("https://www.example.com.au/news/1").unwrap();
    assert_eq!(site, "AUS");
    assert_ne!(country(&[]), "AUS");
    assert_eq!(country(&[site]), "AUS");
    // a publisher's country is weak: a Canadian site writing about London still means the
    // English capital, not London, Ontario
    let m = g.geoparse_in(
        "The mayor of London spoke to reporters.",
        &["CAN".to_string()],
    );
    assert_eq!(loc(&m, "London").country.as_deref(), Some("GBR"));
    // the same context reaches resolution of given spans
    let spans = [(13, 22)];
    assert_eq!(&text[13..22], "Newcastle");
    let r = g.resolve_spans_in(text, &spans, &["AUS".to_string()]);
    assert_eq!(
        r[0].as_ref().and_then(|l| l.country.as_deref()),
        Some("AUS")
    );
}

#[test]
fn a_name_called_a_state_once_means_the_state_throughout() {
    let g = gaz();
    let m = g.find(
        "Wildfires burned across Washington state on Tuesday. Crews in Washington worked \
         through the night, officials said.",
    );
    assert_eq!(m.len(), 2, "{m:#?}");
    for p in &m {
        let l = p.location.as_ref().unwrap();
        assert_eq!(l.name, "Washington");
        assert!(km(l, 47.4, -120.5) < 300.0, "{l:?} is not the state");
    }
    // "the state of …" says the same
    let m =
        g.find("Fires spread in the state of Washington. Crews in Washington worked overnight.");
    for p in &m {
        let l = p.location.as_ref().unwrap();
        assert!(km(l, 47.4, -120.5) < 300.0, "{l:?} is not the state");
    }
    // without the word, the capital
    let m = g.find("Crews in Washington worked through the night, officials said.");
    assert!(km(loc(&m, "Washington"), 38.9, -77.04) < 50.0, "{m:#?}");
}

#[test]
fn a_name_with_city_after_it_is_the_town_not_the_region() {
    let g = gaz();
    let m = g.find("Snow closed schools in Quebec City, and fans of Manchester City stayed home.");
    assert_eq!(texts(&m), ["Quebec City", "Manchester City"], "{m:#?}");
    let q = loc(&m, "Quebec City");
    assert_eq!(q.country.as_deref(), Some("CAN"));
    assert!(km(q, 46.81, -71.21) < 30.0, "{q:?} is not the city");
    // the town's own name, never another place's alternate name
    let mc = loc(&m, "Manchester City");
    assert_eq!(mc.country.as_deref(), Some("GBR"));
    // the region alone stays the region
    let m = g.find("Snow closed schools across Quebec.");
    assert!(km(loc(&m, "Quebec"), 46.81, -71.21) > 300.0, "{m:#?}");
}

#[test]
fn a_capital_named_by_its_landmark_or_dateline_is_the_focus_though_a_surname() {
    // "Washington" is also a common surname, so on its own it does not make the article's
    // focus; named by a dateline or by "the White House" it does, and an unknown building
    // falls back to it rather than to a region named once
    let g = gaz();
    let text = "WASHINGTON (Reuters) - Aides met in the Oval Office on Tuesday, the White \
                House said, before the president flew to Florida for the weekend.";
    let l = resolve_one(&g, text, "Oval Office");
    assert!(km(&l, 38.9, -77.04) < 50.0, "{l:?}");
}

#[test]
fn a_given_span_naming_a_small_place_with_a_common_word_name_falls_back_to_the_focus() {
    // "Valley" is a small town in Alabama and an ordinary word; nothing in this text
    // places it there, so the span is taken as a local name the gazetteer lacks
    let g = gaz();
    let text = "Storms flooded streets in Spokane, Washington, on Tuesday. Shop owners \
                across the Valley said Spokane had not seen such rain in years.";
    let l = resolve_one(&g, text, "Valley");
    assert!(km(&l, 47.66, -117.43) < 50.0, "{l:?} is not Spokane");
}

#[test]
fn initials_that_are_only_an_airport_code_are_no_place() {
    let g = gaz();
    // GeoNames lists airport codes among the other names of big cities ("NGO" for Nagoya,
    // "LED" for Saint Petersburg); written in an article, such capitals are initials
    let m = g.find("Members of the TNA and an NGO met officials in Colombo, Sri Lanka, on Friday.");
    assert_eq!(texts(&m), ["Colombo", "Sri Lanka"], "{m:#?}");
    // unless the article is about that town's country
    let m = g.find("Crowds filled NYC streets on Sunday as Brooklyn and Queens celebrated.");
    assert_eq!(loc(&m, "NYC").name, "New York City");
}

#[test]
fn a_surname_after_a_first_name_that_is_also_a_town_is_a_person() {
    // "Manuel" is a town's name too; before "Miranda" (a Venezuelan state, and a surname)
    // it is a first name, and the state is no place in this text
    let g = gaz();
    let m = g.geoparse(
        "Manuel Miranda has the flu, his agent said. Miranda will miss two concerts in New York.",
    );
    assert_eq!(texts(&m), ["New York"], "{m:#?}");
}

#[test]
fn a_name_after_an_arabic_name_particle_is_a_person() {
    let g = gaz();
    let m =
        g.geoparse("Sheikh Hamad bin Rashid and Ali ibn Musa opened the fair in Dubai on Monday.");
    assert_eq!(texts(&m), ["Dubai"], "{m:#?}");
}

#[test]
fn dotted_initials_of_a_region_stand_alone_but_not_after_a_year() {
    let g = gaz();
    let m = g.find("Police in D.C. closed two streets, and the N.Y. governor spoke on Friday.");
    assert_eq!(texts(&m), ["D.C.", "N.Y."], "{m:#?}");
    assert!(km(loc(&m, "D.C."), 38.9, -77.0) < 50.0);
    let m = g.find("The wall was built around 300 B.C. and restored in 1990.");
    assert!(m.is_empty(), "{m:#?}");
}

#[test]
fn countries_sit_at_the_geonames_reference_point() {
    let g = gaz();
    // GeoNames places Canada in the west (Alberta), not at the middle of its outline
    let ca = g.country("CAN").unwrap();
    assert!(km(&ca, 60.1, -113.6) < 20.0, "{ca:?}");
    let ind = g.country("IND").unwrap();
    assert!(km(&ind, 22.0, 79.0) < 20.0, "{ind:?}");
}

#[test]
fn a_state_abbreviated_once_is_the_state_throughout() {
    let g = gaz();
    let text = "CAMP HARLOW, Wash. - The guard unit trains year round. Its crews have \
                worked all over Washington and abroad.";
    let m = g.find(text);
    let w = loc(&m, "Washington");
    assert_eq!(w.admin1.as_deref(), Some("Washington"), "{w:?}");
    assert!(km(w, 38.9, -77.0) > 1000.0, "{w:?}");
    // without the abbreviation the capital stays the reading
    let m = g.find("Officials in Washington said the talks would resume.");
    assert!(km(loc(&m, "Washington"), 38.9, -77.0) < 30.0);
}

#[test]
fn landmarks_stand_for_their_city() {
    let g = gaz();
    let text = "Protesters gathered in Times Square and marched down Broadway.";
    for l in g.resolve_spans(text, &spans_of(text, &["Times Square", "Broadway"])) {
        let l = l.expect("placed");
        assert!(km(&l, 40.71, -74.0) < 30.0, "{l:?}");
    }
}

#[test]
fn initials_are_not_a_town_spelt_as_a_word() {
    let g = gaz();
    // "EU" is the union, not the Norman town of Eu
    let text = "Farmers protested against new EU rules on Monday.";
    let l = resolve_one(&g, text, "EU");
    assert_ne!(l.country.as_deref(), Some("FRA"), "{l:?}");
}

#[test]
fn a_small_town_named_like_a_state_does_not_take_the_state_name() {
    let g = gaz();
    // New York is named, but "Florida" is still the state, not Florida, N.Y.
    let text = "After a week of meetings in New York, the senator flew south to a Florida \
                golf club.";
    let m = g.find(text);
    let f = loc(&m, "Florida");
    assert_eq!(f.admin1.as_deref(), Some("Florida"), "{f:?}");
}

#[test]
fn resolve_spans_takes_short_forms_and_buildings_named_for_a_town() {
    let g = gaz();
    let text = "The singer, who plays Las Vegas in June, brings his show to Clacton on \
                Saturday, then to Windsor Castle for a charity night.";
    let r = g.resolve_spans(text, &spans_of(text, &["Clacton", "Windsor Castle"]));
    let clacton = r[0].as_ref().expect("placed");
    assert!(km(clacton, 51.79, 1.16) < 20.0, "{clacton:?}");
    let windsor = r[1].as_ref().expect("placed");
    assert!(km(windsor, 51.48, -0.61) < 20.0, "{windsor:?}");
}

#[test]
fn resolve_spans_places_a_site_at_the_region_written_after_it() {
    let g = gaz();
    // an unknown circuit, and a town the gazetteer knows only abroad, each followed by an
    // English county: the county
    let text = "After London, the tour visits Pellow Raceway, Cheshire, and then \
                Glenrock, Cheshire, where crowds are expected.";
    let r = g.resolve_spans(text, &spans_of(text, &["Pellow Raceway", "Glenrock"]));
    for l in r {
        let l = l.expect("placed");
        assert_eq!(l.country.as_deref(), Some("GBR"), "{l:?}");
        assert!(km(&l, 53.16, -2.77) < 80.0, "{l:?}");
    }
}

#[test]
fn a_building_named_for_a_town_makes_that_town_the_focus() {
    let g = gaz();
    // "Windsor Castle" names Windsor in England (by the town's name with a building
    // after it): an unknown chapel of the same text falls back to Windsor, not to the
    // country
    let text = "The couple will marry at Saint Anselm's Chapel in the grounds of Windsor \
                Castle, the palace said.";
    let spans = spans_of(text, &["Saint Anselm's Chapel", "Windsor Castle"]);
    let l = g
        .resolve_spans_in(text, &spans, &["GBR".to_string()])
        .remove(0)
        .expect("placed");
    assert!(km(&l, 51.48, -0.61) < 20.0, "{l:?}");
}

#[test]
fn the_publishers_country_counts_towards_the_focus() {
    let g = gaz();
    // one American and one South African city: a South African publisher tips the focus
    let text = "The band flew from Chicago to play Durban, then a late show at Seabreeze Hall.";
    let spans = spans_of(text, &["Chicago", "Durban", "Seabreeze Hall"]);
    for publisher in ["ZAF", "USA"] {
        let l = g
            .resolve_spans_in(text, &spans, &[publisher.to_string()])
            .pop()
            .flatten()
            .expect("placed");
        assert_eq!(l.country.as_deref(), Some(publisher), "{l:?}");
    }
}
