//! dyad-fuzz: fuzz targets for the parts of dyad that read untrusted bytes.
//!
//! A target takes arbitrary bytes and returns `Err` for a finding: a panic
//! inside a stage (the pipeline catches it and records an `internal`
//! error, so it is looked for here), or a document whose spans do not
//! point into its text on character boundaries. A panic outside the
//! pipeline (the readers) unwinds to the engine, which records it too.
//! Hangs are the engine's business (a watchdog in `fuzz-stable`,
//! `-timeout` in libFuzzer).
//!
//! ```
//! use dyad_fuzz::{run, Target};
//! assert!(run(Target::Warc, b"WARC/1.0\r\nWARC-Type: response\r\n").is_ok());
//! assert!(run(Target::Text, "Mr. Smith said \u{201c}no.".as_bytes()).is_ok());
//! ```

use dyad_core::{Doc, InputKind, Pipeline, Source};
use std::io::Write;
use std::sync::OnceLock;

/// What a fuzz input is fed to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// HTML extraction (input kind `html`).
    Html,
    /// Scraped-text extraction (input kind `text`).
    Scraped,
    /// The WARC reader, then extraction of each record.
    Warc,
    /// The JSONL reader (via a file, as `dyad code` reads it).
    Jsonl,
    /// Normalisation, tokeniser and sentence splitter on clean text.
    Text,
    /// The whole `dyad code` pipeline, kind sniffed.
    Code,
}

impl Target {
    pub const ALL: [Target; 6] = [
        Target::Html,
        Target::Scraped,
        Target::Warc,
        Target::Jsonl,
        Target::Text,
        Target::Code,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Target::Html => "html",
            Target::Scraped => "scraped",
            Target::Warc => "warc",
            Target::Jsonl => "jsonl",
            Target::Text => "text",
            Target::Code => "code",
        }
    }

    pub fn from_name(s: &str) -> Option<Target> {
        Target::ALL.into_iter().find(|t| t.name() == s)
    }
}

fn extraction() -> &'static Pipeline {
    static P: OnceLock<Pipeline> = OnceLock::new();
    P.get_or_init(dyad_pipeline::extraction)
}

fn text_pipeline() -> &'static Pipeline {
    static P: OnceLock<Pipeline> = OnceLock::new();
    P.get_or_init(|| Pipeline::new(dyad_text::stages()))
}

fn standard() -> &'static Pipeline {
    static P: OnceLock<Pipeline> = OnceLock::new();
    P.get_or_init(|| dyad_pipeline::standard().expect("the standard pipeline loads"))
}

/// Feeds `data` to `target`. `Err` describes a finding.
/// Loads every lazily initialised model and table (tagger, parser, NER,
/// gazetteer, dictionaries) by coding one small article, so that the first
/// fuzz input is not charged for start-up: under AddressSanitizer on a busy
/// machine that took longer than libFuzzer's per-input timeout.
pub fn warm_up() {
    let page = b"<html><body><h1>Talks in Sochi</h1><p>Russian President Vladimir Putin met \
        Syrian leader Bashar al-Assad in Sochi on Thursday, the Kremlin said.</p></body></html>";
    run(Target::Code, page).expect("the warm-up article codes");
}

pub fn run(target: Target, data: &[u8]) -> Result<(), String> {
    match target {
        Target::Html => extract(data, InputKind::Html),
        Target::Scraped => extract(data, InputKind::Text),
        Target::Warc => warc(data),
        Target::Jsonl => jsonl(data),
        Target::Text => {
            let text = String::from_utf8_lossy(data).into_owned();
            let mut doc = Doc::from_clean_text("fuzz", Source::path("fuzz"), text.clone());
            text_pipeline().run(&mut doc);
            check(&doc)?;
            if doc.text() != text {
                return Err("the text stage changed clean article text".into());
            }
            Ok(())
        }
        Target::Code => {
            let mut doc =
                Doc::from_bytes("fuzz", Source::path("fuzz"), data.to_vec(), InputKind::Auto);
            standard().run(&mut doc);
            check(&doc)?;
            // The output record must build (char offsets, serialisation).
            let _ = doc.to_record().to_string();
            Ok(())
        }
    }
}

fn extract(data: &[u8], kind: InputKind) -> Result<(), String> {
    let mut doc = Doc::from_bytes("fuzz", Source::path("fuzz"), data.to_vec(), kind);
    extraction().run(&mut doc);
    check(&doc)
}

fn warc(data: &[u8]) -> Result<(), String> {
    let r = std::io::Cursor::new(data.to_vec());
    let docs = dyad_read::warc::WarcDocs::from_reader(Box::new(r), "fuzz.warc")
        .with_max_record_bytes(1 << 20);
    let mut n = 0usize;
    for mut doc in docs {
        n += 1;
        if n > data.len() + 1 {
            return Err(format!(
                "{n} documents from {} bytes: the reader does not advance",
                data.len()
            ));
        }
        if doc.error.is_none() {
            extraction().run(&mut doc);
        }
        check(&doc)?;
    }
    Ok(())
}

fn jsonl(data: &[u8]) -> Result<(), String> {
    // Through a real file, as `dyad code` reads it; one file per thread.
    thread_local! {
        static DIR: std::path::PathBuf = {
            let d = std::env::temp_dir().join(format!("dyad-fuzz-{}-{:?}", std::process::id(), std::thread::current().id()));
            std::fs::create_dir_all(&d).expect("temp dir");
            d
        };
    }
    let path = DIR.with(|d| d.join("input.jsonl"));
    std::fs::File::create(&path)
        .and_then(|mut f| f.write_all(data))
        .map_err(|e| format!("cannot write the fuzz input: {e}"))?;
    let opts = dyad_read::ReadOptions {
        format: dyad_read::InputFormat::Jsonl,
        max_doc_bytes: 1 << 20,
        ..Default::default()
    };
    let lines = data.iter().filter(|&&b| b == b'\n').count() + 1;
    let mut n = 0usize;
    for mut doc in dyad_read::Reader::new(vec![path.clone()], opts) {
        n += 1;
        if n > lines {
            return Err(format!("{n} documents from {lines} lines"));
        }
        if doc.error.is_none() {
            extraction().run(&mut doc);
        }
        check(&doc)?;
    }
    Ok(())
}

/// Invariants of any document the pipeline hands back.
pub fn check(doc: &Doc) -> Result<(), String> {
    if let Some(e) = &doc.error {
        if e.kind == "internal" {
            return Err(format!("panic in stage {}: {}", e.stage, e.message));
        }
    }
    let text = doc.text();
    let mut bad = None;
    let mut d = doc.clone();
    d.map_offsets(&mut |o: &mut usize| {
        if bad.is_none() && (*o > text.len() || !text.is_char_boundary(*o)) {
            bad = Some(*o);
        }
    });
    if let Some(o) = bad {
        return Err(format!(
            "a span offset {o} is outside the text ({} bytes) or not on a char boundary",
            text.len()
        ));
    }
    for s in &doc.sentences {
        if s.start > s.end {
            return Err(format!("sentence {}..{} is reversed", s.start, s.end));
        }
    }
    for t in &doc.tokens {
        if t.start > t.end {
            return Err(format!("token {}..{} is reversed", t.start, t.end));
        }
    }
    Ok(())
}

/// Seed inputs per target: small, hand-written, covering the syntax each
/// reader knows. Files under `fuzz/corpus/<target>/` and
/// `fuzz/regressions/<target>/` are added by the engines.
pub fn seeds(target: Target) -> Vec<Vec<u8>> {
    const HTML: &str = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Talks resume | Daily</title>\
<meta property=\"article:published_time\" content=\"2024-05-14T09:00:00Z\">\
<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"headline\":\"Talks resume\",\"author\":{\"name\":\"A. Writer\"}}</script>\
</head><body><nav><a href=\"/\">Home</a></nav><article><h1>Talks resume</h1><p class=\"byline\">By A. Writer</p>\
<p>GENEVA (Daily) - The two delegations met in Geneva on Monday, officials said.</p>\
<p>\u{201c}We are ready,\u{201d} the envoy said. 2.3 million people were displaced.</p>\
<figure><figcaption>A caption</figcaption></figure></article><footer>&copy; Daily</footer></body></html>";
    const TEXT: &str = "Talks resume in Geneva\n\nBy A. Writer\n14 May 2024\n\nThe two delegations met in Geneva on Monday, \
officials said. Mr. Smith of the U.S. State Dept. said: \"We are ready.\" About 350,000 people fled.\n\nLire aussi : autre article\n\u{a9} Le Journal 2024\n";
    match target {
        Target::Html => vec![HTML.into(), b"<p>x".to_vec(), b"<html><body><table><tr><td>a<td>b</table>".to_vec()],
        Target::Scraped | Target::Text => vec![
            TEXT.into(),
            "Il a dit \u{ab} non \u{bb}. Puis il est parti.".into(),
            b"A.B.C. 1.5 e.g. ... ?! \"' \xe2\x80\x9c".to_vec(),
        ],
        Target::Code => vec![HTML.into(), TEXT.into()],
        Target::Jsonl => vec![
            format!(
                "{}\n{{\"id\": 2, \"html\": \"<p>Hi there.</p>\", \"url\": \"https://x.example/\", \"date\": \"2024-05-01\"}}\n",
                serde_json_line("1", TEXT)
            )
            .into_bytes(),
            b"{\"id\":\"a\",\"text\":\"x\\u00e9\\ud83d\\ude00\"}\n\n{broken\n".to_vec(),
        ],
        Target::Warc => vec![warc_seed(HTML, false), warc_seed(HTML, true)],
    }
}

fn serde_json_line(id: &str, text: &str) -> String {
    let esc: String = text
        .chars()
        .map(|c| match c {
            '"' => "\\\"".to_string(),
            '\\' => "\\\\".to_string(),
            '\n' => "\\n".to_string(),
            c => c.to_string(),
        })
        .collect();
    format!("{{\"id\": \"{id}\", \"text\": \"{esc}\"}}")
}

fn warc_seed(html: &str, chunked: bool) -> Vec<u8> {
    let body = if chunked {
        let (a, b) = html.split_at(100);
        format!("{:x}\r\n{a}\r\n{:x}\r\n{b}\r\n0\r\n\r\n", a.len(), b.len())
    } else {
        html.to_string()
    };
    let te = if chunked {
        "Transfer-Encoding: chunked\r\n"
    } else {
        ""
    };
    let http =
        format!("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n{te}\r\n{body}");
    let mut out = String::new();
    out.push_str("WARC/1.0\r\nWARC-Type: warcinfo\r\nWARC-Record-ID: <urn:uuid:0>\r\nContent-Length: 6\r\n\r\nx: y\r\n\r\n\r\n");
    out.push_str(&format!(
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:1>\r\nWARC-Target-URI: https://x.example/a\r\n\
Content-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n{http}\r\n\r\n",
        http.len()
    ));
    out.into_bytes()
}

/// Tokens the mutator splices in: the syntax each reader cares about.
pub fn dictionary(target: Target) -> &'static [&'static [u8]] {
    match target {
        Target::Html | Target::Code => &[
            b"<div>", b"</div>", b"<p>", b"</p>", b"<script>", b"</script>", b"<!--", b"-->", b"<![CDATA[",
            b"<table>", b"<td>", b"<br>", b"&amp;", b"&#x1F600;", b"&#0;", b"<meta charset=\"shift_jis\">",
            b"<meta http-equiv=\"content-type\" content=\"text/html; charset=utf-16\">", b"<html>", b"<body>",
            b"<article>", b"<title>", b"<h1>", b"<noscript>", b"<template>", b"<svg>", b"<math>", b"\"", b"'",
            b"\xe2\x80\x9c", b"\xe2\x80\x9d", b". ", b"\n\n", b"\0", b"\xef\xbb\xbf", b"\xff\xfe",
            b"<script type=\"application/ld+json\">{\"@graph\":[{\"datePublished\":\"2024-13-45\"}]}</script>",
        ],
        Target::Scraped | Target::Text => &[
            b". ", b"? ", b"! ", b"...", b"\"", b"'", b"\xe2\x80\x9c", b"\xe2\x80\x9d", b"\xe2\x80\x98", b"\xc2\xab",
            b"\xc2\xbb", b"Mr.", b"U.S.", b"e.g.", b"1.5", b"2,300", b"\n", b"\n\n", b"\r\n", b"\t", b"\xc2\xa0",
            b"\xe2\x80\x8b", b"\xcc\x81", b"\xf0\x9f\x98\x80", b"(", b")", b" - ", b"\xe2\x80\x94", b"By ", b"Lire aussi",
        ],
        Target::Warc => &[
            b"WARC/1.0\r\n", b"WARC-Type: response\r\n", b"WARC-Type: request\r\n", b"Content-Length: ",
            b"Content-Length: 99999999999\r\n", b"Content-Length: -1\r\n", b"\r\n\r\n", b"\r\n", b"\n",
            b"HTTP/1.1 200 OK\r\n", b"HTTP/1.1 301 Moved\r\n", b"Transfer-Encoding: chunked\r\n",
            b"Content-Encoding: gzip\r\n", b"Content-Type: text/html; charset=\r\n", b"ffffffff\r\n", b"0\r\n\r\n",
            b"\x1f\x8b\x08\x00",
        ],
        Target::Jsonl => &[
            b"{", b"}", b"\"", b"\\u", b"\\ud800", b"\"text\":", b"\"html\":", b"\"id\":", b"\"date\":\"2024-02-30\"",
            b"null", b"[]", b"1e999", b"\n", b",", b":", b"\xff", b"\\",
        ],
    }
}

/// A small deterministic PRNG (xorshift64*), so runs are reproducible
/// from their seed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// Applies 1-8 random mutations to `data` (bit flips, byte edits,
/// deletions, repeats of a chunk, dictionary tokens, splices of another
/// input, truncation), keeping it under `max_len`.
pub fn mutate(data: &mut Vec<u8>, other: &[u8], dict: &[&[u8]], rng: &mut Rng, max_len: usize) {
    let n = 1 + rng.below(8);
    for _ in 0..n {
        let len = data.len();
        match rng.below(9) {
            0 if len > 0 => {
                let i = rng.below(len);
                data[i] ^= 1 << rng.below(8);
            }
            1 if len > 0 => {
                let i = rng.below(len);
                data[i] = rng.next() as u8;
            }
            2 => {
                let i = rng.below(len + 1);
                let k = 1 + rng.below(8);
                let bytes: Vec<u8> = (0..k).map(|_| rng.next() as u8).collect();
                data.splice(i..i, bytes);
            }
            3 if len > 0 => {
                let i = rng.below(len);
                let k = 1 + rng.below((len - i).min(64));
                data.drain(i..i + k);
            }
            4 if len > 0 => {
                // Repeat a chunk many times: deep nesting, long runs,
                // quadratic paths.
                let i = rng.below(len);
                let k = 1 + rng.below((len - i).min(32));
                let chunk = data[i..i + k].to_vec();
                let times = 1 + rng.below(256);
                let mut rep = Vec::with_capacity(k * times);
                for _ in 0..times {
                    rep.extend_from_slice(&chunk);
                }
                data.splice(i..i, rep);
            }
            5 | 6 if !dict.is_empty() => {
                let tok = dict[rng.below(dict.len())];
                let i = rng.below(len + 1);
                data.splice(i..i, tok.iter().copied());
            }
            7 if !other.is_empty() => {
                let a = rng.below(other.len());
                let b = a + rng.below(other.len() - a) + 1;
                let i = rng.below(len + 1);
                data.splice(i..i, other[a..b].iter().copied());
            }
            8 if len > 0 => data.truncate(rng.below(len)),
            _ => {}
        }
        if data.len() > max_len {
            data.truncate(max_len);
        }
    }
}
