//! When two coded events are one happening: the aggregation rules.
//!
//! Events from different articles (or different sentences of one article) are the same
//! real-world event when all of these hold:
//!
//! 1. **Same kind**: the same PLOVER type, and a compatible status — `occurred` and
//!    `claimed` go together (outlets differ in how they attribute the same attack);
//!    `planned`, `denied` and `hypothetical` each only with their own kind.
//! 2. **Same actors**: the source's country (or its code when it has no country, as for
//!    international organisations and unplaced groups) and the target's likewise. For the
//!    types whose direction is a matter of wording — [`SYMMETRIC`]: `CONSULT`, `AGREE`,
//!    `COOPERATE` ("A met B" and "B held talks with A") — the pair is unordered.
//! 3. **Overlapping dates**: each event covers a span of days from its date and precision
//!    (a day: that day; a week: seven days; a month: the month; a year: the year). An
//!    undated event covers [`UNDATED_DAYS`] days before its article's date up to that date
//!    (news reports the recent past). Spans must overlap; an aggregated event keeps the
//!    intersection of its members' spans, so one on the 3rd and one on the 5th stay apart
//!    even when a month-precise report could join either. Events with neither a date nor an
//!    article date are never merged.
//! 4. **Compatible places**: when both have a location, the same country; when both are
//!    finer than a country (a city, a district, a border point), within [`NEAR_KM`] km of
//!    each other. A missing location is compatible with any.
//!
//! Rules 1 and 2 make an exact [`match_key`], which the store indexes together with the
//! date span, so finding the candidates for a new event is one index look-up; rules 3 and 4
//! are checked on the few candidates ([`Aggregate::accepts`]).

use chrono::{Datelike, Days, NaiveDate};
use outpost_core::{Actor, DatePrecision, Event, Status};
use xxhash_rust::xxh3::xxh3_64;

/// PLOVER types whose two sides are interchangeable for matching.
pub const SYMMETRIC: &[&str] = &["CONSULT", "AGREE", "COOPERATE"];
/// Greatest distance between two sub-country locations of one event, in kilometres.
pub const NEAR_KM: f64 = 50.0;
/// Days before its article's date that an undated event may have happened.
pub const UNDATED_DAYS: u64 = 3;
/// Location precisions that name a whole country (compared by country only).
const COARSE: &[&str] = &["country", "continent", "region"];

/// The status group of rule 1.
fn status_group(s: Status) -> &'static str {
    match s {
        Status::Occurred | Status::Claimed => "real",
        Status::Planned => "planned",
        Status::Denied => "denied",
        Status::Hypothetical => "hypothetical",
    }
}

fn actor_key(a: Option<&Actor>) -> &str {
    match a {
        Some(a) => a.country.as_deref().unwrap_or(&a.code),
        None => "",
    }
}

/// The exact part of the rules (type, status group, actors) as one 64-bit key (signed, to
/// fit SQL `BIGINT`). Equal keys are necessary, not sufficient: see [`Aggregate::accepts`].
pub fn match_key(e: &Event) -> i64 {
    let mut a = actor_key(Some(&e.source));
    let mut b = actor_key(e.target.as_ref());
    if SYMMETRIC.contains(&e.plover.as_str()) && b < a && !b.is_empty() {
        std::mem::swap(&mut a, &mut b);
    }
    let text = format!(
        "{}\u{1f}{}\u{1f}{}\u{1f}{}",
        e.plover.to_ascii_uppercase(),
        status_group(e.status),
        a,
        b
    );
    xxh3_64(text.as_bytes()) as i64
}

/// An inclusive span of days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// First day.
    pub lo: NaiveDate,
    /// Last day.
    pub hi: NaiveDate,
}

impl Span {
    /// The common days of two spans, if any.
    pub fn intersect(self, other: Span) -> Option<Span> {
        let lo = self.lo.max(other.lo);
        let hi = self.hi.min(other.hi);
        (lo <= hi).then_some(Span { lo, hi })
    }
}

fn last_of_month(d: NaiveDate) -> NaiveDate {
    let (y, m) = if d.month() == 12 {
        (d.year() + 1, 1)
    } else {
        (d.year(), d.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1)
        .and_then(|n| n.pred_opt())
        .unwrap_or(d)
}

/// The days an event may have happened on (rule 3), or `None` when nothing dates it.
pub fn date_span(e: &Event, article_date: Option<NaiveDate>) -> Option<Span> {
    match e.date {
        Some(d) => {
            let lo = d.date;
            let precision = e.date_precision.unwrap_or(d.precision);
            let hi = match precision {
                DatePrecision::Day => lo,
                DatePrecision::Week => lo.checked_add_days(Days::new(6)).unwrap_or(lo),
                DatePrecision::Month => last_of_month(lo),
                DatePrecision::Year => NaiveDate::from_ymd_opt(lo.year(), 12, 31).unwrap_or(lo),
            };
            Some(Span { lo, hi })
        }
        None => article_date.map(|hi| Span {
            lo: hi.checked_sub_days(Days::new(UNDATED_DAYS)).unwrap_or(hi),
            hi,
        }),
    }
}

/// Where an event happened, as far as matching needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct Spot {
    /// ISO3 country, when known.
    pub country: Option<String>,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// Whether the point is finer than a country.
    pub fine: bool,
}

/// The [`Spot`] of an event's location, if it has one.
pub fn spot(e: &Event) -> Option<Spot> {
    let l = e.location.as_ref()?;
    if !(l.lat.is_finite() && l.lon.is_finite()) {
        return None;
    }
    Some(Spot {
        country: l.country.clone(),
        lat: l.lat,
        lon: l.lon,
        fine: !COARSE.contains(&l.precision.as_str()),
    })
}

/// Great-circle distance in kilometres (haversine, mean Earth radius).
pub fn distance_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (la1, lo1, la2, lo2) = (
        a.0.to_radians(),
        a.1.to_radians(),
        b.0.to_radians(),
        b.1.to_radians(),
    );
    let h = ((la2 - la1) / 2.0).sin().powi(2)
        + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    2.0 * 6371.0088 * h.sqrt().min(1.0).asin()
}

/// Rule 4: whether two locations can be the same event's.
pub fn places_compatible(a: Option<&Spot>, b: Option<&Spot>) -> bool {
    let (Some(a), Some(b)) = (a, b) else {
        return true;
    };
    if let (Some(x), Some(y)) = (&a.country, &b.country)
        && x != y
    {
        return false;
    }
    if a.fine && b.fine {
        return distance_km((a.lat, a.lon), (b.lat, b.lon)) <= NEAR_KM;
    }
    true
}

/// The matching state of an aggregated event: its date span and best-known place.
#[derive(Debug, Clone, PartialEq)]
pub struct Aggregate {
    /// The intersection of its members' spans.
    pub span: Span,
    /// The finest place among its members.
    pub spot: Option<Spot>,
}

impl Aggregate {
    /// A new aggregate of one event.
    pub fn new(span: Span, spot: Option<Spot>) -> Aggregate {
        Aggregate { span, spot }
    }

    /// Whether an event with this span and place joins this aggregate (rules 3 and 4; rules
    /// 1 and 2 are the caller's key look-up).
    pub fn accepts(&self, span: Span, spot: Option<&Spot>) -> bool {
        self.span.intersect(span).is_some() && places_compatible(self.spot.as_ref(), spot)
    }

    /// The aggregate after an accepted event joins: the narrower span, the finer place.
    pub fn join(&mut self, span: Span, spot: Option<Spot>) {
        if let Some(s) = self.span.intersect(span) {
            self.span = s;
        }
        let better = match (&self.spot, &spot) {
            (None, Some(_)) => true,
            (Some(a), Some(b)) => !a.fine && b.fine,
            _ => false,
        };
        if better {
            self.spot = spot;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use outpost_core::{EventDate, Evidence};

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    fn actor(country: &str) -> Actor {
        Actor {
            text: country.into(),
            code: format!("{country}GOV"),
            country: Some(country.into()),
            sector: Some("GOV".into()),
            name: None,
        }
    }

    fn event(plover: &str, src: &str, tgt: &str) -> Event {
        Event {
            id: "e".into(),
            date: Some(EventDate::day(d("2024-03-05"))),
            date_precision: None,
            plover: plover.into(),
            mode: None,
            cameo: "042".into(),
            goldstein: 1.9,
            quad_class: 1,
            acled: None,
            status: Status::Occurred,
            source: actor(src),
            target: Some(actor(tgt)),
            parties: vec![],
            location: None,
            evidence: Evidence {
                article_id: "a".into(),
                sentence: 0,
                text: String::new(),
                trigger: String::new(),
                start: 0,
                end: 0,
                sentence_start: 0,
                sentence_end: 0,
            },
            confidence: 0.8,
            aggregate: None,
        }
    }

    #[test]
    fn keys_follow_type_status_and_actors() {
        let a = event("ASSAULT", "RUS", "UKR");
        assert_eq!(match_key(&a), match_key(&a.clone()));
        assert_ne!(match_key(&a), match_key(&event("ASSAULT", "UKR", "RUS")));
        assert_ne!(match_key(&a), match_key(&event("COERCE", "RUS", "UKR")));
        let mut claimed = a.clone();
        claimed.status = Status::Claimed;
        assert_eq!(match_key(&a), match_key(&claimed));
        let mut denied = a.clone();
        denied.status = Status::Denied;
        assert_ne!(match_key(&a), match_key(&denied));
        // Talks are talks whoever is named first.
        assert_eq!(
            match_key(&event("CONSULT", "RUS", "TJK")),
            match_key(&event("CONSULT", "TJK", "RUS"))
        );
        // A group without a country is keyed by its code.
        let mut group = a.clone();
        group.source.country = None;
        group.source.code = "TALIBAN".into();
        assert_ne!(match_key(&a), match_key(&group));
    }

    #[test]
    fn spans_follow_precision() {
        let mut e = event("ASSAULT", "RUS", "UKR");
        assert_eq!(
            date_span(&e, None),
            Some(Span {
                lo: d("2024-03-05"),
                hi: d("2024-03-05")
            })
        );
        e.date = Some(EventDate {
            date: d("2024-02-01"),
            precision: DatePrecision::Month,
        });
        assert_eq!(date_span(&e, None).map(|s| s.hi), Some(d("2024-02-29")));
        e.date = Some(EventDate {
            date: d("2024-12-01"),
            precision: DatePrecision::Month,
        });
        assert_eq!(date_span(&e, None).map(|s| s.hi), Some(d("2024-12-31")));
        e.date = Some(EventDate {
            date: d("2024-03-04"),
            precision: DatePrecision::Week,
        });
        assert_eq!(date_span(&e, None).map(|s| s.hi), Some(d("2024-03-10")));
        e.date = None;
        assert_eq!(
            date_span(&e, Some(d("2024-03-05"))),
            Some(Span {
                lo: d("2024-03-02"),
                hi: d("2024-03-05")
            })
        );
        assert_eq!(date_span(&e, None), None);
    }

    fn spot(country: &str, lat: f64, lon: f64, fine: bool) -> Spot {
        Spot {
            country: Some(country.into()),
            lat,
            lon,
            fine,
        }
    }

    #[test]
    fn places_conflict_across_countries_and_distance() {
        let kharkiv = spot("UKR", 49.99, 36.23, true);
        let near = spot("UKR", 50.10, 36.40, true); // ~17 km
        let odesa = spot("UKR", 46.48, 30.73, true);
        let ukraine = spot("UKR", 49.0, 32.0, false);
        assert!(places_compatible(Some(&kharkiv), Some(&near)));
        assert!(!places_compatible(Some(&kharkiv), Some(&odesa)));
        assert!(places_compatible(Some(&kharkiv), Some(&ukraine)));
        assert!(places_compatible(Some(&kharkiv), None));
        assert!(!places_compatible(
            Some(&kharkiv),
            Some(&spot("RUS", 50.0, 36.3, true))
        ));
        let km = distance_km((49.99, 36.23), (46.48, 30.73));
        assert!((550.0..600.0).contains(&km), "{km}");
    }

    #[test]
    fn an_aggregate_narrows_as_members_join() {
        let month = Span {
            lo: d("2024-03-01"),
            hi: d("2024-03-31"),
        };
        let mut agg = Aggregate::new(month, None);
        let third = Span {
            lo: d("2024-03-03"),
            hi: d("2024-03-03"),
        };
        let fifth = Span {
            lo: d("2024-03-05"),
            hi: d("2024-03-05"),
        };
        assert!(agg.accepts(third, None) && agg.accepts(fifth, None));
        agg.join(third, Some(spot("UKR", 49.0, 32.0, false)));
        assert_eq!(agg.span, third);
        assert!(!agg.accepts(fifth, None), "a different day stays apart");
        agg.join(third, Some(spot("UKR", 49.99, 36.23, true)));
        assert!(
            agg.spot.as_ref().is_some_and(|s| s.fine),
            "the finer place wins"
        );
        assert!(!agg.accepts(third, Some(&spot("UKR", 46.48, 30.73, true))));
    }
}
