//! Operations: health check, backups taken while the archive is being written.

mod common;

use std::process::Command;

use common::{TestApp, database_url, write_corpus};
use tearsheet::store::Store;

#[tokio::test]
async fn healthz_answers_ok() {
    let app = TestApp::start().await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.expect("body"), "ok\n");
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
