//! What `tearsheet reextract` reads and writes: the stored page of a fetched article, and the
//! article saved again under its old permalink.

use super::Store;
use super::batch::save_article;
use super::write::{PreparedArticle, SaveOutcome};
use crate::article::{ArticleId, Slug};
use crate::error::Error;

/// A fetched article's page as it was received, with what its first extraction was told.
#[derive(Debug, sqlx::FromRow)]
pub struct StoredPage {
    pub id: String,
    pub slug: String,
    pub site: Option<String>,
    pub url_key: Option<String>,
    pub source_name: String,
    /// The fetch's final URL and Content-Type, which the page was read against (for a page
    /// imported from an export: its URL, and no Content-Type).
    pub final_url: String,
    pub content_type: Option<String>,
    /// zstd-compressed bytes.
    compressed: Vec<u8>,
}

impl StoredPage {
    pub fn bytes(&self) -> Result<Vec<u8>, Error> {
        Ok(zstd::decode_all(self.compressed.as_slice())?)
    }
}

/// An article as `reextract` finds it.
pub enum Reextractable {
    Missing,
    /// Imported from a text file, or fetched before pages were kept: nothing to read again.
    NoPage,
    Page(Box<StoredPage>),
}

impl Store {
    /// Every article id, oldest first.
    pub async fn article_ids(&self) -> Result<Vec<String>, Error> {
        Ok(
            sqlx::query_scalar("SELECT id FROM articles ORDER BY archived_at, id")
                .fetch_all(&self.pool)
                .await?,
        )
    }

    /// Whether an article of this id is in the archive (deleted ones are not).
    pub async fn has_article(&self, id: &ArticleId) -> Result<bool, Error> {
        article_exists(&self.pool, id).await
    }

    /// The stored page of an article and its latest fetch. A page imported from an export has
    /// no fetch on record: it is read against the URL it was imported with.
    pub async fn stored_page(&self, id: &ArticleId) -> Result<Reextractable, Error> {
        let kind: Option<String> =
            sqlx::query_scalar("SELECT source_kind FROM articles WHERE id = ?1")
                .bind(id.as_str())
                .fetch_optional(&self.pool)
                .await?;
        let Some(kind) = kind else {
            return Ok(Reextractable::Missing);
        };
        if kind != "fetched" {
            return Ok(Reextractable::NoPage);
        }
        let page: Option<StoredPage> = sqlx::query_as(
            "SELECT a.id, a.slug, a.site, a.url_key, a.source_name,
                    COALESCE(f.final_url, a.source_name) AS final_url, f.content_type,
                    r.bytes AS compressed
             FROM articles AS a
             JOIN raw_sources AS r ON r.article_id = a.id
             LEFT JOIN fetches AS f ON f.article_id = a.id
             WHERE a.id = ?1
             ORDER BY f.fetched_at DESC, f.id DESC LIMIT 1",
        )
        .bind(id.as_str())
        .fetch_optional(&self.pool)
        .await?;
        Ok(page.map_or(Reextractable::NoPage, |page| {
            Reextractable::Page(Box::new(page))
        }))
    }

    /// Saves a re-extracted article through the one write path, in one transaction, then puts
    /// back its slug: a permalink once given out never changes, even when the title improves.
    /// `None` when the article is no longer in the archive (deleted while its page was read):
    /// it stays deleted.
    pub async fn save_reextracted(
        &self,
        prepared: &PreparedArticle,
        slug: &Slug,
    ) -> Result<Option<SaveOutcome>, Error> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        if !article_exists(&mut *tx, &prepared.article.id).await? {
            return Ok(None);
        }
        let outcome = save_article(&mut tx, prepared).await?;
        sqlx::query("UPDATE articles SET slug = ?1 WHERE id = ?2")
            .bind(slug.as_str())
            .bind(prepared.article.id.as_str())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        self.changed();
        Ok(Some(outcome))
    }
}

/// Whether an article of this id is in the archive, read through `executor` (the pool, or a
/// transaction that is about to write it).
async fn article_exists<'c>(
    executor: impl sqlx::SqliteExecutor<'c>,
    id: &ArticleId,
) -> Result<bool, Error> {
    Ok(
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM articles WHERE id = ?1)")
            .bind(id.as_str())
            .fetch_one(executor)
            .await?,
    )
}
