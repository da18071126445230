//! Developer loop for the extractor: scores the extract stage alone on the
//! trafilatura evaluation set (same scoring as `dyad eval extract`, without
//! building the whole pipeline). `cargo run --release -p dyad-extract
//! --example trafeval -- [DATA_DIR] [-v]`; `-v` lists each page's misses.

use dyad_core::{Doc, InputKind, Source, Stage};
use std::time::Instant;

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let verbose = args.iter().any(|a| a == "-v");
    let data = args
        .iter()
        .find(|a| !a.starts_with('-'))
        .cloned()
        .or_else(|| std::env::var("DYAD_DATA").ok())
        .unwrap_or_else(|| "../shared/data".into());
    let dir = format!("{data}/extract/trafilatura-eval/tests");
    let raw = std::fs::read(format!("{dir}/evaldata.json")).unwrap_or_else(|e| {
        eprintln!("cannot read {dir}/evaldata.json: {e} (pass the data folder)");
        std::process::exit(2)
    });
    let gold: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(&raw).expect("json");
    let stage = dyad_extract::ExtractStage;
    let (mut tp, mut fn_, mut fp, mut tn) = (0usize, 0usize, 0usize, 0usize);
    let (mut dok, mut dn, mut tok, mut tnn) = (0, 0, 0, 0);
    let mut secs = 0.0;
    for (url, item) in &gold {
        let file = item["file"].as_str().unwrap_or("");
        let Ok(bytes) = std::fs::read(format!("{dir}/eval/{file}"))
            .or_else(|_| std::fs::read(format!("{dir}/cache/{file}")))
        else {
            continue;
        };
        let src = Source {
            url: Some(url.clone()),
            ..Default::default()
        };
        let mut doc = Doc::from_bytes(file, src, bytes, InputKind::Html);
        let t0 = Instant::now();
        let _ = stage.process(&mut doc);
        secs += t0.elapsed().as_secs_f64();
        if let Ok(d) = std::env::var("DYAD_TRAFEVAL_DUMP") {
            let _ = std::fs::write(format!("{d}/{file}.txt"), doc.text());
        }
        let text = collapse(doc.text());
        let mut miss = Vec::new();
        for s in item["with"].as_array().into_iter().flatten() {
            let s = collapse(s.as_str().unwrap_or(""));
            if text.contains(&s) {
                tp += 1
            } else {
                fn_ += 1;
                miss.push(format!("  - {s}"))
            }
        }
        for s in item["without"].as_array().into_iter().flatten() {
            let s = collapse(s.as_str().unwrap_or(""));
            if let Some(at) = text.find(&s) {
                fp += 1;
                // Where the unwanted snippet sits in our text (0 = start, 1 = end).
                let pos = at as f64 / text.len().max(1) as f64;
                miss.push(format!("  + [{pos:.2}] {s}"))
            } else {
                tn += 1
            }
        }
        if let Some(g) = item
            .get("date")
            .and_then(|v| v.as_str())
            .filter(|s| !s.is_empty())
        {
            dn += 1;
            if doc.article.date.as_deref() == Some(g) {
                dok += 1
            } else {
                miss.push(format!("  date {g} got {:?}", doc.article.date))
            }
        }
        if let Some(g) = item
            .get("title")
            .and_then(|v| v.as_str())
            .filter(|s| !s.is_empty())
        {
            tnn += 1;
            if doc
                .article
                .title
                .as_deref()
                .map(collapse)
                .map(|t| t.to_lowercase())
                == Some(collapse(g).to_lowercase())
            {
                tok += 1
            } else {
                miss.push(format!("  title {g:?} got {:?}", doc.article.title))
            }
        }
        if verbose && !miss.is_empty() {
            println!("{file}\n{}", miss.join("\n"));
        }
    }
    let p = tp as f64 / (tp + fp) as f64;
    let r = tp as f64 / (tp + fn_) as f64;
    println!(
        "P={p:.4} R={r:.4} F1={:.4} tp={tp} fn={fn_} fp={fp} tn={tn} date={:.4} title={:.4} {:.1} pages/s",
        2.0 * p * r / (p + r),
        dok as f64 / dn as f64,
        tok as f64 / tnn as f64,
        gold.len() as f64 / secs
    );
}
