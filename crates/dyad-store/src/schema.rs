//! Versioned schema migrations. `PRAGMA user_version` holds the version;
//! each migration runs in its own transaction, so a store is always at
//! exactly one version. Add a new migration at the end; never edit an old one.

use crate::{Error, Result};
use rusqlite::Connection;

/// Migrations in order; index + 1 is the version they bring the store to.
const MIGRATIONS: &[&str] = &[
    // 1: the initial schema.
    r#"
CREATE TABLE documents (
    id            INTEGER PRIMARY KEY,
    key           TEXT NOT NULL UNIQUE,
    source        TEXT NOT NULL,
    title         TEXT,
    url           TEXT,
    site          TEXT,
    date          TEXT,
    language      TEXT,
    text          TEXT NOT NULL DEFAULT '',
    record        TEXT NOT NULL,
    content_hash  TEXT NOT NULL,
    minhash       BLOB,
    text_hash     TEXT,
    duplicate_of  INTEGER,
    error         TEXT,
    n_events      INTEGER NOT NULL DEFAULT 0,
    n_quotes      INTEGER NOT NULL DEFAULT 0,
    ingested_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
);
CREATE INDEX documents_date ON documents(date);
CREATE INDEX documents_dup ON documents(duplicate_of);
-- LSH bands of each document's MinHash signature (see dedup.rs).
CREATE TABLE doc_bands (band INTEGER NOT NULL, doc_id INTEGER NOT NULL);
CREATE INDEX doc_bands_band ON doc_bands(band);
CREATE INDEX doc_bands_doc ON doc_bands(doc_id);
CREATE INDEX documents_text_hash ON documents(text_hash);

CREATE VIRTUAL TABLE documents_fts USING fts5(
    title, text, content='documents', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER documents_ai AFTER INSERT ON documents BEGIN
    INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, coalesce(new.title, ''), new.text);
END;
CREATE TRIGGER documents_ad AFTER DELETE ON documents BEGIN
    INSERT INTO documents_fts(documents_fts, rowid, title, text)
        VALUES ('delete', old.id, coalesce(old.title, ''), old.text);
END;
CREATE TRIGGER documents_au AFTER UPDATE OF title, text ON documents BEGIN
    INSERT INTO documents_fts(documents_fts, rowid, title, text)
        VALUES ('delete', old.id, coalesce(old.title, ''), old.text);
    INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, coalesce(new.title, ''), new.text);
END;

CREATE TABLE events (
    id              INTEGER PRIMARY KEY,
    doc_id          INTEGER NOT NULL,
    idx             INTEGER NOT NULL,
    plover          TEXT NOT NULL,
    mode            TEXT,
    cameo           TEXT NOT NULL,
    source_code     TEXT, source_text TEXT, source_name TEXT, source_country TEXT,
    source_start    INTEGER, source_end INTEGER,
    target_code     TEXT, target_text TEXT, target_name TEXT, target_country TEXT,
    target_start    INTEGER, target_end INTEGER,
    date            TEXT,
    day             TEXT,
    place_name      TEXT, place_geonameid INTEGER, place_country TEXT,
    place_lat       REAL, place_lon REAL,
    flags           TEXT NOT NULL DEFAULT '',
    evidence        TEXT NOT NULL DEFAULT '[]',
    rule            TEXT NOT NULL DEFAULT '',
    cluster_key     TEXT,
    cluster         INTEGER,
    duplicate       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX events_doc ON events(doc_id);
CREATE INDEX events_day ON events(day);
CREATE INDEX events_type_day ON events(plover, day);
CREATE INDEX events_cameo ON events(cameo);
CREATE INDEX events_source_day ON events(source_code, day);
CREATE INDEX events_target_day ON events(target_code, day);
CREATE INDEX events_source_country ON events(source_country, day);
CREATE INDEX events_target_country ON events(target_country, day);
CREATE INDEX events_place_country ON events(place_country, day);
CREATE INDEX events_cluster_key ON events(cluster_key);

CREATE TABLE mentions (
    id INTEGER PRIMARY KEY, doc_id INTEGER NOT NULL,
    start INTEGER NOT NULL, end INTEGER NOT NULL,
    text TEXT NOT NULL, label TEXT NOT NULL, actor TEXT, canonical TEXT, chain INTEGER
);
CREATE INDEX mentions_doc ON mentions(doc_id);
CREATE INDEX mentions_actor ON mentions(actor);

CREATE TABLE quotes (
    id INTEGER PRIMARY KEY, doc_id INTEGER NOT NULL, kind TEXT NOT NULL,
    content TEXT NOT NULL, content_start INTEGER NOT NULL, content_end INTEGER NOT NULL,
    cue TEXT, cue_start INTEGER, cue_end INTEGER,
    speaker TEXT, speaker_start INTEGER, speaker_end INTEGER,
    speaker_name TEXT, speaker_actor TEXT
);
CREATE INDEX quotes_doc ON quotes(doc_id);
CREATE INDEX quotes_speaker_actor ON quotes(speaker_actor);

CREATE TABLE numbers (
    id INTEGER PRIMARY KEY, doc_id INTEGER NOT NULL,
    text TEXT NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,
    value REAL NOT NULL, unit TEXT, head TEXT, category TEXT NOT NULL
);
CREATE INDEX numbers_doc ON numbers(doc_id);
CREATE INDEX numbers_category ON numbers(category);

CREATE TABLE places (
    id INTEGER PRIMARY KEY, doc_id INTEGER NOT NULL,
    text TEXT NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,
    geonameid INTEGER, name TEXT NOT NULL, country TEXT,
    lat REAL NOT NULL, lon REAL NOT NULL, feature_class TEXT
);
CREATE INDEX places_doc ON places(doc_id);
CREATE INDEX places_geonameid ON places(geonameid);
CREATE INDEX places_country ON places(country);
"#,
    // 2: covering indexes for event filters. Each leads with one filter
    // column and carries every other filter column, so a page of event ids
    // for any combination of filters is found in one index without reading
    // the table (which costs a random read per candidate row); an OR over
    // columns is run as a UNION of such index searches (see query.rs).
    // They replace the two-column indexes of version 1.
    r#"
DROP INDEX events_day;
DROP INDEX events_type_day;
DROP INDEX events_source_day;
DROP INDEX events_target_day;
DROP INDEX events_source_country;
DROP INDEX events_target_country;
DROP INDEX events_place_country;
CREATE INDEX events_k_day ON events(day, id, duplicate, plover, cameo, source_code, target_code,
    source_country, target_country, place_country, doc_id, cluster);
CREATE INDEX events_k_type ON events(plover, day, id, duplicate, cameo, source_code, target_code,
    source_country, target_country, place_country, doc_id, cluster);
CREATE INDEX events_k_source ON events(source_code, day, id, duplicate, plover, cameo, target_code,
    source_country, target_country, place_country, doc_id, cluster);
CREATE INDEX events_k_target ON events(target_code, day, id, duplicate, plover, cameo, source_code,
    source_country, target_country, place_country, doc_id, cluster);
CREATE INDEX events_k_source_country ON events(source_country, day, id, duplicate, plover, cameo,
    source_code, target_code, target_country, place_country, doc_id, cluster);
CREATE INDEX events_k_target_country ON events(target_country, day, id, duplicate, plover, cameo,
    source_code, target_code, source_country, place_country, doc_id, cluster);
CREATE INDEX events_k_place_country ON events(place_country, day, id, duplicate, plover, cameo,
    source_code, target_code, source_country, target_country, doc_id, cluster);
CREATE INDEX documents_nd_date ON documents(date) WHERE duplicate_of IS NULL;
"#,
    // 3: the map's aggregate of events by place, from an index alone (the
    // table rows are wide: evidence, texts).
    r#"
CREATE INDEX events_k_place ON events(duplicate, place_geonameid, place_name, place_country,
    place_lat, place_lon);
"#,
];

/// The schema version this build writes.
pub const VERSION: i64 = MIGRATIONS.len() as i64;

/// Brings the store up to [`VERSION`]. Refuses a store written by a newer dyad.
pub fn migrate(conn: &mut Connection) -> Result<()> {
    let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if found > VERSION {
        return Err(Error::Version {
            found,
            supported: VERSION,
        });
    }
    // Each step takes the write lock first and re-reads the version, so two
    // processes opening a fresh store at once do not both migrate it.
    loop {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let v: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if v >= VERSION {
            tx.commit()?;
            break;
        }
        tx.execute_batch(MIGRATIONS[v as usize])?;
        tx.pragma_update(None, "user_version", v + 1)?;
        tx.commit()?;
    }
    Ok(())
}
