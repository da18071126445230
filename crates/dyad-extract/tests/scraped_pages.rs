//! Scraped-text extraction on hand-written pages with different chrome
//! (fixtures under `tests/fixtures/scraped/`, written for these tests).

use dyad_extract::scraped::extract;

fn fixture(name: &str) -> String {
    let p = format!(
        "{}/tests/fixtures/scraped/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
}

fn removed_with(a: &dyad_core::Article, reason: &str) -> Vec<String> {
    a.removed
        .iter()
        .filter(|r| r.reason == reason)
        .map(|r| r.text.clone())
        .collect()
}

#[test]
fn english_page_with_english_chrome() {
    let a = extract(&fixture("english-news.txt"));
    assert_eq!(a.language.as_deref(), Some("en"));
    assert_eq!(
        a.title.as_deref(),
        Some("Harbour cranes return to Port Verity after storm")
    );
    assert_eq!(
        a.standfirst.as_deref(),
        Some("Dockworkers expect full operations by the end of the month")
    );
    assert_eq!(a.byline.as_deref(), Some("Alex Example"));
    assert!(
        a.text.starts_with("Three of the five container cranes"),
        "{}",
        a.text
    );
    assert!(a.text.ends_with("by the end of the month."), "{}", a.text);
    assert_eq!(
        a.text.matches("\n\n").count(),
        3,
        "four body paragraphs: {}",
        a.text
    );
    for gone in [
        "Skip to main content",
        "Read more",
        "Share on",
        "newsletter",
        "©",
        "Privacy",
        "Ferry operator",
        "(Photo",
    ] {
        assert!(!a.text.contains(gone), "{gone} left in body");
    }
    assert_eq!(removed_with(&a, "navigation")[0], "Skip to main content");
    assert!(removed_with(&a, "caption")[0].contains("Photo:"));
    assert!(removed_with(&a, "teaser")
        .iter()
        .any(|t| t.starts_with("Read more:")));
    assert!(removed_with(&a, "teaser")
        .iter()
        .any(|t| t == "Ferry operator orders two new vessels"));
    assert_eq!(removed_with(&a, "share").len(), 1);
    assert_eq!(removed_with(&a, "notice").len(), 1);
    assert!(removed_with(&a, "footer")
        .iter()
        .any(|t| t.starts_with('©')));
}

#[test]
fn german_page() {
    let a = extract(&fixture("german-news.txt"));
    assert_eq!(a.language.as_deref(), Some("de"));
    assert_eq!(
        a.title.as_deref(),
        Some("Stadtrat beschließt neuen Radweg am Fluss")
    );
    assert!(a
        .standfirst
        .as_deref()
        .unwrap_or("")
        .starts_with("Die Strecke soll"));
    assert!(a.text.starts_with("Der Stadtrat hat am Dienstagabend"));
    assert!(a.text.ends_with("teilte die Verwaltung mit."));
    let teasers = removed_with(&a, "teaser");
    assert_eq!(
        teasers,
        [
            "Neue Buslinie verbindet Bahnhof und Klinikum",
            "Weiterlesen"
        ]
    );
    let t = a.removed.iter().find(|r| r.text == "Weiterlesen").unwrap();
    assert_eq!(t.language.as_deref(), Some("de"));
    for gone in ["Zum Inhalt", "Teilen", "Newsletter", "Impressum", "Rechte"] {
        assert!(!a.text.contains(gone), "{gone} left in body");
    }
}

#[test]
fn comments_and_cookie_banner() {
    let a = extract(&fixture("comments-cookies.txt"));
    assert_eq!(
        a.title.as_deref(),
        Some("Volunteers plant 10,000 trees along the river")
    );
    assert_eq!(
        a.standfirst.as_deref(),
        Some("A weekend effort by local groups restores a flood plain")
    );
    assert!(a.text.starts_with("More than 300 volunteers"));
    assert!(a.text.ends_with("badly eroded."), "{}", a.text);
    assert!(!a.text.contains("cookie") && !a.text.contains("Advertisement"));
    assert!(removed_with(&a, "comments")
        .iter()
        .any(|t| t.contains("proud of our town")));
    assert!(removed_with(&a, "notice")
        .iter()
        .any(|t| t.starts_with("We use cookies")));
}

#[test]
fn spanish_page_with_english_footer() {
    let a = extract(&fixture("spanish-english-chrome.txt"));
    assert_eq!(a.language.as_deref(), Some("es"));
    assert_eq!(
        a.title.as_deref(),
        Some("El Gobierno aprueba un plan de vivienda para jóvenes")
    );
    assert!(a.text.starts_with("El Consejo de Ministros"));
    assert!(a.text.ends_with("viven solas."));
    let other = a
        .removed
        .iter()
        .find(|r| r.text.starts_with("This website"))
        .expect("footer removed");
    assert_eq!(other.language.as_deref(), Some("en"));
    assert!(a
        .removed
        .iter()
        .any(|r| r.text == "Leer más" && r.reason == "teaser"));
}

#[test]
fn degenerate_inputs() {
    assert_eq!(extract("").text, "");
    assert_eq!(extract("\n\n  \n").text, "");
    let a = extract("Just one short line");
    assert_eq!(a.title.as_deref(), Some("Just one short line"));
    let a = extract(
        "One plain sentence of prose that has enough words to count as the body of the page.",
    );
    assert!(a.text.starts_with("One plain sentence"));
}
