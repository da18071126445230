//! Scraped-text extraction: a page saved as plain text (first version).

use dyad_core::Article;

/// Extracts the article from a page saved as text.
pub fn extract(text: &str) -> Article {
    let body = text.trim().to_string();
    Article {
        language: crate::lang::detect(&body).map(str::to_string),
        text: body,
        ..Default::default()
    }
}
