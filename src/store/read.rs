//! Read queries: one article, the newest-first listing with keyset cursors, and neighbours.

use sqlx::AssertSqlSafe;

use super::bodies::{html_columns, join_raw};
use super::{ArticleHtml, Store, StoredText};
use crate::article::ArticleId;
use crate::error::Error;

/// Everything shown on an article page.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StoredArticle {
    pub id: String,
    pub slug: String,
    pub title: String,
    pub byline: Option<String>,
    pub credits: String,
    pub published_raw: Option<String>,
    pub published_at: Option<String>,
    pub site: Option<String>,
    pub original_url: Option<String>,
    #[sqlx(flatten, try_from = "ArticleHtml")]
    pub body_html: String,
    /// Read by [`StoredArticle::body_text`]: the page shows the html alone.
    text: StoredText,
    pub related: String,
    pub excerpt: String,
    pub word_count: i64,
    pub site_name: Option<String>,
    pub language: Option<String>,
    pub source_kind: String,
    pub source_name: String,
    pub archived_at: String,
    pub updated_at: String,
    pub sort_key: String,
}

impl StoredArticle {
    /// The article's text, as extracted beside its html.
    pub fn body_text(&self) -> Result<String, Error> {
        self.text.read(&self.body_html)
    }
}

/// A site and how many articles the archive holds from it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SiteCount {
    pub site: String,
    pub articles: i64,
}

/// One entry of a feed: the listing fields plus the body.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FeedArticle {
    pub id: String,
    pub slug: String,
    pub title: String,
    pub byline: Option<String>,
    pub site: Option<String>,
    pub published_at: Option<String>,
    pub archived_at: String,
    pub updated_at: String,
    pub excerpt: String,
    #[sqlx(flatten, try_from = "ArticleHtml")]
    pub body_html: String,
}

/// What remains of a deleted article.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DeletedArticle {
    pub title: String,
    pub deleted_at: String,
}

/// An article already in the archive under some URL.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct KnownArticle {
    pub id: String,
    pub slug: String,
    pub archived_at: String,
}

/// One row of a listing.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ArticleSummary {
    pub id: String,
    pub slug: String,
    pub title: String,
    pub site: Option<String>,
    pub published_raw: Option<String>,
    pub published_at: Option<String>,
    pub archived_at: String,
    pub excerpt: String,
    pub word_count: i64,
    pub sort_key: String,
}

impl ArticleSummary {
    pub fn cursor(&self) -> Cursor {
        Cursor {
            sort_key: self.sort_key.clone(),
            id: self.id.clone(),
        }
    }
}

/// A position in the newest-first order: `(sort_key, id)` of an article.
/// Written in URLs as `2026-05-20T00:00:00Z.70abc109823b7fac`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    sort_key: String,
    id: String,
}

impl Cursor {
    pub fn parse(text: &str) -> Option<Self> {
        let (sort_key, id) = text.rsplit_once('.')?;
        let id = ArticleId::parse(id)?;
        let plausible = sort_key.len() == 20
            && sort_key
                .bytes()
                .all(|b| b.is_ascii_digit() || b"-:TZ".contains(&b));
        plausible.then(|| Self {
            sort_key: sort_key.to_owned(),
            id: id.as_str().to_owned(),
        })
    }
}

impl std::fmt::Display for Cursor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.sort_key, self.id)
    }
}

/// Which page of the listing to read.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    pub site: Option<String>,
    /// Articles older than this (the "next page" link).
    pub before: Option<Cursor>,
    /// Articles newer than this (the "previous page" link).
    pub after: Option<Cursor>,
}

/// One page of a listing, newest first, with cursors for the pages on either side.
#[derive(Debug, Clone)]
pub struct ListPage {
    pub articles: Vec<ArticleSummary>,
    pub older: Option<Cursor>,
    pub newer: Option<Cursor>,
}

/// The articles just before and after one article in the listing order.
#[derive(Debug, Clone, Default)]
pub struct Neighbours {
    pub newer: Option<ArticleSummary>,
    pub older: Option<ArticleSummary>,
}

pub const PAGE_SIZE: i64 = 50;

/// Above every real sort key, so "older than TOP" is the first page.
const TOP: (&str, &str) = ("~", "");

const ALL_OLDER: &str =
    "SELECT id, slug, title, site, published_raw, published_at, archived_at, excerpt,
        word_count, sort_key
 FROM articles WHERE (sort_key, id) < (?1, ?2) ORDER BY sort_key DESC, id DESC";
const ALL_NEWER: &str =
    "SELECT id, slug, title, site, published_raw, published_at, archived_at, excerpt,
        word_count, sort_key
 FROM articles WHERE (sort_key, id) > (?1, ?2) ORDER BY sort_key ASC, id ASC";
const SITE_OLDER: &str =
    "SELECT id, slug, title, site, published_raw, published_at, archived_at, excerpt,
        word_count, sort_key
 FROM articles WHERE site = ?3 AND (sort_key, id) < (?1, ?2)
 ORDER BY sort_key DESC, id DESC";
const SITE_NEWER: &str =
    "SELECT id, slug, title, site, published_raw, published_at, archived_at, excerpt,
        word_count, sort_key
 FROM articles WHERE site = ?3 AND (sort_key, id) > (?1, ?2)
 ORDER BY sort_key ASC, id ASC";

/// The article just newer and the one just older than `(?1, ?2)` in one statement (one trip to
/// the database for an article page instead of two); `newer` tells which is which.
const NEIGHBOURS: &str = "SELECT * FROM (
     SELECT 1 AS newer, id, slug, title, site, published_raw, published_at, archived_at, excerpt,
         word_count, sort_key
     FROM articles WHERE (sort_key, id) > (?1, ?2) ORDER BY sort_key ASC, id ASC LIMIT 1)
 UNION ALL
 SELECT * FROM (
     SELECT 0 AS newer, id, slug, title, site, published_raw, published_at, archived_at, excerpt,
         word_count, sort_key
     FROM articles WHERE (sort_key, id) < (?1, ?2) ORDER BY sort_key DESC, id DESC LIMIT 1)";

/// One row of [`NEIGHBOURS`].
#[derive(sqlx::FromRow)]
struct Neighbour {
    newer: bool,
    #[sqlx(flatten)]
    summary: ArticleSummary,
}

const FEED_ALL: &str = concat!(
    "SELECT a.id, a.slug, a.title, a.byline, a.site, a.published_at, a.archived_at, a.updated_at,
        a.excerpt, ",
    html_columns!(),
    " FROM articles AS a JOIN article_bodies AS b ON b.article_id = a.id",
    join_raw!(),
    "WHERE ?1 IS NULL ORDER BY a.sort_key DESC, a.id DESC"
);
const FEED_SITE: &str = concat!(
    "SELECT a.id, a.slug, a.title, a.byline, a.site, a.published_at, a.archived_at, a.updated_at,
        a.excerpt, ",
    html_columns!(),
    " FROM articles AS a JOIN article_bodies AS b ON b.article_id = a.id",
    join_raw!(),
    "WHERE a.site = ?1 ORDER BY a.sort_key DESC, a.id DESC"
);

/// The listing queries, for `EXPLAIN QUERY PLAN` checks in tests. Each query's `LIMIT` is
/// appended as a number, see [`with_limit`] ([`NEIGHBOURS`] takes one more, harmlessly).
pub const LISTING_QUERIES: [&str; 5] = [ALL_OLDER, ALL_NEWER, SITE_OLDER, SITE_NEWER, NEIGHBOURS];

impl Store {
    pub async fn article(&self, id: &ArticleId) -> Result<Option<StoredArticle>, Error> {
        Ok(sqlx::query_as(concat!(
            "SELECT a.id, a.slug, a.title, a.byline, a.credits, a.published_raw, a.published_at,
                    a.site, a.original_url, b.text, a.related, a.excerpt, a.word_count,
                    a.site_name, a.language, a.source_kind, a.source_name, a.archived_at,
                    a.updated_at, a.sort_key, ",
            html_columns!(),
            " FROM articles AS a JOIN article_bodies AS b ON b.article_id = a.id",
            join_raw!(),
            "WHERE a.id = ?1"
        ))
        .bind(id.as_str())
        .fetch_optional(&self.pool)
        .await?)
    }

    pub async fn deleted_article(&self, id: &ArticleId) -> Result<Option<DeletedArticle>, Error> {
        Ok(
            sqlx::query_as("SELECT title, deleted_at FROM deleted_articles WHERE id = ?1")
                .bind(id.as_str())
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// Every site with its number of articles, most articles first.
    pub async fn sites(&self) -> Result<Vec<SiteCount>, Error> {
        Ok(sqlx::query_as(
            "SELECT site, count(*) AS articles FROM articles WHERE site IS NOT NULL
             GROUP BY site ORDER BY articles DESC, site ASC",
        )
        .fetch_all(&self.pool)
        .await?)
    }

    /// The newest articles with their bodies, for a feed; optionally of one site.
    pub async fn newest_for_feed(
        &self,
        site: Option<&str>,
        limit: i64,
    ) -> Result<Vec<FeedArticle>, Error> {
        let sql = match site {
            None => FEED_ALL,
            Some(_) => FEED_SITE,
        };
        Ok(sqlx::query_as(with_limit(sql, limit))
            .bind(site)
            .fetch_all(&self.pool)
            .await?)
    }

    /// The article that a normalised URL leads to, as its own URL or as an alias.
    pub async fn article_by_url_key(&self, url_key: &str) -> Result<Option<KnownArticle>, Error> {
        Ok(sqlx::query_as(
            "SELECT id, slug, archived_at FROM articles WHERE url_key = ?1
             UNION ALL
             SELECT a.id, a.slug, a.archived_at
             FROM url_aliases AS u JOIN articles AS a ON a.id = u.article_id
             WHERE u.url_key = ?1
             LIMIT 1",
        )
        .bind(url_key)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// One page of the newest-first listing, optionally of one site.
    pub async fn list(&self, query: &ListQuery) -> Result<ListPage, Error> {
        let going_newer = query.before.is_none() && query.after.is_some();
        let cursor = match (&query.before, &query.after) {
            (Some(before), _) => (before.sort_key.as_str(), before.id.as_str()),
            (None, Some(after)) => (after.sort_key.as_str(), after.id.as_str()),
            (None, None) => TOP,
        };
        let mut articles = self
            .summaries(going_newer, cursor, query.site.as_deref(), PAGE_SIZE + 1)
            .await?;
        let more = articles.len() > PAGE_SIZE as usize;
        articles.truncate(PAGE_SIZE as usize);
        if going_newer {
            articles.reverse();
        }
        let (first, last) = (
            articles.first().map(ArticleSummary::cursor),
            articles.last().map(ArticleSummary::cursor),
        );
        let (older, newer) = if going_newer {
            (last, first.filter(|_| more))
        } else {
            (
                last.filter(|_| more),
                first.filter(|_| query.before.is_some()),
            )
        };
        Ok(ListPage {
            articles,
            older,
            newer,
        })
    }

    /// The articles on either side of `article` in the full listing.
    pub async fn neighbours(&self, article: &StoredArticle) -> Result<Neighbours, Error> {
        let rows: Vec<Neighbour> = sqlx::query_as(NEIGHBOURS)
            .bind(&article.sort_key)
            .bind(&article.id)
            .fetch_all(&self.pool)
            .await?;
        let mut neighbours = Neighbours::default();
        for row in rows {
            if row.newer {
                neighbours.newer = Some(row.summary);
            } else {
                neighbours.older = Some(row.summary);
            }
        }
        Ok(neighbours)
    }

    async fn summaries(
        &self,
        newer: bool,
        (sort_key, id): (&str, &str),
        site: Option<&str>,
        limit: i64,
    ) -> Result<Vec<ArticleSummary>, Error> {
        let sql = match (newer, site.is_some()) {
            (false, false) => ALL_OLDER,
            (true, false) => ALL_NEWER,
            (false, true) => SITE_OLDER,
            (true, true) => SITE_NEWER,
        };
        Ok(sqlx::query_as(with_limit(sql, limit))
            .bind(sort_key)
            .bind(id)
            .bind(site)
            .fetch_all(&self.pool)
            .await?)
    }
}

/// `sql` with `LIMIT n` written in. A bound `LIMIT ?` makes SQLite prepare the statement again
/// on every run (the planner takes the limit's value into account); a number keeps one cached
/// statement per limit, and the few limits used are all constants.
pub(super) fn with_limit(sql: &str, limit: i64) -> AssertSqlSafe<String> {
    AssertSqlSafe(format!("{sql} LIMIT {limit}"))
}
