/// Maps byte offsets in a string to Unicode scalar (char) offsets and back.
///
/// Built once per document; lookups are O(log n) over the non-ASCII
/// positions only, so ASCII-heavy news text costs almost nothing.
#[derive(Debug, Clone)]
pub struct CharIndex {
    /// Byte offsets of every char that is not ASCII, with the number of
    /// extra bytes seen up to and including it.
    wide: Vec<(usize, usize)>,
    len_bytes: usize,
}

impl CharIndex {
    pub fn new(text: &str) -> Self {
        let mut wide = Vec::new();
        let mut extra = 0usize;
        for (b, c) in text.char_indices() {
            let l = c.len_utf8();
            if l > 1 {
                extra += l - 1;
                wide.push((b, extra));
            }
        }
        CharIndex {
            wide,
            len_bytes: text.len(),
        }
    }

    /// Char offset of a byte offset. A byte offset inside a multi-byte char
    /// maps to that char's start.
    pub fn char_of(&self, byte: usize) -> usize {
        let byte = byte.min(self.len_bytes);
        // Number of wide chars starting strictly before `byte`.
        let i = self.wide.partition_point(|&(b, _)| b < byte);
        if i == 0 {
            return byte;
        }
        let (b, extra) = self.wide[i - 1];
        // If byte falls inside that char, clamp to its start.
        let width = extra - if i >= 2 { self.wide[i - 2].1 } else { 0 } + 1;
        if byte < b + width {
            return b - (extra - (width - 1));
        }
        byte - extra
    }

    /// Byte offset of a char offset (clamped to the text length).
    pub fn byte_of(&self, ch: usize) -> usize {
        // Each wide entry at byte b has char offset b - (extra - (width-1)).
        // Binary search on char offset of the wide entries.
        let char_at = |i: usize| {
            let (b, _) = self.wide[i];
            let prev = if i > 0 { self.wide[i - 1].1 } else { 0 };
            b - prev
        };
        let n = self.wide.len();
        let (mut lo, mut hi) = (0, n);
        while lo < hi {
            let mid = (lo + hi) / 2;
            if char_at(mid) < ch {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        let extra = if lo > 0 { self.wide[lo - 1].1 } else { 0 };
        (ch + extra).min(self.len_bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_on_mixed_text() {
        let s = "aé€𝄞b c’d";
        let idx = CharIndex::new(s);
        for (ci, (bi, _)) in s.char_indices().enumerate() {
            assert_eq!(idx.char_of(bi), ci, "byte {bi}");
            assert_eq!(idx.byte_of(ci), bi, "char {ci}");
        }
        assert_eq!(idx.char_of(s.len()), s.chars().count());
        assert_eq!(idx.byte_of(s.chars().count()), s.len());
    }

    #[test]
    fn inside_a_wide_char_clamps_to_its_start() {
        let s = "a€b";
        let idx = CharIndex::new(s);
        assert_eq!(idx.char_of(2), 1);
        assert_eq!(idx.char_of(3), 1);
        assert_eq!(idx.char_of(4), 2);
    }
}
