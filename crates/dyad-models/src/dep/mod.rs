//! Labelled dependency parser: greedy arc-hybrid transitions (root token
//! at the end of the buffer, one root enforced), scored by an averaged
//! perceptron over Zhang & Nivre (2011)-style features, trained with the
//! dynamic oracle of Goldberg & Nivre (2013) so it learns to recover from
//! its own mistakes. Parsing is linear in sentence length.

pub mod trainer;

use crate::feat::{f1, f2, f3, hstr, hstr_parts};
use crate::format::{Reader, Writer};
use crate::lex::Lex;
use crate::perceptron::{argmax_allowed, Weights};
use crate::Error;

pub const KIND: &str = "dyad-dep";
pub const VERSION: u32 = 1;

/// A trained parser.
pub struct Parser {
    pub(crate) w: Weights,
    pub(crate) labels: Vec<String>,
}

/// The tag string the parser reads for a Doc token: `UPOS_XPOS`.
pub fn tag_of(t: &dyad_core::Token) -> String {
    joint_tag(
        t.upos.as_deref().unwrap_or(""),
        t.xpos.as_deref().unwrap_or(""),
    )
}

/// Hash of a Doc token's joint tag (as [`tag_of`], without the string).
pub fn tag_hash_of(t: &dyad_core::Token) -> u64 {
    joint_tag_hash(
        t.upos.as_deref().unwrap_or(""),
        t.xpos.as_deref().unwrap_or(""),
    )
}

/// Hash of [`joint_tag`]`(upos, xpos)`, without building the string.
pub fn joint_tag_hash(upos: &str, xpos: &str) -> u64 {
    hstr_parts(&[upos, "_", xpos])
}

/// Joint tag string used as the parser's part-of-speech feature.
pub fn joint_tag(upos: &str, xpos: &str) -> String {
    format!("{upos}_{xpos}")
}

/// Transition 0 is SHIFT; `1 + 2l` is LEFT-ARC with label `l`, `2 + 2l`
/// RIGHT-ARC with label `l`.
pub(crate) const SHIFT: usize = 0;

const NONE: u64 = 0x4e4f_4e45;
const ROOTW: u64 = 0x524f_4f54;

/// Parser configuration: stack, buffer front, partial tree.
pub(crate) struct State {
    pub n: usize,
    pub stack: Vec<usize>,
    pub b: usize,
    pub head: Vec<usize>,
    pub label: Vec<u16>,
    lc1: Vec<usize>,
    lc2: Vec<usize>,
    rc1: Vec<usize>,
    rc2: Vec<usize>,
    nl: Vec<u16>,
    nr: Vec<u16>,
}

const NO: usize = usize::MAX;

impl State {
    pub fn new(n: usize) -> State {
        State {
            n,
            stack: Vec::with_capacity(32),
            b: 0,
            head: vec![NO; n + 1],
            label: vec![0; n + 1],
            lc1: vec![NO; n + 1],
            lc2: vec![NO; n + 1],
            rc1: vec![NO; n + 1],
            rc2: vec![NO; n + 1],
            nl: vec![0; n + 1],
            nr: vec![0; n + 1],
        }
    }
    pub fn terminal(&self) -> bool {
        self.stack.is_empty() && self.b >= self.n
    }
    pub fn valid(&self, t: usize) -> bool {
        if t == SHIFT {
            self.b < self.n
        } else if t % 2 == 1 {
            !self.stack.is_empty() && (self.b < self.n || self.stack.len() == 1)
        } else {
            self.stack.len() >= 2
        }
    }
    fn attach(&mut self, h: usize, d: usize, l: u16) {
        self.head[d] = h;
        self.label[d] = l;
        if d < h {
            self.nl[h] += 1;
            if self.lc1[h] == NO || d < self.lc1[h] {
                self.lc2[h] = self.lc1[h];
                self.lc1[h] = d;
            } else if self.lc2[h] == NO || d < self.lc2[h] {
                self.lc2[h] = d;
            }
        } else {
            self.nr[h] += 1;
            if self.rc1[h] == NO || d > self.rc1[h] {
                self.rc2[h] = self.rc1[h];
                self.rc1[h] = d;
            } else if self.rc2[h] == NO || d > self.rc2[h] {
                self.rc2[h] = d;
            }
        }
    }
    pub fn apply(&mut self, t: usize) {
        if t == SHIFT {
            self.stack.push(self.b);
            self.b += 1;
        } else if t % 2 == 1 {
            let s0 = self.stack.pop().expect("valid");
            self.attach(self.b, s0, ((t - 1) / 2) as u16);
        } else {
            let s0 = self.stack.pop().expect("valid");
            let s1 = *self.stack.last().expect("valid");
            self.attach(s1, s0, ((t - 2) / 2) as u16);
        }
    }
}

/// Per-sentence precomputed hashes: word, tag, suffix for each token, plus
/// the root token at index `n`.
pub(crate) struct Sent {
    w: Vec<u64>,
    p: Vec<u64>,
    suf: Vec<u64>,
}

impl Sent {
    pub fn new(words: &[&str], tags: &[&str]) -> Sent {
        let hashes: Vec<u64> = (0..words.len())
            .map(|i| hstr(tags.get(i).copied().unwrap_or("")))
            .collect();
        Sent::hashed(words, &hashes)
    }

    /// From words and the hashes of their joint tags.
    pub fn hashed(words: &[&str], tags: &[u64]) -> Sent {
        let mut w = Vec::with_capacity(words.len() + 1);
        let mut p = Vec::with_capacity(words.len() + 1);
        let mut suf = Vec::with_capacity(words.len() + 1);
        for (i, word) in words.iter().enumerate() {
            let l = Lex::new(word);
            w.push(l.lower);
            suf.push(l.suf[2]);
            p.push(tags.get(i).copied().unwrap_or_else(|| hstr("")));
        }
        w.push(ROOTW);
        p.push(ROOTW);
        suf.push(ROOTW);
        Sent { w, p, suf }
    }
}

#[inline]
fn dist(a: usize, b: usize) -> u64 {
    let d = b.abs_diff(a);
    (if d >= 10 { 10 + (d >= 20) as usize } else { d }) as u64
}

/// Feature extraction for a state.
pub(crate) fn features(s: &Sent, st: &State, out: &mut Vec<u32>) {
    out.clear();
    let n = st.n;
    let k = st.stack.len();
    let at = |i: usize| {
        if i == NO {
            (NONE, NONE)
        } else {
            (s.w[i], s.p[i])
        }
    };
    let lab = |i: usize| {
        if i == NO {
            NONE
        } else {
            st.label[i] as u64 + 7
        }
    };
    let s0 = if k >= 1 { st.stack[k - 1] } else { NO };
    let s1 = if k >= 2 { st.stack[k - 2] } else { NO };
    let s2 = if k >= 3 { st.stack[k - 3] } else { NO };
    let b0 = if st.b <= n { st.b } else { NO };
    let b1 = if st.b < n { st.b + 1 } else { NO };
    let b2 = if st.b + 1 < n { st.b + 2 } else { NO };
    let ch = |v: &Vec<usize>, i: usize| if i == NO { NO } else { v[i] };
    let (s0l, s0l2, s0r, s0r2) = (
        ch(&st.lc1, s0),
        ch(&st.lc2, s0),
        ch(&st.rc1, s0),
        ch(&st.rc2, s0),
    );
    let (s1l, s1r) = (ch(&st.lc1, s1), ch(&st.rc1, s1));
    let (b0l, b0l2) = (ch(&st.lc1, b0), ch(&st.lc2, b0));
    let (s0w, s0p) = at(s0);
    let (s1w, s1p) = at(s1);
    let (s2w, s2p) = at(s2);
    let (b0w, b0p) = at(b0);
    let (b1w, b1p) = at(b1);
    let (b2w, b2p) = at(b2);
    let (s0lw, s0lp) = at(s0l);
    let (s0rw, s0rp) = at(s0r);
    let (s0l2w, s0l2p) = at(s0l2);
    let (s0r2w, s0r2p) = at(s0r2);
    let (s1lw, s1lp) = at(s1l);
    let (s1rw, s1rp) = at(s1r);
    let (b0lw, b0lp) = at(b0l);
    let (b0l2w, b0l2p) = at(b0l2);
    let (s0ll, s0rl, s1ll, s1rl, b0ll) = (lab(s0l), lab(s0r), lab(s1l), lab(s1r), lab(b0l));
    let (s0l2l, s0r2l, b0l2l) = (lab(s0l2), lab(s0r2), lab(b0l2));
    let d = if s0 != NO && b0 != NO {
        dist(s0, b0)
    } else {
        NONE
    };
    let d2 = if s0 != NO && s1 != NO {
        dist(s1, s0)
    } else {
        NONE
    };
    let val = |v: &Vec<u16>, i: usize| if i == NO { NONE } else { v[i].min(6) as u64 };
    let (s0vl, s0vr, s1vr, b0vl) = (
        val(&st.nl, s0),
        val(&st.nr, s0),
        val(&st.nr, s1),
        val(&st.nl, b0),
    );
    let s0suf = if s0 == NO { NONE } else { s.suf[s0] };
    let b0suf = if b0 == NO { NONE } else { s.suf[b0] };
    let o = out;
    o.push(f1(0, 0));
    // single words
    o.push(f2(1, s0w, s0p));
    o.push(f1(2, s0w));
    o.push(f1(3, s0p));
    o.push(f2(4, s1w, s1p));
    o.push(f1(5, s1w));
    o.push(f1(6, s1p));
    o.push(f2(7, b0w, b0p));
    o.push(f1(8, b0w));
    o.push(f1(9, b0p));
    o.push(f2(10, b1w, b1p));
    o.push(f1(11, b1w));
    o.push(f1(12, b1p));
    o.push(f1(13, b2w));
    o.push(f1(14, b2p));
    o.push(f1(15, s2p));
    o.push(f1(16, s2w));
    // pairs
    o.push(f3(17, s0w, s0p, f2(0, b0w, b0p) as u64));
    o.push(f3(18, s0w, s0p, b0w));
    o.push(f3(19, s0w, b0w, b0p));
    o.push(f3(20, s0w, s0p, b0p));
    o.push(f3(21, s0p, b0w, b0p));
    o.push(f2(22, s0w, b0w));
    o.push(f2(23, s0p, b0p));
    o.push(f2(24, b0p, b1p));
    o.push(f3(25, s0w, s0p, f2(0, s1w, s1p) as u64));
    o.push(f2(26, s0w, s1w));
    o.push(f2(27, s0p, s1p));
    o.push(f2(28, s1p, b0p));
    o.push(f3(29, s0p, s1w, b0p));
    o.push(f3(30, s0w, s1p, b0p));
    // triples of tags
    o.push(f3(31, b0p, b1p, b2p));
    o.push(f3(32, s0p, b0p, b1p));
    o.push(f3(33, s1p, s0p, b0p));
    o.push(f3(34, s0p, s0lp, b0p));
    o.push(f3(35, s0p, s0rp, b0p));
    o.push(f3(36, s0p, b0p, b0lp));
    o.push(f3(37, s1p, s0p, s0lp));
    o.push(f3(38, s1p, s0p, s0rp));
    o.push(f3(39, s1p, s1rp, s0p));
    o.push(f3(40, s2p, s1p, s0p));
    o.push(f3(41, s1p, s1lp, s0p));
    // distance
    o.push(f2(42, s0w, d));
    o.push(f2(43, s0p, d));
    o.push(f2(44, b0w, d));
    o.push(f2(45, b0p, d));
    o.push(f3(46, s0w, b0w, d));
    o.push(f3(47, s0p, b0p, d));
    o.push(f3(48, s1p, s0p, d2));
    o.push(f3(49, s1w, s0w, d2));
    o.push(f2(50, s0p, d2));
    // valency
    o.push(f2(51, s0w, s0vr));
    o.push(f2(52, s0p, s0vr));
    o.push(f2(53, s0w, s0vl));
    o.push(f2(54, s0p, s0vl));
    o.push(f2(55, s1w, s1vr));
    o.push(f2(56, s1p, s1vr));
    o.push(f2(57, b0w, b0vl));
    o.push(f2(58, b0p, b0vl));
    // children
    o.push(f1(59, s0lw));
    o.push(f1(60, s0lp));
    o.push(f1(61, s0ll));
    o.push(f1(62, s0rw));
    o.push(f1(63, s0rp));
    o.push(f1(64, s0rl));
    o.push(f1(65, s1lw));
    o.push(f1(66, s1lp));
    o.push(f1(67, s1ll));
    o.push(f1(68, s1rw));
    o.push(f1(69, s1rp));
    o.push(f1(70, s1rl));
    o.push(f1(71, b0lw));
    o.push(f1(72, b0lp));
    o.push(f1(73, b0ll));
    // third order
    o.push(f1(74, s0l2w));
    o.push(f1(75, s0l2p));
    o.push(f1(76, s0l2l));
    o.push(f1(77, s0r2w));
    o.push(f1(78, s0r2p));
    o.push(f1(79, s0r2l));
    o.push(f1(80, b0l2w));
    o.push(f1(81, b0l2p));
    o.push(f1(82, b0l2l));
    o.push(f3(83, s0p, s0lp, s0l2p));
    o.push(f3(84, s0p, s0rp, s0r2p));
    o.push(f3(85, b0p, b0lp, b0l2p));
    // label sets
    o.push(f3(86, s0p, s0ll, s0rl));
    o.push(f3(87, b0p, b0ll, b0l2l));
    o.push(f3(88, s1p, s1ll, s1rl));
    // unknown-word help
    o.push(f2(89, s0suf, s0p));
    o.push(f2(90, b0suf, b0p));
    o.push(f3(91, s0p, b0p, s0rl));
    o.push(f3(92, s0w, b0p, b1p));
    o.push(f3(93, b0w, s0p, b1p));
}

impl Parser {
    pub fn load(buf: &[u8]) -> Result<Parser, Error> {
        let mut r = Reader::new(buf, KIND, VERSION)?;
        let labels = r.strs()?;
        let w = Weights::read(&mut r)?;
        if w.n_classes() != 1 + 2 * labels.len() {
            return Err(Error::Format("weights and labels disagree".into()));
        }
        Ok(Parser { w, labels })
    }

    pub fn save(&self) -> Vec<u8> {
        let mut wr = Writer::new(KIND, VERSION);
        wr.strs(&self.labels);
        self.w.write(&mut wr);
        wr.finish()
    }

    /// The label inventory.
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// Name of a label id.
    pub fn label(&self, l: u16) -> &str {
        self.labels
            .get(l as usize)
            .map(|s| s.as_str())
            .unwrap_or("dep")
    }

    /// The weights (diagnostics).
    pub fn weights(&self) -> &Weights {
        &self.w
    }

    /// Runs the parser, handing each state's features to `f` (diagnostics).
    #[doc(hidden)]
    pub fn trace(&self, words: &[&str], tags: &[&str], mut f: impl FnMut(&[u32])) {
        let sent = Sent::new(words, tags);
        let mut st = State::new(words.len());
        let mut feats = Vec::new();
        let mut scores = vec![0i32; self.w.n_classes()];
        while !st.terminal() {
            features(&sent, &st, &mut feats);
            f(&feats);
            self.w.score(&feats, &mut scores);
            match argmax_allowed(&scores, |t| st.valid(t)) {
                Some(t) => st.apply(t),
                None => break,
            }
        }
    }

    /// Parses one sentence given words and joint tags (see [`joint_tag`]).
    /// Returns per word its head (0-based index; None for the root) and
    /// label id.
    pub fn parse(&self, words: &[&str], tags: &[&str]) -> Vec<(Option<usize>, u16)> {
        let hashes: Vec<u64> = tags.iter().map(|t| hstr(t)).collect();
        self.parse_hashed(words, &hashes)
    }

    /// As [`Parser::parse`], with the joint tags given by their hashes
    /// ([`joint_tag_hash`]): what the pipeline stage uses, so that no
    /// tag strings are built per token.
    pub fn parse_hashed(&self, words: &[&str], tags: &[u64]) -> Vec<(Option<usize>, u16)> {
        let n = words.len();
        if n == 0 {
            return Vec::new();
        }
        let sent = Sent::hashed(words, tags);
        let mut st = State::new(n);
        let mut feats = Vec::with_capacity(100);
        let mut scores = vec![0i32; self.w.n_classes()];
        while !st.terminal() {
            features(&sent, &st, &mut feats);
            self.w.score(&feats, &mut scores);
            let t = match argmax_allowed(&scores, |t| st.valid(t)) {
                Some(t) => t,
                None => break,
            };
            st.apply(t);
        }
        let root_l = self.labels.iter().position(|l| l == "root").unwrap_or(0) as u16;
        let mut out: Vec<(Option<usize>, u16)> = (0..n)
            .map(|i| {
                let h = st.head[i];
                if h == NO || h >= n {
                    (None, root_l)
                } else {
                    (Some(h), st.label[i])
                }
            })
            .collect();
        // Exactly one root: extra roots (only possible if parsing broke
        // off) attach to the first one.
        let roots: Vec<usize> = (0..n).filter(|&i| out[i].0.is_none()).collect();
        for &r in roots.iter().skip(1) {
            out[r] = (
                Some(roots[0]),
                self.labels.iter().position(|l| l == "dep").unwrap_or(0) as u16,
            );
        }
        if let Some(&r) = roots.first() {
            out[r].1 = root_l;
        }
        out
    }
}
