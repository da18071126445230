//! `dyad ingest`: code documents into the embedded store on all cores.
//!
//! Idempotent and resumable: a document already stored with the same
//! content is skipped, a changed one has its rows replaced; after a crash
//! or Ctrl-C, re-running the same command picks up where it stopped.

use anyhow::Context;
use dyad_read::{InputFormat, ReadOptions, Reader};
use dyad_store::ingest::{ingest, IngestOptions, Progress};
use dyad_store::Store;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(clap::Args)]
pub struct Args {
    /// Files, directories (walked recursively), .gz, JSONL or WARC files; `-` for stdin.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Input format: auto, text, html or jsonl.
    #[arg(long, default_value = "auto")]
    pub format: InputFormat,
    /// Inputs are clean article text (no extraction).
    #[arg(long)]
    pub clean: bool,
    /// Date for documents that carry none (YYYY-MM-DD).
    #[arg(long)]
    pub date: Option<String>,
    /// The store file (created if missing).
    #[arg(long, default_value = "dyad.db", env = "DYAD_DB")]
    pub db: PathBuf,
    /// Pipeline threads (0 = all cores).
    #[arg(long, short = 'j', default_value_t = 0)]
    pub threads: usize,
    /// Documents per transaction.
    #[arg(long, default_value_t = 256)]
    pub batch: usize,
    /// Re-code and rewrite every document, even unchanged ones.
    #[arg(long)]
    pub force: bool,
    /// Run the pipeline but write nothing (measures the store's overhead).
    #[arg(long)]
    pub dry_run: bool,
    /// No progress output.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Print the final counters as JSON on stdout.
    #[arg(long)]
    pub json: bool,
}

/// How many documents the inputs hold, when that is cheap to know
/// (plain files and directories of them); `None` for stdin, JSONL, WARC.
fn count_docs(paths: &[PathBuf]) -> Option<u64> {
    fn rec(p: &Path, n: &mut u64) -> Option<()> {
        let name = p.file_name()?.to_string_lossy().to_ascii_lowercase();
        if p.is_dir() {
            for e in std::fs::read_dir(p).ok()?.flatten() {
                if !e.file_name().to_string_lossy().starts_with('.') {
                    rec(&e.path(), n)?;
                }
            }
        } else if [
            ".jsonl",
            ".ndjson",
            ".warc",
            ".jsonl.gz",
            ".ndjson.gz",
            ".warc.gz",
        ]
        .iter()
        .any(|x| name.ends_with(x))
        {
            return None;
        } else {
            *n += 1;
        }
        Some(())
    }
    let mut n = 0;
    for p in paths {
        if p.as_os_str() == "-" {
            return None;
        }
        rec(p, &mut n)?;
    }
    Some(n)
}

fn summary(p: &Progress) -> String {
    let rate = if p.elapsed_s > 0.0 {
        p.done as f64 / p.elapsed_s
    } else {
        0.0
    };
    format!(
        "{} docs ({} new, {} replaced, {} unchanged, {} failed), {} events, {:.1} docs/s",
        p.done, p.inserted, p.replaced, p.unchanged, p.failed, p.events, rate
    )
}

pub fn run(args: Args) -> anyhow::Result<i32> {
    for p in &args.paths {
        if p.as_os_str() != "-" && !p.exists() {
            anyhow::bail!("no such file or directory: {}", p.display());
        }
    }
    let total = count_docs(&args.paths);
    let store = Store::open(&args.db)
        .with_context(|| format!("opening the store {}", args.db.display()))?;
    let pipeline = dyad_pipeline::standard().context("building the pipeline")?;
    let opts = IngestOptions {
        threads: args.threads,
        batch_size: args.batch.max(1),
        force: args.force,
        dry_run: args.dry_run,
        stop: Some(on_ctrl_c()),
        ..Default::default()
    };
    let tty = std::io::stderr().is_terminal() && !args.quiet;
    let bar = tty.then(|| {
        let (b, template) = match total {
            Some(n) => (
                indicatif::ProgressBar::new(n),
                "{elapsed_precise} [{bar:30}] {pos}/{len} docs {per_sec} ETA {eta} {msg}",
            ),
            None => (
                indicatif::ProgressBar::new_spinner(),
                "{elapsed_precise} {spinner} {pos} docs {per_sec} {msg}",
            ),
        };
        b.set_style(
            indicatif::ProgressStyle::with_template(template)
                .expect("valid template")
                .progress_chars("=> "),
        );
        b
    });
    let last_log = Mutex::new(Instant::now());
    let on_progress = |p: &Progress| {
        if let Some(b) = &bar {
            b.set_position(p.done);
            b.set_message(format!("{} events, {} failed", p.events, p.failed));
        } else if !args.quiet {
            let mut last = last_log.lock().unwrap_or_else(|e| e.into_inner());
            if last.elapsed() >= Duration::from_secs(5) {
                *last = Instant::now();
                eprintln!("dyad ingest: {}", summary(p));
            }
        }
    };
    let read = ReadOptions {
        format: args.format,
        clean: args.clean,
        date: args.date.clone(),
        ..Default::default()
    };
    let docs = Reader::new(args.paths.clone(), read);
    let p = ingest(&store, &pipeline, docs, &opts, &on_progress)?;
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    if !args.quiet {
        eprintln!(
            "dyad ingest: {} in {:.1}s into {}",
            summary(&p),
            p.elapsed_s,
            args.db.display()
        );
    }
    if args.json {
        println!("{}", serde_json::to_string(&p)?);
    }
    if p.interrupted {
        eprintln!(
            "dyad ingest: interrupted; {} documents are committed. Run the same command again to resume (stored documents are skipped).",
            p.inserted + p.replaced + p.unchanged
        );
        return Ok(130);
    }
    Ok(if p.failed > 0 { 1 } else { 0 })
}

/// A flag that the first SIGINT (Ctrl-C) sets, so the ingest stops
/// reading and commits what it has coded; a second SIGINT exits at once
/// with 130 (SQLite rolls the open transaction back on the next open).
fn on_ctrl_c() -> Arc<AtomicBool> {
    let flag = Arc::new(AtomicBool::new(false));
    #[cfg(unix)]
    {
        let f = flag.clone();
        // SAFETY: the handler only touches an atomic and calls `_exit`,
        // both async-signal-safe.
        let res = unsafe {
            signal_hook_registry::register(libc::SIGINT, move || {
                if f.swap(true, Ordering::SeqCst) {
                    libc::_exit(130);
                }
                let msg = b"\ndyad ingest: Ctrl-C: committing the documents already coded (press again to quit at once)\n";
                libc::write(2, msg.as_ptr().cast(), msg.len());
            })
        };
        if let Err(e) = res {
            eprintln!("dyad ingest: cannot catch Ctrl-C ({e}); it will stop the ingest abruptly");
        }
    }
    flag
}
