//! dyad-core: the [`Doc`] that flows through every stage of dyad's pipeline,
//! its annotation layers, and the [`Stage`] trait each stage implements.
//!
//! Every stage reads some fields of a `Doc` and writes others; no stage
//! depends on another stage's crate, only on this one. All spans inside a
//! `Doc` are **byte offsets into `Doc::text()`** (cheap to slice in Rust);
//! the JSON record converts them to Unicode scalar offsets on output
//! ([`Doc::to_record`]), as the design brief requires.
//!
//! ```
//! use dyad_core::{Doc, Source, Pipeline, Stage, StageError};
//!
//! struct Shout;
//! impl Stage for Shout {
//!     fn name(&self) -> &'static str { "shout" }
//!     fn process(&self, doc: &mut Doc) -> Result<(), StageError> {
//!         doc.article.title = Some(doc.text().to_uppercase());
//!         Ok(())
//!     }
//! }
//!
//! let mut doc = Doc::from_clean_text("d1", Source::path("x.txt"), "héllo");
//! Pipeline::new(vec![Box::new(Shout)]).run(&mut doc);
//! assert_eq!(doc.article.title.as_deref(), Some("HÉLLO"));
//! let rec = doc.to_record();
//! assert_eq!(rec["article"]["text"], "héllo");
//! ```

mod doc;
mod error;
mod offsets;
mod stage;

pub use doc::*;
pub use error::{DocError, StageError};
pub use offsets::CharIndex;
pub use stage::{Pipeline, Stage};
