//! Behaviour tests with tiny models trained on hand-written fixtures (no
//! shared data needed), plus bad-input tests on the embedded models.

use dyad_models::conllu;
use dyad_models::dep;
use dyad_models::ner;
use dyad_models::pos;
use dyad_models::TrainConfig;

/// A hand-written mini treebank (our own sentences).
const FIXTURE: &str = "\
1\tAnna\tAnna\tPROPN\tNNP\t_\t2\tnsubj\t_\t_
2\tvisited\tvisit\tVERB\tVBD\t_\t0\troot\t_\t_
3\tParis\tParis\tPROPN\tNNP\t_\t2\tobj\t_\t_
4\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_

1\tThe\tthe\tDET\tDT\t_\t2\tdet\t_\t_
2\tdog\tdog\tNOUN\tNN\t_\t3\tnsubj\t_\t_
3\tsaw\tsee\tVERB\tVBD\t_\t0\troot\t_\t_
4\tthe\tthe\tDET\tDT\t_\t5\tdet\t_\t_
5\tcats\tcat\tNOUN\tNNS\t_\t3\tobj\t_\t_
6\t.\t.\tPUNCT\t.\t_\t3\tpunct\t_\t_

1\tBoris\tBoris\tPROPN\tNNP\t_\t2\tnsubj\t_\t_
2\tmet\tmeet\tVERB\tVBD\t_\t0\troot\t_\t_
3\tthe\tthe\tDET\tDT\t_\t4\tdet\t_\t_
4\tminister\tminister\tNOUN\tNN\t_\t2\tobj\t_\t_
5\tin\tin\tADP\tIN\t_\t6\tcase\t_\t_
6\tRome\tRome\tPROPN\tNNP\t_\t2\tobl\t_\t_
7\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_

";

const NER_FIXTURE: &str = "\
# sent_id = a
1\tAnna\tB-PER\t-\t-
2\tvisited\tO\t-\t-
3\tParis\tB-LOC\t-\t-
4\t.\tO\t-\t-

# sent_id = b
1\tBoris\tB-PER\t-\t-
2\tJones\tI-PER\t-\t-
3\tjoined\tO\t-\t-
4\tAcme\tB-ORG\t-\t-
5\tCorp\tI-ORG\t-\t-
6\t.\tO\t-\t-

";

fn cfg() -> TrainConfig {
    TrainConfig {
        seed: 7,
        epochs: 8,
        min_weight: 0.0,
        checkpoint: None,
    }
}

fn models() -> (pos::Tagger, dep::Parser, ner::Recognizer) {
    let sents = conllu::parse(FIXTURE).unwrap();
    let mut quiet = |_: &str| {};
    let t = pos::trainer::train(&sents, &sents, &cfg(), &mut quiet);
    let tags = dyad_models::train::joint_tags(&t, &sents);
    let labels = dep::trainer::label_set(&sents);
    let ex = dep::trainer::examples(&sents, &tags, &labels);
    let p = dep::trainer::train(&ex, &ex, labels, &cfg(), &mut quiet);
    let ns = conllu::parse_iob2(NER_FIXTURE).unwrap();
    let nex: Vec<_> = ns
        .into_iter()
        .map(|s| ner::trainer::Example {
            upos: vec![String::new(); s.words.len()],
            words: s.words,
            tags: s.tags,
        })
        .collect();
    let places = ner::places::Places::build([("Paris", ner::places::CITY_1M)]);
    let r = ner::trainer::train(&nex, &nex, places, &cfg(), &mut quiet);
    (t, p, r)
}

#[test]
fn tiny_models_learn_their_training_data_and_round_trip() {
    let (t, p, r) = models();
    let t = pos::Tagger::load(&t.save()).unwrap();
    let p = dep::Parser::load(&p.save()).unwrap();
    let r = ner::Recognizer::load(&r.save()).unwrap();
    let sents = conllu::parse(FIXTURE).unwrap();
    let (u, _, l) = pos::trainer::accuracy(&t, &sents);
    assert!(u > 0.99, "UPOS on training data {u}");
    assert!(l > 0.99, "lemmas on training data {l}");
    let w = ["The", "dog", "saw", "the", "cats", "."];
    let tags: Vec<String> = t
        .tag(&w)
        .into_iter()
        .map(|c| dep::joint_tag(t.class(c).0, t.class(c).1))
        .collect();
    let tg: Vec<&str> = tags.iter().map(|s| s.as_str()).collect();
    let arcs = p.parse(&w, &tg);
    assert_eq!(arcs[1].0, Some(2), "dog <- saw");
    assert_eq!(p.label(arcs[1].1), "nsubj");
    assert_eq!(arcs[2].0, None, "saw is the root");
    let ents = r.recognize(&["Boris", "Jones", "joined", "Acme", "Corp", "."], &[""; 6]);
    assert!(ents.contains(&(0, 2, "PER")), "{ents:?}");
}

#[test]
fn norp_comes_from_the_demonym_lexicon() {
    let w = [
        "Russian", "and", "Syrian", "troops", "met", "Kurds", "in", "Paris", ".",
    ];
    let u = [
        "ADJ", "CCONJ", "ADJ", "NOUN", "VERB", "PROPN", "ADP", "PROPN", "PUNCT",
    ];
    let mut e = vec![(2, 3, "LOC"), (7, 8, "LOC")];
    ner::add_norp(&w, &u, &mut e);
    assert!(e.contains(&(7, 8, "LOC")), "{e:?}");
    for i in [0, 2, 5] {
        assert!(e.iter().any(|x| *x == (i, i + 1, "NORP")), "{i} in {e:?}");
    }
}

#[test]
fn titles_are_split_off_names() {
    let w = [
        "Ukrainian",
        "Foreign",
        "Minister",
        "Dmytro",
        "Kuleba",
        "met",
        "General",
        "Motors",
        "and",
        "the",
        "Bank",
        "of",
        "St.",
        "Louis",
    ];
    let mut e = vec![(0, 5, "ORG"), (6, 8, "ORG"), (10, 14, "ORG")];
    ner::split_titles(&w, &mut e);
    assert_eq!(e, vec![(3, 5, "PER"), (6, 8, "ORG"), (10, 14, "ORG")]);
    let u = ["ADJ"; 14];
    ner::add_norp(&w, &u, &mut e);
    assert!(e.contains(&(0, 1, "NORP")), "{e:?}");
}

#[test]
fn bad_input_is_linear_and_never_panics() {
    let (t, p, r) = models();
    // 5,000-token sentence.
    let long: Vec<String> = (0..5000).map(|i| format!("w{}", i % 17)).collect();
    let w: Vec<&str> = long.iter().map(|s| s.as_str()).collect();
    let tags: Vec<String> = t
        .tag(&w)
        .into_iter()
        .map(|c| dep::joint_tag(t.class(c).0, t.class(c).1))
        .collect();
    let tg: Vec<&str> = tags.iter().map(|s| s.as_str()).collect();
    let arcs = p.parse(&w, &tg);
    assert_eq!(arcs.len(), 5000);
    assert_eq!(arcs.iter().filter(|a| a.0.is_none()).count(), 1, "one root");
    assert!(arcs.iter().all(|a| a.0.is_none_or(|h| h < 5000)));
    let _ = r.recognize(&w, &["X"; 5000]);
    // A 100 kB token, punctuation only, empty sentence.
    let big = "é".repeat(50_000);
    for sent in [
        vec![big.as_str(), "."],
        vec!["!!!", "---", "123", "%%"],
        vec![],
    ] {
        let tags = t.tag(&sent);
        assert_eq!(tags.len(), sent.len());
        let jt: Vec<String> = tags
            .iter()
            .map(|c| dep::joint_tag(t.class(*c).0, t.class(*c).1))
            .collect();
        let jt: Vec<&str> = jt.iter().map(|s| s.as_str()).collect();
        assert_eq!(p.parse(&sent, &jt).len(), sent.len());
        let _ = r.recognize(&sent, &vec![""; sent.len()]);
        for (w, c) in sent.iter().zip(&tags) {
            let (u, x) = t.class(*c);
            assert!(!t.lemma(w, u, x).is_empty() || w.is_empty());
        }
    }
}

#[test]
fn corrupt_model_files_are_errors_not_panics() {
    let (t, _, _) = models();
    let bytes = t.save();
    for cut in [0, 4, 12, bytes.len() / 2, bytes.len() - 1] {
        assert!(pos::Tagger::load(&bytes[..cut]).is_err());
    }
    assert!(dep::Parser::load(&bytes).is_err(), "wrong kind is refused");
}

#[test]
fn training_is_deterministic_given_a_seed() {
    let sents = conllu::parse(FIXTURE).unwrap();
    let mut quiet = |_: &str| {};
    let a = pos::trainer::train(&sents, &sents, &cfg(), &mut quiet).save();
    let b = pos::trainer::train(&sents, &sents, &cfg(), &mut quiet).save();
    assert_eq!(a, b);
}

#[test]
fn stages_fill_a_doc_and_survive_bad_docs() {
    use dyad_core::{Doc, Sentence, Source, Token};
    let text = format!("Putin met Assad in Sochi. {} !!! ...", "x".repeat(100_000));
    let mut doc = Doc::from_clean_text("d", Source::path("d"), text.clone());
    let mut pos = 0;
    for w in text.split(' ') {
        let s = text[pos..].find(w).unwrap() + pos;
        doc.tokens.push(Token {
            start: s,
            end: s + w.len(),
            ..Default::default()
        });
        pos = s + w.len();
    }
    let n = doc.tokens.len();
    doc.sentences.push(Sentence {
        start: 0,
        end: text.len(),
        tokens: 0..n,
    });
    let p = dyad_core::Pipeline::new(dyad_models::stages());
    p.run(&mut doc);
    assert!(doc.error.is_none(), "{:?}", doc.error);
    if dyad_models::tagger().is_some() {
        assert!(doc
            .tokens
            .iter()
            .all(|t| t.upos.is_some() && t.lemma.is_some()));
    }
    if dyad_models::parser().is_some() {
        assert_eq!(doc.tokens.iter().filter(|t| t.head.is_none()).count(), 1);
    }
    for e in &doc.entities {
        assert_eq!(doc.slice(e.start, e.end), e.text);
    }
}
