//! dyad-server: the HTTP JSON API and the embedded web UI of `dyad serve`.
//!
//! The API lists events, actors, documents, quotes and places with the
//! filters of `dyad query`, counts events by day, month, type, dyad,
//! country or actor, searches documents, codes a posted document
//! (`POST /api/code`) and, with a token given at start-up, stores one
//! (`POST /api/ingest`). `/openapi.json` describes all of it. The UI
//! (timeline, map, actor network, event list, article reader) is a set of
//! static files compiled into the binary; its JavaScript libraries are
//! vendored under `ui/vendor/`, so nothing is fetched from outside.
//!
//! Data comes through the [`Backend`] trait: [`StoreBackend`] reads the
//! SQLite store (`dyad serve --db dyad.db`), [`MemBackend`] holds coded
//! records in memory (`dyad serve --records out.jsonl`).
//!
//! Speed: read answers are kept, as bytes with an ETag, until the store's
//! data changes (see the `cache` module: one `PRAGMA data_version` per
//! request tells); event pages count their matches exactly only up to a
//! cap ([`EventPage`]), and find their rows through covering indexes.
//!
//! ```no_run
//! use std::sync::Arc;
//! use dyad_server::{Config, MemBackend};
//!
//! let backend = Arc::new(MemBackend::new());
//! let cfg = Config { addr: "127.0.0.1:8080".parse().unwrap(), ..Config::default() };
//! dyad_server::run(cfg, backend).expect("server runs");
//! ```

mod api;
mod assets;
pub mod backend;
mod cache;
mod mem;
mod openapi;
mod records;
mod store_backend;

pub use backend::{Backend, BackendError, CountBy, EventPage, Filter, Page};
pub use mem::{actor_country, MemBackend};
pub use records::doc_from_record;
pub use store_backend::StoreBackend;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

/// Server settings.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where to listen; loopback by default.
    pub addr: SocketAddr,
    /// Bearer token that enables `POST /api/ingest`; `None` disables it.
    pub token: Option<String>,
    /// Largest request body accepted (documents posted for coding).
    pub max_body: usize,
    /// Time limit for read requests.
    pub read_timeout: Duration,
    /// Time limit for coding a posted document.
    pub code_timeout: Duration,
    /// Documents coded at the same time (coding is CPU-bound).
    pub code_workers: usize,
    /// Bytes of API answers kept for reuse until the data changes (see
    /// the `cache` module); 0 turns the cache off.
    pub cache_bytes: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            token: None,
            max_body: 2 * 1024 * 1024,
            read_timeout: Duration::from_secs(10),
            code_timeout: Duration::from_secs(60),
            code_workers: std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2),
            cache_bytes: 64 << 20,
        }
    }
}

/// The router with every route and layer, for embedding or for tests
/// (`tower::ServiceExt::oneshot`).
pub fn router(cfg: &Config, backend: Arc<dyn Backend>) -> axum::Router {
    api::router(cfg, backend)
}

/// Binds `cfg.addr` and serves until Ctrl-C. Prints nothing; the caller
/// says what it serves.
pub async fn serve(cfg: Config, backend: Arc<dyn Backend>) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(cfg.addr).await?;
    serve_on(listener, cfg, backend).await
}

/// Serves on an already bound listener (tests bind port 0).
pub async fn serve_on(
    listener: tokio::net::TcpListener,
    cfg: Config,
    backend: Arc<dyn Backend>,
) -> std::io::Result<()> {
    let app = router(&cfg, backend);
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}

/// Builds a multi-threaded runtime and runs [`serve`] on it: one async
/// worker per core, and a blocking pool sized to what can run at once
/// (store reads and coding, one per core each, plus slack). Tokio's default
/// of 512 blocking threads lets a burst of requests start hundreds of
/// threads that only queue for the store's few connections.
pub fn run(cfg: Config, backend: Arc<dyn Backend>) -> std::io::Result<()> {
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(cores)
        .max_blocking_threads(2 * cores + cfg.code_workers.max(1))
        .enable_all()
        .build()?;
    rt.block_on(serve(cfg, backend))
}
