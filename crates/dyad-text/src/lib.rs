//! dyad-text: the `text` stage. Tokenises the article text and splits it
//! into sentences without ever changing it: every token and sentence is a
//! byte span into `Doc::text()`, and normalised forms (curly quotes, dashes,
//! ellipsis, NBSP) go to `Token::norm`.
//!
//! The conventions are those of UD English (EWT, GUM), which `dyad eval
//! text` scores against: clitics split ("do" "n't", "Syria" "'s"), most
//! hyphens split ("well" "-" "known") but not after prefixes ("e-mail",
//! "co-workers", "al-Assad"), abbreviations keep their full stop ("Mr.",
//! "U.S."; list in `src/abbreviations.txt`), numbers stay whole ("2.3",
//! "350,000"), URLs, emails, @handles, #hashtags and emoji are one token.
//!
//! ```
//! use dyad_core::{Doc, Pipeline, Source};
//! let mut doc = Doc::from_clean_text("d", Source::path("d"), "Putin met al-Assad. “It’s fine,” he said.");
//! Pipeline::new(dyad_text::stages()).run(&mut doc);
//! assert_eq!(doc.sentences.len(), 2);
//! let words: Vec<&str> = doc.tokens.iter().map(|t| doc.slice(t.start, t.end)).collect();
//! assert_eq!(words[..4], ["Putin", "met", "al-Assad", "."]);
//! assert_eq!(doc.tokens[4].norm.as_deref(), Some("\""));
//! ```

mod sentences;
mod tokenize;

pub use sentences::{sentence_ranges, split_sentences};
pub use tokenize::{abbreviation, tokenize, AbbrevKind};

use dyad_core::{Doc, Sentence, Stage, StageError, Token};

/// The normalised form of a token when it differs from its surface:
/// curly and angle quotes to straight ones, en dash to "-", em dash to
/// "--", "…" to "...", NBSP and other odd spaces removed, soft hyphens
/// dropped.
pub fn normalize(tok: &str) -> Option<String> {
    if tok.is_ascii() {
        return None;
    }
    let mut out = String::with_capacity(tok.len());
    let mut changed = false;
    for c in tok.chars() {
        let r: Option<&str> = match c {
            '“' | '”' | '„' | '‟' | '«' | '»' | '″' => Some("\""),
            '‘' | '’' | '‚' | '‛' | '‹' | '›' | '′' => Some("'"),
            '–' | '‐' | '‑' | '‒' | '−' => Some("-"),
            '—' | '―' => Some("--"),
            '…' => Some("..."),
            '\u{00A0}' | '\u{202F}' | '\u{2009}' => Some(" "),
            '\u{00AD}' | '\u{200B}' | '\u{FEFF}' => Some(""),
            _ => None,
        };
        match r {
            Some(s) => {
                out.push_str(s);
                changed = true;
            }
            None => out.push(c),
        }
    }
    changed.then_some(out)
}

/// Full tokens of `text`: spans, normalised forms and `space_after`.
pub fn tokens(text: &str) -> Vec<Token> {
    tokens_from_spans(text, &tokenize(text))
}

/// The `text` stage: fills `doc.tokens` and `doc.sentences`.
pub struct TextStage;

impl Stage for TextStage {
    fn name(&self) -> &'static str {
        "text"
    }

    fn process(&self, doc: &mut Doc) -> Result<(), StageError> {
        let text = doc.text();
        if text.len() > MAX_TEXT_BYTES {
            return Err(StageError::Limit(format!(
                "article text of {:.1} MB exceeds the {} MB limit of the text stage",
                text.len() as f64 / 1_048_576.0,
                MAX_TEXT_BYTES / 1_048_576
            )));
        }
        let spans = tokenize(text);
        let ranges = sentence_ranges(text, &spans);
        doc.tokens = tokens_from_spans(text, &spans);
        doc.sentences = ranges
            .into_iter()
            .flat_map(cap_sentence)
            .map(|r| Sentence {
                start: spans[r.start].0,
                end: spans[r.end - 1].1,
                tokens: r,
            })
            .collect();
        Ok(())
    }
}

/// Largest article text the linguistic stages accept. News articles are
/// tens of kilobytes; anything near this is a dump or an attack, and the
/// later stages' cost grows with it.
pub const MAX_TEXT_BYTES: usize = 4 * 1024 * 1024;

/// Most tokens in one sentence. Longer runs (tables, text without
/// punctuation) are cut into chunks of this size so the tagger, parser and
/// coder keep linear time and bounded memory per sentence.
pub const MAX_SENTENCE_TOKENS: usize = 300;

fn cap_sentence(r: std::ops::Range<usize>) -> impl Iterator<Item = std::ops::Range<usize>> {
    let (start, end) = (r.start, r.end);
    (start..end)
        .step_by(MAX_SENTENCE_TOKENS)
        .map(move |s| s..(s + MAX_SENTENCE_TOKENS).min(end))
}

fn tokens_from_spans(text: &str, spans: &[(usize, usize)]) -> Vec<Token> {
    spans
        .iter()
        .map(|&(start, end)| Token {
            start,
            end,
            norm: normalize(&text[start..end]),
            space_after: text[end..].chars().next().is_some_and(char::is_whitespace),
            ..Default::default()
        })
        .collect()
}

/// The stages this crate contributes to the standard pipeline, in order.
pub fn stages() -> Vec<Box<dyn Stage>> {
    vec![Box::new(TextStage)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use dyad_core::Source;

    #[test]
    fn stage_fills_layers_without_changing_text() {
        let t = "Russia’s army — backed by Iran… won.\n\nNext";
        let mut doc = Doc::from_clean_text("d", Source::path("d"), t);
        TextStage.process(&mut doc).unwrap();
        assert_eq!(doc.text(), t);
        assert_eq!(doc.sentences.len(), 2);
        let s0 = &doc.sentences[0];
        assert_eq!(
            doc.slice(s0.start, s0.end),
            "Russia’s army — backed by Iran… won."
        );
        let norms: Vec<Option<&str>> = doc.tokens.iter().map(|t| t.norm.as_deref()).collect();
        assert_eq!(norms[1], Some("'s"));
        assert_eq!(norms[3], Some("--"));
        assert_eq!(norms[7], Some("..."));
        assert!(!doc.tokens[0].space_after && doc.tokens[1].space_after);
        assert_eq!(doc.sentences[1].tokens, 10..11);
    }

    #[test]
    fn tokens_api() {
        let t = tokens("a\u{a0}b");
        assert_eq!(t.len(), 2);
        assert!(t[0].space_after);
    }
}

#[cfg(test)]
mod limit_tests {
    use super::*;
    use dyad_core::Source;

    #[test]
    fn long_runs_without_punctuation_are_cut_into_bounded_sentences() {
        let text = "word ".repeat(1000);
        let mut doc = Doc::from_clean_text("d", Source::path("d"), text);
        TextStage.process(&mut doc).unwrap();
        assert_eq!(doc.tokens.len(), 1000);
        assert!(doc.sentences.len() >= 4);
        assert!(doc
            .sentences
            .iter()
            .all(|s| s.tokens.len() <= MAX_SENTENCE_TOKENS));
        let covered: usize = doc.sentences.iter().map(|s| s.tokens.len()).sum();
        assert_eq!(covered, 1000, "every token in exactly one sentence");
    }

    #[test]
    fn oversized_article_text_is_a_limit_error() {
        let text = "a".repeat(MAX_TEXT_BYTES + 1);
        let mut doc = Doc::from_clean_text("d", Source::path("d"), text);
        let err = TextStage.process(&mut doc).unwrap_err();
        assert_eq!(err.kind(), "limit");
    }
}
