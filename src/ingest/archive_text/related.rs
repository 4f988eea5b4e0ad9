//! The site's "Related article: [title](target)" promotions, taken out of the article's text.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::markdown::is_web_target;
use crate::ingest::RelatedLink;

/// Labels that introduce a promotion, lower case, without the colon.
const LABELS: &[&str] = &[
    "related",
    "related article",
    "related articles",
    "related story",
    "related stories",
    "read more",
    "read also",
    "also read",
    "see also",
];

const LONGEST_LABEL: usize = "related articles".len();

/// Characters that only separate several promoted links on one line.
const SEPARATORS: &[char] = &['|', ',', ';', '·', '•', '/', '-', '–', '—'];

/// The promotions on a line such as `Related article: [Title](#)` or `**Read more:** Title`;
/// `None` for any other line. The caller decides that the line stands alone as a paragraph.
pub fn related_links(line: &str) -> Option<Vec<RelatedLink>> {
    if line.starts_with("    ") || line.starts_with('\t') {
        return None;
    }
    let unwrapped = line.trim().trim_start_matches(['*', '_']);
    // Every paragraph of the body comes through here: look for the colon near the start only
    // (the longest label, with room for `**` and spaces around it).
    let colon = unwrapped
        .bytes()
        .take(LONGEST_LABEL + 4)
        .position(|byte| byte == b':')?;
    let label = unwrapped[..colon].trim().trim_end_matches(['*', '_']);
    if !LABELS.iter().any(|known| known.eq_ignore_ascii_case(label)) {
        return None;
    }
    let promoted = unwrapped[colon + 1..]
        .trim()
        .trim_matches(['*', '_'])
        .trim();
    let links = links_in(promoted);
    if !links.links.is_empty() && links.rest_is_separators() {
        return Some(links.links);
    }
    let title = links.text.split_whitespace().collect::<Vec<_>>().join(" ");
    if title.is_empty() {
        return None;
    }
    let url = match links.links.as_slice() {
        [only] => only.url.clone(),
        [] if is_web_target(&title) && !title.contains(' ') => Some(title.clone()),
        _ => None,
    };
    Some(vec![RelatedLink { title, url }])
}

struct LinksInLine {
    links: Vec<RelatedLink>,
    /// The text outside any link.
    rest: String,
    /// All the text, inside links and out, without Markdown syntax.
    text: String,
}

impl LinksInLine {
    fn rest_is_separators(&self) -> bool {
        self.rest
            .chars()
            .all(|c| c.is_whitespace() || SEPARATORS.contains(&c))
    }
}

fn links_in(markdown: &str) -> LinksInLine {
    let mut found = LinksInLine {
        links: Vec::new(),
        rest: String::new(),
        text: String::new(),
    };
    let mut open: Option<(String, String)> = None;
    for event in Parser::new(markdown) {
        match event {
            Event::Start(Tag::Link { dest_url, .. }) => {
                open = Some((dest_url.into_string(), String::new()));
            }
            Event::End(TagEnd::Link) => {
                if let Some((target, title)) = open.take() {
                    found.links.push(RelatedLink {
                        title: title.split_whitespace().collect::<Vec<_>>().join(" "),
                        url: is_web_target(&target).then(|| target.trim().to_owned()),
                    });
                }
            }
            Event::Text(text) | Event::Code(text) | Event::InlineHtml(text) | Event::Html(text) => {
                match open.as_mut() {
                    Some((_, title)) => title.push_str(&text),
                    None => found.rest.push_str(&text),
                }
                found.text.push_str(&text);
            }
            Event::SoftBreak | Event::HardBreak => {
                found.rest.push(' ');
                found.text.push(' ');
            }
            _ => {}
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(title: &str, url: Option<&str>) -> RelatedLink {
        RelatedLink {
            title: title.to_owned(),
            url: url.map(str::to_owned),
        }
    }

    #[test]
    fn promotions_are_recognised() {
        let cases = [
            (
                "Related article: [Gas Talks Stall](#)",
                link("Gas Talks Stall", None),
            ),
            (
                "related: [Ports *reopen*](https://news.example/ports)",
                link("Ports reopen", Some("https://news.example/ports")),
            ),
            (
                "Read more: Ferry fares rise again",
                link("Ferry fares rise again", None),
            ),
            (
                "**See also:** [Tide tables](ftp://x.example/t)",
                link("Tide tables", None),
            ),
            (
                "*Related article: [A \\[draft\\] plan](#)*",
                link("A [draft] plan", None),
            ),
            (
                "Read more: [Strike](https://news.example/s) by Jane Doe",
                link("Strike by Jane Doe", Some("https://news.example/s")),
            ),
        ];
        for (line, expected) in cases {
            assert_eq!(related_links(line), Some(vec![expected]), "{line}");
        }
    }

    #[test]
    fn several_links_on_one_line_are_several_promotions() {
        assert_eq!(
            related_links("Related: [One](#) | [Two](https://news.example/2)"),
            Some(vec![
                link("One", None),
                link("Two", Some("https://news.example/2"))
            ])
        );
    }

    #[test]
    fn other_lines_are_not_promotions() {
        for line in [
            "Related:",
            "Relatedly: the port reopened.",
            "He said: [this](#)",
            "    Related: indented code",
            "Note: related articles follow",
        ] {
            assert_eq!(related_links(line), None, "{line}");
        }
    }
}
