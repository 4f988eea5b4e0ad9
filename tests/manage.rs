//! Deleting articles: confirmation, POST only, 410 Gone with the title, search and listing follow.

mod common;

use common::{FixtureArticle, TestApp, form_and_token};

const ID: &str = "de1e7ede1e7e0001";

async fn app_with_article() -> TestApp {
    let app = TestApp::start().await;
    let path = FixtureArticle {
        id: ID,
        title: "Lighthouse keepers remember",
        date: "May 2, 2026",
        url: "https://coast.example/lighthouse",
        body: "The last keeper of the lighthouse told his story.",
    }
    .write(app.dir.path(), 1);
    app.import(&[path]).await;
    app
}

/// The confirmation page's CSRF token and the visitor cookie it belongs to.
async fn confirmation(app: &TestApp) -> (String, String) {
    let (cookie, token, html) = form_and_token(app, &format!("/delete/{ID}")).await;
    assert!(html.contains("Lighthouse keepers remember"));
    (cookie, token)
}

#[tokio::test]
async fn a_deleted_article_answers_gone_with_its_title() {
    let app = app_with_article().await;
    let page = app
        .page(&format!("/a/{ID}/lighthouse-keepers-remember"))
        .await;
    assert!(page.contains(&format!("href=\"/delete/{ID}\"")));

    let (cookie, token) = confirmation(&app).await;
    let response = app
        .client
        .post(app.url(&format!("/delete/{ID}")))
        .header("cookie", cookie)
        .form(&[("csrf", token.as_str())])
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 303);

    let gone = app
        .get(&format!("/a/{ID}/lighthouse-keepers-remember"))
        .await;
    assert_eq!(gone.status(), 410);
    assert!(
        gone.text()
            .await
            .expect("body")
            .contains("Lighthouse keepers remember")
    );
    assert_eq!(app.get(&format!("/api/articles/{ID}")).await.status(), 404);
    assert!(!app.page("/").await.contains("Lighthouse"));
    assert!(
        !app.page("/search?q=lighthouse")
            .await
            .contains("Lighthouse keepers")
    );
    let rows: i64 = sqlx::query_scalar(
        "SELECT (SELECT count(*) FROM raw_sources) + (SELECT count(*) FROM article_search)",
    )
    .fetch_one(app.store.pool())
    .await
    .expect("count");
    assert_eq!(rows, 0, "nothing of it is left behind");
}

#[tokio::test]
async fn deleting_needs_a_post_with_a_token() {
    let app = app_with_article().await;
    let (cookie, _) = confirmation(&app).await;
    let without = app
        .client
        .post(app.url(&format!("/delete/{ID}")))
        .header("cookie", cookie)
        .form(&[("csrf", "forged")])
        .send()
        .await
        .expect("post");
    assert_eq!(without.status(), 403);
    let put = app
        .client
        .put(app.url(&format!("/delete/{ID}")))
        .send()
        .await
        .expect("put");
    assert!(
        [403, 405].contains(&put.status().as_u16()),
        "{}",
        put.status()
    );
    assert_eq!(
        app.get(&format!("/a/{ID}")).await.status(),
        308,
        "still there"
    );
}

#[tokio::test]
async fn the_api_deletes_and_reimporting_brings_it_back() {
    let app = app_with_article().await;
    let response = app
        .client
        .delete(app.url(&format!("/api/articles/{ID}")))
        .send()
        .await
        .expect("delete");
    assert_eq!(response.status(), 204);
    let again = app
        .client
        .delete(app.url(&format!("/api/articles/{ID}")))
        .send()
        .await
        .expect("delete");
    assert_eq!(again.status(), 404);
    let cross_site = app
        .client
        .delete(app.url(&format!("/api/articles/{ID}")))
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .expect("delete");
    assert_eq!(cross_site.status(), 403);

    let path = app.dir.path().join(format!("001_{ID}.txt"));
    app.import(&[path]).await;
    assert_eq!(
        app.get(&format!("/a/{ID}/lighthouse-keepers-remember"))
            .await
            .status(),
        200
    );
}
