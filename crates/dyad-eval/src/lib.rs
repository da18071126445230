//! dyad-eval: scorers and the harness behind `dyad eval TASK`.
//!
//! One module per task; each reads its gold data from the data folder
//! (`--data DIR`, `DYAD_DATA`, default `../shared/data`), runs the
//! standard pipeline (or the stage under test) and writes a table of
//! figures. Missing data is a clear error naming the file, never a panic.

pub mod events;
pub mod extract;
pub mod geo;
pub mod models;
pub mod quotes;
pub mod seed;
pub mod text;

use std::io::Write;
use std::path::{Path, PathBuf};

/// Errors of the eval harness.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(
        "evaluation data not found: {0} (point --data or DYAD_DATA at the shared data folder)"
    )]
    MissingData(PathBuf),
    #[error("cannot read {path}: {message}")]
    Read { path: PathBuf, message: String },
    #[error("pipeline: {0}")]
    Pipeline(String),
    #[error("output: {0}")]
    Io(#[from] std::io::Error),
}

/// Checks that a data file exists, with the error users should see.
pub fn require(data: &Path, rel: &str) -> Result<PathBuf, Error> {
    let p = data.join(rel);
    if p.exists() {
        Ok(p)
    } else {
        Err(Error::MissingData(p))
    }
}

/// The tasks `dyad eval` knows.
pub const TASKS: &[&str] = &[
    "text", "extract", "pos", "dep", "ner", "events", "quotes", "geo", "seed",
];

/// Runs one task, writing its table(s) to `out`.
pub fn run(task: &str, data: &Path, out: &mut dyn Write) -> Result<(), Error> {
    match task {
        "text" => text::run(data, out),
        "extract" => extract::run(data, out),
        "pos" | "dep" | "ner" => models::run(task, data, out),
        "events" => events::run(data, out),
        "quotes" => quotes::run(data, out),
        "geo" => geo::run(data, out),
        "seed" => seed::run(data, out),
        other => {
            writeln!(out, "unknown eval task {other}")?;
            Ok(())
        }
    }
}
