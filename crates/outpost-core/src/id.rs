//! Stable content fingerprints used as ids.
//!
//! Ids are the first 16 hex digits of the 128-bit XXH3 hash of their input, so the same
//! content always gets the same id on every machine and in every run.

use xxhash_rust::xxh3::xxh3_128;

/// A 16-hex-digit fingerprint of `bytes` (stable across runs and platforms).
pub fn fingerprint(bytes: &[u8]) -> String {
    let h = xxh3_128(bytes);
    format!("{:016x}", (h >> 64) as u64)
}

/// Fingerprint of an article's text, normalised so that whitespace differences and
/// letter case do not change it: the exact-duplicate key for articles.
pub fn text_fingerprint(text: &str) -> String {
    let mut norm = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !norm.is_empty() {
            norm.push(' ');
        }
        for c in word.chars() {
            norm.extend(c.to_lowercase());
        }
    }
    fingerprint(norm.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_is_stable_and_16_hex() {
        let a = fingerprint(b"hello");
        assert_eq!(a.len(), 16);
        assert_eq!(a, fingerprint(b"hello"));
        assert_ne!(a, fingerprint(b"hello!"));
    }

    #[test]
    fn text_fingerprint_ignores_spacing_and_case() {
        assert_eq!(
            text_fingerprint("Troops  crossed\nthe border."),
            text_fingerprint("troops crossed the Border.")
        );
        assert_ne!(
            text_fingerprint("Troops crossed the border."),
            text_fingerprint("Troops left the border.")
        );
    }
}
