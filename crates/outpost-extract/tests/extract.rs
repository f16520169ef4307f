//! End-to-end tests of the extract stage on fixtures written for this crate.

use chrono::NaiveDate;
use outpost_core::{Article, RawDoc};
use outpost_extract::{DocKind, ExtractError, Extractor, detect_kind};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn extract(bytes: &[u8]) -> Article {
    Extractor::new()
        .extract(&RawDoc::new("test", bytes.to_vec()))
        .unwrap()
}

fn extract_url(bytes: &[u8], url: &str) -> Article {
    let mut d = RawDoc::new("test", bytes.to_vec());
    d.url = Some(url.to_string());
    Extractor::new().extract(&d).unwrap()
}

fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

/// A small page: `head` goes into <head>, `body` into an <article> after enough prose
/// to be picked as the main content.
fn page(head: &str, body: &str) -> String {
    format!(
        "<!doctype html><html><head>{head}</head><body><nav><a href='/'>Home</a></nav><article>{body}\
         <p>The regional governor said on Thursday that the new water treatment plant would serve \
         about forty thousand households once it opens, easing shortages that have hit the area \
         every summer for a decade.</p>\
         <p>Engineers began testing the pumps last month, and the first deliveries to homes are \
         expected before the end of the year, the governor added.</p></article></body></html>"
    )
}

// ---------------------------------------------------------------- full HTML page

#[test]
fn news_page_body_and_metadata() {
    let a = extract_url(
        &fixture("news_article.html"),
        "https://www.blackseacourier.example/world/2023/03/14/cargo-ships-collide-varna?utm=x",
    );
    assert_eq!(
        a.title.as_deref(),
        Some("Cargo ships collide off Varna, fuel leak contained")
    );
    assert_eq!(a.date, ymd(2023, 3, 14));
    assert_eq!(a.modified, ymd(2023, 3, 15));
    assert_eq!(a.authors, vec!["Elena Petrova", "Mark Dimov"]);
    assert_eq!(a.site.as_deref(), Some("Black Sea Courier"));
    assert_eq!(
        a.url.as_deref(),
        Some("https://www.blackseacourier.example/world/cargo-ships-collide-varna")
    );
    assert_eq!(a.language.as_deref(), Some("en"));
    // The dateline credits Reuters; the "(AFP)" on the photo caption credits the photo.
    assert_eq!(a.wire.as_deref(), Some("Reuters"));
    assert!(
        a.text
            .starts_with("VARNA, Bulgaria (Reuters) - Two cargo ships"),
        "{}",
        a.text
    );
    assert!(a.text.ends_with("would take several days."), "{}", a.text);
    assert!(a.text.contains("\n\nInvestigation opened\n\n"));
    for junk in [
        "Advertisement",
        "Port strike",
        "Storm closes",
        "Tugboats",
        "cookies",
        "newsletter",
        "Another accident",
        "Heatwave",
        "All rights reserved",
        "Share",
        "Tweet",
        "World",
        "Read more",
    ] {
        assert!(!a.text.contains(junk), "{junk:?} in {}", a.text);
    }
    assert_eq!(a.paragraphs().count(), 6);
    assert_eq!(a.id, outpost_core::id::text_fingerprint(&a.text));
    assert_eq!(a.source, "test");
}

#[test]
fn truncated_html_still_extracts() {
    let full = fixture("news_article.html");
    let cut = String::from_utf8_lossy(&full);
    // Cut inside the third paragraph, before any closing tag.
    let end = cut.find("the other was waiting at anchor.").unwrap() + 32;
    let a = extract(cut[..end].as_bytes());
    assert!(a.text.starts_with("VARNA, Bulgaria"));
    assert!(
        a.text.ends_with("the other was waiting at anchor."),
        "{}",
        a.text
    );
    assert_eq!(
        a.title.as_deref(),
        Some("Cargo ships collide off Varna, fuel leak contained")
    );
}

// ---------------------------------------------------------------- metadata sources

#[test]
fn title_sources_and_site_suffix() {
    let og = page(
        "<meta property='og:title' content='Dam repairs finish early'><title>Other | X</title>",
        "<h1>Headline on page</h1>",
    );
    assert_eq!(
        extract(og.as_bytes()).title.as_deref(),
        Some("Dam repairs finish early")
    );
    let h1 = page(
        "<title>Page title | Valley News</title>",
        "<h1>Dam repairs finish early</h1>",
    );
    assert_eq!(
        extract(h1.as_bytes()).title.as_deref(),
        Some("Dam repairs finish early")
    );
    let t = page("<title>Dam repairs finish early - Valley News</title>", "");
    assert_eq!(
        extract(t.as_bytes()).title.as_deref(),
        Some("Dam repairs finish early")
    );
    let pre = page(
        "<meta property='og:site_name' content='Valley News'><title>Valley News | Dam repairs finish early</title>",
        "",
    );
    assert_eq!(
        extract(pre.as_bytes()).title.as_deref(),
        Some("Dam repairs finish early")
    );
}

#[test]
fn date_from_jsonld() {
    let p = page(
        r#"<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"NewsArticle","headline":"x","datePublished":"2021-07-24T10:00:00Z","dateModified":"2021-07-26"}]}</script>"#,
        "",
    );
    let a = extract(p.as_bytes());
    assert_eq!(a.date, ymd(2021, 7, 24));
    assert_eq!(a.modified, ymd(2021, 7, 26));
}

#[test]
fn date_from_each_meta_name() {
    for (attr, key) in [
        ("property", "article:published_time"),
        ("name", "date"),
        ("name", "pubdate"),
        ("name", "DC.date"),
        ("itemprop", "datePublished"),
    ] {
        let p = page(
            &format!("<meta {attr}='{key}' content='2021-07-24T09:00:00+03:00'>"),
            "",
        );
        assert_eq!(extract(p.as_bytes()).date, ymd(2021, 7, 24), "{key}");
    }
}

#[test]
fn date_from_time_element() {
    let p = page(
        "",
        "<p class='dateline'><time datetime='2020-02-29'>Feb 29</time></p>",
    );
    assert_eq!(extract(p.as_bytes()).date, ymd(2020, 2, 29));
}

#[test]
fn date_from_url_and_visible_text() {
    let p = page("", "");
    let a = extract_url(
        p.as_bytes(),
        "https://news.example.org/2019/11/05/plant-opens/",
    );
    assert_eq!(a.date, ymd(2019, 11, 5));
    let v = page("", "<div class='info'>Published July 24, 2021</div>");
    assert_eq!(extract(v.as_bytes()).date, ymd(2021, 7, 24));
}

#[test]
fn earliest_credible_date_wins() {
    let p = page(
        r#"<meta property="article:published_time" content="2021-07-25T08:00:00Z">
           <meta name="date" content="1970-01-01">
           <script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2021-07-24T22:00:00Z"}</script>"#,
        "",
    );
    assert_eq!(extract(p.as_bytes()).date, ymd(2021, 7, 24));
}

#[test]
fn authors_from_each_source() {
    let ld = page(
        r#"<script type="application/ld+json">{"@type":"NewsArticle","headline":"x","author":{"@type":"Person","name":"Nino Beridze"}}</script>"#,
        "",
    );
    assert_eq!(extract(ld.as_bytes()).authors, vec!["Nino Beridze"]);
    let meta = page("<meta name='author' content='By Tomas Novak'>", "");
    assert_eq!(extract(meta.as_bytes()).authors, vec!["Tomas Novak"]);
    let rel = page(
        "",
        "<p class='x'><a rel='author' href='/a/1'>Aida Karimova</a></p>",
    );
    assert_eq!(extract(rel.as_bytes()).authors, vec!["Aida Karimova"]);
    let byline = page(
        "",
        "<div class='article-byline'>By Pavel Horak and Ana Silva</div>",
    );
    assert_eq!(
        extract(byline.as_bytes()).authors,
        vec!["Pavel Horak", "Ana Silva"]
    );
}

#[test]
fn site_and_url_sources() {
    let og = page(
        "<meta property='og:site_name' content='Valley News'><meta property='og:url' content='https://valley.example/a/1'>",
        "",
    );
    let a = extract_url(og.as_bytes(), "https://valley.example/a/1?ref=home");
    assert_eq!(a.site.as_deref(), Some("Valley News"));
    assert_eq!(a.url.as_deref(), Some("https://valley.example/a/1"));
    let ld = page(
        r#"<script type="application/ld+json">{"@type":"NewsArticle","headline":"x","publisher":{"@type":"Organization","name":"Valley Post"}}</script>"#,
        "",
    );
    assert_eq!(extract(ld.as_bytes()).site.as_deref(), Some("Valley Post"));
    let host = page("<link rel='canonical' href='/news/plant-opens'>", "");
    let a = extract_url(
        host.as_bytes(),
        "https://www.valley.example/news/plant-opens?x=1",
    );
    assert_eq!(a.site.as_deref(), Some("valley.example"));
    assert_eq!(
        a.url.as_deref(),
        Some("https://www.valley.example/news/plant-opens")
    );
    let none = page("", "");
    assert_eq!(
        extract_url(none.as_bytes(), "https://valley.example/p")
            .url
            .as_deref(),
        Some("https://valley.example/p")
    );
}

#[test]
fn language_from_attribute_and_detector() {
    let en = page("", "").replace("<html>", "<html lang='en-US'>");
    assert_eq!(extract(en.as_bytes()).language.as_deref(), Some("en"));
    // No attribute: the detector fills it in.
    let de = "<html><body><article><p>Die Stadtverwaltung hat am Montag beschlossen, eine zweite \
              Straßenbahnlinie zu bauen, die den Bahnhof mit dem Universitätsgelände verbindet.</p>\
              <p>Die Bauarbeiten sollen im nächsten Frühjahr beginnen und drei Jahre dauern, \
              teilte das Büro des Bürgermeisters mit.</p></article></body></html>";
    assert_eq!(extract(de.as_bytes()).language.as_deref(), Some("de"));
    // A wrong attribute is corrected by a reliable detection.
    let wrong = de.replace("<html>", "<html lang='en'>");
    assert_eq!(extract(wrong.as_bytes()).language.as_deref(), Some("de"));
}

#[test]
fn wire_from_dateline_signoff_and_credit() {
    let dl = page(
        "",
        "<p>KABUL (Reuters) - Officials said on Monday that the road to the north had reopened after the storm.</p>",
    );
    assert_eq!(extract(dl.as_bytes()).wire.as_deref(), Some("Reuters"));
    let end = page("", "").replace(
        "before the end of the year, the governor added.</p>",
        "before the end of the year, the governor added. — AP</p>",
    );
    assert_eq!(extract(end.as_bytes()).wire.as_deref(), Some("AP"));
    let credit = page(
        "",
        "<div class='story-source'>Source: Agence France-Presse</div>",
    );
    assert_eq!(extract(credit.as_bytes()).wire.as_deref(), Some("AFP"));
    let caption_only = page(
        "",
        "<figure><img src='a.jpg'><figcaption>Workers at the plant. (AFP)</figcaption></figure>",
    );
    assert_eq!(extract(caption_only.as_bytes()).wire, None);
    let jsonld_author = page(
        r#"<script type="application/ld+json">{"@type":"NewsArticle","headline":"x","author":{"@type":"Organization","name":"Associated Press"}}</script>"#,
        "",
    );
    let a = extract(jsonld_author.as_bytes());
    assert_eq!(a.wire.as_deref(), Some("AP"));
    assert!(a.authors.is_empty());
}

// ---------------------------------------------------------------- charsets

#[test]
fn windows_1251_from_content_type() {
    let html = page(
        "<title>Новости</title>",
        "<p>Городской совет утвердил строительство нового моста через реку, сообщила мэрия.</p>",
    );
    let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(&html);
    let mut d = RawDoc::new("t", bytes.into_owned());
    d.content_type = Some("text/html; charset=windows-1251".into());
    let a = Extractor::new().extract(&d).unwrap();
    assert!(
        a.text.contains("Городской совет утвердил строительство"),
        "{}",
        a.text
    );
}

#[test]
fn latin1_from_meta_and_undeclared_detection() {
    let html = page(
        "<meta http-equiv='Content-Type' content='text/html; charset=ISO-8859-1'>",
        "<p>Le ministère a annoncé lundi que la liaison ferroviaire vers Genève rouvrirait à l'été.</p>",
    );
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&html);
    let a = extract(&bytes);
    assert!(
        a.text.contains("Le ministère a annoncé lundi"),
        "{}",
        a.text
    );

    let text = "Городской совет в понедельник утвердил строительство нового моста через реку. \
                Работы начнутся весной и продлятся около трёх лет, сообщила мэрия.";
    let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(text);
    let a = extract(&bytes);
    assert!(a.text.contains("Работы начнутся весной"), "{}", a.text);
    assert_eq!(a.language.as_deref(), Some("ru"));
}

#[test]
fn utf16_bom_dump() {
    let dump = String::from_utf8(fixture("dump_article.txt")).unwrap();
    let mut b = vec![0xFF, 0xFE];
    for u in dump.encode_utf16() {
        b.extend_from_slice(&u.to_le_bytes());
    }
    assert_eq!(detect_kind(&b), DocKind::TextDump);
    let a = extract(&b);
    assert_eq!(a.date, ymd(2023, 5, 9));
    assert!(a.text.starts_with("Georgia and Armenia agreed"));
}

// ---------------------------------------------------------------- text dumps and plain text

#[test]
fn text_dump_rules() {
    let bytes = fixture("dump_article.txt");
    assert_eq!(detect_kind(&bytes), DocKind::TextDump);
    let a = extract(&bytes);
    assert_eq!(
        a.title.as_deref(),
        Some("Georgian, Armenian transport ministers agree to reopen northern rail link")
    );
    assert_eq!(a.date, ymd(2023, 5, 9));
    assert_eq!(a.wire.as_deref(), Some("AFP"));
    assert!(
        a.text.starts_with("Georgia and Armenia agreed on Tuesday"),
        "{}",
        a.text
    );
    assert!(
        a.text.ends_with("according to the statement."),
        "{}",
        a.text
    );
    assert_eq!(a.paragraphs().count(), 4);
    for junk in [
        "Freight wagons",
        "Followed Unfollow",
        "Published:",
        "For the latest headlines",
        "Read more",
        "Tbilisi opens",
        "apricot",
        "Get the latest stories",
        "Also Read",
        "Editor's Choice",
        "Flooded valley",
        "Top Content",
        "Central bank",
        "Before you go",
        "Wine festival",
        "Explore More",
        "Menu",
    ] {
        assert!(!a.text.contains(junk), "{junk:?} in {}", a.text);
    }
}

#[test]
fn text_dump_comments_and_teasers_are_not_body() {
    let a = extract(&fixture("dump_with_comments.txt"));
    assert_eq!(
        a.title.as_deref(),
        Some("Library reopens after flood repairs")
    );
    assert_eq!(a.date, ymd(2022, 3, 3));
    assert_eq!(a.authors, vec!["Marta Kowalczyk"]);
    assert_eq!(a.wire, None);
    assert!(
        a.text.starts_with("The town library reopened on Wednesday"),
        "{}",
        a.text
    );
    assert!(
        a.text.ends_with("put it out of action again."),
        "{}",
        a.text
    );
    // A subheading between body paragraphs stays.
    assert!(a.text.contains("\n\nNew reading room\n\n"), "{}", a.text);
    for junk in [
        "says:",
        "my daughter",
        "far too long",
        "Reply",
        "bakery",
        "Bus timetable",
        "Share",
        "Obituaries",
    ] {
        assert!(!a.text.contains(junk), "{junk:?} in {}", a.text);
    }
}

#[test]
fn plain_text() {
    let a = extract(&fixture("plain_article.txt"));
    assert_eq!(
        a.title.as_deref(),
        Some("City council approves new tram line")
    );
    assert_eq!(a.paragraphs().count(), 3);
    assert!(a.text.starts_with("The city council voted on Monday"));
    assert_eq!(a.date, None);
    assert_eq!(a.language.as_deref(), Some("en"));
}

#[test]
fn doc_date_is_a_fallback() {
    let mut d = RawDoc::new("t", fixture("plain_article.txt"));
    d.date = ymd(2022, 1, 2);
    assert_eq!(Extractor::new().extract(&d).unwrap().date, ymd(2022, 1, 2));
}

// ---------------------------------------------------------------- bad input

#[test]
fn bad_input_is_reported() {
    let ex = Extractor::new();
    let run = |b: &[u8]| ex.extract(&RawDoc::new("t", b.to_vec()));
    assert_eq!(run(b""), Err(ExtractError::Empty));
    assert_eq!(run(b" \n\t\r\n "), Err(ExtractError::Empty));
    assert!(
        matches!(run(b"%PDF-1.4\n%\xe2\xe3"), Err(ExtractError::Binary { what }) if what == "PDF")
    );
    assert!(matches!(
        run(b"abc\0\0\0def"),
        Err(ExtractError::Binary { .. })
    ));
    assert!(
        matches!(run(b"\x1f\x8b\x08\x00rest"), Err(ExtractError::Binary { what }) if what == "GZIP")
    );
    assert_eq!(
        run(b"<html><head><title>x</title></head><body><script>var a=1;</script></body></html>"),
        Err(ExtractError::NoText)
    );
    let small = Extractor::new().with_max_bytes(10);
    let err = small
        .extract(&RawDoc::new("t", b"hello world, too long".to_vec()))
        .unwrap_err();
    assert_eq!(err, ExtractError::TooLarge { size: 21, cap: 10 });
    assert_eq!(err.to_string(), "document too large (21 bytes, cap 10)");
    assert_eq!(ExtractError::Empty.to_string(), "empty document");
}

#[test]
fn table_rows_become_lines() {
    let p = page(
        "",
        "<table><tr><th>Club</th><th>Played</th><th>Won</th><th>Points</th></tr>\
         <tr><td>North Harbour Rovers</td><td>15</td><td>12</td><td>39</td></tr></table>",
    );
    let a = extract(p.as_bytes());
    assert!(
        a.paragraphs().any(|l| l == "Club Played Won Points"),
        "{}",
        a.text
    );
    assert!(
        a.paragraphs().any(|l| l == "North Harbour Rovers 15 12 39"),
        "{}",
        a.text
    );
}

#[test]
fn deeply_nested_unclosed_markup_finishes() {
    let mut html = String::from("<html><body>");
    for i in 0..5000 {
        html.push_str(&format!(
            "<div class='c{i}'>Word {i}, and some more words here. "
        ));
    }
    let a = extract(html.as_bytes());
    assert!(a.text.contains("Word 4999"));
}

#[test]
fn custom_wire_list() {
    let list = outpost_extract::WireList::parse("Valley Wire|VW\n").unwrap();
    let ex = Extractor::new().with_wires(list);
    let p = page(
        "",
        "<p>RIVERTON (VW) - The bridge reopened on Friday after three weeks of repairs, officials said.</p>",
    );
    let a = ex.extract(&RawDoc::new("t", p.into_bytes())).unwrap();
    assert_eq!(a.wire.as_deref(), Some("Valley Wire"));
}
