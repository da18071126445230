//! Exports: events as CSV or GDELT-style TSV, documents as JSONL records.
//!
//! # GDELT 2.0 event table (`dyad export --format gdelt`)
//!
//! One tab-separated line per event with the 61 columns of the GDELT 2.0
//! event table, in GDELT's order, no header (as GDELT ships it). What dyad
//! fills, and how:
//!
//! | columns | filled with |
//! |---|---|
//! | GLOBALEVENTID | the store's event id |
//! | SQLDATE, MonthYear, Year, FractionDate | the event day (else the document date); a month- or year-precise date is padded with `01` |
//! | Actor1Code / Actor2Code | source / target actor code (`RUSGOV`: ISO3 country + sector, the CAMEO actor layout) |
//! | Actor*Name | the actor's canonical name, else its text, upper-cased |
//! | Actor*CountryCode | the code's ISO3 country (empty for IGOs) |
//! | Actor*Type1Code | the code's sector (`GOV`, `MIL`, ...); IGO codes give `IGO` |
//! | EventCode, EventBaseCode, EventRootCode | the CAMEO code, its first 3 and first 2 digits |
//! | QuadClass | from the root code: 01-05 → 1, 06-08 → 2, 09-13 → 3, 14-20 → 4 |
//! | NumMentions | evidence spans of the event in its document |
//! | NumSources, NumArticles | distinct sites / documents reporting the event's cluster (same type, dyad, day); 1 for an unclustered event |
//! | ActionGeo_* | the event place: Type 4 ("world city") when it has coordinates, else empty; FullName, CountryCode (**ISO3**, not GDELT's FIPS 10-4), Lat, Long, FeatureID (**GeoNames id**, not GNS) |
//! | DATEADDED | when the document was ingested (`YYYYMMDDHHMMSS`, UTC) |
//! | SOURCEURL | the article URL, else the input path or id |
//!
//! Left empty (dyad does not code them): Actor*KnownGroupCode,
//! Actor*EthnicCode, Actor*Religion*Code, Actor*Type2Code/Type3Code,
//! IsRootEvent, GoldsteinScale, AvgTone, Actor1Geo_* and Actor2Geo_*,
//! ActionGeo_ADM1Code/ADM2Code.
//!
//! Events of near-duplicate documents are left out unless the filter
//! says `include_duplicates`.

use crate::{EventFilter, EventRow, Result, Store};
use std::collections::HashMap;
use std::io::Write;

/// Column names of the CSV export, in order.
pub const CSV_COLUMNS: &[&str] = &[
    "id",
    "doc_id",
    "day",
    "date",
    "plover",
    "mode",
    "cameo",
    "source_code",
    "source_name",
    "source_text",
    "source_country",
    "target_code",
    "target_name",
    "target_text",
    "target_country",
    "place_name",
    "place_geonameid",
    "place_country",
    "place_lat",
    "place_lon",
    "flags",
    "rule",
    "cluster",
    "duplicate",
    "evidence",
    "doc_title",
    "doc_url",
    "doc_date",
];

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(|x| x.to_string()).unwrap_or_default()
}

fn csv_values(e: &EventRow) -> Vec<String> {
    let ev = e
        .evidence
        .iter()
        .map(|s| format!("{}-{}", s.start, s.end))
        .collect::<Vec<_>>()
        .join(" ");
    vec![
        e.id.to_string(),
        e.doc_id.to_string(),
        opt(&e.day),
        opt(&e.date),
        e.plover.clone(),
        opt(&e.mode),
        e.cameo.clone(),
        opt(&e.source_code),
        opt(&e.source_name),
        opt(&e.source_text),
        opt(&e.source_country),
        opt(&e.target_code),
        opt(&e.target_name),
        opt(&e.target_text),
        opt(&e.target_country),
        opt(&e.place_name),
        opt(&e.place_geonameid),
        opt(&e.place_country),
        opt(&e.place_lat),
        opt(&e.place_lon),
        e.flags.join(","),
        e.rule.clone(),
        opt(&e.cluster),
        (e.duplicate as u8).to_string(),
        ev,
        opt(&e.doc_title),
        opt(&e.doc_url),
        opt(&e.doc_date),
    ]
}

/// Events as CSV (header + one row per event; evidence as `start-end` char spans).
pub fn events_csv(store: &Store, f: &EventFilter, out: &mut dyn Write) -> Result<u64> {
    writeln!(out, "{}", CSV_COLUMNS.join(","))?;
    let mut n = 0;
    store.for_each_event(f, |e| {
        let line = csv_values(&e)
            .iter()
            .map(|v| csv_field(v))
            .collect::<Vec<_>>()
            .join(",");
        writeln!(out, "{line}")?;
        n += 1;
        Ok(())
    })?;
    Ok(n)
}

/// Events as JSON lines ([`EventRow`] objects).
pub fn events_jsonl(store: &Store, f: &EventFilter, out: &mut dyn Write) -> Result<u64> {
    let mut n = 0;
    store.for_each_event(f, |e| {
        serde_json::to_writer(&mut *out, &e)?;
        writeln!(out)?;
        n += 1;
        Ok(())
    })?;
    Ok(n)
}

/// Documents as JSON lines: each the full output record (text, every
/// layer, char offsets) plus `store`: `{id, duplicate_of}`.
pub fn documents_jsonl(store: &Store, f: &EventFilter, out: &mut dyn Write) -> Result<u64> {
    let docs = store.query_documents(f)?;
    let mut n = 0;
    for d in docs.iter().rev() {
        if let Some(mut v) = store.get_document(d.id)? {
            if let Some(o) = v.record.as_object_mut() {
                o.insert(
                    "store".into(),
                    serde_json::json!({"id": d.id, "duplicate_of": d.duplicate_of}),
                );
            }
            serde_json::to_writer(&mut *out, &v.record)?;
            writeln!(out)?;
            n += 1;
        }
    }
    Ok(n)
}

/// QuadClass from a CAMEO root code.
pub fn quad_class(cameo: &str) -> Option<u8> {
    let root: u8 = cameo.get(..2)?.parse().ok()?;
    Some(match root {
        1..=5 => 1,
        6..=8 => 2,
        9..=13 => 3,
        14..=20 => 4,
        _ => return None,
    })
}

/// `YYYY[-MM[-DD]]` → (SQLDATE, MonthYear, Year, FractionDate).
fn gdelt_dates(day: &str) -> Option<(String, String, String, String)> {
    let y: u32 = day.get(..4)?.parse().ok()?;
    let m: u32 = day.get(5..7).and_then(|s| s.parse().ok()).unwrap_or(1);
    let d: u32 = day.get(8..10).and_then(|s| s.parse().ok()).unwrap_or(1);
    const CUM: [u32; 12] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
    let doy = CUM[(m.clamp(1, 12) - 1) as usize] + d;
    Some((
        format!("{y:04}{m:02}{d:02}"),
        format!("{y:04}{m:02}"),
        format!("{y:04}"),
        format!("{:.4}", y as f64 + doy as f64 / 365.0),
    ))
}

fn gdelt_actor(
    code: &Option<String>,
    name: &Option<String>,
    text: &Option<String>,
    country: &Option<String>,
) -> Vec<String> {
    let mut v = vec![String::new(); 10];
    if let Some(c) = code {
        v[0] = c.clone();
        v[1] = name
            .clone()
            .or_else(|| text.clone())
            .unwrap_or_default()
            .to_uppercase();
        v[2] = opt(country);
        // Type1: the sector after the country (RUSGOV → GOV), or IGO itself.
        v[7] = if c.starts_with("IGO") {
            "IGO".into()
        } else if country.is_some() {
            c.get(3..6).unwrap_or("").to_string()
        } else {
            c.get(..3).unwrap_or("").to_string()
        };
    }
    v
}

/// Events as GDELT 2.0 event table lines (see the module docs).
pub fn events_gdelt(store: &Store, f: &EventFilter, out: &mut dyn Write) -> Result<u64> {
    // Cluster sizes (articles, sites), counted without duplicates.
    let mut clusters: HashMap<i64, (u64, u64)> = HashMap::new();
    store.with_connection(|c| -> Result<()> {
        let mut st = c.prepare(
            "SELECT e.cluster, COUNT(DISTINCT e.doc_id), COUNT(DISTINCT coalesce(d.site, d.url, d.id))
             FROM events e JOIN documents d ON d.id = e.doc_id
             WHERE e.cluster IS NOT NULL AND e.duplicate = 0 GROUP BY e.cluster",
        )?;
        let rows = st.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, i64>(2)?)))?;
        for r in rows {
            let (k, a, s) = r?;
            clusters.insert(k, (a as u64, s as u64));
        }
        Ok(())
    })?;
    let mut n = 0;
    store.for_each_event_ext(f, |e, added, url| {
        let mut c: Vec<String> = Vec::with_capacity(61);
        c.push(e.id.to_string());
        match e.day.as_deref().and_then(gdelt_dates) {
            Some((a, b, y, fr)) => c.extend([a, b, y, fr]),
            None => c.extend(std::iter::repeat_n(String::new(), 4)),
        }
        c.extend(gdelt_actor(
            &e.source_code,
            &e.source_name,
            &e.source_text,
            &e.source_country,
        ));
        c.extend(gdelt_actor(
            &e.target_code,
            &e.target_name,
            &e.target_text,
            &e.target_country,
        ));
        c.push(String::new()); // IsRootEvent
        c.push(e.cameo.clone());
        c.push(e.cameo.get(..3).unwrap_or(&e.cameo).to_string());
        c.push(e.cameo.get(..2).unwrap_or(&e.cameo).to_string());
        c.push(opt(&quad_class(&e.cameo)));
        c.push(String::new()); // GoldsteinScale
        let (articles, sources) = e
            .cluster
            .and_then(|k| clusters.get(&k).copied())
            .unwrap_or((1, 1));
        c.push(e.evidence.len().max(1).to_string());
        c.push(sources.to_string());
        c.push(articles.to_string());
        c.push(String::new()); // AvgTone
        c.extend(std::iter::repeat_n(String::new(), 16)); // Actor1Geo_*, Actor2Geo_*
        let has_geo = e.place_lat.is_some() && e.place_lon.is_some();
        if e.place_name.is_some() {
            c.push(if has_geo { "4".into() } else { String::new() });
            c.push(opt(&e.place_name));
            c.push(opt(&e.place_country));
            c.push(String::new());
            c.push(String::new());
            c.push(opt(&e.place_lat));
            c.push(opt(&e.place_lon));
            c.push(opt(&e.place_geonameid));
        } else {
            c.extend(std::iter::repeat_n(String::new(), 8));
        }
        c.push(added.chars().filter(|ch| ch.is_ascii_digit()).collect());
        c.push(url);
        debug_assert_eq!(c.len(), 61);
        let line = c
            .iter()
            .map(|v| v.replace(['\t', '\n', '\r'], " "))
            .collect::<Vec<_>>()
            .join("\t");
        writeln!(out, "{line}")?;
        n += 1;
        Ok(())
    })?;
    Ok(n)
}

/// Events as Parquet: the CSV columns, typed (ids and GeoNames ids
/// INT64, coordinates DOUBLE, `duplicate` BOOLEAN, the rest UTF-8).
pub fn events_parquet(store: &Store, f: &EventFilter, out: &mut dyn Write) -> Result<u64> {
    use crate::parquet::{ColType, ParquetWriter, Val};
    let types: Vec<(&str, ColType)> = CSV_COLUMNS
        .iter()
        .map(|c| {
            let t = match *c {
                "id" | "doc_id" | "place_geonameid" | "cluster" => ColType::I64,
                "place_lat" | "place_lon" => ColType::F64,
                "duplicate" => ColType::Bool,
                _ => ColType::Str,
            };
            (*c, t)
        })
        .collect();
    let mut w = ParquetWriter::new(out, &types)?;
    let mut n = 0;
    store.for_each_event(f, |e| {
        let row = csv_values(&e)
            .into_iter()
            .zip(&types)
            .map(|(v, (name, t))| match t {
                ColType::I64 => v.parse().map(Val::I64).unwrap_or(Val::Null),
                ColType::F64 => v.parse().map(Val::F64).unwrap_or(Val::Null),
                ColType::Bool => Val::Bool(v == "1"),
                ColType::Str
                    if v.is_empty()
                        && !matches!(*name, "plover" | "cameo" | "rule" | "flags" | "evidence") =>
                {
                    Val::Null
                }
                ColType::Str => Val::Str(v),
            })
            .collect();
        w.push(row)?;
        n += 1;
        Ok(())
    })?;
    w.finish()?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gdelt_dates_and_quad_classes() {
        assert_eq!(gdelt_dates("2018-05-17").unwrap().0, "20180517");
        assert_eq!(gdelt_dates("2018-05").unwrap().0, "20180501");
        assert_eq!(gdelt_dates("2018").unwrap().1, "201801");
        assert_eq!(quad_class("040"), Some(1));
        assert_eq!(quad_class("0841"), Some(2));
        assert_eq!(quad_class("112"), Some(3));
        assert_eq!(quad_class("190"), Some(4));
        assert_eq!(csv_field("a,\"b\""), "\"a,\"\"b\"\"\"");
    }
}
