//! `tearsheet reextract`: an article archived from a loopback site is extracted again from the
//! page stored with it; the text is replaced, the permalink kept, and a bad id changes nothing.
//! Several pages are read at once, and one that holds no article any more stops none of the
//! others.

mod common;
mod fixture_site;

use std::num::NonZeroUsize;

use common::{TestApp, database_url, id_in, write_corpus};
use fixture_site::{Answer, FixtureSite, LOOPBACK, response};
use tearsheet::article::{ArticleId, Slug};
use tearsheet::commands::{ReextractSummary, reextract};
use tearsheet::ingest::ParsedArticle;
use tearsheet::store::{NewArticle, SourceKind};

const STORY: &str = include_str!("fixtures/pages/story.html");

/// One page extracted at a time (four read ahead).
const ONE_AT_A_TIME: NonZeroUsize = NonZeroUsize::MIN;

/// Archives the story through the API and returns its permalink.
async fn archive_story(app: &TestApp) -> String {
    archive_stories(app, 1).await.remove(0)
}

/// Archives the story from `count` addresses (so as `count` articles) and returns their
/// permalinks.
async fn archive_stories(app: &TestApp, count: usize) -> Vec<String> {
    // Each address names itself as the page's canonical one.
    let site = FixtureSite::start(LOOPBACK, |request| {
        let page = STORY.replace("/news/night-ferry-strike", &request.path);
        Answer::Now(response(
            "200 OK",
            &[("Content-Type", "text/html; charset=utf-8")],
            page.as_bytes(),
        ))
    })
    .await;
    let mut permalinks = Vec::with_capacity(count);
    for number in 0..count {
        let created = app
            .submit_to_api(&site.url(&format!("/story-{number}")))
            .await;
        assert_eq!(created.status(), 201);
        let body: serde_json::Value =
            serde_json::from_str(&created.text().await.expect("body")).expect("json");
        permalinks.push(body["permalink"].as_str().expect("permalink").to_owned());
    }
    permalinks
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
    reextract(&app.store, &[id.to_owned()], ONE_AT_A_TIME)
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

    let summary = reextract(&app.store, &[id.clone(), imported], ONE_AT_A_TIME)
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

    let again = reextract(&app.store, std::slice::from_ref(&id), ONE_AT_A_TIME)
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
        let jobs = NonZeroUsize::new(2).expect("two");
        let error = reextract(&app.store, &[id.clone(), bad.to_owned()], jobs)
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

/// More pages than are read ahead at once (four per job): each is saved under its own
/// permalink, and one that no longer holds an article is kept as it was without stopping the
/// pages after it.
#[tokio::test]
async fn pages_are_read_ahead_and_each_saved_under_its_own_permalink() {
    let app = TestApp::start().await;
    let permalinks = archive_stories(&app, 6).await;
    let ids: Vec<String> = permalinks
        .iter()
        .map(|permalink| id_in(permalink))
        .collect();
    app.import(&[write_corpus(app.dir.path(), 1)]).await;
    for id in &ids {
        make_stale(&app, id).await;
    }
    // The fifth page, beyond the first ones read ahead, no longer holds an article.
    let empty_page =
        zstd::encode_all(&b"<html><body><p>Gone.</p></body></html>"[..], 3).expect("compress");
    sqlx::query("UPDATE raw_sources SET bytes = ?1 WHERE article_id = ?2")
        .bind(empty_page)
        .bind(&ids[4])
        .execute(app.store.pool())
        .await
        .expect("replace the page");
    let imported = format!("{:016x}", 0);
    let all = [ids.clone(), vec![imported]].concat();

    let summary = reextract(&app.store, &all, ONE_AT_A_TIME)
        .await
        .expect("reextract");
    assert_eq!(
        summary,
        ReextractSummary {
            updated: 5,
            failed: 1,
            skipped: 1,
            ..ReextractSummary::default()
        }
    );
    for (number, id) in ids.iter().enumerate().filter(|(number, _)| *number != 4) {
        let (title, slug, text) = stored(&app, id).await;
        assert_eq!(title, "Night Ferry Crews Vote to Strike", "page {number}");
        assert_eq!(slug, "ferry-crews", "the slug given out stays");
        assert!(
            text.contains("voted on Sunday to strike"),
            "{number}: {text}"
        );
    }
    let (_, _, kept) = stored(&app, &ids[4]).await;
    assert_eq!(kept, "Cookie banner text", "kept as it was");
}

/// An article deleted while its page was being read again stays deleted: the save finds it
/// gone and writes nothing.
#[tokio::test]
async fn an_article_deleted_during_a_run_is_not_brought_back() {
    let app = TestApp::start().await;
    let permalink = archive_story(&app).await;
    let id = ArticleId::parse(&id_in(&permalink)).expect("id");
    let read_again = NewArticle {
        id: id.clone(),
        parsed: ParsedArticle {
            title: "Night Ferry Crews Vote to Strike".into(),
            body_text: "Read again.".into(),
            body_html: "<p>Read again.</p>".into(),
            ..ParsedArticle::default()
        },
        url_key: None,
        site: None,
        source_kind: SourceKind::Fetched,
        source_name: "https://example.org/story".into(),
        raw: STORY.as_bytes().to_vec(),
    }
    .prepare()
    .expect("prepare");
    assert!(app.store.delete_article(&id).await.expect("delete"));

    let slug = Slug::from_stored("night-ferry-crews-vote-to-strike".into());
    let saved = app.store.save_reextracted(&read_again, &slug).await;
    assert_eq!(saved.expect("save"), None);
    assert_eq!(app.get(&permalink).await.status(), 410, "still deleted");
}

/// `tearsheet reextract --all` as a person runs it: `--jobs 0` is refused before anything is
/// read, and `--jobs 2` reads the stale article again.
#[tokio::test]
async fn the_command_takes_a_number_of_jobs() {
    let app = TestApp::start().await;
    let id = id_in(&archive_story(&app).await);
    make_stale(&app, &id).await;
    let run = |jobs: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_tearsheet"))
            .args(["reextract", "--all", "--jobs", jobs, "--database-url"])
            .arg(database_url(app.dir.path()))
            .output()
            .expect("run reextract")
    };

    let refused = run("0");
    assert_eq!(refused.status.code(), Some(2));
    let message = String::from_utf8_lossy(&refused.stderr);
    assert!(message.contains("--jobs"), "{message}");
    assert_eq!(stored(&app, &id).await.2, "Cookie banner text");

    let done = run("2");
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&done.stdout).trim(),
        "updated 1, unchanged 0, failed 0, skipped 0 (no stored page)"
    );
    assert!(
        stored(&app, &id)
            .await
            .2
            .contains("voted on Sunday to strike")
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
