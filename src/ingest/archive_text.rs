//! The archive text format (`NNN_<id>.txt`): title, date, credits, Markdown body, trailer.

use super::ParsedArticle;

pub fn parse(text: &str) -> ParsedArticle {
    let title = text
        .lines()
        .find(|line| !line.trim().is_empty())
        .unwrap_or_default();
    ParsedArticle {
        title: title.trim().to_owned(),
        body_text: text.to_owned(),
        ..ParsedArticle::default()
    }
}
