//! Page metadata: title, date, byline, site, canonical URL, language,
//! standfirst, and the JSON-LD `articleBody`.
//!
//! Sources, strongest first: JSON-LD (`NewsArticle`, `BlogPosting` ...),
//! `<meta>` (OpenGraph, `article:*`, Dublin Core, Parse.ly, Sailthru),
//! microdata (`itemprop`), `<time>`, the URL, and visible text
//! (datelines, "By ..." lines) as the last resort.

use super::{collapse, Page, Tag};
use regex::Regex;
use serde_json::Value;
use std::sync::OnceLock;

#[derive(Default, Debug)]
pub(super) struct Meta {
    pub title: Option<String>,
    pub standfirst: Option<String>,
    pub byline: Option<String>,
    pub date: Option<String>,
    pub language: Option<String>,
    pub site: Option<String>,
    pub url: Option<String>,
    pub body: Option<String>,
}

#[derive(Default)]
struct Ld {
    headline: Option<String>,
    date: Option<String>,
    created: Option<String>,
    modified: Option<String>,
    author: Option<String>,
    publisher: Option<String>,
    body: Option<String>,
    description: Option<String>,
    url: Option<String>,
}

fn ld_str(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Array(a) => a.iter().find_map(ld_str),
        Value::Object(o) => o
            .get("name")
            .and_then(ld_str)
            .or_else(|| o.get("@value").and_then(ld_str)),
        _ => None,
    }
}

fn ld_authors(v: &Value) -> Option<String> {
    let names: Vec<String> = match v {
        Value::Array(a) => a.iter().filter_map(ld_str).collect(),
        other => ld_str(other).into_iter().collect(),
    };
    let names: Vec<String> = names
        .into_iter()
        .map(|n| collapse(&n))
        .filter(|n| !n.is_empty() && !n.starts_with("http"))
        .collect();
    (!names.is_empty()).then(|| names.join("; "))
}

fn read_ld(src: &str, art: &mut Ld, page: &mut Ld) {
    let Ok(v) = serde_json::from_str::<Value>(src.trim()) else {
        return;
    };
    let mut stack: Vec<(&Value, usize)> = vec![(&v, 0)];
    while let Some((v, depth)) = stack.pop() {
        if depth > 16 {
            continue;
        }
        match v {
            Value::Array(a) => stack.extend(a.iter().rev().map(|x| (x, depth + 1))),
            Value::Object(o) => {
                if let Some(g) = o.get("@graph") {
                    stack.push((g, depth + 1));
                }
                let ty = o.get("@type").map(|t| match t {
                    Value::String(s) => s.clone(),
                    Value::Array(a) => a
                        .iter()
                        .filter_map(|x| x.as_str())
                        .collect::<Vec<_>>()
                        .join(" "),
                    _ => String::new(),
                });
                let Some(ty) = ty else { continue };
                let is_art = [
                    "Article",
                    "BlogPosting",
                    "Posting",
                    "Report",
                    "Review",
                    "Recipe",
                ]
                .iter()
                .any(|k| ty.contains(k));
                let is_page = ty.contains("WebPage");
                if !is_art && !is_page {
                    continue;
                }
                let dst = if is_art { &mut *art } else { &mut *page };
                let set = |slot: &mut Option<String>, key: &str| {
                    if slot.is_none() {
                        *slot = o.get(key).and_then(ld_str).filter(|s| !s.trim().is_empty());
                    }
                };
                set(&mut dst.headline, "headline");
                if dst.headline.is_none() && is_art {
                    set(&mut dst.headline, "name");
                }
                set(&mut dst.date, "datePublished");
                set(&mut dst.created, "dateCreated");
                set(&mut dst.modified, "dateModified");
                set(&mut dst.body, "articleBody");
                set(&mut dst.description, "description");
                set(&mut dst.url, "url");
                if dst.author.is_none() {
                    dst.author = o
                        .get("author")
                        .or_else(|| o.get("creator"))
                        .and_then(ld_authors);
                }
                if dst.publisher.is_none() {
                    dst.publisher = o.get("publisher").and_then(ld_str);
                }
                // Nested articles (mainEntity, hasPart ...).
                for key in [
                    "mainEntity",
                    "mainEntityOfPage",
                    "hasPart",
                    "itemListElement",
                ] {
                    if let Some(x) = o.get(key) {
                        if x.is_object() || x.is_array() {
                            stack.push((x, depth + 1));
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

/// `YYYY-MM-DD` if the numbers make a plausible publication date.
fn ymd(y: i32, m: u32, d: u32) -> Option<String> {
    let days = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    ((1995..=2035).contains(&y) && (1..=12).contains(&m) && d >= 1 && d <= days[m as usize - 1])
        .then(|| format!("{y:04}-{m:02}-{d:02}"))
}

fn month(name: &str) -> Option<u32> {
    let n = name.to_lowercase();
    let n = n.trim_end_matches('.');
    const M: &[(&str, u32)] = &[
        ("january", 1),
        ("januar", 1),
        ("jänner", 1),
        ("janvier", 1),
        ("enero", 1),
        ("stycznia", 1),
        ("february", 2),
        ("februar", 2),
        ("février", 2),
        ("feber", 2),
        ("febrero", 2),
        ("lutego", 2),
        ("march", 3),
        ("märz", 3),
        ("mars", 3),
        ("marzo", 3),
        ("marca", 3),
        ("april", 4),
        ("avril", 4),
        ("abril", 4),
        ("kwietnia", 4),
        ("may", 5),
        ("mai", 5),
        ("mayo", 5),
        ("maja", 5),
        ("june", 6),
        ("juni", 6),
        ("juin", 6),
        ("junio", 6),
        ("czerwca", 6),
        ("july", 7),
        ("juli", 7),
        ("juillet", 7),
        ("julio", 7),
        ("lipca", 7),
        ("august", 8),
        ("août", 8),
        ("agosto", 8),
        ("sierpnia", 8),
        ("september", 9),
        ("septembre", 9),
        ("septiembre", 9),
        ("września", 9),
        ("october", 10),
        ("oktober", 10),
        ("octobre", 10),
        ("octubre", 10),
        ("października", 10),
        ("november", 11),
        ("novembre", 11),
        ("noviembre", 11),
        ("listopada", 11),
        ("december", 12),
        ("dezember", 12),
        ("décembre", 12),
        ("diciembre", 12),
        ("grudnia", 12),
    ];
    if let Some((_, m)) = M.iter().find(|(k, _)| *k == n) {
        return Some(*m);
    }
    if n.chars().count() >= 3 {
        let p: String = n.chars().take(3).collect();
        const A: &[(&str, u32)] = &[
            ("jan", 1),
            ("feb", 2),
            ("mar", 3),
            ("mär", 3),
            ("apr", 4),
            ("may", 5),
            ("mai", 5),
            ("jun", 6),
            ("jul", 7),
            ("aug", 8),
            ("sep", 9),
            ("okt", 10),
            ("oct", 10),
            ("nov", 11),
            ("dec", 12),
            ("dez", 12),
        ];
        if n.chars().count() <= 5 || n.starts_with("sept") {
            return A.iter().find(|(k, _)| *k == p).map(|(_, m)| *m);
        }
    }
    None
}

struct DateRes {
    iso: Regex,
    dmy_dot: Regex,
    d_month_y: Regex,
    month_d_y: Regex,
    slash: Regex,
}

fn res() -> &'static DateRes {
    static R: OnceLock<DateRes> = OnceLock::new();
    R.get_or_init(|| DateRes {
        iso: Regex::new(r"(?:^|[^\d])((?:19|20)\d\d)[-/.](\d{1,2})[-/.](\d{1,2})(?:[^\d]|$)").expect("re"),
        dmy_dot: Regex::new(r"\b(\d{1,2})\.\s?(\d{1,2})\.\s?((?:19|20)?\d\d)\b").expect("re"),
        d_month_y: Regex::new(r"(?i)\b(\d{1,2})(?:\.|st|nd|rd|th)?\s+(?:de\s+)?([[:alpha:]]{3,12}\.?),?\s+(?:de\s+)?((?:19|20)\d\d)\b").expect("re"),
        month_d_y: Regex::new(r"(?i)\b([[:alpha:]]{3,12}\.?)\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+((?:19|20)\d\d)\b").expect("re"),
        slash: Regex::new(r"\b(\d{1,2})/(\d{1,2})/((?:19|20)\d\d)\b").expect("re"),
    })
}

/// Parses the first date in `s` (ISO, `D.M.YYYY`, `D Month YYYY`,
/// `Month D, YYYY` in English, German, French, Spanish, Polish; `M/D/YYYY`)
/// to `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<String> {
    let r = res();
    let mut best: Option<(usize, String)> = None;
    let mut consider = |pos: usize, v: Option<String>| {
        if let Some(v) = v {
            if best.as_ref().is_none_or(|(p, _)| pos < *p) {
                best = Some((pos, v));
            }
        }
    };
    if let Some(c) = r.iso.captures(s) {
        let pos = c.get(0).map_or(0, |m| m.start());
        consider(
            pos,
            ymd(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?),
        );
    }
    if let Some(c) = r.dmy_dot.captures(s) {
        let mut y: i32 = c[3].parse().ok()?;
        if y < 100 {
            y += 2000;
        }
        consider(
            c.get(0).map_or(0, |m| m.start()),
            ymd(y, c[2].parse().ok()?, c[1].parse().ok()?),
        );
    }
    for c in r.d_month_y.captures_iter(s) {
        if let Some(m) = month(&c[2]) {
            consider(
                c.get(0).map_or(0, |m| m.start()),
                ymd(c[3].parse().ok()?, m, c[1].parse().ok()?),
            );
            break;
        }
    }
    for c in r.month_d_y.captures_iter(s) {
        if let Some(m) = month(&c[1]) {
            consider(
                c.get(0).map_or(0, |m| m.start()),
                ymd(c[3].parse().ok()?, m, c[2].parse().ok()?),
            );
            break;
        }
    }
    if let Some(c) = r.slash.captures(s) {
        let a: u32 = c[1].parse().ok()?;
        let b: u32 = c[2].parse().ok()?;
        let y: i32 = c[3].parse().ok()?;
        let v = if a > 12 { ymd(y, b, a) } else { ymd(y, a, b) };
        consider(c.get(0).map_or(0, |m| m.start()), v);
    }
    best.map(|(_, v)| v)
}

/// A date in a URL path (`/2019/08/02/`, `/2019-08-02-`, `/20190802/`).
pub fn url_date(url: &str) -> Option<String> {
    static R: OnceLock<Regex> = OnceLock::new();
    let r = R.get_or_init(|| {
        Regex::new(
            r"[/_-]((?:19|20)\d\d)[/_-]?(0[1-9]|1[0-2])[/_-]?(0[1-9]|[12]\d|3[01])(?:[/_.-]|$)",
        )
        .expect("re")
    });
    let path = url.split_once("://").map_or(url, |(_, p)| p);
    let c = r.captures(path)?;
    ymd(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?)
}

/// The publication date of an HTML page, if any (for callers that only
/// need the date).
pub fn find_date(html: &str, url: Option<&str>) -> Option<String> {
    let doc = scraper::Html::parse_document(html);
    let page = Page::build(&doc);
    collect(&page, &[], url).date
}

const SEPARATORS: &[&str] = &[
    " | ", " - ", " – ", " — ", " :: ", " » ", " « ", " · ", " • ", " ~ ", " / ",
];

fn norm_key(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(|c| c.to_lowercase())
        .collect()
}

/// Removes a site-name prefix or suffix from a page title.
fn clean_title(t: &str, site: Option<&str>, host: Option<&str>) -> String {
    let t = collapse(t);
    let Some(sep) = SEPARATORS.iter().find(|s| t.contains(*s)) else {
        return t;
    };
    let mut parts: Vec<&str> = t.split(sep).collect();
    let site_key = site.map(norm_key).unwrap_or_default();
    let host_key = host.map(norm_key).unwrap_or_default();
    let is_site = |p: &str| {
        let k = norm_key(p);
        !k.is_empty()
            && ((!site_key.is_empty() && (site_key.contains(&k) || k.contains(&site_key)))
                || (!host_key.is_empty() && (host_key.contains(&k) || k.contains(&host_key))))
    };
    while parts.len() > 1 {
        let last = parts[parts.len() - 1];
        let rest: usize = parts[..parts.len() - 1].iter().map(|p| p.len()).sum();
        if is_site(last) || (last.split_whitespace().count() <= 3 && last.len() * 2 < rest) {
            parts.pop();
            continue;
        }
        if is_site(parts[0]) {
            parts.remove(0);
            continue;
        }
        break;
    }
    parts.join(sep)
}

fn clean_author(s: &str) -> Option<String> {
    let mut a = collapse(s);
    for p in [
        "written by ",
        "posted by ",
        "by ",
        "von ",
        "autor: ",
        "autorin: ",
        "author: ",
        "text: ",
        "par ",
    ] {
        if a.to_lowercase().starts_with(p) {
            a = a[p.len()..].trim().to_string();
        }
    }
    let a = a
        .trim_matches(|c: char| c == '|' || c == ',' || c == ':' || c.is_whitespace())
        .to_string();
    let words = a.split_whitespace().count();
    (!a.is_empty() && a.len() <= 80 && words <= 8 && !a.contains("http") && !a.contains('@'))
        .then_some(a)
}

fn host_of(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let host = rest.split(['/', '?', '#', ':']).next()?;
    let host = host.trim_start_matches("www.");
    (!host.is_empty()).then(|| host.to_string())
}

pub(super) fn collect(p: &Page, roots: &[usize], url: Option<&str>) -> Meta {
    let mut metas: Vec<(String, &str)> = Vec::new();
    let mut art = Ld::default();
    let mut pg = Ld::default();
    let mut title_tag: Option<String> = None;
    let mut h1s: Vec<(usize, String)> = Vec::new();
    let mut canonical: Option<String> = None;
    let mut lang: Option<String> = None;
    let mut times: Vec<(usize, String, bool)> = Vec::new();
    let mut micro_date: Option<String> = None;
    let mut micro_author: Option<String> = None;
    let mut rel_author: Option<String> = None;
    let mut class_dates: Vec<String> = Vec::new();
    let mut class_authors: Vec<String> = Vec::new();
    for i in 0..p.n.len() {
        let Some(e) = p.n[i].el else { continue };
        let name = e.name();
        match name {
            "meta" => {
                let key = e
                    .attr("property")
                    .or_else(|| e.attr("name"))
                    .or_else(|| e.attr("itemprop"))
                    .or_else(|| e.attr("http-equiv"));
                if let (Some(k), Some(c)) = (key, e.attr("content")) {
                    metas.push((k.to_ascii_lowercase(), c));
                }
            }
            "link" => {
                let rel = e.attr("rel").unwrap_or("").to_ascii_lowercase();
                if rel.split_whitespace().any(|r| r == "canonical") && canonical.is_none() {
                    canonical = e.attr("href").map(str::to_string);
                }
            }
            "script"
                if e.attr("type")
                    .is_some_and(|t| t.to_ascii_lowercase().contains("ld+json")) =>
            {
                let mut s = String::new();
                for j in i + 1..p.n[i].end {
                    s.push_str(p.n[j].text);
                }
                read_ld(&s, &mut art, &mut pg);
            }
            "title" if title_tag.is_none() => {
                let t = p.text_of(i);
                if !t.is_empty() {
                    title_tag = Some(t);
                }
            }
            "html" if lang.is_none() => {
                lang = e
                    .attr("lang")
                    .or_else(|| e.attr("xml:lang"))
                    .map(str::to_string)
            }
            "h1" if h1s.len() < 8 => {
                let t = p.text_of(i);
                if !t.is_empty() {
                    h1s.push((i, t));
                }
            }
            "time" if times.len() < 16 => {
                let v = e
                    .attr("datetime")
                    .map(str::to_string)
                    .unwrap_or_else(|| p.text_of(i));
                let pubdate = e.attr("pubdate").is_some()
                    || e.attr("itemprop")
                        .is_some_and(|x| x.contains("datePublished"))
                    || e.attr("class").is_some_and(|c| {
                        let c = c.to_ascii_lowercase();
                        c.contains("publish") || c.contains("entry-date") || c.contains("post-date")
                    });
                times.push((i, v, pubdate));
            }
            "a" if rel_author.is_none()
                && e.attr("rel").is_some_and(|r| {
                    r.to_ascii_lowercase()
                        .split_whitespace()
                        .any(|x| x == "author")
                }) =>
            {
                rel_author = clean_author(&p.text_of(i));
            }
            _ => {}
        }
        if let Some(ip) = e.attr("itemprop") {
            if micro_date.is_none() && ip.contains("datePublished") {
                micro_date = e
                    .attr("content")
                    .or_else(|| e.attr("datetime"))
                    .map(str::to_string)
                    .or_else(|| Some(p.text_of(i)));
            }
            if micro_author.is_none()
                && ip
                    .split_whitespace()
                    .any(|x| x == "author" || x == "creator")
            {
                let t = e.attr("content").map(str::to_string).unwrap_or_else(|| {
                    // Prefer a nested itemprop=name.
                    (i + 1..p.n[i].end)
                        .find(|&j| p.attr(j, "itemprop") == Some("name"))
                        .map(|j| {
                            p.attr(j, "content")
                                .map(str::to_string)
                                .unwrap_or_else(|| p.text_of(j))
                        })
                        .unwrap_or_else(|| p.text_of(i))
                });
                micro_author = clean_author(&t);
            }
        }
        // Small subtrees only: a `class="author-page"` on a wrapper must not
        // cost a walk of the whole page.
        if p.n[i].tag != Tag::Drop && p.n[i].end - i < 40 {
            let cls = format!(
                "{} {}",
                e.attr("class").unwrap_or(""),
                e.attr("id").unwrap_or("")
            )
            .to_ascii_lowercase();
            if cls.len() > 1 {
                if class_dates.len() < 12
                    && [
                        "date", "time", "publish", "posted", "meta", "byline", "datum", "info",
                    ]
                    .iter()
                    .any(|k| cls.contains(k))
                    && !cls.contains("comment")
                {
                    let t = p.text_of(i);
                    if t.len() < 200 {
                        class_dates.push(t);
                    }
                }
                if class_authors.len() < 8
                    && ["author", "byline", "autor", "writer"]
                        .iter()
                        .any(|k| cls.contains(k))
                    && !cls.contains("comment")
                {
                    let t = p.text_of(i);
                    if let Some(a) = clean_author(&t) {
                        class_authors.push(a);
                    }
                }
            }
        }
    }
    let meta = |keys: &[&str]| -> Option<String> {
        keys.iter().find_map(|k| {
            metas
                .iter()
                .find(|(mk, v)| mk == k && !v.trim().is_empty())
                .map(|(_, v)| collapse(v))
        })
    };

    let page_url = canonical
        .clone()
        .filter(|c| c.starts_with("http"))
        .or_else(|| meta(&["og:url"]).filter(|c| c.starts_with("http")))
        .or_else(|| url.map(str::to_string));
    let host = page_url
        .as_deref()
        .and_then(host_of)
        .or_else(|| url.and_then(host_of));
    let site = meta(&["og:site_name", "application-name", "twitter:site"])
        .filter(|s| !s.starts_with('@') || s.len() > 1)
        .map(|s| s.trim_start_matches('@').to_string())
        .or_else(|| art.publisher.clone())
        .or_else(|| pg.publisher.clone())
        .or_else(|| host.clone());

    // Title.
    let main_h1 = h1s
        .iter()
        .find(|(i, _)| roots.iter().any(|&r| r <= *i && *i < p.n[r].end))
        .or_else(|| h1s.first())
        .map(|(_, t)| t.clone());
    let full = meta(&["og:title", "twitter:title"])
        .or_else(|| art.headline.clone())
        .or_else(|| title_tag.clone());
    let title = match (&main_h1, &full) {
        (Some(h), Some(f)) if norm_key(f).contains(&norm_key(h)) && norm_key(h).len() >= 4 => {
            Some(h.clone())
        }
        (Some(h), None) => Some(h.clone()),
        (_, Some(f)) => Some(clean_title(f, site.as_deref(), host.as_deref())),
        (None, None) => None,
    }
    .filter(|t| !t.is_empty());

    // Date.
    let date = art
        .date
        .as_deref()
        .and_then(parse_date)
        .or_else(|| {
            meta(&[
                "article:published_time",
                "og:article:published_time",
                "article:published",
                "datepublished",
                "pubdate",
                "publishdate",
                "publish-date",
                "publish_date",
                "published_time",
                "published-date",
                "dc.date.issued",
                "dc.date",
                "dcterms.date",
                "dcterms.issued",
                "dcterms.created",
                "dc.date.created",
                "sailthru.date",
                "parsely-pub-date",
                "article.published",
                "citation_publication_date",
                "originalpublicationdate",
                "og:published_time",
                "date",
                "release_date",
                "created",
            ])
            .as_deref()
            .and_then(parse_date)
        })
        .or_else(|| micro_date.as_deref().and_then(parse_date))
        .or_else(|| art.created.as_deref().and_then(parse_date))
        .or_else(|| pg.date.as_deref().and_then(parse_date))
        .or_else(|| times.iter().filter(|t| t.2).find_map(|t| parse_date(&t.1)))
        .or_else(|| times.iter().find_map(|t| parse_date(&t.1)))
        .or_else(|| page_url.as_deref().and_then(url_date))
        .or_else(|| url.and_then(url_date))
        .or_else(|| class_dates.iter().find_map(|t| parse_date(t)))
        .or_else(|| {
            // Visible dateline near the top of the content.
            roots.first().and_then(|&r| {
                let t = p.text_of(r);
                let head: String = t.chars().take(600).collect();
                parse_date(&head)
            })
        })
        .or_else(|| {
            meta(&[
                "article:modified_time",
                "og:updated_time",
                "dcterms.modified",
                "last-modified",
            ])
            .as_deref()
            .and_then(parse_date)
        })
        .or_else(|| art.modified.as_deref().and_then(parse_date));

    let byline = art
        .author
        .clone()
        .and_then(|a| clean_author(&a))
        .or_else(|| {
            meta(&[
                "author",
                "article:author",
                "dc.creator",
                "byl",
                "parsely-author",
                "sailthru.author",
                "dcterms.creator",
            ])
            .filter(|a| !a.starts_with("http"))
            .and_then(|a| clean_author(&a))
        })
        .or(micro_author)
        .or(rel_author)
        .or_else(|| class_authors.into_iter().next());

    let language = lang
        .or_else(|| meta(&["og:locale", "content-language", "language", "dc.language"]))
        .map(|l| l.trim().to_ascii_lowercase())
        .and_then(|l| {
            let code: String = l.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
            (code.len() == 2 || code.len() == 3).then_some(code)
        });

    let standfirst = meta(&["og:description", "description", "twitter:description"])
        .or_else(|| art.description.clone().map(|d| collapse(&d)))
        .filter(|s| s.len() >= 20);

    Meta {
        title,
        standfirst,
        byline,
        date,
        language,
        site,
        url: page_url.or(art.url),
        body: art.body.map(|b| b.trim().to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_many_formats() {
        assert_eq!(
            parse_date("2019-08-02T10:00:00+02:00").as_deref(),
            Some("2019-08-02")
        );
        assert_eq!(
            parse_date("am 31.01.2020 um 10 Uhr").as_deref(),
            Some("2020-01-31")
        );
        assert_eq!(
            parse_date("Veröffentlicht: 2. August 2019").as_deref(),
            Some("2019-08-02")
        );
        assert_eq!(
            parse_date("Posted on March 5th, 2014 by x").as_deref(),
            Some("2014-03-05")
        );
        assert_eq!(parse_date("17 May 2018").as_deref(), Some("2018-05-17"));
        assert_eq!(parse_date("12/24/2015").as_deref(), Some("2015-12-24"));
        assert_eq!(parse_date("no date here 1234"), None);
        assert_eq!(parse_date("2019-13-45"), None);
    }

    #[test]
    fn url_dates() {
        assert_eq!(
            url_date("https://x.org/2012/05/31/slug/").as_deref(),
            Some("2012-05-31")
        );
        assert_eq!(
            url_date("https://x.org/news/20190802/slug").as_deref(),
            Some("2019-08-02")
        );
        assert_eq!(url_date("https://x.org/item/123456789"), None);
    }

    #[test]
    fn title_suffixes() {
        assert_eq!(
            clean_title(
                "Big news today | Example Times",
                Some("Example Times"),
                None
            ),
            "Big news today"
        );
        assert_eq!(
            clean_title(
                "Example - Big news about many things",
                None,
                Some("example.com")
            ),
            "Big news about many things"
        );
        assert_eq!(
            clean_title("Left - right: a debate", None, None),
            "Left - right: a debate"
        );
    }

    #[test]
    fn authors() {
        assert_eq!(clean_author("By Jane Doe").as_deref(), Some("Jane Doe"));
        assert_eq!(clean_author("http://x.org/jane"), None);
    }
}
