//! Prints how long the dictionaries take to load and how fast the coder
//! runs on a text (the fallback tokenizer splits it when no pipeline ran).
//!
//! ```text
//! cargo run --release -p dyad-coder --example coder_bench -- [FILE] [REPEAT]
//! ```

use dyad_core::{Doc, Source};
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let file = args.next();
    let repeat: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(200);
    let t = Instant::now();
    let c = dyad_coder::Coder::load().expect("dictionaries load");
    let load = t.elapsed();
    println!(
        "dictionaries: {} phrases, {} leader rows, {} patterns; load {:.1} ms",
        c.dicts.phrases.len(),
        c.dicts.leaders.len(),
        c.patterns.list.len(),
        load.as_secs_f64() * 1e3
    );
    let text = match file {
        Some(f) => std::fs::read_to_string(f).expect("read"),
        None => "Russian President Vladimir Putin met Syrian leader Bashar al-Assad in Sochi on Thursday. \
                 The United States imposed sanctions on Iran. Egyptian police arrested 12 protesters.\n"
            .repeat(5),
    };
    let mut times = Vec::new();
    let mut events = 0;
    for _ in 0..repeat {
        let mut d = Doc::from_clean_text("b", Source::path("b"), text.clone());
        d.date_hint = Some("2018-05-17".into());
        let t = Instant::now();
        dyad_coder::code_doc(&c, &mut d);
        times.push(t.elapsed().as_secs_f64());
        events = d.events.len();
    }
    times.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let med = times[times.len() / 2];
    println!(
        "coding {} bytes: median {:.3} ms per document ({:.1} MB/s, one core), {} events",
        text.len(),
        med * 1e3,
        text.len() as f64 / med / 1e6,
        events
    );
}
