//! Read queries: filtered listings, aggregates, full-text search and the
//! document view. Every filter becomes an indexed SQL condition; user
//! text is always bound as a parameter, never spliced into SQL.

use crate::types::*;
use crate::{Result, Store};
use rusqlite::types::Value;
use rusqlite::{params_from_iter, Connection, OptionalExtension, Row};

/// A WHERE clause under construction.
#[derive(Default, Clone)]
struct Where {
    conds: Vec<String>,
    params: Vec<Value>,
    /// The covering index that answers this branch of an event filter
    /// (`INDEXED BY`): one that leads with a column the branch tests for
    /// equality, so the date range and the day order come from its second
    /// column. `None` leaves the choice to the planner.
    index: Option<&'static str>,
}

impl Where {
    fn push(&mut self, cond: impl Into<String>, params: impl IntoIterator<Item = Value>) {
        self.conds.push(cond.into());
        self.params.extend(params);
    }
    fn sql(&self) -> String {
        if self.conds.is_empty() {
            "1".into()
        } else {
            self.conds.join(" AND ")
        }
    }
    /// `events e`, with the branch's index when it has one.
    fn events(&self) -> String {
        match self.index {
            Some(i) => format!("events e INDEXED BY {i}"),
            None => "events e".into(),
        }
    }
}

/// One alternative of a filter that is an OR (either side of an actor,
/// the three country columns, the codes an actor prefix stands for).
struct Alt {
    cond: String,
    params: Vec<Value>,
    /// The covering index led by the alternative's column, when the
    /// alternative is an equality on it.
    index: Option<&'static str>,
}

impl Alt {
    fn new((cond, params): (String, Vec<Value>), index: Option<&'static str>) -> Alt {
        Alt {
            cond,
            params,
            index,
        }
    }
}

fn text(s: &str) -> Value {
    Value::Text(s.to_string())
}

/// Whether a user's actor filter is a code (prefix) rather than a name.
fn is_code(s: &str) -> bool {
    s.len() >= 2
        && s.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

/// `col` starts with `prefix`, as an index-friendly range.
fn prefix_cond(col: &str, prefix: &str) -> (String, Vec<Value>) {
    let mut upper = prefix.to_string();
    upper.push(char::MAX);
    (
        format!("({col} >= ? AND {col} < ?)"),
        vec![text(prefix), text(&upper)],
    )
}

/// An actor filter on one side: code prefix, or a name/text substring.
fn actor_cond(code: &str, names: &[&str], pat: &str) -> (String, Vec<Value>) {
    let pat = pat.trim();
    if is_code(pat) {
        prefix_cond(code, pat)
    } else {
        let like = format!("%{}%", pat.replace(['%', '_'], ""));
        let sql = names
            .iter()
            .map(|n| format!("{n} LIKE ?"))
            .collect::<Vec<_>>()
            .join(" OR ");
        (
            format!("({sql})"),
            names.iter().map(|_| text(&like)).collect(),
        )
    }
}

/// Most codes an actor prefix is expanded into, per side; a prefix that
/// stands for more stays a range (see [`actor_alts`]).
const MAX_PREFIX_CODES: usize = 12;

/// The distinct codes in `col` (a column that leads a covering index)
/// that start with `prefix`, or `None` when there are more than `max`.
/// A skip scan: one index seek per code found (`min(col)` past the last
/// one), however many events each code has; always current, so no cache
/// to invalidate.
fn codes_with_prefix(
    conn: &Connection,
    col: &str,
    prefix: &str,
    max: usize,
) -> rusqlite::Result<Option<Vec<String>>> {
    let mut upper = prefix.to_string();
    upper.push(char::MAX);
    let sql = format!(
        "WITH RECURSIVE c(x) AS (
           SELECT (SELECT min({col}) FROM events WHERE {col} >= ?1)
           UNION ALL
           SELECT (SELECT min({col}) FROM events WHERE {col} > c.x) FROM c WHERE c.x < ?2
           LIMIT ?3)
         SELECT x FROM c WHERE x < ?2"
    );
    let mut st = conn.prepare_cached(&sql)?;
    let codes = st
        .query_map(rusqlite::params![prefix, upper, (max + 2) as i64], |r| {
            r.get::<_, String>(0)
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok((codes.len() <= max).then_some(codes))
}

/// Codes found for actor prefixes, valid for one state of the data:
/// `PRAGMA data_version` (moves when another connection commits) and the
/// connection's own `total_changes`. A varied query then costs one
/// pragma, not a skip scan per side.
#[derive(Default)]
pub(crate) struct CodeCache {
    version: Option<(i64, u64)>,
    codes: std::collections::HashMap<(&'static str, String), Option<Vec<String>>>,
}

/// Prefixes remembered per state of the data, at most (then forgotten).
const MAX_CACHED_PREFIXES: usize = 4096;

/// What expanding actor prefixes needs: the connection and its cache.
#[derive(Clone, Copy)]
pub(crate) struct Lookup<'a> {
    conn: &'a Connection,
    cache: &'a std::sync::Mutex<CodeCache>,
}

impl Lookup<'_> {
    /// [`codes_with_prefix`] through the cache; `None` on any error (the
    /// filter then stays a range, still correct).
    fn codes_with_prefix(&self, col: &'static str, prefix: &str) -> Option<Vec<String>> {
        let version: i64 = self
            .conn
            .prepare_cached("PRAGMA data_version")
            .and_then(|mut st| st.query_row([], |r| r.get(0)))
            .ok()?;
        let version = Some((version, self.conn.total_changes()));
        let key = (col, prefix.to_string());
        {
            let mut c = self.cache.lock().unwrap_or_else(|p| p.into_inner());
            if c.version != version {
                c.codes.clear();
                c.version = version;
            }
            if let Some(v) = c.codes.get(&key) {
                return v.clone();
            }
        }
        // Read after the version: the codes are at least that new.
        let v = codes_with_prefix(self.conn, col, prefix, MAX_PREFIX_CODES).ok()?;
        let mut c = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        if c.version == version {
            if c.codes.len() >= MAX_CACHED_PREFIXES {
                c.codes.clear();
            }
            c.codes.insert(key, v.clone());
        }
        v
    }
}

/// An actor filter on one side as alternatives. A code prefix becomes the
/// codes present in the store (answered by the side's covering index,
/// seeking each code's date range, so only the matches are read, not every
/// event of the prefix); without a connection, or when the prefix stands
/// for too many codes, it stays one range on the code column, and a name
/// one substring condition.
fn actor_alts(conn: Option<Lookup<'_>>, side: Side, pat: &str, per_code: bool) -> Vec<Alt> {
    let (code, names, index) = match side {
        Side::Source => (
            "e.source_code",
            ["e.source_name", "e.source_text"],
            "events_k_source",
        ),
        Side::Target => (
            "e.target_code",
            ["e.target_name", "e.target_text"],
            "events_k_target",
        ),
    };
    let pat = pat.trim();
    if is_code(pat) {
        let col = &code[2..];
        if let Some(codes) = conn.and_then(|l| l.codes_with_prefix(col, pat)) {
            if codes.is_empty() {
                // No such code: an equality that matches nothing, on the index.
                return vec![Alt::new(
                    (format!("{code} = ?"), vec![text(pat)]),
                    Some(index),
                )];
            }
            if per_code {
                // One branch per code: each comes in day order, so a page
                // of their union stops early.
                return codes
                    .into_iter()
                    .map(|c| Alt::new((format!("{code} = ?"), vec![Value::Text(c)]), Some(index)))
                    .collect();
            }
            // One condition for the side: a source and a target prefix
            // would otherwise multiply into (codes x codes) branches, each
            // reading the same index range again. More than one code is an
            // IN list (one index seek each).
            let cond = if codes.len() == 1 {
                format!("{code} = ?")
            } else {
                format!("{code} IN ({})", vec!["?"; codes.len()].join(", "))
            };
            return vec![Alt::new(
                (cond, codes.into_iter().map(Value::Text).collect()),
                Some(index),
            )];
        }
    }
    vec![Alt::new(actor_cond(code, &names, pat), None)]
}

#[derive(Clone, Copy)]
enum Side {
    Source,
    Target,
}

/// User words to an FTS5 query: every word must occur (quoted, so no
/// FTS syntax error is possible).
pub(crate) fn fts_query(s: &str) -> String {
    s.split_whitespace()
        .map(|w| format!("\"{}\"", w.replace('"', "")))
        .filter(|w| w != "\"\"")
        .collect::<Vec<_>>()
        .join(" ")
}

/// Upper bound for an inclusive `to` date: `2018-05` must include `2018-05-17`.
fn to_bound(to: &str) -> String {
    format!("{to}~")
}

fn limit_sql(f: &EventFilter) -> String {
    let limit = f.limit.map(|l| l as i64).unwrap_or(-1);
    format!(" LIMIT {limit} OFFSET {}", f.offset.unwrap_or(0))
}

/// Conditions on events (alias `e`) as alternatives ("branches") whose
/// union is the answer. An either-side actor code or a country is an OR
/// over columns that each have their own index; SQLite answers such an OR
/// by looking every candidate row up in the table, so it becomes one
/// branch per column instead, each answered from a (covering) index and
/// combined with UNION.
struct EventWhere {
    branches: Vec<Where>,
}

impl EventWhere {
    /// Splits every branch into one per alternative condition. A branch
    /// keeps the index it has (actors are forked first: a code narrows
    /// more than a country), else takes the alternative's.
    fn fork(&mut self, alts: &[Alt]) {
        let mut out = Vec::with_capacity(self.branches.len() * alts.len());
        for b in &self.branches {
            for a in alts {
                let mut w = b.clone();
                w.push(a.cond.clone(), a.params.iter().cloned());
                w.index = b.index.or(a.index);
                out.push(w);
            }
        }
        self.branches = out;
    }

    /// `SELECT {cols} FROM events e WHERE …` per branch, joined by UNION.
    fn union(&self, cols: &str) -> (String, Vec<Value>) {
        let sql = self
            .branches
            .iter()
            .map(|b| format!("SELECT {cols} FROM {} WHERE {}", b.events(), b.sql()))
            .collect::<Vec<_>>()
            .join(" UNION ");
        let params = self
            .branches
            .iter()
            .flat_map(|b| b.params.iter().cloned())
            .collect();
        (sql, params)
    }

    /// The whole filter as one condition on `e`.
    fn single(&self) -> Where {
        if let [b] = self.branches.as_slice() {
            return Where {
                index: None,
                ..b.clone()
            };
        }
        let (sql, params) = self.union("e.id");
        let mut w = Where::default();
        w.push(format!("e.id IN ({sql})"), params);
        w
    }
}

/// Conditions on events (alias `e`). With a connection, actor code
/// prefixes become the exact codes present (see [`actor_alts`]).
fn event_where(f: &EventFilter, with_actors: bool, conn: Option<Lookup<'_>>) -> EventWhere {
    let mut w = Where::default();
    let mut forks: Vec<Vec<Alt>> = Vec::new();
    // A document's own events are found by `events_doc`: no forced index.
    let by_doc = f.doc.is_some() || f.doc_key.is_some();
    let conn = conn.filter(|_| !by_doc);
    if with_actors {
        if let Some(a) = &f.actor {
            if is_code(a.trim()) {
                // Either side: one branch per side and code (at most
                // 2 x MAX_PREFIX_CODES).
                let mut alts = actor_alts(conn, Side::Source, a, true);
                alts.extend(actor_alts(conn, Side::Target, a, true));
                forks.push(alts);
            } else {
                // Names are matched by a scan anyway: one branch.
                let (s, mut sp) =
                    actor_cond("e.source_code", &["e.source_name", "e.source_text"], a);
                let (t, tp) = actor_cond("e.target_code", &["e.target_name", "e.target_text"], a);
                sp.extend(tp);
                w.push(format!("({s} OR {t})"), sp);
            }
        }
        for (a, side) in [(&f.source, Side::Source), (&f.target, Side::Target)] {
            if let Some(a) = a {
                let alts = actor_alts(conn, side, a, false);
                match <[Alt; 1]>::try_from(alts) {
                    // One condition: no fork (it may still drive the query).
                    Ok([one]) => {
                        w.push(one.cond, one.params);
                        w.index = w.index.or(one.index);
                    }
                    Err(alts) => forks.push(alts),
                }
            }
        }
    }
    let mut by_type = false;
    if let Some(t) = &f.event_type {
        let t = t.trim();
        if !t.is_empty() && t.chars().all(|c| c.is_ascii_digit()) {
            let (s, p) = prefix_cond("e.cameo", t);
            w.push(s, p);
        } else {
            w.push("e.plover = ?", [text(&t.to_ascii_uppercase())]);
            by_type = true;
        }
    }
    if let Some(c) = &f.country {
        let c = text(&c.trim().to_ascii_uppercase());
        let index = |i: &'static str| conn.map(|_| i);
        forks.push(vec![
            Alt::new(
                ("e.source_country = ?".into(), vec![c.clone()]),
                index("events_k_source_country"),
            ),
            Alt::new(
                ("e.target_country = ?".into(), vec![c.clone()]),
                index("events_k_target_country"),
            ),
            Alt::new(
                ("e.place_country = ?".into(), vec![c]),
                index("events_k_place_country"),
            ),
        ]);
    }
    if let Some(t) = f.text.as_deref().map(fts_query).filter(|q| !q.is_empty()) {
        // The FTS index is asked once, for document ids (its rowids). The
        // unary `+` keeps SQLite from driving the query by `events_doc`
        // (a table lookup per event of every matching document, thousands
        // for a common word): a covering index walks events newest first
        // and tests membership, stopping when the page is full.
        w.push(
            "+e.doc_id IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?)",
            [Value::Text(t)],
        );
    }
    if let Some(d) = f.doc {
        w.push("e.doc_id = ?", [Value::Integer(d)]);
    }
    if let Some(k) = &f.doc_key {
        w.push(
            "e.doc_id = (SELECT id FROM documents WHERE key = ?)",
            [text(k)],
        );
    }
    if !f.include_duplicates {
        // The unary `+` keeps `duplicate` from driving the query: it is
        // the first column of `events_k_place` (the map's index), and the
        // planner would otherwise pick that index for an unfiltered count
        // or listing and then read every table row for its other columns.
        // It is still tested on every covering index.
        w.push("+e.duplicate = 0", []);
    }
    let mut ew = EventWhere { branches: vec![w] };
    for alts in &forks {
        ew.fork(alts);
    }
    let narrowed =
        f.actor.is_some() || f.source.is_some() || f.target.is_some() || f.country.is_some();
    for b in &mut ew.branches {
        if b.index.is_none() && by_type && !narrowed && conn.is_some() {
            // The type's index: an equality, then the date range.
            b.index = Some("events_k_type");
        }
        // A branch on its own index seeks the date range in the index's
        // second column. Without one, an actor or country filter should
        // still drive the query: SQLite's estimates (no histograms) rate a
        // date range as selective as an actor code range and then prefer
        // the date index for its order, reading half the table to fill a
        // page for a rare actor. The unary `+` keeps the date range off
        // the indexes; it is still tested on the covering index's `day`.
        let day = if b.index.is_none() && narrowed {
            "+e.day"
        } else {
            "e.day"
        };
        if let Some(d) = &f.from {
            b.push(format!("{day} >= ?"), [text(d)]);
        }
        if let Some(d) = &f.to {
            b.push(format!("{day} <= ?"), [text(&to_bound(d))]);
        }
    }
    ew
}

/// Conditions on documents (alias `d`): text, dates, duplicates, and
/// event-level filters as "has a matching event".
fn doc_where(f: &EventFilter, event_filters: bool, conn: Option<Lookup<'_>>) -> Where {
    let mut w = Where::default();
    if let Some(t) = f.text.as_deref().map(fts_query).filter(|q| !q.is_empty()) {
        w.push(
            "d.id IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?)",
            [Value::Text(t)],
        );
    }
    if let Some(x) = &f.from {
        w.push("d.date >= ?", [text(x)]);
    }
    if let Some(x) = &f.to {
        w.push("d.date <= ?", [text(&to_bound(x))]);
    }
    if let Some(x) = f.doc {
        w.push("d.id = ?", [Value::Integer(x)]);
    }
    if let Some(k) = &f.doc_key {
        w.push("d.key = ?", [text(k)]);
    }
    if !f.include_duplicates {
        w.push("d.duplicate_of IS NULL", []);
    }
    if event_filters && f.has_event_filter() {
        let ef = EventFilter {
            actor: f.actor.clone(),
            source: f.source.clone(),
            target: f.target.clone(),
            event_type: f.event_type.clone(),
            country: f.country.clone(),
            include_duplicates: true,
            ..Default::default()
        };
        let (ids, mut params) = event_where(&ef, true, conn).union("e.doc_id");
        let mut cond = format!("d.id IN ({ids})");
        // An actor also matches documents that merely mention it.
        if let (Some(a), None, None, None) = (&f.actor, &f.event_type, &f.source, &f.target) {
            let (m, mp) = actor_cond("m.actor", &["m.canonical", "m.text"], a);
            cond = format!("({cond} OR d.id IN (SELECT m.doc_id FROM mentions m WHERE {m}))");
            params.extend(mp);
        }
        w.push(cond, params);
    }
    w
}

const EVENT_COLS: &str = "e.id, e.doc_id, e.plover, e.mode, e.cameo,
    e.source_code, e.source_text, e.source_name, e.source_country,
    e.target_code, e.target_text, e.target_name, e.target_country,
    e.date, e.day, e.place_name, e.place_geonameid, e.place_country, e.place_lat, e.place_lon,
    e.flags, e.evidence, e.rule, e.cluster, e.duplicate, d.title, d.url, d.date";

fn event_row(r: &Row) -> rusqlite::Result<EventRow> {
    let flags: String = r.get(20)?;
    let evidence: String = r.get(21)?;
    Ok(EventRow {
        id: r.get(0)?,
        doc_id: r.get(1)?,
        plover: r.get(2)?,
        mode: r.get(3)?,
        cameo: r.get(4)?,
        source_code: r.get(5)?,
        source_text: r.get(6)?,
        source_name: r.get(7)?,
        source_country: r.get(8)?,
        target_code: r.get(9)?,
        target_text: r.get(10)?,
        target_name: r.get(11)?,
        target_country: r.get(12)?,
        date: r.get(13)?,
        day: r.get(14)?,
        place_name: r.get(15)?,
        place_geonameid: r.get(16)?,
        place_country: r.get(17)?,
        place_lat: r.get(18)?,
        place_lon: r.get(19)?,
        flags: flags
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
        evidence: serde_json::from_str(&evidence).unwrap_or_default(),
        rule: r.get(22)?,
        cluster: r.get(23)?,
        duplicate: r.get::<_, i64>(24)? != 0,
        doc_title: r.get(25)?,
        doc_url: r.get(26)?,
        doc_date: r.get(27)?,
    })
}

const DOC_COLS: &str =
    "d.id, d.key, d.title, d.url, d.site, d.date, d.language, d.duplicate_of, d.error, d.n_events, d.n_quotes, length(d.text)";

fn doc_row(r: &Row) -> rusqlite::Result<DocumentRow> {
    Ok(DocumentRow {
        id: r.get(0)?,
        key: r.get(1)?,
        title: r.get(2)?,
        url: r.get(3)?,
        site: r.get(4)?,
        date: r.get(5)?,
        language: r.get(6)?,
        duplicate_of: r.get(7)?,
        error: r.get(8)?,
        events: r.get::<_, i64>(9)? as u64,
        quotes: r.get::<_, i64>(10)? as u64,
        chars: r.get::<_, i64>(11)? as u64,
    })
}

/// The listing query of [`Store::query_events`]: first the page of event
/// ids, from indexes alone (sorting ids and days is cheap), then the wide
/// rows and their documents for that page only. Sorting whole rows joined
/// to their documents before the LIMIT cost a random read per match.
pub(crate) fn events_page_sql(f: &EventFilter, conn: Option<Lookup<'_>>) -> (String, Vec<Value>) {
    let ew = event_where(f, true, conn);
    let (ids, params) = if ew.branches.len() == 1 {
        let w = &ew.branches[0];
        (
            format!(
                "SELECT e.id FROM {} WHERE {} ORDER BY e.day DESC, e.id DESC{}",
                w.events(),
                w.sql(),
                limit_sql(f)
            ),
            w.params.clone(),
        )
    } else {
        // The ORDER BY and LIMIT belong to the compound SELECT itself, so
        // SQLite merges the branches (each already in day order when its
        // index leads with an equality) and stops when the page is full,
        // instead of collecting every match in a temporary b-tree and
        // sorting it.
        let (sql, p) = ew.union("e.id AS id, e.day AS day");
        (
            format!(
                "SELECT id FROM ({sql} ORDER BY 2 DESC, 1 DESC{})",
                limit_sql(f)
            ),
            p,
        )
    };
    (
        format!(
            "SELECT {EVENT_COLS} FROM events e JOIN documents d ON d.id = e.doc_id
             WHERE e.id IN ({ids}) ORDER BY e.day DESC, e.id DESC"
        ),
        params,
    )
}

impl Store {
    /// The connection with this store's cache of actor codes.
    pub(crate) fn lookup<'a>(&'a self, conn: &'a Connection) -> Lookup<'a> {
        Lookup {
            conn,
            cache: &self.codes,
        }
    }

    /// A page of matching events, newest first (`limit`/`offset` of the
    /// filter; 50 when no limit), with how many match: exactly up to
    /// `cap` (never less than the end of the page), else `cap` and
    /// `exact: false`.
    ///
    /// One pass per branch of the filter (see [`EventWhere`]): each reads
    /// its covering index in day order up to `cap + 1` ids, stopping there
    /// however many events match; the lists are merged and deduplicated
    /// here, which gives both the page and the count. Then the page's rows
    /// are read by id. (A compound SELECT that merges the branches costs
    /// about five times as much per id in SQLite's virtual machine, and
    /// counting needs a second pass.)
    pub fn events_page(&self, f: &EventFilter, cap: u64) -> Result<EventPageRows> {
        let offset = f.offset.unwrap_or(0);
        let limit = f.limit.unwrap_or(50);
        let end = offset.saturating_add(limit);
        let cap = cap.max(end as u64);
        let take = cap.saturating_add(1).min(i64::MAX as u64);
        let conn = self.conn();
        let ew = event_where(f, true, Some(self.lookup(&conn)));
        // (day, id) of each branch's matches, newest first. The days are
        // kept in one buffer (`None`: a NULL day, which sorts last, as in
        // SQL), not as a string each: a branch may read a thousand.
        let mut days = String::new();
        let mut ids: Vec<(Option<(u32, u32)>, i64)> = Vec::new();
        let mut truncated = false;
        for b in &ew.branches {
            let sql = format!(
                "SELECT e.day, e.id FROM {} WHERE {} ORDER BY e.day DESC, e.id DESC LIMIT ?",
                b.events(),
                b.sql()
            );
            let mut st = conn.prepare_cached(&sql)?;
            let mut params = b.params.clone();
            params.push(Value::Integer(take as i64));
            let mut rows = st.query(params_from_iter(params.iter()))?;
            let mut n = 0u64;
            while let Some(r) = rows.next()? {
                let day = match r.get_ref(0)? {
                    rusqlite::types::ValueRef::Text(t) => {
                        let at = days.len() as u32;
                        days.push_str(&String::from_utf8_lossy(t));
                        Some((at, days.len() as u32))
                    }
                    _ => None,
                };
                ids.push((day, r.get(1)?));
                n += 1;
            }
            truncated |= n >= take;
        }
        if ew.branches.len() > 1 {
            // Newest first; an event in two branches has one (day, id), so
            // its copies end up side by side.
            let day = |d: Option<(u32, u32)>| d.map(|(a, b)| &days[a as usize..b as usize]);
            ids.sort_unstable_by(|a, b| (day(b.0), b.1).cmp(&(day(a.0), a.1)));
            ids.dedup_by_key(|x| x.1);
        }
        let (total, exact) = if truncated || ids.len() as u64 > cap {
            (cap, false)
        } else {
            (ids.len() as u64, true)
        };
        // The page's rows in one statement (ids as a JSON array: one
        // statement shape for every page size).
        let page: Vec<i64> = ids.iter().skip(offset).take(limit).map(|x| x.1).collect();
        let items = if page.is_empty() {
            Vec::new()
        } else {
            let mut st = conn.prepare_cached(&format!(
                "SELECT {EVENT_COLS} FROM events e JOIN documents d ON d.id = e.doc_id
                 WHERE e.id IN (SELECT value FROM json_each(?1)) ORDER BY e.day DESC, e.id DESC"
            ))?;
            let rows = st.query_map([serde_json::to_string(&page)?], event_row)?;
            rows.collect::<rusqlite::Result<Vec<_>>>()?
        };
        Ok(EventPageRows {
            items,
            total,
            exact,
        })
    }

    /// Events matching the filter, newest first.
    pub fn query_events(&self, f: &EventFilter) -> Result<Vec<EventRow>> {
        let conn = self.conn();
        let (sql, params) = events_page_sql(f, Some(self.lookup(&conn)));
        let mut st = conn.prepare_cached(&sql)?;
        let rows = st.query_map(params_from_iter(params.iter()), event_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// How many events match the filter (`limit`/`offset` ignored).
    pub fn count_events(&self, f: &EventFilter) -> Result<u64> {
        let conn = self.conn();
        let ew = event_where(f, true, Some(self.lookup(&conn)));
        let (u, params) = ew.union("e.id");
        // UNION drops the rows two branches share; counting ids alone keeps
        // every branch on its covering index.
        let sql = format!("SELECT COUNT(*) FROM ({u})");
        let mut st = conn.prepare_cached(&sql)?;
        let n: i64 = st.query_row(params_from_iter(params.iter()), |r| r.get(0))?;
        Ok(n as u64)
    }

    /// How many events match the filter, counting exactly only up to
    /// `cap`: `(n, true)` is the exact count, `(cap, false)` means more
    /// than `cap` match. Costs at most about `cap` index entries per
    /// branch of the filter, however many events match, where an exact
    /// count reads every match. `limit`/`offset` are ignored.
    ///
    /// Each branch (see [`EventWhere`]) is read in its covering index up
    /// to `cap + 1` rows; if one branch alone has more than `cap` rows, so
    /// has the union. Otherwise every branch is complete, and a row counts
    /// in the first branch it matches, so the sum is the size of the union
    /// without building it.
    pub fn count_events_capped(&self, f: &EventFilter, cap: u64) -> Result<(u64, bool)> {
        let conn = self.conn();
        let ew = event_where(f, true, Some(self.lookup(&conn)));
        let mut total = 0u64;
        for (i, b) in ew.branches.iter().enumerate() {
            // `CASE WHEN … THEN 0 ELSE 1` also counts a row whose earlier
            // conditions are NULL (a missing column) as not matching them.
            let earlier = &ew.branches[..i];
            let new = if earlier.is_empty() {
                "1".to_string()
            } else {
                let conds = earlier
                    .iter()
                    .map(|e| format!("({})", e.sql()))
                    .collect::<Vec<_>>()
                    .join(" OR ");
                format!("CASE WHEN {conds} THEN 0 ELSE 1 END")
            };
            let sql = format!(
                "SELECT COUNT(*), coalesce(SUM(new), 0) FROM
                   (SELECT {new} AS new FROM {} WHERE {} LIMIT ?)",
                b.events(),
                b.sql()
            );
            let mut params: Vec<Value> = Vec::new();
            for e in earlier {
                params.extend(e.params.iter().cloned());
            }
            params.extend(b.params.iter().cloned());
            params.push(Value::Integer(
                cap.saturating_add(1).min(i64::MAX as u64) as i64
            ));
            let mut st = conn.prepare_cached(&sql)?;
            let (rows, new): (i64, i64) = st.query_row(params_from_iter(params.iter()), |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
            if rows as u64 > cap {
                return Ok((cap, false));
            }
            total += new as u64;
        }
        if total > cap {
            return Ok((cap, false));
        }
        Ok((total, true))
    }

    /// Calls `f` for every matching event (exports: no limit, no buffering).
    pub fn for_each_event(
        &self,
        filter: &EventFilter,
        mut f: impl FnMut(EventRow) -> Result<()>,
    ) -> Result<()> {
        self.for_each_event_ext(filter, |e, _, _| f(e))
    }

    /// [`Store::for_each_event`] that also passes the document's
    /// ingestion time and its URL (else its path or key), for exports.
    pub(crate) fn for_each_event_ext(
        &self,
        filter: &EventFilter,
        mut f: impl FnMut(EventRow, String, String) -> Result<()>,
    ) -> Result<()> {
        // Exports walk every match in id order: the planner's plan, unforced.
        let w = event_where(filter, true, None).single();
        let sql = format!(
            "SELECT {EVENT_COLS}, d.ingested_at,
                    coalesce(d.url, json_extract(d.source, '$.path'), json_extract(d.source, '$.url'), d.key)
             FROM events e JOIN documents d ON d.id = e.doc_id
             WHERE {} ORDER BY e.id{}",
            w.sql(),
            limit_sql(filter)
        );
        let conn = self.conn();
        let mut st = conn.prepare(&sql)?;
        let mut rows = st.query(params_from_iter(w.params.iter()))?;
        while let Some(r) = rows.next()? {
            f(event_row(r)?, r.get(28)?, r.get(29)?)?;
        }
        Ok(())
    }

    /// Event counts per day, week, month, type, dyad, country or actor,
    /// computed in SQL (`clusters` counts cross-document clusters once).
    pub fn count_by(&self, f: &EventFilter, by: CountBy) -> Result<Vec<CountRow>> {
        self.count_by_impl(f, by, true)
    }

    /// [`Store::count_by`] without the cluster counts (`clusters` is 0):
    /// counting distinct clusters per bucket costs a sort of its own, and
    /// the HTTP API's aggregates do not show them.
    pub fn count_by_without_clusters(&self, f: &EventFilter, by: CountBy) -> Result<Vec<CountRow>> {
        self.count_by_impl(f, by, false)
    }

    fn count_by_impl(&self, f: &EventFilter, by: CountBy, clusters: bool) -> Result<Vec<CountRow>> {
        let order = match by {
            CountBy::Day | CountBy::Week | CountBy::Month => "key",
            _ => "count DESC, key",
        };
        // (key expression, extra condition) per part; parts are UNION ALL'd.
        let parts: Vec<(&str, &str)> = match by {
            CountBy::Day => vec![("substr(e.day, 1, 10)", "length(e.day) >= 10")],
            CountBy::Week => vec![(
                "date(substr(e.day, 1, 10), 'weekday 0', '-6 days')",
                "length(e.day) >= 10",
            )],
            CountBy::Month => vec![("substr(e.day, 1, 7)", "length(e.day) >= 7")],
            CountBy::Type => vec![("e.plover", "1")],
            CountBy::Dyad => vec![(
                "coalesce(e.source_code, '-') || '>' || coalesce(e.target_code, '-')",
                "1",
            )],
            CountBy::Country => vec![(
                "coalesce(e.place_country, e.source_country)",
                "coalesce(e.place_country, e.source_country) IS NOT NULL",
            )],
            CountBy::Actor => vec![
                ("e.source_code", "e.source_code IS NOT NULL"),
                ("e.target_code", "e.target_code IS NOT NULL"),
            ],
        };
        // Each part of the key runs once per filter branch, reading only
        // the covering index; UNION drops the rows two branches share (the
        // part number keeps an actor that is source and target twice).
        let conn = self.conn();
        let ew = event_where(f, true, Some(self.lookup(&conn)));
        let mut inner = Vec::new();
        let mut params: Vec<Value> = Vec::new();
        for (i, (key, cond)) in parts.iter().enumerate() {
            for b in &ew.branches {
                inner.push(format!(
                    "SELECT {i} AS part, e.id AS id, {key} AS key, e.cluster AS cluster FROM {} WHERE {} AND {cond}",
                    b.events(),
                    b.sql()
                ));
                params.extend(b.params.iter().cloned());
            }
        }
        let inner = inner.join(if ew.branches.len() > 1 {
            " UNION "
        } else {
            " UNION ALL "
        });
        let sql = format!(
            "SELECT key, COUNT(*) AS count, {}
             FROM ({inner}) GROUP BY key ORDER BY {order}{}",
            if clusters {
                "COUNT(DISTINCT coalesce(cluster, -id))"
            } else {
                "0"
            },
            limit_sql(f)
        );
        let mut st = conn.prepare_cached(&sql)?;
        let rows = st.query_map(params_from_iter(params.iter()), |r| {
            let key: Option<String> = r.get(0)?;
            Ok(CountRow {
                key: key.unwrap_or_default(),
                count: r.get::<_, i64>(1)? as u64,
                clusters: r.get::<_, i64>(2)? as u64,
                source: None,
                target: None,
            })
        })?;
        let mut out: Vec<CountRow> = rows.collect::<rusqlite::Result<_>>()?;
        if by == CountBy::Dyad {
            for r in &mut out {
                if let Some((s, t)) = r.key.split_once('>') {
                    r.source = (s != "-").then(|| s.to_string());
                    r.target = (t != "-").then(|| t.to_string());
                }
            }
        }
        Ok(out)
    }

    /// Places of matching events with their event counts, most first
    /// (places without coordinates are left out).
    pub fn event_places(&self, f: &EventFilter) -> Result<Vec<EventPlaceRow>> {
        let conn = self.conn();
        let mut w = event_where(f, true, Some(self.lookup(&conn))).single();
        if !f.include_duplicates {
            // Here `duplicate` may drive: `events_k_place` covers this query.
            w.push("e.duplicate = 0", []);
        }
        let sql = format!(
            "SELECT e.place_geonameid, e.place_name, max(e.place_country), avg(e.place_lat), avg(e.place_lon), COUNT(*)
             FROM events e WHERE {} AND e.place_name IS NOT NULL AND e.place_lat IS NOT NULL AND e.place_lon IS NOT NULL
             GROUP BY coalesce(e.place_geonameid, e.place_name) ORDER BY COUNT(*) DESC, e.place_name{}",
            w.sql(),
            limit_sql(f)
        );
        let mut st = conn.prepare_cached(&sql)?;
        let rows = st.query_map(params_from_iter(w.params.iter()), |r| {
            Ok(EventPlaceRow {
                geonameid: r.get(0)?,
                name: r.get(1)?,
                country: r.get(2)?,
                lat: r.get(3)?,
                lon: r.get(4)?,
                events: r.get::<_, i64>(5)? as u64,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Actor codes with their event and mention counts, most active first.
    /// `actor`/`source`/`target` select codes (prefix or name); `type`
    /// restricts the events counted; `country` the code's country.
    pub fn query_actors(&self, f: &EventFilter) -> Result<Vec<ActorRow>> {
        let ew = event_where(f, false, None).single();
        let dw = doc_where(f, false, None);
        let mut params: Vec<Value> = Vec::new();
        params.extend(ew.params.iter().cloned());
        params.extend(ew.params.iter().cloned());
        params.extend(dw.params.iter().cloned());
        let mut having = Vec::new();
        for a in [&f.actor, &f.source, &f.target].into_iter().flatten() {
            // A name matches when any of the code's rows carries it.
            let (c, p) = actor_cond("code", &["name"], a);
            let c = if is_code(a.trim()) {
                c
            } else {
                format!("SUM({c}) > 0")
            };
            having.push(c);
            params.extend(p);
        }
        if let Some(c) = &f.country {
            having.push("substr(code, 1, 3) = ?".into());
            params.push(text(&c.trim().to_ascii_uppercase()));
        }
        let having = if having.is_empty() {
            "1".to_string()
        } else {
            having.join(" AND ")
        };
        let ews = ew.sql();
        let sql = format!(
            "SELECT code, max(name), SUM(src), SUM(tgt), SUM(men), COUNT(DISTINCT doc_id) FROM (
               SELECT e.source_code AS code, coalesce(e.source_name, e.source_text) AS name, 1 AS src, 0 AS tgt, 0 AS men, e.doc_id
                 FROM events e WHERE {ews} AND e.source_code IS NOT NULL
               UNION ALL
               SELECT e.target_code, coalesce(e.target_name, e.target_text), 0, 1, 0, e.doc_id
                 FROM events e WHERE {ews} AND e.target_code IS NOT NULL
               UNION ALL
               SELECT m.actor, coalesce(m.canonical, m.text), 0, 0, 1, m.doc_id
                 FROM mentions m JOIN documents d ON d.id = m.doc_id WHERE {} AND m.actor IS NOT NULL
             ) GROUP BY code HAVING {having}
             ORDER BY SUM(src) + SUM(tgt) DESC, SUM(men) DESC, code{}",
            dw.sql(),
            limit_sql(f)
        );
        let conn = self.conn();
        let mut st = conn.prepare_cached(&sql)?;
        let rows = st.query_map(params_from_iter(params.iter()), |r| {
            Ok(ActorRow {
                code: r.get(0)?,
                name: r.get(1)?,
                as_source: r.get::<_, i64>(2)? as u64,
                as_target: r.get::<_, i64>(3)? as u64,
                mentions: r.get::<_, i64>(4)? as u64,
                documents: r.get::<_, i64>(5)? as u64,
            })
        })?;
        let mut out: Vec<ActorRow> = rows.collect::<rusqlite::Result<_>>()?;
        // `max(name)` above is only a placeholder; prefer the most frequent canonical name.
        let mut st = conn.prepare_cached(
            "SELECT canonical FROM mentions WHERE actor = ?1 AND canonical IS NOT NULL
             GROUP BY canonical ORDER BY COUNT(*) DESC, canonical LIMIT 1",
        )?;
        for a in &mut out {
            if let Some(n) = st
                .query_row([&a.code], |r| r.get::<_, String>(0))
                .optional()?
            {
                a.name = Some(n);
            }
        }
        Ok(out)
    }

    /// Quotations, newest documents first. `actor`/`source` filter the
    /// speaker; `country` the speaker's country.
    pub fn query_quotes(&self, f: &EventFilter) -> Result<Vec<QuoteRow>> {
        let mut w = doc_where(f, false, None);
        for a in [&f.actor, &f.source].into_iter().flatten() {
            let (c, p) = actor_cond("q.speaker_actor", &["q.speaker_name", "q.speaker"], a);
            w.push(c, p);
        }
        if let Some(c) = &f.country {
            w.push(
                "substr(q.speaker_actor, 1, 3) = ?",
                [text(&c.trim().to_ascii_uppercase())],
            );
        }
        let sql = format!(
            "SELECT q.id, q.doc_id, q.kind, q.content, q.content_start, q.content_end, q.cue,
                    q.speaker, q.speaker_name, q.speaker_actor, d.title, d.date
             FROM quotes q JOIN documents d ON d.id = q.doc_id
             WHERE {} ORDER BY d.date DESC, q.id{}",
            w.sql(),
            limit_sql(f)
        );
        let conn = self.conn();
        let mut st = conn.prepare_cached(&sql)?;
        let rows = st.query_map(params_from_iter(w.params.iter()), |r| {
            Ok(QuoteRow {
                id: r.get(0)?,
                doc_id: r.get(1)?,
                kind: r.get(2)?,
                content: r.get(3)?,
                start: r.get::<_, i64>(4)? as usize,
                end: r.get::<_, i64>(5)? as usize,
                cue: r.get(6)?,
                speaker: r.get(7)?,
                speaker_name: r.get(8)?,
                speaker_actor: r.get(9)?,
                doc_title: r.get(10)?,
                doc_date: r.get(11)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Places with mention counts, most mentioned first. `country` is the
    /// place's country; event filters select documents with such events.
    pub fn query_places(&self, f: &EventFilter) -> Result<Vec<PlaceRow>> {
        let g = EventFilter {
            country: None,
            ..f.clone()
        };
        let conn = self.conn();
        let mut w = doc_where(&g, true, Some(self.lookup(&conn)));
        if let Some(c) = &f.country {
            w.push("p.country = ?", [text(&c.trim().to_ascii_uppercase())]);
        }
        let sql = format!(
            "SELECT p.geonameid, p.name, p.country, avg(p.lat), avg(p.lon), COUNT(*), COUNT(DISTINCT p.doc_id)
             FROM places p JOIN documents d ON d.id = p.doc_id
             WHERE {} GROUP BY coalesce(p.geonameid, p.name) ORDER BY COUNT(*) DESC, p.name{}",
            w.sql(),
            limit_sql(f)
        );
        let mut st = conn.prepare_cached(&sql)?;
        let rows = st.query_map(params_from_iter(w.params.iter()), |r| {
            Ok(PlaceRow {
                geonameid: r.get(0)?,
                name: r.get(1)?,
                country: r.get(2)?,
                lat: r.get(3)?,
                lon: r.get(4)?,
                mentions: r.get::<_, i64>(5)? as u64,
                documents: r.get::<_, i64>(6)? as u64,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Documents, newest first. Event filters select documents with a
    /// matching event (an `actor` also matches a mention).
    pub fn query_documents(&self, f: &EventFilter) -> Result<Vec<DocumentRow>> {
        let conn = self.conn();
        let w = doc_where(f, true, Some(self.lookup(&conn)));
        let sql = format!(
            "SELECT {DOC_COLS} FROM documents d WHERE {} ORDER BY d.date DESC, d.id DESC{}",
            w.sql(),
            limit_sql(f)
        );
        let mut st = conn.prepare_cached(&sql)?;
        let rows = st.query_map(params_from_iter(w.params.iter()), doc_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Full-text search over titles and texts, best first (at most 100
    /// hits; see [`Store::search_page`]). Every word must occur.
    pub fn search(&self, text: &str) -> Result<Vec<SearchHit>> {
        self.search_page(text, 100, 0)
    }

    /// [`Store::search`] with paging.
    pub fn search_page(&self, text: &str, limit: usize, offset: usize) -> Result<Vec<SearchHit>> {
        let q = fts_query(text);
        if q.is_empty() {
            return Ok(Vec::new());
        }
        let conn = self.conn();
        let mut st = conn.prepare_cached(
            "SELECT d.id, d.key, d.title, d.date, d.url,
                    snippet(documents_fts, 1, '[', ']', '…', 16), bm25(documents_fts), d.duplicate_of
             FROM documents_fts JOIN documents d ON d.id = documents_fts.rowid
             WHERE documents_fts MATCH ?1 ORDER BY bm25(documents_fts) LIMIT ?2 OFFSET ?3",
        )?;
        let rows = st.query_map(rusqlite::params![q, limit as i64, offset as i64], |r| {
            Ok(SearchHit {
                id: r.get(0)?,
                key: r.get(1)?,
                title: r.get(2)?,
                date: r.get(3)?,
                url: r.get(4)?,
                snippet: r.get(5)?,
                rank: r.get(6)?,
                duplicate_of: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// One document with its full record (text and all layers, char
    /// offsets); each record event gains `store_id` and `cluster`.
    pub fn get_document(&self, id: i64) -> Result<Option<DocumentView>> {
        let conn = self.conn();
        let found = conn
            .query_row(
                &format!("SELECT {DOC_COLS}, d.text, d.record FROM documents d WHERE d.id = ?1"),
                [id],
                |r| {
                    Ok((
                        doc_row(r)?,
                        r.get::<_, String>(12)?,
                        r.get::<_, String>(13)?,
                    ))
                },
            )
            .optional()?;
        let Some((row, text, record)) = found else {
            return Ok(None);
        };
        let mut record: serde_json::Value = serde_json::from_str(&record)?;
        if let Some(a) = record.get_mut("article").and_then(|a| a.as_object_mut()) {
            a.insert("text".into(), text.into());
        }
        let mut st =
            conn.prepare_cached("SELECT idx, id, cluster FROM events WHERE doc_id = ?1")?;
        let ids = st.query_map([id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, Option<i64>>(2)?,
            ))
        })?;
        for x in ids {
            let (idx, eid, cluster) = x?;
            if let Some(ev) = record
                .get_mut("events")
                .and_then(|e| e.get_mut(idx as usize))
                .and_then(|e| e.as_object_mut())
            {
                ev.insert("store_id".into(), eid.into());
                ev.insert("cluster".into(), cluster.into());
            }
        }
        Ok(Some(DocumentView { row, record }))
    }

    /// The id of the document with this input key (path, JSONL or WARC id).
    pub fn document_id(&self, key: &str) -> Result<Option<i64>> {
        let conn = self.conn();
        Ok(conn
            .query_row("SELECT id FROM documents WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// Totals (all documents, duplicates included).
    pub fn stats(&self) -> Result<Stats> {
        let conn = self.conn();
        let one = |sql: &str| -> Result<u64> {
            Ok(conn.query_row(sql, [], |r| r.get::<_, i64>(0))? as u64)
        };
        Ok(Stats {
            documents: one("SELECT COUNT(*) FROM documents")?,
            duplicates: one("SELECT COUNT(*) FROM documents WHERE duplicate_of IS NOT NULL")?,
            errors: one("SELECT COUNT(*) FROM documents WHERE error IS NOT NULL")?,
            events: one("SELECT COUNT(*) FROM events")?,
            clusters: one("SELECT COUNT(DISTINCT cluster) FROM events WHERE cluster IS NOT NULL")?,
            mentions: one("SELECT COUNT(*) FROM mentions")?,
            quotes: one("SELECT COUNT(*) FROM quotes")?,
            numbers: one("SELECT COUNT(*) FROM numbers")?,
            places: one("SELECT COUNT(*) FROM places")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dyad_core::{ActorRef, Doc, Event, EventPlace, Source, Span};

    /// A store with a few hundred events over several actors, types,
    /// countries and days, and fresh planner statistics.
    fn store() -> Store {
        let s = Store::open_in_memory().unwrap();
        let countries = ["RUS", "SYR", "USA", "FRA", "TUR", "IRN"];
        let types = ["CONSULT", "AID", "ASSAULT", "ACCUSE"];
        for i in 0..60usize {
            let text = format!("Document {i} says that officials met for talks.");
            let mut d = Doc::from_clean_text(format!("d{i}"), Source::path(format!("d{i}")), text);
            let day = format!("2018-{:02}-{:02}", 1 + i % 12, 1 + i % 28);
            d.article.date = Some(day.clone());
            for j in 0..5usize {
                let a = |k: usize, sector: &str| ActorRef {
                    code: format!("{}{sector}", countries[k % countries.len()]),
                    text: "officials".into(),
                    start: 0,
                    end: 8,
                    name: None,
                };
                d.events.push(Event {
                    plover: types[(i + j) % types.len()].into(),
                    cameo: "040".into(),
                    source: Some(a(i + j, "GOV")),
                    target: Some(a(i + 2 * j + 1, "MIL")),
                    date: Some(day.clone()),
                    place: Some(EventPlace {
                        name: "Somewhere".into(),
                        country: Some(countries[(i * j) % countries.len()].into()),
                        lat: Some(1.0),
                        lon: Some(2.0),
                        ..Default::default()
                    }),
                    evidence: vec![Span::new(0, 8)],
                    rule: "test".into(),
                    ..Default::default()
                });
            }
            s.put_doc(&d).unwrap();
        }
        s.optimize().unwrap();
        s
    }

    fn plan(s: &Store, sql: &str, params: &[Value]) -> String {
        s.with_connection(|c| {
            let mut st = c.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
            let rows = st
                .query_map(params_from_iter(params.iter()), |r| r.get::<_, String>(3))
                .unwrap();
            rows.map(|r| r.unwrap()).collect::<Vec<_>>().join("\n")
        })
    }

    /// The common filters find their page of ids in a covering index:
    /// no full scan of the events table, no lookup of its rows.
    #[test]
    fn common_event_filters_use_covering_indexes() {
        let s = store();
        let base = EventFilter {
            limit: Some(100),
            ..Default::default()
        };
        let filters = [
            EventFilter {
                actor: Some("RUS".into()),
                ..base.clone()
            },
            EventFilter {
                source: Some("RUSGOV".into()),
                target: Some("SYR".into()),
                ..base.clone()
            },
            EventFilter {
                event_type: Some("CONSULT".into()),
                from: Some("2018-02".into()),
                to: Some("2018-06".into()),
                ..base.clone()
            },
            EventFilter {
                country: Some("SYR".into()),
                event_type: Some("AID".into()),
                ..base.clone()
            },
            EventFilter {
                actor: Some("USA".into()),
                country: Some("FRA".into()),
                include_duplicates: true,
                ..base.clone()
            },
            EventFilter {
                actor: Some("TURGOV".into()),
                from: Some("2018".into()),
                to: Some("2018-10".into()),
                limit: Some(5),
                offset: Some(5),
                ..base.clone()
            },
            EventFilter {
                text: Some("officials talks".into()),
                event_type: Some("AID".into()),
                ..base.clone()
            },
        ];
        for f in filters {
            let (sql, params) = s.with_connection(|c| events_page_sql(&f, Some(s.lookup(c))));
            let p = plan(&s, &sql, &params);
            assert!(p.contains("COVERING INDEX events_k_"), "{f:?}\n{p}");
            assert!(
                !p.lines().any(|l| l
                    .trim_start_matches(['|', '`', '-', ' '])
                    .starts_with("SCAN e")),
                "{f:?}\n{p}"
            );
            // An actor or country narrows more than a date range: its index
            // drives, not the date index.
            if f.actor.is_some() || f.country.is_some() || f.source.is_some() {
                assert!(!p.contains("events_k_day"), "{f:?}\n{p}");
            }
            // Branches that each walk their index in day order are merged
            // (no temporary b-tree of every match, stopping at the page).
            if f.country.is_some() && f.actor.is_none() {
                assert!(p.contains("MERGE (UNION)"), "{f:?}\n{p}");
                // (Only the page itself, 100 rows at most, is sorted.)
                assert_eq!(p.matches("TEMP B-TREE").count(), 1, "{f:?}\n{p}");
            }
            // Full text: a covering index tests membership in the FTS hits
            // (not a table lookup per event of every matching document).
            if f.text.is_some() {
                assert!(!p.contains("events_doc"), "{f:?}\n{p}");
            }
            // The page itself agrees with the filter.
            for e in s.query_events(&f).unwrap() {
                if let Some(a) = &f.actor {
                    let hit = |c: &Option<String>| {
                        c.as_deref().is_some_and(|c| c.starts_with(a.as_str()))
                    };
                    assert!(hit(&e.source_code) || hit(&e.target_code), "{e:?}");
                }
                if let Some(t) = &f.event_type {
                    assert_eq!(&e.plover, t);
                }
            }
        }
    }

    /// UNION branches return each matching event once, in order, and
    /// agree with the count and with a plain scan.
    #[test]
    fn union_branches_match_a_plain_scan() {
        let s = store();
        let all = s
            .query_events(&EventFilter {
                include_duplicates: true,
                ..Default::default()
            })
            .unwrap();
        for (actor, country) in [
            (Some("RUS"), None),
            (None, Some("SYR")),
            (Some("TUR"), Some("IRN")),
        ] {
            let f = EventFilter {
                actor: actor.map(String::from),
                country: country.map(String::from),
                ..Default::default()
            };
            let got: Vec<i64> = s.query_events(&f).unwrap().iter().map(|e| e.id).collect();
            let want: Vec<i64> = all
                .iter()
                .filter(|e| {
                    let code = |c: &Option<String>, p: &str| {
                        c.as_deref().is_some_and(|c| c.starts_with(p))
                    };
                    actor.is_none_or(|a| code(&e.source_code, a) || code(&e.target_code, a))
                        && country.is_none_or(|c| {
                            [&e.source_country, &e.target_country, &e.place_country]
                                .iter()
                                .any(|x| x.as_deref() == Some(c))
                        })
                })
                .map(|e| e.id)
                .collect();
            assert!(!want.is_empty());
            assert_eq!(got, want, "{f:?}");
            page_agrees(&s, &f, &want);
            assert_eq!(s.count_events(&f).unwrap(), want.len() as u64);
            // A capped count is exact up to its cap and says so.
            let n = want.len() as u64;
            for cap in [0, 1, n / 3, n - 1, n, n + 1, 10 * n] {
                let got = s.count_events_capped(&f, cap).unwrap();
                let expect = if n <= cap { (n, true) } else { (cap, false) };
                assert_eq!(got, expect, "{f:?} cap {cap}");
            }
            let by_type: u64 = s
                .count_by(&f, CountBy::Type)
                .unwrap()
                .iter()
                .map(|r| r.count)
                .sum();
            assert_eq!(by_type, want.len() as u64);
            let by_actor: u64 = s
                .count_by(&f, CountBy::Actor)
                .unwrap()
                .iter()
                .map(|r| r.count)
                .sum();
            assert_eq!(
                by_actor,
                2 * want.len() as u64,
                "source and target each count"
            );
        }
    }

    /// [`Store::events_page`] pages through `want` (the matching ids,
    /// newest first) and counts them exactly up to its cap.
    fn page_agrees(s: &Store, f: &EventFilter, want: &[i64]) {
        let n = want.len();
        for (offset, limit, cap) in [(0, 5, 1000), (0, 50, 1000), (3, 4, 6), (0, 2, 0), (n, 3, 1)] {
            let g = EventFilter {
                offset: Some(offset),
                limit: Some(limit),
                ..f.clone()
            };
            let p = s.events_page(&g, cap as u64).unwrap();
            let ids: Vec<i64> = p.items.iter().map(|e| e.id).collect();
            let expect: Vec<i64> = want.iter().copied().skip(offset).take(limit).collect();
            assert_eq!(ids, expect, "{g:?}");
            let cap = cap.max(offset + limit);
            let (total, exact) = if n <= cap {
                (n as u64, true)
            } else {
                (cap as u64, false)
            };
            assert_eq!((p.total, p.exact), (total, exact), "{g:?} cap {cap}");
        }
    }

    /// A document with one event per (source, target, day).
    fn put_events(s: &Store, key: &str, events: &[(&str, &str, &str)]) {
        let text = format!("Document {key} says that officials met for talks.");
        let mut d = Doc::from_clean_text(key, Source::path(key), text);
        for (src, tgt, day) in events {
            let a = |code: &str| ActorRef {
                code: code.into(),
                text: "Document".into(),
                start: 0,
                end: 8,
                name: None,
            };
            d.events.push(Event {
                plover: "CONSULT".into(),
                cameo: "040".into(),
                source: Some(a(src)),
                target: Some(a(tgt)),
                date: Some(day.to_string()),
                evidence: vec![Span::new(0, 9)],
                rule: "test".into(),
                ..Default::default()
            });
        }
        s.put_doc(&d).unwrap();
    }

    /// An actor code prefix becomes the codes present: each branch seeks
    /// its code and the date range in the side's index, the answer is that
    /// of a plain scan, and a code written later is found at once (the
    /// codes are looked up per query: nothing to invalidate).
    #[test]
    fn actor_prefixes_expand_into_the_codes_present() {
        let s = Store::open_in_memory().unwrap();
        let codes = ["RUSGOV", "RUSMIL", "RUSREB", "SYRGOV", "SYRMIL", "USAGOV"];
        let mut rows = Vec::new();
        for i in 0..240usize {
            let day = format!("2020-{:02}-{:02}", 1 + i % 12, 1 + i % 28);
            rows.push((
                codes[i % codes.len()],
                codes[(i + i / 6 + 1) % codes.len()],
                day,
            ));
        }
        for (k, chunk) in rows.chunks(10).enumerate() {
            let evs: Vec<(&str, &str, &str)> =
                chunk.iter().map(|(a, b, d)| (*a, *b, d.as_str())).collect();
            put_events(&s, &format!("doc{k}"), &evs);
        }
        s.optimize().unwrap();
        let all = s
            .query_events(&EventFilter {
                include_duplicates: true,
                ..Default::default()
            })
            .unwrap();
        let starts = |c: &Option<String>, p: &str| c.as_deref().is_some_and(|c| c.starts_with(p));
        let check = |s: &Store, all: &[EventRow], f: EventFilter| {
            let want: Vec<i64> = all
                .iter()
                .filter(|e| {
                    let a = f.actor.as_deref();
                    a.is_none_or(|a| starts(&e.source_code, a) || starts(&e.target_code, a))
                        && f.source
                            .as_deref()
                            .is_none_or(|a| starts(&e.source_code, a))
                        && f.target
                            .as_deref()
                            .is_none_or(|a| starts(&e.target_code, a))
                        && f.from
                            .as_deref()
                            .is_none_or(|d| e.day.as_deref() >= Some(d))
                        && f.to.as_deref().is_none_or(|d| e.day.as_deref() <= Some(d))
                })
                .map(|e| e.id)
                .collect();
            let got: Vec<i64> = s.query_events(&f).unwrap().iter().map(|e| e.id).collect();
            assert_eq!(got, want, "{f:?}");
            assert_eq!(s.count_events(&f).unwrap(), want.len() as u64, "{f:?}");
            let capped = s.count_events_capped(&f, 10).unwrap();
            let n = want.len() as u64;
            assert_eq!(
                capped,
                if n <= 10 { (n, true) } else { (10, false) },
                "{f:?}"
            );
            page_agrees(s, &f, &want);
            n
        };
        let dated = |actor: Option<&str>, source: Option<&str>| EventFilter {
            actor: actor.map(String::from),
            source: source.map(String::from),
            from: Some("2020-03-01".into()),
            to: Some("2020-08-31".into()),
            ..Default::default()
        };
        for (actor, source) in [
            (Some("RUS"), None),
            (Some("RU"), None),
            (Some("SYRGOV"), None),
            (None, Some("RUS")),
            (Some("SYR"), Some("RUS")),
            (Some("XYZ"), None),
        ] {
            let f = dated(actor, source);
            let n = check(&s, &all, f.clone());
            assert_eq!(n == 0, actor == Some("XYZ"), "{f:?}");
            let (sql, params) = s.with_connection(|c| events_page_sql(&f, Some(s.lookup(c))));
            let p = plan(&s, &sql, &params);
            // Every branch seeks a code and the date range in its index.
            assert!(
                p.contains("(source_code=? AND day>? AND day<?)")
                    || p.contains("(target_code=? AND day>? AND day<?)"),
                "{f:?}\n{p}"
            );
            assert!(!p.contains("source_code>?"), "{f:?}\n{p}");
            assert!(!p.contains("events_k_day"), "{f:?}\n{p}");
        }
        // "RUS" stands for three codes on each side: six branches.
        let f = dated(Some("RUS"), None);
        let (sql, _) = s.with_connection(|c| events_page_sql(&f, Some(s.lookup(c))));
        assert_eq!(sql.matches("INDEXED BY").count(), 6, "{sql}");
        // A source and a target prefix do not multiply into branches: each
        // is one list of its codes.
        let g = EventFilter {
            actor: None,
            source: Some("RUS".into()),
            target: Some("SYR".into()),
            ..f.clone()
        };
        let (sql, _) = s.with_connection(|c| events_page_sql(&g, Some(s.lookup(c))));
        assert_eq!(sql.matches("SELECT").count(), 2, "{sql}");
        assert!(sql.contains("e.source_code IN (?, ?, ?)"), "{sql}");
        // A code written later is found by the very next query.
        put_events(&s, "late", &[("RUSNAV", "USAGOV", "2020-05-05")]);
        let all = s
            .query_events(&EventFilter {
                include_duplicates: true,
                ..Default::default()
            })
            .unwrap();
        let got = s.query_events(&dated(Some("RUSN"), None)).unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].source_code.as_deref(), Some("RUSNAV"));
        check(&s, &all, dated(Some("RUS"), None));
        // So is one written by another connection (another process).
        let dir = tempfile::tempdir().unwrap();
        let a = Store::open(dir.path().join("s.db")).unwrap();
        let b = a.reopen().unwrap();
        put_events(&a, "first", &[("RUSGOV", "USAGOV", "2020-05-05")]);
        assert_eq!(a.query_events(&dated(Some("RUS"), None)).unwrap().len(), 1);
        put_events(&b, "second", &[("RUSNAV", "USAGOV", "2020-05-06")]);
        let got = a.events_page(&dated(Some("RUS"), None), 1000).unwrap();
        assert_eq!((got.items.len(), got.total), (2, 2));
        assert_eq!(got.items[0].source_code.as_deref(), Some("RUSNAV"));
        // A prefix standing for more codes than are expanded stays a range,
        // with the same answer.
        let many: Vec<String> = (0..MAX_PREFIX_CODES + 3)
            .map(|i| format!("FRA{i:03}"))
            .collect();
        let evs: Vec<(&str, &str, &str)> = many
            .iter()
            .map(|c| (c.as_str(), "SYRGOV", "2020-06-01"))
            .collect();
        put_events(&s, "many", &evs);
        let all = s
            .query_events(&EventFilter {
                include_duplicates: true,
                ..Default::default()
            })
            .unwrap();
        let f = dated(Some("FRA"), None);
        assert_eq!(check(&s, &all, f.clone()), many.len() as u64);
        let (sql, _) = s.with_connection(|c| events_page_sql(&f, Some(s.lookup(c))));
        assert!(sql.contains("source_code >= ?"), "{sql}");
    }
}
