//! `dyad eval pos|dep|ner`: scores the embedded models on gold tokens
//! (UD EWT and GUM test; UniversalNER EWT test), and end to end from raw
//! sentence text when the text stage is in the pipeline.

use crate::Error;
use dyad_models::{data, dep, pos, train};
use std::io::Write;
use std::path::Path;

fn conv(e: dyad_models::Error) -> Error {
    match e {
        dyad_models::Error::MissingData(p) => Error::MissingData(p),
        other => Error::Read {
            path: "model data".into(),
            message: other.to_string(),
        },
    }
}

pub fn run(task: &str, data_dir: &Path, out: &mut dyn Write) -> Result<(), Error> {
    let t0 = std::time::Instant::now();
    let Some(tagger) = dyad_models::tagger() else {
        writeln!(
            out,
            "eval {task}: this build has no embedded tagger (models/pos.bin is empty)"
        )?;
        return Ok(());
    };
    let load_ms = t0.elapsed().as_secs_f64() * 1e3;
    match task {
        "pos" => {
            writeln!(
                out,
                "POS tagging and lemmas, gold tokens (tagger load {load_ms:.0} ms)"
            )?;
            writeln!(
                out,
                "{:<12} {:>8} {:>8} {:>8} {:>8}",
                "set", "words", "UPOS", "XPOS", "lemma"
            )?;
            for bank in ["ewt", "gum"] {
                let s = data::treebank(data_dir, bank, "test").map_err(conv)?;
                let n: usize = s.iter().map(|x| x.words.len()).sum();
                let (u, x, l) = pos::trainer::accuracy(tagger, &s);
                writeln!(
                    out,
                    "{:<12} {n:>8} {u:>8.4} {x:>8.4} {l:>8.4}",
                    format!("{bank} test")
                )?;
            }
            writeln!(out, "target: UPOS >= 0.955 on EWT test")?;
        }
        "dep" => {
            let Some(parser) = dyad_models::parser() else {
                writeln!(
                    out,
                    "eval dep: this build has no embedded parser (models/dep.bin is empty)"
                )?;
                return Ok(());
            };
            writeln!(
                out,
                "Dependency parsing, gold tokens, predicted tags (punctuation included)"
            )?;
            writeln!(
                out,
                "{:<12} {:>8} {:>8} {:>8}",
                "set", "words", "UAS", "LAS"
            )?;
            for bank in ["ewt", "gum"] {
                let s = data::treebank(data_dir, bank, "test").map_err(conv)?;
                let n: usize = s.iter().map(|x| x.words.len()).sum();
                let tags = train::joint_tags(tagger, &s);
                let exs = examples(parser, &s, &tags);
                let (u, l) = dep::trainer::attachment(parser, &exs);
                writeln!(
                    out,
                    "{:<12} {n:>8} {u:>8.4} {l:>8.4}",
                    format!("{bank} test")
                )?;
            }
            writeln!(out, "targets: UAS >= 0.87, LAS >= 0.84 on EWT test")?;
        }
        "ner" => {
            let Some(rec) = dyad_models::recognizer() else {
                writeln!(
                    out,
                    "eval ner: this build has no embedded recogniser (models/ner.bin is empty)"
                )?;
                return Ok(());
            };
            let test = data::uner(data_dir, "test").map_err(conv)?;
            let exs: Vec<_> = test
                .into_iter()
                .map(|s| {
                    let w: Vec<&str> = s.words.iter().map(|w| w.as_str()).collect();
                    let upos = tagger
                        .tag(&w)
                        .into_iter()
                        .map(|c| tagger.class(c).0.to_string())
                        .collect();
                    dyad_models::ner::trainer::Example {
                        words: s.words,
                        upos,
                        tags: s.tags,
                    }
                })
                .collect();
            writeln!(out, "Named entities, UNER EWT test, exact spans, gold tokens (NORP not scored: not in gold)")?;
            write!(out, "{}", train::ner_table(rec, &exs, "type"))?;
            writeln!(out, "target: F1 >= 0.75 (micro, PER/ORG/LOC)")?;
        }
        other => writeln!(out, "unknown model task {other}")?,
    }
    Ok(())
}

fn examples(
    p: &dyad_models::dep::Parser,
    s: &[dyad_models::conllu::Sentence],
    tags: &[Vec<String>],
) -> Vec<dep::trainer::Example> {
    let labels = p.labels().to_vec();
    dep::trainer::examples(s, tags, &labels)
}
