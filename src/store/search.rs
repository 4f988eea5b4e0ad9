//! Full-text search over the FTS5 index: keeping it in step with articles, and ranked queries.

use sqlx::SqliteConnection;

use super::bodies::{html_columns, join_raw};
use super::write::NewArticle;
use super::{ArticleHtml, Store, StoredText};
use crate::error::Error;
use crate::search::{SearchQuery, index_text};

/// Results per search page, and the deepest page offered (ranked results past that are noise).
pub const SEARCH_PAGE_SIZE: i64 = 20;
pub const MAX_SEARCH_PAGE: i64 = 50;

/// One search hit: the article's listing fields and a snippet with marked matches.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SearchHit {
    pub id: String,
    pub slug: String,
    pub title: String,
    pub site: Option<String>,
    pub published_raw: Option<String>,
    pub published_at: Option<String>,
    pub archived_at: String,
    pub word_count: i64,
    /// Body text around the matches, matched words marked (see [`crate::search::snippet_parts`]).
    #[sqlx(skip)]
    pub snippet: String,
    /// What the snippet is cut from: the article's text, read with its html.
    text: StoredText,
    #[sqlx(flatten, try_from = "ArticleHtml")]
    body_html: String,
}

/// A page of results; `more` when a further page exists.
#[derive(Debug, Clone)]
pub struct SearchPage {
    pub hits: Vec<SearchHit>,
    pub more: bool,
}

/// Ranked by bm25 ([`super::ranking`]) with the title weighing most, then byline/credits and
/// site, then the body, among the 1,000 most recently archived matches: as many as the
/// [`MAX_SEARCH_PAGE`] pages offered hold. FTS5 walks its index newest rowid first and stops
/// there, so a query matching half the archive costs no more than one matching a thousand
/// articles.
///
/// The page of matches is chosen first (rowids only); the body text (stored against the html,
/// so both) comes back for those rows alone, and the snippet is cut from it in Rust.
/// `$matches` (the `FROM` and `WHERE` of the candidates) is one of the two below.
macro_rules! ranked {
    ($matches:literal) => {
        concat!(
            "WITH candidates AS (
                SELECT article_search.rowid AS rowid,
                       search_rank(article_search, (SELECT min(rowid) FROM articles),
                                   (SELECT max(rowid) FROM articles)) AS score
             ",
            $matches,
            "   ORDER BY article_search.rowid DESC
                LIMIT 1000
             ),
             page AS (SELECT rowid, score FROM candidates ORDER BY score LIMIT ?5 OFFSET ?6)
             SELECT a.id, a.slug, a.title, a.site, a.published_raw, a.published_at, a.archived_at,
                    a.word_count, b.text, ",
            html_columns!(),
            " FROM page JOIN articles AS a ON a.rowid = page.rowid
                 JOIN article_bodies AS b ON b.article_id = a.id",
            join_raw!(),
            "ORDER BY page.score"
        )
    };
}

/// Words only: the index alone chooses the candidates.
const RANKED: &str = ranked!(
    "FROM article_search
     WHERE article_search MATCH ?1 AND ?2 IS NULL AND ?3 IS NULL AND ?4 IS NULL"
);

/// Words and filters: each candidate is checked against its article.
const RANKED_FILTERED: &str = ranked!(
    "FROM article_search JOIN articles AS a ON a.rowid = article_search.rowid
     WHERE article_search MATCH ?1
       AND (?2 IS NULL OR a.site = ?2 OR a.site LIKE '%.' || ?2)
       AND (?3 IS NULL OR a.sort_key < ?3)
       AND (?4 IS NULL OR a.sort_key >= ?4)"
);

/// Filters only (no words): newest first, the excerpt standing in for a snippet.
const FILTERED: &str =
    "SELECT id, slug, title, site, published_raw, published_at, archived_at, word_count,
        excerpt AS text, '' AS body_html, NULL AS raw
 FROM articles
 WHERE (?2 IS NULL OR site = ?2 OR site LIKE '%.' || ?2)
   AND (?3 IS NULL OR sort_key < ?3)
   AND (?4 IS NULL OR sort_key >= ?4)
   AND ?1 IS NULL
 ORDER BY sort_key DESC, id DESC
 LIMIT ?5 OFFSET ?6";

impl Store {
    /// One page (1-based) of results. A query without words but with filters lists the
    /// filtered articles newest first; an empty query finds nothing.
    pub async fn search(&self, query: &SearchQuery, page: i64) -> Result<SearchPage, Error> {
        let expression = query.match_expression();
        if expression.is_none() && (query.has_words() || !query.has_filters()) {
            return Ok(SearchPage {
                hits: Vec::new(),
                more: false,
            });
        }
        let sql = match (expression.is_some(), query.has_filters()) {
            (true, false) => RANKED,
            (true, true) => RANKED_FILTERED,
            (false, _) => FILTERED,
        };
        let page = page.clamp(1, MAX_SEARCH_PAGE);
        let mut hits: Vec<SearchHit> = sqlx::query_as(sql)
            .bind(&expression)
            .bind(&query.site)
            .bind(&query.before)
            .bind(&query.after)
            .bind(SEARCH_PAGE_SIZE + 1)
            .bind((page - 1) * SEARCH_PAGE_SIZE)
            .fetch_all(&self.pool)
            .await?;
        let more = hits.len() > SEARCH_PAGE_SIZE as usize && page < MAX_SEARCH_PAGE;
        hits.truncate(SEARCH_PAGE_SIZE as usize);
        for hit in &mut hits {
            let text = hit.text.read(&hit.body_html)?;
            hit.snippet = if expression.is_some() {
                query.snippet(&text)
            } else {
                text
            };
        }
        Ok(SearchPage { hits, more })
    }
}

/// The text an article contributes to the index, prepared ahead of the write.
pub(super) struct SearchEntry {
    title: String,
    people: String,
    body: String,
    site: Option<String>,
}

impl SearchEntry {
    pub(super) fn of(article: &NewArticle) -> Self {
        let parsed = &article.parsed;
        Self::new(
            &parsed.title,
            parsed.byline.iter().chain(&parsed.credits),
            &parsed.body_text,
            article.site.as_deref(),
        )
    }

    fn new<'a>(
        title: &str,
        people: impl Iterator<Item = &'a String>,
        body: &str,
        site: Option<&str>,
    ) -> Self {
        let people: Vec<&str> = people.map(String::as_str).collect();
        Self {
            title: index_text(title),
            people: index_text(&people.join("\n")),
            body: index_text(body),
            site: site.map(index_text),
        }
    }
}

/// Articles indexed per transaction when the index is filled again.
const REFILL_BATCH: i64 = 500;

/// Set by a migration that emptied the index: the rowid up to which articles have been indexed
/// again since. Gone once every article is.
const REFILL_SETTING: &str = "search_index_refill";

/// An article as stored, read to be indexed again.
#[derive(sqlx::FromRow)]
struct ArticleToIndex {
    rowid: i64,
    title: String,
    byline: Option<String>,
    /// JSON list of lines.
    credits: String,
    site: Option<String>,
    text: StoredText,
    #[sqlx(flatten, try_from = "ArticleHtml")]
    body_html: String,
}

impl ArticleToIndex {
    fn entry(&self) -> Result<SearchEntry, Error> {
        let credits: Vec<String> = serde_json::from_str(&self.credits)?;
        Ok(SearchEntry::new(
            &self.title,
            self.byline.iter().chain(&credits),
            &self.text.read(&self.body_html)?,
            self.site.as_deref(),
        ))
    }
}

impl Store {
    /// Indexes every article again from what is stored, when a migration has emptied the index
    /// (see `migrations/0009_search_body_first.sql`). One batch per transaction, each recording
    /// how far it got, so an interrupted refill goes on where it stopped; the batches of two
    /// processes opening the archive at once take turns.
    pub(super) async fn refill_search_index(&self) -> Result<(), Error> {
        // Read first without a write lock: nearly every time, there is nothing to do.
        if refilled_up_to(&self.pool).await?.is_none() {
            return Ok(());
        }
        tracing::info!("search index: filling it again from the stored articles");
        let mut indexed = 0;
        loop {
            let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
            let Some(after) = refilled_up_to(&mut *tx).await? else {
                break;
            };
            let batch = index_batch_after(&mut tx, after).await?;
            tx.commit().await?;
            indexed += batch;
        }
        tracing::info!(articles = indexed, "search index: filled again");
        Ok(())
    }
}

async fn refilled_up_to<'c>(executor: impl sqlx::SqliteExecutor<'c>) -> Result<Option<i64>, Error> {
    Ok(
        sqlx::query_scalar("SELECT CAST(value AS INTEGER) FROM settings WHERE name = ?1")
            .bind(REFILL_SETTING)
            .fetch_optional(executor)
            .await?,
    )
}

/// Indexes the next batch of articles after rowid `after` and records how far it got, or, when
/// none is left, that the refill is done. Returns how many it indexed.
async fn index_batch_after(conn: &mut SqliteConnection, after: i64) -> Result<usize, Error> {
    let articles: Vec<ArticleToIndex> = sqlx::query_as(concat!(
        "SELECT a.rowid, a.title, a.byline, a.credits, a.site, b.text, ",
        html_columns!(),
        " FROM articles AS a JOIN article_bodies AS b ON b.article_id = a.id",
        join_raw!(),
        "WHERE a.rowid > ?1 ORDER BY a.rowid LIMIT ?2"
    ))
    .bind(after)
    .bind(REFILL_BATCH)
    .fetch_all(&mut *conn)
    .await?;
    let entries = articles
        .iter()
        .map(ArticleToIndex::entry)
        .collect::<Result<Vec<_>, _>>()?;
    let mut batch = IndexBatch::default();
    for (article, entry) in articles.iter().zip(&entries) {
        batch.add(article.rowid, false, entry);
    }
    batch.write(conn).await?;
    match articles.last() {
        Some(last) => {
            sqlx::query("UPDATE settings SET value = ?2 WHERE name = ?1")
                .bind(REFILL_SETTING)
                .bind(last.rowid.to_string())
                .execute(&mut *conn)
                .await?;
        }
        None => {
            sqlx::query("DELETE FROM settings WHERE name = ?1")
                .bind(REFILL_SETTING)
                .execute(&mut *conn)
                .await?;
        }
    }
    Ok(articles.len())
}

/// Search entries written together, after the rows of the articles in a transaction.
///
/// FTS5 writes the terms it holds in memory out to a new index segment at the start of every
/// statement that might have to be undone, which, inside a transaction, is nearly every write.
/// Entries written one statement each therefore made one segment per article, and FTS5 then
/// spent most of an import merging them. One statement for the whole batch makes one segment.
#[derive(Default)]
pub(super) struct IndexBatch<'a> {
    replaced: Vec<i64>,
    entries: Vec<(i64, &'a str, &'a str, &'a str, Option<&'a str>)>,
}

impl<'a> IndexBatch<'a> {
    /// The article at `rowid` gets `entry`, replacing its old one when it had been saved before.
    pub(super) fn add(&mut self, rowid: i64, replace: bool, entry: &'a SearchEntry) {
        if replace {
            self.replaced.push(rowid);
        }
        self.entries.push((
            rowid,
            &entry.title,
            &entry.people,
            &entry.body,
            entry.site.as_deref(),
        ));
    }

    /// Writes the batch, in the transaction that saved its articles.
    pub(super) async fn write(self, conn: &mut SqliteConnection) -> Result<(), Error> {
        if !self.replaced.is_empty() {
            sqlx::query(
                "DELETE FROM article_search WHERE rowid IN (SELECT value FROM json_each(?1))",
            )
            .bind(serde_json::to_string(&self.replaced)?)
            .execute(&mut *conn)
            .await?;
        }
        if !self.entries.is_empty() {
            sqlx::query(
                "INSERT INTO article_search (rowid, title, people, body, site)
                 SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4
                 FROM json_each(?1)",
            )
            .bind(serde_json::to_string(&self.entries)?)
            .execute(&mut *conn)
            .await?;
        }
        Ok(())
    }
}
