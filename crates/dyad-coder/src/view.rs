//! A read-only view of the document's sentences and tokens for coding.
//!
//! The coder works on `doc.tokens` and `doc.sentences` as the text and
//! model stages wrote them. When they are missing (a pipeline without the
//! text stage, a hand-made Doc in a test) it splits the text itself with a
//! small rule tokenizer, so coding still works, only without a parse.

use dyad_core::Doc;
use std::ops::Range;

/// One token as the coder sees it.
#[derive(Debug, Clone, Default)]
pub struct Tk {
    pub start: usize,
    pub end: usize,
    /// Surface text (normalised form when the text stage gave one).
    pub text: String,
    /// Lower-cased text.
    pub lower: String,
    /// Lower-cased lemma (the text when no lemma is known).
    pub lemma: String,
    pub upos: String,
    /// Absolute index of the head in `View::toks`.
    pub head: Option<usize>,
    pub deprel: String,
    pub space_after: bool,
}

impl Tk {
    pub fn is_cap(&self) -> bool {
        self.text.chars().next().is_some_and(|c| c.is_uppercase())
    }
    pub fn is_punct(&self) -> bool {
        self.upos == "PUNCT" || self.text.chars().all(|c| !c.is_alphanumeric())
    }
    /// The deprel without its subtype ("nsubj:pass" -> "nsubj").
    pub fn rel(&self) -> &str {
        self.deprel.split(':').next().unwrap_or("")
    }
}

/// Sentences and tokens of a document.
#[derive(Debug, Clone, Default)]
pub struct View {
    pub toks: Vec<Tk>,
    pub sents: Vec<Range<usize>>,
    /// True when the tokens carry a dependency parse.
    pub parsed: bool,
}

impl View {
    pub fn new(doc: &Doc) -> View {
        if doc.tokens.is_empty() {
            return View::tokenize(doc.text());
        }
        let text = doc.text();
        let toks: Vec<Tk> = doc
            .tokens
            .iter()
            .map(|t| {
                let surface = text.get(t.start..t.end).unwrap_or("");
                let s = t.norm.clone().unwrap_or_else(|| surface.to_string());
                let lower = s.to_lowercase();
                Tk {
                    start: t.start,
                    end: t.end,
                    lemma: t
                        .lemma
                        .as_ref()
                        .map(|l| l.to_lowercase())
                        .unwrap_or_else(|| lower.clone()),
                    lower,
                    text: s,
                    upos: t.upos.clone().unwrap_or_default(),
                    head: t.head,
                    deprel: t.deprel.clone().unwrap_or_default(),
                    space_after: t.space_after,
                }
            })
            .collect();
        let parsed = toks.iter().any(|t| !t.deprel.is_empty());
        let mut sents: Vec<Range<usize>> = doc
            .sentences
            .iter()
            .map(|s| s.tokens.clone())
            .filter(|r| r.start < r.end && r.end <= toks.len())
            .collect();
        if sents.is_empty() {
            sents = split_sentences(&toks, text);
        }
        View {
            toks,
            sents,
            parsed,
        }
    }

    /// The fallback tokenizer and sentence splitter.
    pub fn tokenize(text: &str) -> View {
        let mut toks = Vec::new();
        let mut i = 0;
        let b = text.as_bytes();
        while i < b.len() {
            let c = text[i..].chars().next().unwrap_or(' ');
            if c.is_whitespace() {
                i += c.len_utf8();
                continue;
            }
            let mut j = i;
            while j < b.len() {
                let c = text[j..].chars().next().unwrap_or(' ');
                if c.is_whitespace() {
                    break;
                }
                j += c.len_utf8();
            }
            split_word(text, i, j, &mut toks);
            i = j;
        }
        for k in 0..toks.len() {
            let next = toks.get(k + 1).map(|t: &Tk| t.start).unwrap_or(text.len());
            toks[k].space_after = next > toks[k].end;
        }
        let sents = split_sentences(&toks, text);
        View {
            toks,
            sents,
            parsed: false,
        }
    }

    /// Index of the sentence holding token `i`.
    pub fn sent_of(&self, i: usize) -> usize {
        self.sents.partition_point(|r| r.end <= i)
    }

    /// Children of token `i` (absolute indices), in order.
    pub fn children(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        let r = self.sents.get(self.sent_of(i)).cloned().unwrap_or(0..0);
        r.filter(move |&k| self.toks[k].head == Some(i))
    }

    /// Children of `i` with the given relation (subtype-insensitive when
    /// `rel` has no colon).
    pub fn kids<'a>(&'a self, i: usize, rel: &'a str) -> impl Iterator<Item = usize> + 'a {
        self.children(i).filter(move |&k| {
            let d = &self.toks[k].deprel;
            if rel.contains(':') {
                d == rel
            } else {
                self.toks[k].rel() == rel
            }
        })
    }

    /// Whether `a` dominates `b` in the tree.
    pub fn dominates(&self, a: usize, b: usize) -> bool {
        let mut k = b;
        for _ in 0..64 {
            if k == a {
                return true;
            }
            match self.toks[k].head {
                Some(h) if h != k => k = h,
                _ => return false,
            }
        }
        false
    }
}

const ABBREV: &[&str] = &[
    "mr.", "mrs.", "ms.", "dr.", "st.", "lt.", "gen.", "col.", "sgt.", "capt.", "maj.", "gov.",
    "sen.", "rep.", "jr.", "sr.", "vs.", "inc.", "corp.", "co.", "ltd.", "jan.", "feb.", "mar.",
    "apr.", "aug.", "sept.", "sep.", "oct.", "nov.", "dec.", "prof.", "rev.", "mt.",
];

fn push(text: &str, s: usize, e: usize, out: &mut Vec<Tk>) {
    if e <= s {
        return;
    }
    let t = &text[s..e];
    let lower = t.to_lowercase();
    out.push(Tk {
        start: s,
        end: e,
        text: t.to_string(),
        lemma: lower.clone(),
        lower,
        ..Default::default()
    });
}

fn split_word(text: &str, mut s: usize, mut e: usize, out: &mut Vec<Tk>) {
    let lead = |c: char| {
        matches!(
            c,
            '"' | '\'' | '(' | '[' | '{' | '\u{201c}' | '\u{2018}' | '`'
        )
    };
    let trail = |c: char| {
        matches!(
            c,
            '"' | '\'' | ')' | ']' | '}' | ',' | ';' | ':' | '!' | '?' | '\u{201d}' | '\u{2019}'
        )
    };
    while s < e {
        let c = text[s..e].chars().next().unwrap_or(' ');
        if lead(c) {
            push(text, s, s + c.len_utf8(), out);
            s += c.len_utf8();
        } else {
            break;
        }
    }
    let mut tail = Vec::new();
    loop {
        if s >= e {
            break;
        }
        let c = text[s..e].chars().next_back().unwrap_or(' ');
        let word = &text[s..e];
        if trail(c) || (c == '.' && !is_abbrev(word)) {
            tail.push((e - c.len_utf8(), e));
            e -= c.len_utf8();
            continue;
        }
        break;
    }
    // Possessive clitic as its own token, as UD does.
    let word = &text[s..e];
    let lw = word.to_lowercase();
    let cut = ["'s", "\u{2019}s"]
        .iter()
        .find(|p| lw.ends_with(**p) && lw.len() > p.len())
        .map(|p| e - p.len());
    match cut {
        Some(c) => {
            push(text, s, c, out);
            push(text, c, e, out);
        }
        None => push(text, s, e, out),
    }
    for (a, b) in tail.into_iter().rev() {
        push(text, a, b, out);
    }
}

fn is_abbrev(w: &str) -> bool {
    let l = w.to_lowercase();
    if ABBREV.contains(&l.as_str()) {
        return true;
    }
    // Initials and dotted abbreviations: "U.S.", "J.", "U.N."
    let core: Vec<&str> = l.trim_end_matches('.').split('.').collect();
    core.iter()
        .all(|p| p.chars().count() == 1 && p.chars().all(char::is_alphabetic))
}

fn split_sentences(toks: &[Tk], text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let is_end = |t: &Tk| matches!(t.text.as_str(), "." | "!" | "?");
    let is_quote = |t: &Tk| matches!(t.text.as_str(), "\"" | "\u{201d}" | "'" | "\u{2019}");
    for k in 0..toks.len() {
        let t = &toks[k];
        let next = toks.get(k + 1);
        let newline = next.is_some_and(|n| text[t.end..n.start].contains('\n'));
        let opens =
            next.is_some_and(|n| n.is_cap() || matches!(n.text.as_str(), "\"" | "\u{201c}" | "("));
        // A closing quote glued to the full stop belongs to the sentence.
        let quote_follows = next.is_some_and(|n| is_quote(n) && n.start == t.end);
        let ends = if is_end(t) {
            !quote_follows && opens
        } else if is_quote(t) && k > 0 {
            is_end(&toks[k - 1]) && toks[k - 1].end == t.start && opens
        } else {
            false
        };
        if newline || ends || next.is_none() {
            out.push(start..k + 1);
            start = k + 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fallback_tokenizer_splits_words_and_sentences() {
        let v = View::tokenize("The U.S. backed Syria's army. He said \"no.\" Then\nNew line");
        let words: Vec<&str> = v.toks.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(
            words,
            [
                "The", "U.S.", "backed", "Syria", "'s", "army", ".", "He", "said", "\"", "no", ".",
                "\"", "Then", "New", "line"
            ]
        );
        assert_eq!(v.sents.len(), 4, "{:?}", v.sents);
        assert_eq!(v.sents[1], 7..13);
    }
}
