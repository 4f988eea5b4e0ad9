//! The JSON API under `/api/`: the same listing, search and articles as the pages, as data.
//! Errors are JSON bodies with a stable `code`.

use std::time::Duration;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use super::AppState;
use super::access::Visitor;
use super::submit::submit_status;
use super::views::with_retry_after;
use crate::archiver::SubmitError;
use crate::article::{ArticleId, Slug, permalink};
use crate::error::Error;
use crate::ingest::RelatedLink;
use crate::ingest::url_key::normalise_site;
use crate::search::{SearchQuery, snippet_parts};
use crate::store::{ArticleSummary, Cursor, ListQuery, MAX_SEARCH_PAGE, SearchHit, StoredArticle};

#[derive(Debug, Deserialize)]
pub struct ArticlesParams {
    q: Option<String>,
    site: Option<String>,
    before: Option<String>,
    after: Option<String>,
    page: Option<i64>,
}

/// A listing or search page: `older`/`newer` are cursors for `before=`/`after=`; search pages
/// have `next_page` instead.
#[derive(Debug, Serialize)]
pub struct ArticleList {
    articles: Vec<ArticleListItem>,
    #[serde(skip_serializing_if = "Option::is_none")]
    older: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    newer: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_page: Option<i64>,
}

#[derive(Debug, Serialize)]
pub struct ArticleListItem {
    id: String,
    permalink: String,
    title: String,
    site: Option<String>,
    published: Option<String>,
    archived_at: String,
    word_count: i64,
    /// The excerpt, or for a search hit the text around the matches.
    summary: String,
}

#[derive(Debug, Serialize)]
pub struct ArticleDetail {
    id: String,
    permalink: String,
    title: String,
    byline: Option<String>,
    credits: Vec<String>,
    published_raw: Option<String>,
    published: Option<String>,
    site: Option<String>,
    original_url: Option<String>,
    language: Option<String>,
    body_html: String,
    body_text: String,
    related: Vec<RelatedLink>,
    word_count: i64,
    source: String,
    archived_at: String,
    updated_at: String,
}

/// `GET /api/articles`: `?q=` searches (ranked, `page=`), otherwise the newest-first listing
/// (`site=`, `before=`, `after=` as on the listing page).
pub async fn list_articles(
    State(state): State<AppState>,
    Query(params): Query<ArticlesParams>,
) -> Result<Json<ArticleList>, ApiError> {
    if let Some(q) = params.q.filter(|q| !q.trim().is_empty()) {
        let mut query = SearchQuery::parse(&q);
        if let Some(site) = params.site.as_deref() {
            query.site = Some(normalise_site(site));
        }
        let page = params.page.unwrap_or(1).clamp(1, MAX_SEARCH_PAGE);
        let results = state.store.search(&query, page).await?;
        return Ok(Json(ArticleList {
            next_page: results.more.then_some(page + 1),
            articles: results
                .hits
                .into_iter()
                .map(ArticleListItem::from)
                .collect(),
            older: None,
            newer: None,
        }));
    }
    let query = ListQuery {
        site: params
            .site
            .as_deref()
            .map(normalise_site)
            .filter(|s| !s.is_empty()),
        before: params.before.as_deref().and_then(Cursor::parse),
        after: params.after.as_deref().and_then(Cursor::parse),
    };
    let page = state.store.list(&query).await?;
    Ok(Json(ArticleList {
        articles: page
            .articles
            .into_iter()
            .map(ArticleListItem::from)
            .collect(),
        older: page.older.map(|cursor| cursor.to_string()),
        newer: page.newer.map(|cursor| cursor.to_string()),
        next_page: None,
    }))
}

/// `GET /api/articles/{id}`.
pub async fn show_article(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<ArticleDetail>, ApiError> {
    let id = ArticleId::parse(&id).ok_or(Error::NotFound)?;
    let article = state.store.article(&id).await?.ok_or(Error::NotFound)?;
    Ok(Json(ArticleDetail::try_from(article)?))
}

#[derive(Debug, Deserialize)]
pub struct SubmitRequest {
    url: String,
}

#[derive(Debug, Serialize)]
pub struct Submitted {
    id: String,
    permalink: String,
    already_archived: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    archived_at: Option<String>,
}

/// `POST /api/articles` with `{"url": ...}`: the same pipeline as the form. 201 when archived
/// now, 200 when it already was.
pub async fn submit_article(
    State(state): State<AppState>,
    visitor: Visitor,
    Json(request): Json<SubmitRequest>,
) -> Result<(StatusCode, Json<Submitted>), ApiError> {
    let archived = state.archiver.archive(visitor.client, &request.url).await?;
    let status = if archived.already_archived_at.is_some() {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((
        status,
        Json(Submitted {
            id: archived.id.to_string(),
            permalink: archived.permalink,
            already_archived: archived.already_archived_at.is_some(),
            archived_at: archived.already_archived_at,
        }),
    ))
}

/// `DELETE /api/articles/{id}`: 204, or 404 for an unknown id.
pub async fn delete_article(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id = ArticleId::parse(&id).ok_or(Error::NotFound)?;
    if state.store.delete_article(&id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(Error::NotFound.into())
    }
}

fn permalink_of(id: &str, slug: String) -> String {
    ArticleId::parse(id).map_or_else(String::new, |id| permalink(&id, &Slug::from_stored(slug)))
}

impl From<ArticleSummary> for ArticleListItem {
    fn from(row: ArticleSummary) -> Self {
        Self {
            permalink: permalink_of(&row.id, row.slug),
            id: row.id,
            title: row.title,
            site: row.site,
            published: row.published_at,
            archived_at: row.archived_at,
            word_count: row.word_count,
            summary: row.excerpt,
        }
    }
}

impl From<SearchHit> for ArticleListItem {
    fn from(hit: SearchHit) -> Self {
        Self {
            permalink: permalink_of(&hit.id, hit.slug),
            id: hit.id,
            title: hit.title,
            site: hit.site,
            published: hit.published_at,
            archived_at: hit.archived_at,
            word_count: hit.word_count,
            summary: snippet_parts(&hit.snippet)
                .into_iter()
                .map(|(text, _)| text)
                .collect(),
        }
    }
}

impl TryFrom<StoredArticle> for ArticleDetail {
    type Error = Error;

    fn try_from(article: StoredArticle) -> Result<Self, Error> {
        Ok(Self {
            body_text: article.body_text()?,
            permalink: permalink_of(&article.id, article.slug),
            id: article.id,
            title: article.title,
            byline: article.byline,
            credits: serde_json::from_str(&article.credits).unwrap_or_default(),
            published_raw: article.published_raw,
            published: article.published_at,
            site: article.site,
            original_url: article.original_url,
            language: article.language,
            body_html: article.body_html,
            related: serde_json::from_str(&article.related).unwrap_or_default(),
            word_count: article.word_count,
            source: article.source_kind,
            archived_at: article.archived_at,
            updated_at: article.updated_at,
        })
    }
}

/// The JSON face of an error: `{"error": {"code": "...", "message": "..."}}`.
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
    retry_after: Option<Duration>,
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: ErrorDetail<'a>,
}

#[derive(Serialize)]
struct ErrorDetail<'a> {
    code: &'a str,
    message: &'a str,
}

impl From<Error> for ApiError {
    fn from(error: Error) -> Self {
        match error {
            Error::NotFound => Self {
                status: StatusCode::NOT_FOUND,
                code: "not_found",
                message: "There is no article with this id.".to_owned(),
                retry_after: None,
            },
            other => {
                tracing::error!(error = %other, "API request failed");
                Self {
                    status: StatusCode::INTERNAL_SERVER_ERROR,
                    code: "internal",
                    message: "The server could not answer this request.".to_owned(),
                    retry_after: None,
                }
            }
        }
    }
}

impl From<SubmitError> for ApiError {
    fn from(error: SubmitError) -> Self {
        if let SubmitError::Internal(inner) = error {
            return inner.into();
        }
        Self {
            status: submit_status(&error),
            code: error.code(),
            message: error.to_string(),
            retry_after: error.retry_after(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code,
                message: &self.message,
            },
        };
        with_retry_after((self.status, Json(body)).into_response(), self.retry_after)
    }
}
