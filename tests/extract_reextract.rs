//! `tearsheet reextract`: an article archived from a loopback site is extracted again from the
//! page stored with it; the text is replaced, the permalink kept, and a bad id changes nothing.

mod common;
mod fixture_site;

use common::{TestApp, id_in, write_corpus};
use fixture_site::{Answer, FixtureSite, LOOPBACK, response};
use tearsheet::article::ArticleId;
use tearsheet::commands::{ReextractSummary, reextract};

const STORY: &str = include_str!("fixtures/pages/story.html");

/// Archives the story through the API and returns its permalink.
async fn archive_story(app: &TestApp) -> String {
    let site = FixtureSite::start(LOOPBACK, |_| {
        Answer::Now(response(
            "200 OK",
            &[("Content-Type", "text/html; charset=utf-8")],
            STORY.as_bytes(),
        ))
    })
    .await;
    let created = app.submit_to_api(&site.url("/story")).await;
    assert_eq!(created.status(), 201);
    let body: serde_json::Value =
        serde_json::from_str(&created.text().await.expect("body")).expect("json");
    body["permalink"].as_str().expect("permalink").to_owned()
}

/// What an older extractor might have stored: another title (and slug), a poorer text.
async fn make_stale(app: &TestApp, id: &str) {
    for sql in [
        "UPDATE articles SET title = 'Ferry crews', slug = 'ferry-crews', content_hash = 'stale'
         WHERE id = ?1",
        "UPDATE article_bodies SET text = 'Cookie banner text',
             html = '<p>Cookie banner text</p>'
         WHERE article_id = ?1",
    ] {
        sqlx::query(sql)
            .bind(id)
            .execute(app.store.pool())
            .await
            .expect("stale article");
    }
}

/// Makes the article stale and extracts it again alone: how many were updated.
async fn read_again(app: &TestApp, id: &str) -> usize {
    make_stale(app, id).await;
    reextract(&app.store, &[id.to_owned()])
        .await
        .expect("reextract")
        .updated
}

/// The pages as received in an export's folder (`NNN_<id>.html`).
fn exported_pages(folder: &std::path::Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(folder)
        .expect("folder")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "html"))
        .collect()
}

async fn stored(app: &TestApp, id: &str) -> (String, String, String) {
    let id = ArticleId::parse(id).expect("id");
    let article = app
        .store
        .article(&id)
        .await
        .expect("read")
        .expect("article");
    let text = article.body_text().expect("text");
    (article.title, article.slug, text)
}

/// Where the stored article came from: `fetched` or `archive-file`.
async fn source_kind(app: &TestApp, id: &str) -> String {
    sqlx::query_scalar("SELECT source_kind FROM articles WHERE id = ?1")
        .bind(id)
        .fetch_one(app.store.pool())
        .await
        .expect("kind")
}

#[tokio::test]
async fn stored_pages_are_extracted_again_under_the_same_permalink() {
    let app = TestApp::start().await;
    let permalink = archive_story(&app).await;
    let id = id_in(&permalink);
    app.import(&[write_corpus(app.dir.path(), 1)]).await;
    let imported = format!("{:016x}", 0);
    make_stale(&app, &id).await;

    let summary = reextract(&app.store, &[id.clone(), imported])
        .await
        .expect("reextract");
    assert_eq!(
        summary,
        ReextractSummary {
            updated: 1,
            skipped: 1,
            ..ReextractSummary::default()
        }
    );
    let (title, slug, text) = stored(&app, &id).await;
    assert_eq!(title, "Night Ferry Crews Vote to Strike");
    assert_eq!(slug, "ferry-crews", "the slug given out stays");
    assert!(text.contains("voted on Sunday to strike") && !text.contains("Cookie banner"));
    let page = app.page(&format!("/a/{id}/ferry-crews")).await;
    assert!(page.contains("voted on Sunday to strike"));
    let found = app.page("/search?q=rosters").await;
    assert!(found.contains(&id), "the search index follows the new text");

    let again = reextract(&app.store, std::slice::from_ref(&id))
        .await
        .expect("again");
    assert_eq!(again.unchanged, 1);
}

#[tokio::test]
async fn a_bad_id_stops_the_run_before_anything_is_written() {
    let app = TestApp::start().await;
    let permalink = archive_story(&app).await;
    let id = id_in(&permalink);
    make_stale(&app, &id).await;
    for bad in ["not-an-id", "0123456789abcdef"] {
        let error = reextract(&app.store, &[id.clone(), bad.to_owned()])
            .await
            .expect_err("a bad id is refused");
        assert!(error.to_string().contains(bad), "{error}");
    }
    let (_, slug, text) = stored(&app, &id).await;
    assert_eq!(
        (slug.as_str(), text.as_str()),
        ("ferry-crews", "Cookie banner text")
    );
}

/// Importing an export's text file back into the same archive without the page beside it (to
/// restore what was deleted, say) leaves a fetched article as it was: the text file does not
/// take the place of the page kept with it, which can still be extracted again.
#[tokio::test]
async fn importing_an_export_back_keeps_a_fetched_articles_page() {
    let app = TestApp::start().await;
    let permalink = archive_story(&app).await;
    let id = id_in(&permalink);
    let (title, _, text) = stored(&app, &id).await;
    let exported = app.dir.path().join("exported");
    assert_eq!(
        tearsheet::commands::export_archive(&app.store, &exported)
            .await
            .expect("export"),
        1
    );
    for page in exported_pages(&exported) {
        std::fs::remove_file(page).expect("remove the page");
    }
    let summary = app.import(&[exported]).await;
    assert_eq!((summary.unchanged, summary.updated), (1, 0), "{summary:?}");
    assert_eq!(source_kind(&app, &id).await, "fetched");
    assert_eq!(
        stored(&app, &id).await,
        (title, "night-ferry-crews-vote-to-strike".into(), text)
    );
    assert_eq!(
        read_again(&app, &id).await,
        1,
        "the page is still there to read again"
    );
}

/// An export moved to another archive gives a fetched article back as fetched: read from the
/// page kept beside its text file, under the same permalink, and still able to be extracted
/// again there.
#[tokio::test]
async fn an_exported_fetched_article_is_imported_with_its_page() {
    let first = TestApp::start().await;
    let permalink = archive_story(&first).await;
    let id = id_in(&permalink);
    let exported = first.dir.path().join("exported");
    tearsheet::commands::export_archive(&first.store, &exported)
        .await
        .expect("export");
    assert_eq!(
        exported_pages(&exported).len(),
        1,
        "the page as received is beside the text"
    );

    let second = TestApp::start().await;
    let summary = second.import(&[exported]).await;
    assert_eq!(summary.imported, 1, "{summary:?}");
    assert_eq!(stored(&second, &id).await, stored(&first, &id).await);
    assert_eq!(source_kind(&second, &id).await, "fetched");
    assert_eq!(second.get(&permalink).await.status(), 200);
    assert_eq!(
        read_again(&second, &id).await,
        1,
        "the page came along, to be read again"
    );
}
