//! The tokeniser: byte spans of tokens, following the UD English (EWT/GUM)
//! conventions at the word level (clitics split, hyphens split except after
//! common prefixes, punctuation separate, abbreviations keep their stop).
//!
//! One pass over the text: whitespace-delimited chunks, each scanned left
//! to right with at most a constant look-ahead, so the whole run is linear.

use std::collections::HashMap;
use std::sync::OnceLock;

/// How an abbreviation behaves at a possible sentence end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AbbrevKind {
    /// A title or prefix ("Mr.", "Gen.", "Jan."): never ends a sentence.
    Prefix,
    /// May end a sentence ("U.S.", "Inc.", "etc.").
    Final,
    /// An abbreviation only before a number ("No. 5", "pp. 12").
    Numeric,
}

fn abbreviations() -> &'static HashMap<&'static str, AbbrevKind> {
    static A: OnceLock<HashMap<&'static str, AbbrevKind>> = OnceLock::new();
    A.get_or_init(|| {
        include_str!("abbreviations.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|l| {
                if let Some(w) = l.strip_suffix('*') {
                    (w, AbbrevKind::Prefix)
                } else if let Some(w) = l.strip_suffix('#') {
                    (w, AbbrevKind::Numeric)
                } else {
                    (l, AbbrevKind::Final)
                }
            })
            .collect()
    })
}

/// The abbreviation kind of a token that ends with a full stop: listed
/// abbreviations, initials ("J."), and dotted forms ("U.S.", "e.g.").
pub fn abbreviation(tok: &str) -> Option<AbbrevKind> {
    if let Some(k) = abbreviations().get(tok) {
        return Some(*k);
    }
    let core = tok.strip_suffix('.')?;
    let mut chars = core.chars();
    let first = chars.next()?;
    if first.is_uppercase() && chars.next().is_none() {
        // An initial: "J." in "J. R. R. Tolkien".
        return Some(AbbrevKind::Prefix);
    }
    // Letter-dot-letter forms: "U.S", "e.g", "a.m" ...
    if core.contains('.')
        && core
            .split('.')
            .all(|p| !p.is_empty() && p.chars().count() <= 2 && p.chars().all(char::is_alphabetic))
    {
        return Some(AbbrevKind::Final);
    }
    None
}

/// Hyphenated prefixes that UD keeps inside the word ("e-mail",
/// "co-workers", "non-profit", "al-Assad").
const HYPHEN_PREFIXES: &[&str] = &[
    "e", "co", "pre", "post", "non", "re", "semi", "pro", "anti", "multi", "mid", "cross", "pan",
    "mini", "ex", "inter", "intra", "micro", "macro", "neo", "sub", "super", "ultra", "over",
    "under", "counter", "al", "el", "bi", "tri", "de", "un", "mis", "quasi", "pseudo", "vice",
];

/// Word-level contractions written without an apostrophe that UD splits
/// ("dont" → "do" + "nt"), and fused forms ("gonna" → "gon" + "na").
fn fused_split(word: &str) -> Option<usize> {
    // Cheap rejection first: every fused form is 4-8 ASCII letters.
    if !(4..=8).contains(&word.len()) || !word.is_ascii() {
        return None;
    }
    let lower = word.to_ascii_lowercase();
    match lower.as_str() {
        "cannot" => Some(3),
        "gonna" | "wanna" => Some(3),
        "gotta" => Some(3),
        "dont" | "didnt" | "doesnt" | "isnt" | "wasnt" | "arent" | "werent" | "couldnt"
        | "wouldnt" | "shouldnt" | "havent" | "hasnt" | "hadnt" => Some(word.len() - 2),
        _ => None,
    }
}

fn is_apos(c: char) -> bool {
    c == '\'' || c == '’' || c == '`'
}

/// Where a clitic starts in `word` (byte offset), UD style: "n't", "'s",
/// "'m", "'re", "'ve", "'d", "'ll" (straight or curly apostrophe).
fn clitic_start(word: &str) -> Option<usize> {
    if !word.contains(['\'', '’', '`']) {
        return None;
    }
    let chars: Vec<(usize, char)> = word.char_indices().collect();
    let n = chars.len();
    if n < 2 {
        return None;
    }
    // n't
    if n >= 4 {
        let (i, c) = chars[n - 3];
        if (c == 'n' || c == 'N') && is_apos(chars[n - 2].1) && matches!(chars[n - 1].1, 't' | 'T')
        {
            return Some(i);
        }
    }
    for len in [2usize, 3] {
        if n > len {
            let (i, a) = chars[n - len];
            if !is_apos(a) {
                continue;
            }
            let suf: String = chars[n - len + 1..]
                .iter()
                .map(|&(_, c)| c.to_ascii_lowercase())
                .collect();
            let ok = match len {
                2 => matches!(suf.as_str(), "s" | "m" | "d"),
                _ => matches!(suf.as_str(), "re" | "ve" | "ll"),
            };
            // "50's", "AK-47's" stay whole, as in UD.
            let after_digit = chars[n - len - 1].1.is_ascii_digit();
            if ok
                && !after_digit
                && chars[..n - len]
                    .iter()
                    .all(|&(_, c)| c.is_alphanumeric() || c == '.' || c == '-')
            {
                return Some(i);
            }
        }
    }
    None
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_mark(c)
}

fn is_mark(c: char) -> bool {
    // Combining marks and joiners that belong to the preceding letter.
    matches!(c as u32, 0x0300..=0x036F | 0x0483..=0x0489 | 0x0591..=0x05C7 | 0x0610..=0x061A | 0x064B..=0x065F
        | 0x0670 | 0x06D6..=0x06ED | 0x0900..=0x0903 | 0x093A..=0x094F | 0x0951..=0x0957 | 0x0962..=0x0963
        | 0x0981..=0x0983 | 0x09BC..=0x09D7 | 0x0E31 | 0x0E34..=0x0E3A | 0x0E47..=0x0E4E | 0x1AB0..=0x1AFF
        | 0x1DC0..=0x1DFF | 0x200C | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// Pictographic characters (emoji) and their modifiers.
pub(crate) fn is_emoji(c: char) -> bool {
    matches!(c as u32, 0x1F000..=0x1FAFF | 0x2600..=0x27BF | 0x2B00..=0x2BFF | 0x2300..=0x23FF)
}

fn is_emoji_modifier(c: char) -> bool {
    matches!(c as u32, 0xFE0F | 0xFE0E | 0x1F3FB..=0x1F3FF | 0x20E3 | 0xE0020..=0xE007F)
}

/// Punctuation that forms one token when repeated ("...", "--", "!!!", "?!").
fn run_class(c: char) -> Option<u8> {
    match c {
        '.' | '!' | '?' => Some(1),
        '-' => Some(2),
        '*' => Some(3),
        '=' => Some(4),
        '~' => Some(5),
        '_' => Some(6),
        '#' => Some(7),
        '+' => Some(8),
        '>' => Some(9),
        '<' => Some(10),
        '/' => Some(11),
        '—' | '―' => Some(12),
        '$' => Some(13),
        '\'' => Some(14),
        '`' => Some(15),
        '’' => Some(16),
        '‘' => Some(17),
        _ => None,
    }
}

/// Tokenises `text` into half-open byte spans, in order, non-overlapping,
/// on char boundaries, never covering whitespace.
///
/// ```
/// let t = "Syria's al-Assad didn't go.";
/// let toks: Vec<&str> = dyad_text::tokenize(t).into_iter().map(|(s, e)| &t[s..e]).collect();
/// assert_eq!(toks, ["Syria", "'s", "al-Assad", "did", "n't", "go", "."]);
/// ```
pub fn tokenize(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::with_capacity(text.len() / 5 + 1);
    let mut chunk_start: Option<usize> = None;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() || is_invisible(c) {
            if let Some(s) = chunk_start.take() {
                chunk(text, s, i, &mut out);
            }
        } else if chunk_start.is_none() {
            chunk_start = Some(i);
        }
    }
    if let Some(s) = chunk_start {
        chunk(text, s, text.len(), &mut out);
    }
    out
}

/// Characters that separate tokens like spaces but are not whitespace in
/// Unicode's sense (zero-width space, BOM, soft hyphen on its own).
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}' | '\u{FEFF}' | '\u{2060}')
}

fn is_url_start(s: &str) -> bool {
    let l = s.as_bytes();
    let lower_starts =
        |p: &str| l.len() >= p.len() && l[..p.len()].eq_ignore_ascii_case(p.as_bytes());
    lower_starts("http://")
        || lower_starts("https://")
        || lower_starts("ftp://")
        || lower_starts("www.")
}

/// Trailing characters stripped off a URL or email (sentence punctuation,
/// closing quotes and brackets).
fn url_trailing(c: char) -> bool {
    matches!(
        c,
        '.' | ',' | ';' | ':' | '!' | '?' | '"' | '\'' | ')' | ']' | '}' | '>' | '”' | '’' | '»'
    )
}

fn is_email(s: &str) -> bool {
    let Some(at) = s.find('@') else { return false };
    let (user, dom) = (&s[..at], &s[at + 1..]);
    !user.is_empty()
        && user
            .chars()
            .all(|c| c.is_alphanumeric() || "._%+-".contains(c))
        && dom.contains('.')
        && !dom.ends_with('.')
        && dom.chars().all(|c| c.is_alphanumeric() || ".-".contains(c))
}

/// A URL, email, @handle or #hashtag starting at the beginning of `rest`:
/// its byte length.
fn special_len(rest: &str, at_word_start: bool) -> Option<usize> {
    // Trim sentence punctuation and closers at the end.
    let trimmed = rest.trim_end_matches(url_trailing);
    if trimmed.is_empty() {
        return None;
    }
    if is_url_start(trimmed) {
        // Keep a closing bracket that has its opener inside the URL.
        let mut end = trimmed.len();
        if rest[end..].starts_with(')') && trimmed.contains('(') {
            end += 1;
        }
        return Some(end);
    }
    let first = trimmed.chars().next()?;
    if first.is_alphanumeric() && is_email(trimmed) {
        return Some(trimmed.len());
    }
    if at_word_start && (first == '@' || first == '#') {
        let body: usize = trimmed[1..]
            .char_indices()
            .take_while(|&(_, c)| c.is_alphanumeric() || c == '_' || is_mark(c))
            .last()
            .map(|(i, c)| i + c.len_utf8())
            .unwrap_or(0);
        if body > 0
            && trimmed[1..].chars().next().is_some_and(|c| {
                c.is_alphabetic() || c == '_' || (first == '#' && c.is_alphanumeric())
            })
        {
            return Some(1 + body);
        }
    }
    None
}

/// Emoticons kept whole (":)", ":-(", "<3").
pub(crate) const EMOTICONS: &[&str] = &[
    ":-)", ":-(", ":-D", ":-P", ":-/", ";-)", ":)", ":(", ":D", ":P", ":p", ";)", ":/", "<3", ":'(",
];

fn chunk(text: &str, s: usize, e: usize, out: &mut Vec<(usize, usize)>) {
    let ch = &text[s..e];
    // Fast path: a plain lowercase/uppercase word.
    if ch.bytes().all(|b| b.is_ascii_alphabetic()) {
        if let Some(k) = fused_split(ch) {
            out.push((s, s + k));
            out.push((s + k, e));
        } else {
            out.push((s, e));
        }
        return;
    }
    let chars: Vec<(usize, char)> = ch.char_indices().collect();
    let n = chars.len();
    // For "No. 5": does the next chunk start with a number?
    let next_is_number = text[e..]
        .trim_start()
        .starts_with(|c: char| c.is_ascii_digit() || c == '#');
    let rest = text[e..].trim_start_matches([' ', '\t', '\r']);
    let para_end = rest.is_empty() || rest.starts_with('\n');
    let byte = |k: usize| if k < n { chars[k].0 } else { ch.len() };
    let mut i = 0;
    while i < n {
        let c = chars[i].1;
        let rest = &ch[byte(i)..];
        let at_start = i == 0 || !is_word_char(chars[i - 1].1);
        if at_start {
            if let Some(len) = special_len(rest, true) {
                let end_b = byte(i) + len;
                out.push((s + byte(i), s + end_b));
                while i < n && chars[i].0 < end_b {
                    i += 1;
                }
                continue;
            }
            if let Some(em) = EMOTICONS.iter().find(|em| rest.starts_with(**em)) {
                let after = rest[em.len()..].chars().next();
                if after.is_none_or(|a| !a.is_alphanumeric())
                    && (i == 0 || !chars[i - 1].1.is_alphanumeric())
                {
                    let end_b = byte(i) + em.len();
                    out.push((s + byte(i), s + end_b));
                    while i < n && chars[i].0 < end_b {
                        i += 1;
                    }
                    continue;
                }
            }
        }
        if is_word_char(c) {
            let j = word_end(&chars, i);
            emit_word(
                ch,
                s,
                byte(i),
                byte(j),
                After {
                    next_is_number,
                    para_end,
                },
                out,
            );
            // emit_word may have consumed a final full stop.
            let consumed = out.last().map(|t| t.1 - s).unwrap_or(byte(j));
            i = j;
            while i < n && chars[i].0 < consumed {
                i += 1;
            }
            continue;
        }
        if is_emoji(c) {
            let mut j = i + 1;
            while j < n {
                let d = chars[j].1;
                if is_emoji_modifier(d) {
                    j += 1;
                } else if d == '\u{200D}' && j + 1 < n && is_emoji(chars[j + 1].1) {
                    j += 2;
                } else if (0x1F1E6..=0x1F1FF).contains(&(c as u32))
                    && j == i + 1
                    && (0x1F1E6..=0x1F1FF).contains(&(d as u32))
                {
                    j += 1;
                } else {
                    break;
                }
            }
            out.push((s + byte(i), s + byte(j)));
            i = j;
            continue;
        }
        // "..." as one char, and runs of repeated punctuation.
        let mut j = i + 1;
        if let Some(cls) = run_class(c) {
            while j < n && run_class(chars[j].1) == Some(cls) {
                j += 1;
            }
            // A single hyphen before a digit at the start: a negative number ("-5").
        }
        // Combining marks attached to a symbol stay with it.
        while j < n && (is_mark(chars[j].1) || is_emoji_modifier(chars[j].1)) {
            j += 1;
        }
        out.push((s + byte(i), s + byte(j)));
        i = j;
    }
}

/// End (char index) of the word starting at `i`, joining across internal
/// connectors: "2.3", "350,000", "U.S", "O'Brien", "e-mail", "AT&T", "10:30".
fn word_end(chars: &[(usize, char)], i: usize) -> usize {
    let n = chars.len();
    let mut j = i;
    let mut seg_start = i;
    while j < n {
        let c = chars[j].1;
        if is_word_char(c) {
            j += 1;
            continue;
        }
        let prev = if j > i { Some(chars[j - 1].1) } else { None };
        let next = chars.get(j + 1).map(|x| x.1);
        // A word cut off by a hyphen ("re- I mean", "w- what"): UD keeps
        // the hyphen on the fragment.
        if c == '-'
            && prev.is_some_and(char::is_alphanumeric)
            && next.is_none_or(|d| !d.is_alphanumeric() && d != '-')
        {
            return j + 1;
        }
        let (Some(p), Some(nx)) = (prev, next) else {
            break;
        };
        let join = match c {
            '.' => p.is_alphanumeric() && nx.is_alphanumeric(),
            ',' => {
                p.is_ascii_digit() && nx.is_ascii_digit() && three_digits_then_break(chars, j + 1)
            }
            ':' => p.is_ascii_digit() && nx.is_ascii_digit(),
            '/' => p.is_ascii_digit() && nx.is_ascii_digit(),
            '&' => p.is_uppercase() && nx.is_uppercase(),
            '_' => nx.is_alphanumeric(),
            // Clitics ("Syria's", "don't") are split off afterwards.
            '\'' | '’' => p.is_alphabetic() && nx.is_alphabetic(),
            '-' | '\u{2011}' => nx.is_alphanumeric() && keep_hyphen(chars, seg_start, j),
            _ => false,
        };
        if !join {
            break;
        }
        if c == '-' {
            seg_start = j + 1;
        }
        j += 1;
    }
    j
}

/// `chars[k..]` starts with exactly three digits (then a non-digit).
fn three_digits_then_break(chars: &[(usize, char)], k: usize) -> bool {
    (0..3).all(|d| chars.get(k + d).is_some_and(|x| x.1.is_ascii_digit()))
        && !chars.get(k + 3).is_some_and(|x| x.1.is_ascii_digit())
}

/// Whether the hyphen at `j` stays inside the word (UD splits most).
fn keep_hyphen(chars: &[(usize, char)], seg_start: usize, j: usize) -> bool {
    let left: String = chars[seg_start..j].iter().map(|x| x.1).collect();
    let ll = left.to_lowercase();
    if left.chars().count() == 1 && left.chars().all(char::is_alphabetic) {
        return true; // "e-mail", "x-ray", "T-shirt"
    }
    if HYPHEN_PREFIXES.contains(&ll.as_str()) {
        return true;
    }
    // Phone numbers and codes: digits-digits with 3+ digit groups.
    if !left.is_empty() && left.chars().all(|c| c.is_ascii_digit()) {
        let right = chars[j + 1..]
            .iter()
            .take_while(|x| x.1.is_ascii_digit())
            .count();
        return right >= 3 && !(left.len() == 4 && right == 4) && (left.len() >= 3 || right == 4);
    }
    // Mixed letter-digit codes ("SARS-CoV-2", "F-16", "COVID-19").
    let next = chars.get(j + 1).map(|x| x.1);
    if left.chars().all(|c| c.is_uppercase() || c.is_ascii_digit())
        && next.is_some_and(|c| c.is_ascii_digit() || c.is_uppercase())
    {
        return left.chars().any(|c| c.is_uppercase()) && next.is_some_and(|c| c.is_ascii_digit());
    }
    false
}

/// Units written against a number that UD splits off ("5pm", "$170m",
/// "1.5bn", "10km").
const UNITS: &[&str] = &[
    "am", "pm", "m", "bn", "b", "k", "km", "kg", "g", "mm", "cm", "mi", "ft", "lb", "lbs", "mph",
    "kph", "mg", "ml", "gb", "mb", "kb", "tb", "ghz", "mhz", "mw", "kw", "gw", "hrs", "hr", "min",
    "mins", "sec", "secs", "yrs", "tn",
];

fn unit_split(word: &str) -> Option<usize> {
    let k = word.find(|c: char| c.is_alphabetic())?;
    if k == 0
        || !word[..k]
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',' || c == ':')
    {
        return None;
    }
    let unit = &word[k..];
    (unit.chars().all(|c| c.is_ascii_alphabetic())
        && UNITS.contains(&unit.to_ascii_lowercase().as_str()))
    .then_some(k)
}

/// A number follows: in the rest of this chunk, or else the next chunk.
fn number_follows(rest: &str, next_is_number: bool) -> bool {
    if rest.is_empty() {
        next_is_number
    } else {
        rest.starts_with(|c: char| c.is_ascii_digit())
    }
}

/// What follows the chunk in the text.
#[derive(Clone, Copy)]
struct After {
    /// The next chunk starts with a number ("No." + "5").
    next_is_number: bool,
    /// The chunk ends a paragraph (end of text or a line break follows).
    para_end: bool,
}

/// Emits the word `ch[ws..we]` (chunk-relative), splitting clitics and
/// taking a following full stop for abbreviations.
fn emit_word(
    ch: &str,
    s: usize,
    ws: usize,
    we: usize,
    after: After,
    out: &mut Vec<(usize, usize)>,
) {
    let After {
        next_is_number,
        para_end,
    } = after;
    let word = &ch[ws..we];
    // A full stop right after the word: an abbreviation keeps it.
    if ch[we..].starts_with('.') && !ch[we..].starts_with("..") {
        let with = &ch[ws..we + 1];
        let ok = match abbreviation(with) {
            Some(AbbrevKind::Numeric) => number_follows(&ch[we + 1..], next_is_number),
            // At the end of a paragraph the stop ends the sentence (UD
            // splits it off: "in the U.S" + ".").
            Some(AbbrevKind::Final) => !(we + 1 == ch.len() && para_end),
            Some(_) => true,
            None => false,
        };
        if ok {
            out.push((s + ws, s + we + 1));
            return;
        }
    }
    if let Some(k) = unit_split(word) {
        out.push((s + ws, s + ws + k));
        out.push((s + ws + k, s + we));
        return;
    }
    if let Some(k) = clitic_start(word) {
        out.push((s + ws, s + ws + k));
        out.push((s + ws + k, s + we));
        return;
    }
    if let Some(k) = fused_split(word) {
        out.push((s + ws, s + ws + k));
        out.push((s + ws + k, s + we));
        return;
    }
    out.push((s + ws, s + we));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(t: &str) -> Vec<&str> {
        tokenize(t).into_iter().map(|(s, e)| &t[s..e]).collect()
    }

    #[test]
    fn clitics_ud_style() {
        assert_eq!(toks("don't"), ["do", "n't"]);
        assert_eq!(toks("can't"), ["ca", "n't"]);
        assert_eq!(toks("Syria's"), ["Syria", "'s"]);
        assert_eq!(
            toks("we’ll I'm they've"),
            ["we", "’ll", "I", "'m", "they", "'ve"]
        );
        assert_eq!(toks("O'Brien"), ["O'Brien"]);
        assert_eq!(toks("cannot gonna"), ["can", "not", "gon", "na"]);
        assert_eq!(toks("parents'"), ["parents", "'"]);
    }

    #[test]
    fn abbreviations_and_initials() {
        assert_eq!(
            toks("Mr. Smith of the U.S. said"),
            ["Mr.", "Smith", "of", "the", "U.S.", "said"]
        );
        assert_eq!(toks("J. R. R. Tolkien"), ["J.", "R.", "R.", "Tolkien"]);
        assert_eq!(toks("e.g. this"), ["e.g.", "this"]);
        assert_eq!(
            toks("Gen. Smith, Jan. 5"),
            ["Gen.", "Smith", ",", "Jan.", "5"]
        );
        assert_eq!(toks("the end."), ["the", "end", "."]);
    }

    #[test]
    fn numbers() {
        assert_eq!(toks("2.3 million"), ["2.3", "million"]);
        assert_eq!(toks("350,000 lives"), ["350,000", "lives"]);
        assert_eq!(toks("$5.50, 10%"), ["$", "5.50", ",", "10", "%"]);
        assert_eq!(toks("at 10:30"), ["at", "10:30"]);
        assert_eq!(toks("1, 2"), ["1", ",", "2"]);
    }

    #[test]
    fn hyphens() {
        assert_eq!(toks("al-Assad"), ["al-Assad"]);
        assert_eq!(toks("e-mail co-workers"), ["e-mail", "co-workers"]);
        assert_eq!(toks("well-known"), ["well", "-", "known"]);
        assert_eq!(
            toks("ninety-nine re- w-"),
            ["ninety", "-", "nine", "re-", "w-"]
        );
        assert_eq!(
            toks("No. 5 and no. No."),
            ["No.", "5", "and", "no", ".", "No", "."]
        );
        assert_eq!(toks("COVID-19"), ["COVID-19"]);
        assert_eq!(toks("last year - in"), ["last", "year", "-", "in"]);
        assert_eq!(toks("war -- and"), ["war", "--", "and"]);
    }

    #[test]
    fn quotes_and_dashes() {
        assert_eq!(
            toks("“Yes,” he said—no."),
            ["“", "Yes", ",", "”", "he", "said", "—", "no", "."]
        );
        assert_eq!(
            toks("«Oui» „Ja“ ‹x›"),
            ["«", "Oui", "»", "„", "Ja", "“", "‹", "x", "›"]
        );
        assert_eq!(
            toks("'political process'"),
            ["'", "political", "process", "'"]
        );
        assert_eq!(toks("\"success\"."), ["\"", "success", "\"", "."]);
        assert_eq!(toks("2015–2018"), ["2015", "–", "2018"]);
        assert_eq!(toks("Wait..."), ["Wait", "..."]);
        assert_eq!(toks("what?!"), ["what", "?!"]);
    }

    #[test]
    fn web_things() {
        assert_eq!(
            toks("see https://example.com/a?b=1."),
            ["see", "https://example.com/a?b=1", "."]
        );
        assert_eq!(toks("(www.example.org)"), ["(", "www.example.org", ")"]);
        assert_eq!(
            toks("mail jo.doe@example.com,"),
            ["mail", "jo.doe@example.com", ","]
        );
        assert_eq!(toks("@user_1 #Syria"), ["@user_1", "#Syria"]);
        assert_eq!(toks("nice :) 👍🏽 🇫🇷"), ["nice", ":)", "👍🏽", "🇫🇷"]);
        assert_eq!(toks("Amazon.com"), ["Amazon.com"]);
    }
}
