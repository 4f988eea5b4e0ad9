//! Size limits checked before any DOM library sees a page, and again on the parsed tree: each
//! bounds work that grows faster than the page (10k nested `<div>`s overflow a readability
//! crate's stack, 20k take dom_smoothie a minute) so that no page of at most 10 MiB keeps a
//! worker busy for more than a second or two. Such pages are refused rather than flattened:
//! a flattened tree is not the page its author wrote, and the cases are all hostile or broken.

mod open_elements;

use std::time::Instant;

use dom_query::{Document, NodeRef};

use super::ExtractError;
use super::tags::{TagKind, TagScanner};
use open_elements::OpenElements;

/// Larger pages are refused outright; the fetcher caps bodies at the same size.
pub const MAX_HTML_BYTES: usize = 10 * 1024 * 1024;
/// Real articles nest a few dozen levels deep; 400 leaves room for the worst site templates.
pub const MAX_DEPTH: usize = 400;
/// Large news pages have 5,000-20,000 elements.
pub const MAX_ELEMENTS: usize = 200_000;
/// The parser's and the extractor's work grow with each element's depth (the extractor
/// measures every candidate's text), so the elements' depths summed are bounded too: 190,000
/// paragraphs under 380 nested `<div>`s are within the limits above yet take 40 s. Real pages
/// sum to a few hundred thousand (the largest of 1,700 sampled: 166,000).
pub const MAX_ANCESTRY: usize = 2_000_000;
/// Start tags, end tags, comments and stray `<` together. The parser records an error for
/// every stray one and slows down on floods of them (10 MiB of `< ` took 24 s and 680 MB).
const MAX_TAGS: usize = 3 * MAX_ELEMENTS;
/// The parser compares each attribute of a tag with the ones before it, to drop duplicates:
/// a tag with 100,000 attributes took 19 s. Bounds the sum over tags of attributes squared;
/// of 1,700 real pages the highest sum is 222,000.
const MAX_ATTRIBUTE_PAIRS: usize = 100_000_000;
/// html5ever 0.40's serializer searches from every `&` (and every character from U+0080 to
/// U+00BF) to the next `<` or `>` of the same text, so a long text full of `&amp;` costs its
/// length times its ampersands: 1.5 million took 113 s. Bounds that product, in bytes
/// searched, for each of the two serializations (the extractor's, the sanitizer's); of 1,700
/// real pages the costliest needs 7 million.
const MAX_ESCAPE_WORK: u64 = 3_000_000_000;

/// Refuses a page whose source is too large or, as the HTML parser would build it, too deep or
/// too big. One linear pass over the tags; it never parses.
///
/// The depth is estimated by replaying the parser's main rules for closing elements (see
/// `open_elements`). Where the rules are only approximated, the estimate errs on the deep
/// side, so a crafted page cannot hide its depth from it. [`check_document`] confirms on the
/// parsed tree.
#[tracing::instrument(skip_all)]
pub fn check_source(html: &str) -> Result<(), ExtractError> {
    if html.len() > MAX_HTML_BYTES {
        return Err(ExtractError::TooLarge);
    }
    let started = Instant::now();
    let mut open = OpenElements::default();
    let mut elements = 0usize;
    let mut ancestry = 0usize;
    let mut end_tags = 0usize;
    let mut attribute_pairs = 0usize;
    let mut tags = TagScanner::new(html.as_bytes());
    while let Some(tag) = tags.next() {
        match tag.kind {
            TagKind::End => {
                end_tags += 1;
                open.close(tag.name);
            }
            TagKind::Start => {
                elements += 1;
                ancestry += open.depth();
                let attributes = tag.attribute_count();
                attribute_pairs += attributes * attributes;
                if elements > MAX_ELEMENTS
                    || ancestry > MAX_ANCESTRY
                    || attribute_pairs > MAX_ATTRIBUTE_PAIRS
                {
                    return Err(ExtractError::TooManyNodes);
                }
                open.open(&tag);
                if open.depth() > MAX_DEPTH {
                    return Err(ExtractError::TooDeep);
                }
            }
        }
        if elements + end_tags + tags.other_markup() > MAX_TAGS {
            return Err(ExtractError::TooManyNodes);
        }
        tags.set_in_foreign_content(open.in_foreign_content());
    }
    if elements + end_tags + tags.other_markup() > MAX_TAGS {
        return Err(ExtractError::TooManyNodes);
    }
    tracing::debug!(
        elements,
        ancestry,
        attribute_pairs,
        elapsed = ?started.elapsed(),
        "page source checked"
    );
    Ok(())
}

/// The limits measured exactly on the parsed tree (iteratively, so it cannot overflow), plus
/// the escaping work of serializing it, which only the decoded text shows.
pub fn check_document(document: &Document) -> Result<(), ExtractError> {
    let mut elements = 0usize;
    let mut ancestry = 0usize;
    let mut escaping = 0u64;
    let mut stack = vec![(document.root(), 0usize)];
    while let Some((node, depth)) = stack.pop() {
        if node.is_text() {
            escape_work(node.text().as_bytes(), b'<', &mut escaping);
        } else if node.is_element() {
            elements += 1;
            ancestry += depth;
            for attribute in node.attrs() {
                escape_work(attribute.value.as_bytes(), b'"', &mut escaping);
            }
            if elements > MAX_ELEMENTS || ancestry > MAX_ANCESTRY {
                return Err(ExtractError::TooManyNodes);
            }
            if depth > MAX_DEPTH {
                return Err(ExtractError::TooDeep);
            }
            if has_unescaped_text(&node) {
                continue;
            }
        }
        if escaping > MAX_ESCAPE_WORK {
            return Err(ExtractError::TooManyNodes);
        }
        stack.extend(node.children_it(false).map(|child| (child, depth + 1)));
    }
    tracing::debug!(elements, ancestry, escaping, "page tree checked");
    Ok(())
}

/// The escaping work of sanitizing the extractor's output. Texts that were apart in the page
/// become one when what lay between them was removed (a script, an ad), so it is measured on
/// the HTML the sanitizer will parse, as text between its tags.
pub fn check_extracted(html: &str) -> Result<(), ExtractError> {
    let mut escaping = 0u64;
    let mut text_start = 0;
    let bytes = html.as_bytes();
    for tag in TagScanner::new(bytes) {
        let text = bytes
            .get(text_start..tag.opening_bracket)
            .unwrap_or_default();
        escape_work(text, b'<', &mut escaping);
        text_start = tag.closing_bracket + 1;
    }
    escape_work(
        bytes.get(text_start..).unwrap_or_default(),
        b'<',
        &mut escaping,
    );
    tracing::debug!(escaping, "extracted article checked");
    if escaping > MAX_ESCAPE_WORK {
        return Err(ExtractError::TooManyNodes);
    }
    Ok(())
}

/// Elements whose text the serializer writes as it is.
fn has_unescaped_text(element: &NodeRef<'_>) -> bool {
    element.node_name().is_some_and(|name| {
        matches!(
            name.as_ref(),
            "script" | "style" | "xmp" | "iframe" | "noembed" | "noframes" | "plaintext"
        )
    })
}

/// Adds the serializer's work on one text or attribute value to `total`: every byte is
/// searched past once for each escaped character before it since the last `<`, `>` or
/// `stop`. Character references count as what they decode to, roughly: `&lt;`/`&gt;` (and
/// `&quot;` for attributes) end a search, any other `&` is one escape.
fn escape_work(text: &[u8], stop: u8, total: &mut u64) {
    let mut pending = 0u64;
    for (index, &byte) in text.iter().enumerate() {
        let ends_search = byte == b'<'
            || byte == b'>'
            || byte == stop
            || (byte == b'&' && {
                let reference = text.get(index + 1..index + 4).unwrap_or_default();
                reference == b"lt;"
                    || reference == b"gt;"
                    || (stop == b'"' && text.get(index + 1..index + 6) == Some(b"quot;"))
            });
        if ends_search {
            pending = 0;
        } else if byte == b'&' || byte == 0xC2 {
            pending += 1;
        }
        *total = total.saturating_add(pending);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depth_of(html: &str) -> usize {
        let mut open = OpenElements::default();
        let mut tags = TagScanner::new(html.as_bytes());
        while let Some(tag) = tags.next() {
            match tag.kind {
                TagKind::Start => open.open(&tag),
                TagKind::End => open.close(tag.name),
            }
            tags.set_in_foreign_content(open.in_foreign_content());
        }
        open.depth()
    }

    #[test]
    fn misnested_end_tags_do_not_hide_depth() {
        // The parser ignores `</span>` across a `<div>` and moves nodes for `</b>` without
        // making the tree shallower; `</body>` closes nothing.
        assert!(depth_of(&"<span><div></span>".repeat(100)) >= 200);
        assert!(depth_of(&"<b><div></b>".repeat(100)) >= 200);
        assert!(depth_of(&"<div><svg><foreignObject></div>".repeat(100)) >= 300);
        assert!(depth_of(&"<div></body></html>".repeat(100)) >= 100);
        // Markup the parser builds is never skipped as text.
        assert!(depth_of(&format!("<noscript>{}", "<div>".repeat(100))) >= 100);
        assert!(depth_of(&format!("<svg><title>{}", "<div>".repeat(100))) >= 100);
        assert!(depth_of(&format!("<!--->{}", "<div>".repeat(100))) >= 100);
    }

    #[test]
    fn floods_that_slow_the_parser_or_serializer_are_refused() {
        let too_many_attributes = format!("<p {}>x</p>", "a=1 ".repeat(20_000));
        let stray_brackets = format!("<p>{}", "< ".repeat(MAX_TAGS + 1));
        let comments = "<!---->".repeat(MAX_TAGS + 1);
        for html in [too_many_attributes, stray_brackets, comments] {
            assert_eq!(check_source(&html), Err(ExtractError::TooManyNodes));
        }
        // U+00B7 (middle dot) costs the serializer what `&` does, and the test parser less.
        let dots = format!("<p>{}</p>", "\u{b7}".repeat(100_000));
        assert!(check_source(&dots).is_ok());
        assert_eq!(
            check_document(&Document::from(dots.as_str())),
            Err(ExtractError::TooManyNodes)
        );
        assert_eq!(check_extracted(&dots), Err(ExtractError::TooManyNodes));
        // Apart in the page, joined once the extractor drops the scripts between them.
        let scattered = format!("<p>{}<script></script>", "&amp;".repeat(40)).repeat(2_500);
        assert!(check_document(&Document::from(scattered.as_str())).is_ok());
        let joined = format!("<p>{}</p>", "&amp;".repeat(40).repeat(2_500));
        assert_eq!(check_extracted(&joined), Err(ExtractError::TooManyNodes));
        let tidy = "<p>Fish &amp; chips &lt;3, caf\u{e9} \u{a0}\u{ab}ok\u{bb}</p>".repeat(2_000);
        assert!(check_document(&Document::from(tidy.as_str())).is_ok());
        assert!(check_extracted(&tidy).is_ok());
    }

    #[test]
    fn unmatched_end_tags_cost_little() {
        // Each stray end tag searches at most a fixed part of the stack, whatever its depth.
        // Debug builds run some 60 times slower than release ones.
        let stray = if cfg!(debug_assertions) {
            20_000
        } else {
            500_000
        };
        let html = format!(
            "<x>{}{}",
            "<span>".repeat(MAX_DEPTH - 10),
            "</x>".repeat(stray)
        );
        let started = Instant::now();
        assert!(check_source(&html).is_ok());
        let elapsed = started.elapsed();
        assert!(elapsed < std::time::Duration::from_secs(3), "{elapsed:?}");
    }

    #[test]
    fn implied_end_tags_do_not_count_as_nesting() {
        let unclosed = "<p>a".repeat(1000) + &"<li>b".repeat(1000) + &"<tr><td>c".repeat(1000);
        assert!(depth_of(&format!("<table>{unclosed}</table>")) < 10);
        assert!(depth_of(&"<br><img src=x><input>".repeat(1000)) == 0);
        assert_eq!(depth_of(&"<svg><path/><g/></svg>".repeat(1000)), 0);
    }

    #[test]
    fn end_tags_do_not_reach_across_a_table_cell() {
        let nested = "<div><table><tr><td></div>".repeat(200);
        assert!(depth_of(&nested) >= 800, "{}", depth_of(&nested));
    }

    #[test]
    fn self_closing_html_tags_still_nest() {
        assert_eq!(depth_of(&"<div/>".repeat(50)), 50);
        assert_eq!(
            depth_of(&format!("<svg><foreignObject>{}", "<div/>".repeat(50))),
            52
        );
    }

    #[test]
    fn deep_and_huge_pages_are_refused() {
        let deep = "<div>".repeat(MAX_DEPTH + 1);
        assert!(matches!(check_source(&deep), Err(ExtractError::TooDeep)));
        let many = "<br>".repeat(MAX_ELEMENTS + 1);
        assert!(matches!(
            check_source(&many),
            Err(ExtractError::TooManyNodes)
        ));
        let large = " ".repeat(MAX_HTML_BYTES + 1);
        assert!(matches!(check_source(&large), Err(ExtractError::TooLarge)));
        assert!(check_source(&"<div>".repeat(MAX_DEPTH - 5)).is_ok());
        let deep_and_wide = "<div>".repeat(380) + &"<p>x</p>".repeat(6_000);
        assert!(matches!(
            check_source(&deep_and_wide),
            Err(ExtractError::TooManyNodes)
        ));
    }
}
