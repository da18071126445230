//! A small CoNLL-U reader/writer (and the UNER IOB2 reader) for training,
//! evaluation and `dyad annotate`. Multiword-token and empty-node lines
//! are kept verbatim so annotated output round-trips.

use crate::Error;
use std::path::Path;

/// One syntactic word of a CoNLL-U sentence.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Word {
    pub form: String,
    pub lemma: String,
    pub upos: String,
    pub xpos: String,
    pub feats: String,
    /// 0 for the root, else the 1-based id of the head.
    pub head: usize,
    pub deprel: String,
    pub deps: String,
    pub misc: String,
}

/// A CoNLL-U sentence.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sentence {
    /// Comment lines without the leading `# `... kept verbatim (with `#`).
    pub comments: Vec<String>,
    pub words: Vec<Word>,
    /// Lines that are not words (multiword ranges, empty nodes), with the
    /// index of the word they precede.
    pub extra: Vec<(usize, String)>,
    /// The document id in force (`# newdoc id`, carried over).
    pub doc: String,
}

impl Sentence {
    /// Value of a `# key = value` comment.
    pub fn meta(&self, key: &str) -> Option<&str> {
        self.comments.iter().find_map(|c| {
            let c = c.trim_start_matches('#').trim();
            let (k, v) = c.split_once('=')?;
            (k.trim() == key).then(|| v.trim())
        })
    }

    /// GUM genre (`GUM_<genre>_...`), if any.
    pub fn gum_genre(&self) -> Option<&str> {
        self.doc.strip_prefix("GUM_")?.split('_').next()
    }
}

/// Parses CoNLL-U text. Malformed word lines are an error naming the line.
pub fn parse(text: &str) -> Result<Vec<Sentence>, Error> {
    let mut out = Vec::new();
    let mut cur = Sentence::default();
    let mut doc = String::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.is_empty() {
            if !cur.words.is_empty() || !cur.comments.is_empty() {
                cur.doc = doc.clone();
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if line.starts_with('#') {
            if let Some(v) = line
                .trim_start_matches('#')
                .trim()
                .strip_prefix("newdoc id")
                .and_then(|r| r.trim().strip_prefix('='))
            {
                doc = v.trim().to_string();
            }
            cur.comments.push(line.to_string());
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() != 10 {
            return Err(Error::Format(format!(
                "line {}: expected 10 columns, found {}",
                n + 1,
                cols.len()
            )));
        }
        if cols[0].contains('-') || cols[0].contains('.') {
            cur.extra.push((cur.words.len(), line.to_string()));
            continue;
        }
        let head = if cols[6] == "_" {
            0
        } else {
            cols[6]
                .parse()
                .map_err(|_| Error::Format(format!("line {}: bad head {:?}", n + 1, cols[6])))?
        };
        cur.words.push(Word {
            form: cols[1].to_string(),
            lemma: cols[2].to_string(),
            upos: cols[3].to_string(),
            xpos: cols[4].to_string(),
            feats: cols[5].to_string(),
            head,
            deprel: cols[7].to_string(),
            deps: cols[8].to_string(),
            misc: cols[9].to_string(),
        });
    }
    if !cur.words.is_empty() {
        cur.doc = doc;
        out.push(cur);
    }
    Ok(out)
}

/// Reads a CoNLL-U file.
pub fn read(path: &Path) -> Result<Vec<Sentence>, Error> {
    let text =
        std::fs::read_to_string(path).map_err(|e| Error::Io(format!("{}: {e}", path.display())))?;
    parse(&text)
}

/// Writes sentences as CoNLL-U.
pub fn write(sents: &[Sentence], out: &mut dyn std::io::Write) -> std::io::Result<()> {
    for s in sents {
        for c in &s.comments {
            writeln!(out, "{c}")?;
        }
        let mut extra = s.extra.iter().peekable();
        for (i, w) in s.words.iter().enumerate() {
            while let Some((_, l)) = extra.next_if(|(at, _)| *at == i) {
                writeln!(out, "{l}")?;
            }
            let e = |v: &str| {
                if v.is_empty() {
                    "_".to_string()
                } else {
                    v.to_string()
                }
            };
            writeln!(
                out,
                "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                i + 1,
                e(&w.form),
                e(&w.lemma),
                e(&w.upos),
                e(&w.xpos),
                e(&w.feats),
                w.head,
                e(&w.deprel),
                e(&w.deps),
                e(&w.misc)
            )?;
        }
        for (_, l) in extra {
            writeln!(out, "{l}")?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// A UNER sentence: sentence id, words and IOB2 tags.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NerSentence {
    pub id: String,
    pub words: Vec<String>,
    pub tags: Vec<String>,
}

/// Parses a UniversalNER IOB2 file (`id word tag ...` per line).
pub fn parse_iob2(text: &str) -> Result<Vec<NerSentence>, Error> {
    let mut out = Vec::new();
    let mut cur = NerSentence::default();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.is_empty() {
            if !cur.words.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if let Some(rest) = line.strip_prefix('#') {
            if let Some(v) = rest
                .trim()
                .strip_prefix("sent_id")
                .and_then(|r| r.trim().strip_prefix('='))
            {
                cur.id = v.trim().to_string();
            }
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 3 {
            return Err(Error::Format(format!(
                "line {}: expected >= 3 columns",
                n + 1
            )));
        }
        cur.words.push(cols[1].to_string());
        cur.tags.push(cols[2].to_string());
    }
    if !cur.words.is_empty() {
        out.push(cur);
    }
    Ok(out)
}

/// Entity spans `(start, end_exclusive, type)` from IOB2 or BILOU tags.
pub fn spans(tags: &[String]) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut open: Option<(usize, String)> = None;
    for (i, t) in tags.iter().enumerate() {
        let (p, ty) = match t.split_once('-') {
            Some((p, ty)) => (p, ty),
            None => ("O", ""),
        };
        let continues = matches!(p, "I" | "L") && open.as_ref().is_some_and(|(_, o)| o == ty);
        if !continues {
            if let Some((s, o)) = open.take() {
                out.push((s, i, o));
            }
            if p != "O" {
                open = Some((i, ty.to_string()));
            }
        }
        if matches!(p, "L" | "U") {
            if let Some((s, o)) = open.take() {
                out.push((s, i + 1, o));
            }
        }
    }
    if let Some((s, o)) = open {
        out.push((s, tags.len(), o));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "# newdoc id = GUM_news_x\n# sent_id = a-1\n1-2\tdon't\t_\t_\t_\t_\t_\t_\t_\t_\n1\tdo\tdo\tAUX\tVBP\t_\t3\taux\t_\t_\n2\tn't\tnot\tPART\tRB\t_\t3\tadvmod\t_\t_\n3\tgo\tgo\tVERB\tVB\t_\t0\troot\t_\tSpaceAfter=No\n\n";

    #[test]
    fn parses_and_round_trips() {
        let s = parse(SAMPLE).unwrap();
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].words.len(), 3);
        assert_eq!(s[0].words[2].head, 0);
        assert_eq!(s[0].meta("sent_id"), Some("a-1"));
        assert_eq!(s[0].gum_genre(), Some("news"));
        let mut out = Vec::new();
        write(&s, &mut out).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), SAMPLE);
    }

    #[test]
    fn spans_from_iob_and_bilou() {
        let t = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            spans(&t(&["B-PER", "I-PER", "O", "I-LOC", "B-ORG"])),
            vec![
                (0, 2, "PER".into()),
                (3, 4, "LOC".into()),
                (4, 5, "ORG".into())
            ]
        );
        assert_eq!(
            spans(&t(&["U-PER", "B-LOC", "L-LOC"])),
            vec![(0, 1, "PER".into()), (1, 3, "LOC".into())]
        );
    }
}
