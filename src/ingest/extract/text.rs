//! The plain text of a sanitized article body: one paragraph per block, blank lines between.

use dom_query::{Document, NodeRef};

/// Elements that start and end a paragraph of the plain text.
pub(super) fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "ul"
            | "ol"
            | "li"
            | "dl"
            | "dt"
            | "dd"
            | "blockquote"
            | "pre"
            | "figure"
            | "figcaption"
            | "table"
            | "caption"
            | "thead"
            | "tbody"
            | "tfoot"
            | "tr"
            | "hr"
    )
}

enum Step<'a> {
    Enter(NodeRef<'a>),
    Leave(&'static str),
}

/// Renders sanitized HTML as text. Whitespace is collapsed as a browser would, except inside
/// `<pre>`; `<br>` becomes a line break, table cells are joined with ` | `.
pub fn plain_text(body_html: &str) -> String {
    let document = Document::fragment(body_html);
    let mut text = TextBuilder::default();
    // An explicit stack rather than recursion: the depth of the tree is the page's to choose.
    let mut steps = vec![Step::Enter(document.root())];
    while let Some(step) = steps.pop() {
        let node = match step {
            Step::Leave(name) => {
                text.leave(name);
                continue;
            }
            Step::Enter(node) => node,
        };
        if node.is_text() {
            text.push_text(&node.text());
            continue;
        }
        if let Some(name) = node.node_name() {
            let Some(name) = text.enter(&name) else {
                continue;
            };
            steps.push(Step::Leave(name));
        }
        let children = node.children();
        steps.extend(children.into_iter().rev().map(Step::Enter));
    }
    text.finish()
}

#[derive(Default)]
struct TextBuilder {
    paragraphs: Vec<String>,
    current: String,
    pending_space: bool,
    inside_pre: usize,
}

impl TextBuilder {
    /// Handles a start tag; returns what to do at its end, or `None` for an element without
    /// content.
    fn enter(&mut self, name: &str) -> Option<&'static str> {
        match name {
            "br" => {
                self.trim_trailing_spaces();
                self.current.push('\n');
                self.pending_space = false;
                None
            }
            "td" | "th" => {
                if !self.current.trim().is_empty() {
                    self.trim_trailing_spaces();
                    self.current.push_str(" | ");
                }
                self.pending_space = false;
                Some("inline")
            }
            "pre" => {
                self.end_paragraph();
                self.inside_pre += 1;
                Some("pre")
            }
            name if is_block(name) => {
                self.end_paragraph();
                Some("block")
            }
            _ => Some("inline"),
        }
    }

    fn leave(&mut self, kind: &str) {
        match kind {
            "pre" => {
                self.end_paragraph();
                self.inside_pre = self.inside_pre.saturating_sub(1);
            }
            "block" => self.end_paragraph(),
            _ => {}
        }
    }

    fn push_text(&mut self, text: &str) {
        if self.inside_pre > 0 {
            self.current.push_str(text);
            return;
        }
        for character in text.chars() {
            if character.is_whitespace() {
                self.pending_space = !self.current.is_empty() && !self.current.ends_with('\n');
            } else {
                if self.pending_space {
                    self.current.push(' ');
                    self.pending_space = false;
                }
                self.current.push(character);
            }
        }
    }

    fn trim_trailing_spaces(&mut self) {
        let kept = self.current.trim_end_matches(' ').len();
        self.current.truncate(kept);
    }

    fn end_paragraph(&mut self) {
        let paragraph = if self.inside_pre > 0 {
            self.current.trim_matches('\n').trim_end()
        } else {
            self.current.trim()
        };
        if !paragraph.is_empty() {
            let lines: Vec<&str> = paragraph.lines().map(str::trim_end).collect();
            self.paragraphs.push(lines.join("\n"));
        }
        self.current.clear();
        self.pending_space = false;
    }

    fn finish(mut self) -> String {
        self.end_paragraph();
        self.paragraphs.join("\n\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_become_paragraphs() {
        let html = "<h2>Title</h2><p>One <em>two</em>\n  three</p><ul><li>a</li><li>b<br>c</li></ul>\
                    <pre>  x = 1\n  y = 2\n</pre><table><tr><th>k</th><th>v</th></tr><tr><td>1</td><td>2</td></tr></table>";
        assert_eq!(
            plain_text(html),
            "Title\n\nOne two three\n\na\n\nb\nc\n\n  x = 1\n  y = 2\n\nk | v\n\n1 | 2"
        );
    }

    #[test]
    fn inline_text_between_blocks_is_its_own_paragraph() {
        assert_eq!(
            plain_text("loose <b>text</b><p>para</p> tail "),
            "loose text\n\npara\n\ntail"
        );
    }
}
