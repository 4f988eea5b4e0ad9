//! A cheap, linear scan over the tags of raw HTML bytes, for the work that must run before (or
//! instead of) a full parse: the size guard, the `<meta charset>` prescan, the canonical link,
//! and cutting the elements rs-trafilatura must not read out of the page.
//!
//! It follows the HTML tokenizer closely enough for those jobs (comments, quoted attribute
//! values, raw-text elements such as `<script>`), and never allocates per tag.

use std::borrow::Cow;

/// Tag names longer than this are kept truncated; no element we care about is that long.
const NAME_CAPACITY: usize = 16;

/// A tag name, lower-cased, stored inline.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct TagName {
    bytes: [u8; NAME_CAPACITY],
    len: u8,
}

impl TagName {
    pub fn new(raw: &[u8]) -> Self {
        let mut bytes = [0; NAME_CAPACITY];
        let len = raw.len().min(NAME_CAPACITY);
        for (to, from) in bytes.iter_mut().zip(&raw[..len]) {
            *to = from.to_ascii_lowercase();
        }
        // `len` is at most NAME_CAPACITY, far below u8::MAX.
        Self {
            bytes,
            len: len as u8,
        }
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..usize::from(self.len)]
    }

    /// The lower-cased name, or "" when it is not ASCII (no element we know of).
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or("")
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum TagKind {
    Start,
    End,
}

/// One start or end tag as written in the source.
pub struct Tag<'a> {
    pub kind: TagKind,
    pub name: TagName,
    /// `<br/>`: only meaningful inside SVG and MathML, where it closes the element.
    pub self_closing: bool,
    /// Where the tag's `<` is in the input.
    pub opening_bracket: usize,
    /// Where the tag's closing `>` is in the input (or its end, for a cut-off tag).
    pub closing_bracket: usize,
    attributes: &'a [u8],
}

impl<'a> Tag<'a> {
    pub fn attribute_count(&self) -> usize {
        let mut count = 0;
        let mut rest = self.attributes;
        while let Some((_, _, tail)) = next_attribute(rest) {
            count += 1;
            rest = tail;
        }
        count
    }

    /// The value of an attribute (the first one of that name, as the parser keeps), with the
    /// common character references decoded.
    pub fn attribute(&self, wanted: &str) -> Option<Cow<'a, str>> {
        let mut rest = self.attributes;
        while let Some((name, value, tail)) = next_attribute(rest) {
            if name.eq_ignore_ascii_case(wanted.as_bytes()) {
                return Some(decode_references(value));
            }
            rest = tail;
        }
        None
    }
}

/// Iterates over the tags of `html`, skipping comments, doctypes and the content of raw-text
/// elements.
pub struct TagScanner<'a> {
    html: &'a [u8],
    position: usize,
    in_foreign_content: bool,
    other_markup: usize,
}

impl<'a> TagScanner<'a> {
    pub fn new(html: &'a [u8]) -> Self {
        Self {
            html,
            position: 0,
            in_foreign_content: false,
            other_markup: 0,
        }
    }

    /// How many `<` so far began a comment, a doctype or no markup at all: each costs the
    /// parser a node or an error.
    pub fn other_markup(&self) -> usize {
        self.other_markup
    }

    /// Tells the scanner whether the next tag lands in SVG or MathML, where `<title>`,
    /// `<style>` and the like are ordinary elements whose content is markup. Only a caller
    /// that follows the tree (the size guard) knows; the others may ignore the difference.
    pub fn set_in_foreign_content(&mut self, in_foreign_content: bool) {
        self.in_foreign_content = in_foreign_content;
    }

    /// Skips a comment whose `<!--` ends at the current position. It ends at `-->` or `--!>`,
    /// and `<!-->` and `<!--->` are whole (empty) comments, as the HTML tokenizer has it;
    /// skipping any further would hide markup from the guard.
    fn skip_comment(&mut self) {
        let html = self.html;
        let rest = html.get(self.position..).unwrap_or_default();
        if rest.starts_with(b">") || rest.starts_with(b"->") {
            self.position += if rest[0] == b'>' { 1 } else { 2 };
            return;
        }
        let mut from = self.position;
        while let Some(dashes) = find(html, from, b"--") {
            let after = &html[dashes + 2..];
            if after.starts_with(b">") {
                self.position = dashes + 3;
                return;
            }
            if after.starts_with(b"!>") {
                self.position = dashes + 4;
                return;
            }
            from = dashes + 1;
        }
        self.position = html.len();
    }

    fn skip_past(&mut self, needle: &[u8]) {
        self.position = find(self.html, self.position, needle)
            .map_or(self.html.len(), |found| found + needle.len());
    }

    /// Skips the text of `<script>`, `<style>` and the like up to their end tag, which is the
    /// only thing that ends them.
    fn skip_raw_text(&mut self, name: &str) {
        let html = self.html;
        let mut from = self.position;
        while let Some(found) = find(html, from, b"</") {
            let after = found + 2 + name.len();
            let name_matches = html
                .get(found + 2..after)
                .is_some_and(|candidate| candidate.eq_ignore_ascii_case(name.as_bytes()));
            let ends_name = html
                .get(after)
                .is_none_or(|&byte| byte == b'>' || byte == b'/' || byte.is_ascii_whitespace());
            if name_matches && ends_name {
                self.position = found;
                return;
            }
            from = found + 2;
        }
        self.position = html.len();
    }
}

impl<'a> Iterator for TagScanner<'a> {
    type Item = Tag<'a>;

    fn next(&mut self) -> Option<Tag<'a>> {
        let html = self.html;
        loop {
            let open = find(html, self.position, b"<")?;
            let rest = &html[open + 1..];
            self.position = open + 1;
            if rest.starts_with(b"!--") {
                self.other_markup += 1;
                self.position = open + 4;
                self.skip_comment();
                continue;
            }
            let (kind, name_start) = match rest.first() {
                Some(b'!' | b'?') => {
                    self.other_markup += 1;
                    self.skip_past(b">");
                    continue;
                }
                Some(b'/') if rest.get(1).is_some_and(u8::is_ascii_alphabetic) => {
                    (TagKind::End, open + 2)
                }
                Some(byte) if byte.is_ascii_alphabetic() => (TagKind::Start, open + 1),
                _ => {
                    self.other_markup += 1;
                    continue;
                }
            };
            let name_end = html[name_start..]
                .iter()
                .position(|&byte| byte == b'>' || byte == b'/' || byte.is_ascii_whitespace())
                .map_or(html.len(), |offset| name_start + offset);
            let (attributes_end, tag_end) = end_of_tag(html, name_end);
            self.position = tag_end;
            let attributes = &html[name_end..attributes_end];
            let tag = Tag {
                kind,
                name: TagName::new(&html[name_start..name_end]),
                self_closing: attributes.last() == Some(&b'/'),
                opening_bracket: open,
                closing_bracket: attributes_end,
                attributes,
            };
            if kind == TagKind::Start && !self.in_foreign_content {
                match tag.name.as_str() {
                    "plaintext" => self.position = html.len(),
                    name if is_raw_text(name) => self.skip_raw_text(name),
                    _ => {}
                }
            }
            return Some(tag);
        }
    }
}

/// Elements whose content is text up to their own end tag. Not `noscript`: the parser we
/// guard (dom_query's) runs with scripting disabled, so its content is markup.
fn is_raw_text(name: &str) -> bool {
    matches!(
        name,
        "script" | "style" | "textarea" | "title" | "xmp" | "iframe" | "noembed" | "noframes"
    )
}

/// Finds the `>` closing a tag whose attributes start at `from`, honouring quoted values.
/// Returns where the attributes end and where the next token starts.
fn end_of_tag(html: &[u8], from: usize) -> (usize, usize) {
    let mut position = from;
    let mut after_equals = false;
    while let Some(&byte) = html.get(position) {
        match byte {
            b'>' => return (position, position + 1),
            b'"' | b'\'' if after_equals => {
                position = find(html, position + 1, &[byte]).map_or(html.len(), |end| end + 1);
                after_equals = false;
                continue;
            }
            b'=' => after_equals = true,
            byte if byte.is_ascii_whitespace() => {}
            _ => after_equals = false,
        }
        position += 1;
    }
    (html.len(), html.len())
}

/// Splits the first `name[=value]` off an attribute list.
fn next_attribute(list: &[u8]) -> Option<(&[u8], &[u8], &[u8])> {
    let is_separator = |byte: &u8| byte.is_ascii_whitespace() || *byte == b'/';
    let start = list.iter().position(|byte| !is_separator(byte))?;
    let list = &list[start..];
    let name_len = list
        .iter()
        .skip(1)
        .position(|&byte| byte == b'=' || is_separator(&byte))
        .map_or(list.len(), |offset| offset + 1);
    let (name, rest) = list.split_at(name_len);
    let after_space = rest.iter().position(|byte| !byte.is_ascii_whitespace());
    let Some(equals) = after_space.filter(|&at| rest[at] == b'=') else {
        return Some((name, &[], rest));
    };
    let rest = &rest[equals + 1..];
    let value_start = rest
        .iter()
        .position(|byte| !byte.is_ascii_whitespace())
        .unwrap_or(rest.len());
    let rest = &rest[value_start..];
    match rest.first() {
        Some(&quote @ (b'"' | b'\'')) => {
            let end = find(rest, 1, &[quote]).unwrap_or(rest.len());
            Some((name, &rest[1..end], rest.get(end + 1..).unwrap_or(&[])))
        }
        _ => {
            let end = rest
                .iter()
                .position(u8::is_ascii_whitespace)
                .unwrap_or(rest.len());
            Some((name, &rest[..end], &rest[end..]))
        }
    }
}

/// Decodes the character references that occur in URLs, charset names and JSON-LD strings.
/// Named ones beyond the XML five stay as written, which at worst leaves `&eacute;` in a title.
pub fn decode_references(value: &[u8]) -> Cow<'_, str> {
    let text = String::from_utf8_lossy(value);
    if !text.contains('&') {
        return text;
    }
    let mut decoded = String::with_capacity(text.len());
    let mut rest: &str = &text;
    while let Some(at) = rest.find('&') {
        decoded.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest.find(';').filter(|&end| end <= 10);
        let replacement = end.and_then(|end| reference_char(&rest[1..end]));
        match (end, replacement) {
            (Some(end), Some(character)) => {
                decoded.push(character);
                rest = &rest[end + 1..];
            }
            _ => {
                decoded.push('&');
                rest = &rest[1..];
            }
        }
    }
    decoded.push_str(rest);
    Cow::Owned(decoded)
}

fn reference_char(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "lt" => Some('<'),
        "gt" => Some('>'),
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code).filter(|&character| character != '\0')
        }
    }
}

/// The first occurrence of `needle` in `haystack` at or after `from`.
pub fn find(haystack: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let rest = haystack.get(from..)?;
    let first = *needle.first()?;
    let mut offset = 0;
    while let Some(found) = rest[offset..].iter().position(|&byte| byte == first) {
        let at = offset + found;
        if rest[at..].starts_with(needle) {
            return Some(from + at);
        }
        offset = at + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(html: &str) -> Vec<String> {
        TagScanner::new(html.as_bytes())
            .map(|tag| {
                let slash = if tag.kind == TagKind::End { "/" } else { "" };
                format!("{slash}{}", tag.name.as_str())
            })
            .collect()
    }

    #[test]
    fn comments_scripts_and_quoted_brackets_are_not_tags() {
        assert_eq!(
            tags(r#"<!-- <div> --><P title="a>b">x</p><script>if (a<b) "<div>"</SCRIPT ><br/>"#),
            ["p", "/p", "script", "/script", "br"]
        );
    }

    #[test]
    fn comments_end_where_the_tokenizer_ends_them() {
        assert_eq!(
            tags("<!--><a><!---><b><!-- x --!><i><!-- a -- b --><u><!--"),
            ["a", "b", "i", "u"]
        );
        assert_eq!(
            tags("<noscript><div></div></noscript>"),
            ["noscript", "div", "/div", "/noscript"]
        );
    }

    #[test]
    fn foreign_content_has_no_raw_text() {
        let mut scanner = TagScanner::new(b"<title><p></title><title><p>");
        let first = scanner.next().map(|tag| tag.name.as_str().to_owned());
        scanner.set_in_foreign_content(true);
        let rest: Vec<String> = scanner.map(|tag| tag.name.as_str().to_owned()).collect();
        assert_eq!(first.as_deref(), Some("title"));
        assert_eq!(rest, ["title", "title", "p"]);
    }

    #[test]
    fn attributes_are_found_and_decoded() {
        let html = br#"<link HREF='/a?x=1&amp;y=2' rel = canonical data-x>"#;
        let tag = TagScanner::new(html).next();
        let tag = tag.as_ref();
        assert_eq!(
            tag.and_then(|tag| tag.attribute("href")).as_deref(),
            Some("/a?x=1&y=2")
        );
        assert_eq!(
            tag.and_then(|tag| tag.attribute("rel")).as_deref(),
            Some("canonical")
        );
        assert_eq!(
            tag.and_then(|tag| tag.attribute("data-x")).as_deref(),
            Some("")
        );
        assert!(tag.and_then(|tag| tag.attribute("title")).is_none());
    }
}
