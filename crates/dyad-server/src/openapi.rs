//! The OpenAPI 3.0 description served at `/openapi.json`, written by hand
//! next to the handlers it describes (a test checks every route is in it).

use serde_json::{json, Value};

fn filter_params() -> Vec<Value> {
    let s = |name: &str, desc: &str| json!({"name": name, "in": "query", "required": false, "description": desc, "schema": {"type": "string"}});
    let date = |name: &str, desc: &str| {
        json!({"name": name, "in": "query", "required": false, "description": desc,
               "schema": {"type": "string", "pattern": "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"}})
    };
    vec![
        s("actor", "Actor code prefix on either side (RUS, RUSGOV, IGOUNO), or part of an actor's name (Putin)."),
        s("source", "The same, source side only."),
        s("target", "The same, target side only."),
        s("country", "ISO 3166-1 alpha-3 of the event place or of an actor."),
        s("type", "PLOVER event type (CONSULT) or CAMEO code prefix (04)."),
        date("from", "Earliest event date, inclusive."),
        date("to", "Latest event date, inclusive."),
        s("q", "Words that must all occur in the document."),
        s("doc", "Only rows of this document."),
    ]
}

fn paging() -> Vec<Value> {
    vec![
        json!({"name": "limit", "in": "query", "required": false,
               "schema": {"type": "integer", "minimum": 0, "maximum": 1000, "default": 50}}),
        json!({"name": "offset", "in": "query", "required": false,
               "schema": {"type": "integer", "minimum": 0, "default": 0}}),
    ]
}

fn list_params() -> Value {
    let mut v = filter_params();
    v.extend(paging());
    Value::Array(v)
}

fn ok(schema: Value) -> Value {
    json!({"description": "OK", "content": {"application/json": {"schema": schema}}})
}

fn err(desc: &str) -> Value {
    json!({"description": desc, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}})
}

fn rows(item: &str) -> Value {
    json!({"type": "object", "required": ["total", "items"], "properties": {
        "total": {"type": "integer", "minimum": 0},
        "items": {"type": "array", "items": {"$ref": format!("#/components/schemas/{item}")}}}})
}

fn list(summary: &str, item: &str) -> Value {
    json!({"get": {"summary": summary, "parameters": list_params(),
        "responses": {"200": ok(rows(item)), "400": err("Bad parameters")}}})
}

/// The whole document.
pub fn document() -> Value {
    let str_opt = json!({"type": "string"});
    let code_body = json!({"required": true, "content": {"application/json": {"schema": {
        "type": "object", "required": ["text"], "properties": {
            "text": {"type": "string", "description": "The document: scraped text, HTML, or clean text."},
            "format": {"type": "string", "enum": ["text", "html", "clean"], "default": "text"},
            "id": {"type": "string"},
            "url": {"type": "string"},
            "date": {"type": "string", "pattern": "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$",
                     "description": "Document date when the article carries none."}}}}}});
    let body_errors = |mut m: serde_json::Map<String, Value>| {
        m.insert("400".into(), err("Malformed JSON"));
        m.insert("413".into(), err("Body too large"));
        m.insert("415".into(), err("Not JSON"));
        m.insert("422".into(), err("JSON of the wrong shape"));
        m.insert(
            "503".into(),
            err("Timed out, or the pipeline is unavailable"),
        );
        Value::Object(m)
    };
    let mut code_resp = serde_json::Map::new();
    code_resp.insert(
        "200".into(),
        ok(json!({"$ref": "#/components/schemas/Record"})),
    );
    let mut ingest_resp = serde_json::Map::new();
    ingest_resp.insert(
        "200".into(),
        ok(json!({"$ref": "#/components/schemas/IngestOutcome"})),
    );
    ingest_resp.insert(
        "201".into(),
        json!({"description": "Stored", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/IngestOutcome"}}}}),
    );
    ingest_resp.insert("401".into(), err("Missing or wrong token"));
    ingest_resp.insert(
        "403".into(),
        err("Ingest disabled (no token given at start-up)"),
    );
    let mut counts_params = filter_params();
    counts_params.push(json!({"name": "by", "in": "query", "required": true,
        "schema": {"type": "string", "enum": ["day", "week", "month", "type", "dyad", "country", "actor"]}}));
    counts_params.push(json!({"name": "limit", "in": "query", "required": false,
        "schema": {"type": "integer", "minimum": 0, "maximum": 10000, "default": 10000}}));
    let mut search_params = vec![json!({"name": "q", "in": "query", "required": true,
        "schema": {"type": "string", "minLength": 1, "pattern": "\\S"}})];
    search_params.extend(paging());
    let mut doc = json!({
      "openapi": "3.0.3",
      "info": {"title": "dyad API", "version": env!("CARGO_PKG_VERSION"),
               "description": "Coded news events: who did what to whom, when and where. Offsets are Unicode scalar offsets into article.text."},
      "paths": {
        "/api/health": {"get": {"summary": "Liveness and store totals",
            "responses": {"200": ok(json!({"type": "object", "required": ["status", "stats", "ingest"], "properties": {
                "status": {"type": "string"}, "stats": {"$ref": "#/components/schemas/Stats"},
                "ingest": {"type": "boolean"}, "hint": {"type": "string"}}}))}}},
        "/api/events": {"get": {"summary": "Coded events, newest first",
            "parameters": list_params(),
            "responses": {"200": ok(json!({"type": "object", "required": ["total", "total_exact", "has_more", "items"], "properties": {
                "total": {"type": "integer", "minimum": 0,
                          "description": "Matching events; when total_exact is false, more than this many match."},
                "total_exact": {"type": "boolean"},
                "has_more": {"type": "boolean", "description": "Rows follow this page."},
                "items": {"type": "array", "items": {"$ref": "#/components/schemas/Event"}}}})),
                "400": err("Bad parameters")}}},
        "/api/events/{id}": {"get": {"summary": "One event",
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer", "minimum": 0}}],
            "responses": {"200": ok(json!({"$ref": "#/components/schemas/Event"})), "400": err("Bad id"), "404": err("No such event")}}},
        "/api/actors": list("Actors with their event counts", "Actor"),
        "/api/documents": list("Documents", "Document"),
        "/api/documents/{id}": {"get": {"summary": "The full coded record of a document",
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
            "responses": {"200": ok(json!({"$ref": "#/components/schemas/Record"})), "400": err("Bad id"), "404": err("No such document")}}},
        "/api/quotes": list("Quotations", "Quote"),
        "/api/places": list("Places with event and mention counts", "Place"),
        "/api/counts": {"get": {"summary": "Event counts by day, month, type, dyad, country or actor",
            "parameters": counts_params,
            "responses": {"200": ok(json!({"type": "object", "required": ["by", "items"], "properties": {
                "by": {"type": "string"}, "items": {"type": "array", "items": {"$ref": "#/components/schemas/Count"}}}})),
                "400": err("Bad parameters")}}},
        "/api/search": {"get": {"summary": "Full-text search over documents",
            "parameters": search_params,
            "responses": {"200": ok(rows("Document")), "400": err("Bad parameters")}}},
        "/api/code": {"post": {"summary": "Code a document and return its record without storing it",
            "requestBody": code_body.clone(), "responses": body_errors(code_resp)}},
        "/api/ingest": {"post": {"summary": "Code a document and store it (needs the start-up token)",
            "security": [{"bearer": []}], "requestBody": code_body, "responses": body_errors(ingest_resp)}}
      },
      "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        "schemas": {
          "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "object",
              "required": ["status", "code", "message"], "properties": {
                "status": {"type": "integer"}, "code": {"type": "string"}, "message": {"type": "string"}}}}},
          "Stats": {"type": "object", "required": ["documents", "events", "quotes", "places"], "properties": {
              "documents": {"type": "integer"}, "events": {"type": "integer"},
              "quotes": {"type": "integer"}, "places": {"type": "integer"}}},
          "ActorRef": {"type": "object", "required": ["code", "text"], "properties": {
              "code": {"type": "string"}, "text": {"type": "string"}, "name": str_opt,
              "start": {"type": "integer"}, "end": {"type": "integer"}}},
          "EventPlace": {"type": "object", "required": ["name"], "properties": {
              "name": {"type": "string"}, "country": {"type": "string"}, "lat": {"type": "number"},
              "lon": {"type": "number"}, "geonameid": {"type": "integer"}}},
          "Span": {"type": "object", "required": ["start", "end"], "properties": {
              "start": {"type": "integer"}, "end": {"type": "integer"}}},
          "Event": {"type": "object",
              "required": ["id", "doc_id", "plover", "cameo", "flags", "evidence", "snippet", "rule"], "properties": {
              "id": {"type": "integer"}, "doc_id": {"type": "string"}, "doc_title": {"type": "string"},
              "plover": {"type": "string"}, "mode": {"type": "string"}, "cameo": {"type": "string"},
              "source": {"$ref": "#/components/schemas/ActorRef"}, "target": {"$ref": "#/components/schemas/ActorRef"},
              "date": {"type": "string"}, "place": {"$ref": "#/components/schemas/EventPlace"},
              "flags": {"type": "array", "items": {"type": "string"}},
              "evidence": {"type": "array", "items": {"$ref": "#/components/schemas/Span"}},
              "snippet": {"type": "string"}, "rule": {"type": "string"}}},
          "Actor": {"type": "object", "required": ["code", "events", "as_source", "as_target"], "properties": {
              "code": {"type": "string"}, "name": {"type": "string"}, "events": {"type": "integer"},
              "as_source": {"type": "integer"}, "as_target": {"type": "integer"}}},
          "Document": {"type": "object", "required": ["id", "events", "quotes"], "properties": {
              "id": {"type": "string"}, "title": {"type": "string"}, "date": {"type": "string"},
              "site": {"type": "string"}, "url": {"type": "string"},
              "events": {"type": "integer"}, "quotes": {"type": "integer"}}},
          "Quote": {"type": "object", "required": ["doc_id", "kind", "text", "start", "end"], "properties": {
              "doc_id": {"type": "string"}, "kind": {"type": "string"}, "text": {"type": "string"},
              "start": {"type": "integer"}, "end": {"type": "integer"}, "speaker": {"type": "string"},
              "actor": {"type": "string"}, "cue": {"type": "string"}}},
          "Place": {"type": "object", "required": ["name", "lat", "lon", "events", "mentions"], "properties": {
              "name": {"type": "string"}, "geonameid": {"type": "integer"}, "country": {"type": "string"},
              "lat": {"type": "number"}, "lon": {"type": "number"},
              "events": {"type": "integer"}, "mentions": {"type": "integer"}}},
          "Count": {"type": "object", "required": ["key", "count"], "properties": {
              "key": {"type": "string"}, "source": {"type": "string"}, "target": {"type": "string"},
              "count": {"type": "integer"}}},
          "IngestOutcome": {"type": "object", "required": ["id", "inserted", "events"], "properties": {
              "id": {"type": "string"}, "inserted": {"type": "boolean"}, "events": {"type": "integer"}}},
          "Record": {"type": "object", "required": ["id", "source"],
              "description": "The output record of the design brief (article, sentences, entities, events, quotes, numbers, places, dates).",
              "properties": {"id": {"type": "string"}, "source": {"type": "object"}, "error": {"type": "object"},
                "article": {"type": "object"}, "events": {"type": "array", "items": {"type": "object"}}}}
        }
      }
    });
    // Every read answer carries an ETag; sent back in If-None-Match while
    // the data is unchanged, it is answered 304 without a body.
    if let Some(paths) = doc["paths"].as_object_mut() {
        for (path, item) in paths.iter_mut() {
            // (`get_mut`: indexing a missing key mutably would add a null.)
            let responses = item
                .get_mut("get")
                .and_then(|g| g.get_mut("responses"))
                .and_then(Value::as_object_mut);
            if let Some(r) = responses {
                if path.starts_with("/api/") {
                    r.insert(
                        "304".into(),
                        json!({"description": "Not modified: If-None-Match named the current ETag"}),
                    );
                }
            }
        }
    }
    doc
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_api_route_is_described() {
        let d = super::document();
        let paths = d["paths"].as_object().unwrap();
        for p in [
            "/api/health",
            "/api/events",
            "/api/events/{id}",
            "/api/actors",
            "/api/documents",
            "/api/documents/{id}",
            "/api/quotes",
            "/api/places",
            "/api/counts",
            "/api/search",
            "/api/code",
            "/api/ingest",
        ] {
            assert!(paths.contains_key(p), "{p} missing");
        }
        // Every operation is an object (no method added as null).
        for (p, item) in paths {
            for (m, op) in item.as_object().unwrap() {
                assert!(op.is_object(), "{p} {m}");
            }
        }
        assert!(d["paths"]["/api/events"]["get"]["responses"]["304"].is_object());
        assert!(d["paths"]["/api/code"].get("get").is_none());
    }
}
