//! CLI tests for `dyad code`: input kinds, output formats and every
//! bad-input case of the foundation issue (each yields a record with an
//! error and a one-line stderr message naming the file; other documents
//! still come out; the exit code says whether any failed).

use std::path::Path;
use std::process::{Command, Output, Stdio};

fn dyad() -> Command {
    Command::new(env!("CARGO_BIN_EXE_dyad"))
}

fn run(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut c = dyad();
    c.args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().expect("spawn dyad");
    if let Some(input) = stdin {
        use std::io::Write;
        child.stdin.take().unwrap().write_all(input).unwrap();
    }
    child.wait_with_output().expect("dyad runs")
}

fn records(out: &Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad JSONL line {l:?}: {e}")))
        .collect()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p.to_string_lossy().to_string()
}

const GOOD: &str = "Ministers meet in Ankara\n\nTurkish Foreign Minister Mevlut Cavusoglu met his \
Ukrainian counterpart Dmytro Kuleba in Ankara on Thursday. They discussed the grain corridor.\n";

#[test]
fn bad_inputs_each_get_an_error_record_and_the_good_one_still_comes_out() {
    let d = tempfile::tempdir().unwrap();
    let good = write(d.path(), "good.txt", GOOD.as_bytes());
    let empty = write(d.path(), "empty.txt", b"");
    let mut bin = Vec::new();
    for i in 0..4096u32 {
        bin.push((i.wrapping_mul(2654435761) >> 13) as u8);
        bin.push(0);
    }
    let binary = write(d.path(), "binary.txt", &bin);
    let missing = d.path().join("missing.txt").to_string_lossy().to_string();
    let out = run(
        &[
            "code", "--format", "jsonl", &empty, &good, &binary, &missing,
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1), "exit 1 when a document failed");
    let recs = records(&out);
    assert_eq!(recs.len(), 4, "one record per input");
    let stderr = String::from_utf8_lossy(&out.stderr);
    for (rec, path, kind) in [
        (&recs[0], &empty, "empty"),
        (&recs[2], &binary, "binary"),
        (&recs[3], &missing, "unreadable"),
    ] {
        assert_eq!(rec["error"]["kind"], kind, "{path}: {rec}");
        assert!(
            stderr.lines().any(|l| l.contains(path.as_str())),
            "stderr names {path}: {stderr}"
        );
    }
    assert!(recs[1].get("error").is_none(), "good doc: {}", recs[1]);
    assert!(recs[1]["article"]["text"]
        .as_str()
        .unwrap()
        .contains("Cavusoglu"));
    assert!(!recs[1]["sentences"].as_array().unwrap().is_empty());
}

#[test]
fn clean_input_keeps_the_text_exactly_and_rejects_invalid_utf8() {
    let d = tempfile::tempdir().unwrap();
    let text = "  Line one.\r\n\r\nLine “two” — with é.  ";
    let good = write(d.path(), "a.txt", text.as_bytes());
    let bad = write(d.path(), "b.txt", b"ok \xff\xfe bytes");
    let out = run(&["code", "--clean", "--format", "jsonl", &good, &bad], None);
    assert_eq!(out.status.code(), Some(1));
    let recs = records(&out);
    assert_eq!(recs[0]["article"]["text"], text);
    // Offsets are Unicode scalar offsets that slice the text back.
    let chars: Vec<char> = text.chars().collect();
    for s in recs[0]["sentences"].as_array().unwrap() {
        let (a, b) = (
            s["start"].as_u64().unwrap() as usize,
            s["end"].as_u64().unwrap() as usize,
        );
        assert!(a < b && b <= chars.len());
    }
    assert!(recs[1]["error"]["message"]
        .as_str()
        .unwrap()
        .contains("UTF-8"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("b.txt"));
}

#[test]
fn oversized_input_is_an_error_record() {
    let d = tempfile::tempdir().unwrap();
    let big = vec![b'a'; 50 * 1024 * 1024 + 10];
    let p = write(d.path(), "big.txt", &big);
    let out = run(&["code", "--format", "jsonl", &p], None);
    assert_eq!(out.status.code(), Some(1));
    let recs = records(&out);
    assert_eq!(recs[0]["error"]["kind"], "limit");
    assert!(String::from_utf8_lossy(&out.stderr).contains("big.txt"));
}

#[test]
fn jsonl_on_stdin_keeps_ids_order_and_dates() {
    let input = "{\"id\":\"first\",\"text\":\"Alpha met Beta.\",\"date\":\"2020-01-02\"}\n\
                 not json\n\
                 {\"id\":\"third\",\"html\":\"<html><body><p>Gamma visited Delta on Monday.</p></body></html>\"}\n";
    let out = run(&["code", "--input", "jsonl", "-"], Some(input.as_bytes()));
    assert_eq!(out.status.code(), Some(1), "the broken line fails");
    let recs = records(&out);
    assert_eq!(recs.len(), 3);
    assert_eq!(recs[0]["id"], "first");
    assert_eq!(recs[0]["source"]["line"], 1);
    assert!(recs[1]["error"]["message"]
        .as_str()
        .unwrap()
        .contains("JSONL"));
    assert_eq!(recs[2]["id"], "third");
    assert!(recs[2]["article"]["text"]
        .as_str()
        .unwrap()
        .contains("Gamma"));
}

#[test]
fn gzip_and_directories_are_read() {
    use std::io::Write;
    let d = tempfile::tempdir().unwrap();
    std::fs::create_dir(d.path().join("sub")).unwrap();
    write(d.path(), "sub/a.txt", GOOD.as_bytes());
    let gz = std::fs::File::create(d.path().join("sub/b.txt.gz")).unwrap();
    let mut enc = flate2::write::GzEncoder::new(gz, Default::default());
    enc.write_all(GOOD.as_bytes()).unwrap();
    enc.finish().unwrap();
    let out = run(
        &["code", "--format", "jsonl", d.path().to_str().unwrap()],
        None,
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let recs = records(&out);
    assert_eq!(recs.len(), 2);
    assert_eq!(recs[0]["article"]["text"], recs[1]["article"]["text"]);
}

#[test]
fn json_format_is_one_valid_array_and_table_has_a_title_line() {
    let d = tempfile::tempdir().unwrap();
    let a = write(d.path(), "a.txt", GOOD.as_bytes());
    let out = run(&["code", "--format", "json", "--pretty", &a, &a], None);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert_eq!(v.as_array().unwrap().len(), 2);
    let out = run(&["code", "--format", "table", &a], None);
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(s.starts_with("== "), "{s}");
}

#[test]
fn bad_usage_exits_2() {
    let out = run(&["code", "--date", "17/05/2018", "x"], None);
    assert_eq!(out.status.code(), Some(2));
    let out = run(&["code", "--input", "pdf", "x"], None);
    assert_eq!(out.status.code(), Some(2));
}
