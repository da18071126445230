//! Averaged perceptron over hashed features: a sparse trainer and a
//! compact, quantised model for inference.
//!
//! The trainer keeps, per feature, only the classes it was ever updated
//! for (most features touch 1-3 classes), so memory follows the data, not
//! `features x classes`. [`Trainer::compact`] averages, prunes tiny
//! weights and quantises to `i16` in an open-addressing table that loads
//! with a copy and scores with one probe per feature.

use crate::format::{Reader, Writer};
use crate::Error;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Keys are already hashes: the map need not hash them again.
#[derive(Default)]
pub struct IdHasher(u64);
impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, _: &[u8]) {
        unreachable!("only u32 keys")
    }
    fn write_u32(&mut self, i: u32) {
        self.0 = (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}
type IdMap<V> = HashMap<u32, V, BuildHasherDefault<IdHasher>>;

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

/// Inference weights: open addressing on the feature hash, entries of
/// `(class, i16 weight)`.
pub struct Weights {
    n_classes: usize,
    scale: f32,
    mask: usize,
    /// Per slot: key (0 = empty), then `start << 8 | len` into `entries`.
    slots: Vec<[u32; 2]>,
    entries: Vec<(u16, i16)>,
}

impl Weights {
    fn build(n_classes: usize, scale: f32, rows: Vec<(u32, Vec<(u16, f32)>)>) -> Weights {
        // Load factor between 3/8 and 3/4: short probes, compact file.
        let cap = (rows.len() + rows.len() / 3 + 1)
            .next_power_of_two()
            .max(16);
        let mask = cap - 1;
        let mut slots = vec![[0u32; 2]; cap];
        let mut entries = Vec::new();
        for (k, row) in rows {
            let start = entries.len() as u32;
            for (c, w) in &row {
                let q = (w / scale).round().clamp(-32767.0, 32767.0) as i16;
                entries.push((*c, q));
            }
            let mut i = (k as usize).wrapping_mul(0x9e37_79b1) & mask;
            while slots[i][0] != 0 {
                i = (i + 1) & mask;
            }
            slots[i] = [k, start << 8 | row.len() as u32];
        }
        Weights {
            n_classes,
            scale,
            mask,
            slots,
            entries,
        }
    }

    pub fn n_classes(&self) -> usize {
        self.n_classes
    }

    /// A copy without the weights below `min_abs` (perceptron units), for
    /// shrinking a trained model without retraining.
    pub fn pruned(&self, min_abs: f32) -> Weights {
        let mut rows = Vec::new();
        for s in &self.slots {
            if s[0] == 0 {
                continue;
            }
            let row: Vec<(u16, f32)> = self
                .row(s[0])
                .iter()
                .map(|&(c, q)| (c, q as f32 * self.scale))
                .filter(|(_, w)| w.abs() >= min_abs)
                .collect();
            if !row.is_empty() {
                rows.push((s[0], row));
            }
        }
        rows.sort_by_key(|r| r.0);
        Weights::build(self.n_classes, self.scale, rows)
    }

    /// Number of stored (feature, class) weights.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    #[inline]
    fn row(&self, k: u32) -> &[(u16, i16)] {
        let mut i = (k as usize).wrapping_mul(0x9e37_79b1) & self.mask;
        loop {
            let s = self.slots[i];
            if s[0] == k {
                let start = (s[1] >> 8) as usize;
                let len = (s[1] & 0xff) as usize;
                return &self.entries[start..start + len];
            }
            if s[0] == 0 {
                return &[];
            }
            i = (i + 1) & self.mask;
        }
    }

    #[inline]
    fn home(&self, k: u32) -> usize {
        (k as usize).wrapping_mul(0x9e37_79b1) & self.mask
    }

    /// Scores of every class for a feature set (integer, unscaled).
    ///
    /// The table is far larger than the caches, so each feature costs a
    /// cache miss for its slot and another for its row. Looking them up in
    /// three passes (prefetch every slot, then find every row and prefetch
    /// it, then add) lets those misses overlap instead of queueing one
    /// after the other; the result is the same as the plain loop.
    pub fn score(&self, feats: &[u32], scores: &mut [i32]) {
        const CHUNK: usize = 128;
        scores.iter_mut().for_each(|s| *s = 0);
        let mut rows = [(0u32, 0u32); CHUNK];
        for chunk in feats.chunks(CHUNK) {
            for &f in chunk {
                prefetch(&self.slots[self.home(f)]);
            }
            for (r, &f) in rows.iter_mut().zip(chunk) {
                *r = self.find(f);
                if r.1 > 0 {
                    prefetch(&self.entries[r.0 as usize]);
                }
            }
            for &(start, len) in &rows[..chunk.len()] {
                let (start, len) = (start as usize, len as usize);
                for &(c, w) in &self.entries[start..start + len] {
                    scores[c as usize] += w as i32;
                }
            }
        }
    }

    /// `(start, len)` of a feature's row in `entries` (len 0: absent).
    #[inline]
    fn find(&self, k: u32) -> (u32, u32) {
        let mut i = self.home(k);
        loop {
            let s = self.slots[i];
            if s[0] == k {
                return (s[1] >> 8, s[1] & 0xff);
            }
            if s[0] == 0 {
                return (0, 0);
            }
            i = (i + 1) & self.mask;
        }
    }

    /// The scale that turns integer scores back into perceptron units.
    pub fn scale(&self) -> f32 {
        self.scale
    }

    pub fn write(&self, w: &mut Writer) {
        w.u32(self.n_classes as u32);
        w.f32(self.scale);
        w.u32(self.slots.len() as u32);
        for s in &self.slots {
            w.u32(s[0]);
            w.u32(s[1]);
        }
        w.u32(self.entries.len() as u32);
        for (c, q) in &self.entries {
            w.u16(*c);
            w.u16(*q as u16);
        }
    }

    pub fn read(r: &mut Reader) -> Result<Weights, Error> {
        let n_classes = r.u32()? as usize;
        let scale = r.f32()?;
        let cap = r.u32()? as usize;
        if !cap.is_power_of_two() {
            return Err(Error::Format("table size is not a power of two".into()));
        }
        let raw = r.bytes(cap * 8)?;
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
        let raw = r.bytes(n * 4)?;
        let entries: Vec<(u16, i16)> = raw
            .chunks_exact(4)
            .map(|c| {
                (
                    u16::from_le_bytes([c[0], c[1]]),
                    u16::from_le_bytes([c[2], c[3]]) as i16,
                )
            })
            .collect();
        for s in &slots {
            let end = (s[1] >> 8) as usize + (s[1] & 0xff) as usize;
            if s[0] != 0 && end > entries.len() {
                return Err(Error::Format("weight row out of range".into()));
            }
        }
        if entries.iter().any(|(c, _)| *c as usize >= n_classes) {
            return Err(Error::Format("class out of range".into()));
        }
        Ok(Weights {
            n_classes,
            scale,
            mask: cap - 1,
            slots,
            entries,
        })
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
