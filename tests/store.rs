//! The store: listing queries use their indexes, and the connection settings hold.

mod common;

use tearsheet::store::{LISTING_QUERIES, Store};

/// A store on a new database in a folder of its own, kept while the folder lives.
async fn new_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("dir");
    let store = Store::open(&common::database_url(dir.path()))
        .await
        .expect("open");
    (dir, store)
}

#[tokio::test]
async fn listing_queries_use_an_index_and_never_sort() {
    let (_dir, store) = new_store().await;
    for sql in LISTING_QUERIES {
        let explain = format!("EXPLAIN QUERY PLAN {sql} LIMIT 51");
        let rows: Vec<(i64, i64, i64, String)> = sqlx::query_as(sqlx::AssertSqlSafe(explain))
            .bind("~")
            .bind("")
            .bind("example.com")
            .fetch_all(store.pool())
            .await
            .expect("explain");
        let plan: Vec<&str> = rows.iter().map(|row| row.3.as_str()).collect();
        assert!(
            plan.iter().any(|step| step.contains("USING INDEX")),
            "{sql}\n{plan:?}"
        );
        assert!(
            !plan.iter().any(|step| step.contains("TEMP B-TREE")),
            "{sql}\n{plan:?}"
        );
        assert!(
            !plan.iter().any(|step| step.starts_with("SCAN articles")),
            "{sql}\n{plan:?}"
        );
    }
}

#[tokio::test]
async fn connections_use_wal_foreign_keys_and_a_busy_timeout() {
    let (dir, store) = new_store().await;
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(store.pool())
        .await
        .expect("mode");
    let keys: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(store.pool())
        .await
        .expect("fk");
    let timeout: i64 = sqlx::query_scalar("PRAGMA busy_timeout")
        .fetch_one(store.pool())
        .await
        .expect("bt");
    assert_eq!(mode, "wal");
    assert_eq!(keys, 1);
    assert!(timeout >= 5000);
    assert!(
        dir.path().join("tearsheet.db").exists(),
        "the database file is created on first use"
    );
}

/// A database written before bodies had a table of their own opens with every article's text
/// and its permalink intact, and every article is found by search.
#[tokio::test]
async fn an_older_database_keeps_its_articles_when_upgraded() {
    let dir = tempfile::tempdir().expect("dir");
    let url = common::database_url(dir.path());
    let pool = common::database_before_migration(&url, 7).await;
    for n in 1..=3 {
        let id = format!("{n:016x}");
        sqlx::query(
            "INSERT INTO articles (id, slug, title, body_html, body_text, excerpt, word_count,
                 source_kind, source_name, archived_at, updated_at, sort_key, content_hash)
             VALUES (?1, 'tide-tables', 'Tide tables', ?2, ?3, 'Low water', 3, 'archive-file',
                 'tides.txt', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', ?4, 'hash')",
        )
        .bind(&id)
        .bind(format!("<p>Low water number {n}</p>"))
        .bind(format!("Low water number {n}"))
        .bind(format!("2026-01-0{n}T00:00:00Z"))
        .execute(&pool)
        .await
        .expect("old article");
        sqlx::query(
            "INSERT INTO article_search (rowid, title, body)
             SELECT rowid, title, ?2 FROM articles WHERE id = ?1",
        )
        .bind(&id)
        .bind(format!("Low water number {n}"))
        .execute(&pool)
        .await
        .expect("old search entry");
    }
    sqlx::query("DELETE FROM articles WHERE id = ?1")
        .bind(format!("{:016x}", 1))
        .execute(&pool)
        .await
        .expect("a deleted article leaves a gap in the row ids");
    pool.close().await;

    let store = Store::open(&url).await.expect("upgrade");
    for n in 2..=3 {
        let id = tearsheet::article::ArticleId::parse(&format!("{n:016x}")).expect("id");
        let article = store.article(&id).await.expect("read").expect("kept");
        assert_eq!(article.body_html, format!("<p>Low water number {n}</p>"));
        assert_eq!(
            article.body_text().expect("text"),
            format!("Low water number {n}")
        );
        let query = tearsheet::search::SearchQuery::parse(&format!("\"number {n}\""));
        let hits = store.search(&query, 1).await.expect("search").hits;
        let found: Vec<&str> = hits.iter().map(|hit| hit.id.as_str()).collect();
        assert_eq!(found, [id.as_str()]);
    }
}

/// Bodies are stored compressed and read back as they were written.
#[tokio::test]
async fn bodies_are_stored_compressed() {
    let (dir, store) = new_store().await;
    let corpus = common::write_corpus(dir.path(), 3);
    tearsheet::commands::import_paths(&store, &[corpus])
        .await
        .expect("import");
    let kinds: Vec<(String, String)> =
        sqlx::query_as("SELECT typeof(html), typeof(text) FROM article_bodies")
            .fetch_all(store.pool())
            .await
            .expect("kinds");
    assert_eq!(kinds, vec![("blob".to_owned(), "blob".to_owned()); 3]);
    let id = tearsheet::article::ArticleId::parse(&format!("{:016x}", 2)).expect("id");
    let article = store.article(&id).await.expect("read").expect("stored");
    let text = article.body_text().expect("text");
    assert!(
        text.starts_with("Paragraph one of story 2 tells of a harbour town"),
        "{text}"
    );
    assert!(
        article
            .body_html
            .contains("<a href=\"https://docs.example/2\""),
        "{}",
        article.body_html
    );
}

/// The html is compressed against the archive file it came from, and the text against the html:
/// each holds the words of the one before, so it takes a fraction of its room alone.
#[tokio::test]
async fn bodies_are_compressed_against_what_they_came_from() {
    let (dir, store) = new_store().await;
    // Invented words of three syllables drawn by a small linear congruential generator: a text
    // that does not compress to nothing on its own.
    let syllables = [
        "ka", "lo", "mi", "ne", "su", "ta", "ri", "vo", "de", "pa", "gu", "zen",
    ];
    let mut seed: usize = 7;
    let mut next_word = || {
        (0..3)
            .map(|_| {
                seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345) % (1 << 31);
                syllables[(seed >> 16) % syllables.len()]
            })
            .collect::<String>()
    };
    let body: Vec<String> = (0..20)
        .map(|n| {
            let sentence: Vec<String> = (0..80).map(|_| next_word()).collect();
            format!("Paragraph {n}: the {}.", sentence.join(" "))
        })
        .collect();
    common::FixtureArticle {
        id: "00000000000000aa",
        title: "The harbour's long winter",
        date: "May 20, 2026",
        url: "https://alpha.example/winter",
        body: &body.join("\n\n"),
    }
    .write(dir.path(), 0);
    tearsheet::commands::import_paths(&store, &[dir.path().to_path_buf()])
        .await
        .expect("import");
    let id = tearsheet::article::ArticleId::parse("00000000000000aa").expect("id");
    let article = store.article(&id).await.expect("read").expect("stored");
    let text = article.body_text().expect("text");
    assert!(text.contains("Paragraph 19: the"), "{text}");
    let (html_size, text_size): (i64, i64) =
        sqlx::query_as("SELECT length(html), length(text) FROM article_bodies")
            .fetch_one(store.pool())
            .await
            .expect("sizes");
    let alone = |body: &str| {
        zstd::bulk::compress(body.as_bytes(), 3)
            .expect("zstd")
            .len()
    };
    let (html_alone, text_alone) = (alone(&article.body_html), alone(&text));
    assert!(
        html_size * 4 < i64::try_from(html_alone).expect("size"),
        "html {html_size} vs {html_alone} alone"
    );
    assert!(
        text_size * 4 < i64::try_from(text_alone).expect("size"),
        "text {text_size} vs {text_alone} alone"
    );
}
