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

use dyad_core::{CharIndex, Doc, FieldSpan, Pipeline, Source, Span, Stage, StageError};

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
        // Squashed only when a title or standfirst needs the comparison.
        let mut body: Option<String> = None;
        let mut text = String::new();
        let mut parts = Vec::new();
        for field in ["title", "standfirst"] {
            let Some(value) = doc.article.field(field) else {
                continue;
            };
            let value = value.trim();
            // Pages that repeat the headline as the first line of the body
            // would report the same mention twice.
            if value.is_empty()
                || body
                    .get_or_insert_with(|| squash(doc.text()))
                    .contains(&squash(value))
            {
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
        let index: Vec<CharIndex> = parts
            .iter()
            .map(|p| CharIndex::new(&sub.text()[p.start..p.end]))
            .collect();
        // A span of the small document as a span of the field it lies in
        // (char offsets, see FieldSpan). The coder may merge a title report
        // and a standfirst report into one event, so each span is placed
        // on its own.
        let place = |start: usize, end: usize| {
            let k = parts
                .iter()
                .position(|p| p.start <= start && end <= p.end)?;
            let p = &parts[k];
            Some(FieldSpan {
                field: p.field.to_string(),
                start: index[k].char_of(start - p.start),
                end: index[k].char_of(end - p.start),
            })
        };
        for mut ev in std::mem::take(&mut sub.events) {
            let spans: Vec<FieldSpan> = ev
                .evidence
                .iter()
                .filter_map(|s| place(s.start, s.end))
                .collect();
            let Some(field) = spans.first().map(|s| s.field.clone()) else {
                continue;
            };
            let hit = doc.events[..n_body]
                .iter()
                .position(|b| dyad_coder::events::same_event(b, &ev, doc_date.as_deref()));
            // The title and the standfirst may both report an event the
            // body lacks: one event, a second report.
            let hit = hit.or_else(|| {
                doc.events[n_body..]
                    .iter()
                    .position(|b| dyad_coder::events::same_event(b, &ev, doc_date.as_deref()))
                    .map(|j| n_body + j)
            });
            if let Some(i) = hit {
                doc.events[i].headline.extend(spans);
                continue;
            }
            // Only the headline reports it: every offset points into
            // `field`; reports in the other field go to `headline`. An
            // actor or place written in the other field (rare: a merged
            // event) keeps its text with an empty span at 0.
            let in_field = |start: usize, end: usize| {
                place(start, end)
                    .filter(|f| f.field == field)
                    .map_or((0, 0), |f| (f.start, f.end))
            };
            for a in [&mut ev.source, &mut ev.target].into_iter().flatten() {
                (a.start, a.end) = in_field(a.start, a.end);
            }
            if let Some(p) = &mut ev.place {
                (p.start, p.end) = in_field(p.start, p.end);
            }
            let (here, elsewhere): (Vec<FieldSpan>, Vec<FieldSpan>) =
                spans.into_iter().partition(|s| s.field == field);
            ev.evidence = here.iter().map(|s| Span::new(s.start, s.end)).collect();
            ev.headline = elsewhere;
            ev.field = Some(field);
            doc.events.push(ev);
        }
        Ok(())
    }
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
