//! dyad-geo: Toponym resolution against a compiled GeoNames gazetteer.
//!
//! (Work in progress: the stage is being written.)

use dyad_core::Stage;

/// The stages this crate contributes to the standard pipeline, in order.
pub fn stages() -> Vec<Box<dyn Stage>> {
    Vec::new()
}
