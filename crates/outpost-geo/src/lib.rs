//! Geo: an offline gazetteer and a place-name finder.
//!
//! The gazetteer is a data file (`data/gazetteer.tsv`, format in `data/README.md`) embedded
//! in the binary, optionally extended or overridden by a user file of the same format. It
//! holds every country (centroid, demonyms), capitals, big and newsworthy cities, chosen
//! first-level regions and named areas, and one border point per pair of neighbouring
//! countries.
//!
//! [`Gazetteer::find`] returns the place names in a text (countries, cities, regions and
//! border phrases such as "the Tajik-Afghan border"), resolved to locations. It does **not**
//! return demonyms used as adjectives ("Afghan servicemen": that is an actor), nor
//! disambiguate beyond simple rules (see [`Gazetteer::find`]), nor geocode addresses.

mod find;
mod tsv;

use std::collections::HashMap;
use std::path::Path;

use aho_corasick::AhoCorasick;
use outpost_core::{Location, PlaceMention};

/// The embedded default gazetteer.
const BUILTIN_TSV: &str = include_str!("../../../data/gazetteer.tsv");

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
    /// A named area that is no administrative unit (Donbas, Sahel, Gaza Strip, a sea…).
    Region,
    /// The border area of two neighbouring countries.
    Border,
}

impl Feature {
    /// Parses the TSV `feature` column.
    pub fn parse(s: &str) -> Option<Feature> {
        Some(match s {
            "country" => Feature::Country,
            "capital" => Feature::Capital,
            "city" => Feature::City,
            "admin1" => Feature::Admin1,
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
            Feature::Region => "region",
            Feature::Border => "border",
        }
    }

    /// The feature name in a [`PlaceMention`]: `country`, `city` (capitals too), `region`
    /// (admin1 and named areas) or `border`.
    pub fn mention_feature(self) -> &'static str {
        match self {
            Feature::Country => "country",
            Feature::Capital | Feature::City => "city",
            Feature::Admin1 | Feature::Region => "region",
            Feature::Border => "border",
        }
    }

    /// The [`Location::precision`] value: `country`, `city`, `admin1`, `region` or `border`.
    pub fn precision(self) -> &'static str {
        match self {
            Feature::Country => "country",
            Feature::Capital | Feature::City => "city",
            Feature::Admin1 => "admin1",
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
    /// Demonyms and adjectives of a country ("Afghan"), used in border phrases only.
    pub demonyms: Vec<String>,
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
            Feature::Region => 4,
            Feature::Border => 5,
        }
    }
}

/// What a matched string can stand for.
#[derive(Debug, Default, Clone)]
pub(crate) struct Target {
    /// Places with this name (indices into `places`).
    pub(crate) places: Vec<usize>,
    /// Countries (ISO3) this string names or is a demonym of, most populous first.
    pub(crate) countries: Vec<String>,
}

/// An offline gazetteer with a place-name finder.
#[derive(Debug, Clone)]
pub struct Gazetteer {
    places: Vec<Place>,
    by_id: HashMap<String, usize>,
    by_name: HashMap<String, Vec<usize>>,
    by_lower_name: HashMap<String, Vec<usize>>,
    countries: HashMap<String, usize>,
    borders: HashMap<(String, String), usize>,
    matcher: AhoCorasick,
    targets: Vec<Target>,
    pattern_ids: HashMap<String, usize>,
}

impl Gazetteer {
    /// The embedded gazetteer (`data/gazetteer.tsv`).
    pub fn builtin() -> Result<Gazetteer, GeoError> {
        Self::index(tsv::parse(BUILTIN_TSV, "builtin gazetteer")?)
    }

    /// A gazetteer from TSV text in the documented format; errors carry line numbers.
    pub fn from_tsv(text: &str) -> Result<Gazetteer, GeoError> {
        Self::index(tsv::parse(text, "gazetteer")?)
    }

    /// Adds the rows of a user TSV file: a row whose id exists replaces that entry, other
    /// rows are added.
    pub fn with_user_file(self, path: &Path) -> Result<Gazetteer, GeoError> {
        let text = std::fs::read_to_string(path).map_err(|source| GeoError::Io {
            path: path.display().to_string(),
            source,
        })?;
        let name = path.display().to_string();
        let extra = tsv::parse(&text, &name)?;
        let mut places = self.places;
        let mut by_id = self.by_id;
        for p in extra {
            match by_id.get(&p.id) {
                Some(&i) => places[i] = p,
                None => {
                    by_id.insert(p.id.clone(), places.len());
                    places.push(p);
                }
            }
        }
        Self::index(places)
    }

    fn index(places: Vec<Place>) -> Result<Gazetteer, GeoError> {
        let mut by_id = HashMap::new();
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        let mut countries = HashMap::new();
        let mut borders = HashMap::new();
        for (i, p) in places.iter().enumerate() {
            by_id.insert(p.id.clone(), i);
            for n in std::iter::once(&p.name).chain(p.alt_names.iter()) {
                let v = by_name.entry(n.clone()).or_default();
                if !v.contains(&i) {
                    v.push(i);
                }
            }
            match (p.feature, p.countries.as_slice()) {
                (Feature::Country, [c]) => {
                    countries.insert(c.clone(), i);
                }
                (Feature::Border, [a, b]) => {
                    borders.insert(pair(a, b), i);
                }
                _ => {}
            }
        }
        let order = |v: &mut Vec<usize>| {
            v.sort_by(|&a, &b| {
                let (pa, pb) = (&places[a], &places[b]);
                pa.rank()
                    .cmp(&pb.rank())
                    .then(pb.population.cmp(&pa.population))
                    .then(pa.id.cmp(&pb.id))
            })
        };
        for v in by_name.values_mut() {
            order(v);
        }
        let mut by_lower_name: HashMap<String, Vec<usize>> = HashMap::new();
        for (n, v) in &by_name {
            let e = by_lower_name.entry(n.to_lowercase()).or_default();
            for &i in v {
                if !e.contains(&i) {
                    e.push(i);
                }
            }
        }
        for v in by_lower_name.values_mut() {
            order(v);
        }

        // Matcher patterns: every name (and its upper-case form), every demonym.
        let mut pattern_ids: HashMap<String, usize> = HashMap::new();
        let mut patterns: Vec<String> = Vec::new();
        let mut targets: Vec<Target> = Vec::new();
        let mut slot = |s: &str, patterns: &mut Vec<String>, targets: &mut Vec<Target>| -> usize {
            *pattern_ids.entry(s.to_string()).or_insert_with(|| {
                patterns.push(s.to_string());
                targets.push(Target::default());
                patterns.len() - 1
            })
        };
        let variants = |s: &str| -> Vec<String> {
            let mut v = vec![s.to_string()];
            let up = s.to_uppercase();
            if up != s && s.chars().filter(|c| c.is_alphabetic()).count() >= 4 {
                v.push(up);
            }
            v
        };
        let mut names: Vec<&String> = by_name.keys().collect();
        names.sort();
        for n in names {
            for v in variants(n) {
                let k = slot(&v, &mut patterns, &mut targets);
                for &i in &by_name[n] {
                    if !targets[k].places.contains(&i) {
                        targets[k].places.push(i);
                    }
                    if places[i].feature == Feature::Country {
                        let c = places[i].countries[0].clone();
                        if !targets[k].countries.contains(&c) {
                            targets[k].countries.push(c);
                        }
                    }
                }
            }
        }
        let mut country_list: Vec<usize> = countries.values().copied().collect();
        country_list.sort_by(|&a, &b| {
            places[b]
                .population
                .cmp(&places[a].population)
                .then(places[a].id.cmp(&places[b].id))
        });
        for &i in &country_list {
            for d in &places[i].demonyms {
                for v in variants(d) {
                    let k = slot(&v, &mut patterns, &mut targets);
                    let c = places[i].countries[0].clone();
                    if !targets[k].countries.contains(&c) {
                        targets[k].countries.push(c);
                    }
                }
            }
        }
        for t in &mut targets {
            order(&mut t.places);
        }
        let matcher = AhoCorasick::new(&patterns).map_err(|e| GeoError::Matcher(e.to_string()))?;
        Ok(Gazetteer {
            places,
            by_id,
            by_name,
            by_lower_name,
            countries,
            borders,
            matcher,
            targets,
            pattern_ids,
        })
    }

    /// Place names in `text`, resolved, in text order and not overlapping; byte offsets are
    /// relative to `text`.
    ///
    /// Rules: names are matched case-sensitively as written in the gazetteer, or in full
    /// upper case for names of four letters or more (datelines: "KABUL (Reuters) -"); a
    /// match must start and end at word boundaries; the longest match wins; a name right
    /// after a person's title ("General Milan …", "Mr. Jordan") is skipped. Border phrases
    /// ("the Tajik-Afghan border", "Afghanistan–Tajikistan frontier", "the border between
    /// Tajikistan and Afghanistan", "Tajikistan's border with Afghanistan") give one mention
    /// with feature `border`; demonyms count only inside such phrases. One-country phrases
    /// ("the Afghan border", "its border with Afghanistan") are placed on the border with the
    /// neighbour named nearest in the text (or in `context`), and dropped when there is none;
    /// the location's `country` is the first country of the phrase as written, or for "its
    /// border with X" the inferred neighbour. A name with several
    /// candidates resolves to the one whose country is named elsewhere in the text, then to
    /// a country, then a capital, then the most populous.
    pub fn find(&self, text: &str) -> Vec<PlaceMention> {
        find::find(self, text, &[])
    }

    /// Like [`Gazetteer::find`], for a piece of a longer document: `context` lists ISO3 codes
    /// of countries named elsewhere in the document (e.g. from [`Gazetteer::mentioned_countries`]
    /// on the whole article), used to resolve ambiguous names.
    pub fn find_in(&self, text: &str, context: &[String]) -> Vec<PlaceMention> {
        find::find(self, text, context)
    }

    /// ISO3 codes of the countries a text names (country names, demonyms, places with a
    /// single candidate, border phrases), sorted and de-duplicated.
    pub fn mentioned_countries(&self, text: &str) -> Vec<String> {
        find::mentioned_countries(self, text)
    }

    /// The country-level location (centroid of the main territory) of an ISO3 code.
    pub fn country(&self, iso3: &str) -> Option<Location> {
        let i = *self.countries.get(&iso3.to_ascii_uppercase())?;
        Some(self.places[i].location())
    }

    /// The border area of two neighbouring countries (a point on their shared border, see
    /// `data/README.md`), or None when the gazetteer lists no border between them. The
    /// location's `country` is `a_iso3`, the first country asked for.
    pub fn border(&self, a_iso3: &str, b_iso3: &str) -> Option<Location> {
        let a = a_iso3.to_ascii_uppercase();
        let b = b_iso3.to_ascii_uppercase();
        let i = *self.borders.get(&pair(&a, &b))?;
        let mut loc = self.places[i].location();
        loc.country = Some(a);
        Some(loc)
    }

    /// Candidates for a name (exact spelling first; case-insensitive when nothing matches
    /// exactly), best first: countries, capitals, then by population.
    pub fn lookup(&self, name: &str) -> Vec<&Place> {
        let name = name.trim();
        let idx = self
            .by_name
            .get(name)
            .or_else(|| self.by_lower_name.get(&name.to_lowercase()));
        idx.map(|v| v.iter().map(|&i| &self.places[i]).collect())
            .unwrap_or_default()
    }

    /// The entry with this id.
    pub fn get(&self, id: &str) -> Option<&Place> {
        self.by_id.get(id).map(|&i| &self.places[i])
    }

    /// All entries, in file order (user rows after the built-in ones).
    pub fn places(&self) -> &[Place] {
        &self.places
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.places.len()
    }

    /// True when the gazetteer has no entries.
    pub fn is_empty(&self) -> bool {
        self.places.is_empty()
    }

    /// ISO3 codes of the countries a demonym or country name stands for ("Afghan" → AFG).
    pub fn countries_for(&self, word: &str) -> Vec<String> {
        self.matcher_target(word)
            .map(|t| t.countries.clone())
            .unwrap_or_default()
    }

    fn matcher_target(&self, word: &str) -> Option<&Target> {
        self.pattern_ids.get(word).map(|&k| &self.targets[k])
    }

    pub(crate) fn place(&self, i: usize) -> &Place {
        &self.places[i]
    }

    pub(crate) fn matcher(&self) -> &AhoCorasick {
        &self.matcher
    }

    pub(crate) fn target(&self, pattern: usize) -> &Target {
        &self.targets[pattern]
    }

    pub(crate) fn has_border(&self, a: &str, b: &str) -> bool {
        self.borders.contains_key(&pair(a, b))
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
        let m = g.find("Betaland said talks in Portville went well.");
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
        let m = g.find("Officials visited Rivertown.");
        assert_eq!(
            m[0].location.as_ref().unwrap().country.as_deref(),
            Some("CCC")
        );
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
