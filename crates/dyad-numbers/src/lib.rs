//! dyad-numbers: cardinal quantities with their head noun and a category.
//!
//! The stage finds numbers written in digits ("350,000", "2.3 million",
//! "$1.5bn", "1.2 million euros") or words ("two", "dozens", "hundreds of"),
//! reads the head noun that follows ("people", "lives", "soldiers"),
//! normalises the unit ("lives" → "deaths", "$" → "USD") and assigns a
//! category from the head and the verbs near it: killed, injured,
//! displaced, affected, arrested, troops, money or other. Numbers inside a
//! date found by the dates stage (`doc.dates`), times, ordinals and bare
//! years are skipped. It works from the text; when the tagger has run, a
//! token tagged as a noun is preferred as head.
//!
//! ```
//! use dyad_core::{Doc, Source};
//! let mut doc = Doc::from_clean_text("d", Source::path("d"),
//!     "The war has cost 350,000 lives.");
//! for s in dyad_numbers::stages() { s.process(&mut doc).unwrap(); }
//! assert_eq!(doc.numbers[0].value, 350000.0);
//! assert_eq!(doc.numbers[0].unit.as_deref(), Some("deaths"));
//! assert_eq!(doc.numbers[0].category, "killed");
//! ```

use dyad_core::{Doc, Number, Span, Stage, StageError};
use regex::Regex;
use std::sync::OnceLock;

/// The stages this crate contributes to the standard pipeline, in order.
pub fn stages() -> Vec<Box<dyn Stage>> {
    vec![Box::new(NumberStage)]
}

/// Finds cardinal quantities (`doc.numbers`).
pub struct NumberStage;

impl Stage for NumberStage {
    fn name(&self) -> &'static str {
        "numbers"
    }
    fn process(&self, doc: &mut Doc) -> Result<(), StageError> {
        let skip: Vec<Span> = doc
            .dates
            .iter()
            .map(|d| Span::new(d.start, d.end))
            .collect();
        doc.numbers = find_numbers(doc.text(), &skip);
        Ok(())
    }
}

struct Patterns {
    digits: Regex,
    words: Regex,
    word: Regex,
}

const WORD_NUMS: &str = r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|a hundred|a thousand|a dozen|dozens|scores|hundreds|thousands|tens of thousands|hundreds of thousands|millions";

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| {
        let r = |s: &str| Regex::new(s).expect("valid number pattern");
        Patterns {
            digits: r(r"(?i)(?P<cur>US\$|\$|€|£|USD\s?|EUR\s?|GBP\s?)?\b(?P<n>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?P<mult>\s*(?:million|billion|trillion|thousand|mn|bn|m|k)\b)?(?P<cur2>\s+(?:euros?|dollars?|pounds?|yuan|r[uo]ubles?|rupees?|USD|EUR|GBP)\b)?"),
            words: r(&format!(
                r"(?i)\b(?P<n>(?:{WORD_NUMS})(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?)(?P<mult>\s+(?:hundred|thousand|million|billion)\b)?(?P<of>\s+of)?\b"
            )),
            word: r(r"[A-Za-z][A-Za-z'’-]*"),
        }
    })
}

/// Finds every quantity of `text`, skipping spans in `skip` (dates).
pub fn find_numbers(text: &str, skip: &[Span]) -> Vec<Number> {
    let p = patterns();
    let mut out: Vec<Number> = Vec::new();
    let overlaps = |s: usize, e: usize, out: &[Number]| {
        skip.iter().any(|d| d.start < e && s < d.end)
            || out.iter().any(|n| n.start < e && s < n.end)
    };
    for c in p.digits.captures_iter(text) {
        let m = c.get(0).expect("match");
        let n = c.name("n").expect("n");
        let (s, e) = (m.start(), m.end());
        let tail = if c.name("mult").is_some() || c.name("cur2").is_some() {
            e
        } else {
            n.end()
        };
        if overlaps(s, e, &out) || glued(text, n.start(), tail) || ordinal_or_time(text, n.end()) {
            continue;
        }
        let Ok(mut value) = n.as_str().replace(',', "").parse::<f64>() else {
            continue;
        };
        let mult = c
            .name("mult")
            .map(|x| x.as_str().trim().to_ascii_lowercase());
        // "5m" after a number is metres unless money is involved.
        let money = c.name("cur").is_some() || c.name("cur2").is_some();
        if let Some(mu) = &mult {
            if (mu == "m" || mu == "k") && !money {
                continue;
            }
            value *= multiplier(mu);
        }
        // A bare four-digit year ("in 2015") is a date, not a quantity.
        let plain = c.name("cur").is_none() && mult.is_none() && !n.as_str().contains([',', '.']);
        if plain && n.as_str().len() == 4 && (1800..=2100).contains(&(value as i64)) {
            continue;
        }
        let currency = c
            .name("cur")
            .or(c.name("cur2"))
            .map(|x| currency_code(x.as_str().trim()));
        let (mut head, mut end) = (None, e);
        if currency.is_none() {
            if let Some((h, he)) = head_noun(text, e) {
                head = Some(h);
                end = he;
            }
        }
        out.push(build(text, s, end, value, head, currency));
    }
    for c in p.words.captures_iter(text) {
        let m = c.get(0).expect("match");
        let (s, e) = (m.start(), m.end());
        if overlaps(s, e, &out) {
            continue;
        }
        let n = c["n"].to_ascii_lowercase();
        let Some(mut value) = word_value(&n) else {
            continue;
        };
        if let Some(mu) = c.name("mult") {
            value *= multiplier(mu.as_str().trim());
        }
        // Word numbers count only with a head noun ("two soldiers"); "one"
        // alone is usually a pronoun.
        let Some((h, he)) = head_noun(text, e) else {
            continue;
        };
        if n == "one" && !is_count_noun(&h) {
            continue;
        }
        let end = if c.name("of").is_some() {
            he
        } else {
            he.max(e)
        };
        out.push(build(text, s, end, value, Some(h), None));
    }
    out.sort_by_key(|n| n.start);
    out
}

fn build(
    text: &str,
    s: usize,
    e: usize,
    value: f64,
    head: Option<String>,
    cur: Option<&str>,
) -> Number {
    let (unit, category) = match (cur, &head) {
        (Some(c), _) => (Some(c.to_string()), "money".to_string()),
        (None, Some(h)) => classify(text, s, e, h),
        (None, None) => (None, "other".to_string()),
    };
    Number {
        text: text[s..e].to_string(),
        start: s,
        end: e,
        value,
        unit,
        head,
        category,
    }
}

fn multiplier(m: &str) -> f64 {
    match m.to_ascii_lowercase().as_str() {
        "hundred" => 1e2,
        "thousand" | "k" => 1e3,
        "million" | "mn" | "m" => 1e6,
        "billion" | "bn" => 1e9,
        "trillion" => 1e12,
        _ => 1.0,
    }
}

fn currency_code(s: &str) -> &'static str {
    let l = s.to_ascii_lowercase();
    if l.starts_with('€') || l.starts_with("eur") {
        "EUR"
    } else if l.starts_with('£') || l.starts_with("pound") || l.starts_with("gbp") {
        "GBP"
    } else if l.starts_with("yuan") {
        "CNY"
    } else if l.starts_with("rub") || l.starts_with("roub") {
        "RUB"
    } else if l.starts_with("rupee") {
        "INR"
    } else {
        "USD"
    }
}

fn word_value(w: &str) -> Option<f64> {
    const UNITS: [&str; 20] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS: [&str; 8] = [
        "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    let v = match w {
        "a dozen" => 12.0,
        "dozens" | "scores" => 24.0,
        "hundred" | "a hundred" => 100.0,
        "hundreds" => 200.0,
        "a thousand" => 1000.0,
        "thousands" => 2000.0,
        "tens of thousands" => 20000.0,
        "hundreds of thousands" => 200000.0,
        "millions" => 2e6,
        _ => {
            let mut total = 0.0;
            for part in w.split(['-', ' ']) {
                if let Some(i) = UNITS.iter().position(|u| *u == part) {
                    total += i as f64;
                } else if let Some(i) = TENS.iter().position(|u| *u == part) {
                    total += (i as f64 + 2.0) * 10.0;
                } else {
                    return None;
                }
            }
            total
        }
    };
    Some(v)
}

/// The number is part of a longer token ("A320", "COVID-19", "3D").
fn glued(text: &str, s: usize, e: usize) -> bool {
    let before = text[..s].chars().next_back();
    let after = text[e..].chars().next();
    before.is_some_and(|c| c.is_alphanumeric() || c == '-' || c == '/' || c == '.' || c == ':')
        || after.is_some_and(|c| c.is_alphabetic() || c == '/' || c == ':')
        || text[e..].starts_with("-year")
}

fn ordinal_or_time(text: &str, e: usize) -> bool {
    let rest = text[e..].trim_start();
    let l: String = rest
        .chars()
        .take(5)
        .collect::<String>()
        .to_ascii_lowercase();
    [
        "a.m", "p.m", "am ", "pm ", "am.", "pm.", "gmt", "utc", "o'cl",
    ]
    .iter()
    .any(|p| l.starts_with(p))
}

/// Words between a number and its head that are not the head ("more",
/// "Syrian", "other").
fn is_modifier(w: &str) -> bool {
    const M: &[&str] = &[
        "more",
        "other",
        "additional",
        "further",
        "new",
        "young",
        "innocent",
        "unarmed",
        "armed",
        "foreign",
        "local",
        "fellow",
        "suspected",
        "alleged",
        "civilian",
        "military",
        "government",
        "rebel",
        "opposition",
        "security",
        "police",
        "militant",
        "small",
        "large",
        "estimated",
        "elderly",
        "displaced",
        "homeless",
        "dead",
        "wounded",
        "injured",
        "missing",
    ];
    let l = w.to_ascii_lowercase();
    M.contains(&l.as_str())
        || (w.starts_with(|c: char| c.is_uppercase())
            && (l.ends_with("ian")
                || l.ends_with("ese")
                || l.ends_with("ish")
                || l.ends_with("an")))
}

const STOP: &[&str] = &[
    "the", "a", "an", "and", "or", "of", "to", "in", "on", "at", "for", "by", "with", "from",
    "was", "were", "is", "are", "have", "has", "had", "be", "been", "will", "would", "could",
    "said", "says", "per", "percent", "than", "as", "that", "this", "who", "which", "years",
    "year", "times", "since", "after", "before", "into", "over", "under", "about", "days", "weeks",
    "months", "hours", "minutes", "it", "its", "they", "their", "he", "she", "we", "i", "you",
    "not", "also", "but",
];

/// The head noun after a number at `e`: skips "of (the)" and a couple of
/// modifiers. Returns the head as written and where it ends.
fn head_noun(text: &str, e: usize) -> Option<(String, usize)> {
    let p = patterns();
    let mut pos = e;
    let mut seen = 0;
    let rest_limit = (e + 80).min(text.len());
    let mut lim = rest_limit;
    while !text.is_char_boundary(lim) {
        lim -= 1;
    }
    let window = &text[e..lim];
    // "%" and "per cent" directly after the number.
    let t = window.trim_start();
    if t.starts_with('%') {
        let off = e + (window.len() - t.len()) + 1;
        return Some(("percent".to_string(), off));
    }
    let iter = p.word.find_iter(window);
    for m in iter {
        // Only spaces (or "of") between the words: punctuation ends the phrase.
        let gap = &text[pos..e + m.start()];
        if !gap.chars().all(|c| c == ' ' || c == '\u{a0}') || seen >= 4 {
            return None;
        }
        pos = e + m.end();
        seen += 1;
        let w = m.as_str();
        let l = w.to_ascii_lowercase();
        if l == "of" || (l == "the" && seen <= 2) || is_modifier(w) {
            continue;
        }
        if l == "percent" || l == "per" {
            return Some(("percent".into(), pos));
        }
        if STOP.contains(&l.as_str()) || w.starts_with(|c: char| c.is_uppercase()) {
            // "2015 Syria" / "5 were": no head noun.
            return if STOP.contains(&l.as_str())
                && ["years", "days", "weeks", "months", "hours", "times"].contains(&l.as_str())
            {
                Some((w.to_string(), pos))
            } else {
                None
            };
        }
        return Some((w.to_string(), pos));
    }
    None
}

fn is_count_noun(h: &str) -> bool {
    let l = h.to_ascii_lowercase();
    PEOPLE.contains(&l.as_str()) || TROOPS.contains(&l.as_str()) || DEATHS.contains(&l.as_str())
}

const PEOPLE: &[&str] = &[
    "people",
    "person",
    "civilians",
    "civilian",
    "residents",
    "resident",
    "children",
    "child",
    "women",
    "men",
    "man",
    "woman",
    "families",
    "family",
    "villagers",
    "inhabitants",
    "individuals",
    "migrants",
    "refugees",
    "protesters",
    "protestors",
    "demonstrators",
    "students",
    "workers",
    "journalists",
    "passengers",
    "victims",
    "patients",
    "prisoners",
    "detainees",
    "suspects",
    "militants",
    "fighters",
    "rebels",
    "households",
    "citizens",
    "voters",
    "others",
];
const TROOPS: &[&str] = &[
    "troops",
    "soldiers",
    "soldier",
    "personnel",
    "servicemen",
    "marines",
    "peacekeepers",
    "officers",
    "policemen",
    "police",
    "guards",
    "forces",
    "paratroopers",
    "sailors",
    "airmen",
];
const DEATHS: &[&str] = &[
    "lives",
    "deaths",
    "dead",
    "fatalities",
    "bodies",
    "casualties",
];

/// Unit and category from the head and the verbs around the quantity.
fn classify(text: &str, s: usize, e: usize, head: &str) -> (Option<String>, String) {
    let l = head.to_ascii_lowercase();
    let (before, after) = context(text, s, e);
    let (before, after) = (before.to_ascii_lowercase(), after.to_ascii_lowercase());
    // The verb after the quantity ("12 were wounded") speaks first, then
    // the clause before it ("killed 12 people").
    let cue = |ws: &[&str]| {
        (
            ws.iter().any(|w| after.contains(w)),
            ws.iter().any(|w| before.contains(w)),
        )
    };
    let cues = [
        (
            "killed",
            cue(&[
                "killed", "dead", "died", "death", "kill", "massacre", "lives", "fatal", "slain",
                "executed", "perished",
            ]),
        ),
        ("injured", cue(&["injur", "wounded", "hurt", "hospitali"])),
        (
            "displaced",
            cue(&[
                "displaced",
                "fled",
                "flee",
                "refugee",
                "homeless",
                "evacuat",
                "uproot",
                "forced from",
            ]),
        ),
        (
            "arrested",
            cue(&[
                "arrest",
                "detain",
                "jailed",
                "imprison",
                "captured",
                "rounded up",
                "in custody",
            ]),
        ),
        (
            "affected",
            cue(&[
                "affect",
                "in need",
                "at risk",
                "threaten",
                "starv",
                "besieged",
                "trapped",
                "need aid",
                "humanitarian",
            ]),
        ),
    ];
    let found = cues
        .iter()
        .find(|c| c.1 .0)
        .or_else(|| cues.iter().find(|c| c.1 .1))
        .map(|c| c.0);
    if DEATHS.contains(&l.as_str()) && l != "casualties" {
        return (Some("deaths".into()), "killed".into());
    }
    if l == "percent" {
        return (Some("percent".into()), "other".into());
    }
    let is_people = PEOPLE.contains(&l.as_str()) || l == "casualties";
    let is_troops = TROOPS.contains(&l.as_str());
    let unit = if is_people {
        "people".to_string()
    } else if is_troops {
        "troops".to_string()
    } else {
        l.clone()
    };
    let cat = if is_people || is_troops || l == "casualties" {
        match found {
            Some(c) => c,
            None if l == "refugees" => "displaced",
            None if ["prisoners", "detainees"].contains(&l.as_str()) => "arrested",
            None if is_troops => "troops",
            None => "other",
        }
    } else {
        "other"
    };
    (Some(unit), cat.to_string())
}

/// The clause before a quantity and the one after it (up to a comma,
/// "and" or the sentence end, a few words at most).
fn context(text: &str, s: usize, e: usize) -> (&str, &str) {
    let mut a = s.saturating_sub(40);
    while !text.is_char_boundary(a) {
        a += 1;
    }
    let mut b = (e + 40).min(text.len());
    while !text.is_char_boundary(b) {
        b -= 1;
    }
    let before = &text[a..s];
    let before = match before.rfind(['.', ';', ',', '\n']) {
        Some(i) => &before[i + 1..],
        None => before,
    };
    let before = match before.rfind(" and ") {
        Some(i) => &before[i + 5..],
        None => before,
    };
    let after = &text[e..b];
    let after = match after.find(['.', ';', ',', '\n']) {
        Some(i) => &after[..i],
        None => after,
    };
    let after = match after.find(" and ") {
        Some(i) => &after[..i],
        None => after,
    };
    (before, after)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Number {
        let v = find_numbers(text, &[]);
        assert_eq!(v.len(), 1, "{v:?}");
        v.into_iter().next().expect("one")
    }

    #[test]
    fn millions_of_people_affected() {
        let n = one("An assault on Idlib could affect 2.3 million people, the envoy said.");
        assert_eq!(n.text, "2.3 million people");
        assert_eq!(n.value, 2_300_000.0);
        assert_eq!(n.unit.as_deref(), Some("people"));
        assert_eq!(n.head.as_deref(), Some("people"));
        assert_eq!(n.category, "affected");
    }

    #[test]
    fn lives_are_deaths() {
        let n = one("the seven-year conflict that has cost 350,000 lives.");
        assert_eq!(n.value, 350_000.0);
        assert_eq!(n.unit.as_deref(), Some("deaths"));
        assert_eq!(n.category, "killed");
    }

    #[test]
    fn money() {
        let n = one("The fund pledged $1.5bn on Monday.");
        assert_eq!(n.value, 1.5e9);
        assert_eq!(
            (n.unit.as_deref(), n.category.as_str()),
            (Some("USD"), "money")
        );
        let n = one("a loan of 1.2 million euros");
        assert_eq!(n.value, 1.2e6);
        assert_eq!(n.unit.as_deref(), Some("EUR"));
    }

    #[test]
    fn word_numbers_and_categories() {
        let v = find_numbers(
            "Two soldiers were killed and dozens of civilians were wounded; 300 people fled. Police arrested 12 protesters.",
            &[],
        );
        let got: Vec<(f64, &str, &str)> = v
            .iter()
            .map(|n| {
                (
                    n.value,
                    n.unit.as_deref().unwrap_or(""),
                    n.category.as_str(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (2.0, "troops", "killed"),
                (24.0, "people", "injured"),
                (300.0, "people", "displaced"),
                (12.0, "people", "arrested"),
            ]
        );
        assert_eq!(v[1].text, "dozens of civilians");
    }

    #[test]
    fn troops_without_violence() {
        let n = one("Russia sent 5,000 troops to the border.");
        assert_eq!(
            (n.unit.as_deref(), n.category.as_str()),
            (Some("troops"), "troops")
        );
    }

    #[test]
    fn years_times_codes_and_dates_are_skipped() {
        assert!(find_numbers("In 2015 the A320 landed at 5 p.m. on COVID-19 day.", &[]).is_empty());
        let t = "On May 17 they met.";
        assert!(find_numbers(t, &[Span::new(3, 9)]).is_empty());
        assert!(find_numbers("No one knows. One said so.", &[]).is_empty());
    }

    #[test]
    fn a_big_table_is_linear_and_safe() {
        let t: String = (0..10_000)
            .map(|i| format!("{i} | {}.5 |\n", i * 7))
            .collect();
        let v = find_numbers(&t, &[]);
        assert!(v.len() >= 10_000);
        let _ = find_numbers("$ € 1, ,000 .5 million é1", &[]);
    }
}
