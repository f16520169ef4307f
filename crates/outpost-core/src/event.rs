//! Coded events: the record Outpost stores, serves and exports.
//!
//! The JSON form of [`Event`] is the public contract described in DESIGN.md
//! ("Event JSON"); fields may be added, never renamed.

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// How much of a date is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DatePrecision {
    /// A calendar day.
    Day,
    /// A week (stored as its first day).
    Week,
    /// A month (stored as its first day).
    Month,
    /// A year (stored as 1 January).
    Year,
}

impl DatePrecision {
    /// The lower-case name used in JSON and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            DatePrecision::Day => "day",
            DatePrecision::Week => "week",
            DatePrecision::Month => "month",
            DatePrecision::Year => "year",
        }
    }

    /// Parses the lower-case name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "day" => Some(DatePrecision::Day),
            "week" => Some(DatePrecision::Week),
            "month" => Some(DatePrecision::Month),
            "year" => Some(DatePrecision::Year),
            _ => None,
        }
    }
}

/// A date with its precision. Serialises as `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EventDate {
    /// First day of the period.
    pub date: NaiveDate,
    /// Precision of the period.
    pub precision: DatePrecision,
}

impl EventDate {
    /// A day-precision date.
    pub fn day(date: NaiveDate) -> Self {
        EventDate {
            date,
            precision: DatePrecision::Day,
        }
    }

    /// Parses `YYYY-MM-DD`, `YYYY-MM` or `YYYY` (week precision cannot be told from the
    /// string and comes back as day).
    pub fn parse(s: &str) -> Option<Self> {
        let parts: Vec<&str> = s.split('-').collect();
        let num = |p: &str| p.parse::<u32>().ok();
        match parts.as_slice() {
            [y] => Some(EventDate {
                date: NaiveDate::from_ymd_opt(y.parse().ok()?, 1, 1)?,
                precision: DatePrecision::Year,
            }),
            [y, m] => Some(EventDate {
                date: NaiveDate::from_ymd_opt(y.parse().ok()?, num(m)?, 1)?,
                precision: DatePrecision::Month,
            }),
            [y, m, d] => Some(EventDate::day(NaiveDate::from_ymd_opt(
                y.parse().ok()?,
                num(m)?,
                num(d)?,
            )?)),
            _ => None,
        }
    }
}

impl fmt::Display for EventDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.date;
        match self.precision {
            DatePrecision::Day | DatePrecision::Week => {
                write!(f, "{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
            }
            DatePrecision::Month => write!(f, "{:04}-{:02}", d.year(), d.month()),
            DatePrecision::Year => write!(f, "{:04}", d.year()),
        }
    }
}

impl Serialize for EventDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for EventDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        EventDate::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("bad date {s:?}")))
    }
}

/// Whether the event happened, per the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Reported as having happened.
    Occurred,
    /// Planned, promised, announced for the future.
    Planned,
    /// Negated or denied ("did not attack", "denied sending troops").
    Denied,
    /// Conditional or hypothetical ("could", "if … would").
    Hypothetical,
    /// Attributed as a claim that the reporter does not confirm ("accused of", "allegedly").
    Claimed,
}

impl Status {
    /// The lower-case name used in JSON and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Occurred => "occurred",
            Status::Planned => "planned",
            Status::Denied => "denied",
            Status::Hypothetical => "hypothetical",
            Status::Claimed => "claimed",
        }
    }

    /// Parses the lower-case name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "occurred" => Some(Status::Occurred),
            "planned" => Some(Status::Planned),
            "denied" => Some(Status::Denied),
            "hypothetical" => Some(Status::Hypothetical),
            "claimed" => Some(Status::Claimed),
            _ => None,
        }
    }
}

/// One party to an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    /// The phrase in the text ("Russian defense Minister Sergei Shoigu").
    pub text: String,
    /// CAMEO-style code, e.g. `RUSGOVMIL`, `AFGREB`, `IGOUNO`.
    pub code: String,
    /// ISO3 country or PLOVER pseudo-country (`IGO`, `UNO`, `NGO`, `IMG`, …).
    pub country: Option<String>,
    /// Primary sector (GOV, MIL, COP, REB, …).
    pub sector: Option<String>,
    /// The person's or organisation's name, when known.
    pub name: Option<String>,
}

/// Where an event happened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Location {
    /// Place name as the gazetteer has it.
    pub name: String,
    /// ISO3 country.
    pub country: Option<String>,
    /// First-level administrative region name.
    pub admin1: Option<String>,
    /// Latitude (WGS84).
    pub lat: f64,
    /// Longitude (WGS84).
    pub lon: f64,
    /// GeoNames id, when the place comes from GeoNames.
    pub geonameid: Option<u64>,
    /// Precision: `country`, `admin1`, `city`, `border`, …
    pub precision: String,
}

/// The sentence an event was coded from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// Id of the article.
    pub article_id: String,
    /// 0-based sentence index in the article.
    pub sentence: usize,
    /// The sentence text.
    pub text: String,
    /// The trigger words ("pledged to help … build").
    pub trigger: String,
    /// Character offset of the trigger in the article text.
    pub start: usize,
    /// Character offset one past the trigger's end in the article text.
    pub end: usize,
    /// Character offset of the sentence in the article text.
    pub sentence_start: usize,
    /// Character offset one past the sentence's end in the article text.
    pub sentence_end: usize,
}

/// ACLED event classification (ACLED's own names).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Acled {
    /// E.g. "Battles", "Protests", "Strategic developments".
    pub event_type: String,
    /// E.g. "Armed clash", "Peaceful protest", "Agreement".
    pub sub_event_type: String,
}

/// A coded political event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Stable id (fingerprint of article id, sentence, type and actors).
    pub id: String,
    /// Event date (`YYYY-MM-DD`, `YYYY-MM` or `YYYY`), if known.
    pub date: Option<EventDate>,
    /// Precision of `date`.
    pub date_precision: Option<DatePrecision>,
    /// PLOVER event type (AGREE, CONSULT, …, ASSAULT).
    pub plover: String,
    /// PLOVER mode (e.g. `phone`, `seize`), if any.
    pub mode: Option<String>,
    /// Most specific CAMEO code that fits.
    pub cameo: String,
    /// Goldstein value of `cameo`.
    pub goldstein: f64,
    /// QuadClass (1–4) of `cameo`.
    pub quad_class: u8,
    /// ACLED type for violence, protest and strategic developments; null otherwise.
    pub acled: Option<Acled>,
    /// Occurred, planned, denied, hypothetical or claimed.
    pub status: Status,
    /// The acting party.
    pub source: Actor,
    /// The party acted upon, if any.
    pub target: Option<Actor>,
    /// Every party when the source or target is compound ("Russia, Tajikistan and
    /// Uzbekistan"); empty when source and target say it all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parties: Vec<Actor>,
    /// Where it happened.
    pub location: Option<Location>,
    /// The sentence and trigger it was coded from.
    pub evidence: Evidence,
    /// Coder confidence in 0..=1.
    pub confidence: f64,
    /// The aggregated event this one is a mention of, with its counts; set by the store
    /// when reading (the coder leaves it empty).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aggregate: Option<AggregateRef>,
}

/// An event's place in the aggregated view: the real-world event it reports and how many
/// reports support it (as GDELT's NumMentions, NumSources, NumArticles).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AggregateRef {
    /// Id of the aggregated event (the id of its first-stored mention).
    pub id: String,
    /// Event mentions: every coded sentence in every copy of every article that reports it.
    pub num_mentions: u64,
    /// Distinct articles (copies under distinct URLs, or distinct inputs) that report it.
    pub num_articles: u64,
    /// Distinct sources (sites) that report it.
    pub num_sources: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_date_round_trips_by_precision() {
        for s in ["2021-07-24", "2021-08", "2021"] {
            let d = EventDate::parse(s);
            assert_eq!(d.map(|d| d.to_string()).as_deref(), Some(s));
        }
        assert!(EventDate::parse("2021-13").is_none());
        assert!(EventDate::parse("yesterday").is_none());
    }

    #[test]
    fn status_names_round_trip() {
        for s in [
            Status::Occurred,
            Status::Planned,
            Status::Denied,
            Status::Hypothetical,
            Status::Claimed,
        ] {
            assert_eq!(Status::parse(s.as_str()), Some(s));
        }
    }
}
