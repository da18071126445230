//! WARC reader tests on small WARCs generated here.

use super::*;
use flate2::write::GzEncoder;
use flate2::Compression;
use std::io::Write;

const PAGE: &str = "<html><head><title>Talks</title></head><body><p>Ministers met in Vienna on Monday.</p></body></html>";

fn http(status: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut v = format!("HTTP/1.1 {status}\r\n").into_bytes();
    for (k, val) in headers {
        v.extend_from_slice(format!("{k}: {val}\r\n").as_bytes());
    }
    v.extend_from_slice(b"\r\n");
    v.extend_from_slice(body);
    v
}

fn record(kind: &str, id: &str, uri: &str, ctype: &str, block: &[u8]) -> Vec<u8> {
    let mut v = format!(
        "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{id}>\r\nWARC-Date: 2024-05-01T00:00:00Z\r\n\
         WARC-Target-URI: {uri}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\n\r\n",
        block.len()
    )
    .into_bytes();
    v.extend_from_slice(block);
    v.extend_from_slice(b"\r\n\r\n");
    v
}

fn response(id: &str, uri: &str, http_block: &[u8]) -> Vec<u8> {
    record(
        "response",
        id,
        uri,
        "application/http; msgtype=response",
        http_block,
    )
}

fn html_response(id: &str, uri: &str) -> Vec<u8> {
    let h = http(
        "200 OK",
        &[
            ("Content-Type", "text/html; charset=ISO-8859-1"),
            ("Content-Length", &PAGE.len().to_string()),
        ],
        PAGE.as_bytes(),
    );
    response(id, uri, &h)
}

fn gz(b: &[u8]) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), Compression::fast());
    e.write_all(b).unwrap();
    e.finish().unwrap()
}

fn mixed_records() -> Vec<Vec<u8>> {
    vec![
        record(
            "warcinfo",
            "0",
            "",
            "application/warc-fields",
            b"software: test\r\n",
        ),
        record(
            "request",
            "1",
            "https://news.example/a",
            "application/http; msgtype=request",
            b"GET /a HTTP/1.1\r\nHost: news.example\r\n\r\n",
        ),
        html_response("2", "https://news.example/a"),
        response(
            "3",
            "https://news.example/a.pdf",
            &http(
                "200 OK",
                &[("Content-Type", "application/pdf")],
                b"%PDF-1.4",
            ),
        ),
        response(
            "4",
            "https://news.example/gone",
            &http(
                "404 Not Found",
                &[("Content-Type", "text/html")],
                b"<html>nope</html>",
            ),
        ),
        html_response("5", "https://news.example/b"),
    ]
}

fn docs_of(bytes: Vec<u8>) -> (Vec<Doc>, WarcDocs) {
    let mut w = WarcDocs::from_reader(Box::new(io::Cursor::new(bytes)), "t.warc");
    let docs: Vec<Doc> = w.by_ref().collect();
    (docs, w)
}

fn write_tmp(bytes: &[u8], name: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join(name);
    std::fs::write(&p, bytes).unwrap();
    (dir, p)
}

#[test]
fn plain_warc_yields_html_responses_and_counts_the_rest() {
    let (docs, w) = docs_of(mixed_records().concat());
    assert_eq!(docs.len(), 2, "{docs:?}");
    let d = &docs[0];
    assert!(d.error.is_none());
    assert_eq!(d.id, "<urn:uuid:2>");
    assert_eq!(d.source.warc_record_id.as_deref(), Some("<urn:uuid:2>"));
    assert_eq!(d.source.url.as_deref(), Some("https://news.example/a"));
    assert_eq!(d.source.path.as_deref(), Some("t.warc"));
    assert_eq!(d.source.line, Some(3), "record number");
    assert_eq!(d.input.kind, InputKind::Html);
    assert_eq!(d.input.bytes, PAGE.as_bytes());
    assert_eq!(d.input.declared_charset.as_deref(), Some("ISO-8859-1"));
    assert_eq!(docs[1].source.line, Some(6));
    assert_eq!(w.skipped(), 4);
    let s = w.stats();
    assert_eq!(
        (
            s.records,
            s.documents,
            s.not_response,
            s.not_html,
            s.not_ok,
            s.errors
        ),
        (6, 2, 2, 1, 1, 0)
    );
}

#[test]
fn gzip_per_record_file_is_detected_by_content() {
    let bytes: Vec<u8> = mixed_records().iter().flat_map(|r| gz(r)).collect();
    // Named .warc on purpose: the gzip magic decides, not the name.
    let (_d, p) = write_tmp(&bytes, "x.warc");
    let mut w = open(&p).unwrap();
    let docs: Vec<Doc> = w.by_ref().collect();
    assert_eq!(docs.len(), 2);
    assert!(docs.iter().all(|d| d.error.is_none()));
    assert_eq!(
        docs[1].source.url.as_deref(),
        Some("https://news.example/b")
    );
    assert_eq!(w.skipped(), 4);
}

#[test]
fn chunked_transfer_encoding_is_decoded() {
    let (a, b) = PAGE.split_at(40);
    let body = format!(
        "{:x};ext=1\r\n{a}\r\n{:X}\r\n{b}\r\n0\r\n\r\n",
        a.len(),
        b.len()
    );
    let h = http(
        "200 OK",
        &[
            ("Content-Type", "text/html"),
            ("Transfer-Encoding", "chunked"),
        ],
        body.as_bytes(),
    );
    let (docs, _) = docs_of(response("c", "https://x.example/", &h));
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0].input.bytes, PAGE.as_bytes());
    assert_eq!(docs[0].input.declared_charset, None);
}

#[test]
fn chunked_header_on_an_already_dechunked_body_keeps_the_body() {
    let h = http(
        "200 OK",
        &[
            ("Content-Type", "text/html"),
            ("Transfer-Encoding", "chunked"),
        ],
        PAGE.as_bytes(),
    );
    let (docs, _) = docs_of(response("c", "https://x.example/", &h));
    assert_eq!(docs[0].input.bytes, PAGE.as_bytes());
}

#[test]
fn gzip_content_encoding_is_decoded_and_capped() {
    let h = http(
        "200 OK",
        &[("Content-Type", "text/html"), ("Content-Encoding", "gzip")],
        &gz(PAGE.as_bytes()),
    );
    let (docs, _) = docs_of(response("g", "https://x.example/", &h));
    assert_eq!(docs[0].input.bytes, PAGE.as_bytes());

    // A small bomb: 4 MB of zeros against a 1 MB cap.
    let bomb = http(
        "200 OK",
        &[("Content-Type", "text/html"), ("Content-Encoding", "gzip")],
        &gz(&vec![0u8; 4 << 20]),
    );
    let mut bytes = response("b", "https://x.example/bomb", &bomb);
    bytes.extend(html_response("ok", "https://x.example/ok"));
    let mut w =
        WarcDocs::from_reader(Box::new(io::Cursor::new(bytes)), "t").with_max_record_bytes(1 << 20);
    let docs: Vec<Doc> = w.by_ref().collect();
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0].error.as_ref().unwrap().kind, "limit");
    assert!(docs[1].error.is_none());
}

#[test]
fn untyped_payload_is_sniffed() {
    let h = http("200 OK", &[], PAGE.as_bytes());
    let (docs, _) = docs_of(response("u", "https://x.example/", &h));
    assert_eq!(docs.len(), 1);
    let h = http("200 OK", &[], b"just some bytes");
    let (docs, w) = docs_of(response("u", "https://x.example/", &h));
    assert!(docs.is_empty());
    assert_eq!(w.stats().not_html, 1);
}

#[test]
fn truncated_file_ends_with_an_error_doc() {
    let mut bytes = html_response("1", "https://x.example/1");
    let second = html_response("2", "https://x.example/2");
    bytes.extend_from_slice(&second[..second.len() - 60]);
    let (docs, _) = docs_of(bytes);
    assert_eq!(docs.len(), 2);
    assert!(docs[0].error.is_none());
    let e = docs[1].error.as_ref().unwrap();
    assert_eq!((e.stage.as_str(), e.kind.as_str()), ("read", "unreadable"));
    assert!(e.message.contains("truncated WARC"), "{}", e.message);
    assert_eq!(
        docs[1].source.warc_record_id.as_deref(),
        Some("<urn:uuid:2>")
    );

    // Cut inside the header block.
    let (docs, _) = docs_of(b"WARC/1.0\r\nWARC-Type: resp".to_vec());
    assert_eq!(docs.len(), 1);
    assert!(docs[0]
        .error
        .as_ref()
        .unwrap()
        .message
        .contains("inside the header"));
}

#[test]
fn truncated_gzip_stream_ends_with_an_error_doc() {
    let mut bytes = gz(&html_response("1", "https://x.example/1"));
    let second = gz(&html_response("2", "https://x.example/2"));
    bytes.extend_from_slice(&second[..second.len() / 2]);
    let (_d, p) = write_tmp(&bytes, "t.warc.gz");
    let docs: Vec<Doc> = open(&p).unwrap().collect();
    assert_eq!(docs.len(), 2, "{docs:?}");
    assert!(docs[0].error.is_none());
    assert_eq!(docs[1].error.as_ref().unwrap().kind, "unreadable");
}

#[test]
fn garbage_between_records_is_reported_once_and_skipped() {
    let mut bytes = html_response("1", "https://x.example/1");
    bytes.extend_from_slice(b"this is not\r\na WARC record\r\n\r\n");
    bytes.extend(html_response("2", "https://x.example/2"));
    let (docs, _) = docs_of(bytes);
    assert_eq!(docs.len(), 3, "{docs:?}");
    assert!(docs[0].error.is_none());
    let e = docs[1].error.as_ref().unwrap();
    assert_eq!(e.kind, "invalid");
    assert!(e.message.contains("no WARC record"), "{}", e.message);
    assert!(docs[2].error.is_none());
    assert_eq!(docs[2].source.url.as_deref(), Some("https://x.example/2"));
}

#[test]
fn a_bad_header_resyncs_on_the_next_record() {
    let mut bytes =
        b"WARC/1.0\r\nWARC-Type response without colon\r\nContent-Length: 5\r\n\r\nhello\r\n\r\n"
            .to_vec();
    bytes.extend(html_response("2", "https://x.example/2"));
    let (docs, _) = docs_of(bytes);
    assert_eq!(docs.len(), 2, "{docs:?}");
    assert!(docs[0]
        .error
        .as_ref()
        .unwrap()
        .message
        .contains("bad WARC header"));
    assert!(docs[1].error.is_none());
}

#[test]
fn an_oversized_record_is_drained_and_reported() {
    let big = "<p>word</p>".repeat(2000);
    let h = http("200 OK", &[("Content-Type", "text/html")], big.as_bytes());
    let mut bytes = response("big", "https://x.example/big", &h);
    bytes.extend(html_response("2", "https://x.example/2"));
    let mut w =
        WarcDocs::from_reader(Box::new(io::Cursor::new(bytes)), "t").with_max_record_bytes(1000);
    let docs: Vec<Doc> = w.by_ref().collect();
    assert_eq!(docs.len(), 2);
    let e = docs[0].error.as_ref().unwrap();
    assert_eq!(e.kind, "limit");
    assert_eq!(docs[0].id, "<urn:uuid:big>");
    assert!(docs[1].error.is_none());
}

#[test]
fn non_utf8_header_values_do_not_panic() {
    let mut bytes = html_response("1", "https://x.example/1");
    let pos = bytes.windows(9).position(|w| w == b"x.example").unwrap();
    bytes[pos] = 0xff;
    let (docs, _) = docs_of(bytes);
    assert_eq!(docs.len(), 1);
    assert!(docs[0].error.is_none());
    assert!(docs[0].source.url.as_deref().unwrap().contains('\u{fffd}'));
}

#[test]
fn random_bytes_give_one_error_doc() {
    // A deterministic xorshift stream: no newlines guaranteed anywhere.
    let mut x: u64 = 0x9e3779b97f4a7c15;
    let bytes: Vec<u8> = (0..300_000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect();
    let (docs, w) = docs_of(bytes);
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0].error.as_ref().unwrap().kind, "invalid");
    assert_eq!(w.stats().errors, 1);
}

#[test]
fn empty_input_yields_nothing() {
    let (docs, w) = docs_of(Vec::new());
    assert!(docs.is_empty());
    assert_eq!(w.stats(), Stats::default());
}

#[test]
fn lf_only_line_endings_are_accepted() {
    let h = http("200 OK", &[("Content-Type", "text/html")], PAGE.as_bytes());
    let head = format!(
        "WARC/1.0\nWARC-Type: response\nWARC-Record-ID: <urn:uuid:lf>\nContent-Length: {}\n\n",
        h.len()
    );
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(&h);
    bytes.extend_from_slice(b"\n\n");
    bytes.extend(html_response("2", "https://x.example/2"));
    let (docs, _) = docs_of(bytes);
    assert_eq!(docs.len(), 2, "{docs:?}");
    assert!(docs.iter().all(|d| d.error.is_none()));
}

#[test]
fn open_reports_a_missing_file() {
    let e = open(Path::new("/nonexistent/dir/x.warc.gz")).err().unwrap();
    assert!(matches!(e, crate::ReadError::Io { .. }));
}

#[test]
fn content_type_parsing() {
    assert_eq!(
        parse_content_type("Text/HTML; charset=\"utf-8\""),
        ("text/html".to_string(), Some("utf-8".to_string()))
    );
    assert_eq!(
        parse_content_type("text/html;charset="),
        ("text/html".to_string(), None)
    );
}

/// The project's sample WARCs, when the data folder is there (they are
/// third-party files, not part of the repository).
#[test]
fn shared_samples_when_present() {
    let dir = std::env::var("DYAD_DATA")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"))
        .join("warc");
    if !dir.exists() {
        eprintln!("skipped: {} not found", dir.display());
        return;
    }
    for (file, expect) in [
        ("example.warc.gz", 1),
        ("example.warc", 1),
        ("example-iana.org-chunked.warc", 1),
    ] {
        let mut w = open(&dir.join(file)).unwrap();
        let docs: Vec<Doc> = w.by_ref().collect();
        assert_eq!(docs.len(), expect, "{file}: {docs:?}");
        assert!(docs.iter().all(|d| d.error.is_none()), "{file}: {docs:?}");
        assert!(w.skipped() > 0, "{file}");
        if file.contains("chunked") {
            let body = String::from_utf8_lossy(&docs[0].input.bytes).to_string();
            assert!(
                body.trim_start().starts_with("<!doctype html>"),
                "{}",
                &body[..50]
            );
            assert!(body.trim_end().ends_with("</html>"));
            assert_eq!(docs[0].input.declared_charset.as_deref(), Some("UTF-8"));
        }
    }
}

/// The committed news sample (written by jobs/spark/testdata/make_news_warc.py):
/// gzip per record, chunked, ISO-8859-1, gzip content encoding, plus
/// records that must be skipped.
#[test]
fn committed_news_sample() {
    let p =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../jobs/spark/testdata/news-sample.warc.gz");
    let mut w = open(&p).unwrap();
    let docs: Vec<Doc> = w.by_ref().collect();
    assert_eq!(docs.len(), 8);
    assert!(docs.iter().all(|d| d.error.is_none()), "{docs:?}");
    let s = w.stats();
    assert_eq!(
        (s.records, s.not_response, s.not_html, s.not_ok),
        (20, 9, 2, 1)
    );
    assert!(docs
        .iter()
        .all(|d| d.input.bytes.starts_with(b"<!DOCTYPE html>")));
    assert!(docs.iter().all(|d| d.input.bytes.ends_with(b"</html>")));
    let latin = docs
        .iter()
        .find(|d| d.input.declared_charset.as_deref() == Some("ISO-8859-1"))
        .unwrap();
    assert!(
        latin.input.bytes.contains(&0xe9),
        "raw ISO-8859-1 bytes are passed on undecoded"
    );
}
