//! `dyad train pos|dep|ner`: trains a model from the shared data and
//! writes the weights file plus a model card (`<out stem>.md`).

use anyhow::Context;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// What to train: pos, dep or ner.
    pub task: String,
    /// The shared data folder.
    #[arg(long, env = "DYAD_DATA", default_value = "../shared/data")]
    pub data: PathBuf,
    /// Random seed (shuffling, exploration): same seed, same model.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Training epochs (the best dev epoch is kept).
    #[arg(long)]
    pub epochs: Option<usize>,
    /// Output model file; the card goes beside it as `<stem>.md`.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Tagger used for dep/ner training tags (default: models/pos.bin if
    /// present, else the embedded one).
    #[arg(long)]
    pub tagger: Option<PathBuf>,
    /// dep: tag the training data with K-fold jackknifed taggers (0: use
    /// the tagger as is).
    #[arg(long, default_value_t = 0)]
    pub jackknife: usize,
    /// Prune averaged weights below this magnitude.
    #[arg(long, default_value_t = 0.01)]
    pub min_weight: f32,
}

fn load_tagger(path: Option<PathBuf>) -> anyhow::Result<dyad_models::pos::Tagger> {
    let p = path.unwrap_or_else(|| PathBuf::from("models/pos.bin"));
    let bytes = std::fs::read(&p).with_context(|| format!("reading tagger {}", p.display()))?;
    if bytes.is_empty() {
        anyhow::bail!("{} is empty: train pos first", p.display());
    }
    Ok(dyad_models::pos::Tagger::load(&bytes)?)
}

pub fn run(args: Args) -> anyhow::Result<i32> {
    let (default_epochs, default_out) = match args.task.as_str() {
        "pos" => (10, "models/pos.bin"),
        "dep" => (15, "models/dep.bin"),
        "ner" => (12, "models/ner.bin"),
        other => anyhow::bail!("unknown model {other:?}: pos, dep or ner"),
    };
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from(default_out));
    let cfg = dyad_models::TrainConfig {
        seed: args.seed,
        epochs: args.epochs.unwrap_or(default_epochs),
        min_weight: args.min_weight,
        checkpoint: Some(out.clone()),
    };
    let cmd = format!(
        "dyad train {} --seed {} --epochs {} --min-weight {}{} --out {}",
        args.task,
        cfg.seed,
        cfg.epochs,
        cfg.min_weight,
        if args.jackknife > 0 {
            format!(" --jackknife {}", args.jackknife)
        } else {
            String::new()
        },
        out.display()
    );
    let mut log = |s: &str| eprintln!("{s}");
    let t0 = std::time::Instant::now();
    let trained = match args.task.as_str() {
        "pos" => dyad_models::train::train_pos(&args.data, &cfg, &cmd, &mut log)?,
        "dep" => {
            let t = load_tagger(args.tagger)?;
            dyad_models::train::train_dep(&args.data, &t, args.jackknife, &cfg, &cmd, &mut log)?
        }
        _ => {
            let t = load_tagger(args.tagger)?;
            dyad_models::train::train_ner(&args.data, &t, &cfg, &cmd, &mut log)?
        }
    };
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(&out, &trained.bytes).with_context(|| format!("writing {}", out.display()))?;
    let card = out.with_extension("md");
    std::fs::write(&card, &trained.card)?;
    eprintln!(
        "wrote {} ({:.1} MB) and {} in {:.0} s",
        out.display(),
        trained.bytes.len() as f64 / 1e6,
        card.display(),
        t0.elapsed().as_secs_f64()
    );
    Ok(0)
}
