//! One view struct per page: the values a template prints, prepared so templates only loop and
//! branch. Askama escapes every value except the article body, which is already sanitized.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use crate::article::{ArticleId, Slug, permalink};
use crate::ingest::RelatedLink;
use crate::search::snippet_parts;
use crate::store::{
    ArticleSummary, Cursor, ListPage, Neighbours, SearchHit, SearchPage, StoredArticle,
};

pub use super::assets::stylesheet_path;

/// Words a reader reads per minute, for "N min read".
const WORDS_PER_MINUTE: i64 = 230;

/// Renders a page with a status; the one way every HTML page leaves the server.
pub fn render(status: StatusCode, page: &impl Template) -> Response {
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(error) => {
            tracing::error!(%error, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "Internal error").into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "listing.html")]
pub struct ListingPage {
    pub heading: String,
    pub site: Option<String>,
    pub articles: Vec<ArticleRow>,
    pub newer_href: Option<String>,
    pub older_href: Option<String>,
}

pub struct ArticleRow {
    pub href: String,
    pub title: String,
    pub site: Option<SiteLink>,
    pub date: DateView,
    pub excerpt: String,
    pub minutes: i64,
}

pub struct SiteLink {
    pub name: String,
    pub href: String,
}

pub struct DateView {
    pub iso: String,
    pub text: String,
}

impl ListingPage {
    pub fn new(site: Option<String>, page: ListPage) -> Self {
        let page_href = |param: &str, cursor: Cursor| match &site {
            Some(site) => format!("/?site={}&{param}={cursor}", url_escape(site)),
            None => format!("/?{param}={cursor}"),
        };
        Self {
            heading: site.clone().unwrap_or_else(|| "Archive".to_owned()),
            newer_href: page.newer.map(|cursor| page_href("after", cursor)),
            older_href: page.older.map(|cursor| page_href("before", cursor)),
            articles: page.articles.into_iter().map(ArticleRow::from).collect(),
            site,
        }
    }
}

impl From<ArticleSummary> for ArticleRow {
    fn from(summary: ArticleSummary) -> Self {
        Self {
            href: href_of(&summary.id, summary.slug.clone()),
            date: date_view(
                summary.published_raw,
                summary.published_at,
                &summary.archived_at,
            ),
            site: summary.site.map(site_link),
            minutes: reading_minutes(summary.word_count),
            title: display_title(summary.title),
            excerpt: summary.excerpt,
        }
    }
}

#[derive(Template)]
#[template(path = "article.html")]
pub struct ArticlePage {
    pub canonical: String,
    pub title: String,
    pub language: Option<String>,
    pub date: DateView,
    pub site: Option<SiteLink>,
    pub byline: Option<String>,
    pub credits: Vec<String>,
    /// Sanitized when stored; the only raw HTML a template prints.
    pub body_html: String,
    pub related: Vec<RelatedLink>,
    pub original_url: Option<String>,
    pub archived: DateView,
    pub minutes: i64,
    pub newer: Option<NavLink>,
    pub older: Option<NavLink>,
}

pub struct NavLink {
    pub href: String,
    pub title: String,
}

impl ArticlePage {
    pub fn new(article: StoredArticle, neighbours: Neighbours) -> Self {
        let nav = |summary: ArticleSummary| NavLink {
            href: href_of(&summary.id, summary.slug),
            title: display_title(summary.title),
        };
        let related: Vec<RelatedLink> = serde_json::from_str(&article.related).unwrap_or_default();
        Self {
            canonical: href_of(&article.id, article.slug),
            date: date_view(
                article.published_raw,
                article.published_at,
                &article.archived_at,
            ),
            archived: date_view(None, None, &article.archived_at),
            site: article.site.map(site_link),
            byline: article.byline,
            credits: serde_json::from_str(&article.credits).unwrap_or_default(),
            body_html: article.body_html,
            related: related.into_iter().map(web_safe_related).collect(),
            original_url: article.original_url.filter(|url| is_web_url(url)),
            minutes: reading_minutes(article.word_count),
            title: display_title(article.title),
            language: article.language,
            newer: neighbours.newer.map(nav),
            older: neighbours.older.map(nav),
        }
    }
}

#[derive(Template)]
#[template(path = "search.html")]
pub struct SearchResultsPage {
    pub query: String,
    pub hits: Vec<SearchResultRow>,
    pub previous_href: Option<String>,
    pub next_href: Option<String>,
}

pub struct SearchResultRow {
    pub href: String,
    pub title: String,
    pub site: Option<SiteLink>,
    pub date: DateView,
    pub minutes: i64,
    pub snippet: Vec<SnippetPart>,
}

/// A piece of a snippet; `matched` pieces are highlighted. Both are escaped when printed.
pub struct SnippetPart {
    pub text: String,
    pub matched: bool,
}

impl SearchResultsPage {
    pub fn new(query: String, page: i64, results: SearchPage) -> Self {
        let page_href = |n: i64| format!("/search?q={}&page={n}", url_escape(&query));
        Self {
            previous_href: (page > 1).then(|| page_href(page - 1)),
            next_href: results.more.then(|| page_href(page + 1)),
            hits: results
                .hits
                .into_iter()
                .map(SearchResultRow::from)
                .collect(),
            query,
        }
    }
}

impl From<SearchHit> for SearchResultRow {
    fn from(hit: SearchHit) -> Self {
        Self {
            href: href_of(&hit.id, hit.slug),
            date: date_view(hit.published_raw, hit.published_at, &hit.archived_at),
            site: hit.site.map(site_link),
            minutes: reading_minutes(hit.word_count),
            title: display_title(hit.title),
            snippet: snippet_parts(&hit.snippet)
                .into_iter()
                .map(|(text, matched)| SnippetPart { text, matched })
                .collect(),
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub status: u16,
    pub title: &'static str,
    pub message: &'static str,
}

impl ErrorPage {
    pub fn for_status(status: StatusCode) -> Self {
        let (title, message) = match status {
            StatusCode::NOT_FOUND => (
                "Not found",
                "There is no article at this address. Check the link, or browse the archive.",
            ),
            _ => (
                "Something went wrong",
                "The server could not answer this request. Please try again later.",
            ),
        };
        Self {
            status: status.as_u16(),
            title,
            message,
        }
    }
}

impl IntoResponse for ErrorPage {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        render(status, &self)
    }
}

fn href_of(id: &str, slug: String) -> String {
    match ArticleId::parse(id) {
        Some(id) => permalink(&id, &Slug::from_stored(slug)),
        None => "/".to_owned(),
    }
}

fn display_title(title: String) -> String {
    if title.trim().is_empty() {
        "Untitled".to_owned()
    } else {
        title
    }
}

fn site_link(site: String) -> SiteLink {
    SiteLink {
        href: format!("/?site={}", url_escape(&site)),
        name: site,
    }
}

fn date_view(raw: Option<String>, parsed: Option<String>, archived_at: &str) -> DateView {
    match (raw, parsed) {
        (Some(text), Some(iso)) => DateView { iso, text },
        (None, Some(iso)) => DateView {
            text: iso.get(..10).unwrap_or(&iso).to_owned(),
            iso,
        },
        (Some(text), None) => DateView {
            iso: String::new(),
            text,
        },
        (None, None) => DateView {
            iso: archived_at.to_owned(),
            text: archived_at.get(..10).unwrap_or(archived_at).to_owned(),
        },
    }
}

fn reading_minutes(words: i64) -> i64 {
    ((words + WORDS_PER_MINUTE - 1) / WORDS_PER_MINUTE).max(1)
}

fn is_web_url(url: &str) -> bool {
    url::Url::parse(url).is_ok_and(|url| matches!(url.scheme(), "http" | "https"))
}

fn web_safe_related(link: RelatedLink) -> RelatedLink {
    RelatedLink {
        url: link.url.filter(|url| is_web_url(url)),
        ..link
    }
}

fn url_escape(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}
