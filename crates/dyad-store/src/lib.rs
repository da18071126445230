//! dyad-store: the embedded SQLite store (work in progress).
