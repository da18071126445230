//! `dyad eval seed`: scores the founding example (`seed/sochi-2018.txt`)
//! against every section of its hand-coded gold file: document extraction,
//! actors, events (must / must_not), quotes, numbers, places and dates.
//!
//! Each gold item is one line of the report, `ok` or `MISS`/`WRONG` with
//! what dyad produced instead, and each section ends with `k/n`.

use crate::Error;
use dyad_core::{Doc, InputKind, Source};
use serde_json::Value;
use std::io::Write;
use std::path::Path;

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

struct Section {
    name: &'static str,
    ok: usize,
    total: usize,
    lines: Vec<String>,
}

impl Section {
    fn new(name: &'static str) -> Self {
        Section {
            name,
            ok: 0,
            total: 0,
            lines: Vec::new(),
        }
    }
    fn check(&mut self, pass: bool, what: String, got: impl FnOnce() -> String) {
        self.total += 1;
        if pass {
            self.ok += 1;
            self.lines.push(format!("  ok    {what}"));
        } else {
            self.lines.push(format!("  MISS  {what}  (got: {})", got()));
        }
    }
}

/// Runs the seed scoring; returns (passed, total) over all sections.
pub fn score(doc: &Doc, gold: &Value, out: &mut dyn Write) -> Result<(usize, usize), Error> {
    let mut sections = Vec::new();
    let text = doc.text();
    let flat = collapse(text);

    // Document extraction.
    let g = &gold["document"];
    let mut s = Section::new("document");
    let a = &doc.article;
    for (field, got) in [("title", &a.title), ("standfirst", &a.standfirst)] {
        let want = g[field].as_str().unwrap_or("");
        s.check(
            got.as_deref() == Some(want),
            format!("{field} = {want:?}"),
            || format!("{got:?}"),
        );
    }
    let want_lang = g["language"].as_str().unwrap_or("");
    s.check(
        a.language.as_deref() == Some(want_lang),
        format!("language = {want_lang}"),
        || format!("{:?}", a.language),
    );
    let first = g["body_first_words"].as_str().unwrap_or("");
    s.check(
        flat.starts_with(first),
        format!("body starts {first:?}"),
        || flat.chars().take(80).collect(),
    );
    let last = g["body_last_words"].as_str().unwrap_or("");
    s.check(flat.ends_with(last), format!("body ends {last:?}"), || {
        let n = flat.chars().count();
        flat.chars().skip(n.saturating_sub(80)).collect()
    });
    for b in g["boilerplate_must_be_removed"]
        .as_array()
        .into_iter()
        .flatten()
    {
        let b = b.as_str().unwrap_or("");
        // "Lire" is a whole line of chrome: match it as a line, not a substring.
        let present = text.lines().any(|l| l.trim() == b) || (b.len() > 10 && flat.contains(b));
        s.check(!present, format!("removed {b:?}"), || {
            "still in the text".into()
        });
    }
    sections.push(s);

    // Actors: some entity with that text carries that code.
    let mut s = Section::new("actors");
    for m in gold["actors"]["must"].as_array().into_iter().flatten() {
        let mention = m["mention"].as_str().unwrap_or("");
        let code = m["code"].as_str().unwrap_or("");
        let found: Vec<&str> = doc
            .entities
            .iter()
            .filter(|e| e.text == mention)
            .filter_map(|e| e.actor.as_deref())
            .collect();
        let pass = found
            .iter()
            .any(|c| *c == code || (code == "IGOUNO" && c.starts_with("IGO")));
        s.check(pass, format!("{mention} → {code}"), || {
            format!("{found:?}")
        });
    }
    sections.push(s);

    // Events.
    let mut s = Section::new("events");
    for g in gold["events"]["must"].as_array().into_iter().flatten() {
        let id = g["id"].as_str().unwrap_or("?");
        let ok = doc.events.iter().any(|e| event_matches(e, g, doc));
        s.check(ok, format!("{id}: {}", summary(g)), || {
            doc.events
                .iter()
                .filter(|e| e.plover == g["plover"].as_str().unwrap_or(""))
                .map(describe)
                .collect::<Vec<_>>()
                .join("; ")
        });
    }
    for g in gold["events"]["must_not"].as_array().into_iter().flatten() {
        let bad: Vec<String> = doc
            .events
            .iter()
            .filter(|e| must_not_matches(e, g))
            .map(describe)
            .collect();
        s.check(
            bad.is_empty(),
            format!("must not: {}", g["note"].as_str().unwrap_or("")),
            || bad.join("; "),
        );
    }
    sections.push(s);

    // Quotes.
    let mut s = Section::new("quotes");
    for g in gold["quotes"]["must"].as_array().into_iter().flatten() {
        let contains = g["contains"].as_str().unwrap_or("");
        let speaker = g["speaker"].as_str().unwrap_or("");
        let q = doc
            .quotes
            .iter()
            .find(|q| q.content.text.contains(contains));
        let pass = q.is_some_and(|q| {
            q.speaker.as_ref().is_some_and(|sp| {
                sp.name.as_deref() == Some(speaker)
                    || sp.text == speaker
                    || speaker.ends_with(&sp.text)
            })
        });
        s.check(pass, format!("{speaker}: {contains:?}"), || match q {
            None => "no quote with that content".into(),
            Some(q) => format!(
                "speaker {:?}",
                q.speaker.as_ref().map(|s| (&s.text, &s.name))
            ),
        });
    }
    sections.push(s);

    // Numbers.
    let mut s = Section::new("numbers");
    for g in gold["numbers"]["must"].as_array().into_iter().flatten() {
        let t = g["text"].as_str().unwrap_or("");
        let v = g["value"].as_f64().unwrap_or(f64::NAN);
        let n = doc.numbers.iter().find(|n| n.text == t);
        let pass = n.is_some_and(|n| (n.value - v).abs() < 0.5);
        s.check(pass, format!("{t} = {v}"), || {
            format!("{:?}", n.map(|n| (n.value, &n.unit)))
        });
    }
    sections.push(s);

    // Places within tolerance.
    let mut s = Section::new("places");
    let tol = gold["places"]["tolerance_km"].as_f64().unwrap_or(161.0);
    for g in gold["places"]["must"].as_array().into_iter().flatten() {
        let m = g["mention"].as_str().unwrap_or("");
        let (lat, lon) = (
            g["lat"].as_f64().unwrap_or(0.0),
            g["lon"].as_f64().unwrap_or(0.0),
        );
        let p = doc.places.iter().find(|p| p.text == m);
        let pass = p.is_some_and(|p| dyad_geo::haversine_km((lat, lon), (p.lat, p.lon)) <= tol);
        s.check(pass, format!("{m} ({lat}, {lon})"), || {
            format!("{:?}", p.map(|p| (&p.name, &p.country, p.lat, p.lon)))
        });
    }
    sections.push(s);

    // Dates.
    let mut s = Section::new("dates");
    for g in gold["dates"]["must"].as_array().into_iter().flatten() {
        let t = g["text"].as_str().unwrap_or("");
        let v = g["resolves_to"].as_str().unwrap_or("");
        let found: Vec<&str> = doc
            .dates
            .iter()
            .filter(|d| d.text == t || d.text.ends_with(&format!(" {t}")))
            .map(|d| d.value.as_str())
            .collect();
        s.check(found.contains(&v), format!("{t} → {v}"), || {
            format!("{found:?}")
        });
    }
    sections.push(s);

    let (mut ok, mut total) = (0, 0);
    writeln!(out, "seed: sochi-2018")?;
    for s in &sections {
        writeln!(out, "{:<10} {}/{}", s.name, s.ok, s.total)?;
        for l in &s.lines {
            writeln!(out, "{l}")?;
        }
        ok += s.ok;
        total += s.total;
    }
    writeln!(out, "total      {ok}/{total}")?;
    Ok((ok, total))
}

fn summary(g: &Value) -> String {
    format!(
        "{} {}→{} {} @{}",
        g["plover"].as_str().unwrap_or("?"),
        g["source"].as_str().unwrap_or("*"),
        g["target"].as_str().unwrap_or("*"),
        g["date"]
            .as_str()
            .or(g["date_from"].as_str())
            .unwrap_or("-"),
        g["place"].as_str().unwrap_or("-")
    )
}

fn describe(e: &dyad_core::Event) -> String {
    format!(
        "{} {}→{} {} @{} {:?}",
        e.plover,
        e.source.as_ref().map(|a| a.code.as_str()).unwrap_or("-"),
        e.target.as_ref().map(|a| a.code.as_str()).unwrap_or("-"),
        e.date.as_deref().unwrap_or("-"),
        e.place.as_ref().map(|p| p.name.as_str()).unwrap_or("-"),
        e.flags
    )
}

fn code_ok(got: Option<&str>, want: Option<&str>, accept: Option<&Value>) -> bool {
    let Some(want) = want else { return true };
    let Some(got) = got else { return false };
    if got == want {
        return true;
    }
    accept
        .and_then(|a| a.as_array())
        .is_some_and(|a| a.iter().any(|x| x.as_str() == Some(got)))
}

fn event_matches(e: &dyad_core::Event, g: &Value, doc: &Doc) -> bool {
    let plover = g["plover"].as_str().unwrap_or("");
    let alt_ok = plover == "AID" && e.plover == "SUPPORT";
    if e.plover != plover && !alt_ok {
        return false;
    }
    let src = e.source.as_ref().map(|a| a.code.as_str());
    let tgt = e.target.as_ref().map(|a| a.code.as_str());
    let (ws, wt) = (g["source"].as_str(), g["target"].as_str());
    let direct =
        code_ok(src, ws, g.get("accept_source")) && code_ok(tgt, wt, g.get("accept_target"));
    let swapped =
        g["symmetric"].as_bool() == Some(true) && code_ok(tgt, ws, None) && code_ok(src, wt, None);
    if !(direct || swapped) {
        return false;
    }
    if let Some(d) = g["date"].as_str() {
        if e.date.as_deref() != Some(d) {
            return false;
        }
    }
    if let Some(d) = g["date_from"].as_str() {
        if !e.date.as_deref().is_some_and(|x| x.starts_with(d)) {
            return false;
        }
    }
    if let Some(p) = g["place"].as_str() {
        let ok = e
            .place
            .as_ref()
            .is_some_and(|pl| pl.name == p || doc.slice(pl.start, pl.end) == p);
        if !ok {
            return false;
        }
    }
    let want_flags: Vec<&str> = g["mode_flags"]
        .as_array()
        .map(|a| a.iter().filter_map(|x| x.as_str()).collect())
        .unwrap_or_default();
    want_flags.iter().all(|f| {
        e.flags
            .iter()
            .any(|x| format!("{x:?}").eq_ignore_ascii_case(f))
    })
}

fn must_not_matches(e: &dyad_core::Event, g: &Value) -> bool {
    if let Some(p) = g["plover"].as_str() {
        if e.plover != p {
            return false;
        }
    }
    if let Some(s) = g["source"].as_str() {
        if e.source.as_ref().map(|a| a.code.as_str()) != Some(s) {
            return false;
        }
    }
    if let Some(t) = g["target"].as_str() {
        if e.target.as_ref().map(|a| a.code.as_str()) != Some(t) {
            return false;
        }
    }
    // "mode_flags": [] means: an event with none of the flags is wrong.
    match g["mode_flags"].as_array() {
        Some(a) if a.is_empty() => e.flags.is_empty(),
        _ => true,
    }
}

pub fn run(data: &Path, out: &mut dyn Write) -> Result<(), Error> {
    let txt = crate::require(data, "seed/sochi-2018.txt")?;
    let gold_path = crate::require(data, "seed/sochi-2018.gold.json")?;
    let bytes = std::fs::read(&txt).map_err(|e| Error::Read {
        path: txt.clone(),
        message: e.to_string(),
    })?;
    let gold: Value = std::fs::read(&gold_path)
        .map_err(|e| e.to_string())
        .and_then(|b| serde_json::from_slice(&b).map_err(|e| e.to_string()))
        .map_err(|message| Error::Read {
            path: gold_path.clone(),
            message,
        })?;
    let pipeline = dyad_pipeline::standard().map_err(|e| Error::Pipeline(e.to_string()))?;
    let mut doc = Doc::from_bytes(
        "sochi-2018",
        Source::path(txt.to_string_lossy()),
        bytes,
        InputKind::Text,
    );
    doc.date_hint = gold["document"]["date"].as_str().map(String::from);
    pipeline.run(&mut doc);
    if let Some(e) = &doc.error {
        return Err(Error::Pipeline(format!("{}: {}", e.stage, e.message)));
    }
    score(&doc, &gold, out)?;
    Ok(())
}
