//! The one HTML sanitizer: every body, whether imported or fetched, passes through it before it is
//! stored, and its output is the only raw HTML a template prints.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use ammonia::{Builder, UrlRelative};
use url::Url;

use super::extract::tags::{Tag, TagKind, TagScanner};

/// Tags a reader needs to show an article's structure; others are unwrapped (their text kept)
/// unless listed in [`REMOVED_WITH_CONTENT`].
const READING_TAGS: &[&str] = &[
    "a",
    "abbr",
    "b",
    "bdi",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "col",
    "colgroup",
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
    "rp",
    "rt",
    "ruby",
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
    "wbr",
];

/// Elements dropped whole: active content, embedded documents and form controls, whose text
/// is code, fallback notices ("your browser does not support video") or button labels.
/// Removing `object`, `button` and the like whole, rather than unwrapping them, also keeps a
/// second pass identical: unwrapped, they could expose links nested inside links.
const REMOVED_WITH_CONTENT: &[&str] = &[
    "applet", "audio", "button", "canvas", "datalist", "dialog", "frameset", "iframe", "map",
    "marquee", "math", "noembed", "noframes", "noscript", "object", "script", "select", "style",
    "svg", "template", "textarea", "title", "video",
];

const SAFE_SCHEMES: &[&str] = &["http", "https", "mailto"];

/// Sanitizing passes at most. The HTML parser can build a tree that its own serialization does
/// not give back (fuzzing found a heading left open around a list and a later heading: written
/// out and read again, the inner heading closes the outer one), so the output is cleaned again
/// until it no longer changes; a browser then reads exactly the tree that was checked.
const MAX_PASSES: usize = 4;

/// Sanitizes an HTML fragment. Relative URLs are made absolute against `base` (the page's final
/// URL) or dropped when there is none, so no link can point back into Tearsheet itself.
/// Sanitizing the output again changes nothing.
pub fn sanitize_html(html: &str, base: Option<&Url>) -> String {
    let base = base.filter(|base| is_web_url(base));
    let builder = builder(base);
    let clean_once = |html: &str| with_pre_newline_kept(&builder.clean(html).to_string());
    let mut clean = clean_once(html);
    for _ in 1..MAX_PASSES {
        let again = clean_once(&clean);
        if again == clean {
            break;
        }
        clean = again;
    }
    with_image_policy(&clean)
}

/// Writes a second newline after `<pre>` when its text starts with one. A parser drops the
/// newline right after `<pre>`, and the serializer does not add it back (the HTML standard says
/// it should), so each reading would lose one of the text's leading newlines.
fn with_pre_newline_kept(clean: &str) -> String {
    written_into_start_tags(clean, "pre", "\n", |pre| {
        let after = pre.closing_bracket + 1;
        (clean.as_bytes().get(after) == Some(&b'\n')).then_some(after)
    })
}

/// Gives every image `loading="lazy" referrerpolicy="no-referrer"`, as the last attributes.
/// Done here rather than by ammonia's `set_tag_attribute_value`, which adds them in hash-map
/// order: the same article would then serialize differently from run to run.
fn with_image_policy(clean: &str) -> String {
    written_into_start_tags(
        clean,
        "img",
        r#" loading="lazy" referrerpolicy="no-referrer""#,
        |image| Some(image.closing_bracket),
    )
}

/// `clean` with `text` written in at the place `place` picks for each start tag named `name`
/// (`None` leaves that tag as it is). Sanitized HTML has quoted attributes and escaped text, so
/// the scanner reads it exactly; the places are on or right after a tag's ASCII `>`, so they are
/// character boundaries.
fn written_into_start_tags(
    clean: &str,
    name: &str,
    text: &str,
    place: impl Fn(&Tag) -> Option<usize>,
) -> String {
    let mut out = String::with_capacity(clean.len() + 256);
    let mut copied = 0;
    for at in TagScanner::new(clean.as_bytes())
        .filter(|tag| tag.kind == TagKind::Start && tag.name.as_str() == name)
        .filter_map(|tag| place(&tag))
    {
        out.push_str(clean.get(copied..at).unwrap_or_default());
        out.push_str(text);
        copied = at;
    }
    out.push_str(clean.get(copied..).unwrap_or_default());
    out
}

fn builder(base: Option<&Url>) -> Builder<'static> {
    let mut builder = Builder::empty();
    let tag_attributes: HashMap<&str, HashSet<&str>> = [
        ("a", ["href"].as_slice()),
        ("img", &["src", "srcset", "sizes", "alt", "width", "height"]),
        ("td", &["colspan", "rowspan"]),
        ("th", &["colspan", "rowspan", "scope"]),
        ("col", &["span"]),
        ("colgroup", &["span"]),
        ("time", &["datetime"]),
        ("ol", &["start", "reversed", "type"]),
        ("li", &["value"]),
        ("blockquote", &["cite"]),
        ("q", &["cite"]),
        ("del", &["cite", "datetime"]),
        ("ins", &["cite", "datetime"]),
    ]
    .into_iter()
    .map(|(tag, attributes)| (tag, attributes.iter().copied().collect()))
    .collect();
    let owned_base = base.cloned();
    builder
        .tags(READING_TAGS.iter().copied().collect())
        .clean_content_tags(REMOVED_WITH_CONTENT.iter().copied().collect())
        .tag_attributes(tag_attributes)
        .generic_attributes(["lang", "title", "dir"].into_iter().collect())
        .url_schemes(SAFE_SCHEMES.iter().copied().collect())
        .link_rel(Some("noopener noreferrer nofollow"))
        .strip_comments(true)
        .attribute_filter(move |_tag, attribute, value| {
            filter_attribute(attribute, value, owned_base.as_ref())
        })
        .url_relative(match base {
            Some(base) => UrlRelative::RewriteWithBase(base.clone()),
            None => UrlRelative::Deny,
        });
    builder
}

/// Checks what ammonia does not: `srcset` and `cite` URLs, and numbers that must be numbers.
/// (`href` and `src` schemes are checked by ammonia itself.)
fn filter_attribute<'v>(
    attribute: &str,
    value: &'v str,
    base: Option<&Url>,
) -> Option<Cow<'v, str>> {
    match attribute {
        "srcset" => safe_srcset(value, base).map(Cow::Owned),
        "cite" => web_url(value, base).map(|url| Cow::Owned(url.into())),
        "colspan" | "rowspan" | "span" | "width" | "height" | "start" | "value" => {
            let number = value.trim();
            let is_number = !number.is_empty()
                && number.len() <= 6
                && number
                    .trim_start_matches('-')
                    .bytes()
                    .all(|byte| byte.is_ascii_digit());
            is_number.then_some(Cow::Borrowed(value))
        }
        _ => Some(Cow::Borrowed(value)),
    }
}

/// Keeps the `srcset` candidates whose URL is http(s), made absolute; `None` if none is left.
/// Candidates follow the HTML rules: a URL, then descriptors up to a comma (a URL may itself
/// contain commas, as image CDNs' often do).
fn safe_srcset(srcset: &str, base: Option<&Url>) -> Option<String> {
    let mut kept = Vec::new();
    let mut rest = srcset;
    loop {
        rest = rest.trim_start_matches(|character: char| {
            character == ',' || character.is_ascii_whitespace()
        });
        if rest.is_empty() {
            break;
        }
        let url_end = rest.find(|character: char| character.is_ascii_whitespace());
        let (url, tail) = rest.split_at(url_end.unwrap_or(rest.len()));
        let (url, descriptor, tail) = if let Some(url) = url.strip_suffix(',') {
            (url.trim_end_matches(','), "", tail)
        } else {
            let descriptor_end = tail.find(',').unwrap_or(tail.len());
            (url, tail[..descriptor_end].trim(), &tail[descriptor_end..])
        };
        rest = tail;
        let descriptor_is_plain = descriptor
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || byte == b'.' || byte.is_ascii_whitespace());
        if let Some(url) = web_url(url, base).filter(|_| descriptor_is_plain) {
            kept.push(if descriptor.is_empty() {
                url.to_string()
            } else {
                format!("{url} {descriptor}")
            });
        }
    }
    (!kept.is_empty()).then(|| kept.join(", "))
}

/// An http(s) URL, relative ones resolved against `base`. The serialized result contains no
/// whitespace or comma-space, so it survives being put back into a `srcset`.
fn web_url(text: &str, base: Option<&Url>) -> Option<Url> {
    let url = match Url::parse(text) {
        Ok(url) => url,
        Err(url::ParseError::RelativeUrlWithoutBase) => base?.join(text).ok()?,
        Err(_) => return None,
    };
    is_web_url(&url).then_some(url)
}

fn is_web_url(url: &Url) -> bool {
    matches!(url.scheme(), "http" | "https")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Option<Url> {
        Url::parse("https://news.example/2026/story").ok()
    }

    #[test]
    fn preformatted_text_keeps_its_leading_newlines() {
        let clean = sanitize_html("<pre>\n\n\n\nindented\n</pre>", None);
        assert_eq!(clean, "<pre>\n\n\n\nindented\n</pre>");
        assert_eq!(sanitize_html(&clean, None), clean);
    }

    #[test]
    fn a_heading_inside_a_heading_settles_before_it_is_stored() {
        // The unknown element goes and its heading stays inside the first one, a tree that
        // reads back differently once written out.
        let dirty = "<h1>Harbour<x-box><h2>Most read</h2></x-box> news</h1><p>Text</p>";
        let clean = sanitize_html(dirty, None);
        assert_eq!(sanitize_html(&clean, None), clean);
    }

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
        let clean = sanitize_html(
            r#"<a href="/logout">x</a><img src="pic.jpg" srcset="a.jpg 1x, javascript:alert(1) 2x, //cdn.example/w_400,h_300/b.jpg 400w"><blockquote cite="../src">q</blockquote>"#,
            base().as_ref(),
        );
        assert!(
            clean.contains(r#"href="https://news.example/logout""#),
            "{clean}"
        );
        assert!(
            clean.contains(r#"src="https://news.example/2026/pic.jpg""#),
            "{clean}"
        );
        assert!(
            clean.contains(r#"srcset="https://news.example/2026/a.jpg 1x, https://cdn.example/w_400,h_300/b.jpg 400w""#),
            "{clean}"
        );
        assert!(
            clean.contains(r#"cite="https://news.example/src""#),
            "{clean}"
        );
        assert!(clean.contains(r#"loading="lazy""#) && clean.contains("no-referrer"));
    }

    #[test]
    fn without_a_base_relative_urls_and_srcsets_go() {
        let clean = sanitize_html(
            r#"<a href="/x">x</a><img src="a.png" srcset="b.png 2x">"#,
            None,
        );
        assert!(!clean.contains("href") && !clean.contains("src"), "{clean}");
        let ftp = Url::parse("ftp://files.example/").ok();
        let clean = sanitize_html(r#"<a href="/x">x</a>"#, ftp.as_ref());
        assert!(!clean.contains("href"), "{clean}");
    }

    #[test]
    fn data_urls_and_odd_numbers_are_dropped() {
        let clean = sanitize_html(
            r#"<img src="data:image/svg+xml,<svg onload=alert(1)>" width="100%" height="20"><td colspan="2x">"#,
            base().as_ref(),
        );
        assert_eq!(
            clean,
            r#"<img height="20" loading="lazy" referrerpolicy="no-referrer">"#
        );
        assert_eq!(sanitize_html(&clean, base().as_ref()), clean);
    }

    #[test]
    fn output_is_the_same_every_time() {
        let dirty = r#"<p title="t" lang="en"><a href="/a" title="x">a</a><img alt="a" src="/i.png" width="bad" height="2" sizes="1px" srcset="/i.png 1x"></p>"#;
        let first = sanitize_html(dirty, base().as_ref());
        for _ in 0..20 {
            assert_eq!(sanitize_html(dirty, base().as_ref()), first);
        }
    }

    #[test]
    fn sanitizing_twice_changes_nothing() {
        let once = sanitize_html(
            r#"<p>a <a href="x">b</a><img src="i.png" srcset="i.png 1x,j.png 2x" alt="i"></p>
               <a href="/1"><object><a href="/2">nested</a></object></a><table><tr><td>c</table>"#,
            base().as_ref(),
        );
        assert_eq!(sanitize_html(&once, base().as_ref()), once);
        assert_eq!(sanitize_html(&once, None), once);
    }
}
