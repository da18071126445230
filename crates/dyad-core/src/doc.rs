//! The document and its layers. Spans are byte offsets into `Doc::text()`.

use crate::error::DocError;
use crate::offsets::CharIndex;
use serde::{Deserialize, Serialize};

/// A half-open byte range `[start, end)` into the document text.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }
    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }
    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
    pub fn overlaps(&self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// Where a document came from. Exactly the fields that apply are set.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Source {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warc_record_id: Option<String>,
    /// Line number (1-based) for JSONL inputs, record number for WARC.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
}

impl Source {
    pub fn path(p: impl Into<String>) -> Self {
        Source {
            path: Some(p.into()),
            ..Default::default()
        }
    }
    /// A short human name for messages: path, url or record id.
    pub fn display(&self) -> String {
        let base = self
            .path
            .clone()
            .or_else(|| self.url.clone())
            .or_else(|| self.warc_record_id.clone())
            .unwrap_or_else(|| "<unknown>".into());
        match self.line {
            Some(l) => format!("{base}:{l}"),
            None => base,
        }
    }
}

/// What kind of content the raw input holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum InputKind {
    /// Decide from the content (sniffing).
    #[default]
    Auto,
    /// Plain or scraped text.
    Text,
    /// An HTML page.
    Html,
}

/// The raw input of a document before extraction. Not part of the output.
#[derive(Debug, Clone, Default)]
pub struct Input {
    /// Undecoded bytes (files, WARC payloads) ...
    pub bytes: Vec<u8>,
    /// ... or already-decoded text (JSONL `text`/`html` fields).
    pub decoded: Option<String>,
    pub kind: InputKind,
    /// Charset declared outside the content (HTTP `Content-Type`).
    pub declared_charset: Option<String>,
    /// The text is already clean article text: skip extraction; the
    /// article text must equal the input exactly.
    pub clean: bool,
}

/// Article text and metadata, written by the extract stage.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Article {
    pub title: Option<String>,
    pub standfirst: Option<String>,
    pub byline: Option<String>,
    /// Publication date, ISO 8601 (`YYYY-MM-DD`).
    pub date: Option<String>,
    /// ISO 639-1 code of the body language.
    pub language: Option<String>,
    pub site: Option<String>,
    pub url: Option<String>,
    /// The clean article text; every span points into it.
    pub text: String,
    /// Blocks removed as page chrome, with why and their language.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub removed: Vec<RemovedBlock>,
}

/// A block of the input that extraction dropped (not part of `text`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RemovedBlock {
    pub text: String,
    /// Why it was removed ("teaser", "footer", "other-language", ...).
    pub reason: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
}

/// A sentence. `tokens` indexes `Doc::tokens`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Sentence {
    pub start: usize,
    pub end: usize,
    #[serde(skip)]
    pub tokens: std::ops::Range<usize>,
}

/// A token with the annotations the tagger and parser add.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    /// Normalised form (curly quotes straightened, dashes unified ...),
    /// when it differs from the surface text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub norm: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub upos: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub xpos: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lemma: Option<String>,
    /// Absolute index in `Doc::tokens` of the syntactic head; `None` for
    /// the root (or before parsing).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub head: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deprel: Option<String>,
    /// Whitespace follows the token in the text.
    #[serde(skip)]
    pub space_after: bool,
}

/// A named-entity mention.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// PER, ORG, LOC, NORP (nationality/group adjectives), ...
    pub label: String,
    /// Actor code (ISO3 + sector, or IGO code) once actors are resolved.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    /// Coreference chain id: mentions of the same entity share it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chain: Option<usize>,
    /// Canonical name of the chain ("Vladimir Putin" for "Putin").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub canonical: Option<String>,
}

/// An actor as it appears in an event or quote.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ActorRef {
    /// Actor code, e.g. `RUSGOV`, `IGOUNO`.
    pub code: String,
    pub text: String,
    pub start: usize,
    pub end: usize,
    /// Canonical name when known ("Vladimir Putin").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// Auxiliary event flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Flag {
    Negated,
    Future,
    Hypothetical,
    Historical,
}

/// A place attached to an event.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EventPlace {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub geonameid: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lat: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lon: Option<f64>,
    pub start: usize,
    pub end: usize,
}

/// A coded event.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// PLOVER event type (CONSULT, AID, ASSAULT, ...).
    pub plover: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    /// CAMEO code (e.g. "040", "0841").
    pub cameo: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<ActorRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<ActorRef>,
    /// Event date, ISO 8601 with the precision known (YYYY, YYYY-MM, YYYY-MM-DD).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place: Option<EventPlace>,
    #[serde(default)]
    pub flags: Vec<Flag>,
    /// Text spans that report this event (one per mention).
    pub evidence: Vec<Span>,
    /// Id of the pattern that coded it.
    pub rule: String,
    /// Human-readable explanation (parse path), filled with `--explain`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explain: Option<String>,
    /// The article field every offset of this event (evidence, actors,
    /// place) points into when it is not the body: `"title"` or
    /// `"standfirst"`, for an event that only the headline reports. Such
    /// offsets are char offsets in every representation (see [`FieldSpan`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Further reports of this event in the title or standfirst.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub headline: Vec<FieldSpan>,
}

/// A span in a short article field other than the body (`"title"`,
/// `"standfirst"`). Its offsets are Unicode scalar offsets into that field
/// both inside a `Doc` and in JSON: the fields are a line or two, so there
/// is nothing to gain from byte offsets, and [`Doc::map_offsets`] (which
/// converts body offsets) leaves them alone.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldSpan {
    pub field: String,
    pub start: usize,
    pub end: usize,
}

impl Article {
    /// The text of a field named as in [`FieldSpan::field`].
    pub fn field(&self, name: &str) -> Option<&str> {
        match name {
            "title" => self.title.as_deref(),
            "standfirst" => self.standfirst.as_deref(),
            "text" | "body" => Some(&self.text),
            _ => None,
        }
    }
}

/// A span with its text, used by quotes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TextSpan {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// The speaker of a quote.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Speaker {
    pub text: String,
    pub start: usize,
    pub end: usize,
    /// Canonical name of the speaker's chain when resolved.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
}

/// A quotation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Quote {
    /// "direct", "indirect" or "mixed".
    pub kind: String,
    pub content: TextSpan,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cue: Option<TextSpan>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub speaker: Option<Speaker>,
    /// The quoted pieces, when a statement runs on after its attribution
    /// ("“A,” she said. “B.”"): `content` then spans from the first piece
    /// to the last, attribution included, and `parts` holds the pieces.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<TextSpan>,
}

/// A cardinal quantity with its head noun.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Number {
    pub text: String,
    pub start: usize,
    pub end: usize,
    pub value: f64,
    /// Unit or head noun, normalised ("people", "deaths", "USD", "troops").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// The head noun as written ("people", "lives").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub head: Option<String>,
    /// killed, injured, displaced, affected, arrested, troops, money, other.
    pub category: String,
}

/// A toponym resolved against the gazetteer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Place {
    pub text: String,
    pub start: usize,
    pub end: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub geonameid: Option<u64>,
    pub name: String,
    /// ISO 3166-1 alpha-3.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    pub lat: f64,
    pub lon: f64,
    /// GeoNames feature class (P populated place, A admin area, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feature_class: Option<String>,
}

/// A temporal expression normalised against the document date.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DateExpr {
    pub text: String,
    pub start: usize,
    pub end: usize,
    /// ISO 8601 with the precision known: YYYY, YYYY-MM or YYYY-MM-DD.
    pub value: String,
}

/// One document moving through the pipeline.
#[derive(Debug, Clone, Default)]
pub struct Doc {
    /// Input id (JSONL `id`, WARC record id) or the path.
    pub id: String,
    pub source: Source,
    /// Set by the first stage that fails; later stages are skipped.
    pub error: Option<DocError>,
    /// Raw input; cleared after extraction to save memory.
    pub input: Input,
    /// Document date given from outside (`--date`, JSONL `date`), used
    /// when the article carries none.
    pub date_hint: Option<String>,
    pub article: Article,
    pub sentences: Vec<Sentence>,
    pub tokens: Vec<Token>,
    pub entities: Vec<Entity>,
    pub events: Vec<Event>,
    pub quotes: Vec<Quote>,
    pub numbers: Vec<Number>,
    pub places: Vec<Place>,
    pub dates: Vec<DateExpr>,
}

impl Doc {
    /// A document whose input is raw bytes (a file, a WARC payload).
    pub fn from_bytes(
        id: impl Into<String>,
        source: Source,
        bytes: Vec<u8>,
        kind: InputKind,
    ) -> Self {
        Doc {
            id: id.into(),
            source,
            input: Input {
                bytes,
                kind,
                ..Default::default()
            },
            ..Default::default()
        }
    }

    /// A document whose input is already-clean article text: no extraction.
    pub fn from_clean_text(id: impl Into<String>, source: Source, text: impl Into<String>) -> Self {
        let text = text.into();
        Doc {
            id: id.into(),
            source,
            input: Input {
                decoded: Some(text.clone()),
                kind: InputKind::Text,
                clean: true,
                ..Default::default()
            },
            article: Article {
                text,
                ..Default::default()
            },
            ..Default::default()
        }
    }

    /// A document that failed before any stage could run (unreadable file).
    pub fn failed(id: impl Into<String>, source: Source, error: DocError) -> Self {
        Doc {
            id: id.into(),
            source,
            error: Some(error),
            ..Default::default()
        }
    }

    /// The article text every span points into.
    pub fn text(&self) -> &str {
        &self.article.text
    }

    /// The text of a span (empty if out of range or not on char boundaries).
    pub fn slice(&self, start: usize, end: usize) -> &str {
        self.article.text.get(start..end).unwrap_or("")
    }

    /// The document date: the article's own, else the hint.
    pub fn date(&self) -> Option<&str> {
        self.article.date.as_deref().or(self.date_hint.as_deref())
    }

    /// Tokens of a sentence.
    pub fn sentence_tokens(&self, s: &Sentence) -> &[Token] {
        self.tokens.get(s.tokens.clone()).unwrap_or(&[])
    }

    /// The output record (design brief), with every offset converted to
    /// Unicode scalar offsets. `with_tokens` adds the token layer.
    pub fn to_record(&self) -> serde_json::Value {
        self.record_with(false)
    }

    /// Like [`Doc::to_record`], optionally including tokens.
    pub fn record_with(&self, with_tokens: bool) -> serde_json::Value {
        let mut d = self.clone();
        d.input = Input::default();
        let idx = CharIndex::new(&d.article.text);
        let mut f = |o: &mut usize| *o = idx.char_of(*o);
        d.map_offsets(&mut f);
        let mut rec = serde_json::json!({
            "id": d.id,
            "source": d.source,
        });
        let m = rec.as_object_mut().expect("object");
        if let Some(e) = &d.error {
            m.insert("error".into(), serde_json::to_value(e).expect("serialize"));
        }
        m.insert(
            "article".into(),
            serde_json::to_value(&d.article).expect("serialize"),
        );
        m.insert(
            "sentences".into(),
            serde_json::to_value(&d.sentences).expect("serialize"),
        );
        if with_tokens {
            m.insert(
                "tokens".into(),
                serde_json::to_value(&d.tokens).expect("serialize"),
            );
        }
        m.insert(
            "entities".into(),
            serde_json::to_value(&d.entities).expect("serialize"),
        );
        m.insert(
            "events".into(),
            serde_json::to_value(&d.events).expect("serialize"),
        );
        m.insert(
            "quotes".into(),
            serde_json::to_value(&d.quotes).expect("serialize"),
        );
        m.insert(
            "numbers".into(),
            serde_json::to_value(&d.numbers).expect("serialize"),
        );
        m.insert(
            "places".into(),
            serde_json::to_value(&d.places).expect("serialize"),
        );
        m.insert(
            "dates".into(),
            serde_json::to_value(&d.dates).expect("serialize"),
        );
        rec
    }

    /// Applies `f` to every offset into the body text of every layer (used
    /// for the byte to char conversion). A new layer must be added here.
    /// Offsets into other fields (events with [`Event::field`], and
    /// [`Event::headline`]) are not body offsets and are left alone.
    pub fn map_offsets(&mut self, f: &mut dyn FnMut(&mut usize)) {
        let mut sp = |s: &mut usize, e: &mut usize| {
            f(s);
            f(e);
        };
        for s in &mut self.sentences {
            sp(&mut s.start, &mut s.end);
        }
        for t in &mut self.tokens {
            sp(&mut t.start, &mut t.end);
        }
        for e in &mut self.entities {
            sp(&mut e.start, &mut e.end);
        }
        for ev in self.events.iter_mut().filter(|e| e.field.is_none()) {
            for a in ev.source.iter_mut().chain(ev.target.iter_mut()) {
                sp(&mut a.start, &mut a.end);
            }
            if let Some(p) = &mut ev.place {
                sp(&mut p.start, &mut p.end);
            }
            for e in &mut ev.evidence {
                sp(&mut e.start, &mut e.end);
            }
        }
        for q in &mut self.quotes {
            sp(&mut q.content.start, &mut q.content.end);
            if let Some(c) = &mut q.cue {
                sp(&mut c.start, &mut c.end);
            }
            if let Some(s) = &mut q.speaker {
                sp(&mut s.start, &mut s.end);
            }
            for p in &mut q.parts {
                sp(&mut p.start, &mut p.end);
            }
        }
        for n in &mut self.numbers {
            sp(&mut n.start, &mut n.end);
        }
        for p in &mut self.places {
            sp(&mut p.start, &mut p.end);
        }
        for d in &mut self.dates {
            sp(&mut d.start, &mut d.end);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_converts_body_offsets_and_keeps_headline_offsets() {
        let mut d = Doc::from_clean_text("d", Source::path("d"), "Écoute: talks.");
        d.article.title = Some("Élan talks".into());
        // "talks" is bytes 9..14 of the body (É is two bytes), chars 8..13.
        d.events.push(Event {
            plover: "CONSULT".into(),
            evidence: vec![Span::new(9, 14)],
            headline: vec![FieldSpan {
                field: "title".into(),
                start: 5,
                end: 10,
            }],
            ..Default::default()
        });
        // A headline-only event: char offsets into the title, untouched.
        d.events.push(Event {
            plover: "CONSULT".into(),
            evidence: vec![Span::new(5, 10)],
            field: Some("title".into()),
            ..Default::default()
        });
        let r = d.to_record();
        assert_eq!(r["events"][0]["evidence"][0]["start"], 8);
        assert_eq!(r["events"][0]["headline"][0]["start"], 5);
        assert_eq!(r["events"][1]["evidence"][0]["start"], 5);
        assert_eq!(r["events"][1]["field"], "title");
        let title = d.article.field("title").unwrap();
        let t: String = title.chars().skip(5).take(5).collect();
        assert_eq!(t, "talks");
        assert!(r["events"][0].get("field").is_none());
    }
}
