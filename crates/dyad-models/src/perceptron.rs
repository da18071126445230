//! Averaged perceptron over hashed features: a sparse trainer and a
//! compact, quantised model for inference.
//!
//! The trainer keeps, per feature, only the classes it was ever updated
//! for (most features touch 1-3 classes), so memory follows the data, not
//! `features x classes`. [`Trainer::compact`] averages, prunes tiny
//! weights and quantises to `i16` in a table of cache-line blocks
//! ([`Weights`]) that loads with a copy and scores with two memory
//! accesses per feature (block, row), prefetched for a whole state.

use crate::format::{Reader, Writer};
use crate::Error;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Keys are already hashes: the map need not hash them again (only mix
/// them, for the table's high bits).
#[derive(Default)]
pub struct IdHasher(u64);
impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, _: &[u8]) {
        unreachable!("only u32 and u64 keys")
    }
    fn write_u32(&mut self, i: u32) {
        self.0 = (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
    fn write_u64(&mut self, i: u64) {
        self.0 = i.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}
type IdMap<V> = HashMap<u32, V, BuildHasherDefault<IdHasher>>;

/// A map keyed by string hashes (`feat::hstr`), not hashed again.
pub type HashKeyMap<V> = HashMap<u64, V, BuildHasherDefault<IdHasher>>;

#[derive(Clone, Copy)]
struct Entry {
    class: u16,
    w: f32,
    total: f64,
    ts: u32,
}

/// Sparse averaged-perceptron trainer.
pub struct Trainer {
    n_classes: usize,
    feats: IdMap<Vec<Entry>>,
    step: u32,
}

impl Trainer {
    pub fn new(n_classes: usize) -> Self {
        Trainer {
            n_classes,
            feats: IdMap::default(),
            step: 0,
        }
    }

    pub fn n_classes(&self) -> usize {
        self.n_classes
    }

    /// Adds the current (non-averaged) weights of `feats` into `scores`.
    pub fn score(&self, feats: &[u32], scores: &mut [f32]) {
        scores.iter_mut().for_each(|s| *s = 0.0);
        for f in feats {
            if let Some(es) = self.feats.get(f) {
                for e in es {
                    scores[e.class as usize] += e.w;
                }
            }
        }
    }

    /// Counts one training instance (call once per decision, right or
    /// wrong: the average is over instances).
    pub fn tick(&mut self) {
        self.step += 1;
    }

    /// Moves weight from `guess` to `truth` for every feature.
    pub fn update(&mut self, truth: usize, guess: usize, feats: &[u32]) {
        if truth == guess {
            return;
        }
        let step = self.step;
        for &f in feats {
            let es = self.feats.entry(f).or_default();
            for (c, v) in [(truth, 1.0f32), (guess, -1.0f32)] {
                let e = match es.iter_mut().position(|e| e.class as usize == c) {
                    Some(i) => &mut es[i],
                    None => {
                        es.push(Entry {
                            class: c as u16,
                            w: 0.0,
                            total: 0.0,
                            ts: step,
                        });
                        es.last_mut().expect("pushed")
                    }
                };
                e.total += (step - e.ts) as f64 * e.w as f64;
                e.ts = step;
                e.w += v;
            }
        }
    }

    /// Averages, prunes weights below `min_abs` (after averaging) and
    /// quantises into an inference table.
    pub fn compact(&self, min_abs: f32) -> Weights {
        let step = self.step.max(1) as f64;
        let mut keys: Vec<u32> = self.feats.keys().copied().collect();
        keys.sort_unstable();
        let mut rows: Vec<(u32, Vec<(u16, f32)>)> = Vec::with_capacity(keys.len());
        let mut max_abs = 0f32;
        for k in keys {
            let mut row: Vec<(u16, f32)> = self.feats[&k]
                .iter()
                .map(|e| {
                    let avg = (e.total + (self.step - e.ts) as f64 * e.w as f64) / step;
                    (e.class, avg as f32)
                })
                .filter(|(_, w)| w.abs() >= min_abs)
                .collect();
            if row.is_empty() {
                continue;
            }
            row.sort_by_key(|(c, _)| *c);
            row.truncate(255);
            for (_, w) in &row {
                max_abs = max_abs.max(w.abs());
            }
            rows.push((k, row));
        }
        let scale = if max_abs > 0.0 {
            max_abs / 32767.0
        } else {
            1.0
        };
        Weights::build(self.n_classes, scale, rows)
    }
}

/// Slots per block: a block (base, fingerprints, offsets) is one cache line.
const SLOTS: usize = 14;

/// One cache line of the lookup table: up to 14 feature rows, each known
/// by a 16-bit fingerprint of its feature hash (0: free slot); the rows
/// lie in `entries` one after the other, row `j` from `base + off[j]` to
/// `base + off[j + 1]`. Slots fill in order.
#[derive(Clone, Copy, Default)]
#[repr(C, align(64))]
struct Block {
    base: u32,
    fp: [u16; SLOTS],
    off: [u16; SLOTS + 1],
}

impl Block {
    fn len(&self, j: usize) -> usize {
        (self.off[j + 1] - self.off[j]) as usize
    }
    fn used(&self) -> usize {
        self.fp.iter().take_while(|&&f| f != 0).count()
    }

    /// (slot matching `fp` or None, whether the block has a free slot).
    /// All 14 fingerprints are compared at once: the slot a feature
    /// lands in is random, so a loop over slots would mispredict a branch
    /// on nearly every lookup.
    #[inline]
    fn find(&self, fp: u16) -> (Option<usize>, bool) {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: SSE2 is part of x86_64; the two unaligned 16-byte loads
        // read bytes 4..36 of this 64-byte block.
        unsafe {
            use core::arch::x86_64::*;
            let p = (self as *const Block as *const u8).add(4);
            let a = _mm_loadu_si128(p as *const __m128i);
            let b = _mm_loadu_si128(p.add(16) as *const __m128i);
            let f = _mm_set1_epi16(fp as i16);
            let z = _mm_setzero_si128();
            let hit = _mm_movemask_epi8(_mm_packs_epi16(
                _mm_cmpeq_epi16(a, f),
                _mm_cmpeq_epi16(b, f),
            )) & 0x3fff;
            let free = _mm_movemask_epi8(_mm_packs_epi16(
                _mm_cmpeq_epi16(a, z),
                _mm_cmpeq_epi16(b, z),
            )) & 0x3fff;
            let j = if hit != 0 {
                Some(hit.trailing_zeros() as usize)
            } else {
                None
            };
            (j, free != 0)
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            let j = self.fp.iter().position(|&f| f == fp);
            (j, self.fp.contains(&0))
        }
    }
}

/// Marks the block format in a file (the old open-addressing format
/// starts with the class count, which is never this large).
const BLOCK_FORMAT: u32 = 0xB10C_0002;

/// Inference weights: a hash table of cache-line blocks over the feature
/// hash (see [`Block`]), rows of `(class, i16 weight)` packed into 3 bytes
/// (4 when there are more than 256 classes).
///
/// The table is far larger than the caches, so a lookup costs a miss for
/// its block and one for its row: memory, not arithmetic, sets the speed.
/// Hence 16-bit fingerprints instead of full keys (an absent feature
/// matches a fingerprint in about one lookup in 4,000: one more hash
/// collision for a model built on the hashing trick) and no per-slot
/// offsets: the table is about half the size of a plain one.
pub struct Weights {
    n_classes: usize,
    scale: f32,
    blocks: Vec<Block>,
    /// Bytes per entry: 3 (u8 class) or 4 (u16 class), then an i16.
    ew: usize,
    /// The rows' entries, then [`PAD`] zero bytes (so that every entry can
    /// be read as one unaligned u32).
    entries: Vec<u8>,
}

const PAD: usize = 4;

/// Block and fingerprint of a feature hash.
#[inline]
fn place(k: u32, n_blocks: usize) -> (usize, u16) {
    let h = (k as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    let b = ((h >> 32) * n_blocks as u64) >> 32;
    let fp = (h >> 8) as u16;
    (b as usize, fp.max(1))
}

impl Weights {
    fn build(n_classes: usize, scale: f32, rows: Vec<(u32, Vec<(u16, f32)>)>) -> Weights {
        let q = |w: f32| (w / scale).round().clamp(-32767.0, 32767.0) as i16;
        let rows: Vec<(u32, Vec<(u16, i16)>)> = rows
            .into_iter()
            .map(|(k, r)| (k, r.into_iter().map(|(c, w)| (c, q(w))).collect()))
            .collect();
        Weights::from_rows(n_classes, scale, rows)
    }

    /// Lays out quantised rows (in the given order; empty rows dropped).
    fn from_rows(n_classes: usize, scale: f32, rows: Vec<(u32, Vec<(u16, i16)>)>) -> Weights {
        let rows: Vec<_> = rows.into_iter().filter(|r| !r.1.is_empty()).collect();
        // About 11 of 14 slots used: few blocks overflow into the next.
        let n_blocks = (rows.len() / 11 + 1).max(4);
        let mut slot_rows: Vec<Vec<usize>> = vec![Vec::new(); n_blocks];
        let mut blocks = vec![Block::default(); n_blocks];
        for (r, (k, _)) in rows.iter().enumerate() {
            let (mut b, fp) = place(*k, n_blocks);
            while slot_rows[b].len() == SLOTS {
                b = (b + 1) % n_blocks;
            }
            blocks[b].fp[slot_rows[b].len()] = fp;
            slot_rows[b].push(r);
        }
        let ew = if n_classes <= 256 { 3 } else { 4 };
        let mut entries = Vec::new();
        for (blk, rs) in blocks.iter_mut().zip(&slot_rows) {
            blk.base = (entries.len() / ew) as u32;
            for (j, &r) in rs.iter().enumerate() {
                let len = rows[r].1.len().min(255);
                blk.off[j + 1] = blk.off[j] + len as u16;
                for &(c, w) in rows[r].1.iter().take(255) {
                    if ew == 3 {
                        entries.push(c as u8);
                    } else {
                        entries.extend_from_slice(&c.to_le_bytes());
                    }
                    entries.extend_from_slice(&w.to_le_bytes());
                }
            }
            for j in rs.len()..SLOTS {
                blk.off[j + 1] = blk.off[j];
            }
        }
        entries.extend([0; PAD]);
        Weights {
            n_classes,
            scale,
            blocks,
            ew,
            entries,
        }
    }

    pub fn n_classes(&self) -> usize {
        self.n_classes
    }

    /// Every row with its block, slot and entries `(class, weight)`.
    fn rows(&self) -> impl Iterator<Item = (usize, usize, Vec<(u16, i16)>)> + '_ {
        self.blocks.iter().enumerate().flat_map(move |(b, blk)| {
            (0..blk.used()).map(move |j| {
                let start = blk.base as usize + blk.off[j] as usize;
                let row = (start..start + blk.len(j)).map(|e| self.entry(e)).collect();
                (b, j, row)
            })
        })
    }

    #[inline]
    fn entry(&self, e: usize) -> (u16, i16) {
        let b = &self.entries[e * self.ew..e * self.ew + self.ew];
        if self.ew == 3 {
            (b[0] as u16, i16::from_le_bytes([b[1], b[2]]))
        } else {
            (
                u16::from_le_bytes([b[0], b[1]]),
                i16::from_le_bytes([b[2], b[3]]),
            )
        }
    }

    /// A copy without the weights below `min_abs` (perceptron units), for
    /// shrinking a trained model without retraining. Rows keep their
    /// places (a row left empty keeps one zero weight, so that the rows
    /// after it in its block stay where lookups find them).
    pub fn pruned(&self, min_abs: f32) -> Weights {
        let mut out = Weights {
            n_classes: self.n_classes,
            scale: self.scale,
            blocks: self.blocks.clone(),
            ew: self.ew,
            entries: Vec::new(),
        };
        let mut last_block = usize::MAX;
        for (b, j, row) in self.rows() {
            if b != last_block {
                out.blocks[b].base = (out.entries.len() / self.ew) as u32;
                last_block = b;
            }
            let mut kept: Vec<(u16, i16)> = row
                .into_iter()
                .filter(|&(_, q)| (q as f32 * self.scale).abs() >= min_abs)
                .collect();
            if kept.is_empty() {
                kept.push((0, 0));
            }
            let blk = &mut out.blocks[b];
            blk.off[j + 1] = blk.off[j] + kept.len() as u16;
            for k in j + 1..SLOTS {
                blk.off[k + 1] = blk.off[j + 1];
            }
            for (c, w) in kept {
                if self.ew == 3 {
                    out.entries.push(c as u8);
                } else {
                    out.entries.extend_from_slice(&c.to_le_bytes());
                }
                out.entries.extend_from_slice(&w.to_le_bytes());
            }
        }
        // Blocks with no rows still need a base in range.
        let mut base = 0;
        for blk in out.blocks.iter_mut() {
            if blk.fp[0] == 0 {
                blk.base = base;
            }
            base = blk.base + blk.off[SLOTS] as u32;
        }
        out.entries.extend([0; PAD]);
        out
    }

    /// Number of stored (feature, class) weights.
    pub fn len(&self) -> usize {
        (self.entries.len() - PAD) / self.ew
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// `(first entry, length)` of a feature's row; length 0: absent.
    #[inline]
    fn find(&self, k: u32) -> (usize, usize) {
        let n = self.blocks.len();
        let (mut b, fp) = place(k, n);
        // At most every block once (a full table has no free slot).
        for _ in 0..n {
            let blk = &self.blocks[b];
            match blk.find(fp) {
                (Some(j), _) => return (blk.base as usize + blk.off[j] as usize, blk.len(j)),
                (None, true) => return (0, 0),
                (None, false) => b = if b + 1 == n { 0 } else { b + 1 },
            }
        }
        (0, 0)
    }

    /// Row length of each feature (0: absent), for diagnostics.
    pub fn row_lens(&self, feats: &[u32]) -> Vec<usize> {
        feats.iter().map(|&f| self.find(f).1).collect()
    }

    /// Blocks in the table and stored entries, for diagnostics.
    pub fn table_size(&self) -> (usize, usize) {
        (self.blocks.len(), self.len())
    }

    /// Scores of every class for a feature set (integer, unscaled).
    ///
    /// Each feature costs a cache miss for its block and another for its
    /// row. Looking them up in three passes (prefetch every block, then
    /// find every row and prefetch it, then add) lets those misses
    /// overlap instead of queueing one after the other; the result is the
    /// same as the plain loop.
    pub fn score(&self, feats: &[u32], scores: &mut [i32]) {
        const CHUNK: usize = 128;
        let n = self.blocks.len();
        let mut rows = [(0usize, 0usize); CHUNK];
        // One-byte classes index a 256-wide accumulator: no bounds checks.
        let mut acc = [0i32; 256];
        scores.iter_mut().for_each(|s| *s = 0);
        for chunk in feats.chunks(CHUNK) {
            for &f in chunk {
                prefetch(&self.blocks[place(f, n).0]);
            }
            for (r, &f) in rows.iter_mut().zip(chunk) {
                *r = self.find(f);
                // The row's first and last cache lines, unconditionally
                // (a branch here would mispredict; a prefetch past the
                // end is harmless). Rows longer than two lines are the
                // frequent features, which stay in cache.
                let (start, len) = *r;
                let p = self.entries.as_ptr().wrapping_add(start * self.ew);
                prefetch_ptr(p);
                prefetch_ptr(p.wrapping_add((len * self.ew).saturating_sub(1)));
            }
            for &(start, len) in &rows[..chunk.len()] {
                // Each entry read as one little-endian u32 (the padding
                // keeps the last one in bounds).
                let bytes = &self.entries[start * self.ew..(start + len) * self.ew + PAD];
                if self.ew == 3 {
                    let p = bytes.as_ptr();
                    for k in 0..len {
                        // SAFETY: `bytes` holds `3 * len + PAD` bytes, so
                        // the 4 bytes from `3 * k` (k < len) are in it.
                        let v =
                            u32::from_le(unsafe { (p.add(3 * k) as *const u32).read_unaligned() });
                        acc[(v & 0xff) as usize] += (v >> 8) as u16 as i16 as i32;
                    }
                } else {
                    for e in bytes[..len * 4].chunks_exact(4) {
                        scores[u16::from_le_bytes([e[0], e[1]]) as usize] +=
                            i16::from_le_bytes([e[2], e[3]]) as i32;
                    }
                }
            }
        }
        if self.ew == 3 {
            let m = scores.len().min(256);
            scores[..m].copy_from_slice(&acc[..m]);
        }
    }

    /// The scale that turns integer scores back into perceptron units.
    pub fn scale(&self) -> f32 {
        self.scale
    }

    pub fn write(&self, w: &mut Writer) {
        w.u32(BLOCK_FORMAT);
        w.u32(self.n_classes as u32);
        w.f32(self.scale);
        w.u32(self.ew as u32);
        w.u32(self.blocks.len() as u32);
        for b in &self.blocks {
            w.u32(b.base);
            for fp in b.fp {
                w.u16(fp);
            }
            for off in b.off {
                w.u16(off);
            }
        }
        let data = &self.entries[..self.entries.len() - PAD];
        w.u32(data.len() as u32);
        w.bytes(data);
    }

    pub fn read(r: &mut Reader) -> Result<Weights, Error> {
        let first = r.u32()?;
        if first != BLOCK_FORMAT {
            return Weights::read_open_addressing(first, r);
        }
        let n_classes = r.u32()? as usize;
        let scale = r.f32()?;
        let ew = r.u32()? as usize;
        if ew != 3 && ew != 4 || (ew == 3 && n_classes > 256) {
            return Err(Error::Format("bad weight entry width".into()));
        }
        let n_blocks = r.u32()? as usize;
        if n_blocks == 0 {
            return Err(Error::Format("empty weight table".into()));
        }
        const BLOCK_BYTES: usize = 4 + 2 * SLOTS + 2 * (SLOTS + 1);
        let raw = r.bytes(n_blocks.saturating_mul(BLOCK_BYTES))?;
        let blocks: Vec<Block> = raw
            .chunks_exact(BLOCK_BYTES)
            .map(|c| {
                let mut b = Block {
                    base: u32::from_le_bytes([c[0], c[1], c[2], c[3]]),
                    ..Default::default()
                };
                let u = |i: usize| u16::from_le_bytes([c[i], c[i + 1]]);
                for j in 0..SLOTS {
                    b.fp[j] = u(4 + 2 * j);
                }
                for j in 0..=SLOTS {
                    b.off[j] = u(4 + 2 * SLOTS + 2 * j);
                }
                b
            })
            .collect();
        let n = r.u32()? as usize;
        let mut entries = Vec::with_capacity(n + PAD);
        entries.extend_from_slice(r.bytes(n)?);
        entries.extend([0; PAD]);
        if !n.is_multiple_of(ew) {
            return Err(Error::Format("weight entries cut short".into()));
        }
        let w = Weights {
            n_classes,
            scale,
            blocks,
            ew,
            entries,
        };
        for blk in &w.blocks {
            let end = blk.base as usize + blk.off[SLOTS] as usize;
            let monotone = blk.off.windows(2).all(|o| o[0] <= o[1]);
            if end > w.len() || !monotone || blk.off[0] != 0 {
                return Err(Error::Format("weight row out of range".into()));
            }
        }
        // (With one-byte classes, any class is a valid index into the
        // scorer's 256-wide accumulator: no need to check them all.)
        if ew == 4 && (0..w.len()).any(|e| w.entry(e).0 as usize >= n_classes) {
            return Err(Error::Format("class out of range".into()));
        }
        Ok(w)
    }

    /// Reads the earlier file format (open addressing with full keys;
    /// `n_classes` already read) into blocks.
    fn read_open_addressing(n_classes: u32, r: &mut Reader) -> Result<Weights, Error> {
        let n_classes = n_classes as usize;
        let scale = r.f32()?;
        let cap = r.u32()? as usize;
        if !cap.is_power_of_two() {
            return Err(Error::Format("table size is not a power of two".into()));
        }
        let raw = r.bytes(cap.saturating_mul(8))?;
        let slots: Vec<[u32; 2]> = raw
            .chunks_exact(8)
            .map(|c| {
                [
                    u32::from_le_bytes([c[0], c[1], c[2], c[3]]),
                    u32::from_le_bytes([c[4], c[5], c[6], c[7]]),
                ]
            })
            .collect();
        let n = r.u32()? as usize;
        let raw = r.bytes(n.saturating_mul(4))?;
        let entries: Vec<(u16, i16)> = raw
            .chunks_exact(4)
            .map(|c| {
                (
                    u16::from_le_bytes([c[0], c[1]]),
                    u16::from_le_bytes([c[2], c[3]]) as i16,
                )
            })
            .collect();
        if entries.iter().any(|(c, _)| *c as usize >= n_classes) {
            return Err(Error::Format("class out of range".into()));
        }
        let mut rows = Vec::new();
        for s in &slots {
            let (start, len) = ((s[1] >> 8) as usize, (s[1] & 0xff) as usize);
            if s[0] == 0 {
                continue;
            }
            let row = entries
                .get(start..start + len)
                .ok_or_else(|| Error::Format("weight row out of range".into()))?;
            rows.push((s[0], row.to_vec()));
        }
        rows.sort_by_key(|r| r.0);
        Ok(Weights::from_rows(n_classes, scale, rows))
    }
}

/// Asks the CPU to start loading the cache line holding `x` (a hint: it
/// never faults and changes no result).
#[inline(always)]
fn prefetch<T>(x: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch is only a hint; `x` is a valid reference anyway.
    #[allow(unused_unsafe)]
    unsafe {
        core::arch::x86_64::_mm_prefetch(
            x as *const T as *const i8,
            core::arch::x86_64::_MM_HINT_T0,
        );
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = x;
}

/// [`prefetch`] of a raw address (any address: a prefetch never faults).
#[inline(always)]
fn prefetch_ptr(p: *const u8) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch is only a hint and never faults, whatever the address.
    unsafe {
        core::arch::x86_64::_mm_prefetch(p as *const i8, core::arch::x86_64::_MM_HINT_T0);
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

/// Index of the highest score among `allowed` classes (ties: lowest index).
pub fn argmax_allowed<T: PartialOrd + Copy>(
    scores: &[T],
    allowed: impl Fn(usize) -> bool,
) -> Option<usize> {
    let mut best: Option<usize> = None;
    for (i, s) in scores.iter().enumerate() {
        if allowed(i) && best.is_none_or(|b| *s > scores[b]) {
            best = Some(i);
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows of random keys: (key, [(class, weight)]), lengths 1 to 40.
    fn random_rows(n: usize, classes: u16) -> Vec<(u32, Vec<(u16, i16)>)> {
        let mut x = 0x1234_5678_9abc_def0u64;
        let mut next = move || {
            x = crate::feat::mix(x.wrapping_add(0x9e37_79b9_7f4a_7c15));
            x
        };
        let mut rows: Vec<(u32, Vec<(u16, i16)>)> = (0..n)
            .map(|_| {
                let len = 1 + (next() % 40) as u16;
                let row = (0..len.min(classes))
                    .map(|c| (c, (next() % 2000) as i16 - 1000))
                    .filter(|&(_, w)| w != 0)
                    .collect();
                ((next() as u32).max(1), row)
            })
            .collect();
        rows.sort_by_key(|r| r.0);
        rows.dedup_by_key(|r| r.0);
        rows
    }

    fn row_scores(w: &Weights, k: u32) -> Vec<i32> {
        let mut s = vec![0i32; w.n_classes()];
        w.score(&[k], &mut s);
        s
    }

    #[test]
    fn block_table_finds_every_row_and_survives_pruning_and_saving() {
        for classes in [13u16, 103, 300] {
            let rows = random_rows(5000, classes);
            let w = Weights::from_rows(classes as usize, 0.5, rows.clone());
            let mut buf = Writer::new("test", 1);
            w.write(&mut buf);
            let buf = buf.finish();
            let w2 = Weights::read(&mut Reader::new(&buf, "test", 1).unwrap()).unwrap();
            // Prune at 200 quantised units (100 in perceptron units).
            let p = w2.pruned(100.0);
            for (k, row) in &rows {
                let mut want = vec![0i32; classes as usize];
                let mut kept = vec![0i32; classes as usize];
                for &(c, q) in row {
                    want[c as usize] = q as i32;
                    if q.abs() >= 200 {
                        kept[c as usize] = q as i32;
                    }
                }
                assert_eq!(row_scores(&w2, *k), want);
                assert_eq!(row_scores(&p, *k), kept);
            }
            assert!(p.len() < w2.len());
            // Absent features score (almost always) nothing.
            let stray = (0..10_000u32)
                .map(|i| crate::feat::f1(999, i as u64))
                .filter(|k| rows.binary_search_by_key(k, |r| r.0).is_err())
                .filter(|&k| row_scores(&w2, k).iter().any(|&s| s != 0))
                .count();
            assert!(stray < 10, "{stray} absent features found");
        }
    }

    #[test]
    fn reads_the_open_addressing_format() {
        let rows = random_rows(300, 20);
        let cap = 1024usize;
        let mut slots = vec![[0u32; 2]; cap];
        let mut entries = Vec::new();
        for (k, row) in &rows {
            let mut i = (*k as usize).wrapping_mul(0x9e37_79b1) & (cap - 1);
            while slots[i][0] != 0 {
                i = (i + 1) & (cap - 1);
            }
            slots[i] = [*k, (entries.len() as u32) << 8 | row.len() as u32];
            entries.extend(row.iter().copied());
        }
        let mut w = Writer::new("test", 1);
        w.u32(20);
        w.f32(0.5);
        w.u32(cap as u32);
        for s in &slots {
            w.u32(s[0]);
            w.u32(s[1]);
        }
        w.u32(entries.len() as u32);
        for (c, q) in &entries {
            w.u16(*c);
            w.u16(*q as u16);
        }
        let buf = w.finish();
        let t = Weights::read(&mut Reader::new(&buf, "test", 1).unwrap()).unwrap();
        for (k, row) in &rows {
            let mut want = vec![0i32; 20];
            for &(c, q) in row {
                want[c as usize] = q as i32;
            }
            assert_eq!(row_scores(&t, *k), want);
        }
    }

    #[test]
    fn learns_a_separable_problem_and_round_trips() {
        let mut t = Trainer::new(3);
        let data = [
            (vec![10u32, 11], 0usize),
            (vec![20, 11], 1),
            (vec![30, 31], 2),
        ];
        let mut sc = vec![0f32; 3];
        for _ in 0..5 {
            for (f, y) in &data {
                t.tick();
                t.score(f, &mut sc);
                let g = argmax_allowed(&sc, |_| true).unwrap();
                t.update(*y, g, f);
            }
        }
        let w = t.compact(0.0);
        let mut bytes = Writer::new("test", 1);
        w.write(&mut bytes);
        let buf = bytes.finish();
        let mut r = Reader::new(&buf, "test", 1).unwrap();
        let w2 = Weights::read(&mut r).unwrap();
        let mut s = vec![0i32; 3];
        for (f, y) in &data {
            w2.score(f, &mut s);
            assert_eq!(argmax_allowed(&s, |_| true), Some(*y));
        }
    }
}
