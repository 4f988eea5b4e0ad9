//! One view struct per page: the values a template prints, prepared so templates only loop and
//! branch. Askama escapes every value except the article body, which is already sanitized.

use std::time::Duration;

use askama::Template;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

use crate::article::{ArticleId, Slug, permalink};
use crate::ingest::RelatedLink;
use crate::search::snippet_parts;
use crate::store::{
    ArticleSummary, Cursor, FeedArticle, ListPage, Neighbours, SearchHit, SearchPage, SiteCount,
    StoredArticle,
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
    pub feed_href: String,
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
            feed_href: match &site {
                Some(site) => format!("/feed.atom?site={}", url_escape(site)),
                None => "/feed.atom".to_owned(),
            },
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
    pub delete_href: String,
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
    /// Shown when a submission found the article already archived.
    pub already_archived: bool,
}

pub struct NavLink {
    pub href: String,
    pub title: String,
}

impl ArticlePage {
    pub fn new(article: StoredArticle, neighbours: Neighbours, already_archived: bool) -> Self {
        let nav = |summary: ArticleSummary| NavLink {
            href: href_of(&summary.id, summary.slug),
            title: display_title(summary.title),
        };
        let related: Vec<RelatedLink> = serde_json::from_str(&article.related).unwrap_or_default();
        let credits = serde_json::from_str(&article.credits).unwrap_or_default();
        let credits = credits_without_byline(credits, article.byline.as_deref());
        Self {
            delete_href: format!("/delete/{}", article.id),
            canonical: href_of(&article.id, article.slug),
            date: date_view(
                article.published_raw,
                article.published_at,
                &article.archived_at,
            ),
            archived: date_view(None, None, &article.archived_at),
            site: article.site.map(site_link),
            byline: article.byline,
            credits,
            body_html: article.body_html,
            related: related.into_iter().map(web_safe_related).collect(),
            original_url: article.original_url.filter(|url| is_web_url(url)),
            minutes: reading_minutes(article.word_count),
            title: display_title(article.title),
            language: article.language,
            newer: neighbours.newer.map(nav),
            older: neighbours.older.map(nav),
            already_archived,
        }
    }
}

#[derive(Template)]
#[template(path = "search.html")]
pub struct SearchResultsPage {
    pub query: String,
    pub feed_href: String,
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
            feed_href: format!("/search.atom?q={}", url_escape(&query)),
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
#[template(path = "add.html")]
pub struct AddPage {
    pub url: String,
    pub error: Option<String>,
    pub csrf: String,
    /// A `javascript:` link that sends the page being read to this form; none when the server's
    /// own address is not known.
    pub bookmarklet: Option<String>,
}

impl AddPage {
    pub fn new(url: String, error: Option<String>, csrf: String, origin: Option<String>) -> Self {
        let bookmarklet = origin.map(|origin| {
            format!(
                "javascript:location.href='{origin}/add?url='+encodeURIComponent(location.href)"
            )
        });
        Self {
            url,
            error,
            csrf,
            bookmarklet,
        }
    }
}

#[derive(Template)]
#[template(path = "sites.html")]
pub struct SitesPage {
    pub sites: Vec<SiteRow>,
}

pub struct SiteRow {
    pub link: SiteLink,
    pub articles: i64,
}

impl SitesPage {
    pub fn new(sites: Vec<SiteCount>) -> Self {
        let sites = sites
            .into_iter()
            .map(|row| SiteRow {
                link: site_link(row.site),
                articles: row.articles,
            })
            .collect();
        Self { sites }
    }
}

#[derive(Template)]
#[template(path = "feed.xml")]
pub struct AtomFeed {
    pub title: String,
    /// The feed's own address, which is also its id.
    pub self_url: String,
    /// The HTML page this feed follows.
    pub page_url: String,
    pub updated: String,
    pub entries: Vec<FeedEntry>,
}

pub struct FeedEntry {
    /// The absolute permalink: the entry's id and link.
    pub url: String,
    pub title: String,
    pub author: Option<String>,
    pub published: Option<String>,
    pub updated: String,
    pub summary: String,
    /// Sanitized HTML, escaped once more by the template as Atom `type="html"` requires.
    pub content: Option<String>,
}

impl AtomFeed {
    pub fn newest(
        origin: Option<String>,
        site: Option<String>,
        articles: Vec<FeedArticle>,
    ) -> Self {
        let base = origin.unwrap_or_default();
        let (title, query) = match &site {
            Some(site) => (
                format!("Tearsheet: {site}"),
                format!("?site={}", url_escape(site)),
            ),
            None => ("Tearsheet".to_owned(), String::new()),
        };
        let entries: Vec<FeedEntry> = articles
            .into_iter()
            .map(|article| FeedEntry {
                url: format!("{base}{}", href_of(&article.id, article.slug)),
                title: display_title(article.title),
                author: article.byline.or(article.site),
                published: article.published_at.as_deref().map(atom_date),
                updated: atom_date(&article.updated_at),
                summary: article.excerpt,
                content: Some(article.body_html),
            })
            .collect();
        Self {
            title,
            self_url: format!("{base}/feed.atom{query}"),
            page_url: format!("{base}/{query}"),
            updated: newest_update(&entries),
            entries,
        }
    }

    pub fn search(origin: Option<String>, query: &str, results: SearchPage) -> Self {
        let base = origin.unwrap_or_default();
        let entries: Vec<FeedEntry> = results
            .hits
            .into_iter()
            .map(|hit| FeedEntry {
                url: format!("{base}{}", href_of(&hit.id, hit.slug)),
                title: display_title(hit.title),
                author: hit.site,
                published: hit.published_at.as_deref().map(atom_date),
                updated: atom_date(&hit.archived_at),
                summary: snippet_parts(&hit.snippet)
                    .into_iter()
                    .map(|(text, _)| text)
                    .collect(),
                content: None,
            })
            .collect();
        let q = url_escape(query);
        Self {
            title: format!("Tearsheet search: {query}"),
            self_url: format!("{base}/search.atom?q={q}"),
            page_url: format!("{base}/search?q={q}"),
            updated: newest_update(&entries),
            entries,
        }
    }
}

/// Atom dates are RFC 3339 date-times; a date alone becomes midnight UTC.
fn atom_date(date: &str) -> String {
    match date.len() {
        10 => format!("{date}T00:00:00Z"),
        19 => format!("{date}Z"),
        _ => date.to_owned(),
    }
}

fn newest_update(entries: &[FeedEntry]) -> String {
    entries
        .iter()
        .map(|entry| entry.updated.clone())
        .max()
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_owned())
}

/// This server's origin as the browser reached it (for absolute links in feeds and the
/// bookmarklet). The Host header is used only when it is a plain `host[:port]`.
pub fn origin(headers: &axum::http::HeaderMap) -> Option<String> {
    let host = headers.get(axum::http::header::HOST)?.to_str().ok()?;
    let plain = !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b));
    plain.then(|| format!("http://{host}"))
}

#[derive(Template)]
#[template(path = "delete.html")]
pub struct DeletePage {
    pub title: String,
    pub action: String,
    pub back: String,
    pub csrf: String,
}

impl DeletePage {
    pub fn new(article: &StoredArticle, csrf: String) -> Self {
        Self {
            title: display_title(article.title.clone()),
            action: format!("/delete/{}", article.id),
            back: href_of(&article.id, article.slug.clone()),
            csrf,
        }
    }
}

#[derive(Template)]
#[template(path = "login.html")]
pub struct LoginPage {
    pub next: String,
    pub error: Option<&'static str>,
    pub csrf: String,
}

#[derive(Template)]
#[template(path = "logout.html")]
pub struct LogoutPage {
    pub csrf: String,
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub status: u16,
    pub title: String,
    pub message: String,
}

impl ErrorPage {
    pub fn for_status(status: StatusCode) -> Self {
        let (title, message) = match status {
            StatusCode::NOT_FOUND => (
                "Not found",
                "There is no article at this address. Check the link, or browse the archive.",
            ),
            StatusCode::SERVICE_UNAVAILABLE => (
                "Temporarily unavailable",
                "The archive cannot be changed right now (its disk may be full or read-only). \
                 Nothing was lost; please try again later.",
            ),
            _ => (
                "Something went wrong",
                "The server could not answer this request. Please try again later.",
            ),
        };
        Self {
            status: status.as_u16(),
            title: title.to_owned(),
            message: message.to_owned(),
        }
    }

    /// The permalink of a deleted article: its title, and when it went.
    pub fn gone(title: String, deleted_at: &str) -> Self {
        let day = deleted_at.get(..10).unwrap_or(deleted_at);
        Self {
            status: StatusCode::GONE.as_u16(),
            message: format!(
                "“{}” was deleted from the archive on {day}.",
                display_title(title)
            ),
            title: "Article deleted".to_owned(),
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

/// The parser keeps the printed "By Jane Doe" line among the credits and the name as the byline;
/// the page shows the byline once, so that credit line is left out.
fn credits_without_byline(credits: Vec<String>, byline: Option<&str>) -> Vec<String> {
    let Some(name) = byline else {
        return credits;
    };
    credits
        .into_iter()
        .filter(|credit| {
            let line = credit.trim();
            let names_the_byline = line
                .get(..2)
                .is_some_and(|by| by.eq_ignore_ascii_case("by"))
                && line
                    .get(2..)
                    .is_some_and(|rest| rest.trim_start_matches(':').trim() == name);
            !names_the_byline
        })
        .collect()
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

/// Adds `Retry-After` (whole seconds, at least one) when the client should wait.
pub fn with_retry_after(mut response: Response, wait: Option<Duration>) -> Response {
    if let Some(wait) = wait {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, wait.as_secs().max(1).into());
    }
    response
}
