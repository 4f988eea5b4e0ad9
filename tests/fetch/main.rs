//! The page fetcher against real sockets: a fixture site on loopback stands in for the web.

#[path = "../fixture_site/mod.rs"]
mod fixture_site;

mod addresses;
mod limits;
mod pages;
mod redirects;

use std::time::Duration;

use tearsheet::ingest::fetch::{FetchError, FetchPolicy, FetchedPage, Fetcher};
use tearsheet::ingest::submitted_url::SubmittedUrl;

/// Reaches the fixture site on loopback; the deadline is short so a hang fails fast.
fn local_fetcher() -> Fetcher {
    fetcher(FetchPolicy {
        allow_private_addresses: true,
        timeout: Duration::from_secs(5),
        ..FetchPolicy::default()
    })
}

/// The production rules: public addresses only.
fn strict_fetcher() -> Fetcher {
    fetcher(FetchPolicy {
        timeout: Duration::from_secs(5),
        ..FetchPolicy::default()
    })
}

fn fetcher(policy: FetchPolicy) -> Fetcher {
    Fetcher::new(policy).expect("build fetcher")
}

fn submitted(text: &str) -> SubmittedUrl {
    SubmittedUrl::parse(text).unwrap_or_else(|error| panic!("{text}: {error}"))
}

async fn fetch(fetcher: &Fetcher, url: &str) -> Result<FetchedPage, FetchError> {
    fetcher.fetch(&submitted(url)).await
}

/// The error of a fetch that should have failed.
async fn fetch_error(fetcher: &Fetcher, url: &str) -> FetchError {
    match fetch(fetcher, url).await {
        Ok(page) => panic!("{url} was fetched ({} bytes)", page.body.len()),
        Err(error) => error,
    }
}

/// Gives a connection the fetcher might have opened time to be counted by the site.
async fn settle() {
    tokio::time::sleep(Duration::from_millis(50)).await;
}
