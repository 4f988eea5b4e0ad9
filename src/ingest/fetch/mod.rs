//! Fetching a submitted page over HTTP without letting it reach private networks or exhaust us.
//!
//! Every hop is checked before it connects: IP literals here, names in [`resolver`] as they
//! resolve. Redirects are followed by hand so each target goes through the same checks; one
//! deadline covers every hop and the body; the body is read under a size limit.

mod address;
mod body;
mod error;
mod resolver;

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use chrono::{SecondsFormat, Utc};
use ipnet::IpNet;
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderMap, HeaderValue, LOCATION};
use reqwest::{Proxy, StatusCode, redirect};
use url::Url;

pub use error::FetchError;

use self::address::AddressRules;
use self::error::error_chain;
use self::resolver::{GuardedResolver, Lookup};
use super::submitted_url::SubmittedUrl;
use super::url_key::site_of;

/// Names Tearsheet, so a site's operator can tell who fetched the page.
const USER_AGENT: &str = concat!(
    "Tearsheet/",
    env!("CARGO_PKG_VERSION"),
    " (+https://github.com/tearsheet)"
);
const ACCEPT_HTML: &str = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1";

/// What the operator allows a fetch to do.
#[derive(Debug, Clone)]
pub struct FetchPolicy {
    /// Lets fetches reach every private and local address. Off in production; tests turn it on
    /// to reach their own server on loopback.
    pub allow_private_addresses: bool,
    /// Private networks the operator allows anyway, e.g. an intranet (`10.1.0.0/16`).
    pub allowed_networks: Vec<IpNet>,
    /// An outgoing proxy. Without one, proxy variables in the environment are ignored. With one,
    /// the proxy resolves names, so only IP literals are checked here: the proxy must enforce
    /// its own rules about private networks. A proxy on a private network is best given by IP
    /// address: a name for it goes through the same resolver and must be allowed like any other.
    pub proxy: Option<Url>,
    /// The whole fetch: every redirect and the body.
    pub timeout: Duration,
    pub connect_timeout: Duration,
    /// Counted after decompression.
    pub max_body_bytes: usize,
    pub max_redirects: usize,
}

impl Default for FetchPolicy {
    fn default() -> Self {
        Self {
            allow_private_addresses: false,
            allowed_networks: Vec::new(),
            proxy: None,
            timeout: Duration::from_secs(20),
            connect_timeout: Duration::from_secs(5),
            max_body_bytes: 10 * 1024 * 1024,
            max_redirects: 5,
        }
    }
}

/// A fetched page, not yet decoded or parsed.
#[derive(Debug, Clone)]
pub struct FetchedPage {
    /// Where the page was found, after redirects.
    pub final_url: Url,
    pub status: u16,
    /// The whole header value, e.g. `text/html; charset=Shift_JIS`.
    pub content_type: Option<String>,
    /// Decompressed, not yet decoded to text.
    pub body: Vec<u8>,
    /// RFC 3339, UTC, e.g. `2026-01-02T03:04:05Z`.
    pub fetched_at: String,
}

/// Fetches pages under one [`FetchPolicy`]. Cheap to clone; clones share the connection pool.
#[derive(Debug, Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    rules: Arc<AddressRules>,
    timeout: Duration,
    max_body_bytes: usize,
    max_redirects: usize,
}

impl Fetcher {
    pub fn new(policy: FetchPolicy) -> Result<Self, FetchError> {
        Self::with_lookup(policy, Lookup::System)
    }

    fn with_lookup(policy: FetchPolicy, lookup: Lookup) -> Result<Self, FetchError> {
        let rules = Arc::new(AddressRules::new(
            policy.allow_private_addresses,
            policy.allowed_networks,
        ));
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT, HeaderValue::from_static(ACCEPT_HTML));
        // No cookie store and no credentials: reqwest adds neither unless asked.
        let builder = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .default_headers(headers)
            .redirect(redirect::Policy::none())
            .referer(false)
            .connect_timeout(policy.connect_timeout)
            .dns_resolver(Arc::new(GuardedResolver::new(Arc::clone(&rules), lookup)));
        let builder = match &policy.proxy {
            // Setting a proxy also turns off the proxy variables from the environment.
            Some(proxy) => builder.proxy(Proxy::all(proxy.as_str()).map_err(client_error)?),
            None => builder.no_proxy(),
        };
        Ok(Self {
            client: builder.build().map_err(client_error)?,
            rules,
            timeout: policy.timeout,
            max_body_bytes: policy.max_body_bytes,
            max_redirects: policy.max_redirects,
        })
    }

    #[tracing::instrument(skip_all, fields(site = site_of(url.url()).unwrap_or_default()))]
    pub async fn fetch(&self, url: &SubmittedUrl) -> Result<FetchedPage, FetchError> {
        let result = tokio::time::timeout(self.timeout, self.follow_redirects(url))
            .await
            .unwrap_or(Err(FetchError::TimedOut));
        if let Err(error) = &result {
            tracing::info!(%error, "fetch failed");
        }
        result
    }

    async fn follow_redirects(&self, submitted: &SubmittedUrl) -> Result<FetchedPage, FetchError> {
        let mut url = submitted.clone();
        let mut visited = HashSet::new();
        for hop in 0..=self.max_redirects {
            let refusal = if hop == 0 {
                FetchError::AddressNotAllowed
            } else {
                FetchError::RedirectNotAllowed
            };
            let permitted = url
                .url()
                .host()
                .is_some_and(|host| self.rules.permits_host(&host));
            if !permitted {
                return Err(refusal);
            }
            visited.insert(without_fragment(url.url()));
            let response = self
                .client
                .get(url.url().clone())
                .send()
                .await
                .map_err(|error| FetchError::from_reqwest(&error, refusal))?;
            let Some(target) = redirect_target(&response)? else {
                return self.read_page(response).await;
            };
            if visited.contains(&without_fragment(&target)) {
                return Err(FetchError::TooManyRedirects);
            }
            tracing::debug!(hop, status = response.status().as_u16(), "redirected");
            url = SubmittedUrl::try_from(target).map_err(|_| FetchError::RedirectNotAllowed)?;
        }
        Err(FetchError::TooManyRedirects)
    }

    async fn read_page(&self, response: reqwest::Response) -> Result<FetchedPage, FetchError> {
        let status = response.status();
        if !status.is_success() {
            return Err(FetchError::HttpStatus(status.as_u16()));
        }
        let content_type = response
            .headers()
            .get(CONTENT_TYPE)
            .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned());
        body::refuse_non_html_type(content_type.as_deref())?;
        let final_url = response.url().clone();
        let body = body::read_within_limit(response, self.max_body_bytes).await?;
        body::refuse_non_html_bytes(&body)?;
        Ok(FetchedPage {
            final_url,
            status: status.as_u16(),
            content_type,
            body,
            fetched_at: Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true),
        })
    }
}

/// Where a redirect points, resolved against the page that sent it; `None` when the response
/// is not a redirect. A 3xx without a Location is answered as a status error by the caller.
fn redirect_target(response: &reqwest::Response) -> Result<Option<Url>, FetchError> {
    let redirects = [
        StatusCode::MOVED_PERMANENTLY,
        StatusCode::FOUND,
        StatusCode::SEE_OTHER,
        StatusCode::TEMPORARY_REDIRECT,
        StatusCode::PERMANENT_REDIRECT,
    ];
    if !redirects.contains(&response.status()) {
        return Ok(None);
    }
    let Some(location) = response.headers().get(LOCATION) else {
        return Ok(None);
    };
    let location = location
        .to_str()
        .map_err(|_| FetchError::Client("redirect Location is not text".to_owned()))?;
    response
        .url()
        .join(location)
        .map(Some)
        .map_err(|error| FetchError::Client(format!("redirect Location {location:?}: {error}")))
}

/// The fragment is never sent, so two URLs that differ only there are the same request.
fn without_fragment(url: &Url) -> Url {
    let mut url = url.clone();
    url.set_fragment(None);
    url
}

fn client_error(error: reqwest::Error) -> FetchError {
    FetchError::Client(error_chain(&error))
}

#[cfg(test)]
mod tests;
