//! The web layer: the route table, shared state and the middleware every response goes through.

mod access;
mod api;
mod assets;
mod feeds;
mod login;
mod pages;
mod search;
pub mod views;

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::routing::get;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use std::sync::Arc;

pub use self::access::Access;
use crate::store::Store;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub access: Arc<Access>,
}

/// The whole application, as the server runs it and as tests drive it.
pub fn app(state: AppState) -> Router {
    Router::new()
        // Reading
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
        .route("/api/articles", get(api::list_articles))
        .route("/api/articles/{id}", get(api::show_article))
        // Operations
        .route("/healthz", get(pages::health))
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
        .layer(CompressionLayer::new())
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ))
        .layer(TraceLayer::new_for_http())
}

/// No script at all, styles and forms only from ourselves, article images from anywhere over https.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; img-src https: data:; style-src 'self'; \
     form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
