//! [`Backend`] over the SQLite store (`dyad serve --db FILE`).
//!
//! A `dyad_store::Store` serialises calls on one connection, so the server
//! opens a small pool of reader connections to the same file (WAL: readers
//! never wait on each other or on the writer) and one writer for ingest.
//!
//! [`Backend::generation`] is SQLite's `PRAGMA data_version` on a
//! connection of its own (it moves when any other connection, in this
//! process or another, commits) plus a counter of this server's own
//! ingests, so the HTTP layer can reuse answers until the data changes.

use crate::backend::*;
use dyad_store as ds;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Condvar, Mutex};

pub struct StoreBackend {
    writer: ds::Store,
    /// A connection that only asks `PRAGMA data_version` (none in memory,
    /// where every write goes through `writer` and counts in `ingests`).
    watch: Option<ds::Store>,
    /// Documents this server has written (bumped after each commit).
    ingests: AtomicU64,
    /// Idle reader connections; a request takes one and gives it back, so
    /// a slow query never holds up the others while a connection is free.
    pooled: bool,
    free: Mutex<Vec<ds::Store>>,
    returned: Condvar,
}

fn err(e: ds::Error) -> BackendError {
    BackendError(e.to_string())
}

/// A reader connection checked out of the pool (or the only connection of
/// an in-memory store); goes back to the pool when dropped.
struct Reader<'a> {
    backend: &'a StoreBackend,
    conn: Option<ds::Store>,
}

impl std::ops::Deref for Reader<'_> {
    type Target = ds::Store;
    fn deref(&self) -> &ds::Store {
        self.conn.as_ref().unwrap_or(&self.backend.writer)
    }
}

impl Drop for Reader<'_> {
    fn drop(&mut self) {
        if let Some(c) = self.conn.take() {
            let mut free = self.backend.free.lock().unwrap_or_else(|p| p.into_inner());
            free.push(c);
            self.backend.returned.notify_one();
        }
    }
}

impl StoreBackend {
    /// Opens (creating if needed) the store at `path` with a pool of
    /// `readers` reader connections (WAL: they never wait on each other
    /// or on the writer).
    pub fn open(path: &Path, readers: usize) -> std::result::Result<Self, String> {
        let writer = ds::Store::open(path).map_err(|e| e.to_string())?;
        let free = (0..readers.max(1))
            .map(|_| writer.reopen().map_err(|e| e.to_string()))
            .collect::<std::result::Result<Vec<_>, _>>()?;
        let watch = Some(writer.reopen().map_err(|e| e.to_string())?);
        Ok(StoreBackend {
            writer,
            watch,
            ingests: AtomicU64::new(0),
            pooled: true,
            free: Mutex::new(free),
            returned: Condvar::new(),
        })
    }

    /// A store in memory: one connection for everything (tests).
    pub fn in_memory() -> std::result::Result<Self, String> {
        Ok(StoreBackend {
            writer: ds::Store::open_in_memory().map_err(|e| e.to_string())?,
            watch: None,
            ingests: AtomicU64::new(0),
            pooled: false,
            free: Mutex::new(Vec::new()),
            returned: Condvar::new(),
        })
    }

    /// Direct access to the store (fixtures, maintenance).
    pub fn store(&self) -> &ds::Store {
        &self.writer
    }

    /// A free reader connection, waiting for one when all are busy.
    fn reader(&self) -> Reader<'_> {
        if !self.pooled {
            return Reader {
                backend: self,
                conn: None,
            };
        }
        let mut free = self.free.lock().unwrap_or_else(|p| p.into_inner());
        loop {
            if let Some(c) = free.pop() {
                return Reader {
                    backend: self,
                    conn: Some(c),
                };
            }
            free = self.returned.wait(free).unwrap_or_else(|p| p.into_inner());
        }
    }

    /// The store's id for a document given by id or input key.
    fn doc_id(&self, s: &str) -> Result<Option<i64>> {
        if let Ok(id) = s.parse::<i64>() {
            return Ok(Some(id));
        }
        self.reader().document_id(s).map_err(err)
    }

    /// The request's filter with the page, as the store runs it (the
    /// store matches a document by id or input key itself).
    fn filter(&self, f: &Filter, page: Option<Page>) -> Result<ds::EventFilter> {
        Ok(ds::EventFilter {
            limit: page.map(|p| p.limit),
            offset: page.map(|p| p.offset),
            include_duplicates: false,
            ..f.clone()
        })
    }

    fn total_events(&self, f: &ds::EventFilter) -> Result<usize> {
        Ok(self.reader().count_events(f).map_err(err)? as usize)
    }
}

fn event_row(r: ds::EventRow) -> EventRow {
    let actor = |code: Option<String>, text: Option<String>, name: Option<String>| {
        code.map(|code| ActorRow {
            code,
            text: text.unwrap_or_default(),
            name,
            start: None,
            end: None,
        })
    };
    let place = r.place_name.clone().map(|name| PlaceRow {
        name,
        country: r.place_country.clone(),
        lat: r.place_lat,
        lon: r.place_lon,
        geonameid: r.place_geonameid.and_then(|g| u64::try_from(g).ok()),
    });
    EventRow {
        id: r.id as u64,
        doc_id: r.doc_id.to_string(),
        doc_title: r.doc_title,
        plover: r.plover,
        mode: r.mode,
        cameo: r.cameo,
        source: actor(r.source_code, r.source_text, r.source_name),
        target: actor(r.target_code, r.target_text, r.target_name),
        date: r.day.or(r.date),
        place,
        flags: r.flags,
        evidence: r
            .evidence
            .iter()
            .map(|s| CharSpan {
                start: s.start,
                end: s.end,
            })
            .collect(),
        snippet: String::new(),
        rule: r.rule,
    }
}

fn doc_row(d: ds::DocumentRow) -> DocRow {
    DocRow {
        id: d.id.to_string(),
        title: d.title,
        date: d.date,
        site: d.site,
        url: d.url,
        events: d.events as usize,
        quotes: d.quotes as usize,
    }
}

impl Backend for StoreBackend {
    fn stats(&self) -> Result<Stats> {
        let s = self.reader().stats().map_err(err)?;
        Ok(Stats {
            documents: s.documents as usize,
            events: s.events as usize,
            quotes: s.quotes as usize,
            places: s.places as usize,
        })
    }

    fn events_page(&self, f: &Filter, page: Page, count_cap: usize) -> Result<EventPage> {
        let ef = self.filter(f, Some(page))?;
        // One pass per filter branch gives the page and the capped count.
        let p = self
            .reader()
            .events_page(&ef, count_cap as u64)
            .map_err(err)?;
        let total = p.total as usize;
        Ok(EventPage {
            has_more: !p.exact || page.offset + p.items.len() < total,
            total,
            total_exact: p.exact,
            items: p.items.into_iter().map(event_row).collect(),
        })
    }

    fn generation(&self) -> Option<u64> {
        // Read before the answer is computed: a write that commits in
        // between makes the answer newer than its generation, never older.
        let dv = match &self.watch {
            Some(w) => w.with_connection(|c| {
                c.prepare_cached("PRAGMA data_version")
                    .and_then(|mut st| st.query_row([], |r| r.get::<_, i64>(0)))
            }),
            None => Ok(0),
        };
        let dv = dv.ok()? as u64;
        // Both parts only grow (SQLite counts commits of other connections).
        Some((self.ingests.load(Ordering::Acquire) << 32).wrapping_add(dv))
    }

    fn events(&self, f: &Filter, page: Page) -> Result<Rows<EventRow>> {
        let ef = self.filter(f, Some(page))?;
        let items = self.reader().query_events(&ef).map_err(err)?;
        // Skip the count when the page shows everything.
        let total = if page.offset == 0 && items.len() < page.limit {
            items.len()
        } else {
            self.total_events(&ef)?
        };
        Ok(Rows {
            total,
            items: items.into_iter().map(event_row).collect(),
        })
    }

    fn event(&self, id: u64) -> Result<Option<EventRow>> {
        let Ok(id) = i64::try_from(id) else {
            return Ok(None);
        };
        // The store has no lookup by event id: find the document through
        // the reader's record (events carry `store_id`), then its rows.
        let r = self.reader();
        let doc: Option<i64> = r.with_connection(|c| {
            c.query_row("SELECT doc_id FROM events WHERE id = ?1", [id], |row| {
                row.get(0)
            })
            .ok()
        });
        let Some(doc) = doc else { return Ok(None) };
        let f = ds::EventFilter {
            doc: Some(doc),
            include_duplicates: true,
            ..Default::default()
        };
        let rows = r.query_events(&f).map_err(err)?;
        Ok(rows.into_iter().find(|e| e.id == id).map(event_row))
    }

    fn actors(&self, f: &Filter, page: Page) -> Result<Rows<ActorCount>> {
        let ef = self.filter(f, None)?;
        let all = self.reader().query_actors(&ef).map_err(err)?;
        let total = all.len();
        let items = all
            .into_iter()
            .skip(page.offset)
            .take(page.limit)
            .map(|a| ActorCount {
                code: a.code,
                name: a.name,
                events: (a.as_source + a.as_target) as usize,
                as_source: a.as_source as usize,
                as_target: a.as_target as usize,
            })
            .collect();
        Ok(Rows { total, items })
    }

    fn documents(&self, f: &Filter, page: Page) -> Result<Rows<DocRow>> {
        let ef = self.filter(f, None)?;
        let all = self.reader().query_documents(&ef).map_err(err)?;
        let total = all.len();
        Ok(Rows {
            total,
            items: all
                .into_iter()
                .skip(page.offset)
                .take(page.limit)
                .map(doc_row)
                .collect(),
        })
    }

    fn document(&self, id: &str) -> Result<Option<serde_json::Value>> {
        let Some(n) = self.doc_id(id)? else {
            return Ok(None);
        };
        let v = self.reader().get_document(n).map_err(err)?;
        Ok(v.map(|v| {
            let mut rec = v.record;
            // The reader links by the store's id.
            rec["store_id"] = serde_json::json!(v.row.id);
            rec
        }))
    }

    fn quotes(&self, f: &Filter, page: Page) -> Result<Rows<QuoteRow>> {
        let ef = self.filter(f, None)?;
        let all = self.reader().query_quotes(&ef).map_err(err)?;
        let total = all.len();
        let items = all
            .into_iter()
            .skip(page.offset)
            .take(page.limit)
            .map(|q| QuoteRow {
                doc_id: q.doc_id.to_string(),
                kind: q.kind,
                text: q.content,
                start: q.start,
                end: q.end,
                speaker: q.speaker_name.or(q.speaker),
                actor: q.speaker_actor,
                cue: q.cue,
            })
            .collect();
        Ok(Rows { total, items })
    }

    fn places(&self, f: &Filter, page: Page) -> Result<Rows<PlaceCount>> {
        let ef = self.filter(f, None)?;
        let r = self.reader();
        let key = |name: &str, gid: Option<u64>| match gid {
            Some(g) => format!("#{g}"),
            None => name.to_string(),
        };
        // Both sides are SQL aggregates (events by their place; mentions of
        // places in the matching documents), merged by place here.
        let mut m: BTreeMap<String, PlaceCount> = BTreeMap::new();
        for p in r.event_places(&ef).map_err(err)? {
            let gid = p.geonameid.and_then(|g| u64::try_from(g).ok());
            m.insert(
                key(&p.name, gid),
                PlaceCount {
                    name: p.name,
                    geonameid: gid,
                    country: p.country,
                    lat: p.lat,
                    lon: p.lon,
                    events: p.events as usize,
                    mentions: 0,
                },
            );
        }
        for p in r.query_places(&ef).map_err(err)? {
            let gid = p.geonameid.and_then(|g| u64::try_from(g).ok());
            m.entry(key(&p.name, gid))
                .or_insert_with(|| PlaceCount {
                    name: p.name.clone(),
                    geonameid: gid,
                    country: p.country.clone(),
                    lat: p.lat,
                    lon: p.lon,
                    events: 0,
                    mentions: 0,
                })
                .mentions += p.mentions as usize;
        }
        let mut v: Vec<PlaceCount> = m.into_values().collect();
        v.sort_by(|a, b| {
            (b.events, b.mentions)
                .cmp(&(a.events, a.mentions))
                .then(a.name.cmp(&b.name))
        });
        let total = v.len();
        Ok(Rows {
            total,
            items: v.into_iter().skip(page.offset).take(page.limit).collect(),
        })
    }

    fn counts(&self, by: CountBy, f: &Filter, limit: usize) -> Result<Vec<Count>> {
        // Dyads with one side missing are dropped below, so they must not
        // take places under the limit.
        let ef = ds::EventFilter {
            limit: (by != CountBy::Dyad).then_some(limit),
            ..self.filter(f, None)?
        };
        let native = match by {
            CountBy::Day => ds::CountBy::Day,
            CountBy::Month => ds::CountBy::Month,
            CountBy::Week => ds::CountBy::Week,
            CountBy::Type => ds::CountBy::Type,
            CountBy::Dyad => ds::CountBy::Dyad,
            CountBy::Country => ds::CountBy::Country,
            CountBy::Actor => ds::CountBy::Actor,
        };
        let rows = self
            .reader()
            .count_by_without_clusters(&ef, native)
            .map_err(err)?;
        Ok(rows
            .into_iter()
            .filter(|c| by != CountBy::Dyad || (c.source.is_some() && c.target.is_some()))
            .map(|c| Count {
                key: c.key,
                source: c.source,
                target: c.target,
                count: c.count as usize,
            })
            .take(limit)
            .collect())
    }

    fn search(&self, q: &str, page: Page) -> Result<Rows<DocRow>> {
        // One more than asked tells whether there is a next page.
        let hits = self
            .reader()
            .search_page(q, page.limit + 1, page.offset)
            .map_err(err)?;
        let total = page.offset + hits.len();
        let items = hits
            .into_iter()
            .take(page.limit)
            .map(|h| DocRow {
                id: h.id.to_string(),
                title: h.title,
                date: h.date,
                site: None,
                url: h.url,
                events: 0,
                quotes: 0,
            })
            .collect();
        Ok(Rows { total, items })
    }

    fn ingest(&self, doc: &dyad_core::Doc) -> Result<IngestOutcome> {
        let out = self.writer.put_doc(doc);
        // Committed (or failed): either way later answers must be fresh.
        self.ingests.fetch_add(1, Ordering::AcqRel);
        let out = out.map_err(err)?;
        Ok(IngestOutcome {
            id: doc.id.clone(),
            inserted: out != ds::WriteOutcome::Unchanged,
            events: doc.events.len(),
        })
    }
}
