//! The archive text format (`NNN_<id>.txt`): title, date, credits, Markdown body, trailer.

mod date;
mod head;
mod markdown;
mod related;
mod trailer;

use super::{ParsedArticle, RelatedLink};
use head::read_head;
use markdown::render_body;
use related::related_links;
use trailer::{TrailerUrl, find_trailer};

/// A first line longer than this is more likely the opening paragraph of a file without a title.
const LONG_TITLE: usize = 200;

/// Parses one archive text. Never fails: whatever the file lacks is reported in `warnings`, and
/// every line ends up in the title, date, credits, body, related links or original URL.
pub fn parse(text: &str) -> ParsedArticle {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines = split_lines(text);
    let mut article = ParsedArticle::default();
    if lines.iter().all(|line| is_blank(line)) {
        article.warnings.push("empty text".to_owned());
        return article;
    }
    let content = without_trailer(&lines, &mut article);
    let Some(title_at) = content.iter().position(|line| !is_blank(line)) else {
        article
            .warnings
            .push("no title or body, only the trailer".to_owned());
        return article;
    };
    article.title = title_text(content[title_at]);
    let title_length = article.title.chars().count();
    if title_length > LONG_TITLE {
        article.warnings.push(format!(
            "first line is {title_length} characters long: the file may have no title"
        ));
    }
    let after_title = &content[title_at + 1..];
    let body_start = read_head(after_title, &mut article);
    if article.published_raw.is_none() {
        article.warnings.push("no date found".to_owned());
    }
    let markdown = body_markdown(&after_title[body_start..], &mut article.related);
    let body = render_body(&markdown);
    if body.text.is_empty() {
        article.warnings.push("empty body".to_owned());
    }
    article.body_html = body.html;
    article.body_text = body.text;
    article
}

/// The lines without the trailer, recording its URL. Text after the trailer (a second trailer,
/// notes appended later) stays in the body rather than being lost.
fn without_trailer<'a>(lines: &[&'a str], article: &mut ParsedArticle) -> Vec<&'a str> {
    let Some(trailer) = find_trailer(lines) else {
        article.warnings.push("no original URL".to_owned());
        return lines.to_vec();
    };
    match trailer.url {
        TrailerUrl::Web(url) => article.original_url = Some(url),
        TrailerUrl::Other(url) => article
            .warnings
            .push(format!("original URL is not http(s), not kept: {url}")),
        TrailerUrl::Missing(rest) if rest.is_empty() => article
            .warnings
            .push("no original URL after \"Original url:\"".to_owned()),
        TrailerUrl::Missing(rest) => article
            .warnings
            .push(format!("no original URL, \"Original url:\" says: {rest}")),
    }
    let mut content = lines[..trailer.start].to_vec();
    let after = &lines[trailer.end..];
    if after.iter().any(|line| !is_blank(line)) {
        article
            .warnings
            .push("text after the trailer, kept in the body".to_owned());
        content.push("");
        content.extend_from_slice(after);
    }
    content
}

/// Lines split at LF, CRLF or a lone CR (old Mac files).
fn split_lines(text: &str) -> Vec<&str> {
    if !text.contains('\r') {
        return text.split('\n').collect();
    }
    let mut lines = Vec::new();
    let mut rest = text;
    while let Some(end) = rest.find(['\r', '\n']) {
        lines.push(&rest[..end]);
        let line_break = if rest[end..].starts_with("\r\n") {
            2
        } else {
            1
        };
        rest = &rest[end + line_break..];
    }
    lines.push(rest);
    lines
}

fn is_blank(line: &str) -> bool {
    line.trim().is_empty()
}

/// The title as plain text; a converter that wrote it as a Markdown heading adds `# `.
fn title_text(line: &str) -> String {
    let line = line.trim();
    let unmarked = line.trim_start_matches('#');
    let hashes = line.len() - unmarked.len();
    if (1..=6).contains(&hashes) && unmarked.starts_with([' ', '\t']) {
        unmarked.trim().to_owned()
    } else {
        line.to_owned()
    }
}

/// The body's Markdown without the "Related" promotions, which go to `related` instead. A
/// promotion is a paragraph of its own and never inside a fenced code block.
fn body_markdown(lines: &[&str], related: &mut Vec<RelatedLink>) -> String {
    let mut markdown = String::with_capacity(lines.iter().map(|line| line.len() + 1).sum());
    let mut open_fence: Option<char> = None;
    for (index, line) in lines.iter().enumerate() {
        if let Some(fence) = fence_of(line) {
            match open_fence {
                None => open_fence = Some(fence),
                Some(open) if open == fence => open_fence = None,
                Some(_) => {}
            }
        } else if open_fence.is_none()
            && stands_alone(lines, index)
            && let Some(links) = related_links(line)
        {
            related.extend(links);
            continue;
        }
        markdown.push_str(line);
        markdown.push('\n');
    }
    markdown
}

/// The fence character of a line that opens or closes a fenced code block.
fn fence_of(line: &str) -> Option<char> {
    let trimmed = line.trim_start();
    if line.len() - trimmed.len() > 3 {
        return None;
    }
    if trimmed.starts_with("```") {
        Some('`')
    } else if trimmed.starts_with("~~~") {
        Some('~')
    } else {
        None
    }
}

fn stands_alone(lines: &[&str], index: usize) -> bool {
    let blank_before = index == 0 || is_blank(lines[index - 1]);
    let blank_after = lines.get(index + 1).is_none_or(|line| is_blank(line));
    blank_before && blank_after
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_line_break_splits_lines() {
        assert_eq!(split_lines("a\r\nb\rc\nd"), ["a", "b", "c", "d"]);
        assert_eq!(split_lines("a\n"), ["a", ""]);
        assert_eq!(split_lines("\r\r\n"), ["", "", ""]);
    }

    #[test]
    fn titles_lose_heading_markers_only() {
        assert_eq!(title_text("  # Port Reopens  "), "Port Reopens");
        assert_eq!(title_text("#1 Hit Returns"), "#1 Hit Returns");
        assert_eq!(title_text("####### Seven"), "####### Seven");
    }

    #[test]
    fn promotions_inside_code_or_paragraphs_stay() {
        let mut related = Vec::new();
        let markdown = body_markdown(
            &[
                "Text.",
                "",
                "```",
                "",
                "See also: [x](#)",
                "",
                "```",
                "",
                "Read more: [y](#)",
                "",
                "Read more: [z](#)",
                "continued.",
            ],
            &mut related,
        );
        assert_eq!(
            related,
            [RelatedLink {
                title: "y".to_owned(),
                url: None
            }]
        );
        assert_eq!(
            markdown,
            "Text.\n\n```\n\nSee also: [x](#)\n\n```\n\n\nRead more: [z](#)\ncontinued.\n"
        );
    }

    #[test]
    fn whitespace_only_text_is_an_empty_article() {
        let article = parse("\u{feff}\r\n  \n\t\n");
        assert_eq!(article.title, "");
        assert_eq!(article.warnings, ["empty text"]);
    }
}
