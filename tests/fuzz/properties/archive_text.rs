//! What the `archive_text` target checks: the archive text parser, on bytes decoded as the
//! importer decodes a file, never panics and keeps the promises the store and templates rely on.

use tearsheet::ingest::archive_text::parse;
use tearsheet::ingest::decode::decode_text;
use tearsheet::ingest::sanitize::sanitize_html;
use url::Url;

pub fn check(bytes: &[u8]) {
    let article = parse(&decode_text(bytes).text);
    // The body is stored as sanitized HTML: sanitizing it again changes nothing.
    assert_eq!(sanitize_html(&article.body_html, None), article.body_html);
    assert!(!article.title.contains('\n'), "{:?}", article.title);
    // Only web addresses are kept, for the original URL and for related links.
    let related = article.related.iter().filter_map(|link| link.url.as_ref());
    for url in article.original_url.iter().chain(related) {
        let parsed = Url::parse(url).unwrap_or_else(|error| panic!("{url:?}: {error}"));
        assert!(matches!(parsed.scheme(), "http" | "https"), "{url:?}");
    }
}
