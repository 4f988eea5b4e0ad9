//! The store: listing queries use their indexes, and the connection settings hold.

mod common;

use tearsheet::store::{LISTING_QUERIES, Store};

#[tokio::test]
async fn listing_queries_use_an_index_and_never_sort() {
    let dir = tempfile::tempdir().expect("dir");
    let store = Store::open(&common::database_url(dir.path()))
        .await
        .expect("open");
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
    let dir = tempfile::tempdir().expect("dir");
    let store = Store::open(&common::database_url(dir.path()))
        .await
        .expect("open");
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
