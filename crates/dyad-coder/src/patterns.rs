//! The event pattern dictionary (`dictionaries/events.txt`): triggers to
//! PLOVER type, mode and CAMEO code, with example sentences.

use crate::dict::DictError;
use std::collections::{HashMap, HashSet};

/// A verbal or nominal trigger.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TriggerKind {
    Verb,
    Noun,
    /// A modal of obligation in reported speech: "X said Y must ..." is X
    /// asking something of Y.
    Modal,
}

/// One trigger of a pattern.
#[derive(Debug, Clone)]
pub struct Trigger {
    pub kind: TriggerKind,
    /// The head word (lemma) that anchors the trigger.
    pub head: String,
    /// Words that must precede the head (nouns: "hunger" strike).
    pub before: Vec<String>,
    /// Particles that must follow the head (verbs: pull "out").
    pub particles: Vec<String>,
    /// One of these must be among the predicate's dependents.
    pub required: Vec<String>,
}

impl Trigger {
    /// Specificity: required words and multiword triggers win.
    pub fn weight(&self) -> usize {
        10 * usize::from(!self.required.is_empty()) + self.before.len() + self.particles.len()
    }
}

/// An example sentence with the expected coding.
#[derive(Debug, Clone)]
pub struct Example {
    pub text: String,
    pub plover: String,
    pub source: String,
    /// "-" when the event has no target.
    pub target: String,
}

/// One pattern.
#[derive(Debug, Clone, Default)]
pub struct Pattern {
    pub id: String,
    pub plover: String,
    pub mode: Option<String>,
    pub cameo: String,
    pub triggers: Vec<Trigger>,
    pub symmetric: bool,
    pub examples: Vec<Example>,
}

/// The whole dictionary with an index from word forms to triggers.
#[derive(Debug, Clone, Default)]
pub struct Patterns {
    pub list: Vec<Pattern>,
    pub light: HashSet<String>,
    pub report: HashSet<String>,
    pub defer: HashSet<String>,
    /// Word form (inflected or lemma) -> (pattern, trigger).
    pub index: HashMap<String, Vec<(usize, usize)>>,
}

const IRREGULAR: &[(&str, &[&str])] = &[
    ("meet", &["met"]),
    ("hold", &["held"]),
    ("make", &["made"]),
    ("take", &["took", "taken"]),
    ("give", &["gave", "given"]),
    ("send", &["sent"]),
    ("seek", &["sought"]),
    ("fight", &["fought"]),
    ("shoot", &["shot"]),
    ("beat", &["beaten"]),
    ("break", &["broke", "broken"]),
    ("lead", &["led"]),
    ("begin", &["began", "begun"]),
    ("tell", &["told"]),
    ("say", &["said"]),
    ("withdraw", &["withdrew", "withdrawn"]),
    ("forbid", &["forbade", "forbidden"]),
    ("overrun", &["overran"]),
    ("swear", &["swore", "sworn"]),
    ("undertake", &["undertook", "undertaken"]),
    ("strike", &["struck"]),
    ("blow", &["blew", "blown"]),
    ("go", &["went", "gone"]),
    ("slay", &["slew", "slain"]),
    ("freeze", &["froze", "frozen"]),
    ("build", &["built"]),
    ("quit", &["quit"]),
    ("set", &["set"]),
    ("cut", &["cut"]),
    ("put", &["put"]),
    ("shut", &["shut"]),
    ("let", &["let"]),
    ("bid", &["bid"]),
    (
        "be",
        &[
            "is", "are", "was", "were", "been", "being", "am", "'s", "'re",
        ],
    ),
    ("have", &["has", "had", "having"]),
    ("know", &["knew", "known"]),
    ("think", &["thought"]),
    ("show", &["shown"]),
    ("write", &["wrote", "written"]),
    ("mistake", &["mistook"]),
    ("speak", &["spoke", "spoken"]),
    ("win", &["won"]),
    ("lose", &["lost"]),
    ("stand", &["stood"]),
    ("wage", &["waged"]),
];

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u')
}

/// Inflected forms of an English verb or noun lemma (regular rules plus
/// a small irregular table). Over-generation is harmless here.
pub fn inflections(lemma: &str) -> Vec<String> {
    let mut v = vec![lemma.to_string()];
    if let Some((_, forms)) = IRREGULAR.iter().find(|(l, _)| *l == lemma) {
        v.extend(forms.iter().map(|s| s.to_string()));
    }
    let chars: Vec<char> = lemma.chars().collect();
    let n = chars.len();
    if n < 2 {
        return v;
    }
    let last = chars[n - 1];
    // -s
    if lemma.ends_with('s')
        || lemma.ends_with("sh")
        || lemma.ends_with("ch")
        || lemma.ends_with('x')
        || lemma.ends_with('z')
    {
        v.push(format!("{lemma}es"));
    } else if last == 'y' && !is_vowel(chars[n - 2]) {
        v.push(format!("{}ies", &lemma[..lemma.len() - 1]));
    } else {
        v.push(format!("{lemma}s"));
    }
    // -ed / -ing
    let stem_e = lemma.strip_suffix('e');
    if let Some(s) = stem_e {
        v.push(format!("{s}ed"));
        v.push(format!("{s}ing"));
    } else if last == 'y' && !is_vowel(chars[n - 2]) {
        let s = &lemma[..lemma.len() - 1];
        v.push(format!("{s}ied"));
        v.push(format!("{lemma}ing"));
    } else {
        v.push(format!("{lemma}ed"));
        v.push(format!("{lemma}ing"));
        // Doubling: "ban" -> "banned", "ship" -> "shipped".
        if n >= 3
            && !is_vowel(last)
            && is_vowel(chars[n - 2])
            && !is_vowel(chars[n - 3])
            && !matches!(last, 'w' | 'x' | 'y')
        {
            v.push(format!("{lemma}{last}ed"));
            v.push(format!("{lemma}{last}ing"));
        }
    }
    v
}

fn list(s: &str) -> Vec<String> {
    s.split(';')
        .map(|x| x.trim().to_lowercase())
        .filter(|x| !x.is_empty())
        .collect()
}

impl Patterns {
    /// The embedded pattern dictionary.
    pub fn embedded() -> Result<Patterns, DictError> {
        Patterns::parse("events.txt", EVENTS)
    }

    /// Parses the block format described at the top of `events.txt`.
    pub fn parse(file: &str, text: &str) -> Result<Patterns, DictError> {
        let mut p = Patterns::default();
        let mut cur: Option<Pattern> = None;
        let mut section = String::new();
        let err = |line: usize, m: &str| DictError::Syntax {
            file: file.to_string(),
            line,
            message: m.to_string(),
        };
        for (n, raw) in text.lines().enumerate() {
            let n = n + 1;
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(id) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                if let Some(c) = cur.take() {
                    p.push(c);
                }
                section = id.to_string();
                if !matches!(id, "light" | "report" | "xcomp-defer") {
                    cur = Some(Pattern {
                        id: id.to_string(),
                        ..Default::default()
                    });
                }
                continue;
            }
            let Some((k, val)) = line.split_once(':') else {
                return Err(err(n, "expected key: value"));
            };
            let val = val.trim();
            let Some(c) = cur.as_mut() else {
                if k.trim() != "verbs" {
                    return Err(err(n, "expected verbs: in this section"));
                }
                let set = match section.as_str() {
                    "light" => &mut p.light,
                    "report" => &mut p.report,
                    _ => &mut p.defer,
                };
                set.extend(list(val).iter().flat_map(|l| inflections(l)));
                continue;
            };
            match k.trim() {
                "plover" => c.plover = val.to_string(),
                "mode" => c.mode = Some(val.to_string()).filter(|m| !m.is_empty()),
                "cameo" => c.cameo = val.to_string(),
                "symmetric" => c.symmetric = val == "yes",
                "verb" | "noun" | "modal" => {
                    let kind = match k.trim() {
                        "verb" => TriggerKind::Verb,
                        "modal" => TriggerKind::Modal,
                        _ => TriggerKind::Noun,
                    };
                    let (words, req) = match val.split_once('+') {
                        Some((w, r)) => (
                            w,
                            r.split('|')
                                .map(|x| x.trim().to_lowercase())
                                .filter(|x| !x.is_empty())
                                .collect(),
                        ),
                        None => (val, Vec::new()),
                    };
                    for w in list(words) {
                        let parts: Vec<String> = w.split_whitespace().map(String::from).collect();
                        let t = match kind {
                            TriggerKind::Verb | TriggerKind::Modal => Trigger {
                                kind,
                                head: parts[0].clone(),
                                before: Vec::new(),
                                particles: parts[1..].to_vec(),
                                required: req.clone(),
                            },
                            TriggerKind::Noun => Trigger {
                                kind,
                                head: parts[parts.len() - 1].clone(),
                                before: parts[..parts.len() - 1].to_vec(),
                                particles: Vec::new(),
                                required: req.clone(),
                            },
                        };
                        c.triggers.push(t);
                    }
                }
                "example" => {
                    let Some((s, codes)) = val.split_once("=>") else {
                        return Err(err(n, "example needs => TYPE SOURCE TARGET"));
                    };
                    let f: Vec<&str> = codes.split_whitespace().collect();
                    if f.len() != 3 {
                        return Err(err(n, "example needs => TYPE SOURCE TARGET"));
                    }
                    c.examples.push(Example {
                        text: s.trim().to_string(),
                        plover: f[0].to_string(),
                        source: f[1].to_string(),
                        target: f[2].to_string(),
                    });
                }
                other => return Err(err(n, &format!("unknown key {other}"))),
            }
        }
        if let Some(c) = cur.take() {
            p.push(c);
        }
        for (i, pat) in p.list.iter().enumerate() {
            if pat.plover.is_empty() || pat.cameo.is_empty() || pat.triggers.is_empty() {
                return Err(err(
                    0,
                    &format!("pattern {} needs plover, cameo and a trigger", pat.id),
                ));
            }
            let _ = i;
        }
        Ok(p)
    }

    fn push(&mut self, pat: Pattern) {
        let pi = self.list.len();
        for (ti, t) in pat.triggers.iter().enumerate() {
            for f in inflections(&t.head) {
                let e = self.index.entry(f).or_default();
                if !e.contains(&(pi, ti)) {
                    e.push((pi, ti));
                }
            }
        }
        self.list.push(pat);
    }

    /// Triggers whose head matches a word form or lemma.
    pub fn candidates(&self, lower: &str, lemma: &str) -> Vec<(usize, usize)> {
        let mut v: Vec<(usize, usize)> = self.index.get(lower).cloned().unwrap_or_default();
        if lemma != lower {
            for x in self.index.get(lemma).into_iter().flatten() {
                if !v.contains(x) {
                    v.push(*x);
                }
            }
        }
        v
    }

    /// Whether a word (form or lemma) is in a verb set (sets hold all forms).
    pub fn in_set(set: &HashSet<String>, lower: &str, lemma: &str) -> bool {
        set.contains(lemma) || set.contains(lower)
    }
}

pub const EVENTS: &str = include_str!("../dictionaries/events.txt");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inflections_cover_regular_and_irregular_forms() {
        let f = inflections("ban");
        assert!(f.contains(&"banned".to_string()) && f.contains(&"bans".to_string()));
        assert!(inflections("meet").contains(&"met".to_string()));
        assert!(inflections("criticize").contains(&"criticized".to_string()));
        assert!(inflections("apply").contains(&"applied".to_string()));
    }

    #[test]
    fn the_embedded_patterns_parse_and_each_has_an_example() {
        let p = Patterns::embedded().expect("parse");
        assert!(p.list.len() > 50);
        for pat in &p.list {
            assert!(
                !pat.examples.is_empty(),
                "pattern {} has no example",
                pat.id
            );
            assert!(pat.cameo.chars().all(|c| c.is_ascii_digit()), "{}", pat.id);
        }
        assert!(p.light.contains("stage") && p.report.contains("say"));
    }
}
