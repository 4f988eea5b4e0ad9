//! The short lines between the title and the first paragraph: the date, credits and byline.

use super::date::parse_date;
use super::is_blank;
use super::markdown::plain_inline;
use super::related::related_links;
use crate::ingest::ParsedArticle;

/// Credits are short; a longer line is the article's first paragraph.
const MAX_CREDIT_LENGTH: usize = 80;

/// A file whose paragraphs are all short (a poem, a list of results) must not lose its whole body
/// to the credits.
const MAX_CREDITS: usize = 5;

/// Reads the head into `article` and returns the index of the first line of the body.
pub fn read_head(lines: &[&str], article: &mut ParsedArticle) -> usize {
    let mut at = 0;
    while at < lines.len() {
        if is_blank(lines[at]) {
            at += 1;
            continue;
        }
        let block_end = (at..lines.len())
            .find(|&index| is_blank(lines[index]))
            .unwrap_or(lines.len());
        if !take_block(&lines[at..block_end], article) {
            break;
        }
        at = block_end;
    }
    at
}

/// Takes one block of consecutive lines if the whole block belongs to the head. Blocks, not lines,
/// so that a hard-wrapped first paragraph is never split between credits and body.
fn take_block(block: &[&str], article: &mut ParsedArticle) -> bool {
    if let [line] = block
        && let Some(links) = related_links(line)
    {
        article.related.extend(links);
        return true;
    }
    let mut date_wanted = article.published_raw.is_none();
    let mut credit_lines = 0;
    for line in block {
        if date_wanted && parse_date(line).is_some() {
            date_wanted = false;
        } else if is_credit(line) {
            credit_lines += 1;
        } else {
            return false;
        }
    }
    if article.credits.len() + credit_lines > MAX_CREDITS {
        return false;
    }
    for line in block {
        match parse_date(line) {
            Some(published_at) if article.published_raw.is_none() => {
                article.published_raw = Some(line.trim().to_owned());
                article.published_at = Some(published_at);
            }
            _ => add_credit(line, article),
        }
    }
    true
}

fn add_credit(line: &str, article: &mut ParsedArticle) {
    let plain = plain_inline(line);
    let credit = if plain.is_empty() {
        line.trim().to_owned()
    } else {
        plain
    };
    if article.byline.is_none() {
        article.byline = byline_in(&credit).map(str::to_owned);
    }
    article.credits.push(credit);
}

/// `Jane Doe` from `By Jane Doe` or `by: Jane Doe`.
fn byline_in(credit: &str) -> Option<&str> {
    let rest = credit
        .get(..2)
        .filter(|by| by.eq_ignore_ascii_case("by"))
        .map(|_| &credit[2..])?;
    if !rest.starts_with([' ', ':']) {
        return None;
    }
    let name = rest.trim_start_matches(':').trim();
    (!name.is_empty()).then_some(name)
}

fn is_credit(line: &str) -> bool {
    let trimmed = line.trim();
    let length = trimmed.chars().count();
    if length == 0 || length > MAX_CREDIT_LENGTH || is_block_markup(line) {
        return false;
    }
    if trimmed.matches("](").count() > 1 || !trimmed.chars().any(char::is_alphanumeric) {
        return false;
    }
    byline_in(trimmed).is_some() || !ends_like_sentence(trimmed)
}

/// Lines Markdown reads as something other than a paragraph: headings, quotes, lists, code,
/// tables, images, raw HTML.
fn is_block_markup(line: &str) -> bool {
    if line.starts_with("    ") || line.starts_with('\t') {
        return true;
    }
    let trimmed = line.trim_start();
    if trimmed.starts_with(['#', '>', '|', '<']) || trimmed.starts_with("![") {
        return true;
    }
    if ["```", "~~~", "- ", "* ", "+ "]
        .iter()
        .any(|marker| trimmed.starts_with(marker))
    {
        return true;
    }
    let after_number = trimmed.trim_start_matches(|c: char| c.is_ascii_digit());
    after_number.len() < trimmed.len()
        && (after_number.starts_with(". ") || after_number.starts_with(") "))
}

fn ends_like_sentence(line: &str) -> bool {
    line.trim_end_matches(['"', '\'', '”', '’', '»', ')', ']', '*', '_'])
        .ends_with(['.', '!', '?', '…', ':', ';'])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head_of(text: &str) -> (ParsedArticle, usize) {
        let lines: Vec<&str> = text.lines().collect();
        let mut article = ParsedArticle::default();
        let body_start = read_head(&lines, &mut article);
        (article, body_start)
    }

    #[test]
    fn date_credits_and_byline() {
        let (article, body_start) = head_of(
            "\nMay 20, 2026\n\n\nkremlin.ru\n\nBy *Jane Doe*\n\nThe talks began on Monday.\n",
        );
        assert_eq!(article.published_raw.as_deref(), Some("May 20, 2026"));
        assert_eq!(article.published_at.as_deref(), Some("2026-05-20"));
        assert_eq!(article.credits, ["kremlin.ru", "By Jane Doe"]);
        assert_eq!(article.byline.as_deref(), Some("Jane Doe"));
        assert_eq!(body_start, 8);
    }

    #[test]
    fn a_byline_above_the_date() {
        let (article, _) = head_of("By Jane Doe\nMay 20, 2026 at 10:32 a.m.\n\nText follows here.");
        assert_eq!(article.published_at.as_deref(), Some("2026-05-20T10:32:00"));
        assert_eq!(article.credits, ["By Jane Doe"]);
    }

    #[test]
    fn a_wrapped_first_paragraph_is_not_a_credit() {
        let (article, body_start) = head_of(
            "May 20, 2026\n\nPresident Putin and Chinese leader Xi Jinping signed a joint\ndeclaration on Wednesday.\n",
        );
        assert!(article.credits.is_empty());
        assert_eq!(body_start, 2);
    }

    #[test]
    fn markup_and_sentences_are_not_credits() {
        for line in [
            "## Background",
            "- first point",
            "1. first point",
            "> a quote",
            "<img src=x onerror=alert(1)>",
            "![photo](#)",
            "The port reopened.",
            "Who pays?",
            "---",
            "[One](#) and [Two](#)",
            "    code",
        ] {
            assert!(!is_credit(line), "{line}");
        }
        for line in [
            "kremlin.ru",
            "Photo: Jane Doe/News Example",
            "By J. Smith Jr.",
            "BEIJING",
        ] {
            assert!(is_credit(line), "{line}");
        }
    }

    #[test]
    fn bylines_need_the_word_by() {
        assert_eq!(byline_in("By: Jane Doe"), Some("Jane Doe"));
        assert_eq!(byline_in("BY JANE DOE"), Some("JANE DOE"));
        assert_eq!(byline_in("Byron Bay"), None);
        assert_eq!(byline_in("By"), None);
    }
}
