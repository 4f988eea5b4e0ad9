//! The short texts printed next to the page's headline, where pages put the article's date and
//! byline also when no class or id names them ("Dec 12, 2025", "Written by" "Ann Lee").

use dom_query::{Document, NodeRef};

use super::dates::date_in_text;
use super::fields;

/// How many texts after the headline, and before it, are read.
const TEXTS_AFTER_HEADLINE: usize = 20;
const TEXTS_BEFORE_HEADLINE: usize = 3;
/// A date line or byline is short: "By Ann Lee · Updated May 5, 2024 at 10:00".
const MAX_LINE_CHARS: usize = 80;
/// What a byline starts with, lower case, longest first.
const BYLINE_LABELS: &[&str] = &["written by", "posted by", "authors", "author", "by"];
/// A name is a few words.
const MAX_NAME_WORDS: usize = 6;
const MAX_NAME_CHARS: usize = 60;

/// The texts around the page's first `<h1>` (its own words left out), nearest first.
pub struct HeadlineTexts {
    after: Vec<String>,
    before: Vec<String>,
}

impl HeadlineTexts {
    /// Reads the texts around the first `<h1>` in document order, without scripts and styles;
    /// `None` when the page has no `<h1>`.
    pub fn read(document: &Document) -> Option<Self> {
        let body = document.select_single("body");
        let mut before = Vec::new();
        let mut after = Vec::new();
        let mut seen_headline = false;
        // Document order with an explicit stack: the depth of the tree is the page's to choose.
        let mut stack: Vec<NodeRef> = body.nodes().to_vec();
        while let Some(node) = stack.pop() {
            if node.is_text() {
                let text = node.text();
                let text = text.trim();
                if text.is_empty() {
                    continue;
                }
                if !seen_headline {
                    before.push(text.to_owned());
                    continue;
                }
                after.push(text.to_owned());
                if after.len() == TEXTS_AFTER_HEADLINE {
                    break;
                }
                continue;
            }
            match node.node_name().as_deref() {
                Some("script" | "style" | "noscript" | "template") => {}
                // The headline's own words are not its date ("Release 2024-05-17 is out").
                Some("h1") if !seen_headline => seen_headline = true,
                _ => stack.extend(node.children_it(true)),
            }
        }
        seen_headline.then(|| {
            let nearest_before = before.iter().rev().take(TEXTS_BEFORE_HEADLINE).cloned();
            Self {
                after,
                before: nearest_before.collect(),
            }
        })
    }

    /// The first date in a short text after the headline, else just before it, as `YYYY-MM-DD`.
    pub fn date(&self) -> Option<String> {
        self.nearest_first()
            .filter(|text| is_short(text))
            .find_map(date_in_text)
    }

    /// The name in the first byline after the headline, else just before it: "By Ann Lee",
    /// "Author: Ann Lee", or a label alone followed by the name ("Written by" "Ann Lee").
    pub fn byline(&self) -> Option<String> {
        byline_in(&self.after).or_else(|| byline_in(&self.before))
    }

    fn nearest_first(&self) -> impl Iterator<Item = &str> {
        self.after.iter().chain(&self.before).map(String::as_str)
    }
}

fn is_short(text: &str) -> bool {
    text.chars().count() <= MAX_LINE_CHARS
}

fn byline_in(texts: &[String]) -> Option<String> {
    texts.iter().enumerate().find_map(|(index, text)| {
        if !is_short(text) {
            return None;
        }
        let rest = BYLINE_LABELS.iter().find_map(|label| {
            let start = text.get(..label.len())?;
            let rest = text.get(label.len()..)?;
            (start.eq_ignore_ascii_case(label) && (rest.is_empty() || rest.starts_with([' ', ':'])))
                .then(|| rest.trim_start_matches([' ', ':']).trim())
        })?;
        let name = if rest.is_empty() {
            texts.get(index + 1)?.as_str()
        } else {
            rest
        };
        fields::byline(Some(name.to_owned())).filter(|name| is_name(name))
    })
}

/// A few words without digits, the first capitalised unless it is a single handle ("ibby").
fn is_name(text: &str) -> bool {
    let words = text.split(' ').count();
    let capitalised = text.chars().next().is_some_and(char::is_uppercase);
    words <= MAX_NAME_WORDS
        && text.chars().count() <= MAX_NAME_CHARS
        && !text.chars().any(|c| c.is_ascii_digit())
        && (capitalised || words == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(html: &str) -> Option<HeadlineTexts> {
        HeadlineTexts::read(&Document::from(html))
    }

    #[test]
    fn date_lines_by_the_headline() {
        let after = r#"<body><nav>Home</nav><header><h1>Fish on 2020-01-01</h1>
            <div class="x1"><span>Ann Lee</span> <span>Mar 3, 2023</span></div></header>
            <p>Text</p><p>Comment from May 5, 2024</p></body>"#;
        let before = r#"<body><div>Updated:</div><div>Mar 4, 2023</div><h1>Fish</h1>
            <p>A paragraph, longer than any date line, that mentions 1 May 2022 in passing and
            goes on.</p></body>"#;
        for (html, expected) in [(after, "2023-03-03"), (before, "2023-03-04")] {
            let date = texts(html).and_then(|texts| texts.date());
            assert_eq!(date.as_deref(), Some(expected), "{html}");
        }
        assert!(texts("<body><p>Mar 5, 2023</p></body>").is_none());
    }

    #[test]
    fn bylines_by_the_headline() {
        for (html, expected) in [
            (
                "<h1>Fish</h1><p>Written by</p><p>Ann Lee</p><p>Text</p>",
                Some("Ann Lee"),
            ),
            (
                "<h1>Fish</h1><p>By <a href=/ann>Ann Lee</a> · May 5, 2024</p>",
                Some("Ann Lee"),
            ),
            ("<h1>Fish</h1><p>Author: Bo Writer</p>", Some("Bo Writer")),
            ("<h1>Fish</h1><p>by: ibby</p>", Some("ibby")),
            (
                "<h1>Fish</h1><p>By continuing you agree to our terms</p>",
                None,
            ),
            ("<h1>Fish</h1><p>Bypass the queue</p>", None),
        ] {
            let byline = texts(html).and_then(|texts| texts.byline());
            assert_eq!(byline.as_deref(), expected, "{html}");
        }
    }
}
