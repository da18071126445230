//! Scores model files on gold tokens (the figures `dyad eval pos|dep|ner`
//! prints, without building the whole binary):
//! `eval DATA POS.bin [DEP.bin] [NER.bin]`.

use dyad_models::{data, dep, ner, pos, train};
use std::path::Path;

fn main() {
    let a: Vec<String> = std::env::args().collect();
    if a.len() < 3 {
        eprintln!("usage: eval DATA POS.bin [DEP.bin] [NER.bin]");
        std::process::exit(2);
    }
    let d = Path::new(&a[1]);
    let t = pos::Tagger::load(&std::fs::read(&a[2]).expect("pos")).expect("pos model");
    println!("| set | UPOS | XPOS | lemma |\n|---|---|---|---|");
    for bank in ["ewt", "gum"] {
        let s = data::treebank(d, bank, "test").expect("data");
        let (u, x, l) = pos::trainer::accuracy(&t, &s);
        println!("| {bank} test | {u:.4} | {x:.4} | {l:.4} |");
    }
    if let Some(p) = a.get(3) {
        let p = dep::Parser::load(&std::fs::read(p).expect("dep")).expect("dep model");
        println!("\n| set (predicted tags) | UAS | LAS |\n|---|---|---|");
        for bank in ["ewt", "gum"] {
            let s = data::treebank(d, bank, "test").expect("data");
            let ex = dep::trainer::examples(&s, &train::joint_tags(&t, &s), p.labels());
            let (u, l) = dep::trainer::attachment(&p, &ex);
            println!("| {bank} test | {u:.4} | {l:.4} |");
        }
    }
    if let Some(r) = a.get(4) {
        let r = ner::Recognizer::load(&std::fs::read(r).expect("ner")).expect("ner model");
        let exs: Vec<_> = data::uner(d, "test")
            .expect("data")
            .into_iter()
            .map(|s| {
                let w: Vec<&str> = s.words.iter().map(|w| w.as_str()).collect();
                let upos = t
                    .tag(&w)
                    .into_iter()
                    .map(|c| t.class(c).0.to_string())
                    .collect();
                ner::trainer::Example {
                    words: s.words,
                    upos,
                    tags: s.tags,
                }
            })
            .collect();
        println!("\n{}", train::ner_table(&r, &exs, "UNER EWT test"));
    }
}
