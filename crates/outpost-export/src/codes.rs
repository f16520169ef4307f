//! Code tables the GDELT export needs: ISO3 → FIPS 10-4 / CAMEO country codes
//! (`data/fips.tsv`) and the CAMEO actor-code blocks (`data/cameo_actor_blocks.tsv` in this
//! crate), both embedded and parsed with line-numbered errors; and the split of a CAMEO
//! actor code into GDELT's actor columns.

use std::collections::HashMap;

use crate::ExportError;

/// The embedded ISO3 → FIPS / CAMEO country table (format in `data/README.md`).
pub const FIPS_TSV: &str = include_str!("../../../data/fips.tsv");
/// The embedded CAMEO actor-block table (format in this crate's `data/README.md`).
pub const BLOCKS_TSV: &str = include_str!("../data/cameo_actor_blocks.tsv");

/// One country of `data/fips.tsv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Country {
    /// ISO 3166-1 alpha-3 code.
    pub iso3: String,
    /// FIPS 10-4 code (2 letters); `None` where FIPS has no code for the territory.
    pub fips: Option<String>,
    /// CAMEO country code (the ISO3 code except a few CAMEO legacy codes such as `ROM`).
    pub cameo: String,
    /// English short name.
    pub name: String,
}

/// What a 3-character block of a CAMEO actor code stands for (besides a country).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BlockKind {
    /// A region or other pseudo-country (`AFR`, `MEA`, `WSB`, `---`): a country position.
    Region,
    /// A role / type (`GOV`, `MIL`, `REB`, `IGO`).
    Type,
    /// A known group (`TAL`, `NAT`, `HMS`).
    Group,
    /// A religion (`SUN`, `CHR`).
    Religion,
    /// An ethnic group.
    Ethnic,
}

impl BlockKind {
    fn parse(s: &str) -> Option<BlockKind> {
        Some(match s {
            "region" => BlockKind::Region,
            "type" => BlockKind::Type,
            "group" => BlockKind::Group,
            "religion" => BlockKind::Religion,
            "ethnic" => BlockKind::Ethnic,
            _ => return None,
        })
    }
}

/// The country and actor-block tables.
#[derive(Debug, Clone)]
pub struct Codes {
    countries: Vec<Country>,
    by_iso3: HashMap<String, usize>,
    by_cameo: HashMap<String, usize>,
    blocks: HashMap<String, Vec<BlockKind>>,
}

/// GDELT's split of a CAMEO actor code (Actor*CountryCode … Actor*Type3Code).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActorSplit {
    /// The full code as exported (country block in CAMEO spelling).
    pub code: String,
    /// CAMEO country or region code.
    pub country: String,
    /// Known-group code.
    pub known_group: String,
    /// Ethnic code.
    pub ethnic: String,
    /// First religion code.
    pub religion1: String,
    /// Second religion code.
    pub religion2: String,
    /// Up to three role/type codes.
    pub types: [String; 3],
}

fn data_err(file: &str, line: usize, msg: impl Into<String>) -> ExportError {
    ExportError::Data {
        file: file.to_string(),
        line,
        message: msg.into(),
    }
}

fn is_code(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| b.is_ascii_uppercase())
}

/// Data lines of a TSV table: (1-based line number, fields), skipping blanks, `#` comments
/// and a header line starting with `header0`.
fn rows<'a>(text: &'a str, header0: &'a str) -> impl Iterator<Item = (usize, Vec<&'a str>)> {
    text.lines().enumerate().filter_map(move |(i, l)| {
        let l = l.trim_end_matches('\r');
        if l.trim().is_empty() || l.starts_with('#') || l.split('\t').next() == Some(header0) {
            None
        } else {
            Some((i + 1, l.split('\t').collect()))
        }
    })
}

impl Codes {
    /// The embedded tables.
    pub fn builtin() -> Result<Codes, ExportError> {
        Codes::parse(FIPS_TSV, BLOCKS_TSV)
    }

    /// Parses a country table and a block table (formats in the data READMEs).
    pub fn parse(fips_tsv: &str, blocks_tsv: &str) -> Result<Codes, ExportError> {
        const FIPS: &str = "data/fips.tsv";
        const BLOCKS: &str = "cameo_actor_blocks.tsv";
        let mut codes = Codes {
            countries: Vec::new(),
            by_iso3: HashMap::new(),
            by_cameo: HashMap::new(),
            blocks: HashMap::new(),
        };
        for (line, f) in rows(fips_tsv, "iso3") {
            let [iso3, fips, cameo, name] = f.as_slice() else {
                return Err(data_err(FIPS, line, format!("{} columns, not 4", f.len())));
            };
            if !is_code(iso3, 3) {
                return Err(data_err(FIPS, line, format!("bad ISO3 code {iso3:?}")));
            }
            if !fips.is_empty() && !is_code(fips, 2) {
                return Err(data_err(FIPS, line, format!("bad FIPS code {fips:?}")));
            }
            if !is_code(cameo, 3) {
                return Err(data_err(FIPS, line, format!("bad CAMEO code {cameo:?}")));
            }
            if name.trim().is_empty() {
                return Err(data_err(FIPS, line, "empty name"));
            }
            let i = codes.countries.len();
            if codes.by_iso3.insert(iso3.to_string(), i).is_some() {
                return Err(data_err(FIPS, line, format!("duplicate ISO3 {iso3}")));
            }
            if codes.by_cameo.insert(cameo.to_string(), i).is_some() {
                return Err(data_err(
                    FIPS,
                    line,
                    format!("duplicate CAMEO code {cameo}"),
                ));
            }
            codes.countries.push(Country {
                iso3: iso3.to_string(),
                fips: (!fips.is_empty()).then(|| fips.to_string()),
                cameo: cameo.to_string(),
                name: name.trim().to_string(),
            });
        }
        for (line, f) in rows(blocks_tsv, "code") {
            let [code, kinds, _label] = f.as_slice() else {
                return Err(data_err(
                    BLOCKS,
                    line,
                    format!("{} columns, not 3", f.len()),
                ));
            };
            if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
                return Err(data_err(BLOCKS, line, format!("bad block code {code:?}")));
            }
            let mut parsed = Vec::new();
            for k in kinds.split('|') {
                parsed.push(
                    BlockKind::parse(k)
                        .ok_or_else(|| data_err(BLOCKS, line, format!("unknown kind {k:?}")))?,
                );
            }
            if codes
                .blocks
                .insert(code.to_ascii_uppercase(), parsed)
                .is_some()
            {
                return Err(data_err(BLOCKS, line, format!("duplicate code {code}")));
            }
        }
        Ok(codes)
    }

    /// The country with this ISO3 code, or with this CAMEO code (`ROM`), case-insensitive.
    pub fn country(&self, code: &str) -> Option<&Country> {
        let up = code.to_ascii_uppercase();
        self.by_iso3
            .get(&up)
            .or_else(|| self.by_cameo.get(&up))
            .map(|&i| &self.countries[i])
    }

    /// All countries, in file order.
    pub fn countries(&self) -> &[Country] {
        &self.countries
    }

    /// The FIPS 10-4 code of an ISO3 (or CAMEO) country code.
    pub fn fips(&self, code: &str) -> Option<&str> {
        self.country(code)?.fips.as_deref()
    }

    /// The CAMEO spelling of a country-position block: a country (ISO3 or CAMEO) gives its
    /// CAMEO code, a region / pseudo-country gives itself; anything else `None`.
    pub fn cameo_country(&self, block: &str) -> Option<String> {
        let up = block.to_ascii_uppercase();
        if let Some(c) = self.country(&up) {
            return Some(c.cameo.clone());
        }
        self.kinds(&up).contains(&BlockKind::Region).then_some(up)
    }

    fn kinds(&self, block: &str) -> &[BlockKind] {
        self.blocks.get(block).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Splits a CAMEO actor code into GDELT's columns.
    ///
    /// The first 3-character block is the country when it is a country or region code
    /// (ISO3 codes are respelled in CAMEO: `ROUGOV` → `ROMGOV`). Each later block (and the
    /// first when it is no country) goes to the first free matching column: a known group
    /// (one), a religion (two), an ethnic group (one), a type (three). A block listed as both
    /// group and type (`UNO`, `AMN`, `IRC`) is a group while the group column is free.
    /// Unknown blocks stay only in the full code. `fallback_country` (the actor's ISO3
    /// country) fills the country when the code has none.
    pub fn split_actor(&self, code: &str, fallback_country: Option<&str>) -> ActorSplit {
        let code = code.trim().to_ascii_uppercase();
        let blocks: Vec<&str> = if code.is_ascii() && code.len().is_multiple_of(3) {
            (0..code.len() / 3)
                .map(|i| &code[i * 3..i * 3 + 3])
                .collect()
        } else {
            Vec::new()
        };
        let mut out = ActorSplit {
            code: code.clone(),
            ..ActorSplit::default()
        };
        let mut rest = blocks.as_slice();
        if let Some((first, tail)) = blocks.split_first()
            && let Some(c) = self.cameo_country(first)
        {
            out.code = format!("{c}{}", &code[3..]);
            out.country = c;
            rest = tail;
        }
        let mut n_types = 0;
        for b in rest {
            let kinds = self.kinds(b);
            let has = |k| kinds.contains(&k);
            if has(BlockKind::Group) && out.known_group.is_empty() {
                out.known_group = b.to_string();
            } else if has(BlockKind::Religion) && out.religion1.is_empty() {
                out.religion1 = b.to_string();
            } else if has(BlockKind::Religion) && out.religion2.is_empty() {
                out.religion2 = b.to_string();
            } else if has(BlockKind::Ethnic) && out.ethnic.is_empty() {
                out.ethnic = b.to_string();
            } else if has(BlockKind::Type) && n_types < 3 {
                out.types[n_types] = b.to_string();
                n_types += 1;
            }
        }
        if out.country.is_empty()
            && let Some(c) = fallback_country.and_then(|c| self.country(c))
        {
            out.country = c.cameo.clone();
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_tables_load_and_cover_the_world() {
        let c = Codes::builtin().unwrap();
        assert!(c.countries().len() >= 249, "{}", c.countries().len());
        // FIPS differs from ISO for many countries.
        assert_eq!(c.fips("AFG"), Some("AF"));
        assert_eq!(c.fips("DEU"), Some("GM"));
        assert_eq!(c.fips("AUT"), Some("AU"));
        assert_eq!(c.fips("AUS"), Some("AS"));
        assert_eq!(c.fips("GBR"), Some("UK"));
        assert_eq!(c.fips("TJK"), Some("TI"));
        assert_eq!(c.fips("RUS"), Some("RS"));
        assert_eq!(c.fips("SRB"), Some("RI"));
        assert_eq!(c.fips("SSD"), Some("OD"));
        assert_eq!(c.fips("XKX"), Some("KV"));
        assert_eq!(c.fips("usa"), Some("US"));
        // CAMEO legacy codes.
        assert_eq!(c.country("ROU").unwrap().cameo, "ROM");
        assert_eq!(c.country("ROM").unwrap().iso3, "ROU");
        assert_eq!(c.country("TLS").unwrap().cameo, "TMP");
        assert_eq!(c.country("AFG").unwrap().cameo, "AFG");
        assert!(c.country("XXX").is_none());
    }

    #[test]
    fn actor_codes_split_like_gdelt() {
        let c = Codes::builtin().unwrap();
        let s = c.split_actor("RUSGOVMIL", None);
        assert_eq!(s.country, "RUS");
        assert_eq!(s.types, ["GOV".to_string(), "MIL".into(), String::new()]);
        let s = c.split_actor("AFGINSTAL", None);
        assert_eq!((s.country.as_str(), s.known_group.as_str()), ("AFG", "TAL"));
        assert_eq!(s.types[0], "INS");
        let s = c.split_actor("IGOUNO", None);
        assert_eq!(s.country, "");
        assert_eq!(
            (s.types[0].as_str(), s.known_group.as_str()),
            ("IGO", "UNO")
        );
        let s = c.split_actor("IRQREBSUNMOS", None);
        assert_eq!((s.religion1.as_str(), s.religion2.as_str()), ("SUN", "MOS"));
        let s = c.split_actor("ROUGOV", None);
        assert_eq!((s.code.as_str(), s.country.as_str()), ("ROMGOV", "ROM"));
        let s = c.split_actor("---GOV", Some("UKR"));
        assert_eq!((s.country.as_str(), s.types[0].as_str()), ("---", "GOV"));
        let s = c.split_actor("MIL", Some("ukr"));
        assert_eq!((s.country.as_str(), s.types[0].as_str()), ("UKR", "MIL"));
        let s = c.split_actor("MEAREB", None);
        assert_eq!(s.country, "MEA");
        // Odd lengths are kept whole and not split.
        let s = c.split_actor("ABCD", None);
        assert_eq!((s.code.as_str(), s.country.as_str()), ("ABCD", ""));
    }

    #[test]
    fn broken_rows_are_reported_with_line_numbers() {
        let bad = [
            ("iso3\tfips\tcameo\tname\nAFG\tAF\tAFG\n", 2),
            ("# c\nAFG\taf\tAFG\tAfghanistan\n", 2),
            ("AFG\tAF\tAFG\tAfghanistan\nAFG\tAF\tAFX\tAgain\n", 2),
            ("AFG\tAF\tAFG\tAfghanistan\n\nAFX\tAX\tAFG\tAgain\n", 3),
            ("AF\tAF\tAFG\tAfghanistan\n", 1),
        ];
        for (text, line) in bad {
            match Codes::parse(text, "") {
                Err(ExportError::Data { line: l, .. }) => assert_eq!(l, line, "{text:?}"),
                other => panic!("{text:?}: {other:?}"),
            }
        }
        match Codes::parse("", "code\tkind\tlabel\nGOV\tboss\tx\n") {
            Err(ExportError::Data { line: 2, .. }) => {}
            other => panic!("{other:?}"),
        }
    }
}
