//! dyad-extract: the extract stage. Raw pages (HTML or scraped text, any
//! charset) to clean article text and metadata (`Doc::article`).
//!
//! What comes from crates: `encoding_rs` + `chardetng` (charsets, the
//! Firefox decoders and detector), `scraper`/`html5ever` (the WHATWG HTML
//! parser: truncated pages, missing `<body>`, framesets and deep nesting
//! all parse as browsers parse them), `serde_json` (JSON-LD), `regex`
//! (date patterns). What is written here: the boilerplate removal, the
//! content-root choice, the block emission and the metadata rules
//! ([`html`]); dom_smoothie and the `trafilatura` crate were measured as
//! bases and are less accurate on the trafilatura benchmark than this
//! code, and slower.
//!
//! ```
//! use dyad_core::{Doc, InputKind, Pipeline, Source};
//! let page = b"<html lang=en><head><title>Talks resume | Daily</title></head><body>\
//!   <nav><a href=/>Home</a> <a href=/w>World</a></nav>\
//!   <article><h1>Talks resume</h1><p>The two delegations met in Geneva on Monday, \
//!   officials said, and agreed to meet again next week.</p></article>\
//!   <footer>Copyright Daily</footer></body></html>";
//! let mut doc = Doc::from_bytes("p1", Source::path("p1.html"), page.to_vec(), InputKind::Auto);
//! Pipeline::new(dyad_extract::stages()).run(&mut doc);
//! assert!(doc.error.is_none());
//! assert_eq!(doc.article.title.as_deref(), Some("Talks resume"));
//! assert!(doc.text().contains("met in Geneva"));
//! assert!(!doc.text().contains("Copyright"));
//! ```

pub mod decode;
pub mod html;
pub mod lang;
pub mod scraped;

use dyad_core::{Doc, InputKind, Stage, StageError};

/// Inputs larger than this are refused (`StageError::Limit`).
pub const MAX_INPUT: usize = 50 * 1024 * 1024;

/// The stages this crate contributes to the standard pipeline, in order.
pub fn stages() -> Vec<Box<dyn Stage>> {
    vec![Box::new(ExtractStage)]
}

/// Decodes the input, decides HTML or text, and fills `doc.article`.
pub struct ExtractStage;

impl Stage for ExtractStage {
    fn name(&self) -> &'static str {
        "extract"
    }

    fn process(&self, doc: &mut Doc) -> Result<(), StageError> {
        let input = std::mem::take(&mut doc.input);
        if input.clean {
            // Pre-cleaned text: the article text stays exactly as given.
            doc.input.clean = true;
            if doc.article.text.is_empty() {
                if let Some(t) = input.decoded {
                    doc.article.text = t;
                }
            }
            doc.article.language = detect_language(&doc.article.text).map(str::to_string);
            return Ok(());
        }
        let text = match input.decoded {
            Some(t) => {
                if t.len() > MAX_INPUT {
                    return Err(limit(t.len()));
                }
                if t.contains('\0') {
                    return Err(StageError::Binary("NUL character in the text".into()));
                }
                t
            }
            None => {
                let bytes = input.bytes;
                if bytes.is_empty() {
                    return Err(StageError::Empty("the input has no bytes".into()));
                }
                if bytes.len() > MAX_INPUT {
                    return Err(limit(bytes.len()));
                }
                if let Some(why) = decode::binary_reason(&bytes) {
                    return Err(StageError::Binary(why));
                }
                decode::decode(&bytes, input.declared_charset.as_deref()).0
            }
        };
        if text.trim().is_empty() {
            return Err(StageError::Empty("the input holds only whitespace".into()));
        }
        let kind = match input.kind {
            InputKind::Auto if decode::looks_like_html(&text) => InputKind::Html,
            InputKind::Auto => InputKind::Text,
            k => k,
        };
        let mut art = match kind {
            InputKind::Html => html::extract(&text, doc.source.url.as_deref()),
            _ => scraped::extract(&text),
        };
        drop(text);
        let detected = detect_language(&art.text);
        // The page's own `lang` is checked against the body: templates
        // often keep `lang="en"` over text in another language.
        art.language = match (art.language.take(), detected) {
            (_, Some(d)) if art.text.len() >= 200 => Some(d.to_string()),
            (Some(l), _) => Some(l),
            (None, d) => d.map(str::to_string),
        };
        if art.url.is_none() {
            art.url = doc.source.url.clone();
        }
        doc.article = art;
        if doc.article.text.trim().is_empty() {
            return Err(StageError::Empty("no article text found".into()));
        }
        Ok(())
    }
}

fn limit(n: usize) -> StageError {
    StageError::Limit(format!(
        "input of {n} bytes is larger than the {} MB limit",
        MAX_INPUT / (1024 * 1024)
    ))
}

/// Language of a text from its first two kilobytes (hundreds of words:
/// enough to judge, and detection time stays flat on long pages).
fn detect_language(text: &str) -> Option<&'static str> {
    let mut end = text.len().min(2000);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    lang::detect(&text[..end])
}
