//! Which data trains and scores the models (the licence rules of
//! `../shared/data/README.md` live here, once).

use crate::conllu::{self, NerSentence, Sentence};
use crate::Error;
use std::path::{Path, PathBuf};

/// GUM genres whose text licence (CC BY / BY-SA) allows shipped models.
pub const GUM_TRAIN_GENRES: &[&str] = &[
    "academic",
    "bio",
    "conversation",
    "court",
    "interview",
    "news",
    "speech",
    "textbook",
    "vlog",
    "voyage",
];

/// A data file, or a clear error naming it.
pub fn file(data: &Path, rel: &str) -> Result<PathBuf, Error> {
    let p = data.join(rel);
    if p.exists() {
        Ok(p)
    } else {
        Err(Error::MissingData(p))
    }
}

/// EWT train plus the licence-clean GUM train documents.
pub fn treebank_train(data: &Path) -> Result<Vec<Sentence>, Error> {
    let mut v = conllu::read(&file(data, "ud/en_ewt-ud-train.conllu")?)?;
    let gum = conllu::read(&file(data, "ud/en_gum-ud-train.conllu")?)?;
    v.extend(
        gum.into_iter()
            .filter(|s| s.gum_genre().is_some_and(|g| GUM_TRAIN_GENRES.contains(&g))),
    );
    Ok(v)
}

/// A treebank split: `ewt` or `gum`, `train`/`dev`/`test`.
pub fn treebank(data: &Path, bank: &str, split: &str) -> Result<Vec<Sentence>, Error> {
    conllu::read(&file(data, &format!("ud/en_{bank}-ud-{split}.conllu"))?)
}

/// UNER EWT split (`train` is the pre-v1 normalised file).
pub fn uner(data: &Path, split: &str) -> Result<Vec<NerSentence>, Error> {
    let rel = match split {
        "train" => "uner/en_ewt-ud-train.pre-v1-normalized.iob2".to_string(),
        s => format!("uner/en_ewt-ud-{s}.iob2"),
    };
    let p = file(data, &rel)?;
    let text =
        std::fs::read_to_string(&p).map_err(|e| Error::Io(format!("{}: {e}", p.display())))?;
    conllu::parse_iob2(&text)
}

/// Deterministic xorshift generator for shuffling (seeded).
pub struct Rng(u64);
impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(crate::feat::mix(seed.wrapping_add(0x1234_5678)) | 1)
    }
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    pub fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = (self.next_u64() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
}
