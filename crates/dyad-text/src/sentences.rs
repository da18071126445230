//! The sentence splitter: decides, between consecutive tokens, whether a
//! sentence ends. Rules, in order: a blank line always ends a sentence; a
//! single line break ends one unless the text plainly runs on (next line
//! starts lowercase, or the line ends with a comma or hyphen); a terminal
//! (". ! ? ...") ends one, together with the closing quotes and brackets
//! glued to it, unless the next word starts lowercase or is punctuation;
//! an abbreviation ends one only when the next word is a likely sentence
//! opener ("... the U.S. The talks"), and titles ("Mr.", "Gen.") and
//! initials never do.

use crate::tokenize::{abbreviation, AbbrevKind};
use std::ops::Range;

/// Capitalised words that usually open a sentence (closed-class words),
/// used to decide whether an abbreviation ends a sentence.
const OPENERS: &[&str] = &[
    "The",
    "A",
    "An",
    "He",
    "She",
    "It",
    "They",
    "We",
    "I",
    "You",
    "This",
    "That",
    "These",
    "Those",
    "There",
    "In",
    "On",
    "At",
    "But",
    "And",
    "Or",
    "So",
    "If",
    "When",
    "While",
    "After",
    "Before",
    "As",
    "His",
    "Her",
    "Its",
    "Their",
    "Our",
    "My",
    "Your",
    "What",
    "Who",
    "How",
    "Why",
    "Where",
    "Some",
    "Many",
    "Most",
    "All",
    "No",
    "Not",
    "Yet",
    "However",
    "Meanwhile",
    "Also",
    "For",
    "From",
    "To",
    "With",
    "Since",
    "Although",
    "Despite",
    "Still",
    "Then",
    "Now",
    "Here",
    "Each",
    "One",
    "Both",
    "Such",
];

fn is_terminal(t: &str) -> bool {
    !t.is_empty()
        && t.chars()
            .all(|c| matches!(c, '.' | '!' | '?' | '…' | '‽' | '。' | '！' | '？'))
}

fn is_closer(t: &str) -> bool {
    matches!(
        t,
        "\"" | "'" | "”" | "’" | "»" | "›" | ")" | "]" | "}" | "''" | "“"
    )
}

/// What lies between two tokens: 0 = nothing or spaces, 1 = one line
/// break, 2 = a blank line (two breaks with only spaces between).
fn gap_breaks(gap: &str) -> u8 {
    let mut nl = 0u8;
    for c in gap.chars() {
        if c == '\n' || c == '\u{2028}' || c == '\u{2029}' || c == '\u{85}' {
            nl += 1;
            if nl >= 2 || c == '\u{2029}' {
                return 2;
            }
        }
    }
    nl
}

fn starts_lower(t: &str) -> bool {
    t.chars().next().is_some_and(|c| c.is_lowercase())
}

fn starts_alnum_or_open(t: &str) -> bool {
    t.chars().next().is_some_and(|c| {
        c.is_alphanumeric()
            || matches!(
                c,
                '"' | '\''
                    | '“'
                    | '‘'
                    | '«'
                    | '„'
                    | '‹'
                    | '('
                    | '['
                    | '-'
                    | '*'
                    | '•'
                    | '¿'
                    | '¡'
                    | '@'
                    | '#'
            )
            || (c as u32) >= 0x1F000
    })
}

const SALUTATIONS: &[&str] = &[
    "thanks",
    "thank you",
    "regards",
    "best regards",
    "kind regards",
    "warm regards",
    "best wishes",
    "sincerely",
    "cheers",
    "best",
    "love",
    "yours",
    "yours truly",
    "many thanks",
    "thanks again",
    "all the best",
    "respectfully",
];
const GREETINGS: &[&str] = &["dear", "hi", "hello", "hey", "greetings"];

/// The tokens since the sentence start are a letter salutation or a
/// greeting with up to three names ("Dear Mr. Smith").
fn is_salutation(text: &str, toks: &[(usize, usize)]) -> bool {
    if toks.is_empty() || toks.len() > 4 {
        return false;
    }
    let words: Vec<String> = toks
        .iter()
        .map(|&(s, e)| text[s..e].to_lowercase())
        .collect();
    let joined = words.join(" ");
    SALUTATIONS.contains(&joined.as_str())
        || (GREETINGS.contains(&words[0].as_str())
            && toks[1..]
                .iter()
                .all(|&(s, e)| text[s..e].starts_with(char::is_uppercase)))
}

fn is_smiley(t: &str) -> bool {
    crate::tokenize::EMOTICONS.contains(&t)
        || t.chars().next().is_some_and(crate::tokenize::is_emoji)
}

/// Whether a terminal at token `i` (closers up to `end`) ends a sentence
/// even though the next word starts lowercase. Informal text (mail, forums)
/// often starts sentences lowercase; news rarely does, and the exceptions
/// are quoted questions ("Why?" he asked) and unknown abbreviations, which
/// are short words before a full stop.
fn lower_start_breaks(text: &str, toks: &[(usize, usize)], i: usize, end: usize) -> bool {
    let t = &text[toks[i].0..toks[i].1];
    if t.starts_with('…') || t.starts_with("..") {
        return false;
    }
    if end > i {
        return false; // a quote or bracket closed after the terminal
    }
    if t.contains('?') || t.contains('!') {
        return true;
    }
    if i == 0 || toks[i - 1].1 != toks[i].0 {
        return false;
    }
    let prev = &text[toks[i - 1].0..toks[i - 1].1];
    prev.chars().count() >= 4
        && prev.chars().all(|c| c.is_alphabetic())
        && !prev.chars().next().is_some_and(char::is_uppercase)
}

/// Groups tokens into sentences: ranges of token indices, covering every
/// token once, in order.
pub fn sentence_ranges(text: &str, toks: &[(usize, usize)]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let n = toks.len();
    let mut start = 0;
    let tok = |k: usize| &text[toks[k].0..toks[k].1];
    let mut i = 0;
    while i < n {
        let mut end = i; // last token of the candidate sentence
        let mut brk = false;
        let t = tok(i);
        if is_terminal(t) {
            // Glue closing quotes/brackets that touch the terminal.
            while end + 1 < n && toks[end + 1].0 == toks[end].1 && is_closer(tok(end + 1)) {
                end += 1;
            }
            // A footnote mark after the stop belongs to the sentence: "1805. [6]".
            if end + 3 < n
                && tok(end + 1) == "["
                && tok(end + 2).bytes().all(|b| b.is_ascii_digit())
                && tok(end + 3) == "]"
                && gap_breaks(&text[toks[end].1..toks[end + 1].0]) == 0
            {
                end += 3;
            }
            brk = match toks.get(end + 1) {
                None => true,
                Some(_) => {
                    let nx = tok(end + 1);
                    let gap = gap_breaks(&text[toks[end].1..toks[end + 1].0]);
                    let spaced = toks[end + 1].0 > toks[end].1;
                    let lower_ok = !starts_lower(nx) || lower_start_breaks(text, toks, i, end);
                    gap > 0 || (lower_ok && starts_alnum_or_open(nx) && spaced)
                }
            };
        } else if t == "," && is_salutation(text, &toks[start..i]) {
            // "Thanks, Sean" / "Dear All, ..." — letter openings and
            // closings stand alone.
            brk = toks.get(i + 1).is_some_and(|&(ns, ne)| {
                ns > toks[i].1 && text[ns..ne].starts_with(char::is_uppercase)
            });
        } else if is_smiley(t) {
            // Emoticons and emoji close informal sentences: ":-) Posted by".
            brk = toks.get(i + 1).is_some_and(|&(ns, _)| {
                let nx = &text[ns..toks[i + 1].1];
                ns > toks[i].1 && nx.chars().next().is_some_and(char::is_uppercase)
            });
        } else if t.ends_with('.') && t.len() > 1 {
            if let Some(kind) = abbreviation(t) {
                while end + 1 < n && toks[end + 1].0 == toks[end].1 && is_closer(tok(end + 1)) {
                    end += 1;
                }
                if let Some(&(ns, _)) = toks.get(end + 1) {
                    let nx = tok(end + 1);
                    let gap = gap_breaks(&text[toks[end].1..ns]);
                    let single_initial = t.chars().count() == 2;
                    brk = gap > 0
                        || (kind == AbbrevKind::Final && !single_initial && OPENERS.contains(&nx));
                }
            }
        }
        if !brk && end + 1 < n {
            let gap = gap_breaks(&text[toks[end].1..toks[end + 1].0]);
            if gap == 2 {
                brk = true;
            } else if gap == 1 {
                let nx = tok(end + 1);
                let last = tok(end);
                let runs_on = starts_lower(nx)
                    || matches!(
                        last,
                        "," | "-"
                            | "–"
                            | "("
                            | "&"
                            | "/"
                            | "and"
                            | "or"
                            | "of"
                            | "the"
                            | "a"
                            | "to"
                    );
                brk = !runs_on;
            }
        }
        if brk || end + 1 >= n {
            out.push(start..end + 1);
            start = end + 1;
        }
        i = end + 1;
    }
    out
}

/// Splits `text` into sentences: byte spans from the first to the last
/// token of each sentence.
///
/// ```
/// let t = "Mr. Putin met Assad. \"It went well,\" he said.\n\nNext item";
/// let s: Vec<&str> = dyad_text::split_sentences(t).into_iter().map(|(a, b)| &t[a..b]).collect();
/// assert_eq!(s, ["Mr. Putin met Assad.", "\"It went well,\" he said.", "Next item"]);
/// ```
pub fn split_sentences(text: &str) -> Vec<(usize, usize)> {
    let toks = crate::tokenize(text);
    sentence_ranges(text, &toks)
        .into_iter()
        .map(|r| (toks[r.start].0, toks[r.end - 1].1))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sents(t: &str) -> Vec<&str> {
        split_sentences(t)
            .into_iter()
            .map(|(a, b)| &t[a..b])
            .collect()
    }

    #[test]
    fn quotes_end_sentences() {
        assert_eq!(
            sents("He said \"no.\" Then he left."),
            ["He said \"no.\"", "Then he left."]
        );
        assert_eq!(sents("“Yes!” he said. Fine."), ["“Yes!” he said.", "Fine."]);
        assert_eq!(sents("'Why?' she asked."), ["'Why?' she asked."]);
    }

    #[test]
    fn abbreviations_do_not_split() {
        assert_eq!(
            sents("Gen. Smith met Dr. Jones on Jan. 5 in Washington."),
            ["Gen. Smith met Dr. Jones on Jan. 5 in Washington."]
        );
        assert_eq!(
            sents("J. R. R. Tolkien wrote it."),
            ["J. R. R. Tolkien wrote it."]
        );
        assert_eq!(
            sents("Goods, e.g. Tea, were taxed."),
            ["Goods, e.g. Tea, were taxed."]
        );
        assert_eq!(
            sents("He lives in the U.S. The talks failed."),
            ["He lives in the U.S.", "The talks failed."]
        );
        assert_eq!(sents("The U.S. Senate voted."), ["The U.S. Senate voted."]);
    }

    #[test]
    fn numbers_ellipses_and_lowercase() {
        assert_eq!(
            sents("It rose 2.3 percent. Prices fell."),
            ["It rose 2.3 percent.", "Prices fell."]
        );
        assert_eq!(
            sents("Well... maybe not. OK."),
            ["Well... maybe not.", "OK."]
        );
        assert_eq!(sents("See p. 5 for details."), ["See p. 5 for details."]);
    }

    #[test]
    fn headlines_paragraphs_bullets() {
        assert_eq!(
            sents("Putin meets Assad\n\nRussia has backed Syria"),
            ["Putin meets Assad", "Russia has backed Syria"]
        );
        assert_eq!(
            sents("Headline here\nThe body starts."),
            ["Headline here", "The body starts."]
        );
        assert_eq!(
            sents("a line that wraps\nover two lines."),
            ["a line that wraps\nover two lines."]
        );
        assert_eq!(
            sents("Items:\n- first item\n- second item"),
            ["Items:", "- first item", "- second item"]
        );
        assert_eq!(
            sents("no stop here\n\nlowercase para"),
            ["no stop here", "lowercase para"]
        );
    }

    #[test]
    fn footnote_marks_stay() {
        assert_eq!(
            sents("He left in 1805. [6] Then he came back."),
            ["He left in 1805. [6]", "Then he came back."]
        );
    }

    #[test]
    fn letter_salutations() {
        assert_eq!(
            sents("Thanks, Sean Here you go."),
            ["Thanks,", "Sean Here you go."]
        );
        assert_eq!(
            sents("Dear Mr. Smith, We met."),
            ["Dear Mr. Smith,", "We met."]
        );
        assert_eq!(sents("Thanks, he said."), ["Thanks, he said."]);
    }

    #[test]
    fn emoticons_close_sentences() {
        assert_eq!(
            sents("Great news :-) Posted by Ann"),
            ["Great news :-)", "Posted by Ann"]
        );
    }

    #[test]
    fn empty_and_whitespace() {
        assert!(sents("").is_empty());
        assert!(sents("  \n\n ").is_empty());
    }
}
