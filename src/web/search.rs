//! Handler for `/search`: the query language in, ranked results with highlighted snippets out.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::AppState;
use super::views::{SearchResultsPage, render};
use crate::error::Error;
use crate::search::SearchQuery;

#[derive(Debug, Deserialize)]
pub struct SearchParams {
    #[serde(default)]
    q: String,
    page: Option<i64>,
}

pub async fn search_articles(
    State(state): State<AppState>,
    Query(params): Query<SearchParams>,
) -> Result<Response, Error> {
    let query = SearchQuery::parse(&params.q);
    let page = params.page.unwrap_or(1).max(1);
    let results = state.store.search(&query, page).await?;
    Ok(render(
        StatusCode::OK,
        &SearchResultsPage::new(params.q, page, results),
    ))
}
