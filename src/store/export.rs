//! Reading the whole archive out, in batches, for `tearsheet export`.

use super::{ArticleHtml, Store};
use crate::error::Error;

/// An article with everything export writes, including its raw source.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ExportedArticle {
    pub id: String,
    pub sort_key: String,
    pub source_kind: String,
    pub title: String,
    pub byline: Option<String>,
    pub credits: String,
    pub published_raw: Option<String>,
    pub published_at: Option<String>,
    pub original_url: Option<String>,
    #[sqlx(flatten, try_from = "ArticleHtml")]
    pub body_html: String,
    pub related: String,
    /// zstd-compressed source bytes, if kept (the html may be compressed against them).
    pub raw: Option<Vec<u8>>,
}

impl ExportedArticle {
    /// The source bytes as received.
    pub fn raw_bytes(&self) -> Result<Option<Vec<u8>>, Error> {
        self.raw
            .as_deref()
            .map(zstd::decode_all)
            .transpose()
            .map_err(Error::from)
    }
}

impl Store {
    /// Up to `limit` articles in archive order (oldest first), after the `(sort_key, id)` of the
    /// last one read.
    pub async fn articles_for_export(
        &self,
        after: Option<(&str, &str)>,
        limit: i64,
    ) -> Result<Vec<ExportedArticle>, Error> {
        let (sort_key, id) = after.unwrap_or(("", ""));
        Ok(sqlx::query_as(
            "SELECT a.id, a.sort_key, a.source_kind, a.title, a.byline, a.credits, a.published_raw,
                    a.published_at, a.original_url, b.html AS body_html, a.related, r.bytes AS raw
             FROM articles AS a JOIN article_bodies AS b ON b.article_id = a.id
                 LEFT JOIN raw_sources AS r ON r.article_id = a.id
             WHERE (a.sort_key, a.id) > (?1, ?2)
             ORDER BY a.sort_key ASC, a.id ASC LIMIT ?3",
        )
        .bind(sort_key)
        .bind(id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }
}
