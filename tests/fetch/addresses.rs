//! SECURITY.md SSRF #1, #4 and #7: private and local addresses are refused before any connection,
//! unless the operator opens them.

use std::net::{Ipv6Addr, SocketAddr};

use crate::fixture_site::{FixtureSite, LOOPBACK, SECOND_LOOPBACK, html_page};
use crate::{fetch, fetch_error, fetcher, settle, strict_fetcher};
use tearsheet::ingest::fetch::{FetchError, FetchPolicy};
use tearsheet::ingest::submitted_url::{SubmittedUrl, UrlError};

/// Every spelling of 127.0.0.1 in the checklist, aimed at a live site on that port: each is
/// refused and the site sees no connection.
#[tokio::test]
async fn every_spelling_of_loopback_is_refused_before_connecting() {
    let site = FixtureSite::start(LOOPBACK, |_| html_page("private page")).await;
    let port = site.port();
    let ipv6_site = FixtureSite::start_on(SocketAddr::from((Ipv6Addr::LOCALHOST, port)), |_| {
        html_page("private page")
    })
    .await;
    let fetcher = strict_fetcher();
    for url in [
        format!("http://127.0.0.1:{port}/"),
        format!("http://localhost:{port}/"),
        format!("http://LocalHost.:{port}/"),
        format!("http://admin.localhost:{port}/"),
        format!("http://[::1]:{port}/"),
        format!("http://0.0.0.0:{port}/"),
        format!("http://2130706433:{port}/"),
        format!("http://0x7f.1:{port}/"),
        format!("http://0177.0.0.1:{port}/"),
        format!("http://127.1:{port}/"),
        format!("http://[::ffff:127.0.0.1]:{port}/"),
        format!("http://[::ffff:7f00:1]:{port}/"),
        format!("http://[::127.0.0.1]:{port}/"),
        format!("http://[::]:{port}/"),
    ] {
        let error = fetch_error(&fetcher, &url).await;
        assert_eq!(error, FetchError::AddressNotAllowed, "{url}");
    }
    settle().await;
    assert_eq!(site.connections(), 0);
    if let Some(ipv6_site) = ipv6_site {
        assert_eq!(ipv6_site.connections(), 0);
    }
}

/// The rest of the checklist: metadata services, private networks, NAT64. A connection attempt
/// to these would hang or fail as unreachable; refusal is immediate.
#[tokio::test]
async fn private_and_metadata_addresses_are_refused() {
    let fetcher = strict_fetcher();
    for url in [
        "http://127.0.0.1:22/",
        "http://169.254.169.254/latest/meta-data/",
        "http://100.100.100.200/",
        "http://[fd00:ec2::254]/",
        "http://[64:ff9b::a9fe:a9fe]/",
        "http://10.0.0.1/",
        "http://172.16.0.1/",
        "http://192.168.1.1/",
        "http://[fe80::1]/",
        "http://224.0.0.1/",
        "http://[2002:a9fe:a9fe::1]/",
    ] {
        let started = std::time::Instant::now();
        let error = fetch_error(&fetcher, url).await;
        assert_eq!(error, FetchError::AddressNotAllowed, "{url}");
        assert!(
            started.elapsed().as_millis() < 500,
            "{url} was refused late"
        );
        assert_eq!(
            error.user_message(),
            "This address is not allowed: it points to a private or local network."
        );
    }
}

/// SSRF #4: refused by the parser, so no fetch is ever attempted.
#[test]
fn other_schemes_and_credentials_never_become_a_submitted_url() {
    for input in [
        "file:///etc/passwd",
        "ftp://example.com/",
        "gopher://127.0.0.1:6379/_INFO",
        "data:text/html,<script>alert(1)</script>",
        "javascript:alert(1)",
    ] {
        assert_eq!(
            SubmittedUrl::parse(input),
            Err(UrlError::UnsupportedScheme),
            "{input}"
        );
    }
    for input in [
        "http://admin:hunter2@example.com/",
        "https://token@example.com/",
    ] {
        assert_eq!(
            SubmittedUrl::parse(input),
            Err(UrlError::HasCredentials),
            "{input}"
        );
    }
}

/// SSRF #7: an operator can open one private network without opening the others.
#[tokio::test]
async fn an_allowed_network_is_reachable_and_no_other() {
    let intranet = FixtureSite::start(SECOND_LOOPBACK, |_| html_page("intranet")).await;
    let elsewhere = FixtureSite::start(LOOPBACK, |_| html_page("private")).await;
    let fetcher = fetcher(FetchPolicy {
        allowed_networks: vec!["127.0.0.2/32".parse().expect("valid network")],
        ..FetchPolicy::default()
    });
    let page = fetch(&fetcher, &intranet.url("/")).await.expect("allowed");
    assert_eq!(page.body, b"intranet");
    assert_eq!(
        fetch_error(&fetcher, &elsewhere.url("/")).await,
        FetchError::AddressNotAllowed
    );
    settle().await;
    assert_eq!(elsewhere.connections(), 0);
}

/// With a proxy the operator configured, fetches go through it (it resolves names), and IP
/// literals are still checked here first.
#[tokio::test]
async fn an_operator_proxy_is_used_and_literals_are_still_checked() {
    let proxy = FixtureSite::start(LOOPBACK, |_| html_page("via the proxy")).await;
    let internal = FixtureSite::start(LOOPBACK, |_| html_page("internal")).await;
    let fetcher = fetcher(FetchPolicy {
        proxy: Some(proxy.url("").parse().expect("valid proxy URL")),
        ..FetchPolicy::default()
    });
    let page = fetch(&fetcher, "http://news.example/story")
        .await
        .expect("fetched through the proxy");
    assert_eq!(page.body, b"via the proxy");
    let requests = proxy.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].path, "http://news.example/story");
    assert_eq!(
        fetch_error(&fetcher, &internal.url("/")).await,
        FetchError::AddressNotAllowed
    );
    settle().await;
    assert_eq!(proxy.connections(), 1);
    assert_eq!(internal.connections(), 0);
}
