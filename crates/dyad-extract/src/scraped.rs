//! Scraped-text extraction: a page saved as plain text (browser "save as
//! text", copy-paste, a crawler's text dump) to the article and its
//! metadata.
//!
//! Each line is classified by general features, never by site: skip
//! links and menus, teaser links of other articles (a headline-like line
//! followed by a "Read more" / "Lire" / "Weiterlesen" / "Leer más" marker,
//! or a line opening with such a marker), share bars, photo captions
//! ("(Reuters)", "Photo:"), cookie and subscription notices, footers
//! (copyright, imprint), comment sections, and prose in another language
//! than the body (page chrome of a foreign-language site). The body
//! language is identified on the long prose lines. The title is the first
//! headline-like line of the body language; the standfirst is what
//! stands between it and the first prose paragraph.
//!
//! ```
//! let page = "Skip to main content\n\nTalks resume in Geneva\n\nDelegations return after a month\n\n\
//!   The two delegations met in Geneva on Monday and agreed to meet again next week, officials said.\n\n\
//!   Share on Facebook\n\n© 2024 Example Media. All rights reserved.";
//! let a = dyad_extract::scraped::extract(page);
//! assert_eq!(a.title.as_deref(), Some("Talks resume in Geneva"));
//! assert_eq!(a.standfirst.as_deref(), Some("Delegations return after a month"));
//! assert!(a.text.starts_with("The two delegations"));
//! assert_eq!(a.removed.len(), 3);
//! ```

use dyad_core::{Article, RemovedBlock};

/// Markers of a teaser link to another article, with their language.
const TEASER_MARKERS: &[(&str, &str)] = &[
    ("read more", "en"),
    ("read also", "en"),
    ("read next", "en"),
    ("continue reading", "en"),
    ("see also", "en"),
    ("related", "en"),
    ("related articles", "en"),
    ("related stories", "en"),
    ("more on this story", "en"),
    ("recommended", "en"),
    ("watch", "en"),
    ("lire", "fr"),
    ("lire aussi", "fr"),
    ("lire la suite", "fr"),
    ("à lire aussi", "fr"),
    ("a lire aussi", "fr"),
    ("voir aussi", "fr"),
    ("en savoir plus", "fr"),
    ("weiterlesen", "de"),
    ("mehr lesen", "de"),
    ("lesen sie auch", "de"),
    ("lesen sie mehr", "de"),
    ("mehr zum thema", "de"),
    ("auch interessant", "de"),
    ("leer más", "es"),
    ("leer mas", "es"),
    ("lee también", "es"),
    ("seguir leyendo", "es"),
    ("te puede interesar", "es"),
    ("leia mais", "pt"),
    ("leia também", "pt"),
    ("continua a leggere", "it"),
    ("leggi anche", "it"),
    ("leggi di più", "it"),
    ("lees meer", "nl"),
    ("lees ook", "nl"),
    ("czytaj więcej", "pl"),
    ("czytaj też", "pl"),
    ("czytaj także", "pl"),
    ("читать далее", "ru"),
    ("читайте также", "ru"),
    ("devamını oku", "tr"),
    ("اقرأ المزيد", "ar"),
    ("اقرأ أيضا", "ar"),
];

/// Skip links and accessibility links at the top of pages.
const SKIP_LINKS: &[&str] = &[
    "skip to main content",
    "skip to content",
    "skip navigation",
    "jump to content",
    "aller au contenu principal",
    "aller au contenu",
    "passer au contenu",
    "zum inhalt springen",
    "zum hauptinhalt springen",
    "direkt zum inhalt",
    "saltar al contenido principal",
    "saltar al contenido",
    "ir al contenido",
    "vai al contenuto",
    "salta al contenuto",
    "pular para o conteúdo",
    "przejdź do treści",
    "naar de inhoud",
];

/// Words of share bars and social buttons.
const SHARE_WORDS: &[&str] = &[
    "share",
    "shares",
    "tweet",
    "facebook",
    "twitter",
    "x",
    "whatsapp",
    "telegram",
    "linkedin",
    "email",
    "e-mail",
    "mail",
    "print",
    "copy",
    "link",
    "pinterest",
    "reddit",
    "teilen",
    "partager",
    "compartir",
    "condividi",
    "udostępnij",
    "on",
    "via",
    "this",
    "article",
    "save",
    "messenger",
    "imprimer",
    "drucken",
    "comment",
    "comments",
    "bluesky",
    "flipboard",
    "sur",
    "auf",
    "en",
    "|",
    "·",
    "/",
];

/// Phrases of cookie, consent, subscription and newsletter notices.
/// Strong ones mark a line of up to 40 words; weak ones only a line that
/// says little else (4 words or fewer), since news prose may use them.
const NOTICE_STRONG: &[&str] = &[
    "we use cookies",
    "uses cookies",
    "cookie policy",
    "cookie settings",
    "accept cookies",
    "accept all cookies",
    "privacy settings",
    "newsletter",
    "ad blocker",
    "adblocker",
    "already a subscriber",
    "subscribe to",
    "subscribe now",
    "sign up for",
    "support our journalism",
    "create a free account",
    "abonnieren",
    "jetzt abonnieren",
    "s'abonner",
    "abonnez-vous",
    "suscríbete",
    "verwendet cookies",
    "utilise des cookies",
    "utiliza cookies",
];
const NOTICE_WEAK: &[&str] = &[
    "advertisement",
    "anzeige",
    "publicité",
    "publicidad",
    "sponsored",
    "subscribe",
    "sign in",
    "log in",
    "login",
    "register",
    "accept",
    "cookies",
];

/// Phrases of footers and legal notices.
const FOOTER_PHRASES: &[&str] = &[
    "©",
    "copyright",
    "all rights reserved",
    "tous droits réservés",
    "alle rechte vorbehalten",
    "todos los derechos reservados",
    "privacy policy",
    "terms of use",
    "terms of service",
    "terms and conditions",
    "contact us",
    "about us",
    "impressum",
    "mentions légales",
    "aviso legal",
    "politique de confidentialité",
];

/// Headers that open a comment section: everything after is dropped.
const COMMENT_HEADERS: &[&str] = &[
    "comments",
    "comment",
    "leave a comment",
    "leave a reply",
    "post a comment",
    "join the discussion",
    "show comments",
    "kommentare",
    "kommentar schreiben",
    "commentaires",
    "réagir",
    "comentarios",
    "commenti",
    "komentarze",
];

/// Caption credit markers.
const CAPTION_MARKERS: &[&str] = &[
    "photo:",
    "photo :",
    "photograph:",
    "image:",
    "picture:",
    "credit:",
    "foto:",
    "bild:",
    "quelle:",
    "crédit photo",
    "crédits photo",
    "pictured:",
    "illustration:",
    "file photo",
    "(photo",
    "getty images",
    "(afp)",
    "(reuters)",
    "(ap)",
    "(epa)",
    "(dpa)",
    "(ap photo",
    "/ afp",
    "/afp",
    "/ reuters",
    "/reuters",
    "ap photo",
    "afp photo",
    "reuters/",
    "(anadolu",
    "(aa)",
    "(xinhua",
    "(sana)",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Keep,
    Removed(&'static str),
}

#[derive(Debug)]
struct Line<'a> {
    text: &'a str,
    /// Index of the blank-line-separated block.
    block: usize,
    words: usize,
    kind: Kind,
    lang: Option<&'static str>,
    /// Language from a marker list (for short lines whatlang cannot judge).
    marker_lang: Option<&'static str>,
}

fn norm_marker(s: &str) -> String {
    s.trim()
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn ends_sentence(s: &str) -> bool {
    let t = s.trim_end_matches(['"', '\'', '”', '’', '»', ')', ']', '“']);
    t.ends_with(['.', '!', '?', '…', '。'])
}

/// A line of running prose: long, or a complete sentence of some length.
fn is_prose(l: &Line) -> bool {
    l.words >= 30 || (l.words >= 12 && ends_sentence(l.text))
}

/// A line that looks like a headline: short, no final full stop.
fn headline_like(l: &Line) -> bool {
    l.words >= 2 && l.words <= 25 && !l.text.trim_end().ends_with(['.', ':', ','])
}

fn teaser_marker(s: &str) -> Option<&'static str> {
    let n = norm_marker(s);
    TEASER_MARKERS
        .iter()
        .find(|(m, _)| *m == n)
        .map(|&(_, l)| l)
}

/// A line that opens with a teaser marker and goes on with a headline
/// ("Read more: Talks collapse in Geneva").
fn marker_prefixed(s: &str) -> Option<&'static str> {
    let lower = s.trim().to_lowercase();
    TEASER_MARKERS.iter().find_map(|&(m, l)| {
        let rest = lower.strip_prefix(m)?;
        let rest = rest.trim_start();
        (rest.starts_with([':', '»', '>', '→', '|', '-', '–']) || rest.starts_with("..."))
            .then_some(l)
    })
}

fn is_share_bar(s: &str) -> bool {
    let lower = s.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || c == ',')
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '|' && c != '·' && c != '/'))
        .filter(|w| !w.is_empty())
        .collect();
    !words.is_empty()
        && words.len() <= 12
        && words
            .iter()
            .all(|w| SHARE_WORDS.contains(w) || w.chars().all(|c| c.is_ascii_digit()))
        && words.iter().any(|w| {
            !matches!(
                *w,
                "on" | "via" | "this" | "article" | "sur" | "auf" | "en" | "|" | "·" | "/"
            )
        })
}

fn contains_any(hay: &str, needles: &[&str]) -> bool {
    let lower = hay.to_lowercase();
    needles.iter().any(|n| lower.contains(n))
}

/// Language of a line when the detector is confident enough to act on it.
fn confident_lang(s: &str, words: usize) -> Option<&'static str> {
    if words < 4 {
        return None;
    }
    let info = whatlang::detect(s)?;
    if !info.is_reliable() && words < 15 {
        return None;
    }
    crate::lang::detect(s)
}

/// Extracts the article from a page saved as text.
pub fn extract(text: &str) -> Article {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    // 1. Lines and blocks.
    let mut lines: Vec<Line> = Vec::new();
    let mut block = 0usize;
    let mut prev_blank = true;
    for raw in text.lines() {
        let t = raw.trim();
        if t.is_empty() {
            if !prev_blank {
                block += 1;
            }
            prev_blank = true;
            continue;
        }
        prev_blank = false;
        let words = t.split_whitespace().count();
        lines.push(Line {
            text: t,
            block,
            words,
            kind: Kind::Keep,
            lang: confident_lang(t, words),
            marker_lang: None,
        });
    }
    if lines.is_empty() {
        return Article::default();
    }

    // 2. Body language: the language of most prose, by length.
    let mut votes: Vec<(&'static str, usize)> = Vec::new();
    for l in lines.iter().filter(|l| is_prose(l)) {
        if let Some(lg) = l.lang {
            match votes.iter_mut().find(|v| v.0 == lg) {
                Some(v) => v.1 += l.text.len(),
                None => votes.push((lg, l.text.len())),
            }
        }
    }
    let body_lang = votes
        .iter()
        .max_by_key(|v| v.1)
        .map(|v| v.0)
        .or_else(|| crate::lang::detect(text));

    // 3. Line classes by features.
    let n = lines.len();
    let mut in_comments = false;
    let mut teaser_list: Option<usize> = None;
    for i in 0..n {
        if in_comments {
            lines[i].kind = Kind::Removed("comments");
            continue;
        }
        let t = lines[i].text;
        let words = lines[i].words;
        let lower = t.to_lowercase();
        let marker = norm_marker(t);
        let kind = if SKIP_LINKS.contains(&marker.as_str()) {
            Kind::Removed("navigation")
        } else if let Some(lg) = teaser_marker(t) {
            lines[i].marker_lang = Some(lg);
            if i == 0 || lines[i - 1].block != lines[i].block {
                // A "Related" header: the headlines under it are teasers.
                teaser_list = Some(lines[i].block);
            } else if headline_like(&lines[i - 1]) && lines[i - 1].kind == Kind::Keep {
                // "Headline" then "Read more": the teaser's title.
                lines[i - 1].kind = Kind::Removed("teaser");
            }
            Kind::Removed("teaser")
        } else if teaser_list == Some(lines[i].block) && headline_like(&lines[i]) {
            Kind::Removed("teaser")
        } else if let Some(lg) = marker_prefixed(t) {
            lines[i].marker_lang = Some(lg);
            Kind::Removed("teaser")
        } else if is_comment_header(&marker) && i > 0 && lines[..i].iter().any(is_prose) {
            in_comments = true;
            Kind::Removed("comments")
        } else if is_share_bar(t) {
            Kind::Removed("share")
        } else if words <= 40 && is_caption(&lower) {
            Kind::Removed("caption")
        } else if words <= 60 && contains_any(t, FOOTER_PHRASES) && !ends_with_quote(t) {
            Kind::Removed("footer")
        } else if (words <= 40 && contains_any(t, NOTICE_STRONG)
            || words <= 4 && contains_any(t, NOTICE_WEAK))
            && !ends_with_quote(t)
        {
            Kind::Removed("notice")
        } else if matches!((lines[i].lang, body_lang), (Some(a), Some(b)) if a != b) {
            Kind::Removed("other-language")
        } else {
            Kind::Keep
        };
        if lines[i].kind == Kind::Keep {
            lines[i].kind = kind;
        }
    }

    // 4. Menus: runs of very short non-sentence lines before the first
    // prose line or after the last one (a prose line may be a list item).
    let first_prose = lines
        .iter()
        .position(|l| l.kind == Kind::Keep && is_prose(l));
    let last_prose = lines
        .iter()
        .rposition(|l| l.kind == Kind::Keep && is_prose(l));
    if let (Some(fp), Some(lp)) = (first_prose, last_prose) {
        for l in lines[..fp].iter_mut() {
            if l.kind == Kind::Keep
                && l.words <= 3
                && !ends_sentence(l.text)
                && byline(l.text).is_none()
            {
                l.kind = Kind::Removed("navigation");
            }
        }
        for l in lines[lp + 1..].iter_mut() {
            if l.kind == Kind::Keep && !(is_prose(l) || (l.words >= 8 && ends_sentence(l.text))) {
                l.kind = Kind::Removed("footer");
            }
        }
    }

    // 5. Title, byline and standfirst: kept lines before the first prose.
    let mut art = Article {
        language: body_lang.map(str::to_string),
        ..Default::default()
    };
    let fp = first_prose.unwrap_or(n);
    let mut standfirst: Vec<&str> = Vec::new();
    let mut head_used = vec![false; n];
    for i in 0..fp {
        if lines[i].kind != Kind::Keep {
            continue;
        }
        let t = lines[i].text;
        if let Some(b) = byline(t) {
            art.byline.get_or_insert(b);
            head_used[i] = true;
        } else if art.title.is_none() && headline_like(&lines[i]) {
            art.title = Some(t.to_string());
            head_used[i] = true;
        } else if art.title.is_some() && lines[i].words >= 3 {
            standfirst.push(t);
            head_used[i] = true;
        }
    }
    if first_prose.is_none() {
        // No prose at all: what is kept after the title is the body.
        standfirst.clear();
        for (i, u) in head_used.iter_mut().enumerate() {
            if art.title.as_deref() != Some(lines[i].text) {
                *u = false;
            }
        }
    }
    if !standfirst.is_empty() {
        art.standfirst = Some(standfirst.join(" "));
    }

    // 6. Body: kept lines, a blank line between blocks.
    let mut body = String::new();
    let mut last_block = None;
    for (i, l) in lines.iter().enumerate() {
        if l.kind != Kind::Keep || head_used[i] {
            continue;
        }
        if !body.is_empty() {
            body.push_str(if last_block == Some(l.block) {
                "\n"
            } else {
                "\n\n"
            });
        }
        body.push_str(l.text);
        last_block = Some(l.block);
    }
    art.text = body;
    art.removed = lines
        .iter()
        .filter_map(|l| match l.kind {
            Kind::Removed(reason) => Some(RemovedBlock {
                text: l.text.to_string(),
                reason: reason.to_string(),
                language: l
                    .lang
                    .or(l.marker_lang)
                    .or_else(|| crate::lang::detect(l.text))
                    .map(str::to_string),
            }),
            Kind::Keep => None,
        })
        .collect();
    art
}

fn is_comment_header(marker: &str) -> bool {
    if COMMENT_HEADERS.contains(&marker) {
        return true;
    }
    // "12 comments", "Comments (12)".
    let words: Vec<&str> = marker.split_whitespace().collect();
    words.len() <= 3
        && words.iter().any(|w| COMMENT_HEADERS.contains(w))
        && words
            .iter()
            .all(|w| COMMENT_HEADERS.contains(w) || w.chars().all(|c| c.is_ascii_digit()))
}

fn is_caption(lower: &str) -> bool {
    let t = lower.trim_end();
    !t.ends_with(['.', '!', '?'])
        && CAPTION_MARKERS
            .iter()
            .any(|m| t.starts_with(m) || t.ends_with(m) || (m.starts_with('(') && t.contains(m)))
}

fn ends_with_quote(t: &str) -> bool {
    t.ends_with(['"', '”', '»'])
}

/// "By Jane Doe", "Von Max Muster", "Par Jean Dupont": the byline name.
fn byline(t: &str) -> Option<String> {
    let words: Vec<&str> = t.split_whitespace().collect();
    if words.len() < 2 || words.len() > 8 {
        return None;
    }
    let first = words[0].to_lowercase();
    if !matches!(
        first.as_str(),
        "by" | "von" | "par" | "por" | "di" | "door" | "autor:" | "author:"
    ) {
        return None;
    }
    words[1]
        .chars()
        .next()
        .is_some_and(char::is_uppercase)
        .then(|| words[1..].join(" "))
}
