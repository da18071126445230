//! dyad-store: the embedded SQLite store of coded documents.
//!
//! One file (WAL mode, bundled SQLite, versioned migrations) holds every
//! document with its output record, and one table per layer (`events`,
//! `mentions`, `quotes`, `numbers`, `places`) indexed for the filters
//! analysts use, plus an FTS5 full-text index over the articles.
//! Near-duplicate documents (syndicated copies) are linked to the first
//! copy (`documents.duplicate_of`) and left out of queries and aggregates
//! unless asked; events with the same type, actor pair and day across
//! documents share an `events.cluster` id.
//!
//! Event queries find their page of ids in covering indexes (one per
//! filter column, each carrying the other filter columns; an OR over
//! columns runs as a UNION of index searches) and only then read the
//! wide rows of that page; `query.rs` has a test that checks the plans.
//! Ingest ends with [`Store::optimize`] so the planner has statistics.
//!
//! [`ingest::ingest`] runs a pipeline over documents on several threads and
//! writes them from one writer thread in batched transactions; it is
//! idempotent (a content hash per document) and resumable.
//!
//! ```
//! use dyad_core::{ActorRef, Doc, Event, Source, Span};
//! use dyad_store::{CountBy, EventFilter, Store};
//!
//! let store = Store::open_in_memory().unwrap();
//! let mut doc = Doc::from_clean_text("d1", Source::path("d1.txt"), "Putin met Assad in Sochi.");
//! doc.article.date = Some("2018-05-17".into());
//! doc.events.push(Event {
//!     plover: "CONSULT".into(),
//!     cameo: "040".into(),
//!     source: Some(ActorRef { code: "RUSGOV".into(), text: "Putin".into(), start: 0, end: 5, name: None }),
//!     target: Some(ActorRef { code: "SYRGOV".into(), text: "Assad".into(), start: 10, end: 15, name: None }),
//!     evidence: vec![Span::new(0, 24)],
//!     rule: "example".into(),
//!     ..Default::default()
//! });
//! store.put_doc(&doc).unwrap();
//!
//! let f = EventFilter { actor: Some("RUS".into()), ..Default::default() };
//! let rows = store.query_events(&f).unwrap();
//! assert_eq!(rows[0].target_code.as_deref(), Some("SYRGOV"));
//! assert_eq!(store.count_by(&f, CountBy::Dyad).unwrap()[0].key, "RUSGOV>SYRGOV");
//! assert_eq!(store.search("Sochi").unwrap().len(), 1);
//! ```

pub mod dedup;
pub mod export;
pub mod ingest;
pub mod parquet;
mod query;
mod schema;
mod types;
mod write;

pub use schema::VERSION as SCHEMA_VERSION;
pub use types::*;
pub use write::{content_hash, PreparedDoc};

use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

/// Errors of the store.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("database error: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("JSON error: {0}")]
    Json(#[from] serde_json::Error),
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
    #[error("the store has schema version {found}, newer than this dyad supports ({supported}); upgrade dyad")]
    Version { found: i64, supported: i64 },
    #[error("{0}")]
    Invalid(String),
}

pub type Result<T> = std::result::Result<T, Error>;

/// A handle on a store. Cheap to share behind an `Arc`: calls are
/// serialised on one connection; open a second `Store` on the same file
/// (or call [`Store::reopen`]) for reads that must not wait on writes.
/// Readers in other processes are never blocked (WAL).
pub struct Store {
    conn: Mutex<Connection>,
    path: Option<PathBuf>,
    /// Actor codes by prefix, for the current state of the data.
    codes: Mutex<query::CodeCache>,
}

impl Store {
    /// Opens (creating if needed) the store at `path` and migrates it.
    pub fn open(path: impl AsRef<Path>) -> Result<Store> {
        let path = path.as_ref().to_path_buf();
        let conn = Connection::open(&path)?;
        Self::setup(conn, Some(path))
    }

    /// A fresh store in memory (tests, one-off jobs).
    pub fn open_in_memory() -> Result<Store> {
        Self::setup(Connection::open_in_memory()?, None)
    }

    /// Another connection to the same file (a separate reader or writer).
    pub fn reopen(&self) -> Result<Store> {
        match &self.path {
            Some(p) => Store::open(p),
            None => Err(Error::Invalid(
                "an in-memory store cannot be reopened".into(),
            )),
        }
    }

    fn setup(mut conn: Connection, path: Option<PathBuf>) -> Result<Store> {
        // Writers wait for each other instead of failing; readers never wait (WAL).
        conn.busy_timeout(std::time::Duration::from_secs(30))?;
        if path.is_some() {
            conn.pragma_update(None, "journal_mode", "WAL")?;
        }
        // NORMAL in WAL mode survives a crash of the process (only a power
        // loss can drop the last transactions), and is much faster than FULL.
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "cache_size", -65536)?;
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        // Every filter combination is a statement of its own shape (the
        // server's pages, capped counts and aggregates): keep more of
        // them prepared than rusqlite's default of 16.
        conn.set_prepared_statement_cache_capacity(128);
        schema::migrate(&mut conn)?;
        Ok(Store {
            conn: Mutex::new(conn),
            path,
            codes: Mutex::default(),
        })
    }

    /// The file of the store (`None` in memory).
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    pub(crate) fn conn(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave SQLite inconsistent
        // (transactions roll back), so a poisoned lock is safe to reuse.
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs `f` with the raw connection (benchmarks, maintenance, tests).
    pub fn with_connection<T>(&self, f: impl FnOnce(&Connection) -> T) -> T {
        f(&self.conn())
    }

    /// Writes one coded document in its own transaction (see
    /// [`Store::write_batch`]). The content hash is taken from the document.
    pub fn put_doc(&self, doc: &dyad_core::Doc) -> Result<WriteOutcome> {
        let p = PreparedDoc::new(doc, content_hash(doc))?;
        Ok(self.write_batch(std::slice::from_ref(&p), false)?[0])
    }

    /// Writes prepared documents in one transaction: all or nothing.
    /// A document whose key and content hash are already stored is left
    /// alone (unless `force`); one whose content changed has its rows
    /// replaced, keeping its id.
    pub fn write_batch(&self, docs: &[PreparedDoc], force: bool) -> Result<Vec<WriteOutcome>> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut out = Vec::with_capacity(docs.len());
        for d in docs {
            out.push(write::write_doc(&tx, d, force)?);
        }
        tx.commit()?;
        Ok(out)
    }

    /// Content hash of every stored document, by key (ingest skips these).
    pub fn known_hashes(&self) -> Result<std::collections::HashMap<String, String>> {
        let conn = self.conn();
        let mut st = conn.prepare("SELECT key, content_hash FROM documents")?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Refreshes the statistics the query planner uses (`ANALYZE`, on a
    /// sample of each index so it stays fast on big stores). Ingest calls
    /// it at the end; without statistics SQLite may pick an index that
    /// matches most rows over one that matches few.
    pub fn optimize(&self) -> Result<()> {
        let conn = self.conn();
        conn.execute_batch("PRAGMA analysis_limit = 2000; ANALYZE; PRAGMA optimize;")?;
        Ok(())
    }

    /// `PRAGMA integrity_check`: `"ok"` for a sound file.
    pub fn integrity_check(&self) -> Result<String> {
        let conn = self.conn();
        let mut st = conn.prepare("PRAGMA integrity_check")?;
        let rows = st.query_map([], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?.join("\n"))
    }
}
