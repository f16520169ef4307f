//! The name index of a gazetteer: rows by id, case-folded names to candidate rows (most
//! likely first), the beginnings of many-word names, the prior score of every row.
//!
//! [`build`] makes it from parsed rows. For the embedded gazetteer the build script
//! (`build.rs`, which compiles this module and `tsv.rs` too) checks every row, builds the
//! index at compile time and writes it in the compact binary form of [`Index::to_bytes`];
//! at run time [`Index::from_bytes`] only copies arrays, so loading needs no parsing, no
//! sorting and no hash-map building. The hash tables are open-addressing arrays
//! ([`Table`]) that are stored as they are.
//!
//! This module uses only `std` and `crate::tsv`.

use crate::tsv::{self, FEATURES, Feature, Row};

/// A 64-bit hash of a string (SipHash 1-3 with fixed keys) for the name and id indexes;
/// equality is checked after. The build script and the library are compiled by the same
/// compiler, so both hash alike.
pub(crate) fn hash_str(s: &str) -> u64 {
    use std::hash::Hasher;
    let mut h = std::hash::DefaultHasher::new();
    h.write(s.as_bytes());
    h.finish()
}

/// The key a name is indexed under: lower case, typographic apostrophes and dashes made
/// plain, any white space a single space.
pub(crate) fn fold_key(s: &str, out: &mut String) {
    out.clear();
    if s.is_ascii() {
        out.push_str(s);
        out.make_ascii_lowercase();
        if out.bytes().any(|b| b.is_ascii_whitespace() && b != b' ') {
            *out = out
                .chars()
                .map(|c| if c.is_whitespace() { ' ' } else { c })
                .collect();
        }
        return;
    }
    for c in s.chars() {
        match c {
            '’' | 'ʼ' | '‘' => out.push('\''),
            '–' | '‐' => out.push('-'),
            c if c.is_whitespace() => out.push(' '),
            c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
            c => out.extend(c.to_lowercase()),
        }
    }
}

/// The prior score of a candidate, before any context: feature, GeoNames feature code and
/// population.
pub(crate) fn prior(feature: Feature, population: u64, code: &str) -> f64 {
    let pop = ((population as f64) + 1.0).log10();
    match feature {
        Feature::Country => 9.5 + 0.05 * pop,
        Feature::Capital => 8.5 + 0.1 * pop,
        Feature::City => {
            let bonus = match code {
                "PPLC" => 1.5,
                "PPLA" => 1.0,
                "PPLA2" => 0.4,
                "PPLX" => -0.6,
                _ => 0.0,
            };
            1.5 + 0.8 * pop + bonus
        }
        Feature::Admin1 => 6.5,
        Feature::Admin2 => 5.5,
        Feature::Region => 7.0,
        Feature::Border => 0.0,
    }
}

/// A hash table from 64-bit hashes to `u32` values: open addressing with linear probing
/// in a power-of-two array, hash 0 marking an empty slot (a real hash 0 is stored as 1).
#[derive(Debug, Clone, Default)]
pub(crate) struct Table {
    keys: Vec<u64>,
    vals: Vec<u32>,
}

impl Table {
    /// An empty table with room for `n` entries (load at most 2/3).
    pub(crate) fn with_room(n: usize) -> Table {
        let cap = (n + n / 2 + 1).next_power_of_two().max(8);
        Table {
            keys: vec![0; cap],
            vals: vec![0; cap],
        }
    }

    fn slot(&self, h: u64) -> (usize, u64) {
        let h = h.max(1);
        // the high bits of SipHash are as good as the low ones; mix anyway for safety
        let i = (h ^ (h >> 29)) as usize & (self.keys.len() - 1);
        (i, h)
    }

    /// Inserts or replaces; returns the value the hash had before. The table must have
    /// room (see [`Table::with_room`]).
    pub(crate) fn insert(&mut self, h: u64, v: u32) -> Option<u32> {
        let (mut i, h) = self.slot(h);
        let mask = self.keys.len() - 1;
        loop {
            let k = self.keys[i];
            if k == 0 {
                self.keys[i] = h;
                self.vals[i] = v;
                return None;
            }
            if k == h {
                return Some(std::mem::replace(&mut self.vals[i], v));
            }
            i = (i + 1) & mask;
        }
    }

    /// The value of a hash.
    #[inline]
    pub(crate) fn get(&self, h: u64) -> Option<u32> {
        if self.keys.is_empty() {
            return None;
        }
        let (mut i, h) = self.slot(h);
        let mask = self.keys.len() - 1;
        loop {
            let k = self.keys[i];
            if k == h {
                return Some(self.vals[i]);
            }
            if k == 0 {
                return None;
            }
            i = (i + 1) & mask;
        }
    }

    /// Number of slots.
    #[allow(dead_code)] // used by `to_bytes` (build script and tests)
    fn capacity(&self) -> usize {
        self.keys.len()
    }
}

/// A group of index entries sharing one case-folded name.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Group {
    pub(crate) start: u32,
    /// Entries that are places (the rest, up to `all`, are demonyms).
    pub(crate) places: u32,
    pub(crate) all: u32,
}

/// The rows of a gazetteer and their indexes.
#[derive(Debug, Clone, Default)]
pub(crate) struct Index {
    pub(crate) rows: Vec<Row>,
    /// The prior score of each row (see [`prior`]).
    pub(crate) priors: Vec<f64>,
    /// Hash of the id → row.
    pub(crate) ids: Table,
    /// Hash of the case-folded name → group.
    pub(crate) keys: Table,
    pub(crate) groups: Vec<Group>,
    pub(crate) e_place: Vec<usize>,
    pub(crate) e_primary: Vec<bool>,
    pub(crate) e_name: Vec<(u32, u32)>,
    /// Groups that name countries (country names and demonyms) → the countries (ISO3),
    /// most populous first.
    pub(crate) group_countries: Vec<(u32, Vec<String>)>,
    /// The most words any name has.
    pub(crate) max_words: usize,
    /// Hashes of the case-folded beginnings of many-word names ("new" of "new york"), so
    /// the finder stops extending a span that can start no name (value unused).
    pub(crate) prefixes: Table,
}

/// A field of a row as text.
fn field<'a>(text: &'a str, r: &Row, k: usize) -> &'a str {
    text.get(r.spans[k].0 as usize..r.spans[k].1 as usize)
        .unwrap_or("")
}

/// Byte offset of `part` (a sub-slice of `whole`) in `whole`.
fn offset_in(whole: &str, part: &str) -> usize {
    (part.as_ptr() as usize).saturating_sub(whole.as_ptr() as usize)
}

/// Builds the index of rows parsed from `text`. The only error is a duplicate id, given
/// as (1-based line, message).
pub(crate) fn build(text: &str, rows: Vec<Row>) -> Result<Index, (usize, String)> {
    let n = rows.len();
    let mut ids = Table::with_room(n);
    let priors: Vec<f64> = rows
        .iter()
        .map(|r| prior(r.feature, r.population, r.code()))
        .collect();
    // (name hash, kind: 0 place / 1 demonym, row, primary, name range)
    let mut entries: Vec<(u64, u8, usize, bool, u32, u32)> = Vec::with_capacity(n * 2);
    let mut max_words = 1;
    let mut buf = String::new();
    let mut prefixes: Vec<u64> = Vec::new();
    let mut add = |name: &str, kind: u8, i: usize, primary: bool, entries: &mut Vec<_>| {
        fold_key(name, &mut buf);
        // every beginning that ends a word ("u" and "u." of "u.s.", "new" of "new york")
        let bytes = buf.as_bytes();
        for j in 1..bytes.len() {
            let (prev, b) = (bytes[j - 1], bytes[j]);
            let word_end = (prev.is_ascii_alphanumeric() || prev >= 0x80)
                && !(b.is_ascii_alphanumeric() || b >= 0x80);
            if word_end {
                prefixes.push(hash_str(&buf[..j]));
                if b == b'.' {
                    prefixes.push(hash_str(&buf[..j + 1]));
                }
            }
        }
        let words = 1 + buf.bytes().filter(|&b| b == b' ' || b == b'-').count();
        max_words = max_words.max(words.min(8));
        let s = offset_in(text, name);
        entries.push((
            hash_str(&buf),
            kind,
            i,
            primary,
            s as u32,
            (s + name.len()) as u32,
        ));
    };
    for (i, r) in rows.iter().enumerate() {
        let (id, name, alts, demonyms) = (
            field(text, r, 0),
            field(text, r, 1),
            field(text, r, 2),
            field(text, r, 4),
        );
        if let Some(prev) = ids.insert(hash_str(id), i as u32) {
            let what = if field(text, &rows[prev as usize], 0) == id {
                "duplicate id"
            } else {
                "id hash collision"
            };
            let line = 1 + text
                .get(..r.start as usize)
                .map_or(0, |t| t.matches('\n').count());
            return Err((line, format!("{what} '{id}'")));
        }
        match r.feature {
            Feature::Border => continue,
            Feature::Country => {
                for d in tsv::list(demonyms) {
                    add(d, 1, i, false, &mut entries);
                }
            }
            _ => {}
        }
        add(name, 0, i, true, &mut entries);
        for a in tsv::list(alts) {
            add(a, 0, i, false, &mut entries);
        }
    }
    // by name, places before demonyms, most likely first
    entries.sort_unstable_by(|a, b| {
        a.0.cmp(&b.0)
            .then(a.1.cmp(&b.1))
            .then(priors[b.2].total_cmp(&priors[a.2]))
            .then(a.2.cmp(&b.2))
            .then(b.3.cmp(&a.3))
    });
    let mut groups: Vec<Group> = Vec::new();
    let mut hashes: Vec<u64> = Vec::new();
    let mut e_place = Vec::with_capacity(entries.len());
    let mut e_primary = Vec::with_capacity(entries.len());
    let mut e_name = Vec::with_capacity(entries.len());
    let mut group_countries: Vec<(u32, Vec<String>)> = Vec::new();
    let pop = |i: usize| rows[i].population;
    let mut k = 0;
    while k < entries.len() {
        let h = entries[k].0;
        let mut end = k;
        while end < entries.len() && entries[end].0 == h {
            end += 1;
        }
        let g = groups.len() as u32;
        let start = e_place.len() as u32;
        let mut nplaces = 0u32;
        let mut cs: Vec<(u64, String)> = Vec::new();
        for (j, e) in entries[k..end].iter().enumerate() {
            let dup = j > 0 && {
                let p = &entries[k + j - 1];
                p.1 == e.1 && p.2 == e.2
            };
            if dup {
                continue;
            }
            e_place.push(e.2);
            e_primary.push(e.3);
            e_name.push((e.4, e.5));
            if e.1 == 0 {
                nplaces += 1;
            }
            let r = &rows[e.2];
            if r.feature == Feature::Country {
                let iso = field(text, r, 3).to_string();
                if !cs.iter().any(|(_, c)| *c == iso) {
                    cs.push((pop(e.2), iso));
                }
            }
        }
        if !cs.is_empty() {
            cs.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            group_countries.push((g, cs.into_iter().map(|x| x.1).collect()));
        }
        groups.push(Group {
            start,
            places: nplaces,
            all: e_place.len() as u32 - start,
        });
        hashes.push(h);
        k = end;
    }
    let mut keys = Table::with_room(hashes.len());
    for (g, h) in hashes.into_iter().enumerate() {
        keys.insert(h, g as u32);
    }
    prefixes.sort_unstable();
    prefixes.dedup();
    let mut pre = Table::with_room(prefixes.len());
    for h in prefixes {
        pre.insert(h, 0);
    }
    Ok(Index {
        rows,
        priors,
        ids,
        keys,
        groups,
        e_place,
        e_primary,
        e_name,
        group_countries,
        max_words,
        prefixes: pre,
    })
}

/// The first bytes of the binary form (format version 1).
const MAGIC: &[u8; 8] = b"OPGIDX01";
/// Bytes of one row in the binary form.
const ROW_BYTES: usize = 4 + 4 + 1 + 8 + 4 + 5 + 1 + 40;

/// Appends little-endian numbers.
#[allow(dead_code)] // used by `to_bytes` (build script and tests)
struct Writer(Vec<u8>);

#[allow(dead_code)]
impl Writer {
    fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn len(&mut self, n: usize) {
        self.u64(n as u64);
    }
    fn str(&mut self, s: &str) {
        self.len(s.len());
        self.0.extend_from_slice(s.as_bytes());
    }
    fn table(&mut self, t: &Table) {
        self.len(t.capacity());
        for &k in &t.keys {
            self.u64(k);
        }
        for &v in &t.vals {
            self.u32(v);
        }
    }
}

/// Reads what [`Writer`] wrote; None past the end.
struct Reader<'a> {
    b: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if n > self.b.len() {
            return None;
        }
        let (a, rest) = self.b.split_at(n);
        self.b = rest;
        Some(a)
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
    fn len(&mut self) -> Option<usize> {
        usize::try_from(self.u64()?).ok()
    }
    /// `n` items of `size` bytes each.
    fn items(&mut self, n: usize, size: usize) -> Option<std::slice::ChunksExact<'a, u8>> {
        Some(self.take(n.checked_mul(size)?)?.chunks_exact(size))
    }
    fn str(&mut self) -> Option<&'a str> {
        let n = self.len()?;
        std::str::from_utf8(self.take(n)?).ok()
    }
    fn table(&mut self) -> Option<Table> {
        let cap = self.len()?;
        if cap != 0 && !cap.is_power_of_two() {
            return None;
        }
        let keys = self.items(cap, 8)?.map(le_u64).collect();
        let vals = self.items(cap, 4)?.map(le_u32).collect();
        Some(Table { keys, vals })
    }
}

fn le_u32(c: &[u8]) -> u32 {
    let mut w = [0u8; 4];
    w.copy_from_slice(&c[..4]);
    u32::from_le_bytes(w)
}

fn le_u64(c: &[u8]) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&c[..8]);
    u64::from_le_bytes(w)
}

impl Index {
    /// The binary form, for an index of a text of `text_len` bytes (the build script
    /// writes it).
    #[allow(dead_code)]
    pub(crate) fn to_bytes(&self, text_len: usize) -> Vec<u8> {
        let mut w = Writer(Vec::with_capacity(self.rows.len() * 100));
        w.0.extend_from_slice(MAGIC);
        w.len(text_len);
        w.len(self.max_words);
        w.len(self.rows.len());
        for r in &self.rows {
            w.u32(r.start);
            w.u32(r.end);
            w.0.push(r.feature as u8);
            w.u64(r.population);
            w.u32(r.freq.to_bits());
            w.0.extend_from_slice(&r.code);
            w.0.push(r.person);
            for &(a, b) in &r.spans {
                w.u32(a);
                w.u32(b);
            }
        }
        for &p in &self.priors {
            w.u64(p.to_bits());
        }
        w.table(&self.ids);
        w.table(&self.keys);
        w.table(&self.prefixes);
        w.len(self.groups.len());
        for g in &self.groups {
            w.u32(g.start);
            w.u32(g.places);
            w.u32(g.all);
        }
        w.len(self.e_place.len());
        for &p in &self.e_place {
            w.u32(p as u32);
        }
        for &p in &self.e_primary {
            w.0.push(u8::from(p));
        }
        for &(a, b) in &self.e_name {
            w.u32(a);
            w.u32(b);
        }
        w.len(self.group_countries.len());
        for (g, cs) in &self.group_countries {
            w.u32(*g);
            w.len(cs.len());
            for c in cs {
                w.str(c);
            }
        }
        w.0
    }

    /// Reads the binary form of [`Index::to_bytes`]; None when it is broken or was made
    /// for a text of another length. Row ranges are checked against `text_len`.
    pub(crate) fn from_bytes(b: &[u8], text_len: usize) -> Option<Index> {
        let mut r = Reader { b };
        if r.take(MAGIC.len())? != MAGIC || r.len()? != text_len {
            return None;
        }
        let max_words = r.len()?;
        let n = r.len()?;
        let mut rows = Vec::with_capacity(n);
        let tl = u32::try_from(text_len).ok()?;
        for c in r.items(n, ROW_BYTES)? {
            let feature = *FEATURES.get(usize::from(c[8]))?;
            let mut code = [0u8; 5];
            code.copy_from_slice(&c[21..26]);
            let mut spans = [(0u32, 0u32); 5];
            for (k, s) in spans.iter_mut().enumerate() {
                let o = 27 + 8 * k;
                *s = (le_u32(&c[o..]), le_u32(&c[o + 4..]));
                if s.0 > s.1 || s.1 > tl {
                    return None;
                }
            }
            let (start, end) = (le_u32(c), le_u32(&c[4..]));
            if start > end || end > tl {
                return None;
            }
            rows.push(Row {
                start,
                end,
                feature,
                population: le_u64(&c[9..]),
                freq: f32::from_bits(le_u32(&c[17..])),
                code,
                person: c[26],
                spans,
            });
        }
        let priors = r.items(n, 8)?.map(|c| f64::from_bits(le_u64(c))).collect();
        let ids = r.table()?;
        let keys = r.table()?;
        let prefixes = r.table()?;
        let ng = r.len()?;
        let groups: Vec<Group> = r
            .items(ng, 12)?
            .map(|c| Group {
                start: le_u32(c),
                places: le_u32(&c[4..]),
                all: le_u32(&c[8..]),
            })
            .collect();
        let ne = r.len()?;
        let e_place: Vec<usize> = r.items(ne, 4)?.map(|c| le_u32(c) as usize).collect();
        let e_primary = r.items(ne, 1)?.map(|c| c[0] != 0).collect();
        let e_name: Vec<(u32, u32)> = r
            .items(ne, 8)?
            .map(|c| (le_u32(c), le_u32(&c[4..])))
            .collect();
        // every reference stays inside its array or the text
        let groups_ok = groups
            .iter()
            .all(|g| g.places <= g.all && (g.start as usize).saturating_add(g.all as usize) <= ne);
        let refs_ok = e_place.iter().all(|&p| p < n)
            && e_name.iter().all(|&(a, b)| a <= b && b <= tl)
            && ids.vals.iter().all(|&v| (v as usize) < n)
            && keys.vals.iter().all(|&v| (v as usize) < ng);
        if !groups_ok || !refs_ok {
            return None;
        }
        let nc = r.len()?;
        let mut group_countries = Vec::with_capacity(nc.min(1 << 16));
        for _ in 0..nc {
            let g = r.u32()?;
            if g as usize >= ng {
                return None;
            }
            let k = r.len()?;
            let mut cs = Vec::with_capacity(k.min(16));
            for _ in 0..k {
                cs.push(r.str()?.to_string());
            }
            group_countries.push((g, cs));
        }
        if !r.b.is_empty() {
            return None;
        }
        Some(Index {
            rows,
            priors,
            ids,
            keys,
            groups,
            e_place,
            e_primary,
            e_name,
            group_countries,
            max_words,
            prefixes,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "id\tname\talt_names\tfeature\tiso3\tadmin1\tlat\tlon\tpopulation\tgeonameid\tdemonyms\n\
country:AAA\tAlphaland\tAlpha Republic\tcountry\tAAA\t\t10\t10\t5000000\t1\tAlphan\n\
gn:10\tPort Ville\t\tcapital\tAAA\tNorth\t11\t11\t100000\t10\t\n\
gn:11\tPort Ville\t\tcity\tAAA\t\t12\t12\t900\t11\t\n";

    fn index() -> Index {
        let rows = tsv::parse(TEXT, 0, "t", false).unwrap();
        build(TEXT, rows).unwrap()
    }

    #[test]
    fn table_inserts_and_finds() {
        let mut t = Table::with_room(100);
        for h in 0..100u64 {
            assert_eq!(
                t.insert(h.wrapping_mul(0x9E37_79B9_7F4A_7C15), h as u32),
                None
            );
        }
        for h in 0..100u64 {
            assert_eq!(t.get(h.wrapping_mul(0x9E37_79B9_7F4A_7C15)), Some(h as u32));
        }
        assert_eq!(t.get(12345), None);
        assert_eq!(
            t.insert(0, 7),
            Some(0),
            "hash 0 is stored as 1, which exists"
        );
        assert_eq!(Table::default().get(3), None);
    }

    #[test]
    fn builds_groups_best_first() {
        let ix = index();
        let g = ix.keys.get(hash_str("port ville")).unwrap() as usize;
        let gr = ix.groups[g];
        assert_eq!(gr.places, 2);
        assert_eq!(ix.e_place[gr.start as usize], 1, "the capital first");
        assert!(ix.prefixes.get(hash_str("port")).is_some());
        assert!(ix.prefixes.get(hash_str("alpha")).is_some());
        assert_eq!(ix.max_words, 2);
        // the name, the alternate name and the demonym name the country; the towns do not
        assert_eq!(ix.group_countries.len(), 3);
        let d = ix.keys.get(hash_str("alphan")).unwrap();
        assert!(ix.group_countries.contains(&(d, vec!["AAA".to_string()])));
        assert!(!ix.group_countries.iter().any(|(k, _)| *k as usize == g));
    }

    #[test]
    fn binary_form_round_trips_and_rejects_damage() {
        let ix = index();
        let b = ix.to_bytes(TEXT.len());
        let back = Index::from_bytes(&b, TEXT.len()).unwrap();
        assert_eq!(back.to_bytes(TEXT.len()), b);
        assert_eq!(back.groups, ix.groups);
        assert!(Index::from_bytes(&b, TEXT.len() + 1).is_none());
        assert!(Index::from_bytes(&b[..b.len() - 1], TEXT.len()).is_none());
        let mut bad = b.clone();
        bad[0] = b'X';
        assert!(Index::from_bytes(&bad, TEXT.len()).is_none());
    }

    #[test]
    fn duplicate_ids_are_reported_with_their_line() {
        let text = format!("{TEXT}gn:11\tOther\t\tcity\tAAA\t\t1\t1\t\t\t\n");
        let rows = tsv::parse(&text, 0, "t", true).unwrap();
        let (line, msg) = build(&text, rows).unwrap_err();
        assert_eq!(line, 5);
        assert!(msg.contains("duplicate id 'gn:11'"), "{msg}");
    }
}
