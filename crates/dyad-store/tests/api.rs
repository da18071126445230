//! The public query API over hand-built documents.

use dyad_core::*;
use dyad_store::*;

/// A generated article text of ~`n` words, different for each `seed`.
fn body(seed: u64, n: usize) -> String {
    const W: &[&str] = &[
        "government",
        "minister",
        "talks",
        "border",
        "troops",
        "aid",
        "sanctions",
        "vote",
        "parliament",
        "protest",
        "police",
        "capital",
        "agreement",
        "delegation",
        "ceasefire",
        "refugees",
        "election",
        "president",
        "army",
        "rebels",
        "summit",
        "trade",
        "oil",
        "court",
    ];
    let mut x = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            W[(x % W.len() as u64) as usize]
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn actor(text: &str, code: &str, t: &str) -> ActorRef {
    let start = text.find(t).unwrap();
    ActorRef {
        code: code.into(),
        text: t.into(),
        start,
        end: start + t.len(),
        name: None,
    }
}

/// "Putin met Assad in Sochi." + body, with a CONSULT event and layers.
fn doc(id: &str, seed: u64, date: &str) -> Doc {
    let text = format!(
        "Putin met Assad in Sochi. «Hello», Putin said. {}",
        body(seed, 80)
    );
    let mut d = Doc::from_clean_text(id, Source::path(format!("{id}.txt")), text.clone());
    d.article.title = Some(format!("Title {id}"));
    d.article.date = Some(date.into());
    d.events.push(Event {
        plover: "CONSULT".into(),
        cameo: "040".into(),
        source: Some(actor(&text, "RUSGOV", "Putin")),
        target: Some(actor(&text, "SYRGOV", "Assad")),
        date: Some(date.into()),
        place: Some(EventPlace {
            name: "Sochi".into(),
            geonameid: Some(491422),
            country: Some("RUS".into()),
            lat: Some(43.6),
            lon: Some(39.73),
            start: 19,
            end: 24,
        }),
        evidence: vec![Span::new(0, 25)],
        rule: "test".into(),
        ..Default::default()
    });
    d.entities.push(Entity {
        start: 0,
        end: 5,
        text: "Putin".into(),
        label: "PER".into(),
        actor: Some("RUSGOV".into()),
        canonical: Some("Vladimir Putin".into()),
        chain: Some(0),
    });
    let q = text.find("Hello").unwrap();
    d.quotes.push(Quote {
        kind: "direct".into(),
        content: TextSpan {
            text: "Hello".into(),
            start: q,
            end: q + 5,
        },
        cue: None,
        speaker: Some(Speaker {
            text: "Putin".into(),
            start: 0,
            end: 5,
            name: Some("Vladimir Putin".into()),
            actor: Some("RUSGOV".into()),
        }),
        parts: Vec::new(),
    });
    d.places.push(Place {
        text: "Sochi".into(),
        start: 19,
        end: 24,
        geonameid: Some(491422),
        name: "Sochi".into(),
        country: Some("RUS".into()),
        lat: 43.6,
        lon: 39.73,
        feature_class: Some("P".into()),
    });
    d.numbers.push(Number {
        text: "two".into(),
        start: 0,
        end: 1,
        value: 2.0,
        category: "other".into(),
        ..Default::default()
    });
    d
}

#[test]
fn events_are_filtered_by_actor_type_country_and_date() {
    let s = Store::open_in_memory().unwrap();
    s.put_doc(&doc("a", 1, "2018-05-17")).unwrap();
    s.put_doc(&doc("b", 2, "2019-01-02")).unwrap();
    let q = |f: EventFilter| s.query_events(&f).unwrap().len();
    assert_eq!(q(EventFilter::default()), 2);
    assert_eq!(
        q(EventFilter {
            actor: Some("RUS".into()),
            ..Default::default()
        }),
        2
    );
    assert_eq!(
        q(EventFilter {
            actor: Some("putin".into()),
            ..Default::default()
        }),
        2
    );
    assert_eq!(
        q(EventFilter {
            source: Some("SYR".into()),
            ..Default::default()
        }),
        0
    );
    assert_eq!(
        q(EventFilter {
            target: Some("SYRGOV".into()),
            ..Default::default()
        }),
        2
    );
    assert_eq!(
        q(EventFilter {
            event_type: Some("consult".into()),
            ..Default::default()
        }),
        2
    );
    assert_eq!(
        q(EventFilter {
            event_type: Some("04".into()),
            ..Default::default()
        }),
        2
    );
    assert_eq!(
        q(EventFilter {
            event_type: Some("ASSAULT".into()),
            ..Default::default()
        }),
        0
    );
    assert_eq!(
        q(EventFilter {
            country: Some("syr".into()),
            ..Default::default()
        }),
        2
    );
    assert_eq!(
        q(EventFilter {
            country: Some("USA".into()),
            ..Default::default()
        }),
        0
    );
    assert_eq!(
        q(EventFilter {
            from: Some("2018-06".into()),
            ..Default::default()
        }),
        1
    );
    assert_eq!(
        q(EventFilter {
            to: Some("2018-05".into()),
            ..Default::default()
        }),
        1
    );
    assert_eq!(
        q(EventFilter {
            to: Some("2018".into()),
            ..Default::default()
        }),
        1
    );
    assert_eq!(
        q(EventFilter {
            limit: Some(1),
            ..Default::default()
        }),
        1
    );
    let rows = s.query_events(&EventFilter::default()).unwrap();
    assert_eq!(rows[0].day.as_deref(), Some("2019-01-02"), "newest first");
    assert_eq!(rows[1].evidence, vec![SpanRow { start: 0, end: 25 }]);
    assert_eq!(rows[1].source_country.as_deref(), Some("RUS"));
    assert_eq!(rows[1].place_geonameid, Some(491422));
}

#[test]
fn text_search_and_document_view_use_char_offsets() {
    let s = Store::open_in_memory().unwrap();
    let mut d = doc("a", 1, "2018-05-17");
    // A multi-byte prefix moves byte offsets away from char offsets.
    let shift = "Éé ".len();
    d.article.text = format!("Éé {}", d.article.text);
    d.input.decoded = Some(d.article.text.clone());
    d.map_offsets(&mut |o: &mut usize| *o += shift);
    s.put_doc(&d).unwrap();
    let hits = s.search("sochi").unwrap();
    assert_eq!(hits.len(), 1);
    assert!(hits[0].snippet.contains("[Sochi]"), "{}", hits[0].snippet);
    assert!(s.search("nonexistentword").unwrap().is_empty());
    assert!(
        s.search("\"unbalanced").unwrap().is_empty(),
        "no FTS syntax error"
    );
    let f = EventFilter {
        text: Some("Sochi Putin".into()),
        ..Default::default()
    };
    assert_eq!(s.query_events(&f).unwrap().len(), 1);

    let v = s.get_document(hits[0].id).unwrap().unwrap();
    let text = v.record["article"]["text"].as_str().unwrap();
    let ev = &v.record["events"][0];
    let (a, b) = (
        ev["evidence"][0]["start"].as_u64().unwrap() as usize,
        ev["evidence"][0]["end"].as_u64().unwrap() as usize,
    );
    let chars: String = text.chars().skip(a).take(b - a).collect();
    assert_eq!(chars, "Putin met Assad in Sochi.");
    assert!(ev["store_id"].as_i64().is_some());
    let rows = s.query_events(&EventFilter::default()).unwrap();
    assert_eq!(rows[0].evidence[0].start, 3, "char offset, not byte offset");
    assert!(s.get_document(999).unwrap().is_none());
}

#[test]
fn reingest_is_idempotent_and_a_change_replaces_rows() {
    let s = Store::open_in_memory().unwrap();
    let d = doc("a", 1, "2018-05-17");
    assert_eq!(s.put_doc(&d).unwrap(), WriteOutcome::Inserted);
    assert_eq!(s.put_doc(&d).unwrap(), WriteOutcome::Unchanged);
    let id = s.document_id("a").unwrap().unwrap();
    let mut changed = doc("a", 7, "2018-05-18");
    changed.events.push(changed.events[0].clone());
    assert_eq!(s.put_doc(&changed).unwrap(), WriteOutcome::Replaced);
    assert_eq!(s.document_id("a").unwrap(), Some(id), "id kept");
    let st = s.stats().unwrap();
    assert_eq!(
        (
            st.documents,
            st.events,
            st.quotes,
            st.places,
            st.mentions,
            st.numbers
        ),
        (1, 2, 1, 1, 1, 1)
    );
    let words: String = body(7, 80).split(' ').take(4).collect::<Vec<_>>().join(" ");
    assert_eq!(
        s.search(&words).unwrap().len(),
        1,
        "FTS follows the new text"
    );
    assert!(s
        .search(&body(1, 80).split(' ').take(6).collect::<Vec<_>>().join(" "))
        .unwrap()
        .is_empty());
    assert_eq!(s.integrity_check().unwrap(), "ok");
}

#[test]
fn syndicated_copies_are_linked_and_not_counted_twice() {
    let s = Store::open_in_memory().unwrap();
    s.put_doc(&doc("orig", 1, "2018-05-17")).unwrap();
    let mut copy = doc("copy", 1, "2018-05-17");
    copy.article.text.push_str(" Copyright AFP.");
    copy.input.decoded = Some(copy.article.text.clone());
    s.put_doc(&copy).unwrap();
    // Another outlet, different text, same event: linked by cluster.
    s.put_doc(&doc("other", 3, "2018-05-17")).unwrap();

    let docs = s
        .query_documents(&EventFilter {
            include_duplicates: true,
            ..Default::default()
        })
        .unwrap();
    let by_key = |k: &str| docs.iter().find(|d| d.key == k).unwrap().clone();
    assert_eq!(by_key("copy").duplicate_of, Some(by_key("orig").id));
    assert_eq!(by_key("other").duplicate_of, None);
    assert_eq!(s.query_documents(&EventFilter::default()).unwrap().len(), 2);

    let counts = s.count_by(&EventFilter::default(), CountBy::Day).unwrap();
    assert_eq!(counts.len(), 1);
    assert_eq!(
        (counts[0].count, counts[0].clusters),
        (2, 1),
        "copy left out; two outlets one cluster"
    );
    let all = EventFilter {
        include_duplicates: true,
        ..Default::default()
    };
    assert_eq!(s.count_by(&all, CountBy::Type).unwrap()[0].count, 3);
    let ev = s.query_events(&EventFilter::default()).unwrap();
    assert_eq!(ev[0].cluster, ev[1].cluster);
    assert!(ev[0].cluster.is_some());
}

#[test]
fn aggregates_actors_quotes_places() {
    let s = Store::open_in_memory().unwrap();
    s.put_doc(&doc("a", 1, "2018-05-14")).unwrap(); // a Monday
    s.put_doc(&doc("b", 2, "2018-05-20")).unwrap(); // the Sunday of that week
    s.put_doc(&doc("c", 3, "2018-05-21")).unwrap();
    let f = EventFilter::default();
    let weeks = s.count_by(&f, CountBy::Week).unwrap();
    assert_eq!(
        weeks
            .iter()
            .map(|r| (r.key.as_str(), r.count))
            .collect::<Vec<_>>(),
        vec![("2018-05-14", 2), ("2018-05-21", 1)]
    );
    let dy = s.count_by(&f, CountBy::Dyad).unwrap();
    assert_eq!(
        (
            dy[0].source.as_deref(),
            dy[0].target.as_deref(),
            dy[0].count
        ),
        (Some("RUSGOV"), Some("SYRGOV"), 3)
    );

    let actors = s.query_actors(&f).unwrap();
    let rus = actors.iter().find(|a| a.code == "RUSGOV").unwrap();
    assert_eq!(
        (rus.as_source, rus.as_target, rus.mentions, rus.documents),
        (3, 0, 3, 3)
    );
    assert_eq!(rus.name.as_deref(), Some("Vladimir Putin"));
    let by_name = s
        .query_actors(&EventFilter {
            actor: Some("vladimir".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(
        by_name.iter().map(|a| a.code.as_str()).collect::<Vec<_>>(),
        vec!["RUSGOV"]
    );
    let only_syr = s
        .query_actors(&EventFilter {
            country: Some("SYR".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(only_syr.len(), 1);

    let quotes = s
        .query_quotes(&EventFilter {
            actor: Some("RUSGOV".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(quotes.len(), 3);
    assert_eq!(quotes[0].content, "Hello");
    assert_eq!(
        s.query_quotes(&EventFilter {
            actor: Some("USA".into()),
            ..Default::default()
        })
        .unwrap()
        .len(),
        0
    );

    let places = s.query_places(&f).unwrap();
    assert_eq!(
        (
            places[0].name.as_str(),
            places[0].mentions,
            places[0].documents
        ),
        ("Sochi", 3, 3)
    );
    assert!(s
        .query_places(&EventFilter {
            country: Some("FRA".into()),
            ..Default::default()
        })
        .unwrap()
        .is_empty());
    let docs = s
        .query_documents(&EventFilter {
            actor: Some("SYRGOV".into()),
            from: Some("2018-05-20".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(docs.len(), 2);
}

#[test]
fn a_failed_document_is_recorded_with_its_error() {
    let s = Store::open_in_memory().unwrap();
    let err = DocError {
        stage: "read".into(),
        kind: "unreadable".into(),
        message: "gzip: invalid header".into(),
    };
    let d = Doc::failed("bad.gz", Source::path("bad.gz"), err);
    s.put_doc(&d).unwrap();
    let docs = s.query_documents(&EventFilter::default()).unwrap();
    assert_eq!(docs[0].error.as_deref(), Some("read: gzip: invalid header"));
    assert_eq!(s.stats().unwrap().errors, 1);
}

#[test]
fn a_file_store_survives_reopening_and_filters_deserialize() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    {
        let s = Store::open(&path).unwrap();
        s.put_doc(&doc("a", 1, "2018-05-17")).unwrap();
    }
    let s = Store::open(&path).unwrap();
    let r = s.reopen().unwrap();
    assert_eq!(r.stats().unwrap().events, 1);
    let f: EventFilter = serde_json::from_str(r#"{"type":"CONSULT","limit":5}"#).unwrap();
    assert_eq!(s.query_events(&f).unwrap().len(), 1);
    let mode: String = s
        .with_connection(|c| c.query_row("PRAGMA journal_mode", [], |r| r.get(0)))
        .unwrap();
    assert_eq!(mode, "wal");
}
