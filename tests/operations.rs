//! Operations: health check, backups taken while the archive is being written.

mod common;

use std::process::Command;

use std::str::FromStr;

use axum::response::IntoResponse;
use common::{TestApp, database_url, write_corpus};
use sqlx::Connection;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use tearsheet::store::Store;

#[tokio::test]
async fn healthz_answers_ok() {
    let app = TestApp::start().await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.expect("body"), "ok\n");
}

#[tokio::test]
async fn a_database_that_cannot_be_written_answers_503_and_reading_goes_on() {
    let writable = TestApp::start().await;
    let corpus = write_corpus(writable.dir.path(), 3);
    writable.import(&[corpus]).await;
    let (permalink, id) = writable.first_listed_article().await;
    let dir = tempfile::tempdir().expect("dir");
    writable
        .store
        .backup(&dir.path().join("tearsheet.db"))
        .await
        .expect("copy");
    // Opened once for writing, as it was before the disk turned read-only (WAL mode set).
    let copy = Store::open(&database_url(dir.path())).await.expect("open");
    copy.pool().close().await;

    let app = TestApp::start_read_only(dir).await;
    assert_eq!(app.get(&permalink).await.status(), 200, "reading goes on");
    let delete = app.submit_form(&format!("/delete/{id}"), &[]).await;
    assert_eq!(delete.status(), 503);
    let page = delete.text().await.expect("body");
    assert!(
        page.contains("<title>"),
        "the site's error page, not a bare status"
    );
    assert!(
        !page.contains("readonly"),
        "no SQLite jargon for the reader"
    );
    assert_eq!(app.get(&permalink).await.status(), 200, "nothing was lost");
    let more = write_corpus(app.dir.path(), 5);
    let import = app.import_result(&[more]).await;
    assert!(import.is_err(), "an import into it fails with an error");
}

#[tokio::test]
async fn a_full_disk_is_a_503_not_a_crash() {
    let dir = tempfile::tempdir().expect("dir");
    let options = SqliteConnectOptions::from_str(&database_url(dir.path()))
        .expect("url")
        .create_if_missing(true)
        .pragma("max_page_count", "4");
    let mut conn = SqliteConnection::connect_with(&options)
        .await
        .expect("connect");
    sqlx::query("CREATE TABLE filler (text TEXT)")
        .execute(&mut conn)
        .await
        .expect("create");
    let full = sqlx::query("INSERT INTO filler VALUES (?1)")
        .bind("x".repeat(64 * 1024))
        .execute(&mut conn)
        .await
        .expect_err("the database is full");
    let response = tearsheet::error::Error::from(full).into_response();
    assert_eq!(response.status(), 503);
}

#[tokio::test]
async fn a_backup_taken_during_an_import_is_consistent_and_opens() {
    let app = TestApp::start().await;
    let corpus = write_corpus(app.dir.path(), 1500);
    let writer = {
        let store = app.store.clone();
        tokio::spawn(async move { tearsheet::commands::import_paths(&store, &[corpus]).await })
    };
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    let backup = app.dir.path().join("backup.db");
    let run_backup = || {
        Command::new(env!("CARGO_BIN_EXE_tearsheet"))
            .arg("backup")
            .arg(&backup)
            .arg("--database-url")
            .arg(database_url(app.dir.path()))
            .output()
            .expect("run backup")
    };
    let output = run_backup();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    writer.await.expect("join").expect("import");

    let copy = Store::open(&format!("sqlite:{}", backup.display()))
        .await
        .expect("backup opens");
    let check: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(copy.pool())
        .await
        .expect("check");
    assert_eq!(check, "ok");
    let articles: i64 = sqlx::query_scalar("SELECT count(*) FROM articles")
        .fetch_one(copy.pool())
        .await
        .expect("count");
    let indexed: i64 = sqlx::query_scalar("SELECT count(*) FROM article_search")
        .fetch_one(copy.pool())
        .await
        .expect("count");
    assert_eq!(articles % 500, 0, "whole batches only: {articles}");
    assert_eq!(indexed, articles);

    let again = run_backup();
    assert_eq!(
        again.status.code(),
        Some(2),
        "an existing file is never overwritten"
    );
}
