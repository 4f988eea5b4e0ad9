//! Handlers for the reading pages: the listing and the article page.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::AppState;
use super::views::{ArticlePage, ErrorPage, ListingPage, SitesPage, render};
use crate::article::{ArticleId, Slug, permalink};
use crate::error::Error;
use crate::ingest::url_key::normalise_site;
use crate::store::{Cursor, ListQuery};

#[derive(Debug, Deserialize)]
pub struct ListingParams {
    site: Option<String>,
    before: Option<String>,
    after: Option<String>,
}

pub async fn list_articles(
    State(state): State<AppState>,
    Query(params): Query<ListingParams>,
) -> Result<Response, Error> {
    let site = params
        .site
        .map(|site| normalise_site(&site))
        .filter(|site| !site.is_empty());
    let query = ListQuery {
        site: site.clone(),
        before: params.before.as_deref().and_then(Cursor::parse),
        after: params.after.as_deref().and_then(Cursor::parse),
    };
    let page = state.store.list(&query).await?;
    Ok(render(StatusCode::OK, &ListingPage::new(site, page)))
}

#[derive(Debug, Deserialize)]
pub struct ArticleParams {
    /// Set by the add form when the submitted URL was already archived.
    already: Option<String>,
}

pub async fn show_article(
    State(state): State<AppState>,
    Path((id, slug)): Path<(String, String)>,
    Query(params): Query<ArticleParams>,
) -> Result<Response, Error> {
    show(state, &id, Some(&slug), params.already.is_some()).await
}

pub async fn show_article_without_slug(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(params): Query<ArticleParams>,
) -> Result<Response, Error> {
    show(state, &id, None, params.already.is_some()).await
}

/// Shows the article, or redirects (308) to its canonical permalink when the slug differs.
async fn show(
    state: AppState,
    id: &str,
    slug: Option<&str>,
    already_archived: bool,
) -> Result<Response, Error> {
    let requested = match slug {
        Some(slug) => format!("/a/{id}/{slug}"),
        None => format!("/a/{id}"),
    };
    let id = ArticleId::parse(id).ok_or(Error::NotFound)?;
    let Some(article) = state.store.article(&id).await? else {
        return Err(match state.store.deleted_article(&id).await? {
            Some(gone) => Error::Gone {
                title: gone.title,
                deleted_at: gone.deleted_at,
            },
            None => Error::NotFound,
        });
    };
    let canonical = permalink(&id, &Slug::from_stored(article.slug.clone()));
    if requested != canonical {
        let target = if already_archived {
            format!("{canonical}?already=1")
        } else {
            canonical
        };
        return Ok(Redirect::permanent(&target).into_response());
    }
    let neighbours = state.store.neighbours(&article).await?;
    Ok(render(
        StatusCode::OK,
        &ArticlePage::new(article, neighbours, already_archived),
    ))
}

pub async fn list_sites(State(state): State<AppState>) -> Result<Response, Error> {
    let sites = state.store.sites().await?;
    Ok(render(StatusCode::OK, &SitesPage::new(sites)))
}

/// `GET /healthz`: 200 when the database answers, 503 otherwise.
pub async fn health(State(state): State<AppState>) -> (StatusCode, &'static str) {
    if state.store.is_healthy().await {
        (StatusCode::OK, "ok\n")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n")
    }
}

pub async fn not_found() -> ErrorPage {
    ErrorPage::for_status(StatusCode::NOT_FOUND)
}
