//! `dyad annotate`: tags, lemmatises, parses and recognises entities.
//! CoNLL-U input keeps its gold tokens and sentences (how outside
//! treebanks are scored); text input goes through the text stage first.

use anyhow::Context;
use dyad_core::{Doc, Source, Stage};
use dyad_models::conllu::{self, Sentence};
use std::io::{Read, Write};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// Input file (`-` for stdin).
    #[arg(default_value = "-")]
    pub path: PathBuf,
    /// Input format: conllu or text.
    #[arg(long, default_value = "conllu")]
    pub input: String,
    /// Output format: conllu or jsonl.
    #[arg(long, default_value = "conllu")]
    pub format: String,
}

fn read_input(p: &PathBuf) -> anyhow::Result<String> {
    if p.as_os_str() == "-" {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s)?;
        Ok(s)
    } else {
        std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))
    }
}

/// Annotates one gold-tokenised sentence in place; NER goes to MISC.
fn annotate_sentence(s: &mut Sentence) {
    let words: Vec<String> = s.words.iter().map(|w| w.form.clone()).collect();
    let w: Vec<&str> = words.iter().map(|x| x.as_str()).collect();
    let mut upos = vec![String::new(); w.len()];
    let mut xpos = vec![String::new(); w.len()];
    if let Some(t) = dyad_models::tagger() {
        for (i, c) in t.tag(&w).into_iter().enumerate() {
            let (u, x) = t.class(c);
            upos[i] = u.to_string();
            xpos[i] = x.to_string();
            s.words[i].lemma = t.lemma(w[i], u, x);
            s.words[i].upos = u.to_string();
            s.words[i].xpos = x.to_string();
        }
    }
    if let Some(p) = dyad_models::parser() {
        let tags: Vec<String> = upos
            .iter()
            .zip(&xpos)
            .map(|(u, x)| dyad_models::dep::joint_tag(u, x))
            .collect();
        let t: Vec<&str> = tags.iter().map(|x| x.as_str()).collect();
        for (i, (h, l)) in p.parse(&w, &t).into_iter().enumerate() {
            s.words[i].head = h.map(|h| h + 1).unwrap_or(0);
            s.words[i].deprel = p.label(l).to_string();
            s.words[i].deps = "_".into();
        }
    }
    let mut ner = vec!["O".to_string(); w.len()];
    if let Some(r) = dyad_models::recognizer() {
        let u: Vec<&str> = upos.iter().map(|x| x.as_str()).collect();
        for (a, b, l) in r.recognize(&w, &u) {
            for (k, slot) in ner.iter_mut().enumerate().take(b).skip(a) {
                *slot = format!("{}-{l}", if k == a { "B" } else { "I" });
            }
        }
    }
    for (word, tag) in s.words.iter_mut().zip(ner) {
        let mut parts: Vec<String> = word
            .misc
            .split('|')
            .filter(|p| !p.is_empty() && *p != "_" && !p.starts_with("NER="))
            .map(String::from)
            .collect();
        if tag != "O" {
            parts.push(format!("NER={tag}"));
        }
        word.misc = if parts.is_empty() {
            "_".into()
        } else {
            parts.join("|")
        };
    }
}

fn sentence_json(s: &Sentence) -> serde_json::Value {
    let toks: Vec<serde_json::Value> = s
        .words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            serde_json::json!({
                "id": i + 1, "form": w.form, "lemma": w.lemma, "upos": w.upos, "xpos": w.xpos,
                "head": w.head, "deprel": w.deprel,
                "ner": w.misc.split('|').find_map(|p| p.strip_prefix("NER=")).unwrap_or("O"),
            })
        })
        .collect();
    serde_json::json!({ "sent_id": s.meta("sent_id"), "text": s.meta("text"), "tokens": toks })
}

/// A Doc annotated by the text stage and the models, as CoNLL-U sentences.
fn doc_to_conllu(doc: &Doc) -> Vec<Sentence> {
    let ner: Vec<String> = {
        let mut v = vec!["O".to_string(); doc.tokens.len()];
        for e in &doc.entities {
            let mut first = true;
            for (k, t) in doc.tokens.iter().enumerate() {
                if t.start >= e.start && t.end <= e.end {
                    v[k] = format!("{}-{}", if first { "B" } else { "I" }, e.label);
                    first = false;
                }
            }
        }
        v
    };
    doc.sentences
        .iter()
        .enumerate()
        .map(|(si, s)| {
            let r = s.tokens.clone();
            let words = doc.tokens[r.clone()]
                .iter()
                .enumerate()
                .map(|(k, t)| {
                    let abs = r.start + k;
                    let mut misc = Vec::new();
                    if !t.space_after {
                        misc.push("SpaceAfter=No".to_string());
                    }
                    if ner[abs] != "O" {
                        misc.push(format!("NER={}", ner[abs]));
                    }
                    conllu::Word {
                        form: doc.slice(t.start, t.end).to_string(),
                        lemma: t.lemma.clone().unwrap_or_default(),
                        upos: t.upos.clone().unwrap_or_default(),
                        xpos: t.xpos.clone().unwrap_or_default(),
                        feats: String::new(),
                        head: t.head.map(|h| h + 1 - r.start).unwrap_or(0),
                        deprel: t.deprel.clone().unwrap_or_default(),
                        deps: String::new(),
                        misc: misc.join("|"),
                    }
                })
                .collect();
            Sentence {
                comments: vec![
                    format!("# sent_id = {}", si + 1),
                    format!("# text = {}", doc.slice(s.start, s.end).replace('\n', " ")),
                ],
                words,
                ..Default::default()
            }
        })
        .collect()
}

pub fn run(args: Args) -> anyhow::Result<i32> {
    if !matches!(args.format.as_str(), "conllu" | "jsonl") {
        anyhow::bail!("--format must be conllu or jsonl");
    }
    let text = read_input(&args.path)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match args.input.as_str() {
        "conllu" => {
            let mut sents = conllu::parse(&text)?;
            for s in sents.iter_mut() {
                annotate_sentence(s);
            }
            if args.format == "conllu" {
                conllu::write(&sents, &mut out)?;
            } else {
                for s in &sents {
                    writeln!(out, "{}", sentence_json(s))?;
                }
            }
        }
        "text" => {
            let mut doc = Doc::from_clean_text(
                args.path.display().to_string(),
                Source::path(args.path.display().to_string()),
                text,
            );
            let stages: Vec<Box<dyn Stage>> = dyad_text::stages()
                .into_iter()
                .chain(dyad_models::stages())
                .collect();
            if dyad_text::stages().is_empty() {
                anyhow::bail!("this build has no text stage (tokeniser); use --input conllu");
            }
            dyad_core::Pipeline::new(stages).run(&mut doc);
            if let Some(e) = &doc.error {
                anyhow::bail!("{}: {}", e.stage, e.message);
            }
            if args.format == "conllu" {
                conllu::write(&doc_to_conllu(&doc), &mut out)?;
            } else {
                writeln!(out, "{}", doc.record_with(true))?;
            }
        }
        other => anyhow::bail!("--input must be conllu or text, not {other:?}"),
    }
    out.flush()?;
    Ok(0)
}
