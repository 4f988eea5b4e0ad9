//! Reading pages kept in memory as rendered: a page asked for again, while the archive has not
//! changed, is sent without touching the database or the templates. Entries carry the
//! [`Store::version`] they were rendered at; any change to the archive makes every one of them
//! stale at once. The least used pages go first when the memory budget is full.

use std::sync::Arc;

use axum::body::{Bytes, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use quick_cache::Weighter;
use quick_cache::sync::Cache;

use super::caching::{MAX_PAGE_BYTES, entity_tag};
use super::encoding::{Coding, Compressed};
use crate::store::Store;

/// Memory for kept pages (bodies, their compressed forms and addresses): a few hundred listing
/// and article pages.
const BUDGET_BYTES: u64 = 8 * 1024 * 1024;
/// A guess of how many pages fit, which only sizes the table up front.
const EXPECTED_PAGES: usize = 1_000;
/// Longer addresses (a search someone pasted a page into) are answered but not kept.
const MAX_KEPT_ADDRESS: usize = 2_048;

pub struct PageCache {
    store: Store,
    pages: Cache<String, Arc<KeptPage>, PageSize>,
}

impl PageCache {
    pub fn new(store: Store) -> Arc<Self> {
        Arc::new(Self {
            store,
            pages: Cache::with_weighter(EXPECTED_PAGES, BUDGET_BYTES, PageSize),
        })
    }
}

struct KeptPage {
    version: u64,
    headers: HeaderMap,
    body: Bytes,
    /// The body gzipped and brotli-compressed, each made when a browser first asks for it.
    compressed: Compressed,
}

impl KeptPage {
    async fn response(&self, coding: Option<Coding>) -> Response {
        self.compressed
            .response(self.headers.clone(), &self.body, coding)
            .await
    }
}

#[derive(Clone)]
struct PageSize;

impl Weighter<String, Arc<KeptPage>> for PageSize {
    /// The compressed forms are made after the page is kept, so they are counted up front at
    /// about what they come to for a page of html: a third of the body each.
    fn weight(&self, address: &String, page: &Arc<KeptPage>) -> u64 {
        (address.len() + page.body.len() * 5 / 3 + 256) as u64
    }
}

/// What a page is kept under: the `Host` the request names, a space, then its path and query.
/// The host is part of it because the feeds' links are made from it (`views::origin`): a feed
/// asked for under another name must not be what every reader of the feed gets. A path holds
/// no space, so no host can make one page's key another's.
fn kept_address(request: &Request) -> String {
    let uri = request.uri();
    let host = request
        .headers()
        .get(header::HOST)
        .map_or(&b""[..], |host| host.as_bytes());
    let path = uri
        .path_and_query()
        .map_or(uri.path(), |path| path.as_str());
    format!("{} {path}", String::from_utf8_lossy(host))
}

/// Answers `GET` from memory when the page is kept and current; otherwise renders it, tags it
/// with its `ETag` and keeps a `200` answer. Either way compressed as the browser asks, from
/// bytes compressed once per kept page.
pub async fn serve_from_memory(
    State(cache): State<Arc<PageCache>>,
    request: Request,
    next: Next,
) -> Response {
    if request.method() != Method::GET {
        return next.run(request).await;
    }
    let address = kept_address(&request);
    if address.len() > MAX_KEPT_ADDRESS {
        return next.run(request).await;
    }
    let coding = Coding::accepted_by(request.headers());
    let version = cache.store.version();
    if let Some(page) = cache.pages.get(&address)
        && page.version == version
    {
        return page.response(coding).await;
    }
    let response = next.run(request).await;
    if response.status() != StatusCode::OK {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(body) = to_bytes(body, MAX_PAGE_BYTES).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    parts.headers.insert(header::ETAG, entity_tag(&body));
    let page = Arc::new(KeptPage {
        version,
        headers: parts.headers,
        // A copy of exactly the page's length: the collected body may sit in a larger buffer,
        // which the memory budget would not see.
        body: Bytes::copy_from_slice(&body),
        compressed: Compressed::new(),
    });
    cache.pages.insert(address, Arc::clone(&page));
    page.response(coding).await
}
