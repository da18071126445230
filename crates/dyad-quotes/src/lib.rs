//! dyad-quotes: direct, indirect and mixed quotations with cue and speaker.
//!
//! The stage splits the text into quote-aware sentences (a sentence never
//! ends inside a quotation; a quotation may run over several paragraphs when
//! each new paragraph reopens it, as news style does), pairs quotation marks
//! (straight, curly, guillemets), and looks in each sentence for an
//! attribution cue ("said", "told reporters", "according to", ...) outside
//! the quoted text. Three shapes are read:
//!
//! - `CONTENT, SPEAKER CUE` / `CONTENT, CUE SPEAKER` ("…," Putin said);
//! - `SPEAKER CUE [that|:] CONTENT` (Peskov told reporters that …);
//! - `according to SPEAKER, CONTENT` and `CONTENT, according to SPEAKER`.
//!
//! Content wholly inside one pair of quotation marks is `direct`, content
//! that mixes quoted and unquoted text is `mixed`, the rest `indirect`. A
//! quotation with no cue of its own continues the previous speaker's
//! quotation: in the same paragraph it is the rest of that statement
//! ("“A,” she said. “B.”" is one quote with two `parts`, as PolNeAR
//! annotates it), in a later one a new quote by the same speaker. Speakers (names, "the minister", pronouns) are resolved to the
//! entity chain, canonical name and actor code the coder wrote on
//! `doc.entities`; without entities a surname is matched to an earlier full
//! name. An unclosed quotation is never given a speaker.
//!
//! ```
//! use dyad_core::{Doc, Source};
//! let mut doc = Doc::from_clean_text("d", Source::path("d"),
//!     "Vladimir Putin met Assad. \"Stability is improving,\" Putin said.");
//! for s in dyad_quotes::stages() { s.process(&mut doc).unwrap(); }
//! let q = &doc.quotes[0];
//! assert_eq!(q.kind, "direct");
//! assert_eq!(q.content.text, "Stability is improving");
//! assert_eq!(q.speaker.as_ref().unwrap().name.as_deref(), Some("Vladimir Putin"));
//! ```

use dyad_core::{Doc, Quote, Speaker, Stage, StageError, TextSpan};
use regex::Regex;
use std::sync::OnceLock;

/// The stages this crate contributes to the standard pipeline, in order.
pub fn stages() -> Vec<Box<dyn Stage>> {
    vec![Box::new(QuoteStage)]
}

/// Finds quotations (`doc.quotes`).
pub struct QuoteStage;

impl Stage for QuoteStage {
    fn name(&self) -> &'static str {
        "quotes"
    }
    fn process(&self, doc: &mut Doc) -> Result<(), StageError> {
        doc.quotes = find_quotes(doc);
        Ok(())
    }
}

/// A pair of quotation marks: byte offsets of the opening mark and of the
/// end of the closing mark.
#[derive(Debug, Clone, Copy)]
struct Pair {
    open: usize,
    close_end: usize,
    inner: (usize, usize),
    closed: bool,
}

fn opens(c: char) -> bool {
    matches!(c, '“' | '«' | '„')
}
fn closes(c: char) -> bool {
    matches!(c, '”' | '»')
}

/// Pairs quotation marks paragraph by paragraph. A paragraph that ends
/// inside a quotation continues it when the next paragraph opens one.
fn pair_marks(text: &str) -> Vec<Pair> {
    let mut out = Vec::new();
    let mut para_start = 0;
    for para in text.split_inclusive('\n') {
        let mut open: Option<usize> = None;
        for (i, c) in para.char_indices() {
            let at = para_start + i;
            let straight = c == '"';
            if open.is_none() && (opens(c) || straight) {
                open = Some(at);
            } else if let Some(o) = open {
                if closes(c) || straight || (c == '“' && text[o..].starts_with('„')) {
                    out.push(Pair {
                        open: o,
                        close_end: at + c.len_utf8(),
                        inner: (o + text[o..].chars().next().map_or(1, char::len_utf8), at),
                        closed: true,
                    });
                    open = None;
                } else if opens(c) {
                    // An opening mark inside an open quote: the first never closed.
                    open = Some(at);
                }
            }
        }
        if let Some(o) = open {
            let end = para_start + para.trim_end().len();
            out.push(Pair {
                open: o,
                close_end: end,
                inner: (o + text[o..].chars().next().map_or(1, char::len_utf8), end),
                closed: false,
            });
        }
        para_start += para.len();
    }
    out
}

/// Abbreviations after which a full stop does not end a sentence.
fn abbrev(word: &str) -> bool {
    const A: &[&str] = &[
        "mr", "mrs", "ms", "dr", "st", "sen", "rep", "gov", "gen", "col", "lt", "sgt", "prof",
        "jr", "sr", "no", "vs", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
        "oct", "nov", "dec", "inc", "corp", "co", "ltd", "u.s", "u.k", "u.n", "d.c", "a.m", "p.m",
        "ft", "mt", "rev", "pres", "calif", "fla", "ga", "ky", "la", "pa", "va", "wash", "mass",
        "mich",
    ];
    let w = word
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .to_ascii_lowercase();
    A.contains(&w.as_str()) || (w.len() == 1 && w.chars().all(|c| c.is_alphabetic()))
}

/// Quote-aware sentence spans: never split inside a closed quotation.
fn sentences(text: &str, pairs: &[Pair]) -> Vec<(usize, usize)> {
    let inside = |i: usize| {
        pairs
            .iter()
            .any(|p| p.closed && p.open < i && i < p.close_end.saturating_sub(1))
    };
    let mut out = Vec::new();
    let mut start = 0;
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'\n' {
            if !text[start..i].trim().is_empty() {
                out.push((start, i));
            }
            start = i + 1;
        } else if matches!(c, b'.' | b'!' | b'?') && !inside(i) {
            // The end: the punctuation and any closing quote marks.
            let mut e = i + 1;
            while e < b.len() && text[e..].starts_with(['"', '”', '’', '»', ')']) {
                e += text[e..].chars().next().map_or(1, char::len_utf8);
            }
            let next_ok = text[e..].starts_with(' ')
                && text[e..].trim_start().chars().next().is_some_and(|n| {
                    n.is_uppercase() || n == '"' || n == '“' || n.is_ascii_digit()
                });
            let word = text[start..i].rsplit(' ').next().unwrap_or("");
            if next_ok && !(c == b'.' && abbrev(word)) {
                out.push((start, e));
                start = e;
            }
        }
        i += 1;
    }
    if !text[start..].trim().is_empty() {
        out.push((start, text.len()));
    }
    // Trim leading whitespace of each span.
    out.into_iter()
        .map(|(s, e)| {
            let t = &text[s..e];
            (s + (t.len() - t.trim_start().len()), s + t.trim_end().len())
        })
        .filter(|(s, e)| s < e)
        .collect()
}

struct Patterns {
    cue: Regex,
    according: Regex,
}

/// Verbs of saying. The strong ones take any complement; the weak ones need
/// "that", a colon or a quotation.
const STRONG: &str = r"said|says|say|Said|Says|shows|showed|found|finds|called for|called|cited|told|tells|tell|added|adds|stated|states|declared|announced|wrote|writes|tweeted|explained|noted|insisted|argued|asserted|claimed|claims|warned|warns|stressed|emphasi[sz]ed|acknowledged|admitted|conceded|replied|responded|recalled|predicted|reported|reports|suggested|suggests|contended|maintained|observed|remarked|testified|complained|confirmed|denied|believes|believe|believed|thinks|think|thought|hopes|hoped|fears|feared|promised|pledged|vowed|urged|countered|joked|continued|cautioned|alleged|indicated|revealed|pointed out|has learned|have learned|learned|was quoted as saying|were quoted as saying|is quoted as saying|according to|estimated|estimates|concluded|agreed|disclosed|announced|mentioned|boasted|charged|speculated|acknowledges|notes|argues|insists|explains|writes|told reporters";

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| Patterns {
        cue: Regex::new(&format!(r"\b(?:{STRONG})\b")).expect("cue pattern"),
        according: Regex::new(r"(?i)\baccording to\b").expect("according"),
    })
}

const PRONOUNS: &[&str] = &[
    "he", "she", "they", "i", "we", "it", "He", "She", "They", "I", "We", "It",
];
const AUX: &[&str] = &[
    "also",
    "has",
    "had",
    "have",
    "was",
    "were",
    "is",
    "are",
    "later",
    "previously",
    "then",
    "would",
    "will",
    "reportedly",
    "once",
    "recently",
    "again",
    "further",
    "publicly",
    "repeatedly",
    "had",
    "never",
    "often",
    "still",
    "has",
    "already",
    "even",
    "separately",
    "earlier",
];
const DETS: &[&str] = &[
    "the", "a", "an", "another", "one", "two", "several", "some", "many", "other", "his", "her",
    "their", "its", "The", "A", "An", "Another", "One", "Two", "Several", "Some", "Many", "Other",
    "His", "Her", "Their", "Its",
];

fn is_cap(w: &str) -> bool {
    w.chars().next().is_some_and(|c| c.is_uppercase())
}

/// Words of `text[s..e]` with byte offsets.
fn words(text: &str, s: usize, e: usize) -> Vec<(usize, usize)> {
    static R: OnceLock<Regex> = OnceLock::new();
    let r = R.get_or_init(|| Regex::new(r"[\p{L}\p{N}][\p{L}\p{N}'’.\-]*|[,;:]").expect("words"));
    r.find_iter(&text[s..e])
        .map(|m| {
            let (a, mut b) = (s + m.start(), s + m.end());
            // A trailing full stop belongs to the word only in abbreviations.
            if text[a..b].ends_with('.')
                && !text[a..b - 1].contains('.')
                && !abbrev(&text[a..b - 1])
            {
                b -= 1;
            }
            (a, b)
        })
        .collect()
}

/// The noun phrase ending at `e` (the speaker before a cue): a name run
/// ("Staffan de Mistura"), a pronoun, or a short common noun phrase
/// ("the source", "Israeli minister"). Skips auxiliaries/adverbs first.
fn np_before(text: &str, s: usize, e: usize) -> Option<(usize, usize)> {
    let ws = words(text, s, e);
    let mut k = ws.len();
    while k > 0 && AUX.contains(&&text[ws[k - 1].0..ws[k - 1].1]) {
        k -= 1;
    }
    if k == 0 {
        return None;
    }
    let (ls, le) = ws[k - 1];
    let last = &text[ls..le];
    if matches!(last, "," | ";" | ":") {
        return None;
    }
    if PRONOUNS.contains(&last) {
        return Some((ls, le));
    }
    if matches!(last, "and" | "but") {
        // "X met Y and said ...": the subject that opens the clause.
        let mut r = 0;
        while r + 1 < ws.len() && is_cap(&text[ws[r + 1].0..ws[r + 1].1]) {
            r += 1;
        }
        let first = &text[ws[0].0..ws[0].1];
        return (is_cap(first) && !DETS.contains(&first)).then_some((ws[0].0, ws[r].1));
    }
    let mut j = k - 1;
    if is_cap(last) {
        // A run of capitalised words with name connectors.
        while j > 0 {
            let w = &text[ws[j - 1].0..ws[j - 1].1];
            // "Mr. Grassley and Mr. Leahy say": coordinated names.
            let coordinated = w == "and"
                && j >= 2
                && is_cap(&text[ws[j - 2].0..ws[j - 2].1])
                && !DETS.contains(&&text[ws[j - 2].0..ws[j - 2].1]);
            let conj = matches!(
                w,
                "But" | "And" | "Yet" | "So" | "Still" | "However" | "Meanwhile"
            );
            if is_cap(w) && !DETS.contains(&w) && !conj
                || coordinated
                || (matches!(
                    w,
                    "de" | "al" | "bin" | "van" | "von" | "da" | "di" | "la" | "del"
                ) && j >= 2)
            {
                j -= 1;
            } else {
                break;
            }
        }
        return Some((ws[j].0, le));
    }
    // A common noun phrase: back to a determiner, at most four words.
    let mut n = 0;
    while j > 0 && n < 4 {
        let w = &text[ws[j - 1].0..ws[j - 1].1];
        if matches!(w, "," | ";" | ":")
            || AUX.contains(&w)
            || w == "that"
            || w == "and"
            || w == "but"
        {
            break;
        }
        j -= 1;
        n += 1;
        if DETS.contains(&w) {
            break;
        }
    }
    if !last.chars().all(|c| c.is_alphabetic()) {
        return None;
    }
    Some((ws[j].0, le))
}

/// The noun phrase starting at `s` (the speaker after a cue, "said Putin",
/// "according to the Kremlin"): up to the next comma or the sentence end.
fn np_after(text: &str, s: usize, e: usize) -> Option<(usize, usize)> {
    let ws = words(text, s, e);
    let first = ws.first()?;
    let w0 = &text[first.0..first.1];
    if PRONOUNS.contains(&w0) {
        return Some(*first);
    }
    let mut end = first.1;
    for (i, &(a, b)) in ws.iter().enumerate() {
        let w = &text[a..b];
        if matches!(w, "," | ";" | ":")
            || (i > 0 && !is_cap(w) && !matches!(w, "de" | "al" | "of" | "bin"))
                && i >= 1
                && ws.len() > i
                && (i > 5
                    || matches!(
                        w,
                        "in" | "on"
                            | "at"
                            | "after"
                            | "before"
                            | "who"
                            | "which"
                            | "that"
                            | "when"
                            | "and"
                            | "to"
                            | "during"
                            | "while"
                            | "as"
                    ))
        {
            break;
        }
        end = b;
        if i >= 6 {
            break;
        }
    }
    Some((first.0, end))
}

/// Finds the quotations of a document.
pub fn find_quotes(doc: &Doc) -> Vec<Quote> {
    let shadow = typewriter_marks(doc.text());
    let text = shadow.as_deref().unwrap_or(doc.text());
    let mut out = find_in(doc, text);
    if shadow.is_some() {
        // Same offsets; the texts come from the document itself.
        let orig = doc.text();
        let fix = |t: &mut TextSpan| t.text = orig[t.start..t.end].to_string();
        for q in &mut out {
            fix(&mut q.content);
            q.cue.iter_mut().for_each(fix);
            q.parts.iter_mut().for_each(fix);
            if let Some(sp) = &mut q.speaker {
                sp.text = orig[sp.start..sp.end].to_string();
            }
        }
    }
    out
}

/// Quotation marks typed as two apostrophes (''…'', as some newspaper
/// archives write them) become a straight double quote and a space: the
/// same byte length, so every offset found in the copy points into the
/// document. `None` when the text has none.
fn typewriter_marks(text: &str) -> Option<String> {
    if !text.contains("''") {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut prev: Option<char> = None;
    let mut it = text.chars().peekable();
    while let Some(c) = it.next() {
        if c == '\'' && it.peek() == Some(&'\'') {
            it.next();
            let opening =
                prev.is_none_or(|p| p.is_whitespace() || matches!(p, '(' | '[' | '-' | '—'));
            out.push_str(if opening { " \"" } else { "\" " });
            prev = Some(' ');
            continue;
        }
        out.push(c);
        prev = Some(c);
    }
    Some(out)
}

fn find_in(doc: &Doc, text: &str) -> Vec<Quote> {
    let pairs = pair_marks(text);
    let sents = sentences(text, &pairs);
    let p = patterns();
    let mut out: Vec<Quote> = Vec::new();
    // The speaker of the previous quotation and where it ended, for
    // continuations.
    let mut last: Option<(Speaker, usize)> = None;
    for &(ss, se) in &sents {
        let quoted: Vec<&Pair> = pairs
            .iter()
            .filter(|q| q.open >= ss && q.open < se)
            .collect();
        let in_quote = |i: usize| quoted.iter().any(|q| q.open <= i && i < q.close_end);
        let unclosed = quoted.iter().any(|q| !q.closed);
        let sent = &text[ss..se];
        let _ = sent;
        let mut found: Option<Quote> = None;
        for m in p.cue.find_iter(&text[ss..se]) {
            let (ms, me) = (ss + m.start(), ss + m.end());
            if in_quote(ms) || m.as_str() == "according to" {
                continue;
            }
            let cue = (ms, me);
            // The complement after the cue: an object ("told reporters"), a
            // time ("on Thursday"), then "that", a colon or a comma.
            let rest = &text[me..se];
            let (mut cs, mut sep) = (me, "");
            // Only cues that take a hearer have an object ("told
            // reporters"); after "said" a noun phrase is the content's
            // subject ("said the union expected ...").
            let hearer = matches!(
                m.as_str(),
                "told" | "tells" | "tell" | "warned" | "warns" | "urged" | "assured" | "reminded"
            );
            let complement_re = if hearer { object_re() } else { time_re() };
            if let Some(c) = complement_re.captures(rest) {
                cs = me + c.get(0).expect("m").end();
                sep = c.name("sep").map_or("", |x| x.as_str().trim());
            }
            let next_char = text[cs..se].trim_start().chars().next();
            let quote_next = next_char.is_some_and(|c| c == '"' || opens(c));
            let complement = sep == ":" || sep == "that" || quote_next;
            // Shape 1: CONTENT, SPEAKER CUE | CONTENT, CUE SPEAKER (also
            // when a second quotation follows the cue: "“A,” X said, “B.”").
            if !complement || (quote_next && sep != ":" && sep != "that") {
                if let Some(cb) = last_clause_break(text, ss, ms, &quoted) {
                    let head = &text[cb..ms];
                    // With a quotation after the cue, shape 1 is only the
                    // interrupted quote ("“A,” X said, “B.”"), not "As the
                    // phone rang, the announcer said, “…”".
                    let quote_before = quoted
                        .iter()
                        .any(|q| q.closed && q.close_end + 3 >= cb && q.close_end <= cb + 3);
                    if words(text, ss, cb).len() >= 3 && (!complement || quote_before) {
                        let sp = if head.trim_matches([',', ' ', '"', '”', '’']).is_empty() {
                            // "…, said Caddell[, speaking of …]": the name
                            // after the cue ends the clause. "X, a spokesman,
                            // said the union expected …" is shape 2.
                            np_after(text, me, se).filter(|sp| {
                                let rest = text[sp.1..se].trim_start();
                                rest.is_empty()
                                    || rest.starts_with([',', ';', '.', '!', '?', '"', '”', '’'])
                            })
                        } else if words(text, cs, se).len() >= 3
                            && sep.is_empty()
                            && !quote_next
                            && !quoted
                                .iter()
                                .any(|q| q.closed && q.close_end + 3 >= cb && q.close_end <= cb + 3)
                        {
                            // "For his part, Obama said he planned …": a
                            // clause after the cue is the content (shape
                            // 2), not the words before the comma.
                            None
                        } else {
                            np_before(text, cb, ms)
                        };
                        if let Some(sp) = sp {
                            // Appositive: "X, a doctor, said": the name before.
                            let sp = appositive(text, ss, sp).unwrap_or(sp);
                            let content = (ss, cb.min(sp.0.max(ss)));
                            // "A, Mr. Clarke said, until B": a parenthetical
                            // attribution; the statement is both sides of it.
                            let tail = text[cs..se].trim_start();
                            let parenthetical = sep == ","
                                && !quote_next
                                && words(text, cs, se).len() >= 2
                                && !tail
                                    .split_whitespace()
                                    .next()
                                    .is_some_and(|w| w.ends_with("ing") || w == "according");
                            found = if parenthetical {
                                make(text, (ss, se), Some(cue), Some(sp), &quoted).map(|mut q| {
                                    let a = trim_content(text, content);
                                    let b = trim_content(text, (cs, se));
                                    if a.0 < a.1 && b.0 < b.1 {
                                        q.parts = vec![span(text, a), span(text, b)];
                                        q.content = span(text, (a.0, b.1));
                                    }
                                    q
                                })
                            } else {
                                make(text, content, Some(cue), Some(sp), &quoted)
                            };
                            if found.is_some() {
                                break;
                            }
                        }
                    }
                }
            }
            // Shape 2: SPEAKER CUE [OBJECT] [that|:|,] CONTENT.
            let Some(sp) = np_before(text, ss, ms).or_else(|| apposed_subject(text, ss, ms)) else {
                continue;
            };
            let sp = appositive(text, ss, sp).unwrap_or(sp);
            let weak = !matches!(
                m.as_str(),
                "said"
                    | "says"
                    | "say"
                    | "told"
                    | "tells"
                    | "added"
                    | "adds"
                    | "wrote"
                    | "writes"
                    | "tweeted"
                    | "reported"
                    | "reports"
                    | "has learned"
                    | "have learned"
                    | "learned"
                    | "was quoted as saying"
                    | "told reporters"
                    | "stated"
                    | "declared"
            );
            // Cues whose object is what was said: "called for a
            // moratorium", "cited his remarks", and "called X “a rant”"
            // (a characterisation in quotation marks).
            let object_cue = matches!(m.as_str(), "called for" | "cited")
                || m.as_str() == "called" && text[cs..se].contains(['"', '“', '‘']);
            if weak && !complement && !object_cue {
                continue;
            }
            // The subject must open its clause: nothing but an
            // introductory phrase ending in a comma before it, or a
            // subordinator and a short title ("A day after UN special envoy
            // to Syria Staffan de Mistura warned that ...").
            let lead = text[ss..sp.0].trim_end();
            // "In July, the NAACP called for …": the name's article belongs
            // to the subject.
            let lead = ["the", "The"]
                .iter()
                .find_map(|d| {
                    lead.strip_suffix(d)
                        .filter(|l| l.is_empty() || l.ends_with(' '))
                })
                .map_or(lead, str::trim_end);
            let sub = fronted_subordinate(text, ss, sp.0);
            // A fronted prepositional phrase without its comma ("In a
            // Bloomberg interview Trump declared ...").
            let fronted_pp = lead.split_whitespace().next().is_some_and(|w| {
                matches!(
                    w,
                    "In" | "At"
                        | "On"
                        | "During"
                        | "After"
                        | "Before"
                        | "Speaking"
                        | "Asked"
                        | "Writing"
                        | "Earlier"
                        | "Later"
                )
            }) && words(text, ss, ss + lead.len()).len() <= 10;
            if sub.is_none()
                && !fronted_pp
                && !lead.is_empty()
                && !lead.ends_with([',', ':'])
                && words(text, ss, ss + lead.len()).len() > 3
            {
                continue;
            }
            // A report inside a fronted subordinate clause ends where the
            // main clause begins: at the last comma.
            let ce = match sub {
                Some(_) => text[cs..se].rfind(", ").map_or(se, |i| cs + i),
                None => se,
            };
            if words(text, cs, ce).len() < 3 {
                continue;
            }
            found = make(text, (cs, ce), Some(cue), Some(sp), &quoted);
            if found.is_some() {
                break;
            }
        }
        // "according to X, CONTENT" / "CONTENT, according to X".
        if found.is_none() {
            for m in p.according.find_iter(&text[ss..se]) {
                let (ms, me) = (ss + m.start(), ss + m.end());
                if in_quote(ms) {
                    continue;
                }
                let Some((ns, ne)) = np_after(text, me, se) else {
                    continue;
                };
                let comma_after = text[ne..se].trim_start().starts_with(',');
                let content = if text[ss..ms].trim().len() < 3 && comma_after {
                    let cs = ne + text[ne..].find(',').map_or(0, |i| i + 1);
                    (cs, se)
                } else {
                    (ss, ms)
                };
                found = make(text, content, Some((ms, me)), Some((ns, ne)), &quoted);
                break;
            }
        }
        // A headline or lede in the form "Name: statement" ("Pat Caddell:
        // Voters Worried About ..."). Transcript lines ("WALLACE: ...") are
        // dialogue, not attributions, and are left alone.
        if found.is_none()
            && !unclosed
            && text[..ss].trim_end_matches([' ', '\t']).ends_with('\n') | (ss == 0)
        {
            if let Some(c) = headline_colon_re().captures(&text[ss..se]) {
                let name = c.name("name").expect("name");
                let transcript = name
                    .as_str()
                    .chars()
                    .filter(|c| c.is_alphabetic())
                    .all(char::is_uppercase);
                let (ns, ne) = (ss + name.start(), ss + name.end());
                let cs = ss + c.get(0).expect("m").end();
                if !transcript && words(text, cs, se).len() >= 3 {
                    found = make(text, (cs, se), Some((ne, ne + 1)), Some((ns, ne)), &quoted);
                }
            }
        }
        // A sentence that is one quotation without a cue continues the
        // previous speaker's quotation.
        if found.is_none() && !unclosed {
            if let Some(q) = quoted.iter().find(|q| q.closed) {
                let covers = text[ss..q.open].trim().is_empty();
                let piece = trim_content(text, q.inner);
                // An epigraph: "“…” ― Veronica Cruz" (a dash and a name
                // closing the line) names the speaker.
                let line_end = text[q.close_end..]
                    .find('\n')
                    .map_or(text.len(), |i| q.close_end + i);
                let after = text[q.close_end..line_end].trim_start();
                let dash = after
                    .chars()
                    .next()
                    .filter(|c| matches!(c, '―' | '—' | '–'));
                let signed = dash.and_then(|d| {
                    let ds = line_end - after.len();
                    let ns = ds + d.len_utf8();
                    opening_name(text, ns, line_end).map(|sp| ((ds, ns), sp))
                });
                if let (true, Some((cue, sp))) = (covers, signed) {
                    found = make(text, (q.open, q.close_end), Some(cue), Some(sp), &quoted);
                }
                let covers = covers && found.is_none();
                // "“A,” she said. “B.”": in the same paragraph, a cue-less
                // quotation right after an attributed one is the rest of
                // the same statement, not a new one.
                let runs_on = out.last().filter(|prev| {
                    prev.speaker.is_some()
                        && prev.content.end <= piece.0
                        && piece.0 - prev.content.end < 200
                        && !text[prev.content.end..piece.0].contains('\n')
                });
                if covers && runs_on.is_some() {
                    let prev = out.last_mut().expect("checked");
                    if prev.parts.is_empty() {
                        prev.parts.push(prev.content.clone());
                    }
                    prev.parts.push(span(text, piece));
                    prev.content = span(text, (prev.content.start, piece.1));
                    if prev.kind == "indirect" {
                        prev.kind = "mixed".into();
                    }
                    continue;
                }
                // A new cue-less quotation must say something ("Yes." is
                // more often a word in quotes than a statement).
                if covers && words(text, q.inner.0, q.inner.1).len() >= 5 {
                    let speaker = last
                        .as_ref()
                        .filter(|(_, end)| text[*end..ss].matches('\n').count() <= 2)
                        .map(|(s, _)| s.clone());
                    found = Some(Quote {
                        kind: "direct".into(),
                        content: span(text, trim_content(text, q.inner)),
                        cue: None,
                        speaker,
                        parts: Vec::new(),
                    });
                }
            }
        }
        // "…, saying that B" / "…, adding that B": a second statement, by
        // the same speaker or, when the sentence had no other, by the
        // subject that opens it ("Trump criticised X, saying B").
        let mut second = None;
        if let Some(c) = participle_re().captures(&text[ss..se]) {
            let m = c.get(0).expect("match");
            let (ms, cs) = (ss + m.start(), ss + m.end());
            let cue = c.name("cue").expect("cue");
            let cue = (ss + cue.start(), ss + cue.end());
            let sp = match &found {
                Some(q) => q.speaker.as_ref().map(|s| (s.start, s.end)),
                None => opening_name(text, ss, ms),
            };
            if let (false, Some(sp)) = (in_quote(ms) || unclosed, sp) {
                if words(text, cs, se).len() >= 3 {
                    if let Some(q) = &mut found {
                        // The first statement ends where the second begins.
                        if q.parts.is_empty() && q.content.start < ms && q.content.end > ms {
                            q.content = span(text, trim_content(text, (q.content.start, ms)));
                        }
                    }
                    second = make(text, (cs, se), Some(cue), Some(sp), &quoted);
                }
            }
        }
        if let Some(mut q) = found {
            join_interrupted(text, &mut q, &quoted);
            if unclosed && q.kind != "indirect" {
                // No speaker for a quotation that never closes.
                q.speaker = None;
                q.cue = None;
            }
            if let Some(s) = &mut q.speaker {
                resolve_speaker(doc, s, &out);
                last = Some((s.clone(), se));
            }
            out.push(q);
        }
        if let Some(mut q) = second {
            if let Some(s) = &mut q.speaker {
                resolve_speaker(doc, s, &out);
                last = Some((s.clone(), se));
            }
            out.push(q);
        }
    }
    out
}

/// The pronoun or capitalised name that opens a clause ("Trump", "He",
/// "Mr. Grassley"), if it does.
fn opening_name(text: &str, s: usize, e: usize) -> Option<(usize, usize)> {
    let ws = words(text, s, e);
    let w0 = &text[ws.first()?.0..ws.first()?.1];
    if PRONOUNS.contains(&w0) {
        return Some(ws[0]);
    }
    if !is_cap(w0) || DETS.contains(&w0) {
        return None;
    }
    let n = ws.iter().take_while(|&&(a, b)| is_cap(&text[a..b])).count();
    Some((ws[0].0, ws[n - 1].1))
}

/// "Name: " at the start of a headline or paragraph: one to four
/// capitalised words, then a colon.
fn headline_colon_re() -> &'static Regex {
    static P: OnceLock<Regex> = OnceLock::new();
    P.get_or_init(|| {
        Regex::new(r"^(?P<name>[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,3}):\s+")
            .expect("headline colon pattern")
    })
}

/// A participial report after a comma: ", saying (that)", ", adding ...".
fn participle_re() -> &'static Regex {
    static P: OnceLock<Regex> = OnceLock::new();
    P.get_or_init(|| {
        Regex::new(r",\s+(?P<cue>saying|adding|noting|arguing|insisting|warning|explaining|claiming|stressing|asking|tweeting|writing)(?:\s+that)?[,:]?\s+")
            .expect("participle pattern")
    })
}

/// "“A,” the narrator says, “B.”": a quotation interrupted by its own
/// attribution is one statement. When the quotation found sits in one of
/// two closed pairs of marks around the cue, with little else between
/// them, the content becomes both pieces (`parts`) and the span from the
/// first to the last.
fn join_interrupted(text: &str, q: &mut Quote, quoted: &[&Pair]) {
    let Some(cue) = &q.cue else { return };
    let before = quoted
        .iter()
        .filter(|p| p.closed && p.close_end <= cue.start)
        .max_by_key(|p| p.open);
    let after = quoted
        .iter()
        .filter(|p| p.closed && p.open >= cue.end)
        .min_by_key(|p| p.open);
    let (Some(a), Some(b)) = (before, after) else {
        return;
    };
    let inside = |p: &Pair| p.inner.0 <= q.content.start && q.content.end <= p.inner.1;
    // "“A,” the mayor said, adding that it would take “B”": the second
    // quotation belongs to a new report.
    let gap = &text[a.close_end..b.open];
    if !(inside(a) || inside(b))
        || words(text, a.close_end, b.open).len() > 12
        || participle_re().is_match(gap)
    {
        return;
    }
    let (pa, pb) = (trim_content(text, a.inner), trim_content(text, b.inner));
    if pa.0 >= pa.1 || pb.0 >= pb.1 {
        return;
    }
    q.parts = vec![span(text, pa), span(text, pb)];
    q.content = span(text, (pa.0, pb.1));
    q.kind = "direct".into();
}

/// Where the words between `s` and the speaker at `e` are a subordinator
/// ("after", "when", "as" ...) followed by at most six words of title, the
/// subordinator's position.
fn fronted_subordinate(text: &str, s: usize, e: usize) -> Option<usize> {
    const SUBORDINATORS: &[&str] = &[
        "after", "before", "when", "while", "as", "since", "because", "although", "though", "once",
        "until", "whereas",
    ];
    let ws = words(text, s, e);
    let k = ws
        .iter()
        .rposition(|&(a, b)| SUBORDINATORS.contains(&text[a..b].to_lowercase().as_str()))?;
    let title = &ws[k + 1..];
    (title.len() <= 6
        && !title
            .iter()
            .any(|&(a, b)| matches!(&text[a..b], "," | ";" | ":")))
    .then_some(ws[k].0)
}

// What may follow a cue before its content: a time ("on Thursday"), a
// hearer ("told reporters", only for hearer cues), "in a statement", then
// the separator. The two patterns below share every piece but the hearer.
const TIME: &str =
    r"\s+(?:on|in|at|late|early|last|this)\s+[A-Z]?\w+(?:\s+(?:night|morning|afternoon|evening))?";
const HEARER: &str = r"\s+(?:reporters|journalists|the\s+\w+|an?\s+\w+|him|her|them|us|me|CNN|[A-Z]\w+(?:\s+[A-Z]\w+)?)(?:\s+(?:on|in)\s+[A-Z]\w+)?";
const MEDIUM_AND_SEP: &str = r"(?:\s+in\s+an?\s+(?:statement|interview|email|e-mail|speech)(?:\s+\w+)?)?(?P<sep>\s*,|\s*:|\s+that\b)?";

/// The complement after a hearer cue ("told reporters on Monday that").
fn object_re() -> &'static Regex {
    static OBJ: OnceLock<Regex> = OnceLock::new();
    OBJ.get_or_init(|| {
        Regex::new(&format!("^(?:{TIME}|{HEARER})?{MEDIUM_AND_SEP}")).expect("object pattern")
    })
}

/// The complement after any other cue: no hearer ("said the union
/// expected ..." has none).
fn time_re() -> &'static Regex {
    static T: OnceLock<Regex> = OnceLock::new();
    T.get_or_init(|| Regex::new(&format!("^(?:{TIME})?{MEDIUM_AND_SEP}")).expect("time pattern"))
}

/// "X, a doctor, said": when the NP before the cue is a common noun
/// appositive set off by commas, the speaker is the name before it.
fn appositive(text: &str, ss: usize, sp: (usize, usize)) -> Option<(usize, usize)> {
    let w = &text[sp.0..sp.1];
    if is_cap(w) && !DETS.iter().any(|d| w.starts_with(&format!("{d} "))) {
        return None;
    }
    let before = text[ss..sp.0].trim_end();
    let before = before.strip_suffix(',')?;
    let rest = text[sp.1..].trim_start();
    if !rest.starts_with(',') {
        return None;
    }
    let np = np_before(text, ss, ss + before.len())?;
    is_cap(&text[np.0..np.1]).then_some(np)
}

/// "Phil Smith, a spokesman for the union, said …": when the words before
/// the cue end in a comma, the subject is the noun phrase before the first
/// comma and what follows it is an appositive (short, no quotation marks).
fn apposed_subject(text: &str, ss: usize, ms: usize) -> Option<(usize, usize)> {
    let before = text[ss..ms].trim_end().strip_suffix(',')?;
    let c1 = ss + before.find(',')?;
    let apposition = &text[c1 + 1..ss + before.len()];
    if apposition.contains(['"', '“', '”']) || words(text, c1 + 1, ss + before.len()).len() > 15
    {
        return None;
    }
    np_before(text, ss, c1)
}

/// The last comma (or closing quote + comma) before the cue region that
/// separates content from the attribution, outside quotation marks, or
/// right after a closing quote ("…," he said).
fn last_clause_break(text: &str, ss: usize, ms: usize, quoted: &[&Pair]) -> Option<usize> {
    let seg = &text[ss..ms];
    let mut best = None;
    for (i, c) in seg.char_indices() {
        let at = ss + i;
        if c == ',' || c == ':' {
            let inside = quoted.iter().any(|q| q.inner.0 <= at && at < q.inner.1);
            // A comma just inside a closing quote (",”) counts.
            let just_inside = quoted.iter().any(|q| q.closed && at + 1 == q.inner.1);
            if !inside || just_inside {
                best = Some(if just_inside {
                    quoted
                        .iter()
                        .find(|q| at + 1 == q.inner.1)
                        .map_or(at, |q| q.close_end)
                } else {
                    at
                });
            }
        }
    }
    // Content after the break must be only the speaker (few words).
    let b = best?;
    let after = words(text, b, ms).len();
    (after <= 8).then_some(b)
}

fn trim_content(text: &str, (mut s, mut e): (usize, usize)) -> (usize, usize) {
    let t = &text[s..e];
    let lead = t.len() - t.trim_start_matches([' ', ',', ':', '\n']).len();
    s += lead;
    let t = &text[s..e];
    let t2 = t.trim_end_matches([' ', ',', ';', ':', '.', '\n']);
    e = s + t2.len();
    (s, e.max(s))
}

fn span(text: &str, (s, e): (usize, usize)) -> TextSpan {
    TextSpan {
        text: text[s..e].to_string(),
        start: s,
        end: e,
    }
}

/// Builds a quotation from a content span, classifying it by its marks.
fn make(
    text: &str,
    content: (usize, usize),
    cue: Option<(usize, usize)>,
    sp: Option<(usize, usize)>,
    quoted: &[&Pair],
) -> Option<Quote> {
    let (s, e) = trim_content(text, content);
    if words(text, s, e).len() < 2 {
        return None;
    }
    let inner: Vec<&&Pair> = quoted
        .iter()
        .filter(|q| q.open < e && s < q.close_end)
        .collect();
    let (kind, cs, ce) = match inner.as_slice() {
        [] => ("indirect", s, e),
        [q] if q.closed
            && text[s..q.open].trim().is_empty()
            && text[q.close_end.min(e)..e].trim().is_empty() =>
        {
            let (a, b) = trim_content(text, q.inner);
            ("direct", a, b)
        }
        _ => ("mixed", s, e),
    };
    if cs >= ce {
        return None;
    }
    Some(Quote {
        kind: kind.into(),
        content: span(text, (cs, ce)),
        cue: cue.map(|c| span(text, c)),
        speaker: sp.map(|(a, b)| Speaker {
            text: text[a..b].to_string(),
            start: a,
            end: b,
            name: None,
            actor: None,
        }),
        parts: Vec::new(),
    })
}

/// Resolves a speaker to an entity chain: the entity under the span, a
/// pronoun's antecedent (the last speaker or person), a nominal ("the
/// minister") to the last person, or a surname to an earlier full name.
fn resolve_speaker(doc: &Doc, s: &mut Speaker, prev: &[Quote]) {
    let text = doc.text();
    let lower = s.text.to_lowercase();
    let pronoun = PRONOUNS.contains(&s.text.as_str());
    let nominal = !is_cap(&s.text) || DETS.iter().any(|d| s.text.starts_with(&format!("{d} ")));
    if !pronoun {
        if let Some(e) = doc
            .entities
            .iter()
            .find(|e| e.start < s.end && s.start < e.end)
        {
            s.name = e.canonical.clone().or_else(|| Some(e.text.clone()));
            s.actor = e.actor.clone();
            if !nominal {
                return;
            }
        }
    }
    if pronoun || (nominal && s.name.is_none()) {
        if lower == "i" || lower == "we" || lower == "it" {
            return;
        }
        // The last named speaker, else the last person entity.
        if let Some(q) = prev
            .iter()
            .rev()
            .filter_map(|q| q.speaker.as_ref())
            .find(|x| x.name.is_some() && x.end <= s.start)
        {
            if pronoun
                || lower.contains("minister")
                || lower.contains("spokes")
                || lower.contains("president")
                || lower.contains("official")
            {
                s.name = q.name.clone();
                s.actor = q.actor.clone();
                return;
            }
        }
        if let Some(e) = doc
            .entities
            .iter()
            .rev()
            .find(|e| e.label == "PER" && e.end <= s.start)
        {
            if pronoun {
                s.name = e.canonical.clone().or_else(|| Some(e.text.clone()));
                s.actor = e.actor.clone();
            }
        }
        return;
    }
    // No entity layer: a surname is the last word of an earlier full name.
    if s.name.is_none() {
        let name = s.text.clone();
        let mut best = name.clone();
        let pattern = format!(" {name}");
        let mut from = 0;
        while let Some(i) = text[from..s.start].find(&pattern) {
            let at = from + i;
            let ws = words(
                text,
                text[..at].rfind(['\n', '.', ',']).map_or(0, |x| x + 1),
                at,
            );
            let mut k = ws.len();
            while k > 0 && is_cap(&text[ws[k - 1].0..ws[k - 1].1]) && (at - ws[k - 1].0) < 40 {
                k -= 1;
            }
            if k < ws.len() {
                // Keep the personal name only: drop leading titles.
                let mut first = k;
                while first + 1 < ws.len() && TITLES.contains(&&text[ws[first].0..ws[first].1]) {
                    first += 1;
                }
                let full = text[ws[first].0..at + pattern.len()].trim().to_string();
                if full.split(' ').count() > best.split(' ').count() && full.len() < 60 {
                    best = full;
                    break;
                }
            }
            from = at + pattern.len();
        }
        // "Kremlin spokesman Dmitry Peskov" is named "Dmitry Peskov".
        let parts: Vec<&str> = best.split(' ').collect();
        let skip = parts
            .iter()
            .take_while(|w| TITLES.contains(w) || !is_cap(w))
            .count();
        s.name = Some(if skip < parts.len() {
            parts[skip..].join(" ")
        } else {
            best
        });
    }
}

const TITLES: &[&str] = &[
    "President",
    "Prime",
    "Minister",
    "Foreign",
    "Defence",
    "Defense",
    "Secretary",
    "General",
    "Gen",
    "Senator",
    "Sen",
    "Rep",
    "Governor",
    "Gov",
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
    "Kremlin",
    "Russian",
    "Syrian",
    "American",
    "Chancellor",
    "King",
    "Queen",
    "Spokesman",
    "Spokeswoman",
    "Leader",
    "State",
    "Vice",
    "Democratic",
    "Republican",
    "Mayor",
    "Judge",
    "Chief",
    "Pope",
];

#[cfg(test)]
mod tests {
    use super::*;
    use dyad_core::{Entity, Source};

    fn quotes(text: &str) -> Vec<Quote> {
        let doc = Doc::from_clean_text("t", Source::path("t"), text);
        find_quotes(&doc)
    }

    fn speaker(q: &Quote) -> &str {
        q.speaker.as_ref().map_or("", |s| s.text.as_str())
    }

    #[test]
    fn direct_quote_then_speaker() {
        let q = quotes("\"Stability is improving, and that opens doors,\" Assad told Putin.");
        assert_eq!(q.len(), 1);
        assert_eq!(q[0].kind, "direct");
        assert_eq!(
            q[0].content.text,
            "Stability is improving, and that opens doors"
        );
        assert_eq!(speaker(&q[0]), "Assad");
        assert_eq!(q[0].cue.as_ref().unwrap().text, "told");
    }

    #[test]
    fn curly_quotes_said_name_after() {
        let q = quotes("“We will not give up the fight,” said Jane Doe, a local doctor.");
        assert_eq!(q[0].kind, "direct");
        assert_eq!(speaker(&q[0]), "Jane Doe");
    }

    #[test]
    fn report_inside_a_fronted_subordinate_clause_ends_at_the_main_clause() {
        let q = quotes(
            "Two days after regional envoy Maria Lund warned that the floods could displace thousands, the minister visited the dam.",
        );
        assert_eq!(q.len(), 1, "{q:?}");
        assert_eq!(q[0].kind, "indirect");
        assert_eq!(q[0].content.text, "the floods could displace thousands");
        assert_eq!(speaker(&q[0]), "Maria Lund");
    }

    #[test]
    fn indirect_with_that() {
        let q = quotes(
            "Kremlin spokesman Dmitry Peskov told reporters that the talks were detailed and long.",
        );
        assert_eq!(q[0].kind, "indirect");
        assert_eq!(q[0].content.text, "the talks were detailed and long");
        assert_eq!(speaker(&q[0]), "Dmitry Peskov");
    }

    #[test]
    fn colon_complement_and_coordinated_subject() {
        let q = quotes("In a statement issued by the presidency, Assad added on Thursday: \"We have evaluated the process\" and will act.");
        assert_eq!(speaker(&q[0]), "Assad");
        assert!(
            q[0].content.text.starts_with("\"We have evaluated"),
            "{q:?}"
        );
        let q = quotes(
            "President Vladimir Putin met Assad on Thursday and said the conditions are in place.",
        );
        assert_eq!(speaker(&q[0]), "President Vladimir Putin");
        assert_eq!(
            q[0].speaker.as_ref().unwrap().name.as_deref(),
            Some("Vladimir Putin")
        );
    }

    #[test]
    fn mixed_quote() {
        let q = quotes("Peskov told reporters that \"there were detailed discussions\" between the two leaders.");
        assert_eq!(q[0].kind, "mixed");
        assert!(q[0]
            .content
            .text
            .contains("there were detailed discussions"));
    }

    #[test]
    fn a_statement_that_runs_on_after_its_attribution_is_one_quote() {
        let q = quotes(
            "\u{201c}We know it will not be easy,\u{201d} Assad said. \u{201c}But we will continue to make progress.\u{201d}\n\n\u{201c}Another paragraph starts a new statement here,\u{201d} he added.",
        );
        assert_eq!(q.len(), 2, "{q:?}");
        assert_eq!(q[0].kind, "direct");
        assert_eq!(q[0].parts.len(), 2);
        assert_eq!(q[0].parts[0].text, "We know it will not be easy");
        assert_eq!(q[0].parts[1].text, "But we will continue to make progress");
        assert!(q[0].content.text.starts_with("We know"));
        assert!(q[0].content.text.ends_with("progress"));
        assert_eq!(speaker(&q[0]), "Assad");
        // A new paragraph is a new quotation.
        assert!(q[1].parts.is_empty());
    }

    #[test]
    fn a_quotation_interrupted_by_its_attribution_is_one_quote() {
        let q = quotes(
            "\u{201c}If he thinks that makes him smart,\u{201d} the narrator says, \u{201c}what does he think of the rest of us?\u{201d}",
        );
        assert_eq!(q.len(), 1, "{q:?}");
        assert_eq!(q[0].parts.len(), 2, "{q:?}");
        assert_eq!(q[0].parts[0].text, "If he thinks that makes him smart");
        assert!(q[0].parts[1].text.starts_with("what does he think"));
        assert_eq!(speaker(&q[0]), "the narrator");
        // A participial report after the cue starts a new statement.
        let q = quotes("\"We do not see a link to terrorism,\" the mayor said, adding that it would take \"more hours\" to know.");
        assert_eq!(q[0].content.text, "We do not see a link to terrorism");
        assert!(q[0].parts.is_empty());
        // A short run-on piece joins too.
        let q = quotes("\u{201c}Here it comes at last,\u{201d} she said. \u{201c}Big day.\u{201d}");
        assert_eq!(q.len(), 1, "{q:?}");
        assert_eq!(q[0].parts.len(), 2, "{q:?}");
    }

    #[test]
    fn apposed_and_coordinated_subjects_and_no_object_after_said() {
        let q = quotes("Phil Smith, a spokesman for the miners' union, said the union expected production to improve.");
        assert_eq!(speaker(&q[0]), "Phil Smith");
        assert_eq!(
            q[0].content.text,
            "the union expected production to improve"
        );
        let q = quotes("But Mr. Grassley and Mr. Leahy say other changes are needed.");
        assert_eq!(speaker(&q[0]), "Mr. Grassley and Mr. Leahy");
        // "said X" only inverts when X ends the clause.
        let q = quotes("The campaign chairman, Phil Lovas, said he cannot comment on the letter.");
        assert_eq!(q.len(), 1, "{q:?}");
        assert_eq!(q[0].content.text, "he cannot comment on the letter");
        // A hearer after "told" is not content.
        let q = quotes("Peskov told reporters that there were detailed discussions.");
        assert_eq!(q[0].content.text, "there were detailed discussions");
    }

    #[test]
    fn an_introductory_phrase_is_not_the_content() {
        let q = quotes("For his part, Mr. Obama said he planned to stay active in the fight.");
        assert_eq!(q[0].content.text, "he planned to stay active in the fight");
        assert_eq!(speaker(&q[0]), "Mr. Obama");
        // Content before the comma when the cue ends the clause.
        let q = quotes("The deal was a good one for everybody, Putin said on Thursday.");
        assert_eq!(q[0].content.text, "The deal was a good one for everybody");
        let q = quotes("\"I would do it again,\" Melanie said to the crowd in the hall.");
        assert_eq!(q[0].kind, "direct");
        assert_eq!(speaker(&q[0]), "Melanie");
    }

    #[test]
    fn typewriter_quotation_marks() {
        let t = "''Their strategy is very clear,'' Michael McFaul said. ''It works.''";
        let q = quotes(t);
        assert_eq!(q.len(), 1, "{q:?}");
        assert_eq!(q[0].kind, "direct");
        assert_eq!(q[0].parts[0].text, "Their strategy is very clear");
        assert_eq!(q[0].parts[1].text, "It works");
        assert_eq!(speaker(&q[0]), "Michael McFaul");
        assert_eq!(&t[q[0].content.start..q[0].content.end], q[0].content.text);
        // An apostrophe is not a quotation mark.
        assert!(
            quotes("The nation's leaders' views differ, the paper said.")[0].kind == "indirect"
        );
    }

    #[test]
    fn headline_and_finding_cues() {
        let q = quotes("Clinton Hid Health Problems From Public, Former White House Doctor Says.");
        assert_eq!(q[0].content.text, "Clinton Hid Health Problems From Public");
        let q = quotes("A Bloomberg poll shows that wealthy voters have left the party.");
        assert_eq!(q[0].content.text, "wealthy voters have left the party");
        // A finding cue needs its complement.
        assert!(quotes("The police found the car near the river.").is_empty());
    }

    #[test]
    fn a_parenthetical_attribution_splits_one_statement() {
        let q = quotes("Lenox was a juggernaut, Mr. Clarke said, until it went bankrupt in 1999.");
        assert_eq!(q.len(), 1, "{q:?}");
        assert_eq!(speaker(&q[0]), "Mr. Clarke");
        assert_eq!(q[0].parts[0].text, "Lenox was a juggernaut");
        assert_eq!(q[0].parts[1].text, "until it went bankrupt in 1999");
        // "…, X said, adding that …" keeps the first part only.
        let q =
            quotes("The deal was a good one for everybody, Putin said, adding that it would hold.");
        assert_eq!(q[0].content.text, "The deal was a good one for everybody");
    }

    #[test]
    fn a_participial_report_is_a_second_statement() {
        let q = quotes("The deal was a good one for everybody, Putin said, adding that it would hold for years.");
        assert_eq!(q.len(), 2, "{q:?}");
        assert_eq!(q[0].content.text, "The deal was a good one for everybody");
        assert_eq!(q[1].content.text, "it would hold for years");
        assert_eq!(q[1].cue.as_ref().unwrap().text, "adding");
        assert_eq!(speaker(&q[1]), "Putin");
        let q =
            quotes("Trump criticised the ruling on Monday, saying it would hurt American workers.");
        assert_eq!(q.len(), 1, "{q:?}");
        assert_eq!(q[0].content.text, "it would hurt American workers");
        assert_eq!(speaker(&q[0]), "Trump");
    }

    #[test]
    fn headline_name_colon_statement() {
        let q = quotes(
            "Pat Caddell: Democrat Voters Worried About Her Health.\n\nThe body starts here.",
        );
        assert_eq!(q.len(), 1, "{q:?}");
        assert_eq!(speaker(&q[0]), "Pat Caddell");
        assert_eq!(
            q[0].content.text,
            "Democrat Voters Worried About Her Health"
        );
        // A transcript line is dialogue; a colon inside a sentence is not a headline.
        assert!(quotes("WALLACE: Let us start with the debate tonight.").is_empty());
        assert!(quotes("He listed three things: jobs, schools and roads for all.").is_empty());
    }

    #[test]
    fn object_cues() {
        let q = quotes("In July, the NAACP called for a moratorium on charter schools.");
        assert_eq!(q[0].content.text, "a moratorium on charter schools");
        assert_eq!(speaker(&q[0]), "NAACP");
        let q = quotes("Clinton called half of his supporters \"deplorables.\"");
        assert!(q[0].content.text.starts_with("half of his supporters"));
        // Calling someone is not a statement.
        assert!(quotes("She called the police station from the hotel lobby.").is_empty());
    }

    #[test]
    fn fronted_phrases_and_quotes_after_the_cue() {
        let q = quotes("As a phone rang, the announcer said, \u{201c}Your children are safe and asleep tonight.\u{201d}");
        assert_eq!(q[0].kind, "direct");
        assert_eq!(
            q[0].content.text,
            "Your children are safe and asleep tonight"
        );
        let q = quotes(
            "In a Bloomberg interview Trump declared \u{201c}I think NATO may be obsolete.\u{201d}",
        );
        assert_eq!(speaker(&q[0]), "Trump");
        let q = quotes(
            "He attacked her record on Monday, saying, \"She is trigger-happy and very unstable.\"",
        );
        assert_eq!(q[0].content.text, "She is trigger-happy and very unstable");
    }

    #[test]
    fn an_epigraph_signed_with_a_dash() {
        let q = quotes("\u{201c}As a young woman I would rather live anywhere else.\u{201d} \u{2015} Adriana Rodarte\n\u{201c}Next one here, without a name at all.\u{201d}");
        assert_eq!(q[0].kind, "direct");
        assert_eq!(speaker(&q[0]), "Adriana Rodarte");
        assert_eq!(
            q[0].content.text,
            "As a young woman I would rather live anywhere else"
        );
    }

    #[test]
    fn according_to() {
        let q =
            quotes("According to the Sheriff's Office, the man was inside the home at the time.");
        assert_eq!(q[0].kind, "indirect");
        assert_eq!(speaker(&q[0]), "the Sheriff's Office");
        assert_eq!(q[0].content.text, "the man was inside the home at the time");
        let q = quotes("The man was inside the home at the time, according to police.");
        assert_eq!(speaker(&q[0]), "police");
    }

    #[test]
    fn trailing_attribution_with_common_noun() {
        let q = quotes("The campaign changed course to avoid the doctors, a source said.");
        assert_eq!(q[0].kind, "indirect");
        assert_eq!(speaker(&q[0]), "a source");
    }

    #[test]
    fn pronoun_and_continuation_resolve_to_the_named_speaker() {
        let t = "Russian President Vladimir Putin spoke in Sochi. \"The task is recovery and aid for all,\" Putin said. \"It will take many long years of work.\"\n\n\"We all know it,\" he added.";
        let q = quotes(t);
        // The run-on sentence is part of the first quotation.
        assert_eq!(q.len(), 2, "{q:?}");
        assert_eq!(q[0].parts.len(), 2, "{q:?}");
        for x in &q {
            assert_eq!(
                x.speaker.as_ref().unwrap().name.as_deref(),
                Some("Vladimir Putin"),
                "{x:?}"
            );
        }
    }

    #[test]
    fn speaker_takes_entity_actor() {
        let t = "\"Stability is improving now,\" Assad said.";
        let mut doc = Doc::from_clean_text("t", Source::path("t"), t);
        doc.entities.push(Entity {
            start: 30,
            end: 35,
            text: "Assad".into(),
            label: "PER".into(),
            actor: Some("SYRGOV".into()),
            chain: Some(1),
            canonical: Some("Bashar al-Assad".into()),
        });
        let q = find_quotes(&doc);
        let s = q[0].speaker.as_ref().unwrap();
        assert_eq!(
            (s.name.as_deref(), s.actor.as_deref()),
            (Some("Bashar al-Assad"), Some("SYRGOV"))
        );
    }

    #[test]
    fn unclosed_quote_has_no_speaker() {
        let q =
            quotes("Putin said: \"the war is over and it never ends\n\nAnother paragraph here.");
        assert!(
            q.iter()
                .all(|x| x.speaker.is_none() || x.kind == "indirect"),
            "{q:?}"
        );
    }

    #[test]
    fn multi_paragraph_quote() {
        let t = "“The first part is long enough here,” the minister said. “And it goes on\n\n“Into the next paragraph of the quote,” he went on.";
        let q = quotes(t);
        assert!(!q.is_empty());
    }

    #[test]
    fn garbage_is_bounded() {
        let t = "\"\"\" “ ” « said said , , according to ".repeat(3000);
        let _ = quotes(&t);
        let _ = quotes("");
        let _ = quotes("\"");
    }
}
