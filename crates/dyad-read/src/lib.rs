//! dyad-read: turns what the user points dyad at into a stream of [`Doc`]s.
//!
//! Inputs: files, directories (walked recursively, sorted, hidden files
//! skipped), `-` for stdin, `.gz` files (decompressed transparently, with a
//! cap on the decompressed size), JSONL records
//! `{"id", "text" | "html", "url"?, "date"?}` and WARC files (see [`warc`]).
//!
//! Reading is lazy and streaming: [`Reader`] is an iterator, so memory stays
//! bounded however many documents there are. A document that cannot be read
//! becomes a [`Doc`] carrying an `error` (stage `read`) naming the problem;
//! the iteration always goes on to the next document.
//!
//! ```
//! use dyad_read::{Reader, ReadOptions};
//! let dir = std::env::temp_dir().join("dyad-read-doctest");
//! std::fs::create_dir_all(&dir).unwrap();
//! std::fs::write(dir.join("a.txt"), "Putin met Assad.").unwrap();
//! let docs: Vec<_> = Reader::new(vec![dir.join("a.txt")], ReadOptions::default()).collect();
//! assert_eq!(docs.len(), 1);
//! assert!(docs[0].error.is_none());
//! ```

pub mod warc;

use dyad_core::{Doc, DocError, InputKind, Source, StageError};
use flate2::read::MultiGzDecoder;
use serde::Deserialize;
use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// Default per-document size limit (bytes, after decompression).
pub const MAX_DOC_BYTES: u64 = 50 * 1024 * 1024;

/// Errors of the read layer that are not tied to one document.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{path}: {source}")]
    Io { path: String, source: io::Error },
    #[error("{0}")]
    Invalid(String),
}

/// How to interpret input files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InputFormat {
    /// By extension, then by sniffing the content.
    #[default]
    Auto,
    Text,
    Html,
    Jsonl,
}

impl std::str::FromStr for InputFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "auto" => Ok(InputFormat::Auto),
            "text" | "txt" => Ok(InputFormat::Text),
            "html" => Ok(InputFormat::Html),
            "jsonl" | "ndjson" => Ok(InputFormat::Jsonl),
            o => Err(format!(
                "unknown input format {o:?} (auto, text, html, jsonl)"
            )),
        }
    }
}

/// Options for [`Reader`].
#[derive(Debug, Clone)]
pub struct ReadOptions {
    pub format: InputFormat,
    /// Inputs are clean article text: no extraction, text kept exactly.
    pub clean: bool,
    /// Date for documents that carry none (`YYYY-MM-DD`).
    pub date: Option<String>,
    /// Per-document size limit in bytes (after decompression).
    pub max_doc_bytes: u64,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            format: InputFormat::Auto,
            clean: false,
            date: None,
            max_doc_bytes: MAX_DOC_BYTES,
        }
    }
}

/// A JSONL input record.
#[derive(Debug, Deserialize)]
struct JsonlRecord {
    #[serde(default)]
    id: Option<serde_json::Value>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    html: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    date: Option<String>,
}

/// Iterator over the documents of a list of inputs.
pub struct Reader {
    opts: ReadOptions,
    /// Inputs still to open (paths expand lazily for directories).
    pending: VecDeque<PathBuf>,
    current: Option<Box<dyn Iterator<Item = Doc> + Send>>,
    /// Non-document records skipped (WARC requests, non-HTML responses ...).
    skipped: u64,
}

impl Reader {
    /// Reads the given paths; `-` is stdin.
    pub fn new(paths: Vec<PathBuf>, opts: ReadOptions) -> Self {
        Reader {
            opts,
            pending: paths.into(),
            current: None,
            skipped: 0,
        }
    }

    /// Records skipped so far because they are not documents.
    pub fn skipped(&self) -> u64 {
        self.skipped
    }

    fn open(&mut self, path: PathBuf) -> Box<dyn Iterator<Item = Doc> + Send> {
        let opts = self.opts.clone();
        if path.as_os_str() == "-" {
            return read_stream(Box::new(io::stdin()), "-".into(), opts, None);
        }
        if path.is_dir() {
            // Expand in sorted order so output is deterministic; the files
            // go to the front of the queue to keep the user's order.
            // Symlinks are followed (a folder of links is a common way to
            // pick a corpus subset); walkdir detects loops.
            let mut files: Vec<PathBuf> = walkdir::WalkDir::new(&path)
                .follow_links(true)
                .sort_by_file_name()
                .into_iter()
                .filter_entry(|e| {
                    e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.')
                })
                .filter_map(|e| e.ok())
                .filter(|e| e.file_type().is_file())
                .map(|e| e.into_path())
                .collect();
            files.reverse();
            for f in files {
                self.pending.push_front(f);
            }
            return Box::new(std::iter::empty());
        }
        let name = path.to_string_lossy().to_string();
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".warc") || lower.ends_with(".warc.gz") {
            return match warc::open(&path) {
                Ok(w) => Box::new(w),
                Err(e) => Box::new(std::iter::once(read_failed(&name, &e.to_string()))),
            };
        }
        let file = match File::open(&path) {
            Ok(f) => f,
            Err(e) => return Box::new(std::iter::once(read_failed(&name, &describe_io(&e)))),
        };
        let gz = lower.ends_with(".gz");
        let inner = if gz {
            lower.trim_end_matches(".gz")
        } else {
            &lower
        };
        let ext_kind = kind_by_extension(inner);
        let src: Box<dyn Read + Send> = if gz {
            Box::new(MultiGzDecoder::new(BufReader::new(file)))
        } else {
            Box::new(file)
        };
        read_stream(src, name, opts, ext_kind)
    }
}

impl Iterator for Reader {
    type Item = Doc;
    fn next(&mut self) -> Option<Doc> {
        loop {
            if let Some(it) = &mut self.current {
                if let Some(d) = it.next() {
                    return Some(d);
                }
                self.current = None;
            }
            let path = self.pending.pop_front()?;
            let it = self.open(path);
            self.current = Some(it);
        }
    }
}

/// What the extension says about a file (`None`: decide by sniffing).
fn kind_by_extension(lower: &str) -> Option<InputFormat> {
    let ext = Path::new(lower).extension()?.to_str()?;
    match ext {
        "jsonl" | "ndjson" => Some(InputFormat::Jsonl),
        "html" | "htm" | "xhtml" => Some(InputFormat::Html),
        "txt" | "text" | "md" => Some(InputFormat::Text),
        _ => None,
    }
}

fn describe_io(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file".into(),
        io::ErrorKind::PermissionDenied => "permission denied".into(),
        io::ErrorKind::InvalidData | io::ErrorKind::InvalidInput => format!("corrupt data: {e}"),
        _ => e.to_string(),
    }
}

fn read_failed(name: &str, msg: &str) -> Doc {
    let err = StageError::Unreadable(msg.to_string());
    Doc::failed(name, Source::path(name), DocError::new("read", &err))
}

/// Reads one stream (file, decompressed file or stdin) as one document or,
/// for JSONL, as one document per line.
fn read_stream(
    src: Box<dyn Read + Send>,
    name: String,
    opts: ReadOptions,
    ext_kind: Option<InputFormat>,
) -> Box<dyn Iterator<Item = Doc> + Send> {
    let mut br = BufReader::with_capacity(64 * 1024, src);
    let mut format = match opts.format {
        InputFormat::Auto => ext_kind.unwrap_or(InputFormat::Auto),
        f => f,
    };
    if format == InputFormat::Auto {
        format = match br.fill_buf() {
            Ok(buf) => sniff(buf),
            Err(e) => return Box::new(std::iter::once(read_failed(&name, &describe_io(&e)))),
        };
    }
    if format == InputFormat::Jsonl {
        return Box::new(JsonlDocs {
            br,
            name,
            opts,
            line: 0,
            done: false,
        });
    }
    let limit = opts.max_doc_bytes;
    let mut bytes = Vec::new();
    match br.take(limit + 1).read_to_end(&mut bytes) {
        Ok(_) => {}
        Err(e) => return Box::new(std::iter::once(read_failed(&name, &describe_io(&e)))),
    }
    if bytes.len() as u64 > limit {
        let err = StageError::Limit(format!(
            "document larger than {} MB (after decompression)",
            limit / (1024 * 1024)
        ));
        return Box::new(std::iter::once(Doc::failed(
            name.clone(),
            Source::path(&name),
            DocError::new("read", &err),
        )));
    }
    let kind = match format {
        InputFormat::Html => InputKind::Html,
        InputFormat::Text => InputKind::Text,
        _ => InputKind::Auto,
    };
    Box::new(std::iter::once(make_doc(
        &name,
        Source::path(&name),
        bytes,
        kind,
        &opts,
    )))
}

/// Builds a document from raw bytes, honouring `--clean` and `--date`.
fn make_doc(id: &str, source: Source, bytes: Vec<u8>, kind: InputKind, opts: &ReadOptions) -> Doc {
    let mut doc = if opts.clean {
        match String::from_utf8(bytes) {
            Ok(s) => Doc::from_clean_text(id, source, s),
            Err(e) => {
                let err = StageError::Invalid(format!(
                    "--clean input is not valid UTF-8 (first bad byte at offset {})",
                    e.utf8_error().valid_up_to()
                ));
                Doc::failed(id, source, DocError::new("read", &err))
            }
        }
    } else {
        Doc::from_bytes(id, source, bytes, kind)
    };
    doc.date_hint = opts.date.clone();
    doc
}

/// Guesses the format from the first bytes.
fn sniff(buf: &[u8]) -> InputFormat {
    let start = buf
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(buf.len());
    let head = &buf[start..];
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    if head.first() == Some(&b'{') {
        // A JSON object on the first line: JSONL.
        let line_end = head.iter().position(|&b| b == b'\n').unwrap_or(head.len());
        if serde_json::from_slice::<serde_json::Value>(&head[..line_end]).is_ok() {
            return InputFormat::Jsonl;
        }
    }
    InputFormat::Auto
}

/// One document per JSONL line; a broken line becomes an error document.
struct JsonlDocs {
    br: BufReader<Box<dyn Read + Send>>,
    name: String,
    opts: ReadOptions,
    line: u64,
    done: bool,
}

impl JsonlDocs {
    /// Reads one line of at most `max_doc_bytes`; longer lines are drained
    /// (in bounded memory) and reported.
    fn read_line(&mut self) -> io::Result<Option<Result<Vec<u8>, u64>>> {
        let mut buf = Vec::new();
        let limit = self.opts.max_doc_bytes;
        let n = (&mut self.br).take(limit + 1).read_until(b'\n', &mut buf)?;
        if n == 0 {
            return Ok(None);
        }
        if buf.last() != Some(&b'\n') && buf.len() as u64 > limit {
            // Drain the rest of the oversized line.
            let mut total = buf.len() as u64;
            loop {
                let chunk = self.br.fill_buf()?;
                if chunk.is_empty() {
                    break;
                }
                if let Some(p) = chunk.iter().position(|&b| b == b'\n') {
                    total += p as u64;
                    self.br.consume(p + 1);
                    break;
                }
                let l = chunk.len();
                total += l as u64;
                self.br.consume(l);
            }
            return Ok(Some(Err(total)));
        }
        Ok(Some(Ok(buf)))
    }
}

impl Iterator for JsonlDocs {
    type Item = Doc;
    fn next(&mut self) -> Option<Doc> {
        loop {
            if self.done {
                return None;
            }
            let line = match self.read_line() {
                Ok(None) => {
                    self.done = true;
                    return None;
                }
                Ok(Some(l)) => l,
                Err(e) => {
                    self.done = true;
                    self.line += 1;
                    return Some(self.error_doc(StageError::Unreadable(describe_io(&e))));
                }
            };
            self.line += 1;
            let buf = match line {
                Ok(b) => b,
                Err(len) => {
                    return Some(self.error_doc(StageError::Limit(format!(
                        "JSONL line of {len} bytes exceeds the {} MB document limit",
                        self.opts.max_doc_bytes / (1024 * 1024)
                    ))))
                }
            };
            if buf.iter().all(|b| b.is_ascii_whitespace()) {
                continue;
            }
            return Some(self.parse(&buf));
        }
    }
}

impl JsonlDocs {
    fn source(&self) -> Source {
        Source {
            path: Some(self.name.clone()),
            line: Some(self.line),
            ..Default::default()
        }
    }

    fn error_doc(&self, err: StageError) -> Doc {
        let src = self.source();
        Doc::failed(src.display(), src, DocError::new("read", &err))
    }

    fn parse(&self, buf: &[u8]) -> Doc {
        let rec: JsonlRecord = match serde_json::from_slice(buf) {
            Ok(r) => r,
            Err(e) => {
                return self.error_doc(StageError::Invalid(format!("broken JSONL record: {e}")));
            }
        };
        let mut src = self.source();
        src.url = rec.url.clone();
        let id = match rec.id {
            Some(serde_json::Value::String(s)) => s,
            Some(serde_json::Value::Null) | None => src.display(),
            Some(v) => v.to_string(),
        };
        let (content, kind) = match (rec.text, rec.html) {
            (Some(t), _) => (t, InputKind::Text),
            (None, Some(h)) => (h, InputKind::Html),
            (None, None) => {
                let mut d = self.error_doc(StageError::Invalid(
                    "JSONL record has neither \"text\" nor \"html\"".into(),
                ));
                d.id = id;
                return d;
            }
        };
        let mut doc = if self.opts.clean && kind == InputKind::Text {
            Doc::from_clean_text(id, src, content.clone())
        } else {
            let mut d = Doc::from_bytes(id, src, Vec::new(), kind);
            d.input.decoded = Some(content);
            d
        };
        if self.opts.format == InputFormat::Html {
            doc.input.kind = InputKind::Html;
        }
        doc.article.url = rec.url;
        doc.date_hint = rec.date.or_else(|| self.opts.date.clone());
        doc
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn read_all(paths: Vec<PathBuf>, opts: ReadOptions) -> Vec<Doc> {
        Reader::new(paths, opts).collect()
    }

    #[test]
    fn directory_walk_is_sorted_and_skips_hidden() {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir(d.path().join("sub")).unwrap();
        std::fs::write(d.path().join("b.txt"), "B").unwrap();
        std::fs::write(d.path().join("a.txt"), "A").unwrap();
        std::fs::write(d.path().join("sub/c.txt"), "C").unwrap();
        std::fs::write(d.path().join(".hidden"), "H").unwrap();
        let docs = read_all(vec![d.path().to_path_buf()], ReadOptions::default());
        let names: Vec<_> = docs
            .iter()
            .map(|d| {
                Path::new(&d.id)
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .to_string()
            })
            .collect();
        assert_eq!(names, ["a.txt", "b.txt", "c.txt"]);
        assert_eq!(docs[0].input.bytes, b"A");
    }

    #[cfg(unix)]
    #[test]
    fn directory_walk_follows_symlinks() {
        let d = tempfile::tempdir().unwrap();
        let real = d.path().join("real.txt");
        std::fs::write(&real, "R").unwrap();
        std::fs::create_dir(d.path().join("links")).unwrap();
        std::os::unix::fs::symlink(&real, d.path().join("links/l.txt")).unwrap();
        let docs = read_all(vec![d.path().join("links")], ReadOptions::default());
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].input.bytes, b"R");
    }

    #[test]
    fn gzip_is_transparent_and_capped() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("x.txt.gz");
        let mut enc = flate2::write::GzEncoder::new(File::create(&p).unwrap(), Default::default());
        enc.write_all(&vec![b'a'; 5000]).unwrap();
        enc.finish().unwrap();
        let docs = read_all(vec![p.clone()], ReadOptions::default());
        assert_eq!(docs[0].input.bytes.len(), 5000);
        assert_eq!(docs[0].input.kind, InputKind::Text);
        let opts = ReadOptions {
            max_doc_bytes: 1000,
            ..Default::default()
        };
        let docs = read_all(vec![p], opts);
        let e = docs[0].error.as_ref().expect("limit error");
        assert_eq!(e.kind, "limit");
    }

    #[test]
    fn jsonl_broken_line_does_not_stop_the_batch() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("in.jsonl");
        std::fs::write(
            &p,
            "{\"id\":\"a\",\"text\":\"One.\",\"date\":\"2020-01-02\"}\n{broken\n\n{\"id\":7,\"html\":\"<p>x</p>\",\"url\":\"http://e.x/\"}\n{\"id\":\"n\"}\n",
        )
        .unwrap();
        let docs = read_all(vec![p], ReadOptions::default());
        assert_eq!(docs.len(), 4);
        assert_eq!(docs[0].id, "a");
        assert_eq!(docs[0].date_hint.as_deref(), Some("2020-01-02"));
        assert_eq!(docs[0].input.decoded.as_deref(), Some("One."));
        let e = docs[1].error.as_ref().expect("broken line");
        assert!(e.message.contains("broken JSONL"), "{}", e.message);
        assert_eq!(docs[1].source.line, Some(2));
        assert_eq!(docs[2].id, "7");
        assert_eq!(docs[2].input.kind, InputKind::Html);
        assert_eq!(docs[2].article.url.as_deref(), Some("http://e.x/"));
        assert!(docs[3].error.as_ref().unwrap().message.contains("neither"));
        assert_eq!(docs[3].id, "n");
    }

    #[test]
    fn jsonl_oversized_line_is_an_error_and_reading_goes_on() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("in.jsonl");
        let big = format!("{{\"id\":\"big\",\"text\":\"{}\"}}\n", "x".repeat(5000));
        std::fs::write(&p, format!("{big}{{\"id\":\"ok\",\"text\":\"fine\"}}\n")).unwrap();
        let opts = ReadOptions {
            max_doc_bytes: 1000,
            ..Default::default()
        };
        let docs = read_all(vec![p], opts);
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].error.as_ref().unwrap().kind, "limit");
        assert_eq!(docs[1].id, "ok");
        assert!(docs[1].error.is_none());
    }

    #[test]
    fn clean_text_is_kept_exactly_and_bad_utf8_is_an_error() {
        let d = tempfile::tempdir().unwrap();
        let good = d.path().join("g.txt");
        let bad = d.path().join("b.txt");
        std::fs::write(&good, "  Exact\r\ntext ").unwrap();
        std::fs::write(&bad, b"ok \xff\xfe").unwrap();
        let opts = ReadOptions {
            clean: true,
            date: Some("2018-05-17".into()),
            ..Default::default()
        };
        let docs = read_all(vec![good, bad], opts);
        assert_eq!(docs[0].text(), "  Exact\r\ntext ");
        assert_eq!(docs[0].date_hint.as_deref(), Some("2018-05-17"));
        assert!(docs[1].error.as_ref().unwrap().message.contains("UTF-8"));
    }

    #[test]
    fn missing_file_is_an_error_document() {
        let docs = read_all(vec!["/nonexistent/x.txt".into()], ReadOptions::default());
        assert_eq!(docs.len(), 1);
        let e = docs[0].error.as_ref().unwrap();
        assert_eq!(e.stage, "read");
        assert!(e.message.contains("no such file"));
    }

    #[test]
    fn sniffing_finds_jsonl_without_extension() {
        assert_eq!(sniff(b"  {\"id\":1}\n{\"id\":2}"), InputFormat::Jsonl);
        assert_eq!(sniff(b"<html>"), InputFormat::Auto);
        assert_eq!(sniff(b"{not json"), InputFormat::Auto);
    }
}
