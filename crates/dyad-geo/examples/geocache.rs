//! Scores toponym resolution on cached NER output, so the resolver can be
//! tuned without running the models again (`dyad eval geo` is the real
//! measure; this one gives the same figure in about a second).
//!
//! Each input line: `{"doc_id", "text", "entities": [{start, end, label}],
//! "toponyms": [{start, end, lat, lon}]}` with char offsets (entities as
//! `dyad code --input jsonl --clean` writes them, toponyms from the gold).
//!
//! ```text
//! cargo run --release -p dyad-geo --example geocache -- /tmp/geo-lgl-cache.jsonl
//! ```
//! With `DYAD_EVAL_MISSES` set, wrong and missed toponyms go to stderr;
//! with `DYAD_GEO_SHOW` set, every place found.

use dyad_core::{Doc, Entity, Source};
use std::io::BufRead;

fn main() {
    let g = dyad_geo::gazetteer().expect("gazetteer");
    let misses = std::env::var_os("DYAD_EVAL_MISSES").is_some();
    for path in std::env::args().skip(1) {
        let f = std::fs::File::open(&path).expect("open");
        let (mut gold, mut pred, mut tp, mut with, mut within) = (0, 0, 0, 0, 0);
        for line in std::io::BufReader::new(f).lines() {
            let r: serde_json::Value = serde_json::from_str(&line.expect("line")).expect("json");
            let text = r["text"].as_str().unwrap_or("");
            // char offset -> byte offset
            let mut b: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
            b.push(text.len());
            let byte =
                |c: &serde_json::Value| b[(c.as_u64().unwrap_or(0) as usize).min(b.len() - 1)];
            let mut doc = Doc::from_clean_text(
                r["doc_id"].as_str().unwrap_or(""),
                Source::path(&path),
                text,
            );
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
            let places = dyad_geo::resolve(g, &doc);
            if std::env::var_os("DYAD_GEO_SHOW").is_some() {
                for p in &places {
                    eprintln!(
                        "{:?} -> {} ({:?}) {:.2},{:.2}",
                        p.text, p.name, p.country, p.lat, p.lon
                    );
                }
            }
            pred += places.len();
            let mut used = vec![false; places.len()];
            for t in r["toponyms"].as_array().into_iter().flatten() {
                gold += 1;
                let (s, e) = (byte(&t["start"]), byte(&t["end"]));
                let hit = (0..places.len())
                    .find(|&j| !used[j] && places[j].start < e && s < places[j].end);
                if let Some(j) = hit {
                    used[j] = true;
                    tp += 1;
                }
                let Some(c) = t["lat"].as_f64().zip(t["lon"].as_f64()) else {
                    continue;
                };
                with += 1;
                let d = hit.map(|j| dyad_geo::haversine_km(c, (places[j].lat, places[j].lon)));
                if d.is_some_and(|d| d <= 161.0) {
                    within += 1;
                } else if misses {
                    let what = match hit {
                        Some(j) => format!(
                            "WRONG {} ({}) at {:.0} km",
                            places[j].name,
                            places[j].country.as_deref().unwrap_or("-"),
                            d.unwrap_or(0.0)
                        ),
                        None => "MISSED".into(),
                    };
                    eprintln!(
                        "{}\t{:?}\t{:.2},{:.2}\t{what}",
                        r["doc_id"].as_str().unwrap_or(""),
                        &text[s..e],
                        c.0,
                        c.1
                    );
                }
            }
        }
        let p = tp as f64 / pred.max(1) as f64;
        let rc = tp as f64 / gold.max(1) as f64;
        println!(
            "{path}: gold {gold} pred {pred} P {p:.3} R {rc:.3} F1 {:.3} acc@161 {:.3}",
            2.0 * p * rc / (p + rc).max(1e-9),
            within as f64 / with.max(1) as f64
        );
    }
}
