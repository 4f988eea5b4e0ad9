//! The one write path: every article, imported or fetched, is saved by [`Store::save_all`].

use sha2::{Digest, Sha256};
use sqlx::SqliteConnection;

use super::search::{IndexBatch, SearchEntry};
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
    fn as_str(self) -> &'static str {
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
/// the search entry), on the caller's thread, so the write transaction only writes.
pub struct PreparedArticle {
    pub article: NewArticle,
    hash: String,
    compressed_raw: Vec<u8>,
    compressed_html: Vec<u8>,
    compressed_text: Vec<u8>,
    search: SearchEntry,
}

impl NewArticle {
    pub fn prepare(self) -> Result<PreparedArticle, Error> {
        Ok(PreparedArticle {
            hash: content_hash(&self),
            compressed_raw: bodies::compress(&self.raw)?,
            compressed_html: bodies::compress_html(&self.parsed.body_html, &self.raw)?,
            compressed_text: bodies::compress_text(&self.parsed.body_text, &self.parsed.body_html)?,
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

/// Saves articles inside the caller's transaction: each article's rows, then the search index
/// for all of them in one statement (see [`IndexBatch`]).
pub(super) async fn save_articles(
    conn: &mut SqliteConnection,
    articles: &[PreparedArticle],
) -> Result<Vec<SaveOutcome>, Error> {
    let mut index = IndexBatch::default();
    let mut outcomes = Vec::with_capacity(articles.len());
    for article in articles {
        outcomes.push(save_one(conn, article, &mut index).await?);
    }
    index.write(conn).await?;
    Ok(outcomes)
}

/// [`save_articles`] for one article.
pub(super) async fn save_article(
    conn: &mut SqliteConnection,
    prepared: &PreparedArticle,
) -> Result<SaveOutcome, Error> {
    let outcomes = save_articles(conn, std::slice::from_ref(prepared)).await?;
    Ok(outcomes.first().copied().unwrap_or(SaveOutcome::Unchanged))
}

/// Writes one article's rows; its search entry is added to `index`, written by the caller.
async fn save_one<'a>(
    conn: &mut SqliteConnection,
    prepared: &'a PreparedArticle,
    index: &mut IndexBatch<'a>,
) -> Result<SaveOutcome, Error> {
    let (article, hash) = (&prepared.article, &prepared.hash);
    let existing: Option<String> =
        sqlx::query_scalar("SELECT content_hash FROM articles WHERE id = ?1")
            .bind(article.id.as_str())
            .fetch_optional(&mut *conn)
            .await?;
    if existing.as_deref() == Some(hash.as_str()) {
        return Ok(SaveOutcome::Unchanged);
    }
    let url_key = unclaimed_url_key(conn, article).await?;
    let parsed = &article.parsed;
    let now = now_utc();
    let sort_key = sort_key(parsed.published_at.as_deref(), &now);
    let excerpt = excerpt(&parsed.body_text);
    let word_count = i64::try_from(parsed.body_text.split_whitespace().count()).unwrap_or(i64::MAX);
    let rowid: i64 = sqlx::query_scalar(
        "INSERT INTO articles (id, slug, title, byline, credits, published_raw, published_at, site,
             original_url, url_key, related, excerpt, word_count, site_name, language, lead_image,
             source_kind, source_name, archived_at, updated_at, sort_key, content_hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,
             ?19, ?19, ?20, ?21)
         ON CONFLICT (id) DO UPDATE SET
             slug = excluded.slug, title = excluded.title, byline = excluded.byline,
             credits = excluded.credits, published_raw = excluded.published_raw,
             published_at = excluded.published_at, site = excluded.site,
             original_url = excluded.original_url, url_key = excluded.url_key,
             related = excluded.related, excerpt = excluded.excerpt,
             word_count = excluded.word_count, site_name = excluded.site_name,
             language = excluded.language, lead_image = excluded.lead_image,
             source_kind = excluded.source_kind, source_name = excluded.source_name,
             updated_at = excluded.updated_at,
             sort_key = CASE WHEN excluded.published_at IS NULL THEN articles.archived_at
                             ELSE excluded.sort_key END,
             content_hash = excluded.content_hash
         RETURNING rowid",
    )
    .bind(article.id.as_str())
    .bind(Slug::from_title(&parsed.title).as_str())
    .bind(&parsed.title)
    .bind(&parsed.byline)
    .bind(serde_json::to_string(&parsed.credits)?)
    .bind(&parsed.published_raw)
    .bind(&parsed.published_at)
    .bind(&article.site)
    .bind(&parsed.original_url)
    .bind(url_key)
    .bind(serde_json::to_string(&parsed.related)?)
    .bind(excerpt)
    .bind(word_count)
    .bind(&parsed.site_name)
    .bind(&parsed.language)
    .bind(&parsed.lead_image)
    .bind(article.source_kind.as_str())
    .bind(&article.source_name)
    .bind(&now)
    .bind(&sort_key)
    .bind(hash)
    .fetch_one(&mut *conn)
    .await?;
    save_body(conn, prepared).await?;
    save_raw(conn, prepared).await?;
    index.add(rowid, existing.is_some(), &prepared.search);
    Ok(if existing.is_some() {
        SaveOutcome::Updated
    } else {
        SaveOutcome::Inserted
    })
}

async fn save_body(conn: &mut SqliteConnection, prepared: &PreparedArticle) -> Result<(), Error> {
    let article = &prepared.article;
    sqlx::query(
        "INSERT INTO article_bodies (article_id, html, text) VALUES (?1, ?2, ?3)
         ON CONFLICT (article_id) DO UPDATE SET html = excluded.html, text = excluded.text",
    )
    .bind(article.id.as_str())
    .bind(&prepared.compressed_html)
    .bind(&prepared.compressed_text)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

async fn save_raw(conn: &mut SqliteConnection, prepared: &PreparedArticle) -> Result<(), Error> {
    let article = &prepared.article;
    sqlx::query(
        "INSERT INTO raw_sources (article_id, compression, size, bytes) VALUES (?1, 'zstd', ?2, ?3)
         ON CONFLICT (article_id) DO UPDATE SET
             compression = excluded.compression, size = excluded.size, bytes = excluded.bytes",
    )
    .bind(article.id.as_str())
    .bind(i64::try_from(article.raw.len()).unwrap_or(i64::MAX))
    .bind(&prepared.compressed_raw)
    .execute(&mut *conn)
    .await?;
    Ok(())
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

/// The article's URL key, unless another article already holds it (two archive files of the same
/// page): that one keeps it, and this one is saved without.
async fn unclaimed_url_key(
    conn: &mut SqliteConnection,
    article: &NewArticle,
) -> Result<Option<String>, Error> {
    let Some(key) = &article.url_key else {
        return Ok(None);
    };
    let holder: Option<String> = sqlx::query_scalar("SELECT id FROM articles WHERE url_key = ?1")
        .bind(key)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(match holder {
        Some(holder) if holder != article.id.as_str() => {
            tracing::warn!(id = %article.id, %holder, url = %key, "another article has the same URL");
            None
        }
        _ => Some(key.clone()),
    })
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

fn now_utc() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Listing order: the publication date when known, else the archive date, always in the same
/// `YYYY-MM-DDTHH:MM:SSZ` shape so that text order is time order.
fn sort_key(published_at: Option<&str>, archived_at: &str) -> String {
    match published_at {
        Some(date) if date.len() >= 19 => format!("{}Z", &date[..19]),
        Some(date) if date.len() == 10 => format!("{date}T00:00:00Z"),
        _ => archived_at.to_owned(),
    }
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
    fn sort_keys_share_one_shape() {
        assert_eq!(sort_key(Some("2026-05-20"), "x"), "2026-05-20T00:00:00Z");
        assert_eq!(
            sort_key(Some("2026-05-20T10:32:00"), "x"),
            "2026-05-20T10:32:00Z"
        );
        assert_eq!(
            sort_key(Some("2026-05-20T10:32:00Z"), "x"),
            "2026-05-20T10:32:00Z"
        );
        assert_eq!(
            sort_key(None, "2026-11-28T02:00:00Z"),
            "2026-11-28T02:00:00Z"
        );
    }

    #[test]
    fn excerpts_end_on_a_word() {
        let long = "word ".repeat(100);
        let cut = excerpt(&long);
        assert!(cut.ends_with("word…") && cut.chars().count() <= EXCERPT_CHARS + 1);
        assert_eq!(excerpt("\n\nShort one.\n\nSecond."), "Short one.");
    }
}
