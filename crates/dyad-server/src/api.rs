//! Routes, handlers and the layers around them (limits, timeouts, JSON
//! errors, security headers).

use crate::backend::{
    ActorCount, Backend, BackendError, CountBy, DocRow, EventPage, EventRow, Filter, IngestOutcome,
    Page, PlaceCount, QuoteRow, Rows,
};
use crate::Config;
use axum::body::Body;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Path, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

const DEFAULT_LIMIT: usize = 50;
const MAX_LIMIT: usize = 1000;
const MAX_COUNT_LIMIT: usize = 10_000;
/// Events are counted exactly up to this many matches (see
/// [`EventPage`]): past it, counting costs more than the page itself.
pub(crate) const EVENT_COUNT_CAP: usize = 1000;

#[derive(Clone)]
struct AppState {
    backend: Arc<dyn Backend>,
    token: Option<Arc<str>>,
    code_slots: Arc<tokio::sync::Semaphore>,
    code_timeout: Duration,
}

/// An error answered as `{"error": {"status", "code", "message"}}`.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl ApiError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }
    fn bad(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }
    fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", message)
    }
    fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "internal error",
        )
    }
}

fn error_body(status: StatusCode, code: &str, message: &str) -> Response {
    let body = json!({"error": {"status": status.as_u16(), "code": code, "message": message}});
    (status, Json(body)).into_response()
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        error_body(self.status, self.code, &self.message)
    }
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> Self {
        ApiError::bad(r.body_text())
    }
}

impl From<PathRejection> for ApiError {
    fn from(r: PathRejection) -> Self {
        ApiError::bad(r.body_text())
    }
}

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> Self {
        let status = r.status();
        let code = match status {
            StatusCode::PAYLOAD_TOO_LARGE => "too_large",
            StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
            StatusCode::UNPROCESSABLE_ENTITY => "invalid_body",
            _ => "bad_request",
        };
        ApiError::new(status, code, r.body_text())
    }
}

impl From<BackendError> for ApiError {
    fn from(e: BackendError) -> Self {
        eprintln!("dyad serve: backend error: {e}");
        ApiError::internal()
    }
}

type ApiResult<T> = Result<Json<T>, ApiError>;

/// Runs a backend call off the async workers (the SQLite store blocks).
async fn blocking<T: Send + 'static>(
    st: &AppState,
    f: impl FnOnce(&dyn Backend) -> crate::backend::Result<T> + Send + 'static,
) -> Result<T, ApiError> {
    let b = st.backend.clone();
    match tokio::task::spawn_blocking(move || f(b.as_ref())).await {
        Ok(r) => r.map_err(ApiError::from),
        Err(_) => Err(ApiError::internal()),
    }
}

/// Query parameters of the list endpoints: the [`Filter`] plus paging.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Params {
    actor: Option<String>,
    source: Option<String>,
    target: Option<String>,
    country: Option<String>,
    #[serde(rename = "type")]
    event_type: Option<String>,
    from: Option<String>,
    to: Option<String>,
    q: Option<String>,
    doc: Option<String>,
    limit: Option<usize>,
    offset: Option<usize>,
    by: Option<CountBy>,
}

impl Params {
    fn filter(&self) -> Result<Filter, ApiError> {
        // A document is named by its store id or by its input key.
        let doc = self.doc.as_deref().map(str::trim).filter(|d| !d.is_empty());
        let f = Filter {
            actor: self.actor.clone(),
            source: self.source.clone(),
            target: self.target.clone(),
            country: self.country.clone(),
            event_type: self.event_type.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
            text: self.q.clone(),
            doc: doc.and_then(|d| d.parse().ok()),
            doc_key: doc.filter(|d| d.parse::<i64>().is_err()).map(String::from),
            ..Default::default()
        }
        .normalized();
        for (name, d) in [("from", &f.from), ("to", &f.to)] {
            if let Some(d) = d {
                if !valid_date_prefix(d) {
                    return Err(ApiError::bad(format!(
                        "{name}: expected YYYY, YYYY-MM or YYYY-MM-DD, got {d:?}"
                    )));
                }
            }
        }
        Ok(f)
    }
    fn page(&self) -> Result<Page, ApiError> {
        let limit = self.limit.unwrap_or(DEFAULT_LIMIT);
        if limit > MAX_LIMIT {
            return Err(ApiError::bad(format!("limit: at most {MAX_LIMIT}")));
        }
        Ok(Page {
            limit,
            offset: self.offset.unwrap_or(0),
        })
    }
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD` with digits where digits belong.
fn valid_date_prefix(d: &str) -> bool {
    let b = d.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    match b.len() {
        4 => digits(0..4),
        7 => digits(0..4) && b[4] == b'-' && digits(5..7),
        10 => digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10),
        _ => false,
    }
}

fn params(p: Result<Query<Params>, QueryRejection>) -> Result<Params, ApiError> {
    Ok(p?.0)
}

pub(crate) fn router(cfg: &Config, backend: Arc<dyn Backend>) -> Router {
    let st = AppState {
        backend,
        token: cfg.token.clone().filter(|t| !t.is_empty()).map(Arc::from),
        code_slots: Arc::new(tokio::sync::Semaphore::new(cfg.code_workers.max(1))),
        code_timeout: cfg.code_timeout,
    };
    let read_timeout = cfg.read_timeout;
    let cache = Arc::new(crate::cache::ResponseCache::new(cfg.cache_bytes));
    let cache_backend = st.backend.clone();
    let code_timeout = cfg.code_timeout + Duration::from_secs(5);
    let reads = Router::new()
        .route("/api/health", get(health))
        .route("/api/events", get(events))
        .route("/api/events/{id}", get(event))
        .route("/api/actors", get(actors))
        .route("/api/documents", get(documents))
        .route("/api/documents/{id}", get(document))
        .route("/api/quotes", get(quotes))
        .route("/api/places", get(places))
        .route("/api/counts", get(counts))
        .route("/api/search", get(search))
        .route("/openapi.json", get(openapi))
        .route("/", get(index))
        .route("/ui/{*path}", get(asset))
        .layer(middleware::from_fn(move |r: Request, n: Next| {
            with_timeout(read_timeout, r, n)
        }))
        // Outside the timeout: a cached answer needs no time limit.
        .layer(middleware::from_fn(move |r: Request, n: Next| {
            crate::cache::layer(cache.clone(), cache_backend.clone(), r, n)
        }));
    let writes = Router::new()
        .route("/api/code", post(code))
        .route("/api/ingest", post(ingest))
        .layer(middleware::from_fn(move |r: Request, n: Next| {
            with_timeout(code_timeout, r, n)
        }));
    reads
        .merge(writes)
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(cfg.max_body))
        .layer(middleware::from_fn(json_errors_and_headers))
        .with_state(st)
}

async fn with_timeout(limit: Duration, req: Request, next: Next) -> Response {
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(r) => r,
        Err(_) => error_body(
            StatusCode::SERVICE_UNAVAILABLE,
            "timeout",
            "the request took too long",
        ),
    }
}

/// Every error answer is JSON (axum's own 405s and rejections included),
/// and every answer carries headers that keep the UI locked to this origin.
async fn json_errors_and_headers(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let st = res.status();
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if (st.is_client_error() || st.is_server_error()) && !is_json {
        let code = match st {
            StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
            StatusCode::NOT_FOUND => "not_found",
            StatusCode::PAYLOAD_TOO_LARGE => "too_large",
            _ if st.is_server_error() => "internal",
            _ => "bad_request",
        };
        let msg = st.canonical_reason().unwrap_or("error");
        let mut fresh = error_body(st, code, msg);
        for name in [header::ALLOW, header::WWW_AUTHENTICATE] {
            if let Some(v) = res.headers().get(&name) {
                fresh.headers_mut().insert(name, v.clone());
            }
        }
        res = fresh;
    }
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; \
             connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        ),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    res
}

async fn not_found(req: Request) -> ApiError {
    ApiError::not_found(format!("no route for {}", req.uri().path()))
}

async fn health(State(st): State<AppState>) -> ApiResult<Value> {
    let s = blocking(&st, |b| b.stats()).await?;
    let mut v = json!({"status": "ok", "stats": s, "ingest": st.token.is_some()});
    if s.documents == 0 {
        v["hint"] = json!(
            "the store is empty: run `dyad ingest --db FILE ARTICLES...` and restart, \
             or start with --token and POST documents to /api/ingest"
        );
    }
    Ok(Json(v))
}

async fn events(
    State(st): State<AppState>,
    p: Result<Query<Params>, QueryRejection>,
) -> ApiResult<EventPage> {
    let p = params(p)?;
    let (f, page) = (p.filter()?, p.page()?);
    Ok(Json(
        blocking(&st, move |b| b.events_page(&f, page, EVENT_COUNT_CAP)).await?,
    ))
}

async fn event(
    State(st): State<AppState>,
    id: Result<Path<u64>, PathRejection>,
) -> ApiResult<EventRow> {
    let id = id?.0;
    match blocking(&st, move |b| b.event(id)).await? {
        Some(e) => Ok(Json(e)),
        None => Err(ApiError::not_found(format!("no event {id}"))),
    }
}

async fn actors(
    State(st): State<AppState>,
    p: Result<Query<Params>, QueryRejection>,
) -> ApiResult<Rows<ActorCount>> {
    let p = params(p)?;
    let (f, page) = (p.filter()?, p.page()?);
    Ok(Json(blocking(&st, move |b| b.actors(&f, page)).await?))
}

async fn documents(
    State(st): State<AppState>,
    p: Result<Query<Params>, QueryRejection>,
) -> ApiResult<Rows<DocRow>> {
    let p = params(p)?;
    let (f, page) = (p.filter()?, p.page()?);
    Ok(Json(blocking(&st, move |b| b.documents(&f, page)).await?))
}

async fn document(
    State(st): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> ApiResult<Value> {
    let id = id?.0;
    let key = id.clone();
    match blocking(&st, move |b| b.document(&key)).await? {
        Some(d) => Ok(Json(d)),
        None => Err(ApiError::not_found(format!("no document {id:?}"))),
    }
}

async fn quotes(
    State(st): State<AppState>,
    p: Result<Query<Params>, QueryRejection>,
) -> ApiResult<Rows<QuoteRow>> {
    let p = params(p)?;
    let (f, page) = (p.filter()?, p.page()?);
    Ok(Json(blocking(&st, move |b| b.quotes(&f, page)).await?))
}

async fn places(
    State(st): State<AppState>,
    p: Result<Query<Params>, QueryRejection>,
) -> ApiResult<Rows<PlaceCount>> {
    let p = params(p)?;
    let (f, page) = (p.filter()?, p.page()?);
    Ok(Json(blocking(&st, move |b| b.places(&f, page)).await?))
}

async fn counts(
    State(st): State<AppState>,
    p: Result<Query<Params>, QueryRejection>,
) -> ApiResult<Value> {
    let p = params(p)?;
    let f = p.filter()?;
    let by = p
        .by
        .ok_or_else(|| ApiError::bad("by: one of day, week, month, type, dyad, country, actor"))?;
    let limit = p.limit.unwrap_or(MAX_COUNT_LIMIT);
    if limit > MAX_COUNT_LIMIT {
        return Err(ApiError::bad(format!("limit: at most {MAX_COUNT_LIMIT}")));
    }
    let items = blocking(&st, move |b| b.counts(by, &f, limit)).await?;
    Ok(Json(json!({"by": by, "items": items})))
}

async fn search(
    State(st): State<AppState>,
    p: Result<Query<Params>, QueryRejection>,
) -> ApiResult<Rows<DocRow>> {
    let p = params(p)?;
    let page = p.page()?;
    let q = crate::backend::without_controls(&p.q.unwrap_or_default());
    if q.trim().is_empty() {
        return Err(ApiError::bad("q: words to search for"));
    }
    Ok(Json(blocking(&st, move |b| b.search(&q, page)).await?))
}

/// A document posted for coding or ingest.
#[derive(Debug, Deserialize)]
struct CodeRequest {
    text: String,
    #[serde(default)]
    format: Format,
    id: Option<String>,
    url: Option<String>,
    date: Option<String>,
}

#[derive(Debug, Default, Deserialize, Clone, Copy)]
#[serde(rename_all = "lowercase")]
enum Format {
    /// Scraped text: extraction removes page chrome.
    #[default]
    Text,
    Html,
    /// Clean article text: kept exactly.
    Clean,
}

fn pipeline() -> Result<&'static dyad_core::Pipeline, String> {
    static P: OnceLock<Result<dyad_core::Pipeline, String>> = OnceLock::new();
    P.get_or_init(|| dyad_pipeline::standard().map_err(|e| e.to_string()))
        .as_ref()
        .map_err(Clone::clone)
}

fn make_doc(r: CodeRequest) -> Result<dyad_core::Doc, ApiError> {
    use dyad_core::{Doc, InputKind, Source};
    if let Some(d) = &r.date {
        if !valid_date_prefix(d) {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_body",
                "date: expected YYYY, YYYY-MM or YYYY-MM-DD",
            ));
        }
    }
    let id =
        r.id.clone()
            .unwrap_or_else(|| format!("posted-{:016x}", fnv(r.text.as_bytes())));
    let source = Source {
        url: r.url.clone(),
        path: r.url.is_none().then(|| id.clone()),
        ..Default::default()
    };
    let mut d = match r.format {
        Format::Clean => Doc::from_clean_text(id, source, r.text),
        Format::Html => Doc::from_bytes(id, source, r.text.into_bytes(), InputKind::Html),
        Format::Text => Doc::from_bytes(id, source, r.text.into_bytes(), InputKind::Text),
    };
    d.date_hint = r.date;
    Ok(d)
}

fn fnv(b: &[u8]) -> u64 {
    b.iter().fold(0xcbf29ce484222325u64, |h, &x| {
        (h ^ x as u64).wrapping_mul(0x100000001b3)
    })
}

/// Codes a document on a blocking thread, at most `code_workers` at once.
async fn code_doc(st: &AppState, r: CodeRequest) -> Result<dyad_core::Doc, ApiError> {
    let mut doc = make_doc(r)?;
    let _slot = st
        .code_slots
        .clone()
        .acquire_owned()
        .await
        .map_err(|_| ApiError::internal())?;
    let work = tokio::task::spawn_blocking(move || {
        let p = pipeline()?;
        p.run(&mut doc);
        Ok::<_, String>(doc)
    });
    match tokio::time::timeout(st.code_timeout, work).await {
        Err(_) => Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "timeout",
            "coding took too long",
        )),
        Ok(Err(_)) => Err(ApiError::internal()),
        Ok(Ok(Err(e))) => {
            eprintln!("dyad serve: pipeline unavailable: {e}");
            Err(ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "the pipeline failed to load",
            ))
        }
        Ok(Ok(Ok(doc))) => Ok(doc),
    }
}

async fn code(
    State(st): State<AppState>,
    body: Result<Json<CodeRequest>, JsonRejection>,
) -> ApiResult<Value> {
    let doc = code_doc(&st, body?.0).await?;
    Ok(Json(doc.to_record()))
}

/// Compares without an early exit, so the time taken does not tell how
/// much of a guessed token was right.
fn same_token(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

async fn ingest(
    State(st): State<AppState>,
    headers: HeaderMap,
    body: Result<Json<CodeRequest>, JsonRejection>,
) -> Result<(StatusCode, Json<IngestOutcome>), ApiError> {
    let Some(token) = st.token.clone() else {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "ingest_disabled",
            "ingest is disabled: start `dyad serve` with --token",
        ));
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    if !same_token(given.as_bytes(), token.as_bytes()) {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "a valid bearer token is required",
        ));
    }
    let doc = code_doc(&st, body?.0).await?;
    let out = blocking(&st, move |b| b.ingest(&doc)).await?;
    let status = if out.inserted {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(out)))
}

async fn openapi() -> Response {
    static DOC: OnceLock<String> = OnceLock::new();
    let body = DOC.get_or_init(|| crate::openapi::document().to_string());
    ([(header::CONTENT_TYPE, "application/json")], body.as_str()).into_response()
}

async fn index() -> Response {
    asset_response("index.html")
}

async fn asset(Path(path): Path<String>) -> Response {
    asset_response(&path)
}

/// Assets come only from the embedded table: a path is a key, never a
/// file name, so `..` and friends match nothing.
fn asset_response(path: &str) -> Response {
    match crate::assets::get(path) {
        Some((mime, bytes)) => Response::builder()
            .header(header::CONTENT_TYPE, mime)
            .header(header::CACHE_CONTROL, "no-cache")
            .body(Body::from(bytes))
            .unwrap_or_else(|_| ApiError::internal().into_response()),
        None => ApiError::not_found("no such asset").into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_prefixes() {
        for ok in ["2018", "2018-05", "2018-05-17"] {
            assert!(valid_date_prefix(ok), "{ok}");
        }
        for bad in [
            "",
            "18",
            "2018-5",
            "2018/05/17",
            "20180517",
            "2018-05-1x",
            "ab",
        ] {
            assert!(!valid_date_prefix(bad), "{bad}");
        }
    }

    #[test]
    fn token_comparison() {
        assert!(same_token(b"abc", b"abc"));
        assert!(!same_token(b"abc", b"abd"));
        assert!(!same_token(b"ab", b"abc"));
    }
}
