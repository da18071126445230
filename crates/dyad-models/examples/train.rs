//! Same training runs as `dyad train`, without building the whole binary:
//! `cargo run --release -p dyad-models --example train -- pos DATA OUT SEED EPOCHS [TAGGER] [JACKKNIFE]`.

use dyad_models::{pos, train, TrainConfig};
use std::path::PathBuf;

fn main() {
    let a: Vec<String> = std::env::args().collect();
    if a.len() < 6 {
        eprintln!("usage: train pos|dep|ner DATA OUT SEED EPOCHS [TAGGER] [JACKKNIFE]");
        std::process::exit(2);
    }
    let data = PathBuf::from(&a[2]);
    let out = PathBuf::from(&a[3]);
    let cfg = TrainConfig {
        seed: a[4].parse().expect("seed"),
        epochs: a[5].parse().expect("epochs"),
        checkpoint: Some(PathBuf::from(&a[3])),
        ..Default::default()
    };
    let jk: usize = a.get(7).map(|s| s.parse().expect("jackknife")).unwrap_or(0);
    let cmd = format!(
        "dyad train {} --seed {} --epochs {} --min-weight {}{} --out {}",
        a[1],
        cfg.seed,
        cfg.epochs,
        cfg.min_weight,
        if jk > 0 {
            format!(" --jackknife {jk}")
        } else {
            String::new()
        },
        out.display()
    );
    let tagger = || {
        pos::Tagger::load(&std::fs::read(a.get(6).expect("tagger path")).expect("read tagger"))
            .expect("tagger")
    };
    let mut log = |s: &str| eprintln!("{s}");
    let t = match a[1].as_str() {
        "pos" => train::train_pos(&data, &cfg, &cmd, &mut log),
        "dep" => train::train_dep(&data, &tagger(), jk, &cfg, &cmd, &mut log),
        _ => train::train_ner(&data, &tagger(), &cfg, &cmd, &mut log),
    }
    .expect("training");
    std::fs::write(&out, &t.bytes).expect("write model");
    std::fs::write(out.with_extension("md"), &t.card).expect("write card");
    eprintln!("wrote {} ({} bytes)", out.display(), t.bytes.len());
}
