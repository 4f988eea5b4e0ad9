//! Archiving a submitted URL: dedup, fetch, extract, save. The form and the API both call
//! [`Archiver::archive`]; nothing here knows about HTTP requests to Tearsheet itself.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use url::Url;

use crate::access::ClientLimit;
use crate::article::{ArticleId, Slug, permalink};
use crate::error::Error;
use crate::ingest::extract::{ExtractError, canonical_url, decode_html, extract_article};
use crate::ingest::fetch::{FetchError, FetchPolicy, Fetcher};
use crate::ingest::submitted_url::{SubmittedUrl, UrlError};
use crate::ingest::url_key::{site_of, url_key};
use crate::store::{FetchRecord, KnownArticle, NewArticle, SourceKind, Store};

/// A pathological page must not hold an extraction worker longer than this.
const EXTRACTION_DEADLINE: Duration = Duration::from_secs(10);

/// Why a submitted URL was not archived; each has a message a person understands.
#[derive(Debug, thiserror::Error)]
pub enum SubmitError {
    #[error("{0}")]
    Url(#[from] UrlError),
    #[error("{}", .0.user_message())]
    Fetch(#[from] FetchError),
    #[error("{}", .0.user_message())]
    Extract(#[from] ExtractError),
    #[error("The page could not be processed in time.")]
    ExtractionFailed,
    #[error("Tearsheet is busy archiving other pages. Please try again in a moment.")]
    Busy,
    #[error("You have added many pages in the last minute. Please try again in {} seconds.", .0.as_secs())]
    TooFrequent(Duration),
    #[error("Something went wrong while saving the article. Please try again later.")]
    Internal(#[from] Error),
}

impl SubmitError {
    /// A stable, machine-readable name for the API.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Url(UrlError::TooLong) => "url_too_long",
            Self::Url(_) => "invalid_url",
            Self::Fetch(FetchError::AddressNotAllowed) => "address_not_allowed",
            Self::Fetch(FetchError::RedirectNotAllowed) => "redirect_not_allowed",
            Self::Fetch(FetchError::TooManyRedirects) => "too_many_redirects",
            Self::Fetch(FetchError::Unreachable) => "unreachable",
            Self::Fetch(FetchError::TimedOut) => "timed_out",
            Self::Fetch(FetchError::HttpStatus(_)) => "http_status",
            Self::Fetch(FetchError::TooLarge) => "too_large",
            Self::Fetch(FetchError::NotHtml(_)) => "not_html",
            Self::Fetch(FetchError::Client(_)) => "fetch_failed",
            Self::Extract(_) | Self::ExtractionFailed => "no_article",
            Self::Busy => "busy",
            Self::TooFrequent(_) => "rate_limited",
            Self::Internal(_) => "internal",
        }
    }

    /// How long a client should wait before trying again, when waiting is the answer.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::Busy => Some(Duration::from_secs(10)),
            Self::TooFrequent(wait) => Some(*wait),
            _ => None,
        }
    }
}

/// Where a submission ended: the article's permalink, and whether it was already there.
#[derive(Debug, Clone)]
pub struct Archived {
    pub id: ArticleId,
    pub permalink: String,
    /// When the article was first archived, if this submission found it already archived.
    pub already_archived_at: Option<String>,
}

/// Archives URLs, with at most a fixed number of submissions fetched or read at once.
#[derive(Clone)]
pub struct Archiver {
    store: Store,
    fetcher: Fetcher,
    fetch_slots: Arc<Semaphore>,
    submits: Arc<ClientLimit>,
}

/// How much submitting one server takes: fetches at once, and submissions per client a minute
/// (0: no limit).
#[derive(Debug, Clone, Copy)]
pub struct SubmitLimits {
    pub fetches_at_once: usize,
    pub per_client_per_minute: u32,
}

impl Archiver {
    pub fn new(
        store: Store,
        policy: FetchPolicy,
        limits: SubmitLimits,
    ) -> Result<Self, FetchError> {
        Ok(Self {
            store,
            fetcher: Fetcher::new(policy)?,
            fetch_slots: Arc::new(Semaphore::new(limits.fetches_at_once.max(1))),
            submits: Arc::new(ClientLimit::new(
                limits.per_client_per_minute,
                Duration::from_secs(60),
            )),
        })
    }

    /// Archives the page at `input` for `client`, whose submissions (every attempt, whatever
    /// its outcome) count against their limit.
    // The input as typed is logged quoted and escaped: it may hold line breaks.
    #[tracing::instrument(skip_all, fields(url = ?input, %client))]
    pub async fn archive(&self, client: IpAddr, input: &str) -> Result<Archived, SubmitError> {
        self.submits
            .take(client)
            .map_err(SubmitError::TooFrequent)?;
        let submitted = SubmittedUrl::parse(input)?;
        let submitted_key = url_key(submitted.url());
        if let Some(known) = self.store.article_by_url_key(&submitted_key).await? {
            return Ok(already(known));
        }
        // One slot covers the fetch and the extraction, until the extraction really ends.
        let slot = Arc::clone(&self.fetch_slots)
            .try_acquire_owned()
            .map_err(|_| SubmitError::Busy)?;
        let page = self.fetcher.fetch(&submitted).await?;
        let html = decode_html(
            &page.body,
            page.content_type.as_deref(),
            Some(&page.final_url),
        );
        // Only a canonical URL on the same site is believed: another site's would let any page
        // claim (and shadow) an article it is not.
        let canonical = canonical_url(&html, &page.final_url)
            .filter(|canonical| site_of(canonical) == site_of(&page.final_url));
        let key = url_key(canonical.as_ref().unwrap_or(&page.final_url));
        if let Some(known) = self.store.article_by_url_key(&key).await? {
            return Ok(already(known));
        }
        let page_url = canonical.unwrap_or_else(|| page.final_url.clone());
        let parsed = extract_off_runtime(html, page.final_url.clone(), slot).await?;
        let id = ArticleId::derived_from(key.as_bytes());
        let article = NewArticle {
            site: site_of(&page_url),
            url_key: Some(key.clone()),
            parsed,
            source_kind: SourceKind::Fetched,
            source_name: page.final_url.to_string(),
            id: id.clone(),
            raw: page.body,
        };
        let record = FetchRecord {
            requested_url: submitted.url().to_string(),
            final_url: page.final_url.to_string(),
            http_status: page.status,
            content_type: page.content_type,
            fetched_at: page.fetched_at,
        };
        let aliases = [submitted_key, url_key(&page.final_url)];
        let slug = Slug::from_title(&article.parsed.title);
        self.store
            .save_fetched(&article.prepare()?, &record, &aliases)
            .await?;
        Ok(Archived {
            permalink: permalink(&id, &slug),
            id,
            already_archived_at: None,
        })
    }
}

fn already(known: KnownArticle) -> Archived {
    let id =
        ArticleId::parse(&known.id).unwrap_or_else(|| ArticleId::derived_from(known.id.as_bytes()));
    Archived {
        permalink: permalink(&id, &Slug::from_stored(known.slug)),
        id,
        already_archived_at: Some(known.archived_at),
    }
}

/// Extraction is CPU-bound and can be slow on hostile pages: run it on the blocking pool with a
/// deadline so the async workers keep serving readers. The submission's slot is held until the
/// extraction ends, also past the deadline (a thread cannot be stopped): so no more pages are
/// read at once than there are slots, however many time out.
async fn extract_off_runtime(
    html: String,
    page_url: Url,
    slot: OwnedSemaphorePermit,
) -> Result<crate::ingest::ParsedArticle, SubmitError> {
    let task = tokio::task::spawn_blocking(move || {
        let _slot = slot;
        extract_article(&html, &page_url)
    });
    match tokio::time::timeout(EXTRACTION_DEADLINE, task).await {
        Err(_) => Err(SubmitError::ExtractionFailed),
        Ok(Err(join_error)) => {
            tracing::error!(%join_error, "extraction panicked");
            Err(SubmitError::ExtractionFailed)
        }
        Ok(Ok(result)) => Ok(result?),
    }
}
