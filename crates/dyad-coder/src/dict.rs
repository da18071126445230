//! Actor dictionaries: countries, sector nouns, organisations and leaders,
//! loaded from readable text files into one phrase lexicon.
//!
//! Each file format is a [`DictionaryFormat`]; a dictionary from another
//! coder (PETRARCH `.txt` files, for instance) becomes one more impl that
//! writes into the same [`Dictionaries`].

use std::collections::HashMap;

/// Errors while reading a dictionary file.
#[derive(Debug, thiserror::Error)]
pub enum DictError {
    #[error("{file}:{line}: {message}")]
    Syntax {
        file: String,
        line: usize,
        message: String,
    },
}

fn syntax(file: &str, line: usize, message: impl Into<String>) -> DictError {
    DictError::Syntax {
        file: file.to_string(),
        line,
        message: message.into(),
    }
}

/// How a country is named by a phrase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountryForm {
    /// "Russia": the country itself.
    Name,
    /// "Russian": an adjective; a plural demonym ("Russians") heads a CVL mention.
    Adjective { plural: bool },
    /// "Moscow": a capital, standing for the government when it acts.
    Capital,
}

/// What a phrase of the lexicon denotes. One phrase may carry several.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Atom {
    Country {
        iso: String,
        form: CountryForm,
    },
    /// A seat-of-government metonym ("Kremlin"): country plus sector.
    Metonym {
        iso: String,
        sector: String,
    },
    /// A sector noun. `sector` empty: a title with no sector (envoy).
    /// `weak`: generic (leader, official), used when nothing better.
    Sector {
        sector: String,
        weak: bool,
    },
    /// An organisation, with the sector it acts as (may be empty).
    Org {
        code: String,
        sector: String,
    },
    /// A person of the leaders table: indexes into `Dictionaries::leaders`
    /// (all rows for the same person).
    Leader {
        rows: Vec<usize>,
        full: bool,
    },
}

/// One row of the leaders table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leader {
    pub name: String,
    pub actor: String,
    pub office: String,
    pub from: String,
    /// Empty: still in office.
    pub to: String,
}

/// A phrase entry: the atom and whether the text must match its case
/// (abbreviations such as "US", "WHO", "IS").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub atom: Atom,
    pub case_sensitive: bool,
    /// Proper names need an upper-case first letter in the text.
    pub proper: bool,
}

/// All actor dictionaries as one lexicon keyed by normalised phrase.
#[derive(Debug, Default, Clone)]
pub struct Dictionaries {
    pub phrases: HashMap<String, Vec<Entry>>,
    pub leaders: Vec<Leader>,
    /// Canonical country names by ISO3 code.
    pub country_names: HashMap<String, String>,
    /// Longest phrase in tokens (bounds the matcher).
    pub max_words: usize,
}

/// A source format for actor dictionaries.
pub trait DictionaryFormat {
    /// Short name used in messages.
    fn name(&self) -> &str;
    /// Parses `text` (the content of `file`) into `into`.
    fn load(&self, file: &str, text: &str, into: &mut Dictionaries) -> Result<(), DictError>;
}

/// Normalises a phrase or a run of text into a lexicon key: lower case,
/// curly apostrophes straightened, whitespace collapsed.
pub fn key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        let c = match c {
            '\u{2019}' | '\u{2018}' => '\'',
            '\u{2010}' | '\u{2011}' | '\u{2013}' => '-',
            _ => c,
        };
        for l in c.to_lowercase() {
            out.push(l);
        }
    }
    out
}

/// Words of a key as the tokenizer would split them (for `max_words`):
/// counts space-separated parts plus punctuation pieces.
fn word_count(k: &str) -> usize {
    let mut n = 0;
    for part in k.split(' ') {
        n += 1;
        n += part
            .chars()
            .filter(|c| matches!(c, '-' | '\'' | '.'))
            .count();
    }
    n
}

impl Dictionaries {
    /// Adds a phrase for an atom.
    pub fn add(&mut self, phrase: &str, atom: Atom) {
        let phrase = phrase.trim();
        if phrase.is_empty() {
            return;
        }
        let letters: Vec<char> = phrase.chars().filter(|c| c.is_alphabetic()).collect();
        let case_sensitive =
            letters.len() <= 5 && letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase());
        let proper = phrase.chars().next().is_some_and(|c| c.is_uppercase());
        let k = key(phrase);
        self.max_words = self.max_words.max(word_count(&k));
        let e = Entry {
            atom,
            case_sensitive,
            proper,
        };
        let v = self.phrases.entry(k).or_default();
        if !v.contains(&e) {
            v.push(e);
        }
    }

    /// Entries for a key.
    pub fn lookup(&self, k: &str) -> &[Entry] {
        self.phrases.get(k).map(|v| v.as_slice()).unwrap_or(&[])
    }

    /// The embedded dictionaries shipped with dyad.
    pub fn embedded() -> Result<Dictionaries, DictError> {
        let mut d = Dictionaries::default();
        CountriesFormat.load("countries.txt", COUNTRIES, &mut d)?;
        SectorsFormat.load("sectors.txt", SECTORS, &mut d)?;
        OrgsFormat.load("orgs.txt", ORGS, &mut d)?;
        LeadersFormat.load("leaders.txt", LEADERS, &mut d)?;
        Ok(d)
    }

    /// The actor of a leader row set at a date (`YYYY[-MM[-DD]]`): the
    /// office held then; after the last term the country's ELI; before the
    /// first term, `None` (not yet a known actor).
    pub fn leader_actor(&self, rows: &[usize], date: Option<&str>) -> Option<(String, String)> {
        let first = self.leaders.get(*rows.first()?)?;
        let Some(date) = date else {
            // No date: the most recent office.
            let l = rows
                .iter()
                .filter_map(|&r| self.leaders.get(r))
                .next_back()?;
            return Some((l.actor.clone(), l.name.clone()));
        };
        let mut after_any = false;
        for &r in rows {
            let l = &self.leaders[r];
            let starts = date_cmp(date, &l.from) != std::cmp::Ordering::Less;
            let ends = l.to.is_empty() || date_cmp(date, &l.to) != std::cmp::Ordering::Greater;
            if starts && ends {
                return Some((l.actor.clone(), l.name.clone()));
            }
            if starts {
                after_any = true;
            }
        }
        if after_any {
            let iso: String = first.actor.chars().take(3).collect();
            return Some((format!("{iso}ELI"), first.name.clone()));
        }
        None
    }
}

/// Compares ISO dates of possibly different precision by their common prefix
/// ("2018" equals "2018-05-17").
pub fn date_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    let n = a.len().min(b.len());
    a[..n].cmp(&b[..n])
}

fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'))
}

fn alts(field: &str) -> impl Iterator<Item = &str> {
    field.split(';').map(str::trim).filter(|s| !s.is_empty())
}

/// `countries.txt`: `ISO3 | names | adjectives | capitals | metonyms`.
pub struct CountriesFormat;

impl DictionaryFormat for CountriesFormat {
    fn name(&self) -> &str {
        "countries"
    }
    fn load(&self, file: &str, text: &str, d: &mut Dictionaries) -> Result<(), DictError> {
        for (n, line) in lines(text) {
            let f: Vec<&str> = line.split('|').map(str::trim).collect();
            if f.len() < 2 || f[0].len() != 3 {
                return Err(syntax(file, n, "expected ISO3 | names | ..."));
            }
            let iso = f[0].to_string();
            if let Some(first) = alts(f[1]).next() {
                d.country_names.insert(iso.clone(), first.to_string());
            }
            for name in alts(f[1]) {
                let form = CountryForm::Name;
                d.add(
                    name,
                    Atom::Country {
                        iso: iso.clone(),
                        form,
                    },
                );
            }
            let adjs: Vec<&str> = f.get(2).map(|s| alts(s).collect()).unwrap_or_default();
            for a in &adjs {
                let plural = (a.ends_with('s') && adjs.contains(&&a[..a.len() - 1]))
                    || a.ends_with("men")
                    || (a.ends_with("es") && adjs.contains(&&a[..a.len() - 2]));
                let form = CountryForm::Adjective { plural };
                d.add(
                    a,
                    Atom::Country {
                        iso: iso.clone(),
                        form,
                    },
                );
            }
            for c in f
                .get(3)
                .map(|s| alts(s).collect::<Vec<_>>())
                .unwrap_or_default()
            {
                let form = CountryForm::Capital;
                d.add(
                    c,
                    Atom::Country {
                        iso: iso.clone(),
                        form,
                    },
                );
            }
            for m in f
                .get(4)
                .map(|s| alts(s).collect::<Vec<_>>())
                .unwrap_or_default()
            {
                let (phrase, sector) = match m.split_once('=') {
                    Some((p, s)) => (p.trim(), s.trim().to_string()),
                    None => (m, "GOV".to_string()),
                };
                d.add(
                    phrase,
                    Atom::Metonym {
                        iso: iso.clone(),
                        sector,
                    },
                );
            }
        }
        Ok(())
    }
}

/// English plural forms of a sector noun phrase (last word inflected).
fn plurals(p: &str) -> Vec<String> {
    let (head, last) = match p.rsplit_once(' ') {
        Some((h, l)) => (format!("{h} "), l),
        None => (String::new(), p),
    };
    let mut out = Vec::new();
    if last.ends_with('s') || last.ends_with('.') || last.len() < 3 {
        return out;
    }
    if let Some(stem) = last.strip_suffix("man") {
        out.push(format!("{head}{stem}men"));
    } else if let Some(stem) = last
        .strip_suffix('y')
        .filter(|s| !s.ends_with(['a', 'e', 'o', 'u']))
    {
        out.push(format!("{head}{stem}ies"));
    } else if last.ends_with("sh") || last.ends_with("ch") || last.ends_with('x') {
        out.push(format!("{head}{last}es"));
    } else {
        out.push(format!("{head}{last}s"));
    }
    out
}

/// `sectors.txt`: `CODE: phrase; phrase=SEC; phrase?; ...`.
pub struct SectorsFormat;

impl DictionaryFormat for SectorsFormat {
    fn name(&self) -> &str {
        "sectors"
    }
    fn load(&self, file: &str, text: &str, d: &mut Dictionaries) -> Result<(), DictError> {
        // Later definitions of a phrase replace earlier ones, so a phrase
        // listed under two codes takes the last.
        let mut defs: Vec<(String, Atom)> = Vec::new();
        for (n, line) in lines(text) {
            let Some((code, rest)) = line.split_once(':') else {
                return Err(syntax(file, n, "expected CODE: phrases"));
            };
            let code = code.trim();
            for p in alts(rest) {
                let (phrase, sector, weak) = if let Some((p, s)) = p.split_once('=') {
                    (p.trim(), s.trim().to_string(), false)
                } else if let Some(p) = p.strip_suffix('?') {
                    (p.trim(), code.to_string(), true)
                } else {
                    (p, code.to_string(), false)
                };
                let atom = Atom::Sector { sector, weak };
                let mut forms = vec![phrase.to_string()];
                forms.extend(plurals(phrase));
                for f in forms {
                    defs.retain(|(k, _)| *k != f);
                    defs.push((f, atom.clone()));
                }
            }
        }
        for (p, a) in defs {
            d.add(&p, a);
        }
        Ok(())
    }
}

/// `orgs.txt`: `CODE | names | sector`.
pub struct OrgsFormat;

impl DictionaryFormat for OrgsFormat {
    fn name(&self) -> &str {
        "orgs"
    }
    fn load(&self, file: &str, text: &str, d: &mut Dictionaries) -> Result<(), DictError> {
        for (n, line) in lines(text) {
            let f: Vec<&str> = line.split('|').map(str::trim).collect();
            if f.len() < 2 || f[0].len() < 3 {
                return Err(syntax(file, n, "expected CODE | names | sector"));
            }
            let sector = f.get(2).copied().unwrap_or("").to_string();
            for name in alts(f[1]) {
                let atom = Atom::Org {
                    code: f[0].to_string(),
                    sector: sector.clone(),
                };
                d.add(name, atom);
            }
        }
        Ok(())
    }
}

/// `leaders.txt`: `full name | other names | actor | office | from | to`.
pub struct LeadersFormat;

impl DictionaryFormat for LeadersFormat {
    fn name(&self) -> &str {
        "leaders"
    }
    fn load(&self, file: &str, text: &str, d: &mut Dictionaries) -> Result<(), DictError> {
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        let mut names: Vec<(String, String, bool)> = Vec::new();
        for (n, line) in lines(text) {
            let f: Vec<&str> = line.split('|').map(str::trim).collect();
            if f.len() != 6 || f[2].len() < 3 || f[4].is_empty() {
                return Err(syntax(
                    file,
                    n,
                    "expected name | aliases | actor | office | from | to",
                ));
            }
            let row = d.leaders.len();
            d.leaders.push(Leader {
                name: f[0].to_string(),
                actor: f[2].to_string(),
                office: f[3].to_string(),
                from: f[4].to_string(),
                to: if f[5] == "-" {
                    String::new()
                } else {
                    f[5].to_string()
                },
            });
            by_name.entry(f[0].to_string()).or_default().push(row);
            names.push((f[0].to_string(), f[0].to_string(), true));
            for a in alts(f[1]) {
                names.push((a.to_string(), f[0].to_string(), false));
            }
        }
        let mut seen = std::collections::HashSet::new();
        for (phrase, person, full) in names {
            if !seen.insert((phrase.clone(), person.clone())) {
                continue;
            }
            let rows = by_name[&person].clone();
            d.add(&phrase, Atom::Leader { rows, full });
        }
        Ok(())
    }
}

pub const COUNTRIES: &str = include_str!("../dictionaries/countries.txt");
pub const SECTORS: &str = include_str!("../dictionaries/sectors.txt");
pub const ORGS: &str = include_str!("../dictionaries/orgs.txt");
pub const LEADERS: &str = include_str!("../dictionaries/leaders.txt");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_dictionaries_load() {
        let d = Dictionaries::embedded().expect("load");
        assert!(d.lookup("russia").iter().any(|e| matches!(&e.atom,
            Atom::Country { iso, form: CountryForm::Name } if iso == "RUS")));
        assert!(d.lookup("kremlin").iter().any(|e| matches!(&e.atom,
            Atom::Metonym { iso, sector } if iso == "RUS" && sector == "GOV")));
        assert!(d.lookup("pentagon").iter().any(|e| matches!(&e.atom,
            Atom::Metonym { sector, .. } if sector == "MIL")));
        assert!(d.lookup("policemen").iter().any(|e| matches!(&e.atom,
            Atom::Sector { sector, .. } if sector == "COP")));
        assert!(d.lookup("afghans").iter().any(|e| matches!(
            &e.atom,
            Atom::Country {
                form: CountryForm::Adjective { plural: true },
                ..
            }
        )));
        let us = d.lookup("us");
        assert!(us.iter().all(|e| e.case_sensitive));
    }

    #[test]
    fn leaders_resolve_against_the_date() {
        let d = Dictionaries::embedded().expect("load");
        let rows = match &d.lookup("putin")[0].atom {
            Atom::Leader { rows, .. } => rows.clone(),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            d.leader_actor(&rows, Some("2018-05-17")).unwrap().0,
            "RUSGOV"
        );
        assert_eq!(d.leader_actor(&rows, Some("1995")), None);
        let bush = match &d.lookup("bush")[0].atom {
            Atom::Leader { rows, .. } => rows.clone(),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            d.leader_actor(&bush, Some("2015-01-01")).unwrap().0,
            "USAELI"
        );
    }

    #[test]
    fn a_bad_line_is_reported_with_its_number() {
        let mut d = Dictionaries::default();
        let e = OrgsFormat
            .load("x.txt", "# c\nIGOUNO\n", &mut d)
            .unwrap_err();
        assert!(e.to_string().contains("x.txt:2"), "{e}");
    }
}
