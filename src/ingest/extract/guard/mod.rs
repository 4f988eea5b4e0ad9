//! Size limits checked before any DOM library sees a page: readability-style extractors recurse
//! or go quadratic on deep trees (10k nested `<div>`s overflow a stack, 20k take a minute), and
//! the HTML parser itself slows down with the depth of its stack of open elements.

mod open_elements;

use std::time::Instant;

use dom_query::Document;

use super::ExtractError;
use super::tags::{TagKind, TagScanner};
use open_elements::OpenElements;

/// Larger pages are refused outright; the fetcher caps bodies at the same size.
pub const MAX_HTML_BYTES: usize = 10 * 1024 * 1024;
/// Real articles nest a few dozen levels deep; 400 leaves room for the worst site templates.
pub const MAX_DEPTH: usize = 400;
/// Large news pages have 5,000-20,000 elements.
pub const MAX_ELEMENTS: usize = 200_000;

/// Refuses a page whose source is too large or, as the HTML parser would build it, too deep or
/// too big. One linear pass over the tags; it never parses.
///
/// The depth is estimated by replaying the parser's main rules for closing elements (end tags
/// within scope, implied ends of `<p>`, `<li>`, table parts, void elements, self-closing tags
/// in SVG/MathML). Where the rules are only approximated, the estimate errs on the deep side,
/// so a crafted page cannot hide its depth from it. [`check_document`] confirms on the parsed
/// tree.
#[tracing::instrument(skip_all)]
pub fn check_source(html: &str) -> Result<(), ExtractError> {
    if html.len() > MAX_HTML_BYTES {
        return Err(ExtractError::TooLarge);
    }
    let started = Instant::now();
    let mut open = OpenElements::default();
    let mut elements = 0usize;
    for tag in TagScanner::new(html.as_bytes()) {
        match tag.kind {
            TagKind::End => open.close(tag.name),
            TagKind::Start => {
                elements += 1;
                if elements > MAX_ELEMENTS {
                    return Err(ExtractError::TooManyNodes);
                }
                open.open(&tag);
                if open.depth() > MAX_DEPTH {
                    return Err(ExtractError::TooDeep);
                }
            }
        }
    }
    tracing::debug!(elements, elapsed = ?started.elapsed(), "page size checked");
    Ok(())
}

/// The same limits, measured exactly on the parsed tree (iteratively, so it cannot overflow).
pub fn check_document(document: &Document) -> Result<(), ExtractError> {
    let mut elements = 0usize;
    let mut stack = vec![(document.root(), 0usize)];
    while let Some((node, depth)) = stack.pop() {
        if node.is_element() {
            elements += 1;
            if elements > MAX_ELEMENTS {
                return Err(ExtractError::TooManyNodes);
            }
            if depth > MAX_DEPTH {
                return Err(ExtractError::TooDeep);
            }
        }
        stack.extend(node.children_it(false).map(|child| (child, depth + 1)));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depth_of(html: &str) -> usize {
        let mut open = OpenElements::default();
        for tag in TagScanner::new(html.as_bytes()) {
            match tag.kind {
                TagKind::Start => open.open(&tag),
                TagKind::End => open.close(tag.name),
            }
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
    }

    #[test]
    fn unmatched_end_tags_cost_little() {
        // Each stray end tag searches at most a fixed part of the stack: 10 MiB of them take
        // about half a second in a release build. Debug builds run some 60 times slower.
        let stray = if cfg!(debug_assertions) {
            20_000
        } else {
            2_000_000
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
    }
}
