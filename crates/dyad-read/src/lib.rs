//! dyad-read: inputs into Docs (being written).
