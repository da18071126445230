//! Text-stage throughput on one core: tokenise + split the raw text of the
//! UD English EWT and GUM treebanks (rebuilt from their `# text` lines),
//! repeated until at least a few seconds have passed; prints MB/s.
//!
//! ```text
//! cargo build --release -p dyad-text --example text_bench
//! target/release/examples/text_bench [--data DIR] [--secs N]
//! ```

use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let data = arg("--data")
        .or_else(|| std::env::var("DYAD_DATA").ok())
        .unwrap_or_else(|| "../shared/data".into());
    let secs: f64 = arg("--secs").and_then(|s| s.parse().ok()).unwrap_or(3.0);
    let mut text = String::new();
    for f in ["en_ewt-ud-train.conllu", "en_gum-ud-train.conllu"] {
        let p = std::path::Path::new(&data).join("ud").join(f);
        let Ok(src) = std::fs::read_to_string(&p) else {
            eprintln!("benchmark data not found: {} (point --data or DYAD_DATA at the shared data folder)", p.display());
            std::process::exit(2);
        };
        for line in src.lines() {
            if let Some(t) = line.strip_prefix("# text = ") {
                text.push_str(t);
                text.push(' ');
            } else if line.starts_with("# newpar") || line.starts_with("# newdoc") {
                text.push_str("\n\n");
            }
        }
    }
    let mb = text.len() as f64 / 1e6;
    // Warm-up, then timed runs; report the median of the runs.
    let _ = dyad_text::tokenize(&text);
    let mut rates = Vec::new();
    let (mut ntok, mut nsent) = (0, 0);
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs_f64(secs) || rates.len() < 3 {
        let t0 = Instant::now();
        let toks = dyad_text::tokenize(&text);
        let sents = dyad_text::sentence_ranges(&text, &toks);
        let el = t0.elapsed().as_secs_f64();
        ntok = toks.len();
        nsent = sents.len();
        rates.push(mb / el);
    }
    rates.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let med = rates[rates.len() / 2];
    println!(
        "input: {mb:.2} MB ({ntok} tokens, {nsent} sentences), {} runs",
        rates.len()
    );
    println!(
        "text stage (tokenise + sentences), one core: median {med:.1} MB/s, {:.0} tokens/s",
        med * 1e6 * ntok as f64 / text.len() as f64
    );
}
