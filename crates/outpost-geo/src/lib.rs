//! Geo: an offline world gazetteer and geoparser (place recognition and resolution).
//!
//! The gazetteer is a data file (`data/gazetteer.tsv.gz`, a gzip-compressed TSV whose format
//! is in `data/README.md`) embedded in the binary, optionally extended or overridden by a
//! user file of the same format. It holds every country (reference point, demonyms), every
//! GeoNames populated place of ≥ 1,000 people plus capitals and admin seats, every
//! first-level region, the second-level regions of ISO 3166-2, continents and named areas,
//! and one border point per pair of neighbouring countries. The build script checks the
//! file and indexes it at compile time, so loading it only copies arrays (a few
//! milliseconds): rows stay byte ranges into the text and a [`Place`] is built only when
//! asked for; [`Gazetteer::builtin`] loads once per process.
//!
//! [`Gazetteer::find`] returns the place names in a text (countries, cities, regions and
//! border phrases such as "the Tajik-Afghan border"), resolved to locations with a scoring
//! of the candidates (feature, population, the countries and regions named elsewhere in
//! the text, the dateline, qualifiers such as "Paris, Texas", nearby places).
//! [`Gazetteer::geoparse`] adds demonyms used as modifiers ("Russian troops" → Russia);
//! [`Gazetteer::resolve_spans`] resolves spans found by someone else; [`bench`] scores both
//! against gold data.
//!
//! It does **not** geocode addresses or streets, know buildings, islands or rivers that are
//! no populated place or region, nor use any model or network.

pub mod bench;
mod find;
mod index;
mod publisher;
mod tsv;

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use outpost_core::{Location, PlaceMention};

pub use publisher::{country_of_url, publisher_context};
pub use tsv::Feature;

pub(crate) use index::fold_key;
use index::{Index, hash_str};

/// The embedded default gazetteer: `data/gazetteer.tsv.gz` (format in `data/README.md`),
/// decompressed by the build script.
const BUILTIN_TSV: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/gazetteer.tsv"));
/// Its index, built and written by the build script (`index::Index::to_bytes`).
const BUILTIN_IDX: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/gazetteer.idx"));

/// Errors from loading gazetteer data.
#[derive(Debug, thiserror::Error)]
pub enum GeoError {
    /// A broken line in a gazetteer file.
    #[error("{source_name} line {line}: {message}")]
    Parse {
        /// The file (or `builtin`) the line is in.
        source_name: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// A user file could not be read.
    #[error("reading {path}: {source}")]
    Io {
        /// The path given.
        path: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The name matcher could not be built.
    #[error("building the place-name matcher: {0}")]
    Matcher(String),
}

impl From<tsv::TsvError> for GeoError {
    fn from(e: tsv::TsvError) -> GeoError {
        GeoError::Parse {
            source_name: e.source,
            line: e.line,
            message: e.message,
        }
    }
}

impl Feature {
    /// The feature name in a [`PlaceMention`]: `country`, `city` (capitals too), `region`
    /// (admin1, admin2 and named areas) or `border`.
    pub fn mention_feature(self) -> &'static str {
        match self {
            Feature::Country => "country",
            Feature::Capital | Feature::City => "city",
            Feature::Admin1 | Feature::Admin2 | Feature::Region => "region",
            Feature::Border => "border",
        }
    }

    /// The [`Location::precision`] value: `country`, `city`, `admin1`, `admin2`, `region`
    /// or `border`.
    pub fn precision(self) -> &'static str {
        match self {
            Feature::Country => "country",
            Feature::Capital | Feature::City => "city",
            Feature::Admin1 => "admin1",
            Feature::Admin2 => "admin2",
            Feature::Region => "region",
            Feature::Border => "border",
        }
    }
}

/// One gazetteer entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    /// Stable id (`country:AFG`, `gn:1138958`, `admin1:TJ:khatlon`, `border:AFG-TJK`, …).
    pub id: String,
    /// Preferred name.
    pub name: String,
    /// Other names the place goes by in English text.
    pub alt_names: Vec<String>,
    /// The kind of place.
    pub feature: Feature,
    /// ISO3 country (None for borders and for areas spanning countries).
    pub country: Option<String>,
    /// The countries involved: one for most places, the two neighbours for a border.
    pub countries: Vec<String>,
    /// First-level region name, when known.
    pub admin1: Option<String>,
    /// Latitude (WGS84).
    pub lat: f64,
    /// Longitude (WGS84).
    pub lon: f64,
    /// Population (0 when unknown).
    pub population: u64,
    /// GeoNames id, when the place comes from GeoNames.
    pub geonameid: Option<u64>,
    /// Demonyms and adjectives of a country ("Afghan").
    pub demonyms: Vec<String>,
    /// GeoNames feature code (`PPLC`, `PPLA`, `PPL`, `ADM1`, …), empty when unknown.
    pub code: String,
    /// How common the name is as an English word (Zipf scale, 0 = not a word, 7 = "of").
    pub freq: f32,
}

impl Place {
    /// The place as an event [`Location`].
    pub fn location(&self) -> Location {
        Location {
            name: self.name.clone(),
            country: self.country.clone(),
            admin1: self.admin1.clone(),
            lat: self.lat,
            lon: self.lon,
            geonameid: self.geonameid,
            precision: self.feature.precision().to_string(),
        }
    }

    /// Rank used to order candidates of one name: countries, then capitals, then the rest.
    fn rank(&self) -> u8 {
        match self.feature {
            Feature::Country => 0,
            Feature::Capital => 1,
            Feature::City => 2,
            Feature::Admin1 => 3,
            Feature::Admin2 => 4,
            Feature::Region => 5,
            Feature::Border => 6,
        }
    }
}

/// What a matched string can stand for (a view into the name index).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Target<'a> {
    /// Places with this name (row indices), most likely first.
    pub(crate) places: &'a [usize],
    /// For each of `places`: true when this is the place's own name (not an alternate).
    pub(crate) primary: &'a [bool],
    /// Countries (ISO3) this string names or is a demonym of, most populous first.
    pub(crate) countries: &'a [String],
    /// True when the string is a demonym or adjective of a country ("Afghan").
    pub(crate) demonym: bool,
    /// The country rows of its demonyms.
    pub(crate) demonym_rows: &'a [usize],
    names: &'a [(u32, u32)],
    text: &'a str,
}

impl<'a> Target<'a> {
    /// The spellings (as in the gazetteer) that share this case-folded key.
    pub(crate) fn spellings(&self) -> impl Iterator<Item = &'a str> + 'a {
        let text = self.text;
        self.names
            .iter()
            .map(move |&(s, e)| text.get(s as usize..e as usize).unwrap_or(""))
    }
}

/// The loaded data and its indexes (shared by clones of a [`Gazetteer`]).
struct Inner {
    /// The gazetteer text; rows and names are byte ranges into it.
    text: Cow<'static, str>,
    ix: Index,
    /// Places built from their rows on first use.
    cells: Vec<OnceLock<Box<Place>>>,
    countries: HashMap<String, usize>,
    borders: HashMap<(String, String), usize>,
    /// Group → countries it names (country names and demonyms).
    group_countries: FastMap<u32, Vec<String>>,
}

/// An offline gazetteer with a place-name finder. Cloning is cheap (the data is shared).
#[derive(Clone)]
pub struct Gazetteer {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Gazetteer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gazetteer")
            .field("places", &self.inner.ix.rows.len())
            .field("names", &self.inner.ix.groups.len())
            .finish()
    }
}

/// A fast hasher for the indexes (FxHash: multiply-rotate over 8-byte words).
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher {
    hash: u64,
}

impl std::hash::Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.hash = (self.hash.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            self.hash = (self.hash.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
        }
    }

    fn write_u64(&mut self, i: u64) {
        const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        self.hash = (self.hash.rotate_left(5) ^ i).wrapping_mul(K);
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}

/// A hash map with [`FxHasher`].
pub(crate) type FastMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<FxHasher>>;

/// A hash set with [`FxHasher`].
pub(crate) type FastSet<K> = std::collections::HashSet<K, std::hash::BuildHasherDefault<FxHasher>>;

/// The built-in gazetteer, loaded once per process.
static BUILTIN: OnceLock<Gazetteer> = OnceLock::new();

impl Gazetteer {
    /// The embedded gazetteer (`data/gazetteer.tsv.gz`), decompressed and indexed on the
    /// first call and shared by later calls in the same process.
    pub fn builtin() -> Result<Gazetteer, GeoError> {
        if let Some(g) = BUILTIN.get() {
            return Ok(g.clone());
        }
        let g = Self::builtin_uncached()?;
        Ok(BUILTIN.get_or_init(|| g).clone())
    }

    /// Loads the embedded gazetteer afresh, without the per-process cache (for timing).
    /// The text and its index were checked and built at compile time; this copies the
    /// index arrays.
    pub fn builtin_uncached() -> Result<Gazetteer, GeoError> {
        let broken = |message: &str| GeoError::Parse {
            source_name: "builtin gazetteer".into(),
            line: 0,
            message: message.into(),
        };
        let text = std::str::from_utf8(BUILTIN_TSV).map_err(|_| broken("not UTF-8"))?;
        let ix = Index::from_bytes(BUILTIN_IDX, text.len())
            .ok_or_else(|| broken("the compiled index does not match the text"))?;
        Ok(Self::from_index(Cow::Borrowed(text), ix))
    }

    /// A gazetteer from TSV text in the documented format; errors carry line numbers.
    pub fn from_tsv(text: &str) -> Result<Gazetteer, GeoError> {
        let rows = tsv::parse(text, 0, "gazetteer", false)?;
        Self::index(Cow::Owned(text.to_string()), rows)
    }

    /// Adds the rows of a user TSV file: a row whose id exists replaces that entry, other
    /// rows are added.
    pub fn with_user_file(self, path: &Path) -> Result<Gazetteer, GeoError> {
        let user = std::fs::read_to_string(path).map_err(|source| GeoError::Io {
            path: path.display().to_string(),
            source,
        })?;
        let name = path.display().to_string();
        let mut text = self.inner.text.to_string();
        text.push('\n');
        let base = text.len();
        let extra = tsv::parse(&user, base, &name, false)?;
        text.push_str(&user);
        let mut rows = self.inner.ix.rows.clone();
        for r in extra {
            let id = row_id(&text, &r);
            match self.row_of_id(id) {
                Some(i) => rows[i] = r,
                None => rows.push(r),
            }
        }
        Self::index(Cow::Owned(text), rows)
    }

    fn row_of_id(&self, id: &str) -> Option<usize> {
        let i = self.inner.ix.ids.get(hash_str(id))? as usize;
        (row_id(&self.inner.text, &self.inner.ix.rows[i]) == id).then_some(i)
    }

    fn index(text: Cow<'static, str>, rows: Vec<tsv::Row>) -> Result<Gazetteer, GeoError> {
        let ix = index::build(&text, rows).map_err(|(line, message)| GeoError::Parse {
            source_name: "gazetteer".into(),
            line,
            message,
        })?;
        Ok(Self::from_index(text, ix))
    }

    /// Wraps an index, with the small maps of countries and borders.
    fn from_index(text: Cow<'static, str>, ix: Index) -> Gazetteer {
        let mut countries = HashMap::new();
        let mut borders = HashMap::new();
        for (i, r) in ix.rows.iter().enumerate() {
            let iso = || {
                text.get(r.spans[3].0 as usize..r.spans[3].1 as usize)
                    .unwrap_or("")
            };
            match r.feature {
                Feature::Country => {
                    countries.insert(iso().to_string(), i);
                }
                Feature::Border => {
                    if let Some((a, b)) = iso().split_once('|') {
                        borders.insert(pair(a, b), i);
                    }
                }
                _ => {}
            }
        }
        let group_countries = ix.group_countries.iter().cloned().collect();
        let cells = (0..ix.rows.len()).map(|_| OnceLock::new()).collect();
        Gazetteer {
            inner: Arc::new(Inner {
                text,
                ix,
                cells,
                countries,
                borders,
                group_countries,
            }),
        }
    }

    /// Place names in `text`, resolved, in text order and not overlapping; byte offsets are
    /// relative to `text`. Demonyms used as adjectives ("Afghan servicemen") are not
    /// returned (they are actors); use [`Gazetteer::geoparse`] to have them as country
    /// mentions too.
    ///
    /// Recognition: names are matched as written in the gazetteer (or with more capitals,
    /// or all in capitals in datelines and headlines), at word boundaries, longest first;
    /// a name after a person's title ("General Milan …") or inside a person's name, and a
    /// small place whose name is a common English word ("Reading", "Mobile") without
    /// support from the rest of the text, are skipped. Border phrases ("the Tajik-Afghan
    /// border", "the border between Tajikistan and Afghanistan", "its border with
    /// Afghanistan") give one mention with feature `border`.
    ///
    /// Resolution scores every candidate of a name: feature and population, the countries
    /// and regions the rest of the text names (places, demonyms, the dateline), a
    /// qualifier right after the name ("Paris, Texas", "Fresno, Calif."), the distance
    /// to the other places of the text, and for regions the towns of the text lying in them;
    /// a small namesake abroad of a prominent place needs local evidence (its region named,
    /// a qualifier, a town nearby or the dateline). The rules are in `data/README.md`.
    pub fn find(&self, text: &str) -> Vec<PlaceMention> {
        find::find(self, text, &[], false)
    }

    /// Like [`Gazetteer::find`], for a piece of a longer document: `context` lists ISO3 codes
    /// of countries named elsewhere in the document (e.g. from [`Gazetteer::mentioned_countries`]
    /// on the whole article), used to resolve ambiguous names.
    pub fn find_in(&self, text: &str, context: &[String]) -> Vec<PlaceMention> {
        find::find(self, text, context, false)
    }

    /// Full geoparsing of an article: like [`Gazetteer::find`], plus demonyms and country
    /// adjectives used as modifiers ("Russian officials", "the Tajik side"), returned with
    /// feature `demonym` and their country's location. Demonyms used as people nouns
    /// ("two Americans"), language names ("in English") and border-guard actors are not
    /// returned.
    pub fn geoparse(&self, text: &str) -> Vec<PlaceMention> {
        find::find(self, text, &[], true)
    }

    /// Like [`Gazetteer::geoparse`], with ISO3 codes of countries known from outside the
    /// text (e.g. the publisher's, from [`country_of_url`]) as weak context.
    pub fn geoparse_in(&self, text: &str, context: &[String]) -> Vec<PlaceMention> {
        find::find(self, text, context, true)
    }

    /// Resolves given spans (byte offsets into `text`, e.g. from a human annotator or
    /// another recogniser) with the same model as [`Gazetteer::geoparse`], using the rest of
    /// the text as context. A span the gazetteer does not know as a whole is resolved as
    /// an adjective of a major place ("Sicilian" → Sicily), else by the longest known name
    /// inside it ("Kenya Airways" → Kenya), else by the place the article is about (its
    /// most named town in its main country); None when the text places nothing.
    pub fn resolve_spans(&self, text: &str, spans: &[(usize, usize)]) -> Vec<Option<Location>> {
        find::resolve_spans(self, text, spans, &[])
    }

    /// Like [`Gazetteer::resolve_spans`], with ISO3 codes of countries known from outside
    /// the text (e.g. the publisher's, from [`country_of_url`]) as weak context, as in
    /// [`Gazetteer::find_in`]; when the text itself names no country, the first of them is
    /// where the article's unknown names fall back to.
    pub fn resolve_spans_in(
        &self,
        text: &str,
        spans: &[(usize, usize)],
        context: &[String],
    ) -> Vec<Option<Location>> {
        find::resolve_spans(self, text, spans, context)
    }

    /// ISO3 codes of the countries a text names (country names, demonyms, places with a
    /// single candidate, border phrases), sorted and de-duplicated.
    pub fn mentioned_countries(&self, text: &str) -> Vec<String> {
        find::mentioned_countries(self, text)
    }

    /// The country-level location (GeoNames reference point) of an ISO3 code.
    pub fn country(&self, iso3: &str) -> Option<Location> {
        let i = *self.inner.countries.get(&iso3.to_ascii_uppercase())?;
        Some(self.place(i).location())
    }

    /// The border area of two neighbouring countries (a point on their shared border, see
    /// `data/README.md`), or None when the gazetteer lists no border between them. The
    /// location's `country` is `a_iso3`, the first country asked for.
    pub fn border(&self, a_iso3: &str, b_iso3: &str) -> Option<Location> {
        let a = a_iso3.to_ascii_uppercase();
        let b = b_iso3.to_ascii_uppercase();
        let i = *self.inner.borders.get(&pair(&a, &b))?;
        let mut loc = self.place(i).location();
        loc.country = Some(a);
        Some(loc)
    }

    /// Candidates for a name (exact spelling first; case-insensitive when nothing matches
    /// exactly), best first: countries, capitals, then by population.
    pub fn lookup(&self, name: &str) -> Vec<&Place> {
        let name = name.trim();
        let mut key = String::new();
        fold_key(name, &mut key);
        let Some(k) = self.target_by_key(&key) else {
            return Vec::new();
        };
        let all = self.target(k).places;
        let exact: Vec<usize> = all
            .iter()
            .copied()
            .filter(|&i| {
                let p = self.place(i);
                p.name == name || p.alt_names.iter().any(|a| a == name)
            })
            .collect();
        let mut v: Vec<&Place> = if exact.is_empty() {
            all.to_vec()
        } else {
            exact
        }
        .into_iter()
        .map(|i| self.place(i))
        .collect();
        v.sort_by(|pa, pb| {
            pa.rank()
                .cmp(&pb.rank())
                .then(pb.population.cmp(&pa.population))
                .then(pa.id.cmp(&pb.id))
        });
        v
    }

    /// The entry with this id.
    pub fn get(&self, id: &str) -> Option<&Place> {
        self.row_of_id(id).map(|i| self.place(i))
    }

    /// All entries, in file order (user rows after the built-in ones).
    pub fn places(&self) -> impl Iterator<Item = &Place> + '_ {
        (0..self.inner.ix.rows.len()).map(|i| self.place(i))
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.inner.ix.rows.len()
    }

    /// True when the gazetteer has no entries.
    pub fn is_empty(&self) -> bool {
        self.inner.ix.rows.is_empty()
    }

    /// ISO3 codes of the countries a demonym or country name stands for ("Afghan" → AFG).
    pub fn countries_for(&self, word: &str) -> Vec<String> {
        self.target_of(word)
            .map(|k| self.target(k).countries.to_vec())
            .unwrap_or_default()
    }

    /// The target of a string written exactly as in the gazetteer (or in capitals).
    pub(crate) fn target_of(&self, word: &str) -> Option<usize> {
        let mut key = String::new();
        fold_key(word, &mut key);
        let k = self.target_by_key(&key)?;
        self.target(k)
            .spellings()
            .any(|s| find::case_ok(word, s, true))
            .then_some(k)
    }

    /// The target of a case-folded key.
    pub(crate) fn target_by_key(&self, key: &str) -> Option<usize> {
        let g = self.inner.ix.keys.get(hash_str(key))? as usize;
        let gr = self.inner.ix.groups[g];
        let (s, e) = self.inner.ix.e_name[gr.start as usize];
        let name = self.inner.text.get(s as usize..e as usize)?;
        if name.is_ascii() {
            let same = name.len() == key.len()
                && name.bytes().zip(key.bytes()).all(|(a, b)| {
                    let a = if a.is_ascii_whitespace() {
                        b' '
                    } else {
                        a.to_ascii_lowercase()
                    };
                    a == b
                });
            return same.then_some(g);
        }
        let mut buf = String::with_capacity(name.len());
        fold_key(name, &mut buf);
        (buf == key).then_some(g)
    }

    /// True when a case-folded key begins some many-word name.
    pub(crate) fn is_prefix(&self, key: &str) -> bool {
        self.inner.ix.prefixes.get(hash_str(key)).is_some()
    }

    pub(crate) fn max_words(&self) -> usize {
        self.inner.ix.max_words
    }

    pub(crate) fn prior(&self, i: usize) -> f64 {
        self.inner.ix.priors[i]
    }

    /// The row's values at hand (feature, population, code, word frequency).
    pub(crate) fn row(&self, i: usize) -> &tsv::Row {
        &self.inner.ix.rows[i]
    }

    pub(crate) fn place(&self, i: usize) -> &Place {
        self.inner.cells[i].get_or_init(|| {
            let r = &self.inner.ix.rows[i];
            let line = self
                .inner
                .text
                .get(r.start as usize..r.end as usize)
                .unwrap_or("");
            Box::new(place_of_line(line))
        })
    }

    pub(crate) fn target(&self, k: usize) -> Target<'_> {
        const NONE: &[String] = &[];
        let inn = &*self.inner;
        let ix = &inn.ix;
        let gr = ix.groups[k];
        let (s, p, a) = (gr.start as usize, gr.places as usize, gr.all as usize);
        let countries = inn
            .group_countries
            .get(&(k as u32))
            .map_or(NONE, Vec::as_slice);
        Target {
            places: &ix.e_place[s..s + p],
            primary: &ix.e_primary[s..s + p],
            countries,
            demonym: a > p,
            demonym_rows: &ix.e_place[s + p..s + a],
            names: &ix.e_name[s..s + a],
            text: &inn.text,
        }
    }

    pub(crate) fn has_border(&self, a: &str, b: &str) -> bool {
        self.inner.borders.contains_key(&pair(a, b))
    }
}

/// The id of a row.
fn row_id<'a>(text: &'a str, r: &tsv::Row) -> &'a str {
    text.get(r.spans[0].0 as usize..r.spans[0].1 as usize)
        .unwrap_or("")
}

/// Builds the full [`Place`] of a validated row's line.
fn place_of_line(line: &str) -> Place {
    match tsv::fields(line) {
        Ok(f) => {
            let (country, countries) = if f.feature == Feature::Border {
                (None, f.iso.split('|').map(str::to_string).collect())
            } else if f.iso.is_empty() {
                (None, Vec::new())
            } else {
                (Some(f.iso.to_string()), vec![f.iso.to_string()])
            };
            Place {
                id: f.id.to_string(),
                name: f.name.to_string(),
                alt_names: tsv::list(f.alt_names).map(str::to_string).collect(),
                feature: f.feature,
                country,
                countries,
                admin1: Some(f.admin1).filter(|s| !s.is_empty()).map(str::to_string),
                lat: f.lat,
                lon: f.lon,
                population: f.population,
                geonameid: f.geonameid,
                demonyms: tsv::list(f.demonyms).map(str::to_string).collect(),
                code: f.code.to_string(),
                freq: f.freq,
            }
        }
        // rows are validated when loaded; an empty place is never reached
        Err(_) => Place {
            id: String::new(),
            name: String::new(),
            alt_names: Vec::new(),
            feature: Feature::Region,
            country: None,
            countries: Vec::new(),
            admin1: None,
            lat: 0.0,
            lon: 0.0,
            population: 0,
            geonameid: None,
            demonyms: Vec::new(),
            code: String::new(),
            freq: 0.0,
        },
    }
}

fn pair(a: &str, b: &str) -> (String, String) {
    if a <= b {
        (a.to_string(), b.to_string())
    } else {
        (b.to_string(), a.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = "# test gazetteer\n\
id\tname\talt_names\tfeature\tiso3\tadmin1\tlat\tlon\tpopulation\tgeonameid\tdemonyms\n\
country:AAA\tAlphaland\tAlpha Republic\tcountry\tAAA\t\t10\t10\t5000000\t1\tAlphan\n\
country:BBB\tBetaland\t\tcountry\tBBB\t\t20\t20\t1000000\t2\tBetan|Beto\n\
country:CCC\tGammaland\t\tcountry\tCCC\t\t-20\t-20\t1000\t\tGamman\n\
gn:10\tPortville\t\tcapital\tAAA\tNorth\t11\t11\t100000\t10\t\n\
gn:11\tPortville\t\tcity\tBBB\t\t21\t21\t900000\t11\t\n\
gn:12\tRivertown\t\tcity\tAAA\t\t12\t12\t500\t12\t\n\
gn:13\tRivertown\t\tcity\tCCC\t\t-21\t-21\t800\t13\t\n\
border:AAA-BBB\tAlphaland–Betaland border\t\tborder\tAAA|BBB\t\t15\t14\t\t\t\n";

    fn small() -> Gazetteer {
        Gazetteer::from_tsv(SMALL).unwrap()
    }

    #[test]
    fn parses_small_file() {
        let g = small();
        assert_eq!(g.len(), 8);
        let p = g.get("gn:10").unwrap();
        assert_eq!(p.feature, Feature::Capital);
        assert_eq!(p.admin1.as_deref(), Some("North"));
        assert_eq!(p.geonameid, Some(10));
        assert_eq!(
            g.get("country:BBB").unwrap().demonyms,
            vec!["Betan", "Beto"]
        );
        assert_eq!(g.countries_for("Beto"), vec!["BBB".to_string()]);
    }

    #[test]
    fn lookup_orders_capital_then_population_and_falls_back_to_case_insensitive() {
        let g = small();
        let ids: Vec<&str> = g
            .lookup("Portville")
            .iter()
            .map(|p| p.id.as_str())
            .collect();
        assert_eq!(ids, ["gn:10", "gn:11"]); // capital before the bigger city
        let ids: Vec<&str> = g
            .lookup("rivertown")
            .iter()
            .map(|p| p.id.as_str())
            .collect();
        assert_eq!(ids, ["gn:13", "gn:12"]); // by population
        assert!(g.lookup("Nowhere").is_empty());
    }

    #[test]
    fn ambiguous_name_prefers_country_named_in_text() {
        let g = small();
        let m = g.find("Talks in Portville went well.");
        assert_eq!(m.len(), 1);
        assert_eq!(
            m[0].location.as_ref().unwrap().country.as_deref(),
            Some("AAA")
        );
        let m = g.find("Betaland said talks in Portville went well, Betan officials added.");
        let port = m.iter().find(|x| x.text == "Portville").unwrap();
        assert_eq!(
            port.location.as_ref().unwrap().country.as_deref(),
            Some("BBB")
        );
        // a dateline counts double
        let m = g.find("BETALAND, May 2 - Talks in Portville went well.");
        let port = m.iter().find(|x| x.text == "Portville").unwrap();
        assert_eq!(
            port.location.as_ref().unwrap().country.as_deref(),
            Some("BBB")
        );
        // a demonym also names the country
        let m = g.find("Alphan officials visited Rivertown.");
        assert_eq!(m.len(), 1);
        assert_eq!(
            m[0].location.as_ref().unwrap().country.as_deref(),
            Some("AAA")
        );
        let m = g.find("Gamman officials visited Rivertown.");
        assert_eq!(
            m[0].location.as_ref().unwrap().country.as_deref(),
            Some("CCC")
        );
        // a small town that nothing in the text supports is not taken for a place
        assert!(g.find("Officials visited Rivertown.").is_empty());
    }

    #[test]
    fn border_of_small_gazetteer() {
        let g = small();
        let b = g.border("bbb", "AAA").unwrap();
        assert_eq!(b.country.as_deref(), Some("BBB"));
        assert_eq!(b.precision, "border");
        assert_eq!((b.lat, b.lon), (15.0, 14.0));
        assert!(g.border("AAA", "CCC").is_none());
        let m = g.find("Shots were fired on the Betan-Alphan frontier overnight.");
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].text, "Betan-Alphan frontier");
        assert_eq!(m[0].feature, "border");
        assert_eq!(
            m[0].location.as_ref().unwrap().country.as_deref(),
            Some("BBB")
        );
        // not neighbours: still a border mention, but no location
        let m = g.find("the Alphan-Gamman border");
        assert_eq!(m.len(), 1);
        assert!(m[0].location.is_none());
    }

    fn parse_err(text: &str) -> (usize, String) {
        match Gazetteer::from_tsv(text) {
            Err(GeoError::Parse { line, message, .. }) => (line, message),
            other => panic!("expected a parse error, got {other:?}"),
        }
    }

    #[test]
    fn broken_lines_are_reported_with_line_numbers() {
        let head = "id\tname\talt_names\tfeature\tiso3\tadmin1\tlat\tlon\tpopulation\tgeonameid\n";
        let ok = "gn:1\tA\t\tcity\tAAA\t\t1\t2\t3\t4\n";
        let (line, msg) = parse_err(&format!("{head}{ok}gn:2\tB\t\tcity\tAAA\t\t95\t2\t3\t4\n"));
        assert_eq!(line, 3);
        assert!(msg.contains("latitude"), "{msg}");
        let (line, msg) = parse_err(&format!(
            "{head}\n{ok}gn:2\tB\t\tvillage\tAAA\t\t1\t2\t3\t4\n"
        ));
        assert_eq!(line, 4);
        assert!(msg.contains("feature"), "{msg}");
        let (line, msg) = parse_err(&format!("{ok}gn:2\tB\tcity\n"));
        assert_eq!(line, 2);
        assert!(msg.contains("columns"), "{msg}");
        let (line, msg) = parse_err(&format!("{ok}{ok}"));
        assert_eq!(line, 2);
        assert!(msg.contains("duplicate"), "{msg}");
        let (_, msg) = parse_err("b:1\tX\t\tborder\tAAA\t\t1\t2\t\t\n");
        assert!(msg.contains("two different ISO3"), "{msg}");
        let (_, msg) = parse_err("gn:1\tA\t\tcity\tAf\t\t1\t2\t3\t4\n");
        assert!(msg.contains("ISO3"), "{msg}");
        let (_, msg) = parse_err("gn:1\tA\t\tcity\tAFG\t\t1\t2\tmany\t4\n");
        assert!(msg.contains("population"), "{msg}");
        let (line, msg) = parse_err("id\tname\tfeature\n");
        assert_eq!(line, 1);
        assert!(msg.contains("header"), "{msg}");
        let err = Gazetteer::from_tsv("gn:1\tA\t\tcity\tAFG\t\t1\t200\t3\t4\n").unwrap_err();
        assert!(err.to_string().contains("line 1"), "{err}");
    }

    #[test]
    fn optional_columns_are_checked() {
        let row = |code: &str, freq: &str, person: &str| {
            format!("gn:1\tMaryville\t\tcity\tAAA\t\t1\t2\t3000\t1\t\t{code}\t{freq}\t{person}\n")
        };
        let g = Gazetteer::from_tsv(&row("PPLA", "2.5", "F")).unwrap();
        let p = g.get("gn:1").unwrap();
        assert_eq!((p.code.as_str(), p.freq), ("PPLA", 2.5));
        let (_, msg) = parse_err(&row("PPLA", "2.5", "X"));
        assert!(msg.contains("person"), "{msg}");
        let (_, msg) = parse_err(&row("PP-LA", "", ""));
        assert!(msg.contains("feature code"), "{msg}");
        let (_, msg) = parse_err(&row("", "12", ""));
        assert!(msg.contains("frequency"), "{msg}");
        let (line, msg) = parse_err(&format!(
            "{}{}",
            row("", "", ""),
            "x\ty\t\tcity\tAAA\t\t1\t2\t\t\t\t\t\t\textra\n"
        ));
        assert_eq!(line, 2);
        assert!(msg.contains("columns"), "{msg}");
    }

    #[test]
    fn builtin_loads_and_is_consistent() {
        let g = Gazetteer::builtin().unwrap();
        assert!(g.len() > 1000);
        for p in g.places() {
            if p.feature == Feature::Border {
                assert_eq!(p.countries.len(), 2, "{}", p.id);
                for c in &p.countries {
                    assert!(g.country(c).is_some(), "{} names unknown {c}", p.id);
                }
            }
        }
        assert_eq!(g.country("afg").unwrap().name, "Afghanistan");
        assert!(g.country("XYZ").is_none());
    }
}
