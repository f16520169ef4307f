//! A generator of realistic synthetic news pages, for benchmarks and crash tests.
//!
//! Pages are HTML with site furniture (navigation, share buttons, related-headline lists,
//! captions, footers) around a body of wire-style paragraphs built from sentence templates
//! about random country pairs. The output is deterministic for a given seed, so runs can be
//! compared. Nothing here is meant to be read as news: names are invented.

use std::io::Write;

/// A small deterministic PRNG (xorshift64*), enough for picking template slots.
pub struct Rng(u64);

impl Rng {
    /// A generator started from `seed` (0 is remapped).
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// (country, demonym, capital)
pub(crate) const COUNTRIES: &[(&str, &str, &str)] = &[
    ("Kenya", "Kenyan", "Nairobi"),
    ("Somalia", "Somali", "Mogadishu"),
    ("Ethiopia", "Ethiopian", "Addis Ababa"),
    ("Sudan", "Sudanese", "Khartoum"),
    ("Egypt", "Egyptian", "Cairo"),
    ("Nigeria", "Nigerian", "Abuja"),
    ("Niger", "Nigerien", "Niamey"),
    ("Mali", "Malian", "Bamako"),
    ("Turkey", "Turkish", "Ankara"),
    ("Syria", "Syrian", "Damascus"),
    ("Iraq", "Iraqi", "Baghdad"),
    ("Iran", "Iranian", "Tehran"),
    ("Pakistan", "Pakistani", "Islamabad"),
    ("India", "Indian", "New Delhi"),
    ("China", "Chinese", "Beijing"),
    ("Japan", "Japanese", "Tokyo"),
    ("Philippines", "Philippine", "Manila"),
    ("Indonesia", "Indonesian", "Jakarta"),
    ("Russia", "Russian", "Moscow"),
    ("Ukraine", "Ukrainian", "Kyiv"),
    ("Poland", "Polish", "Warsaw"),
    ("Germany", "German", "Berlin"),
    ("France", "French", "Paris"),
    ("Brazil", "Brazilian", "Brasilia"),
    ("Colombia", "Colombian", "Bogota"),
    ("Mexico", "Mexican", "Mexico City"),
    ("Kazakhstan", "Kazakh", "Astana"),
    ("Tajikistan", "Tajik", "Dushanbe"),
    ("Armenia", "Armenian", "Yerevan"),
    ("Georgia", "Georgian", "Tbilisi"),
];

pub(crate) const FIRST: &[&str] = &[
    "Amina", "Daniel", "Farid", "Helena", "Ivan", "Jamal", "Karin", "Luis", "Mariam", "Nikolai",
    "Omar", "Priya", "Rustam", "Sofia", "Tomasz", "Yusuf",
];
pub(crate) const LAST: &[&str] = &[
    "Adeyemi",
    "Barzani",
    "Castillo",
    "Demir",
    "Esposito",
    "Farouk",
    "Gromov",
    "Haddad",
    "Ibrahimov",
    "Jovanovic",
    "Kariuki",
    "Lindqvist",
    "Mensah",
    "Novak",
    "Okafor",
    "Petrenko",
];
const ROLES: &[&str] = &[
    "Foreign Minister",
    "Defence Minister",
    "President",
    "Prime Minister",
    "Interior Minister",
];
const WEEKDAYS: &[&str] = &[
    "on Monday",
    "on Tuesday",
    "on Wednesday",
    "on Thursday",
    "on Friday",
    "last week",
    "earlier this month",
];

/// Sentence templates. Slots: {A}/{B} countries, {a}/{b} demonyms, {CA}/{CB} capitals,
/// {R} role, {N}/{M} names, {W} a relative date.
const EVENTS: &[&str] = &[
    "{a} {R} {N} met his {b} counterpart {M} in {CB} {W} to discuss border security, officials said.",
    "{A} pledged to send food and medical supplies to {B} after floods displaced thousands of families.",
    "{a} troops shelled positions held by rebels near the border with {B} {W}, killing at least six people.",
    "Police in {CA} arrested dozens of protesters who had blocked roads to demand lower fuel prices.",
    "Thousands of people marched through {CA} {W} to protest against the new tax law.",
    "{A} accused {B} of violating its airspace and summoned the {b} ambassador.",
    "{A} rejected a request from {B} to extradite two opposition leaders.",
    "The {a} government threatened to impose sanctions on {B} if the talks failed.",
    "{A} expelled three {b} diplomats {W}, accusing them of espionage.",
    "{a} and {b} forces will hold joint military exercises next month, the defence ministry said.",
    "{A} released 40 {b} fishermen who had been detained for illegal fishing.",
    "{A} deployed additional troops and armoured vehicles to its border with {B}.",
    "{A} and {B} signed an agreement to expand trade and build a new railway link.",
    "{a} officials called on {B} to withdraw its forces from the disputed area.",
    "{A} praised the decision by {B} to release political prisoners.",
    "The {a} army said its aircraft struck militant camps inside {B} {W}.",
];

const FILLER: &[&str] = &[
    "The two countries have had tense relations since a dispute over water rights in the 1990s.",
    "Analysts said the move was likely to raise tensions in the region ahead of elections.",
    "The United Nations has repeatedly called for restraint from all sides.",
    "Trade between the neighbours reached nearly 2 billion dollars last year, according to official figures.",
    "The ministry did not respond to a request for comment.",
    "Residents said shops and schools in the area remained closed.",
];

const SITES: &[&str] = &[
    "The Daily Ledger",
    "Global Courier",
    "Horizon News",
    "The Continental",
    "Frontier Wire",
];

fn fill(t: &str, rng: &mut Rng) -> String {
    let a = rng.pick(COUNTRIES);
    let mut b = rng.pick(COUNTRIES);
    while b.0 == a.0 {
        b = rng.pick(COUNTRIES);
    }
    let name = |rng: &mut Rng| format!("{} {}", *rng.pick(FIRST), *rng.pick(LAST));
    let n = name(rng);
    let m = name(rng);
    let role = *rng.pick(ROLES);
    let when = *rng.pick(WEEKDAYS);
    t.replace("{A}", a.0)
        .replace("{B}", b.0)
        .replace("{a}", a.1)
        .replace("{b}", b.1)
        .replace("{CA}", a.2)
        .replace("{CB}", b.2)
        .replace("{R}", role)
        .replace("{N}", &n)
        .replace("{M}", &m)
        .replace("{W}", when)
}

pub(crate) fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// One generated page: (url, date, html).
pub fn page(i: usize, rng: &mut Rng) -> (String, String, String) {
    let site = rng.pick(SITES);
    let day = 1 + rng.below(28);
    let month = 1 + rng.below(12);
    let date = format!("2026-{month:02}-{day:02}");
    let mut paras = Vec::new();
    let n = 4 + rng.below(5);
    for k in 0..n {
        let t = if k % 3 == 2 {
            *rng.pick(FILLER)
        } else {
            *rng.pick(EVENTS)
        };
        paras.push(if k % 3 == 2 {
            t.to_owned()
        } else {
            fill(t, rng)
        });
    }
    let title = paras[0]
        .split([',', '.'])
        .next()
        .unwrap_or("News")
        .to_owned();
    let related: Vec<String> = (0..4)
        .map(|_| {
            let t = *rng.pick(EVENTS);
            fill(t, rng)
        })
        .collect();
    let slug = format!("story-{i}");
    let url = format!(
        "https://{}.example/world/{date}/{slug}",
        site.to_lowercase().replace(' ', "")
    );
    let mut html = String::with_capacity(8192);
    html.push_str("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">");
    html.push_str(&format!(
        "<title>{} | {site}</title><meta property=\"og:title\" content=\"{}\">\
         <meta property=\"og:site_name\" content=\"{site}\">\
         <meta property=\"article:published_time\" content=\"{date}T08:00:00Z\">\
         <link rel=\"canonical\" href=\"{url}\"></head><body>",
        esc(&title),
        esc(&title)
    ));
    html.push_str(
        "<header><nav class=\"menu\"><a href=\"/\">Home</a> <a href=\"/world\">World</a> \
         <a href=\"/business\">Business</a> <a href=\"/sport\">Sport</a></nav></header>\
         <div class=\"cookie-notice\">This site uses cookies. <button>Accept</button></div><main><article>",
    );
    html.push_str(&format!(
        "<h1>{}</h1><div class=\"byline\">By {} {}</div>\
         <div class=\"share\"><a>Share</a> <a>Tweet</a> <a>Email</a></div>\
         <figure><img src=\"/p.jpg\"><figcaption>A file photo of the area. (Reuters)</figcaption></figure>",
        esc(&title),
        rng.pick(FIRST),
        rng.pick(LAST)
    ));
    for p in &paras {
        html.push_str(&format!("<p>{}</p>", esc(p)));
    }
    html.push_str("<aside class=\"related\"><h3>Read more</h3><ul>");
    for r in &related {
        html.push_str(&format!("<li><a href=\"/r\">{}</a></li>", esc(r)));
    }
    html.push_str(&format!(
        "</ul></aside></article></main><footer>© 2026 {site}. All rights reserved. \
         <a href=\"/privacy\">Privacy</a> <a href=\"/terms\">Terms</a></footer></body></html>"
    ));
    (url, date, html)
}

/// Writes `n` pages as a JSONL corpus (`url`, `date`, `html`).
pub fn write_jsonl(n: usize, seed: u64, out: &mut dyn Write) -> std::io::Result<()> {
    let mut rng = Rng::new(seed);
    for i in 0..n {
        let (url, date, html) = page(i, &mut rng);
        let line = serde_json::json!({"url": url, "date": date, "html": html});
        writeln!(out, "{line}")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generation_is_deterministic_and_distinct() {
        let mut a = Vec::new();
        let mut b = Vec::new();
        write_jsonl(20, 7, &mut a).unwrap();
        write_jsonl(20, 7, &mut b).unwrap();
        assert_eq!(a, b);
        let text = String::from_utf8(a).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 20);
        let mut uniq = lines.clone();
        uniq.sort();
        uniq.dedup();
        assert_eq!(uniq.len(), 20, "pages differ");
        assert!(
            !text.contains("{A}") && !text.contains("{b}"),
            "all slots filled"
        );
    }
}
