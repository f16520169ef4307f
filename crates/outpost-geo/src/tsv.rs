//! Parsing of the gazetteer TSV format (documented in `data/README.md`).
//!
//! Rows are validated once and kept as byte ranges into the loaded text ([`Row`]); a full
//! `Place` is built from its line only when asked for, so loading the world gazetteer
//! allocates little.
//!
//! This module uses only `std`: the build script compiles it too, to check and index the
//! embedded gazetteer at compile time (see `index.rs`).

/// The kind of a gazetteer entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Feature {
    /// A country (location = centroid of its main territory).
    Country,
    /// A country's capital city.
    Capital,
    /// Another city or town.
    City,
    /// A first-level administrative region (province, oblast, state…).
    Admin1,
    /// A second-level administrative region (county, district…).
    Admin2,
    /// A named area that is no administrative unit (Donbas, Sahel, Gaza Strip, a sea…).
    Region,
    /// The border area of two neighbouring countries.
    Border,
}

/// Every feature, in the order of their one-byte codes (`Feature as u8`).
pub(crate) const FEATURES: [Feature; 7] = [
    Feature::Country,
    Feature::Capital,
    Feature::City,
    Feature::Admin1,
    Feature::Admin2,
    Feature::Region,
    Feature::Border,
];

impl Feature {
    /// Parses the TSV `feature` column.
    pub fn parse(s: &str) -> Option<Feature> {
        Some(match s {
            "country" => Feature::Country,
            "capital" => Feature::Capital,
            "city" => Feature::City,
            "admin1" => Feature::Admin1,
            "admin2" => Feature::Admin2,
            "region" => Feature::Region,
            "border" => Feature::Border,
            _ => return None,
        })
    }

    /// The name used in the TSV file.
    pub fn as_str(self) -> &'static str {
        match self {
            Feature::Country => "country",
            Feature::Capital => "capital",
            Feature::City => "city",
            Feature::Admin1 => "admin1",
            Feature::Admin2 => "admin2",
            Feature::Region => "region",
            Feature::Border => "border",
        }
    }
}

/// A broken line of a gazetteer file.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TsvError {
    /// The file (or `builtin`) the line is in.
    pub(crate) source: String,
    /// 1-based line number.
    pub(crate) line: usize,
    /// What is wrong.
    pub(crate) message: String,
}

/// The column names, in order, of the header line.
pub(crate) const HEADER: [&str; 14] = [
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
    "code",
    "freq",
    "person",
];

fn err(source: &str, line: usize, message: impl Into<String>) -> TsvError {
    TsvError {
        source: source.to_string(),
        line,
        message: message.into(),
    }
}

fn is_iso3(s: &str) -> bool {
    s.len() == 3 && s.bytes().all(|b| b.is_ascii_uppercase())
}

/// The items of a `|`-separated list field.
pub(crate) fn list(field: &str) -> impl Iterator<Item = &str> {
    field.split('|').map(str::trim).filter(|s| !s.is_empty())
}

/// One validated row: where its line is, and the values the matcher needs at hand.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Row {
    /// Byte range of the line in the gazetteer text.
    pub(crate) start: u32,
    pub(crate) end: u32,
    pub(crate) feature: Feature,
    pub(crate) population: u64,
    pub(crate) freq: f32,
    /// GeoNames feature code, left-aligned, space-padded (`PPLA `).
    pub(crate) code: [u8; 5],
    /// The name is a common first name (bit 1) or surname (bit 2).
    pub(crate) person: u8,
    /// Byte ranges (in the whole text) of the id, name, alt_names, iso3 and demonyms fields.
    pub(crate) spans: [(u32, u32); 5],
}

impl Row {
    /// The GeoNames feature code as a string.
    pub(crate) fn code(&self) -> &str {
        std::str::from_utf8(&self.code).unwrap_or("").trim_end()
    }
}

/// The fields of a row, borrowed from its line.
pub(crate) struct Fields<'a> {
    pub(crate) id: &'a str,
    pub(crate) name: &'a str,
    pub(crate) alt_names: &'a str,
    pub(crate) feature: Feature,
    pub(crate) iso: &'a str,
    pub(crate) admin1: &'a str,
    pub(crate) lat: f64,
    pub(crate) lon: f64,
    pub(crate) population: u64,
    pub(crate) geonameid: Option<u64>,
    pub(crate) demonyms: &'a str,
    pub(crate) code: &'a str,
    pub(crate) freq: f32,
    pub(crate) person: u8,
}

/// Splits and checks one data line; errors are messages without position.
pub(crate) fn fields(line: &str) -> Result<Fields<'_>, String> {
    let mut cols: [&str; 14] = [""; 14];
    let mut n = 0;
    for c in line.split('\t') {
        if n == cols.len() {
            n += 1;
            break;
        }
        cols[n] = c.trim();
        n += 1;
    }
    if !(10..=HEADER.len()).contains(&n) {
        return Err(format!(
            "expected 10 to 14 tab-separated columns, found {n}"
        ));
    }
    let field = |k: usize| cols[k];
    let id = field(0);
    if id.is_empty() {
        return Err("empty id".into());
    }
    let name = field(1);
    if name.is_empty() {
        return Err("empty name".into());
    }
    let feature = Feature::parse(field(3)).ok_or_else(|| {
        format!(
            "unknown feature '{}' (country, capital, city, admin1, admin2, region, border)",
            field(3)
        )
    })?;
    let iso = field(4);
    if feature == Feature::Border {
        let parts: Vec<&str> = iso.split('|').collect();
        if parts.len() != 2 || !parts.iter().all(|p| is_iso3(p)) || parts[0] == parts[1] {
            return Err(format!(
                "a border row needs two different ISO3 codes 'AAA|BBB' in iso3, found '{iso}'"
            ));
        }
    } else if !iso.is_empty() && !is_iso3(iso) {
        return Err(format!("bad ISO3 country code '{iso}'"));
    }
    if feature == Feature::Country && iso.is_empty() {
        return Err("a country row needs its ISO3 code".into());
    }
    let lat: f64 = field(6)
        .parse()
        .ok()
        .filter(|v: &f64| (-90.0..=90.0).contains(v))
        .ok_or_else(|| format!("bad latitude '{}'", field(6)))?;
    let lon: f64 = field(7)
        .parse()
        .ok()
        .filter(|v: &f64| (-180.0..=180.0).contains(v))
        .ok_or_else(|| format!("bad longitude '{}'", field(7)))?;
    let population = match field(8) {
        "" => 0,
        s => s
            .parse::<u64>()
            .map_err(|_| format!("bad population '{s}'"))?,
    };
    let geonameid = match field(9) {
        "" => None,
        s => Some(
            s.parse::<u64>()
                .map_err(|_| format!("bad geonameid '{s}'"))?,
        ),
    };
    let code = field(11);
    if code.len() > 5 || !code.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(format!("bad feature code '{code}'"));
    }
    let freq = match field(12) {
        "" => 0.0,
        s => s
            .parse::<f32>()
            .ok()
            .filter(|v| (0.0..=9.0).contains(v))
            .ok_or_else(|| format!("bad word frequency '{s}'"))?,
    };
    let person = match field(13) {
        "" => 0,
        "F" => 1,
        "L" => 2,
        "FL" => 3,
        s => return Err(format!("bad person flag '{s}' (F, L, FL or empty)")),
    };
    Ok(Fields {
        person,
        id,
        name,
        alt_names: field(2),
        feature,
        iso,
        admin1: field(5),
        lat,
        lon,
        population,
        geonameid,
        demonyms: field(10),
        code,
        freq,
    })
}

/// Parses gazetteer rows from `text`, which starts at byte `base` of the text the rows
/// will point into; `source` names the input in error messages.
///
/// Blank lines and lines starting with `#` are skipped; a line starting with `id\t` is the
/// header and must list the known columns in order. Errors carry 1-based line numbers.
///
/// With `trusted` (the embedded file), duplicate ids are left to the index to find, which
/// saves a pass over a hash set at start-up.
pub(crate) fn parse(
    text: &str,
    base: usize,
    source: &str,
    trusted: bool,
) -> Result<Vec<Row>, TsvError> {
    let mut out = Vec::new();
    let mut seen: std::collections::HashSet<&str> = Default::default();
    let mut pos = 0usize;
    for (i, raw) in text.split('\n').enumerate() {
        let line_start = pos;
        pos += raw.len() + 1;
        let line_no = i + 1;
        let line = raw.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        if line.starts_with("id\t") || line == "id" {
            let cols: Vec<&str> = line.split('\t').collect();
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
        let f = fields(line).map_err(|m| err(source, line_no, m))?;
        if !trusted && !seen.insert(f.id) {
            return Err(err(source, line_no, format!("duplicate id '{}'", f.id)));
        }
        let mut code = [b' '; 5];
        code[..f.code.len()].copy_from_slice(f.code.as_bytes());
        let start = base + line_start;
        let (Ok(s), Ok(e)) = (u32::try_from(start), u32::try_from(start + line.len())) else {
            return Err(err(source, line_no, "gazetteer text too large (over 4 GB)"));
        };
        let at = |f: &str| {
            let o = (base + (f.as_ptr() as usize).saturating_sub(text.as_ptr() as usize)) as u32;
            (o, o + f.len() as u32)
        };
        let spans = [
            at(f.id),
            at(f.name),
            at(f.alt_names),
            at(f.iso),
            at(f.demonyms),
        ];
        out.push(Row {
            spans,
            start: s,
            end: e,
            feature: f.feature,
            population: f.population,
            freq: f.freq,
            person: f.person,
            code,
        });
    }
    Ok(out)
}
