//! SECURITY.md SSRF #5: proxy variables in the environment change nothing. A separate test
//! binary, because the environment is shared by every test in a process.

mod fixture_site;

use std::time::Duration;

use fixture_site::{FixtureSite, LOOPBACK, SECOND_LOOPBACK, html_page, redirect};
use tearsheet::ingest::fetch::{FetchError, FetchPolicy, Fetcher};
use tearsheet::ingest::submitted_url::SubmittedUrl;

const PROXY_VARIABLES: [&str; 6] = [
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
];

/// One test, so nothing else in this process runs while the environment is changed.
#[test]
fn proxy_variables_in_the_environment_are_ignored() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    // The proxy must exist before the variables point at it; its port is only known once bound.
    let proxy = runtime.block_on(FixtureSite::answering(html_page("via the proxy")));
    for name in PROXY_VARIABLES {
        // SAFETY: this binary has a single test and its runtime runs on this thread, so no
        // other thread reads or writes the environment meanwhile.
        unsafe { std::env::set_var(name, proxy.url("")) };
    }
    for name in ["NO_PROXY", "no_proxy"] {
        // SAFETY: as above.
        unsafe { std::env::remove_var(name) };
    }
    runtime.block_on(check_fetches_bypass(&proxy));
}

async fn check_fetches_bypass(proxy: &FixtureSite) {
    let internal = FixtureSite::start(LOOPBACK, |_| html_page("internal")).await;
    let redirecting = FixtureSite::start(SECOND_LOOPBACK, {
        let target = internal.url("/admin");
        move |_| redirect("302 Found", &target)
    })
    .await;

    // The variables do take effect for a client built the ordinary way; otherwise this test
    // would prove nothing.
    let ordinary = reqwest::Client::new()
        .get(internal.url("/"))
        .send()
        .await
        .expect("through the proxy");
    assert_eq!(ordinary.text().await.ok().as_deref(), Some("via the proxy"));
    let proxied = proxy.connections();
    assert_eq!(proxied, 1);

    // SSRF #1: a literal private address is still refused.
    let strict = Fetcher::new(FetchPolicy {
        timeout: Duration::from_secs(5),
        ..FetchPolicy::default()
    })
    .expect("fetcher");
    assert_eq!(
        fetch(&strict, &internal.url("/")).await,
        Err(FetchError::AddressNotAllowed)
    );

    // SSRF #3: a redirect to a private address is still refused.
    let intranet = Fetcher::new(FetchPolicy {
        allowed_networks: vec!["127.0.0.2/32".parse().expect("valid network")],
        timeout: Duration::from_secs(5),
        ..FetchPolicy::default()
    })
    .expect("fetcher");
    assert_eq!(
        fetch(&intranet, &redirecting.url("/")).await,
        Err(FetchError::RedirectNotAllowed)
    );

    // A fetch that is allowed goes straight to the site.
    let local = Fetcher::new(FetchPolicy {
        allow_private_addresses: true,
        timeout: Duration::from_secs(5),
        ..FetchPolicy::default()
    })
    .expect("fetcher");
    assert_eq!(
        fetch(&local, &internal.url("/")).await,
        Ok(b"internal".to_vec())
    );

    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(
        proxy.connections(),
        proxied,
        "no fetch went through the proxy"
    );
    assert_eq!(redirecting.connections(), 1);
    assert_eq!(internal.connections(), 1);
}

async fn fetch(fetcher: &Fetcher, url: &str) -> Result<Vec<u8>, FetchError> {
    let url = SubmittedUrl::parse(url).expect("valid test URL");
    fetcher.fetch(&url).await.map(|page| page.body)
}
