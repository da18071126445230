//! Place-name feature table for the recogniser: lower-cased place names
//! (countries, US states, populated places of 15,000+ with the alternate
//! names of those of 100,000+) compiled at training time from dyad's own
//! GeoNames gazetteer (`models/gazetteer.tsv.gz`, see `models/gazetteer.md`)
//! and stored inside `ner.bin` as hashed phrase keys, so inference needs
//! neither the gazetteer nor its loader.
//!
//! Names are split like treebank tokens (whitespace, hyphens and commas
//! apart) and keyed by chaining the per-word hashes the recogniser already
//! computes, so a lookup is one or two probes per token.

use crate::feat::{hstr, lower, mix};
use crate::format::{Reader, Writer};
use crate::Error;
use std::io::Read;

/// Class of a match: country or US state, city of 1M+, 100k+, smaller.
pub const COUNTRY: u8 = 1;
pub const CITY_1M: u8 = 2;
pub const CITY_100K: u8 = 3;
pub const CITY: u8 = 4;
/// Marks a key that is only the start of a longer name.
const PREFIX: u8 = 0x80;
/// Longest name, in tokens.
pub const MAX_LEN: usize = 4;

/// Open-addressing set of phrase keys with a class byte each.
#[derive(Default, Clone)]
pub struct Places {
    mask: usize,
    keys: Vec<u32>,
    classes: Vec<u8>,
}

/// Key of a phrase from its word hashes (`Lex::lower` values).
#[inline]
fn chain(k: u64, w: u64) -> u64 {
    mix(k.rotate_left(23) ^ w)
}

#[inline]
fn fold(k: u64) -> u32 {
    let v = (k ^ (k >> 32)) as u32;
    v.max(1)
}

/// Treebank-like tokens of a name: "Winston-Salem" -> winston - salem.
fn name_tokens(name: &str) -> Vec<u64> {
    let mut out = Vec::new();
    for w in name.split_whitespace() {
        let mut cur = String::new();
        for c in w.chars() {
            if c == '-' || c == ',' {
                if !cur.is_empty() {
                    out.push(hstr(&lower(&cur)));
                    cur.clear();
                }
                out.push(hstr(&c.to_string()));
            } else {
                cur.push(c);
            }
        }
        if !cur.is_empty() {
            out.push(hstr(&lower(&cur)));
        }
    }
    out
}

impl Places {
    /// Builds the table from `(name, class)` pairs; a name listed twice
    /// keeps its most specific (lowest) class.
    pub fn build<'a>(names: impl IntoIterator<Item = (&'a str, u8)>) -> Places {
        let mut m: std::collections::HashMap<u32, u8> = std::collections::HashMap::new();
        for (name, class) in names {
            let toks = name_tokens(name);
            if toks.is_empty() || toks.len() > MAX_LEN {
                continue;
            }
            let mut k = 0u64;
            for (i, &t) in toks.iter().enumerate() {
                k = chain(k, t);
                let e = m.entry(fold(k)).or_insert(0);
                if i + 1 == toks.len() {
                    let c = *e & !PREFIX;
                    *e = (*e & PREFIX) | if c == 0 { class } else { c.min(class) };
                } else {
                    *e |= PREFIX;
                }
            }
        }
        let cap = (m.len() * 2).next_power_of_two().max(16);
        let mut p = Places {
            mask: cap - 1,
            keys: vec![0; cap],
            classes: vec![0; cap],
        };
        let mut items: Vec<(u32, u8)> = m.into_iter().collect();
        items.sort_unstable();
        for (k, c) in items {
            let mut i = slot(k, p.mask);
            while p.keys[i] != 0 {
                i = (i + 1) & p.mask;
            }
            p.keys[i] = k;
            p.classes[i] = c;
        }
        p
    }

    /// Reads dyad's compiled gazetteer (`gazetteer.tsv.gz`: rows `C`
    /// countries, `S` US states, `P` populated places).
    pub fn from_gazetteer(path: &std::path::Path) -> Result<Places, Error> {
        let gz = std::fs::read(path).map_err(|e| Error::Io(format!("{}: {e}", path.display())))?;
        let mut text = String::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_string(&mut text)
            .map_err(|e| Error::Format(format!("{}: {e}", path.display())))?;
        let mut names: Vec<(String, u8)> = Vec::new();
        for line in text.lines() {
            let c: Vec<&str> = line.split('\t').collect();
            match c.first() {
                Some(&"C") if c.len() > 4 => names.push((c[4].to_string(), COUNTRY)),
                Some(&"S") if c.len() > 4 => names.push((c[4].to_string(), COUNTRY)),
                Some(&"P") if c.len() > 7 => {
                    let pop: u64 = c[7].parse().unwrap_or(0);
                    let class = match pop {
                        1_000_000.. => CITY_1M,
                        100_000.. => CITY_100K,
                        15_000.. => CITY,
                        _ => continue,
                    };
                    names.push((c[2].to_string(), class));
                    if pop >= 100_000 {
                        if let Some(alts) = c.get(8) {
                            for a in alts.split('|').filter(|a| !a.is_empty()) {
                                names.push((a.to_string(), class));
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        Ok(Places::build(names.iter().map(|(n, c)| (n.as_str(), *c))))
    }

    pub fn is_empty(&self) -> bool {
        self.keys.iter().all(|k| *k == 0)
    }

    #[inline]
    fn get(&self, k: u32) -> u8 {
        if self.keys.is_empty() {
            return 0;
        }
        let mut i = slot(k, self.mask);
        loop {
            match self.keys[i] {
                0 => return 0,
                x if x == k => return self.classes[i],
                _ => i = (i + 1) & self.mask,
            }
        }
    }

    /// Per token: `class << 2 | position` of the longest name covering it
    /// (position 0 single, 1 first, 2 inside, 3 last), 0 when none.
    pub fn tag(&self, lowers: &[u64]) -> Vec<u8> {
        let n = lowers.len();
        let mut out = vec![0u8; n];
        let mut i = 0;
        while i < n {
            let mut k = 0u64;
            let mut best = None;
            for (len, &w) in lowers[i..n.min(i + MAX_LEN)].iter().enumerate() {
                k = chain(k, w);
                let c = self.get(fold(k));
                if c & !PREFIX != 0 {
                    best = Some((len + 1, c & !PREFIX));
                }
                if c & PREFIX == 0 {
                    break;
                }
            }
            match best {
                Some((1, c)) => {
                    out[i] = c << 2;
                    i += 1;
                }
                Some((len, c)) => {
                    for (m, o) in out[i..i + len].iter_mut().enumerate() {
                        let pos = if m == 0 {
                            1
                        } else if m + 1 == len {
                            3
                        } else {
                            2
                        };
                        *o = c << 2 | pos;
                    }
                    i += len;
                }
                None => i += 1,
            }
        }
        out
    }

    pub fn write(&self, w: &mut Writer) {
        w.u32(self.keys.len() as u32);
        for k in &self.keys {
            w.u32(*k);
        }
        w.bytes(&self.classes);
    }

    pub fn read(r: &mut Reader) -> Result<Places, Error> {
        let cap = r.u32()? as usize;
        if cap == 0 {
            return Ok(Places::default());
        }
        if !cap.is_power_of_two() {
            return Err(Error::Format(
                "place table size is not a power of two".into(),
            ));
        }
        let keys = r
            .bytes(cap * 4)?
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        let classes = r.bytes(cap)?.to_vec();
        Ok(Places {
            mask: cap - 1,
            keys,
            classes,
        })
    }
}

#[inline]
fn slot(k: u32, mask: usize) -> usize {
    (k as usize).wrapping_mul(0x9e37_79b1) & mask
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lex::Lex;

    fn lowers(s: &str) -> Vec<u64> {
        s.split(' ').map(|w| Lex::new(w).lower).collect()
    }

    #[test]
    fn longest_names_with_positions() {
        let p = Places::build([
            ("New York", CITY_1M),
            ("York", CITY_100K),
            ("Winston-Salem", CITY_100K),
            ("France", COUNTRY),
        ]);
        let t = p.tag(&lowers(
            "from new York to york and Winston - Salem in FRANCE .",
        ));
        assert_eq!(t[0], 0);
        assert_eq!(t[1], CITY_1M << 2 | 1);
        assert_eq!(t[2], CITY_1M << 2 | 3);
        assert_eq!(t[4], CITY_100K << 2);
        assert_eq!(
            &t[6..9],
            &[CITY_100K << 2 | 1, CITY_100K << 2 | 2, CITY_100K << 2 | 3]
        );
        assert_eq!(t[10], COUNTRY << 2);
        // "New" alone is only a prefix, not a place.
        assert_eq!(p.tag(&lowers("New ideas"))[0], 0);
    }

    #[test]
    fn round_trips() {
        let p = Places::build([("Paris", CITY_1M)]);
        let mut w = Writer::new("t", 1);
        p.write(&mut w);
        let buf = w.finish();
        let mut r = Reader::new(&buf, "t", 1).unwrap();
        let q = Places::read(&mut r).unwrap();
        assert_eq!(q.tag(&lowers("in paris")), vec![0, CITY_1M << 2]);
    }
}
