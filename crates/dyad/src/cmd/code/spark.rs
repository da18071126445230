//! `dyad code --format spark`: one line per document made for Spark SQL's
//! script transformation (`jobs/spark/`), which splits each output line at
//! tabs into columns for free:
//!
//! ```text
//! <flat row as JSON>\t<full record as JSON>\n
//! ```
//!
//! The flat row holds exactly the columns of the job's `documents` table
//! (apart from `record_json`, which is the second field): the source and
//! article fields, the layer counts, and the events already flattened, with
//! the text of their first evidence span cut out. The JVM then parses only
//! this small object (about a third of the record, and few nested values)
//! instead of the whole record, and does no per-event work: that is what
//! the job spends its CPU on besides dyad. Compact JSON holds no raw tab,
//! newline or carriage return, so both fields survive the split.

use serde_json::{Map, Value};

/// The flat row of a record (as [`dyad_core::Doc::record_with`] makes it).
/// Field names and meaning match `FLAT` in `jobs/spark/dyad_spark.py`.
pub fn flat_row(rec: &Value) -> Value {
    let source = &rec["source"];
    let article = &rec["article"];
    let error = &rec["error"];
    let mut m = Map::new();
    let mut put = |k: &str, v: &Value| {
        if !v.is_null() {
            m.insert(k.to_string(), v.clone());
        }
    };
    put("id", &rec["id"]);
    put("warc_path", &source["path"]);
    put("warc_record_id", &source["warc_record_id"]);
    put("record_number", &source["line"]);
    put(
        "url",
        if source["url"].is_null() {
            &article["url"]
        } else {
            &source["url"]
        },
    );
    put("error_stage", &error["stage"]);
    put("error_kind", &error["kind"]);
    put("error_message", &error["message"]);
    for (col, key) in [
        ("title", "title"),
        ("byline", "byline"),
        ("date", "date"),
        ("language", "language"),
        ("site", "site"),
        ("canonical_url", "url"),
        ("text", "text"),
    ] {
        put(col, &article[key]);
    }
    for layer in [
        "sentences",
        "entities",
        "events",
        "quotes",
        "numbers",
        "places",
    ] {
        let n = rec[layer].as_array().map_or(0, Vec::len);
        m.insert(format!("n_{layer}"), n.into());
    }
    let mut fields = FieldChars::default();
    let events: Vec<Value> = rec["events"]
        .as_array()
        .map(|evs| {
            evs.iter()
                .map(|e| flat_event(e, article, &mut fields))
                .collect()
        })
        .unwrap_or_default();
    m.insert("events".into(), Value::Array(events));
    Value::Object(m)
}

/// One event as a row of the `events` column: actors and place flattened
/// into prefixed fields, `flags` and `evidence` always arrays.
fn flat_event(e: &Value, article: &Value, fields: &mut FieldChars) -> Value {
    let mut m = Map::new();
    let mut put = |k: &str, v: &Value| {
        if !v.is_null() {
            m.insert(k.to_string(), v.clone());
        }
    };
    put("plover", &e["plover"]);
    put("mode", &e["mode"]);
    put("cameo", &e["cameo"]);
    for role in ["source", "target"] {
        for part in ["code", "text", "name"] {
            put(&format!("{role}_{part}"), &e[role][part]);
        }
    }
    put("event_date", &e["date"]);
    for part in ["name", "geonameid", "country", "lat", "lon"] {
        put(&format!("place_{part}"), &e["place"][part]);
    }
    put("rule", &e["rule"]);
    put("field", &e["field"]);
    let flags = e["flags"].as_array().cloned().unwrap_or_default();
    m.insert("flags".into(), Value::Array(flags));
    // Only the offsets: the record keeps anything else a span carries.
    let spans: Vec<Value> = e["evidence"]
        .as_array()
        .map(|s| {
            s.iter()
                .map(|s| serde_json::json!({"start": s["start"], "end": s["end"]}))
                .collect()
        })
        .unwrap_or_default();
    // Offsets point into the article field the event names (the body when
    // none), in Unicode scalar values.
    let field = e["field"].as_str().unwrap_or("text");
    let first = spans.first().and_then(|s| {
        let start = usize::try_from(s["start"].as_u64()?).ok()?;
        let end = usize::try_from(s["end"].as_u64()?).ok()?;
        fields.slice(article, field, start, end)
    });
    if let Some(t) = first {
        m.insert("evidence_text".into(), Value::String(t));
    }
    m.insert("evidence".into(), Value::Array(spans));
    Value::Object(m)
}

/// Byte offsets of each character of the article fields events point into,
/// built once per field and document (a document has many events).
#[derive(Default)]
struct FieldChars {
    built: Vec<(String, Vec<usize>)>,
}

impl FieldChars {
    /// The characters `start..end` of `article[field]`; `None` when the
    /// field is missing or the span is not inside it.
    fn slice(&mut self, article: &Value, field: &str, start: usize, end: usize) -> Option<String> {
        let text = article[field].as_str()?;
        let i = match self.built.iter().position(|(f, _)| f == field) {
            Some(i) => i,
            None => {
                let mut b: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
                b.push(text.len());
                self.built.push((field.to_string(), b));
                self.built.len() - 1
            }
        };
        let bytes = &self.built[i].1;
        if start > end || end >= bytes.len() {
            return None;
        }
        Some(text[bytes[start]..bytes[end]].to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn record() -> Value {
        json!({
            "id": "<urn:uuid:1>",
            "source": {"path": "/w/a.warc.gz", "warc_record_id": "<urn:uuid:1>", "line": 3},
            "article": {
                "title": "T",
                "standfirst": "Élysée backs Berlin",
                "date": "2024-05-14",
                "url": "https://x.example/a",
                "text": "é Scholz met\tMacron in Berlin.\nNext."
            },
            "sentences": [{"start": 0, "end": 30}, {"start": 31, "end": 36}],
            "entities": [],
            "events": [
                {"plover": "CONSULT", "cameo": "040",
                 "source": {"code": "DEUGOV", "text": "Scholz", "start": 2, "end": 8},
                 "place": {"name": "Berlin", "geonameid": 2950159, "lat": 52.5, "lon": 13.4, "start": 23, "end": 29},
                 "flags": ["future"], "evidence": [{"start": 2, "end": 29}], "rule": "consult.meet"},
                {"plover": "AID", "cameo": "070", "rule": "aid.give"},
                {"plover": "SUPPORT", "cameo": "051", "evidence": [{"start": 0, "end": 6}],
                 "rule": "support.praise", "field": "standfirst"},
                {"plover": "SUPPORT", "cameo": "051", "evidence": [{"start": 30, "end": 99}], "rule": "x"}
            ],
            "numbers": [{"start": 1, "end": 2}]
        })
    }

    #[test]
    fn flat_row_has_the_documents_columns() {
        let r = flat_row(&record());
        assert_eq!(r["id"], "<urn:uuid:1>");
        assert_eq!(r["record_number"], 3);
        // No URL in the source: the article's.
        assert_eq!(r["url"], "https://x.example/a");
        assert_eq!(r["canonical_url"], "https://x.example/a");
        assert_eq!(r["text"], record()["article"]["text"]);
        let counts: Vec<u64> = ["sentences", "entities", "events", "quotes", "numbers"]
            .iter()
            .map(|l| r[format!("n_{l}")].as_u64().unwrap())
            .collect();
        assert_eq!(counts, [2, 0, 4, 0, 1]);
        assert!(r.get("error_kind").is_none());
    }

    #[test]
    fn events_are_flat_with_their_evidence_text() {
        let r = flat_row(&record());
        let evs = r["events"].as_array().unwrap();
        assert_eq!(evs[0]["source_code"], "DEUGOV");
        assert_eq!(evs[0]["place_geonameid"], 2950159);
        assert_eq!(evs[0]["flags"], json!(["future"]));
        // Character offsets: the leading é is one character, not two bytes.
        assert_eq!(evs[0]["evidence_text"], "Scholz met\tMacron in Berlin");
        // Absent parts: no key (NULL in Spark), empty arrays.
        assert!(evs[1].get("source_code").is_none());
        assert_eq!(
            (&evs[1]["flags"], &evs[1]["evidence"]),
            (&json!([]), &json!([]))
        );
        assert!(evs[1].get("evidence_text").is_none());
        // A headline-only event's offsets point into its field.
        assert_eq!(
            (&evs[2]["field"], &evs[2]["evidence_text"]),
            (&json!("standfirst"), &json!("Élysée"))
        );
        // A span outside its field gives no text rather than a panic.
        assert!(evs[3].get("evidence_text").is_none());
    }

    #[test]
    fn error_record() {
        let rec = json!({"id": "x", "source": {"path": "p"},
                         "error": {"stage": "read", "kind": "unreadable", "message": "truncated"}});
        let r = flat_row(&rec);
        assert_eq!(
            (&r["error_stage"], &r["error_kind"]),
            (&json!("read"), &json!("unreadable"))
        );
        assert_eq!((&r["n_events"], &r["events"]), (&json!(0), &json!([])));
    }

    #[test]
    fn compact_json_has_no_tab_or_line_break() {
        let line = serde_json::to_string(&flat_row(&record())).unwrap();
        assert!(!line.contains(['\t', '\n', '\r']));
    }
}
