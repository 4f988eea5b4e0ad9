//! Saving articles: what is prepared ahead of the write, and the transactions around it. Every
//! article, imported, fetched or extracted again, is written by [`super::batch`].

use sha2::{Digest, Sha256};

use super::batch::{save_article, save_articles};
use super::search::SearchEntry;
use super::{Store, bodies};
use crate::article::{ArticleId, Slug};
use crate::error::Error;
use crate::ingest::ParsedArticle;

/// Where an article came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    ArchiveFile,
    Fetched,
}

impl SourceKind {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            Self::ArchiveFile => "archive-file",
            Self::Fetched => "fetched",
        }
    }
}

/// An article ready to be saved: what was parsed, plus where it came from.
pub struct NewArticle {
    pub id: ArticleId,
    pub parsed: ParsedArticle,
    /// The normalised original URL; another article already holding it keeps it.
    pub url_key: Option<String>,
    pub site: Option<String>,
    pub source_kind: SourceKind,
    /// The file name, or the final URL of a fetch.
    pub source_name: String,
    /// The source bytes exactly as received.
    pub raw: Vec<u8>,
}

/// An article with the work that needs no database done ahead (hashing, compressing, preparing
/// the search entry and the columns drawn from the text), on the caller's thread, so the write
/// transaction only writes.
pub struct PreparedArticle {
    pub article: NewArticle,
    pub(super) hash: String,
    pub(super) slug: Slug,
    pub(super) credits: String,
    pub(super) related: String,
    pub(super) excerpt: String,
    pub(super) word_count: i64,
    pub(super) compressed_raw: Vec<u8>,
    pub(super) compressed_html: Vec<u8>,
    pub(super) compressed_text: Vec<u8>,
    pub(super) search: SearchEntry,
}

impl NewArticle {
    pub fn prepare(self) -> Result<PreparedArticle, Error> {
        let parsed = &self.parsed;
        Ok(PreparedArticle {
            hash: content_hash(&self),
            slug: Slug::from_title(&parsed.title),
            credits: serde_json::to_string(&parsed.credits)?,
            related: serde_json::to_string(&parsed.related)?,
            excerpt: excerpt(&parsed.body_text),
            word_count: i64::try_from(parsed.body_text.split_whitespace().count())
                .unwrap_or(i64::MAX),
            compressed_raw: bodies::compress(&self.raw)?,
            compressed_html: bodies::compress_html(&parsed.body_html, &self.raw)?,
            compressed_text: bodies::compress_text(&parsed.body_text, &parsed.body_html)?,
            search: SearchEntry::of(&self),
            article: self,
        })
    }
}

/// How a fetched page was obtained, recorded beside the article.
pub struct FetchRecord {
    pub requested_url: String,
    pub final_url: String,
    pub http_status: u16,
    pub content_type: Option<String>,
    pub fetched_at: String,
}

/// What saving an article did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveOutcome {
    Inserted,
    Updated,
    Unchanged,
}

const EXCERPT_CHARS: usize = 240;

impl Store {
    /// Saves articles in one `BEGIN IMMEDIATE` transaction: new ids are inserted, changed ones
    /// updated in place (the permalink stays), identical ones left alone.
    pub async fn save_all(&self, articles: &[PreparedArticle]) -> Result<Vec<SaveOutcome>, Error> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let outcomes = save_articles(&mut tx, articles).await?;
        tx.commit().await?;
        self.changed();
        Ok(outcomes)
    }

    /// Saves a fetched article with its fetch record and the other URL keys that lead to it
    /// (the address submitted, when the page named another canonical URL), in one transaction.
    pub async fn save_fetched(
        &self,
        prepared: &PreparedArticle,
        fetch: &FetchRecord,
        aliases: &[String],
    ) -> Result<SaveOutcome, Error> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let outcome = save_article(&mut tx, prepared).await?;
        let article = &prepared.article;
        sqlx::query(
            "INSERT INTO fetches (article_id, requested_url, final_url, http_status, content_type,
                 fetched_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )
        .bind(article.id.as_str())
        .bind(&fetch.requested_url)
        .bind(&fetch.final_url)
        .bind(fetch.http_status)
        .bind(&fetch.content_type)
        .bind(&fetch.fetched_at)
        .execute(&mut *tx)
        .await?;
        for alias in aliases
            .iter()
            .filter(|alias| Some(*alias) != article.url_key.as_ref())
        {
            sqlx::query("INSERT OR IGNORE INTO url_aliases (url_key, article_id) VALUES (?1, ?2)")
                .bind(alias)
                .bind(article.id.as_str())
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        self.changed();
        Ok(outcome)
    }
}

impl Store {
    /// Deletes an article and everything kept with it, leaving a tombstone so its permalink
    /// answers "gone". Returns false when there was no such article.
    pub async fn delete_article(&self, id: &ArticleId) -> Result<bool, Error> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        sqlx::query(
            "INSERT OR REPLACE INTO deleted_articles (id, title, deleted_at)
             SELECT id, title, strftime('%Y-%m-%dT%H:%M:%SZ', 'now') FROM articles WHERE id = ?1",
        )
        .bind(id.as_str())
        .execute(&mut *tx)
        .await?;
        let deleted = sqlx::query("DELETE FROM articles WHERE id = ?1")
            .bind(id.as_str())
            .execute(&mut *tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        self.changed();
        Ok(deleted > 0)
    }
}

/// A hash of everything that is shown of the article, so re-importing an identical file is a no-op.
fn content_hash(article: &NewArticle) -> String {
    let mut hasher = Sha256::new();
    hasher.update(serde_json::to_vec(&article.parsed).unwrap_or_default());
    for part in [&article.url_key, &article.site] {
        hasher.update([0]);
        hasher.update(part.as_deref().unwrap_or_default());
    }
    hasher.update([0]);
    hasher.update(&article.raw);
    hex::encode(hasher.finalize())
}

/// The first words of the body, cut at a word boundary.
fn excerpt(body_text: &str) -> String {
    let first_paragraph = body_text
        .split("\n\n")
        .find(|p| !p.trim().is_empty())
        .unwrap_or("");
    let flat = first_paragraph
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if flat.chars().count() <= EXCERPT_CHARS {
        return flat;
    }
    let cut: String = flat.chars().take(EXCERPT_CHARS).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", cut.trim_end_matches([',', ';', ':', '.']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_end_on_a_word() {
        let long = "word ".repeat(100);
        let cut = excerpt(&long);
        assert!(cut.ends_with("word…") && cut.chars().count() <= EXCERPT_CHARS + 1);
        assert_eq!(excerpt("\n\nShort one.\n\nSecond."), "Short one.");
    }
}
