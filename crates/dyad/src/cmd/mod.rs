//! One module per subcommand. Each exposes `Args` (clap) and
//! `run(Args) -> anyhow::Result<i32>` returning the exit code.

pub mod annotate;
pub mod code;
pub mod eval;
pub mod export;
pub mod extract;
pub mod gazetteer;
pub mod ingest;
pub mod query;
pub mod serve;
pub mod train;
