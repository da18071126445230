//! Event coding: predicates to PLOVER/CAMEO through the pattern
//! dictionary, source and target from the dependency parse (or from word
//! order when there is no parse), flags, date, place, merging and
//! provenance.

use crate::actors::{pronoun_candidates, Actors, Kind};
use crate::dict::date_cmp;
use crate::patterns::{Patterns, TriggerKind};
use crate::view::View;
use dyad_core::{ActorRef, DateExpr, Event, EventPlace, Flag, Place, Span};
use std::collections::HashMap;

/// Everything the coder reads for one document.
pub struct Ctx<'a> {
    pub v: &'a View,
    pub a: &'a Actors,
    pub p: &'a Patterns,
    pub text: &'a str,
    pub doc_date: Option<&'a str>,
    pub dates: &'a [DateExpr],
    pub places: &'a [Place],
}

#[derive(Debug, Clone)]
struct Pred {
    tok: usize,
    pat: usize,
    kind: TriggerKind,
}

/// An event before merging, with what merging needs to know.
#[derive(Debug, Clone)]
struct Cand {
    ev: Event,
    /// Date came from the text (else the document date or none).
    date_explicit: bool,
    /// A definite nominal mention ("the talks") that refers back.
    anaphoric: bool,
    /// The place hangs off the predicate (else it is only in its clause).
    place_strong: bool,
    /// Coded from a noun ("talks", "withdrawal").
    nominal: bool,
    lemma: String,
    /// Token of the predicate.
    pred: usize,
    src_chain: Option<usize>,
    tgt_chain: Option<usize>,
}

const TARGET_PREPS: &[&str] = &[
    "to", "with", "against", "on", "from", "for", "at", "upon", "into", "toward", "towards",
    "over", "between", "of",
];
const PLACE_PREPS: &[&str] = &[
    "in", "at", "near", "inside", "outside", "across", "around", "within",
];
const NEG: &[&str] = &["not", "n't", "never", "no", "without", "neither", "nor"];
const HYPO: &[&str] = &[
    "could", "may", "might", "would", "should", "can", "if", "unless", "whether",
];
const FUTURE: &[&str] = &["will", "shall", "'ll", "wo"];
const DET_LIKE: &[&str] = &[
    "the", "a", "an", "its", "their", "his", "her", "'s", "this", "that", "these", "new",
    "further", "fresh", "any", "no", "our", "my", "your",
];
const QUANTITY: &[&str] = &[
    "thousands",
    "hundreds",
    "dozens",
    "scores",
    "millions",
    "tens",
    "group",
    "some",
    "many",
    "most",
    "all",
    "several",
    "number",
    "one",
    "two",
    "three",
    "four",
    "five",
    "ten",
    "members",
    "supporters",
];
const POSSESSIVE: &[&str] = &["its", "their", "his", "her"];
const BE: &[&str] = &[
    "is", "are", "was", "were", "be", "been", "being", "get", "got", "gets",
];

/// Codes a document's events.
pub fn code(cx: &Ctx) -> Vec<Event> {
    let mut cands = Vec::new();
    for (si, sent) in cx.v.sents.iter().enumerate() {
        let preds = predicates(cx, sent.clone());
        for pr in &preds {
            cands.extend(code_pred(cx, si, pr));
        }
    }
    fold_protest_purposes(cx, &mut cands);
    unidentified_attackers(cx, &mut cands);
    merge(cands, cx.doc_date)
}

/// An attack without a named perpetrator ("a roadside bombing near
/// Samarra killed ...", "was killed in a car bomb explosion in Beirut") is
/// coded, as CAMEO and PLOVER coders do, with the source "unidentified
/// armed forces" of the country where it happened (`IRQUAF`), so it still
/// counts on the map and in the country's dyads.
fn unidentified_attackers(cx: &Ctx, cands: &mut [Cand]) {
    for c in cands.iter_mut() {
        if c.ev.plover != "ASSAULT" || c.ev.source.is_some() {
            continue;
        }
        let Some(iso) = c.ev.place.as_ref().and_then(|p| p.country.clone()) else {
            continue;
        };
        let t = &cx.v.toks[c.pred];
        c.ev.source = Some(ActorRef {
            code: format!("{iso}UAF"),
            text: t.text.clone(),
            start: t.start,
            end: t.end,
            name: None,
        });
        if let Some(x) = &mut c.ev.explain {
            x.push_str(&format!(
                "\nno perpetrator named: unidentified armed forces of the event's country ({iso}UAF)"
            ));
        }
    }
}

/// A protest's purpose clause is its content, not an event of its own:
/// "began a hunger strike to demand the resignation of X", "rallied,
/// calling for independence from Y" are protests against X and Y (CAMEO
/// codes a demonstration by what it demands). The purpose's demand or
/// accusation (or a second protest verb: "to protest against Z") gives
/// the protest its target and is dropped.
fn fold_protest_purposes(cx: &Ctx, cands: &mut Vec<Cand>) {
    let v = cx.v;
    if !v.parsed {
        return;
    }
    let mut drop = vec![false; cands.len()];
    for pi in 0..cands.len() {
        if cands[pi].ev.plover != "PROTEST" {
            continue;
        }
        let p = cands[pi].pred;
        // The protest's clause: the predicate itself, or the light verb
        // whose object it is ("began a hunger strike").
        let clause = [Some(p), v.toks[p].head.filter(|_| cands[pi].nominal)];
        for qi in 0..cands.len() {
            let q = &cands[qi];
            if qi == pi
                || drop[qi]
                || !matches!(q.ev.plover.as_str(), "REQUEST" | "ACCUSE" | "PROTEST")
            {
                continue;
            }
            let purpose = matches!(v.toks[q.pred].rel(), "advcl" | "xcomp" | "acl")
                && clause.contains(&v.toks[q.pred].head);
            let same_side = q.ev.source.is_none() || same_actor(&q.ev.source, &cands[pi].ev.source);
            if !purpose || !same_side {
                continue;
            }
            let (tgt, tgt_chain) = (q.ev.target.clone(), q.tgt_chain);
            let (src, src_chain) = (q.ev.source.clone(), q.src_chain);
            let c = &mut cands[pi];
            if c.ev.target.is_none() {
                c.ev.target = tgt;
                c.tgt_chain = tgt_chain;
            }
            if c.ev.source.is_none() {
                c.ev.source = src;
                c.src_chain = src_chain;
            }
            drop[qi] = true;
        }
    }
    let mut k = 0;
    cands.retain(|_| {
        k += 1;
        !drop[k - 1]
    });
}

fn word_ok(cx: &Ctx, i: usize, w: &str) -> bool {
    let t = &cx.v.toks[i];
    t.lower == w || t.lemma == w || crate::patterns::inflections(w).contains(&t.lower)
}

/// Predicates of a sentence: the most specific trigger per token, minus
/// those governed by another predicate in the same clause.
fn predicates(cx: &Ctx, sent: std::ops::Range<usize>) -> Vec<Pred> {
    let v = cx.v;
    let mut out: Vec<Pred> = Vec::new();
    for i in sent.clone() {
        let t = &v.toks[i];
        if t.is_punct() {
            continue;
        }
        if let Some(m) = cx.a.at(i) {
            // Inside an actor mention only a mention-final noun can trigger
            // ("the Syria peace talks" is not an actor anyway).
            if cx.a.mentions[m].kind != Kind::Pronoun {
                continue;
            }
        }
        let cands = cx.p.candidates(&t.lower, &t.lemma);
        if cands.is_empty() {
            continue;
        }
        let prev = if i > sent.start {
            Some(&v.toks[i - 1])
        } else {
            None
        };
        let noun_like = if !t.upos.is_empty() {
            matches!(t.upos.as_str(), "NOUN" | "PROPN")
        } else {
            prev.is_some_and(|p| DET_LIKE.contains(&p.lower.as_str()) || (p.upos == "ADJ"))
        };
        // Untagged: a word that only nouns trigger is a noun ("discussions").
        let only_nouns = cands
            .iter()
            .all(|&(pi, ti)| cx.p.list[pi].triggers[ti].kind == TriggerKind::Noun);
        let noun_like = noun_like || (t.upos.is_empty() && only_nouns);
        let verb_like = if !t.upos.is_empty() {
            matches!(t.upos.as_str(), "VERB" | "AUX")
                || (t.upos == "ADJ" && t.lower.ends_with("ed"))
        } else {
            !noun_like
        };
        let mut best: Option<(usize, usize, TriggerKind)> = None;
        for (pi, ti) in cands {
            let tr = &cx.p.list[pi].triggers[ti];
            let kind_ok = match tr.kind {
                TriggerKind::Verb => verb_like,
                TriggerKind::Modal => {
                    if v.parsed {
                        t.rel() == "aux" && reported_clause(cx, i).is_some()
                    } else {
                        linear_modal(cx, i, sent.clone()).is_some()
                    }
                }
                TriggerKind::Noun => noun_like || (t.upos.is_empty() && !tr.before.is_empty()),
            };
            if !kind_ok {
                continue;
            }
            // Words before the head (nouns).
            let nb = tr.before.len();
            if nb > 0 {
                if i < sent.start + nb {
                    continue;
                }
                if !tr
                    .before
                    .iter()
                    .enumerate()
                    .all(|(k, w)| v.toks[i - nb + k].lower == *w)
                {
                    continue;
                }
            }
            // Particles after the head (verbs), within three words.
            if !tr
                .particles
                .iter()
                .all(|w| (i + 1..(i + 4).min(sent.end)).any(|k| v.toks[k].lower == *w))
            {
                continue;
            }
            if !tr.required.is_empty() && !has_required(cx, i, sent.clone(), &tr.required) {
                continue;
            }
            let w = tr.weight();
            if best.is_none_or(|(_, bw, _)| w > bw) {
                best = Some((pi, w, tr.kind));
            }
        }
        if let Some((pi, _, kind)) = best {
            out.push(Pred {
                tok: i,
                pat: pi,
                kind,
            });
        }
    }
    // Suppress predicates governed by another one in the same clause.
    let is_pred = |k: usize, out: &[Pred]| out.iter().any(|p| p.tok == k);
    let mut keep = Vec::new();
    for q in &out {
        let governed = if v.parsed {
            let mut k = q.tok;
            let mut gov = false;
            for _ in 0..12 {
                let t = &v.toks[k];
                let purpose =
                    t.rel() == "advcl" && v.kids(k, "mark").any(|m| v.toks[m].lower == "to");
                if matches!(
                    t.rel(),
                    "ccomp" | "parataxis" | "conj" | "root" | "list" | "acl" | "csubj"
                ) || t.deprel == "acl:relcl"
                    || (t.rel() == "advcl" && !purpose)
                {
                    break;
                }
                match t.head {
                    Some(h) if h != k => {
                        k = h;
                        if is_pred(k, &out) {
                            gov = true;
                            break;
                        }
                    }
                    _ => break,
                }
            }
            gov
        } else {
            out.iter().any(|p| {
                p.tok < q.tok
                    && q.tok - p.tok <= 6
                    && (p.tok + 1..q.tok).all(|k| {
                        !v.toks[k].is_punct()
                            && cx
                                .a
                                .at(k)
                                .is_none_or(|m| cx.a.mentions[m].kind == Kind::Norp)
                    })
            })
        };
        if !governed {
            keep.push(q.clone());
        }
    }
    keep
}

fn has_required(cx: &Ctx, i: usize, sent: std::ops::Range<usize>, req: &[String]) -> bool {
    let v = cx.v;
    // A "to" before the predicate is its own infinitive marker ("began a
    // hunger strike to protest"), never the complement a "+ to" pattern
    // asks for ("protested to China", "vowed to").
    let matches = |k: usize| k > i || v.toks[k].lower != "to";
    let matches = |k: usize| matches(k) && req.iter().any(|w| word_ok(cx, k, w));
    if v.parsed {
        // Dependents to depth 2.
        for c in v.children(i) {
            if matches(c) {
                return true;
            }
            for g in v.children(c) {
                if matches(g) {
                    return true;
                }
            }
        }
        // The head for nominal triggers used with a verb ("military" support).
    }
    let lo = i.saturating_sub(2).max(sent.start);
    let hi = (i + 7).min(sent.end);
    (lo..hi).any(|k| k != i && matches(k))
}

/// The mention for an argument token: the mention over it or one among its
/// nominal dependents.
fn mention_of(cx: &Ctx, t: usize) -> Option<usize> {
    let v = cx.v;
    if let Some(m) = cx.a.at(t) {
        // "Kenzo Oshima, the United Nations relief coordinator, ...": a
        // name with no code of its own takes its appositive's.
        if cx.a.code(m).is_none() && v.parsed {
            let appos = v
                .kids(t, "appos")
                .find_map(|c| mention_of(cx, c).filter(|&am| am != m && cx.a.code(am).is_some()));
            if appos.is_some() {
                return appos;
            }
        }
        return Some(m);
    }
    if !v.parsed {
        return None;
    }
    let mut frontier = vec![t];
    for _ in 0..2 {
        let mut next = Vec::new();
        for &f in &frontier {
            for c in v.children(f) {
                let rel = v.toks[c].rel();
                if !matches!(rel, "nmod" | "compound" | "amod" | "appos" | "flat" | "det") {
                    continue;
                }
                if let Some(m) = cx.a.at(c) {
                    return Some(m);
                }
                next.push(c);
            }
        }
        frontier = next;
    }
    None
}

/// Widens source and target mentions to their coordinated siblings ("Russia
/// and Iran"), keeping order, without repeats, and never letting a mention
/// be both source and target.
fn conj_args(cx: &Ctx, src: Vec<usize>, tgt: Vec<usize>, path: &[String]) -> Args {
    let mut s2 = Vec::new();
    for m in src {
        for x in with_conj(cx, m) {
            if !s2.contains(&x) {
                s2.push(x);
            }
        }
    }
    let mut t2 = Vec::new();
    for m in tgt {
        for x in with_conj(cx, m) {
            if !t2.contains(&x) && !s2.contains(&x) {
                t2.push(x);
            }
        }
    }
    Args {
        src: s2,
        tgt: t2,
        path: path.join(" "),
    }
}

/// The mention and its coordinated siblings.
fn with_conj(cx: &Ctx, m: usize) -> Vec<usize> {
    let mut out = vec![m];
    let v = cx.v;
    let me = &cx.a.mentions[m];
    if v.parsed {
        let head = me.toks.end - 1;
        for c in v.kids(head, "conj") {
            if let Some(x) = mention_of(cx, c) {
                if !out.contains(&x) {
                    out.push(x);
                }
            }
        }
    } else {
        // "X, Y and Z": walk right over commas and "and".
        let mut end = me.toks.end;
        let sent = &v.sents[v.sent_of(me.toks.start)];
        while end + 1 < sent.end {
            let t = &v.toks[end];
            if !(t.text == "," || t.lower == "and") {
                break;
            }
            let mut k = end + 1;
            if k < sent.end && v.toks[k].lower == "and" {
                k += 1;
            }
            let next = (k..(k + 2).min(sent.end))
                .find_map(|x| cx.a.at(x).filter(|&m| cx.a.mentions[m].toks.start == x));
            match next {
                Some(n) if cx.a.mentions[n].kind != Kind::Pronoun => {
                    out.push(n);
                    end = cx.a.mentions[n].toks.end;
                }
                _ => break,
            }
        }
    }
    out
}

struct Args {
    src: Vec<usize>,
    tgt: Vec<usize>,
    path: String,
}

fn dep_args(cx: &Ctx, pr: &Pred) -> Args {
    let v = cx.v;
    let p = pr.tok;
    let mut path = Vec::new();
    let mut src = Vec::new();
    let mut tgt = Vec::new();
    // A participle modifying a noun with a "by" phrase is passive too ("a
    // statement released by the Kremlin").
    let by_phrase = v
        .kids(p, "obl")
        .any(|c| v.kids(c, "case").any(|k| v.toks[k].lower == "by"));
    let passive = v.kids(p, "nsubj:pass").next().is_some()
        || v.kids(p, "aux:pass").next().is_some()
        || (v.toks[p].rel() == "acl" && by_phrase);
    let find = |rel: &str| v.kids(p, rel).find_map(|c| mention_of(cx, c));
    if pr.kind == TriggerKind::Modal {
        // "X said that Y must ...": X asks, Y is asked.
        if let Some((report, clause)) = reported_clause(cx, p) {
            path.push(format!("aux^({})", v.toks[clause].text));
            if let Some(m) = subject_of(cx, report, &mut path) {
                src.push(m);
            }
            if let Some(m) = v.kids(clause, "nsubj").find_map(|c| mention_of(cx, c)) {
                path.push("ccomp>nsubj".into());
                tgt.push(m);
            }
        }
        return conj_args(cx, src, tgt, &path);
    }
    if pr.kind == TriggerKind::Noun {
        // Own dependents: possessor, adjective, compound (sector nouns).
        for c in v.children(p) {
            let rel = v.toks[c].deprel.as_str();
            // Words of the trigger itself ("military" in "military
            // support") are not participants.
            let in_trigger = cx.p.list[pr.pat]
                .triggers
                .iter()
                .any(|tr| tr.before.iter().any(|w| *w == v.toks[c].lower));
            if matches!(rel, "nmod:poss" | "amod" | "compound") && !in_trigger {
                if let Some(m) = mention_of(cx, c) {
                    let mk = cx.a.mentions[m].kind;
                    // "Syria peace talks": a named country before a meeting
                    // noun is its topic, not a party.
                    if rel == "compound" && mk == Kind::Place {
                        continue;
                    }
                    path.push(format!("{rel}({})", v.toks[c].text));
                    src.push(m);
                }
            }
            if rel.starts_with("nmod") && rel != "nmod:poss" {
                let case = v
                    .kids(c, "case")
                    .next()
                    .map(|k| v.toks[k].lower.clone())
                    .unwrap_or_default();
                if case == "by" {
                    if let Some(m) = mention_of(cx, c) {
                        src.push(m);
                        path.push(format!("nmod:by({})", v.toks[c].text));
                    }
                } else if TARGET_PREPS.contains(&case.as_str()) {
                    if let Some(m) = mention_of(cx, c) {
                        path.push(format!("nmod:{case}({})", v.toks[c].text));
                        tgt.push(m);
                    }
                }
            }
        }
        // The governing verb's subject ("X held talks", "X ... in the talks").
        if src.is_empty() {
            // "resolve the conflict in the talks": a noun reached through
            // "in"/"at" under the verb's object is where the subject takes part.
            let mut q = p;
            for _ in 0..2 {
                let in_at = v.toks[q].rel() == "nmod"
                    && v.kids(q, "case")
                        .any(|k| matches!(v.toks[k].lower.as_str(), "in" | "at"));
                match v.toks[q].head {
                    Some(h) if in_at && matches!(v.toks[h].upos.as_str(), "NOUN" | "PROPN") => {
                        path.push(format!("nmod^({})", v.toks[h].text));
                        q = h;
                    }
                    _ => break,
                }
            }
            if q != p && matches!(v.toks[q].rel(), "obj" | "obl") {
                if let Some(h) = v.toks[q].head {
                    if let Some(m) = subject_of(cx, h, &mut path) {
                        src.push(m);
                    }
                }
            }
        }
        if src.is_empty() {
            if let Some(h) = v.toks[p].head {
                if matches!(v.toks[p].rel(), "obj" | "obl" | "xcomp" | "nsubj")
                    && v.toks[p].rel() != "nsubj"
                {
                    if let Some(m) = subject_of(cx, h, &mut path) {
                        src.push(m);
                    }
                }
            }
        }
    } else if passive {
        if let Some(m) = find("nsubj:pass") {
            path.push("nsubj:pass".into());
            tgt.push(m);
        }
        for c in v.kids(p, "obl") {
            if v.toks[c].deprel == "obl:agent" || v.kids(c, "case").any(|k| v.toks[k].lower == "by")
            {
                if let Some(m) = mention_of(cx, c) {
                    path.push("obl:agent".into());
                    src.push(m);
                }
            }
        }
        if tgt.is_empty() && v.toks[p].rel() == "acl" {
            // "a camp attacked by militiamen": the modified noun.
            if let Some(h) = v.toks[p].head {
                if let Some(m) = mention_of(cx, h) {
                    tgt.push(m);
                    path.push("acl-head".into());
                }
            }
        }
    } else {
        if let Some(m) = subject_of(cx, p, &mut path) {
            src.push(m);
        } else if v.toks[p].rel() == "acl" && v.kids(p, "obj").next().is_some() {
            // An active participle with its own object hanging off a noun
            // (a parse of "Israeli helicopters and tanks shelled positions"
            // as a reduced relative): the noun does the acting.
            if let Some(m) = v.toks[p].head.and_then(|h| mention_of(cx, h)) {
                path.push("acl-head(agent)".into());
                src.push(m);
            }
        }
        if let Some(m) = find("obj") {
            path.push("obj".into());
            tgt.push(m);
        } else if let Some(m) = find("iobj") {
            path.push("iobj".into());
            tgt.push(m);
        }
    }
    if tgt.is_empty() && pr.kind == TriggerKind::Verb {
        for c in v.kids(p, "obl") {
            let case = v
                .kids(c, "case")
                .next()
                .map(|k| v.toks[k].lower.clone())
                .unwrap_or_default();
            // A meeting's partner comes "with" it ("met at a Russian base"
            // names a place); elsewhere "at" needs the actor itself as the
            // head ("fired at the army"), not a modifier of a location.
            // "by" in an active clause is not an agent: "demand reforms by
            // the government", "rejected calls by Belarus's rulers".
            let ok = if cx.p.list[pr.pat].symmetric {
                matches!(case.as_str(), "with" | "between")
            } else {
                (TARGET_PREPS.contains(&case.as_str()) || (case == "by" && !passive))
                    && case != "of"
                    && (case != "at" || cx.a.at(c).is_some())
            };
            if ok {
                if let Some(m) = mention_of(cx, c) {
                    path.push(format!("obl:{case}"));
                    tgt.push(m);
                    break;
                }
            }
        }
    }
    if tgt.is_empty() {
        // Into the complement: "urged X to ...", "agreed to lift sanctions on X",
        // "demanded that X ...".
        for c in v
            .children(p)
            .filter(|&c| matches!(v.toks[c].rel(), "xcomp" | "ccomp"))
        {
            let sub = if v.toks[c].rel() == "ccomp" {
                v.kids(c, "nsubj").find_map(|k| mention_of(cx, k))
            } else {
                None
            };
            let found = sub
                .or_else(|| v.kids(c, "obj").find_map(|k| mention_of(cx, k)))
                .or_else(|| {
                    v.kids(c, "obl").find_map(|k| {
                        let case = v
                            .kids(k, "case")
                            .next()
                            .map(|x| v.toks[x].lower.clone())
                            .unwrap_or_default();
                        if TARGET_PREPS.contains(&case.as_str()) {
                            mention_of(cx, k)
                        } else {
                            None
                        }
                    })
                });
            if let Some(m) = found {
                path.push(format!("{}>arg", v.toks[c].rel()));
                tgt.push(m);
                break;
            }
        }
    }
    if tgt.is_empty() && cx.p.list[pr.pat].plover == "THREATEN" {
        // "threatened to stop talks if the United States goes ahead": the
        // party the condition is about is the one threatened.
        let mut clauses = vec![p];
        let mut i = 0;
        while i < clauses.len() && i < 6 {
            let k = clauses[i];
            clauses.extend(v.kids(k, "xcomp"));
            i += 1;
        }
        let cond = clauses.iter().flat_map(|&k| v.kids(k, "advcl")).find(|&c| {
            v.kids(c, "mark")
                .any(|m| matches!(v.toks[m].lower.as_str(), "if" | "unless"))
        });
        // The subject itself must name the party ("unless the Kremlin
        // closes"), not a pronoun inside it ("restrictions on its exports").
        let named = |k: usize| {
            cx.a.at(k)
                .filter(|&m| cx.a.mentions[m].kind != Kind::Pronoun)
        };
        if let Some(m) = cond.and_then(|c| v.kids(c, "nsubj").find_map(named)) {
            path.push("advcl(if)>nsubj".into());
            tgt.push(m);
        }
    }
    conj_args(cx, src, tgt, &path)
}

/// Without a parse, "X said (that) Y must ...": (X, Y) as mentions, when
/// a speech verb comes before the modal and Y just before it.
fn linear_modal(
    cx: &Ctx,
    i: usize,
    sent: std::ops::Range<usize>,
) -> Option<(Option<usize>, usize)> {
    let v = cx.v;
    let tgt = (i.saturating_sub(3).max(sent.start)..i)
        .rev()
        .find_map(|k| cx.a.at(k))?;
    let report = (sent.start..cx.a.mentions[tgt].toks.start)
        .rev()
        .find(|&k| Patterns::in_set(&cx.p.report, &v.toks[k].lower, &v.toks[k].lemma))?;
    let src = (sent.start..report).rev().find_map(|k| cx.a.at(k));
    Some((src, tgt))
}

/// For a token inside a clause reported by a speech verb ("X said that
/// Y must ..."), the reporting verb and the reported clause's head.
fn reported_clause(cx: &Ctx, k: usize) -> Option<(usize, usize)> {
    let v = cx.v;
    let clause = v.toks[k].head?;
    if v.toks[clause].rel() != "ccomp" {
        return None;
    }
    let report = v.toks[clause].head?;
    let r = &v.toks[report];
    Patterns::in_set(&cx.p.report, &r.lower, &r.lemma).then_some((report, clause))
}

/// Adjectives whose subject is the subject of the verb under them ("ready
/// to", "willing to").
const CONTROL_ADJ: &[&str] = &[
    "willing",
    "unwilling",
    "ready",
    "prepared",
    "able",
    "unable",
    "eager",
    "determined",
    "reluctant",
    "keen",
    "set",
    "poised",
];

/// The subject of a verb, following xcomp/conj/relative clauses upward.
fn subject_of(cx: &Ctx, p: usize, path: &mut Vec<String>) -> Option<usize> {
    let v = cx.v;
    let mut k = p;
    for _ in 0..6 {
        if let Some(s) = v
            .kids(k, "nsubj")
            .find(|&c| v.toks[c].deprel != "nsubj:pass")
        {
            let t = &v.toks[s];
            if matches!(t.lower.as_str(), "who" | "which" | "that")
                && v.toks[k].deprel == "acl:relcl"
            {
                if let Some(h) = v.toks[k].head {
                    path.push("nsubj(rel)>antecedent".into());
                    return mention_of(cx, h);
                }
            }
            if matches!(t.lower.as_str(), "who" | "which") {
                // A relative clause the parser did not label as one: the
                // antecedent is the nominal just before the pronoun
                // ("the two leaders, who last met ...").
                path.push("nsubj(rel)>preceding".into());
                let start = v.sents[v.sent_of(s)].start;
                return (start..s)
                    .rev()
                    .skip_while(|&k| v.toks[k].is_punct())
                    .take(2)
                    .find_map(|k| cx.a.at(k));
            }
            path.push(format!("nsubj({})", t.text));
            return mention_of(cx, s);
        }
        // "it is willing to withdraw": taggers often read a control
        // adjective's pronoun subject as an expletive; with these
        // adjectives it cannot be one.
        if CONTROL_ADJ.contains(&v.toks[k].lower.as_str()) {
            if let Some(s) = v.kids(k, "expl").next() {
                path.push(format!("expl({})", v.toks[s].text));
                return mention_of(cx, s);
            }
        }
        let rel = v.toks[k].rel().to_string();
        if v.toks[k].deprel == "acl:relcl" {
            path.push("relcl>antecedent".into());
            return v.toks[k].head.and_then(|h| mention_of(cx, h));
        }
        if matches!(rel.as_str(), "xcomp" | "conj" | "advcl") {
            path.push(format!("{rel}^"));
            k = v.toks[k].head?;
            continue;
        }
        return None;
    }
    None
}

/// Word-order arguments when there is no parse.
fn linear_args(cx: &Ctx, pr: &Pred, sent: std::ops::Range<usize>) -> Args {
    let v = cx.v;
    let p = pr.tok;
    let a = cx.a;
    let mut path = Vec::new();
    // Clause start: after a relative pronoun, "that", ";" or sentence start.
    let mut lo = sent.start;
    let mut rel_ante: Option<usize> = None;
    for k in (sent.start..p).rev() {
        let t = &v.toks[k];
        if matches!(t.lower.as_str(), "who" | "which")
            && k > sent.start
            && v.toks[k - 1].text == ","
        {
            rel_ante = (sent.start..k - 1).rev().find_map(|x| a.at(x));
            lo = k + 1;
            break;
        }
        if t.lower == "that" || t.text == ";" || t.text == ":" {
            lo = k + 1;
            break;
        }
    }
    let preceded_by = |m: usize, set: &[&str]| {
        let s = a.mentions[m].toks.start;
        let mut k = s;
        while k > sent.start && matches!(v.toks[k - 1].lower.as_str(), "the" | "a" | "an") {
            k -= 1;
        }
        // "thousands of X" is X.
        let quantity = k >= sent.start + 2
            && v.toks[k - 1].lower == "of"
            && (QUANTITY.contains(&v.toks[k - 2].lower.as_str())
                || v.toks[k - 2]
                    .text
                    .chars()
                    .all(|c| c.is_ascii_digit() || c == ','));
        !quantity && k > sent.start && set.contains(&v.toks[k - 1].lower.as_str())
    };
    let passive = pr.kind == TriggerKind::Verb
        && p > sent.start
        && (p.saturating_sub(3).max(sent.start)..p).any(|k| BE.contains(&v.toks[k].lower.as_str()))
        && (v.toks[p].lower.ends_with("ed")
            || v.toks[p].lower.ends_with("en")
            || v.toks[p].lower != v.toks[p].lemma);
    // Left mention (source, or target of a passive).
    let left = (lo..p)
        .rev()
        .filter_map(|k| a.at(k).filter(|&m| a.mentions[m].toks.end <= p))
        .find(|&m| {
            !preceded_by(
                m,
                &[
                    "in", "at", "near", "of", "from", "to", "with", "for", "on", "by", "since",
                    "after", "before", "during", "against", "between",
                ],
            ) && a.mentions[m].kind != Kind::Norp
                || (pr.kind == TriggerKind::Noun && a.mentions[m].toks.end + 2 >= p)
        });
    // The subject is in the predicate's clause: no comma in between
    // ("X could attack Y, Z warned": Y is not who warned).
    let left = left.filter(|&m| {
        pr.kind == TriggerKind::Noun || (a.mentions[m].toks.end..p).all(|k| v.toks[k].text != ",")
    });
    let left = left.or(rel_ante);
    // A noun takes its source from just before it ("Russia's military
    // support", "a government assault") or from a light verb's subject.
    let definite = p > sent.start && v.toks[p - 1].lower == "the";
    let left = if pr.kind == TriggerKind::Noun {
        let light = (p.saturating_sub(4).max(lo)..p)
            .any(|k| Patterns::in_set(&cx.p.light, &v.toks[k].lower, &v.toks[k].lemma));
        left.filter(|&m| {
            let me = &a.mentions[m];
            // "Syria peace talks": a country name before the noun is its topic.
            let topic = me.kind == Kind::Place
                && v.toks
                    .get(me.toks.end)
                    .is_some_and(|t| t.lower != "'s" && t.lower != "\u{2019}s");
            // "the talks" refers back: its participants are the clause subject.
            light
                || definite
                || !topic && me.toks.end + 3 >= p && (me.toks.end..p).all(|k| !v.toks[k].is_punct())
        })
    } else {
        left
    };
    let left_first = left.map(|m| {
        // Go to the first conjunct: "X and Y met".
        let mut first = m;
        let mut k = a.mentions[m].toks.start;
        while k >= lo + 2 {
            let sep = &v.toks[k - 1];
            if sep.lower != "and" && sep.text != "," {
                break;
            }
            match a.at(k - 2) {
                Some(x)
                    if a.mentions[x].kind != Kind::Pronoun && a.mentions[x].toks.start >= lo =>
                {
                    first = x;
                    k = a.mentions[x].toks.start;
                }
                _ => break,
            }
        }
        first
    });
    // Right mention within the clause.
    let mut hi = sent.end;
    for k in p + 1..sent.end {
        let t = &v.toks[k];
        // ", Putin met ...": a new clause with its own subject.
        let new_clause = t.text == ","
            && k + 1 < sent.end
            && v.toks[k + 1].is_cap()
            && a.at(k + 1)
                .is_some_and(|m| a.mentions[m].toks.start == k + 1);
        if t.text == ";"
            || new_clause
            || (t.text == "," && k + 1 < sent.end && {
                let n = &v.toks[k + 1];
                Patterns::in_set(&cx.p.report, &n.lower, &n.lemma)
                    || matches!(
                        n.lower.as_str(),
                        "according" | "but" | "while" | "who" | "which"
                    )
            })
        {
            hi = k;
            break;
        }
    }
    let right: Vec<usize> = (p + 1..hi)
        .filter_map(|k| a.at(k).filter(|&m| a.mentions[m].toks.start == k))
        .filter(|&m| {
            !preceded_by(m, PLACE_PREPS)
                || a.mentions[m].kind == Kind::Place && !capital_like(cx, m)
        })
        .collect();
    let mut src = Vec::new();
    let mut tgt = Vec::new();
    if passive {
        if let Some(m) = left_first {
            tgt.push(m);
            path.push("left(passive)".to_string());
        }
        if let Some(&m) = right.iter().find(|&&m| preceded_by(m, &["by"])) {
            src.push(m);
            path.push("by-agent".to_string());
        }
    } else {
        if let Some(m) = left_first {
            src.push(m);
            path.push("left".to_string());
        }
        let ok = |m: usize| {
            (pr.kind == TriggerKind::Verb || preceded_by(m, TARGET_PREPS))
                && (!preceded_by(m, &["by", "of", "since"])
                    || pr.kind == TriggerKind::Noun && preceded_by(m, &["of"]))
                && !(capital_like(cx, m)
                    && a.mentions[m].kind == Kind::Place
                    && preceded_by(m, TARGET_PREPS))
                && (a.mentions[m].kind == Kind::Pronoun || a.code(m).is_some())
        };
        let country = |m: usize| a.code(m).is_some_and(|c| !c.starts_with("---"));
        let not_poss =
            |m: usize| !POSSESSIVE.contains(&v.toks[a.mentions[m].toks.start].lower.as_str());
        let late = |m: usize| {
            pr.kind == TriggerKind::Verb
                && preceded_by(m, &["of", "by"])
                && !(capital_like(cx, m) && a.mentions[m].kind == Kind::Place)
                && a.code(m).is_some()
        };
        let pick = right
            .iter()
            .copied()
            .find(|&m| ok(m) && not_poss(m) && country(m))
            .or_else(|| right.iter().copied().find(|&m| ok(m) && not_poss(m)))
            .or_else(|| right.iter().copied().find(|&m| late(m)));
        if let Some(m) = pick {
            tgt.push(m);
            path.push("right".to_string());
        }
    }
    conj_args(cx, src, tgt, &path)
}

fn capital_like(cx: &Ctx, m: usize) -> bool {
    cx.a.mentions[m]
        .code
        .as_deref()
        .is_some_and(|c| c.ends_with("GOV"))
}

/// Resolved actor of a mention: (code, chain, text span). Pronouns take
/// the most recent compatible antecedent whose code differs from `avoid`.
fn resolve(
    cx: &Ctx,
    m: usize,
    avoid: Option<&str>,
    avoid_chain: Option<usize>,
) -> Option<(String, Option<usize>, ActorRef)> {
    let me = &cx.a.mentions[m];
    let (code, chain) = if me.kind == Kind::Pronoun {
        let c = pronoun_candidates(cx.a, cx.v, m).into_iter().find(|&c| {
            Some(c) != avoid_chain
                && cx.a.chains[c]
                    .code
                    .as_deref()
                    .is_some_and(|x| Some(x) != avoid)
        })?;
        (cx.a.chains[c].code.clone()?, Some(c))
    } else {
        let code = cx.a.code(m)?;
        let full =
            country_from_modifiers(cx, m, &code).or_else(|| country_from_sentence(cx, m, &code));
        (full.unwrap_or(code), me.chain)
    };
    let name = chain
        .and_then(|c| cx.a.chains[c].canonical.clone())
        .filter(|_| chain.is_some_and(|c| cx.a.chains[c].person));
    Some((
        code.clone(),
        chain,
        ActorRef {
            code,
            text: cx.text.get(me.start..me.end).unwrap_or("").to_string(),
            start: me.start,
            end: me.end,
            name,
        },
    ))
}

/// A sector-only code ("---EDU") completed from the mention's own
/// modifiers: "students throughout Indonesia" -> IDNEDU, "Suharto's
/// government" -> IDNGOV.
fn country_from_modifiers(cx: &Ctx, m: usize, code: &str) -> Option<String> {
    let v = cx.v;
    let sector = code.strip_prefix("---")?;
    if !v.parsed {
        return None;
    }
    let head = cx.a.mentions[m].toks.end - 1;
    // "Israeli helicopters and tanks": a bare conjunct shares the first
    // one's country adjective.
    if v.toks[head].rel() == "conj" && cx.a.mentions[m].toks.len() == 1 {
        let first = v.toks[head]
            .head
            .and_then(|h| cx.a.at(h))
            .filter(|&x| x != m);
        let shared = first
            .filter(|&x| cx.a.mentions[x].iso.is_some())
            .and_then(|x| cx.a.code(x))
            .filter(|c| c.len() >= 3 && !c.starts_with("---") && c.is_char_boundary(3));
        if let Some(c) = shared {
            return Some(format!("{}{sector}", &c[..3]));
        }
    }
    v.children(head)
        .filter(|&c| {
            let t = &v.toks[c];
            t.deprel == "nmod:poss"
                || (t.rel() == "nmod"
                    && v.kids(c, "case").any(|k| {
                        matches!(
                            v.toks[k].lower.as_str(),
                            "in" | "from" | "of" | "throughout" | "across"
                        )
                    }))
        })
        .filter_map(|c| mention_of(cx, c).filter(|&x| x != m))
        .filter_map(|x| cx.a.code(x))
        .find(|c| c.len() >= 3 && !c.starts_with("---") && c.is_char_boundary(3))
        .map(|c| format!("{}{sector}", &c[..3]))
}

/// A sector-only code completed from the sentence when it names exactly
/// one country (named, by adjective or through an organisation): "police opened fire on Egyptian
/// demonstrators" -> EGYCOP.
/// Never for actors marked as outsiders ("foreign forces").
fn country_from_sentence(cx: &Ctx, m: usize, code: &str) -> Option<String> {
    const OUTSIDE: &[&str] = &[
        "foreign",
        "international",
        "western",
        "multinational",
        "allied",
        "coalition",
        "overseas",
        "regional",
        "global",
    ];
    let sector = code.strip_prefix("---")?;
    let me = &cx.a.mentions[m];
    let v = cx.v;
    let sent = &v.sents[v.sent_of(me.toks.start)];
    let lo = me.toks.start.saturating_sub(2).max(sent.start);
    if (lo..me.toks.end).any(|k| OUTSIDE.contains(&v.toks[k].lower.as_str())) {
        return None;
    }
    let mut isos: Vec<String> = Vec::new();
    // Mentions are in text order: only this sentence's.
    let lo = cx.a.mentions.partition_point(|o| o.sent < me.sent);
    let hi = cx.a.mentions.partition_point(|o| o.sent <= me.sent);
    for (j, o) in cx.a.mentions.iter().enumerate().take(hi).skip(lo) {
        // Not people: a quoted leader's country says nothing about "those
        // people" he speaks of.
        if j == m || o.sent != me.sent || matches!(o.kind, Kind::Person | Kind::Pronoun) {
            continue;
        }
        let Some(c) = cx.a.code(j) else { continue };
        let foreign = c.starts_with("---") || c.starts_with("IGO") || c.starts_with("NGO");
        if c.len() >= 3 && c.is_char_boundary(3) && !foreign {
            let iso = c[..3].to_string();
            if !isos.contains(&iso) {
                isos.push(iso);
            }
        }
    }
    (isos.len() == 1).then(|| format!("{}{sector}", isos[0]))
}

/// Expands a plural anaphor ("the two leaders") into its chains.
fn expand(cx: &Ctx, ms: &[usize]) -> Vec<(usize, Option<usize>)> {
    let mut out = Vec::new();
    for &m in ms {
        let me = &cx.a.mentions[m];
        if me.refs.is_empty() || me.refs[0] == usize::MAX {
            out.push((m, None));
        } else {
            for &c in &me.refs {
                out.push((m, Some(c)));
            }
        }
    }
    out
}

fn resolve_ref(
    cx: &Ctx,
    m: usize,
    chain: Option<usize>,
    avoid: Option<&str>,
    avoid_chain: Option<usize>,
) -> Option<(String, Option<usize>, ActorRef)> {
    match chain {
        Some(c) => {
            let me = &cx.a.mentions[m];
            let code = cx.a.chains[c].code.clone()?;
            Some((
                code.clone(),
                Some(c),
                ActorRef {
                    code,
                    text: cx.text.get(me.start..me.end).unwrap_or("").to_string(),
                    start: me.start,
                    end: me.end,
                    name: cx.a.chains[c].canonical.clone(),
                },
            ))
        }
        None => resolve(cx, m, avoid, avoid_chain),
    }
}

fn code_pred(cx: &Ctx, si: usize, pr: &Pred) -> Vec<Cand> {
    let v = cx.v;
    let sent = v.sents[si].clone();
    let pat = &cx.p.list[pr.pat];
    let mut args = if v.parsed {
        dep_args(cx, pr)
    } else if pr.kind == TriggerKind::Modal {
        let (s, t) = linear_modal(cx, pr.tok, sent.clone()).unwrap_or_default();
        conj_args(
            cx,
            s.into_iter().collect(),
            vec![t],
            &["report ... modal".into()],
        )
    } else {
        linear_args(cx, pr, sent.clone())
    };
    if v.parsed && args.src.is_empty() && pr.kind != TriggerKind::Modal {
        // The parse found no subject (often a misparse of "Thousands of
        // Iraqi Kurds demonstrated"): word order may still name one.
        // Only a source with a country or organisation: a bare sector
        // ("the two delegations", ---GOV) by word order is too vague.
        let lin = linear_args(cx, pr, sent.clone());
        let named = |m: &usize| cx.a.code(*m).is_some_and(|c| !c.starts_with("---"));
        if !lin.src.is_empty() && lin.src.iter().all(|m| !args.tgt.contains(m) && named(m)) {
            args.path = format!("{}; source by word order: {}", args.path, lin.path);
            args.src = lin.src;
        }
    }
    let srcs = expand(cx, &args.src);
    let mut tgts = expand(cx, &args.tgt);
    let mut src_list = srcs.clone();
    // "The two leaders met" / "X and Y met": a symmetric event between
    // the conjuncts when there is no object.
    if pat.symmetric && tgts.is_empty() && srcs.len() >= 2 {
        tgts = srcs[1..].to_vec();
        src_list = vec![srcs[0]];
    } else if pat.symmetric && srcs.is_empty() && tgts.len() >= 2 {
        // "talks between the two leaders".
        src_list = vec![tgts[0]];
        tgts.remove(0);
    }
    let flags = flags(cx, pr, sent.clone());
    let (date, date_explicit, since) = event_date(cx, pr, sent.clone());
    let mut flags = flags;
    if let (Some(d), Some(doc)) = (&date, cx.doc_date) {
        if date_explicit && !since && months_before(d, doc) >= 2 {
            flags.push(Flag::Historical);
        }
    }
    flags.sort();
    flags.dedup();
    let (plover, cameo, mode, turned) = turn(pat, &mut flags);
    let anaphoric = pr.kind == TriggerKind::Noun
        && pr.tok > sent.start
        && v.toks[pr.tok - 1].lower == "the"
        && !date_explicit;
    let mut out = Vec::new();
    let s_iter: Vec<Option<(usize, Option<usize>)>> = if src_list.is_empty() {
        vec![None]
    } else {
        src_list.iter().copied().map(Some).collect()
    };
    let t_iter: Vec<Option<(usize, Option<usize>)>> = if tgts.is_empty() {
        vec![None]
    } else {
        tgts.iter().copied().map(Some).collect()
    };
    for s in &s_iter {
        for t in &t_iter {
            // Resolve the named side first so a pronoun avoids it.
            let s_named = s.is_some_and(|(m, _)| cx.a.mentions[m].kind != Kind::Pronoun);
            let (sr, tr) = if s_named || s.is_none() {
                let sr = s.and_then(|(m, c)| resolve_ref(cx, m, c, None, None));
                let tr = t.and_then(|(m, c)| {
                    resolve_ref(
                        cx,
                        m,
                        c,
                        sr.as_ref().map(|x| x.0.as_str()),
                        sr.as_ref().and_then(|x| x.1),
                    )
                });
                (sr, tr)
            } else {
                let tr = t.and_then(|(m, c)| resolve_ref(cx, m, c, None, None));
                let sr = s.and_then(|(m, c)| {
                    resolve_ref(
                        cx,
                        m,
                        c,
                        tr.as_ref().map(|x| x.0.as_str()),
                        tr.as_ref().and_then(|x| x.1),
                    )
                });
                (sr, tr)
            };
            if let (Some(a), Some(b)) = (&sr, &tr) {
                if a.0 == b.0 || (a.1.is_some() && a.1 == b.1) {
                    continue;
                }
            }
            let mut lo = v.toks[pr.tok].start;
            let mut hi = v.toks[pr.tok].end;
            for r in sr.iter().chain(tr.iter()) {
                lo = lo.min(r.2.start);
                hi = hi.max(r.2.end);
            }
            let (place_strong, place) = match event_place(cx, pr, sent.clone(), &[&sr, &tr]) {
                Some((strong, pl)) => (strong, Some(pl)),
                None => (false, None),
            };
            let sentence = cx
                .text
                .get(v.toks[sent.start].start..v.toks[sent.end - 1].end)
                .unwrap_or("");
            let explain = format!(
                "sentence: {sentence}\npredicate: {} ({})\npath: {}\npattern: {} -> {} {} {}",
                v.toks[pr.tok].text,
                if pr.kind == TriggerKind::Verb {
                    "verb"
                } else {
                    "noun"
                },
                if args.path.is_empty() {
                    "-".to_string()
                } else {
                    format!(
                        "{} ({})",
                        args.path,
                        if v.parsed {
                            "dependencies"
                        } else {
                            "word order"
                        }
                    )
                },
                pat.id,
                pat.plover,
                pat.mode.clone().unwrap_or_default(),
                pat.cameo
            );
            let explain = match turned {
                Some(why) => format!("{explain}\n{why} -> {plover} {cameo}"),
                None => explain,
            };
            let cand = Cand {
                ev: Event {
                    plover: plover.clone(),
                    mode: mode.clone(),
                    cameo: cameo.clone(),
                    source: sr.as_ref().map(|x| x.2.clone()),
                    target: tr.as_ref().map(|x| x.2.clone()),
                    date: date.clone(),
                    place,
                    flags: flags.clone(),
                    evidence: vec![Span::new(lo, hi)],
                    rule: pat.id.clone(),
                    explain: Some(explain.clone()),
                    ..Default::default()
                },
                date_explicit,
                anaphoric,
                place_strong,
                nominal: pr.kind == TriggerKind::Noun,
                lemma: v.toks[pr.tok].lemma.clone(),
                pred: pr.tok,
                src_chain: sr.as_ref().and_then(|x| x.1),
                tgt_chain: tr.as_ref().and_then(|x| x.1),
            };
            // A promised cooperative act is also an event now: the promise
            // (CAMEO 03, "express intent to ..."), unflagged and dated by
            // the statement, beside the flagged future act itself.
            if let Some(intent) = intent_cameo(&plover, &cand.ev.flags) {
                let mut promise = cand.clone();
                promise.ev.plover = "AGREE".into();
                promise.ev.cameo = intent.into();
                promise.ev.mode = None;
                promise.ev.flags.retain(|f| *f != Flag::Future);
                promise.ev.explain = Some(format!(
                    "{explain}\npromise of a future act -> AGREE {intent}"
                ));
                out.push(promise);
            }
            out.push(cand);
        }
    }
    out
}

/// The CAMEO "express intent" code for a future cooperative act.
fn intent_cameo(plover: &str, flags: &[Flag]) -> Option<&'static str> {
    if !flags.contains(&Flag::Future) || flags.contains(&Flag::Negated) {
        return None;
    }
    match plover {
        "COOPERATE" => Some("031"),
        "SUPPORT" => Some("032"),
        "AID" => Some("033"),
        "RETREAT" | "CONCEDE" => Some("035"),
        "CONSULT" => Some("036"),
        _ => None,
    }
}

/// An announced coercion is a threat and a refused agreement a rejection
/// (the PLOVER and CAMEO reading): "will impose a curfew" is THREATEN now,
/// "will not accept refugees" is REJECT. Returns (type, CAMEO, mode, why)
/// and drops the flag that the new type absorbs.
fn turn(
    pat: &crate::patterns::Pattern,
    flags: &mut Vec<Flag>,
) -> (String, String, Option<String>, Option<&'static str>) {
    let threat = match pat.plover.as_str() {
        "ASSAULT" => Some("138"),
        "SANCTION" => Some("131"),
        "COERCE" => Some("132"),
        _ => None,
    };
    if let (Some(cameo), true) = (threat, flags.contains(&Flag::Future)) {
        if !flags.contains(&Flag::Negated) {
            flags.retain(|f| *f != Flag::Future);
            return (
                "THREATEN".into(),
                cameo.into(),
                None,
                Some("announced coercion"),
            );
        }
    }
    if pat.plover == "AGREE" && flags.contains(&Flag::Negated) {
        flags.retain(|f| *f != Flag::Negated);
        return (
            "REJECT".into(),
            "120".into(),
            None,
            Some("negated agreement"),
        );
    }
    (
        pat.plover.clone(),
        pat.cameo.clone(),
        pat.mode.clone(),
        None,
    )
}

fn flags(cx: &Ctx, pr: &Pred, sent: std::ops::Range<usize>) -> Vec<Flag> {
    let v = cx.v;
    let p = pr.tok;
    let mut f = Vec::new();
    let mut words: Vec<usize> = Vec::new();
    if v.parsed {
        // Auxiliaries and negation of the predicate and of the verbs that
        // govern it up to the clause (a noun's verb; an xcomp's matrix).
        let mut k = p;
        for _ in 0..4 {
            words.extend(
                v.children(k)
                    .filter(|&c| matches!(v.toks[c].rel(), "aux" | "advmod" | "mark" | "det")),
            );
            let t = &v.toks[k];
            if pr.kind == TriggerKind::Noun || matches!(t.rel(), "xcomp" | "nsubj" | "obj" | "obl")
            {
                match t.head {
                    Some(h) if h != k => k = h,
                    _ => break,
                }
            } else {
                break;
            }
        }
    } else {
        let lo = p.saturating_sub(4).max(sent.start);
        words.extend(lo..p);
        if pr.kind == TriggerKind::Noun {
            words.extend(p + 1..(p + 8).min(sent.end));
        }
    }
    let has = |set: &[&str]| {
        words
            .iter()
            .any(|&k| set.contains(&v.toks[k].lower.as_str()))
    };
    // "not only ... but also" affirms.
    let not_only =
        |k: usize| v.toks[k].lower == "not" && v.toks.get(k + 1).is_some_and(|n| n.lower == "only");
    if words
        .iter()
        .any(|&k| NEG.contains(&v.toks[k].lower.as_str()) && !not_only(k))
    {
        f.push(Flag::Negated);
    }
    if has(FUTURE)
        || words
            .iter()
            .any(|&k| v.toks[k].lower == "going" && k + 1 < sent.end && v.toks[k + 1].lower == "to")
    {
        f.push(Flag::Future);
    }
    // "would" in reported speech is the future of the past ("NATO said it
    // would tighten the blockade"); other modals stay hypothetical.
    let would_reported = v.parsed
        && words.iter().any(|&k| v.toks[k].lower == "would")
        && governors(v, p).any(|k| reported_clause(cx, k).is_some() || reported_clause_head(cx, k));
    if would_reported {
        f.push(Flag::Future);
    }
    let hypo_words: Vec<&str> = HYPO
        .iter()
        .copied()
        .filter(|w| !(would_reported && *w == "would"))
        .collect();
    if has(&hypo_words) {
        f.push(Flag::Hypothetical);
    }
    // "plans to impose", "is prepared to impose": an intention (for an
    // agreement, "ready to extend the deal" is the agreement itself).
    if v.parsed
        && cx.p.list[pr.pat].plover != "AGREE"
        && governors(v, p).skip(1).take(2).any(|k| {
            matches!(
                v.toks[k].lemma.as_str(),
                "plan" | "intend" | "prepare" | "prepared" | "ready" | "willing"
            )
        })
        && !f.contains(&Flag::Future)
    {
        f.push(Flag::Future);
    }
    // An "if" clause anywhere in the sentence governs what it conditions.
    if !v.parsed && (sent.start..sent.end).any(|k| v.toks[k].lower == "if") {
        f.push(Flag::Hypothetical);
    }
    f
}

/// `p` and the verbs above it within its clause chain (xcomp, a noun's
/// verb), nearest first.
fn governors(v: &View, p: usize) -> impl Iterator<Item = usize> + '_ {
    let mut k = Some(p);
    let mut n = 0;
    std::iter::from_fn(move || {
        let cur = k?;
        n += 1;
        let t = &v.toks[cur];
        k = if n < 4 && matches!(t.rel(), "xcomp" | "obj" | "obl" | "nsubj") {
            t.head.filter(|&h| h != cur)
        } else {
            None
        };
        Some(cur)
    })
}

/// `k` heads a clause reported by a speech verb.
fn reported_clause_head(cx: &Ctx, k: usize) -> bool {
    let v = cx.v;
    v.toks[k].rel() == "ccomp"
        && v.toks[k]
            .head
            .is_some_and(|r| Patterns::in_set(&cx.p.report, &v.toks[r].lower, &v.toks[r].lemma))
}

/// Months from `a` back to `b` (positive when `a` is earlier).
fn months_before(a: &str, b: &str) -> i64 {
    let ym = |s: &str| -> Option<(i64, i64)> {
        let y = s.get(0..4)?.parse().ok()?;
        let m = s.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(6);
        Some((y, m))
    };
    match (ym(a), ym(b)) {
        (Some((ya, ma)), Some((yb, mb))) => (yb * 12 + mb) - (ya * 12 + ma),
        _ => 0,
    }
}

/// The event date: the temporal expression nearest the predicate in its
/// sentence, else the document date. Returns (date, from text, "since").
fn event_date(cx: &Ctx, pr: &Pred, sent: std::ops::Range<usize>) -> (Option<String>, bool, bool) {
    let v = cx.v;
    let (s0, s1) = (v.toks[sent.start].start, v.toks[sent.end - 1].end);
    let ptok = &v.toks[pr.tok];
    // A date behind a relative clause boundary belongs to that clause
    // ("the talks that started last year", "leaders, who last met in May").
    let crosses = |d: &DateExpr| {
        let (a, b) = if d.start >= ptok.end {
            (ptok.end, d.start)
        } else {
            (d.end, ptok.start)
        };
        let between = cx.text.get(a..b).unwrap_or("").to_lowercase();
        let words: Vec<&str> = between
            .split(|c: char| !c.is_alphanumeric() && c != ',')
            .filter(|w| !w.is_empty())
            .collect();
        words
            .iter()
            .any(|w| *w == "that" || *w == "which" || *w == "who")
            || between.contains(", who")
            || between.contains(", which")
    };
    let best = in_span(cx.dates, s0, s1, |d| d.start)
        .iter()
        .filter(|d| d.end <= s1 && !d.value.is_empty() && !crosses(d))
        .min_by_key(|d| {
            if d.start >= ptok.end {
                d.start - ptok.end
            } else {
                ptok.start.saturating_sub(d.end) + 2
            }
        });
    match best {
        Some(d) => {
            let before = cx
                .text
                .get(s0..d.start)
                .unwrap_or("")
                .trim_end()
                .to_lowercase();
            let since = before.ends_with("since") || d.text.to_lowercase().starts_with("since");
            (Some(d.value.clone()), true, since)
        }
        None => (cx.doc_date.map(String::from), false, false),
    }
}

/// The event's place and whether it hangs off the predicate in the parse
/// (a strong place, which wins over a weak one when mentions merge).
fn event_place(
    cx: &Ctx,
    pr: &Pred,
    sent: std::ops::Range<usize>,
    args: &[&Option<(String, Option<usize>, ActorRef)>],
) -> Option<(bool, EventPlace)> {
    let v = cx.v;
    let (s0, s1) = (v.toks[sent.start].start, v.toks[sent.end - 1].end);
    let p = &v.toks[pr.tok];
    let is_arg = |pl: &Place| {
        args.iter().any(|a| {
            a.as_ref()
                .is_some_and(|x| x.2.start <= pl.start && pl.end <= x.2.end)
        })
    };
    let prep_before = |pl: &Place| {
        let before = cx.text.get(s0..pl.start).unwrap_or("").to_lowercase();
        let words: Vec<&str> = before.split_whitespace().rev().take(6).collect();
        words.iter().any(|w| PLACE_PREPS.contains(w))
    };
    // With a parse, a place counts only inside the predicate's own clause
    // ("met Assad in Sochi", not "said ... success in Syria"); one hanging
    // off the predicate through obliques and nominal modifiers is preferred.
    let pred_clause = v.parsed.then(|| clause_head(v, pr.tok));
    let place_tok = |pl: &Place| {
        (sent.start..sent.end)
            .rev()
            .find(|&k| v.toks[k].start < pl.end)
    };
    let mut cands: Vec<&Place> = in_span(cx.places, s0, s1, |pl| pl.start)
        .iter()
        .filter(|pl| pl.end <= s1 && !is_arg(pl))
        .filter(|pl| match (pred_clause, place_tok(pl)) {
            (Some(c), Some(k)) => clause_head(v, k) == c,
            _ => true,
        })
        .collect();
    if cands.is_empty() {
        return None;
    }
    let attached =
        |pl: &Place| v.parsed && place_tok(pl).is_some_and(|k| attached_to(v, k, pr.tok));
    // Specific places (cities, provinces) over countries; after the
    // predicate with a locative preposition; nearest.
    cands.sort_by_key(|pl| {
        // A country, named or by its adjective ("the southern Russian city
        // of Sochi": Sochi, not Russia).
        let country_level = pl.feature_class.as_deref() == Some("A")
            && pl.country.as_deref().is_some_and(|c| c.len() == 3)
            && (is_country_name(cx, &pl.name, "")
                || cx
                    .text
                    .get(pl.start..pl.end)
                    .is_some_and(|t| t.len() > 2 && is_country_name(cx, t, "")));
        let after = pl.start >= p.end;
        let dist = if after {
            pl.start - p.end
        } else {
            p.start.saturating_sub(pl.end) + 200
        };
        (
            country_level as usize,
            !attached(pl) as usize,
            !(prep_before(pl)) as usize,
            !after as usize,
            dist,
        )
    });
    let pl = cands[0];
    Some((
        attached(pl),
        EventPlace {
            name: pl.name.clone(),
            geonameid: pl.geonameid,
            country: pl.country.clone(),
            lat: Some(pl.lat),
            lon: Some(pl.lon),
            start: pl.start,
            end: pl.end,
        },
    ))
}

/// Dependency relations that open a new clause.
fn clause_rel(v: &View, k: usize) -> bool {
    let t = &v.toks[k];
    matches!(
        t.rel(),
        "ccomp" | "advcl" | "acl" | "conj" | "parataxis" | "csubj" | "xcomp" | "list" | "root"
    ) || t.head.is_none()
}

/// The token that heads the clause of `k`.
fn clause_head(v: &View, mut k: usize) -> usize {
    for _ in 0..40 {
        if clause_rel(v, k) {
            return k;
        }
        match v.toks[k].head {
            Some(h) if h != k => k = h,
            _ => return k,
        }
    }
    k
}

/// `k` hangs off `p` through obliques and nominal modifiers only ("met ...
/// in the southern Russian city of Sochi").
fn attached_to(v: &View, mut k: usize, p: usize) -> bool {
    for _ in 0..6 {
        if k == p {
            return true;
        }
        if !matches!(
            v.toks[k].rel(),
            "obl" | "nmod" | "compound" | "flat" | "appos" | "amod" | "nmod:poss"
        ) {
            return false;
        }
        match v.toks[k].head {
            Some(h) if h != k => k = h,
            _ => return false,
        }
    }
    false
}

fn is_country_name(cx: &Ctx, text: &str, _iso: &str) -> bool {
    let _ = cx;
    let k = crate::dict::key(text);
    crate::coder().is_some_and(|c| {
        c.dicts.lookup(&k).iter().any(|e| {
            matches!(
                e.atom,
                crate::dict::Atom::Country {
                    form: crate::dict::CountryForm::Name,
                    ..
                }
            )
        })
    })
}

fn dates_compatible(a: &Option<String>, b: &Option<String>) -> bool {
    match (a, b) {
        (Some(x), Some(y)) => date_cmp(x, y) == std::cmp::Ordering::Equal,
        _ => true,
    }
}

/// A text date close to the document date (a headline's undated report of
/// the same event): same or previous month.
fn recent(d: &Option<String>, doc: Option<&str>) -> bool {
    match (d, doc) {
        (Some(d), Some(doc)) => (0..=1).contains(&months_before(d, doc)),
        _ => false,
    }
}

/// Whether `head`, an event coded from the title or standfirst, reports
/// the same real event as `body`, coded from the article text: same type
/// and flags, the same actor codes (either order for a meeting; a side
/// the headline leaves out may be filled by the body), and a compatible
/// date. Headlines drop dates and details, so an undated or recent date
/// on either side matches.
pub fn same_event(body: &Event, head: &Event, doc_date: Option<&str>) -> bool {
    if body.plover != head.plover || body.flags != head.flags {
        return false;
    }
    let dates_ok = dates_compatible(&body.date, &head.date)
        || recent(&body.date, doc_date) && recent(&head.date, doc_date);
    if !dates_ok || head.source.is_none() && head.target.is_none() {
        return false;
    }
    let fits = |a: &Option<ActorRef>, b: &Option<ActorRef>| b.is_none() || same_actor(a, b);
    let straight = fits(&body.source, &head.source) && fits(&body.target, &head.target);
    let crossed = body.plover == "CONSULT"
        && fits(&body.source, &head.target)
        && fits(&body.target, &head.source);
    straight || crossed
}

fn same_actor(a: &Option<ActorRef>, b: &Option<ActorRef>) -> bool {
    match (a, b) {
        (Some(x), Some(y)) => x.code == y.code,
        _ => false,
    }
}

fn fillable(a: &Option<ActorRef>, b: &Option<ActorRef>) -> bool {
    a.is_none() || b.is_none() || same_actor(a, b)
}

/// The items of a slice sorted by start whose start lies in `s0..s1`.
fn in_span<T>(items: &[T], s0: usize, s1: usize, start: impl Fn(&T) -> usize) -> &[T] {
    let lo = items.partition_point(|x| start(x) < s0);
    let hi = items.partition_point(|x| start(x) < s1);
    &items[lo..hi.max(lo)]
}

/// Appends a merged-event candidate and indexes it by (type, source code).
fn push_indexed(out: &mut Vec<Cand>, index: &mut HashMap<(String, String), Vec<usize>>, c: Cand) {
    if let Some(a) = &c.ev.source {
        index
            .entry((c.ev.plover.clone(), a.code.clone()))
            .or_default()
            .push(out.len());
    }
    out.push(c);
}

/// Keeps the mention that names the actor: when a merged event first met
/// its actor as "the two foreign ministers" or "he", a later mention that
/// spells the name ("Turkish Foreign Minister Mevlut Cavusoglu") of the
/// same actor is the one to show.
fn prefer_named(side: &mut Option<ActorRef>, other: &Option<ActorRef>) {
    let named = |r: &ActorRef| r.name.as_ref().is_some_and(|n| r.text.contains(n.as_str()));
    if let (Some(x), Some(y)) = (side.as_mut(), other) {
        if x.code == y.code && x.name == y.name && !named(x) && named(y) {
            *x = y.clone();
        }
    }
}

/// One event per real event: same type, same actor pair (either order for
/// symmetric types), compatible dates and the same flags.
fn merge(cands: Vec<Cand>, doc_date: Option<&str>) -> Vec<Event> {
    let mut out: Vec<Cand> = Vec::new();
    let mut index: HashMap<(String, String), Vec<usize>> = HashMap::new();
    let mut used_templates: Vec<usize> = Vec::new();
    for c in cands {
        // A definite nominal mention ("the talks") completes the latest
        // earlier event of the same noun that lacks actors.
        if c.anaphoric {
            if let Some(ti) = out.iter().rposition(|o| {
                o.lemma == c.lemma
                    && o.ev.plover == c.ev.plover
                    && o.ev.source.is_none()
                    && o.ev.target.is_none()
            }) {
                let mut filled = out[ti].clone();
                filled.ev.source = c.ev.source.clone();
                filled.ev.target = c.ev.target.clone();
                filled.ev.evidence.extend(c.ev.evidence.iter().copied());
                filled.anaphoric = false;
                if !used_templates.contains(&ti) {
                    used_templates.push(ti);
                }
                push_indexed(&mut out, &mut index, filled);
                continue;
            }
        }
        let consult = c.ev.plover == "CONSULT";
        // Only events keyed by the same type and source (or, for a
        // meeting, the source that is this one's target) can match: looking
        // them up keeps merging linear in a long document.
        let mut near: Vec<usize> = Vec::new();
        for a in [&c.ev.source, &c.ev.target].into_iter().flatten() {
            if let Some(ix) = index.get(&(c.ev.plover.clone(), a.code.clone())) {
                near.extend(ix.iter().copied());
            }
        }
        near.sort_unstable();
        near.dedup();
        let hit = near.into_iter().find(|&i| {
            let o = &out[i];
            let dates_ok = dates_compatible(&o.ev.date, &c.ev.date)
                || (!o.date_explicit && c.date_explicit && recent(&c.ev.date, doc_date))
                || (o.date_explicit && !c.date_explicit && recent(&o.ev.date, doc_date));
            if o.ev.plover != c.ev.plover || o.ev.flags != c.ev.flags || !dates_ok {
                return false;
            }
            let straight = same_actor(&o.ev.source, &c.ev.source)
                && (same_actor(&o.ev.target, &c.ev.target) || fillable(&o.ev.target, &c.ev.target));
            let crossed = consult
                && same_actor(&o.ev.source, &c.ev.target)
                && same_actor(&o.ev.target, &c.ev.source);
            straight || crossed
        });
        match hit {
            Some(i) => {
                let o = &mut out[i];
                for e in &c.ev.evidence {
                    if !o.ev.evidence.contains(e) {
                        o.ev.evidence.push(*e);
                    }
                }
                if o.ev.target.is_none() {
                    o.ev.target = c.ev.target.clone();
                    o.tgt_chain = c.tgt_chain;
                }
                for side in [&mut o.ev.source, &mut o.ev.target] {
                    prefer_named(side, &c.ev.source);
                    prefer_named(side, &c.ev.target);
                }
                if c.ev.place.is_some()
                    && (o.ev.place.is_none() || (c.place_strong && !o.place_strong))
                {
                    o.ev.place = c.ev.place.clone();
                    o.place_strong = c.place_strong;
                }
                if !o.date_explicit && c.date_explicit {
                    o.ev.date = c.ev.date.clone();
                    o.date_explicit = true;
                }
                if let (Some(a), Some(b)) = (&mut o.ev.explain, &c.ev.explain) {
                    a.push_str("\n--- also:\n");
                    a.push_str(b);
                }
            }
            None => push_indexed(&mut out, &mut index, c),
        }
    }
    let mut evs = Vec::new();
    for (i, c) in out.into_iter().enumerate() {
        if used_templates.contains(&i) {
            continue;
        }
        // An event needs a coded participant. A nominal one without a
        // source ("leading to the withdrawal of foreign forces") needs a
        // target with a country or an organisation: "- -> ---MIL" from a
        // noun is more often a topic than an event an analyst could place
        // on a map or a dyad.
        let located = |a: &Option<ActorRef>| a.as_ref().is_some_and(|x| !x.code.starts_with("---"));
        let coded = if c.nominal {
            c.ev.source.is_some() || located(&c.ev.target)
        } else {
            c.ev.source.is_some() || c.ev.target.is_some()
        };
        if !coded {
            continue;
        }
        let _ = (c.src_chain, c.tgt_chain);
        evs.push(c.ev);
    }
    evs
}
