//! dyad-quotes: Direct, indirect and mixed quotations with cue and speaker.
//!
//! (Work in progress: the stage is being written.)

use dyad_core::Stage;

/// The stages this crate contributes to the standard pipeline, in order.
pub fn stages() -> Vec<Box<dyn Stage>> {
    Vec::new()
}
