//! Pages that draw their content with script and give it to readers without script inside
//! `<noscript>` (Discourse forums and some single-page sites): that copy is the page.

use dom_query::{Document, NodeRef};

/// Less text than this in a `<noscript>` is a notice ("Please enable JavaScript"), a tracking
/// pixel or a menu, not the page's content.
const MIN_CONTENT_CHARS: usize = 500;

/// Turns each `<noscript>` that holds the page's content into an ordinary `<div>`, so that the
/// extractor and the fallback, which drop `<noscript>`, read it. A `<noscript>` holds the content
/// when it has more text than everything outside it: a page that shows its article anyway
/// keeps it as it is, rather than have it twice.
pub fn reveal_content(document: &Document) {
    let noscripts = document.select("body noscript");
    let large: Vec<NodeRef> = noscripts
        .nodes()
        .iter()
        .filter(|noscript| text_chars(noscript) >= MIN_CONTENT_CHARS)
        .copied()
        .collect();
    if large.is_empty() {
        return;
    }
    let inside: usize = large.iter().map(text_chars).sum();
    let body = document.select_single("body");
    let outside = body.nodes().first().map_or(0, text_chars);
    if inside > outside {
        for noscript in &large {
            noscript.rename("div");
        }
    }
}

/// The characters of text a reader would see in a subtree, without scripts, styles and
/// `<noscript>` elements (which are counted on their own).
fn text_chars(root: &NodeRef) -> usize {
    let mut count = 0;
    // An explicit stack rather than recursion: the depth of the tree is the page's to choose.
    let mut stack: Vec<NodeRef> = root.children_it(false).collect();
    while let Some(node) = stack.pop() {
        if node.is_text() {
            count += node.text().chars().filter(|c| !c.is_whitespace()).count();
            continue;
        }
        let hidden = matches!(
            node.node_name().as_deref(),
            Some("script" | "style" | "noscript" | "template")
        );
        if !hidden {
            stack.extend(node.children_it(false));
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paragraph(words: usize) -> String {
        format!("<p>{}</p>", "lorem ipsum ".repeat(words))
    }

    #[test]
    fn content_given_only_without_script_is_revealed() {
        let html = format!(
            "<body><div id=app>Loading…</div><noscript><style>p{{}}</style>\
             <h1>Thread</h1>{}</noscript></body>",
            paragraph(100)
        );
        let document = Document::from(html.as_str());
        reveal_content(&document);
        assert!(!document.select("noscript").exists());
        assert!(document.select("div > h1").exists());
    }

    #[test]
    fn notices_and_copies_of_a_shown_article_stay_hidden() {
        let notice = format!(
            "<body>{}<noscript><p>Please enable JavaScript.</p></noscript></body>",
            paragraph(100)
        );
        let copy = format!(
            "<body><article>{}</article><noscript>{}</noscript></body>",
            paragraph(100),
            paragraph(60)
        );
        for html in [notice, copy] {
            let document = Document::from(html.as_str());
            reveal_content(&document);
            assert!(document.select("noscript").exists(), "{html}");
        }
    }
}
