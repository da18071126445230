//! `dyad eval geo`: toponyms against GeoVirus and LGL (`geo/*.jsonl`).
//!
//! Each article runs through the standard pipeline as clean text.
//! Recognition: a predicted place and a gold toponym match when their spans
//! overlap (one-to-one); precision, recall, F1. Resolution: accuracy within
//! 161 km over all gold toponyms that carry coordinates (a toponym the
//! system missed counts as wrong). With `DYAD_EVAL_MISSES` set, each wrong,
//! missed and spurious toponym goes to stderr, one tab-separated line each.

/// A gold toponym: char span and coordinates when given.
type GoldToponym = (usize, usize, Option<(f64, f64)>);

use crate::{require, Error};
use serde_json::Value;
use std::io::{BufRead, Write};
use std::path::Path;

use dyad_geo::haversine_km;

/// Counts over one corpus file.
#[derive(Debug, Default)]
pub struct Scores {
    pub gold: usize,
    pub pred: usize,
    pub tp: usize,
    pub with_coords: usize,
    pub within: usize,
}

impl Scores {
    /// One row of the table: gold, pred, P, R, F1, acc@161.
    pub fn row(&self, name: &str) -> String {
        let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        let (p, r) = (ratio(self.tp, self.pred), ratio(self.tp, self.gold));
        let f = if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        };
        let acc = ratio(self.within, self.with_coords);
        format!(
            "{name:<10} {:>6} {:>6} {p:>7.3} {r:>7.3} {f:>7.3} {acc:>9.3}",
            self.gold, self.pred
        )
    }
}

/// Scores one corpus file: `places` turns an input record (`doc_id`,
/// `text`, ...) into dyad's `places` records (char offsets), by running the
/// pipeline ([`run`]) or the resolver alone on cached entities (the
/// `geocache` example).
pub fn score_file(path: &Path, places: &dyn Fn(&Value) -> Vec<Value>) -> Result<Scores, Error> {
    let f = std::fs::File::open(path).map_err(|e| Error::Read {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    let show_misses = std::env::var_os("DYAD_EVAL_MISSES").is_some();
    let mut s = Scores::default();
    for line in std::io::BufReader::new(f).lines() {
        let line = line?;
        let Ok(rec) = serde_json::from_str::<Value>(&line) else {
            continue;
        };
        let pred: Vec<(usize, usize, f64, f64, String)> = places(&rec)
            .iter()
            .filter_map(|p| {
                Some((
                    p["start"].as_u64()? as usize,
                    p["end"].as_u64()? as usize,
                    p["lat"].as_f64()?,
                    p["lon"].as_f64()?,
                    format!(
                        "{} ({})",
                        p["name"].as_str().unwrap_or(""),
                        p["country"].as_str().unwrap_or("-")
                    ),
                ))
            })
            .collect();
        let text: Vec<char> = rec["text"].as_str().unwrap_or("").chars().collect();
        let span = |a: usize, b: usize| -> String {
            text.get(a..b.min(text.len()))
                .map(|c| c.iter().collect())
                .unwrap_or_default()
        };
        let gold: Vec<GoldToponym> = rec["toponyms"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|t| {
                let c = t["lat"].as_f64().zip(t["lon"].as_f64());
                Some((
                    t["start"].as_u64()? as usize,
                    t["end"].as_u64()? as usize,
                    c,
                ))
            })
            .collect();
        s.gold += gold.len();
        s.pred += pred.len();
        let mut used = vec![false; pred.len()];
        for g in &gold {
            let hit = pred
                .iter()
                .enumerate()
                .find(|(j, p)| !used[*j] && p.0 < g.1 && g.0 < p.1)
                .map(|(j, _)| j);
            if let Some(j) = hit {
                used[j] = true;
                s.tp += 1;
            }
            if let Some(c) = g.2 {
                s.with_coords += 1;
                let d = hit.map(|j| haversine_km(c, (pred[j].2, pred[j].3)));
                if d.is_some_and(|d| d <= 161.0) {
                    s.within += 1;
                } else if show_misses {
                    let what = match hit {
                        Some(j) => format!(
                            "WRONG {} at {:.0} km ({:?})",
                            pred[j].4,
                            d.unwrap_or(0.0),
                            span(pred[j].0, pred[j].1)
                        ),
                        None => "MISSED".to_string(),
                    };
                    eprintln!(
                        "{}\t{:?}\t{:.2},{:.2}\t{what}",
                        rec["doc_id"].as_str().unwrap_or(""),
                        span(g.0, g.1),
                        c.0,
                        c.1
                    );
                }
            }
        }
        if show_misses {
            for p in pred.iter().zip(&used).filter(|(_, u)| !**u).map(|(p, _)| p) {
                eprintln!(
                    "{}\t{:?}\t-\tSPURIOUS {}",
                    rec["doc_id"].as_str().unwrap_or(""),
                    span(p.0, p.1),
                    p.4
                );
            }
        }
    }
    Ok(s)
}

pub fn run(data: &Path, out: &mut dyn Write) -> Result<(), Error> {
    let files = [("GeoVirus", "geo/geovirus.jsonl"), ("LGL", "geo/lgl.jsonl")];
    let paths: Vec<_> = files
        .iter()
        .map(|(_, f)| require(data, f))
        .collect::<Result<_, _>>()?;
    let pipeline = dyad_pipeline::standard().map_err(|e| Error::Pipeline(e.to_string()))?;
    writeln!(
        out,
        "geo: toponym recognition (overlapping spans) and resolution"
    )?;
    writeln!(
        out,
        "{:<10} {:>6} {:>6} {:>7} {:>7} {:>7} {:>9}",
        "corpus", "gold", "pred", "P", "R", "F1", "acc@161"
    )?;
    let places = |rec: &Value| -> Vec<Value> {
        let mut doc = dyad_core::Doc::from_clean_text(
            rec["doc_id"].as_str().unwrap_or(""),
            dyad_core::Source::path(rec["doc_id"].as_str().unwrap_or("")),
            rec["text"].as_str().unwrap_or(""),
        );
        doc.date_hint = rec["date"].as_str().map(|d| d.chars().take(10).collect());
        pipeline.run(&mut doc);
        match doc.to_record()["places"].take() {
            Value::Array(v) => v,
            _ => Vec::new(),
        }
    };
    for ((name, _), path) in files.iter().zip(paths) {
        writeln!(out, "{}", score_file(&path, &places)?.row(name))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn haversine_sochi_moscow() {
        let d = haversine_km((43.60, 39.73), (55.75, 37.62));
        assert!((1340.0..1370.0).contains(&d), "{d}");
    }
}
