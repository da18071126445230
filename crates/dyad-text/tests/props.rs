//! Property tests: arbitrary Unicode never panics, and every token and
//! sentence span maps back into the text (char boundaries, in order,
//! non-overlapping, within the text, never covering whitespace-only text).

use proptest::prelude::*;

fn check(text: &str) {
    let toks = dyad_text::tokenize(text);
    let mut last = 0;
    for &(s, e) in &toks {
        assert!(s < e, "empty token at {s}");
        assert!(s >= last, "tokens out of order or overlapping");
        assert!(e <= text.len());
        assert!(text.is_char_boundary(s) && text.is_char_boundary(e));
        assert!(!text[s..e].trim().is_empty(), "token is only whitespace");
        last = e;
    }
    let sents = dyad_text::split_sentences(text);
    let mut last = 0;
    for &(s, e) in &sents {
        assert!(s < e && s >= last && e <= text.len());
        assert!(text.is_char_boundary(s) && text.is_char_boundary(e));
        last = e;
    }
    let ranges = dyad_text::sentence_ranges(text, &toks);
    let covered: usize = ranges.iter().map(|r| r.len()).sum();
    assert_eq!(covered, toks.len(), "every token in exactly one sentence");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_unicode(text in any::<String>()) {
        check(&text);
    }

    #[test]
    fn punctuation_heavy(text in "[a-zA-Z0-9 .,;:!?'\"’“”«»\\-–—@#/&()\\n\u{a0}\u{200d}\u{fe0f}👍🏽🇫é́]{0,80}") {
        check(&text);
    }
}

#[test]
fn tricky_cases() {
    for t in [
        "'",
        "''",
        "n't",
        "'s",
        "a'",
        "-",
        "--a",
        "a-",
        "@",
        "#",
        "http://",
        "www.",
        "x@y.",
        ".5",
        "1,000,",
        "U.S.",
        "\u{200d}",
        "🇫",
        "é\u{301}",
        "\u{301}a",
        "A.",
        "a.b.c.d.e.f",
        ":)",
        "<3",
    ] {
        check(t);
    }
}
