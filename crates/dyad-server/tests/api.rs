//! The HTTP API over both backends, with hand-built documents (no models,
//! no data folder): filters, aggregates, errors as JSON, limits, the
//! ingest token, embedded assets only.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use dyad_core::{ActorRef, Doc, Event, EventPlace, Source, Span};
use dyad_server::{Backend, Config, MemBackend, StoreBackend};
use serde_json::Value;
use std::sync::Arc;
use tower::ServiceExt;

fn actor(text: &str, doc: &str, code: &str) -> ActorRef {
    let start = text.find(doc).expect("actor in text");
    ActorRef {
        code: code.into(),
        text: doc.into(),
        start,
        end: start + doc.len(),
        name: None,
    }
}

fn event(
    text: &str,
    plover: &str,
    cameo: &str,
    s: (&str, &str),
    t: (&str, &str),
    ev: &str,
) -> Event {
    let start = text.find(ev).expect("evidence in text");
    Event {
        plover: plover.into(),
        cameo: cameo.into(),
        source: Some(actor(text, s.0, s.1)),
        target: Some(actor(text, t.0, t.1)),
        evidence: vec![Span::new(start, start + ev.len())],
        rule: "test".into(),
        ..Default::default()
    }
}

/// Three documents, four events; one article holds markup and non-ASCII text.
fn docs() -> Vec<Doc> {
    let mut out = Vec::new();
    let t = "Ünited: the Russian president met the Syrian president in Sochi. Moscow sent aid to Damascus.";
    let mut d = Doc::from_clean_text("a", Source::path("a.txt"), t);
    d.article.title = Some("Sochi".into());
    d.article.date = Some("2024-03-04".into());
    let mut e = event(
        t,
        "CONSULT",
        "040",
        ("Russian president", "RUSGOV"),
        ("Syrian president", "SYRGOV"),
        "the Russian president met the Syrian president in Sochi.",
    );
    let p = t.find("Sochi").unwrap();
    e.place = Some(EventPlace {
        name: "Sochi".into(),
        geonameid: Some(491422),
        country: Some("RUS".into()),
        lat: Some(43.6),
        lon: Some(39.73),
        start: p,
        end: p + 5,
    });
    d.events.push(e);
    d.events.push(event(
        t,
        "AID",
        "070",
        ("Moscow", "RUSGOV"),
        ("Damascus", "SYRGOV"),
        "Moscow sent aid to Damascus.",
    ));
    out.push(d);
    let t = "<script>alert(1)</script> Ukrainian forces shelled Russian positions.";
    let mut d = Doc::from_clean_text("b", Source::path("b.txt"), t);
    d.article.date = Some("2024-03-07".into());
    d.events.push(event(
        t,
        "ASSAULT",
        "190",
        ("Ukrainian forces", "UKRMIL"),
        ("Russian positions", "RUSMIL"),
        "Ukrainian forces shelled Russian positions.",
    ));
    out.push(d);
    let t = "Turkey's minister held talks with Russian officials.";
    let mut d = Doc::from_clean_text("c", Source::path("c.txt"), t);
    d.article.date = Some("2024-03-07".into());
    d.events.push(event(
        t,
        "CONSULT",
        "040",
        ("Turkey's minister", "TURGOV"),
        ("Russian officials", "RUSGOV"),
        t,
    ));
    out.push(d);
    out
}

fn backends() -> Vec<(&'static str, Arc<dyn Backend>)> {
    let mem = MemBackend::new();
    let store = StoreBackend::in_memory().unwrap();
    for d in docs() {
        mem.ingest(&d).unwrap();
        store.ingest(&d).unwrap();
    }
    vec![("mem", Arc::new(mem)), ("store", Arc::new(store))]
}

async fn call(
    app: &axum::Router,
    req: Request<Body>,
) -> (StatusCode, axum::http::HeaderMap, Value) {
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
        .await
        .unwrap();
    let v = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    (status, headers, v)
}

async fn get(app: &axum::Router, uri: &str) -> (StatusCode, Value) {
    let (s, h, v) = call(app, Request::get(uri).body(Body::empty()).unwrap()).await;
    if s != StatusCode::OK {
        assert!(
            h[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("application/json"),
            "{uri}: error not JSON"
        );
        assert!(v["error"]["message"].is_string(), "{uri}: {v}");
    }
    (s, v)
}

fn app(b: Arc<dyn Backend>) -> axum::Router {
    let cfg = Config {
        token: Some("s3cret".into()),
        max_body: 4096,
        ..Config::default()
    };
    dyad_server::router(&cfg, b)
}

#[tokio::test]
async fn filters_and_aggregates_agree_across_backends() {
    for (name, b) in backends() {
        let app = app(b);
        let total = |v: &Value| v["total"].as_u64().unwrap();
        assert_eq!(total(&get(&app, "/api/events").await.1), 4, "{name}");
        assert_eq!(
            total(&get(&app, "/api/events?type=CONSULT").await.1),
            2,
            "{name}"
        );
        assert_eq!(
            total(&get(&app, "/api/events?type=04").await.1),
            2,
            "{name} cameo prefix"
        );
        assert_eq!(
            total(&get(&app, "/api/events?actor=RUS").await.1),
            4,
            "{name}"
        );
        assert_eq!(
            total(&get(&app, "/api/events?source=RUSGOV").await.1),
            2,
            "{name}"
        );
        assert_eq!(
            total(&get(&app, "/api/events?actor=Turkey").await.1),
            1,
            "{name} name match"
        );
        assert_eq!(
            total(&get(&app, "/api/events?country=UKR").await.1),
            1,
            "{name}"
        );
        assert_eq!(
            total(
                &get(&app, "/api/events?from=2024-03-05&to=2024-03-07")
                    .await
                    .1
            ),
            2,
            "{name}"
        );
        assert_eq!(
            total(&get(&app, "/api/events?to=2024-03").await.1),
            4,
            "{name} month bound"
        );
        assert_eq!(
            total(&get(&app, "/api/events?q=Sochi").await.1),
            2,
            "{name} text"
        );
        let (_, page) = get(&app, "/api/events?limit=1&offset=1").await;
        assert_eq!(
            (total(&page), page["items"].as_array().unwrap().len()),
            (4, 1),
            "{name} paging"
        );

        let (_, c) = get(&app, "/api/counts?by=type").await;
        assert_eq!(c["items"][0]["key"], "CONSULT", "{name}");
        assert_eq!(c["items"][0]["count"], 2, "{name}");
        let (_, c) = get(&app, "/api/counts?by=day").await;
        let days: Vec<(String, u64)> = c["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                (
                    i["key"].as_str().unwrap().to_string(),
                    i["count"].as_u64().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            days,
            [("2024-03-04".to_string(), 2), ("2024-03-07".to_string(), 2)],
            "{name}"
        );
        let (_, c) = get(&app, "/api/counts?by=dyad").await;
        assert_eq!(c["items"][0]["key"], "RUSGOV>SYRGOV", "{name}");
        assert_eq!(c["items"][0]["source"], "RUSGOV", "{name}");
        assert_eq!(c["items"].as_array().unwrap().len(), 3, "{name}");
        let (_, c) = get(&app, "/api/counts?by=country&type=ASSAULT").await;
        assert_eq!(c["items"][0]["key"], "UKR", "{name}");
        let (_, p) = get(&app, "/api/places").await;
        assert_eq!(p["items"][0]["name"], "Sochi", "{name}");
        assert_eq!(p["items"][0]["events"], 1, "{name}");
        let (_, a) = get(&app, "/api/actors").await;
        assert_eq!(a["items"][0]["code"], "RUSGOV", "{name}");
        assert_eq!(a["items"][0]["events"], 3, "{name}");
        let (_, s) = get(&app, "/api/search?q=shelled").await;
        assert_eq!(s["items"].as_array().unwrap().len(), 1, "{name}");
        let (_, d) = get(&app, "/api/documents?type=ASSAULT").await;
        assert_eq!(total(&d), 1, "{name}");
    }
}

#[tokio::test]
async fn an_event_links_to_its_document_record() {
    for (name, b) in backends() {
        let app = app(b);
        let (_, evs) = get(&app, "/api/events?type=AID").await;
        let ev = &evs["items"][0];
        let id = ev["id"].as_u64().unwrap();
        let (s, one) = get(&app, &format!("/api/events/{id}")).await;
        assert_eq!(s, StatusCode::OK, "{name}");
        assert_eq!(&one, ev, "{name}");
        let (s, rec) = get(
            &app,
            &format!("/api/documents/{}", ev["doc_id"].as_str().unwrap()),
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{name}");
        // Evidence offsets are char offsets into the record's text.
        let text: Vec<char> = rec["article"]["text"].as_str().unwrap().chars().collect();
        let (a, z) = (
            ev["evidence"][0]["start"].as_u64().unwrap() as usize,
            ev["evidence"][0]["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(
            text[a..z].iter().collect::<String>(),
            "Moscow sent aid to Damascus.",
            "{name}"
        );
        assert_eq!(
            get(&app, "/api/events/999999").await.0,
            StatusCode::NOT_FOUND,
            "{name}"
        );
        assert_eq!(
            get(&app, "/api/documents/nope").await.0,
            StatusCode::NOT_FOUND,
            "{name}"
        );
    }
}

#[tokio::test]
async fn errors_are_json_with_proper_status() {
    // The store backend: its SQL must see only clean, bound values.
    let (_, b) = backends().remove(1);
    let app = app(b);
    assert_eq!(
        get(&app, "/api/events?limit=5000").await.0,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        get(&app, "/api/events?limit=-1").await.0,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        get(&app, "/api/events?from=yesterday").await.0,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        get(&app, "/api/counts?by=planet").await.0,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(get(&app, "/api/counts").await.0, StatusCode::BAD_REQUEST);
    assert_eq!(get(&app, "/api/search").await.0, StatusCode::BAD_REQUEST);
    assert_eq!(
        get(&app, "/api/events/abc").await.0,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(get(&app, "/api/nothing").await.0, StatusCode::NOT_FOUND);
    let (s, _, v) = call(
        &app,
        Request::delete("/api/events").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(s, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(v["error"]["code"], "method_not_allowed");
}

#[tokio::test]
async fn assets_come_only_from_the_embedded_set() {
    let (_, b) = backends().remove(0);
    let app = app(b);
    let (s, h, _) = call(&app, Request::get("/").body(Body::empty()).unwrap()).await;
    assert_eq!(s, StatusCode::OK);
    assert!(h[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    assert!(h[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .contains("script-src 'self'"));
    for p in [
        "/ui/../Cargo.toml",
        "/ui/%2e%2e/Cargo.toml",
        "/ui/..%2f..%2fCargo.toml",
        "/ui/vendor/../../src/lib.rs",
        "/ui/",
    ] {
        assert_eq!(get(&app, p).await.0, StatusCode::NOT_FOUND, "{p}");
    }
    let (s, h, _) = call(
        &app,
        Request::get("/ui/vendor/cytoscape.min.js")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert!(h[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/javascript"));
}

#[tokio::test]
async fn ingest_needs_the_token_and_bodies_are_limited() {
    let (_, b) = backends().remove(0);
    let app = app(b.clone());
    let body = r#"{"text": "Plain words.", "format": "clean", "id": "new"}"#;
    let post = |auth: Option<&str>, body: String| {
        let mut r = Request::post("/api/ingest").header(header::CONTENT_TYPE, "application/json");
        if let Some(a) = auth {
            r = r.header(header::AUTHORIZATION, a);
        }
        r.body(Body::from(body)).unwrap()
    };
    assert_eq!(
        call(&app, post(None, body.into())).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        call(&app, post(Some("Bearer wrong"), body.into())).await.0,
        StatusCode::UNAUTHORIZED
    );
    let big = format!(r#"{{"text": "{}"}}"#, "a".repeat(10_000));
    let (s, _, v) = call(&app, post(Some("Bearer s3cret"), big)).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(v["error"]["code"], "too_large");
    let (s, _, v) = call(&app, post(Some("Bearer s3cret"), "{not json".into())).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    let (s, _, _) = call(&app, post(Some("Bearer s3cret"), r#"{"txt": 1}"#.into())).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);

    // Without a token at start-up, ingest is off.
    let off = dyad_server::router(&Config::default(), b);
    let (s, _, v) = call(&off, post(Some("Bearer s3cret"), body.into())).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert_eq!(v["error"]["code"], "ingest_disabled");
}

#[tokio::test]
async fn openapi_document_is_served() {
    let (_, b) = backends().remove(0);
    let app = app(b);
    let (s, v) = get(&app, "/openapi.json").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["openapi"], "3.0.3");
    assert!(v["paths"]["/api/events"]["get"]["parameters"].is_array());
}

#[tokio::test]
async fn an_empty_store_says_how_to_ingest() {
    let app = app(Arc::new(MemBackend::new()));
    let (s, v) = get(&app, "/api/health").await;
    assert_eq!(s, StatusCode::OK);
    assert!(v["hint"].as_str().unwrap().contains("dyad ingest"));
}

async fn get_with_etag(
    app: &axum::Router,
    uri: &str,
    etag: Option<&str>,
) -> (StatusCode, Option<String>, Value) {
    let mut r = Request::get(uri);
    if let Some(t) = etag {
        r = r.header(header::IF_NONE_MATCH, t);
    }
    let (s, h, v) = call(app, r.body(Body::empty()).unwrap()).await;
    let tag = h.get(header::ETAG).map(|t| t.to_str().unwrap().to_string());
    (s, tag, v)
}

/// Answers are reused while the store is unchanged (same ETag, 304 for a
/// client that has it) and never after a write: an ingest through the API
/// shows in the very next answer.
#[tokio::test]
async fn cached_answers_end_with_an_ingest() {
    let store = StoreBackend::in_memory().unwrap();
    for d in docs() {
        store.ingest(&d).unwrap();
    }
    let app = app(Arc::new(store));
    let docs_total = |v: &Value| v["total"].as_u64().unwrap();
    let (s, tag, v) = get_with_etag(&app, "/api/documents", None).await;
    assert_eq!(s, StatusCode::OK);
    let before = docs_total(&v);
    let tag = tag.expect("an ETag");
    let (s, tag2, v2) = get_with_etag(&app, "/api/documents", None).await;
    assert_eq!((s, tag2.as_deref()), (StatusCode::OK, Some(tag.as_str())));
    assert_eq!(v, v2);
    let (s, _, _) = get_with_etag(&app, "/api/documents", Some(&tag)).await;
    assert_eq!(s, StatusCode::NOT_MODIFIED);

    let body =
        r#"{"text": "Officials met in the capital on Monday.", "format": "clean", "id": "fresh"}"#;
    let req = Request::post("/api/ingest")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::AUTHORIZATION, "Bearer s3cret")
        .body(Body::from(body))
        .unwrap();
    let (s, _, out) = call(&app, req).await;
    assert_eq!(s, StatusCode::CREATED, "{out}");

    let (s, tag3, v3) = get_with_etag(&app, "/api/documents", Some(&tag)).await;
    assert_eq!(s, StatusCode::OK, "the old ETag no longer matches");
    assert_ne!(tag3.as_deref(), Some(tag.as_str()));
    assert_eq!(docs_total(&v3), before + 1);
    let (_, h) = get(&app, "/api/health").await;
    assert_eq!(h["stats"]["documents"].as_u64(), Some(before + 1));
}

/// A store file written by another connection (`dyad ingest` in another
/// process, say) is seen at once too: the generation is SQLite's
/// data_version, which moves on every commit by anyone else.
#[tokio::test]
async fn cached_answers_end_with_a_write_by_another_connection() {
    let dir = std::env::temp_dir().join(format!("dyad-server-cache-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("s.db");
    let backend = StoreBackend::open(&path, 2).unwrap();
    let mut all = docs();
    let last = all.pop().unwrap();
    for d in &all {
        backend.ingest(d).unwrap();
    }
    let app = app(Arc::new(backend));
    let n = |v: &Value| v["total"].as_u64().unwrap();
    let (_, v) = get(&app, "/api/events").await;
    let before = n(&v);
    assert_eq!(n(&get(&app, "/api/events").await.1), before);
    let other = dyad_store::Store::open(&path).unwrap();
    other.put_doc(&last).unwrap();
    let (_, v) = get(&app, "/api/events").await;
    assert_eq!(n(&v), before + last.events.len() as u64);
    drop(other);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Past the cap, the store's total is a lower bound and says so; under
/// it, exact. Backends without a cheap capped count stay exact.
#[tokio::test]
async fn event_totals_are_exact_up_to_the_cap() {
    for (name, b) in backends() {
        let f = dyad_server::Filter::default();
        let page = dyad_server::Page {
            limit: 1,
            offset: 0,
        };
        let all = b.events_page(&f, page, 1000).unwrap();
        assert_eq!(
            (all.total, all.total_exact, all.has_more),
            (4, true, true),
            "{name}"
        );
        let capped = b.events_page(&f, page, 2).unwrap();
        assert_eq!(capped.items.len(), 1);
        assert!(capped.has_more);
        if name == "store" {
            assert_eq!((capped.total, capped.total_exact), (2, false));
        } else {
            assert_eq!((capped.total, capped.total_exact), (4, true));
        }
        // The last page: no count needed, nothing more.
        let end = b
            .events_page(
                &f,
                dyad_server::Page {
                    limit: 10,
                    offset: 3,
                },
                2,
            )
            .unwrap();
        assert_eq!(
            (end.total, end.total_exact, end.has_more),
            (4, true, false),
            "{name}"
        );
    }
}
