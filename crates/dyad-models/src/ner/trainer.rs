//! Trains the [`Recognizer`](super::Recognizer) on IOB2 data.

use super::places::Places;
use super::{allowed, features, lab, Recognizer, Sent, B, I, L, U};
use crate::conllu::spans;
use crate::data::Rng;
use crate::perceptron::{argmax_allowed, Trainer};
use crate::TrainConfig;
use std::collections::{BTreeSet, HashMap};

/// Share of training tokens whose word identity is hidden (see
/// [`features`]): most names in new text were never seen in training.
pub const WORD_DROPOUT: f64 = 0.2;

/// A training sentence with its (predicted) UPOS tags.
pub struct Example {
    pub words: Vec<String>,
    pub upos: Vec<String>,
    pub tags: Vec<String>,
}

fn bilou(tags: &[String], types: &HashMap<String, usize>) -> Vec<usize> {
    let mut out = vec![0usize; tags.len()];
    for (s, e, ty) in spans(tags) {
        let Some(&t) = types.get(&ty) else { continue };
        if e == s + 1 {
            out[s] = lab(t, U);
        } else {
            out[s] = lab(t, B);
            for o in out.iter_mut().take(e - 1).skip(s + 1) {
                *o = lab(t, I);
            }
            out[e - 1] = lab(t, L);
        }
    }
    out
}

/// Span scores per type and overall: type -> (tp, fp, fn). NORP
/// predictions are left out (the gold data has no such type).
pub fn score(r: &Recognizer, exs: &[Example]) -> Vec<(String, usize, usize, usize)> {
    let mut m: HashMap<String, (usize, usize, usize)> = HashMap::new();
    for ex in exs {
        let w: Vec<&str> = ex.words.iter().map(|s| s.as_str()).collect();
        let u: Vec<&str> = ex.upos.iter().map(|s| s.as_str()).collect();
        let pred: BTreeSet<(usize, usize, String)> = r
            .recognize(&w, &u)
            .into_iter()
            .filter(|e| e.2 != "NORP")
            .map(|(s, e, l)| (s, e, l.to_string()))
            .collect();
        let gold: BTreeSet<(usize, usize, String)> = spans(&ex.tags).into_iter().collect();
        for p in &pred {
            let e = m.entry(p.2.clone()).or_default();
            if gold.contains(p) {
                e.0 += 1;
            } else {
                e.1 += 1;
            }
        }
        for g in &gold {
            if !pred.contains(g) {
                m.entry(g.2.clone()).or_default().2 += 1;
            }
        }
    }
    let mut v: Vec<_> = m.into_iter().map(|(k, (a, b, c))| (k, a, b, c)).collect();
    v.sort();
    v
}

/// Micro F1 over a score table.
pub fn micro_f1(t: &[(String, usize, usize, usize)]) -> f64 {
    let (tp, fp, fnn) = t
        .iter()
        .fold((0, 0, 0), |a, x| (a.0 + x.1, a.1 + x.2, a.2 + x.3));
    let p = tp as f64 / (tp + fp).max(1) as f64;
    let r = tp as f64 / (tp + fnn).max(1) as f64;
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

/// Trains; keeps the epoch with the best dev F1.
pub fn train(
    train: &[Example],
    dev: &[Example],
    places: Places,
    cfg: &TrainConfig,
    log: &mut dyn FnMut(&str),
) -> Recognizer {
    let types: Vec<String> = train
        .iter()
        .flat_map(|e| spans(&e.tags).into_iter().map(|s| s.2))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let tid: HashMap<String, usize> = types
        .iter()
        .cloned()
        .enumerate()
        .map(|(i, t)| (t, i))
        .collect();
    let nc = 1 + 4 * types.len();
    log(&format!(
        "ner: {} sentences, types {:?}",
        train.len(),
        types
    ));
    let gold: Vec<Vec<usize>> = train.iter().map(|e| bilou(&e.tags, &tid)).collect();
    let mut tr = Trainer::new(nc);
    let mut rng = Rng::new(cfg.seed);
    let mut order: Vec<usize> = (0..train.len()).collect();
    let mut feats = Vec::new();
    let mut scores = vec![0f32; nc];
    let mut best: Option<(f64, Vec<u8>)> = None;
    let _ = (I, L);
    for epoch in 1..=cfg.epochs {
        rng.shuffle(&mut order);
        for &si in &order {
            let ex = &train[si];
            let n = ex.words.len();
            let w: Vec<&str> = ex.words.iter().map(|s| s.as_str()).collect();
            let u: Vec<&str> = ex.upos.iter().map(|s| s.as_str()).collect();
            let s = Sent::new(&w, &u, &places);
            let (mut p1, mut p2) = (0usize, 0usize);
            #[allow(clippy::needless_range_loop)]
            for i in 0..n {
                let drop = rng.unit() < WORD_DROPOUT;
                features(&s, i, p1 as u64 + 100, p2 as u64 + 100, drop, &mut feats);
                tr.tick();
                tr.score(&feats, &mut scores);
                let g = argmax_allowed(&scores, |c| allowed(p1, c, i + 1 == n)).unwrap_or(0);
                let truth = gold[si][i];
                // After an earlier mistake the gold label may be
                // unreachable: nothing to learn from this token then.
                if allowed(p1, truth, i + 1 == n) {
                    tr.update(truth, g, &feats);
                }
                // Follow the predicted history, as decoding will.
                p2 = p1;
                p1 = g;
            }
        }
        let r = Recognizer {
            w: tr.compact(cfg.min_weight),
            types: types.clone(),
            places: places.clone(),
        };
        let table = score(&r, dev);
        let f = micro_f1(&table);
        let per: Vec<String> = table
            .iter()
            .map(|(t, a, b, c)| format!("{t} {:.3}", micro_f1(&[(t.clone(), *a, *b, *c)])))
            .collect();
        log(&format!(
            "ner epoch {epoch}: dev F1 {f:.4} ({})  ({} weights)",
            per.join(", "),
            r.w.len()
        ));
        if best.as_ref().is_none_or(|(b, _)| f > *b) {
            best = Some((f, r.save()));
            cfg.save_checkpoint(&best.as_ref().expect("set").1);
        }
    }
    match best {
        Some((_, b)) => Recognizer::load(&b).expect("own model loads"),
        None => Recognizer {
            w: tr.compact(cfg.min_weight),
            types,
            places,
        },
    }
}
