//! `dyad ingest` reliability: SIGKILL midway then resume, concurrent
//! readers, corrupt inputs, idempotent re-runs. Uses generated documents
//! only (no ../shared/data).

use dyad_store::{EventFilter, Store};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const NAMES: &[&str] = &[
    "Vladimir Putin",
    "Bashar al-Assad",
    "Emmanuel Macron",
    "Angela Merkel",
    "the United Nations",
    "Recep Tayyip Erdogan",
    "Hassan Rouhani",
    "Benjamin Netanyahu",
    "Xi Jinping",
    "NATO",
];
const VERBS: &[&str] = &[
    "met",
    "criticized",
    "praised",
    "called on",
    "visited",
    "accused",
    "thanked",
    "warned",
];
const PLACES: &[&str] = &[
    "Moscow", "Damascus", "Paris", "Berlin", "Geneva", "Ankara", "Tehran", "Beijing",
];

/// A small generated news article; `seed` makes each one different.
fn article(seed: u64) -> String {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = |n: usize| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x % n as u64) as usize
    };
    let mut s = format!("Report number {seed}\n\n");
    for _ in 0..12 {
        let (a, v, b, p) = (
            NAMES[next(NAMES.len())],
            VERBS[next(VERBS.len())],
            NAMES[next(NAMES.len())],
            PLACES[next(PLACES.len())],
        );
        s.push_str(&format!(
            "{a} {v} {b} in {p} on Tuesday, officials said. \"We discussed {} issues,\" {a} said after talks that lasted {} hours.\n\n",
            next(90) + 2,
            next(9) + 1
        ));
    }
    s
}

fn corpus(dir: &Path, n: u64) {
    for i in 0..n {
        std::fs::write(dir.join(format!("doc{i:05}.txt")), article(i)).unwrap();
    }
    // Not gzip at all, though named so: the reader must record an error.
    std::fs::write(dir.join("broken.txt.gz"), b"this is not gzip data at all").unwrap();
}

fn dyad() -> Command {
    Command::new(env!("CARGO_BIN_EXE_dyad"))
}

fn ingest(paths: &[&Path], db: &Path) -> Command {
    let mut c = dyad();
    c.arg("ingest")
        .args(paths)
        .arg("--db")
        .arg(db)
        .args(["--threads", "2", "--batch", "4", "-q"]);
    c.stdout(Stdio::null()).stderr(Stdio::null());
    c
}

fn count(db: &Path, sql: &str) -> i64 {
    let s = Store::open(db).unwrap();
    s.with_connection(|c| c.query_row(sql, [], |r| r.get(0)))
        .unwrap()
}

/// Counts that must match between an interrupted-and-resumed store and a clean one.
fn fingerprint(db: &Path) -> Vec<i64> {
    [
        "SELECT COUNT(*) FROM documents",
        "SELECT COUNT(*) FROM documents WHERE error IS NOT NULL",
        "SELECT COUNT(*) FROM events",
        "SELECT COUNT(*) FROM mentions",
        "SELECT COUNT(*) FROM quotes",
        "SELECT COUNT(*) FROM numbers",
        "SELECT COUNT(*) FROM places",
        "SELECT coalesce(SUM(n_events), 0) FROM documents",
        "SELECT COUNT(*) FROM documents_fts WHERE documents_fts MATCH 'officials'",
    ]
    .iter()
    .map(|q| count(db, q))
    .collect()
}

/// Ctrl-C (SIGINT) midway: the ingest commits what it has coded, says
/// how to resume and exits 130; the resumed store equals a clean one.
#[cfg(unix)]
#[test]
fn ctrl_c_midway_commits_says_how_to_resume_and_exits_130() {
    let tmp = tempfile::tempdir().unwrap();
    let docs: PathBuf = tmp.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    let n = 600;
    corpus(&docs, n);
    let db = tmp.path().join("store.db");

    let mut child = ingest(&[&docs], &db)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    loop {
        let stored = db.exists()
            && Store::open(&db)
                .and_then(|s| s.stats())
                .is_ok_and(|s| s.documents >= 20);
        if stored {
            let st = Command::new("kill")
                .args(["-INT", &child.id().to_string()])
                .status()
                .unwrap();
            assert!(st.success());
            break;
        }
        if let Some(st) = child.try_wait().unwrap() {
            panic!("ingest ended ({st}) before Ctrl-C; make the corpus bigger");
        }
        assert!(
            start.elapsed() < Duration::from_secs(300),
            "ingest made no progress"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("Run the same command again"), "{stderr}");
    let s = Store::open(&db).unwrap();
    assert_eq!(s.integrity_check().unwrap(), "ok");
    let after = count(&db, "SELECT COUNT(*) FROM documents");
    assert!(after < n as i64 + 1, "stopped midway: {after} of {}", n + 1);
    // Every stored document has all its rows (the last batch was committed whole).
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM documents d WHERE n_events != (SELECT COUNT(*) FROM events e WHERE e.doc_id = d.id)"),
        0
    );

    let st = ingest(&[&docs], &db).status().unwrap();
    assert!(matches!(st.code(), Some(0 | 1)), "{st}");
    let clean = tmp.path().join("clean.db");
    ingest(&[&docs], &clean).status().unwrap();
    assert_eq!(fingerprint(&db), fingerprint(&clean));
}

#[test]
fn sigkill_midway_then_resume_loses_and_doubles_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let docs: PathBuf = tmp.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    let n = 600;
    corpus(&docs, n);
    let db = tmp.path().join("store.db");

    let mut child = ingest(&[&docs], &db).spawn().unwrap();
    // Wait until some batches are committed, reading concurrently all along.
    let start = Instant::now();
    let mut reads = 0;
    let killed_at = loop {
        if db.exists() {
            if let Ok(s) = Store::open(&db) {
                let got = s.stats().expect("a reader can query while ingest runs");
                s.query_events(&EventFilter {
                    limit: Some(10),
                    ..Default::default()
                })
                .expect("query while ingesting");
                reads += 1;
                if got.documents >= 20 {
                    child.kill().unwrap(); // SIGKILL
                    child.wait().unwrap();
                    break got.documents;
                }
            }
        }
        if let Some(st) = child.try_wait().unwrap() {
            panic!("ingest ended ({st}) before it could be killed; make the corpus bigger");
        }
        assert!(
            start.elapsed() < Duration::from_secs(300),
            "ingest made no progress"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(reads > 0);
    let after_kill = count(&db, "SELECT COUNT(*) FROM documents");
    assert!(
        after_kill < n as i64 + 1,
        "killed midway: {after_kill} of {}",
        n + 1
    );
    assert!(after_kill >= killed_at as i64);

    let broken_stored = count(
        &db,
        "SELECT COUNT(*) FROM documents WHERE key LIKE '%broken.txt.gz'",
    ) == 1;

    // Resume: same command. Exit 1 when this run met the broken file.
    let st = ingest(&[&docs], &db).status().unwrap();
    assert_eq!(st.code(), Some(if broken_stored { 0 } else { 1 }));
    let s = Store::open(&db).unwrap();
    assert_eq!(s.integrity_check().unwrap(), "ok");
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM documents"),
        n as i64 + 1,
        "nothing lost"
    );
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM (SELECT doc_id, idx FROM events GROUP BY doc_id, idx HAVING COUNT(*) > 1)"),
        0,
        "no event doubled"
    );
    let broken = s
        .query_documents(&EventFilter {
            text: None,
            limit: None,
            ..Default::default()
        })
        .unwrap()
        .into_iter()
        .find(|d| d.key.ends_with("broken.txt.gz"))
        .expect("the corrupt file is recorded");
    assert!(
        broken.error.as_deref().unwrap_or("").starts_with("read"),
        "{:?}",
        broken.error
    );

    // The same as a clean, uninterrupted ingest.
    let clean = tmp.path().join("clean.db");
    ingest(&[&docs], &clean).status().unwrap();
    assert_eq!(fingerprint(&db), fingerprint(&clean));

    // A third run changes nothing and reports success.
    let before = fingerprint(&db);
    let st = ingest(&[&docs], &db).status().unwrap();
    assert_eq!(st.code(), Some(0));
    assert_eq!(fingerprint(&db), before);
}

#[test]
fn a_changed_document_is_replaced_and_new_ones_added() {
    let tmp = tempfile::tempdir().unwrap();
    let docs = tmp.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    for i in 0..5 {
        std::fs::write(docs.join(format!("d{i}.txt")), article(i)).unwrap();
    }
    let db = tmp.path().join("s.db");
    assert_eq!(ingest(&[&docs], &db).status().unwrap().code(), Some(0));
    let s = Store::open(&db).unwrap();
    let key = docs.join("d0.txt").display().to_string();
    let id = s.document_id(&key).unwrap().expect("stored under its path");
    std::fs::write(docs.join("d0.txt"), article(99)).unwrap();
    std::fs::write(docs.join("d5.txt"), article(5)).unwrap();
    let out = ingest(&[&docs], &db)
        .arg("--json")
        .stdout(Stdio::piped())
        .output()
        .unwrap();
    let p: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (
            p["inserted"].as_u64(),
            p["replaced"].as_u64(),
            p["unchanged"].as_u64()
        ),
        (Some(1), Some(1), Some(4)),
        "{p}"
    );
    assert_eq!(
        s.document_id(&key).unwrap(),
        Some(id),
        "a replaced document keeps its id"
    );
    // The replaced text is searchable through a handle opened before the
    // re-ingest. (Search for words of the stored text: extraction drops
    // the short "Report number N" first line of these files, so a search
    // for it finds nothing, whatever the index does.)
    let text = |s: &Store| {
        s.get_document(id).unwrap().unwrap().record["article"]["text"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let new_text = text(&s);
    assert!(!new_text.contains("Report number"), "see the comment above");
    let phrase: String = new_text
        .split_whitespace()
        .take(12)
        .collect::<Vec<_>>()
        .join(" ");
    let hits = s.search(&phrase).unwrap();
    assert!(hits.iter().any(|h| h.id == id), "{phrase:?}: {hits:?}");
    // The old text is gone from the index: a fresh store agrees hit for hit.
    let fresh = Store::open(&db).unwrap();
    assert_eq!(
        fresh
            .search(&phrase)
            .unwrap()
            .iter()
            .map(|h| h.id)
            .collect::<Vec<_>>(),
        hits.iter().map(|h| h.id).collect::<Vec<_>>()
    );
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM documents_fts WHERE documents_fts MATCH 'officials'"
        ),
        count(
            &db,
            "SELECT COUNT(*) FROM documents WHERE text LIKE '%officials%'"
        ),
        "the full-text index agrees with the table"
    );
    // FTS5's own check of an external-content index against its table.
    s.with_connection(|c| {
        c.execute(
            "INSERT INTO documents_fts(documents_fts) VALUES('integrity-check')",
            [],
        )
    })
    .expect("FTS index consistent with the documents table");
    assert_eq!(s.stats().unwrap().documents, 6);
}
