//! Trains the [`Parser`](super::Parser) with a dynamic oracle.

use super::{features, Parser, Sent, State, SHIFT as SHIFT_T};
use crate::conllu::Sentence;
use crate::data::Rng;
use crate::perceptron::{argmax_allowed, Trainer};
use crate::TrainConfig;
use std::collections::{BTreeSet, HashMap};

/// A training sentence: words, joint tags, gold heads (0-based, `n` =
/// root) and gold label ids.
pub struct Example {
    pub words: Vec<String>,
    pub tags: Vec<String>,
    pub heads: Vec<usize>,
    pub labels: Vec<u16>,
}

/// Label inventory of a treebank (sorted).
pub fn label_set(sents: &[Sentence]) -> Vec<String> {
    sents
        .iter()
        .flat_map(|s| s.words.iter().map(|w| w.deprel.clone()))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// Builds examples; `tags` gives each sentence's joint tags (predicted,
/// so training sees the noise parsing will see).
pub fn examples(sents: &[Sentence], tags: &[Vec<String>], labels: &[String]) -> Vec<Example> {
    let lid: HashMap<&str, u16> = labels
        .iter()
        .enumerate()
        .map(|(i, l)| (l.as_str(), i as u16))
        .collect();
    sents
        .iter()
        .zip(tags)
        .map(|(s, t)| {
            let n = s.words.len();
            Example {
                words: s.words.iter().map(|w| w.form.clone()).collect(),
                tags: t.clone(),
                heads: s
                    .words
                    .iter()
                    .map(|w| if w.head == 0 { n } else { w.head - 1 })
                    .collect(),
                labels: s
                    .words
                    .iter()
                    .map(|w| *lid.get(w.deprel.as_str()).unwrap_or(&u16::MAX))
                    .collect(),
            }
        })
        .collect()
}

/// Unlabelled costs (SHIFT, LEFT, RIGHT) of the arc-hybrid system: how
/// many gold arcs each transition makes unreachable.
fn costs(st: &State, ex: &Example, children: &[Vec<usize>], in_stack: &[bool]) -> [usize; 3] {
    let n = st.n;
    let b = st.b;
    let k = st.stack.len();
    let mut c = [usize::MAX; 3];
    if b < n {
        let mut cost = children[b]
            .iter()
            .filter(|&&d| d < n && in_stack[d])
            .count();
        let h = ex.heads[b];
        if h < n && in_stack[h] && Some(&h) != st.stack.last() {
            cost += 1;
        }
        c[0] = cost;
    }
    if k >= 1 {
        let s0 = st.stack[k - 1];
        let deps_in_buffer = children[s0].iter().filter(|&&d| d >= b).count();
        let h = ex.heads[s0];
        let s1 = if k >= 2 { Some(st.stack[k - 2]) } else { None };
        let lost_left = h != b && (Some(h) == s1 || h > b);
        c[1] = deps_in_buffer + lost_left as usize;
        if k >= 2 {
            c[2] = deps_in_buffer + (h >= b) as usize;
        }
    }
    c
}

/// Labelled attachment of a parser on examples: (UAS, LAS), punctuation
/// included (the CoNLL 2018 convention).
pub fn attachment(p: &Parser, exs: &[Example]) -> (f64, f64) {
    let (mut n, mut u, mut l) = (0usize, 0usize, 0usize);
    for ex in exs {
        let w: Vec<&str> = ex.words.iter().map(|s| s.as_str()).collect();
        let t: Vec<&str> = ex.tags.iter().map(|s| s.as_str()).collect();
        let out = p.parse(&w, &t);
        let m = w.len();
        for (i, (h, lab)) in out.into_iter().enumerate() {
            let h = h.unwrap_or(m);
            n += 1;
            if h == ex.heads[i] {
                u += 1;
                if lab == ex.labels[i] {
                    l += 1;
                }
            }
        }
    }
    let d = n.max(1) as f64;
    (u as f64 / d, l as f64 / d)
}

/// Trains; keeps the epoch with the best dev LAS.
pub fn train(
    train: &[Example],
    dev: &[Example],
    labels: Vec<String>,
    cfg: &TrainConfig,
    log: &mut dyn FnMut(&str),
) -> Parser {
    let nl = labels.len();
    let nc = 1 + 2 * nl;
    let mut tr = Trainer::new(nc);
    let mut rng = Rng::new(cfg.seed);
    let mut order: Vec<usize> = (0..train.len()).collect();
    let mut feats = Vec::with_capacity(100);
    let mut scores = vec![0f32; nc];
    let mut best: Option<(f64, Vec<u8>)> = None;
    log(&format!("dep: {} sentences, {} labels", train.len(), nl));
    for epoch in 1..=cfg.epochs {
        rng.shuffle(&mut order);
        let (mut steps, mut errs) = (0usize, 0usize);
        for &si in &order {
            let ex = &train[si];
            let n = ex.words.len();
            if n == 0 {
                continue;
            }
            let w: Vec<&str> = ex.words.iter().map(|s| s.as_str()).collect();
            let t: Vec<&str> = ex.tags.iter().map(|s| s.as_str()).collect();
            let sent = Sent::new(&w, &t);
            let mut children = vec![Vec::new(); n + 1];
            for (d, &h) in ex.heads.iter().enumerate() {
                children[h.min(n)].push(d);
            }
            let mut st = State::new(n);
            let mut in_stack = vec![false; n + 1];
            while !st.terminal() {
                features(&sent, &st, &mut feats);
                tr.tick();
                tr.score(&feats, &mut scores);
                let pred = match argmax_allowed(&scores, |c| st.valid(c)) {
                    Some(p) => p,
                    None => break,
                };
                let uc = costs(&st, ex, &children, &in_stack);
                let k = st.stack.len();
                let s0 = if k > 0 { st.stack[k - 1] } else { usize::MAX };
                let s1 = if k > 1 { st.stack[k - 2] } else { usize::MAX };
                let cost = |c: usize| -> usize {
                    if c == SHIFT_T {
                        uc[0]
                    } else if c % 2 == 1 {
                        let l = (c - 1) / 2;
                        uc[1] + (ex.heads[s0] == st.b && ex.labels[s0] as usize != l) as usize
                    } else {
                        let l = (c - 2) / 2;
                        uc[2] + (ex.heads[s0] == s1 && ex.labels[s0] as usize != l) as usize
                    }
                };
                let mut min_cost = usize::MAX;
                for c in 0..nc {
                    if st.valid(c) {
                        min_cost = min_cost.min(cost(c));
                    }
                }
                let gold =
                    argmax_allowed(&scores, |c| st.valid(c) && cost(c) == min_cost).unwrap_or(pred);
                steps += 1;
                let next = if cost(pred) > min_cost {
                    errs += 1;
                    tr.update(gold, pred, &feats);
                    if epoch > 1 && rng.unit() < 0.9 {
                        pred
                    } else {
                        gold
                    }
                } else {
                    pred
                };
                if next == SHIFT_T {
                    in_stack[st.b] = true;
                } else if let Some(&s0) = st.stack.last() {
                    in_stack[s0] = false;
                }
                st.apply(next);
            }
        }
        let p = Parser {
            w: tr.compact(cfg.min_weight),
            labels: labels.clone(),
        };
        let (u, l) = attachment(&p, dev);
        log(&format!(
            "dep epoch {epoch}: train transition errors {:.4}  dev UAS {u:.4} LAS {l:.4}  ({} weights)",
            errs as f64 / steps.max(1) as f64,
            p.w.len()
        ));
        if best.as_ref().is_none_or(|(b, _)| l > *b) {
            best = Some((l, p.save()));
            cfg.save_checkpoint(&best.as_ref().expect("set").1);
        }
    }
    match best {
        Some((_, bytes)) => Parser::load(&bytes).expect("own model loads"),
        None => Parser {
            w: tr.compact(cfg.min_weight),
            labels,
        },
    }
}
