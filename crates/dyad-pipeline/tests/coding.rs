//! Coder mechanisms that need the parse, through the standard pipeline:
//! a protest's purpose clause is its content (one protest against the party
//! the purpose names, and the infinitive "to" of "to protest" does not make
//! it a diplomatic protest "to" someone); an attack without a named
//! perpetrator is coded to the unidentified armed forces of its country; a
//! control adjective ("willing to") hands its subject down; word order
//! names a source the parse lost; "they" stands for a plural group; a name
//! with no code takes its appositive's.

use dyad_core::{Doc, Source};

fn events(text: &str) -> Vec<(String, String, String)> {
    let p = dyad_pipeline::standard().expect("embedded models load");
    let mut d = Doc::from_clean_text("t", Source::path("t"), text);
    d.date_hint = Some("2010-06-01".into());
    p.run(&mut d);
    let code = |a: &Option<dyad_core::ActorRef>| {
        a.as_ref()
            .map(|a| a.code.clone())
            .unwrap_or_else(|| "-".into())
    };
    d.events
        .iter()
        .map(|e| (e.plover.clone(), code(&e.source), code(&e.target)))
        .collect()
}

#[test]
fn a_hunger_strike_to_protest_is_one_protest_with_the_purpose_as_target() {
    let evs =
        events("Cuban dissidents began a hunger strike to protest against the Cuban government.");
    assert_eq!(
        evs,
        vec![("PROTEST".into(), "CUBOPP".into(), "CUBGOV".into())],
        "{evs:?}"
    );
}

#[test]
fn a_demand_as_a_protest_purpose_is_not_a_separate_request() {
    let evs = events(
        "Kenyan students staged a rally in Nairobi to demand the resignation of the Kenyan president.",
    );
    assert!(
        evs.iter()
            .any(|e| e.0 == "PROTEST" && e.2.starts_with("KEN")),
        "{evs:?}"
    );
    assert!(evs.iter().all(|e| e.0 != "REQUEST"), "{evs:?}");
}

#[test]
fn a_diplomatic_protest_to_a_government_is_still_an_accusation() {
    let evs = events("Japan protested to China over the visit.");
    assert!(
        evs.iter()
            .any(|e| e.0 == "ACCUSE" && e.1 == "JPN" && e.2 == "CHN"),
        "{evs:?}"
    );
}

#[test]
fn an_attack_without_a_perpetrator_is_by_unidentified_forces_of_its_country() {
    let evs = events("A car bomb explosion killed a Lebanese journalist in Beirut on Monday.");
    assert!(
        evs.iter()
            .any(|e| e.0 == "ASSAULT" && e.1 == "LBNUAF" && e.2.starts_with("LBN")),
        "{evs:?}"
    );
    // A named attacker keeps its code.
    let evs = events("Syrian troops attacked the town of Idlib on Monday.");
    assert!(evs.iter().all(|e| !e.1.ends_with("UAF")), "{evs:?}");
}

#[test]
fn a_control_adjective_hands_its_subject_to_the_verb_under_it() {
    // The tagger reads "it" as an expletive; "willing to" makes it the
    // subject of "withdraw", and "it" is Syria.
    let evs = events("Syria says it is willing to withdraw its troops from Lebanon.");
    assert!(
        evs.iter().any(|e| e.0 == "RETREAT" && e.1 == "SYR"),
        "{evs:?}"
    );
}

#[test]
fn word_order_names_the_source_when_the_parse_has_no_subject() {
    let evs = events(
        "Thousands of Iraqi Kurds demonstrated in the northern city of Kirkuk on Sunday, witnesses said.",
    );
    assert!(
        evs.iter()
            .any(|e| e.0 == "PROTEST" && e.1.starts_with("IRQ")),
        "{evs:?}"
    );
}

#[test]
fn they_can_stand_for_a_plural_group() {
    let evs = events(
        "Afghan rebel leaders said on Wednesday they would meet the Pakistani foreign minister.",
    );
    assert!(
        evs.iter().any(|e| e.0 == "CONSULT" && e.1 == "AFGREB"),
        "{evs:?}"
    );
}

#[test]
fn an_uncoded_name_takes_its_appositives_code() {
    let evs = events(
        "Kenzo Oshima, the United Nations relief coordinator, demanded that the rebels free the hostages.",
    );
    assert!(
        evs.iter()
            .any(|e| e.0 == "REQUEST" && e.1.starts_with("IGO")),
        "{evs:?}"
    );
}
