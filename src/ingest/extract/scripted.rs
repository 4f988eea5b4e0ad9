//! What a browser running the page's scripts would show: content given again inside
//! `<noscript>` (Discourse forums) and content streamed into hidden segments (React).

use dom_query::{Document, NodeRef};

/// Less text than this in a `<noscript>` is a notice ("Please enable JavaScript"), a tracking
/// pixel or a menu, not the page's content.
const MIN_CONTENT_CHARS: usize = 500;

/// Puts the content scripts would show where they would show it, before the page is read.
pub fn show_content(document: &Document) {
    place_streamed_segments(document);
    reveal_noscript_content(document);
}

/// React streams parts of a server-rendered page as `<div hidden id="S:n">` at the end of the
/// body, and a script moves each into the place of its `<template id="B:n">`. Readability skips
/// hidden elements, so a page streamed whole would otherwise have no article.
fn place_streamed_segments(document: &Document) {
    for segment in document.select(r#"div[hidden][id^="S:"]"#).nodes() {
        let Some(number) = segment
            .attr("id")
            .and_then(|id| id.get(2..).map(str::to_owned))
        else {
            continue;
        };
        segment.remove_attr("hidden");
        let placeholder = document.select_single(&format!(r#"template[id="B:{number}"]"#));
        if let Some(placeholder) = placeholder.nodes().first() {
            placeholder.replace_with(segment);
        }
    }
}

/// Turns each `<noscript>` that holds the page's content into an ordinary `<div>`, so that the
/// extractor and the fallback, which drop `<noscript>`, read it. A `<noscript>` holds the content
/// when it has more text than everything outside it: a page that shows its article anyway
/// keeps it as it is, rather than have it twice.
fn reveal_noscript_content(document: &Document) {
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
        show_content(&document);
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
            show_content(&document);
            assert!(document.select("noscript").exists(), "{html}");
        }
    }

    #[test]
    fn streamed_segments_take_their_placeholders_place() {
        let html = r#"<body><main><h1>Title</h1><template id="B:0"></template><p>Loading</p>
            </main><footer>Foot</footer><div hidden id="S:0"><p>Streamed text</p></div>
            <div hidden id="S:7"><p>Orphan</p></div></body>"#;
        let document = Document::from(html);
        show_content(&document);
        assert!(!document.select("[hidden]").exists());
        assert!(!document.select("template").exists());
        assert_eq!(
            document.select("main > div > p").text().as_ref(),
            "Streamed text"
        );
        assert!(document.select("body > div > p").text().contains("Orphan"));
    }
}
