//! Coding the title and standfirst.
//!
//! A headline and its standfirst often report the article's main event
//! once more, and sometimes an event the body only alludes to ("Russia has
//! backed Syria's government with military support since September
//! 2015"). Every span of a `Doc` points into the body, so this stage codes
//! the two fields as a small document of their own, with the same stages
//! and the same document date, and then merges its events into the body's:
//! an event the body reports too gains [`Event::headline`](dyad_core::Event::headline) spans (one
//! event, several reports), and one the body lacks is added with
//! [`Event::field`](dyad_core::Event::field) naming where its offsets point.

use dyad_core::{ActorRef, CharIndex, Doc, FieldSpan, Pipeline, Source, Stage, StageError};

pub(crate) struct Headline {
    /// text → models → dates → places → coder, without extraction,
    /// quotes or numbers (no layer of theirs is kept from the headline).
    pub(crate) inner: Pipeline,
}

/// A field of the small headline document: its name and byte range.
struct Part {
    field: &'static str,
    start: usize,
    end: usize,
}

impl Stage for Headline {
    fn name(&self) -> &'static str {
        "headline"
    }

    fn process(&self, doc: &mut Doc) -> Result<(), StageError> {
        let body = squash(doc.text());
        let mut text = String::new();
        let mut parts = Vec::new();
        for field in ["title", "standfirst"] {
            let Some(value) = doc.article.field(field) else {
                continue;
            };
            let value = value.trim();
            // Pages that repeat the headline as the first line of the body
            // would report the same mention twice.
            if value.is_empty() || body.contains(&squash(value)) {
                continue;
            }
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            let start = text.len();
            text.push_str(value);
            parts.push(Part {
                field,
                start,
                end: text.len(),
            });
        }
        if parts.is_empty() {
            return Ok(());
        }
        let mut sub = Doc::from_clean_text(doc.id.clone(), Source::default(), text);
        sub.date_hint = doc.date().map(str::to_string);
        sub.article.language = doc.article.language.clone();
        self.inner.run(&mut sub);
        if sub.error.is_some() {
            // Best effort: the body's events stand on their own, and a
            // headline the models cannot read is no reason to fail the
            // document.
            return Ok(());
        }
        let doc_date = doc.date().map(str::to_string);
        let n_body = doc.events.len();
        for mut ev in std::mem::take(&mut sub.events) {
            let Some(first) = ev.evidence.first().copied() else {
                continue;
            };
            let Some(part) = parts
                .iter()
                .find(|p| p.start <= first.start && first.start < p.end)
            else {
                continue;
            };
            // Offsets relative to the field, in chars (see FieldSpan).
            let field_text = &sub.text()[part.start..part.end];
            let idx = CharIndex::new(field_text);
            let mut rel = |o: &mut usize| *o = idx.char_of(o.saturating_sub(part.start));
            for s in &mut ev.evidence {
                rel(&mut s.start);
                rel(&mut s.end);
            }
            for a in [&mut ev.source, &mut ev.target].into_iter().flatten() {
                rel_actor(a, &mut rel);
            }
            if let Some(p) = &mut ev.place {
                rel(&mut p.start);
                rel(&mut p.end);
            }
            let spans = ev.evidence.iter().map(|s| FieldSpan {
                field: part.field.to_string(),
                start: s.start,
                end: s.end,
            });
            let hit = doc.events[..n_body]
                .iter()
                .position(|b| dyad_coder::events::same_event(b, &ev, doc_date.as_deref()));
            match hit {
                Some(i) => doc.events[i].headline.extend(spans),
                None => {
                    // The title and the standfirst may both report an event
                    // the body lacks: one event, a second report.
                    let twin = doc.events[n_body..]
                        .iter()
                        .position(|b| dyad_coder::events::same_event(b, &ev, doc_date.as_deref()));
                    match twin {
                        Some(j) => doc.events[n_body + j].headline.extend(spans),
                        None => {
                            ev.field = Some(part.field.to_string());
                            doc.events.push(ev);
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

fn rel_actor(a: &mut ActorRef, rel: &mut impl FnMut(&mut usize)) {
    rel(&mut a.start);
    rel(&mut a.end);
}

/// Lowercase text with whitespace collapsed, to test containment.
fn squash(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn squash_collapses_space_and_case() {
        assert_eq!(squash("  Putin  MEETS\n Assad "), "putin meets assad");
    }
}
