//! What the HTTP layer asks of a store, and the row types it returns.
//!
//! The handlers only see [`Backend`], so the server runs the same over the
//! SQLite store (`--db`) and over an in-memory set of coded records
//! ([`crate::MemBackend`], used by `--records`, by tests and by the
//! benchmarks). All offsets in rows are Unicode scalar offsets into the
//! article text, as in the JSON record.

use serde::{Deserialize, Serialize};

/// Filters shared by every list endpoint: the store's own filter (the
/// flags of `dyad query`), so both backends and the CLI read them alike.
/// The HTTP layer fills it from the query string (`q` is `text`; `doc` is a
/// store id, or an input key in `doc_key`) and normalises it
/// ([`Filter::normalized`]: empty strings are absent, codes upper-cased).
/// Paging is passed apart, as a [`Page`]; `limit`, `offset` and
/// `include_duplicates` are not read by backends.
pub use dyad_store::EventFilter as Filter;

/// Control characters (NUL included) become spaces: they mean nothing in
/// a filter, and NUL ends strings early in SQLite's full-text queries.
pub fn without_controls(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Paging: `limit` rows from `offset`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub limit: usize,
    pub offset: usize,
}

/// A page of rows and the number of rows matching in all.
#[derive(Debug, Clone, Serialize)]
pub struct Rows<T> {
    pub total: usize,
    pub items: Vec<T>,
}

/// A page of events. Counting every match costs a read of every match,
/// so `total` is exact only up to a cap (`total_exact`); past it, `total`
/// is the cap and the true number is larger. `has_more` says whether rows
/// follow this page. (Counts by type, with the same filter, add up to the
/// exact total.)
#[derive(Debug, Clone, Serialize)]
pub struct EventPage {
    pub total: usize,
    pub total_exact: bool,
    pub has_more: bool,
    pub items: Vec<EventRow>,
}

/// An actor on one side of an event row.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ActorRow {
    pub code: String,
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Where the actor is named in the text, when the backend keeps it
    /// (else the document record's event has it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<usize>,
}

/// A place attached to an event row.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PlaceRow {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lat: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lon: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub geonameid: Option<u64>,
}

/// A half-open span of Unicode scalar offsets.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
pub struct CharSpan {
    pub start: usize,
    pub end: usize,
}

/// One coded event with enough context to list it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct EventRow {
    pub id: u64,
    pub doc_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doc_title: Option<String>,
    pub plover: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    pub cameo: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<ActorRow>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<ActorRow>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place: Option<PlaceRow>,
    pub flags: Vec<String>,
    pub evidence: Vec<CharSpan>,
    /// The text of the first evidence span.
    pub snippet: String,
    pub rule: String,
}

/// An actor code with how many events it takes part in.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ActorCount {
    pub code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub events: usize,
    pub as_source: usize,
    pub as_target: usize,
}

/// A document in a list.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DocRow {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub site: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    pub events: usize,
    pub quotes: usize,
}

/// A quotation in a list.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct QuoteRow {
    pub doc_id: String,
    pub kind: String,
    pub text: String,
    pub start: usize,
    pub end: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub speaker: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cue: Option<String>,
}

/// A resolved place with the number of its events and mentions.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PlaceCount {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub geonameid: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    pub lat: f64,
    pub lon: f64,
    pub events: usize,
    pub mentions: usize,
}

/// What to count events by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CountBy {
    Day,
    Week,
    Month,
    Type,
    Dyad,
    Country,
    Actor,
}

/// One bucket of an aggregate. For `dyad`, `key` is `SOURCE>TARGET` and
/// `source`/`target` are set.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Count {
    pub key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    pub count: usize,
}

/// Totals for the health endpoint and the UI header.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Stats {
    pub documents: usize,
    pub events: usize,
    pub quotes: usize,
    pub places: usize,
}

/// What an ingest did.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct IngestOutcome {
    pub id: String,
    /// False when the same document (or a near-duplicate) was already stored.
    pub inserted: bool,
    pub events: usize,
}

/// A backend failure (the HTTP layer answers 500 without details).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct BackendError(pub String);

pub type Result<T> = std::result::Result<T, BackendError>;

/// Read and write access to coded documents.
pub trait Backend: Send + Sync + 'static {
    fn stats(&self) -> Result<Stats>;
    fn events(&self, f: &Filter, page: Page) -> Result<Rows<EventRow>>;
    /// A page of events whose total is counted exactly up to `count_cap`
    /// matches at most (see [`EventPage`]). By default the exact count of
    /// [`Backend::events`].
    fn events_page(&self, f: &Filter, page: Page, count_cap: usize) -> Result<EventPage> {
        let _ = count_cap;
        let r = self.events(f, page)?;
        Ok(EventPage {
            has_more: page.offset + r.items.len() < r.total,
            total: r.total,
            total_exact: true,
            items: r.items,
        })
    }
    /// A number that grows whenever the data changes (any committed
    /// write), so answers computed under one generation can be reused
    /// until it moves. `None`: not tracked, nothing is reused.
    fn generation(&self) -> Option<u64> {
        None
    }
    fn event(&self, id: u64) -> Result<Option<EventRow>>;
    fn actors(&self, f: &Filter, page: Page) -> Result<Rows<ActorCount>>;
    fn documents(&self, f: &Filter, page: Page) -> Result<Rows<DocRow>>;
    /// The full JSON record of a document (char offsets).
    fn document(&self, id: &str) -> Result<Option<serde_json::Value>>;
    fn quotes(&self, f: &Filter, page: Page) -> Result<Rows<QuoteRow>>;
    fn places(&self, f: &Filter, page: Page) -> Result<Rows<PlaceCount>>;
    fn counts(&self, by: CountBy, f: &Filter, limit: usize) -> Result<Vec<Count>>;
    /// Full-text search over documents.
    fn search(&self, q: &str, page: Page) -> Result<Rows<DocRow>>;
    /// Stores a coded document.
    fn ingest(&self, doc: &dyad_core::Doc) -> Result<IngestOutcome>;
}
