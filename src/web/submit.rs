//! Handlers for adding an article by URL: the form, its submission, and the bookmarklet.

use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::AppState;
use super::access::Visitor;
use super::views::{AddPage, origin, render, with_retry_after};
use crate::archiver::SubmitError;

#[derive(Debug, Deserialize)]
pub struct AddParams {
    #[serde(default)]
    url: String,
}

/// `GET /add`, optionally pre-filled by the bookmarklet with `?url=`.
pub async fn show_add_form(
    visitor: Visitor,
    headers: HeaderMap,
    Query(params): Query<AddParams>,
) -> Response {
    let page = AddPage::new(params.url, None, visitor.csrf_token(), origin(&headers));
    render(StatusCode::OK, &page)
}

/// `POST /add`: archive the URL and go to its permalink, or show the form again with the reason.
pub async fn submit_url(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    Form(params): Form<AddParams>,
) -> Response {
    match state.archiver.archive(visitor.client, &params.url).await {
        Ok(archived) => match archived.already_archived_at {
            Some(_) => Redirect::to(&format!("{}?already=1", archived.permalink)).into_response(),
            None => Redirect::to(&archived.permalink).into_response(),
        },
        Err(error) => {
            let status = submit_status(&error);
            let retry_after = error.retry_after();
            let page = AddPage::new(
                params.url,
                Some(error.to_string()),
                visitor.csrf_token(),
                origin(&headers),
            );
            with_retry_after(render(status, &page), retry_after)
        }
    }
}

/// 422 for anything about the submitted page, 429 when busy or submitting too often, 500 for
/// our own failures.
pub fn submit_status(error: &SubmitError) -> StatusCode {
    match error {
        SubmitError::Busy | SubmitError::TooFrequent(_) => StatusCode::TOO_MANY_REQUESTS,
        SubmitError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    }
}
