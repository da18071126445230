//! WARC input: one [`Doc`] per HTTP response record with an HTML payload.
//!
//! Handles plain `.warc` and `.warc.gz` with one gzip member per record (the
//! Common Crawl layout; detected by the gzip magic, not the file name), HTTP
//! chunked transfer encoding and gzip/deflate content encoding in the
//! payload, and the charset of the HTTP `Content-Type` header (passed on as
//! `input.declared_charset`). Requests, metadata, warcinfo, revisits,
//! non-HTML and non-2xx responses are skipped and counted
//! ([`WarcDocs::skipped`], [`WarcDocs::stats`]).
//!
//! Memory is bounded whatever the file: records are framed by their
//! `Content-Length` and read one at a time, every header line and header
//! block has a cap, and a payload over the record cap (50 MB by default) is
//! drained without being kept and reported as a `limit` error document.
//! A broken record (bad header, garbage between records) becomes one error
//! document and the reader resynchronises on the next `WARC/` line; a
//! truncated file or a corrupt gzip stream ends the iteration with an error
//! document.
//!
//! The header block is parsed by the `warc` crate's parser. Its record
//! readers are not used for framing: they buffer a record (or a line) of
//! any length in memory before checking it, and `Record::header` panics on
//! a header value that is not UTF-8, so hostile files could exhaust memory
//! or abort a batch.
//!
//! ```
//! use std::io::Write;
//! let body = "<html><head><title>T</title></head><body><p>Hi.</p></body></html>";
//! let http = format!(
//!     "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\r\n{body}",
//!     body.len()
//! );
//! let rec = format!(
//!     "WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:1>\r\n\
//!      WARC-Target-URI: https://news.example/a\r\nContent-Type: application/http; msgtype=response\r\n\
//!      Content-Length: {}\r\n\r\n{http}\r\n\r\n",
//!     http.len()
//! );
//! let path = std::env::temp_dir().join("dyad-warc-doctest.warc");
//! std::fs::File::create(&path).unwrap().write_all(rec.as_bytes()).unwrap();
//! let docs: Vec<_> = dyad_read::warc::open(&path).unwrap().collect();
//! assert_eq!(docs.len(), 1);
//! assert_eq!(docs[0].source.url.as_deref(), Some("https://news.example/a"));
//! assert_eq!(docs[0].input.declared_charset.as_deref(), Some("utf-8"));
//! ```

use dyad_core::{Doc, DocError, InputKind, Source, StageError};
use flate2::read::{MultiGzDecoder, ZlibDecoder};
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;
use warc::WarcHeader;

/// Longest WARC or HTTP header line kept (longer lines are an error).
const MAX_LINE: u64 = 64 * 1024;
/// Largest WARC header block.
const MAX_HEADER_BLOCK: usize = 256 * 1024;
/// Bytes sniffed to decide whether an untyped payload is HTML.
const SNIFF: usize = 1024;

/// Counts of records that did not become documents.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Records read (all types, including broken ones).
    pub records: u64,
    /// Response records turned into documents (including error documents
    /// for a payload over the cap or a broken encoding).
    pub documents: u64,
    /// Non-response records (warcinfo, request, metadata, revisit ...).
    pub not_response: u64,
    /// Responses whose payload is not HTML.
    pub not_html: u64,
    /// Responses with a status outside 200-299 (redirects, errors).
    pub not_ok: u64,
    /// Error documents for broken or truncated records.
    pub errors: u64,
}

/// Iterator over the HTML response records of one WARC file.
pub struct WarcDocs {
    r: Counted<Box<dyn BufRead + Send>>,
    name: String,
    max_record: u64,
    stats: Stats,
    /// The first line of the next record, when a resync already read it.
    lookahead: Option<Vec<u8>>,
    done: bool,
}

/// Opens a WARC file (`.warc` or gzip-per-record `.warc.gz`) for streaming.
/// Only failing to open the file is an error here; problems inside the
/// file come out as error documents.
pub fn open(path: &Path) -> Result<WarcDocs, crate::ReadError> {
    let name = path.to_string_lossy().to_string();
    let io_err = |e: io::Error| crate::ReadError::Io {
        path: name.clone(),
        source: e,
    };
    let file = File::open(path).map_err(io_err)?;
    let mut raw = BufReader::with_capacity(256 * 1024, file);
    let gz = raw.fill_buf().map_err(io_err)?.starts_with(&[0x1f, 0x8b]);
    let inner: Box<dyn BufRead + Send> = if gz {
        Box::new(BufReader::with_capacity(
            256 * 1024,
            MultiGzDecoder::new(raw),
        ))
    } else {
        Box::new(raw)
    };
    Ok(WarcDocs::from_reader(inner, name))
}

impl WarcDocs {
    /// Reads WARC records from an already-decompressed stream; `name` is
    /// the `source.path` of the documents.
    pub fn from_reader(r: Box<dyn BufRead + Send>, name: impl Into<String>) -> Self {
        WarcDocs {
            r: Counted { inner: r, pos: 0 },
            name: name.into(),
            max_record: crate::MAX_DOC_BYTES,
            stats: Stats::default(),
            lookahead: None,
            done: false,
        }
    }

    /// Sets the largest record block (HTTP headers + payload) that is read
    /// into memory; larger ones become `limit` error documents.
    pub fn with_max_record_bytes(mut self, n: u64) -> Self {
        self.max_record = n;
        self
    }

    /// Records skipped because they are not HTML documents (requests,
    /// metadata, non-HTML or non-2xx responses ...).
    pub fn skipped(&self) -> u64 {
        self.stats.not_response + self.stats.not_html + self.stats.not_ok
    }

    /// Detailed counts so far.
    pub fn stats(&self) -> Stats {
        self.stats
    }

    fn source(&self, n: u64, url: Option<String>, id: Option<String>) -> Source {
        Source {
            path: Some(self.name.clone()),
            url,
            warc_record_id: id,
            line: Some(n),
        }
    }

    fn error_doc(
        &mut self,
        n: u64,
        id: Option<String>,
        url: Option<String>,
        err: StageError,
    ) -> Doc {
        self.stats.errors += 1;
        let doc_id = id.clone().unwrap_or_else(|| format!("{}#{n}", self.name));
        let src = self.source(n, url, id);
        Doc::failed(doc_id, src, DocError::new("read", &err))
    }

    /// Reads one line of at most [`MAX_LINE`] bytes (`Ok(None)` at EOF).
    fn line(&mut self) -> io::Result<Option<Vec<u8>>> {
        let mut buf = Vec::new();
        let n = (&mut self.r).take(MAX_LINE).read_until(b'\n', &mut buf)?;
        Ok(if n == 0 { None } else { Some(buf) })
    }

    /// Skips blank lines (the CRLFs after a record) and returns the first
    /// non-blank line.
    fn first_line(&mut self) -> io::Result<Option<Vec<u8>>> {
        loop {
            match self.line()? {
                None => return Ok(None),
                Some(l) if is_blank(&l) => continue,
                Some(l) => return Ok(Some(l)),
            }
        }
    }

    /// Skips to the next line starting with `WARC/`; returns it, or `None`
    /// at EOF, and how many bytes were skipped.
    fn resync(&mut self) -> io::Result<(Option<Vec<u8>>, u64)> {
        let start = self.r.pos;
        loop {
            let before = self.r.pos;
            match self.line()? {
                None => return Ok((None, self.r.pos - start)),
                Some(l) if l.starts_with(b"WARC/") => return Ok((Some(l), before - start)),
                Some(_) => {}
            }
        }
    }

    /// Reads exactly `n` bytes, or fewer at EOF.
    fn read_block(&mut self, n: u64) -> io::Result<Vec<u8>> {
        let mut v = Vec::with_capacity(n.min(1 << 20) as usize);
        (&mut self.r).take(n).read_to_end(&mut v)?;
        Ok(v)
    }

    /// Discards `n` bytes; returns how many were there.
    fn skip_block(&mut self, n: u64) -> io::Result<u64> {
        io::copy(&mut (&mut self.r).take(n), &mut io::sink())
    }

    /// Reads the next record. `Ok(None)`: skipped, go on. Errors of the
    /// stream itself end the iteration.
    fn next_record(&mut self, mut first: Vec<u8>) -> io::Result<Step> {
        self.stats.records += 1;
        let n = self.stats.records;
        let rec_start = self.r.pos - first.len() as u64;
        if !first.starts_with(b"WARC/") {
            let (next, skipped) = self.resync()?;
            let err = StageError::Invalid(format!(
                "no WARC record at byte {rec_start}: skipped {} bytes of non-WARC data",
                skipped + first.len() as u64
            ));
            let doc = self.error_doc(n, None, None, err);
            return Ok(Step::Doc(Box::new(doc), next));
        }
        // The header block, up to the blank line.
        loop {
            if first.len() > MAX_HEADER_BLOCK {
                let (next, _) = self.resync()?;
                let err = StageError::Limit(format!(
                    "WARC header block at byte {rec_start} longer than {} KB",
                    MAX_HEADER_BLOCK / 1024
                ));
                return Ok(Step::Doc(
                    Box::new(self.error_doc(n, None, None, err)),
                    next,
                ));
            }
            match self.line()? {
                None => {
                    self.done = true;
                    let err = StageError::Unreadable(format!(
                        "truncated WARC: the file ends inside the header of record {n} (byte {rec_start})"
                    ));
                    return Ok(Step::Doc(
                        Box::new(self.error_doc(n, None, None, err)),
                        None,
                    ));
                }
                Some(l) => {
                    let blank = is_blank(&l);
                    first.extend_from_slice(&l);
                    if blank {
                        break;
                    }
                }
            }
        }
        let head = match parse_warc_header(&first) {
            Ok(h) => h,
            Err(msg) => {
                let (next, _) = self.resync()?;
                let err =
                    StageError::Invalid(format!("bad WARC header at byte {rec_start}: {msg}"));
                return Ok(Step::Doc(
                    Box::new(self.error_doc(n, None, None, err)),
                    next,
                ));
            }
        };
        let id = head.record_id.clone();
        let url = head.target_uri.clone();
        let Some(len) = head.content_length else {
            let (next, _) = self.resync()?;
            let err = StageError::Invalid(format!(
                "WARC record at byte {rec_start} has no valid Content-Length"
            ));
            return Ok(Step::Doc(Box::new(self.error_doc(n, id, url, err)), next));
        };
        let is_http_response = head.warc_type.eq_ignore_ascii_case("response")
            && head
                .content_type
                .as_deref()
                .map(|c| c.to_ascii_lowercase().starts_with("application/http"))
                .unwrap_or(true);
        if !is_http_response {
            let got = self.skip_block(len)?;
            if got < len {
                return Ok(self.truncated(n, id, url, got, len));
            }
            self.stats.not_response += 1;
            return Ok(Step::Skip);
        }
        if len > self.max_record {
            let got = self.skip_block(len)?;
            if got < len {
                return Ok(self.truncated(n, id, url, got, len));
            }
            self.stats.documents += 1;
            let err = StageError::Limit(format!(
                "WARC record of {len} bytes exceeds the {} MB record limit",
                self.max_record / (1024 * 1024)
            ));
            return Ok(Step::Doc(Box::new(self.error_doc(n, id, url, err)), None));
        }
        let block = self.read_block(len)?;
        if (block.len() as u64) < len {
            return Ok(self.truncated(n, id, url, block.len() as u64, len));
        }
        match http_payload(block, self.max_record) {
            Payload::Html { body, charset } => {
                self.stats.documents += 1;
                let doc_id = id.clone().unwrap_or_else(|| format!("{}#{n}", self.name));
                let src = self.source(n, url, id);
                let mut doc = Doc::from_bytes(doc_id, src, body, InputKind::Html);
                doc.input.declared_charset = charset;
                Ok(Step::Doc(Box::new(doc), None))
            }
            Payload::NotHtml => {
                self.stats.not_html += 1;
                Ok(Step::Skip)
            }
            Payload::NotOk => {
                self.stats.not_ok += 1;
                Ok(Step::Skip)
            }
            Payload::Broken(err) => {
                self.stats.documents += 1;
                Ok(Step::Doc(Box::new(self.error_doc(n, id, url, err)), None))
            }
        }
    }

    fn truncated(
        &mut self,
        n: u64,
        id: Option<String>,
        url: Option<String>,
        got: u64,
        len: u64,
    ) -> Step {
        self.done = true;
        let err = StageError::Unreadable(format!(
            "truncated WARC: record {n} ends after {got} of its {len} bytes"
        ));
        Step::Doc(Box::new(self.error_doc(n, id, url, err)), None)
    }
}

/// What reading one record gave.
enum Step {
    /// A document; plus the first line of the next record when resyncing
    /// already read it.
    Doc(Box<Doc>, Option<Vec<u8>>),
    Skip,
}

impl Iterator for WarcDocs {
    type Item = Doc;
    fn next(&mut self) -> Option<Doc> {
        loop {
            if self.done {
                return None;
            }
            let first = match self.lookahead.take() {
                Some(l) => Ok(Some(l)),
                None => self.first_line(),
            };
            let first = match first {
                Ok(Some(l)) => l,
                Ok(None) => {
                    self.done = true;
                    return None;
                }
                Err(e) => return Some(self.stream_error(e)),
            };
            match self.next_record(first) {
                Ok(Step::Skip) => continue,
                Ok(Step::Doc(d, next)) => {
                    self.lookahead = next;
                    return Some(*d);
                }
                Err(e) => return Some(self.stream_error(e)),
            }
        }
    }
}

impl WarcDocs {
    /// An I/O or decompression error of the stream: nothing after it can
    /// be trusted, so the iteration ends with one error document.
    fn stream_error(&mut self, e: io::Error) -> Doc {
        self.done = true;
        let n = self.stats.records.max(1);
        let what = match e.kind() {
            io::ErrorKind::InvalidData | io::ErrorKind::InvalidInput => "corrupt data",
            io::ErrorKind::UnexpectedEof => "unexpected end of file",
            _ => "read error",
        };
        let err = StageError::Unreadable(format!(
            "{what} at byte {} of the (decompressed) WARC stream: {e}; the rest of the file is skipped",
            self.r.pos
        ));
        self.error_doc(n, None, None, err)
    }
}

/// A buffered reader that counts the bytes consumed, for error messages.
struct Counted<R> {
    inner: R,
    pos: u64,
}

impl<R: BufRead> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.pos += n as u64;
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counted<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }
    fn consume(&mut self, amt: usize) {
        self.pos += amt as u64;
        self.inner.consume(amt)
    }
}

fn is_blank(line: &[u8]) -> bool {
    line == b"\r\n" || line == b"\n"
}

/// The WARC header fields dyad uses.
#[derive(Debug, Default)]
struct WarcHead {
    warc_type: String,
    record_id: Option<String>,
    target_uri: Option<String>,
    content_type: Option<String>,
    content_length: Option<u64>,
}

/// Parses a header block (version line to blank line) with the `warc`
/// crate's parser. Values that are not UTF-8 are decoded lossily rather
/// than rejected: a bad byte in a URL should not lose the page.
fn parse_warc_header(block: &[u8]) -> Result<WarcHead, String> {
    let (_, (_version, fields, _len)) = warc::parser::headers(block).map_err(|e| match e {
        nom::Err::Incomplete(_) => "incomplete header block".to_string(),
        nom::Err::Error(e) | nom::Err::Failure(e) => {
            let at = block.len() - e.input.len();
            format!(
                "malformed header line at offset {at} of the block ({:?})",
                e.code
            )
        }
    })?;
    let mut h = WarcHead::default();
    for (name, value) in fields {
        let value = String::from_utf8_lossy(value).trim().to_string();
        match WarcHeader::from(name) {
            WarcHeader::WarcType => h.warc_type = value,
            WarcHeader::RecordID => h.record_id = Some(value),
            WarcHeader::TargetURI => {
                h.target_uri = Some(value.trim_matches(['<', '>']).to_string())
            }
            WarcHeader::ContentType => h.content_type = Some(value),
            WarcHeader::ContentLength => h.content_length = value.parse().ok(),
            _ => {}
        }
    }
    if h.warc_type.is_empty() {
        return Err("no WARC-Type".into());
    }
    Ok(h)
}

/// What an HTTP response block holds.
enum Payload {
    Html {
        body: Vec<u8>,
        charset: Option<String>,
    },
    NotHtml,
    NotOk,
    Broken(StageError),
}

/// Splits an HTTP response into status, headers and body; decodes chunked
/// transfer encoding and gzip/deflate content encoding (with `cap` on the
/// decoded size, against compression bombs).
fn http_payload(block: Vec<u8>, cap: u64) -> Payload {
    let Some(head_end) = find_head_end(&block) else {
        return Payload::Broken(StageError::Invalid(
            "HTTP response without a header/body separator".into(),
        ));
    };
    let head = String::from_utf8_lossy(&block[..head_end.0]);
    let mut lines = head.split('\n').map(|l| l.trim_end_matches('\r'));
    let status_line = lines.next().unwrap_or("");
    let status: Option<u16> = status_line
        .strip_prefix("HTTP/")
        .and_then(|r| r.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok());
    match status {
        Some(s) if (200..300).contains(&s) => {}
        Some(_) => return Payload::NotOk,
        None => {
            return Payload::Broken(StageError::Invalid(format!(
                "not an HTTP status line: {:?}",
                status_line.chars().take(80).collect::<String>()
            )))
        }
    }
    let mut content_type = None;
    let mut chunked = false;
    let mut encoding = None;
    for l in lines {
        let Some((k, v)) = l.split_once(':') else {
            continue;
        };
        let v = v.trim();
        match k.trim().to_ascii_lowercase().as_str() {
            "content-type" => content_type = Some(v.to_string()),
            "transfer-encoding" => chunked |= v.to_ascii_lowercase().contains("chunked"),
            "content-encoding" => encoding = Some(v.to_ascii_lowercase()),
            _ => {}
        }
    }
    let mut body = block;
    body.drain(..head_end.1);
    if chunked {
        if let Some(b) = dechunk(&body) {
            body = b;
        }
    }
    match encoding.as_deref() {
        None | Some("") | Some("identity") => {}
        Some("gzip") | Some("x-gzip") => {
            match decode_capped(flate2::read::GzDecoder::new(&body[..]), cap) {
                Ok(b) => body = b,
                Err(e) => return Payload::Broken(e),
            }
        }
        Some("deflate") => match decode_capped(ZlibDecoder::new(&body[..]), cap) {
            Ok(b) => body = b,
            Err(e) => return Payload::Broken(e),
        },
        Some(other) => {
            return Payload::Broken(StageError::Unreadable(format!(
                "unsupported HTTP Content-Encoding {other:?}"
            )))
        }
    }
    let (mime, charset) = match &content_type {
        Some(ct) => parse_content_type(ct),
        None => (String::new(), None),
    };
    let html = match mime.as_str() {
        "text/html" | "application/xhtml+xml" => true,
        "" => sniff_html(&body),
        _ => false,
    };
    if !html {
        return Payload::NotHtml;
    }
    Payload::Html { body, charset }
}

/// End of the HTTP header (start of the blank line) and start of the body.
fn find_head_end(b: &[u8]) -> Option<(usize, usize)> {
    let crlf = b
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|p| (p, p + 4));
    let lf = b.windows(2).position(|w| w == b"\n\n").map(|p| (p, p + 2));
    match (crlf, lf) {
        (Some(a), Some(b)) => Some(if a.0 <= b.0 { a } else { b }),
        (a, b) => a.or(b),
    }
}

/// Decodes HTTP chunked transfer encoding. `None` when the body does not
/// start with a chunk size (some archives store the body already
/// de-chunked but keep the header). A truncated or malformed tail keeps
/// what was decoded before it.
fn dechunk(b: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    let mut first = true;
    loop {
        let line_end = b[i..].iter().position(|&c| c == b'\n')? + i;
        let line = std::str::from_utf8(&b[i..line_end]).ok();
        let size = line.and_then(|l| {
            let hex = l.trim().split(';').next().unwrap_or("").trim();
            usize::from_str_radix(hex, 16).ok()
        });
        let Some(size) = size else {
            return if first { None } else { Some(out) };
        };
        first = false;
        i = line_end + 1;
        if size == 0 {
            return Some(out);
        }
        let end = i.saturating_add(size).min(b.len());
        out.extend_from_slice(&b[i..end]);
        if end < i + size {
            return Some(out);
        }
        i = end;
        // The CRLF after the chunk data.
        if b[i..].starts_with(b"\r\n") {
            i += 2;
        } else if b[i..].starts_with(b"\n") {
            i += 1;
        }
        if i >= b.len() {
            return Some(out);
        }
    }
}

fn decode_capped(r: impl Read, cap: u64) -> Result<Vec<u8>, StageError> {
    let mut out = Vec::new();
    r.take(cap + 1)
        .read_to_end(&mut out)
        .map_err(|e| StageError::Unreadable(format!("bad HTTP content encoding: {e}")))?;
    if out.len() as u64 > cap {
        return Err(StageError::Limit(format!(
            "HTTP payload decompresses to more than {} MB",
            cap / (1024 * 1024)
        )));
    }
    Ok(out)
}

/// `text/html; charset="UTF-8"` → (`text/html`, `Some("UTF-8")`).
fn parse_content_type(ct: &str) -> (String, Option<String>) {
    let mut parts = ct.split(';');
    let mime = parts.next().unwrap_or("").trim().to_ascii_lowercase();
    let charset = parts.find_map(|p| {
        let (k, v) = p.split_once('=')?;
        if !k.trim().eq_ignore_ascii_case("charset") {
            return None;
        }
        let v = v.trim().trim_matches(['"', '\'']).trim();
        (!v.is_empty()).then(|| v.to_string())
    });
    (mime, charset)
}

/// An untyped payload is HTML when its first bytes hold an HTML tag.
fn sniff_html(body: &[u8]) -> bool {
    let head = &body[..body.len().min(SNIFF)];
    let lower: Vec<u8> = head.iter().map(|b| b.to_ascii_lowercase()).collect();
    [&b"<!doctype html"[..], b"<html", b"<head", b"<body"]
        .iter()
        .any(|t| lower.windows(t.len()).any(|w| w == *t))
}

#[cfg(test)]
mod tests;
