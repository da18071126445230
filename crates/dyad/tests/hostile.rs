//! Hostile inputs: one test per row of `docs/hostile-inputs.md`, plus one
//! batch with all of them and a good article.
//!
//! Each test writes its input into a temporary folder (nothing big is
//! committed), runs the built `dyad code` binary on it and checks that the
//! run ends in bounded time and memory, without a crash (a signal or a
//! panic message), with one record per input that is either a clear error
//! or best-effort output. The limits are deliberately generous: this is not
//! a timing test, a hang or a quadratic blow-up shows as minutes.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Wall-clock limit for one run (debug builds are several times slower
/// than release; a hang would still blow through this).
const TIME_LIMIT: Duration = Duration::from_secs(240);
/// Peak resident memory limit for one run.
const RSS_LIMIT_MB: u64 = 1500;

/// A news article written for this test, with clear events.
const GOOD: &str = "German Chancellor Olaf Scholz met French President Emmanuel Macron in Berlin on Tuesday \
to discuss support for Ukraine. The two leaders agreed to increase military aid to Kyiv, officials said. \
Scholz said Germany would send 500 million euros in aid this year. \u{201c}Europe must be able to defend \
itself,\u{201d} Macron told reporters.\n";

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    secs: f64,
    peak_rss_mb: u64,
    timed_out: bool,
}

impl Run {
    fn records(&self) -> Vec<serde_json::Value> {
        self.stdout
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                serde_json::from_str(l)
                    .unwrap_or_else(|e| panic!("output line is not JSON ({e}): {l:.200}"))
            })
            .collect()
    }

    /// Ended by itself, in time, within memory, without a crash.
    fn assert_bounded(&self, what: &str) {
        assert!(
            !self.timed_out,
            "{what}: still running after {TIME_LIMIT:?} (killed)"
        );
        assert!(
            matches!(self.code, Some(0) | Some(1)),
            "{what}: exit {:?} (a signal or a fatal error); stderr: {:.2000}",
            self.code,
            self.stderr
        );
        assert!(
            !self.stderr.contains("panicked") && !self.stderr.contains("stack overflow"),
            "{what}: crash message on stderr: {:.2000}",
            self.stderr
        );
        assert!(
            self.peak_rss_mb <= RSS_LIMIT_MB,
            "{what}: peak RSS {} MB over {RSS_LIMIT_MB} MB",
            self.peak_rss_mb
        );
        eprintln!(
            "{what}: exit {:?}, {:.1} s, peak RSS {} MB",
            self.code, self.secs, self.peak_rss_mb
        );
    }
}

/// Runs `dyad code --format jsonl ARGS`, with stdin from `stdin` if given.
fn dyad(args: &[&std::ffi::OsStr], stdin: Option<&Path>, work: &Path) -> Run {
    let out = work.join("stdout");
    let err = work.join("stderr");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dyad"));
    cmd.arg("code").arg("--format").arg("jsonl").args(args);
    cmd.stdout(std::fs::File::create(&out).unwrap());
    cmd.stderr(std::fs::File::create(&err).unwrap());
    match stdin {
        Some(p) => cmd.stdin(std::fs::File::open(p).unwrap()),
        None => cmd.stdin(Stdio::null()),
    };
    let start = Instant::now();
    let mut child = cmd.spawn().expect("run dyad");
    let status_path = format!("/proc/{}/status", child.id());
    let mut peak_kb = 0u64;
    let mut timed_out = false;
    let status = loop {
        // VmHWM is the peak so far: the last read before exit is the peak.
        if let Ok(s) = std::fs::read_to_string(&status_path) {
            if let Some(kb) = s
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<u64>().ok())
            {
                peak_kb = peak_kb.max(kb);
            }
        }
        if let Some(st) = child.try_wait().unwrap() {
            break st;
        }
        if start.elapsed() > TIME_LIMIT {
            timed_out = true;
            let _ = child.kill();
            break child.wait().unwrap();
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Run {
        code: status.code(),
        stdout: std::fs::read_to_string(&out).unwrap_or_default(),
        stderr: String::from_utf8_lossy(&std::fs::read(&err).unwrap_or_default()).into_owned(),
        secs: start.elapsed().as_secs_f64(),
        peak_rss_mb: peak_kb / 1024,
        timed_out,
    }
}

/// Deterministic pseudo-random bytes (xorshift64).
fn random_bytes(n: usize, mut x: u64) -> Vec<u8> {
    let mut v = Vec::with_capacity(n);
    while v.len() < n {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        v.extend_from_slice(&x.to_le_bytes());
    }
    v.truncate(n);
    v
}

/// The hostile inputs, by row of the table. Each returns the file name.
mod inputs {
    use super::*;

    pub fn empty(dir: &Path) -> PathBuf {
        let p = dir.join("empty.txt");
        std::fs::write(&p, b"").unwrap();
        p
    }

    pub fn random(dir: &Path) -> PathBuf {
        let p = dir.join("random.bin");
        std::fs::write(&p, random_bytes(2 << 20, 0x2545_f491_4f6c_dd1d)).unwrap();
        p
    }

    pub fn invalid_utf8(dir: &Path) -> PathBuf {
        let p = dir.join("invalid-utf8.txt");
        let mut v = b"The foreign minister arrived in Vienna on Monday. ".to_vec();
        v.extend_from_slice(
            b"Bad bytes \xff\xfe here, a lone \x80 continuation, a cut \xe2\x82 sequence",
        );
        v.extend_from_slice(b" and an overlong \xc0\xaf slash. Talks resumed in the afternoon.\n");
        std::fs::write(&p, v).unwrap();
        p
    }

    /// 20 MB of sentences on one line, no newline anywhere.
    pub fn long_line(dir: &Path) -> PathBuf {
        let p = dir.join("long-line.txt");
        let unit = "Officials met in Geneva and the talks went on. ";
        let s = unit.repeat(20_000_000 / unit.len());
        std::fs::write(&p, s).unwrap();
        p
    }

    /// 10 MB of words with no punctuation and no newline: one "sentence".
    pub fn no_punct(dir: &Path) -> PathBuf {
        let p = dir.join("no-punctuation.txt");
        let words = [
            "the", "army", "said", "talks", "would", "continue", "in", "Geneva", "with", "rebels",
        ];
        let mut s = String::with_capacity(10 << 20);
        let r = random_bytes(3 << 20, 0x9e37_79b9_7f4a_7c15);
        let mut i = 0;
        while s.len() < 10 << 20 {
            s.push_str(words[r[i % r.len()] as usize % words.len()]);
            s.push(' ');
            i += 1;
        }
        std::fs::write(&p, s).unwrap();
        p
    }

    pub fn deep_html(dir: &Path) -> PathBuf {
        let p = dir.join("deep.html");
        let mut s = String::from("<!DOCTYPE html><html><head><title>Deep</title></head><body>");
        s.push_str(&"<div>".repeat(100_000));
        s.push_str("<p>The minister met the envoy in Geneva on Monday.</p>");
        s.push_str(&"</div>".repeat(100_000));
        s.push_str("</body></html>");
        std::fs::write(&p, s).unwrap();
        p
    }

    /// 1 GiB of zeros, gzip-compressed (about 1 MB on disk).
    pub fn gzip_bomb(dir: &Path) -> PathBuf {
        let p = dir.join("bomb.txt.gz");
        let f = std::fs::File::create(&p).unwrap();
        let mut e =
            flate2::write::GzEncoder::new(std::io::BufWriter::new(f), flate2::Compression::best());
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..1024 {
            e.write_all(&zeros).unwrap();
        }
        e.finish().unwrap().flush().unwrap();
        p
    }

    /// The committed news WARC cut at 60%: records before the cut, then an
    /// error record.
    pub fn truncated_warc(dir: &Path) -> PathBuf {
        let src = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../jobs/spark/testdata/news-sample.warc.gz");
        let b = std::fs::read(src).unwrap();
        let p = dir.join("truncated.warc.gz");
        std::fs::write(&p, &b[..b.len() * 6 / 10]).unwrap();
        p
    }

    pub fn broken_jsonl(dir: &Path) -> PathBuf {
        let p = dir.join("broken.jsonl");
        let good = serde_json::json!({"id": "j1", "text": GOOD}).to_string();
        let good2 = serde_json::json!({"id": "j3", "text": GOOD}).to_string();
        let s = format!("{good}\n{{\"id\": \"j2\", \"text\": \"an unterminated string\n{good2}\n");
        std::fs::write(&p, s).unwrap();
        p
    }

    /// Quotation marks that open and never close, over 200 KB.
    pub fn unclosed_quotes(dir: &Path) -> PathBuf {
        let p = dir.join("unclosed-quotes.txt");
        let mut s = String::from("The spokesman said \u{201c}we will not negotiate. ");
        for i in 0..2000 {
            s.push_str(&format!(
                "Paragraph {i} goes on \"without closing and \u{201c}again the minister said that talks in Geneva would continue \u{2018}soon. "
            ));
        }
        std::fs::write(&p, s).unwrap();
        p
    }

    pub fn good(dir: &Path) -> PathBuf {
        let p = dir.join("good.txt");
        std::fs::write(&p, GOOD).unwrap();
        p
    }
}

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

/// Runs one input file and returns its run and records.
fn run_one(make: fn(&Path) -> PathBuf, what: &str) -> (Run, Vec<serde_json::Value>) {
    let dir = tmp();
    let p = make(dir.path());
    let r = dyad(&[p.as_os_str()], None, dir.path());
    r.assert_bounded(what);
    let recs = r.records();
    (r, recs)
}

fn error_kind(rec: &serde_json::Value) -> Option<&str> {
    rec.get("error").and_then(|e| e["kind"].as_str())
}

fn text(rec: &serde_json::Value) -> &str {
    rec["article"]["text"].as_str().unwrap_or("")
}

#[test]
fn empty_file() {
    let (_, recs) = run_one(inputs::empty, "empty file");
    assert_eq!(recs.len(), 1);
    assert_eq!(error_kind(&recs[0]), Some("empty"), "{}", recs[0]);
}

#[test]
fn random_bytes_2mb() {
    let (_, recs) = run_one(inputs::random, "2 MB random bytes");
    assert_eq!(recs.len(), 1);
    assert_eq!(
        error_kind(&recs[0]),
        Some("binary"),
        "{:.500}",
        recs[0].to_string()
    );
}

#[test]
fn invalid_utf8() {
    let (_, recs) = run_one(inputs::invalid_utf8, "invalid UTF-8");
    assert_eq!(recs.len(), 1);
    assert_eq!(
        error_kind(&recs[0]),
        None,
        "best effort expected: {}",
        recs[0]
    );
    // Decoded best effort (the charset detector picks a legacy encoding
    // for the bad bytes); the valid text around them survives.
    assert!(text(&recs[0]).contains("Talks resumed"), "{}", recs[0]);
    assert!(text(&recs[0]).contains("arrived in Vienna"), "{}", recs[0]);
}

#[test]
fn line_of_20mb_without_newline() {
    let (_, recs) = run_one(inputs::long_line, "20 MB line");
    assert_eq!(recs.len(), 1);
    assert_eq!(
        error_kind(&recs[0]),
        Some("limit"),
        "{:.300}",
        recs[0].to_string()
    );
}

#[test]
fn sentence_of_10mb_without_punctuation() {
    let (_, recs) = run_one(inputs::no_punct, "10 MB sentence");
    assert_eq!(recs.len(), 1);
    assert_eq!(
        error_kind(&recs[0]),
        Some("limit"),
        "{:.300}",
        recs[0].to_string()
    );
}

#[test]
fn html_nested_100000_deep() {
    let (_, recs) = run_one(inputs::deep_html, "HTML 100,000 deep");
    assert_eq!(recs.len(), 1);
    if error_kind(&recs[0]).is_none() {
        assert!(
            text(&recs[0]).contains("envoy in Geneva"),
            "{:.500}",
            recs[0].to_string()
        );
    }
}

#[test]
fn gzip_bomb_1gb_of_zeros() {
    let (_, recs) = run_one(inputs::gzip_bomb, "gzip bomb");
    assert_eq!(recs.len(), 1);
    assert!(
        error_kind(&recs[0]).is_some(),
        "{:.500}",
        recs[0].to_string()
    );
}

#[test]
fn truncated_warc() {
    let (_, recs) = run_one(inputs::truncated_warc, "truncated WARC");
    assert!(recs.len() >= 2, "{} records", recs.len());
    let last = recs.last().unwrap();
    assert_eq!(error_kind(last), Some("unreadable"), "{last}");
    assert!(recs[..recs.len() - 1]
        .iter()
        .all(|r| error_kind(r).is_none()));
}

#[test]
fn jsonl_with_a_broken_line() {
    let (_, recs) = run_one(inputs::broken_jsonl, "broken JSONL line");
    let ids: Vec<&str> = recs
        .iter()
        .map(|r| r["id"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(recs.len(), 3, "{ids:?}");
    assert!(error_kind(&recs[1]).is_some());
    assert!(error_kind(&recs[0]).is_none() && error_kind(&recs[2]).is_none());
    assert_eq!((ids[0], ids[2]), ("j1", "j3"));
}

#[test]
fn quotes_that_never_close() {
    let (_, recs) = run_one(inputs::unclosed_quotes, "unclosed quotes");
    assert_eq!(recs.len(), 1);
    assert_eq!(error_kind(&recs[0]), None, "{:.300}", recs[0].to_string());
}

/// All hostile inputs and one good article in one batch: the good
/// article's events still come out.
#[test]
fn batch_with_every_hostile_input_still_codes_the_good_article() {
    let dir = tmp();
    let d = dir.path();
    let files = vec![
        inputs::empty(d),
        inputs::random(d),
        inputs::invalid_utf8(d),
        inputs::long_line(d),
        inputs::no_punct(d),
        inputs::deep_html(d),
        inputs::gzip_bomb(d),
        inputs::truncated_warc(d),
        inputs::broken_jsonl(d),
        inputs::unclosed_quotes(d),
        inputs::good(d),
    ];
    batch_yields_the_good_article(files, d);
}

/// The same batch without the rows that fail today, so a regression in
/// the others is caught while those are being fixed.
#[test]
fn batch_of_the_rows_handled_today_still_codes_the_good_article() {
    let dir = tmp();
    let d = dir.path();
    let files = vec![
        inputs::empty(d),
        inputs::random(d),
        inputs::invalid_utf8(d),
        inputs::gzip_bomb(d),
        inputs::truncated_warc(d),
        inputs::broken_jsonl(d),
        inputs::unclosed_quotes(d),
        inputs::good(d),
    ];
    batch_yields_the_good_article(files, d);
}

fn batch_yields_the_good_article(files: Vec<PathBuf>, d: &Path) {
    let args: Vec<&std::ffi::OsStr> = files.iter().map(|p| p.as_os_str()).collect();
    let r = dyad(&args, None, d);
    r.assert_bounded("batch");
    assert_eq!(r.code, Some(1), "some inputs fail, so exit 1");
    let recs = r.records();
    let good = recs
        .iter()
        .find(|r| {
            r["source"]["path"]
                .as_str()
                .is_some_and(|p| p.ends_with("good.txt"))
        })
        .expect("the good article's record");
    assert_eq!(error_kind(good), None, "{good}");
    let events = good["events"].as_array().map(|a| a.len()).unwrap_or(0);
    assert!(events > 0, "the good article yields events: {good}");
}
