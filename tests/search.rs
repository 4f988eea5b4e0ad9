//! Full-text search through the real server: the query language, ranking, snippets, filters,
//! hostile input, and the index following re-imports.

mod common;

use std::str::FromStr;

use common::{FixtureArticle, TestApp, write_corpus};
use tearsheet::search::SearchQuery;
use tearsheet::store::Store;

fn titles(html: &str) -> Vec<String> {
    dom_query::Document::from(html)
        .select(".articles h2 a")
        .iter()
        .map(|a| a.text().trim().to_owned())
        .collect()
}

async fn search(app: &TestApp, query: &str) -> Vec<String> {
    let url = format!(
        "/search?q={}",
        url::form_urlencoded::byte_serialize(query.as_bytes()).collect::<String>()
    );
    titles(&app.page(&url).await)
}

async fn app_with_articles() -> TestApp {
    let app = TestApp::start().await;
    let articles = [
        (
            "00000000000000a1",
            "Café owners meet the mayor",
            "May 3, 2026",
            "https://www.alpha.example/cafe",
            "The owners of every café on the square asked for longer opening hours.",
        ),
        (
            "00000000000000a2",
            "Tram line opens",
            "May 10, 2026",
            "https://city.alpha.example/tram",
            "The new tram line passes the café district. Owners expect more customers.",
        ),
        (
            "00000000000000a3",
            "Storm closes harbour",
            "April 2, 2026",
            "https://beta.example/storm",
            "A storm closed the harbour for two days; the ferry service resumed on Friday.",
        ),
        (
            "00000000000000a4",
            "北京会谈结束",
            "May 20, 2026",
            "https://gamma.example/beijing",
            "两国领导人在北京举行会谈，讨论贸易问题。",
        ),
        (
            "00000000000000a5",
            "Ferry timetables change",
            "May 15, 2026",
            "https://beta.example/ferry",
            "Ferries leave the harbour earlier from June. The storm season timetable is cancelled.",
        ),
        (
            "00000000000000a6",
            "Market stalls return",
            "May 12, 2026",
            "https://big-alpha.example/market",
            "Stall owners welcomed the return of the Saturday market.",
        ),
    ];
    let paths: Vec<_> = articles
        .iter()
        .enumerate()
        .map(|(n, (id, title, date, url, body))| {
            FixtureArticle {
                id,
                title,
                date,
                url,
                body,
            }
            .write(app.dir.path(), n)
        })
        .collect();
    app.import(&paths).await;
    app
}

#[tokio::test]
async fn words_phrases_exclusions_prefixes_and_ranking() {
    let app = app_with_articles().await;
    // Title matches rank above body matches.
    assert_eq!(
        search(&app, "cafe owners").await,
        ["Café owners meet the mayor", "Tram line opens"]
    );
    assert_eq!(search(&app, "\"tram line\"").await, ["Tram line opens"]);
    assert_eq!(
        search(&app, "harbour -storm").await,
        Vec::<String>::new(),
        "both harbour articles mention a storm"
    );
    assert_eq!(
        search(&app, "harbour -ferries").await,
        ["Storm closes harbour"]
    );
    assert_eq!(search(&app, "timeta*").await, ["Ferry timetables change"]);
    assert_eq!(
        search(&app, "CAFÉ").await.len(),
        2,
        "case and diacritics fold"
    );
}

#[tokio::test]
async fn site_and_date_filters() {
    let app = app_with_articles().await;
    let mut alpha = search(&app, "site:alpha.example").await;
    alpha.sort();
    assert_eq!(
        alpha,
        ["Café owners meet the mayor", "Tram line opens"],
        "subdomains included"
    );
    assert_eq!(
        search(&app, "owners site:www.alpha.example").await.len(),
        2,
        "big-alpha.example is another site"
    );
    assert_eq!(
        search(&app, "owners site:big-alpha.example").await,
        ["Market stalls return"]
    );
    assert_eq!(
        search(&app, "harbour before:2026-05-01").await,
        ["Storm closes harbour"]
    );
    assert_eq!(
        search(&app, "harbour after:2026-05-01").await,
        ["Ferry timetables change"]
    );
    assert_eq!(
        search(&app, "site:beta.example after:2026-05-14").await,
        ["Ferry timetables change"]
    );
}

#[tokio::test]
async fn cjk_text_is_searchable() {
    let app = app_with_articles().await;
    assert_eq!(search(&app, "北京").await, ["北京会谈结束"]);
    assert_eq!(search(&app, "贸易").await, ["北京会谈结束"]);
    assert!(search(&app, "东京").await.is_empty());
}

#[tokio::test]
async fn snippets_highlight_matches_and_escape_everything_else() {
    let app = TestApp::start().await;
    let path = FixtureArticle {
        id: "00000000000000b1",
        title: "Markup in text",
        date: "May 1, 2026",
        url: "https://x.example/m",
        body: "Writers type <b>tags</b> and the word lighthouse appears here.",
    }
    .write(app.dir.path(), 1);
    app.import(&[path]).await;
    let html = app.page("/search?q=lighthouse").await;
    let page = dom_query::Document::from(html.as_str());
    assert_eq!(
        page.select(".excerpt mark").text().to_lowercase(),
        "lighthouse"
    );
    assert_eq!(
        page.select(".excerpt b").length(),
        0,
        "stored markup is shown as text"
    );
}

#[tokio::test]
async fn hostile_queries_never_fail() {
    let app = app_with_articles().await;
    let long = "x".repeat(10_000);
    for query in [
        "\"unbalanced",
        "AND",
        "OR OR",
        "NEAR(a b)",
        "*",
        "^",
        "(",
        ")",
        "a:b",
        "-",
        "--x",
        "\"\"",
        "🎉🎉",
        "'; DROP TABLE articles; --",
        long.as_str(),
        "<script>alert(1)</script>",
    ] {
        let url = format!(
            "/search?q={}",
            url::form_urlencoded::byte_serialize(query.as_bytes()).collect::<String>()
        );
        let response = app.get(&url).await;
        assert_eq!(response.status(), 200, "{query}");
        let html = response.text().await.expect("body");
        assert!(
            !html.contains("<script>alert(1)</script>"),
            "query shown escaped"
        );
    }
    assert_eq!(
        search(&app, "ferry").await.len(),
        2,
        "the archive is intact"
    );
}

#[tokio::test]
async fn results_are_paginated() {
    let app = TestApp::start().await;
    app.import(&[write_corpus(app.dir.path(), 45)]).await;
    let first = app.page("/search?q=harbour").await;
    assert_eq!(titles(&first).len(), 20);
    let next = dom_query::Document::from(first.as_str())
        .select("a[rel=next]")
        .attr("href")
        .expect("next")
        .to_string();
    let second = app.page(&next).await;
    let third_href = dom_query::Document::from(second.as_str())
        .select("a[rel=next]")
        .attr("href")
        .expect("next")
        .to_string();
    let third = app.page(&third_href).await;
    let mut all: Vec<String> = [first, second, third]
        .iter()
        .flat_map(|html| titles(html))
        .collect();
    assert_eq!(all.len(), 45);
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 45);
}

#[tokio::test]
async fn the_index_follows_reimports() {
    let app = TestApp::start().await;
    let article = FixtureArticle {
        id: "00000000000000c1",
        title: "Bridge repairs",
        date: "May 1, 2026",
        url: "https://x.example/b",
        body: "The bridge is closed for repairs.",
    };
    let path = article.write(app.dir.path(), 1);
    app.import(std::slice::from_ref(&path)).await;
    assert_eq!(search(&app, "closed").await, ["Bridge repairs"]);
    std::fs::write(&path, article.text().replace("closed", "reopened")).expect("write");
    app.import(&[path]).await;
    assert!(search(&app, "closed").await.is_empty());
    assert_eq!(search(&app, "reopened").await, ["Bridge repairs"]);
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM article_search")
        .fetch_one(app.store.pool())
        .await
        .expect("count");
    assert_eq!(rows, 1);
}

/// `search_rank()` beside FTS5's own `bm25()` with the same column weights, for every match.
async fn ranks_beside_bm25(
    connection: &mut sqlx::SqliteConnection,
    table: &str,
    query: &str,
) -> Vec<(f64, f64)> {
    let sql = format!(
        "SELECT bm25({table}, 1.0, 10.0, 3.0, 3.0),
                search_rank({table}, (SELECT min(rowid) FROM {table}),
                                     (SELECT max(rowid) FROM {table}))
         FROM {table} WHERE {table} MATCH ?1"
    );
    sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(query)
        .fetch_all(connection)
        .await
        .expect("ranking query")
}

#[tokio::test]
async fn ranking_is_bm25_when_every_match_is_read() {
    let app = app_with_articles().await;
    let mut connection = app.store.pool().acquire().await.expect("connection");
    // A table with content, so that its rowid range can be read from itself.
    sqlx::query(
        "CREATE VIRTUAL TABLE temp.copy USING fts5(body, title, people, site,
             tokenize = 'unicode61 remove_diacritics 2')",
    )
    .execute(&mut *connection)
    .await
    .expect("scratch table");
    let rows: Vec<(i64, String, String, Option<String>)> =
        sqlx::query_as("SELECT rowid, id, title, site FROM articles")
            .fetch_all(&mut *connection)
            .await
            .expect("articles");
    for (rowid, id, title, site) in rows {
        let id = tearsheet::article::ArticleId::parse(&id).expect("id");
        let article = app.store.article(&id).await.expect("read").expect("kept");
        sqlx::query("INSERT INTO temp.copy (rowid, title, body, site) VALUES (?1, ?2, ?3, ?4)")
            .bind(rowid)
            .bind(title)
            .bind(article.body_text().expect("text"))
            .bind(site)
            .execute(&mut *connection)
            .await
            .expect("copy");
    }
    for query in [
        "cafe owners",
        "harbour",
        "harbour NOT ferries",
        "timeta*",
        "\"tram line\"",
    ] {
        let scores = ranks_beside_bm25(&mut connection, "copy", query).await;
        assert!(!scores.is_empty(), "{query} matches");
        for (bm25, ours) in scores {
            assert!(
                (bm25 - ours).abs() < 1e-9,
                "{query}: bm25 {bm25}, ours {ours}"
            );
        }
    }
}

#[tokio::test]
async fn common_words_are_weighed_from_their_first_matches() {
    let app = TestApp::start().await;
    let mut connection = app.store.pool().acquire().await.expect("connection");
    sqlx::query("CREATE VIRTUAL TABLE temp.scratch USING fts5(body, title, people, site)")
        .execute(&mut *connection)
        .await
        .expect("scratch table");
    // 12,000 rows: "common" in every third (4,000, past the 2,000 matches read), "rare" in
    // every 150th, and rows of different lengths.
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 12000)
         INSERT INTO temp.scratch (rowid, title, body)
         SELECT i, 'row ' || i,
                'filler ' || substr('words of varying length here ', 1, 1 + i % 29)
                || CASE WHEN i % 3 = 0 THEN ' common' ELSE '' END
                || CASE WHEN i % 150 = 0 THEN ' rare' ELSE '' END
         FROM n",
    )
    .execute(&mut *connection)
    .await
    .expect("rows");
    let scores = ranks_beside_bm25(&mut connection, "scratch", "common rare").await;
    assert_eq!(scores.len(), 80);
    for (bm25, ours) in scores {
        assert!(
            ((bm25 - ours) / bm25).abs() < 0.01,
            "bm25 {bm25}, ours {ours}: the estimated count of \"common\" is off"
        );
    }
}

/// An archive as the version before migration 0009 left it, whose index had the title as its
/// first column: 1,200 articles (more than one refill batch), bodies as migration 0007 moved
/// them, and every article indexed in the old column order. Returns its database URL.
async fn archive_indexed_title_first(dir: &std::path::Path) -> String {
    let url = common::database_url(dir);
    let pool = common::database_before_migration(&url, 9).await;
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1200)
         INSERT INTO articles (id, slug, title, byline, excerpt, word_count, site, source_kind,
                               source_name, archived_at, updated_at, sort_key, content_hash)
         SELECT printf('%016x', i),
                'article-' || i,
                CASE i WHEN 7 THEN 'Lighthouse keepers retire' ELSE 'Article ' || i END,
                CASE i WHEN 1200 THEN 'Mara Quill' END,
                'Filler.', 3, 'news.example', 'archive-file', i || '.txt',
                '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', printf('2026-01-01 %06d', i), 'h'
         FROM n",
    )
    .execute(&pool)
    .await
    .expect("articles");
    sqlx::query(
        "INSERT INTO article_bodies (article_id, html, text)
         SELECT id, '<p>' || body || '</p>', body
         FROM (SELECT id, rowid,
                      CASE rowid WHEN 3 THEN 'The lighthouse lamp was lit.'
                                 WHEN 1100 THEN 'Ferries wait for the tide.'
                                 ELSE 'Filler words for article ' || rowid || '.' END AS body
               FROM articles)",
    )
    .execute(&pool)
    .await
    .expect("bodies");
    index_articles_up_to(&pool, 1200).await;
    pool.close().await;
    url
}

/// Indexes the articles up to `rowid` as the store does, naming each column.
async fn index_articles_up_to(pool: &sqlx::SqlitePool, rowid: i64) {
    sqlx::query(
        "INSERT INTO article_search (rowid, title, people, body, site)
         SELECT a.rowid, a.title, coalesce(a.byline, ''), b.text, a.site
         FROM articles AS a JOIN article_bodies AS b ON b.article_id = a.id
         WHERE a.rowid <= ?1",
    )
    .bind(rowid)
    .execute(pool)
    .await
    .expect("index entries");
}

/// How many articles an FTS5 expression matches, and how many the index holds in all.
async fn index_counts(store: &Store, expression: &str) -> (i64, i64) {
    let matches =
        sqlx::query_scalar("SELECT count(*) FROM article_search WHERE article_search MATCH ?1")
            .bind(expression)
            .fetch_one(store.pool())
            .await
            .expect("count");
    let entries = sqlx::query_scalar("SELECT count(*) FROM article_search_docsize")
        .fetch_one(store.pool())
        .await
        .expect("entries");
    (matches, entries)
}

async fn refill_pending(store: &Store) -> Option<String> {
    sqlx::query_scalar("SELECT value FROM settings WHERE name = 'search_index_refill'")
        .fetch_optional(store.pool())
        .await
        .expect("setting")
}

/// Migration 0009 makes the index again, with the body first; opening the archive fills it
/// from the stored articles, batch by batch, so every article is found as before and titles
/// still weigh most.
#[tokio::test]
async fn an_index_made_again_by_a_migration_is_filled_from_the_stored_articles() {
    let dir = tempfile::tempdir().expect("dir");
    let url = archive_indexed_title_first(dir.path()).await;
    let store = Store::open(&url).await.expect("open");
    assert_eq!(
        index_counts(&store, "filler").await,
        (1198, 1200),
        "every article indexed again, once"
    );
    assert_eq!(
        index_counts(&store, "ferries").await.0,
        1,
        "the last batch too"
    );
    assert_eq!(index_counts(&store, "people:quill").await.0, 1, "bylines");
    assert_eq!(index_counts(&store, "site:news").await.0, 1200, "sites");
    let hits = store
        .search(&SearchQuery::parse("lighthouse"), 1)
        .await
        .expect("search");
    let titles: Vec<&str> = hits.hits.iter().map(|hit| hit.title.as_str()).collect();
    assert_eq!(titles, ["Lighthouse keepers retire", "Article 3"]);
    assert_eq!(refill_pending(&store).await, None, "the refill is finished");
}

/// A refill cut short goes on after the last article it recorded, indexing none twice; a copy
/// opened read-only before the refill is done still opens (its search is partial), and the
/// refill finishes when the archive is next opened writable.
#[tokio::test]
async fn a_refill_goes_on_where_it_stopped_and_a_read_only_copy_still_opens() {
    let dir = tempfile::tempdir().expect("dir");
    let url = archive_indexed_title_first(dir.path()).await;
    // In WAL mode, as the store leaves a database: a read-only connection cannot switch modes.
    let options = sqlx::sqlite::SqliteConnectOptions::from_str(&url)
        .expect("url")
        .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal);
    let pool = sqlx::SqlitePool::connect_with(options).await.expect("pool");
    sqlx::migrate!("./migrations")
        .run(&pool)
        .await
        .expect("migration 0009");
    // As if a refill had indexed the first 600 articles, then the process had stopped.
    index_articles_up_to(&pool, 600).await;
    sqlx::query("UPDATE settings SET value = '600' WHERE name = 'search_index_refill'")
        .execute(&pool)
        .await
        .expect("marker");
    pool.close().await;

    let read_only = Store::open(&format!("{url}?mode=ro"))
        .await
        .expect("a read-only copy opens");
    assert_eq!(index_counts(&read_only, "filler").await, (599, 600));
    assert_eq!(refill_pending(&read_only).await.as_deref(), Some("600"));
    read_only.pool().close().await;

    let store = Store::open(&url).await.expect("open");
    assert_eq!(index_counts(&store, "filler").await, (1198, 1200));
    assert_eq!(refill_pending(&store).await, None);
}
