//! An XSS corpus through the sanitizer alone and through the whole extractor: the output,
//! parsed again as a browser would, holds only reading elements, no event handlers, and only
//! http, https and mailto URLs. Sanitizing it again changes nothing.

use dom_query::Document;
use tearsheet::ingest::extract::extract_article;
use tearsheet::ingest::sanitize::sanitize_html;
use url::Url;

const PAYLOADS: &[&str] = &[
    r#"<a href="javascript:alert(1)">plain</a>"#,
    r#"<a href="JaVaScRiPt:alert(1)">mixed case</a>"#,
    "<a href=\"jav\tascript:alert(1)\">tab</a>",
    "<a href=\"java\nscript:alert(1)\">newline</a>",
    r#"<a href="jav&#x09;ascript:alert(1)">entity tab</a>"#,
    r#"<a href="java&NewLine;script:alert(1)">named newline</a>"#,
    r#"<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">decimal entities</a>"#,
    r#"<a href="&#x6A;avascript&colon;alert(1)">hex and colon entities</a>"#,
    "<a href=\" \u{1}javascript:alert(1)\">leading control</a>",
    r#"<a href="vbscript:msgbox(1)">vbscript</a>"#,
    r#"<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a>"#,
    r#"<img src=x onerror=alert(1)>"#,
    r#"<p onclick="alert(1)" onmouseover=alert(2) ONFOCUS=alert(3)>handlers</p>"#,
    r#"<script>alert(1)</script><SCRIPT SRC=//evil.example/x.js></SCRIPT>"#,
    r#"<style>body{background:url("javascript:alert(1)")}</style>"#,
    r#"<p style="background:url(javascript:alert(1))">styled</p>"#,
    r#"<svg><script>alert(1)</script></svg>"#,
    r#"<svg onload=alert(1)><animate attributeName=href values=javascript:alert(1) /><a xlink:href="javascript:alert(1)"><text>t</text></a></svg>"#,
    r#"<svg><foreignObject><iframe src=javascript:alert(1)></iframe></foreignObject></svg>"#,
    r#"<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>"#,
    r#"<math><mi><a href="javascript:alert(1)">m</a></mi><maction actiontype="statusline" xlink:href="javascript:alert(1)">x</maction></math>"#,
    r#"<iframe srcdoc="<script>alert(1)</script>"></iframe>"#,
    r#"<iframe src="javascript:alert(1)"></iframe><frame src="javascript:alert(1)">"#,
    r#"<form action="javascript:alert(1)"><button formaction="javascript:alert(1)">go</button><input type=image src=x onerror=alert(1)></form>"#,
    r#"<base href="javascript:alert(1)//"><a href="relative">after base</a>"#,
    r#"<meta http-equiv="refresh" content="0;url=javascript:alert(1)">"#,
    r#"<object data="javascript:alert(1)"></object><embed src="javascript:alert(1)">"#,
    r#"<img srcset="javascript:alert(1) 1x, https://ok.example/a.png 2x">"#,
    r#"<img src="/a.png" srcset="data:image/svg+xml,<svg onload=alert(1)> 2x">"#,
    r#"<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>"#,
    r#"<template><img src=x onerror=alert(1)></template>"#,
    r#"<select><template><style><img src=x onerror=alert(1)></style></template></select>"#,
    r#"<details open ontoggle=alert(1)><summary>s</summary>d</details>"#,
    r#"<video><source onerror=alert(1)></video><audio src=x onerror=alert(1)></audio>"#,
    r#"<a href="https://ok.example/" ping="https://evil.example/" target="_top">ping</a>"#,
    r#"<blockquote cite="javascript:alert(1)">cited</blockquote>"#,
    r#"<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">"#,
    r#"<a href="/logout">app link</a><a href="//evil.example/x">scheme-relative</a>"#,
    r#"<div id="x"><a href="x" id="y">clobber</a><form name="getElementById"></form></div>"#,
    r#"<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"#,
];

/// Elements the sanitizer may emit, plus the wrappers a fragment parse adds.
const ALLOWED_ELEMENTS: &[&str] = &[
    "html",
    "head",
    "body",
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

const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "cite",
    "action",
    "formaction",
    "poster",
    "data",
];

fn page_url() -> Url {
    Url::parse("https://reader-test.example/articles/xss").expect("URL")
}

/// Parses `html` as a browser would and checks it holds nothing active.
fn assert_inert(html: &str, context: &str) {
    let document = Document::fragment(html);
    for node in document.root().descendants() {
        let Some(name) = node.node_name() else {
            continue;
        };
        assert!(
            ALLOWED_ELEMENTS.contains(&&*name),
            "<{name}> survived {context}: {html}"
        );
        for attribute in node.attrs() {
            let attribute_name = attribute.name.local.to_string().to_ascii_lowercase();
            let value = &*attribute.value;
            assert!(
                !attribute_name.starts_with("on") && attribute_name != "style",
                "{attribute_name} survived {context}: {html}"
            );
            assert!(
                !matches!(
                    attribute_name.as_str(),
                    "srcdoc" | "id" | "name" | "ping" | "target"
                ),
                "{attribute_name} survived {context}: {html}"
            );
            if URL_ATTRIBUTES.contains(&attribute_name.as_str()) {
                assert_web_url(value, context, html);
            }
            if attribute_name == "srcset" {
                for candidate in value.split(", ") {
                    let url = candidate.split_whitespace().next().unwrap_or_default();
                    assert_web_url(url, context, html);
                }
            }
        }
    }
}

fn assert_web_url(value: &str, context: &str, html: &str) {
    let url = Url::parse(value).unwrap_or_else(|error| {
        panic!("{value:?} is not an absolute URL ({error}) {context}: {html}")
    });
    assert!(
        matches!(url.scheme(), "http" | "https" | "mailto"),
        "{value} survived {context}: {html}"
    );
}

/// Wraps a payload in enough article text for the extractor to keep the paragraph it sits in.
fn page_with(payload: &str) -> String {
    let paragraph = "<p>The harbour master logged every arrival in a leather book, noting the tide, \
                     the wind and the cargo, a habit kept by his successors for a century.</p>";
    format!(
        "<!doctype html><html><head><title>Payload test</title></head><body><article>\
         <h1>Payload test</h1>{paragraph}{paragraph}<div><p>Before the payload, some words.</p>\
         {payload}<p>After the payload, more words.</p></div>{paragraph}{paragraph}</article>\
         </body></html>"
    )
}

#[test]
fn corpus_is_large_enough() {
    assert!(PAYLOADS.len() >= 25);
}

#[test]
fn sanitizer_output_is_inert_and_stable() {
    let base = page_url();
    for payload in PAYLOADS {
        let clean = sanitize_html(payload, Some(&base));
        assert_inert(&clean, &format!("sanitizing {payload}"));
        assert_eq!(
            sanitize_html(&clean, Some(&base)),
            clean,
            "a second pass changed {payload}"
        );
        let without_base = sanitize_html(payload, None);
        assert_inert(
            &without_base,
            &format!("sanitizing without a base {payload}"),
        );
    }
}

#[test]
fn extractor_output_is_inert_and_stable() {
    let base = page_url();
    for payload in PAYLOADS {
        let page = page_with(payload);
        let article =
            extract_article(&page, &base).unwrap_or_else(|error| panic!("{payload}: {error}"));
        let context = format!("extracting {payload}");
        assert_inert(&article.body_html, &context);
        assert_eq!(
            sanitize_html(&article.body_html, Some(&base)),
            article.body_html,
            "a second pass changed {context}"
        );
        assert!(
            !article.body_text.contains("alert(1)") || payload.contains("&lt;script&gt;"),
            "script text leaked {context}: {}",
            article.body_text
        );
    }
}

#[test]
fn links_carry_rel_and_images_referrer_policy() {
    let clean = sanitize_html(
        r#"<a href="https://ok.example/">a</a><img src="https://ok.example/i.png">"#,
        Some(&page_url()),
    );
    let document = Document::fragment(clean.as_str());
    let link = document.select("a");
    assert_eq!(
        link.attr("rel").as_deref(),
        Some("noopener noreferrer nofollow")
    );
    let image = document.select("img");
    assert_eq!(image.attr("loading").as_deref(), Some("lazy"));
    assert_eq!(image.attr("referrerpolicy").as_deref(), Some("no-referrer"));
}
