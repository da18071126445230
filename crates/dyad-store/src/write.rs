//! Turning a coded `Doc` into rows, and writing them. The expensive part
//! (offset conversion, JSON, fingerprint) is [`PreparedDoc::new`], which
//! ingest runs on the worker threads; the writer thread only runs SQL.

use crate::dedup;
use crate::{Result, WriteOutcome};
use dyad_core::{CharIndex, Doc, Input};
use rusqlite::{params, OptionalExtension, Transaction};
use xxhash_rust::xxh3::xxh3_128;

/// Hash identifying a document's input, taken before the pipeline runs
/// (the pipeline drops the raw input). Unchanged hash = unchanged document.
pub fn content_hash(doc: &Doc) -> String {
    let mut buf: Vec<u8> = Vec::with_capacity(doc.input.bytes.len() + 64);
    buf.extend_from_slice(&doc.input.bytes);
    buf.push(0);
    if let Some(d) = &doc.input.decoded {
        buf.extend_from_slice(d.as_bytes());
    } else if doc.input.bytes.is_empty() {
        // Built without input (tests, already-coded docs): the text stands for it.
        buf.extend_from_slice(doc.article.text.as_bytes());
    }
    buf.push(0);
    buf.push(doc.input.clean as u8);
    buf.extend_from_slice(doc.date_hint.as_deref().unwrap_or("").as_bytes());
    buf.push(0);
    if let Some(e) = &doc.error {
        buf.extend_from_slice(e.message.as_bytes());
    }
    format!("{:032x}", xxh3_128(&buf))
}

/// A document ready to be written: everything computed but the SQL.
#[derive(Debug, Clone)]
pub struct PreparedDoc {
    pub key: String,
    pub content_hash: String,
    /// The document with every offset converted to char offsets.
    doc: Doc,
    record: String,
    source: String,
    minhash: Option<dedup::Signature>,
    text_hash: Option<String>,
}

impl PreparedDoc {
    /// Prepares a coded document. `content_hash` is [`content_hash`] of
    /// the document as read (before the pipeline dropped its input).
    pub fn new(doc: &Doc, content_hash: String) -> Result<Self> {
        let mut record = doc.to_record();
        if let Some(a) = record.get_mut("article").and_then(|a| a.as_object_mut()) {
            // The text lives in its own column (full-text index); get_document puts it back.
            a.remove("text");
        }
        let mut d = doc.clone();
        d.input = Input::default();
        d.tokens.clear();
        let idx = CharIndex::new(&d.article.text);
        d.map_offsets(&mut |o: &mut usize| *o = idx.char_of(*o));
        let ok = doc.error.is_none() && !doc.text().trim().is_empty();
        Ok(PreparedDoc {
            key: doc.id.clone(),
            content_hash,
            minhash: if ok {
                dedup::signature(doc.text())
            } else {
                None
            },
            text_hash: ok.then(|| dedup::text_hash(doc.text())),
            record: serde_json::to_string(&record)?,
            source: serde_json::to_string(&doc.source)?,
            doc: d,
        })
    }
}

/// ISO3 country of an actor code (`RUSGOV` → `RUS`); IGOs and unknown
/// codes have none.
pub(crate) fn country_of(code: &str) -> Option<String> {
    let c = code.get(..3)?;
    if c.chars().all(|ch| ch.is_ascii_uppercase())
        && !matches!(c, "IGO" | "NGO" | "MNC" | "UNK" | "XXX")
    {
        Some(c.to_string())
    } else {
        None
    }
}

/// Writes one prepared document inside `tx`. Unchanged documents are
/// left alone; a changed one keeps its id and has all rows replaced.
pub(crate) fn write_doc(tx: &Transaction, p: &PreparedDoc, force: bool) -> Result<WriteOutcome> {
    let existing: Option<(i64, String)> = tx
        .query_row(
            "SELECT id, content_hash FROM documents WHERE key = ?1",
            [&p.key],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    if let Some((_, h)) = &existing {
        if *h == p.content_hash && !force {
            return Ok(WriteOutcome::Unchanged);
        }
    }
    let d = &p.doc;
    let a = &d.article;
    let err = d
        .error
        .as_ref()
        .map(|e| format!("{}: {}", e.stage, e.message));
    let sig = p.minhash.as_deref().map(dedup::to_blob);
    let doc_id =
        match existing {
            Some((id, _)) => {
                for t in [
                    "events",
                    "mentions",
                    "quotes",
                    "numbers",
                    "places",
                    "doc_bands",
                ] {
                    tx.execute(&format!("DELETE FROM {t} WHERE doc_id = ?1"), [id])?;
                }
                tx.execute(
                "UPDATE documents SET source=?2, title=?3, url=?4, site=?5, date=?6, language=?7,
                 text=?8, record=?9, content_hash=?10, minhash=?11,
                 text_hash=?12, duplicate_of=NULL, error=?13, n_events=?14, n_quotes=?15,
                 ingested_at=strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id=?1",
                params![
                    id, p.source, a.title, a.url, a.site, d.date(), a.language, a.text, p.record,
                    p.content_hash, sig, p.text_hash, err,
                    d.events.len() as i64, d.quotes.len() as i64
                ],
            )?;
                id
            }
            None => {
                tx.execute(
                "INSERT INTO documents (key, source, title, url, site, date, language, text, record,
                 content_hash, minhash, text_hash, error, n_events, n_quotes)
                 VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15)",
                params![
                    p.key, p.source, a.title, a.url, a.site, d.date(), a.language, a.text, p.record,
                    p.content_hash, sig, p.text_hash, err,
                    d.events.len() as i64, d.quotes.len() as i64
                ],
            )?;
                tx.last_insert_rowid()
            }
        };
    let dup = find_original(tx, doc_id, p)?;
    if dup.is_some() {
        tx.execute(
            "UPDATE documents SET duplicate_of=?2 WHERE id=?1",
            params![doc_id, dup],
        )?;
    }
    write_layers(tx, doc_id, d, dup.is_some())?;
    Ok(if existing.is_some() {
        WriteOutcome::Replaced
    } else {
        WriteOutcome::Inserted
    })
}

/// The earliest non-duplicate document this one nearly copies; also
/// records this document's LSH bands.
fn find_original(tx: &Transaction, id: i64, p: &PreparedDoc) -> Result<Option<i64>> {
    let mut found = None;
    if let Some(sig) = &p.minhash {
        let bands = dedup::bands(sig);
        let mut cand = tx.prepare_cached(
            "SELECT DISTINCT b.doc_id, d.minhash FROM doc_bands b JOIN documents d ON d.id = b.doc_id
             WHERE b.band = ?1 AND b.doc_id < ?2 AND d.duplicate_of IS NULL",
        )?;
        let mut best: Option<i64> = None;
        for band in &bands {
            let mut rows = cand.query(params![band, id])?;
            while let Some(r) = rows.next()? {
                let (cid, blob): (i64, Vec<u8>) = (r.get(0)?, r.get(1)?);
                if best.is_some_and(|b| b <= cid) {
                    continue;
                }
                if dedup::similarity(sig, &dedup::from_blob(&blob)) >= dedup::MIN_SIMILARITY {
                    best = Some(cid);
                }
            }
        }
        found = best;
        let mut ins = tx.prepare_cached("INSERT INTO doc_bands (band, doc_id) VALUES (?1, ?2)")?;
        for band in bands {
            ins.execute(params![band, id])?;
        }
    }
    if found.is_none() {
        if let Some(th) = &p.text_hash {
            let mut st = tx.prepare_cached(
                "SELECT id FROM documents WHERE text_hash=?1 AND id<?2 AND duplicate_of IS NULL ORDER BY id LIMIT 1",
            )?;
            found = st.query_row(params![th, id], |r| r.get(0)).optional()?;
        }
    }
    Ok(found)
}

fn write_layers(tx: &Transaction, doc_id: i64, d: &Doc, duplicate: bool) -> Result<()> {
    let doc_date = d.date().map(str::to_string);
    let mut ev = tx.prepare_cached(
        "INSERT INTO events (doc_id, idx, plover, mode, cameo,
          source_code, source_text, source_name, source_country, source_start, source_end,
          target_code, target_text, target_name, target_country, target_start, target_end,
          date, day, place_name, place_geonameid, place_country, place_lat, place_lon,
          flags, evidence, rule, cluster_key, duplicate)
         VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21,?22,?23,?24,?25,?26,?27,?28,?29)",
    )?;
    let mut first_of_cluster =
        tx.prepare_cached("SELECT MIN(id) FROM events WHERE cluster_key=?1")?;
    let mut set_cluster = tx.prepare_cached("UPDATE events SET cluster=?2 WHERE id=?1")?;
    for (i, e) in d.events.iter().enumerate() {
        let s = e.source.as_ref();
        let t = e.target.as_ref();
        // The row's offsets are body offsets (the reader highlights them).
        // An event only the title or standfirst reports has none; its
        // spans stay in the document record (`Event::field`).
        let in_body = e.field.is_none();
        let body_span = |a: Option<&dyad_core::ActorRef>| {
            a.filter(|_| in_body)
                .map(|a| (a.start as i64, a.end as i64))
        };
        let day = e.date.clone().or_else(|| doc_date.clone());
        let flags: Vec<String> = e
            .flags
            .iter()
            .map(|f| {
                serde_json::to_value(f)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default()
            })
            .collect();
        let evidence = if in_body {
            serde_json::to_string(&e.evidence)?
        } else {
            "[]".to_string()
        };
        // Same type, actor pair and (day-precise) date = the same real event.
        let cluster_key = match (s, &day) {
            (Some(s), Some(day)) if day.len() == 10 => Some(format!(
                "{}|{}|{}|{}",
                e.plover,
                s.code,
                t.map(|t| t.code.as_str()).unwrap_or("-"),
                day
            )),
            _ => None,
        };
        let p = e.place.as_ref();
        ev.execute(params![
            doc_id,
            i as i64,
            e.plover,
            e.mode,
            e.cameo,
            s.map(|a| &a.code),
            s.map(|a| &a.text),
            s.and_then(|a| a.name.as_ref()),
            s.and_then(|a| country_of(&a.code)),
            body_span(s).map(|x| x.0),
            body_span(s).map(|x| x.1),
            t.map(|a| &a.code),
            t.map(|a| &a.text),
            t.and_then(|a| a.name.as_ref()),
            t.and_then(|a| country_of(&a.code)),
            body_span(t).map(|x| x.0),
            body_span(t).map(|x| x.1),
            e.date,
            day,
            p.map(|p| &p.name),
            p.and_then(|p| p.geonameid.map(|g| g as i64)),
            p.and_then(|p| p.country.as_ref()),
            p.and_then(|p| p.lat),
            p.and_then(|p| p.lon),
            flags.join(","),
            evidence,
            e.rule,
            cluster_key,
            duplicate as i64,
        ])?;
        let id = tx.last_insert_rowid();
        if let Some(k) = &cluster_key {
            let first: Option<i64> = first_of_cluster.query_row([k], |r| r.get(0))?;
            set_cluster.execute(params![id, first.unwrap_or(id)])?;
        }
    }
    let mut m = tx.prepare_cached(
        "INSERT INTO mentions (doc_id, start, end, text, label, actor, canonical, chain) VALUES (?1,?2,?3,?4,?5,?6,?7,?8)",
    )?;
    for e in &d.entities {
        m.execute(params![
            doc_id,
            e.start as i64,
            e.end as i64,
            e.text,
            e.label,
            e.actor,
            e.canonical,
            e.chain.map(|c| c as i64)
        ])?;
    }
    let mut q = tx.prepare_cached(
        "INSERT INTO quotes (doc_id, kind, content, content_start, content_end, cue, cue_start, cue_end,
          speaker, speaker_start, speaker_end, speaker_name, speaker_actor)
         VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13)",
    )?;
    for x in &d.quotes {
        let c = x.cue.as_ref();
        let s = x.speaker.as_ref();
        q.execute(params![
            doc_id,
            x.kind,
            x.content.text,
            x.content.start as i64,
            x.content.end as i64,
            c.map(|c| &c.text),
            c.map(|c| c.start as i64),
            c.map(|c| c.end as i64),
            s.map(|s| &s.text),
            s.map(|s| s.start as i64),
            s.map(|s| s.end as i64),
            s.and_then(|s| s.name.as_ref()),
            s.and_then(|s| s.actor.as_ref()),
        ])?;
    }
    let mut n = tx.prepare_cached(
        "INSERT INTO numbers (doc_id, text, start, end, value, unit, head, category) VALUES (?1,?2,?3,?4,?5,?6,?7,?8)",
    )?;
    for x in &d.numbers {
        n.execute(params![
            doc_id,
            x.text,
            x.start as i64,
            x.end as i64,
            x.value,
            x.unit,
            x.head,
            x.category
        ])?;
    }
    let mut pl = tx.prepare_cached(
        "INSERT INTO places (doc_id, text, start, end, geonameid, name, country, lat, lon, feature_class)
         VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)",
    )?;
    for x in &d.places {
        pl.execute(params![
            doc_id,
            x.text,
            x.start as i64,
            x.end as i64,
            x.geonameid.map(|g| g as i64),
            x.name,
            x.country,
            x.lat,
            x.lon,
            x.feature_class
        ])?;
    }
    Ok(())
}
