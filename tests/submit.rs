//! Submitting a URL through the form and the API: fetch from a fixture site on loopback,
//! extract, archive, dedup, and every refusal with its message.

mod common;
mod fixture_site;

use std::time::{Duration, Instant};

use common::{SUBMIT_LIMITS, TestApp};
use fixture_site::{Answer, FixtureSite, LOOPBACK, response};
use tearsheet::archiver::SubmitLimits;

const STORY: &str = include_str!("fixtures/pages/story.html");
const HOSTILE: &str = include_str!("fixtures/pages/hostile.html");

fn html(body: &str) -> Answer {
    Answer::Now(response(
        "200 OK",
        &[("Content-Type", "text/html; charset=utf-8")],
        body.as_bytes(),
    ))
}

/// Text whose characters are all below U+0100, as single bytes (windows-1252 agrees there).
fn latin1(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?'))
        .collect()
}

/// A site with the story at /story (canonical /news/night-ferry-strike), other pages by path.
async fn news_site() -> FixtureSite {
    FixtureSite::start(LOOPBACK, |request| match request.path.as_str() {
        "/story" | "/story?utm_source=mail" | "/news/night-ferry-strike" => html(STORY),
        "/hostile" => html(HOSTILE),
        "/pdf" => Answer::Now(response("200 OK", &[("Content-Type", "application/pdf")], b"%PDF-1.7")),
        "/huge" => Answer::Now(response("200 OK", &[("Content-Type", "text/html")], &vec![b'a'; 11 * 1024 * 1024])),
        "/deep" => html(&format!("<html><body>{}</body></html>", "<div>".repeat(100_000))),
        "/empty" => html("<html><body><nav><a href=/>Home</a></nav></body></html>"),
        "/cp1252" => Answer::Now(response(
            "200 OK",
            &[("Content-Type", "text/html; charset=windows-1252")],
            &latin1(&format!(
                "<html><head><title>Café owners</title></head><body><article><h1>Café owners</h1><p>{}</p></article></body></html>",
                "Every café owner on the square met the mayor. ".repeat(8)
            )),
        )),
        _ => Answer::Now(response("404 Not Found", &[("Content-Type", "text/html")], b"<h1>Not found</h1>")),
    })
    .await
}

async fn submit(app: &TestApp, url: &str) -> reqwest::Response {
    app.submit_form("/add", &[("url", url)]).await
}

/// Submits, expects 303, and returns the page it leads to with its address.
async fn archive(app: &TestApp, url: &str) -> (String, String) {
    let response = submit(app, url).await;
    assert_eq!(
        response.status(),
        303,
        "{url}: {}",
        response.text().await.unwrap_or_default()
    );
    let location = response.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned();
    let page = app.page(&location).await;
    (location, page)
}

async fn refusal(app: &TestApp, url: &str) -> String {
    let response = submit(app, url).await;
    assert_eq!(response.status(), 422, "{url}");
    let html = response.text().await.expect("body");
    let page = dom_query::Document::from(html.as_str());
    assert_eq!(
        page.select("input#url").attr("value").as_deref(),
        Some(url),
        "input kept"
    );
    assert_eq!(
        page.select("input#url").attr("aria-invalid").as_deref(),
        Some("true")
    );
    page.select(".form-error").text().to_string()
}

#[tokio::test]
async fn a_submitted_article_is_archived_at_its_permalink() {
    let site = news_site().await;
    let app = TestApp::start().await;
    let (location, html) = archive(&app, &site.url("/story?utm_source=mail")).await;
    assert!(
        location.starts_with("/a/") && location.ends_with("/night-ferry-crews-vote-to-strike"),
        "{location}"
    );
    let page = dom_query::Document::from(html.as_str());
    assert_eq!(
        page.select("h1").text().trim(),
        "Night Ferry Crews Vote to Strike"
    );
    assert!(page.select(".byline").text().contains("Marta Lind"));
    assert_eq!(
        page.select("time")
            .attr("datetime")
            .as_deref()
            .map(|d| &d[..10]),
        Some("2026-05-18")
    );
    let body = page.select(".body");
    assert!(body.text().contains("voted on Sunday to strike"));
    assert!(
        !body.text().contains("cookies") && !body.text().contains("Most read"),
        "boilerplate left out"
    );
    let image = body.select("img");
    assert_eq!(
        image.attr("src").as_deref(),
        Some(site.url("/images/ferry.jpg").as_str())
    );
    assert_eq!(image.attr("referrerpolicy").as_deref(), Some("no-referrer"));
    assert_eq!(image.attr("loading").as_deref(), Some("lazy"));
    let link = body.select("a");
    assert_eq!(
        link.attr("href").as_deref(),
        Some(site.url("/news/ferry-talks").as_str())
    );
    assert_eq!(
        link.attr("rel").as_deref(),
        Some("noopener noreferrer nofollow")
    );

    let stored: (String, i64, String) = sqlx::query_as(
        "SELECT f.final_url, f.http_status, r.compression FROM fetches f JOIN raw_sources r ON r.article_id = f.article_id",
    )
    .fetch_one(app.store.pool())
    .await
    .expect("fetch record");
    assert_eq!(
        stored,
        (site.url("/story?utm_source=mail"), 200, "zstd".to_owned())
    );
}

#[tokio::test]
async fn the_same_page_submitted_again_is_not_fetched_twice() {
    let site = news_site().await;
    let app = TestApp::start().await;
    let (first, _) = archive(&app, &site.url("/story")).await;
    let again = submit(&app, &site.url("/story#comments")).await;
    assert_eq!(again.status(), 303);
    let location = again.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned();
    assert_eq!(location, format!("{first}?already=1"));
    assert!(app.page(&location).await.contains("Already archived on"));
    // The canonical address the page named leads to the same article without a fetch.
    let canonical = submit(&app, &site.url("/news/night-ferry-strike")).await;
    assert_eq!(
        canonical.headers()["location"].to_str().expect("location"),
        location
    );
    assert_eq!(site.requests().len(), 1, "one fetch only");
    let fetches: i64 = sqlx::query_scalar("SELECT count(*) FROM fetches")
        .fetch_one(app.store.pool())
        .await
        .expect("count");
    assert_eq!(fetches, 1);
}

#[tokio::test]
async fn refusals_explain_themselves_and_keep_the_input() {
    let site = news_site().await;
    let app = TestApp::start().await;
    assert!(
        refusal(&app, "not a url at all")
            .await
            .contains("not a valid")
    );
    assert!(
        refusal(&app, "ftp://files.example/x")
            .await
            .to_lowercase()
            .contains("http")
    );
    assert!(refusal(&app, &site.url("/missing")).await.contains("404"));
    assert!(refusal(&app, &site.url("/pdf")).await.contains("PDF"));
    assert!(refusal(&app, &site.url("/huge")).await.contains("larger"));
    assert!(
        refusal(&app, &site.url("/empty"))
            .await
            .to_lowercase()
            .contains("no article")
    );
    let started = Instant::now();
    refusal(&app, &site.url("/deep")).await;
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "deep nesting refused quickly"
    );
    assert_eq!(app.get("/").await.status(), 200, "the server stays up");
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM articles")
        .fetch_one(app.store.pool())
        .await
        .expect("count");
    assert_eq!(count, 0, "nothing stored for refused pages");
}

#[tokio::test]
async fn bad_input_is_shown_escaped() {
    let app = TestApp::start().await;
    let response = submit(&app, "http:a<script>alert(1)</script>").await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.expect("body");
    let page = dom_query::Document::from(html.as_str());
    assert_eq!(page.select("script").length(), 0);
    assert_eq!(
        page.select("input#url").attr("value").as_deref(),
        Some("http:a<script>alert(1)</script>")
    );
}

#[tokio::test]
async fn private_addresses_are_refused_without_a_connection_by_default() {
    let site = news_site().await;
    let app = TestApp::start_fetching(tempfile::tempdir().expect("dir"), false, 4).await;
    let port = site.port();
    for url in [
        format!("http://127.0.0.1:{port}/story"),
        format!("http://localhost:{port}/story"),
        format!("http://2130706433:{port}/story"),
        format!("http://[::ffff:127.0.0.1]:{port}/story"),
        "http://169.254.169.254/latest/meta-data/".to_owned(),
        "http://10.0.0.1/".to_owned(),
    ] {
        assert!(refusal(&app, &url).await.contains("not allowed"), "{url}");
    }
    assert_eq!(site.connections(), 0);
}

#[tokio::test]
async fn hostile_pages_are_archived_without_active_content() {
    let site = news_site().await;
    let app = TestApp::start().await;
    let (_, html) = archive(&app, &site.url("/hostile")).await;
    let page = dom_query::Document::from(html.as_str());
    for active in [
        "script",
        "style",
        "iframe",
        "object",
        "embed",
        "form",
        "button",
        "input",
        "base",
        "svg",
        "math",
        "template",
        "noscript",
        "meta[http-equiv]",
    ] {
        assert_eq!(
            page.select(&format!("main {active}")).length(),
            0,
            "{active}"
        );
    }
    for node in page.select("main *").iter() {
        for attribute in node.attrs() {
            let name = attribute.name.local.to_string();
            assert!(
                !name.starts_with("on") && name != "style" && name != "srcdoc",
                "{name}"
            );
            if ["href", "src", "srcset", "action", "formaction", "data"].contains(&name.as_str()) {
                for url in attribute
                    .value
                    .split([',', ' '])
                    .filter(|u| u.contains(':'))
                {
                    assert!(
                        ["http:", "https:", "mailto:"]
                            .iter()
                            .any(|s| url.trim().starts_with(s)),
                        "{name}={url}"
                    );
                }
            }
        }
    }
    let relative = page
        .select("main a")
        .iter()
        .filter_map(|a| a.attr("href"))
        .any(|h| h.as_ref() == site.url("/relative/path"));
    assert!(relative, "relative links made absolute");
}

#[tokio::test]
async fn legacy_charsets_are_stored_as_utf8() {
    let site = news_site().await;
    let app = TestApp::start().await;
    let (_, html) = archive(&app, &site.url("/cp1252")).await;
    assert!(html.contains("Every café owner"), "windows-1252 decoded");
}

#[tokio::test]
async fn the_bookmarklet_prefills_the_form() {
    let app = TestApp::start().await;
    let html = app
        .page("/add?url=https%3A%2F%2Fnews.example%2Fstory")
        .await;
    let page = dom_query::Document::from(html.as_str());
    assert_eq!(
        page.select("input#url").attr("value").as_deref(),
        Some("https://news.example/story")
    );
    let bookmarklet = page
        .select("a.bookmarklet")
        .attr("href")
        .expect("bookmarklet")
        .to_string();
    assert!(
        bookmarklet.starts_with("javascript:")
            && bookmarklet.contains(&format!("http://{}/add?url=", app.address))
    );
}

#[tokio::test]
async fn beyond_the_fetch_limit_submissions_are_told_to_retry_and_reading_stays_fast() {
    let slow =
        FixtureSite::answering(Answer::After(Duration::from_secs(2), Box::new(html(STORY)))).await;
    let app = TestApp::start_fetching(tempfile::tempdir().expect("dir"), true, 1).await;
    let first = {
        let (app_url, slow_url) = (app.url("/api/articles"), slow.url("/slow"));
        let client = app.client.clone();
        tokio::spawn(async move {
            client
                .post(app_url)
                .header("content-type", "application/json")
                .body(serde_json::json!({ "url": slow_url }).to_string())
                .send()
                .await
                .expect("post")
                .status()
        })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    let started = Instant::now();
    assert_eq!(app.get("/").await.status(), 200);
    assert!(
        started.elapsed() < Duration::from_millis(500),
        "reading is not blocked by a fetch"
    );
    let busy = submit(&app, &slow.url("/other")).await;
    assert_eq!(busy.status(), 429);
    assert!(busy.headers().contains_key("retry-after"));
    assert_eq!(first.await.expect("join"), 201);
}

#[tokio::test]
async fn a_client_submitting_too_often_waits_and_reading_goes_on() {
    let site = news_site().await;
    let limits = SubmitLimits {
        per_client_per_minute: 3,
        ..SUBMIT_LIMITS
    };
    let app = TestApp::start_limited(tempfile::tempdir().expect("dir"), limits).await;
    archive(&app, &site.url("/story")).await;
    assert_eq!(submit(&app, &site.url("/missing")).await.status(), 422);
    assert_eq!(submit(&app, &site.url("/story")).await.status(), 303);
    let fetched = site.requests().len();

    let form = submit(&app, &site.url("/news/night-ferry-strike")).await;
    assert_eq!(form.status(), 429);
    let wait: u64 = form.headers()["retry-after"]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds");
    assert!((1..=60).contains(&wait), "retry after {wait} s");
    let page = form.text().await.expect("body");
    assert!(page.contains("You have added many pages in the last minute"));
    assert!(
        page.contains("news/night-ferry-strike"),
        "the input is kept"
    );

    let api = app.submit_to_api(&site.url("/story")).await;
    assert_eq!(api.status(), 429);
    assert!(api.headers().contains_key("retry-after"));
    let body: serde_json::Value =
        serde_json::from_str(&api.text().await.expect("body")).expect("json");
    assert_eq!(body["error"]["code"], "rate_limited");

    assert_eq!(app.get("/").await.status(), 200, "reading is not limited");
    assert_eq!(
        site.requests().len(),
        fetched,
        "nothing fetched when refused"
    );
}

#[tokio::test]
async fn the_api_archives_with_json_answers_and_stable_error_codes() {
    let site = news_site().await;
    let app = TestApp::start().await;
    let created = app.submit_to_api(&site.url("/story")).await;
    assert_eq!(created.status(), 201);
    let body: serde_json::Value =
        serde_json::from_str(&created.text().await.expect("body")).expect("json");
    assert!(
        body["permalink"]
            .as_str()
            .is_some_and(|p| p.ends_with("/night-ferry-crews-vote-to-strike"))
    );
    let again = app.submit_to_api(&site.url("/story")).await;
    assert_eq!(again.status(), 200);
    let body: serde_json::Value =
        serde_json::from_str(&again.text().await.expect("body")).expect("json");
    assert_eq!(body["already_archived"], true);
    let missing = app.submit_to_api(&site.url("/missing")).await;
    assert_eq!(missing.status(), 422);
    let body: serde_json::Value =
        serde_json::from_str(&missing.text().await.expect("body")).expect("json");
    assert_eq!(body["error"]["code"], "http_status");
}
