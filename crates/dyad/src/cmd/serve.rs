//! `dyad serve`: the HTTP JSON API and the web UI.

use anyhow::Context;
use std::io::BufRead;
use std::path::PathBuf;
use std::sync::Arc;

#[derive(clap::Args)]
pub struct Args {
    /// The store to serve (created empty if missing). Without --db, an
    /// empty store in memory (or the --records, held in memory).
    #[arg(long, value_name = "FILE", env = "DYAD_DB")]
    db: Option<PathBuf>,
    /// Coded records, one JSON object a line (the output of `dyad code`):
    /// loaded into the --db store, or served from memory without --db.
    #[arg(long, value_name = "FILE.jsonl")]
    records: Option<PathBuf>,
    /// Address to listen on. Loopback by default: the API has no user
    /// accounts, so expose it only behind a proxy you trust.
    #[arg(long, default_value = "127.0.0.1:8080", env = "DYAD_ADDR")]
    addr: std::net::SocketAddr,
    /// Bearer token that enables `POST /api/ingest` (off without one).
    #[arg(long, env = "DYAD_TOKEN", hide_env_values = true)]
    token: Option<String>,
    /// Largest request body, in bytes.
    #[arg(long, default_value_t = 2 * 1024 * 1024)]
    max_body: usize,
}

fn open_records(p: &PathBuf) -> anyhow::Result<std::io::BufReader<std::fs::File>> {
    let f = std::fs::File::open(p).with_context(|| format!("cannot open {}", p.display()))?;
    Ok(std::io::BufReader::new(f))
}

/// Loads records into the store, in one transaction per 500.
fn load_into_store(store: &dyad_store::Store, p: &PathBuf) -> anyhow::Result<usize> {
    let mut batch = Vec::new();
    let mut n = 0;
    let flush = |batch: &mut Vec<dyad_store::PreparedDoc>| -> anyhow::Result<()> {
        store
            .write_batch(batch, false)
            .context("cannot write to the store")?;
        batch.clear();
        Ok(())
    };
    for (i, line) in open_records(p)?.lines().enumerate() {
        let line = line.with_context(|| format!("{}: line {}", p.display(), i + 1))?;
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(&line)
            .with_context(|| format!("{}: line {}", p.display(), i + 1))?;
        let doc = dyad_server::doc_from_record(v)
            .map_err(|e| anyhow::anyhow!("{}: line {}: {e}", p.display(), i + 1))?;
        let hash = dyad_store::content_hash(&doc);
        batch.push(dyad_store::PreparedDoc::new(&doc, hash)?);
        n += 1;
        if batch.len() == 500 {
            flush(&mut batch)?;
        }
    }
    flush(&mut batch)?;
    // Planner statistics for the rows just loaded.
    store.optimize()?;
    Ok(n)
}

pub fn run(a: Args) -> anyhow::Result<i32> {
    let backend: Arc<dyn dyad_server::Backend> = match (&a.db, &a.records) {
        (None, Some(p)) => {
            let b = dyad_server::MemBackend::from_jsonl(open_records(p)?)
                .map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))?;
            Arc::new(b)
        }
        (db, records) => {
            let b = match db {
                Some(p) => {
                    let readers = std::thread::available_parallelism()
                        .map(|n| n.get())
                        .unwrap_or(2)
                        .clamp(2, 8);
                    dyad_server::StoreBackend::open(p, readers).map_err(|e| {
                        anyhow::anyhow!("cannot open the store {}: {e}", p.display())
                    })?
                }
                None => {
                    dyad_server::StoreBackend::in_memory().map_err(|e| anyhow::anyhow!("{e}"))?
                }
            };
            if let Some(r) = records {
                let n = load_into_store(b.store(), r)?;
                eprintln!("dyad serve: loaded {n} records from {}", r.display());
            }
            Arc::new(b)
        }
    };
    let stats = backend.stats().map_err(|e| anyhow::anyhow!("{e}"))?;
    let cfg = dyad_server::Config {
        addr: a.addr,
        token: a.token.clone(),
        max_body: a.max_body,
        ..Default::default()
    };
    eprintln!(
        "dyad serve: {} documents, {} events; UI at http://{}/ , API description at /openapi.json",
        stats.documents, stats.events, cfg.addr
    );
    if stats.documents == 0 {
        eprintln!(
            "dyad serve: the store is empty. Fill it with `dyad ingest --db FILE ARTICLES...` and start with \
             --db FILE, or start with --token T and POST {{\"text\": ...}} to /api/ingest \
             (Authorization: Bearer T)."
        );
    }
    if cfg.token.is_some() && !cfg.addr.ip().is_loopback() {
        eprintln!("dyad serve: warning: ingest is enabled on a non-loopback address; put TLS in front of it");
    }
    dyad_server::run(cfg, backend).with_context(|| format!("cannot serve on {}", a.addr))?;
    Ok(0)
}
