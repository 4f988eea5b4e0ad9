//! Handlers that change the archive by hand: deleting an article (after a confirmation page).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::AppState;
use super::access::Visitor;
use super::views::{DeletePage, render};
use crate::article::ArticleId;
use crate::error::Error;

/// `GET /delete/{id}`: asks before deleting.
pub async fn confirm_delete(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<Response, Error> {
    let id = ArticleId::parse(&id).ok_or(Error::NotFound)?;
    let article = state.store.article(&id).await?.ok_or(Error::NotFound)?;
    Ok(render(
        StatusCode::OK,
        &DeletePage::new(&article, visitor.csrf_token()),
    ))
}

/// `POST /delete/{id}`: deletes, then back to the listing.
pub async fn delete_article(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, Error> {
    let id = ArticleId::parse(&id).ok_or(Error::NotFound)?;
    if !state.store.delete_article(&id).await? {
        return Err(Error::NotFound);
    }
    tracing::info!(%id, "article deleted");
    Ok(Redirect::to("/").into_response())
}
