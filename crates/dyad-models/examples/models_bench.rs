//! Speed benchmark for the embedded models (used by `bench/models.sh`):
//! `bench CONLLU [REPEAT] [DEP.bin]` prints model load time, words/s on one core for
//! tag, parse, NER and all three (gold tokens), and peak RSS.

use dyad_models::{conllu, dep};
use std::time::Instant;

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| {
                l.split_whitespace()
                    .nth(1)
                    .and_then(|v| v.parse::<f64>().ok())
            })
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(f64::NAN)
}

/// Nanoseconds this thread has run on a CPU (Linux schedstat): rates per
/// core that stay meaningful on a busy machine. Falls back to wall time.
struct Clock(Instant, Option<u64>);
impl Clock {
    fn cpu_ns() -> Option<u64> {
        std::fs::read_to_string("/proc/thread-self/schedstat")
            .ok()
            .and_then(|s| s.split_whitespace().next().and_then(|v| v.parse().ok()))
    }
    fn start() -> Clock {
        Clock(Instant::now(), Self::cpu_ns())
    }
    /// (cpu seconds, wall seconds)
    fn secs(&self) -> (f64, f64) {
        let wall = self.0.elapsed().as_secs_f64();
        let cpu = match (self.1, Self::cpu_ns()) {
            (Some(a), Some(b)) => (b - a) as f64 / 1e9,
            _ => wall,
        };
        (cpu, wall)
    }
}

fn main() {
    let a: Vec<String> = std::env::args().collect();
    let path = a.get(1).expect("usage: bench CONLLU [REPEAT] [DEP.bin]");
    let repeat: usize = a.get(2).and_then(|s| s.parse().ok()).unwrap_or(1);
    let sents = conllu::read(std::path::Path::new(path)).expect("read conllu");
    let words: Vec<Vec<&str>> = sents
        .iter()
        .map(|s| s.words.iter().map(|w| w.form.as_str()).collect())
        .collect();
    let nw: usize = words.iter().map(|w| w.len()).sum::<usize>() * repeat;

    let t = Clock::start();
    let tagger = dyad_models::tagger().expect("embedded tagger");
    let lt = t.secs();
    let t = Clock::start();
    // A parser file to time instead of the embedded one (the "all three"
    // line still uses the embedded models).
    let parser: &dep::Parser = match a.get(3) {
        Some(p) => Box::leak(Box::new(
            dep::Parser::load(&std::fs::read(p).expect("read parser")).expect("parser"),
        )),
        None => dyad_models::parser().expect("embedded parser"),
    };
    let lp = t.secs();
    let t = Clock::start();
    let rec = dyad_models::recognizer().expect("embedded recogniser");
    let ln = t.secs();
    println!(
        "model load (cpu ms / wall ms): tag {:.1}/{:.1}, parse {:.1}/{:.1}, ner {:.1}/{:.1}, total {:.1}/{:.1}",
        lt.0 * 1e3,
        lt.1 * 1e3,
        lp.0 * 1e3,
        lp.1 * 1e3,
        ln.0 * 1e3,
        ln.1 * 1e3,
        (lt.0 + lp.0 + ln.0) * 1e3,
        (lt.1 + lp.1 + ln.1) * 1e3
    );

    // Precompute inputs of the later stages so each is timed alone.
    let tags: Vec<Vec<u16>> = words.iter().map(|w| tagger.tag(w)).collect();
    let joint: Vec<Vec<String>> = tags
        .iter()
        .map(|t| {
            t.iter()
                .map(|c| dep::joint_tag(tagger.class(*c).0, tagger.class(*c).1))
                .collect()
        })
        .collect();
    let upos: Vec<Vec<&str>> = tags
        .iter()
        .map(|t| t.iter().map(|c| tagger.class(*c).0).collect())
        .collect();
    let mut sink = 0usize;
    let rate = |s: (f64, f64)| {
        format!(
            "{:>10.0} words/s per core (cpu time; {:.0} by wall clock)",
            nw as f64 / s.0,
            nw as f64 / s.1
        )
    };

    let t = Clock::start();
    for _ in 0..repeat {
        for (w, t) in words.iter().zip(&tags) {
            let tg = tagger.tag(w);
            for (x, c) in w.iter().zip(t) {
                let (u, xp) = tagger.class(*c);
                sink += tagger.lemma(x, u, xp).len();
            }
            sink += tg.len();
        }
    }
    let tag_s = t.secs();
    let t = Clock::start();
    for _ in 0..repeat {
        for (w, j) in words.iter().zip(&joint) {
            let j: Vec<&str> = j.iter().map(|s| s.as_str()).collect();
            sink += parser.parse(w, &j).len();
        }
    }
    let parse_s = t.secs();
    let t = Clock::start();
    for _ in 0..repeat {
        for (w, u) in words.iter().zip(&upos) {
            sink += rec.recognize(w, u).len();
        }
    }
    let ner_s = t.secs();
    // All three, as the pipeline stages run them on a Doc.
    let text: String = words
        .iter()
        .map(|w| w.join(" "))
        .collect::<Vec<_>>()
        .join("\n");
    let mut docs = Vec::new();
    for _ in 0..repeat {
        let mut doc =
            dyad_core::Doc::from_clean_text("b", dyad_core::Source::path("b"), text.clone());
        let mut pos = 0;
        for w in &words {
            let start_tok = doc.tokens.len();
            let s0 = pos;
            for x in w {
                doc.tokens.push(dyad_core::Token {
                    start: pos,
                    end: pos + x.len(),
                    ..Default::default()
                });
                pos += x.len() + 1;
            }
            doc.sentences.push(dyad_core::Sentence {
                start: s0,
                end: pos.saturating_sub(1),
                tokens: start_tok..doc.tokens.len(),
            });
        }
        docs.push(doc);
    }
    let stages = dyad_models::stages();
    let t = Clock::start();
    for d in docs.iter_mut() {
        for s in &stages {
            s.process(d).expect("stage");
        }
        sink += d.entities.len();
    }
    let all_s = t.secs();
    println!("words: {nw} ({} sentences x {repeat})", sents.len());
    println!("tag+lemma: {}", rate(tag_s));
    println!("parse:     {}", rate(parse_s));
    println!("ner:       {}", rate(ner_s));
    println!("all three: {} (Doc stages)", rate(all_s));
    println!("peak RSS:  {:>10.1} MB", peak_rss_mb());
    if sink == 42 {
        println!();
    }
}
