//! `dyad code`: the main job. Reads documents, runs the standard pipeline
//! on all cores, and writes one record per document, in input order.

use anyhow::Context;
use dyad_core::Doc;
use dyad_read::{InputFormat, ReadOptions, Reader};
use rayon::prelude::*;
use std::io::{self, BufRead, IsTerminal, Write};
use std::path::PathBuf;

mod spark;

#[derive(clap::Args)]
pub struct Args {
    /// Files, directories (recursive) or `-` for stdin. `.gz` is read
    /// transparently; `.warc`/`.warc.gz` yield one document per response.
    pub paths: Vec<PathBuf>,
    /// Input format: auto (by extension, then sniffing), text, html, jsonl.
    #[arg(long = "input", default_value = "auto")]
    pub input: InputFormat,
    /// Date (YYYY-MM-DD) for documents that carry none; relative dates
    /// ("on Thursday") resolve against it.
    #[arg(long, value_parser = parse_date)]
    pub date: Option<String>,
    /// The input is already clean article text: no extraction, and
    /// `article.text` equals the input exactly (offsets match outside gold).
    #[arg(long)]
    pub clean: bool,
    /// Output format: jsonl (default when piped), json, table (default on a
    /// terminal), spark (per document: the flat columns of the Spark job's
    /// documents table as JSON, a tab, the record; see jobs/spark).
    #[arg(long, value_parser = ["jsonl", "json", "table", "spark"])]
    pub format: Option<String>,
    /// Pretty-print JSON (with --format json).
    #[arg(long)]
    pub pretty: bool,
    /// Explain each event: sentence, parse path and pattern.
    #[arg(long)]
    pub explain: bool,
    /// Include the token layer (POS, lemma, head, deprel) in records.
    #[arg(long)]
    pub tokens: bool,
    /// Read WARC file paths from stdin (one per line); one record per
    /// response record out. This is how Spark's `RDD.pipe` drives dyad.
    #[arg(long)]
    pub warc_paths_from_stdin: bool,
    /// Worker threads (default: all cores).
    #[arg(long)]
    pub threads: Option<usize>,
}

fn parse_date(s: &str) -> Result<String, String> {
    let ok = s.len() == 10
        && s.as_bytes()[4] == b'-'
        && s.as_bytes()[7] == b'-'
        && s.bytes()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    let month: u32 = s.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(0);
    let day: u32 = s.get(8..10).and_then(|d| d.parse().ok()).unwrap_or(0);
    if ok && (1..=12).contains(&month) && (1..=31).contains(&day) {
        Ok(s.to_string())
    } else {
        Err(format!("expected a date as YYYY-MM-DD, got {s:?}"))
    }
}

/// Output formats.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Jsonl,
    Json,
    Table,
    Spark,
}

pub fn run(args: Args) -> anyhow::Result<i32> {
    let stdout = io::stdout();
    let format = match args.format.as_deref() {
        Some("json") => Format::Json,
        Some("table") => Format::Table,
        Some("spark") => Format::Spark,
        Some(_) => Format::Jsonl,
        None if stdout.is_terminal() => Format::Table,
        None => Format::Jsonl,
    };
    let opts = ReadOptions {
        format: args.input,
        clean: args.clean,
        date: args.date.clone(),
        ..Default::default()
    };
    let docs: Box<dyn Iterator<Item = Doc> + Send> = if args.warc_paths_from_stdin {
        if !args.paths.is_empty() {
            anyhow::bail!("--warc-paths-from-stdin reads paths from stdin; give no PATHS");
        }
        Box::new(warc_paths_from_stdin(opts))
    } else {
        let paths = if args.paths.is_empty() {
            if io::stdin().is_terminal() {
                anyhow::bail!("no input: give files or directories, or `-` to read stdin");
            }
            vec![PathBuf::from("-")]
        } else {
            args.paths.clone()
        };
        Box::new(Reader::new(paths, opts))
    };
    let pipeline = dyad_pipeline::standard().context("building the pipeline")?;
    let threads = args.threads.unwrap_or(0);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .context("starting worker threads")?;
    let mut out = io::BufWriter::new(stdout.lock());
    let mut writer = RecordWriter {
        format,
        pretty: args.pretty,
        explain: args.explain,
        tokens: args.tokens,
        first: true,
        failed: 0,
    };
    writer.begin(&mut out)?;
    // Documents are coded in small batches on the pool and written in
    // input order; the batch bounds memory and keeps streaming latency low.
    let batch_size = pool.current_num_threads().max(1) * 4;
    let mut docs = docs.peekable();
    while docs.peek().is_some() {
        let mut batch: Vec<Doc> = docs.by_ref().take(batch_size).collect();
        pool.install(|| batch.par_iter_mut().for_each(|d| pipeline.run(d)));
        for d in &batch {
            writer.write(&mut out, d).context("cannot write output")?;
        }
    }
    writer.end(&mut out).context("cannot write output")?;
    Ok(if writer.failed > 0 { 1 } else { 0 })
}

/// WARC paths on stdin, one per line, each expanded into its records.
fn warc_paths_from_stdin(opts: ReadOptions) -> impl Iterator<Item = Doc> + Send {
    let lines = io::stdin().lock().lines();
    let paths: Vec<PathBuf> = lines
        .map_while(Result::ok)
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .map(PathBuf::from)
        .collect();
    Reader::new(paths, opts)
}

struct RecordWriter {
    format: Format,
    pretty: bool,
    explain: bool,
    tokens: bool,
    first: bool,
    failed: usize,
}

impl RecordWriter {
    fn begin(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if self.format == Format::Json {
            out.write_all(b"[")?;
        }
        Ok(())
    }

    fn write(&mut self, out: &mut dyn Write, d: &Doc) -> io::Result<()> {
        if let Some(e) = &d.error {
            self.failed += 1;
            eprintln!("dyad: {}: {}", d.source.display(), e.message);
        }
        match self.format {
            Format::Table => write_table(out, d, self.explain)?,
            Format::Jsonl | Format::Json | Format::Spark => {
                let mut rec = d.record_with(self.tokens);
                if !self.explain {
                    strip_explain(&mut rec);
                }
                if self.format == Format::Spark {
                    // Compact JSON has no raw tab or line break: two fields.
                    serde_json::to_writer(&mut *out, &spark::flat_row(&rec))?;
                    out.write_all(b"\t")?;
                    serde_json::to_writer(&mut *out, &rec)?;
                    out.write_all(b"\n")?;
                    return self.flushed(out);
                }
                if self.format == Format::Json {
                    if !self.first {
                        out.write_all(b",")?;
                    }
                    out.write_all(b"\n")?;
                }
                if self.pretty {
                    serde_json::to_writer_pretty(&mut *out, &rec)?;
                } else {
                    serde_json::to_writer(&mut *out, &rec)?;
                }
                if self.format == Format::Jsonl {
                    out.write_all(b"\n")?;
                }
            }
        }
        self.flushed(out)
    }

    fn flushed(&mut self, out: &mut dyn Write) -> io::Result<()> {
        self.first = false;
        // Flushed per record: downstream (Spark, a pipe) sees each at once.
        out.flush()
    }

    fn end(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if self.format == Format::Json {
            out.write_all(b"\n]\n")?;
        }
        out.flush()
    }
}

fn strip_explain(rec: &mut serde_json::Value) {
    if let Some(evs) = rec.get_mut("events").and_then(|e| e.as_array_mut()) {
        for e in evs {
            if let Some(o) = e.as_object_mut() {
                o.remove("explain");
            }
        }
    }
}

/// The human summary: title, then one line per event.
fn write_table(out: &mut dyn Write, d: &Doc, explain: bool) -> io::Result<()> {
    let title = d.article.title.as_deref().unwrap_or("(no title)");
    writeln!(out, "== {}  [{}]", one_line(title), d.id)?;
    if let Some(e) = &d.error {
        writeln!(out, "   error ({}): {}", e.stage, e.message)?;
        return Ok(());
    }
    let date = d.date().unwrap_or("undated");
    writeln!(
        out,
        "   {date} · {} · {} sentences · {} events · {} quotes · {} places",
        d.article.language.as_deref().unwrap_or("?"),
        d.sentences.len(),
        d.events.len(),
        d.quotes.len(),
        d.places.len()
    )?;
    for ev in &d.events {
        let src = ev.source.as_ref().map(|a| a.code.as_str()).unwrap_or("-");
        let tgt = ev.target.as_ref().map(|a| a.code.as_str()).unwrap_or("-");
        let place = ev
            .place
            .as_ref()
            .map(|p| format!(" @{}", p.name))
            .unwrap_or_default();
        let flags = if ev.flags.is_empty() {
            String::new()
        } else {
            let f: Vec<String> = ev
                .flags
                .iter()
                .map(|f| format!("{f:?}").to_lowercase())
                .collect();
            format!(" [{}]", f.join(","))
        };
        // Where the event is reported, when not (only) in the body.
        let mut fields: Vec<&str> = ev.field.iter().map(String::as_str).collect();
        for h in &ev.headline {
            if !fields.contains(&h.field.as_str()) {
                fields.push(&h.field);
            }
        }
        let also = match (&ev.field, fields.is_empty()) {
            (_, true) => String::new(),
            (Some(_), false) => format!(", only in the {}", fields.join(" and ")),
            (None, false) => format!(", also in the {}", fields.join(" and ")),
        };
        writeln!(
            out,
            "   {:<10} {:<10} {:<4} {:>8} → {:<8}{place}{flags}  ({}{also})",
            ev.date.as_deref().unwrap_or("-"),
            ev.plover,
            ev.cameo,
            src,
            tgt,
            ev.rule
        )?;
        if explain {
            if let Some(x) = &ev.explain {
                for l in x.lines() {
                    writeln!(out, "        {l}")?;
                }
            }
        }
    }
    Ok(())
}

fn one_line(s: &str) -> String {
    let s: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() > 100 {
        let mut t: String = s.chars().take(99).collect();
        t.push('…');
        t
    } else {
        s
    }
}
