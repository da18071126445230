//! `dyad eval quotes`: quotations against PolNeAR (`quotes/polnear_dev.jsonl`;
//! `DYAD_QUOTES_SPLIT=train` scores the training split used for tuning).
//!
//! Each article runs through the standard pipeline as clean text. A
//! predicted quotation matches a gold one when their content spans overlap
//! by at least 50% of both (gold spans of a discontinuous quotation count
//! from the first start to the last end); matching is one-to-one, largest
//! overlap first. Figures: precision/recall/F1 over all quotations; for
//! direct quotations, precision over predicted `direct` quotes and recall
//! over gold `direct` ones (against any quotation of the other side); and
//! speaker accuracy over matched pairs: the predicted speaker span overlaps
//! the gold speaker span, or its text or resolved name ends with the same
//! word as the gold speaker.

use crate::{require, Error};
use serde_json::Value;
use std::io::{BufRead, Write};
use std::path::Path;

#[derive(Debug, Clone)]
struct Q {
    start: usize,
    end: usize,
    kind: String,
    speaker: Option<(usize, usize)>,
    speaker_text: String,
    speaker_name: String,
}

/// Overlap counts from two one-to-one matched span lists.
pub fn overlap_ok(a: (usize, usize), b: (usize, usize)) -> bool {
    let ov = a.1.min(b.1).saturating_sub(a.0.max(b.0));
    let (la, lb) = (a.1.saturating_sub(a.0), b.1.saturating_sub(b.0));
    la > 0 && lb > 0 && ov * 2 >= la && ov * 2 >= lb
}

fn last_word(s: &str) -> String {
    s.split(|c: char| !c.is_alphanumeric())
        .rfind(|w| !w.is_empty())
        .unwrap_or("")
        .to_lowercase()
}

fn gold_quotes(rec: &Value) -> Vec<Q> {
    let mut v = Vec::new();
    for q in rec["quotes"].as_array().into_iter().flatten() {
        let spans: Vec<(usize, usize)> = q["quote_spans"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|s| Some((s[0].as_u64()? as usize, s[1].as_u64()? as usize)))
            .collect();
        let (Some(s), Some(e)) = (
            spans.iter().map(|x| x.0).min(),
            spans.iter().map(|x| x.1).max(),
        ) else {
            continue;
        };
        let sp = q["speaker_spans"]
            .as_array()
            .and_then(|a| a.first())
            .and_then(|s| Some((s[0].as_u64()? as usize, s[1].as_u64()? as usize)));
        v.push(Q {
            start: s,
            end: e,
            kind: q["kind"].as_str().unwrap_or("").to_string(),
            speaker: sp,
            speaker_text: q["speaker"].as_str().unwrap_or("").to_string(),
            speaker_name: String::new(),
        });
    }
    v
}

fn pred_quotes(rec: &Value) -> Vec<Q> {
    rec["quotes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|q| {
            let c = &q["content"];
            let sp = &q["speaker"];
            Some(Q {
                start: c["start"].as_u64()? as usize,
                end: c["end"].as_u64()? as usize,
                kind: q["kind"].as_str().unwrap_or("").to_string(),
                speaker: sp["start"]
                    .as_u64()
                    .zip(sp["end"].as_u64())
                    .map(|(a, b)| (a as usize, b as usize)),
                speaker_text: sp["text"].as_str().unwrap_or("").to_string(),
                speaker_name: sp["name"].as_str().unwrap_or("").to_string(),
            })
        })
        .collect()
}

/// One-to-one matching, largest overlap first: pairs (gold, pred).
fn matching(gold: &[Q], pred: &[Q]) -> Vec<(usize, usize)> {
    let mut cands = Vec::new();
    for (i, g) in gold.iter().enumerate() {
        for (j, p) in pred.iter().enumerate() {
            if overlap_ok((g.start, g.end), (p.start, p.end)) {
                cands.push((g.end.min(p.end) - g.start.max(p.start), i, j));
            }
        }
    }
    cands.sort_by_key(|c| std::cmp::Reverse(c.0));
    let (mut ug, mut up) = (vec![false; gold.len()], vec![false; pred.len()]);
    let mut out = Vec::new();
    for (_, i, j) in cands {
        if !ug[i] && !up[j] {
            ug[i] = true;
            up[j] = true;
            out.push((i, j));
        }
    }
    out
}

fn speaker_ok(g: &Q, p: &Q) -> bool {
    if let (Some(a), Some(b)) = (g.speaker, p.speaker) {
        if a.0 < b.1 && b.0 < a.1 {
            return true;
        }
    }
    let gw = last_word(&g.speaker_text);
    !gw.is_empty() && (gw == last_word(&p.speaker_text) || gw == last_word(&p.speaker_name))
}

fn prf(tp_p: usize, np: usize, tp_g: usize, ng: usize) -> (f64, f64, f64) {
    let p = if np == 0 {
        0.0
    } else {
        tp_p as f64 / np as f64
    };
    let r = if ng == 0 {
        0.0
    } else {
        tp_g as f64 / ng as f64
    };
    let f = if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    };
    (p, r, f)
}

pub fn run(data: &Path, out: &mut dyn Write) -> Result<(), Error> {
    let split = std::env::var("DYAD_QUOTES_SPLIT").unwrap_or_else(|_| "dev".into());
    let rel = format!("quotes/polnear_{split}.jsonl");
    let path = require(data, &rel)?;
    let pipeline = dyad_pipeline::standard().map_err(|e| Error::Pipeline(e.to_string()))?;
    let f = std::fs::File::open(&path).map_err(|e| Error::Read {
        path: path.clone(),
        message: e.to_string(),
    })?;
    let (mut ng, mut np, mut tp) = (0, 0, 0);
    let (mut ngd, mut npd, mut tpgd, mut tppd) = (0, 0, 0, 0);
    let (mut sp_ok, mut sp_n) = (0, 0);
    let mut docs = 0;
    for line in std::io::BufReader::new(f).lines() {
        let line = line?;
        let Ok(rec) = serde_json::from_str::<Value>(&line) else {
            continue;
        };
        let text = rec["text"].as_str().unwrap_or("");
        let mut doc = dyad_core::Doc::from_clean_text(
            rec["doc_id"].as_str().unwrap_or(""),
            dyad_core::Source::path(path.display().to_string()),
            text,
        );
        doc.date_hint = rec["date"].as_str().map(str::to_string);
        pipeline.run(&mut doc);
        let r = doc.to_record();
        let gold = gold_quotes(&rec);
        let pred = pred_quotes(&r);
        let m = matching(&gold, &pred);
        docs += 1;
        ng += gold.len();
        np += pred.len();
        tp += m.len();
        ngd += gold.iter().filter(|g| g.kind == "direct").count();
        npd += pred.iter().filter(|p| p.kind == "direct").count();
        tpgd += m.iter().filter(|(i, _)| gold[*i].kind == "direct").count();
        tppd += m.iter().filter(|(_, j)| pred[*j].kind == "direct").count();
        for &(i, j) in &m {
            sp_n += 1;
            if speaker_ok(&gold[i], &pred[j]) {
                sp_ok += 1;
            }
        }
    }
    let (p, r, f1) = prf(tp, np, tp, ng);
    let (pd, rd, fd) = prf(tppd, npd, tpgd, ngd);
    writeln!(
        out,
        "quotes: PolNeAR {split} ({docs} articles, {ng} gold, {np} predicted)"
    )?;
    writeln!(out, "{:<10} {:>9} {:>9} {:>9}", "", "P", "R", "F1")?;
    writeln!(out, "{:<10} {:>9.3} {:>9.3} {:>9.3}", "all", p, r, f1)?;
    writeln!(out, "{:<10} {:>9.3} {:>9.3} {:>9.3}", "direct", pd, rd, fd)?;
    let acc = if sp_n == 0 {
        0.0
    } else {
        sp_ok as f64 / sp_n as f64
    };
    writeln!(
        out,
        "speaker accuracy on matched quotes: {acc:.3} ({sp_ok}/{sp_n})"
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_overlap_of_both_spans() {
        assert!(overlap_ok((0, 10), (5, 15)));
        assert!(!overlap_ok((0, 10), (0, 30)));
        assert!(!overlap_ok((0, 0), (0, 0)));
    }

    #[test]
    fn matching_is_one_to_one() {
        let q = |s, e| Q {
            start: s,
            end: e,
            kind: String::new(),
            speaker: None,
            speaker_text: String::new(),
            speaker_name: String::new(),
        };
        let m = matching(&[q(0, 10)], &[q(0, 10), q(1, 10)]);
        assert_eq!(m, vec![(0, 0)]);
    }
}
