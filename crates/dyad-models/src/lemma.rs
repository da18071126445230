//! Lemmatiser: suffix rules plus an exception lexicon, both learned from
//! the treebank. A rule is "strip k characters, append s", chosen by the
//! XPOS tag and the longest known suffix of the lower-cased form; the
//! lexicon keeps only the (form, XPOS) pairs the rules get wrong.

use crate::conllu::Sentence;
use crate::feat::{hstr, mix, suffix};
use crate::format::{Reader, Writer};
use crate::perceptron::HashKeyMap;
use crate::Error;
use std::collections::HashMap;

/// Both tables are keyed by a hash of their two strings (see [`key`]), so
/// a lookup builds no key strings; the strings stay in the values for
/// saving.
#[derive(Default)]
pub struct Lemmatizer {
    /// (xpos, suffix) -> (strip, append)
    rules: HashKeyMap<((String, String), (u8, String))>,
    /// (lower form, xpos) -> lemma
    lexicon: HashKeyMap<((String, String), String)>,
}

impl std::fmt::Debug for Lemmatizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Lemmatizer({} rules, {} exceptions)",
            self.rules.len(),
            self.lexicon.len()
        )
    }
}

/// Table key of a pair of strings.
fn key(a: &str, b: &str) -> u64 {
    mix(hstr(a).wrapping_add(hstr(b).rotate_left(29)))
}

const MAX_SUF: usize = 5;

fn rule_of(form: &str, lemma: &str) -> (u8, String) {
    let f: Vec<char> = form.chars().collect();
    let l: Vec<char> = lemma.chars().collect();
    let common = f.iter().zip(&l).take_while(|(a, b)| a == b).count();
    (
        (f.len() - common).min(255) as u8,
        l[common..].iter().collect(),
    )
}

fn apply(form: &str, rule: &(u8, String)) -> String {
    let n = form.chars().count();
    let keep = n.saturating_sub(rule.0 as usize);
    let mut s: String = form.chars().take(keep).collect();
    s.push_str(&rule.1);
    s
}

impl Lemmatizer {
    /// Learns rules and exceptions from gold sentences.
    pub fn train(sents: &[Sentence]) -> Lemmatizer {
        let mut rule_counts: HashMap<(String, String), HashMap<(u8, String), u32>> = HashMap::new();
        let mut lex_counts: HashMap<(String, String), HashMap<String, u32>> = HashMap::new();
        for s in sents {
            for w in &s.words {
                if w.lemma.is_empty() || w.lemma == "_" || w.form.len() > 64 {
                    continue;
                }
                let lf = w.form.to_lowercase();
                *lex_counts
                    .entry((lf.clone(), w.xpos.clone()))
                    .or_default()
                    .entry(w.lemma.clone())
                    .or_default() += 1;
                if w.upos == "PROPN" {
                    continue;
                }
                let r = rule_of(&lf, &w.lemma.to_lowercase());
                for k in 0..=MAX_SUF.min(lf.chars().count()) {
                    *rule_counts
                        .entry((w.xpos.clone(), suffix(&lf, k).to_string()))
                        .or_default()
                        .entry(r.clone())
                        .or_default() += 1;
                }
            }
        }
        let best = |m: &HashMap<(u8, String), u32>| {
            let mut v: Vec<_> = m.iter().collect();
            v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
            v[0].0.clone()
        };
        let mut me = Lemmatizer::default();
        for (k, m) in &rule_counts {
            me.rules.insert(key(&k.0, &k.1), (k.clone(), best(m)));
        }
        for ((lf, xpos), m) in lex_counts {
            let mut v: Vec<_> = m.into_iter().collect();
            v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            let lemma = v[0].0.clone();
            let upos_guess = if lemma.chars().next().is_some_and(|c| c.is_uppercase()) {
                "PROPN"
            } else {
                ""
            };
            if me.by_rule(&lf, &lf, &xpos, upos_guess) != lemma {
                me.lexicon.insert(key(&lf, &xpos), ((lf, xpos), lemma));
            }
        }
        me
    }

    fn by_rule(&self, form: &str, lf: &str, xpos: &str, upos: &str) -> String {
        if upos == "PROPN" {
            return form.to_string();
        }
        let n = lf.chars().count();
        for k in (0..=MAX_SUF.min(n)).rev() {
            if let Some((_, r)) = self.rules.get(&key(xpos, suffix(lf, k))) {
                return apply(lf, r);
            }
        }
        lf.to_string()
    }

    /// The lemma of `form` tagged `upos`/`xpos`.
    pub fn lemma(&self, form: &str, upos: &str, xpos: &str) -> String {
        if form.len() > 64 {
            return form.to_string();
        }
        let lf = form.to_lowercase();
        if let Some((_, l)) = self.lexicon.get(&key(&lf, xpos)) {
            return l.clone();
        }
        self.by_rule(form, &lf, xpos, upos)
    }

    pub fn write(&self, w: &mut Writer) {
        let mut rules: Vec<_> = self.rules.values().collect();
        rules.sort();
        w.u32(rules.len() as u32);
        for ((x, s), (k, a)) in rules {
            w.str(x);
            w.str(s);
            w.u32(*k as u32);
            w.str(a);
        }
        let mut lex: Vec<_> = self.lexicon.values().collect();
        lex.sort();
        w.u32(lex.len() as u32);
        for ((f, x), l) in lex {
            w.str(f);
            w.str(x);
            w.str(l);
        }
    }

    pub fn read(r: &mut Reader) -> Result<Lemmatizer, Error> {
        let mut me = Lemmatizer::default();
        let n = r.u32()?;
        for _ in 0..n {
            let x = r.str()?;
            let s = r.str()?;
            let k = r.u32()?.min(255) as u8;
            let a = r.str()?;
            me.rules.insert(key(&x, &s), ((x, s), (k, a)));
        }
        let n = r.u32()?;
        for _ in 0..n {
            let f = r.str()?;
            let x = r.str()?;
            let l = r.str()?;
            me.lexicon.insert(key(&f, &x), ((f, x), l));
        }
        Ok(me)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conllu::Word;

    fn w(form: &str, lemma: &str, upos: &str, xpos: &str) -> Word {
        Word {
            form: form.into(),
            lemma: lemma.into(),
            upos: upos.into(),
            xpos: xpos.into(),
            ..Default::default()
        }
    }

    #[test]
    fn learns_rules_that_generalise_and_exceptions() {
        let s = Sentence {
            words: vec![
                w("walked", "walk", "VERB", "VBD"),
                w("talked", "talk", "VERB", "VBD"),
                w("went", "go", "VERB", "VBD"),
                w("cats", "cat", "NOUN", "NNS"),
                w("dogs", "dog", "NOUN", "NNS"),
                w("The", "the", "DET", "DT"),
                w("Putin", "Putin", "PROPN", "NNP"),
            ],
            ..Default::default()
        };
        let l = Lemmatizer::train(&[s]);
        assert_eq!(l.lemma("jumped", "VERB", "VBD"), "jump");
        assert_eq!(l.lemma("went", "VERB", "VBD"), "go");
        assert_eq!(l.lemma("birds", "NOUN", "NNS"), "bird");
        assert_eq!(l.lemma("Assad", "PROPN", "NNP"), "Assad");
        assert_eq!(l.lemma("THE", "DET", "DT"), "the");
        let mut wr = Writer::new("lemma", 1);
        l.write(&mut wr);
        let buf = wr.finish();
        let l2 = Lemmatizer::read(&mut Reader::new(&buf, "lemma", 1).unwrap()).unwrap();
        assert_eq!(l2.lemma("went", "VERB", "VBD"), "go");
    }
}
