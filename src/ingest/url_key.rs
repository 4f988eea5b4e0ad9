//! The normalised form of an article's URL, used to recognise the same article submitted twice.

use url::Url;

/// Query parameters that only track the reader and never change the page.
const TRACKING_PARAMETERS: &[&str] = &[
    "fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "yclid", "_ga", "ref_src",
];

/// Lower-case scheme and host, default port dropped (both done by `Url`), no fragment, no
/// tracking parameters, and no empty query.
pub fn url_key(url: &Url) -> String {
    let mut key = url.clone();
    key.set_fragment(None);
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(name, _)| !is_tracking_parameter(name))
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect();
    if kept.is_empty() {
        key.set_query(None);
    } else {
        key.query_pairs_mut().clear().extend_pairs(kept);
    }
    key.into()
}

fn is_tracking_parameter(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name.starts_with("utm_") || TRACKING_PARAMETERS.contains(&name.as_str())
}

/// The site an article belongs to: the host, lower case, without a leading `www.`.
pub fn site_of(url: &Url) -> Option<String> {
    let site = normalise_site(url.host_str()?);
    (!site.is_empty()).then_some(site)
}

/// A host as sites are named and filtered: trimmed, lower case, no trailing dot, no `www.`
/// (`www.Example.com` and `example.com` name the same site). Repeated until nothing changes, so
/// that a site name normalised again stays the same (`www.www.example.com` lost one `www.` per
/// pass, and its listing filtered for another site).
pub fn normalise_site(host: &str) -> String {
    let mut site = host.to_ascii_lowercase();
    loop {
        let trimmed = site.trim().trim_end_matches('.');
        let next = trimmed.strip_prefix("www.").unwrap_or(trimmed);
        if next.len() == site.len() {
            return site;
        }
        site = next.to_owned();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(text: &str) -> String {
        Url::parse(text)
            .map(|url| url_key(&url))
            .unwrap_or_default()
    }

    #[test]
    fn tracking_fragment_case_and_port_do_not_matter() {
        let plain = key("https://news.example/story?id=7");
        assert_eq!(
            key("HTTPS://News.Example:443/story?utm_source=x&id=7&fbclid=y#top"),
            plain
        );
        assert_eq!(
            key("https://news.example/story?utm_medium=a"),
            "https://news.example/story"
        );
        assert_ne!(
            key("https://news.example/Story"),
            key("https://news.example/story")
        );
    }

    #[test]
    fn a_site_normalised_again_stays_the_same() {
        assert_eq!(normalise_site(" WWW.www.Example.com. ."), "example.com");
        for host in [
            "www.www.example.com",
            "example.com. .",
            "www. www.example.com",
        ] {
            let once = normalise_site(host);
            assert_eq!(normalise_site(&once), once, "{host:?}");
        }
    }

    #[test]
    fn site_drops_www() {
        let url = Url::parse("https://WWW.TheMoscowTimes.com/2026/x").ok();
        assert_eq!(
            url.as_ref().and_then(site_of).as_deref(),
            Some("themoscowtimes.com")
        );
    }
}
