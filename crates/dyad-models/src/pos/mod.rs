//! Part-of-speech tagger: a greedy left-to-right averaged perceptron that
//! predicts UPOS and PTB XPOS jointly (one class per pair seen in
//! training), with a tag dictionary for frequent unambiguous words and the
//! learned [`Lemmatizer`](crate::lemma::Lemmatizer).

pub mod trainer;

use crate::feat::{f1, f2, f3};
use crate::format::{Reader, Writer};
use crate::lemma::Lemmatizer;
use crate::lex::Lex;
use crate::perceptron::{argmax_allowed, HashKeyMap, Weights};
use crate::Error;

pub const KIND: &str = "dyad-pos";
pub const VERSION: u32 = 1;

/// A trained tagger.
pub struct Tagger {
    pub(crate) w: Weights,
    /// Class id -> (UPOS, XPOS).
    pub(crate) classes: Vec<(String, String)>,
    /// Hash of the exact form -> class, for frequent unambiguous words.
    pub(crate) tagdict: HashKeyMap<u16>,
    /// Hash of the lower-cased form -> its most frequent class in training
    /// (words seen at least 3 times): the "ambiguity class" of the right
    /// context, which a left-to-right tagger cannot otherwise see.
    pub(crate) amb: HashKeyMap<u16>,
    pub(crate) lemma: Lemmatizer,
}

/// Tag ids used for positions before the sentence.
pub(crate) fn start_tag(k: usize, n: usize) -> u64 {
    (n + k) as u64
}

/// The feature templates. `lex` is padded with two tokens each side; `i`
/// indexes the unpadded sentence; `p1`/`p2` are the previous two tags.
pub(crate) fn features(lex: &[Lex], amb: &[u64], i: usize, p1: u64, p2: u64, out: &mut Vec<u32>) {
    out.clear();
    let j = i + 2;
    let (a0, a1, a2) = (amb[j], amb[j + 1], amb[j + 2]);
    out.push(f1(32, a0));
    out.push(f1(33, a1));
    out.push(f1(34, a2));
    out.push(f2(35, a0, a1));
    out.push(f2(36, p1, a1));
    out.push(f3(37, a0, a1, a2));
    out.push(f2(38, w_lower(lex, j), a1));
    let (w, wm1, wm2, wp1, wp2) = (&lex[j], &lex[j - 1], &lex[j - 2], &lex[j + 1], &lex[j + 2]);
    out.push(f1(0, 0));
    out.push(f1(1, w.lower));
    out.push(f1(2, w.suf[0]));
    out.push(f1(3, w.suf[1]));
    out.push(f1(4, w.suf[2]));
    out.push(f1(5, w.suf[3]));
    out.push(f1(6, w.pre[0]));
    out.push(f1(7, w.pre[1]));
    out.push(f1(8, w.pre[2]));
    out.push(f1(9, w.shape));
    out.push(f1(10, w.flags));
    out.push(f1(11, w.form));
    out.push(f1(12, p1));
    out.push(f1(13, p2));
    out.push(f2(14, p1, p2));
    out.push(f2(15, p1, w.lower));
    out.push(f1(16, wm1.lower));
    out.push(f1(17, wm1.suf[2]));
    out.push(f1(18, wm2.lower));
    out.push(f1(19, wp1.lower));
    out.push(f1(20, wp1.suf[2]));
    out.push(f1(21, wp2.lower));
    out.push(f2(22, wm1.lower, w.lower));
    out.push(f2(23, w.lower, wp1.lower));
    out.push(f1(24, wp1.shape));
    out.push(f1(25, wm1.shape));
    out.push(f2(26, p1, w.suf[2]));
    out.push(f2(27, (i == 0) as u64, w.shape));
    out.push(f2(28, p1, wp1.lower));
    out.push(f1(29, wp2.suf[2]));
    out.push(f3(30, wm1.lower, w.lower, wp1.lower));
    out.push(f2(31, w.suf[2], wp1.suf[2]));
}

fn w_lower(lex: &[Lex], j: usize) -> u64 {
    lex[j].lower
}

/// Ambiguity classes of a padded sentence (unknown words: a marker).
pub(crate) fn ambs(lex: &[Lex], amb: &HashKeyMap<u16>) -> Vec<u64> {
    lex.iter()
        .enumerate()
        .map(|(k, l)| {
            if k < 2 || k + 2 >= lex.len() {
                0xabcd
            } else {
                amb.get(&l.lower).map(|&c| c as u64).unwrap_or(0xffff)
            }
        })
        .collect()
}

/// Builds the padded lexical view of a sentence.
pub(crate) fn lexes(words: &[&str]) -> Vec<Lex> {
    let mut v = Vec::with_capacity(words.len() + 4);
    v.push(Lex::pad(1));
    v.push(Lex::pad(2));
    v.extend(words.iter().map(|w| Lex::new(w)));
    v.push(Lex::pad(3));
    v.push(Lex::pad(4));
    v
}

impl Tagger {
    /// Loads a model file.
    pub fn load(buf: &[u8]) -> Result<Tagger, Error> {
        let mut r = Reader::new(buf, KIND, VERSION)?;
        let up = r.strs()?;
        let xp = r.strs()?;
        if up.len() != xp.len() {
            return Err(Error::Format("class lists differ in length".into()));
        }
        let classes: Vec<(String, String)> = up.into_iter().zip(xp).collect();
        let n = r.u32()? as usize;
        let mut tagdict = HashKeyMap::with_capacity_and_hasher(n, Default::default());
        for _ in 0..n {
            let lo = r.u32()? as u64;
            let hi = r.u32()? as u64;
            let c = r.u32()? as u16;
            if c as usize >= classes.len() {
                return Err(Error::Format("tag dictionary class out of range".into()));
            }
            tagdict.insert(hi << 32 | lo, c);
        }
        let n = r.u32()? as usize;
        let mut amb = HashKeyMap::with_capacity_and_hasher(n, Default::default());
        for _ in 0..n {
            let lo = r.u32()? as u64;
            let hi = r.u32()? as u64;
            let c = r.u32()? as u16;
            amb.insert(hi << 32 | lo, c);
        }
        let w = Weights::read(&mut r)?;
        if w.n_classes() != classes.len() {
            return Err(Error::Format("weights and classes disagree".into()));
        }
        let lemma = Lemmatizer::read(&mut r)?;
        Ok(Tagger {
            w,
            classes,
            tagdict,
            amb,
            lemma,
        })
    }

    /// Serialises the model.
    pub fn save(&self) -> Vec<u8> {
        let mut wr = Writer::new(KIND, VERSION);
        wr.strs(&self.classes.iter().map(|c| c.0.clone()).collect::<Vec<_>>());
        wr.strs(&self.classes.iter().map(|c| c.1.clone()).collect::<Vec<_>>());
        let mut td: Vec<_> = self.tagdict.iter().collect();
        td.sort();
        wr.u32(td.len() as u32);
        for (h, c) in td {
            wr.u32(*h as u32);
            wr.u32((*h >> 32) as u32);
            wr.u32(*c as u32);
        }
        let mut am: Vec<_> = self.amb.iter().collect();
        am.sort();
        wr.u32(am.len() as u32);
        for (h, c) in am {
            wr.u32(*h as u32);
            wr.u32((*h >> 32) as u32);
            wr.u32(*c as u32);
        }
        self.w.write(&mut wr);
        self.lemma.write(&mut wr);
        wr.finish()
    }

    /// Number of (UPOS, XPOS) classes.
    pub fn n_classes(&self) -> usize {
        self.classes.len()
    }

    /// Tags a sentence: one class id per word.
    pub fn tag(&self, words: &[&str]) -> Vec<u16> {
        let lex = lexes(words);
        let amb = ambs(&lex, &self.amb);
        let n = self.classes.len();
        let mut feats = Vec::with_capacity(40);
        let mut scores = vec![0i32; n];
        let mut out: Vec<u16> = Vec::with_capacity(words.len());
        let (mut p1, mut p2) = (start_tag(0, n), start_tag(1, n));
        for i in 0..words.len() {
            let c = match self.tagdict.get(&lex[i + 2].form) {
                Some(&c) => c,
                None => {
                    features(&lex, &amb, i, p1, p2, &mut feats);
                    self.w.score(&feats, &mut scores);
                    argmax_allowed(&scores, |_| true).unwrap_or(0) as u16
                }
            };
            out.push(c);
            p2 = p1;
            p1 = c as u64;
        }
        out
    }

    /// (UPOS, XPOS) of a class id.
    pub fn class(&self, c: u16) -> (&str, &str) {
        let (u, x) = &self.classes[c as usize];
        (u, x)
    }

    /// Lemma of a tagged word.
    pub fn lemma(&self, form: &str, upos: &str, xpos: &str) -> String {
        self.lemma.lemma(form, upos, xpos)
    }
}
