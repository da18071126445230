//! dyad-pipeline: assembles the standard pipeline from every stage crate,
//! in the order the layers depend on each other:
//!
//! extract → text → models (tag, parse, NER) → dates → numbers → places →
//! actors + events (coder) → quotes → headline (the title and standfirst
//! coded as a small document of their own, their events merged into the
//! body's: see `headline.rs`).
//!
//! The binary, the store, the server and the eval harness all build their
//! pipeline here, so they code documents identically.
//!
//! ```
//! let p = dyad_pipeline::standard().expect("embedded models load");
//! let mut doc = dyad_core::Doc::from_clean_text("d", dyad_core::Source::path("d"), "Hello.");
//! p.run(&mut doc);
//! assert!(doc.error.is_none());
//! ```

mod headline;

use dyad_core::{Pipeline, Stage};

/// Errors building the pipeline (a model that fails to load).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot load {what}: {message}")]
    Load { what: &'static str, message: String },
}

/// The full pipeline: raw input to coded events.
pub fn standard() -> Result<Pipeline, Error> {
    let mut v: Vec<Box<dyn Stage>> = Vec::new();
    v.extend(dyad_extract::stages());
    v.extend(text_and_models()?);
    v.extend(coding());
    let mut inner = text_and_models()?;
    inner.extend(dyad_dates::stages());
    inner.extend(dyad_geo::stages());
    inner.extend(dyad_coder::stages());
    v.push(Box::new(headline::Headline {
        inner: Pipeline::new(inner),
    }));
    Ok(Pipeline::new(v))
}

/// Extraction only (`dyad extract`).
pub fn extraction() -> Pipeline {
    Pipeline::new(dyad_extract::stages())
}

fn text_and_models() -> Result<Vec<Box<dyn Stage>>, Error> {
    let mut v: Vec<Box<dyn Stage>> = Vec::new();
    v.extend(dyad_text::stages());
    v.extend(dyad_models::stages());
    Ok(v)
}

fn coding() -> Vec<Box<dyn Stage>> {
    let mut v: Vec<Box<dyn Stage>> = Vec::new();
    v.extend(dyad_dates::stages());
    v.extend(dyad_numbers::stages());
    v.extend(dyad_geo::stages());
    v.extend(dyad_coder::stages());
    v.extend(dyad_quotes::stages());
    v
}
