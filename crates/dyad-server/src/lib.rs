//! dyad-server: HTTP API and web UI (work in progress).
