//! `dyad eval TASK`: prints one table of figures per task.

use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// Task: text, extract, pos, dep, ner, events, quotes, geo, seed.
    pub task: String,
    /// The shared data folder.
    #[arg(long, env = "DYAD_DATA", default_value = "../shared/data")]
    pub data: PathBuf,
}

pub fn run(args: Args) -> anyhow::Result<i32> {
    if !dyad_eval::TASKS.contains(&args.task.as_str()) {
        anyhow::bail!(
            "unknown eval task {:?}; known: {}",
            args.task,
            dyad_eval::TASKS.join(", ")
        );
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    dyad_eval::run(&args.task, &args.data, &mut out)?;
    Ok(0)
}
