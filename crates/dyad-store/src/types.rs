//! Public row types and the filter every query takes. All are serde
//! types so the HTTP API can pass them through unchanged. Offsets in rows
//! are Unicode scalar (char) offsets into the article text, as in the
//! output record, so a reader can highlight evidence directly.

use serde::{Deserialize, Serialize};

/// Filters shared by every query. Unset fields do not filter.
///
/// * `actor`: an actor code prefix when it looks like a code (`RUS`,
///   `RUSGOV`, `IGOUNO`: upper-case letters/digits), otherwise a
///   case-insensitive substring of the actor's name or text (`Putin`).
///   Matches the source or the target of an event (quotes: the speaker).
/// * `source` / `target`: the same, on one side only.
/// * `event_type` (`type` in JSON): PLOVER type (`CONSULT`) or a CAMEO
///   code prefix (`04`).
/// * `country`: ISO 3166-1 alpha-3 of the source's, target's or place's country.
/// * `from` / `to`: inclusive ISO date bounds (`2018`, `2018-05`,
///   `2018-05-17`); on the event date (else the document date).
/// * `text`: full-text search over the documents (every word must occur).
/// * `limit` / `offset`: paging; `limit: None` returns everything.
/// * `doc`: only rows of this document id; `doc_key`: of the document
///   stored under this input key (path, URL, JSONL or WARC id).
/// * `include_duplicates`: also rows of documents that are near-duplicates
///   of an earlier document (excluded by default, so syndicated copies
///   are not counted twice).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EventFilter {
    pub actor: Option<String>,
    pub source: Option<String>,
    pub target: Option<String>,
    #[serde(rename = "type")]
    pub event_type: Option<String>,
    pub country: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    /// `q` in the HTTP API.
    #[serde(alias = "q")]
    pub text: Option<String>,
    pub limit: Option<usize>,
    pub offset: Option<usize>,
    pub doc: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doc_key: Option<String>,
    pub include_duplicates: bool,
}

impl EventFilter {
    /// Clean user input (a form, a URL): control characters become
    /// spaces (NUL would end a full-text query early), strings are trimmed,
    /// empty ones dropped, and country and event type upper-cased.
    pub fn normalized(mut self) -> EventFilter {
        fn clean(v: &mut Option<String>, upper: bool) {
            if let Some(s) = v.take() {
                let s: String = s
                    .chars()
                    .map(|c| if c.is_control() { ' ' } else { c })
                    .collect();
                let t = s.trim();
                if !t.is_empty() {
                    *v = Some(if upper {
                        t.to_uppercase()
                    } else {
                        t.to_string()
                    });
                }
            }
        }
        for v in [
            &mut self.actor,
            &mut self.source,
            &mut self.target,
            &mut self.from,
            &mut self.to,
            &mut self.text,
            &mut self.doc_key,
        ] {
            clean(v, false);
        }
        clean(&mut self.country, true);
        clean(&mut self.event_type, true);
        self
    }

    /// Whether a filter on events themselves (not only on their
    /// documents) is set.
    pub fn has_event_filter(&self) -> bool {
        self.actor.is_some()
            || self.source.is_some()
            || self.target.is_some()
            || self.event_type.is_some()
            || self.country.is_some()
    }
}

/// The same filter under a general name (it serves every query).
pub type Filter = EventFilter;

/// What to aggregate events by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CountBy {
    /// Event day (`YYYY-MM-DD`; events dated only to the month or year are left out).
    Day,
    /// Monday of the event's ISO week (`YYYY-MM-DD`).
    Week,
    /// PLOVER event type.
    Type,
    /// Source and target actor codes (`RUSGOV>SYRGOV`; `-` for no target).
    Dyad,
    /// Event month (`YYYY-MM`; events dated only to the year are left out).
    Month,
    /// The event place's country, else the source actor's country.
    Country,
    /// Actor code: an event counts once for its source and once for its target.
    Actor,
}

impl std::str::FromStr for CountBy {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "day" => Ok(CountBy::Day),
            "week" => Ok(CountBy::Week),
            "type" => Ok(CountBy::Type),
            "dyad" => Ok(CountBy::Dyad),
            "month" => Ok(CountBy::Month),
            "country" => Ok(CountBy::Country),
            "actor" => Ok(CountBy::Actor),
            _ => Err(format!(
                "unknown count-by {s:?} (day, week, month, type, dyad, country, actor)"
            )),
        }
    }
}

/// A char-offset span.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpanRow {
    pub start: usize,
    pub end: usize,
}

/// One coded event, with its document's headline fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventRow {
    pub id: i64,
    pub doc_id: i64,
    pub plover: String,
    pub mode: Option<String>,
    pub cameo: String,
    pub source_code: Option<String>,
    pub source_text: Option<String>,
    pub source_name: Option<String>,
    pub source_country: Option<String>,
    pub target_code: Option<String>,
    pub target_text: Option<String>,
    pub target_name: Option<String>,
    pub target_country: Option<String>,
    /// The event date as coded (any precision).
    pub date: Option<String>,
    /// The date used for filters and aggregates: the event date, else the document date.
    pub day: Option<String>,
    pub place_name: Option<String>,
    pub place_geonameid: Option<i64>,
    pub place_country: Option<String>,
    pub place_lat: Option<f64>,
    pub place_lon: Option<f64>,
    pub flags: Vec<String>,
    pub evidence: Vec<SpanRow>,
    pub rule: String,
    /// Events with the same type, actor pair and day across documents
    /// share a cluster id (the id of the first such event).
    pub cluster: Option<i64>,
    /// The event comes from a near-duplicate document.
    pub duplicate: bool,
    pub doc_title: Option<String>,
    pub doc_url: Option<String>,
    pub doc_date: Option<String>,
}

/// An actor code with how often it occurs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActorRow {
    pub code: String,
    /// The most common canonical name seen for it, if any.
    pub name: Option<String>,
    /// Entity mentions resolved to the code.
    pub mentions: u64,
    pub as_source: u64,
    pub as_target: u64,
    /// Documents with an event or mention of it.
    pub documents: u64,
}

/// A quotation with its speaker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuoteRow {
    pub id: i64,
    pub doc_id: i64,
    pub kind: String,
    pub content: String,
    pub start: usize,
    pub end: usize,
    pub cue: Option<String>,
    pub speaker: Option<String>,
    pub speaker_name: Option<String>,
    pub speaker_actor: Option<String>,
    pub doc_title: Option<String>,
    pub doc_date: Option<String>,
}

/// A resolved place with how often it is mentioned (for maps).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlaceRow {
    pub geonameid: Option<i64>,
    pub name: String,
    pub country: Option<String>,
    pub lat: f64,
    pub lon: f64,
    pub mentions: u64,
    pub documents: u64,
}

/// Events at one place (for maps): the place as the events carry it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventPlaceRow {
    pub geonameid: Option<i64>,
    pub name: String,
    pub country: Option<String>,
    pub lat: f64,
    pub lon: f64,
    pub events: u64,
}

/// A stored document's headline fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentRow {
    pub id: i64,
    /// The input id (JSONL id, WARC record id or path).
    pub key: String,
    pub title: Option<String>,
    pub url: Option<String>,
    pub site: Option<String>,
    pub date: Option<String>,
    pub language: Option<String>,
    /// Id of the earlier document this one is a near-duplicate of.
    pub duplicate_of: Option<i64>,
    /// `stage: message` when the document failed.
    pub error: Option<String>,
    pub events: u64,
    pub quotes: u64,
    pub chars: u64,
}

/// A document with its full output record (text and every layer, char
/// offsets), for the article reader.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentView {
    #[serde(flatten)]
    pub row: DocumentRow,
    /// `Doc::to_record()` as ingested, plus `events[i].store_id` and
    /// `events[i].cluster` so the reader can link rows and evidence.
    pub record: serde_json::Value,
}

/// One full-text search hit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchHit {
    pub id: i64,
    pub key: String,
    pub title: Option<String>,
    pub date: Option<String>,
    pub url: Option<String>,
    /// A short excerpt with the matches in `[` `]`.
    pub snippet: String,
    /// BM25 score (lower is better, as SQLite reports it).
    pub rank: f64,
    pub duplicate_of: Option<i64>,
}

/// A page of events with the number of matches (see
/// [`Store::events_page`](crate::Store::events_page)).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventPageRows {
    pub items: Vec<EventRow>,
    /// Matches in all: exact when `exact`, else a lower bound (the cap).
    pub total: u64,
    pub exact: bool,
}

/// One aggregate bucket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CountRow {
    pub key: String,
    /// Events (near-duplicate documents left out unless asked).
    pub count: u64,
    /// Distinct event clusters: the same event from several outlets counts once.
    pub clusters: u64,
    /// For `CountBy::Dyad`: the two codes separately.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
}

/// Totals of a store.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Stats {
    pub documents: u64,
    pub duplicates: u64,
    pub errors: u64,
    pub events: u64,
    pub clusters: u64,
    pub mentions: u64,
    pub quotes: u64,
    pub numbers: u64,
    pub places: u64,
}

/// What writing one document did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WriteOutcome {
    /// A new document.
    Inserted,
    /// Same key, new content: old rows replaced.
    Replaced,
    /// Same key and content hash: nothing written.
    Unchanged,
}
