//! Feature hashing shared by every model. Features are hashed to `u32`
//! (the hashing trick): no feature vocabulary is stored, and a collision
//! only adds a little noise to a linear model.

/// A 64-bit mixer (from splitmix64): cheap and well spread.
#[inline]
pub fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// Hash of a string (FNV-1a 64 then mixed): stable across runs and machines.
#[inline]
pub fn hstr(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.as_bytes() {
        h ^= *b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    mix(h)
}

/// [`hstr`] of the concatenation of `parts`, without building it.
#[inline]
pub fn hstr_parts(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.as_bytes() {
            h ^= *b as u64;
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    mix(h)
}

/// Feature id of a template with one value.
#[inline]
pub fn f1(t: u32, a: u64) -> u32 {
    fold(mix(a ^ ((t as u64) << 48 | 0x9e37)))
}

/// Feature id of a template with two values.
#[inline]
pub fn f2(t: u32, a: u64, b: u64) -> u32 {
    fold(mix(mix(a ^ ((t as u64) << 48 | 0x51)).wrapping_add(b)))
}

/// Feature id of a template with three values.
#[inline]
pub fn f3(t: u32, a: u64, b: u64, c: u64) -> u32 {
    fold(mix(
        mix(mix(a ^ ((t as u64) << 48 | 0x77)).wrapping_add(b)).wrapping_add(c)
    ))
}

/// Folds to 32 bits; 0 is reserved for empty table slots.
#[inline]
fn fold(h: u64) -> u32 {
    let v = (h ^ (h >> 32)) as u32;
    if v == 0 {
        1
    } else {
        v
    }
}

/// Word shape: `Xxxx`, `dd`, `X.X.` with runs collapsed, from at most the
/// first 12 characters (long tokens must stay cheap).
pub fn shape(w: &str) -> String {
    let mut out = String::new();
    let mut last = '\0';
    for (n, c) in w.chars().enumerate() {
        if n >= 12 {
            out.push('~');
            break;
        }
        let k = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_numeric() {
            'd'
        } else if c.is_alphabetic() {
            'a'
        } else {
            c
        };
        if k != last {
            out.push(k);
            last = k;
        }
    }
    out
}

/// The last `n` characters of `w` (all of it when shorter).
pub fn suffix(w: &str, n: usize) -> &str {
    match w.char_indices().rev().nth(n.saturating_sub(1)) {
        Some((i, _)) if n > 0 => &w[i..],
        _ if n == 0 => "",
        _ => w,
    }
}

/// The first `n` characters of `w`.
pub fn prefix(w: &str, n: usize) -> &str {
    match w.char_indices().nth(n) {
        Some((i, _)) => &w[..i],
        None => w,
    }
}

/// Lower-cased form, bounded: tokens over 64 bytes are cut (on a char
/// boundary) before lower-casing, which keeps huge tokens cheap and lets
/// them share a feature with their prefix.
pub fn lower(w: &str) -> String {
    let cut = bounded(w, 64);
    cut.to_lowercase()
}

/// `w` cut to at most `max` bytes on a char boundary.
pub fn bounded(w: &str, max: usize) -> &str {
    if w.len() <= max {
        return w;
    }
    let mut e = max;
    while !w.is_char_boundary(e) {
        e -= 1;
    }
    &w[..e]
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn affixes_and_shape() {
        assert_eq!(suffix("running", 3), "ing");
        assert_eq!(suffix("ab", 3), "ab");
        assert_eq!(suffix("héllo", 4), "éllo");
        assert_eq!(prefix("héllo", 2), "hé");
        assert_eq!(shape("McDonald's"), "XxXx'x");
        assert_eq!(shape("1990"), "d");
        assert_eq!(lower(&"A".repeat(100)).len(), 64);
    }
    #[test]
    fn hashes_are_stable_and_nonzero() {
        assert_eq!(hstr("abc"), hstr("abc"));
        assert_eq!(hstr_parts(&["NOUN", "_", "NN"]), hstr("NOUN_NN"));
        assert_ne!(f1(1, hstr("a")), f1(2, hstr("a")));
        assert_ne!(f2(1, 1, 2), f2(1, 2, 1));
    }
}
