//! `dyad eval extract`: article extraction against the trafilatura
//! evaluation set (`extract/trafilatura-eval/tests/evaldata.json`).
//!
//! Scoring follows trafilatura's own `tests/evaluate.py`: the extracted
//! text and every snippet have their whitespace collapsed; a "with"
//! snippet found is a true positive, missed a false negative; a "without"
//! snippet found is a false positive, absent a true negative. Precision,
//! recall, accuracy and F1 are over all snippets of all pages. Title,
//! date and author accuracy count exact matches (case and whitespace
//! folded) over the entries whose gold value is not empty. The page URL
//! is given to the extractor as the document's source, as a crawler would.
//!
//! `DYAD_EVAL_VERBOSE=1` lists each page's misses on stderr.

use crate::{require, Error};
use dyad_core::{Doc, InputKind, Source};
use std::io::Write;
use std::path::Path;
use std::time::Instant;

#[derive(Default)]
struct Tally {
    tp: usize,
    fn_: usize,
    fp: usize,
    tn: usize,
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn fold(s: &str) -> String {
    collapse(s).to_lowercase()
}

fn fold_author(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(|c| c.to_lowercase())
        .collect()
}

pub fn run(data: &Path, out: &mut dyn Write) -> Result<(), Error> {
    let dir = data.join("extract/trafilatura-eval/tests");
    let gold_path = require(data, "extract/trafilatura-eval/tests/evaldata.json")?;
    let raw = std::fs::read(&gold_path).map_err(|e| Error::Read {
        path: gold_path.clone(),
        message: e.to_string(),
    })?;
    let gold: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(&raw).map_err(|e| Error::Read {
            path: gold_path.clone(),
            message: e.to_string(),
        })?;
    let verbose = std::env::var_os("DYAD_EVAL_VERBOSE").is_some();
    let pipeline = dyad_pipeline::extraction();
    let mut t = Tally::default();
    let (mut title_ok, mut title_n, mut date_ok, mut date_n, mut auth_ok, mut auth_n) =
        (0, 0, 0, 0, 0, 0);
    let (mut pages, mut errors, mut missing) = (0usize, 0usize, 0usize);
    let mut secs = 0.0f64;
    for (url, item) in &gold {
        let Some(file) = item["file"].as_str() else {
            continue;
        };
        let bytes = match std::fs::read(dir.join("eval").join(file))
            .or_else(|_| std::fs::read(dir.join("cache").join(file)))
        {
            Ok(b) => b,
            Err(_) => {
                missing += 1;
                continue;
            }
        };
        let source = Source {
            path: Some(file.to_string()),
            url: Some(url.clone()),
            ..Default::default()
        };
        let mut doc = Doc::from_bytes(file, source, bytes, InputKind::Html);
        let t0 = Instant::now();
        pipeline.run(&mut doc);
        secs += t0.elapsed().as_secs_f64();
        pages += 1;
        if doc.error.is_some() {
            errors += 1;
        }
        let text = collapse(doc.text());
        let mut misses = Vec::new();
        for s in item["with"].as_array().into_iter().flatten() {
            let s = collapse(s.as_str().unwrap_or(""));
            if text.contains(&s) {
                t.tp += 1;
            } else {
                t.fn_ += 1;
                misses.push(format!("  missing: {s}"));
            }
        }
        for s in item["without"].as_array().into_iter().flatten() {
            let s = collapse(s.as_str().unwrap_or(""));
            if text.contains(&s) {
                t.fp += 1;
                misses.push(format!("  unwanted: {s}"));
            } else {
                t.tn += 1;
            }
        }
        let a = &doc.article;
        let mut check = |key: &str, got: Option<&String>, ok: &mut usize, n: &mut usize| {
            let Some(g) = item
                .get(key)
                .and_then(|v| v.as_str())
                .filter(|g| !g.trim().is_empty())
            else {
                return;
            };
            *n += 1;
            let hit = match key {
                "author" => got.is_some_and(|x| fold_author(x) == fold_author(g)),
                _ => got.is_some_and(|x| fold(x) == fold(g)),
            };
            if hit {
                *ok += 1;
            } else {
                misses.push(format!("  {key}: gold {g:?} got {got:?}"));
            }
        };
        check("title", a.title.as_ref(), &mut title_ok, &mut title_n);
        check("date", a.date.as_ref(), &mut date_ok, &mut date_n);
        check("author", a.byline.as_ref(), &mut auth_ok, &mut auth_n);
        if verbose && !misses.is_empty() {
            eprintln!("{file} ({url})\n{}", misses.join("\n"));
        }
    }
    let p = t.tp as f64 / (t.tp + t.fp).max(1) as f64;
    let r = t.tp as f64 / (t.tp + t.fn_).max(1) as f64;
    let f1 = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    let all = (t.tp + t.fn_ + t.fp + t.tn).max(1) as f64;
    let acc = (t.tp + t.tn) as f64 / all;
    let ratio = |a: usize, n: usize| a as f64 / n.max(1) as f64;
    writeln!(
        out,
        "extract: trafilatura evaluation set ({})",
        gold_path.display()
    )?;
    writeln!(out, "{:<22} {:>8}", "pages", pages)?;
    if missing > 0 {
        writeln!(out, "{:<22} {:>8}", "pages missing", missing)?;
    }
    writeln!(out, "{:<22} {:>8}", "pages with error", errors)?;
    writeln!(
        out,
        "{:<22} {:>8} {:>8} {:>8} {:>8}",
        "snippets tp/fn/fp/tn", t.tp, t.fn_, t.fp, t.tn
    )?;
    writeln!(out, "{:<22} {:>8.4}", "precision", p)?;
    writeln!(out, "{:<22} {:>8.4}", "recall", r)?;
    writeln!(out, "{:<22} {:>8.4}", "accuracy", acc)?;
    writeln!(out, "{:<22} {:>8.4}   (target >= 0.935)", "F1", f1)?;
    writeln!(
        out,
        "{:<22} {:>8.4}   (n={title_n})",
        "title accuracy",
        ratio(title_ok, title_n)
    )?;
    writeln!(
        out,
        "{:<22} {:>8.4}   (n={date_n}, target >= 0.90)",
        "date accuracy",
        ratio(date_ok, date_n)
    )?;
    writeln!(
        out,
        "{:<22} {:>8.4}   (n={auth_n})",
        "author accuracy",
        ratio(auth_ok, auth_n)
    )?;
    writeln!(
        out,
        "{:<22} {:>8.1}   (extract stage only, one thread)",
        "pages/s",
        pages as f64 / secs.max(1e-9)
    )?;
    Ok(())
}
