//! Error analysis of an entity model on UNER EWT dev (or another split):
//! for each gold type, how many spans were found exactly, found with the
//! wrong type, found with wrong boundaries, or missed; plus the most
//! frequent confusions. `ner_errors DATA POS.bin NER.bin [SPLIT]`.

use dyad_models::conllu::spans;
use dyad_models::{data, ner, pos};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

fn main() {
    let a: Vec<String> = std::env::args().collect();
    if a.len() < 4 {
        eprintln!("usage: ner_errors DATA POS.bin NER.bin [SPLIT]");
        std::process::exit(2);
    }
    let t = pos::Tagger::load(&std::fs::read(&a[2]).expect("pos")).expect("pos model");
    let r = ner::Recognizer::load(&std::fs::read(&a[3]).expect("ner")).expect("ner model");
    let split = a.get(4).map(|s| s.as_str()).unwrap_or("dev");
    let sents = data::uner(Path::new(&a[1]), split).expect("data");
    let mut outcome: BTreeMap<(String, &str), usize> = BTreeMap::new();
    let mut confusions: HashMap<String, usize> = HashMap::new();
    let mut spurious: BTreeMap<String, usize> = BTreeMap::new();
    for s in &sents {
        let w: Vec<&str> = s.words.iter().map(|x| x.as_str()).collect();
        let upos: Vec<&str> = t.tag(&w).into_iter().map(|c| t.class(c).0).collect();
        let pred: Vec<(usize, usize, String)> = r
            .recognize(&w, &upos)
            .into_iter()
            .filter(|e| e.2 != "NORP")
            .map(|(b, e, l)| (b, e, l.to_string()))
            .collect();
        let gold = spans(&s.tags);
        for (gs, ge, gt) in &gold {
            let text = w[*gs..*ge].join(" ");
            let kind = if pred.iter().any(|p| p.0 == *gs && p.1 == *ge && &p.2 == gt) {
                "exact"
            } else if let Some(p) = pred.iter().find(|p| p.0 == *gs && p.1 == *ge) {
                *confusions
                    .entry(format!("{gt}->{} {text}", p.2))
                    .or_default() += 1;
                "wrong type"
            } else if let Some(p) = pred.iter().find(|p| p.0 < *ge && *gs < p.1) {
                *confusions
                    .entry(format!("{gt}~{} {text} / {}", p.2, w[p.0..p.1].join(" ")))
                    .or_default() += 1;
                "overlap"
            } else {
                *confusions.entry(format!("{gt} missed {text}")).or_default() += 1;
                "missed"
            };
            *outcome.entry((gt.clone(), kind)).or_default() += 1;
        }
        for p in &pred {
            if !gold.iter().any(|g| g.0 < p.1 && p.0 < g.1) {
                *spurious.entry(p.2.clone()).or_default() += 1;
                *confusions
                    .entry(format!("spurious {} {}", p.2, w[p.0..p.1].join(" ")))
                    .or_default() += 1;
            }
        }
    }
    for ((t, k), n) in &outcome {
        println!("{t:4} {k:10} {n}");
    }
    println!("spurious (no overlapping gold): {spurious:?}");
    let mut c: Vec<_> = confusions.into_iter().collect();
    c.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    for (k, n) in c.iter().take(60) {
        println!("{n:3} {k}");
    }
}
