//! Sanitized article HTML back to Markdown as the archive text format writes it, for export.
//! Only the reading tags the sanitizer keeps need handling; anything else passes its text on.

use dom_query::{Document, NodeRef};

/// Markdown for a sanitized HTML fragment: blocks separated by blank lines.
pub fn html_to_markdown(html: &str) -> String {
    let document = Document::fragment(html);
    let mut blocks = Vec::new();
    for root in document.root().children() {
        push_blocks(&root, &mut blocks);
    }
    blocks.join("\n\n")
}

fn push_blocks(node: &NodeRef, blocks: &mut Vec<String>) {
    if node.is_text() {
        let text = inline_text(&node.text());
        if !text.trim().is_empty() {
            blocks.push(text.trim().to_owned());
        }
        return;
    }
    if !node.is_element() {
        for child in node.children() {
            push_blocks(&child, blocks);
        }
        return;
    }
    let name = node.node_name().map(|n| n.to_string()).unwrap_or_default();
    match name.as_str() {
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
            let level = usize::from(name.as_bytes()[1] - b'0');
            push_text_block(
                blocks,
                format!("{} {}", "#".repeat(level), inline(node).trim()),
            );
        }
        "p" | "figcaption" | "caption" | "dt" | "dd" => {
            push_text_block(blocks, inline(node).trim().to_owned())
        }
        "ul" | "ol" => blocks.push(list(node, name == "ol", 0)),
        "blockquote" => {
            let mut inner = Vec::new();
            for child in node.children() {
                push_blocks(&child, &mut inner);
            }
            let quoted: Vec<String> = inner
                .join("\n\n")
                .lines()
                .map(|line| format!("> {line}").trim_end().to_owned())
                .collect();
            if !quoted.is_empty() {
                blocks.push(quoted.join("\n"));
            }
        }
        "pre" => {
            let code = node.text().to_string();
            let fence = if code.contains("```") { "~~~" } else { "```" };
            blocks.push(format!("{fence}\n{}\n{fence}", code.trim_end_matches('\n')));
        }
        "hr" => blocks.push("***".to_owned()),
        "img" => push_text_block(blocks, image(node)),
        "tr" => {
            let cells: Vec<String> = node
                .children()
                .iter()
                .filter(|c| c.is_element())
                .map(|cell| inline(cell).trim().to_owned())
                .collect();
            push_text_block(blocks, cells.join(" | "));
        }
        _ if is_inline(&name) => push_text_block(blocks, inline(node).trim().to_owned()),
        _ => {
            for child in node.children() {
                push_blocks(&child, blocks);
            }
        }
    }
}

fn push_text_block(blocks: &mut Vec<String>, text: String) {
    if !text.trim().is_empty() {
        blocks.push(text);
    }
}

fn list(node: &NodeRef, ordered: bool, depth: usize) -> String {
    let indent = "   ".repeat(depth);
    let mut lines = Vec::new();
    let items = node
        .children()
        .into_iter()
        .filter(|c| c.node_name().is_some_and(|n| &*n == "li"));
    for (n, item) in items.enumerate() {
        let marker = if ordered {
            format!("{}.", n + 1)
        } else {
            "-".to_owned()
        };
        let mut text = String::new();
        let mut nested = Vec::new();
        for child in item.children() {
            match child.node_name().as_deref() {
                Some("ul") => nested.push(list(&child, false, depth + 1)),
                Some("ol") => nested.push(list(&child, true, depth + 1)),
                Some("p") => text.push_str(&format!(" {}", inline(&child).trim())),
                _ => text.push_str(&inline_node(&child)),
            }
        }
        lines.push(format!("{indent}{marker} {}", collapse(&text).trim()));
        lines.extend(nested);
    }
    lines.join("\n")
}

fn inline(node: &NodeRef) -> String {
    collapse(&node.children().iter().map(inline_node).collect::<String>())
}

fn inline_node(node: &NodeRef) -> String {
    if node.is_text() {
        return inline_text(&node.text());
    }
    let name = node.node_name().map(|n| n.to_string()).unwrap_or_default();
    let inner = || node.children().iter().map(inline_node).collect::<String>();
    match name.as_str() {
        "a" => match node.attr("href") {
            Some(href) => format!("[{}]({})", inner().trim(), escape_url(&href)),
            None => inner(),
        },
        "em" | "i" | "cite" | "var" | "dfn" => wrap("*", &inner()),
        "strong" | "b" => wrap("**", &inner()),
        "code" | "kbd" | "samp" => {
            let code = node.text().to_string();
            if code.contains('`') {
                format!("`` {code} ``")
            } else {
                format!("`{code}`")
            }
        }
        "br" => "\\\n".to_owned(),
        "img" => image(node),
        _ => inner(),
    }
}

fn image(node: &NodeRef) -> String {
    let alt = node
        .attr("alt")
        .map(|a| escape_text(&a))
        .unwrap_or_default();
    node.attr("src")
        .map(|src| format!("![{alt}]({})", escape_url(&src)))
        .unwrap_or_default()
}

fn wrap(mark: &str, text: &str) -> String {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        String::new()
    } else {
        format!("{mark}{trimmed}{mark}")
    }
}

fn is_inline(name: &str) -> bool {
    matches!(
        name,
        "a" | "em"
            | "i"
            | "strong"
            | "b"
            | "code"
            | "span"
            | "small"
            | "sub"
            | "sup"
            | "mark"
            | "abbr"
            | "time"
            | "q"
            | "u"
            | "s"
            | "del"
            | "ins"
            | "cite"
            | "kbd"
            | "samp"
            | "var"
            | "dfn"
    )
}

/// Collapses runs of white space the way HTML does, keeping hard breaks.
fn collapse(text: &str) -> String {
    text.split("\\\n")
        .map(|part| part.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\\\n")
}

/// Text with every character Markdown could read as syntax escaped.
fn inline_text(text: &str) -> String {
    escape_text(&text.replace(['\n', '\t'], " "))
}

fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '*' | '_' | '[' | ']' | '`' | '<' | '>' | '#' | '&' | '!' | '|' | '~'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    escape_line_start(&out)
}

/// `1.`, `-`, `+` and `=` at the start of a block would start a list or a heading.
fn escape_line_start(text: &str) -> String {
    let digits = text.len() - text.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let rest = &text[digits..];
    if digits > 0
        && (rest.starts_with(". ") || rest.starts_with(") ") || rest == "." || rest == ")")
    {
        return format!("{}\\{}", &text[..digits], rest);
    }
    match text.chars().next() {
        Some('-' | '+' | '=') => format!("\\{text}"),
        _ => text.to_owned(),
    }
}

fn escape_url(url: &str) -> String {
    url.replace('(', "%28")
        .replace(')', "%29")
        .replace(' ', "%20")
        .replace('<', "%3C")
        .replace('>', "%3E")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reading_structure_becomes_markdown() {
        let html = r#"<h2>Heading</h2><p>A <a href="https://x.example/a(b)">link</a>, <em>em</em> and <strong>bold</strong>.</p><ul><li>one</li><li>two<ul><li>deep</li></ul></li></ul><ol><li>first</li></ol><blockquote><p>Quoted</p></blockquote><pre><code>let x = 1;
</code></pre><figure><img src="https://x.example/i.png" alt="A pic"><figcaption>Caption</figcaption></figure>"#;
        let expected = "## Heading\n\nA [link](https://x.example/a%28b%29), *em* and **bold**.\n\n- one\n- two\n   - deep\n\n1. first\n\n> Quoted\n\n```\nlet x = 1;\n```\n\n![A pic](https://x.example/i.png)\n\nCaption";
        assert_eq!(html_to_markdown(html), expected);
    }

    #[test]
    fn text_that_looks_like_markdown_is_escaped() {
        assert_eq!(
            html_to_markdown("<p>1. not a list *really* [x] &amp; #tag</p>"),
            "1\\. not a list \\*really\\* \\[x\\] \\& \\#tag"
        );
        assert_eq!(html_to_markdown("<p>- dash</p>"), "\\- dash");
    }
}
