//! Per-token string hashes computed once per sentence and shared by every
//! feature template (the tagger, parser and recogniser all start here).

use crate::feat::{bounded, hstr, lower, prefix, shape, suffix};

/// Hashes of one token's forms and affixes.
#[derive(Debug, Clone, Copy, Default)]
pub struct Lex {
    pub form: u64,
    pub lower: u64,
    pub shape: u64,
    /// Suffixes of the lower-cased form, 1 to 4 characters.
    pub suf: [u64; 4],
    /// Prefixes of the lower-cased form, 1 to 3 characters.
    pub pre: [u64; 3],
    /// Orthographic flags: digit, hyphen, initial capital, all capitals, ...
    pub flags: u64,
    pub upper_initial: bool,
}

impl Lex {
    pub fn new(w: &str) -> Lex {
        let lw = lower(w);
        let mut flags = 0u64;
        let mut any_lower = false;
        let mut any_upper = false;
        for c in bounded(w, 64).chars() {
            if c.is_numeric() {
                flags |= 1;
            }
            if c == '-' {
                flags |= 2;
            }
            if c.is_lowercase() {
                any_lower = true;
            }
            if c.is_uppercase() {
                any_upper = true;
            }
            if !c.is_alphanumeric() {
                flags |= 4;
            }
        }
        let upper_initial = w.chars().next().is_some_and(|c| c.is_uppercase());
        if upper_initial {
            flags |= 8;
        }
        if any_upper && !any_lower {
            flags |= 16;
        }
        if w.len() > 64 {
            flags |= 32;
        }
        Lex {
            form: hstr(bounded(w, 64)),
            lower: hstr(&lw),
            shape: hstr(&shape(w)),
            suf: [1, 2, 3, 4].map(|n| hstr(suffix(&lw, n))),
            pre: [1, 2, 3].map(|n| hstr(prefix(&lw, n))),
            flags,
            upper_initial,
        }
    }

    /// A padding token before the sentence start or after its end.
    pub fn pad(k: u64) -> Lex {
        let h = 0xdead_0000 + k;
        Lex {
            form: h,
            lower: h,
            shape: h,
            suf: [h; 4],
            pre: [h; 3],
            flags: 1 << 10,
            upper_initial: false,
        }
    }
}

/// The token text a model should read: the normalised form when the text
/// stage set one, else the surface text.
pub fn token_text<'a>(doc: &'a dyad_core::Doc, t: &'a dyad_core::Token) -> &'a str {
    match &t.norm {
        Some(n) => n,
        None => doc.slice(t.start, t.end),
    }
}
