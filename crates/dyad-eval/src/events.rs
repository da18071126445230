//! `dyad eval events`: event coding against three gold sets.
//!
//! - `events/plover_gsr_dev.jsonl`: PLOVER type accuracy per record (the
//!   gold type among the emitted events; also for the first event only),
//!   precision of emitted events (type among the record's gold types),
//!   source and target ISO3 and ISO3+sector accuracy. Old PLOVER 0.5b1 names
//!   are mapped: DEMAND=REQUEST, DISAPPROVE=ACCUSE, FIGHT=ASSAULT,
//!   INVESTIGATE=ACCUSE (mode investigate).
//! - `events/up_petr2_gsr.jsonl`: CAMEO root accuracy, once through the
//!   whole pipeline and once on the records' own gold dependency parses
//!   (which isolates the coder from the parser).
//! - `seed/sochi-2018.*`: the 6 "must" events and the "must_not" ones.
//!
//! Sentences run as clean text (`Doc::from_clean_text`) through
//! `dyad_pipeline::standard()`; the seed runs from its raw page so that
//! extraction removes the page chrome first.

use crate::{require, Error};
use dyad_core::{Doc, Event, Source};
use serde_json::Value;
use std::io::Write;
use std::path::Path;

const SECTORS: &[&str] = &[
    "GOV", "MIL", "REB", "OPP", "COP", "JUD", "LEG", "PTY", "BUS", "JRN", "MED", "CVL", "ELI",
    "LAB", "REF", "CRM", "SPY", "EDU", "REL", "UAF", "SOC", "MOS", "AGR", "HLH", "NGO",
];

/// Splits an actor code into (country or IGO/NGO, sector): "IGOUNOGOV" ->
/// ("IGO", "GOV"), "NGAREFafa" -> ("NGA", "REF"), "---REB" -> ("", "REB"),
/// "JAPGOV" (old CAMEO) -> ("JPN", "GOV").
pub fn split_code(code: &str) -> (String, String) {
    let c = code.trim();
    let (country, rest) = if let Some(r) = c.strip_prefix("---") {
        (String::new(), r)
    } else if c.len() >= 3 && c.is_char_boundary(3) {
        // Older CAMEO country codes that the gold still uses.
        let cc = match &c[..3] {
            "JAP" => "JPN",
            "ITL" => "ITA",
            "VTN" => "VNM",
            cc => cc,
        };
        (cc.to_string(), &c[3..])
    } else {
        (c.to_string(), "")
    };
    let mut sector = String::new();
    let mut i = 0;
    while i + 3 <= rest.len() && rest.is_char_boundary(i + 3) {
        let chunk = &rest[i..i + 3];
        if chunk == "***" || SECTORS.contains(&chunk) {
            sector = chunk.to_string();
            break;
        }
        i += 3;
    }
    (country, sector)
}

/// PLOVER 0.5b1 type names as dyad writes them.
pub fn map_type(t: &str) -> &str {
    match t {
        "DEMAND" => "REQUEST",
        "DISAPPROVE" | "INVESTIGATE" => "ACCUSE",
        "FIGHT" => "ASSAULT",
        other => other,
    }
}

fn iso_date(d: &str) -> Option<String> {
    let d: String = d.chars().filter(|c| c.is_ascii_digit()).collect();
    (d.len() == 8).then(|| format!("{}-{}-{}", &d[..4], &d[4..6], &d[6..8]))
}

fn read_jsonl(p: &Path) -> Result<Vec<Value>, Error> {
    let text = std::fs::read_to_string(p).map_err(|e| Error::Read {
        path: p.to_path_buf(),
        message: e.to_string(),
    })?;
    Ok(text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect())
}

fn actor_match(gold: &str, got: Option<&str>, with_sector: bool) -> bool {
    let Some(got) = got else { return false };
    let (gc, gs) = split_code(gold);
    let (oc, os) = split_code(got);
    if gc != oc {
        return false;
    }
    !with_sector || gs == "***" || gs == os
}

#[derive(Default)]
struct Counts {
    n: usize,
    ok: usize,
}

impl Counts {
    fn add(&mut self, ok: bool) {
        self.n += 1;
        self.ok += usize::from(ok);
    }
    fn rate(&self) -> String {
        if self.n == 0 {
            "-".into()
        } else {
            format!(
                "{:.3} ({}/{})",
                self.ok as f64 / self.n as f64,
                self.ok,
                self.n
            )
        }
    }
}

/// Runs the whole event evaluation.
pub fn run(data: &Path, out: &mut dyn Write) -> Result<(), Error> {
    let pipe = dyad_pipeline::standard().map_err(|e| Error::Pipeline(e.to_string()))?;
    let gsr = require(data, "events/plover_gsr_dev.jsonl")?;
    gsr_table(&pipe, &gsr, out)?;
    let petr = require(data, "events/up_petr2_gsr.jsonl")?;
    petr_table(&pipe, &petr, out)?;
    let seed_txt = require(data, "seed/sochi-2018.txt")?;
    let seed_gold = require(data, "seed/sochi-2018.gold.json")?;
    seed_table(&pipe, &seed_txt, &seed_gold, out)?;
    Ok(())
}

fn code_sentence(pipe: &dyad_core::Pipeline, id: &str, text: &str, date: Option<String>) -> Doc {
    let mut d = Doc::from_clean_text(id, Source::path(id), text);
    d.date_hint = date;
    pipe.run(&mut d);
    d
}

fn gsr_table(pipe: &dyad_core::Pipeline, path: &Path, out: &mut dyn Write) -> Result<(), Error> {
    let recs = read_jsonl(path)?;
    let (mut any, mut first, mut src_iso, mut src_sec, mut tgt_iso, mut tgt_sec) = (
        Counts::default(),
        Counts::default(),
        Counts::default(),
        Counts::default(),
        Counts::default(),
        Counts::default(),
    );
    let mut emitted = Counts::default();
    let mut no_event = Counts::default();
    let mut errors = 0;
    let mut confusion: std::collections::BTreeMap<String, (usize, usize)> = Default::default();
    let show_misses = std::env::var_os("DYAD_EVAL_MISSES").is_some();
    // The GSR's sentences are codebook examples without dates: every record
    // carries the same fill-in date (20000101). A date shared by every
    // record is no document date; passing it would turn leaders out of
    // office by then into former elites (King Hassan as MARELI).
    let dates: std::collections::HashSet<&str> =
        recs.iter().filter_map(|r| r["date"].as_str()).collect();
    let placeholder = recs.len() > 10 && dates.len() == 1;
    for r in &recs {
        if r["evaluate"] == Value::Bool(false) {
            continue;
        }
        let id = r["id"].as_str().unwrap_or("");
        let text = r["text"].as_str().unwrap_or("");
        let date = r["date"]
            .as_str()
            .and_then(iso_date)
            .filter(|_| !placeholder);
        let d = code_sentence(pipe, id, text, date);
        if d.error.is_some() {
            errors += 1;
        }
        let expected: Vec<&Value> = r["expected"]
            .as_array()
            .map(|a| a.iter().collect())
            .unwrap_or_default();
        if r["expect_no_event"] == Value::Bool(true) || expected.is_empty() {
            no_event.add(d.events.is_empty());
            continue;
        }
        let types: Vec<&str> = expected
            .iter()
            .filter_map(|e| e["code"].as_str())
            .map(map_type)
            .collect();
        let hit = d.events.iter().any(|e| types.contains(&e.plover.as_str()));
        any.add(hit);
        first.add(
            d.events
                .first()
                .is_some_and(|e| types.contains(&e.plover.as_str())),
        );
        let entry = confusion.entry(types[0].to_string()).or_default();
        entry.0 += 1;
        entry.1 += usize::from(hit);
        for e in &d.events {
            emitted.add(types.contains(&e.plover.as_str()));
        }
        if show_misses {
            show_miss(r, &d, hit);
        }
        // Actors: among the events of the right type (else all events).
        let pool: Vec<&Event> = if hit {
            d.events
                .iter()
                .filter(|e| types.contains(&e.plover.as_str()))
                .collect()
        } else {
            d.events.iter().collect()
        };
        let gs: Vec<&str> = expected
            .iter()
            .filter_map(|e| e["source"].as_str())
            .filter(|s| !s.is_empty())
            .collect();
        let gt: Vec<&str> = expected
            .iter()
            .filter_map(|e| e["target"].as_str())
            .filter(|s| !s.is_empty())
            .collect();
        let srcs: Vec<Option<&str>> = pool
            .iter()
            .map(|e| e.source.as_ref().map(|a| a.code.as_str()))
            .collect();
        let tgts: Vec<Option<&str>> = pool
            .iter()
            .map(|e| e.target.as_ref().map(|a| a.code.as_str()))
            .collect();
        if !gs.is_empty() {
            src_iso.add(
                gs.iter()
                    .any(|g| srcs.iter().any(|s| actor_match(g, *s, false))),
            );
            src_sec.add(
                gs.iter()
                    .any(|g| srcs.iter().any(|s| actor_match(g, *s, true))),
            );
        }
        if !gt.is_empty() {
            tgt_iso.add(
                gt.iter()
                    .any(|g| tgts.iter().any(|s| actor_match(g, *s, false))),
            );
            tgt_sec.add(
                gt.iter()
                    .any(|g| tgts.iter().any(|s| actor_match(g, *s, true))),
            );
        }
    }
    writeln!(out, "events: PLOVER GSR dev ({} records; DEMAND=REQUEST, DISAPPROVE=ACCUSE, FIGHT=ASSAULT, INVESTIGATE=ACCUSE)", recs.len())?;
    writeln!(
        out,
        "  type accuracy (gold type among emitted)   {}",
        any.rate()
    )?;
    writeln!(
        out,
        "  type accuracy (first emitted event)       {}",
        first.rate()
    )?;
    writeln!(
        out,
        "  precision of emitted events (type)        {}",
        emitted.rate()
    )?;
    writeln!(
        out,
        "  source ISO3                               {}",
        src_iso.rate()
    )?;
    writeln!(
        out,
        "  source ISO3+sector                        {}",
        src_sec.rate()
    )?;
    writeln!(
        out,
        "  target ISO3                               {}",
        tgt_iso.rate()
    )?;
    writeln!(
        out,
        "  target ISO3+sector                        {}",
        tgt_sec.rate()
    )?;
    if no_event.n > 0 {
        writeln!(
            out,
            "  no-event records left empty               {}",
            no_event.rate()
        )?;
    }
    if errors > 0 {
        writeln!(out, "  documents with a pipeline error           {errors}")?;
    }
    let per: Vec<String> = confusion
        .iter()
        .map(|(k, (n, ok))| format!("{k} {ok}/{n}"))
        .collect();
    writeln!(out, "  per type: {}", per.join(", "))?;
    Ok(())
}

/// With `DYAD_EVAL_MISSES` set, one block per record on stderr: the
/// sentence, the gold events and what dyad emitted, so that misses can be
/// grouped by cause. Records whose type and actors are all right are skipped.
fn show_miss(r: &Value, d: &Doc, hit: bool) {
    let gold: Vec<String> = r["expected"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            format!(
                "{} {}→{}",
                map_type(e["code"].as_str().unwrap_or("")),
                e["source"].as_str().unwrap_or("-"),
                e["target"].as_str().unwrap_or("-")
            )
        })
        .collect();
    let got: Vec<String> = d
        .events
        .iter()
        .map(|e| {
            format!(
                "{} {}→{} ({})",
                e.plover,
                e.source.as_ref().map_or("-", |a| a.code.as_str()),
                e.target.as_ref().map_or("-", |a| a.code.as_str()),
                e.rule
            )
        })
        .collect();
    let actors_ok = gold
        .iter()
        .any(|g| got.iter().any(|o| o.starts_with(g.as_str())));
    if hit && actors_ok {
        return;
    }
    eprintln!(
        "{} {}\n  text: {}\n  gold: {}\n  got:  {}",
        if hit { "ACTORS" } else { "TYPE" },
        r["id"].as_str().unwrap_or(""),
        r["text"].as_str().unwrap_or(""),
        gold.join("; "),
        got.join("; ")
    );
}

/// A document with tokens and dependencies from a CoNLL-U parse, aligned
/// to the text (forms are searched in order).
pub fn doc_from_conllu(id: &str, text: &str, conllu: &str) -> Doc {
    let mut d = Doc::from_clean_text(id, Source::path(id), text);
    let mut cursor = 0;
    let mut toks = Vec::new();
    let mut heads = Vec::new();
    for line in conllu.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 8 || f[0].contains('-') || f[0].contains('.') {
            continue;
        }
        let form = f[1];
        let start = text[cursor..]
            .find(form)
            .map(|o| cursor + o)
            .unwrap_or(cursor);
        let end = (start + form.len()).min(text.len());
        cursor = end;
        heads.push(f[6].parse::<usize>().unwrap_or(0));
        toks.push(dyad_core::Token {
            start,
            end,
            upos: Some(f[3].to_string()),
            xpos: Some(f[4].to_string()),
            lemma: Some(f[2].to_string()),
            deprel: Some(f[7].to_string()),
            space_after: !f.get(9).is_some_and(|m| m.contains("SpaceAfter=No")),
            ..Default::default()
        });
    }
    for (i, h) in heads.iter().enumerate() {
        toks[i].head = if *h == 0 { None } else { Some(h - 1) };
    }
    let n = toks.len();
    if n > 0 {
        d.sentences.push(dyad_core::Sentence {
            start: toks[0].start,
            end: toks[n - 1].end,
            tokens: 0..n,
        });
    }
    d.tokens = toks;
    d
}

fn petr_table(pipe: &dyad_core::Pipeline, path: &Path, out: &mut dyn Write) -> Result<(), Error> {
    let recs = read_jsonl(path)?;
    let mut full = Counts::default();
    let mut gold_parse = Counts::default();
    let mut prec_full = Counts::default();
    let coder = dyad_coder::coder();
    for r in &recs {
        let text = r["text"].as_str().unwrap_or("");
        let id = r["id"].as_str().unwrap_or("");
        let date = r["date"].as_str().and_then(iso_date);
        let roots: Vec<String> = r["expected"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| e["code"].as_str())
            .map(|c| c.chars().take(2).collect())
            .collect();
        if roots.is_empty() {
            continue;
        }
        let root = |e: &Event| e.cameo.chars().take(2).collect::<String>();
        let d = code_sentence(pipe, id, text, date.clone());
        full.add(d.events.iter().any(|e| roots.contains(&root(e))));
        for e in &d.events {
            prec_full.add(roots.contains(&root(e)));
        }
        if let (Some(parse), Some(c)) = (r["parse"].as_str(), coder) {
            let mut g = doc_from_conllu(id, text, parse);
            g.date_hint = date;
            dyad_coder::code_doc(c, &mut g);
            gold_parse.add(g.events.iter().any(|e| roots.contains(&root(e))));
        }
    }
    writeln!(out, "events: UP PETR-2 GSR ({} records)", recs.len())?;
    writeln!(
        out,
        "  CAMEO root accuracy (pipeline)            {}",
        full.rate()
    )?;
    writeln!(
        out,
        "  CAMEO root accuracy (gold parses)         {}",
        gold_parse.rate()
    )?;
    writeln!(
        out,
        "  precision of emitted events (root)        {}",
        prec_full.rate()
    )?;
    Ok(())
}

fn seed_table(
    pipe: &dyad_core::Pipeline,
    txt: &Path,
    gold: &Path,
    out: &mut dyn Write,
) -> Result<(), Error> {
    let bytes = std::fs::read(txt).map_err(|e| Error::Read {
        path: txt.to_path_buf(),
        message: e.to_string(),
    })?;
    let g: Value =
        serde_json::from_str(&std::fs::read_to_string(gold).map_err(|e| Error::Read {
            path: gold.to_path_buf(),
            message: e.to_string(),
        })?)
        .map_err(|e| Error::Read {
            path: gold.to_path_buf(),
            message: e.to_string(),
        })?;
    let mut d = Doc::from_bytes(
        "sochi-2018",
        Source::path(txt.display().to_string()),
        bytes,
        dyad_core::InputKind::Text,
    );
    d.date_hint = g["document"]["date"].as_str().map(String::from);
    pipe.run(&mut d);
    writeln!(
        out,
        "events: seed sochi-2018 ({} events emitted)",
        d.events.len()
    )?;
    if let Some(e) = &d.error {
        writeln!(out, "  pipeline error: {e:?}")?;
    }
    let mut must_ok = 0;
    let musts = g["events"]["must"].as_array().cloned().unwrap_or_default();
    for m in &musts {
        let (ok, why) = seed_must(&d, m);
        must_ok += usize::from(ok);
        writeln!(
            out,
            "  must {:<18} {}{}",
            m["id"].as_str().unwrap_or("?"),
            if ok { "ok" } else { "MISSING" },
            why
        )?;
    }
    let mut bad = 0;
    for m in g["events"]["must_not"].as_array().into_iter().flatten() {
        for e in &d.events {
            if seed_must_not(e, m) {
                bad += 1;
                writeln!(
                    out,
                    "  must_not violated by {} {} -> {}: {}",
                    e.plover,
                    code(&e.source),
                    code(&e.target),
                    m["note"].as_str().unwrap_or("")
                )?;
            }
        }
    }
    writeln!(
        out,
        "  must events right                         {must_ok}/{}",
        musts.len()
    )?;
    writeln!(out, "  must_not violations                       {bad}")?;
    Ok(())
}

fn code(a: &Option<dyad_core::ActorRef>) -> String {
    a.as_ref()
        .map(|x| x.code.clone())
        .unwrap_or_else(|| "-".into())
}

fn seed_must(d: &Doc, m: &Value) -> (bool, String) {
    let plover = m["plover"].as_str().unwrap_or("");
    let note = m["note"].as_str().unwrap_or("");
    let mut types = vec![plover.to_string()];
    if note.contains("PLOVER SUPPORT is also accepted") {
        types.push("SUPPORT".into());
    }
    let list = |k: &str| -> Vec<String> {
        m[k].as_array()
            .into_iter()
            .flatten()
            .filter_map(|x| x.as_str().map(String::from))
            .collect()
    };
    let mut srcs = list("accept_source");
    if let Some(s) = m["source"].as_str() {
        srcs.push(s.to_string());
    }
    let tgt = m["target"].as_str();
    let symmetric = m["symmetric"].as_bool().unwrap_or(false);
    let flags = list("mode_flags");
    let mut best = String::new();
    for e in &d.events {
        if !types.contains(&e.plover) {
            continue;
        }
        let s = code(&e.source);
        let t = code(&e.target);
        let pair = |s: &str, t: &str| {
            (srcs.is_empty() || srcs.iter().any(|x| x == s)) && tgt.is_none_or(|x| x == t)
        };
        if !(pair(&s, &t) || symmetric && pair(&t, &s)) {
            best = format!(" (nearest: {} {s} -> {t})", e.plover);
            continue;
        }
        let date = e.date.clone().unwrap_or_default();
        if let Some(want) = m["date"].as_str() {
            if date != want {
                best = format!(" (date {date}, want {want})");
                continue;
            }
        }
        if let Some(from) = m["date_from"].as_str() {
            if !date.starts_with(from) {
                best = format!(" (date {date}, want from {from})");
                continue;
            }
        }
        if let Some(place) = m["place"].as_str() {
            let got = e.place.as_ref().map(|p| p.name.clone()).unwrap_or_default();
            if !got.contains(place)
                && e.place.as_ref().and_then(|p| d.text().get(p.start..p.end)) != Some(place)
            {
                best = format!(" (place {got:?}, want {place})");
                continue;
            }
        }
        let fl: Vec<String> = e
            .flags
            .iter()
            .map(|f| format!("{f:?}").to_lowercase())
            .collect();
        if !flags.iter().all(|f| fl.contains(f)) {
            best = format!(" (flags {fl:?}, want {flags:?})");
            continue;
        }
        return (true, String::new());
    }
    (false, best)
}

fn seed_must_not(e: &Event, m: &Value) -> bool {
    if let Some(p) = m["plover"].as_str() {
        if e.plover != p {
            return false;
        }
    }
    if let Some(s) = m["source"].as_str() {
        if code(&e.source) != s {
            return false;
        }
    }
    if let Some(t) = m["target"].as_str() {
        if code(&e.target) != t {
            return false;
        }
    }
    if let Some(f) = m["mode_flags"].as_array() {
        if f.is_empty() && !e.flags.is_empty() {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_split_into_country_and_sector() {
        assert_eq!(split_code("IGOUNOGOV"), ("IGO".into(), "GOV".into()));
        assert_eq!(split_code("NGAREFafa"), ("NGA".into(), "REF".into()));
        assert_eq!(split_code("---REB"), ("".into(), "REB".into()));
        assert_eq!(split_code("USA"), ("USA".into(), "".into()));
        assert_eq!(split_code("JAPGOV"), ("JPN".into(), "GOV".into()));
        assert!(actor_match("ISR***", Some("ISRMIL"), true));
        assert!(!actor_match("ISRGOV", Some("ISRMIL"), true));
        assert_eq!(map_type("FIGHT"), "ASSAULT");
    }

    #[test]
    fn conllu_aligns_to_text() {
        let conllu = "1\tJapan\tJapan\tPROPN\tNNP\t_\t2\tnsubj\t_\t_\n2\tmet\tmeet\tVERB\tVBD\t_\t0\troot\t_\t_\n3\tChina\tChina\tPROPN\tNNP\t_\t2\tobj\t_\tSpaceAfter=No\n4\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_\n";
        let d = doc_from_conllu("x", "Japan met China.", conllu);
        assert_eq!(d.tokens.len(), 4);
        assert_eq!((d.tokens[2].start, d.tokens[2].end), (10, 15));
        assert_eq!(d.tokens[0].head, Some(1));
        let mut d = d;
        dyad_coder::code_doc(dyad_coder::coder().unwrap(), &mut d);
        assert_eq!(d.events[0].plover, "CONSULT");
        assert_eq!(d.events[0].target.as_ref().unwrap().code, "CHN");
    }
}
