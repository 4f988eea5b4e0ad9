//! The one write path: a batch of articles, imported, fetched or extracted again, written in the
//! caller's transaction as if one after another. The stored versions and URL holders are read
//! for many articles at once and the rows written many to a statement, because each statement is
//! a round trip to the connection's thread.

use std::collections::{HashMap, HashSet};

use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

use super::search::IndexBatch;
use super::write::{NewArticle, PreparedArticle, SaveOutcome, SourceKind};
use crate::error::Error;

/// Rows per multi-row `INSERT`. Every statement is a round trip to the connection's thread,
/// which cost more than the row itself when each article took five; 64 rows of 22 values stay
/// far below SQLite's limit of 32,766.
const ROWS_PER_STATEMENT: usize = 64;

/// Saves articles inside the caller's transaction, as if one after another: the stored versions
/// and URL holders are read for many at once, their rows written in multi-row statements, then
/// their search entries in one statement per run (see [`IndexBatch`]).
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
    source_kind: String,
}

/// An article to write, with the URL key it gets.
struct ArticleRow<'a> {
    prepared: &'a PreparedArticle,
    url_key: Option<String>,
    /// The article was in the archive before: its search entry is replaced.
    was_stored: bool,
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
        if before.is_some_and(|before| is_fetched_page_kept(before, &prepared.article)) {
            tracing::warn!(
                id = %prepared.article.id,
                "this article was fetched from the web: an archive file (its export) does not \
                 replace the page kept with it; `tearsheet reextract` reads that page again"
            );
            outcomes.push(SaveOutcome::Unchanged);
            continue;
        }
        let held_before = before.and_then(|before| before.url_key.as_deref());
        rows.push(ArticleRow {
            prepared,
            url_key: claim_url_key(&mut holders, &prepared.article, held_before),
            was_stored: before.is_some(),
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
        let rowids = save_article_rows(conn, chunk, &now).await?;
        save_bodies(conn, chunk).await?;
        save_raw_sources(conn, chunk).await?;
        for row in chunk {
            let rowid = rowids
                .get(row.prepared.article.id.as_str())
                .copied()
                .ok_or(sqlx::Error::RowNotFound)?;
            index.add(rowid, row.was_stored, &row.prepared.search);
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
        "SELECT id, content_hash, url_key, source_kind FROM articles
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

/// Whether an article fetched from the web keeps its page against `incoming`: an archive file
/// with its id is, in practice, its own export being imported back, and saving it would put
/// the export's text in place of the page as received, which nothing could extract again.
fn is_fetched_page_kept(before: &StoredVersion, incoming: &NewArticle) -> bool {
    before.source_kind == SourceKind::Fetched.as_str()
        && incoming.source_kind == SourceKind::ArchiveFile
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
/// order: a key an article leaves (for another or none) is free for the articles after it. That
/// holds in the database too only because the rows are written in this order, one multi-row
/// `INSERT` after another, and SQLite applies an `INSERT`'s rows in the order given.
fn claim_url_key(
    holders: &mut HashMap<String, String>,
    article: &NewArticle,
    held_before: Option<&str>,
) -> Option<String> {
    let id = article.id.as_str();
    let claimed = article
        .url_key
        .as_ref()
        .and_then(|key| match holders.get(key) {
            Some(holder) if holder != id => {
                tracing::warn!(%id, %holder, url = %key, "another article has the same URL");
                None
            }
            _ => Some(key.clone()),
        });
    if let Some(left) = held_before.filter(|left| claimed.as_deref() != Some(*left)) {
        holders.remove(left);
    }
    if let Some(key) = &claimed {
        holders.insert(key.clone(), id.to_owned());
    }
    claimed
}

/// The statement is kept prepared for a full chunk and for one article (a fetch); a shorter last
/// chunk of an import is prepared for its one use.
fn is_kept_prepared(chunk: &[ArticleRow]) -> bool {
    chunk.len() == ROWS_PER_STATEMENT || chunk.len() == 1
}

/// Inserts or updates the chunk's `articles` rows (the id, hence the permalink, stays), and
/// returns each one's rowid by id.
async fn save_article_rows(
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
        .persistent(is_kept_prepared(chunk))
        .fetch_all(&mut *conn)
        .await?;
    Ok(rowids.into_iter().collect())
}

async fn save_bodies(conn: &mut SqliteConnection, chunk: &[ArticleRow<'_>]) -> Result<(), Error> {
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
        .persistent(is_kept_prepared(chunk))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

async fn save_raw_sources(
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
        .persistent(is_kept_prepared(chunk))
        .execute(&mut *conn)
        .await?;
    Ok(())
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
}
