//! Bytes to text: charset choice, HTML-or-text sniffing and binary detection.
//!
//! Order of evidence (as browsers do, with one safety net): a byte-order
//! mark wins; then the charset declared outside the content (HTTP
//! `Content-Type`); then `<meta charset>` / `http-equiv` in the first
//! kilobytes; then detection with `chardetng`. Declarations lie often
//! enough that a declared legacy charset is overruled when the bytes are
//! valid, non-ASCII UTF-8 (a page saved as UTF-8 but still labelled
//! `iso-8859-1` is the common case).

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};

/// How many leading bytes are scanned for `<meta charset>`.
const META_SCAN: usize = 4096;

/// Decodes `bytes` to text, returning the text and the encoding used.
pub fn decode(bytes: &[u8], declared: Option<&str>) -> (String, &'static Encoding) {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (t, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return (t.into_owned(), enc);
    }
    let valid_utf8 = std::str::from_utf8(bytes).is_ok();
    let labelled = declared
        .and_then(|l| Encoding::for_label(l.trim().as_bytes()))
        .or_else(|| meta_charset(&bytes[..bytes.len().min(META_SCAN)]));
    let enc = match labelled {
        // UTF-16 cannot be declared from inside an ASCII-compatible page.
        Some(e) if e == UTF_16LE || e == UTF_16BE => UTF_8,
        Some(e) if e != UTF_8 && valid_utf8 && !bytes.is_ascii() => UTF_8,
        Some(e) => e,
        None if valid_utf8 => UTF_8,
        None => {
            let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
            det.feed(bytes, true);
            det.guess(None, chardetng::Utf8Detection::Allow)
        }
    };
    let (t, _, had_errors) = enc.decode(bytes);
    if had_errors && enc == UTF_8 {
        // Declared UTF-8 but it is not: let the detector decide.
        let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
        det.feed(bytes, true);
        let g = det.guess(None, chardetng::Utf8Detection::Allow);
        if g != UTF_8 {
            return (g.decode(bytes).0.into_owned(), g);
        }
    }
    (t.into_owned(), enc)
}

/// Finds a `<meta charset=...>` or `<meta http-equiv content="...charset=...">`
/// declaration in the page head (ASCII-case-insensitive byte scan).
pub fn meta_charset(head: &[u8]) -> Option<&'static Encoding> {
    let lower: Vec<u8> = head.iter().map(|b| b.to_ascii_lowercase()).collect();
    let mut from = 0;
    while let Some(p) = find(&lower[from..], b"<meta") {
        let start = from + p;
        let end = lower[start..]
            .iter()
            .position(|&b| b == b'>')
            .map(|e| start + e)
            .unwrap_or(lower.len());
        let tag = &lower[start..end];
        if let Some(c) = find(tag, b"charset") {
            let mut rest = &tag[c + 7..];
            while let [b' ' | b'\t' | b'\n' | b'\r', r @ ..] = rest {
                rest = r;
            }
            if let [b'=', r @ ..] = rest {
                rest = r;
                while let [b' ' | b'\t' | b'"' | b'\'', r @ ..] = rest {
                    rest = r;
                }
                let n = rest
                    .iter()
                    .position(|&b| matches!(b, b'"' | b'\'' | b' ' | b';' | b'/' | b'>'))
                    .unwrap_or(rest.len());
                if let Some(e) = Encoding::for_label(&rest[..n]) {
                    return Some(e);
                }
            }
        }
        from = end.max(start + 5);
        if from >= lower.len() {
            break;
        }
    }
    None
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Why an input is refused as binary, if it is.
///
/// NUL bytes or many control bytes in the first 8 KiB mean a binary
/// file (an image or archive saved as `.html`). UTF-16 with a BOM is
/// text and is accepted.
pub fn binary_reason(bytes: &[u8]) -> Option<String> {
    if Encoding::for_bom(bytes).is_some_and(|(e, _)| e == UTF_16LE || e == UTF_16BE) {
        return None;
    }
    let head = &bytes[..bytes.len().min(8192)];
    if head.is_empty() {
        return None;
    }
    if let Some(p) = head.iter().position(|&b| b == 0) {
        return Some(format!("NUL byte at offset {p}"));
    }
    let ctrl = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b))
        .count();
    if ctrl * 100 > head.len() * 5 {
        return Some(format!(
            "{ctrl} control bytes in the first {} bytes",
            head.len()
        ));
    }
    None
}

/// Whether decoded text looks like HTML (markup near the start, or many
/// tags) rather than plain or scraped text.
pub fn looks_like_html(text: &str) -> bool {
    let head: String = text
        .trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n'])
        .chars()
        .take(1024)
        .collect::<String>()
        .to_ascii_lowercase();
    if [
        "<!doctype html",
        "<html",
        "<head",
        "<body",
        "<?xml",
        "<meta",
        "<title",
        "<!--",
    ]
    .iter()
    .any(|p| head.starts_with(p))
    {
        return true;
    }
    let sample: String = text
        .chars()
        .take(8192)
        .collect::<String>()
        .to_ascii_lowercase();
    let tags = [
        "<p>", "<p ", "<div", "<br", "</a>", "<span", "<script", "<table", "<body", "<html",
    ]
    .iter()
    .map(|t| sample.matches(t).count())
    .sum::<usize>();
    tags >= 3
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_wins() {
        let mut b = vec![0xEF, 0xBB, 0xBF];
        b.extend_from_slice("<meta charset=iso-8859-1>é".as_bytes());
        let (t, e) = decode(&b, Some("windows-1252"));
        assert_eq!(e, UTF_8);
        assert!(t.ends_with('é'));
        let (t, e) = decode(&[0xFF, 0xFE, b'h', 0, b'i', 0], None);
        assert_eq!(e, UTF_16LE);
        assert_eq!(t, "hi");
    }

    #[test]
    fn declared_and_meta_charsets() {
        let b = b"<html><head><meta charset=\"windows-1252\"></head><body>caf\xe9</body>";
        let (t, _) = decode(b, None);
        assert!(t.contains("café"));
        let b = b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-1\">M\xfcller";
        assert!(decode(b, None).0.contains("Müller"));
        // HTTP header beats meta.
        let b = b"<meta charset=utf-8>caf\xe9";
        assert!(decode(b, Some("latin1")).0.contains("café"));
    }

    #[test]
    fn lying_declaration_is_overruled() {
        let b = "<meta charset=iso-8859-1><p>Grüße aus Köln</p>".as_bytes();
        assert!(decode(b, None).0.contains("Grüße aus Köln"));
        // Declared UTF-8 but really legacy bytes: detection.
        let b = b"<meta charset=utf-8><p>Gr\xfc\xdfe aus K\xf6ln, sch\xf6ne Stra\xdfe, \xfcber M\xfcnchen</p>";
        assert!(decode(b, None).0.contains("Grüße"));
    }

    #[test]
    fn undeclared_legacy_is_detected() {
        let b = b"<p>Die Stra\xdfe f\xfchrt \xfcber die Br\xfccke nach M\xfcnchen und K\xf6ln.</p>";
        assert!(decode(b, None).0.contains("Straße führt über"));
    }

    #[test]
    fn binary_detection() {
        assert!(binary_reason(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").is_some());
        assert!(binary_reason(b"<html><body>ok</body></html>").is_none());
        assert!(binary_reason(&[0xFF, 0xFE, b'a', 0]).is_none());
    }

    #[test]
    fn sniffing() {
        assert!(looks_like_html("  <!DOCTYPE html><html>"));
        assert!(looks_like_html("junk <div>a</div><p>b</p><br>"));
        assert!(!looks_like_html("Putin met Assad in Sochi. <3 peace"));
    }
}
