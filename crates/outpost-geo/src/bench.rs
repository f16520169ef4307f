//! The geoparsing benchmark: recognition and resolution against gold JSONL.
//!
//! Input: one JSON object per line with `id`, `text`, optional `url` (its country-code
//! domain gives the publisher's country as weak context, see [`crate::country_of_url`]) and
//! `toponyms`, each toponym with
//! `start`/`end` (Unicode code-point offsets into `text`, end exclusive), `name`, `lat`,
//! `lon` and `geonameid` (or null). Other fields are ignored.
//!
//! End to end (default), [`Gazetteer::geoparse`] finds and resolves the places itself:
//! recognition precision / recall / F1 count a found span as correct when it overlaps an
//! unmatched gold span (one to one; strict F1 with identical spans is reported too), and
//! resolution is measured on the gold toponyms that were found. With `gold_spans`, the gold
//! spans are given to [`Gazetteer::resolve_spans`] and every gold toponym counts. Resolution
//! accuracy is the share within 161 km (100 miles) of the gold point, and the share with
//! the gold GeoNames id (over the toponyms that have one).
//!
//! It does not score border phrases specially, nor judge the `not_geocoded` spans beyond
//! their counting as false positives when found.

use std::fmt;
use std::path::Path;
use std::time::Instant;

use outpost_core::Location;
use serde_json::Value;

use crate::find::km;
use crate::{Gazetteer, GeoError};

/// Errors of a benchmark run.
#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    /// The gold file could not be read.
    #[error("reading {path}: {source}")]
    Io {
        /// The path given.
        path: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A gold line is not valid JSON or lacks a field.
    #[error("{path} line {line}: {message}")]
    Gold {
        /// The gold file.
        path: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The built-in gazetteer could not be loaded (for the load-time measurement).
    #[error(transparent)]
    Geo(#[from] GeoError),
}

/// One resolution error: a gold toponym placed too far away (or not at all).
#[derive(Debug, Clone, PartialEq)]
pub struct ResolutionError {
    /// The article id.
    pub article: String,
    /// The toponym as written.
    pub text: String,
    /// Gold point and GeoNames id.
    pub gold: (f64, f64, Option<u64>),
    /// What the geoparser chose, if anything.
    pub predicted: Option<Location>,
    /// Distance in km (None when nothing was placed).
    pub km: Option<f64>,
}

/// The result of a benchmark run; `Display` prints a short report.
#[derive(Debug, Clone, PartialEq)]
pub struct GeoBenchReport {
    /// True when the gold spans were given (resolution only).
    pub gold_spans: bool,
    /// Articles read.
    pub articles: usize,
    /// Gold toponyms.
    pub gold: usize,
    /// Spans the geoparser returned (end to end only).
    pub predicted: usize,
    /// Found spans overlapping a gold span (one to one).
    pub matched: usize,
    /// Found spans identical to a gold span.
    pub matched_exact: usize,
    /// Gold toponyms whose resolution was judged (found ones, or all with gold spans).
    pub judged: usize,
    /// Of those, placed within 161 km of the gold point.
    pub within_161km: usize,
    /// Judged toponyms with a gold GeoNames id.
    pub with_id: usize,
    /// Of those, placed at exactly that id.
    pub exact_id: usize,
    /// Time to decompress and index the built-in gazetteer, in milliseconds.
    pub load_ms: f64,
    /// Articles per second (one thread) for recognition and resolution.
    pub articles_per_sec: f64,
    /// The worst resolution errors, farthest first (at most the number asked for).
    pub errors: Vec<ResolutionError>,
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

impl GeoBenchReport {
    /// Recognition precision (overlap).
    pub fn precision(&self) -> f64 {
        ratio(self.matched, self.predicted)
    }
    /// Recognition recall (overlap).
    pub fn recall(&self) -> f64 {
        ratio(self.matched, self.gold)
    }
    /// Recognition F1 (overlap).
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    /// Recognition F1 with identical spans only.
    pub fn f1_exact(&self) -> f64 {
        let (p, r) = (
            ratio(self.matched_exact, self.predicted),
            ratio(self.matched_exact, self.gold),
        );
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    /// Share of judged toponyms within 161 km.
    pub fn accuracy_161km(&self) -> f64 {
        ratio(self.within_161km, self.judged)
    }
    /// Share of judged toponyms (with a gold id) at the gold id.
    pub fn accuracy_exact_id(&self) -> f64 {
        ratio(self.exact_id, self.with_id)
    }
}

impl fmt::Display for GeoBenchReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mode = if self.gold_spans {
            "gold spans (resolution only)"
        } else {
            "end to end (own recognition)"
        };
        writeln!(
            f,
            "geo bench, {mode}: {} articles, {} gold toponyms",
            self.articles, self.gold
        )?;
        if !self.gold_spans {
            writeln!(
                f,
                "recognition: P {:.3} R {:.3} F1 {:.3} (overlap; exact-span F1 {:.3}), {} found, {} matched",
                self.precision(),
                self.recall(),
                self.f1(),
                self.f1_exact(),
                self.predicted,
                self.matched
            )?;
        }
        writeln!(
            f,
            "resolution: {:.1}% within 161 km ({}/{}), exact GeoNames id {:.1}% ({}/{})",
            100.0 * self.accuracy_161km(),
            self.within_161km,
            self.judged,
            100.0 * self.accuracy_exact_id(),
            self.exact_id,
            self.with_id
        )?;
        writeln!(
            f,
            "speed: gazetteer load {:.0} ms, {:.0} articles/s (one thread)",
            self.load_ms, self.articles_per_sec
        )?;
        if !self.errors.is_empty() {
            writeln!(f, "worst errors:")?;
        }
        for e in &self.errors {
            let dist =
                e.km.map_or("unplaced".to_string(), |d| format!("{d:.0} km"));
            let pred = e.predicted.as_ref().map_or("-".to_string(), |l| {
                format!(
                    "{} ({}, {}) {:.2},{:.2} gn:{}",
                    l.name,
                    l.country.as_deref().unwrap_or("-"),
                    l.precision,
                    l.lat,
                    l.lon,
                    l.geonameid.map_or("-".into(), |g| g.to_string())
                )
            });
            writeln!(
                f,
                "  {dist:>9}  {:?} in {}: gold {:.2},{:.2} gn:{} → {pred}",
                e.text,
                e.article,
                e.gold.0,
                e.gold.1,
                e.gold.2.map_or("-".into(), |g| g.to_string())
            )?;
        }
        Ok(())
    }
}

/// One gold toponym, with byte offsets.
struct GoldToponym {
    start: usize,
    end: usize,
    lat: f64,
    lon: f64,
    geonameid: Option<u64>,
}

struct GoldDoc {
    id: String,
    text: String,
    toponyms: Vec<GoldToponym>,
    /// The publisher's country, from the record's `url` (see [`crate::country_of_url`]).
    context: Vec<String>,
}

/// Byte offset of code-point offset `cp` in `text` (the end when past it).
fn byte_at(text: &str, cp: usize) -> usize {
    text.char_indices().nth(cp).map_or(text.len(), |(b, _)| b)
}

fn read_gold(path: &Path) -> Result<Vec<GoldDoc>, BenchError> {
    let name = path.display().to_string();
    let raw = std::fs::read_to_string(path).map_err(|source| BenchError::Io {
        path: name.clone(),
        source,
    })?;
    let mut docs = Vec::new();
    for (i, line) in raw.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let bad = |message: String| BenchError::Gold {
            path: name.clone(),
            line: i + 1,
            message,
        };
        let v: Value = serde_json::from_str(line).map_err(|e| bad(e.to_string()))?;
        let text = v["text"]
            .as_str()
            .ok_or_else(|| bad("no text".into()))?
            .to_string();
        let id = match &v["id"] {
            Value::String(s) => s.clone(),
            Value::Null => format!("line {}", i + 1),
            other => other.to_string(),
        };
        let mut toponyms = Vec::new();
        for t in v["toponyms"].as_array().map(Vec::as_slice).unwrap_or(&[]) {
            let num = |k: &str| {
                t[k].as_f64()
                    .ok_or_else(|| bad(format!("toponym without {k}")))
            };
            let (s, e) = (num("start")? as usize, num("end")? as usize);
            toponyms.push(GoldToponym {
                start: byte_at(&text, s),
                end: byte_at(&text, e),
                lat: num("lat")?,
                lon: num("lon")?,
                geonameid: t["geonameid"].as_u64(),
            });
        }
        let context = crate::publisher_context(v["url"].as_str());
        docs.push(GoldDoc {
            id,
            text,
            toponyms,
            context,
        });
    }
    Ok(docs)
}

/// Runs the benchmark on a gold JSONL file (see the module doc). `errors` is how many of the
/// worst resolution errors to keep in the report.
pub fn run(
    gold: &Path,
    gazetteer: &Gazetteer,
    gold_spans: bool,
    errors: usize,
) -> Result<GeoBenchReport, BenchError> {
    let docs = read_gold(gold)?;
    let t = Instant::now();
    let fresh = Gazetteer::builtin_uncached()?;
    let load_ms = t.elapsed().as_secs_f64() * 1000.0;
    drop(fresh);

    let mut r = GeoBenchReport {
        gold_spans,
        articles: docs.len(),
        gold: docs.iter().map(|d| d.toponyms.len()).sum(),
        predicted: 0,
        matched: 0,
        matched_exact: 0,
        judged: 0,
        within_161km: 0,
        with_id: 0,
        exact_id: 0,
        load_ms,
        articles_per_sec: 0.0,
        errors: Vec::new(),
    };
    let mut errs: Vec<ResolutionError> = Vec::new();
    let mut judge =
        |r: &mut GeoBenchReport, d: &GoldDoc, g: &GoldToponym, loc: Option<Location>| {
            r.judged += 1;
            let dist = loc.as_ref().map(|l| km(l.lat, l.lon, g.lat, g.lon));
            if dist.is_some_and(|x| x <= 161.0) {
                r.within_161km += 1;
            }
            if let Some(id) = g.geonameid {
                r.with_id += 1;
                if loc.as_ref().and_then(|l| l.geonameid) == Some(id) {
                    r.exact_id += 1;
                }
            }
            if dist.is_none_or(|x| x > 161.0) {
                errs.push(ResolutionError {
                    article: d.id.clone(),
                    text: d.text.get(g.start..g.end).unwrap_or("").to_string(),
                    gold: (g.lat, g.lon, g.geonameid),
                    predicted: loc,
                    km: dist,
                });
            }
        };

    // speed: one pass timed (repeated while short, for a stable figure)
    let work = |d: &GoldDoc| -> usize {
        if gold_spans {
            let spans: Vec<(usize, usize)> = d.toponyms.iter().map(|t| (t.start, t.end)).collect();
            gazetteer
                .resolve_spans_in(&d.text, &spans, &d.context)
                .len()
        } else {
            gazetteer.geoparse_in(&d.text, &d.context).len()
        }
    };
    let t = Instant::now();
    let mut passes = 0usize;
    let mut sink = 0usize;
    while passes == 0 || (t.elapsed().as_secs_f64() < 1.0 && passes < 50) {
        for d in &docs {
            sink = sink.wrapping_add(work(d));
        }
        passes += 1;
    }
    let secs = t.elapsed().as_secs_f64().max(1e-9);
    r.articles_per_sec = (docs.len() * passes) as f64 / secs;
    std::hint::black_box(sink);

    for d in &docs {
        if gold_spans {
            let spans: Vec<(usize, usize)> = d.toponyms.iter().map(|t| (t.start, t.end)).collect();
            let locs = gazetteer.resolve_spans_in(&d.text, &spans, &d.context);
            for (g, loc) in d.toponyms.iter().zip(locs) {
                judge(&mut r, d, g, loc);
            }
            continue;
        }
        let found = gazetteer.geoparse_in(&d.text, &d.context);
        r.predicted += found.len();
        let mut used = vec![false; found.len()];
        for g in &d.toponyms {
            let hit = found
                .iter()
                .enumerate()
                .find(|(k, m)| !used[*k] && m.start < g.end && g.start < m.end);
            let Some((k, m)) = hit else { continue };
            used[k] = true;
            r.matched += 1;
            if m.start == g.start && m.end == g.end {
                r.matched_exact += 1;
            }
            judge(&mut r, d, g, m.location.clone());
        }
    }
    errs.sort_by(|a, b| {
        b.km.unwrap_or(f64::INFINITY)
            .total_cmp(&a.km.unwrap_or(f64::INFINITY))
    });
    errs.truncate(errors);
    r.errors = errs;
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    const SMALL: &str = "id\tname\talt_names\tfeature\tiso3\tadmin1\tlat\tlon\tpopulation\tgeonameid\tdemonyms\n\
country:AAA\tAlphaland\t\tcountry\tAAA\t\t10\t10\t5000000\t1\tAlphan\n\
gn:10\tPortville\t\tcapital\tAAA\t\t11\t11\t100000\t10\t\n";

    #[test]
    fn scores_a_small_gold_file() {
        let g = Gazetteer::from_tsv(SMALL).unwrap();
        let mut f = tempfile::NamedTempFile::new().unwrap();
        // "Portville" is right; "Alphaland" is placed 1,000+ km from its gold point
        let text = "Über Portville: Alphan troops left Alphaland.";
        let cp = |s: &str| text[..text.find(s).unwrap()].chars().count();
        let line = serde_json::json!({
            "id": "a1", "text": text,
            "toponyms": [
                {"start": cp("Portville"), "end": cp("Portville") + 9, "name": "Portville",
                 "lat": 11.1, "lon": 11.0, "geonameid": 10},
                {"start": cp("Alphan "), "end": cp("Alphan ") + 6, "name": "Alphan",
                 "lat": 10.0, "lon": 10.0, "geonameid": null},
                {"start": cp("Alphaland"), "end": cp("Alphaland") + 9, "name": "Alphaland",
                 "lat": 30.0, "lon": 10.0, "geonameid": 1}
            ]
        });
        writeln!(f, "{line}").unwrap();
        let r = run(f.path(), &g, false, 5).unwrap();
        assert_eq!(
            (r.gold, r.predicted, r.matched, r.matched_exact),
            (3, 3, 3, 3)
        );
        assert_eq!(
            (r.judged, r.within_161km, r.with_id, r.exact_id),
            (3, 2, 2, 2)
        );
        assert_eq!(r.errors.len(), 1);
        assert_eq!(r.errors[0].text, "Alphaland");
        assert!(r.errors[0].km.unwrap() > 2000.0);
        let shown = r.to_string();
        assert!(shown.contains("F1 1.000"), "{shown}");
        assert!(shown.contains("66.7% within 161 km"), "{shown}");

        let r = run(f.path(), &g, true, 0).unwrap();
        assert_eq!((r.judged, r.within_161km), (3, 2));
        assert!(r.errors.is_empty());
        assert!(!r.to_string().contains("recognition"));
    }

    #[test]
    fn broken_gold_lines_are_reported() {
        let g = Gazetteer::from_tsv(SMALL).unwrap();
        let mut f = tempfile::NamedTempFile::new().unwrap();
        writeln!(f, "{{\"id\":\"x\",\"text\":\"a\"}}\nnot json").unwrap();
        match run(f.path(), &g, false, 0) {
            Err(BenchError::Gold { line, .. }) => assert_eq!(line, 2),
            other => panic!("expected a gold error, got {other:?}"),
        }
    }
}
