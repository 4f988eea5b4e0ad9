//! The one HTML sanitizer: every body, whether imported or fetched, passes through it before it is
//! stored, and its output is the only raw HTML a template prints.

use std::collections::{HashMap, HashSet};

use ammonia::{Builder, UrlRelative};
use url::Url;

/// Tags a reader needs to show an article's structure; everything else is unwrapped or removed.
const READING_TAGS: &[&str] = &[
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "dd",
    "del",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "samp",
    "small",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "u",
    "ul",
    "var",
];

/// Sanitizes an HTML fragment. Relative URLs are made absolute against `base` (the page's final
/// URL) or dropped when there is none, so no link can point back into Tearsheet itself.
pub fn sanitize_html(html: &str, base: Option<&Url>) -> String {
    builder(base).clean(html).to_string()
}

fn builder(base: Option<&Url>) -> Builder<'static> {
    let mut builder = Builder::empty();
    let tag_attributes: HashMap<&str, HashSet<&str>> = [
        ("a", ["href", "title"].as_slice()),
        ("img", &["src", "alt", "title", "width", "height"]),
        ("td", &["colspan", "rowspan"]),
        ("th", &["colspan", "rowspan", "scope"]),
        ("time", &["datetime"]),
        ("ol", &["start", "reversed"]),
        ("blockquote", &["cite"]),
        ("q", &["cite"]),
    ]
    .into_iter()
    .map(|(tag, attributes)| (tag, attributes.iter().copied().collect()))
    .collect();
    builder
        .tags(READING_TAGS.iter().copied().collect())
        .tag_attributes(tag_attributes)
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .link_rel(Some("noopener noreferrer nofollow"))
        .set_tag_attribute_value("img", "loading", "lazy")
        .set_tag_attribute_value("img", "referrerpolicy", "no-referrer")
        .strip_comments(true)
        .url_relative(match base {
            Some(base) => UrlRelative::RewriteWithBase(base.clone()),
            None => UrlRelative::Deny,
        });
    builder
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn active_content_is_removed() {
        let dirty = r#"<p onclick="x()">Hi<script>alert(1)</script><a href="javascript:alert(1)">j</a></p><svg><g/></svg><iframe srcdoc="x"></iframe>"#;
        let clean = sanitize_html(dirty, None);
        assert_eq!(
            clean,
            r#"<p>Hi<a rel="noopener noreferrer nofollow">j</a></p>"#
        );
    }

    #[test]
    fn relative_urls_become_absolute_and_images_lazy() {
        let base = Url::parse("https://news.example/2026/story").ok();
        let clean = sanitize_html(
            r#"<a href="/logout">x</a><img src="pic.jpg" srcset="a.jpg 1x">"#,
            base.as_ref(),
        );
        assert!(
            clean.contains(r#"href="https://news.example/logout""#),
            "{clean}"
        );
        assert!(
            clean.contains(r#"src="https://news.example/2026/pic.jpg""#),
            "{clean}"
        );
        assert!(clean.contains(r#"loading="lazy""#) && clean.contains("no-referrer"));
        assert!(!clean.contains("srcset"));
    }

    #[test]
    fn sanitizing_twice_changes_nothing() {
        let once = sanitize_html(
            r#"<p>a <a href="https://x.example/">b</a><img src="https://x.example/i.png"></p>"#,
            None,
        );
        assert_eq!(sanitize_html(&once, None), once);
    }
}
