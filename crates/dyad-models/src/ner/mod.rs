//! Named-entity recogniser: a greedy BILOU tagger (averaged perceptron,
//! label-sequence constraints at decoding) for PER, ORG and LOC, trained
//! on UniversalNER English EWT, with gazetteer features. NORP
//! (nationality and group words: "Russian", "Syrian", "Kurdish", "Kurds")
//! is not learned (UNER has no such type): it is marked by a demonym
//! lexicon on capitalised words outside other entities.

pub mod gazetteer;
pub mod places;
pub mod trainer;

use crate::feat::{f1, f2, f3, hstr};
use crate::format::{Reader, Writer};
use crate::lex::Lex;
use crate::perceptron::{argmax_allowed, Weights};
use crate::Error;
use gazetteer::Gazetteer;
use places::Places;
use std::sync::OnceLock;

pub const KIND: &str = "dyad-ner";
pub const VERSION: u32 = 1;

/// The shared gazetteer (built once from the embedded lists).
pub fn gazetteer() -> &'static Gazetteer {
    static G: OnceLock<Gazetteer> = OnceLock::new();
    G.get_or_init(Gazetteer::new)
}

/// A trained recogniser.
pub struct Recognizer {
    pub(crate) w: Weights,
    /// Entity types; labels are O, then B/I/L/U per type.
    pub(crate) types: Vec<String>,
    /// Place-name feature table (an optional trailing section of the file).
    pub(crate) places: Places,
}

/// Label id helpers: 0 = O, `1 + 4t + k` with k = B, I, L, U.
pub(crate) fn lab(t: usize, k: usize) -> usize {
    1 + 4 * t + k
}
pub(crate) const B: usize = 0;
pub(crate) const I: usize = 1;
pub(crate) const L: usize = 2;
pub(crate) const U: usize = 3;

/// Is `cur` allowed after `prev` (`last`: no token follows)?
pub(crate) fn allowed(prev: usize, cur: usize, last: bool) -> bool {
    let open = |l: usize| l != 0 && matches!((l - 1) % 4, 0 | 1);
    let kind = |l: usize| if l == 0 { usize::MAX } else { (l - 1) % 4 };
    let ty = |l: usize| if l == 0 { usize::MAX } else { (l - 1) / 4 };
    if open(prev) {
        ty(cur) == ty(prev) && (kind(cur) == L || (kind(cur) == I && !last))
    } else {
        cur == 0 || kind(cur) == U || (kind(cur) == B && !last)
    }
}

/// Per-sentence precomputed values.
pub(crate) struct Sent {
    lex: Vec<Lex>,
    pos: Vec<u64>,
    gaz: Vec<u64>,
    /// Place-name match class and position per token (padded).
    place: Vec<u64>,
    /// Casing of the whole sentence: 0 mixed, 1 no capitals, 2 mostly capitals.
    case: u64,
}

impl Sent {
    pub fn new(words: &[&str], upos: &[&str], places: &Places) -> Sent {
        let mut lex = vec![Lex::pad(1), Lex::pad(2)];
        lex.extend(words.iter().map(|w| Lex::new(w)));
        lex.push(Lex::pad(3));
        lex.push(Lex::pad(4));
        let lowers: Vec<u64> = lex[2..lex.len() - 2].iter().map(|l| l.lower).collect();
        let g = gazetteer().tag(&lowers);
        let pad = 0xfeed;
        let mut gaz = vec![pad, pad];
        gaz.extend(g.iter().map(|&f| f as u64));
        gaz.extend([pad, pad]);
        let mut place = vec![pad, pad];
        place.extend(places.tag(&lowers).into_iter().map(|c| c as u64));
        place.extend([pad, pad]);
        let mut pos = vec![pad, pad];
        pos.extend((0..words.len()).map(|i| hstr(upos.get(i).copied().unwrap_or(""))));
        pos.extend([pad, pad]);
        let (mut caps, mut lowers) = (0usize, 0usize);
        for w in words {
            match w.chars().next() {
                Some(c) if c.is_uppercase() => caps += 1,
                Some(c) if c.is_lowercase() => lowers += 1,
                _ => {}
            }
        }
        let case = if caps == 0 {
            1
        } else if caps > 2 * lowers.max(1) {
            2
        } else {
            0
        };
        Sent {
            lex,
            pos,
            gaz,
            place,
            case,
        }
    }
}

/// Stand-in for a word's identity under word dropout (training only).
const UNK: u64 = 0x554e_4b57;

/// Features of token `i` given the two previous labels. `drop` hides the
/// token's own word identity (form and lower-case form; shape and affixes
/// stay): the trainer sets it at random so the model also learns to
/// recognise names from shape and context, which is what it has for the
/// many names it never saw in training.
pub(crate) fn features(s: &Sent, i: usize, p1: u64, p2: u64, drop: bool, out: &mut Vec<u32>) {
    out.clear();
    let j = i + 2;
    let hidden;
    let w = if drop {
        hidden = Lex {
            form: UNK,
            lower: UNK,
            ..s.lex[j]
        };
        &hidden
    } else {
        &s.lex[j]
    };
    let (wm1, wm2, wp1, wp2) = (&s.lex[j - 1], &s.lex[j - 2], &s.lex[j + 1], &s.lex[j + 2]);
    let (p, pm1, pp1) = (s.pos[j], s.pos[j - 1], s.pos[j + 1]);
    let (g, gm1, gp1) = (s.gaz[j], s.gaz[j - 1], s.gaz[j + 1]);
    out.push(f1(0, 0));
    out.push(f1(1, w.lower));
    out.push(f1(2, w.form));
    out.push(f1(3, w.shape));
    out.push(f1(4, w.suf[1]));
    out.push(f1(5, w.suf[2]));
    out.push(f1(6, w.pre[1]));
    out.push(f1(7, w.flags));
    out.push(f1(8, p));
    out.push(f1(9, pm1));
    out.push(f1(10, pp1));
    out.push(f1(11, wm1.lower));
    out.push(f1(12, wp1.lower));
    out.push(f1(13, wm2.lower));
    out.push(f1(14, wp2.lower));
    out.push(f1(15, wm1.shape));
    out.push(f1(16, wp1.shape));
    out.push(f1(17, p1));
    out.push(f2(18, p1, p2));
    out.push(f2(19, p1, w.lower));
    out.push(f2(20, p1, w.shape));
    out.push(f1(21, g));
    out.push(f1(22, gm1));
    out.push(f1(23, gp1));
    out.push(f2(24, p, w.shape));
    out.push(f2(25, g, w.shape));
    out.push(f2(26, gm1, w.shape));
    out.push(f2(27, gp1, w.shape));
    out.push(f2(28, wm1.lower, w.lower));
    out.push(f2(29, w.lower, wp1.lower));
    out.push(f2(30, (i == 0) as u64, w.shape));
    out.push(f1(31, w.suf[3]));
    out.push(f1(32, w.pre[2]));
    out.push(f3(33, pm1, p, pp1));
    out.push(f2(34, p1, p));
    out.push(f2(35, wp1.shape, wp2.shape));
    out.push(f2(36, wm1.shape, w.shape));
    out.push(f2(37, w.shape, wp1.shape));
    out.push(f2(38, p1, wp1.shape));
    out.push(f2(39, s.case, w.shape));
    out.push(f3(40, s.case, w.shape, p));
    out.push(f1(41, wm1.form));
    out.push(f1(42, wp1.form));
    out.push(f2(43, wm1.lower, wm2.lower));
    out.push(f2(44, wp1.lower, wp2.lower));
    out.push(f2(45, w.form, wp1.shape));
    out.push(f2(46, wm1.shape, w.form));
    out.push(f3(47, g, gm1, gp1));
    // Place names, alone and with casing and context.
    let (pl, plm1, plp1) = (s.place[j], s.place[j - 1], s.place[j + 1]);
    out.push(f1(48, pl));
    out.push(f2(49, pl, w.shape));
    out.push(f2(50, plm1, pl));
    out.push(f2(51, pl, plp1));
    out.push(f3(52, pl, p, s.case));
    // More context: neighbours' words against this word's shape.
    out.push(f2(53, wm1.lower, w.shape));
    out.push(f2(54, w.shape, wp1.lower));
    out.push(f3(55, pm1, p, w.shape));
    out.push(f2(56, w.suf[3], p));
    out.push(f2(57, wm2.lower, w.shape));
    out.push(f2(58, w.shape, wp2.lower));
}

impl Recognizer {
    pub fn load(buf: &[u8]) -> Result<Recognizer, Error> {
        let mut r = Reader::new(buf, KIND, VERSION)?;
        let types = r.strs()?;
        let w = Weights::read(&mut r)?;
        if w.n_classes() != 1 + 4 * types.len() {
            return Err(Error::Format("weights and types disagree".into()));
        }
        let places = if r.at_end() {
            Places::default()
        } else {
            Places::read(&mut r)?
        };
        Ok(Recognizer { w, types, places })
    }

    pub fn save(&self) -> Vec<u8> {
        let mut wr = Writer::new(KIND, VERSION);
        wr.strs(&self.types);
        self.w.write(&mut wr);
        self.places.write(&mut wr);
        wr.finish()
    }

    /// Label name of a label id (`O`, `B-PER`, ...), BILOU.
    pub fn label_name(&self, l: usize) -> String {
        if l == 0 {
            return "O".into();
        }
        let k = ["B", "I", "L", "U"][(l - 1) % 4];
        format!("{k}-{}", self.types[(l - 1) / 4])
    }

    /// BILOU label ids for a sentence (learned types only).
    pub fn labels(&self, words: &[&str], upos: &[&str]) -> Vec<usize> {
        let n = words.len();
        let s = Sent::new(words, upos, &self.places);
        let mut feats = Vec::with_capacity(48);
        let mut scores = vec![0i32; self.w.n_classes()];
        let mut out = Vec::with_capacity(n);
        let (mut p1, mut p2) = (0usize, 0usize);
        for i in 0..n {
            features(&s, i, p1 as u64 + 100, p2 as u64 + 100, false, &mut feats);
            self.w.score(&feats, &mut scores);
            let c = argmax_allowed(&scores, |c| allowed(p1, c, i + 1 == n)).unwrap_or(0);
            out.push(c);
            p2 = p1;
            p1 = c;
        }
        out
    }

    /// Entity spans `(start, end_exclusive, label)` over word indices,
    /// NORP included.
    pub fn recognize(&self, words: &[&str], upos: &[&str]) -> Vec<(usize, usize, &str)> {
        let labels = self.labels(words, upos);
        let mut out: Vec<(usize, usize, &str)> = Vec::new();
        let mut start = 0;
        for (i, &l) in labels.iter().enumerate() {
            if l == 0 {
                continue;
            }
            let (t, k) = ((l - 1) / 4, (l - 1) % 4);
            if k == B || k == U {
                start = i;
            }
            if k == L || k == U {
                out.push((start, i + 1, self.types[t].as_str()));
            }
        }
        let _ = I;
        split_titles(words, &mut out);
        add_norp(words, upos, &mut out);
        out
    }
}

/// Titles are not part of names (the UNER and CoNLL conventions): a span
/// such as "Ukrainian Foreign Minister Dmytro Kuleba", where a title cue
/// has capitalised words before it inside the span and at least two
/// capitalised words after it, is the person name after the title. The
/// words before are left to the other rules (a demonym becomes NORP).
/// A title at the start of a span ("General Motors") or followed by one
/// word ("Bank of St. Louis") is left alone.
pub fn split_titles(words: &[&str], out: &mut [(usize, usize, &str)]) {
    let g = gazetteer();
    let cap = |w: &str| w.chars().next().is_some_and(|c| c.is_uppercase());
    for e in out.iter_mut() {
        let (s, end) = (e.0, e.1);
        let title = (s + 1..end.saturating_sub(2))
            .rev()
            .find(|&k| g.is_title(words[k]));
        if let Some(k) = title {
            if words[s..k].iter().all(|w| cap(w)) && words[k + 1..end].iter().all(|w| cap(w)) {
                *e = (k + 1, end, "PER");
            }
        }
    }
}

/// Adds NORP spans from the demonym lexicon to learned `spans`: a lone
/// learned entity that is a demonym becomes NORP; a capitalised demonym
/// (or two-word demonym) outside any entity, tagged ADJ, PROPN or NOUN
/// (or untagged), is marked NORP. Keeps the list sorted.
pub fn add_norp(words: &[&str], upos: &[&str], out: &mut Vec<(usize, usize, &str)>) {
    let g = gazetteer();
    // A lone demonym adjective is NORP, whatever the tagger thought.
    for e in out.iter_mut() {
        if e.1 == e.0 + 1 && g.demonym(words[e.0]).is_some() {
            e.2 = "NORP";
        }
    }
    let mut covered = vec![false; words.len()];
    for e in out.iter() {
        covered[e.0..e.1].iter_mut().for_each(|c| *c = true);
    }
    let mut i = 0;
    while i < words.len() {
        if covered[i] || !words[i].chars().next().is_some_and(|c| c.is_uppercase()) {
            i += 1;
            continue;
        }
        // Two-word demonyms first ("South African").
        if i + 1 < words.len()
            && !covered[i + 1]
            && g.demonym(&format!("{} {}", words[i], words[i + 1]))
                .is_some()
        {
            out.push((i, i + 2, "NORP"));
            i += 2;
            continue;
        }
        if g.demonym(words[i]).is_some()
            && upos
                .get(i)
                .is_none_or(|u| matches!(*u, "ADJ" | "PROPN" | "NOUN" | ""))
        {
            out.push((i, i + 1, "NORP"));
        }
        i += 1;
    }
    out.sort();
}
