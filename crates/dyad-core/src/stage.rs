//! The stage trait and the pipeline that runs stages in order.

use crate::doc::Doc;
use crate::error::{DocError, StageError};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// One step of the pipeline. A stage reads some fields of the [`Doc`] and
/// writes others; it never calls another stage. Stages are shared across
/// threads, so any model they hold is read-only after construction.
pub trait Stage: Send + Sync {
    /// Short stable name ("extract", "text", "ner", ...), used in errors.
    fn name(&self) -> &'static str;
    /// Processes one document. An `Err` is recorded on the document and
    /// stops the pipeline for it; other documents are unaffected.
    fn process(&self, doc: &mut Doc) -> Result<(), StageError>;
}

/// Stages run in order over each document.
pub struct Pipeline {
    stages: Vec<Box<dyn Stage>>,
}

impl Pipeline {
    pub fn new(stages: Vec<Box<dyn Stage>>) -> Self {
        Pipeline { stages }
    }

    /// Names of the stages, in order.
    pub fn stage_names(&self) -> Vec<&'static str> {
        self.stages.iter().map(|s| s.name()).collect()
    }

    /// Runs every stage on `doc`, stopping at the first error, which is
    /// recorded on the document. A panicking stage is caught and recorded
    /// as an internal error: one bad document never takes down a batch.
    pub fn run(&self, doc: &mut Doc) {
        for stage in &self.stages {
            if doc.error.is_some() {
                return;
            }
            let res = catch_unwind(AssertUnwindSafe(|| stage.process(doc)));
            let err = match res {
                Ok(Ok(())) => continue,
                Ok(Err(e)) => e,
                Err(panic) => StageError::Internal {
                    stage: stage.name().to_string(),
                    message: panic_message(&panic),
                },
            };
            doc.error = Some(DocError::new(stage.name(), &err));
        }
    }
}

fn panic_message(p: &Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = p.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = p.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::Source;

    struct Boom;
    impl Stage for Boom {
        fn name(&self) -> &'static str {
            "boom"
        }
        fn process(&self, _: &mut Doc) -> Result<(), StageError> {
            panic!("kaboom")
        }
    }
    struct Count;
    impl Stage for Count {
        fn name(&self) -> &'static str {
            "count"
        }
        fn process(&self, d: &mut Doc) -> Result<(), StageError> {
            d.article.title = Some("ran".into());
            Ok(())
        }
    }

    #[test]
    fn a_panicking_stage_is_recorded_and_stops_the_doc() {
        let p = Pipeline::new(vec![Box::new(Boom), Box::new(Count)]);
        let mut d = Doc::from_clean_text("a", Source::path("a"), "x");
        p.run(&mut d);
        let e = d.error.expect("error recorded");
        assert_eq!(e.stage, "boom");
        assert_eq!(e.kind, "internal");
        assert!(e.message.contains("kaboom"));
        assert_eq!(d.article.title, None, "later stages skipped");
    }

    #[test]
    fn record_uses_char_offsets() {
        let mut d = Doc::from_clean_text("a", Source::path("a"), "é Putin");
        d.entities.push(crate::doc::Entity {
            start: 3,
            end: 8,
            text: "Putin".into(),
            label: "PER".into(),
            ..Default::default()
        });
        let r = d.to_record();
        assert_eq!(r["entities"][0]["start"], 2);
        assert_eq!(r["entities"][0]["end"], 7);
    }
}
