//! One test per metadata source (and per rule that chooses between sources), on small
//! pages written for this crate; plus malformed-markup cases the light parser must handle.

use chrono::NaiveDate;
use outpost_core::{Article, RawDoc};
use outpost_extract::Extractor;

fn extract(html: &str) -> Article {
    Extractor::new()
        .extract(&RawDoc::new("test", html.as_bytes().to_vec()))
        .unwrap()
}

fn extract_url(html: &str, url: &str) -> Article {
    let mut d = RawDoc::new("test", html.as_bytes().to_vec());
    d.url = Some(url.to_string());
    Extractor::new().extract(&d).unwrap()
}

fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

/// A page with `head` in <head> and `lead` before two paragraphs of prose in <article>.
fn page(head: &str, lead: &str) -> String {
    format!(
        "<!DOCTYPE html><html><head>{head}</head><body><nav><ul><li><a href='/'>Home</a></li>\
         <li><a href='/world'>World</a></li></ul></nav><article>{lead}\
         <p>Harbour officials said on Wednesday that the new ferry terminal would open to \
         passengers next month, after two years of delays caused by a shortage of steel.</p>\
         <p>The terminal will handle about three thousand travellers a day in summer, the \
         port authority said in a statement, and a second berth is planned for 2026.</p>\
         </article><footer><p>Contact the newsroom</p></footer></body></html>"
    )
}

// ---------------------------------------------------------------- publication date

#[test]
fn published_date_from_meta_property() {
    let a = extract(&page(
        "<meta property='article:published_time' content='2022-04-11T06:30:00+02:00'>",
        "",
    ));
    assert_eq!(a.date, ymd(2022, 4, 11));
}

#[test]
fn published_date_from_jsonld_even_when_broken() {
    // Trailing comma: not valid JSON, but the date is still read.
    let a = extract(&page(
        r#"<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2022-04-12T08:00:00Z",}</script>"#,
        "",
    ));
    assert_eq!(a.date, ymd(2022, 4, 12));
}

#[test]
fn structured_dates_beat_time_elements() {
    let a = extract(&page(
        "<meta name='pubdate' content='20220301'>",
        "<p class='meta'><time datetime='2022-03-05'>March 5</time></p>",
    ));
    assert_eq!(a.date, ymd(2022, 3, 1));
}

#[test]
fn marked_time_element_beats_the_first_one() {
    let a = extract(&page(
        "",
        "<ul class='latest'><li><time datetime='2019-05-05'>Older story</time></li></ul>\
         <p class='info'><time itemprop='datePublished' datetime='2020-02-29T10:00'>29 Feb</time></p>",
    ));
    assert_eq!(a.date, ymd(2020, 2, 29));
}

#[test]
fn earliest_credible_date_skips_impossible_ones() {
    let a = extract(&page(
        r#"<meta property="article:published_time" content="2021-07-24T08:00:00Z">
           <meta name="dc.date" content="2021-07-23">
           <script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2099-01-01"}</script>
           <meta name="date" content="1901-01-01">"#,
        "",
    ));
    assert_eq!(a.date, ymd(2021, 7, 23));
}

#[test]
fn date_from_canonical_url_pattern() {
    let a = extract(&page(
        "<link rel='canonical' href='https://harbour.example/news/2018-06-02/ferry-terminal'>",
        "",
    ));
    assert_eq!(a.date, ymd(2018, 6, 2));
    // The document's own URL when the page has no canonical link.
    let b = extract_url(&page("", ""), "https://harbour.example/20170915/ferry");
    assert_eq!(b.date, ymd(2017, 9, 15));
}

#[test]
fn date_from_visible_text() {
    let a = extract(&page(
        "",
        "<div class='stamp'>Posted on: 24.07.2021, 10:15</div>",
    ));
    assert_eq!(a.date, ymd(2021, 7, 24));
}

#[test]
fn bare_date_line_next_to_the_headline() {
    let b = extract(&page(
        "",
        "<h1>Ferry terminal opens after delays</h1><div class='when'>November 20, 2019 - 11:28</div>",
    ));
    assert_eq!(b.date, ymd(2019, 11, 20));
    // A date far from the headline (a teaser list in the footer) is not taken.
    let mut lead = String::from("<h1>Ferry terminal opens after delays</h1>");
    for i in 0..20 {
        lead.push_str(&format!(
            "<p>Paragraph {i} of the story about the harbour and its ferries.</p>"
        ));
    }
    lead.push_str("<div>November 20, 2019</div>");
    assert_eq!(extract(&page("", &lead)).date, None);
}

#[test]
fn source_date_is_the_last_resort() {
    let mut d = RawDoc::new("t", page("", "").into_bytes());
    d.date = ymd(2020, 1, 2);
    assert_eq!(Extractor::new().extract(&d).unwrap().date, ymd(2020, 1, 2));
    let mut d = RawDoc::new(
        "t",
        page("<meta name='date' content='2021-05-06'>", "").into_bytes(),
    );
    d.date = ymd(2020, 1, 2);
    assert_eq!(Extractor::new().extract(&d).unwrap().date, ymd(2021, 5, 6));
}

// ---------------------------------------------------------------- modified date

#[test]
fn modified_date_is_the_latest_from_meta_and_jsonld() {
    let a = extract(&page(
        r#"<meta property="article:published_time" content="2021-07-24">
           <meta property="article:modified_time" content="2021-07-25T10:00:00Z">
           <meta property="og:updated_time" content="2021-07-27T10:00:00Z">
           <script type="application/ld+json">{"@type":"NewsArticle","dateModified":"2021-07-26"}</script>"#,
        "",
    ));
    assert_eq!(a.date, ymd(2021, 7, 24));
    assert_eq!(a.modified, ymd(2021, 7, 27));
    let none = extract(&page("<meta name='date' content='2021-07-24'>", ""));
    assert_eq!(none.modified, None);
}

// ---------------------------------------------------------------- authors

#[test]
fn authors_from_jsonld_array() {
    let a = extract(&page(
        r#"<script type="application/ld+json">{"@type":"NewsArticle","headline":"Ferry terminal","author":[{"@type":"Person","name":"Lena Fischer"},{"@type":"Person","name":"Ivo Petrov"}]}</script>"#,
        "",
    ));
    assert_eq!(a.authors, vec!["Lena Fischer", "Ivo Petrov"]);
}

#[test]
fn jsonld_authors_beat_meta_authors() {
    let a = extract(&page(
        r#"<meta name="author" content="Desk Editor">
           <script type="application/ld+json">{"@type":"NewsArticle","headline":"x","author":{"name":"Lena Fischer"}}</script>"#,
        "",
    ));
    assert_eq!(a.authors, vec!["Lena Fischer"]);
}

#[test]
fn authors_from_article_author_and_sailthru_meta() {
    let a = extract(&page(
        "<meta property='article:author' content='Marek Zielinski'>",
        "",
    ));
    assert_eq!(a.authors, vec!["Marek Zielinski"]);
    let b = extract(&page(
        "<meta name='sailthru.author' content='Ivo Petrov'>",
        "",
    ));
    assert_eq!(b.authors, vec!["Ivo Petrov"]);
    // A profile URL is not a name: the byline on the page is used instead.
    let c = extract(&page(
        "<meta property='article:author' content='https://social.example/lena.fischer'>",
        "<div class='author-name'>Lena Fischer</div>",
    ));
    assert_eq!(c.authors, vec!["Lena Fischer"]);
}

#[test]
fn authors_from_itemprop_and_upper_case_byline() {
    let a = extract(&page(
        "",
        "<span itemprop='author'>By MAREK ZIELINSKI</span>",
    ));
    assert_eq!(a.authors, vec!["Marek Zielinski"]);
}

#[test]
fn authors_from_a_text_dump_byline() {
    let dump = "date 2022-05-01\nMenu\nWorld\nFerry terminal opens after two years of delays\n\
                By Lena Fischer and Ivo Petrov\n\
                Harbour officials said on Wednesday that the new ferry terminal would open to \
                passengers next month, after two years of delays caused by a shortage of steel.\n\
                The terminal will handle about three thousand travellers a day in summer, the \
                port authority said in a statement.\nShare\n";
    let a = extract(dump);
    assert_eq!(a.authors, vec!["Lena Fischer", "Ivo Petrov"]);
    assert_eq!(
        a.title.as_deref(),
        Some("Ferry terminal opens after two years of delays")
    );
    assert_eq!(a.date, ymd(2022, 5, 1));
}

#[test]
fn commenters_are_not_authors() {
    let a = extract(&page(
        "",
        "<div class='post-meta'><a rel='author' href='/u/lena'>Lena Fischer</a></div>",
    ));
    assert_eq!(a.authors, vec!["Lena Fischer"]);
    // Only commenters carry author markup: no author at all.
    let html = page("", "").replace(
        "</article>",
        "</article><section id='comments'><div class='comment'><span class='comment-author'>\
         Rob W</span><p>Great news for the island, finally some progress on the ferry.</p></div>\
         <div class='comment'><a rel='author' href='/u/2'>Sam</a></div></section>",
    );
    assert!(extract(&html).authors.is_empty());
}

#[test]
fn affiliations_roles_and_desks_are_cleaned() {
    // An agency after the name is an affiliation: the name stays, the agency is credited.
    let a = extract(&page(
        "<meta name='author' content='Lena Fischer Associated Press, Ivo Petrov'>",
        "",
    ));
    assert_eq!(a.authors, vec!["Lena Fischer", "Ivo Petrov"]);
    assert_eq!(a.wire.as_deref(), Some("AP"));
    // A role line that starts with an agency is a credit, not a person; duplicates that
    // differ only in case collapse.
    let b = extract(&page(
        "",
        "<div class='byline'>By LENA FISCHER</div><div class='byline'>Lena Fischer</div>\
         <div class='byline'>AP Diplomatic Writer</div>",
    ));
    assert_eq!(b.authors, vec!["Lena Fischer"]);
    assert_eq!(b.wire.as_deref(), Some("AP"));
    // The site's own name, a desk or a staff credit is not an author (the next source is
    // used); a site or weekday suffix is cut.
    let c = extract(&page(
        "<meta property='og:site_name' content='Harbour Gazette'>\
         <meta name='author' content='Harbour Gazette, Metro Desk, Gazette Staff'>",
        "<div class='byline'>Ivo Petrov Harbour Gazette</div>",
    ));
    assert_eq!(c.authors, vec!["Ivo Petrov"]);
    let d = extract(&page(
        "<meta property='og:site_name' content='Harbour Gazette'>",
        "<div class='byline'>Ivo Petrov Harbour Gazette</div><div class='author'>Lena Fischer Monday</div>",
    ));
    assert_eq!(d.authors, vec!["Ivo Petrov", "Lena Fischer"]);
    let e = extract(&page(
        "",
        "<div class='byline'>By</div><div class='byline'>Ivo Petrov</div>",
    ));
    assert_eq!(e.authors, vec!["Ivo Petrov"]);
}

// ---------------------------------------------------------------- site and canonical URL

#[test]
fn site_from_og_site_name_without_tagline() {
    let a = extract(&page(
        "<meta property='og:site_name' content='Harbour Gazette | News from the coast'>",
        "",
    ));
    assert_eq!(a.site.as_deref(), Some("Harbour Gazette"));
}

#[test]
fn site_from_application_name_and_twitter_handle() {
    let a = extract(&page(
        "<meta name='application-name' content='Harbour Gazette'>",
        "",
    ));
    assert_eq!(a.site.as_deref(), Some("Harbour Gazette"));
    let b = extract(&page(
        "<meta name='twitter:site' content='@harbourgazette'>",
        "",
    ));
    assert_eq!(b.site.as_deref(), Some("harbourgazette"));
}

#[test]
fn site_from_host_when_the_page_names_none() {
    let a = extract_url(&page("", ""), "https://www.harbour.example/news/1");
    assert_eq!(a.site.as_deref(), Some("harbour.example"));
}

#[test]
fn canonical_from_link_og_url_and_protocol_relative() {
    let a = extract_url(
        &page(
            "<link rel='canonical' href='https://harbour.example/news/ferry'>\
             <meta property='og:url' content='https://harbour.example/other'>",
            "",
        ),
        "https://harbour.example/news/ferry?utm_source=x",
    );
    assert_eq!(a.url.as_deref(), Some("https://harbour.example/news/ferry"));
    let b = extract(&page(
        "<meta property='og:url' content='https://harbour.example/news/ferry'>",
        "",
    ));
    assert_eq!(b.url.as_deref(), Some("https://harbour.example/news/ferry"));
    let c = extract(&page(
        "<link rel='canonical' href='//harbour.example/news/ferry'>",
        "",
    ));
    assert_eq!(c.url.as_deref(), Some("https://harbour.example/news/ferry"));
}

// ---------------------------------------------------------------- language

#[test]
fn language_markup_confirmed_by_text() {
    let pt = "<html lang='pt-BR'><body><article><p>A prefeitura anunciou na segunda-feira que a \
              nova linha de ônibus vai ligar o centro da cidade ao aeroporto a partir de março.</p>\
              <p>Segundo a secretaria de transportes, os ônibus vão circular a cada quinze minutos \
              durante o dia e a cada meia hora à noite.</p></article></body></html>";
    assert_eq!(extract(pt).language.as_deref(), Some("pt"));
}

#[test]
fn language_hint_from_meta_when_the_text_cannot_tell() {
    // Mostly names and scores: the detector is unsure, so the declared language stands.
    let p = "<html><head><meta http-equiv='content-language' content='fi'></head><body>\
             <article><p>Tulokset 24. kierros: HJK–KuPS 2–1, Inter–SJK 0–0, Ilves–Honka 3–2, \
             VPS–Lahti 1–1.</p></article></body></html>";
    assert_eq!(extract(p).language.as_deref(), Some("fi"));
    let og = page("<meta property='og:locale' content='en_GB'>", "");
    assert_eq!(extract(&og).language.as_deref(), Some("en"));
}

#[test]
fn language_of_a_text_dump_from_the_text() {
    let dump = "date 2022-05-01\nInicio\n\
                El ayuntamiento anunció el lunes que la nueva línea de autobús unirá el centro \
                de la ciudad con el aeropuerto a partir de marzo, según un comunicado.\n\
                Los autobuses circularán cada quince minutos durante el día y cada media hora \
                por la noche, explicó la concejala de transportes.\n";
    assert_eq!(extract(dump).language.as_deref(), Some("es"));
}

// ---------------------------------------------------------------- wire agency

#[test]
fn wire_from_byline_element_naming_an_agency() {
    let a = extract(&page("", "<div class='byline'>By AFP</div>"));
    assert_eq!(a.wire.as_deref(), Some("AFP"));
    assert!(a.authors.is_empty(), "{:?}", a.authors);
}

#[test]
fn wire_from_slash_dateline_and_dash_signoff() {
    let a = extract(&page(
        "",
        "<p>MOSCOW, March 3 /TASS/. The city's metro will open three new stations on the \
         southern line before the end of the year, the mayor's office said.</p>",
    ));
    assert_eq!(a.wire.as_deref(), Some("TASS"));
    let b = extract(&page("", "").replace(
        "a second berth is planned for 2026.</p>",
        "a second berth is planned for 2026. — Xinhua</p>",
    ));
    assert_eq!(b.wire.as_deref(), Some("Xinhua"));
}

#[test]
fn wire_from_a_standalone_dump_line() {
    let dump = "date 2022-05-01\nWorld\nFerry terminal opens after two years of delays\nReuters\n\
                Harbour officials said on Wednesday that the new ferry terminal would open to \
                passengers next month, after two years of delays caused by a shortage of steel.\n\
                The terminal will handle about three thousand travellers a day in summer, the \
                port authority said in a statement.\n";
    assert_eq!(extract(dump).wire.as_deref(), Some("Reuters"));
}

#[test]
fn no_wire_without_a_credit() {
    // An agency named inside a sentence is not a credit.
    let a = extract(&page(
        "",
        "<p>The mayor told Reuters last year that the terminal was overdue, and local papers \
         agreed with him at the time.</p>",
    ));
    assert_eq!(a.wire, None);
}

// ---------------------------------------------------------------- title

#[test]
fn title_from_jsonld_headline_and_entities() {
    let a = extract(&page(
        r#"<title>Home</title><script type="application/ld+json">{"@type":"NewsArticle","headline":"Ferry terminal opens &amp; berth planned"}</script>"#,
        "",
    ));
    // JSON-LD text is not HTML: the entity stays as written.
    assert_eq!(
        a.title.as_deref(),
        Some("Ferry terminal opens &amp; berth planned")
    );
    let b = extract(&page(
        "<title>Port&#8217;s ferry terminal opens &amp; berth planned &mdash; Harbour Gazette</title>",
        "",
    ));
    assert_eq!(
        b.title.as_deref(),
        Some("Port’s ferry terminal opens & berth planned")
    );
}

// ---------------------------------------------------------------- malformed markup

#[test]
fn old_style_markup_without_closing_tags() {
    let html = "<HTML><HEAD><TITLE>Ferry terminal opens</TITLE></HEAD><BODY BGCOLOR=white>\
                <TABLE WIDTH=100%><TR><TD><A HREF=/>Home</A> | <A HREF=/news>News</A>\
                <TR><TD CLASS=story>\
                <P>Harbour officials said on Wednesday that the new ferry terminal would open to \
                passengers next month, after two years of delays caused by a shortage of steel.\
                <P>The terminal will handle about three thousand travellers a day in summer, the \
                port authority said in a statement, and a second berth is planned.\
                </TABLE></BODY></HTML>";
    let a = extract(html);
    let paras: Vec<&str> = a.paragraphs().collect();
    assert_eq!(paras.len(), 2, "{}", a.text);
    assert!(paras[0].starts_with("Harbour officials said"));
    assert!(paras[1].ends_with("a second berth is planned."));
}

#[test]
fn comments_scripts_and_stray_tags_inside_text() {
    let html = page(
        "",
        "<p>Divers found <!-- editor: check --> the <b>wreck</span> of the old tug on \
         <script>document.write('<p>no</p>')</script>Tuesday, officials said.</p></div>",
    );
    let a = extract(&html);
    assert!(
        a.text
            .contains("Divers found the wreck of the old tug on Tuesday, officials said."),
        "{}",
        a.text
    );
    assert!(!a.text.contains("no</p>"));
}
