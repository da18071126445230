//! Scores toponym resolution on cached NER output, so the resolver can be
//! tuned without running the models again (`dyad eval geo` is the real
//! measure; this gives the same figure in about a second, through the same
//! scorer).
//!
//! Each input line: `{"doc_id", "text", "entities": [{start, end, label}],
//! "toponyms": [{start, end, lat, lon}]}` with char offsets (entities as
//! `dyad code --input jsonl --clean` writes them, toponyms from the gold).
//!
//! ```text
//! cargo run --release -p dyad-eval --example geocache -- /tmp/geo-lgl-cache.jsonl
//! ```
//! With `DYAD_EVAL_MISSES` set, wrong, missed and spurious toponyms go to
//! stderr; with `DYAD_GEO_SHOW` set, every place found.

use dyad_core::{Doc, Entity, Source};
use serde_json::Value;

fn main() {
    let g = dyad_geo::gazetteer().expect("gazetteer");
    let show = std::env::var_os("DYAD_GEO_SHOW").is_some();
    let places = |r: &Value| -> Vec<Value> {
        let text = r["text"].as_str().unwrap_or("");
        // char offset -> byte offset
        let mut b: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        b.push(text.len());
        let byte = |c: &Value| b[(c.as_u64().unwrap_or(0) as usize).min(b.len() - 1)];
        let id = r["doc_id"].as_str().unwrap_or("");
        let mut doc = Doc::from_clean_text(id, Source::path(id), text);
        for e in r["entities"].as_array().into_iter().flatten() {
            let (s, t) = (byte(&e["start"]), byte(&e["end"]));
            doc.entities.push(Entity {
                start: s,
                end: t,
                text: text[s..t].to_string(),
                label: e["label"].as_str().unwrap_or("").to_string(),
                actor: None,
                chain: None,
                canonical: None,
            });
        }
        doc.places = dyad_geo::resolve(g, &doc);
        if show {
            for p in &doc.places {
                eprintln!(
                    "{:?} -> {} ({:?}) {:.2},{:.2}",
                    p.text, p.name, p.country, p.lat, p.lon
                );
            }
        }
        match doc.to_record()["places"].take() {
            Value::Array(v) => v,
            _ => Vec::new(),
        }
    };
    for path in std::env::args().skip(1) {
        match dyad_eval::geo::score_file(std::path::Path::new(&path), &places) {
            Ok(s) => println!("{}", s.row(&path)),
            Err(e) => {
                eprintln!("{path}: {e}");
                std::process::exit(1);
            }
        }
    }
}
