//! Near-duplicate detection: MinHash over word shingles with LSH bands.
//!
//! A document's shingles are its word 3-grams (lower-cased alphanumeric
//! words). Its signature keeps, for each of [`K`] hash functions, the
//! smallest hash over its shingles; the share of equal positions in two
//! signatures estimates the Jaccard similarity of the shingle sets. A
//! syndicated copy (another headline, byline or footer around the same
//! body) shares most shingles with the original; another article almost
//! none. Lookup is by locality-sensitive hashing: the signature is cut
//! into [`BANDS`] bands of [`ROWS`] values; documents sharing a band are
//! candidates, and a candidate is a duplicate when the estimated
//! similarity reaches [`MIN_SIMILARITY`]. With 24 bands of 4 rows, a pair
//! at similarity 0.7 becomes a candidate with probability > 0.999.

use xxhash_rust::xxh3::{xxh3_64, xxh3_64_with_seed};

/// Documents with fewer words than this get no signature: short texts
/// share shingles too easily (they are still matched when exactly equal).
pub const MIN_WORDS: usize = 30;
/// Estimated Jaccard similarity from which a document is a near-duplicate.
pub const MIN_SIMILARITY: f64 = 0.7;
/// Hash functions in a signature.
pub const K: usize = BANDS * ROWS;
/// LSH bands, and values per band.
pub const BANDS: usize = 24;
pub const ROWS: usize = 4;
const SHINGLE: usize = 3;

/// A MinHash signature.
pub type Signature = Vec<u32>;

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .collect()
}

/// The MinHash signature of `text`, or `None` when it is too short.
pub fn signature(text: &str) -> Option<Signature> {
    let words = words(text);
    if words.len() < MIN_WORDS {
        return None;
    }
    let mut shingles: Vec<u64> = words
        .windows(SHINGLE)
        .map(|w| {
            let mut h = 0u64;
            for (i, x) in w.iter().enumerate() {
                h ^= xxh3_64_with_seed(x.as_bytes(), i as u64 + 1);
            }
            h
        })
        .collect();
    shingles.sort_unstable();
    shingles.dedup();
    // K hash functions from one: multiply-shift with fixed odd multipliers.
    let mut sig = vec![u32::MAX; K];
    let params: Vec<(u64, u64)> = (0..K as u64)
        .map(|i| {
            (
                xxh3_64(&i.to_le_bytes()) | 1,
                xxh3_64(&(i + 1000).to_le_bytes()),
            )
        })
        .collect();
    for s in shingles {
        for (slot, (a, b)) in sig.iter_mut().zip(&params) {
            let v = (a.wrapping_mul(s).wrapping_add(*b) >> 32) as u32;
            if v < *slot {
                *slot = v;
            }
        }
    }
    Some(sig)
}

/// The band keys of a signature (one per band, band number mixed in).
pub fn bands(sig: &[u32]) -> Vec<i64> {
    sig.chunks(ROWS)
        .enumerate()
        .map(|(i, c)| {
            let mut buf = Vec::with_capacity(4 + ROWS * 4);
            buf.extend_from_slice(&(i as u32).to_le_bytes());
            for v in c {
                buf.extend_from_slice(&v.to_le_bytes());
            }
            xxh3_64(&buf) as i64
        })
        .collect()
}

/// Estimated Jaccard similarity of two signatures.
pub fn similarity(a: &[u32], b: &[u32]) -> f64 {
    if a.len() != b.len() || a.is_empty() {
        return 0.0;
    }
    a.iter().zip(b).filter(|(x, y)| x == y).count() as f64 / a.len() as f64
}

/// Signature as stored (little-endian u32s).
pub fn to_blob(sig: &[u32]) -> Vec<u8> {
    sig.iter().flat_map(|v| v.to_le_bytes()).collect()
}

pub fn from_blob(b: &[u8]) -> Signature {
    b.chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect()
}

/// Hash of the normalised text (words only), to match short exact copies.
pub fn text_hash(text: &str) -> String {
    format!("{:016x}", xxh3_64(words(text).join(" ").as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(seed: u64, n: usize) -> String {
        let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                format!("w{}", x % 500)
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn a_syndicated_copy_is_similar_and_another_article_is_not() {
        let a = article(1, 120);
        let copy = format!("Exclusive: headline here. By Staff Writer. {a} Copyright 2018 AFP. All rights reserved.");
        let other = article(5, 120);
        let (sa, sc, so) = (
            signature(&a).unwrap(),
            signature(&copy).unwrap(),
            signature(&other).unwrap(),
        );
        assert!(
            similarity(&sa, &sc) >= MIN_SIMILARITY,
            "copy {}",
            similarity(&sa, &sc)
        );
        assert!(similarity(&sa, &so) < 0.2, "other {}", similarity(&sa, &so));
        let shared = bands(&sa)
            .iter()
            .zip(bands(&sc))
            .filter(|(x, y)| **x == *y)
            .count();
        assert!(shared > 0, "a copy shares a band");
    }

    #[test]
    fn short_texts_have_no_signature() {
        assert_eq!(signature("too short to sign"), None);
        assert_eq!(text_hash("A b, c!"), text_hash("a B c"));
        let s = signature(&article(3, 50)).unwrap();
        assert_eq!(from_blob(&to_blob(&s)), s);
    }
}
