//! An in-memory [`Backend`] over coded JSON records.
//!
//! It serves `dyad serve --records FILE.jsonl` (the output of `dyad code`),
//! the tests and the benchmarks. Queries are linear scans over compact
//! rows, which at 10^4-10^5 events take well under a millisecond.

use crate::backend::*;
use dyad_core::{Article, Entity, Event, Place, Quote};
use serde::Deserialize;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, RwLock};

/// The parts of a JSON record the backend indexes.
#[derive(Deserialize)]
struct Record {
    id: String,
    #[serde(default)]
    article: Article,
    #[serde(default)]
    entities: Vec<Entity>,
    #[serde(default)]
    events: Vec<Event>,
    #[serde(default)]
    quotes: Vec<Quote>,
    #[serde(default)]
    places: Vec<Place>,
}

struct MemDoc {
    record: Arc<Value>,
    row: DocRow,
    /// Lower-cased title and text, for `q`.
    haystack: String,
    quotes: Vec<QuoteRow>,
    places: Vec<Place>,
}

struct MemEvent {
    row: EventRow,
    doc: usize,
    countries: Vec<String>,
}

#[derive(Default)]
struct Inner {
    docs: Vec<MemDoc>,
    by_id: HashMap<String, usize>,
    texts: HashSet<u64>,
    events: Vec<MemEvent>,
    /// Canonical names of actor codes seen in the records.
    names: HashMap<String, String>,
}

/// Coded documents held in memory.
#[derive(Default)]
pub struct MemBackend {
    inner: RwLock<Inner>,
}

/// The country part of an actor code (`RUSGOV` → `RUS`), when it has one.
pub fn actor_country(code: &str) -> Option<&str> {
    let c = code.get(..3)?;
    if c.bytes().all(|b| b.is_ascii_uppercase()) && !matches!(c, "IGO" | "NGO" | "MNC" | "UNK") {
        Some(c)
    } else {
        None
    }
}

fn date_ge(d: &str, bound: &str) -> bool {
    let n = d.len().min(bound.len());
    d.as_bytes()[..n] >= bound.as_bytes()[..n]
}

fn date_le(d: &str, bound: &str) -> bool {
    let n = d.len().min(bound.len());
    d.as_bytes()[..n] <= bound.as_bytes()[..n]
}

/// The Monday of the ISO week of a `YYYY-MM-DD` date.
fn monday_of(d: &str) -> Option<String> {
    let y: i64 = d.get(0..4)?.parse().ok()?;
    let m: i64 = d.get(5..7)?.parse().ok()?;
    let day: i64 = d.get(8..10)?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&day) {
        return None;
    }
    let days = days_from_civil(y, m, day);
    // 1970-01-01 was a Thursday: weekday 0 = Monday.
    let wd = (days + 3).rem_euclid(7);
    let (y, m, d) = civil_from_days(days - wd);
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

// Howard Hinnant's days-from-civil algorithms (proleptic Gregorian).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + if m <= 2 { 1 } else { 0 }, m, d)
}

fn hash_text(s: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}

fn words(q: &str) -> Vec<String> {
    q.split_whitespace().map(|w| w.to_lowercase()).collect()
}

fn char_slice(text: &str, start: usize, end: usize) -> String {
    text.chars()
        .skip(start)
        .take(end.saturating_sub(start))
        .collect()
}

impl MemBackend {
    pub fn new() -> Self {
        Self::default()
    }

    /// Loads records, one JSON object a line (`dyad code` output). Blank
    /// lines are skipped; a broken line is an error naming its number.
    pub fn from_jsonl(r: impl std::io::BufRead) -> std::result::Result<Self, String> {
        let b = MemBackend::new();
        for (i, line) in r.lines().enumerate() {
            let line = line.map_err(|e| format!("line {}: {e}", i + 1))?;
            if line.trim().is_empty() {
                continue;
            }
            let v: Value =
                serde_json::from_str(&line).map_err(|e| format!("line {}: {e}", i + 1))?;
            b.add_record(v)
                .map_err(|e| format!("line {}: {e}", i + 1))?;
        }
        Ok(b)
    }

    /// Adds one JSON record (char offsets). Returns whether it was new.
    pub fn add_record(&self, v: Value) -> std::result::Result<IngestOutcome, String> {
        let rec: Record = serde_json::from_value(v.clone()).map_err(|e| e.to_string())?;
        let mut g = self
            .inner
            .write()
            .map_err(|_| "lock poisoned".to_string())?;
        let h = hash_text(&rec.article.text);
        if g.by_id.contains_key(&rec.id) || (!rec.article.text.is_empty() && g.texts.contains(&h)) {
            return Ok(IngestOutcome {
                id: rec.id,
                inserted: false,
                events: 0,
            });
        }
        let di = g.docs.len();
        let text = &rec.article.text;
        let doc_date = rec.article.date.clone();
        for e in &rec.entities {
            if let (Some(a), Some(c)) = (&e.actor, &e.canonical) {
                g.names.entry(a.clone()).or_insert_with(|| c.clone());
            }
        }
        let mut n_events = 0;
        for ev in &rec.events {
            let id = g.events.len() as u64 + 1;
            let actor = |a: &Option<dyad_core::ActorRef>| {
                a.as_ref().map(|a| ActorRow {
                    code: a.code.clone(),
                    text: a.text.clone(),
                    name: a.name.clone(),
                    start: Some(a.start),
                    end: Some(a.end),
                })
            };
            let place = ev.place.as_ref().map(|p| PlaceRow {
                name: p.name.clone(),
                country: p.country.clone(),
                lat: p.lat,
                lon: p.lon,
                geonameid: p.geonameid,
            });
            let mut countries: Vec<String> = Vec::new();
            if let Some(c) = place.as_ref().and_then(|p| p.country.clone()) {
                countries.push(c);
            }
            for a in ev.source.iter().chain(ev.target.iter()) {
                if let Some(c) = actor_country(&a.code) {
                    if !countries.iter().any(|x| x == c) {
                        countries.push(c.to_string());
                    }
                }
            }
            // Evidence is highlighted in the body; an event only the
            // title or standfirst reports has none there, and its snippet
            // comes from that field.
            let field_text = ev
                .field
                .as_deref()
                .map(|f| rec.article.field(f).unwrap_or(""));
            let evidence: Vec<CharSpan> = ev
                .evidence
                .iter()
                .filter(|_| field_text.is_none())
                .map(|s| CharSpan {
                    start: s.start,
                    end: s.end,
                })
                .collect();
            let snippet = ev
                .evidence
                .first()
                .map(|s| char_slice(field_text.unwrap_or(text), s.start, s.end))
                .unwrap_or_default();
            let flags = ev
                .flags
                .iter()
                .map(|f| {
                    serde_json::to_value(f)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default()
                })
                .collect();
            let row = EventRow {
                id,
                doc_id: rec.id.clone(),
                doc_title: rec.article.title.clone(),
                plover: ev.plover.clone(),
                mode: ev.mode.clone(),
                cameo: ev.cameo.clone(),
                source: actor(&ev.source),
                target: actor(&ev.target),
                date: ev.date.clone().or_else(|| doc_date.clone()),
                place,
                flags,
                evidence,
                snippet,
                rule: ev.rule.clone(),
            };
            for a in ev.source.iter().chain(ev.target.iter()) {
                if let Some(n) = &a.name {
                    g.names.entry(a.code.clone()).or_insert_with(|| n.clone());
                }
            }
            g.events.push(MemEvent {
                row,
                doc: di,
                countries,
            });
            n_events += 1;
        }
        let quotes = rec
            .quotes
            .iter()
            .map(|q| QuoteRow {
                doc_id: rec.id.clone(),
                kind: q.kind.clone(),
                text: q.content.text.clone(),
                start: q.content.start,
                end: q.content.end,
                speaker: q
                    .speaker
                    .as_ref()
                    .map(|s| s.name.clone().unwrap_or_else(|| s.text.clone())),
                actor: q.speaker.as_ref().and_then(|s| s.actor.clone()),
                cue: q.cue.as_ref().map(|c| c.text.clone()),
            })
            .collect::<Vec<_>>();
        let mut haystack = rec.article.title.clone().unwrap_or_default().to_lowercase();
        haystack.push('\n');
        haystack.push_str(&text.to_lowercase());
        let row = DocRow {
            id: rec.id.clone(),
            title: rec.article.title.clone(),
            date: doc_date,
            site: rec.article.site.clone(),
            url: rec.article.url.clone(),
            events: n_events,
            quotes: quotes.len(),
        };
        g.docs.push(MemDoc {
            record: Arc::new(v),
            row,
            haystack,
            quotes,
            places: rec.places,
        });
        g.by_id.insert(rec.id.clone(), di);
        if !rec.article.text.is_empty() {
            g.texts.insert(h);
        }
        Ok(IngestOutcome {
            id: rec.id,
            inserted: true,
            events: n_events,
        })
    }

    fn read(&self) -> Result<std::sync::RwLockReadGuard<'_, Inner>> {
        self.inner
            .read()
            .map_err(|_| BackendError("lock poisoned".into()))
    }
}

/// How an actor filter matches: a code prefix, or part of a name.
enum ActorMatch {
    Code(String),
    Name(String),
}

impl ActorMatch {
    fn new(s: &str) -> Self {
        // Codes are upper-case letters and digits; anything else is a name.
        if s.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        {
            ActorMatch::Code(s.to_string())
        } else {
            ActorMatch::Name(s.to_lowercase())
        }
    }
    fn hits(&self, a: Option<&ActorRow>) -> bool {
        let Some(a) = a else { return false };
        match self {
            ActorMatch::Code(c) => a.code.starts_with(c.as_str()),
            ActorMatch::Name(n) => {
                a.text.to_lowercase().contains(n.as_str())
                    || a.name
                        .as_ref()
                        .is_some_and(|x| x.to_lowercase().contains(n.as_str()))
            }
        }
    }
    fn hits_code(&self, code: Option<&str>, name: Option<&str>) -> bool {
        match self {
            ActorMatch::Code(c) => code.is_some_and(|x| x.starts_with(c.as_str())),
            ActorMatch::Name(n) => name.is_some_and(|x| x.to_lowercase().contains(n.as_str())),
        }
    }
}

/// A filter prepared for matching.
struct Prepared<'a> {
    f: &'a Filter,
    words: Vec<String>,
    actor: Option<ActorMatch>,
    source: Option<ActorMatch>,
    target: Option<ActorMatch>,
}

impl<'a> Prepared<'a> {
    fn new(f: &'a Filter) -> Self {
        Prepared {
            f,
            words: f.text.as_deref().map(words).unwrap_or_default(),
            actor: f.actor.as_deref().map(ActorMatch::new),
            source: f.source.as_deref().map(ActorMatch::new),
            target: f.target.as_deref().map(ActorMatch::new),
        }
    }

    fn doc_ok(&self, d: &MemDoc) -> bool {
        // Records are named by their own ids here: numeric ones come in
        // `doc`, others in `doc_key`.
        if let Some(id) = &self.f.doc {
            if d.row.id != id.to_string() {
                return false;
            }
        }
        if let Some(id) = &self.f.doc_key {
            if &d.row.id != id {
                return false;
            }
        }
        self.words.iter().all(|w| d.haystack.contains(w.as_str()))
    }

    /// Whether any event-level filter is set (documents and places are
    /// then restricted to those with matching events).
    fn has_event_filter(&self) -> bool {
        let f = self.f;
        f.actor.is_some()
            || f.source.is_some()
            || f.target.is_some()
            || f.country.is_some()
            || f.event_type.is_some()
            || f.from.is_some()
            || f.to.is_some()
    }

    fn event_ok(&self, e: &MemEvent, docs: &[MemDoc]) -> bool {
        let f = self.f;
        let r = &e.row;
        if let Some(a) = &self.actor {
            if !a.hits(r.source.as_ref()) && !a.hits(r.target.as_ref()) {
                return false;
            }
        }
        if self
            .source
            .as_ref()
            .is_some_and(|a| !a.hits(r.source.as_ref()))
        {
            return false;
        }
        if self
            .target
            .as_ref()
            .is_some_and(|a| !a.hits(r.target.as_ref()))
        {
            return false;
        }
        if let Some(c) = &f.country {
            if !e.countries.iter().any(|x| x == c) {
                return false;
            }
        }
        if let Some(t) = &f.event_type {
            // A CAMEO code prefix when it starts with a digit, else a PLOVER type.
            let ok = if t.starts_with(|c: char| c.is_ascii_digit()) {
                r.cameo.starts_with(t.as_str())
            } else {
                r.plover == *t
            };
            if !ok {
                return false;
            }
        }
        if f.from.is_some() || f.to.is_some() {
            let Some(d) = r.date.as_deref() else {
                return false;
            };
            if f.from.as_deref().is_some_and(|b| !date_ge(d, b))
                || f.to.as_deref().is_some_and(|b| !date_le(d, b))
            {
                return false;
            }
        }
        self.doc_ok(&docs[e.doc])
    }
}

fn page_of<T: Clone>(all: Vec<T>, p: Page) -> Rows<T> {
    let total = all.len();
    let items = all.into_iter().skip(p.offset).take(p.limit).collect();
    Rows { total, items }
}

impl Backend for MemBackend {
    fn stats(&self) -> Result<Stats> {
        let g = self.read()?;
        Ok(Stats {
            documents: g.docs.len(),
            events: g.events.len(),
            quotes: g.docs.iter().map(|d| d.quotes.len()).sum(),
            places: g.docs.iter().map(|d| d.places.len()).sum(),
        })
    }

    fn events(&self, f: &Filter, page: Page) -> Result<Rows<EventRow>> {
        let g = self.read()?;
        let p = Prepared::new(f);
        let mut total = 0;
        let mut items = Vec::new();
        for e in g.events.iter().filter(|e| p.event_ok(e, &g.docs)) {
            if total >= page.offset && items.len() < page.limit {
                items.push(e.row.clone());
            }
            total += 1;
        }
        Ok(Rows { total, items })
    }

    fn event(&self, id: u64) -> Result<Option<EventRow>> {
        let g = self.read()?;
        let i = id.checked_sub(1).map(|i| i as usize);
        Ok(i.and_then(|i| g.events.get(i)).map(|e| e.row.clone()))
    }

    fn actors(&self, f: &Filter, page: Page) -> Result<Rows<ActorCount>> {
        let g = self.read()?;
        let p = Prepared::new(f);
        let mut m: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
        for e in g.events.iter().filter(|e| p.event_ok(e, &g.docs)) {
            let s = e.row.source.as_ref().map(|a| a.code.as_str());
            let t = e.row.target.as_ref().map(|a| a.code.as_str());
            if let Some(s) = s {
                let c = m.entry(s).or_default();
                c.0 += 1;
                c.1 += 1;
            }
            if let Some(t) = t {
                let c = m.entry(t).or_default();
                if s != Some(t) {
                    c.0 += 1;
                }
                c.2 += 1;
            }
        }
        let mut v: Vec<ActorCount> = m
            .into_iter()
            .map(|(code, (n, s, t))| ActorCount {
                code: code.to_string(),
                name: g.names.get(code).cloned(),
                events: n,
                as_source: s,
                as_target: t,
            })
            .collect();
        v.sort_by(|a, b| b.events.cmp(&a.events).then(a.code.cmp(&b.code)));
        Ok(page_of(v, page))
    }

    fn documents(&self, f: &Filter, page: Page) -> Result<Rows<DocRow>> {
        let g = self.read()?;
        let p = Prepared::new(f);
        let keep: Vec<DocRow> = if p.has_event_filter() {
            let mut seen = vec![false; g.docs.len()];
            for e in g.events.iter().filter(|e| p.event_ok(e, &g.docs)) {
                seen[e.doc] = true;
            }
            g.docs
                .iter()
                .zip(seen)
                .filter(|(_, s)| *s)
                .map(|(d, _)| d.row.clone())
                .collect()
        } else {
            g.docs
                .iter()
                .filter(|d| p.doc_ok(d))
                .map(|d| d.row.clone())
                .collect()
        };
        Ok(page_of(keep, page))
    }

    fn document(&self, id: &str) -> Result<Option<Value>> {
        let g = self.read()?;
        Ok(g.by_id.get(id).map(|&i| (*g.docs[i].record).clone()))
    }

    fn quotes(&self, f: &Filter, page: Page) -> Result<Rows<QuoteRow>> {
        let g = self.read()?;
        let p = Prepared::new(f);
        let mut v = Vec::new();
        for d in g.docs.iter().filter(|d| p.doc_ok(d)) {
            if f.from
                .as_deref()
                .is_some_and(|b| !d.row.date.as_deref().is_some_and(|x| date_ge(x, b)))
                || f.to
                    .as_deref()
                    .is_some_and(|b| !d.row.date.as_deref().is_some_and(|x| date_le(x, b)))
            {
                continue;
            }
            for q in &d.quotes {
                let a = q.actor.as_deref();
                let who = p.actor.as_ref().or(p.source.as_ref());
                if who.is_some_and(|w| !w.hits_code(a, q.speaker.as_deref())) {
                    continue;
                }
                if f.country
                    .as_deref()
                    .is_some_and(|c| a.and_then(actor_country) != Some(c))
                {
                    continue;
                }
                v.push(q.clone());
            }
        }
        Ok(page_of(v, page))
    }

    fn places(&self, f: &Filter, page: Page) -> Result<Rows<PlaceCount>> {
        let g = self.read()?;
        let p = Prepared::new(f);
        // Key places by GeoNames id when known, else by name and country.
        let key = |name: &str, gid: Option<u64>, c: Option<&str>| match gid {
            Some(id) => format!("#{id}"),
            None => format!("{name}|{}", c.unwrap_or("")),
        };
        let mut m: BTreeMap<String, PlaceCount> = BTreeMap::new();
        for e in g.events.iter().filter(|e| p.event_ok(e, &g.docs)) {
            if let Some(pl) = &e.row.place {
                if let (Some(lat), Some(lon)) = (pl.lat, pl.lon) {
                    let k = key(&pl.name, pl.geonameid, pl.country.as_deref());
                    m.entry(k)
                        .or_insert_with(|| PlaceCount {
                            name: pl.name.clone(),
                            geonameid: pl.geonameid,
                            country: pl.country.clone(),
                            lat,
                            lon,
                            events: 0,
                            mentions: 0,
                        })
                        .events += 1;
                }
            }
        }
        if !p.has_event_filter() {
            for d in g.docs.iter().filter(|d| p.doc_ok(d)) {
                for pl in &d.places {
                    let k = key(&pl.name, pl.geonameid, pl.country.as_deref());
                    m.entry(k)
                        .or_insert_with(|| PlaceCount {
                            name: pl.name.clone(),
                            geonameid: pl.geonameid,
                            country: pl.country.clone(),
                            lat: pl.lat,
                            lon: pl.lon,
                            events: 0,
                            mentions: 0,
                        })
                        .mentions += 1;
                }
            }
        }
        let mut v: Vec<PlaceCount> = m.into_values().collect();
        v.sort_by(|a, b| {
            (b.events, b.mentions)
                .cmp(&(a.events, a.mentions))
                .then(a.name.cmp(&b.name))
        });
        Ok(page_of(v, page))
    }

    fn counts(&self, by: CountBy, f: &Filter, limit: usize) -> Result<Vec<Count>> {
        let g = self.read()?;
        let p = Prepared::new(f);
        let mut m: BTreeMap<(String, Option<String>, Option<String>), usize> = BTreeMap::new();
        for e in g.events.iter().filter(|e| p.event_ok(e, &g.docs)) {
            let r = &e.row;
            let mut add = |k: String, s: Option<String>, t: Option<String>| {
                *m.entry((k, s, t)).or_default() += 1
            };
            match by {
                CountBy::Day => {
                    if let Some(d) = r.date.as_deref().and_then(|d| d.get(..10)) {
                        add(d.to_string(), None, None);
                    }
                }
                CountBy::Week => {
                    if let Some(w) = r.date.as_deref().and_then(monday_of) {
                        add(w, None, None);
                    }
                }
                CountBy::Month => {
                    if let Some(d) = r.date.as_deref().and_then(|d| d.get(..7)) {
                        add(d.to_string(), None, None);
                    }
                }
                CountBy::Type => add(r.plover.clone(), None, None),
                CountBy::Dyad => {
                    if let (Some(s), Some(t)) = (&r.source, &r.target) {
                        add(
                            format!("{}>{}", s.code, t.code),
                            Some(s.code.clone()),
                            Some(t.code.clone()),
                        );
                    }
                }
                CountBy::Country => {
                    if let Some(c) = e.countries.first() {
                        add(c.clone(), None, None);
                    }
                }
                CountBy::Actor => {
                    for a in r.source.iter().chain(r.target.iter()) {
                        add(a.code.clone(), None, None);
                    }
                }
            }
        }
        let mut v: Vec<Count> = m
            .into_iter()
            .map(|((key, source, target), count)| Count {
                key,
                source,
                target,
                count,
            })
            .collect();
        // Time buckets stay in time order; the others go largest first.
        if !matches!(by, CountBy::Day | CountBy::Week | CountBy::Month) {
            v.sort_by(|a, b| b.count.cmp(&a.count).then(a.key.cmp(&b.key)));
        }
        v.truncate(limit);
        Ok(v)
    }

    fn search(&self, q: &str, page: Page) -> Result<Rows<DocRow>> {
        let g = self.read()?;
        let ws = words(q);
        if ws.is_empty() {
            return Ok(Rows {
                total: 0,
                items: Vec::new(),
            });
        }
        let mut hits: Vec<(usize, &MemDoc)> = g
            .docs
            .iter()
            .filter(|d| ws.iter().all(|w| d.haystack.contains(w.as_str())))
            .map(|d| {
                (
                    ws.iter()
                        .map(|w| d.haystack.matches(w.as_str()).count())
                        .sum(),
                    d,
                )
            })
            .collect();
        hits.sort_by_key(|h| std::cmp::Reverse(h.0));
        Ok(page_of(
            hits.into_iter().map(|(_, d)| d.row.clone()).collect(),
            page,
        ))
    }

    fn ingest(&self, doc: &dyad_core::Doc) -> Result<IngestOutcome> {
        self.add_record(doc.to_record()).map_err(BackendError)
    }
}
