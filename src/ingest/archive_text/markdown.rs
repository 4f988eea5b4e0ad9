//! The Markdown of an archive body turned into sanitized HTML and plain text.

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd, html};

use crate::ingest::sanitize::sanitize_html;

/// An archive body in the two forms the store keeps.
pub struct RenderedBody {
    pub html: String,
    pub text: String,
}

/// The syntax an HTML-to-Markdown converter writes; no extension that rewrites the text itself
/// (smart punctuation) or that a converter never emits (footnotes, math).
fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

/// Renders the body. Raw HTML in the Markdown is shown as text, never interpreted: the archive
/// is untrusted, and the sanitizer afterwards is a second fence, not the only one.
pub fn render_body(markdown: &str) -> RenderedBody {
    let mut events = Vec::new();
    let mut text = PlainText::default();
    // Whether each open link or image was kept, so its end event is kept or dropped with it.
    let mut kept_targets: Vec<bool> = Vec::new();
    for event in Parser::new_ext(markdown, options()) {
        text.add(&event);
        match event {
            Event::Html(raw) | Event::InlineHtml(raw) => events.push(Event::Text(raw)),
            Event::Start(Tag::HtmlBlock) => events.push(Event::Start(Tag::Paragraph)),
            Event::End(TagEnd::HtmlBlock) => {
                // The block's last line ends in a newline that would dangle before `</p>`.
                if let Some(Event::Text(last)) = events.last_mut() {
                    *last = last.trim_end_matches('\n').to_owned().into();
                }
                events.push(Event::End(TagEnd::Paragraph));
            }
            Event::Start(Tag::Link {
                link_type,
                ref dest_url,
                ..
            }) => {
                let keep = link_type == LinkType::Email || is_web_or_mail_target(dest_url);
                kept_targets.push(keep);
                if keep {
                    events.push(event);
                }
            }
            Event::Start(Tag::Image { ref dest_url, .. }) => {
                let keep = is_web_target(dest_url);
                kept_targets.push(keep);
                if keep {
                    events.push(event);
                }
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                if kept_targets.pop().unwrap_or(false) {
                    events.push(event);
                }
            }
            event => events.push(event),
        }
    }
    let mut unsafe_html = String::with_capacity(markdown.len() + markdown.len() / 4);
    html::push_html(&mut unsafe_html, events.into_iter());
    RenderedBody {
        html: sanitize_html(&unsafe_html, None),
        text: text.finish(),
    }
}

/// The plain text of one line of inline Markdown (a credit): emphasis, escapes
/// and link syntax removed, whitespace collapsed.
pub fn plain_inline(markdown: &str) -> String {
    let mut text = PlainText::default();
    for event in Parser::new_ext(markdown, options()) {
        text.add(&event);
    }
    text.finish()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A link target worth following from an archived page: `#` means the link was not archived,
/// and relative targets would point into Tearsheet itself.
fn is_web_or_mail_target(target: &str) -> bool {
    is_web_target(target) || has_scheme(target, "mailto:")
}

/// An `http(s)` address a browser can follow, with a valid host: a damaged file's
/// `https://alps\u{fffd}example/` is neither linked nor kept as an original URL.
pub fn is_web_target(target: &str) -> bool {
    (has_scheme(target, "http://") || has_scheme(target, "https://"))
        && url::Url::parse(target.trim()).is_ok_and(|url| url.host().is_some())
}

fn has_scheme(target: &str, scheme: &str) -> bool {
    let target = target.trim_start();
    target
        .get(..scheme.len())
        .is_some_and(|start| start.eq_ignore_ascii_case(scheme))
        && target.len() > scheme.len()
}

/// Collects the text of Markdown events, one paragraph per block, blocks split by a blank line.
/// Ordered list items keep their numbers, which the text may refer to ("step 2").
#[derive(Default)]
struct PlainText {
    finished: String,
    block: String,
    /// For each open list, the number of its next item, or `None` for a bulleted list.
    lists: Vec<Option<u64>>,
    /// An item number waiting for the item's first text.
    item_number: Option<u64>,
}

impl PlainText {
    fn add(&mut self, event: &Event<'_>) {
        match event {
            Event::Text(text)
            | Event::Code(text)
            | Event::Html(text)
            | Event::InlineHtml(text)
            | Event::InlineMath(text)
            | Event::DisplayMath(text) => self.push_text(text),
            Event::SoftBreak | Event::HardBreak => self.block.push('\n'),
            Event::End(TagEnd::TableCell) => self.block.push(' '),
            Event::Start(Tag::List(first)) => {
                self.end_block();
                self.lists.push(*first);
            }
            Event::End(TagEnd::List(_)) => {
                self.end_block();
                self.lists.pop();
            }
            Event::Start(Tag::Item) => {
                self.end_block();
                if let Some(Some(number)) = self.lists.last_mut() {
                    self.item_number = Some(*number);
                    *number += 1;
                }
            }
            Event::Start(tag) if is_block(&tag.to_end()) => self.end_block(),
            Event::End(tag) if is_block(tag) => self.end_block(),
            Event::Rule => self.end_block(),
            _ => {}
        }
    }

    fn push_text(&mut self, text: &str) {
        if let Some(number) = self.item_number.take() {
            self.block.push_str(&number.to_string());
            self.block.push_str(". ");
        }
        self.block.push_str(text);
    }

    fn end_block(&mut self) {
        let block = self.block.trim_end().trim_start_matches('\n');
        if !block.trim().is_empty() {
            if !self.finished.is_empty() {
                self.finished.push_str("\n\n");
            }
            self.finished.push_str(block);
        }
        self.block.clear();
    }

    fn finish(mut self) -> String {
        self.end_block();
        self.finished
    }
}

fn is_block(tag: &TagEnd) -> bool {
    !matches!(
        tag,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
            | TagEnd::TableCell
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_targets_need_a_valid_host() {
        assert!(is_web_target("https://news.example/a"));
        assert!(is_web_target("HTTP://news.example"));
        assert!(!is_web_target("https://alps\u{fffd}example/news"));
        assert!(!is_web_target("https://exa mple.com/"));
        assert!(!is_web_target("ftp://news.example/a"));
    }

    #[test]
    fn unarchived_links_become_text() {
        let body = render_body("He [said](#) it [here](https://news.example/a) and [there]().");
        assert_eq!(
            body.html,
            "<p>He said it <a href=\"https://news.example/a\" rel=\"noopener noreferrer nofollow\">here</a> and there.</p>\n"
        );
        assert_eq!(body.text, "He said it here and there.");
    }

    #[test]
    fn only_web_and_mail_links_are_kept() {
        let body = render_body(
            "[a](javascript:alert(1)) [b](/relative) [c](mailto:desk@news.example) [d](data:text/html,x) <desk@news.example>",
        );
        assert_eq!(
            body.html,
            "<p>a b <a href=\"mailto:desk@news.example\" rel=\"noopener noreferrer nofollow\">c</a> d <a href=\"mailto:desk@news.example\" rel=\"noopener noreferrer nofollow\">desk@news.example</a></p>\n"
        );
    }

    #[test]
    fn raw_html_is_shown_as_text() {
        let body = render_body(
            "Hi <b onclick=x>there</b>\n\n<iframe src=\"https://evil.example\"></iframe>\n",
        );
        assert!(
            !body.html.contains("<b") && !body.html.contains("<iframe"),
            "{}",
            body.html
        );
        assert!(body.html.contains("&lt;iframe"), "{}", body.html);
        assert_eq!(
            body.text,
            "Hi <b onclick=x>there</b>\n\n<iframe src=\"https://evil.example\"></iframe>"
        );
    }

    #[test]
    fn images_need_a_web_source() {
        let body = render_body("![Harbour at dawn](https://img.example/h.jpg)\n\n![Lost photo](#)");
        assert!(
            body.html.contains("<img src=\"https://img.example/h.jpg\""),
            "{}",
            body.html
        );
        assert!(body.html.contains("<p>Lost photo</p>"), "{}", body.html);
    }

    #[test]
    fn plain_text_has_one_block_per_paragraph() {
        let body = render_body(
            "## Head\n\n- one\n- two\n  - nested\n\n> quoted **bold**\n\n```\nlet x = 1;\n```\n\n3. three\n\n   more\n4. four\n",
        );
        assert_eq!(
            body.text,
            "Head\n\none\n\ntwo\n\nnested\n\nquoted bold\n\nlet x = 1;\n\n3. three\n\nmore\n\n4. four"
        );
    }

    #[test]
    fn inline_markdown_loses_its_syntax() {
        assert_eq!(
            plain_inline("*Photo:* [Jane  Doe](https://x.example) \\*"),
            "Photo: Jane Doe *"
        );
    }
}
