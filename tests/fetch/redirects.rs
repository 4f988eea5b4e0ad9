//! Redirects are followed by hand, at most five, each target checked like a submitted address
//! (SECURITY.md SSRF #3).

use crate::fixture_site::{FixtureSite, LOOPBACK, SECOND_LOOPBACK, html_page, redirect};
use crate::{fetch, fetch_error, fetcher, local_fetcher, settle};
use tearsheet::ingest::fetch::{FetchError, FetchPolicy};

/// `/hop/N` redirects to `/hop/N-1` until `/hop/0`, the page; each hop uses another status.
async fn chain_site() -> FixtureSite {
    FixtureSite::start(LOOPBACK, |request| {
        let left: usize = request
            .path
            .strip_prefix("/hop/")
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        let statuses = [
            "301 Moved Permanently",
            "302 Found",
            "303 See Other",
            "307 Temporary Redirect",
            "308 Permanent Redirect",
        ];
        match left {
            0 => html_page("<p>arrived</p>"),
            n => redirect(statuses[n % statuses.len()], &format!("/hop/{}", n - 1)),
        }
    })
    .await
}

#[tokio::test]
async fn three_redirects_are_followed() {
    let site = chain_site().await;
    let page = fetch(&local_fetcher(), &site.url("/hop/3"))
        .await
        .expect("followed");
    assert_eq!(page.body, b"<p>arrived</p>");
    assert_eq!(page.final_url.as_str(), site.url("/hop/0"));
    assert_eq!(site.requests().len(), 4);
}

#[tokio::test]
async fn five_redirects_are_followed() {
    let site = chain_site().await;
    let page = fetch(&local_fetcher(), &site.url("/hop/5"))
        .await
        .expect("five is the limit");
    assert_eq!(page.final_url.as_str(), site.url("/hop/0"));
}

#[tokio::test]
async fn a_sixth_redirect_is_not_followed() {
    let site = chain_site().await;
    let error = fetch_error(&local_fetcher(), &site.url("/hop/6")).await;
    assert_eq!(error, FetchError::TooManyRedirects);
    let paths: Vec<String> = site.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(
        paths.len(),
        6,
        "the sixth target is never requested: {paths:?}"
    );
    assert!(!paths.contains(&"/hop/0".to_owned()));
}

#[tokio::test]
async fn a_redirect_loop_stops_at_the_first_repeat() {
    let site = FixtureSite::start(LOOPBACK, |request| match request.path.as_str() {
        "/a" => redirect("302 Found", "/b#top"),
        _ => redirect("302 Found", "/a"),
    })
    .await;
    let error = fetch_error(&local_fetcher(), &site.url("/a")).await;
    assert_eq!(error, FetchError::TooManyRedirects);
    assert_eq!(site.requests().len(), 2);
}

/// A site the operator allows (127.0.0.2) redirects to loopback (127.0.0.1), which is not
/// allowed: the redirect is refused and the loopback site sees no connection.
#[tokio::test]
async fn a_redirect_to_a_private_address_is_refused_without_connecting() {
    let internal = FixtureSite::start(LOOPBACK, |_| html_page("internal")).await;
    let port = internal.port();
    let targets = [
        format!("http://127.0.0.1:{port}/admin"),
        format!("http://localhost:{port}/admin"),
        format!("http://2130706433:{port}/admin"),
        format!("http://[::ffff:127.0.0.1]:{port}/admin"),
        format!("http://0.0.0.0:{port}/admin"),
        "http://169.254.169.254/latest/meta-data/".to_owned(),
    ];
    let public = FixtureSite::start(SECOND_LOOPBACK, move |request| {
        let index: usize = request.path.trim_start_matches('/').parse().unwrap_or(0);
        redirect("302 Found", &targets[index])
    })
    .await;
    let fetcher = fetcher(FetchPolicy {
        allowed_networks: vec!["127.0.0.2/32".parse().expect("valid network")],
        ..FetchPolicy::default()
    });
    for index in 0..6 {
        let error = fetch_error(&fetcher, &public.url(&format!("/{index}"))).await;
        assert_eq!(error, FetchError::RedirectNotAllowed, "target {index}");
    }
    settle().await;
    assert_eq!(public.connections(), 6);
    assert_eq!(internal.connections(), 0);
}

#[tokio::test]
async fn a_redirect_to_another_scheme_or_to_credentials_is_refused() {
    let site = FixtureSite::start(LOOPBACK, |request| match request.path.as_str() {
        "/file" => redirect("302 Found", "file:///etc/passwd"),
        "/ftp" => redirect("301 Moved Permanently", "ftp://example.com/"),
        "/script" => redirect("302 Found", "javascript:alert(1)"),
        _ => redirect("302 Found", "http://user:secret@example.com/"),
    })
    .await;
    let fetcher = local_fetcher();
    for path in ["/file", "/ftp", "/script", "/credentials"] {
        let error = fetch_error(&fetcher, &site.url(path)).await;
        assert_eq!(error, FetchError::RedirectNotAllowed, "{path}");
    }
}
