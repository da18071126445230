//! Snapshot of `dyad code` on the bundled example page: the whole output
//! record (extraction, sentences, entities, events, quotes, numbers,
//! places, dates). A change in any stage shows up here as a reviewable
//! diff (`cargo insta review`).

use std::process::Command;

#[test]
fn code_on_the_bundled_example() {
    let out = Command::new(env!("CARGO_BIN_EXE_dyad"))
        .args([
            "code",
            "--format",
            "jsonl",
            "--date",
            "2023-03-09",
            "../../examples/ankara-talks.html",
        ])
        .output()
        .expect("dyad runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rec: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON record");
    // Every span must slice the article text back (char offsets).
    let text: Vec<char> = rec["article"]["text"].as_str().unwrap().chars().collect();
    for e in rec["entities"].as_array().unwrap() {
        let (a, b) = (
            e["start"].as_u64().unwrap() as usize,
            e["end"].as_u64().unwrap() as usize,
        );
        let s: String = text[a..b].iter().collect();
        assert_eq!(s, e["text"].as_str().unwrap());
    }
    insta::assert_json_snapshot!(rec);
}
