//! dyad-models: the tagger, lemmatiser, dependency parser and entity
//! recogniser, trained by dyad itself on UD English (EWT + the
//! licence-clean GUM genres) and UniversalNER, shipped as compact weight
//! files under `models/` and embedded in the binary.
//!
//! All three are greedy linear models over hashed features (averaged
//! perceptron): fast, small, pure Rust. Weights load lazily on first use.
//!
//! ```
//! use dyad_core::{Doc, Sentence, Source, Token};
//! let mut doc = Doc::from_clean_text("d", Source::path("d"), "Putin met Assad.");
//! // Tokens and sentences normally come from the text stage.
//! for (s, e) in [(0, 5), (6, 9), (10, 15), (15, 16)] {
//!     doc.tokens.push(Token { start: s, end: e, ..Default::default() });
//! }
//! doc.sentences.push(Sentence { start: 0, end: 16, tokens: 0..4 });
//! for stage in dyad_models::stages() {
//!     stage.process(&mut doc).unwrap();
//! }
//! // With the shipped models, tokens now carry UPOS, lemma, head, deprel.
//! if dyad_models::tagger().is_some() {
//!     assert_eq!(doc.tokens[3].upos.as_deref(), Some("PUNCT"));
//! }
//! ```

pub mod conllu;
pub mod data;
pub mod dep;
pub mod feat;
pub mod format;
pub mod lemma;
pub mod lex;
pub mod ner;
pub mod perceptron;
pub mod pos;
pub mod train;

use dyad_core::{Doc, Stage, StageError};
use std::sync::OnceLock;

/// Errors of this crate (model files, data files).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("bad model or data format: {0}")]
    Format(String),
    #[error("data not found: {0} (point --data or DYAD_DATA at the shared data folder)")]
    MissingData(std::path::PathBuf),
    #[error("i/o: {0}")]
    Io(String),
}

/// Training settings shared by the three trainers.
#[derive(Debug, Clone)]
pub struct TrainConfig {
    pub seed: u64,
    pub epochs: usize,
    /// Averaged weights below this magnitude are pruned.
    pub min_weight: f32,
    /// Where to write the best model so far after each improving epoch
    /// (so a long run can be stopped and still leave a model).
    pub checkpoint: Option<std::path::PathBuf>,
}

impl TrainConfig {
    /// Writes a checkpoint when one is configured (errors only logged).
    pub fn save_checkpoint(&self, bytes: &[u8]) {
        if let Some(p) = &self.checkpoint {
            if let Err(e) = std::fs::write(p, bytes) {
                eprintln!("checkpoint {}: {e}", p.display());
            }
        }
    }
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            seed: 1,
            epochs: 10,
            min_weight: 0.01,
            checkpoint: None,
        }
    }
}

static POS_BYTES: &[u8] = include_bytes!("../../../models/pos.bin");
static DEP_BYTES: &[u8] = include_bytes!("../../../models/dep.bin");
static NER_BYTES: &[u8] = include_bytes!("../../../models/ner.bin");

fn load<T>(bytes: &'static [u8], f: fn(&[u8]) -> Result<T, Error>, what: &str) -> Option<T> {
    if bytes.is_empty() {
        return None;
    }
    match f(bytes) {
        Ok(m) => Some(m),
        Err(e) => {
            eprintln!("dyad-models: embedded {what} model unusable: {e}");
            None
        }
    }
}

/// The embedded tagger (None in a build without trained weights).
pub fn tagger() -> Option<&'static pos::Tagger> {
    static M: OnceLock<Option<pos::Tagger>> = OnceLock::new();
    M.get_or_init(|| load(POS_BYTES, pos::Tagger::load, "pos"))
        .as_ref()
}

/// The embedded parser.
pub fn parser() -> Option<&'static dep::Parser> {
    static M: OnceLock<Option<dep::Parser>> = OnceLock::new();
    M.get_or_init(|| load(DEP_BYTES, dep::Parser::load, "dep"))
        .as_ref()
}

/// The embedded entity recogniser.
pub fn recognizer() -> Option<&'static ner::Recognizer> {
    static M: OnceLock<Option<ner::Recognizer>> = OnceLock::new();
    M.get_or_init(|| load(NER_BYTES, ner::Recognizer::load, "ner"))
        .as_ref()
}

/// Re-prunes a model file (any kind): drops weights below `min_abs`.
pub fn prune_model(bytes: &[u8], min_abs: f32) -> Result<Vec<u8>, Error> {
    if let Ok(mut m) = pos::Tagger::load(bytes) {
        m.w = m.w.pruned(min_abs);
        return Ok(m.save());
    }
    if let Ok(mut m) = dep::Parser::load(bytes) {
        m.w = m.w.pruned(min_abs);
        return Ok(m.save());
    }
    let mut m = ner::Recognizer::load(bytes)?;
    m.w = m.w.pruned(min_abs);
    Ok(m.save())
}

/// Word strings of one sentence of a Doc.
fn sentence_words(doc: &Doc, r: std::ops::Range<usize>) -> Vec<&str> {
    doc.tokens[r]
        .iter()
        .map(|t| lex::token_text(doc, t))
        .collect()
}

fn sentence_ranges(doc: &Doc) -> Vec<std::ops::Range<usize>> {
    let n = doc.tokens.len();
    if doc.sentences.is_empty() && n > 0 {
        return std::iter::once(0..n).collect();
    }
    doc.sentences
        .iter()
        .map(|s| s.tokens.start.min(n)..s.tokens.end.min(n))
        .filter(|r| !r.is_empty())
        .collect()
}

/// Fills UPOS, XPOS and lemma.
pub struct TagStage;
impl Stage for TagStage {
    fn name(&self) -> &'static str {
        "tag"
    }
    fn process(&self, doc: &mut Doc) -> Result<(), StageError> {
        let Some(t) = tagger() else { return Ok(()) };
        for r in sentence_ranges(doc) {
            let words = sentence_words(doc, r.clone());
            let tags = t.tag(&words);
            let lemmas: Vec<String> = words
                .iter()
                .zip(&tags)
                .map(|(w, c)| {
                    let (u, x) = t.class(*c);
                    t.lemma(w, u, x)
                })
                .collect();
            for ((tok, c), l) in doc.tokens[r].iter_mut().zip(tags).zip(lemmas) {
                let (u, x) = t.class(c);
                tok.upos = Some(u.to_string());
                tok.xpos = Some(x.to_string());
                tok.lemma = Some(l);
            }
        }
        Ok(())
    }
}

/// Fills head (absolute token index) and deprel. Needs tags.
pub struct ParseStage;
impl Stage for ParseStage {
    fn name(&self) -> &'static str {
        "parse"
    }
    fn process(&self, doc: &mut Doc) -> Result<(), StageError> {
        let Some(p) = parser() else { return Ok(()) };
        for r in sentence_ranges(doc) {
            let words = sentence_words(doc, r.clone());
            let tags: Vec<u64> = doc.tokens[r.clone()].iter().map(dep::tag_hash_of).collect();
            let arcs = p.parse_hashed(&words, &tags);
            for (k, (h, l)) in arcs.into_iter().enumerate() {
                let tok = &mut doc.tokens[r.start + k];
                tok.head = h.map(|h| r.start + h);
                tok.deprel = Some(p.label(l).to_string());
            }
        }
        Ok(())
    }
}

/// Fills `doc.entities` (PER, ORG, LOC, NORP). Uses tags when present.
pub struct NerStage;
impl Stage for NerStage {
    fn name(&self) -> &'static str {
        "ner"
    }
    fn process(&self, doc: &mut Doc) -> Result<(), StageError> {
        let Some(m) = recognizer() else { return Ok(()) };
        let mut ents = Vec::new();
        for r in sentence_ranges(doc) {
            let words = sentence_words(doc, r.clone());
            let upos: Vec<&str> = doc.tokens[r.clone()]
                .iter()
                .map(|t| t.upos.as_deref().unwrap_or(""))
                .collect();
            for (s, e, label) in m.recognize(&words, &upos) {
                let (a, b) = (
                    doc.tokens[r.start + s].start,
                    doc.tokens[r.start + e - 1].end,
                );
                ents.push(dyad_core::Entity {
                    start: a,
                    end: b,
                    text: doc.slice(a, b).to_string(),
                    label: label.to_string(),
                    ..Default::default()
                });
            }
        }
        doc.entities.extend(ents);
        Ok(())
    }
}

/// The stages this crate contributes to the standard pipeline, in order:
/// tag, parse, ner.
pub fn stages() -> Vec<Box<dyn Stage>> {
    vec![Box::new(TagStage), Box::new(ParseStage), Box::new(NerStage)]
}
