//! The JSON API through the real server.

mod common;

use common::{TestApp, write_corpus};
use serde_json::Value;

async fn json(app: &TestApp, path: &str, status: u16) -> Value {
    let response = app.get(path).await;
    assert_eq!(response.status(), status, "{path}");
    assert!(
        response.headers()["content-type"]
            .to_str()
            .expect("ct")
            .starts_with("application/json")
    );
    serde_json::from_str(&response.text().await.expect("body")).expect("json")
}

#[tokio::test]
async fn the_listing_pages_with_cursors_like_the_html_listing() {
    let app = TestApp::start().await;
    app.import(&[write_corpus(app.dir.path(), 70)]).await;
    let first = json(&app, "/api/articles", 200).await;
    assert_eq!(first["articles"].as_array().map(Vec::len), Some(50));
    let older = first["older"].as_str().expect("older cursor");
    let second = json(&app, &format!("/api/articles?before={older}"), 200).await;
    assert_eq!(second["articles"].as_array().map(Vec::len), Some(20));
    assert!(second.get("older").is_none());
    let item = &second["articles"][0];
    assert!(
        item["permalink"]
            .as_str()
            .is_some_and(|p| p.starts_with("/a/"))
    );
    let site = json(&app, "/api/articles?site=www.beta.example", 200).await;
    assert!(
        site["articles"]
            .as_array()
            .expect("list")
            .iter()
            .all(|a| a["site"] == "beta.example")
    );
}

#[tokio::test]
async fn search_and_single_articles() {
    let app = TestApp::start().await;
    app.import(&[write_corpus(app.dir.path(), 30)]).await;
    let found = json(&app, "/api/articles?q=%22story+12%22", 200).await;
    let hits = found["articles"].as_array().expect("hits");
    assert_eq!(hits.len(), 1);
    let id = hits[0]["id"].as_str().expect("id");
    let article = json(&app, &format!("/api/articles/{id}"), 200).await;
    assert_eq!(article["title"], "Invented story number 12");
    assert!(
        article["body_text"]
            .as_str()
            .is_some_and(|t| t.contains("story 12"))
    );
    assert_eq!(article["permalink"], hits[0]["permalink"]);
    let far = json(&app, "/api/articles?q=story&page=9223372036854775807", 200).await;
    assert!(far["next_page"].is_null(), "{far}");
}

#[tokio::test]
async fn errors_are_json_with_stable_codes() {
    let app = TestApp::start().await;
    for path in ["/api/articles/0123456789abcdef", "/api/articles/nope"] {
        let body = json(&app, path, 404).await;
        assert_eq!(body["error"]["code"], "not_found", "{path}");
        assert!(
            body["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty())
        );
    }
    let body = json(&app, "/api/articles?q=%22%28%2A", 200).await;
    assert_eq!(body["articles"].as_array().map(Vec::len), Some(0));
}
