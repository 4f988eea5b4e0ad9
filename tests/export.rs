//! Export and import round-trip: every article comes back with the same id, permalink and text.

mod common;

use std::path::{Path, PathBuf};

use common::{TestApp, database_url, stored_articles, write_corpus};
use tearsheet::commands::{export_archive, import_paths};
use tearsheet::store::Store;

type ArticleRow = (
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    String,
);

async fn articles(store: &Store) -> Vec<ArticleRow> {
    stored_articles(store)
        .await
        .into_iter()
        .map(|(article, text)| {
            (
                article.id,
                article.slug,
                article.title,
                text,
                article.published_at,
                article.original_url,
                article.credits,
            )
        })
        .collect()
}

async fn round_trip(sources: &[PathBuf], work: &Path) -> (Vec<ArticleRow>, Vec<ArticleRow>) {
    let first = Store::open(&database_url(&work.join("first")))
        .await
        .expect("open");
    import_paths(&first, sources).await.expect("import");
    let exported = work.join("export");
    export_archive(&first, &exported).await.expect("export");
    let second = Store::open(&database_url(&work.join("second")))
        .await
        .expect("open");
    let summary = import_paths(&second, &[exported]).await.expect("reimport");
    assert_eq!(summary.skipped, 0);
    (articles(&first).await, articles(&second).await)
}

#[tokio::test]
async fn the_fixture_archive_round_trips() {
    let work = tempfile::tempdir().expect("dir");
    for name in ["first", "second"] {
        std::fs::create_dir_all(work.path().join(name)).expect("dir");
    }
    let fixtures = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/archive");
    let (before, after) = round_trip(&[fixtures], work.path()).await;
    assert!(before.len() >= 10);
    assert_eq!(before, after);
}

#[tokio::test]
async fn a_generated_archive_of_ten_thousand_articles_round_trips() {
    let work = tempfile::tempdir().expect("dir");
    for name in ["first", "second"] {
        std::fs::create_dir_all(work.path().join(name)).expect("dir");
    }
    let corpus = write_corpus(work.path(), 10_000);
    let (before, after) = round_trip(&[corpus], work.path()).await;
    assert_eq!(before.len(), 10_000);
    assert_eq!(before, after);
}

#[tokio::test]
async fn export_refuses_a_folder_that_is_not_empty() {
    let app = TestApp::start().await;
    app.import(&[write_corpus(app.dir.path(), 2)]).await;
    let target = app.dir.path().join("out");
    std::fs::create_dir_all(&target).expect("dir");
    std::fs::write(target.join("keep.txt"), "mine").expect("write");
    assert!(export_archive(&app.store, &target).await.is_err());
    assert_eq!(
        std::fs::read_to_string(target.join("keep.txt")).expect("read"),
        "mine"
    );
}
