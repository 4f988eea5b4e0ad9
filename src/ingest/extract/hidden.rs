//! What a page's style sheets hide from every reader: elements of the hiding classes the common
//! CSS frameworks define (Bootstrap's `d-none`, Bootstrap 3's and Tailwind's `hidden`,
//! Foundation's `hide`, Bulma's `is-hidden`). A page keeps in them what a visitor never sees:
//! a product's internal fields listed for its scripts, a second copy of a block, a template.
//! Readability skips what the `hidden` attribute or a `display: none` style hides, not what a
//! class hides.

use dom_query::{Document, NodeRef, Selection};

/// Classes that hide an element at every screen width.
const HIDING_CLASSES: [&str; 4] = ["hidden", "hide", "d-none", "is-hidden"];

/// The elements to look at: any with one of `HIDING_CLASSES`.
const HIDING_SELECTOR: &str = ".hidden, .hide, .d-none, .is-hidden";

/// What a hidden element may hold only when the page hides its content until its scripts run
/// (to show it without a flash of unstyled text): it stays.
const CONTENT: &str = "h1, main, article";

/// Removes the elements the page's style sheets hide (see the module), before the page is read.
pub fn remove_hidden(document: &Document) {
    let hidden: Vec<NodeRef> = document
        .select(HIDING_SELECTOR)
        .nodes()
        .iter()
        .filter(|element| is_hidden_everywhere(element) && !holds_content(element))
        .copied()
        .collect();
    for element in hidden {
        element.remove_from_parent();
    }
}

/// Whether an element's classes hide it at every screen width: a hiding class and none that
/// shows it from some width on (Tailwind's `md:block`, Bootstrap's `d-md-block`, Foundation's
/// `show-for-medium`, Bootstrap 3's `visible-lg`).
fn is_hidden_everywhere(element: &NodeRef) -> bool {
    let Some(classes) = element.attr("class") else {
        return false;
    };
    let shows_somewhere = |class: &str| {
        class.contains(':')
            || (class.starts_with("d-") && class != "d-none")
            || class.starts_with("show")
            || class.starts_with("visible")
    };
    let (mut hides, mut shows) = (false, false);
    for class in classes.split_ascii_whitespace() {
        hides |= HIDING_CLASSES.contains(&class);
        shows |= shows_somewhere(class);
    }
    hides && !shows
}

/// Whether an element is the page itself or holds its headline or main content.
fn holds_content(element: &NodeRef) -> bool {
    let element = Selection::from(*element);
    element.is("html, head, body") || element.is(CONTENT) || element.select(CONTENT).exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kept_after_removal(html: &str) -> String {
        let document = Document::from(html);
        remove_hidden(&document);
        document
            .select("body")
            .text()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn what_a_hiding_class_hides_is_removed() {
        let html = "<body><p>Tide tables</p> <dl class=\"fields hide\"><dt>sku_thumb:</dt>\
            <dd>t.jpg</dd></dl> <div class=\"d-none\">Copy</div> <p class=\"is-hidden\">Draft</p>\
            <span class=\"x hidden\">Template</span> <p class=\"hidden-xs\">Quay</p> </body>";
        assert_eq!(kept_after_removal(html), "Tide tables Quay");
    }

    #[test]
    fn what_a_class_shows_from_some_screen_width_on_stays() {
        let html = "<body><p class=\"hidden md:block\">Wide</p> \
            <p class=\"d-none d-lg-block\">Large</p> <p class=\"hide show-for-medium\">Medium</p> \
            <p class=\"hidden visible-lg\">Old</p> </body>";
        assert_eq!(kept_after_removal(html), "Wide Large Medium Old");
    }

    #[test]
    fn a_page_hidden_until_its_scripts_run_stays() {
        let html = "<body class=\"hidden\"><div class=\"hide\"><h1>Quay</h1></div> \
            <div class=\"d-none\"><main><p>Tides</p> </main></div> \
            <article class=\"is-hidden\">Notes</article></body>";
        assert_eq!(kept_after_removal(html), "Quay Tides Notes");
    }
}
