//! dyad-coder: actors (dictionaries, coreference) and PLOVER/CAMEO event
//! coding.
//!
//! The `coder` stage reads sentences, tokens (with the dependency parse
//! when the models ran), `doc.entities`, `doc.dates` and `doc.places`, and
//! writes:
//! - `Entity.actor`, `Entity.chain`, `Entity.canonical` on the entities, plus
//!   new entities for actor mentions the NER missed ("the Kremlin", "Syrian
//!   government", resolved pronouns with label `PRON`);
//! - `doc.events`: PLOVER type, mode, CAMEO code, source and target actors,
//!   date, place, flags, evidence spans, the pattern id (`rule`) and an
//!   explanation (sentence, parse path, pattern).
//!
//! Dictionaries are text files under `dictionaries/` (countries, sectors,
//! organisations, leaders with terms of office, event patterns), embedded
//! at build time and parsed once, lazily, on first use.
//!
//! ```
//! use dyad_core::{Doc, Source, Stage};
//! let mut doc = Doc::from_clean_text("d", Source::path("d"),
//!     "Japan imposed sanctions on North Korea.");
//! doc.date_hint = Some("2018-05-17".into());
//! for s in dyad_coder::stages() { s.process(&mut doc).unwrap(); }
//! let e = &doc.events[0];
//! assert_eq!(e.plover, "SANCTION");
//! assert_eq!(e.source.as_ref().unwrap().code, "JPN");
//! assert_eq!(e.target.as_ref().unwrap().code, "PRK");
//! ```

pub mod actors;
pub mod dict;
pub mod events;
pub mod patterns;
pub mod view;

use dyad_core::{Doc, Entity, Stage, StageError};
use std::sync::OnceLock;

/// Loaded dictionaries and patterns.
pub struct Coder {
    pub dicts: dict::Dictionaries,
    pub patterns: patterns::Patterns,
}

impl Coder {
    /// Parses the embedded dictionaries.
    pub fn load() -> Result<Coder, dict::DictError> {
        Ok(Coder {
            dicts: dict::Dictionaries::embedded()?,
            patterns: patterns::Patterns::embedded()?,
        })
    }
}

static CODER: OnceLock<Result<Coder, String>> = OnceLock::new();

/// The shared coder, loaded on first use (`None` if a dictionary is broken;
/// the stage then reports the error on the document).
pub fn coder() -> Option<&'static Coder> {
    CODER
        .get_or_init(|| Coder::load().map_err(|e| e.to_string()))
        .as_ref()
        .ok()
}

fn coder_result() -> Result<&'static Coder, StageError> {
    match CODER.get_or_init(|| Coder::load().map_err(|e| e.to_string())) {
        Ok(c) => Ok(c),
        Err(e) => Err(StageError::Internal {
            stage: "coder".into(),
            message: e.clone(),
        }),
    }
}

/// The actors + events stage.
pub struct CoderStage;

impl Stage for CoderStage {
    fn name(&self) -> &'static str {
        "coder"
    }
    fn process(&self, doc: &mut Doc) -> Result<(), StageError> {
        let c = coder_result()?;
        code_doc(c, doc);
        Ok(())
    }
}

/// Codes one document with a given coder (actors, then events).
pub fn code_doc(c: &Coder, doc: &mut Doc) {
    let v = view::View::new(doc);
    let date = doc.date().map(String::from);
    // Sorted by start, like the dates and places the event coder reads
    // by sentence range (binary search keeps long documents linear).
    let mut ner: Vec<(usize, usize, String)> = doc
        .entities
        .iter()
        .map(|e| (e.start, e.end, e.label.clone()))
        .collect();
    ner.sort_by_key(|e| e.0);
    let mut dates = doc.dates.clone();
    dates.sort_by_key(|d| d.start);
    let mut places = doc.places.clone();
    places.sort_by_key(|p| p.start);
    let is_trigger = |w: &str| c.patterns.index.contains_key(w);
    let a = actors::find(&c.dicts, &v, doc.text(), date.as_deref(), &ner, &is_trigger);
    write_entities(doc, &a);
    let cx = events::Ctx {
        v: &v,
        a: &a,
        p: &c.patterns,
        text: doc.text(),
        doc_date: date.as_deref(),
        dates: &dates,
        places: &places,
    };
    let evs = events::code(&cx);
    doc.events = evs;
}

fn write_entities(doc: &mut Doc, a: &actors::Actors) {
    for (mi, m) in a.mentions.iter().enumerate() {
        let code = a.code(mi);
        let canonical = a
            .canonical(mi)
            .filter(|_| m.chain.is_some_and(|c| a.chains[c].person));
        if code.is_none() && m.chain.is_none() {
            continue;
        }
        let overl: Vec<usize> = (0..doc.entities.len())
            .filter(|&i| doc.entities[i].start < m.end && m.start < doc.entities[i].end)
            .collect();
        if !overl.is_empty() {
            for i in overl {
                let e = &mut doc.entities[i];
                if e.actor.is_none() {
                    e.actor = code.clone();
                }
                if e.chain.is_none() {
                    e.chain = m.chain;
                }
                if e.canonical.is_none() {
                    e.canonical = canonical.clone();
                }
            }
            continue;
        }
        let label = match m.kind {
            actors::Kind::Person => "PER",
            actors::Kind::Org => "ORG",
            actors::Kind::Place => "LOC",
            actors::Kind::Norp => "NORP",
            actors::Kind::Pronoun => "PRON",
        };
        doc.entities.push(Entity {
            start: m.start,
            end: m.end,
            text: doc.text().get(m.start..m.end).unwrap_or("").to_string(),
            label: label.to_string(),
            actor: code,
            chain: m.chain,
            canonical,
        });
    }
    doc.entities.sort_by_key(|e| (e.start, e.end));
}

/// The stages this crate contributes to the standard pipeline, in order.
pub fn stages() -> Vec<Box<dyn Stage>> {
    vec![Box::new(CoderStage)]
}

#[cfg(test)]
mod tests;
