//! The one write path: every article, imported or fetched, is saved by [`Store::save_all`].

use std::collections::{HashMap, HashSet};

use sha2::{Digest, Sha256};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

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
/// the search entry and the columns drawn from the text), on the caller's thread, so the write
/// transaction only writes.
pub struct PreparedArticle {
    pub article: NewArticle,
    hash: String,
    slug: Slug,
    credits: String,
    related: String,
    excerpt: String,
    word_count: i64,
    compressed_raw: Vec<u8>,
    compressed_html: Vec<u8>,
    compressed_text: Vec<u8>,
    search: SearchEntry,
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

/// Rows per multi-row `INSERT`. Every statement is a round trip to the connection's thread,
/// which cost more than the row itself when each article took five; 64 rows of 21 values stay
/// far below SQLite's limit of 32,766.
const ROWS_PER_STATEMENT: usize = 64;

/// Saves articles inside the caller's transaction, as if one after another: the stored versions
/// and URL holders are read for all of them at once, their rows written in multi-row
/// statements, then the search index for all of them in one statement (see [`IndexBatch`]).
pub(super) async fn save_articles(
    conn: &mut SqliteConnection,
    articles: &[PreparedArticle],
) -> Result<Vec<SaveOutcome>, Error> {
    let mut outcomes = Vec::with_capacity(articles.len());
    for run in runs_of_distinct_ids(articles) {
        outcomes.extend(save_run(conn, run).await?);
    }
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

/// `articles` cut before each id seen earlier in the same run (one file named twice), so that a
/// run is read and written at once and an article saved twice is still saved in order.
fn runs_of_distinct_ids(articles: &[PreparedArticle]) -> Vec<&[PreparedArticle]> {
    let mut runs = Vec::new();
    let mut ids = HashSet::new();
    let mut start = 0;
    for (at, prepared) in articles.iter().enumerate() {
        if !ids.insert(prepared.article.id.as_str()) {
            runs.push(&articles[start..at]);
            start = at;
            ids.clear();
            ids.insert(prepared.article.id.as_str());
        }
    }
    runs.push(&articles[start..]);
    runs
}

/// What the archive holds of an article before it is saved again.
#[derive(sqlx::FromRow)]
struct StoredVersion {
    id: String,
    content_hash: String,
    url_key: Option<String>,
}

/// An article to write, with the URL key it gets.
struct ArticleRow<'a> {
    prepared: &'a PreparedArticle,
    url_key: Option<String>,
    replaces: bool,
}

/// [`save_articles`] for articles with distinct ids.
async fn save_run(
    conn: &mut SqliteConnection,
    run: &[PreparedArticle],
) -> Result<Vec<SaveOutcome>, Error> {
    if run.is_empty() {
        return Ok(Vec::new());
    }
    let stored = stored_versions(conn, run).await?;
    let mut holders = url_key_holders(conn, run).await?;
    let mut outcomes = Vec::with_capacity(run.len());
    let mut rows = Vec::with_capacity(run.len());
    for prepared in run {
        let before = stored.get(prepared.article.id.as_str());
        if before.is_some_and(|before| before.content_hash == prepared.hash) {
            outcomes.push(SaveOutcome::Unchanged);
            continue;
        }
        let held_before = before.and_then(|before| before.url_key.as_deref());
        rows.push(ArticleRow {
            prepared,
            url_key: claim_url_key(&mut holders, &prepared.article, held_before),
            replaces: before.is_some(),
        });
        outcomes.push(if before.is_some() {
            SaveOutcome::Updated
        } else {
            SaveOutcome::Inserted
        });
    }
    let now = now_utc();
    let mut index = IndexBatch::default();
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        let rowids = insert_articles(conn, chunk, &now).await?;
        insert_bodies(conn, chunk).await?;
        insert_raw_sources(conn, chunk).await?;
        for row in chunk {
            let rowid = rowids
                .get(row.prepared.article.id.as_str())
                .copied()
                .ok_or(sqlx::Error::RowNotFound)?;
            index.add(rowid, row.replaces, &row.prepared.search);
        }
    }
    index.write(conn).await?;
    Ok(outcomes)
}

/// The stored hash and URL key of each article of `run` already in the archive, by id.
async fn stored_versions(
    conn: &mut SqliteConnection,
    run: &[PreparedArticle],
) -> Result<HashMap<String, StoredVersion>, Error> {
    let ids: Vec<&str> = run.iter().map(|p| p.article.id.as_str()).collect();
    let stored: Vec<StoredVersion> = sqlx::query_as(
        "SELECT id, content_hash, url_key FROM articles
         WHERE id IN (SELECT value FROM json_each(?1))",
    )
    .bind(serde_json::to_string(&ids)?)
    .fetch_all(&mut *conn)
    .await?;
    Ok(stored
        .into_iter()
        .map(|version| (version.id.clone(), version))
        .collect())
}

/// Which article holds each URL key that an article of `run` has: key to id.
async fn url_key_holders(
    conn: &mut SqliteConnection,
    run: &[PreparedArticle],
) -> Result<HashMap<String, String>, Error> {
    let keys: Vec<&str> = run
        .iter()
        .filter_map(|p| p.article.url_key.as_deref())
        .collect();
    if keys.is_empty() {
        return Ok(HashMap::new());
    }
    let holders: Vec<(String, String)> = sqlx::query_as(
        "SELECT url_key, id FROM articles WHERE url_key IN (SELECT value FROM json_each(?1))",
    )
    .bind(serde_json::to_string(&keys)?)
    .fetch_all(&mut *conn)
    .await?;
    Ok(holders.into_iter().collect())
}

/// The article's URL key, unless another article already holds it (two archive files of the
/// same page): that one keeps it, and this one is saved without. `holders` follows the saves in
/// order: the key an article leaves is free for the articles after it.
fn claim_url_key(
    holders: &mut HashMap<String, String>,
    article: &NewArticle,
    held_before: Option<&str>,
) -> Option<String> {
    let id = article.id.as_str();
    let key = article.url_key.as_ref()?;
    let claimed = match holders.get(key) {
        Some(holder) if holder != id => {
            tracing::warn!(%id, %holder, url = %key, "another article has the same URL");
            None
        }
        _ => Some(key.clone()),
    };
    if let Some(left) = held_before.filter(|left| claimed.as_deref() != Some(*left)) {
        holders.remove(left);
    }
    if let Some(key) = &claimed {
        holders.insert(key.clone(), id.to_owned());
    }
    claimed
}

/// The statement's shape is cached for full chunks; a shorter last chunk is prepared once.
fn is_full(chunk: &[ArticleRow]) -> bool {
    chunk.len() == ROWS_PER_STATEMENT
}

/// Inserts or updates the chunk's `articles` rows (the id, hence the permalink, stays), and
/// returns each one's rowid by id.
async fn insert_articles(
    conn: &mut SqliteConnection,
    chunk: &[ArticleRow<'_>],
    now: &str,
) -> Result<HashMap<String, i64>, Error> {
    let mut insert = QueryBuilder::<Sqlite>::new(
        "INSERT INTO articles (id, slug, title, byline, credits, published_raw, published_at, site,
             original_url, url_key, related, excerpt, word_count, site_name, language, lead_image,
             source_kind, source_name, archived_at, updated_at, sort_key, content_hash) ",
    );
    insert.push_values(chunk, |mut values, row| {
        let (prepared, article) = (row.prepared, &row.prepared.article);
        let parsed = &article.parsed;
        values
            .push_bind(article.id.as_str())
            .push_bind(prepared.slug.as_str())
            .push_bind(parsed.title.as_str())
            .push_bind(parsed.byline.as_deref())
            .push_bind(prepared.credits.as_str())
            .push_bind(parsed.published_raw.as_deref())
            .push_bind(parsed.published_at.as_deref())
            .push_bind(article.site.as_deref())
            .push_bind(parsed.original_url.as_deref())
            .push_bind(row.url_key.as_deref())
            .push_bind(prepared.related.as_str())
            .push_bind(prepared.excerpt.as_str())
            .push_bind(prepared.word_count)
            .push_bind(parsed.site_name.as_deref())
            .push_bind(parsed.language.as_deref())
            .push_bind(parsed.lead_image.as_deref())
            .push_bind(article.source_kind.as_str())
            .push_bind(article.source_name.as_str())
            .push_bind(now)
            .push_bind(now)
            .push_bind(sort_key(parsed.published_at.as_deref(), now))
            .push_bind(prepared.hash.as_str());
    });
    insert.push(
        " ON CONFLICT (id) DO UPDATE SET
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
         RETURNING id, rowid",
    );
    let rowids: Vec<(String, i64)> = insert
        .build_query_as()
        .persistent(is_full(chunk))
        .fetch_all(&mut *conn)
        .await?;
    Ok(rowids.into_iter().collect())
}

async fn insert_bodies(conn: &mut SqliteConnection, chunk: &[ArticleRow<'_>]) -> Result<(), Error> {
    let mut insert =
        QueryBuilder::<Sqlite>::new("INSERT INTO article_bodies (article_id, html, text) ");
    insert.push_values(chunk, |mut values, row| {
        values
            .push_bind(row.prepared.article.id.as_str())
            .push_bind(row.prepared.compressed_html.as_slice())
            .push_bind(row.prepared.compressed_text.as_slice());
    });
    insert
        .push(" ON CONFLICT (article_id) DO UPDATE SET html = excluded.html, text = excluded.text");
    insert
        .build()
        .persistent(is_full(chunk))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

async fn insert_raw_sources(
    conn: &mut SqliteConnection,
    chunk: &[ArticleRow<'_>],
) -> Result<(), Error> {
    let mut insert = QueryBuilder::<Sqlite>::new(
        "INSERT INTO raw_sources (article_id, compression, size, bytes) ",
    );
    insert.push_values(chunk, |mut values, row| {
        let article = &row.prepared.article;
        values
            .push_bind(article.id.as_str())
            .push_bind("zstd")
            .push_bind(i64::try_from(article.raw.len()).unwrap_or(i64::MAX))
            .push_bind(row.prepared.compressed_raw.as_slice());
    });
    insert.push(
        " ON CONFLICT (article_id) DO UPDATE SET
             compression = excluded.compression, size = excluded.size, bytes = excluded.bytes",
    );
    insert
        .build()
        .persistent(is_full(chunk))
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
