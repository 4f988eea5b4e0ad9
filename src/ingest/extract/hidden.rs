//! What a page's style sheets hide from every reader: elements of the hiding classes the common
//! CSS frameworks define (Bootstrap's `d-none`, Bootstrap 3's and Tailwind's `hidden`,
//! Foundation's `hide`, Bulma's `is-hidden`). A page keeps in them what a visitor never sees:
//! a product's internal fields listed for its scripts, a second copy of a block, a template.
//! Readability skips what the `hidden` attribute or a `display: none` style hides, not what a
//! class hides. What a reader can open with a click stays: a tab's panel, and any element a
//! control names (an accordion's answer, a "Read more" that a button expands).
//!
//! Only the first reading (dom_smoothie's, or the main region) reads the page without them.
//! rs-trafilatura has hiding rules of its own; giving it the page without them too moved 66
//! WCXB pages, 45 for the better and 21 for the worse (word F1 0.861 -> 0.862, one title
//! fewer), too mixed to keep: on a shop's page the truth often keeps a tab's description.

use std::collections::HashSet;

use dom_query::{Document, NodeRef, Selection};

/// Classes that hide an element at every screen width.
const HIDING_CLASSES: [&str; 4] = ["hidden", "hide", "d-none", "is-hidden"];

/// What a hidden element may hold only when the page hides its content until its scripts run
/// (to show it without a flash of unstyled text), or when a reader opens it with a click (a
/// tab's panel): it stays.
const CONTENT: &str = "h1, main, article, [role=main], #content, [role=tabpanel]";

/// The controls that name, by its id, the element they show or expand, and the attributes
/// they name it in (a link names it as `#id`).
const CONTROLS: &str = "[aria-controls], [data-target], [data-bs-target], a[href^='#']";
const CONTROL_ATTRIBUTES: [&str; 4] = ["aria-controls", "data-target", "data-bs-target", "href"];

/// Removes the elements the page's style sheets hide (see the module), before the page is read.
pub fn remove_hidden(document: &Document) {
    // The selector engine narrows the candidates: any element with one of `HIDING_CLASSES`.
    let selector = HIDING_CLASSES.map(|class| format!(".{class}")).join(", ");
    let candidates = document.select(&selector);
    if !candidates.exists() {
        return;
    }
    let controlled = controlled_ids(document);
    let hidden: Vec<NodeRef> = candidates
        .nodes()
        .iter()
        .filter(|element| {
            is_hidden_everywhere(element)
                && !holds_content(element)
                && !element
                    .attr("id")
                    .is_some_and(|id| controlled.contains(id.as_ref()))
        })
        .copied()
        .collect();
    for element in hidden {
        element.remove_from_parent();
    }
}

/// The ids of the elements the page's controls show or expand (see `CONTROLS`).
fn controlled_ids(document: &Document) -> HashSet<String> {
    let mut ids = HashSet::new();
    for control in document.select(CONTROLS).nodes() {
        for attribute in CONTROL_ATTRIBUTES {
            if let Some(value) = control.attr(attribute) {
                let names = value.split_ascii_whitespace();
                ids.extend(names.map(|name| name.trim_start_matches('#').to_owned()));
            }
        }
    }
    ids
}

/// Whether an element's classes hide it at every screen width: a hiding class and no class
/// that may show it, such as a variant (Tailwind's `md:block`, `hover:flex`) or a display
/// class (Bootstrap's `d-md-block`, Foundation's `show-for-medium`, Bootstrap 3's
/// `visible-lg`). Any class of that form keeps the element, the safe way to err.
fn is_hidden_everywhere(element: &NodeRef) -> bool {
    let Some(classes) = element.attr("class") else {
        return false;
    };
    let may_show = |class: &str| {
        class.contains(':')
            || (class.starts_with("d-") && class != "d-none")
            || class.starts_with("show")
            || class.starts_with("visible")
    };
    let (mut hides, mut shows) = (false, false);
    for class in classes.split_ascii_whitespace() {
        hides |= HIDING_CLASSES.contains(&class);
        shows |= may_show(class);
    }
    hides && !shows
}

/// Whether an element is the page itself, or is or holds its headline, its main content or a
/// tab's panel.
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
    fn what_a_reader_opens_with_a_click_stays() {
        let html = "<body><ul role=tablist><li><button aria-controls=\"specs\">Specs</button>\
            </li></ul> <div id=specs class=hidden>Rope</div> <div role=tabpanel class=hidden>Drum\
            </div> <a href=\"#more\" data-toggle=collapse>Read more</a> <div id=more class=hide>\
            Pawls</div> <div class=\"faq hide\"><div data-bs-target=\"#a1\">Q</div></div>\
            <div id=a1 class=\"accordion-body d-none\">Grease</div> <div id=other class=hide>\
            Fields</div></body>";
        assert_eq!(
            kept_after_removal(html),
            "Specs Rope Drum Read more Pawls Grease"
        );
    }

    #[test]
    fn a_page_hidden_until_its_scripts_run_stays() {
        let html = "<body class=\"hidden\"><div class=\"hide\"><h1>Quay</h1></div> \
            <div class=\"d-none\"><main><p>Tides</p> </main></div> \
            <article class=\"is-hidden\">Notes</article> <div class=hide><div id=content>\
            Berths</div></div></body>";
        assert_eq!(kept_after_removal(html), "Quay Tides Notes Berths");
    }
}
