//! End-to-end tests of the coder on hand-made documents.

use crate::*;
use dyad_core::{Doc, Source};

fn coded(text: &str, date: &str) -> Doc {
    let mut d = Doc::from_clean_text("t", Source::path("t"), text);
    d.date_hint = Some(date.into());
    code_doc(coder().expect("dictionaries load"), &mut d);
    d
}

fn matches(exp: &str, got: Option<&dyad_core::ActorRef>) -> bool {
    let exp = exp.trim_start_matches('-');
    match got {
        None => exp.is_empty(),
        Some(a) => {
            let got = a.code.trim_start_matches('-');
            !exp.is_empty()
                && (got.starts_with(exp)
                    || (exp.len() == 3 && got.len() == 6 && got.ends_with(exp)))
        }
    }
}

/// Every example of every pattern codes as its pattern says.
#[test]
fn every_pattern_example_codes_as_expected() {
    let c = coder().expect("load");
    let mut failures = Vec::new();
    for pat in &c.patterns.list {
        for ex in &pat.examples {
            let d = coded(&ex.text, "2018-05-17");
            let ok = d.events.iter().any(|e| {
                e.plover == ex.plover
                    && matches(&ex.source, e.source.as_ref())
                    && (ex.target == "-" && e.target.is_none()
                        || matches(&ex.target, e.target.as_ref()))
            });
            if !ok {
                let got: Vec<String> = d
                    .events
                    .iter()
                    .map(|e| {
                        format!(
                            "{}({}) {} {}",
                            e.plover,
                            e.rule,
                            e.source.as_ref().map(|a| a.code.as_str()).unwrap_or("-"),
                            e.target.as_ref().map(|a| a.code.as_str()).unwrap_or("-")
                        )
                    })
                    .collect();
                failures.push(format!(
                    "[{}] {} => {} {} {} ; got {:?}",
                    pat.id, ex.text, ex.plover, ex.source, ex.target, got
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failing examples:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
