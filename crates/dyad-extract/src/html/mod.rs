//! HTML page to article text and metadata.
//!
//! From crates: `scraper` (html5ever, the WHATWG parser browsers follow)
//! gives a robust tree for any input, truncated or not; `serde_json` reads
//! JSON-LD. Written here: everything after the parse, because the
//! available extractors either miss the accuracy bar or are several times
//! slower (see the crate docs). The tree is flattened into an arena in
//! document order where a subtree is the range `i..end[i]`, so every pass
//! is a loop, never recursion (100k-deep nesting cannot overflow the
//! stack), and the page is walked a handful of times in total.
//!
//! Steps: (1) drop tags that never hold article text and hidden elements;
//! (2) drop page chrome by class/id vocabulary (nav, footer, comments,
//! related, share, cookie, paywall, newsletter, ads ...), unless the node
//! holds most of the page's text; (3) pick the content root: explicit
//! markers (`itemprop=articleBody`, `*article*body*`-like classes,
//! `<article>`, `<main>`) checked against a readability-style paragraph
//! score; (4) emit blocks (paragraphs, headings, list items, table rows)
//! and drop link-dense ones; (5) JSON-LD `articleBody` as a fallback when
//! the page yields almost nothing.

// The page is an arena of parallel per-node arrays indexed by node
// number; index loops are the clear way to walk them together.
#![allow(clippy::needless_range_loop)]

mod meta;

use dyad_core::Article;
use ego_tree::iter::Edge;
use scraper::node::Element;
use scraper::{Html, Node};

pub use meta::{find_date, parse_date};

/// Elements per page beyond which the rest is ignored (bounded memory
/// and time on absurd inputs).
const MAX_NODES: usize = 2_000_000;

/// Element nesting kept before parsing. The HTML tree builder scans its
/// stack of open elements for many tags, so pathological nesting (100k
/// `<div>`s) would cost quadratic time; real pages stay far below this.
const MAX_DEPTH: usize = 512;

const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "p", "li", "option", "td", "tr", "th", "dt", "dd",
];

/// Prepares a page for the parser in one cheap tag scan: drops start tags
/// nested deeper than `max`, and empties `<script>` and `<style>`
/// elements (about half the bytes of a modern page, never article text;
/// the parser would otherwise tokenize them character by character).
/// JSON-LD scripts are kept for the metadata. The page is returned
/// untouched, without copying, when there is nothing to change.
fn prepare(html: &str, max: usize) -> std::borrow::Cow<'_, str> {
    let b = html.as_bytes();
    let mut out: Option<String> = None;
    let mut depth = 0usize;
    let mut last = 0usize;
    let mut i = 0usize;
    // Copies `html[last..upto]` and skips to `resume`.
    let cut = |out: &mut Option<String>, last: &mut usize, upto: usize, resume: usize| {
        let o = out.get_or_insert_with(|| String::with_capacity(html.len() / 2));
        o.push_str(&html[*last..upto]);
        *last = resume;
    };
    while let Some(off) = memchr_lt(&b[i..]) {
        let start = i + off;
        let mut j = start + 1;
        let closing = b.get(j) == Some(&b'/');
        if closing {
            j += 1;
        }
        let ns = j;
        while j < b.len() && b[j].is_ascii_alphanumeric() {
            j += 1;
        }
        if j == ns {
            if !closing && b[start + 1..].starts_with(b"!--") {
                // A comment: gone, and tags inside it do not count.
                let close = html[start + 4..]
                    .find("-->")
                    .map_or(b.len(), |q| start + 4 + q + 3);
                cut(&mut out, &mut last, start, close);
                i = close;
                continue;
            }
            i = start + 1;
            continue;
        }
        let name = &html[ns..j];
        if !closing && name.eq_ignore_ascii_case("svg") {
            // Inline vector images: often large, never text.
            let close = find_ci(&b[j..], b"</svg")
                .map(|q| j + q)
                .and_then(|q| html[q..].find('>').map(|e| q + e + 1))
                .unwrap_or(b.len());
            cut(&mut out, &mut last, start, close);
            i = close;
            continue;
        }
        let end = b[j..]
            .iter()
            .position(|&c| c == b'>')
            .map_or(b.len(), |e| j + e + 1);
        let self_closing = end >= 2 && b[end - 2] == b'/';
        let void = VOID.iter().any(|v| v.eq_ignore_ascii_case(name));
        if closing {
            depth = depth.saturating_sub(1);
        } else if !void && !self_closing {
            if depth >= max {
                cut(&mut out, &mut last, start, end);
                i = end.max(start + 1);
                continue;
            }
            depth += 1;
        }
        let raw = name.eq_ignore_ascii_case("script") || name.eq_ignore_ascii_case("style");
        if raw && !closing {
            // The raw text runs to the matching end tag.
            let mut k = end;
            let close = loop {
                match html[k..].find("</") {
                    None => break b.len(),
                    Some(q) => {
                        let p = k + q + 2;
                        if b.len() >= p + name.len()
                            && b[p..p + name.len()].eq_ignore_ascii_case(name.as_bytes())
                        {
                            break k + q;
                        }
                        k = p;
                    }
                }
            };
            let keep = memchr_ci(&b[j..end], b"ld+json");
            if !keep && close > end {
                cut(&mut out, &mut last, end, close);
            }
            i = close;
            continue;
        }
        i = end.max(start + 1);
    }
    match out {
        None => std::borrow::Cow::Borrowed(html),
        Some(mut o) => {
            o.push_str(&html[last..]);
            std::borrow::Cow::Owned(o)
        }
    }
}

fn memchr_lt(b: &[u8]) -> Option<usize> {
    b.iter().position(|&c| c == b'<')
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Tag {
    Doc,
    Text,
    Other,
    Inline,
    A,
    Br,
    Block,
    P,
    H(u8),
    List,
    Li,
    Table,
    Tr,
    Cell,
    Pre,
    Quote,
    /// Never text: script, style, form controls, media ...
    Drop,
    /// Page chrome by nature: nav, footer, aside, menu.
    Chrome,
    Header,
    Figure,
    Form,
    Article,
    Main,
    Body,
    Html,
}

fn classify(name: &str) -> Tag {
    match name {
        "a" => Tag::A,
        "br" | "hr" => Tag::Br,
        "p" => Tag::P,
        "h1" => Tag::H(1),
        "h2" => Tag::H(2),
        "h3" => Tag::H(3),
        "h4" => Tag::H(4),
        "h5" => Tag::H(5),
        "h6" => Tag::H(6),
        "ul" | "ol" | "dl" | "menu-list" => Tag::List,
        "li" | "dt" | "dd" => Tag::Li,
        "table" => Tag::Table,
        "tr" => Tag::Tr,
        "td" | "th" => Tag::Cell,
        "pre" => Tag::Pre,
        "blockquote" => Tag::Quote,
        "div" | "section" | "center" | "details" | "summary" | "address" | "caption" | "tbody"
        | "thead" | "tfoot" | "hgroup" | "fieldset" | "noframes" | "frameset" => Tag::Block,
        "script" | "style" | "noscript" | "template" | "svg" | "math" | "iframe" | "object"
        | "embed" | "canvas" | "video" | "audio" | "map" | "select" | "option" | "textarea"
        | "button" | "input" | "head" | "title" | "link" | "meta" | "dialog" | "picture"
        | "source" | "frame" | "applet" | "datalist" | "label" | "legend" | "img" | "area"
        | "track" | "param" | "base" | "marquee" | "optgroup" | "progress" => Tag::Drop,
        "nav" | "footer" | "aside" | "menu" => Tag::Chrome,
        "header" => Tag::Header,
        "figure" | "figcaption" => Tag::Figure,
        "form" => Tag::Form,
        "article" => Tag::Article,
        "main" => Tag::Main,
        "body" => Tag::Body,
        "html" => Tag::Html,
        _ => Tag::Inline,
    }
}

impl Tag {
    fn is_block(self) -> bool {
        !matches!(
            self,
            Tag::Inline | Tag::A | Tag::Text | Tag::Other | Tag::Br
        )
    }
}

struct N<'a> {
    parent: usize,
    end: usize,
    tag: Tag,
    el: Option<&'a Element>,
    text: &'a str,
    cls: ClassInfo,
    /// `itemprop` and `role`, read once (attribute lookups by name cost
    /// an atom comparison per attribute each time).
    itemprop: Option<&'a str>,
    role: Option<&'a str>,
    /// `hidden`, `aria-hidden=true`, or an inline style that hides it.
    hidden: bool,
}

/// What the class and id tokens of an element say, judged once per
/// distinct token per page (pages repeat the same few hundred tokens on
/// thousands of elements; judging each occurrence was a third of the
/// extraction time).
#[derive(Clone, Copy, Default, Debug)]
struct ClassInfo {
    /// Some class/id token names page chrome (the first one's reason).
    chrome: Option<&'static str>,
    /// Some token names an article-body container.
    content: bool,
    /// Tokens that hint at a date or byline line (metadata search).
    date_hint: bool,
    author_hint: bool,
    comment: bool,
    /// The element has a class or id at all.
    any: bool,
}

impl ClassInfo {
    /// Judges one lowercased token: every vocabulary below is matched in
    /// one pass of an Aho-Corasick automaton.
    fn of_token(tok: &str) -> ClassInfo {
        let v = vocab();
        let mut chrome: Option<usize> = None;
        let (mut a, mut b, mut bad) = (false, false, false);
        let mut info = ClassInfo {
            any: true,
            ..Default::default()
        };
        for m in v.ac.find_overlapping_iter(tok) {
            for &cat in &v.cats[m.pattern().as_usize()] {
                match cat {
                    Cat::Chrome(k) => chrome = Some(chrome.map_or(k, |c| c.min(k))),
                    Cat::BodyA => a = true,
                    Cat::BodyB => b = true,
                    Cat::BodyBad => bad = true,
                    Cat::Date => info.date_hint = true,
                    Cat::Author => info.author_hint = true,
                    Cat::Comment => info.comment = true,
                }
            }
        }
        info.content = a && b && !bad;
        info.chrome = match chrome {
            Some(k) => Some(SUBSTR[k].1),
            None => words(tok).find_map(|w| WORDS.iter().find(|(p, _)| w == *p).map(|(_, r)| *r)),
        };
        if info.chrome.is_some() {
            info.chrome = chrome_after_all(tok, info.chrome);
        }
        info
    }

    fn merge(&mut self, o: ClassInfo) {
        self.chrome = self.chrome.or(o.chrome);
        self.content |= o.content;
        self.date_hint |= o.date_hint;
        self.author_hint |= o.author_hint;
        self.comment |= o.comment;
        self.any |= o.any;
    }
}

/// Second look at a token the vocabulary calls chrome: tokens that
/// describe the content rather than the element's role do not count.
fn chrome_after_all(tok: &str, reason: Option<&'static str>) -> Option<&'static str> {
    // CMS taxonomy classes on a post wrapper (`tag-elections`,
    // `category-news`, `post-1234`, `status-publish`): the post's topics.
    const TAXONOMY: &[&str] = &["tag-", "category-", "format-", "status-", "type-"];
    if TAXONOMY.iter().any(|p| tok.starts_with(p))
        || tok
            .strip_prefix("post-")
            .is_some_and(|r| r.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    // Negated or possessive names: `no-print`, `non-paywall`,
    // `has-sidebar`, `with-ads` (a wrapper that has ads beside the text).
    if words(tok).any(|w| matches!(w, "no" | "non" | "not" | "has" | "with")) {
        return None;
    }
    // BEM modifiers (`section--has-ads`, `Report__Section--Ads`) say what
    // a block holds or how it looks; the role is in the block name.
    if let Some((base, _)) = tok.split_once("--") {
        if !base.is_empty() {
            return ClassInfo::of_token(base).chrome;
        }
    }
    // Drupal marks a post shown on the front page `node-promoted`.
    if reason == Some("ad") && tok.contains("promoted") {
        return None;
    }
    // Page builders call every block a widget.
    const BUILDERS: &[&str] = &["elementor", "wp-block", "et_pb", "vc_", "wpb_", "fusion-"];
    if reason == Some("sidebar") && BUILDERS.iter().any(|p| tok.starts_with(p)) {
        return None;
    }
    reason
}

/// Judges class/id tokens with a per-page memo.
#[derive(Default)]
struct ClassJudge<'a> {
    memo: std::collections::HashMap<&'a str, ClassInfo>,
    lower: String,
}

impl<'a> ClassJudge<'a> {
    fn judge(&mut self, class: Option<&'a str>, id: Option<&'a str>) -> ClassInfo {
        let mut info = ClassInfo::default();
        for v in [class, id].into_iter().flatten() {
            for tok in v.split_whitespace() {
                let t = match self.memo.get(tok) {
                    Some(t) => *t,
                    None => {
                        self.lower.clear();
                        self.lower.push_str(tok);
                        self.lower.make_ascii_lowercase();
                        let t = ClassInfo::of_token(&self.lower);
                        self.memo.insert(tok, t);
                        t
                    }
                };
                info.merge(t);
            }
        }
        info
    }
}

#[derive(Clone, Copy)]
enum Cat {
    /// Index into [`SUBSTR`] (a lower index wins).
    Chrome(usize),
    BodyA,
    BodyB,
    BodyBad,
    Date,
    Author,
    Comment,
}

/// Article-body containers: a token with a word of `BODY_A` and one of
/// `BODY_B`, and none of `BODY_BAD` (`article-body`, `post_content`, but
/// not `article-meta` or `entry-content-list`).
const BODY_A: &[&str] = &[
    "article", "post", "entry", "story", "news", "blog", "beitrag", "artikel",
];
const BODY_B: &[&str] = &["body", "content", "text", "inhalt"];
const BODY_BAD: &[&str] = &[
    "comment", "related", "teaser", "meta", "header", "footer", "sidebar", "list", "preview",
    "spende", "donat", "title", "author", "share", "nav", "widget", "excerpt", "summary", "image",
    "media", "thumb", "info", "date", "tag", "categor",
];
/// Tokens of an element that may hold a visible date or byline.
const DATE_HINT: &[&str] = &[
    "date", "time", "publish", "posted", "meta", "byline", "datum", "info",
];
const AUTHOR_HINT: &[&str] = &["author", "byline", "autor", "writer"];

struct Vocab {
    ac: aho_corasick::AhoCorasick,
    /// Categories of each distinct pattern.
    cats: Vec<Vec<Cat>>,
}

fn vocab() -> &'static Vocab {
    static V: std::sync::OnceLock<Vocab> = std::sync::OnceLock::new();
    V.get_or_init(|| {
        let mut pats: Vec<&'static str> = Vec::new();
        let mut cats: Vec<Vec<Cat>> = Vec::new();
        let mut add = |p: &'static str, c: Cat| match pats.iter().position(|x| *x == p) {
            Some(i) => cats[i].push(c),
            None => {
                pats.push(p);
                cats.push(vec![c]);
            }
        };
        for (k, (p, _)) in SUBSTR.iter().enumerate() {
            add(p, Cat::Chrome(k));
        }
        for (list, c) in [
            (BODY_A, Cat::BodyA),
            (BODY_B, Cat::BodyB),
            (BODY_BAD, Cat::BodyBad),
            (DATE_HINT, Cat::Date),
            (AUTHOR_HINT, Cat::Author),
            (&["comment"][..], Cat::Comment),
        ] {
            for p in list {
                add(p, c);
            }
        }
        let ac = aho_corasick::AhoCorasick::new(&pats).expect("class vocabulary automaton");
        Vocab { ac, cats }
    })
}

/// The flattened page.
struct Page<'a> {
    n: Vec<N<'a>>,
}

impl<'a> Page<'a> {
    fn build(html: &'a Html) -> Page<'a> {
        let mut n: Vec<N<'a>> = Vec::new();
        let mut stack: Vec<usize> = Vec::new();
        let mut judge = ClassJudge::default();
        for edge in html.tree.root().traverse() {
            match edge {
                Edge::Open(node) => {
                    if n.len() >= MAX_NODES {
                        break;
                    }
                    let parent = stack.last().copied().unwrap_or(0);
                    let (tag, el, text) = match node.value() {
                        Node::Document | Node::Fragment => (Tag::Doc, None, ""),
                        Node::Element(e) => (classify(e.name()), Some(e), ""),
                        Node::Text(t) => (Tag::Text, None, &**t),
                        _ => (Tag::Other, None, ""),
                    };
                    let (mut class, mut id, mut itemprop, mut role) = (None, None, None, None);
                    let mut hide = false;
                    if let Some(e) = el {
                        // One pass over the attributes.
                        for (k, v) in e.attrs() {
                            match k {
                                "class" => class = Some(v),
                                "id" => id = Some(v),
                                "itemprop" => itemprop = Some(v),
                                "role" => role = Some(v),
                                "hidden" => hide = true,
                                "aria-hidden" => hide |= v == "true",
                                "style" => hide |= hiding_style(v),
                                _ => {}
                            }
                        }
                    }
                    let cls = if tag != Tag::Drop && (class.is_some() || id.is_some()) {
                        judge.judge(class, id)
                    } else {
                        ClassInfo::default()
                    };
                    stack.push(n.len());
                    n.push(N {
                        parent,
                        end: 0,
                        tag,
                        el,
                        text,
                        cls,
                        itemprop,
                        role,
                        hidden: hide,
                    });
                }
                Edge::Close(_) => {
                    if let Some(i) = stack.pop() {
                        n[i].end = n.len();
                    }
                }
            }
        }
        let len = n.len();
        for i in stack {
            n[i].end = len;
        }
        Page { n }
    }

    fn attr(&self, i: usize, name: &str) -> Option<&'a str> {
        self.n[i].el.and_then(|e| e.attr(name))
    }

    fn name(&self, i: usize) -> &'a str {
        self.n[i].el.map(|e| e.name()).unwrap_or("")
    }

    /// Whitespace-collapsed text of a subtree (metadata helper).
    fn text_of(&self, i: usize) -> String {
        let mut s = String::new();
        let mut j = i + 1;
        while j < self.n[i].end {
            match self.n[j].tag {
                Tag::Drop => {
                    j = self.n[j].end;
                    continue;
                }
                Tag::Text => {
                    s.push(' ');
                    s.push_str(self.n[j].text);
                }
                Tag::Br => s.push(' '),
                t if t.is_block() => s.push(' '),
                _ => {}
            }
            j += 1;
        }
        collapse(&s)
    }
}

/// Collapses runs of whitespace to one space and trims.
pub fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

fn words(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| c == '-' || c == '_' || c.is_whitespace() || c == ':')
        .filter(|w| !w.is_empty())
}

/// Class/id substrings that name page chrome, with the reason.
const SUBSTR: &[(&str, &str)] = &[
    ("comment", "comments"),
    ("kommentar", "comments"),
    ("disqus", "comments"),
    ("respond", "comments"),
    ("footer", "footer"),
    ("cookie", "cookie"),
    ("consent", "cookie"),
    ("gdpr", "cookie"),
    ("newsletter", "newsletter"),
    ("subscri", "newsletter"),
    ("paywall", "paywall"),
    ("breadcrumb", "navigation"),
    ("sidebar", "sidebar"),
    ("navbar", "navigation"),
    ("navigation", "navigation"),
    ("menu", "navigation"),
    ("pagination", "navigation"),
    ("social", "share"),
    ("share", "share"),
    ("sharing", "share"),
    ("teilen", "share"),
    ("related", "related"),
    ("recommend", "related"),
    ("more-stories", "related"),
    ("morestories", "related"),
    ("readmore", "related"),
    ("read-more", "related"),
    ("most-popular", "related"),
    ("mostpopular", "related"),
    ("mostread", "related"),
    ("trending", "related"),
    ("outbrain", "related"),
    ("taboola", "related"),
    ("teaser", "teaser"),
    ("advert", "ad"),
    ("sponsor", "ad"),
    ("werbung", "ad"),
    ("anzeige", "ad"),
    ("adsense", "ad"),
    ("adslot", "ad"),
    ("promo", "ad"),
    ("popup", "popup"),
    ("modal", "popup"),
    ("widget", "sidebar"),
    ("caption", "caption"),
    ("copyright", "footer"),
    ("tagcloud", "tags"),
    ("login", "login"),
    ("signin", "login"),
    ("screen-reader", "hidden"),
    ("sr-only", "hidden"),
    ("visually-hidden", "hidden"),
    ("visuallyhidden", "hidden"),
    ("byline", "byline"),
    ("postmeta", "byline"),
    ("post-meta", "byline"),
    ("entry-meta", "byline"),
    ("article-meta", "byline"),
    ("dateline", "byline"),
    ("author", "byline"),
    ("toolbar", "navigation"),
    ("masthead", "navigation"),
    ("skip-link", "navigation"),
    // Print buttons, not print styling (`print-full`, `d-print-none`).
    ("print-button", "share"),
    ("printbutton", "share"),
    ("btn-print", "share"),
    ("print-icon", "share"),
    ("icon-print", "share"),
    ("rating", "widget"),
    ("banner", "ad"),
];

/// Whole class/id words (split at `-`, `_`, `:`) that name page chrome.
const WORDS: &[(&str, &str)] = &[
    ("pager", "navigation"),
    ("nav", "navigation"),
    ("ad", "ad"),
    ("ads", "ad"),
    ("tags", "tags"),
    ("tag", "tags"),
    ("meta", "byline"),
    ("date", "byline"),
    ("time", "byline"),
    ("search", "navigation"),
    ("topbar", "navigation"),
    ("links", "related"),
    ("donate", "ad"),
    ("categories", "tags"),
];

/// Page-chrome vocabulary in one lowercased class or id token. Returns
/// the reason. (The reference definition; [`ClassInfo::of_token`] is the
/// fast path, and a test checks that both agree.)
#[cfg(test)]
fn chrome_token(tok: &str) -> Option<&'static str> {
    if let Some((_, r)) = SUBSTR.iter().find(|(p, _)| tok.contains(p)) {
        return Some(r);
    }
    for w in words(tok) {
        if let Some((_, r)) = WORDS.iter().find(|(p, _)| w == *p) {
            return Some(r);
        }
    }
    None
}

/// `itemprop="articleBody"` (any case).
fn is_article_body(v: &str) -> bool {
    memchr_ci(v.as_bytes(), b"articlebody")
}

/// One lowercased class/id token naming an article-body container.
#[cfg(test)]
fn content_token(tok: &str) -> bool {
    let has = |ks: &[&str]| ks.iter().any(|k| tok.contains(k));
    has(BODY_A) && has(BODY_B) && !has(BODY_BAD)
}

/// An inline style that hides the element (`display: none`,
/// `visibility: hidden`).
fn hiding_style(st: &str) -> bool {
    let b = st.as_bytes();
    if !(b.len() >= 4 && (memchr_ci(b, b"none") || memchr_ci(b, b"hidden"))) {
        return false;
    }
    let s: String = st
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    s.contains("display:none") || s.contains("visibility:hidden")
}

/// ASCII case-insensitive substring test.
fn memchr_ci(hay: &[u8], needle: &[u8]) -> bool {
    find_ci(hay, needle).is_some()
}

/// Position of `needle` (ASCII lowercase, starting with a byte that has no
/// case, like `<`) in `hay`, ignoring ASCII case.
fn find_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let first = needle.first()?;
    let mut from = 0;
    while from + needle.len() <= hay.len() {
        let k = if first.is_ascii_alphabetic() {
            hay[from..]
                .iter()
                .position(|c| c.eq_ignore_ascii_case(first))?
        } else {
            hay[from..].iter().position(|c| c == first)?
        };
        let at = from + k;
        if at + needle.len() <= hay.len() && hay[at..at + needle.len()].eq_ignore_ascii_case(needle)
        {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// Per-node counts over a subtree, after skipping.
#[derive(Default, Clone, Copy)]
struct Counts {
    /// Text bytes not inside links.
    good: usize,
    /// Text bytes inside links.
    link: usize,
}

struct Analysis {
    skip: Vec<bool>,
    counts: Vec<Counts>,
    in_link: Vec<bool>,
}

fn text_len(s: &str) -> usize {
    let t = s.trim();
    if t.is_empty() {
        0
    } else {
        t.len()
    }
}

fn compute_counts(p: &Page, skip: &[bool], in_link: &[bool]) -> Vec<Counts> {
    let len = p.n.len();
    let mut c = vec![Counts::default(); len];
    // Reverse document order: children before parents.
    for i in (1..len).rev() {
        let node = &p.n[i];
        if node.tag == Tag::Text {
            let l = text_len(node.text);
            if in_link[i] {
                c[i].link += l;
            } else {
                c[i].good += l;
            }
        }
        if skip[i] {
            continue;
        }
        let par = node.parent;
        if par != i {
            let ci = c[i];
            c[par].good += ci.good;
            c[par].link += ci.link;
        }
    }
    // A skipped node contributes nothing upward but keeps its own counts.
    c
}

fn analyse(p: &Page) -> Analysis {
    let len = p.n.len();
    let mut skip = vec![false; len];
    let mut in_link = vec![false; len];
    for i in 1..len {
        let par = p.n[i].parent;
        in_link[i] = in_link[par] || p.n[par].tag == Tag::A;
        let t = p.n[i].tag;
        let hidden = p.n[i].hidden && !matches!(t, Tag::Body | Tag::Html);
        if t == Tag::Drop || t == Tag::Other || hidden {
            skip[i] = true;
        }
    }
    // Pass 1 counts with tag-level skipping only.
    let mut c1 = compute_counts(p, &skip, &in_link);
    // Script-rendered pages (Blogger, some SPAs) put the article itself in
    // `<noscript>`; such a block holds more text than the rest of the
    // page, unlike the usual "enable JavaScript" notice or tracking pixel.
    let body_good = |c: &[Counts]| {
        c.iter()
            .zip(p.n.iter())
            .find(|(_, n)| n.tag == Tag::Body)
            .map(|(c, _)| c.good)
            .unwrap_or(c[0].good)
    };
    let mut reopened = false;
    let before = body_good(&c1);
    for i in 1..len {
        if skip[i]
            && p.n[i].tag == Tag::Drop
            && c1[i].good >= 300
            && c1[i].good > before
            && p.name(i).eq_ignore_ascii_case("noscript")
            && !(p.n[p.n[i].parent].tag == Tag::Drop)
        {
            skip[i] = false;
            reopened = true;
        }
    }
    if reopened {
        c1 = compute_counts(p, &skip, &in_link);
    }
    let total = c1
        .iter()
        .zip(p.n.iter())
        .find(|(_, n)| n.tag == Tag::Body)
        .map(|(c, _)| c.good)
        .unwrap_or(c1[0].good)
        .max(1);
    // Does a subtree hold an explicit article-body marker?
    // (A `<main>` counts too: a wrapper around it named for the
    // navigation beside it is not navigation.)
    let mut marker = vec![false; len];
    for i in (1..len).rev() {
        // So does a node named as the article's content that holds a
        // large share of the page's text: a wrapper around it named
        // `above-footer` or `sidebar-layout` is layout, not chrome.
        let named_content = p.n[i].cls.content
            && c1[i].good >= 500
            && c1[i].good * 10 >= total * 3
            && c1[i].link * 4 < c1[i].good;
        if p.n[i].itemprop.is_some_and(is_article_body) || p.n[i].tag == Tag::Main || named_content
        {
            marker[i] = true;
        }
        if marker[i] {
            let par = p.n[i].parent;
            marker[par] = true;
        }
    }
    for i in 1..len {
        if skip[i] {
            continue;
        }
        let t = p.n[i].tag;
        if matches!(t, Tag::Body | Tag::Html | Tag::Text | Tag::Doc) {
            continue;
        }
        let big = c1[i].good * 10 >= total * 6 && total > 400;
        let chrome_tag = matches!(t, Tag::Chrome | Tag::Figure);
        if chrome_tag && !big && !marker[i] {
            skip[i] = true;
            continue;
        }
        if t == Tag::Form && c1[i].good < 400 {
            skip[i] = true;
            continue;
        }
        if matches!(t, Tag::Article | Tag::Main) || marker[i] {
            continue;
        }
        if p.n[i].el.is_some() {
            let cls = p.n[i].cls;
            if let Some(role) = p.n[i].role {
                if matches!(
                    role,
                    "navigation" | "banner" | "contentinfo" | "complementary" | "search"
                ) && !big
                {
                    skip[i] = true;
                    continue;
                }
            }
            if !cls.any || cls.content {
                continue;
            }
            if let Some(reason) = cls.chrome {
                let strong = matches!(reason, "comments" | "footer" | "cookie");
                // A weak chrome name (share, ad, widget ...) on a node
                // that holds a large share of the page's text, nearly
                // without links, is a misnamed article wrapper: menus,
                // teasers and share bars are short or link-dense.
                let c = c1[i];
                if !strong && c.good >= 800 && c.good * 10 >= total * 3 && c.link * 4 < c.good {
                    continue;
                }
                // Teaser cards link to other pages; a "teaser" without a
                // single link is the article's own lead (German CMSs call
                // the standfirst `teaser-text`), and a "read more" box
                // without links is the rest of the text, folded.
                if matches!(reason, "teaser" | "related") && c.link == 0 && c.good >= 40 {
                    continue;
                }
                // A paywall class on the article itself marks the part
                // readers see; only short paywall notices go.
                let notice = reason != "paywall" || c1[i].good < 300;
                if notice && (!big || (strong && c1[i].good * 10 < total * 9)) {
                    skip[i] = true;
                }
            }
        }
    }
    let counts = compute_counts(p, &skip, &in_link);
    Analysis {
        skip,
        counts,
        in_link,
    }
}

/// Net content of each subtree: text in paragraph-like blocks (enough
/// words, few links) counts for it, text in short or link-dense blocks
/// (menus, teasers, widgets) against it. List items, table cells and
/// headings are neutral, so a recipe's ingredients or an article's
/// subheadings never push the choice away from the article. The best
/// content root is the subtree with the highest net; a wrapper wins over
/// its child only if what it adds is more article than chrome.
fn net_scores(p: &Page, a: &Analysis) -> Vec<f32> {
    let len = p.n.len();
    let mut own_good = vec![0usize; len];
    let mut own_link = vec![0usize; len];
    let mut block_of = vec![0usize; len];
    let mut dead = vec![false; len];
    for i in 1..len {
        let par = p.n[i].parent;
        dead[i] = dead[par] || a.skip[i];
        block_of[i] = if p.n[par].tag.is_block() || p.n[par].tag == Tag::Doc {
            par
        } else {
            block_of[par]
        };
        if dead[i] || p.n[i].tag != Tag::Text {
            continue;
        }
        let l = text_len(p.n[i].text);
        let b = block_of[i];
        if a.in_link[i] {
            own_link[b] += l;
        } else {
            own_good[b] += l;
        }
    }
    let mut net = vec![0f32; len];
    for b in 0..len {
        let (g, l) = (own_good[b], own_link[b]);
        if g + l == 0 || dead[b] {
            continue;
        }
        let ld = l as f32 / (g + l) as f32;
        let neutral = matches!(p.n[b].tag, Tag::Li | Tag::Cell | Tag::Tr | Tag::H(_));
        net[b] = if ld < 0.5 && g >= 60 {
            (g + l) as f32
        } else if neutral && ld < 0.5 {
            0.0
        } else {
            -((g + l) as f32) * 0.7
        };
    }
    for i in (1..len).rev() {
        if dead[i] {
            continue;
        }
        let par = p.n[i].parent;
        let v = net[i];
        net[par] += v;
    }
    for i in 0..len {
        if dead[i] {
            net[i] = f32::MIN;
        }
    }
    net
}

/// Picks the content roots (subtrees emitted, in document order).
fn content_roots(p: &Page, a: &Analysis) -> Vec<usize> {
    let len = p.n.len();
    let scores = net_scores(p, a);
    let relation = |x: usize, y: usize| x <= y && y < p.n[x].end;
    // On a tie the inner subtree wins if the wrapper adds no text at all
    // (the document around a lone article): its other parts are chrome.
    let same_text = |x: usize, y: usize| {
        a.counts[x].good == a.counts[y].good && a.counts[x].link == a.counts[y].link
    };
    let mut best = 0usize;
    for i in 1..len {
        if scores[i] > scores[best]
            || (scores[i] == scores[best] && relation(best, i) && same_text(best, i))
        {
            best = i;
        }
    }
    let good = |i: usize| a.counts[i].good;
    // Explicit markers, strongest first.
    let mut levels: [Vec<usize>; 4] = Default::default();
    for i in 1..len {
        if p.n[i].el.is_none() || scores[i] == f32::MIN {
            continue;
        }
        if p.n[i].itemprop.is_some_and(is_article_body) {
            levels[0].push(i);
            continue;
        }
        if p.n[i].cls.content {
            levels[1].push(i);
        } else if p.n[i].tag == Tag::Article {
            levels[2].push(i);
        } else if p.n[i].tag == Tag::Main || p.n[i].role == Some("main") {
            levels[3].push(i);
        }
    }
    for (lvl, cands) in levels.iter().enumerate() {
        let cands: Vec<usize> = cands.to_vec();
        let Some(&top) = cands.iter().max_by_key(|&&i| good(i)) else {
            continue;
        };
        if good(top) < 150 {
            continue;
        }
        // Several sibling markers (an article split into parts): the
        // outermost ones that do not nest, in order, if they are large.
        let mut roots: Vec<usize> = Vec::new();
        for &c in &cands {
            if roots.iter().any(|&r| relation(r, c)) {
                continue;
            }
            if good(c) * 3 >= good(top) || (lvl <= 1 && good(c) >= 200) {
                roots.retain(|&r| !relation(c, r));
                roots.push(c);
            }
        }
        if lvl >= 2 {
            // <article>/<main>: the innermost one that holds the best
            // subtree (it adds the headline and lead); a listing of many
            // articles, or an article beside the content, is not used.
            if let Some(&c) = cands.iter().filter(|&&c| relation(c, best)).max() {
                return vec![c];
            }
            continue;
        }
        let covered: usize = roots.iter().map(|&r| good(r)).sum();
        // A small marked box inside the best subtree (a donation appeal
        // named `artikel-spende-content`) is not the article.
        if roots.iter().all(|&r| relation(best, r) && r != best) && covered * 5 < good(best) {
            continue;
        }
        let related = roots
            .iter()
            .any(|&r| relation(r, best) || relation(best, r));
        if related || covered * 2 >= good(best) {
            roots.sort_unstable();
            return roots;
        }
    }
    vec![best]
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Kind {
    Para,
    Heading,
    Item,
    Cell,
    Pre,
}

struct Block {
    text: String,
    link: usize,
    kind: Kind,
    /// List or table the block belongs to (for separators).
    group: usize,
    row: usize,
}

/// Emits the text blocks of the subtrees `roots`.
fn emit(p: &Page, a: &Analysis, roots: &[usize]) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    for &r in roots {
        let mut stack: Vec<usize> = Vec::new();
        let mut cur = String::new();
        let mut cur_link = 0usize;
        let mut i = r;
        let end = p.n[r].end;
        let flush =
            |stack: &Vec<usize>, cur: &mut String, cur_link: &mut usize, out: &mut Vec<Block>| {
                let pre = stack.iter().any(|&b| p.n[b].tag == Tag::Pre);
                let text = if pre {
                    cur.trim_matches('\n').trim_end().to_string()
                } else {
                    collapse_keep_newlines(cur)
                };
                if !text.is_empty() {
                    let (kind, group, row) = block_kind(p, stack);
                    out.push(Block {
                        text,
                        link: *cur_link,
                        kind,
                        group,
                        row,
                    });
                }
                cur.clear();
                *cur_link = 0;
            };
        while i < end {
            while let Some(&top) = stack.last() {
                if i >= p.n[top].end {
                    flush(&stack, &mut cur, &mut cur_link, &mut out);
                    stack.pop();
                } else {
                    break;
                }
            }
            if a.skip[i] && i != r {
                i = p.n[i].end.max(i + 1);
                continue;
            }
            let t = p.n[i].tag;
            match t {
                Tag::Text => {
                    cur.push_str(p.n[i].text);
                    if a.in_link[i] {
                        cur_link += text_len(p.n[i].text);
                    }
                }
                Tag::Br => cur.push('\n'),
                t if t.is_block() => {
                    flush(&stack, &mut cur, &mut cur_link, &mut out);
                    stack.push(i);
                }
                _ => {}
            }
            i += 1;
        }
        while !stack.is_empty() {
            flush(&stack, &mut cur, &mut cur_link, &mut out);
            stack.pop();
        }
        flush(&stack, &mut cur, &mut cur_link, &mut out);
    }
    out
}

fn block_kind(p: &Page, stack: &[usize]) -> (Kind, usize, usize) {
    for (k, &b) in stack.iter().enumerate().rev() {
        match p.n[b].tag {
            Tag::H(_) => return (Kind::Heading, 0, 0),
            Tag::Pre => return (Kind::Pre, 0, 0),
            Tag::Li => {
                let list = stack[..k]
                    .iter()
                    .rev()
                    .find(|&&x| p.n[x].tag == Tag::List)
                    .copied()
                    .unwrap_or(b);
                return (Kind::Item, list, b);
            }
            Tag::Cell | Tag::Tr => {
                let row = stack[..=k]
                    .iter()
                    .rev()
                    .find(|&&x| p.n[x].tag == Tag::Tr)
                    .copied()
                    .unwrap_or(b);
                let table = stack[..k]
                    .iter()
                    .rev()
                    .find(|&&x| p.n[x].tag == Tag::Table)
                    .copied()
                    .unwrap_or(row);
                return (Kind::Cell, table, row);
            }
            Tag::P | Tag::Quote => return (Kind::Para, 0, 0),
            _ => {}
        }
    }
    (Kind::Para, 0, 0)
}

/// Collapses whitespace but keeps explicit line breaks (from `<br>`).
fn collapse_keep_newlines(s: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    for line in s.split('\n') {
        let c = collapse(line);
        if !c.is_empty() {
            lines.push(c);
        }
    }
    lines.join("\n")
}

/// Drops link-dense blocks (menus, related-article lists) and trailing
/// headings left without their section.
fn filter(blocks: Vec<Block>) -> Vec<Block> {
    // Whole lists/tables that are mostly links go.
    let mut group_tot: std::collections::HashMap<usize, (usize, usize)> = Default::default();
    for b in &blocks {
        if b.group != 0 {
            let e = group_tot.entry(b.group).or_default();
            e.0 += b.text.len();
            e.1 += b.link;
        }
    }
    let mut out: Vec<Block> = Vec::with_capacity(blocks.len());
    for b in blocks {
        let len = b.text.len().max(1);
        let ld = b.link as f32 / len as f32;
        if b.group != 0 {
            let (t, l) = group_tot[&b.group];
            if b.kind == Kind::Item && l * 10 > t * 6 {
                continue;
            }
        }
        if b.kind != Kind::Heading && ld > 0.6 && len < 300 {
            continue;
        }
        // A paragraph that is only a date stamp ("23.10.2018", "Stand:
        // 28.04.2020 18:00 Uhr") is page furniture; the date itself is
        // read into the metadata from the tree, not from these blocks.
        if b.kind == Kind::Para && len <= 40 && date_stamp(&b.text) {
            continue;
        }
        out.push(b);
    }
    // A short block that announces page chrome ("Related articles",
    // "Mehr zum Thema", "Über den Autor" ...) goes, with the short blocks
    // that follow it up to the next heading.
    let mut kept: Vec<Block> = Vec::with_capacity(out.len());
    let mut dropping = false;
    for b in out {
        if b.text.len() < 80 && chrome_phrase(&b.text) {
            dropping = true;
            continue;
        }
        if dropping {
            if b.kind == Kind::Heading || b.text.len() >= 200 {
                dropping = false;
            } else {
                continue;
            }
        }
        kept.push(b);
    }
    let mut out = kept;
    // Kicker and section labels above the headline ("Aktuell",
    // "Olympische Winterspiele", "2021-10-16 | Botschaft"): short lines
    // without a sentence, only before a heading among the first blocks.
    if let Some(h) = out.iter().take(3).position(|b| b.kind == Kind::Heading) {
        let label = |b: &Block| {
            let t = b.text.trim();
            b.kind != Kind::Heading
                && t.chars().count() <= 40
                && t.split_whitespace().count() <= 5
                && !t.ends_with(['.', '!', '?', ':', ','])
        };
        if h > 0 && out[..h].iter().all(label) {
            out.drain(..h);
        }
    }
    // Calls to action end many articles: follow us, subscribe, support
    // us, copyright notices. Only the last few short blocks are tested,
    // contiguously from the end, so the article's own mentions of
    // "Twitter" or "subscribers" are never at stake.
    let mut tested = 0;
    while tested < 4
        && out.last().is_some_and(|b| {
            b.text.len() <= 400 && b.kind != Kind::Heading && call_to_action(&b.text)
        })
    {
        out.pop();
        tested += 1;
    }
    // Short trailing headings lost their section ("Related", "Share");
    // a long one is text set as a heading (some blogs set whole
    // paragraphs in `<h3>`).
    while out
        .last()
        .is_some_and(|b| b.kind == Kind::Heading && b.text.len() < 100)
    {
        out.pop();
    }
    out
}

/// A short block that is nothing but a date (and time), with at most a
/// short label before it.
fn date_stamp(text: &str) -> bool {
    static R: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    const M: &str = "(?:jan\\w*|feb\\w*|mär\\w*|mar\\w*|apr\\w*|ma[iy]\\w*|jun\\w*|jul\\w*|aug\\w*|sep\\w*|o[ck]t\\w*|nov\\w*|de[cz]\\w*|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre|stycz\\w*|lut\\w*|marca|kwiet\\w*|maja|czerw\\w*|lip\\w*|sierp\\w*|wrze\\w*|październik\\w*|listopad\\w*|grud\\w*|janvier|février|mars|avril|juin|juillet|août|septembre|octobre|novembre|décembre)";
    R.get_or_init(|| {
        let p = format!(
            r"(?i)^[\w.: ]{{0,20}}?\s*(?:\d{{1,4}}[./-]\d{{1,2}}[./-]\d{{2,4}}|\d{{1,2}}\.? {M}\.? \d{{4}}|{M} \d{{1,2}},? \d{{4}})(?:[ ,|]*\d{{1,2}}:\d\d(?: uhr| h)?)?$"
        );
        regex::Regex::new(&p).expect("date stamp pattern")
    })
    .is_match(text.trim())
}

/// A closing call to action or rights notice (tested on at most a few
/// short blocks per page, so one regex is cheap).
fn call_to_action(text: &str) -> bool {
    static R: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    R.get_or_init(|| {
        regex::Regex::new(
            r"(?i)all rights reserved|written permission|\bsubscribe to\b|\bsubscribers?\b.*\b(log ?in|access)|suscr[ií]bete|\bfollow (us|@|the \w+ on)|s[ií]guenos|folg(e|t) uns|folgen sie uns|sign up (here|for|to)|newsletter abonnieren|jetzt abonnieren|abonnez-vous|zapisz się|obserwuj nas|canal de (youtube|telegram|whatsapp)|unterstütze|unterstützen sie|\bsupport (our|us)\b|apóyanos|únete|@\w+ on (twitter|facebook|instagram)|\bour app\b|lust auf mehr|advertise with|copyright ©|© ?\d{4}|hazte (miembro|socio)|cancela cuando quieras|nichts mehr (versäumen|verpassen)|if you enjoyed|not responsible for the opinions|consider supporting",
        )
        .expect("call-to-action pattern")
    })
    .is_match(text)
}

/// Headings and labels that introduce page chrome, in the languages of
/// the news dyad reads most (matched at the start of a short block).
fn chrome_phrase(text: &str) -> bool {
    const P: &[&str] = &[
        "related",
        "more on this",
        "more from",
        "read more",
        "read also",
        "see also",
        "you may also like",
        "you might also like",
        "recommended",
        "most read",
        "most popular",
        "about the author",
        "share this",
        "share on",
        "follow us",
        "sign up",
        "subscribe",
        "newsletter",
        "comments",
        "leave a comment",
        "leave a reply",
        "tags:",
        "tagged",
        "advertisement",
        "sponsored",
        "mehr zum thema",
        "weitere informationen",
        "weitere artikel",
        "weiterlesen",
        "das könnte sie auch",
        "auch interessant",
        "ähnliche",
        "verwandte",
        "über den autor",
        "über die autorin",
        "kontakt",
        "teilen",
        "kommentare",
        "kommentar schreiben",
        "schlagwörter",
        "anzeige",
        "werbung",
        "lesen sie auch",
        "mehr dazu",
        "zum thema",
        "à découvrir",
        "à lire aussi",
        "lire aussi",
        "sur le même sujet",
        "partager",
        "commentaires",
        "leer más",
        "lee también",
        "te puede interesar",
        "noticias relacionadas",
        "comparte",
        "zobacz też",
        "czytaj także",
        "czytaj też",
        "przeczytaj także",
        "więcej informacji",
        "udostępnij",
        "komentarze",
        "źródło:",
        // Teaser and credit labels seen at the ends of articles.
        "schon gelesen",
        "notas relacionadas",
        "contenido relacionado",
        "lo más visto",
        "lo mas visto",
        "inne artykuły",
        "podobne",
        "zobacz także",
        "vous aimerez aussi",
        "voir aussi",
        "weitere beiträge",
        "weitere aktuelle",
        "weitere tourentipps",
        "empfohlene beiträge",
        "zum weiterlesen",
        "das könnte dich",
        "könnte euch auch",
        "vorschau auf den nächsten",
        "mehr kolumnen",
        "möchten sie den artikel teilen",
        "artikel teilen",
        "seite teilen",
        "explore further",
        "photo credits",
        "temas",
        "also read",
        "read next",
        "more stories",
        "recent posts",
        "te recomendamos",
        "otras noticias",
        "también te puede",
        "articles similaires",
        "à lire également",
        "quelle:",
        "foto:",
        "fotos:",
        "aktualisiert am",
        "mehr themen",
        "weitere themen",
        "meistgelesen",
        "meist gesucht",
        "meistdiskutiert",
        "die redaktion empfiehlt",
        "noch mehr infos",
        "entdecke weitere",
        "lesetipp",
        "mehr zu ",
        "mehr zum",
        "themen im artikel",
        "das thema könnte",
        "kommentierte artikel",
        "schlagworte",
        "pressekontakt",
        "ansprechpartner",
        "über diese reihe",
        "artikel und videos",
        "en savoir plus",
        "crédits photo",
        "titelbild:",
        "beitragsbild",
        "bildquelle",
        "quellenangaben",
        "quellen ausblenden",
        "quicklinks",
        "unsere partner",
        "nos siga",
        "contexto de la noticia",
        "infos zum",
        "darstellung:",
        "zusatzinformationen",
        "empfehlungen aus",
        "stay up-to-date",
        "we need your help",
        "nota bene",
        "pour citer",
        "suggested citation",
        "diese folge zitieren",
        "lee además",
        "ver más",
        "ver también",
        "más información",
        "mehr informationen",
        "reklama",
        "veja também",
        "más sobre",
        "rezept drucken",
        "externer inhalt",
        "neueste artikel",
        "jede kleine spende",
        "gefällt dir unser",
        "like recipe",
        "release date:",
        "read further",
    ];
    let t = text.trim().to_lowercase();
    P.iter().any(|p| t.starts_with(p))
}

fn join(blocks: &[Block]) -> String {
    let mut s = String::new();
    let mut prev: Option<&Block> = None;
    for b in blocks {
        if let Some(pb) = prev {
            let sep = match (pb.kind, b.kind) {
                (Kind::Item, Kind::Item) if pb.group == b.group => "\n",
                (Kind::Cell, Kind::Cell) if pb.group == b.group && pb.row == b.row => "\t",
                (Kind::Cell, Kind::Cell) if pb.group == b.group => "\n",
                _ => "\n\n",
            };
            s.push_str(sep);
        }
        s.push_str(&b.text);
        prev = Some(b);
    }
    s
}

/// Extracts the article of an HTML page. `url` is where the page came
/// from, if known (used for the date and the site name).
pub fn extract(html: &str, url: Option<&str>) -> Article {
    let html = prepare(html, MAX_DEPTH);
    let doc = Html::parse_document(&html);
    let page = Page::build(&doc);
    let a = analyse(&page);
    let roots = content_roots(&page, &a);
    if std::env::var_os("DYAD_EXTRACT_DEBUG").is_some() {
        let body = (0..page.n.len()).find(|&i| page.n[i].tag == Tag::Body);
        eprintln!(
            "nodes {} body {:?} body-good {:?} doc-good {}",
            page.n.len(),
            body,
            body.map(|b| a.counts[b].good),
            a.counts[0].good
        );
        if let Ok(needle) = std::env::var("DYAD_EXTRACT_NEEDLE") {
            if let Some(t) = (0..page.n.len()).find(|&i| page.n[i].text.contains(&needle)) {
                let mut j = t;
                while j != 0 {
                    eprintln!(
                        "  {j} <{}> {:?} class={:?} skip={} good={}",
                        page.name(j),
                        page.n[j].tag,
                        page.attr(j, "class"),
                        a.skip[j],
                        a.counts[j].good
                    );
                    j = page.n[j].parent;
                }
            }
        }
        // The skipped elements that hold the most text.
        let mut big: Vec<usize> = (1..page.n.len())
            .filter(|&i| a.skip[i] && page.n[i].el.is_some())
            .collect();
        big.sort_by_key(|&i| std::cmp::Reverse(page.text_of(i).len()));
        for &i in big.iter().take(5) {
            eprintln!(
                "skipped {i} <{} class={:?} id={:?}> {} bytes",
                page.name(i),
                page.attr(i, "class"),
                page.attr(i, "id"),
                page.text_of(i).len()
            );
        }
        for &r in &roots {
            eprintln!(
                "root {r} <{} class={:?} id={:?}> good={} link={}",
                page.name(r),
                page.attr(r, "class"),
                page.attr(r, "id"),
                a.counts[r].good,
                a.counts[r].link
            );
        }
    }
    let blocks = filter(emit(&page, &a, &roots));
    let mut text = join(&blocks);
    let m = meta::collect(&page, &roots, url);
    // JSON-LD articleBody: a fallback when the page itself yields little.
    if let Some(body) = &m.body {
        if text.len() < 250 && body.len() > text.len() * 2 {
            text = body.clone();
        }
    }
    if text.len() < 100 {
        // Last resort: every non-chrome block of the body.
        let body = (0..page.n.len())
            .find(|&i| page.n[i].tag == Tag::Body)
            .unwrap_or(0);
        let all = join(&filter(emit(&page, &a, &[body])));
        if all.len() > text.len() {
            text = all;
        }
    }
    Article {
        title: m.title,
        standfirst: m.standfirst,
        byline: m.byline,
        date: m.date,
        language: m.language,
        site: m.site,
        url: m.url,
        text,
        removed: Vec::new(),
    }
}

#[cfg(test)]
mod tests;
