use serde::{Deserialize, Serialize};

/// An error raised by a stage for one document. It is recorded on the
/// document (see [`DocError`]), never a crash of the batch.
#[derive(Debug, thiserror::Error)]
pub enum StageError {
    /// The input could not be read (I/O, decompression, broken record).
    #[error("unreadable input: {0}")]
    Unreadable(String),
    /// The input looks binary rather than text or HTML.
    #[error("binary input: {0}")]
    Binary(String),
    /// The input is empty or has no text after extraction.
    #[error("empty document: {0}")]
    Empty(String),
    /// A size or count limit was exceeded.
    #[error("limit exceeded: {0}")]
    Limit(String),
    /// The input is malformed for its declared format.
    #[error("invalid input: {0}")]
    Invalid(String),
    /// A bug in a stage (a caught panic); the message names the stage.
    #[error("internal error in stage {stage}: {message}")]
    Internal { stage: String, message: String },
}

impl StageError {
    /// Short machine-readable kind, stable for users who filter on it.
    pub fn kind(&self) -> &'static str {
        match self {
            StageError::Unreadable(_) => "unreadable",
            StageError::Binary(_) => "binary",
            StageError::Empty(_) => "empty",
            StageError::Limit(_) => "limit",
            StageError::Invalid(_) => "invalid",
            StageError::Internal { .. } => "internal",
        }
    }
}

/// The error recorded on a document's output record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocError {
    /// Which stage failed ("read", "extract", "text", ...).
    pub stage: String,
    /// Stable kind, see [`StageError::kind`].
    pub kind: String,
    /// Human-readable message.
    pub message: String,
}

impl DocError {
    pub fn new(stage: &str, err: &StageError) -> Self {
        DocError {
            stage: stage.to_string(),
            kind: err.kind().to_string(),
            message: err.to_string(),
        }
    }
}
