//! What the `url` target checks: normalising an address (a submission, the key that finds an
//! article again, a site name) is idempotent, so an address copied out of Tearsheet finds the
//! same article.

use tearsheet::ingest::submitted_url::SubmittedUrl;
use tearsheet::ingest::url_key::{normalise_site, site_of, url_key};
use url::Url;

pub fn check(bytes: &[u8]) {
    let Ok(input) = std::str::from_utf8(bytes) else {
        return;
    };
    let site = normalise_site(input);
    assert_eq!(normalise_site(&site), site, "normalise_site({input:?})");

    if let Ok(submitted) = SubmittedUrl::parse(input) {
        let again = SubmittedUrl::parse(submitted.url().as_str());
        assert_eq!(again.as_ref(), Ok(&submitted), "{input:?}");
    }

    // Archive files name their URL without the submission rules (any http(s) URL is kept).
    let Ok(url) = Url::parse(input) else {
        return;
    };
    if !matches!(url.scheme(), "http" | "https") {
        return;
    }
    let key = url_key(&url);
    let reparsed = Url::parse(&key).unwrap_or_else(|error| panic!("key {key:?}: {error}"));
    assert_eq!(url_key(&reparsed), key, "{input:?}");
    if let Some(site) = site_of(&url) {
        assert_eq!(normalise_site(&site), site, "{input:?}");
        assert_eq!(site_of(&reparsed).as_ref(), Some(&site), "{input:?}");
    }
    // A key that is a valid submission finds the same key when submitted.
    if let Ok(submitted) = SubmittedUrl::parse(&key) {
        assert_eq!(url_key(submitted.url()), key, "{input:?}");
    }
}
