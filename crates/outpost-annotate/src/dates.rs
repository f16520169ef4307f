//! Date expressions and their resolution against the publication date.
//!
//! Absolute forms ("July 23", "23 July 2021", "2021-07-23", "March 2020", "in 2019") and
//! relative ones ("on Saturday", "yesterday", "last week", "earlier this month", "next
//! year", "in July", "three days ago"). A weekday or a bare month means the most recent
//! one on or before the publication date, unless a future marker ("will", "plans to",
//! "scheduled") stands shortly before it, then the next one.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use outpost_core::{DateMention, DatePrecision, Token};

use crate::text::tokenize;

fn month_of(w: &str) -> Option<u32> {
    Some(match w {
        "january" | "jan" => 1,
        "february" | "feb" => 2,
        "march" | "mar" => 3,
        "april" | "apr" => 4,
        "may" => 5,
        "june" | "jun" => 6,
        "july" | "jul" => 7,
        "august" | "aug" => 8,
        "september" | "sep" | "sept" => 9,
        "october" | "oct" => 10,
        "november" | "nov" => 11,
        "december" | "dec" => 12,
        _ => return None,
    })
}

fn weekday_of(w: &str) -> Option<Weekday> {
    Some(match w {
        "monday" => Weekday::Mon,
        "tuesday" => Weekday::Tue,
        "wednesday" => Weekday::Wed,
        "thursday" => Weekday::Thu,
        "friday" => Weekday::Fri,
        "saturday" => Weekday::Sat,
        "sunday" => Weekday::Sun,
        _ => return None,
    })
}

fn small_number(w: &str) -> Option<i64> {
    if let Ok(n) = w.parse::<i64>() {
        return (1..=1000).contains(&n).then_some(n);
    }
    Some(match w {
        "a" | "an" | "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "several" => 3,
        "few" => 3,
        _ => return None,
    })
}

/// "23", "23rd", "1st" → day of month.
fn day_of(w: &str) -> Option<u32> {
    let digits: String = w.chars().take_while(|c| c.is_ascii_digit()).collect();
    let rest = &w[digits.len()..];
    if digits.is_empty() || digits.len() > 2 || !matches!(rest, "" | "st" | "nd" | "rd" | "th") {
        return None;
    }
    let d: u32 = digits.parse().ok()?;
    (1..=31).contains(&d).then_some(d)
}

fn year_of(w: &str) -> Option<i32> {
    if w.len() != 4 || !w.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let y: i32 = w.parse().ok()?;
    (1900..=2100).contains(&y).then_some(y)
}

fn capitalised(t: &Token) -> bool {
    t.text.chars().next().is_some_and(char::is_uppercase)
}

const FUTURE_MARKERS: &[&str] = &[
    "will",
    "'ll",
    "shall",
    "scheduled",
    "planned",
    "plans",
    "plan",
    "planning",
    "due",
    "expected",
    "upcoming",
    "going",
    "intends",
    "intend",
    "set",
    "to be held",
    "would",
];

/// True when a future marker stands within a few tokens before token `i`.
fn future_before(toks: &[Token], i: usize) -> bool {
    let from = i.saturating_sub(8);
    toks[from..i]
        .iter()
        .any(|t| FUTURE_MARKERS.contains(&t.lower.as_str()))
}

fn monday_of(d: NaiveDate) -> NaiveDate {
    d - Duration::days(i64::from(d.weekday().num_days_from_monday()))
}

fn first_of_month(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

fn add_months(d: NaiveDate, n: i32) -> Option<NaiveDate> {
    let total = d.year() * 12 + d.month0() as i32 + n;
    NaiveDate::from_ymd_opt(total.div_euclid(12), total.rem_euclid(12) as u32 + 1, 1)
}

/// Most recent `wd` on or before `pub_date` (`strict`: before), or the next one on or
/// after it (`strict`: after) when `future`.
fn resolve_weekday(wd: Weekday, pub_date: NaiveDate, future: bool, strict: bool) -> NaiveDate {
    let cur = pub_date.weekday().num_days_from_monday() as i64;
    let want = wd.num_days_from_monday() as i64;
    if future {
        let mut diff = (want - cur).rem_euclid(7);
        if strict && diff == 0 {
            diff = 7;
        }
        pub_date + Duration::days(diff)
    } else {
        let mut diff = (cur - want).rem_euclid(7);
        if strict && diff == 0 {
            diff = 7;
        }
        pub_date - Duration::days(diff)
    }
}

/// Month `m` without a year: the closest such month not after the publication month, or
/// (future) not before it.
fn resolve_month(m: u32, pub_date: NaiveDate, future: bool) -> Option<NaiveDate> {
    let y = pub_date.year();
    let this = NaiveDate::from_ymd_opt(y, m, 1)?;
    let pub_month = first_of_month(pub_date);
    if future {
        if this >= pub_month {
            Some(this)
        } else {
            NaiveDate::from_ymd_opt(y + 1, m, 1)
        }
    } else if this <= pub_month {
        Some(this)
    } else {
        NaiveDate::from_ymd_opt(y - 1, m, 1)
    }
}

/// Day and month without a year: the publication year, moved a year back (or forward
/// when future) when that lands far on the wrong side of the publication date.
fn resolve_day_month(m: u32, d: u32, pub_date: NaiveDate, future: bool) -> Option<NaiveDate> {
    let y = pub_date.year();
    let cand = NaiveDate::from_ymd_opt(y, m, d)?;
    if !future && cand > pub_date + Duration::days(7) {
        NaiveDate::from_ymd_opt(y - 1, m, d).or(Some(cand))
    } else if future && cand < pub_date - Duration::days(7) {
        NaiveDate::from_ymd_opt(y + 1, m, d).or(Some(cand))
    } else {
        Some(cand)
    }
}

/// Cheap test: can a date expression start with this (lower-cased) token?
fn could_start(w: &str) -> bool {
    w.as_bytes().first().is_some_and(u8::is_ascii_digit)
        || matches!(
            w,
            "on" | "in"
                | "early"
                | "late"
                | "mid"
                | "since"
                | "by"
                | "until"
                | "during"
                | "from"
                | "before"
                | "after"
                | "last"
                | "next"
                | "this"
                | "past"
                | "earlier"
                | "later"
                | "over"
                | "at"
                | "today"
                | "tonight"
                | "yesterday"
                | "tomorrow"
        )
        || month_of(w).is_some()
        || weekday_of(w).is_some()
        || small_number(w).is_some()
}

struct Found {
    first: usize,
    last: usize,
    date: NaiveDate,
    precision: DatePrecision,
    relative: bool,
}

/// Finds the date expressions of one sentence (`offset` = its byte offset in the
/// article) and resolves them against `pub_date`. Expressions that need the publication
/// date are skipped when it is unknown.
pub fn resolve_dates(
    sentence: &str,
    offset: usize,
    pub_date: Option<NaiveDate>,
) -> Vec<DateMention> {
    let toks = tokenize(sentence, offset);
    resolve_dates_in(sentence, offset, &toks, pub_date)
}

/// [`resolve_dates`] over already-made tokens.
pub(crate) fn resolve_dates_in(
    sentence: &str,
    offset: usize,
    toks: &[Token],
    pub_date: Option<NaiveDate>,
) -> Vec<DateMention> {
    let mut out: Vec<DateMention> = Vec::new();
    let mut i = 0usize;
    while i < toks.len() {
        if let Some(f) = match_at(sentence, offset, toks, i, pub_date) {
            let start = toks[f.first].start;
            let end = toks[f.last].end;
            out.push(DateMention {
                start,
                end,
                text: sentence[start - offset..end - offset].to_string(),
                date: f.date,
                precision: f.precision,
                relative: f.relative,
            });
            i = f.last + 1;
        } else {
            i += 1;
        }
    }
    out
}

fn lw(toks: &[Token], i: usize) -> &str {
    toks.get(i).map_or("", |t| t.lower.as_str())
}

/// True when tokens `a` and `b` touch (no white space between them).
fn adjacent(toks: &[Token], a: usize, b: usize) -> bool {
    match (toks.get(a), toks.get(b)) {
        (Some(x), Some(y)) => x.end == y.start,
        _ => false,
    }
}

fn match_at(
    sentence: &str,
    offset: usize,
    toks: &[Token],
    i: usize,
    pub_date: Option<NaiveDate>,
) -> Option<Found> {
    let _ = (sentence, offset);
    let w = lw(toks, i);
    if !could_start(w) {
        return None;
    }
    // An optional leading preposition included in the span.
    let prep = matches!(
        w,
        "on" | "in" | "since" | "by" | "until" | "during" | "from" | "before" | "after"
    );
    let modifier = matches!(w, "last" | "next" | "this");
    let mut j = if prep || modifier { i + 1 } else { i };
    // "in early July", "mid-July", "late March"
    let mut qualified = false;
    if matches!(lw(toks, j), "early" | "late" | "mid")
        && month_of(lw(toks, j + 1))
            .or(month_of(lw(toks, j + 2)))
            .is_some()
    {
        qualified = true;
        j += 1;
        if lw(toks, j) == "-" {
            j += 1;
        }
    }
    let wj = lw(toks, j);
    let future = || future_before(toks, i);

    // ISO 2021-07-23
    if let Some(y) = year_of(wj) {
        if lw(toks, j + 1) == "-"
            && adjacent(toks, j, j + 1)
            && adjacent(toks, j + 1, j + 2)
            && lw(toks, j + 3) == "-"
            && adjacent(toks, j + 2, j + 3)
            && adjacent(toks, j + 3, j + 4)
        {
            let m: u32 = lw(toks, j + 2).parse().ok()?;
            let d: u32 = lw(toks, j + 4).parse().ok()?;
            let date = NaiveDate::from_ymd_opt(y, m, d)?;
            return Some(Found {
                first: i,
                last: j + 4,
                date,
                precision: DatePrecision::Day,
                relative: false,
            });
        }
        // "in 2019"
        if prep && !matches!(lw(toks, j + 1), "-" | "percent" | "%") {
            let date = NaiveDate::from_ymd_opt(y, 1, 1)?;
            return Some(Found {
                first: i,
                last: j,
                date,
                precision: DatePrecision::Year,
                relative: false,
            });
        }
    }

    // Month-first: "July 23(, 2021)", "Jan. 5", "March 2020", "in July".
    if let Some(m) = month_of(wj).filter(|_| toks.get(j).is_some_and(capitalised)) {
        let mut k = j + 1;
        let abbreviated = wj.len() <= 4 && wj != "june" && wj != "july" && wj != "may";
        if lw(toks, k) == "." {
            k += 1;
        } else if abbreviated && wj != "march" {
            // a bare "Jan" without its period is too ambiguous ("Mar", "Dec" are names)
            return None;
        }
        if let Some(d) = day_of(lw(toks, k)) {
            let mut last = k;
            let mut year = None;
            let mut k2 = k + 1;
            if lw(toks, k2) == "," {
                k2 += 1;
            }
            if let Some(y) = year_of(lw(toks, k2)) {
                year = Some(y);
                last = k2;
            }
            let date = match year {
                Some(y) => NaiveDate::from_ymd_opt(y, m, d)?,
                None => resolve_day_month(m, d, pub_date?, future())?,
            };
            return Some(Found {
                first: i,
                last,
                date,
                precision: DatePrecision::Day,
                relative: false,
            });
        }
        if let Some(y) = year_of(lw(toks, k)) {
            let date = NaiveDate::from_ymd_opt(y, m, 1)?;
            return Some(Found {
                first: i,
                last: k,
                date,
                precision: DatePrecision::Month,
                relative: false,
            });
        }
        if lw(toks, k) == "of"
            && let Some(y) = year_of(lw(toks, k + 1))
        {
            let date = NaiveDate::from_ymd_opt(y, m, 1)?;
            return Some(Found {
                first: i,
                last: k + 1,
                date,
                precision: DatePrecision::Month,
                relative: false,
            });
        }
        // A bare month needs a preposition or modifier before it.
        let before = if i > 0 { lw(toks, i - 1) } else { "" };
        if prep || qualified || matches!(before, "since" | "until") || modifier {
            let pd = pub_date?;
            let date = if w == "last" {
                let c = resolve_month(m, pd, false)?;
                if c == first_of_month(pd) {
                    add_months(c, -12)?
                } else {
                    c
                }
            } else if w == "next" {
                let c = resolve_month(m, pd, true)?;
                if c == first_of_month(pd) {
                    add_months(c, 12)?
                } else {
                    c
                }
            } else {
                resolve_month(m, pd, future())?
            };
            return Some(Found {
                first: i,
                last: j,
                date,
                precision: DatePrecision::Month,
                relative: true,
            });
        }
    }

    // Day-first: "23 July 2021", "23rd of July".
    if let Some(d) = day_of(wj) {
        let mut k = j + 1;
        if lw(toks, k) == "of" {
            k += 1;
        }
        if let Some(m) = month_of(lw(toks, k)).filter(|_| toks.get(k).is_some_and(capitalised)) {
            let mut last = k;
            if lw(toks, k + 1) == "." {
                last = k + 1;
            }
            if let Some(y) = year_of(lw(toks, last + 1)) {
                let date = NaiveDate::from_ymd_opt(y, m, d)?;
                return Some(Found {
                    first: i,
                    last: last + 1,
                    date,
                    precision: DatePrecision::Day,
                    relative: false,
                });
            }
            let date = resolve_day_month(m, d, pub_date?, future())?;
            return Some(Found {
                first: i,
                last: k,
                date,
                precision: DatePrecision::Day,
                relative: false,
            });
        }
    }

    // Weekdays: "on Saturday", "last Friday", "next Monday", "Saturday".
    let (wd_idx, modifier) = match w {
        "last" | "next" | "this" | "past" => (i + 1, Some(w)),
        _ => (j, None),
    };
    if let Some(wd) =
        weekday_of(lw(toks, wd_idx)).filter(|_| toks.get(wd_idx).is_some_and(capitalised))
    {
        let pd = pub_date?;
        let date = match modifier {
            Some("last") | Some("past") => resolve_weekday(wd, pd, false, true),
            Some("next") => resolve_weekday(wd, pd, true, true),
            _ => resolve_weekday(wd, pd, future(), false),
        };
        return Some(Found {
            first: i,
            last: wd_idx,
            date,
            precision: DatePrecision::Day,
            relative: true,
        });
    }

    // today / yesterday / tomorrow / tonight
    match w {
        "today" | "tonight" | "yesterday" | "tomorrow" => {
            let pd = pub_date?;
            let date = match w {
                "yesterday" => pd - Duration::days(1),
                "tomorrow" => pd + Duration::days(1),
                _ => pd,
            };
            return Some(Found {
                first: i,
                last: i,
                date,
                precision: DatePrecision::Day,
                relative: true,
            });
        }
        _ => {}
    }

    // "last week", "this month", "next year", "earlier this month", "later this week".
    let (unit_idx, rel) = match w {
        "last" | "past" | "next" | "this" => (i + 1, w),
        "earlier" | "later" if lw(toks, i + 1) == "this" => (i + 2, "this"),
        _ => (usize::MAX, ""),
    };
    if unit_idx != usize::MAX {
        let unit = lw(toks, unit_idx);
        if matches!(unit, "week" | "month" | "year") {
            let pd = pub_date?;
            let step = match rel {
                "last" | "past" => -1,
                "next" => 1,
                _ => 0,
            };
            let (date, precision) = match unit {
                "week" => (
                    monday_of(pd) + Duration::days(7 * step as i64),
                    DatePrecision::Week,
                ),
                "month" => (add_months(first_of_month(pd), step)?, DatePrecision::Month),
                _ => (
                    NaiveDate::from_ymd_opt(pd.year() + step, 1, 1)?,
                    DatePrecision::Year,
                ),
            };
            return Some(Found {
                first: i,
                last: unit_idx,
                date,
                precision,
                relative: true,
            });
        }
    }

    // "this weekend", "last weekend", "over the weekend", "next weekend": the Saturday.
    let weekend_at = match (w, lw(toks, i + 1), lw(toks, i + 2)) {
        ("this" | "last" | "next" | "past", "weekend", _) => Some((i + 1, w)),
        ("over" | "at" | "during", "the", "weekend") => Some((i + 2, "this")),
        _ => None,
    };
    if let Some((last, rel)) = weekend_at {
        let pd = pub_date?;
        let date = match rel {
            "last" | "past" => resolve_weekday(Weekday::Sat, pd - Duration::days(1), false, false),
            "next" => resolve_weekday(Weekday::Sat, pd, true, true),
            _ if future() => resolve_weekday(Weekday::Sat, pd, true, false),
            _ => {
                // the weekend around or just before the publication date
                if matches!(pd.weekday(), Weekday::Sun) {
                    pd - Duration::days(1)
                } else {
                    resolve_weekday(Weekday::Sat, pd, false, false)
                }
            }
        };
        return Some(Found {
            first: i,
            last,
            date,
            precision: DatePrecision::Week,
            relative: true,
        });
    }

    // "three days ago", "a week ago"
    if let Some(n) = small_number(w) {
        let unit = lw(toks, i + 1);
        if lw(toks, i + 2) == "ago" {
            let pd = pub_date?;
            let (date, precision) = match unit {
                "day" | "days" => (pd - Duration::days(n), DatePrecision::Day),
                "week" | "weeks" => (pd - Duration::days(7 * n), DatePrecision::Week),
                "month" | "months" => (
                    add_months(first_of_month(pd), -(n as i32))?,
                    DatePrecision::Month,
                ),
                "year" | "years" => (
                    NaiveDate::from_ymd_opt(pd.year() - n as i32, 1, 1)?,
                    DatePrecision::Year,
                ),
                _ => return None,
            };
            return Some(Found {
                first: i,
                last: i + 2,
                date,
                precision,
                relative: true,
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// A Saturday.
    fn sat() -> Option<NaiveDate> {
        Some(ymd(2021, 7, 24))
    }

    fn one(s: &str, pd: Option<NaiveDate>) -> (String, NaiveDate, DatePrecision, bool) {
        let v = resolve_dates(s, 0, pd);
        assert_eq!(v.len(), 1, "{s}: {v:?}");
        let d = &v[0];
        assert_eq!(&s[d.start..d.end], d.text);
        (d.text.clone(), d.date, d.precision, d.relative)
    }

    #[test]
    fn absolute_forms() {
        use DatePrecision::*;
        assert_eq!(
            one("The vote was held on July 3 in the north.", sat()),
            ("on July 3".into(), ymd(2021, 7, 3), Day, false)
        );
        assert_eq!(one("Talks opened July 23.", sat()).1, ymd(2021, 7, 23));
        assert_eq!(
            one("It fell on 23 July 2019, officials said.", sat()),
            ("on 23 July 2019".into(), ymd(2019, 7, 23), Day, false)
        );
        assert_eq!(
            one("The ceasefire of 2021-07-23 held.", None),
            ("2021-07-23".into(), ymd(2021, 7, 23), Day, false)
        );
        assert_eq!(
            one("They signed it in March 2020.", sat()),
            ("in March 2020".into(), ymd(2020, 3, 1), Month, false)
        );
        assert_eq!(
            one("The base was built in 2019.", None),
            ("in 2019".into(), ymd(2019, 1, 1), Year, false)
        );
        assert_eq!(one("He arrived on Jan. 5, 2020.", None).1, ymd(2020, 1, 5));
        assert_eq!(
            one("The decree of Sept. 14 stands.", sat()).1,
            ymd(2020, 9, 14)
        );
        assert_eq!(
            one("He left on the 4th of July 2018.", None).1,
            ymd(2018, 7, 4)
        );
    }

    #[test]
    fn weekdays_against_a_saturday() {
        assert_eq!(
            one("The ministers met on Friday.", sat()).1,
            ymd(2021, 7, 23)
        );
        assert_eq!(
            one("The ministers met on Saturday.", sat()).1,
            ymd(2021, 7, 24)
        );
        assert_eq!(
            one("Shelling resumed Sunday night.", sat()).1,
            ymd(2021, 7, 18)
        );
        assert_eq!(
            one("The envoys will meet on Monday.", sat()).1,
            ymd(2021, 7, 26)
        );
        assert_eq!(one("They met last Saturday.", sat()).1, ymd(2021, 7, 17));
        assert_eq!(one("They meet next Saturday.", sat()).1, ymd(2021, 7, 31));
        assert!(one("on Friday", sat()).3);
        assert!(resolve_dates("The ministers met on Friday.", 0, None).is_empty());
    }

    #[test]
    fn relative_words() {
        use DatePrecision::*;
        assert_eq!(
            one("Clashes broke out yesterday.", sat()).1,
            ymd(2021, 7, 23)
        );
        assert_eq!(one("Today the border reopened.", sat()).1, ymd(2021, 7, 24));
        assert_eq!(
            one("Troops arrived last week.", sat()),
            ("last week".into(), ymd(2021, 7, 12), Week, true)
        );
        assert_eq!(one("Troops arrive next week.", sat()).1, ymd(2021, 7, 26));
        assert_eq!(
            one("Refugees crossed earlier this month.", sat()),
            ("earlier this month".into(), ymd(2021, 7, 1), Month, true)
        );
        assert_eq!(one("Drills are held this month.", sat()).2, Month);
        assert_eq!(
            one("Drills will follow next month.", sat()).1,
            ymd(2021, 8, 1)
        );
        assert_eq!(one("Prices fell last month.", sat()).1, ymd(2021, 6, 1));
        assert_eq!(
            one("Elections were held last year.", sat()),
            ("last year".into(), ymd(2020, 1, 1), Year, true)
        );
        assert_eq!(
            one("Elections are due next year.", sat()).1,
            ymd(2022, 1, 1)
        );
        assert_eq!(
            one("The plant closed three days ago.", sat()).1,
            ymd(2021, 7, 21)
        );
        assert_eq!(
            one(
                "Rallies were held over the weekend.",
                Some(ymd(2021, 7, 26))
            ),
            ("over the weekend".into(), ymd(2021, 7, 24), Week, true)
        );
        assert_eq!(
            one("Rallies are planned for next weekend.", sat()).1,
            ymd(2021, 7, 31)
        );
        assert_eq!(
            one("Rallies were held last weekend.", Some(ymd(2021, 7, 26))).1,
            ymd(2021, 7, 24)
        );
    }

    #[test]
    fn bare_months() {
        let pd = Some(ymd(2021, 3, 10));
        assert_eq!(one("The siege began in July.", pd).1, ymd(2020, 7, 1));
        assert_eq!(
            one("The summit will take place in July.", pd).1,
            ymd(2021, 7, 1)
        );
        assert_eq!(one("The siege began in March.", pd).1, ymd(2021, 3, 1));
        assert_eq!(one("It happened last March.", pd).1, ymd(2020, 3, 1));
        assert_eq!(
            one("Fighting flared in early January.", pd),
            (
                "in early January".into(),
                ymd(2021, 1, 1),
                DatePrecision::Month,
                true
            )
        );
        assert_eq!(one("Fighting flared mid-February.", pd).0, "mid-February");
        // "may" the verb is no month.
        assert!(resolve_dates("They may meet again.", 0, pd).is_empty());
    }

    #[test]
    fn day_month_without_year_near_new_year() {
        let pd = Some(ymd(2022, 1, 3));
        assert_eq!(
            one("The raid on Dec. 28 killed two.", pd).1,
            ymd(2021, 12, 28)
        );
    }

    #[test]
    fn offsets_are_shifted() {
        let v = resolve_dates("Met on Friday.", 100, sat());
        assert_eq!((v[0].start, v[0].end), (104, 113));
    }
}
