//! Actor mentions and in-document coreference.
//!
//! Mentions are found by matching the dictionaries' phrases over tokens
//! ("atoms": a country, a sector noun, an organisation, a known leader),
//! then grouping adjacent atoms, names and modifiers into noun phrases
//! ("Russian President Vladimir Putin", "Syria's government", "the
//! president of Armenia"). A group's code is composed from its atoms:
//! country (or organisation) + sector, a leader's office at the document
//! date, ELI for former officials. Coreference then links bare surnames,
//! definite descriptions ("the Russian leader"), plural descriptions ("the
//! two leaders") and pronouns to chains.

use crate::dict::{Atom, CountryForm, Dictionaries};
use crate::view::{Tk, View};
use std::collections::HashMap;
use std::ops::Range;

/// What a mention is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A named person ("Vladimir Putin", "Assad").
    Person,
    /// An organisation, metonym or a sector description ("the army").
    Org,
    /// A country by name or capital.
    Place,
    /// A country adjective alone ("Russian").
    Norp,
    /// A pronoun (he, she, it, they ...).
    Pronoun,
}

/// One actor mention.
#[derive(Debug, Clone)]
pub struct Mention {
    pub toks: Range<usize>,
    /// Byte span in the text.
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
    /// Actor code once resolved.
    pub code: Option<String>,
    /// Person name as written, for chaining.
    pub name: Option<String>,
    pub chain: Option<usize>,
    /// Several chains for plural anaphors ("the two leaders").
    pub refs: Vec<usize>,
    pub plural: bool,
    /// The country part of the mention, when known.
    pub iso: Option<String>,
    /// The mention carries an explicit title ("President", "spokesman").
    pub titled: bool,
    /// Sentence index.
    pub sent: usize,
}

/// A coreference chain.
#[derive(Debug, Clone, Default)]
pub struct Chain {
    pub code: Option<String>,
    pub canonical: Option<String>,
    pub person: bool,
    /// Whether the code came from an explicit title (wins over others).
    pub titled: bool,
}

/// Mentions and chains of a document.
#[derive(Debug, Clone, Default)]
pub struct Actors {
    pub mentions: Vec<Mention>,
    pub chains: Vec<Chain>,
    /// Token index -> mention index.
    pub by_token: HashMap<usize, usize>,
}

impl Actors {
    /// The mention covering token `i`.
    pub fn at(&self, i: usize) -> Option<usize> {
        self.by_token.get(&i).copied()
    }
    /// The resolved code of a mention (through its chain).
    pub fn code(&self, m: usize) -> Option<String> {
        let me = &self.mentions[m];
        if let Some(c) = me.chain {
            if let Some(code) = &self.chains[c].code {
                return Some(code.clone());
            }
        }
        me.code.clone()
    }
    /// The canonical name of a mention's chain.
    pub fn canonical(&self, m: usize) -> Option<String> {
        self.mentions[m]
            .chain
            .and_then(|c| self.chains[c].canonical.clone())
    }
}

#[derive(Debug, Clone)]
struct Hit {
    toks: Range<usize>,
    atoms: Vec<Atom>,
}

const PRONOUNS_PER: &[&str] = &["he", "him", "his", "she", "her", "himself", "herself"];
const PRONOUNS_IT: &[&str] = &["it", "its", "itself"];
const PRONOUNS_THEY: &[&str] = &["they", "them", "their", "themselves"];
const ELI_MODS: &[&str] = &[
    "former", "ousted", "ex", "ex-", "deposed", "exiled", "toppled",
];
const NAME_PARTICLES: &[&str] = &[
    "al", "el", "de", "bin", "ibn", "van", "von", "da", "di", "der", "la", "le", "-", "abu",
];
const MODIFIERS: &[&str] = &[
    "special",
    "senior",
    "top",
    "chief",
    "deputy",
    "acting",
    "interim",
    "new",
    "military",
    "armed",
    "security",
    "foreign",
    "peacekeeping",
    "presidential",
    "official",
    "state-owned",
    "national",
    "local",
    "regional",
    "provincial",
    "federal",
    "coalition",
    "joint",
    "government",
    "ruling",
    "main",
    "elite",
    "ethnic",
    "defense",
    "defence",
    "foreign-ministry",
    "naval",
    "border",
    "riot",
];
const FUNCTION: &[&str] = &[
    "the", "a", "an", "and", "or", "but", "of", "to", "in", "on", "at", "by", "for", "with",
    "from", "that", "which", "who", "whom", "this", "these", "those", "is", "are", "was", "were",
    "be", "been", "has", "have", "had", "will", "would", "could", "may", "might", "said", "says",
    "not", "as", "than", "after", "before", "since", "during", "into", "over", "under", "about",
    "its", "their", "his", "her", "also", "it", "they", "he", "she", "against", "between", "while",
    "if",
];

fn entries_for(d: &Dictionaries, toks: &[Tk], r: Range<usize>, text: &str) -> Option<Vec<Atom>> {
    let mut k = String::new();
    for i in r.clone() {
        if i > r.start && toks[i].start > toks[i - 1].end {
            k.push(' ');
        }
        // ASCII tokens: the lower-cased text is already the key.
        if toks[i].text.is_ascii() {
            k.push_str(&toks[i].lower);
        } else {
            k.push_str(&crate::dict::key(&toks[i].text));
        }
    }
    let es = d.lookup(&k);
    if es.is_empty() {
        return None;
    }
    let mut surface = String::new();
    for i in r.clone() {
        if i > r.start && toks[i].start > toks[i - 1].end {
            surface.push(' ');
        }
        surface.push_str(
            text.get(toks[i].start..toks[i].end)
                .unwrap_or(&toks[i].text),
        );
    }
    let first_up = surface.chars().next().is_some_and(|c| c.is_uppercase());
    let no_lower = !surface.chars().any(|c| c.is_lowercase());
    let atoms: Vec<Atom> = es
        .iter()
        .filter(|e| (!e.case_sensitive || no_lower) && (!e.proper || first_up))
        .map(|e| e.atom.clone())
        .collect();
    if atoms.is_empty() {
        None
    } else {
        Some(atoms)
    }
}

/// Finds dictionary atoms in a sentence, longest match first.
fn atoms(
    d: &Dictionaries,
    v: &View,
    sent: Range<usize>,
    text: &str,
    full_names: &[String],
) -> Vec<Hit> {
    let mut out = Vec::new();
    let mut i = sent.start;
    let maxw = d.max_words.max(1);
    while i < sent.end {
        let mut found = None;
        let hi = (i + maxw).min(sent.end);
        for j in (i + 1..=hi).rev() {
            if let Some(a) = entries_for(d, &v.toks, i..j, text) {
                found = Some((j, a));
                break;
            }
        }
        match found {
            Some((j, mut a)) => {
                // Short surname aliases ("Xi", "Ban") only count when the
                // full name occurs in the document.
                a.retain(|at| match at {
                    Atom::Leader { rows, full: false }
                        if j - i == 1 && v.toks[i].text.chars().count() <= 3 =>
                    {
                        rows.first()
                            .is_some_and(|&r| full_names.contains(&d.leaders[r].name))
                    }
                    _ => true,
                });
                if !a.is_empty() {
                    out.push(Hit {
                        toks: i..j,
                        atoms: a,
                    });
                }
                i = j;
            }
            None => i += 1,
        }
    }
    out
}

fn is_name_tok(t: &Tk, sent_start: bool) -> bool {
    if t.upos == "PROPN" {
        return true;
    }
    if !t.upos.is_empty() && t.upos != "X" && t.upos != "NOUN" {
        return false;
    }
    t.is_cap()
        && t.text.chars().any(|c| c.is_lowercase())
        && !sent_start
        && !FUNCTION.contains(&t.lower.as_str())
}

fn filler_ok(t: &Tk) -> bool {
    if FUNCTION.contains(&t.lower.as_str()) || t.is_punct() {
        return false;
    }
    if !t.upos.is_empty() {
        return matches!(t.upos.as_str(), "ADJ" | "NOUN" | "PROPN" | "NUM");
    }
    // No tagger: accept lower-case words that do not look like verbs.
    !(t.lower.ends_with("ed") && t.lower.len() > 4)
}

/// Builds mentions for the whole document.
pub fn find(
    d: &Dictionaries,
    v: &View,
    text: &str,
    date: Option<&str>,
    ner: &[(usize, usize, String)],
    is_trigger: &dyn Fn(&str) -> bool,
) -> Actors {
    let low = text.to_lowercase();
    let full_names: Vec<String> = d
        .leaders
        .iter()
        .filter(|l| low.contains(&l.name.to_lowercase()))
        .map(|l| l.name.clone())
        .collect();
    let mut mentions = Vec::new();
    for (si, sent) in v.sents.iter().enumerate() {
        let _ = si;
        let hits = atoms(d, v, sent.clone(), text, &full_names);
        let mut covered = vec![false; sent.end - sent.start];
        let mut k = 0;
        while k < hits.len() {
            let (m, next) = group(d, v, sent.clone(), &hits, k, date, is_trigger);
            for i in m.toks.clone() {
                covered[i - sent.start] = true;
            }
            mentions.push(m);
            k = next;
        }
        // Pronouns and NER persons not covered by a dictionary group.
        for i in sent.clone() {
            if covered[i - sent.start] {
                continue;
            }
            let t = &v.toks[i];
            let pron = PRONOUNS_PER.contains(&t.lower.as_str())
                || PRONOUNS_IT.contains(&t.lower.as_str())
                || PRONOUNS_THEY.contains(&t.lower.as_str());
            if pron && (t.upos.is_empty() || t.upos == "PRON" || t.upos == "DET") {
                mentions.push(Mention {
                    toks: i..i + 1,
                    start: t.start,
                    end: t.end,
                    kind: Kind::Pronoun,
                    code: None,
                    name: Some(t.lower.clone()),
                    chain: None,
                    refs: Vec::new(),
                    plural: PRONOUNS_THEY.contains(&t.lower.as_str()),
                    iso: None,
                    titled: false,
                    sent: 0,
                });
            }
        }
        // `ner` is sorted by start: only this sentence's entities.
        let (b0, b1) = if sent.is_empty() {
            (0, 0)
        } else {
            (v.toks[sent.start].start, v.toks[sent.end - 1].end)
        };
        let lo = ner.partition_point(|x| x.0 < b0);
        let hi = ner.partition_point(|x| x.0 < b1).max(lo);
        for (s, e, label) in &ner[lo..hi] {
            if label != "PER" {
                continue;
            }
            let r: Vec<usize> = sent
                .clone()
                .filter(|&i| v.toks[i].start >= *s && v.toks[i].end <= *e)
                .collect();
            if r.is_empty() || r.iter().any(|&i| covered[i - sent.start]) {
                continue;
            }
            let (a, b) = (r[0], r[r.len() - 1] + 1);
            mentions.push(Mention {
                toks: a..b,
                start: v.toks[a].start,
                end: v.toks[b - 1].end,
                kind: Kind::Person,
                code: None,
                name: Some(text[v.toks[a].start..v.toks[b - 1].end].to_string()),
                chain: None,
                refs: Vec::new(),
                plural: false,
                iso: None,
                titled: false,
                sent: 0,
            });
        }
    }
    mentions.sort_by_key(|m| m.toks.start);
    for m in &mut mentions {
        m.sent = v.sent_of(m.toks.start);
    }
    let mut actors = Actors {
        mentions,
        ..Default::default()
    };
    link(&mut actors, v, d, date);
    for (mi, m) in actors.mentions.iter().enumerate() {
        for i in m.toks.clone() {
            actors.by_token.entry(i).or_insert(mi);
        }
    }
    actors
}

/// Groups atoms starting at hit `k` into one mention; returns it and the
/// index of the next unused hit.
fn group(
    d: &Dictionaries,
    v: &View,
    sent: Range<usize>,
    hits: &[Hit],
    k: usize,
    date: Option<&str>,
    is_trigger: &dyn Fn(&str) -> bool,
) -> (Mention, usize) {
    let toks = &v.toks;
    let mut start = hits[k].toks.start;
    // Left modifiers: "former", "the", "two".
    let mut eli = false;
    let mut definite = false;
    let mut number_two = false;
    let mut s = start;
    while s > sent.start {
        let t = &toks[s - 1];
        if ELI_MODS.contains(&t.lower.as_str()) {
            eli = true;
            s -= 1;
        } else if matches!(t.lower.as_str(), "two" | "both") {
            number_two = true;
            s -= 1;
        } else if matches!(t.lower.as_str(), "the") {
            definite = true;
            s -= 1;
            break;
        } else if filler_ok(t) && !t.is_cap() && t.upos != "NUM" && s - 1 > sent.start && {
            // "the two foreign ministers": one adjective after the
            // determiner, an elite modifier or a count.
            let p = &toks[s - 2];
            matches!(p.lower.as_str(), "the" | "two" | "both")
                || ELI_MODS.contains(&p.lower.as_str())
        } {
            s -= 1;
        } else {
            break;
        }
    }
    if s < start {
        start = s;
    }
    let mut parts: Vec<(Range<usize>, Vec<Atom>, bool)> =
        vec![(hits[k].toks.clone(), hits[k].atoms.clone(), false)];
    let mut end = hits[k].toks.end;
    let mut next = k + 1;
    let mut after_of = false;
    let mut name_toks: Vec<usize> = Vec::new();
    loop {
        // Next hit directly adjacent, or after linkers/fillers/names.
        let mut j = end;
        let mut saw_of = false;
        let mut fillers = 0;
        let mut names = Vec::new();
        while j < sent.end {
            let t = &toks[j];
            if next < hits.len() && hits[next].toks.start == j {
                break;
            }
            if t.lower == "'s" || t.lower == "\u{2019}s" || t.text == "-" {
                j += 1;
                continue;
            }
            // "Vietnamese-led forces" are Vietnamese forces ("US-backed"
            // ones are not US forces: only "-led" links).
            if t.lower == "led" && j > end && toks[j - 1].text == "-" {
                j += 1;
                continue;
            }
            if t.lower == "of" && !saw_of && !after_of {
                saw_of = true;
                j += 1;
                if j < sent.end && toks[j].lower == "the" {
                    j += 1;
                }
                continue;
            }
            if is_name_tok(t, j == sent.start)
                || (NAME_PARTICLES.contains(&t.lower.as_str()) && !names.is_empty())
            {
                names.push(j);
                j += 1;
                continue;
            }
            let premod = parts.iter().all(|(_, a, _)| {
                matches!(
                    a[0],
                    Atom::Country {
                        form: CountryForm::Adjective { .. },
                        ..
                    } | Atom::Sector { .. }
                )
            });
            let modifier = MODIFIERS.contains(&t.lower.as_str());
            let tagged_ok =
                !t.upos.is_empty() && premod && matches!(t.upos.as_str(), "ADJ" | "NOUN");
            let untagged_ok = t.upos.is_empty() && premod && filler_ok(t);
            if (modifier || tagged_ok || untagged_ok)
                && fillers < 2
                && names.is_empty()
                && !t.is_cap()
            {
                fillers += 1;
                j += 1;
                continue;
            }
            break;
        }
        if next < hits.len() && hits[next].toks.start == j {
            // Absorb names found before the next atom only if they are
            // followed by it ("Prime Minister Ehud Barak").
            name_toks.extend(names.iter().copied());
            after_of |= saw_of;
            parts.push((hits[next].toks.clone(), hits[next].atoms.clone(), after_of));
            end = hits[next].toks.end;
            next += 1;
            continue;
        }
        // Trailing person name after a title: "Defence Minister Pierre Joxe".
        let trailing: Vec<usize> = names.iter().copied().take_while(|&n| n >= end).collect();
        let has_title = parts
            .iter()
            .any(|(_, a, _)| matches!(a[0], Atom::Sector { .. } | Atom::Metonym { .. }));
        if !trailing.is_empty() && !saw_of && fillers == 0 && has_title {
            let mut last = *trailing.last().unwrap_or(&end);
            while last > end && NAME_PARTICLES.contains(&toks[last].lower.as_str()) {
                last -= 1;
            }
            name_toks.extend(trailing.into_iter().filter(|&n| n <= last));
            end = last + 1;
        }
        break;
    }
    // "Rebels in Angola", "security forces in Guinea": a sector group with
    // no country takes the country of an "in" phrase right after it.
    let no_country = parts
        .iter()
        .all(|(_, a, _)| matches!(a[0], Atom::Sector { .. }));
    if no_country && end < sent.end && toks[end].lower == "in" && next < hits.len() {
        let mut j = end + 1;
        if j < sent.end && toks[j].lower == "the" {
            j += 1;
        }
        if hits[next].toks.start == j
            && matches!(
                hits[next].atoms[0],
                Atom::Country {
                    form: CountryForm::Name,
                    ..
                }
            )
        {
            parts.push((hits[next].toks.clone(), hits[next].atoms.clone(), true));
            end = hits[next].toks.end;
            next += 1;
        }
    }
    // "Iraqi Kurds", "Palestinian homes": country adjectives before a
    // plural noun that is no event word make a civilian group.
    let adj_only = name_toks.is_empty()
        && parts.iter().all(|(_, a, _)| {
            matches!(
                a[0],
                Atom::Country {
                    form: CountryForm::Adjective { .. },
                    ..
                }
            )
        });
    let mut people_noun = false;
    if adj_only && end < sent.end && (next >= hits.len() || hits[next].toks.start != end) {
        let t = &toks[end];
        let nounish = if t.upos.is_empty() {
            !FUNCTION.contains(&t.lower.as_str()) && !t.is_punct()
        } else {
            matches!(t.upos.as_str(), "NOUN" | "PROPN")
        };
        if nounish && t.lower.ends_with('s') && !t.lower.ends_with("ss") && !is_trigger(&t.lower) {
            people_noun = true;
            end += 1;
        }
    }
    // Compose the code.
    let mut iso: Option<String> = None;
    let mut iso_after_of: Option<String> = None;
    let mut org: Option<(String, String)> = None;
    let mut sector_strong: Option<String> = None;
    let mut sector_strong_after: Option<String> = None;
    let mut sector_weak: Option<String> = None;
    let mut metonym: Option<String> = None;
    let mut capital_only = true;
    let mut plural_demonym = false;
    let mut leader: Option<(String, String)> = None;
    let mut leader_rows: Vec<usize> = Vec::new();
    let mut titled = false;
    let mut has_name_atom = false;
    let mut only_adj = true;
    for (r, atoms, aof) in &parts {
        let a = &atoms[0];
        let _ = r;
        match a {
            Atom::Country { iso: c, form } => {
                let slot = if *aof { &mut iso_after_of } else { &mut iso };
                if slot.is_none() {
                    *slot = Some(c.clone());
                }
                if *form != CountryForm::Capital {
                    capital_only = false;
                }
                if let CountryForm::Adjective { plural } = form {
                    plural_demonym = *plural;
                } else {
                    only_adj = false;
                }
            }
            Atom::Metonym { iso: c, sector } => {
                if iso.is_none() {
                    iso = Some(c.clone());
                }
                metonym = Some(sector.clone());
                capital_only = false;
                only_adj = false;
            }
            Atom::Sector { sector, weak } => {
                titled = true;
                capital_only = false;
                only_adj = false;
                plural_demonym = false;
                if *weak {
                    sector_weak = Some(sector.clone());
                } else if *aof {
                    sector_strong_after = Some(sector.clone());
                } else {
                    sector_strong = Some(sector.clone());
                }
            }
            Atom::Org { code, sector } => {
                if org.is_none() {
                    org = Some((code.clone(), sector.clone()));
                }
                capital_only = false;
                only_adj = false;
            }
            Atom::Leader { rows, .. } => {
                has_name_atom = true;
                capital_only = false;
                only_adj = false;
                leader_rows = rows.clone();
                leader = d.leader_actor(rows, date);
            }
        }
    }
    let iso = iso.or(iso_after_of);
    let sector = sector_strong
        .or(sector_strong_after)
        .or(metonym)
        .or(sector_weak.clone())
        .filter(|s| !s.is_empty());
    let mut sector = sector;
    if sector.is_none() && (plural_demonym || people_noun) && name_toks.is_empty() && !has_name_atom
    {
        sector = Some("CVL".into());
    }
    if capital_only && iso.is_some() && sector.is_none() {
        sector = Some("GOV".into());
    }
    if eli && sector.as_deref().is_none_or(|s| s == "GOV") {
        sector = Some("ELI".into());
    }
    let code = if let Some((oc, os)) = &org {
        let sec = if os.is_empty() {
            sector.clone().unwrap_or_default()
        } else {
            os.clone()
        };
        if oc.len() >= 6 && !oc.starts_with("IGO") && !oc.starts_with("NGO") {
            Some(oc.clone())
        } else if oc.len() > 3 && sec.len() == 3 && !oc.ends_with(&sec) {
            Some(format!("{oc}{sec}"))
        } else {
            Some(oc.clone())
        }
    } else if let Some((lc, _)) = &leader {
        // An explicit title in the text wins over the table's office.
        match (&sector, titled) {
            (Some(sec), true) if !lc.starts_with("IGO") => {
                let c = iso.clone().unwrap_or_else(|| lc.chars().take(3).collect());
                Some(format!("{c}{sec}"))
            }
            _ => Some(lc.clone()),
        }
    } else if !leader_rows.is_empty() && iso.is_none() {
        None
    } else if let Some(c) = &iso {
        Some(format!("{c}{}", sector.clone().unwrap_or_default()))
    } else {
        // Sector without country: PETRARCH's "---REB".
        sector.as_ref().map(|s| format!("---{s}"))
    };
    let canonical = leader.as_ref().map(|l| l.1.clone()).or_else(|| {
        if name_toks.is_empty() {
            None
        } else {
            let a = name_toks[0];
            let b = *name_toks.last().unwrap_or(&a);
            Some(v_text(v, a, b + 1))
        }
    });
    let person = has_name_atom || !name_toks.is_empty();
    let kind = if person {
        Kind::Person
    } else if org.is_some() || metonym_or_sector(&parts) {
        Kind::Org
    } else if only_adj && !people_noun {
        Kind::Norp
    } else {
        Kind::Place
    };
    let last = end.max(start + 1);
    let plural = number_two
        || toks[last - 1].lower.ends_with('s')
            && !person
            && kind == Kind::Org
            && !toks[last - 1].lower.ends_with("ss");
    let _ = definite;
    let m = Mention {
        toks: start..last,
        start: toks[start].start,
        end: toks[last - 1].end,
        kind,
        code: code.filter(|c| c.len() >= 3),
        name: canonical,
        chain: None,
        refs: if number_two {
            vec![usize::MAX]
        } else {
            Vec::new()
        },
        plural,
        iso: org.map(|o| o.0.chars().take(3).collect()).or(iso),
        titled: titled && (sector_weak.is_none() || person),
        sent: 0,
    };
    (m, next)
}

fn metonym_or_sector(parts: &[(Range<usize>, Vec<Atom>, bool)]) -> bool {
    parts
        .iter()
        .any(|(_, a, _)| matches!(a[0], Atom::Metonym { .. } | Atom::Sector { .. }))
}

fn v_text(v: &View, a: usize, b: usize) -> String {
    let mut s = String::new();
    for i in a..b {
        if i > a && v.toks[i].start > v.toks[i - 1].end {
            s.push(' ');
        }
        s.push_str(&v.toks[i].text);
    }
    s
}

/// The last alphabetic part of a name, without Arabic article prefixes:
/// "Bashar al-Assad" -> "assad".
pub fn surname(name: &str) -> String {
    let last = name.split_whitespace().last().unwrap_or("");
    let last = last.rsplit('-').next().unwrap_or(last);
    last.trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase()
}

/// Builds chains: names by surname, countries and orgs by code, nominal
/// anaphors to the latest matching person, pronouns to the latest
/// compatible antecedent.
fn link(a: &mut Actors, v: &View, _d: &Dictionaries, _date: Option<&str>) {
    let mut by_surname: HashMap<String, usize> = HashMap::new();
    let mut by_code: HashMap<String, usize> = HashMap::new();
    // Pass 1: named persons (any order, so a bare surname in a headline
    // joins the titled mention further down).
    for mi in 0..a.mentions.len() {
        let m = &a.mentions[mi];
        if m.kind != Kind::Person {
            continue;
        }
        let Some(name) = m.name.clone() else { continue };
        let sn = surname(&name);
        if sn.is_empty() {
            continue;
        }
        let c = *by_surname.entry(sn).or_insert_with(|| {
            a.chains.push(Chain {
                person: true,
                ..Default::default()
            });
            a.chains.len() - 1
        });
        let ch = &mut a.chains[c];
        let m = &mut a.mentions[mi];
        m.chain = Some(c);
        if ch.canonical.as_ref().is_none_or(|x| x.len() < name.len()) {
            ch.canonical = Some(name.clone());
        }
        if let Some(code) = &m.code {
            if ch.code.is_none() || (m.titled && !ch.titled) {
                ch.code = Some(code.clone());
                ch.titled = m.titled;
            }
        }
    }
    // Pass 2: in text order, descriptions and pronouns.
    let mut recent_person: Vec<(usize, usize)> = Vec::new(); // (chain, mention)
    let mut recent_thing: Vec<(usize, usize)> = Vec::new();
    for mi in 0..a.mentions.len() {
        let m = a.mentions[mi].clone();
        match m.kind {
            Kind::Person => {
                if let Some(c) = m.chain {
                    recent_person.push((c, mi));
                }
            }
            Kind::Org | Kind::Place | Kind::Norp => {
                if m.refs.first() == Some(&usize::MAX) {
                    // "the two leaders": the last two distinct person chains.
                    let mut cs: Vec<usize> = Vec::new();
                    let here = v.sent_of(m.toks.start);
                    for (c, pm) in recent_person.iter().rev() {
                        if v.sent_of(a.mentions[*pm].toks.start) == here {
                            continue;
                        }
                        if !cs.contains(c) {
                            cs.push(*c);
                        }
                        if cs.len() == 2 {
                            break;
                        }
                    }
                    if cs.len() < 2 {
                        // A lede before the names ("The two foreign
                        // ministers discussed ..." then "X met Y"): the next
                        // two people within two sentences.
                        cs.clear();
                        for o in &a.mentions[mi + 1..] {
                            if v.sent_of(o.toks.start) > here + 2 {
                                break;
                            }
                            if let (Kind::Person, Some(c)) = (o.kind, o.chain) {
                                if !cs.contains(&c) {
                                    cs.push(c);
                                }
                            }
                            if cs.len() == 2 {
                                break;
                            }
                        }
                    }
                    a.mentions[mi].refs = if cs.len() == 2 { cs } else { Vec::new() };
                    continue;
                }
                let first = &v.toks[m.toks.start];
                let definite = first.lower == "the";
                let singular_title = m.titled && !m.plural;
                if definite && singular_title && m.kind == Kind::Org {
                    // "the Russian leader" -> the latest person of that country.
                    let hit = recent_person.iter().rev().find(|(c, _)| {
                        let code = a.chains[*c].code.clone().unwrap_or_default();
                        m.iso.as_ref().is_some_and(|i| code.starts_with(i.as_str()))
                    });
                    if let Some((c, _)) = hit {
                        a.mentions[mi].chain = Some(*c);
                        continue;
                    }
                }
                if let Some(code) = m.code.clone() {
                    let c = *by_code.entry(code.clone()).or_insert_with(|| {
                        a.chains.push(Chain {
                            code: Some(code.clone()),
                            canonical: Some(v_text(v, m.toks.start, m.toks.end)),
                            ..Default::default()
                        });
                        a.chains.len() - 1
                    });
                    a.mentions[mi].chain = Some(c);
                    if m.kind != Kind::Norp {
                        recent_thing.push((c, mi));
                    }
                }
            }
            Kind::Pronoun => {
                let w = m.name.clone().unwrap_or_default();
                let pick = if PRONOUNS_PER.contains(&w.as_str()) {
                    recent_person.last().map(|x| x.0)
                } else if PRONOUNS_IT.contains(&w.as_str()) {
                    recent_thing
                        .iter()
                        .rev()
                        .find(|(_, m)| !a.mentions[*m].plural)
                        .map(|x| x.0)
                } else {
                    None
                };
                a.mentions[mi].chain = pick;
            }
        }
    }
}

fn v_sent_distance(a: &Actors, j: usize, mi: usize) -> usize {
    a.mentions[mi].sent.saturating_sub(a.mentions[j].sent)
}

/// Candidate antecedent chains for the pronoun mention `mi`, best first
/// (the event coder then applies argument constraints). Mentions earlier
/// in the same sentence come first, nearest first. Earlier sentences are
/// ranked by salience, in the manner of Lappin and Leass: each earlier
/// mention of a chain adds a weight that halves with every sentence back
/// and is higher for subjects, so the people an article is about outrank
/// someone quoted once in the previous sentence. Plural anaphors ("the two
/// leaders") count for each chain they stand for. A chain must have been
/// mentioned within the last three sentences to be a candidate.
pub fn pronoun_candidates(a: &Actors, v: &View, mi: usize) -> Vec<usize> {
    let m = &a.mentions[mi];
    let w = m.name.clone().unwrap_or_default();
    let person = PRONOUNS_PER.contains(&w.as_str());
    let they = PRONOUNS_THEY.contains(&w.as_str());
    let mut same: Vec<(usize, usize)> = Vec::new(); // (position, chain)
    let mut score: HashMap<usize, f64> = HashMap::new();
    let mut near: Vec<usize> = Vec::new();
    for j in (0..mi).rev() {
        let o = &a.mentions[j];
        let dist = v_sent_distance(a, j, mi);
        if dist > 6 {
            break;
        }
        let chains: Vec<usize> = if person && !o.refs.is_empty() && o.refs[0] != usize::MAX {
            o.refs.clone()
        } else {
            let ok = if person {
                o.kind == Kind::Person
            } else if they {
                // "Afghan rebel leaders said they would ...": a plural
                // group, or a country or body spoken of as its people.
                matches!(o.kind, Kind::Org | Kind::Place | Kind::Norp)
            } else {
                matches!(o.kind, Kind::Org | Kind::Place) && !o.plural
            };
            match o.chain {
                Some(c) if ok => vec![c],
                _ => continue,
            }
        };
        let head = o.toks.end - 1;
        let subject = v.parsed && head < v.toks.len() && v.toks[head].rel() == "nsubj";
        for c in chains {
            if dist == 0 {
                same.push((o.toks.start, c));
                continue;
            }
            let weight = 0.5f64.powi(dist as i32) * if subject { 1.5 } else { 1.0 };
            *score.entry(c).or_default() += weight;
            if dist <= 3 && !near.contains(&c) {
                near.push(c);
            }
        }
    }
    same.sort_by_key(|&(pos, _)| std::cmp::Reverse(pos));
    // Stable sort keeps recency order among equal scores.
    near.sort_by(|x, y| score[y].total_cmp(&score[x]));
    let mut out = Vec::new();
    for c in same.into_iter().map(|x| x.1).chain(near) {
        if !out.contains(&c) {
            out.push(c);
        }
    }
    out
}
