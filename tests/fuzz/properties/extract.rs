//! What the `extract` target checks: a saved or fetched page through the steps `tearsheet
//! extract` runs (the HTML check, decoding, the page's own URL, extraction, sanitizing) never
//! panics, and sanitized HTML is stable: sanitizing it again changes nothing.

use tearsheet::ingest::extract::{check_is_html, declared_url, decode_html, extract_article};
use tearsheet::ingest::sanitize::sanitize_html;
use url::Url;

pub fn check(body: &[u8]) {
    if check_is_html(body).is_err() {
        return;
    }
    let html = decode_html(body, None, None);
    let page_url = declared_url(&html)
        .unwrap_or_else(|| Url::parse("https://unknown.invalid/").expect("a valid URL"));
    if let Ok(article) = extract_article(&html, &page_url) {
        let again = sanitize_html(&article.body_html, Some(&page_url));
        assert_eq!(again, article.body_html);
    }
    let once = sanitize_html(&html, Some(&page_url));
    assert_eq!(sanitize_html(&once, Some(&page_url)), once);
}
