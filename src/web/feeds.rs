//! Atom feeds: the newest articles (optionally of one site) and the results of a search.

use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::AppState;
use super::views::{AtomFeed, origin, render};
use crate::error::Error;
use crate::ingest::url_key::normalise_site;
use crate::search::SearchQuery;

/// Entries in a feed: enough for a reader that polls daily.
const FEED_ENTRIES: i64 = 50;

#[derive(Debug, Deserialize)]
pub struct FeedParams {
    site: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct SearchFeedParams {
    #[serde(default)]
    q: String,
}

pub async fn newest_feed(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(params): Query<FeedParams>,
) -> Result<Response, Error> {
    let site = params
        .site
        .as_deref()
        .map(normalise_site)
        .filter(|s| !s.is_empty());
    let articles = state
        .store
        .newest_for_feed(site.as_deref(), FEED_ENTRIES)
        .await?;
    Ok(atom(render(
        StatusCode::OK,
        &AtomFeed::newest(origin(&headers), site, articles),
    )))
}

pub async fn search_feed(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(params): Query<SearchFeedParams>,
) -> Result<Response, Error> {
    let results = state
        .store
        .search(&SearchQuery::parse(&params.q), 1)
        .await?;
    Ok(atom(render(
        StatusCode::OK,
        &AtomFeed::search(origin(&headers), &params.q, results),
    )))
}

fn atom(mut response: Response) -> Response {
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/atom+xml; charset=utf-8"),
    );
    response.into_response()
}
