//! The web layer: the route table, shared state and the middleware every response goes through.

mod access;
mod api;
mod assets;
mod caching;
mod encoding;
mod feeds;
mod login;
mod manage;
mod page_cache;
mod pages;
mod search;
mod submit;
pub mod views;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderValue, Request, StatusCode, header};
use axum::routing::get;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::{Level, Span};

pub use self::access::Access;
use crate::archiver::Archiver;
use crate::store::Store;

/// What every handler can reach. Cloned for every request (by the access guard and the
/// handlers), so each part is a shared handle.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub access: Arc<Access>,
    pub archiver: Arc<Archiver>,
}

/// The whole application, as the server runs it and as tests drive it.
pub fn app(state: AppState) -> Router {
    Router::new()
        // Reading: pages that depend on the archive alone, kept in memory as rendered until it
        // changes (`GET` only; the API's POST and DELETE below go through untouched)
        .route("/", get(pages::list_articles))
        .route("/a/{id}", get(pages::show_article_without_slug))
        .route("/a/{id}/{slug}", get(pages::show_article))
        .route("/sites", get(pages::list_sites))
        // Full-text search
        .route("/search", get(search::search_articles))
        // Atom feeds: newest (optionally ?site=), and a search's results
        .route("/feed.atom", get(feeds::newest_feed))
        .route("/search.atom", get(feeds::search_feed))
        // JSON API
        .route(
            "/api/articles",
            get(api::list_articles).post(api::submit_article),
        )
        .route(
            "/api/articles/{id}",
            get(api::show_article).delete(api::delete_article),
        )
        .route_layer(axum::middleware::from_fn_with_state(
            page_cache::PageCache::new(state.store.clone()),
            page_cache::serve_from_memory,
        ))
        // Deleting an article: a confirmation page, then a POST
        .route(
            "/delete/{id}",
            get(manage::confirm_delete).post(manage::delete_article),
        )
        // Operations
        .route("/healthz", get(pages::health))
        // Adding an article by URL (the bookmarklet pre-fills the form with ?url=)
        .route("/add", get(submit::show_add_form).post(submit::submit_url))
        // Assets, named by content hash so they can be cached forever
        .route("/static/{hash}/{file}", get(assets::serve_asset))
        // Logging in and out (with a password set)
        .route("/login", get(login::show_login_form).post(login::log_in))
        .route("/logout", get(login::show_logout_form).post(login::log_out))
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            access::guard,
        ))
        .with_state(state)
        .layer(axum::middleware::from_fn(caching::revalidate))
        .layer(CompressionLayer::new())
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        // `same-origin`, not `no-referrer`: under `no-referrer` browsers send `Origin: null` with
        // our own forms, which the cross-site check must refuse. Other sites still get nothing.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            REQUEST_TIMEOUT,
        ))
        .layer(RequestBodyLimitLayer::new(MAX_REQUEST_BYTES))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_span)
                .on_response(DefaultOnResponse::new().level(Level::DEBUG)),
        )
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(
            SequentialRequestId::default(),
        ))
}

/// Longer than a page fetch's deadline plus extraction, so a submission ends with its own message.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(40);
/// Forms and API requests are small; nothing Tearsheet accepts comes near this.
const MAX_REQUEST_BYTES: usize = 64 * 1024;

/// Every request's log lines carry its method, path and id (also sent back as `x-request-id`).
fn request_span(request: &Request<Body>) -> Span {
    let id = request
        .headers()
        .get("x-request-id")
        .and_then(|id| id.to_str().ok())
        .unwrap_or("-");
    tracing::info_span!("request", id, method = %request.method(), path = request.uri().path())
}

/// Request ids unique within one run: a process tag and a counter.
#[derive(Clone, Default)]
struct SequentialRequestId(Arc<AtomicU64>);

impl MakeRequestId for SequentialRequestId {
    fn make_request_id<B>(&mut self, _: &Request<B>) -> Option<RequestId> {
        let n = self.0.fetch_add(1, Ordering::Relaxed);
        HeaderValue::from_str(&format!("{:x}-{n}", std::process::id()))
            .ok()
            .map(RequestId::new)
    }
}

/// No script at all, styles and forms only from ourselves, article images from anywhere over https.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; img-src https: data:; style-src 'self'; \
     form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
