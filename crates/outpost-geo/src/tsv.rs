//! Parsing of the gazetteer TSV format (documented in `data/README.md`).

use crate::{Feature, GeoError, Place};

/// The column names, in order, of the header line.
pub(crate) const HEADER: [&str; 11] = [
    "id",
    "name",
    "alt_names",
    "feature",
    "iso3",
    "admin1",
    "lat",
    "lon",
    "population",
    "geonameid",
    "demonyms",
];

fn err(source: &str, line: usize, message: impl Into<String>) -> GeoError {
    GeoError::Parse {
        source_name: source.to_string(),
        line,
        message: message.into(),
    }
}

fn split_list(field: &str) -> Vec<String> {
    field
        .split('|')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn is_iso3(s: &str) -> bool {
    s.len() == 3 && s.bytes().all(|b| b.is_ascii_uppercase())
}

/// Parses gazetteer rows from `text`; `source` names the input in error messages.
///
/// Blank lines and lines starting with `#` are skipped; a line starting with `id\t` is the
/// header and must list the known columns in order. Errors carry 1-based line numbers.
pub(crate) fn parse(text: &str, source: &str) -> Result<Vec<Place>, GeoError> {
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (i, raw) in text.lines().enumerate() {
        let line_no = i + 1;
        let line = raw.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.first() == Some(&"id") {
            let n = cols.len();
            if n < 10 || n > HEADER.len() || cols[..] != HEADER[..n] {
                return Err(err(
                    source,
                    line_no,
                    format!("header must be: {}", HEADER.join(" ")),
                ));
            }
            continue;
        }
        if cols.len() < 10 || cols.len() > HEADER.len() {
            return Err(err(
                source,
                line_no,
                format!(
                    "expected 10 or 11 tab-separated columns, found {}",
                    cols.len()
                ),
            ));
        }
        let field = |k: usize| cols.get(k).map(|s| s.trim()).unwrap_or("");
        let id = field(0);
        if id.is_empty() {
            return Err(err(source, line_no, "empty id"));
        }
        if !seen.insert(id.to_string()) {
            return Err(err(source, line_no, format!("duplicate id '{id}'")));
        }
        let name = field(1);
        if name.is_empty() {
            return Err(err(source, line_no, "empty name"));
        }
        let feature = Feature::parse(field(3)).ok_or_else(|| {
            err(
                source,
                line_no,
                format!(
                    "unknown feature '{}' (country, capital, city, admin1, region, border)",
                    field(3)
                ),
            )
        })?;
        let iso = field(4);
        let (country, countries) = if feature == Feature::Border {
            let parts: Vec<&str> = iso.split('|').collect();
            if parts.len() != 2 || !parts.iter().all(|p| is_iso3(p)) || parts[0] == parts[1] {
                return Err(err(
                    source,
                    line_no,
                    format!(
                        "a border row needs two different ISO3 codes 'AAA|BBB' in iso3, found '{iso}'"
                    ),
                ));
            }
            (None, parts.iter().map(|s| s.to_string()).collect())
        } else if iso.is_empty() {
            (None, Vec::new())
        } else if is_iso3(iso) {
            (Some(iso.to_string()), vec![iso.to_string()])
        } else {
            return Err(err(
                source,
                line_no,
                format!("bad ISO3 country code '{iso}'"),
            ));
        };
        if feature == Feature::Country && country.is_none() {
            return Err(err(source, line_no, "a country row needs its ISO3 code"));
        }
        let lat: f64 = field(6)
            .parse()
            .ok()
            .filter(|v: &f64| (-90.0..=90.0).contains(v))
            .ok_or_else(|| err(source, line_no, format!("bad latitude '{}'", field(6))))?;
        let lon: f64 = field(7)
            .parse()
            .ok()
            .filter(|v: &f64| (-180.0..=180.0).contains(v))
            .ok_or_else(|| err(source, line_no, format!("bad longitude '{}'", field(7))))?;
        let population = match field(8) {
            "" => 0,
            s => s
                .parse::<u64>()
                .map_err(|_| err(source, line_no, format!("bad population '{s}'")))?,
        };
        let geonameid = match field(9) {
            "" => None,
            s => Some(
                s.parse::<u64>()
                    .map_err(|_| err(source, line_no, format!("bad geonameid '{s}'")))?,
            ),
        };
        let admin1 = Some(field(5)).filter(|s| !s.is_empty()).map(str::to_string);
        out.push(Place {
            id: id.to_string(),
            name: name.to_string(),
            alt_names: split_list(field(2)),
            feature,
            country,
            countries,
            admin1,
            lat,
            lon,
            population,
            geonameid,
            demonyms: split_list(field(10)),
        });
    }
    Ok(out)
}
