//! Trains the [`Tagger`](super::Tagger).

use super::{features, lexes, start_tag, Tagger};
use crate::conllu::Sentence;
use crate::data::Rng;
use crate::lemma::Lemmatizer;
use crate::perceptron::{argmax_allowed, HashKeyMap, Trainer};
use crate::TrainConfig;
use std::collections::{BTreeSet, HashMap};

/// Accuracy of a tagger on gold sentences: (UPOS, XPOS, lemma).
pub fn accuracy(t: &Tagger, sents: &[Sentence]) -> (f64, f64, f64) {
    let (mut n, mut u, mut x, mut l) = (0usize, 0usize, 0usize, 0usize);
    for s in sents {
        let words: Vec<&str> = s.words.iter().map(|w| w.form.as_str()).collect();
        let tags = t.tag(&words);
        for (w, c) in s.words.iter().zip(tags) {
            let (up, xp) = t.class(c);
            n += 1;
            u += (up == w.upos) as usize;
            x += (xp == w.xpos) as usize;
            l += (t.lemma(&w.form, up, xp) == w.lemma) as usize;
        }
    }
    let d = n.max(1) as f64;
    (u as f64 / d, x as f64 / d, l as f64 / d)
}

/// Trains on `train`, reporting dev scores per epoch through `log`; keeps
/// the epoch with the best dev UPOS accuracy.
pub fn train(
    train: &[Sentence],
    dev: &[Sentence],
    cfg: &TrainConfig,
    log: &mut dyn FnMut(&str),
) -> Tagger {
    let classes: Vec<(String, String)> = train
        .iter()
        .flat_map(|s| s.words.iter().map(|w| (w.upos.clone(), w.xpos.clone())))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let cid: HashMap<(String, String), u16> = classes
        .iter()
        .cloned()
        .enumerate()
        .map(|(i, c)| (c, i as u16))
        .collect();
    let n = classes.len();
    // Tag dictionary: frequent words that (nearly) always take one tag.
    let mut counts: HashMap<u64, HashMap<u16, u32>> = HashMap::new();
    for s in train {
        for w in &s.words {
            let c = cid[&(w.upos.clone(), w.xpos.clone())];
            *counts
                .entry(crate::lex::Lex::new(&w.form).form)
                .or_default()
                .entry(c)
                .or_default() += 1;
        }
    }
    let mut lcounts: HashMap<u64, HashMap<u16, u32>> = HashMap::new();
    for s in train {
        for w in &s.words {
            let c = cid[&(w.upos.clone(), w.xpos.clone())];
            *lcounts
                .entry(crate::lex::Lex::new(&w.form).lower)
                .or_default()
                .entry(c)
                .or_default() += 1;
        }
    }
    let mut amb = HashKeyMap::default();
    for (h, m) in lcounts {
        let total: u32 = m.values().sum();
        let (c, _) = m
            .iter()
            .max_by_key(|(c, k)| (**k, std::cmp::Reverse(**c)))
            .expect("nonempty");
        if total >= 3 {
            amb.insert(h, *c);
        }
    }
    let mut tagdict = HashKeyMap::default();
    for (h, m) in counts {
        let total: u32 = m.values().sum();
        let (c, best) = m
            .iter()
            .max_by_key(|(c, k)| (**k, std::cmp::Reverse(**c)))
            .expect("nonempty");
        if total >= 20 && *best as f64 / total as f64 >= 0.99 {
            tagdict.insert(h, *c);
        }
    }
    log(&format!(
        "pos: {} sentences, {} classes, {} tag-dictionary words",
        train.len(),
        n,
        tagdict.len()
    ));
    let lemma = Lemmatizer::train(train);
    let mut tr = Trainer::new(n);
    let mut order: Vec<usize> = (0..train.len()).collect();
    let mut rng = Rng::new(cfg.seed);
    let mut feats = Vec::new();
    let mut scores = vec![0f32; n];
    let mut best: Option<(f64, Vec<u8>)> = None;
    let mut current = Tagger {
        w: Trainer::new(n).compact(0.0),
        classes: classes.clone(),
        tagdict: tagdict.clone(),
        amb: amb.clone(),
        lemma,
    };
    for epoch in 1..=cfg.epochs {
        rng.shuffle(&mut order);
        let (mut seen, mut right) = (0usize, 0usize);
        for &si in &order {
            let s = &train[si];
            let words: Vec<&str> = s.words.iter().map(|w| w.form.as_str()).collect();
            let lex = lexes(&words);
            let am = super::ambs(&lex, &amb);
            let (mut p1, mut p2) = (start_tag(0, n), start_tag(1, n));
            for (i, w) in s.words.iter().enumerate() {
                let gold = cid[&(w.upos.clone(), w.xpos.clone())] as usize;
                let guess = match tagdict.get(&lex[i + 2].form) {
                    Some(&c) => c as usize,
                    None => {
                        features(&lex, &am, i, p1, p2, &mut feats);
                        tr.tick();
                        tr.score(&feats, &mut scores);
                        let g = argmax_allowed(&scores, |_| true).unwrap_or(0);
                        tr.update(gold, g, &feats);
                        g
                    }
                };
                seen += 1;
                right += (guess == gold) as usize;
                p2 = p1;
                p1 = guess as u64;
            }
        }
        current.w = tr.compact(cfg.min_weight);
        let (u, x, l) = accuracy(&current, dev);
        log(&format!(
            "pos epoch {epoch}: train {:.4}  dev UPOS {u:.4} XPOS {x:.4} lemma {l:.4}  ({} weights)",
            right as f64 / seen.max(1) as f64,
            current.w.len()
        ));
        if best.as_ref().is_none_or(|(b, _)| u > *b) {
            best = Some((u, current.save()));
            cfg.save_checkpoint(&best.as_ref().expect("set").1);
        }
    }
    match best {
        Some((_, bytes)) => Tagger::load(&bytes).expect("own model loads"),
        None => current,
    }
}
