//! Coded JSON records (the output of `dyad code`) back to [`Doc`]s, so
//! `dyad serve --db FILE --records out.jsonl` can load them into a store.

use dyad_core::{Article, DateExpr, Doc, Entity, Event, Number, Place, Quote, Sentence, Source};
use serde::Deserialize;

#[derive(Deserialize)]
struct Record {
    id: String,
    #[serde(default)]
    source: Source,
    #[serde(default)]
    article: Article,
    #[serde(default)]
    sentences: Vec<Sentence>,
    #[serde(default)]
    entities: Vec<Entity>,
    #[serde(default)]
    events: Vec<Event>,
    #[serde(default)]
    quotes: Vec<Quote>,
    #[serde(default)]
    numbers: Vec<Number>,
    #[serde(default)]
    places: Vec<Place>,
    #[serde(default)]
    dates: Vec<DateExpr>,
}

/// Rebuilds a document from its record. Record offsets are Unicode scalar
/// offsets; the `Doc` holds byte offsets, so each is mapped back (an
/// offset past the end maps to the end of the text).
pub fn doc_from_record(v: serde_json::Value) -> Result<Doc, String> {
    let r: Record = serde_json::from_value(v).map_err(|e| e.to_string())?;
    let mut d = Doc {
        id: r.id,
        source: r.source,
        article: r.article,
        sentences: r.sentences,
        entities: r.entities,
        events: r.events,
        quotes: r.quotes,
        numbers: r.numbers,
        places: r.places,
        dates: r.dates,
        ..Default::default()
    };
    let bytes: Vec<usize> = d
        .article
        .text
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(d.article.text.len()))
        .collect();
    let last = bytes.len() - 1;
    d.map_offsets(&mut |o: &mut usize| *o = bytes[(*o).min(last)]);
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_offsets_become_byte_offsets() {
        let v = serde_json::json!({
            "id": "x", "source": {"path": "x"},
            "article": {"text": "é Putin met Assad."},
            "events": [{"plover": "CONSULT", "cameo": "040", "flags": [], "rule": "r",
                        "source": {"code": "RUSGOV", "text": "Putin", "start": 2, "end": 7},
                        "evidence": [{"start": 2, "end": 18}]}]
        });
        let d = doc_from_record(v).unwrap();
        let s = d.events[0].source.as_ref().unwrap();
        assert_eq!(d.slice(s.start, s.end), "Putin");
        let e = d.events[0].evidence[0];
        assert_eq!(d.slice(e.start, e.end), "Putin met Assad.");
        // And back: the record is what went in.
        assert_eq!(d.to_record()["events"][0]["source"]["start"], 2);
    }
}
