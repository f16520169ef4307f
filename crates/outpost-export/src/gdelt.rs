//! GDELT 2.0 event and mentions rows.
//!
//! **Event table** (61 tab-separated columns, GDELT's order, no header). How each column is
//! filled from an [`Event`]:
//!
//! | # | column | from |
//! |---|---|---|
//! | 0 | GlobalEventID | the first 15 hex digits of the event id read as an integer (< 2^60, fits an i64); an id that is not hex is fingerprinted first ([`global_event_id`]) |
//! | 1–3 | Day, MonthYear, Year | the event date (first day of its period for week/month/year precision); an undated event takes its article's publication date; with neither the event is **skipped** (counted in `ExportSummary::skipped`) |
//! | 4 | FractionDate | GDELT's formula: year + (month × 30 + day) / 365, 4 decimals |
//! | 5–14 | Actor1… | the source actor: full code, name (the actor's `name`, else its text, upper-cased), and the code's split ([`crate::codes::Codes::split_actor`]); the country block is written in CAMEO spelling (`ROU` → `ROM`) |
//! | 15–24 | Actor2… | the target, same ten fields; blank without a target |
//! | 25 | IsRootEvent | 1 when the evidence sentence index is 0 or 1 (the lead), else 0 |
//! | 26–28 | EventCode, EventBaseCode, EventRootCode | the CAMEO code; a 2-digit root code is written as GDELT's 3-digit `X0` form (`19` → `190`); base = first 3 digits, root = first 2 |
//! | 29–30 | QuadClass, GoldsteinScale | as coded |
//! | 31–33 | NumMentions, NumSources, NumArticles | the aggregated event's counts (`Event::aggregate`): coded mentions in every copy, distinct sites, distinct article copies (1, 1, 1 for an event read without them) |
//! | 34 | AvgTone | 0: no tone model yet |
//! | 35–42 | Actor1Geo_* | the event location when it is in the actor's country; else the actor's country (type 1) at the point given by [`crate::ExportOptions::country_location`]; else blank (type 0) |
//! | 43–50 | Actor2Geo_* | the same for the target |
//! | 51–58 | ActionGeo_* | the event location: Type 1 country, 2 US state, 3 US city, 4 world city / point (cities, borders), 5 world ADM1 (admin1 and named regions); FullName `Name, Admin1, Country`; CountryCode FIPS 10-4; ADM1Code the FIPS country code alone (FIPS ADM1 codes are not known yet); ADM2Code empty; FeatureID the GeoNames id (for type 1 the FIPS code, as GDELT does) |
//! | 59 | DATEADDED | the article's publication date (else the event date) at `000000`, `YYYYMMDDHHMMSS`: Outpost keeps no ingest time, and this keeps exports reproducible |
//! | 60 | SOURCEURL | the article URL, else its source reference |
//!
//! Tabs, carriage returns and newlines inside fields become spaces.
//!
//! **Mentions table** (16 columns): one row per mention of each aggregated event (each
//! coded sentence in each copy of each article that reports it; with `all_mentions`, one
//! row per event for its own evidence), GlobalEventID being the aggregated event's:
//! GlobalEventID, EventTimeDate and MentionTimeDate (both DATEADDED above), MentionType 1
//! (web), MentionSourceName (the URL's host without `www.`, else the site name, else the
//! source reference), MentionIdentifier (URL or source reference), SentenceID (1-based),
//! Actor1/Actor2CharOffset (character offset in the article of the actor phrase when it
//! occurs in the evidence sentence, else -1), ActionCharOffset (the trigger's offset),
//! InRawText 1, Confidence (coder confidence × 100, rounded), MentionDocLen (article
//! length in characters), MentionDocTone 0, MentionDocTranslationInfo and Extras empty.

use std::io::Write;

use chrono::{Datelike, NaiveDate};
use outpost_core::{Actor, Event, Location, id::fingerprint};

use crate::codes::Codes;
use crate::{ArticleMeta, CountryLocation, ExportError, Sink, coord, tsv_clean};

/// Number of columns of a GDELT 2.0 event row.
pub const EVENT_COLUMNS: usize = 61;
/// Number of columns of a GDELT 2.0 mentions row.
pub const MENTION_COLUMNS: usize = 16;

/// GDELT's integer event id for an Outpost event id: its first 15 hex digits as an integer
/// (ids are 16-hex-digit fingerprints); an id with fewer than 15 leading hex digits is
/// fingerprinted first. Always in `0..2^60`, so it fits GDELT readers' signed 64-bit ints.
pub fn global_event_id(id: &str) -> i64 {
    let hex15 = |s: &str| -> Option<i64> {
        let head = s.get(..15)?;
        i64::from_str_radix(head, 16).ok()
    };
    let lower = id.to_ascii_lowercase();
    hex15(&lower)
        .or_else(|| hex15(&fingerprint(id.as_bytes())))
        .unwrap_or_default()
}

/// GDELT's FractionDate: year + (month × 30 + day) / 365, with 4 decimals.
pub fn fraction_date(d: NaiveDate) -> String {
    let f = d.year() as f64 + (d.month() as f64 * 30.0 + d.day() as f64) / 365.0;
    format!("{f:.4}")
}

/// The day a GDELT row is filed under: the event date, else the article date.
fn row_day(e: &Event, meta: &ArticleMeta) -> Option<NaiveDate> {
    e.date.map(|d| d.date).or(meta.date)
}

fn date_added(e: &Event, meta: &ArticleMeta) -> String {
    meta.date
        .or(e.date.map(|d| d.date))
        .map(|d| d.format("%Y%m%d000000").to_string())
        .unwrap_or_default()
}

/// One of GDELT's three geo blocks (8 columns).
#[derive(Debug, Clone, Default, PartialEq)]
struct Geo {
    kind: u8,
    full_name: String,
    country: String,
    adm1: String,
    lat: String,
    lon: String,
    feature: String,
}

impl Geo {
    fn push(self, row: &mut Vec<String>) {
        row.push(self.kind.to_string());
        row.push(self.full_name);
        row.push(self.country);
        row.push(self.adm1);
        row.push(String::new()); // ADM2Code
        row.push(self.lat);
        row.push(self.lon);
        row.push(self.feature);
    }
}

/// What an event row needs besides the event: code tables and country locations.
struct Ctx<'a> {
    codes: Codes,
    country_location: Option<CountryLocation<'a>>,
}

impl<'a> Ctx<'a> {
    fn new(country_location: Option<CountryLocation<'a>>) -> Result<Ctx<'a>, ExportError> {
        Ok(Ctx {
            codes: Codes::builtin()?,
            country_location,
        })
    }

    fn geo(&self, loc: &Location) -> Geo {
        let iso3 = loc.country.as_deref().unwrap_or_default();
        let fips = self.codes.fips(iso3).unwrap_or_default().to_string();
        let country_name = self.codes.country(iso3).map(|c| c.name.as_str());
        let us = fips == "US";
        let kind = match loc.precision.as_str() {
            "country" => 1,
            "admin1" if us => 2,
            "admin1" => 5,
            "region" if !iso3.is_empty() => 5,
            _ if us => 3,
            _ => 4,
        };
        let mut parts: Vec<&str> = vec![loc.name.as_str()];
        if kind != 1 {
            if let Some(a) = loc
                .admin1
                .as_deref()
                .filter(|a| !a.is_empty() && *a != loc.name)
            {
                parts.push(a);
            }
            if let Some(c) = country_name.filter(|c| *c != loc.name) {
                parts.push(c);
            }
        }
        let feature = if kind == 1 {
            fips.clone()
        } else {
            loc.geonameid.map(|g| g.to_string()).unwrap_or_default()
        };
        Geo {
            kind,
            full_name: tsv_clean(&parts.join(", ")),
            adm1: fips.clone(),
            country: fips,
            lat: coord(loc.lat),
            lon: coord(loc.lon),
            feature,
        }
    }

    fn actor_geo(&self, actor: Option<&Actor>, action: Option<&Location>) -> Geo {
        let Some(country) = actor.and_then(|a| a.country.as_deref()) else {
            return Geo::default();
        };
        if let Some(loc) = action
            && loc
                .country
                .as_deref()
                .is_some_and(|c| c.eq_ignore_ascii_case(country))
        {
            return self.geo(loc);
        }
        match self.country_location.and_then(|f| f(country)) {
            Some(mut loc) if self.codes.fips(country).is_some() => {
                loc.precision = "country".into();
                loc.country = Some(country.to_string());
                self.geo(&loc)
            }
            _ => Geo::default(),
        }
    }

    fn push_actor(&self, row: &mut Vec<String>, actor: Option<&Actor>) {
        let Some(a) = actor else {
            row.extend(std::iter::repeat_n(String::new(), 10));
            return;
        };
        let s = self.codes.split_actor(&a.code, a.country.as_deref());
        let name = a
            .name
            .as_deref()
            .filter(|n| !n.trim().is_empty())
            .unwrap_or(&a.text)
            .to_uppercase();
        row.push(tsv_clean(&s.code));
        row.push(tsv_clean(&name));
        row.push(s.country);
        row.push(s.known_group);
        row.push(s.ethnic);
        row.push(s.religion1);
        row.push(s.religion2);
        row.extend(s.types);
    }

    /// The 61 fields of an event row, or `None` when the event has no day.
    fn event_row(&self, e: &Event, meta: &ArticleMeta) -> Option<Vec<String>> {
        let day = row_day(e, meta)?;
        let mut row = Vec::with_capacity(EVENT_COLUMNS);
        row.push(global_event_id(&e.id).to_string());
        row.push(day.format("%Y%m%d").to_string());
        row.push(day.format("%Y%m").to_string());
        row.push(day.format("%Y").to_string());
        row.push(fraction_date(day));
        self.push_actor(&mut row, Some(&e.source));
        self.push_actor(&mut row, e.target.as_ref());
        row.push(if e.evidence.sentence <= 1 { "1" } else { "0" }.into());
        let (code, base, root) = event_codes(&e.cameo);
        row.push(code);
        row.push(base);
        row.push(root);
        row.push(e.quad_class.to_string());
        row.push(e.goldstein.to_string());
        let (mentions, sources, articles) = e.aggregate.as_ref().map_or((1, 1, 1), |a| {
            (a.num_mentions, a.num_sources, a.num_articles)
        });
        row.extend([
            mentions.max(1).to_string(),
            sources.max(1).to_string(),
            articles.max(1).to_string(),
            "0".into(),
        ]);
        let action = e.location.as_ref();
        self.actor_geo(Some(&e.source), action).push(&mut row);
        self.actor_geo(e.target.as_ref(), action).push(&mut row);
        action
            .map(|l| self.geo(l))
            .unwrap_or_default()
            .push(&mut row);
        row.push(date_added(e, meta));
        row.push(tsv_clean(meta.url_or_source()));
        Some(row)
    }
}

/// EventCode, EventBaseCode, EventRootCode of a CAMEO code (`19` → `190`, `19`, …).
fn event_codes(cameo: &str) -> (String, String, String) {
    let code = tsv_clean(cameo.trim());
    let code = if code.len() == 2 && code.bytes().all(|b| b.is_ascii_digit()) {
        format!("{code}0")
    } else {
        code
    };
    let base = code.get(..3).unwrap_or(&code).to_string();
    let root = code.get(..2).unwrap_or(&code).to_string();
    (code, base, root)
}

/// The 16 fields of a mentions row, or `None` when the event has no day.
fn mention_row(e: &Event, meta: &ArticleMeta) -> Option<Vec<String>> {
    row_day(e, meta)?;
    let added = date_added(e, meta);
    let ev = &e.evidence;
    let offset = |a: Option<&Actor>| -> i64 {
        a.map(|a| a.text.trim())
            .filter(|t| !t.is_empty())
            .and_then(|t| ev.text.find(t))
            .map(|b| (ev.sentence_start + ev.text[..b].chars().count()) as i64)
            .unwrap_or(-1)
    };
    let source_name = meta
        .url
        .as_deref()
        .and_then(url_host)
        .or(meta.site.clone())
        .or(meta.source.clone())
        .unwrap_or_default();
    let confidence = (e.confidence * 100.0).round().clamp(0.0, 100.0) as i64;
    Some(vec![
        global_event_id(&e.id).to_string(),
        added.clone(),
        added,
        "1".into(),
        tsv_clean(&source_name),
        tsv_clean(meta.url_or_source()),
        (ev.sentence + 1).to_string(),
        offset(Some(&e.source)).to_string(),
        offset(e.target.as_ref()).to_string(),
        ev.start.to_string(),
        "1".into(),
        confidence.to_string(),
        meta.text_chars.to_string(),
        "0".into(),
        String::new(),
        String::new(),
    ])
}

/// The host of an `http(s)://` URL without a leading `www.`.
fn url_host(url: &str) -> Option<String> {
    let (_, rest) = url.split_once("://")?;
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit('@').next()?.split(':').next()?;
    let host = host.strip_prefix("www.").unwrap_or(host);
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

fn write_row(out: &mut dyn Write, row: &[String]) -> std::io::Result<()> {
    out.write_all(row.join("\t").as_bytes())?;
    out.write_all(b"\n")
}

/// Writes GDELT 2.0 event rows.
pub(crate) struct EventSink<'w> {
    out: &'w mut dyn Write,
    ctx: Ctx<'w>,
}

impl<'w> EventSink<'w> {
    pub(crate) fn new(
        out: &'w mut dyn Write,
        country_location: Option<CountryLocation<'w>>,
    ) -> Result<Self, ExportError> {
        Ok(EventSink {
            out,
            ctx: Ctx::new(country_location)?,
        })
    }
}

impl Sink for EventSink<'_> {
    fn event(&mut self, e: &Event, meta: &ArticleMeta) -> Result<bool, ExportError> {
        match self.ctx.event_row(e, meta) {
            Some(row) => {
                write_row(self.out, &row)?;
                Ok(true)
            }
            None => Ok(false),
        }
    }

    fn finish(self: Box<Self>) -> Result<(), ExportError> {
        self.out.flush()?;
        Ok(())
    }
}

/// Writes GDELT 2.0 mentions rows.
pub(crate) struct MentionSink<'w> {
    out: &'w mut dyn Write,
}

impl<'w> MentionSink<'w> {
    pub(crate) fn new(out: &'w mut dyn Write) -> Result<Self, ExportError> {
        Ok(MentionSink { out })
    }
}

impl Sink for MentionSink<'_> {
    fn event(&mut self, e: &Event, meta: &ArticleMeta) -> Result<bool, ExportError> {
        match mention_row(e, meta) {
            Some(row) => {
                write_row(self.out, &row)?;
                Ok(true)
            }
            None => Ok(false),
        }
    }

    fn finish(self: Box<Self>) -> Result<(), ExportError> {
        self.out.flush()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn global_ids_are_stable_15_hex_digit_integers() {
        assert_eq!(global_event_id("00000000000000ff"), 0xf);
        assert_eq!(global_event_id("fffffffffffffff0"), 0x0fff_ffff_ffff_ffff);
        assert_eq!(global_event_id("ABCDEF0123456789"), 0x0abc_def0_1234_5678);
        let odd = global_event_id("not-a-hex-id");
        assert_eq!(odd, global_event_id("not-a-hex-id"));
        assert!((0..1 << 60).contains(&odd));
        assert_ne!(odd, global_event_id("not-a-hex-id2"));
    }

    #[test]
    fn fraction_date_follows_gdelt() {
        let d = NaiveDate::from_ymd_opt(2021, 7, 24).unwrap();
        // 2021 + (7*30+24)/365 = 2021 + 234/365 = 2021.6411
        assert_eq!(fraction_date(d), "2021.6411");
        let d = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
        assert_eq!(fraction_date(d), "2024.0849");
    }

    #[test]
    fn event_codes_pad_roots() {
        assert_eq!(event_codes("19"), ("190".into(), "190".into(), "19".into()));
        assert_eq!(
            event_codes("0231"),
            ("0231".into(), "023".into(), "02".into())
        );
        assert_eq!(
            event_codes("173"),
            ("173".into(), "173".into(), "17".into())
        );
    }

    #[test]
    fn hosts_come_from_urls() {
        assert_eq!(
            url_host("https://www.Example.com:8080/a?b").as_deref(),
            Some("example.com")
        );
        assert_eq!(
            url_host("http://news.site.org").as_deref(),
            Some("news.site.org")
        );
        assert_eq!(url_host("file.html"), None);
    }
}
