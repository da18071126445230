//! The founding example: `seed/sochi-2018.txt` against the "document" part
//! of `seed/sochi-2018.gold.json`. The seed is third-party text kept in the
//! shared data folder (`DYAD_DATA`, default `../shared/data` from the
//! workspace root); without it this test prints a note and passes.

use std::path::PathBuf;

fn data_dir() -> PathBuf {
    match std::env::var_os("DYAD_DATA") {
        Some(d) => PathBuf::from(d),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"),
    }
}

#[test]
fn seed_document_matches_gold() {
    let dir = data_dir().join("seed");
    let (Ok(page), Ok(gold)) = (
        std::fs::read_to_string(dir.join("sochi-2018.txt")),
        std::fs::read_to_string(dir.join("sochi-2018.gold.json")),
    ) else {
        eprintln!(
            "note: {} not found; seed extraction test skipped (set DYAD_DATA)",
            dir.display()
        );
        return;
    };
    let gold: serde_json::Value = serde_json::from_str(&gold).expect("gold json");
    let g = &gold["document"];
    let a = dyad_extract::scraped::extract(&page);
    assert_eq!(a.title.as_deref(), g["title"].as_str());
    assert_eq!(a.standfirst.as_deref(), g["standfirst"].as_str());
    assert_eq!(a.language.as_deref(), g["language"].as_str());
    assert!(
        a.text.starts_with(g["body_first_words"].as_str().unwrap()),
        "body starts: {:?}",
        &a.text[..80]
    );
    assert!(
        a.text.ends_with(g["body_last_words"].as_str().unwrap()),
        "body ends wrong"
    );
    let must: Vec<&str> = g["boilerplate_must_be_removed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for m in &must {
        assert!(!a.text.contains(m), "{m:?} still in body");
        assert!(
            a.removed.iter().any(|r| r.text.starts_with(m)),
            "{m:?} not among removed blocks"
        );
    }
    let optional: Vec<&str> = g["may_be_kept_or_dropped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    // Exactly the gold blocks are removed, plus at most the optional ones.
    for r in &a.removed {
        assert!(
            must.iter().any(|m| r.text.starts_with(m)) || optional.contains(&r.text.as_str()),
            "unexpected removed block {:?}",
            r.text
        );
    }
    let footer = a
        .removed
        .iter()
        .find(|r| r.text.starts_with("Middle East Eye"))
        .unwrap();
    assert_eq!(footer.language.as_deref(), Some("fr"));
}
