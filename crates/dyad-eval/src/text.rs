//! `dyad eval text`: sentence and token F1 of the text stage against UD
//! English EWT and GUM (test sets reported, dev sets shown for tuning).
//!
//! Each document's raw text is rebuilt from its `# text` lines: a space
//! between sentences, a blank line at each `# newpar`, a new document at
//! each `# newdoc`. The tokeniser and splitter run on that text, and
//! their spans are compared with the gold spans, exactly (char spans):
//!
//! - sentences: a predicted sentence counts when its start and end both
//!   match a gold sentence (span F1, as spaCy's scorer does); the table
//!   also shows boundary F1 (sentence ends only).
//! - tokens are scored at the **word** level: a multiword token is split
//!   into its syntactic words when they spell its surface form exactly
//!   ("don't" 3-4 = "do" + "n't", "Google's" = "Google" + "'s"), as UD
//!   splits it; a multiword token whose words do not spell the surface
//!   (rare) is one gold token spanning the surface.

use crate::{require, Error};
use std::collections::HashSet;
use std::io::Write;
use std::path::Path;

/// One rebuilt document with its gold spans (byte offsets into `text`).
#[derive(Debug, Default, Clone)]
pub struct GoldDoc {
    /// `# newdoc id`, for error listings.
    pub id: String,
    pub text: String,
    pub sentences: Vec<(usize, usize)>,
    pub tokens: Vec<(usize, usize)>,
}

/// Precision, recall and F1 counts.
#[derive(Debug, Default, Clone, Copy)]
pub struct Prf {
    pub tp: usize,
    pub pred: usize,
    pub gold: usize,
}

impl Prf {
    pub fn add(&mut self, pred: &[(usize, usize)], gold: &[(usize, usize)]) {
        let g: HashSet<&(usize, usize)> = gold.iter().collect();
        self.tp += pred.iter().filter(|p| g.contains(p)).count();
        self.pred += pred.len();
        self.gold += gold.len();
    }
    pub fn p(&self) -> f64 {
        ratio(self.tp, self.pred)
    }
    pub fn r(&self) -> f64 {
        ratio(self.tp, self.gold)
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.p(), self.r());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Scores of one treebank file.
#[derive(Debug, Default, Clone, Copy)]
pub struct Scores {
    pub docs: usize,
    pub sentences: Prf,
    pub boundaries: Prf,
    pub tokens: Prf,
}

struct PendingSent {
    text: String,
    /// Token lines: (form, is_mwt_surface, words of the MWT).
    toks: Vec<(String, Vec<String>)>,
    newpar: bool,
}

/// Parses a CoNLL-U file into rebuilt documents with gold spans.
pub fn read_conllu(src: &str) -> Vec<GoldDoc> {
    let mut docs: Vec<GoldDoc> = Vec::new();
    let mut cur: Option<PendingSent> = None;
    let mut newdoc_next = true;
    let mut newpar_next = false;
    let mut mwt_end = 0usize;
    for line in src.lines() {
        if let Some(c) = line.strip_prefix('#') {
            let c = c.trim_start();
            if c.starts_with("newdoc") {
                newdoc_next = true;
                let id = c
                    .split_once('=')
                    .map(|x| x.1.trim().to_string())
                    .unwrap_or_default();
                docs.push(GoldDoc {
                    id,
                    ..Default::default()
                });
                newpar_next = false;
            } else if c.starts_with("newpar") {
                newpar_next = true;
            } else if let Some(t) = c.strip_prefix("text =") {
                if docs.is_empty() {
                    docs.push(GoldDoc::default());
                }
                cur = Some(PendingSent {
                    text: t.trim().to_string(),
                    toks: Vec::new(),
                    newpar: newpar_next && !newdoc_next,
                });
                newdoc_next = false;
                newpar_next = false;
            }
            continue;
        }
        if line.trim().is_empty() {
            if let (Some(s), Some(d)) = (cur.take(), docs.last_mut()) {
                place(d, s);
            }
            mwt_end = 0;
            continue;
        }
        let Some(s) = cur.as_mut() else { continue };
        let mut cols = line.split('\t');
        let (Some(id), Some(form)) = (cols.next(), cols.next()) else {
            continue;
        };
        if id.contains('.') {
            continue; // empty node
        }
        if let Some((a, b)) = id.split_once('-') {
            mwt_end = b.parse().unwrap_or(0);
            let _ = a;
            s.toks.push((form.to_string(), Vec::new()));
            continue;
        }
        let n: usize = id.parse().unwrap_or(0);
        if n <= mwt_end {
            if let Some(last) = s.toks.last_mut() {
                last.1.push(form.to_string());
            }
        } else {
            s.toks.push((form.to_string(), Vec::new()));
        }
    }
    if let (Some(s), Some(d)) = (cur.take(), docs.last_mut()) {
        place(d, s);
    }
    docs.retain(|d| !d.text.is_empty());
    docs
}

/// Appends a sentence to the document text and aligns its tokens.
fn place(d: &mut GoldDoc, s: PendingSent) {
    if !d.text.is_empty() {
        d.text.push_str(if s.newpar { "\n\n" } else { " " });
    }
    let base = d.text.len();
    d.text.push_str(&s.text);
    d.sentences.push((base, base + s.text.len()));
    let t = &s.text;
    let mut cur = 0usize;
    for (form, words) in &s.toks {
        // Forms are the surface, in order; skip the spaces between them.
        let Some(off) = t[cur..].find(form.as_str()) else {
            continue;
        };
        let st = cur + off;
        let en = st + form.len();
        cur = en;
        let joined: String = words.concat();
        if !words.is_empty() && joined == *form {
            let mut p = st;
            for w in words {
                d.tokens.push((base + p, base + p + w.len()));
                p += w.len();
            }
        } else {
            d.tokens.push((base + st, base + en));
        }
    }
}

/// Character spans `(start, end)`.
pub type Spans = Vec<(usize, usize)>;

/// Predicted spans of the text stage on `text`: (sentences, tokens).
pub fn predict(text: &str) -> (Spans, Spans) {
    let toks = dyad_text::tokenize(text);
    let sents = dyad_text::sentence_ranges(text, &toks)
        .into_iter()
        .map(|r| (toks[r.start].0, toks[r.end - 1].1))
        .collect();
    (sents, toks)
}

/// Scores the text stage on parsed gold documents.
pub fn score(docs: &[GoldDoc]) -> Scores {
    let mut sc = Scores {
        docs: docs.len(),
        ..Default::default()
    };
    for d in docs {
        let (ps, pt) = predict(&d.text);
        sc.sentences.add(&ps, &d.sentences);
        let ends = |v: &[(usize, usize)]| v.iter().map(|&(_, e)| (e, e)).collect::<Vec<_>>();
        sc.boundaries.add(&ends(&ps), &ends(&d.sentences));
        sc.tokens.add(&pt, &d.tokens);
    }
    sc
}

/// The treebanks scored, with the targets of issue 2 (test sets).
const FILES: &[(&str, &str, Option<f64>)] = &[
    ("EWT test", "ud/en_ewt-ud-test.conllu", Some(0.88)),
    ("GUM test", "ud/en_gum-ud-test.conllu", Some(0.93)),
    ("EWT dev", "ud/en_ewt-ud-dev.conllu", None),
    ("GUM dev", "ud/en_gum-ud-dev.conllu", None),
];

pub fn run(data: &Path, out: &mut dyn Write) -> Result<(), Error> {
    writeln!(
        out,
        "text stage vs UD English (exact char spans; tokens at word level, MWTs split)"
    )?;
    writeln!(
        out,
        "{:<9} {:>5} {:>6} {:>7} {:>7} {:>7} {:>9} {:>7} {:>7} {:>7}  target",
        "set",
        "docs",
        "sents",
        "sent P",
        "sent R",
        "sent F1",
        "bound F1",
        "tok P",
        "tok R",
        "tok F1"
    )?;
    for (name, rel, target) in FILES {
        let path = require(data, rel)?;
        let src = std::fs::read_to_string(&path).map_err(|e| Error::Read {
            path: path.clone(),
            message: e.to_string(),
        })?;
        let sc = score(&read_conllu(&src));
        let tgt = match target {
            Some(t) => format!(
                "sent F1 >= {t:.2} {}, tok F1 >= 0.99 {}",
                if sc.sentences.f1() >= *t {
                    "met"
                } else {
                    "NOT met"
                },
                if sc.tokens.f1() >= 0.99 {
                    "met"
                } else {
                    "NOT met"
                }
            ),
            None => "(tuning set)".into(),
        };
        writeln!(
            out,
            "{:<9} {:>5} {:>6} {:>7.4} {:>7.4} {:>7.4} {:>9.4} {:>7.4} {:>7.4} {:>7.4}  {}",
            name,
            sc.docs,
            sc.sentences.gold,
            sc.sentences.p(),
            sc.sentences.r(),
            sc.sentences.f1(),
            sc.boundaries.f1(),
            sc.tokens.p(),
            sc.tokens.r(),
            sc.tokens.f1(),
            tgt
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "# newdoc id = d1\n# newpar\n# sent_id = 1\n# text = I don't know.\n\
1\tI\t_\n2-3\tdon't\t_\n2\tdo\t_\n3\tn't\t_\n4\tknow\t_\n5\t.\t_\n\n\
# sent_id = 2\n# text = Fine\n1\tFine\t_\n\n# newpar\n# sent_id = 3\n# text = New para.\n\
1\tNew\t_\n2\tpara\t_\n3\t.\t_\n\n";

    #[test]
    fn rebuilds_text_and_gold_spans() {
        let docs = read_conllu(SAMPLE);
        assert_eq!(docs.len(), 1);
        let d = &docs[0];
        assert_eq!(d.text, "I don't know. Fine\n\nNew para.");
        let toks: Vec<&str> = d.tokens.iter().map(|&(s, e)| &d.text[s..e]).collect();
        assert_eq!(
            toks,
            ["I", "do", "n't", "know", ".", "Fine", "New", "para", "."]
        );
        assert_eq!(d.sentences.len(), 3);
    }

    #[test]
    fn scores_are_fractions() {
        let sc = score(&read_conllu(SAMPLE));
        assert!(sc.tokens.f1() > 0.99);
        assert!(sc.sentences.f1() > 0.99, "{:?}", sc.sentences);
    }
}
