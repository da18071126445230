//! The title and standfirst are coded too: an event the body reports as
//! well gains headline spans, one only the standfirst reports is added
//! with its offsets in that field.

use dyad_core::{Doc, Source};

fn coded(title: &str, standfirst: &str, body: &str) -> Doc {
    let p = dyad_pipeline::standard().expect("embedded models load");
    let mut d = Doc::from_clean_text("t", Source::path("t"), body);
    d.article.title = Some(title.into());
    d.article.standfirst = Some(standfirst.into());
    d.date_hint = Some("2024-03-05".into());
    p.run(&mut d);
    assert!(d.error.is_none(), "{:?}", d.error);
    d
}

#[test]
fn headline_reports_merge_and_standfirst_events_are_kept() {
    let d = coded(
        "India and Pakistan hold talks in Geneva",
        "Pakistan has accused India of violating the ceasefire since January",
        "India and Pakistan held talks in Geneva on Monday, officials said. \
         The two delegations met for three hours.",
    );
    let code = |a: &Option<dyad_core::ActorRef>| a.as_ref().map(|a| a.code.clone());
    let chars = |s: &str, a: usize, b: usize| s.chars().skip(a).take(b - a).collect::<String>();
    let meetings: Vec<_> = d.events.iter().filter(|e| e.plover == "CONSULT").collect();
    assert_eq!(
        meetings.len(),
        1,
        "one meeting, reported twice: {:?}",
        d.events
    );
    let m = meetings[0];
    assert_eq!(m.field, None);
    assert_eq!(m.headline.len(), 1);
    let h = &m.headline[0];
    assert_eq!(h.field, "title");
    let title = d.article.title.as_deref().unwrap();
    assert!(chars(title, h.start, h.end).contains("hold talks"));

    let acc = d
        .events
        .iter()
        .find(|e| e.plover == "ACCUSE")
        .expect("the standfirst's accusation is coded");
    assert_eq!(acc.field.as_deref(), Some("standfirst"));
    assert_eq!(code(&acc.source).as_deref(), Some("PAK"));
    assert_eq!(code(&acc.target).as_deref(), Some("IND"));
    assert_eq!(acc.date.as_deref(), Some("2024-01"));
    let sf = d.article.standfirst.as_deref().unwrap();
    let ev = acc.evidence[0];
    assert!(chars(sf, ev.start, ev.end).contains("accused"));
    let src = acc.source.as_ref().unwrap();
    assert_eq!(chars(sf, src.start, src.end), "Pakistan");

    // In the JSON record, headline offsets stay char offsets into their field.
    let r = d.to_record();
    let rec_acc = r["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["plover"] == "ACCUSE")
        .unwrap();
    assert_eq!(rec_acc["field"], "standfirst");
    assert_eq!(rec_acc["source"]["start"], src.start);
}

#[test]
fn a_title_repeated_as_the_first_line_is_not_coded_twice() {
    let d = coded(
        "India and Pakistan held talks in Geneva",
        "",
        "India and Pakistan held talks in Geneva\n\nThe talks began on Monday, officials said.",
    );
    assert!(
        d.events.iter().any(|e| e.plover == "CONSULT"),
        "{:?}",
        d.events
    );
    assert!(d
        .events
        .iter()
        .all(|e| e.headline.is_empty() && e.field.is_none()));
}

#[test]
fn an_event_both_headline_fields_report_is_one_event_placed_in_each_field() {
    let d = coded(
        "India accuses Pakistan of violating the ceasefire",
        "India accused Pakistan of violating the ceasefire in Kashmir",
        "Markets in Mumbai were calm on Monday.",
    );
    let acc: Vec<_> = d.events.iter().filter(|e| e.plover == "ACCUSE").collect();
    assert_eq!(acc.len(), 1, "{:?}", d.events);
    let e = acc[0];
    let field = e.field.as_deref().expect("only the headline reports it");
    let text = d.article.field(field).unwrap();
    let chars = |a: usize, b: usize| text.chars().skip(a).take(b - a).collect::<String>();
    assert!(chars(e.evidence[0].start, e.evidence[0].end).contains("accuse"));
    let src = e.source.as_ref().unwrap();
    assert_eq!(chars(src.start, src.end), "India");
    // The other field's report is a headline span in that field.
    assert_eq!(e.headline.len(), 1, "{e:?}");
    assert_ne!(e.headline[0].field, field);
    let other = d.article.field(&e.headline[0].field).unwrap();
    let h: String = other
        .chars()
        .skip(e.headline[0].start)
        .take(e.headline[0].end - e.headline[0].start)
        .collect();
    assert!(h.contains("accused"), "{h}");
}
