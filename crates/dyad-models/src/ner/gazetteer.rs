//! Word lists the recogniser uses as features and for NORP: countries and
//! regions, demonyms and group adjectives, and cue words (titles,
//! organisation and place heads). Written for dyad, in `models/lexicon/`.

use crate::feat::{hstr, lower};
use std::collections::HashMap;

static COUNTRIES: &str = include_str!("../../../../models/lexicon/countries.txt");
static DEMONYMS: &str = include_str!("../../../../models/lexicon/demonyms.txt");
static CUES: &str = include_str!("../../../../models/lexicon/ner-cues.txt");

/// Per-token gazetteer classes (bit flags).
pub const COUNTRY: u8 = 1;
pub const DEMONYM: u8 = 2;
pub const TITLE: u8 = 4;
pub const ORG_CUE: u8 = 8;
pub const LOC_CUE: u8 = 16;
/// Inside (not at the start of) a multi-word match.
pub const INSIDE: u8 = 32;

pub struct Gazetteer {
    /// First word -> (list class, full entry as lower-case word hashes).
    phrases: HashMap<u64, Vec<(u8, Vec<u64>)>>,
    cues: HashMap<u64, u8>,
    /// Demonym lower-case word -> group code.
    demonyms: HashMap<String, String>,
}

fn words(s: &str) -> Vec<u64> {
    s.split_whitespace().map(|w| hstr(&lower(w))).collect()
}

impl Gazetteer {
    pub fn new() -> Gazetteer {
        let mut g = Gazetteer {
            phrases: HashMap::new(),
            cues: HashMap::new(),
            demonyms: HashMap::new(),
        };
        let lines = |s: &'static str| {
            s.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
        };
        for l in lines(COUNTRIES) {
            g.add(COUNTRY, l);
        }
        for l in lines(DEMONYMS) {
            let (w, code) = l.split_once('\t').unwrap_or((l, "-"));
            g.add(DEMONYM, w);
            g.demonyms.insert(w.to_lowercase(), code.to_string());
            // Plural nouns: "Russians", "Kurds" (not for -ese/-ish/-ch/-s forms).
            let lw = w.to_lowercase();
            if !(lw.ends_with("ese")
                || lw.ends_with("ish")
                || lw.ends_with("ch")
                || lw.ends_with('s')
                || lw.contains(' '))
            {
                g.add(DEMONYM, &format!("{w}s"));
                g.demonyms.insert(format!("{lw}s"), code.to_string());
            }
        }
        for l in lines(CUES) {
            if let Some((k, w)) = l.split_once('\t') {
                let f = match k {
                    "title" => TITLE,
                    "org" => ORG_CUE,
                    "loc" => LOC_CUE,
                    _ => continue,
                };
                *g.cues.entry(hstr(&lower(w))).or_default() |= f;
            }
        }
        g
    }

    fn add(&mut self, class: u8, entry: &str) {
        let ws = words(entry);
        if let Some(&first) = ws.first() {
            self.phrases.entry(first).or_default().push((class, ws));
        }
    }

    /// Is this word a title cue ("minister", "president", ...)?
    pub fn is_title(&self, w: &str) -> bool {
        self.cues
            .get(&hstr(&lower(w)))
            .is_some_and(|f| f & TITLE != 0)
    }

    /// Is this (lower-case) word a demonym or group adjective/noun?
    pub fn demonym(&self, w: &str) -> Option<&str> {
        self.demonyms.get(&w.to_lowercase()).map(|s| s.as_str())
    }

    /// Flags per token: list matches (longest first; multi-word matches
    /// mark following tokens INSIDE) and cue words.
    pub fn tag(&self, lowers: &[u64]) -> Vec<u8> {
        let n = lowers.len();
        let mut out = vec![0u8; n];
        let mut i = 0;
        while i < n {
            let mut best: Option<(usize, u8)> = None;
            if let Some(cands) = self.phrases.get(&lowers[i]) {
                for (c, ws) in cands {
                    if i + ws.len() <= n
                        && lowers[i..i + ws.len()] == ws[..]
                        && best.is_none_or(|(l, _)| ws.len() > l)
                    {
                        best = Some((ws.len(), *c));
                    }
                }
            }
            match best {
                Some((len, c)) => {
                    out[i] |= c;
                    for o in out.iter_mut().take(i + len).skip(i + 1) {
                        *o |= c | INSIDE;
                    }
                    i += len;
                }
                None => i += 1,
            }
        }
        for (k, h) in lowers.iter().enumerate() {
            if let Some(f) = self.cues.get(h) {
                out[k] |= f;
            }
        }
        out
    }
}

impl Default for Gazetteer {
    fn default() -> Self {
        Self::new()
    }
}
