//! `dyad export`: the store's events (or documents) to a file as CSV,
//! JSON lines, Parquet or GDELT 2.0 event-table TSV (the columns filled
//! are documented in `dyad_store::export`).

use super::query::FilterArgs;
use anyhow::Context;
use dyad_store::{export, Store};
use std::io::Write;
use std::path::PathBuf;

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Csv,
    Jsonl,
    Parquet,
    Gdelt,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Table {
    /// One row per event.
    Events,
    /// One full output record per document (JSONL only).
    Documents,
}

#[derive(clap::Args)]
pub struct Args {
    #[arg(long, value_enum)]
    pub format: Format,
    /// Output file (`-` for stdout).
    #[arg(long)]
    pub out: PathBuf,
    /// What to export.
    #[arg(long, value_enum, default_value = "events")]
    pub table: Table,
    /// The store file.
    #[arg(long, default_value = "dyad.db", env = "DYAD_DB")]
    pub db: PathBuf,
    #[command(flatten)]
    pub filter: FilterArgs,
}

pub fn run(args: Args) -> anyhow::Result<i32> {
    if !args.db.exists() {
        anyhow::bail!(
            "no store at {} (create one with `dyad ingest`, or pass --db)",
            args.db.display()
        );
    }
    let store = Store::open(&args.db).with_context(|| format!("opening {}", args.db.display()))?;
    let f = args.filter.filter();
    let to_stdout = args.out.as_os_str() == "-";
    // Write to a temporary file and rename, so a failed export leaves no half file.
    let tmp = args.out.with_extension("partial");
    let file: Box<dyn Write> = if to_stdout {
        Box::new(std::io::stdout().lock())
    } else {
        Box::new(
            std::fs::File::create(&tmp).with_context(|| format!("creating {}", tmp.display()))?,
        )
    };
    let mut out = std::io::BufWriter::new(file);
    let n = match (args.format, args.table) {
        (Format::Jsonl, Table::Documents) => export::documents_jsonl(&store, &f, &mut out)?,
        (_, Table::Documents) => anyhow::bail!("--table documents is exported as --format jsonl"),
        (Format::Csv, _) => export::events_csv(&store, &f, &mut out)?,
        (Format::Jsonl, _) => export::events_jsonl(&store, &f, &mut out)?,
        (Format::Gdelt, _) => export::events_gdelt(&store, &f, &mut out)?,
        (Format::Parquet, _) => export::events_parquet(&store, &f, &mut out)?,
    };
    out.flush()?;
    drop(out);
    if !to_stdout {
        std::fs::rename(&tmp, &args.out)
            .with_context(|| format!("writing {}", args.out.display()))?;
    }
    eprintln!("dyad export: {n} rows");
    Ok(0)
}
