//! `dyad extract`: pages (HTML, scraped text, JSONL with `html`/`text`,
//! WARC, `.gz`, directories, stdin) to article text and metadata, one
//! JSON record per page:
//! `{"id","source","title","standfirst","byline","date","language","site","url","text","error"?}`.

use std::io::{BufWriter, Write};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// Files or directories to read; `-` (the default) reads stdin.
    pub paths: Vec<PathBuf>,
    /// Output format: `jsonl` (one record per page) or `text` (the
    /// article texts, separated by form feeds).
    #[arg(long, default_value = "jsonl")]
    pub format: String,
    /// How to read inputs: auto, html, text, jsonl.
    #[arg(long, default_value = "auto")]
    pub input: String,
    /// Date for pages that carry none (YYYY-MM-DD).
    #[arg(long)]
    pub date: Option<String>,
}

pub fn run(args: Args) -> anyhow::Result<i32> {
    let format = args.format.as_str();
    if format != "jsonl" && format != "text" {
        anyhow::bail!("unknown --format {format:?} (jsonl, text)");
    }
    let opts = dyad_read::ReadOptions {
        format: args.input.parse().map_err(anyhow::Error::msg)?,
        date: args.date.clone(),
        ..Default::default()
    };
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        args.paths
    };
    let pipeline = dyad_pipeline::extraction();
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut failed = false;
    for mut doc in dyad_read::Reader::new(paths, opts) {
        pipeline.run(&mut doc);
        failed |= doc.error.is_some();
        let res = if format == "jsonl" {
            let rec = record(&doc);
            serde_json::to_writer(&mut out, &rec)
                .map_err(std::io::Error::from)
                .and_then(|_| out.write_all(b"\n"))
        } else {
            out.write_all(doc.text().as_bytes())
                .and_then(|_| out.write_all(b"\n\x0c\n"))
        };
        if let Err(e) = res {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                return Ok(if failed { 1 } else { 0 });
            }
            return Err(e.into());
        }
    }
    match out.flush() {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => return Err(e.into()),
        _ => {}
    }
    Ok(if failed { 1 } else { 0 })
}

/// The flat extraction record of one page.
fn record(doc: &dyad_core::Doc) -> serde_json::Value {
    let a = &doc.article;
    let mut rec = serde_json::json!({
        "id": doc.id,
        "source": doc.source,
        "title": a.title,
        "standfirst": a.standfirst,
        "byline": a.byline,
        "date": doc.date(),
        "language": a.language,
        "site": a.site,
        "url": a.url,
        "text": a.text,
    });
    if let Some(e) = &doc.error {
        rec["error"] = serde_json::to_value(e).unwrap_or_default();
    }
    rec
}
