//! A cache of whole API answers, keyed by the request's path and query
//! and valid for one generation of the data ([`Backend::generation`]).
//!
//! An analyst's store is read far more often than it is written: the UI
//! asks the same aggregates (counts by day, country, dyad; places) on
//! every visit and every filter change. Those answers (once asked twice)
//! are kept, as the bytes sent, until the next committed write moves the
//! generation, when
//! the whole cache is dropped at once; so the aggregates are in effect
//! materialised per store generation, and an ingest (through
//! `POST /api/ingest` or any other writer of the file) shows in the very
//! next answer. Each answer carries an `ETag` (generation and a hash of
//! the body); a client that sends it back in `If-None-Match` gets
//! `304 Not Modified` without the body.
//!
//! Checking the generation is one `PRAGMA data_version` (microseconds), so
//! a hit costs a hash lookup and a copy-free clone of the bytes.

use crate::backend::Backend;
use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

/// Answers larger than this are not kept (a long article's record).
const MAX_ENTRY: usize = 1 << 20;

#[derive(Clone)]
struct Entry {
    etag: HeaderValue,
    content_type: HeaderValue,
    body: Bytes,
}

#[derive(Default)]
struct Inner {
    generation: u64,
    bytes: usize,
    map: HashMap<String, Entry>,
    /// Hashes of keys asked once in this generation: an answer is kept
    /// only when asked a second time, so one-off questions (an analyst
    /// trying filter after filter) do not push out the answers in use.
    seen: HashSet<u64>,
}

/// Keys remembered as seen once, at most (then forgotten all at once).
const MAX_SEEN: usize = 1 << 16;

/// The cache; `max_bytes` 0 turns it off.
pub struct ResponseCache {
    max_bytes: usize,
    inner: Mutex<Inner>,
}

impl ResponseCache {
    pub fn new(max_bytes: usize) -> Self {
        ResponseCache {
            max_bytes,
            inner: Mutex::new(Inner::default()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn get(&self, generation: u64, key: &str) -> Option<Entry> {
        let inner = self.lock();
        if inner.generation != generation {
            return None;
        }
        inner.map.get(key).cloned()
    }

    fn put(&self, generation: u64, key: String, e: Entry) {
        let size = key.len() + e.body.len();
        if size > MAX_ENTRY || size > self.max_bytes {
            return;
        }
        let mut inner = self.lock();
        if generation < inner.generation {
            // Computed while a write committed: already stale.
            return;
        }
        if generation > inner.generation {
            // A newer generation drops everything older.
            inner.map.clear();
            inner.seen.clear();
            inner.bytes = 0;
            inner.generation = generation;
        }
        if !inner.map.contains_key(&key) && inner.seen.insert(fnv(key.as_bytes())) {
            if inner.seen.len() > MAX_SEEN {
                inner.seen.clear();
            }
            return;
        }
        if inner.bytes + size > self.max_bytes {
            // Full: start over rather than track recency on every hit
            // (a hit then needs no write to shared state).
            inner.map.clear();
            inner.bytes = 0;
        }
        inner.bytes += size;
        if let Some(old) = inner.map.insert(key.clone(), e) {
            inner.bytes -= key.len() + old.body.len();
        }
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.lock().map.len()
    }
}

fn etag_matches(req_tags: Option<&HeaderValue>, etag: &HeaderValue) -> bool {
    let Some(v) = req_tags.and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let etag = etag.to_str().unwrap_or("");
    v.split(',').any(|t| {
        let t = t.trim();
        t == "*" || t.trim_start_matches("W/") == etag
    })
}

fn answer(e: &Entry, if_none_match: Option<&HeaderValue>) -> Response {
    let mut res = if etag_matches(if_none_match, &e.etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut r = Response::new(Body::from(e.body.clone()));
        r.headers_mut()
            .insert(header::CONTENT_TYPE, e.content_type.clone());
        r
    };
    let h = res.headers_mut();
    h.insert(header::ETAG, e.etag.clone());
    // Stored by browsers but checked with the server on every use.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    res
}

fn fnv(b: &[u8]) -> u64 {
    b.iter().fold(0xcbf29ce484222325u64, |h, &x| {
        (h ^ x as u64).wrapping_mul(0x100000001b3)
    })
}

/// The middleware: GET requests under `/api/` go through the cache when
/// the backend tracks a generation; other requests pass untouched.
pub async fn layer(
    cache: Arc<ResponseCache>,
    backend: Arc<dyn Backend>,
    req: Request,
    next: Next,
) -> Response {
    if cache.max_bytes == 0 || req.method() != Method::GET || !req.uri().path().starts_with("/api/")
    {
        return next.run(req).await;
    }
    let Some(generation) = backend.generation() else {
        return next.run(req).await;
    };
    let key = req
        .uri()
        .path_and_query()
        .map_or_else(|| req.uri().path().to_string(), |p| p.as_str().to_string());
    let inm = req.headers().get(header::IF_NONE_MATCH).cloned();
    if let Some(e) = cache.get(generation, &key) {
        return answer(&e, inm.as_ref());
    }
    let res = next.run(req).await;
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if res.status() != StatusCode::OK || !is_json {
        return res;
    }
    let (parts, body) = res.into_parts();
    let Ok(body) = axum::body::to_bytes(body, usize::MAX).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let etag = format!("\"{generation:x}-{:x}\"", fnv(&body));
    let e = Entry {
        etag: HeaderValue::from_str(&etag).unwrap_or(HeaderValue::from_static("\"0\"")),
        content_type: parts.headers[header::CONTENT_TYPE].clone(),
        body,
    };
    cache.put(generation, key, e.clone());
    answer(&e, inm.as_ref())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(body: &'static str) -> Entry {
        Entry {
            etag: HeaderValue::from_static("\"1-a\""),
            content_type: HeaderValue::from_static("application/json"),
            body: Bytes::from_static(body.as_bytes()),
        }
    }

    impl ResponseCache {
        /// Asked twice: kept.
        fn put2(&self, generation: u64, key: String, e: Entry) {
            self.put(generation, key.clone(), e.clone());
            self.put(generation, key, e);
        }
    }

    #[test]
    fn only_answers_asked_twice_are_kept() {
        let c = ResponseCache::new(1 << 20);
        c.put(1, "/api/a".into(), entry("1"));
        assert!(c.get(1, "/api/a").is_none());
        c.put(1, "/api/a".into(), entry("1"));
        assert_eq!(c.get(1, "/api/a").unwrap().body, "1");
    }

    #[test]
    fn a_new_generation_drops_every_answer() {
        let c = ResponseCache::new(1 << 20);
        c.put2(1, "/api/a".into(), entry("1"));
        c.put2(1, "/api/b".into(), entry("2"));
        assert_eq!(c.get(1, "/api/a").unwrap().body, "1");
        assert!(c.get(2, "/api/a").is_none());
        c.put2(2, "/api/b".into(), entry("3"));
        assert_eq!(c.len(), 1);
        assert!(c.get(1, "/api/b").is_none());
        // An answer of an older generation is not kept.
        c.put2(1, "/api/a".into(), entry("old"));
        assert!(c.get(2, "/api/a").is_none());
        assert!(c.get(1, "/api/a").is_none());
    }

    #[test]
    fn the_cache_stays_within_its_budget() {
        let c = ResponseCache::new(64);
        for i in 0..20 {
            c.put2(7, format!("/api/{i}"), entry("0123456789"));
            assert!(c.lock().bytes <= 64);
        }
        assert!(c.len() >= 1);
        // Too big for the budget: not kept.
        c.put2(
            7,
            "/api/big".into(),
            entry("0123456789012345678901234567890123456789012345678901234567890123456789"),
        );
        assert!(c.get(7, "/api/big").is_none());
    }

    #[test]
    fn etags_match_lists_and_weak_forms() {
        let tag = HeaderValue::from_static("\"5-ff\"");
        let m = |s: &'static str| etag_matches(Some(&HeaderValue::from_static(s)), &tag);
        assert!(m("\"5-ff\""));
        assert!(m("W/\"5-ff\""));
        assert!(m("\"1-00\", \"5-ff\""));
        assert!(m("*"));
        assert!(!m("\"6-ff\""));
        assert!(!etag_matches(None, &tag));
    }
}
