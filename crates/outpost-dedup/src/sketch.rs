//! Near-duplicate articles: MinHash sketches of word shingles and their LSH bands.
//!
//! A syndicated copy or a lightly edited version of a story (new headline, a trimmed or
//! added paragraph, different site furniture around it) shares most of its word sequences
//! with the original; a different outlet's own write-up of the same event shares few. The
//! measure is the Jaccard similarity of the two texts' sets of [`SHINGLE`]-word shingles
//! (words lower-cased, punctuation ignored), estimated by a MinHash [`Sketch`] of
//! [`HASHES`] values: the share of equal values estimates the Jaccard similarity with a
//! standard error of about `sqrt(J(1-J)/63)` (≤ 0.063).
//!
//! Two articles are one story when the estimate is at least [`SAME_STORY`] (0.5). Measured
//! on hand-made variants: a copy with another headline and one of eight paragraphs cut
//! scores about 0.8; a different outlet's rewrite of the same facts about 0.05–0.2.
//!
//! Finding candidates without comparing against every stored article uses locality
//! sensitive hashing: the first `BANDS × ROWS` sketch values are cut into [`BANDS`] bands of
//! [`ROWS`] values, each hashed to one 64-bit key ([`Sketch::bands`]); articles that share
//! any band key are candidates. The chance that a pair of similarity `s` shares a band is
//! `1 - (1 - s^2)^10`: 0.94 at 0.5, 0.99 at 0.6, 0.10 at 0.1. The store keeps the band keys
//! in an indexed table, so a new article costs [`BANDS`] index look-ups, whatever the size
//! of the database. (Until version 7 it was 21 bands of 3 values: the same 0.94 at 0.5 for
//! twice the look-ups and index rows; the extra candidates of 10 × 2 at low similarity cost
//! one primary-key read each, in one statement.) Band keys use the low 32 bits of each
//! value, as stored, so they can be recomputed from stored sketches.

use xxhash_rust::xxh3::{xxh3_64, xxh3_64_with_seed};

/// Words per shingle.
pub const SHINGLE: usize = 4;
/// MinHash values per sketch.
pub const HASHES: usize = 63;
/// LSH bands.
pub const BANDS: usize = 10;
/// Sketch values per band.
pub const ROWS: usize = 2;
/// Least estimated Jaccard similarity of two articles of the same story.
pub const SAME_STORY: f64 = 0.5;
/// Fewest words a text needs to be sketched; shorter texts (a headline, a caption) are
/// too short to tell copies from chance overlap.
pub const MIN_WORDS: usize = 12;

/// A MinHash sketch of a text's word shingles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sketch {
    mins: [u64; HASHES],
}

/// The finaliser of SplitMix64: a fast, well-mixed 64-bit permutation.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The per-function seeds, derived once from a fixed constant (so sketches stay comparable
/// across runs and builds).
fn seeds() -> [u64; HASHES] {
    let mut s = [0u64; HASHES];
    let mut x = 0x0005_EED0_F0C7_A057_u64;
    for v in &mut s {
        x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
        *v = mix(x);
    }
    s
}

/// Hashes of the words of `text`: runs of letters and digits, lower-cased.
fn word_hashes(text: &str) -> Vec<u64> {
    let mut out = Vec::with_capacity(text.len() / 6);
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut Vec<u64>| {
        if !word.is_empty() {
            out.push(xxh3_64(word.as_bytes()));
            word.clear();
        }
    };
    for c in text.chars() {
        if c.is_alphanumeric() {
            word.extend(c.to_lowercase());
        } else if c != '\'' && c != '’' {
            flush(&mut word, &mut out);
        }
    }
    flush(&mut word, &mut out);
    out
}

impl Sketch {
    /// The sketch of `text`, or `None` when it has fewer than [`MIN_WORDS`] words.
    pub fn of_text(text: &str) -> Option<Sketch> {
        let words = word_hashes(text);
        if words.len() < MIN_WORDS {
            return None;
        }
        let seeds = seeds();
        let mut mins = [u64::MAX; HASHES];
        for w in words.windows(SHINGLE) {
            let mut h = 0u64;
            for &x in w {
                h = mix(h.rotate_left(23) ^ x);
            }
            for (m, s) in mins.iter_mut().zip(seeds.iter()) {
                let v = mix(h ^ s);
                if v < *m {
                    *m = v;
                }
            }
        }
        Some(Sketch { mins })
    }

    /// The estimated Jaccard similarity of the two texts' shingle sets, 0–1. Values are
    /// compared on their low 32 bits, as stored (two different minima agree there by chance
    /// once in four billion comparisons).
    pub fn similarity(&self, other: &Sketch) -> f64 {
        let same = self
            .mins
            .iter()
            .zip(other.mins.iter())
            .filter(|(a, b)| **a as u32 == **b as u32)
            .count();
        same as f64 / HASHES as f64
    }

    /// Whether `other` is the same story by the [`SAME_STORY`] threshold.
    pub fn same_story(&self, other: &Sketch) -> bool {
        self.similarity(other) >= SAME_STORY
    }

    /// The LSH band keys (signed, to fit SQL `BIGINT`): articles sharing one are candidates.
    /// Computed from the low 32 bits of the values, so a sketch read back with
    /// [`Sketch::from_bytes`] gives the same keys.
    pub fn bands(&self) -> [i64; BANDS] {
        let mut out = [0i64; BANDS];
        for (i, (band, chunk)) in out.iter_mut().zip(self.mins.chunks(ROWS)).enumerate() {
            let mut bytes = [0u8; ROWS * 4];
            for (slot, v) in bytes.chunks_mut(4).zip(chunk) {
                slot.copy_from_slice(&(*v as u32).to_le_bytes());
            }
            *band = xxh3_64_with_seed(&bytes, i as u64) as i64;
        }
        out
    }

    /// The sketch as bytes for storage: the low 32 bits of each value, little-endian (enough
    /// for [`Sketch::similarity`], half the size).
    pub fn to_bytes(&self) -> Vec<u8> {
        self.mins
            .iter()
            .flat_map(|v| (*v as u32).to_le_bytes())
            .collect()
    }

    /// A sketch from [`Sketch::to_bytes`] (or from the 64-bit values of earlier versions);
    /// `None` when the length is wrong.
    pub fn from_bytes(bytes: &[u8]) -> Option<Sketch> {
        let mut mins = [0u64; HASHES];
        if bytes.len() == HASHES * 4 {
            for (m, c) in mins.iter_mut().zip(bytes.chunks_exact(4)) {
                *m = u64::from(u32::from_le_bytes([c[0], c[1], c[2], c[3]]));
            }
        } else if bytes.len() == HASHES * 8 {
            for (m, c) in mins.iter_mut().zip(bytes.chunks_exact(8)) {
                let mut b = [0u8; 8];
                b.copy_from_slice(c);
                *m = u64::from_le_bytes(b);
            }
        } else {
            return None;
        }
        Some(Sketch { mins })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORY: &str = "Soldiers from the two countries clashed on Tuesday near the border town \
        of Karvan, leaving at least four dead, officials said. The fighting broke out after a \
        patrol crossed a disputed line in the hills north of the river. Both governments \
        blamed the other side and summoned envoys. Residents said shelling went on through \
        the night and dozens of families fled toward the regional capital. A ceasefire agreed \
        last year had held until this week, according to monitors. The defence ministry said \
        reinforcements were being sent. Talks between the foreign ministers are planned for \
        next month in a neutral capital, diplomats said.";

    fn sketch(t: &str) -> Sketch {
        Sketch::of_text(t).unwrap_or_else(|| panic!("too short: {t}"))
    }

    #[test]
    fn a_trimmed_copy_with_a_new_headline_is_the_same_story() {
        let cut = STORY.rsplit_once(" Talks between").map_or(STORY, |p| p.0);
        let copy =
            format!("Deadly border clash as troops trade fire. {cut} Editor's note: updated.");
        let s = sketch(STORY).similarity(&sketch(&copy));
        assert!(s >= 0.7, "similarity {s}");
        assert!(sketch(STORY).same_story(&sketch(&copy)));
        // Punctuation and case do not matter.
        assert_eq!(
            sketch(STORY).similarity(&sketch(&STORY.to_uppercase())),
            1.0
        );
    }

    #[test]
    fn a_rewrite_in_other_words_is_not() {
        let rewrite = "At least four people were killed when troops of the neighbouring states \
            exchanged fire close to Karvan on Tuesday, according to local officials. The \
            incident began when a patrol strayed across contested ground. Each capital accused \
            the other and called in the ambassadors. Many households left for the provincial \
            centre as artillery fire continued overnight.";
        let s = sketch(STORY).similarity(&sketch(rewrite));
        assert!(s < SAME_STORY, "similarity {s}");
    }

    #[test]
    fn bands_and_bytes_round_trip() {
        let a = sketch(STORY);
        let bytes = a.to_bytes();
        assert_eq!(bytes.len(), HASHES * 4);
        let b = Sketch::from_bytes(&bytes).unwrap();
        assert_eq!(b.similarity(&a), 1.0);
        assert_eq!(b.to_bytes(), bytes);
        // Sketches stored with 64-bit values by earlier versions still compare.
        let old: Vec<u8> = a.mins.iter().flat_map(|v| v.to_le_bytes()).collect();
        assert_eq!(Sketch::from_bytes(&old).unwrap().similarity(&b), 1.0);
        assert_eq!(Sketch::from_bytes(&[1, 2, 3]), None);
        // Band keys come out the same from stored bytes (what migration 7 relies on).
        assert_eq!(b.bands(), a.bands());
        // Identical texts share every band; unrelated texts (almost surely) none.
        let other = sketch(
            "The central bank raised its main interest rate by half a point on Thursday, \
             citing stubborn inflation in food and fuel prices across the economy this year.",
        );
        assert_eq!(a.bands(), sketch(STORY).bands());
        let shared = a
            .bands()
            .iter()
            .filter(|k| other.bands().contains(k))
            .count();
        assert_eq!(shared, 0);
    }

    #[test]
    fn short_texts_are_not_sketched() {
        assert_eq!(Sketch::of_text("Breaking news: clashes reported"), None);
        assert_eq!(Sketch::of_text(""), None);
    }
}
