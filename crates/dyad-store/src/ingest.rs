//! Parallel, idempotent, resumable ingest.
//!
//! Documents flow from any iterator (the `dyad-read` crate's readers)
//! through a rayon pool of `threads` workers, each of which hashes the
//! input, skips it when the store already holds that key with that hash,
//! otherwise runs the pipeline and prepares the rows ([`PreparedDoc`]).
//! One writer thread commits prepared documents in batched transactions
//! (SQLite has one writer at a time; batching keeps it off the critical
//! path). A crash or Ctrl-C loses at most the uncommitted batch: committed
//! documents are skipped on the next run, so re-running resumes.
//!
//! [`IngestOptions::stop`] asks a running ingest to stop early (the CLI
//! sets it on Ctrl-C): no new document is read, the documents already
//! coded are committed, and [`Progress::interrupted`] says so.

use crate::{content_hash, PreparedDoc, Result, Store, WriteOutcome};
use dyad_core::{Doc, Pipeline};
use rayon::iter::{ParallelBridge, ParallelIterator};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

/// How to ingest.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// Pipeline worker threads (0 = all cores).
    pub threads: usize,
    /// Documents per transaction at most.
    pub batch_size: usize,
    /// A batch is committed at the latest this long after its first document.
    pub batch_interval: Duration,
    /// Re-code and rewrite documents even when unchanged.
    pub force: bool,
    /// Run the pipeline but write nothing (to measure the store's overhead).
    pub dry_run: bool,
    /// Set from outside (a signal handler) to stop early: reading stops,
    /// what is already coded is committed, and the ingest returns with
    /// [`Progress::interrupted`] set.
    pub stop: Option<Arc<AtomicBool>>,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            threads: 0,
            batch_size: 256,
            batch_interval: Duration::from_millis(1000),
            force: false,
            dry_run: false,
            stop: None,
        }
    }
}

/// Counters of a running or finished ingest.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Progress {
    /// Documents read so far.
    pub seen: u64,
    /// Documents finished (written, skipped or failed).
    pub done: u64,
    pub inserted: u64,
    pub replaced: u64,
    /// Already stored with the same content: skipped.
    pub unchanged: u64,
    /// Documents recorded with an error (unreadable, empty, ...).
    pub failed: u64,
    /// Events written.
    pub events: u64,
    /// Seconds since the start.
    pub elapsed_s: f64,
    /// Summed over workers: seconds in the pipeline, and preparing rows.
    pub pipeline_s: f64,
    pub prepare_s: f64,
    /// Seconds the writer spent in transactions.
    pub write_s: f64,
    /// Stopped early by [`IngestOptions::stop`]; re-running resumes.
    pub interrupted: bool,
}

enum Msg {
    Write(Box<PreparedDoc>, bool, u64),
    Skipped,
}

/// Ingests `docs` into `store` with `pipeline`. `on_progress` is called
/// from the writer thread after every commit and every skipped document.
pub fn ingest<I>(
    store: &Store,
    pipeline: &Pipeline,
    docs: I,
    opts: &IngestOptions,
    on_progress: &(dyn Fn(&Progress) + Sync),
) -> Result<Progress>
where
    I: Iterator<Item = Doc> + Send,
{
    let known: HashMap<String, String> = if opts.force {
        HashMap::new()
    } else {
        store.known_hashes()?
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads)
        .thread_name(|i| format!("dyad-ingest-{i}"))
        .build()
        .map_err(|e| crate::Error::Invalid(format!("cannot start threads: {e}")))?;
    let start = Instant::now();
    let seen = AtomicU64::new(0);
    let pipeline_ns = AtomicU64::new(0);
    let prepare_ns = AtomicU64::new(0);
    let abort = AtomicBool::new(false);
    let (tx, rx) = mpsc::sync_channel::<Msg>(opts.batch_size.max(1) * 2);

    std::thread::scope(|scope| {
        let writer = scope.spawn(|| {
            let rx = rx; // moved in: a Receiver cannot be shared
            let mut p = Progress::default();
            let mut batch: Vec<PreparedDoc> = Vec::new();
            let mut batch_meta: Vec<(bool, u64)> = Vec::new();
            let mut first_at: Option<Instant> = None;
            let report = |p: &mut Progress| {
                p.seen = seen.load(Ordering::Relaxed);
                p.elapsed_s = start.elapsed().as_secs_f64();
                p.pipeline_s = pipeline_ns.load(Ordering::Relaxed) as f64 / 1e9;
                p.prepare_s = prepare_ns.load(Ordering::Relaxed) as f64 / 1e9;
                on_progress(p);
            };
            let flush = |batch: &mut Vec<PreparedDoc>,
                         meta: &mut Vec<(bool, u64)>,
                         p: &mut Progress|
             -> Result<()> {
                if batch.is_empty() {
                    return Ok(());
                }
                let t = Instant::now();
                let outcomes = if opts.dry_run {
                    vec![WriteOutcome::Inserted; batch.len()]
                } else {
                    store.write_batch(batch, opts.force)?
                };
                p.write_s += t.elapsed().as_secs_f64();
                for (o, (failed, events)) in outcomes.iter().zip(meta.iter()) {
                    p.done += 1;
                    match o {
                        WriteOutcome::Inserted => p.inserted += 1,
                        WriteOutcome::Replaced => p.replaced += 1,
                        WriteOutcome::Unchanged => p.unchanged += 1,
                    }
                    if *o != WriteOutcome::Unchanged {
                        p.failed += *failed as u64;
                        p.events += events;
                    }
                }
                batch.clear();
                meta.clear();
                report(p);
                Ok(())
            };
            let res: Result<()> = (|| loop {
                let timeout = match first_at {
                    Some(t) => opts.batch_interval.saturating_sub(t.elapsed()),
                    None => Duration::from_secs(3600),
                };
                match rx.recv_timeout(timeout) {
                    Ok(Msg::Write(d, failed, events)) => {
                        batch.push(*d);
                        batch_meta.push((failed, events));
                        first_at.get_or_insert_with(Instant::now);
                        if batch.len() >= opts.batch_size.max(1) {
                            flush(&mut batch, &mut batch_meta, &mut p)?;
                            first_at = None;
                        }
                    }
                    Ok(Msg::Skipped) => {
                        p.done += 1;
                        p.unchanged += 1;
                        report(&mut p);
                    }
                    Err(mpsc::RecvTimeoutError::Timeout) => {
                        flush(&mut batch, &mut batch_meta, &mut p)?;
                        first_at = None;
                    }
                    Err(mpsc::RecvTimeoutError::Disconnected) => {
                        flush(&mut batch, &mut batch_meta, &mut p)?;
                        return Ok(());
                    }
                }
            })();
            if res.is_err() {
                // Stop the workers; drain so none blocks on a full channel.
                abort.store(true, Ordering::Relaxed);
                while rx.recv().is_ok() {}
            }
            res.map(|_| p)
        });

        let stopped = || {
            abort.load(Ordering::Relaxed)
                || opts
                    .stop
                    .as_ref()
                    .is_some_and(|s| s.load(Ordering::Relaxed))
        };
        // Reading stops at once on a stop request; documents in the workers
        // finish and are committed by the writer when the channel closes.
        let docs = docs.take_while(|_| !stopped());
        pool.install(|| {
            docs.par_bridge().for_each_with(tx, |tx, mut doc| {
                if stopped() {
                    return;
                }
                seen.fetch_add(1, Ordering::Relaxed);
                let hash = content_hash(&doc);
                if known.get(&doc.id) == Some(&hash) {
                    let _ = tx.send(Msg::Skipped);
                    return;
                }
                let t = Instant::now();
                pipeline.run(&mut doc);
                let t2 = Instant::now();
                pipeline_ns.fetch_add((t2 - t).as_nanos() as u64, Ordering::Relaxed);
                let failed = doc.error.is_some();
                let events = doc.events.len() as u64;
                match PreparedDoc::new(&doc, hash) {
                    Ok(p) => {
                        prepare_ns.fetch_add(t2.elapsed().as_nanos() as u64, Ordering::Relaxed);
                        let _ = tx.send(Msg::Write(Box::new(p), failed, events));
                    }
                    Err(_) => abort.store(true, Ordering::Relaxed),
                }
            });
        });
        let mut p = writer.join().expect("writer thread panicked")?;
        p.interrupted = opts
            .stop
            .as_ref()
            .is_some_and(|s| s.load(Ordering::Relaxed));
        if !opts.dry_run && p.inserted + p.replaced > 0 {
            // Fresh planner statistics for the rows just written.
            store.optimize()?;
        }
        p.seen = seen.load(Ordering::Relaxed);
        p.elapsed_s = start.elapsed().as_secs_f64();
        p.pipeline_s = pipeline_ns.load(Ordering::Relaxed) as f64 / 1e9;
        p.prepare_s = prepare_ns.load(Ordering::Relaxed) as f64 / 1e9;
        Ok(p)
    })
}
