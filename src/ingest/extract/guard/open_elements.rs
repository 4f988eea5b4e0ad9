//! An estimate of the HTML parser's stack of open elements, replaying its rules for when an
//! element ends: end tags within scope, implied ends (`<p>`, `<li>`, table parts), void
//! elements, and self-closing tags in SVG/MathML. Where a rule is only approximated, the
//! estimate errs on the deep side.

use crate::ingest::extract::tags::{Tag, TagName};

/// How far down the stack a search for an element to close goes. Real pages close what is near
/// the top; a bound keeps each tag's cost constant even for millions of stray end tags. An
/// element further down is left open, which can only overestimate the depth.
const SEARCH_LIMIT: usize = 64;

// What an open element is to the parser's rules, worked out once when it is opened.

/// Stops the search of an end tag that has no rule of its own.
const SPECIAL: u8 = 1;
/// Bounds "in scope" searches.
const SCOPE: u8 = 1 << 1;
/// Bounds "in button scope" searches (besides SCOPE).
const BUTTON: u8 = 1 << 2;
/// Bounds "in list item scope" searches (besides SCOPE).
const LIST: u8 = 1 << 3;
/// Bounds "in table scope" searches.
const TABLE: u8 = 1 << 4;
/// An SVG or MathML element, where `<x/>` closes itself.
const FOREIGN: u8 = 1 << 5;
/// An SVG/MathML element whose children are parsed as HTML again.
const INTEGRATION: u8 = 1 << 6;

#[derive(Clone, Copy)]
struct OpenElement {
    name: TagName,
    class: u8,
}

impl OpenElement {
    fn new(name: TagName, foreign: bool) -> Self {
        let class = if foreign {
            classify_foreign(name.as_str())
        } else {
            classify(name.as_str())
        };
        Self { name, class }
    }

    fn is(&self, names: &[&str]) -> bool {
        let name = self.name.as_bytes();
        names.iter().any(|candidate| candidate.as_bytes() == name)
    }

    fn has(&self, class: u8) -> bool {
        self.class & class != 0
    }
}

#[derive(Default)]
pub struct OpenElements {
    stack: Vec<OpenElement>,
}

impl OpenElements {
    pub fn depth(&self) -> usize {
        self.stack.len()
    }

    /// Whether the next tag lands in SVG or MathML rather than HTML.
    pub fn in_foreign_content(&self) -> bool {
        self.stack
            .last()
            .is_some_and(|element| element.has(FOREIGN) && !element.has(INTEGRATION))
    }

    fn current(&self) -> Option<&str> {
        self.stack.last().map(|element| element.name.as_str())
    }

    fn contains(&self, name: &str) -> bool {
        self.stack
            .iter()
            .any(|element| element.name.as_str() == name)
    }

    /// A start tag.
    pub fn open(&mut self, tag: &Tag<'_>) {
        let name = tag.name.as_str();
        if self.in_foreign_content() {
            if !breaks_out_of_foreign_content(tag) {
                if !tag.self_closing {
                    self.push(tag.name, true);
                }
                return;
            }
            while self
                .stack
                .last()
                .is_some_and(|element| element.has(FOREIGN))
            {
                self.stack.pop();
            }
        }
        // Repeated document tags are merged into the open ones; table parts outside a table
        // are dropped.
        let ignored = match name {
            "html" | "head" | "body" => self.contains(name) || self.contains("body"),
            "tr" | "td" | "th" | "tbody" | "thead" | "tfoot" | "caption" | "colgroup" => {
                !self.contains("table")
            }
            _ => false,
        };
        if ignored || is_void(name) {
            return;
        }
        self.close_implied_by(name);
        match name {
            "svg" | "math" => {
                if !tag.self_closing {
                    self.push(tag.name, true);
                }
                return;
            }
            // The parser inserts the table sections that the source leaves out.
            "tr" if self.current() == Some("table") => self.push(TagName::new(b"tbody"), false),
            "td" | "th" => {
                if self.current() == Some("table") {
                    self.push(TagName::new(b"tbody"), false);
                }
                if matches!(self.current(), Some("tbody" | "thead" | "tfoot")) {
                    self.push(TagName::new(b"tr"), false);
                }
            }
            _ => {}
        }
        self.push(tag.name, false);
    }

    fn push(&mut self, name: TagName, foreign: bool) {
        self.stack.push(OpenElement::new(name, foreign));
    }

    /// Start tags that end an open element of another kind.
    fn close_implied_by(&mut self, name: &str) {
        match name {
            // An `<li>` ends an open `<li>` unless a sectioning element lies between them.
            "li" => self.close_before(&["li"], is_list_item_barrier),
            "dd" | "dt" => self.close_before(&["dd", "dt"], is_list_item_barrier),
            "tr" => self.close_before(&["tr"], |open| open.is(&["table"])),
            "td" | "th" => self.close_before(&["td", "th"], |open| open.is(&["tr", "table"])),
            "tbody" | "thead" | "tfoot" => {
                self.close_before(&["tbody", "thead", "tfoot"], |open| open.is(&["table"]));
            }
            "option" | "optgroup" if self.current() == Some("option") => {
                self.stack.pop();
            }
            // A new link ends an open one; across a block the parser moves nodes rather than
            // closing them, so the depth is then left as it is.
            "a" => self.close_before(&["a"], |open| open.has(SPECIAL)),
            "button" => self.close_before(&["button"], |open| open.has(SCOPE)),
            _ => {}
        }
        if closes_paragraph(name) {
            self.close_before(&["p"], |open| open.has(SCOPE | BUTTON));
        }
        if is_heading(name) && self.current().is_some_and(is_heading) {
            self.stack.pop();
        }
    }

    /// An end tag closes its element only where the parser would: within scope for elements
    /// with their own rule, and not across a special element for the rest (the parser ignores
    /// those, or moves nodes around without making the tree shallower).
    pub fn close(&mut self, name: TagName) {
        match name.as_str() {
            // The document elements stay open whatever the source says.
            "html" | "body" | "br" => {}
            "p" => self.close_before(&["p"], |open| open.has(SCOPE | BUTTON)),
            "li" => self.close_before(&["li"], |open| open.has(SCOPE | LIST)),
            "table" | "tbody" | "thead" | "tfoot" | "tr" | "td" | "th" | "caption" => {
                self.close_before(&[name.as_str()], |open| open.has(TABLE));
            }
            heading if is_heading(heading) => self
                .close_before(&["h1", "h2", "h3", "h4", "h5", "h6"], |open| {
                    open.has(SCOPE)
                }),
            other if classify(other) & SPECIAL != 0 => {
                self.close_before(&[other], |open| open.has(SCOPE));
            }
            other => self.close_before(&[other], |open| open.has(SPECIAL)),
        }
    }

    /// Pops up to and including the nearest open element named in `names`, unless `stop`
    /// holds for an element above it or it lies deeper than [`SEARCH_LIMIT`].
    fn close_before(&mut self, names: &[&str], stop: impl Fn(&OpenElement) -> bool) {
        let lowest = self.stack.len().saturating_sub(SEARCH_LIMIT);
        for index in (lowest..self.stack.len()).rev() {
            let open = &self.stack[index];
            if open.is(names) {
                self.stack.truncate(index);
                return;
            }
            if stop(open) {
                return;
            }
        }
    }
}

fn is_list_item_barrier(open: &OpenElement) -> bool {
    open.has(SPECIAL) && !open.is(&["address", "div", "p"])
}

/// The class bits of an HTML element.
fn classify(name: &str) -> u8 {
    let mut class = 0;
    if is_special(name) {
        class |= SPECIAL;
    }
    if matches!(
        name,
        "applet" | "caption" | "html" | "table" | "td" | "th" | "marquee" | "object" | "template"
    ) {
        class |= SCOPE;
    }
    if name == "button" {
        class |= BUTTON;
    }
    if matches!(name, "ol" | "ul") {
        class |= LIST;
    }
    if matches!(name, "html" | "table" | "template") {
        class |= TABLE;
    }
    class
}

/// The class bits of an SVG or MathML element: its integration points bound every search.
fn classify_foreign(name: &str) -> u8 {
    let integration = matches!(
        name,
        "foreignobject" | "desc" | "title" | "mi" | "mo" | "mn" | "ms" | "mtext" | "annotation-xml"
    );
    if integration {
        FOREIGN | INTEGRATION | SPECIAL | SCOPE | TABLE
    } else {
        FOREIGN
    }
}

fn is_void(name: &str) -> bool {
    VOID.contains(&name)
}

fn is_heading(name: &str) -> bool {
    matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

fn closes_paragraph(name: &str) -> bool {
    is_heading(name) || CLOSES_PARAGRAPH.contains(&name)
}

/// The parser's "special" HTML elements.
fn is_special(name: &str) -> bool {
    closes_paragraph(name) || SPECIAL_ELEMENTS.contains(&name)
}

/// HTML start tags that end SVG or MathML content (`<font>` only with presentational
/// attributes).
fn breaks_out_of_foreign_content(tag: &Tag<'_>) -> bool {
    let name = tag.name.as_str();
    if name == "font" {
        return ["color", "face", "size"]
            .iter()
            .any(|attribute| tag.attribute(attribute).is_some());
    }
    is_heading(name) || BREAKS_OUT_OF_FOREIGN_CONTENT.contains(&name)
}

/// Elements without content or end tag.
const VOID: &[&str] = &[
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "img", "image",
    "input", "keygen", "link", "meta", "param", "source", "track", "wbr",
];

/// Start tags that end an open `<p>` (besides the headings).
const CLOSES_PARAGRAPH: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "header",
    "hgroup",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "search",
    "section",
    "summary",
    "ul",
    "pre",
    "listing",
    "xmp",
    "li",
    "dd",
    "dt",
    "plaintext",
    "hr",
];

/// The parser's other "special" HTML elements (besides [`CLOSES_PARAGRAPH`]).
const SPECIAL_ELEMENTS: &[&str] = &[
    "applet", "area", "base", "basefont", "bgsound", "body", "br", "button", "caption", "col",
    "colgroup", "embed", "frame", "frameset", "head", "html", "iframe", "img", "input", "keygen",
    "link", "marquee", "meta", "noembed", "noframes", "noscript", "object", "param", "script",
    "select", "source", "style", "table", "tbody", "td", "template", "textarea", "tfoot", "th",
    "thead", "title", "tr", "track", "wbr",
];

/// HTML start tags that end SVG or MathML content (besides the headings).
const BREAKS_OUT_OF_FOREIGN_CONTENT: &[&str] = &[
    "b",
    "big",
    "blockquote",
    "body",
    "br",
    "center",
    "code",
    "dd",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "head",
    "hr",
    "i",
    "img",
    "li",
    "listing",
    "menu",
    "meta",
    "nobr",
    "ol",
    "p",
    "pre",
    "ruby",
    "s",
    "small",
    "span",
    "strong",
    "strike",
    "sub",
    "sup",
    "table",
    "tt",
    "u",
    "ul",
    "var",
];
