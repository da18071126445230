//! `dyad query` and `dyad export` over a store built from hand-built
//! documents (the pipeline is not needed to test the commands).

use dyad_core::*;
use dyad_store::Store;
use std::path::Path;
use std::process::Command;

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

fn doc(
    id: &str,
    text: &str,
    date: &str,
    src: (&str, &str),
    tgt: (&str, &str),
    plover: &str,
    cameo: &str,
) -> Doc {
    let mut d = Doc::from_clean_text(id, Source::path(format!("{id}.txt")), text);
    d.article.title = Some(format!("Story {id}"));
    d.article.url = Some(format!("https://news.example/{id}"));
    d.article.date = Some(date.into());
    d.events.push(Event {
        plover: plover.into(),
        cameo: cameo.into(),
        source: Some(actor(text, src.0, src.1)),
        target: Some(actor(text, tgt.0, tgt.1)),
        date: Some(date.into()),
        evidence: vec![Span::new(0, text.find('.').unwrap() + 1)],
        rule: "test".into(),
        ..Default::default()
    });
    d
}

fn build(db: &Path) {
    let s = Store::open(db).unwrap();
    s.put_doc(&doc(
        "a",
        "Putin met Assad in Sochi. Talks, \"long\" ones.",
        "2018-05-17",
        ("RUSGOV", "Putin"),
        ("SYRGOV", "Assad"),
        "CONSULT",
        "040",
    ))
    .unwrap();
    s.put_doc(&doc(
        "b",
        "Macron criticized Putin. Tension rose.",
        "2018-05-20",
        ("FRAGOV", "Macron"),
        ("RUSGOV", "Putin"),
        "ACCUSE",
        "111",
    ))
    .unwrap();
    s.put_doc(&doc(
        "c",
        "Rebels attacked the army near Idlib.",
        "2018-06-02",
        ("SYRREB", "Rebels"),
        ("SYRMIL", "army"),
        "ASSAULT",
        "190",
    ))
    .unwrap();
}

fn dyad(args: &[&str], db: &Path) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_dyad"))
        .args(args)
        .arg("--db")
        .arg(db)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn query_filters_formats_and_counts() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("s.db");
    build(&db);
    let (code, out, err) = dyad(
        &["query", "events", "--actor", "RUS", "--format", "jsonl"],
        &db,
    );
    assert_eq!(code, 0, "{err}");
    let rows: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["plover"], "ACCUSE", "newest first");

    let (_, out, _) = dyad(
        &[
            "query",
            "events",
            "--country",
            "SYR",
            "--from",
            "2018-06",
            "--format",
            "csv",
        ],
        &db,
    );
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(lines[0].starts_with("id,doc_id,day,"));
    assert!(lines[1].contains("SYRREB"));

    let (_, out, _) = dyad(&["query", "events", "--count-by", "type"], &db);
    assert!(out.lines().next().unwrap().starts_with("key"), "{out}");
    assert_eq!(out.lines().count(), 4);
    let (_, out, _) = dyad(
        &["query", "events", "--count-by", "week", "--format", "jsonl"],
        &db,
    );
    let weeks: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(weeks[0]["key"], "2018-05-14");
    assert_eq!(weeks[0]["count"], 2, "17 and 20 May are in the same week");

    let (_, out, _) = dyad(&["query", "actors", "--format", "jsonl"], &db);
    let rus: serde_json::Value = out
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|a| a["code"] == "RUSGOV")
        .unwrap();
    assert_eq!(
        (rus["as_source"].as_u64(), rus["as_target"].as_u64()),
        (Some(1), Some(1))
    );

    let (_, out, _) = dyad(&["query", "search", "--text", "Idlib"], &db);
    assert!(out.contains("[Idlib]"), "{out}");
    let (_, out, _) = dyad(
        &[
            "query",
            "documents",
            "--type",
            "CONSULT",
            "--format",
            "jsonl",
        ],
        &db,
    );
    assert_eq!(out.lines().count(), 1);
    let (_, out, _) = dyad(&["query", "stats", "--format", "jsonl"], &db);
    assert!(out.contains("\"events\":3"), "{out}");

    let (code, _, err) = dyad(&["query", "quotes", "--count-by", "day"], &db);
    assert_eq!(code, 2);
    assert!(err.contains("--count-by"));
    let (code, _, err) = dyad(&["query", "events"], &tmp.path().join("missing.db"));
    assert_eq!(code, 2);
    assert!(err.contains("no store"), "{err}");
}

#[test]
fn export_gdelt_csv_and_jsonl() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("s.db");
    build(&db);
    let out = tmp.path().join("events.tsv");
    let (code, _, err) = dyad(
        &[
            "export",
            "--format",
            "gdelt",
            "--out",
            out.to_str().unwrap(),
        ],
        &db,
    );
    assert_eq!(code, 0, "{err}");
    let tsv = std::fs::read_to_string(&out).unwrap();
    let lines: Vec<&str> = tsv.lines().collect();
    assert_eq!(lines.len(), 3);
    let consult: Vec<&str> = lines
        .iter()
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .find(|c| c[26] == "040")
        .unwrap();
    assert_eq!(consult.len(), 61, "GDELT 2.0 has 61 columns");
    assert_eq!(consult[1], "20180517"); // SQLDATE
    assert_eq!(consult[5], "RUSGOV"); // Actor1Code
    assert_eq!(consult[7], "RUS"); // Actor1CountryCode
    assert_eq!(consult[12], "GOV"); // Actor1Type1Code
    assert_eq!(consult[15], "SYRGOV"); // Actor2Code
    assert_eq!((consult[27], consult[28], consult[29]), ("040", "04", "1")); // base, root, quad
    assert_eq!(consult[60], "https://news.example/a"); // SOURCEURL

    let csv = tmp.path().join("e.csv");
    dyad(
        &[
            "export",
            "--format",
            "csv",
            "--out",
            csv.to_str().unwrap(),
            "--type",
            "ASSAULT",
        ],
        &db,
    );
    let csv = std::fs::read_to_string(&csv).unwrap();
    assert_eq!(csv.lines().count(), 2);

    let pq = tmp.path().join("e.parquet");
    let (code, _, err) = dyad(
        &[
            "export",
            "--format",
            "parquet",
            "--out",
            pq.to_str().unwrap(),
        ],
        &db,
    );
    assert_eq!(code, 0, "{err}");
    let bytes = std::fs::read(&pq).unwrap();
    assert!(bytes.starts_with(b"PAR1") && bytes.ends_with(b"PAR1"));

    let jl = tmp.path().join("d.jsonl");
    dyad(
        &[
            "export",
            "--format",
            "jsonl",
            "--table",
            "documents",
            "--out",
            jl.to_str().unwrap(),
        ],
        &db,
    );
    let recs: Vec<serde_json::Value> = std::fs::read_to_string(&jl)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(recs.len(), 3);
    assert!(recs
        .iter()
        .any(|r| r["article"]["text"] == "Putin met Assad in Sochi. Talks, \"long\" ones."));
}
